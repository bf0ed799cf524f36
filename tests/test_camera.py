"""The terminal's camera through QtMultimedia (screens.camera.QtCamera), on this machine, which
has none: it must say so, and the face check must then offer the other ways. The frame path is
checked with frames handed to it as its video sink would."""

from __future__ import annotations

import pytest

from kiosk.bus import Bus
from kiosk.devices.face import Camera, FaceState, SimulatedFaceVerifier
from kiosk.devices.face_watch import FaceWatch
from kiosk.devices.idcard import simulated_photo
from kiosk.devices.status import Level
from kiosk.identity import Identity, IdMethod
from protocol import id_check_digit

pytestmark = pytest.mark.gui

ID = "32040219850312123" + id_check_digit("32040219850312123")


@pytest.fixture
def camera(qapp):
    from screens.camera import QtCamera

    cam = QtCamera()
    yield cam
    cam.stop()


def test_no_camera_on_this_machine_is_offline_for_real(camera):
    from screens.qt import QMediaDevices

    assert QMediaDevices.videoInputs() == []  # the premise: this machine has no camera
    assert isinstance(camera, Camera)
    assert repr(camera) == "QtCamera(default, unknown)"  # not looked for before it is asked
    assert camera.status().level is Level.OFFLINE and not camera.status().usable
    camera.start()  # opening nothing: no exception, no frames
    assert camera.status().level is Level.OFFLINE and camera.poll() == []


def test_the_face_check_says_camera_offline_and_keeps_nothing(camera):
    ident = Identity(ID, IdMethod.ID_CARD, name="张小明")
    watch = FaceWatch(camera, SimulatedFaceVerifier(), Bus(), thread=False)
    assert not watch.available()
    update = watch.start(ident, simulated_photo(ID))
    assert (update.state, update.code) == (FaceState.UNAVAILABLE, "face.camera_offline")
    assert ident.cleared and not watch.active


def test_frames_from_the_sink_are_kept_small_and_few(camera, qtbot):
    from screens.qt import QImage, QVideoFrame

    image = QImage(1280, 720, QImage.Format.Format_RGB32)
    image.fill(0xFF336699)
    camera.interval_s = 0.0
    for _ in range(20):
        camera._on_frame(QVideoFrame(image))
    frames = camera.poll()
    assert 0 < len(frames) <= 12 and camera.poll() == []
    f = frames[-1]
    assert (f.width, f.height) == (320, 180) and f.rgb[:3] == bytes((0x33, 0x66, 0x99))
    camera.interval_s = 10.0  # at most `fps` a second
    camera._on_frame(QVideoFrame(image))
    camera._on_frame(QVideoFrame(image))
    assert len(camera.poll()) <= 1
    camera.stop()
    assert camera.poll() == []
