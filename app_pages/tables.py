"""KPI cards and tables as the pages show them, formatted for reading (not for computing).

Every card (:func:`kpi_card`) and table (:func:`show_table`, :func:`side_by_side`) takes its
labels, formats and one-line definitions (the tooltips) from :mod:`planner.present.catalogue`
and :mod:`planner.present.columns`, as the command line's tables do; the downloads keep the
machine names and every decimal.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.present.catalogue import Kpi, queues_of, rows
from planner.present.columns import describe
from planner.present.formats import CURRENCY, SCREEN, status_text

__all__ = [
    "column_config",
    "definitions",
    "kpi_card",
    "queues_of",
    "readable",
    "show_table",
    "side_by_side",
]


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
    """A KPI's card: its label (default: the catalogue's title; money's with its currency,
    "Cost (KZT)", so that the value fits the card), the value as the catalogue formats it
    unless ``text`` is given, and its one-line definition as the tooltip."""
    shown = text if text is not None else entry.format(value, marks=SCREEN)
    if label is None:
        label = f"{entry.title} ({CURRENCY})" if entry.unit == "money" else entry.title
    column.metric(label, shown, delta, help=entry.help, **options)


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


NUMBER_FORMATS = {
    "percent": "percent",
    "money": "localized",
    "count": "localized",
    "hours": "%.1f",
    "seconds": "%.2f",
    "ratio": "%.3f",
}
"""Streamlit's number format for each unit of :mod:`planner.present.columns`."""


def column_config(table: pd.DataFrame) -> dict[str, st.column_config.Column]:
    """Every column of ``table`` with a human header (the catalogue's label, or the column in
    words: :func:`planner.present.columns.describe`), its definition as the header's tooltip
    and numbers formatted for their unit: shares as percentages, money and counts with
    thousands separators, hours with one decimal."""
    config = {}
    for name in table.columns:
        values = table[name]
        column = describe(str(name), pd.api.types.is_integer_dtype(values))
        help_text = column.help or None
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            fallback = "%.1f" if pd.api.types.is_float_dtype(values) else "localized"
            number = NUMBER_FORMATS.get(column.unit or "", fallback)
            config[name] = st.column_config.NumberColumn(
                column.title, help=help_text, format=number
            )
        else:
            config[name] = st.column_config.Column(column.title, help=help_text)
    return config


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """The table with solver statuses in words, with the gap where the table has it
    (``OPTIMAL``, 0.007 -> "within 0.7 % of the best possible plan (proved bound)"), the
    measures a summary table names in words (``paid_hours`` -> "Paid hours"), and counts and
    money whole (calls are counted to the whole call; the download keeps the decimals)."""
    words = {}
    for name in table.columns:
        values = table[name]
        whole = describe(str(name)).unit in ("count", "money")
        if whole and pd.api.types.is_float_dtype(values):
            words[name] = values.round(0)
    if "status" in table.columns:
        gaps = table["gap"] if "gap" in table.columns else [None] * len(table)
        words["status"] = [status_text(s, g) for s, g in zip(table["status"], gaps, strict=True)]
    if "measure" in table.columns:
        words["measure"] = table["measure"].map(lambda m: describe(str(m)).title)
    return table.assign(**words)


def show_table(table: pd.DataFrame, **options) -> None:
    """``st.dataframe`` of ``table`` as a reader sees it: :func:`readable` values, the headers
    and formats of :func:`column_config`, the page's width."""
    config = {**column_config(table), **options.pop("column_config", {})}
    options = {"hide_index": True, "width": "stretch", **options}
    st.dataframe(readable(table), column_config=config, **options)
