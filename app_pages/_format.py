"""Numbers as the pages write them in text and metrics: percentages, money, seconds."""

from __future__ import annotations


def percent(value: float | None, digits: int = 1) -> str:
    """``12.3%``; a dash for no value."""
    return "–" if value is None or value != value else f"{value:.{digits}%}"


def money(value: float | None) -> str:
    """``12,345``; a dash for no value."""
    return "–" if value is None or value != value else f"{value:,.0f}"


def seconds_text(value: float | None) -> str:
    """``12.3 s``, ``∞`` for never; a dash for no value."""
    if value is None or value != value:
        return "–"
    return "∞" if value == float("inf") else f"{value:.1f} s"
