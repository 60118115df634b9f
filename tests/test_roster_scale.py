"""Rosters solved block by block (:mod:`planner.roster.blocks`): by pool, and week by week with
the days before each week fixed as context.

Plans are written by hand as shifts tables (no shift sizing runs here), and every roster is
checked by the solver-free validator, which checks the rules across the week boundary on the
combined roster. The boundary tests also show that the same weeks solved *without* their
context break those rules: the context is what keeps them.
"""

from __future__ import annotations

import numpy as np
import pytest

from planner.cpsat.clock import Clock
from planner.io.plan_tables import plan_from_tables
from planner.roster import assign
from planner.roster.blocks import plan_blocks, pool_instance, roster_by_blocks
from planner.roster.heuristic import greedy_roster
from planner.roster.instance import build_roster_instance
from planner.roster.relaxation import counting_bound
from planner.roster.report import roster_tables
from planner.validate.roster import validate_roster
from tests.test_roster_rules import BASE, MONDAY, micro, op, plan, shift

TWO_WEEKS = {"start_date": MONDAY.isoformat(), "days": 14}


def two_pools(**changes):
    """Two weeks, two pools with one skill each (``a`` and ``b``)."""
    return micro(
        horizon=TWO_WEEKS,
        queues=[
            {"name": "a", "aht_seconds": 300, "demand": {"calls_per_day": 100}},
            {"name": "b", "aht_seconds": 300, "demand": {"calls_per_day": 100}},
        ],
        pools=[
            {**BASE["pools"][0], "name": "a_team", "skills": ["a"], "max_hours_per_week": 40},
            {**BASE["pools"][0], "name": "b_team", "skills": ["b"], "max_hours_per_week": 40},
        ],
        **changes,
    )


def team(pool: str, skill: str, n: int, **fields):
    return [op(f"{pool}-{i:02d}", pool=pool, skills=(skill,), **fields) for i in range(n)]


def busy_plan(per_day: dict[str, int], days: int = 14):
    """Every day, each pool's shifts: mostly 8-hour days at 09:00 and 13:00, a 12-hour shift
    and a 4-hour evening shift, ``per_day[pool]`` in all."""
    rows = []
    for d in range(days):
        for pool, n in per_day.items():
            rows.append(shift(d, "long", "09:00", pool=pool))
            rows.append(shift(d, "short", "17:00", pool=pool))
            rows.append(shift(d, "day", "09:00", agents=(n - 2) // 2, pool=pool))
            rows.append(shift(d, "day", "13:00", agents=n - 2 - (n - 2) // 2, pool=pool))
    return plan(*rows)


def by_blocks(scenario, shifts, operators, seconds=2.0, week_split=0):
    """The roster by blocks (every pool week by week with ``week_split=0``), its tables and
    the validator's report."""
    planned = plan_from_tables(scenario, shifts)
    inst = build_roster_instance(scenario, operators, planned)
    out = roster_by_blocks(inst, scenario.solver, Clock(scenario.solver), seconds, week_split=0)
    roster, unassigned = roster_tables(inst, out.shift_of)
    report = validate_roster(scenario, operators, roster, plan=planned, unassigned=unassigned)
    return inst, out, unassigned, report


def without_context(inst, shift_of, first: int):
    """The days from ``first`` rostered greedily as if the days before were empty, put after
    the days before ``first`` of ``shift_of``: a decomposition with no context."""
    later = greedy_roster(inst, fixed=np.full_like(shift_of, -1), from_day=first).shift_of
    combined = shift_of.copy()
    combined[:, first:] = later[:, first:]
    return combined


def check(scenario, inst, shift_of, operators, shifts):
    roster, unassigned = roster_tables(inst, shift_of)
    planned = plan_from_tables(scenario, shifts)
    return validate_roster(scenario, operators, roster, plan=planned, unassigned=unassigned)


def test_rest_across_the_week_boundary_is_kept():
    # 07:00-23:00: three operators work Sunday until 23:00, Monday's shifts start at 07:00.
    scenario = micro(
        horizon={**TWO_WEEKS, "window_start": "07:00", "window_end": "23:00"},
        queues=[
            {"name": "a", "aht_seconds": 300, "demand": {"calls_per_day": 100, "profile": "flat"}}
        ],
    )
    operators = [op("x"), op("y"), op("z")]
    shifts = plan(shift(6, "day", "15:00", agents=3), shift(7, "day", "07:00", agents=3))
    inst, out, unassigned, report = by_blocks(scenario, shifts, operators)
    assert [b.week for b in plan_blocks(inst, [0], 0)] == [0, 1]  # two weeks, two blocks
    assert report.ok, report.summary()
    assert len(unassigned) == 3
    assert set(unassigned["day"].astype(str)) == {"2024-01-08"}  # Monday: too little rest
    naive = check(scenario, inst, without_context(inst, out.shift_of, 7), operators, shifts)
    assert not naive.ok and "min_rest" in {v.rule for v in naive.violations}


def test_runs_of_days_across_the_week_boundary_are_kept():
    # Wednesday to Sunday, then Monday and Tuesday: seven days in a row for whoever works all.
    scenario = micro(horizon=TWO_WEEKS, pools=[{**BASE["pools"][0], "max_hours_per_week": 40}])
    operators = [op("x", contract_hours_per_week=40.0), op("y", contract_hours_per_week=40.0)]
    shifts = plan(*(shift(d, "day", agents=2) for d in range(2, 9)))
    inst, out, unassigned, report = by_blocks(scenario, shifts, operators)
    assert not inst.overtime_possible  # the short context: the six days before the week
    assert report.ok, report.summary()
    assert len(unassigned) == 2 == out.bound.shifts  # each may work six of the seven days
    naive = check(scenario, inst, without_context(inst, out.shift_of, 7), operators, shifts)
    assert not naive.ok and "max_consecutive_days" in {v.rule for v in naive.violations}


def test_the_same_roster_for_the_same_seed():
    scenario = two_pools()
    operators = team("a_team", "a", 9) + team("b_team", "b", 8)
    shifts = busy_plan({"a_team": 7, "b_team": 6})
    first = by_blocks(scenario, shifts, operators, seconds=1.0)[1]
    again = by_blocks(scenario, shifts, operators, seconds=1.0)[1]
    assert len(first.reports) == 4  # two pools, two weeks each
    assert np.array_equal(first.shift_of, again.shift_of)


def test_per_pool_bounds_add_up_to_the_global_bound():
    scenario = two_pools()
    operators = team("a_team", "a", 6) + team("b_team", "b", 5)  # too few for the plan
    shifts = busy_plan({"a_team": 7, "b_team": 6})
    planned = plan_from_tables(scenario, shifts)
    inst = build_roster_instance(scenario, operators, planned)
    settings = scenario.solver
    pools = [counting_bound(pool_instance(inst, p)[0], settings, 5.0) for p in (0, 1)]
    whole = counting_bound(inst, settings, 5.0)
    assert all(b.proved and b.shifts > 0 for b in pools)
    assert whole.proved and whole.shifts == sum(b.shifts for b in pools)
    out = roster_by_blocks(inst, settings, Clock(settings), 2.0, week_split=0)
    assert out.bound.shifts == whole.shifts
    _, unassigned = roster_tables(inst, out.shift_of)
    assert len(unassigned) >= whole.shifts  # a bound: no roster does better


def test_multi_week_multi_pool_roster_meets_its_bound_within_tolerance():
    scenario = two_pools()
    operators = team("a_team", "a", 10) + team("b_team", "b", 9)
    shifts = busy_plan({"a_team": 8, "b_team": 7})
    _, out, unassigned, report = by_blocks(scenario, shifts, operators, seconds=4.0)
    assert report.ok, report.summary()
    planned = int(shifts["agents"].sum())
    assert out.bound.shifts <= len(unassigned) <= out.bound.shifts + max(1, 0.01 * planned)
    assert sum(r.unassigned for r in out.reports) == len(unassigned)


@pytest.fixture
def decompose_everything(monkeypatch):
    monkeypatch.setattr(assign, "DECOMPOSE_VARIABLES", 0)
    monkeypatch.setattr("planner.roster.blocks.WEEK_SPLIT_VARIABLES", 0)


def test_roster_plan_solves_a_large_roster_by_blocks_and_reports_each(decompose_everything):
    scenario = two_pools()
    operators = team("a_team", "a", 10) + team("b_team", "b", 9)
    shifts = busy_plan({"a_team": 8, "b_team": 7})
    heard = []
    result = assign.roster_plan(
        scenario,
        plan_from_tables(scenario, shifts),
        operators,
        on_block=heard.append,
        time_limit_seconds=8.0,
    )
    assert result.validation.ok, result.validation.summary()
    assert [r.label.split()[0] for r in heard] == ["a_team", "a_team", "b_team", "b_team"]
    planned = plan_from_tables(scenario, shifts)
    inst = build_roster_instance(scenario, operators, planned)
    pools = sum(
        counting_bound(pool_instance(inst, p)[0], scenario.solver, 5.0).shifts for p in (0, 1)
    )
    assert result.unassigned_bound == pools <= len(result.unassigned)
    assert sum(r.unassigned for r in heard) == len(result.unassigned)
    assert len(result.roster) + len(result.unassigned) == int(shifts["agents"].sum())
