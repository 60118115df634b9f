"""The plan as the rules see it, without the solver: :class:`PlanTables` (a plan's rows read
against its scenario, with the headcounts, the pool limits and the agents on duty and staffed
recomputed from the rows, vectorised over rows x intervals), and the two recomputations offered
on their own for plan tables (:func:`on_duty_from_shifts`, :func:`staffed_from_allocation`).

"On duty" is the definition every rule of :mod:`planner.validate.plan` uses: an agent is on duty
in an interval when their shift covers all of it and none of their breaks touches it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from planner.domain.plan import ALLOCATION_COLUMNS, SHIFT_COLUMNS
from planner.domain.scenario import Scenario
from planner.io.plan_tables import (
    AllocationRows,
    ShiftRows,
    raise_unreadable,
    read_allocation_rows,
    read_shift_rows,
    require_columns,
)
from planner.labour import PoolLimit, pool_limits
from planner.timegrid import TimeGrid

__all__ = [
    "PlanTables",
    "checked_coverage",
    "on_duty_from_shifts",
    "read_plan",
    "staffed_from_allocation",
]

HOURS_TOLERANCE = 1e-6
"""Paid hours agree when they differ by at most this (hours; floats from sums of minutes / 60)."""

SHARE_TOLERANCE = 1e-9
"""Tolerance on shares (part-time share) and on staffed agents stated as floats."""

_DUTY_COLUMNS = ("day", "pool", "start", "end", "breaks", "agents")
_STAFFED_COLUMNS = ("day", "interval_start", "queue", "agents")
_COVERAGE_COLUMNS = ("day", "interval_start", "queue", "staffed_agents")


@dataclass(frozen=True)
class PlanTables:
    """A plan read against its scenario: what every rule looks at.

    ``on_duty``, ``allocated`` and ``staffed`` are computed once, on first use, from the rows
    whose values could be read.
    """

    scenario: Scenario
    shifts: ShiftRows
    allocation: AllocationRows
    coverage: pd.DataFrame | None = None

    @cached_property
    def grid(self) -> TimeGrid:
        return self.scenario.grid

    @cached_property
    def pool_names(self) -> list[str]:
        return [p.name for p in self.scenario.pools]

    @cached_property
    def queue_names(self) -> list[str]:
        return [q.name for q in self.scenario.queues]

    @cached_property
    def is_open(self) -> np.ndarray:
        """``open[q, d]``: queue q is open on day d (queues in scenario order)."""
        matrix = self.scenario.open_matrix()
        return np.array([matrix[name] for name in self.queue_names], dtype=bool)

    @cached_property
    def headcount(self) -> np.ndarray:
        """``H[p, d]``: headcount of pool p on day d after headcount changes."""
        matrix = self.scenario.headcount_matrix()
        return np.array([matrix[name] for name in self.pool_names], dtype=np.int64)

    @cached_property
    def pool_limits(self) -> tuple[PoolLimit, ...]:
        """What the labour rules let whole pools work (:func:`planner.labour.pool_limits`)."""
        return pool_limits(self.scenario)

    @cached_property
    def on_duty(self) -> np.ndarray:
        """``D[p, d, i]``: agents of pool p on duty in interval i of day d, from the shifts."""
        return _on_duty(self.grid, len(self.pool_names), self.shifts, self.shifts.duty_read)

    @cached_property
    def joining(self) -> np.ndarray:
        """``J[p, d, i]``: agents of pool p coming on duty in interval i of day d (on duty in i,
        not in i - 1: shift starts and break ends), from the shifts."""
        s = self.shifts
        return _on_duty(self.grid, len(self.pool_names), s, s.duty_read, joining=True)

    @cached_property
    def allocated(self) -> np.ndarray:
        """``a[p, q, d, i]``; the extra last queue slot holds rows whose queue is unknown."""
        s = self.allocation
        rows = (s.day >= 0) & (s.interval >= 0) & (s.pool >= 0) & s.agents_read
        n_queues = len(self.queue_names) + 1
        queue = np.where(s.queue >= 0, s.queue, n_queues - 1)
        shape = (len(self.pool_names), n_queues, self.grid.days, self.grid.intervals_per_day)
        index = (s.pool[rows], queue[rows], s.day[rows], s.interval[rows])
        return _sum_at(shape, index, s.agents[rows])

    @cached_property
    def staffed(self) -> np.ndarray:
        """``S[q, d, i] = sum over p of a[p, q, d, i]``: agents staffing queue q."""
        return _staffed(self.grid, len(self.queue_names), self.allocation, self._staffed_rows)

    @cached_property
    def _staffed_rows(self) -> np.ndarray:
        s = self.allocation
        return (s.day >= 0) & (s.interval >= 0) & (s.queue >= 0) & s.agents_read

    @cached_property
    def duty_unknown(self) -> np.ndarray:
        """``[p, d]``: a shift or allocation row of pool p on day d could not be read, so the
        pool's agents on duty or allocated that day are not known."""
        unknown = np.zeros((len(self.pool_names), self.grid.days), dtype=bool)
        s = self.shifts
        rows = (s.pool >= 0) & (s.day >= 0) & ~s.duty_read
        unknown[s.pool[rows], s.day[rows]] = True
        a = self.allocation
        rows = (a.pool >= 0) & (a.day >= 0) & ((a.interval < 0) | ~a.agents_read)
        unknown[a.pool[rows], a.day[rows]] = True
        return unknown

    @cached_property
    def staffed_unknown(self) -> np.ndarray:
        """``[q, d]``: an allocation row of queue q on day d could not be read."""
        unknown = np.zeros((len(self.queue_names), self.grid.days), dtype=bool)
        a = self.allocation
        rows = (a.queue >= 0) & (a.day >= 0) & ~self._staffed_rows
        unknown[a.queue[rows], a.day[rows]] = True
        return unknown

    def day_label(self, day: int) -> str:
        return self.grid.dates[day].isoformat()

    def slot_label(self, day: int, interval: int) -> str:
        return f"{self.grid.dates[day].isoformat()} {self.grid.interval_labels[interval]}"


def read_plan(
    scenario: Scenario,
    shifts: pd.DataFrame,
    allocation: pd.DataFrame,
    coverage: pd.DataFrame | None = None,
) -> PlanTables:
    """Read the plan's tables against the scenario (nothing is checked beyond readability).

    Raises
    ------
    ValueError
        If a table lacks one of its columns (:data:`~planner.domain.plan.SHIFT_COLUMNS`,
        :data:`~planner.domain.plan.ALLOCATION_COLUMNS`; coverage needs ``day,
        interval_start, queue, staffed_agents``).
    """
    require_columns("shifts", shifts, SHIFT_COLUMNS)
    require_columns("allocation", allocation, ALLOCATION_COLUMNS)
    return PlanTables(
        scenario,
        read_shift_rows(scenario, shifts),
        read_allocation_rows(scenario, allocation),
        checked_coverage(coverage),
    )


def checked_coverage(coverage: pd.DataFrame | None) -> pd.DataFrame | None:
    """A coverage table given to check, with its columns checked (None when not given)."""
    if coverage is None:
        return None
    require_columns("coverage", coverage, _COVERAGE_COLUMNS)
    return coverage.reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# Coverage recomputed from the tables (vectorised over rows x intervals)
# --------------------------------------------------------------------------------------------------


def _on_duty(
    grid: TimeGrid, n_pools: int, s: ShiftRows, rows: np.ndarray, joining: bool = False
) -> np.ndarray:
    """``D[p, d, i]`` from the given rows (see the module docstring for "on duty"); with
    ``joining``, the agents coming on duty in interval i instead (on duty in i, not in i - 1:
    a shift's start or a break's end; 0 in the first interval)."""
    duty = np.zeros((n_pools, grid.days, grid.intervals_per_day), dtype=np.int64)
    if not rows.any():
        return duty
    t = grid.interval_start_minutes[None, :]
    step = grid.interval_minutes
    start, end = s.start[rows, None], s.end[rows, None]
    on_shift = (start <= t) & (t + step <= end)
    spans = [s.breaks[r] for r in np.flatnonzero(rows)]
    width = max(len(b) for b in spans)
    if width:
        pad = np.zeros((len(spans), width, 2), dtype=np.int64)  # (0, 0) covers no interval
        for k, b in enumerate(spans):
            if b:
                pad[k, : len(b)] = b
        b0, b1 = pad[:, :, 0, None], pad[:, :, 1, None]
        on_break = ((b0 < t[:, None] + step) & (b1 > t[:, None])).any(axis=1)
        on_shift &= ~on_break
    if joining:
        on_shift[:, 1:] &= ~on_shift[:, :-1]
        on_shift[:, 0] = False
    np.add.at(duty, (s.pool[rows], s.day[rows]), on_shift * s.agents[rows, None])
    return duty


def _sum_at(shape: tuple[int, ...], index: tuple[np.ndarray, ...], agents: np.ndarray):
    """Sum whole numbers of agents into an int64 array of ``shape`` at ``index`` (one bincount)."""
    flat = np.ravel_multi_index(index, shape)
    counts = np.bincount(flat, weights=agents, minlength=math.prod(shape))
    return np.rint(counts).astype(np.int64).reshape(shape)


def _staffed(grid: TimeGrid, n_queues: int, a: AllocationRows, rows: np.ndarray) -> np.ndarray:
    shape = (n_queues, grid.days, grid.intervals_per_day)
    return _sum_at(shape, (a.queue[rows], a.day[rows], a.interval[rows]), a.agents[rows])


def on_duty_from_shifts(scenario: Scenario, shifts: pd.DataFrame) -> np.ndarray:
    """Agents on duty (on shift and not on a break) per pool, day and interval.

    Parameters
    ----------
    scenario : Scenario
    shifts : pandas.DataFrame
        The plan's shifts table; only ``day, pool, start, end, breaks, agents`` are used.

    Returns
    -------
    numpy.ndarray of int64, shape (pools, days, intervals)
        ``D[p, d, i]``, pools in scenario order, days of the horizon, intervals of the window.

    Raises
    ------
    ValueError
        If a column is missing or a row cannot be read (unknown pool, day outside the horizon, a
        time that is not ``HH:MM``, agents not a whole number >= 0); :func:`validate_plan` lists
        every such problem.

    Notes
    -----
    Vectorised over rows x intervals: one boolean mask per row, summed into the pool's day with
    ``numpy.add.at``. See the module docstring for the exact definition of "on duty".
    """
    require_columns("shifts", shifts, _DUTY_COLUMNS)
    s = read_shift_rows(scenario, shifts)
    raise_unreadable("shifts", s.problems, np.flatnonzero(~s.duty_read), s.where)
    return _on_duty(scenario.grid, len(scenario.pools), s, s.duty_read)


def staffed_from_allocation(scenario: Scenario, allocation: pd.DataFrame) -> pd.DataFrame:
    """Agents staffing each queue in each interval: the allocation summed over pools.

    Parameters
    ----------
    scenario : Scenario
    allocation : pandas.DataFrame
        The plan's allocation table; only ``day, interval_start, queue, agents`` are used.

    Returns
    -------
    pandas.DataFrame
        Columns ``day`` (date), ``interval_start`` (``"HH:MM"``), ``queue``, ``staffed_agents``
        (int64): one row for every queue x day x interval of the horizon (zeros included),
        ordered by queue (scenario order), day and interval, so ``staffed_agents`` reshapes to
        ``(queues, days, intervals)``.

    Raises
    ------
    ValueError
        If a column is missing or a row cannot be read (unknown queue, day outside the horizon,
        ``interval_start`` not an interval of the window, agents not a whole number >= 0).
    """
    require_columns("allocation", allocation, _STAFFED_COLUMNS)
    a = read_allocation_rows(scenario, allocation)
    rows = (a.day >= 0) & (a.interval >= 0) & (a.queue >= 0) & a.agents_read
    raise_unreadable("allocation", a.problems, np.flatnonzero(~rows), a.where)
    grid = scenario.grid
    staffed = _staffed(grid, len(scenario.queues), a, rows)
    frame = grid.frame()[["day", "interval_start"]]
    n = len(frame)
    return pd.DataFrame(
        {
            "day": np.tile(frame["day"].to_numpy(), len(scenario.queues)),
            "interval_start": np.tile(frame["interval_start"].to_numpy(), len(scenario.queues)),
            "queue": np.repeat(np.array([q.name for q in scenario.queues], dtype=object), n),
            "staffed_agents": staffed.reshape(-1),
        }
    )
