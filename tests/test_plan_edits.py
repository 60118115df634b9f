"""Edits to a plan's shift groups (planner.editing.plan_edits): each accepted or refused with the
rule named, the KPIs recomputed and moving the right way, every accepted plan passing the
solver-free validator, and locks kept through a re-optimisation (planner.shiftplan.locks)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from planner.editing.plan_edits import (
    EditedPlan,
    LockShift,
    MoveGroup,
    SetAgents,
    apply_plan_edit,
    follow_duty,
    locks_kept,
    reoptimise,
)
from planner.io.scenario_file import parse_scenario
from planner.shiftplan import plan_shifts
from planner.shiftplan.locks import locked_shape, shift_key
from planner.validate.plan import validate_plan
from tests.test_compare import TINY


def _scenario():
    """The comparison tests' tiny day, with room to edit: a window of six hours, a 4-hour shift
    with a break, staff to spare and a flexible pool (two lines, routing blocks of an hour)."""
    data = copy.deepcopy(TINY)
    data["horizon"]["window_end"] = "15:00"
    data["shift_templates"][0]["start_step_minutes"] = 30
    data["shift_templates"][0]["breaks"] = [
        {
            "name": "rest",
            "length_minutes": 15,
            "earliest_start_after_minutes": 90,
            "latest_start_after_minutes": 150,
        }
    ]
    data["queues"][0]["demand"]["calls_per_day"] = 150
    data["queues"][1]["demand"]["calls_per_day"] = 90
    data["pools"][0]["headcount"] = 10
    data["pools"][2]["headcount"] = 6
    return parse_scenario(data, source="tiny-edits")


@pytest.fixture(scope="module")
def scenario():
    return _scenario()


@pytest.fixture(scope="module")
def state(scenario):
    result = plan_shifts(scenario, time_limit_seconds=10)
    assert result.solve.has_plan and result.validation.ok
    return EditedPlan.start(scenario, result)


def _group(state, pool, template="half_4h"):
    """The pool's largest group of the template."""
    groups = [g for g in state.plan.shifts if g.pool == pool and g.template == template]
    return max(groups, key=lambda g: g.agents)


def _accepted(outcome):
    assert outcome.accepted, outcome.message
    assert outcome.message.startswith("accepted")
    plan = outcome.state.plan
    assert validate_plan(outcome.state.scenario, plan).ok  # the specification, without a solver
    assert outcome.state.result.validation.ok
    return outcome.state


def test_fewer_agents_on_a_group_lower_the_cost_and_the_service(state):
    group = _group(state, "consulting_team", "short_2h")
    assert group.agents >= 2
    new = _accepted(apply_plan_edit(state, SetAgents(group, group.agents - 2)))
    before, after = state.result.kpis, new.result.kpis
    assert after.paid_hours == pytest.approx(before.paid_hours - 2 * group.paid_minutes / 60)
    assert after.cost < before.cost
    assert after.shifts == before.shifts - 2
    consulting = "consulting"
    assert after.queues[consulting].service_level <= before.queues[consulting].service_level
    assert after.understaffed_intervals >= before.understaffed_intervals
    assert new.log == (SetAgents(group, group.agents - 2),) and new.undo() is state


def test_more_agents_on_a_group_raise_the_cost_and_never_lower_the_service(state):
    group = _group(state, "borrowed")
    new = _accepted(apply_plan_edit(state, SetAgents(group, group.agents + 1)))
    before, after = state.result.kpis, new.result.kpis
    assert after.cost > before.cost
    for queue in ("consulting", "emergency"):  # the flexible pool answers both
        assert after.queues[queue].service_level >= before.queues[queue].service_level - 1e-12
    total = new.plan.allocation.sum(axis=1)  # agents on duty are split, none counted twice
    assert (total == new.plan.on_duty).all()


def test_removing_a_group_takes_its_agents_off_the_lines(state):
    group = _group(state, "borrowed")
    new = _accepted(apply_plan_edit(state, SetAgents(group, 0)))
    assert group not in new.plan.shifts
    p = new.plan.pool_names.index("borrowed")
    assert new.plan.allocation[p].sum() < state.plan.allocation[p].sum()


def test_more_agents_than_the_headcount_are_refused_naming_the_rule(state, scenario):
    group = _group(state, "consulting_team")
    headcount = scenario.pool("consulting_team").headcount
    outcome = apply_plan_edit(state, SetAgents(group, headcount + 1))
    assert not outcome.accepted and outcome.state is state
    assert outcome.rules == ("daily_headcount",)
    assert "headcount (daily_headcount)" in outcome.message
    assert f"headcount is {headcount}" in outcome.message


def test_a_move_keeps_the_breaks_with_the_shift(state, scenario):
    group = _group(state, "emergency_team")
    step = 2 if group.start < 2 else -2  # 30 minutes later or earlier: an allowed start
    new = _accepted(
        apply_plan_edit(state, MoveGroup(group, scenario.grid.clock_at(group.start + step)))
    )
    moved = [g for g in new.plan.shifts if g.pool == "emergency_team"]
    assert sum(g.agents for g in moved) == sum(
        g.agents for g in state.plan.shifts if g.pool == "emergency_team"
    )
    assert any(g.start == group.start + step and g.breaks == group.breaks for g in moved)
    assert new.result.kpis.cost == pytest.approx(state.result.kpis.cost)  # same paid hours


@pytest.mark.parametrize("start", ["14:00", "09:10", "nine"])
def test_a_move_off_the_start_window_is_refused_naming_the_rule(state, start):
    group = _group(state, "consulting_team")
    outcome = apply_plan_edit(state, MoveGroup(group, start))
    assert not outcome.accepted and outcome.rules == ("shift_start_allowed",)
    assert "shift start window (shift_start_allowed)" in outcome.message


def test_a_start_between_the_templates_steps_is_refused_by_the_validator(state, scenario):
    group = _group(state, "consulting_team")
    off_step = scenario.grid.clock_at(group.start + 1)  # 15 minutes: the template steps by 30
    outcome = apply_plan_edit(state, MoveGroup(group, off_step))
    assert not outcome.accepted and "shift_start_allowed" in outcome.rules


def test_a_locked_shift_cannot_be_changed_until_unlocked(state):
    group = _group(state, "consulting_team")
    locked = apply_plan_edit(state, LockShift(group))
    assert locked.accepted and locked.state.is_locked(group)
    refused = apply_plan_edit(locked.state, SetAgents(group, group.agents - 1))
    assert not refused.accepted and refused.rules == ("locked",)
    unlocked = apply_plan_edit(locked.state, LockShift(group)).state
    assert not unlocked.locks
    assert apply_plan_edit(unlocked, SetAgents(group, group.agents - 1)).accepted


def test_an_edit_of_a_group_not_in_the_plan_is_refused(state):
    group = _group(state, "consulting_team")
    ghost = SetAgents(type(group)(**{**group.__dict__, "agents": group.agents + 50}), 1)
    outcome = apply_plan_edit(state, ghost)
    assert not outcome.accepted and outcome.rules == ("no_shift",)


def test_a_lock_is_kept_through_re_optimisation_where_the_solver_would_undo_the_edit(state):
    group = _group(state, "consulting_team")
    edited = _accepted(apply_plan_edit(state, SetAgents(group, group.agents + 2)))
    grown = next(g for g in edited.plan.shifts if shift_key(g) == shift_key(group))
    locked = apply_plan_edit(edited, LockShift(grown)).state

    kept = reoptimise(locked, time_limit_seconds=5)
    assert kept.accepted, kept.message
    plan = kept.state.plan
    assert validate_plan(kept.state.scenario, plan).ok
    assert locks_kept(locked.locked_groups(), plan) == 1
    key = shift_key(group)
    wanted = locked_shape(locked.locked_groups())[key]
    assert locked_shape(g for g in plan.shifts if shift_key(g) == key)[key] == wanted
    on_shift = sum(g.agents for g in state.plan.shifts if shift_key(g) == key)
    assert wanted[0] == on_shift + 2  # the edited count, held as both bounds
    assert kept.state.locks == locked.locks  # the locks stay for the next edits
    assert "1 of 1 locked shift(s) kept" in kept.message

    free = reoptimise(edited, time_limit_seconds=5)  # no lock: the extra agents go
    unlocked = sum(g.agents for g in free.state.plan.shifts if shift_key(g) == key)
    assert unlocked != wanted[0]
    assert free.state.result.kpis.cost < kept.state.result.kpis.cost


def test_follow_duty_changes_lines_only_with_agents_coming_on_duty():
    before = np.array([[2, 2, 2, 2], [1, 1, 1, 1]])  # two lines, four intervals, one block
    joining = np.array([3, 1, 0, 0])
    leaving = np.array([0, 0, 2, 0])
    after = follow_duty(before, joining, leaving, [0, 1], step=4)
    assert after.sum(axis=0).tolist() == [3, 4, 2, 2]
    gained = np.maximum(np.diff(after, axis=1), 0).sum(axis=0)
    assert (gained <= joining[1:]).all()
    assert after[:, 0].tolist() == [2, 1]  # the block starts with the split before


def test_more_agents_than_the_weekly_hours_allow_are_refused_naming_the_rule():
    data = copy.deepcopy(TINY)
    data["horizon"]["days"] = 2
    data["pools"][0]["max_hours_per_week"] = 4  # a 4-hour shift a week per operator
    scenario = parse_scenario(data, source="tiny-weekly-hours")
    state = EditedPlan.start(scenario, plan_shifts(scenario, time_limit_seconds=5))
    group = _group(state, "consulting_team")
    headcount = scenario.pool("consulting_team").headcount
    assert group.agents < headcount  # the day's headcount would allow one more
    outcome = apply_plan_edit(state, SetAgents(group, group.agents + 1))
    assert not outcome.accepted and "weekly_paid_hours" in outcome.rules
    assert "daily_headcount" not in outcome.rules
    assert "weekly hours (weekly_paid_hours)" in outcome.message
    fewer = apply_plan_edit(state, SetAgents(group, group.agents - 1))
    assert fewer.accepted  # fewer hours keep the cap


def test_a_lock_on_a_shift_the_scenario_does_not_allow_is_a_clear_error(state):
    from dataclasses import replace

    from planner.errors import PlannerError
    from planner.shiftplan.locks import reoptimise_around_locks

    group = _group(state, "consulting_team")
    off_step = replace(group, start=group.start + 1)  # 15 minutes: the template steps by 30
    with pytest.raises(PlannerError, match=r"locked shift 2022-01-10 consulting_team half_4h"):
        reoptimise_around_locks(state.scenario, state.plan, [off_step], time_limit_seconds=1)
