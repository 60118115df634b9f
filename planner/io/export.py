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
    "column_kind",
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
        **_split_check_section(result),
        **(extra or {}),
    }
    return _json_ready(document)


def _split_check_section(result: PlanResult) -> dict:
    """``split_check``: the promise per line checked by simulation under shared routing
    (:mod:`planner.shiftplan.split_check`), each line with ``confirmed``."""
    check = result.split_check
    if check is None:
        return {}
    section = asdict(check)
    section["confirmed"] = check.confirmed
    section["lines"] = {
        line.queue: {**asdict(line), "confirmed": line.confirmed} for line in check.lines
    }
    for line in section["lines"].values():
        del line["queue"]
    return {"split_check": section}


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

HEADER_FILL = "DDE4EE"
"""The header row's fill: a light blue-grey, with bold text."""

PERCENT_NAMES = ("service_level", "occupancy", "_rate", "_share", "wape")
"""Columns holding a fraction shown as a percentage: names ending (or being) one of these."""

EXCEL_FORMATS = {
    "percent": "0.0%",
    "hours": "#,##0.0",
    "seconds": "#,##0.00",
    "count": "#,##0",
    "number": "#,##0.###",
}
"""Each kind of number column's Excel number format."""


def column_kind(name: str, integer: bool = False) -> str | None:
    """What a table column holds, read from its name (units live in names): ``percent`` (a
    fraction), ``hours``, ``seconds``, ``count`` (whole numbers) or ``number``; None when its
    name says nothing and it is not a number. ``<queue>.<key>`` and field paths are read by
    their last part. Shared by the Excel sheets and the app's tables
    (:mod:`planner.present.columns`)."""
    key = name.rsplit(".", 1)[-1].removesuffix("_ci95")
    if key.endswith(PERCENT_NAMES) or key.startswith("wape"):
        return "percent"
    if key.endswith("_hours") or key == "hours":
        return "hours"
    if key.endswith("_seconds"):
        return "seconds"
    return "count" if integer else None


def tables_to_excel(
    sheets: dict[str, pd.DataFrame], highlight: dict[str, Any] | None = None
) -> bytes:
    """Tables as the sheets of one Excel workbook (infinite values as empty cells).

    Each sheet has a bold, filled header row that stays in view (frozen), number formats read
    from the column names (:func:`column_kind`: ``0.0%`` for shares, thousands separators for
    counts and hours) and columns as wide as their text. ``highlight`` maps a sheet name to a
    boolean sequence, one per row: rows where it is true are filled light red.
    """
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill(start_color=HIGHLIGHT_FILL, end_color=HIGHLIGHT_FILL, fill_type="solid")
    header_fill = PatternFill(start_color=HEADER_FILL, end_color=HEADER_FILL, fill_type="solid")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in sheets.items():
            table.replace([np.inf, -np.inf], np.nan).to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for c, column in enumerate(table.columns, start=1):
                header = sheet.cell(row=1, column=c)
                header.font, header.fill = Font(bold=True), header_fill
                values = table[column]
                number = pd.api.types.is_numeric_dtype(values) and not (
                    pd.api.types.is_bool_dtype(values)
                )
                kind = column_kind(str(column), pd.api.types.is_integer_dtype(values))
                if number:
                    kind = kind or "number"
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=c, max_col=c):
                        cell.number_format = EXCEL_FORMATS[kind]
                longest = max([len(str(column)), *(len(str(v)) for v in values.head(200))])
                sheet.column_dimensions[get_column_letter(c)].width = min(longest + 3, 60)
            rows = np.flatnonzero(np.asarray((highlight or {}).get(name, []), dtype=bool))
            for r in rows:
                for cell in sheet[int(r) + 2]:  # row 1 is the header; Excel counts from 1
                    cell.fill = fill
    return buffer.getvalue()
