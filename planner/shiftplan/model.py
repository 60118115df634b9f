"""The shift-sizing model: its rules assembled by :func:`planner.cpsat.assemble.assemble` (paid
cost first in the objective), then the greedy plan as a hint."""

from __future__ import annotations

from functools import partial

from ortools.sat.python import cp_model

from planner.cpsat.assemble import BuiltModel, assemble
from planner.shiftplan.heuristic import greedy_plan
from planner.shiftplan.instance import Instance
from planner.shiftplan.objective import paid_cost
from planner.shiftplan.rules import HARD_RULES, SOFT_RULES
from planner.shiftplan.variables import PlanVariables, create_variables

__all__ = ["ShiftModel", "build_model"]

ShiftModel = BuiltModel[PlanVariables]
"""A built shift-sizing model (objective terms: ``cost`` first, then the soft rules')."""


def build_model(inst: Instance, *, explain: bool = False) -> ShiftModel:
    """Build the shift-sizing model for an instance.

    With ``explain`` every hard constraint is enforced through a named literal, so that an
    infeasible model can report the rules in conflict (:mod:`planner.cpsat.explain`); it keeps
    the objective and gets no hint.
    """
    variables = create_variables
    if explain:  # loose variables: the headcount rule, not their domains, bounds the agents
        variables = partial(create_variables, bound=explain_bound(inst))
    sm = assemble(inst, variables, HARD_RULES, SOFT_RULES, explain=explain, cost=paid_cost)
    if not explain:
        hint_greedy_plan(sm.model, inst, sm.variables)
    return sm


def explain_bound(inst: Instance) -> int:
    """A bound on the explaining model's agents above anything a rule could ask for: every
    operator of the horizon, every line's minimum and the largest requirement, and one more."""
    needs = int(inst.min_agents.sum()) + int(inst.required.max(initial=0))
    return int(inst.headcount.sum()) + needs + 1


def hint_greedy_plan(model: cp_model.CpModel, inst: Instance, variables: PlanVariables) -> None:
    """Hint the greedy plan (:mod:`planner.shiftplan.heuristic`) so a first plan exists at once.

    Every decision and every shortfall and overstaffing variable is hinted, so CP-SAT can take
    the hint as a complete first solution without searching.
    """
    plan = greedy_plan(inst)
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
