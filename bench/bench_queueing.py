"""Benchmark of planner.queueing.required_agents (prints its figures; not a timed test).

Run from the repository root::

    python bench/bench_queueing.py

Each figure is the median wall time of several repetitions. The plain-Python baseline solves
the same problems one interval at a time with scalar maths (the Erlang B recursion from 0 agents
and a step-up: Erlang C with its closed form, Erlang A with Palm's formulas and scipy's
incomplete gamma on scalars) on a subsample, scaled to the full size; the vectorised answers are
checked against it.
"""

from __future__ import annotations

import math
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scipy import special  # noqa: E402

from planner.queueing import required_agents  # noqa: E402

INTERVAL_SECONDS = 900.0  # 15-minute intervals
SERVICE_LEVEL, ANSWER_WITHIN_SECONDS = 0.8, 20.0  # 80/20
PATIENCE_SECONDS = 180.0
ERLANG_C_AHT_SECONDS = 300.0
QUEUE_AHT_SECONDS = (300.0, 420.0)  # consulting 5 min, emergency 7 min (DOMAIN.md)
PROFILE = ROOT / "planner" / "data" / "weekday_profile_15min.csv"  # 48 intervals, 09:00-21:00


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``repeats`` calls of ``run``, seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def loop_erlang_c_agents(calls: float, aht: float) -> int:
    """Scalar baseline: Erlang B recursion from 0 agents, stepping up until 80/20 is met."""
    a = calls * aht / INTERVAL_SECONDS
    if a == 0:
        return 0
    b, n = 1.0, 0
    while True:
        n += 1
        b = a * b / (n + a * b)
        if n > a:
            c = n * b / (n - a * (1.0 - b))
            if 1.0 - c * math.exp(-(n - a) * ANSWER_WITHIN_SECONDS / aht) >= SERVICE_LEVEL:
                return n


def loop_erlang_a_agents(calls: float, aht: float) -> int:
    """Scalar baseline: step up from 1 agent with the Erlang B recursion and Palm's formulas.

    Plain floats (no logs: the benchmark's loads are small enough not to overflow), with
    scipy's incomplete gamma called on scalars.
    """
    a = calls * aht / INTERVAL_SECONDS
    if a == 0:
        return 0
    ratio = PATIENCE_SECONDS / aht
    y, fall = a * ratio, math.exp(-ANSWER_WITHIN_SECONDS / PATIENCE_SECONDS)
    b, n = 1.0, 0
    while True:
        n += 1
        b = a * b / (n + a * b)
        x = n * ratio
        k = math.exp(y - x * math.log(y) + math.lgamma(x + 1.0))
        big_a = k * special.gammainc(x, y)
        dp = special.gammainc(x + 1.0, y) - special.gammainc(x + 1.0, y * fall)
        sl = ((1.0 - b) + b * k * dp * n / a) / ((1.0 - b) + b * big_a)
        if sl >= SERVICE_LEVEL:
            return n


def queue_calls(days: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Calls and AHT of two queues over ``days`` days of 48 intervals (09:00-21:00).

    The intraday shape is the shipped bank profile; daily volumes vary at random so that the
    busiest intervals reach about 80 Erlangs.
    """
    share = np.loadtxt(PROFILE, delimiter=",", skiprows=1, usecols=1)
    aht = np.array(QUEUE_AHT_SECONDS)[:, None, None]
    peak_calls = 80.0 * INTERVAL_SECONDS / aht  # calls giving 80 Erlangs
    daily = rng.uniform(0.3, 1.0, size=(2, days, 1)) * peak_calls / share.max()
    calls = daily * share[None, None, :]
    return calls.ravel(), np.broadcast_to(aht, calls.shape).ravel()


def main() -> None:
    rng = np.random.default_rng(20261125)
    rows = []

    calls = rng.uniform(0.0, 500.0, size=1_000_000) * INTERVAL_SECONDS / ERLANG_C_AHT_SECONDS

    def erlang_c() -> np.ndarray:
        return required_agents(
            calls, ERLANG_C_AHT_SECONDS, INTERVAL_SECONDS, SERVICE_LEVEL, ANSWER_WITHIN_SECONDS
        )

    seconds = median_seconds(erlang_c, 5)
    sample = calls[:5_000]
    loop = median_seconds(
        lambda: [loop_erlang_c_agents(c, ERLANG_C_AHT_SECONDS) for c in sample], 3
    )
    expected = [loop_erlang_c_agents(c, ERLANG_C_AHT_SECONDS) for c in sample]
    assert np.array_equal(erlang_c()[: sample.size], expected)
    rows.append(("Erlang C, 1,000,000 intervals, 0-500 Erlangs", seconds, 2.0, loop * 200))

    for days, target, repeats in ((7, 0.2, 9), (365, 5.0, 3)):
        calls_a, aht = queue_calls(days, rng)

        def erlang_a(calls_a: np.ndarray = calls_a, aht: np.ndarray = aht) -> np.ndarray:
            return required_agents(
                calls_a,
                aht,
                INTERVAL_SECONDS,
                SERVICE_LEVEL,
                ANSWER_WITHIN_SECONDS,
                patience_seconds=PATIENCE_SECONDS,
            )

        seconds = median_seconds(erlang_a, repeats)
        pick = np.linspace(0, calls_a.size - 1, 96).astype(int)

        def loop_a(pick: np.ndarray = pick, calls_a=calls_a, aht=aht) -> list[int]:
            return [
                loop_erlang_a_agents(c, h) for c, h in zip(calls_a[pick], aht[pick], strict=True)
            ]

        loop = median_seconds(loop_a, 1) * calls_a.size / pick.size
        assert np.array_equal(erlang_a()[pick], loop_a())
        label = f"Erlang A, {calls_a.size:,} intervals (2 queues x {days} days x 48), <= 80 Erl"
        rows.append((label, seconds, target, loop))

    print(f"python {platform.python_version()}, numpy {np.__version__}")
    width = max(len(row[0]) for row in rows)
    print(f"{'case':<{width}}  {'median s':>8}  {'target s':>8}  {'loop s':>8}  {'speed-up':>8}")
    for label, seconds, target, loop in rows:
        print(
            f"{label:<{width}}  {seconds:>8.3f}  {target:>8.1f}  {loop:>8.1f}  "
            f"{loop / seconds:>7.0f}x"
        )


if __name__ == "__main__":
    main()
