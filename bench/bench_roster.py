"""Benchmark of the named roster, planner.roster (prints its figures; not a timed test).

Run from the repository root::

    python bench/bench_roster.py              # both cases, 3 repetitions each
    python bench/bench_roster.py --repeat 5 --case emergency

Cases:

``emergency``
    ``scenarios/emergency.yaml`` with its 71 named operators
    (``scenarios/data/emergency_operators.csv``) over 7 days, the plan sized for them (as
    ``roster --operators`` does). The plan is made once (its time is printed apart); each
    repetition rosters it with a 10 s time limit. Target: every shift assigned or reported
    unassigned with its reason in under 10 s.
``rosterable``
    What the roster loses from the plan. ``emergency.yaml``'s plan rostered with operators
    generated from the headcounts (exactly the staff the plan is sized for) and with the 71
    named operators; when shifts stay unassigned, the plan re-evaluated with only the shifts
    that got an operator (the shift-sizing model with those starts fixed, breaks and allocation
    free): the service the published roster gives. Prints paid hours, shortfall, service levels
    and unassigned shifts.
``scale``
    2,400 operators over 28 days (``--operators`` for another count): the ``large`` case's
    scenario with the headcounts and the calls scaled (800 per pool, calls x 8;
    ``bench_optimise.thousands``), operators generated from them, and the shift plan's own plan
    of it (``--plan-limit``, 40 s; :func:`planned_case`). ``--written-plan``: the earlier
    case instead, the ``large`` calls with a plan of fixed shape written for the operators
    (:func:`scaled_case`; before issue 13's speed-ups the shift plan found none at this size).
    Each repetition rosters it with a 120 s limit, block by block (pools, weeks); one line per
    block. ``--no-blocks`` rosters the whole model as before (for the before figure).
``command``
    The whole ``roster`` command on the ``scale`` scenario (:func:`bench_optimise.thousands`,
    written to a temporary file): ``python -m planner roster FILE --out DIR --time-limit 120``
    (``--limit``) in a child process, plan and roster in one limit, as a user runs it. Prints the
    wall clock, the child's CPU (user + system, from ``resource.getrusage``), the load average
    before and after, and from ``roster.json`` the unassigned shifts against the roster's
    lower bound, the excess over it as a share of the planned shifts (target: at most 1 %),
    and the solver-free check; then the command's plan and block lines.
``large``
    300 operators over 28 days: emergency.yaml with 100 operators per pool, the calls scaled
    four times and the surges decaying over a fortnight, operators generated from headcounts.
    The plan is made once (60 s limit); each repetition rosters it with a 55 s limit. Target:
    under 60 s, with a reported gap.

For every repetition: when the coverage step ended (every planned shift assigned or known to
be unassignable), the total time, the unassigned shifts against the counting bound (coverage
gap), the wishes' objective against its bound (wishes gap), and the solver-free check. The
machine is shared: the figures are the median and the range over repetitions.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from planner.cpsat.solve import configure, run_solver  # noqa: E402
from planner.demand import build_demand  # noqa: E402
from planner.domain.kpis import PlanKpis  # noqa: E402
from planner.domain.operators import generate_operators  # noqa: E402
from planner.domain.plan import SHIFT_COLUMNS  # noqa: E402
from planner.evaluate import coverage_table, plan_kpis  # noqa: E402
from planner.io.operators_file import load_operators  # noqa: E402
from planner.io.scenario_file import load_scenario, parse_scenario  # noqa: E402
from planner.io.yaml_strict import read_yaml  # noqa: E402
from planner.roster import roster_plan  # noqa: E402
from planner.shiftplan import plan_shifts  # noqa: E402
from planner.shiftplan.extract import extract_plan  # noqa: E402
from planner.shiftplan.instance import MONEY_SCALE, build_instance  # noqa: E402
from planner.shiftplan.model import build_model  # noqa: E402
from planner.staffing import build_requirement  # noqa: E402

SCENARIO = ROOT / "scenarios" / "emergency.yaml"
OPERATORS = ROOT / "scenarios" / "data" / "emergency_operators.csv"


def large_scenario():
    """emergency.yaml over 28 days with 100 operators in each of its three pools."""
    data = read_yaml(SCENARIO.read_text(encoding="utf-8"), str(SCENARIO))
    data["name"] = "Large: 300 operators, 28 days"
    data["horizon"]["days"] = 28
    data["queues"][0]["demand"]["calls_per_day"] = 4 * 1400
    data["surges"][0]["half_life_days"] = 10
    data["surges"][1]["added_calls_per_day"] = 4 * 3000
    data["surges"][1]["half_life_days"] = 14
    for pool in data["pools"]:
        pool["headcount"] = 100
    data["headcount_changes"] = []
    return parse_scenario(data, source="bench: large")


def scaled_case(operators: int):
    """The ``large`` scenario with ``operators`` generated operators (a third per pool), and a
    plan written for them: the shift plan finds none for this size in its time (nor, on a busy
    machine, for the 300 of ``large`` in 60 s), so the roster is measured on a plan of fixed
    shape. Each pool-day: 8-hour shifts starting every 30 min from 09:00 to 13:00, a 12-hour
    shift at 09:00 and (but the borrowed) a 4-hour one at 17:00, about 0.68 of the pool per
    day (0.85 of the consulting team on weekdays, none at the weekend, when its line is
    closed)."""
    from planner.io.plan_tables import plan_from_tables
    from planner.timegrid import clock_label

    base = large_scenario()
    per_pool = operators // 3
    scenario = base.model_copy(
        update={
            "name": f"Scale: {operators} operators, 28 days",
            "pools": [p.model_copy(update={"headcount": per_pool}) for p in base.pools],
        }
    )
    rows = []

    def add(day, pool, template, start, agents):
        length, meal, paid = {
            "part_4h": (240, None, 240),
            "day_8h": (480, (240, 30), 450),
            "long_12h": (720, (300, 60), 660),
        }[template]
        breaks = (
            ""
            if meal is None
            else (f"{clock_label(start + meal[0])}-{clock_label(start + meal[0] + meal[1])}")
        )
        rows.append(
            {
                "day": day,
                "pool": pool,
                "template": template,
                "start": clock_label(start),
                "end": clock_label(start + length),
                "breaks": breaks,
                "agents": agents,
                "paid_hours": agents * paid / 60,
            }
        )

    for d, day in enumerate(scenario.grid.dates):
        weekend = scenario.grid.weekdays[d] in ("sat", "sun")
        for pool in scenario.pools:
            if pool.name == "consulting_team" and weekend:
                continue
            share = 0.85 if pool.name == "consulting_team" else 0.68
            total = round(share * per_pool)
            long = total // 10
            part = 0 if pool.borrowed else total // 10
            add(day, pool.name, "long_12h", 540, long)
            if part:
                add(day, pool.name, "part_4h", 1020, part)
            rest = total - long - part
            starts = list(range(540, 781, 30))
            for i, start in enumerate(starts):
                add(day, pool.name, "day_8h", start, rest // len(starts) + (i < rest % len(starts)))
    return scenario, plan_from_tables(scenario, pd.DataFrame(rows, columns=list(SHIFT_COLUMNS)))


def planned_case(operators: int, limit: float):
    """The scenario of :func:`bench_optimise.thousands` (calls scaled with the operators) and
    the shift plan's own plan of it in ``limit`` seconds (its figures printed)."""
    from bench_optimise import thousands

    scenario = thousands(operators)
    wall, cpu = time.perf_counter(), time.process_time()
    result = plan_shifts(scenario, time_limit_seconds=limit)
    s = result.solve
    print(
        f"shift plan ({limit:.0f} s): {s.quality_text}; gap {s.gap:.2%}; plan from "
        f"{s.plan_source}; {result.plan.agents} shifts; wall {time.perf_counter() - wall:.1f} s, "
        f"CPU {time.process_time() - cpu:.1f} s; check "
        f"{'valid' if result.validation.ok else 'INVALID'}",
        flush=True,
    )
    return scenario, result.plan


def run_scale(
    operators: int, repeat: int, workers: int, limit: float, blocks: bool, plan_limit: float | None
) -> None:
    from planner.roster import assign

    if not blocks:
        assign.DECOMPOSE_VARIABLES = 10**12
    started = time.perf_counter()
    if plan_limit is None:
        scenario, plan = scaled_case(operators)
        how = "written"
    else:
        scenario, plan = planned_case(operators, plan_limit)
        how = "planned by plan_shifts"
    ops = generate_operators(scenario)
    print(
        f"\n## scale: {len(ops)} operators, {scenario.grid.days} days, {plan.agents} planned "
        f"shifts, {'blocks' if blocks else 'whole model'}; plan {how} in "
        f"{time.perf_counter() - started:.1f} s (not in the roster times)"
    )
    for r in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = roster_plan(
            scenario,
            plan,
            ops,
            time_limit_seconds=limit,
            workers=workers,
            on_block=lambda b: print("  " + b.text(), flush=True),
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        planned = len(result.roster) + len(result.unassigned)
        excess = (len(result.unassigned) - result.unassigned_bound) / max(planned, 1)
        print(
            f"run {r + 1}: wall {wall:.1f} s, CPU {cpu:.1f} s (limit {limit:.0f} s), load "
            f"{os.getloadavg()[0]:.1f}; unassigned {len(result.unassigned)} of {planned} "
            f"(bound {result.unassigned_bound}, excess "
            f"{excess:.2%} of planned); "
            f"from greedy {result.from_greedy}; timings "
            + ", ".join(f"{k} {v:.1f}" for k, v in result.timings.items())
            + f"; check: {'valid' if result.validation.ok else 'INVALID'}",
            flush=True,
        )


def run_command(operators: int, repeat: int, limit: float) -> None:
    """The ``roster`` command on the ``scale`` scenario, timed from outside (see ``command``)."""
    import json
    import resource
    import subprocess
    import tempfile

    from bench_optimise import thousands

    from planner.io.scenario_file import dump_scenario_yaml

    with tempfile.TemporaryDirectory(prefix="bench-roster-") as tmp:
        path = Path(tmp) / f"scale_{operators}.yaml"
        path.write_text(dump_scenario_yaml(thousands(operators)), encoding="utf-8")
        out = Path(tmp) / "out"
        command = [sys.executable, "-m", "planner", "roster", str(path), "--out", str(out)]
        command += ["--force", "--time-limit", f"{limit:g}"]
        print(f"\n## command: {' '.join(command[1:])}")
        for r in range(repeat):
            load = os.getloadavg()[0]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
            wall = time.perf_counter() - wall
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            if done.returncode not in (0, 1):
                print(f"run {r + 1}: exit {done.returncode}\n{done.stderr[-2000:]}")
                continue
            result = json.loads((out / "roster.json").read_text(encoding="utf-8"))
            planned = result["planned_shifts"]
            unassigned, bound = result["unassigned_shifts"], result["unassigned_bound"]
            excess = (unassigned - bound) / max(planned, 1)
            print(
                f"run {r + 1}: wall {wall:.1f} s (limit {limit:g} s), CPU {cpu:.1f} s, load "
                f"{load:.1f} before, {os.getloadavg()[0]:.1f} after; unassigned {unassigned} of "
                f"{planned} (bound {bound}, excess {excess:.2%} of planned: "
                f"{'within' if excess <= 0.01 else 'over'} 1 %); check "
                f"{'valid' if result['validation']['ok'] else 'INVALID'}; exit "
                f"{done.returncode}",
                flush=True,
            )
            for line in done.stdout.splitlines():
                if line.startswith(("Plan:", "  block", "Roster:")):
                    print("  " + line.strip())


def run_case(name, scenario, operators, plan_limit, roster_limit, repeat, workers):
    started = time.perf_counter()
    plan = plan_shifts(scenario, time_limit_seconds=plan_limit)
    plan_seconds = time.perf_counter() - started
    planned = plan.plan.agents
    print(
        f"\n## {name}: {len(operators) if operators else 'generated'} operators, "
        f"{scenario.grid.days} days, {planned} planned shifts"
    )
    print(
        f"plan: {plan.solve.status}, gap {plan.solve.gap:.2%}, {plan_seconds:.1f} s "
        f"(made once, not in the roster times)"
    )
    rows = []
    for r in range(repeat):
        result = roster_plan(
            scenario, plan.plan, operators, time_limit_seconds=roster_limit, workers=workers
        )
        c, w = result.solve, result.wishes_solve
        rows.append(result)
        print(
            f"run {r + 1}: coverage decided at {result.timings['coverage']:.1f} s, total "
            f"{result.timings['total']:.1f} s; unassigned {len(result.unassigned)} of {planned} "
            f"(counting bound {c.best_bound / 10_000:.0f}, {c.status}, gap {c.gap:.2%}); wishes "
            + (
                "not searched"
                if w is None
                else f"{w.objective:,.0f} points (bound {w.best_bound:,.0f}, gap {w.gap:.1%}, "
                f"{w.solutions_found} improvements)"
            )
            + "; check: "
            f"{'valid' if result.validation.ok else 'INVALID'}"
        )
    cover = [r.timings["coverage"] for r in rows]
    total = [r.timings["total"] for r in rows]
    print(
        f"median coverage {statistics.median(cover):.1f} s ({min(cover):.1f}-{max(cover):.1f}); "
        f"median total {statistics.median(total):.1f} s ({min(total):.1f}-{max(total):.1f}); "
        f"all valid: {all(r.validation.ok for r in rows)}"
    )
    return rows


def sized(scenario, requirement, *, fixed=None, seconds=20.0):
    """The shift-sizing model solved, with every option's starts fixed when ``fixed`` is given
    ((day, pool, template, start) -> shifts): what those shifts deliver, breaks and allocation
    placed at best."""
    inst = build_instance(scenario, requirement)
    sm = build_model(inst)
    model, starts = sm.model, sm.variables.starts
    if fixed is not None:
        for o in inst.options:
            key = (o.day, o.pool, o.template, o.start)
            model.add(starts[o.index] == fixed.get(key, 0))
    solver = configure(scenario.solver, time_limit_seconds=seconds)
    outcome = run_solver(model, solver, scale=MONEY_SCALE)
    plan = extract_plan(inst, sm, solver)
    coverage = coverage_table(scenario, requirement, plan.staffed)
    return outcome, plan, plan_kpis(scenario, plan, coverage)


def rosterable() -> None:
    scenario = load_scenario(SCENARIO)
    requirement = build_requirement(scenario, build_demand(scenario))
    template_of = {t.name: i for i, t in enumerate(scenario.shift_templates)}
    pool_of = {p.name: i for i, p in enumerate(scenario.pools)}
    grid = scenario.grid

    def key(row) -> tuple:
        minute = int(row.start[:2]) * 60 + int(row.start[3:])
        return (
            grid.day_of(row.day if not isinstance(row.day, str) else date_of(row.day)),
            pool_of[row.pool],
            template_of[row.template],
            grid.interval_of(minute),
        )

    print("\n## rosterable: emergency.yaml, the plan rostered and the roster re-evaluated")
    print(
        "operators | plan | paid hours | agent-h short | SL consulting | SL emergency | unassigned"
    )
    named = load_operators(OPERATORS, scenario)
    plans = {}
    for label, sizing, operators in (
        ("generated from headcounts", scenario, generate_operators(scenario)),
        ("named, plan sized for the headcounts", scenario, named),
        ("named, plan sized for them (roster --operators)", scenario.with_operators(named), named),
    ):
        if id(sizing) not in plans:
            plans[id(sizing)] = sized(sizing, requirement)
        outcome, plan, kpis = plans[id(sizing)]
        result = roster_plan(sizing, plan, operators, time_limit_seconds=10.0)
        print(f"{label} | " + row_text(f"planned ({outcome.status})", kpis, len(result.unassigned)))
        if len(result.unassigned):
            counts: dict[tuple, int] = {}
            for r in result.roster.itertuples(index=False):
                counts[key(r)] = counts.get(key(r), 0) + 1
            _, _, delivered = sized(sizing, requirement, fixed=counts)
            print(f"{label} | " + row_text("rostered, re-evaluated", delivered, 0))


def date_of(text: str):
    from datetime import date

    return date.fromisoformat(text)


def row_text(label: str, kpis: PlanKpis, unassigned: int) -> str:
    queues = kpis.queues
    short = f"{sum(q.shortfall_agent_hours for q in queues.values()):,.1f}"
    return (
        f"{label} | {kpis.paid_hours:,.1f} | {short} | "
        f"{queues['consulting'].service_level:.1%} | {queues['emergency'].service_level:.1%}"
        f" | {unassigned}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--case",
        choices=["emergency", "large", "rosterable", "scale", "command", "both"],
        default="both",
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--operators", type=int, default=2400, help="scale case: operators")
    parser.add_argument(
        "--limit", type=float, default=120.0, help="scale and command cases: time limit"
    )
    parser.add_argument("--no-blocks", action="store_true", help="scale case: whole model")
    parser.add_argument(
        "--plan-limit",
        type=float,
        default=40.0,
        help="scale case: the shift plan's time limit (default 40 s: `roster --time-limit 120`'s "
        "share)",
    )
    parser.add_argument(
        "--written-plan",
        action="store_true",
        help="scale case: the plan of fixed shape written for the operators (the earlier figures)",
    )
    args = parser.parse_args()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}; workers "
        f"{args.workers}"
    )
    if args.case in ("emergency", "both"):
        scenario = load_scenario(SCENARIO)
        operators = load_operators(OPERATORS, scenario)
        scenario = scenario.with_operators(operators)  # sized for them, as `roster --operators`
        run_case("emergency.yaml", scenario, operators, 20.0, 10.0, args.repeat, args.workers)
    if args.case == "rosterable":
        rosterable()
    if args.case == "scale":
        plan_limit = None if args.written_plan else args.plan_limit
        run_scale(
            args.operators, args.repeat, args.workers, args.limit, not args.no_blocks, plan_limit
        )
    if args.case == "command":
        run_command(args.operators, args.repeat, args.limit)
    if args.case in ("large", "both"):
        run_case("large", large_scenario(), None, 60.0, 55.0, args.repeat, args.workers)


if __name__ == "__main__":
    main()
