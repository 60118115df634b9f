"""A refused roster edit in Kazakh, in a real browser: with the page in Kazakh (``?lang=kk``),
Make roster, then on the Edit tab a move past closing time is refused with the rule's name and
reason in Kazakh (the library's message through ``planner.po``), no English words of it left,
and no exception box."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from test_app_in_browser import SLOW, make_roster, move_refused, no_traceback, wait_idle
from test_i18n_in_browser import SECTIONS, WORK_PAGES, visit

from app_pages import _i18n

pytestmark = pytest.mark.browser


def refused_in(page: Page, panel, language: str, rule: str, name: str):
    """In an Edit tab (``panel``) of a page in ``language``: a move to 20:00 refused, the
    library's refusal naming ``rule`` in the language with its machine ``name``; the refusal's
    box (the only one)."""
    words = _i18n.translation(language).gettext  # the pages' words
    library = _i18n.translation(language, _i18n.PLANNER_DOMAIN).gettext  # the library's
    refused = library("refused: {reason}").split("{reason}")[0]  # "қабылданбады: "
    said = {"refused": refused.strip()}  # the library's word; the buttons' are the page's
    shown = f"{refused}{library(rule)} ({name})"
    refusal = move_refused(page, panel, "20:00", shown, lambda w: said.get(w, words(w)))
    expect(refusal).to_have_count(1)
    assert refused != "refused: " and library(rule) != rule  # really translated
    return refusal


def test_an_edit_the_rules_refuse_is_said_in_kazakh(page: Page, app_url, screenshot):
    kk = _i18n.translation("kk").gettext  # the pages' words
    library = _i18n.translation("kk", _i18n.PLANNER_DOMAIN).gettext  # the library's
    page.goto(f"{app_url}/?lang=kk")
    expect(page.get_by_text(SECTIONS["kk"], exact=True)).to_be_visible(timeout=SLOW)
    wait_idle(page)
    nav_roster, heading = WORK_PAGES["kk"]["roster"][:2]
    visit(page, nav_roster, heading)
    make_roster(page, 5, kk)

    page.get_by_role("tab", name=kk("Edit"), exact=True).click()
    panel = page.get_by_role("tabpanel").filter(visible=True)
    # The operator shown first works on the day shown (Monday); start their shift at 20:00.
    refusal = refused_in(page, panel, "kk", "opening hours", "opening_hours")
    outside = library("{start}-{end} is outside the opening hours {opens}-{closes}")
    words = re.escape(outside.split("{opens}")[0].split("{end}")[-1].strip())  # the words between
    expect(refusal).to_contain_text(re.compile(rf"20:00-\d\d:\d\d {words}\d\d:\d\d-21:00"))
    text = refusal.inner_text()
    assert not re.search(r"\b(refused|outside|opening hours|operator)\b", text), text
    no_traceback(page)
    refusal.scroll_into_view_if_needed()
    screenshot(page, "i18n-kk-roster-edit-refused")
