"""The app's downloads: CSV numbers exact (the writer the CLI uses too), Excel sheets styled."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from planner.io.export import table_to_csv


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
