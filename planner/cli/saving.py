"""``--save`` on the commands that produce work (``solve``, ``roster``, ``simulate``,
``forecast``), and the options every store command shares (``--db``, ``--author``).

A self-contained hook: a command adds the options with :func:`add_save_options`, opens the
store before any work with :func:`open_store_if_saving` (a bad URL, a refused login or a newer
schema ends the command with exit 2 before anything is solved or written), and records what it
wrote with :func:`save_plan_run`, :func:`save_roster_run`, :func:`save_simulation_run` or
:func:`save_forecast_run`.
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
    "save_forecast_run",
    "save_plan_run",
    "save_roster_run",
    "save_simulation_run",
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


def add_save_options(parser: argparse.ArgumentParser, help_text: str | None = None) -> None:
    """``--save`` (with ``--db``, ``--author`` and ``--note``) on a command that produces work."""
    parser.add_argument(
        "--save",
        action="store_true",
        help=help_text
        or "also keep the scenario version and what this command writes in the store "
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


def save_simulation_run(
    args: argparse.Namespace,
    plan_files: Mapping[str, bytes],
    roster_files: Mapping[str, bytes] | None,
    document: Mapping,
) -> None:
    """With ``--save``: the simulation of a plan folder (or of a roster folder), linked to the
    plan (and roster) already stored when their files are the folder's, else stored first.

    The scenario file is saved as a version, unless unchanged (as ``solve --save`` does); the
    plan is looked for among that version's plans by its files
    (:meth:`planner.store.Store.find_plan`). A plan not stored yet is stored from the folder,
    which then needs its ``kpis.json`` (a ``solve`` folder has it; a ``roster`` folder keeps
    only the plan's tables); a roster not stored yet is stored as a draft.

    Raises
    ------
    ValueError
        The plan (or roster) is not stored and its folder lacks the files to store it.
    """
    store = getattr(args, "store", None)
    if store is None:
        return
    name = author(args)
    with store:
        if "kpis.json" not in plan_files and store.find_plan(None, plan_files) is None:
            raise _not_saved(f"is not in {store.url}")
        version = _scenario_version(store, args)
        plan_id = store.find_plan(version.id, plan_files)
        if plan_id is not None:
            plan_text = f"plan p{plan_id} (stored already)"
        elif "kpis.json" in plan_files:
            plan_id = store.save_plan(version.id, plan_files, author=name, note=args.note).id
            plan_text = f"plan p{plan_id} (saved now)"
        else:  # stored, but as a plan of another version of the scenario
            raise _not_saved(f"is stored as a plan of another version than {version.ref}")
        roster_id = None
        roster_text = ""
        if roster_files is not None:
            roster_id = store.find_roster(plan_id, roster_files["roster.csv"])
            if roster_id is not None:
                roster_text = f"roster r{roster_id} (stored already) of "
            elif "roster.json" in roster_files:
                roster_id = store.save_roster(plan_id, roster_files, author=name, note=args.note).id
                roster_text = f"draft roster r{roster_id} (saved now) of "
            else:
                raise ValueError(
                    f"the simulation is written but not saved: the roster simulated is not in "
                    f"{store.url} and its folder has no roster.json to save it from"
                )
        sim_id = store.save_simulation(plan_id, document, author=name, roster_id=roster_id)
        print(f"saved simulation {sim_id} of {roster_text}{plan_text} of {version.ref}")


def _not_saved(where: str) -> ValueError:
    return ValueError(
        f"the simulation is written but not saved: the plan simulated {where}, and its folder "
        "has no kpis.json to save it from; save the plan with 'solve ... --save' or "
        "'roster ... --save', or give --plan the folder 'solve' wrote"
    )


def save_forecast_run(
    args: argparse.Namespace,
    history: tuple[str, bytes],
    settings: Mapping,
    forecast_csv: bytes,
    *,
    summary: Mapping,
    backtest_csv: bytes | None = None,
    special_days: tuple[str, bytes] | None = None,
) -> None:
    """With ``--save``: the forecast, its history (by content), settings and files."""
    store = getattr(args, "store", None)
    if store is None:
        return
    with store:
        record = store.save_forecast(
            history,
            settings,
            forecast_csv,
            author=author(args),
            note=args.note,
            summary=summary,
            backtest_csv=backtest_csv,
            special_days=special_days,
        )
        print(f"saved forecast {record.ref} in {store.url}")
