"""The interface in Kazakh, Russian and English (``app_pages/_i18n.py``, ``locales/``).

Every string marked for translation in the wrapped files has a Kazakh and a Russian translation
with the same ``{placeholders}``, and no UI call in those files shows a literal left unmarked;
each AppTest session keeps its own language; numbers and dates follow the session's language.
Extending the translation to another page is one line in :data:`WRAPPED`.
"""

from __future__ import annotations

import ast
import builtins
import json
import os
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from app_pages import _i18n
from tests.test_app_saved import _published_store, as_author

REPO = Path(__file__).resolve().parents[1]


def language_box(at: AppTest):
    """The sidebar's language selector of an app under test (a new widget per language)."""
    (box,) = [s for s in at.sidebar.selectbox if s.label == _i18n.SELECTOR_LABEL]
    return box


WRAPPED = [
    "app.py",
    "app_pages/scenario.py",
    "app_pages/demand.py",
    "app_pages/forecast.py",
    "app_pages/history.py",
    "app_pages/my_schedule.py",
    "app_pages/_saved.py",
    "app_pages/_state.py",
    "app_pages/plan.py",
    "app_pages/roster.py",
    "app_pages/compare.py",
    "app_pages/_timeline.py",
    "app_pages/_advice.py",
    "app_pages/_simulation.py",
    "app_pages/_jobs.py",
    "app_pages/tables.py",
    "app_pages/charts.py",
    "app_pages/_edits.py",
    "app_pages/_plan_edits.py",
    "planner/present/catalogue.py",  # the KPIs' labels and definitions, marked with a no-op N_
    "planner/present/columns.py",  # the tables' headers, likewise
]
"""The files whose every UI string is translated: add a page here once it is wrapped."""
TRANSLATED = ("kk", "ru")
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2)}  # as babel.cfg / the README's pybabel command


@pytest.fixture(autouse=True)
def saved_dir(tmp_path, monkeypatch) -> Path:
    """Scenarios and saved work go to a temporary folder, never into the repository."""
    monkeypatch.setenv("PLANNER_SAVED_DIR", str(tmp_path / "saved"))
    monkeypatch.setenv("PLANNER_DB_URL", f"sqlite:///{tmp_path / 'store.db'}")
    return tmp_path


# ----- catalogues ---------------------------------------------------------------------------------


def extracted() -> dict[str | tuple[str, str], list[str]]:
    """Every marked string of the wrapped files (a (singular, plural) pair for ``n_``), with
    where it is."""
    found: dict = {}
    for name in WRAPPED:
        for line, message, _comments, _context in extract_from_file(
            "python", REPO / name, keywords=KEYWORDS
        ):
            found.setdefault(message, []).append(f"{name}:{line}")
    return found


def catalogue(language: str):
    with _i18n.catalogue_path(language).open("rb") as po:
        return read_po(po, locale=language)


def placeholders(text: str) -> list[str]:
    """A template's placeholders with their format specs (``{hours:g}``), sorted."""
    return sorted(re.findall(r"\{\w*(?:[:!][^{}]*)?\}", text))


def untranslated(cat, messages: dict) -> tuple[list[str], list[str]]:
    """The marked ``messages`` (id -> where) that ``cat`` lacks a translation of (or has a fuzzy
    or empty one), and the translations whose placeholders differ from the English."""
    missing, broken = [], []
    for message, where in messages.items():
        entry = cat.get(message)
        strings = entry.string if entry is not None else None
        forms = strings if isinstance(strings, tuple | list) else (strings,)
        if entry is None or entry.fuzzy or not all(forms):
            missing.append(f"{where[0]}: {message!r}")
            continue
        source = message[-1] if isinstance(message, tuple) else message
        broken += [
            f"{where[0]}: {form!r}" for form in forms if placeholders(form) != placeholders(source)
        ]
    return missing, broken


def test_the_wrapped_files_mark_their_strings():
    messages = extracted()
    assert len(messages) > 200  # the pages' headings, labels, help and messages
    assert "Demand and requirement" in messages and "Service level (%)" in messages


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_marked_string_has_a_translation(language):
    missing, broken = untranslated(catalogue(language), extracted())
    assert not missing, (
        f"no {language} translation in {_i18n.catalogue_path(language)}:\n" + "\n".join(missing)
    )
    assert not broken, "placeholders differ from the English:\n" + "\n".join(broken)


def test_russian_plurals_have_three_forms_and_kazakh_two():
    for language, count in (("ru", 3), ("kk", 2)):
        cat = catalogue(language)
        assert cat.num_plurals == count
        plural = [m for m in cat if isinstance(m.id, tuple | list)]
        assert plural and all(len(m.string) == count and all(m.string) for m in plural)
    translation = _i18n.translation("ru")
    forms = [translation.ngettext("{calls} call", "{calls} calls", n) for n in (1, 3, 5, 21, 11)]
    assert forms == [
        "{calls} вызов",
        "{calls} вызова",
        "{calls} вызовов",
        "{calls} вызов",
        "{calls} вызовов",
    ]


UI_CALLS = {
    "title", "header", "subheader", "caption", "info", "success", "warning", "error",
    "button", "download_button", "checkbox", "radio", "selectbox", "multiselect",
    "text_input", "text_area", "number_input", "date_input", "file_uploader", "metric",
    "expander", "spinner", "page_link", "segmented_control", "tabs", "set_page_config",
    "Page", "TextColumn", "NumberColumn", "DateColumn", "CheckboxColumn",
    "SelectboxColumn", "MultiselectColumn", "Text", "Number", "Share", "Pick", "Many",
}  # fmt: skip
UI_KEYWORDS = {"label", "help", "placeholder", "title", "page_title"}


def _is_words(node: ast.expr) -> bool:
    """A literal a user reads: a string, or the fixed parts of an f-string, with a lower-case
    word (``MASE``, file paths and ``f"{what}: {exc}"`` have none to translate)."""
    if isinstance(node, ast.JoinedStr):
        return any(_is_words(part) for part in node.values)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = re.sub(r"[\w./-]*\.(py|csv|yaml|ics)\b", "", node.value)
        return bool(re.search(r"[a-z]{2,}", text))
    if isinstance(node, ast.List | ast.Tuple):
        return any(_is_words(element) for element in node.elts)
    return False


@pytest.mark.parametrize("name", WRAPPED)
def test_no_ui_call_shows_an_unmarked_literal(name):
    """A heading, label, message or help text written as a bare literal is shown in English to
    every user: it must go through ``_()``."""
    tree = ast.parse((REPO / name).read_text(encoding="utf-8"))
    bare = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
        if called not in UI_CALLS or ast.unparse(node.func).startswith(("log.", "logging.")):
            continue
        shown = node.args[:1] + [k.value for k in node.keywords if k.arg in UI_KEYWORDS]
        bare += [f"{name}:{value.lineno}" for value in shown if _is_words(value)]
    assert not bare, "shown without _(): " + ", ".join(bare)


def rebinds_translator(tree: ast.AST) -> list[int]:
    """Lines where ``_`` is assigned outside a comprehension (``x, _ = ...``, ``for _ in``):
    after that, ``_("...")`` calls whatever was assigned instead of translating."""
    found = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            continue  # its variables are its own
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
            found.append(node.lineno)
        found += rebinds_translator(node)
    return found


@pytest.mark.parametrize("name", WRAPPED)
def test_no_wrapped_file_rebinds_the_translator(name):
    lines = rebinds_translator(ast.parse((REPO / name).read_text(encoding="utf-8")))
    assert not lines, f"{name} assigns to _ on line(s) {lines}: name the unused value instead"


def test_the_rebinding_check_finds_one():
    code = "scenario, _ = validated(draft)\nfor _ in x: pass"
    assert rebinds_translator(ast.parse(code)) == [1, 2]
    assert rebinds_translator(ast.parse("names = [n for n, _ in pairs]")) == []


def test_the_unmarked_literal_check_finds_one():
    """The check above is not vacuous: it flags a bare label and passes a marked one."""
    bad = ast.parse('st.button("Save it", help=f"Saved in {where}")').body[0].value
    good = ast.parse('st.button(_("Save"), help=_("In {where}").format(where=w))').body[0].value
    assert _is_words(bad.args[0]) and _is_words(bad.keywords[0].value)
    assert not _is_words(good.args[0]) and not _is_words(good.keywords[0].value)
    assert not _is_words(ast.parse('f"{what}: {exc}"').body[0].value)  # nothing to translate


def test_a_catalogue_without_a_compiled_file_is_compiled_in_memory(tmp_path, monkeypatch):
    """A fresh checkout has only the .po files: they load without a build step."""
    assert not _i18n.catalogue_path("ru").with_suffix(".mo").exists()
    assert _i18n.translation("ru").gettext("Service level (%)") == "Уровень обслуживания (%)"
    assert _i18n.translation("kk").gettext("Service level (%)") == "Қызмет көрсету деңгейі (%)"
    assert _i18n.translation("en").gettext("Service level (%)") == "Service level (%)"


# ----- the browser's language ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"),
        ("kk-KZ,kk;q=0.9,ru;q=0.8", "kk"),
        ("de-DE,de;q=0.9,ru;q=0.5,kk;q=0.7", "kk"),  # by q-value, not by position
        ("fr-FR,fr;q=0.9", None),
        ("", None),
    ],
)
def test_the_browser_language_comes_from_accept_language(header, expected):
    assert _i18n.from_accept_language(header) == expected


def test_locale_tags_map_to_the_interface_languages():
    assert [_i18n.supported(t) for t in ("ru-RU", "kk_KZ", "en-GB", "de-DE", None)] == [
        "ru", "kk", "en", None, None,
    ]  # fmt: skip


# ----- per-session language -----------------------------------------------------------------------


def session() -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    return at


def test_each_session_keeps_its_own_language():
    russian, english = session(), session()
    language_box(russian).set_value("ru").run()
    english.run()  # after the other session's switch, in the same process
    assert [t.value for t in russian.title] == ["Сценарий"]
    assert [t.value for t in english.title] == ["Scenario"]
    kazakh = session()
    language_box(kazakh).set_value("kk").run()
    russian.run()
    english.run()
    assert [t.value for t in kazakh.title] == ["Сценарий"]  # the same word in both languages
    assert "Сценарий дұрыс." in [s.value for s in kazakh.success]
    assert "Сценарий корректен." in [s.value for s in russian.success]
    assert "The scenario is valid." in [s.value for s in english.success]
    assert russian.tabs[0].label == "Нагрузка"
    assert kazakh.tabs[0].label == "Сұраныс"
    assert english.tabs[0].label == "Demand"
    assert "_" not in vars(builtins)  # no gettext.install: nothing process-wide


def test_a_chosen_language_is_kept_in_the_address_for_a_reload():
    at = session()
    assert "lang" not in at.query_params  # the browser's language: nothing to keep
    language_box(at).set_value("kk").run()
    assert at.query_params["lang"] == "kk"
    reloaded = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    reloaded.query_params["lang"] = "kk"  # a reload is a new session at the same address
    reloaded.run()
    assert language_box(reloaded).value == "kk"
    assert "Сценарий дұрыс." in [s.value for s in reloaded.success]
    unknown = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    unknown.query_params["lang"] = "xx"  # not a language of the interface: the browser's
    unknown.run()
    assert language_box(unknown).value == "en"


def demand_page(language: str) -> AppTest:
    """A new session in ``language`` on the Demand page, drawn without an exception."""
    at = session()
    language_box(at).set_value(language).run()
    at.switch_page("app_pages/demand.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("language", "title", "decimal"),
    [("en", "Demand and requirement", "."), ("ru", "Нагрузка и потребность", ","),
     ("kk", "Сұраныс және қажеттілік", ",")],
)  # fmt: skip
def test_the_demand_page_formats_its_figures_in_the_session_language(language, title, decimal):
    at = demand_page(language)
    assert [t.value for t in at.title] == [title]
    shares = [
        m.value
        for m in at.metric
        if m.label == _i18n.translation(language).gettext("Due to surges")
    ]
    assert len(shares) == 1 and re.fullmatch(rf"\d+\{decimal}\d\s?%", shares[0]), shares
    calls = at.metric[0].value
    digits = calls.replace(",", "").replace("\xa0", "").replace(" ", "")
    assert digits.isdigit() and int(digits) > 1000  # grouped: 25,380 or 25 380
    assert ("," in calls) == (language == "en")


@pytest.mark.parametrize(
    ("language", "monday", "january"),
    [("en", None, None), ("ru", "пн", "янв."), ("kk", "дс", "қаң.")],
)  # fmt: skip
def test_the_charts_axes_read_numbers_and_dates_in_the_session_language(language, monday, january):
    # Vega formats its own axis labels and tooltips; its locale is the session's, from Babel,
    # so "25 380" and "пн 10" on a Russian page, not "25,380" and "Mon 10".
    at = demand_page(language)
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    assert len(specs) >= 2  # calls per line and the requirement
    for spec in specs:
        locale = spec.get("config", {}).get("locale")
        if language == "en":
            assert locale is None  # Vega's own English
            continue
        assert locale["number"]["decimal"] == ","
        assert locale["number"]["thousands"] in ("\xa0", "\u202f", " ")
        time = locale["time"]
        assert time["shortDays"][1] == monday and len(time["days"]) == 7  # d3: Sunday first
        assert time["shortMonths"][0].lower() == january and len(time["months"]) == 12


def test_every_chart_a_page_shows_goes_through_the_locale():
    # A chart shown without charts.localised would name its days and group its thousands in
    # English on a Russian page.
    bare = []
    for path in sorted((REPO / "app_pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            shown = isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "altair_chart"
            if not shown:
                continue
            first = node.args[0] if node.args else None
            wrapped = isinstance(first, ast.Call) and getattr(first.func, "attr", "") == "localised"
            if not wrapped:
                bare.append(f"{path.name}:{node.lineno}")
    assert not bare, bare


# ----- numbers and dates --------------------------------------------------------------------------


def test_numbers_follow_the_language():
    english, russian, kazakh = (_i18n.number(1234567.5, 1, lang=x) for x in ("en", "ru", "kk"))
    assert english == "1,234,567.5"
    for text in (russian, kazakh):  # groups by a (non-breaking) space, decimals after a comma
        assert re.fullmatch(r"1\s234\s567,5", text), text
    assert _i18n.percent(0.805, lang="en") == "80.5%"
    assert re.fullmatch(r"80,5\s%", _i18n.percent(0.805, lang="ru"))
    assert _i18n.number(0.4, lang="ru") == "0"
    assert _i18n.percent(1 / 3, 0, lang="en") == "33%"


def test_dates_follow_the_language():
    monday = date(2026, 1, 12)
    assert _i18n.day(monday, lang="en") == "Mon, Jan 12"
    assert "янв" in _i18n.day(monday, lang="ru") and "пн" in _i18n.day(monday, lang="ru")
    assert "қаң" in _i18n.day(monday, lang="kk")
    assert [_i18n.weekday(i, lang="ru") for i in (0, 6)] == ["Пн", "Вс"]
    assert [_i18n.weekday(i, lang="kk") for i in (0, 6)] == ["Дс", "Жс"]
    moment = _i18n.moment(datetime(2026, 1, 12, 14, 5), lang="ru")
    assert moment.startswith("12 янв. 2026") and moment.endswith("14:05")


def test_publishing_and_my_schedule_speak_the_session_language():
    """History publishes in Russian (its message, dates and table of changes), then My schedule
    is read in Kazakh; the stored data (operators, times) stays as written."""
    _published_store(os.environ["PLANNER_DB_URL"])
    at = session()
    language_box(at).set_value("ru").run()
    as_author(at)
    at.checkbox(key="history_confirm").check().run()
    at.button(key="history_publish").click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["История"]
    assert [s.value for s in at.success] == ["r1 опубликован как публикация №1 сценария week."]
    versions, rosters, changes = (d.value for d in at.dataframe)
    assert list(rosters["state"]) == ["опубликован, №1"]
    assert re.fullmatch(r"\d+ [а-я]+\. \d{4}\sг\. \d\d:\d\d UTC", versions["saved"][0])
    assert list(changes["how"]) == ["добавлена", "добавлена"]  # both shifts new
    assert list(changes["operator"]) == ["op-7", "op-8"]
    assert list(changes["before"]) == ["выходной", "выходной"]  # "off", the library's word
    assert list(changes["after"]) == [
        "09:00-17:00 перерывы 13:00-13:30",  # the times as stored, "breaks" in Russian
        "13:00-21:00 перерывы 17:00-17:30",
    ]

    language_box(at).set_value("kk").run()
    at.switch_page("app_pages/my_schedule.py").run()
    assert [t.value for t in at.title] == ["Менің кестем"]
    publication = at.selectbox(key="my_publication")
    assert publication.label == "Жариялау"
    assert "жарияланды" in publication.format_func(publication.value)
    at.selectbox(key="my_operator").select("op-7").run()
    assert not at.exception, at.exception
    (table,) = at.dataframe
    assert list(table.value["start"]) == ["09:00"]


# ----- the Plan, Roster and Compare pages ---------------------------------------------------------


def in_language(language: str, message: str) -> str:
    return _i18n.translation(language).gettext(message)


@pytest.mark.parametrize(
    ("language", "decimal"), [("ru", ","), ("kk", ","), ("en", ".")]
)  # fmt: skip
def test_the_plan_page_speaks_the_session_language(language, decimal):
    """A day planned in the session's language: heading, tabs, the KPI cards' labels and
    tooltips (the catalogue's, translated at display), the progress and day selector."""
    at = session()
    language_box(at).set_value(language).run()
    at.switch_page("app_pages/plan.py").run()
    days = at.selectbox(key="plan_days")
    assert days.options[0] == in_language(language, "Whole horizon")
    wednesday = _i18n.short_day(date(2022, 1, 12), lang=language)  # as the language writes it
    days.select_index(days.options.index(wednesday)).run()
    assert at.session_state["plan_days"] == "Wed 12 Jan"  # the option's key stays the same
    at.number_input(key="plan_time_limit").set_value(5.0).run()
    at.button(key="plan_solve").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title] == [in_language(language, "Plan")]
    cards = {m.label: m for m in at.metric}
    paid = in_language(language, "paid hours")
    assert paid[:1].upper() + paid[1:] in cards
    tooltip = cards[paid[:1].upper() + paid[1:]].help
    assert tooltip.rstrip(".").lower() == in_language(language, "paid hours of every shift planned")
    hours = cards[paid[:1].upper() + paid[1:]].value  # one decimal, the language's sign
    assert re.fullmatch(rf"\d[\d\s,]*\{decimal}\d", hours), hours
    level = f"emergency: {in_language(language, 'service level')}"
    assert level in cards
    assert [t.label for t in at.tabs][:2] == [
        in_language(language, "Coverage"),
        in_language(language, "Service level"),
    ]
    summary = next(m.value for m in at.markdown if m.value.startswith("**"))
    stop_at = _i18n.gap(at.session_state["plan"].settings.relative_gap, lang=language)
    assert f"{decimal}0" in stop_at and stop_at in summary, summary  # the language's digits
    verdict = at.session_state["plan"].result.solve.quality_text  # the library's, English
    assert (verdict in summary) == (language == "en"), summary  # the solver's verdict translated
    simulated = [m.value for m in at.markdown if "seed 0" in m.value or "0)" in m.value]
    english = any("simulated call by call" in text.lower() for text in simulated)
    assert simulated and english == (language == "en"), simulated  # the simulation's heading
    if language != "en":  # really translated, not the English left in place
        assert paid != "paid hours" and "Plan" not in [t.value for t in at.title]
    _the_plan_s_library_words_are_translated(at, language)


PLAN_CHECKED = {
    "en": r"Plan check without the solver: valid: \d+ hard rules checked, none broken",
    "ru": r"Проверка плана без решателя: корректно: проверено \d+ жёстк\w+ правил\w*, "
    r"нарушений нет",
    "kk": r"Жоспарды шешушісіз тексеру: дұрыс: \d+ қатаң ереже тексерілді, бұзылғаны жоқ",
}
"""The plan check's line (the page's words, then the library's summary) in each language."""
REFUSED = {"en": "refused: ", "ru": "отклонено: ", "kk": "қабылданбады: "}
"""How the library's refusal of an edit starts in each language."""
ROUTED = {"en": "routing priority", "ru": "распределение по приоритету",
          "kk": "басымдық бойынша"}  # fmt: skip
"""The simulation's heading names the scenario's routing policy (priority) in the language."""


def _the_plan_s_library_words_are_translated(at: AppTest, language: str) -> None:
    """The library's words on a solved plan's page: the plan check's summary, the routing
    policy's name, the objective's terms, and an edit refused in the Edit tab (a shift group
    moved to the day's last start), each in the session's language; the English ones absent
    from a translated page."""
    (checked,) = [s.value for s in at.success if re.match(PLAN_CHECKED[language], s.value)]
    assert ("hard rule" in checked) == (language == "en"), checked
    heading = next(m.value for m in at.markdown if "0)" in m.value and "**" in m.value)
    assert ROUTED[language] in heading, heading
    (terms,) = [d.value["term"] for d in at.dataframe if "term" in d.value.columns]
    cost = in_language(language, "cost of paid hours")  # the objective's "cost", in words
    assert cost in list(terms) and "cost" not in list(terms), list(terms)
    start = next(w for w in at.selectbox if (w.key or "").startswith("plan_edits_start"))
    start.set_value(start.options[-1]).run()
    at.button(key="plan_edits_move").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    refused = [t for t in errors if t.startswith(REFUSED[language])]
    assert refused, errors
    english = [t for t in errors if re.search(r"\b(refused|window|does not start)\b", t)]
    assert bool(english) == (language == "en"), errors


@pytest.mark.parametrize("language", TRANSLATED)
def test_roster_and_compare_pages_speak_the_session_language(language):
    at = session()
    language_box(at).set_value(language).run()
    at.switch_page("app_pages/roster.py").run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == [in_language(language, "Roster")]
    assert at.button(key="roster_make").label == in_language(language, "Make roster")
    assert in_language(language, "Press Make roster. A week of the emergency scenario takes "
                       "about ten seconds.") in [i.value for i in at.info]  # fmt: skip
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == [in_language(language, "Compare scenarios")]
    assert [t.label for t in at.tabs] == [
        in_language(language, "Side by side"),
        in_language(language, "Sweep and capacity"),
    ]
    assert at.button(key="compare_run").label == in_language(language, "Compare")
    assert at.button(key="compare_job_stop").label == in_language(language, "Stop")


def rostered(language: str) -> AppTest:
    """A session in ``language`` with a roster made on the Roster page (5 s), no exception."""
    at = session()
    language_box(at).set_value(language).run()
    at.switch_page("app_pages/roster.py").run()
    at.number_input(key="roster_time_limit").set_value(5.0).run()
    at.button(key="roster_make").click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.slow
def test_a_roster_is_read_in_kazakh():
    """The roster's cards (the catalogue's labels in Kazakh) and its check, with no error."""
    at = rostered("kk")
    labels = [m.label for m in at.metric]
    assert "Тағайындалған ауысымдар" in labels  # shifts assigned
    assert "Жұмыс істейтін операторлар" in labels  # operators working
    assert any(s.value.startswith("Кестені шешушісіз тексеру") for s in at.success)
    assert [t.label for t in at.tabs][:3] == ["Апта торы", "Уақыт сызбасы", "Өңдеу"]  # Edit tab


def compared_in_russian(replications: int | None = None) -> AppTest:
    """A session in Russian that compared emergency.yaml with emergency_no_borrowed.yaml (5 s
    each), each plan also simulated when ``replications`` is given; no exception."""
    at = session()
    language_box(at).set_value("ru").run()
    at.switch_page("app_pages/compare.py").run()
    at.multiselect(key="compare_chosen").set_value(
        ["emergency.yaml", "emergency_no_borrowed.yaml"]
    ).run()
    at.number_input(key="compare_limit").set_value(5.0).run()
    if replications is not None:
        at.checkbox(key="compare_simulate").check().run()
        at.number_input(key="compare_replications").set_value(replications).run()
    at.button(key="compare_run").click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.slow
def test_a_comparison_is_read_in_russian():
    """The KPIs side by side: row labels and the first header in Russian, figures in Russian
    digits, the solver's verdict worded in Russian; the scenarios' names as they are."""
    at = compared_in_russian()
    assert not at.error, [e.value for e in at.error]
    table = at.dataframe[0].value.set_index("KPI")
    assert list(table.columns)[:2] == ["emergency.yaml", "emergency_no_borrowed.yaml"]
    borrowed = table.loc["Привлечённые часы", "emergency.yaml"]  # borrowed hours
    assert re.fullmatch(r"\d[\d\s]*,\d", borrowed), borrowed
    assert table.loc["Привлечённые часы", "emergency_no_borrowed.yaml"] == "0,0"
    verdict = table.loc["Статус решателя", "emergency.yaml"]  # solver status
    assert re.search("[а-я]{4}", verdict) and not re.search("[a-z]{4}", verdict), verdict
    assert "emergency: уровень обслуживания" in table.index


@pytest.mark.slow
def test_a_simulated_comparison_and_a_capacity_answer_are_read_in_russian():
    """The Compare page's library words in Russian: the simulated figures' "± ... pp", the
    differences in Russian digits, yes/no, and a capacity search's answer (the library's
    sentence when neither or both of the two values searched meet the target)."""
    at = compared_in_russian(replications=2)
    table = at.dataframe[0].value.set_index("KPI")
    simulated = table.loc["emergency: симулированный уровень обслуживания", "emergency.yaml"]
    assert re.fullmatch(r"\d+,\d\s?% ± \d+,\d п\. п\.", simulated), simulated
    cost = table.loc["Стоимость", "Δ emergency_no_borrowed.yaml"]
    assert re.fullmatch(r"-\d{1,3}(\s\d{3})+ KZT", cost), cost  # 4 391 300, not 4,391,300
    cells = set(table.to_numpy().ravel())
    assert "да" in cells or "нет" in cells  # the targets met, in words
    assert not {"yes", "no"} & cells

    for name, value in (("cap_low", 1.0), ("cap_high", 1.5), ("cap_step", 0.5)):
        next(n for n in at.number_input if n.key.startswith(name)).set_value(value).run()
    at.number_input(key="sweep_limit").set_value(2.0).run()
    at.button(key="cap_largest").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    answers = [m.value for m in [*at.warning, *at.success] if "surge" in m.value or "**" in m.value]
    (answer,) = answers  # the library's sentence (a warning) or the page's (found: a success)
    if answer in [w.value for w in at.warning]:  # neither, or both, values meet the target
        assert re.search(r"(не достигает цели|достигает цели .* расширьте)", answer), answer
    assert not re.search(r"\b(value|meets|target|range|every queue)\b", answer), answer
