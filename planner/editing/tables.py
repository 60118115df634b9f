"""Tables: the lists of a scenario as tables to edit, and edited tables written back.

Tables are pandas DataFrames with one row per item of a scenario list, shaped for editing. Each
``*_table`` function builds one from scenario data; the matching ``apply_*`` writes an edited
table back and returns new data (its input is never changed). Rows carry a hidden ``_row``
column, the position of the item they came from, so that fields a table does not show (a
profile given as a list of shares) survive an edit, and rows added by the user (``_row`` empty)
start from the schema's defaults.

Empty cells: in a field that may be unset (``patience_seconds``, ``half_life_days``, ...) an
empty cell unsets it; in any other field it is kept as a missing value, so that validation
reports it (``must be a number``) rather than a default silently taking its place. Values typed
as text (a list of numbers for a sweep axis) are read here too (:func:`number_list`).
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import numpy as np
import pandas as pd

from planner.errors import MISSING, InputIssue
from planner.messages import msg
from planner.timegrid import WEEKDAYS

__all__ = [
    "BREAKS",
    "CUSTOM_PROFILE",
    "HEADCOUNT_CHANGES",
    "OPERATING_MODES",
    "POOLS",
    "QUEUES",
    "ROW",
    "SHIFT_TEMPLATES",
    "SURGES",
    "Column",
    "TableSpec",
    "apply_breaks",
    "apply_by_day",
    "apply_headcounts",
    "apply_table",
    "apply_volumes",
    "breaks_table",
    "by_day_table",
    "number_list",
    "set_value",
    "table",
    "volumes_table",
]

CUSTOM_PROFILE = "custom shares"
"""How a profile written as a list of shares is shown in a table cell."""

ROW = "_row"
"""Hidden column: the position of the item a row came from (empty for a row the user added)."""


# --------------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------------

Kind = Literal["number", "int", "text", "clock", "date", "bool", "names", "dates", "profile"]


@dataclass(frozen=True)
class Column:
    """A scenario field shown as a table column.

    ``optional``: an empty cell unsets the field (its default applies, or it is not set).
    """

    name: str
    kind: Kind
    optional: bool = False


@dataclass(frozen=True)
class TableSpec:
    """Which list of the scenario a table edits, and which of its fields it shows."""

    path: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


QUEUES = TableSpec(
    "queues",
    (
        Column("name", "text"),
        Column("aht_seconds", "number"),
        Column("patience_seconds", "number", optional=True),
        Column("service_level", "number"),
        Column("answer_within_seconds", "number"),
        Column("max_abandon_rate", "number", optional=True),
        Column("max_asa_seconds", "number", optional=True),
        Column("max_occupancy", "number", optional=True),
        Column("shrinkage", "number"),
        Column("self_service_share", "number"),
        Column("staffing_lag_seconds", "number"),
        Column("min_agents", "int"),
    ),
)
SURGES = TableSpec(
    "surges",
    (
        Column("name", "text"),
        Column("queue", "text"),
        Column("start_date", "date"),
        Column("start_time", "clock", optional=True),
        Column("ramp_up_days", "number"),
        Column("plateau_days", "number"),
        Column("half_life_days", "number", optional=True),
        Column("duration_days", "number", optional=True),
        Column("peak_multiplier", "number"),
        Column("added_calls_per_day", "number"),
        Column("profile", "profile", optional=True),
    ),
)
OPERATING_MODES = TableSpec(
    "operating_modes",
    (
        Column("name", "text"),
        Column("weekdays", "names"),
        Column("dates", "dates"),
        Column("closed_queues", "names"),
    ),
)
POOLS = TableSpec(
    "pools",
    (
        Column("name", "text"),
        Column("skills", "names"),
        Column("cost_per_hour", "number"),
        Column("max_hours_per_week", "number"),
        Column("borrowed", "bool"),
        Column("shift_templates", "names"),
        Column("max_part_time_share", "number", optional=True),
    ),
)
"""Pools without their headcount: the app edits headcounts with their own inputs
(:func:`apply_headcounts`), the figure a planner changes most."""
HEADCOUNT_CHANGES = TableSpec(
    "headcount_changes",
    (
        Column("pool", "text"),
        Column("change", "int"),
        Column("from_date", "date", optional=True),
        Column("to_date", "date", optional=True),
        Column("reason", "text", optional=True),
    ),
)
SHIFT_TEMPLATES = TableSpec(
    "shift_templates",
    (
        Column("name", "text"),
        Column("length_minutes", "int"),
        Column("earliest_start", "clock", optional=True),
        Column("latest_start", "clock", optional=True),
        Column("start_step_minutes", "int"),
        Column("part_time", "bool"),
    ),
)
"""Shift templates without their breaks: those are edited in their own table
(:func:`breaks_table`)."""
BREAKS = TableSpec(
    "breaks",
    (
        Column("template", "text"),
        Column("name", "text"),
        Column("length_minutes", "int"),
        Column("paid", "bool"),
        Column("earliest_start_after_minutes", "int"),
        Column("latest_start_after_minutes", "int"),
    ),
)


def table(data: Mapping, spec: TableSpec) -> pd.DataFrame:
    """The items of ``data[spec.path]`` as a table with the spec's columns and ``_row``."""
    items = data.get(spec.path) or []
    rows = [
        {ROW: i, **{c.name: _cell(item.get(c.name), c.kind) for c in spec.columns}}
        for i, item in enumerate(items)
    ]
    return _frame(rows, spec)


def apply_table(data: Mapping, spec: TableSpec, edited: pd.DataFrame) -> dict:
    """New data with ``data[spec.path]`` replaced by the edited table's rows, in table order.

    Fields the table does not show are kept from the item a row came from (``_row``); rows
    without one are new items with only the table's fields.
    """
    original = data.get(spec.path) or []
    items = []
    for row in edited.to_dict("records"):
        item = copy.deepcopy(_original_item(original, row.get(ROW)))
        for column in spec.columns:
            _store(item, column, row.get(column.name), item.get(column.name))
        items.append(item)
    return {**copy.deepcopy(dict(data)), spec.path: items}


def breaks_table(data: Mapping) -> pd.DataFrame:
    """Every break of every shift template, one row each, with its template's name."""
    rows = []
    for t, template in enumerate(data.get("shift_templates") or []):
        for b, item in enumerate(template.get("breaks") or []):
            rows.append(
                {
                    ROW: t * 1000 + b,
                    "template": template.get("name"),
                    **{c.name: _cell(item.get(c.name), c.kind) for c in BREAKS.columns[1:]},
                }
            )
    return _frame(rows, BREAKS)


def apply_breaks(
    data: Mapping, edited: pd.DataFrame, *, before: Mapping, template_rows: Sequence[Any]
) -> tuple[dict, list[InputIssue]]:
    """New data with each template's breaks taken from the breaks table, in table order.

    Parameters
    ----------
    data : mapping
        Scenario data whose shift templates are already edited (renamed, added, removed).
    edited : pandas.DataFrame
        The breaks table as edited, from :func:`breaks_table` of ``before``.
    before : mapping
        The data the breaks table (and the templates table) were built from.
    template_rows : sequence
        The ``_row`` column of the edited templates table: where each template of ``data``
        came from in ``before`` (empty for a new one).

    Returns
    -------
    data : dict
    problems : list of InputIssue
        A break row whose template is gone or was never there (it cannot be written into the
        scenario, so it is reported here instead of silently dropped).

    Notes
    -----
    A break row that still names the template it was built under follows that template when
    it is renamed; a row whose template cell the user changed, or a new row, goes to the
    template of that name.
    """
    new = copy.deepcopy(dict(data))
    templates = new.get("shift_templates") or []
    old_names = [t.get("name") for t in before.get("shift_templates") or []]
    moved = {_row_index(r): j for j, r in enumerate(template_rows) if _row_index(r) is not None}
    by_name = {t.get("name"): j for j, t in enumerate(templates)}
    for template in templates:
        template["breaks"] = []
    problems = []
    for n, row in enumerate(edited.to_dict("records")):
        item: dict = {}
        for column in BREAKS.columns[1:]:
            _store(item, column, row.get(column.name), None)
        named = _clean(row.get("template"))
        origin = _row_index(row.get(ROW))
        origin = None if origin is None else origin // 1000
        if origin is not None and origin < len(old_names) and old_names[origin] == named:
            owner = moved.get(origin)
        else:
            owner = by_name.get(named)
        if owner is None:
            known = ", ".join(str(name) for name in by_name) or "none defined"
            problems.append(
                InputIssue(
                    f"breaks, row {n + 1}, template",
                    named if named is not None else MISSING,
                    f"names no shift template; known: {known}",
                )
            )
        else:
            templates[owner]["breaks"].append(item)
    return new, problems


def apply_headcounts(data: Mapping, headcounts: Sequence[Any]) -> dict:
    """New data with ``pools[i].headcount`` set to ``headcounts[i]`` (an empty value kept)."""
    new = copy.deepcopy(dict(data))
    for pool, headcount in zip(new.get("pools") or [], headcounts, strict=False):
        pool["headcount"] = _number(headcount, "int")
    return new


def volumes_table(data: Mapping) -> pd.DataFrame:
    """Daily calls per queue and weekday, with the profile that spreads them over the day.

    Only queues whose demand is given per day or per weekday (or not at all: a line fed only by
    surges) appear; queues fed by a forecast or history file or by per-date volumes are edited
    elsewhere.
    """
    rows = []
    for i, queue in enumerate(data.get("queues") or []):
        demand = queue.get("demand")
        if demand and (
            demand.get("forecast_csv") is not None
            or demand.get("history_csv") is not None
            or demand.get("calls_by_day")
        ):
            continue
        per_weekday = _weekday_volumes(demand)
        profile = demand.get("profile", "bank_weekday") if demand else None
        rows.append(
            {
                ROW: i,
                "queue": queue.get("name"),
                **per_weekday,
                "profile": _cell(profile, "profile"),
            }
        )
    columns = [ROW, "queue", *WEEKDAYS, "profile"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({ROW: "int64", **dict.fromkeys(WEEKDAYS, "float64")})


def _weekday_volumes(demand: Mapping | None) -> dict[str, float]:
    if not demand:
        return dict.fromkeys(WEEKDAYS, 0.0)
    if demand.get("calls_per_day") is not None:
        return dict.fromkeys(WEEKDAYS, _float_or_nan(demand["calls_per_day"]))
    given = demand.get("calls_per_weekday") or {}
    return {day: _float_or_nan(given.get(day, 0.0)) for day in WEEKDAYS}


def apply_volumes(data: Mapping, edited: pd.DataFrame) -> dict:
    """New data with each listed queue's daily volumes and profile taken from the table.

    Equal volumes every weekday are written ``calls_per_day`` when the queue had that form;
    otherwise ``calls_per_weekday`` (a weekday with 0 calls is left out unless the file had it).
    A queue without demand stays without it while its row is all zero.
    """
    new = copy.deepcopy(dict(data))
    queues = new.get("queues") or []
    for row in edited.to_dict("records"):
        index = _row_index(row.get(ROW))
        if index is None or index >= len(queues):
            continue
        queue = queues[index]
        demand = queue.get("demand")
        values = {day: _number(row.get(day), "number") for day in WEEKDAYS}
        profile = _clean(row.get("profile"))
        if not demand and all(v == 0 for v in values.values()) and profile is None:
            continue
        demand = dict(demand or {})
        if profile == CUSTOM_PROFILE and isinstance(demand.get("profile"), list):
            profile = demand["profile"]
        demand["profile"] = profile if profile is not None else "bank_weekday"
        every_day_equal = None not in values.values() and len(set(values.values())) == 1
        if every_day_equal and demand.get("calls_per_weekday") is None:
            demand["calls_per_day"] = values["mon"]
            demand.pop("calls_per_weekday", None)
        else:
            before = demand.get("calls_per_weekday") or {}
            demand["calls_per_weekday"] = {
                day: value for day, value in values.items() if value != 0 or day in before
            }
            demand.pop("calls_per_day", None)
        queue["demand"] = demand
    return new


def by_day_table(data: Mapping) -> pd.DataFrame:
    """Daily calls of the queues whose demand is given per horizon day (``calls_by_day``).

    One row per such queue; columns ``day 1``, ``day 2``, ... in horizon order.
    """
    rows = []
    for i, queue in enumerate(data.get("queues") or []):
        volumes = (queue.get("demand") or {}).get("calls_by_day")
        if volumes is not None:
            cells = {f"day {d + 1}": _float_or_nan(v) for d, v in enumerate(volumes)}
            rows.append({ROW: i, "queue": queue.get("name"), **cells})
    frame = pd.DataFrame(rows)
    return frame if rows else pd.DataFrame(columns=[ROW, "queue"])


def apply_by_day(data: Mapping, edited: pd.DataFrame) -> dict:
    """New data with each listed queue's ``calls_by_day`` taken from the table's day columns."""
    new = copy.deepcopy(dict(data))
    queues = new.get("queues") or []
    days = [c for c in edited.columns if str(c).startswith("day ")]
    for row in edited.to_dict("records"):
        index = _row_index(row.get(ROW))
        if index is not None and index < len(queues) and queues[index].get("demand"):
            queues[index]["demand"]["calls_by_day"] = [_number(row.get(d), "number") for d in days]
    return new


def set_value(data: Mapping, path: Sequence[str], value: Any) -> dict:
    """New data with the field at ``path`` (mapping keys: ``("horizon", "days")``) set to ``value``.

    An empty value (``None``) removes the field, so its default applies.
    """
    new = copy.deepcopy(dict(data))
    target = new
    for part in path[:-1]:
        if target.get(part) is None:
            target[part] = {}
        target = target[part]
    if value is None:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value
    return new


# --------------------------------------------------------------------------------------------------
# Lists of values typed by a user (sweep axes)
# --------------------------------------------------------------------------------------------------


def number_list(text: str, *, what: str, whole: bool = False) -> list[float] | list[int]:
    """Numbers typed as ``"1, 2.5, 4"`` (commas, semicolons or spaces), each once, in order.

    Raises
    ------
    ValueError
        Naming ``what`` and the entry that is not a number (not a whole number, with
        ``whole``), or saying that none was given: a :class:`~planner.messages.Message` (``what``
        as the caller words it), which a client may translate.
    """
    values: list = []
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        try:
            number = float(part)
        except ValueError:
            raise ValueError(
                msg("{what}: {part} is not a number", what=what, part=repr(part))
            ) from None
        if not math.isfinite(number):
            raise ValueError(
                msg("{what}: {part} is not a finite number", what=what, part=repr(part))
            )
        if whole:
            if not number.is_integer():
                raise ValueError(
                    msg("{what}: {part} is not a whole number", what=what, part=repr(part))
                )
            number = int(number)
        if number not in values:
            values.append(number)
    if not values:
        raise ValueError(msg("{what}: give at least one number", what=what))
    return values


# --------------------------------------------------------------------------------------------------
# Cells: scenario values <-> table cells
# --------------------------------------------------------------------------------------------------

_OPTIONAL_DEFAULTS = {"reason": ""}


def _frame(rows: list[dict], spec: TableSpec) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[ROW, *spec.names])
    types = {ROW: "int64"}
    for column in spec.columns:
        if column.kind in ("number", "int"):
            types[column.name] = "float64" if column.kind == "number" else _int_type(frame, column)
        elif column.kind == "bool":
            types[column.name] = "boolean"
    return frame.astype(types)


def _int_type(frame: pd.DataFrame, column: Column) -> str:
    values = frame[column.name]
    whole = values.dropna().map(lambda v: isinstance(v, int | np.integer)).all()
    return "Int64" if whole else "float64"


def _cell(value: Any, kind: Kind) -> Any:
    """A scenario value as a table cell."""
    if value is None:
        return None
    if kind == "date":
        return _as_date(value)
    if kind == "names":
        return [str(v) for v in value] if isinstance(value, list) else value
    if kind == "dates":
        return ", ".join(str(v) for v in value) if isinstance(value, list) else value
    if kind == "profile":
        return CUSTOM_PROFILE if isinstance(value, list) else value
    return value


def _store(item: dict, column: Column, cell: Any, before: Any) -> None:
    """Write a table cell into an item (a dict), as its field's kind says."""
    value = _from_cell(cell, column.kind, before)
    if value is None and column.optional:
        if column.name in _OPTIONAL_DEFAULTS:
            item[column.name] = _OPTIONAL_DEFAULTS[column.name]
        else:
            item.pop(column.name, None)
    else:
        item[column.name] = value


def _from_cell(cell: Any, kind: Kind, before: Any) -> Any:
    if isinstance(cell, list | tuple | np.ndarray):
        return [str(v) for v in cell] if kind == "names" else list(cell)
    cell = _clean(cell)
    if cell is None:
        return [] if kind in ("names", "dates") else None
    if kind in ("number", "int"):
        return _number(cell, kind)
    if kind == "date":
        return _date_text(cell)
    if kind == "clock":
        return _clock_text(cell)
    if kind == "bool":
        return bool(cell)
    if kind == "dates":
        if isinstance(cell, str):
            return [part.strip() for part in re.split(r"[,;\s]+", cell) if part.strip()]
        return cell
    if kind == "profile":
        return before if cell == CUSTOM_PROFILE and isinstance(before, list) else cell
    return cell if not isinstance(cell, str) else cell.strip()


def _clean(value: Any) -> Any:
    """None for an empty cell (None, NaN, NA, blank text); numpy scalars as Python values."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _number(value: Any, kind: Kind) -> Any:
    """A cell as a number; a whole float in a whole-number field becomes an int.

    Anything else (a non-whole number where a whole one is wanted, text) is returned as it is,
    for validation to reject with the field's rule.
    """
    value = _clean(value)
    if value is None or isinstance(value, bool):
        return value
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _float_or_nan(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _as_date(value: Any) -> Any:
    if isinstance(value, date):
        return value if not isinstance(value, datetime) else value.date()
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return value


def _date_text(value: Any) -> Any:
    if isinstance(value, pd.Timestamp | datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value.strip() if isinstance(value, str) else value


def _clock_text(value: Any) -> Any:
    if hasattr(value, "hour") and hasattr(value, "minute"):
        return f"{value.hour:02d}:{value.minute:02d}"
    return value.strip() if isinstance(value, str) else value


def _row_index(value: Any) -> int | None:
    value = _clean(value)
    return int(value) if isinstance(value, int | float) else None


def _original_item(original: list, row: Any) -> dict:
    index = _row_index(row)
    if index is not None and 0 <= index < len(original) and isinstance(original[index], dict):
        return original[index]
    return {}
