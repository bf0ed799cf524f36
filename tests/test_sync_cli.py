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
    assert json.loads(r.stdout)["enrolled"] is False
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


def test_enrol_with_the_backend_down(tmp_path):
    r = kiosk(tmp_path, "http://127.0.0.1:9", "sync", "enrol", "X")
    assert r.returncode == 1 and "unreachable" in r.stderr
