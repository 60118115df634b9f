"""A shift manager's edits to a roster, each checked at once against the labour rules.

An edit is a small frozen record: :class:`Lock` (keep this operator's shift of this day through
re-optimisation), :class:`Move` (another start, same length), :class:`Swap` (two operators
exchange their shifts of a day), :class:`AddOperatorDay` (an operator takes a shift of the day,
by default one the plan left unassigned) and :class:`RemoveOperatorDay` (the operator's shift of
the day goes back to the unassigned shifts). :func:`apply_edit` applies one to an
:class:`EditedRoster` and returns an :class:`EditOutcome`: the new roster, or a refusal naming
the rules the edit would break, in the user's words, from the solver-free validator
(:func:`planner.validate.roster.validate_roster`, the specification). Only the operators the edit
touches are checked, and the KPIs (formula evaluation, :mod:`planner.evaluate`) are recomputed
for the edited day only.

:class:`EditedRoster` is immutable: the roster, the unassigned shifts, the locks and the edit
log; :meth:`EditedRoster.undo` returns the state before the last edit, exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from planner.demand import build_demand
from planner.domain.operators import Operator
from planner.domain.plan import Plan, Violation, refused
from planner.domain.scenario import Scenario
from planner.errors import PlannerError
from planner.evaluate import coverage_table, daily_kpis
from planner.messages import Message, joined, msg
from planner.roster.locks import reoptimise_around_locks
from planner.simulate.roster import rostered_plan
from planner.staffing import build_requirement
from planner.timegrid import clock_label, parse_clock
from planner.validate.roster import operator_where, validate_roster

__all__ = [
    "RULE_WORDS",
    "AddOperatorDay",
    "Edit",
    "EditOutcome",
    "EditedRoster",
    "Lock",
    "Move",
    "RemoveOperatorDay",
    "Swap",
    "apply_edit",
    "day_kpis",
    "describe",
    "lock_violations",
    "reoptimise",
]

RULE_WORDS = {
    "roster_values": msg("readable values"),
    "one_shift_per_day": msg("one shift a day"),
    "pool_and_skills": msg("pool and skills"),
    "availability": msg("availability"),
    "max_shift_length": msg("longest shift"),
    "paid_hours_consistent": msg("paid hours"),
    "weekly_hours": msg("weekly hours"),
    "overtime_per_day": msg("overtime a day"),
    "overtime_per_month": msg("overtime a month"),
    "overtime_per_year": msg("overtime a year"),
    "min_rest": msg("rest between shifts"),
    "no_consecutive_long_shifts": msg("no long shifts in a row"),
    "days_off_per_week": msg("days off a week"),
    "max_consecutive_days": msg("days worked in a row"),
    "opening_hours": msg("opening hours"),
    "locked": msg("locked shift"),
    "no_shift": msg("no shift to edit"),
}
"""Each rule's name as the page says it (translatable messages)."""


@dataclass(frozen=True)
class Lock:
    """Keep ``operator``'s shift of ``day`` (horizon index) as it is when re-optimising."""

    operator: str
    day: int


@dataclass(frozen=True)
class Move:
    """Start ``operator``'s shift of ``day`` at ``start`` (``"HH:MM"``), same length and breaks."""

    operator: str
    day: int
    start: str


@dataclass(frozen=True)
class Swap:
    """``first`` and ``second`` exchange their shifts of ``day`` (either may be off)."""

    first: str
    second: str
    day: int


@dataclass(frozen=True)
class AddOperatorDay:
    """``operator`` works on ``day``: an unassigned shift of their pool that day (the first, or
    the one from ``start`` to ``end`` when given)."""

    operator: str
    day: int
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class RemoveOperatorDay:
    """``operator``'s shift of ``day`` is taken off them and reported unassigned."""

    operator: str
    day: int


Edit = Lock | Move | Swap | AddOperatorDay | RemoveOperatorDay


@dataclass(frozen=True)
class EditedRoster:
    """A roster under edit: its tables, the locked assignments and the log of edits applied.

    ``locks`` holds ``(operator id, day index)``; ``history`` the earlier states (for undo).
    """

    scenario: Scenario
    plan: Plan
    operators: tuple[Operator, ...]
    roster: pd.DataFrame
    unassigned: pd.DataFrame
    locks: frozenset[tuple[str, int]] = frozenset()
    log: tuple[Edit, ...] = ()
    history: tuple[EditedRoster, ...] = field(default=(), repr=False)

    @classmethod
    def start(
        cls,
        scenario: Scenario,
        plan: Plan,
        operators: Sequence[Operator],
        roster: pd.DataFrame,
        unassigned: pd.DataFrame,
    ) -> EditedRoster:
        return cls(
            scenario,
            plan,
            tuple(operators),
            roster.reset_index(drop=True),
            unassigned.reset_index(drop=True),
        )

    def undo(self) -> EditedRoster:
        """The state before the last edit (this state when nothing was edited)."""
        return self.history[-1] if self.history else self

    def day_text(self, day: int) -> str:
        return self.scenario.grid.dates[day].isoformat()

    def name(self, operator: str) -> str:
        return next((o.name or o.id for o in self.operators if o.id == operator), operator)

    def locked_assignments(self) -> dict[str, list[tuple[int, str, str]]]:
        """Per operator: the locked ``(day, start, end)`` shifts, for the roster model."""
        out: dict[str, list[tuple[int, str, str]]] = {}
        for operator, day in sorted(self.locks):
            row = self._row(operator, day)
            if row is not None:
                r = self.roster.loc[row]
                out.setdefault(operator, []).append((day, str(r["start"]), str(r["end"])))
        return out

    def _row(self, operator: str, day: int) -> int | None:
        hit = self.roster.index[
            (self.roster["operator"].astype(str) == operator)
            & (self.roster["day"].astype(str) == self.day_text(day))
        ]
        return int(hit[0]) if len(hit) else None


@dataclass(frozen=True)
class EditOutcome:
    """An edit accepted (``state`` is the new roster) or refused (``state`` is unchanged).

    ``rules`` names the rules broken (validator names), ``message`` says it in words (one line
    per rule broken; a :class:`~planner.messages.Message` a page may translate),
    ``kpis`` the edited day's KPIs per queue (:func:`planner.evaluate.daily_kpis` rows) when
    accepted.
    """

    accepted: bool
    state: EditedRoster
    message: Message
    rules: tuple[str, ...] = ()
    kpis: pd.DataFrame | None = None


def apply_edit(state: EditedRoster, edit: Edit) -> EditOutcome:
    """Apply one edit, check it against every labour rule, and recompute the day's KPIs."""
    try:
        roster, unassigned, locks, touched = _change(state, edit)
    except _Refused as refusal:
        return _refuse(state, [refusal.violation])
    broken = _new_violations(state, roster, touched)
    if broken:
        return _refuse(state, broken)
    new = replace(
        state,
        roster=roster.reset_index(drop=True),
        unassigned=unassigned.reset_index(drop=True),
        locks=locks,
        log=(*state.log, edit),
        history=(*state.history, state),
    )
    message = msg("accepted: {edit}", edit=describe(state, edit))
    return EditOutcome(True, new, message, (), day_kpis(new, edit.day))


def day_kpis(state: EditedRoster, day: int) -> pd.DataFrame:
    """The formula KPIs of one day of the roster, per queue (only that day is evaluated)."""
    text = state.day_text(day)
    coverage = _plan_coverage(state)
    requirement = coverage[coverage["day"].astype(str) == text]
    rows = state.roster[state.roster["day"].astype(str) == text]
    staffed = rostered_plan(state.scenario, state.plan, rows).staffed
    return daily_kpis(state.scenario, coverage_table(state.scenario, requirement, staffed))


def _plan_coverage(state: EditedRoster) -> pd.DataFrame:
    """The scenario's requirement (demand and agents needed), built once per scenario."""
    key = id(state.scenario)
    cached = _REQUIREMENT.get(key)
    if cached is None or cached[0] is not state.scenario:
        cached = (state.scenario, build_requirement(state.scenario, build_demand(state.scenario)))
        _REQUIREMENT.clear()  # one scenario at a time: no growth
        _REQUIREMENT[key] = cached
    return cached[1]


_REQUIREMENT: dict[int, tuple[Scenario, pd.DataFrame]] = {}


class _Refused(Exception):
    def __init__(self, violation: Violation):
        super().__init__(str(violation))
        self.violation = violation


def _need_row(state: EditedRoster, operator: str, day: int) -> int:
    row = state._row(operator, day)
    if row is None:
        raise _Refused(
            Violation(
                "no_shift",
                operator_where(operator, state.day_text(day)),
                msg(
                    "{name} has no shift on {day}",
                    name=state.name(operator),
                    day=state.day_text(day),
                ),
            )
        )
    return row


def _not_locked(state: EditedRoster, operator: str, day: int) -> None:
    if (operator, day) in state.locks:
        raise _Refused(
            Violation(
                "locked",
                operator_where(operator, state.day_text(day)),
                msg(
                    "{name}'s shift on {day} is locked; unlock it first",
                    name=state.name(operator),
                    day=state.day_text(day),
                ),
            )
        )


def _change(state: EditedRoster, edit: Edit):
    roster, unassigned, locks = state.roster.copy(), state.unassigned, state.locks
    if isinstance(edit, Lock):
        _need_row(state, edit.operator, edit.day)
        locks = locks ^ {(edit.operator, edit.day)}  # locking a locked shift unlocks it
        return roster, unassigned, locks, ()
    if isinstance(edit, Move):
        _not_locked(state, edit.operator, edit.day)
        row = _need_row(state, edit.operator, edit.day)
        start = parse_clock(str(roster.loc[row, "start"]))
        end = parse_clock(str(roster.loc[row, "end"]))
        new_start = parse_clock(edit.start)
        delta = new_start - start
        grid = state.scenario.grid
        if new_start < grid.window_start_minute or end + delta > grid.window_end_minute:
            raise _Refused(
                Violation(
                    "opening_hours",
                    operator_where(edit.operator, state.day_text(edit.day)),
                    msg(
                        "{start}-{end} is outside the opening hours {opens}-{closes}",
                        start=clock_label(new_start),
                        end=clock_label(end + delta),
                        opens=clock_label(grid.window_start_minute),
                        closes=clock_label(grid.window_end_minute),
                    ),
                )
            )
        roster.loc[row, "start"] = clock_label(new_start)
        roster.loc[row, "end"] = clock_label(end + delta)
        roster.loc[row, "breaks"] = _shift_breaks(str(roster.loc[row, "breaks"]), delta)
        return roster, unassigned, locks, (edit.operator,)
    if isinstance(edit, Swap):
        for o in (edit.first, edit.second):
            _not_locked(state, o, edit.day)
        a, b = state._row(edit.first, edit.day), state._row(edit.second, edit.day)
        if a is None and b is None:
            _need_row(state, edit.first, edit.day)
        for row, to in ((a, edit.second), (b, edit.first)):
            if row is not None:
                roster.loc[row, "operator"] = to
                if "name" in roster.columns:
                    roster.loc[row, "name"] = state.name(to)
        return roster, unassigned, locks, (edit.first, edit.second)
    if isinstance(edit, AddOperatorDay):
        pool = next((o.pool for o in state.operators if o.id == edit.operator), None)
        text = state.day_text(edit.day)
        free = unassigned[
            (unassigned["day"].astype(str) == text) & (unassigned["pool"].astype(str) == str(pool))
        ]
        for column, value in (("start", edit.start), ("end", edit.end)):
            if value is not None:
                free = free[free[column].astype(str) == value]
        if not len(free):
            raise _Refused(
                Violation(
                    "no_shift",
                    msg("pool {pool}, {day}", pool=str(pool), day=text),
                    msg(
                        "no unassigned shift of {pool} on {day} from {start} to {end}",
                        pool=str(pool),
                        day=text,
                        start=edit.start or "?",
                        end=edit.end or "?",
                    )
                    if edit.start or edit.end
                    else msg("no unassigned shift of {pool} on {day}", pool=str(pool), day=text),
                )
            )
        shift = free.iloc[0]
        row = {c: shift[c] for c in roster.columns if c in shift.index}
        row.update(operator=edit.operator, name=state.name(edit.operator))
        roster = pd.concat([roster, pd.DataFrame([row])[list(roster.columns)]], ignore_index=True)
        return roster, unassigned.drop(index=free.index[0]), locks, (edit.operator,)
    if isinstance(edit, RemoveOperatorDay):
        _not_locked(state, edit.operator, edit.day)
        row = _need_row(state, edit.operator, edit.day)
        shift = roster.loc[row]
        back = {c: shift[c] for c in unassigned.columns if c in shift.index}
        back["reason"] = msg("removed by the shift manager")
        returned = pd.DataFrame([back])[list(unassigned.columns)]
        returned["reason"] = pd.Series([back["reason"]], dtype=object)  # a message, not a str
        unassigned = pd.concat([unassigned.astype({"reason": object}), returned], ignore_index=True)
        return roster.drop(index=row), unassigned, locks, ()
    raise TypeError(f"not an edit: {edit!r}")


def _shift_breaks(text: str, delta: int) -> str:
    if not text or text == "nan":
        return text
    parts = []
    for part in text.split(";"):
        a, b = part.split("-")
        parts.append(f"{clock_label(parse_clock(a) + delta)}-{clock_label(parse_clock(b) + delta)}")
    return ";".join(parts)


def _new_violations(state: EditedRoster, roster: pd.DataFrame, touched) -> list[Violation]:
    """Violations of the touched operators' rows the edit brings (those already there aside)."""
    if not touched:
        return []
    ops = [o for o in state.operators if o.id in touched]

    def check(table: pd.DataFrame) -> set[Violation]:
        rows = table[table["operator"].astype(str).isin(touched)]
        return set(validate_roster(state.scenario, ops, rows).violations)

    before = check(state.roster)
    return [v for v in check(roster) if v not in before]


def _refuse(state: EditedRoster, broken: list[Violation]) -> EditOutcome:
    named = [replace(v, where=_named(state, v.where)) for v in broken]
    rules = tuple(dict.fromkeys(v.rule for v in broken))
    return EditOutcome(False, state, refused(named, RULE_WORDS), rules)


def _named(state: EditedRoster, where: str) -> str:
    """Where a violation is, the operator named rather than ``operator id``."""
    if isinstance(where, Message) and isinstance(where.params.get("who"), Message):
        operator = where.params["who"].params.get("operator")
        if any(o.id == operator for o in state.operators):
            return Message(where.template, {**where.params, "who": state.name(operator)})
    return where


def lock_violations(state: EditedRoster) -> list[Violation]:
    """The hard rules the locked shifts break by themselves, by the solver-free validator.

    Each operator's locked shifts are checked together, alone (without their other shifts): a
    rule they break so cannot be kept by any re-optimisation that keeps them (the roster model
    has no place for a shift its operator may not take, such as one on a day they are
    unavailable), whatever the other shifts. Each violation's place names the operator (by
    name), the day and the shift.
    """
    out: list[Violation] = []
    for operator, shifts in state.locked_assignments().items():
        rows = [state._row(operator, day) for day, _start, _end in shifts]
        table = state.roster.loc[[r for r in rows if r is not None]].reset_index(drop=True)
        ops = [o for o in state.operators if o.id == operator]
        if not ops:  # not an operator of the file: the roster model says so
            continue
        for v in validate_roster(state.scenario, ops, table).violations:
            out.append(replace(v, where=_named(state, _locked_where(state, operator, v.where))))
    return out


def _locked_where(state: EditedRoster, operator: str, where: str) -> str:
    """A violation's place among the locked shifts as the operator's, not a row of the table
    of locked shifts (whose numbers mean nothing to the manager)."""
    params = where.params if isinstance(where, Message) else {}
    if "row" in params:
        when = f"{params['day']} {params['start']}-{params['end']}"
        return operator_where(operator, when)
    return where


def reoptimise(
    state: EditedRoster, *, time_limit_seconds: float = 10.0
) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """Re-optimise the roster around its locks: ``(roster, unassigned, improved)``, as
    :func:`planner.roster.locks.reoptimise_around_locks`, once the locks are checked.

    Raises
    ------
    PlannerError
        When a locked shift breaks a hard rule by itself (:func:`lock_violations`): the message
        names each rule in words and where, as an edit's refusal does, and is a
        :class:`~planner.messages.Message` a page may translate. Or when the roster model
        cannot keep a lock for another reason (its own message).
    """
    broken = lock_violations(state)
    if broken:
        lines = [
            msg("a locked shift breaks a labour rule, so no roster can keep it; unlock it first:")
        ]
        lines += [Message("- {rule}", {"rule": v.in_words(RULE_WORDS)}) for v in broken]
        raise PlannerError(joined("\n", lines))
    return reoptimise_around_locks(
        state.scenario,
        state.plan,
        state.operators,
        state.roster,
        state.unassigned,
        state.locked_assignments(),
        time_limit_seconds=time_limit_seconds,
    )


def describe(state: EditedRoster, edit: Edit) -> Message:
    """An edit in words ("Aigerim Abenova starts at 10:00 on 2022-01-10"), translatable."""
    day = state.day_text(edit.day)
    if isinstance(edit, Lock):
        return msg("{name}'s shift on {day} lock toggled", name=state.name(edit.operator), day=day)
    if isinstance(edit, Move):
        return msg(
            "{name} starts at {start} on {day}",
            name=state.name(edit.operator),
            start=edit.start,
            day=day,
        )
    if isinstance(edit, Swap):
        return msg(
            "{first} and {second} swapped on {day}",
            first=state.name(edit.first),
            second=state.name(edit.second),
            day=day,
        )
    if isinstance(edit, AddOperatorDay):
        return msg("{name} added on {day}", name=state.name(edit.operator), day=day)
    return msg("{name} removed on {day}", name=state.name(edit.operator), day=day)
