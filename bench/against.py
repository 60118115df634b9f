"""Run a benchmark on this checkout and on an earlier commit in the same run, one after the
other, alternating, so that both see the same machine (figures printed; not a timed test).

The earlier commit is checked out in a temporary git worktree (removed afterwards) and run with
this checkout's interpreter; each side runs the same command line with its own code.

Usage: ``python bench/against.py REV [--rounds N] -- bench/bench_optimise.py scale daily month``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(where: Path, command: list[str]) -> tuple[str, float, float]:
    """Output, wall seconds and CPU seconds (children's user + system) of one run."""
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *command], cwd=where, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return done.stdout + done.stderr, wall, cpu


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("rev", help="the earlier commit (e.g. HEAD~1, a hash)")
    p.add_argument("--rounds", type=int, default=1, help="alternations (default 1)")
    p.add_argument("command", nargs=argparse.REMAINDER, help="after --: the benchmark's arguments")
    args = p.parse_args()
    command = [c for c in args.command if c != "--"]
    if not command:
        sys.exit("give the benchmark to run after --, e.g. -- bench/bench_optimise.py scale daily")
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="against-") as tmp:
        other = Path(tmp) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(other), args.rev], cwd=ROOT, check=True
        )
        try:
            for k in range(args.rounds):
                for label, where in ((args.rev, other), (f"{head} (this checkout)", ROOT)):
                    load = os.getloadavg()[0]
                    out, wall, cpu = run(where, command)
                    print(
                        f"### round {k + 1}, {label}: load {load:.1f} before, "
                        f"{wall:.1f} s wall, {cpu:.1f} s CPU"
                    )
                    print(out.rstrip(), flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT)


if __name__ == "__main__":
    main()
