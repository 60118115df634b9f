"""Shift sizing with CP-SAT: how many agents of each pool start which shift, with breaks placed.

The model decides, over the whole horizon at once, per day, pool, shift template and start time,
how many agents start, where each break falls inside its window, and (for pools serving several
queues) how the agents on duty are split among the queues in every interval. It minimises the
cost of paid hours plus penalties for service shortfalls and a small one for overstaffing.

Layout (as in the CP-SAT Primer's coding patterns):

- :mod:`~planner.shiftplan.instance`: the scenario and requirement as integers; no solver;
- :mod:`~planner.shiftplan.variables`: the decision variables and named queries;
- :mod:`~planner.shiftplan.rules`: one function per rule, listed under ``HARD_RULES`` and
  ``SOFT_RULES``;
- :mod:`~planner.shiftplan.objective`: the paid-hours cost, the objective's own term;
- :mod:`~planner.shiftplan.model`: the model, assembled by :mod:`planner.cpsat.assemble`;
- :mod:`planner.cpsat`: the solver's parameters, progress and stop, the explanation of an
  infeasible model, the report (shared with the roster);
- :mod:`~planner.shiftplan.extract`: the solution as the plan's tables;
- :mod:`~planner.shiftplan.blocks`: independent weeks of a long horizon, one model each.

Every plan is checked by :func:`planner.validate.plan.validate_plan`, which needs no solver.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time

import numpy as np
import pandas as pd

from planner.cpsat.report import solve_report
from planner.cpsat.solve import (
    ProgressCallback,
    SolveProgress,
    relative_gap,
    replace_settings,
)
from planner.demand import build_demand
from planner.domain.plan import GREEDY_SOURCE, Plan, PlanResult
from planner.domain.scenario import Scenario
from planner.evaluate import plan_result
from planner.labour import overtime_couples_weeks, pool_overtime_caps
from planner.shiftplan.blocks import solve_blocks
from planner.shiftplan.extract import join_plans
from planner.shiftplan.split_check import check_seconds, check_split
from planner.staffing import build_requirement
from planner.validate.plan import validate_plan

__all__ = ["SolveProgress", "plan_shifts"]


EVALUATION_RESERVE_SECONDS = 0.1
EVALUATION_RESERVE_SHARE = 0.02
"""The solve's wall clock ends this long (seconds, plus this share of the time limit) before
the call's time limit, for the coverage, KPIs and check that follow (0.04 s for a week of two
queues, 0.1 s for 28 days, on this project's machine)."""
CHECK_SHARE = 0.25
"""The most of the time limit kept for checking the split of shared agents by simulation."""


def plan_shifts(
    scenario: Scenario,
    *,
    requirement: pd.DataFrame | None = None,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    check: bool = True,
    **solver_overrides,
) -> PlanResult:
    """Size the shifts of a scenario and evaluate the plan.

    Parameters
    ----------
    scenario : Scenario
    requirement : pandas.DataFrame, optional
        From :func:`planner.staffing.build_requirement`; computed when not given.
    progress : callable, optional
        Called with a :class:`SolveProgress` whenever the best plan or the bound improves.
    stop : threading.Event, optional
        Set it to stop the search early; the best plan found so far is returned.
    check : bool, default True
        Check each line's promise by a simulation of the plan under the scenario's routing of
        shared agents, and count the shared agents where the routing serves
        (:mod:`planner.shiftplan.split_check`; ``result.split_check`` says what was done).
    **solver_overrides
        Replace fields of ``scenario.solver`` (``time_limit_seconds``, ``relative_gap``,
        ``seed``, ``workers``) for this solve only. The time limit bounds the whole call (demand,
        model building, solve, evaluation); CP-SAT's deterministic limit stays the time limit,
        so a solve that ends before the wall clock cuts it is the same on any machine load.

    Returns
    -------
    PlanResult
        Always returned: when demand exceeds what the staff can give, the plan shows the
        shortfall per interval; when the hard rules contradict each other, ``solve.status`` is
        ``INFEASIBLE``, the plan is empty and ``solve.conflicting_rules`` names the rules.
        When the plan has no shift although the requirement asks for agents,
        ``solve.no_shifts_reason`` says why and ``solve.conflicting_rules`` names the rules
        that forbid every shift. When the search found no plan in its time (or was stopped
        before its first), the greedy plan is returned in its place: ``solve.status`` stays
        ``UNKNOWN``, ``solve.plan_source`` is ``"greedy"`` and ``solve.quality_text`` says so.
    """
    called = time.perf_counter()
    if requirement is None:
        requirement = build_requirement(scenario, build_demand(scenario))
    settings = replace_settings(scenario.solver, **solver_overrides)
    # The time limit covers the whole call: the solve ends early enough for the evaluation.
    # A reproducible plan's searches end on their deterministic limits alone: no decision may
    # depend on the wall clock, so there is no deadline.
    limit = settings.time_limit_seconds
    reserve = EVALUATION_RESERVE_SECONDS + EVALUATION_RESERVE_SHARE * limit
    if check:  # the simulation that checks the split of shared agents is in the limit too
        reserve += min(check_seconds(scenario, requirement), CHECK_SHARE * limit)
    deadline = called + limit - reserve
    if settings.reproducible:
        deadline = math.inf
    started = time.perf_counter()
    coarse = _coarse_plan(scenario, settings, stop, deadline)
    if coarse is not None:
        left = settings.time_limit_seconds * (1 - COARSE_SHARE)
        settings = replace_settings(settings, time_limit_seconds=left)
    parts, first_plan, plan = _solve_components(
        scenario, requirement, settings, progress, stop, deadline, coarse
    )
    wall = time.perf_counter() - started
    statuses = [part.outcome.status for part in parts]
    status = max(statuses, key=_STATUS_ORDER.index)
    grid = scenario.grid
    if status == "INFEASIBLE":
        plan = Plan.empty(grid, plan.pool_names, plan.queue_names)
    penalties: dict[str, float] = {}
    for part in parts:
        for name, value in part.penalties.items():
            penalties[name] = penalties.get(name, 0.0) + value
    objective = sum(p.outcome.objective for p in parts)
    bound = sum(p.outcome.best_bound for p in parts)

    # A plan with no shift where agents are required says which rules forbid every shift.
    empty = [p for p in parts if p.no_shifts_reason]
    no_shifts = ""
    if status in ("OPTIMAL", "FEASIBLE") and not plan.shifts and empty:
        no_shifts = empty[0].no_shifts_reason
    report = solve_report(
        settings,
        status=status,
        objective=objective,
        bound=bound,
        seconds=wall,
        solutions=sum(p.outcome.solutions_found for p in parts),
        first_solution_seconds=first_plan,
        conflicting_rules=tuple(
            rule for p in parts if no_shifts or not p.no_shifts_reason for rule in p.conflicts
        ),
        independent_parts=len(parts),
        stopped=any(p.outcome.stopped for p in parts),
        no_shifts_reason=no_shifts,
        plan_source=GREEDY_SOURCE
        if any(p.plan_source == GREEDY_SOURCE for p in parts)
        else "solver",
    )
    result = plan_result(scenario, plan, requirement, report, penalties)
    return check_split(scenario, result, requirement) if check else result


COARSE_MINUTES = 15
COARSE_SHARE = 0.25
"""A scenario with intervals shorter than ``COARSE_MINUTES`` is first planned at that interval,
for this share of the time limit, and its plan hints the fine model."""


def _coarse_plan(scenario, settings, stop, deadline):
    """(Intervals of 5 minutes) The plan of the same scenario at 15-minute intervals, and how
    many fine intervals make one of its intervals; None when the scenario has no coarser grid
    (its shifts or breaks do not fall on it) or the coarse solve found no plan.

    The 5-minute model is about three times the 15-minute one, and its own quick first model
    stops far from a good plan in a minute (a 50.7 % gap on the emergency week); the
    15-minute model reaches its gap in a few seconds. Shift starts stay on the half hour and
    breaks on the quarter hour in the coarse plan, which the fine model may then move by
    5 minutes where callers gain.
    """
    fine = scenario.horizon.interval_minutes
    if fine >= COARSE_MINUTES or COARSE_MINUTES % fine:
        return None
    horizon = scenario.horizon.model_copy(update={"interval_minutes": COARSE_MINUTES})
    coarse = scenario.model_copy(update={"horizon": horizon}).with_source(scenario.source)
    on_grid = all(
        m % COARSE_MINUTES == 0
        for t in coarse.shift_templates
        for m in (
            t.length_minutes,
            t.start_step_minutes,
            *(b.length_minutes for b in t.breaks),
            *(b.earliest_start_after_minutes for b in t.breaks),
        )
    )
    if not on_grid:
        return None
    limit = settings.time_limit_seconds * COARSE_SHARE
    wall = min(limit, deadline - time.perf_counter()) + EVALUATION_RESERVE_SECONDS
    if wall < 1.0:
        return None
    result = plan_shifts(
        coarse,
        stop=stop,
        time_limit_seconds=wall,
        relative_gap=settings.relative_gap,
        check=False,
    )
    if not result.solve.has_plan or not result.plan.shifts:
        return None
    return result.plan, COARSE_MINUTES // fine


def independent_components(scenario: Scenario) -> list[tuple[list[str], list[str]]]:
    """Groups of pools and the queues they answer that share no pool and no queue (the
    connected components of the pools' skills): e.g. the centres of a national scenario whose
    calls are split between them. No rule couples two groups, so each is a plan of its own.
    One group when every pool is connected, or when some queue has no pool to answer it."""
    parent = {("q", q.name): ("q", q.name) for q in scenario.queues}
    parent |= {("p", p.name): ("p", p.name) for p in scenario.pools}

    def root(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pool in scenario.pools:
        for skill in pool.skills:
            if ("q", skill) in parent:
                parent[root(("p", pool.name))] = root(("q", skill))
    groups: dict = {}
    for kind, name in parent:
        pools_queues = groups.setdefault(root((kind, name)), ([], []))
        pools_queues[0 if kind == "p" else 1].append(name)
    found = list(groups.values())
    if len(found) < 2 or any(not pools for pools, _ in found):
        return [([p.name for p in scenario.pools], [q.name for q in scenario.queues])]
    order = {q.name: k for k, q in enumerate(scenario.queues)}
    return sorted(found, key=lambda g: min(order[q] for q in g[1]))


def component_scenario(scenario: Scenario, pools: list[str], queues: list[str]) -> Scenario:
    """The scenario restricted to some pools and the queues they answer (see
    :func:`independent_components`): surges, operating modes, headcount changes and named
    operators of the others left out."""
    keep_p, keep_q = set(pools), set(queues)
    modes = []
    for mode in scenario.operating_modes:
        closed = [q for q in mode.closed_queues if q in keep_q]
        if closed:
            modes.append(mode.model_copy(update={"closed_queues": closed}))
    part = scenario.model_copy(
        update={
            "pools": [p for p in scenario.pools if p.name in keep_p],
            "queues": [q for q in scenario.queues if q.name in keep_q],
            "surges": [s for s in scenario.surges if s.queue in keep_q],
            "operating_modes": modes,
            "headcount_changes": [c for c in scenario.headcount_changes if c.pool in keep_p],
        }
    ).with_source(scenario.source)
    if scenario.operators is not None:
        part._operators = tuple(o for o in scenario.operators if o.pool in keep_p)
    part._priced_as = scenario._priced_as or scenario
    return part


def _embedded(plan: Plan, pool_names, queue_names) -> Plan:
    """A group's plan on the axes of the whole scenario's pools and queues."""
    shape = (len(pool_names), len(queue_names), *plan.allocation.shape[2:])
    allocation = np.zeros(shape, np.int64)
    rows = [pool_names.index(p) for p in plan.pool_names]
    columns = [queue_names.index(q) for q in plan.queue_names]
    allocation[np.ix_(rows, columns)] = plan.allocation
    return Plan(plan.grid, tuple(pool_names), tuple(queue_names), plan.shifts, allocation)


def _part_of(plan: Plan, pools, queues) -> Plan:
    """A plan's shifts and allocation of some pools and queues only."""
    rows = [plan.pool_names.index(p) for p in pools]
    columns = [plan.queue_names.index(q) for q in queues]
    shifts = tuple(g for g in plan.shifts if g.pool in pools)
    allocation = plan.allocation[np.ix_(rows, columns)]
    return Plan(plan.grid, tuple(pools), tuple(queues), shifts, allocation)


def _solve_components(scenario, requirement, settings, progress, stop, deadline, coarse):
    """Solve each independent group of pools and queues on its own
    (:func:`independent_components`), one after the other, each with a share of the time limit
    in proportion to its required agent-hours and its fair share of the wall clock left.
    Returns every group's parts (their objectives and bounds add up: the groups share
    nothing), the seconds until every group had a plan, and the plan of the whole scenario."""
    groups = independent_components(scenario)
    if len(groups) == 1:
        parts, first = _solve_parts(
            scenario, requirement, settings, progress, stop, deadline, coarse
        )
        return parts, first, join_plans([p.plan for p in parts], scenario.grid)
    need = requirement.groupby("queue")["required_agents"].sum()
    weights = np.array([float(need.reindex(queues).fillna(0).sum()) + 1.0 for _, queues in groups])
    began = time.perf_counter()
    parts, plans, first = [], [], 0.0
    pool_names = [p.name for p in scenario.pools]
    queue_names = [q.name for q in scenario.queues]
    for k, (pools, queues) in enumerate(groups):
        share = weights[k] / weights[k:].sum()
        now = time.perf_counter()
        # The deterministic limit is a fixed share (the same plan whatever the load); the wall
        # clock a fair share of what is left.
        own = replace_settings(
            settings,
            time_limit_seconds=settings.time_limit_seconds * weights[k] / weights.sum(),
        )
        part = component_scenario(scenario, pools, queues)
        rows = requirement[requirement["queue"].isin(queues)]
        sub_coarse = None if coarse is None else (_part_of(coarse[0], pools, queues), coarse[1])
        got, seconds = _solve_parts(
            part, rows, own, progress, stop, now + (deadline - now) * share, sub_coarse
        )
        parts += got
        plans.append(
            _embedded(join_plans([p.plan for p in got], part.grid), pool_names, queue_names)
        )
        first = None if first is None or seconds is None else now - began + seconds
    shifts = tuple(g for plan in plans for g in plan.shifts)
    allocation = sum(plan.allocation for plan in plans)
    whole = Plan(scenario.grid, tuple(pool_names), tuple(queue_names), shifts, allocation)
    return parts, first, whole


def _solve_parts(scenario, requirement, settings, progress, stop, deadline, coarse=None):
    """Solve the horizon's blocks; when a rule over several weeks couples them (a monthly or
    yearly overtime cap, a pool's part-time share of the horizon), the weeks first on their
    own.

    1. The weeks alone without the coupling (each keeps the caps on its own overtime, and no
       part-time share): a relaxation, so the sum of their bounds bounds the whole. When their
       plans together keep the coupled rules (checked by the validator), they are solved again
       from their plans in the time left while the gap is open, each week keeping its better
       plan and bound.
    2. Otherwise the weeks alone with the coupling held in each: a pool's part-time share in
       every week, and each week's share of the overtime caps in proportion to what the
       relaxation's plan used (:func:`overtime_budgets`). A restriction: its plan keeps every
       rule; its gap is measured against the relaxation's bound.
    3. The horizon as one model in the time left, starting from the restriction's plan (or
       the greedy plan), keeping the better plan; its bound counts when it is better.

    Coupled models of several weeks solve much more slowly than their weeks alone: the
    28-day model's bound can sit at 22 % for a minute where the weeks' bounds are tight in
    seconds.
    """
    weeks = scenario.horizon.days > WEEK_DAYS
    shares = weeks and any(p.max_part_time_share is not None for p in scenario.pools)
    if not (shares or overtime_couples_weeks(scenario)):
        return solve_blocks(
            scenario,
            requirement,
            settings,
            progress=progress,
            stop=stop,
            deadline=deadline,
            coarse=coarse,
        )
    began = time.perf_counter()

    def weeks_alone(
        of: Scenario, share: float, until: float, budgets=None, start=coarse, greedy=None
    ):
        """The weeks alone, with ``share`` of the time limit, ending by ``until`` (a share of
        the wall clock from ``began`` to the deadline), starting from ``start``; ``greedy``:
        the weeks' shares of the caps their greedy plans keep."""
        alone = replace_settings(settings, time_limit_seconds=settings.time_limit_seconds * share)
        return solve_blocks(
            of,
            requirement,
            alone,
            progress=progress,
            stop=stop,
            deadline=began + (deadline - began) * until,
            overtime=False,
            part_time=False,
            coarse=start,
            budgets=budgets,
            greedy_budgets=greedy,
        )

    def keeps_coupled_rules(parts, greedy: bool = False) -> bool:
        """Every week has a plan its search found (or, with ``greedy``, its greedy plan:
        continuing the weeks from greedy plans ended at 5.2 % where the whole-horizon model
        reached 0.56 %, 2,400 operators, 120 s), and together they keep the rules that couple
        the weeks."""
        found = ("OPTIMAL", "FEASIBLE")
        if not all(p.outcome.status in found or (greedy and p.greedy) for p in parts):
            return False
        joined = join_plans([p.plan for p in parts], scenario.grid)
        return not any(v.rule in _COUPLED_RULES for v in validate_plan(scenario, joined).violations)

    def relaxation_continued(parts):
        """Weeks alone whose plans keep the coupled rules but not yet the gap: solved again
        in the time left from their plans. Both runs bound each week of the relaxation, so
        each week keeps the better bound, and the better plan when the plans kept together
        still keep the coupled rules."""
        objective = sum(p.outcome.objective for p in parts)
        bound = sum(p.outcome.best_bound for p in parts)
        if (
            relative_gap(objective, bound) <= settings.relative_gap
            or deadline - time.perf_counter() < CONTINUE_MIN_SECONDS
            or _stopped(stop)
        ):
            return parts
        joined = join_plans([p.plan for p in parts], scenario.grid)
        more, _ = weeks_alone(relaxed, 1 - RELAXATION_SHARE, 1.0, start=(joined, 1), greedy=even)
        if len(more) != len(parts):
            return parts
        pairs = list(zip(parts, more, strict=True))
        bounds = [float(np.fmax(a.outcome.best_bound, b.outcome.best_bound)) for a, b in pairs]
        found = ("OPTIMAL", "FEASIBLE")
        best = [
            b if b.outcome.status in found and b.outcome.objective < a.outcome.objective else a
            for a, b in pairs
        ]
        kept = best if keeps_coupled_rules(best) else parts
        return _bounded_by(kept, bounds, own_bounds_hold=True)

    relaxed = scenario
    if shares:
        pools = [p.model_copy(update={"max_part_time_share": None}) for p in scenario.pools]
        relaxed = scenario.model_copy(update={"pools": pools}).with_source(scenario.source)
    first = RELAXATION_SHARE
    # Each week's greedy plan (its hint, and its plan if its search finds none) keeps an even
    # share of the monthly and yearly caps, so that the weeks' greedy plans keep them together.
    even = overtime_budgets(scenario, Plan.empty(scenario.grid, [], []))
    weeks_began = time.perf_counter()
    parts, first_plan = weeks_alone(relaxed, first, first, greedy=even)
    # Wall seconds the weeks took outside their searches (instances, greedy plans, models): about
    # what building the whole horizon's model takes.
    setup = time.perf_counter() - weeks_began - sum(p.outcome.wall_seconds for p in parts)
    if keeps_coupled_rules(parts):
        return relaxation_continued(parts), first_plan
    bounds = [p.outcome.best_bound for p in parts]
    budgets, held = None, None
    if all(p.outcome.status in ("OPTIMAL", "FEASIBLE") for p in parts):
        joined = join_plans([p.plan for p in parts], scenario.grid)
        budgets = overtime_budgets(scenario, joined)
    used = first
    if (shares or budgets) and not _stopped(stop):
        held, first_plan = weeks_alone(
            scenario, RESTRICTION_SHARE, first + RESTRICTION_SHARE, budgets
        )
        used += RESTRICTION_SHARE
        if not keeps_coupled_rules(held):
            held = None
    # Shares of the time limit, not of the wall clock, so the plan is the same whatever the
    # load (the wall clock only cuts it short).
    left = settings.time_limit_seconds * (1 - used)
    if deadline - time.perf_counter() <= 0 or _stopped(stop):
        return (
            parts if held is None else _bounded_by(held, bounds, own_bounds_hold=False)
        ), first_plan
    if held is None and deadline - time.perf_counter() < setup and keeps_coupled_rules(parts, True):
        # No time to build the whole horizon's model, which would end past the time limit with
        # no better plan: the weeks' plans (some greedy) keep every rule together already.
        return parts, first_plan
    # The coupled model starts from the restriction's plan (it keeps every rule), so it can
    # only improve on it; its bound holds for the whole horizon.
    start = coarse if held is None else (join_plans([p.plan for p in held], scenario.grid), 1)
    coupled = replace_settings(settings, time_limit_seconds=left)
    whole, whole_first = solve_blocks(
        scenario,
        requirement,
        coupled,
        progress=progress,
        stop=stop,
        deadline=deadline,
        coarse=start,
    )
    found = all(p.outcome.status in ("OPTIMAL", "FEASIBLE") for p in whole)
    objective = sum(p.outcome.objective for p in whole) if found else math.inf
    if held is None or objective < sum(p.outcome.objective for p in held):
        return _bounded_by(whole, bounds, own_bounds_hold=True), whole_first
    own = sum(p.outcome.best_bound for p in whole)
    if not math.isnan(own) and own > sum(bounds):  # the coupled model proved more
        bounds = [b * own / sum(bounds) for b in bounds]
    return _bounded_by(held, bounds, own_bounds_hold=False), first_plan


def overtime_budgets(scenario: Scenario, plan: Plan) -> dict[tuple[int, int], tuple[int, int]]:
    """Each pool's week's share of the monthly and yearly overtime caps, from a plan of the weeks
    solved alone: (pool, week) -> (normal minutes of the week's operators, overtime minutes).

    A cap's minutes are shared among its weeks in proportion to the overtime each used in the
    plan (evenly when none used any), rounded down, so the shares of a period add up to at
    most its cap; a week in two periods (a month's end) takes the smaller share. Weeks solved
    again within their shares keep every cap together. Empty when no cap couples weeks.
    """
    grid = scenario.grid
    paid = np.zeros((len(scenario.pools), len(grid.weeks)))
    index = {pool.name: p for p, pool in enumerate(scenario.pools)}
    for group in plan.shifts:
        paid[index[group.pool], grid.week_of(group.day)] += group.agents * group.paid_minutes
    budgets: dict[tuple[int, int], tuple[int, int]] = {}
    for cap in pool_overtime_caps(scenario):
        if len(cap.weeks) < 2:
            continue
        used = np.array(
            [max(0.0, paid[cap.pool, w] - n) for w, n in zip(cap.weeks, cap.normal, strict=True)]
        )
        weights = used / used.sum() if used.sum() > 0 else np.full(len(used), 1 / len(used))
        for w, n, weight in zip(cap.weeks, cap.normal, weights, strict=True):
            share = int(np.floor(cap.cap * weight))
            old = budgets.get((cap.pool, w))
            budgets[(cap.pool, w)] = (n, share if old is None else min(old[1], share))
    return budgets


def _stopped(stop) -> bool:
    return stop is not None and stop.is_set()


def _bounded_by(parts, bounds, *, own_bounds_hold: bool):
    """Parts of a plan of the whole horizon bounded by a relaxation's bounds (the weeks alone
    without their coupling, ``bounds``), whose sum bounds the whole; by their own where those
    bound the whole too (``own_bounds_hold``: the coupled model's, not a restriction's) and are
    better. Parts as many as ``bounds`` are the same weeks and take their week's bound; one
    part of the whole horizon takes their sum. A part's bound never exceeds its objective."""
    if len(parts) == len(bounds):
        relaxed = list(bounds)
    elif len(parts) == 1:
        relaxed = [sum(bounds)]
    else:
        return parts
    kept = []
    for part, bound in zip(parts, relaxed, strict=True):
        outcome = part.outcome
        if outcome.status not in ("OPTIMAL", "FEASIBLE"):
            kept.append(part)
            continue
        if math.isnan(bound):  # a week of the relaxation found no bound
            bound = outcome.best_bound if own_bounds_hold else math.nan
        elif own_bounds_hold:
            bound = max(bound, outcome.best_bound)
        bound = min(bound, outcome.objective)  # NaN stays NaN: no proof
        proved = not math.isnan(bound) and outcome.objective <= bound + 1e-9
        status = "OPTIMAL" if proved else "FEASIBLE"
        outcome = dataclasses.replace(outcome, best_bound=bound, status=status)
        kept.append(dataclasses.replace(part, outcome=outcome))
    return kept


_COUPLED_RULES = ("pool_overtime_per_month", "pool_overtime_per_year", "part_time_share")
WEEK_DAYS = 7

CONTINUE_MIN_SECONDS = 2.0
"""Weeks alone whose plans keep the coupled rules are solved again, from their plans, in the
rest of the time limit when the gap is not yet proved and at least this much wall clock is
left."""
RELAXATION_SHARE = 0.45
RESTRICTION_SHARE = 0.3
"""When a part-time share couples the weeks: the shares of the time limit for the weeks alone
without the share (the relaxation) and with it in each week (the restriction); the rest is
left for the coupled model."""


# Worst first wins when parts disagree: one part without a plan makes the whole plan partial.
_STATUS_ORDER = ["OPTIMAL", "FEASIBLE", "UNKNOWN", "MODEL_INVALID", "INFEASIBLE"]
