"""The Timeline tab in a real browser: after a solve of the emergency week, the Plan page's
Timeline tab draws the day's shifts as a Gantt chart (a vega canvas or svg), follows a change of
day and of the moment on the floor, and shows the floor's counts and table; no exception box."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_app_in_browser import (
    SLOW,
    go_to,
    make_roster,
    metrics,
    no_traceback,
    set_number,
    solve,
    wait_idle,
)

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def open_timeline(page: Page):
    """Open the page's Timeline tab; its panel and its chart, drawn (a vega canvas or svg)."""
    page.get_by_role("tab", name="Timeline").click()
    panel = page.get_by_role("tabpanel").filter(visible=True)
    chart = panel.get_by_test_id("stVegaLiteChart")
    expect(chart).to_have_count(1)
    chart.scroll_into_view_if_needed()
    expect(chart.locator("canvas, svg").first).to_be_visible(timeout=SLOW)
    return panel, chart


def test_the_plan_pages_timeline_follows_the_day_and_the_moment(page: Page, app_url):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    go_to(page, "Plan")
    set_number(page, "Time limit (s)", 5)
    solve(page)
    no_traceback(page)

    panel, chart = open_timeline(page)
    monday = chart.bounding_box()
    assert monday and monday["width"] > 300 and monday["height"] > 150
    expect(panel.get_by_test_id("stDataFrame")).to_have_count(2)  # counts, then who is where
    before = metrics(page)
    assert int(before["on duty"].replace(",", "")) > 0
    panel.screenshot(path=str(SCREENSHOTS / "14-plan-timeline-monday.png"))

    # Saturday: only the emergency line is open, so nobody is on the consulting line.
    days = panel.get_by_test_id("stSelectbox").filter(has_text="Day")
    days.scroll_into_view_if_needed()
    days.click()
    page.get_by_role("option", name="Sat 15 Jan", exact=True).click()
    wait_idle(page)
    expect(panel.get_by_text(re.compile(r"The floor at \d\d:\d\d \(Sat 15 Jan\)"))).to_be_visible()
    saturday = metrics(page)
    assert saturday["on consulting"] == "0"
    assert int(saturday["on emergency"].replace(",", "")) > 0
    assert saturday["on duty"] != before["on duty"]

    # A moment later in the evening: the floor's time follows the slider.
    thumb = panel.get_by_role("slider")
    thumb.focus()
    for _ in range(8):
        thumb.press("ArrowRight")
    wait_idle(page)
    expect(panel.get_by_text("The floor at 14:00 (Sat 15 Jan)")).to_be_visible()
    expect(chart.locator("canvas, svg").first).to_be_visible()
    no_traceback(page)
    panel.screenshot(path=str(SCREENSHOTS / "15-plan-timeline-saturday-14h.png"))


def test_the_roster_pages_timeline_has_a_row_per_operator(page: Page, app_url):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    go_to(page, "Roster")
    make_roster(page)

    panel, chart = open_timeline(page)
    box = chart.bounding_box()
    # 71 anonymous operators work on Monday: one row each, so the chart is tall.
    assert box and box["width"] > 300 and box["height"] > 71 * 12
    panel.get_by_test_id("stButtonGroup").get_by_text("pool", exact=True).click()
    wait_idle(page)
    expect(chart.locator("canvas, svg").first).to_be_visible()
    people = panel.get_by_test_id("stDataFrame").last
    expect(people.locator("[role='columnheader']").filter(has_text="operator")).to_have_count(1)
    no_traceback(page)
    panel.screenshot(path=str(SCREENSHOTS / "16-roster-timeline-monday.png"))
    chart.evaluate("e => e.scrollIntoView({block: 'end'})")
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "16b-roster-timeline-bottom.png"))
