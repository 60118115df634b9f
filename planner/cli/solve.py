"""``solve``: plan the shifts of a scenario and write the plan's files."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

from planner.cli.common import (
    EXIT_FAILED,
    EXIT_NO_PLAN,
    EXIT_OK,
    add_output_folder,
    print_headcount_notes,
    print_table,
    replications,
    time_limit,
)
from planner.cli.saving import add_save_options, open_store_if_saving, save_plan_run
from planner.present.catalogue import kpi
from planner.present.formats import gap


def _add_solve(commands) -> None:
    p = commands.add_parser(
        "solve",
        help="size shifts and breaks for a scenario; write shifts, coverage and KPIs",
        description="Plan the shifts of a scenario with CP-SAT, check the plan without the "
        "solver, and write shifts.csv, coverage.csv, allocation.csv, kpis_daily.csv and "
        "kpis.json into DIR.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    add_output_folder(p)
    p.add_argument(
        "--time-limit",
        type=time_limit,
        help="seconds for the whole command (default: the scenario's solver time limit)",
    )
    p.add_argument("--gap", type=float, help="relative gap to stop at (default: the scenario's)")
    p.add_argument("--seed", type=int, help="solver seed (default: the scenario's)")
    p.add_argument("--workers", type=int, help="solver threads (default: the scenario's)")
    p.add_argument(
        "--reproducible",
        action="store_true",
        default=None,
        help="let the deterministic limit alone end the search (solver.reproducible): the same "
        "plan however busy the machine, with no wall-clock limit",
    )
    p.add_argument("--mode", choices=["interval", "daily"], help="override service.mode")
    p.add_argument(
        "--simulate",
        type=replications,
        metavar="N",
        help="also simulate the plan call by call, N replications (the scenario's seed); the "
        "figures go beside the formula's and into kpis.json under 'simulated'",
    )
    p.add_argument(
        "--refine",
        type=int,
        metavar="K",
        help="simulate the plan (--simulate N replications, default 30), raise the requirement "
        "by one agent where an interval's simulated service level falls short of the promise "
        "beyond its 95 %% interval, and plan again, up to K rounds; each round is reported and "
        "kpis.json gets 'refine' and 'simulated'",
    )
    p.add_argument(
        "--confidence-cost",
        action="store_true",
        help="for a scenario staffed to a confidence (service.confidence or a queue's), also "
        "plan the point forecast and print what the confidence costs in paid hours; kpis.json "
        "gets 'confidence_cost' (the time limit is shared by the two solves)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    add_save_options(p)
    p.set_defaults(run=_run_solve)


def _run_solve(args: argparse.Namespace) -> int:
    from planner.io.export import PLAN_FILE_NAMES, plan_files
    from planner.io.run_folder import RunFolder
    from planner.io.scenario_file import load_scenario
    from planner.shiftplan import plan_shifts

    scenario = load_scenario(args.file)
    open_store_if_saving(args)  # --save: a bad database ends here, before any work
    print_headcount_notes(scenario)
    if args.mode and args.mode != scenario.service.mode:
        service = scenario.service.model_copy(update={"mode": args.mode})
        scenario = scenario.model_copy(update={"service": service}).with_source(scenario.source)
    overrides = {
        name: value
        for name, value in (
            ("time_limit_seconds", args.time_limit),
            ("relative_gap", args.gap),
            ("seed", args.seed),
            ("workers", args.workers),
            ("reproducible", args.reproducible),
        )
        if value is not None
    }
    if "time_limit_seconds" in overrides:  # the command's limit: what loading took is spent
        overrides["time_limit_seconds"] -= time.perf_counter() - args.started
        if args.confidence_cost:  # two solves share it
            overrides["time_limit_seconds"] /= 2
    progress = None if args.quiet else _ProgressPrinter()
    # Input is checked; now the folder: refused at once if in use or holding an earlier run.
    with RunFolder(args.out, names=PLAN_FILE_NAMES, force=args.force) as run:
        if args.refine is not None:
            result, extra = _refined(scenario, args, overrides)
        else:
            result = plan_shifts(scenario, progress=progress, **overrides)
            if progress is not None:
                progress.finish()
        _print_summary(result)
        if result.solve.has_plan:
            _print_sites(scenario, result)
        if not result.solve.has_plan:
            _explain_no_plan(result)
            return EXIT_NO_PLAN
        if args.refine is not None:
            _print_simulated(extra["simulated_result"], result)
            extra = {k: v for k, v in extra.items() if k != "simulated_result"}
        elif args.simulate:
            extra = _simulated(scenario, result, args.simulate)
        else:
            extra = None
        if args.confidence_cost:
            extra = {**(extra or {}), **_confidence_cost(scenario, result, overrides)}
        files = plan_files(result, extra, scenario)
        written = run.write(files)
    print(f"wrote {', '.join(str(p) for p in written)}")
    save_plan_run(args, files)
    return EXIT_OK if result.validation.ok else EXIT_FAILED


def _simulated(scenario, result, replications: int) -> dict:
    """The plan simulated call by call (``--simulate N``), printed beside the formula's service
    levels; returns kpis.json's ``simulated`` section."""
    from planner.simulate import simulate_plan, simulation_document

    sim = simulate_plan(scenario, result.plan, replications=replications, seed=scenario.solver.seed)
    _print_simulated(sim, result)
    return {"simulated": simulation_document(sim)}


def _print_simulated(sim, result) -> None:
    from planner.cli.simulate import print_simulated

    print(
        f"Simulated call by call: {sim.replications} replications, {sim.simulated_calls:,} "
        f"calls, routing {sim.routing}, shrinkage {sim.shrinkage} (95 % intervals):"
    )
    print_simulated(sim, result.kpis)


def _refined(scenario, args, overrides) -> tuple:
    """``--refine K``: the rounds of :func:`planner.refine.refine_plan`, each printed; returns
    the last plan and kpis.json's ``refine`` and ``simulated`` sections (and the simulation)."""
    from planner.refine import refine_plan
    from planner.simulate import simulation_document

    rounds = args.refine
    if "time_limit_seconds" in overrides:  # the command's limit, shared by every solve
        overrides = {
            **overrides,
            "time_limit_seconds": overrides["time_limit_seconds"] / (rounds + 1),
        }
    refined = refine_plan(
        scenario, rounds, replications=args.simulate or 30, progress=None, **overrides
    )
    for r in refined.rounds:
        lines = ", ".join(
            f"{q} promised {r.promised[q]:.1%} simulated {m:.1%} ± {h:.1%}"
            for q, (m, h) in r.simulated.items()
        )
        raised = f"raised {r.raised_intervals} interval(s) by one agent; " if r.round else ""
        print(
            f"Round {r.round}: {raised}paid hours {r.paid_hours:,.1f}, gap {gap(r.gap)}, "
            f"{r.solve_seconds:.1f} s; {r.short_intervals} interval(s) short of the promise; "
            f"{lines}"
        )
    if refined.rounds:
        print(
            f"Kept round {refined.chosen}: its worst line falls least short of its promise "
            "beyond the simulation's 95 % interval"
        )
    document = {
        "chosen_round": refined.chosen,
        "rounds": [dataclasses.asdict(r) for r in refined.rounds],
    }
    extra = {"refine": document}
    if refined.simulation is not None:
        extra["simulated"] = simulation_document(refined.simulation)
        extra["simulated_result"] = refined.simulation
    return refined.result, extra


def _confidence_cost(scenario, result, overrides) -> dict:
    """``--confidence-cost``: the point forecast planned too; what the confidence costs in paid
    hours, printed, and kpis.json's ``confidence_cost`` section."""
    from planner.demand import build_demand
    from planner.shiftplan import plan_shifts
    from planner.staffing import build_requirement

    levels = {q.name: scenario.confidence(q) for q in scenario.queues}
    levels = {name: level for name, level in levels.items() if level is not None}
    if not levels:
        print("Confidence cost: no queue is staffed to a confidence (service.confidence)")
        return {}
    point = build_requirement(scenario, build_demand(scenario).assign(rate_multiplier=1.0))
    plain = plan_shifts(scenario, requirement=point, **overrides)
    if not plain.solve.has_plan:
        print(f"Confidence cost: the point forecast has no plan ({plain.solve.quality_text})")
        return {}
    at, without = result.kpis.paid_hours, plain.kpis.paid_hours
    extra = at - without
    share = extra / without if without else float("nan")
    chosen = ", ".join(f"{name} {level:.0%}" for name, level in levels.items())
    print(
        f"Confidence cost ({chosen}): {at:,.1f} paid hours against {without:,.1f} for the point "
        f"forecast: {extra:+,.1f} ({share:+.1%}); the point forecast's plan is "
        f"{plain.solve.quality_text}"
    )
    return {
        "confidence_cost": {
            "confidence": levels,
            "paid_hours": at,
            "point_forecast_paid_hours": without,
            "extra_paid_hours": extra,
            "point_forecast_plan_gap": plain.solve.gap,
        }
    }


def _explain_no_plan(result) -> None:
    """Why there is no plan, and what to try, on standard error (nothing is written)."""
    from planner.cpsat.explain import group_rules
    from planner.shiftplan.rules import RULE_SETTINGS

    s = result.solve
    if s.status == "INFEASIBLE":
        print("No plan exists: these hard rules contradict each other:", file=sys.stderr)
        for line in group_rules(s.conflicting_rules, settings=RULE_SETTINGS):
            print(f"  - {line}", file=sys.stderr)
        print(
            "Change one of them in the scenario (headcounts, templates, labour rules).",
            file=sys.stderr,
        )
    elif s.stopped:
        print("Stopped before a plan was found; nothing written.", file=sys.stderr)
    else:
        print(
            f"No plan found within the time limit ({s.time_limit_seconds:g} s); nothing "
            "written. Give a longer --time-limit, or a shorter horizon.",
            file=sys.stderr,
        )


class _ProgressPrinter:
    """Best objective and bound as they improve: one updating line on a terminal, else a line
    per second at most."""

    def __init__(self) -> None:
        import threading
        import time

        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.clock = time.monotonic
        self.lock = threading.Lock()
        self.printed = False

    def __call__(self, p) -> None:
        with self.lock:
            now = self.clock()
            if not self.tty and now - self.last < 1.0:
                return
            self.last = now
            best = "-" if p.objective is None else f"{p.objective:,.0f}"
            gap_text = gap(p.gap)
            line = (
                f"  {p.elapsed_seconds:6.1f} s  best {best}  bound {p.best_bound:,.0f}  "
                f"gap {gap_text}  ({p.solutions_found} plans)"
            )
            print(
                ("\r" + line + "   ") if self.tty else line,
                end="" if self.tty else "\n",
                file=sys.stderr,
                flush=True,
            )
            self.printed = True

    def finish(self) -> None:
        if self.tty and self.printed:
            print(file=sys.stderr)


_TOTALS = ("paid_hours", "cost", "borrowed_hours")
_QUEUE_COLUMNS = (
    "service_level",
    "service_level_target",
    "abandon_rate",
    "asa_seconds",
    "understaffed_intervals",
    "peak_agents",
)


def _totals_line(k) -> str:
    """The plan's totals in one line; the paid-to-required ratio when there is a requirement."""
    line = ", ".join(f"{kpi(key).label} {kpi(key).format(getattr(k, key))}" for key in _TOTALS)
    if k.paid_to_required_ratio:
        ratio = kpi("paid_to_required_ratio")
        line += f"; {ratio.label} {ratio.format(k.paid_to_required_ratio)}"
    return line[:1].upper() + line[1:]


def _bound(value: float) -> str:
    """A proved bound as the summary line prints it (``none proved`` when there is none: a
    greedy plan's, the search having ended without a plan)."""
    return "none proved" if value != value else f"{value:,.2f}"


def _print_summary(result) -> None:
    from planner.cpsat.explain import group_rules
    from planner.shiftplan.rules import RULE_SETTINGS

    s, k = result.solve, result.kpis
    if s.has_plan:
        print(
            f"{result.scenario_name}: {s.quality_text}; objective {s.objective:,.2f} (bound "
            f"{_bound(s.best_bound)}, gap {gap(s.gap)}) in {s.solve_seconds:.1f} s"
        )
    else:
        print(f"{result.scenario_name}: {s.quality_text} after {s.solve_seconds:.1f} s")
    print(_totals_line(k))
    queue_kpis = [kpi(key, "queue") for key in _QUEUE_COLUMNS]
    lines = [["queue", *[q.label for q in queue_kpis]]]
    for name, q in k.queues.items():
        lines.append([name, *[entry.format(getattr(q, entry.key)) for entry in queue_kpis]])
    print_table(lines)
    if result.penalties:
        parts = ", ".join(f"{name} {value:,.0f}" for name, value in result.penalties.items())
        print(f"Objective terms: {parts}")
    if s.no_shifts_reason:
        print(f"The plan has no shift although the queues need agents: {s.no_shifts_reason}.")
        for line in group_rules(s.conflicting_rules, settings=RULE_SETTINGS):
            print(f"  - {line}")
    print(f"Plan check (no solver): {result.validation.summary()}")
    if result.split_check is not None:
        from planner.simulate import describe_check

        print(describe_check(result.split_check))


_SITE_COLUMNS = ("service_level", "abandon_rate", "asa_seconds", "paid_hours", "cost")


def _print_sites(scenario, result) -> None:
    """A national scenario's figures per site, then national (calls-weighted over sites)."""
    from planner.domain.national import plan_site_kpis

    by_site = plan_site_kpis(scenario, result)
    if not by_site:
        return
    entries = [kpi(key, "queue") for key in _SITE_COLUMNS[:3]]
    entries += [kpi(key) for key in _SITE_COLUMNS[3:]]
    lines = [["site", "calls", *[e.label for e in entries]]]
    for name, k in by_site.items():
        values = [e.format(getattr(k, e.key)) for e in entries]
        lines.append([name, f"{k.calls:,.0f}", *values])
    print("By site (national: every site together, calls-weighted):")
    print_table(lines)


def register(commands) -> None:
    """Add this module's commands to the parser."""
    _add_solve(commands)
