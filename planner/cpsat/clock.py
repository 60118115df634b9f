"""The roster's clock: CP-SAT's deterministic time, so that a roster does not depend on how
busy the machine is, with the time limit kept all the same.

With one worker CP-SAT is deterministic for a given deterministic-time limit, but not for a
wall-clock one. The roster search is many small solves (counting models, neighbourhoods of a
few operators over a few days, explanations). Each gets a deterministic-time limit, and every
decision between them (how much time is left, whether a neighbourhood was solved quickly
enough to grow the next one) is taken on the deterministic time they have spent, never on the
wall clock. The wall clock only keeps the time limit: a solve's wall-clock limit is
:data:`WALL_SLACK` times its deterministic one, but never past the call's deadline, and the
search stops at the deadline.

So a roster is the same run after run whenever the call ends before its deadline, as
``emergency.yaml``'s 71 operators do on this project's machine (CP-SAT's deterministic time
runs ahead of the wall clock there, about 1.3 s a second, busy machine or not within reason).
When the deadline stops the search (300 operators over 28 days, where copying and building the
large models costs wall time deterministic time does not count; or a machine loaded to a crawl),
the roster is the best found by then, and may differ from run to run.
"""

from __future__ import annotations

import math
import threading
import time

from ortools.sat.python import cp_model

from planner.cpsat.solve import WALL_SLACK, configure, stop_requested
from planner.domain.scenario import SolverSettings

__all__ = ["WALL_SLACK", "Clock"]


class Clock:
    """Deterministic seconds spent by a roster call's solves, solvers that charge them, and the
    call's wall-clock deadline (``deadline_seconds`` from now; none when not given).

    ``cut`` turns true once the deadline has passed at a solve's end or at a check: from then
    on the result depends on the machine's speed and load, and may differ between runs."""

    def __init__(self, settings: SolverSettings, deadline_seconds: float | None = None):
        self.settings = settings
        self.spent = 0.0
        self.cut = False  # the deadline ended a solve or the search before deterministic time
        now = time.perf_counter()
        self.deadline = math.inf if deadline_seconds is None else now + deadline_seconds

    def solver(self, seconds: float, **overrides) -> cp_model.CpSolver:
        """A solver with the settings and ``seconds`` of deterministic time (``overrides``
        replace settings by name); its wall-clock limit is :data:`WALL_SLACK` times that,
        within the deadline."""
        seconds = max(seconds, 0.01)
        wall = min(WALL_SLACK * seconds, self.deadline - time.perf_counter())
        return configure(self.settings, time_limit_seconds=seconds, wall_seconds=wall, **overrides)

    def solve(self, solver: cp_model.CpSolver, model: cp_model.CpModel) -> int:
        """Solve ``model`` and charge its deterministic time."""
        status = solver.solve(model)
        self.spent += solver.deterministic_time
        self.cut |= time.perf_counter() >= self.deadline
        return status

    def out_of_time(self) -> bool:
        """The call's wall-clock deadline has passed (and so cut the search: :attr:`cut`)."""
        late = time.perf_counter() >= self.deadline
        self.cut |= late
        return late

    def stopped(self, stop: threading.Event | None) -> bool:
        """Stop pressed (``stop`` set), or the call's deadline passed."""
        return stop_requested(stop) or self.out_of_time()
