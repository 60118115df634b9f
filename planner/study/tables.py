"""The study's tables: one plan's KPIs as a flat row, and the tables of many rows.

- **Meets the target** (:func:`meets_target`): the plan exists, passes the solver-free check,
  and every queue's daily service level (call-weighted: calls answered within T over ALL calls
  offered that day, abandons counting as failures) is at least the queue's target on every day
  the queue is open and has calls. Other caps (abandonment, ASA) are reported, not required.
- **The KPI table is tidy**: one row per scenario or point; horizon totals (``paid_hours``,
  ``cost``, ``borrowed_hours``, ``understaffed_intervals``, ``peak_agents``, solver ``status``
  and ``gap``, ...) and per queue ``<queue>.<metric>`` (``consulting.service_level``,
  ``emergency.worst_day_service_level``, ...), each named as in :mod:`planner.present.catalogue`.
  A point that fails has ``status`` ``INVALID`` (its overrides break a scenario rule) or
  ``ERROR`` (the solve raised) and the message in ``error``; the other points are not affected.
  A point ended by the caller's stop before its solve finished has status ``STOPPED``
  (:data:`STOPPED`), and says so in ``error``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planner.domain.plan import PlanResult
from planner.domain.scenario import Scenario
from planner.messages import Message
from planner.overrides import Override, show_value
from planner.present.catalogue import QUEUE, queue_column
from planner.simulate import SimulationResult, describe
from planner.simulate.run import FIGURES

__all__ = [
    "STOPPED",
    "TIMING_COLUMNS",
    "PointResult",
    "differences",
    "kpi_row",
    "kpi_table",
    "meets_target",
    "queue_meets_target",
    "results_coverage",
    "results_table",
    "simulated_row",
]

STOPPED = "STOPPED"
"""The status of a point stopped by the caller before its solve finished (no plan kept)."""

TIMING_COLUMNS = ("solve_seconds", "point_seconds")
"""Columns that measure time: they differ from run to run; every other column is reproducible."""


_SL_TOLERANCE = 1e-9  # a daily service level this close below the target counts as meeting it


def queue_meets_target(scenario: Scenario, result: PlanResult, queue: str) -> bool:
    """Does ``queue`` meet its service-level target on every open day with calls?

    The daily service level is call-weighted (answered within T over all calls offered that day;
    :func:`planner.evaluate.daily_kpis`). A plan that does not exist or breaks a hard rule
    meets nothing.
    """
    if not result.solve.has_plan or not result.validation.ok:
        return False
    target = scenario.queue(queue).service_level
    daily = result.kpis_daily
    days = daily[(daily["queue"] == queue) & (daily["calls"] > 0)]
    return bool((days["service_level"] >= target - _SL_TOLERANCE).all())


def meets_target(
    scenario: Scenario, result: PlanResult, queues: Iterable[str] | None = None
) -> bool:
    """Does the plan meet the target: every queue (or those named), every open day?

    See :func:`queue_meets_target`; with ``queues`` unset, every queue of the scenario.
    """
    names = [q.name for q in scenario.queues] if queues is None else list(queues)
    return all(queue_meets_target(scenario, result, name) for name in names)


def kpi_row(scenario: Scenario, result: PlanResult) -> dict[str, Any]:
    """The plan's KPIs as one flat record (a row of the comparison and sweep tables).

    Returns
    -------
    dict
        ``name`` (the scenario's), ``status``, ``meets_target``, ``objective``, ``best_bound``,
        ``gap``, ``time_limit_seconds``, ``seed`` and ``solver_workers`` (the solver settings used),
        ``paid_hours``, ``cost``, ``borrowed_hours``, ``understaffed_intervals`` (open
        queue-intervals with fewer agents than required), ``shortfall_agent_hours``, ``peak_agents``
        (most agents on duty in one interval, all queues), ``required_agent_hours``, ``valid`` (the
        solver-free check), ``solve_seconds``, ``hit_time_limit`` (the search stopped at the
        wall-clock limit short of the gap: the plan may depend on how busy the machine was),
        ``plan_source`` (``"solver"``, or ``"greedy"`` where the search found no plan and the greedy
        heuristic's stands in); and per queue ``<queue>.calls``, ``.service_level`` (over the
        horizon), ``.worst_day_service_level``, ``.service_level_target``, ``.meets_target``,
        ``.abandon_rate`` (None under Erlang C), ``.asa_seconds``, ``.understaffed_intervals``,
        ``.peak_agents``. Money in the scenario's cost units; hours are paid hours or agent-hours on
        duty.
    """
    k, s = result.kpis, result.solve
    coverage = result.coverage
    on_duty = coverage[coverage["open"]].groupby(["day", "interval_start"])["staffed_agents"]
    totals = on_duty.sum()
    row: dict[str, Any] = {
        "name": scenario.name,
        "status": s.status,
        "meets_target": meets_target(scenario, result),
        "objective": s.objective,
        "best_bound": s.best_bound,
        "gap": s.gap,
        "time_limit_seconds": s.time_limit_seconds,
        "seed": s.seed,
        "solver_workers": s.workers,
        "paid_hours": k.paid_hours,
        "cost": k.cost,
        "borrowed_hours": k.borrowed_hours,
        "understaffed_intervals": k.understaffed_intervals,
        "shortfall_agent_hours": sum(q.shortfall_agent_hours for q in k.queues.values()),
        "peak_agents": int(totals.max()) if len(totals) else 0,
        "required_agent_hours": k.required_agent_hours,
        "valid": result.validation.ok,
        "solve_seconds": s.solve_seconds,
        "hit_time_limit": _hit_time_limit(s),
        "plan_source": s.plan_source,
    }
    daily = result.kpis_daily
    for queue in scenario.queues:
        q = k.queues[queue.name]
        days = daily[(daily["queue"] == queue.name) & (daily["calls"] > 0)]
        worst = float(days["service_level"].min()) if len(days) else None
        values = {
            "calls": q.calls,
            "service_level": q.service_level,
            "worst_day_service_level": worst,
            "service_level_target": queue.service_level,
            "meets_target": queue_meets_target(scenario, result, queue.name),
            "abandon_rate": q.abandon_rate,
            "asa_seconds": q.asa_seconds,
            "understaffed_intervals": q.understaffed_intervals,
            "peak_agents": q.peak_agents,
        }
        row |= {queue_column(queue.name, key): value for key, value in values.items()}
    return row


def simulated_row(scenario: Scenario, simulated: SimulationResult) -> dict[str, Any]:
    """The simulated figures of a plan as columns of its KPI row.

    Returns
    -------
    dict
        ``simulation`` (how it was simulated, in words: replications, routing, shrinkage,
        seed) and per queue ``<queue>.simulated_<figure>`` and ``<queue>.simulated_<figure>_ci95``
        (the mean over the replications and its 95 % half-width) for the service level, abandon
        rate, ASA (seconds) and occupancy. These are the simulation's figures; the plain
        ``<queue>.service_level`` stays the formula's promise.
    """
    row: dict[str, Any] = {"simulation": describe(simulated)}
    for queue in scenario.queues:
        figures = simulated.queue(queue.name)
        for figure in FIGURES:
            row[queue_column(queue.name, f"simulated_{figure}")] = getattr(figures, figure)
            row[queue_column(queue.name, f"simulated_{figure}_ci95")] = getattr(
                figures, f"{figure}_ci95"
            )
    return row


def _hit_time_limit(s) -> bool:
    """Did the search stop at the wall-clock time limit, short of the gap?

    Then the plan depends on how busy the machine was: with one worker CP-SAT is reproducible
    only when its deterministic limit or the gap ends the search (:mod:`planner.cpsat.solve`).
    Flagged when the status is not proven (``FEASIBLE``, ``UNKNOWN``) and the solve took at least
    99.9 % of the time limit; a deterministic stop that happens to coincide is flagged too.
    """
    unproven = s.status in ("FEASIBLE", "UNKNOWN")
    if s.reproducible:  # no wall-clock limit: the deterministic one ended it
        return False
    return bool(unproven and s.solve_seconds >= 0.999 * s.time_limit_seconds)


@dataclass(frozen=True)
class PointResult:
    """One solved (or failed) point of a sweep or comparison.

    Attributes
    ----------
    index : int
        Position in the sweep (or comparison), from 0.
    label : str
        The point's overrides (``pools[borrowed].headcount=21``), or the scenario's label.
    overrides : tuple of Override
    kpis : mapping
        The row of :func:`kpi_row`; for a failed point only ``status``.
    error : str or None
        Why the point failed: the validation message of its overrides (status ``INVALID``),
        the exception raised while solving (status ``ERROR``), or that the caller stopped it
        before its solve finished (status ``STOPPED``).
    coverage : pandas.DataFrame or None
        Per queue and interval (:data:`planner.domain.plan.COVERAGE_COLUMNS` and ``open``), when
        kept.
    point_seconds : float
        Wall time of the point on its worker (solve and evaluation), seconds.
    """

    index: int
    label: str
    overrides: tuple[Override, ...]
    kpis: Mapping[str, Any]
    error: str | None = None
    coverage: pd.DataFrame | None = None
    point_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Solved to the end (a stopped point is not ok, nor failed)."""
        return self.error is None

    @property
    def stopped(self) -> bool:
        """Ended by the caller's stop before its solve finished: no plan, no KPIs."""
        return self.kpis.get("status") == STOPPED

    @property
    def failed(self) -> bool:
        """Invalid, or its solve raised: not solved, and not because it was stopped."""
        return not self.ok and not self.stopped


def results_table(results: Sequence[PointResult]) -> pd.DataFrame:
    """The sweep table of some point results (in the order given)."""
    paths: list[str] = []
    for r in results:
        paths += [o.path for o in r.overrides if o.path not in paths]
    rows = []
    for r in results:
        row: dict[str, Any] = {"point": r.index, "label": r.label}
        row |= dict.fromkeys(paths)
        row |= {o.path: _cell(o.value) for o in r.overrides}
        row |= dict(r.kpis)
        row |= {"error": r.error, "point_seconds": r.point_seconds}
        rows.append(row)
    return kpi_table(rows, ["point", "label", *paths])


def _cell(value: Any) -> Any:
    return value if isinstance(value, int | float | str | bool) else show_value(value)


def kpi_table(rows: list[dict[str, Any]], lead: Sequence[str]) -> pd.DataFrame:
    """Rows as a table: the ``lead`` columns, the totals, the per-queue columns grouped by queue
    (in the order the queues first appear), then ``error`` and ``point_seconds``. A column
    holding a :class:`~planner.messages.Message` (``simulation``, ``error``) keeps it, with
    ``dtype=object``, so that a client can translate it."""
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    rest = [c for c in columns if c not in lead]
    tail = [c for c in ("error", "point_seconds") if c in rest]
    queue = [c for c in rest if c not in tail and _is_queue_column(c)]
    order = list(dict.fromkeys(c.rpartition(".")[0] for c in queue))
    queue.sort(key=lambda c: order.index(c.rpartition(".")[0]))  # stable: grouped by queue
    plain = [c for c in rest if c not in tail and c not in queue]
    table = pd.DataFrame.from_records(rows, columns=[*lead, *plain, *queue, *tail])
    for column in columns:  # messages stay messages (a text column would make them plain str)
        if any(isinstance(row.get(column), Message) for row in rows):
            table[column] = pd.Series([row.get(column) for row in rows], dtype=object)
    return table


_QUEUE_METRICS = frozenset(k.key for k in QUEUE)
"""Per-queue KPIs (the catalogue's): ``<queue>.<key>`` columns are grouped by queue."""


def _is_queue_column(column: str) -> bool:
    queue, dot, metric = column.rpartition(".")
    return bool(dot) and metric in _QUEUE_METRICS and "[" not in queue


def results_coverage(results: Sequence[PointResult], key: str = "point") -> pd.DataFrame | None:
    """Every kept coverage, with its point's ``key`` (position) and ``label``; None if none."""
    parts = [
        r.coverage.assign(**{key: r.index, "label": r.label})
        for r in results
        if r.coverage is not None
    ]
    if not parts:
        return None
    table = pd.concat(parts, ignore_index=True)
    return table[[key, "label", *[c for c in table.columns if c not in (key, "label")]]]


def differences(table: pd.DataFrame, reference: str, *, key: str = "scenario") -> pd.DataFrame:
    """Each row's numeric KPIs minus the reference row's (the reference row is all zeros).

    Timing columns (:data:`TIMING_COLUMNS`), half-widths of confidence intervals (``_ci95``:
    the difference of two half-widths means nothing), true/false columns and text are left out;
    a difference with a missing value (a queue one scenario does not have, a failed point) is
    missing.
    """
    rows = table.set_index(key)
    if reference not in rows.index:
        raise ValueError(f"reference {reference!r} is not a row of the table")
    numeric = [
        c
        for c in rows.columns
        if c not in TIMING_COLUMNS
        and c != "point"
        and not c.endswith("_ci95")
        and pd.api.types.is_numeric_dtype(rows[c])
        and not pd.api.types.is_bool_dtype(rows[c])
    ]
    values = rows[numeric].astype(float)
    return (values - values.loc[reference]).reset_index()
