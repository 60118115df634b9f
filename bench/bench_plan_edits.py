"""Benchmark of planner.editing.plan_edits (prints its figures; not a timed test).

Run from the repository root::

    python bench/bench_plan_edits.py

The emergency week (``scenarios/emergency.yaml``) is planned once (15 s); then each edit kind
(fewer agents, more agents, remove a group, move a group, lock its shift) is applied to one of
Wednesday's groups with :func:`planner.editing.plan_edits.apply_plan_edit`: the plan validator
on the whole week and every KPI recomputed by the formulas. Wall and CPU time, median of 5 runs
each. Target: every edit under 1 s. Then one re-optimisation around a lock (10 s limit).
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import median_timed, timed  # noqa: E402

from planner.editing.plan_edits import (  # noqa: E402
    EditedPlan,
    LockShift,
    MoveGroup,
    SetAgents,
    apply_plan_edit,
    locks_kept,
    reoptimise,
)
from planner.io.scenario_file import load_scenario  # noqa: E402
from planner.shiftplan import plan_shifts  # noqa: E402


def main() -> None:
    print(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()}")
    scenario = load_scenario(ROOT / "scenarios" / "emergency.yaml")
    result, wall, cpu = timed(lambda: plan_shifts(scenario, time_limit_seconds=15))
    print(f"plan: {len(result.plan.shifts)} groups; {wall:.1f} s wall, {cpu:.1f} s CPU")
    state, wall, cpu = timed(lambda: EditedPlan.start(scenario, result))
    print(f"start editing (requirement): {wall * 1000:.1f} ms wall, {cpu * 1000:.1f} ms CPU")
    day = 2
    group = max(state.groups_of(day), key=lambda g: g.agents)
    room = [g for g in state.groups_of(day) if g.end + 2 <= scenario.grid.intervals_per_day]
    mover = max(room, key=lambda g: g.agents)  # 30 minutes later still ends by closing time
    later = scenario.grid.clock_at(mover.start + 2)
    edits = [
        ("fewer agents", SetAgents(group, group.agents - 1)),
        ("more agents", SetAgents(group, group.agents + 1)),
        ("remove group", SetAgents(group, 0)),
        ("move group", MoveGroup(mover, later)),
        ("lock shift", LockShift(group)),
    ]
    worst = 0.0
    for label, edit in edits:
        outcome = apply_plan_edit(state, edit)
        wall, cpu = median_timed(lambda edit=edit: apply_plan_edit(state, edit), 5)
        worst = max(worst, wall)
        verdict = "accepted" if outcome.accepted else f"refused ({', '.join(outcome.rules)})"
        print(f"{label:13s} {verdict:66s} {wall * 1000:6.1f} ms wall {cpu * 1000:6.1f} ms CPU")
    print(f"slowest edit: {worst:.3f} s wall (target under 1 s)")
    locked = apply_plan_edit(state, SetAgents(group, group.agents - 1)).state
    same = [g for g in locked.groups_of(day) if (g.pool, g.start) == (group.pool, group.start)]
    grown = same[0]
    locked = apply_plan_edit(locked, LockShift(grown)).state
    outcome, wall, cpu = timed(lambda: reoptimise(locked, time_limit_seconds=10))
    kept = locks_kept(locked.locked_groups(), outcome.state.plan)
    print(
        f"re-optimise around 1 lock: {outcome.state.result.solve.status}, {kept} of 1 kept, "
        f"valid {outcome.state.result.validation.ok}; {wall:.1f} s wall, {cpu:.1f} s CPU"
    )


if __name__ == "__main__":
    main()
