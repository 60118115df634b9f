"""Running a study's points: each point a scenario solved on a worker and reduced to its KPI row.

Every point is solved with one solver worker (``workers=1`` whatever its scenario says):
parallelism is across points, and one worker is what makes a plan reproducible
(:mod:`planner.cpsat.solve`). This module holds the function the workers run
(:data:`planner.study.executors.WORKER_MODULE`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planner.domain.plan import COVERAGE_COLUMNS
from planner.domain.scenario import Scenario
from planner.errors import PlannerError, ScenarioError
from planner.overrides import Override, apply_overrides
from planner.shiftplan import plan_shifts
from planner.simulate import SimulationSettings
from planner.study.executors import Executor, LocalProcesses, PointStopped, available_cores
from planner.study.tables import STOPPED, PointResult, kpi_row, simulated_row

__all__ = [
    "Point",
    "prepare_points",
    "run_points",
    "solver_overrides",
]


@dataclass(frozen=True)
class _Task:
    index: int
    scenario: Scenario
    solver: Mapping[str, Any]
    keep_coverage: bool
    simulation: SimulationSettings | None = None


@dataclass(frozen=True)
class _Outcome:
    kpis: Mapping[str, Any]
    error: str | None
    coverage: pd.DataFrame | None
    seconds: float


def _solve_task(task: _Task, stop: threading.Event | None = None) -> _Outcome:
    """Solve one point and reduce it to its KPI row (runs on a worker: module level, picklable).

    ``stop`` (in this process only) ends the solve early; the point is then reported stopped,
    its plan so far not kept (a plan cut short is not the point's plan).
    """
    started = time.perf_counter()
    try:
        result = plan_shifts(task.scenario, **task.solver, stop=stop)
        if result.solve.stopped:
            stopped = PointStopped(started=True)
            return _Outcome({"status": STOPPED}, str(stopped), None, time.perf_counter() - started)
        row = kpi_row(task.scenario, result)
        if task.simulation is not None and result.solve.has_plan:
            row |= simulated_row(
                task.scenario, task.simulation.simulate(task.scenario, result.plan)
            )
        coverage = None
        if task.keep_coverage:
            coverage = result.coverage[[*COVERAGE_COLUMNS, "open"]].reset_index(drop=True)
    except Exception as exc:  # one point's failure is reported in its row; the others go on
        return _Outcome({"status": "ERROR"}, _describe(exc), None, time.perf_counter() - started)
    return _Outcome(row, None, coverage, time.perf_counter() - started)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, PlannerError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


@dataclass(frozen=True)
class Point:
    index: int
    label: str
    overrides: tuple[Override, ...]
    scenario: Scenario | None
    error: str | None


def solver_overrides(time_limit_seconds: float | None, seed: int | None) -> dict[str, Any]:
    solver: dict[str, Any] = {"workers": 1}
    if time_limit_seconds is not None:
        solver["time_limit_seconds"] = time_limit_seconds
    if seed is not None:
        solver["seed"] = seed
    return solver


def run_points(
    points: Sequence[Point],
    executor: Executor | None,
    solver: Mapping[str, Any],
    keep_coverage: bool,
    simulation: SimulationSettings | None = None,
    stop: threading.Event | None = None,
) -> Iterator[PointResult]:
    """Points that failed before solving first, then the others as they finish.

    With ``simulation``, each plan found is also simulated call by call on its worker
    (:func:`planner.study.tables.simulated_row` adds the figures to its row). Once ``stop`` is
    set, the solves in flight are ended at once and every point not finished is yielded with
    status ``STOPPED`` (:attr:`PointResult.stopped`); the points finished before are kept.
    """
    for p in points:
        if p.error is not None:
            yield PointResult(p.index, p.label, p.overrides, {"status": "INVALID"}, p.error)
    ready = [p for p in points if p.error is None]
    if not ready:
        return
    own = executor is None
    executor = executor or LocalProcesses(min(available_cores(), len(ready)))
    try:
        tasks = [_Task(p.index, p.scenario, dict(solver), keep_coverage, simulation) for p in ready]
        for position, outcome in executor.run(_solve_task, tasks, stop):
            p = ready[position]
            if isinstance(outcome, PointStopped):
                kpis, error, coverage, seconds = {"status": STOPPED}, str(outcome), None, 0.0
            elif isinstance(outcome, BaseException):
                kpis, error, coverage, seconds = {"status": "ERROR"}, _describe(outcome), None, 0.0
            else:
                kpis, error = outcome.kpis, outcome.error
                coverage, seconds = outcome.coverage, outcome.seconds
            yield PointResult(p.index, p.label, p.overrides, kpis, error, coverage, seconds)
    finally:
        if own:
            executor.close()


def prepare_points(base: Scenario, overrides: Sequence[tuple[Override, ...]]) -> list[Point]:
    points = []
    for index, point in enumerate(overrides):
        label = ", ".join(str(o) for o in point) or base.name
        try:
            scenario, error = apply_overrides(base, point), None
        except ScenarioError as exc:
            scenario, error = None, str(exc)
        points.append(Point(index, label, point, scenario, error))
    return points
