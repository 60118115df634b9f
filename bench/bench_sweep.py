"""Sweep benchmark: 24 one-week emergency scenarios, sequential vs local processes vs Dask.

    python bench/bench_sweep.py                  # 2 workers, the scenarios' own time limit
    python bench/bench_sweep.py --workers 2 --repeat 2

The sweep is ``scenarios/emergency.yaml`` with ``surges[0].peak_multiplier = 1..6`` x
``pools[borrowed].headcount = 0, 21, 40, 60``: 24 points, each a week of 15-minute intervals,
two lines and three pools, solved with one CP-SAT worker and the scenario's 20 s time limit.

Measured, in one run (the machine is shared and noisy: compare ratios within a run):

1. sequential: every point in this process, one after another (``InProcess``);
2. local processes: ``LocalProcesses(workers)``, pool start-up included;
3. Dask: a ``LocalCluster`` of ``workers`` worker processes with one thread each (cluster
   start-up reported apart, not in the sweep's time);
4. dispatch overhead: the same executors running a function that returns at once over the 24
   point tasks (each carries its scenario), repeated ``--noop-rounds`` times, warm pools: the
   cost per point of sending it out and getting its result back;

and whether the three sweeps' tables are equal (timing columns left out). Before and after the
sweeps of each run, ``workers`` processes spin for a moment to measure how many cores the run
really gets on a shared machine ("cores free": the sum of their CPU over wall time). Prints a
Markdown block for ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pandas as pd  # noqa: E402

from planner.io.scenario_file import load_scenario  # noqa: E402
from planner.overrides import apply_overrides  # noqa: E402
from planner.study import TIMING_COLUMNS, DaskCluster, InProcess, LocalProcesses, sweep  # noqa: E402
from planner.study.points import _Task, solver_overrides  # noqa: E402

GRID = {
    "surges[0].peak_multiplier": [1, 2, 3, 4, 5, 6],
    "pools[borrowed].headcount": [0, 21, 40, 60],
}


def spin(_: int) -> tuple[float, float]:
    """Busy work: (wall seconds, CPU seconds) of a fixed loop."""
    wall, cpu = time.perf_counter(), time.process_time()
    total = 0
    for i in range(5_000_000):
        total += i
    return time.perf_counter() - wall, time.process_time() - cpu


def cores_free(workers: int) -> float:
    """How many cores this run actually gets: ``workers`` processes spin at once; each one's CPU
    time over its wall time is the share of a core it had (other users' load takes the rest)."""
    with LocalProcesses(workers) as executor:
        shares = [cpu / wall for _, (wall, cpu) in executor.run(spin, list(range(workers)))]
    return sum(shares)


def returns_at_once(task: _Task) -> int:
    """A point task that does no work: what remains is sending it out and back."""
    return task.index


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import dask
    import ortools

    return (
        f"{os.cpu_count()} vCPU {model}, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, ortools {ortools.__version__}, "
        f"dask/distributed {dask.__version__}"
    )


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def timed_sweep(base, executor, time_limit):
    started = time.perf_counter()
    result = sweep(base, GRID, executor=executor, time_limit_seconds=time_limit)
    return time.perf_counter() - started, result


def dispatch_seconds(executor, tasks, rounds: int) -> float:
    """Mean seconds per task to send it, run a no-op, and get the result (pool already warm)."""
    list(executor.run(returns_at_once, tasks[:2]))  # warm: workers started, modules imported
    started = time.perf_counter()
    for _ in range(rounds):
        done = list(executor.run(returns_at_once, tasks))
        assert len(done) == len(tasks)
    return (time.perf_counter() - started) / (rounds * len(tasks))


def differing_points(a: pd.DataFrame, b: pd.DataFrame) -> list[int]:
    """Points whose rows differ (timing left out); each printed with its solve in both runs."""
    drop = list(TIMING_COLUMNS)
    differ = [
        int(i)
        for i in a.index
        if not a.drop(columns=drop).loc[i].equals(b.drop(columns=drop).loc[i])
    ]
    shown = ["label", "status", "objective", "best_bound", "solve_seconds"]
    for i in differ:
        print(
            f"  point {i} differs:\n{pd.DataFrame([a.loc[i, shown], b.loc[i, shown]]).to_string()}"
        )
    return differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, help="default: the scenario's own (20 s)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the whole comparison")
    parser.add_argument("--noop-rounds", type=int, default=10)
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()

    from distributed import Client, LocalCluster

    base = load_scenario(REPO / "scenarios" / "emergency.yaml")
    points = 24
    load_before = os.getloadavg()
    print(f"{points} points, {args.workers} workers; load average {load_before[0]:.2f}")
    rows = []
    for run in range(1, args.repeat + 1):
        free_before = cores_free(args.workers)
        seq_wall, seq = timed_sweep(base, InProcess(), args.time_limit)
        print(f"run {run}: sequential {seq_wall:.1f} s")
        with LocalProcesses(args.workers) as executor:
            local_wall, local = timed_sweep(base, executor, args.time_limit)
        print(f"run {run}: local processes {local_wall:.1f} s")
        row = {
            "run": run,
            "cores_free": (free_before, cores_free(args.workers)),
            "sequential_s": seq_wall,
            "local_s": local_wall,
            "local_ratio": local_wall / seq_wall,
            "sum_point_s_sequential": seq.table["point_seconds"].sum(),
            "sum_point_s_local": local.table["point_seconds"].sum(),
            "local_differs": differing_points(seq.table, local.table),
            "statuses": {k: int(v) for k, v in seq.table["status"].value_counts().items()},
            "longest_point_s": seq.table["point_seconds"].max(),
        }
        if not args.skip_dask:
            started = time.perf_counter()
            with (
                LocalCluster(
                    n_workers=args.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                ) as cluster,
                Client(cluster) as client,
            ):
                row["dask_startup_s"] = time.perf_counter() - started
                dask_wall, on_dask = timed_sweep(base, DaskCluster(client), args.time_limit)
                print(f"run {run}: dask {dask_wall:.1f} s")
                row |= {
                    "dask_s": dask_wall,
                    "dask_ratio": dask_wall / seq_wall,
                    "dask_minus_local_per_point_s": (dask_wall - local_wall) / points,
                    "dask_differs": differing_points(seq.table, on_dask.table),
                }
                solver = solver_overrides(args.time_limit, None)
                tasks = [
                    _Task(i, apply_overrides(base, p.overrides), solver, False)
                    for i, p in enumerate(seq.points)
                ]
                row["dispatch_dask_ms"] = 1e3 * dispatch_seconds(
                    DaskCluster(client), tasks, args.noop_rounds
                )
            with LocalProcesses(args.workers) as executor:
                row["dispatch_local_ms"] = 1e3 * dispatch_seconds(executor, tasks, args.noop_rounds)
        rows.append(row)
    load_after = os.getloadavg()

    print()
    print(f"Recorded {dt.date.today().isoformat()} at commit {commit()}.")
    print(f"Machine: {machine()}.")
    print(f"Load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after.")
    print(f"Command: `python bench/bench_sweep.py --workers {args.workers}"
          + (f" --repeat {args.repeat}" if args.repeat > 1 else "")
          + (f" --time-limit {args.time_limit:g}" if args.time_limit else "") + "`")  # fmt: skip
    print()
    header = (
        "| run | cores free | sequential | 2 local processes | ratio | Dask (2 workers) | ratio |"
    )
    print(header.replace("2 ", f"{args.workers} "))
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        dask = f"{r['dask_s']:.1f} s | {r['dask_ratio']:.2f}" if "dask_s" in r else "- | -"
        free = "{:.1f}-{:.1f}".format(*sorted(r["cores_free"]))
        print(
            f"| {r['run']} | {free} | {r['sequential_s']:.1f} s | {r['local_s']:.1f} s | "
            f"{r['local_ratio']:.2f} | {dask} |"
        )
    print()
    for r in rows:
        print(
            f"- run {r['run']}: statuses {r['statuses']}; longest point "
            f"{r['longest_point_s']:.1f} s; point time summed {r['sum_point_s_sequential']:.1f} s "
            f"sequential vs {r['sum_point_s_local']:.1f} s on {args.workers} processes; tables "
            f"equal to sequential: local "
            f"{'yes' if not r['local_differs'] else 'NO, points ' + str(r['local_differs'])}"
            + (
                ", Dask "
                + ("yes" if not r["dask_differs"] else "NO, points " + str(r["dask_differs"]))
                if "dask_s" in r
                else ""
            )
        )
        if "dask_s" in r:
            print(
                f"- run {r['run']}: Dask minus local processes, per point: "
                f"{r['dask_minus_local_per_point_s'] * 1e3:+.0f} ms; dispatch of a no-op point "
                f"task (warm): local processes {r['dispatch_local_ms']:.1f} ms, Dask "
                f"{r['dispatch_dask_ms']:.1f} ms; LocalCluster start-up {r['dask_startup_s']:.1f} s"
            )


if __name__ == "__main__":
    main()
