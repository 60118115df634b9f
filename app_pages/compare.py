"""Compare scenarios: KPIs side by side, overlaid charts, a surge x staff sweep, capacity answers.

Every comparison, sweep and search solves several scenarios in parallel worker processes
(:mod:`planner.study`), in a background job whose progress the page shows; results are
cached
on the scenarios' text and the settings, so asking again costs nothing.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from app_pages import _cache, _i18n, _jobs, _state, charts, tables
from app_pages._i18n import _, n_
from planner import editing as ed
from planner.io.export import table_to_csv
from planner.present.catalogue import rows
from planner.simulate import SimulationSettings
from planner.simulate.promise import MAX_REPLICATIONS
from planner.study import STOPPED, CapacityAnswer, Comparison

ss = st.session_state

st.title(_("Compare scenarios"))
st.caption(
    _(
        "Put scenarios side by side (shipped, saved, or edited and not saved yet), sweep the size "
        "of a surge against a pool's headcount, and ask how big a surge the staff can absorb."
    )
)

choices = _state.comparable_scenarios()
shown_labels = {c: _state.shown_label(c) for c in choices}  # worded here, not in a callback


def shown_label(choice: str) -> str:
    """A choice as the selectors show it (:func:`_state.shown_label`, worded once a run)."""
    return shown_labels.get(choice, choice)


if _state.EDITED not in choices:
    st.warning(
        _(
            "The scenario being edited has problems, so it cannot be compared; fix them on the "
            "Scenario page. Files can still be compared."
        ),
        icon=":material/warning:",
    )


def stopped_names(result) -> tuple[list[str], int]:
    """What a stopped study left unfinished (the points' labels, or the values searched) and how
    many of its plans finished."""
    if isinstance(result, CapacityAnswer):
        names = [f"{result.path} = {v:g}" for v in result.stopped_values]
        return names, len(result.evaluations) - len(names)
    points = result.results if isinstance(result, Comparison) else result.points
    names = [_state.shown_label(p.label) for p in points if p.stopped]
    return names, len(points) - len(names)


def run_job(name: str, job: _jobs.CallJob | None, total: int | None, what: str):
    """Start ``job`` under ``name`` unless one is running; then follow it to its result."""
    running = ss.get(name)
    if job is not None and not (running is not None and running.running):
        ss[name] = job.start()
        st.rerun()  # draw the page again with its Stop button enabled, then follow the job
    current = ss.get(name)
    if current is not None and not current.recorded:
        _jobs.follow(current, total, what=what)
        current.recorded = True
        ss[name + "_result"] = current.result if current.error is None else None
        st.rerun()  # draw the buttons again (Stop disabled) with the result
    if current is not None and current.error is not None:
        _state.show_failure(what, current.error)
    elif current is not None and current.stopped:
        names, done = stopped_names(current.result)
        shown = "; ".join(names[:4]) + ("; …" if len(names) > 4 else "")
        if names:
            text = n_(
                "Stopped by you: {count} plan was not finished ({names}); {done} finished are "
                "kept below. Press the button again to run everything.",
                "Stopped by you: {count} plans were not finished ({names}); {done} finished are "
                "kept below. Press the button again to run everything.",
                len(names),
            ).format(count=len(names), names=shown, done=done)
        else:
            text = _("Stopped by you after every plan had finished; all are kept below.")
        st.info(text, icon=":material/stop_circle:")
    return ss.get(name + "_result")


def worded(comparison: Comparison) -> Comparison:
    """The comparison with its scenarios' labels as the page shows them
    (:func:`_state.shown_label`: "Scenario being edited" in the session's language); the
    choices themselves, the cached comparison's labels, stay the same in every language."""
    names = {r.label: _state.shown_label(r.label) for r in comparison.results}
    names[comparison.reference] = _state.shown_label(comparison.reference)

    def renamed(table):
        if "scenario" not in table.columns:
            return table
        return table.assign(scenario=table["scenario"].map(lambda s: names.get(s, s)))

    return replace(
        comparison,
        kpis=renamed(comparison.kpis),
        coverage=renamed(comparison.coverage),
        differences=renamed(comparison.differences),
        reference=names[comparison.reference],
        results=tuple(replace(r, label=names.get(r.label, r.label)) for r in comparison.results),
    )


def finished_any(result) -> bool:
    """Did at least one plan of a (possibly stopped) study finish?"""
    return result is not None and stopped_names(result)[1] > 0


side_tab, sweep_tab = st.tabs([_("Side by side"), _("Sweep and capacity")])

# ----- side by side ------------------------------------------------------------------------------
with side_tab:
    defaults = [c for c in ("emergency.yaml", "emergency_no_borrowed.yaml") if c in choices]
    chosen = st.multiselect(
        _("Scenarios to compare"),
        list(choices),
        default=defaults,
        format_func=shown_label,
        key="compare_chosen",
        persist_state="session",
        help=_(
            "Two or more. Keep an edited version on the Scenario page (Save and download tab) "
            "to compare it with others."
        ),
    )
    reference_box, limit_box = st.columns([2, 1])
    reference = reference_box.selectbox(
        _("Reference (differences are against it)"),
        chosen,
        format_func=shown_label,
        key="compare_reference",
        persist_state="session",
    )
    time_limit = limit_box.number_input(
        _("Time limit per scenario (s)"),
        min_value=0.5,
        value=20.0,
        step=5.0,
        key="compare_limit",
        persist_state="session",
    )
    simulate_box, replications_box = st.columns([2, 1])
    simulate = simulate_box.checkbox(
        _("Also simulate each plan call by call"),
        key="compare_simulate",
        persist_state="session",
        help=_(
            "Adds per line the simulated service level and abandon rate, each with its 95 % "
            "interval, beside the formula's promise: every plan played call by call under its "
            "scenario's routing, whole agents absent for the day (about a second per week of "
            "30 replications)."
        ),
    )
    replications = replications_box.number_input(
        _("Replications"),
        min_value=2,
        max_value=MAX_REPLICATIONS,
        value=30,
        step=10,
        key="compare_replications",
        persist_state="session",
        disabled=not simulate,
    )
    run_box, stop_box, _spare = st.columns([1, 1, 4])
    start = run_box.button(
        _("Compare"),
        type="primary",
        icon=":material/compare_arrows:",
        disabled=len(chosen) < 2,
        key="compare_run",
    )
    _jobs.stop_button("compare_job", stop_box)
    if len(chosen) < 2:
        st.info(_("Choose two or more scenarios."))
    job = None
    if start and len(chosen) >= 2:
        keys = tuple(choices[c] for c in chosen)
        simulation = SimulationSettings(replications=int(replications)) if simulate else None
        job = _jobs.CallJob(
            "compare", _cache.compare_plans, keys, tuple(chosen), reference, time_limit, simulation
        )
    comparison = run_job("compare_job", job, len(chosen), _("Solving the scenarios"))
    if comparison is not None:
        comparison = worded(comparison)

    if finished_any(comparison):
        for failed in (r for r in comparison.results if r.failed):
            st.error(f"{failed.label}: {_i18n.say(failed.error)}", icon=":material/error:")
        st.subheader(
            _("KPIs side by side (Δ: difference from {reference})").format(
                reference=comparison.reference
            )
        )
        st.dataframe(
            tables.side_by_side(comparison.kpis, comparison.differences, comparison.reference),
            hide_index=True,
            width="stretch",
            height="content",
        )
        with st.expander(_("What each KPI means")):
            st.markdown(tables.definitions([e for _, _, e in rows(comparison.kpis.columns)]))
        sim = comparison.simulation
        if sim is not None:
            st.caption(
                _(
                    "Service level, abandoned and ASA are the formulas' promise for each plan. "
                    "The simulated rows are each plan played call by call ({replications} "
                    "replications, seed {seed}, each scenario under its own routing policy, "
                    "whole agents absent for the day): the mean ± the half-width of the 95 % "
                    "interval; the Δ columns compare the means. The CSV has the ASA and "
                    "occupancy too, with their half-widths (`_ci95`)."
                ).format(replications=sim.replications, seed=sim.seed)
            )
        st.download_button(
            _("Download the KPI table (CSV)"),
            table_to_csv(comparison.kpis),
            file_name="comparison.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
        )

        coverage = comparison.coverage
        if not coverage.empty:
            days = sorted(coverage["day"].unique())
            options = charts.day_options(days)
            shown = st.segmented_control(
                _("Show"),
                list(options),
                default="Whole horizon",
                format_func=charts.day_label(options),
                key="compare_day",
            )
            day = options.get(shown or "Whole horizon")
            first_key = ss["compare_job"].args[0][0]
            minutes = ed.scenario_from_key(first_key).horizon.interval_minutes
            kpis = comparison.kpis
            for queue in tables.queues_of(kpis):
                if queue not in set(coverage["queue"]):
                    continue
                targets = kpis[f"{queue}.service_level_target"].dropna()
                target = float(targets.iloc[0]) if len(targets) else None
                st.altair_chart(
                    charts.localised(charts.overlay_coverage(coverage, queue, day, minutes))
                )
                st.altair_chart(
                    charts.localised(charts.overlay_service(coverage, queue, target, day, minutes))
                )

# ----- sweep and capacity ------------------------------------------------------------------------
with sweep_tab:
    base_label = st.selectbox(
        _("Scenario to vary"),
        list(choices),
        format_func=shown_label,
        key="sweep_base",
        persist_state="session",
    )
    base = ed.scenario_from_key(choices[base_label])
    surges = {}  # by path: the default values, the choice's label and the axis' title
    for i, surge in enumerate(base.surges):
        if surge.peak_multiplier != 1 or not surge.added_calls_per_day:
            axis = _("{surge}: peak multiplier").format(surge=surge.name)
            surges[f"surges[{i}].peak_multiplier"] = (
                "1, 2, 3, 4",
                _("{axis} (now {value}x)").format(
                    axis=axis, value=_i18n.number(surge.peak_multiplier, 1)
                ),
                axis,
                surge.name,
            )
        if surge.added_calls_per_day:
            now = surge.added_calls_per_day
            axis = _("{surge}: added calls per day").format(surge=surge.name)
            surges[f"surges[{i}].added_calls_per_day"] = (
                ", ".join(f"{now * f:.0f}" for f in (0.5, 1, 1.5, 2)),
                _("{axis} (now {value})").format(axis=axis, value=_i18n.number(now)),
                axis,
                surge.name,
            )
    pools = {p.name: p for p in base.pools}
    queue_names = [q.name for q in base.queues]
    if not surges:
        st.info(_("This scenario has no surge to vary; choose one with a surge (emergency.yaml)."))
        st.stop()

    surge_box, surge_values_box = st.columns([2, 1])
    surge_path = surge_box.selectbox(
        _("Surge to vary"),
        list(surges),
        format_func=lambda path: surges[path][1],
        key="sweep_surge",
        persist_state="session",
    )
    surge_default, _label, surge_axis_title, surge_name = surges[surge_path]
    surge_text = surge_values_box.text_input(
        _("Values"),
        value=surge_default,
        key=f"sweep_surge_values_{surge_path}",
        persist_state="session",
    )
    pool_box, pool_values_box = st.columns([2, 1])
    default_pool = next((p.name for p in base.pools if p.borrowed), base.pools[-1].name)
    pool_name = pool_box.selectbox(
        _("Pool whose headcount to vary"),
        list(pools),
        index=list(pools).index(default_pool),
        key="sweep_pool",
        persist_state="session",
    )
    now = pools[pool_name].headcount
    pool_text = pool_values_box.text_input(
        _("Headcounts"),
        value=f"0, {now}, {max(2 * now, 10)}",
        key=f"sweep_pool_values_{pool_name}",
        persist_state="session",
    )
    must_box, limit_box = st.columns([2, 1])
    must_meet = must_box.multiselect(
        _("Queues that must meet their target"),
        queue_names,
        default=queue_names,
        key="sweep_queues",
        persist_state="session",
        help=_(
            "A plan meets the target when each of these queues reaches its service level "
            "on every day it is open."
        ),
    )
    point_limit = limit_box.number_input(
        _("Time limit per point (s)"),
        min_value=0.5,
        value=10.0,
        step=5.0,
        key="sweep_limit",
        persist_state="session",
    )
    pool_path = f"pools[{pool_name}].headcount"

    st.subheader(_("Sweep: surge against headcount"))
    try:
        surge_values = ed.number_list(surge_text, what=_("Surge values"))
        headcounts = ed.number_list(pool_text, what=_("Headcounts"), whole=True)
    except ValueError as exc:  # the library's words, naming what was typed
        st.error(_i18n.say_error(exc), icon=":material/error:")
        surge_values, headcounts = [], []
    points = len(surge_values) * len(headcounts)
    run_box, stop_box, _spare = st.columns([2, 1, 3])
    start = run_box.button(
        n_("Run the sweep ({count} plan)", "Run the sweep ({count} plans)", points).format(
            count=points
        ),
        type="primary",
        disabled=not points,
        key="sweep_run",
    )
    _jobs.stop_button("sweep_job", stop_box)
    job = None
    if start and points:
        axes = ((surge_path, tuple(surge_values)), (pool_path, tuple(headcounts)))
        job = _jobs.CallJob("sweep", _cache.sweep_plans, choices[base_label], axes, point_limit)
    result = run_job("sweep_job", job, points, _("Solving the sweep"))

    if finished_any(result):
        table = result.table
        surge_axis, pool_axis = table.columns[2], table.columns[3]
        wanted = [q for q in must_meet if f"{q}.meets_target" in table.columns]
        table = table.assign(
            meets=table[[f"{q}.meets_target" for q in wanted]].fillna(False).all(axis=1)
            if wanted
            else table["meets_target"]
        )
        for failed in result.failed:
            st.error(f"{failed.label}: {_i18n.say(failed.error)}", icon=":material/error:")
        queue_shown = st.selectbox(
            _("Service level of"), tables.queues_of(table), key="sweep_heat_queue"
        )
        worst = st.toggle(_("Worst day instead of the whole horizon"), key="sweep_worst_day")
        column = f"{queue_shown}.{'worst_day_service_level' if worst else 'service_level'}"
        left, right = st.columns(2)
        left.altair_chart(
            charts.localised(
                charts.sweep_heatmap(
                    table,
                    pool_axis,
                    surge_axis,
                    column,
                    percent=True,
                    meets="meets",
                    x_title=_("{pool} headcount").format(pool=pool_name),
                    y_title=surge_axis_title,
                    title=_("{queue}: service level reached (✓ meets the target)").format(
                        queue=queue_shown
                    ),
                )
            )
        )
        right.altair_chart(
            charts.localised(
                charts.sweep_heatmap(
                    table,
                    pool_axis,
                    surge_axis,
                    "cost",
                    percent=False,
                    meets="meets",
                    x_title=_("{pool} headcount").format(pool=pool_name),
                    y_title=surge_axis_title,
                    title=_("Cost of the plan"),
                )
            )
        )
        for headcount in headcounts:
            if (table[table[pool_axis] == headcount]["status"] == STOPPED).all():
                continue  # nothing finished at this headcount: nothing to say
            rows = table[(table[pool_axis] == headcount) & table["meets"]]
            if rows.empty:
                st.markdown(
                    "- "
                    + _(
                        "With **{headcount}** {pool}: no surge value tried meets the target."
                    ).format(headcount=headcount, pool=pool_name)
                )
            else:
                st.markdown(
                    "- "
                    + _(
                        "With **{headcount}** {pool}: the target is met up to **{value}** (of the "
                        "values tried)."
                    ).format(
                        headcount=headcount, pool=pool_name, value=f"{rows[surge_axis].max():g}"
                    )
                )
        tables.show_table(table)
        st.download_button(
            _("Download the sweep (CSV)"),
            table_to_csv(table),
            file_name="sweep.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
        )

    # ----- capacity questions --------------------------------------------------------------------
    st.subheader(_("Capacity questions"))
    st.caption(
        _(
            "Answered by searching one field: the answer's plan meets the target, the next step's "
            "does not. Each search solves several plans."
        )
    )
    current_surge = base.surges[int(surge_path.split("[")[1].split("]")[0])]
    field = surge_path.rsplit(".", 1)[1]
    now_value = getattr(current_surge, field)
    largest_box, smallest_box = st.columns(2, gap="large")
    with largest_box:
        st.markdown(
            "**{}**".format(
                _("How big a {surge} surge can the staff absorb?").format(surge=surge_name)
            )
        )
        low, high, step = st.columns(3)
        is_multiplier = field == "peak_multiplier"
        search_low = low.number_input(
            _("From"), value=1.0 if is_multiplier else 0.0, key=f"cap_low_{surge_path}"
        )
        search_high = high.number_input(
            _("To"),
            value=6.0 if is_multiplier else float(now_value * 3),
            key=f"cap_high_{surge_path}",
        )
        search_step = step.number_input(
            _("Step"),
            value=0.1 if is_multiplier else max(float(now_value) / 20, 1.0),
            key=f"cap_step_{surge_path}",
        )
        ask_largest = st.button(_("Find the largest surge"), key="cap_largest")
    with smallest_box:
        st.markdown(
            "**{}**".format(
                _("How many {pool} are needed at a given surge?").format(pool=pool_name)
            )
        )
        at, low, high = st.columns(3)
        at_value = at.number_input(
            _("At surge value"), value=float(now_value), key=f"cap_at_{surge_path}"
        )
        fewest = low.number_input(_("From"), value=0, step=1, key=f"cap_from_{pool_name}")
        most = high.number_input(_("To"), value=max(3 * now, 30), step=1, key=f"cap_to_{pool_name}")
        ask_smallest = st.button(_("Find the smallest headcount"), key="cap_smallest")
    _jobs.stop_button("capacity_job", label=_("Stop the search"))

    job = None
    key = choices[base_label]
    queues = tuple(must_meet)
    if ask_largest:
        job = _jobs.CallJob(
            "largest",
            _cache.capacity_answer,
            key,
            (),
            surge_path,
            search_low,
            search_high,
            search_step,
            "largest",
            queues,
            point_limit,
        )
    elif ask_smallest:
        job = _jobs.CallJob(
            "smallest",
            _cache.capacity_answer,
            key,
            ((surge_path, at_value),),
            pool_path,
            int(fewest),
            int(most),
            1,
            "smallest",
            queues,
            point_limit,
        )
    answer = run_job("capacity_job", job, None, _("Searching"))
    if answer is not None:
        targets = _(" and ").join(
            f"{q} {_i18n.percent(base.queue(q).service_level, 0)}/"
            f"{base.queue(q).answer_within_seconds:g} s"
            for q in (answer.queues or queue_names)
        )
        if answer.outcome == "found" and answer.want == "largest":
            amount = (
                f"{answer.value:g}x"
                if answer.path.endswith("multiplier")
                else _("{calls} added calls a day").format(calls=_i18n.number(answer.value))
            )
            st.success(
                _(
                    "These staff absorb up to a **{amount}** {surge} surge at {targets} (at "
                    "{next} they do not)."
                ).format(
                    amount=amount, surge=surge_name, targets=targets, next=f"{answer.next_value:g}"
                )
            )
        elif answer.outcome == "found":
            st.success(
                _(
                    "**{count}** {pool} are needed to meet {targets} (with {next} the target is "
                    "missed)."
                ).format(
                    count=f"{answer.value:g}",
                    pool=pool_name,
                    targets=targets,
                    next=f"{answer.next_value:g}",
                )
            )
        elif answer.outcome != "stopped":  # a stopped search is said by run_job
            said = _i18n.say(answer.summary())
            st.warning(said[:1].upper() + said[1:] + ".")
        with st.expander(_("Every value solved ({count})").format(count=len(answer.evaluations))):
            tables.show_table(answer.evaluations)
