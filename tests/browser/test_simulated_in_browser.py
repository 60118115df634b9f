"""The promise and the simulation in a real browser: after a solve of the emergency week, the
Plan page shows for each line the formula's promise and the simulated service level with its
95 % interval, and the service-level charts with the simulated band; no exception box."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_app_in_browser import SLOW, go_to, metrics, no_traceback, set_number, solve, wait_idle

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WITH_INTERVAL = re.compile(r"^± \d+\.\d pp \(95 %\) · [+-]\d+\.\d pp vs promise$")
"""The simulated service level card's second line: its 95 % half-width, and its difference
from the promise."""
LINES = ("consulting", "emergency")


def below(page: Page) -> dict[str, str]:
    """Every KPI card's second line (its delta): label -> text as shown."""
    cards = page.get_by_test_id("stMetric")
    found = {}
    for i in range(cards.count()):
        card = cards.nth(i)
        delta = card.get_by_test_id("stMetricDelta")
        if delta.count():
            label = card.get_by_test_id("stMetricLabel").inner_text().strip()
            found[label] = delta.inner_text().strip()
    return found


def fits(page: Page, label: str) -> None:
    """The card's value is shown whole, not cut with an ellipsis."""
    card = page.get_by_test_id("stMetric").filter(has_text=label).first
    value = card.get_by_test_id("stMetricValue")
    width = value.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width[0] <= width[1] + 1, (label, width)


def test_the_plan_page_shows_each_lines_simulated_figure_with_its_interval(
    page: Page, app_url, screenshot, timing
):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    go_to(page, "Plan")
    set_number(page, "Time limit (s)", 15)
    seconds = solve(page)
    timing("Solve clicked to the week's plan and its simulation shown", seconds)
    heading = page.get_by_text(re.compile(r"Simulated call by call \(30 replications, 95 % inter"))
    expect(heading).to_be_visible(timeout=SLOW)
    wait_idle(page)
    no_traceback(page)

    shown, second = metrics(page), below(page)
    for line in LINES:
        assert shown[f"{line}: promise (formula)"].endswith("%"), shown
        label = f"{line}: simulated service level"
        assert re.fullmatch(r"\d+\.\d%", shown[label]), shown[label]
        assert WITH_INTERVAL.match(second[label]), second[label]
        assert second[f"{line}: simulated abandoned"].startswith("± ")
        assert second[f"{line}: simulated ASA (s)"].startswith("± ")
        fits(page, label)
    expect(page.get_by_text("The promise is the formulas' figure for the plan")).to_be_visible()
    # Each line's promise was checked by a simulation under the priority routing: the page says
    # so, and the emergency line (answered first) gets at least its promise in the page's own
    # simulation (another seed than the check's).
    expect(
        page.get_by_text(re.compile(r"^Promise per line checked by a simulation"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"every line's promise is at most"))).to_be_visible()
    difference = re.search(
        r"([+-]\d+\.\d) pp vs promise", second["emergency: simulated service level"]
    )
    assert difference and float(difference.group(1)) >= 0, second
    screenshot(page, "12-plan-promise-and-simulation")

    page.get_by_role("tab", name="Service level").click()
    charts = page.get_by_test_id("stVegaLiteChart").filter(visible=True)
    expect(charts).to_have_count(len(LINES))
    expect(page.get_by_text(re.compile(r"simulated P10-P90 \(shaded\)")).first).to_be_visible()
    box = charts.first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150
    no_traceback(page)
    screenshot(page, "13-plan-simulated-band")
    charts.last.scroll_into_view_if_needed()
    charts.last.screenshot(path=str(SCREENSHOTS / "13b-plan-simulated-band-chart.png"))

    # Another routing: the figures are simulated again, still with their intervals.
    page.get_by_text("Simulation settings").click()
    wait_idle(page)  # opening the expander may rerun the page, which closes a list just opened
    routing = page.get_by_test_id("stSelectbox").filter(has_text="Routing of shared agents")
    routing.get_by_role("combobox").click()
    page.get_by_role("option", name="longest waiting", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"routing longest waiting"))).to_be_visible(timeout=SLOW)
    again = below(page)
    for line in LINES:
        assert WITH_INTERVAL.match(again[f"{line}: simulated service level"])
    no_traceback(page)
