"""Alembic environment of the reference backend: runs on the connection handed over by
backend.db.migrate (SQLite or PostgreSQL)."""

from alembic import context

from backend.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only from the alembic command line
    raise RuntimeError("run migrations through backend.db.migrate (python -m backend migrate)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
