"""The advice in a real browser: plan the emergency scenario's Monday (both lines short of
staff), open "What would close the gap", apply the first advice to a copy and see it said; no
exception box."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from test_app_in_browser import SLOW, choose, go_to, no_traceback, set_number, solve, wait_idle

pytestmark = pytest.mark.browser
ADVICE = re.compile(r"Mon 10 Jan · (consulting|emergency): \+\d+ \S+ agents \d\d:\d\d-\d\d:\d\d")


def test_the_advice_is_shown_and_applied_to_a_copy(page: Page, app_url, screenshot, timing):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    go_to(page, "Plan")
    choose(page, "Plan", "Mon 10 Jan")
    set_number(page, "Time limit (s)", 20)
    timing("Solve clicked to Monday's plan and its advice", solve(page))
    no_traceback(page)

    expander = page.get_by_test_id("stExpander").filter(has_text="What would close the gap")
    expander.get_by_text("What would close the gap", exact=True).click()
    wait_idle(page)
    expect(expander.get_by_text(ADVICE).first).to_be_visible(timeout=SLOW)
    lifted = expander.get_by_text(re.compile(r"lift the day from \d+\.\d+ ?% to"))
    expect(lifted.first).to_be_visible()
    screenshot(page, "14-plan-advice")

    buttons = expander.get_by_role("button", name="Apply to a copy")
    assert buttons.count() >= 1
    buttons.first.click()
    wait_idle(page)
    if not expander.get_by_text("Kept a copy of the scenario").count():  # closed by the rerun
        expander.get_by_text("What would close the gap", exact=True).click()
        wait_idle(page)
    kept = expander.get_by_text(re.compile(r"Kept a copy of the scenario as '.*'"))
    expect(kept).to_be_visible()
    expect(kept).to_contain_text("Your scenario and its file are unchanged")
    no_traceback(page)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    screenshot(page, "15-plan-advice-applied")
