"""Benchmark of planner.study.advice (prints its figures; not a timed test).

Run from the repository root::

    python bench/bench_advice.py

The emergency week (``scenarios/emergency.yaml``) is planned once by
:func:`planner.shiftplan.plan_shifts` (15 s, one worker, as the scenario says); then
:func:`planner.study.advice.advise` for the whole week and for each day alone, wall and CPU time
(median of 3 runs), the line-days below target, the advice found and the agents, hours and cost
it adds. Target: the week's advice under 5 s.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import timed  # noqa: E402

from planner.io.scenario_file import load_scenario  # noqa: E402
from planner.shiftplan import plan_shifts  # noqa: E402
from planner.study.advice import advise  # noqa: E402


def main() -> None:
    print(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()}")
    scenario = load_scenario(ROOT / "scenarios" / "emergency.yaml")
    result, wall, cpu = timed(lambda: plan_shifts(scenario, time_limit_seconds=15))
    print(f"plan of the week: {result.solve.quality_text}; {wall:.1f} s wall, {cpu:.1f} s CPU")

    runs = [timed(lambda: advise(scenario, result.coverage)) for _ in range(3)]
    report = runs[-1][0]
    walls, cpus = [r[1] for r in runs], [r[2] for r in runs]
    print(
        f"advice for the week: {statistics.median(walls):.2f} s wall, "
        f"{statistics.median(cpus):.2f} s CPU (median of 3); {len(report.missed)} line-days "
        f"below target, {len(report.advice)} advised, {len(report.unexamined)} unexamined"
    )
    agents = sum(a.agents for a in report.advice)
    hours = sum(a.paid_hours for a in report.advice)
    cost = sum(a.cost for a in report.advice)
    print(f"  added (each advice on the plan alone): {agents} agents, {hours:,.1f} h, {cost:,.0f}")
    for a in report.advice:
        print(f"  {a.text}")
    per_day = []
    for day in scenario.grid.dates:
        _, w, c = timed(lambda day=day: advise(scenario, result.coverage, day=day))
        per_day.append((day, w, c))
    slowest = max(per_day, key=lambda t: t[1])
    print(
        f"advice per day alone: {sum(t[1] for t in per_day):.2f} s wall in all, slowest "
        f"{slowest[0]} {slowest[1]:.2f} s wall ({slowest[2]:.2f} s CPU)"
    )
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
