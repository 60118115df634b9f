"""Simulation-checked plans: plan, simulate, raise the requirement where the simulation falls
short of the promise, plan again (the cutting-plane idea of Atlason, Epelman and Henderson,
"Call center staffing with simulation and cutting plane methods", 2004).

The formulas score each interval as its own steady-state queue with the plan's agents answering
the line the plan gave them; the simulation replays the plan with calls carried over between
intervals, whole agents absent, and the scenario's routing of shared agents. Where an interval's
simulated service level, plus its 95 % half-width, is still below the service level the
formulas promise for it (or, when a whole line falls short of its promise, where the line's
intervals lose the most calls against theirs: :func:`short_intervals`), the interval needs more
than the formulas say: its requirement goes up by one agent and the plan is solved again, up to
``rounds`` times, stopping early when no interval falls short. Each round is reported: what
was raised, the paid hours, the gap, and per line the promise and the simulated figure.

Where staff run out (every shipped scenario's week is short somewhere), a raised requirement
cannot add agents, only move them, and a later round is not always better: the plan returned
is the round's whose worst line falls least short of its promise (beyond its half-width; the
later round on a tie), evaluated (coverage, KPIs, validation) against the scenario's own
requirement, so its tables say what the scenario asks, not the raised figures.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.demand import build_demand
from planner.domain.plan import PlanResult
from planner.domain.scenario import Scenario
from planner.evaluate import coverage_table, daily_kpis, plan_kpis
from planner.shiftplan import plan_shifts
from planner.simulate import SimulationResult, simulate_plan
from planner.staffing import build_requirement
from planner.validate.plan import validate_plan

__all__ = ["RefineResult", "RefineRound", "refine_plan", "short_intervals"]


@dataclass(frozen=True)
class RefineRound:
    """One round: the plan solved on the requirement so far, and its simulation.

    ``raised_intervals``: intervals whose requirement was raised (by one agent each) before
    this round's solve (0 in round 0, the scenario's own requirement). ``short_intervals``:
    intervals of this round's plan whose simulated service level plus its half-width is below
    the promise. ``promised``: per line, the formulas' weekly service level; ``simulated``: per
    line, the simulated weekly service level and its 95 % half-width.
    """

    round: int
    raised_intervals: int
    worst_deficit: float
    paid_hours: float
    gap: float
    solve_seconds: float
    short_intervals: int
    promised: dict[str, float]
    simulated: dict[str, tuple[float, float]]


@dataclass(frozen=True)
class RefineResult:
    """The chosen round's plan and simulation (see the module docstring), and every round's
    report."""

    result: PlanResult
    simulation: SimulationResult
    rounds: tuple[RefineRound, ...]
    chosen: int


def short_intervals(
    coverage: pd.DataFrame, simulation: SimulationResult, promised_lines: dict[str, float]
) -> np.ndarray:
    """Per interval, in the simulation's order (queue, day, interval): is it short of the
    promise?

    An interval offered calls is short when its simulated service level plus its 95 %
    half-width is below the formulas' promise for it (a half-width that is not known, fewer
    than two replications offering calls, counts as zero). And when a line's weekly simulated
    service level plus its half-width is below the line's promise (``promised_lines``) although
    each interval is within its own, wider, interval, a small deficit in many intervals adds up
    (whole-day absence, calls carried over): then the line's intervals below their promise are
    short too, the largest lost calls first, until the calls they lose cover the line's weekly
    deficit.
    """
    simulated = np.array([s.service_level for s in simulation.intervals])
    half = np.nan_to_num(np.array([s.service_level_ci95 for s in simulation.intervals]))
    promised = _in_simulation_order(coverage, simulation)["service_level"].to_numpy(float)
    calls = np.array([s.offered for s in simulation.intervals])
    line = np.array([s.queue for s in simulation.intervals])
    known = (calls > 0) & ~np.isnan(simulated)
    gap = np.where(known, promised - simulated, 0.0)
    short = known & (gap - half > 1e-9)
    for q in simulation.queues:
        if q.queue not in promised_lines:
            continue
        deficit = promised_lines[q.queue] - q.service_level - np.nan_to_num(q.service_level_ci95)
        if deficit <= 0:
            continue
        mine = (line == q.queue) & (gap > 0)
        lost = np.where(mine, gap * calls, 0.0)
        need = deficit * calls[line == q.queue].sum()
        for k in np.argsort(-lost, kind="stable"):
            if need <= 0 or lost[k] <= 0:
                break
            short[k] = True
            need -= lost[k]
    return short


def _in_simulation_order(coverage: pd.DataFrame, simulation: SimulationResult) -> pd.DataFrame:
    """The coverage's rows in the order of ``simulation.intervals`` (queue, day, interval)."""
    queues = list(dict.fromkeys(s.queue for s in simulation.intervals))
    table = coverage.assign(_q=coverage["queue"].map({q: k for k, q in enumerate(queues)}))
    return table.sort_values(["_q", "day_index", "interval"], kind="stable")


def refine_plan(
    scenario: Scenario,
    rounds: int,
    *,
    replications: int = 30,
    seed: int | None = None,
    shrinkage: str = "absence",
    routing: str | None = None,
    progress=None,
    stop: threading.Event | None = None,
    **solver_overrides,
) -> RefineResult:
    """Plan, simulate and re-plan up to ``rounds`` times (see the module docstring).

    Parameters
    ----------
    scenario : Scenario
    rounds : int
        Re-plans at most (0: plan and simulate once).
    replications, shrinkage, routing
        As :func:`planner.simulate.simulate_plan`; ``seed`` defaults to the solver's seed.
    progress, stop, **solver_overrides
        As :func:`planner.shiftplan.plan_shifts`, for each solve (``time_limit_seconds`` is per
        solve).
    """
    if rounds < 0:
        raise ValueError(f"rounds = {rounds}: must be >= 0")
    seed = scenario.solver.seed if seed is None else seed
    base = build_requirement(scenario, build_demand(scenario))
    requirement = base.copy()
    raised = 0
    reports, best = [], None
    for k in range(rounds + 1):
        result = plan_shifts(
            scenario, requirement=requirement, progress=progress, stop=stop, **solver_overrides
        )
        if not result.solve.has_plan:
            break
        sim = simulate_plan(
            scenario,
            result.plan,
            replications=replications,
            seed=seed,
            shrinkage=shrinkage,
            routing=routing,
        )
        promised = {name: q.service_level for name, q in result.kpis.queues.items()}
        short = short_intervals(result.coverage, sim, promised)
        report = _report(k, raised, result, sim, int(short.sum()))
        reports.append(report)
        if best is None or report.worst_deficit <= best[0].worst_deficit:
            best = (report, result, sim)
        if k == rounds or not short.any() or (stop is not None and stop.is_set()):
            break
        requirement = _raised(requirement, result.coverage, sim, short)
        raised = int(short.sum())
    if best is None:  # no plan at all: the first solve's result says why
        return RefineResult(result, None, tuple(reports), 0)
    report, result, sim = best
    return RefineResult(_on_requirement(scenario, result, base), sim, tuple(reports), report.round)


def _raised(requirement, coverage, sim, short) -> pd.DataFrame:
    """The requirement with one more agent in each short interval."""
    keys = _in_simulation_order(coverage, sim).loc[short, ["day", "interval_start", "queue"]]
    marked = requirement.merge(
        keys.assign(_up=1), on=["day", "interval_start", "queue"], how="left"
    )
    out = requirement.copy()
    out["required_agents"] = (
        out["required_agents"] + marked["_up"].fillna(0).astype(np.int64).to_numpy()
    )
    return out


def _on_requirement(scenario, result: PlanResult, requirement) -> PlanResult:
    """The plan's tables and KPIs against the scenario's own requirement."""
    coverage = coverage_table(scenario, requirement, result.plan.staffed)
    return dataclasses.replace(
        result,
        coverage=coverage,
        kpis_daily=daily_kpis(scenario, coverage),
        kpis=plan_kpis(scenario, result.plan, coverage),
        validation=validate_plan(scenario, result.plan, coverage),
    )


def _report(k, raised, result: PlanResult, sim: SimulationResult, short: int) -> RefineRound:
    promised = {name: q.service_level for name, q in result.kpis.queues.items()}
    deficits = [
        promised[q.queue] - q.service_level - np.nan_to_num(q.service_level_ci95)
        for q in sim.queues
        if q.queue in promised and not np.isnan(q.service_level)
    ]
    return RefineRound(
        round=k,
        raised_intervals=raised,
        worst_deficit=float(max(0.0, *deficits)) if deficits else 0.0,
        paid_hours=result.kpis.paid_hours,
        gap=result.solve.gap,
        solve_seconds=result.solve.solve_seconds,
        short_intervals=short,
        promised=promised,
        simulated={q.queue: (q.service_level, q.service_level_ci95) for q in sim.queues},
    )
