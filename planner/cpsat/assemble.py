"""Model assembly, the one order both models build in: variables, every hard rule into a
:class:`~planner.cpsat.terms.HardRuleSink`, every soft rule's penalty terms, and the objective
(their sum, with the model's fixed terms such as the shift plan's paid-hours cost first).

Each model keeps its own rules, instance and variables; only the assembly is shared.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import numpy as np
from ortools.sat.python import cp_model

from planner.cpsat.terms import HardRule, HardRuleSink, PenaltyTerm, SoftRule

__all__ = ["BuiltModel", "assemble", "hinted_terms"]

V = TypeVar("V")


@dataclass
class BuiltModel(Generic[V]):
    """A built model with handles to everything needed to read a solution back: the model's
    variables (``V``, its own class), the objective's terms in order, the hard rules' sink."""

    model: cp_model.CpModel
    variables: V
    terms: list[PenaltyTerm]
    hard: HardRuleSink


def assemble(
    inst: Any,
    create_variables: Callable[[cp_model.CpModel, Any], V],
    hard_rules: Sequence[HardRule],
    soft_rules: Sequence[SoftRule],
    *,
    explain: bool = False,
    cost: Callable[[Any, V], PenaltyTerm] | None = None,
) -> BuiltModel[V]:
    """Build a CP-SAT model: variables, hard rules, soft rules, then the objective.

    Parameters
    ----------
    inst
        The model's instance (its own class), handed to every rule.
    create_variables : callable
        ``create_variables(model, inst)``: the model's decision variables.
    hard_rules, soft_rules : sequence of callables
        ``rule(model, inst, variables, sink)`` adds constraints; ``rule(model, inst,
        variables)`` returns penalty terms (in the model's integer objective units).
    explain : bool
        Tag every hard constraint with an assumption literal (see
        :func:`planner.cpsat.explain.conflicting_rules`).
    cost : callable, optional
        ``cost(inst, variables)``: a term that is not a soft rule's (the shift plan's paid
        hours), first in the objective.

    Returns
    -------
    BuiltModel
        ``terms`` is the objective, cost first; the model minimises their sum, and has no
        objective when there is none (an explaining model without soft rules).
    """
    model = cp_model.CpModel()
    variables = create_variables(model, inst)
    hard = HardRuleSink(model, explain=explain)
    for rule in hard_rules:
        rule(model, inst, variables, hard)
    penalties = [term for rule in soft_rules for term in rule(model, inst, variables)]
    terms = penalties if cost is None else [cost(inst, variables), *penalties]
    if terms:
        model.minimize(sum(t.expression for t in terms))
    return BuiltModel(model, variables, terms, hard)


def hinted_terms(built: BuiltModel) -> dict[str, int]:
    """Each objective term's value under the model's solution hint, in the model's integer
    units, without a solver: the objective of a plan the search did not find (the greedy
    plan hinted in full when the search ended with none).

    Every variable a term uses must be hinted (an unhinted one counts as 0).

    Parameters
    ----------
    built : BuiltModel
        The model, its hint set.

    Returns
    -------
    dict of str to int
        Term name to its value, ``sum(coefficient x hinted value) + offset``.
    """
    proto = built.model.proto
    values = np.zeros(len(proto.variables), dtype=np.int64)
    hint = proto.solution_hint
    values[np.asarray(hint.vars, dtype=np.int64)] = np.asarray(hint.values, dtype=np.int64)
    out = {}
    for term in built.terms:
        flat = cp_model.FlatIntExpr(term.expression)
        index = np.array([v.index for v in flat.vars], dtype=np.int64)
        # A negated literal's index is -1 - its variable's; its value 1 - the variable's.
        own = np.where(
            index >= 0, values[np.maximum(index, 0)], 1 - values[np.maximum(-1 - index, 0)]
        )
        out[term.name] = int(np.dot(np.asarray(flat.coeffs, dtype=np.int64), own)) + int(
            flat.offset
        )
    return out
