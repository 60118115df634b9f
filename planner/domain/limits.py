"""Plausible bounds on every number a user can type, and size limits on what the planner reads.

A value beyond any real contact centre is refused when the scenario is read, not computed: a
headcount of 2^63 or a cost of 1e300 would otherwise overflow, run for hours or produce a plan
nobody can check. The bounds are generous (ten to a hundred times the largest real figure we
know of); a scenario that meets one is almost certainly a typo or a hostile file. Each bound is
named here once; the schema (:mod:`planner.domain.scenario`), the cross-field checks
(:mod:`planner.domain.checks`) and the file readers (:mod:`planner.io`) use these names, and
``scenarios/README.md`` lists them.

Reference figures (``DOMAIN.md``): the 1414 centre took about 6,000 calls a day with 71
operators; AHT 5-8 min; 80/20 service target; 8-12 h shifts.
"""

from __future__ import annotations

from datetime import date

__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "MAX_ANSWER_SECONDS",
    "MAX_BREAK_MINUTES",
    "MAX_CALLS_PER_DAY",
    "MAX_CONSECUTIVE_DAYS",
    "MAX_COST_PER_HOUR",
    "MAX_DATE_RANGE_DAYS",
    "MAX_FORECAST_BYTES",
    "MAX_FORECAST_ROWS",
    "MAX_HANDLING_SECONDS",
    "MAX_HEADCOUNT",
    "MAX_HISTORY_BYTES",
    "MAX_HISTORY_ROWS",
    "MAX_HORIZON_DAYS",
    "MAX_HOURS_PER_WEEK",
    "MAX_LAG_SECONDS",
    "MAX_OPERATOR_BYTES",
    "MAX_OPERATOR_ROWS",
    "MAX_OVERTIME_HOURS",
    "MAX_PLAN_CELLS",
    "MAX_PRIORITY",
    "MAX_PROFILE_WEIGHT",
    "MAX_REST_HOURS",
    "MAX_ROSTER_CELLS",
    "MAX_SCENARIO_BYTES",
    "MAX_SEED",
    "MAX_SHIFT_HOURS",
    "MAX_SURGE_DAYS",
    "MAX_SURGE_MULTIPLIER",
    "MAX_TIME_LIMIT_SECONDS",
    "MAX_WEIGHT",
    "MAX_WORKERS",
    "MAX_YAML_ALIASES",
    "MAX_YAML_ALIAS_NODES",
    "MAX_YAML_DEPTH",
    "MINUTES_PER_DAY",
    "MIN_HANDLING_SECONDS",
]

# ----- numbers in a scenario ----------------------------------------------------------------------

MAX_CALLS_PER_DAY = 10_000_000
"""Calls a day to one queue (``calls_per_day``, each ``calls_per_weekday`` and ``calls_by_day``
value, a surge's ``added_calls_per_day``) and calls in one forecast row; a forecast's calls for
one queue on one day are bounded by it too. The busiest national lines take well under a
million a day."""

MAX_HANDLING_SECONDS = 4 * 3600
"""``aht_seconds`` (and a forecast's ``aht_seconds``) and ``patience_seconds``: at most 4 h."""

MIN_HANDLING_SECONDS = 1
"""``aht_seconds`` and ``patience_seconds``: at least 1 s."""

MAX_ANSWER_SECONDS = 3600
"""``answer_within_seconds`` and ``max_asa_seconds``: at most 1 h."""

MAX_LAG_SECONDS = 3600
"""``staffing_lag_seconds``: at most 1 h (about one AHT is the usual lag)."""

MAX_HEADCOUNT = 100_000
"""A pool's ``headcount``, a queue's ``min_agents``, a headcount change, and a pool's headcount
on any day after its changes."""

MAX_COST_PER_HOUR = 1e9
"""``cost_per_hour``: finite and at most 1e9 money units an hour (any currency)."""

MAX_WEIGHT = 1e9
"""Each objective weight (``weights.*``): finite and at most 1e9 an hour (or a call)."""

MAX_SURGE_MULTIPLIER = 100.0
"""A surge's ``peak_multiplier``: at most 100 times the baseline (the 2022 emergency: 4x)."""

MAX_HORIZON_DAYS = 366
"""``horizon.days``: at most a (leap) year."""

MAX_SURGE_DAYS = MAX_HORIZON_DAYS
"""A surge's ``ramp_up_days``, ``plateau_days``, ``half_life_days`` and ``duration_days``: at
most the longest horizon."""

DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)
"""Every date in a scenario (horizon start, surge start, operating-mode dates, headcount-change
dates) and in an operators file lies in 2000-01-01 .. 2100-12-31."""

MAX_DATE_RANGE_DAYS = MAX_HORIZON_DAYS
"""A range ``first..last`` in an operators file spans at most this many days (write several
ranges for a longer absence)."""

MAX_PRIORITY = 100
"""Queue priorities run 1 (default) to this; larger is served first."""

MAX_SEED = 2**31 - 1
"""``solver.seed``: CP-SAT's random seed is a 32-bit signed integer."""

MAX_WORKERS = 64
"""``solver.workers``."""

MAX_TIME_LIMIT_SECONDS = 24 * 3600
"""``solver.time_limit_seconds``: finite, > 0 and at most a day."""

MINUTES_PER_DAY = 24 * 60
"""Shift lengths, start steps and break lengths and offsets (minutes): at most a day."""

MAX_BREAK_MINUTES = MINUTES_PER_DAY
"""Break lengths and offsets inside a shift: at most a day."""

MAX_SHIFT_HOURS = 24.0
"""``labour.max_shift_hours``, ``labour.long_shift_hours``, an operator's ``max_shift_hours``."""

MAX_REST_HOURS = 48.0
"""``labour.min_rest_hours``: at most two days."""

MAX_HOURS_PER_WEEK = 168.0
"""``labour.max_hours_per_week``, a pool's ``max_hours_per_week`` and an operator's
``contract_hours_per_week``: at most the hours in a week."""

MAX_OVERTIME_HOURS = 366 * 24.0
"""``labour.max_overtime_hours_per_month`` and ``_per_year``, and an operator's overtime
already worked this month or year: at most the hours in a (leap) year."""

MAX_CONSECUTIVE_DAYS = 7
"""``labour.max_consecutive_days``: the labour rules count within 7-day weeks, so more than 7
means nothing (set ``min_days_off_per_week: 0`` to let operators work every day)."""

MAX_PROFILE_WEIGHT = 1e9
"""Each share in a profile written as a list: finite and at most 1e9 (shares are relative)."""

# ----- sizes of what is read ----------------------------------------------------------------------

MAX_SCENARIO_BYTES = 1_000_000
"""A scenario YAML file: at most 1 MB (the shipped ones are about 4 KB)."""

MAX_YAML_ALIASES = 100
"""Alias uses (``*name``) in one YAML document. A "billion laughs" file nests aliases so that a
2 KB file expands to gigabytes; a scenario needs none, so a few are allowed, no more."""

MAX_YAML_ALIAS_NODES = 10_000
"""Values that aliases may repeat in all, counting what each expands to (a merge of a 10-field
mapping used 20 times repeats about 400)."""

MAX_YAML_DEPTH = 20
"""Nesting of mappings and lists in one YAML document (a scenario needs 5)."""

MAX_FORECAST_BYTES = 20_000_000
"""A forecast CSV file: at most 20 MB (a year of 15-min intervals for 10 queues is ~15 MB)."""

MAX_FORECAST_ROWS = 1_000_000
"""Rows in a forecast file: at most a million (366 days x 96 intervals x 28 queues)."""

MAX_HISTORY_BYTES = 200_000_000
"""A history CSV file (forecasting): at most 200 MB (two years of 5-min intervals for 10
queues, 09:00-21:00, is about 100 MB)."""

MAX_HISTORY_ROWS = 5_000_000
"""Rows in a history file: at most five million."""

MAX_OPERATOR_BYTES = 20_000_000
"""An operators file (CSV or YAML): at most 20 MB."""

MAX_OPERATOR_ROWS = 100_000
"""Operators in an operators file: at most 100,000 (the largest headcount of one pool)."""

# ----- sizes of the models built ------------------------------------------------------------------

MAX_PLAN_CELLS = 50_000_000
"""Estimated size of the shift plan (:func:`planner.domain.checks.plan_size`): shift options
(days x each pool's templates x their allowed starts) times intervals per day. The emergency
scenario is about 21,500; a year of it about 1.1 million. Above the limit the scenario is
refused, naming the settings that drive the size (``horizon.days``, ``start_step_minutes``,
``interval_minutes``, the pools' ``shift_templates``)."""

MAX_ROSTER_CELLS = 20_000_000
"""Estimated size of the roster (:func:`planner.domain.checks.roster_size`): for each operator,
the shift options of their pool over the horizon (days x templates x starts). The emergency
roster (71 operators) is about 11,000. Above the limit the operators file is refused."""
