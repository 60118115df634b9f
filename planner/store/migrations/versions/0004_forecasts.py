"""Forecasts (the history file by content, the settings, the forecast and backtest files), and
the roster a simulation simulated.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forecasts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("history_name", sa.String(500), nullable=False),
        sa.Column("history_file_id", sa.Integer, sa.ForeignKey("stored_files.id"), nullable=False),
        sa.Column("special_days_name", sa.String(500), nullable=True),
        sa.Column(
            "special_days_file_id", sa.Integer, sa.ForeignKey("stored_files.id"), nullable=True
        ),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("forecast_file_id", sa.Integer, sa.ForeignKey("stored_files.id"), nullable=False),
        sa.Column("backtest_file_id", sa.Integer, sa.ForeignKey("stored_files.id"), nullable=True),
    )
    # SQLite cannot add a foreign key to a table in place: batch mode copies the table there
    # (its rows kept), and alters it in place on PostgreSQL.
    with op.batch_alter_table("simulations") as batch:
        batch.add_column(sa.Column("roster_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_simulations_roster_id", "rosters", ["roster_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("simulations") as batch:
        batch.drop_constraint("fk_simulations_roster_id", type_="foreignkey")
        batch.drop_column("roster_id")
    op.drop_table("forecasts")
