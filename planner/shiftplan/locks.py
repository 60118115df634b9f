"""Locked shift groups: a shift manager's "keep these agents on this shift" through re-solving.

A lock is on a *shift*: a day, a pool, a template and a start. It keeps every agent the plan
has on that shift, as they are: :func:`add_locks` adds to a built shift-sizing model, for the
shift's option ``o``, ``x_o == n`` (``n`` the locked agents: their count is both the lower and
the upper bound) and, for every break ``b`` and offset ``k``, ``y_obk == n_bk`` (the locked
agents' breaks, where they are). :func:`reoptimise_around_locks` solves the plan again with its
locks kept, hinted with the plan as it is (which keeps them), so the answer keeps every locked
shift and is never worse than a plan the solver found from that hint.

This module is the shift model's only knowledge of locks; the search modules do not know them.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterable

from planner.cpsat.report import solve_report
from planner.cpsat.solve import ProgressCallback, configure, replace_settings, run_solver
from planner.demand import build_demand
from planner.domain.plan import Plan, PlanResult, ShiftGroup
from planner.domain.scenario import Scenario
from planner.errors import PlannerError
from planner.evaluate import plan_result
from planner.shiftplan.extract import extract_plan
from planner.shiftplan.instance import MONEY_SCALE, Instance, build_instance
from planner.shiftplan.model import ShiftModel, build_model, plan_as_hint
from planner.shiftplan.split_check import check_split
from planner.staffing import build_requirement

__all__ = ["ShiftKey", "add_locks", "locked_shape", "reoptimise_around_locks", "shift_key"]

ShiftKey = tuple[int, str, str, int]
"""A shift: ``(day, pool, template, start interval)``; every group of the plan on it."""


def shift_key(group: ShiftGroup) -> ShiftKey:
    """The shift a group works (its day, pool, template and start)."""
    return (group.day, group.pool, group.template, group.start)


def locked_shape(groups: Iterable[ShiftGroup]) -> dict[ShiftKey, tuple[int, Counter]]:
    """Per shift: the agents on it and, per (break, offset), the agents taking that break there.

    This is what a lock keeps (two plans with the same shape on a shift have the same agents on
    duty on it, whatever the grouping of several breaks into groups).
    """
    shape: dict[ShiftKey, tuple[int, Counter]] = {}
    for g in groups:
        agents, breaks = shape.get(shift_key(g), (0, Counter()))
        for b, (offset, _length) in enumerate(g.breaks):
            breaks[(b, offset)] += g.agents
        shape[shift_key(g)] = (agents + g.agents, breaks)
    return shape


def add_locks(sm: ShiftModel, inst: Instance, locked: Iterable[ShiftGroup]) -> int:
    """Hold every locked shift's agents and breaks in a built model; returns the shifts held.

    Raises
    ------
    PlannerError
        If a locked shift is not one the model offers (another template, start or break place
        than the scenario's rules allow).
    """
    option = {
        (o.day, inst.pool_names[o.pool], inst.scenario.shift_templates[o.template].name, o.start): o
        for o in inst.options
    }
    v = sm.variables
    shape = locked_shape(locked)
    for key, (agents, breaks) in shape.items():
        o = option.get(key)
        if o is None:
            day, pool, template, start = key
            raise PlannerError(
                f"locked shift {inst.grid.dates[day]} {pool} {template} at "
                f"{inst.grid.clock_at(start)}: not a shift the scenario allows"
            )
        sm.model.add(v.starts[o.index] == agents)
        for b, brk in enumerate(o.breaks):
            for k in range(brk.first, brk.last + 1):
                sm.model.add(v.breaks[(o.index, b, k)] == breaks.get((b, k), 0))
        bad = [(b, k) for b, k in breaks if (o.index, b, k) not in v.breaks]
        if bad:
            raise PlannerError(
                f"locked shift {inst.grid.dates[o.day]} {key[1]} {key[2]} at "
                f"{inst.grid.clock_at(o.start)}: a break outside its window"
            )
    return len(shape)


def reoptimise_around_locks(
    scenario: Scenario,
    plan: Plan,
    locked: Iterable[ShiftGroup],
    *,
    time_limit_seconds: float = 10.0,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
) -> PlanResult:
    """Solve the plan again keeping every locked shift: its agents and their breaks.

    Parameters
    ----------
    scenario : Scenario
    plan : Plan
        The plan as it is (edited by hand): the model's hint. It should keep the locks (an
        edit refused by the validator never reaches it), so the solver starts from a plan.
    locked : iterable of ShiftGroup
        The groups to keep (:func:`locked_shape` of them is held).
    time_limit_seconds : float
    progress, stop
        As for :func:`planner.shiftplan.plan_shifts`.

    Returns
    -------
    PlanResult
        The new plan, evaluated and checked, each line's promise checked by simulation as
        :func:`planner.shiftplan.plan_shifts` does; when the solver found none in time (or the
        locks contradict a hard rule: ``INFEASIBLE``), the plan given, evaluated, with that
        status.

    Notes
    -----
    One model of the whole horizon (every hard rule, the soft rules as objective), as
    :func:`planner.shiftplan.plan_shifts` solves a week; a long horizon's weeks are not split.
    """
    started = time.perf_counter()
    requirement = build_requirement(scenario, build_demand(scenario))
    settings = replace_settings(scenario.solver, time_limit_seconds=time_limit_seconds)
    inst = build_instance(scenario, requirement)
    sm = build_model(inst, hint=plan_as_hint(inst, plan))
    add_locks(sm, inst, locked)
    wall = max(time_limit_seconds - (time.perf_counter() - started), 0.1)
    daily = bool(inst.daily_curves)
    solver = configure(settings, wall_seconds=wall, strong_lp=daily, lp_search=daily)
    outcome = run_solver(sm.model, solver, scale=MONEY_SCALE, progress=progress, stop=stop)
    found = outcome.status in ("OPTIMAL", "FEASIBLE")
    terms = sm.terms if found else []
    penalties = {t.name: solver.value(t.expression) / MONEY_SCALE for t in terms}
    report = solve_report(
        settings,
        status=outcome.status,
        objective=outcome.objective,
        bound=outcome.best_bound,
        seconds=time.perf_counter() - started,
        solutions=outcome.solutions_found,
        first_solution_seconds=outcome.first_solution_seconds,
        stopped=outcome.stopped,
    )
    new = extract_plan(inst, sm, solver) if found else plan
    result = plan_result(scenario, new, requirement, report, penalties)
    return check_split(scenario, result, requirement)
