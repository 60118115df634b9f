"""Table columns for a reader: a human header, a unit to format by and a definition.

A table the app shows (a plan's shifts and daily KPIs, a sweep, a roster's fairness) keeps its
machine column names, which are the files' contract; :func:`describe` gives each one its
header: the KPI catalogue's label where the column is a KPI (``emergency.service_level`` is
"emergency: service level", with its definition), a header from :data:`TITLES` for the files'
other columns, else the name in words (``paid_hours`` -> "Paid hours"). The unit is read from
the catalogue, else from the name (:func:`planner.io.export.column_kind`, which the Excel sheets
use too).
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.io.export import column_kind
from planner.present.catalogue import CATALOGUE, N_, Kpi

__all__ = ["TITLES", "UNITS", "TableColumn", "describe"]

TITLES: dict[str, str] = {
    "day": N_("Day"),
    "interval_start": N_("From"),
    "pool": N_("Pool"),
    "queue": N_("Line"),
    "template": N_("Shift"),
    "start": N_("Start"),
    "end": N_("End"),
    "breaks": N_("Breaks"),
    "agents": N_("Agents"),
    "paid_hours": N_("Paid hours"),
    "aht_seconds": N_("AHT (s)"),
    "required_agents": N_("Agents required"),
    "staffed_agents": N_("Agents on duty"),
    "shortfall_agents": N_("Agents short"),
    "answered_within_target": N_("Answered in time"),
    "answered": N_("Answered"),
    "peak_required": N_("Peak agents needed"),
    "peak_staffed": N_("Peak agents on duty"),
    "staffed_agent_hours": N_("Agent-hours on duty"),
    "scenario": N_("Scenario"),
    "label": N_("Point"),
    "error": N_("Error"),
    "operator": N_("Operator"),
    "name": N_("Name"),
    "locked": N_("Locked"),
    "contract_hours_per_week": N_("Contract hours per week"),
    "target_hours": N_("Target hours"),
    "hours_off_target": N_("Hours off target"),
    "weekend_shifts": N_("Weekend shifts"),
    "late_shifts": N_("Late shifts"),
    "long_shifts": N_("Long shifts"),
    "preferred_days_off_worked": N_("Preferred days off worked"),
    "starts_outside_window": N_("Starts outside window"),
    "weeks_without_paired_days_off": N_("Weeks without paired days off"),
    "measure": N_("Measure"),
    "operators": N_("Operators"),
    "min": N_("Min"),
    "max": N_("Max"),
    "spread": N_("Spread"),
    "mean": N_("Mean"),
    "value": N_("Value"),
    "meets": N_("Meets"),
}
"""Headers of the plan and roster files' columns that are not KPIs of the catalogue (the
roster's fairness measures, the Edit tab's ``locked``, a study's ``value`` and ``meets``): the
app translates each where it shows it."""

UNITS: dict[str, str] = {
    "answered": "count",
    "answered_within_target": "count",
    "surge_calls": "count",
    "hours_off_target": "hours",
}
"""Units of columns whose names do not say them (calls are counted to the whole call)."""


@dataclass(frozen=True)
class TableColumn:
    """How one column of a table is shown.

    Attributes
    ----------
    name : str
        The column's machine name.
    title : str
        Its header.
    unit : str or None
        A key of :data:`planner.present.formats.FORMATTERS`, or None for text and dates.
    digits : int
        Decimals shown.
    help : str
        Its definition, for the header's tooltip (empty when there is none).
    entry : Kpi or None
        The catalogue's KPI the column shows, if any (the app translates its label and help).
    queue : str
        The queue of a per-queue KPI's column (``emergency`` of ``emergency.service_level``).
    """

    name: str
    title: str
    unit: str | None
    digits: int
    help: str = ""
    entry: Kpi | None = None
    queue: str = ""


DIGITS = {"percent": 1, "hours": 1, "seconds": 2, "count": 0, "number": 2}
"""Decimals of a column whose unit is read from its name."""


def _from_kpi(name: str, title: str, entry: Kpi, queue: str = "") -> TableColumn:
    return TableColumn(name, title, entry.unit, entry.digits, entry.help, entry, queue)


def describe(name: str, integer: bool = False) -> TableColumn:
    """The header, unit and definition of column ``name`` (``integer``: it holds whole
    numbers, so a column whose name says nothing is a count)."""
    queue, _dot, key = name.rpartition(".")
    if queue and "[" not in name and ("queue", key) in CATALOGUE:
        entry = CATALOGUE[("queue", key)]
        return _from_kpi(name, f"{queue}: {entry.label}", entry, queue)
    for scope in ("plan", "queue"):
        if not queue and (scope, name) in CATALOGUE and name not in TITLES:
            entry = CATALOGUE[(scope, name)]
            return _from_kpi(name, entry.title, entry)
    kind = UNITS.get(name) or column_kind(name, integer)
    unit = "ratio" if kind == "number" else kind
    words = TITLES.get(name) or name.replace("_", " ").replace(".", " › ")
    return TableColumn(name, words[:1].upper() + words[1:], unit, DIGITS.get(kind or "", 0))
