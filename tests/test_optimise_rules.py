"""Each rule of the shift-sizing model on a micro instance whose optimum is known by hand.

Every solve is also checked by the solver-free validator.
"""

from __future__ import annotations

import numpy as np
import pytest

from planner.shiftplan import plan_shifts
from tests.optimise_helpers import flat_requirement, micro

COST = 10.0  # per paid hour, the micro scenario's
SHORT_PER_HOUR = 1000.0
SHORT_PER_INTERVAL = SHORT_PER_HOUR / 4  # 15-minute intervals

EIGHT_HOURS_WITH_BREAK = {
    "name": "full",
    "length_minutes": 480,
    "breaks": [
        {
            "name": "meal",
            "length_minutes": 30,
            "earliest_start_after_minutes": 180,
            "latest_start_after_minutes": 300,
        }
    ],
}


def solve(scenario, requirement):
    result = plan_shifts(scenario, requirement=requirement)
    assert result.validation.ok, result.validation.summary()
    return result


def test_flat_requirement_covered_exactly_by_eight_hour_shifts_is_found_and_proved():
    # 3 agents needed 09-13, 6 agents 13-17, 3 agents 17-21: exactly 3 shifts at 09:00 and 3 at
    # 13:00; the requirement is 48 agent-hours, so nothing cheaper than 6 x 8 paid hours exists.
    scenario = micro(horizon={"window_end": "21:00"})
    profile = np.array([3] * 16 + [6] * 16 + [3] * 16)
    result = solve(scenario, flat_requirement(scenario, {"a": profile}))
    assert result.solve.status == "OPTIMAL"
    assert result.solve.objective == pytest.approx(6 * 8 * COST)
    assert result.solve.best_bound == pytest.approx(result.solve.objective)
    starts = result.shifts.groupby("start")["agents"].sum().to_dict()
    assert starts == {"09:00": 3, "13:00": 3}
    assert result.kpis.understaffed_intervals == 0


def test_breaks_are_staggered_so_coverage_holds_during_breaks():
    # Requirement 4 all day with one 30-minute break per 8-hour shift: 4 agents cannot cover the
    # breaks; 5 can, one at a time, inside the 09:00+3h .. 09:00+5h30 break window.
    scenario = micro(shift_templates=[EIGHT_HOURS_WITH_BREAK])
    result = solve(scenario, flat_requirement(scenario, {"a": 4}))
    assert result.solve.status == "OPTIMAL"
    assert result.shifts["agents"].sum() == 5
    assert result.kpis.paid_hours == pytest.approx(5 * 7.5)
    assert result.kpis.understaffed_intervals == 0
    assert result.coverage["staffed_agents"].min() == 4


def test_shortfall_when_staff_run_out_is_reported_with_its_exact_penalty():
    # Only 4 operators for a requirement of 4 with breaks: every break interval is one agent
    # short; 4 agents x 2 intervals = 8 agent-intervals short, wherever the breaks fall.
    scenario = micro(
        shift_templates=[EIGHT_HOURS_WITH_BREAK],
        pools=[_pool(headcount=4)],
        weights={"shortfall_per_agent_hour": SHORT_PER_HOUR},
    )
    result = solve(scenario, flat_requirement(scenario, {"a": 4}))
    assert result.solve.status == "OPTIMAL"
    assert result.coverage["shortfall_agents"].sum() == 8
    assert result.penalties["interval_shortfall"] == pytest.approx(8 * SHORT_PER_INTERVAL)
    assert result.penalties["cost"] == pytest.approx(4 * 7.5 * COST)
    assert result.solve.objective == pytest.approx(8 * SHORT_PER_INTERVAL + 4 * 7.5 * COST)


def test_daily_headcount_caps_agents_starting_per_day():
    scenario = micro(
        pools=[_pool(headcount=3)], weights={"shortfall_per_agent_hour": SHORT_PER_HOUR}
    )
    result = solve(scenario, flat_requirement(scenario, {"a": 5}))
    assert result.shifts["agents"].sum() == 3
    assert result.coverage["shortfall_agents"].sum() == 2 * 32
    assert result.penalties["interval_shortfall"] == pytest.approx(2 * 32 * SHORT_PER_INTERVAL)


def test_weekly_paid_hours_cap_the_pool_over_a_week():
    # 5 people x 16 h a week = 80 h = ten 8-hour shifts; the week needs 2 x 7 = 14.
    scenario = micro(
        horizon={"days": 7},
        pools=[_pool(headcount=5, max_hours_per_week=16)],
        weights={"shortfall_per_agent_hour": SHORT_PER_HOUR},
    )
    result = solve(scenario, flat_requirement(scenario, {"a": 2}))
    assert result.kpis.paid_hours == pytest.approx(80.0)
    assert result.coverage["shortfall_agents"].sum() == 4 * 32


# ----- what the labour rules let a whole pool work (planner.labour) -----------------------------
# In each test, one operator-level rule caps the shifts; the plan keeps to it, so every planned
# shift can be given to an operator, and the rest of the requirement is reported short.

FULL_DAY = 32  # 15-minute intervals in the micro window 09:00-17:00


def test_pool_working_days_keep_two_days_off_a_week():
    # 2 operators (56 h a week each), 2 needed every day of the week: 14 shifts, but each
    # needs 2 days off: 10.
    scenario = micro(
        horizon={"days": 7},
        pools=[_pool(headcount=2, max_hours_per_week=56)],
        weights={"shortfall_per_agent_hour": SHORT_PER_HOUR},
        labour={"max_hours_per_week": 56},
    )
    result = solve(scenario, flat_requirement(scenario, {"a": 2}))
    assert result.solve.status == "OPTIMAL"
    assert result.shifts["agents"].sum() == 10
    assert result.coverage["shortfall_agents"].sum() == 4 * FULL_DAY
    loose = micro(
        horizon={"days": 7},
        pools=[_pool(headcount=2, max_hours_per_week=56)],
        weights={"shortfall_per_agent_hour": SHORT_PER_HOUR},
        labour={"min_days_off_per_week": 0, "max_consecutive_days": 7, "max_hours_per_week": 56},
    )
    assert solve(loose, flat_requirement(loose, {"a": 2})).shifts["agents"].sum() == 14


def test_pool_consecutive_days_leave_a_day_off_in_every_run():
    # No days off required, but at most 3 working days in a row: 6 of the week's 7 days.
    scenario = micro(
        horizon={"days": 7},
        pools=[_pool(headcount=1, max_hours_per_week=56)],
        weights={"shortfall_per_agent_hour": SHORT_PER_HOUR},
        labour={"min_days_off_per_week": 0, "max_consecutive_days": 3, "max_hours_per_week": 56},
    )
    result = solve(scenario, flat_requirement(scenario, {"a": 1}))
    assert result.solve.status == "OPTIMAL"
    days = sorted(scenario.grid.dates.index(d) for d in result.shifts["day"])
    assert len(days) == 6 and 3 not in days  # only a day off in the middle splits 7 days so
    assert result.coverage["shortfall_agents"].sum() == FULL_DAY


def test_pool_shifts_within_weekly_hours_count_whole_shifts():
    # 20 h a week each: the pool's hours allow 100 h (12 shifts of 8 h), but nobody fits more
    # than 2 shifts of 8 h in 20 h: 5 operators work 10 shifts.
    scenario = micro(
        horizon={"days": 7},
        pools=[_pool(headcount=5, max_hours_per_week=20)],
        weights={"shortfall_per_agent_hour": SHORT_PER_HOUR},
    )
    result = solve(scenario, flat_requirement(scenario, {"a": 2}))
    assert result.solve.status == "OPTIMAL"
    assert result.shifts["agents"].sum() == 10
    assert result.kpis.paid_hours == pytest.approx(80.0)


def test_pool_shifts_within_weekly_hours_allow_only_mixes_an_operator_can_work():
    # 2 operators, 40 h a week each. Monday needs one 12-hour shift (11 h paid) and one 8-hour
    # one (7.5 h), Tuesday to Friday two 8-hour ones: 1 long + 9 day shifts = 78.5 h, within the
    # pool's 80 h, but one operator would then work 11 + 4 x 7.5 = 41 h. The plan leaves a
    # shift out instead, and every shift it plans can be rostered.
    from planner.roster import roster_plan

    meal = {
        "name": "meal",
        "length_minutes": 30,
        "earliest_start_after_minutes": 180,
        "latest_start_after_minutes": 300,
    }
    scenario = micro(
        horizon={"days": 7, "window_end": "21:00"},
        shift_templates=[
            {
                "name": "day",
                "length_minutes": 480,
                "earliest_start": "09:00",
                "latest_start": "09:00",
                "breaks": [meal],
            },
            {"name": "long", "length_minutes": 720, "breaks": [{**meal, "length_minutes": 60}]},
        ],
        pools=[_pool(headcount=2, shift_templates=["day", "long"], max_hours_per_week=40)],
        weights={"shortfall_per_agent_hour": SHORT_PER_HOUR},
    )
    need = np.zeros((7, 48), dtype=int)
    need[0:5, :32] = 2  # 09:00-17:00, Monday to Friday
    need[0, 32:] = 1  # 17:00-21:00 on Monday
    result = solve(scenario, flat_requirement(scenario, {"a": need}))
    counts = result.shifts.groupby("template")["agents"].sum()
    assert 2 * counts.get("day", 0) + 3 * counts.get("long", 0) <= 2 * 10
    assert result.kpis.paid_hours <= 80
    rostered = roster_plan(scenario, result, time_limit_seconds=5.0)
    assert rostered.validation.ok, rostered.validation.summary()
    assert rostered.unassigned.empty


def test_a_scenario_with_named_operators_is_sized_for_their_contracts_and_days():
    # The pool allows 40 h a week each, but its two named operators are A (40 h) and B
    # (16 h, away on Monday): A works 5 days, B two 8-hour shifts: 7 shifts, not 10.
    from datetime import date

    from planner.domain.operators import Operator
    from planner.roster import roster_plan

    scenario = micro(
        horizon={"days": 7},
        pools=[_pool(headcount=2, max_hours_per_week=40)],
        weights={"shortfall_per_agent_hour": SHORT_PER_HOUR},
    )
    requirement = flat_requirement(scenario, {"a": 2})
    assert solve(scenario, requirement).shifts["agents"].sum() == 10
    team = (
        Operator("A", "A", "team", ("a",), 40.0, 12.0),
        Operator("B", "B", "team", ("a",), 16.0, 12.0, days_unavailable=(date(2024, 1, 1),)),
    )
    named = scenario.with_operators(team)
    result = solve(named, requirement)
    assert result.shifts["agents"].sum() == 7
    monday = result.shifts[result.shifts["day"] == date(2024, 1, 1)]
    assert monday["agents"].sum() <= 1  # B is away
    rostered = roster_plan(named, result, time_limit_seconds=5.0)
    assert rostered.validation.ok and rostered.unassigned.empty


@pytest.mark.parametrize(("rule", "shifts"), [(True, 1), (False, 2)])
def test_pool_long_shift_pairs_no_two_long_shifts_in_a_row(rule, shifts):
    # One operator, a 12-hour shift needed on two days: never two long shifts in a row.
    scenario = micro(
        horizon={"days": 2, "window_end": "21:00"},
        shift_templates=[{"name": "long", "length_minutes": 720}],
        pools=[_pool(headcount=1, shift_templates=["long"], max_hours_per_week=48)],
        weights={"shortfall_per_agent_hour": SHORT_PER_HOUR},
        labour={"no_consecutive_long_shifts": rule},
    )
    result = solve(scenario, flat_requirement(scenario, {"a": 1}))
    assert result.solve.status == "OPTIMAL"
    assert result.shifts["agents"].sum() == shifts
    assert result.coverage["shortfall_agents"].sum() == (2 - shifts) * 48


@pytest.mark.parametrize(("share", "expected_cost"), [(None, 80.0), (0.5, 120.0), (0.0, 160.0)])
def test_part_time_share_limits_short_shifts(share, expected_cost):
    # One agent needed 09:00-13:00 on two days: two 4-hour shifts (80) unless part-time shifts
    # are capped; at most half part-time gives one 4 h + one 8 h (120); none gives two 8 h (160).
    templates = [
        {"name": "part", "length_minutes": 240, "part_time": True},
        {"name": "full", "length_minutes": 480},
    ]
    pool = _pool(shift_templates=["part", "full"], max_part_time_share=share)
    scenario = micro(horizon={"days": 2}, shift_templates=templates, pools=[pool])
    need = np.array([1] * 16 + [0] * 16)
    result = solve(scenario, flat_requirement(scenario, {"a": need}))
    assert result.solve.status == "OPTIMAL"
    assert result.penalties["cost"] == pytest.approx(expected_cost)
    assert result.kpis.understaffed_intervals == 0


def test_a_flexible_agent_is_never_counted_for_two_queues():
    # Queues a and b each need 2; one pool of 3 serves both: one agent short every interval.
    scenario = micro(
        queues=[_queue("a"), _queue("b")],
        pools=[_pool(name="flex", skills=["a", "b"], headcount=3)],
        weights={"shortfall_per_agent_hour": SHORT_PER_HOUR},
    )
    result = solve(scenario, flat_requirement(scenario, {"a": 2, "b": 2}))
    per_interval = result.coverage.groupby(["day", "interval_start"])["staffed_agents"].sum()
    assert (per_interval == 3).all()
    assert result.coverage["shortfall_agents"].sum() == 32


def test_cheaper_own_staff_are_used_before_dearer_borrowed_staff():
    pools = [
        _pool(name="own", headcount=4, cost_per_hour=10.0),
        _pool(name="borrowed", headcount=4, cost_per_hour=15.0, borrowed=True),
    ]
    scenario = micro(pools=pools)
    result = solve(scenario, flat_requirement(scenario, {"a": 6}))
    used = result.shifts.groupby("pool")["agents"].sum().to_dict()
    assert used == {"own": 4, "borrowed": 2}
    assert result.kpis.borrowed_hours == pytest.approx(16.0)


def test_a_closed_queue_gets_no_agents():
    # Tuesday: line b is closed. Its dedicated team stays home; the flexible pool answers a only.
    scenario = micro(
        horizon={"days": 2},
        queues=[_queue("a"), _queue("b")],
        pools=[
            _pool(name="team_b", skills=["b"], headcount=4),
            _pool(name="flex", skills=["a", "b"], headcount=4),
        ],
        operating_modes=[{"name": "b_closed", "weekdays": ["tue"], "closed_queues": ["b"]}],
    )
    result = solve(scenario, flat_requirement(scenario, {"a": 1, "b": 1}))
    tuesday = result.shifts[result.shifts["day"].astype(str) == "2024-01-02"]
    assert "team_b" not in set(tuesday["pool"])
    b_tuesday = result.allocation[
        (result.allocation["day"].astype(str) == "2024-01-02") & (result.allocation["queue"] == "b")
    ]
    assert b_tuesday.empty
    assert result.kpis.understaffed_intervals == 0


def test_min_agents_staffs_a_line_with_no_calls():
    scenario = micro(queues=[{**_queue("a"), "min_agents": 2}])
    result = solve(scenario, flat_requirement(scenario, {"a": 0}))
    assert result.coverage["staffed_agents"].min() == 2
    assert result.penalties["cost"] == pytest.approx(2 * 8 * COST)


def test_contradicting_hard_rules_are_named_not_a_bare_infeasible():
    # The line must never have fewer than 2 agents, but only 1 operator works that day.
    scenario = micro(queues=[{**_queue("a"), "min_agents": 2}], pools=[_pool(headcount=1)])
    result = plan_shifts(scenario, requirement=flat_requirement(scenario, {"a": 0}))
    assert result.solve.status == "INFEASIBLE"
    assert not result.solve.has_plan
    rules = {name.split(" [")[0] for name in result.solve.conflicting_rules}
    assert {"queue_min_agents", "daily_headcount"} <= rules
    assert result.shifts.empty


def test_the_same_seed_gives_the_same_plan():
    scenario = micro(
        horizon={"window_end": "21:00", "days": 2},
        shift_templates=[
            {"name": "part", "length_minutes": 240, "part_time": True},
            EIGHT_HOURS_WITH_BREAK,
        ],
        pools=[_pool(shift_templates=["part", "full"])],
    )
    need = np.tile(np.array([2] * 8 + [5] * 16 + [3] * 24), (2, 1))
    requirement = flat_requirement(scenario, {"a": need})
    first = plan_shifts(scenario, requirement=requirement)
    second = plan_shifts(scenario, requirement=requirement)
    assert first.shifts.equals(second.shifts)
    assert first.solve.objective == second.solve.objective


def _queue(name: str) -> dict:
    return {"name": name, "aht_seconds": 300, "demand": {"calls_per_day": 400, "profile": "flat"}}


def _pool(**changes) -> dict:
    pool = {
        "name": "team",
        "skills": ["a"],
        "headcount": 20,
        "cost_per_hour": COST,
        "shift_templates": ["full"],
    }
    pool.update({k: v for k, v in changes.items() if v is not None})
    return pool
