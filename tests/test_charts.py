"""The app's charts as Vega-Lite specifications: every field a chart encodes is a column of its
data, named so that Vega reads it as one field (``.`` and ``[...]`` mean nested access there:
a sweep over ``pools[borrowed].headcount`` drew an axis titled "undefined" with every value in
one cell)."""

from __future__ import annotations

import pandas as pd

from app_pages import charts


def _fields(spec) -> list[str]:
    """Every ``field`` in an encoding of the specification, layers included."""
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "field" and isinstance(value, str):
                found.append(value)
            else:
                found += _fields(value)
    elif isinstance(spec, list):
        for item in spec:
            found += _fields(item)
    return found


def test_the_sweep_heatmap_reads_field_paths_as_plain_columns():
    table = pd.DataFrame(
        {
            "pools[borrowed].headcount": [0, 21, 0, 21],
            "surges[0].peak_multiplier": [1.0, 1.0, 2.0, 2.0],
            "emergency.service_level": [0.2, 0.6, 0.18, 0.58],
            "meets_target": [False, False, False, True],
        }
    )
    chart = charts.sweep_heatmap(
        table,
        "pools[borrowed].headcount",
        "surges[0].peak_multiplier",
        "emergency.service_level",
        title="emergency: service level",
        percent=True,
        meets="meets_target",
    )
    spec = chart.to_dict()
    (data,) = spec["datasets"].values()
    columns = set(data[0])
    fields = set(_fields(spec))
    assert fields, "the chart encodes no field"
    assert fields <= columns
    assert not any(ch in field for field in fields for ch in ".[]")
    # the axes keep the names the user swept
    titles = {layer["encoding"]["x"]["title"] for layer in spec["layer"]}
    titles |= {layer["encoding"]["y"]["title"] for layer in spec["layer"]}
    assert titles == {"pools[borrowed].headcount", "surges[0].peak_multiplier"}
    # one cell per point, each with its own value
    assert sorted((row["across"], row["up"]) for row in data) == sorted(
        zip(table.iloc[:, 0], table.iloc[:, 1], strict=True)
    )
