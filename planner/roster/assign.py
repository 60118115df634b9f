"""Roster a plan: the one entry point that builds, solves, explains, reports and checks.

:func:`roster_scenario` is the call a page makes: it plans the shifts (unless given a plan),
takes the scenario's operators (or generates anonymous ones from the headcounts) and returns a
:class:`~planner.domain.roster.RosterResult` with every table the roster page shows.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Sequence

import numpy as np

from planner.cpsat.clock import Clock
from planner.cpsat.explain import conflicting_rules
from planner.cpsat.report import solve_report
from planner.cpsat.solve import (
    ProgressCallback,
    SolveProgress,
    replace_settings,
    stop_requested,
)
from planner.domain.operators import Operator, generate_operators
from planner.domain.plan import Plan, PlanResult, SolveReport
from planner.domain.roster import RosterResult
from planner.domain.scenario import Scenario, SolverSettings
from planner.roster.blocks import (
    DECOMPOSE_VARIABLES,
    BlockReport,
    assignment_variables,
    roster_by_blocks,
)
from planner.roster.heuristic import greedy_roster
from planner.roster.instance import (
    OBJECTIVE_SCALE,
    RosterInstance,
    RosterWeights,
    build_roster_instance,
    units_per_minute,
    with_rostered_targets,
)
from planner.roster.model import build_model, limit_unassigned
from planner.roster.relaxation import (
    counting_bound,
    explain_by_counting,
    unassigned_minutes_bound,
)
from planner.roster.report import (
    capacity_table,
    fairness_summary,
    fairness_table,
    penalty_breakdown,
    roster_tables,
    week_view,
)
from planner.roster.rules import COVERAGE_RULES, WISH_RULES
from planner.roster.search import SearchOutcome, improve
from planner.validate.roster import validate_roster

__all__ = ["explain_unassigned", "roster_plan"]

COUNTING_SECONDS = 2.0
"""At most this long (and a tenth of the time limit) goes to each counting model."""

EXPLAIN_SECONDS = 10.0
"""At most this long (and a tenth of the time limit) goes to naming the rules that prevent
assigning every shift."""


def roster_plan(
    scenario: Scenario,
    plan: Plan | PlanResult,
    operators: Sequence[Operator] | None = None,
    *,
    weights: RosterWeights | None = None,
    explain: bool = True,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    on_block: Callable[[BlockReport], None] | None = None,
    **solver_overrides,
) -> RosterResult:
    """Give a plan's shifts to named operators under the labour rules, fairly.

    The search is lexicographic, within the scenario's solver settings (the time limit covers
    it all):

    1. *Coverage*: a greedy roster (:mod:`planner.roster.heuristic`); the counting model
       (:mod:`planner.roster.relaxation`) bounds how few shifts can stay unassigned; unless
       the greedy roster meets that bound, neighbourhood search (:mod:`planner.roster.search`)
       on the model with ``unassigned_shifts`` alone, until it does or half the time is spent.
    2. *Explanation* (with ``explain``, when shifts stay unassigned): the counting model names
       the hard rules that cannot all hold with every shift assigned; failing that, the full
       model with assumption literals, if time remains.
    3. *Wishes*: neighbourhood search on the other soft rules (shorter shifts left unassigned
       rather than longer ones, hours close to the fair share, weekends and late shifts
       spread, preferred days off and starts, paired days off), with no more shifts unassigned
       than step 1 left, for the rest of the time.

    The roster is always returned and never breaks a hard rule: every step starts from the
    roster before it and keeps it unless it finds a better one (``from_greedy`` when the
    greedy roster was never improved). Shifts no operator can legally take are in
    ``unassigned`` with the reason.

    A roster with more than :data:`~planner.roster.blocks.DECOMPOSE_VARIABLES` assignment
    variables goes through steps 1 and 3 block by block (:mod:`planner.roster.blocks`: each
    pool alone, a large pool week by week with the days before each week fixed), each block
    with its fair share of the time left, a week first over patterns of alike operators
    (:mod:`planner.roster.patterns`); the bound is then the sum of the pools' bounds (each
    the larger of its counting bound and its weeks' pattern bound), and step 2 uses the
    counting model only.

    Parameters
    ----------
    scenario : Scenario
    plan : Plan or PlanResult
        The plan whose shifts to roster; a :class:`~planner.domain.plan.PlanResult` (the
        optimiser's) is also kept in the result, for the page.
    operators : sequence of Operator, optional
        Default: the scenario's ``operators_file``, else anonymous operators generated from the
        pools' headcounts (:func:`~planner.domain.operators.generate_operators`).
    weights : RosterWeights, optional
        Soft-rule weights and the definition of a late shift.
    explain : bool
        Name the rules in conflict when shifts stay unassigned.
    progress : callable, optional
        Called with a :class:`~planner.shiftplan.SolveProgress` (objective in points: the
        unassigned-shift penalty, then that plus the wishes) whenever the roster improves.
    stop : threading.Event, optional
        Set it to stop the search early; the best roster so far is returned.
    on_block : callable, optional
        With a roster solved block by block, called with each block's
        :class:`~planner.roster.blocks.BlockReport` as it ends (block, unassigned, bound,
        seconds); not called otherwise.
    **solver_overrides
        Replace fields of ``scenario.solver`` (``time_limit_seconds``, ``relative_gap``,
        ``seed``, ``workers``) for this roster only.
    """
    started = time.perf_counter()
    planned = plan.plan if isinstance(plan, PlanResult) else plan
    if operators is None:
        operators = scenario.operators or generate_operators(scenario)
    settings = replace_settings(scenario.solver, **solver_overrides)
    limit = settings.time_limit_seconds
    # Kept back for the tables and the check after the search, so the call ends in its limit.
    reserve = 0.1 + 0.03 * limit
    # Deterministic time: the same roster however busy the machine, unless the deadline stops it.
    clock = Clock(settings, deadline_seconds=limit - reserve - (time.perf_counter() - started))

    def left() -> float:
        return max(0.05, limit - reserve - clock.spent)

    inst = build_roster_instance(scenario, operators, planned, weights)
    by_blocks = None
    if assignment_variables(inst) > DECOMPOSE_VARIABLES:
        by_blocks = _by_blocks(
            inst, settings, clock, limit, reserve, started, progress, stop, on_block
        )
        greedy, shift_of, bound = by_blocks.greedy, by_blocks.shift_of, by_blocks.bound
        coverage = _blocks_report(settings, inst, by_blocks, time.perf_counter() - started)
    else:
        greedy = greedy_roster(inst).shift_of
        bound = counting_bound(inst, settings, min(COUNTING_SECONDS, 0.1 * limit), clock)
        coverage, shift_of = _coverage(
            inst, settings, greedy, bound, left() / 2, progress, stop, clock
        )
    timings = {"coverage": time.perf_counter() - started}

    conflicts: tuple[str, ...] = ()
    if explain and _unassigned_count(inst, shift_of) and not clock.stopped(stop):
        conflicts = explain_by_counting(inst, settings, min(EXPLAIN_SECONDS, 0.1 * limit), clock)
        if not conflicts and by_blocks is None and left() > 1.0 and not clock.out_of_time():
            seconds = min(left() / 2, EXPLAIN_SECONDS)
            conflicts = explain_unassigned(
                inst, replace_settings(settings, time_limit_seconds=seconds), clock
            )
    coverage = dataclasses.replace(coverage, conflicting_rules=conflicts)
    timings["explanation"] = time.perf_counter() - started

    inst = with_rostered_targets(inst, shift_of)
    wishes = None
    if by_blocks is not None:  # the blocks searched the wishes too
        wishes = _report(
            settings,
            by_blocks.wishes_objective,
            float("nan"),
            time.perf_counter() - started,
            limit,
            by_blocks.improvements + 1,
        )
    elif not clock.stopped(stop):
        wishes, shift_of = _wishes(
            inst, settings, shift_of, coverage, left(), progress, stop, clock
        )

    timings["wishes"] = time.perf_counter() - started
    # The wishes may leave fewer shifts unassigned than step 1 did (never more): report that.
    count = _unassigned_count(inst, shift_of)
    coverage = dataclasses.replace(
        _report(
            settings,
            count * inst.weights.unassigned_shift,
            coverage.best_bound,
            coverage.solve_seconds,
            coverage.time_limit_seconds,
            coverage.solutions_found,
        ),
        conflicting_rules=coverage.conflicting_rules,
    )
    roster, unassigned = roster_tables(inst, shift_of)
    fairness = fairness_table(inst, shift_of)
    validation = validate_roster(scenario, operators, roster, plan=planned, unassigned=unassigned)
    timings["total"] = time.perf_counter() - started
    return RosterResult(
        scenario_name=scenario.name,
        operators=tuple(operators),
        roster=roster,
        unassigned=unassigned,
        week_view=week_view(inst, shift_of),
        fairness=fairness,
        fairness_summary=fairness_summary(fairness),
        capacity=capacity_table(inst, shift_of),
        solve=coverage,
        wishes_solve=wishes,
        penalties=penalty_breakdown(inst, shift_of),
        validation=validation,
        plan=plan if isinstance(plan, PlanResult) else None,
        from_greedy=bool(np.array_equal(shift_of, greedy)),
        timings=timings,
        unassigned_bound=int(bound.shifts),
        deadline_cut=clock.cut,
    )


def _by_blocks(inst, settings, clock, limit, reserve, started, progress, stop, on_block):
    """Steps 1 and 3 block by block (:mod:`planner.roster.blocks`), leaving time for the
    explanation; ``progress`` hears the unassigned shifts (those of blocks still to solve
    counted unassigned) after each block."""
    per_shift = inst.weights.unassigned_shift
    planned = sum(k.count for k in inst.kinds)
    assigned = [0]

    def heard(report: BlockReport) -> None:
        if progress is not None:
            assigned[0] += report.planned - report.unassigned
            progress(
                SolveProgress(
                    time.perf_counter() - started,
                    (planned - assigned[0]) * per_shift,
                    float("nan"),
                    report.index,
                )
            )
        if on_block is not None:
            on_block(report)

    tail = min(EXPLAIN_SECONDS, 0.1 * limit)
    return roster_by_blocks(
        inst,
        settings,
        clock,
        max(0.05, limit - reserve - tail - clock.spent),
        on_block=heard,
        stop=stop,
        tail_seconds=tail,
    )


def _blocks_report(settings, inst, outcome, seconds) -> SolveReport:
    """Step 1's report for a roster solved block by block: its unassigned shifts against
    the sum of the pools' bounds (counting, or the weeks' patterns where larger)."""
    per_shift = inst.weights.unassigned_shift
    count = _unassigned_count(inst, outcome.shift_of)
    return _report(
        settings,
        count * per_shift,
        outcome.bound.shifts * per_shift,
        seconds,
        settings.time_limit_seconds,
        outcome.improvements + 1,
    )


def _coverage(inst, settings, greedy, bound, seconds, progress, stop, clock):
    """Step 1: fewest unassigned shifts. Returns the report (points of ``unassigned_shifts``)
    and the roster."""
    per_shift = inst.weights.unassigned_shift
    floor = bound.shifts * per_shift
    count = _unassigned_count(inst, greedy)
    if count <= bound.shifts or stop_requested(stop):
        report = _report(settings, count * per_shift, floor, 0.0, seconds, 1)
        return report, greedy
    rm = build_model(inst, soft_rules=COVERAGE_RULES)
    limit_unassigned(rm, inst, at_least=bound.shifts)
    outcome = improve(
        rm,
        inst,
        greedy,
        settings,
        seconds,
        floor=floor,
        focus_unassigned=True,
        whole_first=False,
        progress=progress,
        stop=stop,
        clock=clock,
    )
    if outcome.status != "FEASIBLE":
        report = _report(settings, count * per_shift, floor, outcome.seconds, seconds, 1)
        return report, greedy
    report = _search_report(settings, outcome, seconds)
    return report, outcome.shift_of


def _wishes(inst, settings, shift_of, coverage, seconds, progress, stop, clock):
    """Step 3: the wishes, with no more shifts unassigned than step 1 left. Returns the
    report (points of the wish rules) and the roster."""
    count = _unassigned_count(inst, shift_of)
    minutes = unassigned_minutes_bound(
        inst, settings, min(COUNTING_SECONDS, seconds / 10), count, clock
    )
    floor = minutes * units_per_minute(inst.weights.unassigned_paid_hour) / OBJECTIVE_SCALE
    rm = build_model(inst, soft_rules=WISH_RULES)
    limit_unassigned(rm, inst, at_most=count)
    outcome = improve(
        rm,
        inst,
        shift_of,
        settings,
        seconds,
        floor=floor,
        progress=progress,
        offset=coverage.objective,
        stop=stop,
        clock=clock,
    )
    if outcome.status != "FEASIBLE":
        return None, shift_of
    report = _search_report(settings, outcome, seconds)
    return report, outcome.shift_of


def _report(settings, objective, bound, seconds, limit, solutions) -> SolveReport:
    """A search step's report; ``OPTIMAL`` when the objective meets the bound."""
    return solve_report(
        settings,
        status="OPTIMAL" if objective <= bound + 1e-9 else "FEASIBLE",
        objective=objective,
        bound=bound,
        seconds=seconds,
        solutions=solutions,
        time_limit_seconds=limit,
    )


def _search_report(settings, outcome: SearchOutcome, seconds: float) -> SolveReport:
    """The report of a neighbourhood search that found a roster (``seconds``: its limit); the
    starting roster counts as one solution, each improvement as one more."""
    return _report(
        settings,
        outcome.objective,
        outcome.bound,
        outcome.seconds,
        seconds,
        outcome.improvements + 1,
    )


def _unassigned_count(inst: RosterInstance, shift_of: np.ndarray) -> int:
    """Planned shifts the roster gives to nobody."""
    return int(sum(k.count for k in inst.kinds) - (shift_of >= 0).sum())


def explain_unassigned(
    inst: RosterInstance, settings: SolverSettings, clock: Clock | None = None
) -> tuple[str, ...]:
    """Names of hard rules (with their pool and week or day) that together prevent assigning
    every planned shift.

    Builds the model with ``every_shift_assigned`` added and every hard constraint behind a
    named literal (:mod:`planner.cpsat.explain`: a minimal set, unless the time to shrink it
    ran out). Returns ``()`` when that is not proved within the settings' time limit (the
    per-shift reasons still explain each unassigned shift).
    """
    clock = clock or Clock(settings)
    rm = build_model(inst, explain=True)
    return conflicting_rules(rm.model, rm.hard, clock.solver(settings.time_limit_seconds), clock)
