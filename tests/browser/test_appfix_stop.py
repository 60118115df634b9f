"""Stop in a real browser: a sweep on the Compare page whose plans each have a minute ends within
seconds of Stop, names the plans it stopped, shows no exception, and can be run again."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect
from test_app_in_browser import SLOW, go_to, no_traceback, set_number, wait_idle

pytestmark = pytest.mark.browser

PROMPT = 10_000  # ms from the click on Stop to the message: the solves are not waited for


def test_a_sweep_stops_at_once_and_names_what_it_stopped(page: Page, app_url, screenshot):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    go_to(page, "Compare scenarios")
    page.get_by_role("tab", name="Sweep and capacity").click()
    set_number(page, "Time limit per point (s)", 60)
    run = page.get_by_role("button", name="Run the sweep (12 plans)")
    stop = page.get_by_test_id("stButton").filter(has_text="Stop").nth(1)  # the sweep's
    expect(stop.get_by_role("button")).to_be_disabled()
    run.click()
    expect(page.get_by_text("Solving the sweep")).to_be_visible(timeout=SLOW)
    expect(stop.get_by_role("button")).to_be_enabled()
    page.wait_for_timeout(1500)  # the first solves are under way
    clicked = time.perf_counter()
    stop.get_by_role("button").click()
    message = page.get_by_text(re.compile(r"Stopped by you: \d+ plans? (was|were) not finished"))
    expect(message).to_be_visible(timeout=PROMPT)
    seconds = time.perf_counter() - clicked
    text = message.inner_text()
    assert "pools[borrowed].headcount=" in text  # the stopped points, by their values
    assert seconds < PROMPT / 1000
    wait_idle(page)
    no_traceback(page)
    expect(run).to_be_enabled()
    expect(stop.get_by_role("button")).to_be_disabled()  # nothing left to stop
    screenshot(page, "appfix-sweep-stopped")
