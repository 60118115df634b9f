"""Assemble the roster model: variables, every hard rule, then soft rules and the objective."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.roster.instance import RosterInstance
from planner.roster.objective import build_objective
from planner.roster.rules import (
    EXPLAIN_RULES,
    HARD_RULES,
    SOFT_RULES,
    HardRuleSink,
    PenaltyTerm,
    SoftRule,
    unassigned_count,
)
from planner.roster.variables import RosterVariables, create_variables

__all__ = ["RosterModel", "build_model", "limit_unassigned"]


@dataclass
class RosterModel:
    """A built model with handles to everything needed to read a solution back."""

    model: cp_model.CpModel
    variables: RosterVariables
    terms: list[PenaltyTerm]
    hard: HardRuleSink


def build_model(
    inst: RosterInstance,
    *,
    soft_rules: tuple[SoftRule, ...] = SOFT_RULES,
    explain: bool = False,
) -> RosterModel:
    """Build the roster model for an instance, minimising the given soft rules.

    With ``explain`` the model asks whether *every* planned shift can be assigned: each hard
    constraint is enforced through a named assumption literal (``"rule [pool week]"``), the
    soft rules are left out, and an infeasible model names the rules in conflict.
    """
    model = cp_model.CpModel()
    variables = create_variables(model, inst)
    hard = HardRuleSink(model, explain=explain)
    for rule in HARD_RULES + (EXPLAIN_RULES if explain else ()):
        rule(model, inst, variables, hard)
    terms: list[PenaltyTerm] = []
    if explain:
        model.add_assumptions(list(hard.literals.values()))
    else:
        penalties = [term for rule in soft_rules for term in rule(model, inst, variables)]
        terms = build_objective(model, inst, variables, penalties)
    return RosterModel(model, variables, terms, hard)


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
