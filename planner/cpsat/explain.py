"""Infeasibility explanation: which hard rules, with their scope, cannot all hold.

A model built with its :class:`~planner.cpsat.terms.HardRuleSink` in ``explain`` mode has every
hard constraint enforced by a literal named ``"rule [scope]"``. Solved with all of them as
assumptions, an infeasible model gives back a sufficient set of them
(``CpSolver.sufficient_assumptions_for_infeasibility``): the rules in conflict. CP-SAT does not
promise that set is minimal, and it is reported as found.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.cpsat.clock import Clock
from planner.cpsat.terms import HardRuleSink

__all__ = ["conflicting_rules"]


def conflicting_rules(
    model: cp_model.CpModel,
    hard: HardRuleSink,
    solver: cp_model.CpSolver,
    clock: Clock | None = None,
) -> tuple[str, ...]:
    """Names (``"rule [scope]"``, sorted) of hard rules that together make ``model`` infeasible.

    Parameters
    ----------
    model : cp_model.CpModel
        Built with ``hard`` in explain mode; every literal of ``hard`` becomes an assumption.
    hard : HardRuleSink
    solver : cp_model.CpSolver
        Configured with the time the explanation may take.
    clock : Clock, optional
        Charged with the solve's deterministic time (the roster's calls).

    Returns
    -------
    tuple of str
        ``()`` when infeasibility is not proved in the solver's time (or the model is
        feasible).
    """
    model.add_assumptions(list(hard.literals.values()))
    status = solver.solve(model) if clock is None else clock.solve(solver, model)
    if solver.status_name(status) != "INFEASIBLE":
        return ()
    names = {lit.index: label for label, lit in hard.literals.items()}
    core = solver.sufficient_assumptions_for_infeasibility()
    return tuple(sorted(names[i] for i in core if i in names))
