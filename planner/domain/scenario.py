"""The scenario schema: everything the planner needs, as typed, immutable objects.

A scenario says the horizon and operating window, the queues with their service targets, where
the calls come from (profiles, forecasts, surges, self-service deflection, days a line is
closed), the staff pools and the shifts they may work, and how the optimiser should run.
``scenarios/README.md`` is the field reference; this module is its source of truth.

Structure and types are checked by pydantic (unknown keys are errors, numbers are not silently
converted from strings); the rules that connect fields are :mod:`planner.domain.checks`; reading
a file, and the files it names, is :mod:`planner.io.scenario_file`.

Units live in the field names: ``aht_seconds``, ``length_minutes``, ``cost_per_hour``. Clock times
are ``"HH:MM"`` strings; dates are ISO dates (``2022-01-10``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
)

from planner.domain import limits as L
from planner.domain.sites import NATIONAL, Distribution, Site, site_of_name
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
    "RoutingSettings",
    "Scenario",
    "ServiceSettings",
    "ShiftTemplate",
    "SolverSettings",
    "Surge",
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
    Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*(@[A-Za-z][A-Za-z0-9_.-]*)?$", max_length=64),
]
"""An identifier: a letter, then letters, digits, ``_``, ``.`` or ``-`` (no spaces); optionally
``@`` and a site's name, for a queue, template or surge compiled for one site
(:mod:`planner.domain.sites`)."""

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
IsoDate = Annotated[date, Field(strict=False, ge=L.DATE_MIN, le=L.DATE_MAX)]
"""An ISO date in 2000-01-01 .. 2100-12-31 (:mod:`planner.domain.limits`)."""
Share = Annotated[float, Field(ge=0.0, lt=1.0)]
Probability = Annotated[float, Field(gt=0.0, lt=1.0)]
# Bounded numbers (every float is finite: ``allow_inf_nan=False`` on every schema object).
Calls = Annotated[float, Field(ge=0.0, le=L.MAX_CALLS_PER_DAY)]
HandlingSeconds = Annotated[float, Field(ge=L.MIN_HANDLING_SECONDS, le=L.MAX_HANDLING_SECONDS)]
ProfileWeight = Annotated[float, Field(ge=0.0, le=L.MAX_PROFILE_WEIGHT)]
Profile = str | Annotated[list[ProfileWeight], Field(max_length=L.MINUTES_PER_DAY)]
SurgeDays = Annotated[float, Field(ge=0.0, le=L.MAX_SURGE_DAYS)]
PositiveSurgeDays = Annotated[float, Field(gt=0.0, le=L.MAX_SURGE_DAYS)]
Weight = Annotated[float, Field(ge=0.0, le=L.MAX_WEIGHT)]
PositiveWeight = Annotated[float, Field(gt=0.0, le=L.MAX_WEIGHT)]
ShiftHours = Annotated[float, Field(gt=0.0, le=L.MAX_SHIFT_HOURS)]
WeekHours = Annotated[float, Field(gt=0.0, le=L.MAX_HOURS_PER_WEEK)]


class _Strict(BaseModel):
    """Base of every schema object: unknown keys are errors, values are not coerced, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


# --------------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------------


class Horizon(_Strict):
    """The days planned and the daily operating window, cut into equal intervals."""

    start_date: IsoDate
    days: int = Field(ge=1, le=L.MAX_HORIZON_DAYS)
    window_start: ClockTime = parse_clock("09:00")
    window_end: ClockTime = parse_clock("21:00")
    interval_minutes: Literal[5, 15, 30, 60] = 15


class QueueDemand(_Strict):
    """Where a queue's baseline calls come from: daily volumes and a profile, a forecast file,
    or a forecast made from a history file.

    Exactly one of ``calls_per_day``, ``calls_per_weekday``, ``calls_by_day``, ``forecast_csv``
    and ``history_csv`` is given. With ``history_csv`` (columns ``interval_start, queue,
    calls[, aht_seconds]``, this queue's rows by its name) the calls are forecast by
    ``method`` (:mod:`planner.forecast`) with ``weeks`` for the same-weekday mean and the public
    holidays of ``country``.
    """

    calls_per_day: Calls | None = None
    calls_per_weekday: dict[Weekday, Calls] | None = None
    calls_by_day: Annotated[list[Calls], Field(max_length=L.MAX_HORIZON_DAYS)] | None = None
    profile: Profile = "bank_weekday"
    forecast_csv: str | None = None
    history_csv: str | None = None
    method: Literal["auto", "seasonal_naive", "weekday_mean", "ets", "mstl"] = "auto"
    weeks: int = Field(default=8, ge=1, le=104)
    country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")] | None = "KZ"


class Queue(_Strict):
    """A line callers dial, with its handling time, caller patience and service targets.

    ``min_agents`` is a hard floor: on a day the queue is open, every interval has at least this
    many agents on duty for it, whatever the calls (a line never left unattended).
    """

    name: Name
    aht_seconds: HandlingSeconds
    patience_seconds: HandlingSeconds | None = None
    service_level: Probability = 0.8
    answer_within_seconds: Annotated[float, Field(ge=0.0, le=L.MAX_ANSWER_SECONDS)] = 20.0
    max_abandon_rate: Probability | None = None
    max_asa_seconds: Annotated[float, Field(gt=0.0, le=L.MAX_ANSWER_SECONDS)] | None = None
    max_occupancy: Annotated[float, Field(gt=0.0, le=1.0)] | None = None
    shrinkage: Annotated[float, Field(ge=0.0, le=0.9)] = 0.0
    staffing_lag_seconds: Annotated[float, Field(ge=0.0, le=L.MAX_LAG_SECONDS)] = 0.0
    self_service_share: Share = 0.0
    min_agents: int = Field(default=0, ge=0, le=L.MAX_HEADCOUNT)
    demand: QueueDemand | None = None
    priority: int = Field(default=1, ge=1, le=L.MAX_PRIORITY)
    value_per_call_in_time: Weight | None = None
    cost_per_abandon: Weight | None = None
    confidence: Probability | None = None
    """Risk-level staffing for this queue (overrides ``service.confidence``)."""
    distribution: Distribution | None = None
    """With ``sites``: how the queue's calls reach the sites, ``split`` or ``pooled``
    (:mod:`planner.domain.sites`)."""


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
    ramp_up_days: SurgeDays = 0.0
    plateau_days: SurgeDays = 0.0
    half_life_days: PositiveSurgeDays | None = None
    duration_days: PositiveSurgeDays | None = None
    peak_multiplier: Annotated[float, Field(ge=0.0, le=L.MAX_SURGE_MULTIPLIER)] = 1.0
    added_calls_per_day: Calls = 0.0
    profile: Profile | None = None


class OperatingMode(_Strict):
    """Days on which some queues are closed (no calls, no agents), e.g. weekends."""

    name: Name
    weekdays: list[Weekday] = []
    dates: list[IsoDate] = []
    closed_queues: list[Name] = Field(min_length=1)


class HeadcountChange(_Strict):
    """A change in a pool's daily headcount over a date range (secondments, borrowed staff)."""

    pool: Name
    change: int = Field(ge=-L.MAX_HEADCOUNT, le=L.MAX_HEADCOUNT)
    from_date: IsoDate | None = None
    to_date: IsoDate | None = None
    reason: str = ""


class Break(_Strict):
    """A break inside a shift, placed by the optimiser inside its window.

    The window is relative to the shift start: the break starts between
    ``earliest_start_after_minutes`` and ``latest_start_after_minutes`` after the shift starts.
    """

    name: Name = "break"
    length_minutes: int = Field(gt=0, le=L.MAX_BREAK_MINUTES)
    paid: bool = False
    earliest_start_after_minutes: int = Field(ge=0, le=L.MAX_BREAK_MINUTES)
    latest_start_after_minutes: int = Field(ge=0, le=L.MAX_BREAK_MINUTES)


class ShiftTemplate(_Strict):
    """A kind of shift: its length, allowed start times and breaks."""

    name: Name
    length_minutes: int = Field(gt=0, le=L.MINUTES_PER_DAY)
    earliest_start: ClockTime | None = None
    latest_start: ClockTime | None = None
    start_step_minutes: int = Field(default=30, gt=0, le=L.MINUTES_PER_DAY)
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
    headcount: int = Field(ge=0, le=L.MAX_HEADCOUNT)
    cost_per_hour: Annotated[float, Field(ge=0.0, le=L.MAX_COST_PER_HOUR)] = 1.0
    shift_templates: list[Name] = Field(min_length=1)
    max_hours_per_week: WeekHours = 40.0
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
    confidence: Probability | None = None
    """Risk-level staffing: each interval is staffed so that its service target is met with
    this probability over the forecast's uncertainty (queues with ``history_csv`` demand;
    :mod:`planner.staffing`). Unset: staffed to the point forecast."""


class RoutingSettings(_Strict):
    """How the agents of a flexible pool (one serving several queues) choose their calls.

    ``policy``: ``priority`` (a free agent takes the waiting call of the highest-priority queue
    it serves, ``queues[].priority``, larger first; the longest-waiting between equals),
    ``longest_waiting`` (the call that has waited longest among its queues) or ``plan_split``
    (each agent answers the queue the plan allocated it to). The simulator routes by it.
    ``block_minutes``: the plan's allocation of a flexible pool between its queues changes only
    at the start of a block this long (agents joining or leaving inside a block take or leave
    places, but nobody changes line inside it); a multiple of the interval.
    """

    policy: Literal["priority", "longest_waiting", "plan_split"] = "priority"
    block_minutes: int = Field(default=60, ge=1, le=L.MINUTES_PER_DAY)


class ObjectiveWeights(_Strict):
    """Penalty weights, in the same money units as ``cost_per_hour``.

    Unset weights take defaults derived from the scenario (see ``planner.shiftplan``).
    """

    shortfall_per_agent_hour: PositiveWeight | None = None
    overstaffing_per_agent_hour: Weight | None = None
    daily_service_shortfall_per_call: PositiveWeight | None = None


class SolverSettings(_Strict):
    """CP-SAT settings, applied in one place (``planner.cpsat.solve``).

    One worker (the default) gives reproducible plans; more workers may be faster on large
    instances, but their plans can differ between runs.
    """

    time_limit_seconds: Annotated[float, Field(gt=0.0, le=L.MAX_TIME_LIMIT_SECONDS)] = 20.0
    relative_gap: Annotated[float, Field(ge=0.0, lt=1.0)] = 0.01
    seed: int = Field(default=0, ge=0, le=L.MAX_SEED)
    workers: int = Field(default=1, ge=1, le=L.MAX_WORKERS)
    reproducible: bool = False
    """(One worker) Let the deterministic time limit alone end the plan's search, with no
    wall-clock limit: the plan is then the same on every machine and executor however busy
    (a sweep on Dask gives the local table), and takes as long as its work takes there."""


class LabourRules(_Strict):
    """Labour-law limits (Kazakhstan Labour Code defaults) used by shifts and rosters.

    ``max_hours_per_week`` is the normal working week: an operator's paid hours in a week
    beyond it are overtime (a pool's or an operator's weekly hours may exceed it, by at most
    the overtime the caps allow in a week). Overtime is counted per 7-day week (summarised
    accounting, as for shift work) and capped three ways (:mod:`planner.labour`): at most
    ``max_overtime_hours_per_day`` for each day worked that week, and at most
    ``max_overtime_hours_per_month`` / ``_per_year`` over the weeks touching a calendar month
    / year, less what an operator had already worked before the horizon
    (:class:`~planner.domain.operators.Operator`).
    """

    max_shift_hours: ShiftHours = 12.0
    max_hours_per_week: WeekHours = 40.0
    max_overtime_hours_per_day: Annotated[float, Field(ge=0.0, le=L.MAX_SHIFT_HOURS)] = 2.0
    max_overtime_hours_per_month: Annotated[float, Field(ge=0.0, le=L.MAX_OVERTIME_HOURS)] = 12.0
    max_overtime_hours_per_year: Annotated[float, Field(ge=0.0, le=L.MAX_OVERTIME_HOURS)] = 120.0
    min_rest_hours: Annotated[float, Field(ge=0.0, le=L.MAX_REST_HOURS)] = 11.0
    min_days_off_per_week: int = Field(default=2, ge=0, le=7)
    max_consecutive_days: int = Field(default=6, ge=1, le=L.MAX_CONSECUTIVE_DAYS)
    no_consecutive_long_shifts: bool = True
    long_shift_hours: ShiftHours = 12.0


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
    routing: RoutingSettings = RoutingSettings()
    weights: ObjectiveWeights = ObjectiveWeights()
    solver: SolverSettings = SolverSettings()
    labour: LabourRules = LabourRules()
    operators_file: str | None = None
    sites: list[Site] = []
    """Several centres in one scenario (:mod:`planner.domain.sites`); empty: one centre."""

    _source: str = PrivateAttr(default="scenario")
    _forecasts: dict[str, pd.DataFrame] = PrivateAttr(default_factory=dict)
    _histories: dict[str, object] = PrivateAttr(default_factory=dict)
    _operators: tuple | None = PrivateAttr(default=None)
    _priced_as: Scenario | None = PrivateAttr(default=None)
    """A part of a scenario planned on its own (one of its independent groups of pools and
    queues) is priced as the whole, so that the parts' objectives add up to the whole's."""

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

    def pool_site(self, pool: str) -> str | None:
        """The site a pool works at (``sites[].pools``); None in a one-centre scenario."""
        return next((s.name for s in self.sites if pool in s.pools), None)

    def queue_site(self, queue: str) -> str | None:
        """The site answering a queue: a split queue's site, ``national`` for a queue served by
        every site (pooled); None in a one-centre scenario."""
        if not self.sites:
            return None
        site = site_of_name(queue)
        return site if any(s.name == site for s in self.sites) else NATIONAL

    @property
    def operators(self) -> tuple | None:
        """The named operators read from ``operators_file`` (``planner.io.operators_file``), or
        None when the scenario names no operators file."""
        return self._operators

    def forecast(self, csv_name: str) -> pd.DataFrame:
        """The validated forecast table a queue's ``demand.forecast_csv`` refers to."""
        return self._forecasts[csv_name]

    def history(self, csv_name: str):
        """The checked history (:class:`planner.io.history.History`) a queue's
        ``demand.history_csv`` refers to."""
        return self._histories[csv_name]

    def confidence(self, queue: Queue) -> float | None:
        """The risk level a queue is staffed to: its own, else the scenario's, else None."""
        return queue.confidence if queue.confidence is not None else self.service.confidence

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
        already (:func:`planner.io.operators_file.load_operators`); None: generated ones."""
        copy = self.with_source(self._source)
        copy._operators = None if operators is None else tuple(operators)
        return copy

    def with_source(self, source: str) -> Scenario:
        """The same scenario, reporting ``source`` in messages (forecast tables kept)."""
        copy = self.model_copy()
        copy._source = source
        copy._forecasts = dict(self._forecasts)
        copy._histories = dict(self._histories)
        return copy


def _date_mask(grid: TimeGrid, change: HeadcountChange) -> np.ndarray:
    first = change.from_date or grid.dates[0]
    last = change.to_date or grid.dates[-1]
    return np.array([first <= d <= last for d in grid.dates], dtype=np.int64)
