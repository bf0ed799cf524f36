"""The face check's page inside the identify step (a verified item, after the card was read):
the camera's picture with an oval to look into, 请正视摄像头, a progress bar, the try, the
outcome in plain words with what to do, and after three failed tries the staffed window or a
member of staff. It renders `kiosk.devices.face.FaceUpdate`s; the check itself runs in the core
(kiosk.devices.face_watch). Nothing of the citizen is on it but the masked number.
"""

from __future__ import annotations

from kiosk.devices.face import FaceState, FaceUpdate, Frame
from screens.qt import (
    QColor,
    QFrame,
    QHBoxLayout,
    QImage,
    QPainter,
    QProgressBar,
    QRectF,
    QSize,
    QSizePolicy,
    Qt,
    QtGui,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)
from screens.widgets.chrome import button, label, mark_personal


def face_texts(code: str, window: str = "") -> tuple[str, str]:
    """(headline, what to do) for each face-check code."""
    if code == "face.looking":
        return (translate("FaceCheck", "Please look straight at the camera"),
                translate("FaceCheck", "Keep your face inside the oval and hold still for a "
                          "moment. Please take off a hat, mask or sunglasses."))
    if code == "face.checking":
        return (translate("FaceCheck", "Checking…"),
                translate("FaceCheck", "Please hold still."))
    if code == "face.match":
        return (translate("FaceCheck", "Thank you, you are verified"), "")
    if code == "face.mismatch":
        return (translate("FaceCheck", "Your face does not match the photo on the card"),
                translate("FaceCheck", "Please face the camera directly in good light, without "
                          "a hat, mask or sunglasses, and try again. Only the card's holder can "
                          "use it."))
    if code == "face.spoof":
        return (translate("FaceCheck", "A photo or a screen was detected"),
                translate("FaceCheck", "Please look at the camera yourself, not a photo or a "
                          "phone, and try again."))
    if code == "face.no_face":
        return (translate("FaceCheck", "No face was seen"),
                translate("FaceCheck", "Please stand in front of the screen, look at the camera "
                          "and try again."))
    if code == "face.no_photo":
        return (translate("FaceCheck", "The photo on your card could not be read"),
                translate("FaceCheck", "Please place the card on the reader again, show the "
                          "e-credential QR code from your government services app, or go to: "
                          "{place}").format(place=window))
    if code == "face.locked":
        return (translate("FaceCheck", "Face verification did not succeed"),
                translate("FaceCheck", "For your safety no more tries are possible here. "
                          "Please go to: {place}, or call a member of staff.").format(
                              place=window))
    if code == "face.camera_offline":
        return (translate("FaceCheck", "The face check is not working right now"),
                translate("FaceCheck", "Please show the e-credential QR code from your "
                          "government services app, or go to: {place}").format(place=window))
    return ("", "")


class CameraView(QWidget):
    """The latest camera picture, mirrored as a mirror would show it, with an oval to put the
    face into; a head outline while no picture has come yet."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("face_camera_view")
        self.setProperty("role", "hero")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)
        self._image: QImage | None = None
        self._state = FaceState.LOOKING

    def sizeHint(self) -> QSize:
        return QSize(640, 480)

    @property
    def has_picture(self) -> bool:
        return self._image is not None

    def show_frame(self, frame: Frame | None, state: FaceState) -> None:
        if frame is not None:
            image = QImage(frame.rgb, frame.width, frame.height, frame.width * 3,
                           QImage.Format.Format_RGB888)
            # a copy: the frame's bytes are not kept
            self._image = image.flipped(Qt.Orientation.Horizontal)
        self._state = state
        self.update()

    def clear(self) -> None:
        self._image = None
        self._state = FaceState.LOOKING
        self.update()

    def paintEvent(self, _event) -> None:
        fg = self.palette().color(QtGui.QPalette.ColorRole.WindowText)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        w, h = float(self.width()), float(self.height())
        vw = min(w, h * 4 / 3)
        vh = vw * 3 / 4
        view = QRectF((w - vw) / 2, (h - vh) / 2, vw, vh)
        path = QtGui.QPainterPath()
        path.addRoundedRect(view, 16, 16)
        p.setClipPath(path)
        p.fillRect(view, QColor(36, 42, 54))
        if self._image is not None:
            p.drawImage(view, self._image)
        p.setClipping(False)
        # the oval to look into: green once verified, the theme's colour before
        oval = QRectF(view.center().x() - vw * 0.19, view.top() + vh * 0.10, vw * 0.38,
                      vh * 0.72)
        colour = QColor(46, 160, 67) if self._state is FaceState.PASSED else QColor(fg)
        if self._state in (FaceState.FAILED, FaceState.LOCKED, FaceState.UNAVAILABLE):
            colour = QColor(200, 60, 50)
        pen = QtGui.QPen(colour, max(4.0, vw / 120))
        pen.setStyle(Qt.PenStyle.DashLine if self._state is FaceState.LOOKING
                     else Qt.PenStyle.SolidLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(oval)
        if self._image is None:  # a head and shoulders, where the citizen's face will be
            outline = QColor(255, 255, 255, 90)
            p.setPen(QtGui.QPen(outline, max(3.0, vw / 160)))
            head = QRectF(oval.center().x() - oval.width() * 0.32, oval.top() + oval.height()
                          * 0.14, oval.width() * 0.64, oval.height() * 0.62)
            p.drawEllipse(head)
            p.drawArc(QRectF(oval.center().x() - oval.width() * 0.9, oval.bottom() - vh * 0.04,
                             oval.width() * 1.8, vh * 0.5), 20 * 16, 140 * 16)
        p.end()


class FacePage(QWidget):
    """The page; its buttons become the panel's intents."""

    retry = Signal()
    other_way = Signal()
    call_staff = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("face_page")
        self._code = ""
        self._update: FaceUpdate | None = None
        self.window_text = ""
        self.masked = ""
        col = QVBoxLayout(self)
        col.setContentsMargins(24, 16, 24, 16)
        col.setSpacing(16)
        self.headline = label(role="title", wrap=True)
        self.headline.setObjectName("face_headline")
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.camera = mark_personal(CameraView())  # the citizen's face
        self.progress = QProgressBar()
        self.progress.setObjectName("face_progress")
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(14)
        row = QHBoxLayout()
        self.attempt = label(role="subtitle")
        self.attempt.setObjectName("face_attempt")
        self.who = label(role="subtitle")
        self.who.setObjectName("face_who")
        mark_personal(self.who)
        row.addWidget(self.attempt, 1)
        row.addWidget(self.who, 0, Qt.AlignmentFlag.AlignRight)
        card = QFrame()
        card.setProperty("role", "card")
        box = QVBoxLayout(card)
        box.setContentsMargins(24, 16, 24, 16)
        self.hint = label(wrap=True)
        self.hint.setObjectName("face_hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.hint)
        self.hint_card = card
        self.retry_button = button(role="primary", name="face_retry")
        self.retry_button.clicked.connect(self.retry.emit)
        self.staff_button = button(role="primary", name="face_call_staff")
        self.staff_button.clicked.connect(self.call_staff.emit)
        self.other_button = button(role="nav", name="face_other_way")
        self.other_button.clicked.connect(self.other_way.emit)
        col.addWidget(self.headline)
        col.addWidget(self.camera, 1)
        col.addWidget(self.progress)
        col.addLayout(row)
        col.addWidget(card)
        for b in (self.retry_button, self.staff_button, self.other_button):
            col.addWidget(b)
        self.retranslate()

    @property
    def code(self) -> str:
        return self._code

    def show_update(self, update: FaceUpdate) -> None:
        self._update = update
        self._code = update.code
        self.camera.show_frame(update.frame, update.state)
        self.retranslate()

    def clear(self) -> None:
        self._update = None
        self._code = ""
        self.masked = ""
        self.camera.clear()
        self.retranslate()

    def retranslate(self) -> None:
        u = self._update
        headline, hint = face_texts(self._code, self.window_text)
        self.headline.setText(headline)
        self.hint.setText(hint)
        self.hint_card.setVisible(bool(hint))
        state = u.state if u is not None else None
        self.progress.setVisible(state in (FaceState.LOOKING, FaceState.CHECKING,
                                           FaceState.PASSED))
        self.progress.setValue(round((u.progress if u else 0) * 100))
        self.attempt.setText(translate("FaceCheck", "Try {n} of {total}").format(
            n=u.attempt, total=u.attempts) if u is not None and state not in (
                FaceState.UNAVAILABLE, FaceState.PASSED) else "")
        self.who.setText(translate("FaceCheck", "ID: {masked}").format(masked=self.masked)
                         if self.masked else "")
        self.retry_button.setText(translate("FaceCheck", "Try again"))
        self.retry_button.setVisible(state is FaceState.FAILED)
        self.staff_button.setText(translate("FaceCheck", "Call a member of staff"))
        self.staff_button.setVisible(state in (FaceState.LOCKED, FaceState.UNAVAILABLE))
        self.other_button.setText(translate("FaceCheck", "Use another way"))
        self.other_button.setVisible(state is not FaceState.PASSED)
