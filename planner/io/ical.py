"""An operator's published shifts as an iCalendar file (RFC 5545) for their phone's calendar.

One event per shift: the shift's start and end as local ("floating") times, which a calendar
shows at those clock times wherever it is (the roster's times are the centre's clock), the
breaks in the description. Each event's UID is the operator and the day, and its SEQUENCE the
roster's publication number, so importing a later publication updates the events in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

import pandas as pd

__all__ = ["shifts_calendar"]

PRODUCT = "-//contact-centre-planner//roster//EN"


def _escape(text: str) -> str:
    """TEXT value escaping (RFC 5545, 3.3.11)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> Iterable[str]:
    """A content line folded to 75 octets (RFC 5545, 3.1): continuations start with a space."""
    data = line.encode("utf-8")
    first = True
    while data:
        limit = 75 if first else 74
        cut = min(limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        yield ("" if first else " ") + data[:cut].decode("utf-8")
        data, first = data[cut:], False


def _local(day: date, clock: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime(day.year, day.month, day.day) + timedelta(hours=hours, minutes=minutes)


def shifts_calendar(
    roster: pd.DataFrame,
    operator: str,
    *,
    centre: str = "Contact centre",
    sequence: int = 0,
    stamp: datetime | None = None,
) -> bytes:
    """One operator's shifts from a roster table as an ``.ics`` file.

    Parameters
    ----------
    roster : pandas.DataFrame
        ``roster.csv``'s columns: operator, pool, day (``YYYY-MM-DD``), start, end (``HH:MM``),
        breaks (``HH:MM-HH:MM;...``), paid_hours.
    operator : str
        The operator's id.
    centre : str
        Shown in each event's title.
    sequence : int
        The roster's publication number (a later one updates the events).
    stamp : datetime, optional
        DTSTAMP (UTC; default now).

    Returns
    -------
    bytes
        The calendar, CRLF line ends, UTF-8.
    """
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT}", "CALSCALE:GREGORIAN"]
    mine = roster[roster["operator"].astype(str) == str(operator)]
    for row in mine.sort_values(["day", "start"]).itertuples(index=False):
        day = date.fromisoformat(str(row.day))
        start, end = _local(day, row.start), _local(day, row.end)
        if end <= start:  # a shift past midnight ends the next day
            end += timedelta(days=1)
        breaks = str(row.breaks) if isinstance(row.breaks, str) and row.breaks else ""
        details = f"Pool {row.pool}; paid {float(row.paid_hours):g} h"
        details += f"; breaks {breaks.replace(';', ', ')}" if breaks else "; no breaks"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_escape(str(operator))}-{day.isoformat()}-{row.start.replace(':', '')}"
            "@contact-centre-planner",
            f"SEQUENCE:{int(sequence)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{start:%Y%m%dT%H%M%S}",
            f"DTEND:{end:%Y%m%dT%H%M%S}",
            f"SUMMARY:{_escape(f'{centre}: shift {row.start}-{row.end}')}",
            f"DESCRIPTION:{_escape(details)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n").encode()
