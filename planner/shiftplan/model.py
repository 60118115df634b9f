"""The shift-sizing model: its rules assembled by :func:`planner.cpsat.assemble.assemble` (paid
cost first in the objective), then the greedy plan as a hint."""

from __future__ import annotations

from functools import partial

import numpy as np
from ortools.sat.python import cp_model

from planner.cpsat.assemble import BuiltModel, assemble
from planner.domain.plan import Plan
from planner.shiftplan.heuristic import GreedyPlan, greedy_plan
from planner.shiftplan.instance import Instance
from planner.shiftplan.objective import paid_cost
from planner.shiftplan.rules import (
    HARD_RULES,
    SOFT_RULES,
    interval_service,
    interval_service_first_order,
)
from planner.shiftplan.variables import PlanVariables, create_variables

__all__ = ["ShiftModel", "build_model", "hint_plan", "plan_as_hint", "plan_from_solution"]

ShiftModel = BuiltModel[PlanVariables]
"""A built shift-sizing model (objective terms: ``cost`` first, then the soft rules')."""


def build_model(
    inst: Instance, *, explain: bool = False, service: bool = True, hint: GreedyPlan | None = None
) -> ShiftModel:
    """Build the shift-sizing model for an instance.

        With ``explain`` every hard constraint is enforced through a named literal, so that an
        infeasible model can report the rules in conflict (:mod:`planner.cpsat.explain`); it keeps
        the objective and gets no hint. Without ``service`` the ``interval_service`` term is left
        out and priced to first order instead (the quick first model of
    :func:`planner.shiftplan.blocks.warm_start`). ``hint``: the plan to hint (default: the
        greedy plan).
    """
    variables = create_variables
    if explain:  # loose variables: the headcount rule, not their domains, bounds the agents
        variables = partial(create_variables, bound=explain_bound(inst))
    soft = SOFT_RULES
    if not service:
        soft = (*(r for r in SOFT_RULES if r is not interval_service), interval_service_first_order)
    sm = assemble(inst, variables, HARD_RULES, soft, explain=explain, cost=paid_cost)
    if not explain:
        hint_plan(sm.model, inst, sm.variables, greedy_plan(inst) if hint is None else hint)
    return sm


def plan_from_solution(
    solver: cp_model.CpSolver, inst: Instance, variables: PlanVariables
) -> GreedyPlan:
    """A solved model's decisions (starts, breaks, allocation), keyed as a hint."""
    plan = GreedyPlan()
    for index, x in variables.starts.items():
        plan.starts[index] = solver.value(x)
    for key, y in variables.breaks.items():
        plan.breaks[key] = solver.value(y)
    for key, a in variables.allocation.items():
        plan.allocation[key] = solver.value(a)
    for p, d, i in variables.on_duty_keys():
        queues = inst.open_skills(p, d)
        if len(queues) == 1:
            plan.allocation[(p, queues[0], d, i)] = int(solver.value(variables.on_duty(p, d, i)))
    return plan


def plan_as_hint(inst: Instance, plan: Plan, *, first_day: int = 0, scale: int = 1) -> GreedyPlan:
    """A plan made on another grid (a coarser interval, or the whole horizon) keyed as the
    instance's variables, to hint its model.

    ``first_day``: the plan's day of the instance's first day. ``scale``: the plan's interval
    in the instance's intervals (3 for a 15-minute plan hinting a 5-minute model). Shifts and
    breaks the instance has no option for are left out (the hint is then partial, which CP-SAT
    completes).
    """
    option = {(o.day, o.pool, o.template, o.start): o for o in inst.options}
    template = {t.name: k for k, t in enumerate(inst.scenario.shift_templates)}
    pool = {name: p for p, name in enumerate(inst.pool_names)}
    hint = GreedyPlan()
    for group in plan.shifts:
        day = group.day - first_day
        o = option.get(
            (day, pool.get(group.pool), template.get(group.template), group.start * scale)
        )
        if o is None:
            continue
        hint.starts[o.index] += group.agents
        for b, (offset, _length) in enumerate(group.breaks[: len(o.breaks)]):
            k = offset * scale
            if o.breaks[b].first <= k <= o.breaks[b].last:
                hint.breaks[(o.index, b, k)] += group.agents
    queue = {name: q for q, name in enumerate(inst.queue_names)}
    for p_from, name in enumerate(plan.pool_names):
        p = pool.get(name)
        for q_from, queue_name in enumerate(plan.queue_names):
            q = queue.get(queue_name)
            if p is None or q is None:
                continue
            agents = plan.allocation[p_from, q_from, first_day : first_day + inst.days]
            for d, i in zip(*np.nonzero(agents), strict=True):
                for j in range(int(i) * scale, (int(i) + 1) * scale):
                    hint.allocation[(p, q, int(d), j)] = int(agents[d, i])
    return hint


def explain_bound(inst: Instance) -> int:
    """A bound on the explaining model's agents above anything a rule could ask for: every
    operator of the horizon, every line's minimum and the largest requirement, and one more."""
    needs = int(inst.min_agents.sum()) + int(inst.required.max(initial=0))
    return int(inst.headcount.sum()) + needs + 1


def hint_plan(
    model: cp_model.CpModel, inst: Instance, variables: PlanVariables, plan: GreedyPlan
) -> None:
    """Hint a plan (the greedy's, :mod:`planner.shiftplan.heuristic`, or a first model's) so a
    first plan exists at once.

    Every decision and every auxiliary variable is hinted, so CP-SAT can take the hint as a
    complete first solution without searching.
    """
    for index, x in variables.starts.items():
        model.add_hint(x, plan.starts.get(index, 0))
    for key, y in variables.breaks.items():
        model.add_hint(y, plan.breaks.get(key, 0))
    for key, a in variables.allocation.items():
        model.add_hint(a, plan.allocation.get(key, 0))
    staffed = plan.staffed()
    for key, u in variables.shortfall.items():
        q, d, i = key
        model.add_hint(u, max(0, int(inst.required[q, d, i]) - staffed.get(key, 0)))
    for key, o in variables.overstaffing.items():
        q, d, i = key
        need = int(inst.required[q, d, i])
        over = max(0, staffed.get(key, 0) - need)
        model.add_hint(o, min(over, inst.max_on_duty(q, d) - need))
    for (p, q, d, i), g in variables.block_gain.items():
        gain = plan.allocation.get((p, q, d, i), 0) - plan.allocation.get((p, q, d, i - 1), 0)
        model.add_hint(g, max(0, gain))
    for key, t in variables.overtime.items():
        model.add_hint(t, _overtime_hint(inst, plan, key))
    for key, s in variables.service_staff.items():
        model.add_hint(s, staffed.get(key, 0))
    for key, loss in variables.service_loss.items():
        top, cuts = variables.service_cuts[key]
        agents = staffed.get(key, 0)
        model.add_hint(loss, max(0, *(-((c + dy * agents - top * dx) // dx) for dy, dx, c in cuts)))
    answered_per_day: dict[tuple[int, int], int] = {}
    for key, s in variables.daily_staff.items():
        q, d, i = key
        curve = inst.daily_curves[(q, d)]
        agents = min(staffed.get(key, 0), curve.top)
        floor = min(int(curve.floor_agents[i]), curve.top)
        # Never more than the cuts allow (they sit up to a rounding unit below the curve).
        answered = int(curve.answered[i, agents])
        short = max(0, floor - agents)
        for dy, dx, c, slack in variables.answered_cuts.get(key, ()):
            answered = min(answered, (c + dy * agents + slack * short) // dx)
        model.add_hint(s, agents)
        model.add_hint(variables.answered[key], answered)
        answered_per_day[(q, d)] = answered_per_day.get((q, d), 0) + answered
        if key in variables.floor_shortfall:
            model.add_hint(variables.floor_shortfall[key], max(0, floor - agents))
    for key, short in variables.daily_shortfall.items():
        target = inst.daily_curves[key].target
        model.add_hint(short, max(0, target - answered_per_day.get(key, 0)))


def _overtime_hint(inst: Instance, plan: GreedyPlan, key: tuple[int, int]) -> int:
    """A pool's overtime minutes in a week under a plan: its paid minutes beyond its operators'
    normal weeks (rules ``pool_overtime_per_month`` / ``_per_year``), at least 0."""
    pool, week = key
    normal = next(
        n
        for cap in inst.overtime_caps
        if cap.pool == pool
        for w, n in zip(cap.weeks, cap.normal, strict=True)
        if w == week
    )
    paid = sum(
        o.paid_minutes * plan.starts.get(o.index, 0)
        for o in inst.options
        if o.pool == pool and inst.block_of(o.day) == week
    )
    return max(0, paid - normal)
