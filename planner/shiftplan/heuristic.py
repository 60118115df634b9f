"""A fast greedy plan, given to CP-SAT as a solution hint so a first plan exists at once.

Day by day, it repeatedly adds the one shift (pool, template, start) whose agent would cover the
most still-uncovered agent-intervals of the queues its pool serves, net of its cost, within the
day's headcount and a daily ration of the week's hours; each added agent's breaks go where
coverage is most ample, and in each routing block (``routing.block_minutes``) the agent answers
the queue most short over the block's intervals it is on duty, so nobody changes line inside a
block.
It stops when no shift is worth its cost.

The ration keeps the greedy from spending a whole week's hours on Monday: a pool's remaining
weekly hours are shared among the remaining days of the week in proportion to what those days
require of the pool's queues (unused hours carry over).

In ``daily`` mode the agents to cover per interval are not the per-interval requirement but the
cheapest profile that meets each queue's daily target (:func:`daily_staffing_profile`).

It also keeps within what the labour rules let each pool work (:mod:`planner.labour`; the
model's ``pool_*`` rules), counting every shift it adds against each limit that weighs it.

The greedy respects every hard rule the model has, so the hinted plan is feasible; CP-SAT then
improves on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np

from planner.shiftplan.instance import DailyCurve, Instance, ShiftOption

__all__ = ["GreedyPlan", "daily_staffing_profile", "greedy_plan", "staffing_targets"]


class GreedyPlan:
    """Counts chosen by the greedy, keyed like the model's variables."""

    def __init__(self) -> None:
        self.starts: dict[int, int] = defaultdict(int)
        self.breaks: dict[tuple[int, int, int], int] = defaultdict(int)
        self.allocation: dict[tuple[int, int, int, int], int] = defaultdict(int)

    def staffed(self) -> dict[tuple[int, int, int], int]:
        """Agents answering each (queue, day, interval)."""
        total: dict[tuple[int, int, int], int] = defaultdict(int)
        for (_, q, d, i), agents in self.allocation.items():
            total[(q, d, i)] += agents
        return total


def staffing_targets(inst: Instance) -> np.ndarray:
    """Agents the greedy tries to have per (queue, day, interval)."""
    if inst.mode != "daily":
        return inst.required
    targets = np.zeros_like(inst.required)
    for (q, d), curve in inst.daily_curves.items():
        targets[q, d] = daily_staffing_profile(curve)
    return targets


def daily_staffing_profile(curve: DailyCurve) -> np.ndarray:
    """Fewest agents per interval meeting a queue-day's daily target (and the floor).

    Starts every interval at its floor, then repeatedly adds the agent that answers the most
    extra calls within T, until the day's target is met. For curves concave above the floor
    (as Erlang service curves are past the load), this marginal greedy is optimal for "fewest
    agent-intervals such that the answered calls reach the target".
    """
    rows = np.arange(curve.answered.shape[0])
    staff = np.minimum(curve.floor_agents, curve.top)
    total = int(curve.answered[rows, staff].sum())
    while total < curve.target:
        above = np.minimum(staff + 1, curve.top)
        gain = np.where(
            staff < curve.top, curve.answered[rows, above] - curve.answered[rows, staff], -1
        )
        best = int(np.argmax(gain))
        if gain[best] <= 0:
            break
        staff[best] += 1
        total += int(gain[best])
    return staff


def greedy_plan(inst: Instance) -> GreedyPlan:
    """Build the greedy plan for an instance (see the module docstring)."""
    plan = GreedyPlan()
    targets = staffing_targets(inst)
    by_day = defaultdict(list)
    for o in inst.options:
        by_day[o.day].append(o)
    minutes_left = dict(inst.weekly_cap_minutes)
    used = {"part": defaultdict(int), "all": defaultdict(int)}
    limits = _LimitsLeft(inst)
    demand = _pool_demand(inst, targets)
    for day in range(inst.days):
        if by_day.get(day):
            ration = _daily_ration(inst, day, minutes_left, demand)
            _plan_day(inst, day, by_day[day], targets, ration, minutes_left, used, limits, plan)
    return plan


def _pool_demand(inst: Instance, targets: np.ndarray) -> np.ndarray:
    """Agent-intervals each pool's open queues want, per pool and day."""
    demand = np.zeros((len(inst.pool_names), inst.days))
    for p in range(len(inst.pool_names)):
        for d in range(inst.days):
            queues = list(inst.open_skills(p, d))
            demand[p, d] = targets[queues, d, :].sum() if queues else 0.0
    return demand


def _daily_ration(inst: Instance, day: int, minutes_left: dict, demand: np.ndarray) -> np.ndarray:
    """Paid minutes each pool may use today: its week's remainder, shared by remaining demand."""
    block = inst.block_of(day)
    last = inst.grid.weeks[block][1]
    ration = np.zeros(len(inst.pool_names))
    for p in range(len(inst.pool_names)):
        ahead = demand[p, day:last].sum()
        share = demand[p, day] / ahead if ahead > 0 else 0.0
        ration[p] = minutes_left[(p, block)] * share
    return ration


class _LimitsLeft:
    """What each pool limit has left, as the greedy adds shifts (and the pools' monthly and
    yearly overtime: the paid minutes of each pool and week so far)."""

    def __init__(self, inst: Instance):
        self.left = np.array([limit.cap for limit in inst.work_limits], dtype=np.int64)
        self.terms: dict[int, list[tuple[int, int]]] = defaultdict(list)  # option -> (li, w)
        for li, counted in enumerate(inst.limit_terms):
            for o, weight in counted:
                self.terms[o.index].append((li, weight))
        self.inst = inst
        self.paid: dict[tuple[int, int], int] = defaultdict(int)  # (pool, week) -> minutes

    def fitting(self, options) -> Callable[[], np.ndarray]:
        """``check()``: whether one more agent on each of ``options`` keeps every limit as they
        stand when it is called, all options at once. What depends only on the options (each
        limit's weight on each, their pools, weeks and paid minutes) is arranged here, once per
        day, so each of the greedy's steps is a few array operations."""
        pairs = [(row, li, w) for row, o in enumerate(options) for li, w in self.terms[o.index]]
        rows, limits, weights = (
            (np.array(x, dtype=np.int64) for x in zip(*pairs, strict=True))
            if pairs
            else (np.zeros(0, np.int64),) * 3
        )
        pools = np.array([o.pool for o in options], dtype=np.int64)
        weeks = np.array([self.inst.block_of(o.day) for o in options], dtype=np.int64)
        paid = np.array([o.paid_minutes for o in options], dtype=float)
        caps = [
            (cap, k, (pools == cap.pool) & (weeks == w))
            for cap in self.inst.overtime_caps
            for k, w in enumerate(cap.weeks)
        ]
        caps = [(cap, k, mine) for cap, k, mine in caps if mine.any()]
        budgets = [
            (q, normal + budget, pools == q)
            for q, (normal, budget) in self.inst.overtime_budget.items()
        ]

        def check() -> np.ndarray:
            ok = np.ones(len(options), dtype=bool)
            ok[rows[self.left[limits] < weights]] = False
            # The pool's monthly and yearly overtime with one more agent: ``cap.overtime`` of
            # its paid minutes per week, this week's with the option's added.
            for cap, k, mine in caps:
                now = np.array([self.paid[(cap.pool, w)] for w in cap.weeks], dtype=float)
                beyond = now - np.array(cap.normal, dtype=float)
                others = np.maximum(0.0, np.delete(beyond, k)).sum()
                ok[mine] &= others + np.maximum(0.0, beyond[k] + paid[mine]) <= cap.cap
            # A week solved alone: the pool's paid minutes within its share of the caps.
            for q, most, mine in budgets:
                so_far = sum(m for (pool, _), m in self.paid.items() if pool == q)
                ok[mine] &= so_far + paid[mine] <= most
            return ok

        return check

    def take(self, o: ShiftOption) -> None:
        for li, w in self.terms.get(o.index, ()):
            self.left[li] -= w
        self.paid[(o.pool, self.inst.block_of(o.day))] += o.paid_minutes


def _plan_day(
    inst, day, options, targets, ration, minutes_left, used, limits: _LimitsLeft, plan: GreedyPlan
) -> None:
    n = inst.intervals
    open_today = inst.queue_open[:, day]
    residual = np.where(open_today[:, None], targets[:, day, :], 0).astype(np.int64)
    residual = np.maximum(residual, (inst.min_agents * open_today)[:, None])
    span = np.zeros((len(options), n), dtype=np.int64)
    for row, o in enumerate(options):
        span[row, o.start : o.end] = 1
    pools = np.array([o.pool for o in options])
    step = inst.grid.interval_minutes
    cost = np.array(
        [inst.cost_per_interval[o.pool] * o.paid_minutes // step for o in options], dtype=np.int64
    )
    paid = np.array([o.paid_minutes for o in options], dtype=float)
    part_time = np.array([o.part_time for o in options], dtype=bool)
    headcount_left = inst.headcount[:, day].astype(np.int64).copy()
    skills = [
        np.array(inst.open_skills(p, day), dtype=np.int64) for p in range(len(inst.pool_names))
    ]
    block = inst.block_of(day)
    spent = np.zeros(len(inst.pool_names))
    flexible: list[tuple[ShiftOption, np.ndarray]] = []
    fits = limits.fitting(options)
    while True:
        wanted = np.stack(
            [(residual[s].sum(axis=0) > 0) if s.size else np.zeros(n, bool) for s in skills]
        )
        gain = (span * wanted[pools]).sum(axis=1)
        week_left = np.array([minutes_left[(p, block)] for p in range(len(inst.pool_names))])
        allowed = (
            (gain > 0)
            & (headcount_left[pools] > 0)
            & (spent[pools] + paid <= ration[pools] + 1e-9)
            & (paid <= week_left[pools])
            & _part_time_allowed(inst, pools, part_time, used)
            & fits()
        )
        value = np.where(allowed, gain * inst.shortfall_weight - cost, -1)
        best = int(np.argmax(value))
        if value[best] <= 0:
            break
        o = options[best]
        duty = _add_agent(inst, o, span[best], skills[o.pool], residual, plan)
        if len(skills[o.pool]) > 1:
            flexible.append((o, duty))
        headcount_left[o.pool] -= 1
        spent[o.pool] += o.paid_minutes
        minutes_left[(o.pool, block)] -= o.paid_minutes
        limits.take(o)
        used["all"][o.pool] += 1
        used["part"][o.pool] += int(o.part_time)
    _reallocate(inst, day, flexible, targets, skills, plan)


def _reallocate(inst, day, flexible, targets, skills, plan: GreedyPlan) -> None:
    """Once the day's shifts are chosen, answer with each flexible agent, block by block, the
    queue where it is worth most to callers given everyone else.

    Agents of single-queue pools stay where they are; the flexible ones are taken off and put
    back one at a time (longest on duty first), each block of its duty (``routing.block_minutes``)
    to the open queue it serves with the largest gain over that block's intervals:
    ``shortfall_weight`` per interval still under its target, plus the service the agent adds
    (:func:`_worth`). Nobody changes line inside a block.
    """
    if not flexible:
        return
    n = inst.intervals
    staff = np.zeros((len(inst.queue_names), n), dtype=np.int64)
    for (p, q, d, i), agents in plan.allocation.items():
        if d == day and len(skills[p]) == 1:
            staff[q, i] += agents
    for o, _ in flexible:
        for q in skills[o.pool]:
            for i in range(n):
                plan.allocation.pop((o.pool, int(q), day, i), None)
    step = max(1, inst.scenario.routing.block_minutes // inst.grid.interval_minutes)
    worth = _worth(inst, day)
    for o, duty in sorted(flexible, key=lambda item: -int(item[1].sum())):
        covered = np.flatnonzero(duty)
        for block in np.unique(covered // step):
            here = covered[covered // step == block]
            queues = skills[o.pool]
            gains = []
            for q in queues:
                s = staff[q, here]
                short = (s < targets[q, day, here]).sum() * inst.shortfall_weight
                gains.append(short + worth(int(q), here, s))
            q = int(queues[int(np.argmax(gains))])
            staff[q, here] += 1
            for i in here:
                key = (o.pool, q, day, int(i))
                plan.allocation[key] = plan.allocation.get(key, 0) + 1


def _worth(inst, day):
    """``worth(q, intervals, staff)``: what one more agent adds to queue q's callers over those
    intervals (money x MONEY_SCALE), from the model's service curves (``interval`` mode) or
    answered-within-T curves (``daily`` mode); 0 past the curves' end."""

    def worth(q: int, here: np.ndarray, staff: np.ndarray) -> float:
        if inst.mode == "interval":
            curve, weight = inst.service_curves.get((q, day)), inst.service_weight
        else:
            daily = inst.daily_curves.get((q, day))
            curve, weight = (None if daily is None else daily.answered), inst.answered_reward
        if curve is None:
            return 0.0
        top = curve.shape[1] - 1
        low, high = np.minimum(staff, top), np.minimum(staff + 1, top)
        return float((curve[here, high] - curve[here, low]).sum()) * weight

    return worth


def _add_agent(inst, o: ShiftOption, span, queues, residual, plan: GreedyPlan) -> np.ndarray:
    """Add one agent on option ``o``: place its breaks, then answer the queues most short.
    Returns the intervals the agent is on duty (0/1 per interval of the day)."""
    coverage = span.copy()
    pool_residual = residual[queues].sum(axis=0) - coverage
    for b, brk in enumerate(o.breaks):
        offsets = np.arange(brk.first, brk.last + 1)
        # What each placement takes from the pool's residual: sums over its intervals.
        running = np.concatenate(([0], np.cumsum(pool_residual)))
        loss = running[o.start + offsets + brk.length] - running[o.start + offsets]
        k = int(offsets[int(np.argmin(loss))])
        coverage[o.start + k : o.start + k + brk.length] = 0
        pool_residual[o.start + k : o.start + k + brk.length] += 1
        plan.breaks[(o.index, b, k)] += 1
    plan.starts[o.index] += 1
    step = max(1, inst.scenario.routing.block_minutes // inst.grid.interval_minutes)
    covered = np.flatnonzero(coverage)
    if not covered.size:
        return coverage
    # Each routing block on duty answers the queue most short over it (by priority), else the
    # one with the largest residual; the blocks' intervals are disjoint, so all at once.
    block = covered // step
    firsts = np.flatnonzero(np.r_[True, block[1:] != block[:-1]])
    here = residual[queues][:, covered]
    short = np.add.reduceat(np.maximum(here, 0), firsts, axis=1)
    worth = short * inst.priority[queues][:, None]
    fallback = np.add.reduceat(here, firsts, axis=1)
    pick = np.where(worth.any(axis=0), worth.argmax(axis=0), fallback.argmax(axis=0))
    answered = queues[pick[np.cumsum(np.r_[0, block[1:] != block[:-1]])]]
    residual[answered, covered] -= 1
    for q, i in zip(answered.tolist(), covered.tolist(), strict=True):
        plan.allocation[(o.pool, q, o.day, i)] += 1
    return coverage


def _part_time_allowed(
    inst: Instance, pools: np.ndarray, part_time: np.ndarray, used
) -> np.ndarray:
    """Per option: adding it keeps its pool's part-time share within its cap (as it stands
    now): ``den x (part-time shifts + 1 if it is one) <= num x (shifts + 1)``. ``pools``,
    ``part_time``: per option."""
    ok = np.ones(len(pools), dtype=bool)
    for p, share in enumerate(inst.part_time_share):
        if share is None:
            continue
        mine = pools == p
        part = used["part"][p] + part_time[mine].astype(np.int64)
        ok[mine] = share.denominator * part <= share.numerator * (used["all"][p] + 1)
    return ok
