"""Benchmark of planner.editing.roster_edits (prints its figures; not a timed test).

Run from the repository root::

    python bench/bench_edits.py

The emergency week (``scenarios/emergency.yaml``, 71 operators) is planned (15 s) and rostered
(15 s) once; then each edit kind (lock, move, swap, remove, add back) is applied with
:func:`planner.editing.roster_edits.apply_edit`: the validator on the touched operators and the
edited day's KPIs. Wall and CPU time, median of 5 runs each. Target: every edit under 1 s.
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

from planner.editing.roster_edits import (  # noqa: E402
    AddOperatorDay,
    EditedRoster,
    Lock,
    Move,
    RemoveOperatorDay,
    Swap,
    apply_edit,
)
from planner.io.operators_file import load_operators  # noqa: E402
from planner.io.scenario_file import load_scenario  # noqa: E402
from planner.roster import roster_plan  # noqa: E402
from planner.shiftplan import plan_shifts  # noqa: E402
from planner.timegrid import clock_label, parse_clock  # noqa: E402


def main() -> None:
    print(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()}")
    scenario = load_scenario(ROOT / "scenarios" / "emergency.yaml")
    operators = load_operators(ROOT / "scenarios" / "data" / "emergency_operators.csv", scenario)
    plan, wall, cpu = timed(lambda: plan_shifts(scenario, time_limit_seconds=15))
    print(f"plan: {wall:.1f} s wall, {cpu:.1f} s CPU")
    roster, wall, cpu = timed(lambda: roster_plan(scenario, plan, operators, time_limit_seconds=15))
    print(f"roster: {len(roster.roster)} shifts, {len(operators)} operators; {wall:.1f} s wall")
    state = EditedRoster.start(scenario, plan.plan, operators, roster.roster, roster.unassigned)
    day = 2
    rows = state.roster[state.roster["day"].astype(str) == state.day_text(day)]
    first = rows[rows["end"] <= "20:00"].iloc[0]  # an hour later still ends by closing time
    second = rows[(rows["pool"] == first["pool"]) & (rows["operator"] != first["operator"])].iloc[0]
    later = clock_label(parse_clock(first["start"]) + 60)
    removed = apply_edit(state, RemoveOperatorDay(first["operator"], day)).state
    edits = [
        ("lock", state, Lock(first["operator"], day)),
        ("move", state, Move(first["operator"], day, later)),
        ("swap", state, Swap(first["operator"], second["operator"], day)),
        ("remove", state, RemoveOperatorDay(first["operator"], day)),
        ("add back", removed, AddOperatorDay(first["operator"], day)),
    ]
    worst = 0.0
    for label, base, edit in edits:
        runs = [timed(lambda base=base, edit=edit: apply_edit(base, edit)) for _ in range(5)]
        wall = statistics.median(r[1] for r in runs)
        cpu = statistics.median(r[2] for r in runs)
        worst = max(worst, wall)
        verdict = "accepted" if runs[0][0].accepted else f"refused ({', '.join(runs[0][0].rules)})"
        print(f"{label:9s} {verdict:30s} {wall * 1000:7.1f} ms wall {cpu * 1000:7.1f} ms CPU")
    print(f"slowest edit: {worst:.3f} s wall (target under 1 s)")


if __name__ == "__main__":
    main()
