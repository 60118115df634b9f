"""The Edit tab of the Plan page: a shift manager's edits to the plan's shift groups.

Pick a day and one of its shift groups (N agents of a pool on a shift), then set its agents
(0 removes it), move it to another start (breaks moved with it) or lock its shift (its agents
kept when re-optimising). Each edit goes through
:func:`planner.editing.plan_edits.apply_plan_edit`: refused with the rule named (``st.error``),
or accepted with the plan's KPIs recomputed by the formulas. The edits are listed with Undo;
"Re-optimise around my locks" solves the plan again keeping every locked shift
(:func:`planner.editing.plan_edits.reoptimise`). A fragment: an edit reruns only the tab.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _i18n, tables
from app_pages._edits import undo_and_solve_buttons
from app_pages._i18n import _, n_, say
from planner.domain.plan import PlanResult, ShiftGroup, shifts_table
from planner.domain.scenario import Scenario
from planner.editing.plan_edits import (
    EditedPlan,
    LockShift,
    MoveGroup,
    PlanEditOutcome,
    SetAgents,
    apply_plan_edit,
    describe_plan_edit,
    reoptimise,
)
from planner.errors import PlannerError
from planner.io.export import table_to_csv
from planner.messages import Message
from planner.present.catalogue import kpi
from planner.present.formats import CURRENCY

__all__ = ["show"]

ss = st.session_state

CARDS = (
    ("paid_hours", "off"),
    ("cost", "inverse"),
    ("shifts", "off"),
    ("understaffed_intervals", "inverse"),
)
"""The plan's cards the tab shows after an edit, with the colour of a rise."""


def _state(scenario: Scenario, result: PlanResult, key: str) -> EditedPlan:
    """The edits of this plan (started afresh when the page's plan changes)."""
    held = ss.get(f"{key}_state")
    if held is None or ss.get(f"{key}_of") is not result:
        held = EditedPlan.start(scenario, result)
        ss[f"{key}_state"], ss[f"{key}_of"], ss[f"{key}_said"] = held, result, None
    return held


def _group_text(state: EditedPlan, group: ShiftGroup) -> str:
    grid = state.scenario.grid
    text = _("{pool}, {template} {start}-{end}").format(
        pool=group.pool,
        template=group.template,
        start=grid.clock_at(group.start),
        end=grid.clock_at(group.end),
    )
    if group.breaks:
        text += " · " + ", ".join(
            f"{grid.clock_at(group.start + o)}-{grid.clock_at(group.start + o + n)}"
            for o, n in group.breaks
        )
    text += " · " + n_("{count} agent", "{count} agents", group.agents).format(count=group.agents)
    return text + (" 🔒" if state.is_locked(group) else "")


@st.fragment
def show(scenario: Scenario, result: PlanResult, *, key: str, time_limit_seconds: float) -> None:
    """The tab for the plan ``result`` of ``scenario``, widgets keyed by ``key``; a
    re-optimisation has the plan's own time limit."""
    if not result.plan.shifts:
        st.info(_("The plan has no shift group to edit."))
        return
    state = _state(scenario, result, key)
    st.caption(
        _(
            "Change a shift group (agents of a pool on a shift): each edit is checked at once "
            "against the plan's hard rules and refused with the rule it would break; the KPIs "
            "are computed again. A lock keeps the agents of a shift when re-optimising."
        )
    )
    grid = scenario.grid
    day_col, group_col = st.columns([1, 3])
    day = day_col.selectbox(
        _("Day"), list(range(grid.days)), format_func=state.day_text, key=f"{key}_day"
    )
    groups = state.groups_of(day)
    if not groups:
        st.info(_("No shift on this day."))
        return
    labels = [_group_text(state, g) for g in groups]  # made here: the selectbox may call
    position = group_col.selectbox(  # format_func outside the session, in no language
        _("Shift group"),
        list(range(len(groups))),
        format_func=labels.__getitem__,
        key=f"{key}_group",
    )
    group = groups[min(position or 0, len(groups) - 1)]
    agents_col, start_col = st.columns(2)
    agents = agents_col.number_input(
        _("Agents on the group"),
        min_value=0,
        value=int(group.agents),
        step=1,
        key=f"{key}_agents_{day}_{position}",
    )
    starts = list(grid.interval_labels)
    start = start_col.selectbox(
        _("New start (Move)"),
        starts,
        index=group.start,
        key=f"{key}_start_{day}_{position}",
    )
    edits = {  # the button's key stays the same in every language
        "agents": (_("Set agents"), lambda: SetAgents(group, int(agents))),
        "move": (_("Move"), lambda: MoveGroup(group, start)),
        "lock": (_("Lock / unlock"), lambda: LockShift(group)),
    }
    for column, (name, (label, make)) in zip(st.columns(len(edits)), edits.items(), strict=True):
        if column.button(label, key=f"{key}_{name}", use_container_width=True):
            outcome = apply_plan_edit(state, make())
            ss[f"{key}_said"] = outcome
            if outcome.accepted:
                ss[f"{key}_state"] = outcome.state
                st.rerun(scope="fragment")  # the groups' list shows the edit
    state, solve = undo_and_solve_buttons(state, key)
    if solve:
        seconds = max(1.0, time_limit_seconds)
        with st.spinner(_("Solving the plan again around the locks...")):
            try:
                outcome = reoptimise(state, time_limit_seconds=seconds)
            except PlannerError as error:
                outcome = None
                st.error(_("Cannot re-optimise: {error}").format(error=_i18n.say_error(error)))
        if outcome is not None:
            ss[f"{key}_said"] = outcome
            if outcome.accepted:
                ss[f"{key}_state"] = outcome.state
                st.rerun(scope="fragment")
    said: PlanEditOutcome | None = ss.get(f"{key}_said")
    if said is not None:
        if said.accepted:
            st.success(say(_worded(said.message, said.state)))
            _cards(state, said.before)
        else:
            for line in say(_worded(said.message, said.state)).splitlines():
                st.error(line)

    locked = len(state.locks)
    st.markdown(
        _("**Edits** ({count}); locked shifts: {locks}.").format(
            count=len(state.log), locks=locked or _("none")
        )
    )
    for i, edit in enumerate(state.log, 1):
        st.text(f"{i}. {say(_worded(describe_plan_edit(state, edit), state))}")
    if not state.result.validation.ok:
        st.warning(say(state.result.validation.summary()))
    if state.log:
        st.download_button(
            _("Download the edited shifts (CSV)"),
            table_to_csv(shifts_table(state.plan)),
            file_name="shifts_edited.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key=f"{key}_download",
        )


def _worded(message: Message, state: EditedPlan) -> Message:
    """``message`` with the solver's words among its parameters in the session's language: a
    re-optimisation's verdict (``quality``) as :func:`app_pages.tables.verdict` says it, a solver
    status (``status``, ``OPTIMAL``) as :func:`app_pages.tables.status_words` does. The library
    writes them in English; in English the message is left as the library wrote it."""
    params = getattr(message, "params", None)
    if _i18n.language() == _i18n.DEFAULT or not params:
        return message
    worded = {}
    if "quality" in params:
        solve = state.result.solve
        worded["quality"] = tables.verdict(solve.status, solve.gap, stopped=solve.stopped)
    if "status" in params:
        worded["status"] = tables.status_words(params["status"])
    nested = {  # the messages among the parameters that had such words
        k: w
        for k, v in params.items()
        if isinstance(v, Message) and (w := _worded(v, state)) is not v
    }
    if not worded and not nested:
        return message
    return Message(message.template, {**params, **nested, **worded}, message.plural)


def _cards(state: EditedPlan, before: PlanResult | None) -> None:
    """The edited plan's totals, each with its change from the plan before the edit."""
    kpis = state.result.kpis
    for column, (name, colour) in zip(st.columns(len(CARDS)), CARDS, strict=True):
        entry = kpi(name)
        delta = None
        if before is not None:
            change = getattr(kpis, name) - getattr(before.kpis, name)
            delta = tables.kpi_value(entry, change, signed=True) if change else None
            if delta is not None and entry.unit == "money":
                delta = f"{delta} {CURRENCY}"
        tables.kpi_card(column, entry, getattr(kpis, name), None, delta, delta_color=colour)
    queue_cols = st.columns(max(len(kpis.queues), 1))
    for column, (name, q) in zip(queue_cols, kpis.queues.items(), strict=False):
        entry = kpi("service_level", "queue")
        delta = None
        if before is not None and name in before.kpis.queues:
            change = q.service_level - before.kpis.queues[name].service_level
            delta = tables.kpi_value(entry, change, signed=True) if change else None
        label = f"{name}: {tables.kpi_title(entry)}"
        tables.kpi_card(column, entry, q.service_level, label, delta)
