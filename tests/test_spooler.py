"""The print spooler's journal and worker: no job lost, none printed twice without a person."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest

from kiosk.devices.status import DeviceStatus, Level, Reason
from kiosk.store.db import open_store
from printing.spooler import JobState, PrinterError, Spooler


class ScriptedDriver:
    """A printer driver that follows a script; the virtual-printer tests cover real bytes."""

    def __init__(self, name="receipt"):
        self.name = name
        self.printed: list[bytes] = []
        self.before = DeviceStatus(Level.OK)
        self.after = DeviceStatus(Level.OK)
        self.fail_with: Reason | None = None
        self.gate: threading.Event | None = None
        self._calls = 0

    def status(self):
        self._calls += 1
        return self.before if self._calls % 2 else self.after

    def print_job(self, data):
        if self.gate is not None:
            self.gate.wait(5)
        if self.fail_with:
            raise PrinterError(self.fail_with, "scripted")
        self.printed.append(data)


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "k.sqlite3")
    yield s
    s.close()


def make(store, driver, **kw):
    # The scripted driver alternates before/after answers: no idle status polls here.
    sp = Spooler(store, {driver.name: driver}, poll_s=None, **kw)
    sp.start()
    return sp


def test_job_prints_once_and_is_done(store):
    d = ScriptedDriver()
    sp = make(store, d)
    job = sp.submit("receipt", "queue_ticket", "A012", b"bytes", personal=False)
    assert sp.wait(job).state == JobState.DONE
    assert d.printed == [b"bytes"]
    sp.stop()


@pytest.mark.parametrize("reason", [Reason.PAPER_OUT, Reason.COVER_OPEN, Reason.OFFLINE])
def test_unusable_printer_fails_before_printing(store, reason):
    d = ScriptedDriver()
    d.before = DeviceStatus(Level.ERROR, reason)
    sp = make(store, d)
    view = sp.wait(sp.submit("receipt", "guide_slip", "g", b"x", personal=False))
    assert (view.state, view.reason) == (JobState.FAILED, reason)
    assert d.printed == []
    sp.stop()


def test_paper_out_during_the_job(store):
    d = ScriptedDriver()
    d.after = DeviceStatus(Level.ERROR, Reason.PAPER_OUT)
    sp = make(store, d)
    view = sp.wait(sp.submit("receipt", "guide_slip", "g", b"x", personal=False))
    assert (view.state, view.reason) == (JobState.FAILED, Reason.PAPER_OUT)
    sp.stop()


def test_paper_near_end_still_prints(store):
    d = ScriptedDriver()
    d.before = d.after = DeviceStatus(Level.WARNING, Reason.PAPER_NEAR_END)
    sp = make(store, d)
    view = sp.wait(sp.submit("receipt", "guide_slip", "g", b"x", personal=False))
    assert (view.state, view.reason) == (JobState.DONE, Reason.PAPER_NEAR_END)
    sp.stop()


def test_connection_lost_then_staff_reprint(store):
    d = ScriptedDriver()
    d.fail_with = Reason.CONNECTION_LOST
    sp = make(store, d)
    job = sp.submit("receipt", "certificate", "参保证明", b"personal", personal=True)
    assert sp.wait(job).reason == Reason.CONNECTION_LOST
    d.fail_with = None
    again = sp.reprint(job)
    view = sp.wait(again)
    assert view.state == JobState.DONE and view.reprint_of == job
    assert d.printed == [b"personal"]
    sp.stop()


def test_personal_bytes_never_reach_the_disk(store, tmp_path):
    d = ScriptedDriver()
    sp = make(store, d)
    job = sp.submit("receipt", "certificate", "参保证明", "张三 320102198001011234".encode(), personal=True)
    sp.wait(job)
    sp.stop()
    store.close()
    for f in tmp_path.iterdir():
        assert b"320102198001011234" not in f.read_bytes()


def test_crash_mid_job_needs_attention_and_is_not_reprinted(tmp_path):
    store = open_store(tmp_path / "k.sqlite3")
    d = ScriptedDriver()
    d.gate = threading.Event()  # the printer hangs in the middle of the job
    sp = make(store, d)
    job = sp.submit("receipt", "queue_ticket", "A013", b"t", personal=False)
    queued = sp.submit("receipt", "queue_ticket", "A014", b"u", personal=False)
    for _ in range(100):
        if sp.job(job).state == JobState.PRINTING:
            break
        threading.Event().wait(0.02)
    assert sp.job(job).state == JobState.PRINTING
    # "Crash": a new spooler on the same store, as after a restart.
    d2 = ScriptedDriver()
    sp2 = Spooler(store, {"receipt": d2}, poll_s=None)
    changed = sp2.recover()
    assert [(v.id, v.state) for v in changed] == [(job, JobState.NEEDS_ATTENTION)]
    sp2.start()
    assert sp2.wait(queued).state == JobState.DONE
    assert d2.printed == [b"u"]  # the interrupted job was not printed again
    assert sp2.job(job).state == JobState.NEEDS_ATTENTION
    d.gate.set()
    sp.stop()
    sp2.stop()
    store.close()


def test_old_and_orphaned_jobs_expire(store):
    now = [datetime(2026, 11, 23, 12, 0)]
    sp = Spooler(store, {"receipt": ScriptedDriver()}, max_age_s=60, clock=lambda: now[0])
    old = sp.submit("receipt", "guide_slip", "g", b"x", personal=False)
    personal = sp.submit("receipt", "certificate", "c", b"y", personal=True)
    now[0] += timedelta(minutes=5)
    sp2 = Spooler(store, {"receipt": ScriptedDriver()}, max_age_s=60, clock=lambda: now[0])
    states = {v.id: (v.state, v.reason) for v in sp2.recover()}
    assert states[old] == (JobState.EXPIRED, "too_old")
    assert states[personal] == (JobState.EXPIRED, "lost_with_session")


def test_unknown_printer(store):
    sp = Spooler(store, {"receipt": ScriptedDriver()})
    with pytest.raises(KeyError):
        sp.submit("a4", "x", "x", b"", personal=False)


def _wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_discard_while_the_worker_is_blocked_on_another_job(store):
    """The citizen left while their certificate waited behind someone else's job: it is dropped
    (bytes too) and never printed; the job already printing goes on to the end."""
    d = ScriptedDriver()
    d.gate = threading.Event()  # the printer is busy with the first job
    sp = make(store, d)
    seen = []
    sp.subscribe(lambda v: seen.append((v.id, v.state, v.reason)))
    first = sp.submit("receipt", "guide_slip", "g", b"first", personal=False)
    _wait_for(lambda: sp.job(first).state == JobState.PRINTING)
    waiting = sp.submit("receipt", "certificate", "参保证明", b"personal", personal=True)
    assert sp.discard(waiting) is True
    view = sp.job(waiting)
    assert (view.state, view.reason) == (JobState.EXPIRED, "discarded")
    assert waiting not in sp._memory  # the bytes are gone from memory...
    with pytest.raises(PrinterError):  # ...so not even staff can print it again
        sp.reprint(waiting)
    assert (waiting, JobState.EXPIRED, "discarded") in seen
    assert sp.discard(first) is False  # printing: its paper is already coming out
    assert sp.discard(waiting) is False  # already final
    d.gate.set()
    assert sp.wait(first).state == JobState.DONE
    after = sp.submit("receipt", "guide_slip", "g", b"after", personal=False)
    assert sp.wait(after).state == JobState.DONE  # the worker went past the discarded job
    assert d.printed == [b"first", b"after"]
    assert sp.job(waiting).state == JobState.EXPIRED
    assert sp.discard("no-such-job") is False
    sp.stop()


def test_discard_racing_the_worker_never_prints_a_discarded_job(store):
    """Submit and discard at once, many times, while the worker is free: each job either
    printed (discard came too late and said so) or was discarded and never printed."""
    d = ScriptedDriver()
    sp = make(store, d)
    outcomes = {}
    for n in range(150):
        job = sp.submit("receipt", "certificate", "c", f"job-{n}".encode(), personal=True)
        if n % 3:
            time.sleep(0.0005 * (n % 5))  # vary where the discard lands
        outcomes[job] = (n, sp.discard(job))
    for job in outcomes:
        sp.wait(job)
    printed = set(d.printed)
    for job, (n, discarded) in outcomes.items():
        view = sp.job(job)
        if discarded:
            assert (view.state, view.reason) == (JobState.EXPIRED, "discarded"), n
            assert f"job-{n}".encode() not in printed, n
        else:
            assert view.state == JobState.DONE, n
            assert f"job-{n}".encode() in printed, n
    assert len(d.printed) == len(printed)  # nothing twice
    assert sum(1 for _, x in outcomes.values() if x) > 0
    sp.stop()


def test_forgotten_job_between_check_and_claim_is_not_printed(store):
    """The session ends (forget_personal) while a personal job waits: it expires unprinted."""
    d = ScriptedDriver()
    d.gate = threading.Event()
    sp = make(store, d)
    first = sp.submit("receipt", "guide_slip", "g", b"first", personal=False)
    _wait_for(lambda: sp.job(first).state == JobState.PRINTING)
    personal = sp.submit("receipt", "certificate", "c", b"personal", personal=True)
    sp.forget_personal()
    d.gate.set()
    view = sp.wait(personal)
    assert (view.state, view.reason) == (JobState.EXPIRED, "lost_with_session")
    assert d.printed == [b"first"]
    sp.stop()
