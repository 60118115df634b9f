"""``staff``: agents needed for one interval, by hand."""

from __future__ import annotations

import argparse

import numpy as np

from planner.cli.common import EXIT_OK
from planner.present.formats import seconds


def _add_staff(commands) -> None:
    p = commands.add_parser(
        "staff",
        help="agents needed for one interval (Erlang C, or Erlang A with --patience)",
        description="Agents needed on the phones for one interval to meet the service target, and "
        "what they achieve. Erlang C, or Erlang A when --patience is given.",
    )
    p.add_argument("--calls", type=float, required=True, help="calls offered in the interval")
    p.add_argument("--aht", type=float, required=True, help="average handling time, seconds")
    p.add_argument("--interval-minutes", type=float, default=15.0, help="default 15")
    p.add_argument("--service-level", type=float, default=0.8, help="target share, default 0.8")
    p.add_argument("--answer-within", type=float, default=20.0, help="seconds, default 20")
    p.add_argument("--patience", type=float, help="mean caller patience, seconds (Erlang A)")
    p.add_argument("--max-occupancy", type=float, help="occupancy cap, e.g. 0.9")
    p.add_argument("--max-abandon", type=float, help="abandonment cap, e.g. 0.05 (Erlang A)")
    p.add_argument("--max-asa", type=float, help="ASA cap, seconds")
    p.add_argument(
        "--shrinkage", type=float, default=0.0, help="share of on-duty time off the phones"
    )
    p.set_defaults(run=_run_staff)


def _run_staff(args: argparse.Namespace) -> int:
    from planner.queueing import erlang_a_metrics, erlang_c_metrics, required_agents
    from planner.staffing import agents_to_schedule

    if not 0.0 <= args.shrinkage < 1.0:
        raise ValueError(f"--shrinkage = {args.shrinkage}: must be >= 0 and < 1")
    interval_seconds = args.interval_minutes * 60.0
    n = int(
        required_agents(
            args.calls,
            args.aht,
            interval_seconds,
            args.service_level,
            args.answer_within,
            patience_seconds=args.patience,
            max_occupancy=args.max_occupancy,
            max_abandon_rate=args.max_abandon,
            max_asa_seconds=args.max_asa,
        )
    )
    around = np.arange(max(n - 2, 0), n + 4)
    common = (args.calls, args.aht, interval_seconds, args.answer_within)
    if args.patience is None:
        m = erlang_c_metrics(around, *common)
        model = "Erlang C (callers wait as long as it takes)"
    else:
        m = erlang_a_metrics(around, *common, args.patience)
        model = f"Erlang A (mean patience {args.patience:g} s)"
    load = args.calls * args.aht / interval_seconds
    scheduled = int(agents_to_schedule(np.array(n), args.shrinkage))
    print(f"Model:            {model}")
    print(
        f"Offered load:     {load:.2f} Erlangs "
        f"({args.calls:g} calls x {args.aht:g} s / {interval_seconds:g} s)"
    )
    print(
        f"Agents on phones: {n} (smallest meeting {args.service_level:.0%} answered within "
        f"{args.answer_within:g} s{_caps_text(args)})"
    )
    if args.shrinkage:
        print(f"Agents on duty:   {scheduled} (with {args.shrinkage:.0%} shrinkage)")
    print()
    header = f"{'agents':>6}  {'service level':>13}  {'P(wait)':>8}  {'ASA s':>8}  {'occupancy':>9}"
    has_abandon = hasattr(m, "p_abandon")
    print(header + (f"  {'abandoned':>9}" if has_abandon else ""))
    for k, agents in enumerate(around):
        row = (
            f"{agents:>6}  {m.service_level[k]:>13.2%}  {m.p_wait[k]:>8.2%}  "
            f"{seconds(m.asa_seconds[k]):>8}  {m.occupancy[k]:>9.1%}"
        )
        row += f"  {m.p_abandon[k]:>9.2%}" if has_abandon else ""
        print(row + ("   <- required" if agents == n else ""))
    return EXIT_OK


def _caps_text(args: argparse.Namespace) -> str:
    caps = []
    if args.max_occupancy is not None:
        caps.append(f"occupancy <= {args.max_occupancy:.0%}")
    if args.max_abandon is not None:
        caps.append(f"abandonment <= {args.max_abandon:.1%}")
    if args.max_asa is not None:
        caps.append(f"ASA <= {args.max_asa:g} s")
    return f"; {', '.join(caps)}" if caps else ""


def register(commands) -> None:
    """Add this module's commands to the parser."""
    _add_staff(commands)
