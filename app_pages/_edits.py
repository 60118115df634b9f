"""The Edit tab of the Roster page: a shift manager's edits, each checked at once.

Pick a day and an operator, then Lock (or unlock) their shift, Move it to another start, Swap it
with another operator's, Add the operator on the day (an unassigned shift of their pool) or
Remove them. Each edit goes through :func:`planner.editing.roster_edits.apply_edit`: refused
with the rule named (``st.error``), or accepted with the day's KPIs recomputed. The edits are
listed with Undo; "Re-optimise around my locks" re-solves the roster keeping every locked
assignment (:func:`planner.editing.roster_edits.reoptimise`, which first names the rule a
locked shift breaks by itself). A fragment: an edit reruns
only the tab.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from app_pages import tables
from app_pages._i18n import _, say, say_error
from planner.domain.plan import Plan
from planner.domain.roster import RosterResult
from planner.domain.scenario import Scenario
from planner.editing.roster_edits import (
    AddOperatorDay,
    EditedRoster,
    Lock,
    Move,
    RemoveOperatorDay,
    Swap,
    apply_edit,
    describe,
    reoptimise,
)
from planner.errors import PlannerError
from planner.roster.locks import REOPTIMISED

__all__ = ["show", "tab_label"]

ss = st.session_state


def undo_and_solve_buttons(state, key: str):
    """An Edit tab's Undo and "Re-optimise around my locks" buttons, side by side (the roster's
    and the plan's: ``state`` has ``log``, ``locks`` and ``undo()``). Undo is done here; returns
    the state shown now and whether re-optimising was asked for."""
    ss = st.session_state
    undo_col, solve_col = st.columns(2)
    if undo_col.button(_("Undo"), key=f"{key}_undo", disabled=not state.log):
        state = ss[f"{key}_state"] = state.undo()
        ss[f"{key}_said"] = None
    solve = solve_col.button(
        _("Re-optimise around my locks"), key=f"{key}_solve", disabled=not state.locks
    )
    return state, solve


def _state(scenario: Scenario, plan: Plan, result: RosterResult, key: str) -> EditedRoster:
    """The edits of this roster (started afresh when the roster changes)."""
    held = ss.get(f"{key}_state")
    if held is None or ss.get(f"{key}_of") is not result:
        held = EditedRoster.start(
            scenario, plan, result.operators, result.roster, result.unassigned
        )
        ss[f"{key}_state"], ss[f"{key}_of"], ss[f"{key}_said"] = held, result, None
    return held


def tab_label() -> str:
    """The tab's name (this module is not yet in the translated catalogue)."""
    return _("Edit")


@st.fragment
def show(scenario: Scenario, plan: Plan | None, result: RosterResult, *, key: str) -> None:
    """The tab for a roster made from ``plan``, widgets keyed by ``key``."""
    if plan is None:
        st.info(_("There is no plan to edit against: the roster was made without one."))
        return
    state = _state(scenario, plan, result, key)
    days = list(range(scenario.grid.days))
    day_col, who_col, start_col, other_col = st.columns(4)
    day = day_col.selectbox(_("Day"), days, format_func=state.day_text, key=f"{key}_day")
    working = state.roster.loc[state.roster["day"].astype(str) == state.day_text(day), "operator"]
    order = [*dict.fromkeys(map(str, working)), *(o.id for o in state.operators)]
    label = {
        o.id: f"{o.name} ({o.id})" if o.name not in ("", o.id) else o.id for o in state.operators
    }
    names = {o: label[o] for o in dict.fromkeys(order)}  # who works that day first
    operator = who_col.selectbox(
        _("Operator"), list(names), format_func=names.__getitem__, key=f"{key}_operator"
    )
    new_start = start_col.selectbox(
        _("New start (Move)"), list(scenario.grid.interval_labels), key=f"{key}_start"
    )
    other = other_col.selectbox(
        _("Swap with"), list(names), format_func=names.__getitem__, key=f"{key}_other"
    )
    edits = {  # the button's key stays the same in every language
        "lock": (_("Lock / unlock"), lambda: Lock(operator, day)),
        "move": (_("Move"), lambda: Move(operator, day, new_start)),
        "swap": (_("Swap"), lambda: Swap(operator, other, day)),
        "add": (_("Add"), lambda: AddOperatorDay(operator, day)),
        "remove": (_("Remove"), lambda: RemoveOperatorDay(operator, day)),
    }
    for column, (name, (label, make)) in zip(st.columns(len(edits)), edits.items(), strict=True):
        if column.button(label, key=f"{key}_{name}", use_container_width=True):
            outcome = apply_edit(state, make())
            ss[f"{key}_said"] = outcome
            if outcome.accepted:
                state = ss[f"{key}_state"] = outcome.state
    state, solve = undo_and_solve_buttons(state, key)
    if solve:
        _reoptimise(state, key)
        state = ss[f"{key}_state"]
    said = ss.get(f"{key}_said")
    if said is not None:
        if said.accepted:
            st.success(say(said.message))
            if said.kpis is not None and len(said.kpis):
                st.caption(_("The edited day's KPIs (formula evaluation):"))
                tables.show_table(
                    said.kpis[["queue", "day", "calls", "service_level", "staffed_agent_hours"]]
                )
        else:
            for line in say(said.message).splitlines():
                st.error(line)

    st.markdown(
        _("**Edits** ({count}); locked shifts: {locks}.").format(
            count=len(state.log),
            locks=", ".join(f"{names[o]} {state.day_text(d)}" for o, d in sorted(state.locks))
            or _("none"),
        )
    )
    for i, edit in enumerate(state.log, 1):
        words = say(REOPTIMISED) if isinstance(edit, _LockedSolve) else say(describe(state, edit))
        st.text(f"{i}. {words}")
    rows = state.roster[state.roster["day"].astype(str) == state.day_text(day)]
    st.caption(_("The roster of the day, as edited:"))
    tables.show_table(
        rows.assign(locked=[(str(o), day) in state.locks for o in rows["operator"]]).reset_index(
            drop=True
        )
    )


def _reoptimise(state: EditedRoster, key: str) -> None:
    seconds = max(5.0, min(30.0, state.scenario.solver.time_limit_seconds))
    ss[f"{key}_said"] = None
    locked = state.locked_assignments()
    with st.spinner(_("Re-solving the roster around the locks...")):
        try:
            roster, unassigned, improved = reoptimise(state, time_limit_seconds=seconds)
        except PlannerError as error:
            st.error(_("Cannot re-optimise: {error}").format(error=say_error(error)))
            return
    rows = {(str(r.operator), str(r.day), r.start, r.end) for r in roster.itertuples()}
    kept = sum(
        (o, state.day_text(d), a, b) in rows for o, shifts in locked.items() for d, a, b in shifts
    )
    ss[f"{key}_state"] = replace(
        state,
        roster=roster,
        unassigned=unassigned,
        history=(*state.history, state),
        log=(*state.log, _LockedSolve()),
    )
    st.success(
        _(
            "Re-optimised around the locks: {kept} of {locks} locked shifts kept, {shifts} "
            "shifts rostered{note}."
        ).format(
            kept=kept,
            locks=sum(len(v) for v in locked.values()),
            shifts=len(roster),
            note="" if improved else _(" (nothing better found in time: the roster is as it was)"),
        )
    )


class _LockedSolve:
    """The log's entry for a re-optimisation (undo returns the roster before it)."""

    day = 0

    def __repr__(self) -> str:
        return str(REOPTIMISED)
