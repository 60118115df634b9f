"""Decision variables of the roster model, with queries named after what they mean.

Decisions
---------
``assign[o, k]``
    1 when operator ``o`` works a shift of kind ``k`` (a day, pool, template, start and end);
    created only for the kinds the operator may take (their pool, their skills, a day they are
    available, a shift no longer than their limit).
``unassigned[k]``
    Planned shifts of kind ``k`` given to nobody (reported with the reason).

Soft rules add their auxiliaries here too (``hours_off_target[o]``, ``spread_max[rule, p]``,
...), so the greedy hint and the report can reach them by name.

Everything else (does an operator work on a day, their paid minutes in a week, do they work a
long shift) is a linear expression of ``assign``, built once and looked up here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.roster.instance import RosterInstance, ShiftKind

__all__ = ["RosterVariables", "create_variables"]


@dataclass
class RosterVariables:
    """The model's decision variables and the expressions derived from them."""

    assign: dict[tuple[int, int], cp_model.IntVar]
    unassigned: dict[int, cp_model.IntVar]
    _by_operator_day: dict[tuple[int, int], list[tuple[ShiftKind, cp_model.IntVar]]]
    _by_kind: dict[int, list[cp_model.IntVar]]
    aux: dict[str, dict] = field(default_factory=lambda: defaultdict(dict))

    def shifts_of(self, operator: int, day: int) -> list[tuple[ShiftKind, cp_model.IntVar]]:
        """The kinds an operator may take on a day, each with its variable."""
        return self._by_operator_day.get((operator, day), [])

    def works(self, operator: int, day: int) -> cp_model.LinearExprT:
        """1 when the operator works on the day, else 0 (at most one shift a day holds)."""
        return sum(x for _, x in self.shifts_of(operator, day))

    def works_where(self, operator: int, day: int, keep) -> cp_model.LinearExprT:
        """1 when the operator works a shift with ``keep(kind)`` on the day, else 0."""
        return sum(x for k, x in self.shifts_of(operator, day) if keep(k))

    def paid_minutes(self, operator: int, first: int, stop: int) -> cp_model.LinearExprT:
        """The operator's paid minutes over days ``first..stop-1``."""
        terms = [
            (x, k.paid_minutes) for d in range(first, stop) for k, x in self.shifts_of(operator, d)
        ]
        if not terms:
            return 0
        variables, minutes = zip(*terms, strict=True)
        return cp_model.LinearExpr.weighted_sum(variables, minutes)

    def may_work(self, operator: int, day: int) -> bool:
        return bool(self._by_operator_day.get((operator, day)))

    def taken(self, kind: int) -> list[cp_model.IntVar]:
        """Variables of every operator who may take a kind."""
        return self._by_kind.get(kind, [])


def create_variables(model: cp_model.CpModel, inst: RosterInstance) -> RosterVariables:
    """Create every decision variable, named so a solution can explain itself."""
    assign, by_operator_day, by_kind = {}, defaultdict(list), defaultdict(list)
    for o, kinds in inst.options.items():
        ident = inst.operators[o].id
        for k in kinds:
            x = model.new_bool_var(f"assign[{ident}|{k.label(inst.grid, inst.pool_names)}]")
            assign[(o, k.index)] = x
            by_operator_day[(o, k.day)].append((k, x))
            by_kind[k.index].append(x)
    unassigned = {
        k.index: model.new_int_var(0, k.count, f"unassigned[{k.label(inst.grid, inst.pool_names)}]")
        for k in inst.kinds
    }
    return RosterVariables(
        assign=assign,
        unassigned=unassigned,
        _by_operator_day=by_operator_day,
        _by_kind=by_kind,
    )
