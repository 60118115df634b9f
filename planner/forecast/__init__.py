"""Forecasting calls from history: methods, rolling-origin backtest, calendar, intervals.

The pieces: :mod:`planner.forecast.calendar` (public holidays and Kazakhstan's transfers),
:mod:`planner.forecast.methods` (daily-total methods), :mod:`planner.forecast.model` (weekend
and special days learnt, intraday profiles, backtest, ``auto``, prediction intervals).
"""

from planner.forecast.methods import METHODS
from planner.forecast.model import (
    BACKTEST_COLUMNS,
    FORECAST_COLUMNS,
    Forecast,
    ForecastSettings,
    QueueForecast,
    forecast_history,
)

__all__ = [
    "BACKTEST_COLUMNS",
    "FORECAST_COLUMNS",
    "METHODS",
    "Forecast",
    "ForecastSettings",
    "QueueForecast",
    "forecast_history",
]
