"""``--save`` on the commands that produce work (``solve``, ``roster``), and the options every
store command shares (``--db``, ``--author``).

A self-contained hook: a command adds the options with :func:`add_save_options`, opens the
store before any work with :func:`open_store_if_saving` (a bad URL, a refused login or a newer
schema ends the command with exit 2 before anything is solved or written), and records what it
wrote with :func:`save_plan_run` or :func:`save_roster_run`.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
from collections.abc import Mapping

__all__ = [
    "AUTHOR_VARIABLE",
    "add_save_options",
    "add_store_options",
    "author",
    "open_store",
    "open_store_if_saving",
    "save_plan_run",
    "save_roster_run",
]

AUTHOR_VARIABLE = "PLANNER_AUTHOR"
"""The environment variable naming who saves (default: the login name)."""


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """``--db URL`` and ``--author NAME``."""
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: $PLANNER_DB_URL, else a SQLite file in your data folder)",
    )
    parser.add_argument(
        "--author", help="who saves (default: $PLANNER_AUTHOR, else your login name)"
    )


def add_save_options(parser: argparse.ArgumentParser) -> None:
    """``--save`` (with ``--db``, ``--author`` and ``--note``) on a command that produces work."""
    parser.add_argument(
        "--save",
        action="store_true",
        help="also keep the scenario version and what this command writes in the store "
        "(see the scenarios, plans and rosters commands)",
    )
    parser.add_argument("--note", default="", help="with --save: a note kept with it")
    add_store_options(parser)


def author(args: argparse.Namespace) -> str:
    """``--author``, else ``$PLANNER_AUTHOR``, else the login name."""
    name = getattr(args, "author", None) or os.environ.get(AUTHOR_VARIABLE)
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def open_store(args: argparse.Namespace):
    """The store ``--db`` names (a :class:`planner.store.Store`)."""
    from planner.store import Store

    return Store(getattr(args, "db", None))


def open_store_if_saving(args: argparse.Namespace) -> None:
    """With ``--save``, open the store now (before any work), kept on ``args``."""
    args.store = open_store(args) if getattr(args, "save", False) else None


def _scenario_version(store, args: argparse.Namespace):
    version, new = store.save_scenario_file(args.file, author=author(args), note=args.note)
    print(f"{'saved' if new else 'unchanged'} scenario {version.ref} in {store.url}")
    return version


def save_plan_run(args: argparse.Namespace, files: Mapping[str, bytes]) -> None:
    """With ``--save``: the scenario file as a version (unless unchanged) and the plan's files."""
    store = getattr(args, "store", None)
    if store is None:
        return
    with store:
        version = _scenario_version(store, args)
        plan = store.save_plan(version.id, files, author=author(args), note=args.note)
        simulated = json.loads(files["kpis.json"]).get("simulated")
        if simulated:  # solve --simulate N: the simulation is kept with its plan
            store.save_simulation(plan.id, simulated, author=author(args))
            print(f"saved plan {plan.ref} of {version.ref}, with its simulation")
        else:
            print(f"saved plan {plan.ref} of {version.ref}")


def save_roster_run(
    args: argparse.Namespace, plan_files: Mapping[str, bytes], roster_files: Mapping[str, bytes]
) -> None:
    """With ``--save``: the scenario version, the plan rostered and the roster, as a draft."""
    store = getattr(args, "store", None)
    if store is None:
        return
    with store:
        version = _scenario_version(store, args)
        plan = store.save_plan(version.id, plan_files, author=author(args), note=args.note)
        roster = store.save_roster(plan.id, roster_files, author=author(args), note=args.note)
        print(
            f"saved plan {plan.ref} and draft roster {roster.ref} of {version.ref}; publish it "
            f"with: python -m planner rosters publish {roster.ref}"
        )
