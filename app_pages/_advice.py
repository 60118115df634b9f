"""The Plan page's "What would close the gap": advice per line-day below target, each with a
button that keeps a copy of the scenario with the advice applied (never the user's file).

UI only: the advice is :func:`planner.study.advice.advise`, the change
:func:`planner.study.advice.apply_advice`.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _i18n, _state
from app_pages._i18n import _, n_
from planner import editing as ed
from planner.domain.plan import PlanResult
from planner.errors import ScenarioError
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
    with st.expander(_("What would close the gap"), icon=":material/lightbulb:"):
        try:
            with st.spinner(_("Looking for what would close the gap...")):
                report = advice_for(key, fingerprint, result)
        except Exception as exc:  # said on the page; the plan above is still shown
            _state.show_failure(_("The advice"), exc)
            return
        if APPLIED in ss:
            ok, message = ss[APPLIED]
            if ok:
                st.success(message, icon=":material/content_copy:")
            else:
                st.error(message, icon=":material/error:")
        if not report.missed:
            st.success(_("Every line meets its service target on every day planned."))
            return
        st.caption(
            n_(
                "{count} line-day below target.",
                "{count} line-days below target.",
                len(report.missed),
            ).format(count=len(report.missed))
            + " "
            + _(
                "For each, the agents of the cheapest pool with the line's skill, on whole shifts "
                "of its templates, that lift the day to the target by the formulas (each on this "
                "plan alone). Applying one keeps a copy of the scenario with that pool's headcount "
                "raised on that day, for the Compare page; the scenario file is not changed."
            )
        )
        for i, advice in enumerate(report.advice):
            text, button = st.columns([5, 1], vertical_alignment="center")
            text.markdown(
                f"**{_i18n.short_day(advice.day)} · {advice.queue}**: "
                + _(
                    "+{agents} {pool} agents {start}-{end} lift the day from {before} to {after} "
                    "(target {target}); +{hours} paid hours, cost +{cost} {currency}."
                ).format(
                    agents=advice.agents,
                    pool=advice.pool,
                    start=advice.span[0],
                    end=advice.span[1],
                    before=_i18n.percent(advice.service_level_before),
                    after=_i18n.percent(advice.service_level_after),
                    target=_i18n.percent(advice.service_level_target),
                    hours=_i18n.number(advice.paid_hours, 1),
                    cost=_i18n.number(advice.cost),
                    currency=advice.currency,
                )
                + "  \n"
                + _("Shifts: {shifts}").format(
                    shifts=_i18n.say(advice.shifts_text(ed.scenario_from_key(key).grid))
                )
            )
            button.button(
                _("Apply to a copy"),
                key=f"advice_apply_{i}",
                icon=":material/content_copy:",
                on_click=apply_to_copy,
                args=(advice,),
            )
        if report.unexamined:
            left = ", ".join(f"{q} {_i18n.short_day(d)}" for q, d in report.unexamined)
            st.warning(
                _("Not examined within {seconds} s: {left}.").format(
                    seconds=f"{ADVICE_SECONDS:g}", left=left
                )
            )


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
        ss[APPLIED] = (
            False,
            _("The advice cannot be applied to the scenario being edited: {error}").format(
                error=_i18n.say_error(exc)
            ),
        )
        return
    ws.kept[label] = ed.scenario_key(scenario, draft.files)
    ss[APPLIED] = (
        True,
        _(
            "Kept a copy of the scenario as '{label}': {pool} has {change} headcount on {day}. "
            "Your scenario and its file are unchanged; compare the copy on the Compare page."
        ).format(
            label=label,
            pool=advice.pool,
            change=f"{advice.agents:+d}",
            day=_i18n.day(advice.day, "yMMMd"),
        ),
    )
