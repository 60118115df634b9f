"""Properties of rosters for random small operator sets and plans (Hypothesis): every roster
breaks no rule, and every planned shift is worked or reported unassigned with a reason; no
roster leaves fewer shifts unassigned than the counting bound says is possible."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.scenario import SolverSettings
from planner.io.plan_tables import plan_from_tables
from planner.roster.assign import roster_plan
from planner.roster.instance import build_roster_instance
from planner.roster.relaxation import counting_bound
from tests.test_roster_rules import MONDAY, micro, op, plan, shift

SCENARIO = micro(
    queues=[
        {"name": "a", "aht_seconds": 300, "demand": {"calls_per_day": 100}},
        {"name": "b", "aht_seconds": 300, "demand": {"calls_per_day": 100}},
    ],
    operating_modes=[{"name": "weekend", "weekdays": ["sat", "sun"], "closed_queues": ["b"]}],
    pools=[
        {
            "name": "team",
            "skills": ["a", "b"],
            "headcount": 4,
            "shift_templates": ["short", "day", "long"],
            "max_hours_per_week": 48,
        },
        {
            "name": "loan",
            "skills": ["a"],
            "headcount": 2,
            "shift_templates": ["day", "long"],
            "max_hours_per_week": 40,
        },
    ],
)


@st.composite
def operators(draw):
    count = draw(st.integers(1, 4))
    out = []
    for i in range(count):
        pool = draw(st.sampled_from(["team", "team", "loan"]))
        skills = ("a",) if pool == "loan" else draw(st.sampled_from([("a",), ("a", "b")]))
        away = draw(st.sets(st.integers(0, 6), max_size=2))
        start = draw(st.sampled_from([None, (540, 600), (600, 780)]))
        out.append(
            op(
                f"o{i}",
                pool=pool,
                skills=skills,
                contract_hours_per_week=float(draw(st.sampled_from([20, 36, 40]))),
                max_shift_hours=float(draw(st.sampled_from([8, 12]))),
                days_unavailable=tuple(sorted(MONDAY + timedelta(days=d) for d in away)),
                preferred_weekdays_off=draw(st.sampled_from([(), ("sat",), ("mon", "fri")])),
                preferred_start_window=start,
            )
        )
    return out


@st.composite
def shifts(draw):
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        pool = draw(st.sampled_from(["team", "loan"]))
        template = draw(st.sampled_from(["day", "long"] + (["short"] if pool == "team" else [])))
        start = "09:00" if template == "long" else draw(st.sampled_from(["09:00", "12:00"]))
        rows.append(
            shift(draw(st.integers(0, 6)), template, start, draw(st.integers(1, 2)), pool=pool)
        )
    return plan(*rows)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(operators(), shifts())
def test_random_operators_roster_legally_or_report_unassigned_shifts_with_reasons(ops, table):
    result = roster_plan(SCENARIO, plan_from_tables(SCENARIO, table), ops, time_limit_seconds=3.0)
    assert result.validation.ok, result.validation.summary()
    assert len(result.roster) + len(result.unassigned) == int(table["agents"].sum())
    assert all(reason.strip() for reason in result.unassigned["reason"])
    inst = build_roster_instance(SCENARIO, ops, plan_from_tables(SCENARIO, table))
    bound = counting_bound(inst, SolverSettings(), 2.0)
    assert len(result.unassigned) >= bound.shifts
    if len(result.unassigned) and result.solve.status == "OPTIMAL":
        # The fewest is proved: nobody could take one more shift without breaking a rule.
        assert not result.unassigned["reason"].str.contains("could take it").any()
