"""The flow driver: runs the citizen's current `FlowRun` for the screens, without Qt.

It owns everything around a run that is not the run's own state machine:

- the run's background work (`run.pending()`: a backend call, handing a job to the spooler) on
  one worker thread, its result brought back through the bus's `post` to `run.complete()`;
- print job updates (the bus's ``print.job`` topic) forwarded to `run.print_update()`;
- the draft preview of an A4 document, asked for on the worker thread when the run reaches its
  preview step (`preview`: the first page as an image, drawn in the print port's helper
  process), so the UI thread never waits for it;
- the intents a screen sends (`do`, `identify`, `choose`, `rate`), refused quietly when the run
  does not allow them (a double tap), and a `DriverChange` to its listeners after each change;
- an e-credential QR code shown at the identify step (`exchange_credential`): exchanged at the
  backend on the worker thread for the identity it names and a ticket, which identify the
  citizen (verified ``e_credential``); what went wrong is `exchange.code`, for the screen.

A screen subscribes, renders `driver.run` and `driver.preview` on each change, and sends
intents; it never calls a port or starts a thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from kiosk.bus import Bus, Topic
from kiosk.flows.engine import FlowRun, InputRejected, Intent, Status, StepKind
from kiosk.flows.ports import Rejected, Unreachable
from kiosk.identity import Identity, IdMethod, InvalidIdentity, Verification
from protocol import ErrorCode, VerifyMethod

log = logging.getLogger("kiosk.flows")


class PreviewState(StrEnum):
    NONE = "none"  # nothing to preview at this step
    RENDERING = "rendering"
    READY = "ready"  # `Preview.image` holds the draft's first page (PNG)
    FAILED = "failed"  # no picture: the citizen may still print


@dataclass(frozen=True, eq=False)
class Preview:
    state: PreviewState = PreviewState.NONE
    image: bytes = b""  # PNG

    def __repr__(self) -> str:
        return f"Preview({self.state}, {len(self.image)} bytes)"


NO_PREVIEW = Preview()


@dataclass(frozen=True)
class DriverChange:
    run: FlowRun | None


# What an e-credential exchange can end in, for the screen (`Exchange.code`).
CREDENTIAL_CODES = frozenset({
    "id.credential.used",  # shown before: single use
    "id.credential.expired",  # older than its minute
    "id.credential.invalid",  # forged, garbled, or of another backend
    "id.credential.unreachable",  # the backend cannot be reached now
})


@dataclass(frozen=True)
class Exchange:
    """The e-credential exchange at the identify step: under way, or why it failed."""

    pending: bool = False
    code: str = ""


NO_EXCHANGE = Exchange()


class FlowDriver:
    def __init__(self, bus: Bus, *, render_preview: Callable[[Any], bytes] | None = None):
        """`render_preview(PrintableDocument) -> PNG bytes` (the print port's draft's first
        page); None: no picture of the document before printing."""
        self.bus = bus
        self.render_preview = render_preview
        self.run: FlowRun | None = None
        self.preview: Preview = NO_PREVIEW
        self.exchange: Exchange = NO_EXCHANGE
        self._preview_for: tuple[str, int, int] | None = None
        self._submitted: set[int] = set()
        self._in_flight = 0
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="flow-work")
        self._listeners: list[Callable[[DriverChange], None]] = []
        bus.subscribe(Topic.PRINT_JOB, self._print_update)

    # -- what screens use ----------------------------------------------------------------------
    def subscribe(self, fn: Callable[[DriverChange], None]) -> Callable[[], None]:
        self._listeners.append(fn)
        return lambda: self._listeners.remove(fn) if fn in self._listeners else None

    @property
    def busy(self) -> bool:
        """Work is running on the worker thread (or its result is on its way back)."""
        return self._in_flight > 0

    def can(self, intent: Intent) -> bool:
        run = self.run
        return run is not None and not run.finished and run.can(intent)

    def do(self, intent: Intent) -> bool:
        """A plain intent (next, skip, retry, back ...); False if the run does not allow it."""
        if not self.can(intent):
            return False
        try:
            getattr(self.run, intent.value)()
        except InputRejected as exc:
            log.info("flow input refused: %s", exc.code)
            return False
        return True

    def identify(self, identity) -> bool:
        """False (and the identity wiped) if the run does not take it now."""
        if not self.can(Intent.IDENTIFY):
            identity.clear()
            return False
        try:
            self.run.identify(identity)
        except InputRejected as exc:
            log.info("identity refused: %s", exc.code)
            identity.clear()
            return False
        return True

    def exchange_credential(self, qr: str) -> bool:
        """An e-credential QR code (`protocol.E_CREDENTIAL_PREFIX`) at the identify step: the
        backend exchanges it, on the worker thread, for the identity and a ticket; back here
        it identifies the citizen. False if the run does not take an identity now or an
        exchange is under way. The QR text is used once, never logged or kept."""
        run = self.run
        if not self.can(Intent.IDENTIFY) or self.exchange.pending:
            return False
        records = run.ports.records
        if records is None:
            self._exchanged(Exchange(code="id.credential.unreachable"))
            return False
        session_id = run.session_id
        self._exchanged(Exchange(pending=True))

        def work() -> tuple[str, Any]:
            try:
                return "ok", records.exchange_credential(qr, session_id)
            except Rejected as exc:
                return "rejected", exc.code
            except Unreachable as exc:
                return "unreachable", exc.kind
            except Exception as exc:  # a bug: no details, they might quote the QR
                log.error("e-credential exchange failed: %s", type(exc).__name__)
                return "unreachable", "error"

        def done(result: tuple[str, Any]) -> None:
            kind, value = result
            if self.run is not run or run.finished or not self.exchange.pending:
                return  # the citizen left meanwhile: the answer is dropped unread
            if kind == "ok":
                try:
                    identity = Identity(value.id_number, IdMethod.QR, name=value.name,
                                        verification=Verification(
                                            VerifyMethod.E_CREDENTIAL,
                                            datetime.now(timezone.utc), ticket=value.ticket))
                except InvalidIdentity:
                    self._exchanged(Exchange(code="id.credential.invalid"))
                    return
                log.info("e-credential exchanged")
                self.exchange = NO_EXCHANGE
                if not self.identify(identity):
                    self._notify()
                return
            code = {ErrorCode.CREDENTIAL_USED: "id.credential.used",
                    ErrorCode.CREDENTIAL_EXPIRED: "id.credential.expired"}.get(
                value, "id.credential.unreachable" if kind == "unreachable"
                else "id.credential.invalid")
            log.info("e-credential refused: %s", value)
            self._exchanged(Exchange(code=code))

        self._submit(work, done)
        return True

    def _exchanged(self, exchange: Exchange) -> None:
        self.exchange = exchange
        self._notify()

    def choose(self, **values: Any) -> bool:
        if not self.can(Intent.CHOOSE):
            return False
        try:
            self.run.choose(**values)
        except InputRejected as exc:
            log.info("choice refused: %s", exc.code)
            return False
        return True

    def rate(self, level: int, reasons: tuple[str, ...] = (), comment: str = "") -> bool:
        if not self.can(Intent.RATE):
            return False
        try:
            self.run.rate(level, reasons, comment)
        except InputRejected as exc:
            log.info("rating refused: %s", exc.code)
            return False
        return True

    # -- what the core uses --------------------------------------------------------------------
    def begin(self, run: FlowRun) -> None:
        """Drive `run` from now on (the core started it; an earlier run is already over)."""
        self.run = run
        self.preview = NO_PREVIEW
        self.exchange = NO_EXCHANGE
        self._preview_for = None
        self._submitted.clear()
        run.subscribe(self._changed)
        self._after_change()

    def end(self) -> None:
        """The run is over (done, cancel, timeout): nothing of it stays here."""
        self.run = None
        self.preview = NO_PREVIEW
        self.exchange = NO_EXCHANGE
        self._preview_for = None
        self._submitted.clear()
        self._notify()

    def refresh(self) -> None:
        """Something the run's views depend on changed outside it (a staff member began to
        attend): the screens render again."""
        self._notify()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)

    # -- inside ----------------------------------------------------------------------------------
    def _changed(self, _change) -> None:
        self._after_change()

    def _after_change(self) -> None:
        run = self.run
        if run is None:
            return
        if self.exchange is not NO_EXCHANGE and (
                run.step.kind is not StepKind.IDENTIFY or run.status is not Status.READY):
            self.exchange = NO_EXCHANGE  # identified (or left the step): nothing to say
        work = run.pending()
        if work is not None and work.token not in self._submitted:
            self._submitted.add(work.token)
            self._submit(lambda: work(), lambda result, r=run: r.complete(result))
        self._maybe_preview(run)
        self._notify()

    def _maybe_preview(self, run: FlowRun) -> None:
        at_preview = run.status is Status.READY and run.step.kind is StepKind.PREVIEW
        if not at_preview:
            if self._preview_for is not None:
                self._preview_for, self.preview = None, NO_PREVIEW
            return
        key = (run.run_id, run.index, id(run.ctx.records))
        if key == self._preview_for:
            return
        self._preview_for = key
        doc = run.preview_document()
        if doc is None or self.render_preview is None:
            self.preview = NO_PREVIEW
            return
        self.preview = Preview(PreviewState.RENDERING)
        render = self.render_preview

        def make() -> Preview:
            try:
                return Preview(PreviewState.READY, render(doc))
            except Exception as exc:  # a preview must never stop the citizen from printing
                log.warning("preview failed: %s", type(exc).__name__)
                return Preview(PreviewState.FAILED)

        def done(preview: Preview) -> None:
            if self._preview_for == key and self.run is run:
                self.preview = preview
                self._notify()

        self._submit(make, done)

    def _submit(self, fn: Callable[[], Any], then: Callable[[Any], None]) -> None:
        with self._lock:
            self._in_flight += 1

        def call() -> None:
            try:
                result = fn()
            except BaseException:  # Work catches its own; this is a bug in the driver
                log.exception("flow work failed")
                result = None

            def back() -> None:
                try:
                    if result is not None:
                        then(result)
                finally:
                    with self._lock:
                        self._in_flight -= 1

            self.bus.post(back)

        self._pool.submit(call)

    def _print_update(self, update) -> None:
        run = self.run
        if run is not None and not run.finished:
            run.print_update(update)

    def _notify(self) -> None:
        change = DriverChange(self.run)
        for fn in list(self._listeners):
            fn(change)
