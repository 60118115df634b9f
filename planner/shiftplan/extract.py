"""Read a solved model back as the plan's two tables (see :mod:`planner.domain.plan`)."""

from __future__ import annotations

from collections import Counter

import pandas as pd
from ortools.sat.python import cp_model

from planner.domain.plan import ALLOCATION_COLUMNS, SHIFT_COLUMNS
from planner.shiftplan.instance import Instance, ShiftOption
from planner.shiftplan.model import ShiftModel
from planner.timegrid import clock_label

__all__ = ["empty_plan", "extract_plan"]


def extract_plan(
    inst: Instance, sm: ShiftModel, solver: cp_model.CpSolver
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The shifts and allocation tables of the solver's best solution."""
    v = sm.variables
    rows = []
    for o in inst.options:
        count = int(solver.value(v.starts[o.index]))
        if count == 0:
            continue
        # The break counts give, per break, how many agents take it at each offset. Pairing the
        # k-th earliest first break with the k-th earliest second break is always valid: break
        # windows are ordered and cannot overlap (checked when the scenario is loaded).
        offsets_per_break = [
            [
                k
                for k in range(b.first, b.last + 1)
                for _ in range(solver.value(v.breaks[(o.index, j, k)]))
            ]
            for j, b in enumerate(o.breaks)
        ]
        combos = Counter(zip(*offsets_per_break, strict=True)) if o.breaks else Counter({(): count})
        for combo, agents in sorted(combos.items()):
            rows.append(_shift_row(inst, o, combo, agents))
    shifts = pd.DataFrame(rows, columns=list(SHIFT_COLUMNS))

    allocation_rows = []
    for p, d, i in v.on_duty_keys():
        for q in inst.open_skills(p, d):
            key = (p, q, d, i)
            agents = int(
                solver.value(v.allocation[key] if key in v.allocation else v.on_duty(p, d, i))
            )
            if agents:
                allocation_rows.append(
                    (
                        inst.grid.dates[d],
                        inst.grid.interval_labels[i],
                        inst.pool_names[p],
                        inst.queue_names[q],
                        agents,
                    )
                )
    allocation = pd.DataFrame(allocation_rows, columns=list(ALLOCATION_COLUMNS))
    allocation = allocation.sort_values(
        ["day", "interval_start", "pool", "queue"], ignore_index=True
    )
    return shifts, allocation


def _shift_row(inst: Instance, o: ShiftOption, combo: tuple[int, ...], agents: int) -> tuple:
    def clock(interval: int) -> str:
        return clock_label(inst.grid.window_start_minute + interval * inst.grid.interval_minutes)

    breaks = ";".join(
        f"{clock(o.start + k)}-{clock(o.start + k + b.length)}"
        for k, b in zip(combo, o.breaks, strict=True)
    )
    return (
        inst.grid.dates[o.day],
        inst.pool_names[o.pool],
        inst.scenario.shift_templates[o.template].name,
        clock(o.start),
        clock(o.end),
        breaks,
        agents,
        agents * o.paid_minutes / 60.0,
    )


def empty_plan() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tables of a plan with no shifts (when the solver found none)."""
    return pd.DataFrame(columns=list(SHIFT_COLUMNS)), pd.DataFrame(columns=list(ALLOCATION_COLUMNS))
