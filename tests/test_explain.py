"""Honest endings: a plan's quality in words, minimal conflict explanations grouped by rule
family, a plan with no shift that says which rule forbids them, and every rule family of the
shift plan named when it is in conflict (the roster's families: tests/test_roster_rules.py)."""

from __future__ import annotations

import math

import pytest
from ortools.sat.python import cp_model

from planner.cpsat.explain import NOT_MINIMAL, conflicting_rules, group_rules, rule_of
from planner.cpsat.solve import configure
from planner.domain.plan import SolveReport, quality_text
from planner.io.export import kpis_document
from planner.shiftplan import plan_shifts
from planner.shiftplan.blocks import NO_SHIFT_ALLOWED
from planner.shiftplan.instance import build_instance
from planner.shiftplan.model import build_model
from tests.optimise_helpers import flat_requirement, micro


def _queue() -> dict:
    return {"name": "a", "aht_seconds": 300, "demand": {"calls_per_day": 400, "profile": "flat"}}


def _pool(**changes) -> dict:
    pool = {
        "name": "team",
        "skills": ["a"],
        "headcount": 1,
        "cost_per_hour": 10.0,
        "shift_templates": ["full"],
    }
    return {**pool, **changes}


def _report(status: str, gap: float, **fields) -> SolveReport:
    return SolveReport(
        status=status,
        objective=100.0,
        best_bound=100.0 * (1 - gap) if gap == gap else math.nan,
        gap=gap,
        solve_seconds=1.0,
        first_solution_seconds=0.1,
        solutions_found=1,
        time_limit_seconds=10.0,
        relative_gap_limit=0.01,
        seed=1,
        workers=1,
        **fields,
    )


# ----- the ending in words -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "gap", "stopped", "proved", "text"),
    [
        ("OPTIMAL", 0.0, False, True, "optimal (proved)"),
        ("OPTIMAL", 0.0058, False, False, "within 0.6 % of the best possible plan (proved bound)"),
        (
            "OPTIMAL",
            0.00004,
            False,
            False,
            "within 0.004 % of the best possible plan (proved bound)",
        ),
        (
            "FEASIBLE",
            0.123,
            False,
            False,
            "best plan found in the time limit; within 12.3 % of the best possible",
        ),
        (
            "FEASIBLE",
            0.05,
            True,
            False,
            "stopped by you; best plan so far, within 5.0 % of the best possible",
        ),
        ("UNKNOWN", math.nan, True, False, "stopped by you; no plan found yet"),
        ("UNKNOWN", math.nan, False, False, "no plan found in the time limit"),
        ("INFEASIBLE", math.nan, False, False, "no plan exists: the rules conflict"),
    ],
)
def test_the_ending_in_words_says_optimal_only_when_proved(status, gap, stopped, proved, text):
    report = _report(status, gap, stopped=stopped)
    assert report.proved_optimal is proved
    assert report.quality_text == text == quality_text(status, gap, stopped=stopped)
    if not proved:
        assert "optimal" not in report.quality_text


def test_kpis_json_keeps_the_solver_s_status_and_adds_the_proof_and_the_words():
    scenario = micro(solver={"relative_gap": 0.0})
    result = plan_shifts(scenario, requirement=flat_requirement(scenario, {"a": 3}))
    solver = kpis_document(result)["solver"]
    assert solver["status"] == "OPTIMAL"
    assert solver["proved_optimal"] is True and solver["quality"] == "optimal (proved)"


# ----- minimal explanations ------------------------------------------------------------------


def _headcount_below_min_agents(days: int):
    """Every open day needs 2 agents on the line and has 1 operator: each day alone conflicts."""
    scenario = micro(
        queues=[{**_queue(), "min_agents": 2}],
        pools=[_pool()],
        horizon={"days": days},
        labour={"min_days_off_per_week": 0},
    )
    return scenario, build_instance(scenario, flat_requirement(scenario, {"a": 0}))


def _feasible_with(scenario, inst, labels) -> bool:
    sm = build_model(inst, explain=True)
    sm.model.clear_objective()
    sm.model.add_assumptions([sm.hard.literals[label] for label in labels])
    status = configure(scenario.solver).solve(sm.model)
    assert status != cp_model.UNKNOWN
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_a_sufficient_set_larger_than_needed_shrinks_to_a_minimal_one():
    scenario, inst = _headcount_below_min_agents(days=5)
    sm = build_model(inst, explain=True)
    found = conflicting_rules(sm.model, sm.hard, configure(scenario.solver), minimal=False)
    sm = build_model(inst, explain=True)
    minimal = conflicting_rules(sm.model, sm.hard, configure(scenario.solver))
    assert NOT_MINIMAL not in minimal
    assert set(minimal) < set(found)  # CP-SAT's set names every day; one day is enough
    assert {rule_of(name)[0] for name in minimal} == {"daily_headcount", "queue_min_agents"}
    assert not _feasible_with(scenario, inst, minimal)
    for name in minimal:  # minimal: without any one of its rules a plan exists
        assert _feasible_with(scenario, inst, [n for n in minimal if n != name]), name


def test_the_plan_names_a_minimal_conflict():
    scenario, _ = _headcount_below_min_agents(days=3)
    result = plan_shifts(scenario, requirement=flat_requirement(scenario, {"a": 0}))
    assert result.solve.status == "INFEASIBLE"
    assert len(result.solve.conflicting_rules) == 2


def test_conflicting_rules_are_grouped_by_rule_family():
    names = [
        "daily_headcount [consulting_team 2022-01-10]",
        "queue_min_agents [a 2022-01-10]",
        "daily_headcount [consulting_team 2022-01-11]",
        "daily_headcount [consulting_team 2022-01-12]",
        "daily_headcount [consulting_team 2022-01-13]",
        NOT_MINIMAL,
    ]
    assert group_rules(names) == [
        "daily_headcount: consulting_team 2022-01-10, consulting_team 2022-01-11, "
        "consulting_team 2022-01-12 and 1 more (4 scopes)",
        "queue_min_agents: a 2022-01-10",
        NOT_MINIMAL,
    ]


# ----- a plan with no shift says which rule ---------------------------------------------------


def test_seven_days_off_a_week_give_no_shift_and_name_the_rule():
    scenario = micro(labour={"min_days_off_per_week": 7})
    result = plan_shifts(scenario, requirement=flat_requirement(scenario, {"a": 3}))
    assert result.solve.has_plan and result.plan.agents == 0
    assert result.solve.no_shifts_reason == NO_SHIFT_ALLOWED
    assert [rule_of(n)[0] for n in result.solve.conflicting_rules] == ["pool_working_days"]


def test_a_headcount_of_zero_gives_no_shift_and_names_the_headcount():
    scenario = micro(pools=[_pool(headcount=0)], horizon={"days": 2})
    result = plan_shifts(scenario, requirement=flat_requirement(scenario, {"a": 3}))
    assert result.solve.has_plan and result.plan.agents == 0
    assert result.solve.no_shifts_reason == NO_SHIFT_ALLOWED
    assert result.solve.conflicting_rules == (
        "daily_headcount [team 2024-01-01]",
        "daily_headcount [team 2024-01-02]",
    )


def test_a_plan_with_shifts_or_without_need_has_no_reason():
    scenario = micro()
    assert not plan_shifts(scenario).solve.no_shifts_reason
    idle = plan_shifts(scenario, requirement=flat_requirement(scenario, {"a": 0}))
    assert idle.plan.agents == 0 and not idle.solve.no_shifts_reason
    assert idle.solve.conflicting_rules == ()


# ----- every rule family of the shift plan can be named ----------------------------------------


def _conflict(**changes) -> set[str]:
    """The rule families a plan that needs one agent on the line all day is told conflict."""
    changes = {"pools": [_pool()], **changes}
    scenario = micro(queues=[{**_queue(), "min_agents": 1}], **changes)
    result = plan_shifts(scenario, requirement=flat_requirement(scenario, {"a": 0}))
    assert result.solve.status == "INFEASIBLE"
    return {rule_of(name)[0] for name in result.solve.conflicting_rules}


def test_the_headcount_is_named():
    # Two agents on the line, one operator.
    scenario = micro(queues=[{**_queue(), "min_agents": 2}], pools=[_pool()])
    result = plan_shifts(scenario, requirement=flat_requirement(scenario, {"a": 0}))
    rules = {rule_of(name)[0] for name in result.solve.conflicting_rules}
    assert rules == {"daily_headcount", "queue_min_agents"}


def test_days_off_are_named():
    # Five open days, one operator who must have three days off (4-hour days: not the hours).
    week = {
        "horizon": {"days": 5, "window_end": "13:00"},
        "shift_templates": [{"name": "full", "length_minutes": 240}],
    }
    rules = _conflict(labour={"min_days_off_per_week": 3}, **week)
    # The pool's working days, or the mixes of shifts its operators' weeks allow (both count
    # the days off), with the line's minimum.
    assert rules & {"pool_working_days", "pool_shifts_within_weekly_hours"}
    assert "queue_min_agents" in rules
    # It is the days off: with two a plan exists.
    scenario = micro(
        queues=[{**_queue(), "min_agents": 1}],
        pools=[_pool()],
        labour={"min_days_off_per_week": 2},
        **week,
    )
    result = plan_shifts(scenario, requirement=flat_requirement(scenario, {"a": 0}))
    assert result.solve.has_plan


def test_weekly_hours_are_named():
    # Three 8-hour days for one operator allowed 20 hours a week.
    rules = _conflict(
        horizon={"days": 3},
        pools=[_pool(max_hours_per_week=20)],
        labour={"max_hours_per_week": 20},
    )
    assert rules & {"weekly_paid_hours", "pool_shifts_within_weekly_hours"}
    assert "queue_min_agents" in rules


def test_breaks_are_named():
    # One operator on an 8-hour day must take a break, and the line may never be empty.
    template = {
        "name": "full",
        "length_minutes": 480,
        "breaks": [
            {
                "name": "meal",
                "length_minutes": 30,
                "earliest_start_after_minutes": 180,
                "latest_start_after_minutes": 300,
            }
        ],
    }
    rules = _conflict(shift_templates=[template])
    assert {"breaks_in_windows", "queue_min_agents", "daily_headcount"} <= rules
