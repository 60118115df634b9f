"""Errors raised at the planner's boundaries.

Every problem found in user input is reported with the file (or source) it came from, the field
path inside it (``pools[2].headcount``), the offending value and the rule it breaks. All problems
found in one pass are reported together, so a user fixes a file once, not once per error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["InputIssue", "PlannerError", "ScenarioError", "format_path"]


def format_path(location: Iterable[str | int]) -> str:
    """Render a location tuple as a field path.

    Examples
    --------
    >>> format_path(("pools", 2, "headcount"))
    'pools[2].headcount'
    >>> format_path(())
    '(top level)'
    """
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


@dataclass(frozen=True)
class InputIssue:
    """One problem in user input: where it is, what was there and which rule it breaks."""

    path: str
    value: object
    rule: str

    def describe(self) -> str:
        shown = self.shown_value()
        if shown is None:
            return f"{self.path}: {self.rule}"
        return f"{self.path} = {shown}: {self.rule}"

    def shown_value(self) -> str | None:
        """The value as a message shows it (``repr``, cut at 80 characters); None when none
        was given."""
        return _short_repr(self.value)


_MISSING = object()


def _short_repr(value: object) -> str | None:
    if value is _MISSING:
        return None
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class PlannerError(Exception):
    """Base class of the planner's own errors: always safe to show to a user as they are."""


class ScenarioError(PlannerError, ValueError):
    """A scenario (file, upload or override) breaks one or more rules.

    Parameters
    ----------
    source : str
        The file name or a description of where the input came from (``"upload"``).
    issues : sequence of InputIssue
        Every problem found, in the order found.
    """

    def __init__(self, source: str, issues: Sequence[InputIssue]):
        self.source = source
        self.issues = tuple(issues)
        lines = [f"{source}: {issue.describe()}" for issue in self.issues]
        header = f"{source}: {len(self.issues)} problems" if len(self.issues) > 1 else None
        super().__init__("\n".join([header, *lines] if header else lines))

    @classmethod
    def single(cls, source: str, path: str, value: object, rule: str) -> ScenarioError:
        return cls(source, [InputIssue(path, value, rule)])


MISSING = _MISSING
"""Marker for an issue with no value to show (a required field that is absent)."""
