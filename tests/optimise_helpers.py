"""Builders for tiny scenarios and hand-made requirements used by the optimiser tests."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd

from planner.demand import build_demand
from planner.domain.scenario import Scenario
from planner.io.scenario_file import parse_scenario
from planner.staffing import build_requirement

FAST = {"time_limit_seconds": 20.0, "relative_gap": 0.0, "workers": 1, "seed": 1}

BASE = {
    "schema_version": 1,
    "name": "micro",
    "horizon": {
        "start_date": "2024-01-01",  # a Monday
        "days": 1,
        "window_start": "09:00",
        "window_end": "17:00",
        "interval_minutes": 15,
    },
    "queues": [
        {"name": "a", "aht_seconds": 300, "demand": {"calls_per_day": 400, "profile": "flat"}}
    ],
    "shift_templates": [{"name": "full", "length_minutes": 480}],
    "pools": [
        {
            "name": "team",
            "skills": ["a"],
            "headcount": 20,
            "cost_per_hour": 10.0,
            "shift_templates": ["full"],
        }
    ],
    "weights": {"overstaffing_per_agent_hour": 0.0},
    "solver": FAST,
}


def micro(**changes) -> Scenario:
    """The base micro scenario with top-level sections replaced or merged.

    A dict value is merged into the section (for ``horizon``, ``weights``, ``solver``); a list
    replaces it (``queues``, ``pools``, ``shift_templates``, ...).
    """
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return parse_scenario(data, source="micro")


def flat_requirement(scenario: Scenario, agents: dict[str, int | np.ndarray]) -> pd.DataFrame:
    """The scenario's requirement table with ``required_agents`` replaced.

    ``agents`` maps a queue name to a number (every interval) or an array of shape (days,
    intervals per day). Closed days keep a requirement of 0.
    """
    table = build_requirement(scenario, build_demand(scenario)).reset_index(drop=True)
    grid = scenario.grid
    for queue, value in agents.items():
        rows = table["queue"] == queue
        wanted = np.broadcast_to(np.asarray(value), (grid.days, grid.intervals_per_day)).ravel()
        table.loc[rows, "required_agents"] = np.where(table.loc[rows, "open"], wanted, 0)
    return table
