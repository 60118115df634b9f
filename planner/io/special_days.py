"""Special-days files: the planner's own overrides of the calendar for forecasting.

A CSV with the columns ``date, queue, factor[, note]``: ``date`` is ``YYYY-MM-DD``; ``queue``
names one queue, or is empty or ``*`` for every queue; ``factor`` multiplies the day's normal
forecast (``0.5`` half the calls, ``1`` a normal day, so a public holiday the line works as
usual) or is the word ``closed`` (no calls). A row overrides what the calendar says for that
date (a public holiday, the day after a closed day), in history and forecast alike.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date

import pandas as pd

from planner.domain import limits
from planner.errors import MISSING, InputIssue, ScenarioError
from planner.io.files import read_regular_file

__all__ = ["SpecialDay", "SpecialDaysError", "load_special_days", "parse_special_days"]

MAX_FACTOR = 100.0
"""A special day's factor: at most 100 times a normal day."""


class SpecialDaysError(ScenarioError):
    """A special-days file breaks one or more rules."""


@dataclass(frozen=True)
class SpecialDay:
    """A date on which a queue (``queue`` None: every queue) takes ``factor`` x its normal
    calls (0: closed)."""

    date: date
    queue: str | None
    factor: float
    note: str = ""


def load_special_days(path: str | os.PathLike[str]) -> tuple[SpecialDay, ...]:
    """Read a special-days file a user named (see :func:`parse_special_days`)."""
    try:
        raw = read_regular_file(path, max_bytes=limits.MAX_FORECAST_BYTES)
    except OSError as exc:
        raise SpecialDaysError.single(
            str(path), "(file)", MISSING, f"cannot be read: {exc.strerror or exc}"
        ) from None
    return parse_special_days(raw, str(path))


def parse_special_days(raw: bytes, source: str) -> tuple[SpecialDay, ...]:
    """Check a special-days table.

    Raises
    ------
    SpecialDaysError
        Listing every problem (row, column, value, rule).
    """
    try:
        table = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise SpecialDaysError.single(
            source, "(file)", MISSING, f"is not a readable CSV: {exc}"
        ) from None
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in ("date", "queue", "factor") if c not in table.columns]
    extra = [c for c in table.columns if c not in ("date", "queue", "factor", "note")]
    if missing or extra:
        issues = []
        if missing:
            issues.append(
                InputIssue("columns", list(table.columns), f"missing column(s) {missing}")
            )
        if extra:
            issues.append(
                InputIssue("columns", extra, "unknown; allowed: date, queue, factor, note")
            )
        raise SpecialDaysError(source, issues)
    days, issues, seen = [], [], {}
    for i, row in enumerate(table.itertuples(index=False), start=2):
        text = row.date.strip()
        try:
            day = date.fromisoformat(text)
            if not limits.DATE_MIN <= day <= limits.DATE_MAX:
                raise ValueError
        except ValueError:
            issues.append(InputIssue(f"row {i}, date", text, "must be a date YYYY-MM-DD"))
            continue
        queue = row.queue.strip() or None
        queue = None if queue == "*" else queue
        raw_factor = row.factor.strip().lower()
        if raw_factor == "closed":
            factor = 0.0
        else:
            try:
                factor = float(raw_factor)
            except ValueError:
                factor = float("nan")
            if not 0.0 <= factor <= MAX_FACTOR:
                issues.append(
                    InputIssue(
                        f"row {i}, factor",
                        row.factor,
                        f"must be a number from 0 to {MAX_FACTOR:g}, or 'closed'",
                    )
                )
                continue
        if (day, queue) in seen:
            issues.append(
                InputIssue(f"row {i}, date", text, f"repeats row {seen[(day, queue)]} (same queue)")
            )
            continue
        seen[(day, queue)] = i
        note = getattr(row, "note", "") if "note" in table.columns else ""
        days.append(SpecialDay(day, queue, factor, note.strip()))
    if issues:
        raise SpecialDaysError(source, issues)
    return tuple(days)
