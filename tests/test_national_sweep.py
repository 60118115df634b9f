"""National sweeps (issue 13): the five centres over several weeks and surge sizes, on a Dask
cluster with the same table as local processes, and the national surge set at every site by
one name pattern."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.errors import ScenarioError
from planner.io.scenario_file import load_scenario
from planner.overrides import apply_overrides
from planner.study import TIMING_COLUMNS, DaskCluster, LocalProcesses, sweep
from tests.test_national import SCENARIOS

SURGE = "surges[food_and_cash_questions@*].peak_multiplier"


def national():
    return load_scenario(SCENARIOS / "national_emergency.yaml")


def test_a_name_pattern_sets_the_surge_at_every_site():
    base = national()
    changed = apply_overrides(base, {SURGE: 4.0})
    by_name = {s.name: s for s in changed.surges}
    sites = [s.name for s in base.surges if s.name.startswith("food_and_cash_questions@")]
    assert len(sites) == 5
    assert all(by_name[name].peak_multiplier == 4.0 for name in sites)
    # the other surge is left as it was
    untouched = [s for s in changed.surges if s.name.startswith("missing_persons_line@")]
    assert untouched == [s for s in base.surges if s.name.startswith("missing_persons_line@")]


def test_a_pattern_that_matches_nothing_names_what_there_is():
    with pytest.raises(ScenarioError) as caught:
        apply_overrides(national(), {"surges[flood@*].peak_multiplier": 2.0})
    text = str(caught.value)
    assert "surges[flood@*]" in text and "matches no surge" in text
    assert "food_and_cash_questions@kokshetau" in text


@pytest.mark.slow  # a Dask cluster started and 8 national plans solved twice
def test_a_national_sweep_on_dask_equals_local_processes():
    distributed = pytest.importorskip("distributed")
    base = national()
    grid = {
        "horizon.start_date": ["2022-01-10", "2022-01-17"],
        SURGE: [1.0, 2.5],
        # Room enough that every solve ends on its 1 % gap (a couple of seconds of CPU each),
        # not on the wall clock, which a busy machine would make differ between the runs.
        "solver.time_limit_seconds": [30.0],
    }
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = sweep(base, grid, executor=DaskCluster(client))
    here = sweep(base, grid, executor=LocalProcesses(2))
    timing = list(TIMING_COLUMNS)
    pd.testing.assert_frame_equal(
        on_dask.table.drop(columns=timing), here.table.drop(columns=timing)
    )
    table = here.table
    assert len(table) == 4 and set(table["status"]) <= {"OPTIMAL", "FEASIBLE"}
    # a bigger national surge costs more in the same week; the second week is quieter
    first = table[table["horizon.start_date"] == "2022-01-10"].sort_values(SURGE)
    assert first["cost"].is_monotonic_increasing
    assert (
        table.loc[table["horizon.start_date"] == "2022-01-17", "cost"].max() < first["cost"].min()
    )
