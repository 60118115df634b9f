"""``roster``: plan a scenario's shifts, give them to named operators, write the roster's files."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from planner.cli.common import (
    EXIT_FAILED,
    EXIT_NO_PLAN,
    EXIT_OK,
    add_output_folder,
    print_headcount_notes,
    time_limit,
)
from planner.cli.saving import add_save_options, open_store_if_saving, save_roster_run
from planner.present.catalogue import kpi
from planner.present.formats import gap


def _add_roster(commands) -> None:
    p = commands.add_parser(
        "roster",
        help="plan the shifts, then give them to named operators under the labour rules",
        description="Plan the shifts of a scenario, give every planned shift to a named operator "
        "(the --operators file, else the scenario's operators_file, else anonymous operators "
        "from the pools' headcounts) under the labour rules, fairly; shifts nobody can legally "
        "take are listed with the reason. Writes roster.csv, unassigned.csv, roster_week.csv, "
        "fairness.csv, fairness_summary.csv, capacity.csv, operators.csv and roster.json into "
        "DIR.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--operators", type=Path, metavar="CSV", help="operators file (CSV or YAML)")
    p.add_argument(
        "--plan",
        type=Path,
        metavar="DIR",
        help="roster the plan `solve` wrote into DIR (shifts.csv, allocation.csv, kpis.json) "
        "instead of planning again; the whole time limit goes to the roster",
    )
    add_output_folder(p)
    p.add_argument(
        "--time-limit",
        type=time_limit,
        help="seconds for the whole command, plan and roster together (a third at most for the "
        "plan; default: the scenario's solver time limit for each)",
    )
    p.add_argument("--seed", type=int, help="solver seed (default: the scenario's)")
    p.add_argument("--workers", type=int, help="solver threads (default: the scenario's)")
    p.add_argument("--no-explain", action="store_true", help="do not name conflicting rules")
    add_save_options(p)
    p.set_defaults(run=_run_roster)


PLAN_SHARE = 1 / 3
"""With ``--time-limit``, the plan's share of it at most; the roster gets what is left."""

WRITE_RESERVE_SECONDS = 0.3
PLAN_FILE_MAX_BYTES = 200_000_000
"""``--plan``: the largest plan file read (a quarter of a national plan is far smaller)."""
PLAN_FILES_KEPT = ("shifts.csv", "allocation.csv")
"""The rostered plan's files written beside the roster's (``simulate --roster`` reads them)."""
"""Kept back from the roster's time for writing its files."""


def _run_roster(args: argparse.Namespace) -> int:
    from planner.io.run_folder import RunFolder
    from planner.roster import ROSTER_FILE_NAMES

    scenario = _scenario(args)
    open_store_if_saving(args)  # --save: a bad database ends here, before any work
    # Input is checked; now the folder: refused at once if in use or holding an earlier run.
    names = (*ROSTER_FILE_NAMES, *PLAN_FILES_KEPT)
    with RunFolder(args.out, names=names, force=args.force) as run:
        return _roster_into(args, scenario, run)


def _scenario(args: argparse.Namespace):
    """The scenario, with the --operators file's operators when given (the plan is sized for
    them too)."""
    from planner.chain import check_roster_size
    from planner.io.operators_file import load_operators
    from planner.io.scenario_file import load_scenario

    scenario = load_scenario(args.file)
    if args.operators is not None:
        scenario = scenario.with_operators(load_operators(args.operators, scenario))
    print_headcount_notes(scenario, args.operators and Path(args.operators).name)
    check_roster_size(scenario)
    return scenario


def _saved_plan(scenario, folder: Path):
    """The plan ``solve`` wrote into ``folder``, read back against the scenario and checked;
    ValueError naming the folder and what is wrong (a missing file, another scenario's plan,
    a broken rule)."""
    from planner.io.files import read_regular_file
    from planner.store.reopen import plan_result_from_files

    files = {}
    for name in ("kpis.json", "shifts.csv", "allocation.csv"):
        try:
            files[name] = read_regular_file(folder / name, max_bytes=PLAN_FILE_MAX_BYTES)
        except OSError as exc:
            reason = exc.strerror or exc
            raise ValueError(f"--plan {folder}: cannot read {name} ({reason})") from None
    try:
        plan = plan_result_from_files(scenario, files)
    except (ValueError, KeyError) as exc:
        raise ValueError(f"--plan {folder}: not a plan of {scenario.name!r} ({exc})") from None
    if not plan.validation.ok:
        raise ValueError(
            f"--plan {folder}: the plan breaks the scenario's rules: {plan.validation.summary()}"
        )
    return plan


def _roster_into(args: argparse.Namespace, scenario, run) -> int:
    from planner.cpsat.explain import group_rules
    from planner.io.export import plan_files
    from planner.roster import roster_files, roster_plan
    from planner.shiftplan import plan_shifts
    from planner.shiftplan.rules import RULE_SETTINGS as PLAN_RULES

    overrides = {
        name: value
        for name, value in (
            ("time_limit_seconds", args.time_limit),
            ("seed", args.seed),
            ("workers", args.workers),
        )
        if value is not None
    }
    if args.plan is not None:
        plan = _saved_plan(scenario, args.plan)
    else:
        plan_overrides = dict(overrides)
        if args.time_limit is not None:
            plan_overrides["time_limit_seconds"] = args.time_limit * PLAN_SHARE
        plan = plan_shifts(scenario, **plan_overrides)
    s = plan.solve
    if not s.has_plan:
        print(
            f"{scenario.name}: no shift plan ({s.quality_text}); nothing to roster",
            file=sys.stderr,
        )
        for line in group_rules(s.conflicting_rules, settings=PLAN_RULES):
            print(f"  - {line}", file=sys.stderr)
        return EXIT_NO_PLAN
    paid_hours = kpi("paid_hours")
    print(
        f"Plan: {s.quality_text}, {plan.kpis.shifts} shifts, "
        f"{paid_hours.format(plan.kpis.paid_hours)} {paid_hours.label} "
        f"(gap {gap(s.gap)}, {s.solve_seconds:.1f} s)"
    )
    if s.no_shifts_reason:
        print(f"The plan has no shift although the queues need agents: {s.no_shifts_reason}.")
        for line in group_rules(s.conflicting_rules, settings=PLAN_RULES):
            print(f"  - {line}")
    if args.time_limit is not None:  # what is left of the command's limit
        spent = time.perf_counter() - args.started
        overrides["time_limit_seconds"] = max(0.1, args.time_limit - spent - WRITE_RESERVE_SECONDS)
    # A large roster is solved block by block (pools, weeks): one line per block as it ends.
    result = roster_plan(
        scenario,
        plan,
        explain=not args.no_explain,
        on_block=lambda block: print(f"  {block.text()}", flush=True),
        **overrides,
    )
    _print_summary(result)
    files = roster_files(result)
    # The plan rostered, so that `simulate SCENARIO --roster DIR` finds how its lines split.
    files.update({k: v for k, v in plan_files(plan).items() if k in PLAN_FILES_KEPT})
    written = run.write(files)
    print(f"wrote {', '.join(str(p) for p in written)}")
    if getattr(args, "store", None) is not None:
        save_roster_run(args, plan_files(plan), files)
    return EXIT_OK if result.validation.ok else EXIT_FAILED


def _print_summary(result) -> None:
    from planner.cpsat.explain import group_rules
    from planner.roster.rules import RULE_SETTINGS as ROSTER_RULES

    c, w, k = result.solve, result.wishes_solve, result.kpis
    source = "operators generated from headcounts" if _generated(result) else "named operators"
    print(
        f"Roster: {k.assigned_shifts} of {k.planned_shifts} shifts assigned to "
        f"{k.operators_working} of {k.operators} {source}; "
        f"{k.unassigned_shifts} unassigned ({result.coverage_text()})"
    )
    if w is not None:
        print(
            f"Wishes: {w.objective:,.1f} points (bound {w.best_bound:,.1f}, gap {gap(w.gap)}) in "
            f"{w.solve_seconds:.1f} s"
        )
    if len(result.unassigned):
        print("Unassigned shifts (day, pool, time: why):")
        groups = result.unassigned.groupby(
            ["day", "pool", "start", "end", "reason"], sort=True, as_index=False
        ).size()
        for row in groups.itertuples(index=False):
            print(f"  {row.size} x {row.day} {row.pool} {row.start}-{row.end}: {row.reason}")
    if c.conflicting_rules:
        print("Rules that cannot all hold with every planned shift assigned:")
        for line in group_rules(c.conflicting_rules, settings=ROSTER_RULES):
            print(f"  - {line}")
    summary = result.fairness_summary
    if not summary.empty:
        print("Fairness (per operator):")
        print(
            summary.to_string(
                index=False, float_format=lambda v: f"{v:,.1f}", columns=list(summary.columns)
            )
        )
    parts = ", ".join(f"{name} {value:,.0f}" for name, value in result.penalties.items())
    print(f"Penalties (points): {parts}")
    print(f"Roster check (no solver): {result.validation.summary()}")
    if result.deadline_cut:
        print(
            "The time limit cut the search short (the machine was slow or busy): this roster is "
            "the best found in time and another run may differ; a longer --time-limit gives "
            "the same roster run after run."
        )


def _generated(result) -> bool:
    return all(op.id == op.name and op.id.startswith(f"{op.pool}-") for op in result.operators)


def register(commands) -> None:
    """Add this module's commands to the parser."""
    _add_roster(commands)
