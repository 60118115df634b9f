"""Cached calculations: every planner call the app makes behind ``@st.cache_data``.

Each is a pure function of its arguments: a scenario file by path and modification time, or a
validated scenario by its key (:func:`planner.editing.draft.scenario_key`: its YAML text and
files), so that a page shown again, or a scenario changed and changed back, costs nothing.
Arguments named with a leading underscore (progress, stop) are not hashed. Running them in the
background is :mod:`app_pages._jobs`.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import date

import pandas as pd
import streamlit as st

from planner.chain import roster_scenario
from planner.demand import build_demand
from planner.domain.plan import Plan, PlanResult
from planner.domain.roster import RosterResult
from planner.editing.draft import Draft, ScenarioKey, load_draft, scenario_from_key, scenario_key
from planner.errors import ScenarioError
from planner.forecast import Forecast, ForecastSettings, forecast_history
from planner.io.history import parse_history
from planner.io.special_days import parse_special_days
from planner.overrides import Override, apply_overrides
from planner.shiftplan import plan_shifts
from planner.simulate import SimulationResult, SimulationSettings
from planner.simulate.roster import rostered_plan
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

# --------------------------------------------------------------------------------------------------
# Scenario files (by path and modification time)
# --------------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def file_draft(path: str, modified: float) -> Draft:
    """The scenario file at ``path`` as a draft (raises ScenarioError if invalid)."""
    return load_draft(path)


@st.cache_data(show_spinner=False, max_entries=64)
def file_key(path: str, modified: float) -> ScenarioKey | None:
    """The key of the scenario file at ``path``, or None if it is invalid."""
    try:
        draft = load_draft(path)
        return scenario_key(draft.validate(), draft.files)
    except ScenarioError:
        return None  # an invalid saved file: the Scenario page says why when it is opened


# --------------------------------------------------------------------------------------------------
# Demand, requirement, plan, roster (by scenario key)
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

    A plan cut short by ``_stop`` is removed from the cache by :class:`app_pages._jobs.SolveJob`:
    it is not the plan these settings give.
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


# --------------------------------------------------------------------------------------------------
# Simulations of a plan or a roster (by scenario key and a fingerprint of what is simulated)
# --------------------------------------------------------------------------------------------------


def plan_fingerprint(plan: Plan) -> str:
    """A digest of a plan's shifts and allocation: two plans with the same digest are the same
    plan (a stopped solve and a finished one of the same settings are not)."""
    digest = hashlib.sha256(repr(plan.shifts).encode())
    digest.update(plan.allocation.tobytes())
    return digest.hexdigest()


def roster_fingerprint(roster: pd.DataFrame) -> str:
    """A digest of a roster's rows."""
    return hashlib.sha256(pd.util.hash_pandas_object(roster, index=False).to_numpy()).hexdigest()


@st.cache_data(show_spinner=False, max_entries=32)
def simulation(
    key: ScenarioKey, plan_digest: str, settings: SimulationSettings, _plan: Plan
) -> SimulationResult:
    """The plan (``plan_digest``: :func:`plan_fingerprint`) simulated call by call
    (:meth:`planner.simulate.SimulationSettings.simulate`)."""
    return settings.simulate(scenario_from_key(key), _plan)


@st.cache_data(show_spinner=False, max_entries=16)
def roster_simulation(
    key: ScenarioKey,
    plan_digest: str,
    roster_digest: str,
    settings: SimulationSettings,
    _plan: Plan,
    _roster: pd.DataFrame,
) -> SimulationResult:
    """The shifts a roster works (:func:`planner.simulate.roster.rostered_plan` of the plan it
    was made from) simulated call by call."""
    scenario = scenario_from_key(key)
    return settings.simulate(scenario, rostered_plan(scenario, _plan, _roster))


# --------------------------------------------------------------------------------------------------
# Comparisons, sweeps, capacity questions (planner.study.compare)
# --------------------------------------------------------------------------------------------------


def _executor(points: int) -> LocalProcesses:
    """Worker processes for ``points`` solves: one per core, no more than there are points."""
    return LocalProcesses(max(1, min(available_cores(), points)))


@st.cache_data(show_spinner=False, max_entries=16)
def compare_plans(
    keys: tuple[ScenarioKey, ...],
    labels: tuple[str, ...],
    reference: str,
    time_limit_seconds: float,
    simulation: SimulationSettings | None = None,
    _progress=None,
    _stop: threading.Event | None = None,
) -> Comparison:
    """:func:`planner.study.compare.compare_scenarios` of these scenarios, in parallel processes
    (each plan also simulated call by call with ``simulation`` when given)."""
    with _executor(len(keys)) as executor:
        return compare_scenarios(
            [scenario_from_key(k) for k in keys],
            labels=list(labels),
            reference=reference,
            executor=executor,
            time_limit_seconds=time_limit_seconds,
            progress=_progress,
            simulation=simulation,
            stop=_stop,
        )


@st.cache_data(show_spinner=False, max_entries=16)
def sweep_plans(
    key: ScenarioKey,
    axes: tuple[tuple[str, tuple], ...],
    time_limit_seconds: float,
    _progress=None,
    _stop: threading.Event | None = None,
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
            stop=_stop,
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
    _stop: threading.Event | None = None,
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
            stop=_stop,
        )


# --------------------------------------------------------------------------------------------------
# Forecasts (by the history's bytes and the settings)
# --------------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=8)
def history_span(raw: bytes, name: str) -> tuple[date, date]:
    """The first and last date of a history file (raises HistoryError if it is invalid)."""
    history = parse_history(raw, name)
    return history.dates[0], history.dates[-1]


@st.cache_data(show_spinner=False, max_entries=8)
def forecast(
    raw: bytes,
    name: str,
    start: date,
    days: int,
    method: str,
    country: str | None,
    special_csv: str,
) -> tuple[Forecast, pd.DataFrame]:
    """:func:`planner.forecast.forecast_history` of a history file, and its table."""
    special = parse_special_days(special_csv.encode(), "special days")
    settings = ForecastSettings(method=method, country=country, special_days=special)
    result = forecast_history(parse_history(raw, name), start, days, settings)
    return result, result.table()
