"""Several centres in one scenario: the sites, how a national queue's calls reach them, and what
each site achieves.

A national scenario lists its ``sites`` (contact centres), each with its operating window and
the pools of operators working there, and gives every queue a ``distribution``:

``split``
    The calls are shared out between sites in fixed ``shares`` (one number per site, or one per
    interval of the day); each site answers its own share with its own agents. The queue becomes
    one queue per site, named ``<queue>@<site>``, whose demand is the national demand times the
    site's share, served by that site's pools only.
``pooled``
    One national queue, served by every agent of every site holding the skill; the optimiser's
    allocation of agents to the queue decides which site answers which calls.

A site's window is written on its own clock (``clock_offset_minutes``: the site's clock minus
the national one, the horizon's clock); on the national clock it is shifted back by that offset
and must lie inside the horizon's window. Site windows are enforced by the shift templates: a
site's pools work copies of their templates named ``<template>@<site>`` whose earliest and
latest starts keep every shift inside the site's window.

The compile step (:func:`planner.domain.national.compile_sites`) turns such a scenario into the
single-centre structures the optimiser, the simulator and the rosters already use; this module
holds the schema objects, the naming rules and the per-site KPIs of a plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from planner.timegrid import clock_label, parse_clock

__all__ = [
    "NATIONAL",
    "SITE_SEPARATOR",
    "Distribution",
    "Site",
    "SiteKpis",
    "national_name",
    "site_kpis",
    "site_of_name",
    "site_queue_name",
]

SITE_SEPARATOR = "@"
"""Joins a national name and a site: ``consulting@kokshetau``, ``day_8h@aktau``."""

NATIONAL = "national"
"""The ``site`` shown for rows served by every site (a pooled queue's coverage)."""

SiteName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$", max_length=32)]
"""A site's name: as any name, without ``@`` (which joins names to sites)."""

_ClockTime = Annotated[
    int,
    BeforeValidator(parse_clock),
    PlainSerializer(clock_label, return_type=str),
]
_Share = Annotated[float, Field(ge=0.0, le=1.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class Site(_Strict):
    """A contact centre: its name, its operating window on its own clock and its pools.

    ``window_start`` / ``window_end`` default to the horizon's window. ``clock_offset_minutes``
    is the site's clock minus the national (horizon) clock: a site one hour behind the capital
    writes ``-60``, and its 09:00-21:00 is 10:00-22:00 on the national clock. Per-site costs are
    the ``cost_per_hour`` of the site's pools (every pool belongs to exactly one site).
    """

    name: SiteName
    pools: list[Annotated[str, Field(max_length=64)]] = Field(min_length=1)
    window_start: _ClockTime | None = None
    window_end: _ClockTime | None = None
    clock_offset_minutes: int = Field(default=0, ge=-720, le=720)
    description: str = ""


class Distribution(_Strict):
    """How a national queue's calls reach the sites (see the module docstring).

    ``shares`` (``split`` only): per site, its share of the calls, one number (every interval)
    or a list with one share per interval of the day; per interval the shares sum to 1. A site
    not listed gets none of the queue's calls.
    """

    rule: Literal["split", "pooled"]
    shares: dict[SiteName, _Share | list[_Share]] | None = None


def site_queue_name(queue: str, site: str) -> str:
    """The name of a split queue's part answered at ``site``: ``<queue>@<site>``."""
    return f"{queue}{SITE_SEPARATOR}{site}"


def site_of_name(name: str) -> str | None:
    """The site a compiled name belongs to (``consulting@aktau`` -> ``aktau``), else None."""
    national, sep, site = name.rpartition(SITE_SEPARATOR)
    return site if sep and national else None


def national_name(name: str) -> str:
    """The national name a compiled name was made from (``consulting@aktau`` -> ``consulting``)."""
    national, sep, _ = name.rpartition(SITE_SEPARATOR)
    return national if sep and national else name


# --------------------------------------------------------------------------------------------------
# KPIs per site
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteKpis:
    """What one site (or the nation, summed over sites) achieves over the horizon.

    Attributes
    ----------
    calls : float
        Calls the site answers or loses: a split queue's site part whole; of a pooled queue's
        calls in an interval, the share of the agents answering it who work at the site (split
        evenly between the sites that can serve it when nobody does).
    service_level : float or None
        Calls answered within the target time over those calls (abandons are failures).
    abandon_rate : float or None
        Calls abandoned over those calls (queues without patience count none).
    asa_seconds : float or None
        Average speed of answer over answered calls; ``inf`` when an interval with calls of the
        site is unstable; None without answered calls.
    paid_hours, cost : float
        Of the site's pools.
    """

    calls: float
    service_level: float | None
    abandon_rate: float | None
    asa_seconds: float | None
    paid_hours: float
    cost: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "service_level": self.service_level,
            "abandon_rate": self.abandon_rate,
            "asa_seconds": self.asa_seconds,
            "paid_hours": self.paid_hours,
            "cost": self.cost,
        }


def site_kpis(
    sites: Sequence[Site],
    coverage: pd.DataFrame,
    allocation: np.ndarray,
    pool_names: Sequence[str],
    queue_names: Sequence[str],
    skills: Mapping[str, Sequence[str]],
    paid_hours_by_pool: Mapping[str, float],
    cost_by_pool: Mapping[str, float],
) -> dict[str, SiteKpis]:
    """Per site, then ``national`` (the sums over sites), from a plan's coverage and allocation.

    Parameters
    ----------
    coverage : pandas.DataFrame
        The plan's coverage (:func:`planner.evaluate.coverage_table`): ``queue, day_index,
        interval, open, calls, answered_within_target, answered, abandon_rate, asa_seconds``.
    allocation : numpy.ndarray of int, shape (pools, queues, days, intervals)
        Agents of each pool answering each queue.
    skills : mapping of str to sequence of str
        Each pool's queues.

    Notes
    -----
    Every figure is a sum of calls-weighted interval figures, ``w[s, r] x calls[r] x f[r]``
    over the coverage rows ``r``, with weights that sum to 1 over sites for every row; so the
    national figures (sums over sites) are the calls-weighted averages of the queues' figures.
    """
    names = [s.name for s in sites]
    pool_site = {pool: s.name for s in sites for pool in s.pools}
    rows = coverage[coverage["open"].to_numpy(dtype=bool)]
    weights = np.zeros((len(names), len(rows)))
    queue_col = rows["queue"].to_numpy()
    day = rows["day_index"].to_numpy()
    interval = rows["interval"].to_numpy()
    for q, queue in enumerate(queue_names):
        mask = queue_col == queue
        if not mask.any():
            continue
        home = _home_site(queue, names)
        if home is not None:
            weights[names.index(home), mask] = 1.0
            continue
        by_site = np.zeros((len(names), int(mask.sum())))
        for p, pool in enumerate(pool_names):
            if pool in pool_site:
                by_site[names.index(pool_site[pool])] += allocation[p, q, day[mask], interval[mask]]
        serving = np.array(
            [any(queue in skills[p] for p in s.pools if p in skills) for s in sites], dtype=float
        )
        fallback = serving / serving.sum() if serving.sum() else np.full(len(names), 1 / len(names))
        total = by_site.sum(axis=0)
        safe = np.where(total > 0, total, 1.0)
        weights[:, mask] = np.where(total > 0, by_site / safe, fallback[:, None])
    calls = rows["calls"].to_numpy(dtype=float)
    in_time = rows["answered_within_target"].to_numpy(dtype=float)
    answered = rows["answered"].to_numpy(dtype=float)
    abandoned = np.nan_to_num(rows["abandon_rate"].to_numpy(dtype=float), nan=0.0) * calls
    asa = rows["asa_seconds"].to_numpy(dtype=float)
    unstable = np.isinf(asa) & (calls > 0)
    waited = np.where(np.isfinite(asa), asa, 0.0) * answered
    result: dict[str, SiteKpis] = {}
    for k, site in enumerate([*sites, None]):
        w = weights.sum(axis=0) if site is None else weights[k]
        pools = list(pool_site) if site is None else site.pools
        result[NATIONAL if site is None else site.name] = _kpis(
            w @ calls,
            w @ in_time,
            w @ abandoned,
            w @ answered,
            w @ waited,
            bool(np.any(unstable & (w > 0))),
            sum(paid_hours_by_pool.get(p, 0.0) for p in pools),
            sum(cost_by_pool.get(p, 0.0) for p in pools),
        )
    return result


def _home_site(queue: str, sites: list[str]) -> str | None:
    site = site_of_name(queue)
    return site if site in sites else None


def _kpis(calls, in_time, abandoned, answered, waited, unstable, paid, cost) -> SiteKpis:
    def ratio(a: float, b: float) -> float | None:
        return float(a) / float(b) if b > 0 else None

    return SiteKpis(
        calls=float(calls),
        service_level=ratio(in_time, calls),
        abandon_rate=ratio(abandoned, calls),
        asa_seconds=float("inf") if unstable else ratio(waited, answered),
        paid_hours=float(paid),
        cost=float(cost),
    )
