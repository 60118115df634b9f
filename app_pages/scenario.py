"""Scenario: open, edit, check and save the scenario that every other page uses.

How editing works: when the page is entered (or a scenario opened) it takes a snapshot of the
scenario being edited and builds every widget and table from it. Each run then rebuilds the
scenario from the snapshot and what the widgets hold, validates it once, shows each problem next
to its field, and stores it (valid or not) as the scenario being edited, so nothing a user typed
is lost when something else is wrong.
"""

from __future__ import annotations

import re
from datetime import date

import streamlit as st

from app_pages import _i18n, _state
from app_pages._i18n import N_, _, n_
from planner import editing as ed
from planner.errors import InputIssue, ScenarioError
from planner.present.formats import as_fraction, as_percent
from planner.present.notes import headcount_notes
from planner.profiles import BUILTIN_PROFILES
from planner.timegrid import WEEKDAYS

ss = st.session_state
ws = _state.workspace()

# ----- which snapshot the widgets start from ------------------------------------------------------
state = ss.get("scenario_page")
if (
    state is None
    or state["generation"] != ws.generation
    or f"sc{state['epoch']}_name" not in ss  # the page was left: its widgets are gone
):
    epoch = state["epoch"] + 1 if state else 0
    state = {"epoch": epoch, "generation": ws.generation, "snapshot": ws.draft}
    ss["scenario_page"] = state
P = f"sc{state['epoch']}_"
snapshot: ed.Draft = state["snapshot"]
base = snapshot.data


def start_again_from(draft: ed.Draft) -> None:
    """Make ``draft`` the scenario being edited and rebuild the widgets from it."""
    ws.draft = draft
    ss["scenario_page"] = {
        "epoch": state["epoch"] + 1,
        "generation": ws.generation,
        "snapshot": draft,
    }
    st.rerun()


def initial(name: str, value) -> str:
    """The key of widget ``name``, set to ``value`` the first time it is drawn."""
    key = P + name
    if key not in ss:
        ss[key] = value
    return key


def editor(name: str, frame, columns: dict, *, rows: str = "fixed"):
    return st.data_editor(
        frame,
        key=P + name,
        hide_index=True,
        num_rows=rows,
        width="stretch",
        column_config={ed.ROW: None, **columns},
    )


QUEUE_SHARES = (
    "service_level",
    "max_abandon_rate",
    "max_occupancy",
    "shrinkage",
    "self_service_share",
)
POOL_SHARES = ("max_part_time_share",)
PERCENT = "%.1f %%"
"""Shares are typed and shown in %, converted at the page's edge: the scenario holds fractions."""


def in_percent(frame, columns):
    """The table with the share ``columns`` in % (0.8 -> 80.0), for the editor."""
    return frame.assign(**{c: frame[c].map(as_percent) for c in columns})


def in_fractions(frame, columns):
    """The edited table with the share ``columns`` back in fractions (80 -> 0.8)."""
    return frame.assign(**{c: frame[c].map(as_fraction) for c in columns})


PERCENT_FIELDS = {*QUEUE_SHARES, *POOL_SHARES, "daily_interval_floor", "relative_gap"}
"""The fields this page takes in %: their problems say what was typed."""

SERVICE_MODES = {"interval": N_("per interval"), "daily": N_("per day")}
"""The service target's modes (``service.mode``) in words, translated where shown; the value
chosen stays the scenario file's."""


def typed_in_percent(issue: InputIssue) -> InputIssue:
    """A problem with a share as the user typed it: the rule names the value in % too
    (``service_level = 1.2: must be < 1 (typed: 120 %)``), since the file holds fractions."""
    field = issue.path.rsplit(".", 1)[-1]
    if field not in PERCENT_FIELDS or isinstance(issue.value, bool):
        return issue
    if not isinstance(issue.value, int | float):
        return issue
    return ed.typed_as_percent(issue, as_percent(issue.value))


queue_names = [q["name"] for q in base["queues"]]
pool_names = [p["name"] for p in base["pools"]]
template_names = [t["name"] for t in base["shift_templates"]]
profiles = list(BUILTIN_PROFILES)
Share = st.column_config.NumberColumn
Number = st.column_config.NumberColumn
Text = st.column_config.TextColumn
Pick = st.column_config.SelectboxColumn
Many = st.column_config.MultiselectColumn

# ----- page ---------------------------------------------------------------------------------------
st.title(_("Scenario"))
st.caption(
    _(
        "Everything a plan needs: demand, service targets, staff and shifts. Open a shipped or "
        "saved scenario, or upload one; change what you need; the Demand and Plan pages use it "
        "as it stands here. Problems are shown next to the field they concern."
    )
)

# ----- open ---------------------------------------------------------------------------------------
files = _state.scenario_files()


def open_chosen_file() -> None:
    label = ss["open_file"]
    try:
        _state.open_in_workspace(_state.open_file(label), label)
        ss.pop("open_error", None)
    except ScenarioError as exc:
        ss["open_error"] = exc


shown_file = ws.label if ws.label in files else None  # None for an upload
if ss.get("open_file") != shown_file:
    ss["open_file"] = shown_file
choose, upload = st.columns([2, 3], gap="large")
with choose:
    st.selectbox(
        _("Open a scenario file"),
        list(files),
        key="open_file",
        on_change=open_chosen_file,
        placeholder=_("Choose a shipped or saved scenario"),
        help=_(
            "Shipped scenarios from scenarios/, and those saved from this page (saved/...). "
            "Opening one replaces the scenario being edited."
        ),
    )
    if "open_error" in ss:
        _state.show_issues(ss["open_error"].issues, {})
with upload:
    # A rejected upload bumps the uploader's key, which empties it: the next file chosen is read
    # alone, not together with the rejected one (the uploader kept it, so every later upload
    # failed the same way).
    uploads = ss.setdefault("upload_generation", 0)
    uploaded = st.file_uploader(
        _("Or upload a scenario (.yaml) with the forecast files it uses (.csv)"),
        type=["yaml", "yml", "csv"],
        accept_multiple_files=True,
        key="upload_files" if not uploads else f"upload_files_{uploads}",
    )
    signature = tuple((f.name, f.size, f.file_id) for f in uploaded or [])
    if uploaded and ss.get("upload_done") != signature:
        ss["upload_done"] = signature
        try:
            draft = ed.draft_from_upload({f.name: f.getvalue() for f in uploaded})
            ss.pop("upload_error", None)
            _state.open_in_workspace(draft, draft.source)
            st.rerun()
        except ScenarioError as exc:
            ss["upload_error"] = (exc, ", ".join(f.name for f in uploaded))
            ss["upload_generation"] = uploads + 1
            st.rerun()
    if "upload_error" in ss:
        error, names = ss["upload_error"]
        st.error(
            _(
                "The upload was not opened ({names}); the scenario being edited is unchanged. "
                "Choose the files again once fixed."
            ).format(names=names)
            + "\n\n"
            + "\n".join(f"- {_i18n.say(ed.issue_text(issue, None))}" for issue in error.issues),
            icon=":material/error:",
        )

summary = st.container()

demand_tab, queues_tab, staff_tab, horizon_tab, save_tab = st.tabs(
    [
        _("Demand"),
        _("Queues and targets"),
        _("Staff and shifts"),
        _("Horizon and planning"),
        _("Save and download"),
    ]
)
data = base
placed = {}  # section -> the container where its errors are shown

# ----- demand -------------------------------------------------------------------------------------
with demand_tab:
    st.subheader(_("Daily calls per queue and weekday"))
    st.caption(
        _(
            "Baseline calls before surges, self-service and closed days (the Demand page shows the "
            "result). The profile spreads a day's calls over the opening hours."
        )
    )
    volumes = ed.volumes_table(base)
    day_columns = {day: Number(_i18n.weekday(i), format="%.0f") for i, day in enumerate(WEEKDAYS)}
    edited = editor(
        "volumes",
        volumes,
        {
            "queue": Text(_("Queue"), disabled=True),
            **day_columns,
            "profile": Pick(
                _("Intraday profile"),
                options=[*profiles, ed.CUSTOM_PROFILE],
                help=_(
                    "bank_weekday: measured bank call centre; public_service: peaks 10:00-11:30 "
                    "and 14:00-16:00; flat: equal shares."
                ),
            ),
        },
    )
    data = ed.apply_volumes(data, edited)
    by_day = ed.by_day_table(base)
    if not by_day.empty:
        st.caption(_("Queues whose calls are given for each day of the horizon:"))
        edited = editor("by_day", by_day, {"queue": Text(_("Queue"), disabled=True)})
        data = ed.apply_by_day(data, edited)
    placed["volumes"] = st.container()

    st.subheader(_("Forecast files"))
    fed = [
        (i, q) for i, q in enumerate(base["queues"]) if (q.get("demand") or {}).get("forecast_csv")
    ]
    for i, queue in fed:
        name = queue["demand"]["forecast_csv"]
        text, button = st.columns([4, 1], vertical_alignment="center")
        text.markdown(
            _("**{queue}** takes its calls per interval from `{file}`.").format(
                queue=queue["name"], file=name
            )
        )
        if button.button(_("Use weekday volumes"), key=P + f"unforecast_{i}"):
            start_again_from(ed.use_daily_volumes(ws.draft, i))
    with st.expander(_("Use a per-interval forecast file for a queue"), expanded=not fed):
        st.caption(
            _(
                "A CSV with columns day (YYYY-MM-DD), interval_start (HH:MM), queue, calls and "
                "optionally aht_seconds: one row per queue and interval of the horizon."
            )
        )
        target, chooser = st.columns([1, 2])
        forecast_queue = target.selectbox(_("Queue"), queue_names, key=P + "forecast_queue")
        forecast = chooser.file_uploader(_("Forecast CSV"), type=["csv"], key=P + "forecast_file")
        if st.button(_("Use this forecast"), disabled=forecast is None, key=P + "forecast_use"):
            current = ed.Draft(data, ws.draft.files, ws.draft.source)
            candidate = ed.set_forecast(
                current, queue_names.index(forecast_queue), forecast.name, forecast.getvalue()
            )
            _scenario, problem = _state.validated(candidate)
            bad = (
                [i for i in problem.issues if ed.issue_section(i) == "forecast"] if problem else []
            )
            if bad:
                _state.show_issues(bad, candidate.data)
                st.caption(_("The forecast was not used; the queue keeps its demand."))
            else:
                start_again_from(candidate)
    placed["forecast"] = st.container()

    st.subheader(_("Surges"))
    st.caption(
        _(
            "An event that multiplies a queue's calls (peak multiplier) or adds calls to it, "
            "rising over the ramp-up, holding for the plateau, then halving every half-life. Add "
            "or delete rows as needed."
        )
    )
    surge_start = date.fromisoformat(base["horizon"]["start_date"])
    edited = editor(
        "surges",
        ed.table(base, ed.SURGES),
        {
            "name": Text(_("Name"), required=True),
            "queue": Pick(_("Queue"), options=queue_names, required=True),
            "start_date": st.column_config.DateColumn(_("Starts"), default=surge_start),
            "start_time": Text(_("At (HH:MM)"), help=_("Empty: when the window opens")),
            "ramp_up_days": Number(_("Ramp-up (days)"), default=0.0),
            "plateau_days": Number(_("Plateau (days)"), default=0.0),
            "half_life_days": Number(_("Half-life (days)"), help=_("Empty: no decay")),
            "duration_days": Number(_("Duration (days)"), help=_("Empty: no end")),
            "peak_multiplier": Number(_("Peak multiplier"), default=1.0, format="%.2f"),
            "added_calls_per_day": Number(_("Added calls/day"), default=0.0, format="%.0f"),
            "profile": Pick(_("Profile of added calls"), options=[*profiles, ed.CUSTOM_PROFILE]),
        },
        rows="dynamic",
    )
    data = ed.apply_table(data, ed.SURGES, edited)
    placed["surges"] = st.container()

    st.subheader(_("Operating modes"))
    st.caption(_("Days on which some queues are closed: no calls, no agents."))
    edited = editor(
        "operating_modes",
        ed.table(base, ed.OPERATING_MODES),
        {
            "name": Text(_("Name"), required=True),
            "weekdays": Many(_("Weekdays"), options=list(WEEKDAYS)),
            "dates": Text(_("Dates (YYYY-MM-DD, comma-separated)")),
            "closed_queues": Many(_("Queues closed"), options=queue_names),
        },
        rows="dynamic",
    )
    data = ed.apply_table(data, ed.OPERATING_MODES, edited)
    placed["operating_modes"] = st.container()

# ----- queues -------------------------------------------------------------------------------------
with queues_tab:
    st.subheader(_("Queues: handling time, patience and service targets"))
    st.caption(
        _(
            "Shares in %: type 80 for 80 %. Empty optional cells mean 'not set'. Shrinkage "
            "covers only absence and other time the optimiser does not place (breaks are "
            "placed). A problem message names the share as the scenario file holds it (0.8 for "
            "80 %)."
        )
    )
    edited = editor(
        "queues",
        in_percent(ed.table(base, ed.QUEUES), QUEUE_SHARES),
        {
            "name": Text(_("Queue"), disabled=True),
            "aht_seconds": Number(_("AHT (s)"), format="%.0f", help=_("Talk plus wrap-up")),
            "patience_seconds": Number(
                _("Patience (s)"), format="%.0f", help=_("Empty: callers never hang up (Erlang C)")
            ),
            "service_level": Share(_("Service level (%)"), format=PERCENT),
            "answer_within_seconds": Number(_("within (s)"), format="%.0f"),
            "max_abandon_rate": Share(_("Max abandoned (%)"), format=PERCENT),
            "max_asa_seconds": Number(_("Max ASA (s)"), format="%.0f"),
            "max_occupancy": Share(_("Max occupancy (%)"), format=PERCENT),
            "shrinkage": Share(_("Shrinkage (%)"), format=PERCENT),
            "self_service_share": Share(_("Self-service (%)"), format=PERCENT),
            "staffing_lag_seconds": Number(_("Staffing lag (s)"), format="%.0f"),
            "min_agents": Number(_("Min agents"), format="%d"),
        },
    )
    data = ed.apply_table(data, ed.QUEUES, in_fractions(edited, QUEUE_SHARES))
    placed["queues"] = st.container()

# ----- staff and shifts ---------------------------------------------------------------------------
with staff_tab:
    st.subheader(_("Operators available per day"))
    st.caption(_("Each operator works at most one shift a day. Headcount changes below adjust it."))
    columns = st.columns(max(len(base["pools"]), 1))
    headcounts = []
    headcount_slots = []  # under each headcount: what the operators file sets, once validated
    for i, (column, pool) in enumerate(zip(columns, base["pools"], strict=False)):
        skills = ", ".join(pool.get("skills") or [])
        headcounts.append(
            column.number_input(
                _("Headcount: {pool}").format(pool=pool["name"]),
                step=1,
                key=initial(f"headcount_{i}", pool.get("headcount")),
                help=(
                    _("Skills: {skills}; borrowed staff")
                    if pool.get("borrowed")
                    else _("Skills: {skills}")
                ).format(skills=skills),
            )
        )
        headcount_slots.append(column.empty())
    data = ed.apply_headcounts(data, headcounts)
    placed["headcount"] = st.container()

    st.subheader(_("Pools: skills, cost and hours"))
    edited = editor(
        "pools",
        in_percent(ed.table(base, ed.POOLS), POOL_SHARES),
        {
            "name": Text(_("Pool"), disabled=True),
            "skills": Many(_("Queues served"), options=queue_names),
            "cost_per_hour": Number(_("Cost per paid hour"), format="%.0f"),
            "max_hours_per_week": Number(_("Max hours/week"), format="%.1f"),
            "borrowed": st.column_config.CheckboxColumn(_("Borrowed")),
            "shift_templates": Many(_("Shifts allowed"), options=template_names),
            "max_part_time_share": Share(_("Max part-time share (%)"), format=PERCENT),
        },
    )
    data = ed.apply_table(data, ed.POOLS, in_fractions(edited, POOL_SHARES))
    placed["pools"] = st.container()

    st.subheader(_("Headcount changes"))
    st.caption(_("Added to a pool's headcount on each day of the range (negative removes)."))
    edited = editor(
        "headcount_changes",
        ed.table(base, ed.HEADCOUNT_CHANGES),
        {
            "pool": Pick(_("Pool"), options=pool_names, required=True),
            "change": Number(_("Change"), format="%d", required=True),
            "from_date": st.column_config.DateColumn(_("From"), help=_("Empty: the first day")),
            "to_date": st.column_config.DateColumn(_("To"), help=_("Empty: the last day")),
            "reason": Text(_("Reason")),
        },
        rows="dynamic",
    )
    data = ed.apply_table(data, ed.HEADCOUNT_CHANGES, edited)
    placed["headcount_changes"] = st.container()

    st.subheader(_("Operators for the roster"))
    operators_file = base.get("operators_file")
    st.markdown(
        _("Named operators come from `{file}`.").format(file=operators_file)
        if operators_file
        else _("No operators file: the roster makes anonymous operators from the headcounts.")
    )
    st.page_link(
        _state.PAGES["roster"],
        label=_("Choose the operators on the Roster page"),
        icon=":material/badge:",
    )
    placed["operators"] = st.container()

    st.subheader(_("Shift templates"))
    st.caption(
        _("Lengths and steps in minutes; starts HH:MM (empty: any time that fits the window).")
    )
    templates = editor(
        "shift_templates",
        ed.table(base, ed.SHIFT_TEMPLATES),
        {
            "name": Text(_("Template"), required=True),
            "length_minutes": Number(_("Length (min)"), format="%d", required=True),
            "earliest_start": Text(_("Earliest start")),
            "latest_start": Text(_("Latest start")),
            "start_step_minutes": Number(_("Start every (min)"), format="%d", default=30),
            "part_time": st.column_config.CheckboxColumn(_("Part-time"), default=False),
        },
        rows="dynamic",
    )
    data = ed.apply_table(data, ed.SHIFT_TEMPLATES, templates)
    placed["shift_templates"] = st.container()

    st.subheader(_("Breaks"))
    st.caption(
        _("When each break may start, in minutes after its shift starts; placed by the plan.")
    )
    edited = editor(
        "breaks",
        ed.breaks_table(base),
        {
            "template": Pick(_("Template"), options=template_names, required=True),
            "name": Text(_("Break"), default="break"),
            "length_minutes": Number(_("Length (min)"), format="%d", required=True),
            "paid": st.column_config.CheckboxColumn(_("Paid"), default=False),
            "earliest_start_after_minutes": Number(_("Earliest (min after start)"), format="%d"),
            "latest_start_after_minutes": Number(_("Latest (min after start)"), format="%d"),
        },
        rows="dynamic",
    )
    data, break_problems = ed.apply_breaks(
        data, edited, before=base, template_rows=list(templates[ed.ROW])
    )
    placed["breaks"] = st.container()

# ----- horizon and planning -----------------------------------------------------------------------
with horizon_tab:
    st.subheader(_("Scenario"))
    name = st.text_input(_("Name"), key=initial("name", base.get("name") or ""))
    description = st.text_area(
        _("Description"), key=initial("description", base.get("description"))
    )
    data = ed.set_value(data, ["name"], name)
    data = ed.set_value(data, ["description"], description)
    placed["scenario"] = st.container()

    st.subheader(_("Horizon and opening hours"))
    h = base["horizon"]
    first, days, opens, closes, step = st.columns(5)
    start_date = first.date_input(
        _("First day"), key=initial("start_date", date.fromisoformat(h["start_date"]))
    )
    day_count = days.number_input(_("Days"), step=1, key=initial("days", h["days"]))
    window_start = opens.text_input(
        _("Opens (HH:MM)"), key=initial("window_start", h["window_start"])
    )
    window_end = closes.text_input(_("Closes (HH:MM)"), key=initial("window_end", h["window_end"]))
    interval = step.selectbox(
        _("Interval (min)"), [5, 15, 30, 60], key=initial("interval", h["interval_minutes"])
    )
    for field, value in (
        ("start_date", start_date.isoformat() if start_date else None),
        ("days", day_count),
        ("window_start", window_start),
        ("window_end", window_end),
        ("interval_minutes", interval),
    ):
        data = ed.set_value(data, ["horizon", field], value)
    placed["horizon"] = st.container()

    st.subheader(_("How the plan treats the target"))
    mode, floor = st.columns(2)
    mode_words = {m: _(words) for m, words in SERVICE_MODES.items()}  # here, not in a callback
    service_mode = mode.radio(
        _("Service target"),
        list(SERVICE_MODES),  # the values stay the scenario file's (interval, daily)
        format_func=lambda m: mode_words.get(m, m),
        key=initial("service_mode", base["service"]["mode"]),
        horizontal=True,
        help=_(
            "Per interval: every interval should have the agents it needs. Per day: each "
            "day's service level should meet the target, every interval keeping at least the "
            "floor."
        ),
    )
    daily_floor = floor.number_input(
        _("Daily mode: lowest service level of any interval (%)"),
        step=5.0,
        format="%.1f",
        key=initial("daily_floor", as_percent(base["service"]["daily_interval_floor"])),
    )
    data = ed.set_value(data, ["service", "mode"], service_mode)
    data = ed.set_value(data, ["service", "daily_interval_floor"], as_fraction(daily_floor))

    st.subheader(_("Solver defaults"))
    st.caption(_("The Plan page starts from these and lets you change them for one solve."))
    limit, gap, workers = st.columns(3)
    solver = base["solver"]
    time_limit = limit.number_input(
        _("Time limit (s)"),
        step=5.0,
        key=initial("time_limit", float(solver["time_limit_seconds"])),
    )
    relative_gap = gap.number_input(
        _("Stop at gap (%)"),
        step=0.5,
        format="%.1f",
        key=initial("gap", as_percent(solver["relative_gap"])),
        help=_("The solver stops once the plan is proven within this share of the best possible."),
    )
    worker_count = workers.number_input(
        _("Workers"), step=1, key=initial("workers", solver["workers"])
    )
    data = ed.set_value(data, ["solver", "time_limit_seconds"], time_limit)
    data = ed.set_value(data, ["solver", "relative_gap"], as_fraction(relative_gap))
    data = ed.set_value(data, ["solver", "workers"], worker_count)
    placed["settings"] = st.container()

# ----- validate once; keep the result, valid or not -----------------------------------------------
draft = ed.Draft(data, ws.draft.files, ws.draft.source, tuple(break_problems))
if [t.get("name") for t in data["shift_templates"]] != template_names:
    start_again_from(draft)  # template names are options of other tables: rebuild them
ws.draft = draft
scenario, error = _state.validated(draft)
issues = tuple(typed_in_percent(i) for i in (error.issues if error else ()))
for section, where in placed.items():
    _state.show_issues(issues, data, section=section, where=where)
if scenario is not None:
    typed = [(p.name, p.headcount) for p in scenario.pools]
    for note, slot in zip(
        headcount_notes(typed, scenario.operators, scenario.operators_file or "uploaded"),
        headcount_slots,
        strict=False,
    ):
        show = slot.warning if note.ignored else slot.info
        show(note.text, icon=":material/badge:")

# ----- save and download --------------------------------------------------------------------------
with save_tab:
    if scenario is None:
        st.warning(_("Fix the problems listed above to save or download this scenario."))
    else:
        st.subheader(_("Save as a new scenario file"))
        suggested = re.sub(r"[^A-Za-z0-9_.-]+", "_", scenario.name.strip()).strip("_").lower()
        file_name = st.text_input(
            _("File name"),
            key=P + "file_name",
            value=None,
            placeholder=f"{suggested or 'scenario'}.yaml",
            help=_("Saved in {folder}; it then appears in the list of scenario files.").format(
                folder=_state.saved_dir()
            ),
        )
        overwrite = st.checkbox(_("Replace the file if it already exists"), key=P + "overwrite")
        if st.button(_("Save"), type="primary", key=P + "save"):
            try:
                chosen = ed.scenario_file_name(file_name or f"{suggested or 'scenario'}.yaml")
                written = ed.save_draft(
                    scenario, draft.files, _state.saved_dir(), chosen, overwrite=overwrite
                )
                saved = ed.Draft(draft.data, draft.files, str(written[0]))
                ws.draft, ws.opened, ws.label = saved, saved, f"saved/{chosen}"
                ss["saved_message"] = _("Saved {files}").format(
                    files=", ".join(str(p) for p in written)
                )
                start_again_from(saved)
            except FileExistsError as exc:
                st.error(
                    _("Not saved: {error}. Tick 'Replace' to overwrite it.").format(
                        error=_i18n.say_error(exc)
                    )
                )
            except (ValueError, OSError) as exc:
                st.error(_("Not saved: {error}").format(error=_i18n.say_error(exc)))
        if "saved_message" in ss:
            st.success(ss.pop("saved_message"))

        st.subheader(_("Download"))
        yaml_text = ed.scenario_key(scenario, draft.files)[0]
        st.download_button(
            _("Download the scenario (YAML)"),
            yaml_text,
            file_name=f"{suggested or 'scenario'}.yaml",
            mime="application/x-yaml",
            icon=":material/download:",
            key=P + "download",
            on_click="ignore",
        )
        with st.expander(_("Show the YAML")):
            st.code(yaml_text, language="yaml")

        st.subheader(_("Keep for comparison"))
        st.caption(
            _("Keep this version, saved or not, to put it side by side on the Compare page.")
        )
        keep_label = st.text_input(
            _("Label"), key=P + "keep_label", value=None, placeholder=scenario.name
        )
        if st.button(_("Keep this version"), key=P + "keep"):
            label = (keep_label or scenario.name).strip()
            ws.kept[label] = ed.scenario_key(scenario, draft.files)
            st.success(
                _("Kept as '{label}' ({count} kept).").format(label=label, count=len(ws.kept))
            )

# ----- summary at the top -------------------------------------------------------------------------
with summary:
    changes = ed.differences(ws.opened.data, data)
    status, actions = st.columns([4, 1], vertical_alignment="center")
    status.markdown(
        _("Editing **{name}**, opened from `{file}`").format(
            name=data.get("name") or _("(no name)"), file=ws.label
        )
        + " · "
        + (
            n_("{count} change(s) not saved", "{count} change(s) not saved", len(changes)).format(
                count=len(changes)
            )
            if changes
            else _("no changes")
        )
    )
    if changes and actions.button(_("Undo all changes"), key=P + "undo"):
        start_again_from(ws.opened)
    if changes:
        with st.expander(_("Changes since it was opened ({count})").format(count=len(changes))):
            for path, old, new in changes[:50]:
                st.markdown(f"- `{path}`: {old!r} → {new!r}")
    if issues:
        st.error(
            n_(
                "This scenario has {count} problem(s); each is shown next to its field in the "
                "tabs below. The Demand and Plan pages wait until they are fixed.",
                "This scenario has {count} problem(s); each is shown next to its field in the "
                "tabs below. The Demand and Plan pages wait until they are fixed.",
                len(issues),
            ).format(count=len(issues)),
            icon=":material/error:",
        )
    else:
        st.success(_("The scenario is valid."), icon=":material/check_circle:")
