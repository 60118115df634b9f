"""The app's downloads and tables: CSV numbers exact (the writer the CLI uses too), Excel sheets
styled, table columns with human headers and number formats."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from app_pages.tables import column_config, readable
from planner.io.export import plan_to_excel, table_to_csv
from planner.present.catalogue import kpi
from planner.shiftplan import plan_shifts
from tests.optimise_helpers import FAST, micro


def test_csv_keeps_large_and_small_numbers_exact():
    values = [2_875_625.0, 4_393_750.5, 123_456_789.125, 0.7142857142857143, 1.5e-7, 12.0]
    table = pd.DataFrame({"cost": values, "label": list("abcdef")})
    text = table_to_csv(table).decode()
    assert "2875625" in text and "e+06" not in text
    back = pd.read_csv(io.StringIO(text))
    assert back["cost"].tolist() == values  # exact, not to 6 significant digits


def test_csv_writes_infinity_as_an_empty_cell():
    text = table_to_csv(pd.DataFrame({"asa_seconds": [np.inf, 3.25], "day": [1, 2]})).decode()
    assert text.splitlines() == ["asa_seconds,day", ",1", "3.25,2"]


@pytest.fixture(scope="module")
def plan():
    return plan_shifts(micro(), **FAST)


def test_every_table_column_gets_a_human_header_and_a_format(plan):
    for table in (plan.shifts, plan.kpis_daily, plan.coverage):
        config = column_config(table)
        assert list(config) == list(table.columns)
        for name, column in config.items():
            assert "_" not in column["label"], (name, column["label"])
    daily = column_config(plan.kpis_daily)
    assert daily["service_level"]["type_config"]["format"] == "percent"
    assert daily["service_level"]["help"] == kpi("service_level", "queue").help
    assert daily["shortfall_agent_hours"]["type_config"]["format"] == "%.1f"
    assert column_config(plan.shifts)["paid_hours"]["label"] == "Paid hours"


def test_study_columns_read_as_kpis_and_statuses_as_words():
    table = pd.DataFrame(
        {
            "status": ["OPTIMAL", "FEASIBLE"],
            "emergency.service_level": [0.71, 0.5],
            "pools[borrowed].headcount": [0, 21],
            "cost": [2_875_625.0, 3_000_000.0],
        }
    )
    config = column_config(table)
    assert config["emergency.service_level"]["label"] == "emergency: service level"
    assert config["emergency.service_level"]["type_config"]["format"] == "percent"
    assert config["cost"]["type_config"]["format"] == "localized"
    assert config["pools[borrowed].headcount"]["label"] == "Pools[borrowed] › headcount"
    assert readable(table)["status"].tolist() == [
        "within the gap limit (proved)",  # no gap in the table to say how close
        "best plan found in the time limit",
    ]
    with_gap = readable(table.assign(gap=[0.006, 0.021], status=["OPTIMAL", "ERROR"]))
    assert with_gap["status"].tolist() == [
        "within 0.6 % of the best possible plan (proved bound)",
        "error",
    ]
    counted = readable(pd.DataFrame({"calls": [3064.292], "answered": [1259.7], "sl": [0.4]}))
    assert counted.iloc[0].tolist() == [3064.0, 1260.0, 0.4]  # calls whole, shares untouched
    measures = readable(pd.DataFrame({"measure": ["paid_hours", "hours_off_target"]}))
    assert measures["measure"].tolist() == ["Paid hours", "Hours off target"]


def test_excel_sheets_have_styled_headers_number_formats_and_widths(plan):
    book = openpyxl.load_workbook(io.BytesIO(plan_to_excel(plan)))
    for sheet in book.worksheets:
        header = sheet[1]
        assert all(cell.font.bold and cell.fill.fgColor.rgb.endswith("DDE4EE") for cell in header)
        assert sheet.freeze_panes == "A2"
        widths = [sheet.column_dimensions[c.column_letter].width for c in header]
        assert all(w >= len(str(c.value)) for w, c in zip(widths, header, strict=True))
    daily = book["Daily KPIs"]
    names = [c.value for c in daily[1]]
    level = daily.cell(row=2, column=names.index("service_level") + 1)
    assert level.number_format == "0.0%" and 0 <= level.value <= 1  # the fraction, shown in %
    shifts = book["Shifts"]
    names = [c.value for c in shifts[1]]
    assert shifts.cell(row=2, column=names.index("agents") + 1).number_format == "#,##0"
    assert shifts.cell(row=2, column=names.index("paid_hours") + 1).number_format == "#,##0.0"
