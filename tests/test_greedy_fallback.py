"""A search that ends with no plan (out of time, or stopped before its first plan) returns the
greedy plan, evaluated and checked like any plan and flagged as greedy in the report, the
words, the CLI and kpis.json (issue 13)."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest
import yaml
from ortools.sat.python import cp_model

import planner.shiftplan.blocks as blocks
from planner.cli import main
from planner.cpsat.assemble import hinted_terms
from planner.cpsat.solve import SolveOutcome, configure, run_solver
from planner.demand import build_demand
from planner.domain.plan import GREEDY_SOURCE, GREEDY_TEXT, Plan, quality_text
from planner.io.scenario_file import load_scenario, parse_scenario
from planner.shiftplan import overtime_budgets, plan_shifts
from planner.shiftplan.extract import greedy_as_plan, join_plans
from planner.shiftplan.heuristic import greedy_plan
from planner.shiftplan.instance import MONEY_SCALE, build_instance
from planner.shiftplan.model import build_model
from planner.staffing import build_requirement
from planner.store.reopen import solve_report_from_document
from planner.validate.plan import validate_plan

REPO = Path(__file__).resolve().parents[1]
EMERGENCY = REPO / "scenarios" / "emergency.yaml"


def _no_plan(bound: float = math.nan, stopped: bool = False):
    """A stand-in for CP-SAT's search that always ends with no solution (``UNKNOWN``)."""

    def run(model, solver, *, scale, progress=None, stop=None, known_bound=-math.inf):
        solver.solve(cp_model.CpModel())  # a response to read (deterministic time), no plan
        return SolveOutcome("UNKNOWN", math.nan, bound, 0.5, None, 0, stopped=stopped)

    return run


@pytest.fixture(scope="module")
def emergency():
    return load_scenario(EMERGENCY)


def test_no_plan_in_time_returns_the_greedy_plan_valid_and_flagged(emergency, monkeypatch):
    monkeypatch.setattr(blocks, "run_solver", _no_plan())
    result = plan_shifts(emergency, time_limit_seconds=20)
    s = result.solve
    assert s.status == "UNKNOWN"  # CP-SAT's own status, kept
    assert s.plan_source == GREEDY_SOURCE and s.greedy and s.has_plan
    assert result.plan.shifts, "the greedy plan staffs the emergency week"
    assert result.validation.ok, result.validation.summary()
    assert validate_plan(emergency, result.plan).ok
    # No bound was proved, so no gap, and the words say what the plan is.
    assert math.isnan(s.best_bound) and math.isnan(s.gap)
    assert s.quality_text.startswith(GREEDY_TEXT)
    assert "no gap is proved" in s.quality_text and "optimal" not in s.quality_text
    # It is the greedy heuristic's plan, and its objective the sum of its terms.
    inst = build_instance(emergency, build_requirement(emergency, build_demand(emergency)))
    greedy = greedy_as_plan(inst, greedy_plan(inst))
    assert result.plan.shifts == greedy.shifts
    assert result.plan.agents == sum(greedy_plan(inst).starts.values())
    assert s.objective == pytest.approx(sum(result.penalties.values()))
    assert result.penalties["cost"] > 0


def test_a_bound_proved_before_the_end_gives_the_greedy_plan_a_gap(emergency, monkeypatch):
    monkeypatch.setattr(blocks, "run_solver", _no_plan(bound=1000.0))
    s = plan_shifts(emergency, time_limit_seconds=20).solve
    assert s.greedy and s.best_bound == 1000.0
    assert s.gap == pytest.approx((s.objective - 1000.0) / s.objective)
    assert "(proved bound)" in s.quality_text and "no gap is proved" not in s.quality_text


def test_stopped_before_the_first_plan_returns_the_greedy_plan_too(emergency, monkeypatch):
    monkeypatch.setattr(blocks, "run_solver", _no_plan(stopped=True))
    result = plan_shifts(emergency, time_limit_seconds=20)
    assert result.solve.greedy and result.solve.stopped and result.validation.ok
    assert result.solve.quality_text.startswith("stopped by you before the solver's first plan")
    assert GREEDY_TEXT in result.solve.quality_text


def test_the_greedy_plans_objective_is_the_models_with_its_decisions_fixed(emergency):
    """The objective read from the hint without a solver is what CP-SAT finds with every
    decision (starts, breaks, split between lines) held to the greedy plan's."""
    inst = build_instance(emergency, build_requirement(emergency, build_demand(emergency)))
    greedy = greedy_plan(inst)
    sm = build_model(inst, hint=greedy)
    hinted = sum(hinted_terms(sm).values()) / MONEY_SCALE
    v = sm.variables
    for index, x in v.starts.items():
        sm.model.add(x == greedy.starts.get(index, 0))
    for key, y in v.breaks.items():
        sm.model.add(y == greedy.breaks.get(key, 0))
    for key, a in v.allocation.items():
        sm.model.add(a == greedy.allocation.get(key, 0))
    solver = configure(emergency.solver, time_limit_seconds=20, relative_gap=0.0)
    outcome = run_solver(sm.model, solver, scale=MONEY_SCALE)
    assert outcome.status == "OPTIMAL"
    assert hinted == pytest.approx(outcome.objective, rel=1e-9, abs=1e-6)


def test_the_cli_prints_the_flag_and_kpis_json_has_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(blocks, "run_solver", _no_plan())
    out = tmp_path / "out"
    code = main(["solve", str(EMERGENCY), "--out", str(out), "--quiet", "--time-limit", "20"])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert f"{GREEDY_TEXT}: the solver found no plan in the time limit" in printed
    assert "bound none proved" in printed
    solver = json.loads((out / "kpis.json").read_text())["solver"]
    assert solver["plan_source"] == "greedy" and solver["status"] == "UNKNOWN"
    assert solver["quality"].startswith(GREEDY_TEXT) and solver["gap"] is None
    assert solve_report_from_document(solver).greedy  # reopened, still flagged


@pytest.mark.parametrize("status", ["INFEASIBLE", "MODEL_INVALID"])
def test_a_greedy_flag_never_hides_a_model_without_plan(status):
    assert GREEDY_TEXT not in quality_text(status, math.nan, greedy=True)


def test_a_plan_the_search_found_is_not_called_greedy(emergency):
    s = plan_shifts(emergency, time_limit_seconds=10).solve
    assert s.plan_source == "solver" and not s.greedy
    assert GREEDY_TEXT not in s.quality_text


@pytest.mark.parametrize("shared", [False, True])
def test_weeks_alone_fall_back_to_greedy_plans_that_keep_the_monthly_caps_together(
    shared, monkeypatch
):
    """28 days of emergency.yaml with three times the calls: the monthly overtime caps bind
    and couple the weeks, which are solved alone first. With no search finding a plan, the
    weeks' greedy plans (what plan_shifts returns when time runs out there) keep the caps
    together only when each keeps an even share of them (``greedy_budgets``); the check
    without shares shows the rule binds."""
    data = yaml.safe_load(EMERGENCY.read_text())
    data["horizon"]["days"] = 28
    data["queues"][0]["demand"]["calls_per_day"] *= 3
    data["surges"][1]["added_calls_per_day"] *= 3
    scenario = parse_scenario(data, source="28 days, calls x 3")
    requirement = build_requirement(scenario, build_demand(scenario))
    monkeypatch.setattr(blocks, "run_solver", _no_plan())
    even = overtime_budgets(scenario, Plan.empty(scenario.grid, [], [])) if shared else None
    parts, _ = blocks.solve_blocks(
        scenario,
        requirement,
        scenario.solver,
        progress=None,
        stop=None,
        overtime=False,
        part_time=False,
        greedy_budgets=even,
    )
    assert len(parts) == 4 and all(p.plan_source == GREEDY_SOURCE for p in parts)
    report = validate_plan(scenario, join_plans([p.plan for p in parts], scenario.grid))
    broken = {v.rule for v in report.violations}
    assert (broken == set()) if shared else ("pool_overtime_per_month" in broken), broken


def test_a_weeks_greedy_plan_keeps_its_share_of_the_overtime_caps():
    data = yaml.safe_load(EMERGENCY.read_text())
    scenario = parse_scenario(data, source="week")
    inst = build_instance(scenario, build_requirement(scenario, build_demand(scenario)))
    free = greedy_plan(inst)

    def paid(plan, p):
        return sum(
            o.paid_minutes * plan.starts.get(o.index, 0) for o in inst.options if o.pool == p
        )

    pool = max(range(len(inst.pool_names)), key=lambda p: paid(free, p))
    most = paid(free, pool) // 2  # half what it works unhindered
    held = greedy_plan(dataclasses.replace(inst, overtime_budget={pool: (most, 0)}))
    assert 0 < paid(held, pool) <= most


@pytest.mark.parametrize(
    ("language", "word"), [("en", GREEDY_TEXT), ("ru", "жадный"), ("kk", "ашкөз")]
)
def test_the_app_words_a_greedy_plan_in_the_sessions_language(language, word, monkeypatch):
    from app_pages import _i18n, tables

    monkeypatch.setattr(_i18n, "language", lambda: language)
    monkeypatch.setattr(_i18n, "_session_translation", lambda: _i18n.translation(language))
    text = tables.verdict("UNKNOWN", math.nan, greedy=True)
    assert word in text
    assert text != tables.verdict("UNKNOWN", math.nan)  # without the flag: no plan found
    stopped = tables.verdict("UNKNOWN", math.nan, stopped=True, greedy=True)
    assert word in stopped and stopped != text
    with_gap = tables.verdict("UNKNOWN", 0.25, greedy=True)
    assert word in with_gap and "25" in with_gap


def test_a_greedy_plan_is_named_in_the_compare_and_sweep_tables(emergency, monkeypatch):
    """Where each plan of a study comes from is a column of its tables (``plan_source``) and a
    row of the comparison ("plan made by"), so that a greedy plan is not read as a solver's."""
    from planner.present.catalogue import rows
    from planner.study import InProcess, compare_scenarios, sweep

    monkeypatch.setattr(blocks, "run_solver", _no_plan())
    comparison = compare_scenarios(
        [emergency, emergency], labels=["a", "b"], executor=InProcess(), time_limit_seconds=5
    )
    assert list(comparison.kpis["plan_source"]) == [GREEDY_SOURCE, GREEDY_SOURCE]
    shown = {key: entry for key, _label, entry in rows(comparison.kpis.columns)}
    assert shown["plan_source"].format(GREEDY_SOURCE) == GREEDY_TEXT
    assert shown["plan_source"].title == "Plan made by"
    swept = sweep(emergency, {"pools[borrowed].headcount": [0]}, executor=InProcess())
    assert list(swept.table["plan_source"]) == [GREEDY_SOURCE]
    monkeypatch.undo()
    found = sweep(emergency, {"pools[borrowed].headcount": [21]}, executor=InProcess())
    assert list(found.table["plan_source"]) == ["solver"]
