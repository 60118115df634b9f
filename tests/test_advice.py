"""Advice when a plan is short (:mod:`planner.study.advice`, ``python -m planner advise`` and the
Plan page's "What would close the gap").

The advice is given exactly where a line's day misses its target; the plan with the advised
shifts, evaluated again by :mod:`planner.evaluate`, gives the figure the advice states and keeps
every hard rule under the scenario the advice is applied to; applying it changes a copy of the
scenario by that one headcount change and nothing else.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from planner import editing as ed
from planner.cli import main
from planner.demand import build_demand
from planner.evaluate import coverage_table, daily_kpis
from planner.io.scenario_file import load_scenario, save_scenario
from planner.shiftplan import plan_shifts
from planner.staffing import build_requirement
from planner.study.advice import (
    advice_table,
    advise,
    advised_plan,
    apply_advice,
    check_by_solving,
)
from planner.validate.plan import validate_plan

REPO = Path(__file__).resolve().parents[1]
EMERGENCY = REPO / "scenarios" / "emergency.yaml"
MONDAY = date(2022, 1, 10)  # the surge's first day: both lines short of staff


@pytest.fixture(scope="module")
def week():
    return load_scenario(EMERGENCY)


@pytest.fixture(scope="module")
def monday(week):
    """The emergency scenario's Monday alone, and its plan (it stops at its gap in seconds)."""
    data, files = ed.restrict_to_day(week, {}, MONDAY)
    scenario = ed.Draft(data, files, "monday").validate()
    return scenario, plan_shifts(scenario, time_limit_seconds=20)


def _daily(scenario, plan):
    requirement = build_requirement(scenario, build_demand(scenario))
    coverage = coverage_table(scenario, requirement, plan.staffed)
    return coverage, daily_kpis(scenario, coverage)


def _level(daily, queue: str, day: date) -> float:
    return daily[(daily["queue"] == queue) & (daily["day"] == day)]["service_level"].item()


def test_advice_is_given_exactly_where_a_line_day_misses_its_target(monday):
    scenario, result = monday
    report = advise(scenario, result.coverage)
    daily = result.kpis_daily
    below = daily[daily["service_level"] < daily["service_level_target"]]
    expected = {(q, d) for q, d in zip(below["queue"], below["day"], strict=True)}
    assert expected, "the Monday of the surge should be short of staff"
    assert set(report.missed) == expected
    assert {(a.queue, a.day) for a in report.advice} == expected
    assert not report.unexamined
    for a in report.advice:
        assert a.service_level_before == pytest.approx(_level(daily, a.queue, a.day), abs=1e-12)
        assert a.reaches_target and a.agents > 0
        assert a.queue in scenario.pool(a.pool).skills
    assert len(advice_table(report)) == len(report.advice)


def test_the_advised_plan_gives_the_figure_the_advice_states_and_keeps_the_rules(monday):
    scenario, result = monday
    report = advise(scenario, result.coverage)
    before = result.kpis_daily
    for a in report.advice:
        plan = advised_plan(result.plan, a)
        coverage, daily = _daily(scenario, plan)
        # the figure stated is what the evaluation gives, and it meets the target
        assert _level(daily, a.queue, a.day) == pytest.approx(a.service_level_after, abs=1e-9)
        assert a.service_level_after >= a.service_level_target
        assert a.service_level_after > a.service_level_before
        # the other lines' days are untouched: the added agents answer the advised line only
        others = daily["queue"] != a.queue
        assert daily.loc[others, "service_level"].tolist() == pytest.approx(
            before.loc[before["queue"] != a.queue, "service_level"].tolist()
        )
        # paid hours and cost are those of the added shifts
        added = plan.paid_hours_by_pool()[a.pool] - result.plan.paid_hours_by_pool()[a.pool]
        assert added == pytest.approx(a.paid_hours)
        assert a.cost == pytest.approx(added * scenario.pool(a.pool).cost_per_hour)
        # under the scenario with the advice applied, the advised plan breaks no hard rule
        applied = ed.Draft(apply_advice(ed.scenario_data(scenario), a)).validate()
        assert validate_plan(applied, plan, coverage).ok


def test_after_every_advice_no_line_day_is_left_short(monday):
    scenario, result = monday
    plan = result.plan
    for a in advise(scenario, result.coverage).advice:
        plan = advised_plan(plan, a)
    coverage, _ = _daily(scenario, plan)
    assert advise(scenario, coverage).missed == ()


def test_applying_an_advice_changes_a_copy_by_that_headcount_change_only(week, monday):
    scenario, result = monday
    advice = advise(scenario, result.coverage).advice[0]
    data = ed.scenario_data(week)
    kept = copy.deepcopy(data)
    applied = apply_advice(data, advice)
    assert data == kept  # the user's data is not touched
    changes = ed.differences(data, applied)
    assert [path for path, _, _ in changes] == ["headcount_changes"]
    new = ed.Draft(applied).validate()
    old_heads, new_heads = week.headcount_matrix(), new.headcount_matrix()
    day = week.grid.day_of(advice.day)
    for pool, heads in old_heads.items():
        expected = heads.copy()
        if pool == advice.pool:
            expected[day] += advice.agents
        assert new_heads[pool].tolist() == expected.tolist()
    assert new.model_dump(exclude={"headcount_changes"}) == week.model_dump(
        exclude={"headcount_changes"}
    )


@pytest.mark.slow
def test_the_day_planned_again_with_the_advice_applied_comes_near_the_promised_figure(monday):
    """The solver's check: the advised day planned alone, with the added headcount and its
    allocation between lines free, lifts the line near the figure the advice states (a flexible
    pool may move some agents to the other line, so it may fall a little short of it)."""
    scenario, result = monday
    for advice in advise(scenario, result.coverage).advice:
        check = check_by_solving(scenario, advice, time_limit_seconds=15)
        assert check.service_level_with > check.service_level_without + 0.05
        assert check.service_level_with >= advice.service_level_after - 0.05
        assert check.cost_with > check.cost_without


def test_a_small_cap_on_agents_says_the_target_is_not_reached(monday):
    scenario, result = monday
    for a in advise(scenario, result.coverage, max_agents=1).advice:
        assert a.agents == 1
        if not a.reaches_target:
            assert " only lifts " in a.text


def test_the_time_limit_leaves_line_days_unexamined_and_a_day_outside_is_refused(monday):
    scenario, result = monday
    report = advise(scenario, result.coverage, time_limit_seconds=1e-9)
    assert report.advice == () and set(report.unexamined) == set(report.missed) != set()
    with pytest.raises(ValueError, match="outside the horizon"):
        advise(scenario, result.coverage, day=date(2022, 1, 11))


# ----- command line -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def week_plan(tmp_path_factory) -> Path:
    """The emergency week's plan folder, as ``solve`` writes it (the solve stops at its gap,
    the generous limit only for a busy machine)."""
    out = tmp_path_factory.mktemp("advise") / "plan"
    assert main(["solve", str(EMERGENCY), "--out", str(out), "--quiet", "--time-limit", "90"]) == 0
    return out


@pytest.fixture(scope="module")
def monday_file(tmp_path_factory, monday) -> Path:
    path = tmp_path_factory.mktemp("advise") / "monday.yaml"
    save_scenario(monday[0], path)
    return path


def test_cli_prints_the_advice_for_a_day(week_plan, capsys):
    code = main(["advise", str(EMERGENCY), "--plan", str(week_plan), "--day", "2022-01-10"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "below target" in out and "2022-01-10" in out
    assert "2022-01-11" not in out  # only the day asked about
    assert "KZT" in out


def test_cli_advises_on_a_plan_folder_where_its_kpis_miss_the_target(week_plan, tmp_path, capsys):
    daily = pd.read_csv(week_plan / "kpis_daily.csv")
    below = daily[daily["service_level"] < daily["service_level_target"]]
    expected = {f"{d} {q}" for d, q in zip(below["day"], below["queue"], strict=True)}
    assert main(["advise", str(EMERGENCY), "--plan", str(week_plan)]) == 0
    printed = capsys.readouterr().out
    assert f"{len(expected)} line-day(s) below target" in printed
    advised = {line[2:].split(":")[0] for line in printed.splitlines() if line.startswith("- ")}
    assert advised == expected
    assert main(["advise", str(EMERGENCY), "--plan", str(tmp_path / "none")]) == 2
    assert "shifts.csv" in capsys.readouterr().err


def test_cli_plans_the_scenario_then_advises(monday_file, capsys):
    assert main(["advise", str(monday_file), "--time-limit", "30"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("State of emergency: plan ") and "below target" in out


@pytest.mark.slow
def test_cli_checks_each_advice_by_solving_its_day(monday_file, capsys):
    assert main(["advise", str(monday_file), "--time-limit", "60", "--check", "3"]) == 0
    out = capsys.readouterr().out
    assert "Checked by the solver" in out
    lines = [line for line in out.splitlines() if line.startswith("- 2022-01-10 ")]
    checked = [line for line in lines if "(advice says " in line]
    shifts = [line for line in lines if "(advice says " not in line]
    assert checked and len(checked) == len(shifts)  # one check per advice


@pytest.mark.parametrize(
    "args, message",
    [
        (["--day", "2023-01-01"], "not in the scenario's horizon"),
        (["--day", "monday"], "is not a date"),
        (["--max-agents", "0"], "from 1 to 10000"),
        (["--time-limit", "-1"], "above 0"),
    ],
)
def test_cli_bad_input_exits_2_with_a_message(args, message, capsys):
    try:
        code = main(["advise", str(EMERGENCY), *args])
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_missing_file_exits_2(tmp_path, capsys):
    assert main(["advise", str(tmp_path / "none.yaml")]) == 2
    assert "cannot be read" in capsys.readouterr().err


# ----- the app ------------------------------------------------------------------------------------


def test_the_plan_page_shows_the_advice_and_applies_it_to_a_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_SAVED_DIR", str(tmp_path))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/plan.py").run()
    at.selectbox(key="plan_days").select("Mon 10 Jan").run()
    at.number_input(key="plan_time_limit").set_value(20.0).run()
    at.button(key="plan_solve").click().run()
    assert not at.exception
    assert [e.label for e in at.expander if e.label == "What would close the gap"]
    buttons = [b for b in at.button if b.key and b.key.startswith("advice_apply_")]
    assert buttons, [m.value for m in at.markdown]
    shown = "\n".join(m.value for m in at.markdown)
    assert "Mon 10 Jan" in shown and "lift the day from" in shown
    workspace = at.session_state["workspace"]
    data_before = copy.deepcopy(workspace.draft.data)
    buttons[0].click().run()
    assert not at.exception and not at.error
    assert any("Kept a copy of the scenario" in s.value for s in at.success)
    workspace = at.session_state["workspace"]
    assert workspace.draft.data == data_before  # the scenario being edited is unchanged
    ((label, key),) = workspace.kept.items()
    kept = ed.scenario_from_key(key)
    (change,) = [c for c in kept.headcount_changes if c.reason.startswith("advice")]
    assert change.from_date == change.to_date == MONDAY and change.change > 0
    assert label.endswith(")") and change.pool in label
