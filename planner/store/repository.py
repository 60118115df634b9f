"""The store's repository: what the CLI and the app call to keep and reopen saved work.

Every call is one transaction: it happens entirely or not at all (a process killed in the
middle of a save leaves the database as it was). Stored versions, plans and published rosters
are never changed; what a call returns is a frozen record, detached from the database.

Optimistic locking: a scenario is saved on top of the version it was edited from
(``base_version``). When someone else saved a version since, the save is refused with
:class:`VersionConflict` ("changed by X at T; reload and merge") and nothing is written, so
neither manager's work is lost: theirs is stored, yours is still in your file or page.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from planner.messages import msg
from planner.store import models as m
from planner.store.changes import ShiftChange, roster_changes, text_diff
from planner.store.engine import (
    StoreError,
    StoreUnavailable,
    check_revision,
    connect,
    shown_url,
    upgrade,
)

__all__ = [
    "ForecastRecord",
    "NotFound",
    "PlanRecord",
    "RosterPublished",
    "RosterRecord",
    "SimulationRecord",
    "Store",
    "VersionConflict",
    "VersionRecord",
]


class NotFound(StoreError):
    """No stored item with that id or key."""


class VersionConflict(StoreError):
    """Someone saved a newer version since the one this edit started from; nothing written."""


class RosterPublished(StoreError):
    """A published roster is never changed: publish a new one."""


@dataclass(frozen=True)
class VersionRecord:
    """A scenario version. ``text``, ``diff`` and ``files`` are empty in listings."""

    id: int
    key: str
    number: int
    author: str
    created_at: datetime
    note: str
    title: str
    sha256: str
    text: str = ""
    diff: str = ""
    files: Mapping[str, tuple[str, bytes]] = field(default_factory=dict)  # name: (kind, bytes)

    @property
    def ref(self) -> str:
        """How the CLI names it: ``key@number``."""
        return f"{self.key}@{self.number}"


@dataclass(frozen=True)
class PlanRecord:
    """A stored plan; ``files`` (name -> content) is empty in listings."""

    id: int
    scenario: str
    version: int
    author: str
    created_at: datetime
    note: str
    status: str
    objective: float | None
    gap: float | None
    paid_hours: float | None
    cost: float | None
    valid: bool
    solver_settings: Mapping
    kpis: Mapping
    files: Mapping[str, bytes]

    @property
    def ref(self) -> str:
        return f"p{self.id}"


@dataclass(frozen=True)
class RosterRecord:
    """A stored roster; ``files`` and ``changes`` are empty in listings."""

    id: int
    plan_id: int
    scenario: str
    author: str
    created_at: datetime
    note: str
    state: str
    publication: int | None
    published_by: str | None
    published_at: datetime | None
    replaces_id: int | None
    summary: Mapping
    files: Mapping[str, bytes]
    changes: tuple[ShiftChange, ...] = ()

    @property
    def ref(self) -> str:
        return f"r{self.id}"

    @property
    def published(self) -> bool:
        return self.state == "published"


@dataclass(frozen=True)
class ForecastRecord:
    """A stored forecast; ``files`` (name -> content: ``forecast.csv``, ``backtest.csv``, the
    history as ``history.csv``, ``special_days.csv``) is empty in listings."""

    id: int
    author: str
    created_at: datetime
    note: str
    history_name: str
    history_sha256: str
    special_days_name: str | None
    settings: Mapping
    summary: Mapping
    files: Mapping[str, bytes]

    @property
    def ref(self) -> str:
        return f"f{self.id}"


@dataclass(frozen=True)
class SimulationRecord:
    """A stored simulation: of plan ``plan_id``, or of its roster ``roster_id``."""

    id: int
    plan_id: int
    roster_id: int | None
    author: str
    created_at: datetime
    document: Mapping


def utc(moment: datetime | None) -> datetime | None:
    """A stored time as an aware UTC time (SQLite keeps no time zone; every time stored is
    UTC)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def _published_guard(session: Session, _context, _instances) -> None:
    """Refuse, before anything reaches the database, a change to a published roster or its
    files (the database's triggers refuse it too, for writers that bypass this code)."""
    for obj in [*session.dirty, *session.deleted]:
        roster = None
        if isinstance(obj, m.Roster):
            state = sa.inspect(obj).attrs.state.history
            was = state.deleted[0] if state.deleted else obj.state
            if was == "published":
                roster = obj
        elif isinstance(obj, m.RosterFile | m.RosterChange):
            parent = session.get(m.Roster, obj.roster_id)
            if parent is not None and parent.state == "published":
                roster = parent
        if roster is not None:
            raise RosterPublished(
                msg(
                    "roster {roster} is published (publication {publication}): it is never "
                    "changed; save a new roster and publish it",
                    roster=f"r{roster.id}",
                    publication=str(roster.publication),
                )
            )
    for obj in session.new:
        if isinstance(obj, m.RosterFile):
            parent = session.get(m.Roster, obj.roster_id)
            if parent is not None and parent.state == "published":
                raise RosterPublished(
                    msg("roster {roster} is published: it is never changed", roster=f"r{parent.id}")
                )


def _is_race(exc: IntegrityError) -> bool:
    """A unique key another save took first: a version number, or a new scenario's key."""
    text = str(exc.orig)
    return any(
        name in text
        for name in (
            "uq_scenario_version",  # PostgreSQL names the constraint
            "scenario_versions.scenario_id, scenario_versions.number",  # SQLite the columns
            "scenarios_key_key",
            "scenarios.key",
        )
    )


def _summary(row) -> VersionRecord:
    values = list(row)
    values[4] = utc(values[4])
    return VersionRecord(*values)


class Store:
    """Saved work in one database (SQLite or PostgreSQL).

    Parameters
    ----------
    url : str, optional
        An SQLAlchemy URL; default :func:`planner.store.engine.default_url`.
    upgrade_schema : bool or None
        Bring an older schema up to date on opening: True always, False never (then an older
        schema is refused, :class:`~planner.store.engine.SchemaBehind`), None (the default)
        for SQLite only: a shared PostgreSQL server is upgraded by ``db upgrade`` on purpose.

    Raises
    ------
    StoreUnavailable, SchemaTooNew, SchemaBehind
        Naming the URL without its password; nothing is written.
    """

    def __init__(self, url: str | None = None, *, upgrade_schema: bool | None = None):
        self.engine = connect(url)
        self.url = shown_url(self.engine.url)
        if upgrade_schema is None:
            upgrade_schema = self.engine.dialect.name == "sqlite"
        try:
            if upgrade_schema:
                upgrade(self.engine)
            check_revision(self.engine)
        except BaseException:
            self.engine.dispose()
            raise
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        sa.event.listen(self._sessions, "before_flush", _published_guard)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed at the end of the block, rolled back on
        any error (then nothing of it is written)."""
        try:
            with self._sessions.begin() as session:
                yield session
        except DBAPIError as exc:
            if isinstance(exc, IntegrityError):
                raise
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreUnavailable(
                msg("database {url}: {reason}; nothing written", url=self.url, reason=reason)
            ) from None

    # ---- scenarios -------------------------------------------------------------------------

    def save_scenario(
        self,
        key: str,
        text: str,
        *,
        author: str,
        note: str = "",
        title: str = "",
        base_version: int | None = None,
        files: Mapping[str, tuple[str, bytes]] | None = None,
    ) -> tuple[VersionRecord, bool]:
        """Save ``text`` as the next version of scenario ``key``.

        Parameters
        ----------
        key : str
            The scenario's key (the file's stem unless named otherwise).
        text : str
            The scenario's YAML, as checked by :func:`planner.io.scenario_file.parse_scenario`.
        author, note, title : str
            Who saves it, why, and the scenario's own ``name``.
        base_version : int, optional
            The version this text was edited from (0: a new scenario). When a later version
            exists the save is refused. None: on top of the latest, whatever it is.
        files : mapping, optional
            The files the scenario names: name -> (kind, content), kind ``forecast`` or
            ``operators``.

        Returns
        -------
        (VersionRecord, bool)
            The version, and whether it is new: the same text and files as the latest
            version make no new version.

        Raises
        ------
        VersionConflict
            "changed by X at T; reload and merge": nothing written.
        """
        files = dict(files or {})
        digest = sha256(text + json.dumps({k: sha256(v[1]) for k, v in sorted(files.items())}))
        try:
            with self.session() as s:
                scenario = s.scalar(sa.select(m.Scenario).where(m.Scenario.key == key))
                if scenario is None:
                    scenario = m.Scenario(key=key)
                    s.add(scenario)
                    s.flush()
                latest = self._latest(s, key)
                latest_number = latest.number if latest else 0
                if base_version is not None and base_version != latest_number:
                    raise self._conflict(key, base_version, latest)
                if latest is not None and latest.sha256 == digest:
                    return self._version_record(latest, key, full=True), False
                diff = text_diff(
                    latest.text if latest else "",
                    text,
                    before_name=f"{key}@{latest_number}" if latest else "/dev/null",
                    after_name=f"{key}@{latest_number + 1}",
                )
                version = m.ScenarioVersion(
                    scenario_id=scenario.id,
                    number=latest_number + 1,
                    author=author,
                    note=note,
                    title=title,
                    text=text,
                    sha256=digest,
                    diff=diff,
                )
                s.add(version)
                s.flush()
                for name, (kind, content) in sorted(files.items()):
                    stored = self._stored_file(s, content)
                    s.add(
                        m.ScenarioVersionFile(
                            version_id=version.id, name=name, kind=kind, file_id=stored.id
                        )
                    )
                s.flush()
                s.refresh(version)
                return self._version_record(version, key, full=True), True
        except IntegrityError as exc:
            if not _is_race(exc):
                raise
            # Another save took the same number (or key) between our read and our write.
            with self.session() as s:
                latest = self._latest(s, key)
                raise self._conflict(key, base_version, latest) from None

    def _conflict(self, key: str, base: int | None, latest) -> VersionConflict:
        when = utc(latest.created_at).strftime("%Y-%m-%d %H:%M:%S UTC") if latest else "?"
        who = latest.author if latest else "?"
        number = latest.number if latest else 0
        return VersionConflict(
            msg(
                "scenario '{key}' changed by {who} at {when} (version {number}; yours is based "
                "on version {base}): reload and merge; nothing was written",
                key=key,
                who=who,
                when=when,
                number=str(number),
                base=str(base),
            )
        )

    def _no_plan(self, plan_id: int) -> NotFound:
        return NotFound(msg("no plan {plan} in {url}", plan=f"p{plan_id}", url=self.url))

    def _no_roster(self, roster_id: int) -> NotFound:
        return NotFound(msg("no roster {roster} in {url}", roster=f"r{roster_id}", url=self.url))

    @staticmethod
    def _stored_file(s: Session, content: bytes) -> m.StoredFile:
        digest = sha256(content)
        stored = s.scalar(sa.select(m.StoredFile).where(m.StoredFile.sha256 == digest))
        if stored is None:
            stored = m.StoredFile(sha256=digest, size_bytes=len(content), content=content)
            s.add(stored)
            s.flush()
        return stored

    @staticmethod
    def _latest(s: Session, key: str) -> m.ScenarioVersion | None:
        return s.scalar(
            sa.select(m.ScenarioVersion)
            .join(m.Scenario)
            .where(m.Scenario.key == key)
            .order_by(m.ScenarioVersion.number.desc())
            .limit(1)
        )

    @staticmethod
    def _version_record(v: m.ScenarioVersion, key: str, *, full: bool) -> VersionRecord:
        return VersionRecord(
            id=v.id,
            key=key,
            number=v.number,
            author=v.author,
            created_at=utc(v.created_at),
            note=v.note,
            title=v.title,
            sha256=v.sha256,
            text=v.text if full else "",
            diff=v.diff if full else "",
            files={f.name: (f.kind, f.file.content) for f in v.files} if full else {},
        )

    _SUMMARY = (
        m.ScenarioVersion.id,
        m.Scenario.key,
        m.ScenarioVersion.number,
        m.ScenarioVersion.author,
        m.ScenarioVersion.created_at,
        m.ScenarioVersion.note,
        m.ScenarioVersion.title,
        m.ScenarioVersion.sha256,
    )

    def list_scenarios(self) -> list[VersionRecord]:
        """The latest version of every scenario, by key (text not loaded)."""
        with self.session() as s:
            newest = (
                sa.select(
                    m.ScenarioVersion.scenario_id, sa.func.max(m.ScenarioVersion.number).label("n")
                )
                .group_by(m.ScenarioVersion.scenario_id)
                .subquery()
            )
            rows = s.execute(
                sa.select(*self._SUMMARY)
                .join(m.Scenario)
                .join(
                    newest,
                    (newest.c.scenario_id == m.ScenarioVersion.scenario_id)
                    & (newest.c.n == m.ScenarioVersion.number),
                )
                .order_by(m.Scenario.key)
            )
            return [_summary(row) for row in rows]

    def history(self, key: str | None = None, *, limit: int | None = None) -> list[VersionRecord]:
        """Versions of scenario ``key`` (every scenario when None), newest first, without their
        text (one query; a thousand versions in milliseconds)."""
        with self.session() as s:
            query = sa.select(*self._SUMMARY).join(m.Scenario)
            if key is not None:
                query = query.where(m.Scenario.key == key)
            query = query.order_by(m.ScenarioVersion.created_at.desc(), m.ScenarioVersion.id.desc())
            rows = list(s.execute(query.limit(limit)))
            if key is not None and not rows:
                raise NotFound(msg("no scenario '{key}' in {url}", key=key, url=self.url))
            return [_summary(row) for row in rows]

    def version(self, key: str, number: int | None = None) -> VersionRecord:
        """Scenario ``key``'s version ``number`` (latest when None), with its text, diff and
        files."""
        with self.session() as s:
            query = sa.select(m.ScenarioVersion).join(m.Scenario).where(m.Scenario.key == key)
            if number is None:
                query = query.order_by(m.ScenarioVersion.number.desc()).limit(1)
            else:
                query = query.where(m.ScenarioVersion.number == number)
            v = s.scalar(query)
            if v is None:
                what = f"{key}@{number}" if number is not None else repr(key)
                raise NotFound(msg("no scenario version {what} in {url}", what=what, url=self.url))
            return self._version_record(v, key, full=True)

    def load_scenario(self, key: str, number: int | None = None):
        """A stored version as a checked :class:`~planner.domain.scenario.Scenario`, with the
        files it names from the store (nothing read from disk)."""
        from planner.io.scenario_file import parse_scenario
        from planner.io.yaml_strict import read_yaml

        v = self.version(key, number)
        source = f"{v.ref} ({self.url})"
        return parse_scenario(
            read_yaml(v.text, source),
            source=source,
            forecast_files={n: c for n, (k, c) in v.files.items() if k == "forecast"},
            operator_files={n: c for n, (k, c) in v.files.items() if k == "operators"},
        )

    def save_scenario_file(
        self,
        path: str | Path,
        *,
        author: str,
        key: str | None = None,
        note: str = "",
        base_version: int | None = None,
    ) -> tuple[VersionRecord, bool]:
        """Check a scenario file (as ``validate`` does) and save it with the files it names.

        Raises
        ------
        ScenarioError
            The file is not a valid scenario: nothing saved.
        VersionConflict
            See :meth:`save_scenario`.
        """
        from planner.domain import limits
        from planner.io.files import read_named_file
        from planner.io.scenario_file import load_scenario

        path = Path(path)
        scenario = load_scenario(path)  # checks everything, the files it names included
        text = path.read_text(encoding="utf-8")
        named: dict[str, tuple[str, bytes]] = {}
        for q in scenario.queues:
            if q.demand is not None and q.demand.forecast_csv is not None:
                raw, _ = read_named_file(
                    q.demand.forecast_csv, path.parent, {}, max_bytes=limits.MAX_FORECAST_BYTES
                )
                named[q.demand.forecast_csv] = ("forecast", raw)
        if scenario.operators_file is not None:
            raw, _ = read_named_file(
                scenario.operators_file, path.parent, {}, max_bytes=limits.MAX_OPERATOR_BYTES
            )
            named[scenario.operators_file] = ("operators", raw)
        return self.save_scenario(
            key or path.stem,
            text,
            author=author,
            note=note,
            title=scenario.name,
            base_version=base_version,
            files=named,
        )

    # ---- plans -----------------------------------------------------------------------------

    def save_plan(
        self, version_id: int, files: Mapping[str, bytes], *, author: str, note: str = ""
    ) -> PlanRecord:
        """Keep a plan of a scenario version: its output files
        (:func:`planner.io.export.plan_files`), the solver's settings and outcome and the KPIs
        read from ``kpis.json``."""
        kpis = json.loads(files["kpis.json"])
        solver = kpis.get("solver", {})
        settings = {
            k: solver.get(k)
            for k in ("time_limit_seconds", "relative_gap_limit", "seed", "workers")
        }
        with self.session() as s:
            if s.get(m.ScenarioVersion, version_id) is None:
                raise NotFound(
                    msg(
                        "no scenario version with id {id} in {url}",
                        id=str(version_id),
                        url=self.url,
                    )
                )
            plan = m.Plan(
                version_id=version_id,
                author=author,
                note=note,
                solver_settings=settings,
                status=str(solver.get("status", "")),
                objective=solver.get("objective"),
                best_bound=solver.get("best_bound"),
                gap=solver.get("gap"),
                solve_seconds=solver.get("solve_seconds"),
                paid_hours=kpis.get("paid_hours"),
                cost=kpis.get("cost"),
                valid=bool(kpis.get("validation", {}).get("ok", True)),
                kpis=kpis,
            )
            s.add(plan)
            s.flush()
            s.add_all(m.PlanFile(plan_id=plan.id, name=n, content=c) for n, c in files.items())
            s.flush()
            return self._plan_record(s, plan, full=True)

    @staticmethod
    def _plan_record(s: Session, p: m.Plan, *, full: bool) -> PlanRecord:
        return PlanRecord(
            id=p.id,
            scenario=p.version.scenario.key,
            version=p.version.number,
            author=p.author,
            created_at=utc(p.created_at),
            note=p.note,
            status=p.status,
            objective=p.objective,
            gap=p.gap,
            paid_hours=p.paid_hours,
            cost=p.cost,
            valid=p.valid,
            solver_settings=p.solver_settings,
            kpis=p.kpis if full else {},
            files={f.name: f.content for f in p.files} if full else {},
        )

    def list_plans(self, key: str | None = None, *, limit: int | None = None) -> list[PlanRecord]:
        """Plans, newest first (of scenario ``key`` when given), without their files."""
        with self.session() as s:
            query = sa.select(m.Plan).join(m.ScenarioVersion).join(m.Scenario)
            if key is not None:
                query = query.where(m.Scenario.key == key)
            query = query.order_by(m.Plan.id.desc()).limit(limit)
            query = query.options(
                sa.orm.defer(m.Plan.kpis),
                sa.orm.contains_eager(m.Plan.version).contains_eager(m.ScenarioVersion.scenario),
            )
            return [self._plan_record(s, p, full=False) for p in s.scalars(query)]

    def plan(self, plan_id: int) -> PlanRecord:
        """A stored plan with its files and KPIs."""
        with self.session() as s:
            p = s.get(m.Plan, plan_id)
            if p is None:
                raise self._no_plan(plan_id)
            return self._plan_record(s, p, full=True)

    def open_plan(self, plan_id: int):
        """A stored plan as (scenario, typed :class:`~planner.domain.plan.Plan`), read back
        from its ``shifts.csv`` and ``allocation.csv`` against its scenario version."""
        import io

        import pandas as pd

        from planner.io.plan_tables import plan_from_tables

        record = self.plan(plan_id)
        scenario = self.load_scenario(record.scenario, record.version)
        shifts = pd.read_csv(io.BytesIO(record.files["shifts.csv"]), keep_default_na=False)
        allocation = pd.read_csv(io.BytesIO(record.files["allocation.csv"]))
        return scenario, plan_from_tables(scenario, shifts, allocation)

    # ---- rosters ---------------------------------------------------------------------------

    def save_roster(
        self, plan_id: int, files: Mapping[str, bytes], *, author: str, note: str = ""
    ) -> RosterRecord:
        """Keep a roster of a stored plan as a draft: its output files
        (:func:`planner.roster.export.roster_files`) and ``roster.json``'s document."""
        with self.session() as s:
            plan = s.get(m.Plan, plan_id)
            if plan is None:
                raise self._no_plan(plan_id)
            roster = m.Roster(
                plan_id=plan_id,
                scenario_id=plan.version.scenario_id,
                author=author,
                note=note,
                state="draft",
                summary=json.loads(files["roster.json"]),
            )
            s.add(roster)
            s.flush()
            s.add_all(
                m.RosterFile(roster_id=roster.id, name=n, content=c) for n, c in files.items()
            )
            s.flush()
            return self._roster_record(roster, full=True)

    @staticmethod
    def _roster_record(r: m.Roster, *, full: bool) -> RosterRecord:
        return RosterRecord(
            id=r.id,
            plan_id=r.plan_id,
            scenario=r.plan.version.scenario.key,
            author=r.author,
            created_at=utc(r.created_at),
            note=r.note,
            state=r.state,
            publication=r.publication,
            published_by=r.published_by,
            published_at=utc(r.published_at),
            replaces_id=r.replaces_id,
            summary=r.summary if full else {},
            files={f.name: f.content for f in r.files} if full else {},
            changes=tuple(ShiftChange(c.operator, c.day, c.before, c.after) for c in r.changes)
            if full
            else (),
        )

    def roster(self, roster_id: int) -> RosterRecord:
        """A stored roster with its files and, when published, its changes."""
        with self.session() as s:
            r = s.get(m.Roster, roster_id)
            if r is None:
                raise self._no_roster(roster_id)
            return self._roster_record(r, full=True)

    def list_rosters(self, key: str | None = None, *, published_only: bool = False):
        """Rosters, newest first, without their files."""
        with self.session() as s:
            query = sa.select(m.Roster).join(m.Scenario, m.Roster.scenario_id == m.Scenario.id)
            if key is not None:
                query = query.where(m.Scenario.key == key)
            if published_only:
                query = query.where(m.Roster.state == "published")
            query = query.order_by(m.Roster.id.desc()).options(sa.orm.defer(m.Roster.summary))
            return [self._roster_record(r, full=False) for r in s.scalars(query)]

    def publish(self, roster_id: int, *, author: str) -> RosterRecord:
        """Publish a draft roster: it becomes its scenario's next publication, never changed
        again, with the operators whose shifts changed from the publication it replaces.

        Raises
        ------
        RosterPublished
            The roster is published already.
        """
        try:
            with self.session() as s:
                r = s.get(m.Roster, roster_id)
                if r is None:
                    raise self._no_roster(roster_id)
                if r.state == "published":
                    raise RosterPublished(
                        msg(
                            "roster {roster} is published already (publication {publication}, "
                            "by {who}): it is never changed",
                            roster=f"r{r.id}",
                            publication=str(r.publication),
                            who=r.published_by,
                        )
                    )
                previous = s.scalar(
                    sa.select(m.Roster)
                    .where(m.Roster.scenario_id == r.scenario_id, m.Roster.state == "published")
                    .order_by(m.Roster.publication.desc())
                    .limit(1)
                )
                before = None
                if previous is not None:
                    before = next(f.content for f in previous.files if f.name == "roster.csv")
                after = next(f.content for f in r.files if f.name == "roster.csv")
                changes = roster_changes(before, after)
                # The changes first, while the roster is a draft (the triggers freeze it after).
                s.add_all(
                    m.RosterChange(roster_id=r.id, position=i, **vars(c))
                    for i, c in enumerate(changes)
                )
                s.flush()
                r.state = "published"
                r.publication = previous.publication + 1 if previous else 1
                r.published_by = author
                r.published_at = m.utc_now()
                r.replaces_id = previous.id if previous else None
                s.flush()
                s.refresh(r)
                return self._roster_record(r, full=True)
        except IntegrityError:
            raise VersionConflict(
                msg(
                    "another roster of the same scenario was published at the same moment; "
                    "roster {roster} stays a draft: reload and publish again",
                    roster=f"r{roster_id}",
                )
            ) from None

    def draft_of_plan(self, plan_id: int) -> int:
        """The newest draft roster of a stored plan (what ``rosters publish pN`` publishes).

        Raises
        ------
        NotFound
            No such plan, or it has no draft roster.
        """
        with self.session() as s:
            if s.get(m.Plan, plan_id) is None:
                raise self._no_plan(plan_id)
            found = s.scalar(
                sa.select(m.Roster.id)
                .where(m.Roster.plan_id == plan_id, m.Roster.state == "draft")
                .order_by(m.Roster.id.desc())
                .limit(1)
            )
            if found is None:
                raise NotFound(
                    msg(
                        "plan {plan} has no draft roster in {url}: make one with "
                        "'python -m planner roster FILE --out DIR --save'",
                        plan=f"p{plan_id}",
                        url=self.url,
                    )
                )
            return found

    def delete_roster(self, roster_id: int) -> None:
        """Delete a draft roster.

        Raises
        ------
        RosterPublished
            The roster is published: never deleted or changed.
        """
        with self.session() as s:
            r = s.get(m.Roster, roster_id)
            if r is None:
                raise self._no_roster(roster_id)
            if r.state == "published":
                raise RosterPublished(
                    msg(
                        "roster {roster} is published (publication {publication}): it is "
                        "never deleted or changed",
                        roster=f"r{r.id}",
                        publication=str(r.publication),
                    )
                )
            s.delete(r)  # with its files (a draft has no changes)

    def changes(self, roster_a: int, roster_b: int) -> list[ShiftChange]:
        """How each operator's shifts differ from roster ``roster_a`` to roster ``roster_b``."""
        a, b = self.roster(roster_a), self.roster(roster_b)
        return roster_changes(a.files["roster.csv"], b.files["roster.csv"])

    def plan_result(self, plan_id: int):
        """A stored plan as (scenario, :class:`~planner.domain.plan.PlanResult`): what the
        Plan page shows, computed again from the plan's tables
        (:func:`planner.store.reopen.plan_result_from_files`)."""
        from planner.store.reopen import plan_result_from_files

        record = self.plan(plan_id)
        scenario = self.load_scenario(record.scenario, record.version)
        return scenario, plan_result_from_files(scenario, record.files)

    def roster_result(self, roster_id: int):
        """A stored roster as (scenario, :class:`~planner.domain.roster.RosterResult`), with
        the plan it rosters (:func:`planner.store.reopen.roster_result_from_files`)."""
        from planner.store.reopen import roster_result_from_files

        record = self.roster(roster_id)
        scenario, plan = self.plan_result(record.plan_id)
        return scenario, roster_result_from_files(scenario, record.files, plan)

    # ---- workspaces ------------------------------------------------------------------------

    def save_workspace(self, name: str, work) -> None:
        """Keep a session's work in progress (:class:`planner.store.workspace.SessionWork`)
        under ``name``, replacing what was kept under it."""
        from planner.store.workspace import pack

        content = pack(work)
        with self.session() as s:
            row = s.get(m.Workspace, name)
            if row is None:
                s.add(m.Workspace(name=name, content=content))
            else:
                row.content, row.updated_at = content, m.utc_now()

    def workspace(self, name: str):
        """The session work kept under ``name``, or None."""
        from planner.store.workspace import unpack

        with self.session() as s:
            row = s.get(m.Workspace, name)
            return None if row is None else unpack(row.content)

    # ---- simulations -----------------------------------------------------------------------

    def save_simulation(
        self, plan_id: int, document: Mapping, *, author: str, roster_id: int | None = None
    ) -> int:
        """Keep a simulation of a stored plan, or of a stored roster of it (``roster_id``):
        ``simulation.json``'s document; returns its id."""
        with self.session() as s:
            if s.get(m.Plan, plan_id) is None:
                raise self._no_plan(plan_id)
            if roster_id is not None:
                roster = s.get(m.Roster, roster_id)
                if roster is None or roster.plan_id != plan_id:
                    raise NotFound(
                        msg(
                            "no roster {roster} of plan {plan} in {url}",
                            roster=f"r{roster_id}",
                            plan=f"p{plan_id}",
                            url=self.url,
                        )
                    )
            sim = m.Simulation(
                plan_id=plan_id,
                roster_id=roster_id,
                author=author,
                replications=int(document["replications"]),
                seed=int(document["seed"]),
                document=dict(document),
            )
            s.add(sim)
            s.flush()
            return sim.id

    def simulations(self, plan_id: int) -> list[dict]:
        """The simulation documents of a plan, oldest first."""
        return [sim.document for sim in self.simulation_records(plan_id)]

    def simulation_records(self, plan_id: int) -> list[SimulationRecord]:
        """The simulations of a plan and of its rosters, oldest first."""
        with self.session() as s:
            query = sa.select(m.Simulation).where(m.Simulation.plan_id == plan_id)
            return [
                SimulationRecord(
                    sim.id,
                    sim.plan_id,
                    sim.roster_id,
                    sim.author,
                    utc(sim.created_at),
                    sim.document,
                )
                for sim in s.scalars(query.order_by(m.Simulation.id))
            ]

    def find_plan(self, version_id: int | None, files: Mapping[str, bytes]) -> int | None:
        """The newest stored plan of scenario version ``version_id`` (of any version when None)
        whose files are ``files`` (``shifts.csv`` and ``allocation.csv`` required; every other
        file both have must be the same too), or None: how ``simulate --save`` finds the plan
        of a folder."""
        if "shifts.csv" not in files or "allocation.csv" not in files:
            return None
        with self.session() as s:
            query = (
                sa.select(m.Plan.id)
                .join(m.PlanFile)
                .where(m.PlanFile.name == "shifts.csv", m.PlanFile.content == files["shifts.csv"])
                .order_by(m.Plan.id.desc())
            )
            if version_id is not None:
                query = query.where(m.Plan.version_id == version_id)
            candidates = s.scalars(query).all()
            for plan_id in candidates:
                stored = dict(
                    s.execute(
                        sa.select(m.PlanFile.name, m.PlanFile.content).where(
                            m.PlanFile.plan_id == plan_id
                        )
                    ).all()
                )
                if all(stored[n] == c for n, c in files.items() if n in stored):
                    return plan_id
        return None

    def find_roster(self, plan_id: int, roster_csv: bytes) -> int | None:
        """The newest stored roster of plan ``plan_id`` whose ``roster.csv`` is ``roster_csv``,
        or None."""
        with self.session() as s:
            return s.scalar(
                sa.select(m.Roster.id)
                .join(m.RosterFile)
                .where(
                    m.Roster.plan_id == plan_id,
                    m.RosterFile.name == "roster.csv",
                    m.RosterFile.content == roster_csv,
                )
                .order_by(m.Roster.id.desc())
                .limit(1)
            )

    # ---- forecasts -------------------------------------------------------------------------

    def save_forecast(
        self,
        history: tuple[str, bytes],
        settings: Mapping,
        forecast_csv: bytes,
        *,
        author: str,
        note: str = "",
        summary: Mapping | None = None,
        backtest_csv: bytes | None = None,
        special_days: tuple[str, bytes] | None = None,
    ) -> ForecastRecord:
        """Keep a forecast: the history file it read (name, content; stored by content, once),
        its settings (method, start, days, interval, window, country, ...), the special-days
        file when one was given, and the forecast and backtest CSV files it wrote."""
        with self.session() as s:
            forecast = m.Forecast(
                author=author,
                note=note,
                history_name=history[0],
                history_file_id=self._stored_file(s, history[1]).id,
                special_days_name=special_days[0] if special_days else None,
                special_days_file_id=(
                    self._stored_file(s, special_days[1]).id if special_days else None
                ),
                settings=dict(settings),
                summary=dict(summary or {}),
                forecast_file_id=self._stored_file(s, forecast_csv).id,
                backtest_file_id=(
                    self._stored_file(s, backtest_csv).id if backtest_csv is not None else None
                ),
            )
            s.add(forecast)
            s.flush()
            s.refresh(forecast)
            return self._forecast_record(forecast, full=True)

    @staticmethod
    def _forecast_record(f: m.Forecast, *, full: bool) -> ForecastRecord:
        files: dict[str, bytes] = {}
        if full:
            files["forecast.csv"] = f.forecast_file.content
            if f.backtest_file is not None:
                files["backtest.csv"] = f.backtest_file.content
            files["history.csv"] = f.history_file.content
            if f.special_days_file is not None:
                files["special_days.csv"] = f.special_days_file.content
        return ForecastRecord(
            id=f.id,
            author=f.author,
            created_at=utc(f.created_at),
            note=f.note,
            history_name=f.history_name,
            history_sha256=f.history_file.sha256,
            special_days_name=f.special_days_name,
            settings=f.settings,
            summary=f.summary,
            files=files,
        )

    def list_forecasts(self, *, limit: int | None = None) -> list[ForecastRecord]:
        """Stored forecasts, newest first, without their files."""
        with self.session() as s:
            query = (
                sa.select(m.Forecast)
                .order_by(m.Forecast.id.desc())
                .limit(limit)
                .options(sa.orm.joinedload(m.Forecast.history_file).load_only(m.StoredFile.sha256))
            )
            return [self._forecast_record(f, full=False) for f in s.scalars(query)]

    def forecast(self, forecast_id: int) -> ForecastRecord:
        """A stored forecast with its files."""
        with self.session() as s:
            f = s.get(m.Forecast, forecast_id)
            if f is None:
                raise NotFound(
                    msg("no forecast {forecast} in {url}", forecast=f"f{forecast_id}", url=self.url)
                )
            return self._forecast_record(f, full=True)
