"""Each rule of the roster on a micro instance: feasible, infeasible (the shift is reported
unassigned with its reason, and the rule is named), and exact penalties.

Plans are written by hand as shifts tables, so no shift sizing runs here. Every roster is also
checked by the solver-free validator (``roster_plan`` runs it; the tests assert it passed), and
the soft rules' penalties are checked against a brute-force search over every assignment.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from planner.domain.operators import Operator
from planner.domain.plan import SHIFT_COLUMNS
from planner.domain.scenario import Scenario
from planner.io.plan_tables import plan_from_tables
from planner.io.scenario_file import parse_scenario
from planner.roster.assign import roster_plan
from planner.roster.heuristic import greedy_roster
from planner.roster.instance import RosterWeights, build_roster_instance
from planner.roster.report import penalty_breakdown, roster_tables
from planner.timegrid import clock_label, parse_clock
from planner.validate.roster import validate_roster

MONDAY = date(2024, 1, 1)
FAST = {"time_limit_seconds": 10.0, "relative_gap": 0.0, "workers": 1, "seed": 0}

TEMPLATES = [
    {"name": "short", "length_minutes": 240},
    {
        "name": "day",
        "length_minutes": 480,
        "breaks": [
            {
                "name": "meal",
                "length_minutes": 30,
                "earliest_start_after_minutes": 180,
                "latest_start_after_minutes": 300,
            }
        ],
    },
    {
        "name": "long",
        "length_minutes": 720,
        "breaks": [
            {
                "name": "meal",
                "length_minutes": 60,
                "earliest_start_after_minutes": 240,
                "latest_start_after_minutes": 420,
            }
        ],
    },
]
PAID_MINUTES = {"short": 240, "day": 450, "long": 660}
BREAKS = {"short": "", "day": "{+4}-{+4.5}", "long": "{+5}-{+6}"}

BASE = {
    "schema_version": 1,
    "name": "roster micro",
    "horizon": {
        "start_date": MONDAY.isoformat(),
        "days": 7,
        "window_start": "09:00",
        "window_end": "21:00",
        "interval_minutes": 15,
    },
    "queues": [{"name": "a", "aht_seconds": 300, "demand": {"calls_per_day": 100}}],
    "shift_templates": TEMPLATES,
    "pools": [
        {
            "name": "team",
            "skills": ["a"],
            "headcount": 3,
            "shift_templates": ["short", "day", "long"],
            "max_hours_per_week": 48,
        }
    ],
    "solver": FAST,
}


def micro(**changes) -> Scenario:
    """The base scenario with top-level sections merged (dicts) or replaced (lists)."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return parse_scenario(data, source="micro")


def op(ident: str, pool: str = "team", **fields) -> Operator:
    values = {
        "id": ident,
        "name": ident,
        "pool": pool,
        "skills": ("a",),
        "contract_hours_per_week": 48.0,
        "max_shift_hours": 12.0,
    }
    values.update(fields)
    return Operator(**values)


def shift(day: int, template: str, start: str = "09:00", agents: int = 1, pool: str = "team"):
    """A plan row: ``agents`` shifts of a template starting at ``start`` on horizon day ``day``."""
    begin = parse_clock(start)
    length = next(t["length_minutes"] for t in TEMPLATES if t["name"] == template)
    breaks = BREAKS[template]
    for hours in ("+4", "+4.5", "+5", "+6"):
        breaks = breaks.replace("{" + hours + "}", clock_label(begin + int(float(hours) * 60)))
    return {
        "day": MONDAY + timedelta(days=day),
        "pool": pool,
        "template": template,
        "start": start,
        "end": clock_label(begin + length),
        "breaks": breaks,
        "agents": agents,
        "paid_hours": agents * PAID_MINUTES[template] / 60,
    }


def plan(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(SHIFT_COLUMNS))


def roster(scenario, shifts, operators, **kwargs):
    result = roster_plan(scenario, plan_from_tables(scenario, shifts), operators, **kwargs)
    assert result.validation.ok, result.validation.summary()
    assert "plan_accounted" in result.validation.rules_checked
    assert len(result.roster) + len(result.unassigned) == int(shifts["agents"].sum())
    assert (result.unassigned["reason"].str.len() > 0).all()
    return result


def named(result, rule: str, scope: str) -> bool:
    """Whether the conflict names ``rule`` (alone or with others, ``a+b [scope]``) for scope."""
    return any(
        rule in label.split(" [")[0].split("+") and label.endswith(f"[{scope}]")
        for label in result.solve.conflicting_rules
    )


def worked(result) -> dict[str, list[int]]:
    """Operator -> horizon days worked."""
    days = pd.to_datetime(result.roster["day"]).dt.date.map(lambda d: (d - MONDAY).days)
    return {o: sorted(days[result.roster["operator"] == o]) for o in result.roster["operator"]}


# --------------------------------------------------------------------------------------------------
# Hard rules: feasible, infeasible with the reason and the rule named
# --------------------------------------------------------------------------------------------------


def test_one_shift_per_day():
    result = roster(micro(), plan(shift(0, "day", agents=2)), [op("x"), op("y")])
    assert result.unassigned.empty and result.solve.status == "OPTIMAL"
    result = roster(micro(), plan(shift(0, "day", agents=2)), [op("x")])
    (reason,) = result.unassigned["reason"]
    assert reason == "no operator of team can take it: 1 already work that day"
    assert named(result, "one_shift_per_day", "team 2024-01-01")


def test_pool_and_skills_an_operator_needs_every_skill_the_pool_serves_that_day():
    scenario = micro(
        queues=[
            {"name": "a", "aht_seconds": 300, "demand": {"calls_per_day": 100}},
            {"name": "b", "aht_seconds": 300, "demand": {"calls_per_day": 100}},
        ],
        operating_modes=[{"name": "weekend", "weekdays": ["sat", "sun"], "closed_queues": ["b"]}],
        pools=[{**BASE["pools"][0], "skills": ["a", "b"]}, {**BASE["pools"][0], "name": "other"}],
    )
    only_a = op("x", skills=("a",))
    shifts = plan(shift(0, "day"), shift(5, "day"))
    result = roster(scenario, shifts, [only_a, op("z", pool="other")])
    assert worked(result) == {"x": [5]}  # Saturday: only a is open
    (reason,) = result.unassigned["reason"]
    assert reason == "no operator of team can take it: 1 lack a skill the pool serves that day"
    assert named(result, "pool_and_skills", "team 2024-01-01")


def test_availability():
    away = op("x", days_unavailable=(MONDAY,))
    result = roster(micro(), plan(shift(0, "day"), shift(1, "day")), [away])
    assert worked(result) == {"x": [1]}
    assert result.unassigned["reason"].tolist() == [
        "no operator of team can take it: 1 unavailable that day"
    ]
    assert named(result, "availability", "team 2024-01-01")


def test_max_shift_length_is_the_operator_s_own_limit():
    result = roster(micro(), plan(shift(0, "long"), shift(1, "day")), [op("x", max_shift_hours=8)])
    assert worked(result) == {"x": [1]}
    assert result.unassigned["reason"].tolist() == [
        "no operator of team can take it: 1 may not work a 12 h shift"
    ]
    assert named(result, "max_shift_length", "team 2024-01-01")


def test_weekly_hours_within_the_contract():
    shifts = plan(*(shift(d, "day") for d in range(3)))  # 3 x 7.5 h = 22.5 h
    assert roster(micro(), shifts, [op("x", contract_hours_per_week=22.5)]).unassigned.empty
    result = roster(micro(), shifts, [op("x", contract_hours_per_week=20)])
    assert len(result.roster) == 2 and len(result.unassigned) == 1
    assert "would exceed their weekly hours in week 1" in result.unassigned["reason"].iloc[0]
    assert named(result, "weekly_hours", "team week 1")


def test_min_rest_between_shifts():
    # A 06:00-24:00 window: an evening shift to 22:00 and a 06:00 start leave 8 h of rest.
    flat = [{"name": "a", "aht_seconds": 300, "demand": {"calls_per_day": 100, "profile": "flat"}}]
    scenario = micro(horizon={"window_start": "06:00", "window_end": "24:00"}, queues=flat)
    late, early = shift(0, "day", start="14:00"), shift(1, "day", start="06:00")
    result = roster(scenario, plan(late, early), [op("x")])
    assert len(result.roster) == 1
    assert result.unassigned["reason"].str.contains("would rest less than 11 h").all()
    assert any(r.startswith("min_rest [team") for r in result.solve.conflicting_rules)
    relaxed = micro(
        horizon={"window_start": "06:00", "window_end": "24:00"},
        queues=flat,
        labour={"min_rest_hours": 8},
    )
    assert roster(relaxed, plan(late, early), [op("x")]).unassigned.empty


def test_never_two_long_shifts_on_consecutive_days():
    shifts = plan(shift(0, "long"), shift(1, "long"), shift(2, "long"))
    result = roster(micro(), shifts, [op("x")])
    assert worked(result) == {"x": [0, 2]}
    assert result.unassigned["reason"].tolist() == [
        "no operator of team can take it: 1 would work 12 h shifts on consecutive days"
    ]
    assert "no_consecutive_long_shifts [team 2024-01-01..2024-01-02]" in (
        result.solve.conflicting_rules
    )
    allowed = micro(labour={"no_consecutive_long_shifts": False})
    assert roster(allowed, shifts, [op("x")]).unassigned.empty


def test_two_days_off_in_every_week():
    shifts = plan(*(shift(d, "short") for d in range(6)))
    result = roster(micro(), shifts, [op("x")])
    assert len(worked(result)["x"]) == 5
    assert "would have fewer than 2 days off in week 1" in result.unassigned["reason"].iloc[0]
    assert named(result, "days_off_per_week", "team week 1")
    # A last week of 3 days counts the 4 days after the horizon as days off.
    short_horizon = micro(horizon={"days": 3})
    assert roster(
        short_horizon, plan(*(shift(d, "short") for d in range(3))), [op("x")]
    ).unassigned.empty


def test_at_most_six_consecutive_days_across_weeks():
    # No weekly days-off rule here: only the run of days binds (Thu to Wed is 7 days in a row).
    scenario = micro(horizon={"days": 14}, labour={"min_days_off_per_week": 0})
    shifts = plan(*(shift(d, "short") for d in range(3, 10)))
    result = roster(scenario, shifts, [op("x")])
    assert len(result.roster) == 6
    assert "would work more than 6 days in a row" in result.unassigned["reason"].iloc[0]
    assert any(r.startswith("max_consecutive_days [team") for r in result.solve.conflicting_rules)
    assert roster(
        scenario, plan(*(shift(d, "short") for d in range(3, 9))), [op("x")]
    ).unassigned.empty


def test_a_pool_without_operators_leaves_its_shifts_unassigned_with_that_reason():
    result = roster(micro(), plan(shift(0, "day")), [op("z", pool="team")][:0] or [op("q")])
    assert result.unassigned.empty
    scenario = micro(pools=[BASE["pools"][0], {**BASE["pools"][0], "name": "other"}])
    result = roster(scenario, plan(shift(0, "day", pool="other")), [op("q")])
    assert result.unassigned["reason"].tolist() == ["pool other has no operators"]


# --------------------------------------------------------------------------------------------------
# Soft rules: which roster wins, with exact penalties
# --------------------------------------------------------------------------------------------------


def test_the_shorter_shift_is_left_when_one_must_be():
    result = roster(micro(), plan(shift(0, "long"), shift(0, "short")), [op("x")])
    assert result.roster["template"].tolist() == ["long"]
    assert result.penalties["unassigned_shifts"] == 10_000
    assert result.penalties["unassigned_hours"] == 100 * 4


def test_preferred_day_off_and_start_window_are_kept_when_someone_else_can_work():
    shifts = plan(shift(0, "day", start="09:00"), shift(0, "day", start="13:00"))
    choosy = op("x", preferred_start_window=(12 * 60, 13 * 60))
    result = roster(micro(), shifts, [choosy, op("y")])
    starts = dict(zip(result.roster["operator"], result.roster["start"], strict=True))
    assert starts == {"x": "13:00", "y": "09:00"}
    assert result.penalties["preferred_start_window"] == 0
    both_off = [op("x", preferred_weekdays_off=("mon",)), op("y", preferred_dates_off=(MONDAY,))]
    result = roster(micro(), plan(shift(0, "day")), both_off)
    assert result.penalties["preferred_days_off"] == 40  # one of them must work it


def test_hours_are_shared_by_contract_and_weekends_and_late_shifts_spread():
    shifts = plan(
        shift(0, "long"),  # ends 21:00: late
        shift(0, "short"),
        shift(5, "day", start="12:00"),  # Saturday, ends 20:00: late
        shift(6, "day", start="12:00"),  # Sunday, late
    )
    result = roster(micro(), shifts, [op("x"), op("y")])
    fairness = result.fairness.set_index("operator")
    assert fairness["weekend_shifts"].tolist() == [1, 1]
    assert result.penalties["weekend_spread"] == 0
    assert result.penalties["late_spread"] == 20  # three late shifts: 2 and 1
    # 11 + 4 + 7.5 + 7.5 = 30 paid hours, 15 each at best: the long shift goes with a weekend
    # day to one, the short one with the other: 18.5 and 11.5 hours, 3.5 h off target each.
    assert fairness["target_hours"].tolist() == [15, 15]
    assert result.penalties["hours_off_target"] == pytest.approx(10 * 3.5 * 2)
    # A 24-hour contract against a 48-hour one: targets 10 and 20 hours.
    result = roster(micro(), shifts, [op("x", contract_hours_per_week=24), op("y")])
    assert result.fairness["target_hours"].tolist() == [10, 20]


def test_paired_days_off_when_the_week_allows():
    # One operator, four shifts in a week: Mon, Tue and Thu are fixed; Fri or Sun for the
    # fourth? Only a free Sat+Sun pair remains if the fourth shift is Fri.
    shifts = plan(shift(0, "short"), shift(1, "short"), shift(3, "short"), shift(4, "short"))
    result = roster(micro(), shifts, [op("x")])
    assert result.penalties["paired_days_off"] == 0
    shifts = plan(*(shift(d, "short") for d in (0, 2, 4, 6)))  # no two days off in a row
    result = roster(micro(), shifts, [op("x")])
    assert result.penalties["paired_days_off"] == 30
    assert result.fairness["weeks_without_paired_days_off"].tolist() == [1]


# --------------------------------------------------------------------------------------------------
# Exact optimum: brute force over every assignment of a micro instance
# --------------------------------------------------------------------------------------------------


def brute_force(scenario, shifts, operators, target_hours) -> tuple[int, float]:
    """(fewest unassigned shifts, best penalty of the other soft rules among those rosters)
    over every legal roster, with the fair-share targets the roster used."""
    inst = build_roster_instance(
        scenario, operators, plan_from_tables(scenario, shifts), RosterWeights()
    )
    inst = dataclasses.replace(inst, target_minutes=np.rint(np.array(target_hours) * 60))
    units = [(k, j) for k in inst.kinds for j in range(k.count)]
    choices = [[-1, *inst.eligible[k.index]] for k, _ in units]
    best = None
    for pick in itertools.product(*choices):
        shift_of = np.full((len(operators), inst.days), -1)
        clash = False
        for (k, _), o in zip(units, pick, strict=True):
            if o < 0:
                continue
            if shift_of[o, k.day] >= 0:
                clash = True
                break
            shift_of[o, k.day] = k.index
        if clash:
            continue
        table, missing = roster_tables(inst, shift_of)
        if not validate_roster(scenario, operators, table).ok:
            continue
        penalties = penalty_breakdown(inst, shift_of)
        key = (len(missing), sum(v for n, v in penalties.items() if n != "unassigned_shifts"))
        best = key if best is None or key < best else best
    return best


@pytest.mark.parametrize("seed", range(4))
def test_the_roster_is_the_brute_force_optimum(seed):
    rng = np.random.default_rng(seed)
    templates = ["short", "day", "long"]
    rows = [
        shift(int(d), templates[int(rng.integers(3))], start=str(rng.choice(["09:00", "12:00"])))
        for d in rng.choice(7, size=6, replace=True)
    ]
    rows = [r for r in rows if r["end"] <= "21:00"]
    operators = [
        op("x", contract_hours_per_week=float(rng.choice([20, 30, 48]))),
        op("y", preferred_weekdays_off=("sat",), preferred_start_window=(540, 600)),
    ]
    shifts = plan(*rows)
    result = roster(micro(), shifts, operators)
    targets = result.fairness["target_hours"].tolist()
    fewest, wishes = brute_force(micro(), shifts, operators, targets)
    assert len(result.unassigned) == fewest
    assert result.solve.status == "OPTIMAL" and result.wishes_solve.status == "OPTIMAL"
    got = sum(v for n, v in result.penalties.items() if n != "unassigned_shifts")
    assert got == pytest.approx(wishes)
    assert result.wishes_solve.objective == pytest.approx(wishes)


def test_the_greedy_roster_alone_breaks_no_rule():
    shifts = plan(*(shift(d, t) for d in range(7) for t in ("long", "day", "short")))
    scenario = micro()
    operators = [op(f"o{i}", contract_hours_per_week=float(c)) for i, c in enumerate((48, 36, 20))]
    planned = plan_from_tables(scenario, shifts)
    inst = build_roster_instance(scenario, operators, planned)
    table, missing = roster_tables(inst, greedy_roster(inst).shift_of)
    report = validate_roster(scenario, operators, table, plan=planned, unassigned=missing)
    assert report.ok, report.summary()
