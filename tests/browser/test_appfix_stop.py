"""Stop in a real browser: a sweep on the Compare page stops when asked, says so, and the page
can run it again."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from test_app_in_browser import SLOW, go_to, no_traceback, set_number, wait_idle

pytestmark = pytest.mark.browser


def test_a_sweep_stops_when_asked(page: Page, app_url, screenshot):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    go_to(page, "Compare scenarios")
    page.get_by_role("tab", name="Sweep and capacity").click()
    set_number(page, "Time limit per point (s)", 2)
    run = page.get_by_role("button", name="Run the sweep (12 plans)")
    stop = page.get_by_test_id("stButton").filter(has_text="Stop").nth(1)  # the sweep's
    expect(stop.get_by_role("button")).to_be_disabled()
    run.click()
    expect(page.get_by_text("Solving the sweep")).to_be_visible(timeout=SLOW)
    expect(stop.get_by_role("button")).to_be_enabled()
    stop.get_by_role("button").click()
    expect(page.get_by_text("Stopped by you after")).to_be_visible(timeout=SLOW)
    wait_idle(page)
    no_traceback(page)
    expect(page.get_by_text("Service level of")).to_have_count(0)  # no result is shown
    expect(run).to_be_enabled()
    expect(stop.get_by_role("button")).to_be_disabled()  # nothing left to stop
    screenshot(page, "appfix-sweep-stopped")
