"""Benchmark of the store of saved work (prints its figures; not a timed test).

Run from the repository root::

    python bench/bench_store.py [--postgres]

The emergency week (``scenarios/emergency.yaml``) is planned and rostered once through the
library (:func:`planner.chain.roster_scenario`); then, on a fresh SQLite file (and with
``--postgres`` on a throwaway PostgreSQL 15 cluster, ``tests/pg_cluster.py``), median of 5:

1. saving the week's plan: the scenario file as a version with the files it names, and the plan's
   five files and KPIs (:meth:`Store.save_scenario_file`, :meth:`Store.save_plan`);
2. reopening it: the record with its files, and the typed plan read back against the stored
   scenario version (:meth:`Store.open_plan`);
3. saving the roster (eight files, :meth:`Store.save_roster`) and reopening it
   (:meth:`Store.roster`, ``roster.csv`` read into a table);
4. listing 1,000 stored versions of one scenario (:meth:`Store.history`), and every scenario's
   latest version (:meth:`Store.list_scenarios`) with 1,000 versions stored.

Targets (issue 15): under 0.5 s for each save and reopen on SQLite, under 0.2 s for the listing.
"""

from __future__ import annotations

import datetime
import io
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from timing import timed  # noqa: E402

from planner.chain import roster_scenario  # noqa: E402
from planner.io.export import plan_files  # noqa: E402
from planner.io.scenario_file import load_scenario  # noqa: E402
from planner.roster import roster_files  # noqa: E402
from planner.store import Store  # noqa: E402

SCENARIO = ROOT / "scenarios" / "emergency.yaml"
RUNS = 5
VERSIONS = 1000


def _median(label: str, run, target: float | None) -> object:
    runs = [timed(run) for _ in range(RUNS)]
    wall = statistics.median(r[1] for r in runs)
    cpu = statistics.median(r[2] for r in runs)
    verdict = "" if target is None else ("  ok" if wall < target else "  OVER TARGET")
    goal = "" if target is None else f" (target < {target:g} s)"
    print(f"  {label:<46} {wall * 1000:8.1f} ms wall  {cpu * 1000:8.1f} ms CPU{goal}{verdict}")
    return runs[-1][0]


def bench(url: str, plan_bytes: dict[str, bytes], roster_bytes: dict[str, bytes]) -> None:
    with Store(url, upgrade_schema=True) as store:
        print(f"{store.url} ({store.engine.dialect.name})")
        size = sum(map(len, plan_bytes.values())) / 1e6
        rsize = sum(map(len, roster_bytes.values())) / 1e6

        def save_plan():
            version, _ = store.save_scenario_file(SCENARIO, author="bench")
            return store.save_plan(version.id, plan_bytes, author="bench").id

        plan_id = _median(f"save the week's plan ({size:.2f} MB of files)", save_plan, 0.5)

        def reopen_plan():
            record = store.plan(plan_id)
            _scenario, plan = store.open_plan(plan_id)
            return record, plan

        _median("reopen it (files, KPIs and the typed Plan)", reopen_plan, 0.5)
        roster_id = _median(
            f"save the roster ({rsize:.2f} MB of files)",
            lambda: store.save_roster(plan_id, roster_bytes, author="bench").id,
            0.5,
        )

        def reopen_roster():
            record = store.roster(roster_id)
            return pd.read_csv(io.BytesIO(record.files["roster.csv"]))

        _median("reopen it (files, roster.csv as a table)", reopen_roster, 0.5)

        start = time.perf_counter()
        base = len(store.history("emergency"))
        for n in range(base, VERSIONS):
            store.save_scenario("emergency", f"# version {n + 1}\n", author=f"user{n % 7}")
        print(f"  (stored {VERSIONS - base} more versions in {time.perf_counter() - start:.1f} s)")
        listed = _median(
            f"list {VERSIONS:,} stored versions", lambda: store.history("emergency"), 0.2
        )
        assert len(listed) == VERSIONS, len(listed)
        _median("list every scenario's latest version", store.list_scenarios, 0.2)


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    print(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}")
    print(
        f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"uptime: {_uptime()}"
    )
    scenario = load_scenario(SCENARIO)
    result, wall, cpu = timed(lambda: roster_scenario(scenario))
    print(
        f"planned and rostered {scenario.name} once in {wall:.1f} s ({cpu:.1f} s CPU): "
        f"{result.kpis.planned_shifts} shifts, {result.kpis.operators} operators"
    )
    plan_bytes, roster_bytes = plan_files(result.plan), roster_files(result)
    with tempfile.TemporaryDirectory() as folder:
        bench(f"sqlite:///{folder}/planner.db", plan_bytes, roster_bytes)
    if "--postgres" in sys.argv:
        import pg_cluster

        cluster = pg_cluster.Cluster(pg_cluster.binaries())
        try:
            bench(cluster.new_database(), plan_bytes, roster_bytes)
        finally:
            cluster.stop()
    print(f"uptime at the end: {_uptime()}")
    print(f"CPU time of this process: {time.process_time():.1f} s")


if __name__ == "__main__":
    main()
