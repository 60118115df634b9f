"""Sweeps: a base scenario and a grid of field-path overrides, every combination a point.

``surges[0].peak_multiplier=1,2,3,4,6``, ``pools[borrowed].headcount=0,21,40`` (see
:mod:`planner.overrides`). Every point uses its scenario's seed and time limit unless ``seed`` or
``time_limit_seconds`` is given, and one solver worker, so a sweep's results equal sequential
solves point by point whichever executor runs them (as long as the time limit is not cut short
by the wall clock on an overloaded machine). Results stream back as points finish
(:func:`iter_sweep`); tables are in point order.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planner.domain.scenario import Scenario
from planner.overrides import Override
from planner.study.executors import Executor
from planner.study.points import prepare_points, run_points, solver_overrides
from planner.study.tables import PointResult, results_coverage, results_table

__all__ = [
    "SweepProgress",
    "SweepResult",
    "grid_points",
    "iter_sweep",
    "sweep",
    "with_progress",
]


@dataclass(frozen=True)
class SweepProgress:
    """Where a run is: points done (failed and stopped ones included) of the total, time since it
    started; ``failed`` counts the points that failed (not those stopped)."""

    done: int
    total: int
    failed: int
    elapsed_seconds: float
    last: PointResult

    @property
    def remaining_seconds(self) -> float | None:
        """A naive estimate: the mean time per point done so far, times the points left."""
        if self.done == 0:
            return None
        return self.elapsed_seconds / self.done * (self.total - self.done)


def with_progress(
    results: Iterator[PointResult], total: int, progress: Callable[[SweepProgress], None] | None
) -> Iterator[PointResult]:
    started = time.perf_counter()
    failed = 0
    for done, result in enumerate(results, start=1):
        failed += result.failed
        if progress is not None:
            progress(SweepProgress(done, total, failed, time.perf_counter() - started, result))
        yield result


def grid_points(grid: Mapping[str, Sequence[Any]]) -> list[tuple[Override, ...]]:
    """Every combination of the axes' values, the last axis varying fastest.

    ``{"a": [1, 2], "b": [3, 4]}`` gives ``(a=1, b=3), (a=1, b=4), (a=2, b=3), (a=2, b=4)``.
    """
    for path, values in grid.items():
        if isinstance(values, str | bytes) or not isinstance(values, Sequence) or not values:
            raise ValueError(f"sweep axis {path}: give a non-empty list of values")
    axes = [[Override(path, value) for value in values] for path, values in grid.items()]
    return list(itertools.product(*axes))


def _normalise_points(
    grid: Mapping[str, Sequence[Any]] | Sequence[Sequence[Override] | Mapping[str, Any]],
) -> list[tuple[Override, ...]]:
    if isinstance(grid, Mapping):
        return grid_points(grid)
    points = []
    for point in grid:
        if isinstance(point, Mapping):
            point = [Override(path, value) for path, value in point.items()]
        points.append(tuple(point))
    return points


def iter_sweep(
    base: Scenario,
    grid: Mapping[str, Sequence[Any]] | Sequence[Sequence[Override] | Mapping[str, Any]],
    *,
    executor: Executor | None = None,
    time_limit_seconds: float | None = None,
    seed: int | None = None,
    keep_coverage: bool = False,
    progress: Callable[[SweepProgress], None] | None = None,
    stop: threading.Event | None = None,
) -> Iterator[PointResult]:
    """Solve every point of a sweep, yielding each result as it finishes.

    Parameters
    ----------
    base : Scenario
    grid : mapping of path to values, or sequence of points
        A mapping sweeps every combination (:func:`grid_points`); a sequence gives the points
        one by one, each a mapping of path to value or a sequence of :class:`Override`.
    executor : Executor, optional
        Default: :class:`LocalProcesses` on every available core (closed at the end).
    time_limit_seconds, seed : optional
        Replace every point's solver time limit and seed; default: each point's own (the base
        scenario's unless a point overrides ``solver.*``). Every point is solved with one worker.
    keep_coverage : bool
        Keep each point's per-interval coverage.
    progress : callable, optional
        Called with a :class:`SweepProgress` after each point.
    stop : threading.Event, optional
        Set it to end the sweep: the solves in flight end at once (they are not waited for) and
        every point not finished is yielded with status ``STOPPED``; finished points are kept.

    Yields
    ------
    PointResult
        Points whose overrides are invalid first (status ``INVALID``), then the others in the
        order they finish. Overrides are applied and validated here, before anything is sent.
    """
    points = prepare_points(base, _normalise_points(grid))
    solver = solver_overrides(time_limit_seconds, seed)
    results = run_points(points, executor, solver, keep_coverage, stop=stop)
    yield from with_progress(results, len(points), progress)


@dataclass(frozen=True)
class SweepResult:
    """A finished sweep.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per point, in point order: ``point``, ``label``, one column per override path
        with the point's value, then the KPI columns of :func:`kpi_row`, ``error`` and
        ``point_seconds``.
    points : tuple of PointResult
        In point order.
    coverage : pandas.DataFrame or None
        With ``keep_coverage``: every point's coverage, with its ``point`` and ``label``.
    wall_seconds : float
    """

    table: pd.DataFrame
    points: tuple[PointResult, ...]
    coverage: pd.DataFrame | None
    wall_seconds: float

    @property
    def failed(self) -> tuple[PointResult, ...]:
        """The points that are invalid or whose solve raised (not those stopped)."""
        return tuple(p for p in self.points if p.failed)

    @property
    def stopped(self) -> tuple[PointResult, ...]:
        """The points ended by the caller's stop before their solve finished."""
        return tuple(p for p in self.points if p.stopped)


def sweep(
    base: Scenario,
    grid: Mapping[str, Sequence[Any]] | Sequence[Sequence[Override] | Mapping[str, Any]],
    **options,
) -> SweepResult:
    """Solve every point of a sweep and collect the table (options as :func:`iter_sweep`)."""
    started = time.perf_counter()
    results = sorted(iter_sweep(base, grid, **options), key=lambda r: r.index)
    return SweepResult(
        table=results_table(results),
        points=tuple(results),
        coverage=results_coverage(results, "point"),
        wall_seconds=time.perf_counter() - started,
    )
