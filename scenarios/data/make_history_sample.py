"""Write ``scenarios/data/history_sample.csv``: a synthetic history for the forecast examples.

Seventeen weeks (Monday 2021-09-13 to Sunday 2022-01-09, the eve of the shipped scenarios'
week) of 15-minute calls, 09:00-21:00, for two queues:
``consulting`` (Monday to Friday, about 1,400 calls a weekday, closed at weekends and on
Kazakhstan's public holidays) and ``emergency`` (every day, about 600 calls, fewer at
weekends, open on holidays). The intraday shape is the shipped bank weekday profile; calls are
Poisson around it, each week's level drawn about +-5 %. Synthetic, so it may ship with the
repository (the real data the tests use, fpp3's bank_calls, may not).

    python scenarios/data/make_history_sample.py      # same file every time (fixed seed)
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere
from planner.forecast.calendar import public_holidays
from planner.profiles import profile_matrix
from planner.timegrid import TimeGrid

OUT = Path(__file__).resolve().parent / "history_sample.csv"
FIRST, WEEKS = date(2021, 9, 13), 17
CONSULTING = {0: 1600, 1: 1450, 2: 1400, 3: 1350, 4: 1250}
EMERGENCY = {0: 700, 1: 650, 2: 620, 3: 600, 4: 580, 5: 380, 6: 350}


def main() -> None:
    rng = np.random.default_rng(2022)
    days = 7 * WEEKS
    grid = TimeGrid(FIRST, days, 9 * 60, 21 * 60, 15)
    shares = profile_matrix("bank_weekday", grid)
    holidays = public_holidays("KZ", grid.dates)
    week_level = rng.normal(1.0, 0.05, WEEKS)
    lines = ["interval_start,queue,calls,aht_seconds"]
    for queue, volumes, aht in (("consulting", CONSULTING, 300), ("emergency", EMERGENCY, 420)):
        for i, day in enumerate(grid.dates):
            total = volumes.get(day.weekday(), 0) * week_level[i // 7]
            if queue == "consulting" and day in holidays:
                total = 0.0
            calls = rng.poisson(total * shares[i])
            for label, c in zip(grid.interval_labels, calls, strict=True):
                handle = rng.normal(aht, 15) if c else ""
                handle = f"{handle:.0f}" if c else ""
                lines.append(f"{day.isoformat()} {label},{queue},{c},{handle}")
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(lines) - 1} rows, {FIRST} to {FIRST + timedelta(days=days - 1)})")


if __name__ == "__main__":
    main()
