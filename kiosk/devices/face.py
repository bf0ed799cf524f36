"""Face verification: the citizen in front of the camera against the photo on their ID card's
chip, with liveness, behind two ports (no Qt here).

- `Camera`: frames from the terminal's camera. ``start()`` and ``stop()`` are called on the UI
  thread (a Qt camera must be driven from there); ``poll()`` and ``status()`` from any thread,
  never blocking. The real one is `screens.camera.QtCamera` (QtMultimedia); it reports
  ``offline`` when the terminal has no camera.
- `FaceVerifier`: compares the chip photo (`IdCardData.photo`, the raw block as the SAM gives
  it: a vendor SDK decodes it) with a few frames and checks liveness over them. A vendor SDK or
  a verification service plugs in here (config ``devices.face_verifier = "module:factory"``).
  It may block for a while: it is only ever called on the face watch's thread.

`FaceCheck` is one identification's state machine over them (like `CardReading` for the
card): it collects frames, asks the verifier, and ends in one of the outcomes (`FaceOutcome`):
``match`` (the identity gets a ``card_face`` `Verification`), ``mismatch``, ``spoof`` (a photo
or a screen held up: liveness failed), ``no_face`` (nobody looked at the camera before the
timeout) or ``camera_offline``. Mismatch, spoof and no face count as failed tries; after
`ATTEMPTS` of them the check is *locked* for the citizen's session: they are sent to the
staffed window or call staff. `kiosk.devices.face_watch.FaceWatch` runs it off the UI thread.

`SimulatedCamera` and `SimulatedFaceVerifier` are the demo's and the tests': the camera draws
what stands in front of it (the card holder, someone else, a photo held up, nobody) and can be
unplugged; the verifier reads the frames as a real one would get them, with a real liveness
rule (frames that never change are a photo), so every outcome comes the way it would on a
terminal. The simulated verifier never accepts frames from a real camera.

Privacy: the chip photo and the frames are biometric data. They live in memory for one check
and are dropped when it ends (match, lock, stop); nothing of them is logged or stored, and
`Frame` refuses to be pickled or shown.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from typing import Protocol, runtime_checkable

from kiosk.devices.status import OK, DeviceStatus, Level, Reason
from kiosk.identity import Identity, Verification
from protocol import VerifyMethod

log = logging.getLogger("kiosk.devices.face")

ATTEMPTS = 3  # failed tries before the check is locked for the session
LOOK_S = 1.5  # frames are gathered this long before the verifier is asked
TIMEOUT_S = 10.0  # no face seen by then: the try fails (no_face)
FRAMES = 8  # the most recent frames the verifier gets
MIN_FRAMES = 3  # liveness needs a few


class FaceOutcome(StrEnum):
    MATCH = "match"
    MISMATCH = "mismatch"  # a face, not the one on the card
    SPOOF = "spoof"  # liveness failed: a photo or a screen held up
    NO_FACE = "no_face"  # no face in the frames (or none before the timeout)
    CAMERA_OFFLINE = "camera_offline"


@dataclass(frozen=True, eq=False, repr=False)
class Frame:
    """One camera picture: `width` x `height` pixels, 8-bit RGB rows without padding. `tag` is
    the simulated camera's note of what stood before it ("" from a real camera)."""

    width: int
    height: int
    rgb: bytes
    at: float
    tag: str = ""

    def __post_init__(self) -> None:
        if len(self.rgb) != self.width * self.height * 3:
            raise ValueError("rgb must hold width * height * 3 bytes")

    def __repr__(self) -> str:
        return f"Frame({self.width}x{self.height})"

    def __reduce_ex__(self, protocol):
        raise TypeError("a camera frame is never serialised or copied")


@dataclass(frozen=True)
class FaceResult:
    """A verifier's answer for one set of frames: match, mismatch, spoof, or no_face (no face
    found in them; the check keeps looking until its timeout)."""

    outcome: FaceOutcome
    score: float | None = None  # the SDK's similarity, for the technician's log


@runtime_checkable
class Camera(Protocol):
    def status(self) -> DeviceStatus:
        """The camera's last known status (offline when there is none)."""

    def start(self) -> None:
        """Begin capturing (UI thread)."""

    def stop(self) -> None:
        """Stop capturing and drop the frames not yet polled (UI thread)."""

    def poll(self) -> list[Frame]:
        """The frames since the last poll, oldest first. Any thread; never blocks."""


@runtime_checkable
class FaceVerifier(Protocol):
    def verify(self, reference: bytes, frames: Sequence[Frame]) -> FaceResult:
        """Compare the face in `frames` with the chip photo `reference`, liveness included.
        May block; raises on a fault of its own (the check then reports the camera offline)."""


# ============================================================================ the check


class FaceState(StrEnum):
    LOOKING = "looking"  # 请正视摄像头: frames are gathered
    CHECKING = "checking"  # the verifier compares
    PASSED = "passed"  # verified: the update carries the identity
    FAILED = "failed"  # this try failed (`code`); `retry()` tries again
    LOCKED = "locked"  # ATTEMPTS tries failed: the staffed window, or staff
    UNAVAILABLE = "unavailable"  # no camera (or no photo from the card): another way


FAILURE_CODES = {
    FaceOutcome.MISMATCH: "face.mismatch",
    FaceOutcome.SPOOF: "face.spoof",
    FaceOutcome.NO_FACE: "face.no_face",
}
FACE_CODES = frozenset(FAILURE_CODES.values()) | {
    "face.looking", "face.checking", "face.match", "face.locked", "face.camera_offline",
    "face.no_photo",
}
FINAL = frozenset({FaceState.PASSED, FaceState.LOCKED, FaceState.UNAVAILABLE})


@dataclass(frozen=True, eq=False)
class FaceUpdate:
    state: FaceState
    code: str  # one of FACE_CODES, for the screen to translate
    attempt: int  # the try shown now, 1-based
    attempts: int  # how many tries there are
    progress: float = 0.0  # 0..1, for the screen's bar
    frame: Frame | None = field(default=None, repr=False)  # the latest picture, for the view
    identity: Identity | None = field(default=None, repr=False)  # only when PASSED (verified)
    failures: int = 0  # failed tries so far in this session (the last code says why)

    @property
    def final(self) -> bool:
        return self.state in FINAL


@dataclass(frozen=True, eq=False, repr=False)
class VerifyRequest:
    """What the watch hands the verifier, outside its lock (the check goes on meanwhile)."""

    reference: bytes
    frames: tuple[Frame, ...]


def _now_utc() -> datetime:
    return datetime.now(timezone.utc)


class FaceCheck:
    """One identification by face. `begin()`, then `step()` from a worker every 100 ms or so:
    it returns a `VerifyRequest` when the verifier is to be asked, whose answer goes to
    `resolve()`. `update()` says where it stands. The identity and the photo are the check's
    until it ends: the identity leaves verified in the PASSED update, or is wiped."""

    def __init__(self, camera: Camera, identity: Identity, photo: bytes | None, *,
                 clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], datetime] = _now_utc, look_s: float = LOOK_S,
                 timeout_s: float = TIMEOUT_S, attempts: int = ATTEMPTS, failures: int = 0):
        if not 0 < look_s < timeout_s:
            raise ValueError("need 0 < look_s < timeout_s")
        self.camera = camera
        self._identity: Identity | None = identity
        self._photo = photo or None
        self._clock = clock
        self._wall = wall
        self.look_s = look_s
        self.timeout_s = timeout_s
        self.attempts = attempts
        self.failures = failures
        self.state = FaceState.LOOKING
        self.code = "face.looking"
        self._frames: deque[Frame] = deque(maxlen=FRAMES)
        self._latest: Frame | None = None
        self._started = clock()
        self._last_ask = self._started
        self._passed: Identity | None = None

    def __repr__(self) -> str:
        return f"FaceCheck(state={self.state.value}, code={self.code}, failures={self.failures})"

    # -- what the watch calls --------------------------------------------------------------
    def begin(self) -> FaceUpdate:
        if self.failures >= self.attempts:
            self._end(FaceState.LOCKED, "face.locked")
        elif self._photo is None:
            log.warning("face check: the card gave no photo")
            self._end(FaceState.UNAVAILABLE, "face.no_photo")
        elif not self.camera.status().usable:
            self._end(FaceState.UNAVAILABLE, "face.camera_offline")
        else:
            self._look()
        return self.update()

    def step(self) -> VerifyRequest | None:
        """Take the new frames; a request when it is time to ask the verifier."""
        if self.state is not FaceState.LOOKING:
            return None
        if not self.camera.status().usable:
            self._end(FaceState.UNAVAILABLE, "face.camera_offline")
            return None
        for frame in self.camera.poll():
            self._frames.append(frame)
            self._latest = frame
        now = self._clock()
        if now - self._started >= self.timeout_s:
            self._fail(FaceOutcome.NO_FACE)
            return None
        if now - self._last_ask >= self.look_s and len(self._frames) >= MIN_FRAMES:
            self._last_ask = now
            self.state, self.code = FaceState.CHECKING, "face.checking"
            return VerifyRequest(self._photo, tuple(self._frames))
        return None

    def resolve(self, result: FaceResult | BaseException) -> None:
        """The verifier's answer to the last request (or what it raised)."""
        if self.state is not FaceState.CHECKING:
            return
        if isinstance(result, BaseException):
            log.warning("face verifier failed: %s", type(result).__name__)
            self._end(FaceState.UNAVAILABLE, "face.camera_offline")
            return
        log.info("face check: %s (score %s), try %d of %d", result.outcome.value,
                 "-" if result.score is None else f"{result.score:.2f}", self.failures + 1,
                 self.attempts)
        if result.outcome is FaceOutcome.MATCH:
            identity = self._identity
            identity.verify(Verification(VerifyMethod.CARD_FACE, self._wall()))
            self._passed, self._identity = identity, None
            self._photo = None
            self._frames.clear()
            self.state, self.code = FaceState.PASSED, "face.match"
        elif result.outcome is FaceOutcome.NO_FACE:
            if self._clock() - self._started >= self.timeout_s:
                self._fail(FaceOutcome.NO_FACE)
            else:  # keep looking until the timeout
                self.state, self.code = FaceState.LOOKING, "face.looking"
        elif result.outcome is FaceOutcome.CAMERA_OFFLINE:
            self._end(FaceState.UNAVAILABLE, "face.camera_offline")
        else:
            self._fail(result.outcome)

    def retry(self) -> FaceUpdate:
        """Another try after a failed one (the citizen tapped "try again")."""
        if self.state is FaceState.FAILED:
            self._look()
        return self.update()

    def update(self) -> FaceUpdate:
        identity, self._passed = self._passed, None  # handed over once
        attempt = min(self.failures + (0 if self.state in (FaceState.FAILED, FaceState.LOCKED)
                                       else 1), self.attempts)
        return FaceUpdate(self.state, self.code, max(1, attempt), self.attempts,
                          self._progress(), self._latest, identity, self.failures)

    def stop(self) -> None:
        """The citizen left the check: the identity (unless handed over) and the photo go."""
        if self._identity is not None:
            self._identity.clear()
        self._identity = None
        self._passed = None
        self._photo = None
        self._frames.clear()
        self._latest = None

    # -- inside ----------------------------------------------------------------------------
    def _look(self) -> None:
        self.state, self.code = FaceState.LOOKING, "face.looking"
        self._frames.clear()
        self._started = self._last_ask = self._clock()

    def _progress(self) -> float:
        if self.state is FaceState.PASSED:
            return 1.0
        if self.state is FaceState.CHECKING:
            return 0.95
        if self.state is FaceState.LOOKING:
            return min(0.9, 0.9 * (self._clock() - self._started) / self.look_s)
        return 0.0

    def _fail(self, outcome: FaceOutcome) -> None:
        self.failures += 1
        self._frames.clear()
        if self.failures >= self.attempts:
            log.info("face check locked after %d failed tries", self.failures)
            self._end(FaceState.LOCKED, "face.locked")
        else:
            self.state, self.code = FaceState.FAILED, FAILURE_CODES[outcome]

    def _end(self, state: FaceState, code: str) -> None:
        self.state, self.code = state, code
        self.stop()


# ============================================================================ the simulators


class SimMode(StrEnum):
    """What stands in front of the simulated camera (the demo's F12 panel sets it)."""

    MATCH = "match"  # the card's holder
    MISMATCH = "mismatch"  # someone else
    SPOOF = "spoof"  # a photo of the holder held up
    NO_FACE = "no_face"  # nobody
    CAMERA_OFFLINE = "camera_offline"  # the camera unplugged


_SUBJECT = {SimMode.MATCH: "holder", SimMode.MISMATCH: "stranger", SimMode.SPOOF: "photo",
            SimMode.NO_FACE: "nobody"}
SIM_W, SIM_H = 160, 120
_PHASES = ((0, 0, False), (1, 0, False), (2, 1, False), (1, 1, True), (0, 0, False),
           (-1, -1, False))  # (dx, dy, eyes closed): a person moves a little and blinks
_frames_cache: dict[tuple[str, int], bytes] = {}


def _ellipse(buf: bytearray, cx: float, cy: float, rx: float, ry: float,
             color: tuple[int, int, int], y_from: int = 0, y_to: int = SIM_H) -> None:
    for y in range(max(y_from, int(cy - ry)), min(y_to, int(cy + ry) + 1)):
        t = 1 - ((y - cy) / ry) ** 2
        if t <= 0:
            continue
        half = rx * t ** 0.5
        x0, x1 = max(0, int(cx - half)), min(SIM_W, int(cx + half) + 1)
        if x1 > x0:
            buf[(y * SIM_W + x0) * 3:(y * SIM_W + x1) * 3] = bytes(color) * (x1 - x0)


def _rect(buf: bytearray, x0: int, y0: int, x1: int, y1: int,
          color: tuple[int, int, int]) -> None:
    for y in range(max(0, y0), min(SIM_H, y1)):
        a, b = max(0, x0), min(SIM_W, x1)
        buf[(y * SIM_W + a) * 3:(y * SIM_W + b) * 3] = bytes(color) * (b - a)


def simulated_picture(subject: str, phase: int = 0) -> bytes:
    """What the simulated camera sees: a room, and the holder, someone else, a printed photo of
    the holder, or nobody. Drawn once per (subject, phase)."""
    key = (subject, phase % len(_PHASES))
    cached = _frames_cache.get(key)
    if cached is not None:
        return cached
    dx, dy, blink = _PHASES[key[1]]
    buf = bytearray(bytes((58, 68, 86)) * (SIM_W * SIM_H))
    _rect(buf, 0, 0, SIM_W, 18, (70, 82, 102))  # the wall's edge
    if subject != "nobody":
        photo = subject == "photo"
        if photo:  # a print held up: white margin, never moving, never blinking
            dx, dy, blink = 0, 0, False
            _rect(buf, 42, 14, 118, 112, (236, 236, 232))
            _rect(buf, 46, 18, 114, 108, (92, 120, 168))
        holder = subject in ("holder", "photo")
        skin = (226, 188, 152) if holder else (198, 150, 116)
        hair = (36, 28, 24) if holder else (128, 96, 52)
        shirt = (64, 104, 156) if holder else (150, 64, 60)
        cx, cy = 80 + dx, 56 + dy
        y_to = 108 if photo else SIM_H
        _ellipse(buf, cx, 118 + dy, 46, 26, shirt, y_to=y_to)  # shoulders
        _ellipse(buf, cx, cy - 10, 28, 26, hair, y_from=18 if photo else 0)
        _ellipse(buf, cx, cy, 24, 30, skin)
        eye = (30, 30, 36)
        for ex in (cx - 10, cx + 10):
            if blink:
                _rect(buf, int(ex) - 4, int(cy) - 3, int(ex) + 4, int(cy) - 2, eye)
            else:
                _rect(buf, int(ex) - 3, int(cy) - 5, int(ex) + 3, int(cy) - 1, eye)
        _rect(buf, int(cx) - 7, int(cy) + 14, int(cx) + 7, int(cy) + 16, (150, 70, 70))
    _frames_cache[key] = bytes(buf)
    return _frames_cache[key]


class SimulatedCamera:
    """A camera on a clock, `fps` frames a second while started, of what `mode` puts in front
    of it. Thread-safe (the F12 panel and the tests set the mode from another thread)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, *, fps: float = 10.0,
                 mode: SimMode | str = SimMode.MATCH):
        if fps <= 0:
            raise ValueError("fps must be positive")
        self._lock = threading.Lock()
        self._clock = clock
        self.interval_s = 1.0 / fps
        self._mode = SimMode(mode)
        self._armed = False
        self._next_at = 0.0
        self._phase = 0
        self.started = 0  # how often start() was called (tests)

    def __repr__(self) -> str:
        return f"SimulatedCamera(mode={self._mode.value}, armed={self._armed})"

    @property
    def mode(self) -> SimMode:
        return self._mode

    @mode.setter
    def mode(self, value: SimMode | str) -> None:
        with self._lock:
            self._mode = SimMode(value)

    def status(self) -> DeviceStatus:
        if self._mode is SimMode.CAMERA_OFFLINE:
            return DeviceStatus(Level.OFFLINE, Reason.OFFLINE, "simulated: camera unplugged")
        return OK

    def start(self) -> None:
        with self._lock:
            self._armed = True
            self._next_at = self._clock()
            self.started += 1

    def stop(self) -> None:
        with self._lock:
            self._armed = False

    @property
    def armed(self) -> bool:
        return self._armed

    def poll(self) -> list[Frame]:
        with self._lock:
            if not self._armed or self._mode is SimMode.CAMERA_OFFLINE:
                return []
            now = self._clock()
            out = []
            subject = _SUBJECT[self._mode]
            while self._next_at <= now and len(out) < 5:
                self._phase += 1
                out.append(Frame(SIM_W, SIM_H, simulated_picture(subject, self._phase),
                                 self._next_at, subject))
                self._next_at += self.interval_s
            if self._next_at <= now:  # a slow poller: skip, as a real camera drops frames
                self._next_at = now + self.interval_s
            return out


class SimulatedFaceVerifier:
    """A verifier with a real liveness rule: frames that never change are a picture held up.
    It knows who stands there from the simulated camera's tags only, so frames of a real
    camera (untagged) never match. `latency_s`: how long a real SDK takes."""

    def __init__(self, latency_s: float = 0.0):
        self.latency_s = latency_s
        self.calls = 0

    def __repr__(self) -> str:
        return "SimulatedFaceVerifier()"

    def verify(self, reference: bytes, frames: Sequence[Frame]) -> FaceResult:
        self.calls += 1
        if not reference:
            raise ValueError("no reference photo")
        if self.latency_s:
            time.sleep(self.latency_s)
        tags = [f.tag for f in frames]
        if not frames or "nobody" in tags or "" in tags:
            return FaceResult(FaceOutcome.NO_FACE)
        if len({f.rgb for f in frames}) == 1:  # nothing moved, nobody blinked
            return FaceResult(FaceOutcome.SPOOF, 0.0)
        holder = sum(t == "holder" for t in tags) > len(tags) / 2
        return FaceResult(FaceOutcome.MATCH, 0.93) if holder else \
            FaceResult(FaceOutcome.MISMATCH, 0.21)
