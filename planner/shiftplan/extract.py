"""Read a solved model back as a typed :class:`~planner.domain.plan.Plan`."""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
from ortools.sat.python import cp_model

from planner.domain.plan import Plan, ShiftGroup
from planner.shiftplan.instance import Instance
from planner.shiftplan.model import ShiftModel
from planner.timegrid import TimeGrid

__all__ = ["empty_plan", "extract_plan", "join_plans"]


def extract_plan(inst: Instance, sm: ShiftModel, solver: cp_model.CpSolver) -> Plan:
    """The plan of the solver's best solution: shift groups in option order, each option's
    break placements from the earliest, and the allocation of every pool on duty."""
    v = sm.variables
    groups = []
    for o in inst.options:
        count = int(solver.value(v.starts[o.index]))
        if count == 0:
            continue
        # The break counts give, per break, how many agents take it at each offset. Pairing the
        # k-th earliest first break with the k-th earliest second break is always valid: break
        # windows are ordered and cannot overlap (checked when the scenario is loaded).
        offsets_per_break = [
            [
                k
                for k in range(b.first, b.last + 1)
                for _ in range(solver.value(v.breaks[(o.index, j, k)]))
            ]
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
    plan = empty_plan(inst)
    for p, d, i in v.on_duty_keys():
        for q in inst.open_skills(p, d):
            key = (p, q, d, i)
            agents = solver.value(v.allocation[key] if key in v.allocation else v.on_duty(p, d, i))
            plan.allocation[p, q, d, i] = agents
    return Plan(inst.grid, inst.pool_names, inst.queue_names, tuple(groups), plan.allocation)


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
