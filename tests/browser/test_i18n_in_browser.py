"""The interface's language in a real browser: switched to Russian, then Kazakh, in the sidebar,
the navigation and the headings of the Scenario, Demand, Forecast and History pages are
translated, with no exception box, and a reload keeps the choice; a browser whose language is
Russian opens in Russian, and another session open at the same time keeps its own language."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from test_app_in_browser import SLOW, choose, no_traceback, wait_idle

pytestmark = pytest.mark.browser

LANGUAGE = "Language · Тіл · Язык"
PAGES = {  # navigation title -> heading, per language (the page's title is its heading)
    "ru": {
        "Сценарий": "Сценарий",
        "Нагрузка и потребность": "Нагрузка и потребность",
        "Прогноз": "Прогноз",
        "История": "История",
    },
    "kk": {
        "Сценарий": "Сценарий",
        "Сұраныс және қажеттілік": "Сұраныс және қажеттілік",
        "Болжам": "Болжам",
        "Тарих": "Тарих",
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
        expect(page.get_by_role("heading", name="History", exact=True)).to_have_count(0)
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
