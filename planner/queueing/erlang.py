"""Erlang B and Erlang C (M/M/n): blocking, the probability of waiting and the service metrics."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from planner.queueing.core import (
    _COUNT,
    _NON_NEGATIVE,
    _POSITIVE,
    _SERIES_EPS,
    _TINY,
    ErlangCMetrics,
    _log_poisson_term,
    _offered_load,
    _validated,
)

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
