"""The rules of a scenario that connect fields: a pool naming an unknown queue, a shift that does
not fit the window, a surge outside the horizon. Reported as issues, never raised."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

import numpy as np

from planner.domain import limits
from planner.domain.scenario import Scenario, ShiftTemplate
from planner.errors import MISSING, InputIssue
from planner.messages import Message, msg
from planner.profiles import profile_matrix
from planner.timegrid import TimeGrid, clock_label

__all__ = [
    "check_scenario",
    "horizon_issues",
    "plan_size",
    "roster_size",
    "roster_size_issues",
    "weekly_overtime_hours",
]


def check_scenario(s: Scenario) -> Iterator[InputIssue]:
    """Every rule that involves more than one field, as issues (nothing raised here)."""
    window_issues = list(horizon_issues(s))
    yield from window_issues
    window_ok = not window_issues
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
    yield from _check_labour(s)
    if window_ok and not any(True for _ in _check_templates(s)):
        yield from _check_plan_size(s, template_names)


def horizon_issues(s: Scenario) -> Iterator[InputIssue]:
    h = s.horizon
    if h.window_end <= h.window_start:
        yield InputIssue(
            "horizon.window_end",
            clock_label(h.window_end),
            msg("must be later than window_start"),
        )
    elif (h.window_end - h.window_start) % h.interval_minutes:
        yield InputIssue(
            "horizon.interval_minutes",
            h.interval_minutes,
            msg(
                "must divide the operating window {start}-{end} ({minutes} min) into whole "
                "intervals",
                start=clock_label(h.window_start),
                end=clock_label(h.window_end),
                minutes=h.window_end - h.window_start,
            ),
        )
    elif s.routing.block_minutes % h.interval_minutes:
        yield InputIssue(
            "routing.block_minutes",
            s.routing.block_minutes,
            msg("must be a whole number of intervals ({minutes} min)", minutes=h.interval_minutes),
        )


def _check_unique(path: str, names: list[str]):
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            yield InputIssue(f"{path}[{i}].name", name, msg("is used twice; names must be unique"))
        seen.add(name)
    return seen


def _check_queue_targets(s: Scenario) -> Iterator[InputIssue]:
    for i, queue in enumerate(s.queues):
        if queue.max_abandon_rate is not None and queue.patience_seconds is None:
            yield InputIssue(
                f"queues[{i}].max_abandon_rate",
                queue.max_abandon_rate,
                msg(
                    "needs patience_seconds: without a patience the queue is sized by Erlang C, "
                    "in which nobody hangs up, so an abandonment cap could not be checked"
                ),
            )
        if queue.cost_per_abandon is not None and queue.patience_seconds is None:
            yield InputIssue(
                f"queues[{i}].cost_per_abandon",
                queue.cost_per_abandon,
                msg(
                    "needs patience_seconds: without a patience nobody hangs up, so there is no "
                    "abandon to price"
                ),
            )


def _check_demand(s: Scenario) -> Iterator[InputIssue]:
    grid = s.grid
    sources = ("calls_per_day", "calls_per_weekday", "calls_by_day", "forecast_csv", "history_csv")
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
                msg(
                    "give exactly one of {sources} (found {given})",
                    sources=", ".join(sources),
                    given=", ".join(given) if given else msg("none"),
                ),
            )
        if demand.calls_by_day is not None and len(demand.calls_by_day) != grid.days:
            yield InputIssue(
                f"{path}.calls_by_day",
                f"{len(demand.calls_by_day)} values",
                msg("needs one value per horizon day ({days})", days=grid.days),
            )
        if demand.forecast_csv is None and demand.history_csv is None:
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
                yield InputIssue(f"{path}.{field}", getattr(t, field), _multiple(step))
        if t.length_minutes > longest:
            yield InputIssue(
                f"{path}.length_minutes",
                t.length_minutes,
                msg(
                    "is longer than labour.max_shift_hours ({hours:g} h)",
                    hours=s.labour.max_shift_hours,
                ),
            )
        first, last = s.template_start_range(t)
        # Only the starts a user wrote are named in messages; unset ones follow from the window.
        for field in ("earliest_start", "latest_start"):
            minute = getattr(t, field)
            if minute is not None and (minute - h.window_start) % step:
                yield InputIssue(
                    f"{path}.{field}",
                    clock_label(minute),
                    msg("must lie on the {step}-minute grid", step=step),
                )
        if first < h.window_start:
            yield InputIssue(
                f"{path}.earliest_start",
                clock_label(first),
                msg("is before the window {window}", window=window),
            )
        window_minutes = h.window_end - h.window_start
        if t.length_minutes > window_minutes:
            yield InputIssue(
                f"{path}.length_minutes",
                t.length_minutes,
                msg(
                    "a shift of {length} min does not fit the window {window} ({minutes} min)",
                    length=t.length_minutes,
                    window=window,
                    minutes=window_minutes,
                ),
            )
        elif last + t.length_minutes > h.window_end:  # only a latest_start written can do this
            yield InputIssue(
                f"{path}.latest_start",
                clock_label(last),
                _ends_after(t.length_minutes, clock_label(last), window),
            )
        elif first > last and t.latest_start is None:
            yield InputIssue(
                f"{path}.earliest_start",
                clock_label(first),
                _ends_after(t.length_minutes, clock_label(first), window),
            )
        elif first > last:
            yield InputIssue(
                f"{path}.latest_start", clock_label(last), msg("must not be before earliest_start")
            )
        yield from _check_breaks(path, t, step)


def _check_breaks(path: str, t: ShiftTemplate, step: int) -> Iterator[InputIssue]:
    previous_end = 0
    for j, b in enumerate(t.breaks):
        bpath = f"{path}.breaks[{j}]"
        fields = ("length_minutes", "earliest_start_after_minutes", "latest_start_after_minutes")
        for field in fields:
            if getattr(b, field) % step:
                yield InputIssue(f"{bpath}.{field}", getattr(b, field), _multiple(step))
        if b.latest_start_after_minutes < b.earliest_start_after_minutes:
            yield InputIssue(
                f"{bpath}.latest_start_after_minutes",
                b.latest_start_after_minutes,
                msg("must not be less than earliest_start_after_minutes"),
            )
        if b.earliest_start_after_minutes < step or (
            b.latest_start_after_minutes + b.length_minutes > t.length_minutes - step
        ):
            yield InputIssue(
                f"{bpath}",
                f"{b.earliest_start_after_minutes}-{b.latest_start_after_minutes}",
                msg(
                    "the break must start and end inside the {length}-minute shift, at least one "
                    "{step}-minute interval from either end",
                    length=t.length_minutes,
                    step=step,
                ),
            )
        if b.earliest_start_after_minutes < previous_end:
            yield InputIssue(
                f"{bpath}.earliest_start_after_minutes",
                b.earliest_start_after_minutes,
                msg(
                    "breaks are listed in order and their windows must not overlap: this break "
                    "may start before the previous one has surely ended ({minutes} min)",
                    minutes=previous_end,
                ),
            )
        previous_end = b.latest_start_after_minutes + b.length_minutes


def _check_surges(s: Scenario, queue_names: set[str], window_ok: bool) -> Iterator[InputIssue]:
    for i, surge in enumerate(s.surges):
        path = f"surges[{i}]"
        if surge.queue not in queue_names:
            yield _unknown(f"{path}.queue", surge.queue, QUEUE, queue_names)
        if surge.profile is not None and window_ok:
            yield from _check_profile(f"{path}.profile", surge.profile, s.grid)
        elif window_ok and surge.added_calls_per_day > 0 and surge.queue in queue_names:
            demand = s.queue(surge.queue).demand
            if demand is None or demand.forecast_csv is not None or demand.history_csv:
                yield InputIssue(
                    f"{path}.profile",
                    MISSING,
                    msg(
                        "is required when adding calls to a queue without a daily profile of its "
                        "own"
                    ),
                )


def _check_operating_modes(s: Scenario, queue_names: set[str]) -> Iterator[InputIssue]:
    grid = s.grid
    for i, mode in enumerate(s.operating_modes):
        path = f"operating_modes[{i}]"
        for j, name in enumerate(mode.closed_queues):
            if name not in queue_names:
                yield _unknown(f"{path}.closed_queues[{j}]", name, QUEUE, queue_names)
        for j, day in enumerate(mode.dates):
            if not grid.dates[0] <= day <= grid.dates[-1]:
                yield InputIssue(
                    f"{path}.dates[{j}]", day.isoformat(), msg("is outside the horizon")
                )
        if not mode.weekdays and not mode.dates:
            yield InputIssue(path, MISSING, msg("give weekdays or dates on which the mode applies"))


def _check_pools(s: Scenario, queue_names: set[str], template_names: set[str]):
    for i, pool in enumerate(s.pools):
        path = f"pools[{i}]"
        for j, skill in enumerate(pool.skills):
            if skill not in queue_names:
                yield _unknown(f"{path}.skills[{j}]", skill, QUEUE, queue_names)
        if len(set(pool.skills)) != len(pool.skills):
            yield InputIssue(f"{path}.skills", pool.skills, msg("lists a queue twice"))
        for j, name in enumerate(pool.shift_templates):
            if name not in template_names:
                yield _unknown(
                    f"{path}.shift_templates[{j}]", name, msg("shift template"), template_names
                )
        most = weekly_overtime_hours(s)
        if pool.max_hours_per_week > s.labour.max_hours_per_week + most + 1e-9:
            yield InputIssue(
                f"{path}.max_hours_per_week",
                pool.max_hours_per_week,
                msg(
                    "exceeds labour.max_hours_per_week ({normal:g} h, the normal week) plus the "
                    "most overtime a week can hold ({most:g} h: the least of "
                    "labour.max_overtime_hours_per_month, _per_year, and _per_day times the "
                    "working days of a week, 7 - labour.min_days_off_per_week)",
                    normal=s.labour.max_hours_per_week,
                    most=most,
                ),
            )


def weekly_overtime_hours(s: Scenario) -> float:
    """The most overtime (hours) one week can hold under the labour rules: the least of the
    monthly cap, the yearly cap and the daily cap times the days one may work in a week."""
    labour = s.labour
    days = 7 - labour.min_days_off_per_week
    return min(
        labour.max_overtime_hours_per_month,
        labour.max_overtime_hours_per_year,
        labour.max_overtime_hours_per_day * days,
    )


def _check_labour(s: Scenario) -> Iterator[InputIssue]:
    labour = s.labour
    if labour.max_overtime_hours_per_month > labour.max_overtime_hours_per_year:
        yield InputIssue(
            "labour.max_overtime_hours_per_month",
            labour.max_overtime_hours_per_month,
            msg(
                "exceeds labour.max_overtime_hours_per_year ({hours:g} h): a month is part of a "
                "year",
                hours=labour.max_overtime_hours_per_year,
            ),
        )
    if labour.max_overtime_hours_per_day > labour.max_overtime_hours_per_month:
        yield InputIssue(
            "labour.max_overtime_hours_per_day",
            labour.max_overtime_hours_per_day,
            msg(
                "exceeds labour.max_overtime_hours_per_month ({hours:g} h): a day is part of a "
                "month",
                hours=labour.max_overtime_hours_per_month,
            ),
        )


def _check_headcount_changes(s: Scenario, pool_names: set[str]) -> Iterator[InputIssue]:
    grid = s.grid
    for i, change in enumerate(s.headcount_changes):
        path = f"headcount_changes[{i}]"
        if change.pool not in pool_names:
            yield _unknown(f"{path}.pool", change.pool, msg("pool"), pool_names)
        if change.from_date and change.to_date and change.to_date < change.from_date:
            yield InputIssue(
                f"{path}.to_date", change.to_date.isoformat(), msg("is before from_date")
            )
    if any(c.pool not in pool_names for c in s.headcount_changes):
        return
    for i, pool in enumerate(s.pools):
        headcount = s.headcount_matrix()[pool.name]
        if headcount.min() < 0:
            day = grid.dates[int(np.argmin(headcount))]
            yield InputIssue(
                f"pools[{i}].headcount",
                pool.headcount,
                msg(
                    "after headcount_changes the pool would have {count} operators on {day}; it "
                    "cannot fall below 0",
                    count=int(headcount.min()),
                    day=day.isoformat(),
                ),
            )
        if headcount.max() > limits.MAX_HEADCOUNT:
            day = grid.dates[int(np.argmax(headcount))]
            yield InputIssue(
                f"pools[{i}].headcount",
                pool.headcount,
                msg(
                    "after headcount_changes the pool would have {count} operators on {day}; it "
                    "must be <= {most}",
                    count=int(headcount.max()),
                    day=day.isoformat(),
                    most=limits.MAX_HEADCOUNT,
                ),
            )


QUEUE = msg("queue")
"""A queue, in the words of :func:`_unknown`'s messages."""


def _multiple(step: int) -> Message:
    return msg("must be a multiple of {step} min", step=step)


def _ends_after(length: int, start: str, window: str) -> Message:
    return msg(
        "a shift of {length} min starting at {start} ends after the window {window}",
        length=length,
        start=start,
        window=window,
    )


def _unknown(path: str, value: str, kind: Message, known: set[str]) -> InputIssue:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    listed = ", ".join(sorted(known)) or msg("none defined")
    if close:
        return InputIssue(
            path,
            value,
            msg(
                "names no {kind} (did you mean '{close}'?); known: {listed}",
                kind=kind,
                close=close[0],
                listed=listed,
            ),
        )
    return InputIssue(
        path, value, msg("names no {kind}; known: {listed}", kind=kind, listed=listed)
    )


# --------------------------------------------------------------------------------------------------
# Model size: estimated before any model is built, so that a scenario too large to solve is
# refused in words instead of running out of memory or time.
# --------------------------------------------------------------------------------------------------


def _starts_per_day(s: Scenario, template: ShiftTemplate) -> int:
    first, last = s.template_start_range(template)
    return max(0, (last - first) // template.start_step_minutes + 1)


def plan_size(s: Scenario) -> int:
    """Estimated size of the shift plan: shift options times intervals per day.

    A shift option is a (day, pool, template, start); each covers up to a day's intervals (its
    on-duty and break terms). The estimate counts every pool on every horizon day, closed
    queues and zero headcounts included, so it is an upper bound that the optimiser's model
    (:mod:`planner.shiftplan`) stays below. Assumes a valid window and valid templates.
    """
    starts = {t.name: _starts_per_day(s, t) for t in s.shift_templates}
    per_day = sum(starts.get(name, 0) for p in s.pools for name in set(p.shift_templates))
    return s.horizon.days * per_day * s.grid.intervals_per_day


def roster_size(s: Scenario, operators_per_pool: dict[str, int]) -> int:
    """Estimated size of the roster: for each operator, the shift options of their pool over the
    horizon (days x templates x starts), the assignments the roster model may choose from."""
    starts = {t.name: _starts_per_day(s, t) for t in s.shift_templates}
    size = 0
    for pool in s.pools:
        options = sum(starts.get(name, 0) for name in set(pool.shift_templates))
        size += operators_per_pool.get(pool.name, 0) * options * s.horizon.days
    return size


def _check_plan_size(s: Scenario, template_names: set[str]) -> Iterator[InputIssue]:
    if any(name not in template_names for p in s.pools for name in p.shift_templates):
        return
    size = plan_size(s)
    if size > limits.MAX_PLAN_CELLS:
        yield InputIssue(
            "horizon.days",
            s.horizon.days,
            f"the shift plan would have about {size:,} cells (days x pools' shift templates x "
            f"allowed starts x intervals per day); at most {limits.MAX_PLAN_CELLS:,} can be "
            "solved: shorten horizon.days, raise the shift templates' start_step_minutes or "
            "horizon.interval_minutes, or give the pools fewer shift_templates",
        )


def roster_size_issues(
    s: Scenario, operators_per_pool: dict[str, int], path: str
) -> Iterator[InputIssue]:
    """An issue at ``path`` when rostering this many operators would be too large a model."""
    size = roster_size(s, operators_per_pool)
    if size > limits.MAX_ROSTER_CELLS:
        yield InputIssue(
            path,
            f"{sum(operators_per_pool.values()):,} operators",
            f"the roster would have about {size:,} assignments to choose from (operators x "
            f"horizon days x their pool's shift options); at most {limits.MAX_ROSTER_CELLS:,} "
            "can be solved: roster fewer operators or a shorter horizon.days, or raise the "
            "shift templates' start_step_minutes",
        )
