"""Staffing requirement: agents needed per queue and interval to meet the service targets.

For each queue and interval the requirement is found in two steps (DOMAIN.md, "Staffing order"):

1. ``agents_on_phones`` N: the smallest integer number of agents answering calls that meets every
   target of the queue (service level, and where set abandonment, ASA and occupancy), by Erlang A
   when the queue has a patience, else by Erlang C (:func:`planner.queueing.required_agents`);
2. ``required_agents``: agents to have on duty, ``ceil(N / (1 - shrinkage))``, where shrinkage is
   the share of on-duty time lost to what the optimiser does not place itself (absence, training,
   unplanned short breaks). Breaks written in shift templates are placed by the optimiser and must
   not be counted in the shrinkage as well.

Each queue is staffed on its own: a requirement is never the rounded sum of several queues'.

Steep ramps
-----------
Staffing each interval on its own load (SIPP) under-staffs when the load rises steeply, because
calls that arrived in the previous interval are still being served. Green, Kolesar and Soares
(2001) show that staffing each interval on the load of an interval lagged by about one mean
service time fixes most of it. With ``staffing_lag_seconds`` = L > 0 the effective offered load
of an interval is the mean load over the same interval shifted back by L (zero before the window
opens, since the line is closed then).

Risk-level staffing
-------------------
A forecast is uncertain: staffed to the point forecast, an interval meets its target about
half the time. With a confidence c (``queues[].confidence`` or ``service.confidence``) and
demand forecast from history, the day's arrival rate is ``forecast x M`` with M drawn from
the forecast's own distribution (actual / forecast daily totals of its backtest, per horizon
day; :mod:`planner.forecast`), and calls are Poisson given the rate, which is what Erlang C
and A assume. Since every target's measure worsens as the load grows, "the target is met with
probability c" is "M is at most its c-quantile", so the requirement is the one of the load
``offered x quantile_c(M)`` (the demand's ``rate_multiplier``). With no uncertainty (M = 1)
it is the point forecast's requirement. One M for the whole day: a day is busy or quiet as a
whole, so the risk is the day's, not the interval's (Ding and Koole; Gurvich, Luedtke and
Tezcan 2010 staff to such a quantile of a random rate).

References
----------
S. Ding and G. Koole, "Optimal call center forecasting and staffing under arrival rate
uncertainty", 2014 (working paper, VU Amsterdam).
I. Gurvich, J. Luedtke and T. Tezcan, "Staffing call centers with uncertain demand forecasts:
a chance-constrained optimization approach", Management Science 56(7):1093-1115, 2010.
L. V. Green, P. J. Kolesar and J. Soares, "Improving the SIPP approach for staffing service
systems that have cyclic demands", Operations Research 49(4):549-564, 2001.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.domain.scenario import Queue, Scenario
from planner.queueing import required_agents

__all__ = [
    "REQUIREMENT_COLUMNS",
    "agents_to_schedule",
    "build_requirement",
    "confidence_cost",
    "lagged_load",
]

REQUIREMENT_COLUMNS = ("offered_load", "effective_load", "agents_on_phones", "required_agents")
"""Columns the requirement adds to the demand table. Loads are in Erlangs."""

_ROUNDING_SLACK = 1e-9  # 14 / (1 - 0.3) is 20.000000000000004 in floating point, not 21 agents


def agents_to_schedule(agents_on_phones: np.ndarray, shrinkage: float) -> np.ndarray:
    """Agents to have on duty so that ``agents_on_phones`` remain after shrinkage.

    ``ceil(N / (1 - shrinkage))``, robust to floating-point error: 14 agents with 30 % shrinkage
    give 20, not 21.
    """
    n = np.asarray(agents_on_phones, dtype=float)
    return np.ceil(n / (1.0 - shrinkage) - _ROUNDING_SLACK).astype(np.int64)


def lagged_load(load: np.ndarray, lag_intervals: float) -> np.ndarray:
    """Mean load over each interval shifted back by ``lag_intervals`` (a fraction is allowed).

    Parameters
    ----------
    load : numpy.ndarray
        Offered load (Erlangs), shape (days, intervals per day); the line is closed outside.
    lag_intervals : float
        The lag L as a number of intervals, L >= 0.

    Notes
    -----
    With L = k + r (k whole, 0 <= r < 1) the window [t - L, t + 1 - L) covers a share 1 - r of
    interval t - k and r of interval t - k - 1, so the result is
    ``(1 - r) load[t - k] + r load[t - k - 1]``, with zeros before the first interval (all
    zeros for a lag of a whole day or more).
    """
    n = load.shape[1]
    if not lag_intervals < n:  # the whole day shifted out (a lag of 1e12 s must not pad 1e9 zeros)
        return np.zeros_like(load, dtype=float)
    k = int(np.floor(lag_intervals))
    r = lag_intervals - k
    padded = np.pad(load, ((0, 0), (k + 1, 0)))
    return (1.0 - r) * padded[:, 1 : n + 1] + r * padded[:, :n]


def build_requirement(scenario: Scenario, demand: pd.DataFrame) -> pd.DataFrame:
    """The demand table with the agents each queue needs per interval.

    Parameters
    ----------
    scenario : Scenario
        Gives each queue's targets, shrinkage and staffing lag.
    demand : pandas.DataFrame
        From :func:`planner.demand.build_demand` (one row per queue, day and interval, in that
        order).

    Returns
    -------
    pandas.DataFrame
        ``demand`` plus :data:`REQUIREMENT_COLUMNS`: ``offered_load`` (calls x AHT / interval
        length), ``effective_load`` (the load staffed for: equal to the offered load unless the
        queue has a staffing lag or a confidence level), ``agents_on_phones`` and
        ``required_agents`` (on duty).
    """
    grid = scenario.grid
    shape = (grid.days, grid.intervals_per_day)
    parts = []
    for queue in scenario.queues:
        rows = demand[demand["queue"] == queue.name]
        calls = rows["calls"].to_numpy(dtype=float).reshape(shape)
        aht = rows["aht_seconds"].to_numpy(dtype=float).reshape(shape)
        offered = calls * aht / grid.interval_seconds
        effective = offered
        if "rate_multiplier" in rows.columns:  # risk-level staffing (see the module's notes)
            effective = offered * rows["rate_multiplier"].to_numpy(dtype=float).reshape(shape)
        if queue.staffing_lag_seconds > 0:
            effective = lagged_load(effective, queue.staffing_lag_seconds / grid.interval_seconds)
        try:
            on_phones = _agents_on_phones(queue, effective * grid.interval_seconds / aht, aht, grid)
        except ValueError as exc:  # absurd demand (1e30 calls, a 1e300 surge): name the queue
            index = scenario.queues.index(queue)
            raise ValueError(f"queues[{index}] ({queue.name}) demand: {exc}") from None
        parts.append(
            rows.assign(
                offered_load=offered.ravel(),
                effective_load=effective.ravel(),
                agents_on_phones=on_phones.ravel(),
                required_agents=agents_to_schedule(on_phones, queue.shrinkage).ravel(),
            )
        )
    return pd.concat(parts)


def _agents_on_phones(queue: Queue, calls: np.ndarray, aht: np.ndarray, grid) -> np.ndarray:
    return required_agents(
        calls,
        aht,
        grid.interval_seconds,
        queue.service_level,
        queue.answer_within_seconds,
        patience_seconds=queue.patience_seconds,
        max_occupancy=queue.max_occupancy,
        max_abandon_rate=queue.max_abandon_rate,
        max_asa_seconds=queue.max_asa_seconds,
    ).astype(np.int64)


def confidence_cost(scenario: Scenario, requirement: pd.DataFrame) -> pd.DataFrame:
    """What risk-level staffing costs: agent-hours on duty required at each queue's confidence
    against the point forecast's.

    Parameters
    ----------
    scenario : Scenario
    requirement : pandas.DataFrame
        From :func:`build_requirement` on the scenario's demand.

    Returns
    -------
    pandas.DataFrame
        One row per queue staffed to a confidence: ``queue``, ``confidence``,
        ``required_agent_hours`` (at the confidence), ``point_agent_hours`` (at the point
        forecast) and ``extra_agent_hours``. Empty when no queue has a confidence. Paid hours
        come from a plan: solve the scenario with and without ``confidence`` to see them.
    """
    point = build_requirement(scenario, requirement.assign(rate_multiplier=1.0))
    hours = scenario.grid.interval_seconds / 3600.0
    rows = []
    for queue in scenario.queues:
        level = scenario.confidence(queue)
        if level is None:
            continue
        mine = requirement["queue"] == queue.name
        at_level = float(requirement.loc[mine, "required_agents"].sum()) * hours
        at_point = float(point.loc[point["queue"] == queue.name, "required_agents"].sum()) * hours
        rows.append((queue.name, level, at_level, at_point, at_level - at_point))
    columns = [
        "queue",
        "confidence",
        "required_agent_hours",
        "point_agent_hours",
        "extra_agent_hours",
    ]
    return pd.DataFrame(rows, columns=columns)
