"""The plan: what the optimiser decides, as tables any stage can read without the solver.

A plan is fully described by two tables:

``shifts``
    One row per group of identical shifts: ``day`` (date), ``pool``, ``template``, ``start`` and
    ``end`` (``"HH:MM"``), ``breaks`` (``"HH:MM-HH:MM;HH:MM-HH:MM"`` in the template's break
    order, ``""`` when the template has none), ``agents`` (how many start this shift), and
    ``paid_hours`` (the row's total: agents x paid hours of one such shift; unpaid breaks are not
    paid).
``allocation``
    How each pool's agents on duty are split among the queues they serve: ``day``,
    ``interval_start``, ``pool``, ``queue``, ``agents``. Rows with zero agents are omitted. An
    agent on duty (on shift and not on a break) is allocated to exactly one open queue they have
    the skill for, so no agent is ever counted twice; dedicated pools have one row per interval
    on duty.

Everything else (coverage, KPIs) is computed from these two tables and the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from planner.domain.kpis import PlanKpis

__all__ = [
    "ALLOCATION_COLUMNS",
    "COVERAGE_COLUMNS",
    "SHIFT_COLUMNS",
    "PlanResult",
    "SolveReport",
    "ValidationReport",
    "Violation",
]

SHIFT_COLUMNS = ("day", "pool", "template", "start", "end", "breaks", "agents", "paid_hours")
ALLOCATION_COLUMNS = ("day", "interval_start", "pool", "queue", "agents")
COVERAGE_COLUMNS = (
    "day",
    "interval_start",
    "queue",
    "calls",
    "aht_seconds",
    "required_agents",
    "staffed_agents",
    "shortfall_agents",
    "service_level",
    "asa_seconds",
    "abandon_rate",
    "occupancy",
)
"""Coverage per queue and interval: ``required_agents`` and ``staffed_agents`` are agents on duty
(not on a break); the service metrics are what the staffed agents achieve after shrinkage, by
Erlang A for queues with a patience and Erlang C otherwise."""


@dataclass(frozen=True)
class Violation:
    """A hard rule a plan breaks: the rule's name, where, and what is wrong."""

    rule: str
    where: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule} at {self.where}: {self.detail}"


@dataclass(frozen=True)
class ValidationReport:
    """The solver-free check of a plan against every hard rule."""

    violations: tuple[Violation, ...] = ()
    rules_checked: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        if self.ok:
            return f"valid: {len(self.rules_checked)} hard rules checked, none broken"
        lines = [f"INVALID: {len(self.violations)} violation(s)"]
        lines += [f"  {v}" for v in self.violations[:20]]
        if len(self.violations) > 20:
            lines.append(f"  ... and {len(self.violations) - 20} more")
        return "\n".join(lines)


@dataclass(frozen=True)
class SolveReport:
    """How the solve went. Money amounts are in the scenario's cost units.

    ``status`` is CP-SAT's (``OPTIMAL``, ``FEASIBLE``, ``INFEASIBLE``, ``MODEL_INVALID``,
    ``UNKNOWN``); ``gap`` is ``|objective - best_bound| / max(|objective|, 1e-9)``. A long
    horizon may be solved as ``independent_parts`` separate weekly models
    (:mod:`planner.shiftplan.blocks`); the figures are then their sums and the status the worst.
    ``stopped`` says the search was ended by the caller (a Stop button), not by the time limit
    or by proving the gap.
    """

    status: str
    objective: float
    best_bound: float
    gap: float
    solve_seconds: float
    first_solution_seconds: float | None
    solutions_found: int
    time_limit_seconds: float
    relative_gap_limit: float
    seed: int
    workers: int
    conflicting_rules: tuple[str, ...] = ()
    independent_parts: int = 1
    stopped: bool = False

    @property
    def has_plan(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")


@dataclass(frozen=True)
class PlanResult:
    """A plan with everything a manager reads from it.

    Attributes
    ----------
    scenario_name : str
    shifts, allocation : pandas.DataFrame
        The plan itself (see the module docstring).
    coverage : pandas.DataFrame
        Per queue and interval, columns :data:`COVERAGE_COLUMNS` (and more).
    kpis_daily : pandas.DataFrame
        Per queue and day: calls, service level, abandonment, ASA, understaffed intervals, peak
        agents.
    kpis : PlanKpis
        Horizon totals and per-queue summaries (see :func:`planner.evaluate.plan_kpis`).
    solve : SolveReport
    penalties : dict of str to float
        The objective split by term: ``cost`` and each soft rule's penalty, in cost units.
    validation : ValidationReport
    """

    scenario_name: str
    shifts: pd.DataFrame
    allocation: pd.DataFrame
    coverage: pd.DataFrame
    kpis_daily: pd.DataFrame
    kpis: PlanKpis
    solve: SolveReport
    penalties: dict[str, float] = field(default_factory=dict)
    validation: ValidationReport = ValidationReport()
