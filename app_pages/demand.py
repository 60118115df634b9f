"""Demand and requirement: the calls each queue gets per interval, and the agents they need."""

from __future__ import annotations

import streamlit as st

from app_pages import _cache, _state, charts, tables
from planner.io.export import table_to_csv
from planner.present.catalogue import kpi

st.title("Demand and requirement")
st.caption(
    "Calls per interval after surges, self-service and closed days, and the agents each queue "
    "needs on duty to meet its service target (Erlang C, or Erlang A where callers hang up; "
    "then shrinkage)."
)

scenario = _state.current_scenario()
if scenario is None:
    st.stop()
key = _state.current_key(scenario)
try:
    demand = _cache.demand_table(key)
    requirement = _cache.requirement_table(key)
except (ValueError, ArithmeticError) as exc:
    _state.show_failure("The staffing requirement cannot be computed", exc)
    st.stop()

grid = scenario.grid
hours = grid.interval_hours

# ----- headline figures ---------------------------------------------------------------------------
daily_calls = demand.groupby("day")["calls"].sum()
calls, surge, peak_day, required, peak = st.columns(5)
total_calls = demand["calls"].sum()
tables.kpi_card(calls, kpi("calls", "demand"), total_calls)
tables.kpi_card(surge, kpi("surge_share", "demand"), demand["surge_calls"].sum() / total_calls)
tables.kpi_card(
    peak_day,
    kpi("busiest_day_calls", "demand"),
    daily_calls.max(),
    delta=f"{daily_calls.idxmax():%a %d %b}",
    delta_color="off",
)
tables.kpi_card(
    required,
    kpi("required_agent_hours", "demand"),
    requirement["required_agents"].sum() * hours,
)
tables.kpi_card(
    peak,
    kpi("peak_required_agents", "demand"),
    requirement.groupby(["day", "interval"])["required_agents"].sum().max(),
)

# ----- charts -------------------------------------------------------------------------------------
options = charts.day_options(grid.dates)
shown = st.segmented_control("Show", list(options), default="Whole horizon", key="demand_day")
day = options.get(shown or "Whole horizon")

for queue in scenario.queues:
    st.altair_chart(charts.calls_chart(demand, queue.name, day, grid.interval_minutes))
st.altair_chart(charts.requirement_chart(requirement, day, grid.interval_minutes))

# ----- daily table --------------------------------------------------------------------------------
st.subheader("Per day")
daily = (
    requirement.groupby(["queue", "day"], sort=False)
    .agg(
        calls=("calls", "sum"),
        surge_calls=("surge_calls", "sum"),
        open=("open", "any"),
        peak_required=("required_agents", "max"),
        agent_hours=("required_agents", "sum"),
    )
    .reset_index()
)
daily["agent_hours"] *= hours
st.dataframe(
    daily,
    hide_index=True,
    width="stretch",
    column_config={
        "day": st.column_config.DateColumn("Day", format="ddd D MMM"),
        "calls": st.column_config.NumberColumn("Calls", format="%.0f"),
        "surge_calls": st.column_config.NumberColumn("of which surge", format="%.0f"),
        "open": st.column_config.CheckboxColumn("Open"),
        "peak_required": st.column_config.NumberColumn("Peak agents required"),
        "agent_hours": st.column_config.NumberColumn("Agent-hours required", format="%.1f"),
    },
)
st.download_button(
    "Download demand and requirement (CSV)",
    table_to_csv(requirement),
    file_name="demand.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)
