"""Decision variables of the shift-sizing model, with queries named after what they mean.

Decisions
---------
``starts[o]``
    Agents starting shift option ``o`` (a day, pool, template and start time).
``breaks[o, b, k]``
    Of those, agents taking break ``b`` ``k`` intervals after the start.
``allocation[p, q, d, i]``
    For a pool serving several open queues on day ``d``: its agents on duty in interval ``i``
    who answer queue ``q``. A pool with one open queue that day needs no such variable: all its
    agents on duty answer that queue.

Soft rules add their own auxiliaries here too (``shortfall``, ``overstaffing``, and in ``daily``
mode ``daily_staff``, ``answered``, ``floor_shortfall``, ``below_floor``,
``daily_shortfall``; ``block_gain`` of the routing blocks; in ``interval`` mode ``service_loss``
and its ``service_cuts``), so a hint or a
report can reach them by name.

Everything else (agents on duty, agents staffed per queue) is a linear expression of these,
built once and looked up here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.shiftplan.instance import Instance

__all__ = ["PlanVariables", "create_variables"]

Key = tuple[int, int, int]  # (pool or queue, day, interval)


@dataclass
class PlanVariables:
    """The model's decision variables and the expressions derived from them."""

    starts: dict[int, cp_model.IntVar]
    breaks: dict[tuple[int, int, int], cp_model.IntVar]
    allocation: dict[tuple[int, int, int, int], cp_model.IntVar]
    shortfall: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    overstaffing: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    daily_staff: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    answered: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    floor_shortfall: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    below_floor: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    answered_cuts: dict[Key, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    daily_shortfall: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    block_gain: dict[tuple[int, int, int, int], cp_model.IntVar] = field(default_factory=dict)
    service_loss: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    service_staff: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    service_cuts: dict[Key, tuple[int, list[tuple[int, int, int]]]] = field(default_factory=dict)
    overtime: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """(pool, week) -> the pool's overtime minutes that week, at least its paid minutes beyond
    its operators' normal weeks (rules ``pool_overtime_per_month`` / ``_per_year``)."""
    _on_duty: dict[Key, cp_model.LinearExprT] = field(default_factory=dict)
    _staffed: dict[Key, cp_model.LinearExprT] = field(default_factory=dict)

    def on_duty(self, pool: int, day: int, interval: int) -> cp_model.LinearExprT:
        """Agents of a pool on shift and not on a break in an interval."""
        return self._on_duty.get((pool, day, interval), 0)

    def staffed(self, queue: int, day: int, interval: int) -> cp_model.LinearExprT:
        """Agents answering a queue in an interval (each agent counted for one queue only)."""
        return self._staffed.get((queue, day, interval), 0)

    def on_duty_keys(self):
        return self._on_duty.keys()

    def starts_of(self, inst: Instance, pool: int, day: int) -> list[cp_model.IntVar]:
        return [self.starts[o.index] for o in inst.options if o.pool == pool and o.day == day]


def create_variables(
    model: cp_model.CpModel, inst: Instance, bound: int | None = None
) -> PlanVariables:
    """Create every decision variable, named so a solution can explain itself.

    Agents on a pool's day are at most its headcount that day, or ``bound`` when given: the
    explaining model's variables are loose, so that the ``daily_headcount`` rule, not the
    variables' domains, is what limits the agents, and an explanation can name it.
    """

    def cap(p: int, d: int) -> int:
        return int(inst.headcount[p, d]) if bound is None else bound

    starts, breaks = {}, {}
    duty_terms: dict[Key, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    for o in inst.options:
        label = (
            f"start[{inst.grid.dates[o.day]}|{inst.pool_names[o.pool]}|"
            f"{inst.scenario.shift_templates[o.template].name}|{inst.grid.interval_labels[o.start]}]"
        )
        x = model.new_int_var(0, cap(o.pool, o.day), label)
        starts[o.index] = x
        for i in range(o.start, o.end):
            duty_terms[(o.pool, o.day, i)].append((x, 1))
        for b, brk in enumerate(o.breaks):
            for k in range(brk.first, brk.last + 1):
                y = model.new_int_var(0, cap(o.pool, o.day), f"{label}.{brk.name}@{k}")
                breaks[(o.index, b, k)] = y
                for i in range(o.start + k, o.start + k + brk.length):
                    duty_terms[(o.pool, o.day, i)].append((y, -1))

    on_duty = {key: _weighted_sum(terms) for key, terms in duty_terms.items()}
    allocation = {}
    staffed_terms: dict[Key, list] = defaultdict(list)
    for (p, d, i), expr in on_duty.items():
        queues = inst.open_skills(p, d)
        if len(queues) == 1:
            staffed_terms[(queues[0], d, i)].append(expr)
            continue
        for q in queues:
            a = model.new_int_var(
                0,
                cap(p, d),
                f"allocation[{inst.grid.dates[d]}|{inst.grid.interval_labels[i]}|"
                f"{inst.pool_names[p]}->{inst.queue_names[q]}]",
            )
            allocation[(p, q, d, i)] = a
            staffed_terms[(q, d, i)].append(a)
    staffed = {key: sum(terms[1:], terms[0]) for key, terms in staffed_terms.items()}
    return PlanVariables(
        starts=starts, breaks=breaks, allocation=allocation, _on_duty=on_duty, _staffed=staffed
    )


def _weighted_sum(terms: list[tuple[cp_model.IntVar, int]]) -> cp_model.LinearExprT:
    variables, coefficients = zip(*terms, strict=True)
    return cp_model.LinearExpr.weighted_sum(variables, coefficients)
