"""KPI cards and tables as the pages show them, formatted for reading (not for computing).

Every card (:func:`kpi_card`) and table (:func:`show_table`, :func:`side_by_side`) takes its
labels, formats and one-line definitions (the tooltips) from :mod:`planner.present.catalogue`
and :mod:`planner.present.columns`, as the command line's tables do; the downloads keep the
machine names and every decimal.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _i18n
from app_pages._i18n import N_, _
from planner.domain.plan import GREEDY_SOURCE, PROVED_GAP, quality_text
from planner.messages import Message
from planner.present.catalogue import Kpi, queues_of, rows
from planner.present.columns import TableColumn, describe
from planner.present.formats import (
    CURRENCY,
    SCREEN,
    SOLVER_STATUSES,
    SOURCE_WORDS,
    STATUS_WORDS,
    is_missing,
)

__all__ = [
    "column_config",
    "definitions",
    "kpi_brief",
    "kpi_card",
    "kpi_help",
    "kpi_label",
    "kpi_title",
    "kpi_value",
    "queues_of",
    "readable",
    "show_table",
    "side_by_side",
    "source_words",
    "status_code_words",
    "status_words",
    "term_words",
    "verdict",
]

TERM_WORDS = {
    "cost": N_("cost of paid hours"),
    "interval_shortfall": N_("agents short in an interval"),
    "interval_floor_shortfall": N_("agents short of an interval's floor"),
    "service_shortfall": N_("service level short of the target"),
    "daily_service_shortfall": N_("calls a day short of the target"),
    "answered_in_time_reward": N_("calls answered in time (a reward)"),
    "overstaffing": N_("agents beyond the requirement"),
    "unassigned_shifts": N_("unassigned shifts"),
    "unassigned_hours": N_("unassigned hours"),
    "hours_off_target": N_("hours off the fair share"),
    "weekend_spread": N_("spread of weekend shifts"),
    "late_spread": N_("spread of late shifts"),
    "preferred_days_off": N_("preferred days off worked"),
    "preferred_start_window": N_("starts outside the preferred window"),
    "paired_days_off": N_("weeks without paired days off"),
}
"""The objective's terms (a plan's and a roster's penalties, by the library's names) in words."""


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def kpi_label(entry: Kpi) -> str:
    """The KPI's label in the session's language, lower case (``service level``)."""
    return _(entry.label)


def kpi_title(entry: Kpi) -> str:
    """The KPI's label starting a line, in the session's language (``Paid hours``)."""
    return _capital(kpi_label(entry))


def kpi_brief(entry: Kpi) -> str:
    """The KPI's label for a narrow card (its short one where it has one), translated."""
    return _(entry.short) if entry.short else kpi_label(entry)


def kpi_help(entry: Kpi) -> str:
    """The KPI's one-line definition as a sentence in the session's language (a tooltip)."""
    return _capital(_(entry.definition)) + "."


def verdict(status: str, gap: float | None, *, stopped: bool = False, greedy: bool = False) -> str:
    """How good a solve's plan is, in words for a manager in the session's language: the
    library's :func:`~planner.domain.plan.quality_text` in English, the same verdicts
    translated otherwise (never "optimal" unless proved). ``greedy``: the plan is the greedy
    heuristic's, the search having found none (:attr:`~planner.domain.plan.SolveReport.greedy`).
    """
    if _i18n.language() == _i18n.DEFAULT:
        return quality_text(status, gap, stopped=stopped, greedy=greedy)
    known = gap is not None and gap == gap
    within = _("within {gap} of the best possible").format(gap=_i18n.gap(gap))
    if status == "INFEASIBLE":
        return _("no plan exists: the rules conflict")
    if status == "MODEL_INVALID":
        return _("no plan: the model is invalid (a bug; please report it)")
    if greedy and stopped:
        if known:
            return _(
                "stopped by you before the solver's first plan; a first (greedy) plan, not "
                "optimised; {within} (proved bound)"
            ).format(within=within)
        return _(
            "stopped by you before the solver's first plan; a first (greedy) plan, not "
            "optimised; no gap is proved"
        )
    if greedy:
        if known:
            return _(
                "a first (greedy) plan, not optimised: the solver found no plan in the time "
                "limit; {within} (proved bound)"
            ).format(within=within)
        return _(
            "a first (greedy) plan, not optimised: the solver found no plan in the time limit; "
            "no gap is proved"
        )
    if stopped and status not in ("OPTIMAL", "FEASIBLE"):
        return _("stopped by you; no plan found yet")
    if stopped:
        so_far = _("stopped by you; best plan so far, {within}")
        return so_far.format(within=within) if known else _("stopped by you")
    if status == "OPTIMAL" and known and gap <= PROVED_GAP:
        return _("optimal (proved)")
    if status == "OPTIMAL":
        bounded = _("{within} plan (proved bound)").format(within=within)
        return bounded if known else _("within the gap limit (proved)")
    if status == "FEASIBLE":
        found = _("best plan found in the time limit")
        return f"{found}; {within}" if known else found
    return _("no plan found in the time limit")


def term_words(term: str) -> str:
    """A term of the objective in words in the session's language (a term the app does not
    know in words: its name with spaces)."""
    words = TERM_WORDS.get(term)
    return _(words) if words else term.replace("_", " ")


def status_words(status, gap=None, *, greedy: bool = False) -> str:
    """A study table's status in words in the session's language: a solver's status as
    :func:`verdict` says it (``greedy``: the plan is the greedy heuristic's, the search having
    found none), a failed or stopped point's as :func:`status_code_words` does."""
    if str(status) in SOLVER_STATUSES:
        return verdict(str(status), None if is_missing(gap) else float(gap), greedy=greedy)
    return status_code_words(status)


def status_code_words(status) -> str:
    """A solver's status code (``OPTIMAL``, ``FEASIBLE``, ``UNKNOWN``, ...) or a study point's
    (``INVALID``, ``ERROR``, ``STOPPED``) in a few words in the session's language
    (:data:`planner.present.formats.STATUS_WORDS`), never the code itself."""
    if is_missing(status):
        return SCREEN.missing
    words = STATUS_WORDS.get(str(status))
    return _(words) if words else str(status).lower()


def source_words(source) -> str:
    """Where a plan comes from (``solver`` or ``greedy``, a study table's ``plan_source``) in
    words in the session's language (:data:`planner.present.formats.SOURCE_WORDS`)."""
    if is_missing(source):
        return SCREEN.missing
    words = SOURCE_WORDS.get(str(source))
    return _(words) if words else str(source)


def _greedy(source) -> bool:
    return not is_missing(source) and str(source) == GREEDY_SOURCE


LOCAL_UNITS = {"seconds", "hours", "money", "count", "ratio", "percent", "gap", "points"}
"""Units whose figures a card writes in the session's language (``1 234,5``, ``80,5 %``)."""


def kpi_value(entry: Kpi, value, *, signed: bool = False) -> str:
    """A KPI's value as a card shows it (a difference when ``signed``: shares in percentage
    points): in the session's language's digits and percent sign, in the catalogue's
    decimals; in English, and for a missing or infinite value, exactly as the catalogue
    formats it (``4,393,750``, ``+3.2 pp``, ``–``, ``∞``)."""
    if entry.unit == "yes" and not signed and not is_missing(value):
        english = entry.format(value, marks=SCREEN)
        words = _("yes") if bool(value) else _("no")
        return english if _i18n.language() == _i18n.DEFAULT else words
    if (
        _i18n.language() == _i18n.DEFAULT
        or entry.unit not in LOCAL_UNITS
        or is_missing(value)
        or abs(float(value)) == float("inf")
    ):
        return entry.format(value, signed=signed, marks=SCREEN)
    if entry.unit in ("percent", "gap", "points") and (signed or entry.unit == "points"):
        shown = _("{points} pp").format(points=_i18n.number(100 * value, entry.digits))
    elif entry.unit == "percent":
        return _i18n.percent(value, entry.digits)
    elif entry.unit == "gap":
        return _i18n.gap(value)
    else:
        shown = _i18n.number(value, entry.digits)
    return f"+{shown}" if signed and value > 0 else shown


def kpi_card(
    column,
    entry: Kpi,
    value,
    label: str | None = None,
    delta: str | None = None,
    *,
    text: str | None = None,
    **options,
) -> None:
    """A KPI's card: its label (default: the catalogue's title; money's with its currency,
    "Cost (KZT)", so that the value fits the card), the value as the catalogue formats it
    unless ``text`` is given, and its one-line definition as the tooltip; the label and the
    definition in the session's language."""
    shown = text if text is not None else kpi_value(entry, value)
    if label is None:
        title = kpi_title(entry)
        label = f"{title} ({CURRENCY})" if entry.unit == "money" else title
    column.metric(label, shown, delta, help=kpi_help(entry), **options)


def definitions(entries: list[Kpi]) -> str:
    """What each KPI means, one Markdown line each (each KPI once, in order), in the session's
    language."""
    seen: dict[str, Kpi] = {}
    for entry in entries:
        seen.setdefault(kpi_title(entry), entry)
    return "\n".join(f"- **{title}**: {kpi_help(entry)}" for title, entry in seen.items())


def row_label(column: str, entry: Kpi) -> str:
    """A study table's row label in the session's language: the KPI's title, or
    ``<queue>: <label>`` for a per-queue column (``emergency.service_level``)."""
    queue = column.rpartition(".")[0] if entry.scope == "queue" else ""
    return f"{queue}: {kpi_label(entry)}" if queue else kpi_title(entry)


def header(column: TableColumn) -> str:
    """A table column's header in the session's language (a KPI's translated label, else the
    header marked in :data:`planner.present.columns.TITLES`)."""
    if column.entry is None:
        return _(column.title)
    if column.queue:
        return f"{column.queue}: {kpi_label(column.entry)}"
    return kpi_title(column.entry)


def side_by_side(kpis: pd.DataFrame, differences: pd.DataFrame, reference: str) -> pd.DataFrame:
    """KPIs as rows and scenarios as columns, each other scenario followed by its difference
    from the reference (``Δ label``); every cell text, formatted for its kind.

    A KPI with a 95 % half-width in the table (``<column>_ci95``: a simulated figure) shows it
    in the same cell (``57.3% ± 1.1 pp``); its difference is that of the means.
    """
    values = kpis.set_index("scenario")
    deltas = differences.set_index("scenario")
    shown = rows(values.columns)
    table = {_("KPI"): [row_label(column, entry) for column, _label, entry in shown]}

    def cell(scenario: str, column: str, entry) -> str:
        value = values.loc[scenario, column]
        if f"{column}_ci95" in values.columns:
            half = values.loc[scenario, f"{column}_ci95"]
            return _i18n.say(entry.format_interval(value, half, marks=SCREEN))
        if isinstance(value, Message):  # the library's words (how it was simulated)
            return _i18n.say(value)
        if entry.unit == "status":  # the verdict, worded (a greedy plan said so)
            gap = values.loc[scenario, "gap"] if "gap" in values.columns else None
            source = values.loc[scenario, "plan_source"] if "plan_source" in values else None
            return status_words(value, gap, greedy=_greedy(source))
        if entry.unit == "source":
            return source_words(value)
        return money(entry, value)

    def money(entry, value, *, signed: bool = False) -> str:
        """A figure as a card writes it (a difference when ``signed``), money with its
        currency."""
        shown = kpi_value(entry, value, signed=signed)
        if entry.unit == "money" and not is_missing(value):
            shown = f"{shown} {CURRENCY}"
        return shown

    for scenario in values.index:
        table[scenario] = [cell(scenario, c, entry) for c, _, entry in shown]
        if scenario != reference:
            table[f"Δ {scenario}"] = [
                money(entry, deltas.loc[scenario, c], signed=True) if c in deltas.columns else ""
                for c, _, entry in shown
            ]
    return pd.DataFrame(table)


NUMBER_FORMATS = {
    "percent": "percent",
    "money": "localized",
    "count": "localized",
    "hours": "%.1f",
    "seconds": "%.2f",
    "ratio": "%.3f",
}
"""Streamlit's number format for each unit of :mod:`planner.present.columns`."""


def column_config(table: pd.DataFrame) -> dict[str, st.column_config.Column]:
    """Every column of ``table`` with a human header (the catalogue's label, or the column in
    words: :func:`planner.present.columns.describe`), its definition as the header's tooltip
    and numbers formatted for their unit: shares as percentages, money and counts with
    thousands separators, hours with one decimal."""
    config = {}
    for name in table.columns:
        values = table[name]
        column = describe(str(name), pd.api.types.is_integer_dtype(values))
        help_text = (kpi_help(column.entry) if column.entry else column.help) or None
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            fallback = "%.1f" if pd.api.types.is_float_dtype(values) else "localized"
            number = NUMBER_FORMATS.get(column.unit or "", fallback)
            config[name] = st.column_config.NumberColumn(
                header(column), help=help_text, format=number
            )
        else:
            config[name] = st.column_config.Column(header(column), help=help_text)
    return config


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """The table with solver statuses in words, with the gap where the table has it
    (``OPTIMAL``, 0.007 -> "within 0.7 % of the best possible plan (proved bound)"), where each
    plan comes from in words (``plan_source``: a greedy plan said so), the
    measures a summary table names in words (``paid_hours`` -> "Paid hours"), and counts and
    money whole (calls are counted to the whole call; the download keeps the decimals)."""
    words = {}
    for name in table.columns:
        values = table[name]
        whole = describe(str(name)).unit in ("count", "money")
        if whole and pd.api.types.is_float_dtype(values):
            words[name] = values.round(0)
    if "status" in table.columns:
        gaps = table["gap"] if "gap" in table.columns else [None] * len(table)
        sources = table["plan_source"] if "plan_source" in table.columns else [None] * len(table)
        words["status"] = [
            status_words(s, g, greedy=_greedy(p))
            for s, g, p in zip(table["status"], gaps, sources, strict=True)
        ]
    if "plan_source" in table.columns:
        words["plan_source"] = table["plan_source"].map(source_words)
    if "measure" in table.columns:
        words["measure"] = table["measure"].map(lambda m: header(describe(str(m))))
    return table.assign(**words)


def show_table(table: pd.DataFrame, **options) -> None:
    """``st.dataframe`` of ``table`` as a reader sees it: :func:`readable` values, the headers
    and formats of :func:`column_config`, the page's width."""
    config = {**column_config(table), **options.pop("column_config", {})}
    options = {"hide_index": True, "width": "stretch", **options}
    st.dataframe(readable(table), column_config=config, **options)
