"""Hostile and absurd input: every number a user can type has a plausible bound, checked when the
scenario is read; files and models too large to handle are refused before the work starts.

Each refusal names the file, the field path, the value and the bound
(:mod:`planner.domain.limits` holds the bounds; ``scenarios/README.md`` lists them).
"""

from __future__ import annotations

import copy
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from planner.cli import main
from planner.domain import limits
from planner.domain.checks import plan_size, roster_size
from planner.errors import ScenarioError
from planner.io import operators_file
from planner.io.operators_file import load_operators, parse_operators
from planner.io.scenario_file import load_scenario, parse_scenario
from planner.io.yaml_strict import read_yaml

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
EMERGENCY = (SCENARIOS / "emergency.yaml").read_text(encoding="utf-8")
OPERATORS_CSV = SCENARIOS / "data" / "emergency_operators.csv"


def emergency() -> dict:
    return copy.deepcopy(read_yaml(EMERGENCY, "emergency.yaml"))


def set_field(data: dict, path: str, value: object) -> None:
    """Set ``data`` at a field path written as in messages: ``pools[0].headcount``."""
    parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]
    target = data
    for part in parts[:-1]:
        target = target[part]
    target[parts[-1]] = value


def refused(data: dict, **kwargs) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data, source="centre.yaml", **kwargs)
    return caught.value


def assert_issue(error: ScenarioError, path: str, value: object, *rule_parts: str) -> None:
    """One of the issues is at ``path`` with ``value``, and the message names all of it."""
    found = [i for i in error.issues if i.path == path]
    assert found, str(error)
    issue = found[0]
    if isinstance(value, float) and math.isnan(value):
        assert isinstance(issue.value, float) and math.isnan(issue.value), str(error)
    else:
        assert issue.value == value, str(error)
    message = str(error)
    assert f"centre.yaml: {path} = " in message, message
    for part in rule_parts:
        assert part in issue.rule, message


# --------------------------------------------------------------------------------------------------
# Every shipped file still loads
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_scenario_is_within_the_bounds(path):
    scenario = load_scenario(path)
    assert plan_size(scenario) < limits.MAX_PLAN_CELLS / 1000


def test_the_shipped_operators_file_is_within_the_bounds():
    scenario = load_scenario(SCENARIOS / "emergency.yaml")
    operators = load_operators(OPERATORS_CSV, scenario)
    assert len(operators) == 71
    per_pool = {p.name: sum(o.pool == p.name for o in operators) for p in scenario.pools}
    assert roster_size(scenario, per_pool) < limits.MAX_ROSTER_CELLS / 1000


# --------------------------------------------------------------------------------------------------
# Numbers in a scenario: one case per family, each naming the path, the value and the bound
# --------------------------------------------------------------------------------------------------

BOUNDS = [
    # calls
    ("queues[0].demand.calls_per_day", 1e30, "must be <= 10000000"),
    ("queues[0].demand.calls_per_day", -1.0, "must be >= 0"),
    ("surges[1].added_calls_per_day", 2e7, "must be <= 10000000"),
    # handling time, patience, service targets, lag
    ("queues[0].aht_seconds", 0.5, "must be >= 1"),
    ("queues[0].aht_seconds", 86400.0, "must be <= 14400"),
    ("queues[0].patience_seconds", 1e9, "must be <= 14400"),
    ("queues[0].answer_within_seconds", 7200.0, "must be <= 3600"),
    ("queues[0].max_asa_seconds", 1e6, "must be <= 3600"),
    ("queues[0].staffing_lag_seconds", 1e12, "must be <= 3600"),
    # headcounts
    ("pools[0].headcount", 2**63, "must be <= 100000"),
    ("queues[0].min_agents", 10**6, "must be <= 100000"),
    ("headcount_changes[0].change", 2**62, "must be <= 100000"),
    ("headcount_changes[0].change", -(2**62), "must be >= -100000"),
    # money
    ("pools[2].cost_per_hour", 1e300, "must be <= 1000000000"),
    ("weights.shortfall_per_agent_hour", 1e10, "must be <= 1000000000"),
    ("weights.overstaffing_per_agent_hour", 1e10, "must be <= 1000000000"),
    # surges
    ("surges[0].peak_multiplier", 1e300, "must be <= 100"),
    ("surges[0].half_life_days", 1e6, "must be <= 366"),
    ("surges[0].duration_days", 400.0, "must be <= 366"),
    ("surges[0].ramp_up_days", 1000.0, "must be <= 366"),
    # solver
    ("solver.seed", 2**40, "must be <= 2147483647"),
    ("solver.workers", 1000, "must be <= 64"),
    ("solver.time_limit_seconds", 1e9, "must be <= 86400"),
    ("solver.time_limit_seconds", 0.0, "must be > 0"),
    ("solver.relative_gap", 1.5, "must be < 1"),
    # labour and shifts
    ("labour.max_consecutive_days", 10**9, "must be <= 7"),
    ("labour.max_shift_hours", 1e9, "must be <= 24"),
    ("labour.max_hours_per_week", 1000.0, "must be <= 168"),
    ("labour.min_rest_hours", 1e6, "must be <= 48"),
    ("pools[0].max_hours_per_week", 1e6, "must be <= 168"),
    ("shift_templates[0].length_minutes", 10**12, "must be <= 1440"),
    ("shift_templates[0].start_step_minutes", 10**12, "must be <= 1440"),
    ("shift_templates[1].breaks[0].length_minutes", 10**9, "must be <= 1440"),
    ("shift_templates[1].breaks[0].latest_start_after_minutes", 10**9, "must be <= 1440"),
    # horizon
    ("horizon.days", 10**6, "must be <= 366"),
]


@pytest.mark.parametrize(("path", "value", "rule"), BOUNDS, ids=[f"{b[0]}={b[1]}" for b in BOUNDS])
def test_a_number_out_of_bounds_is_refused_naming_path_value_and_bound(path, value, rule):
    data = emergency()
    data.update(weights={}, labour={})
    data["queues"][0]["max_asa_seconds"] = 30.0
    set_field(data, path, value)
    assert_issue(refused(data), path, value, rule)


def test_calls_per_weekday_and_calls_by_day_are_bounded_per_value():
    data = emergency()
    data["queues"][0]["demand"] = {"calls_per_weekday": {"mon": 1400, "tue": 1e30}}
    assert_issue(refused(data), "queues[0].demand.calls_per_weekday.tue", 1e30, "<= 10000000")
    data["queues"][0]["demand"] = {"calls_by_day": [1400, 1400, 1400, 1e30, 1400, 0, 0]}
    assert_issue(refused(data), "queues[0].demand.calls_by_day[3]", 1e30, "<= 10000000")


def test_profile_shares_are_bounded():
    data = emergency()
    data["queues"][0]["demand"]["profile"] = [1.0] * 47 + [1e300]
    assert_issue(refused(data), "queues[0].demand.profile[47]", 1e300, "<= 1000000000")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("queues[0].aht_seconds", math.inf),
        ("queues[0].patience_seconds", math.nan),
        ("pools[0].cost_per_hour", math.inf),
        ("solver.time_limit_seconds", math.inf),
        ("surges[0].peak_multiplier", math.nan),
        ("queues[0].shrinkage", math.nan),
        ("service.daily_interval_floor", math.nan),
    ],
)
def test_nan_and_infinity_are_refused_wherever_a_number_is_read(path, value):
    data = emergency()
    set_field(data, path, value)
    assert_issue(refused(data), path, value, "finite")


@pytest.mark.parametrize(
    ("path", "value", "rule"),
    [
        ("horizon.start_date", "9999-01-01", "must be <= 2100-12-31"),
        ("horizon.start_date", "1900-01-01", "must be >= 2000-01-01"),
        ("surges[0].start_date", "0001-01-01", "must be >= 2000-01-01"),
        ("headcount_changes[0].to_date", "9999-12-31", "must be <= 2100-12-31"),
        ("operating_modes[0].dates", ["9999-12-31"], "must be <= 2100-12-31"),
    ],
)
def test_dates_lie_between_2000_and_2100(path, value, rule):
    data = emergency()
    set_field(data, path, value)
    error = refused(data)
    issue_path = path + "[0]" if isinstance(value, list) else path
    assert any(i.path == issue_path and rule in i.rule for i in error.issues), str(error)
    assert f"centre.yaml: {issue_path} = " in str(error)


def test_a_headcount_change_may_not_take_a_pool_above_the_bound():
    data = emergency()
    data["pools"][1]["headcount"] = 99_999
    data["headcount_changes"][0]["change"] = 5
    assert_issue(
        refused(data),
        "pools[1].headcount",
        99_999,
        "would have 100004 operators on 2022-01-12",
        "must be <= 100000",
    )


# --------------------------------------------------------------------------------------------------
# Model size, estimated when the scenario (or its operators file) is read
# --------------------------------------------------------------------------------------------------


def huge_plan() -> dict:
    data = emergency()
    data["horizon"].update(days=366, window_start="00:00", window_end="24:00")
    data["labour"] = {"max_shift_hours": 24}
    data["queues"][0]["demand"]["profile"] = "flat"
    data["shift_templates"] = [
        {"name": f"t{k}", "length_minutes": 60 * k, "start_step_minutes": 15} for k in range(1, 9)
    ]
    for pool in data["pools"]:
        pool["shift_templates"] = [f"t{k}" for k in range(1, 9)]
    data["headcount_changes"] = []
    return data


def test_a_plan_too_large_to_solve_is_refused_naming_the_settings_to_change():
    started = time.perf_counter()
    error = refused(huge_plan())
    assert time.perf_counter() - started < 5
    assert_issue(error, "horizon.days", 366, "50,000,000", "start_step_minutes", "horizon.days")
    assert len(error.issues) == 1


def test_a_roster_too_large_to_solve_is_refused_when_the_operators_are_read():
    data = emergency()
    data["horizon"]["days"] = 366
    for template in data["shift_templates"]:
        template["start_step_minutes"] = 15
    scenario = parse_scenario(data)
    rows = [f"op{k},consulting_team" for k in range(1200)]
    csv = "id,pool\n" + "\n".join(rows) + "\n"
    operators, issues = parse_operators(csv, "ops.csv", scenario)
    assert operators == ()
    assert [i.path for i in issues] == ["(file)"]
    assert issues[0].value == "1,200 operators"
    assert "at most 20,000,000" in issues[0].rule and "start_step_minutes" in issues[0].rule
    # through the scenario file: the issue names the operators file
    data["operators_file"] = "ops.csv"
    error = refused(data, operator_files={"ops.csv": csv})
    assert error.issues[0].path == "operators_file (ops.csv) (file)"


# --------------------------------------------------------------------------------------------------
# YAML: sizes, aliases, nesting
# --------------------------------------------------------------------------------------------------

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_a_billion_laughs_yaml_is_refused_within_a_second(tmp_path):
    assert len(BILLION_LAUGHS) < 2048
    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert time.perf_counter() - started < 1.0
    assert "aliases (*name) would repeat more than 10,000 values" in str(caught.value)
    assert str(caught.value).startswith(f"{path}: (file)")


def test_too_many_aliases_too_deep_nesting_and_self_reference_are_refused():
    many = "x: &x 1\ny: [" + ", ".join(["*x"] * 101) + "]\n"
    with pytest.raises(ScenarioError, match="aliases \\(\\*name\\) more than 100 times"):
        read_yaml(many, "many.yaml")
    deep = "a: " + "[" * 30 + "]" * 30 + "\n"
    with pytest.raises(ScenarioError, match="nested more than 20 levels deep"):
        read_yaml(deep, "deep.yaml")
    deep_by_alias = "a: &a " + "[" * 15 + "]" * 15 + "\nb: " + "[" * 10 + "*a" + "]" * 10 + "\n"
    with pytest.raises(ScenarioError, match="nested more than 20 levels deep"):
        read_yaml(deep_by_alias, "deep.yaml")
    with pytest.raises(ScenarioError, match="an alias refers to itself"):
        read_yaml("a: &a [*a]\n", "loop.yaml")


def test_a_few_aliases_are_still_read():
    text = "base: &base {length_minutes: 480}\nuse: [*base, *base]\n"
    assert read_yaml(text, "ok.yaml") == {
        "base": {"length_minutes": 480},
        "use": [{"length_minutes": 480}] * 2,
    }


def test_a_scenario_text_over_a_megabyte_is_refused_before_parsing():
    text = "# " + "x" * limits.MAX_SCENARIO_BYTES + "\n"
    with pytest.raises(ScenarioError) as caught:
        read_yaml(text, "big.yaml")
    assert caught.value.issues[0].path == "(file)"
    assert "at most 1,000,000 bytes" in str(caught.value)


# --------------------------------------------------------------------------------------------------
# Forecast files
# --------------------------------------------------------------------------------------------------


def forecast_dir(tmp_path: Path, edit=None) -> Path:
    (tmp_path / "data").mkdir()
    lines = (SCENARIOS / "data" / "forecast_week.csv").read_text(encoding="utf-8").splitlines()
    if edit:
        edit(lines)
    (tmp_path / "data" / "forecast_week.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    scenario = tmp_path / "forecast_week.yaml"
    scenario.write_text((SCENARIOS / "forecast_week.yaml").read_text(encoding="utf-8"))
    return scenario


def test_infinite_aht_and_absurd_calls_in_a_forecast_are_refused(tmp_path):
    def edit(lines):
        lines[1] = lines[1].rsplit(",", 1)[0] + ",inf"
        day, start, queue, _, aht = lines[2].split(",")
        lines[2] = f"{day},{start},{queue},1e30,{aht}"

    with pytest.raises(ScenarioError) as caught:
        load_scenario(forecast_dir(tmp_path, edit))
    where = "queues[0].demand.forecast_csv (data/forecast_week.csv)"
    assert {(i.path, i.value, i.rule) for i in caught.value.issues} == {
        (f"{where} row 2, aht_seconds", math.inf, "must be 1 to 14,400"),
        (f"{where} row 3, calls", 1e30, "must be 0 to 10,000,000"),
    }


def test_a_forecast_day_over_ten_million_calls_is_refused(tmp_path):
    def edit(lines):
        for k in range(1, 49):  # Monday, every interval: 48 x 300,000 = 14.4 million
            day, start, queue, _, aht = lines[k].split(",")
            lines[k] = f"{day},{start},{queue},300000,{aht}"

    with pytest.raises(ScenarioError) as caught:
        load_scenario(forecast_dir(tmp_path, edit))
    (issue,) = caught.value.issues
    assert issue.path.endswith("queue consulting, 2022-01-10")
    assert issue.value == 14_400_000.0
    assert "must be <= 10,000,000" in issue.rule


def test_a_huge_forecast_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    scenario = forecast_dir(tmp_path)
    with open(tmp_path / "data" / "forecast_week.csv", "r+b") as f:
        f.truncate(limits.MAX_FORECAST_BYTES + 1)  # sparse: nothing written, nothing to read

    opened = os.fdopen

    class Guarded:
        """An open file that may not be read when it is over the limit."""

        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def fileno(self):
            return self.f.fileno()

        def read(self, *args):
            if os.fstat(self.f.fileno()).st_size > limits.MAX_FORECAST_BYTES:
                raise AssertionError("the file was read")
            return self.f.read(*args)

    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: Guarded(opened(fd, *a, **k)))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(scenario)
    (issue,) = caught.value.issues
    assert issue.path == "queues[0].demand.forecast_csv"
    assert issue.value == "data/forecast_week.csv"
    assert f"is too large ({limits.MAX_FORECAST_BYTES + 1:,} bytes)" in issue.rule
    assert "at most 20,000,000 bytes" in issue.rule


def test_a_forecast_with_too_many_rows_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FORECAST_ROWS", 100)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(forecast_dir(tmp_path))
    (issue,) = caught.value.issues
    assert issue.path.endswith("(data/forecast_week.csv) (file)")
    assert "has too many rows: at most 100" in issue.rule


# --------------------------------------------------------------------------------------------------
# Operators files
# --------------------------------------------------------------------------------------------------


def test_operator_dates_lie_between_2000_and_2100_and_ranges_are_bounded():
    scenario = load_scenario(SCENARIOS / "emergency.yaml")
    csv = (
        "id,pool,days_unavailable,preferred_days_off\n"
        "a,consulting_team,0001-01-01..9999-12-31,\n"
        "b,consulting_team,2022-01-01..2024-01-01,\n"
        "c,consulting_team,,9999-01-01\n"
    )
    started = time.perf_counter()
    operators, issues = parse_operators(csv, "ops.csv", scenario)
    assert time.perf_counter() - started < 1
    assert operators == ()
    found = {(i.path, i.value): i.rule for i in issues}
    assert found[("row 2, days_unavailable", "0001-01-01..9999-12-31")] == (
        "must lie between 2000-01-01 and 2100-12-31"
    )
    assert (
        "a range spans at most 366 days"
        in found[("row 3, days_unavailable", "2022-01-01..2024-01-01")]
    )
    assert found[("row 4, preferred_days_off", "9999-01-01")] == (
        "must lie between 2000-01-01 and 2100-12-31"
    )


def test_operator_hours_are_bounded_by_the_scenario():
    scenario = load_scenario(SCENARIOS / "emergency.yaml")
    csv = "id,pool,contract_hours_per_week,max_shift_hours\na,consulting_team,1e300,inf\n"
    _, issues = parse_operators(csv, "ops.csv", scenario)
    rules = {i.path: i.rule for i in issues}
    assert "exceeds the max_hours_per_week" in rules["row 2, contract_hours_per_week"]
    assert rules["row 2, max_shift_hours"] == "must be a number > 0"  # inf is not a number here


def test_a_huge_operators_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    scenario = load_scenario(SCENARIOS / "emergency.yaml")
    path = tmp_path / "ops.csv"
    with open(path, "wb") as f:
        f.truncate(limits.MAX_OPERATOR_BYTES + 1)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))
    with pytest.raises(ScenarioError) as caught:
        load_operators(path, scenario)
    (issue,) = caught.value.issues
    assert (issue.path, issue.value) == ("(file)", f"{limits.MAX_OPERATOR_BYTES + 1:,} bytes")
    assert "at most 20,000,000 bytes" in issue.rule
    # content handed over (an upload) is measured before it is parsed
    _, issues = parse_operators(b"x" * (limits.MAX_OPERATOR_BYTES + 1), "ops.csv", scenario)
    assert "is too large" in issues[0].rule


def test_an_operators_file_with_too_many_rows_is_refused(monkeypatch):
    scenario = load_scenario(SCENARIOS / "emergency.yaml")
    monkeypatch.setattr(limits, "MAX_OPERATOR_ROWS", 10)
    csv = "id,pool\n" + "".join(f"op{k},borrowed\n" for k in range(11))
    _, issues = parse_operators(csv, "ops.csv", scenario)
    assert [(i.path, i.rule) for i in issues] == [
        ("(file)", "lists too many operators: at most 10")
    ]
    assert operators_file.limits is limits


# --------------------------------------------------------------------------------------------------
# The examples of the issue, on the command line: exit 2, the field named, no traceback
# --------------------------------------------------------------------------------------------------

EXAMPLES = {
    "headcount_2_63": ("pools[0].headcount", 2**63),
    "start_9999": ("horizon.start_date", "9999-01-01"),
    "cost_1e300": ("pools[0].cost_per_hour", 1e300),
    "seed_2_40": ("solver.seed", 2**40),
    "lag_1e12": ("queues[0].staffing_lag_seconds", 1e12),
    "calls_1e30": ("queues[0].demand.calls_per_day", 1e30),
    "multiplier_1e300": ("surges[0].peak_multiplier", 1e300),
    "change_2_62": ("headcount_changes[0].change", 2**62),
}


@pytest.fixture
def example_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    files = {}
    for name, (path, value) in EXAMPLES.items():
        data = emergency()
        set_field(data, path, value)
        text = yaml.safe_dump(data, sort_keys=False)
        file = tmp_path / f"{name}.yaml"
        file.write_text(text, encoding="utf-8")
        files[name] = (file, path)

    def edit(lines):
        lines[1] = lines[1].rsplit(",", 1)[0] + ",inf"

    (tmp_path / "forecast").mkdir()
    forecast = forecast_dir(tmp_path / "forecast", edit)
    files["forecast_aht_inf"] = (
        forecast,
        "queues[0].demand.forecast_csv (data/forecast_week.csv) row 2, aht_seconds",
    )
    return files


def test_each_example_of_the_issue_exits_2_naming_the_field(example_files, capsys):
    for file, path in example_files.values():
        capsys.readouterr()
        assert main(["validate", str(file)]) == 2
        err = capsys.readouterr().err
        assert f"{file}: {path} = " in err, err
        assert "must be" in err


def test_the_examples_as_a_subprocess_print_no_traceback(example_files):
    files = [str(file) for file, _ in example_files.values()]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "planner", "validate", *files],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=REPO,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for file, path in example_files.values():
        assert f"{file}: {path} = " in result.stderr, result.stderr
