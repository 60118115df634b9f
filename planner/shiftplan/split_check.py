"""Shared agents counted as the routing serves them: each line's promise checked by a simulation
of the plan under the scenario's routing.

Under ``priority`` and ``longest_waiting`` routing (``routing.policy``) a shared pool's agents
take whichever call the routing gives them. The plan's split of them between lines (its
allocation) is then only how the formulas count them, and a simulation of the plan does not
depend on it. The formulas count an agent as answering the line it is counted on, alone, for the
whole interval. Under non-preemptive priority an agent counted on the emergency line takes a
consulting call when no emergency call waits, and is busy when the next one comes: on the
emergency week the search's split promised the emergency line 58.3 % and the routing gave it
57.1 % +- 0.9 %, while consulting got 75.2 % against a promise of 67.6 %.

:func:`check_split` simulates the plan once (:data:`CHECK_REPLICATIONS` replications,
whole-day absence as ``python -m planner simulate`` does by default, the fixed seed
:data:`CHECK_SEED`, so that plans of different solver seeds are checked alike). While a line's
promise is above what the simulation gives it less the 95 % half-width, counted agents of a
shared pool move from that line to another line the pool serves whose promise stays at most its
own simulated figure less its half-width: one agent over a whole routing block, so that nobody
changes line inside a block, in the blocks where the formulas promise the line the most calls
beyond the simulation first, and never out of an interval that it would leave short of its
requirement when it was not (the understaffed intervals a plan reports stay its shifts' doing).
The shifts do not change, so neither does the simulation.

The solve report (status, objective, bound, gap) and the objective's terms stay the search's:
they price the shifts, which are the plan, with the split the formulas allow at its best, and
the bound bounds that price. Priced on the checked split instead, the same shifts would cost
more for a promise made smaller on paper only (the emergency week in daily mode: a gap of
1.6 % would read 4.4 %), and no bound of that price is known.

Nothing is checked under ``plan_split`` routing (the split is then where agents work, and the
simulation replays it) or without a shared pool serving two open lines; the check is skipped,
and says so, when the horizon's calls times the replications exceed :data:`CHECK_CALL_BUDGET`
(about five seconds of simulation): ``python -m planner simulate`` checks such plans.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from planner.domain.plan import LineCheck, Plan, PlanResult, SplitCheck
from planner.domain.scenario import Scenario
from planner.evaluate import coverage_table, plan_result
from planner.messages import msg
from planner.simulate import simulate_plan

__all__ = [
    "CHECK_CALL_BUDGET",
    "CHECK_REPLICATIONS",
    "CHECK_SEED",
    "CHECK_SHRINKAGE",
    "check_seconds",
    "check_split",
    "shared_pools",
]

CHECK_REPLICATIONS = 30
CHECK_SEED = 20_261_205
"""One seed for every check, whatever the solver's, so that plans are checked alike."""
CHECK_SHRINKAGE = "absence"
CHECK_CALL_BUDGET = 6_000_000
"""Calls simulated at most (horizon's expected calls x replications): about 5 s at the
simulator's 1-3 million calls a second."""
CALLS_PER_SECOND = 1_000_000
"""The simulator's slowest measured rate (``bench/bench_simulate.py``), for the time a check
needs."""
MAX_ROUNDS = 12
_EPS = 1e-6


def _shared(scenario: Scenario) -> set[str]:
    """The scenario's pools that serve two lines open on some day (their split is a choice)."""
    is_open = scenario.open_matrix()
    return {
        p.name
        for p in scenario.pools
        if len(p.skills) > 1 and np.any(np.sum([is_open[q] for q in p.skills], axis=0) >= 2)
    }


def shared_pools(scenario: Scenario, plan: Plan) -> list[int]:
    """The plan's pools (indices) that serve two lines open on some day."""
    shared = _shared(scenario)
    return [p for p, name in enumerate(plan.pool_names) if name in shared]


def _applies(scenario: Scenario) -> bool:
    return scenario.routing.policy != "plan_split" and bool(_shared(scenario))


def _calls_to_simulate(requirement: pd.DataFrame) -> float:
    """The check's simulated calls: the horizon's expected calls times the replications."""
    return float(requirement["calls"].sum()) * CHECK_REPLICATIONS


def check_seconds(scenario: Scenario, requirement: pd.DataFrame) -> float:
    """The time a check of this scenario's plans needs (0 when there is nothing to check or
    the check would be skipped): the simulation at :data:`CALLS_PER_SECOND`, and a second for
    the moves and the evaluation."""
    calls = _calls_to_simulate(requirement)
    if not _applies(scenario) or calls > CHECK_CALL_BUDGET:
        return 0.0
    return calls / CALLS_PER_SECOND + 1.0


def check_split(scenario: Scenario, result: PlanResult, requirement: pd.DataFrame) -> PlanResult:
    """The plan with its shared agents counted where the routing serves (module docstring).

    Parameters
    ----------
    scenario : Scenario
    result : PlanResult
        A solve's plan (:func:`planner.shiftplan.plan_shifts` with ``check=False``, or a plan
        re-optimised around locks).
    requirement : pandas.DataFrame
        The requirement the plan was solved on (:func:`planner.staffing.build_requirement`).

    Returns
    -------
    PlanResult
        ``result`` itself when there is nothing to check (no plan, ``plan_split`` routing, no
        shared pool serving two open lines, or none of its agents on duty); otherwise with
        ``split_check`` saying what was checked and moved, and the plan's allocation, coverage,
        KPIs and validation those of the split after the check, its solve report and objective
        terms the search's. When the new split would break a rule the search's kept, the
        search's split is kept (nothing moved, each line still reported).
    """
    if not result.solve.has_plan or not _applies(scenario):
        return result
    plan = result.plan
    pools = shared_pools(scenario, plan)
    if not plan.allocation[pools].any():  # no shared agent on duty: no split to check
        return result
    check = SplitCheck(
        routing=scenario.routing.policy,
        replications=CHECK_REPLICATIONS,
        seed=CHECK_SEED,
        shrinkage=CHECK_SHRINKAGE,
    )
    calls = _calls_to_simulate(requirement)
    if calls > CHECK_CALL_BUDGET:
        skipped = msg(
            "{calls:,.0f} calls to simulate ({replications} replications) is more than the "
            "check's {budget:,}: check the plan with 'python -m planner simulate'",
            calls=calls,
            replications=CHECK_REPLICATIONS,
            budget=CHECK_CALL_BUDGET,
        )
        return dataclasses.replace(result, split_check=dataclasses.replace(check, skipped=skipped))
    sim = simulate_plan(
        scenario,
        plan,
        replications=CHECK_REPLICATIONS,
        seed=CHECK_SEED,
        shrinkage=CHECK_SHRINKAGE,
        routing=scenario.routing.policy,
    )
    allocation = _moved(scenario, plan, requirement, sim, pools)
    moved = int(np.abs(allocation - plan.allocation).sum()) // 2
    checked = result
    if moved:
        checked = _evaluated(scenario, plan, allocation, requirement, result)
        if checked is None:  # the search's split is kept
            checked, moved = result, 0
    lines = tuple(
        LineCheck(
            queue=q.queue,
            promised_before=result.kpis.queues[q.queue].service_level,
            promised=checked.kpis.queues[q.queue].service_level,
            simulated=q.service_level,
            simulated_ci95=float(np.nan_to_num(q.service_level_ci95)),
        )
        for q in sim.queues
        if q.queue in checked.kpis.queues and not np.isnan(q.service_level)
    )
    return dataclasses.replace(
        checked, split_check=dataclasses.replace(check, moved=moved, lines=lines)
    )


def _per_interval(scenario: Scenario, frame: pd.DataFrame, column: str) -> np.ndarray:
    """A coverage-like table's column as an array (queues, days, intervals)."""
    grid = scenario.grid
    out = np.zeros((len(scenario.queues), grid.days, grid.intervals_per_day))
    q = frame["queue"].map({queue.name: k for k, queue in enumerate(scenario.queues)})
    out[q.to_numpy(), frame["day_index"].to_numpy(), frame["interval"].to_numpy()] = frame[
        column
    ].to_numpy(float)
    return out


def _answered_in_time(scenario, requirement, staffed: np.ndarray) -> np.ndarray:
    """Calls answered within the target per queue, day and interval, by the formulas."""
    table = coverage_table(scenario, requirement, np.maximum(staffed, 0))
    return _per_interval(scenario, table, "answered_within_target")


def _moved(scenario, plan: Plan, requirement, sim, pools: list[int]) -> np.ndarray:
    """The allocation with counted agents moved until each line's promise is at most its
    simulated figure less the half-width, where a receiving line stays so (module docstring)."""
    names = [q.name for q in scenario.queues]
    calls = _per_interval(scenario, requirement, "calls")
    offered = calls.sum(axis=(1, 2))
    simulated = np.zeros_like(calls)
    for s in sim.intervals:
        simulated[names.index(s.queue), s.day, s.interval] = np.nan_to_num(
            s.service_level * s.offered
        )
    want = np.full(len(names), np.inf)  # calls in time the simulation gives, less the half-width
    for q in sim.queues:
        if not np.isnan(q.service_level):
            low = q.service_level - np.nan_to_num(q.service_level_ci95)
            want[names.index(q.queue)] = low * offered[names.index(q.queue)]
    required = _per_interval(scenario, requirement, "required_agents")
    is_open = np.array([scenario.open_matrix()[name] for name in names])  # queues x days
    step = max(1, scenario.routing.block_minutes // scenario.horizon.interval_minutes)
    firsts = np.arange(0, scenario.grid.intervals_per_day, step)  # each block's first interval
    blocks = [slice(a, b) for a, b in zip(firsts, [*firsts[1:], None], strict=True)]

    def per_block(values: np.ndarray, how=np.add) -> np.ndarray:
        return how.reduceat(values, firsts, axis=-1)

    skills = {p: [names.index(s) for s in scenario.pool(plan.pool_names[p]).skills] for p in pools}
    allocation = plan.allocation.copy()
    for _ in range(MAX_ROUNDS):
        staffed = allocation.sum(axis=0)
        now = _answered_in_time(scenario, requirement, staffed)
        excess = now.sum(axis=(1, 2)) - want  # > 0: promised more than it gets; < 0: room left
        if not (excess > _EPS).any():
            break
        lose = per_block(now - _answered_in_time(scenario, requirement, staffed - 1))
        gain = per_block(_answered_in_time(scenario, requirement, staffed + 1) - now)
        over = per_block(now - simulated)  # calls the formulas promise beyond the simulation
        # Never an interval made short that was not: staffed == required.
        fits = per_block((staffed == required).astype(np.int64)) == 0
        used: set[tuple[int, int, int]] = set()
        moved = False
        for q in np.argsort(-excess, kind="stable"):
            if excess[q] <= _EPS:
                break
            options = []
            for p, served in skills.items():
                others = [c for c in served if c != q]
                if q not in served or not others:
                    continue
                counted = per_block(allocation[p, q], np.minimum) >= 1
                open_days = is_open[q] & is_open[others].any(axis=0)
                able = counted & fits[q] & open_days[:, None]
                options += [(-over[q, d, k], p, d, k) for d, k in np.argwhere(able).tolist()]
            for _over, p, d, k in sorted(options):
                if excess[q] <= _EPS:
                    break
                open_others = [c for c in skills[p] if c != q and is_open[c, d]]
                c = max(open_others, key=lambda c: -excess[c] - gain[c, d, k])
                if (q, d, k) in used or (c, d, k) in used or excess[c] + gain[c, d, k] > _EPS:
                    continue
                allocation[p, q, d, blocks[k]] -= 1
                allocation[p, c, d, blocks[k]] += 1
                excess[q] -= lose[q, d, k]
                excess[c] += gain[c, d, k]
                used.update({(q, d, k), (c, d, k)})
                moved = True
        if not moved:
            break
    return allocation


def _evaluated(scenario, plan: Plan, allocation, requirement, result) -> PlanResult | None:
    """The plan with the new split, evaluated and checked, with the search's report and
    objective terms; None when the split breaks a rule the search's split kept."""
    split = dataclasses.replace(plan, allocation=allocation)
    checked = plan_result(scenario, split, requirement, result.solve, result.penalties)
    if result.validation.ok and not checked.validation.ok:
        return None
    return checked
