"""Special days: public holidays by country, with Kazakhstan's transfers of days off.

Public holidays come from the ``holidays`` package (``holidays.country_holidays(country)``).
For Kazakhstan the government moves days off every year by decree (a working Saturday swapped
for a Friday or Monday beside a holiday); :data:`KZ_SUPPLEMENT` adds any such day the package
lacks, and :data:`KZ_NAMES_RU` gives Russian names (the package speaks English, Kazakh and
Ukrainian). ``holidays`` 0.108 already holds every transfer and change this project checks
(``tests/test_forecast_calendar.py``): 2022-03-07, 2023-07-07, 2024-05-08 and 2025-01-03 as
transferred days off; Constitution Day (30 August) no longer a holiday from 2026 and 15 March
(Constitution Day under the 2026 constitution) one from 2027; so the supplement is empty
and stays the place to add a decree the package has not caught up with.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import holidays

from planner.messages import msg

__all__ = ["KZ_NAMES_RU", "KZ_SUPPLEMENT", "public_holidays"]

KZ_SUPPLEMENT: dict[date, str] = {
    # date: "name"  -- source: the government decree on the transfer of days off for that year
    # (adilet.zan.kz, "О переносе выходных дней"). Nothing missing in holidays 0.108.
}
"""Kazakhstan's days off the ``holidays`` package lacks (transfers decreed each year)."""

KZ_NAMES_RU: dict[str, str] = {
    "New Year's Day": "Новый год",
    "Orthodox Christmas": "Православное Рождество",
    "International Women's Day": "Международный женский день",
    "Nowruz Holiday": "Наурыз мейрамы",
    "Kazakhstan's People Solidarity Holiday": "Праздник единства народа Казахстана",
    "Defender of the Fatherland Day": "День защитника Отечества",
    "Victory Day": "День Победы",
    "Capital Day": "День столицы",
    "Eid al-Adha": "Курбан айт",
    "Constitution Day": "День Конституции",
    "Republic Day": "День Республики",
    "Independence Day": "День Независимости",
    "Day off": "Перенесённый выходной день",
}
"""Russian names of Kazakhstan's holidays, by the package's English name (before any
``(observed)`` or ``(substituted ...)`` suffix)."""


def _russian(name: str) -> str:
    base = name.split(" (")[0]
    return KZ_NAMES_RU.get(base, name)


@lru_cache(maxsize=64)
def _holidays_of(country: str, years: tuple[int, ...]) -> dict[date, str]:
    try:
        table = holidays.country_holidays(country, years=years)
    except NotImplementedError:
        raise ValueError(
            msg(
                "--country / country = {country}: not a country code the holidays package "
                "knows (ISO 3166 alpha-2, e.g. KZ, US, RU)",
                country=repr(country),
            )
        ) from None
    found = {d: str(n) for d, n in table.items()}
    if country.upper() == "KZ":
        found.update({d: n for d, n in KZ_SUPPLEMENT.items() if d.year in years})
        found = {d: f"{n} / {_russian(n)}" for d, n in found.items()}
    return found


def public_holidays(country: str | None, dates: Iterable[date]) -> dict[date, str]:
    """The public holidays (and transferred days off) among ``dates``, with their names.

    Parameters
    ----------
    country : str or None
        ISO 3166 alpha-2 code (``KZ``, ``US``); None or ``""`` for no holidays.
    dates : iterable of date

    Raises
    ------
    ValueError
        If the country code is unknown.
    """
    dates = list(dates)
    if not country or not dates:
        return {}
    years = tuple(sorted({d.year for d in dates}))
    table = _holidays_of(country.upper(), years)
    return {d: table[d] for d in dates if d in table}
