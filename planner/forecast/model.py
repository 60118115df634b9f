"""A queue's forecast: daily totals x an intraday profile per weekday, with a backtest.

For each queue, from the history before the forecast's first day (the *cutoff*):

1. **Weekend, learnt.** A weekday is open when the line took calls on at least half of its
   ordinary dates in the history (public holidays and special days left out); the others are
   the queue's weekend and get no calls. Nothing assumes Saturday and Sunday.
2. **Special days.** A date is special when it is a public holiday of ``country``
   (:mod:`planner.forecast.calendar`), the day after a closed day that is not a weekend day,
   or a row of the user's special-days table (which overrides the calendar). Special days are
   left out of everything learnt below; their factor (calls / a normal day's) is the user's,
   or learnt as the median over the same kind of day in the history (the day's total over the
   mean of the same weekday within two weeks either side), or, when the history has none,
   0 for a holiday of a queue with a weekend (a line that closes on days off) and 1 otherwise.
3. **Daily totals.** The open weekdays' totals form a series without gaps (days with no data
   and special days filled from the same weekday a week before); a method of
   :mod:`planner.forecast.methods` forecasts it.
4. **Profile.** Per weekday, the share of the day's calls in each interval, summed over the
   last ``profile_weeks`` ordinary days of that weekday.
5. **Backtest** (rolling origin): for each of the last ``backtest_weeks`` weeks before the
   cutoff, every method forecasts that week from the history before it; errors are measured
   on ordinary days with data. ``auto`` takes the method with the lowest interval WAPE, or,
   when a steadier method (:data:`PREFERENCE`) is within one standard error of it over the
   weeks, the steadier one (:func:`_pick`).
6. **Prediction intervals**: the chosen method's backtest ratios actual / forecast, per
   interval and per horizon day (days after the origin, 0-6; later days use day 6's), give
   empirical quantiles; their distances from the median, widened for the few weeks they come
   from (:func:`_widening`), are laid around the point forecast:
   ``p10 = forecast x (1 - k (median - q10))``, ``p90 = forecast x (1 + k (q90 - median))``.
   The daily ratios are kept too (:attr:`QueueForecast.day_ratios`): the uncertainty of the
   day's arrival rate that risk-level staffing covers.

Errors (per method and backtest week): ``wape_interval`` = sum |a - f| / sum a over the
intervals, ``wape_day`` the same on daily totals, ``mase`` = mean |a - f| over the mean
|a(t) - a(t - 7 days)| in the training weeks (interval level), ``coverage`` = share of
intervals inside [p10, p90], the quantiles taken from the other backtest weeks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from planner.forecast.calendar import public_holidays
from planner.forecast.methods import METHODS, daily_forecast
from planner.io.history import DAY_CLOSED, DAY_NO_DATA, DAY_OPEN, History
from planner.io.special_days import SpecialDay
from planner.messages import msg_n
from planner.timegrid import WEEKDAYS

__all__ = [
    "BACKTEST_COLUMNS",
    "FORECAST_COLUMNS",
    "Forecast",
    "ForecastSettings",
    "QueueForecast",
    "forecast_history",
]

FORECAST_COLUMNS = ("interval_start", "queue", "calls", "calls_p10", "calls_p90", "method")
BACKTEST_COLUMNS = (
    "queue",
    "method",
    "week_start",
    "wape_interval",
    "wape_day",
    "mase",
    "coverage",
    "chosen",
)

MAX_TRAIN_WEEKS = 156
"""Daily totals older than three years are not used (a yearly pattern needs two)."""

BACKTEST_HORIZON_DAYS = 7
"""Each backtest origin forecasts one week."""

PREFERENCE = ("weekday_mean", "seasonal_naive", "ets", "mstl")
"""Order in which ``auto`` prefers methods when their backtest errors are within noise of
each other: steadiest first (a mean of k weeks moves least with one odd week; the seasonal
naive copies a single week; the smoothing models adapt, and chase, the most)."""

_NORMAL, _HOLIDAY, _AFTER_CLOSED, _USER = 0, 1, 2, 3
_KIND_NAMES = {_HOLIDAY: "holiday", _AFTER_CLOSED: "after closed day", _USER: "special day"}


@dataclass(frozen=True)
class ForecastSettings:
    """How to forecast.

    Parameters
    ----------
    method : str
        ``auto`` or one of :data:`planner.forecast.methods.METHODS`.
    weeks : int
        k of the same-weekday mean (weeks).
    profile_weeks : int
        Weeks the intraday profile of each weekday is learnt from. An intraday shape moves
        slowly, so more weeks than the daily level's average less noise into it (on
        bank_calls, 8 weeks give 7.90 % interval WAPE, 16 weeks 7.83 %, 24 weeks 7.76 %).
    backtest_weeks : int
        Rolling origins of the backtest (one week each).
    country : str or None
        Public holidays' country (ISO code); None for none.
    special_days : tuple of SpecialDay
        The user's overrides of the calendar.
    interval_coverage : float
        Central share of the prediction interval (0.8: p10 to p90).
    """

    method: str = "auto"
    weeks: int = 8
    profile_weeks: int = 16
    backtest_weeks: int = 12
    country: str | None = "KZ"
    special_days: tuple[SpecialDay, ...] = ()
    interval_coverage: float = 0.8

    def __post_init__(self):
        if self.method not in ("auto", *METHODS):
            raise ValueError(f"method = {self.method!r}: must be one of auto, {', '.join(METHODS)}")
        for name in ("weeks", "profile_weeks"):
            if not 1 <= getattr(self, name) <= 104:
                raise ValueError(f"{name} = {getattr(self, name)}: must be from 1 to 104")
        if not 1 <= self.backtest_weeks <= 52:
            raise ValueError(f"backtest weeks = {self.backtest_weeks}: must be from 1 to 52")
        if not 0 < self.interval_coverage < 1:
            raise ValueError(f"interval coverage = {self.interval_coverage}: must be in (0, 1)")


@dataclass(frozen=True)
class QueueForecast:
    """One queue's forecast over the horizon (arrays of shape (days, intervals))."""

    queue: str
    method: str
    calls: np.ndarray = field(repr=False)
    calls_low: np.ndarray = field(repr=False)
    calls_high: np.ndarray = field(repr=False)
    day_ratios: tuple[np.ndarray, ...] = field(repr=False)
    """Per horizon day 0-6: the backtest's actual / forecast daily totals (the rate's spread)."""
    open_weekdays: tuple[str, ...] = ()
    special: dict[date, str] = field(default_factory=dict)
    """Special days in the horizon: what they are and their factor."""
    lead_days: int = 0
    """Days between the end of the history and the start (forecast, not shown)."""

    def rate_multipliers(self, day_offset: int) -> np.ndarray:
        """Draws of (actual rate / forecast) for a day ``day_offset`` days after the start
        (the backtest's ratios for as many days after the end of the history)."""
        ahead = self.lead_days + day_offset
        return self.day_ratios[min(ahead, len(self.day_ratios) - 1)]


@dataclass(frozen=True)
class Forecast:
    """Every queue's forecast from one history, and the backtest behind it."""

    start: date
    days: int
    interval_minutes: int
    interval_labels: tuple[str, ...]
    queues: dict[str, QueueForecast]
    backtest: pd.DataFrame = field(repr=False)
    backtest_intervals: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    """The chosen methods' backtest, interval by interval: ``queue, interval_start, actual,
    calls, calls_p10, calls_p90`` (each week's band from the other weeks' ratios), on the
    days the errors are measured on."""

    @property
    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    def table(self) -> pd.DataFrame:
        """One row per queue and interval: :data:`FORECAST_COLUMNS` (``interval_start`` a
        timestamp ``YYYY-MM-DD HH:MM``)."""
        stamps = [f"{d.isoformat()} {label}" for d in self.dates for label in self.interval_labels]
        parts = [
            pd.DataFrame(
                {
                    "interval_start": stamps,
                    "queue": name,
                    "calls": f.calls.ravel(),
                    "calls_p10": f.calls_low.ravel(),
                    "calls_p90": f.calls_high.ravel(),
                    "method": f.method,
                }
            )
            for name, f in self.queues.items()
        ]
        return pd.concat(parts, ignore_index=True)[list(FORECAST_COLUMNS)]


# --------------------------------------------------------------------------------------------------
# One queue's history before a cutoff, prepared once for every method
# --------------------------------------------------------------------------------------------------


@dataclass
class _Prepared:
    weekday_open: np.ndarray  # (7,) bool
    y: np.ndarray  # daily totals of open weekdays, filled
    period: int
    profiles: np.ndarray  # (7, intervals)
    factors: dict[int, float]  # kind -> factor learnt
    cutoff: date
    last_week_mean: float


def _day_kinds(
    dates: list[date],
    queue: str,
    settings: ForecastSettings,
    closed: np.ndarray,
    weekday_open: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[date, str]]:
    """Kind of each date and the user's factor (NaN unless the user set one), and labels.

    ``closed`` marks dates known to be closed that are not weekend days (for the day after,
    which is special only on an open weekday of ``weekday_open``, when given)."""
    kinds = np.full(len(dates), _NORMAL)
    user = np.full(len(dates), np.nan)
    labels: dict[date, str] = {}
    holidays = public_holidays(settings.country, dates)
    position = {d: i for i, d in enumerate(dates)}
    for d, name in holidays.items():
        kinds[position[d]] = _HOLIDAY
        labels[d] = name
    for i in range(1, len(dates)):
        open_day = weekday_open is None or weekday_open[dates[i].weekday()]
        if closed[i - 1] and kinds[i] == _NORMAL and open_day:
            kinds[i] = _AFTER_CLOSED
            labels[dates[i]] = "day after a closed day"
    for s in settings.special_days:  # a queue's own row wins over an every-queue row
        if s.date in position and s.queue in (None, queue):
            i = position[s.date]
            if s.queue is None and not np.isnan(user[i]) and kinds[i] == _USER:
                continue
            kinds[i], user[i] = _USER, s.factor
            labels[s.date] = s.note or ("closed" if s.factor == 0 else f"factor {s.factor:g}")
    return kinds, user, labels


def _fill(y: np.ndarray, period: int) -> np.ndarray:
    """Missing values from the same weekday a week before (or after, at the start)."""
    y = y.copy()
    for i in range(len(y)):
        if np.isnan(y[i]) and i >= period:
            y[i] = y[i - period]
    for i in range(len(y) - 1, -1, -1):
        if np.isnan(y[i]) and i + period < len(y):
            y[i] = y[i + period]
    if np.isnan(y).any():
        y[np.isnan(y)] = np.nanmean(y) if np.isfinite(y).any() else 0.0
    return y


def _prepare(history: History, queue: str, end: int, settings: ForecastSettings) -> _Prepared:
    """Learn weekend, special-day factors, daily series and profiles from dates[:end]."""
    dates = list(history.dates[:end])
    calls = history.calls[queue][:end]
    status = history.status[queue][:end]
    daily = calls.sum(axis=1)
    weekday = np.array([d.weekday() for d in dates], dtype=int)
    holidays = public_holidays(settings.country, dates)
    ordinary = np.array([d not in holidays for d in dates], dtype=bool)
    weekday_open = np.zeros(7, dtype=bool)
    for w in range(7):
        mine = (weekday == w) & ordinary
        weekday_open[w] = mine.any() and (status[mine] == DAY_OPEN).mean() >= 0.5
    closed = (status == DAY_CLOSED) & weekday_open[weekday]
    kinds, user, _ = _day_kinds(dates, queue, settings, closed, weekday_open)
    closed |= (kinds == _USER) & (user == 0) & weekday_open[weekday]
    kinds, user, _ = _day_kinds(dates, queue, settings, closed, weekday_open)
    usable = (status == DAY_OPEN) & (kinds == _NORMAL) & weekday_open[weekday]

    keep = weekday_open[weekday]
    first = max(0, len(dates) - MAX_TRAIN_WEEKS * 7)
    keep[:first] = False
    if usable.any():
        keep[: np.flatnonzero(usable)[0]] = False
    y = np.where(usable, daily, np.nan)[keep]
    period = int(weekday_open.sum())
    y = _fill(y, max(period, 1)) if y.size else np.zeros(0)

    n_int = calls.shape[1]
    profiles = np.zeros((7, n_int))
    pooled_rows = np.flatnonzero(usable)[-settings.profile_weeks * max(period, 1) :]
    pooled = calls[pooled_rows].sum(axis=0)
    pooled = pooled / pooled.sum() if pooled.sum() > 0 else np.full(n_int, 1.0 / n_int)
    for w in range(7):
        rows = np.flatnonzero(usable & (weekday == w))[-settings.profile_weeks :]
        total = calls[rows].sum(axis=0)
        profiles[w] = total / total.sum() if total.sum() > 0 else pooled

    factors = {}
    has_weekend = not weekday_open.all()
    for kind, default in ((_HOLIDAY, 0.0 if has_weekend else 1.0), (_AFTER_CLOSED, 1.0)):
        ratios = []
        for i in np.flatnonzero((kinds == kind) & weekday_open[weekday] & (status != DAY_NO_DATA)):
            near = usable & (weekday == weekday[i]) & (np.abs(np.arange(len(dates)) - i) <= 14)
            if near.any() and daily[near].mean() > 0:
                ratios.append(daily[i] / daily[near].mean())
        factors[kind] = float(np.median(ratios)) if ratios else default
    last_week = np.flatnonzero(usable)[-max(period, 1) :]
    last_week_mean = float(daily[last_week].mean()) if last_week.size else 0.0
    return _Prepared(
        weekday_open,
        y,
        period,
        profiles,
        factors,
        history.dates[end - 1] + timedelta(days=1) if end else date.min,
        last_week_mean,
    )


def _forecast_grid(
    prep: _Prepared,
    method: str,
    dates: list[date],
    queue: str,
    settings: ForecastSettings,
    n_int: int,
) -> tuple[np.ndarray, dict[date, str]]:
    """Calls per date and interval by ``method`` for ``dates`` (from the cutoff on)."""
    out = np.zeros((len(dates), n_int))
    if prep.period == 0 or prep.y.size == 0:
        return out, {}
    weekday = np.array([d.weekday() for d in dates], dtype=int)
    open_day = prep.weekday_open[weekday]
    # Open days from the cutoff to the last date: the series' positions after its end.
    span = (dates[-1] - prep.cutoff).days + 1
    all_days = [prep.cutoff + timedelta(days=i) for i in range(span)]
    steps = sum(prep.weekday_open[d.weekday()] for d in all_days)
    base = daily_forecast(method, prep.y, prep.period, max(int(steps), 1), settings.weeks)
    position = np.cumsum([prep.weekday_open[d.weekday()] for d in all_days]) - 1
    offset = {d: int(position[i]) for i, d in enumerate(all_days)}
    # Closed days among the dates themselves decide the day after (a holiday closing the line).
    closed = np.zeros(len(dates), dtype=bool)
    kinds, user, labels = _day_kinds(dates, queue, settings, closed, prep.weekday_open)
    factor = np.ones(len(dates))
    for i in range(len(dates)):
        factor[i] = user[i] if kinds[i] == _USER else prep.factors.get(int(kinds[i]), 1.0)
    closed = (factor == 0) & open_day
    kinds, user, labels = _day_kinds(dates, queue, settings, closed, prep.weekday_open)
    for i, d in enumerate(dates):
        k = int(kinds[i])
        f = user[i] if k == _USER else prep.factors.get(k, 1.0)
        if open_day[i]:
            day_total = base[offset[d]] * f
            out[i] = day_total * prep.profiles[weekday[i]]
        elif k == _USER and f > 0:  # a working day on the queue's weekend, set by the user
            out[i] = prep.last_week_mean * f * prep.profiles[weekday[i]]
        if k != _NORMAL:
            labels[d] = f"{labels.get(d, _KIND_NAMES[k])} (factor {f:.2f})"
    return out, labels


# --------------------------------------------------------------------------------------------------
# Backtest and forecast
# --------------------------------------------------------------------------------------------------


def _backtest_queue(history: History, queue: str, cutoff_index: int, settings, methods):
    """Rolling-origin backtest: per method, forecasts and actuals of each origin's week."""
    dates = history.dates
    calls = history.calls[queue]
    status = history.status[queue]
    records = {m: [] for m in methods}
    for j in range(settings.backtest_weeks, 0, -1):
        origin = cutoff_index - 7 * j
        if origin < 14:
            continue
        end = min(origin + BACKTEST_HORIZON_DAYS, cutoff_index)
        prep = _prepare(history, queue, origin, settings)
        if prep.y.size < 2 * max(prep.period, 1):
            continue
        week = list(dates[origin:end])
        kinds, _, _ = _day_kinds(week, queue, settings, np.zeros(len(week), dtype=bool))
        scored = (status[origin:end] != DAY_NO_DATA) & (kinds == _NORMAL)
        actual = calls[origin:end]
        scale = _mase_scale(calls[:origin], status[:origin], settings.weeks)
        for m in methods:
            f, _ = _forecast_grid(prep, m, week, queue, settings, calls.shape[1])
            records[m].append((dates[origin], np.arange(end - origin), scored, actual, f, scale))
    return records


def _mase_scale(calls: np.ndarray, status: np.ndarray, weeks: int) -> float:
    """Mean |a(t) - a(t - 7 days)| per interval over the last ``weeks`` weeks of training."""
    tail = slice(max(7, len(calls) - 7 * weeks), len(calls))
    now, before = calls[tail], calls[tail.start - 7 : tail.stop - 7]
    both = (status[tail] == DAY_OPEN) & (status[tail.start - 7 : tail.stop - 7] == DAY_OPEN)
    if not both.any():
        return float("nan")
    return float(np.abs(now[both] - before[both]).mean())


def _ratios(recs, skip: int | None = None):
    """Interval and daily actual / forecast per horizon day, from backtest records."""
    per_interval = [[] for _ in range(BACKTEST_HORIZON_DAYS)]
    per_day = [[] for _ in range(BACKTEST_HORIZON_DAYS)]
    for k, (_, horizon, scored, actual, f, _) in enumerate(recs):
        if k == skip:
            continue
        for h in horizon[scored]:
            if f[h].sum() > 0:
                positive = f[h] > 0
                per_interval[h].append(actual[h][positive] / f[h][positive])
                per_day[h].append(np.array([actual[h].sum() / f[h].sum()]))
    cat = [np.concatenate(x) if x else np.zeros(0) for x in per_interval]
    day = [np.concatenate(x) if x else np.zeros(0) for x in per_day]
    pooled = np.concatenate(cat) if any(c.size for c in cat) else np.ones(1)
    pooled_day = np.concatenate(day) if any(d.size for d in day) else np.ones(1)
    cat = [c if c.size >= 20 else pooled for c in cat]  # too few: all horizon days together
    day = [d if d.size >= 3 else pooled_day for d in day]
    return cat, day


def _widening(weeks: int, coverage: float) -> float:
    """Small-sample widening of the empirical interval from ``weeks`` backtest weeks.

    The residuals come in weekly blocks whose errors move together (a busy week is busy on
    every day), so they hold about ``weeks`` independent draws, not hundreds. A prediction
    interval from n independent draws is ``t(n - 1) / z`` times wider than the normal one,
    and ``sqrt(1 + 1/n)`` for the error of the estimated centre: this factor, 1.17 for 8
    weeks at 80 %, tends to 1 as the backtest grows.
    """
    from scipy import stats

    if weeks < 2:
        return 1.0
    level = 1.0 - (1.0 - coverage) / 2.0
    return float(stats.t.ppf(level, weeks - 1) / stats.norm.ppf(level) * np.sqrt(1 + 1 / weeks))


def _quantiles(ratios, coverage: float, weeks: int) -> np.ndarray:
    """Per horizon day, the interval's (low, high) multipliers of the point forecast: the
    empirical quantiles' distances from the median, widened by :func:`_widening`, around 1."""
    tail = (1.0 - coverage) / 2.0
    k = _widening(weeks, coverage)
    out = []
    for r in ratios:
        low, mid, high = np.quantile(r, [tail, 0.5, 1.0 - tail])
        # Centred on the point forecast: the spread is the backtest's, its median is not (a
        # few weeks' bias says more about those weeks than about the next).
        out.append((max(1.0 - k * (mid - low), 0.0), 1.0 + k * (high - mid)))
    return np.array(out)  # (7, 2)


def _backtest_rows(queue: str, recs, coverage: float, labels) -> pd.DataFrame:
    """The backtest's forecasts and actuals, interval by interval, with leave-one-week-out
    bands (as the coverage in :func:`_scores` is measured)."""
    parts = []
    for k, (start, horizon, scored, actual, f, _) in enumerate(recs):
        q = _quantiles(_ratios(recs, skip=k)[0], coverage, len(recs) - 1)
        for h in horizon[scored]:
            day = (start + timedelta(days=int(h))).isoformat()
            parts.append(
                pd.DataFrame(
                    {
                        "queue": queue,
                        "interval_start": [f"{day} {label}" for label in labels],
                        "actual": actual[h],
                        "calls": f[h],
                        "calls_p10": f[h] * q[h, 0],
                        "calls_p90": f[h] * q[h, 1],
                    }
                )
            )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _scores(recs, coverage: float):
    """Per backtest week: (week_start, wape_interval, wape_day, mase, coverage)."""
    rows = []
    for k, (start, horizon, scored, actual, f, scale) in enumerate(recs):
        a, fc = actual[scored], f[scored]
        total = a.sum()
        q = _quantiles(_ratios(recs, skip=k)[0], coverage, len(recs) - 1)
        hq = q[horizon[scored]]
        inside = (a >= fc * hq[:, 0:1]) & (a <= fc * hq[:, 1:2])
        rows.append(
            (
                start,
                np.abs(a - fc).sum() / total if total > 0 else np.nan,
                np.abs(a.sum(axis=1) - fc.sum(axis=1)).sum() / total if total > 0 else np.nan,
                np.abs(a - fc).mean() / scale if scale and a.size else np.nan,
                inside.mean() if a.size else np.nan,
            )
        )
    return rows


def _pick(records, scores) -> str:
    """``auto``: the method of lowest backtest WAPE, or a steadier one within one standard error.

    The backtest's weekly errors are noisy (12 weeks are 12 draws); a more elaborate method
    that wins by less than the noise often loses on the weeks that follow. So, as in the
    one-standard-error rule of model selection (Breiman et al. 1984; Hastie, Tibshirani and
    Friedman 2009, section 7.10), the first method in :data:`PREFERENCE` order (steadiest
    first) whose weekly interval WAPE exceeds the lowest method's by at most one standard
    error of the mean weekly difference is taken.
    """
    pooled = {}
    for m, recs in records.items():
        a = sum(np.abs(r[3][r[2]] - r[4][r[2]]).sum() for r in recs)
        t = sum(r[3][r[2]].sum() for r in recs)
        pooled[m] = a / t if t > 0 else np.inf
    best = min(pooled, key=pooled.get)
    weekly = {m: np.array([row[1] for row in scores[m]], dtype=float) for m in scores}
    for m in sorted(records, key=PREFERENCE.index):  # steadiest first
        diff = weekly[m] - weekly[best]
        diff = diff[np.isfinite(diff)]
        if m == best or diff.size < 2:
            return best if diff.size < 2 else m
        if diff.mean() <= diff.std(ddof=1) / np.sqrt(diff.size):
            return m
    return best


def forecast_history(
    history: History,
    start: date,
    days: int,
    settings: ForecastSettings | None = None,
    queues: tuple[str, ...] | None = None,
) -> Forecast:
    """Forecast every queue of ``history`` (or only ``queues``) for ``days`` days from
    ``start``.

    Only the history before ``start`` is used.

    Raises
    ------
    ValueError
        When the history before ``start`` is too short (two weeks at least, plus the backtest
        weeks for ``auto`` and the intervals).
    """
    settings = settings or ForecastSettings()
    cutoff_index = sum(d < start for d in history.dates)
    if cutoff_index < 14:
        raise ValueError(
            msg_n(
                "{source}: has {count} day before {start}: a forecast needs at least two weeks "
                "of history before its first day",
                "{source}: has {count} days before {start}: a forecast needs at least two weeks "
                "of history before its first day",
                count=cutoff_index,
                source=str(history.source),
                start=start.isoformat(),
            )
        )
    if history.dates[cutoff_index - 1] + timedelta(days=1) != start:
        # The days between history and start are forecast too, then dropped.
        lead = (start - history.dates[cutoff_index - 1]).days - 1
    else:
        lead = 0
    dates = [start - timedelta(days=lead) + timedelta(days=i) for i in range(lead + days)]
    methods = METHODS if settings.method == "auto" else (settings.method,)
    n_int = history.intervals_per_day
    made, rows, shown = {}, [], []
    for queue in history.queues if queues is None else queues:
        records = _backtest_queue(history, queue, cutoff_index, settings, methods)
        scores = {m: _scores(records[m], settings.interval_coverage) for m in methods}
        chosen = _pick(records, scores) if settings.method == "auto" else methods[0]
        for m in methods:
            for week_start, wi, wd, mase, cov in scores[m]:
                rows.append((queue, m, week_start, wi, wd, mase, cov, m == chosen))
        shown.append(
            _backtest_rows(
                queue, records[chosen], settings.interval_coverage, history.interval_labels
            )
        )
        prep = _prepare(history, queue, cutoff_index, settings)
        grid, labels = _forecast_grid(prep, chosen, dates, queue, settings, n_int)
        ratios, day_ratios = (
            _ratios(records[chosen])
            if records[chosen]
            else (
                [np.ones(1)] * BACKTEST_HORIZON_DAYS,
                [np.ones(1)] * BACKTEST_HORIZON_DAYS,
            )
        )
        q = _quantiles(ratios, settings.interval_coverage, len(records[chosen]))
        horizon = np.minimum(np.arange(len(dates)), BACKTEST_HORIZON_DAYS - 1)
        grid, horizon = grid[lead:], horizon[lead:]
        made[queue] = QueueForecast(
            queue=queue,
            method=chosen,
            calls=grid,
            calls_low=grid * q[horizon, 0][:, None],
            calls_high=grid * q[horizon, 1][:, None],
            day_ratios=tuple(day_ratios),
            open_weekdays=tuple(WEEKDAYS[w] for w in range(7) if prep.weekday_open[w]),
            special={d: text for d, text in labels.items() if d >= start},
            lead_days=lead,
        )
    backtest = pd.DataFrame(rows, columns=list(BACKTEST_COLUMNS))
    return Forecast(
        start,
        days,
        history.interval_minutes,
        tuple(history.interval_labels),
        made,
        backtest,
        pd.concat(shown, ignore_index=True) if shown else pd.DataFrame(),
    )
