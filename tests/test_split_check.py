"""The promise per line under shared routing, checked by simulation (planner.shiftplan.split_check).

Under ``priority`` routing the split of shared agents between lines is how the formulas count
them, not where they work: the simulation of a plan does not depend on it. The search's split of
the emergency week promised the emergency line more than the routing gives it (58.3 % against
57.1 % +- 0.9 simulated); the check moves counted agents so that every line's promise is at most
what a simulation gives it, and an independent simulation (another seed, either shrinkage)
confirms the priority line's promise.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from planner.demand import build_demand
from planner.io.export import kpis_document
from planner.io.scenario_file import load_scenario
from planner.shiftplan import plan_shifts
from planner.shiftplan import split_check as sc
from planner.simulate import simulate_plan
from planner.staffing import build_requirement
from planner.validate.plan import validate_plan

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def week():
    scenario = load_scenario(ROOT / "scenarios/emergency.yaml")
    requirement = build_requirement(scenario, build_demand(scenario))
    searched = plan_shifts(scenario, requirement=requirement, check=False)
    checked = sc.check_split(scenario, searched, requirement)
    return scenario, requirement, searched, checked


def test_the_search_split_promised_the_priority_line_more_than_the_routing_gives(week):
    # The reason for the check: without it the emergency line's promise is above what a
    # simulation of the same plan under priority routing gives it.
    scenario, _, searched, _ = week
    sim = simulate_plan(scenario, searched.plan, replications=30, seed=0)
    got = sim.queue("emergency")
    assert searched.kpis.queues["emergency"].service_level > got.service_level


@pytest.mark.parametrize("shrinkage", ["absence", "mean"])
def test_the_priority_line_gets_at_least_its_checked_promise(week, shrinkage):
    # Issue 12: with the emergency line first, its simulated weekly service level is at least
    # what the plan promises it; an independent simulation (seed 0, not the check's seed).
    scenario, _, _, checked = week
    assert scenario.routing.policy == "priority"
    sim = simulate_plan(scenario, checked.plan, replications=30, seed=0, shrinkage=shrinkage)
    for name in ("emergency",):
        assert sim.queue(name).service_level >= checked.kpis.queues[name].service_level
    assert checked.split_check.confirmed
    assert checked.split_check.seed == sc.CHECK_SEED != 0


def test_the_check_moves_counted_agents_only(week):
    scenario, _, searched, checked = week
    assert checked.split_check.moved > 0
    assert checked.plan.shifts == searched.plan.shifts
    # Every pool's agents on duty are all counted, once, on lines the pool serves.
    assert np.array_equal(checked.plan.allocation.sum(axis=1), searched.plan.allocation.sum(axis=1))
    assert (checked.plan.allocation >= 0).all()
    report = validate_plan(scenario, checked.plan, checked.coverage)
    assert report.ok and "allocation_blocks" in report.rules_checked, report.summary()
    # The routing does not read the split: the simulation is the same, draw for draw (all but
    # occupancy, which divides a line's talk time by the agent time counted on it).
    one = simulate_plan(scenario, searched.plan, replications=3, seed=5)
    two = simulate_plan(scenario, checked.plan, replications=3, seed=5)
    for a, b in zip(one.queues, two.queues, strict=True):
        assert (a.offered, a.answered, a.abandoned) == (b.offered, b.answered, b.abandoned)
        assert (a.service_level, a.asa_seconds) == (b.service_level, b.asa_seconds)
    sl = [np.nan_to_num(s.service_level) for s in one.intervals]
    assert sl == [np.nan_to_num(s.service_level) for s in two.intervals]


def test_the_report_is_the_searchs_and_each_line_is_reported(week):
    _, _, searched, checked = week
    assert checked.solve == searched.solve
    assert checked.penalties == searched.penalties
    lines = {line.queue: line for line in checked.split_check.lines}
    for name, q in checked.kpis.queues.items():
        assert lines[name].promised == pytest.approx(q.service_level)
        assert lines[name].promised_before == pytest.approx(
            searched.kpis.queues[name].service_level
        )
        assert lines[name].confirmed
    assert lines["emergency"].promised < lines["emergency"].promised_before
    assert lines["consulting"].promised > lines["consulting"].promised_before
    document = kpis_document(checked)["split_check"]
    assert document["confirmed"] is True
    assert set(document["lines"]) == {"consulting", "emergency"}
    assert document["lines"]["emergency"]["simulated"] == pytest.approx(
        lines["emergency"].simulated
    )


def test_the_same_plan_is_checked_alike(week):
    scenario, requirement, searched, checked = week
    again = sc.check_split(scenario, searched, requirement)
    assert np.array_equal(again.plan.allocation, checked.plan.allocation)
    assert again.split_check == checked.split_check


def test_plan_split_routing_and_dedicated_pools_have_nothing_to_check(week):
    scenario, requirement, searched, _ = week
    routing = scenario.routing.model_copy(update={"policy": "plan_split"})
    split = scenario.model_copy(update={"routing": routing})
    assert sc.check_split(split, searched, requirement) is searched
    assert sc.check_seconds(split, requirement) == 0
    baseline = load_scenario(ROOT / "scenarios/baseline.yaml")
    assert not any(len(p.skills) > 1 for p in baseline.pools)
    assert sc.check_seconds(baseline, build_requirement(baseline, build_demand(baseline))) == 0


def test_no_shared_agent_on_duty_leaves_nothing_to_check():
    scenario = load_scenario(ROOT / "scenarios/emergency.yaml")
    pools = [
        p.model_copy(update={"headcount": 0}) if len(p.skills) > 1 else p for p in scenario.pools
    ]
    alone = scenario.model_copy(update={"pools": pools})
    requirement = build_requirement(alone, build_demand(alone))
    searched = plan_shifts(alone, requirement=requirement, check=False, time_limit_seconds=5.0)
    assert not searched.plan.allocation[sc.shared_pools(alone, searched.plan)].any()
    assert sc.check_split(alone, searched, requirement) is searched


def test_too_many_calls_to_simulate_is_said_and_changes_nothing(week, monkeypatch):
    scenario, requirement, searched, _ = week
    monkeypatch.setattr(sc, "CHECK_CALL_BUDGET", 1000)
    skipped = sc.check_split(scenario, searched, requirement)
    assert skipped.split_check.skipped.startswith("761,")  # the week's calls x 30
    assert "python -m planner simulate" in skipped.split_check.skipped
    assert not skipped.split_check.confirmed
    assert np.array_equal(skipped.plan.allocation, searched.plan.allocation)
    assert sc.check_seconds(scenario, requirement) == 0
