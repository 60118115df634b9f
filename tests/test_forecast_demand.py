"""A queue's demand forecast from history in a scenario, and risk-level staffing on it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.demand import build_demand
from planner.errors import ScenarioError
from planner.forecast import ForecastSettings, forecast_history
from planner.io.history import load_history
from planner.io.scenario_file import load_scenario
from planner.queueing import erlang_c_metrics
from planner.staffing import build_requirement

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "scenarios" / "data" / "history_sample.csv"

SCENARIO = """\
schema_version: 1
name: From history
horizon: {{start_date: 2022-01-10, days: 7}}
queues:
  - name: consulting
    aht_seconds: 300
    {queue_extra}
    demand: {{history_csv: history.csv, method: weekday_mean, weeks: 8, country: KZ}}
{surges}
shift_templates:
  - {{name: day, length_minutes: 480, start_step_minutes: 60}}
pools:
  - {{name: team, skills: [consulting], headcount: 60, cost_per_hour: 1, shift_templates: [day]}}
{service}
"""


def scenario_at(tmp_path, *, queue_extra="", surges="", service="", history=SAMPLE):
    shutil.copy(history, tmp_path / "history.csv")
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.format(queue_extra=queue_extra, surges=surges, service=service))
    return load_scenario(path)


@pytest.fixture(scope="module")
def sample_forecast():
    history = load_history(SAMPLE)
    settings = ForecastSettings(method="weekday_mean", weeks=8, country="KZ")
    return forecast_history(history, date(2022, 1, 10), 7, settings).queues["consulting"]


def test_demand_is_the_forecast_of_the_history(tmp_path, sample_forecast):
    s = scenario_at(tmp_path)
    demand = build_demand(s)
    np.testing.assert_allclose(demand["calls"].to_numpy(), sample_forecast.calls.ravel())
    assert (demand["rate_multiplier"] == 1).all()  # no confidence asked


def test_surges_and_deflection_apply_on_top(tmp_path, sample_forecast):
    surge = (
        "surges:\n  - {name: wave, queue: consulting, start_date: 2022-01-03, peak_multiplier: 2}"
    )
    s = scenario_at(tmp_path, queue_extra="self_service_share: 0.25", surges=surge)
    calls = build_demand(s)["calls"].to_numpy()
    np.testing.assert_allclose(calls, sample_forecast.calls.ravel() * 2 * 0.75)


def test_history_problems_are_named_with_the_field(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text(SAMPLE.read_text().replace(",consulting,", ",advice,"))
    with pytest.raises(ScenarioError) as info:
        scenario_at(tmp_path, history=other)
    assert "queues[0].demand.history_csv = 'history.csv': has no rows for queue 'consulting'" in (
        str(info.value)
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("interval_start,queue,calls\n2025-12-01 09:00,consulting,-4\n")
    with pytest.raises(ScenarioError, match=r"history_csv \(history.csv\) row 2, calls"):
        scenario_at(tmp_path, history=bad)


def test_confidence_raises_the_requirement_by_the_rate_quantile(tmp_path, sample_forecast):
    point = build_requirement(s := scenario_at(tmp_path), build_demand(s))
    risky = scenario_at(tmp_path, service="service: {confidence: 0.9}")
    demand = build_demand(risky)
    expected = [np.quantile(sample_forecast.rate_multipliers(d), 0.9) for d in range(7)]
    np.testing.assert_allclose(demand["rate_multiplier"].to_numpy()[::48], expected)
    assert min(expected) > 1.0
    need = build_requirement(risky, demand)
    assert (need["required_agents"].to_numpy() >= point["required_agents"].to_numpy()).all()
    assert need["required_agents"].sum() > point["required_agents"].sum()
    # The queue's own confidence wins over the scenario's.
    own = scenario_at(tmp_path, queue_extra="confidence: 0.5", service="service: {confidence: 0.9}")
    assert build_demand(own)["rate_multiplier"].iloc[0] == pytest.approx(
        np.quantile(sample_forecast.rate_multipliers(0), 0.5)
    )


def test_at_zero_uncertainty_the_requirement_is_the_point_forecasts(tmp_path):
    # A history with the same calls every week: the backtest's ratios are all exactly 1.
    lines = ["interval_start,queue,calls"]
    for day in range(7 * 20):
        d = date(2021, 8, 23).toordinal() + day
        stamp = date.fromordinal(d)
        if stamp.weekday() < 5:
            for k in range(48):
                lines.append(f"{stamp} {9 + k // 4:02d}:{15 * (k % 4):02d},consulting,{20 + k}")
    steady = tmp_path / "steady.csv"
    steady.write_text("\n".join(lines) + "\n")
    point = scenario_at(tmp_path, history=steady)
    risky = scenario_at(tmp_path, history=steady, service="service: {confidence: 0.9}")
    a = build_requirement(point, build_demand(point))["required_agents"].to_numpy()
    b = build_requirement(risky, build_demand(risky))["required_agents"].to_numpy()
    assert (build_demand(risky)["rate_multiplier"] == 1).all()
    np.testing.assert_array_equal(a, b)


def test_with_confidence_09_the_target_is_met_on_85_to_95_percent_of_days(tmp_path):
    """Monte Carlo of the formulas: a day's rate multiplier M drawn from the forecast's own
    distribution (its backtest's actual / forecast daily totals for that horizon day); each
    interval's service level by Erlang C at the drawn rate with the agents on the phones (the
    formula's steady state averages over the Poisson arrivals given the rate), weighted by
    calls drawn Poisson given the rate; the day meets the target when its service level
    (calls answered in time over calls offered) is at least 80 %."""
    # A large line (five times the sample: about 7,000 calls a day), where one agent more or
    # less is a small step against the forecast's uncertainty, as in the 1414 emergency.
    table = pd.read_csv(SAMPLE)
    table["calls"] *= 5
    big = tmp_path / "big.csv"
    table.to_csv(big, index=False)
    s = scenario_at(tmp_path, history=big, service="service: {confidence: 0.9}")
    need = build_requirement(s, build_demand(s))
    history = load_history(tmp_path / "history.csv")
    made = forecast_history(
        history, date(2022, 1, 10), 7, ForecastSettings(method="weekday_mean", country="KZ")
    ).queues["consulting"]
    rng = np.random.default_rng(14)
    agents = need["agents_on_phones"].to_numpy().reshape(7, 48)
    rate = need["calls"].to_numpy().reshape(7, 48)
    met = []
    for day in np.flatnonzero(rate.sum(axis=1) > 0):
        draws = rng.choice(made.rate_multipliers(int(day)), size=400)
        drawn = rate[day] * draws[:, None]
        calls = rng.poisson(drawn).astype(float)
        sl = erlang_c_metrics(agents[day], drawn, 300.0, 900.0, 20.0).service_level
        daily = (sl * calls).sum(axis=1) / calls.sum(axis=1)
        met.append(daily >= 0.8)
    share = np.concatenate(met).mean()
    print(f"target met on {share:.1%} of simulated days")
    assert 0.85 <= share <= 0.95, share


@pytest.mark.slow
def test_with_confidence_09_the_simulator_meets_the_target_on_85_to_95_percent_of_days(tmp_path):
    """The same check call by call (planner.simulate): each simulated day draws its rate
    multiplier from the forecast's distribution, then Poisson arrivals at that rate and
    exponential handling, served first come first served by the agents planned on the phones
    for that day; the day meets the target when at least 80 % of its calls are answered within
    20 s."""
    from planner.simulate import TALLIES, simulate_day

    table = pd.read_csv(SAMPLE)
    table["calls"] *= 5
    big = tmp_path / "big.csv"
    table.to_csv(big, index=False)
    s = scenario_at(tmp_path, history=big, service="service: {confidence: 0.9}")
    need = build_requirement(s, build_demand(s))
    made = forecast_history(
        load_history(big), date(2022, 1, 10), 7, ForecastSettings(method="weekday_mean")
    ).queues["consulting"]
    agents = need["agents_on_phones"].to_numpy().reshape(7, 48)
    rate = need["calls"].to_numpy().reshape(7, 48)
    rng = np.random.default_rng(2022)
    offered, within = TALLIES.index("offered"), TALLIES.index("within")
    met = []
    for day in np.flatnonzero(rate.sum(axis=1) > 0):
        for m in rng.choice(made.rate_multipliers(int(day)), size=200):
            tallies = simulate_day(
                rng, rate[day] * m, np.full(48, 300.0), agents[day], 900.0, 20.0, None
            )
            met.append(tallies[within].sum() / tallies[offered].sum() >= 0.8)
    share = float(np.mean(met))
    print(f"simulated: target met on {share:.1%} of days")
    assert 0.85 <= share <= 0.95, share
