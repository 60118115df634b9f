"""Erlang A against a discrete-event simulation of the M/M/n+M queue.

The simulation shares no code or formula with planner.queueing: callers arrive at Poisson
times, each brings an exponential handling time and an exponential patience, and agents take
callers first come first served. A caller whose wait would exceed her patience hangs up and
never takes an agent. Estimates are compared with the exact formulas within four standard
errors (batch means over consecutive callers).
"""

from __future__ import annotations

import heapq

import numpy as np
import pytest

from planner.queueing import erlang_a_metrics

SEED = 20261125


def simulate(
    agents: int,
    calls_per_second: float,
    aht_seconds: float,
    patience_seconds: float,
    answer_within_seconds: float,
    callers: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Per-caller outcomes of an FCFS M/M/n+M queue started empty.

    Under FCFS a caller's wait depends only on callers ahead of her, so callers are taken in
    arrival order: she would start at max(arrival, earliest time an agent is free); if that
    wait exceeds her patience she hangs up (the agents' free times are unchanged), else the
    earliest-free agent serves her.
    """
    arrivals = np.cumsum(rng.exponential(1.0 / calls_per_second, callers))
    handling = rng.exponential(aht_seconds, callers)
    patience = rng.exponential(patience_seconds, callers)
    free_at = [0.0] * agents
    busy_on_arrival = np.zeros(callers, dtype=bool)
    answered = np.zeros(callers, dtype=bool)
    wait = np.zeros(callers)
    for i, (arrival, service, limit) in enumerate(
        zip(arrivals.tolist(), handling.tolist(), patience.tolist(), strict=True)
    ):
        earliest = free_at[0]
        waited = max(earliest - arrival, 0.0)
        busy_on_arrival[i] = earliest > arrival
        if waited <= limit:
            answered[i] = True
            wait[i] = waited
            heapq.heapreplace(free_at, arrival + waited + service)
    return {
        "p_wait": busy_on_arrival,
        "p_abandon": ~answered,
        "service_level": answered & (wait <= answer_within_seconds),
        "wait": wait,
        "answered": answered,
    }


def batch_mean_and_error(values: np.ndarray, batches: int = 40) -> tuple[float, float]:
    """Mean of ``values`` and its standard error from the means of consecutive batches."""
    means = np.array([b.mean() for b in np.array_split(values, batches)])
    return float(values.mean()), float(means.std(ddof=1) / np.sqrt(batches))


@pytest.mark.parametrize(
    ("agents", "calls", "aht", "patience", "t"),
    [
        (10, 110, 180, 120, 20),  # overloaded (11 Erlangs on 10 agents): abandonment carries it
        (12, 100, 180, 300, 20),  # 10 Erlangs on 12 agents
        (4, 70, 300, 60, 10),  # small team, impatient callers, patience < AHT
    ],
)
def test_erlang_a_agrees_with_simulation(agents, calls, aht, patience, t):
    interval = 1800.0
    rng = np.random.default_rng(SEED + agents)
    warm_up, kept = 5_000, 400_000
    out = simulate(agents, calls / interval, aht, patience, t, warm_up + kept, rng)
    out = {name: values[warm_up:] for name, values in out.items()}
    exact = erlang_a_metrics(agents, calls, aht, interval, t, patience)

    for name in ("p_wait", "p_abandon", "service_level"):
        mean, error = batch_mean_and_error(out[name].astype(float))
        assert abs(mean - float(getattr(exact, name))) <= 4 * error, (name, mean, error)

    answered = out["answered"]
    mean, error = batch_mean_and_error(out["wait"][answered])
    assert abs(mean - float(exact.asa_seconds)) <= 4 * error, ("asa", mean, error)
    within = out["service_level"][answered].astype(float)
    mean, error = batch_mean_and_error(within)
    assert abs(mean - float(exact.service_level_answered)) <= 4 * error, ("sl answered", mean)
