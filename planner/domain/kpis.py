"""Typed KPIs: what a plan and a roster achieve over the horizon, each field named with its unit.

Conventions
-----------
- Shares are fractions (``0.8`` is 80 %), hours are hours, money is in the scenario's cost units.
- ``None`` means there is no value: no calls offered (no service level), abandonment not
  modelled (Erlang C), no requirement (no paid-to-required ratio).
- ``asa_seconds`` is ``inf`` for a queue that is unstable in some interval with calls (calls
  arrive faster than its staff can answer them): the wait grows without bound. It is a value,
  not a marker; JSON writes it as ``null``.
- Every scalar is a Python ``int``, ``float``, ``str`` or ``None`` (no numpy types), so the
  objects compare, pickle and serialise alike everywhere.

The ``to_dict`` methods give the structure ``kpis.json`` and ``roster.json`` have always held
(keys, their order and values), so that files written from the typed objects stay the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PlanKpis", "QueueKpis", "RosterKpis"]


@dataclass(frozen=True)
class QueueKpis:
    """One queue's service over the horizon's open intervals.

    Attributes
    ----------
    calls : float
        Calls offered (forecast, surges included).
    service_level : float or None
        Calls answered within the target time over ALL calls offered (abandons count as
        failures), a fraction; None without calls.
    service_level_target : float
        The queue's target, a fraction.
    abandon_rate : float or None
        Calls abandoned over calls offered, a fraction; None under Erlang C (not modelled).
    asa_seconds : float or None
        Average speed of answer over answered calls, seconds; ``inf`` when the queue is unstable
        in an interval with calls; None when no call is answered.
    understaffed_intervals : int
        Open intervals with fewer agents on duty than required.
    shortfall_agent_hours : float
        Agents missing against the requirement, summed over intervals, in agent-hours.
    peak_agents : int
        Most agents on duty for the queue in one interval.
    peak_required_agents : int
        Most agents the queue requires in one interval.
    """

    calls: float
    service_level: float | None
    service_level_target: float
    abandon_rate: float | None
    asa_seconds: float | None
    understaffed_intervals: int
    shortfall_agent_hours: float
    peak_agents: int
    peak_required_agents: int

    def to_dict(self) -> dict[str, Any]:
        """The queue's entry of ``kpis.json`` (before its ``days``)."""
        return {
            "calls": self.calls,
            "service_level": self.service_level,
            "service_level_target": self.service_level_target,
            "abandon_rate": self.abandon_rate,
            "asa_seconds": self.asa_seconds,
            "understaffed_intervals": self.understaffed_intervals,
            "shortfall_agent_hours": self.shortfall_agent_hours,
            "peak_agents": self.peak_agents,
            "peak_required": self.peak_required_agents,
        }


@dataclass(frozen=True)
class PlanKpis:
    """A plan's horizon totals and each queue's service (:func:`planner.evaluate.plan_kpis`).

    Attributes
    ----------
    paid_hours : float
        Paid hours of every shift planned (breaks unpaid).
    cost : float
        Paid hours times each pool's cost per hour, in the scenario's cost units.
    paid_hours_by_pool, cost_by_pool : mapping of str to float
        The two above per pool, every pool of the scenario (0 when it works no shift).
    borrowed_hours : float
        Paid hours of the pools marked ``borrowed``.
    shifts : int
        Shifts planned (one per agent per day).
    required_agent_hours : float
        Agents the requirement asks for, summed over queues and intervals, in agent-hours.
    paid_to_required_ratio : float or None
        ``paid_hours`` over ``required_agent_hours``; None without a requirement.
    understaffed_intervals : int
        Open queue-intervals with fewer agents than required, all queues.
    queues : mapping of str to QueueKpis
        Per queue, in the scenario's order.
    """

    paid_hours: float
    cost: float
    paid_hours_by_pool: Mapping[str, float]
    cost_by_pool: Mapping[str, float]
    borrowed_hours: float
    shifts: int
    required_agent_hours: float
    paid_to_required_ratio: float | None
    understaffed_intervals: int
    queues: Mapping[str, QueueKpis] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The horizon totals of ``kpis.json`` and, under ``queues``, each queue's entry."""
        return {
            "paid_hours": self.paid_hours,
            "cost": self.cost,
            "paid_hours_by_pool": dict(self.paid_hours_by_pool),
            "cost_by_pool": dict(self.cost_by_pool),
            "borrowed_hours": self.borrowed_hours,
            "shifts": self.shifts,
            "required_agent_hours": self.required_agent_hours,
            "paid_to_required_ratio": self.paid_to_required_ratio,
            "understaffed_intervals": self.understaffed_intervals,
            "queues": {name: q.to_dict() for name, q in self.queues.items()},
        }


@dataclass(frozen=True)
class RosterKpis:
    """How completely a roster covers its plan (:attr:`planner.domain.roster.RosterResult.kpis`).

    Attributes
    ----------
    planned_shifts : int
        Shifts in the plan rostered.
    assigned_shifts : int
        Planned shifts a named operator works.
    unassigned_shifts : int
        Planned shifts nobody works (each with its reason in ``unassigned``).
    unassigned_bound_shifts : int
        At least this many shifts stay unassigned whatever the roster (a count over whole
        pools); ``unassigned_shifts`` is the fewest possible when it equals this.
    operators : int
        Operators rostered (from the operators file, or generated from headcounts).
    operators_working : int
        Operators who work at least one shift.
    """

    planned_shifts: int
    assigned_shifts: int
    unassigned_shifts: int
    unassigned_bound_shifts: int
    operators: int
    operators_working: int

    def to_dict(self) -> dict[str, Any]:
        """The counts ``roster.json`` holds, under its keys and in its order."""
        return {
            "planned_shifts": self.planned_shifts,
            "assigned_shifts": self.assigned_shifts,
            "unassigned_shifts": self.unassigned_shifts,
            "unassigned_bound": self.unassigned_bound_shifts,
            "operators": self.operators,
        }
