"""Why a planned shift is unassigned, in words, from the finished roster alone (no solver).

For an unassigned shift of pool p on day d, every operator of p is blocked by some rule given
the rest of the roster as it stands. Each operator is counted once, under the first rule in
:data:`BLOCKING_ORDER` that stops them; the reason lists the counts, e.g. ``no operator of
emergency_team can take it: 19 already work that day; 5 would have fewer than 2 days off in
week 1``. If some operator could take it (the search was stopped before it found that
assignment), the reason says so and names them.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from planner.messages import Message, joined, marked_n, msg
from planner.roster.instance import RosterInstance, ShiftKind

__all__ = ["BLOCKING_ORDER", "blocking_rule", "unassigned_reason"]

BLOCKING_ORDER = (
    "skills",
    "unavailable",
    "shift_too_long",
    "works_that_day",
    "weekly_hours",
    "overtime_per_day",
    "overtime_per_month",
    "overtime_per_year",
    "days_off_per_week",
    "max_consecutive_days",
    "min_rest",
    "no_consecutive_long_shifts",
)


def blocking_rule(inst: RosterInstance, shift_of: np.ndarray, o: int, k: ShiftKind) -> str | None:
    """The first rule (of :data:`BLOCKING_ORDER`) that stops operator o from taking a shift of
    kind k on top of the roster ``shift_of``; None when nothing does."""
    _op, d = inst.operators[o], k.day
    b = inst.block_of(d)
    first, stop = inst.blocks[b]
    if o not in inst.eligible[k.index]:
        if not inst.available[o, d]:
            return "unavailable"
        if k.span_minutes > inst.max_shift_minutes[o]:
            return "shift_too_long"
        return "skills"
    if shift_of[o, d] >= 0:
        return "works_that_day"
    row = shift_of[o]
    week = [inst.kinds[j] for j in row[first:stop] if j >= 0]
    if sum(j.paid_minutes for j in week) + k.paid_minutes > inst.weekly_cap_minutes[o]:
        return "weekly_hours"
    if inst.overtime_possible:
        rule = _overtime_blocking(inst, o, row, k)
        if rule is not None:
            return rule
    if len(week) + 1 > inst.work_days_per_block[b]:
        return "days_off_per_week"
    before = 0
    while d - before - 1 >= 0 and row[d - before - 1] >= 0:
        before += 1
    after = 0
    while d + after + 1 < inst.days and row[d + after + 1] >= 0:
        after += 1
    if before + after + 1 > inst.max_consecutive_days:
        return "max_consecutive_days"
    reach = inst.rest_horizon_days
    for other in range(max(0, d - reach), min(inst.days, d + reach + 1)):
        j = row[other]
        if other == d or j < 0:
            continue
        first_kind, second_kind = (inst.kinds[j], k) if other < d else (k, inst.kinds[j])
        if inst.rest_minutes(first_kind, second_kind) < inst.min_rest_minutes:
            return "min_rest"
    if inst.long_rule and k.long:
        for other in (d - 1, d + 1):
            if 0 <= other < inst.days and row[other] >= 0 and inst.kinds[row[other]].long:
                return "no_consecutive_long_shifts"
    return None


def _overtime_blocking(inst: RosterInstance, o: int, row: np.ndarray, k: ShiftKind) -> str | None:
    """The first overtime rule operator o (roster ``row``) would break with a shift of kind k."""
    paid = np.zeros(len(inst.blocks), dtype=np.int64)
    shifts = np.zeros(len(inst.blocks), dtype=np.int64)
    for d, j in enumerate(row):
        if j >= 0:
            paid[inst.block_of(d)] += inst.kinds[j].paid_minutes
            shifts[inst.block_of(d)] += 1
    paid[inst.block_of(k.day)] += k.paid_minutes
    shifts[inst.block_of(k.day)] += 1
    ot = inst.overtime
    if (ot.day_excess(paid, shifts) > 0).any():
        return "overtime_per_day"
    over = ot.period_overtime(paid) > inst.overtime_allowance[o]
    for rule in ("overtime_per_month", "overtime_per_year"):
        if any(b and p.rule == rule for b, p in zip(over, ot.periods, strict=True)):
            return rule
    return None


def unassigned_reason(inst: RosterInstance, shift_of: np.ndarray, k: ShiftKind) -> Message:
    """Why shifts of kind k are unassigned, in words (see the module docstring; a
    :class:`~planner.messages.Message` a page may translate)."""
    pool = inst.pool_names[k.pool]
    members = np.flatnonzero(inst.operator_pool == k.pool)
    if members.size == 0:
        return msg("pool {pool} has no operators", pool=pool)
    blocked = Counter()
    free = []
    for o in members:
        rule = blocking_rule(inst, shift_of, int(o), k)
        if rule is None:
            free.append(inst.operators[o].id)
        else:
            blocked[rule] += 1
    if free:
        names = ", ".join(free[:3])
        if len(free) > 3:
            return msg(
                "{names} and others could take it: the search stopped (time limit) before "
                "finding that assignment",
                names=names,
            )
        return msg(
            "{names} could take it: the search stopped (time limit) before finding that assignment",
            names=names,
        )
    parts = [_describe(inst, rule, blocked[rule], k) for rule in BLOCKING_ORDER if blocked[rule]]
    return msg(
        "no operator of {pool} can take it: {reasons}", pool=pool, reasons=joined("; ", parts)
    )


# The English says "1 already work that day" as it always has (one form); the pairs let Russian and
# Kazakh choose the verb's form by the count.
_BLOCKED = {
    "skills": marked_n(
        "{count} lack a skill the pool serves that day",
        "{count} lack a skill the pool serves that day",
    ),
    "unavailable": marked_n("{count} unavailable that day", "{count} unavailable that day"),
    "shift_too_long": marked_n(
        "{count} may not work a {hours:g} h shift", "{count} may not work a {hours:g} h shift"
    ),
    "works_that_day": marked_n("{count} already work that day", "{count} already work that day"),
    "weekly_hours": marked_n(
        "{count} would exceed their weekly hours in week {week}",
        "{count} would exceed their weekly hours in week {week}",
    ),
    "days_off_per_week": marked_n(
        "{count} would have fewer than {days} days off in week {week}",
        "{count} would have fewer than {days} days off in week {week}",
    ),
    "max_consecutive_days": marked_n(
        "{count} would work more than {days} days in a row",
        "{count} would work more than {days} days in a row",
    ),
    "overtime_per_day": marked_n(
        "{count} would work more than {hours:g} h of overtime per day worked in week {week}",
        "{count} would work more than {hours:g} h of overtime per day worked in week {week}",
    ),
    "overtime_per_month": marked_n(
        "{count} would exceed their overtime allowance for the month ({hours:g} h)",
        "{count} would exceed their overtime allowance for the month ({hours:g} h)",
    ),
    "overtime_per_year": marked_n(
        "{count} would exceed their overtime allowance for the year ({hours:g} h)",
        "{count} would exceed their overtime allowance for the year ({hours:g} h)",
    ),
    "min_rest": marked_n(
        "{count} would rest less than {hours:g} h between shifts",
        "{count} would rest less than {hours:g} h between shifts",
    ),
    "no_consecutive_long_shifts": marked_n(
        "{count} would work {hours:g} h shifts on consecutive days",
        "{count} would work {hours:g} h shifts on consecutive days",
    ),
}


def _describe(inst: RosterInstance, rule: str, count: int, k: ShiftKind) -> Message:
    labour = inst.scenario.labour
    week = inst.block_of(k.day) + 1
    values = {
        "shift_too_long": {"hours": k.span_minutes / 60},
        "weekly_hours": {"week": week},
        "days_off_per_week": {"days": labour.min_days_off_per_week, "week": week},
        "max_consecutive_days": {"days": labour.max_consecutive_days},
        "overtime_per_day": {"hours": labour.max_overtime_hours_per_day, "week": week},
        "overtime_per_month": {"hours": labour.max_overtime_hours_per_month},
        "overtime_per_year": {"hours": labour.max_overtime_hours_per_year},
        "min_rest": {"hours": labour.min_rest_hours},
        "no_consecutive_long_shifts": {"hours": labour.long_shift_hours},
    }.get(rule, {})
    singular, plural = _BLOCKED[rule]
    return Message(singular, {"count": count, **values}, plural)
