"""What the queueing formulas share: result records, input rules and their checks, the offered
load and the log of a Poisson term."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special

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
