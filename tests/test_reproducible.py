"""``solver.reproducible``: the deterministic limit alone ends a plan's search, so a sweep's
table does not depend on how busy the machine or the executor is (issue 13)."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.cpsat.solve import REPRODUCIBLE_WALL_SLACK as WALL_SLACK
from planner.cpsat.solve import configure
from planner.domain.scenario import SolverSettings
from planner.study import TIMING_COLUMNS, LocalProcesses, sweep
from planner.study.tables import _hit_time_limit
from tests.test_national_sweep import national


def test_the_wall_clock_is_a_safety_only_when_reproducible():
    plain = SolverSettings(time_limit_seconds=10.0)
    solver = configure(plain, wall_seconds=4.0)
    assert solver.parameters.max_deterministic_time == 10.0
    assert solver.parameters.max_time_in_seconds == 4.0
    kept = configure(plain.model_copy(update={"reproducible": True}), wall_seconds=4.0)
    assert kept.parameters.max_deterministic_time == 10.0
    assert kept.parameters.max_time_in_seconds == WALL_SLACK * 10.0


def test_a_reproducible_solve_is_flagged_cut_only_past_the_slack():
    class Report:
        status, time_limit_seconds, reproducible = "FEASIBLE", 10.0, True

    report = Report()
    report.solve_seconds = 12.0  # past the limit, within the slack: the work limit ended it
    assert not _hit_time_limit(report)
    report.solve_seconds = WALL_SLACK * 10.0
    assert _hit_time_limit(report)
    report.reproducible = False
    report.solve_seconds = 10.0
    assert _hit_time_limit(report)


@pytest.mark.slow  # eight national plans, each to its deterministic limit, twice
def test_a_reproducible_sweep_gives_one_table_in_this_process_and_on_two_processes():
    base = national()
    grid = {
        "horizon.start_date": ["2022-01-10", "2022-01-17"],
        "surges[food_and_cash_questions@*].peak_multiplier": [1.0, 2.5],
        # No gap to stop at: every solve runs to its deterministic limit, the case where a
        # wall-clock limit would make the plans depend on the machine's load.
        "solver.relative_gap": [0.0],
        "solver.time_limit_seconds": [1.5],
    }
    alone = sweep(base, grid, executor=LocalProcesses(1), reproducible=True)
    side_by_side = sweep(base, grid, executor=LocalProcesses(2), reproducible=True)
    timing = list(TIMING_COLUMNS)
    table = alone.table
    # The limit, not the gap, ended some searches, and the wall clock ended none.
    assert (table["status"] == "FEASIBLE").any()
    assert not table["hit_time_limit"].any() and not side_by_side.table["hit_time_limit"].any()
    pd.testing.assert_frame_equal(
        side_by_side.table.drop(columns=timing), table.drop(columns=timing)
    )
