"""Saved work in the app: the store, the session's work kept across reloads and restarts, the
author's name, and the stored version the scenario being edited is based on.

UI glue only; the store is :class:`planner.store.Store` (``$PLANNER_DB_URL``, else a SQLite
file in the user's data folder).

A session's work (the scenario being edited, its files, its plan and roster) is kept in the
store under a workspace name carried in the page's address (``?ws=...``): a reload keeps the
address, so the session comes back as it was, after a server restart too. :func:`restore` runs
before a page, :func:`autosave` after it (``app.py``); both do nothing when the store cannot be
opened, which the History page then reports.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import PurePosixPath

import streamlit as st

from app_pages import _i18n, _jobs, _state
from app_pages._i18n import _
from planner.editing.draft import Draft, forecast_names, scenario_from_key
from planner.errors import PlannerError
from planner.io.export import plan_files
from planner.roster import roster_files
from planner.store import Store, StoreError, default_url
from planner.store.reopen import plan_result_from_files, roster_result_from_files
from planner.store.workspace import SessionWork

log = logging.getLogger(__name__)
ss = st.session_state

WORKSPACE_PARAM = "ws"
"""The address's query parameter naming the session's workspace."""


@st.cache_resource(show_spinner=False)
def _open(url: str) -> Store:
    return Store(url)


def store(*, retry: bool = False) -> Store | None:
    """The store, or None after keeping why it cannot be opened in ``store_error``; a session
    tries once (an unreachable server costs seconds), again only with ``retry``."""
    if "store_error" in ss and not retry:
        return None
    try:
        opened = _open(default_url())
    except StoreError as exc:
        ss["store_error"] = exc.with_traceback(None)  # its message, not its frames
        return None
    ss.pop("store_error", None)
    return opened


def show_store_error() -> None:
    """Say on the page why the store cannot be opened (after :func:`store` returned None)."""
    st.error(
        _("The store of saved work cannot be opened: {error}").format(
            error=_i18n.say_error(ss["store_error"])
        )
    )


def workspace_name() -> str:
    """This session's workspace name: from the address, else a new one put into it."""
    if "ws_name" not in ss:
        given = st.query_params.get(WORKSPACE_PARAM, "")
        ss["ws_name"] = given if given.isalnum() and len(given) <= 40 else secrets.token_hex(6)
    if st.query_params.get(WORKSPACE_PARAM) != ss["ws_name"]:
        st.query_params[WORKSPACE_PARAM] = ss["ws_name"]
    return ss["ws_name"]


# ----- the stored version the draft is based on ---------------------------------------------------


def base() -> tuple[str, int] | None:
    """The stored version (key, number) the scenario being edited was opened from or saved as;
    None once another scenario is opened."""
    kept = ss.get("store_base")
    if kept is None or kept[2] is not _state.workspace().opened:
        return None
    return kept[0], kept[1]


def set_base(key: str, number: int) -> None:
    ss["store_base"] = (key, number, _state.workspace().opened)


def author_name() -> str | None:
    """The author's name given in this session, or None."""
    return ss.get("store_author") or None


def ask_author(where=st) -> str | None:
    """The author's name, asked once per session (kept for every save and publication)."""
    if author_name():
        where.caption(_("Saving and publishing as **{author}**.").format(author=author_name()))
        return author_name()
    name = where.text_input(
        _("Your name (asked once: it is kept with what you save and publish)"),
        key="store_author_in",
    ).strip()
    if name:
        ss["store_author"] = name
        st.rerun()
    return None


def scenario_files(data: dict, files) -> dict[str, tuple[str, bytes]]:
    """The files a scenario names, with their kind, for :meth:`Store.save_scenario`."""
    forecasts = set(forecast_names(data))
    named = {n: files[n] for n in forecasts if n in files}
    operators = data.get("operators_file")
    if isinstance(operators, str) and operators in files:
        named[operators] = files[operators]
    return {n: ("forecast" if n in forecasts else "operators", bytes(c)) for n, c in named.items()}


def default_key() -> str:
    """The key a scenario being edited is saved under by default."""
    kept = base()
    if kept:
        return kept[0]
    label = _state.workspace().label
    return PurePosixPath(label.removeprefix("stored: ").split("@")[0]).stem or "scenario"


# ----- the session across reloads and restarts --------------------------------------------------


def _session_work() -> SessionWork:
    ws = _state.workspace()
    record: _jobs.PlanRecord | None = ss.get("plan")
    plan, meta = {}, {}
    if record is not None:
        text, used = record.key
        plan = dict(plan_files(record.result))
        plan["scenario.yaml"] = text.encode("utf-8")
        plan |= {f"scenario_files/{name}": content for name, content in used}
        s = record.settings
        meta = {
            "settings": [s.time_limit_seconds, s.relative_gap, s.workers, s.day],
            "label": record.label,
            "stopped": record.stopped,
            "seconds": record.seconds,
            "used": [name for name, _ in used],
        }
    roster: _jobs.RosterRecord | None = ss.get("roster")
    roster_files_kept, roster_meta = {}, {}
    if roster is not None:
        text, used = roster.key
        roster_files_kept = dict(roster_files(roster.result))
        if roster.result.plan is not None:
            roster_files_kept |= {f"plan/{n}": c for n, c in plan_files(roster.result.plan).items()}
        roster_files_kept["scenario.yaml"] = text.encode("utf-8")
        roster_files_kept |= {f"scenario_files/{name}": content for name, content in used}
        roster_meta = {
            "plan_settings": list(roster.plan_settings),
            "time_limit_seconds": roster.time_limit_seconds,
            "label": roster.label,
            "stopped": roster.stopped,
            "seconds": roster.seconds,
            "used": [name for name, _ in used],
        }
    return SessionWork(
        label=ws.label,
        data=ws.draft.data,
        files=dict(ws.draft.files),
        source=ws.draft.source,
        base=base(),
        plan_files=plan,
        plan_meta=meta,
        roster_files=roster_files_kept,
        roster_meta=roster_meta,
    )


def _plan_record(work: SessionWork) -> _jobs.PlanRecord | None:
    if not work.plan_files:
        return None
    meta = work.plan_meta
    used = tuple((n, work.plan_files[f"scenario_files/{n}"]) for n in meta["used"])
    key = (work.plan_files["scenario.yaml"].decode("utf-8"), used)
    result = plan_result_from_files(scenario_from_key(key), work.plan_files)
    return _jobs.PlanRecord(
        result=result,
        key=key,
        settings=_jobs.SolveSettings(*meta["settings"]),
        label=meta["label"],
        stopped=meta["stopped"],
        seconds=meta["seconds"],
    )


def _roster_record(work: SessionWork) -> _jobs.RosterRecord | None:
    if not work.roster_files:
        return None
    files, meta = work.roster_files, work.roster_meta
    used = tuple((n, files[f"scenario_files/{n}"]) for n in meta["used"])
    key = (files["scenario.yaml"].decode("utf-8"), used)
    scenario = scenario_from_key(key)
    plan = {n.removeprefix("plan/"): c for n, c in files.items() if n.startswith("plan/")}
    plan_result = plan_result_from_files(scenario, plan) if plan else None
    return _jobs.RosterRecord(
        result=roster_result_from_files(scenario, files, plan_result),
        key=key,
        plan_settings=tuple(meta["plan_settings"]),
        time_limit_seconds=meta["time_limit_seconds"],
        label=meta["label"],
        stopped=meta["stopped"],
        seconds=meta["seconds"],
    )


def restore() -> None:
    """Once per session: put back the work kept under this session's workspace name."""
    if ss.get("_restored") or "workspace" in ss:
        ss["_restored"] = True
        return
    ss["_restored"] = True
    opened = store()
    if opened is None:
        return
    try:
        work = opened.workspace(workspace_name())
        if work is None:
            return
        draft = Draft(data=work.data, files=dict(work.files), source=work.source)
        ss["workspace"] = _state.Workspace(draft=draft, opened=draft, label=work.label)
        if work.base:
            set_base(*work.base)
        record = _plan_record(work)
        if record is not None:
            ss["plan"] = record
        roster = _roster_record(work)
        if roster is not None:
            ss["roster"] = roster
        ss["_autosaved"] = _fingerprint()
    except (PlannerError, ValueError, KeyError) as exc:  # a workspace this version cannot read
        log.warning("workspace %s not restored: %s", workspace_name(), exc)


def _fingerprint() -> tuple:
    ws = ss.get("workspace")
    return (
        id(ws.draft) if ws else None,
        ws.label if ws else None,
        id(ss.get("plan")),
        id(ss.get("roster")),
        base() if ws else None,
    )


def autosave() -> None:
    """Keep the session's work in the store when it changed since last kept."""
    if "workspace" not in ss:
        return
    fingerprint = _fingerprint()
    if ss.get("_autosaved") == fingerprint:
        return
    opened = store()
    if opened is None:
        return
    try:
        opened.save_workspace(workspace_name(), _session_work())
        ss["_autosaved"] = fingerprint
    except (StoreError, ValueError, TypeError) as exc:
        log.warning("workspace %s not kept: %s", workspace_name(), exc)
