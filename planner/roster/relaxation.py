"""How many planned shifts no roster can cover: a small counting model over whole pools.

Each hard rule, summed over a pool's operators, limits how many shifts of each kind the pool
can work, whoever works them. With ``a_k`` the shifts of kind k that get an operator
(``0 <= a_k <= n_k``), ``E_k`` the operators eligible for k and ``K_pd`` the kinds of pool p on
day d, every roster satisfies:

- availability, pool and skills, shift length, one shift per day: ``a_k <= |E_k|``;
- one shift per day: ``sum_{k in K_pd} a_k <= |{o in p : o may work on d}|``;
- days off per week: ``sum_{d in W} sum_{k in K_pd} a_k <= sum_{o in p} min(days o may work in
  W, days allowed in W)``;
- weekly hours: ``sum_{d in W} sum_{k in K_pd} p_k a_k <= sum_{o in p may work in W}
  60 contract_o``;
- no consecutive long shifts: ``sum_{k long, d_k in {d, d+1}} a_k <= |{o in p : o may work a
  long shift on d or d+1}|``;
- at most M consecutive days: ``sum_{d = t}^{t + M} sum_{k in K_pd} a_k <= sum_{o in p}
  min(days o may work in t..t+M, M)``.

(The rest rule is left out: with a 09:00-21:00 window it cannot bind.) Minimising the
unassigned shifts ``sum_k (n_k - a_k)`` under these constraints gives a lower bound on them for
any roster. The
full model gets that bound as a constraint, which its own LP relaxation does not find (CP-SAT's
presolve turns the per-operator rules into clauses its default LP leaves out), so the search
can stop as soon as it meets it and the reported gap is honest.

When some shifts must stay unassigned, the same model with ``a_k = n_k`` required and each
family of constraints behind a named assumption literal is infeasible, and the assumptions
CP-SAT returns name the rules in conflict (``days_off_per_week [emergency_team week 1]``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.cpsat.clock import Clock
from planner.cpsat.explain import conflicting_rules
from planner.cpsat.terms import HardRuleSink
from planner.domain.scenario import SolverSettings
from planner.roster.instance import RosterInstance

__all__ = ["CountingBound", "counting_bound", "explain_by_counting", "unassigned_minutes_bound"]


@dataclass(frozen=True)
class CountingBound:
    """At least ``shifts`` planned shifts stay unassigned in every roster; ``proved`` when the
    counting model was solved to optimality in the time given (else its bound, still valid)."""

    shifts: int
    proved: bool


def _build(
    inst: RosterInstance,
    hard: HardRuleSink,
    model: cp_model.CpModel,
    pools: tuple[int, ...] | None = None,
):
    """The counting variables ``a_k`` and every aggregated rule (of the given pools, default
    all), tagged for explanations."""
    chosen = range(len(inst.pool_names)) if pools is None else pools
    assigned = {
        k.index: model.new_int_var(0, k.count, f"a[{k.label(inst.grid, inst.pool_names)}]")
        for k in inst.kinds
        if k.pool in chosen
    }
    n_ops = len(inst.operators)
    may = [{k.day for k in inst.options[o]} for o in range(n_ops)]
    may_long = [{k.day for k in inst.options[o] if k.long} for o in range(n_ops)]
    for p in chosen:
        pool = inst.pool_names[p]
        members = [o for o in range(n_ops) if inst.operator_pool[o] == p]
        kinds = [k for k in inst.kinds if k.pool == p]
        if not kinds:
            continue
        by_day: dict[int, list] = {}
        for k in kinds:
            by_day.setdefault(k.day, []).append(assigned[k.index])
            limit = _eligibility_rules(inst, k, members)
            if limit:
                ct = model.add(assigned[k.index] <= len(inst.eligible[k.index]))
                hard.add(ct, limit, f"{pool} {inst.day_label(k.day)}")
        for d, xs in by_day.items():
            ct = model.add(sum(xs) <= sum(1 for o in members if d in may[o]))
            hard.add(ct, "one_shift_per_day", f"{pool} {inst.day_label(d)}")
        for b, (first, stop) in enumerate(inst.blocks):
            week = [k for k in kinds if first <= k.day < stop]
            if not week:
                continue
            days = [sum(1 for d in range(first, stop) if d in may[o]) for o in members]
            cap = sum(min(n, inst.work_days_per_block[b]) for n in days)
            scope = f"{pool} week {b + 1}"
            ct = model.add(sum(assigned[k.index] for k in week) <= cap)
            hard.add(ct, "days_off_per_week", scope)
            hours = sum(
                int(inst.weekly_cap_minutes[o]) for o, n in zip(members, days, strict=True) if n
            )
            ct = model.add(sum(k.paid_minutes * assigned[k.index] for k in week) <= hours)
            hard.add(ct, "weekly_hours", scope)
        if inst.long_rule:
            for d in range(inst.days - 1):
                pair = [assigned[k.index] for k in kinds if k.long and k.day in (d, d + 1)]
                if pair:
                    ops = sum(1 for o in members if may_long[o] & {d, d + 1})
                    ct = model.add(sum(pair) <= ops)
                    scope = f"{pool} {inst.day_label(d)}..{inst.day_label(d + 1)}"
                    hard.add(ct, "no_consecutive_long_shifts", scope)
        m = inst.max_consecutive_days
        for t in range(inst.days - m):
            run = [assigned[k.index] for k in kinds if t <= k.day <= t + m]
            if run:
                cap = sum(
                    min(sum(1 for d in range(t, t + m + 1) if d in may[o]), m) for o in members
                )
                ct = model.add(sum(run) <= cap)
                hard.add(ct, "max_consecutive_days", f"{pool} from {inst.day_label(t)}")
    return assigned


def _eligibility_rules(inst: RosterInstance, k, members: list[int]) -> str | None:
    """The rules behind ``a_k <= |E_k|`` when it binds: those that keep some of the pool's
    operators from shifts of kind k, and one shift per day for the others."""
    if len(inst.eligible[k.index]) >= k.count:
        return None
    names = []
    out = [o for o in members if o not in inst.eligible[k.index]]
    if any(not inst.available[o, k.day] for o in out):
        names.append("availability")
    if any(k.span_minutes > inst.max_shift_minutes[o] for o in out):
        names.append("max_shift_length")
    if any(inst.available[o, k.day] and k.span_minutes <= inst.max_shift_minutes[o] for o in out):
        names.append("pool_and_skills")
    return "+".join([*names, "one_shift_per_day"])


def counting_bound(
    inst: RosterInstance, settings: SolverSettings, seconds: float, clock: Clock | None = None
) -> CountingBound:
    """The fewest unassigned shifts the counting model allows (a lower bound for every
    roster); when not proved within ``seconds`` (deterministic, charged to ``clock``), CP-SAT's
    bound on it (still valid)."""
    clock = clock or Clock(settings)
    model = cp_model.CpModel()
    assigned = _build(inst, HardRuleSink(model), model)
    model.minimize(sum(k.count for k in inst.kinds) - sum(assigned.values()))
    solver = clock.solver(seconds, relative_gap=0.0)
    status = solver.status_name(clock.solve(solver, model))
    if status == "OPTIMAL":
        return CountingBound(round(solver.objective_value), True)
    if status == "FEASIBLE":
        return CountingBound(max(0, math.ceil(solver.best_objective_bound - 1e-9)), False)
    return CountingBound(0, False)


def unassigned_minutes_bound(
    inst: RosterInstance,
    settings: SolverSettings,
    seconds: float,
    most_unassigned: int,
    clock: Clock | None = None,
) -> int:
    """The fewest paid minutes any roster with at most ``most_unassigned`` unassigned shifts
    leaves unassigned, by the counting model (0 when not solved in time: still a bound)."""
    clock = clock or Clock(settings)
    model = cp_model.CpModel()
    assigned = _build(inst, HardRuleSink(model), model)
    total = sum(k.count for k in inst.kinds)
    model.add(total - sum(assigned.values()) <= most_unassigned)
    planned = sum(k.count * k.paid_minutes for k in inst.kinds)
    model.minimize(planned - sum(k.paid_minutes * assigned[k.index] for k in inst.kinds))
    solver = clock.solver(seconds, relative_gap=0.0)
    status = solver.status_name(clock.solve(solver, model))
    if status in ("OPTIMAL", "FEASIBLE"):
        return max(0, math.ceil(solver.best_objective_bound - 1e-9))
    return 0


def explain_by_counting(
    inst: RosterInstance, settings: SolverSettings, seconds: float, clock: Clock | None = None
) -> tuple[str, ...]:
    """Names of the rules (with pool and week or day) that the counting model shows cannot all
    hold with every planned shift assigned; ``()`` when it shows no conflict in time."""
    clock = clock or Clock(settings)
    conflicts: list[str] = []
    pools = sorted({k.pool for k in inst.kinds})
    for p in pools:  # pools share no operator: one conflict per pool, not one for all
        model = cp_model.CpModel()
        hard = HardRuleSink(model, explain=True)
        assigned = _build(inst, hard, model, pools=(p,))
        for k in inst.kinds:
            if k.pool == p:
                scope = f"{inst.pool_names[k.pool]} {inst.day_label(k.day)}"
                ct = model.add(assigned[k.index] == k.count)
                hard.add(ct, "every_shift_assigned", scope)
        conflicts += conflicting_rules(model, hard, clock.solver(seconds / len(pools)), clock)
    return tuple(conflicts)
