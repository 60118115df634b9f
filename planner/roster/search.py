"""Large-neighbourhood search: improve a roster by re-solving small parts of it with CP-SAT.

A roster model for 300 operators over 28 days has some 36,000 assignment variables. Given to
CP-SAT whole with one worker, it spends seconds loading and presolving and then hardly
improves the first roster (measured in ``bench/RESULTS.md``); CP-SAT's own neighbourhood
search needs several workers, which make the result depend on timing. Here the neighbourhoods
are ours: each step frees the assignments of a few operators of one pool over a few
consecutive days, fixes every other assignment to the current roster (by narrowing variable
domains in a copy of the model, so every rule, soft or hard, still applies as written), and
lets CP-SAT find the best roster in that part. A better (or equal) roster is kept.

Small models (:data:`WHOLE_MODEL_VARIABLES`) go to CP-SAT whole first, and are usually solved
to optimality there. Neighbourhoods are drawn from a generator seeded with the scenario's
seed; the neighbourhood grows while CP-SAT solves its parts to optimality quickly and shrinks
when it does not. The search stops at its time limit (or when it meets a proved lower bound).
Time is CP-SAT's deterministic time (:mod:`planner.cpsat.clock`), so with one worker the same
instance and seed give the same roster however busy the machine is, unless the call's
wall-clock deadline stops the search first.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from planner.cpsat.clock import WALL_SLACK, Clock
from planner.cpsat.solve import ProgressCallback, SolveProgress, stop_requested
from planner.domain.scenario import SolverSettings
from planner.roster.instance import OBJECTIVE_SCALE, RosterInstance
from planner.roster.model import RosterModel

__all__ = ["SearchOutcome", "improve"]

STEP_SECONDS = 1.0
"""Time limit of one neighbourhood's solve (deterministic seconds)."""

WHOLE_MODEL_VARIABLES = 5000
"""Models with at most this many assignment variables are first given to CP-SAT whole (for up
to 30 % of the time): small ones are then solved to optimality, and the bound holds."""


@dataclass(frozen=True)
class SearchOutcome:
    """The best roster found and how the search went; objective in points."""

    shift_of: np.ndarray
    objective: float
    bound: float  # a lower bound on the objective (NaN when none is known)
    start_objective: float
    steps: int
    improvements: int
    seconds: float
    status: str  # "FEASIBLE", or "UNKNOWN" when no roster could be read
    proved: bool  # the objective meets the bound: optimal


def improve(
    rm: RosterModel,
    inst: RosterInstance,
    start: np.ndarray,
    settings: SolverSettings,
    seconds: float,
    *,
    floor: float | None = None,
    focus_unassigned: bool = False,
    whole_first: bool = True,
    progress: ProgressCallback | None = None,
    offset: float = 0.0,
    stop: threading.Event | None = None,
    clock: Clock | None = None,
    days: tuple[int, int] | None = None,
) -> SearchOutcome:
    """Improve the roster ``start`` (``shift_of[o, d]``) on the model ``rm``.

    Parameters
    ----------
    floor : float, optional
        A lower bound on the objective (points): the search stops on reaching it.
    focus_unassigned : bool
        Centre neighbourhoods on days with unassigned shifts (for the coverage step).
    whole_first : bool
        Give a small model to CP-SAT whole first (see :data:`WHOLE_MODEL_VARIABLES`). Not
        for the coverage step: its bound comes from the counting model, and one CP-SAT worker
        on the whole model improves a roster's coverage far more slowly than neighbourhoods
        (emergency.yaml with its named operators: 10 s against 1.6 s to the proved fewest).
    progress, offset
        ``progress`` receives the objective plus ``offset`` (points) when it improves.
    clock : Clock, optional
        Charged with the deterministic time of every solve; ``seconds`` is a budget of it.
    days : (int, int), optional
        Draw neighbourhoods within days ``first..stop-1`` only (a block of a decomposed
        roster, :mod:`planner.roster.blocks`); default the whole horizon.
    """
    started = time.perf_counter()
    clock = clock or Clock(settings, deadline_seconds=WALL_SLACK * seconds)
    spent_before = clock.spent

    def used() -> float:
        return clock.spent - spent_before

    whole = None
    if whole_first and len(rm.variables.assign) <= WHOLE_MODEL_VARIABLES:
        whole = _solve_whole(rm, inst, start, clock, min(seconds, max(1.0, 0.3 * seconds)))
        if whole.proved or stop_requested(stop):
            return whole
        if whole.status == "FEASIBLE":
            start = whole.shift_of
    keys = list(rm.variables.assign)
    index = np.array([rm.variables.assign[k].index for k in keys], dtype=np.int64)
    operator = np.array([o for o, _ in keys], dtype=np.int64)
    kind = np.array([k for _, k in keys], dtype=np.int64)
    day = np.array([inst.kinds[k].day for k in kind], dtype=np.int64)
    chosen = start[operator, day] == kind

    # The starting roster, completed (auxiliaries, penalties) by CP-SAT with every choice fixed.
    current = _solve_fixed(rm, clock, index, chosen.astype(np.int64), np.ones(len(index), bool))
    if current is None:
        nan = float("nan")
        return SearchOutcome(start, nan, nan, nan, 0, 0, 0.0, "UNKNOWN", False)
    values, best = current
    first = best
    rng = np.random.default_rng(settings.seed)
    pools = [p for p in range(len(inst.pool_names)) if np.any(inst.operator_pool[operator] == p)]
    weight = np.array([np.sum(inst.operator_pool[operator] == p) for p in pools], dtype=float)
    span = (0, inst.days) if days is None else days
    in_span = (day >= span[0]) & (day < span[1])
    size, width = 10.0, float(min(7, span[1] - span[0]))
    steps, improvements = 0, 0
    while pools and (floor is None or best > floor + 1e-9):
        if used() >= seconds or clock.stopped(stop):
            break
        p, window = _neighbourhood(
            inst, rng, pools, weight, width, values, index, kind, focus_unassigned, span
        )
        members = np.flatnonzero(inst.operator_pool == p)
        picked = rng.choice(members, size=min(int(size), members.size), replace=False)
        free = np.isin(operator, picked) & (day >= window[0]) & (day < window[1])
        limit = min(STEP_SECONDS, seconds - used())
        result = _solve_part(rm, clock, index, values, free, max(limit, 0.01))
        steps += 1
        if result.proved and free[in_span].all():  # the whole roster (or block): optimal
            values, best, floor = result.values, result.objective, result.objective
            break
        if result.values is not None and result.objective <= best + 1e-9:
            if result.objective < best - 1e-9:
                improvements += 1
                if progress is not None:
                    progress(
                        SolveProgress(
                            time.perf_counter() - started,
                            result.objective + offset,
                            float("nan") if floor is None else floor + offset,
                            improvements,
                        )
                    )
            values, best = result.values, result.objective
        if result.proved and result.deterministic_seconds < limit / 2:
            size, width = min(size * 1.25, 60.0), min(width + 1, float(span[1] - span[0]))
        elif not result.proved:
            size, width = max(size * 0.8, 2.0), max(width - 1, 2.0)

    shift_of = np.full_like(start, -1)
    taken = values[index] == 1
    shift_of[operator[taken], day[taken]] = kind[taken]
    bound = max(
        floor if floor is not None else float("-inf"), whole.bound if whole else float("-inf")
    )
    return SearchOutcome(
        shift_of=shift_of,
        objective=best,
        bound=bound if bound > float("-inf") else float("nan"),
        start_objective=first if whole is None else whole.start_objective,
        steps=steps,
        improvements=improvements + (whole.improvements if whole else 0),
        seconds=time.perf_counter() - started,
        status="FEASIBLE",
        proved=floor is not None and best <= floor + 1e-9,
    )


def _solve_whole(rm, inst, start, clock: Clock, seconds) -> SearchOutcome:
    """CP-SAT on the whole model, hinted with ``start``: small models are often solved to
    optimality at once, and the bound it proves holds for the whole search."""
    started = time.perf_counter()
    model = rm.model.clone()
    for (o, k), x in rm.variables.assign.items():
        model.add_hint(x, int(start[o, inst.kinds[k].day] == k))
    solver = clock.solver(seconds)
    status = clock.solve(solver, model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    shift_of = np.full_like(start, -1)
    if found:
        for (o, k), x in rm.variables.assign.items():
            if solver.boolean_value(x):
                shift_of[o, inst.kinds[k].day] = k
    has_bound = found or status == cp_model.INFEASIBLE
    return SearchOutcome(
        shift_of=shift_of if found else start,
        objective=solver.objective_value / OBJECTIVE_SCALE if found else float("nan"),
        bound=solver.best_objective_bound / OBJECTIVE_SCALE if has_bound else float("nan"),
        start_objective=float("nan"),
        steps=1,
        improvements=1 if found else 0,
        seconds=time.perf_counter() - started,
        status="FEASIBLE" if found else "UNKNOWN",
        proved=status == cp_model.OPTIMAL,
    )


def _neighbourhood(inst, rng, pools, weight, width, values, index, kind, focus_unassigned, span):
    """A pool and a window of days ``[first, stop)`` within ``span``: around an unassigned
    shift when asked (and there is one), else anywhere."""
    lo, hi = span
    w = int(min(width, hi - lo))
    if focus_unassigned:
        taken = np.bincount(kind[values[index] == 1], minlength=len(inst.kinds))
        open_kinds = [
            k
            for k in inst.kinds
            if taken[k.index] < k.count and k.pool in pools and lo <= k.day < hi
        ]
        if open_kinds:
            k = open_kinds[int(rng.integers(len(open_kinds)))]
            first = int(np.clip(k.day - rng.integers(w), lo, max(hi - w, lo)))
            return k.pool, (first, first + w)
    p = pools[int(rng.choice(len(pools), p=weight / weight.sum()))]
    first = int(rng.integers(lo, max(hi - w, lo) + 1))
    return p, (first, first + w)


@dataclass(frozen=True)
class _Part:
    values: np.ndarray | None
    objective: float
    proved: bool
    wall_seconds: float
    deterministic_seconds: float


def _fixed_copy(rm, index: np.ndarray, values: np.ndarray) -> cp_model.CpModel:
    """A copy of the model with variable ``index[j]`` fixed to ``values[j]`` (its domain
    narrowed, so every rule still applies as written)."""
    model = rm.model.clone()
    variables = model.proto.variables
    for i, v in zip(index.tolist(), values.tolist(), strict=True):
        domain = variables[i].domain
        domain.clear()
        domain.extend([v, v])
    return model


def _solve_part(rm, clock: Clock, index, values, free, seconds) -> _Part:
    """Solve the model with every assignment outside ``free`` fixed to ``values``."""
    model = _fixed_copy(rm, index[~free], values[index[~free]])
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values.tolist())
    solver = clock.solver(seconds, relative_gap=0.0)
    status = clock.solve(solver, model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return _Part(
        np.array(solver.response_proto.solution, dtype=np.int64) if found else None,
        solver.objective_value / OBJECTIVE_SCALE if found else float("inf"),
        status == cp_model.OPTIMAL,
        solver.wall_time,
        solver.deterministic_time,
    )


def _solve_fixed(rm, clock: Clock, index, chosen, fixed):
    """The full solution (every variable) and objective of a roster given by its choices."""
    model = _fixed_copy(rm, index[fixed], chosen[fixed])
    model.proto.clear_solution_hint()  # every choice is fixed: a hint adds nothing
    solver = clock.solver(max(clock.settings.time_limit_seconds, 10.0))
    status = clock.solve(solver, model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return np.array(solver.response_proto.solution, dtype=np.int64), (
        solver.objective_value / OBJECTIVE_SCALE
    )
