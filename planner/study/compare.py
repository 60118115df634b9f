"""Compare scenarios and sweep what-ifs: many solves, one table, on one machine or a cluster.

A capacity planner asks "what does a 4x surge cost with and without the 21 borrowed staff? how
big a surge can today's staff absorb at 80/20? is it better to pool the two lines?". Each answer
is a few solves side by side. This module runs them and lays the answers out:

- :func:`compare_scenarios`: several scenarios -> one KPI table (a row per scenario), the
  per-interval coverage of each (for overlay charts) and the differences against a reference;
- :func:`sweep` / :func:`iter_sweep`: a base scenario and a grid of field-path overrides
  (``surges[0].peak_multiplier=1,2,3,4,6``, ``pools[borrowed].headcount=0,21,40``; see
  :mod:`planner.overrides`), every combination a point, the results a table;
- :func:`capacity_search`, :func:`largest_absorbable_surge`,
  :func:`smallest_headcount_meeting_target`: capacity questions answered by a search along one
  sweep axis;
- executors: :class:`InProcess`, :class:`LocalProcesses` (the default, one process per core)
  and :class:`DaskCluster` (a ``dask.distributed`` scheduler, or a ``LocalCluster``).

Conventions
-----------
- **One solver worker per point.** Parallelism is across points; every point is solved with
  ``workers=1`` whatever its scenario says, which is also what makes a plan reproducible
  (:mod:`planner.cpsat.solve`). Every point uses its scenario's seed and time limit unless
  ``seed`` or ``time_limit_seconds`` is given. A sweep's results therefore equal sequential
  solves point by point, whichever executor runs them (as long as the time limit is not cut
  short by the wall clock on an overloaded machine; see the solver module).
- **Meets the target** (:func:`meets_target`): the plan exists, passes the solver-free check,
  and every queue's daily service level (call-weighted: calls answered within T over ALL calls
  offered that day, abandons counting as failures) is at least the queue's target on every day
  the queue is open and has calls. Other caps (abandonment, ASA) are reported, not required.
- **The KPI table is tidy**: one row per scenario or point; horizon totals (``paid_hours``,
  ``cost``, ``borrowed_hours``, ``understaffed_intervals``, ``peak_agents``, solver ``status``
  and ``gap``, ...) and per queue ``<queue>.<metric>`` (``consulting.service_level``,
  ``emergency.worst_day_service_level``, ...). A point that fails has ``status`` ``INVALID``
  (its overrides break a scenario rule) or ``ERROR`` (the solve raised) and the message in
  ``error``; the other points are not affected.
- Results stream back as points finish (:func:`iter_sweep`); tables are in point order.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import pandas as pd

from planner.domain.plan import COVERAGE_COLUMNS, PlanResult
from planner.domain.scenario import Scenario
from planner.errors import PlannerError, ScenarioError
from planner.overrides import Override, apply_overrides, show_value
from planner.shiftplan import plan_shifts

__all__ = [
    "TIMING_COLUMNS",
    "CapacityAnswer",
    "Comparison",
    "DaskCluster",
    "Executor",
    "ExecutorError",
    "InProcess",
    "LocalProcesses",
    "PointResult",
    "SweepProgress",
    "SweepResult",
    "capacity_search",
    "compare_scenarios",
    "differences",
    "grid_points",
    "iter_sweep",
    "kpi_row",
    "largest_absorbable_surge",
    "make_executor",
    "meets_target",
    "queue_meets_target",
    "results_coverage",
    "results_table",
    "smallest_headcount_meeting_target",
    "sweep",
]

TIMING_COLUMNS = ("solve_seconds", "point_seconds")
"""Columns that measure time: they differ from run to run; every other column is reproducible."""

_SL_TOLERANCE = 1e-9  # a daily service level this close below the target counts as meeting it


class ExecutorError(PlannerError):
    """The executor cannot run points (e.g. the Dask scheduler cannot be reached)."""


# --------------------------------------------------------------------------------------------------
# KPIs of one plan
# --------------------------------------------------------------------------------------------------


def queue_meets_target(scenario: Scenario, result: PlanResult, queue: str) -> bool:
    """Does ``queue`` meet its service-level target on every open day with calls?

    The daily service level is call-weighted (answered within T over all calls offered that day;
    :func:`planner.evaluate.daily_kpis`). A plan that does not exist or breaks a hard rule
    meets nothing.
    """
    if not result.solve.has_plan or not result.validation.ok:
        return False
    target = scenario.queue(queue).service_level
    daily = result.kpis_daily
    days = daily[(daily["queue"] == queue) & (daily["calls"] > 0)]
    return bool((days["service_level"] >= target - _SL_TOLERANCE).all())


def meets_target(
    scenario: Scenario, result: PlanResult, queues: Iterable[str] | None = None
) -> bool:
    """Does the plan meet the target: every queue (or those named), every open day?

    See :func:`queue_meets_target`; with ``queues`` unset, every queue of the scenario.
    """
    names = [q.name for q in scenario.queues] if queues is None else list(queues)
    return all(queue_meets_target(scenario, result, name) for name in names)


def kpi_row(scenario: Scenario, result: PlanResult) -> dict[str, Any]:
    """The plan's KPIs as one flat record (a row of the comparison and sweep tables).

    Returns
    -------
    dict
        ``name`` (the scenario's), ``status``, ``meets_target``, ``objective``, ``best_bound``,
        ``gap``, ``time_limit_seconds``, ``seed`` and ``solver_workers`` (the solver settings
        used), ``paid_hours``, ``cost``, ``borrowed_hours``, ``understaffed_intervals`` (open
        queue-intervals with fewer agents than required), ``shortfall_agent_hours``,
        ``peak_agents`` (most agents on duty in one interval, all queues),
        ``required_agent_hours``, ``valid`` (the solver-free check), ``solve_seconds``,
        ``hit_time_limit`` (the search stopped at the wall-clock limit short of the gap: the plan
        may depend on how busy the machine was); and per
        queue ``<queue>.calls``, ``.service_level`` (over the horizon),
        ``.worst_day_service_level``, ``.service_level_target``, ``.meets_target``,
        ``.abandon_rate`` (None under Erlang C), ``.asa_seconds``, ``.understaffed_intervals``,
        ``.peak_agents``. Money in the scenario's cost units; hours are paid hours or
        agent-hours on duty.
    """
    k, s = result.kpis, result.solve
    coverage = result.coverage
    on_duty = coverage[coverage["open"]].groupby(["day", "interval_start"])["staffed_agents"]
    totals = on_duty.sum()
    row: dict[str, Any] = {
        "name": scenario.name,
        "status": s.status,
        "meets_target": meets_target(scenario, result),
        "objective": s.objective,
        "best_bound": s.best_bound,
        "gap": s.gap,
        "time_limit_seconds": s.time_limit_seconds,
        "seed": s.seed,
        "solver_workers": s.workers,
        "paid_hours": k["paid_hours"],
        "cost": k["cost"],
        "borrowed_hours": k["borrowed_hours"],
        "understaffed_intervals": k["understaffed_intervals"],
        "shortfall_agent_hours": sum(q["shortfall_agent_hours"] for q in k["queues"].values()),
        "peak_agents": int(totals.max()) if len(totals) else 0,
        "required_agent_hours": k["required_agent_hours"],
        "valid": result.validation.ok,
        "solve_seconds": s.solve_seconds,
        "hit_time_limit": _hit_time_limit(s),
    }
    daily = result.kpis_daily
    for queue in scenario.queues:
        q = k["queues"][queue.name]
        days = daily[(daily["queue"] == queue.name) & (daily["calls"] > 0)]
        worst = float(days["service_level"].min()) if len(days) else None
        row |= {
            f"{queue.name}.calls": q["calls"],
            f"{queue.name}.service_level": q["service_level"],
            f"{queue.name}.worst_day_service_level": worst,
            f"{queue.name}.service_level_target": queue.service_level,
            f"{queue.name}.meets_target": queue_meets_target(scenario, result, queue.name),
            f"{queue.name}.abandon_rate": q["abandon_rate"],
            f"{queue.name}.asa_seconds": q["asa_seconds"],
            f"{queue.name}.understaffed_intervals": q["understaffed_intervals"],
            f"{queue.name}.peak_agents": q["peak_agents"],
        }
    return row


def _hit_time_limit(s) -> bool:
    """Did the search stop at the wall-clock time limit, short of the gap?

    Then the plan depends on how busy the machine was: with one worker CP-SAT is reproducible
    only when its deterministic limit or the gap ends the search (:mod:`planner.cpsat.solve`).
    Flagged when the status is not proven (``FEASIBLE``, ``UNKNOWN``) and the solve took at least
    99.9 % of the time limit; a deterministic stop that happens to coincide is flagged too.
    """
    unproven = s.status in ("FEASIBLE", "UNKNOWN")
    return bool(unproven and s.solve_seconds >= 0.999 * s.time_limit_seconds)


# --------------------------------------------------------------------------------------------------
# One point: the task a worker runs
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointResult:
    """One solved (or failed) point of a sweep or comparison.

    Attributes
    ----------
    index : int
        Position in the sweep (or comparison), from 0.
    label : str
        The point's overrides (``pools[borrowed].headcount=21``), or the scenario's label.
    overrides : tuple of Override
    kpis : mapping
        The row of :func:`kpi_row`; for a failed point only ``status``.
    error : str or None
        Why the point failed: the validation message of its overrides (status ``INVALID``) or
        the exception raised while solving (status ``ERROR``).
    coverage : pandas.DataFrame or None
        Per queue and interval (:data:`planner.domain.plan.COVERAGE_COLUMNS` and ``open``), when
        kept.
    point_seconds : float
        Wall time of the point on its worker (solve and evaluation), seconds.
    """

    index: int
    label: str
    overrides: tuple[Override, ...]
    kpis: Mapping[str, Any]
    error: str | None = None
    coverage: pd.DataFrame | None = None
    point_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class _Task:
    index: int
    scenario: Scenario
    solver: Mapping[str, Any]
    keep_coverage: bool


@dataclass(frozen=True)
class _Outcome:
    kpis: Mapping[str, Any]
    error: str | None
    coverage: pd.DataFrame | None
    seconds: float


def _solve_task(task: _Task) -> _Outcome:
    """Solve one point and reduce it to its KPI row (runs on a worker: module level, picklable)."""
    started = time.perf_counter()
    try:
        result = plan_shifts(task.scenario, **task.solver)
        row = kpi_row(task.scenario, result)
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


# --------------------------------------------------------------------------------------------------
# Executors
# --------------------------------------------------------------------------------------------------


class Executor(Protocol):
    """Runs a function over items somewhere, yielding results as they finish.

    ``run(fn, items)`` yields ``(position, fn(item))`` in the order the items finish; when the
    machinery itself fails for an item (its worker died, it could not be sent), the exception
    takes the place of the result, and the other items go on. ``workers`` is how many items run
    at once.
    """

    workers: int

    def run(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[tuple[int, Any]]: ...

    def close(self) -> None: ...


class InProcess:
    """Every point in this process, one after another: no parallelism, easiest to debug."""

    workers = 1

    def run(self, fn, items):
        for i, item in enumerate(items):
            yield i, fn(item)

    def close(self) -> None:
        pass

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def available_cores() -> int:
    """Cores this process may use (its CPU affinity where the system tells it)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


class WorkerDied(RuntimeError):
    """The process running a point died (killed, out of memory, a crash in native code)."""


class LocalProcesses:
    """Points in parallel worker processes on this machine (the default executor).

    Parameters
    ----------
    workers : int, optional
        Processes; default one per available core.

    Notes
    -----
    Workers are started by a fork server that has imported the planner once (``spawn`` where
    there is no fork server), never forked from the caller, which may run threads (the solver's,
    a web server's). At most ``workers`` points are in flight at a time, so that when a worker
    process dies only those points are in doubt: each of them is run again alone in a fresh
    process, and only the one that kills its process again is reported failed.
    """

    def __init__(self, workers: int | None = None):
        if workers is not None and workers < 1:
            raise ValueError(f"workers = {workers}: must be at least 1")
        self.workers = workers or available_cores()
        self._pool: ProcessPoolExecutor | None = None

    def _context(self):
        methods = multiprocessing.get_all_start_methods()
        if "forkserver" in methods:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["planner.study.compare"])
            return ctx
        return multiprocessing.get_context("spawn")

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=self._context())

    def run(self, fn, items):
        todo = deque(range(len(items)))
        while todo:
            if self._pool is None:
                self._pool = self._new_pool(self.workers)
            suspects = yield from self._run_pool(self._pool, fn, items, todo)
            if suspects:
                self._discard_pool()
                for i in suspects:
                    yield i, self._run_alone(fn, items[i])

    def _run_pool(self, pool, fn, items, todo):
        """Run items from ``todo``; on a broken pool, return the positions that were in flight."""
        running: dict = {}
        finished = False
        try:
            while todo or running:
                while todo and len(running) < self.workers:
                    i = todo.popleft()
                    running[pool.submit(fn, items[i])] = i
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    i = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        finished = True
                        return sorted([i, *running.values()])
                    except Exception as exc:  # could not send or receive this item
                        result = exc
                    yield i, result
            finished = True
            return []
        finally:
            if not finished:  # the caller stopped early (an interrupt): do not wait for solves
                self._discard_pool(kill=True)

    def _run_alone(self, fn, item):
        with self._new_pool(1) as pool:
            try:
                return pool.submit(fn, item).result()
            except BrokenProcessPool:
                return WorkerDied(
                    "the worker process running this point died, twice (killed, out of memory, "
                    "a crash in the solver, or a function it could not import: see its output)"
                )
            except Exception as exc:
                return exc

    def _discard_pool(self, kill: bool = False) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=not kill, cancel_futures=True)
        if kill:
            for process in processes:  # shutdown does not stop a running solve
                process.terminate()

    def close(self) -> None:
        self._discard_pool()

    def __enter__(self) -> LocalProcesses:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class DaskCluster:
    """Points on a ``dask.distributed`` cluster.

    Parameters
    ----------
    cluster : distributed.Client, distributed.LocalCluster or str
        A connected client (left open), a cluster object, or a scheduler address
        (``tcp://host:8786``) to connect to (the connection is closed by :meth:`close`).

    Notes
    -----
    The workers must be able to import this version of ``planner`` (and its dependencies).
    Every point is one task (``pure=False``: two equal points are still solved twice); a task
    whose worker dies is retried elsewhere by the scheduler, and after its allowed failures
    reported failed in its row. Give each worker one thread per core (``--nthreads 1`` with one
    worker per core, or ``--nthreads`` = cores): every solve uses one core.
    """

    def __init__(self, cluster: Any):
        self._target = cluster
        self._client = None
        self._own = False

    @property
    def client(self):
        if self._client is None:
            from distributed import Client

            target = self._target
            if isinstance(target, Client):
                self._client = target
            else:
                try:
                    self._client = Client(target, timeout="10s")
                except (OSError, TimeoutError) as exc:
                    raise ExecutorError(
                        f"cannot reach the Dask scheduler at {target}: {exc}"
                    ) from None
                self._own = True
        return self._client

    @property
    def workers(self) -> int:
        return max(sum(self.client.nthreads().values()), 1)

    def run(self, fn, items):
        from distributed import as_completed

        client = self.client
        futures = [client.submit(fn, item, pure=False) for item in items]
        position = {future.key: i for i, future in enumerate(futures)}
        finished = False
        try:
            for future in as_completed(futures):
                i = position[future.key]
                try:
                    result = future.result()
                except Exception as exc:  # the task could not run (e.g. its worker kept dying)
                    result = exc
                yield i, result
            finished = True
        finally:
            if not finished:
                client.cancel(futures)

    def close(self) -> None:
        if self._own and self._client is not None:
            self._client.close()
        self._client = None

    def __enter__(self) -> DaskCluster:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def make_executor(workers: int | None = None, scheduler: Any = None) -> Executor:
    """The executor for the command line's choices: a Dask scheduler, or local processes.

    ``workers=1`` runs in this process (no worker processes to start).
    """
    if scheduler is not None:
        if workers is not None:
            raise ValueError("give workers or a scheduler, not both")
        return DaskCluster(scheduler)
    if workers == 1:
        return InProcess()
    return LocalProcesses(workers)


# --------------------------------------------------------------------------------------------------
# Running points
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Point:
    index: int
    label: str
    overrides: tuple[Override, ...]
    scenario: Scenario | None
    error: str | None


@dataclass(frozen=True)
class SweepProgress:
    """Where a run is: points done (failed ones included) of the total, time since it started."""

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


def _solver_overrides(time_limit_seconds: float | None, seed: int | None) -> dict[str, Any]:
    solver: dict[str, Any] = {"workers": 1}
    if time_limit_seconds is not None:
        solver["time_limit_seconds"] = time_limit_seconds
    if seed is not None:
        solver["seed"] = seed
    return solver


def _run_points(
    points: Sequence[_Point],
    executor: Executor | None,
    solver: Mapping[str, Any],
    keep_coverage: bool,
) -> Iterator[PointResult]:
    """Points that failed before solving first, then the others as they finish."""
    for p in points:
        if p.error is not None:
            yield PointResult(p.index, p.label, p.overrides, {"status": "INVALID"}, p.error)
    ready = [p for p in points if p.error is None]
    if not ready:
        return
    own = executor is None
    executor = executor or LocalProcesses(min(available_cores(), len(ready)))
    try:
        tasks = [_Task(p.index, p.scenario, dict(solver), keep_coverage) for p in ready]
        for position, outcome in executor.run(_solve_task, tasks):
            p = ready[position]
            if isinstance(outcome, BaseException):
                kpis, error, coverage, seconds = {"status": "ERROR"}, _describe(outcome), None, 0.0
            else:
                kpis, error = outcome.kpis, outcome.error
                coverage, seconds = outcome.coverage, outcome.seconds
            yield PointResult(p.index, p.label, p.overrides, kpis, error, coverage, seconds)
    finally:
        if own:
            executor.close()


def _with_progress(
    results: Iterator[PointResult], total: int, progress: Callable[[SweepProgress], None] | None
) -> Iterator[PointResult]:
    started = time.perf_counter()
    failed = 0
    for done, result in enumerate(results, start=1):
        failed += not result.ok
        if progress is not None:
            progress(SweepProgress(done, total, failed, time.perf_counter() - started, result))
        yield result


# --------------------------------------------------------------------------------------------------
# Sweeps
# --------------------------------------------------------------------------------------------------


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


def _prepare(base: Scenario, overrides: Sequence[tuple[Override, ...]]) -> list[_Point]:
    points = []
    for index, point in enumerate(overrides):
        label = ", ".join(str(o) for o in point) or base.name
        try:
            scenario, error = apply_overrides(base, point), None
        except ScenarioError as exc:
            scenario, error = None, str(exc)
        points.append(_Point(index, label, point, scenario, error))
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

    Yields
    ------
    PointResult
        Points whose overrides are invalid first (status ``INVALID``), then the others in the
        order they finish. Overrides are applied and validated here, before anything is sent.
    """
    points = _prepare(base, _normalise_points(grid))
    solver = _solver_overrides(time_limit_seconds, seed)
    results = _run_points(points, executor, solver, keep_coverage)
    yield from _with_progress(results, len(points), progress)


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
        return tuple(p for p in self.points if not p.ok)


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


def results_table(results: Sequence[PointResult]) -> pd.DataFrame:
    """The sweep table of some point results (in the order given)."""
    paths: list[str] = []
    for r in results:
        paths += [o.path for o in r.overrides if o.path not in paths]
    rows = []
    for r in results:
        row: dict[str, Any] = {"point": r.index, "label": r.label}
        row |= dict.fromkeys(paths)
        row |= {o.path: _cell(o.value) for o in r.overrides}
        row |= dict(r.kpis)
        row |= {"error": r.error, "point_seconds": r.point_seconds}
        rows.append(row)
    return _table(rows, ["point", "label", *paths])


def _cell(value: Any) -> Any:
    return value if isinstance(value, int | float | str | bool) else show_value(value)


def _table(rows: list[dict[str, Any]], lead: Sequence[str]) -> pd.DataFrame:
    """Rows as a table: the ``lead`` columns, the totals, the per-queue columns grouped by queue
    (in the order the queues first appear), then ``error`` and ``point_seconds``."""
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    rest = [c for c in columns if c not in lead]
    tail = [c for c in ("error", "point_seconds") if c in rest]
    queue = [c for c in rest if c not in tail and _is_queue_column(c)]
    plain = [c for c in rest if c not in tail and c not in queue]
    return pd.DataFrame.from_records(rows, columns=[*lead, *plain, *queue, *tail])


_QUEUE_METRICS = frozenset(
    {
        "calls",
        "service_level",
        "worst_day_service_level",
        "service_level_target",
        "meets_target",
        "abandon_rate",
        "asa_seconds",
        "understaffed_intervals",
        "peak_agents",
    }
)


def _is_queue_column(column: str) -> bool:
    queue, dot, metric = column.rpartition(".")
    return bool(dot) and metric in _QUEUE_METRICS and "[" not in queue


def results_coverage(results: Sequence[PointResult], key: str = "point") -> pd.DataFrame | None:
    """Every kept coverage, with its point's ``key`` (position) and ``label``; None if none."""
    parts = [
        r.coverage.assign(**{key: r.index, "label": r.label})
        for r in results
        if r.coverage is not None
    ]
    if not parts:
        return None
    table = pd.concat(parts, ignore_index=True)
    return table[[key, "label", *[c for c in table.columns if c not in (key, "label")]]]


# --------------------------------------------------------------------------------------------------
# Comparing scenarios
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Several scenarios side by side.

    Attributes
    ----------
    kpis : pandas.DataFrame
        One row per scenario, in the order given: ``scenario`` (its label), then the columns
        of :func:`kpi_row`, ``error`` and ``point_seconds``.
    coverage : pandas.DataFrame
        Every scenario's per-interval coverage, with its ``scenario`` label: for overlay charts.
    differences : pandas.DataFrame
        Each scenario's numeric KPIs minus the reference's (:func:`differences`).
    reference : str
        The reference scenario's label.
    results : tuple of PointResult
    """

    kpis: pd.DataFrame
    coverage: pd.DataFrame
    differences: pd.DataFrame
    reference: str
    results: tuple[PointResult, ...] = field(repr=False, default=())


def _unique_labels(labels: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique


def compare_scenarios(
    scenarios: Sequence[Scenario],
    *,
    labels: Sequence[str] | None = None,
    reference: str | int = 0,
    executor: Executor | None = None,
    time_limit_seconds: float | None = None,
    seed: int | None = None,
    progress: Callable[[SweepProgress], None] | None = None,
) -> Comparison:
    """Solve several scenarios and lay their KPIs side by side.

    Parameters
    ----------
    scenarios : sequence of Scenario
    labels : sequence of str, optional
        How each scenario is called in the tables; default its ``name`` (repeats numbered).
    reference : str or int
        The scenario the others are compared with: a label or a position (default the first).
    executor, time_limit_seconds, seed, progress
        As for :func:`iter_sweep`.

    Raises
    ------
    ValueError
        If ``reference`` names no scenario, or the labels are not one per scenario.
    """
    if not scenarios:
        raise ValueError("give at least one scenario to compare")
    labels = _unique_labels(labels or [s.name for s in scenarios])
    if len(labels) != len(scenarios):
        raise ValueError(f"{len(labels)} labels for {len(scenarios)} scenarios")
    reference_label = _reference_label(labels, reference)
    points = [_Point(i, labels[i], (), s, None) for i, s in enumerate(scenarios)]
    solver = _solver_overrides(time_limit_seconds, seed)
    results = _with_progress(_run_points(points, executor, solver, True), len(points), progress)
    ordered = sorted(results, key=lambda r: r.index)
    rows = [
        {"scenario": r.label, **r.kpis, "error": r.error, "point_seconds": r.point_seconds}
        for r in ordered
    ]
    kpis = _table(rows, ["scenario"])
    coverage = results_coverage(ordered, "position")
    if coverage is None:
        coverage = pd.DataFrame(columns=["scenario", *COVERAGE_COLUMNS, "open"])
    else:
        coverage = coverage.drop(columns="position").rename(columns={"label": "scenario"})
    return Comparison(
        kpis=kpis,
        coverage=coverage,
        differences=differences(kpis, reference_label),
        reference=reference_label,
        results=tuple(ordered),
    )


def _reference_label(labels: Sequence[str], reference: str | int) -> str:
    if isinstance(reference, int) and not isinstance(reference, bool):
        if not 0 <= reference < len(labels):
            raise ValueError(f"reference {reference}: give a position from 0 to {len(labels) - 1}")
        return labels[reference]
    if reference not in labels:
        raise ValueError(f"reference {reference!r} names no scenario; known: {', '.join(labels)}")
    return reference


def differences(table: pd.DataFrame, reference: str, *, key: str = "scenario") -> pd.DataFrame:
    """Each row's numeric KPIs minus the reference row's (the reference row is all zeros).

    Timing columns (:data:`TIMING_COLUMNS`), true/false columns and text are left out; a
    difference with a missing value (a queue one scenario does not have, a failed point) is
    missing.
    """
    rows = table.set_index(key)
    if reference not in rows.index:
        raise ValueError(f"reference {reference!r} is not a row of the table")
    numeric = [
        c
        for c in rows.columns
        if c not in TIMING_COLUMNS
        and c != "point"
        and pd.api.types.is_numeric_dtype(rows[c])
        and not pd.api.types.is_bool_dtype(rows[c])
    ]
    values = rows[numeric].astype(float)
    return (values - values.loc[reference]).reset_index()


# --------------------------------------------------------------------------------------------------
# Capacity questions
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapacityAnswer:
    """The answer to a capacity question along one axis.

    Attributes
    ----------
    path : str
        The field searched (``surges[0].peak_multiplier``).
    want : "largest" or "smallest"
        The largest value that still meets the target (a surge absorbed), or the smallest that
        meets it (staff needed).
    value : number or None
        The answer: its plan meets the target. None when no value of the range does.
    next_value : number or None
        The next step beyond the answer (``value + step`` for largest, ``value - step`` for
        smallest): its plan does not meet the target. None when the answer is at the end of
        the range (every value of the range meets the target: widen the range).
    outcome : "found", "none_meets" or "all_meet"
    queues : tuple of str
        The queues whose target had to be met.
    evaluations : pandas.DataFrame
        Every value solved, in value order: the value, ``meets``, and the KPI row.
    """

    path: str
    want: Literal["largest", "smallest"]
    value: float | int | None
    next_value: float | int | None
    outcome: Literal["found", "none_meets", "all_meet"]
    queues: tuple[str, ...]
    low: float | int
    high: float | int
    step: float | int
    evaluations: pd.DataFrame

    def summary(self) -> str:
        """One sentence: the answer, the next step that fails, or why there is no answer."""
        show = self._show
        what = "every queue" if not self.queues else ", ".join(self.queues)
        span = f"from {show(self.low)} to {show(self.high)}"
        if self.outcome == "none_meets":
            return f"no value of {self.path} {span} meets the target ({what})"
        if self.outcome == "all_meet":
            end = "highest" if self.want == "largest" else "lowest"
            return (
                f"{self.path} = {show(self.value)} meets the target ({what}) and is the {end} "
                f"value of the range {span}: widen the range"
            )
        return (
            f"{self.want} {self.path} meeting the target ({what}): {show(self.value)} "
            f"(at {show(self.next_value)} it is not met; step {show(self.step)})"
        )

    def _show(self, value: float | int) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        text = f"{round(value, 10):.10f}".rstrip("0")
        return text + "0" if text.endswith(".") else text


def capacity_search(
    base: Scenario,
    path: str,
    *,
    low: float,
    high: float,
    step: float,
    want: Literal["largest", "smallest"],
    queues: Sequence[str] | None = None,
    executor: Executor | None = None,
    time_limit_seconds: float | None = None,
    seed: int | None = None,
    progress: Callable[[PointResult], None] | None = None,
) -> CapacityAnswer:
    """Search one field for the largest (or smallest) value whose plan meets the target.

    The field takes the values ``low, low + step, ..., high`` (``high`` must be on that grid;
    whole numbers when ``low``, ``high`` and ``step`` are). "Meets the target" is
    :func:`meets_target` over ``queues`` (default every queue): every such queue's daily
    service level is at least its target on every open day.

    Method: bisection on the grid positions. Both ends are solved first; then the bracket
    between a value that meets the target and one that does not is halved at its midpoint
    (``(lo + hi) // 2``) until the two are one step apart. The answer therefore always meets the
    target and the next step does not. With several workers the search is speculative: each
    round solves the next midpoints the bisection may need (breadth-first down its tree, as many
    as there are workers), so it takes fewer rounds, but follows the same path and gives the
    same answer whatever the executor and however many workers it has.

    When meeting the target is monotone along the field (more calls never help; more staff
    never hurt) the answer is the largest (smallest) value on the grid. It need not be: in
    ``interval`` mode the optimiser minimises cost plus interval shortfalls, not daily service,
    and can trade one line against another; the optimiser's gap adds noise. The answer is then
    a boundary, not necessarily the extreme one (``evaluations`` shows every value solved).

    Raises
    ------
    ScenarioError
        If the field or an end of the range is invalid for the scenario.
    ValueError
        If the range or step is malformed, or ``queues`` names no queue.
    PlannerError
        If a value's solve fails (the message of the point).
    """
    if want not in ("largest", "smallest"):
        raise ValueError(f"want = {want!r}: give 'largest' or 'smallest'")
    if not step > 0:
        raise ValueError(f"step = {step}: must be > 0")
    if not high > low:
        raise ValueError(f"the range {low} to {high}: the upper end must be above the lower")
    count = round((high - low) / step)
    if not math.isclose(low + count * step, high, rel_tol=1e-9, abs_tol=1e-9):
        raise ValueError(f"{high} is not {low} plus a whole number of steps of {step}")
    whole = all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high, step))
    known = [q.name for q in base.queues]
    for name in queues or ():
        if name not in known:
            raise ValueError(f"queue {name!r} is not in the scenario; known: {', '.join(known)}")
    chosen = tuple(queues or known)

    def value(k: int) -> float | int:
        return low + k * step if whole else round(low + k * step, 10)

    for k in (0, count):  # an invalid field or end fails here, before any solve
        apply_overrides(base, [Override(path, value(k))])

    own = executor is None
    executor = executor or LocalProcesses()
    solver = _solver_overrides(time_limit_seconds, seed)
    seen: dict[int, PointResult] = {}
    meets: dict[int, bool] = {}

    def evaluate(ks: Iterable[int]) -> None:
        ks = sorted(set(ks) - set(seen))
        points = _prepare(base, [(Override(path, value(k)),) for k in ks])
        for r in _run_points(points, executor, solver, False):
            if not r.ok:
                raise PlannerError(f"{path} = {show_value(value(ks[r.index]))}: {r.error}")
            k = ks[r.index]
            seen[k] = r
            meets[k] = r.kpis["status"] in ("OPTIMAL", "FEASIBLE") and all(
                r.kpis[f"{q}.meets_target"] for q in chosen
            )
            if progress is not None:
                progress(r)

    try:
        evaluate([0, count, *_midpoints(0, count, max(executor.workers - 2, 0), meets)])
        good_end = 0 if want == "largest" else count
        if not meets[good_end]:
            outcome, answer, beyond = "none_meets", None, None
        elif meets[count - good_end]:
            outcome, answer, beyond = "all_meet", count - good_end, None
        else:
            lo, hi = _bisect(0, count, meets)
            while hi - lo > 1:
                evaluate(_midpoints(lo, hi, executor.workers, meets))
                lo, hi = _bisect(lo, hi, meets)
            outcome = "found"
            answer, beyond = (lo, hi) if want == "largest" else (hi, lo)
    finally:
        if own:
            executor.close()
    rows = [
        {path: value(k), "meets": meets[k], **seen[k].kpis, "point_seconds": seen[k].point_seconds}
        for k in sorted(seen)
    ]
    return CapacityAnswer(
        path=path,
        want=want,
        value=None if answer is None else value(answer),
        next_value=None if beyond is None else value(beyond),
        outcome=outcome,
        queues=tuple(queues or ()),
        low=low,
        high=high,
        step=step,
        evaluations=_table(rows, [path, "meets"]),
    )


def _midpoints(lo: int, hi: int, count: int, known: Mapping[int, bool]) -> list[int]:
    """The first ``count`` unsolved midpoints of the bisection tree of ``[lo, hi]``, breadth-first.

    The tree's root is the midpoint ``(lo + hi) // 2``, its children the midpoints of the two
    halves, and so on: the values bisection may solve next, nearest first.
    """
    found: list[int] = []
    brackets = deque([(lo, hi)])
    while brackets and len(found) < count:
        a, b = brackets.popleft()
        if b - a < 2:
            continue
        middle = (a + b) // 2
        if middle not in known:
            found.append(middle)
        brackets.extend([(a, middle), (middle, b)])
    return found


def _bisect(lo: int, hi: int, meets: Mapping[int, bool]) -> tuple[int, int]:
    """Halve the bracket while its midpoint is solved (``meets[lo] != meets[hi]`` throughout)."""
    while hi - lo > 1 and (lo + hi) // 2 in meets:
        middle = (lo + hi) // 2
        lo, hi = (middle, hi) if meets[middle] == meets[lo] else (lo, middle)
    return lo, hi


def largest_absorbable_surge(
    scenario: Scenario,
    surge: int | str = 0,
    *,
    low: float = 1.0,
    high: float = 6.0,
    step: float = 0.1,
    **options,
) -> CapacityAnswer:
    """The largest ``peak_multiplier`` of a surge the scenario's staff absorb, meeting the target.

    ``surge`` is the surge's position or name in ``surges``; the search steps by ``step``
    (0.1x by default) from ``low`` to ``high``. Other options as :func:`capacity_search`.
    """
    path = f"surges[{surge}].peak_multiplier"
    return capacity_search(scenario, path, low=low, high=high, step=step, want="largest", **options)


def smallest_headcount_meeting_target(
    scenario: Scenario,
    pool: int | str = "borrowed",
    *,
    low: int = 0,
    high: int = 100,
    step: int = 1,
    **options,
) -> CapacityAnswer:
    """The smallest headcount of a pool (by default ``borrowed``) meeting the target.

    Steps of one person from ``low`` to ``high`` by default. Apply a surge first
    (:func:`planner.overrides.apply_overrides`) to ask "at a given surge". Other options as
    :func:`capacity_search`.
    """
    path = f"pools[{pool}].headcount"
    return capacity_search(
        scenario, path, low=low, high=high, step=step, want="smallest", **options
    )
