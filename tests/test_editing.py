"""planner.editing: scenario data <-> editable tables, issues in the user's words, one-day plans,
saving without overwriting.

Every table must round-trip every shipped scenario unchanged (so opening a scenario in the app and
saving it changes nothing); an edit must land in exactly the field it was made in; bad cells must
come back as validation issues naming the field, never as an exception.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner import editing as ed
from planner.demand import build_demand
from planner.errors import InputIssue, ScenarioError
from planner.io.scenario_file import load_scenario
from planner.timegrid import WEEKDAYS

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
SPECS = [
    ed.QUEUES,
    ed.SURGES,
    ed.OPERATING_MODES,
    ed.POOLS,
    ed.HEADCOUNT_CHANGES,
    ed.SHIFT_TEMPLATES,
]


@pytest.fixture(scope="module")
def emergency() -> ed.Draft:
    return ed.load_draft(SCENARIOS / "emergency.yaml")


def issues_of(draft: ed.Draft) -> list[InputIssue]:
    with pytest.raises(ScenarioError) as caught:
        draft.validate()
    return list(caught.value.issues)


# ----- round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_table_round_trips_every_shipped_scenario(path):
    draft = ed.load_draft(path)
    scenario = draft.validate()
    data = draft.data
    for spec in SPECS:
        data = ed.apply_table(data, spec, ed.table(data, spec))
    data = ed.apply_volumes(data, ed.volumes_table(data))
    templates = ed.table(data, ed.SHIFT_TEMPLATES)
    data, problems = ed.apply_breaks(
        data, ed.breaks_table(data), before=data, template_rows=list(templates[ed.ROW])
    )
    data = ed.apply_headcounts(data, [p["headcount"] for p in data["pools"]])
    assert problems == []
    assert ed.differences(draft.data, data) == []
    assert draft.with_data(data).validate() == scenario


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_scenario_key_rebuilds_the_same_scenario(path):
    draft = ed.load_draft(path)
    scenario = draft.validate()
    key = ed.scenario_key(scenario, draft.files)
    assert ed.scenario_from_key(key) == scenario
    hash(key)  # usable as a cache key


def test_apply_never_changes_its_input(emergency):
    before = ed.differences(emergency.data, ed.load_draft(SCENARIOS / "emergency.yaml").data)
    edited = ed.table(emergency.data, ed.POOLS)
    edited.loc[0, "cost_per_hour"] = 9999.0
    ed.apply_table(emergency.data, ed.POOLS, edited)
    ed.apply_headcounts(emergency.data, [1, 2, 3])
    assert before == []
    assert emergency.data["pools"][0]["cost_per_hour"] == 1250


# ----- edits land where they were made ------------------------------------------------------------


def test_editing_a_cell_changes_exactly_that_field(emergency):
    edited = ed.table(emergency.data, ed.QUEUES)
    edited.loc[1, "aht_seconds"] = 480.0
    data = ed.apply_table(emergency.data, ed.QUEUES, edited)
    assert ed.differences(emergency.data, data) == [("queues[emergency].aht_seconds", 420.0, 480.0)]
    assert emergency.with_data(data).validate().queue("emergency").aht_seconds == 480


def test_an_empty_optional_cell_unsets_the_field(emergency):
    edited = ed.table(emergency.data, ed.QUEUES)
    edited.loc[0, "patience_seconds"] = np.nan
    scenario = emergency.with_data(ed.apply_table(emergency.data, ed.QUEUES, edited)).validate()
    assert scenario.queue("consulting").patience_seconds is None  # Erlang C from now on


def test_an_empty_required_cell_is_reported_not_defaulted(emergency):
    edited = ed.table(emergency.data, ed.QUEUES)
    edited.loc[0, "service_level"] = np.nan
    issues = issues_of(emergency.with_data(ed.apply_table(emergency.data, ed.QUEUES, edited)))
    assert [(i.path, i.rule) for i in issues] == [("queues[0].service_level", "must be a number")]


def test_a_whole_number_typed_as_float_is_accepted_but_a_fraction_is_not(emergency):
    data = ed.apply_headcounts(emergency.data, [25.0, 25, 21.5])
    assert data["pools"][0]["headcount"] == 25 and isinstance(data["pools"][0]["headcount"], int)
    issues = issues_of(emergency.with_data(data))
    assert [(i.path, i.rule) for i in issues] == [("pools[2].headcount", "must be a whole number")]


def test_a_negative_headcount_names_the_pool_and_the_rule(emergency):
    data = ed.apply_headcounts(emergency.data, [25, 25, -3])
    (issue,) = issues_of(emergency.with_data(data))
    assert ed.issue_section(issue) == "headcount"
    assert ed.issue_text(issue, data) == "pool 'borrowed' › headcount = -3: must be >= 0"


def test_volumes_keep_their_form_and_a_new_line_gets_daily_volumes(emergency):
    table = ed.volumes_table(emergency.data)
    assert list(table["queue"]) == ["consulting", "emergency"]
    table.loc[0, "mon"] = 2000.0  # consulting: calls_per_day becomes calls_per_weekday
    table.loc[1, list(WEEKDAYS)] = 500.0  # emergency had no demand: now 500 a day
    data = ed.apply_volumes(emergency.data, table)
    consulting, emergency_line = (q["demand"] for q in data["queues"])
    assert consulting["calls_per_weekday"]["mon"] == 2000
    assert consulting["calls_per_weekday"]["tue"] == 1400
    assert "calls_per_day" not in consulting
    assert emergency_line == {"calls_per_day": 500.0, "profile": "bank_weekday"}
    before, after = (
        build_demand(emergency.validate()),
        build_demand(emergency.with_data(data).validate()),
    )
    line = (after["queue"] == "emergency") & (after["day_index"] == 0)
    assert after[line]["calls"].sum() - before[line]["calls"].sum() == pytest.approx(500)


def test_surge_rows_can_be_added_and_deleted(emergency):
    table = ed.table(emergency.data, ed.SURGES).iloc[[1]]  # drop the first surge
    added = {
        "name": "holiday",
        "queue": "consulting",
        "start_date": date(2022, 1, 14),
        "peak_multiplier": 0.5,
        "ramp_up_days": 0.0,
        "plateau_days": 1.0,
        "added_calls_per_day": 0.0,
    }
    table = pd.concat([table, pd.DataFrame([added])], ignore_index=True)
    scenario = emergency.with_data(ed.apply_table(emergency.data, ed.SURGES, table)).validate()
    assert [s.name for s in scenario.surges] == ["missing_persons_line", "holiday"]
    assert scenario.surges[0].profile == "public_service"  # kept from its original row
    assert scenario.surges[1].start_date == date(2022, 1, 14)
    assert scenario.surges[1].half_life_days is None


def test_a_list_profile_survives_a_table_edit(emergency):
    data = ed.set_value(emergency.data, ["surges"], [dict(emergency.data["surges"][0])])
    data["surges"][0]["profile"] = [1.0] * 48
    table = ed.table(data, ed.SURGES)
    assert table.loc[0, "profile"] == ed.CUSTOM_PROFILE
    table.loc[0, "peak_multiplier"] = 3.0
    edited = ed.apply_table(data, ed.SURGES, table)
    assert edited["surges"][0]["profile"] == [1.0] * 48
    assert edited["surges"][0]["peak_multiplier"] == 3.0


def test_operating_mode_cells_as_lists_and_text(emergency):
    table = ed.table(emergency.data, ed.OPERATING_MODES)
    table["weekdays"] = [["sun"]]  # the one mode's weekdays
    table.loc[0, "dates"] = "2022-01-15, 2022-01-14"
    data = ed.apply_table(emergency.data, ed.OPERATING_MODES, table)
    mode = emergency.with_data(data).validate().operating_modes[0]
    assert mode.weekdays == ["sun"]
    assert mode.dates == [date(2022, 1, 15), date(2022, 1, 14)]
    table.loc[0, "dates"] = "15.01.2022"
    issues = issues_of(
        emergency.with_data(ed.apply_table(emergency.data, ed.OPERATING_MODES, table))
    )
    assert issues[0].path == "operating_modes[0].dates[0]"
    assert ed.issue_section(issues[0]) == "operating_modes"


def test_breaks_follow_a_renamed_template_and_a_lost_break_is_reported(emergency):
    templates = ed.table(emergency.data, ed.SHIFT_TEMPLATES)
    templates.loc[1, "name"] = "day_8h_new"
    data = ed.apply_table(emergency.data, ed.SHIFT_TEMPLATES, templates)
    breaks = ed.breaks_table(emergency.data)
    new, problems = ed.apply_breaks(
        data, breaks, before=emergency.data, template_rows=list(templates[ed.ROW])
    )
    assert problems == []
    assert new["shift_templates"][1]["breaks"][0]["length_minutes"] == 30

    breaks.loc[0, "template"] = "nonsense"
    new, problems = ed.apply_breaks(
        data, breaks, before=emergency.data, template_rows=list(templates[ed.ROW])
    )
    assert [(p.path, p.value) for p in problems] == [("breaks, row 1, template", "nonsense")]
    draft = ed.Draft(new, emergency.files, "x", tuple(problems))
    sections = {ed.issue_section(i) for i in issues_of(draft)}
    assert sections == {"breaks", "pools"}  # the pools still name day_8h


def test_validation_issues_go_to_the_section_where_the_field_is_edited():
    cases = {
        "queues[1].demand.calls_per_weekday.mon": "volumes",
        "queues[0].demand.forecast_csv (f.csv) row 7, calls": "forecast",
        "queues[0].aht_seconds": "queues",
        "surges[0].queue": "surges",
        "pools[2].headcount": "headcount",
        "pools[2].skills[0]": "pools",
        "headcount_changes[0].pool": "headcount_changes",
        "shift_templates[1].breaks[0].length_minutes": "breaks",
        "shift_templates[1].length_minutes": "shift_templates",
        "horizon.days": "horizon",
        "solver.workers": "settings",
        "name": "scenario",
        "(top level)": "scenario",
    }
    for path, section in cases.items():
        assert ed.issue_section(InputIssue(path, 1, "rule")) == section, path


def test_issue_text_names_items_by_name(emergency):
    issue = InputIssue("shift_templates[1].breaks[0].latest_start_after_minutes", 500, "too late")
    assert ed.issue_text(issue, emergency.data) == (
        "shift template 'day_8h' › break 'meal' › latest_start_after_minutes = 500: too late"
    )
    forecast = InputIssue(
        "queues[0].demand.forecast_csv (f.csv) row 7, calls", -1.0, "must be >= 0"
    )
    assert ed.issue_text(forecast, emergency.data) == (
        "queue 'consulting' › demand › forecast_csv › (f.csv) row 7, calls = -1.0: must be >= 0"
    )


# ----- differences --------------------------------------------------------------------------------


def test_differences_match_named_items_by_name(emergency):
    data = ed.apply_headcounts(emergency.data, [25, 25, 40])
    data["pools"] = list(reversed(data["pools"]))
    assert ed.differences(emergency.data, data) == [("pools[borrowed].headcount", 21, 40)]
    assert ed.differences({"a": None}, {}) == []
    assert ed.differences({"x": 1}, {"x": 1.0}) == []


# ----- uploads and forecasts ----------------------------------------------------------------------


def test_upload_with_its_forecast_file_matched_by_name():
    files = {
        "forecast_week.yaml": (SCENARIOS / "forecast_week.yaml").read_bytes(),
        "forecast_week.csv": (SCENARIOS / "data" / "forecast_week.csv").read_bytes(),
    }
    draft = ed.draft_from_upload(files)
    assert draft.source == "upload: forecast_week.yaml"
    assert draft.validate() == load_scenario(SCENARIOS / "forecast_week.yaml")


@pytest.mark.parametrize(
    ("files", "path", "rule_part"),
    [
        ({}, "(files)", "exactly one scenario file"),
        ({"a.yaml": b"x: [", "b.yml": b""}, "(files)", "exactly one scenario file"),
        ({"a.yaml": b"\xff\xfe"}, "(file)", "UTF-8"),
        ({"a.yaml": b"name: [unclosed"}, "line 1", "not valid YAML"),
        (
            {"f.yaml": (SCENARIOS / "forecast_week.yaml").read_bytes()},
            "queues[0]",
            "cannot be read",
        ),
    ],
)
def test_bad_uploads_are_scenario_errors_naming_the_problem(files, path, rule_part):
    with pytest.raises(ScenarioError) as caught:
        ed.draft_from_upload(files)
    issue = caught.value.issues[0]
    assert issue.path.startswith(path)
    assert rule_part in issue.rule


def test_set_forecast_then_back_to_weekday_volumes():
    baseline = ed.load_draft(SCENARIOS / "baseline.yaml")
    csv = (SCENARIOS / "data" / "forecast_week.csv").read_bytes()
    with_forecast = ed.set_forecast(baseline, 0, "upload.csv", csv)
    calls = build_demand(with_forecast.validate())["calls"].sum()
    assert calls == pytest.approx(8200, abs=1)
    back = ed.use_daily_volumes(with_forecast, 0)
    volumes = back.data["queues"][0]["demand"]["calls_per_weekday"]
    assert volumes["sat"] == pytest.approx(700) and volumes["mon"] == pytest.approx(1587, abs=1)
    assert build_demand(back.validate())["calls"].sum() == pytest.approx(8200, abs=2)


def test_a_broken_forecast_is_reported_in_the_forecast_section():
    baseline = ed.load_draft(SCENARIOS / "baseline.yaml")
    broken = ed.set_forecast(baseline, 0, "bad.csv", b"day,interval_start,queue,calls\n")
    issues = issues_of(broken)
    assert issues and {ed.issue_section(i) for i in issues} == {"forecast"}


# ----- one day ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["emergency.yaml", "forecast_week.yaml"])
def test_one_day_has_the_same_demand_as_that_day_of_the_week(name):
    draft = ed.load_draft(SCENARIOS / name)
    scenario = draft.validate()
    day = date(2022, 1, 12)
    data, files = ed.restrict_to_day(scenario, draft.files, day)
    one_day = ed.Draft(data, files).validate()
    assert one_day.horizon.days == 1
    week = build_demand(scenario)
    expected = week[week["day"] == day].reset_index(drop=True)
    got = build_demand(one_day)
    np.testing.assert_allclose(got["calls"], expected["calls"])
    assert one_day.headcount_matrix()[
        "emergency_team" if "emergency" in name else "consulting_team"
    ]


def test_one_day_keeps_only_its_operating_mode_dates():
    draft = ed.load_draft(SCENARIOS / "emergency.yaml")
    data = draft.data
    data["operating_modes"].append(
        {"name": "holiday", "weekdays": [], "dates": ["2022-01-13"], "closed_queues": ["emergency"]}
    )
    scenario = draft.with_data(data).validate()
    kept, _ = ed.restrict_to_day(scenario, {}, date(2022, 1, 13))
    assert [m["name"] for m in kept["operating_modes"]] == ["weekend_emergency_only", "holiday"]
    dropped, _ = ed.restrict_to_day(scenario, {}, date(2022, 1, 12))
    assert [m["name"] for m in dropped["operating_modes"]] == ["weekend_emergency_only"]
    with pytest.raises(ValueError, match="outside the horizon"):
        ed.restrict_to_day(scenario, {}, date(2023, 1, 1))


# ----- saving -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name"),
    [("my plan", None), ("week2", "week2.yaml"), ("a.yml", "a.yml"), ("../x", None), ("", None)],
)
def test_scenario_file_names(typed, name):
    if name is None:
        with pytest.raises(ValueError, match="file name"):
            ed.scenario_file_name(typed)
    else:
        assert ed.scenario_file_name(typed) == name


def test_save_never_overwrites_without_confirmation(tmp_path, emergency):
    scenario = emergency.validate()
    (path,) = ed.save_draft(scenario, {}, tmp_path, "mine")
    assert path == tmp_path / "mine.yaml"
    assert load_scenario(path) == scenario
    changed = emergency.with_data(ed.apply_headcounts(emergency.data, [25, 25, 0])).validate()
    with pytest.raises(FileExistsError, match="exists"):
        ed.save_draft(changed, {}, tmp_path, "mine.yaml")
    assert load_scenario(path) == scenario
    ed.save_draft(changed, {}, tmp_path, "mine.yaml", overwrite=True)
    assert load_scenario(path) == changed


def test_save_writes_the_forecast_files_it_needs(tmp_path):
    draft = ed.load_draft(SCENARIOS / "forecast_week.yaml")
    scenario = draft.validate()
    written = ed.save_draft(scenario, draft.files, tmp_path, "fw.yaml")
    assert written == [tmp_path / "fw.yaml", tmp_path / "data" / "forecast_week.csv"]
    assert load_scenario(tmp_path / "fw.yaml") == scenario
    # Saving again under another name: the identical forecast file is not a clash.
    assert ed.save_draft(scenario, draft.files, tmp_path, "fw2.yaml") == [tmp_path / "fw2.yaml"]
    other = {"data/forecast_week.csv": draft.files["data/forecast_week.csv"] + b"\n"}
    with pytest.raises(FileExistsError, match=r"forecast_week\.csv"):
        ed.save_draft(scenario, other, tmp_path, "fw3.yaml")
    assert not (tmp_path / "fw3.yaml").exists()


# ----- typed lists -------------------------------------------------------------------------------


def test_number_lists_for_sweep_axes():
    assert ed.number_list("1, 2.5;4 4", what="x") == [1.0, 2.5, 4.0]
    assert ed.number_list(" 0,21, 40 ", what="x", whole=True) == [0, 21, 40]
    for text, message in [
        ("", "at least one"),
        ("1, 2x", "'2x' is not a number"),
        ("nan", "not a finite"),
        ("2.5", "not a whole number"),
    ]:
        with pytest.raises(ValueError, match=message):
            ed.number_list(text, what="headcounts", whole=True)


def test_an_operators_file_travels_with_the_scenario(tmp_path):
    """A scenario naming an operators file (issue 7) keeps it through load, key, upload, save."""
    (tmp_path / "data").mkdir()
    csv = (SCENARIOS / "data" / "emergency_operators.csv").read_bytes()
    (tmp_path / "data" / "ops.csv").write_bytes(csv)
    text = (SCENARIOS / "emergency.yaml").read_text() + "operators_file: data/ops.csv\n"
    (tmp_path / "e.yaml").write_text(text)

    draft = ed.load_draft(tmp_path / "e.yaml")
    assert ed.attached_files(draft.data) == ["data/ops.csv"]
    scenario = draft.validate()
    assert ed.scenario_from_key(ed.scenario_key(scenario, draft.files)) == scenario
    uploaded = ed.draft_from_upload({"e.yaml": text.encode(), "ops.csv": csv})
    assert uploaded.validate() == scenario
    one_day, files = ed.restrict_to_day(scenario, draft.files, date(2022, 1, 12))
    assert ed.Draft(one_day, files).validate().operators_file == "data/ops.csv"
    saved = tmp_path / "saved"
    assert ed.save_draft(scenario, draft.files, saved, "copy") == [
        saved / "copy.yaml",
        saved / "data" / "ops.csv",
    ]
    assert load_scenario(saved / "copy.yaml") == scenario


def test_volumes_per_horizon_day_are_edited_in_their_own_table(emergency):
    data = copy.deepcopy(emergency.data)
    data["queues"][0]["demand"] = {"calls_by_day": [1000, 900, 800, 700, 600, 500, 400]}
    assert list(ed.volumes_table(data)["queue"]) == ["emergency"]  # not in the weekday table
    table = ed.by_day_table(data)
    assert list(table.columns) == [ed.ROW, "queue", *(f"day {d}" for d in range(1, 8))]
    table.loc[0, "day 2"] = 950.0
    edited = ed.apply_by_day(data, table)
    assert edited["queues"][0]["demand"]["calls_by_day"][:3] == [1000, 950, 800]
    assert emergency.with_data(edited).validate().queues[0].demand.calls_by_day[1] == 950
    assert ed.by_day_table(emergency.data).empty
