"""Opening the local store: SQLite in WAL mode with foreign keys on, migrated by Alembic at start.

`open_store(path)` returns a `Store` or raises `StoreError` with a `reason` the kiosk turns into
its out-of-service state: ``corrupt`` (not a database, or damaged), ``too_new`` (written by a newer
kiosk whose migrations this one does not know), ``unwritable`` (the folder or file cannot be
written).

Two ways in: `Store.session()`, an SQLAlchemy ORM session for everything that writes, and
`Store.read()`, a plain `sqlite3` connection for the few reads the kiosk makes as it starts
(catalog version, search rows, tiles, departments, backlog counts). A store already at the
newest revision opens with `sqlite3` alone: SQLAlchemy (~0.15 s and ~20 MiB to import) and
Alembic load the first time a session or a migration needs them, not before the home screen.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import credential
from kiosk.datadir import private_dir, touch_private

log = logging.getLogger("kiosk.store")

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
DB_FILENAME = "kiosk.sqlite3"
# The newest migration. A store already there opens without loading Alembic at all (about a
# tenth of a second of start-up); tests check this constant against the migrations folder.
HEAD_REVISION = "0006"
# SQLite's page cache per connection, KiB (see _on_connect)
CACHE_KIB = 512


class StoreError(Exception):
    def __init__(self, reason: str, detail: str):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


def _alembic_config() -> "Config":
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The head according to the migration scripts (loads Alembic)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _on_connect(dbapi_conn: sqlite3.Connection, _record=None) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # FULL: in WAL mode a commit is on disk before it returns (one fsync of the WAL), so a power
    # cut loses no delivered-to-the-store event or print-journal step; NORMAL could roll the
    # last ones back. The kiosk commits a few times a minute: the cost does not show.
    cur.execute("PRAGMA synchronous=FULL")
    # Each connection keeps the pages it read until it closes, up to its cache size (SQLite's
    # default: 2 MiB); the kiosk holds a reader per thread and the writer's pool for months.
    # Its reads are small and the file is in the OS page cache: 512 KiB each (decision 0037).
    cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cur.close()


def make_engine(db_path: Path) -> Engine:
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{db_path}", future=True)
    event.listen(engine, "connect", _on_connect)
    return engine


def _known_revision(script: "ScriptDirectory", rev: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(rev) is not None
    except CommandError:
        return False


def _migrate(engine: Engine, db_path: Path, current: str | None) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    if current is not None and not _known_revision(script, current):
        raise StoreError(
            "too_new",
            f"{db_path} is at schema revision {current}, unknown to this kiosk "
            f"(newest known: {script.get_current_head()})",
        )
    log.info("migrating store %s from %s to %s", db_path, current, script.get_current_head())
    cfg = _alembic_config()
    # Revision 0005 moves the terminal credential out of the store into its file, next to it.
    cfg.attributes["keep_credential"] = lambda value: credential.adopt(
        credential.credential_file(db_path.parent), value)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:  # what the migrations deleted leaves the WAL too
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


class Store:
    """The opened, migrated store. Use `session()` as a context manager for each unit of work;
    `read()` for a plain read with no SQLAlchemy."""

    def __init__(self, engine: Engine | None, path: Path):
        self._engine = engine
        self.path = path
        self._sessions = None
        self._lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._closed = False

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made (and SQLAlchemy imported) on first use."""
        with self._lock:
            if self._engine is None:
                self._engine = make_engine(self.path)
            return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Commits on success, rolls back on error, always closes."""
        if self._sessions is None:
            from sqlalchemy.orm import sessionmaker

            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        s = self._sessions()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A `sqlite3` connection of the calling thread, for reads (each statement sees what
        was committed before it; WAL lets it run beside a writer). Do not write through it:
        writes go through `session()`."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise sqlite3.ProgrammingError("the store is closed")
            conn = _connect(self.path)
            self._local.conn = conn
            with self._lock:
                self._readers.append(conn)
        yield conn

    def close(self) -> None:
        with self._lock:
            self._closed = True
            readers, self._readers = self._readers, []
            engine = self._engine
        for conn in readers:
            conn.close()
        self._local = threading.local()
        if engine is not None:
            engine.dispose()


def _connect(db_path: Path) -> sqlite3.Connection:
    # check_same_thread off: each thread gets its own connection from read(), and close()
    # (from whichever thread) closes them all.
    conn = sqlite3.connect(db_path, check_same_thread=False)
    _on_connect(conn)
    return conn


def _is_sqlalchemy_db_error(exc: BaseException) -> bool:
    import sys

    exc_mod = sys.modules.get("sqlalchemy.exc")
    return exc_mod is not None and isinstance(exc, (exc_mod.DatabaseError,
                                                    exc_mod.OperationalError))


def open_store(db_path: Path | str) -> Store:
    db_path = Path(db_path)
    try:
        private_dir(db_path.parent)
    except OSError as exc:
        raise StoreError("unwritable", f"cannot create {db_path.parent}: {exc.strerror}") from None
    try:
        # 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database's mode.
        touch_private(db_path)
        for suffix in ("-wal", "-shm", "-journal"):
            side = db_path.with_name(db_path.name + suffix)
            if side.exists():
                touch_private(side)
    except OSError as exc:
        raise StoreError("unwritable", f"{db_path}: {exc.strerror}") from None
    engine = None
    try:
        conn = _connect(db_path)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise StoreError("corrupt", f"{db_path}: integrity check says {check}")
            current = None
            if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                            "AND name = 'alembic_version'").fetchone():
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                current = row[0] if row else None
        finally:
            conn.close()
        if current != HEAD_REVISION:
            engine = make_engine(db_path)
            _migrate(engine, db_path, current)
    except StoreError:
        if engine is not None:
            engine.dispose()
        raise
    except sqlite3.DatabaseError as exc:  # OperationalError is one
        if engine is not None:
            engine.dispose()
        raise _store_error(db_path, exc) from None
    except Exception as exc:  # alembic wraps driver errors in its own types
        if engine is not None:
            engine.dispose()
        if _is_sqlalchemy_db_error(exc):
            raise _store_error(db_path, getattr(exc, "orig", exc)) from None
        if "database" in str(exc).lower():
            raise StoreError("corrupt", f"{db_path}: {exc}") from None
        raise
    return Store(engine, db_path)


def _store_error(db_path: Path, orig: BaseException) -> StoreError:
    msg = str(orig)
    reason = "unwritable" if "readonly" in msg or "unable to open" in msg else "corrupt"
    return StoreError(reason, f"{db_path}: {msg}")
