"""Timelines of one day: the rows of a Gantt chart and the floor at any moment.

A day of a plan or a roster, drawn as a Gantt chart, has one row per operator (a roster) or per
shift group (a plan), and on each row segments of work, coloured by the line answered, and of
breaks. The floor view is a vertical cut through that chart at one moment: who is on which line,
who is on a break, and the counts per line and pool.

Which line an agent answers
    A plan says how many agents of each pool answer each queue in each interval (its
    allocation, ``a[p, q, d, i]``), never which agent. The timeline gives lines to agents so
    that, in every interval, the agents of pool p on line q are exactly ``a[p, q, d, i]``
    (the floor counts are the plan's staffed agents), and an agent keeps their line from one
    interval to the next whenever the allocation allows (so nobody is drawn switching line
    every quarter hour when the plan does not ask it). Agents are taken in a fixed order
    (the rows' order: by pool, then start, then template or operator id): in each interval an
    agent on the phones before keeps their line while the line still needs agents of their
    pool, in that order; the others fill the lines still short, in the scenario's queue order.
    A roster works the plan's shifts less those nobody could take; its agents on duty are
    first split between lines in the plan's proportions
    (:func:`planner.simulate.roster.split_like`, as the simulator does), then given out as
    above. An agent on duty whom the allocation leaves without a line (a plan read from a file
    that allocates fewer agents than are on duty) is shown on :data:`NO_LINE`.

Rows, segments and the floor are tables (pandas), built vectorised over agents x intervals
with numpy; a day of 71 operators takes milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
import pandas as pd

from planner.domain.plan import Plan, breaks_label
from planner.io.plan_tables import read_breaks
from planner.messages import msg
from planner.present.formats import unique_labels
from planner.simulate.roster import split_like
from planner.timegrid import TimeGrid, clock_label, parse_clock

__all__ = [
    "BREAK",
    "FLOOR_COLUMNS",
    "NO_LINE",
    "ROW_COLUMNS",
    "SEGMENT_COLUMNS",
    "Floor",
    "Timeline",
    "moment_interval",
    "plan_timeline",
    "roster_timeline",
]

BREAK = "break"
"""The ``line`` of a break segment (and the status of an agent on a break)."""
NO_LINE = "no line"
"""The ``line`` of an agent on duty whom the allocation gives no line."""
BREAKS = msg("breaks")
"""The word before a plan's group's breaks in its row label (``... · ×12 · breaks 13:45-14:15``)."""
WORDS = {
    "on the phones": msg("on the phones"),
    "on a break": msg("on a break"),
    "not started": msg("not started"),
    "finished": msg("finished"),
    NO_LINE: msg("no line"),
    BREAK: msg("break"),
}
"""The words the floor's ``status`` and ``line`` and the segments' ``line`` hold besides the
queues' names, as messages a page may translate (the tables keep the English words)."""

ROW_COLUMNS = ("row", "pool", "operator", "name", "template", "start", "end", "agents")
"""One row of the chart: its label, pool, the operator (roster; ``""`` for a plan), the
template, the shift's ``"HH:MM"`` start and end, and the agents it stands for (1 for an
operator)."""
SEGMENT_COLUMNS = (
    "row",
    "pool",
    "operator",
    "name",
    "kind",
    "line",
    "start",
    "end",
    "from",
    "to",
    "minutes",
    "agents",
)
"""One bar of the chart: ``kind`` is ``"work"`` or ``"break"``; ``line`` the queue answered
(:data:`BREAK` on a break, :data:`NO_LINE` when unallocated); ``start``/``end`` as ``"HH:MM"``
and ``from``/``to`` as timestamps of the day; ``minutes`` the bar's length; ``agents`` how many
of the row's agents it holds (a plan's group may be split between lines at once)."""
FLOOR_COLUMNS = ("row", "pool", "operator", "name", "shift", "status", "line", "agents")
"""Who is where at a moment: ``status`` is ``"on the phones"``, ``"on a break"``,
``"not started"`` or ``"finished"``; ``line`` the queue (``""`` off the phones)."""

_CLOCKS = np.array([clock_label(m) for m in range(24 * 60 + 1)], dtype=object)  # by minute
_OFF = -1  # an agent's code when off shift
_BREAK = -2  # ... on a break; lines are 0..queues-1, queues is "no line"


@dataclass(frozen=True)
class _Agents:
    """One day's agents: each one agent of a plan's group or one operator's shift.

    ``row`` indexes the chart's rows; ``pool`` the plan's pools; ``on_shift`` and ``on_break``
    are agents x intervals booleans. Agents are in the order lines are given out.
    """

    row: np.ndarray
    pool: np.ndarray
    on_shift: np.ndarray
    on_break: np.ndarray

    @property
    def on_duty(self) -> np.ndarray:
        return self.on_shift & ~self.on_break


@dataclass(frozen=True)
class Floor:
    """The floor at one moment of a day.

    Attributes
    ----------
    moment : str
        The interval's start, ``"HH:MM"``.
    people : pandas.DataFrame
        :data:`FLOOR_COLUMNS`: every row of the chart with what its agents do then (a plan's
        group split between lines has one record per line).
    counts : pandas.DataFrame
        Agents per pool (index, then ``"all"``) and line (columns, in queue order), then
        ``on a break`` and ``on duty`` (on the phones, every line).
    """

    moment: str
    people: pd.DataFrame
    counts: pd.DataFrame


@dataclass(frozen=True)
class Timeline:
    """One day of a plan or a roster, as rows and segments of a Gantt chart.

    Attributes
    ----------
    day : datetime.date
    grid : TimeGrid
    queue_names, pool_names : tuple of str
    rows : pandas.DataFrame
        :data:`ROW_COLUMNS`, in chart order (pool, then start).
    segments : pandas.DataFrame
        :data:`SEGMENT_COLUMNS`, ordered by row and start.
    """

    day: date
    grid: TimeGrid
    queue_names: tuple[str, ...]
    pool_names: tuple[str, ...]
    rows: pd.DataFrame
    segments: pd.DataFrame
    _agents: _Agents
    _lines: np.ndarray  # agents x intervals: the codes above

    @property
    def moments(self) -> tuple[str, ...]:
        """Every interval start of the day, ``"HH:MM"`` (the moments a floor can be cut at)."""
        return self.grid.interval_labels

    def floor(self, moment: str | time | int) -> Floor:
        """Who is on which line, on a break or off shift at ``moment``.

        Parameters
        ----------
        moment : str, datetime.time or int
            A clock time (``"14:05"`` is in the interval starting 14:00) or an interval index.

        Raises
        ------
        ValueError
            If the moment is outside the day's operating window.
        """
        i = moment_interval(self.grid, moment)
        codes = self._lines[:, i]
        queues = len(self.queue_names)
        lines = (*self.queue_names, NO_LINE)
        rows, pools = self._agents.row, self._agents.pool

        # Agents counted per (row, what they do): lines, no line, break, not started, finished.
        started = self._agents.on_shift[:, :i].any(axis=1) | self._agents.on_shift[:, i]
        what = np.where(codes >= 0, codes, np.where(codes == _BREAK, queues + 1, queues + 2))
        what = np.where((codes == _OFF) & started, queues + 3, what)
        kinds = queues + 4
        per_row = np.bincount(rows * kinds + what, minlength=len(self.rows) * kinds)
        r, k = np.nonzero(per_row.reshape(len(self.rows), kinds))
        status = np.array(
            ["on the phones"] * (queues + 1) + ["on a break", "not started", "finished"], object
        )
        line = np.array([*lines, "", "", ""], dtype=object)
        head = self.rows.iloc[r]
        people = pd.DataFrame(
            {
                "row": head["row"].to_numpy(),
                "pool": head["pool"].to_numpy(),
                "operator": head["operator"].to_numpy(),
                "name": head["name"].to_numpy(),
                "shift": [f"{a}-{b}" for a, b in zip(head["start"], head["end"], strict=True)],
                "status": status[k],
                "line": line[k],
                "agents": per_row.reshape(len(self.rows), kinds)[r, k],
            },
            columns=list(FLOOR_COLUMNS),
        )

        # Agents per pool and line, then on a break and on duty; the last row sums the pools.
        pool_count = len(self.pool_names)
        table = np.zeros((pool_count + 1, queues + 3), dtype=np.int64)
        on_line = codes >= 0
        np.add.at(table, (pools[on_line], codes[on_line]), 1)
        table[:pool_count, queues + 1] = np.bincount(pools[codes == _BREAK], minlength=pool_count)
        table[:pool_count, queues + 2] = table[:pool_count, : queues + 1].sum(axis=1)
        table[pool_count] = table[:pool_count].sum(axis=0)
        keep = [c for c in range(queues + 3) if c != queues or table[:, queues].any()]
        counts = pd.DataFrame(
            table[:, keep],
            index=pd.Index([*self.pool_names, "all"], name="pool"),
            columns=[[*lines, "on a break", "on duty"][c] for c in keep],
        )
        return Floor(self.grid.interval_labels[i], people, counts)


def moment_interval(grid: TimeGrid, moment: str | time | int) -> int:
    """The interval of the day holding ``moment`` (a clock time or an interval index).

    Raises
    ------
    ValueError
        If the moment is outside the operating window.
    """
    if isinstance(moment, (int, np.integer)):
        index = int(moment)
    else:
        minute = moment.hour * 60 + moment.minute if isinstance(moment, time) else None
        minute = parse_clock(moment) if minute is None else minute
        index = (minute - grid.window_start_minute) // grid.interval_minutes
        if minute < grid.window_start_minute:
            index = -1
    if not 0 <= index < grid.intervals_per_day:
        window = f"{clock_label(grid.window_start_minute)}-{clock_label(grid.window_end_minute)}"
        raise ValueError(f"moment {moment} is outside the operating window {window}")
    return index


def plan_timeline(plan: Plan, day: date | int) -> Timeline:
    """A plan's day: one row per shift group, its agents split between lines as they go.

    Parameters
    ----------
    plan : Plan
    day : datetime.date or int
        A date of the plan's horizon, or its index.

    Raises
    ------
    ValueError
        If the day is outside the horizon.
    """
    grid = plan.grid
    d = _day_index(grid, day)
    groups = sorted(
        (g for g in plan.shifts if g.day == d),
        key=lambda g: (plan.pool_names.index(g.pool), g.start, g.end, g.template, g.breaks),
    )
    n = grid.intervals_per_day
    agents = np.array([g.agents for g in groups], dtype=np.int64)
    starts = np.array([g.start for g in groups], dtype=np.int64)
    ends = np.array([g.end for g in groups], dtype=np.int64)
    on_break = np.zeros((len(groups), n), dtype=bool)
    for k, g in enumerate(groups):  # a handful of breaks per group: no interval loop
        for offset, length in g.breaks:
            on_break[k, g.start + offset : g.start + offset + length] = True
    labels = [  # groups alike but for their breaks are told apart by them
        f"{g.pool} · {grid.clock_at(g.start)}-{grid.clock_at(g.end)} · ×{g.agents}"
        + (f" · {BREAKS} {breaks_label(grid, g).replace(';', ', ')}" if g.breaks else "")
        for g in groups
    ]
    rows = pd.DataFrame(
        {
            "row": unique_labels(labels),
            "pool": [g.pool for g in groups],
            "operator": "",
            "name": "",
            "template": [g.template for g in groups],
            "start": [grid.clock_at(g.start) for g in groups],
            "end": [grid.clock_at(g.end) for g in groups],
            "agents": agents,
        },
        columns=list(ROW_COLUMNS),
    )
    pool = np.array([plan.pool_names.index(g.pool) for g in groups], dtype=np.int64)
    each = np.repeat(np.arange(len(groups)), agents)  # one agent per shift of a group
    people = _Agents(
        row=each,
        pool=pool[each],
        on_shift=_spans(starts, ends, n)[each],
        on_break=on_break[each],
    )
    return _timeline(plan, d, rows, people, plan.allocation[:, :, d, :])


def roster_timeline(roster: pd.DataFrame, plan: Plan, day: date | int) -> Timeline:
    """A roster's day: one row per operator working that day.

    Parameters
    ----------
    roster : pandas.DataFrame
        ``roster.csv``'s rows (:data:`planner.domain.roster.ROSTER_COLUMNS`, ``name`` and
        ``template`` when present).
    plan : Plan
        The plan rostered: its grid, and its allocation to split the operators between lines.
    day : datetime.date or int

    Raises
    ------
    ValueError
        If the day is outside the horizon, or a row's times or pool are not the plan's.
    """
    grid = plan.grid
    d = _day_index(grid, day)
    # The day's rows, dates read once per distinct value (a date, a timestamp or its text).
    codes, uniques = pd.factorize(roster["day"])
    wanted = np.flatnonzero(pd.to_datetime(pd.Series(uniques)).dt.date == grid.dates[d])
    today = roster.iloc[np.flatnonzero(np.isin(codes, wanted))]
    pools = today["pool"].tolist()
    bad = sorted(set(pools) - set(plan.pool_names))
    if bad:
        raise ValueError(f"roster: pool(s) {', '.join(map(str, bad))} are not in the plan")
    operator = today["operator"].astype(str).tolist()
    name = (
        today["name"].fillna(today["operator"]).astype(str).tolist()
        if "name" in today
        else operator
    )
    template = today["template"].astype(str).tolist() if "template" in today else [""] * len(pools)
    begin, finish = today["start"].astype(str).tolist(), today["end"].astype(str).tolist()
    pool_of = {p: k for k, p in enumerate(plan.pool_names)}
    order = sorted(range(len(pools)), key=lambda k: (pool_of[pools[k]], begin[k], operator[k]))
    today = today.iloc[order]
    n = grid.intervals_per_day

    # The rows' times, read once per distinct value (a day has a few distinct shifts).
    starts = _intervals(grid, today["start"])
    ends = _intervals(grid, today["end"])
    on_break = _break_mask(grid, today["breaks"], n)
    labels = [operator[k] + (f" · {name[k]}" if name[k] != operator[k] else "") for k in order]
    rows = pd.DataFrame(
        {
            "row": unique_labels(labels),
            "pool": [pools[k] for k in order],
            "operator": [operator[k] for k in order],
            "name": [name[k] for k in order],
            "template": [template[k] for k in order],
            "start": [begin[k] for k in order],
            "end": [finish[k] for k in order],
            "agents": np.ones(len(order), dtype=np.int64),
        },
        columns=list(ROW_COLUMNS),
    )
    people = _Agents(
        row=np.arange(len(rows)),
        pool=np.array([pool_of[pools[k]] for k in order], dtype=np.int64),
        on_shift=_spans(starts, ends, n),
        on_break=on_break,
    )
    duty = np.zeros((len(plan.pool_names), 1, n), dtype=np.int64)
    np.add.at(duty, (people.pool, 0), people.on_duty.astype(np.int64))
    allocation = split_like(duty, plan.allocation[:, :, d : d + 1, :])[:, :, 0, :]
    return _timeline(plan, d, rows, people, allocation)


# ----- building blocks ----------------------------------------------------------------------------


def _timeline(plan: Plan, d: int, rows: pd.DataFrame, people: _Agents, allocation) -> Timeline:
    lines = _give_lines(people, allocation)
    segments = _segments(plan, d, rows, people, lines)
    return Timeline(
        day=plan.grid.dates[d],
        grid=plan.grid,
        queue_names=plan.queue_names,
        pool_names=plan.pool_names,
        rows=rows,
        segments=segments,
        _agents=people,
        _lines=lines,
    )


def _give_lines(people: _Agents, allocation: np.ndarray) -> np.ndarray:
    """Each agent's line in each interval (codes: line index, ``queues`` for no line,
    ``_BREAK``, ``_OFF``), meeting ``allocation[p, q, i]`` exactly where agents allow.

    Vectorised over agents; the loop runs over intervals (each depends on the one before, to
    keep lines) and queues.
    """
    agents, intervals = people.on_shift.shape
    pools, queues = allocation.shape[:2]
    codes = np.where(people.on_break, _BREAK, _OFF).astype(np.int64)
    codes[~people.on_shift] = _OFF
    if not agents:
        return codes
    pool = people.pool
    # Agents are grouped by pool in the order given; a rank within the pool is a cumulative
    # count less the count before the pool's first agent.
    order = np.argsort(pool, kind="stable")
    pool_sorted = pool[order]
    first = np.searchsorted(pool_sorted, np.arange(pools), side="left")

    def rank(mask_sorted: np.ndarray) -> np.ndarray:
        counted = np.concatenate(([0], np.cumsum(mask_sorted)))
        return counted[1:] - counted[first[pool_sorted]]

    duty = people.on_duty[order]
    previous = np.full(agents, _OFF, dtype=np.int64)
    out = np.empty((agents, intervals), dtype=np.int64)
    for i in range(intervals):
        on = duty[:, i]
        need = allocation[:, :, i][pool_sorted]  # agents x queues: the agent's pool's need
        line = np.full(agents, _OFF, dtype=np.int64)
        for q in range(queues):  # keep the line from the interval before, while it is needed
            mask = on & (previous == q)
            keep = mask & (rank(mask) <= need[:, q])
            line[keep] = q
        kept = np.zeros((pools, queues), dtype=np.int64)
        held = line >= 0
        np.add.at(kept, (pool_sorted[held], line[held]), 1)
        short = np.clip(allocation[:, :, i] - kept, 0, None).cumsum(axis=1)[pool_sorted]
        free = on & ~held
        place = (short < rank(free)[:, None]).sum(axis=1)  # the first line still short
        line[free] = place[free]
        out[:, i] = line
        previous = line
    codes[order] = np.where(duty, out, codes[order])
    return codes


def _segments(plan: Plan, d: int, rows, people: _Agents, lines: np.ndarray) -> pd.DataFrame:
    """Runs of the same line (or break) and agent count, per row: the chart's bars."""
    grid = plan.grid
    queues = len(plan.queue_names)
    kinds = queues + 2  # lines, no line, break
    n = grid.intervals_per_day
    count = np.zeros((len(rows), kinds, n), dtype=np.int64)
    agent, interval = np.nonzero(lines != _OFF)
    code = lines[agent, interval]
    what = np.where(code == _BREAK, queues + 1, code)
    np.add.at(count, (people.row[agent], what, interval), 1)

    flat = count.reshape(-1, n)
    padded = np.pad(flat, ((0, 0), (1, 1)))
    change_row, change_at = np.nonzero(np.diff(padded, axis=1))
    same = change_row[:-1] == change_row[1:]
    run_row, begin, end = change_row[:-1][same], change_at[:-1][same], change_at[1:][same]
    held = flat[run_row, begin]
    keep = held > 0
    run_row, begin, end, held = run_row[keep], begin[keep], end[keep], held[keep]
    row, kind = np.divmod(run_row, kinds)
    order = np.lexsort((kind, begin, row))  # by row, then start, then line in queue order
    row, kind, begin, end, held = row[order], kind[order], begin[order], end[order], held[order]

    names = np.array([*plan.queue_names, NO_LINE, BREAK], dtype=object)
    minutes = grid.interval_minutes
    base = pd.Timestamp(grid.dates[d])
    start_minute = grid.window_start_minute + begin * minutes
    end_minute = grid.window_start_minute + end * minutes
    labels = _CLOCKS
    return pd.DataFrame(
        {
            "row": rows["row"].to_numpy()[row],
            "pool": rows["pool"].to_numpy()[row],
            "operator": rows["operator"].to_numpy()[row],
            "name": rows["name"].to_numpy()[row],
            "kind": np.where(kind == queues + 1, "break", "work"),
            "line": names[kind],
            "start": labels[start_minute],
            "end": labels[end_minute],
            "from": base + pd.to_timedelta(start_minute, unit="min"),
            "to": base + pd.to_timedelta(end_minute, unit="min"),
            "minutes": (end - begin) * minutes,
            "agents": held,
        },
        columns=list(SEGMENT_COLUMNS),
    )


def _day_index(grid: TimeGrid, day: date | int) -> int:
    if isinstance(day, datetime):
        day = day.date()
    if isinstance(day, date):
        return grid.day_of(day)
    if not 0 <= int(day) < grid.days:
        raise ValueError(f"day {day} is outside the horizon of {grid.days} days")
    return int(day)


def _spans(starts: np.ndarray, ends: np.ndarray, intervals: int) -> np.ndarray:
    """Rows x intervals: True from each row's start (inclusive) to its end (exclusive)."""
    at = np.arange(intervals)
    return (at >= starts[:, None]) & (at < ends[:, None])


def _intervals(grid: TimeGrid, clocks: pd.Series) -> np.ndarray:
    """``"HH:MM"`` values as interval indices of the grid, each distinct value read once."""
    codes, uniques = pd.factorize(clocks.astype(str))
    return np.array([grid.interval_of(parse_clock(u)) for u in uniques], dtype=np.int64)[codes]


def _break_mask(grid: TimeGrid, breaks: pd.Series, intervals: int) -> np.ndarray:
    """Rows x intervals: True in every interval a row's breaks (``"HH:MM-HH:MM;..."``) touch."""
    codes, uniques = pd.factorize(breaks.fillna("").astype(str))
    masks = np.zeros((len(uniques) + 1, intervals), dtype=bool)  # the last: no breaks (NaN)
    for k, text in enumerate(uniques):
        parts = read_breaks(text)
        if parts is None:
            raise ValueError(f'roster: breaks {text!r} are not "HH:MM-HH:MM" separated by ";"')
        for begin, end in parts:
            first = (begin - grid.window_start_minute) // grid.interval_minutes
            last = -(-(end - grid.window_start_minute) // grid.interval_minutes)
            masks[k, max(first, 0) : max(last, 0)] = True
    return masks[codes]
