"""Erlang A (Palm's M/M/n+M): service with callers who hang up after an exponential patience."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from planner.queueing.core import (
    _BLOCK,
    _COUNT,
    _NON_NEGATIVE,
    _PATIENCE,
    _POSITIVE,
    _SERIES_EPS,
    _SMALLEST,
    _STRIDE_FROM,
    _TINY,
    ErlangAMetrics,
    _check_patience_scale,
    _log_poisson_term,
    _offered_load,
    _validated,
)
from planner.queueing.erlang import _erlang_c_all, _log_erlang_b

# --------------------------------------------------------------------------------------------------
# Erlang A (Palm's M/M/n+M)
# --------------------------------------------------------------------------------------------------


def erlang_a_metrics(
    agents: ArrayLike,
    calls: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    answer_within_seconds: ArrayLike,
    patience_seconds: ArrayLike,
    *,
    asa: bool = True,
) -> ErlangAMetrics:
    """Performance of an interval staffed with ``agents`` when callers hang up (Erlang A).

    Exact steady state of Palm's M/M/n+M queue [1]_ [2]_: Poisson arrivals, exponential handling
    times, exponential patience, first come first served. Not an approximation.

    Parameters
    ----------
    agents : array_like of whole numbers >= 0
        Agents on the phones n.
    calls : array_like of float >= 0
        Calls offered in the interval.
    aht_seconds : array_like of float > 0
        Average handling time (talk plus wrap-up), seconds.
    interval_seconds : array_like of float > 0
        Length of the interval, seconds.
    answer_within_seconds : array_like of float >= 0
        Service-level threshold T, seconds.
    patience_seconds : array_like of float > 0
        Mean time a caller is willing to wait, seconds; ``np.inf`` gives Erlang C. Finite
        values must not exceed 1e6 x ``aht_seconds`` (there Erlang A differs from Erlang C by
        about AHT / patience, and its sums would need millions of terms).
    asa : bool, default True
        Compute the ASA. ``False`` leaves ``asa_seconds`` NaN where callers hang up and agents
        are on duty, for callers that need only the service level and abandonment: the ASA's
        sum is most of the time at large loads (curves of 0..2,000 agents over a week of
        two queues: 40 of 44 s).

    Returns
    -------
    ErlangAMetrics
        Arrays of the broadcast shape of the inputs.

    Notes
    -----
    Rates: :math:`\\lambda` = calls / interval, :math:`\\mu = 1/AHT`, :math:`\\theta` =
    1 / patience. Let :math:`a = \\lambda/\\mu`, :math:`\\rho = a/n`,
    :math:`x = n\\mu/\\theta`, :math:`y = \\lambda/\\theta`, :math:`E = E_B(n, a)` and

    .. math:: A(x, y) = \\sum_{j \\ge 0} \\frac{y^j}{(x+1)\\cdots(x+j)}
              = x e^y y^{-x} \\gamma(x, y) = K P(x, y),\\qquad
              \\log K = y - x \\log y + \\log\\Gamma(x + 1),

    where :math:`P` is the regularised lower incomplete gamma function; :math:`A` is the mass of
    the states with every agent busy relative to the state with exactly n calls. Then [2]_ [3]_

    .. math::
        P(W > 0) = \\frac{A E}{1 - E + A E}, \\qquad
        P(Ab \\mid W > 0) = 1 - \\frac{1}{\\rho}\\Big(1 - \\frac{1}{A}\\Big),

    and, from the virtual-wait density of [2]_ (a call is answered within T when its virtual
    wait V <= T and its patience exceeds V, probability :math:`e^{-\\theta V}`),

    .. math:: SL = \\frac{(1 - E) + E K [P(x+1, y) - P(x+1, y e^{-\\theta T})] / \\rho}
                         {(1 - E) + E A}.

    The mean wait of answered calls follows from the position j of an arriving call behind the
    n busy agents: it is answered with probability x / (x + j + 1), after a mean wait of
    :math:`\\sum_{i=0}^{j} 1/(\\theta(x+1+i))`, so

    .. math:: E[W; answered] = \\frac{1}{\\theta}\\,\\frac{\\sum_j t_j \\frac{x}{x+j+1}
              \\sum_{i=0}^{j}\\frac{1}{x+1+i}}{(1-E)/E + A},\\qquad
              t_j = \\frac{y^j}{(x+1)\\cdots(x+j)},

    and ASA = E[W; answered] / P(answered). Occupancy = a (1 - P(Ab)) / n.

    Numerics: K and A overflow for large loads, so only logs of ratios near 1 are formed
    (K cancels from every metric; log K itself follows Loader's saddle-point form). Where the
    incomplete gamma would underflow or cancel (y < (x+1)/2, an overstaffed queue) the sums
    over j are taken directly, in vectorised blocks; there they converge geometrically. The
    ASA sum is self-normalised; it costs about 25 sqrt(y) terms per element in understaffed
    queues, with a stride (trapezoidal rule, exact to rounding) beyond sqrt(y) = 512.

    Conventions: A = 0 (no calls): P(wait) 0, P(abandon) 0, both service levels 1, ASA 0,
    occupancy 0. n = 0 with calls and finite patience: everybody abandons (P(wait) 1,
    P(abandon) 1, both service levels 0, ASA inf, occupancy 0). Infinite patience: Erlang C
    (:func:`erlang_c_metrics`) with P(abandon) 0 and the answered-only service level equal to
    the service level. Never NaN.

    References
    ----------
    .. [1] Palm (1943); see the module references.
    .. [2] Mandelbaum and Zeltyn (2007), "Service Engineering in Action: The Palm/Erlang-A
       Queue, with Applications to Call Centers".
    .. [3] Garnett, Mandelbaum and Reiman (2002), MSOM 4(3).
    """
    n, calls, aht, interval, t, patience = _validated(
        ("agents", agents, _COUNT),
        ("calls", calls, _NON_NEGATIVE),
        ("aht_seconds", aht_seconds, _POSITIVE),
        ("interval_seconds", interval_seconds, _POSITIVE),
        ("answer_within_seconds", answer_within_seconds, _NON_NEGATIVE),
        ("patience_seconds", patience_seconds, _PATIENCE),
    )
    _check_patience_scale(patience, aht)
    shape = n.shape
    n, t, patience = n.ravel(), t.ravel(), patience.ravel()
    load, aht = _offered_load(calls, aht, interval), aht.ravel()

    p_wait, sl, wait, occupancy = _erlang_c_all(n, load, aht, t)  # right where patience is inf
    p_abandon = np.zeros_like(load)
    sl_answered = sl.copy()
    hang_up = np.isfinite(patience) & (load > 0)
    nobody = hang_up & (n == 0)
    p_abandon[nobody] = 1.0
    palm = hang_up & (n > 0)
    if palm.any():
        s = palm
        result = _palm(n[s], load[s], aht[s], t[s], patience[s], want_asa=asa)
        p_wait[s], p_abandon[s], sl[s], sl_answered[s], wait[s], occupancy[s] = result
        if not asa:
            wait[s] = np.nan
    return ErlangAMetrics(
        offered_load=load.reshape(shape),
        p_wait=p_wait.reshape(shape),
        p_abandon=p_abandon.reshape(shape),
        service_level=sl.reshape(shape),
        service_level_answered=sl_answered.reshape(shape),
        asa_seconds=wait.reshape(shape),
        occupancy=occupancy.reshape(shape),
    )


def _palm(
    n: np.ndarray,
    a: np.ndarray,
    aht: np.ndarray,
    t: np.ndarray,
    patience: np.ndarray,
    *,
    want_asa: bool,
) -> tuple[np.ndarray, ...]:
    """Erlang A metrics for 1-D arrays with n >= 1, a > 0 and finite patience.

    Returns p_wait, p_abandon, service_level, service_level_answered, asa_seconds (zeros
    unless ``want_asa``) and occupancy.
    """
    ratio = patience / aht  # mu / theta
    # x and y below the smallest normal float (loads or patience ~1e-300) change no result
    # by more than 1e-308; clamping keeps every log finite.
    x, y = np.maximum(n * ratio, _SMALLEST), np.maximum(a * ratio, _SMALLEST)
    with np.errstate(over="ignore"):  # patience ~1e-308: theta T = inf, nobody waits T
        theta_t = t / patience
    log_b = _log_erlang_b(n, a)
    log_odds = np.log(-np.expm1(log_b)) - log_b  # log((1 - E) / E)
    log_n_over_a = np.log(n) - np.log(a)

    # A can be astronomically large, so only logs of ratios near 1 are formed: never the
    # difference of two huge logs (that would cost eps x log A ~ 1e-10 at 5,000 Erlangs).
    log_a = np.empty_like(a)  # log A(x, y)
    log_ratio = np.empty_like(a)  # log((A - 1) / A)
    abandon_w = np.empty_like(a)  # P(Ab | W > 0)
    within_w = np.empty_like(a)  # K [P(x+1, y) - P(x+1, y e^{-theta T})] / A
    wait_sum = np.zeros_like(a)  # sum_j (t_j / A) x H_j / (x + j + 1)

    p1 = special.gammainc(x + 1.0, y)
    direct = (y < 0.5 * (x + 1.0)) | (p1 < _TINY)
    with np.errstate(divide="ignore"):  # log(0) = -inf where a term is 0, then exp gives 0
        if direct.any():
            d = direct
            zeros = np.zeros(d.sum())
            big_a, a_m1, j_t, sl_t, w_t = _palm_series(x[d], y[d], theta_t[d], zeros, zeros, zeros)
            log_a[d] = np.log(big_a)
            log_ratio[d] = np.log(a_m1) - np.log(big_a)
            abandon_w[d] = j_t / (y[d] * big_a)
            within_w[d] = sl_t / big_a
            wait_sum[d] = w_t / big_a
        g = ~direct
        if g.any():
            xg, yg, p1g = x[g], y[g], p1[g]
            log_a_m1 = np.log(p1g) - _log_poisson_term(xg, yg)  # A - 1 = K P(x + 1, y)
            log_a[g] = np.logaddexp(0.0, log_a_m1)
            log_ratio[g] = -np.logaddexp(0.0, -log_a_m1)
            abandon_w[g] = -np.expm1(log_n_over_a[g] + log_ratio[g])
            z = yg * np.exp(-theta_t[g])
            dp = np.where(
                p1g <= 0.5,
                p1g - special.gammainc(xg + 1.0, z),
                special.gammaincc(xg + 1.0, z) - special.gammaincc(xg + 1.0, yg),
            )
            # K dP / A = (dP / P(x+1, y)) (A - 1) / A: K cancels
            within_w[g] = np.exp(np.log(np.maximum(dp, 0.0)) - np.log(p1g) + log_ratio[g])
            if want_asa:
                wait_sum[g] = _palm_wait_sum(xg, yg)

        # Relative to the state with n calls the busy states weigh A, the others (1 - E) / E.
        gap = log_odds - log_a
        p_wait = np.exp(-np.logaddexp(0.0, gap))  # A / ((1 - E)/E + A)
        p_now = np.exp(gap - np.logaddexp(0.0, gap))  # answered at once
        abandon_w = np.clip(abandon_w, 0.0, 1.0)
        p_abandon = abandon_w * p_wait
        answered = np.minimum(p_now + p_wait * (1.0 - abandon_w), 1.0)
        # n / a overflows for subnormal loads: multiply in logs
        busy_within = np.exp(log_n_over_a + np.log(within_w) - np.logaddexp(0.0, gap))
        sl = np.minimum(p_now + busy_within, answered)
        sl_answered = np.minimum(sl / answered, 1.0)
        asa = patience * wait_sum * p_wait / answered
        occupancy = np.minimum(a * answered / n, 1.0)
    return p_wait, p_abandon, sl, sl_answered, asa, occupancy


def _palm_series(
    x: np.ndarray,
    y: np.ndarray,
    theta_t: np.ndarray,
    j0: np.ndarray,
    log_t0: np.ndarray,
    h_before: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sums over j >= j0 of the Palm queue's terms, in blocks of ``_BLOCK`` terms per element.

    With :math:`t_j = y^j / ((x+1) \\cdots (x+j))` (scaled so that :math:`t_{j_0}` =
    ``exp(log_t0)``) and :math:`H_j = \\sum_{i=0}^{j} 1/(x+1+i)` (``h_before`` is
    :math:`H_{j_0 - 1}`), returns

    - :math:`\\sum_j t_j` (A when j0 = 0 and log_t0 = 0),
    - :math:`\\sum_{j \\ge 1} t_j` (A - 1 when j0 = 0 and log_t0 = 0),
    - :math:`\\sum_j j t_j` (the mean queue length relative to the state n),
    - :math:`\\sum_{j \\ge 1} t_j (1 - e^{g_j})`, :math:`g_j = y(1 - e^{-\\theta T}) -
      (x+j)\\theta T`, which is :math:`K[P(x+1, y) - P(x+1, y e^{-\\theta T})]` term by term
      (every term >= 0 when y < x + 1),
    - :math:`\\sum_j t_j x H_j / (x + j + 1)` (waits of answered calls).

    Each element stops once it is past the mode of t_j and the remaining tail, bounded by a
    geometric series, is below ``_SERIES_EPS`` of the sum.
    """
    m = x.size
    out = np.zeros((5, m))
    idx = np.arange(m)
    steps = np.arange(_BLOCK, dtype=float)
    start, log_start, h_start = j0.astype(float), log_t0.copy(), h_before.copy()
    log_y, fall = np.log(y), -np.expm1(-theta_t)
    while idx.size:
        xs, ys = x[idx][:, None], y[idx][:, None]
        j = start[:, None] + steps
        increments = log_y[idx][:, None] - np.log(xs + j)  # log(t_j / t_{j-1})
        log_t = log_start[:, None] + np.cumsum(increments, axis=1) - increments[:, :1]
        terms = np.exp(log_t)
        h = h_start[:, None] + np.cumsum(1.0 / (xs + 1.0 + j), axis=1)
        positive = terms * (j >= 1)
        g = ys * fall[idx][:, None] - (xs + j) * theta_t[idx][:, None]
        out[0, idx] += terms.sum(axis=1)
        out[1, idx] += positive.sum(axis=1)
        out[2, idx] += (j * terms).sum(axis=1)
        out[3, idx] += (positive * -np.expm1(np.minimum(g, 0.0))).sum(axis=1)
        out[4, idx] += (terms * xs * h / (xs + j + 1.0)).sum(axis=1)

        last = j[:, -1]
        next_ratio = ys[:, 0] / (xs[:, 0] + last + 1.0)
        tail = terms[:, -1] * (last + 2.0) / np.maximum(1.0 - next_ratio, 1e-300)
        done = (next_ratio < 1.0) & (tail <= _SERIES_EPS * out[0, idx])
        going = ~done
        idx = idx[going]
        start = start[going] + _BLOCK
        log_start = (log_t[:, -1] + np.log(next_ratio))[going]
        h_start = h[going, -1]
    return out[0], out[1], out[2], out[3], out[4]


def _palm_wait_sum(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """:math:`\\sum_j (t_j / A) x H_j / (x+j+1)`, summed only where t_j / A is not negligible.

    The weights t_j / A are those of the queue length seen by a waiting call; they are
    normalised by their own computed sum (which is A), so no value of A enters. Near the mode
    :math:`\\max(0, y - x - 1)` they fall like a normal density with standard deviation about
    sqrt(y), so the sum starts 12 standard deviations below the mode. Where that standard
    deviation exceeds ``_STRIDE_FROM`` terms and the mode is far from 0 (a heavily understaffed
    queue with very patient callers), only every h-th term is taken, h = sd / 128: for a
    smooth bell-shaped summand this trapezoidal sum is exact far below rounding (its error
    falls like exp(-2 pi^2 (sd / h)^2)), and the cost stays bounded.
    """
    sd = np.sqrt(y)
    mode = np.maximum(np.ceil(y - x - 1.0), 0.0)
    j0 = np.maximum(mode - np.ceil(12.0 * sd) - 8.0, 0.0)
    out = np.empty_like(x)
    strided = (j0 > 0) & (sd > _STRIDE_FROM)
    unit = ~strided
    if unit.any():
        xu, yu, ju = x[unit], y[unit], j0[unit]
        # t_j is proportional to y^(x+j) e^-y / Gamma(x+j+1): scale it to 1 at the mode
        log_t0 = _log_poisson_term(xu + ju, yu) - _log_poisson_term(xu + mode[unit], yu)
        h_before = special.digamma(xu + ju + 1.0) - special.digamma(xu + 1.0)  # H_{j0 - 1}
        sums = _palm_series(xu, yu, np.zeros_like(xu), ju, log_t0, h_before)
        out[unit] = sums[4] / sums[0]
    if strided.any():
        s = strided
        step = np.floor(sd[s] / 128.0)
        out[s] = _strided_wait_sum(x[s], y[s], j0[s], mode[s], mode[s] + 13.0 * sd[s], step)
    return out


def _strided_wait_sum(
    x: np.ndarray,
    y: np.ndarray,
    j0: np.ndarray,
    mode: np.ndarray,
    j1: np.ndarray,
    step: np.ndarray,
) -> np.ndarray:
    """Weighted mean of x H_j / (x+j+1) with weights t_j over j = j0, j0 + step, ... <= j1."""
    weights, total = np.zeros_like(x), np.zeros_like(x)
    idx = np.arange(x.size)
    nodes = np.arange(_BLOCK, dtype=float)
    log_mode = _log_poisson_term(x + mode, y)  # t_j is proportional to exp(log term(x + j, y))
    block = 0
    while idx.size:
        j = j0[idx, None] + step[idx, None] * (block * _BLOCK + nodes)
        xs, ys = np.broadcast_arrays(x[idx, None], y[idx, None], j)[:2]
        w = np.exp(_log_poisson_term(xs + j, ys) - log_mode[idx, None])  # t_j / t_mode
        h = special.digamma(xs + j + 2.0) - special.digamma(xs + 1.0)
        weights[idx] += w.sum(axis=1)
        total[idx] += (w * xs * h / (xs + j + 1.0)).sum(axis=1)
        block += 1
        idx = idx[j0[idx] + step[idx] * block * _BLOCK <= j1[idx]]
    return total / weights
