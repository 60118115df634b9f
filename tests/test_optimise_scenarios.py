"""The optimiser on real scenarios and on random small ones; every plan is validated without the
solver."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planner.demand import build_demand
from planner.io.plan_tables import plan_from_tables
from planner.io.scenario_file import load_scenario, parse_scenario
from planner.shiftplan import plan_shifts
from planner.staffing import build_requirement
from planner.validate.plan import (
    on_duty_from_shifts,
    staffed_from_allocation,
    validate_plan,
    validate_tables,
)

SCENARIOS = sorted(Path("scenarios").glob("*.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_every_shipped_scenario_solves_and_validates(path):
    scenario = load_scenario(path)
    result = plan_shifts(scenario, time_limit_seconds=10.0)
    assert result.solve.status in ("OPTIMAL", "FEASIBLE")
    assert result.validation.ok, result.validation.summary()
    # The coverage the plan reports is the solver-free recomputation from its tables.
    again = staffed_from_allocation(scenario, result.allocation)
    keys = ["day", "interval_start", "queue"]
    merged = result.coverage.merge(again, on=keys, suffixes=("", "_2"))
    assert len(merged) == len(result.coverage)
    assert (merged["staffed_agents"] == merged["staffed_agents_2"]).all()
    assert result.solve.best_bound <= result.solve.objective + 1e-6
    assert result.kpis.paid_hours == pytest.approx(result.shifts["paid_hours"].sum())
    assert set(result.kpis.queues) == {q.name for q in scenario.queues}
    # The typed plan and its tables say the same: read back, the tables give the same plan, and
    # the validator's own reading of the tables finds the plan's agents on duty.
    again = plan_from_tables(scenario, result.shifts, result.allocation)
    assert again.shifts == result.plan.shifts
    assert np.array_equal(again.allocation, result.plan.allocation)
    assert np.array_equal(on_duty_from_shifts(scenario, result.shifts), result.plan.on_duty)
    assert np.array_equal(result.plan.staffed, result.plan.allocation.sum(axis=0))
    assert result.kpis.shifts == result.shifts["agents"].sum() == result.plan.agents


def test_the_validator_finds_the_same_violations_in_a_plan_and_in_its_tables():
    """A broken typed plan (one agent more in a group, so on duty exceeds the allocation and the
    pool's headcount) is reported alike whether checked as a plan or as its tables."""
    import dataclasses

    from planner.domain.plan import allocation_table, shifts_table

    scenario = load_scenario(SCENARIOS[0])
    result = plan_shifts(scenario, time_limit_seconds=10.0)
    first = result.plan.shifts[0]
    broken = dataclasses.replace(
        result.plan,
        shifts=(dataclasses.replace(first, agents=first.agents + 999), *result.plan.shifts[1:]),
    )
    typed = validate_plan(scenario, broken)
    tables = validate_tables(scenario, shifts_table(broken), allocation_table(broken))
    assert not typed.ok
    assert {v.rule for v in typed.violations} >= {"daily_headcount", "allocation_matches_duty"}
    assert typed == tables


@pytest.mark.parametrize("mode", ["interval", "daily"])
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_the_greedy_hint_is_a_complete_feasible_plan(path, mode):
    """The greedy plan given to CP-SAT as a hint keeps every hard rule (the pool limits of
    planner.labour included): with every variable fixed to its hint, the model is feasible."""
    from planner.cpsat.solve import configure
    from planner.shiftplan.instance import build_instance
    from planner.shiftplan.model import build_model

    scenario = load_scenario(path)
    scenario = scenario.model_copy(
        update={"service": scenario.service.model_copy(update={"mode": mode})}
    )
    inst = build_instance(scenario, build_requirement(scenario, build_demand(scenario)))
    solver = configure(scenario.solver, time_limit_seconds=20.0)
    solver.parameters.fix_variables_to_their_hinted_value = True
    status = solver.solve(build_model(inst).model)
    assert solver.status_name(status) in ("OPTIMAL", "FEASIBLE")


def test_daily_mode_starts_from_the_interval_models_shifts_with_the_lines_split_again():
    """Daily mode's first plan (planner.shiftplan.blocks.daily_warm_start) is a complete,
    feasible solution of the daily model, and on the emergency week (staff short of every
    daily target) much better than the greedy plan it replaces and close to the bound of the
    linear relaxation it is made from."""
    import time

    from planner.cpsat.solve import configure, run_solver
    from planner.shiftplan.blocks import _hint_values, daily_warm_start
    from planner.shiftplan.instance import MONEY_SCALE, build_instance
    from planner.shiftplan.model import build_model

    scenario = load_scenario("scenarios/emergency.yaml")
    scenario = scenario.model_copy(
        update={"service": scenario.service.model_copy(update={"mode": "daily"})}
    )
    requirement = build_requirement(scenario, build_demand(scenario))
    inst = build_instance(scenario, requirement)
    settings = scenario.solver
    start = daily_warm_start(
        scenario, requirement, inst, build_model(inst), settings, time.perf_counter() + 120, None
    )
    values = start.hint
    assert values is not None

    def objective_of_hint(sm) -> float:
        solver = configure(settings, time_limit_seconds=20.0)
        solver.parameters.fix_variables_to_their_hinted_value = True
        outcome = run_solver(sm.model, solver, scale=MONEY_SCALE, progress=None, stop=None)
        assert outcome.status in ("OPTIMAL", "FEASIBLE")
        return outcome.objective

    greedy = objective_of_hint(build_model(inst))
    warm = build_model(inst)
    _hint_values(warm, values)
    first = objective_of_hint(warm)
    assert first < 0.6 * greedy
    # The linear relaxation's bound holds: no plan is below it, and the first plan is within
    # a few per cent of it (1.6 % measured; the interval model's requirement gave 11 %).
    assert start.bound <= first
    assert (first - start.bound) / first < 0.05


def test_daily_mode_without_an_interval_floor_still_plans():
    """With ``daily_interval_floor: 0`` the answered-calls curve is S-shaped from no agents up;
    its cuts then sit beside an element constraint and must stay on the hull: shifted down by
    the hull's excess they forbade answering nothing, and every plan was 'infeasible'."""
    base = load_scenario("scenarios/baseline.yaml")
    service = base.service.model_copy(update={"mode": "daily", "daily_interval_floor": 0.0})
    horizon = base.horizon.model_copy(update={"days": 1})
    scenario = base.model_copy(update={"service": service, "horizon": horizon})
    result = plan_shifts(scenario, time_limit_seconds=10.0)
    assert result.solve.has_plan and result.validation.ok
    assert result.kpis.paid_hours > 0


def test_shortfall_is_reported_per_interval_when_staff_run_out():
    # Without borrowed staff the emergency week cannot meet demand: the plan is still returned,
    # valid, with every short interval in the coverage table and counted in the KPIs.
    scenario = load_scenario("scenarios/emergency_no_borrowed.yaml")
    result = plan_shifts(scenario, time_limit_seconds=10.0)
    assert result.solve.has_plan and result.validation.ok
    short = result.coverage["staffed_agents"] < result.coverage["required_agents"]
    assert short.sum() > 0
    assert result.kpis.understaffed_intervals == int(short.sum())
    assert (result.coverage.loc[short, "shortfall_agents"] > 0).all()


@pytest.mark.slow
def test_daily_mode_meets_each_days_target_for_less_than_interval_mode():
    base = load_scenario("scenarios/baseline.yaml")
    horizon = base.horizon.model_copy(update={"days": 2})
    interval_mode = base.model_copy(update={"horizon": horizon})
    daily_mode = interval_mode.model_copy(
        update={"service": base.service.model_copy(update={"mode": "daily"})}
    )
    requirement = build_requirement(interval_mode, build_demand(interval_mode))
    by_interval = plan_shifts(interval_mode, requirement=requirement, time_limit_seconds=10.0)
    by_day = plan_shifts(daily_mode, requirement=requirement, time_limit_seconds=10.0)
    assert by_day.validation.ok
    target = base.queues[0].service_level
    assert (by_day.kpis_daily["service_level"] >= target - 1e-9).all()
    # Interval mode meets every interval, so it overshoots the daily target; daily mode may
    # spend less while still meeting it (and never more, given the same staff and rules).
    assert (by_interval.kpis_daily["service_level"] >= target).all()
    assert by_day.kpis.paid_hours <= by_interval.kpis.paid_hours
    floor = daily_mode.service.daily_interval_floor
    open_rows = by_day.coverage[by_day.coverage["calls"] > 0]
    assert (open_rows["service_level"] >= floor - 1e-9).all()


# --------------------------------------------------------------------------------------------------
# Random small scenarios
# --------------------------------------------------------------------------------------------------


@st.composite
def small_scenarios(draw, ample_staff: bool = False):
    window_hours = draw(st.integers(4, 8))
    n_queues = draw(st.integers(1, 2))
    queues = [
        {
            "name": f"q{k}",
            "aht_seconds": draw(st.sampled_from([180, 300, 420])),
            "shrinkage": draw(st.sampled_from([0.0, 0.1, 0.2])),
            "demand": {
                "calls_per_day": draw(st.integers(0, 120)) * window_hours,
                "profile": draw(st.sampled_from(["flat", "public_service"])),
            },
        }
        for k in range(n_queues)
    ]
    templates = []
    for k in range(draw(st.integers(1, 2))):
        hours = draw(st.integers(2, window_hours))
        template = {
            "name": f"t{k}",
            "length_minutes": 60 * hours,
            "start_step_minutes": 30,
            "part_time": hours <= 4,
        }
        if hours >= 4 and draw(st.booleans()):
            template["breaks"] = [
                {
                    "name": "meal",
                    "length_minutes": 30,
                    "earliest_start_after_minutes": 60,
                    "latest_start_after_minutes": 60 * hours - 90,
                }
            ]
        templates.append(template)
    pools = []
    for k in range(draw(st.integers(1, 3))):
        skills = draw(st.sets(st.sampled_from([q["name"] for q in queues]), min_size=1))
        pools.append(
            {
                "name": f"p{k}",
                "skills": sorted(skills),
                # One shift per person per day: with 2-hour shifts a 5-hour day needs ~2.5
                # operators per agent on the phones, so "ample" means hundreds.
                "headcount": 500 if ample_staff else draw(st.integers(0, 8)),
                "cost_per_hour": draw(st.sampled_from([10.0, 12.0, 15.0])),
                "shift_templates": [t["name"] for t in templates],
                "max_hours_per_week": 48 if ample_staff else draw(st.sampled_from([8, 20, 40])),
            }
        )
    served = {s for p in pools for s in p["skills"]}
    for q in queues:  # every queue has someone who can answer it
        if q["name"] not in served:
            pools[0]["skills"] = sorted({*pools[0]["skills"], q["name"]})
    days = draw(st.integers(1, 3))
    data = {
        "schema_version": 1,
        "name": "random",
        "horizon": {
            "start_date": "2024-01-05",
            "days": days,
            "window_start": "09:00",
            "window_end": f"{9 + window_hours:02d}:00",
        },
        "queues": queues,
        "shift_templates": templates,
        "pools": pools,
        "solver": {"time_limit_seconds": 5.0, "workers": 1},
    }
    if n_queues > 1 and draw(st.booleans()):
        data["operating_modes"] = [{"name": "closed", "weekdays": ["sat"], "closed_queues": ["q1"]}]
    return parse_scenario(data, source="random")


RANDOM = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RANDOM
@given(small_scenarios())
def test_random_small_scenarios_always_give_a_valid_plan(scenario):
    result = plan_shifts(scenario)
    assert result.solve.has_plan
    assert result.validation.ok, result.validation.summary()
    assert validate_plan(scenario, result.plan, result.coverage).ok
    assert validate_tables(scenario, result.shifts, result.allocation, result.coverage).ok
    assert np.isfinite(result.solve.objective)


@RANDOM
@given(small_scenarios(ample_staff=True))
def test_with_ample_staff_no_interval_is_short(scenario):
    # Proved optimal (gap 0), no interval is short: a shortfall always costs more than the
    # shift that would cover it. At the scenario's 1 % gap a plan one agent-interval short may
    # be returned, as within it; the rare instance not proved in 30 s is not evidence either way.
    result = plan_shifts(scenario, relative_gap=0.0, time_limit_seconds=30.0)
    assert result.validation.ok, result.validation.summary()
    assume(result.solve.status == "OPTIMAL")
    assert result.kpis.understaffed_intervals == 0


@pytest.mark.slow
def test_stop_returns_the_best_plan_so_far_and_says_it_was_stopped():
    scenario = load_scenario("scenarios/emergency.yaml")
    stop = threading.Event()
    seen = []

    def progress(p):
        seen.append(p)
        if p.objective is not None:
            stop.set()  # as a Stop button would, as soon as a plan exists

    result = plan_shifts(scenario, progress=progress, stop=stop, relative_gap=0.0)
    assert result.solve.stopped
    assert result.solve.has_plan and result.validation.ok
    assert result.solve.solve_seconds < scenario.solver.time_limit_seconds
    assert any(p.objective is not None for p in seen)
    limited = plan_shifts(scenario, time_limit_seconds=0.5, relative_gap=0.0)
    assert not limited.solve.stopped
