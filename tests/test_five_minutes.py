"""The planning chain at 5-minute intervals, end to end on a small case: demand and requirement,
the shift plan (solved and checked without the solver), the roster (checked likewise), a
forecast file read at 5 minutes, and the call-by-call simulation of the plan.
"""

from __future__ import annotations

import numpy as np
import pytest

from planner.chain import roster_scenario
from planner.demand import build_demand
from planner.io.scenario_file import parse_scenario
from planner.shiftplan import plan_shifts
from planner.simulate import simulate_plan
from planner.staffing import build_requirement
from planner.timegrid import parse_clock

FIVE = {
    "schema_version": 1,
    "name": "five minutes",
    "horizon": {
        "start_date": "2022-01-10",
        "days": 2,
        "window_start": "09:00",
        "window_end": "15:00",
        "interval_minutes": 5,
    },
    "queues": [
        {
            "name": "consulting",
            "aht_seconds": 300,
            "patience_seconds": 240,
            "demand": {"calls_per_day": 300, "profile": "bank_weekday"},
        },
        {
            "name": "emergency",
            "aht_seconds": 420,
            "patience_seconds": 300,
            "priority": 2,
            "demand": {"calls_per_day": 200, "profile": "public_service"},
        },
    ],
    "shift_templates": [
        {"name": "part", "length_minutes": 240},
        {
            "name": "day",
            "length_minutes": 360,
            "breaks": [
                {
                    "name": "meal",
                    "length_minutes": 30,
                    "earliest_start_after_minutes": 120,
                    "latest_start_after_minutes": 200,
                }
            ],
        },
    ],
    "pools": [
        {"name": "c", "skills": ["consulting"], "headcount": 6, "shift_templates": ["part", "day"]},
        {"name": "e", "skills": ["emergency"], "headcount": 6, "shift_templates": ["part", "day"]},
        {
            "name": "both",
            "skills": ["consulting", "emergency"],
            "headcount": 3,
            "shift_templates": ["day"],
            "borrowed": True,
        },
    ],
    "routing": {"block_minutes": 30},
    "solver": {"time_limit_seconds": 10.0, "relative_gap": 0.01, "workers": 1, "seed": 0},
}


@pytest.fixture(scope="module")
def scenario():
    return parse_scenario(FIVE, source="five minutes")


@pytest.fixture(scope="module")
def planned(scenario):
    return plan_shifts(scenario)


def test_demand_and_requirement_come_in_5_minute_intervals(scenario):
    demand = build_demand(scenario)
    assert len(demand) == 2 * 2 * 72  # queues x days x 6 h of 5-minute intervals
    assert (
        demand.groupby(["queue", "day"])["calls"].sum().round(6).tolist()
        == [300.0] * 2 + [200.0] * 2
    )
    requirement = build_requirement(scenario, demand)
    assert requirement["required_agents"].max() > 0
    assert {"09:00", "09:05", "14:55"} <= set(requirement["interval_start"].astype(str).str[-5:])


def test_the_plan_at_5_minutes_is_valid_and_starts_shifts_on_the_half_hour(planned):
    assert planned.solve.status in ("OPTIMAL", "FEASIBLE")
    assert planned.validation.ok, planned.validation.summary()
    starts = planned.shifts["start"].map(parse_clock)
    assert (starts % 30 == 0).all()  # start_step_minutes stays 30 by default
    assert planned.kpis.paid_hours > 0
    assert len(planned.coverage) == 2 * 2 * 72


def test_the_roster_of_a_5_minute_plan_is_valid(scenario, planned):
    result = roster_scenario(scenario, plan=planned, time_limit_seconds=10.0)
    assert result.validation.ok, result.validation.summary()
    assert len(result.roster) + len(result.unassigned) == int(planned.shifts["agents"].sum())
    assert result.unassigned.empty


def test_the_simulation_of_a_5_minute_plan_accounts_for_every_call(scenario, planned):
    sim = simulate_plan(scenario, planned.plan, replications=3, seed=1, shrinkage="mean")
    for name in ("consulting", "emergency"):
        q = sim.queue(name)
        assert 0.0 <= q.service_level <= 1.0
        assert q.offered == q.answered + q.abandoned + q.unanswered_at_close
    assert len(sim.intervals) == 2 * 2 * 72


def test_a_forecast_file_is_read_at_5_minutes():
    rows = ["day,interval_start,queue,calls,aht_seconds"]
    for day in ("2022-01-10", "2022-01-11"):
        for i in range(72):
            minute = 9 * 60 + 5 * i
            rows.append(f"{day},{minute // 60:02d}:{minute % 60:02d},consulting,{1 + i % 3},300")
    data = {**FIVE, "queues": [{**FIVE["queues"][0], "demand": {"forecast_csv": "f.csv"}}]}
    data["pools"] = [FIVE["pools"][0]]
    scenario = parse_scenario(data, source="five", forecast_files={"f.csv": "\n".join(rows)})
    calls = build_demand(scenario)["calls"].to_numpy()
    np.testing.assert_allclose(calls[:3], [1, 2, 3])
    assert calls.sum() == pytest.approx(2 * 24 * 6)


def test_a_5_minute_plan_starts_from_the_15_minute_plan_and_only_improves_on_it(scenario, planned):
    """The 15-minute plan, keyed as the 5-minute model's variables (plan_as_hint, scale 3), is
    a complete feasible solution of the 5-minute model with the same agents on duty in every
    5 minutes of each quarter hour; the 5-minute plan's objective is at most its value."""
    from planner.cpsat.solve import configure, run_solver
    from planner.shiftplan import COARSE_MINUTES
    from planner.shiftplan.instance import MONEY_SCALE, build_instance
    from planner.shiftplan.model import build_model, plan_as_hint

    horizon = scenario.horizon.model_copy(update={"interval_minutes": COARSE_MINUTES})
    coarse = plan_shifts(scenario.model_copy(update={"horizon": horizon}))
    assert coarse.solve.has_plan
    inst = build_instance(scenario, build_requirement(scenario, build_demand(scenario)))
    hint = plan_as_hint(inst, coarse.plan, scale=3)
    sm = build_model(inst, hint=hint)
    solver = configure(scenario.solver, time_limit_seconds=10.0)
    solver.parameters.fix_variables_to_their_hinted_value = True
    outcome = run_solver(sm.model, solver, scale=MONEY_SCALE, progress=None, stop=None)
    assert outcome.status in ("OPTIMAL", "FEASIBLE")
    keys = set(sm.variables.on_duty_keys())
    fine = np.zeros((len(inst.pool_names), inst.days, inst.grid.intervals_per_day), dtype=int)
    for p, d, i in keys:
        fine[p, d, i] = solver.value(sm.variables.on_duty(p, d, i))
    duty = coarse.plan.allocation.sum(axis=1)  # pools x days x quarter hours
    assert (fine == np.repeat(duty, 3, axis=2)).all()
    assert planned.solve.objective <= outcome.objective + 1e-6


def test_the_two_phase_search_reports_one_search_with_a_bound_that_holds(scenario):
    """A 5-minute plan is searched in two phases (LP-guided, then the default search from its
    plan): the progress the user sees runs forward in time, the plans only improve, and the
    reported bound is at most the reported objective and the last bound seen."""
    seen = []
    result = plan_shifts(scenario, progress=seen.append)
    report = result.solve
    assert report.has_plan and result.validation.ok
    times = [p.elapsed_seconds for p in seen]
    assert times == sorted(times)
    objectives = [p.objective for p in seen if p.objective is not None]
    assert objectives == sorted(objectives, reverse=True)
    assert report.objective <= objectives[-1] + 1e-6
    assert report.best_bound <= report.objective + 1e-6
    assert report.gap == pytest.approx(
        (report.objective - report.best_bound) / report.objective, abs=1e-9
    )
