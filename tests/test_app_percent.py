"""Percentages typed and shown as percentages, gaps one way, costs with their currency, the
solver's figures in an expander and what service level means (issue 16, item e)."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from planner.io.scenario_file import load_scenario
from planner.present import formats
from tests.test_app_pages import (  # noqa: F401 (saved_dir: autouse)
    REPO,
    SCENARIOS,
    edit_table,
    errors,
    saved_dir,
    solve,
    widget,
    workspace,
)

EMERGENCY = load_scenario(SCENARIOS / "emergency.yaml")


def test_percent_helpers_round_trip_a_scenarios_fractions():
    for share in (0.8, 0.29, 0.05, 0.333, 1e-4, 0.0):
        assert formats.as_fraction(formats.as_percent(share)) == share
    assert formats.as_percent(0.29) == 29.0 and formats.as_percent(None) is None


def test_gap_reads_the_same_everywhere():
    assert formats.gap(0.01) == "1.0 %"
    assert formats.gap(0.0004) == "0.04 %"  # not 0.0 % for a gap that is not zero
    assert formats.gap(0.0) == "0.0 %"
    assert formats.gap(None) == "-"


def test_scenario_page_shows_and_takes_shares_in_percent():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    queues = widget(at.data_editor, "queues").value
    first = EMERGENCY.queues[0]
    assert queues.loc[0, "service_level"] == formats.as_percent(first.service_level)
    assert queues.loc[0, "shrinkage"] == formats.as_percent(first.shrinkage)
    edit_table(at, "queues", {0: {"service_level": 90.0}})
    assert not at.error, errors(at)
    assert workspace(at).draft.validate().queues[0].service_level == 0.9
    gap = widget(at.number_input, "gap")
    assert gap.label == "Stop at gap (%)"
    assert gap.value == formats.as_percent(EMERGENCY.solver.relative_gap)
    gap.set_value(2.5).run()
    floor = widget(at.number_input, "daily_floor")
    floor.set_value(40.0).run()
    scenario = workspace(at).draft.validate()
    assert scenario.solver.relative_gap == 0.025
    assert scenario.service.daily_interval_floor == 0.4


def test_plan_page_words_the_status_and_keeps_the_solver_figures_apart():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    solve(at)
    assert not at.error, errors(at)
    report = at.session_state["plan"].result.solve
    (summary,) = [m.value for m in at.markdown if "after Solve" in m.value or "cache" in m.value]
    assert report.quality_text in summary and "objective" not in summary
    assert re.search(r"stop at gap \d+\.\d+ %", summary)
    (figures,) = [e for e in at.expander if e.label == "Solver figures"]
    text = "\n".join(m.value for m in figures.markdown)
    assert f"{report.objective:,.0f}" in text and f"{report.best_bound:,.0f}" in text
    assert f"Gap: {formats.gap(report.gap, marks=formats.SCREEN)}" in text
    assert any("answered within T seconds over all calls offered" in c.value for c in at.caption)
    (cost,) = [m for m in at.metric if m.label == "Cost (KZT)"]
    assert cost.value.replace(",", "").isdigit() and cost.help


def test_a_share_out_of_range_says_what_was_typed_in_percent():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    edit_table(at, "queues", {0: {"service_level": 120.0}})
    assert not at.exception
    shown = errors(at)
    assert "service_level = 1.2: must be < 1" in shown and "(typed: 120 %)" in shown
