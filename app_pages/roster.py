"""Roster: give every planned shift to a named operator, legally and fairly.

The roster step (:func:`planner.roster.roster_scenario`) runs in a background thread
(:class:`app_pages._jobs.RosterJob`) so this page can show it improving and a Stop button can
end it with the best roster so far. It rosters the plan made on the Plan page when that plan is
of the scenario as it is now; otherwise it plans the shifts first, as the Plan page would.
"""

from __future__ import annotations

import time

import streamlit as st

from app_pages import _cache, _edits, _i18n, _jobs, _simulation, _state, _timeline, charts, tables
from app_pages._i18n import _, n_
from planner import editing as ed
from planner.cpsat.explain import group_rules
from planner.domain.operators import generate_operators
from planner.io.export import table_to_csv
from planner.io.operators_file import OPERATOR_COLUMNS, operators_table
from planner.present.catalogue import kpi
from planner.roster import roster_archive, roster_to_excel
from planner.roster.report import WORDS as GRID_WORDS
from planner.roster.report import week_grid
from planner.simulate import promise_table, service_band
from planner.timegrid import WEEKDAYS

ss = st.session_state


st.title(_("Roster"))
st.caption(
    _(
        "Give every planned shift to a named operator under the labour rules: one shift a day, "
        "contract hours, rest between shifts, days off, no two long shifts in a row. Hours, "
        "weekends and late shifts are shared out fairly; shifts nobody can legally take are "
        "listed with the reason."
    )
)

scenario = _state.current_scenario()
if scenario is None:
    st.stop()
ws = _state.workspace()
key = _state.current_key(scenario)

# ----- who is rostered, under which rules ---------------------------------------------------------
named = scenario.operators is not None
operators = scenario.operators if named else generate_operators(scenario)
with st.container(border=True):
    if named:
        st.markdown(
            n_(
                "**{count} named operator** from `{file}`.",
                "**{count} named operators** from `{file}`.",
                len(operators),
            ).format(count=len(operators), file=scenario.operators_file)
        )
    else:
        st.markdown(
            n_(
                "**{count} anonymous operator** made from the pools' headcounts (the scenario "
                "names no operators file). Upload one below to roster real people.",
                "**{count} anonymous operators** made from the pools' headcounts (the scenario "
                "names no operators file). Upload one below to roster real people.",
                len(operators),
            ).format(count=len(operators))
        )
    with st.expander(_("Use another operators file"), expanded=False):
        st.caption(
            _(
                "A CSV (one operator per row) or YAML list with the fields {fields}. Only `id` "
                "and `pool` are required; lists such as skills or dates are separated by `;`. "
                "The file is kept with the scenario and saved with it."
            ).format(fields=", ".join(f"`{c}`" for c in OPERATOR_COLUMNS))
        )
        upload = st.file_uploader(
            _("Operators file"), type=["csv", "yaml", "yml"], key="roster_operators_upload"
        )
        use, generated = st.columns(2)
        if use.button(
            _("Use these operators"), disabled=upload is None, key="roster_use_operators"
        ):
            candidate = ed.set_operators(ws.draft, upload.name, upload.getvalue())
            _scenario, problem = _state.validated(candidate)
            if problem is None:
                _state.replace_draft(candidate)
                st.rerun()
            _state.show_issues(problem.issues, candidate.data)
            st.caption(_("The file was not used; the roster keeps its operators."))
        if generated.button(
            _("Use operators made from the headcounts"), disabled=not named, key="roster_generated"
        ):
            _state.replace_draft(ed.use_generated_operators(ws.draft))
            st.rerun()
    with st.expander(
        n_("The {count} operator", "The {count} operators", len(operators)).format(
            count=len(operators)
        )
    ):
        tables.show_table(operators_table(operators))
    rules = scenario.labour
    with (
        st.expander(_("Labour rules (the scenario's; Kazakhstan Labour Code defaults)")),
        st.form("roster_rules", border=False),
    ):
        a, b, c, d = st.columns(4)
        values = {
            "max_hours_per_week": a.number_input(
                _("Normal hours a week (beyond: overtime)"),
                value=float(rules.max_hours_per_week),
                step=1.0,
            ),
            "max_shift_hours": b.number_input(
                _("Shift length (h), at most"), value=float(rules.max_shift_hours), step=0.5
            ),
            "min_rest_hours": c.number_input(
                _("Rest between shifts (h), at least"), value=float(rules.min_rest_hours), step=1.0
            ),
            "min_days_off_per_week": d.number_input(
                _("Days off in 7, at least"), value=rules.min_days_off_per_week, step=1
            ),
        }
        a, b, c, _spare = st.columns(4)
        values |= {
            "max_consecutive_days": a.number_input(
                _("Working days in a row, at most"), value=rules.max_consecutive_days, step=1
            ),
            "long_shift_hours": b.number_input(
                _("A long shift lasts (h)"), value=float(rules.long_shift_hours), step=0.5
            ),
            "no_consecutive_long_shifts": c.checkbox(
                _("Never two long shifts on consecutive days"),
                value=rules.no_consecutive_long_shifts,
            ),
        }
        a, b, c, _spare = st.columns(4)
        values |= {
            "max_overtime_hours_per_day": a.number_input(
                _("Overtime a day worked (h), at most"),
                value=float(rules.max_overtime_hours_per_day),
                step=0.5,
            ),
            "max_overtime_hours_per_month": b.number_input(
                _("Overtime a month (h), at most"),
                value=float(rules.max_overtime_hours_per_month),
                step=1.0,
            ),
            "max_overtime_hours_per_year": c.number_input(
                _("Overtime a year (h), at most"),
                value=float(rules.max_overtime_hours_per_year),
                step=1.0,
            ),
        }
        if st.form_submit_button(_("Apply these rules"), key="roster_rules_apply"):
            data = ws.draft.data
            for field, value in values.items():
                data = ed.set_value(data, ["labour", field], value)
            candidate = ws.draft.with_data(data)
            _scenario, problem = _state.validated(candidate)
            if problem is None:
                _state.replace_draft(candidate)
                st.rerun()
            _state.show_issues(problem.issues, candidate.data)
            st.caption(_("The rules were not changed."))

# ----- what is rostered, and the buttons ----------------------------------------------------------
plan_record: _jobs.PlanRecord | None = ss.get("plan")
reuse = (
    plan_record is not None
    and plan_record.key == key
    and plan_record.settings.day is None
    and not plan_record.stopped
)
if reuse:
    s = plan_record.settings
    plan_settings = (s.time_limit_seconds, s.relative_gap, s.workers)
    report = plan_record.result.solve
    plan_text = _("Rosters the plan made on the Plan page ({shifts} shifts, {quality}).").format(
        shifts=_i18n.number(int(plan_record.result.shifts["agents"].sum())),
        quality=tables.verdict(
            report.status, report.gap, stopped=report.stopped, greedy=report.greedy
        ),
    )
else:
    solver = scenario.solver
    plan_settings = (solver.time_limit_seconds, solver.relative_gap, solver.workers)
    plan_text = _(
        "Plans the shifts first, as the Plan page does with the scenario's solver settings "
        "(time limit {seconds} s, stop at gap {gap}), then rosters them."
    ).format(seconds=_i18n.number(solver.time_limit_seconds, 1), gap=_i18n.gap(solver.relative_gap))

job = ss.get("roster_job")
running = job is not None and job.running
with st.container(border=True):
    st.markdown(plan_text)
    limit, _spare = st.columns([1, 3])
    limit.number_input(
        _("Roster time limit (s)"),
        min_value=1.0,
        value=float(min(scenario.solver.time_limit_seconds, 10.0)),
        step=5.0,
        format="%.1f",
        key="roster_time_limit",
        persist_state="session",
        help=_(
            "The roster search stops then with the best roster found; every planned shift "
            "is assigned or listed with its reason well before."
        ),
        disabled=running,
    )
    make, stop, _spare = st.columns([1, 1, 4])
    if make.button(
        _("Make roster"),
        type="primary",
        icon=":material/badge:",
        disabled=running,
        key="roster_make",
    ):
        ss.pop("roster_error", None)
        ss["roster_job"] = _jobs.RosterJob(
            key, plan_settings, float(ss["roster_time_limit"]), scenario.name
        ).start()
        st.rerun()
    if stop.button(_("Stop"), icon=":material/stop:", disabled=not running, key="roster_stop"):
        job.stop.set()
    if "roster_error" in ss:
        _state.show_failure(_("The roster"), ss["roster_error"])

# ----- progress while it runs ---------------------------------------------------------------------
job = ss.get("roster_job")
if job is not None and not job.recorded:
    bar = st.empty()
    while True:
        done = not job.running
        latest = job.latest
        if job.planning:
            text = _("Planning the shifts: {seconds} s").format(
                seconds=_i18n.number(job.elapsed, 1)
            )
            fraction = 0.0
        else:
            text = _("Rostering: {seconds} s").format(seconds=_i18n.number(job.elapsed, 1))
            if latest is not None and latest.objective is not None:
                text += " · " + _("best roster {points} points").format(
                    points=_i18n.number(latest.objective)
                )
            fraction = min(job.elapsed / (job.time_limit_seconds + plan_settings[0]), 1.0)
        bar.progress(fraction, text=text)
        if done:
            break
        time.sleep(0.2)
    job.recorded = True
    if job.error is not None:  # shown by the buttons after the rerun below
        ss["roster_error"] = job.error
    elif job.result is not None:
        ss["roster"] = _jobs.RosterRecord(
            result=job.result,
            key=job.key,
            plan_settings=job.plan_settings,
            time_limit_seconds=job.time_limit_seconds,
            label=job.label,
            stopped=job.stop.is_set(),
            seconds=job.elapsed,
        )
    bar.empty()
    st.rerun()

# ----- the roster ---------------------------------------------------------------------------------
record: _jobs.RosterRecord | None = ss.get("roster")
if record is None:
    st.info(_("Press Make roster. A week of the emergency scenario takes about ten seconds."))
    st.stop()
result = record.result
if record.key != key:
    st.warning(
        _("The scenario changed since this roster was made: press Make roster to roster it again."),
        icon=":material/update:",
    )
plan = result.plan
if plan is not None and not plan.solve.has_plan:
    st.error(
        _("No shift plan was found ({quality}), so there is nothing to roster.").format(
            quality=tables.verdict(
                plan.solve.status,
                plan.solve.gap,
                stopped=plan.solve.stopped,
                greedy=plan.solve.greedy,
            )
        )
    )
    st.stop()

coverage, wishes = result.solve, result.wishes_solve
ended = (
    _("roster stopped by you {seconds} s after Make roster.")
    if record.stopped
    else _("roster finished {seconds} s after Make roster.")
)
st.markdown(
    f"**{record.label}**: "
    + ended.format(seconds=_i18n.number(record.seconds, 1))
    + " "
    + _("Unassigned shifts: {coverage}.").format(coverage=_i18n.say(result.coverage_text()))
    + (
        ""
        if wishes is None
        else " "
        + _("Wishes: {points} points, bound {bound}.").format(
            points=_i18n.number(wishes.objective), bound=_i18n.number(wishes.best_bound)
        )
    )
)
if result.validation.ok:
    st.success(
        _("Roster check without the solver: {summary}").format(
            summary=_i18n.say(result.validation.summary())
        )
    )
else:
    st.error(
        _("The roster check found broken rules: {summary}").format(
            summary=_i18n.say(result.validation.summary())
        )
    )
if result.deadline_cut:
    st.warning(
        _(
            "The time limit cut the search short (the server was slow or busy): this roster is the "
            "best found in time, and making it again may give another. A longer time limit gives "
            "the same roster every time."
        )
    )

fair = result.fairness


def _card(column, key: str, value, of: int | None = None) -> None:
    """A roster figure's card: the catalogue's label and definition, the count and what it is
    out of."""
    entry = kpi(key, "roster")
    text = tables.kpi_value(entry, value)
    if of is not None:
        text = _("{count} of {total}").format(count=text, total=tables.kpi_value(entry, of))
    tables.kpi_card(column, entry, value, text=text)


with st.container(border=True):
    assigned, missing, working, hours, weekends = st.columns(5)
    counts = result.kpis
    _card(assigned, "assigned_shifts", counts.assigned_shifts, counts.planned_shifts)
    _card(missing, "unassigned_shifts", counts.unassigned_shifts)
    _card(working, "operators_working", counts.operators_working, counts.operators)
    _card(
        hours,
        "max_hours_off_fair_share",
        None if fair.empty else fair["hours_off_target"].abs().max(),
    )
    weekend = None if fair.empty else fair["weekend_shifts"]
    _card(
        weekends,
        "weekend_shifts_range",
        None if weekend is None else f"{weekend.min()}-{weekend.max()}",
    )

if len(result.unassigned):
    said = result.unassigned.assign(reason=[_i18n.say(r) for r in result.unassigned["reason"]])
    groups = said.groupby(["day", "pool", "start", "end", "reason"], sort=True, as_index=False)
    lines = [
        f"- {row.size} x {_i18n.short_day(row.day)} {row.pool} {row.start}-{row.end}: {row.reason}"
        for row in groups.size().itertuples(index=False)
    ]
    st.error(
        _(
            "{count} planned shift(s) have no operator who may legally work them (shown in red "
            "in the grid):"
        ).format(count=len(result.unassigned))
        + "\n\n"
        + "\n".join(lines),
        icon=":material/person_off:",
    )
    if coverage.conflicting_rules:
        st.markdown(
            _("Rules that cannot all hold with every planned shift assigned:")
            + "\n\n"
            + "\n".join(f"- {_i18n.say(line)}" for line in group_rules(coverage.conflicting_rules))
        )
else:
    st.success(_("Every planned shift has an operator."), icon=":material/how_to_reg:")

# ----- the promise and the simulation of the roster -----------------------------------------------
band = simulated = None
if plan is not None:
    st.subheader(_("Promise and simulation of the roster, per line"))
    st.caption(
        _(
            "The promise is the formulas' figure for the plan that was rostered; the simulation "
            "plays the shifts the operators work (planned shifts nobody could take are missing) "
            "call by call."
        )
    )
    roster_scenario = ed.scenario_from_key(record.key)
    sim_settings = _simulation.settings("roster_sim", roster_scenario)
    try:
        with st.spinner(_("Simulating the roster call by call...")):
            simulated = _cache.roster_simulation(
                record.key,
                _cache.plan_fingerprint(plan.plan),
                _cache.roster_fingerprint(result.roster),
                sim_settings,
                _plan=plan.plan,
                _roster=result.roster,
            )
    except Exception as exc:  # a bad setting or a bug: said here, the roster still shown
        _state.show_failure(_("The simulation"), exc)
    else:
        with st.container(border=True, key="roster_simulated"):
            _simulation.heading(simulated)
            _simulation.line_cards(
                promise_table(roster_scenario, plan.kpis, simulated),
                promise_label=_("plan's promise (formula)"),
            )
            _simulation.explanation()
        band = service_band(plan.coverage, simulated, roster_scenario.grid)

# ----- grid, fairness, capacity -------------------------------------------------------------------
grid_tab, timeline_tab, edit_tab, fairness_tab, capacity_tab, service_tab, objective_tab = st.tabs(
    [
        _("Week grid"),
        _("Timeline"),
        _edits.tab_label(),
        _("Fairness"),
        _("Capacity"),
        _("Service level"),
        _("Objective"),
    ]
)
with timeline_tab:
    _timeline.show(plan.plan if plan else None, result.roster, key="roster_timeline")
with edit_tab:
    edited = (roster_scenario, plan.plan) if plan is not None else (scenario, None)
    _edits.show(*edited, result, key="roster_edits")
with grid_tab:
    grid = week_grid(result.week_view, result.unassigned)
    pools = list(dict.fromkeys(grid["pool"]))
    chosen_pools, chosen_week, search = st.columns([2, 1, 2])
    shown_pools = chosen_pools.multiselect(_("Pools"), pools, default=pools, key="roster_pools")
    weeks = sorted(grid["week"].unique())
    week = chosen_week.selectbox(
        _("Week"), weeks, key="roster_week", disabled=len(weeks) < 2, format_func=lambda w: f"{w}"
    )
    text = search.text_input(_("Operator"), key="roster_search", placeholder=_("id or name"))
    rows = grid[grid["pool"].isin(shown_pools) & (grid["week"] == week)]
    if text:
        wanted = rows["operator"].str.contains(text, case=False, regex=False) | rows[
            "name"
        ].str.contains(text, case=False, regex=False)
        rows = rows[wanted | rows["unassigned"]]
    day_columns = list(result.week_view.columns[5:12])
    off, away = _i18n.say(GRID_WORDS["off"]), _i18n.say(GRID_WORDS["unavailable"])
    shown = rows.assign(  # the library's words in the session's language, shifts as they are
        **{c: [_i18n.say(GRID_WORDS.get(v, v)) for v in rows[c]] for c in [*day_columns, "name"]}
    )

    def colour(row):
        if row["unassigned"]:
            return ["background-color: #f8d0cc; color: #7b1d12; font-weight: 600"] * len(row)
        return [
            "color: #9aa3ad"
            if row[c] == off
            else "color: #9aa3ad; font-style: italic"
            if row[c] == away
            else ""
            for c in row.index
        ]

    st.dataframe(
        shown.reset_index(drop=True).style.apply(colour, axis=1),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(rows), 720),
        column_order=["operator", "name", "pool", *day_columns, "shifts", "paid_hours"],
        column_config={
            "paid_hours": st.column_config.NumberColumn(_("paid hours"), format="%.1f"),
            **{
                c: st.column_config.TextColumn(_i18n.weekday(WEEKDAYS.index(c)))
                for c in day_columns
            },
        },
        key="roster_grid",
    )
    st.caption(
        n_(
            "{count} operator shown, week {week} from {day}. Red rows: planned shifts nobody "
            "works.",
            "{count} operators shown, week {week} from {day}. Red rows: planned shifts nobody "
            "works.",
            int((~rows["unassigned"]).sum()),
        ).format(
            count=int((~rows["unassigned"]).sum()),
            week=week,
            day=_i18n.short_day(rows["week_start"].iloc[0]),
        )
        if len(rows)
        else _("No operator matches.")
    )

with fairness_tab:
    st.markdown(_("How evenly the work is shared, per pool (min, max and spread over operators):"))
    summary = result.fairness_summary
    tables.show_table(summary)
    if not fair.empty:
        st.altair_chart(charts.localised(charts.hours_chart(fair)))
    tables.show_table(fair)
with capacity_tab:
    st.markdown(
        _(
            "What the plan asks of each pool and what its operators can give under the rules. When "
            "planned shifts exceed operator-days, or planned long shifts exceed the long-shift "
            "limit, some shifts cannot be rostered whatever the search does."
        )
    )
    capacity = result.capacity
    tables.show_table(capacity)
with service_tab:
    if band is None:
        st.info(_("The roster has no simulation to show."))
    else:
        view_choices = charts.day_options(roster_scenario.grid.dates)
        shown = st.segmented_control(
            _("Show"),
            list(view_choices),
            default=next(iter(view_choices)),
            format_func=charts.day_label(view_choices),
            key="roster_view",
        )
        day = view_choices.get(shown) if shown in view_choices else None
        for queue in roster_scenario.queues:
            st.altair_chart(
                charts.localised(
                    charts.service_chart(
                        plan.coverage,
                        queue.name,
                        queue.service_level,
                        day,
                        roster_scenario.grid.interval_minutes,
                        band=band,
                    )
                )
            )
with objective_tab:
    st.markdown(_("The roster's soft rules, in points (points rank wishes; they are not money):"))
    st.altair_chart(charts.localised(charts.penalties_chart(result.penalties, unit=_("points"))))
    st.json(result.timings, expanded=False)

# ----- downloads ----------------------------------------------------------------------------------
stem = "roster"
csv, excel, archive = st.columns(3)
csv.download_button(
    _("Roster (CSV)"),
    lambda: table_to_csv(result.roster),
    file_name=f"{stem}.csv",
    mime="text/csv",
    icon=":material/download:",
    key="download_roster_csv",
    on_click="ignore",
)
excel.download_button(
    _("Roster (Excel)"),
    lambda: roster_to_excel(result),
    file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    key="download_roster_excel",
    on_click="ignore",
)
archive.download_button(
    _("Every roster file (zip)"),
    lambda: roster_archive(result),
    file_name=f"{stem}.zip",
    mime="application/zip",
    icon=":material/download:",
    key="download_roster_zip",
    on_click="ignore",
)
if simulated is not None:
    _simulation.downloads(simulated, roster_scenario, "roster", "roster")
