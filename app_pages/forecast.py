"""Forecast: calls per queue and interval from a history file, with the backtest behind them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import _cache, _i18n, _state, charts
from app_pages._i18n import N_, _, n_
from planner.editing import draft as ed
from planner.forecast import METHODS
from planner.io.export import table_to_csv
from planner.timegrid import WEEKDAYS

METHOD_WORDS = {
    "auto": N_("auto (lowest backtest error)"),
    "seasonal_naive": N_("seasonal naive (the same weekday a week before)"),
    "weekday_mean": N_("mean of the same weekday"),
    "ets": N_("exponential smoothing (ETS)"),
    "mstl": N_("seasonal decomposition (MSTL)"),
}
"""The forecast methods (:data:`planner.forecast.METHODS` and ``auto``) in words, translated
where shown; the values chosen and stored stay the library's names."""

SAMPLE = Path(__file__).resolve().parents[1] / "scenarios" / "data" / "history_sample.csv"

st.title(_("Forecast"))
st.caption(
    _(
        "Calls per queue and 15-minute interval over 09:00-21:00 from the centre's own "
        "history: each queue's daily total by the method with the lowest backtest error (or "
        "the one you choose) times an intraday profile per weekday, public holidays and your "
        "special days applied, with 80 % prediction intervals from the backtest."
    )
)

# ----- inputs -------------------------------------------------------------------------------------
upload = st.file_uploader(
    _("History CSV (interval_start, queue, calls[, aht_seconds]; 5, 15, 30 or 60 min)"),
    type=["csv"],
    key="forecast_history",
)
if upload is None:
    st.info(
        _("No history uploaded: showing the sample history `{name}` (synthetic).").format(
            name=SAMPLE.name
        )
    )
    raw, name = SAMPLE.read_bytes(), SAMPLE.name
else:
    raw, name = upload.getvalue(), upload.name

try:
    first, last = _cache.history_span(raw, name)
except (ValueError, ArithmeticError) as exc:
    _state.show_failure(_("The history cannot be read"), exc)
    st.stop()

left, middle, right, far = st.columns(4)
start = left.date_input(_("First day"), last + timedelta(days=1), key="forecast_start")
days = middle.number_input(_("Days"), 1, 366, 14, key="forecast_days")
method_names = {m: _(words) for m, words in METHOD_WORDS.items()}  # here, not in the callback
method = right.selectbox(
    _("Method"),
    ["auto", *METHODS],  # the values stay the library's names (the session keeps them)
    format_func=lambda m: method_names.get(m, m),
    key="forecast_method",
)
country = far.text_input(_("Public holidays of (country code)"), "KZ", key="forecast_country")

st.subheader(_("Special days"))
st.caption(
    _(
        "A factor on a day's normal calls (0.5: half), or 0 for closed; an empty queue means "
        "every queue. These override the public-holiday calendar."
    )
)
special = st.data_editor(
    pd.DataFrame({"date": pd.Series(dtype="str"), "queue": "", "factor": 1.0, "note": ""}),
    num_rows="dynamic",
    key="forecast_special",
    column_config={
        "date": st.column_config.TextColumn(_("Date (YYYY-MM-DD)")),
        "queue": st.column_config.TextColumn(_("Queue")),
        "factor": st.column_config.NumberColumn(_("Factor"), min_value=0.0, max_value=100.0),
        "note": st.column_config.TextColumn(_("Note")),
    },
)
special_csv = special.dropna(subset=["date"]).to_csv(index=False)

try:
    with st.spinner(_("Backtesting and forecasting...")):
        result, table = _cache.forecast(
            raw, name, start, int(days), method, country.strip() or None, special_csv
        )
except (ValueError, ArithmeticError) as exc:
    _state.show_failure(_("The forecast cannot be made"), exc)
    st.stop()

# ----- accuracy -----------------------------------------------------------------------------------
st.subheader(_("Accuracy in the backtest"))
bt = result.backtest
accuracy = (
    bt.groupby(["queue", "method"], sort=False)
    .agg(
        wape_interval=("wape_interval", "mean"),
        wape_day=("wape_day", "mean"),
        mase=("mase", "mean"),
        coverage=("coverage", "mean"),
        chosen=("chosen", "any"),
    )
    .reset_index()
)
st.dataframe(
    accuracy.assign(method=accuracy["method"].map(lambda m: method_names.get(m, m))),
    hide_index=True,
    width="stretch",
    column_config={
        "queue": _("Queue"),
        "method": _("Method"),
        "wape_interval": st.column_config.NumberColumn(_("WAPE, interval"), format="percent"),
        "wape_day": st.column_config.NumberColumn(_("WAPE, day"), format="percent"),
        "mase": st.column_config.NumberColumn("MASE", format="%.2f"),
        "coverage": st.column_config.NumberColumn(_("80 % interval coverage"), format="percent"),
        "chosen": st.column_config.CheckboxColumn(_("Chosen")),
    },
)

# ----- backtest chart -----------------------------------------------------------------------------
shown = result.backtest_intervals
if not shown.empty:
    st.subheader(_("Backtest: actual against forecast"))
    st.caption(
        _(
            "The chosen method's forecasts of the last backtest week, each made from the "
            "history before that week, with the 80 % band made from the other weeks' errors."
        )
    )
    which = st.selectbox(_("Queue"), list(result.queues), key="forecast_backtest_queue")
    mine = shown[shown["queue"] == which]
    last_week = mine["interval_start"].str.slice(0, 10).unique()[-7:]
    mine = mine[mine["interval_start"].str.slice(0, 10).isin(last_week)].reset_index(drop=True)
    mine = mine.assign(n=mine.index)
    x = alt.X(
        "n:Q", title=_("Intervals of the backtest week (open days)"), axis=alt.Axis(labels=False)
    )
    tip = ["interval_start", "actual", "calls", "calls_p10", "calls_p90"]
    band = (
        alt.Chart(mine)
        .mark_area(opacity=0.25)
        .encode(
            x=x,
            y=alt.Y("calls_p10:Q", title=_("Calls per interval")),
            y2="calls_p90:Q",
            tooltip=tip,
        )
    )
    fc = alt.Chart(mine).mark_line().encode(x=x, y="calls:Q", tooltip=tip)
    act = alt.Chart(mine).mark_line(color="#c0392b").encode(x=x, y="actual:Q", tooltip=tip)
    st.altair_chart(charts.localised(alt.layer(band, fc, act).properties(height=260)))

# ----- forecast chart -----------------------------------------------------------------------------
st.subheader(_("Forecast with its 80 % interval"))
daily = table.assign(day=table["interval_start"].str.slice(0, 10))
daily = daily.groupby(["queue", "day"], sort=False)[["calls", "calls_p10", "calls_p90"]].sum()
daily = daily.reset_index()
band = (
    alt.Chart(daily)
    .mark_area(opacity=0.3)
    .encode(
        x=alt.X("day:T", title=_("Day"), axis=alt.Axis(format="%a %d", tickCount="day")),
        y=alt.Y("calls_p10:Q", title=_("Calls a day")),
        y2="calls_p90:Q",
        color="queue:N",
    )
)
line = alt.Chart(daily).mark_line(point=True).encode(x="day:T", y="calls:Q", color="queue:N")
st.altair_chart(charts.localised(alt.layer(band, line).properties(height=280)))

for queue_name, made in result.queues.items():
    open_days = ", ".join(_i18n.weekday(WEEKDAYS.index(w)) for w in made.open_weekdays)
    open_days = open_days or _("never")
    st.markdown(
        _("**{queue}**: {method}; open {days}").format(
            queue=queue_name, method=method_names.get(made.method, made.method), days=open_days
        )
    )
    for day, text in sorted(made.special.items()):
        st.markdown(f"- {_i18n.day(day, 'yMMMEd')}: {text}")

# ----- downloads ----------------------------------------------------------------------------------
scenario_file = table.assign(
    day=table["interval_start"].str.slice(0, 10), interval_start=table["interval_start"].str[11:]
)[["day", "interval_start", "queue", "calls"]]
one, two, three = st.columns(3)
one.download_button(
    _("Download the forecast (CSV)"),
    table_to_csv(table),
    file_name="forecast.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)
two.download_button(
    _("Download as a scenario forecast file"),
    table_to_csv(scenario_file),
    file_name="forecast_for_scenario.csv",
    mime="text/csv",
    icon=":material/download:",
    help=_(
        "Columns day, interval_start, queue, calls: upload it with a scenario whose queue "
        "has demand: {forecast_csv: forecast_for_scenario.csv}"
    ),
    on_click="ignore",
)
if st.button(
    _("Use this forecast for the scenario being edited"),
    icon=":material/input:",
    key="forecast_use",
    help=_(
        "Moves the scenario's horizon to these days and makes every queue this forecast "
        "names take its calls from it (surges and self-service still apply on top); check the "
        "result on the Scenario page."
    ),
):
    draft, used = ed.use_forecast(
        _state.workspace().draft, scenario_file, start, int(days), "forecast_for_scenario.csv"
    )
    if not used:
        st.error(
            _(
                "None of this forecast's queues is a queue of the scenario being edited "
                "({queues}); nothing was changed."
            ).format(queues=", ".join(sorted(set(scenario_file["queue"]))))
        )
    else:
        _state.replace_draft(draft)
        scenario, problem = _state.validated(draft)
        if problem is None:
            st.success(
                n_(
                    "The scenario now plans {start} + {days} day with {queues} from this "
                    "forecast. Plan it on the Plan page.",
                    "The scenario now plans {start} + {days} days with {queues} from this "
                    "forecast. Plan it on the Plan page.",
                    int(days),
                ).format(start=_i18n.day(start, "yMMMd"), days=int(days), queues=", ".join(used))
            )
        else:
            st.warning(
                _(
                    "{queues} now take their calls from this forecast, but the scenario has "
                    "problems to fix on the Scenario page:"
                ).format(queues=", ".join(used))
            )
            _state.show_issues(problem.issues, draft.data)
three.download_button(
    _("Download the backtest (CSV)"),
    table_to_csv(bt.assign(week_start=bt["week_start"].astype(str))),
    file_name="backtest.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)
