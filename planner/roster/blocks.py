"""Rosters at scale: the roster solved block by block, by pool and then by week.

Operators of a pool take only that pool's shifts, and every hard and soft rule is about one
operator or one pool, so the pools are independent subproblems: the roster of each pool alone,
put together, is a roster of the whole, and the fewest unassigned shifts of the whole is the sum
of the pools' fewest. The lower bound of a roster solved pool by pool is therefore the sum of
the pools' counting bounds (:mod:`planner.roster.relaxation`), each as good as the global one.

A pool too large for one model (:data:`WEEK_SPLIT_VARIABLES` assignment variables) is solved a
week at a time, in order. The rules across a week boundary stay: each week's model holds, as a
fixed *context*, the roster of the days before it that can still constrain it (the rest after
the previous evening, no two long shifts in a row, at most ``max_consecutive_days`` days in a
row; every earlier day when overtime can bind, since the monthly and yearly overtime caps add
up the weeks). Weekly hours and days off are per week, so each week's model holds them whole.
Those week blocks are not independent, so their own bounds do not add up: the pool's bound stays
its global counting bound, and each week's bound (given its context) only tells the week's
search when to stop.

Every block gets its fair share of the wall clock left (what remains divided by the blocks
still to solve), so time a block does not need goes to the blocks after it; a block is solved
as :mod:`planner.roster.assign` solves a whole roster: greedy start, the fewest unassigned
shifts by neighbourhood search, then the wishes with that coverage kept. Where the greedy
leaves shifts over its bound, a week is first solved over weekly patterns of alike operators
(:mod:`planner.roster.patterns`): that roster starts the search when it is better, its optimum
(given the weeks before) is the week's floor, and the weeks' pattern bounds strengthen the
pool's bound.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from planner.cpsat.clock import WALL_SLACK, Clock
from planner.domain.scenario import SolverSettings
from planner.roster.heuristic import greedy_roster
from planner.roster.instance import RosterInstance, with_rostered_targets
from planner.roster.model import RosterModel, build_model, limit_unassigned
from planner.roster.patterns import pattern_bound, pattern_roster, pattern_week
from planner.roster.relaxation import CountingBound, counting_bound
from planner.roster.rules import COVERAGE_RULES, WISH_RULES
from planner.roster.search import improve

__all__ = [
    "DECOMPOSE_VARIABLES",
    "WEEK_SPLIT_VARIABLES",
    "Block",
    "BlockReport",
    "BlocksOutcome",
    "assignment_variables",
    "plan_blocks",
    "pool_instance",
    "roster_by_blocks",
    "week_instance",
]

DECOMPOSE_VARIABLES = 40_000
"""Rosters with more assignment variables than this are solved block by block (the 300
operators of ``bench_roster.py --case large`` have about 36,000, and the whole model still
works there)."""

WEEK_SPLIT_VARIABLES = 25_000
"""A pool with more assignment variables than this is solved a week at a time."""

COVERAGE_SHARE = 0.85
"""Of a block's time, at most this share for its coverage search; the wishes get the rest
(0.85 left 283 shifts unassigned on `bench_roster.py --case scale`, 0.6 left 294)."""

BOUND_SECONDS = 1.0
"""At most this long (and a tenth of the block's time) for a block's counting bound."""

PATTERN_SECONDS = 5.0
"""At most this long (and half the block's time) for a week's pattern model
(:mod:`planner.roster.patterns`; the emergency pool's weeks of ``bench_roster.py --case scale``
take 1-3.4 deterministic seconds), and as long for a pool's pattern bound, all weeks together."""


@dataclass(frozen=True)
class Block:
    """A part of the roster solved on its own: a pool, over days ``first..stop-1`` (a week, or
    the whole horizon)."""

    pool: int
    first: int
    stop: int
    week: int | None  # the week's index, None for the whole horizon

    def label(self, inst: RosterInstance) -> str:
        pool = inst.pool_names[self.pool]
        return pool if self.week is None else f"{pool} {inst.week_label(self.week)}"


@dataclass(frozen=True)
class BlockReport:
    """How a block went: its unassigned shifts against its lower bound (given the blocks
    before it), and the wall-clock seconds it took and was given."""

    label: str
    index: int  # from 1
    blocks: int
    planned: int
    unassigned: int
    bound: int
    greedy_unassigned: int
    seconds: float
    share_seconds: float
    pattern_unassigned: int | None = None  # the pattern model's start, when it had one

    def text(self) -> str:
        patterns = (
            "" if self.pattern_unassigned is None else f", patterns {self.pattern_unassigned}"
        )
        return (
            f"block {self.index}/{self.blocks} {self.label}: {self.unassigned} unassigned "
            f"(bound {self.bound}, greedy {self.greedy_unassigned}{patterns}), "
            f"{self.seconds:.1f} s of {self.share_seconds:.1f} s"
        )


@dataclass(frozen=True)
class BlocksOutcome:
    """The combined roster, the combined greedy start, the bound (sum of the pools' bounds:
    counting, or the weeks' patterns where larger) and every block's report."""

    shift_of: np.ndarray
    greedy: np.ndarray
    bound: CountingBound
    reports: tuple[BlockReport, ...]
    wishes_objective: float  # sum of the blocks' wish objectives (points)
    improvements: int


def assignment_variables(inst: RosterInstance) -> int:
    """The roster model's assignment variables: operator x kind pairs the operator may take."""
    return sum(len(ops) for ops in inst.eligible.values())


def _sub_instance(
    inst: RosterInstance,
    operators: np.ndarray,
    kinds: Sequence[tuple[int, int, Sequence[int] | None]],
    target_minutes: np.ndarray | None = None,
) -> tuple[RosterInstance, np.ndarray]:
    """The instance of some operators (indices, sorted) and kinds (``(kind index, count,
    operators who may take it or None for every eligible one)``). Returns it and each new
    kind's index in ``inst``."""
    local = {int(o): i for i, o in enumerate(operators)}
    new_kinds, eligible, origin = [], {}, []
    for i, (k, count, only) in enumerate(kinds):
        new_kinds.append(dataclasses.replace(inst.kinds[k], index=i, count=count))
        chosen = inst.eligible[k] if only is None else only
        eligible[i] = tuple(local[o] for o in chosen if o in local)
        origin.append(k)
    sub = dataclasses.replace(
        inst,
        operators=tuple(inst.operators[o] for o in operators),
        kinds=tuple(new_kinds),
        operator_pool=inst.operator_pool[operators],
        available=inst.available[operators],
        prefers_off=inst.prefers_off[operators],
        weekly_cap_minutes=inst.weekly_cap_minutes[operators],
        max_shift_minutes=inst.max_shift_minutes[operators],
        target_minutes=(
            inst.target_minutes[operators] if target_minutes is None else target_minutes
        ),
        eligible=eligible,
    )
    return sub, np.array(origin, dtype=np.int64)


def pool_instance(inst: RosterInstance, pool: int) -> tuple[RosterInstance, np.ndarray, np.ndarray]:
    """The instance of one pool: its operators and its shifts, every rule as in ``inst``.

    Returns the instance, its operators' indices in ``inst`` and its kinds' indices there.
    """
    members = np.flatnonzero(inst.operator_pool == pool)
    kinds = [(k.index, k.count, None) for k in inst.kinds if k.pool == pool]
    sub, origin = _sub_instance(inst, members, kinds)
    return sub, members, origin


def context_first_day(inst: RosterInstance, first: int) -> int:
    """The first day of the context a week starting on ``first`` needs: the days before it
    whose shifts can still break a rule with its shifts."""
    if first == 0:
        return 0
    if inst.overtime_possible:
        return 0  # the monthly and yearly overtime caps add up every earlier week
    reach = max(inst.max_consecutive_days, inst.rest_horizon_days, 1)
    return max(0, first - reach)


def week_instance(
    inst: RosterInstance, shift_of: np.ndarray, first: int, stop: int
) -> tuple[RosterInstance, np.ndarray, np.ndarray]:
    """The instance of days ``first..stop-1`` with the roster ``shift_of`` of the days before
    fixed as context (each context shift a kind only its operator may take; see
    :func:`fix_context`).

    Each operator's hours target is their share up to ``stop`` (``T_o stop / D``) less what
    they worked before the context, so the weeks keep everyone on course for the whole target.

    Returns the instance, the context's ``(operator, kind)`` pairs (in the new instance's
    indices) and each new kind's index in ``inst``.
    """
    since = context_first_day(inst, first)
    kinds: list[tuple[int, int, Sequence[int] | None]] = []
    for d in range(since, first):
        worked = Counter(int(k) for k in shift_of[:, d] if k >= 0)
        for k, count in sorted(worked.items()):
            kinds.append((k, count, np.flatnonzero(shift_of[:, d] == k).tolist()))
    n_context = len(kinds)
    kinds += [(k.index, k.count, None) for k in inst.kinds if first <= k.day < stop]
    paid = np.array([k.paid_minutes for k in inst.kinds] + [0], dtype=np.int64)
    before = paid[shift_of[:, :since]].sum(axis=1)
    share = np.rint(inst.target_minutes * stop / inst.days).astype(np.int64)
    targets = np.maximum(share - before, 0)
    operators = np.arange(len(inst.operators))
    sub, origin = _sub_instance(inst, operators, kinds, targets)
    context = np.array(
        [(o, i) for i in range(n_context) for o in sub.eligible[i]], dtype=np.int64
    ).reshape(-1, 2)
    return sub, context, origin


def fix_context(rm: RosterModel, context: np.ndarray) -> None:
    """Every context shift worked by its operator, as in the roster it comes from."""
    for o, k in context.tolist():
        rm.model.add(rm.variables.assign[(o, k)] == 1)


def plan_blocks(
    inst: RosterInstance, pools: Sequence[int], week_split: int = WEEK_SPLIT_VARIABLES
) -> list[Block]:
    """The blocks: each pool whole, or week by week when its model has more than
    ``week_split`` assignment variables."""
    out = []
    for p in pools:
        size = sum(len(inst.eligible[k.index]) for k in inst.kinds if k.pool == p)
        if size > week_split and len(inst.blocks) > 1:
            out += [Block(p, first, stop, w) for w, (first, stop) in enumerate(inst.blocks)]
        else:
            out.append(Block(p, 0, inst.days, None))
    return out


def _to_local(shift_of: np.ndarray, origin: np.ndarray, n_kinds: int) -> np.ndarray:
    """A roster in another instance's kind indices (``origin[i]``: kind i's index there)."""
    back = np.full(n_kinds + 1, -1, dtype=np.int64)
    back[origin] = np.arange(origin.size)
    return back[shift_of]


def _unassigned(inst: RosterInstance, shift_of: np.ndarray) -> int:
    return int(sum(k.count for k in inst.kinds) - (shift_of >= 0).sum())


def _stronger(bound: CountingBound, inst: RosterInstance, clock: Clock, seconds: float):
    """The better of ``bound`` and the pattern bound of the weeks
    (:func:`~planner.roster.patterns.pattern_bound`; not when the weeks cannot be listed), in
    ``seconds`` of its own (a block's share may be spent), charged to ``clock``."""
    left = max(0.01, clock.deadline - time.perf_counter())
    own = Clock(clock.settings, deadline_seconds=min(WALL_SLACK * seconds, left))
    by_weeks = pattern_bound(inst, own, seconds)
    clock.spent += own.spent
    clock.cut |= own.cut
    if by_weeks is None or by_weeks <= bound.shifts:
        return bound
    return CountingBound(by_weeks, bound.proved)


def _unassigned_in(inst: RosterInstance, shift_of: np.ndarray, block: Block) -> int:
    """Unassigned shifts of the block's days (its context days are all assigned)."""
    planned = sum(k.count for k in inst.kinds if block.first <= k.day < block.stop)
    return planned - int((shift_of[:, block.first : block.stop] >= 0).sum())


def roster_by_blocks(
    inst: RosterInstance,
    settings: SolverSettings,
    clock: Clock,
    seconds: float,
    *,
    on_block: Callable[[BlockReport], None] | None = None,
    stop: threading.Event | None = None,
    tail_seconds: float = 0.0,
    week_split: int | None = None,
) -> BlocksOutcome:
    """Roster ``inst`` block by block (see the module docstring).

    Parameters
    ----------
    clock : Clock
        The call's clock: its deadline ends the last block, and every block's deterministic
        time is charged to it.
    seconds : float
        Deterministic seconds for every block together (:mod:`planner.cpsat.clock`). A block
        gets its share of what is left of them, and of the wall clock left before the
        deadline (less ``tail_seconds``), whichever ends first: the same roster run after
        run unless the wall clock ends a block (then ``clock.cut`` is set).
    on_block : callable, optional
        Called with each block's :class:`BlockReport` as it ends.
    tail_seconds : float
        Wall-clock seconds to leave before the deadline (for what comes after).
    week_split : int, optional
        Pools with more assignment variables than this are solved week by week (default
        :data:`WEEK_SPLIT_VARIABLES`).
    """
    n_ops = len(inst.operators)
    pools = sorted({k.pool for k in inst.kinds})
    blocks = plan_blocks(inst, pools, WEEK_SPLIT_VARIABLES if week_split is None else week_split)
    shift_of = np.full((n_ops, inst.days), -1, dtype=np.int64)
    greedy_all = shift_of.copy()
    per_pool = {p: pool_instance(inst, p) for p in pools}
    bounds: dict[int, CountingBound] = {}
    reports, wishes, improvements = [], 0.0, 0
    pool_roster = {
        p: np.full((len(members), inst.days), -1, dtype=np.int64)
        for p, (_, members, _) in per_pool.items()
    }
    spent_before = clock.spent
    for i, block in enumerate(blocks):
        started = time.perf_counter()
        share = max(0.05, (clock.deadline - started - tail_seconds) / (len(blocks) - i))
        budget = max(0.05, (seconds - (clock.spent - spent_before)) / (len(blocks) - i))
        sub_clock = Clock(settings, deadline_seconds=share)
        pinst, members, porigin = per_pool[block.pool]
        if block.pool not in bounds:  # the pool's global bound, over its whole horizon
            bounds[block.pool] = counting_bound(
                pinst, settings, min(BOUND_SECONDS, 0.1 * share), sub_clock
            )
        current = pool_roster[block.pool]
        if block.week is None:
            binst, context, origin = pinst, np.zeros((0, 2), np.int64), np.arange(len(pinst.kinds))
            floor = bounds[block.pool]
        else:
            binst, context, origin = week_instance(pinst, current, block.first, block.stop)
            floor = counting_bound(binst, settings, min(BOUND_SECONDS, 0.1 * share), sub_clock)
        start = _to_local(current, origin, len(pinst.kinds))
        greedy = greedy_roster(binst, fixed=start, from_day=block.first).shift_of
        days = slice(block.first, block.stop)
        greedy_unassigned = _unassigned_in(binst, greedy, block)
        begin, floor_shifts, pattern_unassigned = greedy, floor.shifts, None
        seconds_patterns = min(PATTERN_SECONDS, 0.5 * share)
        patterned = None
        if greedy_unassigned <= floor.shifts:
            pass  # the greedy roster is as good as it gets
        elif block.week is None:
            patterned = pattern_roster(binst, sub_clock, seconds_patterns)
            bounds[block.pool] = _stronger(bounds[block.pool], pinst, sub_clock, seconds_patterns)
            floor_shifts = bounds[block.pool].shifts
        else:
            patterned = pattern_week(
                binst, start, block.first, block.stop, sub_clock, seconds_patterns, hint=greedy
            )
        if patterned is not None:
            pattern_unassigned = _unassigned_in(binst, patterned.shift_of, block)
            if pattern_unassigned <= greedy_unassigned:
                begin = patterned.shift_of
            if block.week is not None:  # the fewest given the weeks before: no search below it
                floor_shifts = max(floor_shifts, patterned.bound)
        solved, wish_points, better = solve_block(
            binst, settings, begin, floor_shifts, context, block, budget, sub_clock, stop
        )
        improvements += better
        wishes += 0.0 if math.isnan(wish_points) else wish_points
        current[:, days] = np.where(solved[:, days] >= 0, origin[solved[:, days]], -1)
        greedy_days = np.where(greedy[:, days] >= 0, origin[greedy[:, days]], -1)
        greedy_all[members, days] = np.where(greedy_days >= 0, porigin[greedy_days], -1)
        shift_of[members, days] = np.where(current[:, days] >= 0, porigin[current[:, days]], -1)
        clock.spent += sub_clock.spent
        clock.cut |= sub_clock.cut
        in_block = [k for k in binst.kinds if block.first <= k.day < block.stop]
        planned = sum(k.count for k in in_block)
        report = BlockReport(
            label=block.label(inst),
            index=i + 1,
            blocks=len(blocks),
            planned=planned,
            unassigned=planned - int((solved[:, days] >= 0).sum()),
            bound=floor_shifts,
            greedy_unassigned=greedy_unassigned,
            seconds=time.perf_counter() - started,
            share_seconds=share,
            pattern_unassigned=pattern_unassigned,
        )
        last = all(b.pool != block.pool for b in blocks[i + 1 :])
        if (
            last
            and block.week is not None
            and _unassigned(pinst, current) > bounds[block.pool].shifts
        ):
            # A better bound than counting's, where it could matter: the weeks' patterns.
            bounds[block.pool] = _stronger(bounds[block.pool], pinst, clock, PATTERN_SECONDS)
        reports.append(report)
        if on_block is not None:
            on_block(report)
        if clock.stopped(stop):
            break
    total = CountingBound(
        sum(b.shifts for b in bounds.values()), all(b.proved for b in bounds.values())
    )
    return BlocksOutcome(shift_of, greedy_all, total, tuple(reports), wishes, improvements)


def solve_block(
    inst: RosterInstance,
    settings: SolverSettings,
    greedy: np.ndarray,
    floor: int,
    context: np.ndarray,
    block: Block,
    seconds: float,
    clock: Clock,
    stop: threading.Event | None,
) -> tuple[np.ndarray, float, int]:
    """One block: the fewest unassigned shifts from the greedy roster, then the wishes with no
    more unassigned, in ``seconds`` of deterministic time charged to ``clock``. Returns the
    roster, its wish points and the improvements found."""
    spent_before = clock.spent
    days = (block.first, block.stop)
    per_shift = inst.weights.unassigned_shift
    shift_of, improvements, wish_points = greedy, 0, math.nan
    if _unassigned(inst, greedy) > floor and not clock.stopped(stop):
        rm = build_model(inst, soft_rules=COVERAGE_RULES)
        limit_unassigned(rm, inst, at_least=floor)
        fix_context(rm, context)
        outcome = improve(
            rm,
            inst,
            greedy,
            settings,
            COVERAGE_SHARE * seconds,
            floor=floor * per_shift,
            focus_unassigned=True,
            whole_first=False,
            stop=stop,
            clock=clock,
            days=days,
        )
        if outcome.status == "FEASIBLE":
            shift_of, improvements = outcome.shift_of, outcome.improvements
    if not clock.stopped(stop):
        winst = with_rostered_targets(inst, shift_of) if block.week is None else inst
        rm = build_model(winst, soft_rules=WISH_RULES)
        limit_unassigned(rm, winst, at_most=_unassigned(inst, shift_of))
        fix_context(rm, context)
        outcome = improve(
            rm,
            winst,
            shift_of,
            settings,
            max(0.05, seconds - (clock.spent - spent_before)),
            stop=stop,
            clock=clock,
            days=days,
        )
        if outcome.status == "FEASIBLE":
            shift_of, wish_points = outcome.shift_of, outcome.objective
            improvements += outcome.improvements
    return shift_of, wish_points, improvements
