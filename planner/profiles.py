"""Intraday call profiles: the share of a day's calls that arrives in each interval.

Built-in shapes
---------------
``bank_weekday``
    Measured: mean calls per 15 minutes, 09:00-21:00, on 164 weekdays of a large North American
    bank's call centre (March-October 2003; Weinberg, Brown and Stroud 2007, data set
    ``bank_calls`` of the R package fpp3). Rises from opening, peaks late morning, second hump in
    the early afternoon, declines to the evening. Covers 09:00-21:00 only.
``bank_by_weekday``
    The same data with each weekday's own mean shape (Monday to Friday); Saturday and Sunday use
    the all-weekday mean. Covers 09:00-21:00 only.
``public_service``
    A smooth synthetic shape of a public inbound line as described in DOMAIN.md: peak 10:00-11:30,
    second hump 14:00-16:00, declining to the evening. Defined for any window.
``flat``
    Equal share in every interval.

An explicit list of shares (one per interval of the window, non-negative, any positive sum) is
normalised to sum to 1.

Built-in shapes are defined on 15-minute slots, or on 5-minute slots for a 5-minute grid:
``public_service`` and ``flat`` are evaluated at the finer slots; the measured bank profiles
hold 15-minute means only, so each 15-minute share is split evenly over its three 5-minute
slots (the shape within a quarter hour is not known from this data).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from planner.timegrid import WEEKDAYS, TimeGrid

__all__ = ["BUILTIN_PROFILES", "profile_matrix"]

BUILTIN_PROFILES = ("bank_weekday", "bank_by_weekday", "public_service", "flat")

_BASE_MINUTES = 15  # resolution of the measured profiles' data
_DATA_FIRST_MINUTE, _DATA_LAST_MINUTE = 9 * 60, 21 * 60


@cache
def _bank_table() -> pd.DataFrame:
    with resources.files("planner.data").joinpath("weekday_profile_15min.csv").open() as f:
        return pd.read_csv(f)


def _slot_minutes(grid: TimeGrid) -> int:
    """Length of the sub-slots built-in shapes are evaluated on: 15 min, or 5 min when the
    grid's intervals are not whole quarter hours."""
    return _BASE_MINUTES if grid.interval_minutes % _BASE_MINUTES == 0 else 5


def _base_slots(grid: TimeGrid) -> np.ndarray:
    """Start minute of every sub-slot (:func:`_slot_minutes`) of the window."""
    return np.arange(grid.window_start_minute, grid.window_end_minute, _slot_minutes(grid))


def _bank_slots(grid: TimeGrid, column: str, name: str) -> np.ndarray:
    slots = _base_slots(grid)
    if grid.window_start_minute % _BASE_MINUTES or grid.window_end_minute % _BASE_MINUTES:
        raise ValueError(f"profile {name!r} needs a window on a 15-minute boundary")
    if slots[0] < _DATA_FIRST_MINUTE or slots[-1] + _slot_minutes(grid) > _DATA_LAST_MINUTE:
        raise ValueError(
            f"profile {name!r} is measured over 09:00-21:00 only; the window lies outside it "
            "(use 'public_service', 'flat' or explicit shares)"
        )
    values = _bank_table()[column].to_numpy(dtype=float)
    # A 15-minute mean split evenly over the sub-slots it holds.
    return (
        values[(slots - _DATA_FIRST_MINUTE) // _BASE_MINUTES] * _slot_minutes(grid) / _BASE_MINUTES
    )


def _public_service_slots(grid: TimeGrid) -> np.ndarray:
    # Two Gaussian humps (late morning, early afternoon) over a baseline that declines through the
    # day; evaluated at each sub-slot's midpoint. Shape only: the level is normalised away.
    hour = (_base_slots(grid) + _slot_minutes(grid) / 2) / 60.0
    morning = np.exp(-0.5 * ((hour - 10.75) / 1.1) ** 2)
    afternoon = 0.72 * np.exp(-0.5 * ((hour - 15.0) / 1.0) ** 2)
    baseline = np.clip(0.42 - 0.028 * (hour - 9.0), 0.05, None)
    return morning + afternoon + baseline


def _to_grid(slots: np.ndarray, grid: TimeGrid) -> np.ndarray:
    per_interval = grid.interval_minutes // _slot_minutes(grid)
    return slots.reshape(grid.intervals_per_day, per_interval).sum(axis=1)


def _normalise(rows: np.ndarray) -> np.ndarray:
    return rows / rows.sum(axis=-1, keepdims=True)


def profile_matrix(spec: str | list[float], grid: TimeGrid) -> np.ndarray:
    """Shares of each day's calls per interval, shape ``(grid.days, grid.intervals_per_day)``.

    Parameters
    ----------
    spec : str or list of float
        A built-in profile name (see the module docstring) or explicit shares, one per interval.
    grid : TimeGrid
        The horizon and window the shares are wanted for.

    Returns
    -------
    numpy.ndarray
        Non-negative shares; every row sums to 1.

    Raises
    ------
    ValueError
        Unknown name, shares of the wrong length, negative or all-zero shares, or a measured
        profile asked for outside the hours it was measured over. The message states the rule.
    """
    days, n = grid.days, grid.intervals_per_day
    if isinstance(spec, str):
        if spec == "flat":
            return np.full((days, n), 1.0 / n)
        if spec == "public_service":
            return np.tile(_normalise(_to_grid(_public_service_slots(grid), grid)), (days, 1))
        if spec == "bank_weekday":
            row = _normalise(_to_grid(_bank_slots(grid, "mean_calls", spec), grid))
            return np.tile(row, (days, 1))
        if spec == "bank_by_weekday":
            rows = {}
            for weekday in WEEKDAYS:
                column = f"mean_{_LONG_NAMES[weekday]}" if weekday in _LONG_NAMES else "mean_calls"
                rows[weekday] = _normalise(_to_grid(_bank_slots(grid, column, spec), grid))
            return np.stack([rows[w] for w in grid.weekdays])
        raise ValueError(f"unknown profile; built-in profiles are {', '.join(BUILTIN_PROFILES)}")
    shares = np.asarray(spec, dtype=float)
    if shares.shape != (n,):
        raise ValueError(
            f"needs exactly {n} shares, one per {grid.interval_minutes}-minute interval of the "
            f"window, got {shares.size}"
        )
    if not np.all(np.isfinite(shares)) or np.any(shares < 0):
        raise ValueError("shares must be finite and >= 0")
    if shares.sum() <= 0:
        raise ValueError("shares must not all be zero")
    return np.tile(_normalise(shares), (days, 1))


_LONG_NAMES = {
    "mon": "monday",
    "tue": "tuesday",
    "wed": "wednesday",
    "thu": "thursday",
    "fri": "friday",
}
