"""Pools and queues that share nothing are planned apart (issue 13: decomposition by site).

A national scenario whose calls are split between the centres is five plans that no rule
couples; each is solved on its own and the plans are put together. The decomposed plan must be
the plan of the whole: valid, and as good as the one model's (the same optimum on a case both
solve to optimality).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from planner.io.scenario_file import parse_scenario
from planner.shiftplan import component_scenario, independent_components, plan_shifts
from tests.test_national import two_sites


def test_split_sites_are_independent_groups_and_pooled_ones_are_not():
    split = parse_scenario(two_sites("split"))
    groups = independent_components(split)
    assert groups == [(["north_team"], ["a@north"]), (["south_team"], ["a@south"])]
    pooled = parse_scenario(two_sites("pooled"))
    assert len(independent_components(pooled)) == 1


def test_a_queue_no_pool_answers_keeps_the_scenario_whole():
    data = two_sites("split")
    data["pools"][1]["skills"] = ["a"]  # still split: both sites answer their share
    scenario = parse_scenario(data)
    orphan = scenario.queues[0].model_copy(update={"name": "nobody"})
    alone = scenario.model_copy(update={"queues": [*scenario.queues, orphan]})
    assert len(independent_components(alone)) == 1


def test_a_group_keeps_only_its_surges_and_headcount_changes():
    data = two_sites("split")
    data["headcount_changes"] = [{"pool": "south_team", "change": -2}]
    scenario = parse_scenario(data)
    (pools, queues), _ = independent_components(scenario)
    part = component_scenario(scenario, pools, queues)
    assert [p.name for p in part.pools] == ["north_team"]
    assert [q.name for q in part.queues] == ["a@north"]
    assert {s.queue for s in part.surges} == {"a@north"}
    assert part.headcount_changes == []


@pytest.mark.parametrize("seed", [0, 1])
def test_the_decomposed_plan_equals_the_one_model_at_the_optimum(seed, monkeypatch):
    data = copy.deepcopy(two_sites("split"))
    data["solver"] = {"time_limit_seconds": 20.0, "relative_gap": 0.0, "seed": seed}
    scenario = parse_scenario(data)
    apart = plan_shifts(scenario)
    assert apart.solve.independent_parts == 2
    import planner.shiftplan as shiftplan

    whole_groups = [([p.name for p in scenario.pools], [q.name for q in scenario.queues])]
    monkeypatch.setattr(shiftplan, "independent_components", lambda s: whole_groups)
    whole = plan_shifts(scenario)
    assert whole.solve.independent_parts == 1
    for result in (apart, whole):
        assert result.solve.status == "OPTIMAL"
        assert result.validation.ok, result.validation.summary()
    assert apart.solve.objective == pytest.approx(whole.solve.objective, rel=1e-9)
    assert apart.kpis.paid_hours == pytest.approx(whole.kpis.paid_hours)
    # the pieces are put back on the whole scenario's axes: each pool answers its own site
    north, south = (apart.plan.pool_names.index(p) for p in ("north_team", "south_team"))
    queues = apart.plan.queue_names
    assert apart.plan.allocation[north, queues.index("a@south")].sum() == 0
    assert apart.plan.allocation[south, queues.index("a@north")].sum() == 0
    assert np.array_equal(apart.plan.on_duty.sum(axis=0), apart.plan.staffed.sum(axis=0))
