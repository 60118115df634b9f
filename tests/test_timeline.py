"""Timelines of a day (planner.present.timeline): the Gantt rows and the floor at a moment.

On hand-made plans (a few agents, lines that can be checked by eye) and on the emergency
scenario's plan and roster of its 71 named operators (two days, to keep the solve short): the
bars are the plan's shifts and breaks exactly, the floor counts are the plan's coverage, and the
roster has one row per operator working that day. The app's Timeline tab renders (AppTest).
"""

from __future__ import annotations

import functools
import io
from datetime import date, time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.plan import Plan, ShiftGroup
from planner.io.operators_file import load_operators
from planner.io.scenario_file import parse_scenario
from planner.io.yaml_strict import read_yaml
from planner.present.timeline import (
    BREAK,
    FLOOR_COLUMNS,
    NO_LINE,
    ROW_COLUMNS,
    SEGMENT_COLUMNS,
    moment_interval,
    plan_timeline,
    roster_timeline,
)
from planner.roster import roster_plan
from planner.shiftplan import plan_shifts
from planner.timegrid import TimeGrid, parse_clock

REPO = Path(__file__).resolve().parents[1]
SCENARIO = REPO / "scenarios" / "emergency.yaml"
OPERATORS = REPO / "scenarios" / "data" / "emergency_operators.csv"

# ----- hand-made plans ----------------------------------------------------------------------------

GRID = TimeGrid(date(2022, 1, 10), 1, 9 * 60, 13 * 60, 60)  # 09:00-13:00, hourly: 4 intervals


def hand_plan(groups, allocation) -> Plan:
    """Pools ``flex`` (both lines) and ``solo`` (line b); queues a, b; one day of 4 hours."""
    shifts = tuple(
        ShiftGroup(0, pool, "t", start, length, breaks, 60 * length, agents)
        for pool, start, length, breaks, agents in groups
    )
    a = np.zeros((2, 2, 1, 4), dtype=np.int64)
    for (p, q), counts in allocation.items():
        a[p, q, 0] = counts
    return Plan(GRID, ("flex", "solo"), ("a", "b"), shifts, a)


def test_an_agent_keeps_their_line_while_the_plan_allows_it():
    # Three flexible agents in three groups; X breaks at 10:00, the split follows the duty.
    plan = hand_plan(
        [("flex", 0, 4, ((1, 1),), 1), ("flex", 0, 4, (), 1), ("flex", 0, 4, ((2, 1),), 1)],
        {(0, 0): [2, 1, 1, 2], (0, 1): [1, 1, 1, 0]},
    )
    timeline = plan_timeline(plan, 0)
    assert len(timeline.rows) == 3
    lines = timeline._lines
    # Where two intervals in a row have agents on the phones, nobody switches line unless the
    # allocation of their line fell below those keeping it: here only at 12:00, when line b
    # needs nobody and its agent (the second group's or the third's) must move.
    on = (lines[:, 1:] >= 0) & (lines[:, :-1] >= 0)
    switched = on & (lines[:, 1:] != lines[:, :-1])
    assert switched[:, :2].sum() == 0
    for i in range(4):  # the split is the plan's, in every interval
        codes = lines[:, i]
        assert [(codes == q).sum() for q in range(2)] == list(plan.allocation[0, :, 0, i])


@st.composite
def flexible_days(draw):
    """A day of 8 hourly intervals: flexible agents' shifts with a break, and a split of the
    agents on duty between lines a and b drawn at random in each interval."""
    grid = TimeGrid(date(2022, 1, 10), 1, 9 * 60, 17 * 60, 60)
    groups = []
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, 6))
        length = draw(st.integers(2, 8 - start))
        pause = draw(
            st.one_of(
                st.just(()), st.tuples(st.integers(1, length - 1)).map(lambda o: ((o[0], 1),))
            )
        )
        groups.append(ShiftGroup(0, "flex", "t", start, length, pause, 60, draw(st.integers(1, 4))))
    plan = Plan(grid, ("flex",), ("a", "b"), tuple(groups), np.zeros((1, 2, 1, 8), np.int64))
    duty = plan.on_duty[0, 0]
    on_a = np.array([draw(st.integers(0, int(n))) for n in duty], dtype=np.int64)
    allocation = np.stack([on_a, duty - on_a])[None, :, None, :]
    return Plan(grid, ("flex",), ("a", "b"), tuple(groups), allocation)


@settings(max_examples=60, deadline=None)
@given(flexible_days())
def test_lines_follow_the_allocation_and_an_agent_moves_only_when_their_line_is_full(plan):
    lines = plan_timeline(plan, 0)._lines
    for i in range(plan.grid.intervals_per_day):
        for q in range(2):
            assert (lines[:, i] == q).sum() == plan.allocation[0, q, 0, i]
    for i in range(1, plan.grid.intervals_per_day):
        before, now = lines[:, i - 1], lines[:, i]
        moved = (before >= 0) & (now >= 0) & (before != now)
        for q in set(before[moved]):  # the line they left is full of agents who held it
            stayed = ((before == q) & (now == q)).sum()
            assert stayed == plan.allocation[0, q, 0, i]


def test_a_group_split_between_lines_has_a_bar_per_line_with_its_agents():
    plan = hand_plan([("flex", 0, 4, (), 3)], {(0, 0): [3, 2, 1, 0], (0, 1): [0, 1, 2, 3]})
    segments = plan_timeline(plan, 0).segments
    per_line = segments.groupby("line")["agents"].apply(list).to_dict()
    # Line a: 3 agents 9-10, then 2, then 1 (three bars); line b: 1, 2, 3 from 10:00.
    assert per_line == {"a": [3, 2, 1], "b": [1, 2, 3]}
    assert list(segments["start"]) == ["09:00", "10:00", "10:00", "11:00", "11:00", "12:00"]


def test_a_dedicated_pool_answers_its_line_and_breaks_are_bars_of_their_own():
    plan = hand_plan([("solo", 1, 3, ((1, 1),), 2)], {(1, 1): [0, 2, 0, 2]})
    segments = plan_timeline(plan, 0).segments
    assert list(segments["kind"]) == ["work", "break", "work"]
    assert list(segments["line"]) == ["b", BREAK, "b"]
    assert list(segments["start"]) == ["10:00", "11:00", "12:00"]
    assert list(segments["end"]) == ["11:00", "12:00", "13:00"]
    assert segments["agents"].tolist() == [2, 2, 2]
    assert segments["from"].iloc[0] == pd.Timestamp("2022-01-10 10:00")


def test_agents_on_duty_the_allocation_leaves_without_a_line_are_shown_so():
    plan = hand_plan([("solo", 0, 4, (), 2)], {(1, 1): [2, 1, 2, 2]})
    timeline = plan_timeline(plan, 0)
    assert set(timeline.segments["line"]) == {"b", NO_LINE}
    counts = timeline.floor("10:30").counts
    assert counts.loc["solo", NO_LINE] == 1 and counts.loc["solo", "b"] == 1
    assert NO_LINE not in timeline.floor("09:00").counts.columns


def test_the_floor_says_who_has_not_started_and_who_has_finished():
    plan = hand_plan([("solo", 0, 2, (), 1), ("solo", 2, 2, (), 1)], {(1, 1): [1, 1, 1, 1]})
    timeline = plan_timeline(plan, 0)
    early = timeline.floor("09:30").people.set_index("shift")["status"].to_dict()
    late = timeline.floor(time(12, 59)).people.set_index("shift")["status"].to_dict()
    assert early == {"09:00-11:00": "on the phones", "11:00-13:00": "not started"}
    assert late == {"09:00-11:00": "finished", "11:00-13:00": "on the phones"}
    assert list(timeline.floor(0).people.columns) == list(FLOOR_COLUMNS)


def test_a_moment_outside_the_window_is_an_error_naming_it():
    assert moment_interval(GRID, "10:59") == 1
    assert moment_interval(GRID, time(9, 0)) == 0
    for moment in ("08:59", "13:00", 4, -1):
        with pytest.raises(ValueError, match="outside the operating window 09:00-13:00"):
            moment_interval(GRID, moment)
    with pytest.raises(ValueError, match="outside the horizon"):
        plan_timeline(hand_plan([], {}), date(2022, 1, 11))


def test_a_day_without_shifts_has_no_rows_and_an_empty_floor():
    timeline = plan_timeline(hand_plan([], {}), 0)
    assert timeline.rows.empty and timeline.segments.empty
    assert list(timeline.rows.columns) == list(ROW_COLUMNS)
    assert list(timeline.segments.columns) == list(SEGMENT_COLUMNS)
    assert timeline.floor("10:00").counts.loc["all", "on duty"] == 0


# ----- the emergency scenario ---------------------------------------------------------------------


@functools.cache
def emergency():
    """emergency.yaml over its first two days, its plan, and the roster of its 71 operators."""
    data = read_yaml(SCENARIO.read_text(encoding="utf-8"), str(SCENARIO))
    data["horizon"]["days"] = 2
    scenario = parse_scenario(data, source=str(SCENARIO))
    plan = plan_shifts(scenario, time_limit_seconds=8.0)
    operators = load_operators(OPERATORS, scenario)
    roster = roster_plan(scenario, plan, operators, time_limit_seconds=4.0)
    return scenario, plan, roster


def minutes_per_row(segments: pd.DataFrame, kind: str) -> pd.Series:
    part = segments[segments["kind"] == kind]
    return (part["minutes"] * part["agents"]).groupby(part["row"]).sum()


@pytest.mark.parametrize("day", [0, 1])
def test_plan_bars_are_the_shifts_and_breaks_exactly(day):
    _, result, _ = emergency()
    plan = result.plan
    timeline = plan_timeline(plan, plan.grid.dates[day])
    groups = [g for g in plan.shifts if g.day == day]
    assert len(timeline.rows) == len(groups) > 0
    assert timeline.rows["agents"].sum() == sum(g.agents for g in groups)
    minutes = plan.grid.interval_minutes
    work, rest = (
        minutes_per_row(timeline.segments, "work"),
        minutes_per_row(timeline.segments, "break"),
    )
    n = plan.grid.intervals_per_day
    for row, g in zip(
        timeline.rows.itertuples(), groups_in_row_order(timeline, groups), strict=True
    ):
        breaks = sum(length for _, length in g.breaks)
        assert work[row.row] == g.agents * (g.length - breaks) * minutes
        assert rest.get(row.row, 0) == g.agents * breaks * minutes
        # Interval by interval: the bars hold the group's agents on duty and on a break.
        bars = timeline.segments[timeline.segments["row"] == row.row]
        held = np.zeros((2, n), dtype=np.int64)
        for bar in bars.itertuples():
            first = plan.grid.interval_of(parse_clock(bar.start))
            held[int(bar.kind == "break"), first : first + bar.minutes // minutes] += bar.agents
        assert (held[0] == g.agents * g.duty(n)).all()
        on_shift = np.zeros(n, dtype=bool)
        on_shift[g.start : g.end] = True
        assert (held[1] == g.agents * (on_shift & ~g.duty(n))).all()


def groups_in_row_order(timeline, groups):
    """The day's shift groups matched to the timeline's rows (label without the repeat mark)."""
    grid = timeline.grid
    left = list(groups)
    out = []
    for row in timeline.rows.itertuples():
        match = next(
            g
            for g in left
            if (g.pool, grid.clock_at(g.start), grid.clock_at(g.end), g.template, g.agents)
            == (row.pool, row.start, row.end, row.template, row.agents)
        )
        left.remove(match)
        out.append(match)
    return out


def test_plan_floor_counts_are_the_coverage_at_every_moment():
    _, result, _ = emergency()
    plan, coverage = result.plan, result.coverage
    for day in range(plan.grid.days):
        timeline = plan_timeline(plan, day)
        staffed = coverage[coverage["day"] == plan.grid.dates[day]].pivot_table(
            index="interval_start", columns="queue", values="staffed_agents", aggfunc="sum"
        )
        for i, moment in enumerate(timeline.moments):
            counts = timeline.floor(moment).counts
            for queue in plan.queue_names:
                assert counts.loc["all", queue] == staffed.loc[moment, queue], (day, moment)
            assert list(counts["on duty"].iloc[:-1]) == list(plan.on_duty[:, day, i])


def test_roster_has_one_row_per_operator_working_that_day_with_their_shift():
    _, result, rostered = emergency()
    roster = rostered.roster
    for day in result.plan.grid.dates:
        timeline = roster_timeline(roster, result.plan, day)
        working = roster[pd.to_datetime(roster["day"]).dt.date == day]
        assert sorted(timeline.rows["operator"]) == sorted(working["operator"])
        assert len(timeline.rows) > 0
        by_operator = working.set_index("operator")
        for row in timeline.rows.itertuples():
            shift = by_operator.loc[row.operator]
            assert (row.start, row.end, row.name) == (shift["start"], shift["end"], shift["name"])
            assert shift["name"] in row.row  # the label names the operator
            bars = timeline.segments[timeline.segments["row"] == row.row]
            paid = bars.loc[bars["kind"] == "work", "minutes"].sum()
            shown_breaks = ";".join(
                f"{b.start}-{b.end}" for b in bars[bars["kind"] == "break"].itertuples()
            )
            assert shown_breaks == shift["breaks"]
            length = pd.Timestamp(f"2000-01-01 {row.end}") - pd.Timestamp(f"2000-01-01 {row.start}")
            assert (
                paid
                == length.total_seconds() / 60 - bars.loc[bars["kind"] == "break", "minutes"].sum()
            )


def test_roster_floor_counts_the_operators_on_duty_and_keeps_the_plans_split():
    _, result, rostered = emergency()
    plan = result.plan
    for day in range(plan.grid.days):
        timeline = roster_timeline(rostered.roster, plan, day)
        unassigned = (
            pd.to_datetime(rostered.unassigned["day"]).dt.date == plan.grid.dates[day]
        ).sum()
        for i, moment in enumerate(timeline.moments):
            floor = timeline.floor(moment)
            on_phones = floor.people[floor.people["status"] == "on the phones"]
            assert floor.counts.loc["all", "on duty"] == on_phones["agents"].sum()
            per_pool = on_phones.groupby("pool")["agents"].sum()
            for pool in plan.pool_names:
                assert floor.counts.loc[pool, "on duty"] == per_pool.get(pool, 0)
            if not unassigned:  # every planned shift worked: the plan's own split
                for q, queue in enumerate(plan.queue_names):
                    assert floor.counts.loc["all", queue] == plan.staffed[q, day, i]


def test_a_roster_read_back_from_its_csv_gives_the_same_timeline():
    # Saved work comes back from files: dates as text, no breaks as an empty cell (NaN).
    _, result, rostered = emergency()
    text = rostered.roster.to_csv(index=False)
    read = pd.read_csv(io.StringIO(text), dtype={"breaks": str})
    day = result.plan.grid.dates[1]
    shown = roster_timeline(read, result.plan, day)
    made = roster_timeline(rostered.roster, result.plan, day)
    pd.testing.assert_frame_equal(shown.segments, made.segments)
    pd.testing.assert_frame_equal(shown.floor("15:00").counts, made.floor("15:00").counts)


def test_a_roster_row_with_unreadable_breaks_or_an_unknown_pool_is_an_error():
    _, result, rostered = emergency()
    roster = rostered.roster.copy()
    first = roster.index[0]
    broken = roster.copy()
    broken.loc[first, "breaks"] = "noon"
    day = pd.to_datetime(roster.loc[first, "day"]).date()
    with pytest.raises(ValueError, match="breaks 'noon'"):
        roster_timeline(broken, result.plan, day)
    broken = roster.copy()
    broken.loc[first, "pool"] = "night_team"
    with pytest.raises(ValueError, match="night_team"):
        roster_timeline(broken, result.plan, day)


# ----- the app's Timeline tab (AppTest, no browser) -----------------------------------------------


@pytest.fixture
def app(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PLANNER_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def timeline_chart(at):
    """The Timeline tab's chart spec and its rows (bars, breaks and the moment's rule)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    (chart,) = [c for c in at.get("vega_lite_chart") if "who works when" in c.proto.spec]
    return chart, [convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets]


def test_the_plan_pages_timeline_tab_draws_the_day_and_the_floor_at_the_moment(app):
    from tests.test_app_pages import errors, solve

    solve(app, day="Wed 12 Jan")
    assert not app.exception and not app.error, errors(app)
    plan = app.session_state["plan"].result.plan
    assert app.selectbox(key="plan_timeline_day").options == ["Wed 12 Jan"]
    expected = plan_timeline(plan, 0)
    _, data = timeline_chart(app)
    assert sum(len(d) for d in data) == len(expected.segments) + 1  # bars, breaks, the rule

    app.slider(key="plan_timeline_moment").set_value(time(10, 30)).run()
    assert not app.exception
    i = plan.grid.interval_of(10 * 60 + 30)
    shown = {m.label: m.value for m in app.metric}
    for q, queue in enumerate(plan.queue_names):
        assert shown[f"on {queue}"] == f"{plan.staffed[q, 0, i]:,}"
    assert shown["on duty"] == f"{plan.on_duty[:, 0, i].sum():,}"

    app.multiselect(key="plan_timeline_pools").set_value(["borrowed"]).run()
    _, data = timeline_chart(app)
    borrowed = expected.segments[expected.segments["pool"] == "borrowed"]
    assert sum(len(d) for d in data) == len(borrowed) + 1


@pytest.mark.slow
def test_the_roster_pages_timeline_tab_has_a_row_per_operator_of_the_chosen_day(app):
    from tests.test_app_pages import errors, make_roster

    make_roster(app)
    assert not app.exception
    result = app.session_state["roster"].result
    friday = date(2022, 1, 14)
    app.selectbox(key="roster_timeline_day").select("Fri 14 Jan").run()
    assert not app.exception, errors(app)
    working = result.roster[pd.to_datetime(result.roster["day"]).dt.date == friday]
    (people,) = [d.value for d in app.dataframe if "status" in d.value.columns]
    assert sorted(people["operator"]) == sorted(working["operator"])
    _, data = timeline_chart(app)
    bars = pd.concat(data)  # work, breaks and the moment's rule (which has no operator)
    assert set(bars["operator"].dropna()) == set(working["operator"])
