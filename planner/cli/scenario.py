"""``validate`` and ``demand``: check scenario files; write their demand and requirement."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.cli.common import EXIT_BAD_INPUT, EXIT_OK
from planner.errors import PlannerError


def _add_validate(commands) -> None:
    p = commands.add_parser(
        "validate",
        help="check scenario files and report every problem",
        description="Check scenario files; every problem is listed with its field path.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.set_defaults(run=_run_validate)


def _run_validate(args: argparse.Namespace) -> int:
    from planner.io.scenario_file import load_scenario

    failed = 0
    for path in args.files:
        try:
            scenario = load_scenario(path)
        except PlannerError as exc:
            failed += 1
            print(exc, file=sys.stderr)
            continue
        grid = scenario.grid
        print(
            f"{path}: ok ({scenario.name}; {grid.days} days x {grid.intervals_per_day} intervals "
            f"of {grid.interval_minutes} min; {len(scenario.queues)} queues, "
            f"{len(scenario.pools)} pools)"
        )
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _add_demand(commands) -> None:
    p = commands.add_parser(
        "demand",
        help="calls (and agents required) per queue and interval, as CSV",
        description="Write the calls per queue, day and interval of a scenario, with the agents "
        "each interval requires, and print the daily totals.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--out", type=Path, required=True, help="CSV file to write")
    p.set_defaults(run=_run_demand)


def _run_demand(args: argparse.Namespace) -> int:
    from planner.demand import build_demand
    from planner.io.files import write_atomic
    from planner.io.scenario_file import load_scenario
    from planner.staffing import build_requirement, confidence_cost

    scenario = load_scenario(args.file)
    table = build_requirement(scenario, build_demand(scenario))
    write_atomic(args.out, table.to_csv(index=False, float_format="%.4f").encode())
    daily = table.pivot_table(
        index="day", columns="queue", values="calls", aggfunc="sum", sort=False
    )
    print(f"Calls per day ({scenario.name}):")
    print(daily.round(0).astype(int).to_string())
    cost = confidence_cost(scenario, table)
    for row in cost.itertuples(index=False):
        share = row.extra_agent_hours / row.point_agent_hours if row.point_agent_hours else 0.0
        print(
            f"{row.queue}: staffed to meet its target with {row.confidence:.0%} confidence: "
            f"{row.required_agent_hours:,.1f} agent-hours on duty required, "
            f"{row.extra_agent_hours:+,.1f} ({share:+.1%}) on the point forecast's "
            f"{row.point_agent_hours:,.1f}"
        )
    print(f"wrote {args.out} ({len(table)} rows)")
    return EXIT_OK


def register(commands) -> None:
    """Add this module's commands to the parser."""
    _add_validate(commands)
    _add_demand(commands)
