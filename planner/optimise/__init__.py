"""Shift sizing with CP-SAT: how many agents of each pool start which shift, with breaks placed.

The model decides, over the whole horizon at once, per day, pool, shift template and start time,
how many agents start, where each break falls inside its window, and (for pools serving several
queues) how the agents on duty are split among the queues in every interval. It minimises the
cost of paid hours plus penalties for service shortfalls and a small one for overstaffing.

Layout (as in the CP-SAT Primer's coding patterns):

- :mod:`~planner.optimise.instance`: the scenario and requirement as integers; no solver;
- :mod:`~planner.optimise.variables`: the decision variables and named queries;
- :mod:`~planner.optimise.rules`: one function per rule, listed under ``HARD_RULES`` and
  ``SOFT_RULES``;
- :mod:`~planner.optimise.objective`: the objective, built in one place;
- :mod:`~planner.optimise.solver`: the solver's parameters, set in one place; progress and stop;
- :mod:`~planner.optimise.extract`: the solution as the plan's tables.

Every plan is checked by :func:`planner.validation.validate_plan`, which needs no solver.
"""

from __future__ import annotations

import threading

import pandas as pd

from planner.demand import build_demand
from planner.evaluate import coverage_table, daily_kpis, plan_kpis
from planner.optimise.extract import empty_plan, extract_plan
from planner.optimise.instance import MONEY_SCALE, build_instance
from planner.optimise.model import build_model
from planner.optimise.solver import (
    ProgressCallback,
    SolveProgress,
    configure,
    replace_settings,
    run_solver,
)
from planner.plan import PlanResult, SolveReport
from planner.scenario import Scenario
from planner.staffing import build_requirement
from planner.validation import staffed_from_allocation, validate_plan

__all__ = ["SolveProgress", "plan_shifts"]


def plan_shifts(
    scenario: Scenario,
    *,
    requirement: pd.DataFrame | None = None,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    **solver_overrides,
) -> PlanResult:
    """Size the shifts of a scenario and evaluate the plan.

    Parameters
    ----------
    scenario : Scenario
    requirement : pandas.DataFrame, optional
        From :func:`planner.staffing.build_requirement`; computed when not given.
    progress : callable, optional
        Called with a :class:`SolveProgress` whenever the best plan or the bound improves.
    stop : threading.Event, optional
        Set it to stop the search early; the best plan found so far is returned.
    **solver_overrides
        Replace fields of ``scenario.solver`` (``time_limit_seconds``, ``relative_gap``,
        ``seed``, ``workers``) for this solve only.

    Returns
    -------
    PlanResult
        Always returned: when demand exceeds what the staff can give, the plan shows the
        shortfall per interval; when the hard rules contradict each other, ``solve.status`` is
        ``INFEASIBLE``, the plan is empty and ``solve.conflicting_rules`` names the rules.
    """
    if requirement is None:
        requirement = build_requirement(scenario, build_demand(scenario))
    settings = replace_settings(scenario.solver, **solver_overrides)
    inst = build_instance(scenario, requirement)
    sm = build_model(inst)
    solver = configure(settings)
    outcome = run_solver(sm.model, solver, scale=MONEY_SCALE, progress=progress, stop=stop)

    conflicts: tuple[str, ...] = ()
    penalties: dict[str, float] = {}
    if outcome.status in ("OPTIMAL", "FEASIBLE"):
        shifts, allocation = extract_plan(inst, sm, solver)
        penalties = {t.name: solver.value(t.expression) / MONEY_SCALE for t in sm.terms}
    else:
        shifts, allocation = empty_plan()
        if outcome.status == "INFEASIBLE":
            conflicts = explain_infeasibility(inst, settings)

    staffed = staffed_from_allocation(scenario, allocation)
    coverage = coverage_table(scenario, requirement, staffed)
    report = SolveReport(
        status=outcome.status,
        objective=outcome.objective,
        best_bound=outcome.best_bound,
        gap=_gap(outcome.objective, outcome.best_bound),
        solve_seconds=outcome.wall_seconds,
        first_solution_seconds=outcome.first_solution_seconds,
        solutions_found=outcome.solutions_found,
        time_limit_seconds=settings.time_limit_seconds,
        relative_gap_limit=settings.relative_gap,
        seed=settings.seed,
        workers=settings.workers,
        conflicting_rules=conflicts,
    )
    return PlanResult(
        scenario_name=scenario.name,
        shifts=shifts,
        allocation=allocation,
        coverage=coverage,
        kpis_daily=daily_kpis(scenario, coverage),
        kpis=plan_kpis(scenario, shifts, coverage),
        solve=report,
        penalties=penalties,
        validation=validate_plan(scenario, shifts, allocation, coverage),
    )


def explain_infeasibility(inst, settings) -> tuple[str, ...]:
    """Names of hard rules (with their scope) that together admit no plan.

    Rebuilds the model with every hard constraint behind a named assumption literal and asks
    CP-SAT for a sufficient set of assumptions for infeasibility (not always minimal).
    """
    sm = build_model(inst, explain=True)
    solver = configure(settings)
    status = solver.solve(sm.model)
    if solver.status_name(status) != "INFEASIBLE":
        return ()
    names = {lit.index: label for label, lit in sm.hard.literals.items()}
    core = solver.sufficient_assumptions_for_infeasibility()
    return tuple(sorted(names[i] for i in core if i in names))


def _gap(objective: float, bound: float) -> float:
    if objective != objective or bound != bound:  # NaN: no plan
        return float("nan")
    return abs(objective - bound) / max(abs(objective), 1e-9)
