"""Comparisons, sweeps, capacity searches and field-path overrides (planner.study,
planner.overrides).

The solves use a tiny scenario built here (one day, 09:00-13:00, two lines, three pools), which
CP-SAT solves to optimality in about 0.1 s, so that results are reproducible and the suite quick.
With it: consulting team 4, emergency team 3; the target is met from 4 borrowed staff on, and
with 6 borrowed up to a consulting wave of about 1.4x.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from planner.cli import main
from planner.errors import ScenarioError
from planner.io.scenario_file import load_scenario, parse_scenario
from planner.overrides import Override, apply_overrides, parse_assignment, split_values
from planner.shiftplan import plan_shifts
from planner.study import (
    TIMING_COLUMNS,
    InProcess,
    LocalProcesses,
    WorkerDied,
    capacity_search,
    compare_scenarios,
    grid_points,
    iter_sweep,
    kpi_row,
    largest_absorbable_surge,
    meets_target,
    queue_meets_target,
    smallest_headcount_meeting_target,
    sweep,
)

REPO = Path(__file__).resolve().parents[1]

TINY = {
    "schema_version": 1,
    "name": "Tiny",
    "horizon": {
        "start_date": "2022-01-10",
        "days": 1,
        "window_start": "09:00",
        "window_end": "13:00",
    },
    "queues": [
        {
            "name": "consulting",
            "aht_seconds": 300,
            "patience_seconds": 240,
            "demand": {"calls_per_day": 200, "profile": "flat"},
        },
        {
            "name": "emergency",
            "aht_seconds": 420,
            "patience_seconds": 300,
            "demand": {"calls_per_day": 100, "profile": "flat"},
        },
    ],
    "surges": [
        {"name": "wave", "queue": "consulting", "start_date": "2022-01-10", "peak_multiplier": 1.0}
    ],
    "shift_templates": [
        {"name": "half_4h", "length_minutes": 240},
        {"name": "short_2h", "length_minutes": 120},
    ],
    "pools": [
        {
            "name": "consulting_team",
            "skills": ["consulting"],
            "headcount": 4,
            "shift_templates": ["half_4h", "short_2h"],
        },
        {
            "name": "emergency_team",
            "skills": ["emergency"],
            "headcount": 3,
            "shift_templates": ["half_4h", "short_2h"],
        },
        {
            "name": "borrowed",
            "skills": ["consulting", "emergency"],
            "headcount": 0,
            "cost_per_hour": 1.5,
            "borrowed": True,
            "shift_templates": ["half_4h"],
        },
    ],
    "solver": {"time_limit_seconds": 5},
}


def tiny(**changes) -> dict:
    data = copy.deepcopy(TINY)
    for path, value in changes.items():
        section, _, key = path.partition("__")
        data[section][key] = value
    return data


@pytest.fixture(scope="module")
def base():
    return parse_scenario(TINY, source="tiny")


def without_timing(table: pd.DataFrame) -> pd.DataFrame:
    return table.drop(columns=[c for c in TIMING_COLUMNS if c in table.columns])


def sequential_row(scenario, overrides) -> dict:
    """The point solved directly, without the sweep machinery: the reference for sweeps."""
    point = apply_overrides(scenario, overrides)
    return kpi_row(point, plan_shifts(point, workers=1))


# --------------------------------------------------------------------------------------------------
# Overrides: validated exactly like a file
# --------------------------------------------------------------------------------------------------


def test_override_by_name_equals_override_by_position_and_leaves_the_base_alone(base):
    by_name = apply_overrides(base, {"pools[borrowed].headcount": 7})
    by_index = apply_overrides(base, [Override("pools[2].headcount", 7)])
    assert by_name == by_index
    assert by_name.pool("borrowed").headcount == 7
    assert base.pool("borrowed").headcount == 0
    assert by_name.source == "tiny"
    assert apply_overrides(base, {}) is base


def test_overrides_apply_in_order_and_may_start_an_unset_section(base):
    changed = apply_overrides(
        base,
        [
            Override("queues[emergency].demand", None),
            Override("queues[emergency].demand.calls_per_day", 50),
            Override("surges[wave].peak_multiplier", 2),
        ],
    )
    assert changed.queue("emergency").demand.calls_per_day == 50
    assert changed.surges[0].peak_multiplier == 2


def _file_issues(tmp_path: Path, data: dict) -> list[tuple]:
    path = tmp_path / "same.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return [(i.path, i.value, i.rule) for i in caught.value.issues]


@pytest.mark.parametrize(
    ("override", "edit"),
    [
        (("pools[borrowed].headcont", 4), lambda d: d["pools"][2].update(headcont=4)),
        (("pools[borrowed].headcount", "abc"), lambda d: d["pools"][2].update(headcount="abc")),
        (("pools[borrowed].headcount", 21.5), lambda d: d["pools"][2].update(headcount=21.5)),
        (("pools[borrowed].headcount", -5), lambda d: d["pools"][2].update(headcount=-5)),
        (
            ("queues[emergency].aht_seconds", "420"),
            lambda d: d["queues"][1].update(aht_seconds="420"),
        ),
        (("surges[0].queue", "consultng"), lambda d: d["surges"][0].update(queue="consultng")),
        (("horizon.window_end", "12:50"), lambda d: d["horizon"].update(window_end="12:50")),
    ],
    ids=[
        "unknown field",
        "text for a number",
        "decimal headcount",
        "negative",
        "quoted",
        "bad name",
        "window",
    ],
)
def test_an_override_is_reported_exactly_like_the_same_value_in_a_file(
    tmp_path, base, override, edit
):
    data = base.model_dump(mode="json")
    edit(data)
    expected = _file_issues(tmp_path, data)
    with pytest.raises(ScenarioError) as caught:
        apply_overrides(base, dict([override]))
    assert [(i.path, i.value, i.rule) for i in caught.value.issues] == expected
    path, value = override
    assert caught.value.source == f"tiny with {path}={value}"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("pools[borowed].headcount", "names no pool (did you mean 'borrowed'?); known: borrowed"),
        ("pools[3].headcount", "has no item 3: it has 3 (positions 0 to 2)"),
        ("queus[emergency].aht_seconds", "unknown field (did you mean 'queues'?)"),
        ("surges[0].peak_multiplier.x", "has no field 'x'"),
        ("horizon[0].days", "is not a list of items"),
        ("pools[borrowed]headcount", "is not a field path"),
        ("pools..headcount", "is not a field path"),
    ],
)
def test_a_path_that_selects_nothing_is_a_clear_error(base, path, words):
    with pytest.raises(ScenarioError) as caught:
        apply_overrides(base, {path: 1})
    assert words in str(caught.value)


def test_a_forecast_scenario_keeps_its_tables_and_revalidates_them():
    forecast = load_scenario(REPO / "scenarios" / "forecast_week.yaml")
    same = apply_overrides(forecast, {"solver.seed": forecast.solver.seed})
    assert same == forecast  # fields and forecast tables equal (tables round-trip exactly)
    changed = apply_overrides(forecast, {"queues[consulting].shrinkage": 0.2})
    assert changed.source == forecast.source
    name = "data/forecast_week.csv"
    pd.testing.assert_frame_equal(changed.forecast(name), forecast.forecast(name))
    with pytest.raises(ScenarioError, match="2022-01-17 09:00: is missing"):
        apply_overrides(forecast, {"horizon.days": 8})  # the table no longer covers the horizon


def test_command_line_values_are_typed_like_yaml_and_split_outside_brackets():
    assert parse_assignment("pools[borrowed].headcount=0,21,40") == (
        "pools[borrowed].headcount",
        [0, 21, 40],
    )
    assert parse_assignment('x=2.5,true,12:00,"300"') == ("x", [2.5, True, "12:00", "300"])
    assert parse_assignment("operating_modes[0].weekdays=[sat,sun],[sun]")[1] == [
        ["sat", "sun"],
        ["sun"],
    ]
    assert split_values('"a,b",c') == ['"a,b"', "c"]
    for bad in ("headcount", "=1", "x=1,,2", "x[=1", "x=[1"):
        with pytest.raises(ScenarioError):
            parse_assignment(bad)


def test_grid_points_are_every_combination_last_axis_fastest():
    points = grid_points({"a": [1, 2], "b": ["x", "y", "z"]})
    assert [tuple(o.value for o in p) for p in points] == [
        (1, "x"), (1, "y"), (1, "z"), (2, "x"), (2, "y"), (2, "z"),
    ]  # fmt: skip
    with pytest.raises(ValueError, match="non-empty list"):
        grid_points({"a": []})


# --------------------------------------------------------------------------------------------------
# Meeting the target
# --------------------------------------------------------------------------------------------------


def test_meets_target_is_every_open_day_with_calls_at_or_above_the_queue_target(base):
    scenario = apply_overrides(base, {"pools[borrowed].headcount": 6})
    result = plan_shifts(scenario)
    daily = result.kpis_daily
    assert meets_target(scenario, result)

    def with_level(queue: str, level: float, calls: float | None = None):
        table = daily.copy()
        rows = table["queue"] == queue
        table.loc[rows, "service_level"] = level
        if calls is not None:
            table.loc[rows, "calls"] = calls
        return dataclasses.replace(result, kpis_daily=table)

    assert queue_meets_target(scenario, with_level("emergency", 0.8), "emergency")
    below = with_level("emergency", 0.8 - 1e-6)
    assert not queue_meets_target(scenario, below, "emergency")
    assert queue_meets_target(scenario, below, "consulting")
    assert not meets_target(scenario, below)
    assert meets_target(scenario, below, queues=["consulting"])
    # a day without calls has no service level to miss
    assert queue_meets_target(
        scenario, with_level("emergency", float("nan"), calls=0.0), "emergency"
    )
    no_plan = dataclasses.replace(result, solve=dataclasses.replace(result.solve, status="UNKNOWN"))
    assert not meets_target(scenario, no_plan)


def test_a_solve_cut_by_the_wall_clock_is_flagged(base):
    result = plan_shifts(base)
    assert result.solve.status == "OPTIMAL" and not kpi_row(base, result)["hit_time_limit"]

    def stopped(status: str, seconds: float) -> bool:
        solve = dataclasses.replace(result.solve, status=status, solve_seconds=seconds)
        return kpi_row(base, dataclasses.replace(result, solve=solve))["hit_time_limit"]

    limit = result.solve.time_limit_seconds
    assert stopped("FEASIBLE", limit)
    assert stopped("UNKNOWN", limit + 0.2)
    assert not stopped("FEASIBLE", limit / 2)  # the deterministic limit ended it
    assert not stopped("OPTIMAL", limit)  # the gap was reached: reproducible


# --------------------------------------------------------------------------------------------------
# Sweeps
# --------------------------------------------------------------------------------------------------


def test_a_sweep_on_local_processes_equals_sequential_solves_point_by_point(base):
    grid = {"pools[borrowed].headcount": [0, 2, 4], "surges[0].peak_multiplier": [1.0, 1.6]}
    with LocalProcesses(2) as executor:
        result = sweep(base, grid, executor=executor)
    table = result.table
    assert list(table["point"]) == list(range(6))
    assert list(table["pools[borrowed].headcount"]) == [0, 0, 2, 2, 4, 4]
    assert list(table["surges[0].peak_multiplier"]) == [1.0, 1.6] * 3
    assert (table["solver_workers"] == 1).all()
    assert (table["time_limit_seconds"] == base.solver.time_limit_seconds).all()
    for point, row in zip(grid_points(grid), table.to_dict(orient="records"), strict=True):
        expected = sequential_row(base, point)
        got = {k: row[k] for k in expected if k not in TIMING_COLUMNS}
        assert got == {k: v for k, v in expected.items() if k not in TIMING_COLUMNS}
    # not all points alike: the sweep is not comparing a constant
    assert table["cost"].nunique() > 2 and table["meets_target"].nunique() == 2


def test_in_process_and_local_processes_give_the_same_table(base):
    grid = {"pools[borrowed].headcount": [1, 5]}
    inline = sweep(base, grid, executor=InProcess()).table
    with LocalProcesses(2) as executor:
        local = sweep(base, grid, executor=executor).table
    pd.testing.assert_frame_equal(without_timing(inline), without_timing(local))


def test_an_invalid_point_is_reported_in_its_row_and_the_others_complete(base):
    points = [
        {"pools[borrowed].headcount": 2},
        {"pools[borrowed].headcount": -1},
        {"pools[borowed].headcount": 3},
        {"pools[borrowed].headcount": 5},
    ]
    seen = []
    with LocalProcesses(2) as executor:
        streamed = list(iter_sweep(base, points, executor=executor, progress=seen.append))
    # invalid points come back at once, before any solve has finished
    assert [r.index for r in streamed[:2]] == [1, 2]
    assert [p.done for p in seen] == [1, 2, 3, 4] and seen[-1].failed == 2
    by_index = {r.index: r for r in streamed}
    assert by_index[1].kpis["status"] == "INVALID"
    assert "pools[2].headcount = -1: must be >= 0" in by_index[1].error
    assert "names no pool (did you mean 'borrowed'?)" in by_index[2].error
    for i in (0, 3):
        assert by_index[i].ok and by_index[i].kpis["status"] == "OPTIMAL"
        assert by_index[i].kpis["cost"] == sequential_row(base, points[i])["cost"]


def test_the_solver_time_limit_and_seed_can_be_replaced_for_every_point(base):
    scenario = apply_overrides(base, {"solver.workers": 3})
    result = sweep(
        scenario,
        {"pools[borrowed].headcount": [4]},
        executor=InProcess(),
        time_limit_seconds=2.5,
        seed=7,
    )
    row = result.table.iloc[0]
    assert (row["time_limit_seconds"], row["seed"], row["solver_workers"]) == (2.5, 7, 1)


def _exit_on_two(item: int) -> int:
    if item == 2:
        os._exit(3)  # a crash the worker cannot report: its process dies
    return item * 10


def test_a_worker_process_that_dies_fails_only_its_own_point():
    with LocalProcesses(2) as executor:
        results = dict(executor.run(_exit_on_two, [0, 1, 2, 3, 4, 5]))
    assert isinstance(results.pop(2), WorkerDied)
    assert results == {0: 0, 1: 10, 3: 30, 4: 40, 5: 50}


# --------------------------------------------------------------------------------------------------
# Comparisons
# --------------------------------------------------------------------------------------------------


def test_compare_lays_scenarios_side_by_side_with_differences_to_the_reference(base):
    more = apply_overrides(base, {"pools[borrowed].headcount": 6})
    comparison = compare_scenarios(
        [base, more], labels=["none", "six"], reference="none", executor=InProcess()
    )
    kpis = comparison.kpis.set_index("scenario")
    assert list(kpis.index) == ["none", "six"]
    assert kpis.loc["six", "cost"] > kpis.loc["none", "cost"]
    assert kpis.loc["six", "borrowed_hours"] > 0 == kpis.loc["none", "borrowed_hours"]
    diffs = comparison.differences.set_index("scenario")
    assert (diffs.loc["none"] == 0).all()
    assert diffs.loc["six", "cost"] == kpis.loc["six", "cost"] - kpis.loc["none", "cost"]
    assert diffs.loc["six", "emergency.service_level"] == pytest.approx(
        kpis.loc["six", "emergency.service_level"] - kpis.loc["none", "emergency.service_level"]
    )
    assert "solve_seconds" not in diffs.columns and "status" not in diffs.columns
    coverage = comparison.coverage
    assert set(coverage["scenario"]) == {"none", "six"}
    assert len(coverage) == 2 * 2 * 16  # scenarios x queues x intervals
    assert comparison.reference == "none"


def test_compare_defaults_to_names_numbers_repeats_and_rejects_an_unknown_reference(base):
    comparison = compare_scenarios([base, base], executor=InProcess(), reference=1)
    assert list(comparison.kpis["scenario"]) == ["Tiny", "Tiny (2)"]
    assert comparison.reference == "Tiny (2)"
    with pytest.raises(ValueError, match="names no scenario"):
        compare_scenarios([base], reference="other", executor=InProcess())


# --------------------------------------------------------------------------------------------------
# Capacity questions
# --------------------------------------------------------------------------------------------------


def test_smallest_headcount_meets_the_target_and_one_less_does_not(base):
    answer = smallest_headcount_meeting_target(
        base, "borrowed", low=0, high=12, executor=InProcess()
    )
    assert answer.outcome == "found"
    assert answer.next_value == answer.value - 1
    at = apply_overrides(base, {"pools[borrowed].headcount": answer.value})
    below = apply_overrides(base, {"pools[borrowed].headcount": answer.next_value})
    assert meets_target(at, plan_shifts(at))
    assert not meets_target(below, plan_shifts(below))
    assert answer.value == 4
    assert len(answer.evaluations) < 13  # a search, not a scan


def test_largest_surge_meets_the_target_and_the_next_tenth_does_not(base):
    staffed = apply_overrides(base, {"pools[borrowed].headcount": 6})
    with LocalProcesses(2) as executor:
        answer = largest_absorbable_surge(staffed, "wave", low=1.0, high=3.0, executor=executor)
    assert answer.outcome == "found"
    assert answer.next_value == pytest.approx(answer.value + 0.1)
    at = apply_overrides(staffed, {"surges[0].peak_multiplier": answer.value})
    above = apply_overrides(staffed, {"surges[0].peak_multiplier": answer.next_value})
    assert meets_target(at, plan_shifts(at))
    assert not meets_target(above, plan_shifts(above))
    assert 1.0 < answer.value < 3.0
    assert answer.evaluations["meets"].tolist() == sorted(
        answer.evaluations["meets"].tolist(), reverse=True
    )


class _ThreeAtOnce(InProcess):
    """An executor that claims three workers: the search then speculates two levels ahead."""

    workers = 3


def test_the_capacity_answer_does_not_depend_on_the_number_of_workers(base):
    staffed = apply_overrides(base, {"pools[borrowed].headcount": 6})
    path = "surges[wave].peak_multiplier"
    one = largest_absorbable_surge(staffed, "wave", low=1.0, high=3.0, executor=InProcess())
    three = largest_absorbable_surge(staffed, "wave", low=1.0, high=3.0, executor=_ThreeAtOnce())
    assert (one.value, one.next_value) == (three.value, three.next_value)
    # the same bisection path, plus the speculative midpoints
    assert set(one.evaluations[path]) < set(three.evaluations[path])
    assert len(one.evaluations) <= 2 + 5  # ends + ceil(log2(20 steps)) midpoints


def test_capacity_search_reports_a_range_that_never_or_always_meets(base):
    never = capacity_search(
        base, "pools[borrowed].headcount", low=0, high=2, step=1, want="smallest",
        executor=InProcess(),
    )  # fmt: skip
    assert (never.outcome, never.value) == ("none_meets", None)
    always = capacity_search(
        base, "pools[borrowed].headcount", low=5, high=9, step=2, want="smallest",
        executor=InProcess(),
    )  # fmt: skip
    assert (always.outcome, always.value, always.next_value) == ("all_meet", 5, None)
    assert "widen the range" in always.summary()


def test_capacity_search_rejects_bad_ranges_and_fields_before_solving(base):
    common = {"low": 0, "high": 10, "step": 1, "want": "smallest", "executor": InProcess()}
    with pytest.raises(ValueError, match="whole number of steps"):
        capacity_search(base, "pools[borrowed].headcount", **{**common, "high": 10.5})
    with pytest.raises(ScenarioError, match="must be >= 0"):
        capacity_search(base, "pools[borrowed].headcount", **{**common, "low": -2})
    with pytest.raises(ScenarioError, match="unknown field"):
        capacity_search(base, "pools[borrowed].headcont", **common)
    with pytest.raises(ValueError, match="not in the scenario"):
        capacity_search(base, "pools[borrowed].headcount", **common, queues=["nope"])


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def tiny_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(TINY, sort_keys=False))
    return path


def test_cli_sweep_writes_a_row_per_point_and_reports_an_invalid_value(tmp_path, tiny_file, capsys):
    out = tmp_path / "results.csv"
    code = main(
        ["sweep", str(tiny_file), "--set", "pools[borrowed].headcount=0,-1,4",
         "--workers", "1", "--out", str(out), "--quiet"]
    )  # fmt: skip
    assert code == 1  # done, but one point failed
    table = pd.read_csv(out)
    assert list(table["pools[borrowed].headcount"]) == [0, -1, 4]
    assert list(table["status"]) == ["OPTIMAL", "INVALID", "OPTIMAL"]
    assert "must be >= 0" in table.loc[1, "error"]
    printed = capsys.readouterr().out
    assert "FAILED" in printed and "3 points" in printed


def test_cli_compare_formats(tmp_path, tiny_file, capsys):
    other = tmp_path / "more.yaml"
    other.write_text(
        yaml.safe_dump(tiny(), sort_keys=False).replace("headcount: 0", "headcount: 6")
    )
    files = [str(tiny_file), str(other)]
    assert main(["compare", *files, "--workers", "1", "--quiet", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["reference"] == "tiny"
    assert [row["scenario"] for row in document["scenarios"]] == ["tiny", "more"]
    costs = [row["cost"] for row in document["scenarios"]]
    assert document["differences"][1]["cost"] == costs[1] - costs[0]
    assert main(["compare", *files, "--workers", "1", "--quiet", "--format", "csv",
                 "--reference", "more", "--out", str(tmp_path / "cmp")]) == 0  # fmt: skip
    csv_text = capsys.readouterr().out
    assert csv_text.startswith("scenario,name,status,meets_target")
    differences = pd.read_csv(tmp_path / "cmp" / "differences.csv")
    assert differences.loc[differences["scenario"] == "more", "cost"].item() == 0
    assert set(pd.read_csv(tmp_path / "cmp" / "coverage.csv")["scenario"]) == {"tiny", "more"}
    assert main(["compare", *files, "--workers", "1", "--quiet"]) == 0
    table = capsys.readouterr().out
    assert "more - tiny" in table and "meets target" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sweep", "{tiny}", "--set", "pools[borowed].headcount=1,2", "--out", "r.csv"],
         "names no pool (did you mean 'borrowed'?)"),
        (["sweep", "{tiny}", "--set", "pools[borrowed].headcount", "--out", "r.csv"],
         "must be PATH=V1,V2"),
        (["sweep", "{tiny}", "--set", "pools[borrowed].headcount=1", "--workers", "0",
          "--out", "r.csv"], "--workers = 0"),
        (["sweep", "missing.yaml", "--set", "solver.seed=1", "--out", "r.csv"], "cannot be read"),
        (["compare", "{tiny}", "missing.yaml"], "cannot be read"),
        (["compare", "{tiny}", "--reference", "other"], "is none of the scenarios"),
        (["capacity", "{tiny}", "--smallest", "pools[borrowed].headcount", "--from", "0",
          "--to", "10.5"], "whole number of steps"),
        (["capacity", "{tiny}", "--largest", "surges[0].peak_multiplier", "--from", "a",
          "--to", "2"], "must be a number"),
    ],
)  # fmt: skip
def test_cli_bad_input_exits_2_with_the_reason(tmp_path, tiny_file, capsys, args, message):
    args = [a.replace("{tiny}", str(tiny_file)) for a in args]
    args = [str(tmp_path / a) if a.endswith(".csv") else a for a in args]
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_cli_workers_and_scheduler_are_exclusive(tiny_file):
    with pytest.raises(SystemExit) as caught:
        main(["sweep", str(tiny_file), "--set", "solver.seed=1", "--out", "x.csv",
              "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"])  # fmt: skip
    assert caught.value.code == 2


@pytest.mark.slow
def test_cli_bad_input_prints_no_traceback(tmp_path, tiny_file):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for args in (
        ["sweep", str(tiny_file), "--set", "pools[borrowed].headcount=abc", "--out", "r.csv"],
        ["compare", str(tiny_file), str(tmp_path / "nope.yaml")],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "planner", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.strip()
