"""``forecast``: calls per queue and interval from a history file, with a backtest."""

from __future__ import annotations

import argparse

from planner.cli.common import EXIT_OK, iso_date, print_table
from planner.cli.saving import add_save_options, open_store_if_saving, save_forecast_run


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
    p.add_argument("--start", type=iso_date, required=True, help="first day, YYYY-MM-DD")
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
    add_save_options(
        p,
        "also keep the forecast in the store: the history file (by content), the settings, "
        "the special-days file, and the forecast and backtest files written (see the "
        "forecasts command)",
    )
    p.set_defaults(run=_run_forecast)


def _read_input(path: str, max_bytes: int, error) -> bytes:
    """A file the user named, as its reader reads it (the same message when it cannot be)."""
    from planner.errors import MISSING
    from planner.io.files import read_regular_file

    try:
        return read_regular_file(path, max_bytes=max_bytes)
    except OSError as exc:
        raise error.single(
            str(path), "(file)", MISSING, f"cannot be read: {exc.strerror or exc}"
        ) from None


def _run_forecast(args: argparse.Namespace) -> int:
    from planner.domain import limits
    from planner.forecast import ForecastSettings, forecast_history
    from planner.io.export import table_to_csv
    from planner.io.files import write_atomic
    from planner.io.history import HistoryError, parse_history
    from planner.io.special_days import SpecialDaysError, parse_special_days

    # Each input is read once, so that what --save keeps is what was forecast from.
    special_raw = None
    if args.special_days:
        special_raw = _read_input(args.special_days, limits.MAX_FORECAST_BYTES, SpecialDaysError)
    settings = ForecastSettings(
        method=args.method,
        weeks=args.weeks,
        profile_weeks=args.profile_weeks,
        backtest_weeks=args.backtest_weeks,
        country=args.country or None,
        special_days=parse_special_days(special_raw, str(args.special_days))
        if special_raw is not None
        else (),
    )
    history_raw = _read_input(args.history, limits.MAX_HISTORY_BYTES, HistoryError)
    history = parse_history(
        history_raw, str(args.history), interval_minutes=args.interval_minutes, window=args.window
    )
    open_store_if_saving(args)  # --save: a bad database ends here, before any work
    result = forecast_history(history, args.start, args.days, settings)
    forecast_csv = table_to_csv(result.table())
    write_atomic(args.out, forecast_csv)
    backtest_csv = None
    if args.backtest:
        table = result.backtest.assign(week_start=result.backtest["week_start"].astype(str))
        backtest_csv = table_to_csv(table)
        write_atomic(args.backtest, backtest_csv)
    _print_summary(result)
    wrote = f"wrote {args.out}" + (f" and {args.backtest}" if args.backtest else "")
    print(wrote)
    if getattr(args, "store", None) is not None:
        from pathlib import Path

        save_forecast_run(
            args,
            (Path(args.history).name, history_raw),
            _settings_document(args),
            forecast_csv,
            summary=_summary_document(result),
            backtest_csv=backtest_csv,
            special_days=(Path(args.special_days).name, special_raw)
            if special_raw is not None
            else None,
        )
    return EXIT_OK


def _settings_document(args: argparse.Namespace) -> dict:
    """The forecast's settings as the store keeps them."""
    from planner.timegrid import clock_label

    return {
        "method": args.method,
        "start": args.start.isoformat(),
        "days": args.days,
        "interval_minutes": args.interval_minutes,
        "window": f"{clock_label(args.window[0])}-{clock_label(args.window[1])}",
        "country": args.country or None,
        "special_days": args.special_days,
        "weeks": args.weeks,
        "profile_weeks": args.profile_weeks,
        "backtest_weeks": args.backtest_weeks,
        "out": str(args.out),
        "backtest": args.backtest,
    }


def _summary_document(result) -> dict:
    """Per queue: the method chosen, the calls forecast, the chosen method's backtest errors."""
    bt = result.backtest
    queues = {}
    for name, f in result.queues.items():
        mine = bt[(bt["queue"] == name) & bt["chosen"]]
        queues[name] = {
            "method": f.method,
            "calls": round(float(f.calls.sum()), 3),
            "wape_interval": float(mine["wape_interval"].mean()) if len(mine) else None,
            "wape_day": float(mine["wape_day"].mean()) if len(mine) else None,
        }
    return {
        "first_day": result.dates[0].isoformat(),
        "last_day": result.dates[-1].isoformat(),
        "queues": queues,
    }


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
