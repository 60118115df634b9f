"""What a CP-SAT rule hands the model: hard constraints tagged with their rule and scope, and
soft rules' named penalty terms; the rules' signatures. Shared by the shift plan and the
roster."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ortools.sat.python import cp_model

__all__ = ["HardRule", "HardRuleSink", "PenaltyTerm", "SoftRule"]

Inst = TypeVar("Inst")
Vars = TypeVar("Vars")


class HardRuleSink:
    """Adds hard constraints, each tagged with its rule and scope.

    When ``explain`` is set every constraint is enforced by a literal named ``"rule [scope]"``, so
    an infeasible model can name the rules in conflict (:mod:`planner.cpsat.explain`). Without it
    the constraints are plain (stronger presolve); the explaining model is built only when a
    model proves infeasible.
    """

    def __init__(self, model: cp_model.CpModel, explain: bool = False):
        self.model = model
        self.explain = explain
        self.literals: dict[str, cp_model.IntVar] = {}

    def add(self, constraint: cp_model.Constraint, rule: str, scope: str) -> None:
        if not self.explain:
            return
        label = f"{rule} [{scope}]"
        if label not in self.literals:
            self.literals[label] = self.model.new_bool_var(label)
        constraint.only_enforce_if(self.literals[label])


@dataclass(frozen=True)
class PenaltyTerm:
    """A soft rule's contribution to the objective, in the model's integer units (money x
    MONEY_SCALE in the shift plan, points in the roster)."""

    name: str
    expression: cp_model.LinearExprT


HardRule = Callable[[cp_model.CpModel, Inst, Vars, HardRuleSink], None]
"""``rule(model, inst, variables, sink)`` adds its constraints through the sink; a model
subscripts it with its instance and variables classes (``HardRule[Instance, PlanVariables]``)."""

SoftRule = Callable[[cp_model.CpModel, Inst, Vars], list[PenaltyTerm]]
"""``rule(model, inst, variables)`` returns its penalty terms."""
