"""Command line: ``python -m planner <command> ...``.

Every command prints what a planner needs to read and writes files atomically. Bad input prints
one clear message per problem (file, field, value, rule) and exits with code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from planner.errors import PlannerError

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (PlannerError, ValueError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m planner",
        description="Contact-centre capacity planner: staffing, shift plans, scenario comparison.",
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    for register in _COMMANDS:
        register(commands)
    return parser


# --------------------------------------------------------------------------------------------------
# staff: one interval, by hand
# --------------------------------------------------------------------------------------------------


def _add_staff(commands) -> None:
    p = commands.add_parser(
        "staff",
        help="agents needed for one interval (Erlang C, or Erlang A with --patience)",
        description="Agents needed on the phones for one interval to meet the service target, and "
        "what they achieve. Erlang C, or Erlang A when --patience is given.",
    )
    p.add_argument("--calls", type=float, required=True, help="calls offered in the interval")
    p.add_argument("--aht", type=float, required=True, help="average handling time, seconds")
    p.add_argument("--interval-minutes", type=float, default=15.0, help="default 15")
    p.add_argument("--service-level", type=float, default=0.8, help="target share, default 0.8")
    p.add_argument("--answer-within", type=float, default=20.0, help="seconds, default 20")
    p.add_argument("--patience", type=float, help="mean caller patience, seconds (Erlang A)")
    p.add_argument("--max-occupancy", type=float, help="occupancy cap, e.g. 0.9")
    p.add_argument("--max-abandon", type=float, help="abandonment cap, e.g. 0.05 (Erlang A)")
    p.add_argument("--max-asa", type=float, help="ASA cap, seconds")
    p.add_argument(
        "--shrinkage", type=float, default=0.0, help="share of on-duty time off the phones"
    )
    p.set_defaults(run=_run_staff)


def _run_staff(args: argparse.Namespace) -> int:
    from planner.queueing import erlang_a_metrics, erlang_c_metrics, required_agents
    from planner.staffing import agents_to_schedule

    if not 0.0 <= args.shrinkage < 1.0:
        raise ValueError(f"--shrinkage = {args.shrinkage}: must be >= 0 and < 1")
    interval_seconds = args.interval_minutes * 60.0
    n = int(
        required_agents(
            args.calls,
            args.aht,
            interval_seconds,
            args.service_level,
            args.answer_within,
            patience_seconds=args.patience,
            max_occupancy=args.max_occupancy,
            max_abandon_rate=args.max_abandon,
            max_asa_seconds=args.max_asa,
        )
    )
    around = np.arange(max(n - 2, 0), n + 4)
    common = (args.calls, args.aht, interval_seconds, args.answer_within)
    if args.patience is None:
        m = erlang_c_metrics(around, *common)
        model = "Erlang C (callers wait as long as it takes)"
    else:
        m = erlang_a_metrics(around, *common, args.patience)
        model = f"Erlang A (mean patience {args.patience:g} s)"
    load = args.calls * args.aht / interval_seconds
    scheduled = int(agents_to_schedule(np.array(n), args.shrinkage))
    print(f"Model:            {model}")
    print(
        f"Offered load:     {load:.2f} Erlangs "
        f"({args.calls:g} calls x {args.aht:g} s / {interval_seconds:g} s)"
    )
    print(
        f"Agents on phones: {n} (smallest meeting {args.service_level:.0%} answered within "
        f"{args.answer_within:g} s{_caps_text(args)})"
    )
    if args.shrinkage:
        print(f"Agents on duty:   {scheduled} (with {args.shrinkage:.0%} shrinkage)")
    print()
    header = f"{'agents':>6}  {'service level':>13}  {'P(wait)':>8}  {'ASA s':>8}  {'occupancy':>9}"
    has_abandon = hasattr(m, "p_abandon")
    print(header + (f"  {'abandoned':>9}" if has_abandon else ""))
    for k, agents in enumerate(around):
        row = (
            f"{agents:>6}  {m.service_level[k]:>13.2%}  {m.p_wait[k]:>8.2%}  "
            f"{_seconds(m.asa_seconds[k]):>8}  {m.occupancy[k]:>9.1%}"
        )
        row += f"  {m.p_abandon[k]:>9.2%}" if has_abandon else ""
        print(row + ("   <- required" if agents == n else ""))
    return EXIT_OK


def _caps_text(args: argparse.Namespace) -> str:
    caps = []
    if args.max_occupancy is not None:
        caps.append(f"occupancy <= {args.max_occupancy:.0%}")
    if args.max_abandon is not None:
        caps.append(f"abandonment <= {args.max_abandon:.1%}")
    if args.max_asa is not None:
        caps.append(f"ASA <= {args.max_asa:g} s")
    return f"; {', '.join(caps)}" if caps else ""


def _seconds(value: float) -> str:
    return "inf" if not np.isfinite(value) else f"{value:.2f}"


# --------------------------------------------------------------------------------------------------
# validate, demand
# --------------------------------------------------------------------------------------------------


def _add_validate(commands) -> None:
    p = commands.add_parser(
        "validate",
        help="check scenario files and report every problem",
        description="Check scenario files; every problem is listed with its field path.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.set_defaults(run=_run_validate)


def _run_validate(args: argparse.Namespace) -> int:
    from planner.scenario import load_scenario

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
    from planner.scenario import load_scenario, write_atomic
    from planner.staffing import build_requirement

    scenario = load_scenario(args.file)
    table = build_requirement(scenario, build_demand(scenario))
    write_atomic(args.out, table.to_csv(index=False, float_format="%.4f").encode())
    daily = table.pivot_table(
        index="day", columns="queue", values="calls", aggfunc="sum", sort=False
    )
    print(f"Calls per day ({scenario.name}):")
    print(daily.round(0).astype(int).to_string())
    print(f"wrote {args.out} ({len(table)} rows)")
    return EXIT_OK


# --------------------------------------------------------------------------------------------------
# solve
# --------------------------------------------------------------------------------------------------


def _add_solve(commands) -> None:
    p = commands.add_parser(
        "solve",
        help="size shifts and breaks for a scenario; write shifts, coverage and KPIs",
        description="Plan the shifts of a scenario with CP-SAT, check the plan without the "
        "solver, and write shifts.csv, coverage.csv, allocation.csv, kpis_daily.csv and "
        "kpis.json into DIR.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="output directory")
    p.add_argument("--time-limit", type=float, help="seconds (default: the scenario's)")
    p.add_argument("--gap", type=float, help="relative gap to stop at (default: the scenario's)")
    p.add_argument("--seed", type=int, help="solver seed (default: the scenario's)")
    p.add_argument("--workers", type=int, help="solver threads (default: the scenario's)")
    p.add_argument("--mode", choices=["interval", "daily"], help="override service.mode")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(run=_run_solve)


def _run_solve(args: argparse.Namespace) -> int:
    from planner.export import write_plan
    from planner.optimise import plan_shifts
    from planner.scenario import load_scenario

    scenario = load_scenario(args.file)
    if args.mode and args.mode != scenario.service.mode:
        service = scenario.service.model_copy(update={"mode": args.mode})
        scenario = scenario.model_copy(update={"service": service}).with_source(scenario.source)
    overrides = {
        name: value
        for name, value in (
            ("time_limit_seconds", args.time_limit),
            ("relative_gap", args.gap),
            ("seed", args.seed),
            ("workers", args.workers),
        )
        if value is not None
    }
    progress = None if args.quiet else _ProgressPrinter()
    result = plan_shifts(scenario, progress=progress, **overrides)
    if progress is not None:
        progress.finish()
    _print_summary(result)
    if result.solve.status == "INFEASIBLE":
        print("The hard rules contradict each other; no plan exists. Rules in conflict:")
        for rule in result.solve.conflicting_rules:
            print(f"  - {rule}")
        return EXIT_FAILED
    written = write_plan(result, args.out)
    print(f"wrote {', '.join(str(p) for p in written)}")
    return EXIT_OK if result.validation.ok else EXIT_FAILED


class _ProgressPrinter:
    """Best objective and bound as they improve: one updating line on a terminal, else a line
    per second at most."""

    def __init__(self) -> None:
        import threading
        import time

        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.clock = time.monotonic
        self.lock = threading.Lock()
        self.printed = False

    def __call__(self, p) -> None:
        with self.lock:
            now = self.clock()
            if not self.tty and now - self.last < 1.0:
                return
            self.last = now
            best = "-" if p.objective is None else f"{p.objective:,.0f}"
            gap = "-" if p.gap is None else f"{p.gap:.2%}"
            line = (
                f"  {p.elapsed_seconds:6.1f} s  best {best}  bound {p.best_bound:,.0f}  "
                f"gap {gap}  ({p.solutions_found} plans)"
            )
            print(
                ("\r" + line + "   ") if self.tty else line,
                end="" if self.tty else "\n",
                file=sys.stderr,
                flush=True,
            )
            self.printed = True

    def finish(self) -> None:
        if self.tty and self.printed:
            print(file=sys.stderr)


def _print_summary(result) -> None:
    s, k = result.solve, result.kpis
    if s.has_plan:
        print(
            f"{result.scenario_name}: {s.status}, objective {s.objective:,.2f} (bound "
            f"{s.best_bound:,.2f}, gap {s.gap:.2%}) in {s.solve_seconds:.1f} s"
        )
    else:
        print(f"{result.scenario_name}: {s.status} after {s.solve_seconds:.1f} s, no plan found")
    ratio = k["paid_to_required_ratio"]
    print(
        f"Paid hours {k['paid_hours']:,.1f}, cost {k['cost']:,.0f}, "
        f"borrowed {k['borrowed_hours']:,.1f} h"
        + (f"; paid / required agent-hours {ratio:.3f}" if ratio else "")
    )
    print(
        f"{'queue':<14} {'service level':>13} {'target':>7} {'abandoned':>9} {'ASA s':>7} "
        f"{'short intervals':>15} {'peak agents':>11}"
    )
    for name, q in k["queues"].items():
        abandoned = "-" if q["abandon_rate"] is None else f"{q['abandon_rate']:.1%}"
        print(
            f"{name:<14} {_percent(q['service_level']):>13} {q['service_level_target']:>7.0%} "
            f"{abandoned:>9} {_seconds(q['asa_seconds'] or 0):>7} "
            f"{q['understaffed_intervals']:>15} {q['peak_agents']:>11}"
        )
    if result.penalties:
        parts = ", ".join(f"{name} {value:,.0f}" for name, value in result.penalties.items())
        print(f"Objective terms: {parts}")
    print(f"Plan check (no solver): {result.validation.summary()}")


def _percent(value) -> str:
    return "-" if value is None else f"{value:.1%}"


_COMMANDS: list[Callable] = [_add_staff, _add_validate, _add_demand, _add_solve]
