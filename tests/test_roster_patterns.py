"""A week's roster by patterns (:mod:`planner.roster.patterns`): the fewest unassigned shifts
of a week when operators are alike, its bound, and the rules across the week boundary.

Micro plans written by hand; every roster read back from the patterns is checked by the
solver-free validator, and the fewest unassigned shifts are checked against CP-SAT on the whole
roster model.
"""

from __future__ import annotations

import numpy as np
import pytest
from ortools.sat.python import cp_model

from planner.cpsat.clock import Clock
from planner.io.plan_tables import plan_from_tables
from planner.roster import assign
from planner.roster.blocks import _to_local, pool_instance, week_instance
from planner.roster.heuristic import greedy_roster
from planner.roster.instance import build_roster_instance
from planner.roster.model import build_model
from planner.roster.patterns import pattern_bound, pattern_week
from planner.roster.relaxation import counting_bound
from planner.roster.report import roster_tables
from planner.roster.rules import COVERAGE_RULES, unassigned_count
from planner.validate.roster import validate_roster
from tests.test_roster_rules import BASE, MONDAY, micro, op, plan, roster, shift

FORTY = {"pools": [{**BASE["pools"][0], "max_hours_per_week": 40}]}


def forty(n: int):
    """``n`` alike operators on 40-hour contracts (no overtime)."""
    return [op(f"x{i}", contract_hours_per_week=40.0) for i in range(n)]


def packing_week():
    """Two operators, 40 h each: two 12-hour shifts on Monday, Wednesday and Friday and two
    8-hour ones on Tuesday. Hours alone (4,860 of 4,800 minutes) leave one shift over, but an
    operator can work at most three of them (3 x 11 h, or 2 x 11 h + 7.5 h; 3 x 11 h + 7.5 h is
    over 40 h, and there is only one Tuesday each): two stay unassigned."""
    return plan(
        shift(0, "long", agents=2),
        shift(1, "day", agents=2),
        shift(2, "long", agents=2),
        shift(4, "long", agents=2),
    )


def fewest_unassigned(inst, context=None) -> int:
    """The fewest unassigned shifts by CP-SAT on the whole roster model (``context``: fixed
    ``(operator, kind)`` pairs)."""
    rm = build_model(inst, soft_rules=COVERAGE_RULES)
    for o, k in [] if context is None else context.tolist():
        rm.model.add(rm.variables.assign[(o, k)] == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(rm.model) == cp_model.OPTIMAL
    return round(solver.value(unassigned_count(rm.variables)))


def checked(scenario, operators, planned, inst, shift_of):
    table, missing = roster_tables(inst, shift_of)
    report = validate_roster(scenario, operators, table, plan=planned, unassigned=missing)
    assert report.ok, report.summary()
    return missing


def test_a_packing_week_by_patterns_is_optimal_and_bounded_above_the_counting_bound():
    scenario = micro(**FORTY)
    operators = forty(2)
    planned = plan_from_tables(scenario, packing_week())
    inst = build_roster_instance(scenario, operators, planned)
    settings = scenario.solver
    empty = np.full((2, inst.days), -1, dtype=np.int64)
    week = pattern_week(inst, empty, 0, 7, Clock(settings), 5.0)
    assert week is not None and week.optimal
    assert week.unassigned == week.bound == 2 == fewest_unassigned(inst)
    assert len(checked(scenario, operators, planned, inst, week.shift_of)) == 2
    assert counting_bound(inst, settings, 5.0).shifts == 1  # hours alone: one shift over
    assert pattern_bound(inst, Clock(settings), 5.0) == 2


def test_roster_plan_by_blocks_reports_the_pattern_bound(monkeypatch):
    monkeypatch.setattr(assign, "DECOMPOSE_VARIABLES", 0)
    scenario = micro(**FORTY)
    result = roster(scenario, packing_week(), forty(2), time_limit_seconds=5.0)
    assert len(result.unassigned) == 2 == result.unassigned_bound


def test_the_pattern_week_equals_cp_sat_on_a_mixed_week():
    scenario = micro(**FORTY)
    operators = forty(4)
    shifts = plan(
        shift(0, "long", agents=3),
        shift(1, "long", agents=2),
        shift(1, "day", "12:00", agents=2),
        shift(2, "long", agents=3),
        shift(3, "day", agents=3),
        shift(3, "short", "17:00", agents=1),
        shift(4, "long", agents=3),
        shift(5, "day", agents=2),
        shift(6, "short", agents=2),
    )
    planned = plan_from_tables(scenario, shifts)
    inst = build_roster_instance(scenario, operators, planned)
    empty = np.full((4, inst.days), -1, dtype=np.int64)
    week = pattern_week(inst, empty, 0, 7, Clock(scenario.solver), 5.0)
    assert week is not None and week.optimal
    assert week.unassigned == fewest_unassigned(inst)
    greedy = greedy_roster(inst).shift_of
    assert week.unassigned <= len(checked(scenario, operators, planned, inst, greedy))
    assert len(checked(scenario, operators, planned, inst, week.shift_of)) == week.unassigned


@pytest.mark.parametrize(
    "week_two",
    [
        # Monday and Tuesday: each may work one (seven days in a row otherwise).
        [shift(7, "day", agents=2), shift(8, "day", agents=2)],
        # Monday a 12-hour shift after Sunday's: nobody may.
        [shift(7, "long", agents=2)],
    ],
    ids=["run_of_days", "long_after_long"],
)
def test_the_rules_across_the_week_boundary_are_kept(week_two):
    # Week 1: both work Wednesday to Sunday, Sunday a 12-hour shift. Without the days before
    # it, every shift of week 2 fits.
    scenario = micro(horizon={"start_date": MONDAY.isoformat(), "days": 14}, **FORTY)
    operators = forty(2)
    shifts = plan(
        *(shift(d, "short", agents=2) for d in range(2, 6)), shift(6, "long", agents=2), *week_two
    )
    planned = plan_from_tables(scenario, shifts)
    inst = build_roster_instance(scenario, operators, planned)
    pinst, _, _ = pool_instance(inst, 0)
    first_week = greedy_roster(pinst).shift_of
    first_week[:, 7:] = -1
    assert (first_week[:, 2:7] >= 0).all()  # the greedy gives week 1 whole
    winst, context, origin = week_instance(pinst, first_week, 7, 14)
    start = _to_local(first_week, origin, len(pinst.kinds))
    settings = scenario.solver
    week = pattern_week(winst, start, 7, 14, Clock(settings), 5.0)
    assert week is not None and week.optimal
    assert week.unassigned == week.bound == 2 == fewest_unassigned(winst, context)
    combined = first_week.copy()
    later = week.shift_of[:, 7:]
    combined[:, 7:] = np.where(later >= 0, origin[later], -1)
    assert len(checked(scenario, operators, planned, pinst, combined)) == 2
    fresh = np.full_like(start, -1)
    alone = pattern_week(winst, fresh, 7, 14, Clock(settings), 5.0)
    assert alone is not None and alone.unassigned == 0  # nothing carried: every shift fits
