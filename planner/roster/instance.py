"""The rostering problem as integers: operators, the planned shifts to give them, the limits.

Nothing here knows about the solver (the roster validator and the unassigned-shift reasons use
it too). Days are horizon day indices, times are minutes after midnight, hours are paid minutes.

Planned shifts that are interchangeable for an operator (same day, pool, template, start and
end) form one :class:`ShiftKind` with a count: the model decides how many of each kind every
operator takes (0 or 1), never which of two identical shifts, so there is no symmetry between
identical shifts. Breaks do not matter to any labour rule here; the planned break times of a
kind are handed out to its operators when the roster is written.

Weeks are 7-day blocks counted from the horizon start (days 1-7, 8-14, ...), as in the shift
plan's weekly hours cap; a last block shorter than a week counts the days after the horizon as
days off (so it keeps the whole weekly hours and needs only the days off it can still give).
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from planner.domain.operators import Operator
from planner.domain.plan import Plan, breaks_label
from planner.domain.scenario import Scenario
from planner.labour import (
    Overtime,
    is_long,
    min_rest_minutes,
    overtime_rules,
    weekly_cap_minutes,
    work_days_per_block,
)
from planner.timegrid import TimeGrid, clock_label

__all__ = [
    "OBJECTIVE_SCALE",
    "RosterInstance",
    "RosterWeights",
    "ShiftKind",
    "build_roster_instance",
    "fair_targets",
    "units",
    "units_per_minute",
    "with_rostered_targets",
]

OBJECTIVE_SCALE = 60
"""The solver's objective is points x 60 (an hour weight then costs whole units per minute)."""

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class RosterWeights:
    """Weights of the soft rules, in points. Points rank wishes; they are not money.

    The roster is solved lexicographically (:mod:`planner.roster.assign`): first the fewest
    unassigned shifts (``unassigned_shift`` per shift, then ``unassigned_paid_hour`` per paid
    hour among rosters with as few, so short shifts are left before long ones), then the
    wishes with that coverage kept. The wish weights rank the wishes among themselves.
    """

    unassigned_shift: float = 10000.0
    unassigned_paid_hour: float = 100.0
    hours_off_target_per_hour: float = 10.0
    weekend_spread_per_shift: float = 50.0
    late_spread_per_shift: float = 20.0
    preferred_day_off_worked: float = 40.0
    start_outside_window: float = 20.0
    unpaired_days_off_per_week: float = 30.0
    late_shift_hours_before_close: float = 2.0
    """Not a weight: a shift is *late* when it ends later than this before the window closes
    (with 09:00-21:00, a shift ending after 19:00)."""

    def points(self, name: str) -> int:
        """A weight as integer objective units (points x :data:`OBJECTIVE_SCALE`)."""
        return units(getattr(self, name))


def units(points: float) -> int:
    """Points as the solver's integer objective units."""
    return round(points * OBJECTIVE_SCALE)


def units_per_minute(points_per_hour: float) -> int:
    """A weight in points per hour as objective units per minute (rounded)."""
    return round(points_per_hour * OBJECTIVE_SCALE / 60)


@dataclass(frozen=True)
class ShiftKind:
    """Interchangeable planned shifts: same day, pool, template, start and end.

    ``breaks`` lists the planned break times of these shifts with how many shifts have each
    (``"HH:MM-HH:MM;..."``, in the plan's format); ``count`` is their total.
    """

    index: int
    day: int
    pool: int
    template: str
    start: int
    end: int
    paid_minutes: int
    count: int
    breaks: tuple[tuple[str, int], ...]
    long: bool
    late: bool
    weekend: bool

    @property
    def span_minutes(self) -> int:
        return self.end - self.start

    def label(self, grid: TimeGrid, pool_names: Sequence[str]) -> str:
        return (
            f"{grid.dates[self.day].isoformat()} {pool_names[self.pool]} {self.template} "
            f"{clock_label(self.start)}-{clock_label(self.end)}"
        )


@dataclass(frozen=True)
class RosterInstance:
    """Everything the roster model, its greedy start and its reports need.

    Arrays over operators are indexed in the order of ``operators``; ``(O, D)`` arrays are
    operators x horizon days.
    """

    scenario: Scenario
    grid: TimeGrid
    operators: tuple[Operator, ...]
    pool_names: tuple[str, ...]
    kinds: tuple[ShiftKind, ...]
    operator_pool: np.ndarray  # (O,) pool index
    available: np.ndarray  # (O, D) bool
    prefers_off: np.ndarray  # (O, D) bool
    weekly_cap_minutes: np.ndarray  # (O,) paid minutes per block at most
    max_shift_minutes: np.ndarray  # (O,) longest span, the labour limit included
    target_minutes: np.ndarray  # (O,) fair share of the pool's paid minutes (see fair_targets)
    eligible: dict[int, tuple[int, ...]]  # kind -> operators who may take it (pool, skills, ...)
    blocks: tuple[tuple[int, int], ...]  # (first day, last day + 1) of each week
    work_days_per_block: tuple[int, ...]  # most days an operator may work in each week
    min_rest_minutes: int
    max_consecutive_days: int
    long_rule: bool  # never two long shifts on consecutive days
    weekend: np.ndarray  # (D,) bool: Saturday or Sunday
    weights: RosterWeights = field(default_factory=RosterWeights)

    @property
    def days(self) -> int:
        return self.grid.days

    def block_of(self, day: int) -> int:
        return self.grid.week_of(day)

    @cached_property
    def kinds_by_day(self) -> dict[int, tuple[ShiftKind, ...]]:
        out = defaultdict(list)
        for k in self.kinds:
            out[k.day].append(k)
        return {d: tuple(ks) for d, ks in out.items()}

    @cached_property
    def options(self) -> dict[int, tuple[ShiftKind, ...]]:
        """Per operator, the kinds they may take (by pool, skills, availability, length)."""
        out = defaultdict(list)
        for k in self.kinds:
            for o in self.eligible[k.index]:
                out[o].append(k)
        return {o: tuple(out.get(o, ())) for o in range(len(self.operators))}

    @cached_property
    def overtime(self) -> Overtime:
        """The overtime rules on the horizon's weeks (:func:`planner.labour.overtime_rules`)."""
        return overtime_rules(self.scenario)

    @cached_property
    def overtime_allowance(self) -> np.ndarray:
        """``(O, periods)``: overtime minutes each operator may still work in each month and
        year of :attr:`overtime` (:meth:`planner.labour.Overtime.allowance`)."""
        rows = [self.overtime.allowance(op) for op in self.operators]
        return np.array(rows, dtype=np.int64).reshape(len(self.operators), -1)

    @cached_property
    def overtime_possible(self) -> bool:
        """Whether any operator's weekly hours exceed the normal week (else no overtime rule
        can bind)."""
        return bool((self.weekly_cap_minutes > self.overtime.normal_minutes).any())

    def rest_minutes(self, first: ShiftKind, second: ShiftKind) -> int:
        """Minutes from the end of ``first`` to the start of ``second`` (a later day)."""
        return (second.day - first.day) * MINUTES_PER_DAY + second.start - first.end

    @cached_property
    def rest_horizon_days(self) -> int:
        """How many days ahead a shift can still be too close to rest after it."""
        return max(1, math.ceil(self.min_rest_minutes / MINUTES_PER_DAY))

    def day_label(self, day: int) -> str:
        return self.grid.dates[day].isoformat()

    def week_label(self, block: int) -> str:
        first, stop = self.blocks[block]
        return f"week {block + 1} ({self.day_label(first)}..{self.day_label(stop - 1)})"


def build_roster_instance(
    scenario: Scenario,
    operators: Sequence[Operator],
    plan: Plan,
    weights: RosterWeights | None = None,
) -> RosterInstance:
    """The roster instance for a plan's shifts.

    Parameters
    ----------
    scenario : Scenario
    operators : sequence of Operator
        Validated against ``scenario`` (:mod:`planner.io.operators_file`).
    plan : Plan
    weights : RosterWeights, optional
    """
    weights = weights or RosterWeights()
    grid = scenario.grid
    labour = scenario.labour
    operators = tuple(operators)
    pool_names = tuple(p.name for p in scenario.pools)
    kinds = _shift_kinds(scenario, plan, pool_names, weights)

    n_ops, n_days = len(operators), grid.days
    operator_pool = np.array([pool_names.index(op.pool) for op in operators], dtype=np.int64)
    available = np.ones((n_ops, n_days), dtype=bool)
    prefers_off = np.zeros((n_ops, n_days), dtype=bool)
    for o, op in enumerate(operators):
        away = set(op.days_unavailable)
        for d, day in enumerate(grid.dates):
            available[o, d] = day not in away
            prefers_off[o, d] = op.prefers_off(day)
    weekly_cap = np.array(
        [weekly_cap_minutes(op.contract_hours_per_week) for op in operators], dtype=np.int64
    )
    max_shift = np.array(
        [
            math.floor(min(op.max_shift_hours, labour.max_shift_hours) * 60 + 1e-9)
            for op in operators
        ],
        dtype=np.int64,
    )
    open_skills = _open_skills(scenario)
    skilled: dict[frozenset, np.ndarray] = {}  # who holds every one of these skills
    eligible = {}
    for k in kinds:
        needed = frozenset(open_skills[(k.pool, k.day)])
        if needed not in skilled:
            skilled[needed] = np.array([needed <= set(op.skills) for op in operators], dtype=bool)
        ok = (
            (operator_pool == k.pool)
            & available[:, k.day]
            & (k.span_minutes <= max_shift)
            & skilled[needed]
        )
        eligible[k.index] = tuple(np.flatnonzero(ok).tolist())
    planned = np.zeros(len(pool_names))
    for k in kinds:
        planned[k.pool] += k.count * k.paid_minutes
    blocks = grid.weeks
    work_days = work_days_per_block(blocks, labour)
    return RosterInstance(
        scenario=scenario,
        grid=grid,
        operators=operators,
        pool_names=pool_names,
        kinds=kinds,
        operator_pool=operator_pool,
        available=available,
        prefers_off=prefers_off,
        weekly_cap_minutes=weekly_cap,
        max_shift_minutes=max_shift,
        target_minutes=fair_targets(operators, operator_pool, available, planned),
        eligible=eligible,
        blocks=blocks,
        work_days_per_block=work_days,
        min_rest_minutes=min_rest_minutes(labour),
        max_consecutive_days=labour.max_consecutive_days,
        long_rule=labour.no_consecutive_long_shifts,
        weekend=np.array([wd in ("sat", "sun") for wd in grid.weekdays], dtype=bool),
        weights=weights,
    )


def _open_skills(scenario: Scenario) -> dict[tuple[int, int], set[str]]:
    """Per (pool, day), the pool's queues open that day: an operator working the pool's shift
    may be allocated to any of them, so needs every one of these skills."""
    is_open = scenario.open_matrix()
    return {
        (p, d): {q for q in pool.skills if is_open[q][d]}
        for p, pool in enumerate(scenario.pools)
        for d in range(scenario.grid.days)
    }


def _shift_kinds(
    scenario: Scenario, plan: Plan, pool_names: tuple[str, ...], weights: RosterWeights
) -> tuple[ShiftKind, ...]:
    """The plan's shift groups as kinds: groups of one day, pool, template, start and end are
    one kind, whatever their breaks (each shift keeps its own breaks)."""
    grid = scenario.grid
    labour = scenario.labour
    late_after = grid.window_end_minute - weights.late_shift_hours_before_close * 60
    step, first = grid.interval_minutes, grid.window_start_minute
    groups: dict[tuple, dict] = {}
    for g in plan.shifts:
        key = (g.day, pool_names.index(g.pool), g.template, first + g.start * step)
        key += (first + g.end * step,)
        group = groups.setdefault(key, {"count": 0, "breaks": defaultdict(int), "paid": 0})
        group["count"] += g.agents
        group["breaks"][breaks_label(grid, g)] += g.agents
        group["paid"] = g.paid_minutes
    kinds = []
    for (day, pool, template, start, end), group in sorted(groups.items()):
        kinds.append(
            ShiftKind(
                index=len(kinds),
                day=day,
                pool=pool,
                template=template,
                start=start,
                end=end,
                paid_minutes=group["paid"],
                count=group["count"],
                breaks=tuple(sorted(group["breaks"].items())),
                long=is_long(end - start, labour),
                late=end > late_after + 1e-9,
                weekend=grid.weekdays[day] in ("sat", "sun"),
            )
        )
    return tuple(kinds)


def fair_targets(
    operators: Sequence[Operator],
    operator_pool: np.ndarray,
    available: np.ndarray,
    minutes_per_pool: np.ndarray,
) -> np.ndarray:
    """Each operator's fair share of their pool's paid minutes.

    An operator's capacity is their contract over the days they are available,
    ``c_o = 60 contract_o x available_days_o / 7`` minutes. The pool's paid minutes ``P_p`` are
    shared in proportion to capacity, never above it: ``T_o = min(1, P_p / sum_{o in p} c_o)
    c_o``. When the pool's shifts need every contract hour, the target is the contract itself.
    """
    capacity = np.array(
        [op.contract_hours_per_week * 60 * available[o].sum() / 7 for o, op in enumerate(operators)]
    )
    targets = np.zeros(len(operators))
    for p, planned in enumerate(minutes_per_pool):
        mine = operator_pool == p
        total = capacity[mine].sum()
        share = min(1.0, planned / total) if total > 0 else 0.0
        targets[mine] = share * capacity[mine]
    return np.rint(targets).astype(np.int64)


def with_rostered_targets(inst: RosterInstance, shift_of: np.ndarray) -> RosterInstance:
    """The instance with targets shared from the paid minutes a roster gives each pool.

    Targets from the *planned* minutes put every operator under target when some shifts cannot
    be rostered, and the sum of deviations no longer depends on who works what; sharing the
    *rostered* minutes keeps the hours rule about balance.
    """
    minutes = np.zeros(len(inst.pool_names))
    for o, row in enumerate(shift_of):
        minutes[inst.operator_pool[o]] += sum(inst.kinds[k].paid_minutes for k in row if k >= 0)
    targets = fair_targets(inst.operators, inst.operator_pool, inst.available, minutes)
    return dataclasses.replace(inst, target_minutes=targets)
