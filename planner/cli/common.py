"""Shared pieces of the command-line commands: exit codes and plain-text tables.

Numbers are formatted by :mod:`planner.present.formats` as the catalogue of KPIs says
(:mod:`planner.present.catalogue`), so the command line shows every KPI as the app does.
"""

from __future__ import annotations

import argparse
import math
from datetime import date
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_NO_PLAN = 0, 1, 2, 3
"""0: done; 1: done, but the result breaks a rule (the check without the solver failed); 2: bad
input; 3: no plan found (the rules conflict, or none was found within the time limit)."""

MAX_TIME_LIMIT_SECONDS = 24 * 3600.0
"""The longest ``--time-limit`` accepted: a day."""


def time_limit(text: str) -> float:
    """``--time-limit`` as seconds: a finite number above 0 and at most a day."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or not 0 < value <= MAX_TIME_LIMIT_SECONDS:
        raise argparse.ArgumentTypeError(
            f"{text}: must be a number of seconds above 0 and at most "
            f"{MAX_TIME_LIMIT_SECONDS:,.0f} (a day)"
        )
    return value


def replications(text: str) -> int:
    """``--replications`` / ``--simulate``: a whole number from 1 to 10,000."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"{text}: must be a whole number from 1 to 10000")
    return value


def iso_date(text: str) -> date:
    """A date argument written ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def add_output_folder(parser: argparse.ArgumentParser) -> None:
    """``--out DIR`` and ``--force`` (see :class:`planner.io.run_folder.RunFolder`)."""
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="output folder (new or empty)"
    )
    parser.add_argument(
        "--force", action="store_true", help="replace the files of an earlier run in DIR"
    )


def print_table(lines: list[list[str]], *, first_left: bool = True) -> None:
    """Print rows of text cells in columns: the first left-aligned (unless ``first_left`` is
    false), the others right-aligned, two spaces apart; trailing spaces stripped."""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for line in lines:
        first = line[0].ljust(widths[0]) if first_left else line[0].rjust(widths[0])
        cells = [first, *[c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True)]]
        print("  ".join(cells).rstrip())


def print_headcount_notes(scenario, source: str | None = None) -> None:
    """A ``note:`` line per pool whose headcount differs from its named operators
    (:func:`planner.present.notes.headcount_notes`); nothing without named operators."""
    from planner.present.notes import headcount_notes

    pools = [(p.name, p.headcount) for p in scenario.pools]
    for note in headcount_notes(pools, scenario.operators, source or scenario.operators_file):
        if note.headcount != note.named:
            print(f"note: {note.text}")
