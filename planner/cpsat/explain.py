"""Infeasibility explanation: which hard rules, with their scope, cannot all hold.

A model built with its :class:`~planner.cpsat.terms.HardRuleSink` in ``explain`` mode has every
hard constraint enforced by a literal named ``"rule [scope]"``. Solved with all of them as
assumptions, an infeasible model gives back a sufficient set of them
(``CpSolver.sufficient_assumptions_for_infeasibility``): the rules in conflict. CP-SAT does not
promise that set is minimal (it can list dozens of scopes where three conflict), so it is shrunk
by a deletion filter: each rule of the set in turn is left out and the model solved again with
the others as assumptions; if it is still infeasible, the rule is not needed and is dropped
(and the set shrinks to the new, smaller, sufficient set). What is left is minimal: leaving out
any one of its rules makes the model feasible.

The shrinking shares the solver's time limits with the first solve. When they run out first,
the set is reported as it stands, followed by :data:`NOT_MINIMAL`. :func:`group_rules` puts a
set in words by rule family for display.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

from ortools.sat.python import cp_model

from planner.cpsat.clock import Clock
from planner.cpsat.terms import HardRuleSink
from planner.messages import Message, msg, msg_n

__all__ = ["NOT_MINIMAL", "conflicting_rules", "group_rules", "rule_of"]

NOT_MINIMAL = msg("(the list may name more rules than needed: the time to shorten it ran out)")
"""Ends a list of conflicting rules whose shrinking to a minimal set was cut short."""


def conflicting_rules(
    model: cp_model.CpModel,
    hard: HardRuleSink,
    solver: cp_model.CpSolver,
    clock: Clock | None = None,
    *,
    minimal: bool = True,
) -> tuple[str, ...]:
    """Names (``"rule [scope]"``, sorted) of hard rules that together make ``model`` infeasible.

    Parameters
    ----------
    model : cp_model.CpModel
        Built with ``hard`` in explain mode; every literal of ``hard`` becomes an assumption.
    hard : HardRuleSink
    solver : cp_model.CpSolver
        Configured with the time the explanation may take (the first solve and the shrinking
        together).
    clock : Clock, optional
        Charged with the solves' deterministic time (the roster's calls).
    minimal : bool
        Shrink CP-SAT's sufficient set to a minimal one (the default); otherwise report it as
        found.

    Returns
    -------
    tuple of str
        ``()`` when infeasibility is not proved in the solver's time (or the model is
        feasible). When the time ran out before the set was shown minimal, the last entry is
        :data:`NOT_MINIMAL`.
    """
    budget = _Budget(solver)
    model.clear_assumptions()
    model.add_assumptions(list(hard.literals.values()))
    status = budget.solve(solver, model, clock)
    if status != cp_model.INFEASIBLE:
        return ()
    names = {lit.index: label for label, lit in hard.literals.items()}
    core = [i for i in solver.sufficient_assumptions_for_infeasibility() if i in names]
    complete = True
    if minimal and len(core) > 1:
        core, complete = _shrink(model, core, names, solver, budget, clock)
    found = tuple(sorted(names[i] for i in core))
    return found if complete else (*found, NOT_MINIMAL)


def _shrink(model, core, names, solver, budget, clock) -> tuple[list[int], bool]:
    """The deletion filter: a minimal subset of ``core`` (literal indices), and whether it was
    shown minimal before the time ran out."""
    feasibility = model.clone()
    feasibility.clear_objective()
    feasibility.clear_hints()
    kept = sorted(core, key=names.get)
    necessary: set[int] = set()
    for index in list(kept):
        if index not in kept:  # dropped with a smaller sufficient set
            continue
        if budget.spent():
            return kept, False
        others = [i for i in kept if i != index]
        feasibility.clear_assumptions()
        feasibility.proto.assumptions.extend(others)
        status = budget.solve(solver, feasibility, clock)
        if status == cp_model.INFEASIBLE:
            smaller = set(solver.sufficient_assumptions_for_infeasibility())
            kept = [i for i in others if i in smaller or i in necessary]
        elif status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            necessary.add(index)
        else:  # out of time: not known whether the rule is needed
            return kept, False
    return kept, True


class _Budget:
    """The solver's wall-clock and deterministic limits, shared by several solves."""

    def __init__(self, solver: cp_model.CpSolver):
        self.wall = solver.parameters.max_time_in_seconds
        self.deterministic = solver.parameters.max_deterministic_time
        self.started = time.perf_counter()
        self.work = 0.0

    def left(self) -> tuple[float, float]:
        wall = self.wall - (time.perf_counter() - self.started)
        return wall, self.deterministic - self.work

    def spent(self) -> bool:
        wall, work = self.left()
        return wall <= 0.01 or work <= 0.01

    def solve(self, solver: cp_model.CpSolver, model: cp_model.CpModel, clock: Clock | None):
        wall, work = self.left()
        solver.parameters.max_time_in_seconds = max(wall, 0.01)
        if math.isfinite(work):
            solver.parameters.max_deterministic_time = max(work, 0.01)
        status = solver.solve(model) if clock is None else clock.solve(solver, model)
        self.work += solver.deterministic_time
        return status


def rule_of(name: str) -> tuple[str, str]:
    """A conflicting rule's name split into its rule and scope (``"rule [scope]"``)."""
    rule, _, scope = name.partition(" [")
    return rule, scope.removesuffix("]")


def group_rules(
    names: tuple[str, ...] | list[str],
    most: int = 3,
    settings: Mapping[str, str] | None = None,
) -> list[str]:
    """Conflicting rules grouped by rule family, one line each, for display (each line a
    :class:`~planner.messages.Message` a page may translate; rule names and scopes are
    the model's and stay as they are).

    ``"daily_headcount: consulting_team 2022-01-10, consulting_team 2022-01-11 (2 scopes)"``;
    at most ``most`` scopes are written out (``"... and 5 more (8 scopes)"``). Families keep
    the order of their first entry; a :data:`NOT_MINIMAL` note stays a line of its own, last.
    With ``settings`` (rule -> the scenario fields that set it, as each model lists them), a
    line ends with what to change: ``"; set by labour.min_days_off_per_week"``.
    """
    families: dict[str, list[str]] = {}
    notes = []
    for name in names:
        if name == NOT_MINIMAL:  # once, however many parts of a plan were cut short
            notes = [name]
            continue
        rule, scope = rule_of(name)
        families.setdefault(rule, []).append(scope)
    lines = []
    for rule, scopes in families.items():
        shown = ", ".join(s for s in scopes[:most] if s)
        if len(scopes) > most:
            shown = msg("{shown} and {count} more", shown=shown, count=len(scopes) - most)
        if not shown:
            line = Message("{rule}", {"rule": rule})
        elif len(scopes) > 1:
            line = msg_n(
                "{rule}: {scopes} ({count} scope)",
                "{rule}: {scopes} ({count} scopes)",
                count=len(scopes),
                rule=rule,
                scopes=shown,
            )
        else:
            line = Message("{rule}: {scopes}", {"rule": rule, "scopes": shown})
        where = (settings or {}).get(rule)
        lines.append(msg("{line}; set by {fields}", line=line, fields=where) if where else line)
    return lines + notes
