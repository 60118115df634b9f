"""``compare``, ``sweep`` and ``capacity``: many solves side by side
(:mod:`planner.study`)."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

from planner.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, print_table
from planner.present.catalogue import kpi, queue_column, rows
from planner.present.formats import DIFFERENCE

# ----- shared options -----------------------------------------------------------------------------


def _add_run_options(p: argparse.ArgumentParser) -> None:
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="local worker processes (default: one per core; 1 runs in this process)",
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster: the scheduler's address, e.g. tcp://10.0.0.5:8786",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        metavar="S",
        help="solver seconds per point (default: each scenario's own)",
    )
    p.add_argument("--seed", type=int, help="solver seed (default: each scenario's own)")
    p.add_argument(
        "--reproducible",
        action="store_true",
        default=None,
        help="let each solve's deterministic limit alone end it (solver.reproducible): the "
        "same table on every machine and executor, with no wall-clock limit",
    )
    p.add_argument("--quiet", action="store_true", help="no progress")


def _executor(args: argparse.Namespace):
    from planner.study.executors import make_executor

    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers = {args.workers}: must be at least 1")
    if args.time_limit is not None and not args.time_limit > 0:
        raise ValueError(f"--time-limit = {args.time_limit}: must be > 0")
    return make_executor(args.workers, args.scheduler)


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class _ProgressBar:
    """Points done, time elapsed and an estimate of the time left: one updating line on a
    terminal, otherwise a line per point."""

    width = 24

    def __init__(self, what: str, quiet: bool) -> None:
        self.what = what
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.printed = False

    def __call__(self, p) -> None:
        if self.quiet:
            return
        left = p.remaining_seconds
        estimate = f", about {_clock(left)} left" if left is not None and p.done < p.total else ""
        failed = f", {p.failed} failed" if p.failed else ""
        if self.tty:
            filled = round(self.width * p.done / max(p.total, 1))
            bar = "#" * filled + "-" * (self.width - filled)
            line = (
                f"\r[{bar}] {p.done}/{p.total} {self.what}{failed}, elapsed "
                f"{_clock(p.elapsed_seconds)}{estimate}   "
            )
            print(line, end="", file=sys.stderr, flush=True)
        else:
            status = kpi("status").format(p.last.kpis.get("status", "?"))
            print(
                f"{p.done}/{p.total} {self.what} ({p.last.label}: {status}){failed}, elapsed "
                f"{_clock(p.elapsed_seconds)}{estimate}",
                file=sys.stderr,
                flush=True,
            )
        self.printed = True

    def finish(self) -> None:
        if self.tty and self.printed:
            print(file=sys.stderr)
            self.printed = False


# ----- formatting ---------------------------------------------------------------------------------

_POINT_TOTALS = (
    "status",
    "meets_target",
    "cost",
    "paid_hours",
    "borrowed_hours",
    "understaffed_intervals",
)
_POINT_PER_QUEUE = ("service_level", "worst_day_service_level")
"""A sweep's line per point keeps to these KPIs (the CSV has them all), so it fits a terminal."""


def _print_comparison(comparison) -> None:
    kpis, diffs, ref = comparison.kpis, comparison.differences, comparison.reference
    labels = list(kpis["scenario"])
    others = [label for label in labels if label != ref]
    header = ["", *labels, *[f"{label} - {ref}" for label in others]]
    lines = [header]
    by_label = kpis.set_index("scenario")
    diff_by_label = diffs.set_index("scenario")
    for column, name, entry in rows(by_label.columns):
        line = [name, *[entry.format(by_label.at[label, column]) for label in labels]]
        for label in others:
            value = diff_by_label.at[label, column] if column in diff_by_label.columns else None
            line.append(entry.format(value, signed=True, marks=DIFFERENCE))  # blank if none
        lines.append(line)
    print_table(lines)
    for label, error in zip(kpis["scenario"], kpis["error"], strict=True):
        if isinstance(error, str):
            print(f"{label}: FAILED: {error}")
    _note_time_limit(kpis)


def _print_points(table, paths: list[str]) -> None:
    """One line per point: its values, status, target, cost, hours and per-queue service."""
    chosen = rows(table.columns, _POINT_TOTALS, _POINT_PER_QUEUE)
    lines = [[*paths, *[name for _, name, _ in chosen]]]
    for _, row in table.iterrows():
        values = [entry.format(row[column]) for column, _, entry in chosen]
        lines.append([*[str(row[p]) for p in paths], *values])
    print_table(lines, first_left=False)
    for _, row in table.iterrows():
        if isinstance(row.get("error"), str):
            print(f"point {row['point']} ({row['label']}) FAILED: {row['error']}")
    _note_time_limit(table)


def _note_time_limit(table) -> None:
    if "hit_time_limit" not in table.columns:
        return
    cut = int((table["hit_time_limit"] == True).sum())  # noqa: E712 (missing for failed points)
    if cut:
        print(
            f"note: {cut} solve(s) stopped at the wall-clock time limit short of the gap: their "
            "plans depend on how busy the machine was (give a --time-limit long enough to reach "
            "the gap, or run fewer points at once on a busy machine)"
        )


def _records(table) -> list[dict[str, Any]]:
    """Table rows as JSON-ready records: missing values null, infinite ASA the string 'inf'."""

    def clean(value: Any) -> Any:
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float):
            if math.isnan(value):
                return None
            if math.isinf(value):
                return "inf" if value > 0 else "-inf"
        return value

    return [{k: clean(v) for k, v in row.items()} for row in table.to_dict(orient="records")]


def _csv(table) -> str:
    return table.to_csv(index=False)


# ----- compare ------------------------------------------------------------------------------------


def _add_compare(commands) -> None:
    p = commands.add_parser(
        "compare",
        help="solve several scenarios and compare their KPIs side by side",
        description="Solve every scenario (in parallel), then print one KPI table: a column per "
        "scenario, and the difference of each from the reference. Every point is solved with one "
        "solver worker and the scenario's seed and time limit, so the figures are reproducible.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--reference",
        metavar="REF",
        help="the scenario the others are compared with: its file, file name without .yaml, or "
        "scenario name (default: the first)",
    )
    p.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="table (default): for reading; csv: the KPI table, one row per scenario; json: "
        "KPIs and differences",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="also write kpis.csv, differences.csv and coverage.csv (per interval, for overlay "
        "charts) into DIR",
    )
    _add_run_options(p)
    p.set_defaults(run=_run_compare)


def _labels(files: list[Path]) -> list[str]:
    stems = [f.stem for f in files]
    return stems if len(set(stems)) == len(stems) else [str(f) for f in files]


def _reference(args: argparse.Namespace, labels: list[str], scenarios) -> int:
    if args.reference is None:
        return 0
    ref = args.reference
    for i, (path, label, scenario) in enumerate(zip(args.files, labels, scenarios, strict=True)):
        if ref in (str(path), label, path.name, scenario.name):
            return i
        if Path(ref).exists() and path.exists() and Path(ref).resolve() == path.resolve():
            return i
    raise ValueError(
        f"--reference {ref!r} is none of the scenarios compared; give one of: {', '.join(labels)}"
    )


def _run_compare(args: argparse.Namespace) -> int:
    from planner.errors import ScenarioError
    from planner.io.files import write_atomic
    from planner.io.scenario_file import load_scenario
    from planner.study.compare import compare_scenarios

    scenarios, problems = [], []
    for path in args.files:  # every file's problems at once, before any solve
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as exc:
            problems.append(str(exc))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return EXIT_BAD_INPUT
    labels = _labels(args.files)
    reference = _reference(args, labels, scenarios)
    executor = _executor(args)
    bar = _ProgressBar("scenarios", args.quiet)
    try:
        comparison = compare_scenarios(
            scenarios,
            labels=labels,
            reference=reference,
            executor=executor,
            time_limit_seconds=args.time_limit,
            seed=args.seed,
            reproducible=args.reproducible,
            progress=bar,
        )
    finally:
        bar.finish()
        executor.close()
    if args.format == "table":
        _print_comparison(comparison)
    elif args.format == "csv":
        sys.stdout.write(_csv(comparison.kpis))
    else:
        document = {
            "reference": comparison.reference,
            "scenarios": _records(comparison.kpis),
            "differences": _records(comparison.differences),
        }
        print(json.dumps(document, indent=2))
    if args.out is not None:
        written = []
        for name, table in (
            ("kpis.csv", comparison.kpis),
            ("differences.csv", comparison.differences),
            ("coverage.csv", comparison.coverage),
        ):
            write_atomic(args.out / name, _csv(table).encode())
            written.append(str(args.out / name))
        print(f"wrote {', '.join(written)}", file=sys.stderr)
    failed = comparison.kpis["error"].map(lambda e: isinstance(e, str)).any()
    return EXIT_FAILED if failed else EXIT_OK


# ----- sweep --------------------------------------------------------------------------------------


def _add_sweep(commands) -> None:
    p = commands.add_parser(
        "sweep",
        help="solve a scenario for every combination of overridden fields",
        description="Solve FILE once for every combination of the --set values and write one row "
        "of KPIs per point. A path names a field as in error messages, with list items by "
        "position or name: surges[0].peak_multiplier, pools[borrowed].headcount, "
        "queues[emergency].aht_seconds. Each value is validated like the same value in the file; "
        "a point with an invalid value is reported in its row and the others run.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument(
        "--set",
        dest="sets",
        action="append",
        required=True,
        metavar="PATH=V1,V2,...",
        help="a field and its values (repeat for more fields: every combination is solved)",
    )
    p.add_argument("--out", type=Path, required=True, metavar="CSV", help="results, a row a point")
    p.add_argument(
        "--coverage",
        type=Path,
        metavar="CSV",
        help="also write every point's coverage per interval",
    )
    _add_run_options(p)
    p.set_defaults(run=_run_sweep)


def _run_sweep(args: argparse.Namespace) -> int:
    from planner.errors import ScenarioError
    from planner.io.scenario_file import load_scenario
    from planner.overrides import apply_overrides, parse_assignment
    from planner.study.sweeps import grid_points, iter_sweep

    base = load_scenario(args.file)
    grid: dict[str, list[Any]] = {}
    for text in args.sets:
        path, values = parse_assignment(text)
        if path in grid:
            raise ValueError(f"--set {path} is given twice; list all its values in one --set")
        grid[path] = values
    points = grid_points(grid)
    problems = []
    for point in points:  # cheap (no solve): all invalid is bad input, not a sweep
        try:
            apply_overrides(base, point)
        except ScenarioError as exc:
            problems.append(str(exc))
    if len(problems) == len(points):
        for problem in dict.fromkeys(problems):
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    executor = _executor(args)
    bar = _ProgressBar("points", args.quiet)
    results = []
    started = time.perf_counter()
    stream = iter_sweep(
        base,
        grid,
        executor=executor,
        time_limit_seconds=args.time_limit,
        seed=args.seed,
        reproducible=args.reproducible,
        keep_coverage=args.coverage is not None,
        progress=bar,
    )
    try:
        for result in stream:
            results.append(result)
    except KeyboardInterrupt:
        stream.close()  # stops the workers now rather than after their solves
        bar.finish()
        _write_sweep(args, sorted(results, key=lambda r: r.index))
        print(
            f"interrupted: wrote the {len(results)} of {len(points)} points done", file=sys.stderr
        )
        return 130
    finally:
        bar.finish()
        executor.close()
    results.sort(key=lambda r: r.index)
    table = _write_sweep(args, results)
    _print_points(table, list(grid))
    failed = sum(not r.ok for r in results)
    print(
        f"{len(results)} points in {_clock(time.perf_counter() - started)}"
        + (f", {failed} failed" if failed else "")
        + f"; wrote {args.out}"
        + (f" and {args.coverage}" if args.coverage else "")
    )
    return EXIT_FAILED if failed else EXIT_OK


def _write_sweep(args, results):
    from planner.io.files import write_atomic
    from planner.study.tables import results_coverage, results_table

    table = results_table(results)
    write_atomic(args.out, _csv(table).encode())
    coverage = results_coverage(results) if args.coverage is not None else None
    if coverage is not None:
        write_atomic(args.coverage, _csv(coverage).encode())
    return table


# ----- capacity -----------------------------------------------------------------------------------


def _add_capacity(commands) -> None:
    p = commands.add_parser(
        "capacity",
        help="the largest surge (or smallest staff) that still meets the service target",
        description="Search one field for the largest (--largest) or smallest (--smallest) value "
        "whose plan meets the target: every queue's daily service level (answered within T over "
        "all calls offered) at least its target on every open day. The answer meets it and the "
        "next step does not.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--largest", metavar="PATH", help="e.g. surges[0].peak_multiplier")
    what.add_argument("--smallest", metavar="PATH", help="e.g. pools[borrowed].headcount")
    p.add_argument("--from", dest="low", required=True, metavar="V", help="lowest value")
    p.add_argument("--to", dest="high", required=True, metavar="V", help="highest value")
    p.add_argument("--step", default="1", metavar="S", help="grid step (default 1; e.g. 0.1)")
    p.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="PATH=V",
        help="a field fixed for the whole search, e.g. surges[0].peak_multiplier=4",
    )
    p.add_argument(
        "--queues", metavar="Q1,Q2", help="only these queues must meet the target (default: all)"
    )
    p.add_argument("--out", type=Path, metavar="CSV", help="write every value solved, with KPIs")
    _add_run_options(p)
    p.set_defaults(run=_run_capacity)


def _number(text: str, option: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{option} {text!r}: must be a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{option} {text!r}: must be a finite number")
    return value


def _run_capacity(args: argparse.Namespace) -> int:
    from planner.io.files import write_atomic
    from planner.io.scenario_file import load_scenario
    from planner.overrides import Override, apply_overrides, parse_assignment
    from planner.study.capacity import capacity_search

    base = load_scenario(args.file)
    fixed = []
    for text in args.sets:
        path, values = parse_assignment(text)
        if len(values) != 1:
            raise ValueError(f"--set {text}: give one value (the search varies only its own field)")
        fixed.append(Override(path, values[0]))
    base = apply_overrides(base, fixed)
    queues = [q.strip() for q in args.queues.split(",")] if args.queues else None
    executor = _executor(args)
    path = args.largest or args.smallest

    def report(result) -> None:
        if args.quiet:
            return
        k = result.kpis
        worst_day = kpi("worst_day_service_level", "queue")
        worst = ", ".join(
            f"{q} {worst_day.label} {worst_day.format(k.get(queue_column(q, worst_day.key)))}"
            for q in (queues or [q.name for q in base.queues])
        )
        chosen = queues or [q.name for q in base.queues]
        meets = "meets" if all(k.get(f"{q}.meets_target") for q in chosen) else "misses"
        print(f"  {result.label}: {k['status']}, {meets} the target ({worst})", file=sys.stderr)

    try:
        answer = capacity_search(
            base,
            path,
            low=_number(args.low, "--from"),
            high=_number(args.high, "--to"),
            step=_number(args.step, "--step"),
            want="largest" if args.largest else "smallest",
            queues=queues,
            executor=executor,
            time_limit_seconds=args.time_limit,
            seed=args.seed,
            reproducible=args.reproducible,
            progress=report,
        )
    finally:
        executor.close()
    print(answer.summary())
    print(f"({len(answer.evaluations)} values solved)")
    if args.out is not None:
        write_atomic(args.out, _csv(answer.evaluations).encode())
        print(f"wrote {args.out}")
    return EXIT_OK if answer.outcome == "found" else EXIT_FAILED


def register(commands) -> None:
    """Add this module's commands to the parser."""
    _add_compare(commands)
    _add_sweep(commands)
    _add_capacity(commands)
