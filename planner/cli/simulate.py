"""``simulate``: simulate a plan call by call and write its service figures."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

from planner.cli.common import EXIT_OK, add_output_folder, print_table, replications
from planner.cli.saving import add_save_options, open_store_if_saving, save_simulation_run
from planner.present.catalogue import kpi

SIMULATION_FILE_NAMES = ("simulation.json", "sim_coverage.csv")
_MAX_PLAN_BYTES = 64 * 1024 * 1024


def _add_simulate(commands) -> None:
    p = commands.add_parser(
        "simulate",
        help="simulate a plan call by call; write simulated service levels",
        description="Read a plan (DIR/shifts.csv and DIR/allocation.csv, as `solve` writes "
        "them) or a roster (DIR/roster.csv, as `roster` writes it, with the plan it rostered), "
        "simulate the scenario's calls against it call by call over several replications, "
        "with the agents shared between lines routed by the scenario's routing policy (or "
        "--routing), and write simulation.json (per queue and for the horizon: service level, "
        "abandon rate, ASA, occupancy with 95 %% confidence intervals) and sim_coverage.csv "
        "(per queue and interval: the same figures, and the P10 and P90 service level) into the "
        "output folder.",
    )
    p.add_argument("file", type=Path, metavar="SCENARIO")
    p.add_argument(
        "--plan",
        type=Path,
        metavar="DIR",
        help="a plan's folder (default: the --roster folder, which `roster` writes the plan to)",
    )
    p.add_argument(
        "--roster",
        type=Path,
        metavar="DIR",
        help="simulate the roster in DIR (the shifts operators work) instead of the plan",
    )
    p.add_argument(
        "--handling-cv",
        type=float,
        metavar="CV",
        help="lognormal handling times with this coefficient of variation (default: "
        "exponential, CV 1; measured contact-centre talk times are often near 0.6-1)",
    )
    p.add_argument(
        "--routing",
        choices=["priority", "longest_waiting", "plan_split"],
        help="how agents shared between lines choose calls (default: the scenario's)",
    )
    p.add_argument("--replications", type=replications, default=30, help="default 30")
    p.add_argument("--seed", type=int, default=0, help="default 0")
    p.add_argument(
        "--shrinkage",
        choices=["absence", "mean"],
        default="absence",
        help="whole agents absent for the day (default) or the formulas' mean",
    )
    add_output_folder(p)
    add_save_options(
        p,
        "also keep the simulation in the store, with the plan (or roster) simulated: linked to "
        "it when the folder's plan (roster) is stored already, else stored first, with the "
        "scenario version (see the plans command)",
    )
    p.set_defaults(run=_run_simulate)


def _read_bytes(path: Path) -> bytes:
    from planner.io.files import read_regular_file

    try:
        return read_regular_file(path, max_bytes=_MAX_PLAN_BYTES)
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the plan's table ({exc.strerror or exc})") from None


def _folder_files(folder: Path, names) -> dict[str, bytes]:
    """The files of ``names`` that ``folder`` holds (for ``--save``)."""
    return {name: _read_bytes(folder / name) for name in names if (folder / name).is_file()}


def read_table(path: Path):
    """A plan's (or roster's) CSV table from a run folder; ValueError naming the file if it
    cannot be read or is not CSV."""
    import pandas as pd

    raw = _read_bytes(path)
    try:
        return pd.read_csv(io.BytesIO(raw), keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as exc:
        raise ValueError(f"{path}: not a readable CSV table ({exc})") from None


def _run_simulate(args: argparse.Namespace) -> int:

    from planner.io.export import table_to_csv
    from planner.io.plan_tables import plan_from_tables
    from planner.io.run_folder import RunFolder
    from planner.io.scenario_file import load_scenario
    from planner.simulate import interval_table, simulate_plan, simulation_document

    if args.plan is None and args.roster is None:
        raise ValueError("simulate: give --plan DIR (a plan's folder) or --roster DIR")
    scenario = load_scenario(args.file)
    open_store_if_saving(args)  # --save: a bad database ends here, before any work
    folder = args.plan if args.plan is not None else args.roster
    plan = plan_from_tables(
        scenario,
        read_table(folder / "shifts.csv"),
        read_table(folder / "allocation.csv"),
    )
    what = "plan"
    if args.roster is not None:
        from planner.simulate.roster import rostered_plan

        plan = rostered_plan(scenario, plan, read_table(args.roster / "roster.csv"))
        what = "roster"
    with RunFolder(args.out, names=SIMULATION_FILE_NAMES, force=args.force) as run:
        result = simulate_plan(
            scenario,
            plan,
            replications=args.replications,
            seed=args.seed,
            shrinkage=args.shrinkage,
            routing=args.routing,
            handling_cv=args.handling_cv,
        )
        grid = scenario.grid
        document = {"scenario": scenario.name, "simulated": what, **simulation_document(result)}
        coverage = interval_table(result, grid)
        written = run.write(
            {
                "simulation.json": json.dumps(document, indent=2, allow_nan=False).encode(),
                "sim_coverage.csv": table_to_csv(coverage),
            }
        )
    print(
        f"{scenario.name} ({what}): {result.replications} replications, "
        f"{result.simulated_calls:,} calls simulated, routing {result.routing}, "
        f"shrinkage {result.shrinkage}, seed {result.seed}"
    )
    print_simulated(result)
    print(f"wrote {', '.join(str(p) for p in written)}")
    if getattr(args, "store", None) is not None:
        from planner.io.export import PLAN_FILE_NAMES
        from planner.roster.export import ROSTER_FILE_NAMES

        plan_files = _folder_files(folder, PLAN_FILE_NAMES)
        roster_files = None
        if args.roster is not None:
            roster_files = _folder_files(args.roster, ROSTER_FILE_NAMES)
        save_simulation_run(args, plan_files, roster_files, document)
    return EXIT_OK


def register(commands) -> None:
    """Add this module's commands to the parser."""
    _add_simulate(commands)


def print_simulated(result, formula=None) -> None:
    """Each queue's simulated figures with their 95 % half-widths; with ``formula`` (a plan's
    KPIs), the formula's service level beside them."""
    head = ["queue", "service level", "abandon rate", "ASA (s)", "occupancy"]
    lines = [head + (["formula service level"] if formula is not None else [])]
    for q in result.queues:
        line = [
            q.queue,
            f"{q.service_level:.1%} ± {q.service_level_ci95:.1%}",
            f"{q.abandon_rate:.1%} ± {q.abandon_rate_ci95:.1%}",
            f"{q.asa_seconds:.1f} ± {q.asa_seconds_ci95:.1f}",
            f"{q.occupancy:.1%} ± {q.occupancy_ci95:.1%}",
        ]
        if formula is not None:
            line.append(kpi("service_level", "queue").format(formula.queues[q.queue].service_level))
        lines.append(line)
    print_table(lines)
