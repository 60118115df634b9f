"""Contact-centre planner in the browser: ``streamlit run app.py``.

The router only: page setup and navigation. Each page lives in ``app_pages/`` and reads like a
description of what it shows; all calculations are in ``planner/``.
"""

import streamlit as st

from app_pages import _saved
from app_pages._i18n import _, choose_language

st.set_page_config(
    page_title=_("Contact-centre planner"), page_icon=":material/support_agent:", layout="wide"
)
choose_language()  # per session: from the browser's locale, changed in the sidebar

pages = {
    _("Plan the week"): [
        st.Page("app_pages/scenario.py", title=_("Scenario"), icon=":material/tune:", default=True),
        st.Page("app_pages/forecast.py", title=_("Forecast"), icon=":material/query_stats:"),
        st.Page(
            "app_pages/demand.py", title=_("Demand and requirement"), icon=":material/show_chart:"
        ),
        st.Page("app_pages/plan.py", title=_("Plan"), icon=":material/calendar_month:"),
        st.Page("app_pages/roster.py", title=_("Roster"), icon=":material/badge:"),
    ],
    _("Compare"): [
        st.Page("app_pages/compare.py", title=_("Compare scenarios"), icon=":material/compare:"),
    ],
    _("Saved work"): [
        st.Page("app_pages/history.py", title=_("History"), icon=":material/history:"),
        st.Page("app_pages/my_schedule.py", title=_("My schedule"), icon=":material/event:"),
    ],
}

_saved.restore()  # the session's work, after a page reload or a server restart
try:
    st.navigation(pages).run()
finally:  # also when a page stops or reruns early
    _saved.autosave()
