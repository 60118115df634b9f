"""A stored plan back as the typed result the pages and the CLI show, from its files.

The plan's own tables (``shifts.csv``, ``allocation.csv``) are read back against its scenario
(:func:`planner.io.plan_tables.plan_from_tables`); coverage, KPIs and the check are computed
again from them (the formulas are deterministic: the same figures as when it was made, which the
tests check against the stored ``kpis.json``); the solver's report and the penalty breakdown
come from ``kpis.json``, since the solve is not repeated.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from dataclasses import fields

import pandas as pd

from planner.demand import build_demand
from planner.domain.plan import PlanResult, SolveReport
from planner.domain.scenario import Scenario
from planner.evaluate import coverage_table, daily_kpis, plan_kpis
from planner.io.plan_tables import plan_from_tables
from planner.staffing import build_requirement
from planner.validate.plan import validate_plan

__all__ = ["plan_result_from_files", "solve_report_from_document"]


def solve_report_from_document(solver: Mapping) -> SolveReport:
    """``kpis.json``'s ``solver`` section as a :class:`SolveReport` (a missing number, written
    as null for NaN, is NaN again)."""
    values = {}
    for f in fields(SolveReport):
        if f.name not in solver:
            continue
        value = solver[f.name]
        if value is None and f.type in ("float", float):
            value = math.nan
        if isinstance(value, list):
            value = tuple(value)
        values[f.name] = value
    return SolveReport(**values)


def plan_result_from_files(scenario: Scenario, files: Mapping[str, bytes]) -> PlanResult:
    """A plan's :class:`PlanResult` from its files (:func:`planner.io.export.plan_files`).

    Raises
    ------
    ValueError
        When the tables do not fit the scenario (another scenario's plan).
    """
    kpis = json.loads(files["kpis.json"])
    shifts = pd.read_csv(io.BytesIO(files["shifts.csv"]), keep_default_na=False)
    allocation = pd.read_csv(io.BytesIO(files["allocation.csv"]))
    plan = plan_from_tables(scenario, shifts, allocation)
    requirement = build_requirement(scenario, build_demand(scenario))
    coverage = coverage_table(scenario, requirement, plan.staffed)
    return PlanResult(
        scenario_name=scenario.name,
        plan=plan,
        coverage=coverage,
        kpis_daily=daily_kpis(scenario, coverage),
        kpis=plan_kpis(scenario, plan, coverage),
        solve=solve_report_from_document(kpis.get("solver", {})),
        penalties={k: float(v) for k, v in kpis.get("penalties", {}).items()},
        validation=validate_plan(scenario, plan, coverage),
    )
