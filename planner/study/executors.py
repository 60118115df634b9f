"""Where a study's points run: in this process, in local worker processes, or on a Dask cluster.

An executor runs a function over items and yields the results as they finish
(:class:`Executor`); a failure of the machinery for one item (its worker died, it could not be
sent) takes the place of that item's result, and the other items go on. A ``stop`` event ends a
run early: the items in flight are ended at once (their solves are not waited for) and every
item not finished is reported as :class:`PointStopped`.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from planner.errors import PlannerError

__all__ = [
    "DaskCluster",
    "Executor",
    "ExecutorError",
    "InProcess",
    "LocalProcesses",
    "PointStopped",
    "WorkerDied",
    "available_cores",
    "make_executor",
]

WORKER_MODULE = "planner.study.points"
"""The module holding the function every worker runs: the fork server imports it once."""

POLL_SECONDS = 0.1
"""How often a run waiting for its items looks at its stop event, seconds."""


class ExecutorError(PlannerError):
    """The executor cannot run points (e.g. the Dask scheduler cannot be reached)."""


class PointStopped(Exception):
    """Takes the place of an item's result when the run's stop event ended it unfinished.

    ``started`` says whether the item had begun (its work was cut short) or was still waiting.
    """

    def __init__(self, started: bool):
        self.started = started
        super().__init__(
            "stopped by the caller while it was being solved"
            if started
            else "stopped by the caller before it was solved"
        )


class Executor(Protocol):
    """Runs a function over items somewhere, yielding results as they finish.

    ``run(fn, items)`` yields ``(position, fn(item))`` in the order the items finish; when the
    machinery itself fails for an item (its worker died, it could not be sent), the exception
    takes the place of the result, and the other items go on. ``workers`` is how many items run
    at once.

    ``run(fn, items, stop)``: once the event ``stop`` is set, the items in flight are ended
    without waiting for them and every item not finished yields a :class:`PointStopped`. An
    executor running ``fn`` in this process calls ``fn(item, stop=stop)`` so that the work can
    end itself (a solve returns its best plan so far); one running it in other processes ends
    those processes (or cancels the tasks) instead.
    """

    workers: int

    def run(
        self,
        fn: Callable[..., Any],
        items: Sequence[Any],
        stop: threading.Event | None = None,
    ) -> Iterator[tuple[int, Any]]: ...

    def close(self) -> None: ...


class InProcess:
    """Every point in this process, one after another: no parallelism, easiest to debug."""

    workers = 1

    def run(self, fn, items, stop=None):
        for i, item in enumerate(items):
            if stop is None:
                yield i, fn(item)
            elif stop.is_set():
                yield i, PointStopped(started=False)
            else:
                yield i, fn(item, stop=stop)

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
            ctx.set_forkserver_preload([WORKER_MODULE])
            return ctx
        return multiprocessing.get_context("spawn")

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=self._context())

    def run(self, fn, items, stop=None):
        todo = deque(range(len(items)))
        while todo:
            if self._pool is None:
                self._pool = self._new_pool(self.workers)
            suspects = yield from self._run_pool(self._pool, fn, items, todo, stop)
            if suspects:
                self._discard_pool()
                for i in suspects:
                    if stop is not None and stop.is_set():
                        yield i, PointStopped(started=True)
                    else:
                        yield i, self._run_alone(fn, items[i])

    def _run_pool(self, pool, fn, items, todo, stop=None):
        """Run items from ``todo``; on a broken pool, return the positions that were in flight.

        Once ``stop`` is set, the pool's processes are ended (a solve in flight is not waited
        for) and every item not finished yields :class:`PointStopped`.
        """
        running: dict = {}
        finished = False
        poll = None if stop is None else POLL_SECONDS
        try:
            while todo or running:
                if stop is not None and stop.is_set():
                    done = [f for f in running if f.done() and not f.exception()]
                    results = [(running.pop(f), f.result()) for f in done]  # finished: kept
                    self._discard_pool(kill=True)
                    finished = True
                    yield from results
                    for i in sorted(running.values()):
                        yield i, PointStopped(started=True)
                    while todo:
                        yield todo.popleft(), PointStopped(started=False)
                    return []
                while todo and len(running) < self.workers:
                    i = todo.popleft()
                    running[pool.submit(fn, items[i])] = i
                done, _ = wait(running, timeout=poll, return_when=FIRST_COMPLETED)
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

    def run(self, fn, items, stop=None):
        from distributed import wait as wait_for

        client = self.client
        futures = [client.submit(fn, item, pure=False) for item in items]
        position = {future.key: i for i, future in enumerate(futures)}
        pending = set(futures)
        poll = None if stop is None else POLL_SECONDS
        finished = False
        try:
            while pending:
                if stop is not None and stop.is_set():
                    done = [f for f in pending if f.status == "finished"]  # finished: kept
                    results = [(position[f.key], f.result()) for f in done]
                    pending.difference_update(done)
                    client.cancel(list(pending))
                    finished = True
                    yield from results
                    for i in sorted(position[f.key] for f in pending):
                        yield i, PointStopped(started=False)  # running or queued: unknown
                    return
                try:
                    done, _ = wait_for(list(pending), timeout=poll, return_when="FIRST_COMPLETED")
                except TimeoutError:
                    continue
                for future in sorted(done, key=lambda f: position[f.key]):
                    pending.discard(future)
                    try:
                        result = future.result()
                    except Exception as exc:  # the task could not run (e.g. its worker kept dying)
                        result = exc
                    yield position[future.key], result
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
