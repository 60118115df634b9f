"""The Timeline tab of the Plan and Roster pages: a day as a Gantt chart, and the floor at a moment.

One row per shift group (a plan) or per operator (a roster), bars of work coloured by the line
answered (or the pool), breaks in grey with a dashed outline; a slider picks a moment, drawn as
a red rule on the chart, and the floor then is shown as counts per line and pool and a table of
who does what. It is a fragment (``st.fragment``): changing the day, the pools, the colouring or
the moment reruns only the tab, not the page (nor its solve or simulation). The rows come from
:mod:`planner.present.timeline`; this module only draws them.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import _i18n, charts, tables
from app_pages._i18n import _
from app_pages.charts import PALETTE
from planner.domain.plan import Plan
from planner.present.catalogue import kpi
from planner.present.timeline import (
    BREAKS,
    NO_LINE,
    WORDS,
    Timeline,
    plan_timeline,
    roster_timeline,
)
from planner.timegrid import clock_label

__all__ = ["gantt_chart", "show"]

ss = st.session_state
BREAK_FILL = "#d5d9de"
BREAK_EDGE = "#6b7580"
MOMENT = "#c0392b"
ROW_PIXELS = 24
"""Height of a row of the chart; two thirds of it when there are many (a roster's day)."""


@st.fragment
def show(plan: Plan | None, roster: pd.DataFrame | None = None, *, key: str) -> None:
    """The tab: a plan's day (``roster`` None) or a roster's day, widgets keyed by ``key``."""
    if plan is None:
        st.info(_("There is no plan to draw: the roster was made without one."))
        return
    grid = plan.grid
    days = {d.strftime("%a %d %b"): d for d in grid.dates}
    day_column, pools_column, colour_column = st.columns([1, 2, 1])
    shown = day_column.selectbox(
        _("Day"),
        list(days),
        format_func={d: _i18n.short_day(on) for d, on in days.items()}.__getitem__,
        key=f"{key}_day",
    )
    pools = pools_column.multiselect(
        _("Pools"), list(plan.pool_names), default=list(plan.pool_names), key=f"{key}_pools"
    )
    colour = colour_column.segmented_control(
        _("Colour by"),
        ["line", "pool"],
        default="line",
        format_func={"line": _("line"), "pool": _("pool")}.__getitem__,
        key=f"{key}_colour",
    )
    try:
        timeline = _timeline(plan, roster, days[shown], key)
    except ValueError as exc:  # a roster row the plan's grid cannot read
        st.error(
            _("The timeline of {day}: {error}").format(
                day=_i18n.short_day(days[shown]), error=_i18n.say_error(exc)
            ),
            icon=":material/error:",
        )
        return
    if timeline.rows.empty:
        st.info(_("Nobody works on {day}.").format(day=_i18n.short_day(days[shown])))
        return

    first = grid.window_start_minute
    last = first + (grid.intervals_per_day - 1) * grid.interval_minutes
    moment = st.slider(
        _("Moment on the floor"),
        min_value=_time(first),
        max_value=_time(last),
        value=_time(min(max(12 * 60, first), last)),
        step=timedelta(minutes=grid.interval_minutes),
        format="HH:mm",
        key=f"{key}_moment",
        help=_("The red line on the chart; the counts and the table below are the floor then."),
    )
    st.altair_chart(
        charts.localised(gantt_chart(timeline, pools, colour or "line", moment)),
        key=f"{key}_chart",
        width="stretch",
    )

    floor = timeline.floor(moment)
    counts = floor.counts
    st.markdown(
        _("**The floor at {moment}** ({day})").format(
            moment=floor.moment, day=_i18n.short_day(days[shown])
        )
    )
    measures = [c for c in counts.columns if c != "on duty"] + ["on duty"]
    for column, measure in zip(st.columns(len(measures)), measures, strict=True):
        key = {"on a break": "on_break", "on duty": "on_duty"}.get(measure, "on_line")
        label = _(measure) if key != "on_line" else _("on {line}").format(line=measure)
        tables.kpi_card(column, kpi(key, "floor"), int(counts.loc["all", measure]), label)
    headers = {  # the tables' columns in the session's language (the lines' names as they are)
        "pool": _("pool"),
        "on a break": _("on a break"),
        "on duty": _("on duty"),
        "row": _("row"),
        "shift": _("shift"),
        "status": _("status"),
        "line": _("line"),
        "agents": _("agents"),
        "operator": _("operator"),
        "name": _("name"),
    }
    shown_counts = counts.reset_index()
    st.dataframe(
        shown_counts,
        hide_index=True,
        column_config={c: headers[c] for c in shown_counts.columns if c in headers},
        key=f"{key}_counts",
    )
    people = _said(floor.people[floor.people["pool"].isin(pools)], ["row", "status", "line"])
    columns = ["row", "pool", "shift", "status", "line", "agents"]
    if roster is not None:
        columns = ["operator", "name", "pool", "shift", "status", "line"]
    st.dataframe(
        people[columns],
        hide_index=True,
        width="stretch",
        height=300,
        column_config={c: headers[c] for c in columns},
        key=f"{key}_people",
    )
    st.caption(
        _(
            "The counts are of every pool; the chart and the table show the pools chosen. The "
            "plan says how many agents of a pool answer each line, not which: here each "
            "interval's split is the plan's, and an agent keeps their line as long as the plan "
            "allows it."
        )
        + (
            " " + _("Operators are split between lines in the plan's proportions.")
            if roster is not None
            else ""
        )
    )


def gantt_chart(timeline: Timeline, pools, colour: str, moment: time | None) -> alt.LayerChart:
    """The day's bars: work coloured by ``colour`` (``"line"`` or ``"pool"``), breaks in grey
    with a dashed edge, and ``moment`` as a red rule. A plan's group split between lines at
    once has one thin bar per line in its row."""
    segments = timeline.segments[timeline.segments["pool"].isin(pools)]
    order = [_word(r) for r in timeline.rows.loc[timeline.rows["pool"].isin(pools), "row"]]
    work = segments[segments["kind"] == "work"]
    rests = _said(segments[segments["kind"] == "break"], ["row", "line"])
    y = alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=360, labelOverlap=False))
    x = alt.X("from:T", title=None, axis=alt.Axis(format="%H:%M", labelAngle=0))
    tooltip = [
        alt.Tooltip("row:N", title=_("row")),
        "pool:N",
        "line:N",
        "start:N",
        "end:N",
        "minutes:Q",
        "agents:Q",
    ]
    if (timeline.rows["operator"] != "").any():
        tooltip[1:1] = ["operator:N", "name:N"]
    if colour == "pool":
        domain = list(timeline.pool_names)
        legend_title = _("pool")
    else:
        no_line = [_i18n.say(WORDS[NO_LINE])] if (work["line"] == NO_LINE).any() else []
        domain = [*timeline.queue_names, *no_line]
        legend_title = _("line")
    encoding = {
        "x": x,
        "x2": "to:T",
        "y": y,
        "color": alt.Color(
            f"{colour}:N",
            title=legend_title,
            scale=alt.Scale(domain=domain, range=PALETTE[: len(domain)]),
        ),
        "tooltip": tooltip,
    }
    split = work.duplicated(["row", "from"]).any()  # a plan's group on two lines at once
    if split:
        encoding["yOffset"] = alt.YOffset("line:N", sort=list(timeline.queue_names))
    layers = [alt.Chart(_said(work, ["row", "line"])).mark_bar().encode(**encoding)]
    if len(rests):
        layers.append(
            alt.Chart(rests)
            .mark_bar(color=BREAK_FILL, stroke=BREAK_EDGE, strokeDash=[3, 2], strokeWidth=1)
            .encode(x=x, x2="to:T", y=y, tooltip=tooltip)
        )
    if moment is not None:
        at = datetime.combine(timeline.day, moment)
        layers.append(
            alt.Chart(pd.DataFrame({"at": [at]}))
            .mark_rule(color=MOMENT, strokeWidth=2)
            .encode(x="at:T")
        )
    height = (ROW_PIXELS if len(order) <= 30 else ROW_PIXELS * 2 // 3) * max(len(order), 1) + 40
    return alt.layer(*layers).properties(
        height=height,
        title=_("{day}: who works when, on which line (grey, dashed: breaks)").format(
            day=_i18n.short_day(timeline.day)
        ),
    )


def _said(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``table`` with the library's words in ``columns`` (``on a break``, ``no line``, a row's
    ``breaks``) in the session's language; the lines' names stay as they are."""
    return table.assign(**{c: [_word(v) for v in table[c]] for c in columns})


def _word(value):
    """A timeline's value in the session's language: one of its words, or a plan's row label
    whose ``breaks`` is translated; anything else as it is."""
    if value in WORDS:
        return _i18n.say(WORDS[value])
    if isinstance(value, str) and f" · {BREAKS} " in value:
        return value.replace(f" · {BREAKS} ", f" · {_i18n.say(BREAKS)} ")
    return value


def _timeline(plan: Plan, roster: pd.DataFrame | None, day, key: str) -> Timeline:
    """The day's timeline, kept for reruns of the fragment (a moment's change redraws only)."""
    kept = ss.get(f"{key}_built")
    if kept is not None and kept[0] is plan and kept[1] is roster and kept[2] == day:
        return kept[3]
    timeline = plan_timeline(plan, day) if roster is None else roster_timeline(roster, plan, day)
    ss[f"{key}_built"] = (plan, roster, day, timeline)
    return timeline


def _time(minute_of_day: int) -> time:
    return time.fromisoformat(clock_label(minute_of_day))
