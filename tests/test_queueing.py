"""Tests of planner.queueing: published values, high-precision references, the birth-death
chain of the Erlang A queue, properties, conventions and input errors.

The references below are written independently of the module: Erlang B as the textbook sum in
mpmath, Erlang A from its birth-death chain (solved as a linear system) and from the
virtual-wait density integrated numerically. None of them reuses planner code.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
import scipy.linalg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

from planner.queueing import (
    ErlangAMetrics,
    ErlangCMetrics,
    erlang_a_metrics,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    required_agents,
)

mp.mp.dps = 40

# --------------------------------------------------------------------------------------------------
# References
# --------------------------------------------------------------------------------------------------


def mp_erlang_b(n: int, a) -> mp.mpf:
    """Textbook sum form: (a^n / n!) / sum_{k<=n} a^k / k!, in 40-digit arithmetic."""
    a = mp.mpf(a)
    term, total = mp.mpf(1), mp.mpf(1)
    for k in range(1, n + 1):
        term = term * a / k
        total += term
    return term / total


def mp_erlang_c(n: int, a) -> mp.mpf:
    b = mp_erlang_b(n, a)
    return n * b / (n - a * (1 - b))


def mp_erlang_a(n: int, calls, aht, interval, t, patience) -> dict[str, mp.mpf]:
    """Erlang A by the formulas of Mandelbaum and Zeltyn (2007), in 40-digit arithmetic."""
    calls, aht, interval, t, patience = (mp.mpf(v) for v in (calls, aht, interval, t, patience))
    lam, mu, theta = calls / interval, 1 / aht, 1 / patience
    a, x, y = lam / mu, n * mu / theta, lam / theta
    rho = a / n
    e = mp_erlang_b(n, a)
    big_a = x * mp.exp(y) * y ** (-x) * mp.gammainc(x, 0, y)
    k = mp.exp(y) * y ** (-x) * mp.gamma(x + 1)

    p_wait = big_a * e / (1 - e + big_a * e)
    p_abandon = (1 / (rho * big_a) + 1 - 1 / rho) * p_wait
    # P(x+1, y) - P(x+1, y e^{-theta T}), integrated directly (a difference of two values
    # near 1 would need hundreds of digits when the queue is heavily understaffed)
    dp = mp.gammainc(x + 1, y * mp.exp(-theta * t), y, regularized=True)
    sl = ((1 - e) + e * k * dp / rho) / ((1 - e) + e * big_a)
    return {"p_wait": p_wait, "p_abandon": p_abandon, "service_level": sl}


def quad_erlang_a(n: int, calls, aht, interval, t, patience) -> dict[str, float]:
    """SL and answered ASA by integrating the virtual-wait density numerically (mpmath.quad).

    f_V(s) = lambda exp(lambda H(s) - n mu s) / (eps + lambda J), H(s) = (1 - e^{-theta s}) /
    theta, eps + lambda J = rho [(1 - E)/E + A] (Mandelbaum and Zeltyn 2007, section 4); a call
    is answered iff its patience exceeds V, with probability e^{-theta V}.
    """
    mp.mp.dps = 30
    lam, mu, theta = mp.mpf(calls) / interval, 1 / mp.mpf(aht), 1 / mp.mpf(patience)
    a, x, y = lam / mu, n * mu / theta, lam / theta
    e = mp_erlang_b(n, a)
    big_a = x * mp.exp(y) * y ** (-x) * mp.gammainc(x, 0, y)
    norm = (a / n) * ((1 - e) / e + big_a)

    def density(s):
        return lam * mp.exp(lam * (1 - mp.exp(-theta * s)) / theta - n * mu * s) / norm

    p_now = (1 - e) / (1 - e + big_a * e)
    scale = 1 / (n * mu + theta)
    answered = p_now + mp.quad(
        lambda s: density(s) * mp.exp(-theta * s), [0, scale, 10 * scale, mp.inf]
    )
    within = p_now + mp.quad(lambda s: density(s) * mp.exp(-theta * s), [0, t])
    wait = mp.quad(lambda s: s * density(s) * mp.exp(-theta * s), [0, scale, 10 * scale, mp.inf])
    mp.mp.dps = 40
    return {
        "service_level": float(within),
        "p_abandon": float(1 - answered),
        "asa_seconds": float(wait / answered),
    }


def birth_death_chain(n: int, calls, aht, interval, t, patience, size: int = 150) -> dict:
    """M/M/n+M by its truncated birth-death chain, solved as a linear system in float64.

    State k has birth rate lambda and death rate min(k, n) mu + max(k - n, 0) theta. An arrival
    that finds n + j calls waits behind j others: a tagged-call chain (j ahead -> j - 1 at rate
    n mu + j theta, abandonment at rate theta) gives its chance to be answered by T (matrix
    exponential) and its expected wait if answered (fundamental matrix).
    """
    lam, mu, theta = calls / interval, 1.0 / aht, 1.0 / patience
    top = n + size
    q = np.zeros((top + 1, top + 1))
    k = np.arange(top + 1)
    q[k[:-1], k[:-1] + 1] = lam
    q[k[1:], k[1:] - 1] = np.minimum(k[1:], n) * mu + np.maximum(k[1:] - n, 0) * theta
    q[k, k] = -q.sum(axis=1)
    lhs = np.vstack([q.T[:-1], np.ones(top + 1)])
    rhs = np.zeros(top + 1)
    rhs[-1] = 1.0
    pi = np.linalg.solve(lhs, rhs)
    assert pi[-20:].sum() < 1e-15, "truncation too short"

    ahead = np.arange(size)
    leave = n * mu + ahead * theta
    tagged = np.diag(-(leave + theta)) + np.diag(leave[1:], -1)
    to_service = np.zeros(size)
    to_service[0] = leave[0]
    answered_from = np.linalg.solve(-tagged, to_service)
    wait_if_answered = np.linalg.solve(-tagged, answered_from)
    generator = np.zeros((size + 1, size + 1))
    generator[:size, :size], generator[:size, size] = tagged, to_service
    within_from = scipy.linalg.expm(generator * t)[:size, size]

    arrivals_waiting = pi[n : n + size]
    p_abandon = theta * np.sum(np.maximum(k - n, 0) * pi) / lam
    sl = pi[:n].sum() + np.sum(arrivals_waiting * within_from)
    return {
        "p_wait": pi[n:].sum(),
        "p_abandon": p_abandon,
        "service_level": sl,
        "service_level_answered": sl / (1.0 - p_abandon),
        "asa_seconds": np.sum(arrivals_waiting * wait_if_answered) / (1.0 - p_abandon),
        "occupancy": np.sum(np.minimum(k, n) * pi) / n,
    }


def close(got, expected, rel: float) -> bool:
    got, expected = float(got), float(expected)
    return abs(got - expected) <= rel * abs(expected) + 1e-300


# --------------------------------------------------------------------------------------------------
# Published values
# --------------------------------------------------------------------------------------------------


def test_domain_example_100_calls_in_30_minutes():
    # shared/DOMAIN.md (the widely used Call Centre Helper Erlang C example): 100 calls in
    # 30 min, AHT 180 s, T = 20 s: A = 10 Erlangs; 14 agents give P(wait) 0.1741, SL 0.8884,
    # ASA 7.84 s, occupancy 0.714; 80/20 needs 14 agents.
    m = erlang_c_metrics(14, 100, 180, 1800, 20)
    assert float(m.offered_load) == pytest.approx(10.0)
    assert round(float(m.p_wait), 4) == 0.1741
    assert round(float(m.service_level), 4) == 0.8884
    assert round(float(m.asa_seconds), 2) == 7.84
    assert round(float(m.occupancy), 3) == 0.714
    assert int(required_agents(100, 180, 1800, 0.8, 20)) == 14
    assert erlang_c_metrics(13, 100, 180, 1800, 20).service_level < 0.8


def test_maxima_erlang_c_worked_example():
    # Worked Erlang C example of a call-centre web page, reproduced in the Maxima note
    # "Expected waiting time formulas in Maxima": lambda = 0.2 calls/s, Ts = 240 s, 55 agents:
    # Ec = 0.2387, Tw = 8.184 s, P(W <= 15 s) = 0.8459.
    m = erlang_c_metrics(55, 0.2 * 3600, 240, 3600, 15)
    assert round(float(m.p_wait), 4) == 0.2387
    assert round(float(m.asa_seconds), 3) == 8.184
    assert round(float(m.service_level), 4) == 0.8459


def test_erlang_b_classic_value():
    # Classic Erlang B table value: E_B(10, 5) = 0.018385.
    assert round(float(erlang_b(10, 5.0)), 6) == 0.018385


@pytest.mark.parametrize(
    ("servers", "blocking", "table_load"),
    [
        # Erlang B table (traffic in Erlangs carried at a grade of service), e.g. the tables in
        # ITU-T E.500-series handbooks and every teletraffic text: 1 % and 2 % columns.
        (1, 0.01, 0.0101),
        (2, 0.01, 0.153),
        (5, 0.01, 1.361),
        (10, 0.01, 4.461),
        (20, 0.01, 12.031),
        (50, 0.01, 37.901),
        (100, 0.01, 84.064),
        (10, 0.02, 5.084),
        (20, 0.02, 13.182),
    ],
)
def test_erlang_b_table(servers, blocking, table_load):
    load = optimize.brentq(lambda a: float(erlang_b(servers, a)) - blocking, 1e-6, servers)
    decimals = len(str(table_load).split(".")[1])
    assert abs(load - table_load) <= 0.5 * 10.0**-decimals


# --------------------------------------------------------------------------------------------------
# Agreement with high-precision textbook formulas
# --------------------------------------------------------------------------------------------------

LOADS = [1e-9, 1e-4, 0.3, 4.0, 37.5, 250.0, 1200.0, 5000.0]


def _agents_around(load: float) -> list[int]:
    picks = {1, 2, math.floor(load) + 1, math.ceil(load * 1.02) + 1, math.ceil(load * 1.5) + 1}
    picks |= {max(1, round(load * f)) for f in (0.2, 0.9, 0.999)}
    picks.add(math.ceil(load + 3 * math.sqrt(load)) + 1)
    return sorted(picks)


@pytest.mark.parametrize("load", LOADS)
def test_erlang_b_and_c_match_high_precision(load):
    agents = np.array(_agents_around(load))
    got_b = erlang_b(agents, load)
    got_c = erlang_c_metrics(agents, load * 1800 / 300, 300, 1800, 20)
    for k, n in enumerate(agents):
        b = mp_erlang_b(int(n), load)
        assert close(got_b[k], b, 1e-9), (n, load)
        if n <= load:
            assert got_c.p_wait[k] == 1.0 and got_c.service_level[k] == 0.0
            continue
        c = mp_erlang_c(int(n), load)
        sl = 1 - c * mp.exp(-(n - mp.mpf(load)) * 20 / 300)
        asa = c * 300 / (n - mp.mpf(load))
        assert close(got_c.p_wait[k], c, 1e-9), (n, load)
        assert close(got_c.service_level[k], sl, 1e-9), (n, load)
        assert close(got_c.asa_seconds[k], asa, 1e-9), (n, load)
        assert close(got_c.occupancy[k], load / n, 1e-12)


@pytest.mark.parametrize("load", [1e-9, 0.05, 3.0, 40.0, 400.0, 5000.0])
@pytest.mark.parametrize("patience_over_aht", [0.05, 1.0, 4.0])
def test_erlang_a_matches_high_precision(load, patience_over_aht):
    aht, interval = 240.0, 1800.0
    calls, patience = load * interval / aht, patience_over_aht * aht
    agents = np.array(_agents_around(load))
    got = erlang_a_metrics(agents, calls, aht, interval, 20.0, patience)
    for k, n in enumerate(agents):
        ref = mp_erlang_a(int(n), calls, aht, interval, 20.0, patience)
        for name, value in ref.items():
            assert close(getattr(got, name)[k], value, 1e-9), (name, n, load)


@pytest.mark.parametrize(
    ("agents", "calls", "aht", "patience", "t"),
    [(14, 100, 180, 240, 20), (9, 100, 180, 60, 15), (30, 500, 180, 600, 30), (4, 60, 300, 90, 0)],
)
def test_erlang_a_matches_integrated_virtual_wait(agents, calls, aht, patience, t):
    # Independent check of the closed-form SL and of the answered-call ASA series.
    got = erlang_a_metrics(agents, calls, aht, 1800, t, patience)
    ref = quad_erlang_a(agents, calls, aht, 1800, t, patience)
    for name, value in ref.items():
        assert close(getattr(got, name), value, 1e-9), name


# --------------------------------------------------------------------------------------------------
# Erlang A: special cases and the birth-death chain
# --------------------------------------------------------------------------------------------------


def test_erlang_a_with_infinite_patience_is_erlang_c():
    agents = np.arange(0, 25)
    a = erlang_a_metrics(agents, 100, 180, 1800, 20, np.inf)
    c = erlang_c_metrics(agents, 100, 180, 1800, 20)
    for name in ("offered_load", "p_wait", "service_level", "asa_seconds", "occupancy"):
        np.testing.assert_array_equal(getattr(a, name), getattr(c, name))
    np.testing.assert_array_equal(a.p_abandon, 0.0)
    np.testing.assert_array_equal(a.service_level_answered, c.service_level)


def test_erlang_a_tends_to_erlang_c_as_patience_grows():
    # The gap is of the order of P(abandon) ~ E[queue] / (lambda x patience): it must shrink
    # in proportion to 1 / patience, with no loss of accuracy at huge x = n patience / AHT.
    agents = np.arange(11, 20)
    c = erlang_c_metrics(agents, 100, 180, 1800, 20)
    gaps = []
    for patience in (1.8e6, 1.8e7, 1.8e8):  # up to the largest accepted, 1e6 x AHT
        a = erlang_a_metrics(agents, 100, 180, 1800, 20, patience)
        gap = max(
            np.max(np.abs(a.p_wait / c.p_wait - 1)),
            np.max(np.abs(a.service_level / c.service_level - 1)),
            np.max(np.abs(a.asa_seconds / c.asa_seconds - 1)),
        )
        gaps.append(gap)
        assert np.all(a.p_abandon < 1e5 / patience)
    assert gaps[2] < 1e-4
    assert gaps[0] / gaps[1] == pytest.approx(10, rel=0.02)
    assert gaps[1] / gaps[2] == pytest.approx(10, rel=0.02)


@pytest.mark.parametrize("load", [0.5, 7.3, 60.0])
def test_erlang_a_with_patience_equal_to_aht_is_poisson(load):
    # With theta = mu every call leaves at rate mu wherever it is: the number in system is
    # Poisson(a), so P(W > 0) = P(N >= n) and P(Ab) = theta E[(N - n)^+] / lambda.
    aht, interval = 300.0, 900.0
    agents = np.arange(1, int(2 * load) + 8)
    m = erlang_a_metrics(agents, load * interval / aht, aht, interval, 20.0, aht)
    np.testing.assert_allclose(m.p_wait, stats.poisson.sf(agents - 1, load), rtol=1e-10)
    k = np.arange(int(load * 3) + 200)
    pmf = stats.poisson.pmf(k, load)
    excess = np.array([np.sum(np.maximum(k - n, 0) * pmf) for n in agents]) / load
    np.testing.assert_allclose(m.p_abandon, excess, rtol=1e-9)
    np.testing.assert_allclose(m.occupancy, (load - excess * load) / agents, rtol=1e-10)


@pytest.mark.parametrize(
    ("agents", "calls", "aht", "interval", "t", "patience"),
    [
        (14, 100, 180, 1800, 20, 180),
        (10, 100, 180, 1800, 20, 60),
        (8, 100, 180, 1800, 20, 600),  # understaffed: agents < load
        (20, 100, 180, 1800, 30, 90),
        (5, 10, 300, 900, 20, 240),
        (1, 30, 200, 900, 10, 45),
        (60, 200, 270, 900, 20, 180),
    ],
)
def test_erlang_a_matches_birth_death_chain(agents, calls, aht, interval, t, patience):
    got = erlang_a_metrics(agents, calls, aht, interval, t, patience)
    ref = birth_death_chain(agents, calls, aht, interval, t, patience)
    for name, value in ref.items():
        assert close(getattr(got, name), value, 1e-9), name


# --------------------------------------------------------------------------------------------------
# Conventions
# --------------------------------------------------------------------------------------------------


def test_erlang_c_conventions_at_and_below_the_load():
    m = erlang_c_metrics([0, 5, 10], 100, 180, 1800, 20)  # load 10 Erlangs
    np.testing.assert_array_equal(m.p_wait, [1, 1, 1])
    np.testing.assert_array_equal(m.service_level, [0, 0, 0])
    np.testing.assert_array_equal(m.asa_seconds, [np.inf] * 3)
    np.testing.assert_array_equal(m.occupancy, [0, 1, 1])
    np.testing.assert_array_equal(erlang_c([0, 5, 10, 11], 10.0)[:3], [1, 1, 1])


@pytest.mark.parametrize("patience", [120.0, np.inf])
def test_no_calls_means_no_waiting_whatever_the_agents(patience):
    m = erlang_a_metrics([0, 1, 7], 0.0, 180, 1800, 20, patience)
    for values, expected in (
        (m.p_wait, 0),
        (m.p_abandon, 0),
        (m.service_level, 1),
        (m.service_level_answered, 1),
        (m.asa_seconds, 0),
        (m.occupancy, 0),
    ):
        np.testing.assert_array_equal(values, expected)
    c = erlang_c_metrics([0, 3], 0.0, 180, 1800, 20)
    np.testing.assert_array_equal(c.service_level, 1)
    np.testing.assert_array_equal(erlang_c([0, 3], 0.0), 0)
    np.testing.assert_array_equal(erlang_b([0, 3], 0.0), [1, 0])
    np.testing.assert_array_equal(required_agents([0.0, 0.0], 180, 1800, 0.8, 20), 0)


def test_no_agents_with_impatient_callers_everybody_abandons():
    m = erlang_a_metrics(0, 50, 180, 1800, 20, 120)
    assert (m.p_wait, m.p_abandon, m.service_level, m.service_level_answered) == (1, 1, 0, 0)
    assert m.asa_seconds == np.inf and m.occupancy == 0


def test_erlang_a_defined_below_the_load():
    m = erlang_a_metrics(np.arange(1, 10), 100, 180, 1800, 20, 120)  # load 10 Erlangs
    assert np.all(np.isfinite(m.asa_seconds))
    assert np.all((m.service_level > 0) & (m.p_abandon < 1) & (m.occupancy <= 1))


def test_shapes_broadcast_and_scalars_give_zero_dimensional_arrays():
    m = erlang_a_metrics(np.arange(10, 16)[:, None], [[50.0, 100.0]], 180, 1800, 20, 200.0)
    assert isinstance(m, ErlangAMetrics) and m.p_wait.shape == (6, 2)
    c = erlang_c_metrics(14, 100, 180, 1800, 20)
    assert isinstance(c, ErlangCMetrics) and c.p_wait.shape == () and c.p_wait.ndim == 0
    need = required_agents(np.full((3, 4), 100.0), 180, 1800, [[0.7], [0.8], [0.9]], 20)
    assert need.shape == (3, 4) and need.dtype == np.int64
    assert np.all(np.diff(need[:, 0]) >= 0)
    assert erlang_b(10, 5.0).shape == () and erlang_c(14.0, 10.0).shape == ()


def test_required_agents_with_mixed_patience_uses_erlang_c_where_infinite():
    patience = np.array([np.inf, 240.0])
    need = required_agents([100, 100], 180, 1800, 0.8, 20, patience_seconds=patience)
    assert need[0] == required_agents(100, 180, 1800, 0.8, 20)
    assert need[1] == required_agents(100, 180, 1800, 0.8, 20, patience_seconds=240.0)


# --------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
loads = st.one_of(
    st.floats(1e-9, 1.0),
    st.floats(0.0, 120.0),
    st.floats(100.0, 5000.0),
)
ahts = st.floats(10.0, 1200.0)
answer_times = st.floats(0.0, 120.0)
patiences = st.one_of(st.floats(1.0, 3600.0), st.just(np.inf))
targets = st.floats(0.05, 0.99)


def _metric_arrays(m) -> list[np.ndarray]:
    return [getattr(m, name) for name in m.__dataclass_fields__]


@PROPERTY_SETTINGS
@given(load=loads, aht=ahts, t=answer_times, patience=patiences, extra=st.integers(0, 60))
def test_metrics_are_probabilities_and_monotone_in_agents(load, aht, t, patience, extra):
    interval = 900.0
    top = int(load) + 2 + 4 * extra
    agents = np.arange(0, top + 1) if top < 60 else np.unique(np.linspace(0, top, 60).round())
    calls = load * interval / aht
    for m in (
        erlang_c_metrics(agents, calls, aht, interval, t),
        erlang_a_metrics(agents, calls, aht, interval, t, patience),
    ):
        for values in _metric_arrays(m):
            assert not np.any(np.isnan(values))
        probabilities = [m.p_wait, m.service_level, m.occupancy]
        if isinstance(m, ErlangAMetrics):
            probabilities += [m.p_abandon, m.service_level_answered]
            assert np.all(np.diff(m.p_abandon) <= 1e-10)
            assert np.all(m.service_level <= 1.0 - m.p_abandon + 1e-12)
        for values in probabilities:
            assert np.all((values >= 0.0) & (values <= 1.0))
        assert np.all(m.asa_seconds >= 0.0)
        # rounding noise of ~eps x log K (up to ~1e-12 at thousands of Erlangs) is allowed
        assert np.all(np.diff(m.service_level) >= -1e-10)
        assert np.all(np.diff(m.p_wait[1:]) <= 1e-10)
        asa = m.asa_seconds[1:]  # inf where Erlang C has no steady state: compare, not subtract
        assert np.all(asa[1:] <= asa[:-1] * (1.0 + 1e-9) + 1e-300)
        assert np.all(np.diff(m.occupancy[1:]) <= 1e-10)


@PROPERTY_SETTINGS
@given(
    load=loads,
    aht=ahts,
    t=answer_times,
    target=targets,
    patience=st.one_of(st.none(), patiences),
    occupancy_cap=st.one_of(st.none(), st.floats(0.5, 1.0)),
    abandon_cap=st.one_of(st.none(), st.floats(0.005, 0.3)),
    asa_cap=st.one_of(st.none(), st.floats(1.0, 120.0)),
)
def test_required_agents_is_the_smallest_meeting_every_target(
    load, aht, t, target, patience, occupancy_cap, abandon_cap, asa_cap
):
    if patience is None:
        abandon_cap = None
    interval = 1800.0
    calls = load * interval / aht
    n = int(
        required_agents(
            calls,
            aht,
            interval,
            target,
            t,
            patience_seconds=patience,
            max_occupancy=occupancy_cap,
            max_abandon_rate=abandon_cap,
            max_asa_seconds=asa_cap,
        )
    )
    # The Erlang C search uses the Erlang B recursion, the metrics the closed form: they may
    # differ by ~1e-15, so N must meet the targets loosened by `slack` and N - 1 must fail
    # them tightened by `slack`.
    slack = 1e-12

    def meets(agents: int, tol: float) -> bool:
        if patience is None:
            m = erlang_c_metrics(agents, calls, aht, interval, t)
        else:
            m = erlang_a_metrics(agents, calls, aht, interval, t, patience)
            if abandon_cap is not None and m.p_abandon > abandon_cap * (1 + tol):
                return False
        if m.service_level < target - tol:
            return False
        if occupancy_cap is not None and m.occupancy > occupancy_cap * (1 + tol):
            return False
        return asa_cap is None or m.asa_seconds <= asa_cap * (1 + tol)

    if calls == 0:
        assert n == 0
        return
    if patience is None or patience == np.inf:
        assert n > load
    assert meets(n, slack)
    assert n >= 1
    assert not meets(n - 1, -slack)


# --------------------------------------------------------------------------------------------------
# Input errors
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: erlang_c_metrics(14, [1, 2, 3, -2.0], 180, 1800, 20),
            "calls[3] = -2.0: must be >= 0",
        ),
        (lambda: erlang_c_metrics(14, [[1, np.nan]], 180, 1800, 20), "calls[0, 1] = nan"),
        (
            lambda: erlang_c_metrics([14, 2.5], 10, 180, 1800, 20),
            "agents[1] = 2.5: must be a whole",
        ),
        (lambda: erlang_c_metrics(-1, 10, 180, 1800, 20), "agents = -1.0"),
        (lambda: erlang_c_metrics(14, 10, [180, 0], 1800, 20), "aht_seconds[1] = 0.0: must be > 0"),
        (lambda: erlang_c_metrics(14, 10, 180, -900, 20), "interval_seconds = -900.0"),
        (lambda: erlang_c_metrics(14, 10, 180, 1800, -1), "answer_within_seconds = -1.0"),
        (lambda: erlang_a_metrics(14, 10, 180, 1800, 20, [60, 0]), "patience_seconds[1] = 0.0"),
        (lambda: erlang_b([3, 4], [1.0, np.inf]), "offered_load[1] = inf"),
        (
            lambda: erlang_a_metrics(14, 10, [[180], [60]], 1800, 20, 1e8),
            "patience_seconds[1, 0] = 100000000.0: must be at most 1e+06 x aht_seconds",
        ),
        (
            lambda: required_agents(10, 180, 1800, 0.8, 20, patience_seconds=[1e3, 1e9]),
            "patience_seconds[1] = 1000000000.0: must be at most",
        ),
        (
            lambda: required_agents(10, 180, 1800, 1.0, 20),
            "service_level = 1.0: must be > 0 and < 1",
        ),
        (lambda: required_agents(10, 180, 1800, [0.8, 0.0], 20), "service_level[1] = 0.0"),
        (
            lambda: required_agents(10, 180, 1800, 0.8, 20, max_occupancy=1.2),
            "max_occupancy = 1.2: must be > 0 and <= 1",
        ),
        (
            lambda: required_agents(
                10, 180, 1800, 0.8, 20, patience_seconds=60, max_abandon_rate=1
            ),
            "max_abandon_rate = 1.0: must be > 0 and < 1",
        ),
        (
            lambda: required_agents(10, 180, 1800, 0.8, 20, max_abandon_rate=0.05),
            "max_abandon_rate = 0.05: needs patience_seconds",
        ),
        (
            lambda: required_agents(10, 180, 1800, 0.8, 20, max_asa_seconds=[5, -1]),
            "max_asa_seconds[1] = -1.0: must be > 0",
        ),
        (lambda: erlang_c_metrics([1, 2, 3], [1, 2], 180, 1800, 20), "agents (3,), calls (2,)"),
        (lambda: erlang_b("many", 3.0), "servers = 'many'"),
    ],
)
def test_bad_input_names_parameter_value_and_index(call, message):
    with pytest.raises(ValueError, match=None) as caught:
        call()
    assert message in str(caught.value)


def test_error_counts_the_other_bad_elements():
    with pytest.raises(ValueError, match=r"calls\[1\] = -1.0: .* \(2 more elements break it\)"):
        erlang_c_metrics(14, [1, -1, -2, -3], 180, 1800, 20)
