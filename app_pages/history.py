"""History: save the scenario being edited as a version, keep the session's plan and roster,
see every version with its differences and reopen any, and publish rosters."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st
import yaml

from app_pages import _i18n, _saved, _state
from app_pages._i18n import N_, _, n_
from planner.editing.draft import Draft, scenario_data
from planner.io.export import plan_files
from planner.io.scenario_file import dump_scenario_yaml
from planner.roster import roster_files
from planner.store import StoreError, VersionConflict
from planner.store.changes import shift_words

ss = st.session_state
CHANGE_KINDS = {  # ShiftChange.kind, as the table of a publication's changes says it
    "added": N_("added"),
    "removed": N_("removed"),
    "breaks": N_("breaks moved"),
    "moved": N_("moved"),
}

st.title(_("History"))
store = _saved.store(retry=True)
if store is None:
    _saved.show_store_error()
    st.stop()
st.caption(
    _("Saved work is kept in {url}. Stored versions and published rosters never change.").format(
        url=store.url
    )
)
author = _saved.ask_author()


def when(moment) -> str:
    return "" if moment is None else _("{moment} UTC").format(moment=_i18n.moment(moment))


# ----- save ---------------------------------------------------------------------------------------
st.subheader(_("Save your work"))
ws = _state.workspace()
scenario, error = _state.validated(ws.draft)
base = _saved.base()
st.write(
    _("Scenario being edited: **{label}**, based on stored version **{version}**").format(
        label=ws.label, version=f"{base[0]}@{base[1]}"
    )
    if base
    else _("Scenario being edited: **{label}**, not stored yet").format(label=ws.label)
)
left, right = st.columns(2)
key = left.text_input(_("Save as scenario"), value=_saved.default_key(), key="history_key").strip()
note = right.text_input(_("Note (why this version)"), key="history_note")
if error is not None:
    st.warning(_("The scenario has problems (see the Scenario page); fix them to save it."))
if st.button(
    _("Save as a new version"),
    type="primary",
    disabled=error is not None or not author or not key,
    key="history_save",
):
    latest = {v.key: v for v in store.list_scenarios()}
    expected = base[1] if base and base[0] == key else (0 if key not in latest else None)
    if expected is None:
        other = latest[key]
        st.error(
            _(
                "A scenario called '{key}' exists ({version}, saved by {author} at {when}) and "
                "yours was not opened from it: open it from the list below to edit it, or save "
                "under another name. Your edits are still here."
            ).format(key=key, version=other.ref, author=other.author, when=when(other.created_at))
        )
    else:
        try:
            version, new = store.save_scenario(
                key,
                dump_scenario_yaml(scenario),
                author=author,
                note=note,
                title=scenario.name,
                base_version=expected,
                files=_saved.scenario_files(ws.draft.data, ws.draft.files),
            )
        except VersionConflict as exc:
            st.error(
                _("{error}. Your edits are still here, unsaved.").format(
                    error=_i18n.say_error(exc)
                ),
                icon=":material/sync_problem:",
            )
        except StoreError as exc:
            st.error(_("Not saved: {error}").format(error=_i18n.say_error(exc)))
        else:
            _saved.set_base(key, version.number)
            ss["history_saved"] = (
                _("Saved {version}.") if new else _("Unchanged: this is {version}.")
            ).format(version=version.ref)
            st.rerun()  # show the new base above
if "history_saved" in ss:
    st.success(ss.pop("history_saved"))


def _kept_version(scenario_key, note: str):
    """The stored version of the scenario a plan or roster was made of: the latest version
    of the default key when it has the same text, else a new version of it."""
    text, used = scenario_key
    files = _saved.scenario_files(yaml.safe_load(text), dict(used))
    version, _new = store.save_scenario(
        _saved.default_key(), text, author=author, note=note, files=files
    )
    return version


plan_record = ss.get("plan")
roster_record = ss.get("roster")
cols = st.columns(2)
if cols[0].button(
    _("Keep the plan in the store"),
    disabled=plan_record is None or not author,
    help=_("The plan shown on the Plan page, with the scenario version it plans."),
    key="history_keep_plan",
):
    text, used = plan_record.key
    kept_key = _saved.default_key()
    version, _new = store.save_scenario(
        kept_key,
        text,
        author=author,
        note="planned",
        files=_saved.scenario_files({}, {})
        | {name: ("forecast", content) for name, content in used},
    )
    saved = store.save_plan(version.id, plan_files(plan_record.result), author=author)
    cols[0].success(_("Kept plan {plan} of {version}.").format(plan=saved.ref, version=version.ref))
if cols[1].button(
    _("Keep the roster as a draft"),
    disabled=roster_record is None or not author,
    help=_("The roster shown on the Roster page, with the plan it rosters; publish it below."),
    key="history_keep_roster",
):
    result = roster_record.result
    version = _kept_version(roster_record.key, "rostered")
    plan_result = result.plan or (plan_record.result if plan_record else None)
    if plan_result is None:
        cols[1].error(_("This roster's plan is not in the session: plan it again first."))
    else:
        plan = store.save_plan(version.id, plan_files(plan_result), author=author)
        saved = store.save_roster(plan.id, roster_files(result), author=author)
        cols[1].success(
            _("Kept draft roster {roster} (plan {plan}); publish it below.").format(
                roster=saved.ref, plan=plan.ref
            )
        )

# ----- versions -----------------------------------------------------------------------------------
st.subheader(_("Scenario versions"))
scenarios = store.list_scenarios()
if not scenarios:
    st.info(_("Nothing saved yet."))
else:
    keys = [v.key for v in scenarios]
    default = keys.index(base[0]) if base and base[0] in keys else 0
    chosen = st.selectbox(_("Scenario"), keys, index=default, key="history_scenario")
    versions = store.history(chosen)
    st.dataframe(
        pd.DataFrame(
            {
                "version": [v.ref for v in versions],
                "saved": [when(v.created_at) for v in versions],
                "by": [v.author for v in versions],
                "note": [v.note for v in versions],
                "title": [v.title for v in versions],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "version": _("version"),
            "saved": _("saved"),
            "by": _("by"),
            "note": _("note"),
            "title": _("title"),
        },
    )
    number = st.selectbox(
        _("Version"), [v.number for v in versions], format_func=lambda n: f"{chosen}@{n}",
        key="history_version",
    )  # fmt: skip
    version = store.version(chosen, number)
    with st.expander(
        _("Differences from {version}").format(version=f"{chosen}@{number - 1}")
        if number > 1
        else _("Content")
    ):
        st.code(version.diff or _("(no difference)"), language="diff")
    if st.button(
        _("Open {version} on the Scenario page").format(version=version.ref), key="history_open"
    ):
        draft = Draft(
            data=scenario_data(store.load_scenario(chosen, number)),
            files={name: content for name, (_kind, content) in version.files.items()},
            source=f"stored: {version.ref}",
        )
        _state.open_in_workspace(draft, f"stored: {version.ref}")
        _saved.set_base(chosen, number)
        st.switch_page(_state.PAGES["scenario"])

# ----- rosters ------------------------------------------------------------------------------------
st.subheader(_("Rosters"))
rosters = store.list_rosters()
if not rosters:
    st.info(_("No roster kept yet: make one on the Roster page, then keep it above."))
    st.stop()
st.dataframe(
    pd.DataFrame(
        {
            "roster": [r.ref for r in rosters],
            "scenario": [r.scenario for r in rosters],
            "plan": [f"p{r.plan_id}" for r in rosters],
            "state": [
                _("published #{number}").format(number=r.publication) if r.published else _("draft")
                for r in rosters
            ],
            "saved": [when(r.created_at) for r in rosters],
            "by": [r.author for r in rosters],
            "published": [
                _("{when} by {author}").format(when=when(r.published_at), author=r.published_by)
                if r.published
                else ""
                for r in rosters
            ],
        }
    ),
    hide_index=True,
    width="stretch",
    column_config={
        "roster": _("roster"),
        "scenario": _("scenario"),
        "plan": _("plan"),
        "state": _("state"),
        "saved": _("saved"),
        "by": _("by"),
        "published": _("published"),
    },
)
drafts = [r for r in rosters if not r.published]
if drafts:
    chosen_id = st.selectbox(
        _("Draft to publish"), [r.id for r in drafts], format_func=lambda i: f"r{i}",
        key="history_draft",
    )  # fmt: skip
    confirmed = st.checkbox(
        _(
            "Operators will see r{id} as their schedule; once published it is never changed "
            "(a change is a new publication)."
        ).format(id=chosen_id),
        key="history_confirm",
    )
    if st.button(
        _("Publish"), type="primary", disabled=not (confirmed and author), key="history_publish"
    ):
        try:
            published = store.publish(chosen_id, author=author)
        except StoreError as exc:
            st.error(_("Not published: {error}").format(error=_i18n.say_error(exc)))
        else:
            ss.pop("history_confirm", None)
            ss["history_published"] = published.id
            st.rerun()
shown = ss.get("history_published")
if shown is not None:
    record = store.roster(shown)
    st.success(
        _("Published {roster} as publication {number} of {scenario}.").format(
            roster=record.ref, number=record.publication, scenario=record.scenario
        )
    )
    if record.changes:
        changed = len({c.operator for c in record.changes})
        st.write(
            n_(
                "{count} operator's shifts changed from r{id}:",
                "{count} operators' shifts changed from r{id}:",
                changed,
            ).format(count=changed, id=record.replaces_id)
            if record.replaces_id
            else n_(
                "{count} operator's shifts changed (first publication):",
                "{count} operators' shifts changed (first publication):",
                changed,
            ).format(count=changed)
        )
        st.dataframe(
            pd.DataFrame(
                [
                    vars(c)
                    | {
                        "before": _i18n.say(shift_words(c.before)),
                        "after": _i18n.say(shift_words(c.after)),
                        "how": _(CHANGE_KINDS[c.kind]),
                    }
                    for c in record.changes
                ]
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "operator": _("operator"),
                "day": _("day"),
                "before": _("before"),
                "after": _("after"),
                "how": _("how"),
            },
        )
    csv = io.BytesIO(record.files["roster.csv"])
    shift_count = len(pd.read_csv(csv))
    st.caption(
        n_("{count} shift published.", "{count} shifts published.", shift_count).format(
            count=_i18n.number(shift_count)
        )
    )
