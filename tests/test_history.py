"""History files (planner.io.history): aggregation, day status, and one named error per rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pytest

from planner.io.history import (
    DAY_CLOSED,
    DAY_NO_DATA,
    DAY_OPEN,
    HistoryError,
    load_history,
    parse_history,
)

MONDAY = datetime(2022, 1, 10)


def csv_rows(
    days=(0,), step=5, start="09:00", end="10:00", queue="q", calls=1, aht=None
) -> list[str]:
    h0, m0 = map(int, start.split(":"))
    h1, m1 = map(int, end.split(":"))
    rows = []
    for d in days:
        t = MONDAY + timedelta(days=d, hours=h0, minutes=m0)
        stop = MONDAY + timedelta(days=d, hours=h1, minutes=m1)
        while t < stop:
            row = f"{t:%Y-%m-%d %H:%M},{queue},{calls}"
            rows.append(row + (f",{aht}" if aht is not None else ""))
            t += timedelta(minutes=step)
    return rows


def parse(rows, header="interval_start,queue,calls", **kw):
    return parse_history(("\n".join([header, *rows]) + "\n").encode(), "h.csv", **kw)


def problems(rows, header="interval_start,queue,calls", **kw) -> str:
    with pytest.raises(HistoryError) as info:
        parse(rows, header, **kw)
    return str(info.value)


def test_five_minute_rows_are_summed_to_fifteen_minutes_in_the_window():
    h = parse(csv_rows(step=5, start="08:00", end="10:00"), window=(9 * 60, 10 * 60))
    assert h.source_interval_minutes == 5 and h.interval_minutes == 15
    np.testing.assert_array_equal(h.calls["q"], [[3.0, 3.0, 3.0, 3.0]])
    assert h.interval_labels == ["09:00", "09:15", "09:30", "09:45"]


def test_aht_is_weighted_by_calls():
    rows = ["2022-01-10 09:00,q,1,100", "2022-01-10 09:05,q,3,200", "2022-01-10 09:10,q,0,"]
    h = parse(rows, header="interval_start,queue,calls,aht_seconds", window=(540, 555))
    assert h.aht_seconds["q"][0, 0] == pytest.approx((100 + 600) / 4)


def test_days_without_rows_are_no_data_and_zero_days_are_closed():
    rows = csv_rows(days=(0, 3)) + csv_rows(days=(1,), calls=0)
    h = parse(rows, window=(540, 600))
    assert list(h.status["q"]) == [DAY_OPEN, DAY_CLOSED, DAY_NO_DATA, DAY_OPEN]
    assert h.dates == tuple(date(2022, 1, 10) + timedelta(days=i) for i in range(4))
    assert np.isnan(h.calls["q"][2]).all() and (h.calls["q"][1] == 0).all()
    assert h.until(date(2022, 1, 12)).dates[-1] == date(2022, 1, 11)


def test_timezone_suffix_and_iso_t_are_read_as_clock_time():
    rows = ["2003-03-03T09:00:00Z,q,4", "2003-03-03T09:15:00Z,q,5"]
    h = parse(rows, window=(540, 570))
    np.testing.assert_array_equal(h.calls["q"], [[4.0, 5.0]])


def test_bad_timestamp_is_named():
    text = problems(["2022-01-10 09:00,q,1", "10/01/2022 09:15,q,1", "yesterday,q,2"])
    assert "row 3, interval_start = '10/01/2022 09:15': must be a timestamp" in text
    assert "row 4, interval_start = 'yesterday'" in text


def test_negative_and_fractional_counts_are_named():
    text = problems(["2022-01-10 09:00,q,-3", "2022-01-10 09:15,q,2.5", "2022-01-10 09:30,q,x"])
    assert "row 2, calls = '-3': must be >= 0" in text
    assert "row 3, calls = '2.5': must be a whole number" in text
    assert "row 4, calls = 'x': must be a number" in text


def test_duplicates_are_named():
    text = problems(["2022-01-10 09:00,q,1", "2022-01-10 09:15,q,1", "2022-01-10 09:00,q,2"])
    assert "row 4, interval_start = '2022-01-10 09:00': appears twice for the same queue" in text


def test_gaps_are_named_with_the_missing_span():
    rows = csv_rows(step=15, end="12:00")
    del rows[3:5]  # 09:45 and 10:00
    text = problems(rows)
    assert "queue q, 2022-01-10 = '09:45-10:15': is a gap" in text


def test_mixed_interval_lengths_are_named():
    rows = csv_rows(days=(0,), step=5) + csv_rows(days=(1,), step=15)
    text = problems(rows)
    assert "mixes interval lengths" in text and "q 2022-01-11" in text


def test_off_grid_timestamps_and_bad_lengths_are_named():
    assert "whole 5-minute mark" in problems(["2022-01-10 09:07,q,1", "2022-01-10 09:15,q,1"])
    text = problems(["2022-01-10 09:00,q,1", "2022-01-10 09:10,q,1", "2022-01-10 09:20,q,1"])
    assert "rows 10 min apart': intervals must be 5, 15, 30, 60 min long" in text


def test_history_cannot_be_split_finer_than_its_own_intervals():
    text = problems(csv_rows(step=30, end="11:00"), interval_minutes=15)
    assert "cannot be summed to 15-min intervals" in text


def test_columns_are_checked():
    assert "missing column(s) ['calls']" in problems(["2022-01-10 09:00,q"], "interval_start,queue")
    text = problems(["2022-01-10 09:00,q,1,2"], "interval_start,queue,calls,agents")
    assert "unknown column(s)" in text


def test_several_queues_are_read_side_by_side():
    rows = csv_rows(queue="a", calls=2) + csv_rows(queue="b", calls=5)
    h = parse(rows, window=(540, 600))
    assert h.queues == ("a", "b")
    assert h.daily_totals("a")[0] == 24 and h.daily_totals("b")[0] == 60


def test_a_missing_file_is_a_history_error(tmp_path):
    with pytest.raises(HistoryError, match="cannot be read"):
        load_history(tmp_path / "nope.csv")
