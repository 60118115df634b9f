"""Issues: what the Scenario page says about a draft, in the user's words.

:meth:`planner.editing.draft.Draft.validate` raises the scenario's issues with field paths
(``pools[2].headcount``); :func:`issue_section` sorts each to the part of the page where the
field is edited and :func:`issue_text` says it in the user's words (a queue by its name, not
``queues[1]``). :func:`differences` lists what changed since the scenario was opened.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from planner.errors import InputIssue
from planner.messages import Message, joined, msg

__all__ = ["SECTIONS", "differences", "issue_section", "issue_text", "typed_as_percent"]

# --------------------------------------------------------------------------------------------------
# Issues: where on the page, and in whose words
# --------------------------------------------------------------------------------------------------

SECTIONS = (
    "scenario",
    "operators",
    "horizon",
    "volumes",
    "forecast",
    "queues",
    "surges",
    "operating_modes",
    "headcount",
    "pools",
    "headcount_changes",
    "shift_templates",
    "breaks",
    "settings",
)
"""Parts of the Scenario page an issue can belong to (see :func:`issue_section`)."""


def issue_section(issue: InputIssue) -> str:
    """The part of the Scenario page where the field of an issue is edited."""
    path = issue.path
    if re.match(r"queues\[\d+\]\.demand\.forecast_csv", path):
        return "forecast"
    if re.match(r"queues\[\d+\]\.demand", path):
        return "volumes"
    if path.startswith("operators_file"):
        return "operators"
    if re.match(r"pools\[\d+\]\.headcount", path):
        return "headcount"
    if re.match(r"shift_templates\[\d+\]\.breaks", path) or path.startswith("breaks"):
        return "breaks"
    for prefix in ("queues", "surges", "operating_modes", "pools", "headcount_changes"):
        if path.startswith(prefix):
            return prefix
    if path.startswith("shift_templates"):
        return "shift_templates"
    if path.startswith("horizon"):
        return "horizon"
    if path.startswith(("service", "weights", "solver", "labour")):
        return "settings"
    return "scenario"


_SINGULAR = {
    "queues": msg("queue"),
    "surges": msg("surge"),
    "operating_modes": msg("operating mode"),
    "headcount_changes": msg("headcount change"),
    "shift_templates": msg("shift template"),
    "breaks": msg("break"),
    "pools": msg("pool"),
}


def issue_text(issue: InputIssue, data: Mapping | None) -> Message:
    """An issue in the user's words: items by name, then the field, the value and the rule.

    ``pools[2].headcount = -3: must be >= 0`` becomes ``pool 'borrowed' › headcount = -3: must
    be >= 0``; the field's own name is kept, as the field reference documents it. With
    ``data`` None (a file not opened, such as a refused upload) the path is kept as written.
    """
    where = issue.path if data is None else _friendly_path(issue.path, data)
    shown = issue.shown_value()
    if shown is None:
        return Message("{where}: {rule}", {"where": where, "rule": issue.rule})
    return Message(
        "{where} = {value}: {rule}", {"where": where, "value": shown, "rule": issue.rule}
    )


def typed_as_percent(issue: InputIssue, percent: float) -> InputIssue:
    """The issue of a share typed in %, its rule naming what was typed too (``service_level =
    1.2: must be < 1 (typed: 120 %)``), since the file holds the fraction."""
    return replace(issue, rule=msg("{rule} (typed: {typed:g} %)", rule=issue.rule, typed=percent))


def _friendly_path(path: str, data: Mapping) -> str | Message:
    if not re.match(r"[A-Za-z_]+(\[\d+\])?(\.|$|\s)", path) or path.startswith("breaks,"):
        return path  # not a field path ("(file)", "line 3, column 1", a breaks-table row)
    parts = []
    current: Any = data
    for token in re.finditer(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?|(\s.*)$", path):
        word, index, rest = token.group(1), token.group(2), token.group(3)
        if rest:
            parts.append(rest.strip())
            break
        if index is None:
            parts.append(word)
            current = current.get(word) if isinstance(current, Mapping) else None
            continue
        items = current.get(word) if isinstance(current, Mapping) else None
        item = items[int(index)] if isinstance(items, list) and int(index) < len(items) else None
        name = item.get("name") if isinstance(item, Mapping) else None
        label = _SINGULAR.get(word, word)
        which = repr(name) if isinstance(name, str) else int(index) + 1
        parts.append(Message("{label} {which}", {"label": label, "which": which}))
        current = item
    return joined(" › ", parts) if parts else path


# --------------------------------------------------------------------------------------------------
# Differences between two scenarios' data
# --------------------------------------------------------------------------------------------------


def differences(before: Any, after: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Fields that differ between two scenarios' data: ``(path, before, after)``, in order.

    A field set to None is the same as a field left out. Lists of named items are matched by
    name (an item only on one side is one difference), lists of other items of the same
    length item by item; other lists are compared whole.
    """
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        found = []
        for key in [*before, *(k for k in after if k not in before)]:
            sub = f"{path}.{key}" if path else str(key)
            found += differences(before.get(key), after.get(key), sub)
        return found
    if _named_list(before) and _named_list(after):
        found = []
        old = {item["name"]: item for item in before}
        new = {item["name"]: item for item in after}
        for name in [*old, *(n for n in new if n not in old)]:
            found += differences(old.get(name), new.get(name), f"{path}[{name}]")
        return found
    if (
        isinstance(before, list)
        and isinstance(after, list)
        and len(before) == len(after)
        and all(isinstance(v, Mapping) for v in [*before, *after])
    ):
        found = []
        for i, (old, new) in enumerate(zip(before, after, strict=True)):
            found += differences(old, new, f"{path}[{i}]")
        return found
    if _same(_without_unset(before), _without_unset(after)):
        return []
    return [(path, before, after)]


def _without_unset(value: Any) -> Any:
    """The value with fields set to None left out, recursively (unset equals absent)."""
    if isinstance(value, Mapping):
        return {k: _without_unset(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_unset(v) for v in value]
    return value


def _named_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, Mapping) and isinstance(v.get("name"), str) for v in value)
        and len({v["name"] for v in value}) == len(value)
    )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return float(a) == float(b)
    return a == b
