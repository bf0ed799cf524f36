"""The identify step: an ID card on the reader, a QR code at the scanner, or the number typed on
the on-screen pad. Whichever comes first identifies the citizen (`identified(Identity)`).

The panel shows only the methods the flow allows. The card reader is watched off the UI thread
by the core's `CardWatch` (kiosk.devices.card_watch), which publishes each new code on the bus;
the panel says each in plain words with what to do next. With no reader, or a reader that stops answering, the panel says so and offers
the number pad directly. QR codes arrive through `scan(text)` (the flow screen connects the
keyboard-wedge filter, screens.widgets.wedge, to it).

For an item that shows personal data (`verified`) a number alone is not enough: the pad is not
offered (unless a staff member attends), a QR code must be an e-credential, and a card read is
followed by the face check (`screens.widgets.face.FacePage`, run by the core's `FaceWatch` on
its own thread): the card's identity leaves the panel only once the face matched. After three
failed tries the page sends the citizen to the staffed window or lets them call staff
(`staff_requested`).

Nothing of the citizen stays on the panel: only the face page shows the masked number, and
`stop()` clears the pad, the face check and every message.
"""

from __future__ import annotations

from datetime import date

from kiosk.bus import Topic
from kiosk.devices.card_watch import CardWatch
from kiosk.devices.face import FaceState
from kiosk.devices.face_watch import FaceWatch
from kiosk.devices.idcard import IdCardReader
from kiosk.identity import Identity, IdMethod, InvalidIdentity, identity_from_qr
from protocol import E_CREDENTIAL_PREFIX
from screens.qt import (
    QColor,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPainter,
    QRectF,
    QSize,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QtGui,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)
from screens.widgets.chrome import button, label, touch_scroll_area
from screens.widgets.face import FacePage
from screens.widgets.numpad import IdNumberPad

OFFLINE_CODE = "id.card.reader_offline"
NO_FACE_CHECK = "id.card.no_face_check"  # a verified item, and the camera cannot be used
# Wide enough for the card column and the pad side by side (landscape screens).
SIDE_BY_SIDE_MIN_WIDTH = 1400


def _fg(widget: QWidget) -> QColor:
    return widget.palette().color(QtGui.QPalette.ColorRole.WindowText)


class CardIllustration(QLabel):
    """An ID card above the reader's field, in the theme's colours: it is styled as the hero
    text (primary colour), so elder mode's palette reaches the drawing too. While a card is
    being read it is drawn lying on the reader."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("identify_illustration")
        self.setProperty("role", "hero")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(150)
        self._on_reader = False

    def sizeHint(self) -> QSize:
        # as small as it may be: it grows into whatever room the words leave (a larger hint
        # would make the scroll area ask for more height than the screen has)
        return QSize(480, self.minimumHeight())

    def set_on_reader(self, on: bool) -> None:
        if on != self._on_reader:
            self._on_reader = on
            self.update()

    def paintEvent(self, _event) -> None:
        fg = _fg(self)
        h = float(self.height())
        w = min(float(self.width()), h * 1.5)
        x0 = (self.width() - w) / 2
        line = max(3.0, h / 70)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QtGui.QPen(fg, line)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        # the reader: a flat box with its field marked by waves
        reader = QRectF(x0 + w * 0.12, h * 0.66, w * 0.76, h * 0.30)
        p.setPen(pen)
        fill = QColor(fg)
        fill.setAlpha(28)
        p.setBrush(fill)
        p.drawRoundedRect(reader, h * 0.04, h * 0.04)
        cx, cy = reader.center().x(), reader.center().y()
        p.setBrush(Qt.BrushStyle.NoBrush)
        for i in (1, 2, 3):
            r = h * 0.035 * i
            arc = QRectF(cx - r, cy - r, 2 * r, 2 * r)
            p.drawArc(arc, 35 * 16, 110 * 16)
            p.drawArc(arc, 215 * 16, 110 * 16)
        # the card: held above the reader, or lying on it while it is read
        cw, ch = w * 0.46, h * 0.42
        top = h * 0.42 if self._on_reader else h * 0.04
        card = QRectF(cx - cw / 2, top, cw, ch)
        solid = QColor(fg)
        solid.setAlpha(60)
        p.setBrush(solid)
        p.drawRoundedRect(card, h * 0.03, h * 0.03)
        p.setBrush(Qt.BrushStyle.NoBrush)
        # the front of a card: name, sex, birth and address on the left, the photo on the
        # right, the number along the bottom
        photo = QRectF(card.right() - cw * 0.32, card.top() + ch * 0.12, cw * 0.22, ch * 0.52)
        p.drawRect(photo)
        for i, (y, end) in enumerate(((0.22, 0.52), (0.36, 0.52), (0.50, 0.52), (0.82, 0.90))):
            yy = card.top() + ch * y
            p.drawLine(int(card.left() + cw * (0.10 if i < 3 else 0.30)), int(yy),
                       int(card.left() + cw * end), int(yy))
        if not self._on_reader:  # an arrow: down onto the reader
            ax = cx
            y1, y2 = card.bottom() + h * 0.04, reader.top() - h * 0.04
            p.drawLine(int(ax), int(y1), int(ax), int(y2))
            head = h * 0.04
            p.drawLine(int(ax - head), int(y2 - head), int(ax), int(y2))
            p.drawLine(int(ax + head), int(y2 - head), int(ax), int(y2))
        p.end()


class ScanIcon(QLabel):
    """A small "scan me" mark beside the QR line: corner brackets around a few modules."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("role", "hero")
        self.setFixedSize(72, 72)

    def paintEvent(self, _event) -> None:
        fg = _fg(self)
        s = float(min(self.width(), self.height()))
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QtGui.QPen(fg, max(3.0, s / 18)))
        m, arm = s * 0.08, s * 0.26
        for x, y, dx, dy in ((m, m, 1, 1), (s - m, m, -1, 1), (m, s - m, 1, -1),
                             (s - m, s - m, -1, -1)):
            p.drawLine(int(x), int(y), int(x + dx * arm), int(y))
            p.drawLine(int(x), int(y), int(x), int(y + dy * arm))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fg)
        cell = s * 0.12
        for i, j in ((0, 0), (2, 0), (1, 1), (0, 2), (2, 2), (1, 2)):
            p.drawRect(QRectF(s * 0.32 + i * cell, s * 0.32 + j * cell, cell * 0.9, cell * 0.9))
        p.end()


def card_state_text(code: str) -> str:
    """The short headline for each card-reading code."""
    if code == "id.card.waiting":
        return translate("IdentifyPanel", "Waiting for your card")
    if code == "id.card.reading":
        return translate("IdentifyPanel", "Reading your card…")
    if code == "id.card.ok":
        return translate("IdentifyPanel", "Your card has been read")
    if code == "id.card.timeout":
        return translate("IdentifyPanel", "The card reader did not respond")
    if code == "id.card.removed_during_read":
        return translate("IdentifyPanel", "The card was moved too soon")
    if code == "id.card.partial_read":
        return translate("IdentifyPanel", "The card was not read completely")
    if code == "id.card.unreadable":
        return translate("IdentifyPanel", "This card could not be read")
    if code == "id.card.expired":
        return translate("IdentifyPanel", "This ID card has expired")
    if code == OFFLINE_CODE:
        return translate("IdentifyPanel", "The card reader is not working")
    if code == NO_FACE_CHECK:
        return translate("IdentifyPanel", "The ID card cannot be used for this service here now")
    return ""


def card_hint_text(code: str, manual: bool, qr: bool, face: bool = False) -> str:
    """What to do next, in plain words; `manual` and `qr` say which other ways are offered,
    `face` that a face check follows the card."""
    if code == "id.card.waiting" and face:
        return translate("IdentifyPanel", "Lay the card flat on the reader and leave it there "
                         "until it has been read. Then look at the camera: your face is "
                         "compared with the photo on the card.")
    if code == "id.card.waiting":
        return translate("IdentifyPanel", "Lay the card flat on the reader and leave it there "
                         "until it has been read.")
    if code == NO_FACE_CHECK:
        return translate("IdentifyPanel", "The camera for the face check is not working. "
                         "Please show the e-credential QR code from your government services "
                         "app, or go to the staffed window.")
    if code == "id.card.reading":
        return translate("IdentifyPanel", "Please keep the card still.")
    if code == "id.card.ok":
        return translate("IdentifyPanel", "Thank you. Please remember to take your card with "
                         "you.")
    if code == "id.card.timeout":
        return translate("IdentifyPanel", "Please take the card away, wait a moment, then place "
                         "it on the reader again.")
    if code in ("id.card.removed_during_read", "id.card.partial_read"):
        return translate("IdentifyPanel", "Please place the card steadily, do not move it, and "
                         "try again.")
    if code == "id.card.unreadable":
        if manual:
            return translate("IdentifyPanel", "Take the card away and place it again in the "
                             "middle of the reader. If it still does not work, type your ID "
                             "number instead.")
        return translate("IdentifyPanel", "Take the card away and place it again in the middle "
                         "of the reader. If it still does not work, please ask at the staffed "
                         "window.")
    if code == "id.card.expired":
        return translate("IdentifyPanel", "An expired card cannot be used here. Please use a "
                         "valid ID card, or ask at the staffed window.")
    if code == OFFLINE_CODE:
        if manual and qr:
            return translate("IdentifyPanel", "Please type your ID number below, or show your "
                             "electronic ID QR code.")
        if manual:
            return translate("IdentifyPanel", "Please type your ID number below.")
        if qr:
            return translate("IdentifyPanel", "Please show your electronic ID QR code to the "
                             "scanner.")
        return translate("IdentifyPanel", "Please ask at the staffed window. Sorry for the "
                         "trouble.")
    return ""


def qr_message_text(code: str) -> str:
    """Why a scanned code identified nobody (or that an e-credential is being checked)."""
    if not code:
        return ""
    if code == "id.credential.pending":
        return translate("IdentifyPanel", "Checking your e-credential…")
    if code == "id.credential.used":
        return translate("IdentifyPanel", "This e-credential QR code has been used already. "
                         "Please refresh it in your government services app and show the new "
                         "code.")
    if code == "id.credential.expired":
        return translate("IdentifyPanel", "This e-credential QR code has expired (it is valid "
                         "for one minute). Please refresh it in your app and show it again.")
    if code == "id.credential.invalid":
        return translate("IdentifyPanel", "This e-credential QR code is not valid. Please open "
                         "the e-credential in your government services app again, or use your "
                         "ID card.")
    if code == "id.credential.unreachable":
        return translate("IdentifyPanel", "The e-credential cannot be checked right now. Please "
                         "try again in a moment, use your ID card, or go to the staffed window.")
    if code == "id.qr.unrecognised":
        return translate("IdentifyPanel", "This QR code is not an electronic ID. Please open the "
                         "QR code of your electronic ID card and hold it to the scanner.")
    if code == "id.method_not_allowed":
        return translate("IdentifyPanel", "A QR code cannot be used for this service. Please "
                         "use one of the ways shown on the screen.")
    if code == "id.not_verified":
        return translate("IdentifyPanel", "This QR code only shows an ID number, which is not "
                         "enough to open your records. Please use your ID card, or the "
                         "e-credential QR code in your government services app.")
    return translate("IdentifyPanel", "The ID number in this QR code is not valid. Please use "
                     "your ID card, or type the number.")


class IdentifyPanel(QWidget):
    identified = Signal(object)  # kiosk.identity.Identity
    staff_requested = Signal()  # the face check failed three times, or cannot be done
    credential_scanned = Signal(str)  # an e-credential QR: the backend exchanges it

    def __init__(self, reader: IdCardReader | None, parent: QWidget | None = None, *,
                 today: date | None = None, watch: CardWatch | None = None,
                 face_watch: FaceWatch | None = None):
        """`watch`: the core's `CardWatch` over the reader, which polls it on its own thread and
        publishes what it sees on the bus. Without one (a panel on its own, in tests) the
        panel makes a watch without a thread, and `poll()` looks at the reader. `face_watch`:
        the core's face check (None: an ID card cannot verify anyone here)."""
        super().__init__(parent)
        self.setObjectName("IdentifyPanel")
        self.reader = reader
        if watch is None and reader is not None:
            from kiosk.bus import Bus

            watch = CardWatch(reader, Bus(), today=today, thread=False)
        self.watch = watch
        if watch is not None:
            watch.bus.subscribe(Topic.CARD, self._published)
        self.face_watch = face_watch
        if face_watch is not None:
            face_watch.bus.subscribe(Topic.FACE, self._face_published)
        self._face = False  # the face page is showing
        self._today = today
        self._methods: tuple[IdMethod, ...] = ()
        self._verified = False  # only a verified identity is taken (docs/decisions/0018)
        self._attended = False  # a staff member attends: they confirm the card
        self._active = False
        self._card_code = ""  # the reader's last code, "" when no card method is shown
        self._qr_code = ""  # why the last scan identified nobody
        self._pad_revealed = False
        self._side_by_side = False


        # -- the methods column ----------------------------------------------------------
        self.methods_column = QWidget()
        col = QVBoxLayout(self.methods_column)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(16)
        self.prompt = label(role="title", wrap=True)
        self.prompt.setObjectName("identify_prompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.illustration = CardIllustration()

        self.card_box = QFrame()
        self.card_box.setProperty("role", "card")
        self.card_box.setObjectName("identify_card_box")
        box = QVBoxLayout(self.card_box)
        box.setContentsMargins(24, 16, 24, 16)
        box.setSpacing(8)
        self.card_state = label(role="section", wrap=True)
        self.card_state.setObjectName("identify_card_state")
        self.card_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card_hint = label(wrap=True)
        self.card_hint.setObjectName("identify_card_hint")
        self.card_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.card_state)
        box.addWidget(self.card_hint)

        self.qr_row = QWidget()
        qr = QHBoxLayout(self.qr_row)
        qr.setContentsMargins(0, 0, 0, 0)
        qr.setSpacing(16)
        self.scan_icon = ScanIcon()
        self.qr_line = label(role="subtitle", wrap=True)
        self.qr_line.setObjectName("identify_qr_line")
        qr.addWidget(self.scan_icon)
        qr.addWidget(self.qr_line, 1)
        self.qr_message = label(wrap=True)
        self.qr_message.setObjectName("identify_qr_message")
        self.qr_message.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.manual_button = button(role="primary", name="identify_manual")
        self.manual_button.clicked.connect(self._toggle_pad)

        col.addWidget(self.prompt)
        col.addWidget(self.illustration, 1)
        col.addWidget(self.card_box)
        col.addWidget(self.qr_row)
        col.addWidget(self.qr_message)
        col.addWidget(self.manual_button)

        # -- the pad -----------------------------------------------------------------------
        self.pad = IdNumberPad(today=today)
        self.pad.confirmed.connect(self._on_pad_confirmed)

        # Everything is laid out to fit; the scroll area is only a safety net (elder mode's
        # pad is taller than a landscape screen).
        self.content = QWidget()
        self.content.setObjectName("identify_content")
        self._body = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.Direction.TopToBottom,
                                          self.content)
        self._body.setContentsMargins(24, 16, 24, 16)
        self._body.setSpacing(24)
        self._body.addWidget(self.methods_column, 1)
        self._body.addWidget(self.pad, 0)
        self.scroll = touch_scroll_area(self.content)
        # -- the face check ------------------------------------------------------------------
        self.face_page = FacePage()
        self.face_page.retry.connect(self._face_retry)
        self.face_page.other_way.connect(self._face_other_way)
        self.face_page.call_staff.connect(self.staff_requested.emit)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.scroll)
        self.stack.addWidget(self.face_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self._arrange()
        self.retranslate()

    def __repr__(self) -> str:
        return (f"IdentifyPanel(active={self._active}, methods={[m.value for m in self._methods]}, "
                f"card={self._card_code or '-'}, face={self.face_code or '-'})")

    # -- the flow screen's API ---------------------------------------------------------------
    @property
    def methods(self) -> tuple[IdMethod, ...]:
        return self._methods

    @property
    def active(self) -> bool:
        return self._active

    @property
    def card_code(self) -> str:
        """The card reader's last code (``id.card.*``), "" when the card is not offered."""
        return self._card_code

    @property
    def qr_code(self) -> str:
        """Why the last scanned code identified nobody ("" if it did, or none came)."""
        return self._qr_code

    @property
    def pad_visible(self) -> bool:
        return self._pad_shown()

    @property
    def face_active(self) -> bool:
        """The face page shows (a card was read for a verified item)."""
        return self._face

    @property
    def face_code(self) -> str:
        """The face check's last code (``face.*``), "" when it is not shown."""
        return self.face_page.code if self._face else ""

    @property
    def staffed_window(self) -> str:
        return self.face_page.window_text

    @staffed_window.setter
    def staffed_window(self, text: str) -> None:
        """Where the face page sends a citizen it cannot verify."""
        self.face_page.window_text = text
        self.face_page.retranslate()

    @property
    def verified(self) -> bool:
        """Only a verified identity is taken (a verified item outside attended mode)."""
        return self._verified

    def start(self, methods: tuple[IdMethod, ...], *, verified: bool = False,
              attended: bool = False) -> None:
        """Offer `methods` (a flow's identify step) and start looking for a card. `verified`:
        the item takes only a verified identity, so a QR code that only carries a number is
        refused here already; `attended`: a staff member confirms the card."""
        self.stop()
        self._methods = tuple(IdMethod(m) for m in methods)
        self._verified = verified and not attended
        self._attended = attended
        self._active = True
        if IdMethod.ID_CARD in self._methods:
            if self._verified and (self.face_watch is None or not self.face_watch.available()):
                self._card_code = NO_FACE_CHECK  # a card alone would not do: not offered
            elif self.watch is None:
                self._card_code = OFFLINE_CODE
            else:
                self._card_code = self.watch.start().code
            if self._card_code == OFFLINE_CODE and IdMethod.MANUAL in self._methods:
                self._pad_revealed = True  # no card today: the pad at once
        self._refresh()

    def stop(self) -> None:
        """Stop looking and forget everything: the pad, every message, the reading, the face
        check (its identity wiped, the photo dropped)."""
        if self.watch is not None and self._active:
            self.watch.stop()
        self._stop_face()
        self._active = False
        self._methods = ()
        self._verified = self._attended = False
        self._card_code = ""
        self._qr_code = ""
        self._pad_revealed = False
        self.pad.reset()
        self._refresh()

    def scan(self, text: str) -> None:
        """A code from the QR scanner. Its text is used once and not kept. An e-credential
        (`protocol.E_CREDENTIAL_PREFIX`) is not read here: it goes out for the backend to
        exchange (`credential_scanned`), and `show_exchange()` says how that went."""
        if not self._active:
            return
        if IdMethod.QR not in self._methods:
            self._qr_code = "id.method_not_allowed"
        elif text.strip().startswith(E_CREDENTIAL_PREFIX):
            self._qr_code = ""
            self._refresh()
            self.credential_scanned.emit(text.strip())
            return
        else:
            try:
                identity = identity_from_qr(text, today=self._today)
            except InvalidIdentity as e:
                self._qr_code = e.code
            else:
                if not self._verified:
                    self._finish(identity)
                    return
                identity.clear()  # a number alone opens nobody's records
                self._qr_code = "id.not_verified"
        self._refresh()

    def show_exchange(self, pending: bool, code: str) -> None:
        """The e-credential exchange (the flow driver's `exchange`): under way, or why not."""
        shown = "id.credential.pending" if pending else code
        if shown != self._qr_code and (shown or self._qr_code.startswith("id.credential.")):
            self._qr_code = shown
            self._refresh()

    def poll(self) -> None:
        """Look at the reader now, in this thread (a panel without the core's watch thread:
        tests that drive the reader's clock)."""
        if self._face and self.face_watch is not None:
            face = self.face_watch.poll()
            if face is not None:
                self._apply_face(face)
            return
        if self._active and self.watch is not None:
            update = self.watch.poll()
            if update is not None:
                self._apply(update)

    def _published(self, payload) -> None:
        """What the watch thread saw, delivered on this thread by the bus."""
        generation, update = payload
        if self._active and self.watch is not None and self.watch.current(generation):
            self._apply(update)

    def _apply(self, update) -> None:
        if update.identity is not None:
            self._card_code = update.code
            if self._verified:  # the card alone is not enough: the face check first
                self._begin_face(update.identity, update.photo)
                return
            self._finish(update.identity)
            return
        code = update.code
        if code != self._card_code:
            self._card_code = code
            if code == OFFLINE_CODE and IdMethod.MANUAL in self._methods:
                self._pad_revealed = True
            self._refresh()

    def retranslate(self) -> None:
        self._refresh()
        self.face_page.retranslate()

    # -- the face check ------------------------------------------------------------------------
    def _begin_face(self, identity, photo) -> None:
        """A card was read for a verified item: the face check takes the identity over."""
        if self.watch is not None:
            self.watch.stop()
        if self.face_watch is None:  # cannot happen: the card is not offered then
            identity.clear()
            return
        self._face = True
        self.face_page.masked = identity.masked
        self.stack.setCurrentWidget(self.face_page)
        self._apply_face(self.face_watch.start(identity, photo))

    def _face_published(self, payload) -> None:
        generation, update = payload
        if self._face and self.face_watch is not None and self.face_watch.current(generation):
            self._apply_face(update)

    def _apply_face(self, update) -> None:
        self.face_page.show_update(update)
        if update.state is FaceState.PASSED and update.identity is not None:
            self._finish(update.identity)

    def _face_retry(self) -> None:
        if self._face and self.face_watch is not None:
            update = self.face_watch.retry()
            if update is not None:
                self._apply_face(update)

    def _face_other_way(self) -> None:
        """Back to the ways of identifying (the e-credential QR code, another card)."""
        if self._active:
            self.start(self._methods, verified=self._verified, attended=self._attended)

    def _stop_face(self) -> None:
        if self._face and self.face_watch is not None:
            self.face_watch.stop()
        self._face = False
        self.face_page.clear()
        self.stack.setCurrentWidget(self.scroll)

    # -- inside --------------------------------------------------------------------------------
    def _card_usable(self) -> bool:
        return IdMethod.ID_CARD in self._methods and \
            self._card_code not in ("", OFFLINE_CODE, NO_FACE_CHECK)

    def _pad_shown(self) -> bool:
        if IdMethod.MANUAL not in self._methods:
            return False
        # no card to read: the pad at once (beside the QR line, if codes are allowed too)
        return self._side_by_side or self._pad_revealed or not self._card_usable()

    def _finish(self, identity: Identity) -> None:
        self._active = False
        if self.watch is not None:
            self.watch.stop()
        if self._face:  # the face check handed the identity over: nothing of it stays here
            self._face = False
            self.face_page.clear()
            self.stack.setCurrentWidget(self.scroll)
        self._qr_code = ""
        self.pad.reset()
        self._refresh()
        self.identified.emit(identity)

    def _on_pad_confirmed(self, identity: Identity) -> None:
        if self._active and IdMethod.MANUAL in self._methods:
            self._finish(identity)
        else:
            identity.clear()

    def _toggle_pad(self) -> None:
        self._pad_revealed = not self._pad_revealed
        if not self._pad_revealed:
            self.pad.reset()
        self._refresh()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        wide = self.width() >= SIDE_BY_SIDE_MIN_WIDTH and self.width() > self.height()
        if wide != self._side_by_side:
            self._side_by_side = wide
            self._arrange()
        self._refresh()

    def _arrange(self) -> None:
        d = QtWidgets.QBoxLayout.Direction
        self._body.setDirection(d.LeftToRight if self._side_by_side else d.TopToBottom)
        self._body.setStretchFactor(self.pad, 1 if self._side_by_side else 0)

    def _portrait_pad(self) -> bool:
        return self._pad_shown() and not self._side_by_side

    def _refresh(self) -> None:
        m = self._methods
        manual, qr, card = IdMethod.MANUAL in m, IdMethod.QR in m, IdMethod.ID_CARD in m
        usable = self._card_usable()
        pad = self._pad_shown()
        if usable and not self._portrait_pad():
            self.prompt.setText(translate("IdentifyPanel", "Please place your ID card on the "
                                          "reader"))
        elif manual:
            self.prompt.setText(translate("IdentifyPanel", "Please type your ID number"))
        elif qr and self._verified:
            self.prompt.setText(translate("IdentifyPanel", "Please show the e-credential QR "
                                          "code from your government services app"))
        elif qr:
            self.prompt.setText(translate("IdentifyPanel", "Please show your electronic ID QR "
                                          "code"))
        else:
            self.prompt.setText("")
        self.prompt.setVisible(bool(m))
        self.illustration.setAccessibleName(self.prompt.text())
        # the picture gives way to the pad on a tall screen: the pad needs the height
        self.illustration.setVisible(usable and not self._portrait_pad())
        self.illustration.set_on_reader(self._card_code == "id.card.reading")
        self.card_box.setVisible(card and bool(self._card_code))
        self.card_state.setText(card_state_text(self._card_code))
        self.card_hint.setText(card_hint_text(self._card_code, manual, qr, self._verified))
        self.qr_row.setVisible(qr)
        if self._verified and usable:
            self.qr_line.setText(translate("IdentifyPanel", "Or show the e-credential QR code "
                                           "in your government services app (hold it to the "
                                           "scanner)"))
        elif usable or manual:
            self.qr_line.setText(translate("IdentifyPanel", "Or show your electronic ID QR code "
                                           "(hold it to the scanner)"))
        else:
            self.qr_line.setText(translate("IdentifyPanel", "Hold the QR code to the scanner "
                                           "window"))
        self.qr_message.setText(qr_message_text(self._qr_code))
        self.qr_message.setVisible(bool(self._qr_code))
        # the button reveals the pad, and hides it again to bring the card picture back
        self.manual_button.setVisible(manual and usable and not self._side_by_side)
        self.manual_button.setText(
            translate("IdentifyPanel", "Use the ID card instead") if pad
            else translate("IdentifyPanel", "Type the ID number by hand"))
        self.pad.setVisible(pad)
        self._body.setStretchFactor(self.methods_column, 0 if self._portrait_pad() else 1)
        if not self._side_by_side:
            self._fit()

    def _fit(self) -> None:
        """A tall screen shows everything without scrolling. With the pad, the pad and the
        prompt always show, the rest most useful first as long as it fits; without it, the
        picture gives way if the messages need its room."""
        width = max(1, self.width() - 48)
        spacing = self.methods_column.layout().spacing()
        room = self.height() - 32  # the body's margins
        parts = (self.card_box, self.qr_row, self.qr_message, self.manual_button)
        if not self._portrait_pad():
            if self.illustration.isHidden():
                return
            for w in (self.prompt, *parts):
                if not w.isHidden():
                    room -= _height(w, width) + spacing
            self.illustration.setVisible(room >= self.illustration.minimumHeight())
            return
        room -= self._body.spacing() + _height(self.pad, width) + _height(self.prompt, width)
        notable = self._card_code not in ("", "id.card.waiting")
        order = [(self.card_box, notable), (self.qr_message, True),
                 (self.manual_button, True), (self.qr_row, True),
                 (self.card_box, not notable)]
        wanted = [w for w, first in order if first and not w.isHidden()]
        for w in parts:
            w.setVisible(False)
        for w in wanted:
            h = _height(w, width) + spacing
            if h <= room:
                w.setVisible(True)
                room -= h


def _height(w: QWidget, width: int) -> int:
    h = w.heightForWidth(width) if w.hasHeightForWidth() else -1
    return h if h >= 0 else w.sizeHint().height()
