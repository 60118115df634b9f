"""The store's tables, as SQLAlchemy 2 declarative models.

What is kept, and how it may change:

- ``scenarios``: a scenario by its key (the file's stem unless named), and ``scenario_versions``:
  every saved version's YAML text, immutable, with author, time, note and the unified diff to
  the version before. ``(scenario_id, number)`` is unique: two saves on one base version cannot
  both win (optimistic locking, :meth:`planner.store.repository.Store.save_scenario`).
- ``stored_files``: the files a scenario version names (forecasts, operators), by content
  (SHA-256), each stored once; ``scenario_version_files`` links a version to them by the name
  the scenario uses.
- ``plans`` (scenario version, solver settings, outcome, KPIs) and ``plan_files`` (the plan's
  output files, :func:`planner.io.export.plan_files`): written once, never changed.
- ``rosters`` (the plan they roster, ``draft`` or ``published``) and ``roster_files``
  (:func:`planner.roster.export.roster_files`); a published roster is never changed (the
  repository refuses, and a database trigger too, migration 0002): a change publishes a new
  roster, whose ``roster_changes`` list the operators whose shifts changed and how.
- ``simulations`` of a plan, or of a roster of it (:func:`planner.simulate.simulation_document`).
- ``forecasts``: the history file and special-days file (by content, in ``stored_files``), the
  settings (method, start, days, interval, window, country, ...), and the forecast and backtest
  CSV files written (by content too), with a summary per queue.

Times are UTC. Contents are bytes (``LargeBinary``), as the exporters write them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "Base",
    "Forecast",
    "Plan",
    "PlanFile",
    "Roster",
    "RosterChange",
    "RosterFile",
    "Scenario",
    "ScenarioVersion",
    "ScenarioVersionFile",
    "Simulation",
    "StoredFile",
    "Workspace",
]


def utc_now() -> datetime:
    """Now, in UTC (every time in the store is UTC)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """The store's declarative base; ``Base.metadata`` is what the migrations build."""


class Scenario(Base):
    """A scenario by its key; its content is in its versions."""

    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    versions: Mapped[list[ScenarioVersion]] = relationship(
        back_populates="scenario", order_by="ScenarioVersion.number"
    )


class ScenarioVersion(Base):
    """One saved version of a scenario: immutable."""

    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("scenario_id", "number", name="uq_scenario_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    note: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(String(500), default="")  # the scenario's own name
    text: Mapped[str] = mapped_column(Text)  # the YAML as saved
    sha256: Mapped[str] = mapped_column(String(64))
    diff: Mapped[str] = mapped_column(Text, default="")  # unified diff to the version before
    scenario: Mapped[Scenario] = relationship(back_populates="versions")
    files: Mapped[list[ScenarioVersionFile]] = relationship(order_by="ScenarioVersionFile.name")


class StoredFile(Base):
    """A file's content, stored once however many versions name it."""

    __tablename__ = "stored_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ScenarioVersionFile(Base):
    """A file a scenario version names (``kind``: ``forecast`` or ``operators``)."""

    __tablename__ = "scenario_version_files"
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(500), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    file: Mapped[StoredFile] = relationship()


class Plan(Base):
    """A shift plan of a scenario version: solver settings, outcome, KPIs and its files."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    note: Mapped[str] = mapped_column(Text, default="")
    solver_settings: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(40))
    objective: Mapped[float | None] = mapped_column(Float, nullable=True)
    best_bound: Mapped[float | None] = mapped_column(Float, nullable=True)
    gap: Mapped[float | None] = mapped_column(Float, nullable=True)
    solve_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    paid_hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    cost: Mapped[float | None] = mapped_column(Float, nullable=True)
    valid: Mapped[bool] = mapped_column(default=True)
    kpis: Mapped[dict] = mapped_column(JSON)  # kpis.json's document
    version: Mapped[ScenarioVersion] = relationship()
    files: Mapped[list[PlanFile]] = relationship(order_by="PlanFile.name")


class PlanFile(Base):
    """One output file of a plan (``shifts.csv``, ``coverage.csv``, ...)."""

    __tablename__ = "plan_files"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Roster(Base):
    """A named roster of a plan: ``draft``, or ``published`` (then never changed).

    ``publication`` numbers the published rosters of one scenario (1, 2, ...); ``replaces_id``
    is the published roster this one replaced, whose differences are its ``changes``.
    """

    __tablename__ = "rosters"
    __table_args__ = (UniqueConstraint("scenario_id", "publication", name="uq_publication"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="draft")
    publication: Mapped[int | None] = mapped_column(Integer, nullable=True)
    published_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("rosters.id"), nullable=True)
    summary: Mapped[dict] = mapped_column(JSON)  # roster.json's document
    plan: Mapped[Plan] = relationship()
    files: Mapped[list[RosterFile]] = relationship(
        order_by="RosterFile.name", cascade="all, delete-orphan"
    )
    changes: Mapped[list[RosterChange]] = relationship(
        order_by="RosterChange.position", cascade="all, delete-orphan"
    )


class RosterFile(Base):
    """One output file of a roster (``roster.csv``, ``unassigned.csv``, ...)."""

    __tablename__ = "roster_files"
    roster_id: Mapped[int] = mapped_column(ForeignKey("rosters.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class RosterChange(Base):
    """How one operator's shifts changed from the roster replaced to this one."""

    __tablename__ = "roster_changes"
    roster_id: Mapped[int] = mapped_column(ForeignKey("rosters.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    operator: Mapped[str] = mapped_column(String(200))
    day: Mapped[str] = mapped_column(String(10))
    before: Mapped[str] = mapped_column(String(200))  # "09:00-17:00 (breaks ...)" or "off"
    after: Mapped[str] = mapped_column(String(200))


class Simulation(Base):
    """A call-by-call simulation of a plan (``simulation.json``'s document)."""

    __tablename__ = "simulations"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    replications: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict] = mapped_column(JSON)
    # The roster simulated (``simulate --roster``), None for the plan itself (migration 0004).
    roster_id: Mapped[int | None] = mapped_column(
        ForeignKey("rosters.id", name="fk_simulations_roster_id"), nullable=True
    )


class Forecast(Base):
    """A forecast made from a history file: what it read, how, and what it wrote (migration
    0004). Written once, never changed."""

    __tablename__ = "forecasts"
    id: Mapped[int] = mapped_column(primary_key=True)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    note: Mapped[str] = mapped_column(Text, default="")
    history_name: Mapped[str] = mapped_column(String(500))
    history_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    special_days_name: Mapped[str | None] = mapped_column(String(500), nullable=True)
    special_days_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id"), nullable=True
    )
    settings: Mapped[dict] = mapped_column(JSON)  # method, start, days, interval, window, ...
    summary: Mapped[dict] = mapped_column(JSON)  # per queue: method chosen, calls, backtest
    forecast_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    backtest_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id"), nullable=True
    )
    history_file: Mapped[StoredFile] = relationship(foreign_keys=[history_file_id])
    special_days_file: Mapped[StoredFile | None] = relationship(foreign_keys=[special_days_file_id])
    forecast_file: Mapped[StoredFile] = relationship(foreign_keys=[forecast_file_id])
    backtest_file: Mapped[StoredFile | None] = relationship(foreign_keys=[backtest_file_id])


class Workspace(Base):
    """A session's work in progress, by workspace name (:mod:`planner.store.workspace`): the
    only row the store overwrites, since it is a copy of a session, not saved work."""

    __tablename__ = "workspaces"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    content: Mapped[bytes] = mapped_column(LargeBinary)
