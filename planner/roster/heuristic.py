"""A fast greedy roster: where the search starts, and the roster of last resort.

Day by day, long shifts first, every planned shift goes to the eligible operator who breaks no
hard rule with what is assigned so far and has the most working days left in the week (so
nobody is used up early and leaves the weekend uncovered); ties go to the operator furthest
below their fair share of hours, then to one who did not ask for the day off and likes the start.
A shift no operator can take stays unassigned.

Only days already rostered constrain a choice (days are taken in order), so every rule is
checked against the past alone and the result breaks no hard rule. Solver-free.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.roster.instance import MINUTES_PER_DAY, RosterInstance, ShiftKind

__all__ = ["GreedyRoster", "greedy_roster"]


@dataclass(frozen=True)
class GreedyRoster:
    """``shift_of[o, d]``: the kind operator o works on day d, -1 for none."""

    shift_of: np.ndarray

    def assigned(self) -> dict[tuple[int, int], int]:
        """``(operator, kind) -> 1`` for every assignment, keyed like the model's variables."""
        ops, days = np.nonzero(self.shift_of >= 0)
        return {(int(o), int(self.shift_of[o, d])): 1 for o, d in zip(ops, days, strict=True)}


def greedy_roster(
    inst: RosterInstance, fixed: np.ndarray | None = None, from_day: int = 0
) -> GreedyRoster:
    """Roster the plan greedily (see the module docstring).

    Parameters
    ----------
    fixed : ndarray, optional
        ``(O, D)`` roster whose days before ``from_day`` are kept as they are (a context the
        later days must respect: rest, runs of days, weekly hours); default none.
    from_day : int
        The first day decided here.

    Notes
    -----
    A kind's shifts go to its ``count`` best candidates at once: giving a shift to one operator
    changes no other candidate's rules or ranking keys on that day, so this is the same as
    giving them one by one.
    """
    n_ops = len(inst.operators)
    shift_of = np.full((n_ops, inst.days), -1, dtype=np.int64)
    if fixed is not None and from_day > 0:
        shift_of[:, :from_day] = fixed[:, :from_day]
    minutes = np.zeros((n_ops, len(inst.blocks)), dtype=np.int64)
    days_worked = np.zeros((n_ops, len(inst.blocks)), dtype=np.int64)
    total = np.zeros(n_ops, dtype=np.int64)
    run = np.zeros(n_ops, dtype=np.int64)  # consecutive days worked up to yesterday
    target = np.maximum(inst.target_minutes, 1)
    eligible = {k: np.array(ops, dtype=np.int64) for k, ops in inst.eligible.items()}
    kinds = inst.kinds
    paid = np.array([k.paid_minutes for k in kinds] + [0], dtype=np.int64)  # [-1]: no shift
    end = np.array([k.end for k in kinds] + [0], dtype=np.int64)
    long = np.array([k.long for k in kinds] + [False], dtype=bool)
    window = np.array(
        [op.preferred_start_window or (-1, 10**9) for op in inst.operators], dtype=np.int64
    ).reshape(n_ops, 2)
    for d in range(inst.days):
        b = inst.block_of(d)
        if d < from_day:  # the context: counted, not decided
            row = shift_of[:, d]
            minutes[:, b] += paid[row]
            days_worked[:, b] += row >= 0
            total += paid[row]
            run = np.where(row >= 0, run + 1, 0)
            continue
        limit = inst.work_days_per_block[b]
        for k in sorted(
            inst.kinds_by_day.get(d, ()), key=lambda k: (not k.long, -k.paid_minutes, k.start)
        ):
            cands = eligible[k.index]
            if cands.size == 0:
                continue
            ok = (
                (shift_of[cands, d] < 0)
                & (minutes[cands, b] + k.paid_minutes <= inst.weekly_cap_minutes[cands])
                & (days_worked[cands, b] < limit)
                & (run[cands] < inst.max_consecutive_days)
                & _rest_ok(inst, end, shift_of, cands, k)
            )
            if inst.overtime_possible:  # the week's overtime within its caps
                hours, worked = minutes[cands].copy(), days_worked[cands].copy()
                hours[:, b] += k.paid_minutes
                worked[:, b] += 1
                ok &= inst.overtime.fits(hours, worked, inst.overtime_allowance[cands])
            if inst.long_rule and k.long and d > 0:
                ok &= ~long[shift_of[cands, d - 1]]
            if not ok.any():
                continue
            pick = cands[ok]
            days_left = (limit - days_worked[pick, b]).astype(float)
            fill = total[pick] / target[pick]
            outside = (k.start < window[pick, 0]) | (k.start > window[pick, 1])
            dislike = inst.prefers_off[pick, d].astype(int) + outside.astype(int)
            order = np.lexsort((pick, dislike, fill, -days_left))
            chosen = pick[order[: k.count]]
            shift_of[chosen, d] = k.index
            minutes[chosen, b] += k.paid_minutes
            days_worked[chosen, b] += 1
            total[chosen] += k.paid_minutes
        worked = shift_of[:, d] >= 0
        run = np.where(worked, run + 1, 0)
    return GreedyRoster(shift_of)


def _rest_ok(
    inst: RosterInstance, end: np.ndarray, shift_of: np.ndarray, cands, k: ShiftKind
) -> np.ndarray:
    """Candidates whose earlier shifts (within reach of the rest rule) leave enough rest
    (``end[-1]``: no shift)."""
    ok = np.ones(cands.size, dtype=bool)
    for earlier in range(max(0, k.day - inst.rest_horizon_days), k.day):
        prev = shift_of[cands, earlier]
        rest = (k.day - earlier) * MINUTES_PER_DAY + k.start - end[prev]
        ok &= (prev < 0) | (rest >= inst.min_rest_minutes)
    return ok
