"""Scenario schema and loading.

A scenario file says everything the planner needs: the horizon and operating window, the queues
with their service targets, where the calls come from (profiles, forecasts, surges, self-service
deflection, days a line is closed), the staff pools and the shifts they may work, and how the
optimiser should run. ``scenarios/README.md`` is the field reference; this module is its source
of truth.

Validation happens once, here, at the boundary. Structure and types are checked by pydantic
(unknown keys are errors, numbers are not silently converted from strings); the rules that
connect fields (a pool naming an unknown queue, a shift that does not fit the window, a forecast
file with missing intervals) are checked by :func:`_cross_check`. Every problem found is reported
together in one :class:`~planner.errors.ScenarioError` naming the file, the field path, the value
and the rule.

Units live in the field names: ``aht_seconds``, ``length_minutes``, ``cost_per_hour``. Clock times
are ``"HH:MM"`` strings; dates are ISO dates (``2022-01-10``).
"""

from __future__ import annotations

import difflib
import io
import os
import re
import tempfile
import types
import typing
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    ValidationError,
)

from planner.errors import MISSING, InputIssue, ScenarioError, format_path
from planner.profiles import profile_matrix
from planner.timegrid import TimeGrid, clock_label, parse_clock

__all__ = [
    "SCHEMA_VERSION",
    "Break",
    "HeadcountChange",
    "Horizon",
    "LabourRules",
    "ObjectiveWeights",
    "OperatingMode",
    "Pool",
    "Queue",
    "QueueDemand",
    "Scenario",
    "ServiceSettings",
    "ShiftTemplate",
    "SolverSettings",
    "Surge",
    "dump_scenario_yaml",
    "load_scenario",
    "parse_scenario",
    "read_yaml",
    "save_scenario",
]

SCHEMA_VERSION = 1

# --------------------------------------------------------------------------------------------------
# Field types
# --------------------------------------------------------------------------------------------------

ClockTime = Annotated[
    int,
    BeforeValidator(parse_clock),
    PlainSerializer(clock_label, return_type=str),
]
"""A clock time written ``"HH:MM"``, held as minutes after midnight."""

Name = Annotated[
    str,
    Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$", max_length=64),
]
"""An identifier: a letter, then letters, digits, ``_``, ``.`` or ``-`` (no spaces)."""

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
IsoDate = Annotated[date, Field(strict=False)]
Share = Annotated[float, Field(ge=0.0, lt=1.0)]
Probability = Annotated[float, Field(gt=0.0, lt=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]


class _Strict(BaseModel):
    """Base of every schema object: unknown keys are errors, values are not coerced, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --------------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------------


class Horizon(_Strict):
    """The days planned and the daily operating window, cut into equal intervals."""

    start_date: IsoDate
    days: int = Field(ge=1, le=366)
    window_start: ClockTime = parse_clock("09:00")
    window_end: ClockTime = parse_clock("21:00")
    interval_minutes: Literal[15, 30, 60] = 15


class QueueDemand(_Strict):
    """Where a queue's baseline calls come from: daily volumes and a profile, or a forecast file.

    Exactly one of ``calls_per_day``, ``calls_per_weekday``, ``calls_by_day`` and
    ``forecast_csv`` is given.
    """

    calls_per_day: NonNegative | None = None
    calls_per_weekday: dict[Weekday, NonNegative] | None = None
    calls_by_day: list[NonNegative] | None = None
    profile: str | list[NonNegative] = "bank_weekday"
    forecast_csv: str | None = None


class Queue(_Strict):
    """A line callers dial, with its handling time, caller patience and service targets.

    ``min_agents`` is a hard floor: on a day the queue is open, every interval has at least this
    many agents on duty for it, whatever the calls (a line never left unattended).
    """

    name: Name
    aht_seconds: Positive
    patience_seconds: Positive | None = None
    service_level: Probability = 0.8
    answer_within_seconds: NonNegative = 20.0
    max_abandon_rate: Probability | None = None
    max_asa_seconds: Positive | None = None
    max_occupancy: Annotated[float, Field(gt=0.0, le=1.0)] | None = None
    shrinkage: Annotated[float, Field(ge=0.0, le=0.9)] = 0.0
    staffing_lag_seconds: NonNegative = 0.0
    self_service_share: Share = 0.0
    min_agents: int = Field(default=0, ge=0)
    demand: QueueDemand | None = None


class Surge(_Strict):
    """An event that multiplies a queue's calls or adds calls to it, then fades.

    Its intensity at time t (days since ``start_date`` at ``start_time``) rises linearly from 0
    to 1 over ``ramp_up_days``, stays at 1 for ``plateau_days``, then halves every
    ``half_life_days`` (no decay when unset) until ``duration_days`` after the start (no end when
    unset). Calls become ``baseline x (1 + (peak_multiplier - 1) x intensity) +
    added_calls_per_day x intensity x profile share``.
    """

    name: Name
    queue: Name
    start_date: IsoDate
    start_time: ClockTime | None = None
    ramp_up_days: NonNegative = 0.0
    plateau_days: NonNegative = 0.0
    half_life_days: Positive | None = None
    duration_days: Positive | None = None
    peak_multiplier: NonNegative = 1.0
    added_calls_per_day: NonNegative = 0.0
    profile: str | list[NonNegative] | None = None


class OperatingMode(_Strict):
    """Days on which some queues are closed (no calls, no agents), e.g. weekends."""

    name: Name
    weekdays: list[Weekday] = []
    dates: list[IsoDate] = []
    closed_queues: list[Name] = Field(min_length=1)


class HeadcountChange(_Strict):
    """A change in a pool's daily headcount over a date range (secondments, borrowed staff)."""

    pool: Name
    change: int
    from_date: IsoDate | None = None
    to_date: IsoDate | None = None
    reason: str = ""


class Break(_Strict):
    """A break inside a shift, placed by the optimiser inside its window.

    The window is relative to the shift start: the break starts between
    ``earliest_start_after_minutes`` and ``latest_start_after_minutes`` after the shift starts.
    """

    name: Name = "break"
    length_minutes: int = Field(gt=0)
    paid: bool = False
    earliest_start_after_minutes: int = Field(ge=0)
    latest_start_after_minutes: int = Field(ge=0)


class ShiftTemplate(_Strict):
    """A kind of shift: its length, allowed start times and breaks."""

    name: Name
    length_minutes: int = Field(gt=0)
    earliest_start: ClockTime | None = None
    latest_start: ClockTime | None = None
    start_step_minutes: int = Field(default=30, gt=0)
    part_time: bool = False
    breaks: list[Break] = []

    @property
    def paid_minutes(self) -> int:
        """Paid time of one such shift: its length less its unpaid breaks."""
        return self.length_minutes - sum(b.length_minutes for b in self.breaks if not b.paid)


class Pool(_Strict):
    """A team of operators with the same skills, contract and cost."""

    name: Name
    skills: list[Name] = Field(min_length=1)
    headcount: int = Field(ge=0)
    cost_per_hour: NonNegative = 1.0
    shift_templates: list[Name] = Field(min_length=1)
    max_hours_per_week: Positive = 40.0
    borrowed: bool = False
    max_part_time_share: Annotated[float, Field(ge=0.0, le=1.0)] | None = None


class ServiceSettings(_Strict):
    """How the optimiser treats the service target.

    ``interval``: every interval's requirement is met (shortfalls allowed, heavily penalised).
    ``daily``: each queue's daily service level (calls answered within T over calls offered that
    day) meets its target, and every interval keeps at least ``daily_interval_floor`` of it.
    """

    mode: Literal["interval", "daily"] = "interval"
    daily_interval_floor: Annotated[float, Field(ge=0.0, le=1.0)] = 0.5


class ObjectiveWeights(_Strict):
    """Penalty weights, in the same money units as ``cost_per_hour``.

    Unset weights take defaults derived from the scenario (see ``planner.optimise``).
    """

    shortfall_per_agent_hour: Positive | None = None
    overstaffing_per_agent_hour: NonNegative | None = None
    daily_service_shortfall_per_call: Positive | None = None


class SolverSettings(_Strict):
    """CP-SAT settings, applied in one place (``planner.optimise.solver``).

    One worker (the default) gives reproducible plans; more workers may be faster on large
    instances, but their plans can differ between runs.
    """

    time_limit_seconds: Positive = 20.0
    relative_gap: Annotated[float, Field(ge=0.0, lt=1.0)] = 0.01
    seed: int = Field(default=0, ge=0)
    workers: int = Field(default=1, ge=1, le=64)


class LabourRules(_Strict):
    """Labour-law limits (Kazakhstan Labour Code defaults) used by shifts and rosters."""

    max_shift_hours: Positive = 12.0
    max_hours_per_week: Positive = 40.0
    min_rest_hours: NonNegative = 11.0
    min_days_off_per_week: int = Field(default=2, ge=0, le=7)
    max_consecutive_days: int = Field(default=6, ge=1)
    no_consecutive_long_shifts: bool = True
    long_shift_hours: Positive = 12.0


class Scenario(_Strict):
    """A complete planning scenario. Load with :func:`load_scenario` or :func:`parse_scenario`."""

    schema_version: Literal[1]
    name: str = Field(min_length=1)
    description: str = ""
    horizon: Horizon
    queues: list[Queue] = Field(min_length=1)
    surges: list[Surge] = []
    operating_modes: list[OperatingMode] = []
    headcount_changes: list[HeadcountChange] = []
    shift_templates: list[ShiftTemplate] = Field(min_length=1)
    pools: list[Pool] = Field(min_length=1)
    service: ServiceSettings = ServiceSettings()
    weights: ObjectiveWeights = ObjectiveWeights()
    solver: SolverSettings = SolverSettings()
    labour: LabourRules = LabourRules()
    operators_file: str | None = None

    _source: str = PrivateAttr(default="scenario")
    _forecasts: dict[str, pd.DataFrame] = PrivateAttr(default_factory=dict)
    _operators: tuple | None = PrivateAttr(default=None)

    # ----- derived views (pure, cheap) -----

    @property
    def source(self) -> str:
        """Where the scenario came from (a file path or ``"upload"``), for messages."""
        return self._source

    @property
    def grid(self) -> TimeGrid:
        h = self.horizon
        return TimeGrid(h.start_date, h.days, h.window_start, h.window_end, h.interval_minutes)

    def queue(self, name: str) -> Queue:
        return next(q for q in self.queues if q.name == name)

    def pool(self, name: str) -> Pool:
        return next(p for p in self.pools if p.name == name)

    def template(self, name: str) -> ShiftTemplate:
        return next(t for t in self.shift_templates if t.name == name)

    @property
    def operators(self) -> tuple | None:
        """The named operators read from ``operators_file`` (``planner.roster.operators``), or
        None when the scenario names no operators file."""
        return self._operators

    def forecast(self, csv_name: str) -> pd.DataFrame:
        """The validated forecast table a queue's ``demand.forecast_csv`` refers to."""
        return self._forecasts[csv_name]

    def open_matrix(self) -> dict[str, np.ndarray]:
        """Per queue, a boolean array over horizon days: is the queue open that day?"""
        grid = self.grid
        is_open = {q.name: np.ones(grid.days, dtype=bool) for q in self.queues}
        for mode in self.operating_modes:
            days = np.array(
                [
                    wd in mode.weekdays or d in mode.dates
                    for d, wd in zip(grid.dates, grid.weekdays, strict=True)
                ]
            )
            for name in mode.closed_queues:
                is_open[name] &= ~days
        return is_open

    def headcount_matrix(self) -> dict[str, np.ndarray]:
        """Per pool, the headcount available on each horizon day after headcount changes."""
        grid = self.grid
        headcount = {p.name: np.full(grid.days, p.headcount, dtype=np.int64) for p in self.pools}
        for change in self.headcount_changes:
            headcount[change.pool] += change.change * _date_mask(grid, change)
        return headcount

    def template_start_minutes(self, template: ShiftTemplate) -> np.ndarray:
        """Every allowed start of a template, in minutes after midnight."""
        first, last = self.template_start_range(template)
        return np.arange(first, last + 1, template.start_step_minutes, dtype=np.int64)

    def template_start_range(self, template: ShiftTemplate) -> tuple[int, int]:
        h = self.horizon
        first = h.window_start if template.earliest_start is None else template.earliest_start
        last = h.window_end - template.length_minutes
        if template.latest_start is not None:
            last = template.latest_start
        return first, last

    def __eq__(self, other: object) -> bool:
        """Equal when every field and every forecast table is equal; the source is ignored.

        pydantic's own equality also compared the private attributes: the same scenario loaded
        from two paths was unequal, and comparing two forecast scenarios raised ValueError (the
        truth value of a DataFrame is ambiguous).
        """
        if not isinstance(other, Scenario):
            return NotImplemented
        mine, theirs = self._forecasts, other._forecasts
        return (
            self.__dict__ == other.__dict__
            and mine.keys() == theirs.keys()
            and all(mine[name].equals(theirs[name]) for name in mine)
            and self._operators == other._operators
        )

    __hash__ = None  # fields hold lists: a scenario is not hashable (pydantic's hash failed too)

    def with_operators(self, operators: tuple | None) -> Scenario:
        """The same scenario rostering (and sized for) these operators, checked against it
        already (:func:`planner.roster.operators.load_operators`); None: generated ones."""
        copy = self.with_source(self._source)
        copy._operators = None if operators is None else tuple(operators)
        return copy

    def with_source(self, source: str) -> Scenario:
        """The same scenario, reporting ``source`` in messages (forecast tables kept)."""
        copy = self.model_copy()
        copy._source = source
        copy._forecasts = dict(self._forecasts)
        return copy


def _date_mask(grid: TimeGrid, change: HeadcountChange) -> np.ndarray:
    first = change.from_date or grid.dates[0]
    last = change.to_date or grid.dates[-1]
    return np.array([first <= d <= last for d in grid.dates], dtype=np.int64)


# --------------------------------------------------------------------------------------------------
# YAML reading: strict (duplicate keys are errors; "12:00" stays a string, not 720 minutes)
# --------------------------------------------------------------------------------------------------


class _StrictYamlLoader(yaml.SafeLoader):
    """YAML 1.1 safe loader without its surprises.

    PyYAML reads an unquoted ``12:00`` as the base-60 integer 720 and ``010`` as octal 8, and keeps
    the last of two duplicate keys silently. Here clock times stay strings, integers are decimal,
    and a duplicate key is an error.
    """


_StrictYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if not tag.endswith((":int", ":float"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
)
_StrictYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"""^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+0123456789."),
)


def _construct_mapping(loader: _StrictYamlLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictYamlLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def read_yaml(text: str, source: str) -> Any:
    """Parse YAML text strictly; syntax errors become a ScenarioError with the line number."""
    try:
        return yaml.load(
            text, Loader=_StrictYamlLoader
        )  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError.single(source, where, MISSING, f"not valid YAML: {problem}") from None


# --------------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------------


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate a scenario file (and the forecast files it refers to).

    Raises
    ------
    ScenarioError
        Listing every problem found, each with the file, the field path, the value and the rule.
    """
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError.single(
            source, "(file)", MISSING, f"cannot be read: {exc.strerror}"
        ) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError.single(
            source,
            "(file)",
            MISSING,
            f"is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at position {exc.start}); "
            "save it as UTF-8",
        ) from None
    return parse_scenario(read_yaml(text, source), source=source, base_dir=path.parent)


def parse_scenario(
    data: Any,
    *,
    source: str = "scenario",
    base_dir: str | os.PathLike[str] | None = None,
    forecast_files: Mapping[str, bytes | str] | None = None,
    operator_files: Mapping[str, bytes | str] | None = None,
) -> Scenario:
    """Validate scenario data (already parsed from YAML or built in code).

    Parameters
    ----------
    data : mapping
        The scenario as plain data (``yaml.safe_load`` output, or ``Scenario.model_dump()``).
    source : str
        Shown in error messages as the origin of the data (a file name or ``"upload"``).
    base_dir : path, optional
        Directory that relative ``forecast_csv`` paths are resolved against.
    forecast_files : mapping of str to bytes or str, optional
        Contents of forecast files by the name used in ``forecast_csv``, for uploads; looked up
        before the file system.
    operator_files : mapping of str to bytes or str, optional
        The same for ``operators_file``.

    Raises
    ------
    ScenarioError
        Listing every problem found.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError.single(
            source, "(top level)", MISSING, "must be a mapping of fields (key: value)"
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(source, [_issue_from_pydantic(e) for e in exc.errors()]) from None
    scenario._source = source
    issues = list(_cross_check(scenario))
    forecasts, forecast_issues = _load_forecasts(scenario, base_dir, forecast_files or {})
    issues += forecast_issues
    operators, operator_issues = _load_operators(scenario, base_dir, operator_files or {})
    issues += operator_issues
    if issues:
        raise ScenarioError(source, issues)
    scenario._forecasts = forecasts
    scenario._operators = operators
    return scenario


_PYDANTIC_RULES = {
    "missing": "is required",
    "extra_forbidden": "unknown field",
    "literal_error": None,  # pydantic's own text lists the allowed values
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping (key: value)",
    "model_type": "must be a mapping of fields (key: value)",
    "model_attributes_type": "must be a mapping of fields (key: value)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_type": "must be a date (YYYY-MM-DD)",
    "string_pattern_mismatch": "must be a name: a letter, then letters, digits, '_', '.' or '-'",
}


def _issue_from_pydantic(error: Mapping[str, Any]) -> InputIssue:
    loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
    kind = error["type"]
    rule = _PYDANTIC_RULES.get(kind) or _range_rule(kind, error.get("ctx", {}))
    if rule is None:
        rule = _lower_first(str(error["msg"]).removeprefix("Value error, "))
    if kind == "extra_forbidden":
        allowed = _allowed_fields(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        rule += f" (did you mean {close[0]!r}?)" if close else ""
        rule += f"; allowed here: {', '.join(allowed)}" if allowed else ""
    value = MISSING if kind == "missing" else error.get("input", MISSING)
    return InputIssue(format_path(loc), value, rule)


_RANGE_WORDS = {
    "greater_than": ("gt", ">"),
    "greater_than_equal": ("ge", ">="),
    "less_than": ("lt", "<"),
    "less_than_equal": ("le", "<="),
    "too_short": ("min_length", "at least"),
    "too_long": ("max_length", "at most"),
}


def _range_rule(kind: str, ctx: Mapping[str, Any]) -> str | None:
    if kind not in _RANGE_WORDS:
        return None
    key, words = _RANGE_WORDS[kind]
    if kind in ("too_short", "too_long"):
        return f"must have {words} {ctx.get(key)} item(s)"
    return f"must be {words} {ctx.get(key)}"


def _is_union_tag(part: str | int) -> bool:
    # pydantic inserts the union member tried into the location (e.g. 'list[float]', 'str').
    return isinstance(part, str) and (
        "[" in part or part in {"str", "int", "float", "bool", "none", "date"}
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _allowed_fields(loc: tuple[str | int, ...]) -> list[str]:
    """Field names of the schema object at ``loc`` (for 'unknown field' messages)."""
    current: Any = Scenario
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            current = field.annotation if field else None
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] to reach a model or list type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            annotation = models[0] if models else members[0]
        else:
            return annotation


# --------------------------------------------------------------------------------------------------
# Rules that connect fields
# --------------------------------------------------------------------------------------------------


def _cross_check(s: Scenario) -> Iterator[InputIssue]:
    """Every rule that involves more than one field, as issues (nothing raised here)."""
    horizon_issues = list(_check_horizon(s))
    yield from horizon_issues
    window_ok = not horizon_issues
    queue_names = yield from _check_unique("queues", [q.name for q in s.queues])
    templates = [t.name for t in s.shift_templates]
    template_names = yield from _check_unique("shift_templates", templates)
    pool_names = yield from _check_unique("pools", [p.name for p in s.pools])
    yield from _check_queue_targets(s)
    if window_ok:
        yield from _check_demand(s)
        yield from _check_templates(s)
    yield from _check_surges(s, queue_names, window_ok)
    yield from _check_operating_modes(s, queue_names)
    yield from _check_pools(s, queue_names, template_names)
    yield from _check_headcount_changes(s, pool_names)


def _check_horizon(s: Scenario) -> Iterator[InputIssue]:
    h = s.horizon
    if h.window_end <= h.window_start:
        yield InputIssue(
            "horizon.window_end", clock_label(h.window_end), "must be later than window_start"
        )
    elif (h.window_end - h.window_start) % h.interval_minutes:
        yield InputIssue(
            "horizon.interval_minutes",
            h.interval_minutes,
            f"must divide the operating window {clock_label(h.window_start)}-"
            f"{clock_label(h.window_end)} ({h.window_end - h.window_start} min) into whole "
            "intervals",
        )


def _check_unique(path: str, names: list[str]):
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            yield InputIssue(f"{path}[{i}].name", name, "is used twice; names must be unique")
        seen.add(name)
    return seen


def _check_queue_targets(s: Scenario) -> Iterator[InputIssue]:
    for i, queue in enumerate(s.queues):
        if queue.max_abandon_rate is not None and queue.patience_seconds is None:
            yield InputIssue(
                f"queues[{i}].max_abandon_rate",
                queue.max_abandon_rate,
                "needs patience_seconds: without a patience the queue is sized by Erlang C, in "
                "which nobody hangs up, so an abandonment cap could not be checked",
            )


def _check_demand(s: Scenario) -> Iterator[InputIssue]:
    grid = s.grid
    sources = ("calls_per_day", "calls_per_weekday", "calls_by_day", "forecast_csv")
    for i, queue in enumerate(s.queues):
        demand = queue.demand
        if demand is None:
            continue
        path = f"queues[{i}].demand"
        given = [field for field in sources if getattr(demand, field) is not None]
        if len(given) != 1:
            yield InputIssue(
                path,
                MISSING,
                f"give exactly one of {', '.join(sources)} (found "
                f"{', '.join(given) if given else 'none'})",
            )
        if demand.calls_by_day is not None and len(demand.calls_by_day) != grid.days:
            yield InputIssue(
                f"{path}.calls_by_day",
                f"{len(demand.calls_by_day)} values",
                f"needs one value per horizon day ({grid.days})",
            )
        if demand.forecast_csv is None:
            yield from _check_profile(f"{path}.profile", demand.profile, grid)


def _check_profile(path: str, profile: str | list[float], grid: TimeGrid) -> Iterator[InputIssue]:
    try:
        profile_matrix(profile, grid)
    except ValueError as exc:
        shown = profile if isinstance(profile, str) else f"{len(profile)} shares"
        yield InputIssue(path, shown, str(exc))


def _check_templates(s: Scenario) -> Iterator[InputIssue]:
    h, step = s.horizon, s.horizon.interval_minutes
    window = f"{clock_label(h.window_start)}-{clock_label(h.window_end)}"
    longest = s.labour.max_shift_hours * 60
    for i, t in enumerate(s.shift_templates):
        path = f"shift_templates[{i}]"
        for field in ("length_minutes", "start_step_minutes"):
            if getattr(t, field) % step:
                yield InputIssue(
                    f"{path}.{field}", getattr(t, field), f"must be a multiple of {step} min"
                )
        if t.length_minutes > longest:
            yield InputIssue(
                f"{path}.length_minutes",
                t.length_minutes,
                f"is longer than labour.max_shift_hours ({s.labour.max_shift_hours:g} h)",
            )
        first, last = s.template_start_range(t)
        # Only the starts a user wrote are named in messages; unset ones follow from the window.
        for field in ("earliest_start", "latest_start"):
            minute = getattr(t, field)
            if minute is not None and (minute - h.window_start) % step:
                yield InputIssue(
                    f"{path}.{field}", clock_label(minute), f"must lie on the {step}-minute grid"
                )
        if first < h.window_start:
            yield InputIssue(
                f"{path}.earliest_start", clock_label(first), f"is before the window {window}"
            )
        window_minutes = h.window_end - h.window_start
        if t.length_minutes > window_minutes:
            yield InputIssue(
                f"{path}.length_minutes",
                t.length_minutes,
                f"a shift of {t.length_minutes} min does not fit the window {window} "
                f"({window_minutes} min)",
            )
        elif last + t.length_minutes > h.window_end:  # only a latest_start written can do this
            yield InputIssue(
                f"{path}.latest_start",
                clock_label(last),
                f"a shift of {t.length_minutes} min starting at {clock_label(last)} ends after "
                f"the window {window}",
            )
        elif first > last and t.latest_start is None:
            yield InputIssue(
                f"{path}.earliest_start",
                clock_label(first),
                f"a shift of {t.length_minutes} min starting at {clock_label(first)} ends after "
                f"the window {window}",
            )
        elif first > last:
            yield InputIssue(
                f"{path}.latest_start", clock_label(last), "must not be before earliest_start"
            )
        yield from _check_breaks(path, t, step)


def _check_breaks(path: str, t: ShiftTemplate, step: int) -> Iterator[InputIssue]:
    previous_end = 0
    for j, b in enumerate(t.breaks):
        bpath = f"{path}.breaks[{j}]"
        fields = ("length_minutes", "earliest_start_after_minutes", "latest_start_after_minutes")
        for field in fields:
            if getattr(b, field) % step:
                yield InputIssue(
                    f"{bpath}.{field}", getattr(b, field), f"must be a multiple of {step} min"
                )
        if b.latest_start_after_minutes < b.earliest_start_after_minutes:
            yield InputIssue(
                f"{bpath}.latest_start_after_minutes",
                b.latest_start_after_minutes,
                "must not be less than earliest_start_after_minutes",
            )
        if b.earliest_start_after_minutes < step or (
            b.latest_start_after_minutes + b.length_minutes > t.length_minutes - step
        ):
            yield InputIssue(
                f"{bpath}",
                f"{b.earliest_start_after_minutes}-{b.latest_start_after_minutes}",
                f"the break must start and end inside the {t.length_minutes}-minute shift, at "
                f"least one {step}-minute interval from either end",
            )
        if b.earliest_start_after_minutes < previous_end:
            yield InputIssue(
                f"{bpath}.earliest_start_after_minutes",
                b.earliest_start_after_minutes,
                "breaks are listed in order and their windows must not overlap: this break may "
                f"start before the previous one has surely ended ({previous_end} min)",
            )
        previous_end = b.latest_start_after_minutes + b.length_minutes


def _check_surges(s: Scenario, queue_names: set[str], window_ok: bool) -> Iterator[InputIssue]:
    for i, surge in enumerate(s.surges):
        path = f"surges[{i}]"
        if surge.queue not in queue_names:
            yield _unknown(f"{path}.queue", surge.queue, "queue", queue_names)
        if surge.profile is not None and window_ok:
            yield from _check_profile(f"{path}.profile", surge.profile, s.grid)
        elif window_ok and surge.added_calls_per_day > 0 and surge.queue in queue_names:
            demand = s.queue(surge.queue).demand
            if demand is None or demand.forecast_csv is not None:
                yield InputIssue(
                    f"{path}.profile",
                    MISSING,
                    "is required when adding calls to a queue without a daily profile of its own",
                )


def _check_operating_modes(s: Scenario, queue_names: set[str]) -> Iterator[InputIssue]:
    grid = s.grid
    for i, mode in enumerate(s.operating_modes):
        path = f"operating_modes[{i}]"
        for j, name in enumerate(mode.closed_queues):
            if name not in queue_names:
                yield _unknown(f"{path}.closed_queues[{j}]", name, "queue", queue_names)
        for j, day in enumerate(mode.dates):
            if not grid.dates[0] <= day <= grid.dates[-1]:
                yield InputIssue(f"{path}.dates[{j}]", day.isoformat(), "is outside the horizon")
        if not mode.weekdays and not mode.dates:
            yield InputIssue(path, MISSING, "give weekdays or dates on which the mode applies")


def _check_pools(s: Scenario, queue_names: set[str], template_names: set[str]):
    for i, pool in enumerate(s.pools):
        path = f"pools[{i}]"
        for j, skill in enumerate(pool.skills):
            if skill not in queue_names:
                yield _unknown(f"{path}.skills[{j}]", skill, "queue", queue_names)
        if len(set(pool.skills)) != len(pool.skills):
            yield InputIssue(f"{path}.skills", pool.skills, "lists a queue twice")
        for j, name in enumerate(pool.shift_templates):
            if name not in template_names:
                yield _unknown(
                    f"{path}.shift_templates[{j}]", name, "shift template", template_names
                )
        if pool.max_hours_per_week > s.labour.max_hours_per_week + 12:
            yield InputIssue(
                f"{path}.max_hours_per_week",
                pool.max_hours_per_week,
                f"exceeds labour.max_hours_per_week ({s.labour.max_hours_per_week:g} h) plus the "
                "12 h of overtime a month the Labour Code allows",
            )


def _check_headcount_changes(s: Scenario, pool_names: set[str]) -> Iterator[InputIssue]:
    grid = s.grid
    for i, change in enumerate(s.headcount_changes):
        path = f"headcount_changes[{i}]"
        if change.pool not in pool_names:
            yield _unknown(f"{path}.pool", change.pool, "pool", pool_names)
        if change.from_date and change.to_date and change.to_date < change.from_date:
            yield InputIssue(f"{path}.to_date", change.to_date.isoformat(), "is before from_date")
    if any(c.pool not in pool_names for c in s.headcount_changes):
        return
    for i, pool in enumerate(s.pools):
        headcount = s.headcount_matrix()[pool.name]
        if headcount.min() < 0:
            day = grid.dates[int(np.argmin(headcount))]
            yield InputIssue(
                f"pools[{i}].headcount",
                pool.headcount,
                f"after headcount_changes the pool would have {headcount.min()} operators on "
                f"{day.isoformat()}; it cannot fall below 0",
            )


def _unknown(path: str, value: str, kind: str, known: set[str]) -> InputIssue:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    listed = ", ".join(sorted(known)) or "none defined"
    return InputIssue(path, value, f"names no {kind}{hint}; known: {listed}")


# --------------------------------------------------------------------------------------------------
# Forecast files
# --------------------------------------------------------------------------------------------------

_FORECAST_COLUMNS = ("day", "interval_start", "queue", "calls")


def _load_forecasts(
    s: Scenario, base_dir: str | os.PathLike[str] | None, provided: Mapping[str, bytes | str]
) -> tuple[dict[str, pd.DataFrame], list[InputIssue]]:
    """Read and check every forecast file the queues refer to (each file once)."""
    tables: dict[str, pd.DataFrame] = {}
    issues: list[InputIssue] = []
    users: dict[str, list[tuple[int, str]]] = {}
    for i, q in enumerate(s.queues):
        if q.demand is not None and q.demand.forecast_csv is not None:
            users.setdefault(q.demand.forecast_csv, []).append((i, q.name))
    if any(True for _ in _check_horizon(s)):
        return tables, issues  # the grid is undefined; the horizon issue is reported already
    for name, queues in users.items():
        path = f"queues[{queues[0][0]}].demand.forecast_csv"
        raw, problem = _read_forecast_bytes(name, base_dir, provided)
        if problem:
            issues.append(InputIssue(path, name, problem))
            continue
        table, table_issues = _parse_forecast(raw, name, s, [q for _, q in queues])
        issues += [InputIssue(f"{path} ({name}) {i.path}", i.value, i.rule) for i in table_issues]
        if not table_issues:
            tables[name] = table
    return tables, issues


def _read_forecast_bytes(
    name: str, base_dir: str | os.PathLike[str] | None, provided: Mapping[str, bytes | str]
) -> tuple[bytes, str | None]:
    if name in provided:
        content = provided[name]
        return (content.encode() if isinstance(content, str) else content), None
    path = Path(name) if base_dir is None else Path(base_dir) / name
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return b"", f"cannot be read ({path}: {exc.strerror})"


def _parse_forecast(
    raw: bytes, name: str, s: Scenario, queues: list[str]
) -> tuple[pd.DataFrame, list[InputIssue]]:
    """Check a forecast table: columns, types, values, and exactly one row per interval."""
    grid = s.grid
    try:
        text_columns = {"day": str, "interval_start": str, "queue": str}
        table = pd.read_csv(io.BytesIO(raw), dtype=text_columns)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        return pd.DataFrame(), [InputIssue("(file)", MISSING, f"is not a readable CSV: {exc}")]
    missing = [c for c in _FORECAST_COLUMNS if c not in table.columns]
    extra = [c for c in table.columns if c not in (*_FORECAST_COLUMNS, "aht_seconds")]
    issues: list[InputIssue] = []
    if missing:
        issues.append(InputIssue("columns", list(table.columns), f"missing column(s) {missing}"))
    if extra:
        issues.append(
            InputIssue(
                "columns",
                extra,
                "unknown column(s); allowed: day, interval_start, queue, calls, aht_seconds",
            )
        )
    if issues:
        return table, issues

    def row_issue(mask: pd.Series, column: str, rule: str) -> None:
        for index in np.flatnonzero(mask.to_numpy())[:5]:
            value = table[column].iloc[index]
            value = value.item() if isinstance(value, np.generic) else value  # -1.0, not np.float64
            issues.append(InputIssue(f"row {index + 2}, {column}", value, rule))
        if mask.sum() > 5:
            issues.append(InputIssue(column, f"{int(mask.sum())} rows", rule))

    days = pd.to_datetime(table["day"], format="%Y-%m-%d", errors="coerce")
    row_issue(days.isna(), "day", "must be a date YYYY-MM-DD")
    day_index = (days - pd.Timestamp(grid.start_date)).dt.days
    row_issue(days.notna() & ~day_index.between(0, grid.days - 1), "day", "is outside the horizon")
    labels = {label: i for i, label in enumerate(grid.interval_labels)}
    interval = table["interval_start"].map(labels)
    row_issue(
        interval.isna(),
        "interval_start",
        f"is not an interval start of the window (HH:MM every {grid.interval_minutes} min)",
    )
    row_issue(~table["queue"].isin(queues + [q.name for q in s.queues]), "queue", "names no queue")
    for column in ("calls", "aht_seconds"):
        if column not in table.columns:
            continue
        values = pd.to_numeric(table[column], errors="coerce")
        bound_ok = values >= 0 if column == "calls" else values > 0
        rule = "must be a number >= 0" if column == "calls" else "must be a number > 0"
        row_issue(~(values.notna() & bound_ok & np.isfinite(values)), column, rule)
        table[column] = values
    if issues:
        return table, issues

    table = table.assign(day_index=day_index.astype(int), interval=interval.astype(int))
    for queue in queues:
        rows = table[table["queue"] == queue]
        key = rows["day_index"] * grid.intervals_per_day + rows["interval"]
        duplicated = key[key.duplicated()]
        for k in duplicated.unique()[:5]:
            issues.append(_slot_issue(grid, queue, int(k), "appears more than once"))
        absent = np.setdiff1d(np.arange(grid.days * grid.intervals_per_day), key.to_numpy())
        for k in absent[:5]:
            issues.append(_slot_issue(grid, queue, int(k), "is missing"))
        if absent.size > 5:
            issues.append(
                InputIssue(f"queue {queue}", f"{absent.size} intervals", "are missing in all")
            )
    return table, issues


def _load_operators(
    s: Scenario, base_dir: str | os.PathLike[str] | None, provided: Mapping[str, bytes | str]
) -> tuple[tuple | None, list[InputIssue]]:
    """Read and check the operators file, if the scenario names one (rules in
    :mod:`planner.roster.operators`)."""
    name = s.operators_file
    if name is None or any(True for _ in _check_horizon(s)):
        return None, []
    from planner.roster.operators import parse_operators  # the roster package owns the format

    raw, problem = _read_forecast_bytes(name, base_dir, provided)
    if problem:
        return None, [InputIssue("operators_file", name, problem)]
    try:
        operators, issues = parse_operators(raw, name, s)
    except UnicodeDecodeError as exc:
        return None, [InputIssue("operators_file", name, f"is not UTF-8 text ({exc.reason})")]
    return operators, [
        InputIssue(f"operators_file ({name}) {i.path}", i.value, i.rule) for i in issues
    ]


def _slot_issue(grid: TimeGrid, queue: str, key: int, what: str) -> InputIssue:
    day, interval = divmod(key, grid.intervals_per_day)
    where = f"{grid.dates[day].isoformat()} {grid.interval_labels[interval]}"
    return InputIssue(f"queue {queue}, {where}", MISSING, f"{what}: every interval needs one row")


# --------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------


def dump_scenario_yaml(scenario: Scenario) -> str:
    """The scenario as YAML text that :func:`load_scenario` reads back to an equal scenario."""
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    data = {"schema_version": SCHEMA_VERSION, **data}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_scenario(scenario: Scenario, path: str | os.PathLike[str], *, overwrite: bool = False):
    """Write a scenario file atomically (temporary file, then rename).

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is not set: a user's file is never replaced without
        an explicit request.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists; choose another name or confirm overwriting it")
    write_atomic(path, dump_scenario_yaml(scenario).encode("utf-8"))


def write_atomic(path: str | os.PathLike[str], content: bytes) -> None:
    """Write ``content`` to ``path`` so readers see the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
