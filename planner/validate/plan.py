"""Solver-free check of a plan against every hard rule: the specification of the optimiser.

A plan is its two tables (see :mod:`planner.domain.plan`): ``shifts`` (who starts which shift, with
which
breaks) and ``allocation`` (how the agents on duty are split among queues). This module checks
them against the scenario without any solver, so that it can serve as the specification of the
optimiser's hard rules: every optimiser test runs :func:`validate_plan` on what the optimiser
returns, and a rule here and its counterpart in ``planner.shiftplan`` must say the same thing.

Each hard rule is one small function below, with a docstring stating it in business words and in
algebra, listed in :data:`HARD_RULES` in a fixed order. A rule returns a list of
:class:`~planner.domain.plan.Violation` naming the rule, where (a table row, a pool and day, a queue
and
interval) and the numbers. :func:`validate_plan` runs them all and reports every violation at
once.

Notation used in the docstrings
-------------------------------
``r`` a row of the shifts table; ``p`` a pool, ``q`` a queue, ``d`` a horizon day, ``i`` an
interval of the operating window, ``t_i`` its start (minutes after midnight) and ``Δ`` the
interval length. ``x_r`` the agents of row ``r``; ``a[p,q,d,i]`` the agents of pool ``p``
allocated to queue ``q`` (0 when no row says otherwise); ``H[p,d]`` the headcount of pool ``p`` on
day ``d`` after headcount changes; ``open[q,d]`` whether queue ``q`` is open on day ``d``.

On duty
-------
An agent of row ``r`` is on duty in interval ``i`` when on shift for the whole interval and on a
break for no part of it::

    on_duty[r,i] = start_r <= t_i  and  t_i + Δ <= end_r  and  no break (b0, b1) of r has
                   b0 < t_i + Δ  and  b1 > t_i

On the planning grid this is simply "on shift and not on a break at t_i". Off the grid (a plan
the rules reject anyway) it counts an agent only for intervals fully worked, so coverage is never
overstated. ``D[p,d,i] = sum of x_r x on_duty[r,i]`` over the rows of pool ``p`` on day ``d``.

Unreadable values
-----------------
A value that cannot be read (a time that is not ``HH:MM``, an unknown pool, a day outside the
horizon, agents that are not a whole number) is reported once, under ``table_values``. The other
rules skip what they cannot evaluate rather than report consequences of the same mistake: a rule
uses only the rows whose fields it needs are readable, and the per-interval sums skip a pool's (or
queue's) day when one of its rows could not be read. Missing columns are a ``ValueError``.

Row numbers in messages are positions in the table, from 0 (``shifts.iloc[7]`` is "shift row 7").
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from planner.domain.plan import (
    Plan,
    ValidationReport,
    Violation,
)
from planner.domain.scenario import Scenario
from planner.io.plan_tables import (
    day_text,
    name_reader,
    numbers,
    read_column,
    read_day,
    read_interval,
    rows_from_plan,
    shown,
)
from planner.messages import msg
from planner.timegrid import clock_label
from planner.validate.duty import (
    HOURS_TOLERANCE,
    SHARE_TOLERANCE,
    PlanTables,
    checked_coverage,
    on_duty_from_shifts,
    read_plan,
    staffed_from_allocation,
)
from planner.validate.plan_pools import (
    part_time_share,
    pool_consecutive_days,
    pool_long_shift_pairs,
    pool_overtime_per_day,
    pool_overtime_per_month,
    pool_overtime_per_year,
    pool_shifts_within_weekly_hours,
    pool_working_days,
    weekly_paid_hours,
)

__all__ = [
    "HARD_RULES",
    "TABLE_RULES",
    "PlanTables",
    "on_duty_from_shifts",
    "read_plan",
    "staffed_from_allocation",
    "validate_plan",
    "validate_tables",
]


# --------------------------------------------------------------------------------------------------
# Hard rules
# --------------------------------------------------------------------------------------------------

Rule = Callable[[PlanTables], list[Violation]]


def table_values(plan: PlanTables) -> list[Violation]:
    """Every value of both tables can be read and is in range.

    Shifts: ``day`` a date inside the horizon, ``pool`` and ``template`` names the scenario
    defines, ``start`` and ``end`` clock times ``"HH:MM"``, ``breaks`` ``"HH:MM-HH:MM"`` joined by
    ``;`` (or empty), ``agents`` a whole number >= 1 (``x_r ∈ {1, 2, ...}``), ``paid_hours`` a
    number >= 0.

    Allocation: ``day`` inside the horizon, ``interval_start`` the start of an interval of the
    window, ``pool`` and ``queue`` known names, ``agents`` a whole number >= 0, and at most one
    row per (day, interval_start, pool, queue).
    """
    out = [
        Violation("table_values", plan.shifts.where(row), "; ".join(problems))
        for row, problems in plan.shifts.problems.items()
    ]
    a = plan.allocation
    problems = {row: list(p) for row, p in a.problems.items()}
    keyed = np.flatnonzero((a.day >= 0) & (a.interval >= 0) & (a.pool >= 0) & (a.queue >= 0))
    if len(keyed):
        shape = (plan.grid.days, plan.grid.intervals_per_day, len(plan.pool_names))
        shape += (len(plan.queue_names),)
        key = np.ravel_multi_index(
            (a.day[keyed], a.interval[keyed], a.pool[keyed], a.queue[keyed]), shape
        )
        _, first, inverse, counts = np.unique(
            key, return_index=True, return_inverse=True, return_counts=True
        )
        for group in np.flatnonzero(counts > 1):
            rows = keyed[inverse == group]
            problems.setdefault(int(keyed[first[group]]), []).append(
                f"rows {', '.join(map(str, rows))} are for the same day, interval, pool and "
                "queue; give one row each"
            )
    out += [
        Violation("table_values", a.where(row), "; ".join(p)) for row, p in sorted(problems.items())
    ]
    return out


def template_allowed(plan: PlanTables) -> list[Violation]:
    """A pool works only the shift templates it lists.

    For every row r: ``template_r ∈ shift_templates(pool_r)``.
    """
    s, out = plan.shifts, []
    for row in np.flatnonzero((s.pool >= 0) & (s.template >= 0)):
        pool = plan.scenario.pools[s.pool[row]]
        template = plan.scenario.shift_templates[s.template[row]].name
        if template not in pool.shift_templates:
            out.append(
                Violation(
                    "template_allowed",
                    s.where(row),
                    f"template {template} is not one of pool {pool.name}'s templates "
                    f"({', '.join(pool.shift_templates)})",
                )
            )
    return out


def shift_start_allowed(plan: PlanTables) -> list[Violation]:
    """A shift starts at one of its template's allowed starts, lasts its length, and lies inside
    the operating window.

    For every row r with template T: ``start_r ∈ {earliest_T, earliest_T + step_T, ...,
    latest_T}`` (:meth:`Scenario.template_start_minutes`), ``end_r = start_r + length_T``, and
    ``window_start <= start_r``, ``end_r <= window_end``.
    """
    s, grid, out = plan.shifts, plan.grid, []
    window = f"{clock_label(grid.window_start_minute)}-{clock_label(grid.window_end_minute)}"
    allowed = [
        set(plan.scenario.template_start_minutes(t).tolist()) for t in plan.scenario.shift_templates
    ]
    for row in np.flatnonzero((s.template >= 0) & (s.start >= 0)):
        template = plan.scenario.shift_templates[s.template[row]]
        start, end = int(s.start[row]), int(s.end[row])
        problems = []
        if start not in allowed[s.template[row]]:
            first, last = plan.scenario.template_start_range(template)
            problems.append(
                f"start {clock_label(start)} is not an allowed start of {template.name} "
                f"({clock_label(first)}-{clock_label(last)} every "
                f"{template.start_step_minutes} min)"
            )
        if end >= 0 and end != start + template.length_minutes:
            problems.append(
                f"end {clock_label(end)} is not start + {template.length_minutes} min "
                f"({clock_label(start + template.length_minutes)})"
            )
        if start < grid.window_start_minute:
            problems.append(f"starts at {clock_label(start)}, before the window {window}")
        last_minute = max(end, start + template.length_minutes)
        if last_minute > grid.window_end_minute:
            problems.append(f"ends at {clock_label(last_minute)}, after the window {window}")
        if problems:
            out.append(Violation("shift_start_allowed", s.where(row), "; ".join(problems)))
    return out


def breaks_in_windows(plan: PlanTables) -> list[Violation]:
    """A shift takes each of its template's breaks exactly once, in order, inside its window.

    For every row r with template T and breaks ``(b0_j, b1_j)``, j = 1..n: ``n`` equals the
    number of breaks of T; ``b1_j - b0_j = length_j``; ``earliest_j <= b0_j - start_r <=
    latest_j``; ``b0_j`` and ``b1_j`` on the interval grid (``(b - window_start) mod Δ = 0``);
    ``b0_j >= b1_(j-1)`` (no overlap, in order).
    """
    s, grid, out = plan.shifts, plan.grid, []
    step = grid.interval_minutes
    for row in np.flatnonzero((s.template >= 0) & (s.start >= 0)):
        spans = s.breaks[row]
        if spans is None:
            continue
        template = plan.scenario.shift_templates[s.template[row]]
        start = int(s.start[row])
        problems = []
        if len(spans) != len(template.breaks):
            names = ", ".join(b.name for b in template.breaks) or "none"
            problems.append(
                f"lists {len(spans)} break(s); template {template.name} has "
                f"{len(template.breaks)} ({names})"
            )
        else:
            previous_end = None
            for j, ((b0, b1), b) in enumerate(zip(spans, template.breaks, strict=True), start=1):
                label = f"break {j} ({b.name}) {clock_label(b0)}-{clock_label(b1)}"
                if b1 - b0 != b.length_minutes:
                    problems.append(f"{label} lasts {b1 - b0} min, not {b.length_minutes}")
                offset = b0 - start
                earliest, latest = b.earliest_start_after_minutes, b.latest_start_after_minutes
                if not earliest <= offset <= latest:
                    problems.append(
                        f"{label} starts {offset} min after the shift start, outside its window "
                        f"{earliest}-{latest} min"
                    )
                if (b0 - grid.window_start_minute) % step or (b1 - grid.window_start_minute) % step:
                    problems.append(f"{label} is not on the {step}-minute grid")
                if previous_end is not None and b0 < previous_end:
                    problems.append(
                        f"{label} starts before break {j - 1} ends ({clock_label(previous_end)})"
                    )
                previous_end = b1
        if problems:
            out.append(Violation("breaks_in_windows", s.where(row), "; ".join(problems)))
    return out


def paid_hours_consistent(plan: PlanTables) -> list[Violation]:
    """A row's paid hours are its agents times the paid time of one such shift.

    For every row r with template T: ``|paid_hours_r - x_r x (length_T - sum of unpaid break
    lengths of T) / 60| <= 1e-6``.
    """
    s, out = plan.shifts, []
    rows = (s.template >= 0) & s.agents_read & np.isfinite(s.paid_hours)
    for row in np.flatnonzero(rows):
        template = plan.scenario.shift_templates[s.template[row]]
        unpaid = template.length_minutes - template.paid_minutes
        expected = s.agents[row] * template.paid_minutes / 60.0
        if abs(s.paid_hours[row] - expected) > HOURS_TOLERANCE:
            out.append(
                Violation(
                    "paid_hours_consistent",
                    s.where(row),
                    f"paid_hours is {s.paid_hours[row]:g}, expected {expected:g} = "
                    f"{s.agents[row]} agent(s) x ({template.length_minutes} min - {unpaid} min "
                    "unpaid breaks) / 60",
                )
            )
    return out


def pool_works_open_days(plan: PlanTables) -> list[Violation]:
    """A pool works only on days when at least one queue it serves is open.

    For every row r: ``OR over q in skills(pool_r) of open[q, day_r]``.
    """
    s = plan.shifts
    skills = [[plan.queue_names.index(q) for q in p.skills] for p in plan.scenario.pools]
    works = np.array([plan.is_open[k].any(axis=0) for k in skills], dtype=bool)  # [p, d]
    rows = np.flatnonzero((s.pool >= 0) & (s.day >= 0))
    rows = rows[~works[s.pool[rows], s.day[rows]]]
    groups: dict[tuple[int, int], list[int]] = {}
    for row in rows:
        groups.setdefault((int(s.pool[row]), int(s.day[row])), []).append(int(row))
    out = []
    for (p, d), members in sorted(groups.items()):
        pool = plan.scenario.pools[p]
        agents = int(s.agents[members].sum())
        out.append(
            Violation(
                "pool_works_open_days",
                msg("pool {pool}, {day}", pool=pool.name, day=plan.day_label(d)),
                msg(
                    "shift row(s) {rows} ({agents} agent(s)) on a day every queue the pool "
                    "serves ({skills}) is closed",
                    rows=", ".join(map(str, members)),
                    agents=agents,
                    skills=", ".join(pool.skills),
                ),
            )
        )
    return out


def daily_headcount(plan: PlanTables) -> list[Violation]:
    """No more agents of a pool start shifts on a day than the pool has that day.

    For every pool p and day d: ``sum of x_r over rows r of p on d <= H[p, d]`` (the pool's
    headcount after ``headcount_changes``).
    """
    s = plan.shifts
    rows = (s.pool >= 0) & (s.day >= 0) & s.agents_read
    starting = np.zeros_like(plan.headcount)
    np.add.at(starting, (s.pool[rows], s.day[rows]), s.agents[rows])
    out = []
    for p, d in np.argwhere(starting > plan.headcount):
        pool = plan.scenario.pools[p]
        change = int(plan.headcount[p, d]) - pool.headcount
        counts = {"starting": int(starting[p, d]), "headcount": int(plan.headcount[p, d])}
        detail = (
            msg(
                "{starting} agents start, headcount is {headcount} ({base} {change:+d} from "
                "headcount_changes)",
                base=pool.headcount,
                change=change,
                **counts,
            )
            if change
            else msg("{starting} agents start, headcount is {headcount}", **counts)
        )
        out.append(
            Violation(
                "daily_headcount",
                msg("pool {pool}, {day}", pool=pool.name, day=plan.day_label(d)),
                detail,
            )
        )
    return out


def allocation_matches_duty(plan: PlanTables) -> list[Violation]:
    """Every agent on duty is allocated to exactly one queue, and only agents on duty are.

    For every pool p, day d and interval i: ``sum over q of a[p, q, d, i] = D[p, d, i]`` (a
    flexible agent is never counted for two queues; an agent on a break or off shift staffs
    nothing; missing allocation rows mean 0).
    """
    allocated = plan.allocated.sum(axis=1)  # [p, d, i]
    differs = (allocated != plan.on_duty) & ~plan.duty_unknown[:, :, None]
    names = [*plan.queue_names, "unknown queue"]
    out = []
    for p, d, i in np.argwhere(differs):
        per_queue = plan.allocated[p, :, d, i]
        split = ", ".join(f"{names[q]} {per_queue[q]}" for q in np.flatnonzero(per_queue))
        total, duty = int(allocated[p, d, i]), int(plan.on_duty[p, d, i])
        why = (
            msg(
                "more allocated than on duty (an agent counted twice, or allocated while on a "
                "break or off shift)"
            )
            if total > duty
            else msg("agents on duty left unallocated")
        )
        counts = {"total": total, "duty": duty, "why": why}
        out.append(
            Violation(
                "allocation_matches_duty",
                msg("pool {pool}, {day}", pool=plan.pool_names[p], day=plan.slot_label(d, i)),
                msg(
                    "{total} agent(s) allocated ({split}), {duty} on duty: {why}",
                    split=split,
                    **counts,
                )
                if split
                else msg("{total} agent(s) allocated, {duty} on duty: {why}", **counts),
            )
        )
    return out


def allocation_skills(plan: PlanTables) -> list[Violation]:
    """Agents are allocated only to queues their pool has the skill for.

    For every allocation row with ``a > 0``: ``queue ∈ skills(pool)``.
    """
    a, out = plan.allocation, []
    rows = (a.pool >= 0) & (a.queue >= 0) & (a.agents > 0)
    for row in np.flatnonzero(rows):
        pool = plan.scenario.pools[a.pool[row]]
        queue = plan.queue_names[a.queue[row]]
        if queue not in pool.skills:
            out.append(
                Violation(
                    "allocation_skills",
                    a.where(row),
                    msg(
                        "{agents} agent(s) allocated to {queue}; pool {pool} serves only {skills}",
                        agents=int(a.agents[row]),
                        queue=queue,
                        pool=pool.name,
                        skills=", ".join(pool.skills),
                    ),
                )
            )
    return out


def allocation_blocks(plan: PlanTables) -> list[Violation]:
    """Nobody changes line inside a routing block.

    A day's window is cut into blocks of ``routing.block_minutes`` from its start. Inside a
    block a pool's allocation changes only by agents coming on duty taking places and agents
    going off duty leaving theirs. For every pool p, day d and interval i that is not the first
    of its block: the places gained, ``sum over q of max(0, a[p, q, d, i] - a[p, q, d, i - 1])``,
    are at most the agents coming on duty ``J[p, d, i]`` (shift starts and break ends at i). Then
    the agents who leave (shift
    ends and break starts) account for the places lost, and no agent is moved from one line to
    another.
    """
    scenario = plan.scenario
    step = scenario.routing.block_minutes // scenario.horizon.interval_minutes
    a = plan.allocated[:, : len(plan.queue_names)]  # [p, q, d, i]
    if step <= 1 or a.shape[-1] < 2:
        return []
    gained = np.maximum(np.diff(a, axis=-1), 0).sum(axis=1)  # [p, d, i - 1]
    joining = plan.joining[:, :, 1:]
    inside = (np.arange(1, a.shape[-1]) % step) != 0
    moved = (gained > joining) & inside & ~plan.duty_unknown[:, :, None]
    out = []
    for p, d, k in np.argwhere(moved):
        change = a[p, :, d, k + 1] - a[p, :, d, k]
        split = ", ".join(f"{plan.queue_names[q]} {change[q]:+d}" for q in np.flatnonzero(change))
        out.append(
            Violation(
                "allocation_blocks",
                msg("pool {pool}, {day}", pool=plan.pool_names[p], day=plan.slot_label(d, k + 1)),
                msg(
                    "allocation changes {split} with {joining} agent(s) coming on duty: {moved} "
                    "agent(s) moved between lines inside a routing block of {minutes} min",
                    split=split,
                    joining=int(joining[p, d, k]),
                    moved=int(gained[p, d, k] - joining[p, d, k]),
                    minutes=scenario.routing.block_minutes,
                ),
            )
        )
    return out


def closed_queue_unstaffed(plan: PlanTables) -> list[Violation]:
    """No agent staffs a queue on a day it is closed.

    For every queue q and day d with ``not open[q, d]``: ``S[q, d, i] = 0`` for every i.
    """
    staffed, grid, out = plan.staffed, plan.grid, []
    for q, d in np.argwhere(~plan.is_open & (staffed.sum(axis=2) > 0)):
        intervals = np.flatnonzero(staffed[q, d])
        queue = plan.queue_names[q]
        modes = [
            m.name
            for m in plan.scenario.operating_modes
            if queue in m.closed_queues
            and (grid.weekdays[d] in m.weekdays or grid.dates[d] in m.dates)
        ]
        out.append(
            Violation(
                "closed_queue_unstaffed",
                msg("queue {queue}, {day}", queue=queue, day=plan.day_label(d)),
                msg(
                    "agents allocated in {count} interval(s) ({first}-{last}, up to {most} at "
                    "once) on a day the queue is closed (operating mode {modes})",
                    count=len(intervals),
                    first=grid.interval_labels[intervals[0]],
                    last=grid.interval_labels[intervals[-1]],
                    most=int(staffed[q, d].max()),
                    modes=", ".join(modes),
                ),
            )
        )
    return out


def queue_min_agents(plan: PlanTables) -> list[Violation]:
    """An open queue is never left below its staffing floor.

    For every queue q, day d with ``open[q, d]`` and interval i: ``S[q, d, i] >= min_agents_q``.
    """
    floor = np.array([q.min_agents for q in plan.scenario.queues], dtype=np.int64)
    checked = plan.is_open & ~plan.staffed_unknown
    short = (plan.staffed < floor[:, None, None]) & checked[:, :, None]
    return [
        Violation(
            "queue_min_agents",
            msg("queue {queue}, {day}", queue=plan.queue_names[q], day=plan.slot_label(d, i)),
            msg(
                "{staffed} agent(s) staffed, min_agents is {floor}",
                staffed=int(plan.staffed[q, d, i]),
                floor=int(floor[q]),
            ),
        )
        for q, d, i in np.argwhere(short)
    ]


def coverage_consistent(plan: PlanTables) -> list[Violation]:
    """A coverage table states the staffing the allocation gives (run only when one is given).

    For every queue q, day d and interval i: the coverage table has exactly one row, and its
    ``staffed_agents = S[q, d, i]`` (tolerance 1e-9).
    """
    if plan.coverage is None:
        return []
    table, grid = plan.coverage, plan.grid
    problems: dict[int, list[str]] = {}
    day = read_column(table, "day", lambda v: read_day(v, grid), problems)
    interval = read_column(table, "interval_start", lambda v: read_interval(v, grid), problems)
    queue = read_column(table, "queue", name_reader("queue", plan.queue_names), problems)
    stated = numbers(table["staffed_agents"])
    for row in np.flatnonzero(~np.isfinite(stated)):
        value = table["staffed_agents"].iloc[row]
        problems.setdefault(int(row), []).append(f"staffed_agents {shown(value)!r} is not a number")
    out = [
        Violation(
            "coverage_consistent",
            f"coverage row {row} (day {day_text(table['day'].iloc[row])}, "
            f"{table['interval_start'].iloc[row]}, queue {table['queue'].iloc[row]})",
            "; ".join(p),
        )
        for row, p in sorted(problems.items())
    ]
    keyed = np.flatnonzero((day >= 0) & (interval >= 0) & (queue >= 0))
    shape = plan.staffed.shape
    rows_per_slot = np.zeros(shape, dtype=np.int64)
    np.add.at(rows_per_slot, (queue[keyed], day[keyed], interval[keyed]), 1)
    value = np.full(shape, np.nan)
    good = keyed[np.isfinite(stated[keyed])]
    value[queue[good], day[good], interval[good]] = stated[good]
    known = ~plan.staffed_unknown[:, :, None]
    for q, d in np.argwhere((rows_per_slot == 0).any(axis=2)):
        missing = np.flatnonzero(rows_per_slot[q, d] == 0)
        listed = ", ".join(grid.interval_labels[i] for i in missing[:4])
        listed += ", ..." if len(missing) > 4 else ""
        out.append(
            Violation(
                "coverage_consistent",
                f"queue {plan.queue_names[q]}, {plan.day_label(d)}",
                f"{len(missing)} of {grid.intervals_per_day} intervals have no coverage row "
                f"({listed})",
            )
        )
    differs = (rows_per_slot == 1) & known & np.isfinite(value)
    differs &= np.abs(np.nan_to_num(value) - plan.staffed) > SHARE_TOLERANCE
    for q, d, i in np.argwhere((rows_per_slot > 1) | differs):
        where = f"queue {plan.queue_names[q]}, {plan.slot_label(d, i)}"
        if rows_per_slot[q, d, i] > 1:
            detail = f"{rows_per_slot[q, d, i]} coverage rows for one interval; give one"
        else:
            detail = (
                f"coverage states {value[q, d, i]:g} staffed, the allocation gives "
                f"{plan.staffed[q, d, i]}"
            )
        out.append(Violation("coverage_consistent", where, detail))
    return out


HARD_RULES: dict[str, Rule] = {
    rule.__name__: rule
    for rule in (
        table_values,
        template_allowed,
        shift_start_allowed,
        breaks_in_windows,
        paid_hours_consistent,
        pool_works_open_days,
        daily_headcount,
        weekly_paid_hours,
        pool_working_days,
        pool_consecutive_days,
        pool_shifts_within_weekly_hours,
        pool_long_shift_pairs,
        pool_overtime_per_day,
        pool_overtime_per_month,
        pool_overtime_per_year,
        part_time_share,
        allocation_matches_duty,
        allocation_skills,
        allocation_blocks,
        closed_queue_unstaffed,
        queue_min_agents,
        coverage_consistent,
    )
}
"""Every hard rule, by name, in the order they are checked and reported. ``coverage_consistent``
runs only when :func:`validate_plan` is given a coverage table."""

TABLE_RULES = ("table_values", "paid_hours_consistent", "coverage_consistent")
"""Rules of the plan's tables themselves (readable values, paid hours that match the shifts,
coverage that matches the allocation): the optimiser keeps them by how it writes its plan, so
they have no counterpart among its model's rules; every other rule here has one of the same
name in :data:`planner.shiftplan.rules.HARD_RULES`."""


# --------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------


def validate_plan(
    scenario: Scenario, plan: Plan, coverage: pd.DataFrame | None = None
) -> ValidationReport:
    """Check a plan against every hard rule, without a solver.

    Parameters
    ----------
    scenario : Scenario
    plan : Plan
        The plan (e.g. the optimiser's :attr:`~planner.domain.plan.PlanResult.plan`).
    coverage : pandas.DataFrame, optional
        A coverage table (at least ``day, interval_start, queue, staffed_agents``) to check
        against the allocation; ``coverage_consistent`` runs only when it is given.

    Returns
    -------
    ValidationReport
        ``rules_checked``: the names of the rules run, in :data:`HARD_RULES` order;
        ``violations``: every violation found, grouped by rule in that order.
    """
    shifts, allocation = rows_from_plan(scenario, plan)
    return _check(PlanTables(scenario, shifts, allocation, checked_coverage(coverage)))


def validate_tables(
    scenario: Scenario,
    shifts: pd.DataFrame,
    allocation: pd.DataFrame,
    coverage: pd.DataFrame | None = None,
) -> ValidationReport:
    """Check a plan given as its tables (files, uploads, hand-written) against every hard rule.

    Parameters
    ----------
    scenario : Scenario
    shifts, allocation : pandas.DataFrame
        The plan's tables (see :mod:`planner.domain.plan`); extra columns are ignored.
    coverage : pandas.DataFrame, optional
        As for :func:`validate_plan`.

    Returns
    -------
    ValidationReport
        As for :func:`validate_plan`.

    Raises
    ------
    ValueError
        If a table lacks a column. Unreadable values are violations of ``table_values``.
    """
    return _check(read_plan(scenario, shifts, allocation, coverage))


def _check(plan: PlanTables) -> ValidationReport:
    names = [n for n in HARD_RULES if n != "coverage_consistent" or plan.coverage is not None]
    violations = [v for name in names for v in HARD_RULES[name](plan)]
    return ValidationReport(violations=tuple(violations), rules_checked=tuple(names))
