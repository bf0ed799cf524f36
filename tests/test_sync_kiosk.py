"""The kiosk side of sync against the real reference backend on loopback: the adapters, the
catalog pull into the real local store (full, incremental, epoch change, resume), the outbox
drain, heartbeats and commands, the status the UI shows. Faults are in test_sync_faults.py."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import threading
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import insert

from contracts import assert_implements
from backend.seed import DEMO_CITIZENS, DEMO_ENROLMENT_CODE
from backend_helpers import ADMIN_AUTH, enrolled, proof_for, start_backend
from conftest import small_catalog, write_catalog
from kiosk.catalog.importer import import_catalog
from kiosk.catalog.repository import CatalogRepository
from kiosk.catalog.search import SearchIndex
from kiosk.devices.status import DeviceStatus, Level, Reason
from kiosk.store.db import open_store
from kiosk.store.models import OutboxEvent
import protocol as p
from wiring.demo_backend import DemoBackend
from kiosk.sync.adapter import (
    BackendAdapter,
    BackendRejected,
    BackendUnavailable,
    HttpAdapter,
    NotEnrolled,
)
from kiosk.sync.catalog_sync import CatalogSync
from kiosk.sync.outbox import Outbox
from kiosk.sync.state import SyncStateStore
from kiosk.sync.worker import LinkState, SyncWorker

ZHANG, LI, WANG, CHEN = (c.id_number for c in DEMO_CITIZENS)
TIMINGS: dict[str, str] = {}


# --- helpers -----------------------------------------------------------------------------------


class Clock:
    """The outbox's clock: tests jump over its backoff instead of sleeping."""

    def __init__(self):
        self.now = datetime(2026, 11, 23, 12, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def backend_rows(db_path: Path, sql: str, *params) -> list[tuple]:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def backend_catalog(db_path: Path) -> dict:
    return {
        "departments": set(backend_rows(
            db_path, "SELECT code, name, short_name, name_en, sort_order FROM departments")),
        "categories": set(backend_rows(
            db_path, "SELECT code, department_code, name, name_en, sort_order FROM categories")),
        "items": {r[0]: (*r[1:9], json.loads(r[9]), None if r[10] is None else json.loads(r[10]))
                  for r in backend_rows(db_path,
                  "SELECT id, code, name, department_code, category_code, level, kiosk_enabled, "
                  "high_frequency, url, keys_json, guide_json FROM catalog_items WHERE NOT deleted")},
    }


def local_catalog(store) -> dict:
    with store.engine.connect() as c:
        q = lambda sql: c.exec_driver_sql(sql).fetchall()  # noqa: E731
        guides = {r[0]: json.loads(r[1]) for r in q("SELECT item_id, body_json FROM guides")}
        return {
            "departments": set(q("SELECT code, name, short_name, name_en, sort_order FROM departments")),
            "categories": set(q("SELECT code, department_code, name, name_en, sort_order FROM categories")),
            "items": {r[0]: (*r[1:9], json.loads(r[9]), guides.get(r[0])) for r in q(
                "SELECT id, code, name, department_code, category_code, level, kiosk_enabled, "
                "high_frequency, url, keys_json FROM service_items")},
        }


def backend_event_keys(db_path: Path, terminal_id: str) -> list[str]:
    return [r[0] for r in backend_rows(
        db_path, "SELECT idempotency_key FROM events WHERE terminal_id = ?", terminal_id)]


def queue_events(store, n: int, when: datetime = datetime(2025, 1, 1)) -> list[str]:
    """N outbox events, due now, in one transaction (Outbox.add takes one per event)."""
    now = when
    rows = [dict(idempotency_key=str(uuid.uuid4()), kind="telemetry",
                 payload_json=json.dumps({"n": i, "screen": "home"}), occurred_at=now,
                 state="pending", attempts=0, next_attempt_at=now, last_error="")
            for i in range(n)]
    with store.session() as s:
        s.execute(insert(OutboxEvent), rows)
    return [r["idempotency_key"] for r in rows]


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


@pytest.fixture
def admin(backend):
    with httpx.Client(base_url=backend.url, headers=ADMIN_AUTH, timeout=10) as c:
        yield c


@pytest.fixture(autouse=True)
def _slow_only_when_asked(request):
    """The project's default run has no `-m "not slow"`: the long forms here run only when asked
    for (`-m slow`, or KIOSK_SLOW_TESTS=1); their bounded forms always run."""
    if request.node.get_closest_marker("slow") is None or os.environ.get("KIOSK_SLOW_TESTS"):
        return
    expr = request.config.getoption("markexpr") or ""
    if "slow" not in expr.replace("not slow", ""):
        pytest.skip("long form: run with -m slow or KIOSK_SLOW_TESTS=1")


# --- adapters ----------------------------------------------------------------------------------


def test_demo_backend_process_enrols_and_a_full_sync_equals_the_backend_catalog(tmp_path, store):
    catalog = write_catalog(tmp_path / "c.json.gz", small_catalog())
    folder = tmp_path / "embedded"
    with DemoBackend(folder, catalog=catalog, citizens=4) as server, \
            server.enrolled("DEMO-0001") as adapter:
        assert_implements(adapter, BackendAdapter)
        assert adapter.credential
        first_credential = adapter.credential
        assert server.url.startswith("http://127.0.0.1:") and server.process
        result = CatalogSync(store, adapter).run()
    assert result.full and result.complete and result.version == "test.1"
    assert local_catalog(store) == backend_catalog(folder / "backend.sqlite3")
    repo = CatalogRepository(store)
    stats = repo.stats()
    assert (stats.items, stats.departments, stats.guides, stats.version) == (26, 3, 26, "test.1")
    index = SearchIndex(repo.search_rows())
    assert [h.id for h in index.search("sbcbzm")][:1] == ["RS-000001"]
    assert repo.guide("RS-000001").window == "3 号窗口"
    # A second start on the same folder: not seeded again, enrolled again, the same data.
    with DemoBackend(folder, catalog=catalog, citizens=9) as server, \
            server.enrolled("DEMO-0001") as adapter:
        assert adapter.health().protocol == p.PROTOCOL_VERSION
        assert adapter.credential != first_credential
        assert CatalogSync(store, adapter).run().upserts == 0
        with HttpAdapter(server.url, first_credential) as old, pytest.raises(NotEnrolled):
            old.catalog_changes(0)
    assert len(backend_rows(folder / "backend.sqlite3", "SELECT id FROM citizens")) == 4


def test_online_calls_return_models_and_leave_no_trace(backend, store, caplog, tmp_path):
    caplog.set_level("DEBUG")
    with enrolled(backend.url, "T-ONLINE") as adapter:
        def proof(n):  # how the citizen was verified (every personal call carries one)
            return proof_for(adapter, "T-ONLINE", n)

        si = adapter.fetch("social_insurance", ZHANG, proof=proof(ZHANG))
        assert isinstance(si, p.SocialInsuranceRecords) and si.holder.name == "张伟"
        assert isinstance(adapter.fetch("medical_account", LI, proof=proof(LI)),
                          p.MedicalAccountRecords)
        assert adapter.fetch("provident_fund", ZHANG, proof=proof(ZHANG)).account.status == \
            "normal"
        assert adapter.fetch("real_estate", LI, proof=proof(LI)).registrations == []
        with pytest.raises(BackendRejected) as no_account:
            adapter.fetch("provident_fund", CHEN, proof=proof(CHEN))
        assert (no_account.value.status, no_account.value.code) == (404, "no_account")
        # A mistyped number is refused before it leaves the terminal, in the backend's words.
        typo = ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1")
        with pytest.raises(BackendRejected) as invalid:
            adapter.fetch("social_insurance", typo)
        assert invalid.value.code == "invalid_request" and "check digit" in invalid.value.message
        assert typo not in invalid.value.message
        doc = adapter.issue_document(p.DocumentKind.SS_CERTIFICATE, ZHANG, proof=proof(ZHANG))
        assert isinstance(doc, p.DocumentIssued)
        check = adapter.verify(doc.verification_code.lower())
        assert check.status == "valid" and check.terminal_id == "T-ONLINE"
        with pytest.raises(BackendRejected) as owner:
            adapter.issue_document("no_property", ZHANG, proof=proof(ZHANG))
        assert owner.value.code == "not_applicable"
        ticket = adapter.queue_ticket("ss")
        assert adapter.ticket_status(ticket.ticket_id).state == "waiting"
        with pytest.raises(BackendRejected):
            adapter.queue_ticket("Not A Type")
    # Nothing personal in the log or on disk: only call kinds were logged.
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (ZHANG, LI, CHEN, "张伟"):
        assert secret not in text
    assert "social_insurance" in text
    for f in (tmp_path / "kiosk").iterdir():
        data = f.read_bytes()
        assert ZHANG.encode() not in data and "张伟".encode() not in data


def test_enrolment_refused_and_calls_without_a_credential(backend):
    with HttpAdapter(backend.url) as adapter:
        with pytest.raises(NotEnrolled):
            adapter.catalog_changes(0)
        with pytest.raises(BackendRejected) as refused:
            adapter.enrol("WRONG-CODE", "T-REFUSED")
        assert (refused.value.status, refused.value.code) == (401, "enrolment_refused")
        assert adapter.credential is None
    # A code for any terminal cannot take over an enrolled one's identity.
    with enrolled(backend.url, "T-TAKEN") as owner, HttpAdapter(backend.url) as intruder:
        with pytest.raises(BackendRejected) as taken:
            intruder.enrol(DEMO_ENROLMENT_CODE, "T-TAKEN")
        assert (taken.value.status, taken.value.code) == (403, "already_enrolled")
        assert intruder.credential is None
        assert owner.catalog_changes(0, limit=1).next_cursor > 0


# --- the catalog ---------------------------------------------------------------------------------


def test_full_sync_of_the_shipped_catalog(tmp_path, store):
    server = start_backend(tmp_path / "full", citizens=1)
    try:
        with enrolled(server.url, "T-FULL") as adapter:
            t0 = time.perf_counter()
            result = CatalogSync(store, adapter).run()
            seconds = time.perf_counter() - t0
        expected = backend_catalog(server.db_path)
    finally:
        server.stop()
    assert result.full and result.complete and result.pages == 11
    assert local_catalog(store) == expected and len(expected["items"]) > 10_000
    t1 = time.perf_counter()
    repo = CatalogRepository(store)
    index = SearchIndex(repo.search_rows())
    assert len(index) == len(expected["items"])
    TIMINGS["full catalog sync"] = (f"{len(expected['items'])} items, {result.pages} pages in "
                                    f"{seconds:.2f} s; search index rebuilt in "
                                    f"{time.perf_counter() - t1:.2f} s")
    print("\nsync timings: " + "; ".join(f"{k}: {v}" for k, v in TIMINGS.items()))


def test_incremental_sync_after_an_admin_edit_and_delete(backend, store, admin):
    with enrolled(backend.url, "T-INCR") as adapter:
        sync = CatalogSync(store, adapter)
        first = sync.run()
        new_item = {"code": "X1", "name": "测试事项（新增）", "department": "yb", "category": "yb.acc",
                    "level": "区级", "high_frequency": True,
                    "keys": [{"text": "测试事项", "pinyin": "ceshishixiang", "initials": "cssx"}],
                    "guide": {"format": 1, "steps": ["申请"], "window": "9 号窗口"}}
        assert admin.put("/v1/admin/catalog/items/YB-900001", json=new_item).status_code == 200
        renamed = {**new_item, "name": "医保参保凭证打印（更名）", "guide": None,
                   "keys": [{"text": "医保参保凭证打印（更名）", "pinyin": "", "initials": ""}]}
        assert admin.put("/v1/admin/catalog/items/YB-000005", json=renamed).status_code == 200
        assert admin.delete("/v1/admin/catalog/items/RS-000003").status_code == 200
        second = sync.run()
        assert (second.pages, second.upserts, second.deletions, second.full) == (1, 2, 1, False)
        assert second.cursor > first.cursor and second.epoch == first.epoch
        assert sync.run().upserts == 0  # nothing new: an empty page
    assert local_catalog(store) == backend_catalog(backend.db_path)
    repo = CatalogRepository(store)
    assert repo.guide("YB-900001").window == "9 号窗口"
    assert repo.items(["YB-000005"])[0].name == "医保参保凭证打印（更名）"
    assert repo.guide("YB-000005").steps == ()  # the guide was removed with the change
    assert repo.items(["RS-000003"]) == [] and repo.guide("RS-000003") is None
    index = SearchIndex(repo.search_rows())
    assert [h.id for h in index.search("cssx")] == ["YB-900001"]
    assert "RS-000003" not in {h.id for h in index.search("失业")}


def test_epoch_change_or_unknown_cursor_means_a_full_resync(tmp_path, store):
    # The terminal starts with the catalog file it shipped with (items the backend lacks).
    shipped = small_catalog("shipped.1")
    shipped["items"].append({**shipped["items"][0], "id": "OLD-000001", "name": "旧事项"})
    import_catalog(store, write_catalog(tmp_path / "shipped.json.gz", shipped))
    first = start_backend(tmp_path / "b1", write_catalog(tmp_path / "c1.json.gz", small_catalog("v1")))
    try:
        with enrolled(first.url, "T-EPOCH") as adapter:
            r1 = CatalogSync(store, adapter).run()
        assert local_catalog(store) == backend_catalog(first.db_path)  # OLD-000001 dropped
    finally:
        first.stop()
    # The backend is rebuilt with a bigger catalog: another epoch, the old cursor still "valid".
    bigger = small_catalog("v2")
    bigger["items"] += [{**bigger["items"][1], "id": f"NEW-{n:06d}", "name": f"新事项{n}"}
                        for n in range(60)]
    bigger["items"] = [i for i in bigger["items"] if i["id"] != "YB-000004"]
    second = start_backend(tmp_path / "b2", write_catalog(tmp_path / "c2.json.gz", bigger))
    try:
        with enrolled(second.url, "T-EPOCH") as adapter:
            sync = CatalogSync(store, adapter, page_size=25)
            r2 = sync.run()
            assert r2.epoch != r1.epoch and r2.full and r2.pages == 4
            assert local_catalog(store) == backend_catalog(second.db_path)
            assert "YB-000004" not in local_catalog(store)["items"]
            pos = sync.position()
            assert (pos.cursor, pos.full) == (r2.cursor, False)
    finally:
        second.stop()
    # Rebuilt again, smaller: the stored cursor is ahead of everything it has (409).
    smaller = small_catalog("v3")
    smaller["items"] = smaller["items"][:10]
    third = start_backend(tmp_path / "b3", write_catalog(tmp_path / "c3.json.gz", smaller))
    try:
        with enrolled(third.url, "T-EPOCH") as adapter:
            r3 = CatalogSync(store, adapter).run()
        assert r3.full and r3.version == "v3"
        assert local_catalog(store) == backend_catalog(third.db_path)
    finally:
        third.stop()
    assert CatalogRepository(store).version() == "v3"


class FailAfter:
    """An adapter that lets `pages` catalog pages through, then fails like a dropped network."""

    def __init__(self, adapter, pages: int):
        self.adapter, self.pages = adapter, pages
        self.credential = adapter.credential

    def catalog_changes(self, cursor, limit=p.CATALOG_PAGE_MAX):
        if self.pages <= 0:
            raise BackendUnavailable("catalog_changes: connection reset", "network")
        self.pages -= 1
        return self.adapter.catalog_changes(cursor, limit)


def test_an_interrupted_sync_resumes_from_the_last_committed_page(backend, store):
    with enrolled(backend.url, "T-RESUME") as adapter:
        sync = CatalogSync(store, FailAfter(adapter, 2), page_size=10)
        with pytest.raises(BackendUnavailable):
            sync.run()
        pos = sync.position()
        assert pos.cursor == 20 and pos.full  # two pages in, the third lost
        assert len(local_catalog(store)["items"]) == 20 - 3 - 4  # three depts, four categories
        calls = []
        resumed = CatalogSync(store, adapter, page_size=10,
                              on_page=lambda page: calls.append(page.next_cursor))
        result = resumed.run()
        assert calls[0] == 30 and result.full and result.complete
    assert local_catalog(store) == backend_catalog(backend.db_path)


# --- the worker ---------------------------------------------------------------------------------


def make_worker(store, adapter, clock: Clock | None = None, **kw) -> tuple[SyncWorker, Outbox]:
    outbox = Outbox(store, clock=clock or Clock(), rng=random.Random(7))
    kw.setdefault("terminal_id", "T-WORKER")
    return SyncWorker(store, adapter, outbox, rng=random.Random(7), **kw), outbox


def test_worker_pushes_events_sends_heartbeats_and_carries_out_commands(backend, store, admin):
    with enrolled(backend.url, "T-WORKER") as adapter:
        maintenance, configs, catalogs, statuses = [], [], [], []
        devices = {"receipt": DeviceStatus(Level.WARNING, Reason.PAPER_NEAR_END),
                   "document": DeviceStatus.ok()}
        worker, outbox = make_worker(store, adapter, version="1.2.3",
                                     device_statuses=lambda: devices,
                                     on_maintenance=maintenance.append,
                                     on_new_config=lambda payload, _id: configs.append(payload),
                                     on_catalog_updated=catalogs.append,
                                     heartbeat_interval_s=3600)
        worker.subscribe(statuses.append)
        keys = [outbox.add("rating", {"level": 5, "item": "RS-000001"}) for _ in range(3)]
        keys += queue_events(store, 1200)
        report = worker.run_once()
        assert report.error == "" and report.catalog.full and report.heartbeat
        assert (report.sent, report.accepted, report.batches) == (1203, 1203, 3)
        assert sorted(backend_event_keys(backend.db_path, "T-WORKER")) == sorted(keys)
        assert outbox.pending_count() == 0 and len(catalogs) == 1
        assert statuses[0].state == LinkState.CONNECTING
        assert statuses[-1].state == LinkState.CONNECTED and statuses[-1].pending == 0
        assert statuses[-1].last_sync_at is not None
        terminal = {t["id"]: t for t in admin.get("/v1/admin/terminals").json()}["T-WORKER"]
        assert terminal["version"] == "1.2.3" and terminal["backlog"] == 0
        assert terminal["devices"]["receipt"] == {"status": "warning", "reason": "paper_near_end"}

        for kind, payload in (("enter_maintenance", {}), ("new_config", {"attract": {"x": 1}}),
                              ("reload_catalog", {}), ("leave_maintenance", {})):
            r = admin.post("/v1/admin/terminals/T-WORKER/commands",
                           json={"kind": kind, "payload": payload})
            assert r.status_code == 201, r.text
        admin.put("/v1/admin/catalog/items/RS-900001", json={
            "name": "新增事项", "department": "rs", "category": "rs.ss"})
        worker.heartbeat_soon()
        report = worker.run_once()
        assert len(report.commands) == 4 and report.catalog.upserts == 1
        assert maintenance == [True, False] and configs == [{"attract": {"x": 1}}]
        assert len(catalogs) == 2 and worker.status.maintenance is False
        # The same commands come back until acked: carried out once all the same.
        worker2, _ = make_worker(store, adapter, on_maintenance=maintenance.append,
                                 heartbeat_interval_s=0)
        assert worker2._unacked == set(report.commands)  # survived a "restart"
        worker2.run_once()  # acks them
        worker2.run_once()
        assert maintenance == [True, False]
        terminal = {t["id"]: t for t in admin.get("/v1/admin/terminals").json()}["T-WORKER"]
        assert terminal["pending_commands"] == 0
        assert SyncStateStore(store).unacked_commands() == []


def test_status_goes_to_subscribers_only_when_it_changes(backend, store):
    with enrolled(backend.url, "T-WORKER") as adapter:
        worker, outbox = make_worker(store, adapter, heartbeat_interval_s=3600,
                                     catalog_interval_s=3600)
        seen = []
        unsubscribe = worker.subscribe(seen.append)
        worker.run_once()
        n = len(seen)
        for _ in range(3):
            worker.run_once()  # nothing due, nothing pending: no exchange, no change
        assert len(seen) == n
        outbox.add("rating", {"level": 4})
        worker.run_once()
        assert len(seen) > n and seen[-1].pending == 0
        unsubscribe()
        outbox.add("rating", {"level": 3})
        worker.run_once()
        assert seen[-1].state == LinkState.CONNECTED and len(seen) == n + 1


def test_worker_thread_delivers_and_stops(backend, store):
    with enrolled(backend.url, "T-THREAD") as adapter:
        worker, outbox = make_worker(store, adapter, terminal_id="T-THREAD", push_interval_s=0.05)
        delivered = threading.Event()
        worker.subscribe(lambda s: delivered.set() if s.state == LinkState.CONNECTED
                         and s.pending == 0 and s.last_sync_at else None)
        keys = queue_events(store, 50)
        worker.start()
        try:
            assert delivered.wait(10)
            delivered.clear()
            keys.append(outbox.add("problem_report", {"what": "printer_jam"}))
            worker.wake()
            deadline = time.monotonic() + 10
            while outbox.pending_count() and time.monotonic() < deadline:
                time.sleep(0.02)
        finally:
            worker.stop()
        assert worker._thread is None
        assert sorted(backend_event_keys(backend.db_path, "T-THREAD")) == sorted(keys)


def test_a_full_outbox_drains_in_one_cycle_in_full_batches(backend, store):
    """2,000 queued events leave in one `run_once`, as 4 batches of the protocol's maximum (500),
    each accepted once. (The rate, 100,000 events, is measured by `python -m bench.sync`.)"""
    n = 2_000
    with enrolled(backend.url, "T-DRAIN") as adapter:
        worker, outbox = make_worker(store, adapter, terminal_id="T-DRAIN")
        worker._catalog_due = False
        worker._next_catalog_at = float("inf")
        keys = queue_events(store, n)
        report = worker.run_once()
    assert worker.batch_size == p.MAX_EVENTS_PER_BATCH == 500
    assert (report.batches, report.sent, report.accepted, report.duplicates) == (4, n, n, 0)
    assert outbox.pending_count() == 0
    assert sorted(backend_event_keys(backend.db_path, "T-DRAIN")) == sorted(keys)
