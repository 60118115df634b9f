"""The one set of number formatters: percent, seconds, hours, money, counts and ratios.

Every formatter takes a value that may be missing (None or NaN) and returns text:

- ``signed=True`` shows a difference: a leading ``+`` or ``-``, shares in percentage points
  (``+3.1 pp``: the difference of two percentages is not a percentage of anything);
- a :class:`Marks` says how a missing and an infinite value read: :data:`PLAIN` (``-``, ``inf``)
  for terminals and text files, :data:`SCREEN` (``–``, ``∞``) for the app.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from planner.domain.plan import GREEDY_SOURCE, gap_percent, quality_text
from planner.messages import Message, msg

__all__ = [
    "CURRENCY",
    "DIFFERENCE",
    "FORMATTERS",
    "N_",
    "PLAIN",
    "SCREEN",
    "SOURCE_WORDS",
    "STATUS_WORDS",
    "Marks",
    "as_fraction",
    "as_percent",
    "count",
    "gap",
    "hours",
    "is_missing",
    "money",
    "percent",
    "plus_minus",
    "points",
    "ratio",
    "seconds",
    "show",
    "source",
    "status",
    "status_text",
    "text",
    "unique_labels",
    "yes_no",
]


def N_(message: str) -> str:
    """Mark ``message`` for translation (``pybabel extract`` finds it); it stays as it is.

    The library speaks English (the command line's tables); the app translates the words
    marked so when it shows them (``app_pages/tables.py``): the KPI catalogue's labels and
    definitions, the tables' headers, a status or a plan's source in words."""
    return message


@dataclass(frozen=True)
class Marks:
    """How a missing and an infinite value read."""

    missing: str
    infinite: str


PLAIN = Marks("-", "inf")
"""Terminals and text files: ASCII."""

SCREEN = Marks("–", "∞")
"""The app: an en dash and the infinity sign."""

DIFFERENCE = Marks("", "")
"""Difference columns of the command line: blank where there is no difference to show."""


def is_missing(value: Any) -> bool:
    """None or NaN (pandas' missing number)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _number(value: Any, spec: str, marks: Marks, signed: bool, suffix: str = "") -> str:
    if is_missing(value):
        return marks.missing
    if math.isinf(value):
        return marks.infinite
    return f"{value:{'+' if signed else ''}{spec}}{suffix}"


def percent(value: Any, digits: int = 1, *, signed: bool = False, marks: Marks = PLAIN) -> str:
    """A fraction as a percentage (``0.714`` -> ``71.4%``); signed, in points (``+3.1 pp``)."""
    if signed and not is_missing(value) and math.isfinite(value):
        return _number(value * 100, f".{digits}f", marks, True, " pp")
    return _number(value, f".{digits}%", marks, False)


def points(value: Any, digits: int = 1, *, signed: bool = False, marks: Marks = PLAIN) -> str:
    """A difference of two fractions, or a half-width around one, in percentage points
    (``0.011`` -> ``1.1 pp``; signed ``+1.1 pp``)."""
    if is_missing(value) or not math.isfinite(value):
        return _number(value, "", marks, signed)
    return _number(value * 100, f".{digits}f", marks, signed, " pp")


def gap(value: Any, digits: int = 1, *, signed: bool = False, marks: Marks = PLAIN) -> str:
    """A solver's gap to the best possible plan, as every page and command shows it
    (``1.0 %``, more decimals when it would read 0.0: :func:`planner.domain.plan.gap_percent`);
    a difference of gaps in points."""
    if signed or is_missing(value) or not math.isfinite(value):
        return points(value, digits, signed=signed, marks=marks)
    if value <= 0:
        return f"{0:.{digits}f} %"
    return gap_percent(value)


def as_percent(value: Any) -> Any:
    """A fraction typed or shown as a percentage (``0.8`` -> ``80.0``); missing stays missing.

    Rounded to 9 decimals so that a fraction does not come back as ``28.999999999999996``."""
    return value if is_missing(value) else round(float(value) * 100, 9)


def as_fraction(value: Any) -> Any:
    """A percentage typed back into the fraction a scenario holds (``80`` -> ``0.8``)."""
    return value if is_missing(value) else round(float(value) / 100, 11)


def _grouped(default_digits: int, doc: str) -> Callable[..., str]:
    """A formatter of numbers with thousands separators and ``default_digits`` decimals."""

    def formatter(
        value: Any, digits: int = default_digits, *, signed: bool = False, marks: Marks = PLAIN
    ) -> str:
        return _number(value, f",.{digits}f", marks, signed)

    formatter.__doc__ = doc
    formatter.spec, formatter.digits = ",.{}f", default_digits  # for plus_minus's messages
    return formatter


seconds = _grouped(2, "Seconds (``16.80``); infinite for an unstable queue.")
hours = _grouped(1, "Hours or agent-hours (``3,105.5``).")
money = _grouped(0, "Money in the scenario's cost units, whole (``4,393,750``).")

CURRENCY = "KZT"
"""The currency of costs (``cost_per_hour``): scenarios give their costs in tenge."""
count = _grouped(0, "A count (``1,234``); calls are counted to the whole call.")


def ratio(value: Any, digits: int = 3, *, signed: bool = False, marks: Marks = PLAIN) -> str:
    """A plain ratio (``0.920``)."""
    return _number(value, f".{digits}f", marks, signed)


# The spec and default decimals of a plain figure of these units, for plus_minus's messages.
percent.spec, percent.digits = ".{}%", 1
ratio.spec, ratio.digits = ".{}f", 3


def yes_no(value: Any, digits: int = 0, *, signed: bool = False, marks: Marks = PLAIN) -> str:
    """``yes`` or ``no``; a difference of true/false values is not shown."""
    if is_missing(value):
        return marks.missing
    return "" if signed else ("yes" if bool(value) else "no")


def text(value: Any, digits: int = 0, *, signed: bool = False, marks: Marks = PLAIN) -> str:
    """The value as it is; a difference of text is not shown."""
    if is_missing(value):
        return marks.missing
    return "" if signed else str(value)


STATUS_WORDS = {
    "OPTIMAL": N_("proved within the gap"),
    "FEASIBLE": N_("best found, not proved"),
    "INFEASIBLE": N_("no plan: rules conflict"),
    "UNKNOWN": N_("no plan in the time limit"),
    "MODEL_INVALID": N_("model invalid"),
    "INVALID": N_("invalid overrides"),
    "ERROR": N_("error"),
    "STOPPED": N_("stopped by you before its plan was finished"),
}
"""A solver status (or a study point's failure) in words. CP-SAT's ``OPTIMAL`` also ends a
search stopped at the relative-gap limit, so it is never shown as "optimal": the plan is proved
within the gap limit (the gap says how far from the best possible it may be)."""


def status(value: Any, digits: int = 0, *, signed: bool = False, marks: Marks = PLAIN) -> str:
    """A solver status in words (:data:`STATUS_WORDS`); a difference of statuses is not shown."""
    if is_missing(value):
        return marks.missing
    return "" if signed else STATUS_WORDS.get(str(value), str(value).lower())


SOURCE_WORDS = {
    "solver": N_("the solver's search"),
    GREEDY_SOURCE: N_("a first (greedy) plan, not optimised"),  # GREEDY_TEXT, marked
}
"""Where a plan comes from (:attr:`planner.domain.plan.SolveReport.plan_source`), in words: a
greedy plan stands in where the search found none."""


def source(value: Any, digits: int = 0, *, signed: bool = False, marks: Marks = PLAIN) -> str:
    """Where a plan comes from in words (:data:`SOURCE_WORDS`); a difference is not shown."""
    if is_missing(value):
        return marks.missing
    return "" if signed else SOURCE_WORDS.get(str(value), str(value))


SOLVER_STATUSES = ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID")
"""CP-SAT's statuses (a study point's own are ``INVALID`` and ``ERROR``)."""


def status_text(value: Any, gap_value: Any = None) -> str:
    """A plan's status in a manager's words with how far it may be from the best possible
    plan (``within 0.7 % of the best possible plan (proved bound)``, ``optimal (proved)``,
    ``best plan found in the time limit; within 2.1 % of the best possible``), as the Plan
    page says it (:func:`planner.domain.plan.quality_text`); a study point that failed in
    :data:`STATUS_WORDS`."""
    if is_missing(value):
        return PLAIN.missing
    if str(value) not in SOLVER_STATUSES:
        return status(value)
    return quality_text(str(value), None if is_missing(gap_value) else float(gap_value))


FORMATTERS: dict[str, Callable[..., str]] = {
    "percent": percent,
    "points": points,
    "gap": gap,
    "seconds": seconds,
    "hours": hours,
    "money": money,
    "count": count,
    "ratio": ratio,
    "yes": yes_no,
    "text": text,
    "status": status,
    "source": source,
}
"""Each unit of :mod:`planner.present.catalogue` and its formatter."""


def show(
    value: Any,
    unit: str,
    digits: int | None = None,
    *,
    signed: bool = False,
    marks: Marks = PLAIN,
) -> str:
    """A value of ``unit`` (a key of :data:`FORMATTERS`) as text; ``digits`` default: the unit's."""
    formatter = FORMATTERS[unit]
    if digits is None:
        return formatter(value, signed=signed, marks=marks)
    return formatter(value, digits, signed=signed, marks=marks)


def plus_minus(
    value: Any, half_width: Any, unit: str, digits: int | None = None, *, marks: Marks = PLAIN
) -> str:
    """A value with the half-width of its interval: ``57.3% ± 1.1 pp``, ``12.40 ± 0.80``.

    A share's half-width is in percentage points; a missing half-width (one replication) shows
    the value alone. Both figures finite: a :class:`~planner.messages.Message` (a page writes it
    in its language: ``57,3 % ± 1,1 п. п.``).
    """
    shown = show(value, unit, digits, marks=marks)
    if is_missing(value) or is_missing(half_width) or not math.isfinite(half_width):
        return shown
    formatter = FORMATTERS[unit]
    spec = getattr(formatter, "spec", None)
    if spec is not None and math.isfinite(value):  # a message a page may write in its language
        places = formatter.digits if digits is None else digits
        figure = Message(f"{{value:{spec.format(places)}}}", {"value": value})
        if unit == "percent":
            half = Message(f"{{value:.{places}f}}", {"value": half_width * 100})
            return msg("{value} ± {half} pp", value=figure, half=half)
        half = Message(f"{{value:{spec.format(places)}}}", {"value": half_width})
        return Message("{value} ± {half}", {"value": figure, "half": half})
    if unit == "percent":
        spread = points(half_width, 1 if digits is None else digits, marks=marks)
    else:
        spread = show(half_width, unit, digits, marks=marks)
    return f"{shown} ± {spread}"


def unique_labels(labels: Iterable[str]) -> list[str]:
    """Labels made unique by a counter on repeats (``"a"``, ``"a (2)"``), for a chart's axis or
    a table's columns."""
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique
