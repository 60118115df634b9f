"""Charts read in a real browser (Vega draws SVG with ARIA labels on its axes): the sweep
heatmaps' axes are titled in words with one cell per point (a field path such as
``pools[borrowed].headcount`` once gave 'undefined' axes and one cell), and the shift-start
heatmap labels every day of the week."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import Locator, Page, expect
from test_app_in_browser import SLOW, go_to, no_traceback, set_number, solve, wait_idle

pytestmark = pytest.mark.browser


def axis_labels(chart: Locator, axis: str) -> list[str]:
    """The ARIA label of the chart's ``axis`` ("X" or "Y") and the texts of its tick labels."""
    found = chart.locator(f'[aria-roledescription="axis"][aria-label^="{axis}-axis"]').first
    texts = "els => els.map(e => e.textContent)"
    ticks = found.locator(".role-axis-label text").evaluate_all(texts)
    return [found.get_attribute("aria-label"), *ticks]


def fill(page: Page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(text)
    field.press("Enter")
    wait_idle(page)


def test_sweep_heatmap_axes_are_titled_in_words_with_a_cell_per_point(page: Page, app_url):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    page.get_by_role("tab", name="Horizon and planning").click()
    set_number(page, "Days", 1)  # one day: quick solves
    go_to(page, "Compare scenarios")
    page.get_by_role("tab", name="Sweep and capacity").click()
    fill(page, "Values", "1, 2")
    fill(page, "Headcounts", "0, 21")
    set_number(page, "Time limit per point (s)", 2)
    page.get_by_role("button", name="Run the sweep (4 plans)").click()
    expect(page.get_by_text("Service level of")).to_be_visible(timeout=SLOW)
    wait_idle(page)
    no_traceback(page)
    heatmaps = page.get_by_test_id("stVegaLiteChart")
    expect(heatmaps).to_have_count(2)
    for k in range(2):
        chart = heatmaps.nth(k)
        x, *across = axis_labels(chart, "X")
        y, *up = axis_labels(chart, "Y")
        assert "titled 'borrowed headcount'" in x, x
        assert re.search(r"titled '[a-z_]+: peak multiplier'", y), y
        assert "undefined" not in x + y
        assert sorted(across) == ["0", "21"] and sorted(up) == ["1", "2"]
        cells = chart.locator('[aria-label*="borrowed headcount: "]')
        assert cells.count() >= 4  # a cell (and a tooltip target) per point


def test_the_shift_start_heatmap_labels_every_day_of_the_week(page: Page, app_url, screenshot):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    go_to(page, "Plan")
    set_number(page, "Time limit (s)", 20)
    solve(page)
    page.get_by_role("tab", name="Shifts").click()
    chart = page.get_by_test_id("stVegaLiteChart").filter(visible=True).first
    expect(chart).to_be_visible()
    _, *days = axis_labels(chart, "Y")
    assert [d.split()[0] for d in days] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    # and each label clear of the next (they were squeezed into 220 px, one over another)
    boxes = chart.locator('[aria-label^="Y-axis"] .role-axis-label text').evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; })"
    )
    boxes.sort()
    assert all(low[1] <= high[0] + 0.5 for low, high in itertools.pairwise(boxes)), boxes
    screenshot(page, "appfix-shift-starts")
