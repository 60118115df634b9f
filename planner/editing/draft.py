"""Drafts: a scenario being edited as plain data with its files, from opening to saving.

A :class:`Draft` is a scenario as plain data (what a YAML file holds) together with the contents
of the files it refers to (forecasts, operators). While a user edits it, a draft may be invalid:
nothing here validates. :meth:`Draft.validate` calls
:func:`planner.io.scenario_file.parse_scenario`, the one place where scenarios are checked.

Here a draft is opened (:func:`load_draft`, :func:`draft_from_upload`), given files
(:func:`set_forecast`, :func:`set_operators`), cut to one day (:func:`restrict_to_day`), turned
into a cache key (:func:`scenario_key`) and saved (:func:`save_draft`). Its lists edited as
tables are :mod:`planner.editing.tables`; its issues in the user's words,
:mod:`planner.editing.issues`.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from planner.domain.scenario import Scenario
from planner.errors import MISSING, InputIssue, ScenarioError
from planner.io.export import table_to_csv
from planner.io.files import read_named_file, write_atomic
from planner.io.scenario_file import (
    dump_scenario_yaml,
    load_scenario,
    parse_scenario,
    save_scenario,
)
from planner.io.yaml_strict import read_yaml
from planner.messages import msg
from planner.timegrid import WEEKDAYS

__all__ = [
    "Draft",
    "ScenarioKey",
    "attached_files",
    "draft_from_upload",
    "forecast_names",
    "load_draft",
    "restrict_to_day",
    "save_draft",
    "scenario_data",
    "scenario_file_name",
    "scenario_from_key",
    "scenario_key",
    "set_forecast",
    "set_operators",
    "use_daily_volumes",
    "use_forecast",
    "use_generated_operators",
]


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
    forecasts = {}
    for name in attached_files(scenario_data(scenario)):
        # read under the same rules as load_scenario (inside the folder, regular files only)
        content, problem = read_named_file(name, path.parent, {})
        if problem:  # changed on disk since load_scenario read it
            raise ScenarioError.single(str(path), "(file)", name, problem)
        forecasts[name] = content
    return Draft(scenario_data(scenario), forecasts, str(path))


def draft_from_upload(files: Mapping[str, bytes]) -> Draft:
    """A draft from uploaded files: one scenario (``.yaml``/``.yml``) and its forecast CSVs.

    A forecast file is matched to the scenario's ``forecast_csv`` by its file name, so a file
    written ``data/forecast_week.csv`` in the scenario is found when ``forecast_week.csv`` is
    uploaded.

    Nothing is read from the server's disk: a file the scenario names that was not uploaded
    (or is named by an absolute path or with ``..``) is an issue naming its field.

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
    """Every file the (possibly invalid) scenario data refers to: forecasts, histories,
    operators."""
    names = forecast_names(data)
    names += [n for n in forecast_names(data, "history_csv") if n not in names]
    operators = data.get("operators_file") if isinstance(data, Mapping) else None
    if isinstance(operators, str) and operators not in names:
        names.append(operators)
    return names


def forecast_names(data: Any, key: str = "forecast_csv") -> list[str]:
    """Forecast file names (or, with ``key="history_csv"``, history file names) the (possibly
    invalid) scenario data refers to."""
    names: list[str] = []
    queues = data.get("queues") if isinstance(data, Mapping) else None
    for queue in queues if isinstance(queues, list) else []:
        demand = queue.get("demand") if isinstance(queue, Mapping) else None
        name = demand.get(key) if isinstance(demand, Mapping) else None
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
# Files of a draft: forecasts, operators
# --------------------------------------------------------------------------------------------------


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


def use_forecast(
    draft: Draft, table: pd.DataFrame, start: date, days: int, file_name: str
) -> tuple[Draft, list[str]]:
    """The draft planning a forecast: its horizon moved to the forecast's days, and every queue
    the forecast names taking its calls from it (the Forecast page's "use this forecast").

    Parameters
    ----------
    table : pandas.DataFrame
        ``day, interval_start, queue, calls`` (a scenario forecast file's columns), one row per
        queue and interval.
    start, days
        The forecast's first day and length.
    file_name : str
        The name the forecast file is kept under in the draft.

    Returns
    -------
    The new draft and the names of the queues that now take their calls from the forecast
    (queues the forecast does not name keep their demand; forecast queues the scenario lacks
    are left out of the file). When it names none of the scenario's queues, the draft is
    returned unchanged.
    """
    names = [q.get("name") for q in draft.data.get("queues", [])]
    used = [q for q in dict.fromkeys(table["queue"]) if q in names]
    if not used:
        return draft, []
    data = copy.deepcopy(draft.data)
    horizon = data.setdefault("horizon", {})
    horizon["start_date"] = start.isoformat()
    horizon["days"] = int(days)
    out = replace(draft, data=data)
    content = table_to_csv(table[table["queue"].isin(used)])
    for name in used:
        out = set_forecast(out, names.index(name), file_name, content)
    return out, used


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
        raise ValueError(msg("file name: is required"))
    if not name.lower().endswith((".yaml", ".yml")):
        name += ".yaml"
    if "/" in name or "\\" in name or not _FILE_NAME.match(name):
        raise ValueError(
            msg(
                "file name {name}: use letters, digits, '_', '-' and '.', no folders, "
                "starting with a letter or digit",
                name=repr(name),
            )
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
        raise FileExistsError(
            msg("{files} exists; choose another name or confirm overwriting it", files=listed)
        )
    written = []
    for path, content in forecasts.items():
        if not path.exists() or path.read_bytes() != content:
            write_atomic(path, content)
            written.append(path)
    save_scenario(scenario, target, overwrite=overwrite)
    return [target, *written]
