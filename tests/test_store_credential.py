"""The terminal credential lives in ``<data_dir>/credential`` (0600, replaced atomically), not in
the store: a store of revision 0004 that holds one hands it to the file before the row is
deleted, and nothing of it stays in the database file or in the log."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest
from alembic import command

from kiosk import credential
from kiosk.store import db as store_db
from kiosk.store.db import open_store
from kiosk.sync.state import CatalogPosition, SyncStateStore, write_position

SECRET = "Vb0_an-OLD-credential-kept-in-the-store-by-revision-0004-QhWz"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def store_bytes(db_path) -> bytes:
    out = b""
    for suffix in ("", "-wal", "-journal"):
        p = db_path.with_name(db_path.name + suffix)
        if p.exists():
            out += p.read_bytes()
    return out


def old_store(db_path, value: str | None = SECRET) -> None:
    """A store as a kiosk of revision 0004 left it: the credential in `sync_state`."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = store_db.make_engine(db_path)
    cfg = store_db._alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
    engine.dispose()
    con = sqlite3.connect(db_path)
    rows = [("terminal_id", "T-OLD"), ("catalog.cursor", "42"), ("catalog.epoch", "e1"),
            ("catalog.full", "0")]
    if value is not None:
        rows.append(("credential", value))
    con.executemany("INSERT INTO sync_state (key, value) VALUES (?, ?)", rows)
    con.commit()
    con.close()


def sync_state_keys(db_path) -> set[str]:
    con = sqlite3.connect(db_path)
    try:
        return {r[0] for r in con.execute("SELECT key FROM sync_state")}
    finally:
        con.close()


def test_an_old_store_hands_its_credential_to_the_file_and_forgets_it(tmp_path, caplog):
    caplog.set_level("DEBUG")
    db_path = tmp_path / "data" / "kiosk.sqlite3"
    old_store(db_path)
    assert SECRET.encode() in store_bytes(db_path)
    store = open_store(db_path)
    try:
        state = SyncStateStore(store)
        assert state.credential() == SECRET
        assert state.terminal_id() == "T-OLD"
        assert state.position() == CatalogPosition(42, "e1", False)
    finally:
        store.close()
    path = tmp_path / "data" / "credential"
    assert path.read_text(encoding="utf-8") == SECRET + "\n" and mode(path) == 0o600
    assert "credential" not in sync_state_keys(db_path)
    assert SECRET.encode() not in store_bytes(db_path)  # overwritten, not only unlinked
    assert SECRET not in caplog.text and "moved from the store" in caplog.text


def test_an_old_store_without_a_credential_migrates_and_no_file_appears(tmp_path):
    db_path = tmp_path / "data" / "kiosk.sqlite3"
    old_store(db_path, value=None)
    store = open_store(db_path)
    assert SyncStateStore(store).credential() is None
    store.close()
    assert not (tmp_path / "data" / "credential").exists()


def test_a_crash_between_writing_the_file_and_deleting_the_row_loses_nothing(tmp_path,
                                                                             monkeypatch):
    db_path = tmp_path / "data" / "kiosk.sqlite3"
    old_store(db_path)
    real_adopt = credential.adopt

    def adopt_then_crash(path, value):
        real_adopt(path, value)
        raise RuntimeError("power cut")

    monkeypatch.setattr(credential, "adopt", adopt_then_crash)
    with pytest.raises(RuntimeError, match="power cut"):
        open_store(db_path)
    # The migration's transaction rolled back: the row is still there, and the file too.
    assert "credential" in sync_state_keys(db_path)
    assert credential.read(tmp_path / "data" / "credential") == SECRET
    monkeypatch.setattr(credential, "adopt", real_adopt)
    store = open_store(db_path)
    assert SyncStateStore(store).credential() == SECRET
    store.close()
    assert "credential" not in sync_state_keys(db_path)


def test_a_credential_file_already_there_is_the_newer_one(tmp_path):
    db_path = tmp_path / "data" / "kiosk.sqlite3"
    old_store(db_path)
    credential.write(tmp_path / "data" / "credential", "the-newer-one")
    store = open_store(db_path)
    assert SyncStateStore(store).credential() == "the-newer-one"
    store.close()
    assert "credential" not in sync_state_keys(db_path)


def test_the_migration_refuses_to_drop_a_credential_it_cannot_hand_over(tmp_path):
    db_path = tmp_path / "data" / "kiosk.sqlite3"
    old_store(db_path)
    engine = store_db.make_engine(db_path)
    cfg = store_db._alembic_config()  # no keep_credential hook: not through open_store
    with pytest.raises(RuntimeError, match="would be lost"):
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    engine.dispose()
    assert "credential" in sync_state_keys(db_path)


def test_save_rotate_and_forget_the_credential(tmp_path, caplog):
    caplog.set_level("DEBUG")
    store = open_store(tmp_path / "data" / "kiosk.sqlite3")
    try:
        state = SyncStateStore(store)
        assert state.credential() is None
        state.save_credential("T-1", "first-credential")
        path = tmp_path / "data" / "credential"
        assert state.credential_path == path and mode(path) == 0o600
        assert (state.credential(), state.terminal_id()) == ("first-credential", "T-1")
        os.chmod(path, 0o644)  # replaced, not rewritten in place: the new file is 0600 again
        state.save_credential("T-1", "second-credential")
        assert state.credential() == "second-credential" and mode(path) == 0o600
        assert sorted(p.name for p in path.parent.iterdir() if "credential" in p.name) == [
            "credential"]  # no temporary file left
        with store.session() as s:  # other sync state written meanwhile: still no secret
            write_position(s, CatalogPosition(7, "e", False))
        with pytest.raises(ValueError):
            state.save_credential("T-1", "two\nlines")
        state.forget_credential()
        assert state.credential() is None and not path.exists()
        state.forget_credential()  # twice is fine
    finally:
        store.close()
    raw = store_bytes(tmp_path / "data" / "kiosk.sqlite3")
    assert b"first-credential" not in raw and b"second-credential" not in raw
    assert "first-credential" not in caplog.text and "second-credential" not in caplog.text


def test_an_unreadable_credential_file_means_not_enrolled(tmp_path, caplog):
    path = tmp_path / "credential"
    path.mkdir()  # a folder where the file should be
    assert credential.read(path) is None
    assert "unreadable" in caplog.text
