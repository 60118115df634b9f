"""Benchmark of planner.simulate (prints its figures; not a timed test).

Run from the repository root::

    python bench/bench_simulate.py

1. Throughput: one stationary queue (270 calls per 15 minutes, AHT 180 s, 60 agents, patience
   300 s: 54 Erlangs) over 7 days x 48 intervals, 10 replications; calls simulated per second of
   wall and of CPU time, median of 3 runs.
2. The emergency week (``scenarios/emergency.yaml``), its plan from
   :func:`planner.shiftplan.plan_shifts`, 30 replications with each shrinkage mode and each
   routing policy (the shared engine for ``priority`` and ``longest_waiting``): time, calls per
   second, and each queue's simulated weekly service level (mean +- 95 % half-width) against
   the formula's (calls-weighted coverage service level). Target: under 5 s; at least 300,000
   calls per second.
3. A year of one queue: 365 days x 48 intervals, 100 calls per 15 minutes, AHT 300 s, 37
   agents, patience 240 s, 10 replications. Target: under 60 s.
4. ``python -m planner solve scenarios/emergency.yaml --refine 3`` as a whole command (wall
   and the child's CPU time). Target: under 60 s.
5. The check of each line's promise (:mod:`planner.shiftplan.split_check`) on the emergency
   week: its time against the search's, and per line the promise of the search's split, the
   checked promise, and the check's simulation.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import timed  # noqa: E402

from planner.io.scenario_file import load_scenario  # noqa: E402
from planner.shiftplan import plan_shifts  # noqa: E402
from planner.simulate import simulate_plan, simulate_queues  # noqa: E402


def throughput() -> None:
    shape = (1, 7, 48)

    def run():
        return simulate_queues(
            np.full(shape, 270.0),
            np.full(shape, 180.0),
            np.full(shape, 60),
            interval_seconds=900.0,
            answer_within_seconds=[20.0],
            patience_seconds=[300.0],
            replications=10,
            seed=1,
        )

    runs = [timed(run) for _ in range(3)]
    calls = runs[0][0].simulated_calls
    wall = statistics.median(r[1] for r in runs)
    cpu = statistics.median(r[2] for r in runs)
    print(
        f"throughput: {calls:,} calls in {wall:.3f} s wall / {cpu:.3f} s CPU: "
        f"{calls / wall:,.0f} calls/s wall, {calls / cpu:,.0f} calls/s CPU"
    )


def emergency_week() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "emergency.yaml")
    result, solve_wall, _ = timed(lambda: plan_shifts(scenario))
    print(f"emergency week: plan_shifts {solve_wall:.1f} s ({result.solve.status})")
    coverage = result.coverage
    runs = [
        (m, r) for r in ("priority", "longest_waiting", "plan_split") for m in ("absence", "mean")
    ]
    for mode, routing in runs:
        sim, wall, cpu = timed(
            lambda mode=mode, routing=routing: simulate_plan(
                scenario,
                result.plan,
                replications=30,
                seed=20261204,
                shrinkage=mode,
                routing=routing,
            )
        )
        print(
            f"  routing={routing} shrinkage={mode}: 30 replications, {sim.simulated_calls:,} "
            "calls in "
            f"{wall:.2f} s wall / {cpu:.2f} s CPU ({sim.simulated_calls / wall:,.0f} calls/s wall)"
        )
        for q in sim.queues:
            rows = coverage[coverage["queue"] == q.queue]
            formula = float((rows["service_level"] * rows["calls"]).sum() / rows["calls"].sum())
            print(
                f"    {q.queue}: simulated SL {q.service_level:.4f} +- {q.service_level_ci95:.4f}"
                f" vs formula {formula:.4f} ({100 * (q.service_level - formula):+.2f} points);"
                f" abandon {q.abandon_rate:.4f}, ASA {q.asa_seconds:.1f} s,"
                f" occupancy {q.occupancy:.3f}"
            )


def year_of_one_queue() -> None:
    shape = (1, 365, 48)
    sim, wall, cpu = timed(
        lambda: simulate_queues(
            np.full(shape, 100.0),
            np.full(shape, 300.0),
            np.full(shape, 37),
            interval_seconds=900.0,
            answer_within_seconds=[20.0],
            patience_seconds=[240.0],
            replications=10,
            seed=1,
        )
    )
    print(
        f"a year of one queue: 10 replications, {sim.simulated_calls:,} calls in {wall:.2f} s "
        f"wall / {cpu:.2f} s CPU; service level {sim.queues[0].service_level:.4f}"
    )


def refine_command() -> None:
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "solve",
            "scenarios/emergency.yaml",
            "--out",
            str(Path(os.environ.get("TMPDIR", "/tmp")) / f"bench_refine_{os.getpid()}"),
            "--refine",
            "3",
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    kept = [line for line in out.splitlines() if line.startswith(("Round", "Kept"))]
    print(f"solve --refine 3 (emergency week): {wall:.1f} s wall, {cpu:.1f} s CPU")
    for line in kept:
        print(f"  {line}")


def split_check() -> None:
    from planner.demand import build_demand
    from planner.shiftplan.split_check import check_split
    from planner.staffing import build_requirement

    scenario = load_scenario(ROOT / "scenarios" / "emergency.yaml")
    requirement = build_requirement(scenario, build_demand(scenario))
    searched, solve_wall, solve_cpu = timed(
        lambda: plan_shifts(scenario, requirement=requirement, check=False)
    )
    checked, wall, cpu = timed(lambda: check_split(scenario, searched, requirement))
    c = checked.split_check
    print(
        f"split check, emergency week: the search {solve_wall:.2f} s wall / {solve_cpu:.2f} s "
        f"CPU, the check {wall:.2f} s wall / {cpu:.2f} s CPU ({100 * wall / solve_wall:.0f} % of "
        f"the search); {c.moved} agent-intervals moved; confirmed {c.confirmed}"
    )
    for line in c.lines:
        print(
            f"    {line.queue}: promised {line.promised_before:.4f} -> {line.promised:.4f}; "
            f"simulated {line.simulated:.4f} +- {line.simulated_ci95:.4f}"
        )


def main() -> None:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"{datetime.date.today()} commit {commit}; load average {load}; "
        f"Python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs"
    )
    throughput()
    emergency_week()
    year_of_one_queue()
    refine_command()
    split_check()
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
