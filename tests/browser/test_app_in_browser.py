"""The app in a real browser, as a shift manager and a capacity planner use it.

One walk through the pages (pick emergency.yaml, see its demand, solve, read the KPIs and the
coverage chart, download the shifts, change the borrowed headcount and see the KPIs change,
compare two scenarios), a roster of the centre's named operators, and one check that bad input
is an error message, never a traceback. Every page is saved as a screenshot.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from planner.domain.plan import SHIFT_COLUMNS

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]

NEGATIVE_HEADCOUNT = re.compile(r"pool 'borrowed' › headcount = -3: must be (>=|≥) 0")
"""The message next to the headcount input (Streamlit's markdown shows >= as ≥)."""
SLOW = 90_000  # ms: a solve of a week, on a busy 2-core machine, with room to spare


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished running the page: no status widget, and no element
    left over from the previous run (Streamlit marks those ``data-stale="true"``)."""
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=SLOW)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=SLOW)


def go_to(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, exact=True).first).to_be_visible()
    wait_idle(page)


def choose(page: Page, label: str, option: str) -> None:
    """Choose ``option`` in the selectbox labelled ``label``."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def move_refused(page: Page, panel, start: str, rule: str, words=lambda text: text):
    """In an Edit tab (``panel``): pick ``start`` as the new start, press Move, and see the
    edit refused naming ``rule``; the refusal's box. ``words`` gives the page's words
    (``New start (Move)``, ``Move``, ``refused``) in its language (default: English)."""
    box = panel.get_by_test_id("stSelectbox").filter(has_text=words("New start (Move)"))
    box.click()
    page.keyboard.type(start)  # the list is long: filter it, then pick the option
    page.get_by_role("option", name=start, exact=True).click()
    wait_idle(page)
    panel.get_by_role("button", name=words("Move"), exact=True).click()
    wait_idle(page)
    refusal = panel.get_by_test_id("stAlert").filter(has_text=words("refused"))
    expect(refusal.first).to_be_visible()
    expect(refusal.first).to_contain_text(rule)
    no_traceback(page)
    return refusal


def set_number(page: Page, label: str, value: float) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(str(value))
    field.press("Enter")
    wait_idle(page)


def metrics(page: Page) -> dict[str, str]:
    """Every KPI card on the page: label -> value as shown."""
    cards = page.get_by_test_id("stMetric")
    found = {}
    for i in range(cards.count()):
        card = cards.nth(i)
        label = card.get_by_test_id("stMetricLabel").inner_text().strip()
        found[label] = card.get_by_test_id("stMetricValue").inner_text().strip()
    return found


def no_traceback(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def make_roster(page: Page, seconds: float = 5, words=lambda text: text) -> None:
    """On the Roster page: make the roster with a short time limit and wait for it; ``words``
    gives the page's words in its language (default: English)."""
    set_number(page, words("Roster time limit (s)"), seconds)
    page.get_by_role("button", name=words("Make roster")).click()
    finished = re.escape(words("roster finished {seconds} s after Make roster."))
    finished = finished.replace(re.escape("{seconds}"), r"[\d.,]+")
    expect(page.get_by_text(re.compile(finished))).to_be_visible(timeout=SLOW)
    wait_idle(page)
    no_traceback(page)


def solve(page: Page) -> float:
    """Press Solve and wait for the new plan; the seconds from the click to its KPIs shown."""
    summary = page.get_by_text(re.compile(r"plan ready [\d.]+ s after Solve|from the cache"))
    old = summary.inner_text() if summary.count() else None
    started = time.perf_counter()
    page.get_by_role("button", name="Solve", exact=True).click()
    expect(summary).to_be_visible(timeout=SLOW)
    if old is not None:
        expect(summary).not_to_have_text(old, timeout=SLOW)
    expect(page.get_by_test_id("stMetric").first).to_be_visible()
    seconds = time.perf_counter() - started
    wait_idle(page)
    return seconds


def test_plan_emergency_change_staff_compare_and_download(page: Page, app_url, screenshot, timing):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)

    # Pick emergency.yaml (the app opens on it; open another file first to see it change).
    choose(page, "Open a scenario file", "baseline.yaml")
    expect(page.get_by_text("Editing Baseline week")).to_be_visible()
    choose(page, "Open a scenario file", "emergency.yaml")
    expect(page.get_by_text("Editing State of emergency")).to_be_visible()
    expect(page.get_by_text("The scenario is valid.")).to_be_visible()
    screenshot(page, "1-scenario")
    page.get_by_role("tab", name="Staff and shifts").click()
    screenshot(page, "1b-scenario-staff")

    go_to(page, "Demand and requirement")
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("25,380")
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    screenshot(page, "2-demand")

    # Solve the week and read the KPIs and the coverage chart.
    go_to(page, "Plan")
    set_number(page, "Time limit (s)", 20)
    first_seconds = solve(page)
    no_traceback(page)
    before = metrics(page)
    assert before["Borrowed hours"] not in ("", "0.0")
    assert before["emergency: service level"].endswith("%")
    assert int(before["Understaffed intervals"].replace(",", "")) > 0
    chart = page.get_by_test_id("stVegaLiteChart").first
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150
    screenshot(page, "3-plan")
    page.get_by_test_id("stButtonGroup").get_by_text("Mon 10 Jan", exact=True).click()
    wait_idle(page)
    page.get_by_role("tab", name="Shifts").click()
    expect(page.get_by_test_id("stVegaLiteChart").filter(visible=True).first).to_be_visible()
    screenshot(page, "3b-plan-shifts-monday")

    # Download the shifts and check their rows against the KPIs.
    with page.expect_download() as download:
        page.get_by_role("button", name="Shifts (CSV)").click()
    shifts = pd.read_csv(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    assert tuple(shifts.columns) == SHIFT_COLUMNS
    assert len(shifts) > 10 and (shifts["agents"] > 0).all()
    assert shifts["day"].nunique() == 7
    assert set(shifts["pool"]) <= {"consulting_team", "emergency_team", "borrowed"}
    paid = float(before["Paid hours"].replace(",", ""))
    assert shifts["paid_hours"].sum() == pytest.approx(paid, abs=0.05)
    borrowed = shifts.loc[shifts["pool"] == "borrowed", "paid_hours"].sum()
    assert borrowed == pytest.approx(float(before["Borrowed hours"].replace(",", "")), abs=0.05)

    # No borrowed staff: the plan must be solved again, and the KPIs change.
    go_to(page, "Scenario")
    page.get_by_role("tab", name="Staff and shifts").click()
    set_number(page, "Headcount: borrowed", 0)
    expect(page.get_by_text("1 change(s) not saved")).to_be_visible()
    go_to(page, "Plan")
    expect(page.get_by_text("changed since this plan was made")).to_be_visible()
    second_seconds = solve(page)
    after = metrics(page)
    assert after["Borrowed hours"] == "0.0"
    assert after["Cost (KZT)"] != before["Cost (KZT)"]
    assert after["emergency: service level"] != before["emergency: service level"]
    expect(page.get_by_text("vs previous plan").first).to_be_visible()
    screenshot(page, "4-plan-without-borrowed")
    timing("Solve clicked to the week's plan shown (first solve)", first_seconds)
    timing("Solve clicked to the re-planned week shown (no borrowed staff)", second_seconds)
    # The target is under 10 s on an idle 2-core machine (the figures are printed at the end);
    # this bound only catches a re-plan gone badly wrong, not a machine busy with other work.
    assert second_seconds < 30

    # One day of the same scenario: what a shift manager re-plans for tomorrow.
    choose(page, "Plan", "Mon 10 Jan")
    one_day_seconds = solve(page)
    expect(page.get_by_text(re.compile(r"\(day 2022-01-10,"))).to_be_visible()
    timing("Solve clicked to one re-planned day shown", one_day_seconds)

    # Compare the two shipped variants side by side.
    go_to(page, "Compare scenarios")
    set_number(page, "Time limit per scenario (s)", 20)
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.get_by_text("KPIs side by side")).to_be_visible(timeout=SLOW)
    wait_idle(page)
    headers = page.get_by_test_id("stDataFrame").first.locator("[role='columnheader']")
    for name in ("emergency.yaml", "emergency_no_borrowed.yaml", "Δ emergency_no_borrowed.yaml"):
        expect(headers.filter(has_text=re.compile(f"^{re.escape(name)}$"))).to_have_count(1)
    assert page.get_by_test_id("stVegaLiteChart").count() >= 2
    no_traceback(page)
    screenshot(page, "5-compare")


def test_bad_input_is_an_error_next_to_the_field_never_a_traceback(page: Page, app_url, screenshot):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    page.get_by_role("tab", name="Staff and shifts").click()
    set_number(page, "Headcount: borrowed", -3)
    expect(page.get_by_text(NEGATIVE_HEADCOUNT)).to_be_visible()
    expect(page.get_by_text("This scenario has 1 problem(s)")).to_be_visible()
    no_traceback(page)
    screenshot(page, "6-scenario-error")

    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
        files=[{"name": "broken.yaml", "mimeType": "text/yaml", "buffer": b"horizon: [1, 2"}]
    )
    expect(page.get_by_text("The upload was not opened")).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("not valid YAML")).to_be_visible()
    # The edit made before the broken upload is still there.
    expect(page.get_by_text(NEGATIVE_HEADCOUNT)).to_be_visible()
    no_traceback(page)

    go_to(page, "Plan")
    expect(page.get_by_text("fix them on the Scenario page")).to_be_visible()
    no_traceback(page)
    screenshot(page, "7-plan-waits-for-a-valid-scenario")


def test_a_long_solve_shows_progress_and_stops_with_the_best_plan(page: Page, app_url, screenshot):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    go_to(page, "Plan")
    set_number(page, "Time limit (s)", 120)
    set_number(page, "Stop at gap (%)", 0)  # would search the whole two minutes
    page.get_by_role("button", name="Solve", exact=True).click()
    progress = page.get_by_text(re.compile(r"Solving \(whole horizon.*best plan [\d,]+ · bound"))
    expect(progress).to_be_visible(timeout=SLOW)
    expect(page.get_by_test_id("stProgress")).to_be_visible()
    screenshot(page, "8-plan-solving")
    started = time.perf_counter()
    page.get_by_role("button", name="Stop", exact=True).click()
    stopped = re.compile(
        r"stopped by you; best plan so far, within [\d.]+ % of the best .*; plan ready"
    )
    expect(page.get_by_text(stopped)).to_be_visible(timeout=30_000)
    assert time.perf_counter() - started < 15
    expect(page.get_by_test_id("stMetricLabel").filter(has_text="Paid hours")).to_be_visible()
    wait_idle(page)
    shown = metrics(page)
    assert shown.get("Paid hours") not in (None, "", "0.0"), shown
    screenshot(page, "9-plan-stopped")
    no_traceback(page)


def test_roster_the_emergency_week_with_named_operators(page: Page, app_url, screenshot):
    from planner.domain.roster import ROSTER_COLUMNS

    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    go_to(page, "Roster")
    expect(page.get_by_text("71 anonymous operators")).to_be_visible()

    # The shift manager uploads the centre's operators (CSV), then makes the roster.
    page.get_by_text("Use another operators file").click()
    operators = (REPO / "scenarios" / "data" / "emergency_operators.csv").read_bytes()
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
        files=[{"name": "operators.csv", "mimeType": "text/csv", "buffer": operators}]
    )
    wait_idle(page)
    page.get_by_role("button", name="Use these operators").click()
    expect(page.get_by_text("71 named operators")).to_be_visible(timeout=SLOW)
    wait_idle(page)
    make_roster(page)
    expect(page.get_by_text("Roster check without the solver: valid")).to_be_visible()
    assigned_card = page.get_by_test_id("stMetricLabel").filter(has_text="Shifts assigned")
    expect(assigned_card).to_be_visible(timeout=SLOW)
    wait_idle(page)
    shown = metrics(page)
    assigned, planned = (int(x.replace(",", "")) for x in shown["Shifts assigned"].split(" of "))
    unassigned = int(shown["Unassigned shifts"].replace(",", ""))
    assert assigned + unassigned == planned and assigned > 0
    grid = page.get_by_test_id("stDataFrame").filter(visible=True).first
    expect(grid).to_be_visible()
    screenshot(page, "10-roster")

    # The roster CSV holds one row per shift assigned, by named operators, never two a day.
    with page.expect_download() as download:
        page.get_by_role("button", name="Roster (CSV)").click()
    roster = pd.read_csv(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    assert tuple(roster.columns[: len(ROSTER_COLUMNS)]) == ROSTER_COLUMNS
    assert len(roster) == assigned
    assert not roster.duplicated(["operator", "day"]).any()
    assert "Aigerim Abenova" in set(roster["name"])
    page.get_by_role("tab", name="Fairness").click()
    expect(page.get_by_test_id("stVegaLiteChart").filter(visible=True).first).to_be_visible()
    screenshot(page, "11-roster-fairness")
