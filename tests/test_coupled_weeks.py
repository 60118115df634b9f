"""Horizons whose weeks a rule couples (a pool's part-time share of the horizon): the weeks alone
without the rule bound the whole; the weeks alone with the share held in each week give a plan
that keeps it; the plan's gap is measured against the relaxation, never claimed from the
restriction's own bound."""

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


def test_a_part_time_share_broken_by_the_weeks_alone_is_kept_week_by_week():
    scenario = _two_weeks(0.3)
    requirement = _requirement(scenario)
    result = plan_shifts(scenario, requirement=requirement, time_limit_seconds=8.0)
    assert result.validation.ok, result.validation.summary()
    shifts = result.plan.shifts
    part = sum(g.agents for g in shifts if g.template == "part")
    every = sum(g.agents for g in shifts)
    assert part <= 0.3 * every
    # The relaxation (7 part-time shifts in week 1) costs less than any plan that keeps the
    # share, so the plan is not claimed optimal and its bound is below its objective.
    assert result.solve.status == "FEASIBLE"
    assert result.solve.best_bound < result.solve.objective
    # Unconstrained, the weeks alone take part-time shifts all week 1: that plan breaks the share.
    loose = plan_shifts(_two_weeks(1.0), requirement=requirement, time_limit_seconds=8.0)
    broken = validate_plan(scenario, loose.plan)
    assert [v.rule for v in broken.violations] == ["part_time_share"]
    assert result.solve.best_bound <= loose.solve.objective + 1e-6


def test_a_share_the_weeks_alone_keep_needs_no_second_pass():
    scenario = _two_weeks(0.5)  # 7 part-time of 14 shifts: exactly the share
    result = plan_shifts(scenario, requirement=_requirement(scenario), time_limit_seconds=8.0)
    assert result.validation.ok, result.validation.summary()
    assert result.solve.independent_parts == 2
    assert sum(g.agents for g in result.plan.shifts if g.template == "part") == 7
