"""Typed KPIs (planner.domain.kpis), the catalogue of KPIs and the number formatters
(planner.present)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from planner.domain.kpis import PlanKpis, QueueKpis, RosterKpis
from planner.io.export import kpis_document
from planner.present import formats
from planner.present.catalogue import (
    CATALOGUE,
    COMPARED_PER_QUEUE,
    COMPARED_TOTALS,
    DEMAND,
    FLOOR,
    PLAN,
    QUEUE,
    ROSTER,
    ROSTER_FAIRNESS,
    kpi,
    rows,
)
from planner.shiftplan import plan_shifts
from planner.simulate.run import FIGURES
from tests.optimise_helpers import FAST, micro


@pytest.fixture(scope="module")
def plan():
    return plan_shifts(micro(), **FAST)


def _scalars(value) -> list:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _scalars(v)]
    return [value]


def test_plan_kpis_are_typed_and_hold_python_numbers_only(plan):
    k = plan.kpis
    assert isinstance(k, PlanKpis) and all(isinstance(q, QueueKpis) for q in k.queues.values())
    assert k.paid_hours == pytest.approx(plan.shifts["paid_hours"].sum())
    assert k.shifts == plan.shifts["agents"].sum()
    for value in _scalars(k.to_dict()):
        assert not isinstance(value, np.generic), value
        assert value is None or isinstance(value, int | float)


def test_plan_kpis_to_dict_keeps_the_keys_and_order_of_kpis_json(plan):
    document = kpis_document(plan)
    totals = [
        "paid_hours",
        "cost",
        "paid_hours_by_pool",
        "cost_by_pool",
        "borrowed_hours",
        "shifts",
        "required_agent_hours",
        "paid_to_required_ratio",
        "understaffed_intervals",
    ]
    assert list(document)[2:-3] == totals
    per_queue = [
        "calls",
        "service_level",
        "service_level_target",
        "abandon_rate",
        "asa_seconds",
        "understaffed_intervals",
        "shortfall_agent_hours",
        "peak_agents",
        "peak_required",
        "days",
    ]
    assert list(document["queues"]["a"]) == per_queue
    assert document["queues"]["a"]["peak_required"] == plan.kpis.queues["a"].peak_required_agents


def test_roster_kpis_give_the_counts_of_roster_json_under_their_keys():
    counts = RosterKpis(10, 8, 2, 1, 5, 4)
    assert counts.to_dict() == {
        "planned_shifts": 10,
        "assigned_shifts": 8,
        "unassigned_shifts": 2,
        "unassigned_bound": 1,
        "operators": 5,
    }


def test_every_catalogue_key_is_a_field_of_its_typed_kpis_or_a_study_column():
    study_only = {"status", "plan_source", "meets_target", "gap", "hit_time_limit", "peak_agents"}
    study_only |= {"shortfall_agent_hours", "worst_day_service_level"}
    # the simulation's columns (planner.study.tables.simulated_row, planner.simulate.promise)
    study_only |= {"simulation", "promised_service_level"}
    study_only |= {f"simulated_{f}{half}" for f in FIGURES for half in ("", "_ci95")}
    fields = {
        "plan": {f.name for f in dataclasses.fields(PlanKpis)},
        "queue": {f.name for f in dataclasses.fields(QueueKpis)},
        "roster": {f.name for f in dataclasses.fields(RosterKpis)},
        "demand": {"calls", "surge_share", "busiest_day_calls", "required_agent_hours"}
        | {"peak_required_agents"},
        # the timeline's floor counts: a column per line, "on a break" and "on duty"
        "floor": {"on_line", "on_break", "on_duty"},
    }
    # figures the pages compute from the roster's fairness table and the demand
    study_only |= {"max_hours_off_fair_share", "weekend_shifts_range"}
    for (scope, key), entry in CATALOGUE.items():
        assert key in fields[scope] or key in study_only, (scope, key)
        assert entry.definition and entry.label == entry.label.strip()
    every = (*PLAN, *QUEUE, *ROSTER, *ROSTER_FAIRNESS, *DEMAND, *FLOOR)
    assert len(CATALOGUE) == len(every)  # keys unique per scope
    for key in COMPARED_TOTALS:
        kpi(key)
    for key in COMPARED_PER_QUEUE:
        kpi(key, "queue")


def test_rows_follow_the_catalogue_and_skip_columns_the_table_lacks():
    columns = ["scenario", "status", "cost", "a.service_level", "a.asa_seconds", "b.service_level"]
    shown = rows(columns)
    assert [(c, label) for c, label, _ in shown] == [
        ("status", "Solver status"),
        ("cost", "Cost"),
        ("a.service_level", "a: service level"),
        ("a.asa_seconds", "a: ASA (s)"),
        ("b.service_level", "b: service level"),
    ]


@pytest.mark.parametrize(
    ("value", "unit", "options", "text"),
    [
        (0.714, "percent", {}, "71.4%"),
        (0.031, "percent", {"signed": True}, "+3.1 pp"),
        (16.8, "seconds", {}, "16.80"),
        (math.inf, "seconds", {}, "inf"),
        (math.inf, "seconds", {"marks": formats.SCREEN}, "∞"),
        (None, "seconds", {}, "-"),
        (float("nan"), "percent", {"marks": formats.SCREEN}, "–"),
        (3105.5, "hours", {}, "3,105.5"),
        (-6.5, "hours", {"signed": True}, "-6.5"),
        (4393750.0, "money", {}, "4,393,750"),
        (17500, "money", {"signed": True}, "+17,500"),
        (120, "count", {}, "120"),
        (0.92, "ratio", {}, "0.920"),
        (True, "yes", {}, "yes"),
        (True, "yes", {"signed": True}, ""),
        ("OPTIMAL", "text", {}, "OPTIMAL"),
        (None, "hours", {"signed": True, "marks": formats.DIFFERENCE}, ""),
    ],
)
def test_the_formatters(value, unit, options, text):
    assert formats.show(value, unit, **options) == text


def test_a_kpi_formats_with_its_own_digits():
    assert kpi("service_level_target", "queue").format(0.8) == "80%"
    assert kpi("asa_seconds", "queue").format(35.2234) == "35.22"
    assert kpi("paid_to_required_ratio").title == "Paid / required agent-hours"
