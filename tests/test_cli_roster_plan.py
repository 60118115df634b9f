"""``roster --plan DIR``: roster a plan ``solve`` saved, without planning again (issue 13: the
whole roster command timed at scale on a plan made beforehand)."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.cli import main
from tests.test_national import SCENARIOS

EMERGENCY = str(SCENARIOS / "emergency.yaml")


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    out = tmp_path_factory.mktemp("plan") / "plan"
    assert main(["solve", EMERGENCY, "--out", str(out), "--time-limit", "20"]) == 0
    return out


def test_a_saved_plan_is_rostered_as_it_was_planned(solved, tmp_path, capsys):
    out = tmp_path / "roster"
    args = ["roster", EMERGENCY, "--plan", str(solved), "--out", str(out), "--time-limit", "15"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "Plan:" in printed and "Roster check (no solver): valid" in printed
    planned = pd.read_csv(solved / "shifts.csv", keep_default_na=False)
    kept = pd.read_csv(out / "shifts.csv", keep_default_na=False)
    pd.testing.assert_frame_equal(planned, kept)  # the very plan, not a new one
    roster = pd.read_csv(out / "roster.csv", keep_default_na=False)
    unassigned = pd.read_csv(out / "unassigned.csv", keep_default_na=False)
    # every planned shift is worked by a named operator or reported unassigned (one row each)
    assert len(roster) + len(unassigned) == planned["agents"].sum()


def test_another_scenarios_plan_is_refused_naming_the_folder(solved, tmp_path, capsys):
    args = ["roster", str(SCENARIOS / "baseline.yaml"), "--plan", str(solved)]
    assert main([*args, "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert f"--plan {solved}" in err and "names no pool" in err
    assert not (tmp_path / "r").exists()  # nothing written


def test_a_folder_without_a_plan_is_refused(tmp_path, capsys):
    args = ["roster", EMERGENCY, "--plan", str(tmp_path / "none"), "--out", str(tmp_path / "r")]
    assert main(args) == 2
    assert "cannot read kpis.json" in capsys.readouterr().err
