"""Operators as data: the CSV and YAML formats, their checks, the scenario's ``operators_file``
and the anonymous operators generated from headcounts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from planner.domain.operators import Operator, generate_operators
from planner.errors import ScenarioError
from planner.io.operators_file import load_operators, operators_to_csv, parse_operators
from planner.io.scenario_file import load_scenario, parse_scenario
from planner.io.yaml_strict import read_yaml

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
EMERGENCY = load_scenario(SCENARIOS / "emergency.yaml")

HEADER = (
    "id,name,pool,skills,contract_hours_per_week,max_shift_hours,days_unavailable,"
    "preferred_days_off,preferred_start_window\n"
)


def issues_of(text: str, name: str = "ops.csv") -> list[str]:
    operators, issues = parse_operators(text, name, EMERGENCY)
    assert (operators == ()) == bool(issues)
    return [i.describe() for i in issues]


def test_a_full_row_reads_every_field():
    text = HEADER + (
        "B07,Aigerim Sadykova,borrowed,emergency,36,8,2022-01-11;2022-01-13..2022-01-14,"
        "sat;2022-01-12,09:00-10:30\n"
    )
    (op,) = parse_operators(text, "ops.csv", EMERGENCY)[0]
    assert op == Operator(
        id="B07",
        name="Aigerim Sadykova",
        pool="borrowed",
        skills=("emergency",),
        contract_hours_per_week=36.0,
        max_shift_hours=8.0,
        days_unavailable=(date(2022, 1, 11), date(2022, 1, 13), date(2022, 1, 14)),
        preferred_weekdays_off=("sat",),
        preferred_dates_off=(date(2022, 1, 12),),
        preferred_start_window=(540, 630),
    )
    assert op.prefers_off(date(2022, 1, 15)) and op.prefers_off(date(2022, 1, 12))
    assert not op.prefers_off(date(2022, 1, 16))
    assert op.likes_start(600) and not op.likes_start(660)


def test_only_id_and_pool_are_required_the_rest_defaults_from_the_pool_and_labour_rules():
    (op,) = parse_operators("id,pool\nC1,consulting_team\n", "ops.csv", EMERGENCY)[0]
    assert op.name == "C1"
    assert op.skills == ("consulting",)
    assert op.contract_hours_per_week == 48  # the pool's max_hours_per_week
    assert op.max_shift_hours == 12  # labour.max_shift_hours
    assert op.days_unavailable == () and op.preferred_start_window is None


def test_every_problem_is_reported_at_once_with_row_field_value_and_rule():
    text = HEADER + (
        "A1,,consulting_tem,consulting,50,13,2022-13-01,fri;xx,10:00-09:00\n"
        "A1,,borrowed,queue_x,40,8,,,\n"
        ",,emergency_team,emergency,49,,2022-01-14..2022-01-12,,9-10\n"
    )
    assert issues_of(text) == [
        "row 2, pool = 'consulting_tem': names no pool (did you mean 'consulting_team'?); "
        "known: consulting_team, emergency_team, borrowed",
        "row 2, max_shift_hours = '13': exceeds labour.max_shift_hours (12 h)",
        "row 2, days_unavailable = '2022-13-01': must be dates YYYY-MM-DD or ranges "
        'YYYY-MM-DD..YYYY-MM-DD separated by ";"',
        "row 2, preferred_days_off = 'xx': must be weekday names (mon, tue, wed, thu, fri, sat, "
        'sun) or dates YYYY-MM-DD separated by ";"',
        "row 2, preferred_start_window = '10:00-09:00': the latest start 09:00 is before the "
        "earliest 10:00",
        "row 3, skills = 'queue_x': queue_x is not a skill of pool borrowed (consulting, "
        "emergency); an operator works only their pool's queues",
        "row 4, id: is required",
        "row 4, contract_hours_per_week = '49': exceeds the max_hours_per_week of pool "
        "emergency_team (48 h), which the shift plan is sized with",
        "row 4, days_unavailable = '2022-01-14..2022-01-12': must be dates YYYY-MM-DD or ranges "
        'YYYY-MM-DD..YYYY-MM-DD separated by ";"',
        "row 4, preferred_start_window = '9-10': must be \"HH:MM-HH:MM\" (earliest and latest "
        "preferred start)",
        "row 3, id = 'A1': is used twice (first at row 2)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id,pool,team\nA,borrowed,x\n", "columns = ['team']: unknown column(s); allowed: id,"),
        ("id,name\nA,B\n", "columns = ['id', 'name']: missing column(s) ['pool']"),
        ("id,pool\n", "(file): lists no operators"),
        ("id,pool\nA,borrowed\nB,borrowed,extra\n", "(file): is not a readable CSV"),
        (
            "id,pool,contract_hours_per_week\nA,borrowed,-1\n",
            "row 2, contract_hours_per_week = '-1'",
        ),
        (
            "id,pool,contract_hours_per_week\nA,borrowed,forty\n",
            "row 2, contract_hours_per_week = 'forty': must be a number > 0",
        ),
        ("id,pool\n1A,borrowed\n", "row 2, id = '1A': must be a name"),
    ],
)
def test_bad_files_name_the_problem(text, expected):
    (issue,) = issues_of(text)
    assert issue.startswith(expected), issue


def test_yaml_operators_take_lists_and_dates_and_report_by_item():
    text = """
- {id: E1, pool: emergency_team, days_unavailable: [2022-01-12, "2022-01-14..2022-01-15"],
   preferred_days_off: [sun]}
- {id: E2, pool: emergency_team, skills: [emergency], preferred_start_window: "10:00-12:00"}
"""
    first, second = parse_operators(text, "team.yaml", EMERGENCY)[0]
    assert first.days_unavailable == (date(2022, 1, 12), date(2022, 1, 14), date(2022, 1, 15))
    assert first.preferred_weekdays_off == ("sun",)
    assert second.preferred_start_window == (600, 720)
    bad = "operators:\n  - {id: E1, pool: emergency_team, contract: 40}\n  - 7\n"
    assert issues_of(bad, "team.yml") == [
        "[0].contract: unknown field (did you mean 'contract_hours_per_week'?); allowed: id, "
        "name, pool, skills, contract_hours_per_week, max_shift_hours, days_unavailable, "
        "preferred_days_off, preferred_start_window, overtime_hours_this_month, "
        "overtime_hours_this_year",
        "[1] = 7: must be a mapping of fields (key: value)",
    ]


def test_generated_operators_match_every_pools_daily_headcount():
    operators = generate_operators(EMERGENCY)
    assert len(operators) == 71
    assert [op.id for op in operators[:2]] == ["consulting_team-01", "consulting_team-02"]
    headcount = EMERGENCY.headcount_matrix()
    for pool in EMERGENCY.pools:
        mine = [op for op in operators if op.pool == pool.name]
        assert all(op.skills == tuple(pool.skills) for op in mine)
        assert all(op.contract_hours_per_week == pool.max_hours_per_week for op in mine)
        for d, day in enumerate(EMERGENCY.grid.dates):
            available = sum(day not in op.days_unavailable for op in mine)
            assert available == headcount[pool.name][d]
    seconded = [op for op in operators if op.days_unavailable]
    assert [op.id for op in seconded] == ["emergency_team-25"]
    assert seconded[0].days_unavailable[0] == date(2022, 1, 12)


def test_operators_written_as_csv_read_back_the_same():
    operators = generate_operators(EMERGENCY)
    again, issues = parse_operators(operators_to_csv(operators), "again.csv", EMERGENCY)
    assert issues == [] and again == operators
    assert "2022-01-12..2022-01-16" in operators_to_csv(operators).decode()


def test_the_shipped_emergency_operators_are_the_71_of_the_scenario():
    operators = load_operators(SCENARIOS / "data" / "emergency_operators.csv", EMERGENCY)
    assert len(operators) == 71
    counts = {pool.name: 0 for pool in EMERGENCY.pools}
    for op in operators:
        counts[op.pool] += 1
    assert counts == {p.name: p.headcount for p in EMERGENCY.pools}
    headcount = EMERGENCY.headcount_matrix()["emergency_team"]
    for d, day in enumerate(EMERGENCY.grid.dates):
        team = [op for op in operators if op.pool == "emergency_team"]
        assert sum(day not in op.days_unavailable for op in team) == headcount[d]


def test_a_scenario_reads_its_operators_file_relative_to_itself(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "team.csv").write_text("id,pool\nC1,consulting_team\n")
    text = (SCENARIOS / "emergency.yaml").read_text(encoding="utf-8")
    path = tmp_path / "with_operators.yaml"
    path.write_text(text + "operators_file: data/team.csv\n", encoding="utf-8")
    scenario = load_scenario(path)
    assert [op.id for op in scenario.operators] == ["C1"]
    assert EMERGENCY.operators is None
    assert scenario != EMERGENCY.model_copy(update={"operators_file": "data/team.csv"})


def test_a_bad_operators_file_is_a_scenario_error_naming_file_row_field_and_value(tmp_path):
    (tmp_path / "team.csv").write_text("id,pool,max_shift_hours\nC1,consulting_team,0\n")
    text = (SCENARIOS / "emergency.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(text + "operators_file: team.csv\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value) == (
        f"{path}: operators_file (team.csv) row 2, max_shift_hours = '0': must be a number > 0"
    )
    path.write_text(text + "operators_file: absent.csv\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"operators_file = 'absent.csv': cannot be read"):
        load_scenario(path)


def test_operators_can_be_given_by_content_as_for_an_upload():
    data = read_yaml((SCENARIOS / "emergency.yaml").read_text(encoding="utf-8"), "upload")
    data["operators_file"] = "team.csv"
    scenario = parse_scenario(
        data, source="upload", operator_files={"team.csv": b"id,pool\nB1,borrowed\n"}
    )
    assert scenario.operators[0].skills == ("consulting", "emergency")
