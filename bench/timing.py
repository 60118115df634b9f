"""Timing shared by the benchmarks: wall and CPU seconds (this process's, all threads) of one
run of some work, or of several."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def timed(run: Callable[[], T]) -> tuple[T, float, float]:
    """``run()``'s result, and its wall and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def repeated(work: Callable[[], object], repeats: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of ``repeats`` runs of ``work()``."""
    runs = [timed(work) for _ in range(repeats)]
    return [wall for _, wall, _ in runs], [cpu for _, _, cpu in runs]


def median_timed(work: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeats`` runs of ``work()``."""
    walls, cpus = repeated(work, repeats)
    return statistics.median(walls), statistics.median(cpus)
