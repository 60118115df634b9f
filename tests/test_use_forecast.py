"""The Forecast page's "use this forecast": planner.editing.draft.use_forecast."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from planner.demand import build_demand
from planner.editing.draft import load_draft, use_forecast

ROOT = Path(__file__).resolve().parents[1]


def _table(queues, start: date, days: int) -> pd.DataFrame:
    times = [f"{9 + k // 4:02d}:{15 * (k % 4):02d}" for k in range(48)]
    rows = [
        (str(start + timedelta(days=d)), t, q, 10.0 + d + k % 3)
        for q in queues
        for d in range(days)
        for k, t in enumerate(times)
    ]
    return pd.DataFrame(rows, columns=["day", "interval_start", "queue", "calls"])


def test_the_scenario_plans_the_forecast_days_with_its_calls():
    draft = load_draft(ROOT / "scenarios/baseline.yaml")
    start = date(2023, 3, 6)
    table = _table(["consulting", "not_a_queue"], start, 3)
    new, used = use_forecast(draft, table, start, 3, "forecast.csv")
    assert used == ["consulting"]
    scenario = new.validate()
    assert scenario.horizon.start_date == start and scenario.horizon.days == 3
    demand = build_demand(scenario)
    mine = table[table["queue"] == "consulting"]["calls"].to_numpy()
    # No surge on the baseline: the calls are the forecast's, less self-service deflection.
    share = scenario.queue("consulting").self_service_share
    assert np.allclose(demand["calls"].to_numpy(), mine * (1 - share))
    assert b"not_a_queue" not in new.files["forecast.csv"]


def test_a_forecast_of_other_queues_changes_nothing():
    draft = load_draft(ROOT / "scenarios/baseline.yaml")
    new, used = use_forecast(
        draft, _table(["elsewhere"], date(2023, 3, 6), 1), date(2023, 3, 6), 1, "f.csv"
    )
    assert used == []
    assert new.data == draft.data


def test_solve_says_what_the_confidence_costs_in_paid_hours(tmp_path, capsys):
    # Issue 14: "the report says what the confidence costs in paid hours". The point forecast
    # is planned too; the difference is in the output and in kpis.json.
    import json
    import shutil

    from planner.cli import main

    text = (ROOT / "scenarios/forecast_history.yaml").read_text()
    assert "\nservice:" not in text
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "scenarios/data/history_sample.csv", tmp_path / "data")
    path = tmp_path / "risk.yaml"
    path.write_text(text + "\nservice:\n  confidence: 0.9\n")
    out = tmp_path / "out"
    assert main(["solve", str(path), "--out", str(out), "--quiet", "--confidence-cost"]) == 0
    printed = capsys.readouterr().out
    assert "Confidence cost (consulting 90%, emergency 90%)" in printed
    cost = json.loads((out / "kpis.json").read_text())["confidence_cost"]
    assert cost["paid_hours"] > cost["point_forecast_paid_hours"] > 0
    assert cost["extra_paid_hours"] == cost["paid_hours"] - cost["point_forecast_paid_hours"]
