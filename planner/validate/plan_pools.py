"""The pools' labour rules of a plan (solver-free): weekly paid hours, working days, runs of
days, long shifts, overtime per day, month and year, and the part-time share. Each is a hard
rule of :data:`planner.validate.plan.HARD_RULES`, named as its counterpart in the shift plan's
model, and reads the plan's tables (:class:`~planner.validate.duty.PlanTables`)."""

from __future__ import annotations

import numpy as np

from planner.domain.plan import Violation
from planner.labour import period_words, pool_overtime_caps, pool_weekly_cap_minutes
from planner.messages import msg
from planner.validate.duty import HOURS_TOLERANCE, SHARE_TOLERANCE, PlanTables

__all__ = [
    "part_time_share",
    "pool_consecutive_days",
    "pool_long_shift_pairs",
    "pool_overtime_per_day",
    "pool_overtime_per_month",
    "pool_overtime_per_year",
    "pool_shifts_within_weekly_hours",
    "pool_working_days",
    "weekly_paid_hours",
]


def weekly_paid_hours(plan: PlanTables) -> list[Violation]:
    """A pool's paid hours in a week stay within its weekly hours per head.

    Weeks are :attr:`planner.timegrid.TimeGrid.weeks`; the last may be shorter. For every pool p
    and week W: ``sum of paid_hours_r over rows r of p on days of W <= C_pW / 60`` with the cap
    ``C_pW`` of :func:`planner.labour.pool_weekly_cap_minutes` (the optimiser's), the weekly
    hours of the week's mean daily headcount. A week shorter than 7 days keeps the whole weekly
    cap (the days outside the horizon are taken as days off), so a one-day plan may give every
    operator a full shift.
    """
    s, grid = plan.shifts, plan.grid
    rows = (s.pool >= 0) & (s.day >= 0) & np.isfinite(s.paid_hours)
    paid = np.zeros(plan.headcount.shape, dtype=float)
    np.add.at(paid, (s.pool[rows], s.day[rows]), s.paid_hours[rows])
    caps = pool_weekly_cap_minutes(plan.scenario)
    out = []
    for p, pool in enumerate(plan.scenario.pools):
        for w, (first, stop) in enumerate(grid.weeks):
            last = stop - 1
            hours = paid[p, first : last + 1].sum()
            headcount_days = int(plan.headcount[p, first : last + 1].sum())
            cap = caps[(p, w)] / 60
            if hours > cap + HOURS_TOLERANCE:
                out.append(
                    Violation(
                        "weekly_paid_hours",
                        msg(
                            "pool {pool}, week {first}..{last}",
                            pool=pool.name,
                            first=plan.day_label(first),
                            last=plan.day_label(last),
                        ),
                        msg(
                            "{hours:.2f} paid hours, cap is {cap:.2f} = {weekly:g} h/week x "
                            "{headcount_days} headcount-days / {days} days",
                            hours=float(hours),
                            cap=cap,
                            weekly=pool.max_hours_per_week,
                            headcount_days=headcount_days,
                            days=last + 1 - first,
                        ),
                    )
                )
    return out


def _pool_limits(plan: PlanTables, rule: str) -> list[Violation]:
    """Violations of the limits of :func:`planner.labour.pool_limits` under ``rule``."""
    s = plan.shifts
    rows = (s.pool >= 0) & (s.day >= 0) & (s.template >= 0) & s.agents_read
    paid = np.array([t.paid_minutes for t in plan.scenario.shift_templates])[s.template]
    span = s.end - s.start
    out = []
    for limit in plan.pool_limits:
        if limit.rule != rule:
            continue
        mine = rows & (s.pool == limit.pool) & np.isin(s.day, limit.days)
        weight = limit.weight(span, paid)
        starting = int((s.agents[mine] * weight[mine]).sum())
        if starting > limit.cap:
            out.append(
                Violation(
                    rule,
                    msg(
                        "pool {pool}, {day}",
                        pool=plan.pool_names[limit.pool],
                        day=limit.where(plan.grid.dates),
                    ),
                    msg(
                        "{starting} counted such shifts start; {limit}",
                        starting=starting,
                        limit=limit.describe(),
                    )
                    if limit.weights
                    else msg(
                        "{starting} such shifts start; {limit}",
                        starting=starting,
                        limit=limit.describe(),
                    ),
                )
            )
    return out


def pool_working_days(plan: PlanTables) -> list[Violation]:
    """A pool's shifts on any days of a week can be given to different operators each day,
    each working at most the shifts its days off and weekly hours allow (:mod:`planner.labour`).

    For every pool p, week W (7-day blocks from the horizon start) and set D of W's days:
    ``sum of x_r over rows r of p on D <= sum_j min(k_j, days of D operator j is available)``,
    with ``k_j`` the most shifts operator j may work in W (Hall's condition).
    """
    return _pool_limits(plan, "pool_working_days")


def pool_consecutive_days(plan: PlanTables) -> list[Violation]:
    """A pool's shifts in any ``m + 1`` consecutive days of a week (``m =
    max_consecutive_days``) are at most what its operators may work with no longer run.

    For every pool p and such window: ``sum of x_r over rows r of p on the window <= sum_j
    min(days operator j is available in it, m)``.
    """
    return _pool_limits(plan, "pool_consecutive_days")


def pool_shifts_within_weekly_hours(plan: PlanTables) -> list[Violation]:
    """A pool's week of shifts is a mix its operators can work within their weekly hours
    (``max_hours_per_week`` each, in whole shifts).

    For every pool p, week W and direction ``a`` of :func:`planner.labour.pool_limits`:
    ``sum of a_{paid_r} x_r over rows r of p on W <= sum_g J_g max_{c in P_g} a . c``, where
    ``J_g`` operators may work ``g`` days of W and ``P_g`` holds the counts of shifts of each
    paid length one of them may work in ``g`` days within the weekly hours.
    """
    return _pool_limits(plan, "pool_shifts_within_weekly_hours")


def pool_long_shift_pairs(plan: PlanTables) -> list[Violation]:
    """On two consecutive days of a week a pool's long shifts (spanning at least
    ``long_shift_hours``) are at most its operators available on either day, when
    ``no_consecutive_long_shifts`` is set.

    For every pool p and days d, d + 1 of one week: ``sum of x_r over long rows r of p on d or
    d + 1 <= max(H[p, d], H[p, d + 1])``.
    """
    return _pool_limits(plan, "pool_long_shift_pairs")


def pool_overtime_per_day(plan: PlanTables) -> list[Violation]:
    """A pool's week of shifts leaves its operators at most ``labour.max_overtime_hours_per_day``
    of overtime for each day they work (:mod:`planner.labour`).

    For every pool p and week W where the cut can bind: ``sum of max(0, paid_r - D) x_r over
    rows r of p on W <= N J_pW`` (D the daily cap and N the normal week ``60
    labour.max_hours_per_week`` in minutes, J_pW the operators of the week).
    """
    return _pool_limits(plan, "pool_overtime_per_day")


def _pool_overtime(plan: PlanTables, rule: str) -> list[Violation]:
    """Violations of the caps of :func:`planner.labour.pool_overtime_caps` under ``rule``."""
    s, grid = plan.shifts, plan.grid
    rows = (s.pool >= 0) & (s.day >= 0) & np.isfinite(s.paid_hours)
    paid = np.zeros(plan.headcount.shape, dtype=float)
    np.add.at(paid, (s.pool[rows], s.day[rows]), s.paid_hours[rows] * 60)
    out = []
    for cap in pool_overtime_caps(plan.scenario):
        if cap.rule != rule:
            continue
        weekly = [paid[cap.pool, slice(*grid.weeks[w])].sum() for w in cap.weeks]
        overtime = cap.overtime(weekly)
        if overtime > cap.cap + 60 * HOURS_TOLERANCE:
            out.append(
                Violation(
                    rule,
                    msg(
                        "pool {pool}, {day}",
                        pool=plan.pool_names[cap.pool],
                        day=period_words(cap.period, cap.weeks),
                    ),
                    msg(
                        "at least {overtime:.2f} h of overtime (paid hours beyond {normal:g} h a "
                        "week per operator); its {operators} operator(s) may still work "
                        "{cap:.2f} h",
                        overtime=float(overtime) / 60,
                        normal=plan.scenario.labour.max_hours_per_week,
                        operators=cap.operators,
                        cap=cap.cap / 60,
                    ),
                )
            )
    return out


def pool_overtime_per_month(plan: PlanTables) -> list[Violation]:
    """A pool's overtime in the weeks touching a calendar month stays within what its operators
    may still work that month (``labour.max_overtime_hours_per_month`` each, less the overtime
    they worked before the horizon).

    For every pool p and month m where the cap can bind: ``sum_{W in m} max(0, paid_pW - N
    J_pW) <= sum_j A_jm`` (paid minutes; :func:`planner.labour.pool_overtime_caps`).
    """
    return _pool_overtime(plan, "pool_overtime_per_month")


def pool_overtime_per_year(plan: PlanTables) -> list[Violation]:
    """A pool's overtime in the weeks touching a calendar year stays within what its operators
    may still work that year (``labour.max_overtime_hours_per_year`` each, less the overtime
    they worked before the horizon).

    For every pool p and year y where the cap can bind: ``sum_{W in y} max(0, paid_pW - N
    J_pW) <= sum_j A_jy`` (paid minutes; :func:`planner.labour.pool_overtime_caps`).
    """
    return _pool_overtime(plan, "pool_overtime_per_year")


def part_time_share(plan: PlanTables) -> list[Violation]:
    """A pool with a part-time cap puts at most that share of its shifts on part-time templates.

    For every pool p with ``max_part_time_share`` set: ``sum of x_r over rows r of p with a
    part-time template <= max_part_time_share_p x sum of x_r over all rows r of p`` (over the
    whole horizon, tolerance 1e-9). A pool with a row whose template or agents cannot be read is
    not checked (its share is unknown).
    """
    s = plan.shifts
    read = (s.template >= 0) & s.agents_read
    rows = np.flatnonzero((s.pool >= 0) & read)
    unknown = set(s.pool[(s.pool >= 0) & ~read].tolist())
    part_time = np.array([t.part_time for t in plan.scenario.shift_templates], dtype=bool)
    out = []
    for p, pool in enumerate(plan.scenario.pools):
        share = pool.max_part_time_share
        if share is None or p in unknown:
            continue
        mine = rows[s.pool[rows] == p]
        total = int(s.agents[mine].sum())
        part = int(s.agents[mine[part_time[s.template[mine]]]].sum())
        if part > share * total + SHARE_TOLERANCE:
            names = [t.name for t in plan.scenario.shift_templates if t.part_time]
            out.append(
                Violation(
                    "part_time_share",
                    msg(
                        "pool {pool}, horizon {first}..{last}",
                        pool=pool.name,
                        first=plan.day_label(0),
                        last=plan.day_label(plan.grid.days - 1),
                    ),
                    msg(
                        "{part} of {total} agents ({ratio:.3f}) on part-time templates "
                        "({templates}); max_part_time_share is {share:g}",
                        part=part,
                        total=total,
                        ratio=part / total,
                        templates=", ".join(names),
                        share=share,
                    ),
                )
            )
    return out
