"""The Plan page's "What would close the gap": advice per line-day below target, each with a
button that keeps a copy of the scenario with the advice applied (never the user's file).

UI only: the advice is :func:`planner.study.advice.advise`, the change
:func:`planner.study.advice.apply_advice`.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _state
from planner import editing as ed
from planner.domain.plan import PlanResult
from planner.errors import ScenarioError
from planner.present.formats import SCREEN, money, percent
from planner.study.advice import AdviceReport, advise, apply_advice

ADVICE_SECONDS = 10.0
"""The advice's time bound on the page (the emergency week takes about 2 s)."""
APPLIED = "advice_applied"
"""Session key of the last "Apply to a copy" outcome: (kept, message)."""

ss = st.session_state


@st.cache_data(show_spinner=False, max_entries=16)
def advice_for(key: ed.ScenarioKey, fingerprint: str, _result: PlanResult) -> AdviceReport:
    """The advice for a plan (by its scenario key and fingerprint; ``_result`` not hashed)."""
    return advise(ed.scenario_from_key(key), _result.coverage, time_limit_seconds=ADVICE_SECONDS)


def show(key: ed.ScenarioKey, fingerprint: str, result: PlanResult) -> None:
    """The expander with the advice for the plan of ``key`` (the scenario planned)."""
    with st.expander("What would close the gap", icon=":material/lightbulb:"):
        try:
            with st.spinner("Looking for what would close the gap..."):
                report = advice_for(key, fingerprint, result)
        except Exception as exc:  # said on the page; the plan above is still shown
            _state.show_failure("The advice", exc)
            return
        if APPLIED in ss:
            ok, message = ss[APPLIED]
            if ok:
                st.success(message, icon=":material/content_copy:")
            else:
                st.error(message, icon=":material/error:")
        if not report.missed:
            st.success("Every line meets its service target on every day planned.")
            return
        st.caption(
            f"{len(report.missed)} line-day(s) below target. For each, the agents of the "
            "cheapest pool with the line's skill, on whole shifts of its templates, that lift "
            "the day to the target by the formulas (each on this plan alone). Applying one keeps "
            "a copy of the scenario with that pool's headcount raised on that day, for the "
            "Compare page; the scenario file is not changed."
        )
        for i, advice in enumerate(report.advice):
            text, button = st.columns([5, 1], vertical_alignment="center")
            text.markdown(
                f"**{advice.day.strftime('%a %d %b')} · {advice.queue}**: "
                f"+{advice.agents} {advice.pool} agents {advice.span[0]}-{advice.span[1]} lift "
                f"the day from {percent(advice.service_level_before, marks=SCREEN)} to "
                f"{percent(advice.service_level_after, marks=SCREEN)} (target "
                f"{percent(advice.service_level_target, marks=SCREEN)}); "
                f"+{advice.paid_hours:,.1f} paid hours, cost "
                f"+{money(advice.cost, marks=SCREEN)} {advice.currency}.  \n"
                f"Shifts: {advice.shifts_text(ed.scenario_from_key(key).grid)}"
            )
            button.button(
                "Apply to a copy",
                key=f"advice_apply_{i}",
                icon=":material/content_copy:",
                on_click=apply_to_copy,
                args=(advice,),
            )
        if report.unexamined:
            left = ", ".join(f"{q} {d:%a %d %b}" for q, d in report.unexamined)
            st.warning(f"Not examined within {ADVICE_SECONDS:g} s: {left}.")


def apply_to_copy(advice) -> None:
    """Keep a copy of the scenario being edited with the advice applied (Compare page)."""
    ws = _state.workspace()
    draft = ws.draft
    label = (
        f"{draft.data.get('name') or 'scenario'} + {advice.agents} {advice.pool} "
        f"{advice.day.isoformat()} ({advice.queue})"
    )
    try:
        scenario = draft.with_data(apply_advice(draft.data, advice)).validate()
    except (ScenarioError, ValueError) as exc:
        ss[APPLIED] = (False, f"The advice cannot be applied to the scenario being edited: {exc}")
        return
    ws.kept[label] = ed.scenario_key(scenario, draft.files)
    ss[APPLIED] = (
        True,
        f"Kept a copy of the scenario as '{label}': {advice.pool} has {advice.agents:+d} "
        f"headcount on {advice.day.isoformat()}. Your scenario and its file are unchanged; "
        "compare the copy on the Compare page.",
    )
