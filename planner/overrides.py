"""Field-path overrides: change one field of a scenario, validated exactly like a scenario file.

A what-if is a scenario with a few fields changed: ``pools[borrowed].headcount=40``,
``surges[0].peak_multiplier=4``, ``queues[emergency].aht_seconds=480``. This module addresses
those fields by path, changes them in the scenario's plain data and validates the result with
:func:`planner.domain.scenario.parse_scenario`, so that an override is checked by the same rules and
reported with the same messages as the same value written in a file (unknown field, wrong type,
out of range, a name that refers to nothing).

Path syntax
-----------
Fields separated by dots; list items selected in brackets, by position from 0 or by their
``name``::

    solver.time_limit_seconds
    pools[2].headcount            pools[borrowed].headcount
    queues[emergency].aht_seconds shift_templates[day_8h].breaks[0].length_minutes

A name with ``*`` (any text) or ``?`` (one character) selects every item it matches, in order:
in a national scenario, whose surges and queues are copied per site (``<name>@<site>``),
``surges[food_and_cash_questions@*].peak_multiplier`` sets the surge at every site at once.

Values are read as YAML scalars by the scenario files' strict reader: ``21`` is a whole number,
``2.5`` a number, ``true`` a truth value, ``"300"`` (quoted) text, ``12:00`` the text of a clock
time, ``[sat, sun]`` a list.

Forecast tables
---------------
A scenario whose demand comes from forecast files holds the validated tables, not the files.
The changed scenario gets the base scenario's tables back as CSV text through
``parse_scenario(..., forecast_files=...)``: they are re-validated against the changed scenario
(a longer horizon must still find a row for every interval), the file system is not read again
(the file may have changed since it was loaded, and an upload has no file), and the tables come
out equal to the base's. A forecast file that only the override names is read from the base
scenario's folder, as :func:`planner.domain.scenario.load_scenario` would.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from planner.domain.scenario import Scenario
from planner.errors import MISSING, ScenarioError
from planner.io.scenario_file import parse_scenario
from planner.io.yaml_strict import read_yaml

__all__ = [
    "Override",
    "apply_overrides",
    "parse_assignment",
    "parse_path",
    "parse_value",
    "split_values",
]

_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KINDS = {
    "queues": "queue",
    "pools": "pool",
    "shift_templates": "shift template",
    "surges": "surge",
    "operating_modes": "operating mode",
    "breaks": "break",
}
_FORECAST_COLUMNS = ("day", "interval_start", "queue", "calls", "aht_seconds")


@dataclass(frozen=True)
class Override:
    """One field of a scenario set to one value.

    Attributes
    ----------
    path : str
        The field path as written (``pools[borrowed].headcount``).
    value : object
        Plain data, as a scenario file would hold it (numbers, text, lists, mappings).
    """

    path: str
    value: Any

    def __str__(self) -> str:
        return f"{self.path}={show_value(self.value)}"


def show_value(value: Any) -> str:
    """A value as a user would write it after ``=``: ``2.5``, ``true``, ``borrowed``, ``[1, 2]``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, default=str)


# --------------------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    name: str


@dataclass(frozen=True)
class _Item:
    selector: int | str  # a position from 0, or an item's name


def parse_path(path: str, *, source: str = "override") -> tuple[_Field | _Item, ...]:
    """Split a field path into fields and list selections.

    Raises
    ------
    ScenarioError
        If the path is not of the form ``field[item].field...`` (naming the position of the
        first character that does not fit).
    """
    steps: list[_Field | _Item] = []
    i, n = 0, len(path)
    expect_field = True
    while i < n:
        if expect_field:
            match = _FIELD.match(path, i)
            if not match:
                raise _bad_path(source, path, i, "a field name (letters, digits, '_')")
            steps.append(_Field(match.group()))
            i = match.end()
            expect_field = False
        elif path[i] == "[":
            end = path.find("]", i + 1)
            if end < 0:
                raise _bad_path(source, path, i, "a closing ']'")
            text = path[i + 1 : end].strip()
            if not text:
                raise _bad_path(source, path, i + 1, "a position (0, 1, ...) or an item's name")
            steps.append(_Item(int(text) if text.isdigit() else text))
            i = end + 1
        elif path[i] == ".":
            i += 1
            expect_field = True
        else:
            raise _bad_path(source, path, i, "'.', '[' or the end of the path")
    if not steps or expect_field:
        raise _bad_path(source, path, n, "a field name (letters, digits, '_')")
    return tuple(steps)


def _bad_path(source: str, path: str, at: int, wanted: str) -> ScenarioError:
    return ScenarioError.single(
        source,
        "(override path)",
        path,
        f"is not a field path: expected {wanted} at character {at + 1} "
        "(write e.g. pools[borrowed].headcount or surges[0].peak_multiplier)",
    )


def _render(steps: Sequence[_Field | _Item]) -> str:
    text = ""
    for step in steps:
        if isinstance(step, _Field):
            text += f".{step.name}" if text else step.name
        else:
            text += f"[{step.selector}]"
    return text


# --------------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------------


def parse_value(text: str, *, source: str = "override") -> Any:
    """A value written on the command line, read as YAML by the scenario files' strict reader."""
    return read_yaml(text, source)


def split_values(text: str) -> list[str]:
    """Split ``V1,V2,...`` at the commas that are not inside brackets, braces or quotes.

    ``1,2,3`` gives three values; ``[sat,sun],[sun]`` two lists; ``"a,b",c`` two texts.
    """
    values: list[str] = []
    depth, quote, start = 0, "", 0
    for i, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            values.append(text[start:i].strip())
            start = i + 1
    values.append(text[start:].strip())
    return values


def parse_assignment(text: str) -> tuple[str, list[Any]]:
    """Read ``PATH=V1,V2,...`` (the command line's ``--set``) as a path and its values.

    Raises
    ------
    ScenarioError
        If there is no ``=``, the path is malformed, a value is empty or not valid YAML.
    """
    path, sep, rest = text.partition("=")
    path = path.strip()
    source = f"--set {text}"
    if not sep or not path:
        raise ScenarioError.single(
            source,
            "(override)",
            text,
            "must be PATH=V1,V2,... (e.g. pools[borrowed].headcount=0,21)",
        )
    parse_path(path, source=source)
    values = []
    for item in split_values(rest):
        if not item:
            raise ScenarioError.single(
                source, path, text, "has an empty value; separate values with single commas"
            )
        values.append(parse_value(item, source=source))
    return path, values


# --------------------------------------------------------------------------------------------------
# Applying
# --------------------------------------------------------------------------------------------------


def apply_overrides(
    scenario: Scenario,
    overrides: Iterable[Override] | Mapping[str, Any],
    *,
    source: str | None = None,
) -> Scenario:
    """The scenario with some fields changed, validated exactly like a scenario file.

    Parameters
    ----------
    scenario : Scenario
        The base; it is not changed.
    overrides : iterable of Override, or mapping of path to value
        Applied in order (a later one may refine what an earlier one set).
    source : str, optional
        Shown in error messages; default ``"<base source> with <path>=<value>, ..."``.

    Returns
    -------
    Scenario
        A new scenario with the base's source and forecast tables (re-validated, see the module
        docstring). With no overrides, the base itself.

    Raises
    ------
    ScenarioError
        Every problem with the changed scenario, as for a file: unknown field, wrong type, out
        of range, a rule connecting fields; or a path that selects nothing (an unknown item
        name, a position past the end of a list, a field inside a number).
    """
    if isinstance(overrides, Mapping):
        overrides = [Override(path, value) for path, value in overrides.items()]
    overrides = list(overrides)
    if not overrides:
        return scenario
    if source is None:
        source = f"{scenario.source} with {', '.join(str(o) for o in overrides)}"
    data = scenario.model_dump(mode="json")
    for override in overrides:
        _set(data, parse_path(override.path, source=source), override.value, source)
    base_dir = _source_dir(scenario.source)
    changed = parse_scenario(
        data, source=source, base_dir=base_dir, forecast_files=_forecast_texts(scenario)
    )
    return changed.with_source(scenario.source)


def _set(
    data: Any, steps: Sequence[_Field | _Item], value: Any, source: str, start: int = 0
) -> None:
    """Set the field ``steps`` names, walking from ``data`` at ``steps[start]``."""
    node: Any = data
    for k in range(start, len(steps)):
        step = steps[k]
        last = k == len(steps) - 1
        here = _render(steps[: k + 1])
        if isinstance(step, _Field):
            if not isinstance(node, dict):
                raise _not_a(source, _render(steps[:k]), node, f"has no field {step.name!r}")
            if last:
                node[step.name] = value  # an unknown field is reported by the schema, as in a file
                return
            nxt = steps[k + 1]
            if step.name not in node:
                if isinstance(nxt, _Item):
                    raise ScenarioError.single(source, here, MISSING, _unknown_field(step, node))
                node[step.name] = {}
            elif node[step.name] is None and isinstance(nxt, _Field):
                node[
                    step.name
                ] = {}  # an unset section (queues[0].demand): start it, as a file would
            node = node[step.name]
        else:
            if not isinstance(node, list):
                raise _not_a(source, _render(steps[:k]), node, "is not a list of items")
            indices = _select(node, step.selector, steps[:k], source)
            if last:
                for index in indices:
                    node[index] = copy.deepcopy(value)
                return
            if len(indices) > 1:  # a pattern: the rest of the path in every item it selects
                for index in indices:
                    _set(node[index], steps, value, source, k + 1)
                return
            node = node[indices[0]]


def _select(items: list, selector: int | str, where: Sequence, source: str) -> list[int]:
    """The positions of the items a selector picks: one, or every match of a name pattern."""
    path = _render(where)
    kind = _KINDS.get(where[-1].name if where and isinstance(where[-1], _Field) else "", "item")
    if isinstance(selector, int):
        if selector < len(items):
            return [selector]
        rule = (
            f"has no item {selector}: the list is empty"
            if not items
            else f"has no item {selector}: it has {len(items)} (positions 0 to {len(items) - 1})"
        )
        raise ScenarioError.single(source, f"{path}[{selector}]", MISSING, rule)
    names = [item.get("name") if isinstance(item, dict) else None for item in items]
    if any(c in selector for c in "*?"):
        found = [i for i, n in enumerate(names) if isinstance(n, str) and fnmatchcase(n, selector)]
        if found:
            return found
        listed = ", ".join(sorted({n for n in names if isinstance(n, str)})) or "none defined"
        rule = f"matches no {kind}; known: {listed}"
        raise ScenarioError.single(source, f"{path}[{selector}]", selector, rule)
    found = [i for i, name in enumerate(names) if name == selector]
    if len(found) == 1:
        return found
    if found:
        raise ScenarioError.single(
            source,
            f"{path}[{selector}]",
            selector,
            f"names {len(found)} items (positions {', '.join(map(str, found))}); select one by "
            "position",
        )
    known = sorted({n for n in names if isinstance(n, str)})
    close = difflib.get_close_matches(selector, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    listed = ", ".join(known) or "none defined"
    raise ScenarioError.single(
        source, f"{path}[{selector}]", selector, f"names no {kind}{hint}; known: {listed}"
    )


def _unknown_field(step: _Field, node: dict) -> str:
    # Same words as a file's unknown field (planner.io.scenario_file); the full dump holds
    # every field.
    allowed = list(node)
    close = difflib.get_close_matches(step.name, allowed, n=1)
    rule = f"unknown field{f' (did you mean {close[0]!r}?)' if close else ''}"
    return rule + (f"; allowed here: {', '.join(allowed)}" if allowed else "")


def _not_a(source: str, path: str, node: Any, rule: str) -> ScenarioError:
    shown = node if not isinstance(node, dict | list) else f"a {type(node).__name__}"
    return ScenarioError.single(source, path or "(top level)", shown, rule)


def _source_dir(source: str) -> Path | None:
    path = Path(source)
    return path.parent if path.is_file() else None


def _forecast_texts(scenario: Scenario) -> dict[str, str]:
    """The base's validated forecast tables as CSV text, by the name used in ``forecast_csv``."""
    texts = {}
    names = {q.demand.forecast_csv for q in scenario.queues if q.demand and q.demand.forecast_csv}
    for name in sorted(names):
        table = scenario.forecast(name)
        columns = [c for c in _FORECAST_COLUMNS if c in table.columns]
        texts[name] = table[columns].to_csv(index=False)  # floats written exactly (repr)
    return texts
