"""Forecast: calls per queue and interval from a history file, with the backtest behind them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import _cache, _state
from planner.editing import draft as ed
from planner.forecast import METHODS
from planner.io.export import table_to_csv

SAMPLE = Path(__file__).resolve().parents[1] / "scenarios" / "data" / "history_sample.csv"

st.title("Forecast")
st.caption(
    "Calls per queue and 15-minute interval over 09:00-21:00 from the centre's own history: "
    "each queue's daily total by the method with the lowest backtest error (or the one you "
    "choose) times an intraday profile per weekday, public holidays and your special days "
    "applied, with 80 % prediction intervals from the backtest."
)

# ----- inputs -------------------------------------------------------------------------------------
upload = st.file_uploader(
    "History CSV (interval_start, queue, calls[, aht_seconds]; 5, 15, 30 or 60 min)",
    type=["csv"],
    key="forecast_history",
)
if upload is None:
    st.info(f"No history uploaded: showing the sample history `{SAMPLE.name}` (synthetic).")
    raw, name = SAMPLE.read_bytes(), SAMPLE.name
else:
    raw, name = upload.getvalue(), upload.name

try:
    first, last = _cache.history_span(raw, name)
except (ValueError, ArithmeticError) as exc:
    _state.show_failure("The history cannot be read", exc)
    st.stop()

left, middle, right, far = st.columns(4)
start = left.date_input("First day", last + timedelta(days=1), key="forecast_start")
days = middle.number_input("Days", 1, 366, 14, key="forecast_days")
method = right.selectbox("Method", ["auto", *METHODS], key="forecast_method")
country = far.text_input("Public holidays of (country code)", "KZ", key="forecast_country")

st.subheader("Special days")
st.caption(
    "A factor on a day's normal calls (0.5: half), or 0 for closed; an empty queue means every "
    "queue. These override the public-holiday calendar."
)
special = st.data_editor(
    pd.DataFrame({"date": pd.Series(dtype="str"), "queue": "", "factor": 1.0, "note": ""}),
    num_rows="dynamic",
    key="forecast_special",
    column_config={
        "date": st.column_config.TextColumn("Date (YYYY-MM-DD)"),
        "factor": st.column_config.NumberColumn("Factor", min_value=0.0, max_value=100.0),
    },
)
special_csv = special.dropna(subset=["date"]).to_csv(index=False)

try:
    with st.spinner("Backtesting and forecasting..."):
        result, table = _cache.forecast(
            raw, name, start, int(days), method, country.strip() or None, special_csv
        )
except (ValueError, ArithmeticError) as exc:
    _state.show_failure("The forecast cannot be made", exc)
    st.stop()

# ----- accuracy -----------------------------------------------------------------------------------
st.subheader("Accuracy in the backtest")
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
    accuracy,
    hide_index=True,
    width="stretch",
    column_config={
        "wape_interval": st.column_config.NumberColumn("WAPE, interval", format="percent"),
        "wape_day": st.column_config.NumberColumn("WAPE, day", format="percent"),
        "mase": st.column_config.NumberColumn("MASE", format="%.2f"),
        "coverage": st.column_config.NumberColumn("80 % interval coverage", format="percent"),
        "chosen": st.column_config.CheckboxColumn("Chosen"),
    },
)

# ----- backtest chart -----------------------------------------------------------------------------
shown = result.backtest_intervals
if not shown.empty:
    st.subheader("Backtest: actual against forecast")
    st.caption(
        "The chosen method's forecasts of the last backtest week, each made from the history "
        "before that week, with the 80 % band made from the other weeks' errors."
    )
    which = st.selectbox("Queue", list(result.queues), key="forecast_backtest_queue")
    mine = shown[shown["queue"] == which]
    last_week = mine["interval_start"].str.slice(0, 10).unique()[-7:]
    mine = mine[mine["interval_start"].str.slice(0, 10).isin(last_week)].reset_index(drop=True)
    mine = mine.assign(n=mine.index)
    x = alt.X(
        "n:Q", title="Intervals of the backtest week (open days)", axis=alt.Axis(labels=False)
    )
    tip = ["interval_start", "actual", "calls", "calls_p10", "calls_p90"]
    band = (
        alt.Chart(mine)
        .mark_area(opacity=0.25)
        .encode(
            x=x, y=alt.Y("calls_p10:Q", title="Calls per interval"), y2="calls_p90:Q", tooltip=tip
        )
    )
    fc = alt.Chart(mine).mark_line().encode(x=x, y="calls:Q", tooltip=tip)
    act = alt.Chart(mine).mark_line(color="#c0392b").encode(x=x, y="actual:Q", tooltip=tip)
    st.altair_chart(alt.layer(band, fc, act).properties(height=260))

# ----- forecast chart -----------------------------------------------------------------------------
st.subheader("Forecast with its 80 % interval")
daily = table.assign(day=table["interval_start"].str.slice(0, 10))
daily = daily.groupby(["queue", "day"], sort=False)[["calls", "calls_p10", "calls_p90"]].sum()
daily = daily.reset_index()
band = (
    alt.Chart(daily)
    .mark_area(opacity=0.3)
    .encode(
        x=alt.X("day:T", title="Day"),
        y=alt.Y("calls_p10:Q", title="Calls a day"),
        y2="calls_p90:Q",
        color="queue:N",
    )
)
line = alt.Chart(daily).mark_line(point=True).encode(x="day:T", y="calls:Q", color="queue:N")
st.altair_chart(alt.layer(band, line).properties(height=280))

for queue_name, made in result.queues.items():
    open_days = ", ".join(made.open_weekdays) or "never"
    st.markdown(f"**{queue_name}**: {made.method}; open {open_days}")
    for day, text in sorted(made.special.items()):
        st.markdown(f"- {day:%a %d %b %Y}: {text}")

# ----- downloads ----------------------------------------------------------------------------------
scenario_file = table.assign(
    day=table["interval_start"].str.slice(0, 10), interval_start=table["interval_start"].str[11:]
)[["day", "interval_start", "queue", "calls"]]
one, two, three = st.columns(3)
one.download_button(
    "Download the forecast (CSV)",
    table_to_csv(table),
    file_name="forecast.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)
two.download_button(
    "Download as a scenario forecast file",
    table_to_csv(scenario_file),
    file_name="forecast_for_scenario.csv",
    mime="text/csv",
    icon=":material/download:",
    help="Columns day, interval_start, queue, calls: upload it with a scenario whose queue "
    "has demand: {forecast_csv: forecast_for_scenario.csv}",
    on_click="ignore",
)
if st.button(
    "Use this forecast for the scenario being edited",
    icon=":material/input:",
    key="forecast_use",
    help="Moves the scenario's horizon to these days and makes every queue this forecast "
    "names take its calls from it (surges and self-service still apply on top); check the "
    "result on the Scenario page.",
):
    draft, used = ed.use_forecast(
        _state.workspace().draft, scenario_file, start, int(days), "forecast_for_scenario.csv"
    )
    if not used:
        st.error(
            "None of this forecast's queues is a queue of the scenario being edited "
            f"({', '.join(sorted(set(scenario_file['queue'])))}); nothing was changed."
        )
    else:
        _state.replace_draft(draft)
        scenario, problem = _state.validated(draft)
        if problem is None:
            st.success(
                f"The scenario now plans {start:%d %b %Y} + {int(days)} days with "
                f"{', '.join(used)} from this forecast. Plan it on the Plan page."
            )
        else:
            st.warning(
                f"{', '.join(used)} now take their calls from this forecast, but the scenario "
                "has problems to fix on the Scenario page:"
            )
            _state.show_issues(problem.issues, draft.data)
three.download_button(
    "Download the backtest (CSV)",
    table_to_csv(bt.assign(week_start=bt["week_start"].astype(str))),
    file_name="backtest.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)
