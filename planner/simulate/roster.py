"""A roster as the simulator takes it: the named shifts actually worked, as a plan.

A roster is the plan's shifts given to operators, less the shifts nobody could take
(``unassigned``). Each roster row is one operator's shift on one day, with its breaks; grouped,
the rows are shift groups of a plan. What a roster does not say is which line a flexible agent
answers in each interval: the plan's allocation says it for the agents the plan had. The
rostered agents on duty of a flexible pool are split between its lines in the plan's proportions
(largest remainders, ties to the scenario's queue order), so that with every planned shift
rostered the split is the plan's own, and with some unassigned each line loses its share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.domain.plan import ALLOCATION_COLUMNS, SHIFT_COLUMNS, Plan
from planner.domain.scenario import Scenario
from planner.io.plan_tables import plan_from_tables
from planner.validate.duty import on_duty_from_shifts

__all__ = ["rostered_plan"]


def rostered_plan(scenario: Scenario, plan: Plan, roster: pd.DataFrame) -> Plan:
    """The plan a roster works (see the module docstring).

    Parameters
    ----------
    scenario : Scenario
    plan : Plan
        The plan the roster was made from (its allocation splits the flexible pools).
    roster : pandas.DataFrame
        ``roster.csv``'s rows: at least ``day, pool, template, start, end, breaks,
        paid_hours``, one row per operator and shift.

    Raises
    ------
    ValueError
        If a column is missing or a row cannot be read on the scenario's grid.
    """
    shift_columns = [c for c in SHIFT_COLUMNS if c != "agents"]
    missing = [c for c in shift_columns if c not in roster.columns]
    if missing:
        raise ValueError(f"roster: missing column(s) {', '.join(missing)}")
    rows = roster[shift_columns].astype(str)
    shifts = (
        rows.groupby(shift_columns, sort=True).size().rename("agents").reset_index()
        if len(rows)
        else pd.DataFrame(columns=[*shift_columns, "agents"])
    )
    shifts["paid_hours"] = pd.to_numeric(shifts["paid_hours"], errors="coerce") * shifts["agents"]
    shifts = shifts[list(SHIFT_COLUMNS)]
    duty = on_duty_from_shifts(scenario, shifts)  # pools x days x intervals
    split = split_like(duty, plan.allocation)
    grid = scenario.grid
    p, q, d, i = np.nonzero(split)
    allocation = pd.DataFrame(
        {
            "day": [grid.dates[k].isoformat() for k in d],
            "interval_start": [grid.interval_labels[k] for k in i],
            "pool": [plan.pool_names[k] for k in p],
            "queue": [plan.queue_names[k] for k in q],
            "agents": split[p, q, d, i],
        },
        columns=list(ALLOCATION_COLUMNS),
    )
    return plan_from_tables(scenario, shifts, allocation)


def split_like(duty: np.ndarray, allocation: np.ndarray) -> np.ndarray:
    """Whole agents on duty per pool, day and interval, split between queues in the proportions
    of ``allocation`` (pools x queues x days x intervals), largest remainders first.

    Where the allocation has no agent of the pool in that interval (a shift the roster moved),
    the agents go to the queue the pool answered most over the day, else its first queue with
    any allocation, else the first queue.
    """
    pools, _, days, _ = allocation.shape
    out = np.zeros_like(allocation)
    planned = allocation.sum(axis=1)  # pools x days x intervals
    for p in range(pools):
        for d in range(days):
            favourite = int(np.argmax(allocation[p, :, d].sum(axis=1)))
            for i in np.flatnonzero(duty[p, d]):
                n = int(duty[p, d, i])
                if planned[p, d, i] == 0:
                    out[p, favourite, d, i] = n
                    continue
                share = allocation[p, :, d, i] * n / planned[p, d, i]
                whole = np.floor(share).astype(np.int64)
                left = n - int(whole.sum())
                order = np.argsort(-(share - whole), kind="stable")
                whole[order[:left]] += 1
                out[p, :, d, i] = whole
    return out
