"""Benchmark of the day timelines, planner.present.timeline (prints its figures; not a test).

Run from the repository root::

    python bench/bench_timeline.py              # 20 repetitions
    python bench/bench_timeline.py --repeat 50

``scenarios/emergency.yaml`` over its 7 days is planned once (15 s limit) and rostered once with
its 71 named operators (``scenarios/data/emergency_operators.csv``, 8 s limit); those times are
printed apart. Then, each repetition:

``plan, 7 days``
    :func:`plan_timeline` of every day of the plan (the Gantt rows and bars of the week).
``roster, one day``
    :func:`roster_timeline` of the busiest day of the roster (the most operators working).
``roster, 7 days``
    :func:`roster_timeline` of every day.
``floor, every moment``
    :meth:`Timeline.floor` of the roster's busiest day at each of its 48 moments (what the
    Timeline tab's slider asks, one moment per rerun).

Printed: wall (``time.perf_counter``) and CPU (``time.process_time``) time per repetition,
median and range, and the load average before and after (``os.getloadavg``, as ``uptime``).
Target: a roster day of 71 operators in well under 1 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import repeated  # noqa: E402

from planner.io.operators_file import load_operators  # noqa: E402
from planner.io.scenario_file import load_scenario  # noqa: E402
from planner.present.timeline import plan_timeline, roster_timeline  # noqa: E402
from planner.roster import roster_plan  # noqa: E402
from planner.shiftplan import plan_shifts  # noqa: E402

SCENARIO = ROOT / "scenarios" / "emergency.yaml"
OPERATORS = ROOT / "scenarios" / "data" / "emergency_operators.csv"


def spread(values: list[float]) -> str:
    ms = [1000 * v for v in values]
    return f"{statistics.median(ms):.1f} ms ({min(ms):.1f}-{max(ms):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    load_before = os.getloadavg()

    scenario = load_scenario(SCENARIO)
    started = time.perf_counter()
    planned = plan_shifts(scenario, time_limit_seconds=15.0)
    plan_seconds = time.perf_counter() - started
    operators = load_operators(OPERATORS, scenario)
    started = time.perf_counter()
    rostered = roster_plan(scenario, planned, operators, time_limit_seconds=8.0)
    roster_seconds = time.perf_counter() - started
    plan, roster = planned.plan, rostered.roster
    days = plan.grid.dates
    working = roster.groupby(pd.to_datetime(roster["day"]).dt.date)["operator"].nunique()
    busiest = working.idxmax()
    print(
        f"emergency.yaml, {len(days)} days: plan {plan_seconds:.1f} s "
        f"({planned.solve.status}, {len(plan.shifts)} shift groups, {plan.agents} shifts); "
        f"roster {roster_seconds:.1f} s ({len(roster)} shifts to {len(operators)} operators, "
        f"{len(rostered.unassigned)} unassigned); busiest day {busiest} with "
        f"{working.max()} operators working"
    )

    day_view = roster_timeline(roster, plan, busiest)
    cases = {
        "plan, 7 days": lambda: [plan_timeline(plan, d) for d in days],
        "roster, one day": lambda: roster_timeline(roster, plan, busiest),
        "roster, 7 days": lambda: [roster_timeline(roster, plan, d) for d in days],
        f"floor, every moment ({len(day_view.moments)})": lambda: [
            day_view.floor(m) for m in day_view.moments
        ],
    }
    print(f"\n{args.repeat} repetitions each; median (min-max)\n")
    print("| what | wall | CPU |")
    print("|---|---:|---:|")
    for label, work in cases.items():
        work()  # warm: imports and first-call caches are not what is measured
        walls, cpus = repeated(work, args.repeat)
        print(f"| {label} | {spread(walls)} | {spread(cpus)} |")
    rows = sum(len(plan_timeline(plan, d).segments) for d in days)
    print(
        f"\nbars: {rows} for the plan's week, {len(day_view.segments)} for the roster's "
        f"busiest day ({len(day_view.rows)} rows)"
    )
    load_after = os.getloadavg()
    print(
        f"load average (1, 5, 15 min) before {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f} "
        f"{load_after[2]:.2f}; {os.cpu_count()} CPU(s), Python {platform.python_version()}, "
        f"pandas {pd.__version__}"
    )


if __name__ == "__main__":
    main()
