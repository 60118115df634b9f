"""Tables the pages show: KPIs side by side, formatted for reading (not for computing).

Which KPIs, their labels and formats come from :mod:`planner.present.catalogue`, as for the
command line's comparison table.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.present.catalogue import QUEUE, Kpi, queues_of, rows
from planner.present.formats import CURRENCY, SCREEN

__all__ = ["column_labels", "definitions", "kpi_card", "queues_of", "side_by_side"]


def kpi_card(
    column,
    entry: Kpi,
    value,
    label: str | None = None,
    delta: str | None = None,
    *,
    text: str | None = None,
    **options,
) -> None:
    """A KPI's card: its label (default: the catalogue's title), the value as the catalogue
    formats it (money with its currency) unless ``text`` is given, and its one-line definition
    as the tooltip."""
    shown = text if text is not None else entry.format(value, marks=SCREEN, currency=CURRENCY)
    column.metric(label or entry.title, shown, delta, help=entry.help, **options)


def definitions(entries: list[Kpi]) -> str:
    """What each KPI means, one Markdown line each (each KPI once, in order)."""
    seen: dict[str, Kpi] = {}
    for entry in entries:
        seen.setdefault(entry.title, entry)
    return "\n".join(f"- **{title}**: {entry.help}" for title, entry in seen.items())


def side_by_side(kpis: pd.DataFrame, differences: pd.DataFrame, reference: str) -> pd.DataFrame:
    """KPIs as rows and scenarios as columns, each other scenario followed by its difference
    from the reference (``Δ label``); every cell text, formatted for its kind.

    A KPI with a 95 % half-width in the table (``<column>_ci95``: a simulated figure) shows it
    in the same cell (``57.3% ± 1.1 pp``); its difference is that of the means.
    """
    values = kpis.set_index("scenario")
    deltas = differences.set_index("scenario")
    shown = rows(values.columns)
    table = {"KPI": [label for _, label, _ in shown]}

    def cell(scenario: str, column: str, entry) -> str:
        value = values.loc[scenario, column]
        if f"{column}_ci95" in values.columns:
            half = values.loc[scenario, f"{column}_ci95"]
            return entry.format_interval(value, half, marks=SCREEN)
        return entry.format(value, marks=SCREEN, currency=CURRENCY)

    for scenario in values.index:
        table[scenario] = [cell(scenario, c, entry) for c, _, entry in shown]
        if scenario != reference:
            table[f"Δ {scenario}"] = [
                entry.format(deltas.loc[scenario, c], signed=True, marks=SCREEN, currency=CURRENCY)
                if c in deltas.columns
                else ""
                for c, _, entry in shown
            ]
    return pd.DataFrame(table)


def column_labels(table: pd.DataFrame) -> dict[str, st.column_config.Column]:
    """Headers for a study table shown as data: each KPI column's catalogue label, with its
    definition as the header's tooltip (other columns keep their names)."""
    every = rows(table.columns, table.columns, [k.key for k in QUEUE])
    return {c: st.column_config.Column(label, help=entry.help) for c, label, entry in every}
