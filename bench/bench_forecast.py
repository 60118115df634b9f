"""Benchmark of planner.forecast (prints its figures; not a timed test).

Run from the repository root::

    python bench/bench_forecast.py

``auto`` (every method backtested on 12 rolling one-week origins, the best picked per queue,
prediction intervals from the backtest) for a year ahead (366 days) of five queues at 15
minutes over 09:00-21:00, from two years of synthetic 15-minute history (weekly and yearly
seasonality, a trend, weekly level noise, Poisson calls, Kazakhstan's holidays closed on two
queues). Target: under 30 s. Prints wall and CPU time, the load average (``uptime``) before and
after, and each queue's chosen method and backtest WAPE.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.forecast import ForecastSettings, forecast_history  # noqa: E402
from planner.forecast.calendar import public_holidays  # noqa: E402
from planner.io.history import parse_history  # noqa: E402
from planner.profiles import profile_matrix  # noqa: E402
from planner.timegrid import TimeGrid  # noqa: E402

FIRST, YEARS, QUEUES = date(2024, 1, 1), 2, 5


def synthetic_history() -> bytes:
    rng = np.random.default_rng(6)
    days = 364 * YEARS
    grid = TimeGrid(FIRST, days, 9 * 60, 21 * 60, 15)
    shares = profile_matrix("bank_by_weekday", grid)
    holidays = public_holidays("KZ", grid.dates)
    t = np.arange(days)
    lines = ["interval_start,queue,calls"]
    stamps = [f"{d.isoformat()} {label}" for d in grid.dates for label in grid.interval_labels]
    for q in range(QUEUES):
        weekly = np.array([1.15, 1.0, 0.95, 0.95, 0.9, 0.5 if q % 2 else 0.0, 0.3 if q % 2 else 0])
        level = (800 + 400 * q) * (1 + 0.0004 * t) * (1 + 0.1 * np.sin(2 * np.pi * t / 365.25))
        level *= np.repeat(rng.normal(1.0, 0.04, days // 7 + 1), 7)[:days]
        total = level * weekly[[d.weekday() for d in grid.dates]]
        closed = np.array([d in holidays for d in grid.dates]) & (q % 2 == 0)
        calls = rng.poisson(np.where(closed, 0.0, total)[:, None] * shares).ravel()
        lines += [f"{s},q{q},{c}" for s, c in zip(stamps, calls, strict=True)]
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(
        f"{datetime.date.today()} commit {commit}; Python {platform.python_version()}, "
        f"numpy {np.__version__}, {os.cpu_count()} CPUs\nuptime before: {uptime}"
    )
    raw = synthetic_history()
    wall, cpu = time.perf_counter(), time.process_time()
    history = parse_history(raw, "synthetic", interval_minutes=15, window=(540, 1260))
    read_wall, read_cpu = time.perf_counter() - wall, time.process_time() - cpu
    start = FIRST + timedelta(days=364 * YEARS)
    wall, cpu = time.perf_counter(), time.process_time()
    result = forecast_history(history, start, 366, ForecastSettings(method="auto"))
    fc_wall, fc_cpu = time.perf_counter() - wall, time.process_time() - cpu
    rows = sum(len(h) for h in history.calls.values()) * history.intervals_per_day
    print(
        f"history: {len(raw) / 1e6:.1f} MB, {QUEUES} queues x {len(history.dates)} days x 48 "
        f"intervals ({rows:,} cells) read in {read_wall:.2f} s (CPU {read_cpu:.2f} s)"
    )
    print(
        f"auto, {QUEUES} queues x 366 days ahead, 12 backtest weeks x 4 methods: "
        f"{fc_wall:.1f} s wall, {fc_cpu:.1f} s CPU (target < 30 s)"
    )
    bt = result.backtest
    for name, f in result.queues.items():
        mine = bt[(bt["queue"] == name) & bt["chosen"]]
        print(
            f"  {name}: {f.method}, backtest WAPE {100 * mine['wape_interval'].mean():.2f} % "
            f"(day {100 * mine['wape_day'].mean():.2f} %), 80 % coverage "
            f"{100 * mine['coverage'].mean():.1f} %, open {','.join(f.open_weekdays)}"
        )
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"uptime after: {uptime}")


if __name__ == "__main__":
    main()
