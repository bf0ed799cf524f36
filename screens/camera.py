"""The terminal's camera for the face check, through QtMultimedia: `QCamera` into a
`QMediaCaptureSession` whose `QVideoSink` hands each frame to this object, which keeps a few
of them (downscaled RGB, at most `fps` a second) for the face watch's thread to take.

It is the `kiosk.devices.face.Camera` port: `start()` and `stop()` run on the UI thread (Qt's
camera lives there), `poll()` and `status()` on any thread (a lock and a cached status; the
first look for a camera happens at the first `status()` or `start()`, which the identify step
makes on the UI thread: QtMultimedia is not loaded on the way to the home screen). A
terminal without a camera, one unplugged, or one the system refuses reports ``offline`` and
delivers no frames; the face check then says so and offers the other ways. Frames are
biometric data: a handful in memory, dropped by `stop()`, never written anywhere.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque

from kiosk.devices.face import Frame
from kiosk.devices.status import OK, DeviceStatus, Level, Reason

log = logging.getLogger("kiosk.devices.face")

KEEP = 12  # frames kept for the watch between two polls


class QtCamera:
    def __init__(self, device: str = "", *, fps: float = 10.0, width: int = 320):
        self.device = device
        self.interval_s = 1.0 / fps
        self.width = max(16, width - width % 4)  # RGB rows without padding
        self._lock = threading.Lock()
        self._frames: deque[Frame] = deque(maxlen=KEEP)
        self._last_at = 0.0
        self._camera = None
        self._session = None
        self._sink = None
        self._status: DeviceStatus | None = None  # not looked for yet

    def __repr__(self) -> str:
        level = self._status.level.value if self._status is not None else "unknown"
        return f"QtCamera({self.device or 'default'}, {level})"

    # -- the port ----------------------------------------------------------------------------
    def status(self) -> DeviceStatus:
        with self._lock:
            status = self._status
        if status is None:  # the first look (the identify step, on the UI thread)
            status = self._probe()
            with self._lock:
                if self._status is None:
                    self._status = status
                status = self._status
        return status

    def start(self) -> None:
        """Open the camera (again: it may have been plugged in since)."""
        from screens.qt import QCamera, QMediaCaptureSession, QVideoSink

        self.stop()
        device = self._device()
        if device is None:
            return
        camera = QCamera(device)
        session = QMediaCaptureSession()
        sink = QVideoSink()
        session.setCamera(camera)
        session.setVideoSink(sink)
        sink.videoFrameChanged.connect(self._on_frame)
        camera.errorOccurred.connect(self._on_error)
        self._camera, self._session, self._sink = camera, session, sink
        self._set_status(OK)
        camera.start()

    def stop(self) -> None:
        camera, self._camera = self._camera, None
        sink, self._sink = self._sink, None
        self._session = None
        if sink is not None:
            sink.videoFrameChanged.disconnect(self._on_frame)
        if camera is not None:
            camera.errorOccurred.disconnect(self._on_error)
            camera.stop()
            camera.deleteLater()
        with self._lock:
            self._frames.clear()

    def poll(self) -> list[Frame]:
        with self._lock:
            out = list(self._frames)
            self._frames.clear()
        return out

    # -- inside (UI thread) ------------------------------------------------------------------
    def _probe(self) -> DeviceStatus:
        from screens.qt import QMediaDevices

        if self._find(QMediaDevices.videoInputs()) is None:
            return DeviceStatus(Level.OFFLINE, Reason.OFFLINE, "no camera" if not self.device
                                else f"no camera {self.device!r}")
        return OK

    def _find(self, inputs):
        if not inputs:
            return None
        if not self.device:
            from screens.qt import QMediaDevices

            default = QMediaDevices.defaultVideoInput()
            return default if not default.isNull() else inputs[0]
        for d in inputs:
            if self.device in (bytes(d.id()).decode("utf-8", "replace"), d.description()):
                return d
        return None

    def _device(self):
        from screens.qt import QMediaDevices

        device = self._find(QMediaDevices.videoInputs())
        if device is None:
            status = self._probe()
            self._set_status(status)
        return device

    def _set_status(self, status: DeviceStatus) -> None:
        with self._lock:
            old, self._status = self._status, status
        if old is None or (old.level, old.reason) != (status.level, status.reason):
            if status.usable:
                log.info("camera ok")
            else:
                log.warning("camera %s: %s", status.level.value, status.detail)

    def _on_error(self, error, text: str = "") -> None:
        self._set_status(DeviceStatus(Level.OFFLINE, Reason.CONNECTION_LOST,
                                      f"camera error {getattr(error, 'name', error)}: {text}"))

    def _on_frame(self, frame) -> None:
        """A frame from the sink (UI thread): kept downscaled, at most `fps` a second."""
        from screens.qt import QImage, Qt

        now = time.monotonic()
        if now - self._last_at < self.interval_s:
            return
        image = frame.toImage()
        if image.isNull():
            return
        self._last_at = now
        image = image.scaledToWidth(self.width, Qt.TransformationMode.FastTransformation) \
            .convertToFormat(QImage.Format.Format_RGB888)
        w, h, line = image.width(), image.height(), image.bytesPerLine()
        raw = bytes(image.constBits())
        rgb = raw if line == w * 3 else b"".join(raw[y * line:y * line + w * 3]
                                                 for y in range(h))
        with self._lock:
            self._frames.append(Frame(w, h, rgb[:w * h * 3], now))
