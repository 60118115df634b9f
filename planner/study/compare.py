"""Comparing scenarios: several scenarios solved side by side, one KPI table, the differences
from a reference and every scenario's per-interval coverage (for overlay charts)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from planner.domain.plan import COVERAGE_COLUMNS
from planner.domain.scenario import Scenario
from planner.present.formats import unique_labels
from planner.simulate import SimulationSettings
from planner.study.executors import Executor
from planner.study.points import Point, run_points, solver_overrides
from planner.study.sweeps import SweepProgress, with_progress
from planner.study.tables import PointResult, differences, kpi_table, results_coverage

__all__ = [
    "Comparison",
    "compare_scenarios",
]


@dataclass(frozen=True)
class Comparison:
    """Several scenarios side by side.

    Attributes
    ----------
    kpis : pandas.DataFrame
        One row per scenario, in the order given: ``scenario`` (its label), then the columns
        of :func:`kpi_row`, ``error`` and ``point_seconds``.
    coverage : pandas.DataFrame
        Every scenario's per-interval coverage, with its ``scenario`` label: for overlay charts.
    differences : pandas.DataFrame
        Each scenario's numeric KPIs minus the reference's (:func:`differences`).
    reference : str
        The reference scenario's label.
    results : tuple of PointResult
    simulation : SimulationSettings or None
        How each plan was simulated call by call (its figures are the ``simulated_*`` columns
        of ``kpis``, see :func:`planner.study.tables.simulated_row`); None: not simulated.
    """

    kpis: pd.DataFrame
    coverage: pd.DataFrame
    differences: pd.DataFrame
    reference: str
    results: tuple[PointResult, ...] = field(repr=False, default=())
    simulation: SimulationSettings | None = None

    @property
    def stopped(self) -> tuple[PointResult, ...]:
        """The scenarios whose solve the caller's stop ended before it finished (no KPIs)."""
        return tuple(r for r in self.results if r.stopped)


def compare_scenarios(
    scenarios: Sequence[Scenario],
    *,
    labels: Sequence[str] | None = None,
    reference: str | int = 0,
    executor: Executor | None = None,
    time_limit_seconds: float | None = None,
    seed: int | None = None,
    progress: Callable[[SweepProgress], None] | None = None,
    simulation: SimulationSettings | None = None,
    stop: threading.Event | None = None,
) -> Comparison:
    """Solve several scenarios and lay their KPIs side by side.

    Parameters
    ----------
    scenarios : sequence of Scenario
    labels : sequence of str, optional
        How each scenario is called in the tables; default its ``name`` (repeats numbered).
    reference : str or int
        The scenario the others are compared with: a label or a position (default the first).
    executor, time_limit_seconds, seed, progress
        As for :func:`iter_sweep`.
    simulation : SimulationSettings, optional
        Also simulate each plan call by call with these settings (on the worker that solved
        it): the KPI table gains, per queue, the simulated service level, abandon rate, ASA
        and occupancy with their 95 % half-widths beside the formula's promise, and a
        ``simulation`` column saying how (each scenario under its own routing policy unless
        the settings name one).
    stop : threading.Event, optional
        Set it to end the comparison: solves in flight end at once, and the scenarios not
        finished have status ``STOPPED`` in the table (:attr:`Comparison.stopped`).

    Raises
    ------
    ValueError
        If ``reference`` names no scenario, or the labels are not one per scenario.
    """
    if not scenarios:
        raise ValueError("give at least one scenario to compare")
    labels = unique_labels(labels or [s.name for s in scenarios])
    if len(labels) != len(scenarios):
        raise ValueError(f"{len(labels)} labels for {len(scenarios)} scenarios")
    reference_label = _reference_label(labels, reference)
    points = [Point(i, labels[i], (), s, None) for i, s in enumerate(scenarios)]
    solver = solver_overrides(time_limit_seconds, seed)
    results = with_progress(
        run_points(points, executor, solver, True, simulation, stop), len(points), progress
    )
    ordered = sorted(results, key=lambda r: r.index)
    rows = [
        {"scenario": r.label, **r.kpis, "error": r.error, "point_seconds": r.point_seconds}
        for r in ordered
    ]
    kpis = kpi_table(rows, ["scenario"])
    coverage = results_coverage(ordered, "position")
    if coverage is None:
        coverage = pd.DataFrame(columns=["scenario", *COVERAGE_COLUMNS, "open"])
    else:
        coverage = coverage.drop(columns="position").rename(columns={"label": "scenario"})
    return Comparison(
        kpis=kpis,
        coverage=coverage,
        differences=differences(kpis, reference_label),
        reference=reference_label,
        results=tuple(ordered),
        simulation=simulation,
    )


def _reference_label(labels: Sequence[str], reference: str | int) -> str:
    if isinstance(reference, int) and not isinstance(reference, bool):
        if not 0 <= reference < len(labels):
            raise ValueError(f"reference {reference}: give a position from 0 to {len(labels) - 1}")
        return labels[reference]
    if reference not in labels:
        raise ValueError(f"reference {reference!r} names no scenario; known: {', '.join(labels)}")
    return reference
