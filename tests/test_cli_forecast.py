"""``python -m planner forecast`` through planner.cli.main: files written, bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from planner.cli import main

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "scenarios" / "data" / "history_sample.csv"


def test_forecast_writes_the_forecast_and_the_backtest(tmp_path, capsys):
    out, backtest = tmp_path / "f.csv", tmp_path / "bt.csv"
    code = main(
        [
            "forecast",
            str(SAMPLE),
            "--start",
            "2021-12-27",
            "--days",
            "14",
            "--method",
            "weekday_mean",
            "--backtest-weeks",
            "4",
            "--out",
            str(out),
            "--backtest",
            str(backtest),
        ]
    )
    assert code == 0
    table = pd.read_csv(out)
    assert list(table.columns) == [
        "interval_start",
        "queue",
        "calls",
        "calls_p10",
        "calls_p90",
        "method",
    ]
    assert len(table) == 2 * 14 * 48 and set(table["queue"]) == {"consulting", "emergency"}
    jan3 = table[table["interval_start"].str.startswith("2022-01-03")]  # a Monday off
    assert jan3.loc[jan3["queue"] == "consulting", "calls"].sum() == 0  # closed on holidays
    assert jan3.loc[jan3["queue"] == "emergency", "calls"].sum() > 300  # open on holidays
    bt = pd.read_csv(backtest)
    assert set(bt.columns) >= {"method", "week_start", "wape_interval", "wape_day", "mase"}
    assert len(bt) == 2 * 4
    text = capsys.readouterr().out
    assert "consulting: open mon, tue, wed, thu, fri" in text
    assert "2022-01-03 Mon: New Year's Day (observed) / Новый год (factor 0.00)" in text
    assert "2022-01-07 Fri: Orthodox Christmas / Православное Рождество (factor 0.00)" in text
    assert "2022-01-05 Wed: day after a closed day" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2025-13-01", "--days", "7"], "is not a date"),
        (["--start", "2021-12-27", "--days", "0"], "from 1 to 366"),
        (["--start", "2021-12-27", "--days", "7", "--window", "21:00-09:00"], "end after"),
        (["--start", "2021-09-20", "--days", "7"], "at least two weeks"),
        (["--start", "2021-12-27", "--days", "7", "--country", "XX"], "not a country code"),
        (["--start", "2021-12-27", "--days", "7", "--method", "arima"], "must be one of auto"),
    ],
)
def test_bad_flags_exit_2_with_a_message(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as info:  # argparse's own errors exit 2 too
        code = main(["forecast", str(SAMPLE), *args, "--out", str(tmp_path / "f.csv")])
        raise SystemExit(code)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "f.csv").exists()


def test_bad_history_and_special_days_exit_2(tmp_path, capsys):
    bad = tmp_path / "h.csv"
    bad.write_text("interval_start,queue,calls\n2025-01-06 09:00,q,-1\n")
    assert (
        main(
            [
                "forecast",
                str(bad),
                "--start",
                "2025-02-01",
                "--days",
                "7",
                "--out",
                str(tmp_path / "f.csv"),
            ]
        )
        == 2
    )
    assert "row 2, calls = -1: must be >= 0" in capsys.readouterr().err
    special = tmp_path / "s.csv"
    special.write_text("date,queue,factor\n2025-12-31,consulting,lots\n")
    code = main(
        [
            "forecast",
            str(SAMPLE),
            "--start",
            "2021-12-27",
            "--days",
            "7",
            "--special-days",
            str(special),
            "--out",
            str(tmp_path / "f.csv"),
        ]
    )
    assert code == 2
    assert "row 2, factor = 'lots'" in capsys.readouterr().err
    assert (
        main(
            [
                "forecast",
                str(tmp_path / "none.csv"),
                "--start",
                "2021-12-27",
                "--days",
                "7",
                "--out",
                str(tmp_path / "f.csv"),
            ]
        )
        == 2
    )
    assert "cannot be read" in capsys.readouterr().err


def _forecast_saving(tmp_path, db: str, *extra: str) -> int:
    args = ["forecast", str(SAMPLE), "--start", "2021-12-27", "--days", "7"]
    args += ["--method", "weekday_mean", "--backtest-weeks", "2", *extra]
    return main([*args, "--save", "--db", db, "--author", "ann"])


def test_forecast_save_keeps_history_settings_and_files_shown_and_exported(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'planner.db'}"
    special = tmp_path / "special.csv"
    special.write_text("date,queue,factor,note\n2021-12-29,consulting,1.5,campaign\n")
    out, backtest = tmp_path / "f.csv", tmp_path / "bt.csv"
    extra = ["--special-days", str(special), "--backtest", str(backtest), "--note", "w52"]
    assert _forecast_saving(tmp_path, db, *extra, "--out", str(out)) == 0
    assert f"saved forecast f1 in {db}" in capsys.readouterr().out
    assert _forecast_saving(tmp_path, db, "--window", "08:00-20:00", "--out", str(out)) == 0
    assert "saved forecast f2" in capsys.readouterr().out
    assert main(["forecasts", "list", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert "f2" in listed and "f1" in listed and "history_sample.csv" in listed
    assert main(["forecasts", "show", "f1", "--db", db]) == 0
    shown = capsys.readouterr().out
    assert "note: w52" in shown and "special days: special.csv" in shown
    assert "method weekday_mean, start 2021-12-27, days 7, interval_minutes 15" in shown
    assert "window 09:00-21:00, country KZ" in shown and "consulting  weekday_mean" in shown
    assert main(["export", "f1", "--out", str(tmp_path / "x"), "--db", db]) == 0
    assert (tmp_path / "x" / "history.csv").read_bytes() == SAMPLE.read_bytes()
    assert (tmp_path / "x" / "backtest.csv").read_bytes() == backtest.read_bytes()
    assert (tmp_path / "x" / "special_days.csv").read_bytes() == special.read_bytes()
    document = json.loads((tmp_path / "x" / "forecast.json").read_text())
    assert document["settings"]["special_days"] == str(special)
    assert document["summary"]["queues"]["consulting"]["method"] == "weekday_mean"
    assert main(["export", "f2", "--out", str(tmp_path / "y"), "--db", db]) == 0
    assert (tmp_path / "y" / "forecast.csv").read_bytes() == out.read_bytes()  # the second run
    assert not (tmp_path / "y" / "backtest.csv").exists()
    assert json.loads((tmp_path / "y" / "forecast.json").read_text())["settings"]["window"] == (
        "08:00-20:00"
    )
    from planner.store import Store

    with Store(db) as store:  # one history, stored once
        assert store.forecast(1).history_sha256 == store.forecast(2).history_sha256


def test_forecast_save_to_an_unreachable_database_forecasts_nothing(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'no' / 'such' / 'planner.db'}"
    assert _forecast_saving(tmp_path, db, "--out", str(tmp_path / "f.csv")) == 2
    assert "no/such" in capsys.readouterr().err
    assert not (tmp_path / "f.csv").exists()
