"""Writing rosters: the CLI's files and the page's downloads, from one place.

Files of :func:`roster_files` (written together by :class:`planner.io.run_folder.RunFolder`):

- ``roster.csv``: operator, pool, day, start, end, breaks, paid_hours, then name, template;
- ``unassigned.csv``: day, pool, template, start, end, breaks, paid_hours, reason;
- ``roster_week.csv``: per operator and week, each day's shift, ``off`` or ``unavailable``;
- ``fairness.csv``: per operator (hours, target, weekend, late and long shifts, wishes);
- ``fairness_summary.csv``: per pool and measure, min, max, spread and mean;
- ``capacity.csv``: per pool and week, what the plan asks and the operators can give;
- ``operators.csv``: the operators rostered (generated ones included), readable back with
  ``--operators``;
- ``roster.json``: both searches (coverage, then wishes: status, objective, bound, gap, time),
  when each step ended, the penalty breakdown, the conflicting rules and the check.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import asdict

from planner.domain.roster import RosterResult
from planner.io.export import _json_ready, table_to_csv, tables_to_excel
from planner.io.operators_file import operators_to_csv
from planner.roster.report import week_grid

__all__ = [
    "ROSTER_FILE_NAMES",
    "roster_archive",
    "roster_document",
    "roster_files",
    "roster_to_excel",
]


def roster_document(result: RosterResult) -> dict:
    """Everything ``roster.json`` holds, as JSON-ready data."""
    return _json_ready(
        {
            "scenario": result.scenario_name,
            "solver": asdict(result.solve),
            "from_greedy": result.from_greedy,
            "deadline_cut": result.deadline_cut,
            **result.kpis.to_dict(),
            "wishes_solver": None if result.wishes_solve is None else asdict(result.wishes_solve),
            "timings_seconds": result.timings,
            "penalties": result.penalties,
            "validation": {
                "ok": result.validation.ok,
                "rules_checked": list(result.validation.rules_checked),
                "violations": [str(v) for v in result.validation.violations],
            },
        }
    )


ROSTER_FILE_NAMES = (
    "roster.csv",
    "unassigned.csv",
    "roster_week.csv",
    "fairness.csv",
    "fairness_summary.csv",
    "capacity.csv",
    "operators.csv",
    "roster.json",
)
"""The files of a roster (:func:`roster_files`)."""


def roster_files(result: RosterResult) -> dict[str, bytes]:
    """Every output file's name and content."""
    return {
        "roster.csv": table_to_csv(result.roster),
        "unassigned.csv": table_to_csv(result.unassigned),
        "roster_week.csv": table_to_csv(result.week_view),
        "fairness.csv": table_to_csv(result.fairness),
        "fairness_summary.csv": table_to_csv(result.fairness_summary),
        "capacity.csv": table_to_csv(result.capacity),
        "operators.csv": operators_to_csv(result.operators),
        "roster.json": json.dumps(roster_document(result), indent=2, allow_nan=False).encode(),
    }


def roster_archive(result: RosterResult) -> bytes:
    """Every output file of :func:`roster_files` in one zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in roster_files(result).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def roster_to_excel(result: RosterResult) -> bytes:
    """The roster as an Excel workbook: Week view (unassigned shifts as red rows of their own,
    :func:`~planner.roster.report.week_grid`), Roster, Unassigned, Fairness, Fairness summary
    and Capacity sheets."""
    grid = week_grid(result.week_view, result.unassigned)
    return tables_to_excel(
        {
            "Week view": grid.drop(columns="unassigned"),
            "Roster": result.roster,
            "Unassigned": result.unassigned,
            "Fairness": result.fairness,
            "Fairness summary": result.fairness_summary,
            "Capacity": result.capacity,
        },
        highlight={"Week view": grid["unassigned"]},
    )
