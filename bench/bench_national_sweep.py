"""National sweep: the five centres x weeks x surge sizes, on local processes and on a Dask
cluster, the two tables checked equal (issue 13). Figures printed; not a timed test.

Each point is ``scenarios/national_emergency.yaml`` over ``--days`` days from a week's Monday
(``horizon.start_date``), with the national consulting surge at every site scaled
(``surges[food_and_cash_questions@*].peak_multiplier``). The Dask run uses ``--scheduler
ADDRESS`` when given, else a ``LocalCluster`` of ``--workers`` processes (one thread each).

Usage: ``python bench/bench_national_sweep.py [--weeks 13] [--surges 1,2.5] [--days 7]
[--time-limit 30] [--workers 2] [--scheduler tcp://host:8786] [--reproducible]``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd

from planner.io.scenario_file import load_scenario
from planner.study import TIMING_COLUMNS, DaskCluster, LocalProcesses, sweep

SURGE = "surges[food_and_cash_questions@*].peak_multiplier"


def timed(label, base, grid, executor):
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    result = sweep(base, grid, executor=executor)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    solve = result.table["solve_seconds"].sum() if "solve_seconds" in result.table else float("nan")
    print(
        f"{label}: {len(result.table)} points in {wall:.1f} s wall (this process {cpu:.1f} s CPU; "
        f"the points' solves {solve:.1f} s in all), load {load:.1f} before"
    )
    return result


def report_differences(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    """Print which columns differ, and on which points, with both values."""
    if list(ours.columns) != list(theirs.columns) or len(ours) != len(theirs):
        print(f"columns or rows differ: {list(ours.columns)} / {list(theirs.columns)}")
        return
    for column in ours.columns:
        a, b = ours[column], theirs[column]
        if a.equals(b):
            continue
        if a.dtype != b.dtype:
            print(f"  {column}: dtype {a.dtype} here, {b.dtype} on Dask")
        rows = [
            k
            for k in range(len(a))
            if not (a.iloc[k] == b.iloc[k] or (a.iloc[k] != a.iloc[k] and b.iloc[k] != b.iloc[k]))
        ]
        for k in rows[:5]:
            print(f"  {column}, point {k}: {a.iloc[k]!r} here, {b.iloc[k]!r} on Dask")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--weeks", type=int, default=13)
    p.add_argument("--surges", default="1,2.5")
    p.add_argument("--days", type=int, default=7)
    p.add_argument("--time-limit", type=float, default=30.0)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--scheduler")
    p.add_argument(
        "--reproducible",
        action="store_true",
        help="solver.reproducible: each point's deterministic limit alone ends its search",
    )
    args = p.parse_args()
    os.chdir(Path(__file__).resolve().parent.parent)
    base = load_scenario("scenarios/national_emergency.yaml")
    first = date(2022, 1, 10)
    grid = {
        "horizon.start_date": [str(first + timedelta(weeks=k)) for k in range(args.weeks)],
        SURGE: [float(x) for x in args.surges.split(",")],
        "horizon.days": [args.days],
        "solver.time_limit_seconds": [args.time_limit],
        "solver.reproducible": [args.reproducible],
    }
    points = args.weeks * len(grid[SURGE])
    print(
        f"# bench_national_sweep ({time.strftime('%Y-%m-%d')}; {os.cpu_count()} cores): five "
        f"centres x {args.weeks} weeks x surges {grid[SURGE]} = {points} points of {args.days} "
        f"days, {args.time_limit:.0f} s limit each"
    )
    here = timed("local processes", base, grid, LocalProcesses(args.workers))
    if args.scheduler:
        on_dask = timed(f"Dask at {args.scheduler}", base, grid, DaskCluster(args.scheduler))
    else:
        import distributed

        with (
            distributed.LocalCluster(
                n_workers=args.workers, threads_per_worker=1, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            on_dask = timed("Dask LocalCluster", base, grid, DaskCluster(client))
    timing = list(TIMING_COLUMNS)
    ours, theirs = here.table.drop(columns=timing), on_dask.table.drop(columns=timing)
    same = theirs.equals(ours)
    print(f"same table on both: {same}")
    if not same:
        report_differences(ours, theirs)
    table = here.table
    statuses = table["status"].value_counts().to_dict()
    print(f"statuses: {statuses}; worst gap {table['gap'].max():.2%}")
    summary = table.pivot_table(index="horizon.start_date", columns=SURGE, values="cost")
    with pd.option_context("display.width", 200):
        print("cost by week (rows) and surge size (columns):")
        print(summary.round(0).to_string())


if __name__ == "__main__":
    main()
