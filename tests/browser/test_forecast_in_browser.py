"""The Forecast page in a real browser: the sample history's backtest and forecast charts are
drawn, the accuracy table lists each method, and "use this forecast" moves the scenario being
edited to the forecast's days, which the Plan page then plans; no exception box."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from test_app_in_browser import SLOW, go_to, no_traceback, wait_idle

pytestmark = pytest.mark.browser


def test_the_forecast_page_draws_its_charts_and_feeds_the_scenario(page: Page, app_url, screenshot):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    go_to(page, "Forecast")
    expect(page.get_by_text(re.compile("No history uploaded: showing the sample"))).to_be_visible(
        timeout=SLOW
    )
    wait_idle(page)
    no_traceback(page)
    charts = page.get_by_test_id("stVegaLiteChart").filter(visible=True)
    expect(charts).to_have_count(2, timeout=SLOW)  # the backtest week and the forecast
    for k in range(2):
        box = charts.nth(k).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 150
    screenshot(page, "14-forecast-page")

    page.get_by_role("button", name="Use this forecast for the scenario being edited").click()
    wait_idle(page)
    no_traceback(page)
    expect(
        page.get_by_text(re.compile(r"The scenario now plans .* from this forecast"))
    ).to_be_visible(timeout=SLOW)
    go_to(page, "Scenario")
    no_traceback(page)
    go_to(page, "Demand and requirement")
    no_traceback(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
