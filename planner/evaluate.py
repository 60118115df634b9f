"""Evaluation: what a plan achieves, per interval, per day and over the horizon.

Conventions
-----------
- Staffed agents are agents on duty for a queue (on shift, not on a placed break, allocated to
  that queue). After shrinkage, ``staffed x (1 - shrinkage)`` of them are on the phones on
  average; that number is rarely whole, so every metric is interpolated linearly between the
  whole numbers of agents either side. This keeps evaluation consistent with the requirement: an
  interval staffed at its requirement ``ceil(N / (1 - shrinkage))`` has at least N agents on the
  phones and so meets the target.
- Queues with a ``patience_seconds`` are evaluated by Erlang A (abandonment modelled), others by
  Erlang C, for which ``abandon_rate`` is NaN: not modelled, since Erlang C assumes callers never
  hang up.
- ``service_level`` is calls answered within the target time over ALL calls offered (abandons
  count as failures). Daily and horizon service levels are call-weighted: answered within T over
  offered. ASA is averaged over answered calls, including those answered at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.domain.kpis import PlanKpis, QueueKpis
from planner.domain.plan import COVERAGE_COLUMNS, Plan, PlanResult, SolveReport
from planner.domain.scenario import Queue, Scenario
from planner.queueing import erlang_a_metrics, erlang_c_metrics

__all__ = [
    "ServiceMetrics",
    "answered_curves",
    "coverage_table",
    "daily_kpis",
    "plan_kpis",
    "plan_result",
    "service_metrics",
]

_WHOLE = 1e-9  # staffing within this of a whole number is that whole number


@dataclass(frozen=True)
class ServiceMetrics:
    """Per-interval service of a queue (arrays of the staffing's broadcast shape)."""

    service_level: np.ndarray
    asa_seconds: np.ndarray
    abandon_rate: np.ndarray
    occupancy: np.ndarray
    answered_within_target: np.ndarray  # calls
    answered: np.ndarray  # calls


def _whole_agent_metrics(queue: Queue, agents, calls, aht, interval_seconds, asa=True):
    if queue.patience_seconds is None:
        m = erlang_c_metrics(agents, calls, aht, interval_seconds, queue.answer_within_seconds)
        abandon = np.full(np.shape(m.service_level), np.nan)
    else:
        m = erlang_a_metrics(
            agents,
            calls,
            aht,
            interval_seconds,
            queue.answer_within_seconds,
            queue.patience_seconds,
            asa=asa,
        )
        abandon = np.asarray(m.p_abandon, dtype=float)
    return (
        np.asarray(m.service_level, dtype=float),
        np.asarray(m.asa_seconds, dtype=float),
        abandon,
        np.asarray(m.occupancy, dtype=float),
    )


def service_metrics(
    queue: Queue, calls, aht_seconds, interval_seconds: float, on_duty, *, asa: bool = True
) -> ServiceMetrics:
    """Service a queue gets from ``on_duty`` agents (any shape broadcasting with ``calls``).

    Parameters
    ----------
    queue : Queue
        Targets, shrinkage and patience.
    calls, aht_seconds : array_like
        Calls offered per interval and their average handling time (seconds).
    interval_seconds : float
    on_duty : array_like
        Agents on duty for the queue (whole numbers); ``x (1 - shrinkage)`` are on the phones.
    asa : bool, default True
        ``False``: the ASA is left out (NaN where callers hang up), for the optimiser's
        service curves, which need only the calls answered in time and abandoned
        (:func:`planner.queueing.erlang_a.erlang_a_metrics`).
    """
    calls, aht, staffed = np.broadcast_arrays(
        np.asarray(calls, dtype=float), np.asarray(aht_seconds, dtype=float), np.asarray(on_duty)
    )
    on_phones = staffed * (1.0 - queue.shrinkage)
    low = np.floor(on_phones + _WHOLE)
    weight = np.where(on_phones - low > _WHOLE, on_phones - low, 0.0)
    at_low = _whole_agent_metrics(queue, low, calls, aht, interval_seconds, asa)
    at_high = _whole_agent_metrics(queue, low + 1, calls, aht, interval_seconds, asa)
    with np.errstate(invalid="ignore"):  # inf x 0 where weight is 0; that branch is not taken
        mixed = [
            np.where(weight > 0, (1 - weight) * lo + weight * hi, lo)
            for lo, hi in zip(at_low, at_high, strict=True)
        ]
    level, wait, abandon, occupancy = mixed
    answered = calls * (1.0 - np.nan_to_num(abandon, nan=0.0))
    return ServiceMetrics(level, wait, abandon, occupancy, level * calls, answered)


def answered_curves(
    queue: Queue, calls: np.ndarray, aht: np.ndarray, interval_seconds: float, top: int
) -> tuple[np.ndarray, np.ndarray]:
    """Calls answered within T, and the service level, for 0..top agents on duty.

    Returns two arrays of shape ``(len(calls), top + 1)``: row i, column s is what interval i
    gets with s agents on duty. Used by the optimiser's ``daily`` mode.
    """
    staffing = np.arange(top + 1)[None, :]
    m = service_metrics(queue, calls[:, None], aht[:, None], interval_seconds, staffing, asa=False)
    return m.answered_within_target, m.service_level


def coverage_table(
    scenario: Scenario, requirement: pd.DataFrame, staffed: np.ndarray
) -> pd.DataFrame:
    """Per queue and interval: demand, requirement, staffing and the service it achieves.

    Parameters
    ----------
    requirement : pandas.DataFrame
        From :func:`planner.staffing.build_requirement`.
    staffed : numpy.ndarray of int, shape (queues, days, intervals)
        Agents on duty answering each queue (:attr:`planner.domain.plan.Plan.staffed`), queues
        in scenario order.

    Returns
    -------
    pandas.DataFrame
        :data:`~planner.domain.plan.COVERAGE_COLUMNS` plus ``day_index``, ``interval``, ``open``,
        ``surge_calls``, ``agents_on_phones`` and ``answered_within_target``.
    """
    table = requirement.merge(
        _staffed_frame(scenario, staffed),
        on=["day", "interval_start", "queue"],
        how="left",
        validate="one_to_one",
    )
    table["staffed_agents"] = table["staffed_agents"].fillna(0).astype(np.int64)
    table["shortfall_agents"] = np.maximum(table["required_agents"] - table["staffed_agents"], 0)
    parts = []
    for queue in scenario.queues:
        rows = table[table["queue"] == queue.name]
        m = service_metrics(
            queue,
            rows["calls"].to_numpy(),
            rows["aht_seconds"].to_numpy(),
            scenario.grid.interval_seconds,
            rows["staffed_agents"].to_numpy(),
        )
        parts.append(
            rows.assign(
                service_level=m.service_level,
                asa_seconds=m.asa_seconds,
                abandon_rate=m.abandon_rate,
                occupancy=m.occupancy,
                answered_within_target=m.answered_within_target,
                answered=m.answered,
            )
        )
    extra = ["day_index", "interval", "open", "surge_calls", "agents_on_phones"]
    extra += ["answered_within_target", "answered"]
    return pd.concat(parts, ignore_index=True)[[*COVERAGE_COLUMNS, *extra]]


def _staffed_frame(scenario: Scenario, staffed: np.ndarray) -> pd.DataFrame:
    """``day, interval_start, queue, staffed_agents``: one row per queue, day and interval."""
    frame = scenario.grid.frame()[["day", "interval_start"]]
    n, queues = len(frame), [q.name for q in scenario.queues]
    return pd.DataFrame(
        {
            "day": np.tile(frame["day"].to_numpy(), len(queues)),
            "interval_start": np.tile(frame["interval_start"].to_numpy(), len(queues)),
            "queue": np.repeat(np.array(queues, dtype=object), n),
            "staffed_agents": np.asarray(staffed, dtype=np.int64).reshape(-1),
        }
    )


def daily_kpis(scenario: Scenario, coverage: pd.DataFrame) -> pd.DataFrame:
    """Per queue and open day: calls, service level, abandonment, ASA, shortfall, peak agents."""
    hours = scenario.grid.interval_hours
    open_rows = coverage[coverage["open"]].assign(
        asa_weight=lambda t: np.where(t["answered"] > 0, t["asa_seconds"] * t["answered"], 0.0),
        abandoned=lambda t: t["abandon_rate"] * t["calls"],
        short=lambda t: t["staffed_agents"] < t["required_agents"],
    )
    grouped = open_rows.groupby(["queue", "day"], sort=False)
    daily = grouped.agg(
        calls=("calls", "sum"),
        answered_within_target=("answered_within_target", "sum"),
        answered=("answered", "sum"),
        asa_weight=("asa_weight", "sum"),
        abandoned=("abandoned", "sum"),
        understaffed_intervals=("short", "sum"),
        shortfall_agent_intervals=("shortfall_agents", "sum"),
        required_agent_intervals=("required_agents", "sum"),
        staffed_agent_intervals=("staffed_agents", "sum"),
        peak_required=("required_agents", "max"),
        peak_staffed=("staffed_agents", "max"),
    ).reset_index()
    unstable = grouped["asa_seconds"].apply(lambda s: bool(np.isinf(s).any())).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        daily["service_level"] = daily["answered_within_target"] / daily["calls"]
        daily["abandon_rate"] = daily["abandoned"] / daily["calls"]
        daily["asa_seconds"] = np.where(unstable, np.inf, daily["asa_weight"] / daily["answered"])
    target = {q.name: q.service_level for q in scenario.queues}
    daily["service_level_target"] = daily["queue"].map(target)
    for column in ("shortfall_agent", "required_agent", "staffed_agent"):
        daily[f"{column}_hours"] = daily.pop(f"{column}_intervals") * hours
    return daily.drop(columns=["asa_weight", "abandoned"])


def plan_kpis(scenario: Scenario, plan: Plan, coverage: pd.DataFrame) -> PlanKpis:
    """Horizon totals: paid hours, cost, borrowed hours, and per queue the service summary.

    Returns
    -------
    PlanKpis
        Every figure a Python number (see :mod:`planner.domain.kpis` for units).
    """
    cost_per_hour = {p.name: p.cost_per_hour for p in scenario.pools}
    borrowed = {p.name for p in scenario.pools if p.borrowed}
    paid_by_pool = plan.paid_hours_by_pool()
    cost_by_pool = {name: hours * cost_per_hour[name] for name, hours in paid_by_pool.items()}
    required_hours = float(coverage["required_agents"].sum() * scenario.grid.interval_hours)
    paid_hours = sum(paid_by_pool.values())
    queues = {queue.name: _queue_kpis(scenario, queue, coverage) for queue in scenario.queues}
    return PlanKpis(
        paid_hours=paid_hours,
        cost=sum(cost_by_pool.values()),
        paid_hours_by_pool=paid_by_pool,
        cost_by_pool=cost_by_pool,
        borrowed_hours=sum(paid_by_pool[name] for name in borrowed),
        shifts=plan.agents,
        required_agent_hours=required_hours,
        paid_to_required_ratio=_ratio(paid_hours, required_hours),
        understaffed_intervals=sum(q.understaffed_intervals for q in queues.values()),
        queues=queues,
    )


def plan_result(
    scenario: Scenario,
    plan: Plan,
    requirement: pd.DataFrame,
    solve: SolveReport,
    penalties: dict[str, float] | None = None,
) -> PlanResult:
    """A plan with everything read from it: coverage, daily and horizon KPIs, and the
    solver-free check of every hard rule (:func:`planner.validate.plan.validate_plan`).

    Parameters
    ----------
    scenario : Scenario
    plan : Plan
    requirement : pandas.DataFrame
        From :func:`planner.staffing.build_requirement`.
    solve : SolveReport
        How the plan was made (a solve's report, or a stored one).
    penalties : dict of str to float, optional
        The objective's terms, in cost units.
    """
    from planner.validate.plan import validate_plan  # the check reads plans; not the reverse

    coverage = coverage_table(scenario, requirement, plan.staffed)
    return PlanResult(
        scenario_name=scenario.name,
        plan=plan,
        coverage=coverage,
        kpis_daily=daily_kpis(scenario, coverage),
        kpis=plan_kpis(scenario, plan, coverage),
        solve=solve,
        penalties=dict(penalties or {}),
        validation=validate_plan(scenario, plan, coverage),
    )


def _queue_kpis(scenario: Scenario, queue: Queue, coverage: pd.DataFrame) -> QueueKpis:
    """One queue's service over its open intervals (call-weighted, as the module says)."""
    rows = coverage[(coverage["queue"] == queue.name) & coverage["open"]]
    calls = float(rows["calls"].sum())
    answered = float(rows["answered"].sum())
    asa = rows["asa_seconds"].to_numpy()
    return QueueKpis(
        calls=calls,
        service_level=_ratio(rows["answered_within_target"].sum(), calls),
        service_level_target=queue.service_level,
        abandon_rate=_ratio((rows["abandon_rate"] * rows["calls"]).sum(), calls)
        if queue.patience_seconds is not None
        else None,
        asa_seconds=float("inf")
        if np.isinf(asa[rows["calls"].to_numpy() > 0]).any()
        else _ratio((rows["asa_seconds"] * rows["answered"]).sum(), answered),
        understaffed_intervals=int((rows["staffed_agents"] < rows["required_agents"]).sum()),
        shortfall_agent_hours=float(rows["shortfall_agents"].sum() * scenario.grid.interval_hours),
        peak_agents=int(rows["staffed_agents"].max()) if len(rows) else 0,
        peak_required_agents=int(rows["required_agents"].max()) if len(rows) else 0,
    )


def _ratio(numerator: float, denominator: float) -> float | None:
    return float(numerator) / float(denominator) if denominator > 0 else None
