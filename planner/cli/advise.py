"""``advise``: plan a scenario, then say what would close each line-day's gap to its target."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from planner.cli.common import (
    EXIT_NO_PLAN,
    EXIT_OK,
    iso_date,
    print_table,
    replications,
    time_limit,
)

SOLVE_SHARE = 0.8
"""With ``--time-limit``: the share of it the plan's solve may use; the advice gets the rest."""
MIN_CHECK_SECONDS = 0.5
"""A check's solve needs at least this long; with less time left the checks stop."""
ADVICE_SECONDS = 10.0
"""Without ``--time-limit``: the advice's own bound (the solve keeps the scenario's limit)."""


def _add_advise(commands) -> None:
    p = commands.add_parser(
        "advise",
        help="where the plan misses its service target, what would close the gap",
        description="Plan the scenario's shifts, then for each line and day whose service level "
        "is below its target, find the agents of the cheapest pool with that skill, on whole "
        "shifts of its templates, that lift the day to the target (by the formulas: Erlang C "
        "or A, the plan's own evaluation), and print them with the service level before and "
        "after, the paid hours and the cost. Apply an advice as a headcount change in the "
        "scenario (headcount_changes) and plan again.",
    )
    p.add_argument("file", type=Path, metavar="SCENARIO")
    p.add_argument(
        "--plan",
        type=Path,
        metavar="DIR",
        help="advise on the plan in DIR (shifts.csv and allocation.csv, as `solve` writes "
        "them) instead of planning the scenario",
    )
    p.add_argument("--day", type=iso_date, metavar="YYYY-MM-DD", help="advise on this day only")
    p.add_argument(
        "--time-limit",
        type=time_limit,
        help="seconds for the whole command: the solve gets 80 %%, the advice the rest "
        "(default: the scenario's solver time limit for the solve, 10 s for the advice)",
    )
    p.add_argument(
        "--max-agents",
        type=replications,  # the same check: a whole number from 1 to 10,000
        default=200,
        help="agents added per line-day at most (default 200)",
    )
    p.add_argument("--currency", default="KZT", help="money units of cost_per_hour (default KZT)")
    p.add_argument(
        "--check",
        type=time_limit,
        metavar="SECONDS",
        help="also plan each advised day alone, without and with the advice applied, with this "
        "time limit per solve (within --time-limit when given), and print the line's service "
        "level in both",
    )
    p.set_defaults(run=_run_advise)


def _run_advise(args: argparse.Namespace) -> int:
    from planner.io.scenario_file import load_scenario
    from planner.study.advice import advise

    scenario = load_scenario(args.file)
    grid = scenario.grid
    if args.day is not None and args.day not in grid.dates:
        raise ValueError(
            f"--day {args.day.isoformat()}: not in the scenario's horizon "
            f"({grid.dates[0].isoformat()} to {grid.dates[-1].isoformat()})"
        )
    if args.plan is not None:
        coverage = _folder_coverage(scenario, args.plan)
        print(f"{scenario.name}: the plan in {args.plan}")
    else:
        coverage = _solved_coverage(scenario, args)
        if coverage is None:
            return EXIT_NO_PLAN
    advice_seconds = ADVICE_SECONDS
    if args.time_limit is not None:
        advice_seconds = max(args.time_limit - (time.perf_counter() - args.started), 0.1)
    report = advise(
        scenario,
        coverage,
        day=args.day,
        time_limit_seconds=advice_seconds,
        max_agents=args.max_agents,
        currency=args.currency,
    )
    print_report(report, scenario.grid)
    if args.check is not None and report.advice:
        _print_checks(args, scenario, report.advice)
    return EXIT_OK


def _solved_coverage(scenario, args):
    """The coverage of the scenario's plan, solved in the command's time (None: no plan)."""
    from planner.shiftplan import plan_shifts

    overrides = {}
    if args.time_limit is not None:
        left = args.time_limit - (time.perf_counter() - args.started)
        if left <= 0:
            raise ValueError(f"--time-limit {args.time_limit:g}: spent reading the scenario")
        overrides["time_limit_seconds"] = left * SOLVE_SHARE
    result = plan_shifts(scenario, **overrides)
    solve = result.solve
    if not solve.has_plan:
        print(f"{scenario.name}: {solve.quality_text}; no plan to advise on")
        return None
    print(f"{scenario.name}: plan {solve.quality_text} in {solve.solve_seconds:.1f} s")
    return result.coverage


def _folder_coverage(scenario, folder: Path):
    """The coverage of the plan a run folder holds, evaluated against the scenario."""
    from planner.cli.simulate import read_table
    from planner.demand import build_demand
    from planner.evaluate import coverage_table
    from planner.io.plan_tables import plan_from_tables
    from planner.staffing import build_requirement

    plan = plan_from_tables(
        scenario, read_table(folder / "shifts.csv"), read_table(folder / "allocation.csv")
    )
    requirement = build_requirement(scenario, build_demand(scenario))
    return coverage_table(scenario, requirement, plan.staffed)


def _print_checks(args, scenario, advice) -> None:
    """Each advice checked by the solver on its day alone, in the time the command has left."""
    from planner.editing import load_draft
    from planner.present.formats import money, percent
    from planner.study.advice import check_by_solving

    files = load_draft(args.file).files
    print("Checked by the solver, each advised day planned alone without / with the advice:")
    for i, a in enumerate(advice):
        seconds = args.check
        if args.time_limit is not None:
            left = args.time_limit - (time.perf_counter() - args.started)
            seconds = min(seconds, left / (2 * (len(advice) - i)))
        if seconds < MIN_CHECK_SECONDS:
            print(f"- not checked within the time limit: {len(advice) - i} advice(s) left")
            return
        check = check_by_solving(scenario, a, files=files, time_limit_seconds=seconds)
        print(
            f"- {a.day.isoformat()} {a.queue}: {percent(check.service_level_without)} / "
            f"{percent(check.service_level_with)} (advice says {percent(a.service_level_after)}); "
            f"the day's cost {money(check.cost_without)} / {money(check.cost_with)} {a.currency}"
        )


def print_report(report, grid) -> None:
    """The advice as a table, then each advice's shifts; what the time left unexamined."""
    from planner.present.formats import money, percent

    if not report.missed:
        print("Every line meets its service target on every day asked about: no advice needed.")
        return
    lines = [
        ["day", "line", "now", "after", "target", "add", "pool", "hours", "paid h", "cost"],
    ]
    for a in report.advice:
        lines.append(
            [
                a.day.strftime("%a %Y-%m-%d"),
                a.queue,
                percent(a.service_level_before),
                percent(a.service_level_after),
                percent(a.service_level_target),
                f"+{a.agents}",
                a.pool,
                f"{a.span[0]}-{a.span[1]}",
                f"{a.paid_hours:,.1f}",
                f"{money(a.cost)} {a.currency}",
            ]
        )
    print(
        f"{len(report.missed)} line-day(s) below target; advice for {len(report.advice)} "
        f"in {report.seconds:.1f} s (each on the plan alone, by the formulas):"
    )
    print_table(lines)
    for a in report.advice:
        short = "" if a.reaches_target else " (short of the target: the most these shifts give)"
        print(f"- {a.day.isoformat()} {a.queue}: {a.shifts_text(grid)}{short}")
    if report.unexamined:
        left = ", ".join(f"{q} {d.isoformat()}" for q, d in report.unexamined)
        print(f"Not examined within the time limit: {left}")


def register(commands) -> None:
    """Add this module's commands to the parser."""
    _add_advise(commands)
