"""Plan: solve the scenario with a visible progress bar, then see where the plan is short.

The solve runs in a background thread (:class:`app_pages._jobs.SolveJob`) so that this page can
redraw the best plan and bound as the solver improves them, and a Stop button can end the search
with the best plan found so far. The page polls the job while it runs; any click reruns the page,
which finds the job still running and carries on showing it.
"""

from __future__ import annotations

import json
import time
from datetime import date

import streamlit as st

from app_pages import (
    _advice,
    _cache,
    _i18n,
    _jobs,
    _plan_edits,
    _simulation,
    _state,
    _timeline,
    charts,
    tables,
)
from app_pages._i18n import _, n_
from planner import editing as ed
from planner.cpsat.explain import group_rules
from planner.domain.plan import COVERAGE_COLUMNS, SHIFT_COLUMNS
from planner.errors import ScenarioError
from planner.io.export import kpis_document, plan_to_excel, table_to_csv
from planner.present.catalogue import kpi
from planner.present.formats import CURRENCY
from planner.simulate import describe_check, promise_table, service_band

ss = st.session_state

st.title(_("Plan"))
st.caption(
    _(
        "Size the shifts: how many agents of each pool start which shift, with breaks, at least "
        "cost. The solver proves how far the plan can be from the best possible (the gap)."
    )
)

scenario = _state.current_scenario()
if scenario is None:
    st.stop()
grid = scenario.grid
day_choices = charts.day_options(grid.dates)
forecast_fed = [q.name for q in scenario.queues if q.demand and q.demand.history_csv]
POINT = "As the scenario says"
confidence_choices = {POINT: None, "80 %": 0.8, "90 %": 0.9, "95 %": 0.95}
"""The confidence levels offered (the keys stay English in the session; shown translated)."""


confidence_words = {choice: choice for choice in confidence_choices} | {
    POINT: _("As the scenario says")
}


def at_confidence(scenario, files):
    """The scenario with every queue staffed to the confidence chosen (risk-level staffing)."""
    level = confidence_choices.get(ss.get("plan_confidence") or POINT)
    if level is None:
        return scenario
    data = ed.scenario_data(scenario)
    data["service"]["confidence"] = level
    for queue in data["queues"]:
        queue["confidence"] = None
    return ed.Draft(data, files, scenario.source).validate()


def planning_target() -> tuple[ed.ScenarioKey, _jobs.SolveSettings]:
    """What the Solve button solves: the scenario (or one day of it) and the settings."""
    chosen = day_choices.get(ss.get("plan_days") or "Whole horizon")
    settings = _jobs.SolveSettings(
        time_limit_seconds=float(ss.get("plan_time_limit") or scenario.solver.time_limit_seconds),
        relative_gap=float(ss.get("plan_gap", scenario.solver.relative_gap * 100)) / 100,
        workers=int(ss.get("plan_workers") or scenario.solver.workers),
        day=chosen.isoformat() if chosen else None,
    )
    files = _state.workspace().draft.files
    planned = at_confidence(scenario, files)
    if chosen is None:
        return ed.scenario_key(planned, files), settings
    data, day_files = ed.restrict_to_day(planned, files, chosen)
    one_day = ed.Draft(data, day_files, f"{scenario.source} ({chosen.isoformat()})").validate()
    return ed.scenario_key(one_day, day_files), settings


def start_solve() -> None:
    job = ss.get("solve_job")
    if job is not None and job.running:
        return
    try:
        key, settings = planning_target()
    except (ScenarioError, ValueError) as exc:
        ss["solve_error"] = exc
        return
    ss.pop("solve_error", None)
    ss["solve_job"] = _jobs.SolveJob(key, settings, scenario.name).start()


def stop_solve() -> None:
    job = ss.get("solve_job")
    if job is not None:
        job.stop.set()


# ----- settings and buttons -----------------------------------------------------------------------
job = ss.get("solve_job")
running = job is not None and job.running
with st.container(border=True):
    what, limit, gap, workers = st.columns([2, 1, 1, 1])
    what.selectbox(
        _("Plan"),
        list(day_choices),
        format_func=charts.day_label(day_choices),
        key="plan_days",
        persist_state="session",
        help=_("One day plans just that day, with the same demand and staff as in the week."),
        disabled=running,
    )
    limit.number_input(
        _("Time limit (s)"),
        min_value=0.5,
        value=float(scenario.solver.time_limit_seconds),
        step=5.0,
        format="%.1f",
        key="plan_time_limit",
        persist_state="session",
        help=_("The solver stops then with the best plan found."),
        disabled=running,
    )
    gap.number_input(
        _("Stop at gap (%)"),
        min_value=0.0,
        max_value=99.0,
        value=scenario.solver.relative_gap * 100,
        step=0.5,
        format="%.1f",
        key="plan_gap",
        persist_state="session",
        help=_("The solver stops once the plan is proven within this share of the best possible."),
        disabled=running,
    )
    workers.number_input(
        _("Solver workers"),
        min_value=1,
        max_value=8,
        value=int(scenario.solver.workers),
        step=1,
        key="plan_workers",
        persist_state="session",
        help=_("One worker: the same plan every time. More may be faster on big scenarios."),
        disabled=running,
    )
    if forecast_fed:
        st.selectbox(
            _("Meet the target with confidence"),
            list(confidence_choices),
            format_func=confidence_words.__getitem__,
            key="plan_confidence",
            persist_state="session",
            help=_(
                "Risk-level staffing of the queues forecast from history ({queues}): each "
                "interval gets the fewest agents that meet its targets with this probability over "
                "the forecast's uncertainty. Solve at two levels and compare the paid hours to see "
                "what the confidence costs."
            ).format(queues=", ".join(forecast_fed)),
            disabled=running,
        )
    solve, stop, _spare = st.columns([1, 1, 4])
    solve.button(
        _("Solve"),
        type="primary",
        icon=":material/play_arrow:",
        on_click=start_solve,
        disabled=running,
        key="plan_solve",
    )
    stop.button(
        _("Stop"),
        icon=":material/stop:",
        on_click=stop_solve,
        disabled=not running,
        key="plan_stop",
    )
    if "solve_error" in ss:
        _state.show_failure(_("Cannot solve"), ss["solve_error"])

# ----- progress while the solver runs -------------------------------------------------------------
job = ss.get("solve_job")
if job is not None and not job.recorded:
    bar, detail = st.empty(), st.empty()
    drawn = -1
    while True:
        done = not job.running
        latest = job.latest
        limit_s = job.settings.time_limit_seconds
        text = _("Solving ({settings}): {seconds} s").format(
            settings=job.settings.describe(), seconds=_i18n.number(job.elapsed, 1)
        )
        if latest is not None and latest.objective is not None:
            text += " · " + n_(
                "best plan {objective} · bound {bound} · gap {gap} · {count} plan found",
                "best plan {objective} · bound {bound} · gap {gap} · {count} plans found",
                latest.solutions_found,
            ).format(
                objective=_i18n.number(latest.objective),
                bound=_i18n.number(latest.best_bound),
                gap=_i18n.gap(latest.gap),
                count=latest.solutions_found,
            )
        elif latest is not None:
            text += " · " + _("bound {bound} · no plan yet").format(
                bound=_i18n.number(latest.best_bound)
            )
        bar.progress(min(job.elapsed / limit_s, 1.0), text=text)
        if len(job.history) != drawn and len(job.history) > 1:
            drawn = len(job.history)
            detail.altair_chart(charts.localised(charts.progress_chart(job.progress_table())))
        if done:
            break
        time.sleep(0.2)
    job.recorded = True
    if job.error is not None:  # shown by the buttons after the rerun below
        ss["solve_error"] = job.error
    elif job.result is not None:
        ss["previous_plan"] = ss.get("plan")
        ss["plan"] = _jobs.PlanRecord(
            result=job.result,
            key=job.key,
            settings=job.settings,
            label=job.label,
            stopped=job.stop.is_set(),
            seconds=job.elapsed,
        )
    bar.empty()
    detail.empty()
    st.rerun()  # draw the buttons again (Solve enabled, Stop disabled) with the plan below

# ----- the plan -----------------------------------------------------------------------------------
record: _jobs.PlanRecord | None = ss.get("plan")
if record is None:
    st.info(_("Press Solve to plan the scenario. A week of the emergency scenario takes seconds."))
    st.stop()

result, report = record.result, record.result.solve
plan_scenario = ed.scenario_from_key(record.key)
plan_grid = plan_scenario.grid
try:
    if planning_target()[0] != record.key:
        st.warning(
            _(
                "The scenario, or the days chosen, changed since this plan was made: press Solve "
                "to plan it again."
            ),
            icon=":material/update:",
        )
except (ScenarioError, ValueError):
    pass

if report.status == "INFEASIBLE":
    st.error(
        _("The hard rules contradict each other, so no plan exists. Rules in conflict:")
        + "\n\n"
        + "\n".join(f"- {_i18n.say(line)}" for line in group_rules(report.conflicting_rules))
    )
    st.stop()
if not report.has_plan:
    st.error(
        _(
            "No plan was found ({quality}) in {seconds} s. Give the solver more time, or stop it "
            "later."
        ).format(
            quality=tables.verdict(
                report.status, report.gap, stopped=report.stopped, greedy=report.greedy
            ),
            seconds=_i18n.number(report.solve_seconds, 1),
        )
    )
    st.stop()
if report.no_shifts_reason:
    st.warning(
        _("The plan has no shift although the queues need agents: {reason}.").format(
            reason=_i18n.say(report.no_shifts_reason)
        )
        + "".join(f"\n- {_i18n.say(line)}" for line in group_rules(report.conflicting_rules)),
        icon=":material/block:",
    )

how = tables.verdict(report.status, report.gap, stopped=report.stopped, greedy=report.greedy)
if record.stopped and not report.stopped:
    how = _("stopped by you; {how}").format(how=how)
cached = record.seconds < 0.5 * report.solve_seconds  # the cache answered, not the solver
st.markdown(
    f"**{record.label}** ({record.settings.describe()}): {how}; "
    + (
        _("plan taken from the cache (solved before with these settings).")
        if cached
        else _("plan ready {seconds} s after Solve.").format(
            seconds=_i18n.number(record.seconds, 1)
        )
    )
)
with st.expander(_("Solver figures")):
    st.markdown(
        _(
            "- Objective (cost of paid hours plus the soft rules' penalties): {objective}\n"
            "- Best bound (no plan can cost less): {bound}\n"
            "- Gap: {gap} · solver status: {status} · {seconds} s"
        ).format(
            objective=_i18n.number(report.objective),
            bound=_i18n.number(report.best_bound),
            gap=_i18n.gap(report.gap),
            status=tables.status_code_words(report.status),  # in words, not CP-SAT's code
            seconds=_i18n.number(report.solve_seconds, 1),
        )
    )
st.caption(
    _(
        "**Service level**: {definition} A target of 80 % within 20 s means 8 calls in 10 "
        "answered within 20 seconds. Costs are in {currency}; hover a card for its definition."
    ).format(definition=tables.kpi_help(kpi("service_level", "queue")), currency=CURRENCY)
)
if result.split_check is not None:  # shared agents counted where the routing serves them
    # A line the simulation does not confirm is a warning, not a caption.
    say_check = st.caption if result.split_check.confirmed else st.warning
    say_check(_i18n.say(describe_check(result.split_check)))
if not result.validation.ok:
    st.error(
        _("The plan check found broken rules: {summary}").format(
            summary=_i18n.say(result.validation.summary())
        )
    )

# ----- KPI cards ----------------------------------------------------------------------------------
kpis = result.kpis
previous = ss.get("previous_plan")
before = previous.result.kpis if previous is not None else None


QUEUE_CARDS = (
    "service_level",
    "abandon_rate",
    "asa_seconds",
    "understaffed_intervals",
    "peak_agents",
)
"""Each queue's cards, left to right."""


def change(key: str) -> str | None:
    """The difference from the previous plan's total, for a card's delta."""
    if before is None or getattr(before, key) is None:
        return None
    delta = getattr(kpis, key) - getattr(before, key)
    signed = tables.kpi_value(kpi(key), delta, signed=True)
    if kpi(key).unit == "money":
        signed = f"{signed} {CURRENCY}"
    if not delta:
        return _("same as previous plan")
    return _("{difference} vs previous plan").format(difference=signed)


with st.container(border=True):
    paid, cost, borrowed, short, ratio = st.columns(5)
    for column, key, colour in (
        (paid, "paid_hours", "off"),
        (cost, "cost", "inverse"),
        (borrowed, "borrowed_hours", "off"),
        (short, "understaffed_intervals", "inverse"),
    ):
        tables.kpi_card(column, kpi(key), getattr(kpis, key), None, change(key), delta_color=colour)
    brief = tables.kpi_brief(kpi("paid_to_required_ratio"))
    tables.kpi_card(
        ratio, kpi("paid_to_required_ratio"), kpis.paid_to_required_ratio, brief.capitalize()
    )
    for name, q in kpis.queues.items():
        level = kpi("service_level", "queue")
        miss = None if q.service_level is None else q.service_level - q.service_level_target
        target = tables.kpi_value(kpi("service_level_target", "queue"), q.service_level_target)
        deltas = {
            "service_level": None
            if miss is None
            else _("{difference} vs target {target}").format(
                difference=tables.kpi_value(level, miss, signed=True), target=target
            ),
            "peak_agents": _("{count} needed at the peak").format(
                count=_i18n.number(q.peak_required_agents)
            ),
        }
        for column, key in zip(st.columns(len(QUEUE_CARDS)), QUEUE_CARDS, strict=True):
            entry = kpi(key, "queue")
            options = {"delta_color": "off", "delta_arrow": "off"} if key == "peak_agents" else {}
            label = f"{name}: {tables.kpi_brief(entry)}"
            tables.kpi_card(column, entry, getattr(q, key), label, deltas.get(key), **options)

_advice.show(record.key, _cache.plan_fingerprint(result.plan), result)

# ----- the promise and the simulation -----------------------------------------------------------
st.subheader(_("Promise and simulation, per line"))
sim_settings = _simulation.settings("plan_sim", plan_scenario)
band = None
try:
    with st.spinner(_("Simulating the plan call by call...")):
        simulated = _cache.simulation(
            record.key, _cache.plan_fingerprint(result.plan), sim_settings, _plan=result.plan
        )
except Exception as exc:  # a bad setting or a bug: said on the page, the plan still shown
    _state.show_failure(_("The simulation"), exc)
else:
    with st.container(border=True, key="plan_simulated"):
        _simulation.heading(simulated)
        _simulation.line_cards(promise_table(plan_scenario, kpis, simulated))
        _simulation.explanation()
    band = service_band(result.coverage, simulated, plan_grid)

# ----- charts -------------------------------------------------------------------------------------
view_choices = charts.day_options(plan_grid.dates)
shown = st.segmented_control(
    _("Show"),
    list(view_choices),
    default=next(iter(view_choices)),
    format_func=charts.day_label(view_choices),
    key="plan_view",
    persist_state="session",
)
day: date | None = view_choices.get(shown) if shown in view_choices else None
minutes = plan_grid.interval_minutes
coverage_tab, service_tab, shifts_tab, timeline_tab, edit_tab, objective_tab, tables_tab = st.tabs(
    [
        _("Coverage"),
        _("Service level"),
        _("Shifts"),
        _("Timeline"),
        _("Edit"),
        _("Objective and checks"),
        _("Tables"),
    ]
)
with edit_tab:
    _plan_edits.show(
        plan_scenario,
        result,
        key="plan_edits",
        time_limit_seconds=record.settings.time_limit_seconds,
    )
with timeline_tab:
    _timeline.show(result.plan, key="plan_timeline")
with coverage_tab:
    for queue in plan_scenario.queues:
        st.altair_chart(
            charts.localised(charts.coverage_chart(result.coverage, queue.name, day, minutes))
        )
with service_tab:
    for queue in plan_scenario.queues:
        st.altair_chart(
            charts.localised(
                charts.service_chart(
                    result.coverage, queue.name, queue.service_level, day, minutes, band=band
                )
            )
        )
with shifts_tab:
    if result.shifts.empty:
        st.info(_("The plan has no shifts."))
    elif day is None:
        st.altair_chart(charts.localised(charts.starts_chart(result.shifts, plan_grid.dates)))
        st.caption(_("Choose a day above to see each shift with its breaks."))
    else:
        st.altair_chart(charts.localised(charts.shift_chart(result.shifts, day)))
with objective_tab:
    st.markdown(_("The objective is the cost of paid hours plus the penalties of the soft rules:"))
    total = sum(result.penalties.values()) or 1.0
    st.dataframe(
        [
            {"term": tables.term_words(term), "amount": amount, "share": amount / total}
            for term, amount in result.penalties.items()
        ],
        hide_index=True,
        column_config={
            "term": st.column_config.Column(_("Term of the objective")),
            "amount": st.column_config.NumberColumn(_("Amount"), format="localized"),
            "share": st.column_config.ProgressColumn(
                _("Share"), format="percent", min_value=0, max_value=1
            ),
        },
    )
    st.altair_chart(
        charts.localised(charts.penalties_chart(result.penalties, unit=_("cost units")))
    )
    if result.validation.ok:
        st.success(
            _("Plan check without the solver: {summary}").format(
                summary=_i18n.say(result.validation.summary())
            )
        )
with tables_tab:
    st.markdown("**{}**".format(_("Shifts")))
    tables.show_table(result.shifts[list(SHIFT_COLUMNS)])
    st.markdown("**{}**".format(_("Per queue and day")))
    tables.show_table(result.kpis_daily)

# ----- downloads ----------------------------------------------------------------------------------
stem = "plan" if record.settings.day is None else f"plan_{record.settings.day}"
shifts_csv, coverage_csv, excel, kpis_json = st.columns(4)
shifts_csv.download_button(
    _("Shifts (CSV)"),
    table_to_csv(result.shifts[list(SHIFT_COLUMNS)]),
    file_name=f"{stem}_shifts.csv",
    mime="text/csv",
    icon=":material/download:",
    key="download_shifts",
    on_click="ignore",
)
coverage_csv.download_button(
    _("Coverage (CSV)"),
    lambda: table_to_csv(result.coverage[list(COVERAGE_COLUMNS)]),
    file_name=f"{stem}_coverage.csv",
    mime="text/csv",
    icon=":material/download:",
    key="download_coverage",
    on_click="ignore",
)
excel.download_button(
    _("Plan (Excel)"),
    lambda: plan_to_excel(result),
    file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    key="download_excel",
    on_click="ignore",
)
kpis_json.download_button(
    _("KPIs (JSON)"),
    lambda: json.dumps(kpis_document(result), indent=2, allow_nan=False),
    file_name=f"{stem}_kpis.json",
    mime="application/json",
    icon=":material/download:",
    key="download_kpis",
    on_click="ignore",
)
if band is not None:
    _simulation.downloads(simulated, plan_scenario, stem, "plan")
