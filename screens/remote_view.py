"""Remote view (远程帮办), the terminal's half: once the citizen allowed it, a frame a second of
the window, with every widget marked personal (`screens.widgets.chrome.mark_personal`: names,
ID numbers, the face camera, the document preview) painted over before it is encoded, as a JPEG
of at most `MAX_FRAME_BYTES`.

The grab runs on the UI thread from a `QTimer` (a widget can only be painted there); the bytes
go to the help desk (`kiosk.help.HelpDesk.send_frame`), whose worker thread sends them. Nothing
is taken while the desk is not sharing, and the timer stops the moment it stops.
"""

from __future__ import annotations

import logging

from protocol.staff import MAX_FRAME_BYTES
from screens.qt import (
    QBuffer,
    QByteArray,
    QColor,
    QImage,
    QIODevice,
    QObject,
    QPainter,
    QPoint,
    QRect,
    Qt,
    QTimer,
    QWidget,
)
from screens.widgets.chrome import PERSONAL

log = logging.getLogger("kiosk.ui")

FRAME_INTERVAL_MS = 1000
FRAME_WIDTH = 720  # pixels across: enough to read a screen, small enough to send each second
MASK_COLOR = QColor(90, 90, 90)


def personal_rects(root: QWidget) -> list[QRect]:
    """Where the visible personal widgets are, in `root`'s coordinates."""
    rects = []
    for w in root.findChildren(QWidget):
        if not w.property(PERSONAL) or not w.isVisible():
            continue
        rect = QRect(w.mapTo(root, QPoint(0, 0)), w.size()).intersected(root.rect())
        if not rect.isEmpty():
            rects.append(rect)
    return rects


def masked_image(root: QWidget) -> QImage:
    """`root` as it shows now, the personal widgets painted over."""
    pixmap = root.grab()
    ratio = pixmap.devicePixelRatio()
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(1.0)
    painter = QPainter(image)
    for r in personal_rects(root):
        painter.fillRect(QRect(round(r.x() * ratio), round(r.y() * ratio),
                               round(r.width() * ratio), round(r.height() * ratio)), MASK_COLOR)
    painter.end()
    return image


def encode_jpeg(image: QImage, max_bytes: int = MAX_FRAME_BYTES, width: int = FRAME_WIDTH,
                quality: int = 70) -> bytes:
    """A JPEG of `image` scaled to `width` (never larger), at most `max_bytes`: lower quality,
    then smaller, until it fits."""
    if image.width() > width:
        image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    while True:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "JPEG", quality)
        buffer.close()
        jpeg = bytes(data.data())
        if len(jpeg) <= max_bytes:
            return jpeg
        if quality > 30:
            quality -= 20
        else:
            image = image.scaledToWidth(max(64, image.width() * 3 // 4),
                                        Qt.TransformationMode.SmoothTransformation)


def masked_frame(root: QWidget) -> bytes:
    return encode_jpeg(masked_image(root))


class RemoteViewSender(QObject):
    """Takes a masked frame of `root` every second while the help desk shares the screen."""

    def __init__(self, root: QWidget, desk, interval_ms: int = FRAME_INTERVAL_MS):
        super().__init__(root)
        self.root = root
        self.desk = desk
        self.frames_taken = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def set_active(self, on: bool) -> None:
        if on and not self._timer.isActive():
            self._timer.start()
            QTimer.singleShot(0, self.tick)  # the first frame at once
        elif not on:
            self._timer.stop()

    def tick(self) -> None:
        if not self.desk.view.sharing:
            self._timer.stop()
            return
        try:
            jpeg = masked_frame(self.root)
        except Exception:  # a frame that cannot be made is skipped, never sent unmasked
            log.exception("remote view frame failed")
            return
        if self.desk.send_frame(jpeg):
            self.frames_taken += 1
