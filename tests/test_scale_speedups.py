"""Speed-ups for thousands of operators (issue 13) that must not change a figure: the service
curves without the ASA, and the greedy plan's limits checked for every option at once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from planner.demand import build_demand
from planner.evaluate import service_metrics
from planner.io.scenario_file import parse_scenario
from planner.queueing.erlang_a import erlang_a_metrics
from planner.shiftplan.extract import greedy_as_plan
from planner.shiftplan.heuristic import greedy_plan
from planner.shiftplan.instance import build_instance
from planner.staffing import build_requirement
from planner.validate.plan import validate_plan

REPO = Path(__file__).resolve().parents[1]


def test_erlang_a_without_the_asa_gives_the_same_service_and_abandonment():
    agents = np.arange(0, 400)[None, :]
    calls = np.array([[5.0], [300.0], [2500.0]])  # quiet, busy, far beyond the staff
    full = erlang_a_metrics(agents, calls, 360.0, 900.0, 20.0, 240.0)
    quick = erlang_a_metrics(agents, calls, 360.0, 900.0, 20.0, 240.0, asa=False)
    for name in ("service_level", "p_abandon", "p_wait", "occupancy", "service_level_answered"):
        np.testing.assert_array_equal(getattr(quick, name), getattr(full, name), err_msg=name)
    hang_up = np.broadcast_to(agents > 0, quick.asa_seconds.shape)
    assert np.isnan(quick.asa_seconds[hang_up]).all()
    assert np.isfinite(full.asa_seconds[hang_up]).all()


def test_service_metrics_without_the_asa_keep_the_calls_answered_in_time():
    data = yaml.safe_load((REPO / "scenarios" / "emergency.yaml").read_text())
    queue = parse_scenario(data, source="t").queues[1]
    calls, aht = np.array([40.0, 400.0]), np.array([420.0, 420.0])
    staffing = np.arange(0, 120)[None, :]
    full = service_metrics(queue, calls[:, None], aht[:, None], 900.0, staffing)
    quick = service_metrics(queue, calls[:, None], aht[:, None], 900.0, staffing, asa=False)
    np.testing.assert_array_equal(quick.answered_within_target, full.answered_within_target)
    np.testing.assert_array_equal(quick.abandon_rate, full.abandon_rate)


def _emergency(days: int, share: float | None = None, headcount: int | None = None):
    data = yaml.safe_load((REPO / "scenarios" / "emergency.yaml").read_text())
    data["horizon"]["days"] = days
    for pool in data["pools"]:
        if share is not None:
            pool["max_part_time_share"] = share
        if headcount is not None:
            pool["headcount"] = headcount
    return parse_scenario(data, source="t")


@pytest.mark.parametrize(
    ("days", "share"),
    [(14, 0.2), (28, None)],  # a part-time share; monthly overtime caps over four weeks
)
def test_the_greedy_plan_keeps_every_hard_rule(days, share):
    """The greedy checks the labour limits, the overtime caps and the part-time share for
    every option at once; its plan must still keep them (the validator needs no solver)."""
    scenario = _emergency(days, share)
    inst = build_instance(scenario, build_requirement(scenario, build_demand(scenario)))
    greedy = greedy_plan(inst)
    assert sum(greedy.starts.values()) > 0
    report = validate_plan(scenario, greedy_as_plan(inst, greedy))
    assert report.ok, report.summary()
