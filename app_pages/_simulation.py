"""The promise and the simulation, as the Plan and Roster pages show them.

UI only: the settings' widgets, the per-line cards (the formula's promise, then the simulated
figures with their 95 % intervals) and the downloads. The figures come from
:mod:`planner.simulate` (:func:`~planner.simulate.promise_table`), through the cached
calculations of :mod:`app_pages._cache`.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from app_pages import _i18n
from app_pages._i18n import N_, _
from app_pages.tables import kpi_brief, kpi_help, kpi_value
from planner.domain.scenario import Scenario
from planner.io.export import table_to_csv
from planner.present.catalogue import kpi
from planner.simulate import (
    SimulationResult,
    SimulationSettings,
    describe,
    interval_table,
    promise,
    simulation_document,
)
from planner.simulate.promise import MAX_REPLICATIONS

ROUTING_WORDS = {
    "priority": N_("the highest-priority waiting call first"),
    "longest_waiting": N_("the longest-waiting call first"),
    "plan_split": N_("each agent on the line the plan allocated"),
}
SHRINKAGE_WORDS = {
    "absence": N_("Whole agents absent for the day"),
    "mean": N_("The formulas' mean (staffed x (1 - shrinkage))"),
}
"""The shrinkage modes in words (the selector's options, shown translated)."""

EXPLANATION = N_(
    "The **promise** is the formulas' figure for the plan: Erlang per interval, each interval "
    "on its own, exactly staffed x (1 - shrinkage) agents, flexible agents on the line the plan "
    "allocated them to. The **simulation** plays the same shifts call by call: calls arrive at "
    "random, waiting calls carry over from one interval to the next, whole agents are absent "
    "for the day and the agents shared between lines are routed by the scenario's policy. Its "
    "figures are the mean over the replications ± the half-width of the 95 % confidence "
    "interval."
)


def routing_name(policy: str | None) -> str:
    """A routing policy's name in the session's language (``longest_waiting``: "longest
    waiting"); a name the app does not know in words, with spaces."""
    name = promise.ROUTING_WORDS.get(policy or "")
    return _i18n.say(name) if name else str(policy).replace("_", " ")


def settings(prefix: str, scenario: Scenario) -> SimulationSettings:
    """The simulation's settings, chosen in an expander (replications, seed, routing,
    shrinkage); widget keys start with ``prefix``."""
    own = scenario.routing.policy
    own_words = own.replace("_", " ")  # the choices' keys stay English in the session
    routing_choices = {f"As the scenario says ({own_words})": None}
    routing_choices |= {name.replace("_", " "): name for name in ROUTING_WORDS}
    routing_words = {choice: routing_name(name) for choice, name in routing_choices.items()}
    routing_words[next(iter(routing_choices))] = _("As the scenario says ({policy})").format(
        policy=routing_name(own)
    )

    with st.expander(_("Simulation settings")):
        count, seed, routing, shrinkage = st.columns(4)
        replications = count.number_input(
            _("Replications"),
            min_value=2,
            max_value=MAX_REPLICATIONS,
            value=30,
            step=10,
            key=f"{prefix}_replications",
            help=_(
                "Independent runs of the horizon. More narrow the 95 % interval (as one over "
                "the square root) and take longer: 30 take about a second for a week."
            ),
        )
        chosen_seed = seed.number_input(
            _("Seed"),
            min_value=0,
            value=0,
            step=1,
            key=f"{prefix}_seed",
            help=_("The same seed gives the same figures, byte for byte."),
        )
        routing_chosen = routing.selectbox(
            _("Routing of shared agents"),
            list(routing_choices),
            format_func=routing_words.__getitem__,
            key=f"{prefix}_routing",
            help=_("How an agent who answers several lines picks the next call: {ways}.").format(
                ways="; ".join(f"{routing_name(k)}: {_(v)}" for k, v in ROUTING_WORDS.items())
            ),
        )
        shrinkage_label = shrinkage.selectbox(
            _("Shrinkage"),
            list(SHRINKAGE_WORDS.values()),
            format_func={words: _(words) for words in SHRINKAGE_WORDS.values()}.__getitem__,
            key=f"{prefix}_shrinkage",
            help=_(
                "Absence comes in whole people for whole days (the default), which widens "
                "the spread; the formulas' mean takes exactly staffed x (1 - shrinkage) agents."
            ),
        )
    by_words = {words: mode for mode, words in SHRINKAGE_WORDS.items()}
    return SimulationSettings(
        replications=int(replications),
        seed=int(chosen_seed),
        shrinkage=by_words[shrinkage_label],
        routing=routing_choices[routing_chosen],
    )


LINE_CARDS = ("simulated_service_level", "simulated_abandon_rate", "simulated_asa_seconds")
"""The simulated figures shown per line after the promise, left to right."""


def line_cards(table: pd.DataFrame, *, promise_label: str | None = None) -> None:
    """Per line: the formula's promise against the target, then each simulated figure (the
    mean over the replications) with the half-width of its 95 % interval below it and, for the
    service level, its difference from the promise.

    ``table``: :func:`planner.simulate.promise_table`.
    """
    promised = kpi("promised_service_level", "queue")
    level = kpi("service_level", "queue")
    promise_label = promise_label or _("promise (formula)")
    for row in table.itertuples(index=False):
        columns = st.columns(1 + len(LINE_CARDS))
        target = kpi_value(kpi("service_level_target", "queue"), row.service_level_target)
        miss = row.promised_service_level - row.service_level_target
        columns[0].metric(
            f"{row.queue}: {promise_label}",
            kpi_value(promised, row.promised_service_level),
            _("{difference} vs target {target}").format(
                difference=kpi_value(level, miss, signed=True), target=target
            ),
            help=kpi_help(promised),
        )
        for column, key in zip(columns[1:], LINE_CARDS, strict=True):
            entry = kpi(key, "queue")
            value, half = getattr(row, key), getattr(row, f"{key}_ci95")
            spread = kpi_value(kpi(f"{key}_ci95", "queue"), half)
            delta = _("± {spread} (95 % interval)").format(spread=spread)
            if key == "simulated_service_level":
                gap = kpi_value(level, value - row.promised_service_level, signed=True)
                delta = _("± {spread} (95 %) · {difference} vs promise").format(
                    spread=spread, difference=gap
                )
            column.metric(
                f"{row.queue}: {kpi_brief(entry)}",
                kpi_value(entry, value),
                delta,
                delta_color="off",
                delta_arrow="off",
                help=kpi_help(entry),
            )


def described(result: SimulationResult) -> str:
    """How a simulation was run, in words in the session's language (the library's
    :func:`planner.simulate.describe`, translated)."""
    return _i18n.say(describe(result))


def heading(result: SimulationResult) -> None:
    """How the simulation was run, in one line above its figures."""
    text = described(result)
    st.markdown(
        f"**{text[:1].upper()}{text[1:]}**: "
        + _("{calls} calls simulated ({per} a replication).").format(
            calls=_i18n.number(result.simulated_calls),
            per=_i18n.number(result.simulated_calls / result.replications),
        )
    )


def explanation() -> None:
    """What the promise and the simulation are, below their figures."""
    st.caption(_(EXPLANATION))


def downloads(result: SimulationResult, scenario: Scenario, stem: str, what: str) -> None:
    """The simulation's figures (``simulation.json``) and per-interval table (CSV), as the
    command line's ``simulate`` writes them."""
    document = {"scenario": scenario.name, "simulated": what, **simulation_document(result)}
    figures, intervals = st.columns(2)
    figures.download_button(
        _("Simulation (JSON)"),
        json.dumps(document, indent=2, allow_nan=False),
        file_name=f"{stem}_simulation.json",
        mime="application/json",
        icon=":material/download:",
        key=f"download_{stem}_simulation",
        on_click="ignore",
    )
    intervals.download_button(
        _("Simulated intervals (CSV)"),
        lambda: table_to_csv(interval_table(result, scenario.grid)),
        file_name=f"{stem}_sim_coverage.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"download_{stem}_sim_coverage",
        on_click="ignore",
    )
