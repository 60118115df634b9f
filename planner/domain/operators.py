"""Named operators: who can be rostered, with their contract, limits and wishes.

The file format is :mod:`planner.io.operators_file`; anonymous operators are made here from a
scenario's headcounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.domain.scenario import Scenario
from planner.timegrid import WEEKDAYS

__all__ = ["Operator", "generate_operators"]


@dataclass(frozen=True)
class Operator:
    """One operator, validated against a scenario.

    Attributes
    ----------
    id, name : str
    pool : str
        The pool whose planned shifts the operator may work.
    skills : tuple of str
        Queues the operator answers (a subset of the pool's skills).
    contract_hours_per_week : float
        Paid hours per 7-day block at most (hours).
    max_shift_hours : float
        Longest shift span the operator works (hours).
    days_unavailable : tuple of date
        Dates the operator cannot work (leave, secondment, training).
    preferred_weekdays_off : tuple of str
        Weekday names (``"sat"``) the operator would rather have off.
    preferred_dates_off : tuple of date
        Dates the operator would rather have off.
    preferred_start_window : tuple of int, optional
        Earliest and latest preferred shift start, minutes after midnight; None: any start.
    overtime_hours_this_month, overtime_hours_this_year : float
        Overtime already worked before the horizon in the calendar month (year) of the
        horizon's first day (hours); counted against ``labour.max_overtime_hours_per_month``
        (``_per_year``). Unknown is taken as 0: the caps then bound the horizon alone.
    """

    id: str
    name: str
    pool: str
    skills: tuple[str, ...]
    contract_hours_per_week: float
    max_shift_hours: float
    days_unavailable: tuple[date, ...] = ()
    preferred_weekdays_off: tuple[str, ...] = ()
    preferred_dates_off: tuple[date, ...] = ()
    preferred_start_window: tuple[int, int] | None = None
    overtime_hours_this_month: float = 0.0
    overtime_hours_this_year: float = 0.0

    def prefers_off(self, day: date) -> bool:
        """Whether the operator asked for this date (or its weekday) off."""
        return day in self.preferred_dates_off or WEEKDAYS[day.weekday()] in (
            self.preferred_weekdays_off
        )

    def likes_start(self, minute: int) -> bool:
        """Whether a start at ``minute`` (after midnight) is inside the preferred window."""
        window = self.preferred_start_window
        return window is None or window[0] <= minute <= window[1]


def generate_operators(scenario: Scenario) -> tuple[Operator, ...]:
    """Anonymous operators for every pool, matching its headcount day by day.

    A pool gets as many operators as its largest daily headcount (after ``headcount_changes``),
    named ``<pool>-01``, ``<pool>-02``, ...; operator j (from 0) is unavailable on every day
    whose headcount is j or less, so the operators available each day are exactly the headcount
    (the seconded operator of ``emergency.yaml`` is away from Wednesday). Each has the pool's
    skills, its ``max_hours_per_week`` as contract, ``labour.max_shift_hours`` as longest shift,
    and no preferences.
    """
    grid = scenario.grid
    headcount = scenario.headcount_matrix()
    operators = []
    for pool in scenario.pools:
        daily = headcount[pool.name]
        count = int(daily.max()) if daily.size else 0
        width = max(2, len(str(count)))
        for j in range(count):
            away = tuple(d for d, h in zip(grid.dates, daily, strict=True) if h <= j)
            ident = f"{pool.name}-{j + 1:0{width}d}"
            operators.append(
                Operator(
                    id=ident,
                    name=ident,
                    pool=pool.name,
                    skills=tuple(pool.skills),
                    contract_hours_per_week=float(pool.max_hours_per_week),
                    max_shift_hours=float(scenario.labour.max_shift_hours),
                    days_unavailable=away,
                )
            )
    return tuple(operators)
