"""The roster: what the roster step returns, as tables any page or file can read.

``roster`` (:data:`ROSTER_COLUMNS`, then ``name`` and ``template``)
    One row per shift worked: ``operator`` (id), ``pool``, ``day`` (date), ``start``/``end``
    (``"HH:MM"``), ``breaks`` (``"HH:MM-HH:MM;..."`` as in the plan), ``paid_hours`` (of this
    one shift).
``unassigned`` (:data:`UNASSIGNED_COLUMNS`)
    One row per planned shift nobody works, with the reason in words.
``week_view``
    One row per operator and week (7-day block from the horizon start): the shift of each day
    (``"09:00-17:00"``), ``off``, or ``unavailable``, and the week's paid hours.
``fairness``
    Per operator: contract, fair-share target and paid hours, shifts, weekend, late and long
    shifts, wishes not met.
``fairness_summary``
    Per pool (and ``all``) and measure: min, max, spread (max - min) and mean over operators.
``capacity``
    Per pool and week: what the plan asks of the pool and what its operators can give under the
    labour rules; it shows where unassigned shifts come from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from planner.domain.kpis import RosterKpis
from planner.domain.operators import Operator
from planner.domain.plan import PlanResult, SolveReport, ValidationReport
from planner.messages import Message, msg

__all__ = [
    "FAIRNESS_MEASURES",
    "ROSTER_COLUMNS",
    "UNASSIGNED_COLUMNS",
    "RosterResult",
]

ROSTER_COLUMNS = ("operator", "pool", "day", "start", "end", "breaks", "paid_hours")
"""The columns of ``roster.csv`` every reader may rely on (``name`` and ``template`` follow)."""

UNASSIGNED_COLUMNS = ("day", "pool", "template", "start", "end", "breaks", "paid_hours", "reason")

FAIRNESS_MEASURES = ("paid_hours", "hours_off_target", "weekend_shifts", "late_shifts")
"""Measures summarised per pool in ``fairness_summary``."""


@dataclass(frozen=True)
class RosterResult:
    """A named roster with everything a shift manager reads from it.

    Attributes
    ----------
    scenario_name : str
    operators : tuple of Operator
        The operators rostered (from the operators file, or generated from headcounts).
    roster, unassigned, week_view, fairness, fairness_summary, capacity : pandas.DataFrame
        See the module docstring.
    solve : SolveReport
        The coverage search: fewest unassigned shifts (objective and bound in points of the
        ``unassigned_shifts`` rule, gap, time; ``OPTIMAL`` when the fewest is proved).
        ``conflicting_rules`` names the hard rules that together prevent assigning every
        planned shift (when shifts are unassigned and the explanation finished in time).
    wishes_solve : SolveReport, optional
        The wishes search that follows with that coverage kept (fairness, days off, starts):
        objective and bound in points of the other soft rules.
    penalties : dict of str to float
        The objective split by soft rule, in points.
    validation : ValidationReport
        The solver-free check of the roster (:func:`planner.validate.roster.validate_roster`).
    plan : PlanResult, optional
        The shift plan rostered, when the roster step made it.
    from_greedy : bool
        True when the search found nothing better in time and the greedy roster is returned.
    timings : dict of str to float
        Seconds from the call to the end of each step: ``coverage`` (every planned shift
        assigned or known to be unassignable), ``explanation``, ``wishes``, ``total``.
    unassigned_bound : int
        At least this many planned shifts stay unassigned whatever the roster (the counting
        model's bound); the roster's count is the fewest possible when it equals this.
    deadline_cut : bool
        The wall-clock deadline (the time limit) ended the search before its deterministic
        time: this roster is the best found by then and may differ from run to run; with a
        longer time limit, or on a less loaded machine, the same inputs give one roster.
    """

    scenario_name: str
    operators: tuple[Operator, ...]
    roster: pd.DataFrame
    unassigned: pd.DataFrame
    week_view: pd.DataFrame
    fairness: pd.DataFrame
    fairness_summary: pd.DataFrame
    capacity: pd.DataFrame
    solve: SolveReport
    wishes_solve: SolveReport | None = None
    penalties: dict[str, float] = field(default_factory=dict)
    validation: ValidationReport = field(default_factory=ValidationReport)
    plan: PlanResult | None = None
    from_greedy: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    unassigned_bound: int = 0
    deadline_cut: bool = False

    @property
    def planned_shifts(self) -> int:
        return len(self.roster) + len(self.unassigned)

    @property
    def kpis(self) -> RosterKpis:
        """Shifts assigned and unassigned, operators rostered and working."""
        return RosterKpis(
            planned_shifts=self.planned_shifts,
            assigned_shifts=len(self.roster),
            unassigned_shifts=len(self.unassigned),
            unassigned_bound_shifts=int(self.unassigned_bound),
            operators=len(self.operators),
            operators_working=int(self.roster["operator"].nunique()),
        )

    def coverage_text(self) -> Message:
        """Whether the unassigned shifts are the fewest possible, in words (translatable)."""
        if not len(self.unassigned):
            return msg("every planned shift assigned")
        if self.solve.status == "OPTIMAL":
            return msg("the fewest possible: proved")
        return msg(
            "at least {count} must stay unassigned by a count over whole pools; fewer than found "
            "may be possible",
            count=self.unassigned_bound,
        )

    def summary(self) -> str:
        """Two lines: shifts assigned, unassigned, and the check."""
        lines = [
            f"{len(self.roster)} of {self.planned_shifts} planned shifts assigned to "
            f"{self.roster['operator'].nunique()} of {len(self.operators)} operators; "
            f"{len(self.unassigned)} unassigned"
        ]
        lines.append(f"Roster check (no solver): {self.validation.summary()}")
        return "\n".join(lines)
