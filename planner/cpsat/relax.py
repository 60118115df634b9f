"""The linear relaxation of a CP-SAT model, solved by GLOP (OR-Tools' simplex), with a bound
on the model's objective that is proved from the LP's duals.

For models made only of linear constraints whose relaxation is tight (the shift plan's
``daily`` mode: the concave answered-within-T curves are cuts, so the LP is the continuous
problem), the LP optimum is close to the integer one and cheap next to CP-SAT's own LP, which
re-solves it at every node with its cuts. Two uses:

- its values say where the best plans put their agents, a profile a quick model can cover;
- its dual values give a lower bound on the model's objective that holds for *any* dual vector
  (weak duality): for the problem ``min c'x`` s.t. ``lo <= Ax <= hi``, ``l <= x <= u``, and any
  ``y``, ``c'x >= sum_j min_{x_j in [l_j, u_j]} (c - A'y)_j x_j + sum_i min_{r in [lo_i,
  hi_i]} y_i r``. The bound is computed from the returned duals in double precision, with no
  trust in the simplex's own tolerances; a dual of the wrong sign for an infinite side is
  dropped (it would only weaken the bound). Constraints with enforcement literals and
  non-linear constraints are left out, which only relaxes the problem further.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

__all__ = ["Relaxation", "solve_relaxation"]

_INFINITE = 2**62  # CP-SAT's domains use int64 extremes for "unbounded"
_SAFETY = 1e-9  # relative margin taken off the dual bound for the rounding of its sums


@dataclass(frozen=True)
class Relaxation:
    """The LP optimum of a model's relaxation.

    ``solution[k]``: the LP value of the model's variable with proto index ``k``. ``bound``: a
    proved lower bound on the model's objective, in the objective's own units (what CP-SAT
    reports as ``objective_value``). ``seconds``: wall seconds to build and solve.
    """

    solution: np.ndarray
    bound: float
    seconds: float


def solve_relaxation(model: cp_model.CpModel, time_limit_seconds: float) -> Relaxation | None:
    """Solve the linear relaxation of a minimising CP-SAT model with GLOP.

    Returns None when the LP is not solved to optimality within ``time_limit_seconds`` (wall
    clock; ``math.inf`` for none) or the model has no objective, so the caller goes on
    without it.
    """
    started = time.perf_counter()
    proto = model.proto
    if not proto.has_objective():
        return None
    lower = np.array([v.domain[0] for v in proto.variables], dtype=float)
    upper = np.array([v.domain[len(v.domain) - 1] for v in proto.variables], dtype=float)
    lp = pywraplp.Solver.CreateSolver("GLOP")
    xs = [lp.NumVar(lo, hi, "") for lo, hi in zip(lower, upper, strict=True)]
    rows, row_lo, row_hi, cols, coefs = [], [], [], [], []
    for c in proto.constraints:
        if not c.has_linear() or len(c.enforcement_literal):
            continue
        domain = c.linear.domain
        lo, hi = domain[0], domain[len(domain) - 1]
        lo = -math.inf if lo <= -_INFINITE else float(lo)
        hi = math.inf if hi >= _INFINITE else float(hi)
        row = lp.Constraint(lo, hi)
        variables, coefficients = list(c.linear.vars), list(c.linear.coeffs)
        for v, a in zip(variables, coefficients, strict=True):
            row.SetCoefficient(xs[v], a)
        rows.append(row)
        row_lo.append(lo)
        row_hi.append(hi)
        cols.append(np.array(variables, dtype=np.int64))
        coefs.append(np.array(coefficients, dtype=float))
    cost = np.zeros(len(xs))
    objective = lp.Objective()
    for v, a in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        objective.SetCoefficient(xs[v], a)
        cost[v] += a
    objective.SetMinimization()
    if math.isfinite(time_limit_seconds):
        lp.set_time_limit(max(int(time_limit_seconds * 1000), 1))
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    values = np.array([x.solution_value() for x in xs])
    duals = np.array([row.dual_value() for row in rows])
    bound = _dual_bound(cost, lower, upper, duals, row_lo, row_hi, cols, coefs)
    scaling = proto.objective.scaling_factor or 1.0
    bound = (bound + proto.objective.offset) * scaling
    return Relaxation(values, bound, time.perf_counter() - started)


def _dual_bound(cost, lower, upper, duals, row_lo, row_hi, cols, coefs) -> float:
    """Weak duality's bound on ``min cost'x`` from any row duals (see the module doc)."""
    lo, hi = np.array(row_lo), np.array(row_hi)
    y = duals.copy()
    y[(y > 0) & ~np.isfinite(lo)] = 0.0  # only a finite side may carry a dual
    y[(y < 0) & ~np.isfinite(hi)] = 0.0
    reduced = cost.copy()
    if cols:
        lengths = np.fromiter((len(c) for c in cols), dtype=np.int64, count=len(cols))
        np.subtract.at(reduced, np.concatenate(cols), np.repeat(y, lengths) * np.concatenate(coefs))
    from_box = np.where(reduced > 0, reduced * lower, reduced * upper).sum()
    lo, hi = np.where(np.isfinite(lo), lo, 0.0), np.where(np.isfinite(hi), hi, 0.0)
    from_rows = np.where(y > 0, y * lo, y * hi).sum()  # a dual on an infinite side is 0
    bound = float(from_box + from_rows)
    return bound - _SAFETY * abs(bound)
