"""The roster's clock: CP-SAT's deterministic time, so that a roster does not depend on how
busy the machine is.

With one worker CP-SAT is deterministic for a given deterministic-time limit, but not for a
wall-clock one. The roster search is many small solves (counting models, neighbourhoods of a
few operators over a few days, explanations), and every decision between them (how much time
is left, whether a neighbourhood was solved quickly enough to grow the next one) is taken on
the deterministic time they report, never on the wall clock. The wall clock only stops a
solve, or the whole search, when it runs :data:`WALL_SLACK` times past its deterministic
budget (a machine that slow; the roster then depends on it, as any timed search does).

On this project's machine CP-SAT's deterministic time runs at about 1.3 seconds per second of
the roster's solves, so a roster call ends within its time limit; on a slower machine it takes
longer rather than giving a different roster.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from planner.optimise.solver import configure
from planner.scenario import SolverSettings

__all__ = ["WALL_SLACK", "Clock"]

WALL_SLACK = 2.0
"""A solve, or the whole search, is stopped by the wall clock only this many times past its
deterministic budget."""


class Clock:
    """Deterministic seconds spent by a roster call's solves, and solvers that charge them."""

    def __init__(self, settings: SolverSettings):
        self.settings = settings
        self.spent = 0.0
        self.started = time.perf_counter()

    def solver(self, seconds: float, **overrides) -> cp_model.CpSolver:
        """A solver with the settings, ``seconds`` of deterministic time and the wall-clock
        limit :data:`WALL_SLACK` times that (``overrides`` replace settings by name)."""
        return configure(
            self.settings,
            time_limit_seconds=max(seconds, 0.01),
            wall_slack=WALL_SLACK,
            **overrides,
        )

    def solve(self, solver: cp_model.CpSolver, model: cp_model.CpModel) -> int:
        """Solve ``model`` and charge its deterministic time."""
        status = solver.solve(model)
        self.spent += solver.deterministic_time
        return status

    def wall_seconds(self) -> float:
        return time.perf_counter() - self.started

    def overrun(self, budget: float) -> bool:
        """The wall clock has run :data:`WALL_SLACK` times past ``budget`` seconds."""
        return self.wall_seconds() > WALL_SLACK * budget
