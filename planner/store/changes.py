"""Differences between versions: a scenario's text, and a roster's shifts per operator and day.

Pure functions of the stored contents (no database), so the repository, the CLI and the app
describe a change in the same words.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass

import pandas as pd

from planner.messages import joined, msg

__all__ = ["ShiftChange", "change_counts", "roster_changes", "shift_words", "text_diff"]


def text_diff(before: str, after: str, *, before_name: str, after_name: str) -> str:
    """The unified diff (3 lines of context) from ``before`` to ``after``; empty when equal."""
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=before_name,
            tofile=after_name,
        )
    )


@dataclass(frozen=True)
class ShiftChange:
    """One operator's day that changed: ``before`` and ``after`` are ``"off"`` or the shift as
    ``"09:00-17:00 breaks 13:00-13:30"``."""

    operator: str
    day: str
    before: str
    after: str

    @property
    def kind(self) -> str:
        """``added`` (was off), ``removed`` (now off), ``breaks`` (same hours, breaks moved)
        or ``moved`` (other hours)."""
        if self.before == OFF:
            return "added"
        if self.after == OFF:
            return "removed"
        if self.before.split(" ")[0] == self.after.split(" ")[0]:
            return "breaks"
        return "moved"

    def describe(self) -> str:
        return f"{self.operator} {self.day}: {self.before} -> {self.after} ({self.kind})"


OFF = "off"
OFF_WORDS = msg("off")
"""A day off (:data:`OFF` in a change's ``before`` or ``after``) as a page may translate it."""
BREAKS = " breaks "
"""Between a shift's hours and its breaks in a change's text
(``09:00-17:00 breaks 12:00-12:30``)."""
SHIFTS = " + "
"""Between two shifts of one operator's day in a change's text."""


def shift_words(text: str) -> str:
    """A change's ``before`` or ``after`` as a message a page may translate: a day off
    (:data:`OFF`) is :data:`OFF_WORDS`, and the word between a shift's hours and its breaks is
    translated, the times kept as stored; any other text as it is."""
    if text == OFF:
        return OFF_WORDS
    if BREAKS not in text:
        return text
    shifts = []
    for shift in text.split(SHIFTS):
        hours, found, breaks = shift.partition(BREAKS)
        worded = msg("{hours} breaks {breaks}", hours=hours, breaks=breaks)
        shifts.append(worded if found else shift)
    return joined(SHIFTS, shifts)


def _shifts(roster_csv: bytes) -> dict[tuple[str, str], str]:
    """(operator, day) -> the shift's text, from ``roster.csv``."""
    table = pd.read_csv(io.BytesIO(roster_csv), dtype=str, keep_default_na=False)
    shifts: dict[tuple[str, str], str] = {}
    for row in table.itertuples(index=False):
        text = f"{row.start}-{row.end}"
        if row.breaks:
            text += f"{BREAKS}{row.breaks}"
        key = (row.operator, row.day)
        shifts[key] = f"{shifts[key]}{SHIFTS}{text}" if key in shifts else text
    return shifts


def roster_changes(before_csv: bytes | None, after_csv: bytes) -> list[ShiftChange]:
    """Every operator-day whose shift differs between two ``roster.csv`` files, by operator
    then day (``before_csv`` None: the first publication, every shift is ``added``)."""
    before = _shifts(before_csv) if before_csv is not None else {}
    after = _shifts(after_csv)
    keys = sorted(set(before) | set(after))
    return [
        ShiftChange(
            operator, day, before.get((operator, day), OFF), after.get((operator, day), OFF)
        )
        for operator, day in keys
        if before.get((operator, day), OFF) != after.get((operator, day), OFF)
    ]


def change_counts(changes: list[ShiftChange]) -> dict[str, int]:
    """Operator-days per kind of change, in the order added, removed, moved, breaks."""
    counts = dict.fromkeys(("added", "removed", "moved", "breaks"), 0)
    for change in changes:
        counts[change.kind] += 1
    return {kind: n for kind, n in counts.items() if n}
