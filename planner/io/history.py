"""History files: calls a queue took per interval, the input of forecasting.

A history CSV has the columns ``interval_start, queue, calls[, aht_seconds]``, one row per queue
and interval, at one interval length of 5, 15, 30 or 60 minutes (``interval_start`` is a
timestamp ``YYYY-MM-DD HH:MM``, ``T`` and seconds allowed; a time zone suffix such as ``Z`` is
dropped and the clock time read as written). It is read into a :class:`History`: the calls of
each queue on every date from the file's first to its last, per interval of the target length
over the operating window (rows outside the window are dropped; intervals are summed, AHT
weighted by calls).

Rules (every problem is reported, up to five rows each, naming the row, column and value):

- the timestamps parse, and lie on the file's interval grid (``09:07`` is refused at 15 min);
- one interval length in the whole file: the step between a queue's consecutive rows within a
  day is the same on every day (5-min days mixed with 15-min days are refused);
- no duplicate (queue, interval_start); calls are whole numbers >= 0, AHT > 0;
- no gap: within a day, a queue's rows run from its first to its last interval without a hole
  (before the first row and after the last the line took no calls);
- the target interval is a whole multiple of the file's (15-min history gives 15, 30 or 60).

Days are told apart (:attr:`History.status`): ``open`` (rows with calls), ``closed`` (rows, all
zero: the line was open for calls and took none, or was closed and logged zeros) and
``no_data`` (no row at all that day: unknown, never read as zero calls).
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from planner.domain import limits
from planner.domain.checks import horizon_issues
from planner.domain.scenario import Scenario
from planner.errors import MISSING, InputIssue, ScenarioError
from planner.io.files import read_named_file, read_regular_file
from planner.timegrid import clock_label

__all__ = [
    "DAY_CLOSED",
    "DAY_NO_DATA",
    "DAY_OPEN",
    "HISTORY_INTERVALS",
    "History",
    "HistoryError",
    "load_histories",
    "load_history",
    "parse_history",
]

HISTORY_INTERVALS = (5, 15, 30, 60)
"""Interval lengths (minutes) a history file may have."""

DAY_OPEN, DAY_CLOSED, DAY_NO_DATA = "open", "closed", "no_data"
"""A queue's day in the history: calls taken; rows but no calls; no rows at all."""

_COLUMNS = ("interval_start", "queue", "calls")
_SHOWN = 5


class HistoryError(ScenarioError):
    """A history file breaks one or more rules; the message names file, row, column, value."""


@dataclass(frozen=True)
class History:
    """Calls per queue, day and interval of the window, as read from a history file.

    Attributes
    ----------
    source : str
        The file name, for messages.
    interval_minutes : int
        The target interval length (the history was summed to it).
    source_interval_minutes : int
        The file's own interval length.
    window_start_minute, window_end_minute : int
        The operating window, minutes after midnight; intervals outside it are dropped.
    dates : tuple of date
        Every date from the file's first to its last (days with no data included).
    calls : dict of str to numpy.ndarray
        Per queue, shape (days, intervals per day); NaN on the queue's ``no_data`` days.
    aht_seconds : dict of str to numpy.ndarray
        Per queue, calls-weighted AHT, same shape, NaN where unknown (no AHT column, no calls).
    status : dict of str to numpy.ndarray
        Per queue, one of :data:`DAY_OPEN`, :data:`DAY_CLOSED`, :data:`DAY_NO_DATA` per date.
    """

    source: str
    interval_minutes: int
    source_interval_minutes: int
    window_start_minute: int
    window_end_minute: int
    dates: tuple[date, ...]
    calls: dict[str, np.ndarray] = field(repr=False)
    aht_seconds: dict[str, np.ndarray] = field(repr=False)
    status: dict[str, np.ndarray] = field(repr=False)

    @property
    def queues(self) -> tuple[str, ...]:
        return tuple(self.calls)

    @property
    def intervals_per_day(self) -> int:
        return (self.window_end_minute - self.window_start_minute) // self.interval_minutes

    @property
    def interval_labels(self) -> list[str]:
        return [
            clock_label(self.window_start_minute + i * self.interval_minutes)
            for i in range(self.intervals_per_day)
        ]

    def daily_totals(self, queue: str) -> np.ndarray:
        """Calls in the window per date (NaN on ``no_data`` days)."""
        return self.calls[queue].sum(axis=1)

    def until(self, end: date) -> History:
        """The history of the dates before ``end`` (for a forecast or a backtest origin)."""
        keep = sum(d < end for d in self.dates)
        return History(
            self.source,
            self.interval_minutes,
            self.source_interval_minutes,
            self.window_start_minute,
            self.window_end_minute,
            self.dates[:keep],
            {q: a[:keep] for q, a in self.calls.items()},
            {q: a[:keep] for q, a in self.aht_seconds.items()},
            {q: a[:keep] for q, a in self.status.items()},
        )


def load_history(
    path: str | os.PathLike[str],
    *,
    interval_minutes: int = 15,
    window: tuple[int, int] = (9 * 60, 21 * 60),
) -> History:
    """Read and check a history file a user named (see :func:`parse_history`).

    Raises
    ------
    HistoryError
        If it cannot be read or breaks a rule.
    """
    try:
        raw = read_regular_file(path, max_bytes=limits.MAX_HISTORY_BYTES)
    except OSError as exc:
        raise HistoryError.single(
            str(path), "(file)", MISSING, f"cannot be read: {exc.strerror or exc}"
        ) from None
    return parse_history(raw, str(path), interval_minutes=interval_minutes, window=window)


def parse_history(
    raw: bytes,
    source: str,
    *,
    interval_minutes: int = 15,
    window: tuple[int, int] = (9 * 60, 21 * 60),
) -> History:
    """Check a history table and sum it to ``interval_minutes`` over ``window``.

    Parameters
    ----------
    raw : bytes
        The CSV text.
    source : str
        Its name, for messages.
    interval_minutes : int
        Target interval length, minutes: a whole multiple of the file's.
    window : (int, int)
        Operating window, minutes after midnight, start and end on the target grid.

    Raises
    ------
    HistoryError
        Listing every problem found.
    """
    table, issues = _read_table(raw)
    if not issues:
        issues = _check_values(table)
    if issues:
        raise HistoryError(source, issues)
    stamps = table["stamp"]
    day = stamps.dt.normalize()
    minute = (stamps.dt.hour * 60 + stamps.dt.minute).to_numpy()
    step, issues = _interval_length(table, day, minute)
    if not issues:
        issues = _target_issues(step, interval_minutes, window)
    if issues:
        raise HistoryError(source, issues)

    first, last = day.min(), day.max()
    n_days = (last - first).days + 1
    dates = tuple(d.date() for d in pd.date_range(first, last, freq="D"))
    start, end = window
    n_int = (end - start) // interval_minutes
    day_index = ((day - first).dt.days).to_numpy()
    calls_all = table["calls"].to_numpy(dtype=float)
    has_aht = "aht_seconds" in table.columns
    calls, aht, status = {}, {}, {}
    for queue in pd.unique(table["queue"]):
        rows = (table["queue"] == queue).to_numpy()
        d, m, c = day_index[rows], minute[rows], calls_all[rows]
        per_day = np.bincount(d, weights=c, minlength=n_days)
        seen = np.bincount(d, minlength=n_days) > 0
        st = np.where(seen, np.where(per_day > 0, DAY_OPEN, DAY_CLOSED), DAY_NO_DATA)
        inside = (m >= start) & (m < end)
        slot = d[inside] * n_int + (m[inside] - start) // interval_minutes
        grid = np.bincount(slot, weights=c[inside], minlength=n_days * n_int).reshape(n_days, -1)
        grid[~seen] = np.nan
        handled = np.full_like(grid, np.nan)
        if has_aht:
            work = c[inside] * table["aht_seconds"].to_numpy(dtype=float)[rows][inside]
            seconds = np.bincount(slot, weights=work, minlength=n_days * n_int)
            with np.errstate(invalid="ignore", divide="ignore"):
                handled = np.where(grid > 0, seconds.reshape(n_days, -1) / grid, np.nan)
        calls[str(queue)], aht[str(queue)], status[str(queue)] = grid, handled, st
    return History(source, interval_minutes, step, start, end, dates, calls, aht, status)


def load_histories(
    s: Scenario, base_dir: str | os.PathLike[str] | None, provided: Mapping[str, bytes | str]
) -> tuple[dict[str, History], list[InputIssue]]:
    """Read and check every history file the queues' ``demand.history_csv`` name (each once),
    summed to the scenario's interval over its window; each queue must have rows in it, and
    two weeks of them before the horizon starts."""
    histories: dict[str, History] = {}
    issues: list[InputIssue] = []
    users: dict[str, list[tuple[int, str]]] = {}
    for i, q in enumerate(s.queues):
        if q.demand is not None and q.demand.history_csv is not None:
            users.setdefault(q.demand.history_csv, []).append((i, q.name))
    if not users or any(True for _ in horizon_issues(s)):
        return histories, issues
    h = s.horizon
    for name, queues in users.items():
        path = f"queues[{queues[0][0]}].demand.history_csv"
        raw, problem = read_named_file(name, base_dir, provided, max_bytes=limits.MAX_HISTORY_BYTES)
        if problem:
            issues.append(InputIssue(path, name, problem))
            continue
        try:
            history = parse_history(
                raw,
                name,
                interval_minutes=h.interval_minutes,
                window=(h.window_start, h.window_end),
            )
        except HistoryError as exc:
            issues += [InputIssue(f"{path} ({name}) {i.path}", i.value, i.rule) for i in exc.issues]
            continue
        for i, queue in queues:
            where = f"queues[{i}].demand.history_csv"
            if queue not in history.queues:
                issues.append(
                    InputIssue(
                        where,
                        name,
                        f"has no rows for queue {queue!r} (its queues: "
                        f"{', '.join(history.queues)})",
                    )
                )
            elif sum(d < h.start_date for d in history.dates) < 14:
                issues.append(
                    InputIssue(
                        where,
                        name,
                        f"needs at least two weeks of history before the horizon starts "
                        f"({h.start_date.isoformat()}); it has "
                        f"{(h.start_date - history.dates[0]).days} days",
                    )
                )
            elif history.dates[-1] < h.start_date - timedelta(days=366):
                issues.append(
                    InputIssue(where, name, "ends more than a year before the horizon starts")
                )
        histories[name] = history
    return histories, issues


def _read_table(raw: bytes) -> tuple[pd.DataFrame, list[InputIssue]]:
    try:
        table = pd.read_csv(
            io.BytesIO(raw),
            dtype={"interval_start": str, "queue": str},
            nrows=limits.MAX_HISTORY_ROWS + 1,
        )
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        return pd.DataFrame(), [InputIssue("(file)", MISSING, f"is not a readable CSV: {exc}")]
    if len(table) > limits.MAX_HISTORY_ROWS:
        rule = f"has too many rows: at most {limits.MAX_HISTORY_ROWS:,}"
        return table, [InputIssue("(file)", f"more than {limits.MAX_HISTORY_ROWS:,} rows", rule)]
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in _COLUMNS if c not in table.columns]
    extra = [c for c in table.columns if c not in (*_COLUMNS, "aht_seconds")]
    issues = []
    if missing:
        issues.append(InputIssue("columns", list(table.columns), f"missing column(s) {missing}"))
    if extra:
        rule = "unknown column(s); allowed: interval_start, queue, calls, aht_seconds"
        issues.append(InputIssue("columns", extra, rule))
    if not issues and table.empty:
        issues.append(InputIssue("(file)", MISSING, "has no rows: a history needs at least one"))
    return table, issues


def _row_issues(table: pd.DataFrame, mask, column: str, rule: str) -> list[InputIssue]:
    mask = np.asarray(mask, dtype=bool)
    out = []
    for index in np.flatnonzero(mask)[:_SHOWN]:
        value = table[column].iloc[index]
        value = value.item() if isinstance(value, np.generic) else value
        out.append(InputIssue(f"row {index + 2}, {column}", value, rule))
    if mask.sum() > _SHOWN:
        out.append(InputIssue(column, f"{int(mask.sum())} rows", rule))
    return out


def _check_values(table: pd.DataFrame) -> list[InputIssue]:
    """Timestamps, queue names, calls and AHT, row by row; adds the ``stamp`` column."""
    issues = []
    text = table["interval_start"].fillna("").str.strip()
    stamps = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
    bad = stamps.isna() | ~text.str.match(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
    issues += _row_issues(
        table, bad, "interval_start", "must be a timestamp YYYY-MM-DD HH:MM (e.g. 2022-01-10 09:15)"
    )
    # Clock time as written: a "Z" or "+05:00" suffix is dropped, not converted.
    table["stamp"] = pd.to_datetime(text.str.slice(0, 16).str.replace("T", " "), errors="coerce")
    bad_date = table["stamp"].notna() & ~table["stamp"].between(
        pd.Timestamp(limits.DATE_MIN), pd.Timestamp(limits.DATE_MAX) + pd.Timedelta(days=1)
    )
    issues += _row_issues(table, bad_date, "interval_start", "must be in 2000-01-01 .. 2100-12-31")
    queue = table["queue"].fillna("").str.strip()
    issues += _row_issues(table, queue == "", "queue", "must name a queue")
    table["queue"] = queue
    calls = pd.to_numeric(table["calls"], errors="coerce")
    issues += _row_issues(table, calls.isna(), "calls", "must be a number")
    issues += _row_issues(table, calls < 0, "calls", "must be >= 0 (a count of calls)")
    issues += _row_issues(
        table,
        (calls >= 0) & ((calls != np.floor(calls)) | (calls > limits.MAX_CALLS_PER_DAY)),
        "calls",
        f"must be a whole number of calls, at most {limits.MAX_CALLS_PER_DAY:,}",
    )
    table["calls"] = calls
    if "aht_seconds" in table.columns:
        aht = pd.to_numeric(table["aht_seconds"], errors="coerce")
        low, high = limits.MIN_HANDLING_SECONDS, limits.MAX_HANDLING_SECONDS
        ok = aht.between(low, high) | (aht.isna() & (calls == 0))
        issues += _row_issues(
            table, ~ok, "aht_seconds", f"must be a number of seconds from {low} to {high:,}"
        )
        table["aht_seconds"] = aht.fillna(0.0)
    if issues:
        return issues
    duplicated = table.duplicated(["queue", "stamp"], keep="first")
    issues += _row_issues(
        table, duplicated, "interval_start", "appears twice for the same queue: one row each"
    )
    return issues


def _interval_length(
    table: pd.DataFrame, day: pd.Series, minute: np.ndarray
) -> tuple[int, list[InputIssue]]:
    """The file's interval length, or the problems that keep it from having one."""
    issues: list[InputIssue] = []
    off_grid = minute % 5 != 0
    issues += _row_issues(
        table,
        off_grid | (table["stamp"].dt.second != 0).to_numpy(),
        "interval_start",
        "must start on a whole 5-minute mark (intervals of 5, 15, 30 or 60 min)",
    )
    if issues:
        return 0, issues
    order = np.lexsort((minute, day.to_numpy(), table["queue"].to_numpy()))
    q, d, m = table["queue"].to_numpy()[order], day.to_numpy()[order], minute[order]
    same = (q[1:] == q[:-1]) & (d[1:] == d[:-1])
    steps = (m[1:] - m[:-1])[same]
    if steps.size == 0:
        return 60, []  # one row a day: nothing says it is shorter; 60 min never needs splitting
    step = int(np.gcd.reduce(steps))
    if step not in HISTORY_INTERVALS:
        rule = f"intervals must be {', '.join(map(str, HISTORY_INTERVALS))} min long"
        return step, [InputIssue("interval_start", f"rows {step} min apart", rule)]
    # Each (queue, day): the smallest step in it. Days at different lengths are a mixed file.
    keys = pd.DataFrame({"q": q[1:][same], "d": d[1:][same], "s": steps})
    per_day = keys.groupby(["q", "d"])["s"].min()
    lengths = sorted(set(per_day.unique()) & set(HISTORY_INTERVALS))
    if len(lengths) > 1 and per_day.min() != per_day.max():
        where = per_day[per_day != step].index[:_SHOWN]
        shown = ", ".join(f"{qq} {pd.Timestamp(dd).date()}" for qq, dd in where)
        return step, [
            InputIssue(
                "interval_start",
                f"{' and '.join(f'{x} min' for x in lengths)}",
                f"mixes interval lengths: one length for the whole file (days at a longer "
                f"step than {step} min: {shown})",
            )
        ]
    misaligned = (minute % step) != 0
    issues += _row_issues(
        table, misaligned, "interval_start", f"is not on the file's {step}-minute grid"
    )
    gap_at = np.flatnonzero(same)[steps > step]
    for k in gap_at[:_SHOWN]:
        start, end = m[k] + step, m[k + 1]
        issues.append(
            InputIssue(
                f"queue {q[k]}, {pd.Timestamp(d[k]).date()}",
                f"{clock_label(int(start))}-{clock_label(int(end))}",
                f"is a gap: no rows for these {step}-min intervals between the day's first and "
                "last row (write 0 calls for an interval without calls)",
            )
        )
    if gap_at.size > _SHOWN:
        issues.append(InputIssue("interval_start", f"{gap_at.size} gaps", "gaps in all"))
    return step, issues


def _target_issues(step: int, interval_minutes: int, window: tuple[int, int]) -> list[InputIssue]:
    start, end = window
    issues = []
    if interval_minutes % step:
        issues.append(
            InputIssue(
                "interval_start",
                f"{step}-min rows",
                f"cannot be summed to {interval_minutes}-min intervals: the target must be a "
                f"whole multiple of the file's {step} min",
            )
        )
    if not (0 <= start < end <= 24 * 60) or start % interval_minutes or end % interval_minutes:
        issues.append(
            InputIssue(
                "window",
                f"{clock_label(start)}-{clock_label(end)}",
                f"must be a window of the day whose ends lie on the {interval_minutes}-min grid",
            )
        )
    return issues
