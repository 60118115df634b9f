"""Scenario files: the shipped ones load and mean what they say; bad input gets one clear message.

Each rejected input is checked for exactly one issue (so one mistake gives one message) naming the
file, the field path, the value and the rule, as scenarios/README.md promises.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from planner.domain.scenario import Scenario
from planner.errors import MISSING, ScenarioError
from planner.io.scenario_file import (
    dump_scenario_yaml,
    load_scenario,
    parse_scenario,
    save_scenario,
)
from planner.io.yaml_strict import read_yaml

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))

# A small valid scenario: two queues (one fed only by a surge), three pools, one shift template.
VALID = """\
schema_version: 1
name: Test centre
horizon:
  start_date: 2022-01-10
  days: 3
  window_start: "09:00"
  window_end: "21:00"
  interval_minutes: 15
queues:
  - name: consulting
    aht_seconds: 300
    demand:
      calls_per_day: 1400
  - name: emergency
    aht_seconds: 420
surges:
  - name: line_opens
    queue: emergency
    start_date: 2022-01-10
    added_calls_per_day: 1000
    profile: flat
shift_templates:
  - name: day_8h
    length_minutes: 480
    breaks:
      - name: meal
        length_minutes: 30
        earliest_start_after_minutes: 180
        latest_start_after_minutes: 300
pools:
  - name: consulting_team
    skills: [consulting]
    headcount: 10
    shift_templates: [day_8h]
  - name: emergency_team
    skills: [emergency]
    headcount: 10
    shift_templates: [day_8h]
  - name: borrowed
    skills: [consulting, emergency]
    headcount: 5
    shift_templates: [day_8h]
"""


def valid_data() -> dict:
    return yaml.safe_load(VALID)


def write(tmp_path: Path, content: str | dict, name: str = "centre.yaml") -> Path:
    path = tmp_path / name
    text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def rejected(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value


def assert_one_issue(error: ScenarioError, path: str, value: object, *rule_parts: str) -> None:
    """Exactly one issue, at ``path`` with ``value``; the message names file, path, value, rule."""
    assert len(error.issues) == 1, str(error)
    issue = error.issues[0]
    assert issue.path == path, str(error)
    if value is MISSING:
        assert issue.value is MISSING, str(error)
    else:
        assert issue.value == value and type(issue.value) is type(value), str(error)
    message = str(error)
    assert message.startswith(f"{error.source}: {path}"), message
    if value is not MISSING:
        assert f" = {value!r}: " in message, message
    for part in rule_parts:
        assert part in issue.rule, message


def test_the_valid_test_scenario_is_valid(tmp_path):
    scenario = load_scenario(write(tmp_path, VALID))
    assert scenario.source == str(tmp_path / "centre.yaml")
    assert [q.name for q in scenario.queues] == ["consulting", "emergency"]
    assert scenario.grid.intervals_per_day == 48


# --------------------------------------------------------------------------------------------------
# Shipped scenarios
# --------------------------------------------------------------------------------------------------


def test_the_shipped_scenarios_are_all_there():
    names = {p.name for p in SHIPPED}
    expected = {
        "baseline.yaml",
        "emergency.yaml",
        "emergency_no_borrowed.yaml",
        "emergency_pooled.yaml",
        "forecast_week.yaml",
    }
    assert expected <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_scenario_loads_and_is_described(path):
    scenario = load_scenario(path)
    assert scenario.name and scenario.description
    assert path.read_text(encoding="utf-8").startswith("#"), "explain the scenario in a header"
    assert f"`{path.name}`" in (SCENARIOS / "README.md").read_text(encoding="utf-8")
    # Every pool can serve at least one queue, every queue is served by at least one pool.
    skills = {s for p in scenario.pools for s in p.skills}
    assert skills == {q.name for q in scenario.queues}


def test_shipped_scenarios_run_monday_to_sunday_in_the_operating_window():
    for path in SHIPPED:
        h = load_scenario(path).horizon
        days = 1 if path.name.startswith("national_") else 7  # five centres: their Monday
        assert (h.start_date, h.days) == (date(2022, 1, 10), days), path.name
        assert (h.window_start, h.window_end) == (9 * 60, 21 * 60), path.name


def pools_by_name(scenario: Scenario) -> dict[str, dict]:
    return {p.name: p.model_dump() for p in scenario.pools}


def test_no_borrowed_is_emergency_without_the_21_borrowed_staff():
    emergency = load_scenario(SCENARIOS / "emergency.yaml")
    variant = load_scenario(SCENARIOS / "emergency_no_borrowed.yaml")
    assert emergency.pool("borrowed").headcount == 21
    assert variant.pool("borrowed").headcount == 0
    # Apart from the name, the description and that one headcount, nothing differs.
    expected = emergency.model_dump()
    expected["pools"][[p["name"] for p in expected["pools"]].index("borrowed")]["headcount"] = 0
    for field in ("name", "description"):
        expected[field] = getattr(variant, field)
    assert variant.model_dump() == expected
    assert sum(variant.headcount_matrix()["borrowed"]) == 0


def test_pooled_is_emergency_with_one_cross_trained_pool_of_the_same_people():
    emergency = load_scenario(SCENARIOS / "emergency.yaml")
    pooled = load_scenario(SCENARIOS / "emergency_pooled.yaml")
    own = [p for p in pooled.pools if not p.borrowed]
    assert len(own) == 1
    assert sorted(own[0].skills) == ["consulting", "emergency"]
    teams = [p for p in emergency.pools if not p.borrowed]
    assert own[0].headcount == sum(p.headcount for p in teams) == 50
    # The same operators each day (the seconded one included), the same borrowed staff.
    emergency_days = sum(emergency.headcount_matrix()[p.name] for p in teams)
    np.testing.assert_array_equal(pooled.headcount_matrix()[own[0].name], emergency_days)
    assert pools_by_name(pooled)["borrowed"] == pools_by_name(emergency)["borrowed"]
    assert set(own[0].shift_templates) == {t for p in teams for t in p.shift_templates}
    assert own[0].cost_per_hour == teams[0].cost_per_hour
    # Everything but the pools, the headcount change's pool and the labels is unchanged.
    same = ("horizon", "queues", "surges", "operating_modes", "shift_templates", "service")
    for field in (*same, "weights", "solver", "labour"):
        assert getattr(pooled, field) == getattr(emergency, field), field


def test_forecast_week_takes_its_demand_from_the_committed_csv_reproducibly(tmp_path):
    scenario = load_scenario(SCENARIOS / "forecast_week.yaml")
    (queue,) = scenario.queues
    assert queue.demand.forecast_csv == "data/forecast_week.csv"
    out = tmp_path / "again.csv"
    script = SCENARIOS / "data" / "make_forecast_week.py"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, cwd=tmp_path)
    assert out.read_bytes() == (SCENARIOS / "data" / "forecast_week.csv").read_bytes()


def test_headcount_changes_apply_inclusively_over_their_dates():
    emergency = load_scenario(SCENARIOS / "emergency.yaml")
    # One operator seconded from Wednesday 12 January (no end date: to the end of the horizon).
    assert emergency.headcount_matrix()["emergency_team"].tolist() == [25, 25, 24, 24, 24, 24, 24]
    assert emergency.headcount_matrix()["consulting_team"].tolist() == [25] * 7

    data = valid_data()
    data["headcount_changes"] = [
        {"pool": "borrowed", "change": 3, "from_date": "2022-01-11", "to_date": "2022-01-11"},
        {"pool": "borrowed", "change": -2, "to_date": "2022-01-11"},
        {"pool": "borrowed", "change": 7, "from_date": "2023-01-01"},  # outside: no day
    ]
    assert parse_scenario(data).headcount_matrix()["borrowed"].tolist() == [3, 6, 5]


def test_operating_modes_close_queues_on_their_weekdays_and_dates():
    emergency = load_scenario(SCENARIOS / "emergency.yaml")
    is_open = emergency.open_matrix()
    assert is_open["consulting"].tolist() == [True] * 5 + [False] * 2
    assert is_open["emergency"].all()

    data = valid_data()
    data["operating_modes"] = [
        {"name": "holiday", "dates": ["2022-01-11"], "closed_queues": ["consulting", "emergency"]},
        {"name": "mondays", "weekdays": ["mon"], "closed_queues": ["consulting"]},
    ]
    is_open = parse_scenario(data).open_matrix()
    assert is_open["consulting"].tolist() == [False, False, True]
    assert is_open["emergency"].tolist() == [True, False, True]


# --------------------------------------------------------------------------------------------------
# Strict reading: one clear message per problem
# --------------------------------------------------------------------------------------------------


def test_unknown_key_suggests_the_field_meant(tmp_path):
    text = VALID.replace("    aht_seconds: 300\n", "    aht_secnds: 300\n")
    error = rejected(write(tmp_path, text))
    # aht_seconds is required, so its absence is a second issue; the typo's comes with a hint.
    paths = [i.path for i in error.issues]
    assert "queues[0].aht_secnds" in paths
    issue = error.issues[paths.index("queues[0].aht_secnds")]
    assert "unknown field (did you mean 'aht_seconds'?)" in issue.rule
    assert "allowed here: name, aht_seconds" in issue.rule
    assert str(tmp_path / "centre.yaml") in str(error)


@pytest.mark.parametrize(
    ("old", "new", "path", "value", "meant"),
    [
        ("horizon:\n", "surge: []\nhorizon:\n", "surge", [], "surges"),
        (
            "  interval_minutes: 15\n",
            "  interval_minute: 15\n",
            "horizon.interval_minute",
            15,
            "interval_minutes",
        ),
        (
            "    headcount: 5\n",
            "    headcount: 5\n    headcont: 6\n",
            "pools[2].headcont",
            6,
            "headcount",
        ),
        (
            "        length_minutes: 30\n",
            "        length_minutes: 30\n        payed: true\n",
            "shift_templates[0].breaks[0].payed",
            True,
            "paid",
        ),
    ],
)
def test_unknown_keys_anywhere_are_one_issue_with_a_suggestion(
    tmp_path, old, new, path, value, meant
):
    error = rejected(write(tmp_path, VALID.replace(old, new)))
    assert_one_issue(error, path, value, "unknown field", f"(did you mean {meant!r}?)")


def test_a_number_in_quotes_is_text_not_a_number(tmp_path):
    text = VALID.replace("    aht_seconds: 420\n", '    aht_seconds: "420"\n')
    assert_one_issue(rejected(write(tmp_path, text)), "queues[1].aht_seconds", "420", "number")


def test_a_whole_number_field_rejects_decimals_text_and_booleans(tmp_path):
    for value, shown in (("21.5", 21.5), ('"21"', "21"), ("true", True)):
        text = VALID.replace("    headcount: 5\n", f"    headcount: {value}\n")
        error = rejected(write(tmp_path, text))
        assert_one_issue(error, "pools[2].headcount", shown, "whole number")


def test_an_unquoted_clock_time_is_the_clock_time_not_a_base_60_number(tmp_path):
    text = VALID.replace('window_start: "09:00"', "window_start: 10:00")
    scenario = load_scenario(write(tmp_path, text))
    assert scenario.horizon.window_start == 10 * 60  # plain YAML 1.1 would give 600 for 10:00...
    assert scenario.grid.interval_labels[0] == "10:00"  # ...and this checks it is the time
    assert scenario.grid.intervals_per_day == 44


def test_an_unquoted_clock_time_where_a_number_is_wanted_is_text(tmp_path):
    text = VALID.replace("    aht_seconds: 300\n", "    aht_seconds: 5:00\n")
    error = rejected(write(tmp_path, text))
    assert_one_issue(error, "queues[0].aht_seconds", "5:00", "must be a number")


def test_a_clock_time_written_as_a_number_is_rejected(tmp_path):
    text = VALID.replace('window_start: "09:00"', "window_start: 900")
    error = rejected(write(tmp_path, text))
    assert_one_issue(error, "horizon.window_start", 900, '"HH:MM"')


def test_a_leading_zero_is_not_octal(tmp_path):
    text = VALID.replace("  days: 3\n", "  days: 010\n")
    assert_one_issue(rejected(write(tmp_path, text)), "horizon.days", "010", "whole number")


def test_duplicate_yaml_keys_are_an_error_with_the_line(tmp_path):
    text = VALID.replace("    headcount: 5\n", "    headcount: 5\n    headcount: 50\n")
    error = rejected(write(tmp_path, text))
    line = text.splitlines().index("    headcount: 50") + 1
    assert len(error.issues) == 1
    assert error.issues[0].path == f"line {line}, column 5"
    assert "duplicate key 'headcount'" in error.issues[0].rule
    assert str(error).startswith(f"{tmp_path / 'centre.yaml'}: line {line}")


def test_invalid_yaml_and_a_non_mapping_are_one_issue_each(tmp_path):
    error = rejected(write(tmp_path, VALID + "pools: [unclosed\n"))
    assert len(error.issues) == 1 and "not valid YAML" in error.issues[0].rule
    error = rejected(write(tmp_path, "- just\n- a list\n"))
    assert_one_issue(error, "(top level)", MISSING, "mapping")


def test_a_window_not_divisible_by_the_interval(tmp_path):
    text = VALID.replace('window_end: "21:00"', 'window_end: "20:45"')
    text = text.replace("interval_minutes: 15", "interval_minutes: 30")
    error = rejected(write(tmp_path, text))
    assert_one_issue(error, "horizon.interval_minutes", 30, "must divide", "09:00-20:45 (705 min)")


def test_an_interval_length_other_than_5_15_30_60(tmp_path):
    text = VALID.replace("interval_minutes: 15", "interval_minutes: 20")
    error = rejected(write(tmp_path, text))
    assert_one_issue(error, "horizon.interval_minutes", 20, "5, 15, 30 or 60")


def test_a_shift_longer_than_the_window(tmp_path):
    text = VALID.replace('window_end: "21:00"', 'window_end: "16:00"')
    error = rejected(write(tmp_path, text))
    assert_one_issue(
        error,
        "shift_templates[0].length_minutes",
        480,
        "does not fit the window 09:00-16:00 (420 min)",
    )


def test_a_shift_starting_too_late_to_end_in_the_window(tmp_path):
    text = VALID.replace(
        "    length_minutes: 480\n", '    length_minutes: 480\n    earliest_start: "14:00"\n'
    )
    error = rejected(write(tmp_path, text))
    assert_one_issue(
        error, "shift_templates[0].earliest_start", "14:00", "ends after the window 09:00-21:00"
    )
    text = VALID.replace(
        "    length_minutes: 480\n", '    length_minutes: 480\n    latest_start: "13:30"\n'
    )
    error = rejected(write(tmp_path, text))
    assert_one_issue(
        error, "shift_templates[0].latest_start", "13:30", "starting at 13:30 ends after"
    )


def test_shift_and_break_lengths_must_fit_the_interval_grid(tmp_path):
    text = VALID.replace("    length_minutes: 480\n", "    length_minutes: 470\n")
    error = rejected(write(tmp_path, text))
    assert_one_issue(error, "shift_templates[0].length_minutes", 470, "multiple of 15 min")
    text = VALID.replace("        length_minutes: 30\n", "        length_minutes: 20\n")
    error = rejected(write(tmp_path, text))
    assert_one_issue(error, "shift_templates[0].breaks[0].length_minutes", 20, "multiple of 15")


def test_a_break_that_does_not_fit_inside_its_shift(tmp_path):
    text = VALID.replace("latest_start_after_minutes: 300", "latest_start_after_minutes: 450")
    error = rejected(write(tmp_path, text))
    assert_one_issue(
        error, "shift_templates[0].breaks[0]", "180-450", "inside the 480-minute shift"
    )


def test_a_shift_longer_than_the_labour_maximum(tmp_path):
    data = valid_data()
    data["labour"] = {"max_shift_hours": 6}
    error = rejected(write(tmp_path, data))
    assert_one_issue(
        error, "shift_templates[0].length_minutes", 480, "labour.max_shift_hours (6 h)"
    )


def test_an_abandonment_cap_needs_a_patience(tmp_path):
    data = valid_data()
    data["queues"][0].pop("patience_seconds", None)
    data["queues"][0]["max_abandon_rate"] = 0.05
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "queues[0].max_abandon_rate", 0.05, "needs patience_seconds")
    data["queues"][0]["patience_seconds"] = 240
    assert load_scenario(write(tmp_path, data)).queues[0].max_abandon_rate == 0.05


def test_a_surge_naming_an_unknown_queue(tmp_path):
    text = VALID.replace("    queue: emergency\n", "    queue: emergncy\n")
    error = rejected(write(tmp_path, text))
    assert_one_issue(
        error, "surges[0].queue", "emergncy", "names no queue (did you mean 'emergency'?)"
    )
    assert "known: consulting, emergency" in error.issues[0].rule


def test_a_surge_adding_calls_needs_a_profile_when_its_queue_has_none(tmp_path):
    text = VALID.replace("    profile: flat\n", "")
    error = rejected(write(tmp_path, text))
    assert_one_issue(error, "surges[0].profile", MISSING, "is required when adding calls")


@pytest.mark.parametrize(
    ("demand", "path", "value"),
    [
        ({"calls_per_day": -1}, "queues[0].demand.calls_per_day", -1),
        (
            {"calls_per_weekday": {"mon": 100, "tue": -5}},
            "queues[0].demand.calls_per_weekday.tue",
            -5,
        ),
        ({"calls_by_day": [100, -0.5, 100]}, "queues[0].demand.calls_by_day[1]", -0.5),
    ],
)
def test_negative_daily_volumes(tmp_path, demand, path, value):
    data = valid_data()
    data["queues"][0]["demand"] = demand
    assert_one_issue(rejected(write(tmp_path, data)), path, value, ">= 0")


def test_negative_surge_calls_and_multiplier(tmp_path):
    data = valid_data()
    data["surges"][0]["added_calls_per_day"] = -1000
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "surges[0].added_calls_per_day", -1000, ">= 0")
    data = valid_data()
    data["surges"][0]["peak_multiplier"] = -2
    assert_one_issue(rejected(write(tmp_path, data)), "surges[0].peak_multiplier", -2, ">= 0")


def test_a_queue_needs_exactly_one_source_of_calls(tmp_path):
    data = valid_data()
    data["queues"][0]["demand"] = {"calls_per_day": 10, "calls_by_day": [1, 2, 3]}
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "queues[0].demand", MISSING, "exactly one of", "calls_by_day)")
    data["queues"][0]["demand"] = {"profile": "flat"}
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "queues[0].demand", MISSING, "found none")


def test_calls_by_day_needs_one_value_per_day(tmp_path):
    data = valid_data()
    data["queues"][0]["demand"] = {"calls_by_day": [1, 2]}
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "queues[0].demand.calls_by_day", "2 values", "per horizon day (3)")


def test_an_unknown_or_misshapen_profile(tmp_path):
    data = valid_data()
    data["queues"][0]["demand"]["profile"] = "bank"
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "queues[0].demand.profile", "bank", "unknown profile", "bank_weekday")
    data["queues"][0]["demand"]["profile"] = [1, 2, 3]
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "queues[0].demand.profile", "3 shares", "exactly 48 shares")


def test_a_pool_with_no_allowed_shifts(tmp_path):
    data = valid_data()
    data["pools"][2]["shift_templates"] = []
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "pools[2].shift_templates", [], "at least 1")
    del data["pools"][2]["shift_templates"]
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "pools[2].shift_templates", MISSING, "required")
    data["pools"][2]["shift_templates"] = ["day_8hr"]
    error = rejected(write(tmp_path, data))
    assert_one_issue(
        error, "pools[2].shift_templates[0]", "day_8hr", "names no shift template", "'day_8h'"
    )


def test_a_pool_skill_naming_no_queue_or_listed_twice(tmp_path):
    data = valid_data()
    data["pools"][2]["skills"] = ["consulting", "emergncy"]
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "pools[2].skills[1]", "emergncy", "names no queue")
    data["pools"][2]["skills"] = ["consulting", "consulting"]
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "pools[2].skills", ["consulting", "consulting"], "twice")


def test_a_negative_headcount_and_one_made_negative_by_changes(tmp_path):
    data = valid_data()
    data["pools"][2]["headcount"] = -1
    assert_one_issue(rejected(write(tmp_path, data)), "pools[2].headcount", -1, ">= 0")
    data = valid_data()
    data["headcount_changes"] = [{"pool": "borrowed", "change": -6, "from_date": "2022-01-11"}]
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "pools[2].headcount", 5, "-1 operators on 2022-01-11", "below 0")


def test_a_headcount_change_naming_an_unknown_pool(tmp_path):
    data = valid_data()
    data["headcount_changes"] = [{"pool": "borowed", "change": 2}]
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "headcount_changes[0].pool", "borowed", "did you mean 'borrowed'?")


def test_an_operating_mode_naming_an_unknown_queue_or_no_days(tmp_path):
    data = valid_data()
    data["operating_modes"] = [{"name": "w", "weekdays": ["sat"], "closed_queues": ["consultng"]}]
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "operating_modes[0].closed_queues[0]", "consultng", "names no queue")
    data["operating_modes"] = [{"name": "w", "closed_queues": ["consulting"]}]
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "operating_modes[0]", MISSING, "weekdays or dates")
    data["operating_modes"] = [
        {"name": "w", "weekdays": ["sunday"], "closed_queues": ["consulting"]}
    ]
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "operating_modes[0].weekdays[0]", "sunday", "'sun'")


def test_duplicate_names(tmp_path):
    data = valid_data()
    data["pools"][2]["name"] = "emergency_team"
    error = rejected(write(tmp_path, data))
    assert_one_issue(error, "pools[2].name", "emergency_team", "used twice")


def test_a_schema_version_other_than_1(tmp_path):
    data = valid_data()
    data["schema_version"] = 2
    assert_one_issue(rejected(write(tmp_path, data)), "schema_version", 2, "1")


def test_a_percentage_where_a_share_is_wanted(tmp_path):
    data = valid_data()
    data["queues"][0]["service_level"] = 80
    assert_one_issue(rejected(write(tmp_path, data)), "queues[0].service_level", 80, "< 1")


def test_several_type_errors_in_one_file_are_reported_at_once(tmp_path):
    data = valid_data()
    data["queues"][0]["aht_seconds"] = "5 min"
    data["pools"][1]["headcount"] = -2
    data["horizon"]["days"] = 0
    data["solver"] = {"workers": 0}
    data["colour"] = "blue"
    error = rejected(write(tmp_path, data))
    assert [i.path for i in error.issues] == [
        "horizon.days",
        "queues[0].aht_seconds",
        "pools[1].headcount",
        "solver.workers",
        "colour",
    ]
    lines = str(error).splitlines()
    assert lines[0] == f"{tmp_path / 'centre.yaml'}: 5 problems"
    assert all(line.startswith(f"{tmp_path / 'centre.yaml'}: ") for line in lines)


def test_several_cross_field_errors_are_reported_at_once(tmp_path):
    data = valid_data()
    data["horizon"]["window_end"] = "20:50"
    data["surges"][0]["queue"] = "emergncy"
    data["pools"][0]["shift_templates"] = ["day_8h", "long_12h"]
    data["headcount_changes"] = [{"pool": "nobody", "change": 1}]
    error = rejected(write(tmp_path, data))
    assert [i.path for i in error.issues] == [
        "horizon.interval_minutes",
        "surges[0].queue",
        "pools[0].shift_templates[1]",
        "headcount_changes[0].pool",
    ]
    assert str(error).count("\n") == 4


def test_an_unreadable_file_names_the_file(tmp_path):
    error = rejected(tmp_path / "absent.yaml")
    assert_one_issue(error, "(file)", MISSING, "cannot be read")
    assert str(tmp_path / "absent.yaml") in str(error)
    binary = tmp_path / "latin1.yaml"
    binary.write_bytes("name: Kökshetau\n".encode("latin-1"))
    assert_one_issue(rejected(binary), "(file)", MISSING, "not UTF-8")


# --------------------------------------------------------------------------------------------------
# Forecast files
# --------------------------------------------------------------------------------------------------


def forecast_frame(days: int = 3) -> pd.DataFrame:
    rows = []
    for d in range(days):
        day = (date(2022, 1, 10) + timedelta(days=d)).isoformat()
        for i in range(48):
            label = f"{9 + i // 4:02d}:{15 * (i % 4):02d}"
            rows.append((day, label, "consulting", 20.0 + i, 300))
    return pd.DataFrame(rows, columns=["day", "interval_start", "queue", "calls", "aht_seconds"])


def forecast_scenario(tmp_path: Path, table: pd.DataFrame | str) -> Path:
    data = valid_data()
    data["queues"][0]["demand"] = {"forecast_csv": "forecast.csv"}
    text = table if isinstance(table, str) else table.to_csv(index=False)
    (tmp_path / "forecast.csv").write_text(text, encoding="utf-8")
    return write(tmp_path, data)


FORECAST_PATH = "queues[0].demand.forecast_csv (forecast.csv)"


def test_a_complete_forecast_file_loads(tmp_path):
    scenario = load_scenario(forecast_scenario(tmp_path, forecast_frame()))
    assert len(scenario.forecast("forecast.csv")) == 3 * 48


def test_a_forecast_with_a_missing_interval(tmp_path):
    table = forecast_frame().drop(index=48 + 5)  # Tuesday 10:15
    error = rejected(forecast_scenario(tmp_path, table))
    assert_one_issue(
        error, f"{FORECAST_PATH} queue consulting, 2022-01-11 10:15", MISSING, "is missing"
    )


def test_a_forecast_missing_many_intervals_lists_five_and_counts_the_rest(tmp_path):
    table = forecast_frame().iloc[: 3 * 48 - 12]  # Wednesday from 18:00 on
    error = rejected(forecast_scenario(tmp_path, table))
    assert len(error.issues) == 6
    assert error.issues[0].path.endswith("2022-01-12 18:00")
    assert error.issues[-1].value == "12 intervals"


def test_a_forecast_with_a_duplicated_interval(tmp_path):
    table = forecast_frame()
    table = pd.concat([table, table.iloc[[100]]])
    error = rejected(forecast_scenario(tmp_path, table))
    where = f"{table.iloc[100]['day']} {table.iloc[100]['interval_start']}"
    assert_one_issue(
        error, f"{FORECAST_PATH} queue consulting, {where}", MISSING, "appears more than once"
    )


@pytest.mark.parametrize(
    ("column", "bad", "shown", "rule"),
    [
        ("calls", -3.0, -3.0, "must be a number >= 0"),
        ("calls", "many", "many", "must be a number >= 0"),
        ("aht_seconds", 0, 0, "must be a number > 0"),
        ("interval_start", "9:15", "9:15", "is not an interval start"),
        ("interval_start", "09:10", "09:10", "is not an interval start"),
        ("day", "2022-01-20", "2022-01-20", "outside the horizon"),
        ("day", "11.01.2022", "11.01.2022", "YYYY-MM-DD"),
        ("queue", "consultng", "consultng", "names no queue"),
    ],
)
def test_a_bad_value_in_a_forecast_names_its_row(tmp_path, column, bad, shown, rule):
    table = forecast_frame().astype({column: object})
    table.loc[6, column] = bad
    error = rejected(forecast_scenario(tmp_path, table))
    assert_one_issue(error, f"{FORECAST_PATH} row 8, {column}", shown, rule)


def test_forecast_columns_must_be_exactly_the_known_ones(tmp_path):
    table = forecast_frame().rename(columns={"calls": "volume"})
    error = rejected(forecast_scenario(tmp_path, table))
    assert [i.rule.split(" ")[0] for i in error.issues] == ["missing", "unknown"]
    assert "['calls']" in error.issues[0].rule and error.issues[1].value == ["volume"]


def test_a_missing_forecast_file(tmp_path):
    path = forecast_scenario(tmp_path, forecast_frame())
    (tmp_path / "forecast.csv").unlink()
    error = rejected(path)
    assert_one_issue(error, "queues[0].demand.forecast_csv", "forecast.csv", "cannot be read")


def test_forecast_content_can_be_supplied_by_name_for_uploads():
    data = valid_data()
    data["queues"][0]["demand"] = {"forecast_csv": "upload.csv"}
    files = {"upload.csv": forecast_frame().to_csv(index=False)}
    scenario = parse_scenario(data, source="upload", forecast_files=files)
    assert scenario.forecast("upload.csv")["calls"].sum() == pytest.approx(3 * sum(range(20, 68)))
    with pytest.raises(ScenarioError, match=r"^upload: queues\[0\]\.demand\.forecast_csv"):
        parse_scenario(data, source="upload", base_dir="/nonexistent")


# --------------------------------------------------------------------------------------------------
# Writing scenarios
# --------------------------------------------------------------------------------------------------

KITCHEN_SINK = """\
schema_version: 1
name: Every field
description: all optional fields set away from their defaults
horizon: {start_date: 2022-01-10, days: 3, window_start: 08:00, window_end: "20:00",
          interval_minutes: 30}
queues:
  - name: a
    aht_seconds: 250.5
    patience_seconds: 200
    service_level: 0.9
    answer_within_seconds: 15
    max_abandon_rate: 0.05
    max_asa_seconds: 30
    max_occupancy: 0.9
    shrinkage: 0.2
    staffing_lag_seconds: 300
    self_service_share: 0.1
    min_agents: 1
    priority: 3
    value_per_call_in_time: 40
    cost_per_abandon: 10
    confidence: 0.95
    demand:
      calls_by_day: [100, 200, 300]
      profile: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
  - name: b
    aht_seconds: 400
    demand: {calls_per_weekday: {mon: 10, wed: 5}, profile: public_service}
surges:
  - {name: s1, queue: a, start_date: 2022-01-11, start_time: "12:30", ramp_up_days: 0.5,
     plateau_days: 0.25, half_life_days: 1, duration_days: 2, peak_multiplier: 3,
     added_calls_per_day: 50, profile: flat}
operating_modes:
  - {name: m, weekdays: [sun], dates: [2022-01-12], closed_queues: [b]}
headcount_changes:
  - {pool: p, change: 2, from_date: 2022-01-11, to_date: 2022-01-11, reason: loan}
shift_templates:
  - name: t
    length_minutes: 480
    earliest_start: "09:00"
    latest_start: "11:00"
    start_step_minutes: 60
    part_time: true
    breaks: [{name: lunch, length_minutes: 30, paid: true, earliest_start_after_minutes: 180,
              latest_start_after_minutes: 240}]
pools:
  - {name: p, skills: [a, b], headcount: 5, cost_per_hour: 2, shift_templates: [t],
     max_hours_per_week: 36, borrowed: true, max_part_time_share: 0.2}
service: {mode: daily, daily_interval_floor: 0.6, confidence: 0.9}
routing: {policy: longest_waiting, block_minutes: 120}
weights: {shortfall_per_agent_hour: 100, overstaffing_per_agent_hour: 0,
          daily_service_shortfall_per_call: 5}
solver: {time_limit_seconds: 5, relative_gap: 0.05, seed: 3, workers: 4, reproducible: true}
labour: {max_shift_hours: 10, max_hours_per_week: 36, min_rest_hours: 12, min_days_off_per_week: 1,
         max_consecutive_days: 5, no_consecutive_long_shifts: false, long_shift_hours: 10,
         max_overtime_hours_per_day: 1, max_overtime_hours_per_month: 10,
         max_overtime_hours_per_year: 100}
operators_file: operators.csv
"""

KITCHEN_OPERATORS = {"operators.csv": "id,pool\nanna,p\n"}


def kitchen_sink() -> Scenario:
    data = read_yaml(KITCHEN_SINK, "kitchen sink")
    return parse_scenario(data, source="kitchen sink", operator_files=KITCHEN_OPERATORS)


def test_the_kitchen_sink_sets_every_field_away_from_its_default():
    # So that the round trip below exercises every field's writing and reading.
    scenario = kitchen_sink()

    def unset(model, path):
        for name, field in type(model).model_fields.items():
            value = getattr(model, name)
            if not field.is_required() and value == field.get_default(call_default_factory=True):
                yield f"{path}.{name}"
            items = value if isinstance(value, list) else [value]
            for k, item in enumerate(items):
                if hasattr(type(item), "model_fields"):
                    yield from unset(item, f"{path}.{name}[{k}]")

    # Each queue-demand field is one of four alternatives; queue b leaves the optional ones.
    # Sites and a queue's distribution belong to national scenarios, whose round trip is
    # tests/test_national.py's (test_the_compiled_scenario_compiles_to_itself_and_round_trips).
    national = (".sites", ".queues[0].distribution")
    left = [
        p
        for p in unset(scenario, "")
        if not p.startswith((".queues[1]", ".queues[0].demand", *national))
    ]
    assert left == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_dump_and_load_back_gives_an_equal_scenario(path):
    scenario = load_scenario(path)
    text = dump_scenario_yaml(scenario)
    again = parse_scenario(read_yaml(text, "dumped"), source="dumped", base_dir=path.parent)
    assert again == scenario
    assert again.model_dump() == scenario.model_dump()


def test_dump_and_load_back_keeps_every_field():
    scenario = kitchen_sink()
    again = parse_scenario(
        read_yaml(dump_scenario_yaml(scenario), "dumped"), operator_files=KITCHEN_OPERATORS
    )
    assert again == scenario
    assert again.horizon.window_start == 8 * 60
    assert again.surges[0].start_time == 12 * 60 + 30


def test_save_scenario_round_trip_and_refusal_to_overwrite(tmp_path):
    path = tmp_path / "plans" / "forecast_copy.yaml"
    shutil.copytree(SCENARIOS / "data", tmp_path / "plans" / "data")
    scenario = load_scenario(SCENARIOS / "forecast_week.yaml")
    save_scenario(scenario, path)
    assert load_scenario(path) == scenario

    other = load_scenario(SCENARIOS / "baseline.yaml")
    before = path.read_bytes()
    with pytest.raises(FileExistsError, match="exists"):
        save_scenario(other, path)
    assert path.read_bytes() == before
    save_scenario(other, path, overwrite=True)
    assert load_scenario(path) == other
    assert sorted(p.name for p in path.parent.iterdir()) == ["data", "forecast_copy.yaml"]


def test_scenarios_are_equal_by_content_not_by_source():
    a = load_scenario(SCENARIOS / "emergency.yaml")
    b = a.with_source("elsewhere.yaml")
    assert a == b and b.source == "elsewhere.yaml"
    data = copy.deepcopy(a.model_dump(mode="json"))
    data["pools"][2]["headcount"] = 20
    assert parse_scenario(data) != a
    assert a != load_scenario(SCENARIOS / "emergency_no_borrowed.yaml")
    forecast = load_scenario(SCENARIOS / "forecast_week.yaml")
    assert forecast == forecast.with_source("copy")  # forecast tables compared, no error
