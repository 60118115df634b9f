"""Demand: a scenario's calls per queue, day and interval.

The order of operations, per queue (each step a whole-horizon numpy array, days x intervals):

1. baseline calls: daily volume x intraday profile share, or the forecast file's rows;
2. surges: ``baseline x (1 + (peak_multiplier - 1) x intensity) + added_calls_per_day x intensity
   x profile share``, surges on the same queue composed by multiplying their factors and adding
   their added calls; the intensity is evaluated at each interval's midpoint (see
   :class:`planner.domain.scenario.Surge`);
3. self-service deflection: ``x (1 - self_service_share)``;
4. operating modes: a queue closed on a day has no calls that day.

A queue whose demand is ``history_csv`` is forecast from that history
(:func:`planner.forecast.forecast_history`, cached per history and settings); when the queue
is staffed to a confidence level (``confidence``, or ``service.confidence``), the column
``rate_multiplier`` holds, per day, that quantile of the forecast's rate uncertainty (actual /
forecast daily totals in its backtest), which the staffing applies (:mod:`planner.staffing`);
it is 1 for every other queue and day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.domain.scenario import Queue, Scenario, Surge
from planner.forecast import ForecastSettings, QueueForecast, forecast_history
from planner.profiles import profile_matrix
from planner.timegrid import TimeGrid

__all__ = ["DEMAND_COLUMNS", "build_demand", "surge_intensity"]

DEMAND_COLUMNS = (
    "day",
    "weekday",
    "day_index",
    "interval",
    "interval_start",
    "queue",
    "calls",
    "aht_seconds",
    "surge_calls",
    "open",
    "rate_multiplier",
)
"""Columns of the demand table. ``calls`` is what the centre must answer (after surges, deflection
and closures); ``surge_calls`` is the part of it due to surges (0 without one);
``rate_multiplier`` the factor on the calls that risk-level staffing covers (1 without)."""

_MINUTES_PER_DAY = 24 * 60


def build_demand(scenario: Scenario) -> pd.DataFrame:
    """Calls and handling time per queue and interval over the horizon.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.

    Returns
    -------
    pandas.DataFrame
        One row per (queue, day, interval), columns :data:`DEMAND_COLUMNS`, ordered by queue (in
        scenario order), day and interval.
    """
    grid = scenario.grid
    frame = grid.frame()
    is_open = scenario.open_matrix()
    tables = []
    for queue in scenario.queues:
        baseline, aht, multiplier_by_day = _baseline(scenario, queue, grid)
        multiplier = np.ones_like(baseline)
        added = np.zeros_like(baseline)
        for surge in (s for s in scenario.surges if s.queue == queue.name):
            intensity = surge_intensity(surge, grid)
            multiplier *= 1.0 + (surge.peak_multiplier - 1.0) * intensity
            if surge.added_calls_per_day:
                shares = profile_matrix(_surge_profile(surge, queue), grid)
                added += surge.added_calls_per_day * intensity * shares
        keep = (1.0 - queue.self_service_share) * is_open[queue.name][:, None]
        with_surges = baseline * multiplier + added
        tables.append(
            frame.assign(
                queue=queue.name,
                calls=(with_surges * keep).ravel(),
                aht_seconds=aht.ravel(),
                surge_calls=((with_surges - baseline) * keep).ravel(),
                open=np.repeat(is_open[queue.name], grid.intervals_per_day),
                rate_multiplier=np.repeat(multiplier_by_day, grid.intervals_per_day),
            )
        )
    return pd.concat(tables, ignore_index=True)[list(DEMAND_COLUMNS)]


def _baseline(
    scenario: Scenario, queue: Queue, grid: TimeGrid
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Baseline calls and AHT (seconds), each of shape (days, intervals), and the rate
    multiplier per day (see the module's docstring)."""
    calls, aht = _baseline_calls(scenario, queue, grid)
    multiplier = np.ones(grid.days)
    confidence = scenario.confidence(queue)
    if confidence is not None and queue.demand is not None and queue.demand.history_csv:
        made = _forecast_of(scenario, queue, grid)
        multiplier = np.array(
            [np.quantile(made.rate_multipliers(d), confidence) for d in range(grid.days)]
        )
    return calls, aht, multiplier


_FORECASTS: dict[tuple, tuple[object, QueueForecast]] = {}
_FORECASTS_KEPT = 16


def _forecast_of(scenario: Scenario, queue: Queue, grid: TimeGrid) -> QueueForecast:
    """The queue's forecast from its history (kept for the last few histories and settings:
    a forecast takes seconds, and a page or a sweep builds the same demand many times)."""
    demand = queue.demand
    history = scenario.history(demand.history_csv)
    key = (
        id(history),
        queue.name,
        grid.start_date,
        grid.days,
        demand.method,
        demand.weeks,
        demand.country,
    )
    if key not in _FORECASTS:
        settings = ForecastSettings(
            method=demand.method, weeks=demand.weeks, country=demand.country
        )
        made = forecast_history(history, grid.start_date, grid.days, settings, (queue.name,))
        if len(_FORECASTS) >= _FORECASTS_KEPT:
            _FORECASTS.pop(next(iter(_FORECASTS)))
        _FORECASTS[key] = (history, made.queues[queue.name])  # the history kept: id stays its
    return _FORECASTS[key][1]


def _baseline_calls(
    scenario: Scenario, queue: Queue, grid: TimeGrid
) -> tuple[np.ndarray, np.ndarray]:
    shape = (grid.days, grid.intervals_per_day)
    aht = np.full(shape, queue.aht_seconds)
    demand = queue.demand
    if demand is None:
        return np.zeros(shape), aht
    if demand.history_csv is not None:
        return _forecast_of(scenario, queue, grid).calls.copy(), aht
    if demand.forecast_csv is not None:
        table = scenario.forecast(demand.forecast_csv)
        rows = table[table["queue"] == queue.name]
        calls = np.zeros(shape)
        calls[rows["day_index"], rows["interval"]] = rows["calls"]
        if "aht_seconds" in rows.columns:
            aht[rows["day_index"], rows["interval"]] = rows["aht_seconds"]
        return calls, aht
    if demand.calls_per_day is not None:
        per_day = np.full(grid.days, demand.calls_per_day)
    elif demand.calls_per_weekday is not None:
        per_day = np.array([demand.calls_per_weekday.get(w, 0.0) for w in grid.weekdays])
    else:
        per_day = np.asarray(demand.calls_by_day, dtype=float)
    return per_day[:, None] * profile_matrix(demand.profile, grid), aht


def _surge_profile(surge: Surge, queue: Queue) -> str | list[float]:
    if surge.profile is not None:
        return surge.profile
    return queue.demand.profile  # validation ensures the queue has a profile of its own


def surge_intensity(surge: Surge, grid: TimeGrid) -> np.ndarray:
    """A surge's intensity (0 to 1) at the midpoint of every interval, shape (days, intervals).

    Notes
    -----
    With t the time in days since the surge's start (calendar time, nights included):
    ``I(t) = 0`` for ``t < 0``; ``t / ramp`` while ramping up; 1 on the plateau; then
    ``0.5 ** ((t - ramp - plateau) / half_life)``; and 0 from ``duration_days`` on.
    """
    start_minute = grid.window_start_minute if surge.start_time is None else surge.start_time
    day_offset = np.array([(d - surge.start_date).days for d in grid.dates], dtype=float)
    midpoint = grid.interval_start_minutes + grid.interval_minutes / 2.0
    t = day_offset[:, None] + (midpoint[None, :] - start_minute) / _MINUTES_PER_DAY
    ramp, plateau = surge.ramp_up_days, surge.plateau_days
    decay_start = ramp + plateau
    intensity = np.ones_like(t)
    if ramp > 0:
        # Clipped first: np.where evaluates both branches, and t / ramp for a t far from the ramp
        # overflows when ramp is tiny (a RuntimeWarning, and inf where the branch is unused).
        intensity = np.where(t < ramp, np.clip(t, 0.0, ramp) / ramp, intensity)
    if surge.half_life_days is not None:
        since_peak = np.maximum(t - decay_start, 0.0)
        with np.errstate(over="ignore"):  # a tiny half-life: since_peak / h -> inf, 0.5**inf = 0
            decayed = 0.5 ** (since_peak / surge.half_life_days)
        intensity = np.where(t >= decay_start, decayed, intensity)
    intensity = np.where(t < 0, 0.0, intensity)
    if surge.duration_days is not None:
        intensity = np.where(t >= surge.duration_days, 0.0, intensity)
    return intensity
