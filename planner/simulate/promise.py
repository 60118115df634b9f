"""The formula's promise beside the simulation: per line, and per interval with the band.

A plan's KPIs are the formulas' figures (Erlang C or A per interval, each interval on its own,
``staffed x (1 - shrinkage)`` agents, flexible agents on the line the plan allocated them to):
what the plan *promises*. :func:`planner.simulate.simulate_plan` plays the same plan call by
call under the scenario's routing. These tables put the two side by side for the app and the
study tables; they compute nothing new, they only line the figures up.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planner.domain.kpis import PlanKpis
from planner.domain.plan import Plan, SplitCheck
from planner.domain.scenario import Scenario
from planner.messages import Message, joined, msg, msg_n
from planner.simulate.plan import SHRINKAGE_MODES, simulate_plan
from planner.simulate.run import FIGURES, SimulationResult, interval_table
from planner.simulate.shared import ROUTING_POLICIES

__all__ = [
    "MAX_REPLICATIONS",
    "PROMISE_COLUMNS",
    "SimulationSettings",
    "describe",
    "describe_check",
    "promise_table",
    "service_band",
]

MAX_REPLICATIONS = 1000
"""More replications than this would take minutes for a week; the app and studies refuse them."""


@dataclass(frozen=True)
class SimulationSettings:
    """How to simulate a plan: replications, seed, shrinkage and routing.

    Attributes
    ----------
    replications : int
        Independent replications of the horizon (1 to :data:`MAX_REPLICATIONS`); the 95 %
        intervals need at least 2.
    seed : int
        Seed of ``numpy.random.SeedSequence``: the same seed, the same figures.
    shrinkage : {"absence", "mean"}
        Whole agents absent for the day, or the formulas' deterministic mean.
    routing : {"priority", "longest_waiting", "plan_split"} or None
        How agents shared between lines choose calls; None: the scenario's ``routing.policy``.

    Raises
    ------
    ValueError
        If a setting is out of range, naming it and the legal values.
    """

    replications: int = 30
    seed: int = 0
    shrinkage: str = "absence"
    routing: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.replications <= MAX_REPLICATIONS:
            raise ValueError(
                f"replications = {self.replications}: must be from 1 to {MAX_REPLICATIONS}"
            )
        if self.shrinkage not in SHRINKAGE_MODES:
            raise ValueError(f"shrinkage = {self.shrinkage!r}: must be one of {SHRINKAGE_MODES}")
        if self.routing is not None and self.routing not in ROUTING_POLICIES:
            raise ValueError(f"routing = {self.routing!r}: must be one of {ROUTING_POLICIES}")

    def simulate(self, scenario: Scenario, plan: Plan) -> SimulationResult:
        """:func:`planner.simulate.simulate_plan` of ``plan`` with these settings."""
        return simulate_plan(
            scenario,
            plan,
            replications=self.replications,
            seed=self.seed,
            shrinkage=self.shrinkage,
            routing=self.routing,
        )


ROUTING_WORDS = {
    "priority": msg("priority"),
    "longest_waiting": msg("longest waiting"),
    "plan_split": msg("plan split"),
}
"""The routing policies' names in words (translatable messages)."""

SHRINKAGE_WORDS = {
    "absence": msg("whole agents absent for the day"),
    "mean": msg("shrinkage as the formulas' mean"),
}
"""How absence was simulated (:data:`~planner.simulate.plan.SHRINKAGE_MODES`), in words."""


def describe(result: SimulationResult) -> Message:
    """How a simulation was run, in words: ``simulated call by call (30 replications, 95 %
    interval; routing priority, whole agents absent for the day, seed 0)``.

    A :class:`~planner.messages.Message` (its English text as the command line and the CSV
    files show it), which a client may translate; the seed is an identifier, not a number to
    group (``seed 12345``)."""
    runs = result.replications
    interval = msg("95 % interval") if runs > 1 else msg("no interval with 1 replication")
    routing = ROUTING_WORDS.get(result.routing) or result.routing.replace("_", " ")
    return msg_n(
        "simulated call by call ({count} replication, {interval}; routing {routing}, "
        "{absence}, seed {seed})",
        "simulated call by call ({count} replications, {interval}; routing {routing}, "
        "{absence}, seed {seed})",
        count=runs,
        interval=interval,
        routing=routing,
        absence=SHRINKAGE_WORDS[result.shrinkage],
        seed=str(result.seed),
    )


def describe_check(check: SplitCheck) -> Message:
    """The check of each line's promise under shared routing
    (:mod:`planner.shiftplan.split_check`) in one sentence, a translatable message."""
    if check.skipped:
        return msg("Promise per line not checked by simulation: {why}.", why=check.skipped)
    routing = ROUTING_WORDS.get(check.routing) or check.routing.replace("_", " ")
    head = msg_n(
        "Promise per line checked by a simulation of the plan ({replications} replications, "
        "routing {routing}, {absence}, seed {seed}): shared agents counted where the routing "
        "serves them, {count} agent-interval moved between lines",
        "Promise per line checked by a simulation of the plan ({replications} replications, "
        "routing {routing}, {absence}, seed {seed}): shared agents counted where the routing "
        "serves them, {count} agent-intervals moved between lines",
        count=check.moved,
        replications=check.replications,
        routing=routing,
        absence=SHRINKAGE_WORDS[check.shrinkage],
        seed=str(check.seed),
    )
    short = [
        msg(
            "{queue} {promised:.1f} % against {simulated:.1f} % ± {half:.1f}",
            queue=line.queue,
            promised=100 * line.promised,
            simulated=100 * line.simulated,
            half=100 * line.simulated_ci95,
        )
        for line in check.lines
        if not line.confirmed
    ]
    if not short:
        tail = msg("every line's promise is at most what the simulation gives it")
    else:
        tail = msg(
            "still above the simulation beyond its 95 % interval: {lines}",
            lines=joined(", ", short),
        )
    return msg("{head}; {tail}.", head=head, tail=tail)


PROMISE_COLUMNS = (
    "queue",
    "service_level_target",
    "promised_service_level",
    *(name for figure in FIGURES for name in (f"simulated_{figure}", f"simulated_{figure}_ci95")),
    "promised_abandon_rate",
    "promised_asa_seconds",
)
"""The columns of :func:`promise_table`."""


def _number(value) -> float:
    return float("nan") if value is None else float(value)


def promise_table(
    scenario: Scenario, promise: PlanKpis, simulated: SimulationResult
) -> pd.DataFrame:
    """Per line: the target, the formula's promise and the simulated figures with their 95 %
    half-widths (``simulated_<figure>_ci95``), in the scenario's queue order.

    Parameters
    ----------
    scenario : Scenario
    promise : PlanKpis
        The plan's KPIs (the formulas'): ``PlanResult.kpis``.
    simulated : SimulationResult
        The same plan (or a roster of it) simulated.

    Returns
    -------
    pandas.DataFrame
        :data:`PROMISE_COLUMNS`; fractions as fractions, ASA in seconds; a figure the formulas
        do not give (abandons under Erlang C) or the simulation cannot estimate is NaN.
    """
    rows = []
    for queue in scenario.queues:
        q = promise.queues[queue.name]
        sim = simulated.queue(queue.name)
        row = {
            "queue": queue.name,
            "service_level_target": queue.service_level,
            "promised_service_level": _number(q.service_level),
        }
        for figure in FIGURES:
            row[f"simulated_{figure}"] = getattr(sim, figure)
            row[f"simulated_{figure}_ci95"] = getattr(sim, f"{figure}_ci95")
        row["promised_abandon_rate"] = _number(q.abandon_rate)
        row["promised_asa_seconds"] = _number(q.asa_seconds)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(PROMISE_COLUMNS))


def service_band(coverage: pd.DataFrame, simulated: SimulationResult, grid) -> pd.DataFrame:
    """Per queue and interval: the formula's service level beside the simulated mean and its
    P10-P90 band across replications.

    Parameters
    ----------
    coverage : pandas.DataFrame
        The plan's coverage (``PlanResult.coverage``): ``day, interval_start, queue,
        service_level`` and ``open``.
    simulated : SimulationResult
    grid : TimeGrid
        The scenario's grid (to name the simulation's days and intervals).

    Returns
    -------
    pandas.DataFrame
        The coverage's ``day, interval_start, queue, open, service_level`` (the promise) with
        ``simulated_service_level``, ``simulated_p10``, ``simulated_p90`` and
        ``simulated_offered`` (mean calls offered in the simulation); NaN where no replication
        had a call.
    """
    sim = interval_table(simulated, grid).rename(
        columns={
            "service_level": "simulated_service_level",
            "service_level_p10": "simulated_p10",
            "service_level_p90": "simulated_p90",
            "offered": "simulated_offered",
        }
    )
    keys = ["day", "interval_start", "queue"]
    kept = [*keys, "simulated_offered", "simulated_service_level", "simulated_p10", "simulated_p90"]
    promise = coverage[[*keys, "open", "service_level"]]
    return promise.merge(sim[kept], on=keys, how="left", validate="one_to_one")
