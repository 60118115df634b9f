"""Independent parts of the horizon, solved one model each.

Days interact in the model only through each pool's weekly paid-hours cap and the limits the
labour rules put on a whole pool's shifts (:mod:`planner.labour`: working days, runs of days,
long shifts on consecutive days), which all hold within 7-day blocks counted from the horizon
start, and through a pool's part-time share, which holds over the whole horizon, and a
monthly or yearly overtime cap (:func:`planner.labour.pool_overtime_caps`) over the weeks of
its month or year, where it can bind. Every other
rule and every objective term is per day or per interval.
So when no pool caps its part-time share, the 7-day blocks are independent problems: solving
them one by one gives the same optimum as one model of the whole horizon, and a gap of at most
``relative_gap`` in each block bounds the gap of their sum the same way. Small models also
solve much faster than one large one (CP-SAT's LP grows with the horizon).

With ``workers`` > 1 blocks are solved side by side in threads, one CP-SAT worker each, so the
plan stays reproducible (each block's solve is deterministic) while using the cores.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from planner.cpsat.assemble import hinted_terms
from planner.cpsat.explain import conflicting_rules
from planner.cpsat.relax import solve_relaxation
from planner.cpsat.solve import (
    ProgressCallback,
    SolveOutcome,
    SolveProgress,
    configure,
    replace_settings,
    run_solver,
)
from planner.domain.plan import GREEDY_SOURCE, Plan
from planner.domain.scenario import Scenario, SolverSettings
from planner.labour import overtime_couples_weeks
from planner.messages import msg
from planner.shiftplan.extract import empty_plan, extract_plan, greedy_as_plan
from planner.shiftplan.heuristic import GreedyPlan, greedy_plan
from planner.shiftplan.instance import MONEY_SCALE, build_instance
from planner.shiftplan.model import build_model, hint_plan, plan_as_hint, plan_from_solution

__all__ = [
    "BlockResult",
    "explain_infeasibility",
    "explain_no_shifts",
    "independent_blocks",
    "solve_blocks",
]

WEEK = 7


def independent_blocks(
    scenario: Scenario, *, overtime: bool = True, part_time: bool = True
) -> list[tuple[int, int]]:
    """Day ranges ``[first, last)`` of the horizon that no rule couples (see the module doc).

    ``overtime=False``: leave out the coupling of monthly and yearly overtime caps (each week
    then keeps them on its own overtime only: a relaxation, see :func:`planner.shiftplan.
    plan_shifts`). ``part_time=False``: leave out the coupling of a pool's part-time share
    over the horizon (each week then keeps the share on its own shifts: a restriction)."""
    days = scenario.horizon.days
    shares = any(p.max_part_time_share is not None for p in scenario.pools)
    if days <= WEEK or (part_time and shares):
        return [(0, days)]
    if overtime and overtime_couples_weeks(scenario):  # a month or year cap spans weeks
        return [(0, days)]
    return [(first, min(first + WEEK, days)) for first in range(0, days, WEEK)]


@dataclass
class BlockResult:
    """One block's solve: the outcome and the plan (empty when it found no plan)."""

    outcome: SolveOutcome
    plan: Plan
    penalties: dict[str, float]
    conflicts: tuple[str, ...] = ()
    finished_at: float = 0.0
    no_shifts_reason: str = ""  # the plan has no shift although agents are required: why
    plan_source: str = "solver"  # GREEDY_SOURCE: the search found none; the greedy plan's

    @property
    def greedy(self) -> bool:
        """The block's plan is its greedy plan (its search found none)."""
        return self.plan_source == GREEDY_SOURCE


def restrict(scenario: Scenario, first: int, last: int) -> Scenario:
    """The scenario over days ``[first, last)`` of its horizon.

    Dates in operating modes, headcount changes and surges are absolute, so they keep their
    meaning; the demand is not rebuilt (the caller passes the block's requirement rows).
    """
    horizon = scenario.horizon.model_copy(
        update={"start_date": scenario.grid.dates[first], "days": last - first}
    )
    return scenario.model_copy(update={"horizon": horizon}).with_source(scenario.source)


def solve_blocks(
    scenario: Scenario,
    requirement: pd.DataFrame,
    settings: SolverSettings,
    *,
    progress: ProgressCallback | None,
    stop: threading.Event | None,
    deadline: float = math.inf,
    overtime: bool = True,
    part_time: bool = True,
    coarse: tuple[Plan, int] | None = None,
    budgets: dict[tuple[int, int], tuple[int, int]] | None = None,
    greedy_budgets: dict[tuple[int, int], tuple[int, int]] | None = None,
) -> tuple[list[BlockResult], float | None]:
    """Solve every independent block.

    Returns the blocks' results in horizon order and the seconds until every block had a plan
    (None if some block found none).

    Each block gets a share of the time limit in proportion to its days (blocks solved side by
    side share the wall clock), applied as wall time and, with one worker per block, as
    deterministic time. ``overtime``, ``part_time``: as for :func:`independent_blocks`.
    ``coarse``: a plan of the horizon on a coarser grid and its interval in the scenario's, to
    start from. ``budgets``: (pool, week) -> (normal minutes, overtime minutes) for weeks
    solved alone (:func:`planner.shiftplan.overtime_budgets`). ``greedy_budgets``: the same,
    kept by the weeks' greedy plans only (their hints, and their plans when a search finds
    none), not by their models: weeks of a relaxation whose greedy plans must keep the caps
    together.
    """
    blocks = independent_blocks(scenario, overtime=overtime, part_time=part_time)
    if len(blocks) == 1:
        only = _solve_one(scenario, requirement, settings, progress, stop, deadline, coarse, 0)
        return [only], only.outcome.first_solution_seconds
    lanes = min(settings.workers, len(blocks))
    rounds = -(-len(blocks) // lanes)
    tracker = _Combined(len(blocks), progress)
    dates = requirement["day"]

    def solve(k: int) -> BlockResult:
        first, last = blocks[k]
        part = restrict(scenario, first, last)
        rows = requirement[dates.isin(part.grid.dates)]
        share = settings.time_limit_seconds / rounds
        block_settings = replace_settings(settings, time_limit_seconds=share, workers=1)
        # Its fair share of the wall clock left: a block slowed by a busy machine may not
        # take the time of the blocks after it (which would then end without a plan).
        now = time.perf_counter()
        own = now + (deadline - now) / (rounds - k // lanes)
        week = {p: b for (p, w), b in (budgets or {}).items() if w == first // WEEK}
        share = {p: b for (p, w), b in (greedy_budgets or {}).items() if w == first // WEEK}
        return _solve_one(
            part, rows, block_settings, tracker.for_block(k), stop, own, coarse, first, week, share
        )

    if lanes == 1:
        results = [solve(k) for k in range(len(blocks))]
    else:
        with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="plan-block") as pool:
            results = list(pool.map(solve, range(len(blocks))))
    return results, tracker.first_complete


WARM_SHARE = 0.25
"""(``interval`` mode) Share of a block's time limit the quick first model may use."""
WARM_MIN_SECONDS = 4.0
"""No warm start with less time than this: the full model then starts from the greedy plan at
once, so a short time limit still ends with a plan."""
WARM_MAX_WALL_SHARE = 0.5
"""The quick first model's (and daily mode's split's) wall clock: at most this share of the
block's wall clock left."""
WARM_GAP = 0.001
"""(``interval`` mode) The quick model's relative gap: close, since the full model starts from
its shifts and cannot always move far from them in its time."""


def warm_start(
    inst, settings: SolverSettings, deadline: float, stop, strong_lp: bool = False, greedy=None
):
    """A first plan from the ``interval`` model without its service term (None if it found
    none), and the deterministic and wall seconds it used (``daily`` mode starts from its
    shifts too: :func:`daily_warm_start`).

    Without the service term the model only counts agent-intervals short, a problem CP-SAT
    solves within its gap in a second or two; with it (where the shortfall falls, by each
    queue's worth) CP-SAT's single-worker search from the greedy plan can stall far from the
    bound. So the quick model runs first, for at most ``WARM_SHARE`` of the time limit, and its
    plan is the hint of the full model: the full model starts from shifts that already cover
    what they can, and moves agents between lines and times to where callers need them most.
    Deterministic like every solve here (a fixed work limit, one worker). ``greedy``: the
    instance's greedy plan when the caller has it already.
    """
    quick = build_model(inst, service=False, hint=greedy)  # greedy: computed there if None
    limit = settings.time_limit_seconds * WARM_SHARE
    # The deterministic limit ends it the same way on any machine; the wall clock may run to
    # three times that (CP-SAT's deterministic seconds run slower than real ones on this model
    # when the machine is busy), always leaving the full model at least half the time left (on
    # a busy machine it needs that to reach its first plan).
    wall = min(3 * limit, WARM_MAX_WALL_SHARE * (deadline - time.perf_counter()))
    solver = configure(settings, wall_seconds=wall, time_limit_seconds=limit, strong_lp=strong_lp)
    solver.parameters.relative_gap_limit = WARM_GAP
    outcome = run_solver(quick.model, solver, scale=MONEY_SCALE, progress=None, stop=stop)
    if outcome.status not in ("OPTIMAL", "FEASIBLE"):
        return None, solver.deterministic_time, outcome.wall_seconds
    plan = plan_from_solution(solver, inst, quick.variables)
    return plan, solver.deterministic_time, outcome.wall_seconds


POLISH_SECONDS = 2.0
"""(``interval`` mode) Time limit of the allocation polish (it solves in well under a second)."""


def polish_allocation(inst, sm, solver, outcome, settings, deadline, stop):
    """(``interval`` mode) With the shifts and breaks of the plan found held fixed, split the
    flexible agents between lines to optimality.

    Where a flexible pool's agents go is what moves each line's promise; a search stopped at a
    gap can leave them anywhere within it, so two seeds could promise different lines different
    service. Held to its shifts, the split is a small problem CP-SAT solves to a zero gap, and
    the same shifts always get the same best split. The plan's objective can only go down; the
    bound stays the full model's (the polish's own bound holds only for these shifts).
    Returns the model, solver and outcome that hold the plan to report.
    """
    plan = plan_from_solution(solver, inst, sm.variables)
    fixed = _held_to_shifts(inst, plan)
    wall = min(POLISH_SECONDS, deadline - time.perf_counter())
    polisher = configure(settings, wall_seconds=wall, time_limit_seconds=POLISH_SECONDS)
    polisher.parameters.relative_gap_limit = 0.0
    polished = run_solver(fixed.model, polisher, scale=MONEY_SCALE, progress=None, stop=stop)
    if polished.status not in ("OPTIMAL", "FEASIBLE") or polished.objective > outcome.objective:
        return sm, solver, outcome
    status = "OPTIMAL" if outcome.status == "OPTIMAL" else "FEASIBLE"
    kept = dataclasses.replace(
        outcome,
        status=status,
        objective=polished.objective,
        wall_seconds=outcome.wall_seconds + polished.wall_seconds,
    )
    return fixed, polisher, kept


DAILY_POLISH_SHARE = 0.15
"""(``daily`` mode) Share of the time limit the warm start's split between lines may use."""
DAILY_LP_SHARE = 0.25
"""(``daily`` mode) Share of the time limit the linear relaxation may use (wall clock)."""


@dataclass
class DailyStart:
    """(``daily`` mode) The first plan as a value for every variable of the daily model (None
    if none was found), the deterministic and wall seconds it took, the bound the linear
    relaxation proved (``-inf`` without one), and the interval model's plan before its split
    was re-optimised (a hint still, when that step found nothing in its time)."""

    hint: list[int] | None
    deterministic: float
    wall: float
    bound: float = -math.inf
    shifts: GreedyPlan | None = None


def daily_warm_start(
    scenario, requirement, inst, sm, settings: SolverSettings, deadline, stop
) -> DailyStart:
    """(``daily`` mode) A first plan for the daily model ``sm``: the agents per line and
    interval that its linear relaxation staffs, covered by the interval model's quick plan
    (:func:`warm_start`), with the split of the flexible agents between lines re-optimised for
    the daily targets (shifts and breaks held fixed).

    Daily mode's search from the greedy plan stalls far from its bound (a 64 % gap on the
    emergency week after 20 s): the greedy plan rations the week's hours evenly between days,
    while in a surge the first days need them. The relaxation (:mod:`planner.cpsat.relax`)
    is the continuous problem, since the answered-within-T curves are concave: it says how many
    agents each line gets in each interval in the best plans, and proves a bound on every
    plan. The interval model's quick plan covers that profile (rounded to the nearest agent) in
    a second or two; the interval model splits the shared agents by its own pricing, so the
    split is solved again under the daily objective, and the full daily model starts from
    every variable's value in that plan. On the emergency week (same input, quiet machine) the
    first plan is 134.6 M against the relaxation's bound of 132.4 M (1.6 %) after 7.8 s; the
    interval model's own requirement instead gave 148.5 M, which CP-SAT's search took 60 s to
    bring to 2 %. Without a relaxation in its time the requirement is covered as it is.
    """
    room = min(
        DAILY_LP_SHARE * settings.time_limit_seconds,
        WARM_MAX_WALL_SHARE * (deadline - time.perf_counter()),
    )
    if settings.reproducible:  # no wall clock: the simplex is deterministic, let it finish
        room = math.inf
    started = time.perf_counter()
    relaxation = solve_relaxation(sm.model, room) if room > 0 else None
    lp_wall = time.perf_counter() - started
    bound = -math.inf
    if relaxation is not None:
        bound = relaxation.bound / MONEY_SCALE
        requirement = _relaxed_requirement(inst, sm, relaxation, requirement)
    by_interval = scenario.model_copy(
        update={"service": scenario.service.model_copy(update={"mode": "interval"})}
    )
    quick = build_instance(by_interval, requirement)
    if quick.options != inst.options:  # the same decisions, or the hint would not fit
        return DailyStart(None, 0.0, lp_wall, bound)
    plan, det, wall = warm_start(quick, settings, deadline, stop, strong_lp=True)
    wall += lp_wall
    if plan is None:
        return DailyStart(None, det, wall, bound)
    fixed = _held_to_shifts(inst, plan)
    limit = settings.time_limit_seconds * DAILY_POLISH_SHARE
    room = min(3 * limit, WARM_MAX_WALL_SHARE * (deadline - time.perf_counter()))
    solver = configure(settings, wall_seconds=room, time_limit_seconds=limit, strong_lp=True)
    outcome = run_solver(fixed.model, solver, scale=MONEY_SCALE, progress=None, stop=stop)
    det += solver.deterministic_time
    wall += outcome.wall_seconds
    if outcome.status not in ("OPTIMAL", "FEASIBLE"):
        return DailyStart(None, det, wall, bound, plan)
    proto = fixed.model.proto
    values = [
        int(solver.value(fixed.model.get_int_var_from_proto_index(i)))
        for i in range(len(proto.variables))
    ]
    return DailyStart(values, det, wall, bound)


def _relaxed_requirement(inst, sm, relaxation, requirement: pd.DataFrame) -> pd.DataFrame:
    """The requirement table with each line's agents per interval replaced by what the daily
    model's linear relaxation staffs, rounded to the nearest agent."""
    staffed = np.zeros_like(inst.required)
    for (q, d, i), var in sm.variables.daily_staff.items():
        staffed[q, d, i] = math.floor(relaxation.solution[var.index] + 0.5)
    table = requirement.copy()
    for q, name in enumerate(inst.queue_names):
        rows = (table["queue"] == name).to_numpy()
        table.loc[rows, "required_agents"] = np.maximum(staffed[q], 0).reshape(-1)
    return table


def _greedy_short(inst, greedy) -> bool:
    """Whether the greedy plan leaves an interval short of its requirement.

    The quick first model earns its time where staff run short (where the shortfall falls
    decides the plan); in a week the greedy already covers, the full model from the greedy
    plan proves its gap sooner than the quick model ends (week 3 of the 28-day emergency
    horizon: 0.2 % in 6 s of wall clock from the greedy plan, 7.7 % after 15 s with the quick
    model first).
    """
    staffed = np.zeros_like(inst.required)
    if greedy.allocation:
        keys = np.array(list(greedy.allocation), dtype=np.int64)  # rows (pool, queue, day, i)
        agents = np.fromiter(greedy.allocation.values(), dtype=np.int64, count=len(keys))
        np.add.at(staffed, (keys[:, 1], keys[:, 2], keys[:, 3]), agents)
    return bool((inst.required > staffed).any())


def _held_to_shifts(inst, plan):
    """The full model hinted with a plan, its shifts and breaks held to the plan's: only the
    split of the flexible agents between lines is left to decide."""
    fixed = build_model(inst, hint=plan)
    for index, x in fixed.variables.starts.items():
        fixed.model.add(x == plan.starts.get(index, 0))
    for key, y in fixed.variables.breaks.items():
        fixed.model.add(y == plan.breaks.get(key, 0))
    return fixed


def _hint_values(sm, values) -> None:
    """Replace a model's hint by a value for each of its variables (a model built the same
    way, so the variables have the same indices)."""
    sm.model.clear_hints()
    hint = sm.model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)  # noqa: PD011 - a protobuf field, not pandas


def _solve_one(
    scenario,
    requirement,
    settings,
    progress,
    stop,
    deadline,
    coarse=None,
    first_day=0,
    budget=None,
    greedy_budget=None,
) -> BlockResult:
    inst = build_instance(scenario, requirement)
    if budget:
        inst = dataclasses.replace(inst, overtime_budget=budget)
    hint, values, warm_wall, greedy, sm = None, None, 0.0, None, None
    known_bound = -math.inf  # proved before the search (daily mode's linear relaxation)
    room = min(settings.time_limit_seconds, deadline - time.perf_counter())
    if coarse is not None:  # the coarser grid's plan is the first plan
        plan, scale = coarse
        hint = plan_as_hint(inst, plan, first_day=first_day, scale=scale)
    elif settings.workers == 1 and room >= WARM_MIN_SECONDS:
        used = 0.0
        if inst.service_curves:
            hint = greedy = _greedy(inst, greedy_budget)
            if _greedy_short(inst, hint):
                plan, used, warm_wall = warm_start(inst, settings, deadline, stop, greedy=hint)
                hint = hint if plan is None else plan
        elif inst.daily_curves:
            greedy = _greedy(inst, greedy_budget)
            sm = build_model(inst, hint=greedy)
            start = daily_warm_start(scenario, requirement, inst, sm, settings, deadline, stop)
            values, used, warm_wall = start.hint, start.deterministic, start.wall
            known_bound = start.bound
            if values is None and start.shifts is not None:  # no split: the shifts still help
                sm.model.clear_hints()
                hint_plan(sm.model, inst, sm.variables, start.shifts)
        left = max(settings.time_limit_seconds - used, 0.01)
        settings = replace_settings(settings, time_limit_seconds=left)
    if hint is None and greedy is None:  # hinted with the greedy plan, kept for a fallback
        hint = greedy = _greedy(inst, greedy_budget)
    if sm is None:
        sm = build_model(inst, hint=greedy if hint is None else hint)
    if values is not None:
        _hint_values(sm, values)
    # The deterministic limit stays the settings' (the same plan whatever the load); the wall
    # clock may only shorten it, so that the whole call, model building included, ends in time.
    wall = min(settings.time_limit_seconds, deadline - time.perf_counter())
    if coarse is not None:
        solver, outcome = _search_in_two_phases(sm, settings, wall, progress, stop)
    else:
        daily = bool(inst.daily_curves)
        solver = configure(settings, wall_seconds=wall, strong_lp=daily, lp_search=daily)
        outcome = run_solver(
            sm.model,
            solver,
            scale=MONEY_SCALE,
            progress=_shifted(progress, warm_wall),
            stop=stop,
            known_bound=known_bound,
        )
    if warm_wall:  # the first model's time counts: the user waited for it
        first = outcome.first_solution_seconds
        outcome = dataclasses.replace(
            outcome,
            wall_seconds=outcome.wall_seconds + warm_wall,
            first_solution_seconds=None if first is None else first + warm_wall,
        )
    if outcome.status in ("OPTIMAL", "FEASIBLE") and inst.service_curves:
        sm, solver, outcome = polish_allocation(inst, sm, solver, outcome, settings, deadline, stop)
    if outcome.status in ("OPTIMAL", "FEASIBLE"):
        plan = extract_plan(inst, sm, solver)
        penalties = {t.name: solver.value(t.expression) / MONEY_SCALE for t in sm.terms}
        finished = time.perf_counter()
        if plan.shifts or not inst.required.any():
            return BlockResult(outcome, plan, penalties, finished_at=finished)
        reason, rules = explain_no_shifts(inst, settings)
        return BlockResult(outcome, plan, penalties, rules, finished, reason)
    if outcome.status == "UNKNOWN":  # out of time (or stopped) before a first plan
        return greedy_result(inst, sm, outcome, greedy or _greedy(inst, greedy_budget))
    conflicts = explain_infeasibility(inst, settings) if outcome.status == "INFEASIBLE" else ()
    return BlockResult(outcome, empty_plan(inst), {}, conflicts, time.perf_counter())


LP_SEARCH_SHARE = 0.5
"""(Plans on a finer grid than their first plan's) Share of the model's time given to a search
that branches on the linear relaxation's solution, before the default search continues."""


def _search_in_two_phases(sm, settings: SolverSettings, wall: float, progress, stop):
    """Search a model first by branching on its LP solution (``lp_search``: finds good plans
    fast, proves little), for ``LP_SEARCH_SHARE`` of the time, then with the default search
    from that plan (which proves the bound) for the rest. Returns the solver holding the plan
    and the outcome of both: the second phase's plan (never worse: it starts from the first's),
    the better of the two bounds, their time added up.

    On the emergency week in 5-minute intervals, with 60 deterministic seconds in all (same
    input): the default search alone ends at 303.7 M with a bound of 299.5 M (1.38 %); the LP
    search alone finds 300.1 M but proves only 287.9 M.
    """
    share = LP_SEARCH_SHARE
    first = replace_settings(settings, time_limit_seconds=settings.time_limit_seconds * share)
    solver = configure(first, wall_seconds=wall * share, lp_search=True)
    outcome = run_solver(sm.model, solver, scale=MONEY_SCALE, progress=progress, stop=stop)
    found = outcome.status in ("OPTIMAL", "FEASIBLE")
    if outcome.status in ("OPTIMAL", "INFEASIBLE") or outcome.stopped:
        return solver, outcome
    if found:
        _hint_values(sm, list(solver.response_proto.solution))
    spent = outcome.wall_seconds
    rest = replace_settings(
        settings,
        time_limit_seconds=max(settings.time_limit_seconds - solver.deterministic_time, 0.01),
    )
    second = configure(rest, wall_seconds=max(wall - spent, 0.01))
    shifted = _shifted(progress, spent)
    then = run_solver(sm.model, second, scale=MONEY_SCALE, progress=shifted, stop=stop)
    if then.status not in ("OPTIMAL", "FEASIBLE"):
        if not found:
            return second, dataclasses.replace(then, wall_seconds=then.wall_seconds + spent)
        return solver, dataclasses.replace(
            outcome, wall_seconds=outcome.wall_seconds + then.wall_seconds
        )
    first_seen = outcome.first_solution_seconds
    if first_seen is None and then.first_solution_seconds is not None:
        first_seen = then.first_solution_seconds + spent
    return second, dataclasses.replace(
        then,
        best_bound=max(then.best_bound, outcome.best_bound) if found else then.best_bound,
        wall_seconds=then.wall_seconds + spent,
        first_solution_seconds=first_seen,
        solutions_found=then.solutions_found + outcome.solutions_found,
    )


def _shifted(progress: ProgressCallback | None, seconds: float) -> ProgressCallback | None:
    """``progress`` with its elapsed time counted from ``seconds`` earlier (time spent before
    this search, which the user waited for too)."""
    if progress is None or not seconds:
        return progress

    def shifted(p: SolveProgress) -> None:
        progress(dataclasses.replace(p, elapsed_seconds=p.elapsed_seconds + seconds))

    return shifted


def _greedy(inst, budget=None) -> GreedyPlan:
    """The block's greedy plan, within its week's ``budget`` of the overtime caps if given
    (the plan only: the model keeps its own rules)."""
    return greedy_plan(dataclasses.replace(inst, overtime_budget=budget) if budget else inst)


def greedy_result(inst, sm, outcome: SolveOutcome, greedy: GreedyPlan) -> BlockResult:
    """A block whose search ended with no plan (``UNKNOWN``: out of time, or stopped before its
    first plan): the greedy plan instead, flagged as such (``plan_source``).

    The greedy plan keeps every hard rule (:mod:`planner.shiftplan.heuristic`), so it is a plan
    like any other, evaluated and checked by the caller; its objective and penalty terms are
    the model's, read from the model hinted with it in full (no solver). The status stays
    CP-SAT's; the bound is the one CP-SAT proved before it ended, if any (NaN otherwise).
    ``greedy``: the block's greedy plan.
    """
    sm.model.clear_hints()
    hint_plan(sm.model, inst, sm.variables, greedy)
    penalties = {name: value / MONEY_SCALE for name, value in hinted_terms(sm).items()}
    objective = sum(penalties.values())
    kept = dataclasses.replace(
        outcome, objective=objective, best_bound=min(outcome.best_bound, objective)
    )
    plan = greedy_as_plan(inst, greedy)
    return BlockResult(
        kept, plan, penalties, finished_at=time.perf_counter(), plan_source=GREEDY_SOURCE
    )


def explain_infeasibility(inst, settings: SolverSettings) -> tuple[str, ...]:
    """Names of hard rules (with their scope) that together admit no plan.

    Rebuilds the model with every hard constraint behind a named literal
    (:mod:`planner.cpsat.explain`: a minimal set, unless the time to shrink it ran out).
    """
    sm = build_model(inst, explain=True)
    return conflicting_rules(sm.model, sm.hard, configure(settings))


NO_SHIFT_ALLOWED = msg("the hard rules allow no shift at all")
NOT_WORTH_IT = msg(
    "the rules allow shifts, but no shift is worth its cost: the shortfall penalties cost less"
)


def explain_no_shifts(inst, settings: SolverSettings) -> tuple[str, tuple[str, ...]]:
    """Why a plan has no shift although the requirement asks for agents, and the hard rules
    (with their scope) that forbid every shift.

    The explaining model (every hard constraint behind a named literal) with one more, plain,
    constraint: at least one shift starts. When that is infeasible, its conflicting rules are
    the ones that forbid any shift. A pool gets no shift option on a day it has no one (the
    variables are bounded by the headcount), so a headcount of 0 on every day a pool's queue
    is open is named (``daily_headcount``) without a solve.

    Returns
    -------
    (str, tuple of str)
        The reason in words (:data:`NO_SHIFT_ALLOWED` or :data:`NOT_WORTH_IT`, or why no shift
        can even be placed), and the rules; ``("", ())`` when the time ran out first.
    """
    open_days = [
        (p, d)
        for p, skills in enumerate(inst.pool_skills)
        for d in range(inst.days)
        if any(inst.queue_open[q, d] for q in skills)
    ]
    if not open_days:
        return msg("no pool serves a queue on a day it is open"), ()
    if not any(inst.headcount[p, d] for p, d in open_days):
        scopes = (f"{inst.pool_names[p]} {inst.grid.dates[d]}" for p, d in open_days)
        return NO_SHIFT_ALLOWED, tuple(f"daily_headcount [{s}]" for s in scopes)
    if not inst.options:
        return msg("no shift template fits the hours a pool's queues are open"), ()
    sm = build_model(inst, explain=True)
    sm.model.clear_objective()
    sm.model.add(sum(sm.variables.starts.values()) >= 1)
    rules = conflicting_rules(sm.model, sm.hard, configure(settings))
    if rules:
        return NO_SHIFT_ALLOWED, rules
    solver = configure(settings)
    if solver.solve(sm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return NOT_WORTH_IT, ()
    return "", ()


@dataclass
class _Combined:
    """Sums the blocks' progress into one snapshot of the whole horizon.

    The objective is known once every block has a plan; until then only the bound (the sum of
    the bounds of the blocks started so far) is reported.
    """

    blocks: int
    callback: ProgressCallback | None
    started: float = field(default_factory=time.perf_counter)
    objective: dict[int, float] = field(default_factory=dict)
    bound: dict[int, float] = field(default_factory=dict)
    solutions: dict[int, int] = field(default_factory=dict)
    first_complete: float | None = None  # seconds until every block had a plan
    lock: threading.Lock = field(default_factory=threading.Lock)

    def for_block(self, k: int) -> ProgressCallback:
        def report(p: SolveProgress) -> None:
            with self.lock:
                if p.objective is not None:
                    self.objective[k] = p.objective
                self.bound[k] = p.best_bound
                self.solutions[k] = p.solutions_found
                everyone = len(self.objective) == self.blocks
                elapsed = time.perf_counter() - self.started
                if everyone and self.first_complete is None:
                    self.first_complete = elapsed
                snapshot = SolveProgress(
                    elapsed,
                    sum(self.objective.values()) if everyone else None,
                    sum(self.bound.values()),
                    sum(self.solutions.values()),
                )
            if self.callback is not None:
                self.callback(snapshot)

        return report
