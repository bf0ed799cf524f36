"""Sync under faults, against the real backend on loopback through a small fault-injecting proxy:
a backend down at start, connections cut in the middle of a request or of its answer, 500s, a
backend slower than the timeout, malformed and truncated JSON, a batch delivered twice, a
revoked credential, a heartbeat answer lost, and the kiosk killed with SIGKILL in the middle of a
sync. Each ends with the backend holding every event exactly once.

Run as a script (``python tests/test_sync_faults.py child ...``) this file is the kiosk process
the SIGKILL test starts and kills.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict, deque
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # when run as the child script
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from kiosk.store.db import open_store  # noqa: E402
from kiosk.store.models import OutboxEvent  # noqa: E402
import protocol as p  # noqa: E402
from kiosk.sync.adapter import HttpAdapter  # noqa: E402
from kiosk.sync.outbox import Outbox  # noqa: E402
from kiosk.sync.state import SyncStateStore  # noqa: E402
from kiosk.sync.worker import LinkState, SyncWorker  # noqa: E402

ADMIN = "sync-fault-admin"
DEMO_ENROL = "DEMO-ENROL"


# --- a fault-injecting HTTP proxy on loopback ---------------------------------------------------


def _read_message(sock: socket.socket, buf: bytearray) -> tuple[bytes, bytes] | None:
    """One HTTP/1.1 message (head, body) with a Content-Length body; None at end of stream."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    end = buf.index(b"\r\n\r\n") + 4
    head = bytes(buf[:end])
    del buf[:end]
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        assert name.strip().lower() != b"transfer-encoding", "chunked bodies not supported"
    while len(buf) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    body = bytes(buf[:length])
    del buf[:length]
    return head, body


def _with_body(head: bytes, body: bytes, status: bytes | None = None) -> bytes:
    lines = head.rstrip(b"\r\n").split(b"\r\n")
    if status is not None:
        lines[0] = b"HTTP/1.1 " + status
    lines = [lines[0]] + [ln for ln in lines[1:] if not ln.lower().startswith(b"content-length:")]
    lines.append(b"content-length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


ERROR_500 = json.dumps({"error": "internal", "message": "injected by the test proxy"}).encode()


class FaultProxy:
    """Forwards HTTP requests to `upstream` (a fresh upstream connection per request) and applies
    the next planned fault for the request's path:

    - ``cut_request``: forward half of the request, then close both sides (never answered);
    - ``500_before`` / ``500_after``: answer 500 without forwarding / after the backend did it;
    - ``cut_response``: forward, then send only the first 40 bytes of the answer and close;
    - ``truncate``: forward, send the headers and half the body (Content-Length promises all);
    - ``garbage`` / ``bad_json`` / ``wrong_schema``: forward, answer 200 with HTML / the body cut
      in half / valid JSON of another shape;
    - ``delay``: forward, hold the answer for `delay_s` (past the client's timeout);
    - ``drip``: forward, send the answer's body a byte every 50 ms (each read in time);
    - ``drip_head``: forward, send the answer's headers a byte every 50 ms;
    - ``replay``: forward the request twice and answer with the second answer.
    """

    def __init__(self, upstream_port: int, delay_s: float = 1.5):
        self.upstream_port = upstream_port
        self.delay_s = delay_s
        self.faults: dict[str, deque[str]] = defaultdict(deque)
        self.seen: list[tuple[str, str]] = []  # (path, fault)
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(32)
        self.port = self._listener.getsockname()[1]
        self._conns: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)
        self._acceptor.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def plan(self, path: str, *faults: str) -> None:
        with self._lock:
            self.faults[path].extend(faults)

    def _next_fault(self, path: str) -> str:
        with self._lock:
            queue = self.faults.get(path.split("?")[0])
            fault = queue.popleft() if queue else "pass"
            self.seen.append((path, fault))
            return fault

    def _accept(self) -> None:
        self._listener.settimeout(0.1)  # closing a socket does not wake a blocked accept()
        while not self._closing.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            with self._lock:
                self._conns.add(conn)
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(t)
            t.start()

    def _exchange(self, head: bytes, body: bytes) -> tuple[bytes, bytes] | None:
        up = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10)
        try:
            up.sendall(head + body)
            return _read_message(up, bytearray())
        finally:
            up.close()

    def _serve(self, conn: socket.socket) -> None:
        buf = bytearray()
        conn.settimeout(10)
        try:
            while not self._closing.is_set():
                request = _read_message(conn, buf)
                if request is None:
                    return
                head, body = request
                path = head.split(b" ")[1].decode()
                fault = self._next_fault(path)
                if fault == "cut_request":
                    up = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10)
                    up.sendall(head + body[: len(body) // 2])
                    up.close()
                    return
                if fault == "500_before":
                    conn.sendall(_with_body(b"HTTP/1.1 500\r\ncontent-type: application/json\r\n",
                                            ERROR_500, b"500 Internal Server Error"))
                    continue
                response = self._exchange(head, body)
                if response is None:
                    return
                if fault == "replay":
                    response = self._exchange(head, body) or response
                r_head, r_body = response
                if fault == "500_after":
                    conn.sendall(_with_body(r_head, ERROR_500, b"500 Internal Server Error"))
                elif fault == "cut_response":
                    conn.sendall((r_head + r_body)[:40])
                    return
                elif fault == "truncate":
                    conn.sendall(r_head + r_body[: len(r_body) // 2])
                    return
                elif fault == "garbage":
                    conn.sendall(_with_body(r_head, b"<html><body>502 Bad Gateway</body></html>",
                                            b"200 OK"))
                elif fault == "bad_json":
                    conn.sendall(_with_body(r_head, r_body[: len(r_body) // 2]))
                elif fault == "wrong_schema":
                    conn.sendall(_with_body(r_head, b'{"results": [], "commands": "none"}'))
                elif fault == "drip":  # the body a byte every 50 ms: each read quick, all slow
                    conn.sendall(r_head)
                    for i in range(len(r_body)):
                        if self._closing.wait(0.05):
                            return
                        conn.sendall(r_body[i:i + 1])
                elif fault == "drip_head":  # the headers a byte every 50 ms
                    for i in range(len(r_head)):
                        if self._closing.wait(0.05):
                            return
                        conn.sendall(r_head[i:i + 1])
                    conn.sendall(r_body)
                elif fault == "delay":
                    if self._closing.wait(self.delay_s):
                        return
                    conn.sendall(r_head + r_body)  # the client has given up: may fail
                else:
                    conn.sendall(r_head + r_body)
        except OSError:
            return
        finally:
            with self._lock:
                self._conns.discard(conn)
            conn.close()

    def close(self) -> None:
        self._closing.set()
        self._acceptor.join(5)
        self._listener.close()
        with self._lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for t in self._threads:
            t.join(5)


# --- fixtures and helpers ------------------------------------------------------------------------


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 23, 12, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed_backend(folder: Path, *, catalog_limit: int = 40) -> Path:
    from backend.db import open_database
    from backend.seed import seed_database

    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "backend.sqlite3"
    db = open_database(f"sqlite:///{db_path}")
    try:
        seed_database(db, citizens=4, catalog_limit=catalog_limit)
    finally:
        db.close()
    return db_path


def start_backend(db_path: Path, port: int = 0):
    from backend.embedded import EmbeddedBackend

    server = EmbeddedBackend(f"sqlite:///{db_path}", port=port, admin_token=ADMIN)
    server.start()
    server.db_path = db_path
    return server


def backend_rows(db_path: Path, sql: str, *params) -> list[tuple]:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def assert_exactly_once(db_path: Path, terminal_id: str, keys: list[str]) -> None:
    rows = backend_rows(db_path, "SELECT idempotency_key FROM events WHERE terminal_id = ?",
                        terminal_id)
    got = [r[0] for r in rows]
    assert len(got) == len(set(got)), "an event was stored twice"
    assert sorted(got) == sorted(keys), (
        f"missing {len(set(keys) - set(got))}, unexpected {len(set(got) - set(keys))}")


def queue_events(store, n: int, when: datetime = datetime(2025, 1, 1)) -> list[str]:
    rows = [dict(idempotency_key=str(uuid.uuid4()), kind="telemetry",
                 payload_json=json.dumps({"n": i, "screen": "home"}), occurred_at=when,
                 state="pending", attempts=0, next_attempt_at=when, last_error="")
            for i in range(n)]
    with store.session() as s:
        s.execute(insert(OutboxEvent), rows)
    return [r["idempotency_key"] for r in rows]


def enrol(url: str, terminal_id: str) -> str:
    with HttpAdapter(url) as a:
        return a.enrol(DEMO_ENROL, terminal_id).credential


def run_until_drained(worker: SyncWorker, clock: Clock, rounds: int = 12) -> list:
    """Cycles, jumping the outbox's clock over its backoff between them."""
    reports = []
    for _ in range(rounds):
        reports.append(worker.run_once())
        if worker.outbox.pending_count() == 0 and not reports[-1].error:
            return reports
        clock.advance(700)
    raise AssertionError(f"not drained: {[r.error for r in reports]}")



@pytest.fixture
def backend_db(tmp_path) -> Path:
    return seed_backend(tmp_path / "backend")


@pytest.fixture
def backend(backend_db):
    server = start_backend(backend_db)
    yield server
    server.stop()


@pytest.fixture
def proxy(backend):
    fp = FaultProxy(backend.port)
    yield fp
    fp.close()


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "kiosk" / "kiosk.sqlite3")
    yield s
    s.close()


@pytest.fixture
def workers(store):
    """make(url, credential, terminal_id, **options) -> (worker, outbox clock); adapters closed
    at the end."""
    adapters = []

    def make(url, credential, terminal_id, *, timeout=3.0, deadline=None, **kw):
        adapter = HttpAdapter(url, credential, timeout=timeout, connect_timeout=1.0,
                              deadline=deadline)
        adapters.append(adapter)
        clock = Clock()
        outbox = Outbox(store, clock=clock, rng=random.Random(3))
        kw.setdefault("heartbeat_interval_s", 3600)
        worker = SyncWorker(store, adapter, outbox, terminal_id=terminal_id,
                            rng=random.Random(3), **kw)
        return worker, clock

    yield make
    for a in adapters:
        a.close()



# --- the faults ----------------------------------------------------------------------------------


def test_backend_down_at_start_then_back(tmp_path, backend_db, store, workers):
    port = free_port()
    server = start_backend(backend_db, port)
    credential = enrol(server.url, "T-DOWN")
    server.stop()
    worker, clock = workers(f"http://127.0.0.1:{port}", credential, "T-DOWN")
    statuses = []
    worker.subscribe(statuses.append)
    keys = queue_events(store, 30) + [worker.outbox.add("rating", {"level": 5})]
    report = worker.run_once()
    assert report.error and statuses[-1].state == LinkState.OFFLINE
    assert statuses[-1].pending == 31 and "ConnectError" in statuses[-1].last_error
    assert worker.outbox.pending_count() == 31  # kept, to be sent later
    assert SyncStateStore(store).position().cursor == 0
    clock.advance(700)
    assert worker.run_once().error  # still down
    server = start_backend(backend_db, port)
    try:
        run_until_drained(worker, clock)
        assert statuses[-1].state == LinkState.CONNECTED and statuses[-1].pending == 0
        assert_exactly_once(backend_db, "T-DOWN", keys)
        assert SyncStateStore(store).position().full is False
    finally:
        server.stop()



def test_worker_thread_reports_offline_then_recovers(tmp_path, backend_db, store, workers):
    port = free_port()
    server = start_backend(backend_db, port)
    credential = enrol(server.url, "T-THREAD-DOWN")
    server.stop()
    worker, clock = workers(f"http://127.0.0.1:{port}", credential, "T-THREAD-DOWN",
                            push_interval_s=0.05, retry_min_s=0.05, retry_max_s=0.2)
    states: list[LinkState] = []
    changed = threading.Condition()

    def note(status):
        with changed:
            states.append(status)
            changed.notify_all()

    def wait_for(pred, timeout=10.0):
        with changed:
            assert changed.wait_for(lambda: states and pred(states[-1]), timeout), states[-3:]

    keys = queue_events(store, 20)
    worker.subscribe(note)
    worker.start()
    try:
        wait_for(lambda s: s.state == LinkState.OFFLINE and s.pending == 20)
        server = start_backend(backend_db, port)
        clock.advance(700)  # past the outbox's backoff for the deferred batch
        worker.wake()
        wait_for(lambda s: s.state == LinkState.CONNECTED and s.pending == 0)
    finally:
        worker.stop()
        server.stop()
    assert_exactly_once(backend_db, "T-THREAD-DOWN", keys)

def test_connection_cut_in_the_middle_of_a_request_or_its_answer(backend, proxy, store, workers):
    credential = enrol(backend.url, "T-CUT")
    worker, clock = workers(proxy.url, credential, "T-CUT", batch_size=20)
    keys = queue_events(store, 50)
    proxy.plan(p.Paths.EVENTS, "cut_request", "cut_response", "truncate")
    proxy.plan(p.Paths.CATALOG_CHANGES, "cut_response")
    reports = run_until_drained(worker, clock)
    assert [r.error != "" for r in reports] == [True, True, True, True, False]
    assert "RemoteProtocolError" in reports[0].error or "ReadError" in reports[0].error
    assert sum(r.duplicates for r in reports) == 20  # stored by the cut answers' requests
    assert_exactly_once(backend.db_path, "T-CUT", keys)
    assert worker.status.state == LinkState.CONNECTED


def test_500_answers_before_and_after_the_backend_did_the_work(backend, proxy, store, workers):
    credential = enrol(backend.url, "T-500")
    worker, clock = workers(proxy.url, credential, "T-500")
    keys = queue_events(store, 40)
    states = []
    worker.subscribe(lambda s: states.append(s.state))
    proxy.plan(p.Paths.EVENTS, "500_before", "500_after")
    proxy.plan(p.Paths.HEARTBEAT, "500_before")
    reports = run_until_drained(worker, clock)
    assert LinkState.ERROR in states and states[-1] == LinkState.CONNECTED
    assert any("500 internal" in r.error for r in reports)
    assert sum(r.duplicates for r in reports) == 40  # the "500 after" batch was stored
    assert_exactly_once(backend.db_path, "T-500", keys)


def test_a_backend_slower_than_the_timeout(backend, proxy, store, workers):
    credential = enrol(backend.url, "T-SLOW")
    worker, clock = workers(proxy.url, credential, "T-SLOW", timeout=0.5, deadline=1.0)
    keys = queue_events(store, 25)
    proxy.plan(p.Paths.EVENTS, "delay", "drip")
    t0 = time.monotonic()
    first = worker.run_once()
    assert time.monotonic() - t0 < 1.4  # gave up at the timeout, not when the answer came
    assert "timed out (ReadTimeout)" in first.error
    assert worker.status.state == LinkState.OFFLINE
    clock.advance(700)
    t0 = time.monotonic()
    second = worker.run_once()  # every byte in time, the whole answer not: the deadline
    assert 0.9 < time.monotonic() - t0 < 2.0
    assert "answer took over 1 s" in second.error
    run_until_drained(worker, clock)
    assert_exactly_once(backend.db_path, "T-SLOW", keys)


def test_headers_sent_a_byte_at_a_time_do_not_hold_a_call_past_its_deadline(
        backend, proxy, store, workers):
    """Each header byte arrives within the read timeout; the whole exchange must still end at
    its deadline, counted from the first byte sent (it took minutes before)."""
    credential = enrol(backend.url, "T-HEAD")
    worker, clock = workers(proxy.url, credential, "T-HEAD", timeout=0.5, deadline=1.0)
    keys = queue_events(store, 5)
    proxy.plan(p.Paths.EVENTS, "drip_head")
    t0 = time.monotonic()
    report = worker.run_once()
    # the deadline (1 s), not the drip (minutes); slack for a loaded machine
    assert 0.9 < time.monotonic() - t0 < 3.0
    assert "answer took over 1 s" in report.error
    run_until_drained(worker, clock)
    assert_exactly_once(backend.db_path, "T-HEAD", keys)


def test_malformed_and_truncated_json_answers(backend, proxy, store, workers):
    from test_sync_kiosk import backend_catalog, local_catalog

    credential = enrol(backend.url, "T-JSON")
    worker, clock = workers(proxy.url, credential, "T-JSON", batch_size=10, catalog_page_size=20)
    keys = queue_events(store, 30)
    proxy.plan(p.Paths.CATALOG_CHANGES, "pass", "bad_json", "garbage")
    proxy.plan(p.Paths.EVENTS, "garbage", "bad_json", "wrong_schema", "truncate")
    proxy.plan(p.Paths.HEARTBEAT, "wrong_schema", "bad_json")
    states = []
    worker.subscribe(lambda s: states.append(s.state))
    reports = run_until_drained(worker, clock, rounds=15)
    errors = [r.error for r in reports if r.error]
    assert sum("does not match the protocol" in e for e in errors) >= 6
    assert LinkState.ERROR in states and states[-1] == LinkState.CONNECTED
    assert SyncStateStore(store).position().cursor > 0
    assert local_catalog(store) == backend_catalog(backend.db_path)
    assert_exactly_once(backend.db_path, "T-JSON", keys)


def test_the_same_batch_delivered_twice(backend, proxy, store, workers):
    credential = enrol(backend.url, "T-TWICE")
    worker, clock = workers(proxy.url, credential, "T-TWICE")
    keys = queue_events(store, 60)
    proxy.plan(p.Paths.EVENTS, "replay")  # the backend gets it twice, the kiosk the second answer
    report = worker.run_once()
    assert (report.error, report.duplicates, report.accepted) == ("", 60, 0)
    assert worker.outbox.pending_count() == 0
    assert_exactly_once(backend.db_path, "T-TWICE", keys)
    # And the terminal sending one batch twice itself.
    more = [worker.outbox.add("rating", {"level": n}) for n in range(1, 4)]
    wire = [e.as_wire() for e in worker.outbox.next_batch()]
    first, second = worker.adapter.push_events(wire), worker.adapter.push_events(wire)
    assert {r.status for r in first.results} == {p.EventStatus.ACCEPTED}
    assert {r.status for r in second.results} == {p.EventStatus.DUPLICATE}
    assert_exactly_once(backend.db_path, "T-TWICE", keys + more)


@pytest.mark.allow_error_log
def test_a_batch_refused_as_a_whole_is_bisected_to_the_bad_event(backend, store, workers):
    credential = enrol(backend.url, "T-422")
    worker, clock = workers(backend.url, credential, "T-422")
    good = queue_events(store, 17)
    bad = str(uuid.uuid4())
    with store.session() as s:  # a terminal bug: a kind the protocol does not know
        s.execute(insert(OutboxEvent), [dict(
            idempotency_key=bad, kind="gossip", payload_json="{}", occurred_at=datetime(2025, 1, 1),
            state="pending", attempts=0, next_attempt_at=datetime(2025, 1, 1), last_error="")])
    good += queue_events(store, 23)
    report = worker.run_once()
    assert report.error == "" and (report.accepted, report.rejected) == (40, 1)
    assert worker.outbox.pending_count() == 0 and worker.outbox.rejected_count() == 1
    assert worker.status.rejected == 1 and worker.status.state == LinkState.CONNECTED
    assert_exactly_once(backend.db_path, "T-422", good)


@pytest.mark.allow_error_log
def test_events_with_nan_infinity_or_huge_integers_are_set_aside_the_rest_delivered(
        backend, store, workers):
    """The outbox keeps what Python's json writes (NaN, Infinity, integers of any size); the
    backend refuses the batch (422) and the worker bisects it down to each bad event."""
    credential = enrol(backend.url, "T-NUMBERS")
    worker, clock = workers(backend.url, credential, "T-NUMBERS")
    good = queue_events(store, 9)
    bad = [worker.outbox.add("telemetry", payload) for payload in (
        {"cpu": float("nan")}, {"temps": [20.5, float("inf")]}, {"x": {"y": -float("inf")}},
        {"uptime": 10**300}, {"n": -(2**53)})]
    good += queue_events(store, 6)
    good.append(worker.outbox.add("telemetry", {"n": 2**53 - 1, "t": 1.5e308}))
    report = worker.run_once()
    assert report.error == "" and (report.accepted, report.rejected) == (16, 5)
    assert worker.outbox.pending_count() == 0 and worker.outbox.rejected_count() == 5
    with store.session() as s:
        kept = dict(s.execute(select(OutboxEvent.idempotency_key, OutboxEvent.last_error)
                              .where(OutboxEvent.state == "rejected")).all())
    assert sorted(kept) == sorted(bad)
    assert all("422 invalid_request" in reason for reason in kept.values()), kept
    assert worker.status.rejected == 5 and worker.status.state == LinkState.CONNECTED
    assert_exactly_once(backend.db_path, "T-NUMBERS", good)


def test_a_wrong_or_revoked_credential_means_not_enrolled(backend, store, workers):
    import httpx

    keys = queue_events(store, 5)
    nobody, _ = workers(backend.url, None, "T-CRED")
    assert nobody.run_once().error == "not_enrolled"
    assert nobody.status.state == LinkState.NOT_ENROLLED
    worker, clock = workers(backend.url, "not-a-credential", "T-CRED")
    assert worker.run_once().error == "not_enrolled"
    assert worker.status.state == LinkState.NOT_ENROLLED and worker.status.pending == 5
    worker.enrol(DEMO_ENROL)  # the technician enrols the terminal again
    assert SyncStateStore(store).credential() == worker.adapter.credential
    run_until_drained(worker, clock)
    assert worker.status.state == LinkState.CONNECTED
    with httpx.Client(base_url=backend.url, timeout=10) as admin:
        r = admin.post("/v1/admin/terminals/T-CRED/revoke",
                       headers={"Authorization": f"Bearer {ADMIN}"})
        assert r.json()["revoked"] == 1
    more = queue_events(store, 3)
    assert worker.run_once().error == "not_enrolled"
    assert worker.status.state == LinkState.NOT_ENROLLED and worker.status.pending == 3
    assert_exactly_once(backend.db_path, "T-CRED", keys)


def test_lost_heartbeat_answers_do_not_repeat_a_command(backend, proxy, store, workers):
    import httpx

    credential = enrol(backend.url, "T-CMD")
    calls = []
    worker, clock = workers(proxy.url, credential, "T-CMD", on_maintenance=calls.append)
    with httpx.Client(base_url=backend.url, timeout=10,
                      headers={"Authorization": f"Bearer {ADMIN}"}) as admin:
        admin.post("/v1/admin/terminals/T-CMD/commands", json={"kind": "enter_maintenance"})
        # 1: the backend sends the command, the answer is lost; 2: it arrives; 3: the ack is
        # taken but its answer lost; 4: acked again, harmlessly.
        proxy.plan(p.Paths.HEARTBEAT, "cut_response", "pass", "cut_response", "pass")
        for _ in range(4):
            worker.heartbeat_soon()
            worker.run_once()
        assert calls == [True] and worker.status.maintenance is True
        pending = {t["id"]: t["pending_commands"] for t in admin.get("/v1/admin/terminals").json()}
        assert pending["T-CMD"] == 0
    assert SyncStateStore(store).unacked_commands() == []
    assert [f for path, f in proxy.seen if path == p.Paths.HEARTBEAT] == [
        "cut_response", "pass", "cut_response", "pass"]


# --- SIGKILL in the middle of a sync ----------------------------------------------------------


def child(store_path: str, url: str, terminal_id: str, page_size: str, batch_size: str) -> int:
    """The kiosk process of the SIGKILL test: one sync cycle, announcing each step on stdout."""
    store = open_store(store_path)

    class Announcing(HttpAdapter):
        def push_events(self, events):
            print(f"push {len(events)}", flush=True)
            return super().push_events(events)

    adapter = Announcing(url, SyncStateStore(store).credential(), timeout=10)
    worker = SyncWorker(store, adapter, Outbox(store), terminal_id=terminal_id,
                        catalog_page_size=int(page_size), batch_size=int(batch_size))
    worker.catalog.on_page = lambda page: print(f"page {page.next_cursor}", flush=True)
    report = worker.run_once()
    print(f"done {report.error or 'ok'} {worker.outbox.pending_count()}", flush=True)
    adapter.close()
    store.close()
    return 0 if not report.error else 1


def run_child(args: list[str], kill_at: tuple[str, int] | None, log: Path) -> list[str]:
    """Run the child; SIGKILL it as soon as it has printed `kill_at` = (word, n) lines starting
    with that word. Returns its stdout lines."""
    with open(log, "a") as err:
        proc = subprocess.Popen([sys.executable, __file__, "child", *args], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=err, text=True)
        watchdog = threading.Timer(60, proc.kill)
        watchdog.start()
        lines = []
        try:
            for line in proc.stdout:
                lines.append(line.strip())
                if kill_at is not None and sum(
                        x.split()[0] == kill_at[0] for x in lines) >= kill_at[1]:
                    os.kill(proc.pid, signal.SIGKILL)
                    break
            proc.wait(30)
        finally:
            watchdog.cancel()
            proc.stdout.close()
    if kill_at is not None:
        assert proc.returncode == -signal.SIGKILL, (lines, log.read_text())
    else:
        assert proc.returncode == 0, (lines, log.read_text())
    return lines


@pytest.mark.parametrize("events,items", [
    (3000, 2000), pytest.param(10_000, None, marks=pytest.mark.slow)])
def test_kiosk_killed_with_sigkill_in_the_middle_of_a_sync(tmp_path, store, events, items):
    from test_sync_kiosk import backend_catalog, local_catalog

    db_path = seed_backend(tmp_path / "backend", catalog_limit=items)
    server = start_backend(db_path)
    try:
        state = SyncStateStore(store)
        state.save_credential("T-KILL", enrol(server.url, "T-KILL"))
        keys = queue_events(store, events)
        newest = backend_rows(db_path, "SELECT value FROM sequences WHERE name='catalog'")[0][0]
        args = [str(store.path), server.url, "T-KILL", "100", "100"]
        log = tmp_path / "child.log"

        run_child(args, kill_at=("page", 4), log=log)  # killed while pulling the catalog
        pos = state.position()
        assert pos.full and 400 <= pos.cursor < newest
        assert Outbox(store).pending_count() == events

        lines = run_child(args, kill_at=("push", 8), log=log)  # killed while draining the outbox
        assert lines[0] == f"page {pos.cursor + 100}"  # resumed after the last committed page
        assert state.position().full is False
        pending = Outbox(store).pending_count()
        assert 0 < pending < events

        lines = run_child(args, kill_at=None, log=log)
        assert lines[-1] == "done ok 0"
        assert_exactly_once(db_path, "T-KILL", keys)
        assert local_catalog(store) == backend_catalog(db_path)
        assert state.position().cursor == newest
    finally:
        server.stop()


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "child":
    sys.exit(child(*sys.argv[2:]))


@pytest.mark.allow_error_log
def test_events_at_impossible_times_are_set_aside_and_the_rest_delivered(backend, store, workers):
    """A valid ISO time far in the past or future (a terminal's clock gone wrong) is refused by
    the backend as invalid (422, not a 500 that the kiosk would retry forever) and kept aside."""
    credential = enrol(backend.url, "T-TIMES")
    worker, clock = workers(backend.url, credential, "T-TIMES")
    good = queue_events(store, 5)
    bad = [str(uuid.uuid4()) for _ in range(2)]
    with store.session() as s:
        s.execute(insert(OutboxEvent), [dict(
            idempotency_key=key, kind="rating", payload_json='{"score": 3}', occurred_at=at,
            state="pending", attempts=0, next_attempt_at=datetime(2025, 1, 1), last_error="")
            for key, at in zip(bad, (datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59)))])
    good += queue_events(store, 5)
    report = worker.run_once()
    assert report.error == "" and (report.accepted, report.rejected) == (10, 2)
    with store.session() as s:
        kept = dict(s.execute(select(OutboxEvent.idempotency_key, OutboxEvent.last_error)
                              .where(OutboxEvent.state == "rejected")).all())
    assert sorted(kept) == sorted(bad)
    assert all("422 invalid_request" in reason for reason in kept.values()), kept
    assert_exactly_once(backend.db_path, "T-TIMES", good)
