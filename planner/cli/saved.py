"""Saved work: ``db``, ``scenarios``, ``plans``, ``rosters``, ``forecasts`` and ``export``.

``rosters`` (plural) holds the roster store commands (``rosters publish``, ``rosters changes``)
because ``roster SCENARIO`` already makes a roster. Items are named as the listings show them:
a scenario version ``KEY@N`` (``KEY`` alone: the latest), a plan ``pN``, a roster ``rN``, a
forecast ``fN``.
"""

from __future__ import annotations

import argparse
import re
from datetime import datetime
from pathlib import Path

from planner.cli.common import EXIT_OK, add_output_folder, print_table
from planner.cli.saving import add_store_options, author, open_store

__all__ = ["parse_ref", "register"]


def _when(moment: datetime | None) -> str:
    return "-" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


_KINDS = {"p": "plan", "r": "roster", "f": "forecast"}
_EXAMPLES = {"plan": "p12", "roster": "r3", "forecast": "f2"}


def parse_ref(text: str) -> tuple[str, int | str, int | None]:
    """``pN`` -> ("plan", N, None); ``rN`` -> ("roster", N, None); ``fN`` -> ("forecast", N,
    None); ``KEY@N`` or ``KEY`` -> ("scenario", KEY, N or None).

    Raises
    ------
    ValueError
        Naming the text and the accepted forms.
    """
    match = re.fullmatch(r"([prf])(\d+)", text)
    if match:
        return (_KINDS[match[1]], int(match[2]), None)
    match = re.fullmatch(r"([^@\s]+)(?:@(\d+))?", text)
    if match:
        return ("scenario", match[1], int(match[2]) if match[2] else None)
    raise ValueError(
        f"{text!r} names nothing stored: give a plan (p12), a roster (r3), a forecast (f2) or a "
        "scenario version (emergency@2, or emergency for the latest)"
    )


def _id(kind: str):
    def read(text: str) -> int:
        got, value, _ = parse_ref(text) if re.fullmatch(r"[prf]\d+", text) else ("", 0, None)
        if text.isdigit():  # a bare number is taken as the id asked for
            return int(text)
        if got != kind:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {kind} id ({_EXAMPLES[kind]})")
        return int(value)

    return read


def _scenario_ref(text: str) -> tuple[str, int | None]:
    kind, key, number = parse_ref(text)
    if kind != "scenario":
        raise argparse.ArgumentTypeError(f"{text!r} is not a scenario version (emergency@2)")
    return str(key), number


def _command(group, name: str, run, help_text: str) -> argparse.ArgumentParser:
    p = group.add_parser(name, help=help_text, description=help_text)
    add_store_options(p)
    p.set_defaults(run=run)
    return p


# ---- db ------------------------------------------------------------------------------------


def _run_db_upgrade(args: argparse.Namespace) -> int:
    from planner.store.engine import connect, shown_url, upgrade

    engine = connect(args.db)
    try:
        before, after = upgrade(engine)
    finally:
        engine.dispose()
    if before == after:
        print(f"{shown_url(engine.url)}: schema up to date (revision {after})")
    else:
        print(f"{shown_url(engine.url)}: schema upgraded from {before or 'empty'} to {after}")
    return EXIT_OK


# ---- scenarios -----------------------------------------------------------------------------


def _run_scenarios_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        rows = store.list_scenarios()
        if not rows:
            print(f"no scenario saved in {store.url}")
            return EXIT_OK
        lines = [["scenario", "latest", "saved", "by", "title"]]
        lines += [[v.key, f"@{v.number}", _when(v.created_at), v.author, v.title] for v in rows]
        print_table(lines)
    return EXIT_OK


def _run_scenarios_history(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        rows = store.history(args.key, limit=args.limit)
        lines = [["version", "saved", "by", "note"]]
        lines += [[v.ref, _when(v.created_at), v.author, v.note] for v in rows]
        print_table(lines)
    return EXIT_OK


def _run_scenarios_show(args: argparse.Namespace) -> int:
    key, number = args.ref
    with open_store(args) as store:
        v = store.version(key, number)
    if args.diff:
        print(v.diff or f"{v.ref}: no difference to the version before", end="")
        return EXIT_OK
    print(f"# {v.ref}: {v.title}; saved {_when(v.created_at)} by {v.author}")
    if v.note:
        print(f"# note: {v.note}")
    for name, (kind, content) in v.files.items():
        print(f"# {kind} file {name}: {len(content):,} bytes")
    print(v.text, end="" if v.text.endswith("\n") else "\n")
    return EXIT_OK


def _run_scenarios_save(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        version, new = store.save_scenario_file(
            args.file, author=author(args), key=args.name, note=args.note, base_version=args.base
        )
        if new:
            print(f"saved {version.ref} in {store.url}")
        else:
            print(f"unchanged: {args.file} is {version.ref} already ({store.url})")
    return EXIT_OK


# ---- plans ---------------------------------------------------------------------------------


def _number(value: float | None, pattern: str) -> str:
    return "-" if value is None else format(value, pattern)


def _run_plans_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        rows = store.list_plans(args.scenario, limit=args.limit)
        if not rows:
            print(f"no plan saved in {store.url}")
            return EXIT_OK
        lines = [["plan", "scenario", "saved", "by", "status", "gap", "paid hours", "cost"]]
        lines += [
            [
                p.ref,
                f"{p.scenario}@{p.version}",
                _when(p.created_at),
                p.author,
                p.status,
                "-" if p.gap is None else f"{p.gap:.2%}",
                _number(p.paid_hours, ",.1f"),
                _number(p.cost, ",.0f"),
            ]
            for p in rows
        ]
        print_table(lines)
    return EXIT_OK


def _run_plans_show(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        p = store.plan(args.id)
        simulations = store.simulation_records(args.id)
    print(f"plan {p.ref} of {p.scenario}@{p.version}; saved {_when(p.created_at)} by {p.author}")
    if p.note:
        print(f"note: {p.note}")
    settings = ", ".join(f"{k} {v}" for k, v in p.solver_settings.items())
    print(f"solver: {p.kpis.get('solver', {}).get('quality', p.status)}; {settings}")
    print(
        f"objective {_number(p.objective, ',.2f')}, paid hours {_number(p.paid_hours, ',.1f')}, "
        f"cost {_number(p.cost, ',.0f')}; plan check: {'valid' if p.valid else 'rules broken'}"
    )
    lines = [["queue", "service level", "abandoned", "ASA (s)", "understaffed intervals"]]
    for name, q in p.kpis.get("queues", {}).items():
        lines.append(
            [
                name,
                "-" if q.get("service_level") is None else f"{q['service_level']:.1%}",
                "-" if q.get("abandon_rate") is None else f"{q['abandon_rate']:.1%}",
                _number(q.get("asa_seconds"), ".2f"),
                str(q.get("understaffed_intervals", "-")),
            ]
        )
    print_table(lines)
    for record in simulations:
        sim = record.document
        what = f"roster r{record.roster_id} simulated" if record.roster_id else "simulated"
        print(
            f"{what} ({sim.get('replications')} replications, seed {sim.get('seed')}): "
            + ", ".join(_simulated_queue(q) for q in sim.get("queues", []))
        )
    print(f"files: {', '.join(p.files)}")
    return EXIT_OK


def _simulated_queue(q: dict) -> str:
    level, half = q.get("service_level"), q.get("service_level_ci95")
    if level is None:
        return f"{q.get('queue')} -"
    return f"{q.get('queue')} {level:.1%} +- {(half or 0):.1%}"


# ---- rosters -------------------------------------------------------------------------------


def _roster_line(r) -> list[str]:
    state = f"published #{r.publication}" if r.published else "draft"
    return [r.ref, f"p{r.plan_id}", r.scenario, state, _when(r.created_at), r.author]


def _run_rosters_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        rows = store.list_rosters(args.scenario, published_only=args.published)
        if not rows:
            print(f"no roster saved in {store.url}")
            return EXIT_OK
        lines = [["roster", "plan", "scenario", "state", "saved", "by"]]
        print_table(lines + [_roster_line(r) for r in rows])
    return EXIT_OK


def _run_rosters_show(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        r = store.roster(args.id)
    state = (
        f"published #{r.publication} by {r.published_by} at {_when(r.published_at)}"
        if r.published
        else "draft"
    )
    print(f"roster {r.ref} of plan p{r.plan_id} ({r.scenario}): {state}")
    print(f"saved {_when(r.created_at)} by {r.author}" + (f"; note: {r.note}" if r.note else ""))
    s = r.summary
    print(
        f"{s.get('assigned_shifts', '?')} of {s.get('planned_shifts', '?')} shifts assigned, "
        f"{s.get('unassigned_shifts', '?')} unassigned, {s.get('operators', '?')} operators"
    )
    if r.published:
        _print_changes(r.changes, f"changes from r{r.replaces_id}" if r.replaces_id else "shifts")
    return EXIT_OK


def _print_changes(changes, title: str) -> None:
    from planner.store.changes import change_counts

    operators = sorted({c.operator for c in changes})
    kinds = ", ".join(f"{n} {kind}" for kind, n in change_counts(changes).items())
    print(f"{title}: {len(changes)} operator-days of {len(operators)} operators ({kinds})")
    for c in changes:
        print(f"  {c.describe()}")


def _plan_or_roster(text: str) -> tuple[str, int]:
    kind, value, _ = parse_ref(text) if re.fullmatch(r"[pr]\d+", text) else ("", 0, None)
    if kind not in ("plan", "roster"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a roster (r3) or a plan (p12) id")
    return kind, int(value)


def _run_rosters_publish(args: argparse.Namespace) -> int:
    kind, number = args.id
    with open_store(args) as store:
        roster_id = store.draft_of_plan(number) if kind == "plan" else number
        r = store.publish(roster_id, author=author(args))
    print(
        f"published roster {r.ref} as publication {r.publication} of {r.scenario} "
        f"by {r.published_by} at {_when(r.published_at)}"
    )
    if r.replaces_id:
        _print_changes(r.changes, f"replaces r{r.replaces_id}; changed")
    else:
        print(f"first publication: {len({c.operator for c in r.changes})} operators with shifts")
    return EXIT_OK


def _run_rosters_changes(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        changes = store.changes(args.before, args.after)
    _print_changes(changes, f"r{args.before} -> r{args.after}")
    return EXIT_OK


def _run_rosters_delete(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        store.delete_roster(args.id)
    print(f"deleted draft roster r{args.id}")
    return EXIT_OK


# ---- forecasts -----------------------------------------------------------------------------


def _run_forecasts_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        rows = store.list_forecasts(limit=args.limit)
        if not rows:
            print(f"no forecast saved in {store.url}")
            return EXIT_OK
        lines = [["forecast", "saved", "by", "history", "start", "days", "method", "note"]]
        lines += [
            [
                f.ref,
                _when(f.created_at),
                f.author,
                f"{f.history_name} ({f.history_sha256[:8]})",
                str(f.settings.get("start", "-")),
                str(f.settings.get("days", "-")),
                str(f.settings.get("method", "-")),
                f.note,
            ]
            for f in rows
        ]
        print_table(lines)
    return EXIT_OK


def _run_forecasts_show(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        f = store.forecast(args.id)
    print(f"forecast {f.ref}; saved {_when(f.created_at)} by {f.author}")
    if f.note:
        print(f"note: {f.note}")
    print(f"history: {f.history_name} (sha256 {f.history_sha256})")
    if f.special_days_name:
        print(f"special days: {f.special_days_name}")
    print("settings: " + ", ".join(f"{k} {v}" for k, v in f.settings.items() if v is not None))
    summary = f.summary
    if summary.get("first_day"):
        print(f"days: {summary['first_day']} to {summary.get('last_day')}")
    lines = [["queue", "method", "calls", "backtest WAPE", "day WAPE"]]
    for name, q in summary.get("queues", {}).items():
        lines.append(
            [
                name,
                str(q.get("method", "-")),
                _number(q.get("calls"), ",.0f"),
                "-" if q.get("wape_interval") is None else f"{q['wape_interval']:.2%}",
                "-" if q.get("wape_day") is None else f"{q['wape_day']:.2%}",
            ]
        )
    if len(lines) > 1:
        print_table(lines)
    print(f"files: {', '.join(f'{n} ({len(c):,} bytes)' for n, c in f.files.items())}")
    return EXIT_OK


# ---- export --------------------------------------------------------------------------------


def _run_export(args: argparse.Namespace) -> int:
    from planner.io.run_folder import RunFolder

    kind, key, number = parse_ref(args.ref)
    with open_store(args) as store:
        if kind == "plan":
            files = dict(store.plan(int(key)).files)
        elif kind == "roster":
            files = dict(store.roster(int(key)).files)
        elif kind == "forecast":
            files = _forecast_files(store.forecast(int(key)))
        else:
            return _export_scenario(args, store.version(str(key), number))
    with RunFolder(args.out, names=files, force=args.force) as run:
        written = run.write(files)
    print(f"wrote {', '.join(str(p) for p in written)}")
    return EXIT_OK


def _forecast_files(f) -> dict[str, bytes]:
    """A stored forecast's files, and ``forecast.json``: its settings, summary and the names
    its history and special-days files had."""
    import json

    document = {
        "forecast": f.ref,
        "author": f.author,
        "created_at": _when(f.created_at),
        "note": f.note,
        "history": {"name": f.history_name, "sha256": f.history_sha256},
        "special_days": f.special_days_name,
        "settings": dict(f.settings),
        "summary": dict(f.summary),
    }
    return {**f.files, "forecast.json": json.dumps(document, indent=2).encode()}


def _export_scenario(args: argparse.Namespace, v) -> int:
    """A scenario version as ``KEY.yaml`` and the files it names, at the relative paths it
    names them (checked safe when it was saved), so ``solve DIR/KEY.yaml`` reads them."""
    from planner.io.files import write_atomic

    files = {f"{v.key}.yaml": v.text.encode("utf-8")}
    files.update({name: content for name, (_, content) in v.files.items()})
    targets = {args.out / name: content for name, content in files.items()}
    existing = [str(t) for t in targets if t.exists()]
    if existing and not args.force:
        raise FileExistsError(f"{', '.join(existing)} exist; give --force to replace them")
    for target, content in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, content)
    print(f"wrote {', '.join(str(t) for t in targets)} ({v.ref})")
    return EXIT_OK


def register(commands) -> None:
    """Add this module's commands to the parser."""
    db = commands.add_parser(
        "db", help="the store of saved work: upgrade its schema", description=__doc__
    )
    group = db.add_subparsers(title="db commands", required=True, metavar="COMMAND")
    _command(group, "upgrade", _run_db_upgrade, "create or upgrade the database's schema")

    scenarios = commands.add_parser(
        "scenarios", help="saved scenario versions: list, show, history, save"
    )
    group = scenarios.add_subparsers(title="scenarios commands", required=True, metavar="COMMAND")
    _command(group, "list", _run_scenarios_list, "every saved scenario and its latest version")
    p = _command(group, "history", _run_scenarios_history, "a scenario's versions, newest first")
    p.add_argument("key", metavar="SCENARIO")
    p.add_argument("--limit", type=int, help="at most this many versions")
    p = _command(group, "show", _run_scenarios_show, "a saved version's YAML (or its diff)")
    p.add_argument("ref", type=_scenario_ref, metavar="SCENARIO[@N]")
    p.add_argument("--diff", action="store_true", help="the difference to the version before")
    p = _command(
        group,
        "save",
        _run_scenarios_save,
        "check a scenario file and save it as the next version, with the files it names",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--name", help="the scenario's key in the store (default: the file's stem)")
    p.add_argument("--note", default="", help="why this version")
    p.add_argument(
        "--base",
        type=int,
        metavar="N",
        help="the version your file was edited from (0: a new scenario); refused if someone "
        "saved a later one",
    )

    plans = commands.add_parser("plans", help="saved plans: list, show")
    group = plans.add_subparsers(title="plans commands", required=True, metavar="COMMAND")
    p = _command(group, "list", _run_plans_list, "saved plans, newest first")
    p.add_argument("--scenario", metavar="KEY", help="only this scenario's")
    p.add_argument("--limit", type=int, help="at most this many")
    p = _command(group, "show", _run_plans_show, "a saved plan: solver, KPIs, files")
    p.add_argument("id", type=_id("plan"), metavar="PLAN")

    rosters = commands.add_parser(
        "rosters", help="saved rosters: list, show, publish, changes, delete (drafts)"
    )
    group = rosters.add_subparsers(title="rosters commands", required=True, metavar="COMMAND")
    p = _command(group, "list", _run_rosters_list, "saved rosters, newest first")
    p.add_argument("--scenario", metavar="KEY", help="only this scenario's")
    p.add_argument("--published", action="store_true", help="only published ones")
    p = _command(group, "show", _run_rosters_show, "a saved roster and, published, its changes")
    p.add_argument("id", type=_id("roster"), metavar="ROSTER")
    p = _command(
        group,
        "publish",
        _run_rosters_publish,
        "publish a draft roster (rN), or a plan's newest draft roster (pN): never changed "
        "after; lists whose shifts changed",
    )
    p.add_argument("id", type=_plan_or_roster, metavar="ROSTER_OR_PLAN")
    p = _command(group, "changes", _run_rosters_changes, "whose shifts differ between two rosters")
    p.add_argument("before", type=_id("roster"), metavar="ROSTER1")
    p.add_argument("after", type=_id("roster"), metavar="ROSTER2")
    p = _command(group, "delete", _run_rosters_delete, "delete a draft roster (never a published)")
    p.add_argument("id", type=_id("roster"), metavar="ROSTER")

    forecasts = commands.add_parser("forecasts", help="saved forecasts: list, show")
    group = forecasts.add_subparsers(title="forecasts commands", required=True, metavar="COMMAND")
    p = _command(group, "list", _run_forecasts_list, "saved forecasts, newest first")
    p.add_argument("--limit", type=int, help="at most this many")
    p = _command(
        group, "show", _run_forecasts_show, "a saved forecast: history, settings, queues, files"
    )
    p.add_argument("id", type=_id("forecast"), metavar="FORECAST")

    p = commands.add_parser(
        "export",
        help="write a saved plan's, roster's, forecast's or scenario version's files into a folder",
        description="Write the files of a saved plan (p12), roster (r3), forecast (f2: "
        "forecast.csv, backtest.csv, the history as history.csv, special_days.csv, and "
        "forecast.json with its settings) or scenario version (emergency@2: the YAML and the "
        "files it names) into DIR.",
    )
    p.add_argument("ref", metavar="ID")
    add_output_folder(p)
    add_store_options(p)
    p.set_defaults(run=_run_export)
