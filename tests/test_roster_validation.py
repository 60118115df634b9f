"""The solver-free roster validator: a valid roster passes; each hard rule, broken alone, is
reported under its name; it needs no solver."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from planner.domain.roster import ROSTER_COLUMNS
from planner.io.plan_tables import plan_from_tables
from planner.validate.roster import ROSTER_RULES, validate_roster
from tests.test_roster_rules import MONDAY, micro, op, plan, shift

REPO = Path(__file__).resolve().parents[1]
SCENARIO = micro()
OPERATORS = [
    op("x", contract_hours_per_week=40),
    op("y", max_shift_hours=8, days_unavailable=(MONDAY + timedelta(days=6),)),
]


def row(operator: str, day: int, kind: str = "day", start: str = "09:00", **changes):
    """A roster row for one shift of template ``kind``, as the roster writes it."""
    values = shift(day, kind, start=start)
    out = {
        "operator": operator,
        "pool": values["pool"],
        "day": values["day"],
        "start": values["start"],
        "end": values["end"],
        "breaks": values["breaks"],
        "paid_hours": values["paid_hours"],
        "name": operator,
        "template": kind,
    }
    out.update(changes)
    return out


def table(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=[*ROSTER_COLUMNS, "name", "template"])


VALID = table(
    row("x", 0, "long"),
    row("x", 2, "long"),
    row("x", 4, "long"),
    row("y", 0),
    row("y", 1),
    row("y", 3),
)


def broken(roster: pd.DataFrame, scenario=SCENARIO, operators=OPERATORS) -> list[str]:
    report = validate_roster(scenario, operators, roster)
    return sorted({v.rule for v in report.violations})


def test_a_valid_roster_passes_every_rule():
    report = validate_roster(SCENARIO, OPERATORS, VALID)
    assert report.ok, report.summary()
    assert report.rules_checked == tuple(n for n in ROSTER_RULES if n != "plan_accounted")
    assert report.summary() == "valid: 14 hard rules checked, none broken"


@pytest.mark.parametrize(
    ("rows", "rule"),
    [
        ([row("x", 0), row("x", 0, start="12:00")], "one_shift_per_day"),
        ([row("x", 0, pool="other")], "roster_values"),
        ([row("nobody", 0)], "roster_values"),
        ([row("x", 9)], "roster_values"),
        ([row("x", 0, end="9pm")], "roster_values"),
        ([row("y", 6)], "availability"),
        ([row("y", 0, "long")], "max_shift_length"),
        ([row("x", 0, paid_hours=5.0)], "paid_hours_consistent"),
        ([row("x", 0, breaks="08:00-08:30")], "paid_hours_consistent"),
        ([row("x", d, "long") for d in (0, 2, 4)] + [row("x", 6)], "weekly_hours"),
        ([row("x", 0, "long"), row("x", 1, "long")], "no_consecutive_long_shifts"),
        ([row("y", d, "short") for d in range(6)], "days_off_per_week"),
    ],
)
def test_each_rule_broken_alone_is_reported_under_its_name(rows, rule):
    assert broken(table(*rows)) == [rule]


def test_the_pool_must_be_the_operator_s_and_every_open_skill_held():
    scenario = micro(
        queues=[
            {"name": "a", "aht_seconds": 300, "demand": {"calls_per_day": 100}},
            {"name": "b", "aht_seconds": 300, "demand": {"calls_per_day": 100}},
        ],
        pools=[
            {**micro().pools[0].model_dump(mode="json"), "skills": ["a", "b"]},
            {**micro().pools[0].model_dump(mode="json"), "name": "other"},
        ],
    )
    assert broken(table(row("x", 0)), scenario) == ["pool_and_skills"]  # lacks b
    assert broken(table(row("x", 0, pool="other")), scenario) == ["pool_and_skills"]


def test_rest_and_consecutive_days_are_checked_across_weeks():
    flat = [{"name": "a", "aht_seconds": 300, "demand": {"calls_per_day": 100, "profile": "flat"}}]
    scenario = micro(horizon={"window_start": "06:00", "window_end": "24:00"}, queues=flat)
    rows = [row("x", 0, start="14:00"), row("x", 1, start="06:00")]
    assert broken(table(*rows), scenario) == ["min_rest"]
    long_run = micro(horizon={"days": 14}, labour={"min_days_off_per_week": 0})
    seven = table(*(row("x", d, "short") for d in range(3, 10)))
    assert broken(seven, long_run) == ["max_consecutive_days"]
    report = validate_roster(long_run, OPERATORS, seven)
    assert str(report.violations[0]) == (
        "max_consecutive_days at operator x, 2024-01-04..2024-01-10: 7 days in a row; at most 6"
    )


def test_every_planned_shift_is_rostered_or_reported_unassigned():
    shifts = plan(shift(0, "day", agents=2), shift(1, "day"))
    roster = table(row("x", 0), row("y", 0))
    unassigned = pd.DataFrame(
        [{**shift(1, "day"), "reason": "no operator"}],
        columns=["day", "pool", "template", "start", "end", "breaks", "paid_hours", "reason"],
    )
    report = validate_roster(
        SCENARIO, OPERATORS, roster, plan=plan_from_tables(SCENARIO, shifts), unassigned=unassigned
    )
    assert report.ok, report.summary()
    dropped = validate_roster(
        SCENARIO,
        OPERATORS,
        roster.iloc[:1],
        plan=plan_from_tables(SCENARIO, shifts),
        unassigned=unassigned,
    )
    (violation,) = dropped.violations
    assert violation.rule == "plan_accounted"
    assert "planned 2 shift(s)" in violation.detail and "1 rostered or reported" in violation.detail
    extra = pd.concat([roster, table(row("x", 3))])
    report = validate_roster(
        SCENARIO, OPERATORS, extra, plan=plan_from_tables(SCENARIO, shifts), unassigned=unassigned
    )
    assert [v.rule for v in report.violations] == ["plan_accounted"]


def test_a_roster_read_back_from_csv_validates_the_same():
    buffer = io.StringIO(VALID.to_csv(index=False))
    again = pd.read_csv(buffer)  # days as text, empty breaks as NaN
    assert validate_roster(SCENARIO, OPERATORS, again).ok
    missing = again.drop(columns="breaks")
    with pytest.raises(ValueError, match="lacks column"):
        validate_roster(SCENARIO, OPERATORS, missing)


def test_messages_name_the_row_operator_day_and_numbers():
    report = validate_roster(SCENARIO, OPERATORS, table(*(row("y", d, "short") for d in range(6))))
    assert str(report.violations[0]) == (
        "days_off_per_week at operator y, week 1 (2024-01-01..2024-01-07): works 6 of 7 days; "
        "at most 5 leave 2 days off"
    )
    report = validate_roster(SCENARIO, OPERATORS, table(row("x", 0, paid_hours="many")))
    assert str(report.violations[0]) == (
        "roster_values at roster row 0 (x, 2024-01-01, 09:00-17:00): paid_hours 'many' is not "
        "a number >= 0"
    )


def test_the_validator_does_not_import_the_solver():
    code = (
        "import sys; import planner.validate.roster, planner.io.operators_file, "
        "planner.domain.roster; assert 'ortools' not in sys.modules, 'ortools imported'"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_days_are_read_from_dates_timestamps_and_text():
    for day in (date(2024, 1, 1), pd.Timestamp("2024-01-01"), "2024-01-01"):
        values = row("x", 0)
        values["day"] = day
        assert validate_roster(SCENARIO, OPERATORS, table(values)).ok
