"""呼叫帮办: the citizen calls the hall's staff from any screen, and remote view with consent.

`HelpDesk` is Qt-free. The UI thread calls `raise_request`, `cancel`, `consent`, `send_frame`,
`dismiss` and `end_session`; the backend is only ever called on the desk's own worker thread
(`help-desk`), through the adapter (`kiosk.sync.adapter.BackendAdapter`: ``help_request``,
``help_status``, ``help_cancel``, ``help_consent``, ``help_frame``). The worker's results
come back on the bus (`Topic.HELP`) and are applied on the core's thread, which then tells the
`subscribe`rs the new `HelpView`.

One request at a time. While it is open the worker polls its status every `HELP_POLL_S`. If
the backend cannot be reached (offline, not enrolled, an error) the citizen is told to go to
the staffed window instead: the screen says where, nothing they did is lost. The request is
cancelled when the citizen cancels it or their session ends (finished or timed out: the
citizen walked away).

Remote view (远程帮办) happens only inside a request: when the polled status says staff asked
(``remote_view == requested``) the view asks the citizen (``ask_consent``); only after the
citizen allowed it and the backend confirmed (``allowed``) are frames taken (``sharing``), and
`send_frame` hands them to the worker, the newest only. Either side ends it: the citizen
(`consent(False)`), staff (the status going to ended or the request finishing), the session
ending. No frame is sent after that, not even one already handed over.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from kiosk.bus import Bus, Topic
from protocol.staff import HELP_POLL_S, MAX_FRAME_BYTES, HelpState, RemoteView

if TYPE_CHECKING:  # the messages (pydantic) load with the first help request, not at start
    from protocol.staff import HelpRequest, HelpStatus

log = logging.getLogger("kiosk.help")

# polls that fail in a row before a citizen still waiting is sent to the window (~6 s)
POLL_FAILURES_BEFORE_UNREACHABLE = 3
CANCEL_TRIES = 5


class HelpPhase(StrEnum):
    IDLE = "idle"                # nothing open
    CALLING = "calling"          # the request is on its way
    WAITING = "waiting"          # the backend has it (open, or held): staff will come
    TAKEN = "taken"              # `staff_name` is on the way
    UNREACHABLE = "unreachable"  # the backend cannot be reached: go to the staffed window
    FINISHED = "finished"        # staff finished it


OPEN_PHASES = frozenset({HelpPhase.CALLING, HelpPhase.WAITING, HelpPhase.TAKEN})


@dataclass(frozen=True)
class HelpView:
    """What the screens show. `window`: where to go when staff cannot be called."""

    phase: HelpPhase = HelpPhase.IDLE
    staff_name: str = ""
    window: str = ""
    ask_consent: bool = False  # staff ask to see the screen; the citizen has not answered
    sharing: bool = False      # the citizen allowed it: frames go out

    @property
    def open(self) -> bool:
        return self.phase in OPEN_PHASES


def _ok(kind: str, payload: Any = None) -> tuple[str, bool, Any]:
    return kind, True, payload


class HelpDesk:
    """`adapter`: a `BackendAdapter` (the sync service's `LiveAdapter`), or None (a terminal
    without a backend: a call for help says at once where to go). `thread=False`: no worker
    thread; a test calls `run_pending()` to do the worker's part on its own thread."""

    def __init__(self, adapter: Any, bus: Bus, *, staffed_window: str,
                 poll_s: float = HELP_POLL_S, thread: bool = True,
                 wall_clock: Callable[[], datetime] | None = None):
        self.adapter = adapter
        self.bus = bus
        self.staffed_window = staffed_window
        self.poll_s = poll_s
        self.wall_clock = wall_clock or (lambda: datetime.now(timezone.utc))
        self._use_thread = thread
        self._view = HelpView(window=staffed_window)
        self._listeners: list[Callable[[HelpView], None]] = []
        # UI thread only
        self._generation = 0
        self._answered = False  # the citizen answered staff's ask (until it ends)
        self._consented = False  # ... and allowed it
        # shared with the worker, under the lock
        self._lock = threading.Lock()
        self._jobs: deque[tuple] = deque()
        self._open_id: uuid.UUID | None = None  # polled while set
        self._open_generation = 0
        self._frame: tuple[uuid.UUID, int, bytes] | None = None  # the newest frame only
        self._sharing_id: tuple[uuid.UUID, int] | None = None
        self._cancels: list[tuple[uuid.UUID, int]] = []  # (id, tries left) not confirmed yet
        self._poll_failures = 0
        self._next_poll = 0.0  # monotonic: the worker polls when this is due
        self._wake = threading.Event()
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None
        bus.subscribe(Topic.HELP, self._apply)

    # -- for the screens (UI thread) -------------------------------------------------------------
    @property
    def view(self) -> HelpView:
        return self._view

    @property
    def request_id(self) -> uuid.UUID | None:
        with self._lock:
            return self._open_id

    def subscribe(self, fn: Callable[[HelpView], None]) -> Callable[[], None]:
        """`fn(view)` on the core's thread whenever the view changes; returns an unsubscribe."""
        self._listeners.append(fn)
        return lambda: self._listeners.remove(fn) if fn in self._listeners else None

    def raise_request(self, screen: str, *, item_id: str = "", step: str = "") -> bool:
        """Call staff. False (and nothing sent) while a request is open already."""
        if self._view.open:
            return False
        from protocol.staff import HelpRequest

        request = HelpRequest(request_id=uuid.uuid4(), screen=screen[:40], item_id=item_id[:64],
                              step=step[:40], waiting_since=self.wall_clock())
        self._generation += 1
        self._answered = self._consented = False
        with self._lock:
            self._open_id = request.request_id
            self._open_generation = self._generation
            self._poll_failures = 0
            self._frame = None
            self._sharing_id = None
            self._jobs.append(("raise", self._generation, request))
        log.info("help requested from %s (%s)", request.screen, request.request_id)
        self._set(HelpView(HelpPhase.CALLING, window=self.staffed_window))
        self._kick()
        return True

    def cancel(self) -> None:
        """The citizen cancels (or their session ended): nothing more is shown or sent for this
        request; the backend is told (retried a few times if it cannot be reached)."""
        with self._lock:
            rid = self._open_id
            self._open_id = None
            self._frame = None
            self._sharing_id = None
            if rid is not None and self.adapter is not None:
                self._cancels.append((rid, CANCEL_TRIES))
        self._generation += 1
        self._answered = self._consented = False
        if rid is not None:
            log.info("help request %s cancelled", rid)
        self._set(HelpView(window=self.staffed_window))
        self._next_poll = 0.0  # the cancel goes out now
        self._kick()

    def dismiss(self) -> None:
        """The citizen read the message (go to the window; finished): it goes away."""
        if not self._view.open:
            self._set(HelpView(window=self.staffed_window))

    def end_session(self) -> None:
        """The citizen's session ended (done, left, timed out): an open request is cancelled,
        a screen share stops, a message goes away."""
        if self._view.open:
            self.cancel()
        else:
            self.dismiss()

    def consent(self, allow: bool) -> None:
        """The citizen's answer to staff's ask (允许 / 拒绝), or 结束 while sharing."""
        with self._lock:
            rid = self._open_id
            if not allow:
                self._frame = None
                self._sharing_id = None  # no frame leaves from now on
        if rid is None or not (self._view.ask_consent or self._view.sharing):
            return
        self._answered, self._consented = True, bool(allow)
        with self._lock:
            self._jobs.append(("consent", self._generation, (rid, bool(allow))))
        log.info("remote view %s by the citizen", "allowed" if allow else "refused or ended")
        self._set(replace(self._view, ask_consent=False,
                          sharing=self._view.sharing and allow))
        self._kick()

    def send_frame(self, jpeg: bytes) -> bool:
        """A masked frame of the screen (JPEG) to send: only while sharing; the newest replaces
        one not sent yet. False if it was not taken."""
        if not self._view.sharing or len(jpeg) > MAX_FRAME_BYTES:
            return False
        with self._lock:
            if self._sharing_id is None:
                return False
            rid, gen = self._sharing_id
            self._frame = (rid, gen, bytes(jpeg))
        self._kick()
        return True

    def poll_now(self) -> None:
        """Ask the backend now instead of at the next poll (e.g. the screen was just shown)."""
        self._next_poll = 0.0
        self._kick()

    def close(self) -> None:
        """Stop the worker (at exit); an open request is cancelled first, if the link allows."""
        if self._view.open:
            self.cancel()
        if not self._use_thread:
            self._retry_cancels()
        self._closed.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(3)

    # -- results (core's thread) -------------------------------------------------------------
    def _set(self, view: HelpView) -> None:
        if view == self._view:
            return
        self._view = view
        for fn in list(self._listeners):
            try:
                fn(view)
            except Exception:
                log.exception("help view listener failed")

    def _apply(self, payload) -> None:
        generation, kind, ok, value = payload
        if generation != self._generation:
            return  # cancelled or superseded meanwhile
        if kind == "unreachable" or (kind == "raise" and not ok):
            with self._lock:
                self._open_id = None
                self._frame = None
                self._sharing_id = None
            self._set(HelpView(HelpPhase.UNREACHABLE, window=self.staffed_window))
            return
        if not ok:
            return  # a failed poll, consent or frame: the next poll says how things stand
        from protocol.staff import HelpStatus  # loaded already: the answer is one

        if isinstance(value, HelpStatus):
            self._apply_status(value)

    def _apply_status(self, st: HelpStatus) -> None:
        if st.state in (HelpState.FINISHED, HelpState.CANCELLED):
            with self._lock:
                self._open_id = None
                self._frame = None
                self._sharing_id = None
            self._answered = self._consented = False
            self._set(HelpView(HelpPhase.FINISHED if st.state is HelpState.FINISHED
                               else HelpPhase.IDLE, window=self.staffed_window))
            return
        phase = HelpPhase.TAKEN if st.state is HelpState.TAKEN else HelpPhase.WAITING
        rv = st.remote_view
        ask = sharing = False
        if rv is RemoteView.REQUESTED:
            ask = not self._answered
        elif rv is RemoteView.ALLOWED:
            sharing = self._answered and self._consented
        else:  # none or ended: a later ask is asked again
            self._answered = self._consented = False
        with self._lock:
            if sharing and self._open_id is not None:
                self._sharing_id = (self._open_id, self._generation)
            else:
                self._sharing_id = None
                self._frame = None
        self._set(HelpView(phase, staff_name=st.staff_name if phase is HelpPhase.TAKEN else "",
                           window=self.staffed_window, ask_consent=ask, sharing=sharing))

    # -- the worker ----------------------------------------------------------------------------
    def _kick(self) -> None:
        if not self._use_thread:
            return
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="help-desk", daemon=True)
            self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while not self._closed.is_set():
            busy = self.run_pending()
            with self._lock:
                polling = self._open_id is not None or bool(self._cancels)
            if busy:
                continue
            self._wake.wait(max(0.0, self._next_poll - time.monotonic()) if polling else None)
            self._wake.clear()
        self._retry_cancels()  # at exit: a request left open would bring staff for nobody

    def run_pending(self, poll: bool = True) -> bool:
        """The worker's part, on the calling thread: the queued jobs, the newest frame, then
        (if `poll`) one status poll of the open request and a retry of unconfirmed cancels.
        True if a job or frame was done (call again: more may be waiting)."""
        with self._lock:
            job = self._jobs.popleft() if self._jobs else None
            frame, self._frame = self._frame, None
        if job is not None:
            self._do(job)
            if frame is not None:
                with self._lock:
                    if self._frame is None:
                        self._frame = frame
            return True
        if frame is not None:
            self._send_frame(frame)
            return True
        if poll and (not self._use_thread or time.monotonic() >= self._next_poll):
            # (the thread polls every `poll_s`, frames or not; a test's call polls at once)
            self._next_poll = time.monotonic() + self.poll_s
            self._poll()
            self._retry_cancels()
        return False

    def _publish(self, generation: int, kind: str, ok: bool, value: Any = None) -> None:
        self.bus.publish(Topic.HELP, (generation, kind, ok, value))

    def _call(self, name: str, *args):
        if self.adapter is None:
            from kiosk.sync.adapter import BackendUnavailable

            raise BackendUnavailable("no backend on this terminal", "config")
        return getattr(self.adapter, name)(*args)

    def _do(self, job: tuple) -> None:
        kind, generation, arg = job
        if kind == "raise":
            with self._lock:
                if self._open_id != arg.request_id:
                    # cancelled before it was sent: staff never see it, nothing to cancel
                    self._cancels = [c for c in self._cancels if c[0] != arg.request_id]
                    return
            try:
                status = self._call("help_request", arg)
            except Exception as exc:  # BackendUnavailable, NotEnrolled, BackendRejected, a bug
                log.warning("help request could not be sent (%s): the citizen is sent to the "
                            "staffed window", type(exc).__name__)
                self._publish(generation, "raise", False)
                return
            self._publish(generation, "raise", True, status)
        elif kind == "consent":
            rid, allow = arg
            try:
                status = self._call("help_consent", rid, allow)
            except Exception as exc:
                log.warning("remote view consent not delivered (%s)", type(exc).__name__)
                self._publish(generation, "consent", False)
                return
            self._publish(generation, "consent", True, status)

    def _poll(self) -> None:
        with self._lock:
            rid, generation = self._open_id, self._open_generation
        if rid is None:
            return
        try:
            status = self._call("help_status", rid)
        except Exception as exc:
            with self._lock:
                self._poll_failures += 1
                failures = self._poll_failures
            log.info("help status poll failed (%s), %d in a row", type(exc).__name__, failures)
            if failures >= POLL_FAILURES_BEFORE_UNREACHABLE and \
                    self._view.phase is HelpPhase.WAITING:
                self._publish(generation, "unreachable", False)
            return
        with self._lock:
            self._poll_failures = 0
        self._publish(generation, "poll", True, status)

    def _send_frame(self, frame: tuple[uuid.UUID, int, bytes]) -> None:
        rid, generation, jpeg = frame
        with self._lock:
            if self._sharing_id != (rid, generation):
                return  # ended meanwhile: this frame never leaves
        try:
            self._call("help_frame", rid, jpeg)
        except Exception as exc:
            log.info("frame not sent (%s)", type(exc).__name__)

    def _retry_cancels(self) -> None:
        with self._lock:
            pending, self._cancels = self._cancels, []
        from kiosk.sync.adapter import BackendUnavailable

        for rid, tries in pending:
            try:
                self._call("help_cancel", rid)
            except Exception as exc:
                if isinstance(exc, BackendUnavailable) and tries > 1:
                    with self._lock:
                        self._cancels.append((rid, tries - 1))
                else:
                    log.warning("help request %s: the cancel did not reach the backend (%s)",
                                rid, type(exc).__name__)
