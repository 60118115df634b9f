"""The event-driven core for agents shared between queues: one day, every queue and pool at once.

A pool's agents answer every queue the pool serves; which waiting call a free agent takes is the
routing policy's choice:

``priority``
    The waiting call of the highest-priority queue (``queues[].priority``, larger first); between
    queues of equal priority, the call that has waited longest.
``longest_waiting``
    The call that has waited longest among the queues the agent serves.

Within a queue calls are taken first come first served. A call arriving while several pools have
a free agent goes to the most specialised of them (fewest queues served; then scenario order), so
flexible agents stay free for the calls only they can take.

Events are walked in time order: arrivals (drawn before the walk), interval boundaries and call
completions (a heap). A waiting caller hangs up at her arrival plus her patience; she is found out
lazily, when an agent looks at her queue (a caller whose patience ran out before the agent looked
is abandoned, as in :func:`planner.simulate.engine.run_day`). Agents per pool and interval change
only at boundaries: joining agents are free from the boundary (and take a waiting call at once);
leaving agents are the idle ones first, then the busy ones whose calls end soonest, each
finishing the call in progress before leaving. The line opens empty; at the close the agents
leave the same way, and callers still waiting are abandoned if their patience ran out before the
close, else unanswered at close. With one pool serving one queue this is exactly
:func:`~planner.simulate.engine.run_day`.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from heapq import heappop, heappush

from planner.simulate.engine import ABANDONED, UNANSWERED_AT_CLOSE

__all__ = ["ROUTING_POLICIES", "run_shared_day"]

ROUTING_POLICIES = ("priority", "longest_waiting", "plan_split")
"""How a flexible pool's agents choose calls: see the module docstring. ``plan_split`` (agents
answer the queue the plan allocated them to) is :func:`~planner.simulate.engine.run_day` per
queue."""

_INF = math.inf


def run_shared_day(
    queue_of: Sequence[int],
    arrivals: Sequence[float],
    handling: Sequence[float],
    patience: Sequence[float],
    pool_agents: Sequence[Sequence[int]],
    pool_queues: Sequence[Sequence[int]],
    queue_priority: Sequence[float] | None,
    interval_seconds: float,
) -> list[float]:
    """Each caller's wait in seconds (>= 0 answered), or ``ABANDONED`` / ``UNANSWERED_AT_CLOSE``.

    Parameters
    ----------
    queue_of, arrivals, handling, patience : sequences, one entry per caller
        The caller's queue, arrival time (seconds since the window opened, non-decreasing over
        all queues), handling time, and patience (``math.inf``: never hangs up).
    pool_agents : pools x intervals
        Whole agents of each pool present in each interval.
    pool_queues : per pool
        The queues its agents answer.
    queue_priority : per queue, or None
        ``priority`` routing: larger is taken first; ``None``: ``longest_waiting``.
    interval_seconds : float
    """
    n_pools = len(pool_agents)
    intervals = len(pool_agents[0]) if n_pools else 0
    n_queues = len(queue_priority) if queue_priority is not None else 1 + max(queue_of, default=0)
    n_queues = max(n_queues, 1 + max((q for qs in pool_queues for q in qs), default=-1))
    day_end = intervals * interval_seconds
    # A call's candidate pools, most specialised first.
    order = sorted(range(n_pools), key=lambda p: (len(pool_queues[p]), p))
    queue_pools = [[p for p in order if q in pool_queues[p]] for q in range(n_queues)]
    # Per pool, its queues sorted for the policy: by priority (larger first), else as given.
    if queue_priority is not None:
        ranked = [sorted(qs, key=lambda q: -queue_priority[q]) for qs in pool_queues]
    else:
        ranked = [list(qs) for qs in pool_queues]
    free = [0] * n_pools
    busy = [0] * n_pools
    leaving = [0] * n_pools
    waiting = [deque() for _ in range(n_queues)]
    heap: list[list] = []  # [completion time, pool, leaves afterwards]
    waits = [0.0] * len(arrivals)

    def take(p: int, now: float) -> bool:
        """A free agent of pool p takes a waiting call at ``now``, if any; True if it did."""
        best = -1
        best_key = None
        for q in ranked[p]:
            dq = waiting[q]
            while dq and arrivals[dq[0]] + patience[dq[0]] < now:
                waits[dq.popleft()] = ABANDONED
            if not dq:
                continue
            head = arrivals[dq[0]]
            if queue_priority is not None:
                key = (-queue_priority[q], head)
                if best < 0 or key < best_key:
                    best, best_key = q, key
            elif best < 0 or head < best_key:
                best, best_key = q, head
        if best < 0:
            return False
        j = waiting[best].popleft()
        waits[j] = now - arrivals[j]
        busy[p] += 1
        heappush(heap, [now + handling[j], p, False])
        return True

    k = 0  # next boundary (start of interval k; k == intervals is the close)
    nb = 0.0
    j = 0
    n_calls = len(arrivals)
    while True:
        ta = arrivals[j] if j < n_calls else _INF
        tc = heap[0][0] if heap else _INF
        if nb <= ta and nb <= tc:
            if k == intervals:  # the close: nobody waiting is answered any more
                for dq in waiting:
                    for i in dq:
                        late = arrivals[i] + patience[i] < day_end
                        waits[i] = ABANDONED if late else UNANSWERED_AT_CLOSE
                break
            for p in range(n_pools):
                m = pool_agents[p][k]
                n = free[p] + busy[p] - leaving[p]
                if m > n:
                    for _ in range(m - n):
                        if not take(p, nb):
                            free[p] += 1
                elif m < n:
                    drop = n - m
                    idle = min(free[p], drop)
                    free[p] -= idle
                    if drop > idle:  # busy agents finishing soonest leave after their call
                        staying = sorted(e for e in heap if e[1] == p and not e[2])
                        for e in staying[: drop - idle]:
                            e[2] = True
                        leaving[p] += drop - idle
            k += 1
            nb = k * interval_seconds
        elif tc <= ta:
            t, p, leaves = heappop(heap)
            busy[p] -= 1
            if leaves:
                leaving[p] -= 1
            elif not take(p, t):
                free[p] += 1
        else:
            q = queue_of[j]
            for p in queue_pools[q]:
                if free[p]:
                    free[p] -= 1
                    busy[p] += 1
                    waits[j] = 0.0
                    heappush(heap, [ta + handling[j], p, False])
                    break
            else:
                waiting[q].append(j)
            j += 1
    return waits
