"""Writing plans: the CLI's output files and the app's downloads, from one place.

Files (DESIGN.md, "Output files"; extra columns are allowed by that contract):

- ``shifts.csv``: day, pool, template, start, end, breaks, agents, paid_hours;
- ``coverage.csv``: day, interval_start, queue, calls, aht_seconds, required_agents,
  staffed_agents, shortfall_agents, service_level, asa_seconds, abandon_rate, occupancy;
- ``allocation.csv``: day, interval_start, pool, queue, agents;
- ``kpis_daily.csv``: per queue and day;
- ``kpis.json``: solver status (CP-SAT's word; ``proved_optimal``, and ``quality`` in words,
  say whether the plan is proved the best possible or how far from it it may be), objective,
  best bound, gap, solve seconds, paid hours, cost, per queue the daily service level,
  abandonment, ASA and understaffed intervals, the penalty breakdown and the validation result.

A national scenario (``sites``) adds a ``site`` column to ``shifts.csv`` (the pool's site),
``coverage.csv`` (the queue's site, ``national`` for a pooled queue) and ``allocation.csv``, and
a ``sites`` section to ``kpis.json``: per site and ``national``, calls, service level,
abandonment, ASA, paid hours and cost (:func:`planner.domain.national.plan_site_kpis`).

Every file is written atomically. Non-finite numbers (an unstaffed interval's infinite ASA) are
written as empty cells in CSV and ``null`` in JSON.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from planner.domain.national import plan_site_kpis, site_columns
from planner.domain.plan import COVERAGE_COLUMNS, SHIFT_COLUMNS, PlanResult
from planner.domain.scenario import Scenario

__all__ = [
    "PLAN_FILE_NAMES",
    "kpis_document",
    "plan_files",
    "plan_to_excel",
    "table_to_csv",
    "tables_to_excel",
]


def table_to_csv(table: pd.DataFrame) -> bytes:
    """A table as CSV bytes: infinities as empty cells, every number exact.

    Floats are written in their shortest form that reads back to the same value (Python's
    ``repr``), never in exponent notation for a number a spreadsheet shows whole: a cost of
    2,875,625 is ``2875625.0``, not ``2.87562e+06`` (six significant digits lost the 5).
    """
    clean = table.replace([np.inf, -np.inf], np.nan)
    return clean.to_csv(index=False).encode("utf-8")


def kpis_document(
    result: PlanResult,
    extra: Mapping[str, Any] | None = None,
    scenario: Scenario | None = None,
) -> dict:
    """Everything ``kpis.json`` holds, as JSON-ready data (NaN and infinity become None);
    ``extra`` sections (e.g. ``simulated``) are added at the end, after ``sites`` when the
    ``scenario`` has sites."""
    solve = asdict(result.solve)
    solve["proved_optimal"] = result.solve.proved_optimal
    solve["quality"] = result.solve.quality_text
    daily = {
        queue: rows.drop(columns="queue").assign(day=rows["day"].astype(str)).to_dict("records")
        for queue, rows in result.kpis_daily.groupby("queue", sort=False)
    }
    totals = result.kpis.to_dict()
    queues = {
        name: {**summary, "days": daily.get(name, [])}
        for name, summary in totals.pop("queues").items()
    }
    document = {
        "scenario": result.scenario_name,
        "solver": solve,
        **totals,
        "queues": queues,
        "penalties": result.penalties,
        "validation": {
            "ok": result.validation.ok,
            "rules_checked": list(result.validation.rules_checked),
            "violations": [str(v) for v in result.validation.violations],
        },
        **_sites_section(result, scenario),
        **(extra or {}),
    }
    return _json_ready(document)


def _sites_section(result: PlanResult, scenario: Scenario | None) -> dict:
    if scenario is None or not scenario.sites:
        return {}
    by_site = plan_site_kpis(scenario, result)
    return {"sites": {name: k.to_dict() for name, k in by_site.items()}}


def _json_ready(value):
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


PLAN_FILE_NAMES = ("shifts.csv", "coverage.csv", "allocation.csv", "kpis_daily.csv", "kpis.json")
"""The files of a plan (:func:`plan_files`)."""


def plan_files(
    result: PlanResult,
    extra: Mapping[str, Any] | None = None,
    scenario: Scenario | None = None,
) -> dict[str, bytes]:
    """The plan's output files by name (written together by :class:`~planner.io.run_folder.
    RunFolder`); ``extra`` as for :func:`kpis_document`; with the plan's ``scenario``, a
    national one's files have their ``site`` columns and section (module docstring)."""

    def sited(table: pd.DataFrame) -> pd.DataFrame:
        return table if scenario is None else site_columns(scenario, table)

    document = kpis_document(result, extra, scenario)
    return {
        "shifts.csv": table_to_csv(sited(result.shifts[list(SHIFT_COLUMNS)])),
        "coverage.csv": table_to_csv(sited(result.coverage[list(COVERAGE_COLUMNS)])),
        "allocation.csv": table_to_csv(sited(result.allocation)),
        "kpis_daily.csv": table_to_csv(result.kpis_daily),
        "kpis.json": json.dumps(document, indent=2, allow_nan=False).encode(),
    }


def plan_to_excel(result: PlanResult) -> bytes:
    """The plan as an Excel workbook: Shifts, Coverage, Daily KPIs and Allocation sheets."""
    return tables_to_excel(
        {
            "Shifts": result.shifts[list(SHIFT_COLUMNS)],
            "Coverage": result.coverage[list(COVERAGE_COLUMNS)],
            "Daily KPIs": result.kpis_daily,
            "Allocation": result.allocation,
        }
    )


HIGHLIGHT_FILL = "FFC7CE"
"""Excel's light red, for rows that need a manager's attention (unassigned shifts)."""


def tables_to_excel(
    sheets: dict[str, pd.DataFrame], highlight: dict[str, Any] | None = None
) -> bytes:
    """Tables as the sheets of one Excel workbook (infinite values as empty cells).

    ``highlight`` maps a sheet name to a boolean sequence, one per row: rows where it is true
    are filled light red.
    """
    from openpyxl.styles import PatternFill

    fill = PatternFill(start_color=HIGHLIGHT_FILL, end_color=HIGHLIGHT_FILL, fill_type="solid")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in sheets.items():
            table.replace([np.inf, -np.inf], np.nan).to_excel(writer, sheet_name=name, index=False)
            rows = np.flatnonzero(np.asarray((highlight or {}).get(name, []), dtype=bool))
            sheet = writer.sheets[name]
            for r in rows:
                for cell in sheet[int(r) + 2]:  # row 1 is the header; Excel counts from 1
                    cell.fill = fill
    return buffer.getvalue()
