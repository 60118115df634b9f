"""What a typed figure does not change is said: named operators set the headcount
(planner.present.notes), on the Scenario page next to the field and on the command line."""

from __future__ import annotations

from pathlib import Path

import yaml
from streamlit.testing.v1 import AppTest

from planner.cli import main
from planner.domain.operators import Operator
from planner.present.notes import headcount_notes
from tests.test_app_pages import saved_dir  # noqa: F401 (autouse: saves go to a temporary folder)

REPO = Path(__file__).resolve().parents[1]
OPERATORS = REPO / "scenarios" / "data" / "emergency_operators.csv"
SAYS = "sets the headcount of borrowed: 21 named operators"
"""The note on the borrowed pool of emergency.yaml with its operators file."""


def _operator(i: int, pool: str) -> Operator:
    return Operator(f"{pool}-{i}", f"Operator {i}", pool, ("q",), 40.0, 12.0)


def test_notes_count_each_pools_named_operators():
    ops = [_operator(i, "a") for i in range(3)] + [_operator(0, "b")]
    notes = headcount_notes([("a", 40), ("b", 1), ("c", 2)], ops, "ops.csv")
    assert [(n.pool, n.named, n.ignored) for n in notes] == [
        ("a", 3, True),
        ("b", 1, False),
        ("c", 0, True),
    ]
    assert "3 named operators" in notes[0].text and "40 is not used" in notes[0].text
    assert "not used" not in notes[1].text and "1 named operator." in notes[1].text
    assert headcount_notes([("a", 40)], None, "ops.csv") == []  # the headcounts set the staff


def test_scenario_page_says_the_operators_file_sets_the_headcount():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    at.switch_page("app_pages/roster.py").run()
    upload = ("ops.csv", OPERATORS.read_bytes(), "text/csv")
    at.file_uploader(key="roster_operators_upload").set_value(upload).run()
    at.button(key="roster_use_operators").click().run()
    at.switch_page("app_pages/scenario.py").run()
    assert not at.exception
    assert not [w for w in at.warning if SAYS in w.value]  # headcount 21: no warning
    assert any(SAYS in i.value for i in at.info)
    (field,) = [n for n in at.number_input if n.label == "Headcount: borrowed"]
    field.set_value(40).run()
    warned = [w.value for w in at.warning if SAYS in w.value]
    assert len(warned) == 1 and "headcount of 40 is not used" in warned[0]


def test_cli_notes_a_headcount_the_operators_file_overrides(tmp_path, capsys):
    data = yaml.safe_load((REPO / "scenarios" / "emergency.yaml").read_text())
    for pool in data["pools"]:
        if pool["name"] == "borrowed":
            pool["headcount"] = 40
    data["horizon"]["days"] = 1
    data["operators_file"] = "ops.csv"
    (tmp_path / "ops.csv").write_bytes(OPERATORS.read_bytes())
    scenario = tmp_path / "e.yaml"
    scenario.write_text(yaml.safe_dump(data))
    args = ["solve", str(scenario), "--out", str(tmp_path / "out"), "--time-limit", "5", "--quiet"]
    code = main(args)
    out = capsys.readouterr().out
    assert code == 0, out
    notes = [line for line in out.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and SAYS in notes[0] and "40 is not used" in notes[0]
