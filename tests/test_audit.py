"""The audit log (kiosk.audit): hash-chained entries per protocol.staff, written with their
outbox event in one transaction off the calling thread; altering, removing or reordering any
entry is found, also by `kiosk audit verify`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading

import pytest

from kiosk.audit import AuditLog, entries, verify
from kiosk.privacy import PersonalDataError
from kiosk.store.db import DB_FILENAME, open_store
from kiosk.sync.outbox import Outbox, OutboxWriter
from protocol.staff import GENESIS, AuditAction, AuditEntry, audit_hash

ID = "110101199003077777"  # a valid ID number (check digit)


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "data" / DB_FILENAME)
    yield s
    s.close()


def write_log(store, n=5) -> AuditLog:
    outbox = Outbox(store)
    log = AuditLog(store, outbox, "T-AUDIT")
    for i in range(n):
        log.append(AuditAction.STAFF_LOGIN if i % 2 == 0 else AuditAction.REPRINT, "1001",
                   {"i": i})
    return log


def test_entries_link_from_genesis_and_travel_as_audit_events(store):
    write_log(store, 3)
    got = entries(store)
    assert [e["seq"] for e in got] == [1, 2, 3]
    assert got[0]["prev"] == GENESIS and got[1]["prev"] == got[0]["hash"]
    for e in got:
        e.pop("_row")
        assert AuditEntry.model_validate(e).model_dump(mode="json") == e
        assert audit_hash(e) == e["hash"] and e["terminal_id"] == "T-AUDIT"
    events = Outbox(store).next_batch()
    assert [ev.kind for ev in events] == ["audit"] * 3
    assert [ev.payload for ev in events] == got  # payload = entry.model_dump(mode="json")
    assert verify(store).ok and verify(store).count == 3


def test_the_entry_and_its_event_are_written_on_the_writer_thread_together(store):
    outbox = Outbox(store)
    writer = OutboxWriter(outbox)
    threads = []
    real = outbox.add_in

    def spy(session, *a, **kw):
        threads.append(threading.current_thread().name)
        return real(session, *a, **kw)

    outbox.add_in = spy
    log = AuditLog(store, outbox, "T-AUDIT", submit=writer.submit)
    log.append(AuditAction.STAFF_LOGOUT, "1001", {"reason": "idle"})
    writer.flush()
    writer.close()
    assert threads == ["outbox-writer"]
    assert len(entries(store)) == 1 and outbox.pending_count() == 1


def test_an_entry_refuses_an_id_number_or_a_name(store):
    log = AuditLog(store, Outbox(store), "T-AUDIT")
    with pytest.raises(PersonalDataError):
        log.append(AuditAction.ATTEND_ITEM, "1001", {"masked_id": ID})
    with pytest.raises(PersonalDataError):
        log.append(AuditAction.ATTEND_ITEM, "1001", {"name": "张三"})
    log.append(AuditAction.ATTEND_ITEM, "1001", {"masked_id": "1101**********7777"})
    assert len(entries(store)) == 1 and ID not in json.dumps(entries(store))


def _rows(store):
    return sqlite3.connect(store.path)


def test_an_altered_entry_is_found(store):
    write_log(store)
    with _rows(store) as c:
        text = c.execute("SELECT entry_json FROM audit_log WHERE seq = 3").fetchone()[0]
        entry = json.loads(text)
        entry["staff_no"] = "6666"
        c.execute("UPDATE audit_log SET entry_json = ? WHERE seq = 3", (json.dumps(entry),))
    report = verify(store)
    assert not report.ok and report.problem == "entry 3: altered (hash mismatch)"


def test_a_removed_entry_is_found(store):
    write_log(store)
    with _rows(store) as c:
        c.execute("DELETE FROM audit_log WHERE seq = 2")
    assert verify(store).problem == "entry 3: expected seq 2"
    with _rows(store) as c:  # the last one removed is caught by the backend (it holds it)
        c.execute("DELETE FROM audit_log WHERE seq = 1")
    assert verify(store).problem == "entry 3: expected seq 1"


def test_reordered_entries_are_found(store):
    write_log(store)
    with _rows(store) as c:
        a = c.execute("SELECT hash, entry_json FROM audit_log WHERE seq = 2").fetchone()
        b = c.execute("SELECT hash, entry_json FROM audit_log WHERE seq = 4").fetchone()
        c.execute("UPDATE audit_log SET hash = ?, entry_json = ? WHERE seq = 2", b)
        c.execute("UPDATE audit_log SET hash = ?, entry_json = ? WHERE seq = 4", a)
    assert "row does not match" in verify(store).problem
    # renumbered to look in order: the links give it away
    with _rows(store) as c:
        for seq in (2, 4):
            text = c.execute("SELECT entry_json FROM audit_log WHERE seq = ?", (seq,)).fetchone()[0]
            entry = json.loads(text)
            entry["seq"] = seq
            entry["hash"] = audit_hash(entry)
            c.execute("UPDATE audit_log SET hash = ?, entry_json = ? WHERE seq = ?",
                      (entry["hash"], json.dumps(entry), seq))
    assert verify(store).problem == "entry 2: does not link to the entry before"


def kiosk_audit(tmp_path):
    cfg = tmp_path / "t.toml"
    cfg.write_text(f'[terminal]\nid = "T-AUDIT"\n[paths]\ndata_dir = "{tmp_path / "data"}"\n'
                   '[sync]\nadapter = "off"\n', encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "kiosk", "audit", "verify", "--config",
                           str(cfg)], capture_output=True, text=True, timeout=60)


def test_kiosk_audit_verify(tmp_path, store):
    write_log(store, 4)
    ok = kiosk_audit(tmp_path)
    assert ok.returncode == 0 and ok.stdout.startswith("OK: 4 audit entries"), ok.stderr
    with _rows(store) as c:
        c.execute("UPDATE audit_log SET entry_json = replace(entry_json, '\"i\": 1', '\"i\": 9')")
    bad = kiosk_audit(tmp_path)
    assert bad.returncode == 1 and "entry 2: altered" in bad.stderr
    assert "Traceback" not in bad.stderr
