"""What the labour rules let a whole pool work: the limits a shift plan keeps so that every
planned shift can be given to an operator.

A roster (:mod:`planner.roster`) gives each planned shift to one operator under per-person
rules: at least ``min_days_off_per_week`` days off in every week, at most
``max_consecutive_days`` working days in a row, never two long shifts on consecutive days.
Summed over a pool's operators these rules cap how many shifts the pool can staff, and a plan
that asks for more cannot be rostered, however the shifts are shared out. The shift plan
(:mod:`planner.shiftplan`) keeps within these caps and the validator (:mod:`planner.validate.plan`)
checks them, so the service a plan reports is service its operators can legally give.

Conventions
-----------
- Weeks are 7-day blocks counted from the horizon start (days 1-7, 8-14, ...), as for weekly
  paid hours and the roster's days-off rule. A last block shorter than a week needs only the
  days off that do not fit outside it (``min_days_off - (7 - length)``, at least 0).
- Operators are counted as the headcount describes them: pool p has ``max_d H[p, d]``
  operators, the j-th (from 0) available on the days where ``H[p, d] > j`` (exactly the
  operators :func:`planner.io.operators_file.generate_operators` makes). Named operators whose
  days off differ are the roster's business: it reports what it cannot assign.
- The limits count within a week: a run of working days or a pair of long shifts that spans
  two weeks is left to the roster, so that the weeks of a long horizon can still be planned
  independently (:mod:`planner.shiftplan.blocks`). On a horizon of one week nothing is left.
- A shift is *long* when it spans at least ``long_shift_hours`` (breaks included).
- Overtime (:class:`Overtime`) is counted per week, as shift work is under summarised
  accounting: an operator's overtime in week W is ``max(0, paid_W - 60 max_hours_per_week)``
  minutes (``labour.max_hours_per_week`` is the normal week, also in a short last week). The
  Labour Code's daily cap holds as ``paid_W - normal <= 60 max_overtime_hours_per_day x
  (days worked in W)``: the week's overtime spread over its working days, at most the daily
  cap each. A week that touches two calendar months (years) counts its whole overtime in
  both, so no month can exceed its cap however the hours fell inside the week. Overtime
  worked before the horizon is what the operators file says
  (``overtime_hours_this_month``/``_year``, the month and year of the horizon's first day),
  else 0: the caps then bound the horizon alone.

No solver here: the optimiser and the validator both read these limits.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import numpy as np

from planner.domain.operators import generate_operators
from planner.domain.scenario import LabourRules, Scenario
from planner.messages import Message, joined, msg
from planner.timegrid import DAYS_PER_WEEK

__all__ = [
    "OVERTIME_PERIOD_RULES",
    "POOL_LIMIT_RULES",
    "Overtime",
    "OvertimePeriod",
    "PoolLimit",
    "PoolOvertimeCap",
    "is_long",
    "min_rest_minutes",
    "overtime_couples_weeks",
    "overtime_rules",
    "period_words",
    "pool_limits",
    "pool_overtime_caps",
    "pool_weekly_cap_minutes",
    "weekly_cap_minutes",
    "work_days_per_block",
]

POOL_LIMIT_RULES = (
    "pool_working_days",
    "pool_consecutive_days",
    "pool_shifts_within_weekly_hours",
    "pool_long_shift_pairs",
    "pool_overtime_per_day",
)
"""The rules the limits belong to (hard rules of the plan, named as in the optimiser and the
validator)."""


@dataclass(frozen=True)
class PoolLimit:
    """Under rule ``rule``: the shifts of pool ``pool`` starting on ``days`` (day indices),
    each counted with its :meth:`weight`, sum to at most ``cap``.

    A shift's weight is 0 when it spans less than ``min_span_minutes`` (long shifts only);
    otherwise its coefficient in ``weights`` by paid minutes, or 1 when ``weights`` is empty.
    """

    rule: str
    pool: int
    days: tuple[int, ...]
    cap: int
    operators: int  # operators available on some of the days
    per_operator: int  # most each of them may work, in the same count
    min_span_minutes: float = 0.0  # long shifts only, when set
    weights: tuple[tuple[int, int], ...] = ()  # (paid minutes, coefficient)
    note: str = ""  # what the cap means, for messages (else said from the rule's shape)

    def where(self, dates: Sequence[date]) -> str:
        """The days in words: ``2022-01-10..2022-01-16`` for a run, else each date."""
        first, last = self.days[0], self.days[-1]
        if last - first + 1 == len(self.days):
            return f"{dates[first].isoformat()}..{dates[last].isoformat()}"
        return ", ".join(dates[d].isoformat() for d in self.days)

    def weight(self, span_minutes, paid_minutes) -> np.ndarray:
        """How much one shift of each span and paid time counts (its pool and day apart);
        broadcasts over arrays of shifts."""
        span = np.asarray(span_minutes, dtype=float)
        paid = np.rint(np.asarray(paid_minutes, dtype=float))
        if self.weights:
            lengths, coefficients = zip(*self.weights, strict=True)
            counted = np.select([paid == m for m in lengths], coefficients, 0)
        else:
            counted = np.ones(np.broadcast(span, paid).shape, dtype=np.int64)
        return np.where(span >= self.min_span_minutes - 1e-9, counted, 0)

    def describe(self) -> Message:
        """The cap in words, for messages (a message a page may translate)."""
        if self.note:
            return msg("at most {cap} counted: {note}", cap=self.cap, note=self.note)
        figures = {"cap": self.cap, "operators": self.operators, "each": self.per_operator}
        if self.min_span_minutes:
            return msg(
                "its {operators} operator(s) may work at most {cap} long shifts in all (at most "
                "{each} each)",
                **figures,
            )
        if self.weights:
            kinds = [
                msg("{count} x shifts paying {hours:g} h", count=c, hours=paid / 60)
                if c != 1
                else msg("shifts paying {hours:g} h", hours=paid / 60)
                for paid, c in self.weights
                if c
            ]
            return msg(
                "{what} may count at most {cap}: what its {operators} operator(s) can work "
                "within their weekly hours (at most {each} each)",
                what=joined(" + ", kinds),
                **figures,
            )
        return msg(
            "its {operators} operator(s) may work at most {cap} shifts in all (at most {each} "
            "each)",
            **figures,
        )


def work_days_per_block(
    blocks: tuple[tuple[int, int], ...], labour: LabourRules
) -> tuple[int, ...]:
    """Most days an operator may work in each week: its length less the days off it needs
    (``|W| - max(0, min_days_off - (7 - |W|))``: the days of a short last week outside the
    horizon count as days off)."""
    return tuple(
        (stop - first) - max(0, labour.min_days_off_per_week - (DAYS_PER_WEEK - (stop - first)))
        for first, stop in blocks
    )


def pool_weekly_cap_minutes(scenario: Scenario) -> dict[tuple[int, int], int]:
    """Paid minutes each pool may work in each week: ``(pool, week) -> minutes``.

    The weekly hours of the week's mean daily headcount,
    ``floor(60 max_hours_per_week_p x (sum over d in W of H[p, d]) / |W|)``; a short last week
    keeps the whole weekly cap (days outside the horizon count as days off). Pools and weeks are
    indexed in scenario order and :attr:`planner.timegrid.TimeGrid.weeks` order.
    """
    grid = scenario.grid
    headcount = scenario.headcount_matrix()
    caps = {}
    for p, pool in enumerate(scenario.pools):
        for w, (first, stop) in enumerate(grid.weeks):
            person_days = int(headcount[pool.name][first:stop].sum())
            minutes = pool.max_hours_per_week * 60 * person_days / (stop - first)
            caps[(p, w)] = weekly_cap_minutes(minutes / 60)
    return caps


def min_rest_minutes(labour: LabourRules) -> int:
    """Whole minutes of rest an operator needs between two shifts."""
    return math.ceil(labour.min_rest_hours * 60 - 1e-9)


def weekly_cap_minutes(hours_per_week: float) -> int:
    """Paid minutes a week of ``hours_per_week`` contract hours allows (whole minutes)."""
    return math.floor(hours_per_week * 60 + 1e-9)


def is_long(span_minutes: float, labour: LabourRules) -> bool:
    """A shift spanning ``span_minutes`` (breaks included) is long under the labour rules."""
    return span_minutes >= labour.long_shift_hours * 60 - 1e-9


def pool_limits(scenario: Scenario) -> tuple[PoolLimit, ...]:
    """Every limit the labour rules put on the shifts of whole pools.

    Operators are the scenario's named ones (``operators_file``) if it has them, else those the
    headcounts describe (:func:`planner.io.operators_file.generate_operators`: operator j of a
    pool available on the days where its headcount exceeds j, with the pool's weekly hours).

    Returns
    -------
    tuple of PoolLimit
        Only limits that can bind: a cap below what the daily headcounts allow anyway.

    Notes
    -----
    With ``A[j, d]`` true when operator j of pool p is available on day d, for every pool p
    and week W:

    - ``pool_working_days``, for every set D of W's days (:func:`_day_sets`): ``sum_{o of p on
      D} x_o <= sum_j min(k_j, sum_{d in D} A[j, d])``, with ``k_j`` the most shifts operator j
      may work in W (its days less the days off, fewer if its weekly hours fit fewer whole
      shifts): Hall's condition for giving each day's shifts to different operators;
    - ``pool_consecutive_days``, per window of ``m + 1`` consecutive days inside W (``m =
      max_consecutive_days``; only when ``m < work_days_W``): ``sum_{o of p on the window} x_o
      <= sum_j min(sum_{d in window} A[j, d], m)``;
    - ``pool_shifts_within_weekly_hours``: see :func:`_hours_cuts` (each operator's weekly
      hours, in whole shifts of the pool's paid lengths);
    - ``pool_long_shift_pairs`` (when ``no_consecutive_long_shifts``), per consecutive days d,
      d + 1 of W: ``sum_{o of p on d or d + 1, long} x_o <= sum_j (A[j, d] or A[j, d + 1])``
      over the operators who may work a long shift;
    - ``pool_overtime_per_day``, per week W where some operator could break it
      (:func:`_overtime_day_cut`): ``sum_{o of p in W} max(0, paid_o - D) x_o <= N J_pW`` (D
      the daily overtime cap and N the normal week in minutes, ``J_pW`` the week's operators).

    The monthly and yearly overtime caps, which span weeks, are :func:`pool_overtime_caps`.
    """

    labour = scenario.labour
    grid = scenario.grid
    operators = scenario.operators
    if operators is None:
        operators = generate_operators(scenario)
    overtime = overtime_rules(scenario)
    matrix = scenario.headcount_matrix()
    blocks = grid.weeks
    work_days = work_days_per_block(blocks, labour)
    run = labour.max_consecutive_days
    long_minutes = labour.long_shift_hours * 60
    limits: list[PoolLimit] = []
    for p, pool in enumerate(scenario.pools):
        mine = [op for op in operators if op.pool == pool.name]
        away = [set(op.days_unavailable) for op in mine]
        available = np.array(
            [[day not in off for day in grid.dates] for off in away], dtype=bool
        ).reshape(len(mine), grid.days)  # A[j, d]
        longest = np.array([op.max_shift_hours * 60 for op in mine])
        headcount = matrix[pool.name]
        templates = [scenario.template(t) for t in pool.shift_templates]
        paid = sorted({t.paid_minutes for t in templates} - {0})

        for (first, stop), allowed in zip(blocks, work_days, strict=True):
            week = range(first, stop)
            # Each operator's week: the patterns of shift lengths they may work in it.
            groups = Counter()  # (days, weekly minutes, paid lengths allowed) -> operators
            most = np.zeros(len(mine), dtype=np.int64)  # k_j: shifts operator j may work
            patterns: dict[tuple, np.ndarray] = {}
            for j, op in enumerate(mine):
                n = int(available[j, first:stop].sum())
                if n == 0:
                    continue
                usable = tuple(
                    sorted({t.paid_minutes for t in templates if t.length_minutes <= longest[j]})
                )
                key = (min(n, allowed), math.floor(op.contract_hours_per_week * 60 + 1e-9), usable)
                groups[key] += 1
                if key not in patterns:
                    patterns[key] = _patterns(paid, *key)
                most[j] = patterns[key].sum(axis=1).max() if paid else key[0]
            # pool_working_days: Hall's condition for giving each day's shifts to different
            # operators, each working at most k_j of the week's days.
            for days, cap, loose in _day_sets(available[:, first:stop], most, headcount[week]):
                if cap < loose:
                    chosen = tuple(first + int(d) for d in days)
                    some = int(available[:, chosen].any(axis=1).sum())
                    limits.append(
                        PoolLimit(
                            "pool_working_days", p, chosen, cap, some, int(most.max(initial=0))
                        )
                    )
            if run < allowed:  # else the week's working days are the tighter cap
                for start in range(first, stop - run):  # windows of run + 1 days in the week
                    window = tuple(range(start, start + run + 1))
                    days = available[:, window]
                    cap = int(np.minimum(days.sum(axis=1), run).sum())
                    if cap < int(headcount[list(window)].sum()):
                        some = int(days.any(axis=1).sum())
                        limits.append(PoolLimit("pool_consecutive_days", p, window, cap, some, run))
            if labour.no_consecutive_long_shifts:
                able = longest >= long_minutes - 1e-9
                for day in range(first, stop - 1):
                    cap = int((available[:, day : day + 2].any(axis=1) & able).sum())
                    if cap < int(headcount[day : day + 2].sum()):
                        pair = (day, day + 1)
                        limits.append(
                            PoolLimit("pool_long_shift_pairs", p, pair, cap, cap, 1, long_minutes)
                        )
            loose = int(headcount[first:stop].sum())
            some = sum(groups.values())
            for weights, cap, each in _hours_cuts(paid, groups, patterns, loose):
                limits.append(
                    PoolLimit(
                        "pool_shifts_within_weekly_hours",
                        p,
                        tuple(week),
                        cap,
                        some,
                        each,
                        weights=weights,
                    )
                )
            day_cut = _overtime_day_cut(paid, groups, patterns, overtime)
            if day_cut is not None:
                weights, cap, each = day_cut
                note = msg(
                    "paid minutes beyond {per_day} per shift may total at most {normal} min (the "
                    "normal week) per operator of the week ({operators}): overtime at most "
                    "{hours:g} h a day worked",
                    per_day=overtime.per_day_minutes,
                    normal=overtime.normal_minutes,
                    operators=some,
                    hours=overtime.per_day_minutes / 60,
                )
                limits.append(
                    PoolLimit(
                        "pool_overtime_per_day",
                        p,
                        tuple(week),
                        cap,
                        some,
                        each,
                        weights=weights,
                        note=note,
                    )
                )
    return tuple(limits)


def _overtime_day_cut(
    paid: list[int], groups: Counter, patterns: dict[tuple, np.ndarray], overtime: Overtime
) -> tuple[tuple[tuple[int, int], ...], int, int] | None:
    """``pool_overtime_per_day`` in one week: ``sum_o max(0, paid_o - D) x_o <= N J``, with D
    the daily overtime cap and N the normal week (minutes), J the week's operators. Each
    operator's week keeps ``paid - N <= D x shifts``; summed, the shifts weighted by their paid
    minutes beyond D stay within ``N`` each. None when no operator's allowed weeks
    (:func:`_patterns`) could break it (the cut would change nothing)."""
    if not paid or not groups:
        return None
    vector = np.array([max(0, m - overtime.per_day_minutes) for m in paid], dtype=np.int64)
    most = {g: int((points @ vector).max()) for g, points in patterns.items()}
    if all(m <= overtime.normal_minutes for m in most.values()):
        return None
    operators = sum(groups.values())
    weights = tuple((m, int(a)) for m, a in zip(paid, vector, strict=True))
    return weights, overtime.normal_minutes * operators, overtime.normal_minutes


def _day_sets(available: np.ndarray, most: np.ndarray, headcount: np.ndarray):
    """Every non-empty set D of a week's days with ``cap = sum_j min(k_j, |D and A_j|)``, the
    most shifts its operators can work on D (one a day each, at most ``k_j`` in the week). By
    max-flow min-cut, a week's shifts per day can be given to different operators if and only
    if every D has its shifts within ``cap``. ``loose`` is what the daily headcounts allow on
    D; sets implied by a larger set with no higher cap are left out."""
    n = available.shape[1]
    sets = np.array(list(itertools.product((0, 1), repeat=n))[1:], dtype=np.int64)  # (S, n)
    overlap = available.astype(np.int64) @ sets.T  # |D and A_j|: (J, S)
    caps = np.minimum(overlap, most[:, None]).sum(axis=0)
    looses = sets @ headcount  # what the daily headcounts allow
    # A set is implied by a larger one whose cap is no higher (shifts are never negative).
    larger = ((sets[:, None, :] & ~sets[None, :, :].astype(bool)).sum(axis=2) == 0) & (
        sets.sum(axis=1)[None, :] > sets.sum(axis=1)[:, None]
    )  # larger[i, k]: set k strictly contains set i
    implied = (larger & (caps[None, :] <= caps[:, None])).any(axis=1)
    for row, cap, loose, skip in zip(sets, caps, looses, implied, strict=True):
        if not skip:
            yield np.flatnonzero(row), int(cap), int(loose)


def _patterns(paid: list[int], days: int, hours: int, usable: tuple[int, ...]) -> np.ndarray:
    """Every week one operator may work: counts of shifts of each paid length (0 for lengths
    not in ``usable``), at most ``days`` shifts and ``hours`` paid minutes in all. One row per
    pattern."""
    ranges = [range(days + 1) if m in usable else range(1) for m in paid]
    rows = [
        c
        for c in itertools.product(*ranges)
        if sum(c) <= days and sum(n * m for n, m in zip(c, paid, strict=True)) <= hours
    ]
    return np.array(rows, dtype=np.int64).reshape(-1, len(paid))


def _hours_cuts(
    paid: list[int], groups: Counter, patterns: dict[tuple, np.ndarray], loose: int
) -> list[tuple[tuple[tuple[int, int], ...], int, int]]:
    """``pool_shifts_within_weekly_hours`` in one week: weighted counts ``sum_i a_i A_i <=
    sum_g J_g max_{c in P_g} a . c``, where ``A_i`` is the week's shifts paying ``paid[i]``,
    ``J_g`` the operators of group g (same days, weekly minutes and shift lengths allowed) and
    ``P_g`` the weeks one of them may work (:func:`_patterns`). Valid for any ``a >= 0``; the
    directions ``a`` are the upper facets of each ``conv(P_g)``, so that together the cuts
    describe what the operators can work about as tightly as linear counts can. Returns
    (weights, cap, most per operator) of the cuts that can bind."""
    if not paid or not groups:
        return []
    directions: set[tuple[int, ...]] = set()
    for points in patterns.values():
        directions |= _upper_facets(points)
    cuts = []
    for a in sorted(directions):
        if len(set(a)) == 1 and len(a) > 1:
            continue  # every shift alike: the working-days limit
        vector = np.array(a, dtype=np.int64)
        support = {g: int((points @ vector).max()) for g, points in patterns.items()}
        cap = sum(count * support[g] for g, count in groups.items())
        if cap < max(a) * loose:  # below what the daily headcounts allow anyway
            weights = tuple((m, w) for m, w in zip(paid, a, strict=True))
            cuts.append((weights, cap, max(support.values())))
    return cuts


def _upper_facets(points: np.ndarray) -> set[tuple[int, ...]]:
    """Integer normals ``a >= 0`` (not 0) of the facets of ``conv(points)`` that bound it from
    above: ``a . c <= h`` on every point, with equality on a facet."""
    k = points.shape[1]
    used = points.any(axis=0)
    if not used.any():
        return {tuple(1 if i == j else 0 for j in range(k)) for i in range(k)}
    normals = set()
    # A length no operator can work at all: its shifts count against a cap of 0.
    for i in np.flatnonzero(~used):
        normals.add(tuple(1 if j == i else 0 for j in range(k)))
    cols = np.flatnonzero(used)
    sub = points[:, cols]
    if len(cols) == 1:
        facets = [np.array([1.0])]
    else:
        from scipy.spatial import ConvexHull  # full-dimensional: 0 and every e_i are patterns

        facets = [eq[:-1] for eq in ConvexHull(sub.astype(float)).equations]
    for normal in facets:
        if (normal < -1e-9).any() or not (normal > 1e-9).any():
            continue  # a lower or side facet (c_i >= 0)
        scaled = normal / normal[normal > 1e-9].min()
        fractions = [Fraction(float(x)).limit_denominator(24) for x in scaled]
        lcm = math.lcm(*(f.denominator for f in fractions))
        ints = [int(f * lcm) for f in fractions]
        divisor = math.gcd(*ints)
        full = [0] * k
        for c, v in zip(cols, ints, strict=True):
            full[c] = v // divisor
        normals.add(tuple(full))
    return normals


# --------------------------------------------------------------------------------------------------
# Overtime: per day worked, per calendar month and per calendar year
# --------------------------------------------------------------------------------------------------

OVERTIME_PERIOD_RULES = ("overtime_per_month", "overtime_per_year")
"""The roster's rules of overtime over calendar periods (the plan's are ``pool_`` + these)."""


def period_words(label: str, weeks: Sequence[int]) -> Message:
    """A month or year of overtime and the horizon's weeks in it: ``2022-01 (weeks 1, 2)``."""
    return msg("{period} (weeks {weeks})", period=label, weeks=", ".join(str(w + 1) for w in weeks))


@dataclass(frozen=True)
class OvertimePeriod:
    """A calendar month or year the horizon touches, with the horizon weeks that count in it.

    ``rule`` is ``overtime_per_month`` or ``overtime_per_year``; ``label`` the period
    (``2022-01``, ``2022``); ``weeks`` the indices of :attr:`planner.timegrid.TimeGrid.weeks`
    with a day in it; ``cap_minutes`` the Labour Code's cap; ``holds_start`` whether it holds
    the horizon's first day (the operators' overtime worked before the horizon counts there).
    """

    rule: str
    label: str
    weeks: tuple[int, ...]
    cap_minutes: int
    holds_start: bool


@dataclass(frozen=True)
class Overtime:
    """The overtime rules on the horizon's weeks, in minutes (see the module's conventions).

    ``normal_minutes`` is the normal week, ``per_day_minutes`` the daily cap, ``periods`` the
    months then the years the horizon touches.
    """

    normal_minutes: int
    per_day_minutes: int
    periods: tuple[OvertimePeriod, ...]
    weeks: int

    @property
    def incidence(self) -> np.ndarray:
        """``(periods, weeks)``: 1 where a week counts in a period."""
        m = np.zeros((len(self.periods), self.weeks), dtype=np.int64)
        for k, period in enumerate(self.periods):
            m[k, list(period.weeks)] = 1
        return m

    def week_overtime(self, paid_minutes) -> np.ndarray:
        """Overtime minutes of weeks with these paid minutes: ``max(0, paid - normal)``."""
        return np.maximum(np.asarray(paid_minutes) - self.normal_minutes, 0)

    def day_excess(self, paid_minutes, shifts) -> np.ndarray:
        """``paid - normal - per_day x shifts`` per week (> 0: the daily cap is broken)."""
        return (
            np.asarray(paid_minutes)
            - self.normal_minutes
            - self.per_day_minutes * np.asarray(shifts)
        )

    def period_overtime(self, paid_minutes: np.ndarray) -> np.ndarray:
        """Overtime counted in each period, from paid minutes per week (``(..., weeks)`` ->
        ``(..., periods)``)."""
        return self.week_overtime(paid_minutes) @ self.incidence.T

    def allowance(self, operator) -> np.ndarray:
        """Minutes of overtime an operator may still work in each period: its cap less what
        they worked before the horizon (periods holding the horizon start), at least 0."""
        used = {
            "overtime_per_month": operator.overtime_hours_this_month,
            "overtime_per_year": operator.overtime_hours_this_year,
        }
        return np.array(
            [
                max(0, p.cap_minutes - (round(used[p.rule] * 60) if p.holds_start else 0))
                for p in self.periods
            ],
            dtype=np.int64,
        )

    def fits(self, paid_minutes: np.ndarray, shifts: np.ndarray, allowance: np.ndarray):
        """Per operator (rows), whether weeks of these paid minutes and shifts ``(O, weeks)``
        keep every overtime rule, given the allowances ``(O, periods)``."""
        day_ok = (self.day_excess(paid_minutes, shifts) <= 0).all(axis=-1)
        return day_ok & (self.period_overtime(paid_minutes) <= allowance).all(axis=-1)


def overtime_rules(scenario: Scenario) -> Overtime:
    """The overtime rules of a scenario on its horizon's weeks."""
    labour, grid = scenario.labour, scenario.grid
    months: dict[tuple[int, int], set[int]] = {}
    years: dict[int, set[int]] = {}
    for w, (first, stop) in enumerate(grid.weeks):
        for day in grid.dates[first:stop]:
            months.setdefault((day.year, day.month), set()).add(w)
            years.setdefault(day.year, set()).add(w)
    start = grid.dates[0]
    month_cap = _minutes(labour.max_overtime_hours_per_month)
    year_cap = _minutes(labour.max_overtime_hours_per_year)
    periods = [
        OvertimePeriod(
            "overtime_per_month",
            f"{y}-{m:02d}",
            tuple(sorted(weeks)),
            month_cap,
            (y, m) == (start.year, start.month),
        )
        for (y, m), weeks in months.items()
    ] + [
        OvertimePeriod("overtime_per_year", str(y), tuple(sorted(weeks)), year_cap, y == start.year)
        for y, weeks in years.items()
    ]
    return Overtime(
        normal_minutes=weekly_cap_minutes(labour.max_hours_per_week),
        per_day_minutes=_minutes(labour.max_overtime_hours_per_day),
        periods=tuple(periods),
        weeks=len(grid.weeks),
    )


def _minutes(hours: float) -> int:
    return math.floor(hours * 60 + 1e-9)


@dataclass(frozen=True)
class PoolOvertimeCap:
    """Under rule ``rule`` (``pool_overtime_per_month`` / ``_per_year``): pool ``pool``'s
    overtime over ``weeks``, each week's at least ``paid - normal[w]`` (its paid minutes
    beyond the normal weeks of the operators it has that week), sums to at most ``cap``
    minutes (its operators' allowances in ``period``)."""

    rule: str
    pool: int
    period: str
    weeks: tuple[int, ...]
    normal: tuple[int, ...]  # per week of ``weeks``: normal minutes of the week's operators
    cap: int
    operators: int

    def overtime(self, paid_by_week: Sequence[float]) -> float:
        """The least overtime the pool's operators work given its paid minutes per week of
        ``weeks``: ``sum_w max(0, paid_w - normal_w)``."""
        return float(
            sum(max(0.0, paid - n) for paid, n in zip(paid_by_week, self.normal, strict=True))
        )


def pool_overtime_caps(scenario: Scenario) -> tuple[PoolOvertimeCap, ...]:
    """The monthly and yearly overtime caps of whole pools, where they can bind.

    Notes
    -----
    Operator j's overtime in week W is ``max(0, paid_jW - N)``; summed over the pool's
    operators available in W (``J_pW`` of them) it is at least ``max(0, paid_pW - N J_pW)``.
    So for every period (month, year) and pool, ``sum_{W in period} max(0, paid_pW - N J_pW)
    <= sum_j allowance_j`` (:meth:`Overtime.allowance`) holds in every plan that can be
    rostered: a necessary condition, which the roster completes per operator. A cap is left
    out when the pool's operators cannot work that much overtime in the period anyway (each
    at most ``min(weekly hours, days x longest paid shift) - N`` a week).
    """
    overtime = overtime_rules(scenario)
    grid = scenario.grid
    operators = scenario.operators
    if operators is None:
        operators = generate_operators(scenario)
    work_days = work_days_per_block(grid.weeks, scenario.labour)
    caps = []
    for p, pool in enumerate(scenario.pools):
        mine = [op for op in operators if op.pool == pool.name]
        if not mine:
            continue
        templates = [scenario.template(t) for t in pool.shift_templates]
        days = np.array(
            [
                [
                    sum(day not in op.days_unavailable for day in grid.dates[a:b])
                    for a, b in grid.weeks
                ]
                for op in mine
            ]
        )  # (J, weeks) days available
        longest = np.array(
            [
                max(
                    (
                        t.paid_minutes
                        for t in templates
                        if t.length_minutes <= op.max_shift_hours * 60
                    ),
                    default=0,
                )
                for op in mine
            ]
        )
        contract = np.array([weekly_cap_minutes(op.contract_hours_per_week) for op in mine])
        most_paid = np.minimum(contract[:, None], np.minimum(days, work_days) * longest[:, None])
        most_overtime = overtime.week_overtime(most_paid)  # (J, weeks)
        present = days > 0
        allowance = np.array([overtime.allowance(op) for op in mine]).reshape(len(mine), -1)
        for k, period in enumerate(overtime.periods):
            weeks = list(period.weeks)
            here = present[:, weeks].any(axis=1)
            cap = int(allowance[here, k].sum())
            if int(most_overtime[:, weeks].sum()) <= cap:
                continue
            normal = tuple(overtime.normal_minutes * int(present[:, w].sum()) for w in weeks)
            caps.append(
                PoolOvertimeCap(
                    "pool_" + period.rule,
                    p,
                    period.label,
                    tuple(weeks),
                    normal,
                    cap,
                    int(here.sum()),
                )
            )
    return tuple(caps)


def overtime_couples_weeks(scenario: Scenario) -> bool:
    """Whether a monthly or yearly overtime cap of some pool spans several weeks and can bind:
    then the weeks of the horizon are not independent problems (:mod:`planner.shiftplan`)."""
    return any(len(cap.weeks) > 1 for cap in pool_overtime_caps(scenario))
