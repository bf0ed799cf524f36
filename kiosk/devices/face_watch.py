"""The face check, run off the UI thread.

While the identify step of a verified item shows its face page, `FaceWatch` steps a
`FaceCheck` on its own thread every 100 ms: it takes the camera's frames, asks the verifier
(which may take a second or more: never with the watch's lock held, so the UI thread is never
kept waiting) and publishes every new state, and the latest frame a few times a second, on
the bus (`Topic.FACE`, delivered on the core's thread). The screen only shows what arrives.

The camera is started and stopped on the calling (UI) thread: `start()`, `retry()`, `stop()`;
when a check ends (passed, locked, unavailable) the watch stops the camera itself when its
own publication reaches the UI thread. Failed tries are counted for the citizen's session:
leaving the item and coming back does not give three more; `end_session()` forgets them.

`poll()` does one step in the caller's thread (tests drive the clocks by hand; they build the
watch with ``thread=False``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from kiosk.bus import Bus, Topic
from kiosk.devices.face import (
    ATTEMPTS,
    LOOK_S,
    TIMEOUT_S,
    Camera,
    FaceCheck,
    FaceUpdate,
    FaceVerifier,
    _now_utc,
)
from kiosk.devices.watch import ThreadedWatch
from kiosk.identity import Identity

log = logging.getLogger("kiosk.devices.face")

POLL_S = 0.1
FRAME_EVERY_S = 0.2  # how often the latest frame is published for the view


class FaceWatch(ThreadedWatch):
    topic = Topic.FACE
    thread_name = "face-watch"

    def __init__(self, camera: Camera, verifier: FaceVerifier, bus: Bus, *,
                 clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], datetime] = _now_utc, look_s: float = LOOK_S,
                 timeout_s: float = TIMEOUT_S, attempts: int = ATTEMPTS,
                 interval_s: float = POLL_S, frame_every_s: float = FRAME_EVERY_S,
                 thread: bool = True):
        super().__init__(bus, interval_s=interval_s, thread=thread)
        self.camera = camera
        self.verifier = verifier
        self._clock = clock
        self._wall = wall
        self.look_s = look_s
        self.timeout_s = timeout_s
        self.attempts = attempts
        self.frame_every_s = frame_every_s
        self._check: FaceCheck | None = None
        self._failures = 0  # failed tries in this citizen session
        self._last: tuple[str, int] = ("", 0)
        self._last_frame_at = 0.0
        bus.subscribe(Topic.FACE, self._delivered)

    def __repr__(self) -> str:
        return f"FaceWatch(check={self._check!r}, failures={self._failures})"

    @property
    def active(self) -> bool:
        return self._check is not None

    @property
    def failures(self) -> int:
        return self._failures

    def available(self) -> bool:
        """The camera can be used now (else the card cannot verify anyone here)."""
        return self.camera.status().usable

    # -- the UI thread ---------------------------------------------------------------------------
    def start(self, identity: Identity, photo: bytes | None) -> FaceUpdate:
        """Verify `identity` (a card just read, `photo` from its chip) by face. The watch owns
        both until the check ends: the identity comes back verified in the PASSED update."""
        with self._lock:
            self._drop()
            self._generation += 1
            self.camera.start()
            check = FaceCheck(self.camera, identity, photo, clock=self._clock, wall=self._wall,
                              look_s=self.look_s, timeout_s=self.timeout_s,
                              attempts=self.attempts, failures=self._failures)
            self._check = check
            update = check.begin()
            self._after(update)
        if update.final:
            self._finished(update)
        else:
            self._watch()
        return update

    def retry(self) -> FaceUpdate | None:
        """Another try after a failed one; None when there is no check to retry."""
        with self._lock:
            check = self._check
            if check is None:
                return None
            self._generation += 1
            self.camera.start()
            update = check.retry()
            self._after(update)
        self._wake.set()
        return update

    def stop(self) -> None:
        """Stop looking; the identity (unless it passed) and the photo are dropped, an update
        still on its way is stale."""
        with self._lock:
            self._generation += 1
            self._drop()
        self.camera.stop()

    def end_session(self) -> None:
        """The citizen left: stop, and the next citizen gets all their tries."""
        self.stop()
        self._failures = 0

    # -- any thread ------------------------------------------------------------------------------
    def poll(self) -> FaceUpdate | None:
        """One step in this thread (tests): the update if something changed (a state, a
        code, a new frame to show), else None."""
        update = self._poll()[1]
        if update is not None and update.final:
            self.camera.stop()
        return update

    def _poll(self) -> tuple[int, FaceUpdate | None]:
        """One step: (the generation it belongs to, the update or None). The verifier is asked
        outside the lock."""
        with self._lock:
            check = self._check
            generation = self._generation
            if check is None:
                return generation, None
            request = check.step()
            if request is None:
                return generation, self._changed(check)
        try:
            result = self.verifier.verify(request.reference, request.frames)
        except Exception as exc:  # an SDK's fault: the check says the camera is unusable
            result = exc
        del request
        with self._lock:
            if generation != self._generation or self._check is not check:
                return generation, None  # stopped or restarted meanwhile
            check.resolve(result)
            return generation, self._changed(check)

    # -- inside ----------------------------------------------------------------------------------
    def _changed(self, check: FaceCheck) -> FaceUpdate | None:
        key = (check.state.value + check.code, check.failures)
        now = self._clock()
        frame_due = now - self._last_frame_at >= self.frame_every_s
        if key == self._last and not frame_due:
            return None
        update = check.update()
        if key == self._last and update.frame is None:
            return None
        self._after(update)
        if update.final:
            self._check = None
        return update

    def _after(self, update: FaceUpdate) -> None:
        self._last = (update.state.value + update.code, update.failures)
        self._last_frame_at = self._clock()
        self._failures = max(self._failures, update.failures)

    def _drop(self) -> None:
        if self._check is not None:
            self._check.stop()
            self._check = None
        self._last = ("", 0)

    def _finished(self, update: FaceUpdate) -> None:
        with self._lock:
            if self._check is not None and update.final:
                self._check = None
        self.camera.stop()

    def _delivered(self, payload) -> None:
        """Our own publication, on the UI thread: a check that ended releases the camera."""
        generation, update = payload
        if update.final and generation == self._generation and self._check is None:
            self.camera.stop()

    def _idle(self) -> bool:
        return self._check is None

    def _step(self):
        return self._poll()
