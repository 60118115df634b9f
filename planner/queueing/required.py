"""Staffing: the fewest agents meeting every target, by Erlang C or Erlang A."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from planner.queueing.core import (
    _ASA_CAP,
    _NON_NEGATIVE,
    _OCCUPANCY_CAP,
    _PATIENCE,
    _POSITIVE,
    _SHARE,
    MAX_OFFERED_LOAD,
    _check,
    _check_patience_scale,
    _offered_load,
    _Rule,
    _validated,
)
from planner.queueing.erlang import _log_erlang_b
from planner.queueing.erlang_a import _palm

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
