"""An operator's shifts as an iCalendar file (planner.io.ical): RFC 5545's structure, local
times, breaks in the description, line folding, one operator only."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from planner.io.ical import shifts_calendar

ROSTER = pd.DataFrame(
    {
        "operator": ["op-1", "op-1", "op-2", "op-1"],
        "pool": ["consulting", "consulting", "emergency", "consulting"],
        "day": ["2022-01-11", "2022-01-10", "2022-01-10", "2022-01-12"],
        "start": ["09:00", "13:00", "09:00", "21:00"],
        "end": ["17:00", "21:00", "21:00", "01:00"],
        "breaks": ["12:00-12:30", "17:00-17:30;19:00-19:15", "", ""],
        "paid_hours": [7.5, 7.5, 11.0, 4.0],
    }
)


def _calendar(**options) -> str:
    stamp = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    return shifts_calendar(ROSTER, "op-1", stamp=stamp, **options).decode()


def test_one_event_per_shift_of_that_operator_in_day_order():
    text = _calendar(sequence=2)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 3  # op-2's shift is not in op-1's calendar
    starts = [line for line in text.split("\r\n") if line.startswith("DTSTART:")]
    assert starts == [
        "DTSTART:20220110T130000",
        "DTSTART:20220111T090000",
        "DTSTART:20220112T210000",
    ]
    assert "DTEND:20220113T010000" in text  # past midnight: ends the next day
    assert "SEQUENCE:2" in text and "DTSTAMP:20261204T120000Z" in text


def test_breaks_are_in_the_description_with_special_characters_escaped():
    unfolded = _calendar().replace("\r\n ", "")
    assert "breaks 17:00-17:30\\, 19:00-19:15" in unfolded
    assert "Pool consulting\\; paid 7.5 h" in unfolded


def test_lines_are_folded_at_75_octets():
    text = shifts_calendar(ROSTER, "op-1", centre="Контакт-центр 1414 " * 5).decode()
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "Контакт-центр 1414 " * 5 in text.replace("\r\n ", "")


def test_an_operator_without_shifts_gets_an_empty_calendar():
    text = shifts_calendar(ROSTER, "nobody").decode()
    assert "VEVENT" not in text and text.endswith("END:VCALENDAR\r\n")
