"""Several centres in one scenario: the rules of ``sites`` and ``distribution``, the compile step,
plans of a small two-site case split and pooled, the per-site KPIs, the CLI's files and the app.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.cli import main
from planner.demand import build_demand
from planner.domain.national import plan_site_kpis
from planner.domain.sites import NATIONAL
from planner.errors import ScenarioError
from planner.io.scenario_file import dump_scenario_yaml, load_scenario, parse_scenario
from planner.io.yaml_strict import read_yaml
from planner.overrides import apply_overrides
from planner.shiftplan import plan_shifts
from tests.optimise_helpers import BASE, FAST

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
NATIONAL_FILES = ["national_emergency.yaml", "national_emergency_pooled.yaml"]

TWO_SITES = {
    "schema_version": 1,
    "name": "two sites",
    "horizon": dict(BASE["horizon"]),  # one Monday, 09:00-17:00 in 15-minute intervals
    "sites": [
        {"name": "north", "pools": ["north_team"]},
        {"name": "south", "pools": ["south_team"], "window_start": "11:00"},
    ],
    "queues": [
        {
            "name": "a",
            "aht_seconds": 300,
            "patience_seconds": 240,
            "demand": {"calls_per_day": 600, "profile": "public_service"},
            "distribution": {"rule": "split", "shares": {"north": 0.7, "south": 0.3}},
        }
    ],
    "surges": [
        {"name": "wave", "queue": "a", "start_date": "2024-01-01", "added_calls_per_day": 100},
    ],
    "shift_templates": [{"name": "six", "length_minutes": 360, "start_step_minutes": 60}],
    "pools": [
        {
            "name": "north_team",
            "skills": ["a"],
            "headcount": 12,
            "cost_per_hour": 10.0,
            "shift_templates": ["six"],
        },
        {
            "name": "south_team",
            "skills": ["a"],
            "headcount": 8,
            "cost_per_hour": 8.0,
            "shift_templates": ["six"],
        },
    ],
    "solver": FAST,
}


def two_sites(rule: str = "split", **changes) -> dict:
    data = copy.deepcopy(TWO_SITES)
    if rule == "pooled":
        data["queues"][0]["distribution"] = {"rule": "pooled"}
    for key, value in changes.items():
        data[key] = value
    return data


def issues_of(data: dict) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data, source="t.yaml")
    return [(i.path, i.rule) for i in caught.value.issues]


def one_issue(data: dict, path: str, *words: str) -> str:
    found = issues_of(data)
    matching = [rule for p, rule in found if p == path]
    assert matching, found
    for word in words:
        assert word in matching[0], matching[0]
    return matching[0]


# ----- parsing errors -----------------------------------------------------------------------------


def test_a_distribution_without_sites_is_an_error():
    data = two_sites()
    del data["sites"]
    one_issue(data, "queues[0].distribution", "needs sites")


def test_every_queue_needs_a_distribution_when_there_are_sites():
    data = two_sites()
    del data["queues"][0]["distribution"]
    one_issue(data, "queues[0].distribution", "required", "split", "pooled")


def test_split_shares_must_sum_to_one_and_name_known_sites():
    data = two_sites()
    data["queues"][0]["distribution"]["shares"] = {"north": 0.7, "south": 0.2}
    rule = one_issue(data, "queues[0].distribution.shares", "sum to 1")
    assert "0.9" in rule
    data["queues"][0]["distribution"]["shares"] = {"north": 0.7, "sout": 0.3}
    one_issue(data, "queues[0].distribution.shares.sout", "names no site", "north, south")


def test_shares_by_interval_need_one_per_interval_and_sum_to_one_in_each():
    data = two_sites()
    data["queues"][0]["distribution"]["shares"] = {"north": [0.5] * 5, "south": 0.5}
    one_issue(data, "queues[0].distribution.shares.north", "one share per 15-minute", "(32)")
    data["queues"][0]["distribution"]["shares"] = {"north": [0.5] * 31 + [0.9], "south": 0.5}
    one_issue(data, "queues[0].distribution.shares", "sum to 1", "16:45")


def test_pooled_takes_no_shares():
    data = two_sites("pooled")
    data["queues"][0]["distribution"]["shares"] = {"north": 1.0}
    one_issue(data, "queues[0].distribution.shares", "only for rule 'split'")


def test_a_distribution_rule_other_than_split_or_pooled():
    data = two_sites()
    data["queues"][0]["distribution"]["rule"] = "shared"
    path, rule = issues_of(data)[0]
    assert path == "queues[0].distribution.rule"
    assert "'split'" in rule and "'pooled'" in rule


def test_every_pool_works_at_exactly_one_site():
    data = two_sites()
    data["sites"][1]["pools"] = ["south_team", "north_team"]
    one_issue(data, "sites[1].pools[1]", "already works at site 'north'")
    data = two_sites()
    data["sites"][1]["pools"] = ["north_team"]
    one_issue(data, "pools[1].name", "works at no site")
    data = two_sites()
    data["sites"][1]["pools"] = ["south_tem"]
    one_issue(data, "sites[1].pools[0]", "names no pool")


def test_a_site_window_must_lie_inside_the_horizon_on_the_national_clock():
    data = two_sites()
    data["sites"][1].update({"window_start": "10:00", "clock_offset_minutes": 120})
    # 10:00-17:00 on a clock two hours ahead is 08:00-15:00 nationally: starts before 09:00
    one_issue(data, "sites[1].window_start", "08:00-15:00", "inside the horizon's window")


def test_a_site_window_too_short_for_a_template_names_both():
    data = two_sites()
    data["sites"][1]["window_start"] = "13:00"
    one_issue(data, "sites[1].window_end", "'six'", "south_team")


def test_a_site_name_may_not_hold_the_site_separator():
    data = two_sites()
    data["sites"][0]["name"] = "no@rth"
    assert any(p == "sites[0].name" for p, _ in issues_of(data))


def test_a_split_site_without_the_skill_is_an_error():
    data = two_sites()
    data["pools"][1]["skills"] = ["b"]
    data["queues"].append({"name": "b", "aht_seconds": 300, "distribution": {"rule": "pooled"}})
    one_issue(data, "queues[0].distribution.shares.south", "no skill 'a'")


def test_a_name_with_at_must_end_in_a_site():
    data = two_sites()
    data["shift_templates"][0]["name"] = "six@east"
    data["pools"][0]["shift_templates"] = ["six@east"]
    data["pools"][1]["shift_templates"] = ["six@east"]
    one_issue(data, "shift_templates[0].name", "'east' names no site")


# ----- compile ------------------------------------------------------------------------------------


def test_split_makes_one_queue_per_site_with_its_share_of_the_calls():
    split = parse_scenario(two_sites())
    assert [q.name for q in split.queues] == ["a@north", "a@south"]
    assert split.pool("north_team").skills == ["a@north"]
    assert split.pool("south_team").skills == ["a@south"]
    assert [u.queue for u in split.surges] == ["a@north", "a@south"]
    demand = build_demand(split)
    pooled = build_demand(parse_scenario(two_sites("pooled")))
    national = pooled["calls"].to_numpy()
    north = demand.loc[demand["queue"] == "a@north", "calls"].to_numpy()
    south = demand.loc[demand["queue"] == "a@south", "calls"].to_numpy()
    np.testing.assert_allclose(north + south, national)
    np.testing.assert_allclose(north, 0.7 * national)
    assert national.sum() == pytest.approx(700.0)  # 600 baseline + 100 surge calls


def test_shares_by_interval_share_each_interval():
    data = two_sites()
    north = list(np.linspace(1.0, 0.0, 32))
    data["queues"][0]["distribution"]["shares"] = {"north": north, "south": [1 - x for x in north]}
    demand = build_demand(parse_scenario(data))
    national = build_demand(parse_scenario(two_sites("pooled")))["calls"].to_numpy()
    site = demand.loc[demand["queue"] == "a@north", "calls"].to_numpy()
    np.testing.assert_allclose(site, np.asarray(north) * national, atol=1e-9)


def test_a_site_window_narrower_than_the_horizon_gets_its_own_template_copies():
    split = parse_scenario(two_sites())
    assert split.pool("north_team").shift_templates == ["six"]
    assert split.pool("south_team").shift_templates == ["six@south"]
    starts = split.template_start_minutes(split.template("six@south"))
    assert starts.tolist() == [11 * 60]  # 11:00-17:00 is the only six-hour shift there
    assert split.template_start_minutes(split.template("six")).tolist() == [540, 600, 660]


def test_a_clock_offset_shifts_the_site_window_on_the_national_clock():
    data = two_sites()
    data["sites"][1].update({"window_start": "08:00", "window_end": "14:00"})
    data["sites"][1]["clock_offset_minutes"] = -60  # one hour behind: 09:00-15:00 nationally
    split = parse_scenario(data)
    assert split.template_start_minutes(split.template("six@south")).tolist() == [9 * 60]


def test_pooled_keeps_one_queue_served_by_every_site():
    pooled = parse_scenario(two_sites("pooled"))
    assert [q.name for q in pooled.queues] == ["a"]
    assert all(p.skills == ["a"] for p in pooled.pools)
    assert pooled.queue_site("a") == NATIONAL
    assert pooled.pool_site("south_team") == "south"


@pytest.mark.parametrize("rule", ["split", "pooled"])
def test_the_compiled_scenario_compiles_to_itself_and_round_trips(rule):
    compiled = parse_scenario(two_sites(rule))
    again = parse_scenario(compiled.model_dump(mode="json"))
    assert again == compiled
    assert parse_scenario(read_yaml(dump_scenario_yaml(compiled), "dump")) == compiled


def test_an_override_addresses_the_compiled_names():
    split = parse_scenario(two_sites())
    changed = apply_overrides(split, {"queues[a@south].aht_seconds": 360})
    assert changed.queue("a@south").aht_seconds == 360
    assert changed.queue("a@north").aht_seconds == 300


def test_a_scenario_without_sites_is_unchanged():
    data = two_sites()
    del data["sites"]
    del data["queues"][0]["distribution"]
    data["pools"] = data["pools"][:1]
    plain = parse_scenario(data)
    assert [q.name for q in plain.queues] == ["a"]
    assert plain.queue_site("a") is None and plain.pool_site("north_team") is None


# ----- plans --------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["split", "pooled"])
def solved(request):
    scenario = parse_scenario(two_sites(request.param))
    return request.param, scenario, plan_shifts(scenario)


def test_both_routings_plan_and_the_plan_check_passes(solved):
    _, _, result = solved
    assert result.solve.status in ("OPTIMAL", "FEASIBLE")
    assert result.validation.ok, result.validation.summary()
    south = result.shifts[result.shifts["pool"] == "south_team"]
    assert (south["start"] >= "11:00").all()  # the site's window holds
    assert result.shifts["agents"].sum() > 0


def test_site_kpis_add_up_to_the_national_figures(solved):
    rule, scenario, result = solved
    by_site = plan_site_kpis(scenario, result)
    assert list(by_site) == ["north", "south", NATIONAL]
    north, south, national = by_site["north"], by_site["south"], by_site[NATIONAL]
    queues = result.kpis.queues.values()
    calls = sum(q.calls for q in queues)
    assert north.calls + south.calls == pytest.approx(national.calls)
    assert national.calls == pytest.approx(calls)
    in_time = sum(q.calls * q.service_level for q in queues)
    assert national.service_level == pytest.approx(in_time / calls)
    weighted = (north.calls * north.service_level + south.calls * south.service_level) / calls
    assert national.service_level == pytest.approx(weighted)
    assert national.paid_hours == pytest.approx(result.kpis.paid_hours)
    assert north.cost + south.cost == pytest.approx(result.kpis.cost)
    assert south.paid_hours == pytest.approx(result.kpis.paid_hours_by_pool["south_team"])
    if rule == "split":  # each site answers its own queue
        assert north.calls == pytest.approx(result.kpis.queues["a@north"].calls)
        assert south.service_level == pytest.approx(result.kpis.queues["a@south"].service_level)
        assert south.calls == pytest.approx(0.3 * calls)
    else:  # a pooled queue's calls follow the agents answering it
        agents = result.allocation.groupby("pool")["agents"].sum()
        assert south.calls > 0 and north.calls > 0
        assert (south.calls > north.calls) == (agents["south_team"] > agents["north_team"])


# ----- CLI ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", ["split", "pooled"])
def test_solve_writes_site_columns_and_the_sites_section(tmp_path, capsys, rule):
    path = tmp_path / "two.yaml"
    path.write_text(dump_scenario_yaml(parse_scenario(two_sites(rule))), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["solve", str(path), "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "By site" in printed and "national" in printed
    shifts = pd.read_csv(out / "shifts.csv")
    assert (shifts["site"] == shifts["pool"].str.removesuffix("_team")).all()
    coverage = pd.read_csv(out / "coverage.csv")
    expected = {"north", "south"} if rule == "split" else {NATIONAL}
    assert set(coverage["site"]) == expected
    sites = json.loads((out / "kpis.json").read_text())["sites"]
    assert set(sites) == {"north", "south", NATIONAL}
    total = sites["north"]["calls"] + sites["south"]["calls"]
    assert total == pytest.approx(sites[NATIONAL]["calls"])
    assert sites[NATIONAL]["calls"] == pytest.approx(coverage["calls"].sum(), rel=1e-5)


def test_a_one_centre_plan_has_no_site_column(tmp_path):
    out = tmp_path / "out"
    assert main(["solve", str(SCENARIOS / "baseline.yaml"), "--out", str(out), "--quiet",
                 "--time-limit", "10"]) in (0, 1)  # fmt: skip
    assert "site" not in pd.read_csv(out / "shifts.csv").columns
    assert "sites" not in json.loads((out / "kpis.json").read_text())


# ----- the shipped national scenarios -------------------------------------------------------------


def test_kokshetau_in_the_national_scenario_is_the_emergency_centre():
    national = load_scenario(SCENARIOS / "national_emergency.yaml")
    emergency = load_scenario(SCENARIOS / "emergency.yaml")
    mine = build_demand(national)
    theirs = build_demand(emergency)
    theirs = theirs[theirs["day"] == theirs["day"].iloc[0]]  # the Monday the national file plans
    for line in ("consulting", "emergency"):
        here = mine.loc[mine["queue"] == f"{line}@kokshetau", "calls"].to_numpy()
        there = theirs.loc[theirs["queue"] == line, "calls"].to_numpy()
        np.testing.assert_allclose(here, there)
    for team in ("consulting", "emergency", "borrowed"):
        ours = national.pool(f"kokshetau_{team}")
        original = emergency.pool({"borrowed": "borrowed"}.get(team, f"{team}_team"))
        assert (ours.headcount, ours.cost_per_hour) == (original.headcount, original.cost_per_hour)


def test_split_and_pooled_national_files_have_the_same_national_calls():
    split, pooled = (build_demand(load_scenario(SCENARIOS / name)) for name in NATIONAL_FILES)
    for line in ("consulting", "emergency"):
        calls = split.loc[split["queue"].str.startswith(f"{line}@"), "calls"].sum()
        assert calls == pytest.approx(pooled.loc[pooled["queue"] == line, "calls"].sum())
    assert split["calls"].sum() == pytest.approx(30138.6, abs=0.1)  # stated in scenarios/README


# ----- the app ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NATIONAL_FILES)
def test_the_app_opens_a_national_scenario(tmp_path, monkeypatch, name):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PLANNER_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.selectbox(key="open_file").select(name).run()
    assert not at.exception
    assert not at.error, "\n".join(e.value for e in at.error)
    assert at.session_state["workspace"].label == name
    at.switch_page("app_pages/demand.py").run()
    assert not at.exception and not at.error
    (calls,) = [m.value for m in at.metric if m.label == "Calls over the horizon"]
    assert calls == "30,139"
