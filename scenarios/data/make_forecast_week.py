"""Write ``forecast_week.csv``: a normal consulting week as a per-interval forecast.

The week of 10-16 January 2022 (Monday to Sunday), 09:00-21:00 in 15-minute intervals, one queue
(``consulting``). Run from anywhere; it writes next to itself unless ``--out`` is given::

    python scenarios/data/make_forecast_week.py [--out PATH]

How the figures are made
------------------------
Calls, Monday to Friday
    The measured mean calls per 15 minutes of each weekday (columns ``mean_monday`` ...
    ``mean_friday`` of ``planner/data/weekday_profile_15min.csv``, a real bank's call centre,
    2003), all scaled by one factor so that the mean weekday has 1,400 calls (the 1414 centre's
    2021 average). One factor keeps the bank's own weekday pattern: Monday is busiest (about
    1,590), Thursday quietest (about 1,320).
Calls, Saturday and Sunday
    700 and 500 calls (as in ``scenarios/baseline.yaml``), shaped by the all-weekday mean
    (``mean_calls``): the data has no weekend, so the weekday shape is the assumption.
Handling time
    300 s on average (5 min including wrap-up), varying +-4 % over the day as
    ``300 x (1 + 0.04 cos(2 pi (h - 9) / 12))`` at the interval midpoint h (hours): longest at
    opening and closing (first-time registrations walked through step by step in the morning,
    longer wrap-up late in the day), shortest mid-afternoon. Rounded to whole seconds.

Calls are rounded to 0.01 (a forecast is an expected value, not a count). The output depends only
on the profile file, so running this again reproduces the committed CSV byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import math
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROFILE = HERE.parents[1] / "planner" / "data" / "weekday_profile_15min.csv"

FIRST_DAY = date(2022, 1, 10)  # a Monday
WEEKDAY_COLUMNS = ("mean_monday", "mean_tuesday", "mean_wednesday", "mean_thursday", "mean_friday")
MEAN_WEEKDAY_CALLS = 1400.0
WEEKEND_CALLS = {5: 700.0, 6: 500.0}  # date.weekday(): Saturday, Sunday
MEAN_AHT_SECONDS = 300.0
AHT_SWING = 0.04
INTERVAL_MINUTES = 15


def read_profile(path: Path = PROFILE) -> dict[str, list[float]]:
    """Columns of the bank profile, plus ``interval_start`` labels, as lists."""
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    columns = {name: [float(r[name]) for r in rows] for name in (*WEEKDAY_COLUMNS, "mean_calls")}
    columns["interval_start"] = [r["interval_start"] for r in rows]
    return columns


def aht_seconds(interval_start: str) -> int:
    """Handling time of calls arriving in the interval starting at ``"HH:MM"``."""
    hours, minutes = (int(p) for p in interval_start.split(":"))
    midpoint = hours + (minutes + INTERVAL_MINUTES / 2) / 60
    return round(MEAN_AHT_SECONDS * (1 + AHT_SWING * math.cos(2 * math.pi * (midpoint - 9) / 12)))


def forecast_rows(profile: dict[str, list[float]]) -> list[tuple[str, str, str, str, int]]:
    """Rows ``(day, interval_start, queue, calls, aht_seconds)`` for the seven days."""
    weekday_totals = [sum(profile[c]) for c in WEEKDAY_COLUMNS]
    scale = MEAN_WEEKDAY_CALLS / (sum(weekday_totals) / len(weekday_totals))
    rows = []
    for offset in range(7):
        day = FIRST_DAY + timedelta(days=offset)
        if day.weekday() < 5:
            calls = [scale * v for v in profile[WEEKDAY_COLUMNS[day.weekday()]]]
        else:
            shape = profile["mean_calls"]
            calls = [WEEKEND_CALLS[day.weekday()] * v / sum(shape) for v in shape]
        for label, c in zip(profile["interval_start"], calls, strict=True):
            rows.append((day.isoformat(), label, "consulting", f"{c:.2f}", aht_seconds(label)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "forecast_week.csv")
    args = parser.parse_args()
    rows = forecast_rows(read_profile())
    with args.out.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("day", "interval_start", "queue", "calls", "aht_seconds"))
        writer.writerows(rows)
    print(f"wrote {args.out} ({len(rows)} rows)")


if __name__ == "__main__":
    main()
