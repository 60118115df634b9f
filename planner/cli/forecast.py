"""``forecast``: calls per queue and interval from a history file, with a backtest."""

from __future__ import annotations

import argparse
from datetime import date

from planner.cli.common import EXIT_OK, print_table


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if not 1 <= value <= 366:
        raise argparse.ArgumentTypeError(f"{text}: must be a whole number of days from 1 to 366")
    return value


def _window(text: str) -> tuple[int, int]:
    from planner.timegrid import parse_clock

    try:
        start, end = (parse_clock(part) for part in text.split("-"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: must be HH:MM-HH:MM ({exc})") from None
    if start >= end:
        raise argparse.ArgumentTypeError(f"{text}: the window must end after it starts")
    return start, end


def _add_forecast(commands) -> None:
    # planner.forecast is imported when the command runs, not here: every command builds
    # this parser, and the import costs a third of a second.
    p = commands.add_parser(
        "forecast",
        help="forecast calls per queue and interval from a history CSV, with a backtest",
        description="Forecast calls per queue and interval from a history CSV (interval_start, "
        "queue, calls[, aht_seconds] at 5, 15, 30 or 60 min): daily totals x an intraday "
        "profile per weekday, the method picked per queue by a rolling-origin backtest (auto), "
        "public holidays and special days, and 80 %% prediction intervals (p10, p90).",
    )
    p.add_argument("history", metavar="HISTORY.csv")
    p.add_argument("--start", type=_iso_date, required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--days", type=_days, required=True, help="days to forecast (1-366)")
    p.add_argument(
        "--interval-minutes", type=int, choices=(5, 15, 30, 60), default=15, help="default 15"
    )
    p.add_argument(
        "--window", type=_window, default=(9 * 60, 21 * 60), help="HH:MM-HH:MM, default 09:00-21:00"
    )
    p.add_argument(
        "--method",
        default="auto",
        help="auto (default: the lowest backtest error), seasonal_naive, weekday_mean, ets, mstl",
    )
    p.add_argument("--weeks", type=int, default=8, help="k of the same-weekday mean, default 8")
    p.add_argument("--profile-weeks", type=int, default=16, help="weeks of the intraday profile")
    p.add_argument("--backtest-weeks", type=int, default=12, help="rolling origins, default 12")
    p.add_argument("--country", default="KZ", help="public holidays (ISO code), default KZ")
    p.add_argument(
        "--special-days", metavar="FILE", help="CSV date, queue, factor (or closed), note"
    )
    p.add_argument("--out", required=True, metavar="FILE", help="forecast CSV to write")
    p.add_argument("--backtest", metavar="FILE", help="backtest errors CSV to write")
    p.set_defaults(run=_run_forecast)


def _run_forecast(args: argparse.Namespace) -> int:
    from planner.forecast import ForecastSettings, forecast_history
    from planner.io.export import table_to_csv
    from planner.io.files import write_atomic
    from planner.io.history import load_history
    from planner.io.special_days import load_special_days

    settings = ForecastSettings(
        method=args.method,
        weeks=args.weeks,
        profile_weeks=args.profile_weeks,
        backtest_weeks=args.backtest_weeks,
        country=args.country or None,
        special_days=load_special_days(args.special_days) if args.special_days else (),
    )
    history = load_history(args.history, interval_minutes=args.interval_minutes, window=args.window)
    result = forecast_history(history, args.start, args.days, settings)
    write_atomic(args.out, table_to_csv(result.table()))
    if args.backtest:
        table = result.backtest.assign(week_start=result.backtest["week_start"].astype(str))
        write_atomic(args.backtest, table_to_csv(table))
    _print_summary(result)
    wrote = f"wrote {args.out}" + (f" and {args.backtest}" if args.backtest else "")
    print(wrote)
    return EXIT_OK


def _print_summary(result) -> None:
    bt = result.backtest
    lines = [["queue", "method", "calls", "backtest WAPE", "day WAPE", "MASE", "80% coverage"]]
    for name, f in result.queues.items():
        mine = bt[(bt["queue"] == name) & bt["chosen"]]
        lines.append(
            [
                name,
                f.method,
                f"{f.calls.sum():,.0f}",
                f"{100 * mine['wape_interval'].mean():.2f}%" if len(mine) else "-",
                f"{100 * mine['wape_day'].mean():.2f}%" if len(mine) else "-",
                f"{mine['mase'].mean():.2f}" if len(mine) else "-",
                f"{100 * mine['coverage'].mean():.1f}%" if len(mine) else "-",
            ]
        )
    first, last = result.dates[0], result.dates[-1]
    print(f"Forecast {first.isoformat()} to {last.isoformat()} ({result.days} days):")
    print_table(lines)
    for name, f in result.queues.items():
        print(f"{name}: open {', '.join(f.open_weekdays) or 'never'}")
        for d, text in sorted(f.special.items()):
            print(f"  {d.isoformat()} {d.strftime('%a')}: {text}")


def register(commands) -> None:
    """Add this module's commands to the parser."""
    _add_forecast(commands)
