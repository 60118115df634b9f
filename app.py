"""Contact-centre planner in the browser: ``streamlit run app.py``.

The router only: page setup and navigation. Each page lives in ``app_pages/`` and reads like a
description of what it shows; all calculations are in ``planner/``.
"""

import streamlit as st

from app_pages import _saved

st.set_page_config(
    page_title="Contact-centre planner", page_icon=":material/support_agent:", layout="wide"
)

pages = {
    "Plan the week": [
        st.Page("app_pages/scenario.py", title="Scenario", icon=":material/tune:", default=True),
        st.Page("app_pages/forecast.py", title="Forecast", icon=":material/query_stats:"),
        st.Page(
            "app_pages/demand.py", title="Demand and requirement", icon=":material/show_chart:"
        ),
        st.Page("app_pages/plan.py", title="Plan", icon=":material/calendar_month:"),
        st.Page("app_pages/roster.py", title="Roster", icon=":material/badge:"),
    ],
    "Compare": [
        st.Page("app_pages/compare.py", title="Compare scenarios", icon=":material/compare:"),
    ],
    "Saved work": [
        st.Page("app_pages/history.py", title="History", icon=":material/history:"),
        st.Page("app_pages/my_schedule.py", title="My schedule", icon=":material/event:"),
    ],
}

_saved.restore()  # the session's work, after a page reload or a server restart
try:
    st.navigation(pages).run()
finally:  # also when a page stops or reruns early
    _saved.autosave()
