"""The planning chain end to end: plan a scenario's shifts, then roster that plan.

The shift plan (:mod:`planner.shiftplan`) and the roster (:mod:`planner.roster`) are separate
models that never import each other; this is the one place that runs one after the other.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from planner.cpsat.solve import ProgressCallback
from planner.domain.checks import roster_size_issues
from planner.domain.operators import Operator
from planner.domain.plan import PlanResult
from planner.domain.roster import RosterResult
from planner.domain.scenario import Scenario
from planner.errors import ScenarioError
from planner.roster import RosterWeights, roster_plan
from planner.shiftplan import plan_shifts

__all__ = ["check_roster_size", "roster_scenario"]


def check_roster_size(scenario: Scenario, operators: Sequence[Operator] | None = None) -> None:
    """Refuse, before any work, a roster too large to solve: with no operators given and none
    named by the scenario, the operators generated from the headcounts (an operators file is
    checked when it is read).

    Raises
    ------
    ScenarioError
        Naming the pools' headcounts and the limit (:data:`planner.domain.limits.
        MAX_ROSTER_CELLS`).
    """
    if operators is not None or scenario.operators is not None:
        return
    most = {name: int(days.max(initial=0)) for name, days in scenario.headcount_matrix().items()}
    issues = list(roster_size_issues(scenario, most, "pools[].headcount"))
    if issues:
        raise ScenarioError(scenario.source, issues)


def roster_scenario(
    scenario: Scenario,
    operators: Sequence[Operator] | None = None,
    *,
    plan: PlanResult | None = None,
    weights: RosterWeights | None = None,
    explain: bool = True,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    **solver_overrides,
) -> RosterResult:
    """Plan a scenario's shifts (unless ``plan`` is given) and give them to named operators.

    Parameters
    ----------
    scenario : Scenario
    operators : sequence of Operator, optional
        Default: the scenario's ``operators_file``, else anonymous operators generated from the
        pools' headcounts (:func:`~planner.domain.operators.generate_operators`).
    plan : PlanResult, optional
        A plan of this scenario (from :func:`planner.shiftplan.plan_shifts`); made when not
        given, with the scenario's solver settings.
    weights, explain, progress, stop, **solver_overrides
        As for :func:`roster_plan`.

    Returns
    -------
    RosterResult
        With ``plan`` set to the plan rostered.
    """
    check_roster_size(scenario, operators)
    if plan is None:
        plan = plan_shifts(scenario)
    return roster_plan(
        scenario,
        plan,
        operators,
        weights=weights,
        explain=explain,
        progress=progress,
        stop=stop,
        **solver_overrides,
    )
