"""The app's saved work (issue 15) with Streamlit's AppTest: the session's scenario and plan
come back after a reload (a new session with the same address) and a restart (a new store
object on the same database); the History page saves versions with optimistic locking and
publishes rosters after a confirmation; My schedule shows an operator's published shifts and
gives them as an .ics file."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from planner.roster import roster_files
from planner.store import Store

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    monkeypatch.setenv("PLANNER_DB_URL", url)
    return url


def session(ws: str = "abc123", page: str | None = None) -> AppTest:
    """A browser session at the address ``?ws=WS`` (a reload is a new session there)."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["ws"] = ws
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def as_author(at: AppTest, name: str = "Aigerim") -> AppTest:
    at.switch_page("app_pages/history.py").run()
    at.text_input(key="store_author_in").input(name).run()
    assert not at.exception, at.exception
    return at


def rename(at: AppTest, name: str) -> AppTest:
    """Type a new scenario name on the Scenario page, as a user would."""
    at.switch_page("app_pages/scenario.py").run()
    (field,) = [w for w in at.text_input if w.key and re.fullmatch(r"sc\d+_name", w.key)]
    field.set_value(name).run()
    assert not at.exception, at.exception
    return at


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


@pytest.mark.parametrize("page", ["app_pages/history.py", "app_pages/my_schedule.py"])
def test_the_saved_work_pages_load_on_an_empty_store(db_url, page):
    at = session(page=page)
    assert not at.error, errors(at)
    assert at.title


def test_the_scenario_being_edited_survives_a_reload_and_a_restart(db_url):
    rename(session(), "Edited in the browser")
    st.cache_resource.clear()  # a server restart: the store is opened again
    reloaded = session()
    assert reloaded.session_state["workspace"].draft.data["name"] == "Edited in the browser"
    elsewhere = session(ws="otherbrowser")  # another address: the shipped default
    assert elsewhere.session_state["workspace"].draft.data["name"] != "Edited in the browser"


@pytest.mark.slow
def test_the_plan_survives_a_reload(db_url):
    at = session(page="app_pages/plan.py")
    at.selectbox(key="plan_days").select("Wed 12 Jan").run()
    at.number_input(key="plan_time_limit").set_value(10.0).run()
    at.button(key="plan_solve").click().run()
    assert not at.exception
    planned = at.session_state["plan"]
    reloaded = session(page="app_pages/plan.py")
    assert not reloaded.exception and not reloaded.error, errors(reloaded)
    restored = reloaded.session_state["plan"]
    assert restored.key == planned.key and restored.settings == planned.settings
    assert restored.result.kpis == planned.result.kpis
    assert restored.result.plan.shifts == planned.result.plan.shifts


@pytest.mark.slow
def test_the_roster_survives_a_reload(db_url):
    at = session(page="app_pages/roster.py")
    at.number_input(key="roster_time_limit").set_value(3.0).run()
    at.button(key="roster_make").click().run()
    assert not at.exception, at.exception
    made = at.session_state["roster"]
    reloaded = session(page="app_pages/roster.py")
    assert not reloaded.exception, reloaded.exception
    restored = reloaded.session_state["roster"]
    assert restored.key == made.key and restored.result.kpis == made.result.kpis
    assert roster_files(restored.result) == roster_files(made.result)  # byte for byte
    shown = [m.value for m in reloaded.metric if m.label == "Shifts assigned"]
    assert shown == [f"{len(made.result.roster):,} of {made.result.planned_shifts:,}"]


def test_saving_on_the_same_base_twice_is_refused_and_the_edit_kept(db_url):
    first, second = as_author(session("mgrone")), as_author(session("mgrtwo"), "Bob")
    first.button(key="history_save").click().run()
    assert "Saved emergency@1." in [s.value for s in first.success]
    # Both managers open emergency@1 from the History page.
    for at in (first, second):
        at.switch_page("app_pages/history.py").run()
        at.button(key="history_open").click().run()
        at.switch_page("app_pages/history.py").run()
    for at, name in ((first, "First edit"), (second, "Second edit")):
        rename(at, name).switch_page("app_pages/history.py").run()
    first.button(key="history_save").click().run()
    assert "Saved emergency@2." in [s.value for s in first.success]
    second.button(key="history_save").click().run()
    assert "changed by Aigerim at" in errors(second) and "reload and merge" in errors(second)
    assert second.session_state["workspace"].draft.data["name"] == "Second edit"  # not lost
    with Store(db_url) as store:
        assert [v.number for v in store.history("emergency")] == [2, 1]


def _published_store(url: str) -> int:
    with Store(url) as store:
        version, _ = store.save_scenario("week", "name: week\n", author="ann")
        kpis = {"solver": {"status": "OPTIMAL"}, "validation": {"ok": True}}
        plan = store.save_plan(version.id, {"kpis.json": json.dumps(kpis).encode()}, author="a")
        roster = (
            "operator,pool,day,start,end,breaks,paid_hours\n"
            "op-7,consulting,2022-01-10,09:00,17:00,13:00-13:30,7.5\n"
            "op-8,consulting,2022-01-10,13:00,21:00,17:00-17:30,7.5\n"
        )
        files = {"roster.csv": roster.encode(), "roster.json": b"{}"}
        return store.save_roster(plan.id, files, author="ann").id


def test_publishing_asks_the_author_once_and_a_confirmation(db_url):
    roster_id = _published_store(db_url)
    at = session(page="app_pages/history.py")
    assert at.button(key="history_publish").disabled  # no author, no confirmation
    as_author(at)
    assert at.button(key="history_publish").disabled  # no confirmation yet
    at.checkbox(key="history_confirm").check().run()
    at.button(key="history_publish").click().run()
    assert not at.exception, at.exception
    assert any("publication 1" in s.value for s in at.success)
    with Store(db_url) as store:
        assert store.roster(roster_id).published_by == "Aigerim"
    assert "history_draft" not in [s.key for s in at.selectbox]  # nothing left to publish
    at.switch_page("app_pages/my_schedule.py").run()
    at.selectbox(key="my_operator").select("op-7").run()
    assert not at.exception, at.exception
    (table,) = at.dataframe
    assert list(table.value["start"]) == ["09:00"]
    assert os.environ["PLANNER_DB_URL"] == db_url


def test_an_unreachable_store_leaves_the_app_working_and_history_says_why(monkeypatch):
    monkeypatch.setenv("PLANNER_DB_URL", "postgresql+psycopg://planner:hunter2@127.0.0.1:1/x")
    at = session()
    assert not at.error, errors(at)  # the Scenario page works without the store
    at.switch_page("app_pages/history.py").run()
    assert not at.exception
    assert "127.0.0.1:1" in errors(at) and "hunter2" not in errors(at)
