"""Scenarios (immutable versions, the files they name) and plans (settings, outcome, files).

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", _TIME, nullable=False),
    )
    op.create_table(
        "scenario_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scenario_id", sa.Integer, sa.ForeignKey("scenarios.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("diff", sa.Text, nullable=False),
        sa.UniqueConstraint("scenario_id", "number", name="uq_scenario_version"),
    )
    op.create_index("ix_scenario_versions_scenario_id", "scenario_versions", ["scenario_id"])
    op.create_table(
        "stored_files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "scenario_version_files",
        sa.Column(
            "version_id", sa.Integer, sa.ForeignKey("scenario_versions.id"), primary_key=True
        ),
        sa.Column("name", sa.String(500), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("stored_files.id"), nullable=False),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("scenario_versions.id"), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("solver_settings", sa.JSON, nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("objective", sa.Float, nullable=True),
        sa.Column("best_bound", sa.Float, nullable=True),
        sa.Column("gap", sa.Float, nullable=True),
        sa.Column("solve_seconds", sa.Float, nullable=True),
        sa.Column("paid_hours", sa.Float, nullable=True),
        sa.Column("cost", sa.Float, nullable=True),
        sa.Column("valid", sa.Boolean, nullable=False),
        sa.Column("kpis", sa.JSON, nullable=False),
    )
    op.create_index("ix_plans_version_id", "plans", ["version_id"])
    op.create_table(
        "plan_files",
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), primary_key=True),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "plan_files",
        "plans",
        "scenario_version_files",
        "stored_files",
        "scenario_versions",
        "scenarios",
    ):
        op.drop_table(table)
