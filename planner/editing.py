"""Editing a scenario as tables and back: the pure half of the app's Scenario page.

A :class:`Draft` is a scenario as plain data (what a YAML file holds) together with the contents
of the forecast files it refers to. While a user edits it, a draft may be invalid: nothing here
validates. :meth:`Draft.validate` calls :func:`planner.io.scenario_file.parse_scenario`, the one
place where scenarios are checked, and :func:`issue_section` and :func:`issue_text` sort its
issues to the part of the page where the field is edited and say them in the user's words (a
queue by its name, not ``queues[1]``).

Tables are pandas DataFrames with one row per item of a scenario list, shaped for editing. Each
``*_table`` function builds one from scenario data; the matching ``apply_*`` writes an edited
table back and returns new data (its input is never changed). Rows carry a hidden ``_row``
column, the position of the item they came from, so that fields a table does not show (a
profile given as a list of shares) survive an edit, and rows added by the user (``_row`` empty)
start from the schema's defaults.

Empty cells: in a field that may be unset (``patience_seconds``, ``half_life_days``, ...) an
empty cell unsets it; in any other field it is kept as a missing value, so that validation
reports it (``must be a number``) rather than a default silently taking its place.
"""

from __future__ import annotations

import copy
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import numpy as np
import pandas as pd

from planner.domain.scenario import Scenario
from planner.errors import MISSING, InputIssue, ScenarioError
from planner.io.files import write_atomic
from planner.io.scenario_file import (
    dump_scenario_yaml,
    load_scenario,
    parse_scenario,
    save_scenario,
)
from planner.io.yaml_strict import read_yaml
from planner.timegrid import WEEKDAYS

__all__ = [
    "CUSTOM_PROFILE",
    "Draft",
    "ScenarioKey",
    "TableSpec",
    "apply_breaks",
    "apply_by_day",
    "apply_headcounts",
    "apply_table",
    "apply_volumes",
    "attached_files",
    "breaks_table",
    "by_day_table",
    "differences",
    "draft_from_upload",
    "forecast_names",
    "issue_section",
    "issue_text",
    "load_draft",
    "number_list",
    "restrict_to_day",
    "save_draft",
    "scenario_file_name",
    "scenario_from_key",
    "scenario_key",
    "set_forecast",
    "set_value",
    "table",
    "use_daily_volumes",
    "volumes_table",
]

CUSTOM_PROFILE = "custom shares"
"""How a profile written as a list of shares is shown in a table cell."""

ROW = "_row"
"""Hidden column: the position of the item a row came from (empty for a row the user added)."""


# --------------------------------------------------------------------------------------------------
# Drafts
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """A scenario being edited: plain data, possibly invalid, and its forecast files.

    Attributes
    ----------
    data : dict
        The scenario as plain data, as :func:`planner.domain.scenario.parse_scenario` takes it.
    files : dict of str to bytes
        Content of every file the data may refer to (``queues[].demand.forecast_csv``,
        ``operators_file``), by the name written there.
    source : str
        Where the draft came from (a file path, ``"upload: name.yaml"``), for messages.
    problems : tuple of InputIssue
        Edits that could not be written into ``data`` at all (a break row naming no shift
        template); reported by :meth:`validate` with the scenario's own issues.
    """

    data: dict
    files: Mapping[str, bytes] = field(default_factory=dict)
    source: str = "scenario"
    problems: tuple[InputIssue, ...] = ()

    def validate(self) -> Scenario:
        """The validated scenario.

        Raises
        ------
        ScenarioError
            Every problem found, each with its field path, value and rule.
        """
        try:
            scenario = parse_scenario(
                copy.deepcopy(self.data),
                source=self.source,
                forecast_files=self.files,
                operator_files=self.files,
            )
        except ScenarioError as exc:
            raise ScenarioError(self.source, [*exc.issues, *self.problems]) from None
        if self.problems:
            raise ScenarioError(self.source, self.problems)
        return scenario

    def with_data(self, data: dict) -> Draft:
        return replace(self, data=data)


def scenario_data(scenario: Scenario) -> dict:
    """A validated scenario as plain data with every field present (defaults written out)."""
    return scenario.model_dump(mode="json")


def load_draft(path: str | Path) -> Draft:
    """Load a scenario file as a draft, with the forecast files it refers to read in.

    Raises
    ------
    ScenarioError
        If the file (or a forecast file) is missing or invalid.
    """
    path = Path(path)
    scenario = load_scenario(path)
    forecasts = {
        name: (path.parent / name).read_bytes() for name in attached_files(scenario_data(scenario))
    }
    return Draft(scenario_data(scenario), forecasts, str(path))


def draft_from_upload(files: Mapping[str, bytes]) -> Draft:
    """A draft from uploaded files: one scenario (``.yaml``/``.yml``) and its forecast CSVs.

    A forecast file is matched to the scenario's ``forecast_csv`` by its file name, so a file
    written ``data/forecast_week.csv`` in the scenario is found when ``forecast_week.csv`` is
    uploaded.

    Raises
    ------
    ScenarioError
        No scenario file, several, not UTF-8, not valid YAML, or an invalid scenario; every
        problem is named with its field.
    """
    scenarios = [name for name in files if name.lower().endswith((".yaml", ".yml"))]
    if len(scenarios) != 1:
        listed = ", ".join(files) or "none"
        raise ScenarioError.single(
            "upload", "(files)", listed, "upload exactly one scenario file (.yaml or .yml)"
        )
    name = scenarios[0]
    source = f"upload: {name}"
    try:
        text = files[name].decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError.single(
            source, "(file)", MISSING, "is not UTF-8 text; save it as UTF-8"
        ) from None
    data = read_yaml(text, source)
    uploaded = {PurePosixPath(n).name: content for n, content in files.items() if n != name}
    forecasts = {
        written: uploaded[PurePosixPath(written).name]
        for written in attached_files(data)
        if PurePosixPath(written).name in uploaded
    }
    scenario = parse_scenario(
        data, source=source, forecast_files=forecasts, operator_files=forecasts
    )
    return Draft(scenario_data(scenario), forecasts, source)


def attached_files(data: Any) -> list[str]:
    """Every file the (possibly invalid) scenario data refers to: forecasts, operators."""
    names = forecast_names(data)
    operators = data.get("operators_file") if isinstance(data, Mapping) else None
    if isinstance(operators, str) and operators not in names:
        names.append(operators)
    return names


def forecast_names(data: Any) -> list[str]:
    """Forecast file names the (possibly invalid) scenario data refers to."""
    names: list[str] = []
    queues = data.get("queues") if isinstance(data, Mapping) else None
    for queue in queues if isinstance(queues, list) else []:
        demand = queue.get("demand") if isinstance(queue, Mapping) else None
        name = demand.get("forecast_csv") if isinstance(demand, Mapping) else None
        if isinstance(name, str) and name not in names:
            names.append(name)
    return names


# --------------------------------------------------------------------------------------------------
# Cache keys: a validated scenario as text, so that pure calculations can be cached on it
# --------------------------------------------------------------------------------------------------

ScenarioKey = tuple[str, tuple[tuple[str, bytes], ...]]
"""A validated scenario as hashable values: its YAML text and the forecast files it uses."""


def scenario_key(scenario: Scenario, files: Mapping[str, bytes]) -> ScenarioKey:
    """The scenario's YAML text and the content of the forecast files it refers to.

    Two scenarios with equal keys plan identically, so the key is what the app caches on.
    """
    data = scenario_data(scenario)
    used = tuple((name, bytes(files[name])) for name in sorted(attached_files(data)))
    return dump_scenario_yaml(scenario), used


def scenario_from_key(key: ScenarioKey, source: str = "scenario") -> Scenario:
    """The scenario a :func:`scenario_key` describes (validated again: cheap)."""
    text, forecasts = key
    files = dict(forecasts)
    data = read_yaml(text, source)
    return parse_scenario(data, source=source, forecast_files=files, operator_files=files)


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
    surges) appear; queues fed by a forecast file or by per-date volumes are edited elsewhere.
    """
    rows = []
    for i, queue in enumerate(data.get("queues") or []):
        demand = queue.get("demand")
        if demand and (demand.get("forecast_csv") is not None or demand.get("calls_by_day")):
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


# ----- forecast files -----


def set_forecast(draft: Draft, queue_index: int, file_name: str, content: bytes) -> Draft:
    """The draft with queue ``queue_index`` taking its calls from an uploaded forecast CSV.

    The file is kept by its name; validation checks it (every interval once, values in range).
    """
    data = copy.deepcopy(draft.data)
    queue = data["queues"][queue_index]
    profile = (queue.get("demand") or {}).get("profile", "bank_weekday")
    queue["demand"] = {"forecast_csv": file_name, "profile": profile}
    files = {**draft.files, file_name: bytes(content)}
    return replace(draft, data=data, files=files)


def use_daily_volumes(draft: Draft, queue_index: int) -> Draft:
    """The draft with a forecast-fed queue switched to volumes per weekday.

    The volumes are the forecast's mean daily calls of each weekday (0 for a weekday it does
    not cover), spread by the queue's profile, so the week keeps its size.
    """
    data = copy.deepcopy(draft.data)
    queue = data["queues"][queue_index]
    demand = queue.get("demand") or {}
    per_weekday = dict.fromkeys(WEEKDAYS, 0.0)
    name = demand.get("forecast_csv")
    if name in draft.files:
        forecast = pd.read_csv(io.BytesIO(draft.files[name]), dtype={"day": str})
        rows = forecast[forecast["queue"] == queue.get("name")]
        daily = rows.groupby("day")["calls"].sum()
        weekday = pd.to_datetime(daily.index).day_of_week
        means = daily.groupby(np.asarray(weekday)).mean()
        per_weekday.update({WEEKDAYS[int(d)]: round(float(v), 1) for d, v in means.items()})
    queue["demand"] = {
        "calls_per_weekday": per_weekday,
        "profile": demand.get("profile", "bank_weekday"),
    }
    return replace(draft, data=data)


# ----- operators files -----


def set_operators(draft: Draft, file_name: str, content: bytes) -> Draft:
    """The draft rostering the operators of an uploaded file (CSV or YAML, by its name).

    The file is kept by its name, as forecast files are, and saved with the scenario;
    validation checks it against the scenario (pools, skills, contracts, dates).
    """
    data = {**copy.deepcopy(draft.data), "operators_file": file_name}
    files = {**draft.files, file_name: bytes(content)}
    return replace(draft, data=data, files=files)


def use_generated_operators(draft: Draft) -> Draft:
    """The draft with no operators file: the roster generates anonymous operators from the
    pools' headcounts."""
    data = copy.deepcopy(draft.data)
    data["operators_file"] = None
    return replace(draft, data=data)


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
    "queues": "queue",
    "surges": "surge",
    "operating_modes": "operating mode",
    "headcount_changes": "headcount change",
    "shift_templates": "shift template",
    "breaks": "break",
    "pools": "pool",
}


def issue_text(issue: InputIssue, data: Mapping) -> str:
    """An issue in the user's words: items by name, then the field, the value and the rule.

    ``pools[2].headcount = -3: must be >= 0`` becomes ``pool 'borrowed' › headcount = -3: must
    be >= 0``; the field's own name is kept, as the field reference documents it.
    """
    where = _friendly_path(issue.path, data)
    value = issue.describe()[len(issue.path) :]  # " = -3: rule" or ": rule"
    return f"{where}{value}"


def _friendly_path(path: str, data: Mapping) -> str:
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
        parts.append(f"{label} {name!r}" if isinstance(name, str) else f"{label} {int(index) + 1}")
        current = item
    return " › ".join(parts) if parts else path


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


# --------------------------------------------------------------------------------------------------
# One day of a scenario
# --------------------------------------------------------------------------------------------------


def restrict_to_day(
    scenario: Scenario, files: Mapping[str, bytes], day: date
) -> tuple[dict, dict[str, bytes]]:
    """Scenario data and forecast files for one day of a scenario's horizon.

    The horizon becomes that day; volumes given per horizon day and forecast rows are cut to
    it, and operating-mode dates outside it dropped (a mode left with no weekday and no date is
    dropped). Surges, headcount changes and everything else keep their dates, so the day sees
    the same demand and staff as in the whole-horizon scenario. A pool's weekly hours cap
    applies to the day as to any block shorter than a week: whole.

    Raises
    ------
    ValueError
        If ``day`` is not in the scenario's horizon.
    """
    index = scenario.grid.day_of(day)
    data = scenario_data(scenario)
    data["horizon"] = {**data["horizon"], "start_date": day.isoformat(), "days": 1}
    for queue in data["queues"]:
        demand = queue.get("demand")
        if demand and demand.get("calls_by_day") is not None:
            demand["calls_by_day"] = [demand["calls_by_day"][index]]
    modes = []
    for mode in data["operating_modes"]:
        mode["dates"] = [d for d in mode["dates"] if d == day.isoformat()]
        if mode["weekdays"] or mode["dates"]:
            modes.append(mode)
    data["operating_modes"] = modes
    kept = {name: files[name] for name in attached_files(data)}
    for name in forecast_names(data):
        forecast = pd.read_csv(io.BytesIO(files[name]), dtype=str, keep_default_na=False)
        kept[name] = forecast[forecast["day"] == day.isoformat()].to_csv(index=False).encode()
    return data, kept


# --------------------------------------------------------------------------------------------------
# Lists of values typed by a user (sweep axes)
# --------------------------------------------------------------------------------------------------


def number_list(text: str, *, what: str, whole: bool = False) -> list[float] | list[int]:
    """Numbers typed as ``"1, 2.5, 4"`` (commas, semicolons or spaces), each once, in order.

    Raises
    ------
    ValueError
        Naming ``what`` and the entry that is not a number (not a whole number, with
        ``whole``), or saying that none was given.
    """
    values: list = []
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        try:
            number = float(part)
        except ValueError:
            raise ValueError(f"{what}: {part!r} is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"{what}: {part!r} is not a finite number")
        if whole:
            if not number.is_integer():
                raise ValueError(f"{what}: {part!r} is not a whole number")
            number = int(number)
        if number not in values:
            values.append(number)
    if not values:
        raise ValueError(f"{what}: give at least one number")
    return values


# --------------------------------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------------------------------

_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.ya?ml$")


def scenario_file_name(text: str) -> str:
    """A file name for a new scenario, from what a user typed (``.yaml`` added when missing).

    Raises
    ------
    ValueError
        If the name is empty, has a folder in it, or characters other than letters, digits,
        ``_``, ``-`` and ``.``.
    """
    name = text.strip()
    if not name:
        raise ValueError("file name: is required")
    if not name.lower().endswith((".yaml", ".yml")):
        name += ".yaml"
    if "/" in name or "\\" in name or not _FILE_NAME.match(name):
        raise ValueError(
            f"file name {name!r}: use letters, digits, '_', '-' and '.', no folders, "
            "starting with a letter or digit"
        )
    return name


def save_draft(
    scenario: Scenario,
    files: Mapping[str, bytes],
    directory: str | Path,
    file_name: str,
    *,
    overwrite: bool = False,
) -> list[Path]:
    """Save a validated scenario, and the forecast files it refers to, into ``directory``.

    Forecast files go where the scenario refers to them, relative to the saved file; one
    already there with the same content is left alone.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    FileExistsError
        If the scenario file, or a forecast file with other content, exists and ``overwrite``
        is not set. Nothing is written then.
    ValueError
        If a forecast file name points outside ``directory``.
    """
    directory = Path(directory)
    target = directory / scenario_file_name(file_name)
    forecasts = {}
    for name in attached_files(scenario_data(scenario)):
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            raise ValueError(
                f"file {name!r}: must be a path inside the scenario's folder to be saved with it"
            )
        forecasts[directory / relative] = bytes(files[name])
    clashes = [target] if target.exists() else []
    clashes += [p for p, content in forecasts.items() if p.exists() and p.read_bytes() != content]
    if clashes and not overwrite:
        listed = ", ".join(str(p) for p in clashes)
        raise FileExistsError(f"{listed} exists; choose another name or confirm overwriting it")
    written = []
    for path, content in forecasts.items():
        if not path.exists() or path.read_bytes() != content:
            write_atomic(path, content)
            written.append(path)
    save_scenario(scenario, target, overwrite=overwrite)
    return [target, *written]
