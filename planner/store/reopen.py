"""A stored plan or roster back as the typed result the pages and the CLI show, from its files.

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
import re
from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date

import pandas as pd

from planner.demand import build_demand
from planner.domain.plan import (
    LineCheck,
    PlanResult,
    SolveReport,
    SplitCheck,
    ValidationReport,
    Violation,
)
from planner.domain.roster import RosterResult
from planner.domain.scenario import Scenario
from planner.evaluate import plan_result
from planner.io.operators_file import parse_operators
from planner.io.plan_tables import plan_from_tables
from planner.staffing import build_requirement

__all__ = [
    "plan_result_from_files",
    "roster_result_from_files",
    "solve_report_from_document",
    "split_check_from_document",
]


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


def split_check_from_document(section: Mapping | None) -> SplitCheck | None:
    """``kpis.json``'s ``split_check`` section (:func:`planner.io.export.kpis_document`) as the
    :class:`SplitCheck` it was written from; None when the plan had none."""
    if section is None:
        return None
    own = {f.name for f in fields(SplitCheck)} - {"lines"}
    lines = tuple(
        LineCheck(queue=queue, **{k: v for k, v in line.items() if k != "confirmed"})
        for queue, line in section.get("lines", {}).items()
    )
    return SplitCheck(**{k: v for k, v in section.items() if k in own}, lines=lines)


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
    result = plan_result(
        scenario,
        plan,
        requirement,
        solve_report_from_document(kpis.get("solver", {})),
        {k: float(v) for k, v in kpis.get("penalties", {}).items()},
    )
    return replace(result, split_check=split_check_from_document(kpis.get("split_check")))


_VIOLATION = re.compile(r"(?P<rule>\S+) at (?P<where>.*?): (?P<detail>.*)", re.DOTALL)


def _validation(document: Mapping) -> ValidationReport:
    """``validation`` of a stored document back as a report (violations as written)."""
    violations = []
    for text in document.get("violations", []):
        match = _VIOLATION.fullmatch(text)
        parts = match.groupdict() if match else {"rule": "", "where": "", "detail": text}
        violations.append(Violation(**parts))
    return ValidationReport(tuple(violations), tuple(document.get("rules_checked", [])))


DATE_COLUMNS = ("day", "week_start")
"""Columns of the roster's tables that hold dates (``YYYY-MM-DD`` in the files)."""


def _table(files: Mapping[str, bytes], name: str) -> pd.DataFrame:
    """A roster table as the roster step made it: dates as dates, numbers as numbers (an empty
    cell, written for NaN, as NaN), text as text (an empty cell as "")."""
    table = pd.read_csv(io.BytesIO(files[name]), dtype=str, keep_default_na=False)
    for column in table.columns:
        cells = table[column]
        if column in DATE_COLUMNS:
            table[column] = [date.fromisoformat(v) if v else None for v in cells]
            continue
        filled = cells[cells != ""]
        if filled.empty or pd.to_numeric(filled, errors="coerce").isna().any():
            continue  # text
        numbers = pd.to_numeric(cells.replace("", None))
        whole = not (cells == "").any() and not filled.str.contains(r"[.eE]").any()
        table[column] = numbers.astype("int64") if whole else numbers.astype("float64")
    return table


def roster_result_from_files(
    scenario: Scenario, files: Mapping[str, bytes], plan: PlanResult | None = None
) -> RosterResult:
    """A roster's :class:`RosterResult` from its files (:func:`planner.roster.roster_files`),
    with the plan it rosters when given. The tables are read back as written (text cells stay
    text: ``breaks``, times, ``off``), the searches' reports, penalties and check from
    ``roster.json``.

    Raises
    ------
    ValueError
        When ``operators.csv`` does not fit the scenario.
    """
    document = json.loads(files["roster.json"])
    operators, issues = parse_operators(files["operators.csv"], "operators.csv", scenario)
    if issues:
        raise ValueError(f"operators.csv does not fit {scenario.name}: {issues[0].describe()}")
    wishes = document.get("wishes_solver")
    return RosterResult(
        scenario_name=scenario.name,
        operators=operators,
        roster=_table(files, "roster.csv"),
        unassigned=_table(files, "unassigned.csv"),
        week_view=_table(files, "roster_week.csv"),
        fairness=_table(files, "fairness.csv"),
        fairness_summary=_table(files, "fairness_summary.csv"),
        capacity=_table(files, "capacity.csv"),
        solve=solve_report_from_document(document.get("solver", {})),
        wishes_solve=None if wishes is None else solve_report_from_document(wishes),
        penalties={k: float(v) for k, v in document.get("penalties", {}).items()},
        validation=_validation(document.get("validation", {})),
        plan=plan,
        from_greedy=bool(document.get("from_greedy", False)),
        timings={k: float(v) for k, v in document.get("timings_seconds", {}).items()},
        unassigned_bound=int(document.get("unassigned_bound_shifts", 0)),
        deadline_cut=bool(document.get("deadline_cut", False)),
    )
