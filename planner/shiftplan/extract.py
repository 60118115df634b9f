"""Read a solved model back as a typed :class:`~planner.domain.plan.Plan`."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable

import numpy as np
from ortools.sat.python import cp_model

from planner.domain.plan import Plan, ShiftGroup
from planner.shiftplan.heuristic import GreedyPlan
from planner.shiftplan.instance import Instance
from planner.shiftplan.model import ShiftModel
from planner.timegrid import TimeGrid

__all__ = ["empty_plan", "extract_plan", "greedy_as_plan", "join_plans"]


def extract_plan(inst: Instance, sm: ShiftModel, solver: cp_model.CpSolver) -> Plan:
    """The plan of the solver's best solution: shift groups in option order, each option's
    break placements from the earliest, and the allocation of every pool on duty."""
    v = sm.variables
    allocation = empty_plan(inst).allocation
    for p, d, i in v.on_duty_keys():
        for q in inst.open_skills(p, d):
            key = (p, q, d, i)
            agents = solver.value(v.allocation[key] if key in v.allocation else v.on_duty(p, d, i))
            allocation[p, q, d, i] = agents
    return _plan_of_counts(
        inst,
        lambda index: int(solver.value(v.starts[index])),
        lambda key: int(solver.value(v.breaks[key])),
        allocation,
    )


def greedy_as_plan(inst: Instance, greedy: GreedyPlan) -> Plan:
    """The greedy heuristic's plan (:func:`planner.shiftplan.heuristic.greedy_plan`, or any
    plan keyed like the model's variables) as a :class:`Plan`, without a solver: what is
    returned when the search found no plan in its time."""
    allocation = empty_plan(inst).allocation
    kept = [(key, agents) for key, agents in greedy.allocation.items() if agents]
    if kept:
        keys = np.array([key for key, _ in kept], dtype=np.int64)  # rows (pool, queue, day, i)
        agents = np.array([a for _, a in kept], dtype=np.int64)
        np.add.at(allocation, tuple(keys.T), agents)
    return _plan_of_counts(
        inst,
        lambda index: greedy.starts.get(index, 0),
        lambda key: greedy.breaks.get(key, 0),
        allocation,
    )


def _plan_of_counts(
    inst: Instance,
    starts: Callable[[int], int],
    breaks: Callable[[tuple[int, int, int]], int],
    allocation: np.ndarray,
) -> Plan:
    """A plan from its counts: ``starts(option index)``, ``breaks((option index, break,
    offset))`` and the allocation array (pool, queue, day, interval): shift groups in option
    order, each option's break placements from the earliest."""
    groups = []
    for o in inst.options:
        count = starts(o.index)
        if count == 0:
            continue
        # The break counts give, per break, how many agents take it at each offset. Pairing the
        # k-th earliest first break with the k-th earliest second break is always valid: break
        # windows are ordered and cannot overlap (checked when the scenario is loaded).
        offsets_per_break = [
            [k for k in range(b.first, b.last + 1) for _ in range(breaks((o.index, j, k)))]
            for j, b in enumerate(o.breaks)
        ]
        combos = Counter(zip(*offsets_per_break, strict=True)) if o.breaks else Counter({(): count})
        for combo, agents in sorted(combos.items()):
            groups.append(
                ShiftGroup(
                    day=o.day,
                    pool=inst.pool_names[o.pool],
                    template=inst.scenario.shift_templates[o.template].name,
                    start=o.start,
                    length=o.length,
                    breaks=tuple((k, b.length) for k, b in zip(combo, o.breaks, strict=True)),
                    paid_minutes=o.paid_minutes,
                    agents=agents,
                )
            )
    return Plan(inst.grid, inst.pool_names, inst.queue_names, tuple(groups), allocation)


def empty_plan(inst: Instance) -> Plan:
    """A plan with no shifts on the instance's grid (when the solver found none)."""
    return Plan.empty(inst.grid, inst.pool_names, inst.queue_names)


def join_plans(plans: list[Plan], grid: TimeGrid) -> Plan:
    """Consecutive blocks' plans as one plan over ``grid``: each block's days follow the
    previous block's, in order."""
    groups, offset = [], 0
    for part in plans:
        groups += [dataclasses.replace(g, day=g.day + offset) for g in part.shifts]
        offset += part.grid.days
    allocation = np.concatenate([part.allocation for part in plans], axis=2)
    first = plans[0]
    return Plan(grid, first.pool_names, first.queue_names, tuple(groups), allocation)
