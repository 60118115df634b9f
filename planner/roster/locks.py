"""Locked assignments: a shift manager's "keep this operator on this shift" through re-solving.

``locked`` maps an operator id to the shifts to keep, each ``(day index, "HH:MM" start,
"HH:MM" end)``. :func:`add_locks` adds one equality ``assign[o, k] == 1`` per lock to a built
roster model (the operator works that kind of shift that day, whatever else changes);
:func:`reoptimise_around_locks` re-solves a roster with its locks kept, hinted with the roster
as it is (which keeps them: every edit was checked by the validator), so the answer is never
worse than the roster given and every lock survives. The model's shifts are the ones the edited
roster holds (its rows and its unassigned shifts, grouped as a plan's shift groups by
:func:`planner.simulate.roster.rostered_plan`): a moved or added shift is a shift of its own and
the moved-from one is gone, so a lock on any shift of the edited roster is an equality in the
model. An unlocked moved shift stays where the manager moved it (the same start and breaks);
only who works it, if anyone, may change.

This module is the roster model's only knowledge of locks; the search modules do not know them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from planner.cpsat.clock import Clock
from planner.cpsat.solve import replace_settings
from planner.domain.operators import Operator
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.errors import PlannerError
from planner.messages import msg
from planner.roster.instance import RosterInstance, build_roster_instance
from planner.roster.model import RosterModel, build_model
from planner.roster.report import roster_tables
from planner.simulate.roster import rostered_plan
from planner.timegrid import parse_clock

__all__ = ["REOPTIMISED", "Locked", "add_locks", "reoptimise_around_locks", "shift_of_roster"]

Locked = Mapping[str, Iterable[tuple[int, str, str]]]
"""Operator id -> the ``(day, start, end)`` shifts to keep."""

REOPTIMISED = msg("re-optimised around the locks")
"""A re-optimisation in an edit log's words."""


def _kind_of(inst: RosterInstance, day: int, pool: int, start: str, end: str, template=None):
    key = (day, pool, parse_clock(start), parse_clock(end))
    for k in inst.kinds:
        if (k.day, k.pool, k.start, k.end) == key and template in (None, k.template):
            return k.index
    return None


def _operator_index(inst: RosterInstance) -> dict[str, int]:
    return {op.id: o for o, op in enumerate(inst.operators)}


def add_locks(rm: RosterModel, inst: RosterInstance, locked: Locked) -> int:
    """Add ``assign[o, k] == 1`` for every locked shift; returns how many were added.

    Raises
    ------
    PlannerError
        If a locked shift is not a planned shift the operator may take.
    """
    index, added = _operator_index(inst), 0
    for operator, shifts in locked.items():
        o = index.get(operator)
        for day, start, end in shifts:
            pool = inst.operators[o].pool if o is not None else None
            p = inst.pool_names.index(pool) if pool in inst.pool_names else -1
            k = _kind_of(inst, day, p, start, end) if o is not None else None
            x = rm.variables.assign.get((o, k)) if k is not None else None
            if x is None:
                raise PlannerError(
                    msg(
                        "locked shift {operator} day {day} {start}-{end}: not a planned shift "
                        "this operator may take",
                        operator=operator,
                        day=day,
                        start=start,
                        end=end,
                    )
                )
            rm.model.add(x == 1)
            added += 1
    return added


def shift_of_roster(inst: RosterInstance, roster: pd.DataFrame) -> np.ndarray:
    """``shift_of[o, d]``: the kind each operator works each day in a roster table, -1 none."""
    index = _operator_index(inst)
    days = {d.isoformat(): i for i, d in enumerate(inst.grid.dates)}
    shift_of = np.full((len(inst.operators), inst.days), -1, dtype=np.int64)
    for r in roster.itertuples(index=False):
        o, d = index.get(str(r.operator)), days.get(str(r.day))
        if o is None or d is None or str(r.pool) not in inst.pool_names:
            continue
        k = _kind_of(inst, d, inst.pool_names.index(str(r.pool)), r.start, r.end, r.template)
        if k is not None:
            shift_of[o, d] = k
    return shift_of


def reoptimise_around_locks(
    scenario: Scenario,
    plan: Plan,
    operators: Sequence[Operator],
    roster: pd.DataFrame,
    unassigned: pd.DataFrame,
    locked: Locked,
    *,
    time_limit_seconds: float = 10.0,
) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """Re-solve a roster keeping every locked shift: ``(roster, unassigned, improved)``.

    The whole roster model (every hard rule, the soft rules as objective) with the locks as
    equalities, hinted with ``roster``; when the solver finds nothing in time, the roster given
    comes back (``improved`` False). The model's shifts are those ``roster`` and
    ``unassigned`` hold (see the module docstring), so moved and added shifts can be locked and
    an unlocked moved shift keeps its moved start.

    Parameters
    ----------
    scenario : Scenario
    plan : Plan
        The plan the roster was made from (its allocation splits the flexible pools).
    operators : sequence of Operator
    roster, unassigned : pandas.DataFrame
        The edited roster's tables (``roster_tables``' columns).
    locked : Locked
    time_limit_seconds : float

    Raises
    ------
    PlannerError
        If a locked shift is not a shift of the edited roster the operator may take.
    """
    held = rostered_plan(scenario, plan, pd.concat([roster, unassigned], ignore_index=True))
    inst = build_roster_instance(scenario, operators, held)
    rm = build_model(inst)
    add_locks(rm, inst, locked)
    start = shift_of_roster(inst, roster)
    for (o, k), x in rm.variables.assign.items():
        rm.model.add_hint(x, int(start[o, inst.kinds[k].day] == k))
    settings = replace_settings(scenario.solver, time_limit_seconds=time_limit_seconds)
    clock = Clock(settings, deadline_seconds=time_limit_seconds)
    solver = clock.solver(time_limit_seconds)
    status = clock.solve(solver, rm.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        new_roster, unassigned = roster_tables(inst, start)
        return new_roster, unassigned, False
    shift_of = np.full_like(start, -1)
    for (o, k), x in rm.variables.assign.items():
        if solver.boolean_value(x):
            shift_of[o, inst.kinds[k].day] = k
    new_roster, unassigned = roster_tables(inst, shift_of)
    return new_roster, unassigned, True
