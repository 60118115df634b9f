"""A fast greedy plan, given to CP-SAT as a solution hint so a first plan exists at once.

Day by day, it repeatedly adds the one shift (pool, template, start) whose agent would cover the
most still-uncovered agent-intervals of the queues its pool serves, net of its cost, within the
day's headcount and the week's hours; each added agent's breaks go where coverage is most ample.
It stops when no shift is worth its cost. The hard rules the greedy respects are the model's own,
so the hinted plan is feasible; CP-SAT then improves on it.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from planner.optimise.instance import Instance

__all__ = ["GreedyPlan", "greedy_plan"]


class GreedyPlan:
    """Counts chosen by the greedy: agents per option and per (option, break, offset)."""

    def __init__(self) -> None:
        self.starts: dict[int, int] = defaultdict(int)
        self.breaks: dict[tuple[int, int, int], int] = defaultdict(int)


def greedy_plan(inst: Instance) -> GreedyPlan:
    """Build the greedy plan for an instance (see the module docstring)."""
    plan = GreedyPlan()
    n = inst.intervals
    minutes_left = dict(inst.weekly_cap_minutes)
    part_time_used = defaultdict(int)
    all_used = defaultdict(int)
    by_day = defaultdict(list)
    for o in inst.options:
        by_day[o.day].append(o)
    for day in range(inst.days):
        options = by_day.get(day, [])
        if not options:
            continue
        residual = inst.required[:, day, :].astype(np.int64).copy()
        closed = ~inst.queue_open[:, day]
        residual[closed] = 0
        residual = np.maximum(residual, inst.min_agents[:, None] * (~closed)[:, None])
        span = np.zeros((len(options), n), dtype=np.int64)
        for row, o in enumerate(options):
            span[row, o.start : o.end] = 1
        pools = np.array([o.pool for o in options])
        cost = np.array(
            [
                inst.cost_per_interval[o.pool] * o.paid_minutes // inst.grid.interval_minutes
                for o in options
            ],
            dtype=np.int64,
        )
        headcount_left = inst.headcount[:, day].astype(np.int64).copy()
        skills = [list(inst.open_skills(p, day)) for p in range(len(inst.pool_names))]
        block = inst.block_of(day)
        while True:
            wanted = np.stack(
                [(residual[s].sum(axis=0) > 0) if s else np.zeros(n, dtype=bool) for s in skills]
            )
            gain = (span * wanted[pools]).sum(axis=1)
            value = gain * inst.shortfall_weight - cost
            allowed = (headcount_left[pools] > 0) & np.array(
                [
                    minutes_left[(o.pool, block)] >= o.paid_minutes
                    and _part_time_ok(inst, o, part_time_used, all_used)
                    for o in options
                ]
            )
            value = np.where(allowed & (gain > 0), value, -1)
            best = int(np.argmax(value))
            if value[best] <= 0:
                break
            o = options[best]
            coverage = span[best].copy()
            pool_residual = residual[skills[o.pool]].sum(axis=0) - coverage
            for b, brk in enumerate(o.breaks):
                offsets = np.arange(brk.first, brk.last + 1)
                loss = [
                    pool_residual[o.start + k : o.start + k + brk.length].sum() for k in offsets
                ]
                k = int(offsets[int(np.argmin(loss))])
                coverage[o.start + k : o.start + k + brk.length] = 0
                pool_residual[o.start + k : o.start + k + brk.length] += 1
                plan.breaks[(o.index, b, k)] += 1
            plan.starts[o.index] += 1
            headcount_left[o.pool] -= 1
            minutes_left[(o.pool, block)] -= o.paid_minutes
            all_used[o.pool] += 1
            part_time_used[o.pool] += int(o.part_time)
            # The agent answers, in each interval on duty, the queue most short of agents.
            queue_rows = np.array(skills[o.pool])
            for i in np.flatnonzero(coverage):
                q = queue_rows[int(np.argmax(residual[queue_rows, i]))]
                residual[q, i] -= 1
    return plan


def _part_time_ok(inst: Instance, o, part_time_used, all_used) -> bool:
    """Adding this shift keeps the pool's part-time share within its cap (as it stands now)."""
    share = inst.part_time_share[o.pool]
    if share is None:
        return True
    part = part_time_used[o.pool] + int(o.part_time)
    every = all_used[o.pool] + 1
    return share.denominator * part <= share.numerator * every
