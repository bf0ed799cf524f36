"""`kiosk sync enrol|status|export` against the real backend on loopback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from backend.seed import DEMO_ENROLMENT_CODE


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
    with EmbeddedBackend(url) as server:
        yield server.url


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
    out = tmp_path / "events.jsonl"
    r = kiosk(tmp_path, backend_url, "sync", "export", "--out", str(out))
    assert r.returncode == 0 and out.exists()


def test_enrol_with_the_backend_down(tmp_path):
    r = kiosk(tmp_path, "http://127.0.0.1:9", "sync", "enrol", "X")
    assert r.returncode == 1 and "unreachable" in r.stderr
