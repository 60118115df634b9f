"""Agents shared between lines: the routing simulator, the scenario's routing fields, the
routing blocks of a plan, priorities in the objective, simulated rosters and refined plans.

The multi-pool engine (planner.simulate.shared) must be exactly the single-queue engine when one
pool serves one queue, must agree with Erlang C on a pooled stationary case (two lines of one
handling time answered by one pool are one M/M/n queue), must take the high-priority call first,
and must replay the same seed byte for byte.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.cli import main
from planner.errors import ScenarioError
from planner.io.scenario_file import load_scenario, parse_scenario
from planner.queueing import erlang_c_metrics
from planner.simulate import (
    run_day,
    run_shared_day,
    simulate_plan,
    simulate_shared,
    simulation_document,
)
from planner.simulate.engine import ABANDONED, UNANSWERED_AT_CLOSE
from planner.simulate.roster import rostered_plan, split_like

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------------


def test_one_pool_one_queue_is_exactly_the_single_queue_engine():
    rng = np.random.default_rng(1)
    for trial in range(400):
        intervals = int(rng.integers(1, 6))
        agents = rng.integers(0, 5, intervals).tolist()
        n = int(rng.integers(0, 80))
        arrivals = np.sort(rng.random(n) * intervals * 900.0).tolist()
        handling = rng.exponential(300.0, n).tolist()
        patience = rng.exponential(200.0, n).tolist() if trial % 2 else None
        single = run_day(arrivals, handling, patience, agents, 900.0)
        shared = run_shared_day(
            [0] * n,
            arrivals,
            handling,
            patience if patience else [math.inf] * n,
            [agents],
            [(0,)],
            [1],
            900.0,
        )
        assert shared == single, trial


def test_priority_takes_the_higher_line_first_by_hand():
    # One agent. A low-priority call (line 0) arrives at 10 s, busy until 310 s. While it is
    # served, a low call arrives at 20 s and a high one (line 1) at 100 s: when the agent frees
    # at 310 s, priority routing takes the high call (waited 210 s), longest-waiting the low one.
    queue_of, arrivals, handling = [0, 0, 1], [10.0, 20.0, 100.0], [300.0, 50.0, 50.0]
    patience = [math.inf] * 3
    args = (queue_of, arrivals, handling, patience, [[1]], [(0, 1)])
    by_priority = run_shared_day(*args, [1, 2], 900.0)
    assert by_priority == [0.0, 340.0, 210.0]  # the low one waits for the high one's 50 s
    by_age = run_shared_day(*args, None, 900.0)
    assert by_age == [0.0, 290.0, 260.0]


def test_the_most_specialised_free_agent_answers_and_the_close_ends_the_day():
    # A dedicated agent (pool 0, line 0) and a flexible one (pool 1, lines 0 and 1), one
    # interval. Line 0's first call goes to the dedicated agent, the second to the flexible one;
    # a line-1 call then waits for the flexible agent past the close: unanswered, or abandoned
    # if its patience ran out before the close.
    waits = run_shared_day(
        [0, 0, 1, 1],
        [1.0, 2.0, 3.0, 4.0],
        [800.0, 950.0, 10.0, 10.0],
        [math.inf, math.inf, math.inf, 100.0],
        [[1], [1]],
        [(0,), (0, 1)],
        [1, 1],
        900.0,
    )
    assert waits == [0.0, 0.0, UNANSWERED_AT_CLOSE, ABANDONED]


def test_a_pooled_stationary_line_pair_agrees_with_erlang_c():
    # Two lines of the same handling time, one pool of 14 agents: one M/M/14 queue of the two
    # lines' calls (Erlang C on 30 + 20 calls per 15 minutes, A = 10 Erlangs).
    days, intervals, aht = 1, 400, 180.0
    calls = np.stack([np.full((days, intervals), 30.0), np.full((days, intervals), 20.0)])
    present = np.full((1, days, intervals), 14)
    result = simulate_shared(
        calls,
        np.full_like(calls, aht),
        lambda rng: present,
        [(0, 1)],
        np.full((1, 2, days, intervals), 0.5),
        interval_seconds=900.0,
        answer_within_seconds=[20.0, 20.0],
        patience_seconds=[None, None],
        queue_priority=None,
        replications=10,
        seed=3,
        warmup_intervals=4,
    )
    m = erlang_c_metrics(14, 50.0, aht, 900.0, 20.0)
    all_lines = result.horizon
    half = all_lines.service_level_ci95
    assert abs(all_lines.service_level - float(m.service_level)) <= 2 * half / 1.96 + 1e-3
    for q in result.queues:  # longest-waiting routing treats both lines alike
        assert (
            abs(q.service_level - float(m.service_level)) <= 2 * q.service_level_ci95 / 1.96 + 2e-3
        )


def _emergency_plan(tmp_path_factory):
    out = tmp_path_factory.mktemp("emergency") / "plan"
    assert (
        main(["solve", str(ROOT / "scenarios/emergency.yaml"), "--out", str(out), "--quiet"]) == 0
    )
    return out


@pytest.fixture(scope="module")
def emergency(tmp_path_factory):
    from planner.io.plan_tables import plan_from_tables

    out = _emergency_plan(tmp_path_factory)
    scenario = load_scenario(ROOT / "scenarios/emergency.yaml")
    read = lambda name: pd.read_csv(out / name, keep_default_na=False)  # noqa: E731
    plan = plan_from_tables(scenario, read("shifts.csv"), read("allocation.csv"))
    kpis = json.loads((out / "kpis.json").read_text())
    return scenario, plan, out, kpis


def test_priority_routing_serves_the_priority_line_better_than_its_reverse(emergency):
    scenario, plan, _, _ = emergency
    first = simulate_plan(scenario, plan, replications=6, seed=1, routing="priority")
    reverse_queues = [q.model_copy(update={"priority": 3 - q.priority}) for q in scenario.queues]
    reverse = scenario.model_copy(update={"queues": reverse_queues})
    last = simulate_plan(reverse, plan, replications=6, seed=1, routing="priority")
    assert scenario.queue("emergency").priority > scenario.queue("consulting").priority
    assert first.queue("emergency").service_level > last.queue("emergency").service_level
    assert first.queue("consulting").service_level < last.queue("consulting").service_level


def test_shared_simulation_is_the_same_for_the_same_seed(emergency):
    scenario, plan, _, _ = emergency
    one = simulation_document(simulate_plan(scenario, plan, replications=3, seed=9))
    two = simulation_document(simulate_plan(scenario, plan, replications=3, seed=9))
    other = simulation_document(simulate_plan(scenario, plan, replications=3, seed=10))
    assert json.dumps(one) == json.dumps(two)
    assert json.dumps(one) != json.dumps(other)
    assert one["routing"] == "priority"


@pytest.mark.parametrize("shrinkage", ["absence", "mean"])
def test_the_priority_line_gets_at_least_its_promise_under_priority_routing(emergency, shrinkage):
    # Issue 12: with the emergency line first, its simulated weekly service level is at least
    # what the plan `solve` wrote promised (shared agents counted where the routing serves
    # them: planner.shiftplan.split_check, whose seed is not this one).
    scenario, plan, _, kpis = emergency
    sim = simulate_plan(scenario, plan, replications=30, seed=0, shrinkage=shrinkage)
    promised = kpis["queues"]["emergency"]["service_level"]
    assert sim.queue("emergency").service_level >= promised
    assert kpis["split_check"]["confirmed"] is True


# --------------------------------------------------------------------------------------------------
# Rosters as plans
# --------------------------------------------------------------------------------------------------


def test_a_roster_of_every_planned_shift_simulates_the_plan_itself(emergency):
    scenario, plan, out, _ = emergency
    shifts = pd.read_csv(out / "shifts.csv", keep_default_na=False)
    rows = shifts.loc[shifts.index.repeat(shifts["agents"])].drop(columns="agents")
    rows["paid_hours"] = (
        shifts.loc[rows.index, "paid_hours"] / shifts.loc[rows.index, "agents"]
    ).round(2)
    rows.insert(0, "operator", [f"op{k}" for k in range(len(rows))])
    rostered = rostered_plan(scenario, plan, rows.reset_index(drop=True))
    assert np.array_equal(rostered.allocation, plan.allocation)
    # Without a shift, its agents are gone from the lines they answered, pro rata.
    fewer = rostered_plan(scenario, plan, rows.iloc[1:].reset_index(drop=True))
    assert fewer.allocation.sum() < plan.allocation.sum()


def test_split_like_keeps_the_proportions_with_largest_remainders():
    allocation = np.zeros((1, 2, 1, 1), dtype=np.int64)
    allocation[0, :, 0, 0] = [3, 1]
    duty = np.array([[[2]]])
    assert split_like(duty, allocation)[0, :, 0, 0].tolist() == [2, 0]
    duty = np.array([[[6]]])
    assert split_like(duty, allocation)[0, :, 0, 0].tolist() == [5, 1]  # 4.5, 1.5: tie -> first


def test_simulate_needs_a_plan_or_a_roster(tmp_path, capsys):
    code = main(["simulate", str(ROOT / "scenarios/baseline.yaml"), "--out", str(tmp_path / "o")])
    assert code == 2
    assert "give --plan DIR" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------------
# The scenario's routing fields
# --------------------------------------------------------------------------------------------------


def _data(**changes):
    import yaml

    data = yaml.safe_load((ROOT / "scenarios/emergency.yaml").read_text())
    data.update(changes)
    return data


def test_a_routing_block_must_be_whole_intervals():
    with pytest.raises(ScenarioError, match=r"routing.block_minutes = 50: must be a whole number"):
        parse_scenario(_data(routing={"policy": "priority", "block_minutes": 50}))


def test_a_cost_per_abandon_needs_a_patience():
    data = _data()
    del data["queues"][0]["patience_seconds"]
    data["queues"][0]["cost_per_abandon"] = 5
    with pytest.raises(ScenarioError, match=r"queues\[0\].cost_per_abandon = 5.*patience_seconds"):
        parse_scenario(data)


def test_an_unknown_routing_policy_is_refused():
    with pytest.raises(ScenarioError, match=r"routing\.policy"):
        parse_scenario(_data(routing={"policy": "round_robin"}))


# --------------------------------------------------------------------------------------------------
# Plans: blocks, priorities, seeds, refinement
# --------------------------------------------------------------------------------------------------


def test_the_plan_keeps_flexible_agents_on_one_line_per_block(emergency):
    # The validator's allocation_blocks rule holds on the solved plan (solve checks it), and
    # the borrowed pool's split changes inside an hour only with agents coming or going.
    scenario, plan, _, _ = emergency
    from planner.validate.plan import validate_plan

    report = validate_plan(scenario, plan)
    assert "allocation_blocks" in report.rules_checked
    assert report.ok, report.summary()


@pytest.mark.slow
def test_seeds_do_not_change_each_lines_promise():
    # Issue 12: seeds 0, 1 and 2 on emergency.yaml promise each line a weekly service level
    # within 0.5 points of the others (it was 71.4 % / 54.8 % against 84.0 % / 50.0 %).
    from planner.shiftplan import plan_shifts

    scenario = load_scenario(ROOT / "scenarios/emergency.yaml")
    levels = {}
    for seed in (0, 1, 2):
        result = plan_shifts(scenario, seed=seed, time_limit_seconds=60.0)
        for name, q in result.kpis.queues.items():
            levels.setdefault(name, []).append(q.service_level)
    for name, values in levels.items():
        assert max(values) - min(values) <= 0.005, (name, values)


@pytest.mark.slow
def test_a_higher_priority_buys_the_line_service_when_staff_run_short():
    from planner.shiftplan import plan_shifts

    scenario = load_scenario(ROOT / "scenarios/emergency.yaml")
    equal = scenario.model_copy(
        update={"queues": [q.model_copy(update={"priority": 1}) for q in scenario.queues]}
    )
    first = plan_shifts(scenario).kpis.queues["emergency"].service_level
    alike = plan_shifts(equal).kpis.queues["emergency"].service_level
    assert first > alike + 0.01


@pytest.mark.slow
def test_refine_reports_its_rounds_and_keeps_the_best(tmp_path):
    out = tmp_path / "refined"
    args = ["solve", str(ROOT / "scenarios/baseline.yaml"), "--out", str(out), "--quiet"]
    assert main([*args, "--refine", "2", "--simulate", "10"]) == 0
    kpis = json.loads((out / "kpis.json").read_text())
    rounds = kpis["refine"]["rounds"]
    assert rounds[0]["round"] == 0 and len(rounds) <= 3
    chosen = kpis["refine"]["chosen_round"]
    assert rounds[chosen]["worst_deficit"] == min(r["worst_deficit"] for r in rounds)
    assert kpis["simulated"]["replications"] == 10
    for r in rounds[1:]:
        assert r["raised_intervals"] > 0


def test_the_service_price_leaves_the_daily_weight_as_documented():
    # The price of a call in the interval service term once overwrote daily mode's weight per
    # call short (scenarios/README.md: 1.5 x longest shift (h) x highest cost_per_hour), which
    # left the baseline's daily plan at a 65 % gap with a day at 37 %.
    from planner.demand import build_demand
    from planner.shiftplan.instance import DAILY_CALL_SCALE, MONEY_SCALE, build_instance
    from planner.staffing import build_requirement

    scenario = load_scenario(ROOT / "scenarios/emergency.yaml")
    daily = scenario.model_copy(
        update={"service": scenario.service.model_copy(update={"mode": "daily"})}
    )
    inst = build_instance(daily, build_requirement(daily, build_demand(daily)))
    longest = max(t.length_minutes for t in daily.shift_templates) / 60
    top = max(p.cost_per_hour for p in daily.pools)
    assert inst.daily_shortfall_weight == pytest.approx(
        1.5 * longest * top * MONEY_SCALE / DAILY_CALL_SCALE
    )


def test_lognormal_handling_keeps_the_mean_and_takes_the_spread():
    from planner.simulate.engine import draw_day

    rng = np.random.default_rng(2)
    calls, aht = np.full(48, 200.0), np.full(48, 300.0)
    _, _, _, handling, _ = draw_day(rng, calls, aht, 900.0, None, handling_cv=0.5)
    assert handling.mean() == pytest.approx(300.0, rel=0.02)
    assert handling.std() / handling.mean() == pytest.approx(0.5, rel=0.05)
    # Less variable handling, the same load: callers wait less (M/G/n against M/M/n).
    shape = (1, 1, 200)
    common = {
        "interval_seconds": 900.0,
        "answer_within_seconds": [20.0],
        "patience_seconds": [None],
        "replications": 12,
        "seed": 3,
        "warmup_intervals": 4,
    }
    from planner.simulate import simulate_queues

    args = (np.full(shape, 50.0), np.full(shape, 180.0), np.full(shape, 12))
    exponential = simulate_queues(*args, **common).queues[0]
    steady = simulate_queues(*args, handling_cv=0.3, **common).queues[0]
    assert steady.service_level > exponential.service_level + 2 * exponential.service_level_ci95
