"""My schedule: an operator picks their id and sees their published shifts with breaks, and
downloads them as a calendar file (.ics)."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from app_pages import _saved
from planner.io.ical import shifts_calendar

st.title("My schedule")
store = _saved.store(retry=True)
if store is None:
    st.error(f"The store of saved work cannot be opened: {st.session_state.get('store_error')}")
    st.stop()
published = store.list_rosters(published_only=True)
if not published:
    st.info("No roster has been published yet.")
    st.stop()

scenarios = sorted({r.scenario for r in published})
scenario = st.selectbox("Schedule", scenarios, key="my_scenario")
mine = [r for r in published if r.scenario == scenario]  # newest first
roster_id = st.selectbox(
    "Publication",
    [r.id for r in mine],
    format_func=lambda i: next(
        f"#{r.publication} (r{r.id}), published {r.published_at:%Y-%m-%d %H:%M} UTC"
        + (" - the latest" if r is mine[0] else "")
        for r in mine
        if r.id == i
    ),
    key="my_publication",
)
record = store.roster(roster_id)
table = pd.read_csv(io.BytesIO(record.files["roster.csv"]), dtype=str, keep_default_na=False)
operators = sorted(table["operator"].unique())
operator = st.selectbox("Your operator id", operators, index=None, key="my_operator")
if operator is None:
    st.stop()
shifts = table[table["operator"] == operator].sort_values(["day", "start"])
if shifts.empty:
    st.info(f"{operator} has no shift in this publication.")
    st.stop()
st.dataframe(
    shifts[["day", "start", "end", "breaks", "paid_hours", "pool"]].rename(
        columns={"paid_hours": "paid hours"}
    ),
    hide_index=True,
    width="stretch",
)
changed = [c for c in record.changes if c.operator == operator and record.replaces_id]
if changed:
    st.warning(
        "Changed since the publication before:\n"
        + "\n".join(f"- {c.day}: {c.before} -> {c.after}" for c in changed)
    )
st.download_button(
    "Download my shifts (.ics)",
    shifts_calendar(shifts, operator, sequence=record.publication or 0),
    file_name=f"shifts-{operator}-{scenario}-{record.publication}.ics",
    mime="text/calendar",
    icon=":material/event:",
    key="my_ics",
    on_click="ignore",
)
