"""The promise and the simulation in the app (Plan, Roster and Compare pages), with Streamlit's
AppTest (no browser).

The pages work on the tiny scenario of ``tests/test_compare.py`` saved into the app's saved
folder (one morning, two lines, a borrowed pool of 6 shared by both): it plans in a fraction of
a second, so the pages' figures can be checked against the library's, figure for figure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from planner.io.scenario_file import load_scenario
from planner.present.catalogue import kpi
from planner.present.formats import SCREEN
from planner.simulate import SimulationSettings, describe_check
from planner.simulate.roster import rostered_plan
from tests.test_compare import tiny

REPO = Path(__file__).resolve().parents[1]
LINES = ("consulting", "emergency")
WITH_INTERVAL = re.compile(r"^\d+\.\d% ± \d+\.\d pp$")
"""A simulated share with its 95 % half-width, as a comparison's cell reads."""
CARD_INTERVAL = re.compile(r"^± \d+\.\d pp \(95 %\) · [+-]\d+\.\d pp vs promise$")
"""The simulated service level card's delta: its half-width and its difference from the
promise."""


@pytest.fixture(autouse=True)
def saved_dir(tmp_path, monkeypatch) -> Path:
    """The tiny scenario, without and with 6 borrowed agents, as the app's saved files."""
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "tiny.yaml").write_text(yaml.safe_dump(tiny()))
    six = tiny()
    six["pools"][2]["headcount"] = 6
    six["name"] = "Tiny, six borrowed"
    (folder / "tiny_six.yaml").write_text(yaml.safe_dump(six))
    monkeypatch.setenv("PLANNER_SAVED_DIR", str(folder))
    return folder


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.run()
    at.selectbox(key="open_file").select("saved/tiny_six.yaml").run()
    assert not at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def deltas(at: AppTest) -> dict[str, str]:
    return {m.label: m.delta for m in at.metric}


def shown(value: float, half: float) -> str:
    return kpi("simulated_service_level", "queue").format_interval(value, half, marks=SCREEN)


def card(value: float, half: float, promise: float) -> tuple[str, str]:
    """The simulated service level's card: the mean, and below it the half-width and the
    difference from the promise."""
    level = kpi("service_level", "queue")
    spread = kpi("simulated_service_level_ci95", "queue").format(half)
    gap = level.format(value - promise, signed=True)
    return level.format(value), f"± {spread} (95 %) · {gap} vs promise"


def solve(at: AppTest) -> AppTest:
    at.switch_page("app_pages/plan.py").run()
    at.button(key="plan_solve").click().run()
    assert not at.exception
    return at


def heading(at: AppTest) -> str:
    (found,) = [m.value for m in at.markdown if m.value.startswith("**Simulated call by call")]
    return found


def test_the_plan_page_shows_each_lines_promise_and_simulated_figure_with_its_interval(
    app, saved_dir
):
    solve(app)
    assert not app.error
    record = app.session_state["plan"]
    scenario = load_scenario(saved_dir / "tiny_six.yaml")
    simulated = SimulationSettings().simulate(scenario, record.result.plan)
    cards, below = metrics(app), deltas(app)
    for line in LINES:
        promise = record.result.kpis.queues[line].service_level
        assert cards[f"{line}: promise (formula)"] == kpi("service_level", "queue").format(promise)
        figures = simulated.queue(line)
        label = f"{line}: simulated service level"
        assert CARD_INTERVAL.match(below[label]), below[label]
        expected = card(figures.service_level, figures.service_level_ci95, promise)
        assert (cards[label], below[label]) == expected
        asa = kpi("simulated_asa_seconds_ci95", "queue").format(figures.asa_seconds_ci95)
        assert below[f"{line}: simulated ASA (s)"] == f"± {asa} (95 % interval)"
    assert "30 replications, 95 % interval; routing priority" in heading(app)
    assert any("The **promise** is the formulas' figure" in c.value for c in app.caption)
    # Each line's promise was checked by a simulation under the routing, and the page says so.
    check = record.result.split_check
    assert check is not None and check.routing == "priority"
    assert str(describe_check(check)) in [c.value for c in app.caption]
    assert any(c.value.startswith("Promise per line checked by a simulation") for c in app.caption)

    # the service-level charts carry the simulated band beside the formula's curve
    banded = [
        chart
        for chart in app.get("vega_lite_chart")
        if any(
            "simulated_p10" in convert_arrow_bytes_to_pandas_df(d.data.data).columns
            for d in chart.proto.datasets
        )
    ]
    assert len(banded) == len(LINES)
    names = [b.label for b in app.get("download_button")]
    assert {"Simulation (JSON)", "Simulated intervals (CSV)"} <= set(names)


def test_the_simulation_settings_change_what_is_simulated(app):
    solve(app)
    before = metrics(app)["emergency: simulated service level"]
    app.number_input(key="plan_sim_replications").set_value(10).run()
    assert "(10 replications, 95 % interval" in heading(app)
    app.selectbox(key="plan_sim_routing").select("plan split").run()
    app.selectbox(key="plan_sim_shrinkage").select(
        "The formulas' mean (staffed x (1 - shrinkage))"
    ).run()
    assert not app.exception and not app.error
    text = heading(app)
    assert "routing plan split, shrinkage as the formulas' mean, seed 0" in text
    assert metrics(app)["emergency: simulated service level"] != before


def test_the_roster_page_simulates_the_shifts_worked_beside_the_plans_promise(app, saved_dir):
    app.switch_page("app_pages/roster.py").run()
    app.button(key="roster_make").click().run()
    assert not app.exception
    result = app.session_state["roster"].result
    scenario = load_scenario(saved_dir / "tiny_six.yaml")
    worked = rostered_plan(scenario, result.plan.plan, result.roster)
    simulated = SimulationSettings().simulate(scenario, worked)
    cards, below = metrics(app), deltas(app)
    for line in LINES:
        promise = result.plan.kpis.queues[line].service_level
        label = f"{line}: plan's promise (formula)"
        assert cards[label] == kpi("service_level", "queue").format(promise)
        figures = simulated.queue(line)
        label = f"{line}: simulated service level"
        expected = card(figures.service_level, figures.service_level_ci95, promise)
        assert (cards[label], below[label]) == expected
    assert "30 replications" in heading(app)


def test_the_compare_page_compares_scenarios_on_simulated_figures(app):
    app.switch_page("app_pages/compare.py").run()
    app.multiselect(key="compare_chosen").set_value(["saved/tiny.yaml", "saved/tiny_six.yaml"])
    app.run()
    app.checkbox(key="compare_simulate").check().run()
    app.number_input(key="compare_replications").set_value(10).run()
    app.button(key="compare_run").click().run()
    assert not app.exception and not app.error
    table = app.dataframe[0].value.set_index("KPI")
    comparison = app.session_state["compare_job_result"]
    kpis = comparison.kpis.set_index("scenario")
    for line in LINES:
        row = table.loc[f"{line}: simulated service level"]
        column = f"{line}.simulated_service_level"
        for label in ("saved/tiny.yaml", "saved/tiny_six.yaml"):
            assert WITH_INTERVAL.match(row[label]), row[label]
            assert row[label] == shown(kpis.loc[label, column], kpis.loc[label, f"{column}_ci95"])
        assert row["Δ saved/tiny_six.yaml"].endswith(" pp")
    assert "(10 replications" in table.loc["Simulation", "saved/tiny.yaml"]
    assert any("the formulas' promise for each plan" in c.value for c in app.caption)


def test_a_promise_not_checked_by_simulation_is_a_warning(app, monkeypatch):
    # A plan whose calls are too many to simulate in the solve is not checked: the page warns
    # (a checked promise is a caption). Another time limit: a plan not taken from the cache.
    from planner.shiftplan import split_check

    monkeypatch.setattr(split_check, "CHECK_CALL_BUDGET", 0)
    app.switch_page("app_pages/plan.py").run()
    app.number_input(key="plan_time_limit").set_value(7.0).run()
    app.button(key="plan_solve").click().run()
    assert not app.exception
    check = app.session_state["plan"].result.split_check
    assert check is not None and check.skipped and not check.confirmed
    warned = [w.value for w in app.warning]
    assert str(describe_check(check)) in warned, warned
    assert not any(c.value.startswith("Promise per line") for c in app.caption)
