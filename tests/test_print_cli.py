"""`kiosk print sample` and `kiosk print test-page`, as a technician runs them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import zxingcpp
from PIL import Image


def kiosk(tmp_path, *args):
    cfg = tmp_path / "t.toml"
    cfg.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n[printing.receipt]\nport = 0\n',
                   encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "kiosk", *args, "--config", str(cfg)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


@pytest.mark.parametrize("kind,needle", [("ss-certificate", "参保证明"), ("ss-statement", "缴费"),
                                         ("medical-statement", "医")])
def test_sample_documents(tmp_path, kind, needle):
    out = tmp_path / f"{kind}.pdf"
    r = kiosk(tmp_path, "print", "sample", kind, "--out", str(out))
    assert r.returncode == 0, r.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert needle in text
    assert "222X" in text and "32040219580315222X" not in text  # the ID number only masked


@pytest.mark.parametrize("kind,paper", [("guide-slip", 80), ("queue-ticket", 58)])
def test_sample_receipts_render_and_scan(tmp_path, artifacts, kind, paper):
    out = artifacts / f"sample-{kind}-{paper}.png"
    r = kiosk(tmp_path, "print", "sample", kind, "--out", str(out), "--paper", str(paper))
    assert r.returncode == 0, r.stderr
    assert out.with_suffix(".bin").read_bytes().startswith(b"\x1b@")
    with Image.open(out) as img:
        assert img.width == (576 if paper == 80 else 384)
        codes = [c.text for c in zxingcpp.read_barcodes(img)]
    assert codes and codes[0].startswith("https://zwfw.example.gov.cn/")


def test_test_page_on_the_virtual_printer(tmp_path):
    out = tmp_path / "test.png"
    r = kiosk(tmp_path, "print", "test-page", "--printer", "receipt", "--out", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "receipt: status ok" in r.stdout and "test page done" in r.stdout
    assert out.exists()


def test_test_page_on_a_printer_that_is_not_configured(tmp_path):
    r = kiosk(tmp_path, "print", "test-page", "--printer", "document")
    assert r.returncode == 1 and "no printer 'document' configured" in r.stderr


def test_kiosk_backend_seed_command(tmp_path):
    db = tmp_path / "backend.sqlite3"
    r = subprocess.run([sys.executable, "-m", "kiosk", "backend", "seed", "--db", f"sqlite:///{db}",
                        "--citizens", "20"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert db.exists()
