"""Forecasting (planner.forecast) on synthetic histories with known answers."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from planner.forecast import METHODS, ForecastSettings, forecast_history
from planner.io.history import parse_history
from planner.io.special_days import SpecialDaysError, parse_special_days

START = date(2023, 1, 1)  # a Sunday
PROFILE = np.array([1, 2, 3, 4, 4, 3, 2, 1], dtype=float) / 20  # 8 hours of 60 min: 09-17
WINDOW = (9 * 60, 17 * 60)


def history_csv(totals_by_day, *, queue="q", noise_seed=None) -> bytes:
    """Hourly rows 09:00-17:00; ``totals_by_day[i]`` calls on START + i (None: no rows)."""
    rng = np.random.default_rng(noise_seed) if noise_seed is not None else None
    rows = []
    for i, total in enumerate(totals_by_day):
        if total is None:
            continue
        day = START + timedelta(days=i)
        mean = total * PROFILE
        calls = rng.poisson(mean) if rng is not None else np.round(mean)
        for h, c in enumerate(calls):
            rows.append(f"{day.isoformat()} {9 + h:02d}:00,{queue},{int(c)}")
    return ("interval_start,queue,calls\n" + "\n".join(rows) + "\n").encode()


def parse(raw: bytes):
    return parse_history(raw, "h.csv", interval_minutes=60, window=WINDOW)


def weekly(pattern, weeks):
    return [pattern[(START + timedelta(days=i)).weekday()] for i in range(7 * weeks)]


# Open Sunday to Thursday (Kazakh-style weekend would be Sat/Sun; this one is Fri/Sat).
PATTERN = {6: 2000, 0: 1800, 1: 1600, 2: 1600, 3: 1400, 4: 0, 5: 0}


@pytest.mark.parametrize("method", METHODS)
def test_a_steady_week_is_forecast_exactly_and_the_weekend_is_learnt(method):
    h = parse(history_csv(weekly(PATTERN, 20)))
    start = START + timedelta(days=7 * 20)
    f = forecast_history(h, start, 14, ForecastSettings(method=method, country=None))
    q = f.queues["q"]
    assert q.open_weekdays == ("mon", "tue", "wed", "thu", "sun")
    expected = np.array([PATTERN[(start + timedelta(days=i)).weekday()] for i in range(14)])
    np.testing.assert_allclose(q.calls.sum(axis=1), expected, rtol=0.01, atol=1.0)
    np.testing.assert_allclose(q.calls[0] / q.calls[0].sum(), PROFILE, atol=0.003)
    assert q.method == method


def test_weekday_mean_is_the_mean_of_the_last_k_weeks():
    totals = [1000.0 + 100 * (i // 7) for i in range(7 * 12)]  # each week 100 more
    h = parse(history_csv(totals))
    start = START + timedelta(days=7 * 12)
    f = forecast_history(
        h, start, 7, ForecastSettings(method="weekday_mean", weeks=4, country=None)
    )
    # Last 4 weeks: 1800, 1900, 2000, 2100 -> 1950 (profile rounding: within 0.5 %).
    np.testing.assert_allclose(f.queues["q"].calls.sum(axis=1), 1950, rtol=0.005)
    naive = forecast_history(h, start, 7, ForecastSettings(method="seasonal_naive", country=None))
    np.testing.assert_allclose(naive.queues["q"].calls.sum(axis=1), 2100, rtol=0.005)


def test_auto_picks_a_trend_method_when_the_trend_is_clear():
    totals = [weekly(PATTERN, 1)[i % 7] * (1 + 0.01 * i) for i in range(7 * 20)]
    h = parse(history_csv(totals))
    f = forecast_history(h, START + timedelta(days=140), 7, ForecastSettings(country=None))
    assert f.queues["q"].method in ("ets", "mstl")
    bt = f.backtest
    assert set(bt["method"]) == set(METHODS) and len(bt) == 12 * len(METHODS)
    assert len(set(bt.loc[bt["chosen"], "method"])) == 1


def test_auto_keeps_the_simple_method_when_the_data_are_only_noise():
    h = parse(history_csv(weekly(PATTERN, 30), noise_seed=1))
    f = forecast_history(h, START + timedelta(days=210), 7, ForecastSettings(country=None))
    assert f.queues["q"].method in ("weekday_mean", "seasonal_naive")


def test_prediction_intervals_cover_about_80_percent_of_poisson_noise():
    weeks = 40
    raw = history_csv(weekly(PATTERN, weeks + 4), noise_seed=7)
    h = parse(raw)
    start = START + timedelta(days=7 * weeks)
    f = forecast_history(h, start, 28, ForecastSettings(method="weekday_mean", country=None))
    q = f.queues["q"]
    actual = h.calls["q"][7 * weeks : 7 * weeks + 28]
    open_days = q.calls.sum(axis=1) > 0
    inside = (actual >= q.calls_low) & (actual <= q.calls_high)
    assert 0.7 <= inside[open_days].mean() <= 0.95
    assert (q.calls_low <= q.calls).all() and (q.calls <= q.calls_high).all()


def test_days_without_data_are_filled_not_read_as_zero():
    totals = weekly(PATTERN, 12)
    for i in range(7 * 10, 7 * 11):  # a whole week lost
        totals[i] = None
    h = parse(history_csv(totals))
    start = START + timedelta(days=7 * 12)
    f = forecast_history(h, start, 7, ForecastSettings(method="weekday_mean", country=None))
    expected = [PATTERN[(start + timedelta(days=i)).weekday()] for i in range(7)]
    np.testing.assert_allclose(f.queues["q"].calls.sum(axis=1), expected, rtol=0.01)


def kz_week_pattern(weeks, closed_holidays=True):
    """Open Monday-Friday, closed on KZ holidays (rows of zeros) when asked."""
    from planner.forecast.calendar import public_holidays

    days = [START + timedelta(days=i) for i in range(7 * weeks)]
    hol = public_holidays("KZ", days)
    out = []
    for d in days:
        total = 1000.0 if d.weekday() < 5 else 0.0
        out.append(0.0 if (d in hol and closed_holidays) else total)
    return out


def test_holidays_closed_in_history_are_forecast_closed_and_the_day_after_is_marked():
    h = parse(history_csv(kz_week_pattern(60)))  # 2023-01-01 .. 2024-02-24: holidays closed
    start = date(2024, 3, 4)
    f = forecast_history(h, start, 28, ForecastSettings(method="weekday_mean"))
    q = f.queues["q"]
    daily = dict(zip(f.dates, q.calls.sum(axis=1), strict=True))
    assert daily[date(2024, 3, 8)] == 0  # International Women's Day, a Friday
    assert daily[date(2024, 3, 21)] == 0 and daily[date(2024, 3, 22)] == 0  # Nauryz
    assert daily[date(2024, 3, 7)] == pytest.approx(1000, rel=0.01)
    assert daily[date(2024, 3, 25)] == 0  # Nauryz observed (Monday)
    assert daily[date(2024, 3, 26)] == pytest.approx(1000, rel=0.01)  # the day after: factor 1
    assert "day after a closed day" in q.special[date(2024, 3, 26)]
    assert "Women" in q.special[date(2024, 3, 8)]


def test_a_line_that_works_on_holidays_keeps_working_on_them():
    h = parse(history_csv(kz_week_pattern(60, closed_holidays=False)))
    f = forecast_history(h, date(2024, 3, 4), 7, ForecastSettings(method="weekday_mean"))
    daily = dict(zip(f.dates, f.queues["q"].calls.sum(axis=1), strict=True))
    assert daily[date(2024, 3, 8)] == pytest.approx(1000, rel=0.01)


def test_special_days_override_the_calendar():
    table = b"date,queue,factor,note\n2024-03-08,q,1,open as usual\n2024-03-06,*,0.5,\n"
    table += b"2024-03-05,other,closed,not this queue\n2024-03-04,q,closed,move\n"
    special = parse_special_days(table, "sd.csv")
    h = parse(history_csv(kz_week_pattern(60)))
    settings = ForecastSettings(method="weekday_mean", special_days=special)
    f = forecast_history(h, date(2024, 3, 4), 7, settings)
    daily = dict(zip(f.dates, f.queues["q"].calls.sum(axis=1), strict=True))
    assert daily[date(2024, 3, 4)] == 0
    assert daily[date(2024, 3, 5)] == pytest.approx(1000, rel=0.01)
    assert daily[date(2024, 3, 6)] == pytest.approx(500, rel=0.01)
    assert daily[date(2024, 3, 8)] == pytest.approx(1000, rel=0.01)


def test_special_days_file_errors_are_named():
    with pytest.raises(SpecialDaysError) as info:
        parse_special_days(b"date,queue,factor\n2024-13-01,q,1\n2024-03-01,q,-2\n", "sd.csv")
    text = str(info.value)
    assert "row 2, date = '2024-13-01': must be a date" in text
    assert "row 3, factor = '-2': must be a number from 0 to 100, or 'closed'" in text


def test_too_short_a_history_is_refused():
    h = parse(history_csv(weekly(PATTERN, 1)))
    with pytest.raises(ValueError, match="at least two weeks"):
        forecast_history(h, START + timedelta(days=7), 7)


def test_forecast_table_columns():
    h = parse(history_csv(weekly(PATTERN, 12)))
    f = forecast_history(h, START + timedelta(days=84), 2, ForecastSettings(country=None))
    table = f.table()
    assert list(table.columns) == [
        "interval_start",
        "queue",
        "calls",
        "calls_p10",
        "calls_p90",
        "method",
    ]
    assert table["interval_start"].iloc[0] == "2023-03-26 09:00" and len(table) == 16
    assert isinstance(table, pd.DataFrame)


def test_the_backtest_intervals_are_the_chosen_methods_weeks_with_their_bands():
    h = parse(history_csv(weekly(PATTERN, 30), noise_seed=3))
    f = forecast_history(h, START + timedelta(days=210), 7, ForecastSettings(country=None))
    shown = f.backtest_intervals
    assert list(shown.columns) == [
        "queue",
        "interval_start",
        "actual",
        "calls",
        "calls_p10",
        "calls_p90",
    ]
    assert len(shown) == 12 * 7 * 8  # 12 weeks x 7 days with data (the weekend: zeros) x 8 h
    inside = (
        (shown["actual"] >= shown["calls_p10"]) & (shown["actual"] <= shown["calls_p90"])
    ).mean()
    chosen = f.backtest[f.backtest["chosen"]]
    assert inside == pytest.approx(chosen["coverage"].mean())
