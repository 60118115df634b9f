"""CP-SAT settings and the solve loop: the one place the solver's parameters are set.

The scenario's :class:`~planner.domain.scenario.SolverSettings` map to CP-SAT's own parameters:
``time_limit_seconds`` -> ``max_time_in_seconds``, ``relative_gap`` -> ``relative_gap_limit``,
``seed`` -> ``random_seed``, ``workers`` -> ``num_workers``. Nothing else in the planner sets a
solver parameter.

Reproducibility: CP-SAT with one worker is deterministic for a given model, seed and
parameters, as long as the search is not cut short by the wall clock. With ``workers = 1`` (the
default) the time limit is therefore also applied as CP-SAT's deterministic time
(``max_deterministic_time``, a work count calibrated to be about a second on a typical machine):
whichever limit comes first ends the search, and on a machine that is not badly overloaded the
deterministic one does, so the same scenario and seed give the same plan however busy the
machine is. Several workers search in parallel threads, which can help on large instances, but
which of them finds a plan first depends on timing: plans may then differ from run to run.

Progress: a callback receives a :class:`SolveProgress` each time a better plan or a better bound
is found, from the solver's thread; a ``threading.Event`` stops the search early (the best plan
so far is kept). :func:`stop_requested` is the one test of that event, :func:`relative_gap` the
one gap both models report.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.domain.scenario import SolverSettings

__all__ = [
    "WALL_SLACK",
    "ProgressCallback",
    "SolveOutcome",
    "SolveProgress",
    "configure",
    "relative_gap",
    "run_solver",
    "stop_requested",
]


WALL_SLACK = 2.0
"""Where the deterministic limit is to end a roster's solve, its wall-clock limit is this many
times the deterministic one."""


def relative_gap(objective: float, bound: float) -> float:
    """``|objective - bound| / max(|objective|, 1e-9)``, a share (NaN when either is NaN: no
    solution or no bound).

    Parameters
    ----------
    objective, bound : float
        The best solution's objective and the proved bound on it, in one unit (money or points).
    """
    if objective != objective or bound != bound:  # NaN: no solution or no bound
        return float("nan")
    return abs(objective - bound) / max(abs(objective), 1e-9)


def stop_requested(stop: threading.Event | None) -> bool:
    """The caller has asked the search to stop (``stop`` given and set)."""
    return stop is not None and stop.is_set()


@dataclass(frozen=True)
class SolveProgress:
    """A snapshot of the search, in the objective's money units."""

    elapsed_seconds: float
    objective: float | None
    best_bound: float
    solutions_found: int

    @property
    def gap(self) -> float | None:
        if self.objective is None:
            return None
        return relative_gap(self.objective, self.best_bound)


ProgressCallback = Callable[[SolveProgress], None]


@dataclass(frozen=True)
class SolveOutcome:
    """What the solver returned: status, objective, bound, timing, solutions seen."""

    status: str
    objective: float
    best_bound: float
    wall_seconds: float
    first_solution_seconds: float | None
    solutions_found: int
    stopped: bool = False  # ended by the caller's stop event, not by a limit or a proof


def configure(
    settings: SolverSettings,
    *,
    wall_seconds: float | None = None,
    strong_lp: bool = False,
    lp_search: bool = False,
    **overrides,
) -> cp_model.CpSolver:
    """A CP-SAT solver with the scenario's settings (``overrides`` replace fields by name).

    With one worker the time limit also applies as deterministic time. The wall-clock limit is
    the time limit, or ``wall_seconds`` when given (see :mod:`planner.cpsat.clock`); with
    ``settings.reproducible`` there is none: the deterministic limit alone ends the search.
    CP-SAT's deterministic second is a count of work, not a second: on the shift plan's models
    it takes from about 0.7 s to 3.5 s of a quiet machine's time (the daily model's large
    linear relaxation is the slowest), and up to 11 s at a load of 4-5 on 2 cores, where a
    wall-clock safety of 10 x the limit cut searches short and changed their bounds.
    ``strong_lp``: CP-SAT's fullest linear relaxation (``linearization_level`` 2), for models
    whose bound comes from many linear cuts (the shift plan's daily mode: on the emergency week
    a 4.5 % gap at 20 s against 10.9 % with the default level).
    ``lp_search``: branch on the linear relaxation's solution (``search_branching``
    ``LP_SEARCH``) and polish it into plans (``polish_lp_solution``), for models whose LP
    solution is close to a good plan (daily mode: on the emergency week, with 20 deterministic
    seconds, a 1.90 % gap against 2.74 % with the default search).
    """
    settings = replace_settings(settings, **overrides)
    solver = cp_model.CpSolver()
    wall = settings.time_limit_seconds if wall_seconds is None else wall_seconds
    solver.parameters.max_time_in_seconds = float(max(wall, 0.01))
    solver.parameters.relative_gap_limit = float(settings.relative_gap)
    solver.parameters.random_seed = int(settings.seed)
    solver.parameters.num_workers = int(settings.workers)
    if settings.workers == 1:
        solver.parameters.max_deterministic_time = float(settings.time_limit_seconds)
        if settings.reproducible:  # the deterministic limit alone ends it
            solver.parameters.max_time_in_seconds = math.inf
    if strong_lp:
        solver.parameters.linearization_level = 2
    if lp_search:
        solver.parameters.search_branching = cp_model.LP_SEARCH
        solver.parameters.polish_lp_solution = True
    return solver


def replace_settings(settings: SolverSettings, **overrides) -> SolverSettings:
    """The settings with some fields replaced (validated like the scenario's own)."""
    if not overrides:
        return settings
    return SolverSettings.model_validate({**settings.model_dump(), **overrides})


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(
        self,
        scale: float,
        callback: ProgressCallback | None,
        started: float,
        known_bound: float = float("-inf"),
        gap_limit: float = 0.0,
    ):
        super().__init__()
        self.scale = scale
        self.callback = callback
        self.started = started
        self.solutions = 0
        self.first_solution_seconds: float | None = None
        self.objective: float | None = None
        self.bound = known_bound
        self.known_bound = known_bound
        self.gap_limit = gap_limit
        self.lock = threading.Lock()

    def on_solution_callback(self) -> None:
        with self.lock:
            self.solutions += 1
            elapsed = time.perf_counter() - self.started
            if self.first_solution_seconds is None:
                self.first_solution_seconds = elapsed
            self.objective = self.objective_value / self.scale
            self.bound = max(self.bound, self.best_objective_bound / self.scale)
            # CP-SAT's gap limit sees only its own bound; a bound proved before the search
            # (see run_solver) ends it as soon as the plan is within the limit of that one.
            known = self.known_bound > float("-inf")
            if known and relative_gap(self.objective, self.bound) <= self.gap_limit:
                self.stop_search()
        self._report()

    def on_bound(self, bound: float) -> None:
        with self.lock:
            self.bound = max(self.bound, bound / self.scale)
        self._report()

    def _report(self) -> None:
        if self.callback is not None:
            self.callback(
                SolveProgress(
                    time.perf_counter() - self.started, self.objective, self.bound, self.solutions
                )
            )


def run_solver(
    model: cp_model.CpModel,
    solver: cp_model.CpSolver,
    *,
    scale: float,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    known_bound: float = float("-inf"),
) -> SolveOutcome:
    """Solve ``model`` with a configured ``solver``, reporting progress and honouring ``stop``.

    ``scale`` converts the integer objective to money (the objective is money x scale).
    An ``UNKNOWN`` outcome (no solution) keeps the bound CP-SAT proved before it ended, if any;
    other outcomes without a solution have a NaN bound. ``known_bound``: a lower bound on the
    objective (money) proved before the search, e.g. by the linear relaxation
    (:mod:`planner.cpsat.relax`): the reported bound is never below it, and the search ends
    once a plan is within the solver's relative gap of it.
    """
    started = time.perf_counter()
    gap_limit = solver.parameters.relative_gap_limit
    tracker = _Progress(scale, progress, started, known_bound, gap_limit)
    solver.best_bound_callback = tracker.on_bound
    done = threading.Event()
    watcher = None
    if stop is not None:

        def watch() -> None:
            while not done.wait(0.05):
                if stop_requested(stop):
                    solver.stop_search()
                    return

        watcher = threading.Thread(target=watch, name="solve-stop-watcher", daemon=True)
        watcher.start()
    try:
        status = solver.solve(model, tracker)
    finally:
        done.set()
        if watcher is not None:
            watcher.join()
    name = solver.status_name(status)
    has_solution = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    bound = solver.best_objective_bound / scale if has_solution else float("nan")
    if has_solution:
        bound = max(bound, known_bound)
    if status == cp_model.UNKNOWN and tracker.bound > float("-inf"):
        bound = tracker.bound  # proved before the search ended without a solution
    return SolveOutcome(
        status=name,
        objective=solver.objective_value / scale if has_solution else float("nan"),
        best_bound=bound,
        wall_seconds=solver.wall_time,
        first_solution_seconds=tracker.first_solution_seconds,
        solutions_found=tracker.solutions,
        stopped=stop_requested(stop) and status != cp_model.OPTIMAL,
    )
