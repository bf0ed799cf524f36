"""`kiosk sync enrol|status|export` against the real backend on loopback."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from contextlib import contextmanager

import httpx
import pytest

from backend.seed import DEMO_ENROLMENT_CODE

ADMIN = "cli-admin"


@pytest.fixture(scope="module")
def backend_url(tmp_path_factory):
    from backend.db import open_database
    from backend.embedded import EmbeddedBackend
    from backend.seed import seed_database

    folder = tmp_path_factory.mktemp("backend")
    url = f"sqlite:///{folder / 'b.sqlite3'}"
    db = open_database(url)
    try:
        seed_database(db, citizens=1, catalog_limit=20)
    finally:
        db.close()
    with EmbeddedBackend(url, admin_token=ADMIN) as server:
        yield server.url


@contextmanager
def outbox_of(data_dir):
    from kiosk.store.db import open_store
    from kiosk.sync.outbox import Outbox

    store = open_store(data_dir / "kiosk.sqlite3")
    try:
        yield Outbox(store)
    finally:
        store.close()


def kiosk(tmp_path, base_url, *args):
    cfg = tmp_path / "t.toml"
    cfg.write_text(f'[terminal]\nid = "T-CLI-1"\n[paths]\ndata_dir = "{tmp_path / "data"}"\n'
                   f'[sync]\nadapter = "http"\nbase_url = "{base_url}"\n', encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "kiosk", *args, "--config", str(cfg)],
                          capture_output=True, text=True, timeout=60)


def test_enrol_status_and_export(tmp_path, backend_url):
    r = kiosk(tmp_path, backend_url, "sync", "status", "--json")
    status = json.loads(r.stdout)
    assert status["enrolled"] is False and status["backend_reachable"] is True
    assert "credential_accepted" not in status and r.returncode == 0
    bad = kiosk(tmp_path, backend_url, "sync", "enrol", "WRONG-CODE")
    assert bad.returncode == 1 and "refused" in bad.stderr and "Traceback" not in bad.stderr
    ok = kiosk(tmp_path, backend_url, "sync", "enrol", DEMO_ENROLMENT_CODE)
    assert ok.returncode == 0, ok.stderr
    status = json.loads(kiosk(tmp_path, backend_url, "sync", "status", "--json").stdout)
    assert status["enrolled"] is True and status["terminal_id"] == "T-CLI-1"
    # The credential is in its own file, for the kiosk's user only, and nowhere else.
    data = tmp_path / "data"
    cred_file = data / "credential"
    first = cred_file.read_text(encoding="utf-8").strip()
    assert first and stat.S_IMODE(cred_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    with outbox_of(data) as outbox:
        outbox.add("rating", {"score": 5})
    out = tmp_path / "events.jsonl"
    r = kiosk(tmp_path, backend_url, "sync", "export", "--out", str(out))
    assert r.returncode == 0 and out.exists()
    exported = out.read_text(encoding="utf-8")
    assert '"rating"' in exported and first not in exported
    for f in data.iterdir():
        if f.name != "credential" and f.is_file():
            assert first.encode() not in f.read_bytes(), f
    for text in (ok.stdout, ok.stderr, r.stdout, r.stderr):
        assert first not in text
    # Enrolled again (a code issued for this terminal): a new credential replaces the file,
    # the old one stops working at the backend. The unbound demo code is refused now.
    taken = kiosk(tmp_path, backend_url, "sync", "enrol", DEMO_ENROLMENT_CODE)
    assert taken.returncode == 1 and "enrolled already" in taken.stderr
    assert cred_file.read_text(encoding="utf-8").strip() == first
    code = httpx.post(f"{backend_url}/v1/admin/enrolment-codes", json={"terminal_id": "T-CLI-1"},
                      headers={"Authorization": f"Bearer {ADMIN}"}).json()["code"]
    again = kiosk(tmp_path, backend_url, "sync", "enrol", code)
    assert again.returncode == 0, again.stderr
    second = cred_file.read_text(encoding="utf-8").strip()
    assert second != first and stat.S_IMODE(cred_file.stat().st_mode) == 0o600
    for credential, expected in ((first, 401), (second, 200)):
        r = httpx.get(f"{backend_url}/v1/catalog/changes", params={"limit": 1},
                      headers={"Authorization": f"Bearer {credential}"})
        assert r.status_code == expected
    r = kiosk(tmp_path, backend_url, "sync", "status", "--json")
    status = json.loads(r.stdout)
    assert r.returncode == 0 and status["credential_accepted"] is True
    assert status["catalog_changes_waiting"] is True  # never synced: the whole catalog waits
    assert abs(status["clock_offset_s"]) < 5 and status["round_trip_ms"] >= 0
    # The backend revokes the terminal: status says so (it said "enrolled" for ever before).
    httpx.post(f"{backend_url}/v1/admin/terminals/T-CLI-1/revoke",
               headers={"Authorization": f"Bearer {ADMIN}"}).raise_for_status()
    r = kiosk(tmp_path, backend_url, "sync", "status", "--json")
    status = json.loads(r.stdout)
    assert r.returncode == 1 and status["enrolled"] is True
    assert status["credential_accepted"] is False and "unauthorized" in status["backend_says"]
    local = kiosk(tmp_path, backend_url, "sync", "status", "--json", "--local")
    assert local.returncode == 0 and "credential_accepted" not in json.loads(local.stdout)


def test_enrol_with_the_backend_down(tmp_path):
    r = kiosk(tmp_path, "http://127.0.0.1:9", "sync", "enrol", "X")
    assert r.returncode == 1 and "unreachable" in r.stderr
    r = kiosk(tmp_path, "http://127.0.0.1:9", "sync", "status", "--json")
    status = json.loads(r.stdout)
    assert r.returncode == 1 and status["backend_reachable"] is False and status["backend_error"]


def test_validate_and_enrol_name_each_unusable_setting_in_one_line(tmp_path):
    """A missing CA file, a base URL that is not one and a data folder that cannot be written:
    one line each from `config validate`, and enrol stops before any traceback."""
    cfg = tmp_path / "t.toml"
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    body = (f'[terminal]\nid = "T-CLI-2"\n[paths]\ndata_dir = "{blocker / "data"}"\n'
            f'[sync]\nadapter = "http"\nbase_url = "BASE"\nca_file = "{tmp_path / "no-ca.pem"}"\n')

    def run(*args, base="https://backend.example/kiosk"):
        cfg.write_text(body.replace("BASE", base), encoding="utf-8")
        return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True,
                              text=True, timeout=60)

    r = run("config", "validate", str(cfg), base="backend.example/kiosk")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "sync.base_url" in r.stderr and "not an http:// or https:// address" in r.stderr
    r = run("config", "validate", str(cfg))
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 2, r.stderr
    assert "sync.ca_file" in lines[0] and "no-ca.pem" in lines[0]
    assert "paths.data_dir" in lines[1] and "cannot be written" in lines[1]
    r = run("sync", "enrol", "ABCDEF", "--config", str(cfg))
    assert r.returncode == 2 and "Traceback" not in r.stderr and "sync.ca_file" in r.stderr
    assert not (blocker.parent / "data").exists()
