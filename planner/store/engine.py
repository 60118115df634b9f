"""Where the store is, connecting to it, and its schema's migrations.

The database is ``$PLANNER_DB_URL`` when set (``postgresql+psycopg://user:password@host/db``
for a centre's shared server), else a SQLite file in the user's data folder
(:func:`default_url`). Every message names the URL with its password hidden
(:func:`shown_url`). The schema is built and upgraded by the Alembic migrations shipped in
``planner/store/migrations`` (run programmatically: no ``alembic.ini``, any working folder).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from planner.errors import PlannerError
from planner.messages import msg

__all__ = [
    "DB_URL_VARIABLE",
    "MIGRATIONS",
    "SchemaBehind",
    "SchemaTooNew",
    "StoreError",
    "StoreUnavailable",
    "connect",
    "current_revision",
    "default_url",
    "head_revision",
    "shown_url",
    "upgrade",
]

DB_URL_VARIABLE = "PLANNER_DB_URL"
"""The environment variable naming the database (an SQLAlchemy URL)."""

MIGRATIONS = Path(__file__).with_name("migrations")
"""The Alembic script folder, shipped inside the package."""

CONNECT_TIMEOUT_SECONDS = 5
"""How long a PostgreSQL connection is tried before the server counts as unreachable."""

SQLITE_BUSY_SECONDS = 30
"""How long a SQLite writer waits for another's transaction to end before giving up."""


class StoreError(PlannerError):
    """A problem with the store: the message names the database URL (never its password)."""


class StoreUnavailable(StoreError):
    """The database cannot be reached, refuses the login, or the URL is not one."""


class SchemaTooNew(StoreError):
    """The database was upgraded by a newer planner: this one does not read or write it."""


class SchemaBehind(StoreError):
    """The database's schema is older than this planner's: ``python -m planner db upgrade``."""


def default_url() -> str:
    """``$PLANNER_DB_URL``, else a SQLite file ``planner.db`` in the user's data folder:
    ``$XDG_DATA_HOME/contact-centre-planner`` (``~/.local/share/...`` when unset) on Linux,
    ``~/Library/Application Support/...`` on macOS, ``%APPDATA%\\...`` on Windows."""
    url = os.environ.get(DB_URL_VARIABLE)
    if url:
        return url
    return f"sqlite:///{data_folder() / 'planner.db'}"


def data_folder() -> Path:
    """The user's data folder for the planner (not created here)."""
    app = "contact-centre-planner"
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / app
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / app
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / app


def shown_url(url: str | URL) -> str:
    """The URL as messages show it: the password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a database URL)"


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreUnavailable(
            msg(
                "{variable} or --db: {url} is not a database URL (examples: "
                "sqlite:///path/planner.db, postgresql+psycopg://user:password@host/database)",
                variable=DB_URL_VARIABLE,
                url=shown_url(url),
            )
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreUnavailable(
            msg("database {url}: only SQLite and PostgreSQL are supported", url=shown_url(parsed))
        )
    return parsed


def connect(url: str | None = None) -> Engine:
    """An engine for ``url`` (default :func:`default_url`), with a first connection made to
    prove the database is there and lets us in.

    Raises
    ------
    StoreUnavailable
        Naming the URL (password hidden) and what went wrong: unreachable, login refused, no
        such database, or not a URL.
    """
    url = url or default_url()
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if (
            database
            and database != ":memory:"
            and url == default_url()
            and not os.environ.get(DB_URL_VARIABLE)
        ):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    else:
        try:
            engine = sa.create_engine(
                parsed, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS}
            )
        except NoSuchModuleError:
            raise StoreUnavailable(
                msg(
                    "database {url}: use the psycopg driver (postgresql+psycopg://...)",
                    url=shown_url(parsed),
                )
            ) from None
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except DBAPIError as exc:
        engine.dispose()
        raise StoreUnavailable(
            msg(
                "cannot open the database {url}: {reason}",
                url=shown_url(parsed),
                reason=_reason(exc),
            )
        ) from None
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Foreign keys are off by default in SQLite; the store relies on them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _reason(exc: DBAPIError) -> str:
    """The driver's reason in one line, in words a manager can act on."""
    text = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    lowered = text.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return msg("the server refused the login (wrong user name or password): {text}", text=text)
    if "connection refused" in lowered or "could not translate host" in lowered:
        return msg("no database server answers there: {text}", text=text)
    if "timeout" in lowered:
        return msg(
            "no answer within {seconds} s: {text}", seconds=CONNECT_TIMEOUT_SECONDS, text=text
        )
    return text


def _alembic_config(connection: sa.Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this planner knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def known_revisions() -> set[str]:
    """Every schema revision this planner's migrations define."""
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision (None: an empty database, or one from before Alembic)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_revision(engine: Engine, *, allow_behind: bool = False) -> str | None:
    """The database's revision, after refusing one this planner cannot use.

    Raises
    ------
    SchemaTooNew
        A revision this planner's migrations do not know (a newer planner wrote it).
    SchemaBehind
        An older revision, unless ``allow_behind``.
    """
    revision = current_revision(engine)
    found = {"url": shown_url(engine.url), "revision": revision, "head": head_revision()}
    if revision is not None and revision not in known_revisions():
        raise SchemaTooNew(
            msg(
                "the database {url} has schema revision '{revision}', newer than this planner "
                "knows (newest '{head}'): upgrade the planner; nothing was written",
                **found,
            )
        )
    if revision != head_revision() and not allow_behind:
        raise SchemaBehind(
            msg(
                "the database {url} has schema revision '{revision}', older than this "
                "planner's '{head}': run 'python -m planner db upgrade'",
                **found,
            )
        )
    return revision


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Run the migrations up to ``revision`` in one transaction; returns the revisions before
    and after.

    Raises
    ------
    SchemaTooNew
        The database is at a revision this planner does not know; nothing is changed.
    """
    from alembic import command

    before = check_revision(engine, allow_behind=True)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)
    return before, current_revision(engine) or ""
