"""The last English words of kk/ru pages (issue 16, "Languages"): the Compare table's
simulation row and where each plan comes from, the scenario being edited among the compared
ones, option values (service mode, forecast methods), the solver's status in "Solver figures",
and the library's errors the pages show (a capacity search's range, typed numbers, a country
code), each in the session's language while the values kept stay the library's."""

from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from app_pages import _i18n, _state, tables
from planner import editing as ed
from planner.domain.plan import GREEDY_SOURCE
from planner.errors import InputIssue, ScenarioError
from planner.io.scenario_file import parse_scenario
from planner.messages import msg
from planner.present.formats import STATUS_WORDS
from tests.test_i18n import REPO, in_language, language_box, session


def in_russian(page: str | None = None) -> AppTest:
    at = session()
    language_box(at).set_value("ru").run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def widget(elements, suffix: str):
    return next(w for w in elements if (w.key or "").endswith(suffix))


def test_the_scenario_page_shows_a_validation_problem_in_russian():
    """A scenario checker's problem (the window closes before it opens) is said in Russian on
    the Scenario page, and again on the Demand page that waits for it."""
    at = in_russian()
    widget(at.text_input, "window_start").set_value("22:00").run()
    assert not at.exception, at.exception
    said = errors(at)
    assert "должно быть позже window_start" in said, said
    assert "must be" not in said, said
    at.switch_page("app_pages/demand.py").run()
    said = errors(at)
    assert "должно быть позже window_start" in said and "must be" not in said, said


def test_the_service_mode_is_shown_in_russian_and_kept_as_the_files_value():
    at = in_russian()
    mode = widget(at.radio, "service_mode")
    assert mode.options == ["по интервалам", "по дням"]
    mode.set_value("daily").run()
    assert not at.exception, at.exception
    assert widget(at.radio, "service_mode").value == "daily"  # the scenario file's value
    assert at.session_state["workspace"].draft.data["service"]["mode"] == "daily"


def test_the_forecast_methods_and_a_bad_country_code_are_said_in_russian():
    at = in_russian("app_pages/forecast.py")
    assert not at.error, errors(at)
    method = at.selectbox(key="forecast_method")
    assert "среднее по тому же дню недели" in method.options
    assert "weekday_mean" not in method.options
    method.set_value("weekday_mean").run()  # the value stays the library's name
    assert not at.exception, at.exception
    assert set(at.dataframe[-1].value["method"]) == {"среднее по тому же дню недели"}
    at.text_input(key="forecast_country").set_value("XX").run()
    said = errors(at)
    assert "код страны неизвестен" in said and "not a country code" not in said, said


def test_the_compare_page_words_the_scenario_being_edited_and_its_errors_in_russian():
    """The scenario being edited is a choice worded in Russian (its key stays the same); a sweep
    value that is not a number and a capacity range upside down are said in Russian."""
    at = in_russian("app_pages/compare.py")
    chosen = at.multiselect(key="compare_chosen")
    assert "Редактируемый сценарий" in chosen.options
    assert _state.EDITED not in chosen.options
    chosen.set_value([_state.EDITED, "emergency.yaml"]).run()
    assert at.session_state["compare_chosen"] == [_state.EDITED, "emergency.yaml"]
    assert "Редактируемый сценарий" in at.selectbox(key="compare_reference").options

    at.text_input[0].set_value("1, два").run()
    said = errors(at)
    assert "'два' — не число" in said and "is not a number" not in said, said

    at.text_input[0].set_value("1, 2").run()
    for name, value in (("cap_low", 5.0), ("cap_high", 1.0), ("cap_step", 1.0)):
        next(n for n in at.number_input if n.key.startswith(name)).set_value(value).run()
    at.button(key="cap_largest").click().run()
    assert not at.exception, at.exception
    said = errors(at)
    assert "верхняя граница должна быть больше нижней" in said, said
    assert "upper end" not in said, said


@pytest.mark.slow
def test_a_comparison_with_the_scenario_being_edited_is_read_in_russian():
    """The comparison's table in Russian: the edited scenario's column, how each plan was
    simulated, where it comes from (the solver's search) and the status in words."""
    at = in_russian()
    widget(at.number_input, "days").set_value(1).run()  # one day: quick solves
    at.switch_page("app_pages/compare.py").run()
    at.multiselect(key="compare_chosen").set_value([_state.EDITED, "emergency.yaml"]).run()
    at.number_input(key="compare_limit").set_value(5.0).run()
    at.checkbox(key="compare_simulate").check().run()
    at.number_input(key="compare_replications").set_value(2).run()
    at.button(key="compare_run").click().run()
    assert not at.exception and not at.error, errors(at)
    table = at.dataframe[0].value.set_index("KPI")
    compared = {"Редактируемый сценарий", "emergency.yaml"}
    assert compared <= set(table.columns), list(table.columns)
    assert {f"Δ {c}" for c in compared} & set(table.columns), list(table.columns)
    assert _state.EDITED not in " ".join(table.columns)
    simulated = table.loc["Симуляция", "Редактируемый сценарий"]
    assert simulated.startswith("симулировано вызов за вызовом (2 повтора"), simulated
    assert "по приоритету" in simulated and "seed" not in simulated, simulated
    source = in_language("ru", "plan made by")
    row = source[:1].upper() + source[1:]
    assert set(table.loc[row, ["Редактируемый сценарий", "emergency.yaml"]]) == {"поиск решателя"}


def test_the_plan_page_says_the_solver_status_in_words():
    """'Solver figures' says the status in the session's words, never CP-SAT's code."""
    at = in_russian("app_pages/plan.py")
    days = at.selectbox(key="plan_days")
    days.select_index(days.options.index(_i18n.short_day(date(2022, 1, 12), lang="ru"))).run()
    at.number_input(key="plan_time_limit").set_value(5.0).run()
    at.button(key="plan_solve").click().run()
    assert not at.exception and not at.error, errors(at)
    (figures,) = [m.value for m in at.markdown if "статус решателя:" in m.value]
    status = at.session_state["plan"].result.solve.status
    assert status not in figures, figures
    words = in_language("ru", STATUS_WORDS[status])
    assert f"статус решателя: {words}" in figures, figures


# ----- the tables' words, without a solve ---------------------------------------------------------


@pytest.fixture
def russian(monkeypatch):
    monkeypatch.setattr(_i18n, "language", lambda: "ru")
    monkeypatch.setattr(_i18n, "_session_translation", lambda: _i18n.translation("ru"))


def test_a_greedy_plan_is_said_in_the_compare_and_sweep_tables(russian):
    """A greedy plan's row says where it comes from, and its status says it is greedy (not
    "no plan found"), in the compare table and the sweep table."""
    kpis = pd.DataFrame(
        {
            "scenario": ["a", "b"],
            "status": ["UNKNOWN", "OPTIMAL"],
            "plan_source": [GREEDY_SOURCE, "solver"],
            "gap": [math.nan, 0.0],
            "cost": [10.0, 12.0],
        }
    )
    differences = kpis[["scenario", "cost"]].assign(cost=[0.0, 2.0])
    table = tables.side_by_side(kpis, differences, "a").set_index("KPI")
    source = in_language("ru", "plan made by")
    row = table.loc[source[:1].upper() + source[1:]]
    assert row["a"] == "первый (жадный) план, не оптимизирован"
    assert row["b"] == "поиск решателя"
    status = table.loc[in_language("ru", "solver status").capitalize(), "a"]
    assert "жадный" in status, status
    swept = tables.readable(kpis.assign(point=[0, 1]))
    assert list(swept["plan_source"]) == [
        "первый (жадный) план, не оптимизирован",
        "поиск решателя",
    ]
    assert "жадный" in swept["status"][0]


def test_a_study_points_status_codes_are_said_in_words(russian):
    assert tables.status_code_words("STOPPED") == "остановлено вами до завершения плана"
    assert tables.status_code_words("FEASIBLE") == "лучший найденный, не доказан"
    assert tables.status_words("INVALID") == "недопустимые изменения"
    assert not re.search("[A-Z]{4}", tables.status_code_words("OPTIMAL"))


# ----- the store's errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "url", "words"),
    [
        (
            "ru",
            "postgresql+psycopg://planner:hunter2@127.0.0.1:1/x",
            "не удаётся открыть базу данных",
        ),
        ("kk", "nonsense", "дерекқор мекенжайы емес"),
    ],
)
def test_the_history_page_says_why_the_store_cannot_be_opened_in_the_language(
    monkeypatch, language, url, words
):
    """The store's own error (the library's message), not only the page's sentence around it,
    is in the session's language; the password never shown."""
    monkeypatch.setenv("PLANNER_DB_URL", url)
    at = session()
    language_box(at).set_value(language).run()
    at.switch_page("app_pages/history.py").run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert words in shown and "hunter2" not in shown, shown
    assert "cannot open" not in shown and "is not a database URL" not in shown


# ----- the schema's problems ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "english", "russian"),
    [
        (lambda d: d["pools"][0].update(headcount="many"), "must be a whole number", "целым"),
        (lambda d: d.update(colour="blue"), "unknown field", "неизвестное поле"),
        (lambda d: d["service"].update(mode="weekly"), "input should be", "допустимые значения"),
        (lambda d: d["pools"][0].update(headcount=-3), "must be >= 0", "должно быть >= 0"),
        (lambda d: d.pop("queues"), "is required", "обязательное поле"),
    ],
)
def test_a_scenario_files_schema_problems_are_said_in_russian(change, english, russian):
    """The problems pydantic finds in a scenario file (wrong type, unknown field, a value not
    allowed, out of range, missing) are the planner's messages: English on the command line,
    Russian on a Russian page."""
    data = yaml.safe_load((REPO / "scenarios" / "emergency.yaml").read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data, source="emergency.yaml", base_dir=REPO / "scenarios")
    issue = caught.value.issues[0]
    assert english in issue.describe()
    said = _i18n.say(ed.issue_text(issue, data), lang="ru")
    assert russian in said and english not in said, said


def test_a_share_typed_in_percent_says_so_in_russian():
    issue = InputIssue("queues[0].service_level", 1.2, msg("must be < {limit}", limit=1))
    typed = ed.typed_as_percent(issue, 120)
    assert typed.rule == "must be < 1 (typed: 120 %)"
    assert _i18n.say(typed.rule, lang="ru") == "должно быть < 1 (введено: 120 %)"
