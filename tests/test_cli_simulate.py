"""``python -m planner simulate``: a solved plan's folder in, simulation.json and
sim_coverage.csv out; the same seed writes the same files; bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from planner.cli import main

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sim") / "plan"
    args = ["solve", str(SCENARIOS / "baseline.yaml"), "--out", str(out), "--quiet"]
    assert main([*args, "--time-limit", "5", "--workers", "1"]) == 0
    return out


def _simulate(plan_dir: Path, out: Path, *extra: str) -> int:
    scenario = str(SCENARIOS / "baseline.yaml")
    return main(["simulate", scenario, "--plan", str(plan_dir), "--out", str(out), *extra])


def test_simulate_writes_its_files(plan_dir, tmp_path, capsys):
    extra = ("--replications", "3", "--seed", "4", "--shrinkage", "mean")
    assert _simulate(plan_dir, tmp_path / "a", *extra) == 0
    assert "consulting" in capsys.readouterr().out
    document = json.loads((tmp_path / "a" / "simulation.json").read_text())
    assert document["replications"] == 3 and document["shrinkage"] == "mean"
    (queue,) = document["queues"]
    assert queue["offered"] == queue["answered"] + queue["abandoned"] + queue["unanswered_at_close"]
    assert 0.0 <= queue["service_level"] <= 1.0
    coverage = pd.read_csv(tmp_path / "a" / "sim_coverage.csv")
    assert len(coverage) == 7 * 48
    assert {"service_level", "service_level_p10", "service_level_p90"} <= set(coverage.columns)
    # the same seed writes the same files, byte for byte
    assert _simulate(plan_dir, tmp_path / "b", *extra) == 0
    for name in ("simulation.json", "sim_coverage.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_simulate_bad_input_exits_2(plan_dir, tmp_path, capsys):
    assert _simulate(tmp_path / "no_plan", tmp_path / "out") == 2
    assert "shifts.csv" in capsys.readouterr().err
    assert _simulate(plan_dir, plan_dir) == 2  # the plan's folder holds other files


def test_solve_with_simulate_puts_the_simulated_figures_beside_the_formulas(tmp_path, capsys):
    out = tmp_path / "plan"
    args = ["solve", str(SCENARIOS / "baseline.yaml"), "--out", str(out), "--quiet"]
    assert main([*args, "--time-limit", "5", "--simulate", "4"]) == 0
    printed = capsys.readouterr().out
    assert "Simulated call by call: 4 replications" in printed
    assert "formula service level" in printed
    document = json.loads((out / "kpis.json").read_text())
    (queue,) = document["simulated"]["queues"]
    assert document["simulated"]["replications"] == 4
    formula = document["queues"]["consulting"]["service_level"]
    # the simulation checks the formula's promise: the same plan, within a few points
    assert abs(queue["service_level"] - formula) < 0.05
    assert queue["offered"] == queue["answered"] + queue["abandoned"] + queue["unanswered_at_close"]
