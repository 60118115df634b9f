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

from planner.roster.instance import RosterInstance, ShiftKind

__all__ = ["GreedyRoster", "greedy_roster"]


@dataclass(frozen=True)
class GreedyRoster:
    """``shift_of[o, d]``: the kind operator o works on day d, -1 for none."""

    shift_of: np.ndarray

    def assigned(self) -> dict[tuple[int, int], int]:
        """``(operator, kind) -> 1`` for every assignment, keyed like the model's variables."""
        ops, days = np.nonzero(self.shift_of >= 0)
        return {(int(o), int(self.shift_of[o, d])): 1 for o, d in zip(ops, days, strict=True)}


def greedy_roster(inst: RosterInstance) -> GreedyRoster:
    """Roster the plan greedily (see the module docstring)."""
    n_ops = len(inst.operators)
    shift_of = np.full((n_ops, inst.days), -1, dtype=np.int64)
    minutes = np.zeros((n_ops, len(inst.blocks)), dtype=np.int64)
    days_worked = np.zeros((n_ops, len(inst.blocks)), dtype=np.int64)
    total = np.zeros(n_ops, dtype=np.int64)
    run = np.zeros(n_ops, dtype=np.int64)  # consecutive days worked up to yesterday
    target = np.maximum(inst.target_minutes, 1)
    eligible = {k: np.array(ops, dtype=np.int64) for k, ops in inst.eligible.items()}
    kinds = inst.kinds
    for d in range(inst.days):
        b = inst.block_of(d)
        limit = inst.work_days_per_block[b]
        for k in sorted(
            inst.kinds_by_day.get(d, ()), key=lambda k: (not k.long, -k.paid_minutes, k.start)
        ):
            cands = eligible[k.index]
            if cands.size == 0:
                continue
            for _ in range(k.count):
                ok = (
                    (shift_of[cands, d] < 0)
                    & (minutes[cands, b] + k.paid_minutes <= inst.weekly_cap_minutes[cands])
                    & (days_worked[cands, b] < limit)
                    & (run[cands] < inst.max_consecutive_days)
                    & _rest_ok(inst, kinds, shift_of, cands, k)
                )
                if inst.overtime_possible:  # the week's overtime within its caps
                    paid, worked = minutes[cands].copy(), days_worked[cands].copy()
                    paid[:, b] += k.paid_minutes
                    worked[:, b] += 1
                    ok &= inst.overtime.fits(paid, worked, inst.overtime_allowance[cands])
                if inst.long_rule and k.long and d > 0:
                    yesterday = shift_of[cands, d - 1]
                    ok &= ~np.array([y >= 0 and kinds[y].long for y in yesterday], dtype=bool)
                if not ok.any():
                    break
                pick = cands[ok]
                days_left = (limit - days_worked[pick, b]).astype(float)
                fill = total[pick] / target[pick]
                dislike = inst.prefers_off[pick, d].astype(int) + np.array(
                    [not inst.operators[o].likes_start(k.start) for o in pick], dtype=int
                )
                order = np.lexsort((pick, dislike, fill, -days_left))
                o = int(pick[order[0]])
                shift_of[o, d] = k.index
                minutes[o, b] += k.paid_minutes
                days_worked[o, b] += 1
                total[o] += k.paid_minutes
        worked = shift_of[:, d] >= 0
        run = np.where(worked, run + 1, 0)
    return GreedyRoster(shift_of)


def _rest_ok(
    inst: RosterInstance, kinds: tuple[ShiftKind, ...], shift_of: np.ndarray, cands, k: ShiftKind
) -> np.ndarray:
    """Candidates whose earlier shifts (within reach of the rest rule) leave enough rest."""
    ok = np.ones(cands.size, dtype=bool)
    for earlier in range(max(0, k.day - inst.rest_horizon_days), k.day):
        for j, prev in enumerate(shift_of[cands, earlier]):
            if prev >= 0 and inst.rest_minutes(kinds[prev], k) < inst.min_rest_minutes:
                ok[j] = False
    return ok
