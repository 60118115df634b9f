"""The rules of the roster model, one small function each.

Hard rules must hold in every roster; their names are the names
:mod:`planner.validate.roster` checks a roster against without the solver. Some hold by
construction (the model has no variable that could break them); they are listed all the same,
so this file is the whole list. Soft rules return named
:class:`~planner.cpsat.terms.PenaltyTerm` s; the objective is their sum, assembled by
:mod:`planner.cpsat.assemble` (:mod:`planner.roster.model`), so every roster carries its penalty
breakdown.

Labour limits come from ``scenario.labour`` (Kazakhstan Labour Code defaults) and each
operator's contract. Weeks are 7-day blocks from the horizon start; a last block shorter than a
week counts the days after the horizon as days off.

Notation: ``x_ok`` is 1 when operator o works a shift of kind k; ``K_od`` the kinds o may take
on day d; ``w_od = sum_{k in K_od} x_ok`` (o works on d); ``p_k`` the paid minutes of a shift
of kind k, ``s_k``/``e_k`` its start and end (minutes after midnight of its day ``d_k``);
``n_k`` the planned shifts of kind k and ``u_k`` those given to nobody; ``W`` a week (block),
``|W|`` its days.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.cpsat import terms as cpsat_terms
from planner.cpsat.terms import PenaltyTerm
from planner.roster.instance import RosterInstance, units, units_per_minute
from planner.roster.variables import RosterVariables

__all__ = [
    "COVERAGE_RULES",
    "EXPLAIN_RULES",
    "HARD_RULES",
    "RULE_SETTINGS",
    "SOFT_RULES",
    "WISH_RULES",
    "unassigned_count",
]

HardRule = cpsat_terms.HardRule[RosterInstance, RosterVariables]
SoftRule = cpsat_terms.SoftRule[RosterInstance, RosterVariables]


def _pool_day(inst: RosterInstance, o: int, d: int) -> str:
    return f"{inst.pool_names[inst.operator_pool[o]]} {inst.day_label(d)}"


def _pool_week(inst: RosterInstance, o: int, block: int) -> str:
    return f"{inst.pool_names[inst.operator_pool[o]]} week {block + 1}"


# --------------------------------------------------------------------------------------------------
# Hard rules
# --------------------------------------------------------------------------------------------------


def plan_accounted(model, inst, v, hard) -> None:
    """Every planned shift is worked by exactly one operator or reported unassigned.

    ``sum_o x_ok + u_k = n_k`` for every kind k, ``u_k >= 0``: no planned shift vanishes, and no
    operator works a shift the plan does not have.
    """
    for k in inst.kinds:
        ct = model.add(sum(v.taken(k.index)) + v.unassigned[k.index] == k.count)
        scope = f"{inst.pool_names[k.pool]} {inst.day_label(k.day)}"
        hard.add(ct, "plan_accounted", scope)


def one_shift_per_day(model, inst, v, hard) -> None:
    """An operator works at most one shift a day.

    ``w_od = sum_{k in K_od} x_ok <= 1`` for every operator o and day d.
    """
    for o in range(len(inst.operators)):
        for d in range(inst.days):
            shifts = v.shifts_of(o, d)
            if len(shifts) > 1:
                hard.add(model.add(v.works(o, d) <= 1), "one_shift_per_day", _pool_day(inst, o, d))


def pool_and_skills(model, inst, v, hard) -> None:
    """An operator works only their own pool's shifts, and only on days they hold every skill
    the pool serves that day (any agent of the pool on duty may be allocated to any of its open
    queues).

    Holds by construction: ``x_ok`` exists only when ``pool_o = pool_k`` and
    ``open_skills(pool_k, d_k) ⊆ skills_o``.
    """


def availability(model, inst, v, hard) -> None:
    """An operator does not work on a day they are unavailable (leave, secondment, training).

    Holds by construction: no ``x_ok`` for ``d_k`` in ``days_unavailable_o``.
    """


def max_shift_length(model, inst, v, hard) -> None:
    """No shift is longer than the Labour Code's maximum (12 h) or the operator's own limit.

    Holds by construction: ``x_ok`` exists only when ``e_k - s_k <= 60 min(max_shift_hours_o,
    labour.max_shift_hours)``.
    """


def weekly_hours(model, inst, v, hard) -> None:
    """An operator's paid hours in a week stay within their contract (40 h by default).

    ``sum_{d in W} sum_{k in K_od} p_k x_ok <= 60 contract_hours_per_week_o`` for every operator
    o and week W (a last week shorter than 7 days keeps the whole weekly hours, as in the plan).
    """
    for o in range(len(inst.operators)):
        cap = int(inst.weekly_cap_minutes[o])
        for b, (first, stop) in enumerate(inst.blocks):
            most = sum(
                max((k.paid_minutes for k, _ in v.shifts_of(o, d)), default=0)
                for d in range(first, stop)
            )
            if most <= cap:
                continue  # cannot be broken: no constraint needed
            ct = model.add(v.paid_minutes(o, first, stop) <= cap)
            hard.add(ct, "weekly_hours", _pool_week(inst, o, b))


def overtime_per_day(model, inst, v, hard) -> None:
    """An operator's overtime in a week (paid hours beyond ``labour.max_hours_per_week``) is at
    most ``labour.max_overtime_hours_per_day`` for each day they work that week.

    ``sum_{d in W} sum_{k in K_od} (p_k - D) x_ok <= N`` for every operator o and week W (D the
    daily cap and N the normal week, minutes; :class:`planner.labour.Overtime`).
    """
    ot = inst.overtime
    for o in range(len(inst.operators)):
        if inst.weekly_cap_minutes[o] <= ot.normal_minutes:
            continue  # weekly_hours keeps them within the normal week
        for b, (first, stop) in enumerate(inst.blocks):
            most = sum(
                max((k.paid_minutes - ot.per_day_minutes for k, _ in v.shifts_of(o, d)), default=0)
                for d in range(first, stop)
            )
            if most <= ot.normal_minutes:
                continue  # cannot be broken
            worked = sum(v.works(o, d) for d in range(first, stop))
            ct = model.add(
                v.paid_minutes(o, first, stop) - ot.per_day_minutes * worked <= ot.normal_minutes
            )
            hard.add(ct, "overtime_per_day", _pool_week(inst, o, b))


def _overtime_periods(model, inst, v, hard, rule: str) -> None:
    """Each operator's overtime over the weeks of each period under ``rule`` within their
    allowance, on one overtime variable per operator and week (shared by month and year)."""
    ot = inst.overtime
    store = v.aux["overtime"]
    for o in range(len(inst.operators)):
        contract = int(inst.weekly_cap_minutes[o])
        if contract <= ot.normal_minutes:
            continue
        most = [
            max(
                0,
                min(
                    contract,
                    sum(
                        max((k.paid_minutes for k, _ in v.shifts_of(o, d)), default=0)
                        for d in range(first, stop)
                    ),
                )
                - ot.normal_minutes,
            )
            for first, stop in inst.blocks
        ]
        for k, period in enumerate(ot.periods):
            if period.rule != rule:
                continue
            allowance = int(inst.overtime_allowance[o, k])
            if sum(most[b] for b in period.weeks) <= allowance:
                continue  # cannot be broken
            terms = []
            for b in period.weeks:
                if (o, b) not in store:
                    first, stop = inst.blocks[b]
                    t = model.new_int_var(0, most[b], f"overtime[{inst.operators[o].id}|{b + 1}]")
                    model.add(t >= v.paid_minutes(o, first, stop) - ot.normal_minutes)
                    store[(o, b)] = t
                terms.append(store[(o, b)])
            scope = f"{inst.pool_names[inst.operator_pool[o]]} {period.label}"
            hard.add(model.add(sum(terms) <= allowance), rule, scope)


def overtime_per_month(model, inst, v, hard) -> None:
    """An operator's overtime over the weeks touching a calendar month is at most
    ``labour.max_overtime_hours_per_month`` less what they worked before the horizon
    (``overtime_hours_this_month``, the month of the horizon start).

    ``sum_{W touching m} t_oW <= A_om``, ``t_oW >= sum_{d in W} sum_k p_k x_ok - N``, ``t >= 0``.
    """
    _overtime_periods(model, inst, v, hard, "overtime_per_month")


def overtime_per_year(model, inst, v, hard) -> None:
    """As :func:`overtime_per_month` for a calendar year (``labour.max_overtime_hours_per_year``,
    ``overtime_hours_this_year``)."""
    _overtime_periods(model, inst, v, hard, "overtime_per_year")


def min_rest(model, inst, v, hard) -> None:
    """At least 11 h (``labour.min_rest_hours``) of rest between two shifts of an operator.

    For shifts k on day d and k' on a later day d' with
    ``1440 (d' - d) + s_k' - e_k < 60 min_rest_hours``:
    ``x_ok + sum_{such k' on d'} x_ok' <= 1``. (With a 09:00-21:00 window every night gives
    12 h, so the rule binds only for longer windows.)
    """
    rest = inst.min_rest_minutes
    for o in range(len(inst.operators)):
        for d in range(inst.days):
            for k, x in v.shifts_of(o, d):
                for later in range(d + 1, min(inst.days, d + inst.rest_horizon_days + 1)):
                    close = [
                        y for k2, y in v.shifts_of(o, later) if inst.rest_minutes(k, k2) < rest
                    ]
                    if close:
                        ct = model.add(x + sum(close) <= 1)
                        hard.add(ct, "min_rest", _pool_day(inst, o, d))


def no_consecutive_long_shifts(model, inst, v, hard) -> None:
    """Never two long shifts (12 h, ``labour.long_shift_hours``) on consecutive days.

    With ``L_od = sum_{k in K_od, long k} x_ok``: ``L_od + L_o,d+1 <= 1`` for every operator o
    and day d (when ``labour.no_consecutive_long_shifts`` is set).
    """
    if not inst.long_rule:
        return
    for o in range(len(inst.operators)):
        for d in range(inst.days - 1):
            today = [x for k, x in v.shifts_of(o, d) if k.long]
            tomorrow = [x for k, x in v.shifts_of(o, d + 1) if k.long]
            if today and tomorrow:
                ct = model.add(sum(today) + sum(tomorrow) <= 1)
                hard.add(ct, "no_consecutive_long_shifts", _pool_day(inst, o, d))


def days_off_per_week(model, inst, v, hard) -> None:
    """An operator has at least two days off (``labour.min_days_off_per_week``) in every week.

    ``sum_{d in W} w_od <= |W| - max(0, min_days_off - (7 - |W|))`` for every operator o and
    week W (the days after the horizon count as days off of a short last week).
    """
    for o in range(len(inst.operators)):
        for b, (first, stop) in enumerate(inst.blocks):
            limit = inst.work_days_per_block[b]
            workable = [d for d in range(first, stop) if v.may_work(o, d)]
            if len(workable) > limit:
                ct = model.add(sum(v.works(o, d) for d in workable) <= limit)
                hard.add(ct, "days_off_per_week", _pool_week(inst, o, b))


def max_consecutive_days(model, inst, v, hard) -> None:
    """An operator works at most 6 (``labour.max_consecutive_days``) days in a row.

    ``sum_{d = t}^{t + M} w_od <= M`` for every operator o and every run of M + 1 consecutive
    horizon days starting at t (days before the horizon are taken as rest).
    """
    m = inst.max_consecutive_days
    for o in range(len(inst.operators)):
        for t in range(inst.days - m):
            days = range(t, t + m + 1)
            if all(v.may_work(o, d) for d in days):
                ct = model.add(sum(v.works(o, d) for d in days) <= m)
                hard.add(ct, "max_consecutive_days", _pool_week(inst, o, inst.block_of(t)))


HARD_RULES: tuple[HardRule, ...] = (
    plan_accounted,
    one_shift_per_day,
    pool_and_skills,
    availability,
    max_shift_length,
    weekly_hours,
    overtime_per_day,
    overtime_per_month,
    overtime_per_year,
    min_rest,
    no_consecutive_long_shifts,
    days_off_per_week,
    max_consecutive_days,
)

RULE_SETTINGS: dict[str, str] = {
    "plan_accounted": "the plan's shifts",
    "one_shift_per_day": "operators (one shift a day each)",
    "pool_and_skills": "operators' pool and skills",
    "availability": "operators' days_unavailable",
    "max_shift_length": "labour.max_shift_hours, operators' max_shift_hours",
    "weekly_hours": "operators' contract_hours_per_week, pools[].max_hours_per_week",
    "overtime_per_day": "labour.max_overtime_hours_per_day, labour.max_hours_per_week, "
    "operators' contract_hours_per_week",
    "overtime_per_month": "labour.max_overtime_hours_per_month, labour.max_hours_per_week, "
    "operators' overtime_hours_this_month",
    "overtime_per_year": "labour.max_overtime_hours_per_year, labour.max_hours_per_week, "
    "operators' overtime_hours_this_year",
    "min_rest": "labour.min_rest_hours",
    "no_consecutive_long_shifts": "labour.no_consecutive_long_shifts, labour.long_shift_hours",
    "days_off_per_week": "labour.min_days_off_per_week",
    "max_consecutive_days": "labour.max_consecutive_days",
}
"""Per hard rule, the scenario or operators-file fields that set it (what to change when the
rule is named)."""


def every_shift_assigned(model, inst, v, hard) -> None:
    """(Explaining only) Every planned shift is given to an operator: ``u_k = 0``.

    Added only to the model that explains unassigned shifts: with it, the hard rules that
    conflict with assigning the whole plan make the model infeasible, and their assumption
    literals name them.
    """
    for k in inst.kinds:
        scope = f"{inst.pool_names[k.pool]} {inst.day_label(k.day)}"
        hard.add(model.add(v.unassigned[k.index] == 0), "every_shift_assigned", scope)


EXPLAIN_RULES: tuple[HardRule, ...] = (every_shift_assigned,)


# --------------------------------------------------------------------------------------------------
# Soft rules
# --------------------------------------------------------------------------------------------------


def unassigned_shifts(model, inst, v) -> list[PenaltyTerm]:
    """Every planned shift should be worked: each one left unassigned costs a lot.

    Penalty ``W_shift sum_k u_k`` (10,000 points per shift by default). Solved first, alone
    (see :data:`COVERAGE_RULES`).
    """
    return [
        PenaltyTerm("unassigned_shifts", units(inst.weights.unassigned_shift) * unassigned_count(v))
    ]


def unassigned_count(v: RosterVariables) -> cp_model.LinearExprT:
    """``sum_k u_k``: planned shifts given to nobody."""
    return sum(v.unassigned.values())


def unassigned_hours(model, inst, v) -> list[PenaltyTerm]:
    """Of the shifts that must stay unassigned, leave the shorter ones (less coverage lost).

    Penalty ``W_hour sum_k p_k u_k / 60`` (100 points per paid hour by default); the count of
    unassigned shifts is already as low as found.
    """
    coefficient = units_per_minute(inst.weights.unassigned_paid_hour)
    terms = [(v.unassigned[k.index], coefficient * k.paid_minutes) for k in inst.kinds]
    return [_term("unassigned_hours", terms)]


def hours_off_target(model, inst, v) -> list[PenaltyTerm]:
    """Paid hours close to each operator's fair share of the hours their pool works (their
    contract when the pool needs every contract hour).

    ``h_o >= |sum_k p_k x_ok - T_o|``, penalty ``W_hours x sum_o h_o / 60`` (10 points per hour
    by default), with ``T_o`` from :func:`planner.roster.instance.fair_targets`: the pool's
    paid minutes shared in proportion to contract and days available. The minutes shared are
    those of the roster after the coverage step
    (:func:`~planner.roster.instance.with_rostered_targets`), not the plan's: when some shifts
    cannot be rostered, planned targets would put everyone under target and make the sum of
    deviations the same for every roster.
    """
    coefficient = units_per_minute(inst.weights.hours_off_target_per_hour)
    terms = []
    for o in range(len(inst.operators)):
        if not inst.options[o]:
            continue  # no choice: nothing to balance
        target = int(inst.target_minutes[o])
        paid = v.paid_minutes(o, 0, inst.days)
        h = model.new_int_var(
            0, max(target, 7 * 24 * 60 * len(inst.blocks)), f"hours_off[{inst.operators[o].id}]"
        )
        model.add(h >= paid - target)
        model.add(h >= target - paid)
        v.aux["hours_off_target"][o] = h
        terms.append((h, coefficient))
    return [_term("hours_off_target", terms)]


def _spread(model, inst, v, name: str, keep, weight: float) -> list[PenaltyTerm]:
    """Per pool, ``max_o c_o - min_o c_o`` for ``c_o`` the operator's shifts with ``keep``."""
    terms = []
    for p, pool in enumerate(inst.pool_names):
        counts = {
            o: [v.assign[(o, k.index)] for k in inst.options[o] if keep(k)]
            for o in range(len(inst.operators))
            if inst.operator_pool[o] == p
        }
        counts = {o: xs for o, xs in counts.items() if xs}
        if len(counts) < 2:
            continue
        top = max(len(xs) for xs in counts.values())
        high = model.new_int_var(0, top, f"{name}_max[{pool}]")
        low = model.new_int_var(0, top, f"{name}_min[{pool}]")
        for xs in counts.values():
            model.add(high >= sum(xs))
            model.add(low <= sum(xs))
        v.aux[f"{name}_max"][p] = high
        v.aux[f"{name}_min"][p] = low
        terms += [(high, units(weight)), (low, -units(weight))]
    return [_term(name, terms)] if terms else []


def weekend_spread(model, inst, v) -> list[PenaltyTerm]:
    """Weekend shifts are spread evenly over a pool's operators.

    With ``c_o`` the Saturday and Sunday shifts of operator o: penalty
    ``W_weekend x (max_o c_o - min_o c_o)`` per pool, the minimum taken over the operators who
    could work a weekend shift at all.
    """
    return _spread(
        model, inst, v, "weekend_spread", lambda k: k.weekend, inst.weights.weekend_spread_per_shift
    )


def late_spread(model, inst, v) -> list[PenaltyTerm]:
    """Late shifts (ending in the last two hours of the window) are spread evenly.

    With ``c_o`` the late shifts of operator o: penalty ``W_late x (max_o c_o - min_o c_o)``
    per pool, the minimum over the operators who could work a late shift.
    """
    return _spread(
        model, inst, v, "late_spread", lambda k: k.late, inst.weights.late_spread_per_shift
    )


def preferred_days_off(model, inst, v) -> list[PenaltyTerm]:
    """An operator's preferred days off are kept free where possible.

    Penalty ``W_day_off x sum_{(o, d) preferred off} w_od``.
    """
    weight = inst.weights.points("preferred_day_off_worked")
    terms = []
    for o in range(len(inst.operators)):
        for d in range(inst.days):
            if inst.prefers_off[o, d]:
                terms += [(x, weight) for _, x in v.shifts_of(o, d)]
    return [_term("preferred_days_off", terms)] if terms else []


def preferred_start_window(model, inst, v) -> list[PenaltyTerm]:
    """Shifts start inside the operator's preferred start window where possible.

    Penalty ``W_start x sum_{o, k: s_k outside window_o} x_ok``.
    """
    weight = inst.weights.points("start_outside_window")
    terms = [
        (x, weight)
        for (o, k), x in v.assign.items()
        if not inst.operators[o].likes_start(inst.kinds[k].start)
    ]
    return [_term("preferred_start_window", terms)] if terms else []


def paired_days_off(model, inst, v) -> list[PenaltyTerm]:
    """An operator's days off in a week include two consecutive days where possible.

    For every operator o and week W that needs at least two days off: ``y_od <= 1 - w_od``,
    ``y_od <= 1 - w_o,d+1`` for consecutive days d, d+1 of W, ``z_oW >= 1 - sum_d y_od``;
    penalty ``W_pair x sum z_oW``.
    """
    weight = inst.weights.points("unpaired_days_off_per_week")
    terms = []
    for o in range(len(inst.operators)):
        for b, (first, stop) in enumerate(inst.blocks):
            if (stop - first) - inst.work_days_per_block[b] < 2:
                continue
            if not any(v.may_work(o, d) for d in range(first, stop)):
                continue
            pairs = []
            for d in range(first, stop - 1):
                if not v.may_work(o, d) and not v.may_work(o, d + 1):
                    pairs = []
                    break  # a pair off is certain: nothing to penalise
                y = model.new_bool_var(f"pair_off[{inst.operators[o].id}|{inst.day_label(d)}]")
                model.add(y <= 1 - v.works(o, d))
                model.add(y <= 1 - v.works(o, d + 1))
                pairs.append(y)
                v.aux["pair_off"][(o, d)] = y
            else:
                z = model.new_bool_var(f"unpaired[{inst.operators[o].id}|week {b + 1}]")
                model.add(z >= 1 - sum(pairs))
                v.aux["unpaired"][(o, b)] = z
                terms.append((z, weight))
    return [_term("paired_days_off", terms)] if terms else []


SOFT_RULES: tuple[SoftRule, ...] = (
    unassigned_shifts,
    unassigned_hours,
    hours_off_target,
    weekend_spread,
    late_spread,
    preferred_days_off,
    preferred_start_window,
    paired_days_off,
)
"""Every soft rule. The roster is solved lexicographically: first ``unassigned_shifts`` alone
(:data:`COVERAGE_RULES`), then the rest (:data:`WISH_RULES`) with no more shifts unassigned."""

COVERAGE_RULES: tuple[SoftRule, ...] = (unassigned_shifts,)
WISH_RULES: tuple[SoftRule, ...] = SOFT_RULES[1:]


def _term(name: str, terms: list[tuple[cp_model.LinearExprT, int]]) -> PenaltyTerm:
    if not terms:
        return PenaltyTerm(name, cp_model.LinearExpr.constant(0))
    variables, coefficients = zip(*terms, strict=True)
    return PenaltyTerm(name, cp_model.LinearExpr.weighted_sum(variables, coefficients))
