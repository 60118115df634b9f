"""Downloads in a real browser: a second click soon after the first gives a second file (the
button used to rerun the page, so a click during the rerun gave no file and a spinning button)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from playwright.sync_api import Page, expect
from test_app_in_browser import SLOW, choose, go_to, no_traceback, set_number, solve, wait_idle

pytestmark = pytest.mark.browser


def twice_quickly(page: Page, label: str, then: str | None = None) -> list[bytes]:
    """Click the download button ``label``, then 0.1 s later ``then`` (default: ``label``
    again); the files received."""
    received = []

    def keep(download) -> None:
        received.append(download)

    page.on("download", keep)
    button = page.get_by_role("button", name=label)
    button.click()
    page.wait_for_timeout(100)
    page.get_by_role("button", name=then or label).click()
    deadline = 30
    while len(received) < 2 and deadline > 0:
        page.wait_for_timeout(500)
        deadline -= 0.5
    page.remove_listener("download", keep)
    assert len(received) == 2, f"{label}: {len(received)} file(s) for two clicks"
    return [open(d.path(), "rb").read() for d in received]


def test_two_quick_clicks_on_a_download_give_two_files(page: Page, app_url, screenshot):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)

    go_to(page, "Demand and requirement")
    first, second = twice_quickly(page, "Download demand and requirement (CSV)")
    assert first == second and len(pd.read_csv(io.BytesIO(first))) > 0

    # A file made when clicked (the coverage of a one-day plan).
    go_to(page, "Plan")
    choose(page, "Plan", "Mon 10 Jan")
    set_number(page, "Time limit (s)", 10)
    solve(page)
    first, second = twice_quickly(page, "Coverage (CSV)")
    assert first == second
    shifts, coverage = twice_quickly(page, "Shifts (CSV)", "Coverage (CSV)")
    assert shifts != coverage
    coverage = pd.read_csv(io.BytesIO(coverage))
    assert {"service_level", "staffed_agents"} <= set(coverage.columns)
    assert len(set(coverage["day"])) == 1
    no_traceback(page)
    screenshot(page, "appfix-downloads")
