"""Saved work in a real browser: an edit survives reloading the page, and a version saved on
the History page is listed there with its author."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from test_app_in_browser import SLOW, go_to, no_traceback, wait_idle

pytestmark = pytest.mark.browser
HORIZON_TAB = re.compile(r"^Horizon")


def test_an_edit_survives_a_reload_and_a_version_is_saved(page: Page, app_url, screenshot):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"[?&]ws=[0-9a-f]+"))  # the session's workspace
    page.get_by_role("tab", name=HORIZON_TAB).click()
    name = page.get_by_label("Name", exact=True)
    name.fill("Emergency, as edited before the reload")
    name.press("Enter")
    wait_idle(page)

    page.reload()
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    page.get_by_role("tab", name=HORIZON_TAB).click()
    expect(page.get_by_label("Name", exact=True)).to_have_value(
        "Emergency, as edited before the reload"
    )

    go_to(page, "History")
    author = page.get_by_label(re.compile(r"^Your name"))
    author.fill("Aigerim")
    author.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Save as a new version").click()
    wait_idle(page)
    expect(page.get_by_text("Saved emergency@1.")).to_be_visible()
    expect(page.get_by_text("Saving and publishing as Aigerim")).to_be_visible()
    no_traceback(page)
    screenshot(page, "9-history")
