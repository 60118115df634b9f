"""Forecast files: ``day, interval_start, queue, calls[, aht_seconds]``, one row per interval.

Size limits (:mod:`planner.domain.limits`) are checked before the work: a file larger than
``MAX_FORECAST_BYTES`` is refused before it is read, one with more than ``MAX_FORECAST_ROWS``
rows before its rows are checked; calls and AHT are bounded like the scenario's own.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping

import numpy as np
import pandas as pd

from planner.domain import limits
from planner.domain.checks import horizon_issues
from planner.domain.scenario import Scenario
from planner.errors import MISSING, InputIssue
from planner.io.files import read_named_file
from planner.timegrid import TimeGrid

__all__ = ["load_forecasts"]


_FORECAST_COLUMNS = ("day", "interval_start", "queue", "calls")


def load_forecasts(
    s: Scenario, base_dir: str | os.PathLike[str] | None, provided: Mapping[str, bytes | str]
) -> tuple[dict[str, pd.DataFrame], list[InputIssue]]:
    """Read and check every forecast file the queues refer to (each file once)."""
    tables: dict[str, pd.DataFrame] = {}
    issues: list[InputIssue] = []
    users: dict[str, list[tuple[int, str]]] = {}
    for i, q in enumerate(s.queues):
        if q.demand is not None and q.demand.forecast_csv is not None:
            users.setdefault(q.demand.forecast_csv, []).append((i, q.name))
    if any(True for _ in horizon_issues(s)):
        return tables, issues  # the grid is undefined; the horizon issue is reported already
    for name, queues in users.items():
        path = f"queues[{queues[0][0]}].demand.forecast_csv"
        raw, problem = read_named_file(
            name, base_dir, provided, max_bytes=limits.MAX_FORECAST_BYTES
        )
        if problem:
            issues.append(InputIssue(path, name, problem))
            continue
        table, table_issues = _parse_forecast(raw, name, s, [q for _, q in queues])
        issues += [InputIssue(f"{path} ({name}) {i.path}", i.value, i.rule) for i in table_issues]
        if not table_issues:
            tables[name] = table
    return tables, issues


def _parse_forecast(
    raw: bytes, name: str, s: Scenario, queues: list[str]
) -> tuple[pd.DataFrame, list[InputIssue]]:
    """Check a forecast table: columns, types, values, and exactly one row per interval."""
    grid = s.grid
    try:
        text_columns = {"day": str, "interval_start": str, "queue": str}
        table = pd.read_csv(io.BytesIO(raw), dtype=text_columns, nrows=limits.MAX_FORECAST_ROWS + 1)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        return pd.DataFrame(), [InputIssue("(file)", MISSING, f"is not a readable CSV: {exc}")]
    if len(table) > limits.MAX_FORECAST_ROWS:
        return table, [
            InputIssue(
                "(file)",
                f"more than {limits.MAX_FORECAST_ROWS:,} rows",
                f"has too many rows: at most {limits.MAX_FORECAST_ROWS:,}",
            )
        ]
    missing = [c for c in _FORECAST_COLUMNS if c not in table.columns]
    extra = [c for c in table.columns if c not in (*_FORECAST_COLUMNS, "aht_seconds")]
    issues: list[InputIssue] = []
    if missing:
        issues.append(InputIssue("columns", list(table.columns), f"missing column(s) {missing}"))
    if extra:
        issues.append(
            InputIssue(
                "columns",
                extra,
                "unknown column(s); allowed: day, interval_start, queue, calls, aht_seconds",
            )
        )
    if issues:
        return table, issues

    def row_issue(mask: pd.Series, column: str, rule: str) -> None:
        for index in np.flatnonzero(mask.to_numpy())[:5]:
            value = table[column].iloc[index]
            value = value.item() if isinstance(value, np.generic) else value  # -1.0, not np.float64
            issues.append(InputIssue(f"row {index + 2}, {column}", value, rule))
        if mask.sum() > 5:
            issues.append(InputIssue(column, f"{int(mask.sum())} rows", rule))

    days = pd.to_datetime(table["day"], format="%Y-%m-%d", errors="coerce")
    row_issue(days.isna(), "day", "must be a date YYYY-MM-DD")
    day_index = (days - pd.Timestamp(grid.start_date)).dt.days
    row_issue(days.notna() & ~day_index.between(0, grid.days - 1), "day", "is outside the horizon")
    labels = {label: i for i, label in enumerate(grid.interval_labels)}
    interval = table["interval_start"].map(labels)
    row_issue(
        interval.isna(),
        "interval_start",
        f"is not an interval start of the window (HH:MM every {grid.interval_minutes} min)",
    )
    row_issue(~table["queue"].isin(queues + [q.name for q in s.queues]), "queue", "names no queue")
    bounds = {
        "calls": (0, limits.MAX_CALLS_PER_DAY),
        "aht_seconds": (limits.MIN_HANDLING_SECONDS, limits.MAX_HANDLING_SECONDS),
    }
    for column, (low, high) in bounds.items():
        if column not in table.columns:
            continue
        values = pd.to_numeric(table[column], errors="coerce")
        bound_ok = values >= 0 if column == "calls" else values > 0
        rule = "must be a number >= 0" if column == "calls" else "must be a number > 0"
        valid = values.notna() & bound_ok  # infinity passes here, and fails the bounds
        row_issue(~valid, column, rule)
        row_issue(valid & ~values.between(low, high), column, f"must be {low} to {high:,}")
        table[column] = values
    if issues:
        return table, issues

    table = table.assign(day_index=day_index.astype(int), interval=interval.astype(int))
    for queue in queues:
        rows = table[table["queue"] == queue]
        daily = rows.groupby("day_index")["calls"].sum()
        for d, total in daily[daily > limits.MAX_CALLS_PER_DAY].head(5).items():
            issues.append(
                InputIssue(
                    f"queue {queue}, {grid.dates[int(d)].isoformat()}",
                    float(total),
                    f"calls in the day must be <= {limits.MAX_CALLS_PER_DAY:,}",
                )
            )
        key = rows["day_index"] * grid.intervals_per_day + rows["interval"]
        duplicated = key[key.duplicated()]
        for k in duplicated.unique()[:5]:
            issues.append(_slot_issue(grid, queue, int(k), "appears more than once"))
        absent = np.setdiff1d(np.arange(grid.days * grid.intervals_per_day), key.to_numpy())
        for k in absent[:5]:
            issues.append(_slot_issue(grid, queue, int(k), "is missing"))
        if absent.size > 5:
            issues.append(
                InputIssue(f"queue {queue}", f"{absent.size} intervals", "are missing in all")
            )
    return table, issues


def _slot_issue(grid: TimeGrid, queue: str, key: int, what: str) -> InputIssue:
    day, interval = divmod(key, grid.intervals_per_day)
    where = f"{grid.dates[day].isoformat()} {grid.interval_labels[interval]}"
    return InputIssue(f"queue {queue}, {where}", MISSING, f"{what}: every interval needs one row")
