"""The plan: what the shift optimiser decides, typed, and the tables it is shown and written as.

A :class:`Plan` is integers on the scenario's time grid:

``shifts``
    :class:`ShiftGroup` records, one per group of identical shifts: the horizon day, the pool,
    the template, the start interval, the length, each break as (offset from the start, length)
    in intervals, the paid minutes of one such shift, and how many agents work it.
``allocation``
    ``a[p, q, d, i]``, an int64 array pools x queues x days x intervals: how each pool's agents
    on duty are split among the queues they serve. An agent on duty (on shift and not on a
    break) is allocated to exactly one open queue they have the skill for, so no agent is ever
    counted twice; a dedicated pool's agents on duty all answer its one queue.

Everything else (coverage, KPIs, the roster) is computed from the plan and the scenario. Text
exists only at the edges: :func:`shifts_table` and :func:`allocation_table` render a plan as the
tables of ``shifts.csv`` and ``allocation.csv`` (and the app's tables):

``shifts``
    One row per shift group: ``day`` (date), ``pool``, ``template``, ``start`` and ``end``
    (``"HH:MM"``), ``breaks`` (``"HH:MM-HH:MM;HH:MM-HH:MM"`` in the template's break order, ``""``
    when the template has none), ``agents``, and ``paid_hours`` (the row's total: agents x paid
    hours of one such shift; unpaid breaks are not paid).
``allocation``
    ``day``, ``interval_start``, ``pool``, ``queue``, ``agents``; rows with zero agents are
    omitted.

:mod:`planner.io.plan_tables` reads such tables back (a plan from a file, or written by hand).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from planner.domain.kpis import PlanKpis
from planner.messages import Message, joined, msg, msg_n
from planner.timegrid import TimeGrid

__all__ = [
    "ALLOCATION_COLUMNS",
    "COVERAGE_COLUMNS",
    "GREEDY_SOURCE",
    "GREEDY_TEXT",
    "SHIFT_COLUMNS",
    "LineCheck",
    "Plan",
    "PlanResult",
    "ShiftGroup",
    "SolveReport",
    "SplitCheck",
    "ValidationReport",
    "Violation",
    "allocation_table",
    "breaks_label",
    "gap_percent",
    "quality_text",
    "shifts_table",
]

SHIFT_COLUMNS = ("day", "pool", "template", "start", "end", "breaks", "agents", "paid_hours")
ALLOCATION_COLUMNS = ("day", "interval_start", "pool", "queue", "agents")
COVERAGE_COLUMNS = (
    "day",
    "interval_start",
    "queue",
    "calls",
    "aht_seconds",
    "required_agents",
    "staffed_agents",
    "shortfall_agents",
    "service_level",
    "asa_seconds",
    "abandon_rate",
    "occupancy",
)
"""Coverage per queue and interval: ``required_agents`` and ``staffed_agents`` are agents on duty
(not on a break); the service metrics are what the staffed agents achieve after shrinkage, by
Erlang A for queues with a patience and Erlang C otherwise."""


@dataclass(frozen=True)
class ShiftGroup:
    """Agents who work the same shift with the same breaks, on one day, in one pool.

    Attributes
    ----------
    day : int
        Horizon day index.
    pool, template : str
        Names as in the scenario.
    start : int
        Start interval (index into the day's operating window).
    length : int
        Length in intervals, breaks included.
    breaks : tuple of (int, int)
        Each break as (offset from ``start``, length), in intervals, in the template's order.
    paid_minutes : int
        Paid minutes of one such shift (unpaid breaks excluded).
    agents : int
        How many agents work it (> 0).
    """

    day: int
    pool: str
    template: str
    start: int
    length: int
    breaks: tuple[tuple[int, int], ...]
    paid_minutes: int
    agents: int

    @property
    def end(self) -> int:
        """The interval the shift ends at (exclusive)."""
        return self.start + self.length

    @property
    def paid_hours(self) -> float:
        """Paid hours of the whole group (agents x one shift's paid hours)."""
        return self.agents * self.paid_minutes / 60.0

    def duty(self, intervals: int) -> np.ndarray:
        """Whether one agent of the group is on duty (on shift, not on a break) in each of the
        day's ``intervals``, as a boolean array."""
        on = np.zeros(intervals, dtype=bool)
        on[self.start : self.end] = True
        for offset, length in self.breaks:
            on[self.start + offset : self.start + offset + length] = False
        return on


@dataclass(frozen=True)
class Plan:
    """A shift plan on a scenario's time grid (see the module docstring).

    Attributes
    ----------
    grid : TimeGrid
    pool_names, queue_names : tuple of str
        Scenario order: the axes of ``allocation``.
    shifts : tuple of ShiftGroup
    allocation : numpy.ndarray of int64, shape (pools, queues, days, intervals)
    """

    grid: TimeGrid
    pool_names: tuple[str, ...]
    queue_names: tuple[str, ...]
    shifts: tuple[ShiftGroup, ...]
    allocation: np.ndarray = field(repr=False)

    @classmethod
    def empty(cls, grid: TimeGrid, pool_names, queue_names) -> Plan:
        """A plan with no shifts (what a solve that found none returns)."""
        shape = (len(pool_names), len(queue_names), grid.days, grid.intervals_per_day)
        return cls(grid, tuple(pool_names), tuple(queue_names), (), np.zeros(shape, np.int64))

    @property
    def agents(self) -> int:
        """Shifts planned: agents summed over the shift groups."""
        return sum(g.agents for g in self.shifts)

    @cached_property
    def on_duty(self) -> np.ndarray:
        """``D[p, d, i]``: agents of pool p on duty in interval i of day d (int64)."""
        duty = np.zeros((len(self.pool_names), self.grid.days, self.grid.intervals_per_day))
        for g in self.shifts:
            duty[self.pool_names.index(g.pool), g.day] += g.agents * g.duty(duty.shape[2])
        return duty.astype(np.int64)

    @cached_property
    def staffed(self) -> np.ndarray:
        """``S[q, d, i] = sum over p of a[p, q, d, i]``: agents answering queue q (int64)."""
        return self.allocation.sum(axis=0)

    def paid_hours_by_pool(self) -> dict[str, float]:
        """Paid hours per pool, every pool of the plan listed (0.0 when it works none)."""
        hours = dict.fromkeys(self.pool_names, 0.0)
        for g in self.shifts:
            hours[g.pool] += g.paid_hours
        return hours


def breaks_label(grid: TimeGrid, group: ShiftGroup) -> str:
    """A group's breaks as ``"HH:MM-HH:MM;..."`` (``""`` without breaks)."""
    return ";".join(
        f"{grid.clock_at(group.start + offset)}-{grid.clock_at(group.start + offset + length)}"
        for offset, length in group.breaks
    )


def shifts_table(plan: Plan) -> pd.DataFrame:
    """The plan's shift groups as the ``shifts`` table (:data:`SHIFT_COLUMNS`), in plan order."""
    grid = plan.grid
    rows = [
        (
            grid.dates[g.day],
            g.pool,
            g.template,
            grid.clock_at(g.start),
            grid.clock_at(g.end),
            breaks_label(grid, g),
            g.agents,
            g.paid_hours,
        )
        for g in plan.shifts
    ]
    return pd.DataFrame(rows, columns=list(SHIFT_COLUMNS))


def allocation_table(plan: Plan) -> pd.DataFrame:
    """The allocation as the ``allocation`` table (:data:`ALLOCATION_COLUMNS`): one row per pool,
    queue, day and interval with agents, ordered by day, interval start, pool and queue."""
    p, q, d, i = np.nonzero(plan.allocation)
    grid = plan.grid
    table = pd.DataFrame(
        {
            "day": np.array(grid.dates, dtype=object)[d],
            "interval_start": np.array(grid.interval_labels, dtype=object)[i],
            "pool": np.array(plan.pool_names, dtype=object)[p],
            "queue": np.array(plan.queue_names, dtype=object)[q],
            "agents": plan.allocation[p, q, d, i].astype(np.int64),
        },
        columns=list(ALLOCATION_COLUMNS),
    )
    return table.sort_values(["day", "interval_start", "pool", "queue"], ignore_index=True)


@dataclass(frozen=True)
class Violation:
    """A hard rule a plan breaks: the rule's name, where, and what is wrong."""

    rule: str
    where: str
    detail: str

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> Message:
        """``rule at where: detail``, translatable (``where`` and ``detail`` may be messages)."""
        return msg(
            "{rule} at {where}: {detail}", rule=self.rule, where=self.where, detail=self.detail
        )

    def in_words(self, words: Mapping[str, str]) -> Message:
        """``rule in words (rule): where: detail``, the rule's words from ``words`` (its name
        when absent there), as an edit's refusal says it."""
        return Message(
            "{words} ({rule}): {where}: {detail}",
            {
                "words": words.get(self.rule, self.rule),
                "rule": self.rule,
                "where": self.where,
                "detail": self.detail,
            },
        )


def refused(violations: Iterable[Violation], words: Mapping[str, str]) -> Message:
    """An edit refused, one line per violation (``refused: rest between shifts (min_rest):
    Aigerim Abenova, ...``), the rules named by ``words``; a message a page may translate."""
    return joined("\n", [msg("refused: {reason}", reason=v.in_words(words)) for v in violations])


@dataclass(frozen=True)
class ValidationReport:
    """The solver-free check of a plan against every hard rule."""

    violations: tuple[Violation, ...] = ()
    rules_checked: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.violations

    def summary(self) -> Message:
        """The check in words: ``valid: 14 hard rules checked, none broken``, or ``INVALID: 2
        violations`` and the first 20 of them, one a line."""
        if self.ok:
            return msg_n(
                "valid: {count} hard rule checked, none broken",
                "valid: {count} hard rules checked, none broken",
                count=len(self.rules_checked),
            )
        count = len(self.violations)
        lines = [msg_n("INVALID: {count} violation", "INVALID: {count} violations", count=count)]
        lines += [Message("  {violation}", {"violation": v.message}) for v in self.violations[:20]]
        if count > 20:
            lines.append(msg("  ... and {count} more", count=count - 20))
        return joined("\n", lines)


@dataclass(frozen=True)
class SolveReport:
    """How the solve went. Money amounts are in the scenario's cost units.

    ``status`` is CP-SAT's (``OPTIMAL``, ``FEASIBLE``, ``INFEASIBLE``, ``MODEL_INVALID``,
    ``UNKNOWN``); ``gap`` is ``|objective - best_bound| / max(|objective|, 1e-9)``. A long
    horizon may be solved as ``independent_parts`` separate weekly models
    (:mod:`planner.shiftplan.blocks`); the figures are then their sums and the status the worst.
    ``stopped`` says the search was ended by the caller (a Stop button), not by the time limit
    or by proving the gap.

    CP-SAT says ``OPTIMAL`` also when it stops at the relative-gap limit, so ``status`` alone
    does not say the plan is the best possible: :attr:`proved_optimal` does (``OPTIMAL`` with no
    gap left), and :attr:`quality_text` says how good the plan is in words for a manager.
    ``no_shifts_reason`` is set when the plan has no shift although the requirement asks for
    agents: the hard rules allow no shift at all (``conflicting_rules`` then names them).

    ``plan_source`` says where the plan comes from: ``"solver"`` (CP-SAT's search) or
    ``"greedy"`` (:data:`GREEDY_SOURCE`: the search ended with no plan, out of time or stopped
    by the user, in at least one part of the horizon, and that part's plan is the greedy
    heuristic's, not optimised). ``status`` then stays CP-SAT's (``UNKNOWN``), ``objective``
    is the plan's own, ``best_bound`` CP-SAT's if it proved one (else NaN, and no gap).
    """

    status: str
    objective: float
    best_bound: float
    gap: float
    solve_seconds: float
    first_solution_seconds: float | None
    solutions_found: int
    time_limit_seconds: float
    relative_gap_limit: float
    seed: int
    workers: int
    conflicting_rules: tuple[str, ...] = ()
    independent_parts: int = 1
    stopped: bool = False
    no_shifts_reason: str = ""
    reproducible: bool = False  # solver.reproducible: the deterministic limit ended the search
    plan_source: str = "solver"

    @property
    def has_plan(self) -> bool:
        """A plan to show: the search found one, or the greedy plan stands in for it."""
        return self.status in ("OPTIMAL", "FEASIBLE") or self.greedy

    @property
    def greedy(self) -> bool:
        """The plan (or a part of it) is the greedy heuristic's: the search found none."""
        return self.plan_source == GREEDY_SOURCE

    @property
    def proved_optimal(self) -> bool:
        """The plan is proved the best possible: ``OPTIMAL`` and no gap to the bound."""
        return self.status == "OPTIMAL" and self.gap == self.gap and self.gap <= PROVED_GAP

    @property
    def quality_text(self) -> str:
        """How good the plan is, in words for a manager (never "optimal" unless proved)."""
        return quality_text(self.status, self.gap, stopped=self.stopped, greedy=self.greedy)


GREEDY_SOURCE = "greedy"
""":attr:`SolveReport.plan_source` of a plan the greedy heuristic made where CP-SAT found none."""

PROVED_GAP = 1e-9
"""A gap at most this small is no gap: the plan is proved optimal."""


def quality_text(
    status: str, gap: float | None, *, stopped: bool = False, greedy: bool = False
) -> str:
    """A solve's ending in words for a manager, from CP-SAT's ``status`` and the ``gap``.

    ``"optimal (proved)"`` only when the status is ``OPTIMAL`` and the gap is none; an
    ``OPTIMAL`` that stopped at the gap limit is ``"within 0.6 % of the best possible plan
    (proved bound)"``; a plan found without proof says how far it may be from the best.
    ``greedy``: the plan is the greedy heuristic's, the search having found none
    (:attr:`SolveReport.plan_source`); said so, with the gap only where CP-SAT proved a bound.
    """
    known = gap is not None and gap == gap
    within = f"within {gap_percent(gap)} of the best possible" if known else ""
    if greedy and status not in ("INFEASIBLE", "MODEL_INVALID"):
        how = f"{within} (proved bound)" if known else "no gap is proved"
        if stopped:
            return f"stopped by you before the solver's first plan; {GREEDY_TEXT}; {how}"
        return f"{GREEDY_TEXT}: the solver found no plan in the time limit; {how}"
    if status == "OPTIMAL" and known and gap <= PROVED_GAP:
        text = "optimal (proved)"
    elif status == "OPTIMAL":
        text = f"{within} plan (proved bound)" if known else "within the gap limit (proved)"
    elif status == "FEASIBLE":
        text = "best plan found in the time limit" + (f"; {within}" if known else "")
    elif status == "INFEASIBLE":
        return "no plan exists: the rules conflict"
    elif status == "MODEL_INVALID":
        return "no plan: the model is invalid (a bug; please report it)"
    else:
        text = "no plan found in the time limit"
    if stopped:
        if status in ("OPTIMAL", "FEASIBLE"):
            return f"stopped by you; best plan so far, {within}" if known else "stopped by you"
        return "stopped by you; no plan found yet"
    return text


GREEDY_TEXT = "a first (greedy) plan, not optimised"
"""How :func:`quality_text` names a plan of :data:`GREEDY_SOURCE`."""


def gap_percent(gap: float) -> str:
    """A gap as a percentage for a manager (``1.0 %``): one decimal, more when it would read
    0.0. The one way a gap is shown (:func:`planner.present.formats.gap`)."""
    share = 100 * gap
    for digits in (1, 2, 3):
        if round(share, digits) > 0:
            return f"{share:.{digits}f} %"
    return "0.001 %"


@dataclass(frozen=True)
class LineCheck:
    """One line's promise against a simulation of the plan under the scenario's routing.

    ``promised_before``: the formulas' service level over the horizon with the split the
    search chose; ``promised``: with the split after the check; ``simulated`` and
    ``simulated_ci95``: the simulation's mean and its 95 % half-width.
    """

    queue: str
    promised_before: float
    promised: float
    simulated: float
    simulated_ci95: float

    @property
    def confirmed(self) -> bool:
        """The promise is at most the simulated figure less its half-width."""
        return self.promised <= self.simulated - self.simulated_ci95 + 1e-9


@dataclass(frozen=True)
class SplitCheck:
    """How the plan's split of shared agents was checked by a simulation of the plan
    (:mod:`planner.shiftplan.split_check`).

    ``moved``: agent-intervals moved from one line to another (whole routing blocks);
    ``skipped``: why the plan was not checked (empty when it was; ``lines`` is then empty).
    """

    routing: str
    replications: int
    seed: int
    shrinkage: str
    moved: int = 0
    lines: tuple[LineCheck, ...] = ()
    skipped: str = ""

    @property
    def confirmed(self) -> bool:
        """Checked, and every line's promise confirmed."""
        return not self.skipped and all(line.confirmed for line in self.lines)


@dataclass(frozen=True)
class PlanResult:
    """A plan with everything a manager reads from it.

    Attributes
    ----------
    scenario_name : str
    plan : Plan
        The plan itself (see the module docstring); ``shifts`` and ``allocation`` are its
        tables, rendered once on first use, for display and files.
    coverage : pandas.DataFrame
        Per queue and interval, columns :data:`COVERAGE_COLUMNS` (and more).
    kpis_daily : pandas.DataFrame
        Per queue and day: calls, service level, abandonment, ASA, understaffed intervals, peak
        agents.
    kpis : PlanKpis
        Horizon totals and per-queue summaries (see :func:`planner.evaluate.plan_kpis`).
    solve : SolveReport
    penalties : dict of str to float
        The objective split by term: ``cost`` and each soft rule's penalty, in cost units.
    validation : ValidationReport
    split_check : SplitCheck or None
        The promise per line checked by simulation under the scenario's routing of shared
        agents; None where there is nothing to check (no pool shared between open lines, or
        ``plan_split`` routing: the split is then where the agents work).
    """

    scenario_name: str
    plan: Plan
    coverage: pd.DataFrame
    kpis_daily: pd.DataFrame
    kpis: PlanKpis
    solve: SolveReport
    penalties: dict[str, float] = field(default_factory=dict)
    validation: ValidationReport = ValidationReport()
    split_check: SplitCheck | None = None

    @cached_property
    def shifts(self) -> pd.DataFrame:
        """The plan's shifts table (:func:`shifts_table`)."""
        return shifts_table(self.plan)

    @cached_property
    def allocation(self) -> pd.DataFrame:
        """The plan's allocation table (:func:`allocation_table`)."""
        return allocation_table(self.plan)
