"""Demand and requirement: the calls each queue gets per interval, and the agents they need."""

from __future__ import annotations

import streamlit as st

from app_pages import _cache, _i18n, _state, charts, tables
from app_pages._i18n import _, n_
from planner.io.export import table_to_csv
from planner.present.catalogue import kpi

st.title(_("Demand and requirement"))
st.caption(
    _(
        "Calls per interval after surges, self-service and closed days, and the agents each "
        "queue needs on duty to meet its service target (Erlang C, or Erlang A where callers "
        "hang up; then shrinkage)."
    )
)

scenario = _state.current_scenario()
if scenario is None:
    st.stop()
key = _state.current_key(scenario)
try:
    demand = _cache.demand_table(key)
    requirement = _cache.requirement_table(key)
except (ValueError, ArithmeticError) as exc:
    _state.show_failure(_("The staffing requirement cannot be computed"), exc)
    st.stop()

grid = scenario.grid
hours = grid.interval_hours

# ----- headline figures ---------------------------------------------------------------------------
daily_calls = demand.groupby("day")["calls"].sum()
calls, surge, peak_day, required, peak = st.columns(5)
total_calls = demand["calls"].sum()
# Labels and figures in the session's language; the definitions on hover are the catalogue's.
tables.kpi_card(
    calls,
    kpi("calls", "demand"),
    total_calls,
    _("Calls over the horizon"),
    text=_i18n.number(total_calls),
)
tables.kpi_card(
    surge,
    kpi("surge_share", "demand"),
    None,
    _("Due to surges"),
    text=_i18n.percent(demand["surge_calls"].sum() / total_calls),
)
tables.kpi_card(
    peak_day,
    kpi("busiest_day_calls", "demand"),
    None,
    _("Busiest day"),
    _i18n.short_day(daily_calls.idxmax()),
    text=n_("{calls} call", "{calls} calls", round(daily_calls.max())).format(
        calls=_i18n.number(daily_calls.max())
    ),
    delta_color="off",
)
tables.kpi_card(
    required,
    kpi("required_agent_hours", "demand"),
    None,
    _("Agent-hours required"),
    text=_i18n.number(requirement["required_agents"].sum() * hours),
)
tables.kpi_card(
    peak,
    kpi("peak_required_agents", "demand"),
    None,
    _("Peak agents required"),
    text=_i18n.number(requirement.groupby(["day", "interval"])["required_agents"].sum().max()),
)

# ----- charts -------------------------------------------------------------------------------------
options = charts.day_options(grid.dates)
labels = {  # the options stay charts.day_options' keys; only what is shown is translated
    label: _i18n.short_day(on) if on else _("Whole horizon") for label, on in options.items()
}
shown = st.segmented_control(
    _("Show"),
    list(options),
    default="Whole horizon",
    format_func=labels.__getitem__,
    key="demand_day",
)
day = options.get(shown or "Whole horizon")

for queue in scenario.queues:
    st.altair_chart(
        charts.localised(charts.calls_chart(demand, queue.name, day, grid.interval_minutes))
    )
st.altair_chart(charts.localised(charts.requirement_chart(requirement, day, grid.interval_minutes)))

# ----- daily table --------------------------------------------------------------------------------
st.subheader(_("Per day"))
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
        "day": st.column_config.DateColumn(_("Day"), format="ddd D MMM"),
        "calls": st.column_config.NumberColumn(_("Calls"), format="%.0f"),
        "surge_calls": st.column_config.NumberColumn(_("of which surge"), format="%.0f"),
        "open": st.column_config.CheckboxColumn(_("Open")),
        "peak_required": st.column_config.NumberColumn(_("Peak agents required")),
        "agent_hours": st.column_config.NumberColumn(_("Agent-hours required"), format="%.1f"),
    },
)
st.download_button(
    _("Download demand and requirement (CSV)"),
    table_to_csv(requirement),
    file_name="demand.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)
