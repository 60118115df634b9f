"""Optimiser benchmarks: speed and quality of shift plans (figures printed; not a timed test).

Sections (run all, or name some on the command line):

- ``emergency``: emergency.yaml, 7 days, one worker: time to the first plan, time until the gap
  is proved at most 1 %, the gap at 20 s, and paid hours over the requirement's agent-hours.
- ``daily``: the saving of ``daily`` mode over ``interval`` mode at the same daily service level
  (baseline.yaml: daily mode is given, as its target, the worst daily service level the
  interval-mode plan reaches).
- ``peer``: the peer's instance (pyworkforce), reproduced: 7 days x 48 quarter hours; consulting
  5,000 calls on an average weekday (AHT 300 s; Mon 1.10, Tue 1.00, Wed 0.97, Thu 0.95, Fri 0.98,
  Sat 0.55, Sun 0.40), emergency 1,000 (AHT 420 s; Sat 0.90, Sun 0.85); 80/20; 30 % shrinkage;
  shifts of 4, 8 and 12 h starting on the half hour; the measured bank profile. The peer needed
  6,732 paid hours to cover every interval without breaks.
- ``long``: emergency.yaml over 28 days: the gap within 60 s.
- ``scale``: issue 13's and 12's targets on emergency.yaml, each case once with its limit:
  daily mode (20 s), 5-minute intervals (60 s), 28 days with the monthly overtime caps (60 s),
  28 days with a 30 % part-time share (60 s), 56 days (180 s), 13 weeks (300 s) and 2,400
  operators over 28 days with calls to match (``operators_2400``, 120 s; :func:`thousands`);
  status, gap,
  wall and CPU time (the process's, all threads), and the load average before each case.
  Name cases after ``scale`` to run some: ``scale daily five``.

Usage: ``python bench/bench_optimise.py [emergency] [daily] [peer] [long] [scale [case ...]]``
"""

from __future__ import annotations

import copy
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.demand import build_demand
from planner.io.scenario_file import load_scenario, parse_scenario
from planner.io.yaml_strict import read_yaml
from planner.shiftplan import plan_shifts
from planner.staffing import build_requirement

PEER_PAID_HOURS = 6732.0
PEER_REQUIRED_HOURS = 5833.75


class GapClock:
    """Progress callback noting when a plan first exists and when the gap first falls below
    each threshold."""

    def __init__(self, thresholds=(0.05, 0.02, 0.01)):
        self.first: float | None = None
        self.reached: dict[float, float] = {}
        self.thresholds = thresholds

    def __call__(self, p) -> None:
        if p.objective is not None and self.first is None:
            self.first = p.elapsed_seconds
        if p.gap is not None:
            for g in self.thresholds:
                if p.gap <= g and g not in self.reached:
                    self.reached[g] = p.elapsed_seconds

    def at(self, g: float) -> str:
        return f"{self.reached[g]:.2f} s" if g in self.reached else "not within the limit"


def solve(scenario, **overrides):
    clock = GapClock()
    started = time.perf_counter()
    result = plan_shifts(scenario, progress=clock, **overrides)
    wall = time.perf_counter() - started
    assert result.validation.ok, result.validation.summary()
    return result, clock, wall


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, "
        f"load average {load:.1f} at start"
    )


def bench_emergency(repeats: int = 3) -> None:
    print("\n## emergency.yaml (7 days, interval mode, one worker, 20 s limit, gap stop 0.1 %)")
    scenario = load_scenario("scenarios/emergency.yaml")
    for k in range(repeats):
        result, clock, wall = solve(scenario, time_limit_seconds=20.0, relative_gap=0.001)
        k_ = result.kpis
        print(
            f"run {k + 1}: first plan {clock.first:.2f} s; gap <= 5 % {clock.at(0.05)}, "
            f"<= 1 % {clock.at(0.01)}; final {result.solve.status} gap {result.solve.gap:.2%} "
            f"after {result.solve.solve_seconds:.1f} s (wall {wall:.1f} s); paid hours "
            f"{k_.paid_hours:.1f} / required agent-hours {k_.required_agent_hours:.1f} = "
            f"{k_.paid_to_required_ratio:.3f}; understaffed intervals "
            f"{k_.understaffed_intervals}"
        )
    print(
        "(the week is short of staff: paid hours are capped by what the pools' operators may "
        "work under the labour rules, hence a ratio below 1)"
    )
    baseline = load_scenario("scenarios/baseline.yaml")
    result, clock, wall = solve(baseline, time_limit_seconds=20.0, relative_gap=0.001)
    k_ = result.kpis
    print(
        f"baseline.yaml for reference: first plan {clock.first:.2f} s, gap <= 1 % "
        f"{clock.at(0.01)}; paid / required = {k_.paid_to_required_ratio:.3f} "
        f"(every interval covered: {k_.understaffed_intervals == 0})"
    )


def with_mode(scenario, mode: str, targets: dict[str, float] | None = None):
    queues = [
        q.model_copy(update={"service_level": targets[q.name]}) if targets else q
        for q in scenario.queues
    ]
    service = scenario.service.model_copy(update={"mode": mode})
    return scenario.model_copy(update={"service": service, "queues": queues})


def bench_daily() -> None:
    print("\n## daily mode against interval mode at the same daily service level (baseline.yaml)")
    base = load_scenario("scenarios/baseline.yaml")
    requirement = build_requirement(base, build_demand(base))
    by_interval, _, _ = solve(base, requirement=requirement, time_limit_seconds=20.0)
    worst = by_interval.kpis_daily.groupby("queue")["service_level"].min().to_dict()
    print(
        f"interval mode: {by_interval.kpis.paid_hours:.1f} paid hours, daily service levels "
        f"{_levels(by_interval)}"
    )
    same_level = with_mode(base, "daily", {q: v - 1e-6 for q, v in worst.items()})
    by_day, _clock, _ = solve(same_level, requirement=requirement, time_limit_seconds=20.0)
    saving = 1 - by_day.kpis.paid_hours / by_interval.kpis.paid_hours
    print(
        f"daily mode, target = interval mode's worst day ({_fmt(worst)}): "
        f"{by_day.kpis.paid_hours:.1f} paid hours ({saving:.1%} fewer), daily service levels "
        f"{_levels(by_day)}; gap {by_day.solve.gap:.2%} at 20 s"
    )
    nominal, _, _ = solve(
        with_mode(base, "daily"), requirement=requirement, time_limit_seconds=20.0
    )
    saving = 1 - nominal.kpis.paid_hours / by_interval.kpis.paid_hours
    print(
        f"daily mode at the nominal 80 % target: {nominal.kpis.paid_hours:.1f} paid hours "
        f"({saving:.1%} fewer than interval mode), daily service levels {_levels(nominal)}; "
        f"gap {nominal.solve.gap:.2%}"
    )


def _levels(result) -> str:
    daily = result.kpis_daily.groupby("queue")["service_level"]
    return ", ".join(f"{q} {s.min():.1%}-{s.max():.1%}" for q, s in daily)


def _fmt(levels: dict[str, float]) -> str:
    return ", ".join(f"{q} {v:.1%}" for q, v in levels.items())


def peer_data(*, breaks: bool, part_time_cap: float | None, pooled: bool) -> dict:
    consulting = {
        "mon": 1.10,
        "tue": 1.00,
        "wed": 0.97,
        "thu": 0.95,
        "fri": 0.98,
        "sat": 0.55,
        "sun": 0.40,
    }
    emergency = {
        "mon": 1.0,
        "tue": 1.0,
        "wed": 1.0,
        "thu": 1.0,
        "fri": 1.0,
        "sat": 0.90,
        "sun": 0.85,
    }
    meal = [
        {
            "name": "meal",
            "length_minutes": 30,
            "earliest_start_after_minutes": 180,
            "latest_start_after_minutes": 300,
        }
    ]
    templates = [
        {"name": "part_4h", "length_minutes": 240, "part_time": True},
        {"name": "day_8h", "length_minutes": 480, "breaks": meal if breaks else []},
        {
            "name": "long_12h",
            "length_minutes": 720,
            "breaks": [{**meal[0], "latest_start_after_minutes": 420}] if breaks else [],
        },
    ]
    pool = {
        "headcount": 400,
        "cost_per_hour": 1.0,
        "shift_templates": [t["name"] for t in templates],
        "max_hours_per_week": 52,
        "max_part_time_share": part_time_cap,
    }
    pool = {k: v for k, v in pool.items() if v is not None}
    pools = (
        [{"name": "everyone", "skills": ["consulting", "emergency"], **pool}]
        if pooled
        else [
            {"name": "consulting_team", "skills": ["consulting"], **pool},
            {"name": "emergency_team", "skills": ["emergency"], **pool},
        ]
    )

    def queue(name, aht, volume, factors):
        calls = {day: volume * f for day, f in factors.items()}
        return {
            "name": name,
            "aht_seconds": aht,
            "shrinkage": 0.3,
            "demand": {"calls_per_weekday": calls, "profile": "bank_weekday"},
        }

    return {
        "schema_version": 1,
        "name": "peer instance",
        "horizon": {"start_date": "2024-01-01", "days": 7},
        "queues": [
            queue("consulting", 300, 5000, consulting),
            queue("emergency", 420, 1000, emergency),
        ],
        "shift_templates": templates,
        "pools": pools,
        "solver": {"time_limit_seconds": 30.0, "relative_gap": 0.001, "workers": 1},
    }


def bench_peer() -> None:
    print("\n## the peer's instance (pyworkforce), reproduced")
    cases = [
        ("same rules as the peer: no breaks, no part-time cap", {}, "interval"),
        (
            "30-min meal break in 8 h and 12 h shifts, part-time <= 30 %",
            {"breaks": True, "part_time_cap": 0.3},
            "interval",
        ),
        (
            "as above, the two lines pooled (one cross-trained team)",
            {"breaks": True, "part_time_cap": 0.3, "pooled": True},
            "interval",
        ),
        (
            "as above (split lines), daily mode at 80/20 a day",
            {"breaks": True, "part_time_cap": 0.3},
            "daily",
        ),
    ]
    for label, options, mode in cases:
        settings = {"breaks": False, "part_time_cap": None, "pooled": False, **options}
        scenario = with_mode(parse_scenario(peer_data(**settings), source="peer"), mode)
        result, clock, wall = solve(scenario)
        k_ = result.kpis
        shifts = result.shifts
        part = shifts.loc[shifts["template"] == "part_4h", "agents"].sum() / shifts["agents"].sum()
        print(
            f"{label}: {k_.paid_hours:,.2f} paid hours ({k_.paid_hours / PEER_PAID_HOURS:.3f}"
            f" x the peer's 6,732), required agent-hours {k_.required_agent_hours:,.2f} (peer "
            f"{PEER_REQUIRED_HOURS:,.2f}), understaffed intervals {k_.understaffed_intervals}, "
            f"4-hour shifts {part:.0%}; daily service levels {_levels(result)}; "
            f"{result.solve.status}, gap {result.solve.gap:.3%}, "
            f"first plan {clock.first:.2f} s, gap <= 1 % {clock.at(0.01)}, wall {wall:.1f} s"
        )


def bench_long() -> None:
    print("\n## emergency.yaml over 28 days (one worker, 60 s limit)")
    data = read_yaml(Path("scenarios/emergency.yaml").read_text(), "emergency.yaml")
    data = copy.deepcopy(data)
    data["horizon"]["days"] = 28
    scenario = parse_scenario(data, source="emergency.yaml (28 days)")
    for gap in (0.01, 0.001):
        result, clock, _ = solve(scenario, time_limit_seconds=60.0, relative_gap=gap)
        solved = result.solve
        print(
            f"stop at gap {gap:.1%}: {solved.independent_parts} independent weeks; a plan "
            f"for every week at {clock.first:.2f} s; gap <= 2 % {clock.at(0.02)}; final "
            f"{solved.status} gap {solved.gap:.2%} after {solved.solve_seconds:.1f} s; "
            f"{len(result.shifts)} shift rows"
        )


def emergency_variant(
    *, days: int = 7, minutes: int = 15, mode: str = "interval", part_time: float | None = None
):
    """emergency.yaml changed as the case says, nothing else."""
    data = copy.deepcopy(read_yaml(Path("scenarios/emergency.yaml").read_text(), "emergency.yaml"))
    data["horizon"]["days"] = days
    data["horizon"]["interval_minutes"] = minutes
    data.setdefault("service", {})["mode"] = mode
    if part_time is not None:
        for pool in data["pools"]:
            pool["max_part_time_share"] = part_time
    label = f"emergency.yaml, {days} days, {minutes} min, {mode} mode"
    if part_time is not None:
        label += f", part-time <= {part_time:.0%}"
    return parse_scenario(data, source=label)


def thousands(operators: int = 2400):
    """Issue 13's "thousands of operators": emergency.yaml over 28 days with ``operators``
    operators (a third per pool) and its calls scaled with them: the roster bench's ``large``
    case (300 operators, calls 4x, surges decaying over a fortnight) times ``operators / 300``
    (2,400: consulting 44,800 calls a day, the missing-persons line 96,000 more at its peak;
    requirement up to 2,192 agents an interval)."""
    data = copy.deepcopy(read_yaml(Path("scenarios/emergency.yaml").read_text(), "emergency.yaml"))
    factor = operators / 300
    data["name"] = f"Scale: {operators} operators, 28 days"
    data["horizon"]["days"] = 28
    data["queues"][0]["demand"]["calls_per_day"] = round(4 * 1400 * factor)
    data["surges"][0]["half_life_days"] = 10
    data["surges"][1]["added_calls_per_day"] = round(4 * 3000 * factor)
    data["surges"][1]["half_life_days"] = 14
    for pool in data["pools"]:
        pool["headcount"] = operators // 3
    data["headcount_changes"] = []
    return parse_scenario(
        data, source=f"emergency.yaml x {factor:g}, 28 days, {operators} operators"
    )


SCALE_CASES = {
    "daily": ({"mode": "daily"}, 20.0),
    "five": ({"minutes": 5}, 60.0),
    "month": ({"days": 28}, 60.0),
    "month_part_time": ({"days": 28, "part_time": 0.3}, 60.0),
    "two_months": ({"days": 56}, 180.0),
    "quarter": ({"days": 91}, 300.0),
    "operators_2400": ({"operators": 2400}, 120.0),
}


def bench_scale(cases: list[str]) -> None:
    print("\n## issue 12 and 13 targets (one worker, stop at 1 %)")
    for name in cases or list(SCALE_CASES):
        options, limit = SCALE_CASES[name]
        make = thousands if "operators" in options else emergency_variant
        scenario = make(**options)
        load = os.getloadavg()[0]
        cpu = time.process_time()
        result, clock, wall = solve(scenario, time_limit_seconds=limit, relative_gap=0.01)
        cpu = time.process_time() - cpu
        solved = result.solve
        print(
            f"{name} ({scenario.source}; limit {limit:.0f} s; load {load:.1f} before): "
            f"{solved.status}, gap {solved.gap:.2%}; gap <= 2 % {clock.at(0.02)}, <= 1 % "
            f"{clock.at(0.01)}; wall {wall:.1f} s, CPU {cpu:.1f} s; parts "
            f"{solved.independent_parts}; paid hours {result.kpis.paid_hours:,.1f}; plan from "
            f"{getattr(solved, 'plan_source', 'solver')}"
        )


SECTIONS = {
    "emergency": bench_emergency,
    "daily": bench_daily,
    "peer": bench_peer,
    "long": bench_long,
    "scale": bench_scale,
}

if __name__ == "__main__":
    os.chdir(Path(__file__).resolve().parent.parent)
    chosen = sys.argv[1:] or list(SECTIONS)
    if "scale" in chosen:
        at = chosen.index("scale")
        chosen, cases = chosen[:at], chosen[at + 1 :]
        unknown = [c for c in cases if c not in SCALE_CASES]
        if unknown:
            sys.exit(f"unknown scale case(s) {unknown}; choose from {list(SCALE_CASES)}")
    else:
        cases = None
    print(f"# bench_optimise ({time.strftime('%Y-%m-%d')}; {machine()})")
    for name in chosen:
        SECTIONS[name]()
    if cases is not None:
        bench_scale(cases)
