"""The library's messages in Kazakh and Russian (``planner.messages``, ``planner.po``).

Every message the library marks (``msg``, ``msg_n``, ``marked_n``) has a Kazakh and a Russian
translation in ``locales/{kk,ru}/LC_MESSAGES/planner.po`` with the same placeholders and format
specs; a message stays its English text for the command line; an edit the labour rules refuse is
said in the session's language with its figures written the language's way.
"""

from __future__ import annotations

import copy
import pickle
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app_pages import _i18n
from planner.editing.issues import issue_text
from planner.editing.plan_edits import EditedPlan, MoveGroup, apply_plan_edit
from planner.editing.roster_edits import RemoveOperatorDay, apply_edit
from planner.errors import ScenarioError
from planner.io.scenario_file import parse_scenario
from planner.messages import Message, joined, msg, msg_n
from planner.present.formats import plus_minus
from planner.shiftplan import plan_shifts
from tests import test_roster_rules as rules
from tests.test_compare import TINY
from tests.test_i18n import placeholders, rostered, untranslated
from tests.test_plan_edits import _group as largest_group
from tests.test_plan_edits import _scenario as plan_edits_case
from tests.test_roster_edits import rest_refusal, rows_of, start

REPO = Path(__file__).resolve().parents[1]
KEYWORDS = {"msg": None, "msg_n": (1, 2), "marked_n": (1, 2)}  # as the README's pybabel command
TRANSLATED = ("kk", "ru")


def extracted() -> dict[str | tuple[str, str], list[str]]:
    """Every message marked in ``planner/`` (a (singular, plural) pair for the plural ones), with
    where it is."""
    found = {}
    for name, line, message, _comments, _context in extract_from_dir(
        REPO / "planner",
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
    ):
        found.setdefault(message, []).append(f"planner/{name}:{line}")
    return found


def catalogue(language: str):
    with _i18n.catalogue_path(language, _i18n.PLANNER_DOMAIN).open("rb") as po:
        return read_po(po, locale=language)


def test_the_library_marks_its_messages():
    messages = extracted()
    assert len(messages) > 60  # the rules' words, the validator's details, refusals, reasons
    assert "refused: {reason}" in messages and "rest between shifts" in messages
    assert ("{count} already work that day", "{count} already work that day") in messages


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_library_message_has_a_translation_with_its_placeholders(language):
    missing, broken = untranslated(catalogue(language), extracted())
    path = _i18n.catalogue_path(language, _i18n.PLANNER_DOMAIN)
    assert not missing, f"no {language} translation in {path}:\n" + "\n".join(missing)
    assert not broken, "placeholders differ from the English:\n" + "\n".join(broken)


def test_the_placeholder_check_sees_a_lost_spec_or_name():
    english = placeholders("{rest:g} h rest between {end} and {start}")
    assert placeholders("{end} мен {start} арасында {rest:g} сағ") == english  # moved: fine
    assert placeholders("{end} мен {start} арасында {rest} сағ") != english  # the spec lost
    assert placeholders("{end} мен {begin} арасында {rest:g} сағ") != english  # a name changed


def test_the_library_catalogue_is_not_the_pages_one():
    """The library's messages are in planner.po only: another engineer's messages.po edits
    never touch them."""
    pages = {m.id for m in read_po(_i18n.catalogue_path("ru").open("rb"), locale="ru") if m.id}
    assert not {"refused: {reason}", "rest between shifts"} & pages
    assert _i18n.translation("ru", _i18n.PLANNER_DOMAIN).gettext("refused: {reason}") == (
        "отклонено: {reason}"
    )


# ----- a message is its English text --------------------------------------------------------------


def test_a_message_is_its_english_text_and_keeps_its_template():
    m = msg("{rest:g} h rest; at least {needed:g} h needed", rest=9.5, needed=11)
    assert m == "9.5 h rest; at least 11 h needed" and str(m) == m
    assert m.template == "{rest:g} h rest; at least {needed:g} h needed"
    assert m.params == {"rest": 9.5, "needed": 11}
    back = pickle.loads(pickle.dumps(m))  # st.cache_data pickles results
    assert isinstance(back, Message) and back.params == m.params and back == m
    both = joined("; ", [m, msg("none")])
    assert both == "9.5 h rest; at least 11 h needed; none"
    assert [msg_n("{count} day", "{count} days", count=n) for n in (1, 3)] == ["1 day", "3 days"]


def test_russian_chooses_the_plural_form_by_the_count():
    russian = _i18n.translation("ru", _i18n.PLANNER_DOMAIN)
    said = [
        msg_n("{count} shift on one day", "{count} shifts on one day", count=n).translated(russian)
        for n in (1, 2, 5, 21)
    ]
    assert said == [
        "1 смена в один день",
        "2 смены в один день",
        "5 смен в один день",
        "21 смена в один день",
    ]


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "1,234.5"), ("ru", "1\xa0234,5"), ("kk", "1\xa0234,5"), ("ru", "80,5\xa0%")],
)  # fmt: skip
def test_the_pages_format_a_messages_numbers_in_their_language(language, text):
    spec = ".1%" if "%" in text else ".1f"
    value = 0.805 if "%" in text else 1234.5
    assert _i18n.formatted(value, spec, lang=language) == text


# ----- an edit refused, in Kazakh and Russian -----------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["refused: rest between shifts (min_rest)", "12 h rest between 21:00 and 09:00",
                "at least 12.5 h needed"]),
        ("ru", ["отклонено: отдых между сменами (min_rest)", "12 ч отдыха между 21:00 и 09:00",
                "нужно не менее 12,5 ч"]),
        ("kk", ["қабылданбады: ауысымдар арасындағы демалыс (min_rest)",
                "21:00 мен 09:00 арасында 12 сағ демалыс", "кемінде 12,5 сағ қажет"]),
    ],
)  # fmt: skip
def test_a_refused_edit_is_said_in_the_language_with_its_figures(language, words):
    outcome, row = rest_refusal(min_rest_hours=12.5)  # 12 h of rest; 12.5 h needed
    assert not outcome.accepted and outcome.rules == ("min_rest",)
    name = row["name"]
    said = _i18n.say(outcome.message, lang=language)
    assert all(w in said for w in words), said
    assert name in said and "2022-01-10..2022-01-11" in said  # the data as written
    if language != "en":
        assert not re.search(r"\b(refused|rest|needed|between|operator)\b", said), said
    assert outcome.message.startswith("refused: rest between shifts (min_rest): ")  # the CLI's


# ----- why a shift is unassigned, and the roster's check ------------------------------------------


@pytest.mark.parametrize(
    ("operators", "russian", "kazakh"),
    [
        (["x"], "1 уже работает в этот день", "1 оператор сол күні онсыз да жұмыс істейді"),
        (["x", "y"], "2 уже работают в этот день", "2 оператор сол күні онсыз да жұмыс істейді"),
    ],
)
def test_an_unassigned_shift_s_reason_is_said_in_the_language(operators, russian, kazakh):
    """One shift more than operators: the reason counts them, with the count's Russian form."""
    result = rules.roster(
        rules.micro(),
        rules.plan(rules.shift(0, "day", agents=len(operators) + 1)),
        [rules.op(name) for name in operators],
    )
    (reason,) = result.unassigned["reason"]
    assert reason == f"no operator of team can take it: {len(operators)} already work that day"
    assert (
        _i18n.say(reason, lang="ru") == f"ни один оператор группы team не может её взять: {russian}"
    )
    assert (
        _i18n.say(reason, lang="kk")
        == f"team тобының бірде-бір операторы оны ала алмайды: {kazakh}"
    )
    checked = len(result.validation.rules_checked)
    assert _i18n.say(result.validation.summary(), lang="ru").startswith(
        f"корректно: проверено {checked} жёстк"
    )


def test_a_shift_removed_by_hand_keeps_its_reason_translatable():
    """The unassigned table holds messages (pandas would make them plain strings), also after
    an edit adds a row to it."""
    state = start()
    row = rows_of(state, 0).iloc[0]
    removed = apply_edit(state, RemoveOperatorDay(row["operator"], 0))
    assert removed.accepted, removed.message
    reasons = removed.state.unassigned["reason"]
    assert reasons.iloc[-1] == "removed by the shift manager"
    assert _i18n.say(reasons.iloc[-1], lang="ru") == "снята менеджером смены"
    assert all(isinstance(r, Message) for r in reasons)  # the solver's reasons too
    assert _i18n.say(removed.message, lang="kk").startswith("қабылданды: ")


@pytest.mark.parametrize(
    ("language", "share", "seconds"),
    [("en", "57.3% ± 1.1 pp", "1,234.40 ± 0.80"),
     ("ru", "57,3\xa0% ± 1,1 п. п.", "1\xa0234,40 ± 0,80"),
     ("kk", "57,3% ± 1,1 п. т.", "1\xa0234,40 ± 0,80")],
)  # fmt: skip
def test_a_simulated_figure_with_its_interval_is_written_in_the_language(language, share, seconds):
    """``± ... pp``: the percentage points' unit translated, both figures in the language's
    digits; the command line's text unchanged."""
    assert _i18n.say(plus_minus(0.5731, 0.0109, "percent", 1), lang=language) == share
    assert _i18n.say(plus_minus(1234.4, 0.8, "seconds", 2), lang=language) == seconds
    assert plus_minus(0.5731, float("nan"), "percent", 1) == "57.3%"  # one replication


@pytest.mark.slow
def test_the_roster_page_says_the_library_s_words_in_russian():
    """Made in Russian: the roster check's summary and the unassigned shifts' verdict, then an
    edit past closing time refused, all in Russian words (the library's, through planner.po)."""
    at = rostered("ru")
    checked = [s.value for s in at.success if s.value.startswith("Проверка графика без решателя")]
    assert len(checked) == 1 and re.search(r"корректно: проверено \d+ жёстк", checked[0]), checked
    summary = next(m.value for m in at.markdown if "Неназначенные смены:" in m.value)
    assert "every planned shift" not in summary and "fewest possible" not in summary, summary
    grid = next(d.value for d in at.dataframe if "unassigned" in d.value.columns)
    cells = set(grid[["mon", "tue", "wed", "thu", "fri", "sat", "sun"]].to_numpy().ravel())
    assert "выходной" in cells and not {"off", "unavailable"} & cells  # a day off, in Russian
    at.selectbox(key="roster_edits_start").set_value("20:00").run()
    at.button(key="roster_edits_move").click().run()
    errors = [e.value for e in at.error]  # a search cut short may add the unassigned shifts'
    (refused,) = [text for text in errors if text.startswith("отклонено: ")]
    assert not any(re.search(r"\b(refused|no operator|already work)\b", t) for t in errors)
    assert refused.startswith("отклонено: часы работы (opening_hours): "), refused
    assert "выходит за часы работы" in refused and not re.search(r"\b(outside|refused)\b", refused)


def test_a_refused_plan_edit_is_said_in_the_language():
    """The Plan page's edits refuse with the same words: a start past closing time."""
    scenario = plan_edits_case()
    result = plan_shifts(scenario, time_limit_seconds=5)
    state = EditedPlan.start(scenario, result)
    outcome = apply_plan_edit(state, MoveGroup(largest_group(state, "consulting_team"), "14:00"))
    assert not outcome.accepted and outcome.rules == ("shift_start_allowed",)
    assert outcome.message.startswith("refused: shift start window (shift_start_allowed): ")
    russian = _i18n.say(outcome.message, lang="ru")
    assert russian.startswith("отклонено: окно начала смены (shift_start_allowed): "), russian
    assert "не начинается на интервале внутри рабочего окна" in russian
    assert not re.search(r"\b(refused|start|window|breaks)\b", russian), russian


def test_a_scenario_problem_is_said_in_the_language():
    """The scenario checker's rules and the field's place in the user's words are messages: a
    pool naming a queue that does not exist, in Russian and Kazakh, the data as written."""
    data = copy.deepcopy(TINY)
    data["pools"][0]["skills"] = ["emergncy"]
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(data, source="typo")
    (issue,) = raised.value.issues
    text = issue_text(issue, data)
    assert text.startswith("pool 'consulting_team' › skills 1 = 'emergncy': names no queue")
    russian, kazakh = (_i18n.say(text, lang=language) for language in ("ru", "kk"))
    assert russian.startswith("группа 'consulting_team' › skills 1 = 'emergncy': ")
    assert "не называет ни одного объекта «очередь» (может быть, 'emergency'?)" in russian
    assert kazakh.startswith("топ 'consulting_team' › skills 1 = 'emergncy': ешбір кезек")
    assert not re.search(r"\b(names|known|pool|queue)\b", russian + kazakh)
