"""The interface's language in a real browser: switched to Russian, then Kazakh, in the sidebar,
the navigation and the headings of the Scenario, Demand, Forecast, History and My schedule
pages are translated, with no exception box, and a reload keeps the choice; a browser whose
language is Russian opens in Russian, and another session open at the same time keeps its own
language."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect
from test_app_in_browser import SLOW, choose, no_traceback, wait_idle

from app_pages import _i18n
from planner.present.formats import SOURCE_WORDS, STATUS_WORDS

pytestmark = pytest.mark.browser

LANGUAGE = "Language · Тіл · Язык"
PAGES = {  # navigation title -> heading, per language (the page's title is its heading)
    "ru": {
        "Сценарий": "Сценарий",
        "Нагрузка и потребность": "Нагрузка и потребность",
        "Прогноз": "Прогноз",
        "История": "История",
        "Моё расписание": "Моё расписание",
    },
    "kk": {
        "Сценарий": "Сценарий",
        "Сұраныс және қажеттілік": "Сұраныс және қажеттілік",
        "Болжам": "Болжам",
        "Тарих": "Тарих",
        "Менің кестем": "Менің кестем",
    },
}
SECTIONS = {"ru": "Планирование недели", "kk": "Аптаны жоспарлау"}


def visit(page: Page, link: str, heading: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible(timeout=SLOW)
    wait_idle(page)
    no_traceback(page)


def test_switching_to_russian_and_kazakh_translates_the_pages(page: Page, app_url, screenshot):
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Scenario", exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link", name="Forecast", exact=True)).to_be_visible()

    for language, option in (("ru", "Русский"), ("kk", "Қазақша")):
        choose(page, LANGUAGE, option)
        no_traceback(page)
        expect(page.get_by_text(SECTIONS[language], exact=True)).to_be_visible(timeout=SLOW)
        expect(nav.get_by_role("link", name="Forecast", exact=True)).to_have_count(0)
        for link, heading in PAGES[language].items():
            visit(page, link, heading)
            screenshot(page, f"i18n-{language}-{link}")
        expect(page.get_by_role("heading", name="My schedule", exact=True)).to_have_count(0)
        page.reload()  # a new session at the same address (?lang=...): the choice is kept
        expect(page.get_by_text(SECTIONS[language], exact=True)).to_be_visible(timeout=SLOW)
        wait_idle(page)
        no_traceback(page)

    choose(page, LANGUAGE, "English")
    visit(page, "Scenario", "Scenario")
    expect(page.get_by_text("The scenario is valid.")).to_be_visible()


def test_a_russian_browser_opens_in_russian_and_sessions_keep_their_language(
    browser: Browser, app_url
):
    russian = browser.new_context(locale="ru-RU", viewport={"width": 1400, "height": 1600})
    english = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1600})
    try:
        ru, en = russian.new_page(), english.new_page()
        ru.goto(app_url)
        en.goto(app_url)
        expect(ru.get_by_text("Сценарий корректен.")).to_be_visible(timeout=SLOW)
        expect(en.get_by_text("The scenario is valid.")).to_be_visible(timeout=SLOW)
        wait_idle(ru)
        wait_idle(en)
        choose(en, LANGUAGE, "Қазақша")  # one session's choice ...
        expect(en.get_by_text("Сценарий дұрыс.")).to_be_visible(timeout=SLOW)
        visit(ru, "Прогноз", "Прогноз")  # ... leaves the other session in its language
        visit(ru, "Сценарий", "Сценарий")
        expect(ru.get_by_text("Сценарий корректен.")).to_be_visible(timeout=SLOW)
        no_traceback(en)
    finally:
        russian.close()
        english.close()


def test_a_language_given_in_the_address_survives_page_changes_and_choices(page: Page, app_url):
    """Kazakh from the address, then back and forth between pages with a choice made on each:
    every page stays in Kazakh and the address keeps ``lang=kk`` (a browser re-creating the
    selector after a page change once sent back English, its first option)."""
    page.goto(f"{app_url}/?lang=kk")
    expect(page.get_by_text(SECTIONS["kk"], exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    nav_plan, heading = WORK_PAGES["kk"]["plan"][:2]
    days = [_i18n.short_day(date(2022, 1, d), lang="kk") for d in (10, 11, 12, 13, 14, 15)]
    for day in days:
        visit(page, nav_plan, heading)
        choose(page, heading, day)
        expect(page.get_by_text(SECTIONS["kk"], exact=True)).to_be_visible()
        assert "lang=kk" in page.url, page.url
        visit(page, "Болжам", "Болжам")
        assert "lang=kk" in page.url, page.url
    expect(page.get_by_role("heading", name="Forecast", exact=True)).to_have_count(0)


WORK_PAGES = {  # Plan, Roster and Compare: navigation title, heading, and words on the page
    "ru": {
        "plan": ("План", "План", "Лимит времени (с)", "Решить", "Оплачиваемые часы"),
        "roster": ("График смен", "График смен", "Составить график"),
        "compare": ("Сравнение сценариев", "Сравнение сценариев", "Бок о бок", "Перебор и ёмкость"),
    },
    "kk": {
        "plan": ("Жоспар", "Жоспар", "Уақыт шегі (с)", "Шешу", "Ақылы сағаттар"),
        "roster": ("Ауысым кестесі", "Ауысым кестесі", "Кесте құру"),
        "compare": (
            "Сценарийлерді салыстыру",
            "Сценарийлерді салыстыру",
            "Қатар",
            "Іріктеу және сыйымдылық",
        ),
    },
}


STATUS_SAID = {
    language: [re.escape(_i18n.translation(language).gettext(w)) for w in STATUS_WORDS.values()]
    for language in ("ru", "kk")
}
"""The solver's statuses in words, per language (what "Solver figures" may say)."""


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_plan_roster_and_compare_in_russian_and_kazakh(page: Page, app_url, screenshot, language):
    """A day planned in the language (translated heading, settings, a KPI card's label, the
    solver's status in words under "Solver figures"), then the Roster and Compare pages'
    headings, buttons and tabs, and a comparison whose table says in the language where each
    plan comes from; never an exception box."""
    page.goto(f"{app_url}/?lang={language}")
    words = _i18n.translation(language).gettext
    nav_plan, heading, limit, solve, paid = WORK_PAGES[language]["plan"]
    expect(page.get_by_text(SECTIONS[language], exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    visit(page, nav_plan, heading)
    wednesday = _i18n.short_day(date(2022, 1, 12), lang=language)  # one day: a quick plan
    choose(page, heading, wednesday)  # the day selector is labelled as the page is ("Plan")
    screenshot(page, f"i18n-{language}-plan-day")
    field = page.get_by_label(limit, exact=True)
    field.fill("5")
    field.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name=solve, exact=True).click()
    card = page.get_by_test_id("stMetricLabel").filter(has_text=paid)
    expect(card.first).to_be_visible(timeout=SLOW)
    wait_idle(page)
    no_traceback(page)
    expect(page.get_by_role("tab").first).not_to_have_text("Coverage")
    screenshot(page, f"i18n-{language}-plan")
    page.get_by_text(words("Solver figures"), exact=True).click()  # the solver's status in words
    figures = page.get_by_test_id("stExpander").filter(has_text=words("Solver figures"))
    expect(figures.get_by_text(re.compile("|".join(STATUS_SAID[language])))).to_be_visible()
    expect(figures).not_to_contain_text(re.compile(r"\b(OPTIMAL|FEASIBLE|UNKNOWN)\b"))

    nav_roster, heading, make = WORK_PAGES[language]["roster"]
    visit(page, nav_roster, heading)
    expect(page.get_by_role("button", name=make, exact=True)).to_be_visible()
    screenshot(page, f"i18n-{language}-roster")

    nav_compare, heading, side, sweep = WORK_PAGES[language]["compare"]
    visit(page, nav_compare, heading)
    expect(page.get_by_role("tab", name=side, exact=True)).to_be_visible()
    expect(page.get_by_role("tab", name=sweep, exact=True)).to_be_visible()
    no_traceback(page)
    screenshot(page, f"i18n-{language}-compare")

    # The two shipped variants compared (2 s each): the table's rows in the language, with
    # where each plan comes from; the status in words; no English left in those rows.
    field = page.get_by_label(words("Time limit per scenario (s)"), exact=True)
    field.fill("2")
    field.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name=words("Compare"), exact=True).click()
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible(timeout=SLOW)
    wait_idle(page)
    no_traceback(page)
    made_by = words("plan made by")
    cells = grid.locator("[role='gridcell']")  # the grid's accessible table (drawn on a canvas)
    expect(cells.filter(has_text=made_by[:1].upper() + made_by[1:]).first).to_be_attached()
    sources = "|".join(re.escape(words(w)) for w in SOURCE_WORDS.values())  # 2 s: maybe greedy
    expect(cells.filter(has_text=re.compile(sources)).first).to_be_attached()
    english = r"solver's search|greedy\) plan|Plan made by|OPTIMAL|FEASIBLE|UNKNOWN"
    expect(grid).not_to_contain_text(re.compile(english))
    screenshot(page, f"i18n-{language}-compare-table")


def forecast_axis_labels(page: Page) -> list[str]:
    """The tick labels of the Forecast page's forecast chart (days on a time axis, calls a day):
    Vega's own date and number formats."""
    charts = page.get_by_test_id("stVegaLiteChart").filter(visible=True)
    expect(charts).to_have_count(2, timeout=SLOW)
    chart = charts.nth(1)
    expect(chart.locator('[aria-roledescription="axis"]').first).to_be_attached(timeout=SLOW)
    return chart.locator(".role-axis-label text").evaluate_all("els => els.map(e => e.textContent)")


@pytest.mark.parametrize(("language", "link"), [("en", "Forecast"), ("ru", "Прогноз")])
def test_the_charts_own_dates_and_numbers_are_in_the_page_language(
    page: Page, app_url, language, link
):
    """Vega names the days of a time axis and groups an axis's thousands itself: in Russian,
    "пн 10" and "1 000", not "Mon 10" and "1,000" (its locale is the session's,
    :func:`app_pages._i18n.chart_locale`)."""
    page.goto(f"{app_url}/?lang={language}")
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=SLOW)
    wait_idle(page)
    visit(page, link, link)
    labels = forecast_axis_labels(page)
    words = [w for label in labels for w in re.findall(r"[^\W\d_]+", label)]
    assert words, labels  # the axis names the days
    thousands = [x for x in labels if re.fullmatch(r"\d{1,3}(\D\d{3})+", x)]
    assert thousands, labels  # calls a day reach 1,000
    if language == "en":
        assert all(re.fullmatch(r"[A-Za-z]+", w) for w in words), labels
        assert all("," in x for x in thousands), labels
    else:
        assert all(re.fullmatch(r"[а-яё]+", w, re.I) for w in words), labels
        assert not any("," in x for x in thousands), labels
        russian = [_i18n.short_day(date(2022, 1, d), lang="ru").split()[0] for d in (10, 11)]
        assert any(label.startswith(russian[0]) for label in labels), (russian, labels)
