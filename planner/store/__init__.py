"""Saved work in a database: scenario versions, plans, rosters (draft, published), simulations,
forecasts.

SQLite in the user's data folder by default, PostgreSQL by URL (``$PLANNER_DB_URL``); the schema
is the Alembic migrations in ``migrations/``. :class:`Store` is the one entry point the CLI and
the app use.
"""

from planner.store.changes import ShiftChange, roster_changes
from planner.store.engine import (
    DB_URL_VARIABLE,
    SchemaBehind,
    SchemaTooNew,
    StoreError,
    StoreUnavailable,
    default_url,
    shown_url,
)
from planner.store.repository import (
    ForecastRecord,
    NotFound,
    PlanRecord,
    RosterPublished,
    RosterRecord,
    Store,
    VersionConflict,
    VersionRecord,
)

__all__ = [
    "DB_URL_VARIABLE",
    "ForecastRecord",
    "NotFound",
    "PlanRecord",
    "RosterPublished",
    "RosterRecord",
    "SchemaBehind",
    "SchemaTooNew",
    "ShiftChange",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "VersionConflict",
    "VersionRecord",
    "default_url",
    "roster_changes",
    "shown_url",
]
