"""The optimiser's input: a scenario and its requirement as integers on the time grid.

Nothing here knows about the solver. Times are interval indices, durations are numbers of
intervals, money is in hundredths of the scenario's cost unit (the solver needs integers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import numpy as np
import pandas as pd

from planner.domain.scenario import Scenario
from planner.evaluate import answered_curves, service_metrics
from planner.labour import (
    PoolLimit,
    PoolOvertimeCap,
    pool_limits,
    pool_overtime_caps,
    pool_weekly_cap_minutes,
)
from planner.timegrid import TimeGrid

__all__ = [
    "MONEY_SCALE",
    "BreakOption",
    "DailyCurve",
    "Instance",
    "ShiftOption",
    "build_instance",
]

MONEY_SCALE = 10_000
"""Objective coefficients are money x MONEY_SCALE, rounded to integers (fine enough that the
small ``daily`` mode reward per call answered stays a whole, non-zero number)."""

DAILY_CALL_SCALE = 100
SERVICE_VALUE_SCALE = 100
"""(``interval`` mode) Service values are counted in hundredths of a call."""
"""In ``daily`` mode, calls answered within T are counted in hundredths of a call."""


@dataclass(frozen=True)
class BreakOption:
    """A break of a shift: it starts ``first``..``last`` intervals after the shift start."""

    name: str
    first: int
    last: int
    length: int
    paid: bool


@dataclass(frozen=True)
class ShiftOption:
    """One (day, pool, template, start) the model may use: how many agents start is a variable."""

    index: int
    day: int
    pool: int
    template: int
    start: int
    length: int
    paid_minutes: int
    part_time: bool
    breaks: tuple[BreakOption, ...]

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass(frozen=True)
class DailyCurve:
    """(``daily`` mode) One queue-day's answered-within-T curves, in hundredths of a call.

    ``answered[i, s]`` is what interval i answers within T with s agents on duty
    (s = 0..top); ``floor_agents[i]`` the fewest agents giving interval i the floor service
    level (``top + 1`` if even ``top`` cannot); ``target`` the calls the day must answer in time.
    Intervals with no calls have an all-zero row and a floor of 0.
    """

    answered: np.ndarray
    floor_agents: np.ndarray
    target: int

    @property
    def top(self) -> int:
        return self.answered.shape[1] - 1


@dataclass(frozen=True)
class Instance:
    """Everything the CP-SAT model needs, as plain arrays and option lists.

    Arrays over queues or pools are indexed in scenario order; ``(D, n)`` arrays are days x
    intervals per day.
    """

    scenario: Scenario
    grid: TimeGrid
    queue_names: tuple[str, ...]
    pool_names: tuple[str, ...]
    required: np.ndarray  # (Q, D, n) agents on duty required
    calls: np.ndarray  # (Q, D, n)
    aht: np.ndarray  # (Q, D, n) seconds
    queue_open: np.ndarray  # (Q, D) bool
    min_agents: np.ndarray  # (Q,)
    priority: np.ndarray  # (Q,) queues[].priority
    pool_skills: tuple[tuple[int, ...], ...]  # queues each pool may serve
    headcount: np.ndarray  # (P, D)
    cost_per_interval: np.ndarray  # (P,) money x MONEY_SCALE per agent-interval paid
    weekly_cap_minutes: dict[tuple[int, int], int]  # (pool, block) -> paid minutes allowed
    work_limits: tuple[PoolLimit, ...]  # what the labour rules let whole pools work
    part_time_share: tuple[Fraction | None, ...]  # (P,)
    options: tuple[ShiftOption, ...]
    shortfall_weight: int  # per agent-interval short, money x MONEY_SCALE
    overstaffing_weight: int  # per agent-interval over the requirement
    daily_shortfall_weight: float  # per hundredth of a call short of the daily target
    answered_reward: int  # per hundredth of a call answered within T (daily mode tie-breaker)
    mode: str  # "interval" or "daily"
    requirement: pd.DataFrame
    daily_curves: dict[tuple[int, int], DailyCurve]  # (queue, day) -> curve; daily mode only
    service_curves: dict[tuple[int, int], np.ndarray]  # (queue, day) -> values; interval mode
    service_weight: int  # per value unit of service_curves, money x MONEY_SCALE
    overtime_budget: dict[int, tuple[int, int]] = field(default_factory=dict)
    """(A one-week block of a horizon whose overtime caps couple its weeks) pool -> (normal
    minutes of its operators this week, overtime minutes this week may use): the week's share
    of the caps, given by :func:`planner.shiftplan.overtime_budgets`."""

    @property
    def days(self) -> int:
        return self.grid.days

    @property
    def intervals(self) -> int:
        return self.grid.intervals_per_day

    @cached_property
    def limit_terms(self) -> tuple[tuple[tuple[ShiftOption, int], ...], ...]:
        """For each of :attr:`work_limits`, the options it counts with their weights (its
        pool's shifts on its days that it weighs above 0)."""
        pool = np.array([o.pool for o in self.options], dtype=np.int64)
        day = np.array([o.day for o in self.options], dtype=np.int64)
        span = np.array([o.length for o in self.options], dtype=float) * self.grid.interval_minutes
        paid = np.array([o.paid_minutes for o in self.options], dtype=float)
        terms = []
        for limit in self.work_limits:
            weight = limit.weight(span, paid)
            counted = (pool == limit.pool) & np.isin(day, limit.days) & (weight > 0)
            terms.append(tuple((self.options[i], int(weight[i])) for i in np.flatnonzero(counted)))
        return tuple(terms)

    @cached_property
    def overtime_caps(self) -> tuple[PoolOvertimeCap, ...]:
        """The monthly and yearly overtime caps of whole pools that can bind
        (:func:`planner.labour.pool_overtime_caps`)."""
        return pool_overtime_caps(self.scenario)

    def block_of(self, day: int) -> int:
        """The week (:attr:`planner.timegrid.TimeGrid.weeks`) a day belongs to."""
        return self.grid.week_of(day)

    def open_skills(self, pool: int, day: int) -> tuple[int, ...]:
        """Queues a pool can serve on a day: its skills that are open that day."""
        return tuple(q for q in self.pool_skills[pool] if self.queue_open[q, day])

    def is_flexible(self, pool: int, day: int) -> bool:
        return len(self.open_skills(pool, day)) > 1

    def max_on_duty(self, queue: int, day: int) -> int:
        """Most agents that could ever be on duty for a queue on a day (variable bounds)."""
        return int(
            sum(
                self.headcount[p, day]
                for p in range(len(self.pool_names))
                if queue in self.open_skills(p, day)
            )
        )


def build_instance(scenario: Scenario, requirement: pd.DataFrame) -> Instance:
    """Turn a scenario and its requirement table into the optimiser's integer instance.

    Parameters
    ----------
    scenario : Scenario
    requirement : pandas.DataFrame
        From :func:`planner.staffing.build_requirement`.
    """
    grid = scenario.grid
    shape = (grid.days, grid.intervals_per_day)
    queue_names = tuple(q.name for q in scenario.queues)
    pool_names = tuple(p.name for p in scenario.pools)
    by_queue = {name: rows for name, rows in requirement.groupby("queue", sort=False)}  # noqa: C416 - GroupBy has a .keys attribute, dict() would misread it

    def per_queue(column: str, dtype) -> np.ndarray:
        return np.stack(
            [by_queue[q][column].to_numpy(dtype=dtype).reshape(shape) for q in queue_names]
        )

    required = per_queue("required_agents", np.int64)
    calls = per_queue("calls", float)
    aht = per_queue("aht_seconds", float)
    open_by_queue = scenario.open_matrix()
    queue_open = np.stack([open_by_queue[q] for q in queue_names])
    headcount_by_pool = scenario.headcount_matrix()
    headcount = np.stack([headcount_by_pool[p] for p in pool_names])
    pool_skills = tuple(tuple(queue_names.index(s) for s in pool.skills) for pool in scenario.pools)
    interval_hours = grid.interval_hours
    cost_per_interval = np.array(
        [round(p.cost_per_hour * interval_hours * MONEY_SCALE) for p in scenario.pools],
        dtype=np.int64,
    )
    part_time_share = tuple(
        None
        if pool.max_part_time_share is None
        else Fraction(pool.max_part_time_share).limit_denominator(10_000)
        for pool in scenario.pools
    )
    options = _shift_options(scenario, grid, pool_skills, queue_open, headcount)
    # Prices from the whole scenario when this is a part of one planned on its own.
    whole = scenario._priced_as or scenario
    longest_hours = max(t.length_minutes for t in whole.shift_templates) / 60
    top_cost = max(max(p.cost_per_hour for p in whole.pools), 1e-6)
    w = whole.weights
    # A missing agent-interval must cost more than the longest, dearest shift that could cover it,
    # so that while staff remain, no interval is left short to save money.
    shortfall_per_hour = (
        w.shortfall_per_agent_hour or 1.5 * longest_hours * top_cost / interval_hours
    )
    over_per_hour = (
        w.overstaffing_per_agent_hour
        if w.overstaffing_per_agent_hour is not None
        else 0.02 * min(p.cost_per_hour for p in whole.pools)
    )
    # A call short of the daily target costs as much as a long, dear shift.
    per_call = w.daily_service_shortfall_per_call or 1.5 * longest_hours * top_cost
    # A call answered in time earns a hundredth of what one agent-interval of the cheapest pool
    # costs, divided by the most calls one agent can answer in an interval: adding an agent can
    # never pay for itself through the reward, which only ranks plans of equal cost.
    fastest_calls = grid.interval_seconds / min(q.aht_seconds for q in whole.queues)
    cheapest = min(p.cost_per_hour for p in whole.pools) * interval_hours
    reward_per_call = 0.01 * cheapest / fastest_calls
    # A call answered in time is worth what an agent-interval short costs, over the most calls
    # an agent can answer in an interval: the service term adds at most that much again per
    # agent short, so it ranks the shortfalls without outweighing the requirement.
    call_price = shortfall_per_hour * interval_hours / fastest_calls
    return Instance(
        scenario=scenario,
        grid=grid,
        queue_names=queue_names,
        pool_names=pool_names,
        required=required,
        calls=calls,
        aht=aht,
        queue_open=queue_open,
        min_agents=np.array([q.min_agents for q in scenario.queues], dtype=np.int64),
        priority=np.array([q.priority for q in scenario.queues], dtype=np.int64),
        pool_skills=pool_skills,
        headcount=headcount,
        cost_per_interval=cost_per_interval,
        weekly_cap_minutes=pool_weekly_cap_minutes(scenario),
        work_limits=pool_limits(scenario),
        part_time_share=part_time_share,
        options=options,
        shortfall_weight=max(1, round(shortfall_per_hour * interval_hours * MONEY_SCALE)),
        overstaffing_weight=round(over_per_hour * interval_hours * MONEY_SCALE),
        daily_shortfall_weight=per_call * MONEY_SCALE / DAILY_CALL_SCALE,
        answered_reward=max(1, int(reward_per_call * MONEY_SCALE / DAILY_CALL_SCALE)),
        mode=scenario.service.mode,
        requirement=requirement,
        daily_curves=_daily_curves(scenario, calls, aht, queue_open, headcount, pool_skills)
        if scenario.service.mode == "daily"
        else {},
        service_curves=_service_curves(scenario, calls, aht, queue_open, required, call_price)
        if scenario.service.mode == "interval"
        else {},
        service_weight=max(1, round(call_price * MONEY_SCALE / SERVICE_VALUE_SCALE)),
    )


def _service_curves(scenario, calls, aht, queue_open, required, per_call):
    """(``interval`` mode) Per open queue-day, what 0..R agents are worth to callers per
    interval, R the day's largest requirement: ``SERVICE_VALUE_SCALE x (v_in x answered within
    T - v_ab x abandoned)`` as whole numbers, with ``v_in`` the queue's
    ``value_per_call_in_time`` (else its ``priority``) and ``v_ab`` its ``cost_per_abandon``
    (else 0), both in units of ``per_call`` money."""
    interval_seconds = scenario.grid.interval_seconds
    curves = {}
    for q, queue in enumerate(scenario.queues):
        v_in = queue.priority
        if queue.value_per_call_in_time is not None:
            v_in = queue.value_per_call_in_time / per_call
        v_ab = 0.0 if queue.cost_per_abandon is None else queue.cost_per_abandon / per_call
        for d in np.flatnonzero(queue_open[q]):
            d = int(d)
            top = int(required[q, d].max(initial=0))
            if top <= 0:
                continue
            staffing = np.arange(top + 1)[None, :]
            m = service_metrics(  # no ASA: most of the time at large loads, and unused here
                queue,
                calls[q, d][:, None],
                aht[q, d][:, None],
                interval_seconds,
                staffing,
                asa=False,
            )
            abandoned = np.nan_to_num(m.abandon_rate, nan=0.0) * calls[q, d][:, None]
            value = v_in * m.answered_within_target - v_ab * abandoned
            curves[(q, d)] = np.floor(value * SERVICE_VALUE_SCALE + 1e-9).astype(np.int64)
    return curves


def _daily_curves(scenario, calls, aht, queue_open, headcount, pool_skills):
    """Answered-within-T curves per open queue-day, from the queueing engine."""

    floor = scenario.service.daily_interval_floor
    interval_seconds = scenario.grid.interval_seconds
    curves = {}
    for q, queue in enumerate(scenario.queues):
        for d in np.flatnonzero(queue_open[q]):
            d = int(d)
            top = int(
                sum(
                    headcount[p, d]
                    for p, skills in enumerate(pool_skills)
                    if q in skills and any(queue_open[k, d] for k in skills)
                )
            )
            answered, level = answered_curves(queue, calls[q, d], aht[q, d], interval_seconds, top)
            scaled = np.floor(answered * DAILY_CALL_SCALE + 1e-9).astype(np.int64)
            reaches = level >= floor - 1e-12
            floor_agents = np.where(reaches.any(axis=1), reaches.argmax(axis=1), top + 1)
            floor_agents = np.where(calls[q, d] > 0, floor_agents, 0)
            scaled[calls[q, d] <= 0] = 0
            target = int(np.ceil(queue.service_level * calls[q, d].sum() * DAILY_CALL_SCALE))
            curves[(q, d)] = DailyCurve(scaled, floor_agents.astype(np.int64), target)
    return curves


def _shift_options(scenario, grid, pool_skills, queue_open, headcount) -> tuple[ShiftOption, ...]:
    """Every (day, pool, template, start) a pool may work: the model's decision space.

    A pool gets options only on days it has operators and at least one of its queues is open
    (hard rule ``pool_works_open_days``); starts and breaks follow the template (hard rules
    ``shift_start_allowed`` and ``breaks_in_windows``), so these rules hold by construction.
    """
    step = grid.interval_minutes
    per_template = {}
    for t, template in enumerate(scenario.shift_templates):
        starts = [grid.interval_of(int(m)) for m in scenario.template_start_minutes(template)]
        breaks = tuple(
            BreakOption(
                b.name,
                b.earliest_start_after_minutes // step,
                b.latest_start_after_minutes // step,
                b.length_minutes // step,
                b.paid,
            )
            for b in template.breaks
        )
        per_template[template.name] = (t, template, starts, breaks, template.paid_minutes)
    options = []
    for day in range(grid.days):
        for p, pool in enumerate(scenario.pools):
            if headcount[p, day] <= 0 or not any(queue_open[q, day] for q in pool_skills[p]):
                continue
            for name in pool.shift_templates:
                t, template, starts, breaks, paid = per_template[name]
                for start in starts:
                    options.append(
                        ShiftOption(
                            index=len(options),
                            day=day,
                            pool=p,
                            template=t,
                            start=start,
                            length=template.length_minutes // step,
                            paid_minutes=paid,
                            part_time=template.part_time,
                            breaks=breaks,
                        )
                    )
    return tuple(options)
