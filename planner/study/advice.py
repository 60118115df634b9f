"""Advice when a plan is short: what would lift each line's day to its service target.

A shift manager reading a plan that misses 80/20 on Monday's emergency line asks "how many more
people, when, and what does it cost?". :func:`advise` answers per line (queue) and day whose
call-weighted daily service level is below the queue's target:

1. the short window, reported with the advice: the first to the last interval where the plan
   staffs the line below its requirement (the whole open day when no interval is short but the
   day still misses); the added shifts may fall anywhere in the day, where they help most;
2. for each pool with the line's skill, cheapest ``cost_per_hour`` first: whole shifts of the
   pool's templates (every allowed start and break placement) are added one agent at a time on
   top of the plan, each time the shift that adds the most calls answered in time per unit of
   cost, until the day meets the target, the added agents reach ``max_agents``, or no shift
   helps. The first pool whose shifts meet the target is advised (else the pool that got
   closest);
3. the day's service level before and after is the formulas' (:mod:`planner.evaluate`): the
   added agents answer only that line (a flexible pool's added agents are allocated wholly to
   it), after the queue's shrinkage, interpolated as everywhere else. So the plan with the added
   shifts (:func:`advised_plan`) evaluated by :func:`planner.evaluate.coverage_table` gives
   exactly the figure the advice states.

Each advice is computed on the plan alone, not on top of another advice: two advices for the
same day are each enough for their own line, and an agent added for one line is not counted for
the other. The search is the formulas only (no solver); one line-day takes milliseconds, and
``time_limit_seconds`` bounds the whole call (line-days not reached are listed, not advised).

:func:`apply_advice` turns an advice into a scenario change a manager can plan again: a COPY of
the scenario data with a headcount change for the pool on that date (``headcount_changes``), the
user's data left untouched. :func:`check_by_solving` is the solver's check of it: the advised
day planned alone, without and with the change, its allocation between lines free.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import time
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from planner.domain.plan import Plan, ShiftGroup, breaks_label
from planner.domain.scenario import Pool, Queue, Scenario, ShiftTemplate
from planner.editing.draft import Draft, restrict_to_day, scenario_data
from planner.evaluate import answered_curves
from planner.messages import Message, joined, msg
from planner.present.formats import money, percent
from planner.shiftplan import plan_shifts
from planner.timegrid import TimeGrid

__all__ = [
    "Advice",
    "AdviceReport",
    "DayCheck",
    "advice_table",
    "advise",
    "advised_plan",
    "apply_advice",
    "check_by_solving",
]

DEFAULT_CURRENCY = "KZT"
"""Money units shown when the caller names none: the scenarios' ``cost_per_hour`` are tenge."""
DEFAULT_MAX_AGENTS = 200
"""Added agents per advice at most (a line-day that needs more is advised as far as this goes)."""
MAX_BREAK_PLACEMENTS = 64
"""Break placements tried per shift start at most (every one for the scenarios' templates)."""
_CLOSE = 1e-9


@dataclass(frozen=True)
class Advice:
    """What would lift one line's day to its target: agents of one pool on whole shifts.

    Service levels are the day's call-weighted figure (answered within the target time over all
    calls offered), before and after the added shifts; ``paid_hours`` and ``cost`` are of the
    added shifts only (``cost`` in ``currency``, the scenario's cost units).
    """

    queue: str
    day: date
    day_index: int
    pool: str
    borrowed: bool
    shifts: tuple[ShiftGroup, ...]
    short_window: tuple[str, str]
    service_level_before: float
    service_level_after: float
    service_level_target: float
    paid_hours: float
    cost: float
    currency: str
    span: tuple[str, str]

    @property
    def agents(self) -> int:
        """Agents added (one shift each)."""
        return sum(s.agents for s in self.shifts)

    @property
    def reaches_target(self) -> bool:
        return self.service_level_after >= self.service_level_target - _CLOSE

    @property
    def text(self) -> str:
        """The advice in one sentence, e.g. ``+6 borrowed agents 10:00-18:00 on Mon 10 Jan
        lifts emergency from 54.0% to 80.2% (target 80.0%); +45 paid hours, cost +85,500 KZT``."""
        verb = "lifts" if self.reaches_target else "only lifts"
        return (
            f"+{self.agents} {self.pool} agents {self.span[0]}-{self.span[1]} on "
            f"{self.day.strftime('%a %d %b')} {verb} {self.queue} from "
            f"{percent(self.service_level_before)} to {percent(self.service_level_after)} "
            f"(target {percent(self.service_level_target)}); +{self.paid_hours:,.1f} paid hours, "
            f"cost +{money(self.cost)} {self.currency}"
        )

    def shifts_text(self, grid: TimeGrid) -> Message:
        """The added shifts, e.g. ``4 x day_8h 10:00-18:00 (breaks 13:00-13:30)`` (a message a
        page may translate)."""
        parts = []
        for s in self.shifts:
            breaks = breaks_label(grid, s)
            shift = {
                "agents": s.agents,
                "template": s.template,
                "start": grid.clock_at(s.start),
                "end": grid.clock_at(s.end),
            }
            parts.append(
                msg("{agents} x {template} {start}-{end} (breaks {breaks})", breaks=breaks, **shift)
                if breaks
                else Message("{agents} x {template} {start}-{end}", shift)
            )
        return joined(", ", parts)


@dataclass(frozen=True)
class AdviceReport:
    """Every line-day that misses its target, and the advice found for each in the time.

    ``missed`` lists (queue, date) of every line-day below target (in the days asked about);
    ``advice`` one :class:`Advice` per line-day examined; ``unexamined`` those the time limit
    left out; ``seconds`` the wall time taken.
    """

    advice: tuple[Advice, ...]
    missed: tuple[tuple[str, date], ...]
    unexamined: tuple[tuple[str, date], ...]
    seconds: float


def advise(
    scenario: Scenario,
    coverage: pd.DataFrame,
    *,
    day: date | None = None,
    time_limit_seconds: float = 10.0,
    max_agents: int = DEFAULT_MAX_AGENTS,
    currency: str = DEFAULT_CURRENCY,
) -> AdviceReport:
    """For each line and day where the plan misses its service target, what would close the gap.

    Parameters
    ----------
    scenario : Scenario
        The scenario the plan was made for.
    coverage : pandas.DataFrame
        The plan's coverage (:attr:`planner.domain.plan.PlanResult.coverage`, from
        :func:`planner.evaluate.coverage_table`).
    day : datetime.date, optional
        Only this day of the horizon (default: every day).
    time_limit_seconds : float
        Wall-clock bound of the whole call; line-days not reached are in ``unexamined``.
    max_agents : int
        Agents added per advice at most.
    currency : str
        Money units of ``cost_per_hour``, for the text.

    Raises
    ------
    ValueError
        If ``day`` is outside the horizon, or the limits are not positive.
    """
    started = time.perf_counter()
    if not time_limit_seconds > 0:
        raise ValueError(f"time limit {time_limit_seconds}: must be above 0 seconds")
    if max_agents < 1:
        raise ValueError(f"max agents {max_agents}: must be at least 1")
    grid = scenario.grid
    days = range(grid.days) if day is None else [grid.day_of(day)]
    missed = _missed_line_days(scenario, coverage, days)
    advice, unexamined = [], []
    for queue, d in missed:
        if time.perf_counter() - started > time_limit_seconds:
            unexamined.append((queue.name, grid.dates[d]))
            continue
        found = _advise_line_day(scenario, coverage, queue, d, max_agents, currency)
        if found is not None:
            advice.append(found)
    return AdviceReport(
        advice=tuple(advice),
        missed=tuple((q.name, grid.dates[d]) for q, d in missed),
        unexamined=tuple(unexamined),
        seconds=time.perf_counter() - started,
    )


def _missed_line_days(scenario: Scenario, coverage: pd.DataFrame, days) -> list[tuple[Queue, int]]:
    """(queue, day index) of every open line-day with calls whose daily service level (answered
    within T over offered) is below the queue's target, in scenario order then day order."""
    rows = coverage[coverage["open"] & coverage["day_index"].isin(list(days))]
    sums = rows.groupby(["queue", "day_index"])[["answered_within_target", "calls"]].sum()
    missed = []
    for queue in scenario.queues:
        for d in days:
            if (queue.name, d) not in sums.index:
                continue
            within, calls = sums.loc[(queue.name, d)]
            if calls > 0 and within / calls < queue.service_level - _CLOSE:
                missed.append((queue, d))
    return missed


def _line_day(coverage: pd.DataFrame, queue: str, day: int) -> pd.DataFrame:
    rows = coverage[(coverage["queue"] == queue) & (coverage["day_index"] == day)]
    return rows.sort_values("interval")


@dataclass(frozen=True)
class _Candidates:
    """Every shift one agent of a pool may add on a day: duty (C, I) and what each is."""

    duty: np.ndarray
    shifts: tuple[ShiftGroup, ...]  # agents=1 each
    cost: np.ndarray  # (C,) one agent's shift cost


def _candidates(scenario: Scenario, pool: Pool, day: int) -> _Candidates:
    """Whole shifts of the pool's templates on a day: every allowed start and break placement."""
    grid = scenario.grid
    shifts = []
    for name in pool.shift_templates:
        template = scenario.template(name)
        shifts += _template_shifts(scenario, template, pool.name, day)
    duty = np.array([s.duty(grid.intervals_per_day) for s in shifts], dtype=np.int64)
    paid = np.array([s.paid_minutes for s in shifts], dtype=float)
    return _Candidates(duty.reshape(len(shifts), grid.intervals_per_day), tuple(shifts),
                       paid / 60.0 * pool.cost_per_hour)  # fmt: skip


def _template_shifts(scenario: Scenario, template: ShiftTemplate, pool: str, day: int) -> list:
    grid = scenario.grid
    step = grid.interval_minutes
    length = template.length_minutes // step
    windows = [
        range(b.earliest_start_after_minutes // step, b.latest_start_after_minutes // step + 1)
        for b in template.breaks
    ]
    lengths = [b.length_minutes // step for b in template.breaks]
    placements = list(itertools.islice(itertools.product(*windows), MAX_BREAK_PLACEMENTS))
    shifts = []
    for minute in scenario.template_start_minutes(template):
        start = grid.interval_of(int(minute))
        for offsets in placements:
            breaks = tuple(zip(offsets, lengths, strict=True))
            if all(o + n <= length for o, n in breaks):
                shifts.append(
                    ShiftGroup(day, pool, template.name, start, length, breaks,
                               template.paid_minutes, 1)
                )  # fmt: skip
    return shifts


def _advise_line_day(scenario, coverage, queue: Queue, day: int, max_agents: int, currency: str):
    """The advice for one line-day: the cheapest pool whose shifts meet the target, else the
    pool that gets closest; None when no pool serves the line."""
    rows = _line_day(coverage, queue.name, day)
    calls = rows["calls"].to_numpy(dtype=float)
    staffed = rows["staffed_agents"].to_numpy(dtype=np.int64)
    short = np.flatnonzero(staffed < rows["required_agents"].to_numpy())
    grid = scenario.grid
    window = (short[0], short[-1] + 1) if len(short) else (0, grid.intervals_per_day)
    top = int(max(staffed.max(), rows["required_agents"].max())) + 4
    aht = rows["aht_seconds"].to_numpy(dtype=float)
    curves = _AnsweredCurves(queue, calls, aht, grid.interval_seconds, top)
    total = calls.sum()
    before = curves.up_to(top)[np.arange(len(calls)), staffed].sum() / total
    pools = sorted(
        (p for p in scenario.pools if queue.name in p.skills), key=lambda p: p.cost_per_hour
    )
    best = None
    for pool in pools:
        added, level = _greedy(
            _candidates(scenario, pool, day), curves, staffed, total, queue, max_agents
        )
        if not added:
            continue
        if best is None or level > best[2] + _CLOSE:
            best = (pool, added, level)
        if level >= queue.service_level - _CLOSE:
            break
    if best is None:
        return None
    pool, added, level = best
    paid = sum(s.paid_minutes * s.agents for s in added) / 60.0
    return Advice(
        queue=queue.name,
        day=grid.dates[day],
        day_index=day,
        pool=pool.name,
        borrowed=pool.borrowed,
        shifts=added,
        short_window=(grid.clock_at(window[0]), grid.clock_at(window[1])),
        service_level_before=float(before),
        service_level_after=float(level),
        service_level_target=queue.service_level,
        paid_hours=paid,
        cost=paid * pool.cost_per_hour,
        currency=currency,
        span=(
            grid.clock_at(min(s.start for s in added)),
            grid.clock_at(max(s.start + s.length for s in added)),
        ),
    )


class _AnsweredCurves:
    """Calls answered in time per interval with 0..top agents on duty (``up_to(top)[i, s]``),
    computed for more agents only when the search needs them (Erlang A is most of the time)."""

    def __init__(self, queue: Queue, calls, aht, interval_seconds: float, top: int) -> None:
        self.args = (queue, calls, aht, interval_seconds)
        self.table = answered_curves(*self.args, top)[0]

    def up_to(self, top: int) -> np.ndarray:
        known = self.table.shape[1] - 1
        if top > known:
            self.table = answered_curves(*self.args, max(top, 2 * known))[0]
        return self.table


def _greedy(options: _Candidates, curves, staffed, total, queue: Queue, max_agents: int):
    """Add one agent at a time on the shift adding the most calls answered in time per unit
    of cost, until the day meets the target; the shifts added (grouped) and the level reached.

    ``curves.up_to(top)[i, s]``: calls of interval i answered in time with s agents on duty.
    """
    if not options.shifts:
        return (), 0.0
    rows = np.arange(len(staffed))
    now = staffed.copy()
    counts = np.zeros(len(options.shifts), dtype=np.int64)
    current = curves.up_to(int(now.max()))[rows, now].sum()
    cost = np.maximum(options.cost, _CLOSE)
    while counts.sum() < max_agents and current / total < queue.service_level - _CLOSE:
        within = curves.up_to(int(now.max()) + 1)
        gain = within[rows, now[None, :] + options.duty].sum(axis=1) - current
        best = int(np.argmax(gain / cost))
        if gain[best] <= _CLOSE:
            break
        counts[best] += 1
        now = now + options.duty[best]
        current = within[rows, now].sum()
    added = tuple(
        dataclasses.replace(s, agents=int(n))
        for s, n in zip(options.shifts, counts, strict=True)
        if n
    )
    return tuple(sorted(added, key=lambda s: (s.start, s.template))), float(current / total)


def advised_plan(plan: Plan, advice: Advice) -> Plan:
    """The plan with the advice's shifts added, their agents answering the advice's line.

    Evaluated by :func:`planner.evaluate.coverage_table`, the line's day has the service level
    the advice states.
    """
    p, q = plan.pool_names.index(advice.pool), plan.queue_names.index(advice.queue)
    allocation = plan.allocation.copy()
    for s in advice.shifts:
        allocation[p, q, advice.day_index] += s.agents * s.duty(plan.grid.intervals_per_day)
    shifts = (*plan.shifts, *advice.shifts)
    return Plan(plan.grid, plan.pool_names, plan.queue_names, shifts, allocation)


def apply_advice(scenario_data: dict, advice: Advice) -> dict:
    """A copy of the scenario data with the advice applied: the pool's headcount raised by the
    advice's agents on the advice's date (one ``headcount_changes`` entry added).

    ``scenario_data`` (plain data, as :func:`planner.editing.scenario_data` gives it) is not
    changed. Planned again, the scenario may use the added staff anywhere on that date; the
    pool's weekly hours cap grows with its mean headcount over the week
    (``weekly_paid_hours``), so a pool already at its cap may need its ``max_hours_per_week``
    raised too.
    """
    data = copy.deepcopy(scenario_data)
    change = {
        "pool": advice.pool,
        "change": advice.agents,
        "from_date": advice.day.isoformat(),
        "to_date": advice.day.isoformat(),
        "reason": f"advice: lift {advice.queue} to {percent(advice.service_level_after)}",
    }
    data["headcount_changes"] = [*data.get("headcount_changes", []), change]
    return data


@dataclass(frozen=True)
class DayCheck:
    """The advised day planned again by the solver, alone, without and with the advice applied.

    Service levels are the advised line's on that day; cost is the day's plan. The day alone
    has no other day to share the week's hours with (a block shorter than a week keeps the whole
    weekly cap), so its plan without the advice may already do better than the week's plan on
    that day: compare ``with_advice`` to ``without``, not to the advice's ``before``.
    """

    service_level_without: float
    service_level_with: float
    cost_without: float
    cost_with: float
    seconds: float


def check_by_solving(
    scenario: Scenario,
    advice: Advice,
    *,
    files: dict[str, bytes] | None = None,
    time_limit_seconds: float = 5.0,
) -> DayCheck:
    """Plan the advised day alone twice, without and with :func:`apply_advice`: the solver's
    own check of what the added headcount does, its allocation between lines free.

    Parameters
    ----------
    files : dict of str to bytes, optional
        The files the scenario refers to (forecasts), as :class:`planner.editing.Draft` holds
        them; needed when it has any.
    time_limit_seconds : float
        Each of the two solves.
    """
    started = time.perf_counter()
    files = dict(files or {})
    levels, costs = [], []
    data = scenario_data(scenario)
    for version in (data, apply_advice(data, advice)):
        whole = Draft(version, files, scenario.source).validate()
        day_data, day_files = restrict_to_day(whole, files, advice.day)
        day = Draft(day_data, day_files, scenario.source).validate()
        result = plan_shifts(day, time_limit_seconds=time_limit_seconds)
        levels.append(result.kpis.queues[advice.queue].service_level)
        costs.append(result.kpis.cost)
    return DayCheck(levels[0], levels[1], costs[0], costs[1], time.perf_counter() - started)


ADVICE_COLUMNS = (
    "day",
    "queue",
    "service_level_before",
    "service_level_after",
    "service_level_target",
    "pool",
    "agents",
    "hours",
    "short_window",
    "paid_hours",
    "cost",
)


def advice_table(report: AdviceReport) -> pd.DataFrame:
    """One row per advice: :data:`ADVICE_COLUMNS` (``hours`` the added shifts' span, e.g.
    ``10:00-18:00``; ``short_window`` where the plan is below requirement)."""
    rows = [
        (
            a.day,
            a.queue,
            a.service_level_before,
            a.service_level_after,
            a.service_level_target,
            a.pool,
            a.agents,
            f"{a.span[0]}-{a.span[1]}",
            f"{a.short_window[0]}-{a.short_window[1]}",
            a.paid_hours,
            a.cost,
        )
        for a in report.advice
    ]
    return pd.DataFrame(rows, columns=list(ADVICE_COLUMNS))
