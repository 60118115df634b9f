"""A call-by-call simulator of plans (numpy and the standard library; never a solver).

Calls arrive per queue as a Poisson process whose rate is constant within each interval (the
scenario's demand: calls per queue, day and interval); handling times are exponential with the
interval's AHT; where the queue has a ``patience_seconds``, callers hang up after an exponential
patience of that mean. Each queue is served first come first served; agents of a pool serving
several queues are routed by the scenario's ``routing.policy`` (:mod:`planner.simulate.shared`:
the highest-priority call first, the longest-waiting call first, or the line the plan allocated
them to, :mod:`planner.simulate.plan`). Calls in service and callers waiting carry over
from one interval to the next; the line opens empty each day; callers still waiting when the
window closes are offered and not answered (neither answered in time nor abandoned). See
:mod:`planner.simulate.engine` for the event logic and :mod:`planner.simulate.run` for the
replications and the figures (conventions of ``shared/DOMAIN.md``: service level over all offered
calls, ASA over answered calls, occupancy from the carried load).
"""

from planner.simulate.engine import TALLIES, run_day, simulate_day
from planner.simulate.plan import SHRINKAGE_MODES, absence_agents, present_agents, simulate_plan
from planner.simulate.promise import (
    PROMISE_COLUMNS,
    SimulationSettings,
    describe,
    describe_check,
    promise_table,
    service_band,
)
from planner.simulate.run import (
    IntervalSummary,
    QueueSummary,
    SimulationResult,
    interval_table,
    simulate_queues,
    simulate_shared,
    simulation_document,
    whole_agents,
)
from planner.simulate.shared import ROUTING_POLICIES, run_shared_day

__all__ = [
    "PROMISE_COLUMNS",
    "ROUTING_POLICIES",
    "SHRINKAGE_MODES",
    "TALLIES",
    "IntervalSummary",
    "QueueSummary",
    "SimulationResult",
    "SimulationSettings",
    "absence_agents",
    "describe",
    "describe_check",
    "interval_table",
    "present_agents",
    "promise_table",
    "run_day",
    "run_shared_day",
    "service_band",
    "simulate_day",
    "simulate_plan",
    "simulate_queues",
    "simulate_shared",
    "simulation_document",
    "whole_agents",
]
