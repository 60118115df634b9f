"""Session state: the scenario being edited, the scenario files to open, and messages.

UI glue only. The scenario being edited lives in ``st.session_state`` as a
:class:`Workspace` holding a :class:`planner.editing.draft.Draft`; the pages read it, its
validated scenario and its cache key (:func:`current_key`) from here, and report problems with
:func:`show_issues` and :func:`show_failure`.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from app_pages import _i18n
from app_pages._cache import file_draft, file_key
from app_pages._i18n import _, n_
from planner.domain.scenario import Scenario
from planner.editing.draft import Draft, ScenarioKey, scenario_key
from planner.editing.issues import issue_section, issue_text
from planner.errors import PlannerError, ScenarioError

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[1]
SHIPPED_DIR = REPO / "scenarios"
DEFAULT_FILE = "emergency.yaml"

PAGES = {
    "scenario": "app_pages/scenario.py",
    "demand": "app_pages/demand.py",
    "plan": "app_pages/plan.py",
    "compare": "app_pages/compare.py",
    "roster": "app_pages/roster.py",
}


# --------------------------------------------------------------------------------------------------
# Scenario files
# --------------------------------------------------------------------------------------------------


def saved_dir() -> Path:
    """Where the app saves scenarios: ``scenarios/saved``, or ``$PLANNER_SAVED_DIR`` if set."""
    return Path(os.environ.get("PLANNER_SAVED_DIR") or SHIPPED_DIR / "saved")


def scenario_files() -> dict[str, Path]:
    """Scenario files a user can open: shipped ones by name, saved ones as ``saved/NAME``."""
    files = {p.name: p for p in sorted(SHIPPED_DIR.glob("*.yaml"))}
    saved = saved_dir()
    if saved.is_dir() and saved.resolve() != SHIPPED_DIR.resolve():
        for p in sorted([*saved.glob("*.yaml"), *saved.glob("*.yml")]):
            files[f"saved/{p.name}"] = p
    return files


def open_file(label: str) -> Draft:
    """The scenario file shown as ``label`` as a draft (raises ScenarioError if invalid)."""
    path = scenario_files()[label]
    return file_draft(str(path), path.stat().st_mtime)


# --------------------------------------------------------------------------------------------------
# The scenario being edited
# --------------------------------------------------------------------------------------------------


@dataclass
class Workspace:
    """The session's scenarios: the one being edited, as it was opened, and kept copies.

    ``kept`` holds scenarios kept for comparison (label to key), edited but not saved.
    """

    draft: Draft
    opened: Draft
    label: str
    kept: dict[str, ScenarioKey] = field(default_factory=dict)
    generation: int = 0  # bumped when a scenario is opened: editors start again from it


def workspace() -> Workspace:
    """The session's workspace, opening the default scenario on first use."""
    if "workspace" not in st.session_state:
        draft = open_file(DEFAULT_FILE)
        st.session_state["workspace"] = Workspace(draft=draft, opened=draft, label=DEFAULT_FILE)
    return st.session_state["workspace"]


def open_in_workspace(draft: Draft, label: str) -> None:
    """Make ``draft`` the scenario being edited (the Scenario page's editors start again)."""
    ws = workspace()
    ws.draft = ws.opened = draft
    ws.label = label
    ws.generation += 1


def replace_draft(draft: Draft) -> None:
    """Make ``draft`` the scenario being edited, from another page than the Scenario page (its
    editors start again from it; the file it was opened from stays the same)."""
    ws = workspace()
    ws.draft = draft
    ws.generation += 1


EDITED = "Scenario being edited"
"""The Compare page's choice of the scenario on the Scenario page (saved or not): a key kept in
the session (the selectors' values), the same in every language; :func:`shown_label` words it."""
KEPT = "Kept: "
"""How a choice of a version kept for comparison starts (``Kept: <label>``), in every language."""


def shown_label(choice: str) -> str:
    """A comparable scenario's choice as the page shows it, in the session's language: the
    scenario being edited and a kept version worded, a file's name as it is."""
    if choice == EDITED:
        return _("Scenario being edited")
    if choice.startswith(KEPT):
        return _("Kept: {label}").format(label=choice.removeprefix(KEPT))
    return choice


def comparable_scenarios() -> dict[str, ScenarioKey]:
    """Scenarios a comparison can use, by label: the one being edited (if valid), versions
    kept for comparison, then the shipped and saved files."""
    ws = workspace()
    choices: dict[str, ScenarioKey] = {}
    scenario, _error = validated(ws.draft)
    if scenario is not None:
        choices[EDITED] = scenario_key(scenario, ws.draft.files)
    choices |= {f"{KEPT}{label}": key for label, key in ws.kept.items()}
    for label, path in scenario_files().items():
        key = file_key(str(path), path.stat().st_mtime)
        if key is not None:
            choices[label] = key
    return choices


def validated(draft: Draft) -> tuple[Scenario | None, ScenarioError | None]:
    """The draft's scenario, or the error listing its problems."""
    try:
        return draft.validate(), None
    except ScenarioError as exc:
        return None, exc


def current_scenario() -> Scenario | None:
    """The scenario being edited, or None after showing why it cannot be used.

    For the pages that read the scenario (Demand, Plan): its problems are listed with a link
    to the Scenario page, where each is shown next to its field.
    """
    draft = workspace().draft
    scenario, error = validated(draft)
    if error is not None:
        count = len(error.issues)
        st.error(
            n_(
                "The scenario has {count} problem(s); fix them on the Scenario page. "
                "Nothing below uses it until then.",
                "The scenario has {count} problem(s); fix them on the Scenario page. "
                "Nothing below uses it until then.",
                count,
            ).format(count=count)
            + "\n\n"
            + "\n".join(f"- {_i18n.say(issue_text(i, draft.data))}" for i in error.issues[:12])
        )
        st.page_link(PAGES["scenario"], label=_("Go to the Scenario page"), icon=":material/tune:")
    return scenario


def current_key(scenario: Scenario) -> ScenarioKey:
    """The cache key of the scenario being edited (validated as ``scenario``)."""
    return scenario_key(scenario, workspace().draft.files)


# --------------------------------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------------------------------


def show_issues(issues, data, *, section: str | None = None, where=st) -> None:
    """Issues as one ``st.error``, each in the user's words; only ``section``'s when given."""
    chosen = [i for i in issues if section is None or issue_section(i) == section]
    if chosen:
        lines = (f"- {_i18n.say(issue_text(i, data))}" for i in chosen)
        where.error("\n".join(lines), icon=":material/error:")


def show_failure(what: str, exc: Exception) -> None:
    """A planner error as ``st.error``: its message names the field and the rule."""
    if isinstance(exc, PlannerError | ValueError):
        st.error(f"{what}: {_i18n.say_error(exc)}", icon=":material/error:")
    else:  # a bug, not bad input: say so, keep the details in the server log
        log.exception("%s failed", what)
        st.error(
            _("{what} failed unexpectedly ({kind}: {error}).").format(
                what=what, kind=type(exc).__name__, error=exc
            )
        )
