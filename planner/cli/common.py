"""Shared pieces of the command-line commands: exit codes and plain-text tables.

Numbers are formatted by :mod:`planner.present.formats` as the catalogue of KPIs says
(:mod:`planner.present.catalogue`), so the command line shows every KPI as the app does.
"""

from __future__ import annotations

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
"""0: done; 1: done, but the result is bad (an invalid or impossible plan); 2: bad input."""


def print_table(lines: list[list[str]], *, first_left: bool = True) -> None:
    """Print rows of text cells in columns: the first left-aligned (unless ``first_left`` is
    false), the others right-aligned, two spaces apart; trailing spaces stripped."""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for line in lines:
        first = line[0].ljust(widths[0]) if first_left else line[0].rjust(widths[0])
        cells = [first, *[c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True)]]
        print("  ".join(cells).rstrip())
