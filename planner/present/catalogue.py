"""The catalogue of KPIs: for each, its key, label, unit, format and a one-line definition.

Every table and card that shows a KPI reads it from here: the command line's summaries and
comparison tables, the app's cards and tables, the comparison and sweep tables. The ``key`` is the
field of :class:`planner.domain.kpis.PlanKpis`, :class:`~planner.domain.kpis.QueueKpis` or
:class:`~planner.domain.kpis.RosterKpis`, and the column of the study tables
(:func:`planner.study.tables.kpi_row`; per queue ``<queue>.<key>``).

Labels are lower case (``paid hours``) so that a per-queue label can follow the queue's name
(``emergency: service level``); :attr:`Kpi.title` is the label starting a line (``Paid hours``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from planner.present.formats import FORMATTERS, N_, PLAIN, Marks, is_missing, plus_minus, show

__all__ = [
    "CATALOGUE",
    "COMPARED_PER_QUEUE",
    "COMPARED_TOTALS",
    "DEMAND",
    "FLOOR",
    "N_",
    "PLAN",
    "QUEUE",
    "ROSTER",
    "ROSTER_FAIRNESS",
    "Kpi",
    "kpi",
    "queue_column",
    "queues_of",
    "rows",
]


Scope = Literal["plan", "queue", "roster", "demand", "floor"]


@dataclass(frozen=True)
class Kpi:
    """One KPI: what it is called, its unit, how it is shown and what it means.

    Attributes
    ----------
    key : str
        Field of the typed KPIs and column of the study tables.
    label : str
        Words for a reader, lower case (``service level``).
    unit : str
        A key of :data:`planner.present.formats.FORMATTERS`: ``percent`` (a fraction), ``gap``,
        ``seconds``, ``hours``, ``money``, ``count``, ``ratio``, ``yes``, ``text``, ``status``,
        ``source``.
    digits : int
        Decimals shown.
    definition : str
        One line: what the figure measures.
    scope : "plan", "queue", "roster" or "demand"
        Whose KPI: a plan's totals, one queue's service, a roster's, or the demand's (before
        any plan).
    short : str
        A shorter label for a narrow card; empty when the label is short enough.
    """

    key: str
    label: str
    unit: str
    digits: int
    definition: str
    scope: Scope
    short: str = ""

    def __post_init__(self) -> None:
        if self.unit not in FORMATTERS:
            raise ValueError(f"KPI {self.key}: unit {self.unit!r} has no formatter")

    @property
    def title(self) -> str:
        """The label starting a line (``Paid hours``; ``ASA (s)`` stays as it is)."""
        return self.label[:1].upper() + self.label[1:]

    @property
    def brief(self) -> str:
        """The label for a narrow card: the short one where there is one."""
        return self.short or self.label

    @property
    def help(self) -> str:
        """The definition as a sentence, for a tooltip."""
        return self.definition[:1].upper() + self.definition[1:] + "."

    def format(
        self, value: Any, *, signed: bool = False, marks: Marks = PLAIN, currency: str = ""
    ) -> str:
        """The value as text, in this KPI's unit and decimals (a difference when ``signed``);
        money followed by ``currency`` when given (``4,393,750 KZT``)."""
        text = show(value, self.unit, self.digits, signed=signed, marks=marks)
        if currency and self.unit == "money" and not is_missing(value):
            text = f"{text} {currency}"
        return text

    def format_interval(self, value: Any, half_width: Any, *, marks: Marks = PLAIN) -> str:
        """The value with its 95 % half-width (``57.3% ± 1.1 pp``)."""
        return plus_minus(value, half_width, self.unit, self.digits, marks=marks)


def _plan(key: str, label: str, unit: str, digits: int, definition: str, short: str = "") -> Kpi:
    return Kpi(key, label, unit, digits, definition, "plan", short)


def _queue(key: str, label: str, unit: str, digits: int, definition: str, short: str = "") -> Kpi:
    return Kpi(key, label, unit, digits, definition, "queue", short)


def _roster(key: str, label: str, unit: str, digits: int, definition: str) -> Kpi:
    return Kpi(key, label, unit, digits, definition, "roster")


def _demand(key: str, label: str, unit: str, digits: int, definition: str) -> Kpi:
    return Kpi(key, label, unit, digits, definition, "demand")


PLAN: tuple[Kpi, ...] = (
    _plan(
        "status",
        N_("solver status"),
        "status",
        0,
        N_(
            "proved within the gap (CP-SAT's OPTIMAL: the gap says how far from the best possible "
            "plan it may be, 0 % when proved optimal), best found, not proved (FEASIBLE), no plan: "
            "rules conflict (INFEASIBLE), no plan in the time limit (UNKNOWN); a study point that "
            "failed: invalid overrides (they break a rule) or error"
        ),
    ),
    _plan(
        "plan_source",
        N_("plan made by"),
        "source",
        0,
        N_(
            "the solver's search, or a first (greedy) plan, not optimised, where the search "
            "found no plan in the time limit"
        ),
    ),
    _plan(
        "meets_target",
        N_("meets target (every day)"),
        "yes",
        0,
        N_(
            "the plan passes its check and every queue's daily service level reaches its target on "
            "every open day with calls"
        ),
    ),
    _plan(
        "gap",
        N_("gap to the best possible"),
        "gap",
        1,
        N_(
            "how far the plan's cost may be above the best possible plan's, in % (the objective "
            "against the solver's bound; 0 % when proved optimal)"
        ),
    ),
    _plan(
        "hit_time_limit",
        N_("stopped at the time limit"),
        "yes",
        0,
        N_(
            "the search stopped at the wall-clock limit short of the gap: the plan may depend on "
            "how busy the machine was"
        ),
    ),
    _plan("cost", N_("cost"), "money", 0, N_("paid hours times each pool's cost per hour")),
    _plan("paid_hours", N_("paid hours"), "hours", 1, N_("paid hours of every shift planned")),
    _plan(
        "borrowed_hours",
        N_("borrowed hours"),
        "hours",
        1,
        N_("paid hours of the pools marked borrowed"),
    ),
    _plan("shifts", N_("shifts planned"), "count", 0, N_("shifts planned, one per agent per day")),
    _plan(
        "peak_agents",
        N_("peak agents on duty"),
        "count",
        0,
        N_("most agents on duty in one interval, all queues"),
    ),
    _plan(
        "understaffed_intervals",
        N_("understaffed intervals"),
        "count",
        0,
        N_("open queue-intervals with fewer agents on duty than required, all queues"),
    ),
    _plan(
        "shortfall_agent_hours",
        N_("shortfall agent-hours"),
        "hours",
        1,
        N_("agents missing against the requirement, summed over intervals, in agent-hours"),
    ),
    _plan(
        "required_agent_hours",
        N_("required agent-hours"),
        "hours",
        1,
        N_("agents the requirement asks for, summed over queues and intervals, in agent-hours"),
    ),
    _plan(
        "paid_to_required_ratio",
        N_("paid / required agent-hours"),
        "ratio",
        3,
        N_(
            "paid hours over required agent-hours (above 1: paid time the requirement does not ask "
            "for, breaks and shift shapes included)"
        ),
        short=N_("paid / required hours"),
    ),
    _plan(
        "simulation",
        N_("simulation"),
        "text",
        0,
        N_(
            "how the plan was simulated call by call: replications, routing of shared agents, "
            "shrinkage and seed"
        ),
    ),
)
"""A plan's totals, in the order tables show them."""

QUEUE: tuple[Kpi, ...] = (
    _queue("calls", N_("calls"), "count", 0, N_("calls offered over the horizon, surges included")),
    _queue(
        "service_level",
        N_("service level"),
        "percent",
        1,
        N_(
            "calls answered within T seconds over all calls offered, abandons counting as "
            "failures, over the horizon"
        ),
    ),
    _queue(
        "worst_day_service_level",
        N_("worst day"),
        "percent",
        1,
        N_(
            "the lowest daily service level (answered within T over offered that day) of the days "
            "with calls"
        ),
    ),
    _queue(
        "service_level_target",
        N_("target"),
        "percent",
        0,
        N_("the share of calls to answer within T seconds"),
    ),
    _queue(
        "meets_target",
        N_("meets target"),
        "yes",
        0,
        N_("the daily service level reaches the target on every open day with calls"),
    ),
    _queue(
        "abandon_rate",
        N_("abandoned"),
        "percent",
        1,
        N_("calls abandoned over calls offered (not modelled for a queue without patience: -)"),
    ),
    _queue(
        "asa_seconds",
        N_("ASA (s)"),
        "seconds",
        2,
        N_(
            "average speed of answer over answered calls, in seconds (inf: unstable, the wait "
            "grows without bound)"
        ),
    ),
    _queue(
        "understaffed_intervals",
        N_("understaffed intervals"),
        "count",
        0,
        N_("open intervals with fewer agents on duty than required"),
        short=N_("short intervals"),
    ),
    _queue(
        "shortfall_agent_hours",
        N_("shortfall agent-hours"),
        "hours",
        1,
        N_("agents missing against the requirement, summed over intervals, in agent-hours"),
    ),
    _queue(
        "peak_agents",
        N_("peak agents"),
        "count",
        0,
        N_("most agents on duty for the queue in one interval"),
    ),
    _queue(
        "peak_required_agents",
        N_("peak agents needed"),
        "count",
        0,
        N_("most agents the queue requires in one interval"),
    ),
    _queue(
        "promised_service_level",
        N_("promised service level (formula)"),
        "percent",
        1,
        N_(
            "the service level the formulas give the plan: Erlang per interval, each interval on "
            "its own, staffed x (1 - shrinkage) agents, flexible agents on the line the plan "
            "allocated"
        ),
        short=N_("promise (formula)"),
    ),
    _queue(
        "simulated_service_level",
        N_("simulated service level"),
        "percent",
        1,
        N_(
            "the service level of the plan simulated call by call (calls arriving at random; "
            "by default the scenario's routing and whole agents absent for the day): the mean"
            " over the replications, shown with its 95 % interval"
        ),
    ),
    _queue(
        "simulated_service_level_ci95",
        N_("simulated service level ± (95 %)"),
        "points",
        1,
        N_(
            "half-width of the 95 % confidence interval of the simulated service level (1.96 "
            "standard errors over the replications), in percentage points"
        ),
    ),
    _queue(
        "simulated_abandon_rate",
        N_("simulated abandoned"),
        "percent",
        1,
        N_(
            "the share of calls abandoned of the plan simulated call by call (calls arriving "
            "at random; by default the scenario's routing and whole agents absent for the "
            "day): the mean over the replications, shown with its 95 % interval"
        ),
    ),
    _queue(
        "simulated_abandon_rate_ci95",
        N_("simulated abandoned ± (95 %)"),
        "points",
        1,
        N_(
            "half-width of the 95 % confidence interval of the simulated abandoned (1.96 "
            "standard errors over the replications), in percentage points"
        ),
    ),
    _queue(
        "simulated_asa_seconds",
        N_("simulated ASA (s)"),
        "seconds",
        2,
        N_(
            "the average speed of answer, in seconds, of the plan simulated call by call "
            "(calls arriving at random; by default the scenario's routing and whole agents "
            "absent for the day): the mean over the replications, shown with its 95 % "
            "interval"
        ),
    ),
    _queue(
        "simulated_asa_seconds_ci95",
        N_("simulated ASA (s) ± (95 %)"),
        "seconds",
        2,
        N_(
            "half-width of the 95 % confidence interval of the simulated ASA (s) (1.96 "
            "standard errors over the replications)"
        ),
    ),
    _queue(
        "simulated_occupancy",
        N_("simulated occupancy"),
        "percent",
        1,
        N_(
            "the occupancy (time handling calls over agent time on the line) of the plan "
            "simulated call by call (calls arriving at random; by default the scenario's "
            "routing and whole agents absent for the day): the mean over the replications, "
            "shown with its 95 % interval"
        ),
    ),
    _queue(
        "simulated_occupancy_ci95",
        N_("simulated occupancy ± (95 %)"),
        "points",
        1,
        N_(
            "half-width of the 95 % confidence interval of the simulated occupancy (1.96 "
            "standard errors over the replications), in percentage points"
        ),
    ),
)
"""One queue's service, in the order tables show them."""

ROSTER: tuple[Kpi, ...] = (
    _roster("planned_shifts", N_("shifts planned"), "count", 0, N_("shifts in the plan rostered")),
    _roster(
        "assigned_shifts",
        N_("shifts assigned"),
        "count",
        0,
        N_("planned shifts a named operator works"),
    ),
    _roster(
        "unassigned_shifts",
        N_("unassigned shifts"),
        "count",
        0,
        N_("planned shifts nobody can legally take, each with its reason"),
    ),
    _roster(
        "unassigned_bound_shifts",
        N_("unassigned at least"),
        "count",
        0,
        N_("shifts that stay unassigned whatever the roster, by a count over whole pools"),
    ),
    _roster("operators", N_("operators"), "count", 0, N_("operators rostered")),
    _roster(
        "operators_working",
        N_("operators working"),
        "count",
        0,
        N_("operators who work at least one shift"),
    ),
)
"""A roster's counts."""

ROSTER_FAIRNESS: tuple[Kpi, ...] = (
    _roster(
        "max_hours_off_fair_share",
        N_("hours from fair share, at most"),
        "hours",
        1,
        N_(
            "the largest difference between an operator's paid hours and their fair share of "
            "their pool's planned hours, in hours"
        ),
    ),
    _roster(
        "weekend_shifts_range",
        N_("weekend shifts per operator"),
        "text",
        0,
        N_("the fewest and the most Saturday and Sunday shifts an operator works (fewest-most)"),
    ),
)
"""How evenly a roster shares the work (the Roster page's cards)."""

DEMAND: tuple[Kpi, ...] = (
    _demand(
        "calls",
        N_("calls over the horizon"),
        "count",
        0,
        N_("calls offered to every queue over the horizon, surges included, after self-service"),
    ),
    _demand(
        "surge_share",
        N_("due to surges"),
        "percent",
        1,
        N_("the share of the calls that the surges add to the normal demand"),
    ),
    _demand(
        "busiest_day_calls",
        N_("busiest day"),
        "count",
        0,
        N_("calls offered on the day with the most calls, all queues"),
    ),
    _demand(
        "required_agent_hours",
        N_("agent-hours required"),
        "hours",
        0,
        N_(
            "agents the requirement asks for on duty (after shrinkage), summed over queues and "
            "intervals, in agent-hours"
        ),
    ),
    _demand(
        "peak_required_agents",
        N_("peak agents required"),
        "count",
        0,
        N_("most agents required on duty in one interval, all queues together"),
    ),
)
"""The demand and its requirement, before any plan (the Demand page's cards)."""

FLOOR: tuple[Kpi, ...] = (
    Kpi(
        "on_line",
        N_("on a line"),
        "count",
        0,
        N_("agents answering this line at the moment (on duty, not on a break, allocated to it)"),
        "floor",
    ),
    Kpi(
        "on_break",
        N_("on a break"),
        "count",
        0,
        N_("agents on duty but on a break at the moment"),
        "floor",
    ),
    Kpi(
        "on_duty",
        N_("on duty"),
        "count",
        0,
        N_("agents whose shift covers the moment, on a break or answering a line"),
        "floor",
    ),
)
"""Who is where at one moment of a day (the timelines' floor cards)."""

COMPARED_TOTALS = (
    "status",
    "plan_source",
    "meets_target",
    "gap",
    "hit_time_limit",
    "cost",
    "paid_hours",
    "borrowed_hours",
    "peak_agents",
    "understaffed_intervals",
    "shortfall_agent_hours",
    "simulation",
)
"""The totals a comparison shows (the command line's and the app's), in order."""

COMPARED_PER_QUEUE = (
    "calls",
    "service_level",
    "simulated_service_level",
    "worst_day_service_level",
    "meets_target",
    "abandon_rate",
    "simulated_abandon_rate",
    "asa_seconds",
    "understaffed_intervals",
    "peak_agents",
)
"""Each queue's KPIs a comparison shows, in order (the simulated ones when the plans were
simulated; each shown with its ``_ci95`` half-width where the table has it)."""

CATALOGUE: dict[tuple[Scope, str], Kpi] = {
    (k.scope, k.key): k for k in (*PLAN, *QUEUE, *ROSTER, *ROSTER_FAIRNESS, *DEMAND, *FLOOR)
}
"""Every KPI by scope and key."""


def kpi(key: str, scope: Scope = "plan") -> Kpi:
    """The catalogue's entry for ``key`` (a plan total unless ``scope`` says otherwise)."""
    return CATALOGUE[(scope, key)]


def queue_column(queue: str, key: str) -> str:
    """A per-queue KPI's column in the study tables (``emergency.service_level``)."""
    return f"{queue}.{key}"


def queues_of(columns: Iterable[str]) -> list[str]:
    """Queue names in a study table's ``<queue>.service_level`` columns, in order."""
    suffix = ".service_level"
    return [c.removesuffix(suffix) for c in columns if c.endswith(suffix)]


def rows(
    columns: Iterable[str],
    totals: Iterable[str] = COMPARED_TOTALS,
    per_queue: Iterable[str] = COMPARED_PER_QUEUE,
) -> list[tuple[str, str, Kpi]]:
    """The ``(column, label, Kpi)`` rows of a study table that are among its ``columns``.

    ``totals`` and ``per_queue`` are the keys wanted, in order (default: a comparison's); keys
    the catalogue does not hold are skipped. Per-queue rows follow the totals, queue by queue,
    labelled ``<queue>: <label>``.
    """
    columns = list(columns)
    wanted = [(key, kpi(key).title, kpi(key)) for key in totals if ("plan", key) in CATALOGUE]
    entries = [kpi(key, "queue") for key in per_queue if ("queue", key) in CATALOGUE]
    for queue in queues_of(columns):
        wanted += [(queue_column(queue, k.key), f"{queue}: {k.label}", k) for k in entries]
    return [row for row in wanted if row[0] in columns]
