"""Benchmark of the app's downloads (prints its figures; not a timed test).

Run from the repository root::

    python bench/bench_exports.py

The emergency week (``scenarios/emergency.yaml``) is planned (20 s limit) and rostered (10 s)
once; then, median of 5, wall and CPU time of:

1. the plan's Excel workbook (:func:`planner.io.export.plan_to_excel`: styled header, number
   formats, column widths) against the same sheets written plainly by pandas (what it did
   before issue 16);
2. the roster's workbook (:func:`planner.roster.roster_to_excel`), styled and plain;
3. the coverage as CSV with exact numbers (:func:`planner.io.export.table_to_csv`) against
   6 significant digits (before).
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import median_timed  # noqa: E402

from planner.chain import roster_scenario  # noqa: E402
from planner.domain.plan import COVERAGE_COLUMNS, SHIFT_COLUMNS  # noqa: E402
from planner.io.export import plan_to_excel, table_to_csv  # noqa: E402
from planner.io.scenario_file import load_scenario  # noqa: E402
from planner.roster import roster_to_excel  # noqa: E402
from planner.roster.report import week_grid  # noqa: E402
from planner.shiftplan import plan_shifts  # noqa: E402


def plain_excel(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in sheets.items():
            table.replace([np.inf, -np.inf], np.nan).to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


def main() -> None:
    print("uptime before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout)
    scenario = load_scenario(ROOT / "scenarios" / "emergency.yaml")
    plan = plan_shifts(scenario, time_limit_seconds=20)
    roster = roster_scenario(scenario, plan=plan, time_limit_seconds=10)
    plan_sheets = {
        "Shifts": plan.shifts[list(SHIFT_COLUMNS)],
        "Coverage": plan.coverage[list(COVERAGE_COLUMNS)],
        "Daily KPIs": plan.kpis_daily,
        "Allocation": plan.allocation,
    }
    grid = week_grid(roster.week_view, roster.unassigned)
    roster_sheets = {
        "Week view": grid.drop(columns="unassigned"),
        "Roster": roster.roster,
        "Unassigned": roster.unassigned,
        "Fairness": roster.fairness,
        "Fairness summary": roster.fairness_summary,
        "Capacity": roster.capacity,
    }
    coverage = plan.coverage[list(COVERAGE_COLUMNS)]
    rows = [
        ("plan workbook, styled", lambda: plan_to_excel(plan)),
        ("plan workbook, plain (before)", lambda: plain_excel(plan_sheets)),
        ("roster workbook, styled", lambda: roster_to_excel(roster)),
        ("roster workbook, plain (before)", lambda: plain_excel(roster_sheets)),
        ("coverage CSV, exact", lambda: table_to_csv(coverage)),
        (
            "coverage CSV, 6 digits (before)",
            lambda: coverage.to_csv(index=False, float_format="%.6g").encode(),
        ),
    ]
    cells = sum(t.size for t in plan_sheets.values()), sum(t.size for t in roster_sheets.values())
    print(f"plan sheets {cells[0]:,} cells, roster sheets {cells[1]:,} cells")
    print("| what | wall (median of 5) | CPU |")
    print("|---|---:|---:|")
    for what, fn in rows:
        wall, cpu = median_timed(fn, 5)
        print(f"| {what} | {wall * 1000:.0f} ms | {cpu * 1000:.0f} ms |")
    print("uptime after:", subprocess.run(["uptime"], capture_output=True, text=True).stdout)


if __name__ == "__main__":
    main()
