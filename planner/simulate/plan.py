"""A plan's agents per queue and interval, as the simulator takes them (``plan_split`` routing).

Routing ``plan_split``: the agents of pool p answering queue q in interval i are the plan's
allocation ``a[p, q, d, i]``; each queue is served by its own agents, FCFS.

Shrinkage, two ways:

``"mean"``
    The formulas' deterministic mean: ``staffed x (1 - shrinkage)`` agents on the phones, the
    fraction made whole per interval at random with the right mean
    (:func:`planner.simulate.run.whole_agents`).
``"absence"``
    Whole agents absent for the day: each scheduled agent (each agent of each shift group) is
    absent that day with probability equal to the shrinkage, independently. A pool's probability
    is the shrinkage of the queues its agents are allocated to, weighted by the allocation over
    the horizon (a dedicated pool's is its queue's). The agents present on duty in an interval
    are split among the queues like the plan's allocation, the absent ones drawn at random
    (a multivariate hypergeometric draw over the allocation).
"""

from __future__ import annotations

import numpy as np

from planner.demand import build_demand
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.simulate.run import SimulationResult, simulate_queues, simulate_shared, whole_agents
from planner.simulate.shared import ROUTING_POLICIES

__all__ = ["SHRINKAGE_MODES", "absence_agents", "present_agents", "simulate_plan"]

SHRINKAGE_MODES = ("absence", "mean")


def _pool_absence(scenario: Scenario, plan: Plan) -> np.ndarray:
    shrink = np.array([q.shrinkage for q in scenario.queues])
    per_queue = plan.allocation.sum(axis=(2, 3)).astype(float)  # pools x queues
    total = per_queue.sum(axis=1)
    weighted = per_queue @ shrink
    return np.where(total > 0, weighted / np.where(total > 0, total, 1.0), 0.0)


def present_agents(
    rng: np.random.Generator, plan: Plan, absence: np.ndarray, places: int = 0
) -> np.ndarray:
    """Agents of each pool present per day and interval (pools x days x intervals) when each
    scheduled agent is absent for the day with probability ``absence[pool]``.

    One uniform draw per pool, day and agent's place (``places`` at least: the scenario's
    largest headcount, so that the draws do not depend on the plan); a pool's shifts of a day
    take the places in one order (template, start, breaks). So two plans with the same shift
    meet the same absences on it (common random numbers).
    """
    pools, _, days, intervals = plan.allocation.shape
    pool_of = {name: p for p, name in enumerate(plan.pool_names)}
    starting = np.zeros((pools, days), dtype=np.int64)
    for g in plan.shifts:
        starting[pool_of[g.pool], g.day] += g.agents
    draws = rng.random((pools, days, max(int(starting.max(initial=0)), places)))
    taken = np.zeros((pools, days), dtype=np.int64)
    present = np.zeros((pools, days, intervals), dtype=np.int64)
    for g in sorted(plan.shifts, key=lambda g: (g.pool, g.day, g.template, g.start, g.breaks)):
        p, k = pool_of[g.pool], taken[pool_of[g.pool], g.day]
        here = int((draws[p, g.day, k : k + g.agents] >= absence[p]).sum())
        taken[p, g.day] += g.agents
        if here:
            present[p, g.day] += here * g.duty(intervals)
    return np.minimum(present, plan.allocation.sum(axis=1))


def absence_agents(
    rng: np.random.Generator, plan: Plan, absence: np.ndarray, places: int = 0
) -> np.ndarray:
    """Agents per queue, day and interval when each agent is absent for the day with probability
    ``absence[pool]`` (whole numbers, shape queues x days x intervals; ``places`` as for
    :func:`present_agents`)."""
    pools, queues, days, intervals = plan.allocation.shape
    keep = present_agents(rng, plan, absence, places)
    out = np.zeros((queues, days, intervals), dtype=np.int64)
    on_duty = plan.allocation.sum(axis=1)  # pools x days x intervals
    for p in range(pools):
        alloc = plan.allocation[p]
        shared = (alloc > 0).sum(axis=0) > 1  # days x intervals split among several queues
        single = ~shared & (on_duty[p] > 0)
        out += np.where(single[None], (alloc > 0) * keep[p][None], 0)
        for d, i in zip(*np.nonzero(shared), strict=True):
            out[:, d, i] += rng.multivariate_hypergeometric(alloc[:, d, i], int(keep[p, d, i]))
    return out


def simulate_plan(
    scenario: Scenario,
    plan: Plan,
    *,
    replications: int = 30,
    seed: int = 0,
    shrinkage: str = "absence",
    routing: str | None = None,
    handling_cv: float | None = None,
) -> SimulationResult:
    """Simulate a plan call by call over the scenario's horizon (see the module docstring and
    :mod:`planner.simulate`).

    ``routing``: ``priority``, ``longest_waiting`` or ``plan_split``
    (:data:`planner.simulate.shared.ROUTING_POLICIES`); None: the scenario's
    ``routing.policy``. A plan with no flexible pool is simulated queue by queue whatever the
    policy (each agent can answer one queue only). ``handling_cv``: lognormal handling times
    with this coefficient of variation (default exponential).
    """
    if handling_cv is not None and not 0.0 < handling_cv <= 10.0:
        raise ValueError(f"handling_cv = {handling_cv}: must be > 0 and at most 10")
    if shrinkage not in SHRINKAGE_MODES:
        raise ValueError(f"shrinkage = {shrinkage!r}: must be one of {SHRINKAGE_MODES}")
    routing = scenario.routing.policy if routing is None else routing
    if routing not in ROUTING_POLICIES:
        raise ValueError(f"routing = {routing!r}: must be one of {ROUTING_POLICIES}")
    grid = scenario.grid
    shape = (len(scenario.queues), grid.days, grid.intervals_per_day)
    demand = build_demand(scenario)
    calls = demand["calls"].to_numpy(float).reshape(shape)
    aht = demand["aht_seconds"].to_numpy(float).reshape(shape)
    common = {
        "interval_seconds": grid.interval_seconds,
        "answer_within_seconds": [q.answer_within_seconds for q in scenario.queues],
        "patience_seconds": [q.patience_seconds for q in scenario.queues],
        "replications": replications,
        "seed": seed,
        "queue_names": tuple(q.name for q in scenario.queues),
        "shrinkage": shrinkage,
        "handling_cv": handling_cv,
    }
    absence = _pool_absence(scenario, plan)
    places = max((int(h.max(initial=0)) for h in scenario.headcount_matrix().values()), default=0)
    skills = [
        tuple(scenario.queues.index(scenario.queue(n)) for n in p.skills)
        for p in (scenario.pool(name) for name in plan.pool_names)
    ]
    if routing == "plan_split" or all(len(s) == 1 for s in skills):
        if shrinkage == "mean":
            keep = np.array([1.0 - q.shrinkage for q in scenario.queues])
            agents = plan.staffed * keep[:, None, None]
        else:

            def agents(rng):
                return absence_agents(rng, plan, absence, places)

        return simulate_queues(calls, aht, agents, **common)

    on_duty = plan.allocation.sum(axis=1)  # pools x days x intervals
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(
            on_duty[:, None] > 0, plan.allocation / np.maximum(on_duty, 1)[:, None], 0.0
        )
    if shrinkage == "mean":

        def pool_agents(rng):
            return whole_agents(rng, on_duty * (1.0 - absence)[:, None, None])

    else:

        def pool_agents(rng):
            return present_agents(rng, plan, absence, places)

    priority = [q.priority for q in scenario.queues] if routing == "priority" else None
    return simulate_shared(
        calls, aht, pool_agents, skills, share, queue_priority=priority, **common
    )
