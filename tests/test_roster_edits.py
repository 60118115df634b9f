"""A shift manager's roster edits: each checked at once against the labour rules.

Every edit kind is accepted when legal and refused, with the rule named, when not; an accepted
edit's KPIs equal a full re-evaluation of the day; undo restores the roster exactly; locked
assignments survive re-optimisation.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_pages._i18n import say_error
from planner.domain.plan import COVERAGE_COLUMNS
from planner.editing.roster_edits import (
    AddOperatorDay,
    EditedRoster,
    EditOutcome,
    Lock,
    Move,
    RemoveOperatorDay,
    Swap,
    apply_edit,
    lock_violations,
    reoptimise,
)
from planner.errors import PlannerError
from planner.evaluate import coverage_table, daily_kpis
from planner.io.operators_file import load_operators
from planner.roster.instance import build_roster_instance
from planner.roster.locks import reoptimise_around_locks, shift_of_roster
from planner.roster.report import penalty_breakdown
from planner.simulate.roster import rostered_plan
from planner.validate.roster import validate_roster
from tests.test_app_pages import REPO, make_roster
from tests.test_timeline import OPERATORS
from tests.test_timeline import emergency as timeline_case


@functools.cache
def emergency():
    """The emergency week's first two days, its plan, its 71 operators and their roster (the
    timeline tests' case)."""
    scenario, plan, roster = timeline_case()
    return scenario, plan, load_operators(OPERATORS, scenario), roster


def start(scenario=None, operators=None) -> EditedRoster:
    sc, plan, ops, roster = emergency()
    return EditedRoster.start(
        scenario or sc, plan.plan, operators or ops, roster.roster, roster.unassigned
    )


def rows_of(state: EditedRoster, day: int) -> pd.DataFrame:
    return state.roster[state.roster["day"].astype(str) == state.day_text(day)]


def an_eight_hour_shift(state: EditedRoster, day: int = 0) -> pd.Series:
    rows = rows_of(state, day)
    return rows[(rows["start"] == "09:00") & (rows["end"] == "17:00")].iloc[0]


def test_a_legal_move_is_accepted_and_keeps_the_length_and_breaks_offset():
    state = start()
    row = an_eight_hour_shift(state)
    outcome = apply_edit(state, Move(row["operator"], 0, "11:00"))
    assert outcome.accepted, outcome.message
    moved = rows_of(outcome.state, 0)
    moved = moved[moved["operator"] == row["operator"]].iloc[0]
    assert (moved["start"], moved["end"]) == ("11:00", "19:00")
    if row["breaks"]:
        first = row["breaks"].split("-")[0]
        assert moved["breaks"].split("-")[0] == f"{int(first[:2]) + 2:02d}{first[2:]}"
    assert validate_roster(outcome.state.scenario, outcome.state.operators, outcome.state.roster).ok


def test_a_move_outside_the_opening_hours_is_refused_with_the_rule_named():
    state = start()
    row = an_eight_hour_shift(state)
    outcome = apply_edit(state, Move(row["operator"], 0, "14:00"))  # 14:00-22:00, closes 21:00
    assert not outcome.accepted
    assert outcome.rules == ("opening_hours",)
    assert "opening hours" in outcome.message and row["name"] in outcome.message
    assert outcome.state is state


def rest_refusal(min_rest_hours: float) -> tuple[EditOutcome, pd.Series]:
    """With ``min_rest_hours`` of rest required, move a 09:00-17:00 Monday shift of an operator
    who starts at 09:00 on Tuesday to 13:00 (ends 21:00: 12 h rest); the outcome and the row."""
    sc = emergency()[0]
    labour = sc.labour.model_copy(update={"min_rest_hours": min_rest_hours})
    state = start(scenario=sc.model_copy(update={"labour": labour}))
    day0, day1 = rows_of(state, 0), rows_of(state, 1)
    both = day0[
        (day0["end"] == "17:00")
        & day0["operator"].isin(day1.loc[day1["start"] == "09:00", "operator"])
    ].iloc[0]
    return apply_edit(state, Move(both["operator"], 0, "13:00")), both


def test_a_move_that_cuts_the_rest_between_days_is_refused_naming_the_rest_rule():
    outcome, both = rest_refusal(min_rest_hours=13)
    assert not outcome.accepted
    assert outcome.rules == ("min_rest",)
    assert both["name"] in outcome.message and "12 h rest" in outcome.message
    assert "13 h needed" in outcome.message


def test_weekly_hours_refuse_a_day_added_beyond_the_contract():
    _, _, ops, _ = emergency()
    row = an_eight_hour_shift(start(), 0)
    taker = row["operator"]
    # The taker's contract is cut to 10 h a week: one 8-hour day fits, two do not.
    small = tuple(
        dataclasses.replace(o, contract_hours_per_week=10.0) if o.id == taker else o for o in ops
    )
    state = start(operators=small)
    day1 = rows_of(state, 1)
    if taker in set(day1["operator"]):
        state = apply_edit(state, RemoveOperatorDay(taker, 1)).state
    given = day1[(day1["pool"] == row["pool"]) & (day1["operator"] != taker)].iloc[0]
    giver = given["operator"]
    removed = apply_edit(state, RemoveOperatorDay(giver, 1))
    assert removed.accepted, removed.message
    assert len(removed.state.unassigned) == len(state.unassigned) + 1
    assert removed.state.unassigned["reason"].iloc[-1] == "removed by the shift manager"
    refused = apply_edit(removed.state, AddOperatorDay(taker, 1))
    assert not refused.accepted
    assert "weekly_hours" in refused.rules and "weekly hours" in refused.message
    back = apply_edit(
        removed.state, AddOperatorDay(giver, 1, given["start"], given["end"])
    )  # the giver may take it back
    assert back.accepted, back.message
    assert len(back.state.roster) == len(state.roster)
    assert len(back.state.unassigned) == len(state.unassigned)


def test_a_swap_within_a_pool_exchanges_the_shifts_and_across_pools_is_refused():
    state = start()
    day0 = rows_of(state, 0)
    b = day0.set_index("operator")
    outcomes = []
    for _, pool in day0.groupby("pool"):
        for first, second in itertools.combinations(pool["operator"], 2):
            if b.loc[first, "start"] == b.loc[second, "start"] or len(outcomes) > 300:
                continue
            outcome = apply_edit(state, Swap(first, second, 0))
            outcomes.append(outcome)
            if outcome.accepted:
                a = rows_of(outcome.state, 0).set_index("operator")
                assert a.loc[first, "start"] == b.loc[second, "start"]
                assert a.loc[second, "end"] == b.loc[first, "end"]
                assert validate_roster(state.scenario, state.operators, outcome.state.roster).ok
            else:
                assert outcome.rules and outcome.message.startswith("refused: ")
    assert any(o.accepted for o in outcomes)
    pools = day0.groupby("pool")["operator"].first()
    assert len(pools) >= 2
    across = apply_edit(state, Swap(pools.iloc[0], pools.iloc[1], 0))
    assert not across.accepted and "pool_and_skills" in across.rules


def test_kpis_of_an_accepted_edit_equal_a_full_re_evaluation_of_the_day():
    state = start()
    row = an_eight_hour_shift(state, 1)
    outcome = apply_edit(state, Move(row["operator"], 1, "12:00"))
    assert outcome.accepted, outcome.message
    sc, plan, _, _ = emergency()
    full_plan = rostered_plan(sc, plan.plan, outcome.state.roster)
    service = COVERAGE_COLUMNS[COVERAGE_COLUMNS.index("staffed_agents") :]
    requirement = plan.coverage.drop(columns=[*service, "answered_within_target", "answered"])
    full = daily_kpis(sc, coverage_table(sc, requirement, full_plan.staffed))
    full = full[full["day"].astype(str) == state.day_text(1)].reset_index(drop=True)
    pd.testing.assert_frame_equal(outcome.kpis.reset_index(drop=True), full)
    before = apply_edit(state, Lock(row["operator"], 1)).kpis  # lock: roster unchanged
    assert not before["staffed_agent_hours"].equals(outcome.kpis["staffed_agent_hours"]) or (
        before["service_level"].tolist() != outcome.kpis["service_level"].tolist()
    )


def test_locked_shifts_cannot_be_moved_or_removed_and_undo_restores_exactly():
    state = start()
    row = an_eight_hour_shift(state)
    locked = apply_edit(state, Lock(row["operator"], 0))
    assert locked.accepted and (row["operator"], 0) in locked.state.locks
    for edit in (Move(row["operator"], 0, "10:00"), RemoveOperatorDay(row["operator"], 0)):
        refused = apply_edit(locked.state, edit)
        assert not refused.accepted and refused.rules == ("locked",)
    moved = apply_edit(
        apply_edit(locked.state, Lock(row["operator"], 0)).state, Move(row["operator"], 0, "10:00")
    )
    assert moved.accepted
    undone = moved.state.undo().undo().undo()
    pd.testing.assert_frame_equal(undone.roster, state.roster)
    pd.testing.assert_frame_equal(undone.unassigned, state.unassigned)
    assert undone.locks == state.locks and undone.log == ()


def test_every_lock_survives_re_optimisation():
    state = start()
    day0, day1 = rows_of(state, 0), rows_of(state, 1)
    # Lock operators' shifts on both days (different pools and starts where the roster has them).
    picks = [*day0.groupby(["pool", "start"]).head(1).head(4).itertuples()]
    picks += [*day1.groupby(["pool", "start"]).head(1).head(4).itertuples()]
    for r in picks:
        day = 0 if str(r.day) == state.day_text(0) else 1
        outcome = apply_edit(state, Lock(r.operator, day))
        assert outcome.accepted, outcome.message
        state = outcome.state
    locked = state.locked_assignments()
    assert sum(len(v) for v in locked.values()) == len(picks)
    new_roster, unassigned, _ = reoptimise_around_locks(
        state.scenario,
        state.plan,
        state.operators,
        state.roster,
        state.unassigned,
        locked,
        time_limit_seconds=20.0,
    )
    kept = {(str(r.operator), str(r.day), r.start, r.end) for r in new_roster.itertuples()}
    for operator, shifts in locked.items():
        for day, s, e in shifts:
            assert (operator, state.day_text(day), s, e) in kept
    assert validate_roster(state.scenario, state.operators, new_roster).ok
    assert len(new_roster) + len(unassigned) == len(state.roster) + len(state.unassigned)


def test_a_lock_on_a_shift_the_plan_does_not_have_is_refused_by_the_roster_model():
    state = start()
    row = an_eight_hour_shift(state)
    with pytest.raises(PlannerError, match="not a planned shift"):
        reoptimise_around_locks(
            state.scenario,
            state.plan,
            state.operators,
            state.roster,
            state.unassigned,
            {row["operator"]: [(0, "05:00", "13:00")]},
            time_limit_seconds=5.0,
        )


def penalty_points(state: EditedRoster, roster: pd.DataFrame, unassigned: pd.DataFrame) -> float:
    """The soft rules' points of a roster, on the shifts the edited roster holds."""
    held = rostered_plan(state.scenario, state.plan, pd.concat([roster, unassigned]))
    inst = build_roster_instance(state.scenario, state.operators, held)
    return sum(penalty_breakdown(inst, shift_of_roster(inst, roster)).values())


def reoptimised(state: EditedRoster):
    """Re-optimised as the Edit tab does it: the locks checked first, then the roster model."""
    return reoptimise(state, time_limit_seconds=20.0)


def test_a_moved_and_locked_shift_is_kept_at_its_moved_start_by_re_optimisation():
    state = start()
    row = an_eight_hour_shift(state)
    other = an_eight_hour_shift(state, 1)
    for edit in (
        Move(row["operator"], 0, "10:30"),
        Lock(row["operator"], 0),
        Lock(other["operator"], 1),
    ):
        outcome = apply_edit(state, edit)
        assert outcome.accepted, outcome.message
        state = outcome.state
    assert (0, "10:30", "18:30") in state.locked_assignments()[row["operator"]]
    new_roster, unassigned, _ = reoptimised(state)  # no "not a planned shift" any more
    kept = {(str(r.operator), str(r.day), r.start, r.end) for r in new_roster.itertuples()}
    assert (row["operator"], state.day_text(0), "10:30", "18:30") in kept
    assert (other["operator"], state.day_text(1), "09:00", "17:00") in kept
    assert validate_roster(state.scenario, state.operators, new_roster).ok
    assert len(new_roster) + len(unassigned) == len(state.roster) + len(state.unassigned)
    before = penalty_points(state, state.roster, state.unassigned)
    assert penalty_points(state, new_roster, unassigned) <= before + 1e-9


def test_an_unlocked_moved_shift_stays_at_its_moved_start():
    state = start()
    row = an_eight_hour_shift(state)
    other = an_eight_hour_shift(state, 1)
    state = apply_edit(state, Move(row["operator"], 0, "10:30")).state
    state = apply_edit(state, Lock(other["operator"], 1)).state
    new_roster, unassigned, _ = reoptimised(state)
    both = pd.concat([new_roster, unassigned])
    day0 = both[both["day"].astype(str) == state.day_text(0)]
    assert ((day0["start"] == "10:30") & (day0["end"] == "18:30")).sum() == 1
    assert validate_roster(state.scenario, state.operators, new_roster).ok


def test_an_added_and_locked_shift_is_kept_by_re_optimisation():
    state = start()
    row = an_eight_hour_shift(state, 1)
    removed = apply_edit(state, RemoveOperatorDay(row["operator"], 1))
    assert removed.accepted, removed.message
    added = apply_edit(
        removed.state, AddOperatorDay(row["operator"], 1, row["start"], row["end"])
    ).state
    state = apply_edit(added, Lock(row["operator"], 1)).state
    new_roster, _, _ = reoptimised(state)
    kept = {(str(r.operator), str(r.day), r.start, r.end) for r in new_roster.itertuples()}
    assert (row["operator"], state.day_text(1), row["start"], row["end"]) in kept
    assert validate_roster(state.scenario, state.operators, new_roster).ok


def test_a_move_the_rules_forbid_is_refused_so_it_is_never_locked():
    state = start()
    row = an_eight_hour_shift(state)
    outcome = apply_edit(state, Move(row["operator"], 0, "14:00"))
    assert not outcome.accepted and outcome.rules == ("opening_hours",)
    assert "opening hours" in outcome.message
    assert (row["operator"], 0, "14:00") not in {
        (o, d, a) for o, v in state.locked_assignments().items() for d, a, _ in v
    }


# ----- the Edit tab (AppTest, no browser) ---------------------------------------------------------


def test_the_edit_tab_refuses_with_the_rule_accepts_with_kpis_and_keeps_locks(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("PLANNER_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    make_roster(at)
    result = at.session_state["roster"].result
    row = result.roster.iloc[0]
    day = next(i for i, d in enumerate(result.plan.plan.grid.dates) if str(d) == str(row["day"]))
    at.selectbox(key="roster_edits_day").set_value(day).run()
    at.selectbox(key="roster_edits_operator").set_value(row["operator"]).run()
    # Start the shift at the last interval: it would run past closing time.
    labels = result.plan.plan.grid.interval_labels
    at.selectbox(key="roster_edits_start").set_value(labels[-1]).run()
    at.button(key="roster_edits_move").click().run()
    assert not at.exception
    refused = " ".join(e.value for e in at.error)
    assert "refused" in refused and "opening hours" in refused
    at.button(key="roster_edits_lock").click().run()
    assert not at.exception and any("accepted" in s.value for s in at.success)
    state = at.session_state["roster_edits_state"]
    assert (row["operator"], day) in state.locks
    at.button(key="roster_edits_solve").click().run()
    assert not at.exception
    after = at.session_state["roster_edits_state"].roster
    kept = after[
        (after["operator"] == row["operator"]) & (after["day"].astype(str) == str(row["day"]))
    ]
    assert (kept["start"].tolist(), kept["end"].tolist()) == ([row["start"]], [row["end"]])
    at.button(key="roster_edits_undo").click().run()
    assert not at.exception
    pd.testing.assert_frame_equal(at.session_state["roster_edits_state"].roster, state.roster)


def test_re_optimising_around_a_lock_that_breaks_a_rule_names_the_rule():
    """A locked shift its operator may not take (here: the operator is now unavailable that
    day) is refused by re-optimisation with the rule in words and the operator's name, not the
    roster model's "not a planned shift", and the refusal is translated."""
    state = start()
    row = an_eight_hour_shift(state)
    state = apply_edit(state, Lock(row["operator"], 0)).state
    away = tuple(
        dataclasses.replace(o, days_unavailable=(state.scenario.grid.dates[0],))
        if o.id == row["operator"]
        else o
        for o in state.operators
    )
    state = dataclasses.replace(state, operators=away)
    assert [v.rule for v in lock_violations(state)] == ["availability"]
    with pytest.raises(PlannerError) as refused:
        reoptimise(state, time_limit_seconds=5.0)
    text = str(refused.value)
    assert "not a planned shift" not in text
    assert "availability (availability)" in text and "unavailable that day" in text
    assert state.name(row["operator"]) in text and "09:00-17:00" in text
    russian = say_error(refused.value, lang="ru")
    assert "доступность (availability)" in russian and "unavailable" not in russian, russian
    assert state.name(row["operator"]) in russian


def test_re_optimising_around_rule_keeping_locks_finds_nothing_to_name():
    state = start()
    row = an_eight_hour_shift(state)
    state = apply_edit(state, Lock(row["operator"], 0)).state
    assert lock_violations(state) == []
