"""Kazakhstan's calendar 2022-2027 (planner.forecast.calendar) against the official facts.

Sources: the Labour Code's list of holidays (art. 84 of the 2015 code, as amended) and the
government's yearly decrees on transfers of days off (adilet.zan.kz): 2022-03-07 (for Saturday
5 March), 2023-07-07 (for Saturday 1 July), 2024-05-08 (for Saturday 4 May), 2025-01-03 (for
Sunday 5 January); Constitution Day on 30 August is not a holiday from 2026, and 15 March is
one from 2027 (the constitution adopted in 2026).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.forecast.calendar import KZ_NAMES_RU, public_holidays


def year(y: int) -> dict[date, str]:
    days = [date(y, 1, 1) + timedelta(days=i) for i in range(366 if y % 4 == 0 else 365)]
    return public_holidays("KZ", days)


@pytest.mark.parametrize(
    "transfer", [date(2022, 3, 7), date(2023, 7, 7), date(2024, 5, 8), date(2025, 1, 3)]
)
def test_transferred_days_off_are_days_off(transfer):
    found = year(transfer.year)
    assert transfer in found
    assert "Day off" in found[transfer] and "Перенесённый выходной день" in found[transfer]


@pytest.mark.parametrize("y", [2022, 2023, 2024, 2025])
def test_constitution_day_30_august_until_2025(y):
    assert date(y, 8, 30) in year(y)


@pytest.mark.parametrize("y", [2026, 2027])
def test_no_30_august_from_2026(y):
    assert date(y, 8, 30) not in year(y)


def test_15_march_from_2027_only():
    assert date(2027, 3, 15) in year(2027)
    assert "День Конституции" in year(2027)[date(2027, 3, 15)]
    assert all(date(y, 3, 15) not in year(y) for y in range(2022, 2027))


@pytest.mark.parametrize("y", range(2022, 2028))
def test_fixed_holidays_every_year(y):
    found = year(y)
    fixed = [(1, 1), (1, 2), (1, 7), (3, 8), (3, 21), (3, 22), (3, 23), (5, 1), (5, 7), (5, 9)]
    fixed += [(7, 6), (12, 16)]
    assert all(date(y, m, d) in found for m, d in fixed)


def test_every_holiday_has_a_russian_name():
    names = {n.split(" / ")[0].split(" (")[0] for y in range(2022, 2028) for n in year(y).values()}
    assert names <= set(KZ_NAMES_RU)


def test_other_countries_and_none():
    assert date(2003, 9, 1) in public_holidays("US", [date(2003, 9, 1)])  # Labor Day
    assert public_holidays(None, [date(2022, 1, 1)]) == {}
    with pytest.raises(ValueError, match="not a country code"):
        public_holidays("XX", [date(2022, 1, 1)])
