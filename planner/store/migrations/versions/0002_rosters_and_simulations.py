"""Rosters (draft, published: never changed, enforced by triggers), their changes, simulations.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)

FROZEN = "published roster: never changed; publish a new one instead"
"""The database's own refusal (the repository refuses first, with the roster's id)."""

_SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER rosters_published_no_update BEFORE UPDATE ON rosters
    WHEN OLD.state = 'published' BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
    f"""CREATE TRIGGER rosters_published_no_delete BEFORE DELETE ON rosters
    WHEN OLD.state = 'published' BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
    f"""CREATE TRIGGER roster_files_published_no_insert BEFORE INSERT ON roster_files
    WHEN (SELECT state FROM rosters WHERE id = NEW.roster_id) = 'published'
    BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
    f"""CREATE TRIGGER roster_files_published_no_update BEFORE UPDATE ON roster_files
    WHEN (SELECT state FROM rosters WHERE id = OLD.roster_id) = 'published'
    BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
    f"""CREATE TRIGGER roster_files_published_no_delete BEFORE DELETE ON roster_files
    WHEN (SELECT state FROM rosters WHERE id = OLD.roster_id) = 'published'
    BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
    f"""CREATE TRIGGER roster_changes_published_no_update BEFORE UPDATE ON roster_changes
    WHEN (SELECT state FROM rosters WHERE id = OLD.roster_id) = 'published'
    BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
    f"""CREATE TRIGGER roster_changes_published_no_delete BEFORE DELETE ON roster_changes
    WHEN (SELECT state FROM rosters WHERE id = OLD.roster_id) = 'published'
    BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
)

_POSTGRES_TRIGGERS = (
    f"""CREATE FUNCTION planner_roster_frozen() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{FROZEN}'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER rosters_published_frozen BEFORE UPDATE OR DELETE ON rosters
    FOR EACH ROW WHEN (OLD.state = 'published') EXECUTE FUNCTION planner_roster_frozen()""",
    f"""CREATE FUNCTION planner_roster_part_frozen() RETURNS trigger AS $$
    DECLARE rid integer;
    BEGIN
        IF TG_OP = 'INSERT' THEN rid := NEW.roster_id; ELSE rid := OLD.roster_id; END IF;
        IF (SELECT state FROM rosters WHERE id = rid) = 'published' THEN
            RAISE EXCEPTION '{FROZEN}';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER roster_files_published_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON roster_files
    FOR EACH ROW EXECUTE FUNCTION planner_roster_part_frozen()""",
    """CREATE TRIGGER roster_changes_published_frozen BEFORE UPDATE OR DELETE ON roster_changes
    FOR EACH ROW EXECUTE FUNCTION planner_roster_part_frozen()""",
)


def upgrade() -> None:
    op.create_table(
        "rosters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("scenario_id", sa.Integer, sa.ForeignKey("scenarios.id"), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("publication", sa.Integer, nullable=True),
        sa.Column("published_by", sa.String(200), nullable=True),
        sa.Column("published_at", _TIME, nullable=True),
        sa.Column("replaces_id", sa.Integer, sa.ForeignKey("rosters.id"), nullable=True),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.UniqueConstraint("scenario_id", "publication", name="uq_publication"),
    )
    op.create_index("ix_rosters_plan_id", "rosters", ["plan_id"])
    op.create_index("ix_rosters_scenario_id", "rosters", ["scenario_id"])
    op.create_table(
        "roster_files",
        sa.Column("roster_id", sa.Integer, sa.ForeignKey("rosters.id"), primary_key=True),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "roster_changes",
        sa.Column("roster_id", sa.Integer, sa.ForeignKey("rosters.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("operator", sa.String(200), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("before", sa.String(200), nullable=False),
        sa.Column("after", sa.String(200), nullable=False),
    )
    op.create_table(
        "simulations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("replications", sa.Integer, nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
    )
    op.create_index("ix_simulations_plan_id", "simulations", ["plan_id"])
    dialect = op.get_bind().dialect.name
    for statement in _SQLITE_TRIGGERS if dialect == "sqlite" else _POSTGRES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION planner_roster_part_frozen() CASCADE")
        op.execute("DROP FUNCTION planner_roster_frozen() CASCADE")
    for table in ("simulations", "roster_changes", "roster_files", "rosters"):
        op.drop_table(table)  # SQLite drops a table's triggers with it
