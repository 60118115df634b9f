"""Named rosters with CP-SAT: which operator works which planned shift, legally and fairly.

The shift plan (:func:`planner.optimise.plan_shifts`) says how many agents of each pool start
which shift; the roster gives every planned shift to a named operator of the pool, under the
Labour Code rules of ``scenario.labour`` and each operator's contract, balancing hours,
weekends and late shifts, and keeping wishes where it can. A shift nobody can legally take is
reported unassigned, with the reason; a rule is never broken to place it.

Layout (as in :mod:`planner.optimise`, after the CP-SAT Primer's coding patterns):

- :mod:`~planner.roster.operators`: operators as data (CSV or YAML), and anonymous operators
  generated from headcounts;
- :mod:`~planner.roster.instance`: the plan's shifts, the operators and the limits as
  integers; no solver;
- :mod:`~planner.roster.variables`: the decision variables and named queries;
- :mod:`~planner.roster.rules`: one function per rule, under ``HARD_RULES`` and ``SOFT_RULES``;
- :mod:`~planner.roster.objective`: the objective, built in one place;
- :mod:`~planner.roster.heuristic`: a greedy roster, where the search starts;
- :mod:`~planner.roster.model`: assembly of the model;
- :mod:`~planner.roster.relaxation`: the counting model over whole pools: how few shifts can
  stay unassigned, and which rules are in conflict when some must;
- :mod:`~planner.roster.search`: neighbourhood search with CP-SAT on parts of the roster;
- :mod:`~planner.roster.reasons`, :mod:`~planner.roster.report`: why shifts are unassigned,
  the week view, fairness and capacity tables, the penalty breakdown (no solver);
- :mod:`~planner.roster.validation`: the solver-free check of every hard rule (the
  specification; it does not import ortools);
- :mod:`~planner.roster.assign`: :func:`roster_scenario` and :func:`roster_plan`;
- :mod:`~planner.roster.export`: ``roster.csv`` and the other files, and an Excel workbook.

Solver settings are the scenario's (``planner.optimise.solver`` sets them, in one place).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Operator",
    "RosterResult",
    "RosterWeights",
    "generate_operators",
    "load_operators",
    "roster_archive",
    "roster_files",
    "roster_plan",
    "roster_scenario",
    "roster_to_excel",
    "validate_roster",
    "write_roster",
]

_WHERE = {
    "Operator": "planner.roster.operators",
    "generate_operators": "planner.roster.operators",
    "load_operators": "planner.roster.operators",
    "RosterResult": "planner.roster.result",
    "RosterWeights": "planner.roster.instance",
    "roster_plan": "planner.roster.assign",
    "roster_scenario": "planner.roster.assign",
    "roster_archive": "planner.roster.export",
    "roster_files": "planner.roster.export",
    "roster_to_excel": "planner.roster.export",
    "write_roster": "planner.roster.export",
    "validate_roster": "planner.roster.validation",
}


def __getattr__(name: str) -> Any:
    # Imported on first use (PEP 562), so that importing the solver-free parts (the operators
    # format, read by planner.scenario; the validator) never loads ortools.
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'planner.roster' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
