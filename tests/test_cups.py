"""A4 jobs through a real CUPS spooler into a PDF queue (cups-pdf), via the kiosk's spooler."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kiosk.devices.status import Level
from kiosk.store.db import open_store
from printing.cups import CupsDriver
from printing.spooler import JobState, Spooler

QUEUE = "KIOSK_TEST_PDF"
PPD = "/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"


def _scheduler_running() -> bool:
    r = subprocess.run(["lpstat", "-r"], capture_output=True, text=True)
    return "is running" in r.stdout and "not" not in r.stdout


@pytest.fixture(scope="module")
def cups_queue():
    if shutil.which("cupsd") is None and not Path("/usr/sbin/cupsd").exists():
        pytest.fail("CUPS is not installed: run `make test` (scripts/install-system-deps.sh)")
    if not _scheduler_running():
        if os.geteuid() != 0:
            pytest.skip("cupsd is not running and only root can start it here")
        subprocess.run(["/usr/sbin/cupsd"], check=True)
        for _ in range(50):
            if _scheduler_running():
                break
            time.sleep(0.1)
    subprocess.run(["lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-P", PPD],
                   check=True, capture_output=True)
    yield QUEUE
    subprocess.run(["lpadmin", "-x", QUEUE], capture_output=True)


def _pdf(text: str) -> bytes:
    from io import BytesIO

    from reportlab.pdfgen import canvas

    buf = BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(100, 700, text)
    c.save()
    return buf.getvalue()


def test_a4_job_through_cups_appears_as_pdf(cups_queue, tmp_path):
    out_dir = Path.home() / "PDF"
    store = open_store(tmp_path / "k.sqlite3")
    driver = CupsDriver("a4", cups_queue, complete_timeout=30)
    assert driver.status().level == Level.OK
    sp = Spooler(store, {"a4": driver})
    sp.start()
    marker = f"kiosk-cups-{time.time_ns()}"
    before = set(out_dir.glob("*.pdf")) if out_dir.exists() else set()
    job = sp.submit("a4", "test_page", marker, _pdf(marker), personal=False)
    assert sp.wait(job, timeout=40).state == JobState.DONE
    new = []
    for _ in range(50):
        new = [p for p in out_dir.glob("*.pdf") if p not in before]
        if new:
            break
        time.sleep(0.1)
    assert new, "cups-pdf wrote no file"
    text = subprocess.run(["pdftotext", str(new[0]), "-"], capture_output=True, text=True).stdout
    assert marker in text
    for p in new:
        p.unlink()
    sp.stop()
    store.close()


def test_missing_and_disabled_queue(cups_queue, tmp_path):
    assert CupsDriver("a4", "NO_SUCH_QUEUE").status().level == Level.OFFLINE
    subprocess.run(["cupsdisable", cups_queue], check=True)
    try:
        store = open_store(tmp_path / "k.sqlite3")
        sp = Spooler(store, {"a4": CupsDriver("a4", cups_queue)})
        sp.start()
        view = sp.wait(sp.submit("a4", "test_page", "t", _pdf("x"), personal=False))
        assert view.state == JobState.FAILED and view.reason == "offline"
        sp.stop()
        store.close()
    finally:
        subprocess.run(["cupsenable", cups_queue], check=True)


def test_receipt_through_a_raw_cups_queue_reaches_the_printer(cups_queue, tmp_path):
    """driver = "cups-raw": ESC/POS bytes through CUPS to a socket printer (the virtual one)."""
    import zxingcpp

    from printing.samples import sample_receipt
    from printing.virtual_printer import VirtualPrinter

    with VirtualPrinter() as vp:
        raw_queue = "KIOSK_TEST_RAW"
        subprocess.run(["lpadmin", "-p", raw_queue, "-E", "-v", f"socket://127.0.0.1:{vp.port}",
                        "-m", "raw"], check=True, capture_output=True)
        try:
            store = open_store(tmp_path / "k.sqlite3")
            sp = Spooler(store, {"receipt": CupsDriver("receipt", raw_queue, complete_timeout=30)})
            sp.start()
            data = sample_receipt("queue-ticket")
            view = sp.wait(sp.submit("receipt", "queue_ticket", "A023", data, personal=False), 40)
            assert view.state == JobState.DONE
            (job,) = vp.wait_for_jobs(1, timeout=10)
            assert job.data == data  # byte for byte: CUPS passed it through untouched
            codes = [c.text for c in zxingcpp.read_barcodes(vp.render(job))]
            assert codes == ["https://zwfw.example.gov.cn/queue/A023"]
            sp.stop()
            store.close()
        finally:
            subprocess.run(["lpadmin", "-x", raw_queue], capture_output=True)
