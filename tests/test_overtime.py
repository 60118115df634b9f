"""Overtime caps (Labour Code: 2 h a day, 12 h a month, 120 h a year) on micro instances: each
rule of the shift plan and of the roster feasible, broken (and named), and at its exact limit;
both validators on plans and rosters made under looser caps.

Overtime is counted per 7-day week beyond ``labour.max_hours_per_week`` (40 h here)
(:mod:`planner.labour`).
"""

from __future__ import annotations

import numpy as np
import pytest

from planner.domain.checks import check_scenario
from planner.labour import overtime_rules, pool_overtime_caps
from planner.shiftplan import plan_shifts
from planner.shiftplan.blocks import independent_blocks
from planner.validate.plan import validate_plan
from planner.validate.roster import validate_roster
from tests.optimise_helpers import flat_requirement
from tests.optimise_helpers import micro as plan_micro
from tests.test_roster_rules import micro as roster_micro
from tests.test_roster_rules import named, op, plan, roster, shift

# --------------------------------------------------------------------------------------------------
# The arithmetic
# --------------------------------------------------------------------------------------------------


def test_a_week_in_two_months_counts_in_both_and_used_overtime_counts_in_the_first():
    # 2024-01-29 (a Monday) + 14 days: week 1 is Jan 29 - Feb 4, week 2 Feb 5 - 11.
    scenario = roster_micro(horizon={"start_date": "2024-01-29", "days": 14})
    ot = overtime_rules(scenario)
    months = {p.label: p.weeks for p in ot.periods if p.rule == "overtime_per_month"}
    assert months == {"2024-01": (0,), "2024-02": (0, 1)}
    assert [p.label for p in ot.periods if p.rule == "overtime_per_year"] == ["2024"]
    used = op("x", overtime_hours_this_month=5, overtime_hours_this_year=30)
    assert ot.allowance(used).tolist() == [(12 - 5) * 60, 12 * 60, (120 - 30) * 60]
    assert ot.normal_minutes == 40 * 60 and ot.per_day_minutes == 120


def test_the_pool_s_weekly_hours_may_exceed_the_normal_week_by_the_overtime_a_week_holds():
    # 40 h normal + min(12 a month, 120 a year, 2 a day x 5 working days) = 50 h.
    fine = roster_micro(pools=[{**_roster_pool(), "max_hours_per_week": 50}])
    assert not list(check_scenario(fine))
    with pytest.raises(ValueError, match=r"pools\[0\].max_hours_per_week.*51.*10 h"):
        roster_micro(pools=[{**_roster_pool(), "max_hours_per_week": 51}])
    with pytest.raises(
        ValueError, match=r"max_overtime_hours_per_month.*a month is part of a year"
    ):
        roster_micro(labour={"max_overtime_hours_per_month": 130})


def test_shipped_week_long_scenarios_get_no_overtime_cap_and_keep_their_weeks_apart():
    from planner.io.scenario_file import load_scenario

    emergency = load_scenario("scenarios/emergency.yaml")
    assert pool_overtime_caps(emergency) == ()
    month = emergency.model_copy(
        update={"horizon": emergency.horizon.model_copy(update={"days": 28})}
    )
    caps = pool_overtime_caps(month)  # 48 h a week for four weeks: 32 h > 12 h a month
    assert {c.rule for c in caps} == {"pool_overtime_per_month"}
    assert independent_blocks(month) == [(0, 28)]


# --------------------------------------------------------------------------------------------------
# Shift plan: pool_overtime_per_day / _per_month / _per_year
# --------------------------------------------------------------------------------------------------

LONG_12H = {"name": "long", "length_minutes": 720}  # 12 paid hours, no break
PART_4H = {"name": "part", "length_minutes": 240}


def _plan_scenario(days: int, hours: float, templates: list[dict], **labour):
    return plan_micro(
        horizon={"days": days, "window_end": "21:00"},
        # No calls: the requirement alone (one agent all day) prices the plan, so the micro
        # model proves its optimum at once.
        queues=[{"name": "a", "aht_seconds": 300, "demand": {"calls_per_day": 0}}],
        shift_templates=templates,
        pools=[
            {
                "name": "team",
                "skills": ["a"],
                "headcount": 1,
                "cost_per_hour": 10.0,
                "shift_templates": [t["name"] for t in templates],
                "max_hours_per_week": hours,
            }
        ],
        labour=labour,
    )


def _solve(scenario, seconds: float = 3.0):
    # One operator against a requirement all day: the plan is found at once, but CP-SAT's bound
    # stays weak on this shape (the relaxation spreads fractional shifts), so no proof is
    # awaited; the paid hours are checked against the optimum worked out by hand. Reproducible:
    # the deterministic limit ends each search, so a busy machine (load 4 and more) gives the
    # same plan; on the wall clock the coupled model found no better plan there in 15 s.
    requirement = flat_requirement(scenario, {"a": 1})
    result = plan_shifts(
        scenario, requirement=requirement, time_limit_seconds=seconds, reproducible=True
    )
    assert result.validation.ok, result.validation.summary()
    return result


def test_pool_overtime_per_day_limits_a_week_of_few_long_shifts():
    # One operator, 52 h a week, six working days: 4 x 12 h + 4 h = 52 h in 5 shifts is 12 h of
    # overtime, over 2 h a day worked; 4 x 12 h = 48 h (8 h in 4 days) is the most allowed.
    strict = _plan_scenario(7, 52, [LONG_12H, PART_4H], min_days_off_per_week=1)
    result = _solve(strict)
    assert result.kpis.paid_hours == pytest.approx(48)
    # At 2.4 h a day the 52-hour week fits exactly (12 h = 2.4 h x 5).
    exact = _plan_scenario(
        7, 52, [LONG_12H, PART_4H], min_days_off_per_week=1, max_overtime_hours_per_day=2.4
    )
    loose = _solve(exact)
    assert loose.kpis.paid_hours == pytest.approx(52)
    broken = validate_plan(strict, loose.plan)
    assert [v.rule for v in broken.violations] == ["pool_overtime_per_day"]
    assert "2400" in broken.violations[0].detail


def test_pool_overtime_per_month_allows_one_48_hour_week_not_two():
    # Two weeks of January, one operator, 48 h a week: 8 h of overtime a week, 16 h in all,
    # over the 12 h a month; the plan keeps 80 + 12 = 92 paid hours.
    templates = [LONG_12H, PART_4H]
    strict = _plan_scenario(14, 48, templates)
    # The weeks alone break the cap; the weeks with their shares of it (6 h each) give 88 h,
    # and the coupled model, in the quarter of the time left, finds 92 h: 15 s leaves it enough
    # on a loaded machine (8 s did not at a load average of 8).
    result = _solve(strict, seconds=15.0)
    assert result.kpis.paid_hours == pytest.approx(92)
    assert independent_blocks(strict) == [(0, 14)]
    loose = _solve(_plan_scenario(14, 48, templates, max_overtime_hours_per_month=16))
    assert loose.kpis.paid_hours == pytest.approx(96)  # exactly at a 16-hour cap
    broken = validate_plan(strict, loose.plan)
    assert [v.rule for v in broken.violations] == ["pool_overtime_per_month"]
    assert "at least 16.00 h of overtime" in broken.violations[0].detail
    assert "may still work 12.00 h" in broken.violations[0].detail


def test_weeks_are_solved_alone_when_their_plans_keep_the_monthly_cap():
    # Work in the first week only: 8 h of overtime is within the month's 12 h, so the two weeks
    # alone (a relaxation) already give a plan of the coupled problem.
    scenario = _plan_scenario(14, 48, [LONG_12H, PART_4H])
    first_week = np.repeat([[1], [0]], 7, axis=0) * np.ones((14, 48), dtype=int)
    requirement = flat_requirement(scenario, {"a": first_week})
    result = plan_shifts(scenario, requirement=requirement, time_limit_seconds=3.0)
    assert result.validation.ok, result.validation.summary()
    assert result.solve.independent_parts == 2
    assert result.kpis.paid_hours == pytest.approx(48)


def test_pool_overtime_per_year_counts_the_operators_overtime_before_the_horizon():
    # A year cap of 20 h with 15 h already worked this year: 5 h left for a week of up to 48 h.
    templates = [LONG_12H, PART_4H]
    operators = "id,pool,overtime_hours_this_year\nx,team,15\n"
    base = _plan_scenario(7, 48, templates, max_overtime_hours_per_year=20)
    scenario = _with_operators(base, operators)
    result = _solve(scenario)
    assert result.kpis.paid_hours == pytest.approx(44)  # 40 + 4: whole shifts of 12 and 4 h
    loose = _solve(base)
    assert loose.kpis.paid_hours == pytest.approx(48)
    broken = validate_plan(scenario, loose.plan)
    assert [v.rule for v in broken.violations] == ["pool_overtime_per_year"]


def _with_operators(scenario, text: str):
    from planner.io.operators_file import parse_operators

    operators, issues = parse_operators(text, "team.csv", scenario)
    assert not issues, issues
    return scenario.with_operators(operators)


# --------------------------------------------------------------------------------------------------
# Roster: overtime_per_day / _per_month / _per_year
# --------------------------------------------------------------------------------------------------


def _roster_pool(hours: float = 48) -> dict:
    return {
        "name": "team",
        "skills": ["a"],
        "headcount": 3,
        "shift_templates": ["short", "day", "long"],
        "max_hours_per_week": hours,
    }


def test_overtime_per_day_in_the_roster():
    # Six working days, 52 h contract: 4 long (11 h) + a day shift (7.5 h) = 51.5 h in 5 shifts,
    # 11.5 h of overtime > 2 h x 5; with a 4-hour shift instead, 48 h (8 h <= 10 h).
    scenario = roster_micro(labour={"min_days_off_per_week": 1}, pools=[_roster_pool(52)])
    x = [op("x", contract_hours_per_week=52)]
    longs = [shift(d, "long") for d in (0, 2, 4, 6)]
    result = roster(scenario, plan(*longs, shift(1, "day")), x)
    assert len(result.unassigned) == 1
    assert "overtime per day worked in week 1" in result.unassigned["reason"].iloc[0]
    assert named(result, "overtime_per_day", "team week 1")
    assert roster(scenario, plan(*longs, shift(1, "short")), x).unassigned.empty
    exact = roster_micro(
        labour={"min_days_off_per_week": 1, "max_overtime_hours_per_day": 2.3},
        pools=[_roster_pool(52)],
    )  # 11.5 h = 2.3 h x 5 exactly
    kept = roster(exact, plan(*longs, shift(1, "day")), x)
    assert kept.unassigned.empty
    broken = validate_roster(scenario, x, kept.roster)
    assert [v.rule for v in broken.violations] == ["overtime_per_day"]
    assert "11.5 h of overtime" in broken.violations[0].detail


def _heavy_week(first: int) -> list[dict]:
    """3 long + 2 day shifts: 48 paid hours, 8 h of overtime."""
    return [shift(first + d, "long") for d in (0, 2, 4)] + [shift(first + d, "day") for d in (1, 3)]


def _light_week(first: int) -> list[dict]:
    """4 long shifts: 44 paid hours, 4 h of overtime."""
    return [shift(first + d, "long") for d in (0, 2, 4, 6)]


def test_overtime_per_month_in_the_roster():
    scenario = roster_micro(horizon={"days": 14})
    x = [op("x")]
    two_heavy = plan(*_heavy_week(0), *_heavy_week(7))  # 8 + 8 = 16 h > 12 h
    result = roster(scenario, two_heavy, x)
    assert len(result.unassigned) == 1
    assert "overtime allowance for the month" in result.unassigned["reason"].iloc[0]
    assert named(result, "overtime_per_month", "team 2024-01")
    exact = plan(*_heavy_week(0), *_light_week(7))  # 8 + 4 = 12 h: exactly the cap
    assert roster(scenario, exact, x).unassigned.empty
    # One hour already worked this month: the same weeks are now one hour over.
    used = [op("x", overtime_hours_this_month=1, overtime_hours_this_year=1)]
    assert len(roster(scenario, exact, used).unassigned) == 1
    loose = roster_micro(horizon={"days": 14}, labour={"max_overtime_hours_per_month": 16})
    kept = roster(loose, two_heavy, x)
    assert kept.unassigned.empty
    broken = validate_roster(scenario, x, kept.roster)
    assert [v.rule for v in broken.violations] == ["overtime_per_month"]
    assert "16 h of overtime" in broken.violations[0].detail


def test_overtime_per_year_in_the_roster():
    scenario = roster_micro(labour={"max_overtime_hours_per_year": 20})
    week = plan(*_heavy_week(0))  # 8 h of overtime
    assert roster(scenario, week, [op("x", overtime_hours_this_year=12)]).unassigned.empty
    used = [op("x", overtime_hours_this_year=13)]  # 7 h left
    result = roster(scenario, week, used)
    assert len(result.unassigned) == 1
    assert named(result, "overtime_per_year", "team 2024")
    kept = roster(roster_micro(), week, used)
    broken = validate_roster(scenario, used, kept.roster)
    assert [v.rule for v in broken.violations] == ["overtime_per_year"]
    assert "after 13 h worked before the horizon" in broken.violations[0].detail


def test_operators_file_reads_the_overtime_already_worked():
    from planner.io.operators_file import parse_operators

    scenario = roster_micro()
    text = "id,pool,overtime_hours_this_month,overtime_hours_this_year\nx,team,3,30\ny,team,,\n"
    (x, y), issues = parse_operators(text, "team.csv", scenario)
    assert not issues
    assert (x.overtime_hours_this_month, x.overtime_hours_this_year) == (3.0, 30.0)
    assert (y.overtime_hours_this_month, y.overtime_hours_this_year) == (0.0, 0.0)
    bad = "id,pool,overtime_hours_this_month,overtime_hours_this_year\nx,team,13,5\ny,team,5,3\n"
    _, issues = parse_operators(bad, "team.csv", scenario)
    text = [str(i) for i in issues]
    assert any("overtime_hours_this_month" in t and "12 h" in t for t in text), text
    assert any("must be at least overtime_hours_this_month" in t for t in text), text
