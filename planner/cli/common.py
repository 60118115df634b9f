"""Shared pieces of the command-line commands: exit codes and number formatting."""

from __future__ import annotations

import math

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
"""0: done; 1: done, but the result is bad (an invalid or impossible plan); 2: bad input."""


def seconds(value: float | None) -> str:
    """Seconds with two decimals; ``inf`` for an unstable queue, ``-`` for no value."""
    if value is None:
        return "-"
    return "inf" if not math.isfinite(value) else f"{value:.2f}"


def percent(value: float | None) -> str:
    """A share as a percentage with one decimal; ``-`` for no value."""
    return "-" if value is None else f"{value:.1%}"
