"""Every shipped scenario plans and rosters, and the roster checks; ``emergency.yaml`` with its
71 named operators in detail; the ``roster`` command and its files."""

from __future__ import annotations

import functools
import io
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from planner.chain import roster_scenario
from planner.cli import main
from planner.domain.plan import SHIFT_COLUMNS
from planner.domain.roster import ROSTER_COLUMNS, UNASSIGNED_COLUMNS
from planner.io.export import HIGHLIGHT_FILL
from planner.io.operators_file import load_operators
from planner.io.plan_tables import plan_from_tables
from planner.io.scenario_file import load_scenario
from planner.roster import roster_archive, roster_files, roster_plan, roster_to_excel
from planner.roster.report import UNASSIGNED_NAME, week_grid
from planner.shiftplan import plan_shifts

pytestmark = pytest.mark.slow  # every test here solves or rosters whole scenarios

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
OPERATORS = SCENARIOS / "data" / "emergency_operators.csv"


@functools.cache
def planned(path: Path):
    """A shipped scenario and its plan, made once for this module."""
    scenario = load_scenario(path)
    return scenario, plan_shifts(scenario, time_limit_seconds=10.0)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_scenario_rosters_with_generated_operators(path):
    scenario, plan = planned(path)
    result = roster_scenario(scenario, plan=plan, time_limit_seconds=1.0)
    assert result.validation.ok, result.validation.summary()
    shifts = int(plan.shifts["agents"].sum())
    assert len(result.roster) + len(result.unassigned) == shifts
    assert (result.unassigned["reason"].str.len() > 0).all()
    headcount = sum(int(h.max()) for h in scenario.headcount_matrix().values())
    assert len(result.operators) == headcount


@pytest.fixture(scope="module")
def emergency():
    scenario, plan = planned(SCENARIOS / "emergency.yaml")
    operators = load_operators(OPERATORS, scenario)
    return scenario, plan, roster_plan(scenario, plan, operators, time_limit_seconds=4.0)


def test_emergency_roster_assigns_all_it_can_and_says_why_not_the_rest(emergency):
    _, _, result = emergency
    assert result.validation.ok, result.validation.summary()
    assert len(result.operators) == 71
    assert list(result.roster.columns[: len(ROSTER_COLUMNS)]) == list(ROSTER_COLUMNS)
    assert list(result.unassigned.columns) == list(UNASSIGNED_COLUMNS)
    # The plan keeps within what each pool's operators may work (planner.labour), so it asks no
    # pool for more shifts than its operators have working days.
    capacity = result.capacity.set_index("pool")
    assert (capacity["planned_shifts"] <= capacity["operator_days"]).all()
    assert (capacity["planned_long_shifts"] <= capacity["long_shift_limit"]).all()
    # What the named operators' own contracts (some of 36 h) cannot hold is reported, with why.
    assert len(result.unassigned) <= 0.05 * result.planned_shifts
    assert result.unassigned["reason"].str.startswith("no operator of ").all()
    # The seconded operator works only on Monday and Tuesday.
    seconded = result.roster[result.roster["operator"] == "E25"]
    assert set(pd.to_datetime(seconded["day"]).dt.day) <= {10, 11}


@pytest.fixture(scope="module")
def overasked(emergency):
    """Every emergency operator on every day of the week: more than they may work."""
    scenario, _, _ = emergency
    operators = load_operators(OPERATORS, scenario)
    headcount = scenario.headcount_matrix()["emergency_team"]
    rows = [
        (day, "emergency_team", "day_8h", "09:00", "17:00", "", int(h), 7.5 * int(h))
        for day, h in zip(scenario.grid.dates, headcount, strict=True)
    ]
    shifts = pd.DataFrame(rows, columns=[*SHIFT_COLUMNS[:6], "agents", "paid_hours"])
    return roster_plan(
        scenario, plan_from_tables(scenario, shifts), operators, time_limit_seconds=4.0
    )


def test_a_plan_asking_more_than_the_operators_may_work_names_the_rule(overasked):
    """170 shifts for 24 operators working 5 days and the seconded one 2 (122): at least 48
    stay unassigned, the fewest proved, and the days-off rule is named."""
    result = overasked
    assert result.validation.ok, result.validation.summary()
    assert result.planned_shifts == 170
    capacity = result.capacity.set_index("pool").loc["emergency_team"]
    assert (capacity["planned_shifts"], capacity["operator_days"]) == (170, 24 * 5 + 2)
    assert len(result.unassigned) >= 170 - 122
    assert result.solve.status == "OPTIMAL"  # the fewest unassigned shifts, proved
    assert len(result.unassigned) * 10_000 == result.solve.objective
    assert "days_off_per_week [emergency_team week 1]" in result.solve.conflicting_rules


def test_the_week_grid_shows_unassigned_shifts_as_rows_of_their_own(overasked):
    result = overasked
    grid = week_grid(result.week_view, result.unassigned)
    operators, holes = grid[~grid["unassigned"]], grid[grid["unassigned"]]
    assert operators.drop(columns="unassigned").reset_index(drop=True).equals(result.week_view)
    assert list(holes["pool"]) == ["emergency_team"] and holes["name"].iloc[0] == UNASSIGNED_NAME
    assert holes["shifts"].iloc[0] == len(result.unassigned)
    # Each day's cell, "n x 09:00-17:00" or "09:00-17:00", counts that day's unassigned shifts.
    per_day = result.unassigned.groupby("day").size()
    for day, count in per_day.items():
        cell = holes[day.strftime("%a").lower()].iloc[0]
        shown = sum(int(p.split(" x ")[0]) if " x " in p else 1 for p in cell.split("; "))
        assert shown == count, (day, cell)
    # The Excel week view fills exactly those rows red.
    sheet = openpyxl.load_workbook(io.BytesIO(roster_to_excel(result)))["Week view"]
    red = [
        r - 2
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, 1).fill.start_color.rgb.endswith(HIGHLIGHT_FILL)
    ]
    assert red == list(np.flatnonzero(grid["unassigned"]))
    # The zip holds every file the CLI writes, byte for byte.
    with zipfile.ZipFile(io.BytesIO(roster_archive(result))) as archive:
        assert {n: archive.read(n) for n in archive.namelist()} == roster_files(result)


def test_emergency_week_view_and_fairness_summary(emergency):
    _, _, result = emergency
    week = result.week_view
    assert len(week) == 71
    assert list(week.columns[5:12]) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    e25 = week.set_index("operator").loc["E25"]
    assert (e25[["wed", "thu", "fri", "sat", "sun"]] == "unavailable").all()
    summary = result.fairness_summary
    assert set(summary["measure"]) == {
        "paid_hours",
        "hours_off_target",
        "weekend_shifts",
        "late_shifts",
    }
    assert (summary["spread"] == summary["max"] - summary["min"]).all()
    assert set(summary["pool"]) == {"consulting_team", "emergency_team", "borrowed", "all"}
    hours = result.fairness.set_index("operator")["paid_hours"]
    by_week = week.groupby("operator")["paid_hours"].sum()
    assert by_week.reindex(hours.index).tolist() == pytest.approx(hours.tolist())
    workbook = pd.ExcelFile(io.BytesIO(roster_to_excel(result)))
    assert workbook.sheet_names[:3] == ["Week view", "Roster", "Unassigned"]


def test_roster_command_writes_the_files_and_reports(tmp_path, capsys):
    out = tmp_path / "roster"
    args = ["roster", str(SCENARIOS / "baseline.yaml"), "--out", str(out), "--time-limit", "2"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Plan: ")
    assert "Roster: " in printed and "operators generated from headcounts" in printed
    assert re.search(
        r"Roster check \(no solver\): valid: \d+ hard rules checked, none broken", printed
    )
    roster = pd.read_csv(out / "roster.csv")
    assert list(roster.columns[: len(ROSTER_COLUMNS)]) == list(ROSTER_COLUMNS)
    document = json.loads((out / "roster.json").read_text())
    assert document["validation"]["ok"] is True
    assert document["assigned_shifts"] == len(roster)
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "allocation.csv",  # the plan rostered, for `simulate --roster`
        "capacity.csv",
        "fairness.csv",
        "fairness_summary.csv",
        "operators.csv",
        "roster.csv",
        "roster.json",
        "roster_week.csv",
        "shifts.csv",
        "unassigned.csv",
    ]
    # The operators written (generated here) read back as an operators file.
    assert (
        main([*args, "--operators", str(out / "operators.csv"), "--out", str(tmp_path / "b")]) == 0
    )


def test_roster_command_with_a_bad_operators_file_exits_2_naming_the_row(tmp_path, capsys):
    bad = tmp_path / "team.csv"
    bad.write_text("id,pool\nC1,consulting_tean\n")
    code = main(
        [
            "roster",
            str(SCENARIOS / "baseline.yaml"),
            "--operators",
            str(bad),
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert f"error: {bad}: row 2, pool = 'consulting_tean': names no pool" in err
    assert not (tmp_path / "roster.csv").exists()


def test_the_same_scenario_and_seed_give_the_same_roster(emergency):
    """The search runs on CP-SAT's deterministic time (planner.cpsat.clock), so two runs,
    whatever else the machine is doing, return the same roster (they did not when it was
    timed on the wall clock)."""
    scenario, plan, _ = emergency
    operators = load_operators(OPERATORS, scenario)
    first, second = (
        roster_plan(scenario, plan, operators, time_limit_seconds=3.0) for _ in range(2)
    )
    assert first.roster.equals(second.roster)
    assert first.unassigned.equals(second.unassigned)
    assert first.penalties == second.penalties
