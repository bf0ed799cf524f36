"""Face verification (kiosk.devices.face, face_watch) without Qt: every outcome of a check on
an injected clock, the three tries, the watch off the UI thread, and what is left of the
citizen's photo and face afterwards (nothing)."""

from __future__ import annotations

import pickle
import threading
import time
from datetime import date, datetime, timezone

import pytest

from kiosk.bus import Bus, ManualPost, Topic
from kiosk.devices.face import (
    ATTEMPTS,
    FACE_CODES,
    Camera,
    FaceCheck,
    FaceOutcome,
    FaceResult,
    FaceState,
    FaceVerifier,
    Frame,
    SimMode,
    SimulatedCamera,
    SimulatedFaceVerifier,
    simulated_picture,
)
from kiosk.devices.face_watch import FaceWatch
from kiosk.devices.idcard import simulated_photo
from kiosk.identity import Identity, IdMethod
from protocol import VerifyMethod, id_check_digit

TODAY = date(2026, 11, 23)
ID = "32040219850312123" + id_check_digit("32040219850312123")
PHOTO = simulated_photo(ID)


class Clock:
    def __init__(self):
        self.t = 500.0

    def __call__(self) -> float:
        return self.t

    def advance(self, s: float) -> None:
        self.t += s


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def camera(clock):
    return SimulatedCamera(clock, fps=10)


def card_identity() -> Identity:
    return Identity(ID, IdMethod.ID_CARD, name="张小明", today=TODAY)


WALL = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)


def check(camera, clock, **kw) -> FaceCheck:
    return FaceCheck(camera, card_identity(), PHOTO, clock=clock, wall=lambda: WALL,
                     look_s=1.0, timeout_s=5.0, **kw)


def run(c: FaceCheck, clock: Clock, verifier: FaceVerifier, seconds: float = 6.0) -> None:
    """Step the check as the watch would, every 100 ms, until it leaves looking/checking."""
    for _ in range(int(seconds * 10)):
        req = c.step()
        if req is not None:
            c.resolve(verifier.verify(req.reference, req.frames))
        if c.state not in (FaceState.LOOKING, FaceState.CHECKING):
            return
        clock.advance(0.1)


def test_the_simulators_fit_the_ports(camera):
    assert isinstance(camera, Camera) and isinstance(SimulatedFaceVerifier(), FaceVerifier)
    other = "11010519800101001" + id_check_digit("11010519800101001")
    assert len(PHOTO) == 1024 and simulated_photo(ID) == PHOTO != simulated_photo(other)


def test_a_match_verifies_the_identity_card_face(camera, clock):
    camera.start()
    c = check(camera, clock)
    first = c.begin()
    assert (first.state, first.code, first.attempt, first.attempts) == \
        (FaceState.LOOKING, "face.looking", 1, ATTEMPTS)
    run(c, clock, SimulatedFaceVerifier())
    assert c.state is FaceState.PASSED and c.code == "face.match"
    update = c.update()
    ident = update.identity
    assert ident.verified and ident.verification.method is VerifyMethod.CARD_FACE
    assert ident.verification.verified_at == WALL and update.progress == 1.0
    assert c.update().identity is None  # handed over once
    assert c._photo is None and c._identity is None  # the photo went with the match


@pytest.mark.parametrize("mode,code", [
    (SimMode.MISMATCH, "face.mismatch"),
    (SimMode.SPOOF, "face.spoof"),
    (SimMode.NO_FACE, "face.no_face"),
])
def test_each_failure_and_three_tries(camera, clock, mode, code):
    camera.mode = mode
    camera.start()
    c = check(camera, clock)
    c.begin()
    verifier = SimulatedFaceVerifier()
    for n in range(1, ATTEMPTS + 1):
        run(c, clock, verifier)
        u = c.update()
        if n < ATTEMPTS:
            assert (u.state, u.code, u.attempt, u.failures) == (FaceState.FAILED, code, n, n)
            assert c.retry().state is FaceState.LOOKING and c.update().attempt == n + 1
    assert (u.state, u.code, u.failures) == (FaceState.LOCKED, "face.locked", ATTEMPTS)
    assert u.identity is None and c._photo is None
    assert c.retry().state is FaceState.LOCKED  # no fourth try


def test_no_face_takes_the_whole_timeout(camera, clock):
    camera.mode = SimMode.NO_FACE
    camera.start()
    c = check(camera, clock)
    c.begin()
    start = clock.t
    run(c, clock, SimulatedFaceVerifier())
    assert c.code == "face.no_face" and clock.t - start >= 5.0


def test_a_photo_held_up_fails_liveness_on_the_pixels(camera, clock):
    """The simulated verifier's liveness rule reads the frames: a photo never moves."""
    still = [Frame(160, 120, simulated_picture("photo"), t, "photo") for t in range(4)]
    moving = [Frame(160, 120, simulated_picture("holder", t), t, "holder") for t in range(4)]
    v = SimulatedFaceVerifier()
    assert v.verify(PHOTO, still).outcome is FaceOutcome.SPOOF
    assert v.verify(PHOTO, moving).outcome is FaceOutcome.MATCH
    # the holder standing perfectly still is no living person either
    frozen = [Frame(160, 120, simulated_picture("holder", 0), t, "holder") for t in range(4)]
    assert v.verify(PHOTO, frozen).outcome is FaceOutcome.SPOOF


def test_the_simulated_verifier_never_accepts_a_real_camera():
    real = [Frame(4, 4, bytes([i]) * 48, i) for i in range(4)]  # untagged: a real camera's
    assert SimulatedFaceVerifier().verify(PHOTO, real).outcome is FaceOutcome.NO_FACE
    with pytest.raises(ValueError):
        SimulatedFaceVerifier().verify(b"", real)


def test_camera_offline_and_no_photo_end_at_once(camera, clock):
    camera.mode = SimMode.CAMERA_OFFLINE
    c = check(camera, clock)
    u = c.begin()
    assert (u.state, u.code) == (FaceState.UNAVAILABLE, "face.camera_offline") and u.final
    camera.mode = SimMode.MATCH
    ident = card_identity()
    c = FaceCheck(camera, ident, None, clock=clock)
    assert c.begin().code == "face.no_photo" and ident.cleared
    # unplugged in the middle of a try
    camera.start()
    c = check(camera, clock)
    c.begin()
    clock.advance(0.3)
    c.step()
    camera.mode = SimMode.CAMERA_OFFLINE
    c.step()
    assert c.state is FaceState.UNAVAILABLE and c.code == "face.camera_offline"


def test_a_verifier_that_fails_is_reported_as_unavailable(camera, clock, caplog):
    class Broken:
        def verify(self, reference, frames):
            raise RuntimeError("sdk crashed")

    watch = watch_for(camera, clock, Broken())
    ident = card_identity()
    watch.start(ident, PHOTO)
    u = poll_until(watch, clock, lambda u: u.final)
    assert (u.state, u.code) == (FaceState.UNAVAILABLE, "face.camera_offline")
    assert "RuntimeError" in caplog.text and "sdk crashed" not in caplog.text
    assert ident.cleared


def test_codes_are_declared():
    seen = {"face.looking", "face.checking", "face.match", "face.mismatch", "face.spoof",
            "face.no_face", "face.camera_offline", "face.no_photo", "face.locked"}
    assert seen == FACE_CODES


def test_frames_and_photo_are_never_serialised_or_shown():
    frame = Frame(160, 120, simulated_picture("holder"), 1.0, "holder")
    assert repr(frame) == "Frame(160x120)"
    with pytest.raises(TypeError):
        pickle.dumps(frame)
    with pytest.raises(ValueError):
        Frame(2, 2, b"\x00", 0)


# ============================================================================ the watch


def watch_for(camera, clock, verifier=None, *, thread=False, bus=None):
    return FaceWatch(camera, verifier or SimulatedFaceVerifier(), bus or Bus(), clock=clock,
                     wall=lambda: WALL, look_s=1.0, timeout_s=5.0, thread=thread)


def poll_until(watch, clock, pred, seconds=8.0):
    for _ in range(int(seconds * 10)):
        u = watch.poll()
        if u is not None and pred(u):
            return u
        clock.advance(0.1)
    raise AssertionError(f"watch stayed {watch!r}")


def test_watch_passes_a_match_and_releases_the_camera(camera, clock):
    watch = watch_for(camera, clock)
    first = watch.start(card_identity(), PHOTO)
    assert first.state is FaceState.LOOKING and camera.armed and watch.active
    frames = []
    u = poll_until(watch, clock, lambda u: frames.append(u.frame) or u.final)
    assert u.state is FaceState.PASSED and u.identity.verified
    assert any(f is not None for f in frames)  # the view got pictures meanwhile
    assert not camera.armed and not watch.active


def test_failed_tries_count_for_the_whole_session(camera, clock):
    camera.mode = SimMode.MISMATCH
    watch = watch_for(camera, clock)
    watch.start(card_identity(), PHOTO)
    assert poll_until(watch, clock, lambda u: u.state is FaceState.FAILED).failures == 1
    watch.retry()
    assert poll_until(watch, clock, lambda u: u.state is FaceState.FAILED).failures == 2
    # the citizen leaves the item and comes back: one try left, not three
    watch.stop()
    ident = card_identity()
    assert watch.start(ident, PHOTO).attempt == 3
    u = poll_until(watch, clock, lambda u: u.final)
    assert u.state is FaceState.LOCKED and ident.cleared
    assert watch.start(card_identity(), PHOTO).state is FaceState.LOCKED  # at once
    watch.end_session()  # the next citizen
    camera.mode = SimMode.MATCH
    assert watch.start(card_identity(), PHOTO).attempt == 1
    assert poll_until(watch, clock, lambda u: u.final).state is FaceState.PASSED


def test_stop_wipes_the_identity_and_drops_the_photo(camera, clock):
    watch = watch_for(camera, clock)
    ident = card_identity()
    watch.start(ident, PHOTO)
    check = watch._check
    clock.advance(0.3)
    watch.poll()
    watch.stop()
    assert ident.cleared and not camera.armed and not watch.active
    assert check._photo is None and check._identity is None and not check._frames
    assert check._latest is None


def test_the_verifier_runs_off_the_lock_and_a_stale_answer_is_dropped(camera, clock):
    """A slow SDK: the UI thread's stop() does not wait for it, and its late answer does not
    verify anyone."""
    entered, release = threading.Event(), threading.Event()

    class Slow(SimulatedFaceVerifier):
        def verify(self, reference, frames):
            entered.set()
            release.wait(5)
            return FaceResult(FaceOutcome.MATCH, 0.99)

    watch = watch_for(camera, clock, Slow())
    ident = card_identity()
    watch.start(ident, PHOTO)
    clock.advance(1.1)
    results = []
    worker = threading.Thread(target=lambda: results.append(watch.poll()))
    worker.start()
    assert entered.wait(5)
    t0 = time.monotonic()
    watch.stop()  # while the verifier is busy
    assert time.monotonic() - t0 < 0.5
    release.set()
    worker.join(5)
    assert results == [None] and ident.cleared and not ident.verified


def test_watch_thread_publishes_on_the_bus(camera):
    """The real arrangement: the watch's own thread, the bus delivering on this thread."""
    post = ManualPost()
    bus = Bus(post)
    got = []
    watch = FaceWatch(SimulatedCamera(fps=20), SimulatedFaceVerifier(), bus, look_s=0.3,
                      timeout_s=3.0)
    bus.subscribe(Topic.FACE, lambda p: got.append(p))
    try:
        watch.start(card_identity(), PHOTO)
        deadline = time.monotonic() + 5
        while not any(u.final for _g, u in got) and time.monotonic() < deadline:
            post.drain(0.05)
        (passed,) = [u for g, u in got if u.final]
        assert passed.state is FaceState.PASSED and passed.identity.verified
        assert all(watch.current(g) for g, _u in got)
        assert not watch.camera.armed  # released when the news reached this thread
    finally:
        watch.close()
