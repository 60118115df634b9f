"""A shift manager's edits to a plan's shift groups, each checked at once against the hard rules.

A plan says how many agents of a pool work a shift (a template at a start) on a day, with their
breaks: its :class:`~planner.domain.plan.ShiftGroup`\\ s. An edit is a small frozen record:
:class:`SetAgents` (more or fewer agents on a group; none removes it), :class:`MoveGroup`
(the group's agents start at another time, same template, breaks moved with them) and
:class:`LockShift` (keep the agents of the group's shift, its day, pool, template and start,
when re-optimising; again to unlock). :func:`apply_plan_edit` applies one to an
:class:`EditedPlan` and returns a :class:`PlanEditOutcome`: the new plan with its KPIs
recomputed by the formulas (:func:`planner.evaluate.plan_result`), or a refusal naming the
rules the edit would break, in the user's words, from the solver-free validator
(:func:`planner.validate.plan.validate_plan`, the specification). An edit is refused for the
violations it brings, not for those the plan had before.

The edited pool's day is split between its lines again (:func:`follow_duty`): as near the
split before as the routing blocks allow (nobody changes line inside a block).
:func:`reoptimise` solves the plan again keeping every locked shift
(:func:`planner.shiftplan.locks.reoptimise_around_locks`).

:class:`EditedPlan` is immutable; :meth:`EditedPlan.undo` returns the state before the last edit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner.demand import build_demand
from planner.domain.plan import Plan, PlanResult, ShiftGroup, Violation, refused
from planner.domain.scenario import Scenario
from planner.evaluate import plan_result
from planner.messages import Message, msg
from planner.shiftplan.locks import ShiftKey, locked_shape, reoptimise_around_locks, shift_key
from planner.staffing import build_requirement
from planner.timegrid import clock_label, parse_clock

__all__ = [
    "PLAN_RULE_WORDS",
    "EditedPlan",
    "LockShift",
    "MoveGroup",
    "PlanEdit",
    "PlanEditOutcome",
    "SetAgents",
    "apply_plan_edit",
    "describe_plan_edit",
    "follow_duty",
    "group_label",
    "locks_kept",
    "reoptimise",
]

PLAN_RULE_WORDS = {
    "table_values": msg("readable values"),
    "template_allowed": msg("shift templates of the pool"),
    "shift_start_allowed": msg("shift start window"),
    "breaks_in_windows": msg("break windows"),
    "paid_hours_consistent": msg("paid hours"),
    "pool_works_open_days": msg("open days"),
    "daily_headcount": msg("headcount"),
    "weekly_paid_hours": msg("weekly hours"),
    "pool_working_days": msg("days off a week"),
    "pool_consecutive_days": msg("days worked in a row"),
    "pool_shifts_within_weekly_hours": msg("weekly hours of each operator"),
    "pool_long_shift_pairs": msg("no long shifts in a row"),
    "pool_overtime_per_day": msg("overtime a day"),
    "pool_overtime_per_month": msg("overtime a month"),
    "pool_overtime_per_year": msg("overtime a year"),
    "part_time_share": msg("part-time share"),
    "allocation_matches_duty": msg("agents on duty answer a line"),
    "allocation_skills": msg("skills"),
    "allocation_blocks": msg("line changes inside a routing block"),
    "closed_queue_unstaffed": msg("closed lines"),
    "queue_min_agents": msg("minimum agents on a line"),
    "coverage_consistent": msg("coverage"),
    "locked": msg("locked shift"),
    "no_shift": msg("no such shift group"),
}
"""Each plan rule's name as the page says it (the validator's names, and the editor's own)."""


@dataclass(frozen=True)
class SetAgents:
    """``agents`` agents on ``group`` instead of its own (0 removes the group)."""

    group: ShiftGroup
    agents: int


@dataclass(frozen=True)
class MoveGroup:
    """``group``'s agents start at ``start`` (``"HH:MM"``): same template, length and breaks
    (moved with the shift)."""

    group: ShiftGroup
    start: str


@dataclass(frozen=True)
class LockShift:
    """Keep the agents of ``group``'s shift (its day, pool, template and start) when
    re-optimising; applied to a locked shift, unlock it."""

    group: ShiftGroup


PlanEdit = SetAgents | MoveGroup | LockShift


@dataclass(frozen=True)
class Reoptimised:
    """The log's entry of a re-optimisation around the locks (undo returns the plan before)."""

    status: str
    kept: int
    locks: int


@dataclass(frozen=True)
class EditedPlan:
    """A plan under edit: the plan evaluated, the locked shifts and the log of edits.

    ``result`` is the plan as edited with its coverage, KPIs and check; ``requirement`` the
    scenario's (computed once); ``history`` the earlier states (for undo).
    """

    scenario: Scenario
    result: PlanResult
    requirement: pd.DataFrame = field(repr=False)
    locks: frozenset[ShiftKey] = frozenset()
    log: tuple[PlanEdit | Reoptimised, ...] = ()
    history: tuple[EditedPlan, ...] = field(default=(), repr=False)

    @classmethod
    def start(cls, scenario: Scenario, result: PlanResult) -> EditedPlan:
        """Edits of a solved (or reopened) plan of ``scenario``."""
        return cls(scenario, result, build_requirement(scenario, build_demand(scenario)))

    @property
    def plan(self) -> Plan:
        return self.result.plan

    def undo(self) -> EditedPlan:
        """The state before the last edit (this state when nothing was edited)."""
        return self.history[-1] if self.history else self

    def day_text(self, day: int) -> str:
        return self.scenario.grid.dates[day].isoformat()

    def groups_of(self, day: int) -> list[ShiftGroup]:
        """The plan's groups on ``day``, by pool, start and template."""
        groups = [g for g in self.plan.shifts if g.day == day]
        return sorted(groups, key=lambda g: (g.pool, g.start, g.template, g.breaks))

    def locked_groups(self) -> tuple[ShiftGroup, ...]:
        """The groups on a locked shift (what a re-optimisation keeps)."""
        return tuple(g for g in self.plan.shifts if shift_key(g) in self.locks)

    def is_locked(self, group: ShiftGroup) -> bool:
        return shift_key(group) in self.locks


@dataclass(frozen=True)
class PlanEditOutcome:
    """An edit accepted (``state`` is the new plan) or refused (``state`` is unchanged).

    ``rules`` names the rules broken (validator names), ``message`` says it in words; an
    accepted edit's KPIs are ``state.result.kpis`` (and the plan before it ``before``).
    """

    accepted: bool
    state: EditedPlan
    message: Message
    rules: tuple[str, ...] = ()
    before: PlanResult | None = None


def apply_plan_edit(state: EditedPlan, edit: PlanEdit) -> PlanEditOutcome:
    """Apply one edit, check the plan against every hard rule, and recompute its KPIs.

    Refused (``accepted`` False, the state unchanged) when the group is not in the plan
    (``no_shift``), its shift is locked (``locked``: unlock it first), or the edited plan
    breaks a hard rule it did not break before (the rules named, e.g. ``daily_headcount``,
    ``weekly_paid_hours``, ``shift_start_allowed``).
    """
    if edit.group not in state.plan.shifts:
        return _refuse(state, [_missing(state, edit.group)])
    if isinstance(edit, LockShift):
        new = replace(
            state,
            locks=state.locks ^ {shift_key(edit.group)},
            log=(*state.log, edit),
            history=(*state.history, state),
        )
        return PlanEditOutcome(
            True, new, msg("accepted: {edit}", edit=describe_plan_edit(state, edit))
        )
    if state.is_locked(edit.group):
        where = group_label(state.scenario, edit.group)
        locked = msg("its shift is locked; unlock it first")
        return _refuse(state, [Violation("locked", where, locked)])
    try:
        shifts = _edited_shifts(state, edit)
    except _Refused as refusal:
        return _refuse(state, [refusal.violation])
    plan = _with_shifts(state.scenario, state.plan, shifts, edit.group)
    result = plan_result(state.scenario, plan, state.requirement, state.result.solve)
    before = set(state.result.validation.violations)
    broken = [v for v in result.validation.violations if v not in before]
    if broken:
        return _refuse(state, broken)
    new = replace(state, result=result, log=(*state.log, edit), history=(*state.history, state))
    message = msg("accepted: {edit}", edit=describe_plan_edit(state, edit))
    return PlanEditOutcome(True, new, message, (), state.result)


def reoptimise(
    state: EditedPlan,
    *,
    time_limit_seconds: float = 10.0,
    stop: threading.Event | None = None,
) -> PlanEditOutcome:
    """Solve the plan again keeping every locked shift, starting from the plan as edited.

    Accepted when the solver found a plan (it keeps every lock: they are constraints of the
    model); refused, the state unchanged, when it found none in time or the locks contradict
    the hard rules.
    """
    locked = state.locked_groups()
    result = reoptimise_around_locks(
        state.scenario, state.plan, locked, time_limit_seconds=time_limit_seconds, stop=stop
    )
    if not result.solve.has_plan:
        violation = Violation(
            "locked",
            msg("re-optimisation"),
            msg(
                "no plan keeping the {count} locked shift(s) found ({status})",
                count=len(state.locks),
                status=result.solve.status,
            ),
        )
        return _refuse(state, [violation])
    kept = locks_kept(state.locked_groups(), result.plan)
    entry = Reoptimised(result.solve.status, kept, len(state.locks))
    new = replace(state, result=result, log=(*state.log, entry), history=(*state.history, state))
    message = msg(
        "re-optimised around the locks: {kept} of {locks} locked shift(s) kept; {quality}",
        kept=kept,
        locks=len(state.locks),
        quality=result.solve.quality_text,
    )
    return PlanEditOutcome(True, new, message, (), state.result)


def locks_kept(locked: tuple[ShiftGroup, ...], plan: Plan) -> int:
    """How many locked shifts ``plan`` has exactly as locked: agents and their breaks."""
    wanted = locked_shape(locked)
    got = locked_shape(g for g in plan.shifts if shift_key(g) in wanted)
    return sum(got.get(key) == shape for key, shape in wanted.items())


def group_label(scenario: Scenario, group: ShiftGroup) -> Message:
    """A group in words: ``"2022-01-10 borrowed full_8h 09:00-17:00 (breaks 12:00-12:30)"``
    (a message a page may translate)."""
    grid = scenario.grid
    shift = {
        "day": grid.dates[group.day].isoformat(),
        "pool": group.pool,
        "template": group.template,
        "start": grid.clock_at(group.start),
        "end": grid.clock_at(group.end),
    }
    breaks = ", ".join(
        f"{grid.clock_at(group.start + o)}-{grid.clock_at(group.start + o + n)}"
        for o, n in group.breaks
    )
    if breaks:
        return msg(
            "{day} {pool} {template} {start}-{end} (breaks {breaks})", breaks=breaks, **shift
        )
    return Message("{day} {pool} {template} {start}-{end}", shift)


def describe_plan_edit(state: EditedPlan, edit: PlanEdit | Reoptimised) -> Message:
    """An edit in words (``"2022-01-10 borrowed full_8h 09:00-17:00: 5 -> 7 agents"``), a
    message a page may translate."""
    if isinstance(edit, Reoptimised):
        return msg(
            "re-optimised around the locks ({kept} of {locks} kept, {status})",
            kept=edit.kept,
            locks=edit.locks,
            status=edit.status,
        )
    where = group_label(state.scenario, edit.group)
    if isinstance(edit, SetAgents):
        return msg(
            "{where}: {before} -> {agents} agents",
            where=where,
            before=edit.group.agents,
            agents=edit.agents,
        )
    if isinstance(edit, MoveGroup):
        return msg(
            "{where}: {agents} agents start at {start}",
            where=where,
            agents=edit.group.agents,
            start=edit.start,
        )
    return msg("{where}: shift lock toggled", where=where)


# --------------------------------------------------------------------------------------------------
# Applying an edit
# --------------------------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, violation: Violation):
        super().__init__(str(violation))
        self.violation = violation


def _missing(state: EditedPlan, group: ShiftGroup) -> Violation:
    return Violation(
        "no_shift", group_label(state.scenario, group), msg("the plan has no such shift group")
    )


def _edited_shifts(state: EditedPlan, edit: SetAgents | MoveGroup) -> list[ShiftGroup]:
    """The plan's groups after the edit (a moved group joins an equal one at its new start)."""
    shifts = [g for g in state.plan.shifts if g != edit.group]
    where = group_label(state.scenario, edit.group)
    if isinstance(edit, SetAgents):
        if edit.agents < 0:
            raise _Refused(
                Violation(
                    "table_values",
                    where,
                    msg("agents = {agents}: must be 0 or more", agents=edit.agents),
                )
            )
        if edit.agents > 0:
            shifts.append(replace(edit.group, agents=edit.agents))
        return shifts
    moved = replace(edit.group, start=_start_interval(state.scenario, edit.group, edit.start))
    same = next((g for g in shifts if replace(g, agents=moved.agents) == moved), None)
    if same is not None:
        shifts.remove(same)
        moved = replace(moved, agents=moved.agents + same.agents)
    shifts.append(moved)
    return shifts


def _start_interval(scenario: Scenario, group: ShiftGroup, start: str) -> int:
    """The interval a new start falls on; refused when it is not a time, not on the grid, or
    puts the shift outside the operating window (``shift_start_allowed``)."""
    grid = scenario.grid
    where = group_label(scenario, group)
    window = f"{clock_label(grid.window_start_minute)}-{clock_label(grid.window_end_minute)}"
    try:
        minute = parse_clock(start)
    except ValueError:
        raise _Refused(
            Violation(
                "shift_start_allowed",
                where,
                msg("start '{start}' is not a time HH:MM", start=start),
            )
        ) from None
    offset = minute - grid.window_start_minute
    index = offset // grid.interval_minutes
    if offset % grid.interval_minutes or not 0 <= index <= grid.intervals_per_day - group.length:
        end = clock_label(minute + group.length * grid.interval_minutes)
        raise _Refused(
            Violation(
                "shift_start_allowed",
                where,
                msg(
                    "{start}-{end} does not start on an interval inside the operating window "
                    "{window} ({minutes}-minute intervals)",
                    start=start,
                    end=end,
                    window=window,
                    minutes=grid.interval_minutes,
                ),
            )
        )
    return int(index)


def _with_shifts(scenario: Scenario, plan: Plan, shifts: list[ShiftGroup], was: ShiftGroup):
    """The plan with these groups; the edited pool's day split between its lines again by
    :func:`follow_duty`."""
    order = {g: k for k, g in enumerate(plan.shifts)}
    shifts.sort(key=lambda g: (g.day, order.get(g, len(order))))
    p, d = plan.pool_names.index(was.pool), was.day
    pool, grid = scenario.pools[p], scenario.grid
    opened = scenario.open_matrix()
    queues = [
        q for q, name in enumerate(plan.queue_names) if name in pool.skills and opened[name][d]
    ]
    joining = np.zeros(grid.intervals_per_day, dtype=np.int64)
    leaving = np.zeros_like(joining)
    for g in shifts:
        if g.pool == was.pool and g.day == d:
            on = g.duty(grid.intervals_per_day).astype(np.int64)
            change = np.diff(on, prepend=0)
            joining += g.agents * np.maximum(change, 0)
            leaving += g.agents * np.maximum(-change, 0)
    step = max(scenario.routing.block_minutes // grid.interval_minutes, 1)
    allocation = plan.allocation.copy()
    before = plan.allocation[p, :, d, :]
    allocation[p, :, d, :] = follow_duty(before, joining, leaving, queues, step)
    return Plan(plan.grid, plan.pool_names, plan.queue_names, tuple(shifts), allocation)


def follow_duty(
    allocation: np.ndarray,
    joining: np.ndarray,
    leaving: np.ndarray,
    queues: list[int],
    step: int = 1,
) -> np.ndarray:
    """A pool's day's split between its lines after its shifts changed, kept as near the split
    before as the routing blocks allow.

    Parameters
    ----------
    allocation : numpy.ndarray, shape (queues, intervals)
        The split before (the target).
    joining, leaving : numpy.ndarray, shape (intervals,)
        The pool's agents coming on duty (shift starts, break ends) and going off duty (shift
        ends, break starts) at each interval, after the change.
    queues : list of int
        The lines the pool may answer that day (open, with the skill).
    step : int
        Intervals in a routing block (``routing.block_minutes`` over the interval).

    Returns
    -------
    numpy.ndarray, shape (queues, intervals)
        Agents per line and interval, summing to the agents on duty (the running sum of
        ``joining - leaving``). At the start of a block the split is the one before, scaled to
        the agents on duty (largest remainders); inside a block nobody changes line: agents
        going off duty leave the lines with more than before first, agents coming on duty go
        to the lines with fewer, so places are gained only by agents coming on duty (the rule
        ``allocation_blocks``).
    """
    out = np.zeros_like(allocation, dtype=np.int64)
    if not queues:
        return out
    busiest = sorted(queues, key=lambda q: -int(allocation[q].sum()))
    current = np.zeros(allocation.shape[0], dtype=np.int64)
    for i in range(allocation.shape[1]):
        on_duty = int(current.sum() + joining[i] - leaving[i])
        target = allocation[:, i]
        if i % step == 0:
            current = _scaled(target, on_duty, busiest)
        else:
            for _ in range(int(leaving[i])):  # off duty: from the line most above its target
                q = max(busiest, key=lambda r: (current[r] > 0, current[r] - target[r]))
                current[q] -= 1
            for _ in range(int(joining[i])):  # on duty: to the line most below its target
                q = max(busiest, key=lambda r: target[r] - current[r])
                current[q] += 1
        out[:, i] = current
    return out


def _scaled(target: np.ndarray, total: int, queues: list[int]) -> np.ndarray:
    """``total`` agents split between ``queues`` in the proportions of ``target`` (largest
    remainders; all on the first queue when ``target`` has none)."""
    out = np.zeros_like(target, dtype=np.int64)
    weights = target[queues].astype(float)
    if weights.sum() <= 0:
        out[queues[0]] = total
        return out
    share = weights * total / weights.sum()
    whole = np.floor(share).astype(np.int64)
    order = np.argsort(-(share - whole), kind="stable")
    whole[order[: total - int(whole.sum())]] += 1
    out[queues] = whole
    return out


def _refuse(state: EditedPlan, broken: list[Violation]) -> PlanEditOutcome:
    rules = tuple(dict.fromkeys(v.rule for v in broken))
    return PlanEditOutcome(False, state, refused(broken, PLAN_RULE_WORDS), rules)
