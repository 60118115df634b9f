"""The store of saved work (issue 15): the same tests on SQLite and on PostgreSQL 15.

The PostgreSQL variant starts a throwaway cluster (``tests/pg_cluster.py``) once per session and
gives each test a new database; without the PostgreSQL binaries it skips, unless ``CI`` is set,
where their absence is a failure.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from planner.cli import main
from planner.store import (
    NotFound,
    RosterPublished,
    SchemaBehind,
    SchemaTooNew,
    Store,
    StoreUnavailable,
    VersionConflict,
)
from planner.store import models as m
from planner.store.engine import connect, current_revision, head_revision, upgrade
from tests import pg_cluster

REPO = Path(__file__).resolve().parents[1]
EMERGENCY = REPO / "scenarios" / "emergency.yaml"
FORECAST_WEEK = REPO / "scenarios" / "forecast_week.yaml"


@pytest.fixture(scope="session")
def postgres_cluster():
    bin_dir = pg_cluster.binaries()
    if bin_dir is None:
        message = "PostgreSQL's initdb and pg_ctl are missing; the PostgreSQL store tests need them"
        if os.environ.get("CI"):
            pytest.fail(message + " and CI is set, so they may not skip")
        pytest.skip(message)
    cluster = pg_cluster.Cluster(bin_dir)
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """An empty database's URL, on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'planner.db'}"
    return request.getfixturevalue("postgres_cluster").new_database()


@pytest.fixture
def store(db_url):
    with Store(db_url, upgrade_schema=True) as opened:
        yield opened


def _count(url: str, table: str) -> int:
    engine = connect(url)
    try:
        with engine.connect() as c:
            return c.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


# ---- small stored items, no solver ------------------------------------------------------------

KPIS = {
    "solver": {"status": "OPTIMAL", "objective": 10.0, "best_bound": 9.0, "gap": 0.1, "seed": 0},
    "paid_hours": 16.0,
    "cost": 200.0,
    "queues": {"consulting": {"service_level": 0.81}},
    "validation": {"ok": True},
}


def plan_files() -> dict[str, bytes]:
    return {
        "shifts.csv": b"day,pool,template,start,end,breaks,agents,paid_hours\n",
        "kpis.json": json.dumps(KPIS).encode(),
    }


def roster_files(rows: list[tuple[str, ...]]) -> dict[str, bytes]:
    """roster.csv from (operator, day, start, end[, breaks]) rows, and a roster.json."""
    lines = ["operator,pool,day,start,end,breaks,paid_hours"]
    lines += [f"{r[0]},team,{r[1]},{r[2]},{r[3]},{(*r, '13:00-13:30')[4]},7.5" for r in rows]
    summary = {"planned_shifts": len(rows), "assigned_shifts": len(rows), "operators": 3}
    return {
        "roster.csv": ("\n".join(lines) + "\n").encode(),
        "roster.json": json.dumps(summary).encode(),
    }


WEEK_ONE = [("ann", "2026-01-05", "09:00", "17:00"), ("bob", "2026-01-05", "13:00", "21:00")]
WEEK_TWO = [("ann", "2026-01-05", "10:00", "18:00"), ("cid", "2026-01-05", "13:00", "21:00")]
WEEK_THREE = [("ann", "2026-01-05", "10:00", "18:00", "14:00-14:30")]


def stored_plan(store: Store) -> int:
    version, _ = store.save_scenario("week", "name: week\n", author="ann")
    return store.save_plan(version.id, plan_files(), author="ann").id


# ---- migrations -------------------------------------------------------------------------------


def test_migrations_upgrade_an_empty_database(db_url):
    engine = connect(db_url)
    try:
        assert current_revision(engine) is None
        assert upgrade(engine) == (None, head_revision())
        tables = set(sa.inspect(engine).get_table_names())
        assert {t.name for t in m.Base.metadata.sorted_tables} <= tables
        assert upgrade(engine) == (head_revision(), head_revision())  # again: nothing to do
    finally:
        engine.dispose()


@pytest.mark.parametrize("previous", ["0001", "0002", "0003"])
def test_migrations_upgrade_the_previous_schema_keeping_its_data(db_url, previous):
    engine = connect(db_url)
    try:
        upgrade(engine, previous)
        with engine.begin() as c:  # the first schema's rows, written as that schema's code did
            now = m.utc_now()
            c.execute(
                sa.text("INSERT INTO scenarios (key, created_at) VALUES ('old', :t)"), {"t": now}
            )
            c.execute(
                sa.text(
                    "INSERT INTO scenario_versions (scenario_id, number, author, created_at, "
                    "note, title, text, sha256, diff) SELECT id, 1, 'ann', :t, '', 'Old', "
                    "'name: old', 'x', '' FROM scenarios WHERE key = 'old'"
                ),
                {"t": now},
            )
        assert current_revision(engine) == previous
    finally:
        engine.dispose()
    with Store(db_url, upgrade_schema=True) as store:
        assert current_revision(store.engine) == head_revision()
        assert store.version("old").text == "name: old"
        version, new = store.save_scenario("old", "name: old v2", author="bob", base_version=1)
        assert new and version.number == 2
        plan = store.save_plan(version.id, plan_files(), author="bob")
        assert store.save_roster(plan.id, roster_files(WEEK_ONE), author="bob").state == "draft"
        history = ("h.csv", b"interval_start,queue,calls\n")
        assert store.save_forecast(history, {"days": 7}, b"f\n", author="bob").ref == "f1"


def test_migration_0004_keeps_the_simulations_of_0003_and_adds_forecasts(db_url):
    """0004 adds a column to ``simulations`` (on SQLite by copying the table): its rows stay,
    of no roster, and the published rosters' triggers still refuse a change."""
    engine = connect(db_url)
    try:
        upgrade(engine, "0003")
        with engine.begin() as c:
            now = m.utc_now()
            c.execute(
                sa.text("INSERT INTO scenarios (key, created_at) VALUES ('old', :t)"), {"t": now}
            )
            c.execute(
                sa.text(
                    "INSERT INTO scenario_versions (scenario_id, number, author, created_at, "
                    "note, title, text, sha256, diff) SELECT id, 1, 'ann', :t, '', 'Old', "
                    "'name: old', 'x', '' FROM scenarios"
                ),
                {"t": now},
            )
            c.execute(
                sa.text(
                    "INSERT INTO plans (version_id, author, created_at, note, solver_settings, "
                    "status, valid, kpis) SELECT id, 'ann', :t, '', '{}', 'OPTIMAL', :ok, '{}' "
                    "FROM scenario_versions"
                ),
                {"t": now, "ok": True},
            )
            c.execute(
                sa.text(
                    "INSERT INTO simulations (plan_id, author, created_at, replications, seed, "
                    "document) SELECT id, 'ann', :t, 3, 7, :doc FROM plans"
                ),
                {"t": now, "doc": json.dumps({"replications": 3, "seed": 7, "queues": []})},
            )
    finally:
        engine.dispose()
    with Store(db_url, upgrade_schema=True) as store:
        assert current_revision(store.engine) == head_revision() == "0004"
        (plan,) = store.list_plans()
        (sim,) = store.simulation_records(plan.id)
        assert sim.roster_id is None and sim.document["seed"] == 7
        roster = store.save_roster(plan.id, roster_files(WEEK_ONE), author="bob")
        store.publish(roster.id, author="bob")
        store.save_simulation(
            plan.id, {"replications": 1, "seed": 1}, author="b", roster_id=roster.id
        )
        assert [r.roster_id for r in store.simulation_records(plan.id)] == [None, roster.id]
    engine = connect(db_url)
    try:
        with pytest.raises(sa.exc.DBAPIError, match="published roster"), engine.begin() as c:
            c.execute(sa.text("UPDATE rosters SET note = 'x'"))
    finally:
        engine.dispose()


# ---- scenario versions and optimistic locking ---------------------------------------------------


def test_scenario_versions_are_kept_with_diff_and_files(store):
    first, new = store.save_scenario_file(FORECAST_WEEK, author="ann", note="first")
    assert new and first.ref == "forecast_week@1" and "data/forecast_week.csv" in first.files
    again, new = store.save_scenario_file(FORECAST_WEEK, author="ann")
    assert not new and again.number == 1  # same text and files: no new version
    text = FORECAST_WEEK.read_text() + "# a change\n"
    second, new = store.save_scenario(
        "forecast_week", text, author="bob", base_version=1, files=first.files
    )
    assert new and second.number == 2 and "+# a change" in second.diff
    history = store.history("forecast_week")
    assert [(v.number, v.author) for v in history] == [(2, "bob"), (1, "ann")]
    scenario = store.load_scenario("forecast_week", 1)  # the forecast comes from the store
    assert scenario.name == "Forecast week"
    assert store.version("forecast_week", 1).text == FORECAST_WEEK.read_text()


def test_second_save_on_the_same_base_is_refused_and_nothing_is_lost(store):
    store.save_scenario("shared", "name: base\n", author="ann")
    store.save_scenario("shared", "name: ann's edit\n", author="ann", base_version=1)
    with pytest.raises(VersionConflict, match=r"changed by ann at .* reload and merge"):
        store.save_scenario("shared", "name: bob's edit\n", author="bob", base_version=1)
    assert [v.number for v in store.history("shared")] == [2, 1]
    assert store.version("shared").text == "name: ann's edit\n"
    # Bob reloads, merges and saves on top of version 2.
    merged, _ = store.save_scenario("shared", "name: merged\n", author="bob", base_version=2)
    assert merged.number == 3


def test_two_saves_racing_on_one_base_one_wins_the_other_is_refused(store, monkeypatch):
    """The second writer read the latest version before the first committed (a stale read):
    the database's unique (scenario, number) refuses its insert, reported as a conflict."""
    first, _ = store.save_scenario("race", "name: base\n", author="ann")
    store.save_scenario("race", "name: ann's\n", author="ann", base_version=1)
    real = Store._latest
    calls = []

    def stale_then_real(s, key):
        calls.append(key)
        if len(calls) == 1:  # what bob's save read before ann's commit
            return s.get(m.ScenarioVersion, first.id)
        return real(s, key)

    monkeypatch.setattr(Store, "_latest", staticmethod(stale_then_real))
    with pytest.raises(VersionConflict, match=r"changed by ann at .*reload and merge"):
        store.save_scenario("race", "name: bob's\n", author="bob", base_version=1)
    monkeypatch.undo()
    assert [(v.number, v.author) for v in store.history("race")] == [(2, "ann"), (1, "ann")]


# ---- no lost work ------------------------------------------------------------------------------


def test_an_error_inside_a_save_leaves_the_database_as_before(store, monkeypatch, db_url):
    plan_id = stored_plan(store)
    before = {t: _count(db_url, t) for t in ("plans", "plan_files", "scenario_versions")}

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk pulled out")

    files = {**plan_files(), "coverage.csv": b"x\n"}
    with monkeypatch.context() as patch:  # fails after the plan row is flushed, before commit
        patch.setattr(m, "PlanFile", broken)
        with pytest.raises(RuntimeError):
            store.save_plan(1, files, author="ann")
    assert {t: _count(db_url, t) for t in before} == before
    assert store.plan(plan_id).files.keys() == plan_files().keys()


KILLED_SAVE = textwrap.dedent(
    """
    import sys, time
    import sqlalchemy as sa
    from planner.store import Store
    from planner.store import models as m

    store = Store(sys.argv[1])

    @sa.event.listens_for(store._sessions, "after_flush")
    def stall(session, context):
        if any(isinstance(o, m.PlanFile) for o in session.new):
            print("in transaction", flush=True)
            time.sleep(60)

    store.save_plan(1, {"kpis.json": sys.argv[2].encode(), "shifts.csv": b"x" * 100000},
                    author="killed")
    """
)


def test_a_process_killed_during_a_save_leaves_the_database_as_before(store, db_url):
    stored_plan(store)
    before = (_count(db_url, "plans"), _count(db_url, "plan_files"))
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_SAVE, db_url, json.dumps(KPIS)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "in transaction"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        child.kill()
    time.sleep(0.2)  # PostgreSQL notices the lost client and rolls its transaction back
    assert (_count(db_url, "plans"), _count(db_url, "plan_files")) == before
    # The database works on: the next save goes through.
    with Store(db_url) as again:
        assert again.save_plan(1, plan_files(), author="next").id > 0
    assert _count(db_url, "plans") == before[0] + 1


# ---- publishing --------------------------------------------------------------------------------


def test_publishing_numbers_versions_and_lists_who_changed_how(store):
    plan_id = stored_plan(store)
    first = store.publish(
        store.save_roster(plan_id, roster_files(WEEK_ONE), author="ann").id, author="boss"
    )
    assert first.published and first.publication == 1 and first.replaces_id is None
    draft = store.save_roster(plan_id, roster_files(WEEK_TWO), author="ann")
    second = store.publish(draft.id, author="boss")
    assert second.publication == 2 and second.replaces_id == first.id
    changes = {(c.operator, c.kind) for c in second.changes}
    assert changes == {("ann", "moved"), ("bob", "removed"), ("cid", "added")}
    ann = next(c for c in second.changes if c.operator == "ann")
    assert ann.before.startswith("09:00-17:00") and ann.after.startswith("10:00-18:00")
    assert store.changes(first.id, second.id) == list(second.changes)
    third = store.publish(
        store.save_roster(plan_id, roster_files(WEEK_THREE), author="ann").id, author="boss"
    )
    assert [(c.operator, c.kind) for c in third.changes] == [("ann", "breaks"), ("cid", "removed")]
    assert store.roster(first.id).files == roster_files(WEEK_ONE)  # the first stays as it was


def test_a_published_roster_cannot_be_modified_through_the_api(store, db_url):
    plan_id = stored_plan(store)
    roster = store.publish(
        store.save_roster(plan_id, roster_files(WEEK_ONE), author="a").id, author="b"
    )
    with pytest.raises(RosterPublished):
        store.publish(roster.id, author="b")
    with pytest.raises(RosterPublished):
        store.delete_roster(roster.id)
    with pytest.raises(RosterPublished), store.session() as s:
        s.get(m.Roster, roster.id).note = "edited"
    with pytest.raises(RosterPublished), store.session() as s:
        next(f for f in s.get(m.Roster, roster.id).files if f.name == "roster.csv").content = b""
    with pytest.raises(RosterPublished), store.session() as s:
        s.add(m.RosterFile(roster_id=roster.id, name="extra.csv", content=b"x"))
    # Around the repository, straight SQL: the database's triggers refuse it.
    for statement in (
        f"UPDATE rosters SET note = 'edited' WHERE id = {roster.id}",
        f"UPDATE roster_files SET content = NULL WHERE roster_id = {roster.id}",
        f"DELETE FROM roster_files WHERE roster_id = {roster.id}",
        f"DELETE FROM rosters WHERE id = {roster.id}",
    ):
        with pytest.raises(sa.exc.DBAPIError, match="never changed"), store.engine.begin() as c:
            c.execute(sa.text(statement))
    assert store.roster(roster.id) == roster
    draft = store.save_roster(plan_id, roster_files(WEEK_TWO), author="a")
    store.delete_roster(draft.id)  # a draft may go


def test_a_published_roster_cannot_be_modified_through_the_cli(store, db_url, capsys):
    plan_id = stored_plan(store)
    roster = store.publish(
        store.save_roster(plan_id, roster_files(WEEK_ONE), author="a").id, author="b"
    )
    assert main(["rosters", "publish", roster.ref, "--db", db_url]) == 2
    assert "published already" in capsys.readouterr().err
    assert main(["rosters", "delete", roster.ref, "--db", db_url]) == 2
    assert "never deleted or changed" in capsys.readouterr().err
    assert store.roster(roster.id) == roster


# ---- bad input ---------------------------------------------------------------------------------


def _refused(argv: list[str], capsys, *, names: str, secret: str | None = None) -> str:
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert names in err, err
    if secret:
        assert secret not in err
    return err


def test_unreachable_database_is_named_without_password_exit_2(tmp_path, capsys):
    url = "postgresql+psycopg://planner:hunter2@127.0.0.1:1/planner"
    err = _refused(
        ["scenarios", "list", "--db", url], capsys, names="127.0.0.1:1", secret="hunter2"
    )
    assert "planner:***@" in err
    missing = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder.db'}"
    _refused(["scenarios", "list", "--db", missing], capsys, names=str(tmp_path / "no"))
    with pytest.raises(StoreUnavailable, match="not a database URL"):
        Store("not a url")
    out = tmp_path / "out"
    _refused(
        ["solve", str(EMERGENCY), "--out", str(out), "--save", "--db", url],
        capsys,
        names="127.0.0.1:1",
    )
    assert not out.exists()  # refused before solving: nothing written


def test_wrong_password_is_refused_naming_the_url_exit_2(postgres_cluster, capsys):
    url = postgres_cluster.new_database()
    wrong = url.replace(pg_cluster.PASSWORD, "wrong-password")
    err = _refused(
        ["db", "upgrade", "--db", wrong], capsys, names="planner:***@", secret="wrong-password"
    )
    assert "wrong user name or password" in err
    assert current_revision(connect(url)) is None  # nothing written


def test_a_database_of_a_newer_schema_is_refused_and_left_alone(db_url, capsys, tmp_path):
    with Store(db_url, upgrade_schema=True) as store:
        stored_plan(store)
    engine = connect(db_url)
    with engine.begin() as c:
        c.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(SchemaTooNew, match="newer than this planner knows"):
        Store(db_url, upgrade_schema=True)
    shown = db_url.replace(pg_cluster.PASSWORD, "***") if "postgresql" in db_url else db_url
    for argv in (
        ["scenarios", "save", str(EMERGENCY), "--db", db_url],
        ["db", "upgrade", "--db", db_url],
        ["solve", str(EMERGENCY), "--out", str(tmp_path / "o"), "--save", "--db", db_url],
    ):
        err = _refused(
            argv, capsys, names="newer than this planner knows", secret=pg_cluster.PASSWORD
        )
        assert shown.split("?")[0].replace("sqlite:///", "") in err.replace("%2F", "/")
    assert _count(db_url, "scenario_versions") == 1
    assert not (tmp_path / "o").exists()


# ---- the CLI end to end, without the solver ------------------------------------------------------


def test_cli_saves_lists_shows_and_exports(db_url, tmp_path, capsys):
    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert main(["scenarios", "save", str(FORECAST_WEEK), "--db", db_url, "--author", "ann"]) == 0
    assert main(["scenarios", "save", str(FORECAST_WEEK), "--db", db_url, "--base", "0"]) == 2
    assert "reload and merge" in capsys.readouterr().err
    assert main(["scenarios", "list", "--db", db_url]) == 0
    assert "forecast_week" in capsys.readouterr().out
    assert main(["scenarios", "history", "forecast_week", "--db", db_url]) == 0
    assert "forecast_week@1" in capsys.readouterr().out
    out = tmp_path / "exported"
    assert main(["export", "forecast_week@1", "--out", str(out), "--db", db_url]) == 0
    assert main(["validate", str(out / "forecast_week.yaml")]) == 0
    with Store(db_url) as store:
        plan_id = store.save_plan(store.version("forecast_week").id, plan_files(), author="a").id
        roster_id = store.save_roster(plan_id, roster_files(WEEK_ONE), author="a").id
    with Store(db_url) as store:
        document = {"seed": 3, "replications": 5, "queues": [{"queue": "q", "service_level": 0.8}]}
        store.save_simulation(plan_id, document, author="a")
        assert store.simulations(plan_id) == [document]
    capsys.readouterr()
    assert main(["plans", "show", f"p{plan_id}", "--db", db_url]) == 0
    assert "simulated (5 replications, seed 3): q 80.0% +- 0.0%" in capsys.readouterr().out
    assert main(["rosters", "publish", f"p{plan_id}", "--db", db_url, "--author", "boss"]) == 0
    assert f"published roster r{roster_id} as publication 1" in capsys.readouterr().out
    assert main(["rosters", "publish", f"p{plan_id}", "--db", db_url]) == 2  # no draft left
    assert "has no draft roster" in capsys.readouterr().err
    assert main(["export", f"r{roster_id}", "--out", str(tmp_path / "r"), "--db", db_url]) == 0
    assert (tmp_path / "r" / "roster.csv").read_bytes() == roster_files(WEEK_ONE)["roster.csv"]
    assert main(["export", "p999", "--out", str(tmp_path / "x"), "--db", db_url]) == 2


# ---- forecasts ---------------------------------------------------------------------------------

HISTORY = ("history.csv", b"interval_start,queue,calls\n2025-01-06 09:00,q,5\n")
SETTINGS = {
    "method": "auto",
    "start": "2025-03-03",
    "days": 7,
    "interval_minutes": 15,
    "window": "09:00-21:00",
    "country": "KZ",
    "special_days": "special.csv",
}


def test_forecasts_are_kept_with_their_history_by_content_settings_and_files(store, db_url):
    special = ("special.csv", b"date,queue,factor\n2025-03-08,q,closed\n")
    first = store.save_forecast(
        HISTORY,
        SETTINGS,
        b"interval_start,queue,calls\n",
        author="ann",
        note="March",
        summary={"queues": {"q": {"method": "ets", "calls": 10.0}}},
        backtest_csv=b"queue,method\n",
        special_days=special,
    )
    assert first.ref == "f1" and first.history_name == "history.csv"
    assert first.files == {
        "forecast.csv": b"interval_start,queue,calls\n",
        "backtest.csv": b"queue,method\n",
        "history.csv": HISTORY[1],
        "special_days.csv": special[1],
    }
    # The same history again (under another name), without backtest or special days.
    second = store.save_forecast(
        ("renamed.csv", HISTORY[1]), {**SETTINGS, "days": 14}, b"other\n", author="bob"
    )
    assert second.history_sha256 == first.history_sha256
    assert set(second.files) == {"forecast.csv", "history.csv"}
    assert _count(db_url, "forecasts") == 2
    assert _count(db_url, "stored_files") == 5  # the history once
    listed = store.list_forecasts()
    assert [(f.ref, f.author, f.files) for f in listed] == [("f2", "bob", {}), ("f1", "ann", {})]
    assert listed[1].settings == SETTINGS and listed[1].summary["queues"]["q"]["method"] == "ets"
    assert [f.ref for f in store.list_forecasts(limit=1)] == ["f2"]
    shown = store.forecast(first.id)
    assert shown == first and shown.special_days_name == "special.csv"
    with pytest.raises(NotFound, match="no forecast f99"):
        store.forecast(99)


def test_cli_lists_shows_and_exports_a_stored_forecast(store, db_url, tmp_path, capsys):
    store.save_forecast(
        HISTORY,
        SETTINGS,
        b"interval_start,queue,calls\n",
        author="ann",
        summary={"first_day": "2025-03-03", "queues": {"q": {"method": "ets", "calls": 10.0}}},
    )
    assert main(["forecasts", "list", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "f1" in out and "history.csv" in out and "2025-03-03" in out
    assert main(["forecasts", "show", "f1", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "method auto, start 2025-03-03, days 7" in out and "ets" in out
    assert main(["export", "f1", "--out", str(tmp_path / "f"), "--db", db_url]) == 0
    assert (tmp_path / "f" / "history.csv").read_bytes() == HISTORY[1]
    document = json.loads((tmp_path / "f" / "forecast.json").read_text())
    assert document["settings"] == SETTINGS and document["history"]["name"] == "history.csv"
    assert main(["forecasts", "show", "f2", "--db", db_url]) == 2
    assert "no forecast f2" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["forecasts", "show", "p1", "--db", db_url])
    assert "is not a forecast id (f2)" in capsys.readouterr().err


# ---- reopening: a plan as the pages show it, a session's work -----------------------------------


def _planned(path: Path):
    """A scenario file's plan and its files."""
    from planner.io.export import plan_files as files_of
    from planner.io.scenario_file import load_scenario
    from planner.shiftplan import plan_shifts

    result = plan_shifts(load_scenario(path))
    return result, files_of(result)


@pytest.fixture(scope="module")
def baseline_plan():
    """The baseline week planned once (a couple of seconds), and its files."""
    return _planned(BASELINE)


BASELINE = REPO / "scenarios" / "baseline.yaml"


def _saved_and_reopened(store, path: Path, files):
    """The scenario file and its plan's files saved by ann, then the plan reopened."""
    version, _ = store.save_scenario_file(path, author="ann")
    plan_id = store.save_plan(version.id, files, author="ann").id
    return store.plan_result(plan_id)


def test_a_stored_plan_reopens_with_the_same_kpis_and_files(store, baseline_plan):
    from planner.io.export import kpis_document
    from planner.io.export import plan_files as files_of

    result, files = baseline_plan
    scenario, reopened = _saved_and_reopened(store, BASELINE, files)
    assert scenario.name == result.scenario_name
    assert kpis_document(reopened) == json.loads(files["kpis.json"])
    assert files_of(reopened) == files  # byte for byte
    assert reopened.plan.shifts == result.plan.shifts
    assert reopened.validation.ok


@pytest.fixture(scope="module")
def emergency_plan():
    """The emergency week planned once, each line's promise checked by simulation."""
    result, files = _planned(EMERGENCY)
    assert result.split_check is not None and result.split_check.moved > 0
    return result, files


EMERGENCY = REPO / "scenarios" / "emergency.yaml"


def test_a_plan_checked_by_simulation_reopens_with_its_check(store, emergency_plan):
    # The check is not repeated on reopening (a simulation): the page says what kpis.json says.
    from planner.io.export import plan_files as files_of

    result, files = emergency_plan
    _, reopened = _saved_and_reopened(store, EMERGENCY, files)
    assert reopened.split_check == result.split_check
    assert files_of(reopened) == files  # byte for byte, split_check included
    assert reopened.kpis.queues["emergency"].service_level == pytest.approx(
        result.split_check.lines[1].promised
    )


def test_a_session_s_work_is_kept_and_replaced(store):
    from planner.store.workspace import SessionWork

    assert store.workspace("default") is None
    work = SessionWork(
        label="emergency.yaml",
        data={"name": "draft", "start": date(2022, 1, 10), "pools": [{"headcount": -1}]},
        files={"data/f.csv": b"day,calls\n"},
        base=("emergency", 2),
        plan_files={"kpis.json": b"{}"},
        plan_meta={"settings": [20.0, 0.01, 1, None]},
    )
    store.save_workspace("default", work)
    assert store.workspace("default") == work
    store.save_workspace("default", SessionWork(label="other", data={}))
    assert store.workspace("default").label == "other"
    assert store.workspace("someone else") is None


def test_a_stored_roster_reopens_with_the_same_files_and_its_plan(store):
    from planner.chain import roster_scenario
    from planner.io.export import plan_files as files_of
    from planner.io.scenario_file import load_scenario
    from planner.roster import roster_files as roster_files_of

    result = roster_scenario(load_scenario(BASELINE), time_limit_seconds=3)
    version, _ = store.save_scenario_file(BASELINE, author="ann")
    plan_id = store.save_plan(version.id, files_of(result.plan), author="ann").id
    roster_id = store.save_roster(plan_id, roster_files_of(result), author="ann").id
    _scenario, reopened = store.roster_result(roster_id)
    assert roster_files_of(reopened) == roster_files_of(result)  # byte for byte
    assert reopened.kpis == result.kpis and reopened.validation.ok == result.validation.ok
    assert reopened.roster["day"].tolist() == result.roster["day"].tolist()  # dates again
    assert reopened.plan.kpis == result.plan.kpis


def test_an_operators_file_is_stored_with_its_version_and_read_back_from_the_store(store, tmp_path):
    (tmp_path / "data").mkdir()
    operators = (REPO / "scenarios" / "data" / "emergency_operators.csv").read_bytes()
    (tmp_path / "data" / "staff.csv").write_bytes(operators)
    scenario_file = tmp_path / "centre.yaml"
    scenario_file.write_text(EMERGENCY.read_text() + "operators_file: data/staff.csv\n")
    version, _ = store.save_scenario_file(scenario_file, author="ann")
    assert version.files == {"data/staff.csv": ("operators", operators)}
    (tmp_path / "data" / "staff.csv").unlink()  # the store does not need the disk any more
    assert len(store.load_scenario("centre").operators) == 71


def test_an_older_schema_upgrades_itself_on_sqlite_and_asks_for_db_upgrade_on_postgresql(
    db_url, capsys
):
    engine = connect(db_url)
    upgrade(engine, "0002")
    engine.dispose()
    if db_url.startswith("sqlite"):
        with Store(db_url) as store:  # a SQLite file of one user: upgraded on opening
            assert current_revision(store.engine) == head_revision()
        return
    with pytest.raises(SchemaBehind, match="run 'python -m planner db upgrade'"):
        Store(db_url)  # a shared server is upgraded on purpose only
    assert main(["scenarios", "list", "--db", db_url]) == 2
    assert "older than this planner's" in capsys.readouterr().err
    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert "schema upgraded from 0002 to " + head_revision() in capsys.readouterr().out
    assert main(["scenarios", "list", "--db", db_url]) == 0


# ---- simulate --save: linked to the plan or roster stored, else stored first ---------------------


@pytest.fixture(scope="module")
def baseline_roster(baseline_plan):
    """The baseline plan rostered (a few seconds), and its files."""
    from planner.chain import roster_scenario
    from planner.io.scenario_file import load_scenario
    from planner.roster import roster_files as roster_files_of

    result = roster_scenario(
        load_scenario(BASELINE), plan=baseline_plan[0], time_limit_seconds=3, workers=1
    )
    return roster_files_of(result)


def _folder(path: Path, files: dict[str, bytes]) -> Path:
    path.mkdir()
    for name, content in files.items():
        (path / name).write_bytes(content)
    return path


def _simulate_saving(db_url: str, out: Path, *where: str) -> int:
    args = ["simulate", str(BASELINE), *where, "--out", str(out), "--replications", "2"]
    return main([*args, "--save", "--db", db_url, "--author", "ann"])


def test_simulate_save_stores_the_plan_first_then_links_to_it(
    db_url, tmp_path, capsys, baseline_plan, baseline_roster
):
    _result, files = baseline_plan
    plan_dir = _folder(tmp_path / "plan", files)
    assert main(["db", "upgrade", "--db", db_url]) == 0  # a PostgreSQL server, on purpose
    assert _simulate_saving(db_url, tmp_path / "s1", "--plan", str(plan_dir)) == 0
    out = capsys.readouterr().out
    assert "saved scenario baseline@1" in out
    assert "saved simulation 1 of plan p1 (saved now) of baseline@1" in out
    assert _simulate_saving(db_url, tmp_path / "s2", "--plan", str(plan_dir)) == 0
    out = capsys.readouterr().out
    assert "unchanged scenario baseline@1" in out
    assert "saved simulation 2 of plan p1 (stored already) of baseline@1" in out
    with Store(db_url) as store:
        assert [p.id for p in store.list_plans()] == [1]
        assert store.plan(1).files == files
        simulated = json.loads((tmp_path / "s2" / "simulation.json").read_text())
        assert [r.document for r in store.simulation_records(1)][1] == simulated
    # A roster of that plan, as `roster` writes its folder (the plan's tables beside it):
    # the plan is found by its tables, the roster is stored as a draft, then linked.
    kept = {n: files[n] for n in ("shifts.csv", "allocation.csv")}
    roster_dir = _folder(tmp_path / "roster", {**baseline_roster, **kept})
    assert _simulate_saving(db_url, tmp_path / "s3", "--roster", str(roster_dir)) == 0
    assert "of draft roster r1 (saved now) of plan p1 (stored already)" in capsys.readouterr().out
    assert _simulate_saving(db_url, tmp_path / "s4", "--roster", str(roster_dir)) == 0
    assert "of roster r1 (stored already) of plan p1" in capsys.readouterr().out
    with Store(db_url) as store:
        assert store.roster(1).files == baseline_roster
        assert [r.roster_id for r in store.simulation_records(1)] == [None, None, 1, 1]
        assert store.simulation_records(1)[2].document["simulated"] == "roster"
    assert main(["plans", "show", "p1", "--db", db_url]) == 0
    assert "roster r1 simulated (2 replications, seed 0)" in capsys.readouterr().out


def test_simulate_save_of_a_roster_folder_whose_plan_is_not_stored_says_so(
    db_url, tmp_path, capsys, baseline_plan, baseline_roster
):
    _result, files = baseline_plan
    kept = {n: files[n] for n in ("shifts.csv", "allocation.csv")}
    roster_dir = _folder(tmp_path / "roster", {**baseline_roster, **kept})
    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert _simulate_saving(db_url, tmp_path / "s", "--roster", str(roster_dir)) == 2
    err = capsys.readouterr().err
    assert "written but not saved" in err and "no kpis.json" in err
    assert (tmp_path / "s" / "simulation.json").exists()
    assert _count(db_url, "simulations") == 0 and _count(db_url, "plans") == 0
    assert _count(db_url, "scenario_versions") == 0  # nothing written


def test_simulate_save_against_an_unreachable_database_simulates_nothing(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'missing' / 'folder' / 'planner.db'}"
    assert _simulate_saving(url, tmp_path / "s", "--plan", str(tmp_path)) == 2
    assert "missing/folder" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_a_simulation_links_only_to_a_roster_of_its_plan(store):
    plan_id = stored_plan(store)
    other = stored_plan(store)
    roster = store.save_roster(other, roster_files(WEEK_ONE), author="ann")
    with pytest.raises(NotFound, match=f"no roster r{roster.id} of plan p{plan_id}"):
        store.save_simulation(
            plan_id, {"replications": 1, "seed": 0}, author="a", roster_id=roster.id
        )
    assert store.find_roster(other, roster_files(WEEK_ONE)["roster.csv"]) == roster.id
    assert store.find_roster(plan_id, roster_files(WEEK_ONE)["roster.csv"]) is None
    assert store.find_plan(1, {"shifts.csv": b"x"}) is None  # no allocation.csv: never a match
