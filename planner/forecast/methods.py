"""Forecasting methods for a queue's daily totals.

Each method takes the daily totals of the open days in order (``y``, length n, no gaps: the
queue's closed weekdays are left out and missing or special days filled beforehand), the
number of open days a week ``period`` and the number of open days to forecast ``steps``, and
returns the forecast for positions n .. n + steps - 1. Position modulo ``period`` is the
weekday, so every method is seasonal by weekday.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["METHODS", "daily_forecast"]

METHODS = ("seasonal_naive", "weekday_mean", "ets", "mstl")
"""Method names, as ``--method`` and ``demand.method`` take them (plus ``auto``)."""

YEAR_WEEKS = 52.18


def seasonal_naive(y: np.ndarray, period: int, steps: int, weeks: int) -> np.ndarray:
    """Each day as the same weekday of the last week: ``f[n+h] = y[n - p + (h mod p)]``."""
    last = y[-period:]
    return np.resize(last, steps).astype(float)


def weekday_mean(y: np.ndarray, period: int, steps: int, weeks: int) -> np.ndarray:
    """Each day as the mean of the same weekday over the last ``weeks`` weeks."""
    k = max(1, min(weeks, len(y) // period))
    block = y[len(y) - k * period :].reshape(k, period)
    return np.resize(block.mean(axis=0), steps).astype(float)


def ets(y: np.ndarray, period: int, steps: int, weeks: int) -> np.ndarray:
    """Holt-Winters exponential smoothing (statsmodels): damped additive trend, weekly
    seasonality (multiplicative when every day has calls, else additive). Initial states by
    statsmodels' heuristic and no brute-force start search: ten times faster than estimating
    them, which a backtest of every origin needs (``bench/bench_forecast.py``).

    References
    ----------
    R. J. Hyndman and G. Athanasopoulos, *Forecasting: principles and practice*, 3rd ed.,
    OTexts, 2021, chapter 8.
    """
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    if len(y) < 4 * period + 10:  # the heuristic start needs a few whole weeks
        return weekday_mean(y, period, steps, weeks)
    seasonal = "mul" if np.all(y > 0) else "add"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter; the backtest judges the result
        model = ExponentialSmoothing(
            y,
            trend="add",
            damped_trend=True,
            seasonal=seasonal if period > 1 else None,
            seasonal_periods=period if period > 1 else None,
            initialization_method="heuristic",
        ).fit(use_brute=False)
        out = np.asarray(model.forecast(steps), dtype=float)
    return np.where(np.isfinite(out), np.maximum(out, 0.0), 0.0)


def mstl(y: np.ndarray, period: int, steps: int, weeks: int) -> np.ndarray:
    """MSTL decomposition (statsmodels): weekly (and, with two years of history, yearly)
    seasonal components repeated from their last cycle, plus the seasonally adjusted series
    forecast by damped Holt smoothing.

    References
    ----------
    K. Bandara, R. J. Hyndman and C. Bergmeir, "MSTL: a seasonal-trend decomposition
    algorithm for time series with multiple seasonal patterns", 2021, arXiv:2107.13462.
    """
    from statsmodels.tsa.holtwinters import ExponentialSmoothing
    from statsmodels.tsa.seasonal import MSTL

    if period < 2 or len(y) < 4 * period + 10:
        return weekday_mean(y, period, steps, weeks)
    periods = [period]
    yearly = round(period * YEAR_WEEKS)
    if len(y) >= 2 * yearly:
        periods.append(yearly)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parts = MSTL(y, periods=periods).fit()
        seasonal = np.asarray(parts.seasonal).reshape(len(y), -1)
        adjusted = y - seasonal.sum(axis=1)
        level = ExponentialSmoothing(
            adjusted, trend="add", damped_trend=True, initialization_method="heuristic"
        ).fit(use_brute=False)
        out = np.asarray(level.forecast(steps), dtype=float)
    for j, p in enumerate(periods):
        last = seasonal[-p:, j]
        out += np.resize(last, steps)
    return np.where(np.isfinite(out), np.maximum(out, 0.0), 0.0)


_FUNCTIONS = {
    "seasonal_naive": seasonal_naive,
    "weekday_mean": weekday_mean,
    "ets": ets,
    "mstl": mstl,
}


def daily_forecast(method: str, y: np.ndarray, period: int, steps: int, weeks: int) -> np.ndarray:
    """The forecast of ``steps`` open days by ``method`` (one of :data:`METHODS`)."""
    return _FUNCTIONS[method](np.asarray(y, dtype=float), period, steps, weeks)
