"""The shift plan's own objective term: the cost of paid hours. The objective is that plus every
soft rule's penalty, summed by :func:`planner.cpsat.assemble.assemble`.

All terms are money x :data:`~planner.shiftplan.instance.MONEY_SCALE` so they add up; the solved
value of each term is the plan's penalty breakdown.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.cpsat.terms import PenaltyTerm
from planner.shiftplan.instance import Instance
from planner.shiftplan.variables import PlanVariables

__all__ = ["COST_TERM", "paid_cost"]

COST_TERM = "cost"


def paid_cost(inst: Instance, v: PlanVariables) -> PenaltyTerm:
    """Cost of paid hours: ``sum_o x_o paid_intervals_o cost_per_interval_pool(o)``."""
    step = inst.grid.interval_minutes
    coefficients = [
        int(inst.cost_per_interval[o.pool] * o.paid_minutes // step) for o in inst.options
    ]
    variables = [v.starts[o.index] for o in inst.options]
    return PenaltyTerm(COST_TERM, cp_model.LinearExpr.weighted_sum(variables, coefficients))
