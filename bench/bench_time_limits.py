"""Does ``--time-limit`` hold for the whole command? Whole-process wall time of ``solve`` and
``roster`` against the limit given, start-up, reading, model building and writing included.

The promise (README, "Time limits"): on an idle machine the command ends within the limit plus
10 % plus 2 s. Each case is run ``--repeat`` times as a fresh process; the table gives the
median wall and CPU seconds, the overshoot ratio wall / limit, and whether every run kept the
promise. Cases: emergency.yaml (one week), the same over 28 days as one model (its part-time cap
couples the weeks), and the roster of the 71 named operators (plan and roster within one limit).

Run: ``python bench/bench_time_limits.py [--repeat 3] [--against CHECKOUT]``; with
``--against`` the same cases also run in another checkout (e.g. a worktree of an earlier commit),
pair by pair, so both are timed under the same load.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def _month(folder: Path) -> Path:
    """emergency.yaml over 28 days, written beside a copy of its data folder."""
    data = yaml.safe_load((REPO / "scenarios" / "emergency.yaml").read_text())
    data["horizon"]["days"] = 28
    data["name"] = "State of emergency, 28 days"
    path = folder / "emergency_28.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    os.symlink(REPO / "scenarios" / "data", folder / "data")
    return path


def _run(argv: list[str], checkout: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of one command as a fresh process in ``checkout``, and its exit
    code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=checkout, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another checkout to time the same way")
    args = parser.parse_args()
    checkouts = [("this", REPO)] + ([("against", args.against.resolve())] if args.against else [])
    print(f"load before: {os.getloadavg()[0]:.2f} (1-min average), {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        month = _month(folder)
        week = REPO / "scenarios" / "emergency.yaml"
        operators = REPO / "scenarios" / "data" / "emergency_operators.csv"
        cases = [
            ("solve emergency week", ["solve", week, "--gap", "0"], 2.0),
            ("solve emergency week", ["solve", week, "--gap", "0"], 5.0),
            ("solve 28 days, one model", ["solve", month, "--gap", "0"], 5.0),
            ("solve 28 days, one model", ["solve", month, "--gap", "0"], 20.0),
            ("roster 71 named operators", ["roster", week, "--operators", operators], 10.0),
        ]
        print(
            "case | checkout | --time-limit s | wall s (median, min-max) | CPU s (median) | "
            "wall / limit | within limit + 10 % + 2 s | exit codes"
        )
        for name, command, limit in cases:
            runs = {label: ([], [], []) for label, _ in checkouts}
            for r in range(args.repeat):
                for label, checkout in checkouts:  # pair by pair: the same load for both
                    out = folder / f"out-{label}-{name.replace(' ', '_')}-{limit}-{r}"
                    argv = [sys.executable, "-m", "planner", *map(str, command)]
                    argv += ["--time-limit", str(limit), "--out", str(out)]
                    for column, value in zip(runs[label], _run(argv, checkout), strict=True):
                        column.append(value)
            bound = limit * 1.1 + 2.0
            for label, (walls, cpus, codes) in runs.items():
                print(
                    f"{name} | {label} | {limit:g} | {statistics.median(walls):.2f} "
                    f"({min(walls):.2f}-{max(walls):.2f}) | {statistics.median(cpus):.2f} | "
                    f"{statistics.median(walls) / limit:.2f} | "
                    f"{'yes' if max(walls) <= bound else 'NO'} (<= {bound:.1f} s) | "
                    f"{sorted(set(codes))}"
                )
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
