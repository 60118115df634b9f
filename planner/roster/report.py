"""The roster's tables and measures from ``shift_of[o, d]`` (the kind each operator works each
day, -1 for none). Solver-free: the same code reports a solved roster and the greedy one.

The penalty breakdown here recomputes every soft rule of :mod:`planner.roster.rules` from the
roster, in points, so a roster that did not come from the solver carries one too, and tests can
check the solver's own figures against it.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from planner.domain.roster import FAIRNESS_MEASURES, ROSTER_COLUMNS, UNASSIGNED_COLUMNS
from planner.messages import msg
from planner.roster.instance import RosterInstance, units, units_per_minute
from planner.roster.reasons import unassigned_reason
from planner.timegrid import WEEKDAYS, clock_label

__all__ = [
    "capacity_table",
    "fairness_summary",
    "fairness_table",
    "penalty_breakdown",
    "roster_tables",
    "week_grid",
    "week_view",
]


def roster_tables(inst: RosterInstance, shift_of: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``roster`` and ``unassigned`` tables.

    The planned break times of a kind are handed to its operators in the order of their ids
    (any order would do: breaks change no labour rule); those left over go with the unassigned
    shifts.
    """
    workers = defaultdict(list)
    for o, d in zip(*np.nonzero(shift_of >= 0), strict=True):
        workers[int(shift_of[o, d])].append(int(o))
    rows, missing = [], []
    for k in inst.kinds:
        breaks = [text for text, n in k.breaks for _ in range(n)]
        ops = sorted(workers.get(k.index, []), key=lambda o: inst.operators[o].id)
        day = inst.grid.dates[k.day]
        common = (clock_label(k.start), clock_label(k.end))
        for o, text in zip(ops, breaks, strict=False):
            op = inst.operators[o]
            rows.append(
                (op.id, op.pool, day, *common, text, k.paid_minutes / 60, op.name, k.template)
            )
        left = breaks[len(ops) :]
        if left:
            reason = unassigned_reason(inst, shift_of, k)
            pool = inst.pool_names[k.pool]
            for text in left:
                missing.append((day, pool, k.template, *common, text, k.paid_minutes / 60, reason))
    roster = pd.DataFrame(rows, columns=[*ROSTER_COLUMNS, "name", "template"])
    roster = roster.sort_values(["operator", "day"], ignore_index=True)
    unassigned = pd.DataFrame(missing, columns=list(UNASSIGNED_COLUMNS))
    # The reasons stay messages a page can translate (pandas would make them plain strings).
    unassigned["reason"] = pd.Series([m[-1] for m in missing], dtype=object)
    return roster, unassigned


def week_view(inst: RosterInstance, shift_of: np.ndarray) -> pd.DataFrame:
    """One row per operator and week: ``operator, name, pool, week, week_start``, one column per
    day of the week (named by weekday, in horizon order) holding ``"HH:MM-HH:MM"``, ``off`` or
    ``unavailable`` (empty after the horizon), then ``shifts`` and ``paid_hours``."""
    first_weekday = WEEKDAYS.index(inst.grid.weekdays[0])
    names = [WEEKDAYS[(first_weekday + i) % 7] for i in range(7)]
    rows = []
    for o, op in enumerate(inst.operators):
        for b, (first, stop) in enumerate(inst.blocks):
            cells, minutes, shifts = [], 0, 0
            for d in range(first, first + 7):
                if d >= stop:
                    cells.append("")
                elif shift_of[o, d] >= 0:
                    k = inst.kinds[shift_of[o, d]]
                    cells.append(f"{clock_label(k.start)}-{clock_label(k.end)}")
                    minutes += k.paid_minutes
                    shifts += 1
                else:
                    cells.append("off" if inst.available[o, d] else "unavailable")
            rows.append(
                (
                    op.id,
                    op.name,
                    op.pool,
                    b + 1,
                    inst.grid.dates[first],
                    *cells,
                    shifts,
                    minutes / 60,
                )
            )
    columns = ["operator", "name", "pool", "week", "week_start", *names, "shifts", "paid_hours"]
    return pd.DataFrame(rows, columns=columns)


UNASSIGNED_NAME = "Unassigned shifts"
"""The ``name`` of :func:`week_grid`'s rows of unassigned shifts."""
WORDS = {
    "off": msg("off"),
    "unavailable": msg("unavailable"),
    UNASSIGNED_NAME: msg("Unassigned shifts"),
}
"""The words the week view and grid hold besides shifts and names (a day ``off`` or
``unavailable``, :data:`UNASSIGNED_NAME`), as messages a page may translate."""


def week_grid(week: pd.DataFrame, unassigned: pd.DataFrame) -> pd.DataFrame:
    """The week view with the unassigned shifts as rows of their own, for a shift manager's grid.

    Parameters
    ----------
    week : pandas.DataFrame
        :func:`week_view`'s table.
    unassigned : pandas.DataFrame
        The ``unassigned`` table of :func:`roster_tables`.

    Returns
    -------
    pandas.DataFrame
        ``week``'s columns after a boolean ``unassigned`` column (False on operators' rows),
        then one row per pool and week with unassigned shifts: ``name`` is
        :data:`UNASSIGNED_NAME`, ``operator`` empty, each day's cell the shifts nobody works
        (``"2 x 09:00-21:00; 13:00-17:00"``), ``shifts`` their number and ``paid_hours`` their
        paid hours. Sorted by week, then pool (in the week view's order), operators before their
        pool's unassigned rows.
    """
    grid = week.copy()
    grid.insert(0, "unassigned", False)
    if unassigned.empty or week.empty:
        return grid
    day_columns = list(week.columns[5:12])  # weekday names, in horizon order (week_view)
    first = pd.Timestamp(week["week_start"].min())
    days = pd.to_datetime(unassigned["day"])
    offset = (days - first).dt.days.to_numpy()
    missing = unassigned.assign(
        week=offset // 7 + 1,
        weekday=[WEEKDAYS[d.weekday()] for d in days],
        time=unassigned["start"] + "-" + unassigned["end"],
    )
    rows = []
    for (pool, block), shifts in missing.groupby(["pool", "week"], sort=True):
        row = dict.fromkeys(grid.columns, "")
        cells = {}
        for weekday, on_day in shifts.groupby("weekday", sort=False):
            counts = on_day.groupby("time", sort=True).size()
            cells[weekday] = "; ".join(
                f"{n} x {time}" if n > 1 else time for time, n in counts.items()
            )
        row |= {
            "unassigned": True,
            "operator": "",
            "name": UNASSIGNED_NAME,
            "pool": pool,
            "week": int(block),
            "week_start": (first + pd.Timedelta(days=7 * (int(block) - 1))).date(),
            **{c: cells.get(c, "") for c in day_columns},
            "shifts": len(shifts),
            "paid_hours": float(shifts["paid_hours"].sum()),
        }
        rows.append(row)
    grid = pd.concat([grid, pd.DataFrame(rows, columns=grid.columns)], ignore_index=True)
    pools = {pool: rank for rank, pool in enumerate(dict.fromkeys(grid["pool"]))}
    order = np.lexsort((grid["unassigned"], grid["pool"].map(pools), grid["week"]))
    return grid.iloc[order].reset_index(drop=True)


def fairness_table(inst: RosterInstance, shift_of: np.ndarray) -> pd.DataFrame:
    """Per operator: ``contract_hours_per_week``, ``target_hours`` (fair share of the pool's
    planned hours), ``paid_hours``, ``hours_off_target`` (paid - target), ``shifts``,
    ``weekend_shifts``, ``late_shifts``, ``long_shifts``, ``preferred_days_off_worked``,
    ``starts_outside_window``, ``weeks_without_paired_days_off``."""
    rows = []
    unpaired = _unpaired_weeks(inst, shift_of)
    for o, op in enumerate(inst.operators):
        kinds = [inst.kinds[k] for k in shift_of[o] if k >= 0]
        paid = sum(k.paid_minutes for k in kinds) / 60
        target = inst.target_minutes[o] / 60
        rows.append(
            {
                "operator": op.id,
                "name": op.name,
                "pool": op.pool,
                "contract_hours_per_week": op.contract_hours_per_week,
                "target_hours": target,
                "paid_hours": paid,
                "hours_off_target": paid - target,
                "shifts": len(kinds),
                "weekend_shifts": sum(k.weekend for k in kinds),
                "late_shifts": sum(k.late for k in kinds),
                "long_shifts": sum(k.long for k in kinds),
                "preferred_days_off_worked": int(
                    sum(inst.prefers_off[o, d] for d in range(inst.days) if shift_of[o, d] >= 0)
                ),
                "starts_outside_window": sum(not op.likes_start(k.start) for k in kinds),
                "weeks_without_paired_days_off": unpaired[o],
            }
        )
    return pd.DataFrame(rows)


def fairness_summary(fairness: pd.DataFrame) -> pd.DataFrame:
    """Per pool and for ``all`` operators, each of :data:`FAIRNESS_MEASURES`: ``min``, ``max``,
    ``spread`` (max - min) and ``mean`` over operators."""
    rows = []
    groups = [*fairness.groupby("pool", sort=False), ("all", fairness)]
    for pool, table in groups:
        for measure in FAIRNESS_MEASURES:
            values = table[measure].to_numpy(dtype=float)
            if values.size == 0:
                continue
            rows.append(
                {
                    "pool": pool,
                    "measure": measure,
                    "operators": int(values.size),
                    "min": values.min(),
                    "max": values.max(),
                    "spread": values.max() - values.min(),
                    "mean": values.mean(),
                }
            )
    return pd.DataFrame(
        rows, columns=["pool", "measure", "operators", "min", "max", "spread", "mean"]
    )


def capacity_table(inst: RosterInstance, shift_of: np.ndarray) -> pd.DataFrame:
    """Per pool and week, what the plan asks and what the operators can give under the rules.

    An operator *may work* a day when the plan has a shift of their pool that day they may take
    (pool, skills, availability, length). ``operator_days`` is the most shifts the pool's
    operators can work in the week, ``sum_o min(days o may work, days allowed by the days-off
    rule)``; ``contract_hours`` the sum of the weekly hours of those who may work at all;
    ``long_shift_limit`` the most long shifts with never two on consecutive days, per operator
    ``ceil(n / 2)`` for every run of n consecutive days they may work a long shift, at most the
    days allowed (an upper bound). When ``planned_shifts`` exceeds ``operator_days`` or
    ``planned_long_shifts`` exceeds ``long_shift_limit``, some shifts cannot be rostered
    whatever the search does.
    """
    rows = []
    for p, pool in enumerate(inst.pool_names):
        members = np.flatnonzero(inst.operator_pool == p)
        for b, (first, stop) in enumerate(inst.blocks):
            kinds = [k for k in inst.kinds if k.pool == p and first <= k.day < stop]
            limit = inst.work_days_per_block[b]
            days, longs = [], []
            for o in members:
                mine = [k for k in inst.options[o] if first <= k.day < stop]
                days.append(min(len({k.day for k in mine}), limit))
                long_days = sorted({k.day for k in mine if k.long})
                most = _most_non_adjacent(long_days) if inst.long_rule else len(long_days)
                longs.append(min(most, limit))
            working = np.array(days, dtype=np.int64) > 0
            taken = shift_of[members, first:stop]
            rows.append(
                {
                    "pool": pool,
                    "week": b + 1,
                    "week_start": inst.grid.dates[first],
                    "operators": int(working.sum()),
                    "planned_shifts": sum(k.count for k in kinds),
                    "assigned_shifts": int((taken >= 0).sum()),
                    "operator_days": int(sum(days)),
                    "planned_paid_hours": sum(k.count * k.paid_minutes for k in kinds) / 60,
                    "contract_hours": float(inst.weekly_cap_minutes[members[working]].sum() / 60),
                    "planned_long_shifts": sum(k.count for k in kinds if k.long),
                    "long_shift_limit": int(sum(longs)),
                }
            )
    table = pd.DataFrame(rows)
    if not table.empty:
        table.insert(5, "unassigned_shifts", table["planned_shifts"] - table["assigned_shifts"])
    return table


def _most_non_adjacent(days: list[int]) -> int:
    """Most of the sorted ``days`` that can be taken with no two consecutive: ``ceil(n / 2)``
    per run of n consecutive days."""
    total, run = 0, 0
    for i, d in enumerate(days):
        run = run + 1 if i and d == days[i - 1] + 1 else 1
        if i + 1 == len(days) or days[i + 1] != d + 1:
            total += (run + 1) // 2
    return total


def penalty_breakdown(inst: RosterInstance, shift_of: np.ndarray) -> dict[str, float]:
    """Every soft rule's penalty in points, recomputed from the roster (same terms and
    weights as :mod:`planner.roster.rules`, so the solver's breakdown must equal this)."""
    w = inst.weights
    n_ops = len(inst.operators)
    taken = np.zeros(len(inst.kinds), dtype=np.int64)
    for k in shift_of[shift_of >= 0]:
        taken[k] += 1
    out: dict[str, float] = {}
    out["unassigned_shifts"] = units(w.unassigned_shift) * sum(
        k.count - taken[k.index] for k in inst.kinds
    )
    out["unassigned_hours"] = units_per_minute(w.unassigned_paid_hour) * sum(
        (k.count - taken[k.index]) * k.paid_minutes for k in inst.kinds
    )
    per_minute = units_per_minute(w.hours_off_target_per_hour)
    out["hours_off_target"] = sum(
        per_minute
        * abs(
            sum(inst.kinds[k].paid_minutes for k in shift_of[o] if k >= 0) - inst.target_minutes[o]
        )
        for o in range(n_ops)
        if inst.options[o]
    )
    for name, attr, weight in (
        ("weekend_spread", "weekend", w.weekend_spread_per_shift),
        ("late_spread", "late", w.late_spread_per_shift),
    ):
        total = 0
        for p in range(len(inst.pool_names)):
            counts = [
                sum(1 for k in shift_of[o] if k >= 0 and getattr(inst.kinds[k], attr))
                for o in range(n_ops)
                if inst.operator_pool[o] == p and any(getattr(k, attr) for k in inst.options[o])
            ]
            if len(counts) >= 2:
                total += units(weight) * (max(counts) - min(counts))
        out[name] = total
    out["preferred_days_off"] = units(w.preferred_day_off_worked) * int(
        (inst.prefers_off & (shift_of >= 0)).sum()
    )
    out["preferred_start_window"] = units(w.start_outside_window) * sum(
        not inst.operators[o].likes_start(inst.kinds[k].start)
        for o in range(n_ops)
        for k in shift_of[o]
        if k >= 0
    )
    out["paired_days_off"] = units(w.unpaired_days_off_per_week) * sum(
        _unpaired_weeks(inst, shift_of)
    )
    return {name: value / units(1.0) for name, value in out.items()}


def _unpaired_weeks(inst: RosterInstance, shift_of: np.ndarray) -> list[int]:
    """Per operator, weeks needing two days off in which no two consecutive days are off."""
    works = shift_of >= 0
    counts = []
    for o in range(len(inst.operators)):
        n = 0
        for b, (first, stop) in enumerate(inst.blocks):
            if (stop - first) - inst.work_days_per_block[b] < 2:
                continue
            if not any(not works[o, d] and not works[o, d + 1] for d in range(first, stop - 1)):
                n += 1
        counts.append(n)
    return counts
