"""Roster edits in a real browser: after Make roster on the emergency week, the Roster page's
Edit tab refuses a move past closing time naming the rule, locks an operator's shift, and
re-optimises around the lock with the lock kept; no exception box."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_app_in_browser import SLOW, go_to, make_roster, move_refused, no_traceback, wait_idle

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def test_a_refused_edit_names_the_rule_and_a_lock_survives_re_optimisation(page: Page, app_url):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    go_to(page, "Roster")
    make_roster(page)

    page.get_by_role("tab", name="Edit").click()
    panel = page.get_by_role("tabpanel").filter(visible=True)
    # The operator shown first works on the day shown (Monday); start their shift at 20:00.
    move_refused(page, panel, "20:00", "opening hours")

    panel.get_by_role("button", name="Lock / unlock").click()
    wait_idle(page)
    expect(panel.get_by_test_id("stAlert").filter(has_text="accepted")).to_have_count(1)
    expect(panel.get_by_text(re.compile(r"locked shifts: .+ 20\d\d-\d\d-\d\d"))).to_be_visible()
    panel.get_by_role("button", name="Re-optimise around my locks").click()
    expect(panel.get_by_text("1 of 1 locked shifts kept")).to_be_visible(timeout=SLOW)
    wait_idle(page)
    no_traceback(page)
    panel.screenshot(path=str(SCREENSHOTS / "17-roster-edit-lock-kept.png"))
