"""Benchmark of the interface's languages (prints its figures; not a timed test).

Run from the repository root::

    python bench/bench_i18n.py

Median of 20, wall and CPU time, for each language:

1. loading a catalogue the first time a process needs it: the ``.po`` read and compiled in
   memory with Babel (:func:`app_pages._i18n.translation`, its cache cleared before each run);
2. one page's worth of lookups: every marked string of the translated pages looked up once
   (about 270, as a rerun of all of them at once would);
3. formatting 1,000 numbers, percentages and dates with Babel (``_i18n.number``, ``percent``,
   ``day``), as a page full of figures would.

Target: a rerun's translation costs well under 50 ms, so a page redrawn after each widget
change is not slowed noticeably.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from babel.messages.pofile import read_po  # noqa: E402
from timing import median_timed  # noqa: E402

from app_pages import _i18n  # noqa: E402

REPEATS = 20


def messages() -> list:
    with _i18n.catalogue_path("ru").open("rb") as po:
        return [m.id for m in read_po(po) if m.id]


def main() -> None:
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"uptime before: {load}")
    ids = messages()
    days = [date(2026, 1, 1) + timedelta(days=k) for k in range(1000)]
    print(f"{len(ids)} marked strings; median of {REPEATS}; wall / CPU in ms")
    for language in _i18n.LANGUAGES:

        def load_catalogue(language=language):
            _i18n.translation.cache_clear()
            _i18n.translation(language)

        translation = _i18n.translation(language)

        def look_up(translation=translation):
            for message in ids:
                if isinstance(message, tuple):
                    translation.ngettext(message[0], message[1], 5)
                else:
                    translation.gettext(message)

        def format_figures(language=language):
            for k, day in enumerate(days):
                _i18n.number(k * 123.4, 1, lang=language)
                _i18n.percent(k / 1000, lang=language)
                _i18n.day(day, lang=language)

        for what, work in (
            ("catalogue compiled from .po", load_catalogue),
            ("every marked string looked up", look_up),
            ("1,000 numbers, percentages and days", format_figures),
        ):
            wall, cpu = median_timed(work, REPEATS)
            print(f"{language}  {what:<38} {wall * 1000:8.2f} / {cpu * 1000:8.2f}")
    print(
        f"uptime after: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}"
    )
    print(f"nproc {os.cpu_count()}, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
