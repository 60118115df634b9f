"""Library messages a page can translate: English text that keeps its template and parameters.

The library speaks English (the command line, logs, CSV files) and knows nothing of a user's
language: no ``gettext.install``, no locale, no Streamlit. A message meant for a person (an edit
refused, why a shift is unassigned, a check's summary, advice) is built with :func:`msg` (or
:func:`msg_n` when a count chooses the words) from a template with named placeholders and its
parameters. The result is a :class:`Message`: a ``str`` whose value is the English text, so the
command line, ``in`` tests, f-strings and CSV files see exactly the text they always saw, and
which also carries ``template`` and ``params``. A client with a translation formats it in
another language with :meth:`Message.translated`: the template (and every message among the
parameters) through the translation, and the numbers through the client's number formatter.

``msg`` and ``msg_n`` are also the markers ``pybabel extract`` looks for (``-k msg -k
msg_n:1,2 -k marked_n:1,2``, see the README's "Languages"; :func:`marked_n` marks a template
pair kept in a table for later): their templates form the ``planner`` catalogue,
``locales/*/LC_MESSAGES/planner.po``, apart from the pages' own ``messages.po``.

Placeholders are ``str.format`` fields, with an optional format spec for numbers
(``{hours:g}``, ``{share:.1%}``, ``{points:+.1f}``); a translation keeps each placeholder and
spec, and may move them.

A message stays one only as an object: ``str(m)``, ``f"{m}"`` and ``+`` give plain English
text, and a pandas column keeps messages only with ``dtype=object`` (pandas 3 stores text as
plain strings), as the roster's ``unassigned["reason"]`` does.

Examples
--------
>>> m = msg("{hours:g} h rest; at least {needed:g} h needed", hours=9.5, needed=11)
>>> str(m)
'9.5 h rest; at least 11 h needed'
>>> m.template, m.params["hours"]
('{hours:g} h rest; at least {needed:g} h needed', 9.5)
"""

from __future__ import annotations

import numbers
import string
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

__all__ = ["Message", "NumberFormat", "Translation", "joined", "marked_n", "msg", "msg_n"]


class Translation(Protocol):
    """What :meth:`Message.translated` needs of a translation (a ``gettext`` translations
    object has both)."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


NumberFormat = Callable[[float, str], str]
"""Formats a number by a ``str.format`` spec (``""``, ``"g"``, ``".1f"``, ``".0%"``, ``"+.1f"``)
in the client's language."""


class Message(str):
    """A message for a person: its English text (the ``str`` value) with its ``template``, its
    ``params`` and, when a count chooses the words, the ``plural`` template.

    Parameters
    ----------
    template : str
        The English text with named ``str.format`` placeholders (the singular when ``plural``
        is given).
    params : Mapping[str, Any], optional
        The placeholders' values: numbers, text, or other messages (translated with this one).
    plural : str, optional
        The plural template; ``params["count"]`` then chooses between them (as ``ngettext``).

    Notes
    -----
    Equal and hashed as its English text, like any ``str``: two violations saying the same thing
    are the same violation, whatever built them.
    """

    template: str
    params: dict[str, Any]
    plural: str | None

    def __new__(
        cls, template: str, params: Mapping[str, Any] | None = None, plural: str | None = None
    ) -> Message:
        values = dict(params or {})
        if plural is not None and "count" not in values:
            raise ValueError(f"a plural message needs a count: {template!r}")
        chosen = template if plural is None or values["count"] == 1 else plural
        self = super().__new__(cls, _Formatter(None, None).format(chosen, **values))
        self.template, self.params, self.plural = template, values, plural
        return self

    def __reduce__(self):
        return (Message, (self.template, self.params, self.plural))

    def translated(
        self, translation: Translation | None = None, number: NumberFormat | None = None
    ) -> str:
        """The message in another language: the template through ``translation`` (as written
        when it has none), the numbers by ``number`` (Python's ``format`` when None), and every
        message among the parameters likewise."""
        if translation is None or not self.template:  # gettext("") is the catalogue's header
            chosen = self.template
            if self.plural is not None and self.params["count"] != 1:
                chosen = self.plural
        elif self.plural is None:
            chosen = translation.gettext(self.template)
        else:
            chosen = translation.ngettext(self.template, self.plural, int(self.params["count"]))
        return _Formatter(translation, number).format(chosen, **self.params)


class _Formatter(string.Formatter):
    """``str.format`` with messages translated and numbers formatted by the client."""

    def __init__(self, translation: Translation | None, number: NumberFormat | None):
        self.translation, self.number = translation, number

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Message):
            if self.translation is None and self.number is None:
                return format(str(value), format_spec)
            return format(value.translated(self.translation, self.number), format_spec)
        is_number = isinstance(value, numbers.Real) and not isinstance(value, bool)
        if is_number and self.number is not None:
            return self.number(value, format_spec)
        return format(value, format_spec)


def msg(template: str, /, **params: Any) -> Message:
    """A message from its English ``template`` and the placeholders' values (a marker for
    ``pybabel extract``: the template goes into the ``planner`` catalogue)."""
    return Message(template, params)


def msg_n(singular: str, plural: str, /, *, count: int, **params: Any) -> Message:
    """A message whose words depend on ``count`` (``{count} shift`` / ``{count} shifts``;
    Russian has three forms): a marker for ``pybabel extract`` like :func:`msg`."""
    return Message(singular, {"count": count, **params}, plural)


def marked_n(singular: str, plural: str, /) -> tuple[str, str]:
    """Mark a template pair for ``pybabel extract`` where the message is made later
    (``Message(singular, params, plural)``); returns the pair as it is."""
    return singular, plural


def joined(separator: str, parts: Iterable[str]) -> Message:
    """``separator.join(parts)`` that keeps each part's template: the parts are translated, the
    separator (punctuation, ``"; "``) is not."""
    values = {f"p{i}": part for i, part in enumerate(parts)}
    return Message(separator.join(f"{{{name}}}" for name in values), values)
