"""The roster objective, built in one place: the sum of every soft rule's penalty.

All terms are points x :data:`~planner.roster.instance.OBJECTIVE_SCALE`, so they add up; the
solved value of each term is the roster's penalty breakdown.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.cpsat.terms import PenaltyTerm
from planner.roster.instance import RosterInstance
from planner.roster.variables import RosterVariables

__all__ = ["build_objective"]


def build_objective(
    model: cp_model.CpModel,
    inst: RosterInstance,
    v: RosterVariables,
    penalties: list[PenaltyTerm],
) -> list[PenaltyTerm]:
    """Minimise the sum of the penalties; returns the terms for the breakdown."""
    model.minimize(sum(t.expression for t in penalties))
    return penalties
