"""Stopping a sweep, comparison or capacity search: the solves in flight end at once (not at
their time limit), the points not finished are reported ``STOPPED``, and the finished ones are
kept."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from planner.io.scenario_file import load_scenario, parse_scenario
from planner.study import (
    STOPPED,
    InProcess,
    LocalProcesses,
    capacity_search,
    compare_scenarios,
    sweep,
)
from tests.test_compare import TINY

REPO = Path(__file__).resolve().parents[1]
LONG = 60.0  # seconds per point: a solve that ran to its limit would far outlast the checks
PROMPT = 3.0  # seconds from the stop to the result, process start and teardown included


@pytest.fixture(scope="module")
def emergency():
    return load_scenario(REPO / "scenarios" / "emergency.yaml")


def _points() -> list[dict]:
    """A first point that solves in a second or two (one day, stop at a 50 % gap), then weeks
    that must prove optimality (gap 0): each would run its whole time limit."""
    quick = {"horizon.days": 1, "solver.relative_gap": 0.5}
    weeks = [{"solver.relative_gap": 0.0, "pools[borrowed].headcount": h} for h in (10, 20, 30)]
    return [quick, *weeks]


class _StopAfterFirst:
    """A progress callback that sets ``stop`` (after ``delay`` seconds) once a point is done."""

    def __init__(self, delay: float = 0.0):
        self.stop = threading.Event()
        self.delay = delay
        self.stopped_at: float | None = None

    def _set(self) -> None:
        self.stopped_at = time.perf_counter()
        self.stop.set()

    def __call__(self, progress) -> None:
        if self.stopped_at is not None or self.stop.is_set():
            return
        if self.delay:
            threading.Timer(self.delay, self._set).start()
        else:
            self._set()


def _check_stopped_after_first(result, stopper, ended):
    assert stopper.stopped_at is not None
    assert ended - stopper.stopped_at < PROMPT, "the solves in flight were waited for"
    first, *rest = result.points
    assert first.ok and first.kpis["status"] in ("OPTIMAL", "FEASIBLE") and first.kpis["cost"] > 0
    assert [p.kpis["status"] for p in rest] == [STOPPED] * 3
    assert [p.index for p in result.stopped] == [1, 2, 3] and result.failed == ()
    assert all(p.stopped and not p.ok and not p.failed for p in rest)
    assert "while it was being solved" in rest[0].error  # cut short, not waited for
    assert all("before it was solved" in p.error for p in rest[1:])
    table = result.table
    assert list(table["status"]) == [first.kpis["status"], STOPPED, STOPPED, STOPPED]
    assert table["cost"].notna().tolist() == [True, False, False, False]


def test_a_sweep_on_processes_stopped_after_its_first_point_ends_at_once(emergency):
    stopper = _StopAfterFirst()
    with LocalProcesses(2) as executor:
        result = sweep(
            emergency,
            _points(),
            executor=executor,
            time_limit_seconds=LONG,
            progress=stopper,
            stop=stopper.stop,
        )
        ended = time.perf_counter()
    # two workers: the second point was in flight when the first finished
    _check_stopped_after_first(result, stopper, ended)


def test_a_sweep_in_process_stops_the_solve_in_flight(emergency):
    stopper = _StopAfterFirst(delay=1.0)  # the second point's solve is under way by then
    result = sweep(
        emergency,
        _points(),
        executor=InProcess(),
        time_limit_seconds=LONG,
        progress=stopper,
        stop=stopper.stop,
    )
    _check_stopped_after_first(result, stopper, time.perf_counter())


def test_a_sweep_without_stop_is_unchanged_by_an_unset_event():
    base = parse_scenario(TINY, source="tiny")
    grid = {"pools[borrowed].headcount": [0, 4]}
    plain = sweep(base, grid, executor=InProcess()).table
    unset = sweep(base, grid, executor=InProcess(), stop=threading.Event()).table
    assert list(unset["status"]) == list(plain["status"]) and STOPPED not in set(plain["status"])
    assert list(unset["cost"]) == list(plain["cost"])


def test_a_comparison_stopped_keeps_the_scenarios_solved():
    base = parse_scenario(TINY, source="tiny")
    stopper = _StopAfterFirst()
    comparison = compare_scenarios(
        [base, base, base],
        labels=["a", "b", "c"],
        executor=InProcess(),
        progress=stopper,
        stop=stopper.stop,
    )
    assert [r.label for r in comparison.stopped] == ["b", "c"]
    assert list(comparison.kpis["status"])[1:] == [STOPPED, STOPPED]
    assert comparison.kpis["cost"].notna().tolist() == [True, False, False]


def test_a_capacity_search_stopped_says_so_and_keeps_what_it_solved():
    base = parse_scenario(TINY, source="tiny")
    stopper = _StopAfterFirst()
    answer = capacity_search(
        base,
        "pools[borrowed].headcount",
        low=0,
        high=12,
        step=1,
        want="smallest",
        executor=InProcess(),
        progress=stopper,
        stop=stopper.stop,
    )
    assert answer.outcome == "stopped" and answer.value is None
    assert answer.stopped_values == (12,)  # both ends are asked first: 0 solved, 12 stopped
    table = answer.evaluations
    assert list(table["pools[borrowed].headcount"]) == [0, 12]
    assert table["status"].iloc[0] != STOPPED and table["meets"].iloc[0] in (True, False)
    assert "stopped before the answer was found" in answer.summary()
    assert "12 stopped" in answer.summary()
