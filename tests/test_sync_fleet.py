"""The kiosk's side of fleet operation (docs/decisions/0028) against the real backend on
loopback: the sync worker sends its paper report and the command kinds it knows, carries out
restart / lock / unlock through its callbacks, and reports each command's result with the next
heartbeat (a kind it has no handler for comes back failed, with the reason)."""

from __future__ import annotations

import random
import sqlite3

import httpx
import pytest

from backend_helpers import ADMIN_AUTH, enrolled, start_backend
from conftest import small_catalog, write_catalog
from kiosk.store.db import open_store
from kiosk.sync.outbox import Outbox
from kiosk.sync.worker import SyncWorker
import protocol as p


@pytest.fixture
def backend(tmp_path):
    server = start_backend(tmp_path / "backend", write_catalog(tmp_path / "c.json.gz",
                                                                small_catalog()))
    yield server
    server.stop()


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "kiosk" / "kiosk.sqlite3")
    yield s
    s.close()


def rows(backend, sql: str, *args):
    with sqlite3.connect(backend.db_path) as c:
        return c.execute(sql, args).fetchall()


def test_new_commands_results_and_paper(backend, store):
    with enrolled(backend.url, "T-FLEET") as adapter, \
            httpx.Client(base_url=backend.url, headers=ADMIN_AUTH, timeout=10) as admin:
        restarts, locks = [], []
        paper = p.PaperReport(level=p.PaperLevel.LOW, sheets_left=80, printed_total=320)
        worker = SyncWorker(store, adapter, Outbox(store), terminal_id="T-FLEET",
                            rng=random.Random(1), heartbeat_interval_s=0,
                            on_restart=lambda: restarts.append(True), on_lock=locks.append,
                            paper_report=lambda: paper)
        worker.run_once()
        assert rows(backend, "SELECT paper_level, paper_sheets_left, paper_printed_total "
                             "FROM terminals WHERE id = 'T-FLEET'") == [("low", 80, 320)]
        ids = {}
        for kind, payload in (("lock", {"message": "设备维护中"}), ("unlock", {}),
                              ("restart", {})):
            r = admin.post("/v1/admin/terminals/T-FLEET/commands",
                           json={"kind": kind, "payload": payload})
            assert r.status_code == 201, r.text
            ids[kind] = r.json()["id"]
        report = worker.run_once()
        assert sorted(report.commands) == sorted(ids.values())
        assert locks == ["设备维护中", None] and restarts == [True]
        worker.run_once()  # acks them, with their results
        results = dict(rows(backend, "SELECT kind, result FROM terminal_commands "
                                     "WHERE terminal_id = 'T-FLEET'"))
        assert results == {"lock": "ok", "unlock": "ok", "restart": "ok"}

        # a worker without a restart handler says so
        bare = SyncWorker(store, adapter, Outbox(store), terminal_id="T-FLEET",
                          rng=random.Random(2), heartbeat_interval_s=0)
        cid = admin.post("/v1/admin/terminals/T-FLEET/commands",
                         json={"kind": "restart"}).json()["id"]
        bare.run_once()
        bare.run_once()
        assert rows(backend, "SELECT result, result_message FROM terminal_commands "
                             "WHERE id = ?", cid) == [("failed",
                                                       "this terminal does not handle it")]


def test_fleet_commands_without_a_subscriber_are_not_reported_done():
    from kiosk.bus import Bus, Topic
    from kiosk.sync.service import SyncService
    from kiosk.sync.worker import NotHandled

    bus = Bus()
    service = SyncService.__new__(SyncService)  # only its bus is used here
    service.bus = bus
    with pytest.raises(NotHandled):
        service._publish_handled(Topic.LOCK, "维护中")
    got = []
    bus.subscribe(Topic.LOCK, got.append)
    service._publish_handled(Topic.LOCK, "维护中")
    assert got == ["维护中"]


@pytest.mark.allow_error_log
def test_a_pushed_profile_this_terminal_refuses_is_reported_with_the_schemas_words(
        backend, store, tmp_path):
    """new_config is checked against this terminal's own file before it is acknowledged: one it
    refuses comes back 执行失败 with the schema's message (its file untouched), one it keeps
    comes back done and reaches the window (which writes it and restarts when idle)."""
    from kiosk.bus import Bus, Topic
    from kiosk.config_update import load_terminal_config
    from kiosk.sync.service import SyncService

    cfg = tmp_path / "t.toml"
    cfg.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    service = SyncService.__new__(SyncService)  # its bus and config are what is used here
    service.bus, service.config = Bus(), load_terminal_config(cfg)
    pushed = []
    service.bus.subscribe(Topic.NEW_CONFIG, pushed.append)
    with enrolled(backend.url, "T-PROFILE") as adapter, \
            httpx.Client(base_url=backend.url, headers=ADMIN_AUTH, timeout=10) as admin:
        worker = SyncWorker(store, adapter, Outbox(store), terminal_id="T-PROFILE",
                            rng=random.Random(3), heartbeat_interval_s=0,
                            on_new_config=service._new_config)
        worker.run_once()
        bad = admin.post("/v1/admin/terminals/T-PROFILE/commands", json={
            "kind": "new_config", "payload": {"session": {"idle_timeout_s": 5}}}).json()["id"]
        good = admin.post("/v1/admin/terminals/T-PROFILE/commands", json={
            "kind": "new_config", "payload": {"session": {"idle_timeout_s": 120}}}).json()["id"]
        worker.run_once()
        worker.run_once()  # acks them, with their results
        (refused,) = rows(backend, "SELECT result, result_message FROM terminal_commands "
                                   "WHERE id = ?", bad)
        assert refused[0] == "failed" and "session.idle_timeout_s" in refused[1]
        assert rows(backend, "SELECT result FROM terminal_commands WHERE id = ?",
                    good) == [("ok",)]
        assert pushed == [{"session": {"idle_timeout_s": 120}}]
