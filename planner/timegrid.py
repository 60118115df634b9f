"""One time grid: horizon days x intervals of the operating window <-> dates and clock times.

Everything after the scenario works on integer indices ``(day, interval)``; this module is the only
place where clock times and dates are turned into indices and back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import numpy as np
import pandas as pd

__all__ = ["WEEKDAYS", "TimeGrid", "clock_label", "parse_clock"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names as used in scenario files, in ``date.weekday()`` order."""


DAYS_PER_WEEK = 7
"""Days in a week of the time grid (:attr:`TimeGrid.weeks`)."""


def parse_clock(text: str) -> int:
    """Parse ``"HH:MM"`` (00:00 to 24:00) into minutes after midnight.

    Raises
    ------
    ValueError
        If the text is not a clock time.
    """
    if not isinstance(text, str):
        raise ValueError(f'must be a clock time "HH:MM" in quotes, got {type(text).__name__}')
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[1]) != 2:
        raise ValueError('must be a clock time "HH:MM", e.g. "09:00"')
    hours, minutes = int(parts[0]), int(parts[1])
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
        raise ValueError('must be a clock time between "00:00" and "24:00"')
    return hours * 60 + minutes


def clock_label(minute_of_day: int) -> str:
    """Minutes after midnight as ``"HH:MM"`` (1260 -> ``"21:00"``)."""
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


@dataclass(frozen=True)
class TimeGrid:
    """Horizon days x intervals of the daily operating window.

    Parameters
    ----------
    start_date : date
        First day of the horizon.
    days : int
        Number of consecutive days.
    window_start_minute, window_end_minute : int
        Operating window in minutes after midnight (09:00 -> 540, 21:00 -> 1260).
    interval_minutes : int
        Length of one planning interval; divides the window.
    """

    start_date: date
    days: int
    window_start_minute: int
    window_end_minute: int
    interval_minutes: int

    @property
    def intervals_per_day(self) -> int:
        return (self.window_end_minute - self.window_start_minute) // self.interval_minutes

    @property
    def interval_seconds(self) -> float:
        return 60.0 * self.interval_minutes

    @property
    def interval_hours(self) -> float:
        return self.interval_minutes / 60.0

    @cached_property
    def dates(self) -> tuple[date, ...]:
        return tuple(self.start_date + timedelta(days=d) for d in range(self.days))

    @cached_property
    def weekdays(self) -> tuple[str, ...]:
        """Weekday name (``"mon"`` ... ``"sun"``) of every horizon day."""
        return tuple(WEEKDAYS[d.weekday()] for d in self.dates)

    @cached_property
    def interval_start_minutes(self) -> np.ndarray:
        """Start of every interval of a day, in minutes after midnight."""
        return np.arange(
            self.window_start_minute, self.window_end_minute, self.interval_minutes, dtype=np.int64
        )

    @cached_property
    def interval_labels(self) -> tuple[str, ...]:
        return tuple(clock_label(int(m)) for m in self.interval_start_minutes)

    @cached_property
    def weeks(self) -> tuple[tuple[int, int], ...]:
        """The horizon's weeks: 7-day blocks counted from its first day, each as (first day,
        last day + 1); the last may be shorter. Every weekly rule (hours, days off) and the
        weekly decomposition of long horizons use these weeks."""
        days, step = self.days, DAYS_PER_WEEK
        return tuple((first, min(first + step, days)) for first in range(0, days, step))

    def week_of(self, day: int) -> int:
        """Index into :attr:`weeks` of the week holding horizon day ``day``."""
        return day // DAYS_PER_WEEK

    def clock_at(self, interval: int) -> str:
        """``"HH:MM"`` where interval ``interval`` of a day starts (``intervals_per_day``: the
        window's end)."""
        return clock_label(self.window_start_minute + interval * self.interval_minutes)

    def interval_of(self, minute_of_day: int) -> int:
        """Index of the interval starting at ``minute_of_day`` (must lie on the grid)."""
        offset = minute_of_day - self.window_start_minute
        window = self.window_end_minute - self.window_start_minute
        if offset % self.interval_minutes or not 0 <= offset <= window:
            raise ValueError(f"{clock_label(minute_of_day)} is not on the planning grid")
        return offset // self.interval_minutes

    def intervals_in(self, minutes: int) -> int:
        """Number of whole intervals in a duration (the duration must be a multiple)."""
        if minutes % self.interval_minutes:
            raise ValueError(f"{minutes} min is not a multiple of {self.interval_minutes} min")
        return minutes // self.interval_minutes

    def day_of(self, day: date) -> int:
        """Index of a calendar date in the horizon."""
        index = (day - self.start_date).days
        if not 0 <= index < self.days:
            raise ValueError(f"{day.isoformat()} is outside the horizon")
        return index

    def frame(self) -> pd.DataFrame:
        """One row per (day, interval): ``day`` (date), ``weekday``, ``interval``,
        ``interval_start`` (``"HH:MM"``), ``day_index``."""
        n = self.intervals_per_day
        day_index = np.repeat(np.arange(self.days), n)
        interval = np.tile(np.arange(n), self.days)
        return pd.DataFrame(
            {
                "day": np.repeat(np.array(self.dates, dtype=object), n),
                "weekday": np.repeat(np.array(self.weekdays, dtype=object), n),
                "day_index": day_index,
                "interval": interval,
                "interval_start": np.array(self.interval_labels, dtype=object)[interval],
            }
        )
