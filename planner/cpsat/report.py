"""The solve report both models return (:class:`~planner.domain.plan.SolveReport`): the outcome
of their search with the solver settings it ran under and the gap computed one way."""

from __future__ import annotations

from planner.cpsat.solve import relative_gap
from planner.domain.plan import SolveReport
from planner.domain.scenario import SolverSettings

__all__ = ["solve_report"]


def solve_report(
    settings: SolverSettings,
    *,
    status: str,
    objective: float,
    bound: float,
    seconds: float,
    solutions: int,
    first_solution_seconds: float | None = None,
    time_limit_seconds: float | None = None,
    **fields,
) -> SolveReport:
    """A :class:`SolveReport` with the gap of ``objective`` to ``bound`` and the settings'
    gap limit, seed and workers.

    Parameters
    ----------
    settings : SolverSettings
        The settings the search ran under.
    status : str
        CP-SAT's status name (``OPTIMAL``, ``FEASIBLE``, ...).
    objective, bound : float
        The best objective and the proved bound, in the model's unit (money or points).
    seconds : float
        Wall-clock seconds the search took.
    solutions : int
        Solutions (plans, or improved rosters) found.
    first_solution_seconds : float, optional
        Seconds until the first solution, when known.
    time_limit_seconds : float, optional
        The search's own limit (s); the settings' time limit when not given.
    **fields
        The report's other fields (``conflicting_rules``, ``independent_parts``, ``stopped``).
    """
    limit = settings.time_limit_seconds if time_limit_seconds is None else time_limit_seconds
    return SolveReport(
        status=status,
        objective=objective,
        best_bound=bound,
        gap=relative_gap(objective, bound),
        solve_seconds=seconds,
        first_solution_seconds=first_solution_seconds,
        solutions_found=solutions,
        time_limit_seconds=limit,
        relative_gap_limit=settings.relative_gap,
        seed=settings.seed,
        workers=settings.workers,
        reproducible=settings.reproducible,
        **fields,
    )
