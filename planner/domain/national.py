"""Several centres in one scenario: the rules of ``sites`` and ``queues[].distribution``, and the
compile step that turns a national scenario into the single-centre structures.

:func:`national_issues` checks what the user wrote (reported with the file's field paths);
:func:`compile_sites` then rewrites the scenario, once, where every scenario is read
(:func:`planner.io.scenario_file.parse_scenario`), so that solving, simulating, rostering,
comparing, sweeping and the app all see the same compiled scenario:

- a ``split`` queue ``q`` becomes ``q@<site>`` for every site with a share, its demand the
  national demand times the share (added surge calls too; a multiplying surge is copied as is),
  its closures copied; the site's pools serve ``q@<site>`` instead of ``q``;
- a ``pooled`` queue stays one queue; every site's pools with the skill serve it;
- a site whose window (on the national clock) is narrower than the horizon's gets copies of its
  pools' shift templates, ``<template>@<site>``, whose earliest and latest starts keep its
  shifts inside its window.

The compiled scenario is itself a valid national scenario that compiles to itself (split queues
are already expanded, templates already copied), so writing it out and reading it back, or
changing one field of it (:mod:`planner.overrides`), gives the same structures.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from planner.domain.plan import PlanResult
from planner.domain.scenario import Queue, Scenario, ShiftTemplate, Surge
from planner.domain.sites import (
    Site,
    SiteKpis,
    national_name,
    site_kpis,
    site_of_name,
    site_queue_name,
)
from planner.errors import MISSING, InputIssue
from planner.profiles import profile_matrix
from planner.timegrid import clock_label

__all__ = [
    "compile_sites",
    "national_issues",
    "plan_site_kpis",
    "site_columns",
    "site_window",
]

_SUM_TOLERANCE = 1e-6


def site_window(s: Scenario, site: Site) -> tuple[int, int]:
    """A site's window on the national clock, minutes after midnight: its own window (the
    horizon's by default) less its clock offset."""
    h = s.horizon
    start = h.window_start if site.window_start is None else site.window_start
    end = h.window_end if site.window_end is None else site.window_end
    return start - site.clock_offset_minutes, end - site.clock_offset_minutes


# --------------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------------


def national_issues(s: Scenario) -> Iterator[InputIssue]:
    """Every rule of ``sites`` and ``distribution``, as issues (nothing raised). Assumes the
    single-centre rules (:func:`planner.domain.checks.check_scenario`) hold."""
    if not s.sites:
        yield from _without_sites(s)
        return
    site_names = [site.name for site in s.sites]
    seen: set[str] = set()
    for i, name in enumerate(site_names):
        if name in seen:
            yield InputIssue(f"sites[{i}].name", name, "is used twice; names must be unique")
        seen.add(name)
    yield from _check_site_pools(s)
    yield from _check_site_windows(s)
    yield from _check_distributions(s, set(site_names))
    yield from _check_compiled_names(s, set(site_names))
    yield from _check_pool_serves(s)


def _without_sites(s: Scenario) -> Iterator[InputIssue]:
    for i, queue in enumerate(s.queues):
        if queue.distribution is not None:
            yield InputIssue(
                f"queues[{i}].distribution",
                queue.distribution.rule,
                "needs sites: a distribution says how a queue's calls reach the sites, and the "
                "scenario lists none (add 'sites', or remove the distribution)",
            )


def _check_site_pools(s: Scenario) -> Iterator[InputIssue]:
    pool_names = {p.name for p in s.pools}
    home: dict[str, str] = {}
    for i, site in enumerate(s.sites):
        for j, pool in enumerate(site.pools):
            if pool not in pool_names:
                yield InputIssue(
                    f"sites[{i}].pools[{j}]",
                    pool,
                    f"names no pool; known: {', '.join(sorted(pool_names))}",
                )
            elif pool in home:
                yield InputIssue(
                    f"sites[{i}].pools[{j}]",
                    pool,
                    f"already works at site {home[pool]!r}: a pool belongs to one site",
                )
            else:
                home[pool] = site.name
    for i, pool in enumerate(s.pools):
        if pool.name not in home:
            yield InputIssue(
                f"pools[{i}].name",
                pool.name,
                "works at no site: list it under the pools of one of the sites",
            )


def _check_site_windows(s: Scenario) -> Iterator[InputIssue]:
    h = s.horizon
    for i, site in enumerate(s.sites):
        path = f"sites[{i}]"
        start, end = site_window(s, site)
        local = f"{clock_label(start + site.clock_offset_minutes)}-"
        local += clock_label(end + site.clock_offset_minutes)
        if end <= start:
            yield InputIssue(f"{path}.window_end", local, "must be later than window_start")
            continue
        if start < h.window_start or end > h.window_end:
            yield InputIssue(
                f"{path}.window_start",
                local,
                f"on the national clock ({clock_label(start)}-{clock_label(end)}, clock offset "
                f"{site.clock_offset_minutes} min) must lie inside the horizon's window "
                f"{clock_label(h.window_start)}-{clock_label(h.window_end)}",
            )
            continue
        if (start - h.window_start) % h.interval_minutes or (end - start) % h.interval_minutes:
            yield InputIssue(
                f"{path}.window_start",
                local,
                f"must start and end on the horizon's {h.interval_minutes}-minute intervals "
                "(on the national clock)",
            )
            continue
        for pool_name in site.pools:
            if not any(p.name == pool_name for p in s.pools):
                continue
            for name in s.pool(pool_name).shift_templates:
                if site_of_name(name) is not None or not _has_template(s, name):
                    continue
                first, last = _site_start_range(s, s.template(name), start, end)
                if first > last:
                    yield InputIssue(
                        f"{path}.window_end",
                        local,
                        f"leaves no start for shift template {name!r} of pool {pool_name!r} "
                        f"({s.template(name).length_minutes} min) inside the site's window",
                    )


def _has_template(s: Scenario, name: str) -> bool:
    return any(t.name == name for t in s.shift_templates)


def _site_start_range(s: Scenario, t: ShiftTemplate, start: int, end: int) -> tuple[int, int]:
    first, last = s.template_start_range(t)
    first = max(first, start)
    # the template's own start grid is kept: round the site's first start up onto it
    offset = (first - s.template_start_range(t)[0]) % t.start_step_minutes
    first += (t.start_step_minutes - offset) % t.start_step_minutes
    return first, min(last, end - t.length_minutes)


def _check_distributions(s: Scenario, sites: set[str]) -> Iterator[InputIssue]:
    n = s.grid.intervals_per_day
    for i, queue in enumerate(s.queues):
        path = f"queues[{i}].distribution"
        if site_of_name(queue.name) in sites:
            if queue.distribution is not None:
                yield InputIssue(
                    path,
                    queue.distribution.rule,
                    f"is not allowed on {queue.name!r}: a queue of one site (named "
                    "<queue>@<site>) is already distributed",
                )
            continue
        d = queue.distribution
        if d is None:
            yield InputIssue(
                path,
                MISSING,
                "is required when the scenario has sites: 'rule: split' with shares per site, "
                "or 'rule: pooled'",
            )
            continue
        if d.rule == "pooled":
            if d.shares is not None:
                yield InputIssue(
                    f"{path}.shares",
                    dict(d.shares),
                    "is only for rule 'split': a pooled queue's calls go to whichever site's "
                    "agents the optimiser allocates",
                )
            continue
        yield from _check_split(s, i, queue, sites, n)


def _check_split(s: Scenario, i: int, queue: Queue, sites: set[str], n: int):
    path = f"queues[{i}].distribution.shares"
    shares = queue.distribution.shares
    if not shares:
        yield InputIssue(path, MISSING, "is required for rule 'split': a share per site")
        return
    total = np.zeros(n)
    for site, share in shares.items():
        if site not in sites:
            yield InputIssue(
                f"{path}.{site}", share, f"names no site; known: {', '.join(sorted(sites))}"
            )
            continue
        if isinstance(share, list) and len(share) != n:
            yield InputIssue(
                f"{path}.{site}",
                f"{len(share)} shares",
                f"needs one share per {s.horizon.interval_minutes}-minute interval of the "
                f"window ({n}), or one number for every interval",
            )
            return
        total += np.asarray(share, dtype=float)
        if np.any(np.asarray(share) > 0) and not _site_serves(s, site, queue.name):
            yield InputIssue(
                f"{path}.{site}",
                share,
                f"sends calls to site {site!r}, whose pools have no skill {queue.name!r}",
            )
    bad = np.flatnonzero(np.abs(total - 1.0) > _SUM_TOLERANCE)
    if bad.size:
        where = "" if total.std() == 0 else f" at {s.grid.interval_labels[int(bad[0])]}"
        yield InputIssue(
            path,
            dict(shares),
            f"must sum to 1 over the sites{where} (they sum to {total[bad[0]]:g})",
        )
    demand = queue.demand
    if demand is not None and (demand.forecast_csv or demand.history_csv):
        yield InputIssue(
            f"queues[{i}].demand",
            demand.forecast_csv or demand.history_csv,
            "a split queue's demand must be calls_per_day, calls_per_weekday or calls_by_day "
            "(a forecast file is for one queue: give each site its own queue, or use rule "
            "'pooled')",
        )
    per_interval = any(isinstance(v, list) for v in shares.values())
    profiles = [demand.profile] if demand is not None else []
    profiles += [u.profile for u in s.surges if u.queue == queue.name and u.profile is not None]
    if per_interval and "bank_by_weekday" in profiles:
        yield InputIssue(
            path,
            "shares by interval",
            "need a profile that is the same every day ('bank_by_weekday' differs by weekday): "
            "give one share per site, or another profile",
        )


def _site_serves(s: Scenario, site: str, queue: str) -> bool:
    pools = next(x.pools for x in s.sites if x.name == site)
    return any(queue in p.skills for p in s.pools if p.name in pools)


def _check_pool_serves(s: Scenario) -> Iterator[InputIssue]:
    """A pool must keep a queue at its site: a split queue whose shares give its site nothing
    is not served there."""
    for i, pool in enumerate(s.pools):
        site = s.pool_site(pool.name)
        served = [q for q in s.queues if q.name in pool.skills and _served_at(q, site)]
        if site is not None and not served:
            yield InputIssue(
                f"pools[{i}].skills",
                pool.skills,
                f"serve no queue at site {site!r}: every one is split with no share there",
            )


def _served_at(queue: Queue, site: str | None) -> bool:
    d = queue.distribution
    return d is None or d.rule == "pooled" or (d.shares is not None and _has_share(queue, site))


def _check_compiled_names(s: Scenario, sites: set[str]) -> Iterator[InputIssue]:
    named = [("queues", q.name) for q in s.queues]
    named += [("shift_templates", t.name) for t in s.shift_templates]
    for kind, name in named:
        site = site_of_name(name)
        if "@" in name and site not in sites:
            index = next(i for i, (k, n) in enumerate(named) if (k, n) == (kind, name))
            index -= 0 if kind == "queues" else len(s.queues)
            yield InputIssue(
                f"{kind}[{index}].name",
                name,
                f"'@' joins a name to a site, and {site!r} names no site; known: "
                f"{', '.join(sorted(sites))}",
            )


# --------------------------------------------------------------------------------------------------
# Compile
# --------------------------------------------------------------------------------------------------


def compile_sites(s: Scenario) -> Scenario:
    """The single-centre structures of a national scenario (see the module docstring); a
    scenario without sites is returned as it is. Assumes :func:`national_issues` found none."""
    if not s.sites:
        return s
    templates = {t.name: t for t in s.shift_templates}
    used: set[str] = set()
    pools = []
    split = {q.name: q for q in s.queues if q.distribution and q.distribution.rule == "split"}
    for pool in s.pools:
        site = next(x for x in s.sites if pool.name in x.pools)
        names = [_site_template(s, templates, site, templates[n]) for n in pool.shift_templates]
        used.update(names)
        skills = []
        for skill in pool.skills:
            if skill not in split:
                skills.append(skill)
            elif _has_share(split[skill], site.name):
                skills.append(site_queue_name(skill, site.name))
        pools.append(pool.model_copy(update={"skills": skills, "shift_templates": names}))
    was_used = {n for p in s.pools for n in p.shift_templates}
    replaced = {n for n in templates if n in was_used and n not in used}
    queues, surges = [], [u for u in s.surges if u.queue not in split]
    modes = []
    for queue in s.queues:
        if queue.name not in split:
            queues.append(queue)
            continue
        for site in s.sites:
            if _has_share(queue, site.name):
                queues.append(_site_queue(s, queue, site.name))
                surges += [
                    _site_surge(s, u, queue, site.name) for u in s.surges if u.queue == queue.name
                ]
    for mode in s.operating_modes:
        closed = []
        for name in mode.closed_queues:
            if name in split:
                closed += [q.name for q in queues if national_name(q.name) == name]
            else:
                closed.append(name)
        modes.append(mode.model_copy(update={"closed_queues": closed}))
    compiled = s.model_copy(
        update={
            "queues": queues,
            "surges": surges,
            "operating_modes": modes,
            "pools": pools,
            "shift_templates": [t for n, t in templates.items() if n not in replaced],
        }
    )
    compiled._source = s._source
    return compiled


def _has_share(queue: Queue, site: str) -> bool:
    share = queue.distribution.shares.get(site)
    return share is not None and bool(np.any(np.asarray(share) > 0))


def _site_template(s: Scenario, templates: dict, site: Site, t: ShiftTemplate) -> str:
    """The template the site's pools work: ``t`` when the site's window is the horizon's (or
    ``t`` is already a site's copy), else its copy ``<t>@<site>`` (added to ``templates``)."""
    start, end = site_window(s, site)
    h = s.horizon
    if site_of_name(t.name) is not None or (start, end) == (h.window_start, h.window_end):
        return t.name
    name = site_queue_name(t.name, site.name)
    if name not in templates:
        first, last = _site_start_range(s, t, start, end)
        templates[name] = t.model_copy(
            update={"name": name, "earliest_start": first, "latest_start": last}
        )
    return name


def _site_queue(s: Scenario, queue: Queue, site: str) -> Queue:
    share = queue.distribution.shares[site]
    demand = queue.demand
    if demand is not None:
        factor, profile = _scaled_profile(s, demand.profile, share)
        demand = demand.model_copy(
            update={
                "calls_per_day": _times(demand.calls_per_day, factor),
                "calls_per_weekday": None
                if demand.calls_per_weekday is None
                else {k: v * factor for k, v in demand.calls_per_weekday.items()},
                "calls_by_day": None
                if demand.calls_by_day is None
                else [v * factor for v in demand.calls_by_day],
                "profile": profile,
            }
        )
    return queue.model_copy(
        update={"name": site_queue_name(queue.name, site), "demand": demand, "distribution": None}
    )


def _site_surge(s: Scenario, surge: Surge, queue: Queue, site: str) -> Surge:
    share = queue.distribution.shares[site]
    factor, profile = 1.0, surge.profile
    if surge.added_calls_per_day:
        own = surge.profile if surge.profile is not None else queue.demand.profile
        factor, profile = _scaled_profile(s, own, share)
        profile = profile if (surge.profile is not None or isinstance(share, list)) else None
    return surge.model_copy(
        update={
            "name": site_queue_name(surge.name, site),
            "queue": site_queue_name(queue.name, site),
            "added_calls_per_day": surge.added_calls_per_day * factor,
            "profile": profile,
        }
    )


def _scaled_profile(s: Scenario, profile, share) -> tuple[float, str | list[float]]:
    """The factor on a day's calls and the profile of a site's part: a share for every interval
    scales the calls and keeps the profile; shares by interval reshape it (``p x r``, its sum
    the factor, normalised)."""
    if not isinstance(share, list):
        return float(share), profile
    weighted = profile_matrix(profile, s.grid)[0] * np.asarray(share, dtype=float)
    total = float(weighted.sum())
    if total <= 0:
        return 0.0, profile
    return total, [float(x) for x in weighted / total]


def _times(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


# --------------------------------------------------------------------------------------------------
# Reporting by site
# --------------------------------------------------------------------------------------------------


def plan_site_kpis(s: Scenario, result: PlanResult) -> dict[str, SiteKpis]:
    """Per site and ``national`` (:func:`planner.domain.sites.site_kpis`); empty without sites."""
    if not s.sites:
        return {}
    k = result.kpis
    return site_kpis(
        s.sites,
        result.coverage,
        result.plan.allocation,
        result.plan.pool_names,
        result.plan.queue_names,
        {p.name: p.skills for p in s.pools},
        k.paid_hours_by_pool,
        k.cost_by_pool,
    )


def site_columns(s: Scenario, table: pd.DataFrame) -> pd.DataFrame:
    """A plan table with a ``site`` column after its ``pool`` or ``queue`` column: the pool's
    site, or the queue's (``national`` for a queue every site serves). Unchanged without sites
    or without such a column."""
    if not s.sites:
        return table
    if "pool" in table.columns:
        column, sites = "pool", table["pool"].map(s.pool_site)
    elif "queue" in table.columns:
        column, sites = "queue", table["queue"].map(s.queue_site)
    else:
        return table
    table = table.copy()
    table.insert(table.columns.get_loc(column) + 1, "site", sites)
    return table
