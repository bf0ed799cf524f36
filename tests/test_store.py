"""The local store: WAL and foreign keys on, migrations at open, clear errors for bad files."""

from __future__ import annotations

import sqlite3
import stat

import pytest
from sqlalchemy import text

from kiosk.store.db import StoreError, head_revision, open_store


def test_open_migrates_to_head_with_wal_and_fks(tmp_path):
    store = open_store(tmp_path / "k.sqlite3")
    with store.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        tables = {r[0] for r in c.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    assert {"departments", "categories", "service_items", "guides", "catalog_meta"} <= tables
    store.close()
    # Opening again is a no-op migration.
    open_store(tmp_path / "k.sqlite3").close()


def test_every_connection_has_the_small_page_cache(tmp_path):
    """The writer's pooled connections and each thread's reader (docs/decisions/0037)."""
    import threading

    from kiosk.store.db import CACHE_KIB

    store = open_store(tmp_path / "k.sqlite3")
    with store.session() as s:
        assert s.execute(text("PRAGMA cache_size")).scalar() == -CACHE_KIB
    with store.engine.connect() as c:
        assert c.execute(text("PRAGMA cache_size")).scalar() == -CACHE_KIB
    sizes = []

    def read():
        with store.read() as conn:
            sizes.append(conn.execute("PRAGMA cache_size").fetchone()[0])

    read()
    t = threading.Thread(target=read)
    t.start()
    t.join()
    assert sizes == [-CACHE_KIB, -CACHE_KIB]
    assert len(store._readers) == 2
    store.close()


def test_foreign_keys_enforced(tmp_path):
    store = open_store(tmp_path / "k.sqlite3")
    with pytest.raises(Exception, match="FOREIGN KEY"):
        with store.session() as s:
            s.execute(text("INSERT INTO categories VALUES ('x.y', 'nope', 'n', 'n', 1)"))
    store.close()


def test_corrupt_file(tmp_path):
    p = tmp_path / "k.sqlite3"
    p.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(StoreError) as exc:
        open_store(p)
    assert exc.value.reason == "corrupt"


@pytest.mark.allow_error_log
def test_a_damaged_store_is_quarantined_and_its_undelivered_events_salvaged(tmp_path):
    """Damage past the outbox's pages: the rows still readable come over to a fresh store;
    the damaged file is kept aside, never deleted."""
    from kiosk.store.recovery import open_or_recover
    from kiosk.sync.outbox import Outbox

    p = tmp_path / "k.sqlite3"
    store = open_store(p)
    keys = [Outbox(store).add("rating", {"score": n % 5 + 1}) for n in range(40)]
    store.close()
    with sqlite3.connect(p) as con:  # an index of another table: its root page destroyed
        victim = con.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND "
                             "tbl_name != 'outbox' AND rootpage > 1").fetchone()[0]
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(p.read_bytes())
    data[(victim - 1) * page_size:victim * page_size] = b"\xff" * page_size
    p.write_bytes(bytes(data))
    with pytest.raises(StoreError):
        open_store(p)
    store, recovery = open_or_recover(p)
    try:
        assert recovery is not None and (recovery.quarantined / "k.sqlite3").exists()
        with store.read() as con:
            got = {r[0] for r in con.execute("SELECT idempotency_key FROM outbox")}
        assert got == set(keys) and recovery.salvaged["outbox"] == 40
    finally:
        store.close()
    store, recovery = open_or_recover(p)  # healthy now: opened as it is
    assert recovery is None
    store.close()


@pytest.mark.allow_error_log
def test_a_store_that_is_no_database_at_all_is_replaced(tmp_path):
    from kiosk.store.recovery import open_or_recover

    p = tmp_path / "k.sqlite3"
    p.write_bytes(b"this is not a database at all" * 200)
    store, recovery = open_or_recover(p)
    store.close()
    assert recovery.salvaged["outbox"] == 0 and "outbox" in recovery.unreadable
    assert stat.S_IMODE(recovery.quarantined.stat().st_mode) == 0o700


def test_database_from_newer_kiosk(tmp_path):
    p = tmp_path / "k.sqlite3"
    open_store(p).close()
    con = sqlite3.connect(p)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    with pytest.raises(StoreError) as exc:
        open_store(p)
    assert exc.value.reason == "too_new"
    assert "9999_future" in exc.value.detail


def test_unwritable_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as exc:
        open_store(blocker / "sub" / "k.sqlite3")
    assert exc.value.reason == "unwritable"


def test_session_rolls_back_on_error(tmp_path):
    store = open_store(tmp_path / "k.sqlite3")
    with pytest.raises(RuntimeError):
        with store.session() as s:
            s.execute(text("INSERT INTO catalog_meta VALUES ('a', 'b')"))
            raise RuntimeError("boom")
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM catalog_meta")).scalar() == 0
    store.close()


def test_head_revision_constant_matches_the_migrations():
    from kiosk.store.db import HEAD_REVISION

    assert HEAD_REVISION == head_revision(), "update HEAD_REVISION after adding a migration"
