"""Plan edits in a real browser: after Solve on Monday of the emergency week, the Plan page's
Edit tab refuses a move past closing time naming the rule, locks a shift group's shift, and
re-optimises around the lock with the lock kept; no exception box."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from test_app_in_browser import (
    SLOW,
    choose,
    go_to,
    move_refused,
    no_traceback,
    set_number,
    solve,
    wait_idle,
)

pytestmark = pytest.mark.browser


def test_a_refused_plan_edit_names_the_rule_and_a_lock_survives_re_optimisation(
    page: Page, app_url, screenshot
):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    go_to(page, "Plan")
    choose(page, "Plan", "Mon 10 Jan")
    set_number(page, "Time limit (s)", 10)
    solve(page)

    page.get_by_role("tab", name="Edit").click()
    panel = page.get_by_role("tabpanel").filter(visible=True)
    expect(panel.get_by_text("Shift group", exact=True)).to_be_visible()
    # The first group of the day starts in the morning: a start at 20:00 ends after closing.
    move_refused(page, panel, "20:00", "shift start window (shift_start_allowed)")

    # More agents than the pool has are refused by the headcount.
    agents = panel.get_by_label("Agents on the group", exact=True)
    agents.fill("500")
    agents.press("Enter")
    wait_idle(page)
    panel.get_by_role("button", name="Set agents").click()
    wait_idle(page)
    expect(
        panel.get_by_test_id("stAlert").filter(has_text="(daily_headcount)").first
    ).to_be_visible()

    panel.get_by_role("button", name="Lock / unlock").click()
    wait_idle(page)
    expect(panel.get_by_test_id("stAlert").filter(has_text="accepted")).to_have_count(1)
    expect(panel.get_by_text("locked shifts: 1")).to_be_visible()
    panel.get_by_role("button", name="Re-optimise around my locks").click()
    expect(panel.get_by_text("1 of 1 locked shift(s) kept")).to_be_visible(timeout=SLOW)
    wait_idle(page)
    no_traceback(page)
    screenshot(page, "plan-edit-lock-kept")
