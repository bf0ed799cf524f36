"""The reference backend: the server side of the sync protocol (protocol/__init__.py).

FastAPI + SQLAlchemy 2, SQLite (WAL) by default, PostgreSQL by URL, migrated by Alembic at
start, with deterministic demo data. It shares only the protocol module with the kiosk.

    python -m backend seed  --db sqlite:///out/backend.sqlite3
    python -m backend serve --db sqlite:///out/backend.sqlite3 --host 127.0.0.1 --port 8765

`create_app(database_url)` is the app factory; `backend.embedded.EmbeddedBackend` runs it on
loopback in a thread (tests, the kiosk's embedded adapter).
"""

from __future__ import annotations


def create_app(database_url: str, **options):
    """See backend.app.create_app (imported lazily: `import backend.idnumber` stays light)."""
    from backend.app import create_app as _create_app

    return _create_app(database_url, **options)
