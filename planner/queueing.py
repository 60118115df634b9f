"""Queueing formulas for staffing an inbound line: Erlang B, Erlang C and Erlang A (M/M/n+M).

Every public function broadcasts over numpy arrays of any shape (scalars give 0-d arrays) and
works in log space, so that offered loads from 1e-9 to many thousands of Erlangs give finite,
non-negative probabilities without overflow, NaN or warnings.

Units and conventions (``shared/DOMAIN.md``)
--------------------------------------------
- Times are in seconds. The offered load is ``A = calls x aht_seconds / interval_seconds``
  Erlangs; the AHT includes wrap-up.
- ``agents`` are agents on the phones: whole numbers >= 0 (floats holding whole numbers are
  accepted).
- No calls (``A = 0``): nobody waits or abandons; service level 1, ASA 0, occupancy 0, whatever
  the agents (0 agents included).
- Erlang C with calls and ``agents <= A``: the queue grows without bound, so P(wait) = 1, service
  level 0, ASA infinite, occupancy 1 (0 with no agents: no agent time to be busy in).
- Erlang A service level counts abandons as failures: calls answered within T over ALL offered
  calls. ``service_level_answered`` is the same over answered calls only. ASA is the mean wait of
  answered calls, including those answered at once. Occupancy is the carried load (answered calls)
  per agent. With no agents and calls everybody abandons: P(abandon) = 1, both service levels 0,
  ASA infinite (no call is answered), occupancy 0. Infinite patience gives Erlang C, with its
  conventions for ``agents <= A``.

Bad input raises ``ValueError`` naming the parameter, the index of the first offending element,
its value and the rule, e.g. ``calls[3] = -2.0: must be >= 0 and finite``.

References
----------
.. [1] C. Palm, "Intensitätsschwankungen im Fernsprechverkehr", Ericsson Technics 44, 1943.
.. [2] A. Mandelbaum and S. Zeltyn, "Service Engineering in Action: The Palm/Erlang-A Queue,
   with Applications to Call Centers", in Advances in Services Innovations, Springer, 2007.
.. [3] O. Garnett, A. Mandelbaum and M. Reiman, "Designing a call center with impatient
   customers", Manufacturing & Service Operations Management 4(3):208-227, 2002.
.. [4] N. Gans, G. Koole and A. Mandelbaum, "Telephone call centers: tutorial, review and
   research prospects", Manufacturing & Service Operations Management 5(2):79-141, 2003.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

__all__ = [
    "ErlangAMetrics",
    "ErlangCMetrics",
    "erlang_a_metrics",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "required_agents",
]

# Below this an incomplete-gamma value is too close to underflow to take its log; the series
# forms take over (they converge fast exactly where the incomplete gamma is tiny).
_TINY = 1e-280
# Terms of a series are added until the rest is below this share of the sum.
_SERIES_EPS = 1e-17
# Width of one block of the vectorised Palm series (terms computed at once per element).
_BLOCK = 64
_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)
_SMALLEST = np.finfo(float).tiny
# Beyond this standard deviation (in terms) of the queue seen by a waiting call, the ASA sum
# of an understaffed queue is taken with a stride (see _palm_wait_sum).
_STRIDE_FROM = 512.0
# Patience beyond this multiple of the AHT is refused: use np.inf (Erlang C) instead.
_MAX_PATIENCE_OVER_AHT = 1e6
# Offered loads beyond this many Erlangs (a million agents busy at once) are refused by
# required_agents: its searches step over agents and would run for hours on absurd input.
MAX_OFFERED_LOAD = 1e6


# --------------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ErlangCMetrics:
    """Steady-state performance of an M/M/n queue (Erlang C), one value per element.

    Attributes
    ----------
    offered_load : numpy.ndarray
        Offered load A in Erlangs.
    p_wait : numpy.ndarray
        Probability that a call waits (Erlang C formula), in [0, 1].
    service_level : numpy.ndarray
        Share of calls answered within ``answer_within_seconds``, in [0, 1].
    asa_seconds : numpy.ndarray
        Average speed of answer over all calls, seconds (``inf`` where agents <= A).
    occupancy : numpy.ndarray
        Share of agent time spent on calls, in [0, 1].
    """

    offered_load: np.ndarray
    p_wait: np.ndarray
    service_level: np.ndarray
    asa_seconds: np.ndarray
    occupancy: np.ndarray


@dataclass(frozen=True, eq=False)
class ErlangAMetrics:
    """Steady-state performance of an M/M/n+M queue (Erlang A), one value per element.

    Attributes
    ----------
    offered_load : numpy.ndarray
        Offered load A in Erlangs.
    p_wait : numpy.ndarray
        Probability that a call finds every agent busy, in [0, 1].
    p_abandon : numpy.ndarray
        Probability that a call hangs up before it is answered, in [0, 1].
    service_level : numpy.ndarray
        Calls answered within ``answer_within_seconds`` over ALL offered calls (abandons count
        as failures), in [0, 1].
    service_level_answered : numpy.ndarray
        Calls answered within ``answer_within_seconds`` over answered calls, in [0, 1].
    asa_seconds : numpy.ndarray
        Mean wait of answered calls, including those answered at once, seconds.
    occupancy : numpy.ndarray
        Carried load (answered calls x AHT / interval) per agent, in [0, 1].
    """

    offered_load: np.ndarray
    p_wait: np.ndarray
    p_abandon: np.ndarray
    service_level: np.ndarray
    service_level_answered: np.ndarray
    asa_seconds: np.ndarray
    occupancy: np.ndarray


# --------------------------------------------------------------------------------------------------
# Input validation: one rule per kind of parameter, one helper that reports where it is broken
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """A rule an input array must meet: its wording for users and its elementwise test."""

    text: str
    holds: Callable[[np.ndarray], np.ndarray]


_COUNT = _Rule(
    "must be a whole number >= 0 (a count of agents)",
    lambda v: np.isfinite(v) & (v >= 0) & (v == np.floor(v)),
)
_NON_NEGATIVE = _Rule("must be >= 0 and finite", lambda v: np.isfinite(v) & (v >= 0))
_POSITIVE = _Rule("must be > 0 and finite", lambda v: np.isfinite(v) & (v > 0))
_PATIENCE = _Rule("must be > 0 (np.inf: callers never hang up)", lambda v: v > 0)
_SHARE = _Rule("must be > 0 and < 1", lambda v: (v > 0) & (v < 1))
_OCCUPANCY_CAP = _Rule("must be > 0 and <= 1", lambda v: (v > 0) & (v <= 1))
_ASA_CAP = _Rule("must be > 0", lambda v: v > 0)


def _check(name: str, values: np.ndarray, rule: str, ok: np.ndarray) -> None:
    """Raise ``ValueError`` naming the first element of ``values`` where ``ok`` is False.

    The message reads ``name[i, j] = value: rule`` (``name = value: rule`` for a scalar) and
    says how many other elements break the rule.
    """
    if np.all(ok):
        return
    bad = np.argwhere(~ok)
    first = tuple(int(i) for i in bad[0])
    where = f"{name}[{', '.join(map(str, first))}]" if first else name
    more = f" ({len(bad) - 1} more elements break it)" if len(bad) > 1 else ""
    raise ValueError(f"{where} = {float(values[first])!r}: {rule}{more}")


def _as_array(name: str, value: object) -> np.ndarray:
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} = {value!r}: must be a number or an array of numbers") from None


def _validated(*params: tuple[str, object, _Rule]) -> list[np.ndarray]:
    """Check each ``(name, value, rule)`` and broadcast the values together (read-only views)."""
    arrays = []
    for name, value, rule in params:
        array = _as_array(name, value)
        _check(name, array, rule.text, rule.holds(array))
        arrays.append(array)
    try:
        return np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(f"{p[0]} {a.shape}" for p, a in zip(params, arrays, strict=True))
        raise ValueError(f"shapes do not broadcast together: {shapes}") from None


def _offered_load(calls: np.ndarray, aht: np.ndarray, interval: np.ndarray) -> np.ndarray:
    """Offered load A = calls x AHT / interval, Erlangs, flattened (one expression everywhere)."""
    return np.ravel(calls * aht / interval)


def _log_poisson_term(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """log(y^x e^{-y} / Gamma(x + 1)) for x > 0, y > 0, accurate to a few ulps of the result.

    The naive ``x log y - y - gammaln(x + 1)`` loses ~1e-12 to cancellation at x, y ~ 5,000;
    this follows Loader (2000), "Fast and accurate computation of binomial probabilities":
    ``-(bd0(x, y) + log(2 pi x) / 2 + stirlerr(x))`` with bd0(x, y) = x log(x/y) + y - x
    (by its series in v = (x - y)/(x + y) when x is near y) and stirlerr the remainder of
    Stirling's series for log Gamma(x + 1).
    """
    bd0 = x * (np.log(x) - np.log(y)) + y - x  # x / y could overflow for subnormal y
    near = np.abs(x - y) < 0.1 * (x + y)
    if near.any():
        xn, yn = x[near], y[near]
        v = (xn - yn) / (xn + yn)
        v2, power, series = v * v, v.copy(), np.zeros_like(v)
        for k in range(1, 12):  # |v| < 0.1: twelve terms reach 1e-22 of the leading one
            power = power * v2
            series += power / (2 * k + 1)
        bd0[near] = v * (xn - yn) + 2.0 * xn * series
    big = x >= 15.0
    stirlerr = np.empty_like(x)
    small = ~big
    xs = x[small]
    stirlerr[small] = special.gammaln(xs + 1.0) - (xs + 0.5) * np.log(xs) + xs - _HALF_LOG_2PI
    inv = 1.0 / x[big]
    inv2 = inv * inv
    stirlerr[big] = inv * (
        1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188)))
    )
    return -(bd0 + 0.5 * np.log(2.0 * np.pi * x) + stirlerr)


def _check_patience_scale(patience: np.ndarray, aht: np.ndarray) -> None:
    """Refuse finite patience beyond ``_MAX_PATIENCE_OVER_AHT`` x AHT (broadcast arrays).

    There the Erlang A sums need ~sqrt(agents x patience / AHT) terms, while the model differs
    from Erlang C by about AHT / patience: np.inf gives the same answer at no cost.
    """
    ok = ~np.isfinite(patience) | (patience <= _MAX_PATIENCE_OVER_AHT * aht)
    rule = (
        f"must be at most {_MAX_PATIENCE_OVER_AHT:g} x aht_seconds (use np.inf for callers who "
        "never hang up: Erlang C, which differs by about aht / patience)"
    )
    _check("patience_seconds", patience, rule, ok)


# --------------------------------------------------------------------------------------------------
# Erlang B
# --------------------------------------------------------------------------------------------------


def erlang_b(servers: ArrayLike, offered_load: ArrayLike) -> np.ndarray:
    """Blocking probability of the M/M/n/n loss system (Erlang B), elementwise.

    Parameters
    ----------
    servers : array_like of whole numbers >= 0
        Number of servers n.
    offered_load : array_like of float >= 0
        Offered load a, Erlangs.

    Returns
    -------
    numpy.ndarray
        E_B(n, a) in [0, 1], broadcast shape of the inputs. E_B(0, a) = 1 (also for a = 0);
        E_B(n, 0) = 0 for n >= 1.

    Notes
    -----
    .. math:: E_B(n, a) = \\frac{a^n / n!}{\\sum_{k=0}^{n} a^k / k!}
              = \\frac{\\mathrm{Poisson}(n; a)}{P(\\mathrm{Poisson}(a) \\le n)}
              = \\frac{\\exp(n \\log a - a - \\log\\Gamma(n+1))}{Q(n+1, a)}

    with Q the regularised upper incomplete gamma function, evaluated in log space. Where Q
    underflows (a >> n) the reciprocal is summed directly,
    :math:`1/E_B = \\sum_{k=0}^{n} n! / ((n-k)!\\, a^k)`, whose terms fall at least
    geometrically (ratio (n-k)/a < 1).

    Examples
    --------
    >>> round(float(erlang_b(10, 5.0)), 6)
    0.018385
    """
    n, a = _validated(("servers", servers, _COUNT), ("offered_load", offered_load, _NON_NEGATIVE))
    shape = n.shape
    n, a = n.ravel(), a.ravel()
    out = np.where(n == 0, 1.0, 0.0)
    busy = (n > 0) & (a > 0)
    out[busy] = np.exp(_log_erlang_b(n[busy], a[busy]))
    return out.reshape(shape)


def _log_erlang_b(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """log E_B(n, a) for 1-D float arrays with n >= 1 and a > 0."""
    log_pmf = _log_poisson_term(n, a)
    cdf = special.gammaincc(n + 1.0, a)  # P(Poisson(a) <= n)
    out = np.empty_like(a)
    ok = cdf > _TINY
    out[ok] = log_pmf[ok] - np.log(cdf[ok])
    far = ~ok
    if far.any():
        out[far] = -np.log(_inverse_erlang_b_series(n[far], a[far]))
    return out


def _inverse_erlang_b_series(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """1 / E_B(n, a) = sum_{k=0}^{n} n! / ((n - k)! a^k), for a > n (iterates on unfinished)."""
    total = np.ones_like(a)
    idx = np.arange(a.size)
    term = np.ones_like(a)
    k = 0
    while idx.size:
        k += 1
        term = term * (n[idx] - (k - 1)) / a[idx]
        total[idx] += term
        going = (term > _SERIES_EPS * total[idx]) & (n[idx] > k)
        idx, term = idx[going], term[going]
    return total


# --------------------------------------------------------------------------------------------------
# Erlang C
# --------------------------------------------------------------------------------------------------


def erlang_c(agents: ArrayLike, offered_load: ArrayLike) -> np.ndarray:
    """Probability that a call waits in the M/M/n queue (Erlang C), elementwise.

    Parameters
    ----------
    agents : array_like of whole numbers >= 0
        Number of agents n.
    offered_load : array_like of float >= 0
        Offered load a, Erlangs.

    Returns
    -------
    numpy.ndarray
        C(n, a) in [0, 1], broadcast shape of the inputs. Exactly 1 where a > 0 and
        n <= a (no steady state: every call waits); 0 where a = 0 (no traffic, no waiting,
        also with no agents).

    Notes
    -----
    For n > a, with :math:`E = E_B(n, a)` (:func:`erlang_b`),

    .. math:: C(n, a) = \\frac{n E}{n - a (1 - E)}.

    Examples
    --------
    >>> round(float(erlang_c(14, 10.0)), 4)
    0.1741
    """
    n, a = _validated(("agents", agents, _COUNT), ("offered_load", offered_load, _NON_NEGATIVE))
    shape = n.shape
    n, a = n.ravel(), a.ravel()
    out = np.where(a > 0, 1.0, 0.0)
    stable = (n > a) & (a > 0)
    out[stable] = _erlang_c_from_b(n[stable], a[stable], _log_erlang_b(n[stable], a[stable]))[0]
    return out.reshape(shape)


def _erlang_c_from_b(
    n: np.ndarray, a: np.ndarray, log_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Erlang C and 1 - Erlang C from log E_B, for n > a > 0 (no cancellation in either)."""
    b = np.exp(log_b)
    denominator = n - a + a * b
    return n * b / denominator, (n - a) * (-np.expm1(log_b)) / denominator


def erlang_c_metrics(
    agents: ArrayLike,
    calls: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    answer_within_seconds: ArrayLike,
) -> ErlangCMetrics:
    """Service level, ASA, P(wait) and occupancy of an interval staffed with ``agents`` (Erlang C).

    Callers never hang up (M/M/n, first come first served, steady state within the interval).

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

    Returns
    -------
    ErlangCMetrics
        Arrays of the broadcast shape of the inputs.

    Notes
    -----
    With A = calls x AHT / interval and C the Erlang C formula (:func:`erlang_c`), for n > A:

    .. math::
        SL = 1 - C e^{-(n - A) T / AHT}, \\qquad
        ASA = \\frac{C \\cdot AHT}{n - A}, \\qquad
        occupancy = A / n.

    Conventions: where A = 0, P(wait) 0, SL 1, ASA 0, occupancy 0 (any n). Where 0 < A and
    n <= A, P(wait) 1, SL 0, ASA inf, occupancy 1 (0 if n = 0). Never NaN.

    References
    ----------
    Gans, Koole and Mandelbaum (2003), section 4.1 (see the module references).

    Examples
    --------
    100 calls in 30 minutes, AHT 180 s, 14 agents, answer within 20 s:

    >>> m = erlang_c_metrics(14, 100, 180, 1800, 20)
    >>> print(f"{float(m.service_level):.4f} {float(m.asa_seconds):.2f} {float(m.occupancy):.3f}")
    0.8884 7.84 0.714
    """
    n, calls, aht, interval, t = _validated(
        ("agents", agents, _COUNT),
        ("calls", calls, _NON_NEGATIVE),
        ("aht_seconds", aht_seconds, _POSITIVE),
        ("interval_seconds", interval_seconds, _POSITIVE),
        ("answer_within_seconds", answer_within_seconds, _NON_NEGATIVE),
    )
    shape = n.shape
    n, t = n.ravel(), t.ravel()
    load, aht = _offered_load(calls, aht, interval), aht.ravel()
    p_wait, sl, asa, occupancy = _erlang_c_all(n, load, aht, t)
    return ErlangCMetrics(
        offered_load=load.reshape(shape),
        p_wait=p_wait.reshape(shape),
        service_level=sl.reshape(shape),
        asa_seconds=asa.reshape(shape),
        occupancy=occupancy.reshape(shape),
    )


def _erlang_c_all(
    n: np.ndarray, a: np.ndarray, aht: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Erlang C metrics for 1-D arrays with every convention applied (see erlang_c_metrics)."""
    idle = a == 0
    p_wait = np.where(idle, 0.0, 1.0)
    sl = np.where(idle, 1.0, 0.0)
    asa = np.where(idle, 0.0, np.inf)
    occupancy = np.where(idle | (n == 0), 0.0, 1.0)
    stable = (n > a) & ~idle
    if stable.any():
        s = stable
        p_wait[s], sl[s], asa[s], occupancy[s] = _erlang_c_stable(n[s], a[s], aht[s], t[s])
    return p_wait, sl, asa, occupancy


def _erlang_c_stable(
    n: np.ndarray, a: np.ndarray, aht: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Erlang C metrics for 1-D arrays with n > a > 0."""
    c, not_c = _erlang_c_from_b(n, a, _log_erlang_b(n, a))
    # 1 - C e^{-d} = (1 - C) + C (1 - e^{-d}): two non-negative terms, no cancellation.
    sl = np.minimum(not_c - c * np.expm1(-(n - a) * t / aht), 1.0)
    return c, sl, c * aht / (n - a), a / n


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

    p_wait, sl, asa, occupancy = _erlang_c_all(n, load, aht, t)  # right where patience is inf
    p_abandon = np.zeros_like(load)
    sl_answered = sl.copy()
    hang_up = np.isfinite(patience) & (load > 0)
    nobody = hang_up & (n == 0)
    p_abandon[nobody] = 1.0
    palm = hang_up & (n > 0)
    if palm.any():
        s = palm
        result = _palm(n[s], load[s], aht[s], t[s], patience[s], want_asa=True)
        p_wait[s], p_abandon[s], sl[s], sl_answered[s], asa[s], occupancy[s] = result
    return ErlangAMetrics(
        offered_load=load.reshape(shape),
        p_wait=p_wait.reshape(shape),
        p_abandon=p_abandon.reshape(shape),
        service_level=sl.reshape(shape),
        service_level_answered=sl_answered.reshape(shape),
        asa_seconds=asa.reshape(shape),
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


# --------------------------------------------------------------------------------------------------
# Staffing
# --------------------------------------------------------------------------------------------------


def required_agents(
    calls: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    service_level: ArrayLike,
    answer_within_seconds: ArrayLike,
    *,
    patience_seconds: ArrayLike | None = None,
    max_occupancy: ArrayLike | None = None,
    max_abandon_rate: ArrayLike | None = None,
    max_asa_seconds: ArrayLike | None = None,
) -> np.ndarray:
    """Smallest number of agents on the phones meeting every target, per interval.

    Erlang C (:func:`erlang_c_metrics`) without ``patience_seconds``, Erlang A
    (:func:`erlang_a_metrics`) with it (elements with infinite patience use Erlang C).

    Parameters
    ----------
    calls : array_like of float >= 0
        Calls offered in each interval.
    aht_seconds : array_like of float > 0
        Average handling time, seconds.
    interval_seconds : array_like of float > 0
        Interval length, seconds.
    service_level : array_like of float in (0, 1)
        Target share of calls answered within ``answer_within_seconds`` (Erlang A: over all
        offered calls, abandons counting as failures).
    answer_within_seconds : array_like of float >= 0
        Service-level threshold T, seconds.
    patience_seconds : array_like of float > 0, optional
        Mean caller patience, seconds (``np.inf`` allowed, finite values at most 1e6 x AHT);
        selects Erlang A.
    max_occupancy : array_like of float in (0, 1], optional
        Cap on occupancy.
    max_abandon_rate : array_like of float in (0, 1), optional
        Cap on P(abandon); needs ``patience_seconds`` (Erlang C callers never abandon).
    max_asa_seconds : array_like of float > 0, optional
        Cap on the average speed of answer (of answered calls, in Erlang A), seconds.

    Returns
    -------
    numpy.ndarray of int64
        N per element, broadcast shape of the inputs; 0 where calls == 0. With Erlang C,
        N > A always.

    Raises
    ------
    ValueError
        For an input breaking its rule, or an offered load above :data:`MAX_OFFERED_LOAD`.

    Notes
    -----
    Every metric is monotone in n, so the smallest feasible n is found by a search over the
    still-unsolved elements only, with no Python loop over intervals:

    - Erlang C: step up from :math:`\\lfloor A \\rfloor + 1` (or the occupancy bound
      :math:`A / cap`) with the Erlang B recursion :math:`E(n) = a E(n-1) / (n + a E(n-1))`.
      Its rounding differs from :func:`erlang_c_metrics` by ~1e-15, which matters only for a
      target met with equality to that precision.
    - Erlang A: doubling then bisection over n. Since answered calls cannot exceed the agents'
      capacity, :math:`SL \\le 1 - P(Ab) < n / a`, so n >= SL x a and, with an abandonment cap,
      n >= (1 - cap) a: those bounds start the search.

    Examples
    --------
    >>> int(required_agents(100, 180, 1800, 0.8, 20))
    14
    """
    specs: list[tuple[str, object, _Rule]] = [
        ("calls", calls, _NON_NEGATIVE),
        ("aht_seconds", aht_seconds, _POSITIVE),
        ("interval_seconds", interval_seconds, _POSITIVE),
        ("service_level", service_level, _SHARE),
        ("answer_within_seconds", answer_within_seconds, _NON_NEGATIVE),
    ]
    optional = {
        "patience_seconds": (patience_seconds, _PATIENCE),
        "max_occupancy": (max_occupancy, _OCCUPANCY_CAP),
        "max_abandon_rate": (max_abandon_rate, _SHARE),
        "max_asa_seconds": (max_asa_seconds, _ASA_CAP),
    }
    given = [name for name, (value, _) in optional.items() if value is not None]
    if max_abandon_rate is not None and patience_seconds is None:
        raise ValueError(
            f"max_abandon_rate = {max_abandon_rate!r}: needs patience_seconds (under Erlang C "
            "callers never abandon, so the cap would be ignored)"
        )
    specs += [(name, optional[name][0], optional[name][1]) for name in given]
    arrays = _validated(*specs)
    shape = arrays[0].shape
    flat = [np.ravel(v) for v in arrays]
    calls, aht, interval, target, t = flat[:5]
    caps = dict(zip(given, flat[5:], strict=True))
    if "patience_seconds" in caps:
        _check_patience_scale(arrays[5 + given.index("patience_seconds")], arrays[1])

    load = _offered_load(calls, aht, interval)
    _check(
        "offered_load",
        load.reshape(shape),
        f"calls x aht_seconds / interval_seconds must be at most {MAX_OFFERED_LOAD:g} Erlangs",
        load.reshape(shape) <= MAX_OFFERED_LOAD,
    )
    result = np.zeros(load.size, dtype=np.int64)
    patience = caps.get("patience_seconds")
    finite = np.zeros(load.size, bool) if patience is None else np.isfinite(patience)
    for model_a, chosen in ((False, (load > 0) & ~finite), (True, (load > 0) & finite)):
        if not chosen.any():
            continue
        sub = {name: value[chosen] for name, value in caps.items()}
        args = (load[chosen], aht[chosen], t[chosen], target[chosen], sub)
        result[chosen] = _required_erlang_a(*args) if model_a else _required_erlang_c(*args)
    return result.reshape(shape)


def _required_erlang_c(
    a: np.ndarray, aht: np.ndarray, t: np.ndarray, target: np.ndarray, caps: dict
) -> np.ndarray:
    """Smallest n > a meeting the SL target and the caps under Erlang C (1-D, a > 0)."""
    occupancy_cap = caps.get("max_occupancy")
    asa_cap = caps.get("max_asa_seconds")
    n = np.floor(a) + 1.0
    if occupancy_cap is not None:  # a / n <= cap needs n >= a / cap; floor keeps it a lower bound
        n = np.maximum(n, np.floor(a / occupancy_cap * (1.0 - 1e-12)))
    b = np.exp(_log_erlang_b(n, a))
    result = np.empty(a.size, dtype=np.int64)
    idx = np.arange(a.size)
    while idx.size:
        aa = a[idx]
        denominator = n - aa + aa * b
        c = n * b / denominator
        not_c = (n - aa) * (1.0 - b) / denominator
        sl = not_c - c * np.expm1(-(n - aa) * t[idx] / aht[idx])
        ok = sl >= target[idx]
        if occupancy_cap is not None:
            ok &= aa / n <= occupancy_cap[idx]
        if asa_cap is not None:
            ok &= c * aht[idx] / (n - aa) <= asa_cap[idx]
        result[idx[ok]] = n[ok]
        going = ~ok
        idx, n, b = idx[going], n[going] + 1.0, b[going]
        b = a[idx] * b / (n + a[idx] * b)  # Erlang B recursion from n - 1 to n
    return result


def _required_erlang_a(
    a: np.ndarray, aht: np.ndarray, t: np.ndarray, target: np.ndarray, caps: dict
) -> np.ndarray:
    """Smallest n meeting the SL target and the caps under Erlang A (1-D, a > 0, finite)."""
    patience = caps["patience_seconds"]
    occupancy_cap = caps.get("max_occupancy")
    abandon_cap = caps.get("max_abandon_rate")
    asa_cap = caps.get("max_asa_seconds")

    def feasible(idx: np.ndarray, n: np.ndarray) -> np.ndarray:
        _, p_ab, sl, _, asa, occ = _palm(
            n, a[idx], aht[idx], t[idx], patience[idx], want_asa=asa_cap is not None
        )
        ok = sl >= target[idx]
        if occupancy_cap is not None:
            ok &= occ <= occupancy_cap[idx]
        if abandon_cap is not None:
            ok &= p_ab <= abandon_cap[idx]
        if asa_cap is not None:
            ok &= asa <= asa_cap[idx]
        return ok

    # lo: known infeasible (n < SL a, or n < (1 - cap) a, or n = 0); hi: first guess.
    lo = np.maximum(np.ceil(target * a) - 1.0, 0.0)
    if abandon_cap is not None:
        lo = np.maximum(lo, np.ceil((1.0 - abandon_cap) * a) - 1.0)
    hi = np.maximum(lo + 1.0, np.ceil(a + np.sqrt(a)))
    step = hi - lo
    idx = np.arange(a.size)
    while idx.size:  # doubling until hi is feasible
        ok = feasible(idx, hi[idx])
        bad = idx[~ok]
        lo[bad] = hi[bad]
        step[bad] *= 2.0
        hi[bad] += step[bad]
        idx = bad
    idx = np.flatnonzero(hi - lo > 1.0)
    while idx.size:  # bisection: lo infeasible, hi feasible
        mid = np.floor((lo[idx] + hi[idx]) / 2.0)
        ok = feasible(idx, mid)
        hi[idx[ok]] = mid[ok]
        lo[idx[~ok]] = mid[~ok]
        idx = idx[hi[idx] - lo[idx] > 1.0]
    return hi.astype(np.int64)
