"""Capacity questions: the largest surge today's staff absorb, the smallest headcount that meets
the target, answered by a search along one sweep axis (:func:`capacity_search`)."""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from planner.domain.scenario import Scenario
from planner.errors import PlannerError
from planner.messages import Message, joined, msg
from planner.overrides import Override, apply_overrides, show_value
from planner.study.executors import Executor, LocalProcesses
from planner.study.points import prepare_points, run_points, solver_overrides
from planner.study.tables import STOPPED, PointResult, kpi_table

__all__ = [
    "CapacityAnswer",
    "capacity_search",
    "largest_absorbable_surge",
    "smallest_headcount_meeting_target",
]


@dataclass(frozen=True)
class CapacityAnswer:
    """The answer to a capacity question along one axis.

    Attributes
    ----------
    path : str
        The field searched (``surges[0].peak_multiplier``).
    want : "largest" or "smallest"
        The largest value that still meets the target (a surge absorbed), or the smallest that
        meets it (staff needed).
    value : number or None
        The answer: its plan meets the target. None when no value of the range does, or the
        search was stopped.
    next_value : number or None
        The next step beyond the answer (``value + step`` for largest, ``value - step`` for
        smallest): its plan does not meet the target. None when the answer is at the end of
        the range (every value of the range meets the target: widen the range).
    outcome : "found", "none_meets", "all_meet" or "stopped"
        "stopped": the caller's stop ended the search before its answer.
    queues : tuple of str
        The queues whose target had to be met.
    evaluations : pandas.DataFrame
        Every value solved, in value order: the value, ``meets``, and the KPI row; values whose
        solve was stopped have status ``STOPPED`` and ``meets`` empty.
    """

    path: str
    want: Literal["largest", "smallest"]
    value: float | int | None
    next_value: float | int | None
    outcome: Literal["found", "none_meets", "all_meet", "stopped"]
    queues: tuple[str, ...]
    low: float | int
    high: float | int
    step: float | int
    evaluations: pd.DataFrame

    def summary(self) -> Message:
        """One sentence: the answer, the next step that fails, or why there is no answer (a
        :class:`~planner.messages.Message` a page may translate)."""
        show = self._show
        what = msg("every queue") if not self.queues else ", ".join(self.queues)
        span = {"path": self.path, "low": show(self.low), "high": show(self.high), "what": what}
        if self.outcome == "stopped":
            solved = len(self.evaluations) - len(self.stopped_values)
            if not self.stopped_values:
                return msg(
                    "stopped before the answer was found ({solved} value(s) of {path} solved)",
                    solved=solved,
                    path=self.path,
                )
            values = [Message("{value}", {"value": show(v)}) for v in self.stopped_values]
            return msg(
                "stopped before the answer was found ({solved} value(s) of {path} solved, "
                "{values} stopped)",
                solved=solved,
                path=self.path,
                values=joined(", ", values),
            )
        if self.outcome == "none_meets":
            return msg("no value of {path} from {low} to {high} meets the target ({what})", **span)
        if self.outcome == "all_meet":
            if self.want == "largest":
                return msg(
                    "{path} = {value} meets the target ({what}) and is the highest value of the "
                    "range from {low} to {high}: widen the range",
                    value=show(self.value),
                    **span,
                )
            return msg(
                "{path} = {value} meets the target ({what}) and is the lowest value of the range "
                "from {low} to {high}: widen the range",
                value=show(self.value),
                **span,
            )
        found = {
            "path": self.path,
            "what": what,
            "value": show(self.value),
            "next": show(self.next_value),
            "step": show(self.step),
        }
        if self.want == "largest":
            return msg(
                "largest {path} meeting the target ({what}): {value} (at {next} it is not met; "
                "step {step})",
                **found,
            )
        return msg(
            "smallest {path} meeting the target ({what}): {value} (at {next} it is not met; "
            "step {step})",
            **found,
        )

    @property
    def stopped_values(self) -> tuple[float | int, ...]:
        """The values whose solve the caller's stop ended before it finished."""
        table = self.evaluations
        if table.empty:
            return ()
        return tuple(table.loc[table["status"] == STOPPED, self.path])

    @staticmethod
    def _show(value: float | int) -> float | int:
        """A figure of the search as a number a message writes in full (``1.7``, not
        ``1.7000000000000002``)."""
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return round(float(value), 10)


def capacity_search(
    base: Scenario,
    path: str,
    *,
    low: float,
    high: float,
    step: float,
    want: Literal["largest", "smallest"],
    queues: Sequence[str] | None = None,
    executor: Executor | None = None,
    time_limit_seconds: float | None = None,
    seed: int | None = None,
    reproducible: bool | None = None,
    progress: Callable[[PointResult], None] | None = None,
    stop: threading.Event | None = None,
) -> CapacityAnswer:
    """Search one field for the largest (or smallest) value whose plan meets the target.

    The field takes the values ``low, low + step, ..., high`` (``high`` must be on that grid;
    whole numbers when ``low``, ``high`` and ``step`` are). "Meets the target" is
    :func:`meets_target` over ``queues`` (default every queue): every such queue's daily
    service level is at least its target on every open day.

    Method: bisection on the grid positions. Both ends are solved first; then the bracket
    between a value that meets the target and one that does not is halved at its midpoint
    (``(lo + hi) // 2``) until the two are one step apart. The answer therefore always meets the
    target and the next step does not. With several workers the search is speculative: each
    round solves the next midpoints the bisection may need (breadth-first down its tree, as many
    as there are workers), so it takes fewer rounds, but follows the same path and gives the
    same answer whatever the executor and however many workers it has.

    When meeting the target is monotone along the field (more calls never help; more staff
    never hurt) the answer is the largest (smallest) value on the grid. It need not be: in
    ``interval`` mode the optimiser minimises cost plus interval shortfalls, not daily service,
    and can trade one line against another; the optimiser's gap adds noise. The answer is then
    a boundary, not necessarily the extreme one (``evaluations`` shows every value solved).

    Setting ``stop`` ends the search at once: the solves in flight end without being waited
    for, and the answer has outcome ``"stopped"``, with the values solved so far and those
    stopped (:attr:`CapacityAnswer.stopped_values`) in ``evaluations``.

    Raises
    ------
    ScenarioError
        If the field or an end of the range is invalid for the scenario.
    ValueError
        If the range or step is malformed, or ``queues`` names no queue.
    PlannerError
        If a value's solve fails (the message of the point).
    """
    if want not in ("largest", "smallest"):
        raise ValueError(f"want = {want!r}: give 'largest' or 'smallest'")
    if not step > 0:
        raise ValueError(msg("step = {step:g}: must be > 0", step=step))
    if not high > low:
        raise ValueError(
            msg(
                "the range {low:g} to {high:g}: the upper end must be above the lower",
                low=low,
                high=high,
            )
        )
    count = round((high - low) / step)
    if not math.isclose(low + count * step, high, rel_tol=1e-9, abs_tol=1e-9):
        raise ValueError(
            msg(
                "{high:g} is not {low:g} plus a whole number of steps of {step:g}",
                high=high,
                low=low,
                step=step,
            )
        )
    whole = all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high, step))
    known = [q.name for q in base.queues]
    for name in queues or ():
        if name not in known:
            raise ValueError(f"queue {name!r} is not in the scenario; known: {', '.join(known)}")
    chosen = tuple(queues or known)

    def value(k: int) -> float | int:
        return low + k * step if whole else round(low + k * step, 10)

    for k in (0, count):  # an invalid field or end fails here, before any solve
        apply_overrides(base, [Override(path, value(k))])

    own = executor is None
    executor = executor or LocalProcesses()
    solver = solver_overrides(time_limit_seconds, seed, reproducible)
    seen: dict[int, PointResult] = {}
    meets: dict[int, bool] = {}

    class _Stopped(Exception):
        pass

    def evaluate(ks: Iterable[int]) -> None:
        ks = sorted(set(ks) - set(seen))
        points = prepare_points(base, [(Override(path, value(k)),) for k in ks])
        stopped = False
        for r in run_points(points, executor, solver, False, stop=stop):
            if r.stopped:
                seen[ks[r.index]] = r
                stopped = True
                continue
            if not r.ok:
                raise PlannerError(
                    msg(
                        "{path} = {value}: {error}",
                        path=path,
                        value=show_value(value(ks[r.index])),
                        error=r.error,
                    )
                )
            k = ks[r.index]
            seen[k] = r
            meets[k] = r.kpis["status"] in ("OPTIMAL", "FEASIBLE") and all(
                r.kpis[f"{q}.meets_target"] for q in chosen
            )
            if progress is not None:
                progress(r)
        if stopped or (stop is not None and stop.is_set()):
            raise _Stopped

    answer = beyond = None
    try:
        evaluate([0, count, *_midpoints(0, count, max(executor.workers - 2, 0), meets)])
        good_end = 0 if want == "largest" else count
        if not meets[good_end]:
            outcome, answer, beyond = "none_meets", None, None
        elif meets[count - good_end]:
            outcome, answer, beyond = "all_meet", count - good_end, None
        else:
            lo, hi = _bisect(0, count, meets)
            while hi - lo > 1:
                evaluate(_midpoints(lo, hi, executor.workers, meets))
                lo, hi = _bisect(lo, hi, meets)
            outcome = "found"
            answer, beyond = (lo, hi) if want == "largest" else (hi, lo)
    except _Stopped:
        outcome, answer, beyond = "stopped", None, None
    finally:
        if own:
            executor.close()
    rows = [
        {
            path: value(k),
            "meets": meets.get(k),
            **seen[k].kpis,
            "point_seconds": seen[k].point_seconds,
        }
        for k in sorted(seen)
    ]
    return CapacityAnswer(
        path=path,
        want=want,
        value=None if answer is None else value(answer),
        next_value=None if beyond is None else value(beyond),
        outcome=outcome,
        queues=tuple(queues or ()),
        low=low,
        high=high,
        step=step,
        evaluations=kpi_table(rows, [path, "meets"]),
    )


def _midpoints(lo: int, hi: int, count: int, known: Mapping[int, bool]) -> list[int]:
    """The first ``count`` unsolved midpoints of the bisection tree of ``[lo, hi]``, breadth-first.

    The tree's root is the midpoint ``(lo + hi) // 2``, its children the midpoints of the two
    halves, and so on: the values bisection may solve next, nearest first.
    """
    found: list[int] = []
    brackets = deque([(lo, hi)])
    while brackets and len(found) < count:
        a, b = brackets.popleft()
        if b - a < 2:
            continue
        middle = (a + b) // 2
        if middle not in known:
            found.append(middle)
        brackets.extend([(a, middle), (middle, b)])
    return found


def _bisect(lo: int, hi: int, meets: Mapping[int, bool]) -> tuple[int, int]:
    """Halve the bracket while its midpoint is solved (``meets[lo] != meets[hi]`` throughout)."""
    while hi - lo > 1 and (lo + hi) // 2 in meets:
        middle = (lo + hi) // 2
        lo, hi = (middle, hi) if meets[middle] == meets[lo] else (lo, middle)
    return lo, hi


def largest_absorbable_surge(
    scenario: Scenario,
    surge: int | str = 0,
    *,
    low: float = 1.0,
    high: float = 6.0,
    step: float = 0.1,
    **options,
) -> CapacityAnswer:
    """The largest ``peak_multiplier`` of a surge the scenario's staff absorb, meeting the target.

    ``surge`` is the surge's position or name in ``surges``; the search steps by ``step``
    (0.1x by default) from ``low`` to ``high``. Other options as :func:`capacity_search`.
    """
    path = f"surges[{surge}].peak_multiplier"
    return capacity_search(scenario, path, low=low, high=high, step=step, want="largest", **options)


def smallest_headcount_meeting_target(
    scenario: Scenario,
    pool: int | str = "borrowed",
    *,
    low: int = 0,
    high: int = 100,
    step: int = 1,
    **options,
) -> CapacityAnswer:
    """The smallest headcount of a pool (by default ``borrowed``) meeting the target.

    Steps of one person from ``low`` to ``high`` by default. Apply a surge first
    (:func:`planner.overrides.apply_overrides`) to ask "at a given surge". Other options as
    :func:`capacity_search`.
    """
    path = f"pools[{pool}].headcount"
    return capacity_search(
        scenario, path, low=low, high=high, step=step, want="smallest", **options
    )
