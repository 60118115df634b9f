"""The Plan page's library words in Russian, in a real browser: with the page in Russian
(``?lang=ru``), Monday of the emergency week solved, the plan check's summary on the "Objective
and checks" tab and, on the Edit tab, a move past the start window refused with the rule's name
and reason in Russian (the library's messages through ``planner.po``), then a lock kept by a
re-optimisation whose message and solver verdict are in Russian; no English words of them left,
no exception box."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from test_app_in_browser import SLOW, choose, no_traceback, wait_idle
from test_i18n_edits_in_browser import refused_in
from test_i18n_in_browser import SECTIONS, WORK_PAGES, visit

from app_pages import _i18n

pytestmark = pytest.mark.browser


def test_the_plan_check_and_a_refused_plan_edit_are_said_in_russian(
    page: Page, app_url, screenshot
):
    ru = _i18n.translation("ru").gettext  # the pages' words
    page.goto(f"{app_url}/?lang=ru")
    expect(page.get_by_text(SECTIONS["ru"], exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    nav_plan, heading, limit, solve, paid = WORK_PAGES["ru"]["plan"]
    visit(page, nav_plan, heading)
    choose(page, heading, _i18n.short_day(date(2022, 1, 10), lang="ru"))  # Monday
    field = page.get_by_label(limit, exact=True)
    field.fill("10")
    field.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name=solve, exact=True).click()
    expect(page.get_by_test_id("stMetricLabel").filter(has_text=paid).first).to_be_visible(
        timeout=SLOW
    )
    wait_idle(page)
    no_traceback(page)

    page.get_by_role("tab", name=ru("Objective and checks"), exact=True).click()
    checks = page.get_by_role("tabpanel").filter(visible=True)
    checked = checks.get_by_test_id("stAlert").filter(
        has_text=ru("Plan check without the solver: {summary}").split("{summary}")[0]
    )
    expect(checked).to_have_count(1)
    expect(checked).to_contain_text(
        re.compile(r"корректно: проверено \d+ жёстк[а-я]+ правил[а-я]*, нарушений нет")
    )
    assert not re.search(r"\b(valid|hard rules?|checked|none broken)\b", checked.inner_text())

    page.get_by_role("tab", name=ru("Edit"), exact=True).click()
    panel = page.get_by_role("tabpanel").filter(visible=True)
    expect(panel.get_by_text(ru("Shift group"), exact=True)).to_be_visible()
    # The first group of the day starts in the morning: a start at 20:00 is past the window.
    refusal = refused_in(page, panel, "ru", "shift start window", "shift_start_allowed")
    expect(refusal).to_contain_text("не начинается на интервале внутри рабочего окна")
    text = refusal.inner_text()
    assert not re.search(r"\b(refused|start window|does not start|breaks)\b", text), text
    no_traceback(page)
    refusal.scroll_into_view_if_needed()
    screenshot(page, "i18n-ru-plan-edit-refused")

    # A lock, then a re-optimisation around it: its message and solver verdict in Russian.
    panel.get_by_role("button", name=ru("Lock / unlock"), exact=True).click()
    wait_idle(page)
    expect(panel.get_by_test_id("stAlert").filter(has_text="принято: ")).to_have_count(1)
    panel.get_by_role("button", name=ru("Re-optimise around my locks"), exact=True).click()
    kept = panel.get_by_test_id("stAlert").filter(
        has_text="переоптимизировано вокруг закреплённых смен: сохранено 1 из 1; "
    )
    expect(kept).to_have_count(1, timeout=SLOW)
    verdict = kept.inner_text().split("; ", 1)[1]
    assert re.search("[а-я]{4}", verdict), verdict  # the solver's verdict worded in Russian
    assert not re.search(r"\b(optimal|best plan|within|proved|time limit)\b", verdict), verdict
    wait_idle(page)
    no_traceback(page)
    screenshot(page, "i18n-ru-plan-re-optimised")
