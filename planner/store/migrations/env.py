"""Alembic environment: run on the connection the planner passes (planner.store.engine.upgrade);
no alembic.ini, no URL read from a file."""

from alembic import context

from planner.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
