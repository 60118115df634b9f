"""Charts a reader can read (issue 16, item h), checked on their Vega-Lite specifications: every
day of the week labelled on the shift-start heatmap, operators' names on their own rows in the
fairness chart, one panel per scenario in the comparison charts."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from app_pages import _i18n, charts

WEEK = [date(2022, 1, 10) + timedelta(days=k) for k in range(7)]


def test_every_day_of_the_week_has_its_row_and_label_on_the_starts_heatmap():
    shifts = pd.DataFrame(
        {
            "day": WEEK[:5] * 2,  # no shift starts at the weekend
            "start": ["09:00"] * 5 + ["13:00"] * 5,
            "pool": "consulting_team",
            "agents": range(1, 11),
        }
    )
    spec = charts.starts_chart(shifts, WEEK).to_dict()
    assert spec["height"] == {"step": 30}  # each day's row tall enough for its label
    y = spec["encoding"]["y"]
    names = [d.strftime("%a %d %b") for d in WEEK]
    assert y["scale"]["domain"] == names and y["sort"] == names  # Monday to Sunday
    assert y["axis"]["labelOverlap"] is False


def _fairness(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "operator": [f"OP-{k:03d}" for k in range(n)],
            "name": [f"Operator with a long name {k}" for k in range(n)],
            "pool": ["consulting_team", "borrowed"] * (n // 2),
            "paid_hours": [40.0 + k % 5 for k in range(n)],
            "target_hours": 41.0,
            "contract_hours_per_week": 40.0,
            "weekend_shifts": 0,
            "late_shifts": 1,
        }
    )


def test_operators_names_each_have_a_row_on_the_fairness_chart():
    small, large = charts.hours_chart(_fairness(10)), charts.hours_chart(_fairness(70))
    spec = large.to_dict()
    bars = spec["layer"][0]["encoding"]
    assert bars["y"]["field"] == "operator" and bars["y"]["axis"]["labelOverlap"] is False
    assert bars["x"]["type"] == "quantitative"
    assert spec["height"] >= 70 * 14  # a row of at least 14 px per name
    assert small.to_dict()["height"] < spec["height"]


def _coverage() -> pd.DataFrame:
    rows = []
    for scenario in ("with borrowed", "without"):
        for k, start in enumerate(["09:00", "09:15", "09:30"]):
            rows.append(
                {
                    "scenario": scenario,
                    "day": WEEK[0],
                    "interval_start": start,
                    "queue": "emergency",
                    "staffed_agents": 10 - k,
                    "required_agents": 9,
                    "service_level": 0.8 - 0.1 * k,
                    "open": True,
                }
            )
    return pd.DataFrame(rows)


def _colour_fields(spec) -> set[str]:
    """The fields coloured by in a specification, layers included."""
    found = set()
    if isinstance(spec, dict):
        colour = spec.get("encoding", {}).get("color", {})
        if "field" in colour:
            found.add(colour["field"])
        for value in spec.values():
            found |= _colour_fields(value)
    elif isinstance(spec, list):
        for item in spec:
            found |= _colour_fields(item)
    return found


def test_comparison_charts_have_one_panel_per_scenario():
    coverage = _coverage()
    for chart in (
        charts.overlay_coverage(coverage, "emergency", None, 15),
        charts.overlay_service(coverage, "emergency", 0.8, WEEK[0], 15),
    ):
        spec = chart.to_dict()
        assert spec["facet"]["row"]["field"] == "scenario"
        assert spec["facet"]["row"]["sort"] == ["with borrowed", "without"]
        assert "scenario" not in _colour_fields(spec["spec"])  # no tangle of coloured lines


def test_the_sweep_heatmap_tooltip_names_the_kpi_in_words():
    table = pd.DataFrame(
        {
            "pools[borrowed].headcount": [0, 21],
            "surges[0].peak_multiplier": [1.0, 1.0],
            "emergency.service_level": [0.2, 0.6],
            "meets": [False, True],
        }
    )
    chart = charts.sweep_heatmap(
        table,
        "pools[borrowed].headcount",
        "surges[0].peak_multiplier",
        "emergency.service_level",
        title="t",
        percent=True,
        meets="meets",
        x_title="borrowed headcount",
    )
    tips = chart.to_dict()["layer"][0]["encoding"]["tooltip"]
    assert [t["title"] for t in tips] == [
        "borrowed headcount",
        "surges[0].peak_multiplier",
        "emergency: service level",
    ]


def _domains(spec) -> list[list]:
    """The colour scales' domains in a specification, layers included."""
    found = []
    if isinstance(spec, dict):
        scale = spec.get("encoding", {}).get("color", {}).get("scale", {})
        if "domain" in scale:
            found.append(scale["domain"])
        for value in spec.values():
            found += _domains(value)
    elif isinstance(spec, list):
        for item in spec:
            found += _domains(item)
    return found


def test_the_comparison_charts_legends_are_in_the_page_language(monkeypatch):
    """The legends' words (staffed and required; met and below target) and the tooltips'
    titles follow the page's language, never English words or true/false."""
    monkeypatch.setattr(_i18n, "_session_translation", lambda: _i18n.translation("ru"))
    coverage = _coverage()
    said = _i18n.translation("ru").gettext
    staffed = charts.overlay_coverage(coverage, "emergency", None, 15).to_dict()
    service = charts.overlay_service(coverage, "emergency", 0.8, WEEK[0], 15).to_dict()
    assert _domains(staffed) == [[said("staffed"), said("required")]]
    assert _domains(service) == [[said("met"), said("below target")]]
    assert said("met") != "met" and said("staffed") != "staffed"
    data = next(iter(service["datasets"].values()))
    assert {row["missed"] for row in data} == {said("met"), said("below target")}


def test_the_interval_tooltip_names_the_day_in_the_page_language(monkeypatch):
    """Vega would name days and months in English: the tooltip shows the table's own words."""
    monkeypatch.setattr(_i18n, "_session_translation", lambda: _i18n.translation("ru"))
    monkeypatch.setattr(_i18n, "language", lambda: "ru")
    spec = charts.overlay_service(_coverage(), "emergency", 0.8, WEEK[0], 15).to_dict()
    data = next(iter(spec["datasets"].values()))
    day = _i18n.short_day(WEEK[0], lang="ru")
    assert {row["when"] for row in data} == {f"{day} 09:00", f"{day} 09:15", f"{day} 09:30"}
    assert day != WEEK[0].strftime("%a %d %b")
