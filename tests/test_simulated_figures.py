"""The formula's promise beside the simulation (planner.simulate.promise), comparisons on
simulated figures (planner.study), and how they read (planner.present).

The plans are of the tiny scenario of ``tests/test_compare.py`` (one morning, two lines, a
borrowed pool shared by both), which CP-SAT solves to optimality in a fraction of a second with
one worker, so that the plans, and so the simulations, are the same on every run.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from app_pages._i18n import say
from planner.messages import Message
from planner.overrides import apply_overrides
from planner.present.catalogue import COMPARED_PER_QUEUE, QUEUE, kpi, rows
from planner.present.formats import SCREEN, plus_minus, points
from planner.shiftplan import plan_shifts
from planner.simulate import (
    PROMISE_COLUMNS,
    SimulationSettings,
    interval_table,
    promise_table,
    service_band,
    simulate_plan,
)
from planner.study import InProcess, compare_scenarios, differences
from tests.test_compare import base  # noqa: F401 (the tiny scenario, a fixture)


@pytest.fixture(scope="module")
def shared(base):  # noqa: F811
    """The tiny scenario with 6 borrowed agents answering both lines."""
    return apply_overrides(base, {"pools[borrowed].headcount": 6})


@pytest.fixture(scope="module")
def planned(shared):
    return plan_shifts(shared, workers=1)


@pytest.fixture(scope="module")
def simulated(shared, planned):
    return SimulationSettings(replications=12, seed=3).simulate(shared, planned.plan)


# ----- the promise beside the simulation ---------------------------------------------------------


def test_settings_simulate_exactly_as_simulate_plan(shared, planned, simulated):
    again = simulate_plan(shared, planned.plan, replications=12, seed=3, shrinkage="absence")
    assert again == simulated
    assert simulated.routing == "priority"  # the scenario's policy when none is chosen


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"replications": 0}, "replications = 0: must be from 1 to 1000"),
        ({"replications": 1001}, "replications = 1001"),
        ({"shrinkage": "some"}, "shrinkage = 'some': must be one of ('absence', 'mean')"),
        ({"routing": "random"}, "routing = 'random': must be one of"),
    ],
)
def test_settings_out_of_range_are_refused_with_the_legal_values(changes, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        SimulationSettings(**changes)


def test_the_promise_table_lines_up_each_lines_formula_and_simulated_figures(
    shared, planned, simulated
):
    table = promise_table(shared, planned.kpis, simulated)
    assert tuple(table.columns) == PROMISE_COLUMNS
    assert list(table["queue"]) == ["consulting", "emergency"]
    for row in table.itertuples(index=False):
        promise = planned.kpis.queues[row.queue]
        figures = simulated.queue(row.queue)
        assert row.promised_service_level == promise.service_level
        assert row.promised_abandon_rate == promise.abandon_rate
        assert row.service_level_target == shared.queue(row.queue).service_level
        assert row.simulated_service_level == figures.service_level
        assert row.simulated_service_level_ci95 == figures.service_level_ci95
        assert row.simulated_asa_seconds_ci95 == figures.asa_seconds_ci95
        assert 0 < row.simulated_service_level_ci95 < 0.2  # 12 replications: an interval


def test_the_band_is_the_coverage_with_the_simulated_mean_and_p10_p90(shared, planned, simulated):
    band = service_band(planned.coverage, simulated, shared.grid)
    coverage = planned.coverage
    assert len(band) == len(coverage) == 2 * 16  # queues x quarter hours of the morning
    assert list(band["service_level"]) == list(coverage["service_level"])  # the promise
    sim = interval_table(simulated, shared.grid)
    assert band["simulated_service_level"].tolist() == sim["service_level"].tolist()
    assert band["simulated_p90"].tolist() == sim["service_level_p90"].tolist()
    open_rows = band[band["open"]]
    assert open_rows["simulated_p10"].notna().all()
    assert (open_rows["simulated_p10"] <= open_rows["simulated_p90"]).all()


# ----- comparisons on simulated figures ----------------------------------------------------------


@pytest.fixture(scope="module")
def compared(base, shared):  # noqa: F811
    settings = SimulationSettings(replications=10, seed=1)
    return compare_scenarios(
        [base, shared],
        labels=["none", "six"],
        executor=InProcess(),
        simulation=settings,
    )


def test_a_comparison_simulates_each_plan_as_simulating_it_directly(base, shared, compared):  # noqa: F811
    kpis = compared.kpis.set_index("scenario")
    settings = compared.simulation
    for label, scenario in (("none", base), ("six", shared)):
        simulated = settings.simulate(scenario, plan_shifts(scenario, workers=1).plan)
        for queue in ("consulting", "emergency"):
            figures = simulated.queue(queue)
            for figure in ("service_level", "abandon_rate", "asa_seconds", "occupancy"):
                assert kpis.loc[label, f"{queue}.simulated_{figure}"] == getattr(figures, figure)
                half = kpis.loc[label, f"{queue}.simulated_{figure}_ci95"]
                assert half == getattr(figures, f"{figure}_ci95")
        described = kpis.loc[label, "simulation"]
        assert described.startswith("simulated call by call (10 replications")
        assert isinstance(described, Message)  # kept a message, so that the app translates it
        assert "симулировано вызов за вызовом (10 повторов" in say(described, lang="ru")
    # the formula's figures stay what they were, beside the simulated ones
    plain = compare_scenarios([base, shared], labels=["none", "six"], executor=InProcess())
    formula = plain.kpis.set_index("scenario")
    assert (kpis["emergency.service_level"] == formula["emergency.service_level"]).all()
    assert not any("simulated" in c for c in plain.kpis.columns)
    assert plain.simulation is None


def test_six_borrowed_agents_raise_the_simulated_service_of_both_lines(compared):
    kpis = compared.kpis.set_index("scenario")
    for queue in ("consulting", "emergency"):
        column = f"{queue}.simulated_service_level"
        gain = kpis.loc["six", column] - kpis.loc["none", column]
        halves = kpis[f"{column}_ci95"].sum()
        assert gain > halves  # beyond both intervals


def test_differences_compare_the_simulated_means_never_the_half_widths(compared):
    diffs = compared.differences.set_index("scenario")
    kpis = compared.kpis.set_index("scenario")
    column = "emergency.simulated_service_level"
    assert diffs.loc["six", column] == pytest.approx(
        kpis.loc["six", column] - kpis.loc["none", column]
    )
    assert not [c for c in diffs.columns if c.endswith("_ci95")]
    again = differences(compared.kpis, "none").set_index("scenario")
    assert again.equals(diffs)


def test_simulated_columns_are_grouped_with_their_queue(compared):
    columns = list(compared.kpis.columns)
    emergency = [i for i, c in enumerate(columns) if c.startswith("emergency.")]
    assert emergency == list(range(emergency[0], emergency[-1] + 1))
    assert columns.index("simulation") < emergency[0]


# ----- how they read ------------------------------------------------------------------------------


def test_a_figure_reads_with_its_interval_in_points_or_its_unit():
    assert plus_minus(0.5731, 0.0109, "percent", 1) == "57.3% ± 1.1 pp"
    assert plus_minus(12.4, 0.8, "seconds", 2) == "12.40 ± 0.80"
    assert plus_minus(0.5731, float("nan"), "percent", 1) == "57.3%"  # one replication
    assert plus_minus(None, 0.01, "percent", 1, marks=SCREEN) == "–"
    assert points(0.011) == "1.1 pp" and points(-0.011, signed=True) == "-1.1 pp"
    entry = kpi("simulated_service_level", "queue")
    assert entry.format_interval(0.75, 0.012, marks=SCREEN) == "75.0% ± 1.2 pp"
    assert kpi("simulated_service_level_ci95", "queue").format(0.012) == "1.2 pp"


def test_every_simulated_figure_has_a_catalogued_half_width_and_an_honest_definition():
    simulated = [k for k in QUEUE if k.key.startswith("simulated_") and "_ci95" not in k.key]
    assert {k.key for k in simulated} == {
        "simulated_service_level",
        "simulated_abandon_rate",
        "simulated_asa_seconds",
        "simulated_occupancy",
    }
    for entry in simulated:
        half = kpi(f"{entry.key}_ci95", "queue")
        assert "95 %" in half.definition and "95 %" in entry.definition
        assert "call by call" in entry.definition
    assert "formula" in kpi("promised_service_level", "queue").label
    table = ["consulting.service_level", "consulting.simulated_service_level"]
    shown = [column for column, _, _ in rows(table)]
    assert shown == table  # the simulated figure right after the promise
    assert COMPARED_PER_QUEUE.index("simulated_abandon_rate") == (
        COMPARED_PER_QUEUE.index("abandon_rate") + 1
    )


def test_a_nan_figure_reads_as_missing():
    entry = kpi("simulated_asa_seconds", "queue")
    assert entry.format_interval(math.nan, math.nan, marks=SCREEN) == "–"
    assert pd.isna(math.nan)
