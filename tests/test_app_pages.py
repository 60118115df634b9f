"""The Streamlit app, page by page, with Streamlit's AppTest (no browser).

Every page loads without an exception; a widget change changes what the page shows; bad input
(a headcount of -3, an impossible target, a broken upload) is an ``st.error`` naming the field
and the rule, never a traceback, and the user's other edits are kept. Solves use one day of
``emergency.yaml`` or short time limits so the whole file runs in well under a minute.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import openpyxl
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from planner.io.scenario_file import load_scenario

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
PAGES = [
    "app_pages/scenario.py",
    "app_pages/demand.py",
    "app_pages/plan.py",
    "app_pages/compare.py",
    "app_pages/roster.py",
    "app_pages/forecast.py",
]


@pytest.fixture(autouse=True)
def saved_dir(tmp_path, monkeypatch) -> Path:
    """Scenarios saved by the app go to a temporary folder, never into the repository."""
    folder = tmp_path / "saved"
    monkeypatch.setenv("PLANNER_SAVED_DIR", str(folder))
    return folder


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    return at


# ----- helpers ------------------------------------------------------------------------------------


def widget(elements, name: str):
    """The Scenario page's widget ``name`` (its keys carry a prefix: ``sc3_name``)."""
    found = [w for w in elements if w.key and re.fullmatch(rf"sc\d+_{name}", w.key)]
    assert len(found) == 1, [w.key for w in elements]
    return found[0]


def edit_table(at: AppTest, name: str, rows: dict) -> AppTest:
    """Edit cells of the Scenario page's data editor ``name``, as a user would."""
    key = widget(at.data_editor, name).key
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return at.run()


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def metric(at: AppTest, label: str) -> str:
    (found,) = [m for m in at.metric if m.label == label]
    return found.value


def chart_rows(at: AppTest, index: int = 0) -> int:
    chart = at.get("vega_lite_chart")[index]
    return sum(len(convert_arrow_bytes_to_pandas_df(d.data.data)) for d in chart.proto.datasets)


def workspace(at: AppTest):
    return at.session_state["workspace"]


def solve(at: AppTest, *, day: str | None = "Wed 12 Jan", time_limit: float = 10.0) -> AppTest:
    at.switch_page("app_pages/plan.py").run()
    if day is not None:
        at.selectbox(key="plan_days").select(day).run()
    at.number_input(key="plan_time_limit").set_value(time_limit).run()
    at.button(key="plan_solve").click().run()
    assert not at.exception
    return at


# ----- every page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_every_page_loads_without_exception(app, page):
    app.switch_page(page).run()
    assert not app.exception
    assert not app.error, errors(app)
    assert app.title


# ----- Scenario page ------------------------------------------------------------------------------


def test_the_app_opens_on_the_emergency_scenario(app):
    assert workspace(app).label == "emergency.yaml"
    assert app.selectbox(key="open_file").value == "emergency.yaml"
    assert "The scenario is valid." in [s.value for s in app.success]
    assert widget(app.number_input, "headcount_2").value == 21


def test_a_negative_headcount_is_an_error_next_to_the_field_and_other_edits_are_kept(app):
    widget(app.text_input, "name").set_value("My emergency week").run()
    widget(app.number_input, "headcount_2").set_value(-3).run()
    assert not app.exception
    assert "pool 'borrowed' › headcount = -3: must be >= 0" in errors(app)
    assert "1 problem(s)" in errors(app)
    draft = workspace(app).draft
    assert draft.data["name"] == "My emergency week"  # the other edit is kept
    assert draft.data["pools"][2]["headcount"] == -3  # so is the bad one, to be fixed

    app.switch_page("app_pages/plan.py").run()  # the pages that need a valid scenario say so
    assert not app.exception
    assert "fix them on the Scenario page" in errors(app)

    app.switch_page("app_pages/scenario.py").run()  # back: the edits are still there
    assert widget(app.text_input, "name").value == "My emergency week"
    widget(app.number_input, "headcount_2").set_value(10).run()
    assert not app.error
    assert workspace(app).draft.validate().pool("borrowed").headcount == 10


def test_an_impossible_target_in_a_table_names_the_queue_and_the_rule(app):
    edit_table(app, "queues", {0: {"service_level": 120.0}})  # typed in %
    assert not app.exception
    assert "queue 'consulting' › service_level = 1.2: must be < 1" in errors(app)


def test_a_volume_edit_changes_the_demand(app):
    app.switch_page("app_pages/demand.py").run()
    before = metric(app, "Calls over the horizon")
    app.switch_page("app_pages/scenario.py").run()
    edit_table(app, "volumes", {0: {"mon": 3000.0}})
    assert not app.error
    app.switch_page("app_pages/demand.py").run()
    assert metric(app, "Calls over the horizon") != before
    # The consulting line is closed at the weekend: Monday's extra 1,600 calls, surged and
    # 10 % to self-service, are all that changed.
    assert before == "25,380"


def test_a_broken_upload_is_refused_and_the_scenario_kept(app):
    widget(app.number_input, "headcount_2").set_value(30).run()
    app.file_uploader(key="upload_files").set_value(
        ("mine.yaml", b"schema_version: 1\nname: x\nhorizon: {days: 0}\n", "text/yaml")
    ).run()
    assert not app.exception
    shown = errors(app)
    assert "The upload was not opened" in shown
    assert "horizon.start_date: is required" in shown
    assert "horizon.days = 0: must be >= 1" in shown
    assert workspace(app).draft.data["pools"][2]["headcount"] == 30


def test_an_upload_with_its_forecast_file_opens(app):
    files = [
        ("forecast_week.yaml", (SCENARIOS / "forecast_week.yaml").read_bytes(), "text/yaml"),
        ("forecast_week.csv", (SCENARIOS / "data/forecast_week.csv").read_bytes(), "text/csv"),
    ]
    app.file_uploader(key="upload_files").set_value(files).run()
    assert not app.exception and not app.error, errors(app)
    assert workspace(app).draft.validate() == load_scenario(SCENARIOS / "forecast_week.yaml")
    app.switch_page("app_pages/demand.py").run()
    assert metric(app, "Calls over the horizon") == "8,200"


def test_opening_another_file_replaces_the_scenario(app):
    app.selectbox(key="open_file").select("baseline.yaml").run()
    assert not app.exception
    assert workspace(app).draft.data["name"] == "Baseline week"
    assert widget(app.number_input, "headcount_0").value == 36


def test_save_as_a_new_file_and_never_overwrite_without_the_confirm(app, saved_dir):
    widget(app.number_input, "headcount_2").set_value(40).run()
    widget(app.text_input, "file_name").input("forty borrowed").run()
    widget(app.button, "save").click().run()
    assert "Not saved" in errors(app) and "file name" in errors(app)  # a space: refused

    widget(app.text_input, "file_name").input("forty_borrowed").run()
    widget(app.button, "save").click().run()
    assert not app.error, errors(app)
    assert load_scenario(saved_dir / "forty_borrowed.yaml").pool("borrowed").headcount == 40
    assert workspace(app).label == "saved/forty_borrowed.yaml"
    assert "saved/forty_borrowed.yaml" in app.selectbox(key="open_file").options

    widget(app.number_input, "headcount_2").set_value(41).run()
    widget(app.text_input, "file_name").input("forty_borrowed.yaml").run()
    widget(app.button, "save").click().run()
    assert "exists" in errors(app)
    assert load_scenario(saved_dir / "forty_borrowed.yaml").pool("borrowed").headcount == 40

    widget(app.checkbox, "overwrite").check().run()
    widget(app.button, "save").click().run()
    assert not app.error, errors(app)
    assert load_scenario(saved_dir / "forty_borrowed.yaml").pool("borrowed").headcount == 41


def test_a_forecast_upload_with_missing_intervals_is_refused_next_to_the_upload(app):
    bad = b"day,interval_start,queue,calls\n2022-01-10,09:00,consulting,12\n"
    widget(app.file_uploader, "forecast_file").set_value(("f.csv", bad, "text/csv")).run()
    widget(app.button, "forecast_use").click().run()
    assert not app.exception
    assert "queue consulting, 2022-01-10 09:15: is missing" in errors(app)
    assert workspace(app).draft.data["queues"][0]["demand"].get("forecast_csv") is None

    good = (SCENARIOS / "data" / "forecast_week.csv").read_bytes()
    widget(app.file_uploader, "forecast_file").set_value(("week.csv", good, "text/csv")).run()
    widget(app.button, "forecast_use").click().run()
    assert not app.exception and not app.error, errors(app)
    assert workspace(app).draft.data["queues"][0]["demand"]["forecast_csv"] == "week.csv"
    app.switch_page("app_pages/demand.py").run()
    assert metric(app, "Calls over the horizon") != "25,380"  # consulting from the forecast


def test_yaml_download_is_the_scenario(app):
    button = widget(app.get("download_button"), "download")
    assert button.proto.label == "Download the scenario (YAML)"


# ----- Demand page --------------------------------------------------------------------------------


def test_demand_day_selector_narrows_the_charts(app):
    app.switch_page("app_pages/demand.py").run()
    whole = chart_rows(app)
    app.button_group(key="demand_day").set_value("Mon 10 Jan").run()
    assert not app.exception
    assert 0 < chart_rows(app) < whole / 5


def test_a_target_the_queueing_engine_rejects_is_an_error_not_a_traceback(app):
    # A cap on abandonment needs a patience: the requirement refuses it with a clear message.
    edit_table(app, "queues", {0: {"patience_seconds": None, "max_abandon_rate": 5.0}})  # in %
    app.switch_page("app_pages/demand.py").run()
    assert not app.exception
    assert "max_abandon_rate" in errors(app)


# ----- Plan page ----------------------------------------------------------------------------------


def test_solve_one_day_shows_kpis_charts_and_downloads(app):
    solve(app)
    assert not app.error, errors(app)
    assert any("day 2022-01-12" in m.value for m in app.markdown)
    assert metric(app, "Paid hours") != ""
    assert metric(app, "emergency: service level").endswith("%")
    assert app.get("vega_lite_chart")  # coverage charts
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == [
        "Shifts (CSV)",
        "Coverage (CSV)",
        "Plan (Excel)",
        "KPIs (JSON)",
        "Simulation (JSON)",
        "Simulated intervals (CSV)",
    ]
    record = app.session_state["plan"]
    assert {str(d) for d in record.result.shifts["day"]} == {"2022-01-12"}
    assert record.result.validation.ok


@pytest.mark.slow
def test_changing_the_borrowed_headcount_changes_the_kpis(app):
    solve(app)
    before = {m.label: m.value for m in app.metric}
    app.switch_page("app_pages/scenario.py").run()
    widget(app.number_input, "headcount_2").set_value(0).run()
    app.switch_page("app_pages/plan.py").run()
    assert "changed since this plan" in "\n".join(w.value for w in app.warning)
    app.button(key="plan_solve").click().run()
    after = {m.label: m.value for m in app.metric}
    assert after["Borrowed hours"] == "0.0" != before["Borrowed hours"]
    assert after["emergency: service level"] != before["emergency: service level"]
    assert not app.warning


@pytest.mark.slow
def test_solve_the_whole_week(app):
    solve(app, day=None, time_limit=8.0)
    assert not app.error, errors(app)
    record = app.session_state["plan"]
    assert record.result.solve.has_plan
    assert len({str(d) for d in record.result.shifts["day"]}) == 7
    assert metric(app, "Borrowed hours") != "0.0"


def test_a_stopped_solve_keeps_the_best_plan_and_is_not_cached():
    from app_pages import _jobs
    from planner import editing as ed

    draft = ed.load_draft(SCENARIOS / "emergency.yaml")
    key = ed.scenario_key(draft.validate(), draft.files)
    settings = _jobs.SolveSettings(60.0, 0.0, 1, None)  # would run the full minute
    job = _jobs.SolveJob(key, settings, "test").start()
    deadline = time.perf_counter() + 30
    while job.latest is None or job.latest.objective is None:
        assert time.perf_counter() < deadline, "no plan reported"
        time.sleep(0.05)
    job.stop.set()
    job.wait(30)
    assert not job.running and job.error is None
    assert job.result.solve.has_plan
    assert job.elapsed < 30
    assert list(job.progress_table().columns) == ["seconds", "best plan", "bound"]
    # Not cached: the same settings solve again (and are stopped again at once).
    again = _jobs.SolveJob(key, settings, "again")
    again.stop.set()
    again.start().wait(30)
    assert again.result is not job.result


def test_plan_downloads_hold_the_plan(app):
    from planner.domain.plan import SHIFT_COLUMNS
    from planner.io.export import plan_to_excel, table_to_csv

    solve(app)
    result = app.session_state["plan"].result
    shifts = table_to_csv(result.shifts[list(SHIFT_COLUMNS)]).decode()
    assert shifts.splitlines()[0] == ",".join(SHIFT_COLUMNS)
    assert len(shifts.splitlines()) == len(result.shifts) + 1
    workbook = plan_to_excel(result)
    sheets = openpyxl.load_workbook(io.BytesIO(workbook)).sheetnames
    assert sheets == ["Shifts", "Coverage", "Daily KPIs", "Allocation"]


# ----- Compare page ------------------------------------------------------------------------------


def one_day_being_edited(app: AppTest) -> AppTest:
    """Make the scenario being edited one day of the emergency (fast solves), then Compare."""
    widget(app.number_input, "days").set_value(1).run()
    assert not app.error, errors(app)
    return app.switch_page("app_pages/compare.py").run()


@pytest.mark.slow
def test_compare_a_saved_file_with_the_unsaved_edit(app):
    widget(app.number_input, "headcount_2").set_value(0).run()  # no borrowed staff, not saved
    app.switch_page("app_pages/compare.py").run()
    chosen = ["emergency.yaml", "Scenario being edited"]
    app.multiselect(key="compare_chosen").set_value(chosen).run()
    app.number_input(key="compare_limit").set_value(5.0).run()
    app.button(key="compare_run").click().run()
    assert not app.exception and not app.error, errors(app)
    table = app.dataframe[0].value.set_index("KPI")
    assert list(table.columns) == [*chosen, "Δ Scenario being edited"]
    assert table.loc["Borrowed hours", "Scenario being edited"] == "0.0"
    borrowed = table.loc["Borrowed hours", "emergency.yaml"]
    assert float(borrowed.replace(",", "")) > 0
    assert table.loc["Borrowed hours", "Δ Scenario being edited"] == f"-{borrowed}"
    assert table.loc["emergency: service level", "Δ Scenario being edited"].startswith("-")
    assert len(app.get("vega_lite_chart")) == 4  # coverage and service level, two queues
    app.button_group(key="compare_day").set_value("Mon 10 Jan").run()
    assert not app.exception


def test_a_kept_version_can_be_compared(app):
    widget(app.text_input, "keep_label").input("as opened").run()
    widget(app.button, "keep").click().run()
    app.switch_page("app_pages/compare.py").run()
    assert "Kept: as opened" in app.multiselect(key="compare_chosen").options


@pytest.mark.slow
def test_sweep_heatmaps_and_the_capacity_answers(app):
    one_day_being_edited(app)
    surge_values, headcounts = app.text_input[0], app.text_input[1]
    surge_values.set_value("1, 3").run()
    headcounts.set_value("0, 21").run()
    app.multiselect(key="sweep_queues").set_value(["consulting"]).run()
    app.button(key="sweep_run").click().run()
    assert not app.exception and not app.error, errors(app)
    assert len(app.get("vega_lite_chart")) == 2  # service level and cost heatmaps
    lines = [m.value for m in app.markdown if m.value.startswith("- With")]
    assert len(lines) == 2 and "**21** borrowed" in lines[1]
    sweep = app.session_state["sweep_job_result"].table
    assert len(sweep) == 4 and set(sweep["status"]) <= {"OPTIMAL", "FEASIBLE"}

    high = next(n for n in app.number_input if n.key.startswith("cap_high"))
    step = next(n for n in app.number_input if n.key.startswith("cap_step"))
    high.set_value(4.0).run()
    step.set_value(1.0).run()
    app.button(key="cap_largest").click().run()
    assert not app.exception and not app.error, errors(app)
    (answer,) = [s.value for s in app.success]
    assert (
        answer.startswith("These staff absorb up to a **")
        and "surge at consulting 80%/20 s" in answer
    )

    app.button(key="cap_smallest").click().run()
    assert not app.exception and not app.error, errors(app)
    assert any("borrowed are needed" in s.value for s in app.success) or app.warning


def test_sweep_values_that_are_not_numbers_are_an_error(app):
    app.switch_page("app_pages/compare.py").run()
    app.text_input[0].set_value("1, two").run()
    assert not app.exception
    assert "Surge values: 'two' is not a number" in errors(app)
    assert app.button(key="sweep_run").disabled


# ----- Roster page -------------------------------------------------------------------------------


def make_roster(at: AppTest, time_limit: float = 3.0) -> AppTest:
    at.switch_page("app_pages/roster.py").run()
    at.number_input(key="roster_time_limit").set_value(time_limit).run()
    at.button(key="roster_make").click().run()
    assert not at.exception
    return at


def grid_rows(at: AppTest):
    (grid,) = [d.value for d in at.dataframe if "unassigned" in d.value.columns]
    return grid


@pytest.mark.slow
def test_roster_the_week_shows_the_grid_the_holes_and_the_check(app):
    make_roster(app)
    result = app.session_state["roster"].result
    planned = int(result.plan.shifts["agents"].sum())
    assert metric(app, "Shifts assigned") == f"{len(result.roster):,} of {planned:,}"
    assert metric(app, "Unassigned shifts") == f"{planned - len(result.roster):,}"
    assert any(s.value.startswith("Roster check without the solver: valid") for s in app.success)
    if len(result.unassigned):  # each hole is listed with its reason, in red in the grid
        assert f"{len(result.unassigned)} planned shift(s) have no operator" in errors(app)
    grid = grid_rows(app)
    operators = len({op.id for op in result.operators})
    assert (~grid["unassigned"]).sum() == operators  # week 1, every pool
    assert grid["unassigned"].sum() == result.unassigned.groupby("pool").ngroups

    app.multiselect(key="roster_pools").set_value(["borrowed"]).run()
    borrowed = grid_rows(app)
    assert set(borrowed["pool"]) == {"borrowed"}
    assert (~borrowed["unassigned"]).sum() == sum(op.pool == "borrowed" for op in result.operators)

    app.text_input(key="roster_search").input("borrowed-1").run()
    assert set(grid_rows(app).query("not unassigned")["operator"]) <= {
        f"borrowed-{i}" for i in [1, *range(10, 20)]
    }


@pytest.mark.slow
def test_roster_reuses_the_plan_of_the_plan_page(app):
    solve(app, day=None, time_limit=8.0)
    plan = app.session_state["plan"].result
    app.switch_page("app_pages/roster.py").run()
    assert any("Rosters the plan made on the Plan page" in m.value for m in app.markdown)
    make_roster(app)
    rostered = app.session_state["roster"].result
    assert rostered.planned_shifts == int(plan.shifts["agents"].sum())
    assert rostered.plan.shifts.equals(plan.shifts)


def test_a_bad_operators_file_is_refused_with_row_field_and_rule(app):
    app.switch_page("app_pages/roster.py").run()
    bad = b"id,pool,contract_hours_per_week\nA1,consulting_team,40\nA2,nowhere,-5\n"
    app.file_uploader(key="roster_operators_upload").set_value(("staff.csv", bad, "text/csv"))
    app.run()
    app.button(key="roster_use_operators").click().run()
    assert not app.exception
    shown = errors(app)
    assert "row 3" in shown and "pool" in shown and "nowhere" in shown
    assert "contract_hours_per_week" in shown and "-5" in shown
    assert workspace(app).draft.data.get("operators_file") is None


@pytest.mark.slow
def test_a_good_operators_file_names_the_roster(app):
    app.switch_page("app_pages/roster.py").run()
    good = (SCENARIOS / "data" / "emergency_operators.csv").read_bytes()
    app.file_uploader(key="roster_operators_upload").set_value(("ops.csv", good, "text/csv"))
    app.run()
    app.button(key="roster_use_operators").click().run()
    assert not app.exception and not app.error, errors(app)
    assert workspace(app).draft.data["operators_file"] == "ops.csv"
    assert any(m.value.startswith("**71 named operators** from `ops.csv`") for m in app.markdown)
    make_roster(app)
    roster = app.session_state["roster"].result.roster
    assert "Aigerim Abenova" in set(roster["name"])
    # The file travels with the scenario: saving writes it beside the YAML.
    app.button(key="roster_generated").click().run()
    assert workspace(app).draft.data["operators_file"] is None
    assert any(m.value.startswith("**71 anonymous operators**") for m in app.markdown)


def test_labour_rules_are_checked_before_they_apply(app):
    app.switch_page("app_pages/roster.py").run()

    def rule(label: str):
        (found,) = [n for n in app.number_input if n.label == label]
        return found

    rule("Days off in 7, at least").set_value(9)
    rule("Normal hours a week (beyond: overtime)").set_value(39.0)
    app.button(key="roster_rules_apply").click().run()
    assert not app.exception
    assert "labour › min_days_off_per_week = 9: must be <= 7" in errors(app)
    assert workspace(app).draft.data["labour"]["max_hours_per_week"] == 40.0  # nothing applied

    # Three days off leave four working days: 2 h of overtime each, 40 + 8 = the pools' 48 h.
    rule("Days off in 7, at least").set_value(3)
    rule("Normal hours a week (beyond: overtime)").set_value(40.0)
    rule("Overtime a month (h), at most").set_value(10.0)
    app.button(key="roster_rules_apply").click().run()
    assert not app.exception and not app.error, errors(app)
    labour = workspace(app).draft.validate().labour
    assert (labour.min_days_off_per_week, labour.max_hours_per_week) == (3, 40.0)
    assert labour.max_overtime_hours_per_month == 10.0


def test_a_failed_roster_or_solve_is_an_error_on_the_page_after_it_ends(app, monkeypatch):
    from app_pages import _cache

    def fails(*args, **kwargs):
        raise ValueError("queues[0].aht_seconds = 0: must be > 0")

    monkeypatch.setattr(_cache, "roster_scenario", fails)
    monkeypatch.setattr(_cache, "plan_shifts", fails)
    make_roster(app, time_limit=2.5)  # settings no other test uses: nothing cached
    assert "The roster: queues[0].aht_seconds = 0: must be > 0" in errors(app)
    assert "roster" not in app.session_state
    app.run()  # still there on the next rerun, until the next try
    assert "The roster: queues[0].aht_seconds = 0" in errors(app)
    solve(app, time_limit=9.5)
    assert "Cannot solve: queues[0].aht_seconds = 0: must be > 0" in errors(app)


# ----- Forecast page ------------------------------------------------------------------------------


def test_forecast_page_shows_the_sample_backtest_and_a_chosen_method(app):
    app.switch_page("app_pages/forecast.py").run()
    assert not app.exception and not app.error, errors(app)
    accuracy = app.dataframe[-1].value  # the first is the special-days editor
    assert set(accuracy["queue"]) == {"consulting", "emergency"}
    assert accuracy.groupby("queue")["chosen"].sum().tolist() == [1, 1]
    assert len(app.get("vega_lite_chart")) == 2  # the backtest week, the forecast
    app.selectbox(key="forecast_backtest_queue").set_value("emergency").run()
    assert not app.exception
    app.selectbox(key="forecast_method").set_value("weekday_mean").run()
    assert app.session_state["forecast_method"] == "weekday_mean"  # the value: the library's
    assert set(app.dataframe[-1].value["method"]) == {"mean of the same weekday"}  # in words
    app.text_input(key="forecast_country").set_value("XX").run()
    assert "not a country code" in errors(app)


def test_the_forecast_is_used_by_the_scenario_being_edited(app):
    # Issue 14: "use this forecast" for the scenario. The default scenario is the emergency
    # week; the sample history has its two queues, so both take their calls from the forecast
    # and the horizon moves to the forecast's days.
    app.switch_page("app_pages/forecast.py").run()
    start = app.date_input(key="forecast_start").value
    app.number_input(key="forecast_days").set_value(7).run()
    app.button(key="forecast_use").click().run()
    assert not app.exception and not app.error, errors(app)
    assert any("now plans" in s.value for s in app.success), [s.value for s in app.success]
    data = app.session_state["workspace"].draft.data
    assert data["horizon"]["start_date"] == start.isoformat() and data["horizon"]["days"] == 7
    demands = [q["demand"] for q in data["queues"]]
    assert all(d["forecast_csv"] == "forecast_for_scenario.csv" for d in demands)
    app.switch_page("app_pages/plan.py").run()
    assert not app.exception and not app.error, errors(app)


def test_plan_page_offers_the_confidence_for_a_forecast_fed_scenario(app):
    app.selectbox(key="open_file").select("forecast_history.yaml").run()
    assert not app.exception and not app.error, errors(app)
    app.switch_page("app_pages/plan.py").run()
    assert not app.exception and not app.error, errors(app)
    choices = app.selectbox(key="plan_confidence").options
    assert choices == ["As the scenario says", "80 %", "90 %", "95 %"]


def test_a_day_planned_with_90_percent_confidence_pays_more_hours(app):
    app.selectbox(key="open_file").select("forecast_history.yaml").run()
    solve(app)
    assert not app.error, errors(app)
    point = app.session_state["plan"].result.kpis.paid_hours
    app.selectbox(key="plan_confidence").select("90 %").run()
    app.button(key="plan_solve").click().run()
    assert not app.exception and not app.error, errors(app)
    assert app.session_state["plan"].result.kpis.paid_hours > point
