"""The link over HTTPS with a private CA (`[sync] ca_file`) and through an explicit proxy
(`[sync] proxy`): the real reference backend served by uvicorn over TLS on 127.0.0.1 with a
certificate from a throwaway CA (trustme), the kiosk's `HttpAdapter`, and a small CONNECT proxy
on loopback (tests/proxy_helpers.py). Only loopback addresses are used."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
import trustme

from backend.db import open_database
from backend.embedded import EmbeddedBackend
from backend.seed import DEMO_ENROLMENT_CODE, seed_database
from kiosk.store.db import open_store
from kiosk.sync.adapter import BackendUnavailable, HttpAdapter
from kiosk.sync.outbox import Outbox
from wiring import build_services
from kiosk.sync.worker import LinkState, SyncWorker
import protocol as p
from proxy_helpers import ConnectProxy


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    ca_file = folder / "private-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    server_pem = folder / "server.pem"  # key and chain in one file
    ca.issue_cert("localhost", "127.0.0.1").private_key_and_cert_chain_pem.write_to_path(
        str(server_pem))
    other_ca = folder / "another-ca.pem"  # a CA that did not sign the server's certificate
    trustme.CA().cert_pem.write_to_path(str(other_ca))
    url = f"sqlite:///{folder / 'backend.sqlite3'}"
    db = open_database(url)
    try:
        seed_database(db, citizens=1, catalog_limit=20)
    finally:
        db.close()
    server = EmbeddedBackend(url, ssl_certfile=str(server_pem))
    server.start()
    assert server.url.startswith("https://127.0.0.1:")
    yield SimpleNamespace(url=server.url, port=server.port, ca_file=ca_file, other_ca=other_ca)
    server.stop()


def event() -> dict:
    return {"idempotency_key": str(uuid.uuid4()), "kind": "telemetry",
            "occurred_at": datetime.now(timezone.utc).isoformat(), "payload": {"link": "tls"}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def exercise(adapter: HttpAdapter, terminal_id: str) -> None:
    """Enrol, push an event, send a heartbeat: the calls a terminal makes."""
    assert adapter.health().protocol == p.PROTOCOL_VERSION
    adapter.enrol(DEMO_ENROLMENT_CODE, terminal_id)
    [result] = adapter.push_events([event()]).results
    assert result.status is p.EventStatus.ACCEPTED
    adapter.heartbeat(p.Heartbeat(terminal_id=terminal_id, version="1", uptime_s=1, backlog=0))


def test_https_with_the_private_ca_file(tls):
    with HttpAdapter(tls.url, ca_file=tls.ca_file) as adapter:
        exercise(adapter, "T-TLS")


@pytest.mark.parametrize("which", ["system CAs", "another CA"])
def test_https_without_the_private_ca_is_backend_unavailable(tls, store_dir, which):
    ca_file = None if which == "system CAs" else tls.other_ca
    with HttpAdapter(tls.url, ca_file=ca_file) as adapter:
        with pytest.raises(BackendUnavailable) as info:
            adapter.health()
        assert info.value.kind == "network"
        assert "CERTIFICATE_VERIFY_FAILED" in info.value.reason
        assert info.value.__cause__ is None and info.value.__suppress_context__
        # The worker turns it into a status for the technician, not a crash.
        store = open_store(store_dir / "kiosk.sqlite3")
        try:
            adapter.credential = "anything"
            worker = SyncWorker(store, adapter, Outbox(store), terminal_id="T-TLS-X")
            report = worker.run_once()
        finally:
            store.close()
        assert "CERTIFICATE_VERIFY_FAILED" in report.error
        assert worker.status.state is LinkState.OFFLINE
        assert "certificate verify failed" in worker.status.last_error


@pytest.fixture
def store_dir(tmp_path):
    return tmp_path / "kiosk"


@pytest.mark.parametrize("problem", ["missing", "not a certificate", "a directory"])
def test_an_unusable_ca_file_is_backend_unavailable_on_every_call(tls, tmp_path, caplog, problem):
    ca_file = tmp_path / "ca.pem"
    if problem == "not a certificate":
        ca_file.write_text("-----BEGIN CERTIFICATE-----\nnonsense\n-----END CERTIFICATE-----\n")
    elif problem == "a directory":
        ca_file.mkdir()
    adapter = HttpAdapter(tls.url, ca_file=ca_file)  # no exception: the kiosk keeps going
    with adapter:
        for call in (adapter.health, lambda: adapter.enrol(DEMO_ENROLMENT_CODE, "T-NO-CA")):
            with pytest.raises(BackendUnavailable) as info:
                call()
            assert info.value.kind == "config"
            assert f"CA file {ca_file} unusable" in info.value.reason
    assert f"CA file {ca_file} unusable" in caplog.text


def test_https_through_an_explicit_connect_proxy(tls):
    with ConnectProxy() as proxy:
        with HttpAdapter(tls.url, ca_file=tls.ca_file, proxy=proxy.url) as adapter:
            exercise(adapter, "T-PROXIED")
        assert proxy.seen, "the request did not go through the proxy"
        assert set(proxy.seen) == {("CONNECT", f"127.0.0.1:{tls.port}")}


def test_a_proxy_that_is_down_refuses_or_cannot_be_used_is_backend_unavailable(tls):
    # Down: the adapter does not go around it to the backend directly.
    with HttpAdapter(tls.url, ca_file=tls.ca_file, proxy=f"http://127.0.0.1:{free_port()}",
                     connect_timeout=2) as adapter:
        with pytest.raises(BackendUnavailable) as down:
            adapter.health()
        assert down.value.kind == "network"
    with ConnectProxy(refuse=True) as proxy:
        with HttpAdapter(tls.url, ca_file=tls.ca_file, proxy=proxy.url) as adapter:
            with pytest.raises(BackendUnavailable) as refused:
                adapter.health()
        assert refused.value.kind == "network" and "403" in refused.value.reason
        assert proxy.seen == [("CONNECT", f"127.0.0.1:{tls.port}")]
    secret_url = "socks9://user:s3cret@127.0.0.1:1"
    with HttpAdapter(tls.url, ca_file=tls.ca_file, proxy=secret_url) as adapter:
        with pytest.raises(BackendUnavailable) as unusable:
            adapter.health()
    assert unusable.value.kind == "config" and "proxy" in unusable.value.reason
    assert "s3cret" not in unusable.value.reason


def test_the_sync_config_wires_ca_file_and_proxy(tls, make_config):
    with ConnectProxy() as proxy:
        config = make_config(sync={"adapter": "http", "base_url": tls.url,
                                   "ca_file": str(tls.ca_file), "proxy": proxy.url})
        # the terminal's services as the composition root builds them from the config
        services = build_services(config, printing=False)
        try:
            deadline = time.monotonic() + 10
            while services.sync.adapter is None and time.monotonic() < deadline:
                time.sleep(0.02)
            exercise(services.sync.adapter, "T-CONFIGURED")
        finally:
            services.close()
        assert set(proxy.seen) == {("CONNECT", f"127.0.0.1:{tls.port}")}


def kiosk_cli(tmp_path, tls, *args: str, **sync: str) -> subprocess.CompletedProcess:
    cfg = tmp_path / "terminal.toml"
    extra = "".join(f'{k} = "{v}"\n' for k, v in sync.items())
    cfg.write_text(f'[terminal]\nid = "T-CLI-TLS"\n[paths]\ndata_dir = "{tmp_path / "data"}"\n'
                   f'[sync]\nadapter = "http"\nbase_url = "{tls.url}"\n{extra}', encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "kiosk", *args, "--config", str(cfg)],
                          capture_output=True, text=True, timeout=60)


def test_cli_enrol_over_https_names_an_unusable_ca_file_without_a_traceback(tmp_path, tls):
    missing = tmp_path / "missing-ca.pem"
    bad = kiosk_cli(tmp_path, tls, "sync", "enrol", DEMO_ENROLMENT_CODE, ca_file=str(missing))
    # stopped before any exchange, as `kiosk config validate` would (exit 2: the config)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert f"{missing} cannot be used as a CA bundle" in bad.stderr
    with ConnectProxy() as proxy:
        ok = kiosk_cli(tmp_path, tls, "sync", "enrol", DEMO_ENROLMENT_CODE,
                       ca_file=str(tls.ca_file), proxy=proxy.url)
    assert ok.returncode == 0, ok.stderr
    assert proxy.seen == [("CONNECT", f"127.0.0.1:{tls.port}")]


def test_plain_http_through_the_proxy_goes_as_absolute_form_requests(tmp_path):
    """http:// backends through `[sync] proxy`: absolute-form requests to the proxy (not a
    CONNECT tunnel), the query string kept."""
    url = f"sqlite:///{tmp_path / 'backend.sqlite3'}"
    db = open_database(url)
    try:
        seed_database(db, citizens=1, catalog_limit=5)
    finally:
        db.close()
    server = EmbeddedBackend(url)
    server.start()
    try:
        with ConnectProxy() as proxy:
            with HttpAdapter(server.url, proxy=proxy.url) as adapter:
                adapter.enrol(DEMO_ENROLMENT_CODE, "T-PLAIN-PROXY")
                assert len(adapter.catalog_changes(0, limit=2).changes) == 2
        assert proxy.seen[0] == ("POST", f"{server.url}{p.Paths.ENROL}")
    finally:
        server.stop()
