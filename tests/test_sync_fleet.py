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


def _profile_service(tmp_path):
    from kiosk.bus import Bus
    from kiosk.config_update import PushedConfig, load_terminal_config
    from kiosk.sync.service import SyncService

    cfg = tmp_path / "t.toml"
    if not cfg.exists():
        cfg.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    service = SyncService.__new__(SyncService)  # its bus, config and pushed state are used
    service.bus, service.config = Bus(), load_terminal_config(cfg)
    service.pushed_config = PushedConfig(tmp_path / "data")
    return cfg, service


@pytest.mark.allow_error_log
def test_a_pushed_profile_this_terminal_refuses_is_reported_with_the_schemas_words(
        backend, store, tmp_path):
    """new_config is checked against this terminal's own file before it is acknowledged: one it
    refuses comes back 执行失败 with the schema's message (its file untouched), one it keeps
    comes back accepted (written, restart pending) and reaches the window (which restarts
    when idle); the restarted kiosk, once up, runs the profile's hash: applied."""
    from kiosk.bus import Topic
    from kiosk.config_update import PushedConfig, load_terminal_config

    cfg, service = _profile_service(tmp_path)
    pushed = []
    service.bus.subscribe(Topic.NEW_CONFIG, pushed.append)
    with enrolled(backend.url, "T-PROFILE") as adapter, \
            httpx.Client(base_url=backend.url, headers=ADMIN_AUTH, timeout=10) as admin:
        worker = SyncWorker(store, adapter, Outbox(store), terminal_id="T-PROFILE",
                            rng=random.Random(3), heartbeat_interval_s=0,
                            on_new_config=service._new_config,
                            pushed_config=service.pushed_config)
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
                    good) == [("accepted",)]
        assert pushed == [{"session": {"idle_timeout_s": 120}}]
        assert load_terminal_config(cfg).session.idle_timeout_s == 120  # written
        # the restart (exit 75): the next start settles it, comes up, reports it applied
        after = PushedConfig(tmp_path / "data")
        assert after.settle(cfg) == "trying" and after.started()
        restarted = SyncWorker(store, adapter, Outbox(store), terminal_id="T-PROFILE",
                               rng=random.Random(4), heartbeat_interval_s=0, pushed_config=after)
        restarted.run_once()
        assert rows(backend, "SELECT result FROM terminal_commands WHERE id = ?",
                    good) == [("applied",)]
        assert rows(backend, "SELECT config_hash FROM terminals WHERE id = 'T-PROFILE'") == [
            (p.profile_hash({"session": {"idle_timeout_s": 120}}),)]
        assert after.results() == []  # carried: forgotten


@pytest.mark.allow_error_log
def test_a_profile_the_terminal_does_not_come_up_with_is_rolled_back_and_reported(
        backend, store, tmp_path):
    """Accepted and written; the kiosk restarts with it and dies on the way up (a kill, a
    crash before READY); the start after that rolls the overlay back to the previous one and
    the fleet view hears 执行失败 with why. The hash it runs stays the earlier profile's."""
    from kiosk.config_update import PushedConfig, load_terminal_config

    cfg, service = _profile_service(tmp_path)
    with enrolled(backend.url, "T-ROLL") as adapter, \
            httpx.Client(base_url=backend.url, headers=ADMIN_AUTH, timeout=10) as admin:
        worker = SyncWorker(store, adapter, Outbox(store), terminal_id="T-ROLL",
                            rng=random.Random(5), heartbeat_interval_s=0,
                            on_new_config=service._new_config,
                            pushed_config=service.pushed_config)
        first = admin.post("/v1/admin/terminals/T-ROLL/commands", json={
            "kind": "new_config", "payload": {"session": {"idle_timeout_s": 90}}}).json()["id"]
        worker.run_once()
        state = PushedConfig(tmp_path / "data")
        assert state.settle(cfg) == "trying" and state.started()  # the first one came up
        second = admin.post("/v1/admin/terminals/T-ROLL/commands", json={
            "kind": "new_config", "payload": {"session": {"idle_timeout_s": 300}}}).json()["id"]
        worker.run_once()
        worker.run_once()
        assert dict(rows(backend, "SELECT id, result FROM terminal_commands WHERE "
                                  "terminal_id = 'T-ROLL'")) == {first: "applied",
                                                                 second: "accepted"}
        assert load_terminal_config(cfg).session.idle_timeout_s == 300
        # restart with the second: this start never gets up (killed), the next one settles
        assert PushedConfig(tmp_path / "data").settle(cfg) == "trying"
        again = PushedConfig(tmp_path / "data")
        assert again.settle(cfg) == "rolled_back"
        assert load_terminal_config(cfg).session.idle_timeout_s == 90  # the previous overlay
        assert again.config_hash() == p.profile_hash({"session": {"idle_timeout_s": 90}})
        SyncWorker(store, adapter, Outbox(store), terminal_id="T-ROLL", rng=random.Random(6),
                   heartbeat_interval_s=0, pushed_config=again).run_once()
        (failed,) = rows(backend, "SELECT result, result_message FROM terminal_commands "
                                  "WHERE id = ?", second)
        assert failed[0] == "failed" and "did not come up" in failed[1], failed
        assert rows(backend, "SELECT result FROM terminal_commands WHERE id = ?",
                    first) == [("applied",)]


@pytest.mark.allow_error_log
def test_a_crash_soon_after_a_push_rolls_it_back_and_the_heartbeat_names_the_crash(
        backend, store, tmp_path):
    """A crash within the probation after coming up with a push rolls it back (no crash loop
    on a bad profile); the heartbeat carries the last crash (time, kind, count in ten minutes:
    nothing else) and the A4 paper beside the receipt's."""
    import json as _json
    import time as _time

    from kiosk.config_update import PushedConfig
    from kiosk.crash import CrashRecorder, LastCrash

    cfg, service = _profile_service(tmp_path)
    service._new_config({"session": {"idle_timeout_s": 200}}, 77)
    state = PushedConfig(tmp_path / "data")
    assert state.settle(cfg) == "trying" and state.started()
    assert state.crashed()  # seconds after coming up
    assert not (tmp_path / "data" / "backend-config.toml").exists()  # there was none before
    assert [(o["id"], o["ok"]) for o in state.results()] == [(77, False)]  # not "applied"
    assert "crashed" in state.results()[0]["message"]

    recorder = CrashRecorder(tmp_path / "data" / "crashes")
    for _ in range(2):
        try:
            raise ValueError("110101199003077777")  # a message never leaves the terminal
        except ValueError as exc:
            recorder.record(type(exc), exc.__traceback__, thread="MainThread")
    last = LastCrash(tmp_path / "data" / "crashes")
    report = last()
    assert report.kind == "exception" and report.recent == 2
    assert abs(report.at.timestamp() - _time.time()) < 60
    a4 = p.PaperReport(level=p.PaperLevel.OK, sheets_left=400, printed_total=100)
    with enrolled(backend.url, "T-CRASH") as adapter:
        SyncWorker(store, adapter, Outbox(store), terminal_id="T-CRASH", rng=random.Random(8),
                   heartbeat_interval_s=0, last_crash=last,
                   document_paper_report=lambda: a4).run_once()
    ((kind, recent, at, level, left),) = rows(
        backend, "SELECT crash_kind, crash_recent, crash_at, doc_paper_level, "
                 "doc_paper_sheets_left FROM terminals WHERE id = 'T-CRASH'")
    assert (kind, recent, level, left) == ("exception", 2, "ok", 400) and at
    assert "110101" not in _json.dumps(rows(backend, "SELECT * FROM terminals"), default=str)
