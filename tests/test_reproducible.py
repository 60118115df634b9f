"""``solver.reproducible``: the deterministic limit alone ends a plan's search, so a sweep's
table does not depend on how busy the machine or the executor is (issue 13)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from planner.cpsat.solve import configure
from planner.domain.scenario import SolverSettings
from planner.io.scenario_file import load_scenario
from planner.study import TIMING_COLUMNS, LocalProcesses, sweep
from planner.study.tables import _hit_time_limit
from tests.test_national_sweep import national


def test_a_reproducible_solve_has_no_wall_clock_limit():
    """A wall-clock safety of 10 x the limit still cut searches short at a load of 4-5 on
    2 cores (a deterministic second then took up to 11 s), which changed their bounds."""
    plain = SolverSettings(time_limit_seconds=10.0)
    solver = configure(plain, wall_seconds=4.0)
    assert solver.parameters.max_deterministic_time == 10.0
    assert solver.parameters.max_time_in_seconds == 4.0
    kept = configure(plain.model_copy(update={"reproducible": True}), wall_seconds=4.0)
    assert kept.parameters.max_deterministic_time == 10.0
    assert math.isinf(kept.parameters.max_time_in_seconds)


def test_a_reproducible_solve_is_never_flagged_as_cut_by_the_wall_clock():
    class Report:
        status, time_limit_seconds, reproducible = "FEASIBLE", 10.0, True

    report = Report()
    report.solve_seconds = 500.0  # far past the limit: the work limit ended it all the same
    assert not _hit_time_limit(report)
    report.reproducible = False
    report.solve_seconds = 10.0
    assert _hit_time_limit(report)


def test_a_reproducible_plan_ignores_a_slow_clock(monkeypatch):
    """The planner's own decisions (warm starts, shares of the time, the evaluation's
    reserve) must not read the wall clock either: with the clock running 50 times fast, as on
    a machine 50 times slower, the plan is the same, objective and bound."""
    import time as clock

    from planner.shiftplan import plan_shifts

    scenario = load_scenario("scenarios/emergency.yaml")
    options = {"time_limit_seconds": 3.0, "reproducible": True}
    first = plan_shifts(scenario, **options).solve
    real = clock.perf_counter
    origin = real()
    monkeypatch.setattr(clock, "perf_counter", lambda: origin + 50 * (real() - origin))
    slow = plan_shifts(scenario, **options).solve
    assert (slow.objective, slow.best_bound, slow.status) == (
        first.objective,
        first.best_bound,
        first.status,
    )


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
