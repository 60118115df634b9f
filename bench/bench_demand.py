"""Benchmark of planner.demand.build_demand (prints its figures; not a timed test).

Run from the repository root::

    python bench/bench_demand.py

The scenario: a year (365 days) of 15-minute intervals over 09:00-21:00 for five queues, 87,600
rows, with every kind of demand source a scenario can use (calls per day, per weekday, by day,
the per-weekday bank profile, explicit shares) and every operation (three surges with ramp,
plateau, decay and end; self-service deflection; weekend and holiday closures). Each figure is
the median wall time of several calls; validation (``parse_scenario``) is timed separately,
since a user pays it once per file, not once per demand build.
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from planner.demand import build_demand  # noqa: E402
from planner.io.scenario_file import parse_scenario  # noqa: E402

START = date(2022, 1, 3)  # a Monday
DAYS = 365
REPEATS = 7


def year_of_five_queues() -> dict:
    """Scenario data: five queues, one year, every demand source and operation."""
    by_day = (1400 + 300 * np.sin(np.arange(DAYS) * 2 * np.pi / 365)).round(1).tolist()
    queues = [
        {"name": "consulting", "aht_seconds": 300, "self_service_share": 0.1},
        {"name": "emergency", "aht_seconds": 420},
        {"name": "signatures", "aht_seconds": 360},
        {"name": "benefits", "aht_seconds": 330},
        {"name": "callbacks", "aht_seconds": 240},
    ]
    queues[0]["demand"] = {"calls_per_weekday": {"mon": 1540, "tue": 1400, "wed": 1360}}
    queues[0]["demand"]["calls_per_weekday"] |= {"thu": 1330, "fri": 1370, "sat": 700}
    queues[1]["demand"] = {"calls_per_day": 200, "profile": "public_service"}
    queues[2]["demand"] = {"calls_by_day": by_day, "profile": "bank_by_weekday"}
    queues[3]["demand"] = {"calls_per_day": 800, "profile": [1.0 + (i % 7) for i in range(48)]}
    queues[4]["demand"] = {"calls_per_day": 150, "profile": "flat"}
    surges = [
        {"name": "emergency_wave", "queue": "emergency", "start_date": "2022-01-05"}
        | {"added_calls_per_day": 3050, "half_life_days": 4, "profile": "public_service"},
        {"name": "food_and_cash", "queue": "consulting", "start_date": "2022-01-05"}
        | {"peak_multiplier": 2.5, "half_life_days": 3, "duration_days": 60},
        {"name": "tax_deadline", "queue": "benefits", "start_date": "2022-03-20"}
        | {"start_time": "12:00", "ramp_up_days": 5, "plateau_days": 3, "peak_multiplier": 1.8}
        | {"half_life_days": 2, "duration_days": 20},
    ]
    holidays = [(START + timedelta(days=d)).isoformat() for d in (0, 66, 120, 180, 245, 350)]
    return {
        "schema_version": 1,
        "name": "Benchmark year",
        "horizon": {"start_date": START.isoformat(), "days": DAYS},
        "queues": queues,
        "surges": surges,
        "operating_modes": [
            {"name": "weekend", "weekdays": ["sun"], "closed_queues": ["consulting", "benefits"]},
            {"name": "holidays", "dates": holidays, "closed_queues": ["consulting", "signatures"]},
        ],
        "shift_templates": [{"name": "day_8h", "length_minutes": 480}],
        "pools": [
            {"name": "all", "skills": [q["name"] for q in queues], "headcount": 200}
            | {"shift_templates": ["day_8h"]}
        ],
    }


def median_seconds(run: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median wall time of ``repeats`` calls of ``run``, seconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    data = year_of_five_queues()
    scenario = parse_scenario(data, source="benchmark")
    demand = build_demand(scenario)
    rows = len(demand)
    assert rows == 5 * DAYS * 48, rows

    parse = median_seconds(lambda: parse_scenario(data, source="benchmark"))
    build = median_seconds(lambda: build_demand(scenario))
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(f"scenario: 5 queues x {DAYS} days x 48 intervals of 15 min = {rows:,} rows")
    print(f"  calls in the year: {demand['calls'].sum():,.0f}")
    print(f"build_demand:   {build * 1000:7.1f} ms (median of {REPEATS})")
    print(f"parse_scenario: {parse * 1000:7.1f} ms (median of {REPEATS}; validation, once a file)")


if __name__ == "__main__":
    main()
