"""Replications of a whole horizon, and the records they are summarised in.

Agents per queue and interval come as an array queues x days x intervals. Fractional agents
(the formulas' ``staffed x (1 - shrinkage)``) are made whole per interval at random with the
right mean: ``floor(x)`` agents, plus one with probability ``x - floor(x)``, drawn independently
for each interval and replication. This matches how :func:`planner.evaluate.service_metrics`
mixes the two whole numbers around ``x``.

Replications get independent generators spawned from one ``numpy.random.SeedSequence(seed)``,
and every queue-day draws in a fixed order, so the same inputs and seed give the same result
byte for byte.

Estimates across replications: the mean and the 95 % half-width ``1.96 x sd / sqrt(R)`` (normal
approximation; NaN with fewer than two replications). Per replication: service level = answered
within T / offered (abandons and calls unanswered at close count as failures), abandon rate =
abandoned / offered, ASA = mean wait of the answered calls, occupancy = handling time of the
answered calls / agent time (agents x interval length). A ratio with a zero denominator is NaN
and left out of the mean.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from planner.simulate.engine import TALLIES, draw_day, simulate_day, tally_day
from planner.simulate.shared import run_shared_day

__all__ = [
    "IntervalSummary",
    "QueueSummary",
    "SimulationResult",
    "interval_table",
    "simulate_queues",
    "simulate_shared",
    "whole_agents",
]

_WHOLE = 1e-9  # as planner.evaluate: within this of a whole number is that whole number
_Z95 = 1.959963984540054


@dataclass(frozen=True)
class QueueSummary:
    """Horizon figures of one queue: means across replications and 95 % CI half-widths.

    The counts are totals over all replications (``offered == answered + abandoned +
    unanswered_at_close``).
    """

    queue: str
    replications: int
    offered: int
    answered: int
    abandoned: int
    unanswered_at_close: int
    service_level: float
    service_level_ci95: float
    abandon_rate: float
    abandon_rate_ci95: float
    asa_seconds: float
    asa_seconds_ci95: float
    occupancy: float
    occupancy_ci95: float


@dataclass(frozen=True)
class IntervalSummary:
    """One queue, day and interval: mean offered calls, and the figures' means across the
    replications in which they are defined (calls offered; calls answered for ASA; agents for
    occupancy), NaN when none was; the service level's P10 and P90 across those replications."""

    queue: str
    day: int
    interval: int
    offered: float
    service_level: float
    service_level_p10: float
    service_level_p90: float
    abandon_rate: float
    asa_seconds: float
    occupancy: float
    service_level_ci95: float = float("nan")
    """95 % half-width of the mean service level (NaN with fewer than two replications that
    offered calls)."""


@dataclass(frozen=True)
class SimulationResult:
    """What :func:`simulate_queues` (or :func:`planner.simulate.simulate_plan`) returns."""

    seed: int
    replications: int
    shrinkage: str
    routing: str
    simulated_calls: int
    queues: tuple[QueueSummary, ...]
    intervals: tuple[IntervalSummary, ...]
    horizon: QueueSummary
    """Every queue together (``queue == "all"``): calls of all lines pooled per replication."""
    handling_cv: float | None = None
    """Lognormal handling times with this coefficient of variation; None: exponential."""

    def queue(self, name: str) -> QueueSummary:
        return next(q for q in self.queues if q.queue == name)


def whole_agents(rng: np.random.Generator, agents: np.ndarray) -> np.ndarray:
    """Fractional agents made whole with the right mean (see the module docstring)."""
    agents = np.asarray(agents, dtype=float)
    low = np.floor(agents + _WHOLE)
    fraction = np.where(agents - low > _WHOLE, agents - low, 0.0)
    return (low + (rng.random(agents.shape) < fraction)).astype(np.int64)


def simulate_queues(
    calls: np.ndarray,
    aht_seconds: np.ndarray,
    agents: np.ndarray | Callable[[np.random.Generator], np.ndarray],
    *,
    interval_seconds: float,
    answer_within_seconds,
    patience_seconds,
    replications: int = 30,
    seed: int = 0,
    queue_names: tuple[str, ...] | None = None,
    warmup_intervals: int = 0,
    shrinkage: str = "mean",
    handling_cv: float | None = None,
) -> SimulationResult:
    """Simulate queues over days, each answered first come first served by its own agents,
    ``replications`` times.

    Parameters
    ----------
    calls, aht_seconds : numpy.ndarray, shape (queues, days, intervals)
        Mean calls offered per interval and their mean handling time in seconds.
    agents : numpy.ndarray of the same shape, or callable
        Agents answering each queue per interval (fractions made whole per interval at random,
        see :func:`whole_agents`); or a function of a replication's agents' generator returning
        whole agents of that shape (e.g. absence drawn per day), called once per replication.
    answer_within_seconds, patience_seconds : sequence, one per queue
        The service target's T; the mean patience (None: callers never hang up).
    warmup_intervals : int
        Calls arriving in the first intervals of each day are simulated but left out of the
        horizon figures (for stationary comparisons).
    shrinkage : str
        Recorded in the result only.
    handling_cv : float, optional
        Handling times lognormal with this coefficient of variation (default: exponential,
        whose coefficient of variation is 1); see :func:`planner.simulate.engine.draw_day`.
    """
    calls = np.asarray(calls, dtype=float)
    aht_seconds = np.asarray(aht_seconds, dtype=float)
    n_queues, days, intervals = calls.shape

    def one(rng: np.random.Generator, agents_rng: np.random.Generator) -> np.ndarray:
        whole = agents(agents_rng) if callable(agents) else whole_agents(agents_rng, agents)
        out = np.empty((n_queues, len(TALLIES), days, intervals))
        for q in range(n_queues):
            patience = patience_seconds[q]
            for d in range(days):
                out[q, :, d] = simulate_day(
                    rng,
                    calls[q, d],
                    aht_seconds[q, d],
                    whole[q, d],
                    interval_seconds,
                    float(answer_within_seconds[q]),
                    None if patience is None else float(patience),
                    handling_cv,
                )
        return out

    names = queue_names or tuple(f"q{i}" for i in range(n_queues))
    tallies = _replicate(one, replications, seed)
    return _result(tallies, names, seed, shrinkage, "plan_split", warmup_intervals, handling_cv)


def simulate_shared(
    calls: np.ndarray,
    aht_seconds: np.ndarray,
    pool_agents: Callable[[np.random.Generator], np.ndarray],
    pool_queues: Sequence[Sequence[int]],
    line_share: np.ndarray,
    *,
    interval_seconds: float,
    answer_within_seconds,
    patience_seconds,
    queue_priority: Sequence[float] | None,
    replications: int = 30,
    seed: int = 0,
    queue_names: tuple[str, ...] | None = None,
    warmup_intervals: int = 0,
    shrinkage: str = "mean",
    handling_cv: float | None = None,
) -> SimulationResult:
    """Simulate queues answered by pools of agents shared between them
    (:func:`planner.simulate.shared.run_shared_day`), ``replications`` times.

    Parameters
    ----------
    calls, aht_seconds : numpy.ndarray, shape (queues, days, intervals)
    pool_agents : callable
        A replication's agents' generator -> whole agents present per pool, shape (pools,
        days, intervals); called once per replication.
    pool_queues : per pool, the queues it answers.
    line_share : numpy.ndarray, shape (pools, queues, days, intervals)
        The share of a pool's agents counted as a queue's agent time, for the queue's occupancy
        (e.g. the plan's allocation over the pool's agents on duty).
    queue_priority : per queue, or None
        ``priority`` routing (larger first); None: ``longest_waiting``.

    Other parameters as :func:`simulate_queues`.
    """
    calls = np.asarray(calls, dtype=float)
    aht_seconds = np.asarray(aht_seconds, dtype=float)
    n_queues, days, intervals = calls.shape
    patience_of = [None if p is None else float(p) for p in patience_seconds]

    def one(rng: np.random.Generator, agents_rng: np.random.Generator) -> np.ndarray:
        present = pool_agents(agents_rng)
        agent_seconds = (present[:, None] * line_share).sum(axis=0) * interval_seconds
        out = np.empty((n_queues, len(TALLIES), days, intervals))
        for d in range(days):
            drawn = [
                draw_day(
                    rng,
                    calls[q, d],
                    aht_seconds[q, d],
                    interval_seconds,
                    patience_of[q],
                    handling_cv,
                )
                for q in range(n_queues)
            ]
            arrivals = np.concatenate([x[2] for x in drawn])
            order = np.argsort(arrivals, kind="stable")
            queue_of = np.repeat(np.arange(n_queues), [len(x[2]) for x in drawn])
            handling = np.concatenate([x[3] for x in drawn])
            patience = np.concatenate(
                [np.full(len(x[2]), np.inf) if x[4] is None else x[4] for x in drawn]
            )
            merged = run_shared_day(
                queue_of[order].tolist(),
                arrivals[order].tolist(),
                handling[order].tolist(),
                patience[order].tolist(),
                present[:, d].tolist(),
                pool_queues,
                queue_priority,
                interval_seconds,
            )
            waits = np.empty(len(arrivals))
            waits[order] = merged
            start = 0
            for q, (counts, slot, arr, hand, _) in enumerate(drawn):
                stop = start + len(arr)
                out[q, :, d] = tally_day(
                    counts,
                    slot,
                    waits[start:stop],
                    hand,
                    agent_seconds[q, d],
                    float(answer_within_seconds[q]),
                )
                start = stop
        return out

    names = queue_names or tuple(f"q{i}" for i in range(n_queues))
    tallies = _replicate(one, replications, seed)
    routing = "priority" if queue_priority is not None else "longest_waiting"
    return _result(tallies, names, seed, shrinkage, routing, warmup_intervals, handling_cv)


def _replicate(one: Callable[..., np.ndarray], replications: int, seed: int):
    """Tallies of every replication (replications x queues x TALLIES x days x intervals).

    Each replication has its own child of ``SeedSequence(seed)``, spawned in two: the calls'
    generator and the agents' (absence, fractions made whole). So two plans of one scenario
    simulated with one seed meet the same callers, whatever their shifts: their difference is
    the plans', not the draws' (common random numbers).
    """
    if replications < 1:
        raise ValueError(f"replications = {replications}: must be >= 1")
    children = np.random.SeedSequence(seed).spawn(replications)
    return np.stack(
        [one(*(np.random.default_rng(s) for s in child.spawn(2))) for child in children]
    )


def _result(
    tallies, names, seed, shrinkage, routing, warmup_intervals, handling_cv
) -> SimulationResult:
    n_queues = tallies.shape[1]
    return SimulationResult(
        seed=seed,
        replications=tallies.shape[0],
        shrinkage=shrinkage,
        routing=routing,
        simulated_calls=int(tallies[:, :, 0].sum()),
        queues=tuple(
            _queue_summary(names[q], tallies[:, q, :, :, warmup_intervals:])
            for q in range(n_queues)
        ),
        intervals=_interval_summaries(names, tallies),
        horizon=_queue_summary("all", tallies[:, :, :, :, warmup_intervals:].sum(axis=1)),
        handling_cv=handling_cv,
    )


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _estimate(values: np.ndarray) -> tuple[float, float]:
    values = values[~np.isnan(values)]
    if values.size == 0:
        return float("nan"), float("nan")
    if values.size < 2:
        return float(values.mean()), float("nan")
    return float(values.mean()), float(_Z95 * values.std(ddof=1) / np.sqrt(values.size))


def _queue_summary(name: str, t: np.ndarray) -> QueueSummary:
    """``t``: tallies of one queue, shape (replications, TALLIES, days, intervals)."""
    s = t.sum(axis=(2, 3))  # replications x TALLIES
    offered, within, answered, abandoned, unanswered, wait, handled, agent_time = s.T
    sl = _estimate(_ratio(within, offered))
    ab = _estimate(_ratio(abandoned, offered))
    asa = _estimate(_ratio(wait, answered))
    occ = _estimate(_ratio(handled, agent_time))
    return QueueSummary(
        name,
        t.shape[0],
        int(offered.sum()),
        int(answered.sum()),
        int(abandoned.sum()),
        int(unanswered.sum()),
        *sl,
        *ab,
        *asa,
        *occ,
    )


def _interval_summaries(names, tallies: np.ndarray) -> tuple[IntervalSummary, ...]:
    offered = tallies[:, :, 0]  # replications x queues x days x intervals
    level = _ratio(tallies[:, :, 1], offered)
    seen = (~np.isnan(level)).any(axis=0)
    filled = np.where(seen[None], level, 0.0)  # all-NaN cells: no warnings, NaN put back below
    with np.errstate(invalid="ignore"):
        p10, p90 = np.nanpercentile(filled, [10, 90], axis=0)
    p10, p90 = np.where(seen, p10, np.nan), np.where(seen, p90, np.nan)
    mean_offered = offered.mean(axis=0)
    means = [
        _nanmean(level),
        _nanmean(_ratio(tallies[:, :, 3], offered)),
        _nanmean(_ratio(tallies[:, :, 5], tallies[:, :, 2])),
        _nanmean(_ratio(tallies[:, :, 6], tallies[:, :, 7])),
    ]
    count = (~np.isnan(level)).sum(axis=0)
    deviation = np.where(np.isnan(level), 0.0, level - np.nan_to_num(means[0]))
    variance = (deviation**2).sum(axis=0) / np.maximum(count - 1, 1)
    half = np.where(count >= 2, _Z95 * np.sqrt(variance / np.maximum(count, 1)), np.nan)
    _, n_queues, days, intervals = offered.shape
    return tuple(
        IntervalSummary(
            names[q],
            d,
            i,
            float(mean_offered[q, d, i]),
            float(means[0][q, d, i]),
            float(p10[q, d, i]),
            float(p90[q, d, i]),
            *(float(m[q, d, i]) for m in means[1:]),
            float(half[q, d, i]),
        )
        for q in range(n_queues)
        for d in range(days)
        for i in range(intervals)
    )


def _nanmean(values: np.ndarray) -> np.ndarray:
    """Mean over the replications (axis 0) of the defined values; NaN where none is."""
    seen = ~np.isnan(values)
    total = np.where(seen, values, 0.0).sum(axis=0)
    count = seen.sum(axis=0)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


FIGURES = ("service_level", "abandon_rate", "asa_seconds", "occupancy")
"""The simulated figures, each with a 95 % confidence interval."""


def interval_table(result: SimulationResult, grid) -> pd.DataFrame:
    """Per queue, day and interval (``sim_coverage.csv``): ``day, interval_start, queue,
    offered``, the figures' means, and the service level's P10 and P90 across replications."""
    return pd.DataFrame(
        [
            {
                "day": grid.dates[s.day],
                "interval_start": grid.interval_labels[s.interval],
                "queue": s.queue,
                "offered": s.offered,
                "service_level": s.service_level,
                "service_level_p10": s.service_level_p10,
                "service_level_p90": s.service_level_p90,
                "abandon_rate": s.abandon_rate,
                "asa_seconds": s.asa_seconds,
                "occupancy": s.occupancy,
            }
            for s in result.intervals
        ]
    )


def simulation_document(result: SimulationResult) -> dict:
    """The simulation's settings and figures as JSON-ready data (``simulation.json``, and
    ``kpis.json``'s ``simulated`` section): per queue and for the horizon (``all``), each figure
    with its 95 % half-width (``_ci95``) and interval (``_ci95_low``, ``_ci95_high``; rates
    clipped to 0-1). NaN and infinity become None."""

    def clean(value):
        return None if isinstance(value, float) and not math.isfinite(value) else value

    def summary(q: QueueSummary) -> dict:
        out = {k: clean(v) for k, v in asdict(q).items()}
        for name in FIGURES:
            mean, half = getattr(q, name), getattr(q, f"{name}_ci95")
            low, high = mean - half, mean + half
            if name != "asa_seconds":
                low, high = max(low, 0.0), min(high, 1.0)
            out[f"{name}_ci95_low"] = clean(low)
            out[f"{name}_ci95_high"] = clean(high)
        return out

    return {
        "seed": result.seed,
        "seeds": (
            "numpy.random.SeedSequence(seed).spawn(replications), each child spawned in two: "
            "the calls' generator and the agents'"
        ),
        "replications": result.replications,
        "shrinkage": result.shrinkage,
        "routing": result.routing,
        "handling": "exponential"
        if result.handling_cv is None
        else f"lognormal, coefficient of variation {result.handling_cv:g}",
        "simulated_calls": result.simulated_calls,
        "queues": [summary(q) for q in result.queues],
        "horizon": summary(result.horizon),
    }
