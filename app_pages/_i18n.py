"""The interface's language, chosen per browser session: English, Russian or Kazakh.

UI glue only. Each session holds its own :class:`gettext.GNUTranslations` in
``st.session_state`` and :func:`_` reads it, so one user's choice never changes another's page:
nothing here calls ``gettext.install`` or ``locale.setlocale``. The language starts from the
browser's (``st.context.locale``, else its ``Accept-Language`` header) and is changed with the
selector in the sidebar (:func:`choose_language`, called by ``app.py``), which keeps the choice
in the page's address (``?lang=kk``) so that a reload, a new session there, keeps it too.

The catalogues are ``locales/{kk,ru,en}/LC_MESSAGES/messages.po``, managed with Babel
(``pybabel extract / update``, see the README). They are compiled in memory with Babel when the
process first needs them, so a fresh checkout works without a build step; a ``messages.mo``
compiled by ``pybabel compile`` is used instead when it is newer than its ``.po``.

Text that comes from the library (an edit refused, why a shift is unassigned, a check's
summary, advice) is a :class:`planner.messages.Message`: :func:`say` shows it in the
session's language, its template from the library's own catalogue
``locales/{kk,ru}/LC_MESSAGES/planner.po`` (the ``planner`` domain, extracted from ``planner/``)
and its numbers formatted like the pages' own.

Numbers and dates shown in text go through :func:`number`, :func:`percent`, :func:`day` and
:func:`moment`, which format them in the session's language with Babel (``1 234,5`` in Russian,
``1,234.5`` in English). Marking a string for translation: ``_("Plan the week")``; with a count,
``n_("{n} problem", "{n} problems", n).format(n=n)``; at import time, where no session exists
yet, ``N_("...")`` marks it and ``_(constant)`` translates it when shown.
"""

from __future__ import annotations

import copy
import functools
import gettext
import io
import math
import re
from datetime import date, datetime
from numbers import Integral
from pathlib import Path

import streamlit as st
from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from planner.messages import Message
from planner.present import formats

LOCALES = Path(__file__).resolve().parents[1] / "locales"
DOMAIN = "messages"
PLANNER_DOMAIN = "planner"
"""The library's messages' catalogue (``planner.po``), apart from the pages' (``messages.po``)."""
LANGUAGES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
"""The interface's languages, each named in itself (as the selector lists them)."""
DEFAULT = "en"
LANGUAGE_KEY = "language"
"""The session-state key of the session's language (not a widget's: see :func:`choose_language`)."""
SELECTOR_LABEL = "Language · Тіл · Язык"
"""The sidebar selector's label, in the three languages at once."""
LANGUAGE_PARAM = "lang"
"""The address's query parameter keeping a language chosen in the selector."""
_TRANSLATION_KEY = "_translation"
_CHOSEN_KEY = "_language_chosen"  # True once chosen in the selector or given in the address


# ----- catalogues ---------------------------------------------------------------------------------


def catalogue_path(language: str, domain: str = DOMAIN) -> Path:
    """The ``.po`` file of ``language`` (the pages' strings, or the library's with
    :data:`PLANNER_DOMAIN`)."""
    return LOCALES / language / "LC_MESSAGES" / f"{domain}.po"


@functools.cache
def translation(language: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The translation of ``language`` in ``domain``, loaded once per process and shared
    read-only.

    A ``.mo`` newer than its ``.po`` is read as it is; otherwise the ``.po`` is compiled in
    memory with Babel. English (the source language) has no catalogue to need.
    """
    po = catalogue_path(language, domain)
    mo = po.with_suffix(".mo")
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as compiled:
            return gettext.GNUTranslations(compiled)
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=language, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


# ----- the session's language ---------------------------------------------------------------------


def supported(tag: str | None) -> str | None:
    """The interface language for a locale tag such as ``ru-RU`` or ``kk_KZ``, or None."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The first supported language of an ``Accept-Language`` header, by its q-values."""
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        ranked.append((-weight, position, tag))
    for _weight, _position, tag in sorted(ranked):
        language = supported(tag)
        if language:
            return language
    return None


def browser_language() -> str:
    """The language the browser asks for, if the interface has it, else English."""
    context = st.context
    found = supported(getattr(context, "locale", None))
    if found is None:
        try:
            found = from_accept_language(context.headers.get("Accept-Language"))
        except (AttributeError, RuntimeError):  # no browser behind the session (AppTest)
            found = None
    return found or DEFAULT


def language() -> str:
    """This session's language: chosen in the sidebar (kept in the address, ``?lang=ru``, so a
    reload keeps it), else the browser's."""
    ss = st.session_state
    if ss.get(LANGUAGE_KEY) not in LANGUAGES:
        from_address = supported(st.query_params.get(LANGUAGE_PARAM))
        ss[_CHOSEN_KEY] = from_address is not None
        ss[LANGUAGE_KEY] = from_address or browser_language()
    return ss[LANGUAGE_KEY]


def _selector_key(chosen: str) -> str:
    return f"_language_selector_{chosen}"


def _chosen(before: str) -> None:
    picked = st.session_state.get(_selector_key(before))
    if picked in LANGUAGES:
        st.session_state[LANGUAGE_KEY] = picked
        st.session_state[_CHOSEN_KEY] = True


def _session_translation() -> gettext.NullTranslations:
    ss = st.session_state
    chosen = language()
    held = ss.get(_TRANSLATION_KEY)
    if held is None or held[0] != chosen:
        held = (chosen, translation(chosen))
        ss[_TRANSLATION_KEY] = held
    return held[1]


def _(message: str) -> str:
    """``message`` in this session's language (as written when it has no translation)."""
    return _session_translation().gettext(message)


def n_(singular: str, plural: str, count: int) -> str:
    """The form of a message for ``count`` in this session's language (Russian has three)."""
    return _session_translation().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for extraction where it cannot be translated yet (at import time)."""
    return message


def say(message: str, *, lang: str | None = None) -> str:
    """A library message in ``lang`` or the session's language.

    A :class:`~planner.messages.Message` is translated from the library's catalogue
    (:data:`PLANNER_DOMAIN`), its numbers formatted in the language (``9,5 ч``); in English it
    is exactly the library's text. Any other string (an operator's name, a scenario's note) is
    shown as it is.
    """
    chosen = lang or language()
    if not isinstance(message, Message) or chosen == DEFAULT:
        return str(message)
    return message.translated(
        translation(chosen, PLANNER_DOMAIN), functools.partial(formatted, lang=chosen)
    )


def say_error(error: BaseException, *, lang: str | None = None) -> str:
    """A library error's message in ``lang`` or the session's language: the
    :class:`~planner.messages.Message` it was raised with, translated; any other error as its
    text."""
    first = error.args[0] if len(error.args) == 1 else None
    return say(first if isinstance(first, Message) else str(error), lang=lang)


def choose_language() -> str:
    """The sidebar's language selector; the session's language.

    The language is kept under :data:`LANGUAGE_KEY`, not as the selector's own value: after a
    page change the browser may re-create the selector and send back its first option
    (English), which, were it the language, would switch a Kazakh session to English in the
    middle of its work. The selector is a new widget for each language, showing that language,
    and only a choice in it (its ``on_change``) changes the session's language.
    """
    ss = st.session_state
    current = language()
    st.sidebar.selectbox(
        SELECTOR_LABEL,
        list(LANGUAGES),
        index=list(LANGUAGES).index(current),
        format_func=LANGUAGES.__getitem__,
        key=_selector_key(current),
        on_change=_chosen,
        args=(current,),
    )
    chosen = language()
    if ss.get(_CHOSEN_KEY) and st.query_params.get(LANGUAGE_PARAM) != chosen:
        st.query_params[LANGUAGE_PARAM] = chosen  # again after each page change, which clears it
    return chosen


# ----- numbers and dates in the session's language ------------------------------------------------


def _locale(language_: str | None = None) -> Locale:
    return _parsed(language_ or language())


@functools.cache
def _parsed(language_: str) -> Locale:
    """Babel's locale data of a language, parsed once per process (read-only)."""
    return Locale.parse(language_)


def number(value: float, digits: int = 0, *, lang: str | None = None) -> str:
    """``value`` with the digit grouping and decimal sign of ``lang`` (default: the session's
    language), ``digits`` decimals."""
    locale = _locale(lang)
    return _pattern(locale.decimal_formats[None].pattern, digits).apply(value, locale)


def percent(share: float, digits: int = 1, *, lang: str | None = None) -> str:
    """A share (0.8) as a percentage in ``lang`` or the session's (``80.0%``, ``80,0 %``)."""
    locale = _locale(lang)
    return _pattern(locale.percent_formats[None].pattern, digits).apply(share, locale)


_SPEC = re.compile(r"(?P<sign>\+)?(?P<group>,)?(?:\.(?P<digits>\d+))?(?P<kind>[dfg%])?")


def formatted(value: float, spec: str = "", *, lang: str | None = None) -> str:
    """A number by a ``str.format`` spec (``""``, ``"d"``, ``"g"``, ``".1f"``, ``".0%"``, with
    ``+`` and ``,``), in ``lang`` or the session's language: the library's messages' numbers.

    ``g`` and a bare float show up to three decimals, none when whole (``9,5``, ``11``); a
    percentage is a share (``0.805`` with ``.1%``: ``80,5 %``); other specs are Python's.
    """
    match = _SPEC.fullmatch(spec)
    if match is None or not math.isfinite(value):
        return format(value, spec)
    digits, kind = match["digits"], match["kind"]
    if kind == "%":
        text = percent(value, int(digits or 0), lang=lang)
    elif kind == "f" or (digits is not None and kind is None):
        text = number(value, int(digits or 0), lang=lang)
    elif kind == "d" or (kind is None and isinstance(value, Integral)):
        text = number(value, 0, lang=lang)
    else:
        text = numbers.format_decimal(value, locale=_locale(lang))
    return f"+{text}" if match["sign"] and value > 0 else text


def chart_locale(lang: str | None = None) -> dict | None:
    """Vega's number and time locale (d3's format) for ``lang`` or the session's language,
    from Babel's data, so that the charts' own axis numbers and dates read as the rest of the
    page (``10 000 000``, ``пн 10``, ``январь``); None in English (Vega's own)."""
    lang = lang or language()
    return None if lang == DEFAULT else _chart_locale(lang)


@functools.cache
def _chart_locale(lang: str) -> dict:
    locale = _parsed(lang)
    symbols = locale.number_symbols["latn"]

    def week(names) -> list[str]:  # Babel starts the week on Monday (0), d3 on Sunday
        return [names[(k + 6) % 7] for k in range(7)]

    def year(names) -> list[str]:
        return [names[k] for k in range(1, 13)]

    return {
        "number": {
            "decimal": symbols["decimal"],
            "thousands": symbols["group"],
            "grouping": [3],
            "currency": ["", ""],
        },
        "time": {
            "dateTime": "%x %X",
            "date": "%d.%m.%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": week(locale.days["format"]["wide"]),
            "shortDays": week(locale.days["format"]["abbreviated"]),
            "months": year(locale.months["stand-alone"]["wide"]),
            "shortMonths": year(locale.months["stand-alone"]["abbreviated"]),
        },
    }


@functools.cache
def _pattern(cldr: str, digits: int) -> numbers.NumberPattern:
    """The locale's own number pattern with exactly ``digits`` decimals (made once each)."""
    pattern = copy.copy(numbers.parse_pattern(cldr))
    pattern.frac_prec = (digits, digits)
    return pattern


def gap(value: float | None, *, lang: str | None = None) -> str:
    """A solver's gap to the best possible plan as a percentage in ``lang`` or the session's:
    one decimal, more when it would read 0.0; in English and for a missing or infinite gap
    (``–``, ``∞``) exactly as :func:`planner.present.formats.gap` shows it (``1.0 %``)."""
    if value is None or not math.isfinite(value) or (lang or language()) == DEFAULT:
        return formats.gap(value, marks=formats.SCREEN)  # English: as everywhere else (1.0 %)
    for digits in (1, 2, 3):
        if value <= 0 or round(100 * value, digits) > 0:
            return percent(max(value, 0.0), digits, lang=lang)
    return percent(0.00001, 3, lang=lang)


def day(value: date, skeleton: str = "MMMEd", *, lang: str | None = None) -> str:
    """A day in ``lang`` or the session's language, by a CLDR skeleton (``MMMEd``: Mon, Jan 12;
    ``yMMMd``: Jan 12, 2026), each language ordering its parts in its own way."""
    return dates.format_skeleton(skeleton, value, locale=_locale(lang))


def short_day(value: date, *, lang: str | None = None) -> str:
    """A day as the app's day selectors show it, ``Mon 10 Jan`` in English, with the weekday
    and month names of ``lang`` or the session's language (``пн 10 янв.``)."""
    return dates.format_date(value, "EEE d MMM", locale=_locale(lang))


def weekday(index: int, *, lang: str | None = None) -> str:
    """The abbreviated name of weekday ``index`` (0: Monday) in ``lang`` or the session's."""
    return _locale(lang).days["format"]["abbreviated"][index].capitalize()


def moment(value: datetime, *, lang: str | None = None) -> str:
    """A date and time to the minute in ``lang`` or the session's (the caller names the zone)."""
    locale = _locale(lang)
    clock = dates.format_time(value, "HH:mm", locale=locale)
    return f"{day(value, 'yMMMd', lang=str(locale))} {clock}"
