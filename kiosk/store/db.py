"""Opening the local store: SQLite in WAL mode with foreign keys on, migrated by Alembic at start.

`open_store(path)` returns a `Store` or raises `StoreError` with a `reason` the kiosk turns into
its out-of-service state: ``corrupt`` (not a database, or damaged), ``too_new`` (written by a newer
kiosk whose migrations this one does not know), ``unwritable`` (the folder or file cannot be
written).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kiosk import credential
from kiosk.datadir import private_dir, touch_private

log = logging.getLogger("kiosk.store")

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
DB_FILENAME = "kiosk.sqlite3"
# The newest migration. A store already there opens without loading Alembic at all (about a
# tenth of a second of start-up); tests check this constant against the migrations folder.
HEAD_REVISION = "0005"


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


def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(db_path: Path) -> Engine:
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
    """The opened, migrated store. Use `session()` as a context manager for each unit of work."""

    def __init__(self, engine: Engine, path: Path):
        self.engine = engine
        self.path = path
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Commits on success, rolls back on error, always closes."""
        s = self._sessions()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def close(self) -> None:
        self.engine.dispose()


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
    engine = make_engine(db_path)
    try:
        with engine.connect() as conn:
            check = conn.execute(text("PRAGMA quick_check")).scalar()
            if check != "ok":
                raise StoreError("corrupt", f"{db_path}: integrity check says {check}")
            current = None
            if inspect(conn).has_table("alembic_version"):
                current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if current != HEAD_REVISION:
            _migrate(engine, db_path, current)
    except StoreError:
        engine.dispose()
        raise
    except (DatabaseError, OperationalError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        orig = getattr(exc, "orig", exc)
        msg = str(orig)
        reason = "unwritable" if "readonly" in msg or "unable to open" in msg else "corrupt"
        raise StoreError(reason, f"{db_path}: {msg}") from None
    except Exception as exc:  # alembic wraps driver errors in its own types
        engine.dispose()
        if "database" in str(exc).lower():
            raise StoreError("corrupt", f"{db_path}: {exc}") from None
        raise
    return Store(engine, db_path)
