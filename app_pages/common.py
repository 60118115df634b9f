"""What the pages share: the scenario being edited, cached calculations, the solve job, messages.

UI glue only. The scenario being edited lives in ``st.session_state`` as a
:class:`planner.editing.Draft`; every calculation is a planner function behind
``@st.cache_data``, keyed on the validated scenario's YAML text and forecast files
(:func:`planner.editing.scenario_key`), so that a page shown again, or a scenario changed and
changed back, costs nothing.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from planner.chain import roster_scenario
from planner.demand import build_demand
from planner.domain.plan import PlanResult
from planner.domain.roster import RosterResult
from planner.domain.scenario import Scenario
from planner.editing import (
    Draft,
    ScenarioKey,
    issue_section,
    issue_text,
    load_draft,
    scenario_from_key,
    scenario_key,
)
from planner.errors import PlannerError, ScenarioError
from planner.overrides import Override, apply_overrides
from planner.shiftplan import plan_shifts
from planner.staffing import build_requirement
from planner.study import (
    CapacityAnswer,
    Comparison,
    LocalProcesses,
    SweepResult,
    available_cores,
    capacity_search,
    compare_scenarios,
    sweep,
)

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[1]
SHIPPED_DIR = REPO / "scenarios"
DEFAULT_FILE = "emergency.yaml"

PAGES = {
    "scenario": "app_pages/scenario.py",
    "demand": "app_pages/demand.py",
    "plan": "app_pages/plan.py",
    "compare": "app_pages/compare.py",
    "roster": "app_pages/roster.py",
}


# --------------------------------------------------------------------------------------------------
# Scenario files
# --------------------------------------------------------------------------------------------------


def saved_dir() -> Path:
    """Where the app saves scenarios: ``scenarios/saved``, or ``$PLANNER_SAVED_DIR`` if set."""
    return Path(os.environ.get("PLANNER_SAVED_DIR") or SHIPPED_DIR / "saved")


def scenario_files() -> dict[str, Path]:
    """Scenario files a user can open: shipped ones by name, saved ones as ``saved/NAME``."""
    files = {p.name: p for p in sorted(SHIPPED_DIR.glob("*.yaml"))}
    saved = saved_dir()
    if saved.is_dir() and saved.resolve() != SHIPPED_DIR.resolve():
        for p in sorted([*saved.glob("*.yaml"), *saved.glob("*.yml")]):
            files[f"saved/{p.name}"] = p
    return files


@st.cache_data(show_spinner=False, max_entries=64)
def _load_file(path: str, modified: float) -> Draft:
    return load_draft(path)


def open_file(label: str) -> Draft:
    """The scenario file shown as ``label`` as a draft (raises ScenarioError if invalid)."""
    path = scenario_files()[label]
    return _load_file(str(path), path.stat().st_mtime)


# --------------------------------------------------------------------------------------------------
# The scenario being edited
# --------------------------------------------------------------------------------------------------


@dataclass
class Workspace:
    """The session's scenarios: the one being edited, as it was opened, and kept copies.

    ``kept`` holds scenarios kept for comparison (label to key), edited but not saved.
    """

    draft: Draft
    opened: Draft
    label: str
    kept: dict[str, ScenarioKey] = field(default_factory=dict)
    generation: int = 0  # bumped when a scenario is opened: editors start again from it


def workspace() -> Workspace:
    """The session's workspace, opening the default scenario on first use."""
    if "workspace" not in st.session_state:
        draft = open_file(DEFAULT_FILE)
        st.session_state["workspace"] = Workspace(draft=draft, opened=draft, label=DEFAULT_FILE)
    return st.session_state["workspace"]


def open_in_workspace(draft: Draft, label: str) -> None:
    """Make ``draft`` the scenario being edited (the Scenario page's editors start again)."""
    ws = workspace()
    ws.draft = ws.opened = draft
    ws.label = label
    ws.generation += 1


def replace_draft(draft: Draft) -> None:
    """Make ``draft`` the scenario being edited, from another page than the Scenario page (its
    editors start again from it; the file it was opened from stays the same)."""
    ws = workspace()
    ws.draft = draft
    ws.generation += 1


EDITED = "Scenario being edited"
"""How the Compare page calls the scenario on the Scenario page (saved or not)."""


@st.cache_data(show_spinner=False, max_entries=64)
def _file_key(path: str, modified: float) -> ScenarioKey | None:
    try:
        draft = load_draft(path)
        return scenario_key(draft.validate(), draft.files)
    except ScenarioError:
        return None  # an invalid saved file: the Scenario page says why when it is opened


def comparable_scenarios() -> dict[str, ScenarioKey]:
    """Scenarios a comparison can use, by label: the one being edited (if valid), versions
    kept for comparison, then the shipped and saved files."""
    ws = workspace()
    choices: dict[str, ScenarioKey] = {}
    scenario, _ = validated(ws.draft)
    if scenario is not None:
        choices[EDITED] = scenario_key(scenario, ws.draft.files)
    choices |= {f"Kept: {label}": key for label, key in ws.kept.items()}
    for label, path in scenario_files().items():
        key = _file_key(str(path), path.stat().st_mtime)
        if key is not None:
            choices[label] = key
    return choices


def validated(draft: Draft) -> tuple[Scenario | None, ScenarioError | None]:
    """The draft's scenario, or the error listing its problems."""
    try:
        return draft.validate(), None
    except ScenarioError as exc:
        return None, exc


def current_scenario() -> Scenario | None:
    """The scenario being edited, or None after showing why it cannot be used.

    For the pages that read the scenario (Demand, Plan): its problems are listed with a link
    to the Scenario page, where each is shown next to its field.
    """
    draft = workspace().draft
    scenario, error = validated(draft)
    if error is not None:
        st.error(
            f"The scenario has {len(error.issues)} problem(s); fix them on the Scenario page. "
            "Nothing below uses it until then.\n\n"
            + "\n".join(f"- {issue_text(i, draft.data)}" for i in error.issues[:12])
        )
        st.page_link(PAGES["scenario"], label="Go to the Scenario page", icon=":material/tune:")
    return scenario


def current_key(scenario: Scenario) -> ScenarioKey:
    return scenario_key(scenario, workspace().draft.files)


def show_issues(issues, data, *, section: str | None = None, where=st) -> None:
    """Issues as one ``st.error``, each in the user's words; only ``section``'s when given."""
    chosen = [i for i in issues if section is None or issue_section(i) == section]
    if chosen:
        where.error("\n".join(f"- {issue_text(i, data)}" for i in chosen), icon=":material/error:")


def show_failure(what: str, exc: Exception) -> None:
    """A planner error as ``st.error``: its message names the field and the rule."""
    if isinstance(exc, PlannerError | ValueError):
        st.error(f"{what}: {exc}", icon=":material/error:")
    else:  # a bug, not bad input: say so, keep the details in the server log
        log.exception("%s failed", what)
        st.error(f"{what} failed unexpectedly ({type(exc).__name__}: {exc}).")


# --------------------------------------------------------------------------------------------------
# Cached calculations (pure functions of the scenario's text)
# --------------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def demand_table(key: ScenarioKey) -> pd.DataFrame:
    """Calls per queue and interval (:func:`planner.demand.build_demand`)."""
    return build_demand(scenario_from_key(key))


@st.cache_data(show_spinner=False, max_entries=64)
def requirement_table(key: ScenarioKey) -> pd.DataFrame:
    """Demand plus agents required (:func:`planner.staffing.build_requirement`)."""
    return build_requirement(scenario_from_key(key), demand_table(key))


@st.cache_data(show_spinner=False, max_entries=32)
def solve_plan(
    key: ScenarioKey,
    time_limit_seconds: float,
    relative_gap: float,
    workers: int,
    _progress=None,
    _stop: threading.Event | None = None,
) -> PlanResult:
    """The plan of a scenario under these solver settings (progress and stop not hashed).

    A plan cut short by ``_stop`` is removed from the cache by :class:`SolveJob`: it is not
    the plan these settings give.
    """
    return plan_shifts(
        scenario_from_key(key),
        requirement=requirement_table(key),
        progress=_progress,
        stop=_stop,
        time_limit_seconds=time_limit_seconds,
        relative_gap=relative_gap,
        workers=workers,
    )


# --------------------------------------------------------------------------------------------------
# Solving in the background: progress, stop
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SolveSettings:
    time_limit_seconds: float
    relative_gap: float
    workers: int
    day: str | None  # ISO date of a one-day plan; None for the whole horizon

    def describe(self) -> str:
        days = f"day {self.day}" if self.day else "whole horizon"
        return (
            f"{days}, time limit {self.time_limit_seconds:g} s, gap {self.relative_gap:.1%}, "
            f"{self.workers} worker(s)"
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


# ----- rosters (planner.roster) -------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=16)
def roster_for(
    key: ScenarioKey,
    plan_settings: tuple[float, float, int],
    time_limit_seconds: float,
    _progress=None,
    _stop: threading.Event | None = None,
    _planning=None,
) -> RosterResult:
    """The roster of a scenario's plan: the plan :func:`solve_plan` gives under
    ``plan_settings`` (time limit, gap, workers; cached, so the Plan page's plan is reused),
    then :func:`planner.roster.roster_scenario` within ``time_limit_seconds``.

    ``_planning`` (not hashed) is called with True while the shifts are planned, then False.
    """
    if _planning is not None:
        _planning(True)
    plan = solve_plan(key, *plan_settings, _stop=_stop)
    if _planning is not None:
        _planning(False)
    return roster_scenario(
        scenario_from_key(key),
        plan=plan,
        progress=_progress,
        stop=_stop,
        time_limit_seconds=time_limit_seconds,
    )


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


def follow(job: Job, total: int | None = None, *, what: str = "Solving") -> None:
    """Show a job's progress until it ends: points done of ``total``, time, estimate."""
    bar = st.empty()
    while True:
        done = len(job.history)
        text = f"{what}: {job.elapsed:.0f} s"
        if total:
            text += f", {done} of {total} done"
            if 0 < done < total:
                text += f", about {job.elapsed / done * (total - done):.0f} s to go"
            fraction = done / total
        else:
            text += f", {done} solved"
            fraction = min(job.elapsed / 60.0, 0.99)
        bar.progress(min(fraction, 1.0), text=text)
        if not job.running:
            break
        time.sleep(0.25)
    bar.empty()


# ----- comparisons, sweeps, capacity questions (planner.study.compare) -------------------------


def _executor(points: int) -> LocalProcesses:
    """Worker processes for ``points`` solves: one per core, no more than there are points."""
    return LocalProcesses(max(1, min(available_cores(), points)))


@st.cache_data(show_spinner=False, max_entries=16)
def compare_plans(
    keys: tuple[ScenarioKey, ...],
    labels: tuple[str, ...],
    reference: str,
    time_limit_seconds: float,
    _progress=None,
) -> Comparison:
    """:func:`planner.study.compare.compare_scenarios` of these scenarios, in parallel processes."""
    with _executor(len(keys)) as executor:
        return compare_scenarios(
            [scenario_from_key(k) for k in keys],
            labels=list(labels),
            reference=reference,
            executor=executor,
            time_limit_seconds=time_limit_seconds,
            progress=_progress,
        )


@st.cache_data(show_spinner=False, max_entries=16)
def sweep_plans(
    key: ScenarioKey,
    axes: tuple[tuple[str, tuple], ...],
    time_limit_seconds: float,
    _progress=None,
) -> SweepResult:
    """:func:`planner.study.compare.sweep` of a scenario over every combination of the axes."""
    points = 1
    for _, values in axes:
        points *= len(values)
    with _executor(points) as executor:
        return sweep(
            scenario_from_key(key),
            {path: list(values) for path, values in axes},
            executor=executor,
            time_limit_seconds=time_limit_seconds,
            progress=_progress,
        )


@st.cache_data(show_spinner=False, max_entries=16)
def capacity_answer(
    key: ScenarioKey,
    fixed: tuple[tuple[str, float], ...],
    path: str,
    low: float,
    high: float,
    step: float,
    want: str,
    queues: tuple[str, ...],
    time_limit_seconds: float,
    _progress=None,
) -> CapacityAnswer:
    """:func:`planner.study.compare.capacity_search` along ``path``, other fields ``fixed``
    first."""
    base = apply_overrides(scenario_from_key(key), [Override(p, v) for p, v in fixed])
    with _executor(2) as executor:
        return capacity_search(
            base,
            path,
            low=low,
            high=high,
            step=step,
            want=want,
            queues=list(queues) or None,
            executor=executor,
            time_limit_seconds=time_limit_seconds,
            progress=_progress,
        )


class CallJob(Job):
    """A job that calls ``fn(*args, _progress=job.report)``: a comparison, sweep or search."""

    def __init__(self, label: str, fn, *args):
        super().__init__(label)
        self.fn, self.args = fn, args

    def work(self):
        return self.fn(*self.args, _progress=self.report)


@dataclass(frozen=True)
class PlanRecord:
    """A finished plan as the Plan page shows it."""

    result: PlanResult
    key: ScenarioKey
    settings: SolveSettings
    label: str
    stopped: bool
    seconds: float  # from the Solve click to the plan, as the user waited


# --------------------------------------------------------------------------------------------------
# Small formatting helpers
# --------------------------------------------------------------------------------------------------


def percent(value: float | None, digits: int = 1) -> str:
    return "–" if value is None or value != value else f"{value:.{digits}%}"


def money(value: float | None) -> str:
    return "–" if value is None or value != value else f"{value:,.0f}"


def seconds_text(value: float | None) -> str:
    if value is None or value != value:
        return "–"
    return "∞" if value == float("inf") else f"{value:.1f} s"
