"""Alembic environment: runs on the connection handed over by kiosk.store.db."""

from alembic import context

from kiosk.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only from the alembic command line
    raise RuntimeError("run migrations through kiosk.store.db.open_store")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
