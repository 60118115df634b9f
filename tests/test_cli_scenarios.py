"""Command line for scenarios: ``python -m planner validate`` and ``python -m planner demand``.

A few cases run the real command as a subprocess (exit code, no traceback, files written); the
rest call :func:`planner.cli.main` in the same process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.cli import main
from planner.demand import DEMAND_COLUMNS, build_demand
from planner.io.scenario_file import load_scenario

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))

BAD = """\
schema_version: 1
name: Broken
horizon: {start_date: 2022-01-10, days: 7}
queues:
  - name: consulting
    aht_seconds: "300"
    demand: {calls_per_day: 1400}
shift_templates:
  - {name: day_8h, length_minutes: 480}
pools:
  - {name: team, skills: [consulting], headcount: -3, shift_templates: [day_8h]}
"""


def run_planner(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BAD, encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------------
# As a subprocess: what a user at a terminal sees
# --------------------------------------------------------------------------------------------------


def test_validate_a_bad_file_exits_2_with_every_problem_and_no_traceback(bad_file):
    result = run_planner("validate", str(bad_file), cwd=bad_file.parent)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"{bad_file}: 2 problems",
        f"{bad_file}: queues[0].aht_seconds = '300': must be a number",
        f"{bad_file}: pools[0].headcount = -3: must be >= 0",
    ]


def test_validate_every_shipped_scenario_exits_0(tmp_path):
    result = run_planner("validate", *map(str, SHIPPED), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for path in SHIPPED:
        assert f"{path}: ok (" in result.stdout
    assert "7 days x 48 intervals of 15 min" in result.stdout


def test_demand_writes_the_table_as_a_subprocess(tmp_path):
    out = tmp_path / "demand.csv"
    result = run_planner(
        "demand", str(SCENARIOS / "emergency.yaml"), "--out", str(out), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    table = pd.read_csv(out)
    assert len(table) == 2 * 7 * 48
    assert set(DEMAND_COLUMNS) <= set(table.columns)
    assert {"required_agents", "agents_on_phones", "offered_load"} <= set(table.columns)
    daily = table.groupby("day")["calls"].sum()
    assert daily.max() == pytest.approx(6000, rel=0.02)  # the emergency peak day
    assert f"wrote {out} ({len(table)} rows)" in result.stdout


# --------------------------------------------------------------------------------------------------
# In process
# --------------------------------------------------------------------------------------------------


def test_validate_reports_each_file_and_fails_if_any_fails(bad_file, capsys):
    good = SCENARIOS / "baseline.yaml"
    missing = bad_file.parent / "absent.yaml"
    code = main(["validate", str(good), str(bad_file), str(missing)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out.startswith(f"{good}: ok (Baseline week;")
    assert f"{bad_file}: pools[0].headcount = -3" in err
    assert f"{missing}: (file): cannot be read" in err
    assert "Traceback" not in err


def test_validate_all_good_returns_0(capsys):
    assert main(["validate", *map(str, SHIPPED)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.count(": ok (") == len(SHIPPED)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"name: a\nname: b\n", "line 2, column 1: not valid YAML: duplicate key 'name'"),
        ("name: Kökshetau\n".encode("latin-1"), "(file): is not UTF-8 text"),
        (b"schema_version: 1\nname: [unclosed\n", "not valid YAML"),
        (b"", "(top level): must be a mapping"),
    ],
)
def test_validate_unreadable_input_names_the_file_and_goes_on(tmp_path, capsys, content, expected):
    path = tmp_path / "odd.yaml"
    path.write_bytes(content)
    code = main(["validate", str(path), str(SCENARIOS / "baseline.yaml")])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.startswith(f"{path}: ")
    assert expected in err
    assert "ok (Baseline week" in out  # the next file is still checked


def test_validate_lists_several_problems_of_one_file_at_once(tmp_path, capsys):
    text = (SCENARIOS / "emergency.yaml").read_text(encoding="utf-8")
    text = text.replace("queue: emergency\n", "queue: emergncy\n")
    text = text.replace("closed_queues: [consulting]", "closed_queues: [consultng]")
    text = text.replace("  - pool: emergency_team\n", "  - pool: emergency_teem\n")
    path = tmp_path / "typos.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0] == f"{path}: 3 problems"
    assert "surges[1].queue = 'emergncy': names no queue (did you mean 'emergency'?)" in err
    assert "operating_modes[0].closed_queues[0] = 'consultng'" in err
    assert "headcount_changes[0].pool = 'emergency_teem'" in err


def test_demand_writes_the_scenario_demand_and_prints_daily_totals(tmp_path, capsys):
    out = tmp_path / "nested" / "forecast_demand.csv"
    scenario_file = SCENARIOS / "forecast_week.yaml"
    assert main(["demand", str(scenario_file), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    table = pd.read_csv(out)
    expected = build_demand(load_scenario(scenario_file))
    assert len(table) == len(expected) == 7 * 48
    assert table["calls"].to_numpy() == pytest.approx(expected["calls"].to_numpy(), abs=1e-4)
    assert table["aht_seconds"].tolist() == expected["aht_seconds"].tolist()
    # On duty = ceil(on the phones / (1 - shrinkage)); forecast_week.yaml has shrinkage 0.15.
    on_duty = np.ceil(table["agents_on_phones"] / 0.85 - 1e-9)
    assert table["required_agents"].tolist() == on_duty.astype(int).tolist()
    assert table["agents_on_phones"].min() > 0
    printed_days = {
        line.split()[0]: int(line.split()[1]) for line in printed.splitlines() if line[:4] == "2022"
    }
    daily = expected.groupby("day")["calls"].sum()
    assert printed_days == {str(day): round(calls) for day, calls in daily.items()}
    assert [p.name for p in out.parent.iterdir()] == ["forecast_demand.csv"]  # no temp files


def test_demand_on_a_bad_file_exits_2_and_writes_nothing(bad_file, capsys):
    out = bad_file.parent / "demand.csv"
    assert main(["demand", str(bad_file), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad_file}: 2 problems")
    assert "pools[0].headcount = -3" in err
    assert "Traceback" not in err
    assert not out.exists()
