"""National routing, split or pooled: the five-centre emergency scenarios planned with the same
time limit, seed by seed (figures printed; not a timed test).

For each routing (``scenarios/national_emergency.yaml``, split; ``national_emergency_pooled.yaml``,
pooled) and each seed: the solver status, objective, best bound, gap, the call's wall and CPU
seconds (CPU of this process, CP-SAT's threads included), paid hours, cost and the national
service level and abandonment (calls-weighted over the sites), then each site's service level.

Usage: ``python bench/bench_national.py [--seeds 0 1 2] [--time-limit 20] [--days 1]``
(``--days 7`` plans the week: give it minutes, not seconds).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.domain.national import plan_site_kpis
from planner.io.scenario_file import load_scenario
from planner.overrides import apply_overrides
from planner.shiftplan import plan_shifts

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
FILES = {"split": "national_emergency.yaml", "pooled": "national_emergency_pooled.yaml"}


def _percent(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--days", type=int, default=None, help="horizon.days (default: file's)")
    args = parser.parse_args(argv)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"time limit {args.time_limit:g} s, one worker, seeds {args.seeds}")
    header = (
        "routing  seed  status    objective        bound            gap      wall s  CPU s  "
        "paid h   cost        national SL  abandoned  sites' SL"
    )
    print(header)
    for routing, name in FILES.items():
        scenario = load_scenario(SCENARIOS / name)
        if args.days is not None:
            scenario = apply_overrides(scenario, {"horizon.days": args.days})
        for seed in args.seeds:
            wall, cpu = time.perf_counter(), time.process_time()
            result = plan_shifts(scenario, time_limit_seconds=args.time_limit, seed=seed)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            s, k = result.solve, result.kpis
            if not s.has_plan:
                print(f"{routing:8} {seed:4}  {s.status:8}  no plan  {wall:7.1f} {cpu:6.1f}")
                continue
            sites = plan_site_kpis(scenario, result)
            national = sites.pop("national")
            by_site = " ".join(f"{n} {_percent(x.service_level)}" for n, x in sites.items())
            print(
                f"{routing:8} {seed:4}  {s.status:8}  {s.objective:15,.0f}  {s.best_bound:15,.0f}  "
                f"{s.gap:7.2%}  {wall:6.1f} {cpu:6.1f}  {k.paid_hours:7,.1f}  {k.cost:10,.0f}  "
                f"{_percent(national.service_level):>11}  {_percent(national.abandon_rate):>9}  "
                f"{by_site}  (check: {'valid' if result.validation.ok else 'INVALID'})"
            )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
