"""Horizons whose weeks a rule couples (a pool's part-time share of the horizon, monthly overtime
caps): the weeks alone without the rule bound the whole; the weeks alone with the share held in
each week (and their share of the caps) give a plan that keeps it, from which the coupled model
starts; the plan's gap is measured against a bound of the whole, never the restriction's."""

from __future__ import annotations

import numpy as np

from planner.shiftplan import plan_shifts
from planner.validate.plan import validate_plan
from tests.optimise_helpers import flat_requirement, micro

PART = {"name": "part", "length_minutes": 240, "part_time": True}
FULL = {"name": "full", "length_minutes": 480}


def _two_weeks(share: float):
    return micro(
        horizon={"days": 14, "window_end": "17:00"},
        shift_templates=[FULL, PART],
        pools=[
            {
                "name": "team",
                "skills": ["a"],
                "headcount": 2,
                "cost_per_hour": 10.0,
                "shift_templates": ["full", "part"],
                "max_part_time_share": share,
            }
        ],
    )


def _requirement(scenario):
    # Week 1 needs one agent for the first 4 hours of each day (a part-time shift's worth);
    # week 2 one agent all day (a full shift).
    need = np.zeros((14, 32), dtype=int)
    need[:7, :16] = 1
    need[7:, :] = 1
    return flat_requirement(scenario, {"a": need})


def test_a_part_time_share_broken_by_the_weeks_alone_is_kept_and_then_improved_on():
    scenario = _two_weeks(0.3)
    requirement = _requirement(scenario)
    result = plan_shifts(scenario, requirement=requirement, time_limit_seconds=8.0)
    assert result.validation.ok, result.validation.summary()
    shifts = result.plan.shifts
    part = sum(g.agents for g in shifts if g.template == "part")
    every = sum(g.agents for g in shifts)
    assert part <= 0.3 * every
    # Held in each week the share allows 2 part-time shifts a week; the horizon's share allows
    # 4 of the 14 shifts, all in week 1, and the coupled model, started from the week-by-week
    # plan, finds them.
    assert part == 4
    assert result.solve.best_bound <= result.solve.objective + 1e-6
    # Unconstrained, the weeks alone take part-time shifts all week 1: that plan breaks the share.
    loose = plan_shifts(_two_weeks(1.0), requirement=requirement, time_limit_seconds=8.0)
    broken = validate_plan(scenario, loose.plan)
    assert [v.rule for v in broken.violations] == ["part_time_share"]
    assert loose.solve.objective <= result.solve.objective  # the share costs something


def test_a_share_the_weeks_alone_keep_needs_no_second_pass():
    scenario = _two_weeks(0.5)  # 7 part-time of 14 shifts: exactly the share
    result = plan_shifts(scenario, requirement=_requirement(scenario), time_limit_seconds=8.0)
    assert result.validation.ok, result.validation.summary()
    assert result.solve.independent_parts == 2
    assert sum(g.agents for g in result.plan.shifts if g.template == "part") == 7


def test_weeks_over_their_share_of_a_monthly_cap_are_solved_again_within_it():
    """Two weeks of 48 h for one operator use 16 h of overtime against January's 12 h: each
    week's share of the cap is 6 h (in proportion to what the weeks alone used), and the weeks
    solved within their shares keep the cap together."""
    from planner.shiftplan import overtime_budgets
    from tests.test_overtime import LONG_12H, PART_4H, _plan_scenario

    scenario = _plan_scenario(14, 48, [LONG_12H, PART_4H])
    loose = plan_shifts(
        _plan_scenario(14, 48, [LONG_12H, PART_4H], max_overtime_hours_per_month=100),
        requirement=flat_requirement(scenario, {"a": 1}),
        time_limit_seconds=3.0,
    )
    budgets = overtime_budgets(scenario, loose.plan)
    assert sorted(budgets) == [(0, 0), (0, 1)]
    assert [b for _, b in budgets.values()] == [6 * 60, 6 * 60]
    assert sum(b for _, b in budgets.values()) <= 12 * 60
    assert validate_plan(scenario, loose.plan).violations[0].rule == "pool_overtime_per_month"
