"""Spooler + ESC/POS driver against the virtual printer on loopback: real bytes, real faults."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest
import zxingcpp

from kiosk.devices.status import Level, Reason
from kiosk.store.db import open_store
from printing.drivers import EscposDriver, network_driver
from printing.escpos_text import PROFILE_80MM
from printing.receipts import GuideSlip, Material, guide_slip
from printing.spooler import JobState, Spooler
from printing.virtual_printer import VirtualPrinter

URL = "https://zwfw.example.gov.cn/guide/RS-000001"


def slip_bytes() -> bytes:
    from datetime import datetime

    slip = GuideSlip(
        item_name="社会保险参保证明打印", department="人力资源和社会保障局",
        place="政务服务中心一楼", window="3 号窗口", time_limit="即办件", hours="全天",
        phone="0519-80000000", materials=[Material("居民身份证", 1, 0, "现场核验")],
        guide_url=URL, terminal_id="T-0001", printed_at=datetime(2026, 11, 23, 14, 5),
    )
    return guide_slip(slip, PROFILE_80MM)


@pytest.fixture
def printer():
    with VirtualPrinter() as vp:
        yield vp


@pytest.fixture
def spooler(tmp_path, printer):
    store = open_store(tmp_path / "k.sqlite3")
    sp = Spooler(store, {"receipt": network_driver("receipt", "127.0.0.1", printer.port, timeout=2)})
    sp.start()
    yield sp
    sp.stop()
    store.close()


def test_receipt_prints_and_its_qr_scans(spooler, printer, artifacts):
    view = spooler.wait(spooler.submit("receipt", "guide_slip", "指南", slip_bytes(), personal=False))
    assert view.state == JobState.DONE
    (job,) = printer.wait_for_jobs(1)
    img = printer.render(job)
    img.save(artifacts / "spooled-guide-slip.png")
    assert [r.text for r in zxingcpp.read_barcodes(img)] == [URL]


@pytest.mark.parametrize("state,reason", [("paper_out", Reason.PAPER_OUT), ("cover_open", Reason.COVER_OPEN)])
def test_fault_before_the_job(spooler, printer, state, reason):
    printer.state = state
    view = spooler.wait(spooler.submit("receipt", "guide_slip", "g", slip_bytes(), personal=False))
    assert (view.state, view.reason) == (JobState.FAILED, reason)
    assert printer.jobs == []  # nothing was sent to a printer that could not print it


def test_paper_near_end_prints_with_a_warning(spooler, printer):
    printer.state = "paper_near_end"
    view = spooler.wait(spooler.submit("receipt", "guide_slip", "g", slip_bytes(), personal=False))
    assert (view.state, view.reason) == (JobState.DONE, Reason.PAPER_NEAR_END)
    assert spooler.last_status("receipt").level == Level.WARNING


def test_paper_out_in_the_middle(tmp_path, printer):
    from escpos.printer import Network

    ran_out = []

    def connect():
        class RunsOutOfPaper(Network):
            def _raw(self, msg):
                super()._raw(msg)
                if len(msg) > 100 and not ran_out:  # during the first job, not a status request
                    ran_out.append(True)
                    printer.state = "paper_out"
        return RunsOutOfPaper("127.0.0.1", printer.port, timeout=2)

    store = open_store(tmp_path / "k.sqlite3")
    sp = Spooler(store, {"receipt": EscposDriver("receipt", connect)})
    sp.start()
    view = sp.wait(sp.submit("receipt", "guide_slip", "g", slip_bytes(), personal=False))
    assert (view.state, view.reason) == (JobState.FAILED, Reason.PAPER_OUT)
    printer.state = "ok"  # staff refill the paper and reprint
    assert sp.wait(sp.reprint(view.id)).state == JobState.DONE
    sp.stop()
    store.close()


def test_connection_dropped_mid_job(spooler, printer):
    printer.drop_after = 200
    view = spooler.wait(spooler.submit("receipt", "guide_slip", "g", slip_bytes(), personal=False))
    assert view.state == JobState.FAILED
    assert view.reason in (Reason.CONNECTION_LOST, Reason.OFFLINE)
    printer.drop_after = None
    again = spooler.wait(spooler.reprint(view.id))
    assert again.state == JobState.DONE and again.reprint_of == view.id


def test_printer_switched_off(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = open_store(tmp_path / "k.sqlite3")
    sp = Spooler(store, {"receipt": network_driver("receipt", "127.0.0.1", port, timeout=1)})
    sp.start()
    view = sp.wait(sp.submit("receipt", "guide_slip", "g", b"x", personal=False))
    assert (view.state, view.reason) == (JobState.FAILED, Reason.OFFLINE)
    sp.stop()
    store.close()


class StallingPrinter:
    """Answers status requests, then takes a job's first bytes and stops reading: the job
    hangs half-sent, as with a printer that froze mid-receipt."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.job_started = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn):
        try:
            while True:
                data = conn.recv(16)
                if not data:
                    return
                if data.startswith(b"\x10\x04"):
                    conn.sendall(bytes([0x12]) * (len(data) // 3))
                else:
                    self.job_started.set()
                    return  # stop reading: the sender blocks once the buffers are full
        except OSError:
            return

    def close(self):
        self.sock.close()
        for c in self.conns:
            c.close()


def test_kiosk_killed_mid_job_is_never_reprinted_automatically(tmp_path):
    stall = StallingPrinter()
    db = tmp_path / "k.sqlite3"
    child = textwrap.dedent(f"""
        import time
        from kiosk.store.db import open_store
        from printing.drivers import network_driver
        from printing.spooler import Spooler
        store = open_store({str(db)!r})
        sp = Spooler(store, {{"receipt": network_driver("receipt", "127.0.0.1", {stall.port}, timeout=30)}})
        sp.start()
        sp.submit("receipt", "certificate", "参保证明", b"x" * 20_000_000, personal=False)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", child])
    try:
        assert stall.job_started.wait(20), "the job never started"
        store = open_store(db)
        for _ in range(100):
            if Spooler(store, {}).jobs()[0].state == JobState.PRINTING:
                break
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        sp = Spooler(store, {"receipt": network_driver("receipt", "127.0.0.1", stall.port)})
        changed = sp.recover()
        assert [v.state for v in changed] == [JobState.NEEDS_ATTENTION]
        sp.start()
        time.sleep(0.3)
        assert [v.state for v in sp.jobs()] == [JobState.NEEDS_ATTENTION]
        sp.stop()
        store.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        stall.close()
