"""The roster model: its rules assembled by :func:`planner.cpsat.assemble.assemble`.

The objective is the sum of the chosen soft rules' penalties, all in points x
:data:`~planner.roster.instance.OBJECTIVE_SCALE` so they add up; the solved value of each term
is the roster's penalty breakdown.
"""

from __future__ import annotations

from planner.cpsat.assemble import BuiltModel, assemble
from planner.roster.instance import RosterInstance
from planner.roster.rules import (
    EXPLAIN_RULES,
    HARD_RULES,
    SOFT_RULES,
    SoftRule,
    unassigned_count,
)
from planner.roster.variables import RosterVariables, create_variables

__all__ = ["RosterModel", "build_model", "limit_unassigned"]

RosterModel = BuiltModel[RosterVariables]
"""A built roster model (objective terms: the chosen soft rules', none when explaining)."""


def build_model(
    inst: RosterInstance,
    *,
    soft_rules: tuple[SoftRule, ...] = SOFT_RULES,
    explain: bool = False,
) -> RosterModel:
    """Build the roster model for an instance, minimising the given soft rules.

    With ``explain`` the model asks whether *every* planned shift can be assigned: each hard
    constraint is enforced through a named literal (``"rule [pool week]"``), the soft rules and
    the objective are left out, and an infeasible model names the rules in conflict
    (:mod:`planner.cpsat.explain`).
    """
    if explain:
        return assemble(inst, create_variables, HARD_RULES + EXPLAIN_RULES, (), explain=True)
    return assemble(inst, create_variables, HARD_RULES, soft_rules)


def limit_unassigned(
    rm: RosterModel,
    inst: RosterInstance,
    *,
    at_least: int | None = None,
    at_most: int | None = None,
) -> None:
    """Bound the number of unassigned shifts.

    ``at_least``: a lower bound every roster obeys (from :mod:`planner.roster.relaxation`), a
    cut that lets the search prove it cannot do better. ``at_most``: keep the coverage an
    earlier phase found while the wishes are optimised.
    """
    penalty = unassigned_count(rm.variables)
    if at_least is not None:
        rm.model.add(penalty >= at_least)
    if at_most is not None:
        rm.model.add(penalty <= at_most)
