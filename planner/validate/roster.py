"""Solver-free check of a roster against every hard rule: the specification of the roster model.

A roster is its table (:data:`~planner.domain.roster.ROSTER_COLUMNS`: one row per shift an
operator works). This module checks it against the scenario (labour rules, pools, open queues)
and the operators (pool, skills, contract, limits, unavailability) without any solver, and,
when the plan's shifts and the unassigned table are given, that every planned shift is either
worked or reported unassigned. Every roster the model returns and every test runs it; a rule
here and its counterpart in :mod:`planner.roster.rules` say the same thing. This module does
not import ortools.

Each rule is a small function with a docstring stating it in business words and in algebra,
listed in :data:`ROSTER_RULES` in the order checked and reported.

Notation
--------
``r`` a roster row; ``o(r)`` its operator, ``d(r)`` its day (horizon index), ``s(r)``/``e(r)``
its start and end in minutes after midnight, ``p(r)`` its paid minutes. Weeks ``W`` are 7-day
blocks from the horizon start (``|W|`` days; a shorter last block counts the days after the
horizon as days off and keeps the whole weekly hours, as the shift plan does).

Unreadable values (an unknown operator or pool, a day outside the horizon, a time that is not
``HH:MM``) are reported once, under ``roster_values``; the other rules skip such rows. Row
numbers are positions in the table, from 0.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from planner.domain.operators import Operator
from planner.domain.plan import Plan, ValidationReport, Violation, breaks_label
from planner.domain.roster import ROSTER_COLUMNS, UNASSIGNED_COLUMNS
from planner.domain.scenario import Scenario
from planner.labour import (
    is_long,
    min_rest_minutes,
    overtime_rules,
    period_words,
    weekly_cap_minutes,
    work_days_per_block,
)
from planner.messages import Message, msg, msg_n
from planner.timegrid import clock_label, parse_clock
from planner.validate.duty import HOURS_TOLERANCE

__all__ = ["ROSTER_RULES", "TABLE_RULES", "RosterTables", "validate_roster"]

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Row:
    """A readable roster row."""

    index: int
    operator: int  # index into the operators
    pool: int  # index into the scenario's pools
    day: int
    start: int
    end: int
    breaks: tuple[tuple[int, int], ...]
    paid_minutes: float
    template: str | None

    @property
    def span(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class RosterTables:
    """A roster read against its scenario and operators: what every rule looks at."""

    scenario: Scenario
    operators: tuple[Operator, ...]
    raw: pd.DataFrame
    rows: tuple[Row, ...]
    problems: dict[int, tuple[str, ...]]
    plan: Plan | None = None
    unassigned: pd.DataFrame | None = None

    @cached_property
    def grid(self):
        return self.scenario.grid

    @cached_property
    def pool_names(self) -> list[str]:
        return [p.name for p in self.scenario.pools]

    @cached_property
    def by_operator(self) -> dict[int, list[Row]]:
        """Each operator's readable rows in time order."""
        out = defaultdict(list)
        for row in sorted(self.rows, key=lambda r: (r.operator, r.day, r.start)):
            out[row.operator].append(row)
        return dict(out)

    @cached_property
    def blocks(self) -> tuple[tuple[int, int], ...]:
        """The horizon's weeks (:attr:`planner.timegrid.TimeGrid.weeks`)."""
        return self.grid.weeks

    @cached_property
    def work_days(self) -> dict[tuple[int, int], int]:
        """Most days an operator may work in each week
        (:func:`planner.labour.work_days_per_block`)."""
        allowed = work_days_per_block(self.blocks, self.scenario.labour)
        return dict(zip(self.blocks, allowed, strict=True))

    def where(self, row: Row | int) -> Message:
        index = row.index if isinstance(row, Row) else row
        values = self.raw.iloc[index]
        return msg(
            "roster row {row} ({operator}, {day}, {start}-{end})",
            row=index,
            operator=str(values["operator"]),
            day=_day_text(values["day"]),
            start=str(values["start"]),
            end=str(values["end"]),
        )

    def day_label(self, day: int) -> str:
        return self.grid.dates[day].isoformat()

    def days_label(self, first: int, last: int) -> str:
        return f"{self.day_label(first)}..{self.day_label(last)}"

    def week_label(self, first: int, stop: int) -> Message:
        return msg(
            "week {week} ({first}..{last})",
            week=first // 7 + 1,
            first=self.day_label(first),
            last=self.day_label(stop - 1),
        )

    def of_operator(self, o: int, when: str) -> Message:
        """Where a rule of operator ``o`` breaks: ``operator op-7, 2022-01-10``."""
        return operator_where(self.operators[o].id, when)


def operator_where(operator: str, when: str) -> Message:
    """``operator <id>, <when>``: its ``who`` parameter is the operator's words, which a client
    may replace by the operator's name (:mod:`planner.editing.roster_edits` does)."""
    return Message(
        "{who}, {when}", {"who": msg("operator {operator}", operator=operator), "when": when}
    )


def read_roster(
    scenario: Scenario,
    operators: Sequence[Operator],
    roster: pd.DataFrame,
    plan: Plan | None = None,
    unassigned: pd.DataFrame | None = None,
) -> RosterTables:
    """Read a roster table against the scenario and operators (nothing checked beyond that).

    Raises
    ------
    ValueError
        If the roster lacks one of :data:`~planner.domain.roster.ROSTER_COLUMNS`, or the
        unassigned table one of its columns.
    """
    _require("roster", roster, ROSTER_COLUMNS)
    if unassigned is not None:
        _require("unassigned", unassigned, UNASSIGNED_COLUMNS[:-1])
    table = roster.reset_index(drop=True)
    grid = scenario.grid
    operator_index = {op.id: i for i, op in enumerate(operators)}
    pool_index = {p.name: i for i, p in enumerate(scenario.pools)}
    templates = {t.name for t in scenario.shift_templates}
    has_template = "template" in table.columns
    rows, problems = [], {}
    for i, values in enumerate(table.to_dict("records")):
        bad = []
        operator = operator_index.get(values["operator"])
        if operator is None:
            bad.append(f"operator {values['operator']!r} names no operator of the operators list")
        pool = pool_index.get(values["pool"])
        if pool is None:
            bad.append(f"pool {values['pool']!r} names no pool; known: {', '.join(pool_index)}")
        day = _read_day(values["day"], grid)
        if day is None:
            bad.append(
                f"day {values['day']!r} is not a date of the horizon "
                f"{grid.dates[0].isoformat()}..{grid.dates[-1].isoformat()}"
            )
        start, end = _clock(values["start"]), _clock(values["end"])
        if start is None or end is None:
            bad.append('start and end must be clock times "HH:MM"')
        breaks = _read_breaks(values["breaks"])
        if breaks is None:
            bad.append(f'breaks {values["breaks"]!r} is not "HH:MM-HH:MM" separated by ";" (or "")')
        paid = _number(values["paid_hours"])
        if paid is None or paid < 0:
            bad.append(f"paid_hours {values['paid_hours']!r} is not a number >= 0")
        template = values.get("template") if has_template else None
        if has_template and template not in templates:
            bad.append(f"template {template!r} names no shift template")
        if bad:
            problems[i] = tuple(bad)
            continue
        rows.append(Row(i, operator, pool, day, start, end, breaks, paid * 60, template))
    return RosterTables(
        scenario,
        tuple(operators),
        table,
        tuple(rows),
        problems,
        plan,
        None if unassigned is None else unassigned.reset_index(drop=True),
    )


# --------------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------------


def roster_values(t: RosterTables) -> list[Violation]:
    """Every value of the roster can be read: a known operator and pool, a horizon day, clock
    times, breaks ``"HH:MM-HH:MM;..."``, paid hours >= 0 (and a known template if given)."""
    return [Violation("roster_values", t.where(i), "; ".join(p)) for i, p in t.problems.items()]


def one_shift_per_day(t: RosterTables) -> list[Violation]:
    """An operator works at most one shift a day.

    For every operator o and day d: ``|{r : o(r) = o, d(r) = d}| <= 1``.
    """
    count = Counter((r.operator, r.day) for r in t.rows)
    return [
        Violation(
            "one_shift_per_day",
            t.of_operator(o, t.day_label(d)),
            msg_n("{count} shift on one day", "{count} shifts on one day", count=n),
        )
        for (o, d), n in sorted(count.items())
        if n > 1
    ]


def pool_and_skills(t: RosterTables) -> list[Violation]:
    """An operator works only their own pool's shifts, and only on days they hold every skill
    the pool serves that day (an agent of the pool on duty may be allocated to any open queue
    it serves).

    For every row r: ``pool(r) = pool(o(r))`` and ``{q in skills(pool(r)) : open[q, d(r)]} ⊆
    skills(o(r))``.
    """
    is_open = t.scenario.open_matrix()
    out = []
    for r in t.rows:
        op, pool = t.operators[r.operator], t.scenario.pools[r.pool]
        if op.pool != pool.name:
            out.append(
                Violation(
                    "pool_and_skills",
                    t.where(r),
                    msg("a {pool} shift; the operator is in {own}", pool=pool.name, own=op.pool),
                )
            )
            continue
        needed = [q for q in pool.skills if is_open[q][r.day] and q not in op.skills]
        if needed:
            out.append(
                Violation(
                    "pool_and_skills",
                    t.where(r),
                    msg(
                        "pool {pool} serves {needed} that day; the operator's skills are {skills}",
                        pool=pool.name,
                        needed=", ".join(needed),
                        skills=", ".join(op.skills),
                    ),
                )
            )
    return out


def availability(t: RosterTables) -> list[Violation]:
    """An operator does not work on a day they are unavailable.

    For every row r: ``day(r) ∉ days_unavailable(o(r))``.
    """
    return [
        Violation("availability", t.where(r), msg("the operator is unavailable that day"))
        for r in t.rows
        if t.grid.dates[r.day] in set(t.operators[r.operator].days_unavailable)
    ]


def max_shift_length(t: RosterTables) -> list[Violation]:
    """A shift ends after it starts and lasts at most 12 h (``labour.max_shift_hours``), and no
    longer than the operator's own ``max_shift_hours``.

    For every row r: ``0 < e(r) - s(r) <= 60 min(labour.max_shift_hours,
    max_shift_hours(o(r)))``.
    """
    out = []
    labour = t.scenario.labour.max_shift_hours
    for r in t.rows:
        limit = min(labour, t.operators[r.operator].max_shift_hours)
        if r.span <= 0 or r.span > limit * 60 + 1e-9:
            out.append(
                Violation(
                    "max_shift_length",
                    t.where(r),
                    msg(
                        "the shift lasts {hours:g} h; it must last more than 0 h and at most "
                        "{limit:g} h",
                        hours=r.span / 60,
                        limit=limit,
                    ),
                )
            )
    return out


def paid_hours_consistent(t: RosterTables) -> list[Violation]:
    """Paid hours are the shift's length less at most its breaks, breaks lie inside the shift,
    and, when the template is named, the shift is the template's length and pays its hours.

    For every row r with breaks ``(b0, b1)``: ``s(r) <= b0 < b1 <= e(r)``, ``e(r) - s(r) -
    sum (b1 - b0) <= p(r) <= e(r) - s(r)``; with template T: ``e(r) - s(r) = length_T`` and
    ``p(r) = length_T - unpaid breaks_T`` (tolerance 1e-6 h).
    """
    out = []
    tol = HOURS_TOLERANCE * 60
    for r in t.rows:
        if any(not (r.start <= b0 < b1 <= r.end) for b0, b1 in r.breaks):
            out.append(
                Violation(
                    "paid_hours_consistent", t.where(r), msg("a break lies outside the shift")
                )
            )
            continue
        on_break = sum(b1 - b0 for b0, b1 in r.breaks)
        if r.template is not None:
            template = t.scenario.template(r.template)
            unpaid = sum(b.length_minutes for b in template.breaks if not b.paid)
            expected = template.length_minutes - unpaid
            if r.span != template.length_minutes or abs(r.paid_minutes - expected) > tol:
                out.append(
                    Violation(
                        "paid_hours_consistent",
                        t.where(r),
                        msg(
                            "a {template} shift lasts {length:g} h and pays {expected:g} h; the "
                            "row has {hours:g} h and pays {paid:g} h",
                            template=template.name,
                            length=template.length_minutes / 60,
                            expected=expected / 60,
                            hours=r.span / 60,
                            paid=r.paid_minutes / 60,
                        ),
                    )
                )
        elif not (r.span - on_break - tol <= r.paid_minutes <= r.span + tol):
            out.append(
                Violation(
                    "paid_hours_consistent",
                    t.where(r),
                    msg(
                        "pays {paid:g} h for a {hours:g} h shift with {breaks:g} h of breaks",
                        paid=r.paid_minutes / 60,
                        hours=r.span / 60,
                        breaks=on_break / 60,
                    ),
                )
            )
    return out


def weekly_hours(t: RosterTables) -> list[Violation]:
    """An operator's paid hours in a week stay within their contract.

    For every operator o and week W: ``sum_{r : o(r) = o, d(r) in W} p(r) <=
    floor(60 contract_hours_per_week(o))`` paid minutes (:func:`planner.labour.weekly_cap_minutes`,
    the cap the roster model keeps; tolerance 1e-6 h).
    """
    out = []
    for o, rows in t.by_operator.items():
        op = t.operators[o]
        for first, stop in t.blocks:
            minutes = sum(r.paid_minutes for r in rows if first <= r.day < stop)
            if minutes > weekly_cap_minutes(op.contract_hours_per_week) + 60 * HOURS_TOLERANCE:
                out.append(
                    Violation(
                        "weekly_hours",
                        t.of_operator(o, t.week_label(first, stop)),
                        msg(
                            "{hours:g} paid hours; the contract allows {contract:g}",
                            hours=minutes / 60,
                            contract=op.contract_hours_per_week,
                        ),
                    )
                )
    return out


def _weeks_of(t: RosterTables, rows: list[Row]) -> tuple[np.ndarray, np.ndarray]:
    """An operator's paid minutes and shifts in each week of the horizon."""
    paid = np.zeros(len(t.blocks))
    shifts = np.zeros(len(t.blocks), dtype=np.int64)
    for r in rows:
        b = t.grid.week_of(r.day)
        paid[b] += r.paid_minutes
        shifts[b] += 1
    return paid, shifts


def overtime_per_day(t: RosterTables) -> list[Violation]:
    """An operator's overtime in a week is at most ``labour.max_overtime_hours_per_day`` for
    each day they work that week.

    For every operator o and week W: ``sum_{r : o(r) = o, d(r) in W} p(r) - N <= D x |{r}|``
    (N the normal week ``labour.max_hours_per_week`` and D the daily cap, minutes;
    :class:`planner.labour.Overtime`; tolerance 1e-6 h).
    """
    ot = overtime_rules(t.scenario)
    out = []
    for o, rows in t.by_operator.items():
        paid, shifts = _weeks_of(t, rows)
        excess = ot.day_excess(paid, shifts)
        for b in np.flatnonzero(excess > 60 * HOURS_TOLERANCE):
            first, stop = t.blocks[b]
            out.append(
                Violation(
                    "overtime_per_day",
                    t.of_operator(o, t.week_label(first, stop)),
                    msg_n(
                        "{hours:g} paid hours in {count} shift: {overtime:g} h of overtime "
                        "beyond {normal:g} h, more than {per_day:g} h a day worked",
                        "{hours:g} paid hours in {count} shifts: {overtime:g} h of overtime "
                        "beyond {normal:g} h, more than {per_day:g} h a day worked",
                        count=int(shifts[b]),
                        hours=float(paid[b]) / 60,
                        overtime=max(0.0, float(paid[b]) - ot.normal_minutes) / 60,
                        normal=ot.normal_minutes / 60,
                        per_day=ot.per_day_minutes / 60,
                    ),
                )
            )
    return out


def _overtime_periods(t: RosterTables, rule: str) -> list[Violation]:
    ot = overtime_rules(t.scenario)
    out = []
    for o, rows in t.by_operator.items():
        op = t.operators[o]
        paid, _ = _weeks_of(t, rows)
        used = ot.period_overtime(paid)
        allowance = ot.allowance(op)
        for k, period in enumerate(ot.periods):
            if period.rule == rule and used[k] > allowance[k] + 60 * HOURS_TOLERANCE:
                before = period.cap_minutes - allowance[k]
                figures = {
                    "overtime": float(used[k]) / 60,
                    "normal": ot.normal_minutes / 60,
                    "cap": period.cap_minutes / 60,
                }
                out.append(
                    Violation(
                        rule,
                        t.of_operator(o, period_words(period.label, period.weeks)),
                        (
                            msg(
                                "{overtime:g} h of overtime (paid hours beyond {normal:g} h a "
                                "week) after {before:g} h worked before the horizon; the cap is "
                                "{cap:g} h",
                                before=before / 60,
                                **figures,
                            )
                            if before
                            else msg(
                                "{overtime:g} h of overtime (paid hours beyond {normal:g} h a "
                                "week); the cap is {cap:g} h",
                                **figures,
                            )
                        ),
                    )
                )
    return out


def overtime_per_month(t: RosterTables) -> list[Violation]:
    """An operator's overtime over the weeks touching a calendar month is at most
    ``labour.max_overtime_hours_per_month`` less their ``overtime_hours_this_month`` (the
    month of the horizon start).

    For every operator o and month m: ``sum_{W touching m} max(0, sum_{r in W} p(r) - N) <=
    A_om`` (:meth:`planner.labour.Overtime.allowance`; a week in two months counts in both).
    """
    return _overtime_periods(t, "overtime_per_month")


def overtime_per_year(t: RosterTables) -> list[Violation]:
    """An operator's overtime over the weeks touching a calendar year is at most
    ``labour.max_overtime_hours_per_year`` less their ``overtime_hours_this_year`` (the year
    of the horizon start).

    For every operator o and year y: ``sum_{W touching y} max(0, sum_{r in W} p(r) - N) <=
    A_oy`` (:meth:`planner.labour.Overtime.allowance`).
    """
    return _overtime_periods(t, "overtime_per_year")


def min_rest(t: RosterTables) -> list[Violation]:
    """At least 11 h (``labour.min_rest_hours``) of rest between two shifts of an operator.

    For consecutive shifts r, r' of an operator (in time order, on different days):
    ``1440 (d(r') - d(r)) + s(r') - e(r) >= 60 min_rest_hours``.
    """
    needed = min_rest_minutes(t.scenario.labour)
    out = []
    for o, rows in t.by_operator.items():
        for a, b in itertools.pairwise(rows):
            if a.day == b.day:
                continue  # one_shift_per_day reports it
            rest = (b.day - a.day) * MINUTES_PER_DAY + b.start - a.end
            if rest < needed:
                out.append(
                    Violation(
                        "min_rest",
                        t.of_operator(o, t.days_label(a.day, b.day)),
                        msg(
                            "{rest:g} h rest between {end} and {start}; at least {needed:g} h "
                            "needed",
                            rest=rest / 60,
                            end=clock_label(a.end),
                            start=clock_label(b.start),
                            needed=t.scenario.labour.min_rest_hours,
                        ),
                    )
                )
    return out


def no_consecutive_long_shifts(t: RosterTables) -> list[Violation]:
    """Never two long shifts (``labour.long_shift_hours``, 12 h) on consecutive days (when
    ``labour.no_consecutive_long_shifts`` is set).

    For rows r, r' of one operator with ``d(r') = d(r) + 1``: not both ``e - s >= 60
    long_shift_hours``.
    """
    labour = t.scenario.labour
    if not labour.no_consecutive_long_shifts:
        return []
    out = []
    for o, rows in t.by_operator.items():
        long_days = sorted({r.day for r in rows if is_long(r.span, labour)})
        for d in long_days:
            if d + 1 in long_days:
                out.append(
                    Violation(
                        "no_consecutive_long_shifts",
                        t.of_operator(o, t.days_label(d, d + 1)),
                        msg(
                            "shifts of {hours:g} h or more on consecutive days",
                            hours=labour.long_shift_hours,
                        ),
                    )
                )
    return out


def days_off_per_week(t: RosterTables) -> list[Violation]:
    """An operator has at least two days off (``labour.min_days_off_per_week``) every week.

    For every operator o and week W: ``|{d in W : o works on d}| <= |W| - max(0, min_days_off
    - (7 - |W|))``.
    """
    out = []
    for o, rows in t.by_operator.items():
        for first, stop in t.blocks:
            worked = len({r.day for r in rows if first <= r.day < stop})
            allowed = t.work_days[(first, stop)]
            if worked > allowed:
                out.append(
                    Violation(
                        "days_off_per_week",
                        t.of_operator(o, t.week_label(first, stop)),
                        msg(
                            "works {worked} of {days} days; at most {allowed} leave {off} days off",
                            worked=worked,
                            days=stop - first,
                            allowed=allowed,
                            off=t.scenario.labour.min_days_off_per_week,
                        ),
                    )
                )
    return out


def max_consecutive_days(t: RosterTables) -> list[Violation]:
    """An operator works at most 6 (``labour.max_consecutive_days``) days in a row.

    For every operator o and day t: ``|{d in t..t+M : o works on d}| <= M`` (days before the
    horizon are rest).
    """
    m = t.scenario.labour.max_consecutive_days
    out = []
    for o, rows in t.by_operator.items():
        days = sorted({r.day for r in rows})
        run_start, previous = None, None
        for d in [*days, None]:
            if d is not None and previous is not None and d == previous + 1:
                previous = d
                continue
            if run_start is not None and previous - run_start + 1 > m:
                out.append(
                    Violation(
                        "max_consecutive_days",
                        t.of_operator(o, t.days_label(run_start, previous)),
                        msg_n(
                            "{count} day in a row; at most {most}",
                            "{count} days in a row; at most {most}",
                            count=previous - run_start + 1,
                            most=m,
                        ),
                    )
                )
            run_start, previous = d, d
    return out


def plan_accounted(t: RosterTables) -> list[Violation]:
    """Every planned shift is worked by one operator or reported unassigned, and nobody works a
    shift the plan does not have (run only when the plan's shifts and the unassigned table are
    given).

    For every (day, pool, start, end, breaks): ``rows of the roster + rows of the unassigned
    table = agents of the plan``.
    """
    if t.plan is None or t.unassigned is None:
        return []
    grid = t.grid

    def key(values: dict) -> tuple:
        day = _read_day(values["day"], grid)
        breaks = values["breaks"] if isinstance(values["breaks"], str) else ""
        return (day, values["pool"], values["start"], values["end"], breaks)

    planned, given = Counter(), Counter()
    for g in t.plan.shifts:
        times = (grid.clock_at(g.start), grid.clock_at(g.end), breaks_label(grid, g))
        planned[(g.day, g.pool, *times)] += g.agents
    for values in t.raw.to_dict("records"):
        given[key(values)] += 1
    for values in t.unassigned.to_dict("records"):
        given[key(values)] += 1
    out = []
    for k in sorted(set(planned) | set(given), key=str):
        if planned[k] != given[k]:
            day, pool, start, end, breaks = k
            out.append(
                Violation(
                    "plan_accounted",
                    f"{'?' if day is None else t.day_label(day)} {pool} {start}-{end}",
                    msg(
                        "planned {planned} shift(s) with breaks {breaks}; {given} rostered or "
                        "reported unassigned",
                        planned=planned[k],
                        breaks=breaks or msg("none"),
                        given=given[k],
                    ),
                )
            )
    return out


Rule = Callable[[RosterTables], list[Violation]]

ROSTER_RULES: dict[str, Rule] = {
    rule.__name__: rule
    for rule in (
        roster_values,
        one_shift_per_day,
        pool_and_skills,
        availability,
        max_shift_length,
        paid_hours_consistent,
        weekly_hours,
        overtime_per_day,
        overtime_per_month,
        overtime_per_year,
        min_rest,
        no_consecutive_long_shifts,
        days_off_per_week,
        max_consecutive_days,
        plan_accounted,
    )
}
"""Every hard rule of a roster, by name, in the order checked. ``plan_accounted`` runs only when
the plan's shifts and the unassigned table are given."""

TABLE_RULES = ("roster_values", "paid_hours_consistent")
"""Rules of the roster's tables themselves (readable values, paid hours that match the shift):
the roster model keeps them by how it writes its roster; every other rule here has one of the
same name in :data:`planner.roster.rules.HARD_RULES`."""


def validate_roster(
    scenario: Scenario,
    operators: Sequence[Operator],
    roster: pd.DataFrame,
    *,
    plan: Plan | None = None,
    unassigned: pd.DataFrame | None = None,
) -> ValidationReport:
    """Check a roster against every hard rule, without a solver.

    Parameters
    ----------
    scenario : Scenario
    operators : sequence of Operator
    roster : pandas.DataFrame
        At least :data:`~planner.domain.roster.ROSTER_COLUMNS`; a ``template`` column, when
        present, is checked too.
    plan : Plan, optional
    unassigned : pandas.DataFrame, optional
        The plan rostered and the unassigned table; with both, ``plan_accounted`` checks that
        every planned shift is worked or reported.

    Returns
    -------
    ValidationReport
        ``rules_checked`` in :data:`ROSTER_RULES` order, every violation found.
    """
    tables = read_roster(scenario, operators, roster, plan, unassigned)
    names = [
        n
        for n in ROSTER_RULES
        if n != "plan_accounted" or (plan is not None and unassigned is not None)
    ]
    violations = [v for name in names for v in ROSTER_RULES[name](tables)]
    return ValidationReport(violations=tuple(violations), rules_checked=tuple(names))


# --------------------------------------------------------------------------------------------------
# Reading values
# --------------------------------------------------------------------------------------------------


def _require(name: str, table: Any, columns: Sequence[str]) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"the {name} table must be a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            f"the {name} table lacks column(s) {', '.join(missing)}; it needs {', '.join(columns)}"
        )


def _read_day(value: Any, grid) -> int | None:
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, date):
        return None
    index = (value - grid.start_date).days
    return index if 0 <= index < grid.days else None


def _day_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)


def _clock(value: Any) -> int | None:
    try:
        return parse_clock(value)
    except ValueError:
        return None


def _read_breaks(value: Any) -> tuple[tuple[int, int], ...] | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    if not isinstance(value, str):
        return None
    if not value.strip():
        return ()
    spans = []
    for part in value.split(";"):
        ends = part.split("-")
        if len(ends) != 2 or _clock(ends[0]) is None or _clock(ends[1]) is None:
            return None
        spans.append((_clock(ends[0]), _clock(ends[1])))
    return tuple(spans)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None
