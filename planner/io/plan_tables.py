"""Plan tables in: a plan's ``shifts`` and ``allocation`` tables (a file, an upload, a table
written by hand) read against a scenario.

Two readings. :func:`read_shift_rows` and :func:`read_allocation_rows` read every cell into
arrays and keep what cannot be read as a problem per row, never raising on a value: the
solver-free validator (:mod:`planner.validate.plan`) reports those problems as violations of
``table_values``. :func:`plan_from_tables` reads tables into a typed
:class:`~planner.domain.plan.Plan`, raising on the first unreadable rows, for the commands that
take a plan from files. :func:`rows_from_plan` gives a typed plan the same array form, with no
text in between, so the validator checks the optimiser's plans directly.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from planner.domain.plan import ALLOCATION_COLUMNS, SHIFT_COLUMNS, Plan, ShiftGroup
from planner.domain.scenario import Scenario
from planner.timegrid import TimeGrid, clock_label, parse_clock

__all__ = [
    "MAX_AGENTS",
    "AllocationRows",
    "ShiftRows",
    "day_text",
    "name_reader",
    "numbers",
    "plan_from_tables",
    "raise_unreadable",
    "read_allocation_rows",
    "read_column",
    "read_day",
    "read_interval",
    "read_shift_rows",
    "require_columns",
    "rows_from_plan",
    "shown",
]

MAX_AGENTS = 10**9
"""Agents in one table row at most: a larger number is a typo, and would overflow the sums."""


@dataclass(frozen=True)
class ShiftRows:
    """The shifts table read into arrays, one entry per row (by position).

    Indices are -1 and numbers NaN where the value cannot be read; ``problems`` says why, per row
    (only rows with a problem appear).
    """

    raw: pd.DataFrame
    day: np.ndarray  # int64 day index
    pool: np.ndarray  # int64 pool index (scenario order)
    template: np.ndarray  # int64 template index (scenario order)
    start: np.ndarray  # int64 minutes after midnight
    end: np.ndarray  # int64 minutes after midnight
    breaks: tuple[tuple[tuple[int, int], ...] | None, ...]  # (start, end) minutes per break
    agents: np.ndarray  # int64; 0 where unreadable
    agents_read: np.ndarray  # bool: agents is a whole number >= 0
    paid_hours: np.ndarray  # float64
    problems: Mapping[int, tuple[str, ...]]

    def __len__(self) -> int:
        return len(self.day)

    @cached_property
    def duty_read(self) -> np.ndarray:
        """Rows whose agents on duty can be computed: day, pool, times, breaks and agents read."""
        breaks_read = np.array([b is not None for b in self.breaks], dtype=bool)
        return (
            (self.day >= 0)
            & (self.pool >= 0)
            & (self.start >= 0)
            & (self.end >= 0)
            & breaks_read
            & self.agents_read
        )

    def where(self, row: int) -> str:
        """``shift row 7 (day 2022-01-10, pool consulting_team, 09:00-17:00)``."""
        values = self.raw.iloc[row]
        return (
            f"shift row {row} (day {day_text(values['day'])}, pool {values['pool']}, "
            f"{values['start']}-{values['end']})"
        )


@dataclass(frozen=True)
class AllocationRows:
    """The allocation table read into arrays, one entry per row (by position)."""

    raw: pd.DataFrame
    day: np.ndarray
    interval: np.ndarray  # interval index within the day
    pool: np.ndarray
    queue: np.ndarray
    agents: np.ndarray  # int64; 0 where unreadable
    agents_read: np.ndarray  # bool: agents is a whole number >= 0
    problems: Mapping[int, tuple[str, ...]]

    def __len__(self) -> int:
        return len(self.day)

    def where(self, row: int) -> str:
        """``allocation row 12 (day 2022-01-10, 09:15, pool borrowed, queue emergency)``."""
        values = self.raw.iloc[row]
        return (
            f"allocation row {row} (day {day_text(values['day'])}, {values['interval_start']}, "
            f"pool {values.get('pool')}, queue {values['queue']})"
        )


def require_columns(name: str, table: Any, columns: tuple[str, ...]) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"the {name} table must be a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            f"the {name} table lacks column(s) {', '.join(missing)}; it needs "
            f"{', '.join(columns)} (has {', '.join(map(str, table.columns)) or 'none'})"
        )


def read_shift_rows(scenario: Scenario, table: pd.DataFrame) -> ShiftRows:
    table = table.reset_index(drop=True)
    grid = scenario.grid
    problems: dict[int, list[str]] = {}
    day = read_column(table, "day", lambda v: read_day(v, grid), problems)
    pool = read_column(
        table, "pool", name_reader("pool", [p.name for p in scenario.pools]), problems
    )
    template = read_column(
        table,
        "template",
        name_reader("template", [t.name for t in scenario.shift_templates]),
        problems,
    )
    start = read_column(table, "start", clock_reader("start"), problems)
    end = read_column(table, "end", clock_reader("end"), problems)
    breaks = read_breaks_column(table, problems)
    agents, agents_read = read_whole(table, "agents", problems, minimum=1)
    paid_hours = np.full(len(table), np.nan)
    if "paid_hours" in table.columns:  # on_duty_from_shifts does without it
        paid_hours = numbers(table["paid_hours"])
        paid_bad = ~(np.isfinite(paid_hours) & (paid_hours >= 0))
        for row in np.flatnonzero(paid_bad):
            value = table["paid_hours"].iloc[row]
            problems.setdefault(int(row), []).append(
                f"paid_hours {shown(value)!r} is not a number >= 0"
            )
        paid_hours[paid_bad] = np.nan
    return ShiftRows(
        raw=table,
        day=day,
        pool=pool,
        template=template,
        start=start,
        end=end,
        breaks=breaks,
        agents=agents,
        agents_read=agents_read,
        paid_hours=paid_hours,
        problems={row: tuple(p) for row, p in sorted(problems.items())},
    )


def read_allocation_rows(scenario: Scenario, table: pd.DataFrame) -> AllocationRows:
    table = table.reset_index(drop=True)
    grid = scenario.grid
    problems: dict[int, list[str]] = {}
    day = read_column(table, "day", lambda v: read_day(v, grid), problems)
    interval = read_column(table, "interval_start", lambda v: read_interval(v, grid), problems)
    pool = read_column(
        table, "pool", name_reader("pool", [p.name for p in scenario.pools]), problems
    )
    queue = read_column(
        table, "queue", name_reader("queue", [q.name for q in scenario.queues]), problems
    )
    agents, agents_read = read_whole(table, "agents", problems, minimum=0)
    return AllocationRows(
        raw=table,
        day=day,
        interval=interval,
        pool=pool,
        queue=queue,
        agents=agents,
        agents_read=agents_read,
        problems={row: tuple(p) for row, p in sorted(problems.items())},
    )


def read_column(
    table: pd.DataFrame,
    column: str,
    read_one: Callable[[Any], tuple[int, str | None]],
    problems: dict[int, list[str]],
) -> np.ndarray:
    """Read a column value by value, once per distinct value (tables repeat values a lot).

    A column the caller may do without (``template`` for the agents on duty, ``pool`` for the
    staffing of queues) reads as all unknown when absent, with no problem reported.
    """
    if column not in table.columns:
        return np.full(len(table), -1, dtype=np.int64)
    codes, uniques = factorize(table[column])
    results = [read_one(value) for value in uniques]
    values = np.array([r[0] for r in results] + [-1], dtype=np.int64)
    reasons = [r[1] for r in results] + [f"{column} is missing"]
    out = values[codes]  # code -1 (a missing value) picks the appended -1
    for row in np.flatnonzero(out < 0):
        problems.setdefault(int(row), []).append(str(reasons[codes[row]]))
    return out


def factorize(values: pd.Series) -> tuple[np.ndarray, Any]:
    """Codes and distinct values; a cell holding a list or mapping reads as its text."""
    try:
        return pd.factorize(values, use_na_sentinel=True)
    except TypeError:
        as_text = [v if isinstance(v, Hashable) else repr(v) for v in values]
        return pd.factorize(pd.Series(as_text, dtype=object), use_na_sentinel=True)


def numbers(values: pd.Series) -> np.ndarray:
    """A writable float array; anything that is not a number (text, pd.NA, None) is NaN."""
    numbers = pd.to_numeric(values, errors="coerce")
    return np.array(numbers.to_numpy(dtype=float, na_value=np.nan), dtype=float)


def read_whole(
    table: pd.DataFrame, column: str, problems: dict[int, list[str]], minimum: int
) -> tuple[np.ndarray, np.ndarray]:
    """Whole numbers (``3``, ``3.0``, ``"3"``); flags values below ``minimum`` as problems.

    Returns the values (0 where unreadable) and whether each is a whole number from 0 to
    :data:`MAX_AGENTS`.
    """
    values = numbers(table[column])
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(values) & (values == np.round(values)) & (values <= MAX_AGENTS)
        read = whole & (values >= 0)
        good = whole & (values >= minimum)
    for row in np.flatnonzero(~good):
        value = shown(table[column].iloc[row])
        problems.setdefault(int(row), []).append(
            f"{column} {value!r} is not a whole number from {minimum} to {MAX_AGENTS:,}"
        )
    return np.where(read, values, 0).astype(np.int64), read


def read_breaks_column(
    table: pd.DataFrame, problems: dict[int, list[str]]
) -> tuple[tuple[tuple[int, int], ...] | None, ...]:
    codes, uniques = factorize(table["breaks"])
    parsed = [read_breaks(value) for value in uniques]
    out = []
    for row, code in enumerate(codes):
        value = () if code < 0 else parsed[code]  # an empty CSV cell reads as NaN: no breaks
        if value is None:
            problems.setdefault(row, []).append(
                f'breaks {uniques[code]!r} is not "HH:MM-HH:MM" separated by ";" (or "")'
            )
        out.append(value)
    return tuple(out)


def read_breaks(value: Any) -> tuple[tuple[int, int], ...] | None:
    """``"12:00-12:30;15:00-15:15"`` -> ((720, 750), (900, 915)); ``""`` -> (); None if bad."""
    if not isinstance(value, str):
        return None
    if not value.strip():
        return ()
    spans = []
    for part in value.split(";"):
        ends = part.split("-")
        if len(ends) != 2:
            return None
        try:
            spans.append((parse_clock(ends[0]), parse_clock(ends[1])))
        except ValueError:
            return None
    return tuple(spans)


def read_day(value: Any, grid: TimeGrid) -> tuple[int, str | None]:
    day = as_date(value)
    if day is None:
        return -1, f"day {shown(value)!r} is not a date (YYYY-MM-DD)"
    index = (day - grid.start_date).days
    if not 0 <= index < grid.days:
        return -1, (
            f"day {day.isoformat()} is outside the horizon {grid.dates[0].isoformat()}.."
            f"{grid.dates[-1].isoformat()}"
        )
    return index, None


def as_date(value: Any) -> date | None:
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, datetime):  # pandas.Timestamp included
        midnight = (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)
        return value.date() if midnight else None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def day_text(value: Any) -> str:
    day = as_date(value)
    return day.isoformat() if day is not None else repr(value)


def name_reader(kind: str, names: list[str]) -> Callable[[Any], tuple[int, str | None]]:
    index = {name: i for i, name in enumerate(names)}

    def read(value: Any) -> tuple[int, str | None]:
        if isinstance(value, str) and value in index:
            return index[value], None
        close = difflib.get_close_matches(str(value), names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return -1, f"{kind} {shown(value)!r} names no {kind}{hint}; known: {', '.join(names)}"

    return read


def clock_reader(column: str) -> Callable[[Any], tuple[int, str | None]]:
    def read(value: Any) -> tuple[int, str | None]:
        try:
            return parse_clock(value), None
        except ValueError:
            return -1, f'{column} {shown(value)!r} is not a clock time "HH:MM"'

    return read


def read_interval(value: Any, grid: TimeGrid) -> tuple[int, str | None]:
    try:
        minute = parse_clock(value)
        if minute < grid.window_end_minute:
            return grid.interval_of(minute), None
    except ValueError:
        pass
    return -1, (
        f"interval_start {shown(value)!r} is not an interval start of the window "
        f"{clock_label(grid.window_start_minute)}-{clock_label(grid.window_end_minute)} "
        f"(HH:MM every {grid.interval_minutes} min)"
    )


def shown(value: Any) -> Any:
    """A table value as written (numpy scalars as plain Python numbers), for messages."""
    return value.item() if isinstance(value, np.generic) else value


def raise_unreadable(
    name: str, problems: Mapping[int, tuple[str, ...]], rows: np.ndarray, where
) -> None:
    if not len(rows):
        return
    listed = [f"{where(int(r))}: {'; '.join(problems.get(int(r), ()))}" for r in rows[:5]]
    more = f" (and {len(rows) - 5} more rows)" if len(rows) > 5 else ""
    raise ValueError(
        f"the {name} table has rows that cannot be read{more}; validate_tables lists every "
        "problem:\n  " + "\n  ".join(listed)
    )


def rows_from_plan(scenario: Scenario, plan: Plan) -> tuple[ShiftRows, AllocationRows]:
    """A typed plan in the validator's array form: every value readable, no text parsed."""
    grid = scenario.grid
    pools = [p.name for p in scenario.pools]
    templates = [t.name for t in scenario.shift_templates]
    step, first = grid.interval_minutes, grid.window_start_minute
    g = plan.shifts

    def ints(values) -> np.ndarray:
        return np.array(list(values), dtype=np.int64)

    shifts = ShiftRows(
        raw=_where_table(grid, g),
        day=ints(x.day for x in g),
        pool=ints(pools.index(x.pool) for x in g),
        template=ints(templates.index(x.template) for x in g),
        start=ints(first + x.start * step for x in g),
        end=ints(first + x.end * step for x in g),
        breaks=tuple(
            tuple((first + (x.start + o) * step, first + (x.start + o + n) * step) for o, n in b)
            for x in g
            for b in (x.breaks,)
        ),
        agents=ints(x.agents for x in g),
        agents_read=np.ones(len(g), dtype=bool),
        paid_hours=np.array([x.paid_hours for x in g], dtype=float),
        problems={},
    )
    p, q, d, i = np.nonzero(plan.allocation)
    allocation = AllocationRows(
        raw=pd.DataFrame(
            {
                "day": np.array(grid.dates, dtype=object)[d],
                "interval_start": np.array(grid.interval_labels, dtype=object)[i],
                "pool": np.array(plan.pool_names, dtype=object)[p],
                "queue": np.array(plan.queue_names, dtype=object)[q],
            }
        ),
        day=d.astype(np.int64),
        interval=i.astype(np.int64),
        pool=p.astype(np.int64),
        queue=q.astype(np.int64),
        agents=plan.allocation[p, q, d, i].astype(np.int64),
        agents_read=np.ones(len(p), dtype=bool),
        problems={},
    )
    return shifts, allocation


def _where_table(grid: TimeGrid, groups: tuple[ShiftGroup, ...]) -> pd.DataFrame:
    """What :meth:`ShiftRows.where` names a row by: its day, pool, start and end."""
    return pd.DataFrame(
        {
            "day": [grid.dates[g.day] for g in groups],
            "pool": [g.pool for g in groups],
            "start": [grid.clock_at(g.start) for g in groups],
            "end": [grid.clock_at(g.end) for g in groups],
        }
    )


def plan_from_tables(
    scenario: Scenario, shifts: pd.DataFrame, allocation: pd.DataFrame | None = None
) -> Plan:
    """A typed plan from its tables (e.g. ``shifts.csv`` and ``allocation.csv``).

    Parameters
    ----------
    scenario : Scenario
    shifts : pandas.DataFrame
        :data:`~planner.domain.plan.SHIFT_COLUMNS`; starts, ends and breaks on the scenario's
        interval grid.
    allocation : pandas.DataFrame, optional
        :data:`~planner.domain.plan.ALLOCATION_COLUMNS`. Without it the plan's allocation is
        all zeros: enough for what needs only the shifts (a roster), not for coverage.

    Raises
    ------
    ValueError
        If a column is missing, a row cannot be read, or a time is off the interval grid; the
        validator (:func:`planner.validate.plan.validate_tables`) lists every such problem.
    """
    require_columns("shifts", shifts, SHIFT_COLUMNS)
    grid = scenario.grid
    s = read_shift_rows(scenario, shifts)
    readable = s.duty_read & (s.template >= 0) & np.isfinite(s.paid_hours)
    raise_unreadable("shifts", s.problems, np.flatnonzero(~readable), s.where)
    pools = [p.name for p in scenario.pools]
    templates = [t.name for t in scenario.shift_templates]
    groups = []
    for r in range(len(s)):
        if s.agents[r] == 0:
            continue
        start = grid.interval_of(int(s.start[r]))
        groups.append(
            ShiftGroup(
                day=int(s.day[r]),
                pool=pools[s.pool[r]],
                template=templates[s.template[r]],
                start=start,
                length=grid.interval_of(int(s.end[r])) - start,
                breaks=tuple(
                    (grid.interval_of(b0) - start, grid.intervals_in(b1 - b0))
                    for b0, b1 in s.breaks[r]
                ),
                paid_minutes=round(s.paid_hours[r] * 60 / s.agents[r]),
                agents=int(s.agents[r]),
            )
        )
    queues = [q.name for q in scenario.queues]
    plan = Plan.empty(grid, pools, queues)
    if allocation is not None:
        require_columns("allocation", allocation, ALLOCATION_COLUMNS)
        a = read_allocation_rows(scenario, allocation)
        rows = (a.day >= 0) & (a.interval >= 0) & (a.pool >= 0) & (a.queue >= 0) & a.agents_read
        raise_unreadable("allocation", a.problems, np.flatnonzero(~rows), a.where)
        np.add.at(plan.allocation, (a.pool, a.queue, a.day, a.interval), a.agents)
    return Plan(grid, plan.pool_names, plan.queue_names, tuple(groups), plan.allocation)
