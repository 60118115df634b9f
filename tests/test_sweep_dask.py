"""A sweep on a Dask distributed cluster gives the same table as in this process.

A real two-worker ``LocalCluster`` (separate processes, one thread each), so that scenarios and
results cross process boundaries through Dask's own serialisation, as on a remote cluster.
"""

from __future__ import annotations

import pandas as pd
import pytest

from planner.io.scenario_file import parse_scenario
from planner.study import TIMING_COLUMNS, DaskCluster, InProcess, sweep
from tests.test_compare import TINY

pytestmark = pytest.mark.slow  # a Dask cluster started and sweeps solved

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_a_dask_sweep_equals_the_in_process_sweep(client):
    base = parse_scenario(TINY, source="tiny")
    grid = {"pools[borrowed].headcount": [0, 4, -2], "surges[0].peak_multiplier": [1.0, 1.8]}
    executor = DaskCluster(client)
    assert executor.workers == 2
    on_dask = sweep(base, grid, executor=executor)
    here = sweep(base, grid, executor=InProcess())
    timing = list(TIMING_COLUMNS)
    pd.testing.assert_frame_equal(
        on_dask.table.drop(columns=timing), here.table.drop(columns=timing)
    )
    statuses = on_dask.table["status"].tolist()
    assert statuses.count("INVALID") == 2 and statuses.count("OPTIMAL") == 4
    assert len(set(on_dask.table["cost"].dropna())) > 1
    executor.close()  # a client given by the caller stays open
    assert client.status == "running"


def test_a_dask_sweep_stopped_after_its_first_point_keeps_it_and_cancels_the_rest(client):
    import threading

    from planner.study import STOPPED

    base = parse_scenario(TINY, source="tiny")
    stop = threading.Event()
    grid = {"pools[borrowed].headcount": [0, 1, 2, 3, 4, 5]}
    result = sweep(
        base, grid, executor=DaskCluster(client), progress=lambda p: stop.set(), stop=stop
    )
    finished = [p for p in result.points if not p.stopped]
    assert len(finished) >= 1 and all(p.ok for p in finished)
    assert len(result.stopped) >= 1  # the stop came before the last points were sent back
    assert all(p.kpis["status"] == STOPPED for p in result.stopped)
    assert len(finished) + len(result.stopped) == 6
