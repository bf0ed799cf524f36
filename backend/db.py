"""The backend's database: SQLite (WAL) by default, PostgreSQL by URL, migrated by Alembic at start.

`open_database(url)` returns a migrated `Database`. Use `db.read()` for a unit of work that only
reads and `db.write()` for one that writes: on SQLite a writing transaction starts with
``BEGIN IMMEDIATE``, so two writers queue on the busy timeout instead of one failing with
"database is locked" when it upgrades its read lock (WAL's SQLITE_BUSY_SNAPSHOT). On PostgreSQL
both are ordinary READ COMMITTED transactions; the places that need ordering lock rows
(`next_value`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from backend.models import Sequence

log = logging.getLogger("backend.db")

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_S = 15


def normalize_url(url_or_path: str) -> str:
    """A URL as given, or a plain file path taken as an SQLite file."""
    if "://" in url_or_path:
        return url_or_path
    return f"sqlite:///{Path(url_or_path).expanduser().resolve()}"


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        # Take transaction control away from the sqlite3 module (it would BEGIN lazily and
        # deferred); the "begin" hook below emits the right BEGIN itself.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def migrate(engine: Engine) -> None:
    """Upgrade to the newest revision (a no-op when already there)."""
    from alembic import command

    with engine.connect() as conn:
        current = None
        if inspect(conn).has_table("alembic_version"):
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    head = head_revision()
    if current == head:
        return
    log.info("migrating backend database from %s to %s", current, head)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")


class Database:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._read = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(sqlite_immediate=True) if self.is_sqlite else engine
        self._write = sessionmaker(writer, expire_on_commit=False)
        # One snapshot for several SELECTs. SQLite's read transaction is one already; on
        # PostgreSQL, READ COMMITTED would give each statement its own.
        snap = engine if self.is_sqlite else engine.execution_options(
            isolation_level="REPEATABLE READ")
        self._snapshot = sessionmaker(snap, expire_on_commit=False)

    @contextmanager
    def _scope(self, factory) -> Iterator[Session]:
        s = factory()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def read(self) -> AbstractContextManager[Session]:
        """A session for reading (commits nothing of note, always closes)."""
        return self._scope(self._read)

    def snapshot(self) -> AbstractContextManager[Session]:
        """A read-only session whose statements all see the same committed state (the catalog
        pages read three tables: a commit between two of them must not be half-seen)."""
        return self._scope(self._snapshot)

    def write(self) -> AbstractContextManager[Session]:
        """A session that writes: commits on success, rolls back on error, always closes."""
        return self._scope(self._write)

    def close(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, run_migrations: bool = True) -> Database:
    engine = make_engine(url)
    try:
        if run_migrations:
            migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return Database(engine)


def next_values(s: Session, name: str, count: int = 1) -> int:
    """Reserve `count` numbers of the named sequence; returns the first. The UPDATE locks the
    row until this transaction ends, so numbers are handed out in commit order."""
    if count < 1:
        raise ValueError("count must be >= 1")
    updated = s.execute(
        update(Sequence).where(Sequence.name == name).values(value=Sequence.value + count)
    ).rowcount
    if not updated:
        s.add(Sequence(name=name, value=count))
        s.flush()
        return 1
    return s.scalar(select(Sequence.value).where(Sequence.name == name)) - count + 1


def current_value(s: Session, name: str) -> int:
    return s.scalar(select(Sequence.value).where(Sequence.name == name)) or 0
