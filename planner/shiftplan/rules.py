"""The rules of the shift-sizing model, one small function each.

Hard rules must hold in every plan; their names are the names :mod:`planner.validate.plan` checks
a plan against without the solver. Some hold by construction of the decision space (the model
offers no shift that could break them); they are listed all the same, so this file is the whole
list. Soft rules return a named :class:`~planner.cpsat.terms.PenaltyTerm`; the objective is their
sum plus the paid cost (:mod:`planner.shiftplan.objective`), assembled by
:mod:`planner.cpsat.assemble`, so every plan carries its penalty breakdown.

Notation: ``x_o`` agents starting option ``o``; ``y_obk`` of them taking break ``b`` at offset
``k``; ``duty_pdi`` agents of pool ``p`` on duty on day ``d`` in interval ``i``; ``a_pqdi`` agents
of a flexible pool allocated to queue ``q``; ``staff_qdi`` agents answering queue ``q``;
``R_qdi`` the requirement.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

from planner.cpsat import terms as cpsat_terms
from planner.cpsat.terms import PenaltyTerm
from planner.shiftplan.instance import Instance
from planner.shiftplan.variables import PlanVariables

__all__ = ["HARD_RULES", "RULE_SETTINGS", "SOFT_RULES"]


HardRule = cpsat_terms.HardRule[Instance, PlanVariables]
SoftRule = cpsat_terms.SoftRule[Instance, PlanVariables]


# --------------------------------------------------------------------------------------------------
# Hard rules
# --------------------------------------------------------------------------------------------------


def template_allowed(model, inst, v, hard) -> None:
    """A pool works only the shift templates listed for it.

    Holds by construction: options are generated from each pool's ``shift_templates`` only.
    """


def shift_start_allowed(model, inst, v, hard) -> None:
    """A shift starts at an allowed start of its template and lies inside the operating window.

    Holds by construction: options start at ``template_start_minutes`` (validated to fit the
    window when the scenario was loaded).
    """


def breaks_in_windows(model, inst, v, hard) -> None:
    """Every agent takes each break of the template once, inside the break's window.

    ``sum_k y_obk = x_o`` for every option o and break b; offsets k only range over the window.
    """
    for o in inst.options:
        x = v.starts[o.index]
        for b, brk in enumerate(o.breaks):
            taken = [v.breaks[(o.index, b, k)] for k in range(brk.first, brk.last + 1)]
            scope = f"{inst.pool_names[o.pool]} {inst.grid.dates[o.day]}"
            hard.add(model.add(sum(taken) == x), "breaks_in_windows", scope)


def pool_works_open_days(model, inst, v, hard) -> None:
    """A pool works only on days when a queue it serves is open.

    Holds by construction: no options are generated for such days.
    """


def daily_headcount(model, inst, v, hard) -> None:
    """Agents starting per pool per day are within that day's headcount.

    ``sum_{o in (p, d)} x_o <= headcount_pd`` (one shift per operator per day).
    """
    per_pool_day = defaultdict(list)
    for o in inst.options:
        per_pool_day[(o.pool, o.day)].append(v.starts[o.index])
    for (p, d), starts in per_pool_day.items():
        scope = f"{inst.pool_names[p]} {inst.grid.dates[d]}"
        hard.add(model.add(sum(starts) <= int(inst.headcount[p, d])), "daily_headcount", scope)


def weekly_paid_hours(model, inst, v, hard) -> None:
    """A pool's paid hours per 7-day block stay within its people's weekly maximum.

    ``sum_{o in (p, week w)} paid_minutes_o x_o <= 60 max_hours_per_week sum_{d in w}
    headcount_pd / |w|``: the weekly hours of the block's mean headcount (a last block shorter
    than a week keeps the whole weekly cap).
    """
    per_block = defaultdict(list)
    for o in inst.options:
        per_block[(o.pool, inst.block_of(o.day))].append((v.starts[o.index], o.paid_minutes))
    for (p, block), terms in per_block.items():
        variables, minutes = zip(*terms, strict=True)
        total = cp_model.LinearExpr.weighted_sum(variables, minutes)
        cap = inst.weekly_cap_minutes[(p, block)]
        hard.add(
            model.add(total <= cap), "weekly_paid_hours", f"{inst.pool_names[p]} week {block + 1}"
        )


def _pool_limits(model, inst, v, hard, rule: str) -> None:
    """The limits of :func:`planner.labour.pool_limits` under ``rule`` as constraints."""
    for limit, counted in zip(inst.work_limits, inst.limit_terms, strict=True):
        if limit.rule != rule or not counted:
            continue
        scope = f"{inst.pool_names[limit.pool]} {limit.where(inst.grid.dates)}"
        total = sum(weight * v.starts[o.index] for o, weight in counted)
        hard.add(model.add(total <= limit.cap), rule, scope)


def pool_working_days(model, inst, v, hard) -> None:
    """A pool's shifts on any days of a week can be given to different operators each day,
    each within the shifts its days off and weekly hours allow, so every shift can be rostered.

    ``sum_{o of p on D} x_o <= sum_j min(k_j, days of D operator j is available)`` for every
    set D of a week's days (Hall's condition; :func:`planner.labour.pool_limits`).
    """
    _pool_limits(model, inst, v, hard, "pool_working_days")


def pool_consecutive_days(model, inst, v, hard) -> None:
    """A pool's shifts in any ``max_consecutive_days + 1`` days of a week are at most what its
    operators may work with no run longer than ``max_consecutive_days``.

    ``sum_{o of p on the window} x_o <= sum_j min(days j is available in it, m)``.
    """
    _pool_limits(model, inst, v, hard, "pool_consecutive_days")


def pool_shifts_within_weekly_hours(model, inst, v, hard) -> None:
    """A pool's week of shifts is a mix its operators can work within their weekly hours: one
    operator fits three 11-hour shifts in 40 h, or two and two 7.5-hour ones, not one and four.

    ``sum_{o of p in W} a_{paid_o} x_o <= sum_g J_g max_{c in P_g} a . c`` for the directions
    ``a`` of :func:`planner.labour.pool_limits` (``P_g``: the weeks an operator available ``g``
    days may work).
    """
    _pool_limits(model, inst, v, hard, "pool_shifts_within_weekly_hours")


def pool_long_shift_pairs(model, inst, v, hard) -> None:
    """On two consecutive days of a week a pool's long shifts are at most its operators
    available on either day (nobody works two long shifts in a row).

    ``sum_{o of p on d or d + 1, long} x_o <= max(H_pd, H_p,d+1)``.
    """
    _pool_limits(model, inst, v, hard, "pool_long_shift_pairs")


def pool_overtime_per_day(model, inst, v, hard) -> None:
    """A pool's week of shifts leaves its operators at most ``labour.max_overtime_hours_per_day``
    of overtime for each day they work: paid hours beyond the normal week
    (``labour.max_hours_per_week``) spread over the week's shifts, at most the daily cap each.

    ``sum_{o of p in W} max(0, paid_o - D) x_o <= N J_pW`` (D the daily cap and N the normal
    week in minutes, J_pW the operators of the week; :func:`planner.labour.pool_limits`).
    """
    _pool_limits(model, inst, v, hard, "pool_overtime_per_day")


def _pool_overtime(model, inst, v, hard, rule: str) -> None:
    """The caps of :func:`planner.labour.pool_overtime_caps` under ``rule`` as constraints,
    on one overtime variable per pool and week (shared by the month and the year)."""
    for cap in inst.overtime_caps:
        if cap.rule != rule:
            continue
        overtime = []
        for w, normal in zip(cap.weeks, cap.normal, strict=True):
            key = (cap.pool, w)
            if key not in v.overtime:
                first, stop = inst.grid.weeks[w]
                mine = [o for o in inst.options if o.pool == cap.pool and first <= o.day < stop]
                paid = sum(o.paid_minutes * v.starts[o.index] for o in mine)
                top = max(0, inst.weekly_cap_minutes.get(key, 0) - normal)
                ot = model.new_int_var(
                    0, top, f"overtime[{inst.pool_names[cap.pool]}|week {w + 1}]"
                )
                model.add(ot >= paid - normal)
                v.overtime[key] = ot
            overtime.append(v.overtime[key])
        scope = f"{inst.pool_names[cap.pool]} {cap.period}"
        hard.add(model.add(sum(overtime) <= cap.cap), rule, scope)


def pool_overtime_per_month(model, inst, v, hard) -> None:
    """A pool's overtime in the weeks touching a calendar month stays within what its operators
    may still work that month (``labour.max_overtime_hours_per_month`` each, less the
    overtime they worked before the horizon): a 48-hour week is allowed once, not every week.

    ``sum_{W in m} t_pW <= sum_j A_jm``, ``t_pW >= paid_pW - N J_pW``, ``t >= 0``
    (:func:`planner.labour.pool_overtime_caps`).
    """
    _pool_overtime(model, inst, v, hard, "pool_overtime_per_month")
    # A week solved alone keeps within its share of its months' and year's caps (the shares
    # of a period's weeks add up to at most its cap): ``paid_pW <= N J_pW + b_pW``.
    for p, (normal, budget) in inst.overtime_budget.items():
        paid = sum(o.paid_minutes * v.starts[o.index] for o in inst.options if o.pool == p)
        scope = f"{inst.pool_names[p]} week's share of the caps"
        hard.add(model.add(paid <= normal + budget), "pool_overtime_per_month", scope)


def pool_overtime_per_year(model, inst, v, hard) -> None:
    """As :func:`pool_overtime_per_month` for a calendar year
    (``labour.max_overtime_hours_per_year``)."""
    _pool_overtime(model, inst, v, hard, "pool_overtime_per_year")


def part_time_share(model, inst, v, hard) -> None:
    """Part-time shifts are at most the pool's allowed share of its shifts over the horizon.

    ``den sum_{o part-time} x_o <= num sum_o x_o`` with ``num / den = max_part_time_share``.
    """
    for p, share in enumerate(inst.part_time_share):
        if share is None:
            continue
        mine = [o for o in inst.options if o.pool == p]
        part = [v.starts[o.index] for o in mine if o.part_time]
        if not part:
            continue
        every = [v.starts[o.index] for o in mine]
        ct = model.add(share.denominator * sum(part) <= share.numerator * sum(every))
        hard.add(ct, "part_time_share", inst.pool_names[p])


def allocation_matches_duty(model, inst, v, hard) -> None:
    """A flexible pool's agents on duty are split among its open queues, each counted once.

    ``sum_q a_pqdi = duty_pdi``: nobody answers two queues at once, nobody on duty is left out.
    """
    per_pool_interval = defaultdict(list)
    for (p, _q, d, i), a in v.allocation.items():
        per_pool_interval[(p, d, i)].append(a)
    for (p, d, i), parts in per_pool_interval.items():
        ct = model.add(sum(parts) == v.on_duty(p, d, i))
        hard.add(ct, "allocation_matches_duty", f"{inst.pool_names[p]} {inst.grid.dates[d]}")


def allocation_skills(model, inst, v, hard) -> None:
    """Agents answer only queues they have the skill for.

    Holds by construction: allocation variables exist only for a pool's skills.
    """


def allocation_blocks(model, inst, v, hard) -> None:
    """Nobody changes line inside a routing block (``routing.block_minutes``, counted from the
    window's start).

    For a flexible pool, day and consecutive intervals ``i - 1, i`` of one block, the places
    gained are at most the agents coming on duty: ``g_pqdi >= a_pqdi - a_pqd(i-1)``,
    ``g >= 0``, ``sum_q g_pqdi <= J_pdi``, where ``J_pdi`` (shift starts and break ends at i)
    is linear in the starts and breaks. Agents going off duty then account for the places lost;
    no agent is moved between lines inside a block. Linear, with no literal to branch on.
    """
    step = inst.scenario.routing.block_minutes // inst.grid.interval_minutes
    if step <= 1:
        return
    joining = defaultdict(list)  # (pool, day, interval) -> variables of agents coming on duty
    for o in inst.options:
        joining[(o.pool, o.day, o.start)].append(v.starts[o.index])
        for b, brk in enumerate(o.breaks):
            for k in range(brk.first, brk.last + 1):
                joining[(o.pool, o.day, o.start + k + brk.length)].append(v.breaks[(o.index, b, k)])
    by_pool_day = defaultdict(dict)
    for (p, q, d, i), a in v.allocation.items():
        by_pool_day[(p, d)][(q, i)] = a
    for (p, d), cells in by_pool_day.items():
        queues = sorted({q for q, _ in cells})
        scope = f"{inst.pool_names[p]} {inst.grid.dates[d]}"
        for i in range(1, inst.intervals):
            if i % step == 0 or any((q, i) not in cells or (q, i - 1) not in cells for q in queues):
                continue
            gains = []
            for q in queues:
                top = int(max(cells[(q, i)].proto.domain))
                g = model.new_int_var(0, top, f"gain[{scope}|{q}|{i}]")
                model.add(g >= cells[(q, i)] - cells[(q, i - 1)])
                gains.append(g)
                v.block_gain[(p, q, d, i)] = g
            ct = model.add(sum(gains) <= sum(joining.get((p, d, i), [])))
            hard.add(ct, "allocation_blocks", scope)


def closed_queue_unstaffed(model, inst, v, hard) -> None:
    """A queue closed on a day gets no agents that day.

    Holds by construction: allocation goes only to open queues, and a pool with no open queue
    has no shifts that day.
    """


def queue_min_agents(model, inst, v, hard) -> None:
    """On a day a queue is open, every interval has at least its ``min_agents``.

    ``staff_qdi >= min_agents_q``.
    """
    for q, floor in enumerate(inst.min_agents):
        if floor <= 0:
            continue
        for d in np.flatnonzero(inst.queue_open[q]):
            scope = f"{inst.queue_names[q]} {inst.grid.dates[d]}"
            for i in range(inst.intervals):
                hard.add(model.add(v.staffed(q, d, i) >= int(floor)), "queue_min_agents", scope)


HARD_RULES: tuple[HardRule, ...] = (
    template_allowed,
    shift_start_allowed,
    breaks_in_windows,
    pool_works_open_days,
    daily_headcount,
    weekly_paid_hours,
    pool_working_days,
    pool_consecutive_days,
    pool_shifts_within_weekly_hours,
    pool_long_shift_pairs,
    pool_overtime_per_day,
    pool_overtime_per_month,
    pool_overtime_per_year,
    part_time_share,
    allocation_matches_duty,
    allocation_skills,
    allocation_blocks,
    closed_queue_unstaffed,
    queue_min_agents,
)

RULE_SETTINGS: dict[str, str] = {
    "template_allowed": "pools[].shift_templates",
    "shift_start_allowed": "shift_templates[].earliest_start, latest_start, start_step_minutes",
    "breaks_in_windows": "shift_templates[].breaks",
    "pool_works_open_days": "operating_modes",
    "daily_headcount": "pools[].headcount, headcount_changes",
    "weekly_paid_hours": "pools[].max_hours_per_week",
    "pool_working_days": "labour.min_days_off_per_week (days off a week), pools[].headcount",
    "pool_consecutive_days": "labour.max_consecutive_days",
    "pool_shifts_within_weekly_hours": "pools[].max_hours_per_week, labour.max_hours_per_week",
    "pool_long_shift_pairs": "labour.no_consecutive_long_shifts, labour.long_shift_hours",
    "pool_overtime_per_day": "labour.max_overtime_hours_per_day, labour.max_hours_per_week, "
    "pools[].max_hours_per_week",
    "pool_overtime_per_month": "labour.max_overtime_hours_per_month, labour.max_hours_per_week, "
    "operators' overtime_hours_this_month",
    "pool_overtime_per_year": "labour.max_overtime_hours_per_year, labour.max_hours_per_week, "
    "operators' overtime_hours_this_year",
    "part_time_share": "pools[].max_part_time_share",
    "allocation_matches_duty": "pools[].skills",
    "allocation_skills": "pools[].skills",
    "allocation_blocks": "routing.block_minutes",
    "closed_queue_unstaffed": "operating_modes[].closed_queues",
    "queue_min_agents": "queues[].min_agents",
}
"""Per hard rule, the scenario fields that set it: what to change when the rule is named in a
conflict (shown by :func:`planner.cpsat.explain.group_rules`)."""


# --------------------------------------------------------------------------------------------------
# Soft rules
# --------------------------------------------------------------------------------------------------


def _open_intervals(inst: Instance):
    for q in range(len(inst.queue_names)):
        for d in np.flatnonzero(inst.queue_open[q]):
            for i in range(inst.intervals):
                yield q, int(d), i


def interval_shortfall(model, inst, v) -> list[PenaltyTerm]:
    """(``interval`` mode) Every interval should have its required agents.

    ``u_qdi >= R_qdi - staff_qdi``, ``u >= 0``; penalty ``shortfall_weight x sum u`` per
    agent-interval short.
    """
    if inst.mode != "interval":
        return []
    short = []
    for q, d, i in _open_intervals(inst):
        need = int(inst.required[q, d, i])
        if need <= 0:
            continue
        u = model.new_int_var(0, need, f"short[{inst.queue_names[q]}|{d}|{i}]")
        model.add(v.staffed(q, d, i) + u >= need)
        v.shortfall[(q, d, i)] = u
        short.append(u)
    return [PenaltyTerm("interval_shortfall", inst.shortfall_weight * sum(short))] if short else []


def interval_service(model, inst, v) -> list[PenaltyTerm]:
    """(``interval`` mode) What an interval's shortfall does to its callers, by the queue's worth.

    With ``V_qdi(s)`` the worth of s agents to queue q's callers in interval i (calls answered
    within T times the queue's priority or ``value_per_call_in_time``, less abandons times its
    ``cost_per_abandon``; from the queueing engine,
    :attr:`~planner.shiftplan.instance.Instance.service_curves`), the loss
    ``l_qdi >= V_qdi(R_qdi) - hull_qdi(staff_qdi)``, ``l >= 0``, one cut per segment of the
    upper concave hull of ``V`` on 0..R; penalty ``service_weight x sum l``. Past the load
    ``V`` is concave and the hull is ``V``; below it (an interval far short) the hull is a
    little above ``V``, so the loss there is understated, never overstated. Among plans short
    by as many agent-intervals, this puts the shortfall where it costs callers least, weighted
    by each queue's priority.
    """
    if inst.mode != "interval":
        return []
    losses = []
    for (q, d), curve in inst.service_curves.items():
        for i in np.flatnonzero(inst.required[q, d] > 0):
            i = int(i)
            need = int(inst.required[q, d, i])
            row = curve[i, : need + 1]
            top = int(row[-1])
            cuts = [(dy, dx, c) for dy, dx, c in _upper_hull_cuts(row) if dy > 0]
            if not cuts:
                continue
            name = f"{inst.queue_names[q]}|{d}|{i}"
            loss = model.new_int_var(0, top - int(row[0]), f"loss[{name}]")
            staff = model.new_int_var(0, inst.max_on_duty(q, d), f"staff[{name}]")
            model.add(staff == v.staffed(q, d, i))
            v.service_staff[(q, d, i)] = staff
            for dy, dx, c in cuts:
                model.add(loss * dx + dy * staff >= top * dx - c)
            v.service_loss[(q, d, i)] = loss
            v.service_cuts[(q, d, i)] = (top, cuts)
            losses.append(loss)
    return [PenaltyTerm("service_shortfall", inst.service_weight * sum(losses))] if losses else []


def interval_service_first_order(model, inst, v) -> list[PenaltyTerm]:
    """(``interval`` mode, the quick first model only) :func:`interval_service` to first order:
    each agent short in an interval costs what the last agent of its requirement is worth to
    the queue's callers, ``service_weight x (V_qdi(R) - V_qdi(R - 1)) x u_qdi``. Linear in the
    shortfall, so the quick model stays as easy as without it, yet it already puts the
    shortfall where callers lose least; the full model then prices it exactly.
    """
    if inst.mode != "interval" or not v.shortfall:
        return []
    terms = []
    for (q, d, i), u in v.shortfall.items():
        curve = inst.service_curves.get((q, d))
        need = int(inst.required[q, d, i])
        if curve is None or need <= 0:
            continue
        marginal = int(curve[i, need] - curve[i, need - 1])
        if marginal > 0:
            terms.append(marginal * u)
    if not terms:
        return []
    return [PenaltyTerm("service_shortfall", inst.service_weight * sum(terms))]


def overstaffing(model, inst, v) -> list[PenaltyTerm]:
    """Agents beyond an interval's requirement cost a little extra (a tie-breaker).

    ``o_qdi >= staff_qdi - R_qdi``, ``o >= 0``; penalty ``overstaffing_weight x sum o``.
    """
    if inst.overstaffing_weight <= 0:
        return []
    over = []
    for q, d, i in _open_intervals(inst):
        top = inst.max_on_duty(q, d)
        need = int(inst.required[q, d, i])
        if top <= need:
            continue
        o = model.new_int_var(0, top - need, f"over[{inst.queue_names[q]}|{d}|{i}]")
        model.add(v.staffed(q, d, i) - o <= need)
        v.overstaffing[(q, d, i)] = o
        over.append(o)
    return [PenaltyTerm("overstaffing", inst.overstaffing_weight * sum(over))] if over else []


def daily_service_level(model, inst, v) -> list[PenaltyTerm]:
    """(``daily`` mode) Each queue's daily service level meets its target; each interval keeps a
    floor.

    With ``g_qdi(s)`` the calls answered within T when s agents answer queue q in interval i
    (from the queueing engine, :class:`~planner.shiftplan.instance.DailyCurve`), the model holds
    ``ans_qdi = g_qdi(staff_qdi)`` exactly (element constraint) and, for the LP bound, the
    cuts of :func:`_hull_cuts_above_floor`. Then
    ``sum_i ans_qdi + short_qd >= target_q sum_i calls_qdi``, penalised per call short times
    the queue's ``priority`` (so when staff run short, the higher-priority line keeps its
    target first), and
    ``staff_qdi + f_qdi >= m_qdi``, where ``m_qdi`` is the fewest agents giving the interval the
    floor service level ``daily_interval_floor`` (an absolute service level, e.g. 0.5),
    penalised like an interval shortfall per agent short.
    """
    if inst.mode != "daily":
        return []
    short_calls, short_floor = [], []
    for (q, d), curve in inst.daily_curves.items():
        name = inst.queue_names[q]
        answered_vars = []
        for i in np.flatnonzero(inst.calls[q, d] > 0):
            i = int(i)
            s = model.new_int_var(0, curve.top, f"staff[{name}|{d}|{i}]")
            model.add(s == v.staffed(q, d, i))
            row = curve.answered[i]
            ans = model.new_int_var(0, int(row[-1]), f"answered[{name}|{d}|{i}]")
            v.daily_staff[(q, d, i)], v.answered[(q, d, i)] = s, ans
            answered_vars.append(ans)
            need = min(int(curve.floor_agents[i]), curve.top)
            f = None
            if need > 0:
                f = model.new_int_var(0, need, f"floor_short[{name}|{d}|{i}]")
                model.add(s + f >= need)
                v.floor_shortfall[(q, d, i)] = f
                short_floor.append(f)
            cuts, exact = _answered_cuts(row, need)
            for dy, dx, c, slack in cuts:
                model.add(ans * dx <= c + dy * s + (slack * f if slack else 0))
            v.answered_cuts[(q, d, i)] = cuts
            if not exact:  # not concave above the floor: the cuts alone would overstate it
                model.add_element(s, [int(c) for c in row], ans)
        if answered_vars and curve.target > 0:
            sc = model.new_int_var(0, curve.target, f"daily_short[{name}|{d}]")
            model.add(sum(answered_vars) + sc >= curve.target)
            v.daily_shortfall[(q, d)] = sc
            short_calls.append(int(inst.priority[q]) * sc)
    terms = []
    if v.answered:
        # A tiny reward per call answered in time. Without it, nothing ties ``ans`` to its cap
        # (the cuts only bound it from above) and the search may set it low, which the daily
        # constraint then turns into shortfall; with it, ``ans`` sits at its cap in the LP and
        # in every plan, and among plans of equal cost the better-served one wins.
        reward = -inst.answered_reward * sum(
            int(inst.priority[q]) * ans for (q, _, _), ans in v.answered.items()
        )
        terms.append(PenaltyTerm("answered_in_time_reward", reward))
    if short_calls:
        weight = max(1, round(inst.daily_shortfall_weight))
        terms.append(PenaltyTerm("daily_service_shortfall", weight * sum(short_calls)))
    if short_floor:
        terms.append(
            PenaltyTerm("interval_floor_shortfall", inst.shortfall_weight * sum(short_floor))
        )
    return terms


ROUNDING_TOLERANCE = 50
"""Hundredths of a call (half a call) by which a hull may exceed an answered curve and still
replace it: the cuts are shifted down by the excess, so the model never overstates."""


def _answered_cuts(values: np.ndarray, floor: int) -> tuple[list[tuple[int, int, int, int]], bool]:
    """Linear cuts ``ans * dx <= c + dy * s + slack * f`` giving answered calls by staffing.

    An Erlang answered-within-T curve is S-shaped over all staffing levels (flat while agents are
    fewer than the load, concave past it), but above the interval's floor (service level at least
    the floor, so agents exceed the load) it is concave. There the cuts of its upper concave hull
    meet the curve at every whole staffing level, so ``ans <= min(cuts)`` is exact and linear:
    no element constraint, and a tight LP bound. The curve is stored in whole hundredths of a
    call, and rounding leaves ripples of a unit or two where it flattens; the cuts are shifted
    down by the largest excess of the hull over the curve, so they never overstate it. Returns
    the cuts and whether they may replace the curve (excess at most ``ROUNDING_TOLERANCE``); if
    not, the caller adds an element constraint.

    Below the floor (penalised per agent short by another constraint) each cut is relaxed by
    ``slack`` per agent of floor shortfall ``f >= floor - s`` so that it never forbids
    ``ans = 0``: ``slack`` is the smallest whole number with
    ``0 <= c + dy s + slack (floor - s)`` for every ``s < floor``. Where the cuts cannot replace
    the curve (an element constraint holds ``ans`` to it), they stay on the hull, unshifted, and
    their slack lets ``ans`` reach the curve below the floor too.
    """
    upper = values[floor:]
    hull = _upper_hull_cuts(upper)
    s = np.arange(len(upper))
    # The hull at each whole staffing level is the lowest cut there; its excess over the curve:
    excess = 0.0
    if hull:
        lines = np.array([(c + dy * s) / dx for dy, dx, c in hull])
        excess = max(0.0, float(np.max(lines.min(axis=0) - upper)))
    exact = excess <= ROUNDING_TOLERANCE
    # Cuts that replace the curve are shifted down by the excess, so that they never overstate
    # it; cuts beside an element constraint stay on the hull (shifted, they could cut below the
    # curve where it is far from concave, and forbid plans the curve allows).
    shift = excess if exact else 0.0
    cuts = []
    below = np.arange(floor)
    for dy, dx, c in hull:
        c = c - dy * floor - int(np.ceil(shift * dx))  # s counted from 0; never above the curve
        # Below the floor the cut must allow 0 answered, or the curve itself where an element
        # constraint holds ``ans`` to it.
        deficit = (0 if exact else values[below] * dx) - (c + dy * below)
        slack = int(np.ceil(max(0.0, float((deficit / (floor - below)).max())))) if floor else 0
        cuts.append((dy, dx, c, slack))
    return cuts, exact


def _upper_hull_cuts(values: np.ndarray) -> list[tuple[int, int, int]]:
    """Cuts ``ans * dx <= c + dy * s`` from the upper concave hull of the points (s, values[s]).

    Each hull segment from (s0, g0) to (s1, g1) gives ``dx = s1 - s0``, ``dy = g1 - g0`` and
    ``c = g0 dx - dy s0``. Every point lies on or below the hull, so the cuts are valid; where g
    is concave they are tight.
    """
    hull: list[int] = []
    for s in range(len(values)):
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            # b lies on or below the line from a to s: drop it (keep the upper hull only).
            if (values[b] - values[a]) * (s - a) <= (values[s] - values[a]) * (b - a):
                hull.pop()
            else:
                break
        hull.append(s)
    cuts = []
    for a, b in itertools.pairwise(hull):
        dy, dx = int(values[b] - values[a]), b - a
        cuts.append((dy, dx, int(values[a]) * dx - dy * a))
    return cuts


SOFT_RULES: tuple[SoftRule, ...] = (
    interval_shortfall,
    interval_service,
    overstaffing,
    daily_service_level,
)
