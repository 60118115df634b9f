"""The event-driven core: one queue, one day, callers taken first come first served.

Numpy draws every random number of a queue-day at once (Poisson counts per interval, uniform
arrival times inside each interval, exponential handling times and patiences); one plain Python
loop then walks the callers in arrival order. Under FCFS a caller's fate depends only on the
callers ahead of her, and the times calls start service never decrease along the arrival order,
so no event list is needed beyond a heap of the times the agents present become free:

- at an interval boundary where the agents go up, the new agents are free from the boundary;
  where they go down, the agents who leave are the ones free soonest (idle agents first; a busy
  agent finishes the call in progress, then leaves). Equivalently, a waiting call starts only when
  fewer calls are in service than the interval's agents;
- a caller starts at the later of her arrival and the first free agent (crossing boundaries while
  no agent is free); she abandons if that wait exceeds her patience, else takes that agent;
- the line opens empty each day (no agent busy, nobody waiting). At the window's end the agents go
  to 0: calls in service finish, callers still waiting at the close are *unanswered at close*:
  offered, not answered, not abandoned (a caller whose patience ran out before the close counts
  as abandoned).
"""

from __future__ import annotations

import math
from heapq import heappop, heappush, heapreplace

import numpy as np

__all__ = [
    "ABANDONED",
    "UNANSWERED_AT_CLOSE",
    "draw_day",
    "run_day",
    "simulate_day",
    "tally_day",
]

ABANDONED = -1.0
"""Wait code of a caller who hung up before an agent took her."""
UNANSWERED_AT_CLOSE = -2.0
"""Wait code of a caller still waiting when the window closed."""

_INF = math.inf


def run_day(
    arrivals: list[float],
    handling: list[float],
    patience: list[float] | None,
    agents: list[int],
    interval_seconds: float,
) -> list[float]:
    """Each caller's wait in seconds (>= 0 answered), or :data:`ABANDONED` /
    :data:`UNANSWERED_AT_CLOSE`.

    Parameters
    ----------
    arrivals : list of float
        Arrival times in seconds since the window opened, non-decreasing.
    handling, patience : list of float
        Per caller; ``patience=None`` means nobody hangs up.
    agents : list of int
        Agents answering the queue in each interval of the day.
    interval_seconds : float
    """
    intervals = len(agents)
    day_end = intervals * interval_seconds
    heap: list[float] = []  # free-from times of the agents present
    n = 0  # agents present
    k = 0  # next boundary (start of interval k; k == intervals is the close)
    nb = 0.0  # its time
    waits = [0.0] * len(arrivals)

    def cross(n: int, k: int, nb: float) -> tuple[int, int, float]:
        """Cross boundary k (time nb): agents join free from it, or the soonest free leave."""
        m = agents[k] if k < intervals else 0
        if m > n:
            for _ in range(m - n):
                heappush(heap, nb)
        else:
            for _ in range(n - m):
                heappop(heap)
        k += 1
        return m, k, (k * interval_seconds if k <= intervals else _INF)

    for j, a in enumerate(arrivals):
        while nb <= a:
            n, k, nb = cross(n, k, nb)
        t = heap[0] if heap else _INF
        if t < a:
            t = a
        while t >= nb and k <= intervals:  # no agent free before the next boundary: cross it
            n, k, nb = cross(n, k, nb)
            t = heap[0] if heap else _INF
            if t < a:
                t = a
        limit = _INF if patience is None else patience[j]
        if t >= day_end:
            waits[j] = ABANDONED if a + limit < day_end else UNANSWERED_AT_CLOSE
        elif t - a > limit:
            waits[j] = ABANDONED
        else:
            waits[j] = t - a
            heapreplace(heap, t + handling[j])
    return waits


TALLIES = (
    "offered",
    "within",
    "answered",
    "abandoned",
    "unanswered",
    "wait_seconds",
    "handled_seconds",
    "agent_seconds",
)
"""Per-interval tallies of one queue-day, by arrival interval (``agent_seconds``: agents x
interval length; ``handled_seconds``: handling time of the answered calls)."""


def draw_day(
    rng: np.random.Generator,
    calls: np.ndarray,
    aht_seconds: np.ndarray,
    interval_seconds: float,
    patience_seconds: float | None,
    handling_cv: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """One queue-day's callers: ``(counts, slot, arrivals, handling, patience)``.

    ``counts`` are the Poisson counts per interval (means ``calls``); per caller in arrival
    order, ``slot`` is her interval, ``arrivals`` her arrival time (uniform inside the interval),
    ``handling`` exponential with the interval's AHT (or, with ``handling_cv``, lognormal with
    that mean and coefficient of variation: ``sigma^2 = ln(1 + cv^2)``, ``mu = ln(AHT) -
    sigma^2 / 2``) and ``patience`` exponential with mean ``patience_seconds`` (None if callers
    never hang up). Drawn in this order, always.
    """
    counts = rng.poisson(calls)
    total = int(counts.sum())
    slot = np.repeat(np.arange(len(calls)), counts)
    arrivals = np.sort((slot + rng.random(total)) * interval_seconds)
    if handling_cv is None:
        handling = rng.standard_exponential(total) * aht_seconds[slot]
    else:
        sigma2 = math.log1p(handling_cv * handling_cv)
        handling = aht_seconds[slot] * np.exp(
            math.sqrt(sigma2) * rng.standard_normal(total) - sigma2 / 2
        )
    patience = None
    if patience_seconds is not None:
        patience = rng.standard_exponential(total) * patience_seconds
    return counts, slot, arrivals, handling, patience


def tally_day(
    counts: np.ndarray,
    slot: np.ndarray,
    waits: np.ndarray,
    handling: np.ndarray,
    agent_seconds: np.ndarray,
    answer_within_seconds: float,
) -> np.ndarray:
    """Tallies of one queue-day, shape (len(TALLIES), intervals), float64, from each caller's
    wait code (see :func:`run_day`) and the agent time per interval."""
    intervals = len(counts)
    out = np.zeros((len(TALLIES), intervals))
    out[7] = agent_seconds
    if len(waits) == 0:
        return out
    answered = waits >= 0
    out[0] = counts
    out[1] = np.bincount(slot, answered & (waits <= answer_within_seconds), intervals)
    out[2] = np.bincount(slot, answered, intervals)
    out[3] = np.bincount(slot, waits == ABANDONED, intervals)
    out[4] = np.bincount(slot, waits == UNANSWERED_AT_CLOSE, intervals)
    out[5] = np.bincount(slot, np.where(answered, waits, 0.0), intervals)
    out[6] = np.bincount(slot, np.where(answered, handling, 0.0), intervals)
    return out


def simulate_day(
    rng: np.random.Generator,
    calls: np.ndarray,
    aht_seconds: np.ndarray,
    agents: np.ndarray,
    interval_seconds: float,
    answer_within_seconds: float,
    patience_seconds: float | None,
    handling_cv: float | None = None,
) -> np.ndarray:
    """One queue-day answered FCFS by its own agents: tallies of shape (len(TALLIES),
    intervals), float64 (callers from :func:`draw_day`, fates from :func:`run_day`)."""
    counts, slot, arrivals, handling, patience = draw_day(
        rng, calls, aht_seconds, interval_seconds, patience_seconds, handling_cv
    )
    waits = np.empty(0)
    if len(arrivals):
        waits = np.array(
            run_day(
                arrivals.tolist(),
                handling.tolist(),
                None if patience is None else patience.tolist(),
                agents.tolist(),
                interval_seconds,
            )
        )
    agent_seconds = agents * interval_seconds
    return tally_day(counts, slot, waits, handling, agent_seconds, answer_within_seconds)
