"""Named operators: who can be rostered, with their contract, limits and wishes.

An operators file is a CSV (one operator per row) or a YAML list of mappings with these fields:

========================== ======== =========================================================
field                      required meaning (default)
========================== ======== =========================================================
``id``                     yes      a name (letter, then letters, digits, ``_ . -``); unique
``name``                   no       free text shown in the roster (the ``id``)
``pool``                   yes      the pool whose shifts the operator works
``skills``                 no       queues the operator can answer, ``;``-separated, each a
                                    skill of the pool (all the pool's skills)
``contract_hours_per_week`` no      paid hours per 7-day block at most, > 0 and at most the
                                    pool's ``max_hours_per_week`` (that figure)
``max_shift_hours``        no       longest shift (span, breaks included) the operator works,
                                    > 0 and at most ``labour.max_shift_hours`` (that figure)
``days_unavailable``       no       dates ``YYYY-MM-DD`` or ranges ``YYYY-MM-DD..YYYY-MM-DD``,
                                    ``;``-separated; dates outside the horizon match no day
``preferred_days_off``     no       weekday names (``sat``) or dates, ``;``-separated
``preferred_start_window`` no       ``HH:MM-HH:MM``: earliest and latest preferred start
``overtime_hours_this_month`` no    overtime (h) already worked before the horizon in the
                                    month of its first day, 0 to
                                    ``labour.max_overtime_hours_per_month`` (0)
``overtime_hours_this_year`` no     the same for the year, at least the month's, at most
                                    ``labour.max_overtime_hours_per_year`` (0)
========================== ======== =========================================================

Limits (:mod:`planner.domain.limits`): the file is at most ``MAX_OPERATOR_BYTES`` (checked before
it is read when :func:`load_operators` reads it) and lists at most ``MAX_OPERATOR_ROWS``
operators; dates lie in 2000-01-01 .. 2100-12-31 and a range spans at most
``MAX_DATE_RANGE_DAYS`` days; the roster these operators make (operators x horizon days x their
pool's shift options) is at most ``MAX_ROSTER_CELLS``, checked before each operator is read.

In YAML, list fields may also be written as lists. Every problem is reported at once, naming
the row (``row 7`` counts the CSV header as row 1; ``[6]`` is the seventh YAML item), the field,
the value and the rule, as for scenario files.

When a scenario names no operators file, :func:`generate_operators` makes anonymous operators
from the pools' headcounts, so every scenario can be rostered.
"""

from __future__ import annotations

import difflib
import io
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.domain import limits
from planner.domain.checks import roster_size_issues
from planner.domain.operators import Operator
from planner.domain.scenario import Scenario
from planner.errors import MISSING, InputIssue, ScenarioError
from planner.io.files import FileTooLarge, read_regular_file
from planner.io.yaml_strict import read_yaml
from planner.timegrid import WEEKDAYS, clock_label, parse_clock

__all__ = [
    "OPERATOR_COLUMNS",
    "load_operators",
    "operators_table",
    "operators_to_csv",
    "parse_operators",
]

OPERATOR_COLUMNS = (
    "id",
    "name",
    "pool",
    "skills",
    "contract_hours_per_week",
    "max_shift_hours",
    "days_unavailable",
    "preferred_days_off",
    "preferred_start_window",
    "overtime_hours_this_month",
    "overtime_hours_this_year",
)
_REQUIRED = ("id", "pool")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------


def load_operators(path: str | os.PathLike[str], scenario: Scenario) -> tuple[Operator, ...]:
    """Read and validate an operators file (CSV, or YAML by its ``.yaml``/``.yml`` suffix).

    Raises
    ------
    ScenarioError
        Naming the file, and for every problem the row, the field, the value and the rule.
    """
    path = Path(path)
    try:
        raw = read_regular_file(path, max_bytes=limits.MAX_OPERATOR_BYTES)
    except FileTooLarge as exc:
        raise ScenarioError.single(
            str(path), "(file)", f"{exc.size:,} bytes", f"is too large: at most {exc.limit:,} bytes"
        ) from None
    except OSError as exc:
        raise ScenarioError.single(
            str(path), "(file)", MISSING, f"cannot be read: {exc.strerror}"
        ) from None
    try:
        operators, issues = parse_operators(raw, path.name, scenario)
    except UnicodeDecodeError as exc:
        raise ScenarioError.single(
            str(path),
            "(file)",
            MISSING,
            f"is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at position {exc.start}); "
            "save it as UTF-8",
        ) from None
    if issues:
        raise ScenarioError(str(path), issues)
    return operators


def parse_operators(
    raw: bytes | str, name: str, scenario: Scenario
) -> tuple[tuple[Operator, ...], list[InputIssue]]:
    """Parse operators from a file's content; ``name`` (its file name) picks CSV or YAML.

    Returns the operators (empty when there are issues) and every issue found.
    """
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8"))
    if size > limits.MAX_OPERATOR_BYTES:
        rule = f"is too large: at most {limits.MAX_OPERATOR_BYTES:,} bytes"
        return (), [InputIssue("(file)", f"{size:,} bytes", rule)]
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    if name.lower().endswith((".yaml", ".yml")):
        records, issues = _yaml_records(text, name)
    else:
        records, issues = _csv_records(text)
    if issues:
        return (), issues
    if len(records) > limits.MAX_OPERATOR_ROWS:
        rule = f"lists too many operators: at most {limits.MAX_OPERATOR_ROWS:,}"
        return (), [InputIssue("(file)", f"more than {limits.MAX_OPERATOR_ROWS:,}", rule)]
    per_pool = Counter(r.get("pool") for _, r in records if isinstance(r.get("pool"), str))
    issues = list(roster_size_issues(scenario, dict(per_pool), "(file)"))
    if issues:
        return (), issues
    operators, issues = [], []
    for where, record in records:
        operator, problems = _read_operator(record, where, scenario)
        issues += problems
        if operator is not None:
            operators.append(operator)
    issues += _check_unique_ids(records)
    if not records:
        issues.append(InputIssue("(file)", MISSING, "lists no operators"))
    return (tuple(operators) if not issues else ()), issues


def _csv_records(text: str) -> tuple[list[tuple[str, dict]], list[InputIssue]]:
    try:
        table = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, nrows=limits.MAX_OPERATOR_ROWS + 1
        )
    except (ValueError, pd.errors.ParserError) as exc:
        return [], [InputIssue("(file)", MISSING, f"is not a readable CSV: {exc}")]
    columns = [str(c).strip() for c in table.columns]
    issues = []
    missing = [c for c in _REQUIRED if c not in columns]
    unknown = [c for c in columns if c not in OPERATOR_COLUMNS]
    if missing:
        issues.append(InputIssue("columns", columns, f"missing column(s) {missing}"))
    if unknown:
        issues.append(
            InputIssue(
                "columns", unknown, f"unknown column(s); allowed: {', '.join(OPERATOR_COLUMNS)}"
            )
        )
    if issues:
        return [], issues
    table.columns = columns
    records = [
        (f"row {index + 2}", {k: v.strip() for k, v in row.items() if v.strip() != ""})
        for index, row in enumerate(table.to_dict("records"))
    ]
    return records, []


def _yaml_records(text: str, name: str) -> tuple[list[tuple[str, dict]], list[InputIssue]]:

    try:
        data = read_yaml(text, name, max_bytes=limits.MAX_OPERATOR_BYTES)
    except ScenarioError as exc:
        return [], list(exc.issues)
    if isinstance(data, Mapping) and set(data) == {"operators"}:
        data = data["operators"]
    if not isinstance(data, list):
        return [], [
            InputIssue("(top level)", MISSING, "must be a list of operators (or operators: [...])")
        ]
    records, issues = [], []
    for k, item in enumerate(data):
        if not isinstance(item, Mapping):
            issues.append(InputIssue(f"[{k}]", item, "must be a mapping of fields (key: value)"))
            continue
        unknown = [str(key) for key in item if key not in OPERATOR_COLUMNS]
        for key in unknown:
            close = [c for c in OPERATOR_COLUMNS if c.startswith(key)]
            close = close or difflib.get_close_matches(key, OPERATOR_COLUMNS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            issues.append(
                InputIssue(
                    f"[{k}].{key}",
                    MISSING,
                    f"unknown field{hint}; allowed: {', '.join(OPERATOR_COLUMNS)}",
                )
            )
        records.append((f"[{k}]", {key: v for key, v in item.items() if v is not None}))
    return records, issues


def _check_unique_ids(records: list[tuple[str, dict]]) -> Iterator[InputIssue]:
    seen: dict[str, str] = {}
    for where, record in records:
        ident = record.get("id")
        if not isinstance(ident, str):
            continue
        if ident in seen:
            yield InputIssue(f"{where}, id", ident, f"is used twice (first at {seen[ident]})")
        else:
            seen[ident] = where


def _read_operator(
    record: Mapping[str, Any], where: str, scenario: Scenario
) -> tuple[Operator | None, list[InputIssue]]:
    """One operator from its raw fields; every problem as an issue ``where, field``."""
    issues: list[InputIssue] = []

    def issue(field: str, value: Any, rule: str) -> None:
        issues.append(
            InputIssue(f"{where}, {field}" if where[0] != "[" else f"{where}.{field}", value, rule)
        )

    for field in _REQUIRED:
        if field not in record:
            issue(field, MISSING, "is required")
    ident = record.get("id")
    if ident is not None and not (isinstance(ident, str) and _ID.match(ident) and len(ident) <= 64):
        issue("id", ident, "must be a name: a letter, then letters, digits, '_', '.' or '-'")
    name = record.get("name", ident if isinstance(ident, str) else "")
    if not isinstance(name, str):
        issue("name", name, "must be text")
    pool_names = [p.name for p in scenario.pools]
    pool = None
    if "pool" in record:
        if record["pool"] in pool_names:
            pool = scenario.pool(record["pool"])
        else:
            close = difflib.get_close_matches(str(record["pool"]), pool_names, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            issue("pool", record["pool"], f"names no pool{hint}; known: {', '.join(pool_names)}")

    skills: tuple[str, ...] = tuple(pool.skills) if pool else ()
    if "skills" in record:
        listed = _as_list(record["skills"])
        if listed is None or not listed:
            issue("skills", record["skills"], 'must be queue names separated by ";"')
        elif pool is not None:
            bad = [s for s in listed if s not in pool.skills]
            if bad:
                issue(
                    "skills",
                    record["skills"],
                    f"{', '.join(bad)} is not a skill of pool {pool.name} "
                    f"({', '.join(pool.skills)}); an operator works only their pool's queues",
                )
            elif len(set(listed)) != len(listed):
                issue("skills", record["skills"], "lists a queue twice")
            else:
                skills = tuple(listed)

    contract = pool.max_hours_per_week if pool else 0.0
    if "contract_hours_per_week" in record:
        value = _as_number(record["contract_hours_per_week"])
        if value is None or value <= 0:
            issue(
                "contract_hours_per_week", record["contract_hours_per_week"], "must be a number > 0"
            )
        elif pool is not None and value > pool.max_hours_per_week:
            issue(
                "contract_hours_per_week",
                record["contract_hours_per_week"],
                f"exceeds the max_hours_per_week of pool {pool.name} "
                f"({pool.max_hours_per_week:g} h), which the shift plan is sized with",
            )
        else:
            contract = value

    longest = scenario.labour.max_shift_hours
    max_shift = longest
    if "max_shift_hours" in record:
        value = _as_number(record["max_shift_hours"])
        if value is None or value <= 0:
            issue("max_shift_hours", record["max_shift_hours"], "must be a number > 0")
        elif value > longest:
            issue(
                "max_shift_hours",
                record["max_shift_hours"],
                f"exceeds labour.max_shift_hours ({longest:g} h)",
            )
        else:
            max_shift = value

    unavailable: list[date] = []
    if "days_unavailable" in record:
        tokens = _as_list(record["days_unavailable"])
        for token in [record["days_unavailable"]] if tokens is None else tokens:
            span = _date_span(token)
            problem = _span_problem(span)
            if problem:
                issue("days_unavailable", token, problem)
            elif span is None:
                issue(
                    "days_unavailable",
                    token,
                    'must be dates YYYY-MM-DD or ranges YYYY-MM-DD..YYYY-MM-DD separated by ";"',
                )
            else:
                unavailable += span

    weekdays_off: list[str] = []
    dates_off: list[date] = []
    if "preferred_days_off" in record:
        tokens = _as_list(record["preferred_days_off"])
        for token in [record["preferred_days_off"]] if tokens is None else tokens:
            if isinstance(token, str) and token.strip().lower() in WEEKDAYS:
                weekdays_off.append(token.strip().lower())
            elif (day := _as_date(token)) is not None and _span_problem([day]):
                issue("preferred_days_off", token, _span_problem([day]))
            elif day is not None:
                dates_off.append(day)
            else:
                issue(
                    "preferred_days_off",
                    token,
                    f"must be weekday names ({', '.join(WEEKDAYS)}) or dates YYYY-MM-DD "
                    'separated by ";"',
                )

    window = None
    if "preferred_start_window" in record:
        window, problem = _start_window(record["preferred_start_window"])
        if problem:
            issue("preferred_start_window", record["preferred_start_window"], problem)

    used = {}
    labour = scenario.labour
    caps = {
        "overtime_hours_this_month": labour.max_overtime_hours_per_month,
        "overtime_hours_this_year": labour.max_overtime_hours_per_year,
    }
    for field, cap in caps.items():
        used[field] = 0.0
        if field not in record:
            continue
        value = _as_number(record[field])
        if value is None or not 0 <= value <= cap:
            rule = field.replace("overtime_hours_this_", "max_overtime_hours_per_")
            issue(field, record[field], f"must be a number from 0 to labour.{rule} ({cap:g} h)")
        else:
            used[field] = float(value)
    if used["overtime_hours_this_year"] < used["overtime_hours_this_month"]:
        issue(
            "overtime_hours_this_year",
            record.get("overtime_hours_this_year", 0),
            "must be at least overtime_hours_this_month "
            f"({used['overtime_hours_this_month']:g} h): the month is part of the year",
        )

    if issues:
        return None, issues
    return (
        Operator(
            id=ident,
            name=name,
            pool=pool.name,
            skills=skills,
            contract_hours_per_week=float(contract),
            max_shift_hours=float(max_shift),
            days_unavailable=tuple(sorted(set(unavailable))),
            preferred_weekdays_off=tuple(d for d in WEEKDAYS if d in weekdays_off),
            preferred_dates_off=tuple(sorted(set(dates_off))),
            preferred_start_window=window,
            **used,
        ),
        [],
    )


def _as_list(value: Any) -> list | None:
    """``"a;b"`` or ``["a", "b"]`` -> ``["a", "b"]``; anything else None."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, list | tuple):
        return [v.strip() if isinstance(v, str) else v for v in value]
    if isinstance(value, date):
        return [value]
    return None


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return number if np.isfinite(number) else None


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _date_span(token: Any) -> list[date] | None:
    """A date or an inclusive range ``first..last`` as its list of dates; None if unreadable.

    A range longer than ``MAX_DATE_RANGE_DAYS`` is not expanded: only its two ends are returned,
    which :func:`_span_problem` refuses."""
    if isinstance(token, str) and ".." in token:
        first, _, last = token.partition("..")
        a, b = _as_date(first), _as_date(last)
        if a is None or b is None or b < a:
            return None
        if (b - a).days >= limits.MAX_DATE_RANGE_DAYS:
            return [a, b]
        return [a + timedelta(days=k) for k in range((b - a).days + 1)]
    day = _as_date(token)
    return None if day is None else [day]


def _span_problem(span: list[date] | None) -> str | None:
    """Why dates read from the file are refused (out of 2000..2100, or a range over the limit)."""
    if not span:
        return None
    if span[0] < limits.DATE_MIN or span[-1] > limits.DATE_MAX:
        return f"must lie between {limits.DATE_MIN} and {limits.DATE_MAX}"
    if (span[-1] - span[0]).days >= limits.MAX_DATE_RANGE_DAYS:
        return (
            f"a range spans at most {limits.MAX_DATE_RANGE_DAYS} days; write several ranges "
            "for a longer absence"
        )
    return None


def _start_window(value: Any) -> tuple[tuple[int, int] | None, str | None]:
    rule = 'must be "HH:MM-HH:MM" (earliest and latest preferred start)'
    if not isinstance(value, str) or value.count("-") != 1:
        return None, rule
    first, last = value.split("-")
    try:
        lo, hi = parse_clock(first), parse_clock(last)
    except ValueError:
        return None, rule
    if hi < lo:
        return None, f"the latest start {clock_label(hi)} is before the earliest {clock_label(lo)}"
    return (lo, hi), None


# --------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------


def operators_table(operators: Sequence[Operator]) -> pd.DataFrame:
    """Operators as a table with :data:`OPERATOR_COLUMNS` (lists ``;``-separated), as in a CSV."""
    rows = []
    for op in operators:
        window = op.preferred_start_window
        rows.append(
            {
                "id": op.id,
                "name": op.name,
                "pool": op.pool,
                "skills": ";".join(op.skills),
                "contract_hours_per_week": op.contract_hours_per_week,
                "max_shift_hours": op.max_shift_hours,
                "days_unavailable": _dates_text(op.days_unavailable),
                "preferred_days_off": ";".join(
                    [*op.preferred_weekdays_off, *(d.isoformat() for d in op.preferred_dates_off)]
                ),
                "preferred_start_window": ""
                if window is None
                else f"{clock_label(window[0])}-{clock_label(window[1])}",
                "overtime_hours_this_month": op.overtime_hours_this_month,
                "overtime_hours_this_year": op.overtime_hours_this_year,
            }
        )
    return pd.DataFrame(rows, columns=list(OPERATOR_COLUMNS))


def operators_to_csv(operators: Sequence[Operator]) -> bytes:
    """Operators as CSV that :func:`load_operators` reads back to the same operators."""
    return operators_table(operators).to_csv(index=False, float_format="%g").encode("utf-8")


def _dates_text(days: Sequence[date]) -> str:
    """Dates ``;``-separated, runs of consecutive dates as ``first..last``."""
    parts, run = [], []
    for day in sorted(days):
        if run and (day - run[-1]).days == 1:
            run.append(day)
            continue
        if run:
            parts.append(_run_text(run))
        run = [day]
    if run:
        parts.append(_run_text(run))
    return ";".join(parts)


def _run_text(run: list[date]) -> str:
    if len(run) == 1:
        return run[0].isoformat()
    return f"{run[0].isoformat()}..{run[-1].isoformat()}"
