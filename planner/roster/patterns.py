"""A week's roster by patterns: the fewest unassigned shifts when operators are alike.

The day-by-day greedy (:mod:`planner.roster.heuristic`) fills Monday before it knows what
Tuesday needs, and the neighbourhood search repairs that a few operators at a time: on a week of
800 operators with 12-hour shifts on alternate days it leaves hundreds of shifts unassigned
(``bench/bench_roster.py --case scale``). Yet most operators of a pool are alike: for the hard
rules an operator is described by the shifts they may take each day, their weekly hours, what
they worked just before the week (a run of days, a long shift the evening before) and the
overtime they have left. Grouping them by that *class*, and shifts by their *type* (what the
hard rules read of a shift: paid minutes, span, long or not, and start and end where the rest
rule can bind), a week's roster is a choice of weekly *patterns* (a type or nothing each day)
with multiplicities:

- ``n_cp``: operators of class c working pattern p, ``sum_p n_cp = |c|``;
- ``a_dt``: shifts of type t on day d given out, ``a_dt <= demand_dt`` and
  ``a_dt <= sum_{c, p: p_d = t} n_cp``;
- maximise ``sum a_dt`` (the fewest unassigned shifts of the week).

Every hard rule is a rule on an operator's pattern, checked when the patterns are listed (one
shift a day, weekly hours, days off, overtime per day and per period, no two long shifts in a
row, runs of days and rest across the week boundary). Dropping a shift from a pattern breaks
none of them (when every shift is paid at least the daily overtime cap), so only *maximal*
patterns are listed, and the operators with more shifts of a type than planned give the extra
ones up. The model is small (classes x maximal patterns), CP-SAT solves it in a moment, and the
roster read back from it breaks no hard rule by construction (the validator checks it all the
same).

When operators are not alike (too many classes, named operators with their own days away) or
the week has too many patterns, :func:`pattern_week` returns ``None`` and the caller keeps the
greedy roster.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from planner.cpsat.clock import Clock
from planner.roster.heuristic import greedy_roster
from planner.roster.instance import MINUTES_PER_DAY, RosterInstance

__all__ = [
    "MAX_CLASSES",
    "MAX_COMBINATIONS",
    "MAX_VARIABLES",
    "Carried",
    "PatternWeek",
    "carried",
    "pattern_bound",
    "pattern_roster",
    "pattern_week",
]

MAX_COMBINATIONS = 200_000
"""At most this many day-by-day combinations of a week's types are listed (the emergency pool's
week with 4-, 8- and 12-hour shifts every day has 4^7 = 16,384)."""

MAX_CLASSES = 40
"""At most this many classes of alike operators in a week (after rounding their overtime left,
:data:`COARSER_OVERTIME_MINUTES`); more, and the greedy stays."""

COARSER_OVERTIME_MINUTES = (1, 60, 120, 240, 10**9)
"""The overtime left is rounded down to these steps in turn until the classes are few enough
(the last: no overtime at all)."""

MAX_VARIABLES = 12_000
"""At most this many pattern variables (classes x their maximal patterns) in the model; more,
and the overtime left is rounded (:data:`COARSER_OVERTIME_MINUTES`) until they are fewer (the
emergency pool's fourth week of ``bench_roster.py --case scale``, 8 classes of 3,600 patterns:
21 s wall, 5.8 deterministic seconds, not solved; one class of 2,800 in about 1 s)."""

NO_SHIFT_END = -(10**6)
"""The end (minutes) of no shift: any rest after it is long enough."""


@dataclass(frozen=True)
class _Week:
    """A week's types: ``types[d]`` lists, per day of the week, the type keys with planned
    shifts; ``kinds[(d, t)]`` the kind indices of type t on day d (day d of the week)."""

    first: int
    stop: int
    types: list[list[tuple]]
    kinds: dict[tuple[int, int], list[int]]
    demand: dict[tuple[int, int], int]


@dataclass(frozen=True)
class Carried:
    """What each operator carries into a week, as far as a rule reads it: the days worked in a
    row up to it (``run``), a long shift the evening before (``long_before``), the ends of
    their shifts on the days before it within reach of the rest rule (``last_ends[j - 1]``: j
    days before; empty when the rest rule cannot bind) and the overtime they may still work in
    each period holding the week (``left``, ``(O, periods)``)."""

    run: np.ndarray
    long_before: np.ndarray
    last_ends: tuple[np.ndarray, ...]
    left: np.ndarray


@dataclass(frozen=True)
class PatternWeek:
    """A week's roster by patterns: ``shift_of`` (the days before the week as given, the
    week's decided, later days -1), its unassigned shifts, and the fewest any roster of the
    week can leave given the days before it (``bound``; ``optimal`` when they are equal)."""

    shift_of: np.ndarray
    unassigned: int
    bound: int
    optimal: bool


def pattern_week(
    inst: RosterInstance,
    fixed: np.ndarray,
    first: int,
    stop: int,
    clock: Clock,
    seconds: float,
    hint: np.ndarray | None = None,
) -> PatternWeek | None:
    """A roster of the week ``first..stop-1`` (one of ``inst.blocks``) with the fewest
    unassigned shifts over patterns, the days before it as in ``fixed``; ``None`` when the
    operators are not alike enough (see the module docstring) or CP-SAT finds nothing in
    ``seconds`` (deterministic, charged to ``clock``). ``hint``: a roster of the week keeping
    every rule (the greedy's), where the search starts when it is better than the patterns'
    own quick answer.
    """
    b = inst.block_of(first)
    if inst.blocks[b] != (first, stop):
        return None
    week = _week_types(inst, first, stop)
    if week is None:
        return None
    hint_types = None if hint is None else _types_of(inst, week, hint)
    solved = _solve(inst, b, week, carried(inst, fixed, b), clock, seconds, hint_types)
    if solved is None or not solved.found:
        return None
    n_ops = len(inst.operators)
    before = fixed[:, :first]
    paid = np.array([k.paid_minutes for k in inst.kinds] + [0], dtype=np.int64)
    shift_of = np.full((n_ops, inst.days), -1, dtype=np.int64)
    shift_of[:, :first] = before
    picked = np.zeros((n_ops, stop - first), dtype=np.int64)  # type + 1, 0 for off
    total_paid = paid[before].sum(axis=1)
    for members, chosen, counts in solved.classes:
        # Longer weeks to those with fewer hours so far: the hours even out.
        order = sorted(members, key=lambda o: (total_paid[o], o))
        rows = [p for p, n in zip(chosen.tolist(), counts, strict=True) for _ in range(n)]
        rows.sort(key=lambda p: -int(solved.paid[p].sum()))
        for o, p in zip(order, rows, strict=True):
            picked[o] = solved.combos[p]
    _hand_out(inst, week, picked, shift_of, solved.given, total_paid, paid)
    planned = sum(week.demand.values())
    unassigned = planned - int((shift_of[:, first:stop] >= 0).sum())
    return PatternWeek(shift_of, unassigned, solved.bound, unassigned <= solved.bound)


def pattern_roster(inst: RosterInstance, clock: Clock, seconds: float) -> PatternWeek | None:
    """A roster of the whole horizon, week after week: each week by patterns given the weeks
    before it, or by the greedy (:mod:`planner.roster.heuristic`) where its operators are not
    alike enough; ``None`` when no week could be listed. ``bound`` is 0 (each week's bound
    holds only given the weeks before it); ``seconds`` for all weeks together."""
    shift_of = np.full((len(inst.operators), inst.days), -1, dtype=np.int64)
    listed = False
    for first, stop in inst.blocks:
        week = pattern_week(inst, shift_of, first, stop, clock, seconds / len(inst.blocks))
        if week is None:
            week_of = greedy_roster(inst, fixed=shift_of, from_day=first).shift_of
        else:
            week_of, listed = week.shift_of, True
        shift_of[:, first:stop] = week_of[:, first:stop]
    if not listed:
        return None
    planned = sum(k.count for k in inst.kinds)
    return PatternWeek(shift_of, planned - int((shift_of >= 0).sum()), 0, False)


def pattern_bound(inst: RosterInstance, clock: Clock, seconds: float) -> int | None:
    """A lower bound on the unassigned shifts of every roster of ``inst``: the sum over weeks
    of the fewest each week alone can leave, nothing carried into it (no run of days, no long
    shift or rest before it, the whole overtime allowance of its periods). Each week of any
    roster is a choice of patterns of that relaxed week, so its unassigned shifts are at least
    that week's fewest. ``None`` when a week's operators are not alike enough to list
    (``seconds``: for all weeks together)."""
    total = 0
    n_ops = len(inst.operators)
    for b, (first, stop) in enumerate(inst.blocks):
        week = _week_types(inst, first, stop)
        if week is None:
            return None
        if not week.demand:
            continue
        fresh = Carried(
            run=np.zeros(n_ops, dtype=np.int64),
            long_before=np.zeros(n_ops, dtype=bool),
            last_ends=(),
            left=_overtime_left(inst, np.zeros((n_ops, len(inst.blocks)), np.int64), b),
        )
        solved = _solve(inst, b, week, fresh, clock, seconds / len(inst.blocks))
        if solved is None:
            return None
        total += solved.bound
    return total


def carried(inst: RosterInstance, fixed: np.ndarray, b: int) -> Carried:
    """What each operator carries into week ``b`` in the roster ``fixed``."""
    first, _ = inst.blocks[b]
    n_ops = len(inst.operators)
    before = fixed[:, :first]
    m = inst.max_consecutive_days
    worked = before >= 0
    run = np.zeros(n_ops, dtype=np.int64)
    for d in range(first - 1, max(-1, first - m - 1), -1):
        still = run == (first - 1 - d)
        run = np.where(still & worked[:, d], run + 1, run)
    long = np.array([k.long for k in inst.kinds] + [False], dtype=bool)
    long_before = long[before[:, -1]] if first > 0 else np.zeros(n_ops, bool)
    ends = np.array([k.end for k in inst.kinds] + [NO_SHIFT_END], dtype=np.int64)
    reach = inst.rest_horizon_days if _rest_binds(inst, first, inst.blocks[b][1]) else 0
    last_ends = tuple(
        ends[before[:, first - j]] if first - j >= 0 else np.full(n_ops, NO_SHIFT_END)
        for j in range(1, reach + 1)
    )
    paid = np.array([k.paid_minutes for k in inst.kinds] + [0], dtype=np.int64)
    weekly = np.zeros((n_ops, len(inst.blocks)), dtype=np.int64)
    for w, (f, s) in enumerate(inst.blocks[:b]):
        weekly[:, w] = paid[fixed[:, f:s]].sum(axis=1)
    return Carried(run, long_before, last_ends, _overtime_left(inst, weekly, b))


def _overtime_left(inst: RosterInstance, weekly: np.ndarray, b: int) -> np.ndarray:
    """``(O, periods holding week b)``: overtime minutes each operator may still work in each
    period, given their paid minutes per earlier week (at most what one week can hold)."""
    ot = inst.overtime
    periods = [k for k, p in enumerate(ot.periods) if b in p.weeks]
    n_ops = len(inst.operators)
    if not inst.overtime_possible or not periods:
        return np.zeros((n_ops, 0), dtype=np.int64)
    used = ot.week_overtime(weekly[:, :b]) @ ot.incidence[:, :b].T
    left = (inst.overtime_allowance - used)[:, periods]
    cap = np.maximum(inst.weekly_cap_minutes - ot.normal_minutes, 0)
    return np.minimum(left, cap[:, None])


@dataclass(frozen=True)
class _Solved:
    """The pattern model's answer: per class its members, patterns (rows of ``combos``) and
    how many work each; shifts given out per (day, type); the proved fewest unassigned (0
    when the overtime left was rounded: that model is a restriction of the week)."""

    found: bool
    classes: list[tuple[list[int], np.ndarray, list[int]]]
    given: dict[tuple[int, int], int]
    combos: np.ndarray
    paid: np.ndarray
    bound: int


def _solve(
    inst: RosterInstance,
    b: int,
    week: _Week,
    state: Carried,
    clock: Clock,
    seconds: float,
    hint_types: np.ndarray | None = None,
) -> _Solved | None:
    """The pattern model of week ``b`` (see the module docstring); ``None`` when the operators
    are not alike enough or the week has too many patterns. ``hint_types``: ``(O, days)``, a
    roster of the week as types (t + 1, 0 off) where the search may start."""
    days = week.stop - week.first
    n_ops = len(inst.operators)
    m = inst.max_consecutive_days
    run = np.maximum(np.minimum(state.run, m), max(0, m - inst.work_days_per_block[b]))
    allowed = np.zeros((n_ops, days, max((len(t) for t in week.types), default=0) or 1), bool)
    for (d, t), kinds in week.kinds.items():
        allowed[list(inst.eligible[kinds[0]]), d, t] = True
    combos = _combinations(week)
    if combos is None:
        return None
    c_paid, c_long, c_work, c_start, c_end = _combo_arrays(inst, week, combos)
    all_paid = all(k.paid_minutes >= inst.overtime.per_day_minutes for k in inst.kinds)
    for step in COARSER_OVERTIME_MINUTES:
        classes = _classes(inst, allowed, run, state, step)
        if len(classes) > MAX_CLASSES:
            continue
        listed = []
        for (_, _, c_run, c_long_before, c_ends, c_left), members in classes.items():
            o = members[0]
            ok = _feasible(
                inst, b, o, allowed[o], combos, c_paid, c_long, c_work, c_start, c_end,
                run=c_run, long_before=c_long_before, last_ends=list(c_ends),
                left=np.array(c_left),
            )  # fmt: skip
            if all_paid:  # every rule still holds with a shift dropped: maximal ones suffice
                ok = _maximal(week, combos, ok)
            chosen = np.flatnonzero(ok)
            listed.append((members, chosen if chosen.size else np.array([0])))  # 0: all off
        if sum(chosen.size for _, chosen in listed) <= MAX_VARIABLES:
            break
    else:
        return None
    model = cp_model.CpModel()
    class_vars = []
    cover: dict[tuple[int, int], list] = defaultdict(list)
    # A first answer at once, should the wall clock end the search early: the greedy's.
    hints, greedy_given = _greedy_counts(week, combos, listed)
    if hint_types is not None:
        given_roster = _roster_counts(week, combos, listed, hint_types)
        if given_roster is not None and sum(given_roster[1].values()) > sum(greedy_given.values()):
            hints, greedy_given = given_roster
    for (members, chosen), hint in zip(listed, hints, strict=True):
        xs = [model.new_int_var(0, len(members), f"n[{members[0]}|{p}]") for p in chosen.tolist()]
        model.add(sum(xs) == len(members))
        for x, n in zip(xs, hint.tolist(), strict=True):
            model.add_hint(x, n)
        for x, p in zip(xs, chosen.tolist(), strict=True):
            for d in np.flatnonzero(combos[p]).tolist():
                cover[(d, int(combos[p, d]) - 1)].append(x)
        class_vars.append((members, chosen, xs))
    given = {}
    for (d, t), demand in week.demand.items():
        a = model.new_int_var(0, demand, f"a[{d}|{t}]")
        model.add(a <= sum(cover.get((d, t), [])))
        model.add_hint(a, greedy_given[(d, t)])
        given[(d, t)] = a
    model.maximize(sum(given.values()))
    # Branching on the LP's solution, polished: these models are LPs with integer rounding.
    solver = clock.solver(seconds, relative_gap=0.0, strong_lp=True, lp_search=True)
    status = clock.solve(solver, model)
    planned = sum(week.demand.values())
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if found or status == cp_model.INFEASIBLE:
        most = math.floor(solver.best_objective_bound + 1e-6) if found else 0
    else:
        most = planned
    # Rounded overtime restricts the operators' choice: its fewest is no bound for the week.
    bound = max(0, planned - min(planned, most)) if step == 1 else 0
    return _Solved(
        found,
        [
            (mb, ch, [solver.value(x) for x in xs]) if found else (mb, ch, [])
            for mb, ch, xs in class_vars
        ],
        {key: solver.value(a) for key, a in given.items()} if found else {},
        combos,
        c_paid,
        bound,
    )


def _types_of(inst: RosterInstance, week: _Week, shift_of: np.ndarray) -> np.ndarray:
    """``(O, days)``: a roster's week as types (t + 1, 0 for no shift)."""
    code = np.zeros(len(inst.kinds) + 1, dtype=np.int64)
    for (_, t), kinds in week.kinds.items():
        code[kinds] = t + 1
    return code[shift_of[:, week.first : week.stop]]


def _roster_counts(
    week: _Week, combos: np.ndarray, listed: list[tuple[list[int], np.ndarray]], types
) -> tuple[list[np.ndarray], dict[tuple[int, int], int]] | None:
    """The pattern counts of a roster of the week (``types``, see :func:`_types_of`): each
    operator's week extended to a listed (maximal) pattern holding it; ``None`` when one is
    not listed (rounded overtime: their week is outside their class's patterns)."""
    out = []
    covered: dict[tuple[int, int], int] = defaultdict(int)
    for members, chosen in listed:
        n = np.zeros(chosen.size, dtype=np.int64)
        sub = combos[chosen]
        rows, counts = np.unique(types[members], axis=0, return_counts=True)
        for q, count in zip(rows, counts.tolist(), strict=True):
            holds = np.flatnonzero(((sub == q) | (q == 0)).all(axis=1))
            if holds.size == 0:
                return None
            n[holds[0]] += count
            for d in np.flatnonzero(q).tolist():
                covered[(d, int(q[d]) - 1)] += count
        out.append(n)
    # The extended patterns cover at least what the roster did; count that (a valid hint).
    return out, {cell: min(demand, covered[cell]) for cell, demand in week.demand.items()}


def _greedy_counts(
    week: _Week, combos: np.ndarray, listed: list[tuple[list[int], np.ndarray]]
) -> tuple[list[np.ndarray], dict[tuple[int, int], int]]:
    """A quick answer to the pattern model: class by class (fewest patterns first), the
    pattern covering the most still-open demand (each (day, type) weighted by the share of its
    demand still open) goes to as many of the class as the scarcest of its open (day, type)s
    can take. Returns the counts per class (in ``listed``'s pattern order) and the shifts given
    out per (day, type)."""
    cells = sorted(week.demand)
    index = {cell: i for i, cell in enumerate(cells)}
    demand = np.array([week.demand[c] for c in cells], dtype=np.int64)
    left = demand.copy()
    order = sorted(range(len(listed)), key=lambda i: listed[i][1].size)
    out: list[np.ndarray] = [np.zeros(0, np.int64)] * len(listed)
    for i in order:
        members, chosen = listed[i]
        has = np.zeros((chosen.size, len(cells)), dtype=bool)
        for d in range(combos.shape[1]):
            t = combos[chosen, d]
            rows = np.flatnonzero(t > 0)
            has[rows, [index[(d, int(v) - 1)] for v in t[rows]]] = True
        n = np.zeros(chosen.size, dtype=np.int64)
        todo = len(members)
        while todo > 0:
            weight = left / np.maximum(demand, 1)
            score = has.astype(float) @ weight
            best = int(np.argmax(score))
            open_cells = has[best] & (left > 0)
            take = todo if not open_cells.any() else min(todo, int(left[open_cells].min()))
            n[best] += take
            todo -= take
            left[open_cells] -= take
        out[i] = n
    given = {cell: int(demand[j] - left[j]) for j, cell in enumerate(cells)}
    return out, given


def _classes(
    inst: RosterInstance, allowed: np.ndarray, run: np.ndarray, state: Carried, step: int
) -> dict[tuple, list[int]]:
    """Operators grouped by what the rules read of them: the types they may take each day,
    weekly hours, run of days, long shift the evening before, rest, and overtime left rounded
    down to ``step`` minutes (1: exact). Rounded, each group works patterns its most
    restricted member may, so the roster still keeps every rule, at the cost of some choice."""
    left = state.left if step == 1 else (state.left // step) * step
    classes: dict[tuple, list[int]] = defaultdict(list)
    for o in range(len(inst.operators)):
        if not allowed[o].any():
            continue
        key = (
            allowed[o].tobytes(),
            int(inst.weekly_cap_minutes[o]),
            int(run[o]),
            bool(state.long_before[o]),
            tuple(int(e[o]) for e in state.last_ends),
            tuple(left[o].tolist()),
        )
        classes[key].append(o)
    return classes


def _week_types(inst: RosterInstance, first: int, stop: int) -> _Week | None:
    """The week's types per day, their kinds and demand; ``None`` when kinds of one type have
    different operators eligible (then the type does not describe them)."""
    rest_binds = _rest_binds(inst, first, stop)
    types: list[list[tuple]] = [[] for _ in range(stop - first)]
    kinds: dict[tuple[int, int], list[int]] = defaultdict(list)
    demand: dict[tuple[int, int], int] = defaultdict(int)
    for k in inst.kinds:
        if not first <= k.day < stop or k.count == 0:
            continue
        key = (k.pool, k.paid_minutes, k.long, k.span_minutes)
        key += (k.start, k.end) if rest_binds else ()
        d = k.day - first
        if key not in types[d]:
            types[d].append(key)
        t = types[d].index(key)
        if kinds[(d, t)] and inst.eligible[kinds[(d, t)][0]] != inst.eligible[k.index]:
            return None
        kinds[(d, t)].append(k.index)
        demand[(d, t)] += k.count
    return _Week(first, stop, types, dict(kinds), dict(demand))


def _rest_binds(inst: RosterInstance, first: int, stop: int) -> bool:
    """Whether the rest rule can forbid any pair of shifts touching the week (else the start
    and end of a shift matter to no hard rule, only its paid minutes, span and length)."""
    lo = max(0, first - inst.rest_horizon_days)
    near = [k for k in inst.kinds if lo <= k.day < stop]
    if not near:
        return False
    latest_end = max(k.end for k in near)
    earliest_start = min(k.start for k in near)
    return MINUTES_PER_DAY + earliest_start - latest_end < inst.min_rest_minutes


def _combinations(week: _Week) -> np.ndarray | None:
    """Every day-by-day choice (0 off, t + 1 type t) as rows; ``None`` when too many."""
    sizes = [len(t) + 1 for t in week.types]
    if int(np.prod(sizes)) > MAX_COMBINATIONS:
        return None
    return np.array(list(itertools.product(*[range(s) for s in sizes])), dtype=np.int64).reshape(
        -1, len(sizes)
    )


def _combo_arrays(inst, week: _Week, combos: np.ndarray):
    """Per combination and day: paid minutes, long, worked, start and end (minutes)."""
    shape = combos.shape
    c_paid = np.zeros(shape, dtype=np.int64)
    c_long = np.zeros(shape, dtype=bool)
    c_start = np.zeros(shape, dtype=np.int64)
    c_end = np.zeros(shape, dtype=np.int64)
    for d, types in enumerate(week.types):
        for t in range(len(types)):
            k = inst.kinds[week.kinds[(d, t)][0]]
            rows = combos[:, d] == t + 1
            c_paid[rows, d] = k.paid_minutes
            c_long[rows, d] = k.long
            starts = [inst.kinds[i].start for i in week.kinds[(d, t)]]
            ends = [inst.kinds[i].end for i in week.kinds[(d, t)]]
            c_start[rows, d] = min(starts)  # the same for every kind when the rest rule binds
            c_end[rows, d] = max(ends)
    return c_paid, c_long, combos > 0, c_start, c_end


def _feasible(
    inst, b, o, allowed, combos, c_paid, c_long, c_work, c_start, c_end, *,
    run, long_before, last_ends, left,
) -> np.ndarray:  # fmt: skip
    """Combinations operator ``o`` (for their class) may work: every hard rule on the week."""
    days = combos.shape[1]
    ok = np.ones(combos.shape[0], dtype=bool)
    for d in range(days):  # the types they may take that day
        may = np.concatenate([[True], allowed[d]])
        ok &= may[combos[:, d]]
    paid = c_paid.sum(axis=1)
    shifts = c_work.sum(axis=1)
    ok &= paid <= inst.weekly_cap_minutes[o]  # weekly_hours
    ok &= shifts <= inst.work_days_per_block[b]  # days_off_per_week
    ot = inst.overtime
    if inst.weekly_cap_minutes[o] > ot.normal_minutes:  # overtime_per_day, _per_month, _per_year
        ok &= ot.day_excess(paid, shifts) <= 0
        for most in left.tolist():
            ok &= ot.week_overtime(paid) <= most
    if inst.long_rule:  # no_consecutive_long_shifts, the evening before the week included
        ok &= ~(c_long[:, 0] & long_before)
        for d in range(days - 1):
            ok &= ~(c_long[:, d] & c_long[:, d + 1])
    current = np.full(combos.shape[0], run, dtype=np.int64)  # max_consecutive_days
    for d in range(days):
        current = np.where(c_work[:, d], current + 1, 0)
        ok &= current <= inst.max_consecutive_days
    for j, end in enumerate(last_ends, start=1):  # min_rest after the days before the week
        for d in range(min(days, inst.rest_horizon_days - j + 1)):
            gap = (d + j) * MINUTES_PER_DAY + c_start[:, d] - end
            ok &= ~c_work[:, d] | (gap >= inst.min_rest_minutes)
    for d in range(days):  # min_rest within the week
        for later in range(d + 1, min(days, d + inst.rest_horizon_days + 1)):
            gap = (later - d) * MINUTES_PER_DAY + c_start[:, later] - c_end[:, d]
            ok &= ~(c_work[:, d] & c_work[:, later]) | (gap >= inst.min_rest_minutes)
    return ok


def _maximal(week: _Week, combos: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Feasible combinations to which no shift can be added on a day off."""
    sizes = np.array([len(t) + 1 for t in week.types], dtype=np.int64)
    radix = np.ones(len(sizes), dtype=np.int64)
    for d in range(len(sizes) - 2, -1, -1):
        radix[d] = radix[d + 1] * sizes[d + 1]
    code = combos @ radix  # itertools.product order: row index == code
    out = ok.copy()
    for d in range(len(sizes)):
        off = combos[:, d] == 0
        for t in range(1, int(sizes[d])):
            more = np.zeros_like(ok)
            more[off] = ok[code[off] + t * radix[d]]
            out &= ~more
    return out


def _hand_out(inst, week, picked, shift_of, given, total_paid, paid) -> None:
    """Give each day's shifts of a type to the operators whose pattern has it, kind by kind,
    up to the type's shifts given out (the others drop it: their pattern less a shift still
    keeps every rule); late and weekend shifts to those with fewest so far."""
    first = week.first
    late_count = np.zeros(len(inst.operators), dtype=np.int64)
    for d in range(picked.shape[1]):
        for t in range(len(week.types[d])):
            holders = np.flatnonzero(picked[:, d] == t + 1)
            want = int(given[(d, t)])
            if holders.size > want:  # those with most hours give theirs up
                order = np.lexsort((holders, -total_paid[holders]))
                holders = np.sort(holders[order[holders.size - want :]])
            kinds = sorted(week.kinds[(d, t)], key=lambda k: not inst.kinds[k].late)
            order = holders[np.lexsort((holders, late_count[holders]))]
            i = 0
            for k in kinds:
                take = order[i : i + inst.kinds[k].count]
                shift_of[take, first + d] = k
                late_count[take] += inst.kinds[k].late
                i += take.size
                if i >= order.size:
                    break
        total_paid += paid[shift_of[:, first + d]]
