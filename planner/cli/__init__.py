"""Command line: ``python -m planner <command> ...``.

Every command prints what a planner needs to read and writes files atomically. Bad input prints
one clear message per problem (file, field, value, rule) and exits with code 2, never a traceback.
The commands live in :mod:`planner.cli`, one module per group, listed in ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

from planner.cli import (
    advise,
    compare,
    forecast,
    roster,
    saved,
    scenario,
    simulate,
    solve,
    staff,
)
from planner.cli.common import EXIT_BAD_INPUT
from planner.errors import PlannerError

__all__ = ["COMMANDS", "main"]

COMMANDS = [staff, scenario, forecast, solve, advise, compare, roster, simulate, saved]
"""Command modules, in the order ``--help`` lists them."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    started = time.perf_counter()  # a --time-limit counts from here (reading files included)
    parser = _parser()
    args = parser.parse_args(argv)
    args.started = started
    try:
        return args.run(args)
    except (PlannerError, ValueError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces the closed stream for good
        return 141


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m planner",
        description="Contact-centre capacity planner: staffing, shift plans, scenario comparison.",
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(commands)
    return parser
