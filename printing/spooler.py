"""The print spooler: every job goes through a journal in the local store and a worker thread per
printer, so the UI never blocks and a crash or a paper-out never loses or silently doubles a job.

Job states: queued -> printing -> done | failed (with a reason) ; queued -> expired (too old,
or discarded: nobody waits for it any more).
A job found ``printing`` at start-up (the kiosk died mid-job) becomes ``needs_attention``: it is
never printed again automatically, since a certificate printed twice is worse than one reprinted
by staff. `reprint()` is that staff action; it makes a new job linked to the old one.

Status is checked before a job (an unusable printer fails the job at once with its reason) and
after it (paper running out during the job is reported on that job). Drivers raise
`PrinterError(reason)` for connection loss and device errors.

A job leaves ``queued`` exactly once: the worker's claim (queued -> printing) and `discard()`
(queued -> expired) are compare-and-set under one lock, so a job discarded while the worker
was busy elsewhere is skipped, and a job the worker already claimed prints to the end.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from kiosk.devices.status import DeviceStatus, Level, Reason
from kiosk.store.db import Store

if TYPE_CHECKING:
    from kiosk.store.models import PrintJob

# SQLAlchemy and the journal's model load with the first job (or a job left by the last run):
# a kiosk starting with an empty journal checks it with one plain sqlite3 query.

log = logging.getLogger("kiosk.printing")


class JobState(StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"
    DONE = "done"
    FAILED = "failed"
    NEEDS_ATTENTION = "needs_attention"
    EXPIRED = "expired"


_PROBE = "probe"  # not a job id (a uuid): ask the printer for its status (Spooler.probe)

FINAL = frozenset({JobState.DONE, JobState.FAILED, JobState.NEEDS_ATTENTION, JobState.EXPIRED})


class PrinterError(Exception):
    def __init__(self, reason: Reason, detail: str = ""):
        self.reason = Reason(reason)
        self.detail = detail
        super().__init__(f"{self.reason}: {detail}" if detail else str(self.reason))


class PrinterDriver(Protocol):
    name: str

    def status(self) -> DeviceStatus: ...

    def print_job(self, data: bytes) -> None: ...


@dataclass(frozen=True)
class JobView:
    id: str
    printer: str
    kind: str
    title: str
    state: JobState
    reason: str
    personal: bool
    reprint_of: str | None


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _view(row: PrintJob) -> JobView:
    return JobView(row.id, row.printer, row.kind, row.title, JobState(row.state), row.reason,
                   row.personal, row.reprint_of)


class Spooler:
    def __init__(self, store: Store, drivers: dict[str, PrinterDriver], *,
                 max_age_s: float = 600, clock: Callable[[], datetime] = utcnow,
                 poll_s: float | None = 30.0):
        self.store = store
        self.drivers = drivers
        self.max_age = timedelta(seconds=max_age_s)
        self.clock = clock
        self._queues: dict[str, queue.Queue[str | None]] = {n: queue.Queue() for n in drivers}
        self._threads: list[threading.Thread] = []
        self._memory: dict[str, bytes] = {}  # personal jobs' bytes: never on disk
        self._lock = threading.Lock()
        self._done = threading.Condition(self._lock)
        self._listeners: list[Callable[[JobView], None]] = []
        self._last_status: dict[str, DeviceStatus] = {}
        self._status_listeners: list[Callable[[str, DeviceStatus], None]] = []
        self._claim = threading.Lock()  # serialises every move out of ``queued``
        self.poll_s = poll_s  # ask an idle printer for its status this often (None: never)

    # -- lifecycle ---------------------------------------------------------------------------
    def recover(self) -> list[JobView]:
        """At start: jobs cut short by a crash need a person; fresh queued jobs print again if
        their bytes were kept; everything else queued is expired."""
        changed = []
        with self.store.read() as c:
            if not c.execute("SELECT 1 FROM print_jobs WHERE state IN (?, ?) LIMIT 1",
                             (JobState.QUEUED.value, JobState.PRINTING.value)).fetchone():
                return changed
        from sqlalchemy import select

        from kiosk.store.models import PrintJob

        now = self.clock()
        with self.store.session() as s:
            for row in s.execute(select(PrintJob).where(
                    PrintJob.state.in_([JobState.QUEUED, JobState.PRINTING]))).scalars():
                if row.state == JobState.PRINTING:
                    row.state, row.reason = JobState.NEEDS_ATTENTION, "interrupted"
                elif row.payload is None or now - row.created_at > self.max_age:
                    row.state = JobState.EXPIRED
                    row.reason = "too_old" if row.payload is not None else "lost_with_session"
                else:
                    self._queues.get(row.printer, queue.Queue()).put(row.id)
                    continue
                row.updated_at = now
                changed.append(_view(row))
        for v in changed:
            log.warning("print job %s (%s) after restart: %s", v.id, v.title, v.state)
        return changed

    def start(self) -> None:
        for name, q in self._queues.items():
            t = threading.Thread(target=self._worker, args=(name, q), name=f"printer-{name}",
                                 daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self, timeout: float = 5.0) -> None:
        for q in self._queues.values():
            q.put(None)
        for t in self._threads:
            t.join(timeout)
        self._threads.clear()

    def subscribe(self, fn: Callable[[JobView], None]) -> None:
        """`fn` is called from the printer's worker thread on every state change."""
        self._listeners.append(fn)

    # -- jobs --------------------------------------------------------------------------------
    def subscribe_status(self, fn: Callable[[str, DeviceStatus], None]) -> None:
        """`fn(printer, status)` on the printer's worker thread whenever its status changes (the
        first status it learns counts as a change): pushed, never polled by the screens."""
        self._status_listeners.append(fn)

    def submit(self, printer: str, kind: str, title: str, data: bytes, *,
               personal: bool, reprint_of: str | None = None) -> str:
        from kiosk.store.models import PrintJob

        if printer not in self.drivers:
            raise KeyError(f"no printer named {printer!r}")
        job_id = str(uuid.uuid4())
        now = self.clock()
        with self.store.session() as s:
            s.add(PrintJob(id=job_id, printer=printer, kind=kind, title=title,
                           state=JobState.QUEUED, reason="", personal=personal,
                           payload=None if personal else data, created_at=now, updated_at=now,
                           reprint_of=reprint_of))
        if personal:
            with self._lock:
                self._memory[job_id] = data
        self._queues[printer].put(job_id)
        return job_id

    def reprint(self, job_id: str,
                transform: Callable[[bytes, datetime], bytes] | None = None) -> str:
        """Staff action: print a failed or interrupted job again, as a new job linked to it
        (`reprint_of`). A personal job's bytes live in memory only until the citizen's session
        ends (`forget_personal`); after that it cannot be reprinted, only issued again.
        `transform(bytes, created_at)`: the reprint's bytes (the 补打 mark, printing.reprint)."""
        from kiosk.store.models import PrintJob

        with self.store.session() as s:
            row = s.get(PrintJob, job_id)
            if row is None:
                raise KeyError(job_id)
            payload = row.payload or self._memory.get(job_id)
            printer, kind, title, personal = row.printer, row.kind, row.title, row.personal
            created = row.created_at
        if payload is None:
            raise PrinterError(Reason.DEVICE_ERROR, "the job's content is gone; issue it again")
        if transform is not None:
            payload = transform(payload, created)
        return self.submit(printer, kind, title, payload, personal=personal, reprint_of=job_id)

    # -- hall staff: the journal for reprints, a probe after a fault is cleared ----------------
    def journal(self, since: datetime) -> list[tuple[JobView, datetime, bool]]:
        """(job, created at (UTC, naive), its content is still here) of the jobs created since
        `since`, newest first."""
        from sqlalchemy import select

        from kiosk.store.models import PrintJob

        with self.store.session() as s:
            rows = s.execute(select(PrintJob).where(PrintJob.created_at >= since)
                             .order_by(PrintJob.created_at.desc())).scalars().all()
            out = [(_view(r), r.created_at, r.payload is not None) for r in rows]
        with self._lock:
            return [(v, t, kept or v.id in self._memory) for v, t, kept in out]

    def probe(self, printer: str) -> None:
        """Ask the printer for its status again, on its worker's thread (a refilled printer is
        usable at once); the answer goes to `subscribe_status` listeners if it changed."""
        if printer not in self._queues:
            raise KeyError(f"no printer named {printer!r}")
        self._queues[printer].put(_PROBE)

    def job(self, job_id: str) -> JobView:
        from kiosk.store.models import PrintJob

        with self.store.session() as s:
            return _view(s.get(PrintJob, job_id))

    def jobs(self, states: frozenset[JobState] | None = None) -> list[JobView]:
        from sqlalchemy import select

        from kiosk.store.models import PrintJob

        stmt = select(PrintJob).order_by(PrintJob.created_at)
        if states:
            stmt = stmt.where(PrintJob.state.in_(list(states)))
        with self.store.session() as s:
            return [_view(r) for r in s.execute(stmt).scalars()]

    def wait(self, job_id: str, timeout: float = 10.0) -> JobView:
        """Block until the job reaches a final state (for tests and synchronous callers)."""
        deadline = time.monotonic() + timeout
        with self._done:
            while True:
                view = self.job(job_id)
                if view.state in FINAL or time.monotonic() >= deadline:
                    return view
                self._done.wait(0.05)

    def forget_personal(self) -> None:
        """End of a citizen session: drop the bytes of every personal job from memory."""
        with self._lock:
            self._memory.clear()

    def discard(self, job_id: str) -> bool:
        """Nobody waits for this job any more (the citizen left while it was handed over): if
        it has not started, it becomes ``expired`` with reason ``discarded``, its bytes are
        dropped and the worker skips it. A job printing or finished is left alone (its paper
        is already coming out). Returns whether the job was discarded."""
        view = self._set(job_id, JobState.EXPIRED, "discarded", expect=JobState.QUEUED,
                         drop_payload=True)
        if view is None:
            return False
        log.info("print job %s discarded before printing", job_id)
        return True

    def last_status(self, printer: str) -> DeviceStatus | None:
        return self._last_status.get(printer)

    # -- worker --------------------------------------------------------------------------------
    def _set(self, job_id: str, state: JobState, reason: str = "", *,
             expect: JobState | None = None, drop_payload: bool = False) -> JobView | None:
        """Move a job to `state` and tell the listeners. With `expect`, only if the job is in
        that state now (compare-and-set); returns None when it was not (or is unknown)."""
        from kiosk.store.models import PrintJob

        with self._claim, self.store.session() as s:
            row = s.get(PrintJob, job_id)
            if row is None or (expect is not None and row.state != expect):
                return None
            row.state, row.reason, row.updated_at = state, reason, self.clock()
            if drop_payload:
                row.payload = None
            view = _view(row)
        if drop_payload or (view.personal and state == JobState.DONE):
            with self._lock:
                self._memory.pop(job_id, None)
        with self._done:
            self._done.notify_all()
        for fn in list(self._listeners):
            try:
                fn(view)
            except Exception:  # a broken listener must not stop the printer
                log.exception("print job listener failed")
        return view

    def _payload(self, job_id: str) -> bytes | None:
        from kiosk.store.models import PrintJob

        with self._lock:
            if job_id in self._memory:
                return self._memory[job_id]
        with self.store.session() as s:
            row = s.get(PrintJob, job_id)
            return row.payload if row else None

    def _worker(self, name: str, q: queue.Queue) -> None:
        driver = self.drivers[name]
        if self.poll_s is not None:
            self._status(name, driver)  # the screens know at once whether it can print
        while True:
            try:
                job_id = q.get(timeout=self.poll_s)
            except queue.Empty:  # idle: keep the status fresh (paper taken out, cover opened)
                self._status(name, driver)
                continue
            if job_id is None:
                return
            if job_id == _PROBE:
                self._status(name, driver)
                continue
            try:
                self._run(name, driver, job_id)
            except Exception:  # never let one job kill the printer's worker
                log.exception("print job %s crashed the worker step", job_id)
                self._set(job_id, JobState.FAILED, Reason.DEVICE_ERROR)

    def _run(self, name: str, driver: PrinterDriver, job_id: str) -> None:
        from kiosk.store.models import PrintJob

        queued = JobState.QUEUED
        with self.store.session() as s:
            row = s.get(PrintJob, job_id)
            if row is None or row.state != queued:  # discarded, or finished before a restart
                return
            created = row.created_at
        # every move out of queued is compare-and-set: a discard in between wins
        if self.clock() - created > self.max_age:
            self._set(job_id, JobState.EXPIRED, "too_old", expect=queued)
            return
        if self._payload(job_id) is None:
            self._set(job_id, JobState.EXPIRED, "lost_with_session", expect=queued)
            return
        status = self._status(name, driver)
        if not status.usable:
            self._set(job_id, JobState.FAILED, status.reason, expect=queued)
            return
        if self._set(job_id, JobState.PRINTING, expect=queued) is None:
            return  # discarded while the status was asked: never printed
        data = self._payload(job_id)
        if data is None:  # the citizen's session ended between the check and the claim
            self._set(job_id, JobState.EXPIRED, "lost_with_session")
            return
        try:
            driver.print_job(data)
        except PrinterError as exc:
            log.warning("print job %s on %s failed: %s", job_id, name, exc)
            self._set(job_id, JobState.FAILED, exc.reason)
            return
        after = self._status(name, driver)
        if after.reason in (Reason.PAPER_OUT, Reason.COVER_OPEN):
            # The printer stopped during the job: part of it may be on paper. Staff decide.
            self._set(job_id, JobState.FAILED, after.reason)
            return
        if after.level == Level.OFFLINE:
            # The bytes fit in the socket buffers, so a connection lost during the job only
            # shows here: the printer cannot confirm it printed.
            self._set(job_id, JobState.FAILED, Reason.CONNECTION_LOST)
            return
        self._set(job_id, JobState.DONE, after.reason if after.reason == Reason.PAPER_NEAR_END else "")

    def _status(self, name: str, driver: PrinterDriver) -> DeviceStatus:
        try:
            status = driver.status()
        except PrinterError as exc:
            status = DeviceStatus(Level.OFFLINE, exc.reason, exc.detail)
        if self._last_status.get(name) != status:
            log.info("printer %s: %s %s", name, status.level, status.reason)
            self._last_status[name] = status
            for fn in list(self._status_listeners):
                try:
                    fn(name, status)
                except Exception:  # a broken listener must not stop the printer
                    log.exception("printer status listener failed")
        return status
