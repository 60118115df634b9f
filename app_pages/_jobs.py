"""Background jobs: solves, rosters and comparisons in their own thread, with progress and stop.

Streamlit reruns a page on every click, so a job lives in ``st.session_state`` and the rerun
finds it still running; the page shows its progress (:func:`follow`) and a Stop button sets
:attr:`Job.stop`. The work itself is a cached calculation of :mod:`app_pages._cache`; a result
cut short by Stop is removed from that cache. A finished job is kept as a record
(:class:`PlanRecord`, :class:`RosterRecord`) for the page to show.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from app_pages import _i18n
from app_pages._cache import roster_for, solve_plan
from app_pages._i18n import _, n_
from planner.domain.plan import PlanResult
from planner.domain.roster import RosterResult
from planner.editing.draft import ScenarioKey


@dataclass(frozen=True)
class SolveSettings:
    """The settings of a solve on the Plan page, and the day it plans (None: the whole horizon)."""

    time_limit_seconds: float
    relative_gap: float
    workers: int
    day: str | None  # ISO date of a one-day plan; None for the whole horizon

    def describe(self) -> str:
        """The settings in words, in the session's language (the Plan page's progress)."""
        days = (
            _("day {day}").format(day=self.day)  # ISO, as the downloads' names have it
            if self.day
            else _("whole horizon")
        )
        return n_(
            "{days}, time limit {seconds} s, stop at gap {gap}, {workers} worker",
            "{days}, time limit {seconds} s, stop at gap {gap}, {workers} workers",
            self.workers,
        ).format(
            days=days,
            seconds=_i18n.number(
                self.time_limit_seconds, 0 if float(self.time_limit_seconds).is_integer() else 1
            ),
            gap=_i18n.gap(self.relative_gap),
            workers=self.workers,
        )


class Job:
    """Work running in its own thread, so that a page can show its progress while it runs.

    The work reports progress through :meth:`report` (from any thread); the page polls
    :attr:`latest` and :attr:`history`. :attr:`stop` asks work that supports it to stop early.
    Streamlit reruns a page on every click, so the job lives in ``st.session_state`` and the
    rerun finds it still running.
    """

    def __init__(self, label: str):
        self.label = label
        self.stop = threading.Event()
        self.started = time.perf_counter()
        self.finished: float | None = None
        self.history: list = []
        self.result = None
        self.error: Exception | None = None
        self.recorded = False  # the page has taken its result
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=f"job-{label}", daemon=True)
        ctx = get_script_run_ctx(suppress_warning=True)
        if ctx is not None:
            add_script_run_ctx(self._thread, ctx)

    def work(self):
        raise NotImplementedError

    def start(self) -> Job:
        self._thread.start()
        return self

    def report(self, progress) -> None:
        with self._lock:
            self.history.append(progress)

    def _run(self) -> None:
        try:
            self.result = self.work()
        except Exception as exc:  # shown on the page; a thread must not die silently
            self.error = exc
        finally:
            self.finished = time.perf_counter()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def elapsed(self) -> float:
        return (self.finished or time.perf_counter()) - self.started

    @property
    def latest(self):
        with self._lock:
            return self.history[-1] if self.history else None

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)


class SolveJob(Job):
    """A solve: progress is each ``SolveProgress`` (a better plan or bound) of the solver.

    Setting :attr:`stop` ends the search with the best plan found so far; that plan is then
    removed from the cache, since it is not the plan these settings give.
    """

    def __init__(self, key: ScenarioKey, settings: SolveSettings, label: str):
        super().__init__(label)
        self.key = key
        self.settings = settings

    def work(self) -> PlanResult:
        s = self.settings
        args = (self.key, s.time_limit_seconds, s.relative_gap, s.workers)
        result = solve_plan(*args, _progress=self.report, _stop=self.stop)
        if self.stop.is_set():
            solve_plan.clear(*args)
        return result

    def progress_table(self) -> pd.DataFrame:
        with self._lock:
            rows = [
                {"seconds": p.elapsed_seconds, "best plan": p.objective, "bound": p.best_bound}
                for p in self.history
            ]
        return pd.DataFrame(rows, columns=["seconds", "best plan", "bound"])


class RosterJob(Job):
    """Plan (or take the cached plan), then roster it; progress is each better roster.

    :attr:`planning` is True while the shifts are planned. A roster stopped early is removed
    from the cache, as a stopped plan is.
    """

    def __init__(
        self,
        key: ScenarioKey,
        plan_settings: tuple[float, float, int],
        time_limit_seconds: float,
        label: str,
    ):
        super().__init__(label)
        self.key = key
        self.plan_settings = plan_settings
        self.time_limit_seconds = time_limit_seconds
        self.planning = False
        self.plan_stopped = False  # Stop was pressed before the plan was finished

    def _set_planning(self, value: bool) -> None:
        self.planning = value
        if not value:
            self.plan_stopped = self.stop.is_set()

    def work(self) -> RosterResult:
        args = (self.key, self.plan_settings, self.time_limit_seconds)
        result = roster_for(
            *args, _progress=self.report, _stop=self.stop, _planning=self._set_planning
        )
        if self.stop.is_set():
            roster_for.clear(*args)
        if self.plan_stopped:
            solve_plan.clear(self.key, *self.plan_settings)
        return result


class CallJob(Job):
    """A job that calls ``fn(*args, _progress=job.report, _stop=job.stop)``: a comparison,
    sweep or search.

    Setting :attr:`stop` ends it at once: the study ends the solves in flight (their worker
    processes are ended, not waited for) and returns with the points finished so far and the
    others marked stopped (``STOPPED``, :mod:`planner.study.tables`). That result is removed
    from ``fn``'s cache, since it is not the result these settings give.
    """

    def __init__(self, label: str, fn, *args):
        super().__init__(label)
        self.fn, self.args = fn, args

    def work(self):
        result = self.fn(*self.args, _progress=self.report, _stop=self.stop)
        if self.stop.is_set() and hasattr(self.fn, "clear"):
            self.fn.clear(*self.args)
        return result

    @property
    def stopped(self) -> bool:
        """Ended by its Stop button."""
        return self.stop.is_set() and not self.running


def stop_button(name: str, container=st, label: str | None = None) -> None:
    """A Stop button for the job kept under ``name`` in ``st.session_state``: enabled while it
    runs, it asks the job to stop (the page then shows the job stopping, then stopped)."""
    job = st.session_state.get(name)
    running = job is not None and job.running and not job.stop.is_set()

    def stop() -> None:
        current = st.session_state.get(name)
        if current is not None:
            current.stop.set()

    container.button(
        label or _("Stop"),
        icon=":material/stop:",
        on_click=stop,
        disabled=not running,
        key=f"{name}_stop",
    )


@dataclass(frozen=True)
class PlanRecord:
    """A finished plan as the Plan page shows it."""

    result: PlanResult
    key: ScenarioKey
    settings: SolveSettings
    label: str
    stopped: bool
    seconds: float  # from the Solve click to the plan, as the user waited


@dataclass(frozen=True)
class RosterRecord:
    """A finished roster as the Roster page shows it."""

    result: RosterResult
    key: ScenarioKey
    plan_settings: tuple[float, float, int]
    time_limit_seconds: float
    label: str
    stopped: bool
    seconds: float


def follow(job: Job, total: int | None = None, *, what: str | None = None) -> None:
    """Show a job's progress until it ends: points done of ``total``, time, estimate; once its
    Stop was pressed, that it is stopping."""
    bar = st.empty()
    while True:
        done = len(job.history)
        stopping = job.stop.is_set()
        doing = _("Stopping the plans being solved") if stopping else what
        text = _("{doing}: {seconds} s").format(
            doing=doing or _("Solving"), seconds=_i18n.number(job.elapsed)
        )
        if total:
            text += ", " + _("{done} of {total} done").format(done=done, total=total)
            if 0 < done < total and not stopping:
                text += ", " + _("about {seconds} s to go").format(
                    seconds=_i18n.number(job.elapsed / done * (total - done))
                )
            fraction = done / total
        else:
            text += ", " + _("{done} solved").format(done=done)
            fraction = min(job.elapsed / 60.0, 0.99)
        bar.progress(min(fraction, 1.0), text=text)
        if not job.running:
            break
        time.sleep(0.25)
    bar.empty()
