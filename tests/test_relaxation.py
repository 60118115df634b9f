"""The linear relaxation (planner.cpsat.relax) and a bound proved before the search
(run_solver's ``known_bound``): checked against LP optima worked out by hand and against
CP-SAT's own optimum."""

from __future__ import annotations

import math

import numpy as np
import pytest
from ortools.sat.python import cp_model

from planner.cpsat.relax import solve_relaxation
from planner.cpsat.solve import configure, relative_gap, run_solver
from planner.domain.scenario import SolverSettings


def covering_model() -> tuple[cp_model.CpModel, list[cp_model.IntVar]]:
    """min 3a + 5b + 4c with 2a + b >= 3, a + 2c >= 4, b + c >= 1.5 (as 2b + 2c >= 3).

    LP optimum 10.4, where all three rows are tight: a = 1.4, b = 0.2, c = 1.3. The dual
    (rows in that order, the last as b + c >= 1.5) is y = (1.4, 0.2, 3.6): every column's
    reduced cost is 0 and 3y1 + 4y2 + 1.5y3 = 10.4, the same value, so the bound is tight.
    """
    model = cp_model.CpModel()
    a, b, c = (model.new_int_var(0, 10, name) for name in "abc")
    model.add(2 * a + b >= 3)
    model.add(a + 2 * c >= 4)
    model.add(2 * b + 2 * c >= 3)
    model.minimize(3 * a + 5 * b + 4 * c)
    return model, [a, b, c]


def test_the_relaxation_finds_the_lp_optimum_and_proves_it_from_its_duals():
    model, (a, b, c) = covering_model()
    relaxation = solve_relaxation(model, 10.0)
    assert relaxation is not None
    values = relaxation.solution
    lp_value = 3 * values[a.index] + 5 * values[b.index] + 4 * values[c.index]
    assert values[a.index] == pytest.approx(1.4, abs=1e-6)
    assert values[b.index] == pytest.approx(0.2, abs=1e-6)
    assert values[c.index] == pytest.approx(1.3, abs=1e-6)
    assert lp_value == pytest.approx(10.4, abs=1e-6)
    assert relaxation.bound == pytest.approx(10.4, rel=1e-6)
    assert relaxation.bound <= lp_value + 1e-9


def test_the_bound_never_exceeds_cp_sats_proved_optimum():
    rng = np.random.default_rng(7)
    for _ in range(20):
        model = cp_model.CpModel()
        xs = [model.new_int_var(0, 6, f"x{k}") for k in range(5)]
        for _row in range(4):
            weights = rng.integers(0, 4, size=5)
            model.add(sum(int(w) * x for w, x in zip(weights, xs, strict=True)) >= 7)
        costs = rng.integers(1, 9, size=5)
        model.minimize(sum(int(w) * x for w, x in zip(costs, xs, strict=True)) + 3)
        solver = cp_model.CpSolver()
        assert solver.solve(model) == cp_model.OPTIMAL
        relaxation = solve_relaxation(model, 10.0)
        assert relaxation is not None
        assert relaxation.bound <= solver.objective_value + 1e-9
        assert relaxation.bound >= 3  # the offset is kept


def test_a_model_without_an_objective_has_no_relaxation():
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    model.add(x >= 1)
    assert solve_relaxation(model, 1.0) is None


def test_a_known_bound_is_reported_and_ends_the_search_within_the_gap():
    """With a proved bound of 10.4 and a relative gap of 10 %, the first plan within 10 % of
    it ends the search, and the reported bound is never below the known one."""
    model, _ = covering_model()
    settings = SolverSettings(time_limit_seconds=10.0, relative_gap=0.10)
    solver = configure(settings)
    outcome = run_solver(model, solver, scale=1.0, known_bound=10.4)
    assert outcome.status in ("OPTIMAL", "FEASIBLE")
    assert outcome.best_bound >= 10.4
    assert relative_gap(outcome.objective, outcome.best_bound) <= 0.10 + 1e-12
    unbounded = run_solver(model, configure(settings), scale=1.0)
    assert unbounded.objective >= outcome.best_bound
    assert math.isfinite(unbounded.best_bound)
