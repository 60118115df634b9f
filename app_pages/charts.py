"""Altair charts of demand, requirement and plans, shared by the pages.

Every chart takes a planner table (demand, requirement, coverage, shifts) and, where it draws
time, a ``day``: one date, or None for the whole horizon. Lines are drawn per day, so the night
between two opening windows is a gap, not a slope.
"""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from app_pages import _i18n
from app_pages._i18n import _
from app_pages.tables import header, term_words
from planner.present import formats
from planner.present.catalogue import kpi
from planner.present.columns import describe

SHORT = "#c0392b"  # shortfall, below target
STAFFED = "#8fb3d9"
REQUIRED = "#1b2430"
SURGE = "#e08e45"
BASELINE = "#5b84b1"
PALETTE = ["#1f4e79", "#e08e45", "#5b9e6e", "#8e6bb0", "#c0392b", "#7f8c8d"]


def localised(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with Vega's numbers and dates in the session's language
    (:func:`app_pages._i18n.chart_locale`): every chart the pages show goes through it."""
    locale = _i18n.chart_locale()
    return chart if locale is None else chart.configure(locale=locale)


def day_options(dates) -> dict[str, date | None]:
    """Options of a day selector: the whole horizon, then each day ("Mon 10 Jan"); the keys
    stay English (kept in the session whatever the language), :func:`day_label` shows them."""
    return {"Whole horizon": None, **{d.strftime("%a %d %b"): d for d in dates}}


def day_label(options: dict[str, date | None]):
    """The ``format_func`` showing :func:`day_options`' keys in the session's language (worded
    now, while the page runs in its session, and looked up when the widget is drawn)."""
    words = {
        option: _i18n.short_day(on) if on is not None else _("Whole horizon")
        for option, on in options.items()
    }
    return words.__getitem__


def _on_day(table: pd.DataFrame, day: date | None) -> pd.DataFrame:
    return table if day is None else table[table["day"] == day]


def timed(table: pd.DataFrame, interval_minutes: int, day: date | None) -> pd.DataFrame:
    """The table with where each interval starts, ends and has its middle on the time axis.

    One day: ``x``, ``x_end``, ``x_mid`` are timestamps. Whole horizon: they are numbers, day
    ``k`` of the horizon running from ``k`` to ``k + 1`` over its opening hours, so nights
    (when every line is closed) take no room on the chart.
    """
    start = pd.to_datetime(table["day"].astype(str) + " " + table["interval_start"])
    step = pd.Timedelta(minutes=interval_minutes)
    names = {d: _i18n.short_day(pd.Timestamp(d).date()) for d in table["day"].unique()}
    table = table.assign(when=table["day"].map(names) + " " + table["interval_start"])
    if day is not None:
        return table.assign(time=start, x=start, x_end=start + step, x_mid=start + step / 2)
    slots = sorted(table["interval_start"].unique())
    per_day = len(slots)
    position = {d: k for k, d in enumerate(sorted(table["day"].unique()))}
    slot = table["interval_start"].map({s: i for i, s in enumerate(slots)})
    x = table["day"].map(position) + slot / per_day
    return table.assign(time=start, x=x, x_end=x + 1 / per_day, x_mid=x + 0.5 / per_day)


def _x(table: pd.DataFrame, day: date | None, field: str = "x") -> alt.X:
    """The time axis: clock times for one day; one labelled band per day for the horizon."""
    if day is not None:
        return alt.X(f"{field}:T", title=None, axis=alt.Axis(format="%H:%M", labelAngle=0))
    days = sorted(table["day"].unique())
    names = [f"{_i18n.weekday(pd.Timestamp(d).weekday())} {pd.Timestamp(d).day:02d}" for d in days]
    return alt.X(
        f"{field}:Q",
        title=None,
        scale=alt.Scale(domain=[0, len(days)], nice=False),
        axis=alt.Axis(
            values=[k + 0.5 for k in range(len(days))],
            labelExpr=f"{names!r}[floor(datum.value)]",
            grid=False,
            ticks=False,
            labelAngle=0,
        ),
    )


def _x2(day: date | None) -> str:
    return "x_end:T" if day is not None else "x_end:Q"


def _stepped(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Each day's last interval repeated at its end, so a step line covers the whole window."""
    last = table.sort_values("x").groupby([*keys, "day"], as_index=False).tail(1)
    return pd.concat([table, last.assign(x=last["x_end"])], ignore_index=True)


def _when() -> alt.Tooltip:
    """The tooltip naming an interval (``when``, from :func:`timed`, in the session's language:
    Vega's own date format would name days and months in English)."""
    return alt.Tooltip("when:N", title=_("interval"))


def calls_chart(demand: pd.DataFrame, queue: str, day: date | None, minutes: int) -> alt.Chart:
    """Calls per interval of one queue, the part due to surges drawn above the baseline."""
    rows = timed(_on_day(demand[demand["queue"] == queue], day), minutes, day)
    baseline = rows["calls"] - rows["surge_calls"]
    keep = ["time", "x", "x_end", "day"]
    parts = pd.concat(
        [
            rows[keep].assign(part="baseline", low=0.0, high=baseline, calls=baseline),
            rows[keep].assign(
                part="surge", low=baseline, high=rows["calls"], calls=rows["surge_calls"]
            ),
        ],
        ignore_index=True,
    )
    return (
        alt.Chart(_stepped(parts, ["part"]))
        .mark_area(interpolate="step-after", opacity=0.85)
        .encode(
            x=_x(rows, day),
            y=alt.Y("high:Q", title=_("calls per interval")),
            y2="low:Q",
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(domain=["baseline", "surge"], range=[BASELINE, SURGE]),
            ),
            detail="day:N",
            tooltip=[_when(), "part:N", alt.Tooltip("calls:Q", format=".1f")],
        )
        .properties(height=220, title=_("{queue}: calls offered").format(queue=queue))
    )


def requirement_chart(requirement: pd.DataFrame, day: date | None, minutes: int) -> alt.Chart:
    """Agents required on duty per interval, one step line per queue."""
    rows = timed(_on_day(requirement, day), minutes, day)
    return (
        alt.Chart(_stepped(rows, ["queue"]))
        .mark_line(interpolate="step-after")
        .encode(
            x=_x(rows, day),
            y=alt.Y("required_agents:Q", title=_("agents on duty")),
            color=alt.Color("queue:N", title=_("queue"), scale=alt.Scale(range=PALETTE)),
            detail="day:N",
            tooltip=[
                _when(),
                "queue:N",
                alt.Tooltip("calls:Q", format=".1f"),
                alt.Tooltip("offered_load:Q", title=_("load (Erlangs)"), format=".2f"),
                alt.Tooltip("agents_on_phones:Q", title=_("on phones")),
                alt.Tooltip("required_agents:Q", title=_("on duty")),
            ],
        )
        .properties(height=260, title=_("Agents required on duty"))
    )


def coverage_chart(coverage: pd.DataFrame, queue: str, day: date | None, minutes: int) -> alt.Chart:
    """Required against staffed agents of one queue; intervals short of staff in red."""
    rows = timed(_on_day(coverage[coverage["queue"] == queue], day), minutes, day)
    stepped = _stepped(rows, [])
    x = _x(rows, day)
    staffed = (
        alt.Chart(stepped)
        .mark_area(interpolate="step-after", color=STAFFED, opacity=0.7)
        .encode(
            x=x, y=alt.Y("staffed_agents:Q", title=_("agents on duty"), stack=None), detail="day:N"
        )
    )
    required = (
        alt.Chart(stepped)
        .mark_line(interpolate="step-after", color=REQUIRED, strokeWidth=1.5)
        .encode(x=x, y="required_agents:Q", detail="day:N")
    )
    short = (
        alt.Chart(rows[rows["shortfall_agents"] > 0])
        .mark_rect(color=SHORT, opacity=0.8)
        .encode(x=x, x2=_x2(day), y="staffed_agents:Q", y2="required_agents:Q")
    )
    hover = (
        alt.Chart(rows)
        .mark_rect(opacity=0)
        .encode(
            x=x,
            x2=_x2(day),
            tooltip=[
                _when(),
                alt.Tooltip("calls:Q", format=".1f"),
                alt.Tooltip("required_agents:Q", title=_("required")),
                alt.Tooltip("staffed_agents:Q", title=_("staffed")),
                alt.Tooltip("shortfall_agents:Q", title=_("short")),
                alt.Tooltip("service_level:Q", format=".1%"),
            ],
        )
    )
    title = _("{queue}: staffed (area) against required (line); short intervals in red").format(
        queue=queue
    )
    return alt.layer(staffed, required, short, hover).properties(height=240, title=title)


def service_chart(
    coverage: pd.DataFrame,
    queue: str,
    target: float,
    day: date | None,
    minutes: int,
    band: pd.DataFrame | None = None,
) -> alt.Chart:
    """Service level per interval of one queue against its target; misses in red.

    With ``band`` (:func:`planner.simulate.service_band`: the coverage's service level beside
    the simulated mean and P10-P90), the simulated band is shaded around the formula's curve
    and the simulated mean drawn dotted.
    """
    source = coverage if band is None else band
    rows = timed(_on_day(source[source["queue"] == queue], day), minutes, day)
    x = _x(rows, day, "x_mid")
    rows = rows[rows["open"]].assign(missed=lambda t: t["service_level"] < target - 1e-9)
    layers = []
    tips = [
        _when(),
        alt.Tooltip("service_level:Q", title=_("promise (formula)"), format=".1%"),
    ]
    if band is not None:
        simulated = rows.dropna(subset=["simulated_p10", "simulated_p90"])
        tips += [
            alt.Tooltip("simulated_service_level:Q", title=_("simulated mean"), format=".1%"),
            alt.Tooltip("simulated_p10:Q", title=_("simulated P10"), format=".1%"),
            alt.Tooltip("simulated_p90:Q", title=_("simulated P90"), format=".1%"),
        ]
        layers += [
            alt.Chart(simulated)
            .mark_area(color=STAFFED, opacity=0.45)
            .encode(x=x, y="simulated_p10:Q", y2="simulated_p90:Q", detail="day:N"),
            alt.Chart(simulated)
            .mark_line(color=SURGE, strokeDash=[2, 2], strokeWidth=1.5)
            .encode(x=x, y="simulated_service_level:Q", detail="day:N"),
        ]
    else:
        tips += [
            alt.Tooltip("asa_seconds:Q", title=_(kpi("asa_seconds", "queue").label), format=".2f"),
            alt.Tooltip(
                "abandon_rate:Q", title=_(kpi("abandon_rate", "queue").label), format=".1%"
            ),
        ]
    line = (
        alt.Chart(rows)
        .mark_line(color=PALETTE[0])
        .encode(
            x=x,
            y=alt.Y("service_level:Q", title=_("service level"), axis=alt.Axis(format="%")),
            detail="day:N",
        )
    )
    points = (
        alt.Chart(rows)
        .mark_circle(size=28)
        .encode(
            x=x,
            y="service_level:Q",
            color=alt.Color(
                "missed:N",
                scale=alt.Scale(domain=[False, True], range=[PALETTE[0], SHORT]),
                legend=alt.Legend(title=_("below target")),
            ),
            tooltip=tips,
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"target": [target]}))
        .mark_rule(strokeDash=[6, 4], color=REQUIRED)
        .encode(y="target:Q")
    )
    shown_target = _i18n.percent(target, 0)
    title = _("{queue}: service level per interval (dashed: target {target})").format(
        queue=queue, target=shown_target
    )
    if band is not None:
        title = alt.TitleParams(
            _("{queue}: service level per interval, promise and simulation").format(queue=queue),
            subtitle=_(
                "promise (line and dots), simulated P10-P90 (shaded) and mean (dotted); "
                "dashed: target {target}"
            ).format(target=shown_target),
            anchor="start",
        )
    return alt.layer(*layers, line, points, rule).properties(height=220, title=title)


def shift_chart(shifts: pd.DataFrame, day: date) -> alt.Chart:
    """One bar per group of identical shifts on a day, breaks drawn as gaps."""
    rows = shifts[shifts["day"] == day].sort_values(["pool", "start", "template"])
    rows = rows.reset_index(drop=True)
    rows["label"] = [
        f"{r.pool} · {r.template} · {r.start}-{r.end} · ×{r.agents}" for r in rows.itertuples()
    ]
    base_day = pd.Timestamp(day)
    rows["from"] = base_day + pd.to_timedelta(rows["start"] + ":00")
    rows["to"] = base_day + pd.to_timedelta(rows["end"] + ":00")
    pauses = []
    for r in rows.itertuples():
        for part in filter(None, str(r.breaks).split(";")):
            begin, end = part.split("-")
            pauses.append(
                {
                    "label": r.label,
                    "from": base_day + pd.to_timedelta(begin + ":00"),
                    "to": base_day + pd.to_timedelta(end + ":00"),
                    "break": part,
                }
            )
    order = list(rows["label"])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False))
    x = alt.X("from:T", title=None, axis=alt.Axis(format="%H:%M"))
    bars = (
        alt.Chart(rows)
        .mark_bar(height=12)
        .encode(
            x=x,
            x2="to:T",
            y=y,
            color=alt.Color("pool:N", scale=alt.Scale(range=PALETTE)),
            tooltip=["pool:N", "template:N", "start:N", "end:N", "breaks:N", "agents:Q"],
        )
    )
    layers = [bars]
    if pauses:
        layers.append(
            alt.Chart(pd.DataFrame(pauses))
            .mark_bar(height=12, color="white", opacity=0.9)
            .encode(x=x, x2="to:T", y=y, tooltip=["break:N"])
        )
    height = max(120, 24 * len(rows) + 40)
    return alt.layer(*layers).properties(
        height=height,
        title=_("Shifts on {day}: who starts when (white: breaks)").format(
            day=_i18n.short_day(day)
        ),
    )


def starts_chart(shifts: pd.DataFrame, days=None) -> alt.Chart:
    """Agents starting a shift, per day and start time, for the whole horizon.

    Every day of ``days`` (default: the days with shifts) has its row and its label, a day
    without a shift starting included, so a week reads Monday to Sunday.
    """
    rows = shifts.groupby(["day", "start", "pool"], as_index=False)["agents"].sum()
    every = sorted(set(days if days is not None else []) | set(rows["day"]))
    names = [_i18n.short_day(d) for d in every]
    rows["day"] = rows["day"].map(_i18n.short_day)
    return (
        alt.Chart(rows)
        .mark_rect()
        .encode(
            x=alt.X(
                "start:O",
                title=_("shift start"),
                axis=alt.Axis(labelAngle=0 if rows["start"].nunique() <= 12 else -45),
            ),
            y=alt.Y(
                "day:O",
                title=None,
                sort=names,
                scale=alt.Scale(domain=names),
                axis=alt.Axis(labelOverlap=False, labelLimit=200),
            ),
            color=alt.Color("sum(agents):Q", title=_("agents"), scale=alt.Scale(scheme="blues")),
            tooltip=["day:O", "start:O", "pool:N", "agents:Q"],
        )
        .properties(
            height=alt.Step(30),  # a row of 30 px per day, whatever the number of days
            title=_("Agents starting a shift, per day and start time"),
        )
    )


def penalties_chart(penalties: dict[str, float], unit: str = "cost units") -> alt.Chart:
    """The objective split into its terms."""
    terms = [term_words(term) for term in penalties]  # in the session's language
    rows = pd.DataFrame({"term": terms, "amount": list(penalties.values())})
    return (
        alt.Chart(rows)
        .mark_bar(color=PALETTE[0])
        .encode(
            x=alt.X("amount:Q", title=unit),
            y=alt.Y("term:N", sort="-x", title=None),
            tooltip=["term:N", alt.Tooltip("amount:Q", format=",.0f")],
        )
        .properties(height=40 + 28 * len(rows))
    )


def hours_chart(fairness: pd.DataFrame) -> alt.Chart:
    """Each operator's paid hours (bar, by pool) against their fair share (black tick).

    One row per operator, names on the vertical axis (each on its own line, never overlapping
    however many operators there are); the chart grows with them.
    """
    rows = fairness.sort_values(["pool", "operator"]).reset_index(drop=True)
    y = alt.Y(
        "operator:N",
        sort=list(rows["operator"]),
        title=None,
        axis=alt.Axis(labelOverlap=False, labelLimit=160),
    )
    tooltip = [
        "operator:N",
        "name:N",
        "pool:N",
        alt.Tooltip("paid_hours:Q", title=_("paid hours"), format=".1f"),
        alt.Tooltip("target_hours:Q", title=_("fair share"), format=".1f"),
        alt.Tooltip("contract_hours_per_week:Q", title=_("contract h/week"), format=".1f"),
        alt.Tooltip("weekend_shifts:Q", title=_("weekend shifts")),
        alt.Tooltip("late_shifts:Q", title=_("late shifts")),
    ]
    bars = (
        alt.Chart(rows)
        .mark_bar(height={"band": 0.8})
        .encode(
            y=y,
            x=alt.X("paid_hours:Q", title=_("paid hours over the horizon")),
            color=alt.Color("pool:N", scale=alt.Scale(range=PALETTE)),
            tooltip=tooltip,
        )
    )
    ticks = (
        alt.Chart(rows)
        .mark_tick(color=REQUIRED, thickness=2, orient="vertical")
        .encode(y=y, x="target_hours:Q", tooltip=tooltip)
    )
    return alt.layer(bars, ticks).properties(
        height=40 + 16 * len(rows),
        title=_("Paid hours per operator (black: fair share of the pool's planned hours)"),
    )


def progress_chart(history: pd.DataFrame) -> alt.Chart:
    """Best plan and bound over the solve, as they improve."""
    long = history.melt(id_vars="seconds", var_name="series", value_name="objective").dropna()
    return (
        alt.Chart(long)
        .mark_line(interpolate="step-after", point=True)
        .encode(
            x=alt.X("seconds:Q", title=_("seconds")),
            y=alt.Y("objective:Q", title=_("objective"), scale=alt.Scale(zero=False)),
            color=alt.Color("series:N", title=None, scale=alt.Scale(range=[PALETTE[0], SURGE])),
        )
        .properties(height=160)
    )


# ----- comparisons -------------------------------------------------------------------------------


PANEL_WIDTH = 640
"""Width of a comparison chart's panels, in pixels (Streamlit does not stretch a faceted chart)."""


def _panel_row(scenarios: list[str]) -> alt.Row:
    """One row of panels per scenario, in the comparison's order, each named above its panel."""
    header = alt.Header(
        labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight="bold"
    )
    return alt.Row("scenario:N", title=None, sort=scenarios, header=header)


def overlay_coverage(
    coverage: pd.DataFrame, queue: str, day: date | None, minutes: int
) -> alt.Chart:
    """Staffed (solid) and required (dashed) agents of one queue: one panel per scenario, one
    above the other on the same scales, so that scenarios are read side by side, not through
    a tangle of lines."""
    rows = timed(_on_day(coverage[coverage["queue"] == queue], day), minutes, day)
    long = rows.melt(
        id_vars=["scenario", "time", "when", "x", "x_end", "day"],
        value_vars=["staffed_agents", "required_agents"],
        var_name="series",
        value_name="agents",
    )
    series = [_("staffed"), _("required")]  # the legend's words, in the page's language
    long["series"] = long["series"].map({"staffed_agents": series[0], "required_agents": series[1]})
    scenarios = list(dict.fromkeys(rows["scenario"]))
    return (
        alt.Chart(_stepped(long, ["scenario", "series"]))
        .mark_line(interpolate="step-after")
        .encode(
            x=_x(rows, day),
            y=alt.Y("agents:Q", title=_("agents on duty")),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=series, range=[PALETTE[0], REQUIRED]),
            ),
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=series, range=[[1, 0], [5, 3]]), title=None
            ),
            detail="day:N",
            tooltip=[
                alt.Tooltip("scenario:N", title=_("scenario")),
                alt.Tooltip("series:N", title=_("series")),
                _when(),
                alt.Tooltip("agents:Q", title=_("agents")),
            ],
        )
        .properties(height=140, width=PANEL_WIDTH)
        .facet(row=_panel_row(scenarios))
        .properties(
            title=_("{queue}: staffed (solid) and required (dashed), per scenario").format(
                queue=queue
            )
        )
    )


def overlay_service(
    coverage: pd.DataFrame, queue: str, target: float | None, day: date | None, minutes: int
) -> alt.Chart:
    """Service level per interval of one queue against the target: one panel per scenario, on
    the same scales; intervals below the target in red."""
    rows = timed(_on_day(coverage[coverage["queue"] == queue], day), minutes, day)
    x = _x(rows, day, "x_mid")
    met, below = _("met"), _("below target")  # the legend's words, in the page's language
    rows = rows[rows["open"]].assign(
        target=target,
        missed=lambda t: (t["service_level"] < (target or 0) - 1e-9).map({False: met, True: below}),
    )
    scenarios = list(dict.fromkeys(rows["scenario"]))
    base = alt.Chart().encode(x=x)
    line = base.mark_line(color=PALETTE[0]).encode(
        y=alt.Y("service_level:Q", title=_("service level"), axis=alt.Axis(format="%")),
        detail="day:N",
    )
    points = base.mark_circle(size=20).encode(
        y="service_level:Q",
        color=alt.Color(
            "missed:N",
            scale=alt.Scale(domain=[met, below], range=[PALETTE[0], SHORT]),
            legend=alt.Legend(title=_("target")),
        ),
        tooltip=[
            alt.Tooltip("scenario:N", title=_("scenario")),
            _when(),
            alt.Tooltip("service_level:Q", title=_("service level"), format=".1%"),
        ],
    )
    layers = [line, points]
    if target is not None:  # one rule per panel: the target is the same on every row
        rule = alt.Chart().mark_rule(strokeDash=[6, 4], color=REQUIRED)
        layers.append(rule.encode(y="mean(target):Q"))
    title = _("{queue}: service level per interval, per scenario").format(queue=queue) + (
        " " + _("(dashed: target {target})").format(target=_i18n.percent(target, 0))
        if target is not None
        else ""
    )
    return (
        alt.layer(*layers, data=rows)
        .properties(height=120, width=PANEL_WIDTH)
        .facet(row=_panel_row(scenarios))
        .properties(title=title)
    )


def sweep_heatmap(
    table: pd.DataFrame,
    x: str,
    y: str,
    value: str,
    *,
    title: str,
    percent: bool,
    meets: str,
    x_title: str | None = None,
    y_title: str | None = None,
) -> alt.Chart:
    """One sweep result per cell (``x`` across, ``y`` up), coloured by ``value``.

    Cells whose plan meets the target (column ``meets``) are outlined and marked with a tick.
    The columns are renamed for the chart: Vega reads ``.`` and ``[...]`` in a field name as
    nested access, so a field path such as ``pools[borrowed].headcount`` drew an axis titled
    "undefined" with every value in one cell; the axes are titled ``x_title`` and ``y_title``
    (words for a reader), by default the columns' names.
    """
    x_title, y_title = x_title or x, y_title or y
    rows = pd.DataFrame(
        {
            "across": table[x].to_numpy(),
            "up": table[y].to_numpy(),
            "cell": table[value].to_numpy(),
            "label": (
                table[value].map(
                    lambda v: formats.show(
                        v, "percent" if percent else "count", 0, marks=formats.SCREEN
                    )
                )
                + table[meets].map(lambda m: " ✓" if m is True else "")
            ).to_numpy(),
        }
    )
    scheme = "redyellowgreen" if percent else "blues"
    base = alt.Chart(rows).encode(
        x=alt.X("across:O", title=x_title),
        y=alt.Y("up:O", title=y_title, sort="descending"),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "cell:Q",
            title=None,
            scale=alt.Scale(scheme=scheme, domain=[0, 1] if percent else alt.Undefined),
            legend=alt.Legend(format="%" if percent else ",.0f"),
        ),
        tooltip=[
            alt.Tooltip("across:O", title=x_title),
            alt.Tooltip("up:O", title=y_title),
            alt.Tooltip(
                "cell:Q", title=header(describe(value)), format=".1%" if percent else ",.0f"
            ),
        ],
    )
    text = base.mark_text(fontSize=12).encode(text="label:N")
    return (cells + text).properties(height=60 + 44 * rows["up"].nunique(), title=title)
