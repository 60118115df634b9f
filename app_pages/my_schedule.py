"""My schedule: an operator picks their id and sees their published shifts with breaks, and
downloads them as a calendar file (.ics)."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from app_pages import _i18n, _saved
from app_pages._i18n import _
from planner.io.ical import shifts_calendar
from planner.store.changes import shift_words


def _shift(text: str) -> str:
    """A changed day's shift as stored, its words (a day off, breaks) in the session's
    language."""
    return _i18n.say(shift_words(text))


st.title(_("My schedule"))
store = _saved.store(retry=True)
if store is None:
    _saved.show_store_error()
    st.stop()
published = store.list_rosters(published_only=True)
if not published:
    st.info(_("No roster has been published yet."))
    st.stop()

scenarios = sorted({r.scenario for r in published})
scenario = st.selectbox(_("Schedule"), scenarios, key="my_scenario")
mine = [r for r in published if r.scenario == scenario]  # newest first
publications = {  # labels made here: the selectbox may call format_func outside the session
    r.id: (
        _("#{number} (r{id}), published {when} UTC, the latest")
        if r is mine[0]
        else _("#{number} (r{id}), published {when} UTC")
    ).format(number=r.publication, id=r.id, when=_i18n.moment(r.published_at))
    for r in mine
}
roster_id = st.selectbox(
    _("Publication"),
    list(publications),
    format_func=publications.__getitem__,
    key="my_publication",
)
record = store.roster(roster_id)
table = pd.read_csv(io.BytesIO(record.files["roster.csv"]), dtype=str, keep_default_na=False)
operators = sorted(table["operator"].unique())
operator = st.selectbox(_("Your operator id"), operators, index=None, key="my_operator")
if operator is None:
    st.stop()
shifts = table[table["operator"] == operator].sort_values(["day", "start"])
if shifts.empty:
    st.info(_("{operator} has no shift in this publication.").format(operator=operator))
    st.stop()
st.dataframe(
    shifts[["day", "start", "end", "breaks", "paid_hours", "pool"]],
    hide_index=True,
    width="stretch",
    column_config={
        "day": _("day"),
        "start": _("start"),
        "end": _("end"),
        "breaks": _("breaks"),
        "paid_hours": _("paid hours"),
        "pool": _("pool"),
    },
)
changed = [c for c in record.changes if c.operator == operator and record.replaces_id]


if changed:
    st.warning(
        _("Changed since the publication before:")
        + "\n"
        + "\n".join(f"- {c.day}: {_shift(c.before)} -> {_shift(c.after)}" for c in changed)
    )
st.download_button(
    _("Download my shifts (.ics)"),
    shifts_calendar(shifts, operator, sequence=record.publication or 0),
    file_name=f"shifts-{operator}-{scenario}-{record.publication}.ics",
    mime="text/calendar",
    icon=":material/event:",
    key="my_ics",
    on_click="ignore",
)
