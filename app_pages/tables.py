"""Tables the pages show: KPIs side by side, formatted for reading (not for computing)."""

from __future__ import annotations

import math

import pandas as pd

TOTALS = (
    ("Status", "status", "text"),
    ("Gap to the best possible", "gap", "percent"),
    ("Meets every target", "meets_target", "yes"),
    ("Paid hours", "paid_hours", "hours"),
    ("Cost", "cost", "money"),
    ("Borrowed hours", "borrowed_hours", "hours"),
    ("Understaffed intervals", "understaffed_intervals", "count"),
    ("Shortfall (agent-hours)", "shortfall_agent_hours", "hours"),
    ("Peak agents on duty", "peak_agents", "count"),
)
PER_QUEUE = (
    ("calls", "calls", "count"),
    ("service level", "service_level", "percent"),
    ("worst day's service level", "worst_day_service_level", "percent"),
    ("meets target", "meets_target", "yes"),
    ("abandoned", "abandon_rate", "percent"),
    ("ASA (s)", "asa_seconds", "seconds"),
    ("understaffed intervals", "understaffed_intervals", "count"),
)


def queues_of(kpis: pd.DataFrame) -> list[str]:
    """Queue names in a KPI table's ``<queue>.service_level`` columns, in order."""
    return [c.removesuffix(".service_level") for c in kpis.columns if c.endswith(".service_level")]


def _show(value, kind: str, *, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "text":
        return str(value)
    if kind == "yes":
        return "yes" if bool(value) else "no"
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    sign = "+" if signed else ""
    if kind == "percent":
        return f"{value * 100:{sign}.1f} pp" if signed else f"{value:.1%}"
    if kind == "hours":
        return f"{value:{sign},.1f}"
    if kind == "seconds":
        return f"{value:{sign},.1f}"
    return f"{value:{sign},.0f}"


def side_by_side(kpis: pd.DataFrame, differences: pd.DataFrame, reference: str) -> pd.DataFrame:
    """KPIs as rows and scenarios as columns, each other scenario followed by its difference
    from the reference (``Δ label``); every cell text, formatted for its kind."""
    rows = [(label, column, kind) for label, column, kind in TOTALS]
    for queue in queues_of(kpis):
        rows += [
            (f"{queue}: {label}", f"{queue}.{column}", kind) for label, column, kind in PER_QUEUE
        ]
    values = kpis.set_index("scenario")
    deltas = differences.set_index("scenario")
    table = {"KPI": [label for label, _, _ in rows]}
    for scenario in values.index:
        table[scenario] = [
            _show(values.loc[scenario, c] if c in values.columns else None, kind)
            for _, c, kind in rows
        ]
        if scenario != reference:
            table[f"Δ {scenario}"] = [
                _show(deltas.loc[scenario, c], kind, signed=True)
                if c in deltas.columns and kind not in ("text", "yes")
                else ""
                for _, c, kind in rows
            ]
    return pd.DataFrame(table)
