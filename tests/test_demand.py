"""Demand: calls per queue, day and interval (planner.demand, planner.profiles).

Expectations are built independently of the code under test: daily volumes by hand, surges of
constant intensity (so the expected total is a product), the surge formula re-evaluated point by
point, the shipped scenarios' volumes from their README table and from the formulas written out.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.demand import DEMAND_COLUMNS, build_demand, surge_intensity
from planner.domain.scenario import Surge
from planner.io.scenario_file import load_scenario, parse_scenario
from planner.profiles import BUILTIN_PROFILES, profile_matrix
from planner.timegrid import TimeGrid

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
BANK_PROFILE = REPO / "planner" / "data" / "weekday_profile_15min.csv"
MONDAY = date(2022, 1, 10)
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

PROPERTY = settings(max_examples=40, deadline=None)


# --------------------------------------------------------------------------------------------------
# Building scenarios in code
# --------------------------------------------------------------------------------------------------


def scenario_data(
    queues: list[dict],
    *,
    start: date = MONDAY,
    days: int = 7,
    interval_minutes: int = 15,
    surges: list[dict] | None = None,
    operating_modes: list[dict] | None = None,
) -> dict:
    """A valid scenario around the given queues: one 8-hour shift, one pool per queue."""
    return {
        "schema_version": 1,
        "name": "demand test",
        "horizon": {
            "start_date": start.isoformat(),
            "days": days,
            "window_start": "09:00",
            "window_end": "21:00",
            "interval_minutes": interval_minutes,
        },
        "queues": queues,
        "surges": surges or [],
        "operating_modes": operating_modes or [],
        "shift_templates": [{"name": "day_8h", "length_minutes": 480, "start_step_minutes": 60}],
        "pools": [
            {"name": f"team_{q['name']}", "skills": [q["name"]], "headcount": 10}
            | {"shift_templates": ["day_8h"]}
            for q in queues
        ],
    }


def daily_totals(demand: pd.DataFrame, queue: str | None = None) -> np.ndarray:
    rows = demand if queue is None else demand[demand["queue"] == queue]
    return rows.groupby("day_index", sort=True)["calls"].sum().to_numpy()


volumes = st.floats(min_value=0.0, max_value=20_000.0, allow_nan=False)
builtin_profiles = st.sampled_from(BUILTIN_PROFILES)
intervals = st.sampled_from([5, 15, 30, 60])
start_dates = st.integers(min_value=0, max_value=6).map(lambda k: MONDAY + timedelta(days=k))


@st.composite
def daily_volume_specs(draw, days: int) -> tuple[dict, list[float]]:
    """A start date, a demand block in one of the three daily forms, and each day's volume."""
    start = draw(start_dates)
    form = draw(st.sampled_from(["calls_per_day", "calls_per_weekday", "calls_by_day"]))
    weekdays = [WEEKDAY_NAMES[(start + timedelta(days=d)).weekday()] for d in range(days)]
    if form == "calls_per_day":
        v = draw(volumes)
        return start, {"calls_per_day": v}, [v] * days
    if form == "calls_per_weekday":
        given_days = draw(st.dictionaries(st.sampled_from(WEEKDAY_NAMES), volumes))
        return start, {"calls_per_weekday": given_days}, [given_days.get(w, 0.0) for w in weekdays]
    by_day = draw(st.lists(volumes, min_size=days, max_size=days))
    return start, {"calls_by_day": by_day}, by_day


# --------------------------------------------------------------------------------------------------
# Properties of the whole pipeline
# --------------------------------------------------------------------------------------------------


@PROPERTY
@given(
    data=st.data(),
    days=st.integers(min_value=1, max_value=10),
    interval_minutes=intervals,
    profile=builtin_profiles,
    peak_multiplier=st.floats(min_value=0.0, max_value=8.0),
    added=st.floats(min_value=0.0, max_value=6_000.0),
    deflected=st.floats(min_value=0.0, max_value=0.95),
    closed=st.sets(st.sampled_from(WEEKDAY_NAMES), max_size=3),
)
def test_total_calls_are_daily_volumes_after_surges_deflection_and_closures(
    data, days, interval_minutes, profile, peak_multiplier, added, deflected, closed
):
    # A surge that started the day before the horizon, with no ramp, decay or end, has intensity
    # 1 everywhere: each open day's calls are (volume x multiplier + added) x (1 - deflected).
    start, demand, volume_by_day = data.draw(daily_volume_specs(days))
    queue = {"name": "line", "aht_seconds": 300, "self_service_share": deflected}
    queue["demand"] = demand | {"profile": profile}
    surge = {
        "name": "wave",
        "queue": "line",
        "start_date": (start - timedelta(days=1)).isoformat(),
        "peak_multiplier": peak_multiplier,
        "added_calls_per_day": added,
    }
    modes = [{"name": "closed", "weekdays": sorted(closed), "closed_queues": ["line"]}]
    scenario = parse_scenario(
        scenario_data(
            [queue],
            start=start,
            days=days,
            interval_minutes=interval_minutes,
            surges=[surge],
            operating_modes=modes if closed else [],
        )
    )
    result = build_demand(scenario)

    is_open = [
        WEEKDAY_NAMES[(start + timedelta(days=d)).weekday()] not in closed for d in range(days)
    ]
    expected = [
        (v * peak_multiplier + added) * (1 - deflected) * o
        for v, o in zip(volume_by_day, is_open, strict=True)
    ]
    np.testing.assert_allclose(daily_totals(result), expected, rtol=1e-9, atol=1e-6)
    assert result["calls"].sum() == pytest.approx(sum(expected), rel=1e-9, abs=1e-6)
    assert (result["calls"] >= 0).all()
    assert len(result) == days * (12 * 60 // interval_minutes)


@PROPERTY
@given(
    first_volume=volumes,
    second_volume=volumes,
    closed_weekdays=st.sets(st.sampled_from(WEEKDAY_NAMES), max_size=7),
    closed_dates=st.sets(st.integers(min_value=0, max_value=6), max_size=3),
    surge_multiplier=st.floats(min_value=0.5, max_value=5.0),
)
def test_a_queue_closed_by_an_operating_mode_has_no_calls(
    first_volume, second_volume, closed_weekdays, closed_dates, surge_multiplier
):
    queues = [
        {"name": "consulting", "aht_seconds": 300, "demand": {"calls_per_day": first_volume}},
        {"name": "emergency", "aht_seconds": 420, "demand": {"calls_per_day": second_volume}},
    ]
    surges = [
        {
            "name": "wave",
            "queue": "consulting",
            "start_date": MONDAY.isoformat(),
            "peak_multiplier": surge_multiplier,
            "half_life_days": 2,
        }
    ]
    dates = sorted((MONDAY + timedelta(days=k)).isoformat() for k in closed_dates)
    mode = {"name": "m", "weekdays": sorted(closed_weekdays), "dates": dates}
    mode["closed_queues"] = ["consulting"]
    if not closed_weekdays and not closed_dates:
        mode["weekdays"] = ["sun"]
        closed_weekdays = {"sun"}
    open_demand = build_demand(parse_scenario(scenario_data(queues, surges=surges)))
    result = build_demand(
        parse_scenario(scenario_data(queues, surges=surges, operating_modes=[mode]))
    )

    day_dates = [MONDAY + timedelta(days=d) for d in range(7)]
    closed = np.array(
        [WEEKDAY_NAMES[d.weekday()] in closed_weekdays or d.isoformat() in dates for d in day_dates]
    )
    consulting = result["queue"] == "consulting"
    on_closed_day = consulting & closed[result["day_index"]]
    assert (result.loc[on_closed_day, "calls"] == 0).all()
    assert (result.loc[on_closed_day, "surge_calls"] == 0).all()
    assert not result.loc[on_closed_day, "open"].any()
    # Everything else is exactly as without the mode: the other queue, and open days.
    untouched = ~on_closed_day
    pd.testing.assert_series_equal(
        result.loc[untouched, "calls"], open_demand.loc[untouched, "calls"]
    )
    assert result.loc[untouched, "open"].all()


@PROPERTY
@given(
    profile=builtin_profiles,
    volume=volumes,
    start_offset=st.integers(min_value=-3, max_value=9),
    start_time=st.sampled_from([None, "00:00", "09:00", "13:30", "20:45"]),
    ramp=st.floats(min_value=0.0, max_value=5.0),
    plateau=st.floats(min_value=0.0, max_value=5.0),
    half_life=st.none() | st.floats(min_value=0.0, max_value=10.0, exclude_min=True),
    duration=st.none() | st.floats(min_value=0.1, max_value=10.0),
)
def test_a_surge_with_multiplier_one_and_no_added_calls_changes_nothing(
    profile, volume, start_offset, start_time, ramp, plateau, half_life, duration
):
    queue = {"name": "line", "aht_seconds": 300, "demand": {"calls_per_day": volume}}
    queue["demand"]["profile"] = profile
    surge = {
        "name": "neutral",
        "queue": "line",
        "start_date": (MONDAY + timedelta(days=start_offset)).isoformat(),
        "ramp_up_days": ramp,
        "plateau_days": plateau,
        "peak_multiplier": 1.0,
        "added_calls_per_day": 0.0,
    }
    optional = {"start_time": start_time, "half_life_days": half_life, "duration_days": duration}
    surge |= {k: v for k, v in optional.items() if v is not None}
    without = build_demand(parse_scenario(scenario_data([queue])))
    with_surge = build_demand(parse_scenario(scenario_data([queue], surges=[surge])))
    pd.testing.assert_frame_equal(with_surge, without)
    assert (with_surge["surge_calls"] == 0).all()


@PROPERTY
@given(
    data=st.data(),
    profile=builtin_profiles,
    peak_multiplier=st.floats(min_value=0.0, max_value=6.0),
    added=st.floats(min_value=0.0, max_value=5_000.0),
    deflected=st.floats(min_value=0.0, max_value=0.9),
)
def test_30_and_60_minute_intervals_give_the_daily_totals_of_15_minute_ones(
    data, profile, peak_multiplier, added, deflected
):
    start, demand, _ = data.draw(daily_volume_specs(7))
    queue = {"name": "line", "aht_seconds": 300, "self_service_share": deflected}
    queue["demand"] = demand | {"profile": profile}
    surge = {
        "name": "wave",
        "queue": "line",
        "start_date": (start - timedelta(days=1)).isoformat(),
        "peak_multiplier": peak_multiplier,
        "added_calls_per_day": added,
        "profile": "public_service",
    }
    totals = {}
    for minutes in (5, 15, 30, 60):
        scenario = parse_scenario(
            scenario_data([queue], start=start, interval_minutes=minutes, surges=[surge])
        )
        totals[minutes] = daily_totals(build_demand(scenario))
    np.testing.assert_allclose(totals[5], totals[15], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(totals[30], totals[15], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(totals[60], totals[15], rtol=1e-9, atol=1e-6)


def test_demand_table_has_one_row_per_queue_day_and_interval_in_order():
    queues = [
        {"name": "b_line", "aht_seconds": 300, "demand": {"calls_per_day": 10}},
        {"name": "a_line", "aht_seconds": 420, "demand": {"calls_per_day": 20}},
    ]
    scenario = parse_scenario(scenario_data(queues, days=3, interval_minutes=60))
    result = build_demand(scenario)
    assert list(result.columns) == list(DEMAND_COLUMNS)
    assert len(result) == 2 * 3 * 12
    # Scenario order of queues (not alphabetical), then day, then interval.
    assert result["queue"].iloc[0] == "b_line"
    assert result["queue"].iloc[-1] == "a_line"
    first = result[result["queue"] == "b_line"]
    assert first["day_index"].tolist() == sorted(first["day_index"])
    assert first["interval_start"].iloc[:3].tolist() == ["09:00", "10:00", "11:00"]
    assert first["weekday"].iloc[0] == "mon"
    assert (result.loc[result["queue"] == "a_line", "aht_seconds"] == 420).all()


def test_a_queue_without_demand_has_only_its_surge_calls():
    queues = [{"name": "emergency", "aht_seconds": 420}]
    surge = {
        "name": "line_opens",
        "queue": "emergency",
        "start_date": (MONDAY + timedelta(days=2)).isoformat(),
        "added_calls_per_day": 1000,
        "profile": "flat",
    }
    result = build_demand(parse_scenario(scenario_data(queues, surges=[surge])))
    assert daily_totals(result).tolist() == pytest.approx([0, 0, 1000, 1000, 1000, 1000, 1000])
    pd.testing.assert_series_equal(result["calls"], result["surge_calls"], check_names=False)


# --------------------------------------------------------------------------------------------------
# Surge intensity
# --------------------------------------------------------------------------------------------------


def expected_intensity(t: float, surge: Surge) -> float:
    """The intensity as scenarios/README.md states it, one point at a time."""
    if t < 0 or (surge.duration_days is not None and t >= surge.duration_days):
        return 0.0
    if surge.ramp_up_days > 0 and t < surge.ramp_up_days:
        return t / surge.ramp_up_days
    peak_end = surge.ramp_up_days + surge.plateau_days
    if surge.half_life_days is not None and t >= peak_end:
        return 0.5 ** ((t - peak_end) / surge.half_life_days)
    return 1.0


@PROPERTY
@given(
    start_offset=st.integers(min_value=-2, max_value=4),
    start_hour=st.integers(min_value=0, max_value=23),
    ramp=st.floats(min_value=0.0, max_value=3.0),
    plateau=st.floats(min_value=0.0, max_value=3.0),
    half_life=st.none() | st.floats(min_value=0.0, max_value=5.0, exclude_min=True),
    duration=st.none() | st.floats(min_value=0.0, max_value=8.0, exclude_min=True),
)
def test_surge_intensity_follows_the_documented_formula(
    start_offset, start_hour, ramp, plateau, half_life, duration
):
    surge = Surge.model_validate(
        {
            "name": "s",
            "queue": "q",
            "start_date": MONDAY + timedelta(days=start_offset),
            "start_time": f"{start_hour:02d}:00",
            "ramp_up_days": ramp,
            "plateau_days": plateau,
            "half_life_days": half_life,
            "duration_days": duration,
        }
    )
    grid = TimeGrid(MONDAY, 6, 0, 24 * 60, 60)  # whole days, so nights are covered too
    intensity = surge_intensity(surge, grid)
    assert intensity.shape == (6, 24)
    for day in range(6):
        for hour in range(24):
            midpoint_days = day + (hour + 0.5) / 24
            t = midpoint_days - start_offset - start_hour / 24
            assert intensity[day, hour] == pytest.approx(expected_intensity(t, surge), abs=1e-12)
    assert ((intensity >= 0) & (intensity <= 1)).all()


def test_surge_intensity_landmarks():
    # 2 days' ramp, 1 day at peak, then half-life 2 days, ending 9 days after the start. A grid
    # of whole-day intervals has its midpoints at 12:00, the surge's start time: t is whole days.
    surge = Surge.model_validate(
        {
            "name": "s",
            "queue": "q",
            "start_date": MONDAY,
            "start_time": "12:00",  # the midpoint of each whole-day interval: t is whole days
            "ramp_up_days": 2,
            "plateau_days": 1,
            "half_life_days": 2,
            "duration_days": 9,
        }
    )
    grid = TimeGrid(MONDAY - timedelta(days=1), 12, 0, 24 * 60, 24 * 60)  # t = -1 ... 10
    expected = [0, 0, 0.5, 1, 1, 0.5**0.5, 0.5, 0.5**1.5, 0.25, 0.5**2.5, 0, 0]
    assert surge_intensity(surge, grid)[:, 0] == pytest.approx(expected)


# --------------------------------------------------------------------------------------------------
# Profiles
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
@pytest.mark.parametrize("interval_minutes", [5, 15, 30, 60])
def test_builtin_profiles_sum_to_one_per_day(name, interval_minutes):
    grid = TimeGrid(MONDAY, 7, 9 * 60, 21 * 60, interval_minutes)
    shares = profile_matrix(name, grid)
    assert shares.shape == (7, 12 * 60 // interval_minutes)
    assert (shares >= 0).all()
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, rtol=1e-12)


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_5_minute_profiles_add_up_to_the_15_minute_ones(name):
    # The measured bank profiles split each quarter hour evenly (exact); the synthetic
    # public-service shape is evaluated at 5-minute midpoints (the same curve, finer).
    fine = profile_matrix(name, TimeGrid(MONDAY, 7, 9 * 60, 21 * 60, 5))
    quarter = profile_matrix(name, TimeGrid(MONDAY, 7, 9 * 60, 21 * 60, 15))
    summed = fine.reshape(7, -1, 3).sum(axis=2)
    exact = name != "public_service"
    np.testing.assert_allclose(
        summed, quarter, rtol=1e-12 if exact else 0, atol=0 if exact else 1e-4
    )
    if name.startswith("bank"):
        np.testing.assert_allclose(fine[:, 0::3], fine[:, 1::3], rtol=1e-12)


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_coarser_profiles_are_sums_of_15_minute_shares(name):
    fine = profile_matrix(name, TimeGrid(MONDAY, 7, 9 * 60, 21 * 60, 15))
    for minutes in (30, 60):
        coarse = profile_matrix(name, TimeGrid(MONDAY, 7, 9 * 60, 21 * 60, minutes))
        summed = fine.reshape(7, -1, minutes // 15).sum(axis=2)
        np.testing.assert_allclose(coarse, summed, rtol=1e-12)


def test_bank_profiles_are_the_measured_shapes():
    table = pd.read_csv(BANK_PROFILE)
    grid = TimeGrid(MONDAY, 7, 9 * 60, 21 * 60, 15)  # Monday to Sunday
    mean = table["mean_calls"] / table["mean_calls"].sum()
    np.testing.assert_allclose(profile_matrix("bank_weekday", grid)[3], mean, rtol=1e-12)
    by_weekday = profile_matrix("bank_by_weekday", grid)
    for day, column in enumerate(["mean_monday", "mean_tuesday", "mean_wednesday"]):
        np.testing.assert_allclose(by_weekday[day], table[column] / table[column].sum())
    np.testing.assert_allclose(by_weekday[6], mean)  # Sunday: no data, the all-weekday mean
    # The shape DOMAIN.md describes: peak late morning, above the evening.
    peak = table["interval_start"].iloc[int(np.argmax(mean))]
    assert "10:00" <= peak <= "12:00"
    assert mean.iloc[-1] < mean.iloc[0]


def test_public_service_profile_peaks_late_morning_with_an_afternoon_hump():
    row = profile_matrix("public_service", TimeGrid(MONDAY, 1, 9 * 60, 21 * 60, 15))[0]
    labels = [f"{9 + i // 4:02d}:{15 * (i % 4):02d}" for i in range(48)]
    assert "10:00" <= labels[int(np.argmax(row))] <= "11:30"
    afternoon = row[labels.index("14:00") : labels.index("16:00")]
    lunch = row[labels.index("12:30") : labels.index("13:30")]
    assert afternoon.max() > lunch.min()
    assert row[-1] < row[0]


@PROPERTY
@given(
    shares=st.lists(st.floats(min_value=0.0, max_value=1e6), min_size=12, max_size=12).filter(
        lambda s: sum(s) > 0
    )
)
def test_explicit_shares_are_normalised_to_sum_to_one(shares):
    grid = TimeGrid(MONDAY, 3, 9 * 60, 21 * 60, 60)
    result = profile_matrix(shares, grid)
    np.testing.assert_allclose(result.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(result[0] * sum(shares), shares, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize(
    ("spec", "window", "message"),
    [
        ("bank", (540, 1260), "unknown profile"),
        ([1.0] * 47, (540, 1260), "needs exactly 48 shares"),
        ([0.0] * 48, (540, 1260), "must not all be zero"),
        ([-1.0] + [1.0] * 47, (540, 1260), ">= 0"),
        ("bank_weekday", (480, 1200), "09:00-21:00 only"),
    ],
)
def test_profile_errors_state_the_rule(spec, window, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        profile_matrix(spec, TimeGrid(MONDAY, 1, *window, 15))


# --------------------------------------------------------------------------------------------------
# Forecast files
# --------------------------------------------------------------------------------------------------


def test_forecast_demand_is_the_file_and_surges_multiply_it():
    grid_days = 2
    rows = []
    for d in range(grid_days):
        for i in range(12):
            day = (MONDAY + timedelta(days=d)).isoformat()
            rows.append((day, f"{9 + i:02d}:00", "line", 10 * d + i, 200 + i))
    csv = pd.DataFrame(rows, columns=["day", "interval_start", "queue", "calls", "aht_seconds"])
    queue = {"name": "line", "aht_seconds": 999, "demand": {"forecast_csv": "f.csv"}}
    data = scenario_data([queue], days=grid_days, interval_minutes=60)
    files = {"f.csv": csv.sample(frac=1.0, random_state=1).to_csv(index=False)}  # any row order
    result = build_demand(parse_scenario(data, forecast_files=files))
    assert result["calls"].tolist() == [float(r[3]) for r in rows]
    assert result["aht_seconds"].tolist() == [float(r[4]) for r in rows]

    surge = {
        "name": "double",
        "queue": "line",
        "start_date": (MONDAY - timedelta(days=1)).isoformat(),
        "peak_multiplier": 2.0,
    }
    data = scenario_data([queue], days=grid_days, interval_minutes=60, surges=[surge])
    doubled = build_demand(parse_scenario(data, forecast_files=files))
    assert doubled["calls"].tolist() == [2.0 * r[3] for r in rows]

    without_aht = {"f.csv": csv.drop(columns="aht_seconds").to_csv(index=False)}
    data = scenario_data([queue], days=grid_days, interval_minutes=60)
    fallback = build_demand(parse_scenario(data, forecast_files=without_aht))
    assert (fallback["aht_seconds"] == 999).all()


# --------------------------------------------------------------------------------------------------
# The shipped scenarios yield the volumes scenarios/README.md states
# --------------------------------------------------------------------------------------------------


def readme_volumes() -> dict[tuple[str, str], list[float]]:
    """The daily-volume table of scenarios/README.md: (file, queue) -> Mon..Sun and week."""
    text = (SCENARIOS / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- volumes:", 1)[1].split("\n\n", 1)[0]
    found = {}
    for line in table.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) != 10 or not re.fullmatch(r"[\d,.]+", cells[2]):
            continue
        numbers = [float(c.replace(",", "")) for c in cells[2:]]
        for file in cells[0].split(","):
            found[(file.strip().strip("`"), cells[1])] = numbers
    return found


def computed_volumes(file: str, queue: str) -> list[float]:
    demand = build_demand(load_scenario(SCENARIOS / file))
    days = daily_totals(demand, None if queue == "all" else queue)
    return [*days.tolist(), float(days.sum())]


def test_readme_lists_the_volumes_of_every_shipped_scenario():
    listed = {file for file, _ in readme_volumes()}
    # the national files plan one day: their volumes are checked in tests/test_national.py
    shipped = {p.name for p in SCENARIOS.glob("*.yaml") if not p.name.startswith("national_")}
    assert shipped <= listed
    assert {"baseline.yaml", "emergency.yaml", "forecast_week.yaml"} <= shipped


@pytest.mark.parametrize("key", sorted(readme_volumes()), ids=lambda k: f"{k[0]}-{k[1]}")
def test_shipped_scenario_yields_the_volumes_in_its_readme(key):
    file, queue = key
    stated = readme_volumes()[key]
    # The README rounds to whole calls.
    np.testing.assert_allclose(computed_volumes(file, queue), stated, atol=0.5 + 1e-9)


def test_baseline_is_about_1400_calls_a_weekday():
    demand = build_demand(load_scenario(SCENARIOS / "baseline.yaml"))
    days = daily_totals(demand)
    assert days.tolist() == pytest.approx([1540, 1400, 1360, 1330, 1370, 700, 500])
    assert days[:5].mean() == pytest.approx(1400)  # 2021: 500,000 requests, ~1,400 a day


def test_forecast_week_is_its_csv_and_about_1400_calls_a_weekday():
    scenario = load_scenario(SCENARIOS / "forecast_week.yaml")
    demand = build_demand(scenario)
    csv = pd.read_csv(SCENARIOS / "data" / "forecast_week.csv")
    assert demand["calls"].to_numpy() == pytest.approx(csv["calls"].to_numpy())
    assert demand["aht_seconds"].to_numpy() == pytest.approx(csv["aht_seconds"].to_numpy())
    assert demand["interval_start"].tolist() == csv["interval_start"].tolist()
    days = daily_totals(demand)
    assert days[:5].mean() == pytest.approx(1400, abs=0.05)
    assert days[0] == days[:5].max()  # the bank's Monday is its busiest weekday
    assert days[5:].tolist() == pytest.approx([700, 500], abs=0.05)
    aht = demand["aht_seconds"]
    assert 285 <= aht.min() < aht.max() <= 315
    assert (aht * demand["calls"]).sum() / demand["calls"].sum() == pytest.approx(300, abs=3)


def test_emergency_volumes_follow_the_surge_formulas_written_out():
    # emergency.yaml: consulting 1,400 a day x (1 + 1.5 x 0.5^(t/3)) (food and cash questions),
    # 10 % to self-service, closed at the weekend; emergency 3,050 x 0.5^(t/4) a day (missing
    # persons) on the public_service shape; t in days since Monday 09:00 at each midpoint.
    scenario = load_scenario(SCENARIOS / "emergency.yaml")
    demand = build_demand(scenario)
    table = pd.read_csv(BANK_PROFILE)
    bank = (table["mean_calls"] / table["mean_calls"].sum()).to_numpy()
    public = profile_matrix("public_service", scenario.grid)[0]
    consulting, emergency = [], []
    for day in range(7):
        c = e = 0.0
        for i in range(48):
            t = day + (15 * i + 7.5) / (24 * 60)
            c += 1400 * bank[i] * (1 + 1.5 * 0.5 ** (t / 3)) * 0.9
            e += 3050 * public[i] * 0.5 ** (t / 4)
        consulting.append(c if day < 5 else 0.0)
        emergency.append(e)
    np.testing.assert_allclose(daily_totals(demand, "consulting"), consulting, rtol=1e-9)
    np.testing.assert_allclose(daily_totals(demand, "emergency"), emergency, rtol=1e-9)
    peak = max(c + e for c, e in zip(consulting, emergency, strict=True))
    # DOMAIN.md: 50 operators x about 120 calls = about 6,000 a day, 4x the 2021 average.
    assert peak == pytest.approx(6000, rel=0.02)


@pytest.mark.parametrize("variant", ["emergency_no_borrowed.yaml", "emergency_pooled.yaml"])
def test_emergency_variants_have_exactly_the_emergency_demand(variant):
    emergency = build_demand(load_scenario(SCENARIOS / "emergency.yaml"))
    pd.testing.assert_frame_equal(build_demand(load_scenario(SCENARIOS / variant)), emergency)


def test_decaying_surges_depend_only_slightly_on_the_interval_length():
    # The intensity is sampled at interval midpoints, so a decaying surge's daily total moves a
    # little with the interval length (scenarios/README.md states the size): under 0.01 % here.
    data = load_scenario(SCENARIOS / "emergency.yaml").model_dump(mode="json")
    totals = {}
    for minutes in (15, 60):
        data["horizon"]["interval_minutes"] = minutes
        for template in data["shift_templates"]:  # shifts do not matter here; keep them valid
            template |= {"start_step_minutes": 60, "breaks": []}
        totals[minutes] = daily_totals(build_demand(parse_scenario(data)))
    np.testing.assert_allclose(totals[60], totals[15], rtol=1e-4)
    assert not np.allclose(totals[60], totals[15], rtol=1e-9)
