"""What the labour rules let a whole pool work: the limits a shift plan keeps so that every
planned shift can be given to an operator.

A roster (:mod:`planner.roster`) gives each planned shift to one operator under per-person
rules: at least ``min_days_off_per_week`` days off in every week, at most
``max_consecutive_days`` working days in a row, never two long shifts on consecutive days.
Summed over a pool's operators these rules cap how many shifts the pool can staff, and a plan
that asks for more cannot be rostered, however the shifts are shared out. The shift plan
(:mod:`planner.optimise`) keeps within these caps and the validator (:mod:`planner.validation`)
checks them, so the service a plan reports is service its operators can legally give.

Conventions
-----------
- Weeks are 7-day blocks counted from the horizon start (days 1-7, 8-14, ...), as for weekly
  paid hours and the roster's days-off rule. A last block shorter than a week needs only the
  days off that do not fit outside it (``min_days_off - (7 - length)``, at least 0).
- Operators are counted as the headcount describes them: pool p has ``max_d H[p, d]``
  operators, the j-th (from 0) available on the days where ``H[p, d] > j`` (exactly the
  operators :func:`planner.roster.operators.generate_operators` makes). Named operators whose
  days off differ are the roster's business: it reports what it cannot assign.
- The limits count within a week: a run of working days or a pair of long shifts that spans
  two weeks is left to the roster, so that the weeks of a long horizon can still be planned
  independently (:mod:`planner.optimise.blocks`). On a horizon of one week nothing is left.
- A shift is *long* when it spans at least ``long_shift_hours`` (breaks included).

No solver here: the optimiser and the validator both read these limits.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from planner.scenario import LabourRules, Scenario

__all__ = [
    "POOL_LIMIT_RULES",
    "PoolLimit",
    "is_long",
    "pool_limits",
    "week_blocks",
    "work_days_per_block",
]

POOL_LIMIT_RULES = (
    "pool_working_days",
    "pool_consecutive_days",
    "pool_shifts_within_weekly_hours",
    "pool_long_shift_pairs",
)
"""The rules the limits belong to (hard rules of the plan, named as in the optimiser and the
validator)."""


@dataclass(frozen=True)
class PoolLimit:
    """Under rule ``rule``: the shifts of pool ``pool`` starting on days ``first``..``last``
    (day indices, inclusive), each counted with its :meth:`weight`, sum to at most ``cap``.

    A shift's weight is 0 when it spans less than ``min_span_minutes`` (long shifts only);
    otherwise its coefficient in ``weights`` by paid minutes, or 1 when ``weights`` is empty.
    """

    rule: str
    pool: int
    first: int
    last: int
    cap: int
    operators: int  # operators available on some day of the window
    per_operator: int  # most each of them may work, in the same count
    min_span_minutes: float = 0.0  # long shifts only, when set
    weights: tuple[tuple[int, int], ...] = ()  # (paid minutes, coefficient)

    def weight(self, span_minutes: float, paid_minutes: float) -> int:
        """How much one shift of this span and paid time counts (its pool and day apart)."""
        if span_minutes < self.min_span_minutes - 1e-9:
            return 0
        if not self.weights:
            return 1
        return next((c for paid, c in self.weights if paid == round(paid_minutes)), 0)

    def describe(self) -> str:
        """The cap in words, for messages."""
        if self.min_span_minutes:
            what = "long shifts"
        elif self.weights:
            what = " + ".join(
                (f"{c} x " if c != 1 else "") + f"shifts paying {paid / 60:g} h"
                for paid, c in self.weights
                if c
            )
            return (
                f"{what} may count at most {self.cap}: what its {self.operators} operator(s) "
                f"can work within their weekly hours (at most {self.per_operator} each)"
            )
        else:
            what = "shifts"
        return (
            f"its {self.operators} operator(s) may work at most {self.cap} {what} in all "
            f"(at most {self.per_operator} each)"
        )


def week_blocks(days: int) -> tuple[tuple[int, int], ...]:
    """The weeks of a horizon of ``days`` days: (first day, last day + 1) of each."""
    return tuple((first, min(first + 7, days)) for first in range(0, days, 7))


def work_days_per_block(
    blocks: tuple[tuple[int, int], ...], labour: LabourRules
) -> tuple[int, ...]:
    """Most days an operator may work in each week: its length less the days off it needs."""
    return tuple(
        (stop - first) - max(0, labour.min_days_off_per_week - (7 - (stop - first)))
        for first, stop in blocks
    )


def is_long(span_minutes: float, labour: LabourRules) -> bool:
    """A shift spanning ``span_minutes`` (breaks included) is long under the labour rules."""
    return span_minutes >= labour.long_shift_hours * 60 - 1e-9


def pool_limits(scenario: Scenario, headcount: np.ndarray | None = None) -> tuple[PoolLimit, ...]:
    """Every limit the labour rules put on the shifts of whole pools.

    Parameters
    ----------
    scenario : Scenario
    headcount : numpy.ndarray, optional
        ``H[p, d]``, operators of pool p available on day d (pools in scenario order); default
        the scenario's, after headcount changes.

    Returns
    -------
    tuple of PoolLimit
        Only limits that can bind: a cap below what the daily headcounts allow anyway.

    Notes
    -----
    With ``A[j, d] = H[p, d] > j`` (operator j of pool p available on day d), for every pool p
    and week W:

    - ``pool_working_days``: ``sum_{o of p on W} x_o <= sum_j min(sum_{d in W} A[j, d],
      work_days_W)``;
    - ``pool_consecutive_days``, per window of ``m + 1`` consecutive days inside W (``m =
      max_consecutive_days``; only when ``m < work_days_W``): ``sum_{o of p on the window} x_o
      <= sum_j min(sum_{d in window} A[j, d], m)``;
    - ``pool_shifts_within_weekly_hours``, per paid length L of the pool's templates: ``sum_{o
      of p on W, paid_o >= L} x_o <= sum_j min(sum_{d in W} A[j, d], work_days_W, floor(60
      max_hours_per_week_p / L))`` (each such shift takes at least L of the operator's week);
    - ``pool_long_shift_pairs`` (when ``no_consecutive_long_shifts``), per consecutive days d,
      d + 1 of W: ``sum_{o of p on d or d + 1, long} x_o <= sum_j (A[j, d] or A[j, d + 1]) =
      max(H[p, d], H[p, d + 1])``.
    """
    labour = scenario.labour
    if headcount is None:
        matrix = scenario.headcount_matrix()
        headcount = np.stack([matrix[p.name] for p in scenario.pools])
    headcount = np.asarray(headcount, dtype=np.int64)
    n_days = headcount.shape[1]
    blocks = week_blocks(n_days)
    work_days = work_days_per_block(blocks, labour)
    run = labour.max_consecutive_days
    long_minutes = labour.long_shift_hours * 60
    windows = []  # (rule, first, last, most per operator, min span), for every pool below
    for (first, stop), allowed in zip(blocks, work_days, strict=True):
        windows.append(("pool_working_days", first, stop - 1, allowed, 0.0))
        if run < allowed:  # else the week's working days are the tighter cap
            for start in range(first, stop - run):  # windows of run + 1 days in the week
                windows.append(("pool_consecutive_days", start, start + run, run, 0.0))
        if labour.no_consecutive_long_shifts:
            for day in range(first, stop - 1):
                windows.append(("pool_long_shift_pairs", day, day + 1, 1, long_minutes))
    limits = []
    for p, pool in enumerate(scenario.pools):
        people = int(headcount[p].max()) if n_days else 0
        available = headcount[p][None, :] > np.arange(people)[:, None]  # A[j, d]
        for rule, first, last, each, span in windows:
            days = available[:, first : last + 1]
            on_some_day = int(days.any(axis=1).sum())
            if rule == "pool_long_shift_pairs":
                cap = on_some_day  # one long shift each among either day's operators
            else:
                cap = int(np.minimum(days.sum(axis=1), each).sum())
            if cap < int(days.sum()):  # below what the daily headcounts allow anyway
                limits.append(PoolLimit(rule, p, first, last, cap, on_some_day, each, span))
        paid = sorted({scenario.template(t).paid_minutes for t in pool.shift_templates} - {0})
        hours = math.floor(pool.max_hours_per_week * 60 + 1e-9)
        for (first, stop), allowed in zip(blocks, work_days, strict=True):
            days = available[:, first:stop].sum(axis=1)
            groups = Counter(int(min(n, allowed)) for n in days if n > 0)
            loose = int(headcount[p, first:stop].sum())
            for weights, cap, each in _hours_cuts(paid, hours, groups, loose):
                limits.append(
                    PoolLimit(
                        "pool_shifts_within_weekly_hours",
                        p,
                        first,
                        stop - 1,
                        cap,
                        sum(groups.values()),
                        each,
                        weights=weights,
                    )
                )
    return tuple(limits)


def _patterns(paid: list[int], hours: int, days: int) -> np.ndarray:
    """Every week one operator may work: counts of shifts of each paid length, at most
    ``days`` shifts and ``hours`` paid minutes in all. One row per pattern."""
    rows = [
        c
        for c in itertools.product(range(days + 1), repeat=len(paid))
        if sum(c) <= days and sum(n * m for n, m in zip(c, paid, strict=True)) <= hours
    ]
    return np.array(rows, dtype=np.int64).reshape(-1, len(paid))


def _hours_cuts(
    paid: list[int], hours: int, groups: Counter, loose: int
) -> list[tuple[tuple[tuple[int, int], ...], int, int]]:
    """``pool_shifts_within_weekly_hours`` in one week: weighted counts ``sum_i a_i A_i <=
    sum_g J_g max_{c in P_g} a . c``, where ``A_i`` is the week's shifts paying ``paid[i]``,
    ``J_g`` the operators who may work ``g`` days and ``P_g`` the patterns one of them may work
    (:func:`_patterns`). Valid for any ``a >= 0``; the directions ``a`` are the upper facets of
    each ``conv(P_g)``, so that together the cuts describe what the operators can work about
    as tightly as linear counts can. Returns (weights, cap, most per operator) of the cuts that
    can bind."""
    if not paid or not groups:
        return []
    patterns = {g: _patterns(paid, hours, g) for g in groups}
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
