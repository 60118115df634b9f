"""The solver-free validator: a valid plan passes; each hard rule, broken alone, is reported.

Scenarios are tiny and built in code. Plans are built from a few shift rows; the allocation is
derived from them by a naive per-agent loop written here (the reference the validator's
vectorised recomputation is compared with), so that each test changes one thing only.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planner.domain.plan import ALLOCATION_COLUMNS, SHIFT_COLUMNS, ValidationReport, Violation
from planner.domain.scenario import Scenario
from planner.io.scenario_file import parse_scenario
from planner.labour import POOL_LIMIT_RULES, pool_limits
from planner.timegrid import clock_label, parse_clock
from planner.validate.plan import (
    HARD_RULES,
    on_duty_from_shifts,
    staffed_from_allocation,
    validate_tables,
)

MONDAY = date(2022, 1, 10)
PLAN_RULES = tuple(name for name in HARD_RULES if name != "coverage_consistent")

# --------------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------------

TEMPLATES = [
    {
        "name": "half_4h",
        "length_minutes": 240,
        "breaks": [
            {
                "name": "tea",
                "length_minutes": 15,
                "earliest_start_after_minutes": 60,
                "latest_start_after_minutes": 90,
            },
            {
                "name": "rest",
                "length_minutes": 15,
                "earliest_start_after_minutes": 150,
                "latest_start_after_minutes": 180,
            },
        ],
    },
    {
        "name": "short_3h",
        "length_minutes": 180,
        "breaks": [
            {
                "name": "tea",
                "length_minutes": 15,
                "earliest_start_after_minutes": 60,
                "latest_start_after_minutes": 120,
            }
        ],
    },
    {"name": "part_2h", "length_minutes": 120, "part_time": True},
]


def tiny_data(days: int = 1, **changes) -> dict:
    """09:00-13:00 in 15-minute intervals; a consulting and an emergency line (floor 1 agent);
    a consulting team, an emergency team, and borrowed staff with both skills."""
    data = {
        "schema_version": 1,
        "name": "tiny",
        "horizon": {
            "start_date": MONDAY.isoformat(),
            "days": days,
            "window_start": "09:00",
            "window_end": "13:00",
            "interval_minutes": 15,
        },
        "queues": [
            {"name": "consulting", "aht_seconds": 300},
            {"name": "emergency", "aht_seconds": 420, "min_agents": 1},
        ],
        "shift_templates": TEMPLATES,
        "pools": [
            {
                "name": "consulting_team",
                "skills": ["consulting"],
                "headcount": 3,
                "shift_templates": ["half_4h", "part_2h"],
                "max_part_time_share": 0.5,
            },
            {
                "name": "emergency_team",
                "skills": ["emergency"],
                "headcount": 2,
                "shift_templates": ["half_4h", "part_2h"],
            },
            {
                "name": "borrowed",
                "skills": ["consulting", "emergency"],
                "headcount": 2,
                "shift_templates": ["short_3h"],
                "borrowed": True,
            },
        ],
    }
    data.update(changes)
    # Every interval its own routing block, so the borrowed agents may change line at any
    # interval and each test below breaks one rule only (test_allocation_blocks sets 60).
    data.setdefault("routing", {"block_minutes": data["horizon"]["interval_minutes"]})
    return data


def week_data(**changes) -> dict:
    """Nine days from Monday 2022-01-10 (two weekly blocks: 7 days, then 2); consulting is
    closed at the weekend and, like emergency, never left without an agent when open."""
    data = tiny_data(
        days=9,
        operating_modes=[
            {
                "name": "weekend_emergency_only",
                "weekdays": ["sat", "sun"],
                "closed_queues": ["consulting"],
            }
        ],
    )
    data["queues"][0]["min_agents"] = 1
    data.update(changes)
    return data


def set_pool(data: dict, pool: str, **fields) -> dict:
    next(p for p in data["pools"] if p["name"] == pool).update(fields)
    return data


# --------------------------------------------------------------------------------------------------
# Plans: shift rows in, tables out (end, paid hours from the template), allocation by a naive loop
# --------------------------------------------------------------------------------------------------


def make_shifts(scenario: Scenario, rows: list[tuple]) -> pd.DataFrame:
    """Rows ``(day, pool, template, start, breaks, agents)`` as a shifts table."""
    records = []
    for day, pool, template, start, breaks, agents in rows:
        t = scenario.template(template)
        unpaid = sum(b.length_minutes for b in t.breaks if not b.paid)
        end = clock_label(parse_clock(start) + t.length_minutes)
        paid = agents * (t.length_minutes - unpaid) / 60
        records.append((day, pool, template, start, end, breaks, agents, paid))
    return pd.DataFrame(records, columns=list(SHIFT_COLUMNS))


def naive_on_duty(scenario: Scenario, shifts: pd.DataFrame) -> np.ndarray:
    """Reference: one agent at a time, one interval at a time, on shift and not on a break."""
    grid = scenario.grid
    pools = [p.name for p in scenario.pools]
    out = np.zeros((len(pools), grid.days, grid.intervals_per_day), dtype=np.int64)
    for row in shifts.itertuples():
        start, end = parse_clock(row.start), parse_clock(row.end)
        spans = row.breaks.split(";") if isinstance(row.breaks, str) and row.breaks else []
        breaks = [tuple(parse_clock(x) for x in span.split("-")) for span in spans]
        p, d = pools.index(row.pool), grid.dates.index(row.day)
        for _agent in range(int(row.agents)):
            for i, label in enumerate(grid.interval_labels):
                t = parse_clock(label)
                if start <= t < end and not any(b0 <= t < b1 for b0, b1 in breaks):
                    out[p, d, i] += 1
    return out


def allocate(scenario: Scenario, shifts: pd.DataFrame, rng=None) -> pd.DataFrame:
    """Split every pool's agents on duty among its open queues.

    Dedicated pools first; a flexible agent goes to a queue below its ``min_agents`` if any,
    else to the first open queue it serves (or, with ``rng``, to a random one).
    """
    grid = scenario.grid
    duty = naive_on_duty(scenario, shifts)
    is_open = scenario.open_matrix()
    staffed = {q.name: np.zeros((grid.days, grid.intervals_per_day), int) for q in scenario.queues}
    floor = {q.name: q.min_agents for q in scenario.queues}
    rows = []
    order = sorted(range(len(scenario.pools)), key=lambda p: len(scenario.pools[p].skills))
    for p in order:
        pool = scenario.pools[p]
        for d, i in zip(*np.nonzero(duty[p]), strict=True):
            skills = [q for q in pool.skills if is_open[q][d]] or pool.skills[:1]
            split = Counter()
            for _agent in range(duty[p, d, i]):
                short = [q for q in skills if staffed[q][d, i] + split[q] < floor[q]]
                if short:
                    split[short[0]] += 1
                elif rng is not None:
                    split[skills[rng.integers(len(skills))]] += 1
                else:
                    split[skills[0]] += 1
            for q, agents in split.items():
                staffed[q][d, i] += agents
                rows.append((grid.dates[d], grid.interval_labels[i], pool.name, q, agents))
    table = pd.DataFrame(rows, columns=list(ALLOCATION_COLUMNS))
    return table.sort_values(["day", "interval_start", "pool", "queue"], ignore_index=True)


TINY_ROWS = [
    (MONDAY, "consulting_team", "half_4h", "09:00", "10:00-10:15;11:30-11:45", 2),
    (MONDAY, "consulting_team", "part_2h", "09:00", "", 1),
    (MONDAY, "emergency_team", "half_4h", "09:00", "10:15-10:30;11:45-12:00", 1),
    # on duty for emergency while the emergency team is on its breaks
    (MONDAY, "borrowed", "short_3h", "09:30", "10:45-11:00", 1),
]


def week_rows(monday: date = MONDAY, days: int = 9) -> list[tuple]:
    rows = []
    for k in range(days):
        day = monday + timedelta(days=k)
        if day.weekday() < 5:
            rows += [
                (day, "consulting_team", "half_4h", "09:00", "10:00-10:15;11:30-11:45", 1),
                (day, "consulting_team", "half_4h", "09:00", "10:30-10:45;12:00-12:15", 1),
            ]
        rows += [
            (day, "emergency_team", "half_4h", "09:00", "10:15-10:30;11:45-12:00", 1),
            (day, "borrowed", "short_3h", "09:30", "10:45-11:00", 1),
        ]
    return rows


def plan(scenario: Scenario, rows: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame]:
    shifts = make_shifts(scenario, rows)
    return shifts, allocate(scenario, shifts)


@pytest.fixture(scope="module")
def tiny() -> Scenario:
    return parse_scenario(tiny_data())


@pytest.fixture(scope="module")
def week() -> Scenario:
    return parse_scenario(week_data())


def only(report: ValidationReport, rule: str, *, also: tuple[str, ...] = ()) -> list[Violation]:
    """The violations of ``rule``, after checking that no other rule (but those ``also``
    broken by the same change) is broken."""
    assert report.rules_checked[: len(PLAN_RULES)] == PLAN_RULES
    broken = {v.rule for v in report.violations}
    assert rule in broken and broken <= {rule, *also}, report.summary()
    return [v for v in report.violations if v.rule == rule]


def wheres(violations: list[Violation]) -> list[str]:
    return [v.where for v in violations]


# --------------------------------------------------------------------------------------------------
# Valid plans
# --------------------------------------------------------------------------------------------------


def test_the_valid_tiny_plan_passes_every_rule(tiny):
    shifts, allocation = plan(tiny, TINY_ROWS)
    report = validate_tables(tiny, shifts, allocation)
    assert report.ok, report.summary()
    assert report.rules_checked == PLAN_RULES
    coverage = staffed_from_allocation(tiny, allocation)
    report = validate_tables(tiny, shifts, allocation, coverage)
    assert report.ok, report.summary()
    assert report.rules_checked == tuple(HARD_RULES)


def test_the_valid_week_plan_passes_every_rule(week):
    shifts, allocation = plan(week, week_rows())
    report = validate_tables(week, shifts, allocation)
    assert report.ok, report.summary()


def test_a_plan_read_back_from_csv_passes(week):
    """shifts.csv and allocation.csv: dates become text, an empty breaks cell becomes NaN."""
    shifts, allocation = plan(
        week, [*week_rows(), (MONDAY, "consulting_team", "part_2h", "09:00", "", 1)]
    )
    shifts = pd.read_csv(io.StringIO(shifts.to_csv(index=False)))
    allocation = pd.read_csv(io.StringIO(allocation.to_csv(index=False)))
    assert shifts["breaks"].isna().any()
    report = validate_tables(week, shifts, allocation)
    assert report.ok, report.summary()


@pytest.mark.parametrize(
    "as_day",
    [
        pytest.param(lambda days: days.map(date.isoformat), id="text"),
        pytest.param(lambda days: pd.to_datetime(days), id="datetime64"),
        pytest.param(lambda days: days.map(pd.Timestamp), id="timestamps"),
    ],
)
def test_days_may_be_dates_text_or_timestamps(week, as_day):
    shifts, allocation = plan(week, week_rows())
    shifts["day"] = as_day(shifts["day"])
    allocation["day"] = as_day(allocation["day"])
    assert validate_tables(week, shifts, allocation).ok


def test_an_empty_plan_fails_only_the_staffing_floor(tiny):
    shifts = pd.DataFrame(columns=list(SHIFT_COLUMNS))
    allocation = pd.DataFrame(columns=list(ALLOCATION_COLUMNS))
    violations = only(validate_tables(tiny, shifts, allocation), "queue_min_agents")
    assert len(violations) == tiny.grid.intervals_per_day  # emergency, every interval


def test_the_pool_limits_are_rules_of_both_the_optimiser_and_the_validator():
    from planner.shiftplan.rules import HARD_RULES as MODEL_RULES

    assert set(POOL_LIMIT_RULES) <= set(HARD_RULES)
    assert set(POOL_LIMIT_RULES) <= {rule.__name__ for rule in MODEL_RULES}


def test_every_rule_states_itself_and_needs_no_solver():
    for name, rule in HARD_RULES.items():
        assert rule.__name__ == name
        doc = " ".join((rule.__doc__ or "").split()).lower()  # business words, then the algebra
        assert name == "table_values" or "for every" in doc, name
    code = "import sys, planner.validate.plan; sys.exit('ortools' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --------------------------------------------------------------------------------------------------
# table_values
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("start", "9h00", "is not a clock time"),
        ("end", "25:00", "is not a clock time"),
        ("breaks", "10:00to10:15", "breaks"),
        ("template", "half_4", "did you mean 'half_4h'"),
        ("agents", 2.5, "not a whole number from 1 to"),
        ("agents", "two", "not a whole number from 1 to"),
        ("paid_hours", "lots", "paid_hours"),
    ],
)
def test_an_unreadable_shift_value_is_reported_once(tiny, column, value, message):
    shifts, allocation = plan(tiny, TINY_ROWS)
    shifts[column] = shifts[column].astype(object)
    shifts.loc[0, column] = value
    (violation,) = only(validate_tables(tiny, shifts, allocation), "table_values")
    assert violation.where.startswith("shift row 0 (day 2022-01-10, pool consulting_team")
    assert message in violation.detail


def test_zero_agents_in_a_shift_row_is_a_table_value(tiny):
    rows = [*TINY_ROWS]
    rows[1] = (*rows[1][:5], 0)
    (violation,) = only(validate_tables(tiny, *plan(tiny, rows)), "table_values")
    assert violation.where == "shift row 1 (day 2022-01-10, pool consulting_team, 09:00-11:00)"
    assert "agents 0 is not a whole number from 1 to 1,000,000,000" in violation.detail


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("day", "2022-01-11", "outside the horizon 2022-01-10..2022-01-10"),
        ("day", "10/01/2022", "is not a date"),
        ("pool", "borowed", "did you mean 'borrowed'"),
    ],
)
def test_a_shift_row_that_cannot_be_placed_is_a_table_value(tiny, column, value, message):
    shifts, allocation = plan(tiny, TINY_ROWS)
    shifts[column] = shifts[column].astype(object)
    shifts.loc[3, column] = value
    report = validate_tables(tiny, shifts, allocation)
    first = report.violations[0]
    assert first.rule == "table_values" and first.where.startswith("shift row 3")
    assert message in first.detail
    # The borrowed agent's allocation now has no shift behind it: that is reported too.
    assert {v.rule for v in report.violations} == {"table_values", "allocation_matches_duty"}


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("interval_start", "09:07", "not an interval start of the window 09:00-13:00"),
        ("interval_start", "13:00", "not an interval start"),
        ("queue", "sales", "names no queue"),
        ("agents", -1, "not a whole number from 0 to"),
    ],
)
def test_an_unreadable_allocation_value_is_reported_once(tiny, column, value, message):
    shifts, allocation = plan(tiny, TINY_ROWS)
    row = allocation.index[allocation["queue"] == "consulting"][0]
    allocation[column] = allocation[column].astype(object)
    allocation.loc[row, column] = value
    (violation,) = only(validate_tables(tiny, shifts, allocation), "table_values")
    assert violation.where.startswith(f"allocation row {row} (day 2022-01-10, ")
    assert message in violation.detail


def test_a_repeated_allocation_key_is_a_table_value(tiny):
    shifts, allocation = plan(tiny, TINY_ROWS)
    row = allocation.index[allocation["agents"] == 3][0]  # consulting team at 09:00
    allocation.loc[row, "agents"] = 2
    allocation = pd.concat([allocation, allocation.loc[[row]].assign(agents=1)], ignore_index=True)
    (violation,) = only(validate_tables(tiny, shifts, allocation), "table_values")
    assert violation.where.startswith(f"allocation row {row} ")
    assert f"rows {row}, {len(allocation) - 1} are for the same day" in violation.detail


def test_a_missing_column_is_a_clear_error(tiny):
    shifts, allocation = plan(tiny, TINY_ROWS)
    with pytest.raises(ValueError, match=r"shifts table lacks column\(s\) breaks;"):
        validate_tables(tiny, shifts.drop(columns="breaks"), allocation)
    with pytest.raises(ValueError, match=r"allocation table lacks column\(s\) queue;"):
        validate_tables(tiny, shifts, allocation.drop(columns="queue"))
    with pytest.raises(
        ValueError, match=r"coverage table lacks column\(s\) interval_start, staffed_agents;"
    ):
        validate_tables(tiny, shifts, allocation, pd.DataFrame(columns=["day", "queue"]))


def test_the_recomputations_refuse_rows_they_cannot_read(tiny):
    shifts, allocation = plan(tiny, TINY_ROWS)
    shifts.loc[2, "start"] = "9:60"
    with pytest.raises(ValueError, match=r"shift row 2 .*start '9:60' is not a clock time"):
        on_duty_from_shifts(tiny, shifts)
    allocation.loc[0, "queue"] = "sales"
    with pytest.raises(ValueError, match=r"allocation row 0 .*names no queue"):
        staffed_from_allocation(tiny, allocation)


# --------------------------------------------------------------------------------------------------
# One test per rule: the smallest change that breaks it, and nothing else
# --------------------------------------------------------------------------------------------------


def test_template_allowed(tiny):
    rows = [*TINY_ROWS]
    rows[3] = (MONDAY, "borrowed", "part_2h", "10:00", "", 1)
    (violation,) = only(validate_tables(tiny, *plan(tiny, rows)), "template_allowed")
    assert violation.where == "shift row 3 (day 2022-01-10, pool borrowed, 10:00-12:00)"
    assert "part_2h is not one of pool borrowed's templates (short_3h)" in violation.detail


def test_shift_start_allowed_a_shift_crossing_the_window_end(tiny):
    rows = [*TINY_ROWS]
    rows[1] = (MONDAY, "consulting_team", "part_2h", "11:30", "", 1)
    (violation,) = only(validate_tables(tiny, *plan(tiny, rows)), "shift_start_allowed")
    assert violation.where == "shift row 1 (day 2022-01-10, pool consulting_team, 11:30-13:30)"
    assert "ends at 13:30, after the window 09:00-13:00" in violation.detail
    assert "not an allowed start of part_2h (09:00-11:00 every 30 min)" in violation.detail


def test_shift_start_allowed_a_start_off_the_template_step(tiny):
    rows = [*TINY_ROWS]
    rows[1] = (MONDAY, "consulting_team", "part_2h", "09:15", "", 1)
    (violation,) = only(validate_tables(tiny, *plan(tiny, rows)), "shift_start_allowed")
    assert (
        violation.detail
        == "start 09:15 is not an allowed start of part_2h (09:00-11:00 every 30 min)"
    )


def test_shift_start_allowed_an_end_that_is_not_start_plus_length(tiny):
    shifts = make_shifts(tiny, TINY_ROWS)
    shifts.loc[1, "end"] = "10:30"
    (violation,) = only(
        validate_tables(tiny, shifts, allocate(tiny, shifts)), "shift_start_allowed"
    )
    assert violation.detail == "end 10:30 is not start + 120 min (11:00)"


@pytest.mark.parametrize(
    ("breaks", "message"),
    [
        # tea may start 60-90 min after 09:00: 09:30 is too early
        (
            "09:30-09:45;11:30-11:45",
            "break 1 (tea) 09:30-09:45 starts 30 min after the shift start, outside its window "
            "60-90 min",
        ),
        ("10:00-10:15", "lists 1 break(s); template half_4h has 2 (tea, rest)"),
        ("10:00-10:30;11:30-11:45", "break 1 (tea) 10:00-10:30 lasts 30 min, not 15"),
        (
            "11:30-11:45;10:00-10:15",
            "break 2 (rest) 10:00-10:15 starts before break 1 ends (11:45)",
        ),
    ],
)
def test_breaks_in_windows(tiny, breaks, message):
    rows = [*TINY_ROWS]
    rows[0] = (*rows[0][:4], breaks, rows[0][5])
    (violation,) = only(validate_tables(tiny, *plan(tiny, rows)), "breaks_in_windows")
    assert violation.where == "shift row 0 (day 2022-01-10, pool consulting_team, 09:00-13:00)"
    assert message in violation.detail


def test_breaks_in_windows_a_break_off_the_grid(tiny):
    rows = [*TINY_ROWS]
    rows[0] = (*rows[0][:4], "10:05-10:20;11:30-11:45", rows[0][5])
    report = validate_tables(tiny, *plan(tiny, rows))
    (violation,) = [v for v in report.violations if v.rule == "breaks_in_windows"]
    assert violation.detail == "break 1 (tea) 10:05-10:20 is not on the 15-minute grid"


def test_paid_hours_consistent(tiny):
    shifts, allocation = plan(tiny, TINY_ROWS)
    shifts.loc[2, "paid_hours"] = 4.0
    (violation,) = only(validate_tables(tiny, shifts, allocation), "paid_hours_consistent")
    assert violation.where.startswith("shift row 2 (day 2022-01-10, pool emergency_team")
    assert violation.detail == (
        "paid_hours is 4, expected 3.5 = 1 agent(s) x (240 min - 30 min unpaid breaks) / 60"
    )


def test_pool_works_open_days(week):
    saturday = MONDAY + timedelta(days=5)
    rows = [*week_rows(), (saturday, "consulting_team", "part_2h", "09:00", "", 1)]
    report = validate_tables(week, *plan(week, rows))
    pool_rule = [v for v in report.violations if v.rule == "pool_works_open_days"]
    assert wheres(pool_rule) == ["pool consulting_team, 2022-01-15"]
    assert "every queue the pool serves (consulting) is closed" in pool_rule[0].detail
    # Its agents, on duty that day, can only have been allocated to the closed queue.
    assert {v.rule for v in report.violations} == {"pool_works_open_days", "closed_queue_unstaffed"}


def test_daily_headcount_after_a_headcount_change(week):
    """The emergency team has 2 operators, 1 of them seconded on Wednesday 2022-01-12 only."""
    change = {
        "pool": "emergency_team",
        "change": -1,
        "from_date": "2022-01-12",
        "to_date": "2022-01-12",
    }
    scenario = parse_scenario(week_data(headcount_changes=[change]))
    extra = [
        (MONDAY + timedelta(days=k), "emergency_team", "part_2h", "11:00", "", 1) for k in (1, 2, 3)
    ]
    shifts, allocation = plan(scenario, week_rows() + extra)
    (violation,) = only(validate_tables(scenario, shifts, allocation), "daily_headcount")
    assert violation.where == "pool emergency_team, 2022-01-12"
    assert violation.detail == "2 agents start, headcount is 1 (2 -1 from headcount_changes)"
    assert validate_tables(week, shifts, allocation).ok  # the same plan without the change


FEWER_SHIFTS_EACH = ("pool_shifts_within_weekly_hours", "pool_working_days")
"""A weekly cap of a few hours also lets each operator work fewer shifts (planner.labour)."""


def test_weekly_paid_hours_in_the_short_last_block():
    """Cap 4 h/week per head, 2 heads: 8 h over the first 7 days and, since a block shorter than
    a week keeps the whole weekly cap of its mean headcount, 4 x 4 / 2 = 8 h over the last 2. The
    emergency team works 24.5 h, then 7 h: only the first block is over, until a second agent
    works the last day (10.5 h). A cap cut to the short block (4 x 4 / 7 = 2.29 h) would have
    flagged the 7 h as well."""
    scenario = parse_scenario(set_pool(week_data(), "emergency_team", max_hours_per_week=4))
    report = validate_tables(scenario, *plan(scenario, week_rows()))
    (first,) = only(report, "weekly_paid_hours", also=FEWER_SHIFTS_EACH)
    assert first.where == "pool emergency_team, week 2022-01-10..2022-01-16"
    last = MONDAY + timedelta(days=8)
    rows = [
        *week_rows(),
        (last, "emergency_team", "half_4h", "09:00", "10:00-10:15;11:30-11:45", 1),
    ]
    report = validate_tables(scenario, *plan(scenario, rows))
    _, violation = only(report, "weekly_paid_hours", also=FEWER_SHIFTS_EACH)
    assert violation.where == "pool emergency_team, week 2022-01-17..2022-01-18"
    assert violation.detail == (
        "10.50 paid hours, cap is 8.00 = 4 h/week x 4 headcount-days / 2 days"
    )


def test_weekly_paid_hours_in_both_blocks():
    """Cap 3.4 h/week per head: 6.8 h in each block; the team works 24.5 h, then 7 h."""
    scenario = parse_scenario(set_pool(week_data(), "emergency_team", max_hours_per_week=3.4))
    report = validate_tables(scenario, *plan(scenario, week_rows()))
    first, last = only(report, "weekly_paid_hours", also=FEWER_SHIFTS_EACH)
    assert first.where == "pool emergency_team, week 2022-01-10..2022-01-16"
    assert first.detail == "24.50 paid hours, cap is 6.80 = 3.4 h/week x 14 headcount-days / 7 days"
    assert last.where == "pool emergency_team, week 2022-01-17..2022-01-18"
    assert last.detail == "7.00 paid hours, cap is 6.80 = 3.4 h/week x 4 headcount-days / 2 days"


# ----- what the labour rules let a whole pool work (planner.labour) -----------------------------


def test_pool_working_days():
    """One emergency operator works all 7 days of week 1: 2 days off are required."""
    scenario = parse_scenario(set_pool(week_data(), "emergency_team", headcount=1))
    (violation,) = only(
        validate_tables(scenario, *plan(scenario, week_rows())), "pool_working_days"
    )
    assert violation.where == "pool emergency_team, 2022-01-10..2022-01-16"
    assert violation.detail == (
        "7 such shifts start; its 1 operator(s) may work at most 5 shifts in all (at most 5 each)"
    )


def test_pool_consecutive_days():
    """No days off required, but at most 3 days in a row: every 4 days of week 1 is one over."""
    data = set_pool(week_data(), "emergency_team", headcount=1)
    data["labour"] = {"min_days_off_per_week": 0, "max_consecutive_days": 3}
    scenario = parse_scenario(data)
    violations = only(
        validate_tables(scenario, *plan(scenario, week_rows())), "pool_consecutive_days"
    )
    assert wheres(violations) == [
        f"pool emergency_team, 2022-01-{first}..2022-01-{first + 3}" for first in (10, 11, 12, 13)
    ]
    assert violations[0].detail.startswith("4 such shifts start; its 1 operator(s) may work at")


def test_pool_shifts_within_weekly_hours():
    """12.5 h a week each: 3 shifts of 3.5 h each fit, so 2 operators work at most 6, though
    their 25 h would hold the week's 7 (24.5 h)."""
    scenario = parse_scenario(set_pool(week_data(), "emergency_team", max_hours_per_week=12.5))
    report = validate_tables(scenario, *plan(scenario, week_rows()))
    (violation,) = only(report, "pool_shifts_within_weekly_hours")
    assert violation.where == "pool emergency_team, 2022-01-10..2022-01-16"
    assert violation.detail == (
        "7 counted such shifts start; shifts paying 3.5 h may count at most 6: what its 2 "
        "operator(s) can work within their weekly hours (at most 3 each)"
    )


def test_pool_long_shift_pairs():
    """4-hour shifts count as long here: two emergency operators, three long shifts on Monday
    and Tuesday together."""
    data = set_pool(week_data(), "consulting_team", headcount=4)
    data["labour"] = {"long_shift_hours": 4}
    scenario = parse_scenario(data)
    assert validate_tables(scenario, *plan(scenario, week_rows())).ok
    extra = (MONDAY, "emergency_team", "half_4h", "09:00", "10:30-10:45;12:00-12:15", 1)
    violations = only(
        validate_tables(scenario, *plan(scenario, [*week_rows(), extra])), "pool_long_shift_pairs"
    )
    assert wheres(violations) == ["pool emergency_team, 2022-01-10..2022-01-11"]
    assert violations[0].detail == (
        "3 such shifts start; its 2 operator(s) may work at most 2 long shifts in all "
        "(at most 1 each)"
    )


def test_part_time_share(tiny):
    rows = [*TINY_ROWS]
    rows[0] = (*rows[0][:5], 1)  # 1 full-time, 2 part-time: 2/3 > 0.5
    rows[1] = (*rows[1][:5], 2)
    (violation,) = only(validate_tables(tiny, *plan(tiny, rows)), "part_time_share")
    assert violation.where == "pool consulting_team, horizon 2022-01-10..2022-01-10"
    assert violation.detail == (
        "2 of 3 agents (0.667) on part-time templates (part_2h); max_part_time_share is 0.5"
    )


def test_part_time_share_at_the_cap_passes(tiny):
    data = set_pool(tiny_data(), "consulting_team", max_part_time_share=1 / 3)
    scenario = parse_scenario(data)
    assert validate_tables(scenario, *plan(scenario, TINY_ROWS)).ok  # 1 of 3 agents


def test_allocation_matches_duty_a_flexible_agent_counted_for_two_queues(tiny):
    shifts, allocation = plan(tiny, TINY_ROWS)
    twice = (allocation["pool"] == "borrowed") & (allocation["interval_start"] == "10:15")
    assert allocation.loc[twice, "queue"].tolist() == ["emergency"]
    extra = allocation[twice].assign(queue="consulting")
    allocation = pd.concat([allocation, extra], ignore_index=True)
    (violation,) = only(validate_tables(tiny, shifts, allocation), "allocation_matches_duty")
    assert violation.where == "pool borrowed, 2022-01-10 10:15"
    assert violation.detail.startswith(
        "2 agent(s) allocated (consulting 1, emergency 1), 1 on duty: more allocated than on duty"
    )


def test_allocation_matches_duty_an_agent_on_a_break(tiny):
    shifts, allocation = plan(tiny, TINY_ROWS)
    at_ten = (allocation["pool"] == "consulting_team") & (allocation["interval_start"] == "10:00")
    assert allocation.loc[at_ten, "agents"].tolist() == [1]  # the other two are on their tea break
    allocation.loc[at_ten, "agents"] = 2
    (violation,) = only(validate_tables(tiny, shifts, allocation), "allocation_matches_duty")
    assert violation.where == "pool consulting_team, 2022-01-10 10:00"
    assert violation.detail.startswith("2 agent(s) allocated (consulting 2), 1 on duty")


def test_allocation_matches_duty_an_agent_left_out(tiny):
    shifts, allocation = plan(tiny, TINY_ROWS)
    late = (allocation["pool"] == "consulting_team") & (allocation["interval_start"] == "12:45")
    (violation,) = only(validate_tables(tiny, shifts, allocation[~late]), "allocation_matches_duty")
    assert violation.where == "pool consulting_team, 2022-01-10 12:45"
    assert violation.detail == "0 agent(s) allocated, 2 on duty: agents on duty left unallocated"


def test_allocation_blocks():
    # With hour-long routing blocks the tiny plan moves a borrowed agent from consulting to
    # emergency at 10:15 (and back at 10:30, and again at 11:45) with nobody coming on duty.
    scenario = parse_scenario(tiny_data(routing={"block_minutes": 60}))
    shifts, allocation = plan(scenario, TINY_ROWS)
    found = only_rule(validate_tables(scenario, shifts, allocation), "allocation_blocks")
    assert [v.where for v in found] == [
        "pool borrowed, 2022-01-10 10:15",
        "pool borrowed, 2022-01-10 10:30",
        "pool borrowed, 2022-01-10 11:45",
    ]
    assert found[0].detail == (
        "allocation changes consulting -1, emergency +1 with 0 agent(s) coming on duty: 1 "
        "agent(s) moved between lines inside a routing block of 60 min"
    )
    # Each interval its own block: the same plan keeps the rule.
    every = parse_scenario(tiny_data(routing={"block_minutes": 15}))
    assert not only_rule(validate_tables(every, shifts, allocation), "allocation_blocks")


def only_rule(report, rule: str) -> list:
    return [v for v in report.violations if v.rule == rule]


def test_allocation_skills(tiny):
    shifts, allocation = plan(tiny, TINY_ROWS)
    row = allocation.index[allocation["pool"] == "consulting_team"][0]
    allocation.loc[row, "queue"] = "emergency"
    (violation,) = only(validate_tables(tiny, shifts, allocation), "allocation_skills")
    assert (
        violation.where
        == f"allocation row {row} (day 2022-01-10, 09:00, pool consulting_team, queue emergency)"
    )
    assert (
        violation.detail
        == "3 agent(s) allocated to emergency; pool consulting_team serves only consulting"
    )


def test_closed_queue_unstaffed_on_a_weekend(week):
    shifts, allocation = plan(week, week_rows())
    saturday = MONDAY + timedelta(days=5)
    # at 11:00 the emergency team and the borrowed agent both serve emergency: move one
    row = allocation.index[
        (allocation["day"] == saturday)
        & (allocation["interval_start"] == "11:00")
        & (allocation["pool"] == "borrowed")
    ][0]
    allocation.loc[row, "queue"] = "consulting"
    (violation,) = only(validate_tables(week, shifts, allocation), "closed_queue_unstaffed")
    assert violation.where == "queue consulting, 2022-01-15"
    assert violation.detail == (
        "agents allocated in 1 interval(s) (11:00-11:00, up to 1 at once) on a day the queue is "
        "closed (operating mode weekend_emergency_only)"
    )


def test_queue_min_agents(tiny):
    shifts, allocation = plan(tiny, TINY_ROWS)
    row = allocation.index[
        (allocation["pool"] == "borrowed") & (allocation["interval_start"] == "10:15")
    ][0]
    allocation.loc[row, "queue"] = "consulting"  # the emergency team is on its tea break
    (violation,) = only(validate_tables(tiny, shifts, allocation), "queue_min_agents")
    assert violation.where == "queue emergency, 2022-01-10 10:15"
    assert violation.detail == "0 agent(s) staffed, min_agents is 1"


def test_queue_min_agents_is_not_required_on_a_closed_day(week):
    """Consulting has a floor of 1 but nobody serves it at the weekend, when it is closed."""
    shifts, allocation = plan(week, week_rows())
    staffed = staffed_from_allocation(week, allocation)
    weekend = staffed["day"].map(lambda d: d.weekday() >= 5)
    assert (staffed.loc[weekend & (staffed["queue"] == "consulting"), "staffed_agents"] == 0).all()
    assert validate_tables(week, shifts, allocation).ok


def test_coverage_consistent(tiny):
    shifts, allocation = plan(tiny, TINY_ROWS)
    coverage = staffed_from_allocation(tiny, allocation)
    assert validate_tables(tiny, shifts, allocation, coverage).ok
    changed = coverage.copy()
    changed.loc[20, "staffed_agents"] += 1  # emergency, 10:00
    (violation,) = only(validate_tables(tiny, shifts, allocation, changed), "coverage_consistent")
    assert violation.where == "queue emergency, 2022-01-10 10:00"
    assert violation.detail == "coverage states 2 staffed, the allocation gives 1"
    missing = coverage.drop(index=[0, 1])
    (violation,) = only(validate_tables(tiny, shifts, allocation, missing), "coverage_consistent")
    assert violation.where == "queue consulting, 2022-01-10"
    assert violation.detail == "2 of 16 intervals have no coverage row (09:00, 09:15)"
    twice = pd.concat([coverage, coverage.iloc[[31]]], ignore_index=True)
    (violation,) = only(validate_tables(tiny, shifts, allocation, twice), "coverage_consistent")
    assert violation.where == "queue emergency, 2022-01-10 12:45"
    assert violation.detail == "2 coverage rows for one interval; give one"
    unreadable = coverage.assign(staffed_agents=coverage["staffed_agents"].astype(object))
    unreadable.loc[3, "staffed_agents"] = "many"
    (violation,) = only(
        validate_tables(tiny, shifts, allocation, unreadable), "coverage_consistent"
    )
    assert violation.where == "coverage row 3 (day 2022-01-10, 09:45, queue consulting)"
    assert violation.detail == "staffed_agents 'many' is not a number"


def test_violations_come_in_rule_order(tiny):
    shifts, allocation = plan(tiny, TINY_ROWS)
    shifts.loc[2, "paid_hours"] = 4.0
    shifts.loc[3, "template"] = "half_4h"
    report = validate_tables(tiny, shifts, allocation.iloc[::-1])
    order = list(HARD_RULES)
    ranks = [order.index(v.rule) for v in report.violations]
    assert ranks == sorted(ranks) and len(set(ranks)) >= 3, report.summary()


# --------------------------------------------------------------------------------------------------
# The recomputations
# --------------------------------------------------------------------------------------------------


def test_on_duty_of_the_tiny_plan(tiny):
    shifts, _ = plan(tiny, TINY_ROWS)
    duty = on_duty_from_shifts(tiny, shifts)
    assert duty.shape == (3, 1, 16)
    # consulting team: 3 at 09:00, 1 during the tea break of the two full-timers, 2 after 11:00
    assert duty[0, 0].tolist() == [3, 3, 3, 3, 1, 3, 3, 3, 2, 2, 0, 2, 2, 2, 2, 2]
    assert duty[2, 0].tolist() == [0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0]
    np.testing.assert_array_equal(duty, naive_on_duty(tiny, shifts))


def test_staffed_covers_every_queue_day_and_interval_in_order(week):
    _, allocation = plan(week, week_rows())
    staffed = staffed_from_allocation(week, allocation)
    grid = week.grid
    assert list(staffed.columns) == ["day", "interval_start", "queue", "staffed_agents"]
    assert len(staffed) == 2 * grid.days * grid.intervals_per_day
    assert staffed["queue"].iloc[0] == "consulting" and staffed["queue"].iloc[-1] == "emergency"
    assert staffed["day"].iloc[grid.intervals_per_day] == MONDAY + timedelta(days=1)
    assert staffed["interval_start"].iloc[1] == "09:15"
    assert staffed["staffed_agents"].sum() == allocation["agents"].sum()
    assert (staffed["staffed_agents"] == 0).any()


# --------------------------------------------------------------------------------------------------
# Properties: random valid plans pass; the vectorised on-duty count equals the naive loop
# --------------------------------------------------------------------------------------------------


def random_scenario() -> Scenario:
    """09:00-21:00 in 30-minute intervals, nine days, consulting closed at the weekend, one
    headcount change; templates with none, one and two breaks."""
    templates = [
        {"name": "part_4h", "length_minutes": 240, "part_time": True},
        {
            "name": "day_8h",
            "length_minutes": 480,
            "breaks": [
                {
                    "name": "meal",
                    "length_minutes": 30,
                    "earliest_start_after_minutes": 180,
                    "latest_start_after_minutes": 300,
                }
            ],
        },
        {
            "name": "day_8h_two",
            "length_minutes": 480,
            "earliest_start": "10:00",
            "latest_start": "12:00",
            "start_step_minutes": 60,
            "breaks": [
                {
                    "name": "tea",
                    "length_minutes": 30,
                    "earliest_start_after_minutes": 60,
                    "latest_start_after_minutes": 150,
                },
                {
                    "name": "meal",
                    "length_minutes": 60,
                    "earliest_start_after_minutes": 240,
                    "latest_start_after_minutes": 330,
                    "paid": False,
                },
            ],
        },
        {
            "name": "long_12h",
            "length_minutes": 720,
            "breaks": [
                {
                    "name": "meal",
                    "length_minutes": 60,
                    "earliest_start_after_minutes": 240,
                    "latest_start_after_minutes": 420,
                    "paid": True,
                }
            ],
        },
    ]
    data = week_data(shift_templates=templates)
    data["horizon"].update(window_end="21:00", interval_minutes=30)
    data["routing"] = {"block_minutes": 30}
    for queue in data["queues"]:
        queue["min_agents"] = 0
    set_pool(data, "consulting_team", headcount=4, shift_templates=["part_4h", "day_8h"])
    set_pool(
        data, "emergency_team", headcount=3, shift_templates=["part_4h", "day_8h_two", "long_12h"]
    )
    set_pool(
        data, "borrowed", headcount=3, shift_templates=["day_8h", "long_12h"], max_hours_per_week=30
    )
    data["headcount_changes"] = [
        {"pool": "emergency_team", "change": -1, "from_date": "2022-01-12"}
    ]
    return parse_scenario(data)


RANDOM = random_scenario()


def random_valid_plan(scenario: Scenario, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shift rows drawn from the scenario's own options, trimmed to its caps, then split."""
    rng = np.random.default_rng(seed)
    grid = scenario.grid
    is_open = scenario.open_matrix()
    headcount = scenario.headcount_matrix()
    rows = []
    for d, day in enumerate(grid.dates):
        for pool in scenario.pools:
            if not any(is_open[q][d] for q in pool.skills):
                continue
            left = int(headcount[pool.name][d])
            for _ in range(rng.integers(0, 4)):
                if left == 0:
                    break
                t = scenario.template(pool.shift_templates[rng.integers(len(pool.shift_templates))])
                start = int(rng.choice(scenario.template_start_minutes(t)))
                spans = []
                for b in t.breaks:
                    offset = int(
                        rng.choice(
                            np.arange(
                                b.earliest_start_after_minutes,
                                b.latest_start_after_minutes + 1,
                                grid.interval_minutes,
                            )
                        )
                    )
                    b0, b1 = start + offset, start + offset + b.length_minutes
                    spans.append(f"{clock_label(b0)}-{clock_label(b1)}")
                agents = int(rng.integers(1, left + 1))
                left -= agents
                rows.append((day, pool.name, t.name, clock_label(start), ";".join(spans), agents))
    shifts = make_shifts(scenario, rows)
    # Trim to the weekly caps, then to the part-time shares, dropping random rows.
    keep = np.ones(len(shifts), dtype=bool)
    day_index = shifts["day"].map(grid.dates.index).to_numpy() if len(shifts) else np.zeros(0, int)
    for pool in scenario.pools:
        for first in range(0, grid.days, 7):
            days = range(first, min(first + 7, grid.days))
            # the weekly hours of the block's mean headcount (a short last block keeps them whole)
            mean_headcount = sum(headcount[pool.name][d] for d in days) / len(days)
            cap = pool.max_hours_per_week * mean_headcount
            mine = np.flatnonzero(
                (shifts["pool"] == pool.name).to_numpy() & np.isin(day_index, list(days))
            )
            for row in rng.permutation(mine):
                if shifts["paid_hours"].to_numpy()[mine][keep[mine]].sum() <= cap:
                    break
                keep[row] = False
    # Then to what the labour rules let whole pools work (planner.labour).
    span = np.array(
        [
            parse_clock(e) - parse_clock(b)
            for b, e in zip(shifts["start"], shifts["end"], strict=True)
        ]
    )
    paid = shifts["template"].map(lambda n: scenario.template(n).paid_minutes).to_numpy()
    pool_index = shifts["pool"].map([p.name for p in scenario.pools].index).to_numpy()
    for limit in pool_limits(scenario):
        weight = limit.weight(span, paid)
        counted = np.flatnonzero(
            (pool_index == limit.pool) & np.isin(day_index, limit.days) & (weight > 0)
        )
        for row in rng.permutation(counted):
            load = shifts["agents"].to_numpy() * weight
            if load[counted][keep[counted]].sum() <= limit.cap:
                break
            keep[row] = False
    for pool in scenario.pools:
        if pool.max_part_time_share is not None:
            mine = (shifts["pool"] == pool.name).to_numpy() & keep
            part = (
                mine & shifts["template"].map(lambda n: scenario.template(n).part_time).to_numpy()
            )
            for row in rng.permutation(np.flatnonzero(part)):
                agents = shifts["agents"].to_numpy()
                if (
                    agents[part & keep].sum()
                    <= pool.max_part_time_share * agents[mine & keep].sum()
                ):
                    break
                keep[row] = False
    shifts = shifts[keep].reset_index(drop=True)
    return shifts, allocate(scenario, shifts, rng)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_random_valid_plans_pass(seed):
    shifts, allocation = random_valid_plan(RANDOM, seed)
    coverage = staffed_from_allocation(RANDOM, allocation)
    report = validate_tables(RANDOM, shifts, allocation, coverage)
    assert report.ok, report.summary()
    assert report.rules_checked == tuple(HARD_RULES)


def test_random_valid_plans_are_not_trivial():
    """The generator exercises what the rules check: several templates, breaks, flexible splits."""
    shifts, allocation = random_valid_plan(RANDOM, 7)
    assert shifts["template"].nunique() >= 3 and (shifts["breaks"] != "").any()
    borrowed = allocation[allocation["pool"] == "borrowed"]
    assert borrowed["queue"].nunique() == 2


@st.composite
def any_shift_rows(draw) -> pd.DataFrame:
    """On-grid shift rows that need not respect any rule: breaks anywhere, overlapping, outside
    the shift; ends before starts."""
    grid = RANDOM.grid
    labels = [*grid.interval_labels, clock_label(grid.window_end_minute)]
    clock = st.sampled_from(labels)
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        spans = draw(st.lists(st.tuples(clock, clock), max_size=3))
        rows.append(
            (
                draw(st.sampled_from(grid.dates)),
                draw(st.sampled_from([p.name for p in RANDOM.pools])),
                "day_8h",
                draw(clock),
                draw(clock),
                ";".join(f"{a}-{b}" for a, b in spans),
                draw(st.integers(0, 5)),
                0.0,
            )
        )
    return pd.DataFrame(rows, columns=list(SHIFT_COLUMNS))


@settings(max_examples=100, deadline=None)
@given(shifts=any_shift_rows())
def test_on_duty_equals_the_naive_per_agent_loop(shifts):
    np.testing.assert_array_equal(
        on_duty_from_shifts(RANDOM, shifts), naive_on_duty(RANDOM, shifts)
    )


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_staffed_equals_the_allocation_summed_by_hand(seed):
    _, allocation = random_valid_plan(RANDOM, seed)
    staffed = staffed_from_allocation(RANDOM, allocation)
    by_hand = Counter()
    for row in allocation.itertuples():
        by_hand[(row.day, row.interval_start, row.queue)] += row.agents
    got = {
        (r.day, r.interval_start, r.queue): r.staffed_agents
        for r in staffed.itertuples()
        if r.staffed_agents
    }
    assert got == dict(by_hand)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), data=st.data())
def test_one_agent_more_in_any_allocation_row_is_caught(seed, data):
    shifts, allocation = random_valid_plan(RANDOM, seed)
    assume(len(allocation) > 0)
    row = data.draw(st.integers(0, len(allocation) - 1))
    allocation.loc[row, "agents"] += 1
    day, interval, pool = allocation.loc[row, ["day", "interval_start", "pool"]]
    report = validate_tables(RANDOM, shifts, allocation)
    where = f"pool {pool}, {day.isoformat()} {interval}"
    assert where in wheres([v for v in report.violations if v.rule == "allocation_matches_duty"])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), data=st.data())
def test_any_shift_row_left_out_is_caught(seed, data):
    shifts, allocation = random_valid_plan(RANDOM, seed)
    assume(len(shifts) > 0)
    row = data.draw(st.integers(0, len(shifts) - 1))
    day, pool = shifts.loc[row, ["day", "pool"]]
    report = validate_tables(RANDOM, shifts.drop(index=row), allocation)
    duty = [v.where for v in report.violations if v.rule == "allocation_matches_duty"]
    assert any(w.startswith(f"pool {pool}, {day.isoformat()} ") for w in duty)


TINY = parse_scenario(tiny_data())
GARBAGE = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**15), 10**15),
    st.text(max_size=12),
    st.dates(),
    st.booleans(),
    st.sampled_from([1e300, -0.0, 2**63, 2**70, "", " ", "09:00-", "2022-01-10", "24:00", pd.NA]),
    st.sampled_from([[1], {"a": 1}, (9, 0)]),
)


@settings(max_examples=80, deadline=None)
@given(
    table=st.sampled_from(["shifts", "allocation"]),
    row=st.integers(0, 3),
    column=st.sampled_from(SHIFT_COLUMNS + ALLOCATION_COLUMNS),
    value=GARBAGE,
)
def test_any_garbage_value_is_a_violation_never_a_crash(table, row, column, value):
    scenario = TINY
    tables = dict(zip(["shifts", "allocation"], plan(scenario, TINY_ROWS), strict=True))
    target = tables[table]
    assume(column in target.columns)
    cells = target[column].astype(object).tolist()
    cells[row] = value  # set in a list: pandas reads a dict or list given to .loc as an indexer
    target[column] = pd.Series(cells, index=target.index, dtype=object)
    report = validate_tables(scenario, tables["shifts"], tables["allocation"])
    assert all(isinstance(v, Violation) for v in report.violations)
