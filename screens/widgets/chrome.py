"""The parts of the window around the screens: status bar, navigation bar, countdown overlay."""

from __future__ import annotations

from datetime import datetime, timezone

from kiosk.language import NATIVE_NAMES
from protocol import LOCAL_TZ
from screens.i18n import data
from screens.qt import (
    QEvent,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)

# A widget that shows a citizen's personal data (a name, an ID number, a face, a document
# with both) carries this dynamic property: remote view paints it over before a frame leaves
# the terminal (screens/remote_view.py, docs/decisions/0021).
PERSONAL = "personal"


def mark_personal(widget: QWidget) -> QWidget:
    widget.setProperty(PERSONAL, True)
    return widget


def repolish(*widgets: QWidget) -> None:
    """The stylesheet applied again after a dynamic property it selects on changed. A widget
    not polished yet is left as it is: it is polished, with the property's new value, when
    first shown (and a start does not make Qt's QStyle enums for nothing, issue 14)."""
    for w in widgets:
        if w.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
            w.style().unpolish(w)
            w.style().polish(w)


def label(text: str = "", role: str | None = None, wrap: bool = False) -> QLabel:
    w = QLabel(text)
    if role:
        w.setProperty("role", role)
    w.setWordWrap(wrap)
    w.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return w


class WrapButton(QPushButton):
    """A push button whose text wraps onto several lines (long Chinese item names on tiles)."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._label = QLabel(self)
        self._label.setWordWrap(True)
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._label.setObjectName("WrapButtonLabel")
        # an icon above the words (tiles, departments: screens/icons.py), when one is set
        self._icon = QLabel(self)
        self._icon.setObjectName("WrapButtonIcon")
        self._icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._icon.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._icon.hide()
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 6)
        box.setSpacing(4)
        box.addStretch(1)
        box.addWidget(self._icon)
        box.addWidget(self._label)
        box.addStretch(1)
        self.setText(text)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)  # a row of tiles: one height
        self.setSizePolicy(policy)

    # The button grows to hold its wrapped text (a long English department name, elder mode's
    # larger type): Qt's button size hint knows nothing of the label inside.
    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt naming
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt naming
        m = self.layout().contentsMargins()
        inner = self._label.heightForWidth(width - m.left() - m.right())
        if inner < 0:
            inner = self._label.sizeHint().height()
        if not self._icon.isHidden():
            inner += self._icon.sizeHint().height() + self.layout().spacing()
        return max(inner + m.top() + m.bottom(), self.minimumHeight(),
                   super().sizeHint().height())

    def sizeHint(self):  # noqa: N802 - Qt naming
        hint = super().sizeHint()
        hint.setHeight(self.heightForWidth(max(hint.width(), self.width())))
        return hint

    def minimumSizeHint(self):  # noqa: N802 - Qt naming
        hint = super().minimumSizeHint()
        hint.setHeight(max(hint.height(), self.heightForWidth(max(hint.width(), self.width()))))
        return hint

    def setText(self, text: str) -> None:  # noqa: N802 - Qt naming
        self._label.setText(text)
        self.setAccessibleName(text)
        self.updateGeometry()

    def text(self) -> str:
        return self._label.text()

    def label(self) -> QLabel:
        return self._label

    def set_icon(self, pixmap) -> None:
        """An icon above the text (None: none)."""
        if pixmap is None:
            self._icon.clear()
            self._icon.hide()
        else:
            self._icon.setPixmap(pixmap)
            self._icon.show()
        self.updateGeometry()


def button(text: str = "", role: str | None = None, name: str | None = None,
           wrap: bool = False) -> QPushButton:
    b = WrapButton(text) if wrap else QPushButton(text)
    if role:
        b.setProperty("role", role)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if name:
        b.setObjectName(name)
    return b


def touch_scroll_area(content: QWidget) -> QScrollArea:
    """A scroll area that scrolls by dragging a finger, as a touch screen expects."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(content)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Touch drags scroll; taps still reach the buttons (a mouse-button gesture would
    # swallow quick clicks on them).
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    return area


class StatusBar(QFrame):
    """Time, terminal id and place, network and device indicators."""

    def __init__(self, terminal_id: str, place: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("role", "bar")
        self.setObjectName("StatusBar")
        # Two rows, so nothing is cut at any size: time and where the terminal stands (wrapping
        # when the place is long), then the network and printer indicators.
        col = QVBoxLayout(self)
        col.setContentsMargins(24, 6, 24, 6)
        col.setSpacing(2)
        top, bottom = QHBoxLayout(), QHBoxLayout()
        col.addLayout(top)
        col.addLayout(bottom)
        self.clock = label()
        self._terminal_id, self._place = terminal_id, place
        self.terminal = label(f"{terminal_id} · {place}", wrap=True)
        self.terminal.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.network = label(role="indicator", wrap=True)
        self.devices = label(role="indicator", wrap=True)
        top.addWidget(self.clock, 0, Qt.AlignmentFlag.AlignTop)
        top.addSpacing(24)
        top.addWidget(self.terminal, 1)
        bottom.addWidget(self.network, 1)
        bottom.addSpacing(24)
        bottom.addWidget(self.devices, 1)
        for lbl in (self.terminal, self.network, self.devices):
            lbl.installEventFilter(self)
        self._network_state = "local"
        self.tick()
        self.retranslate()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        # Nested box layouts do not pass a wrapped label's height-for-width up: each label
        # gets the height its text needs at the width it got (the place wraps, never cut).
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit(obj)
        return False

    @staticmethod
    def _fit(lbl) -> None:
        # A label's height for a width never goes below its minimum height: lift the minimum
        # before asking, or the bar keeps elder mode's three lines after it is switched off.
        old = lbl.minimumHeight()
        lbl.setMinimumHeight(0)
        need = lbl.heightForWidth(lbl.width())
        lbl.setMinimumHeight(need if need > 0 else old)

    def tick(self) -> None:
        self.clock.setText(datetime.now(LOCAL_TZ).strftime("%Y-%m-%d %H:%M"))

    def set_printer_status(self, status) -> None:
        """status: the receipt printer's DeviceStatus, or None when there is none."""
        self._printer_status = status
        self.retranslate()

    def set_sync_status(self, status) -> None:
        """status: kiosk.sync.worker.SyncStatus, or None when the terminal has no backend."""
        self._sync_status = status
        self.retranslate()

    def _sync_text(self) -> str:
        st = getattr(self, "_sync_status", None)
        if st is None:
            return translate("StatusBar", "● Catalog: on this terminal")
        state = str(st.state)
        if state == "connected":
            text = translate("StatusBar", "● Online")
            if st.last_sync_at is not None:
                local = st.last_sync_at.replace(tzinfo=timezone.utc).astimezone(LOCAL_TZ)
                text += translate("StatusBar", " · synced {time}").format(time=local.strftime("%H:%M"))
        elif state == "connecting":
            text = translate("StatusBar", "● Connecting…")
        elif state == "offline":
            text = translate("StatusBar", "● Offline")
        elif state == "not_enrolled":
            text = translate("StatusBar", "● Not enrolled")
        else:
            text = translate("StatusBar", "● Service problem")
        pending = st.pending  # a plain name: lupdate reads %n only from one
        if pending:
            text += translate("StatusBar", " · %n to send", "", pending)
        return text

    def retranslate(self) -> None:
        self.terminal.setText(f"{self._terminal_id} · {data(self._place)}")
        self.network.setText(self._sync_text())
        self.network.setAccessibleName(translate("StatusBar", "Network status"))
        status = getattr(self, "_printer_status", None)
        if status is None:
            text = translate("StatusBar", "● Printer: none")
        elif status.reason == "paper_near_end":
            text = translate("StatusBar", "● Printer: paper low")
        elif status.usable:
            text = translate("StatusBar", "● Printer: ready")
        elif status.reason == "paper_out":
            text = translate("StatusBar", "● Printer: out of paper")
        else:
            text = translate("StatusBar", "● Printer: not working")
        self.devices.setText(text)
        self.devices.setAccessibleName(translate("StatusBar", "Device status"))
        for lbl in (self.terminal, self.network, self.devices):
            self._fit(lbl)


CHECK = "✓ "


class NavBar(QFrame):
    """Back, home, end, elder mode and language: on every screen."""

    back = Signal()
    home = Signal()
    end = Signal()
    problem = Signal()
    help = Signal()  # 呼叫帮办 (kiosk.help)
    elder_toggled = Signal()
    voice_toggled = Signal()  # 语音 on/off (docs/decisions/0031)
    volume_pressed = Signal()  # the next volume step
    language_chosen = Signal(str)

    def __init__(self, languages: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("NavBar")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(16, 8, 16, 8)
        self._grid.setSpacing(12)
        self.back_button = button(role="nav", name="nav_back")
        self.home_button = button(role="nav", name="nav_home")
        self.end_button = button(role="nav", name="nav_end")
        self.problem_button = button(role="nav", name="nav_problem", wrap=True)
        self.problem_button.clicked.connect(self.problem)
        self.help_button = button(role="nav", name="nav_help", wrap=True)
        self.help_button.clicked.connect(self.help)
        self.elder_button = button(role="toggle", name="nav_elder")
        self.elder_button.setProperty("active", "false")
        self.back_button.clicked.connect(self.back)
        self.home_button.clicked.connect(self.home)
        self.end_button.clicked.connect(self.end)
        self.elder_button.clicked.connect(self.elder_toggled)
        self.voice_button = button(role="toggle", name="nav_voice")
        self.voice_button.setProperty("active", "false")
        self.voice_button.clicked.connect(self.voice_toggled)
        self.volume_button = button(role="nav", name="nav_volume")
        self.volume_button.clicked.connect(self.volume_pressed)
        self._volume = (0, 0)
        self.language_buttons: dict[str, QPushButton] = {}
        for lang in languages:
            b = button(role="toggle", name=f"nav_lang_{lang}")
            b.clicked.connect(lambda _=False, code=lang: self.language_chosen.emit(code))
            self.language_buttons[lang] = b
        self._two_rows: bool | None = None
        self.set_two_rows(False)
        self.retranslate()

    def set_two_rows(self, two: bool, *, narrow: bool = False) -> None:
        """Elder mode's larger buttons do not fit on one line in portrait: session controls on
        the first row, elder mode and language on the second."""
        if (two, narrow) == (self._two_rows, getattr(self, "_narrow", None)):
            return
        self._two_rows, self._narrow = two, narrow
        session = (self.back_button, self.home_button, self.end_button, self.help_button,
                   self.problem_button)
        look = (self.elder_button, self.voice_button, self.volume_button,
                *self.language_buttons.values())
        for b in (*session, *look):
            self._grid.removeWidget(b)
        for c in range(self._grid.columnCount()):
            self._grid.setColumnStretch(c, 0)
        if two:
            # The rows fill the width: the session buttons share the first evenly, the look
            # controls the second; `narrow` (portrait): elder mode, 语音 and the volume on the
            # second, the languages on a third (six of them in elder mode's words do not fit
            # 1080 px). A grid of 60 equally stretching columns: a row's buttons span equal parts.
            total = 60
            rows = [session, look[:3], look[3:]] if narrow else [session, look]
            for r, row in enumerate(rows):
                span = total // max(1, len(row))
                for i, b in enumerate(row):
                    self._grid.addWidget(b, r, i * span, 1, span)
            for c in range(total):
                self._grid.setColumnStretch(c, 1)
        else:
            for i, b in enumerate(session):
                self._grid.addWidget(b, 0, i)
            self._grid.setColumnStretch(len(session), 1)
            for i, b in enumerate(look):
                self._grid.addWidget(b, 0, len(session) + 1 + i)
        self._fit_one_row()

    def _fit_one_row(self) -> None:
        """On one row there is room: the wrapping buttons (办不成事, 呼叫帮办) keep their words
        on one line."""
        for b in (self.help_button, self.problem_button):
            if self._two_rows:
                b.setMinimumWidth(0)
            else:
                m = b.layout().contentsMargins()
                text = b.label().fontMetrics().horizontalAdvance(b.text())
                b.setMinimumWidth(text + m.left() + m.right() + 4)

    def set_session_controls(self, visible: bool, can_go_back: bool) -> None:
        self.back_button.setVisible(visible)
        self.home_button.setVisible(visible)
        self.end_button.setVisible(visible)
        self.help_button.setVisible(visible)  # every citizen screen, not the attract screen
        self.back_button.setEnabled(can_go_back)

    def set_state(self, elder: bool, language: str) -> None:
        self.elder_button.setProperty("active", "true" if elder else "false")
        for code, b in self.language_buttons.items():
            b.setProperty("active", "true" if code == language else "false")
        for b in (self.elder_button, *self.language_buttons.values()):
            repolish(b)
            # colour is never the only signal: the chosen one also carries a check mark
            text = b.text().removeprefix(CHECK)
            b.setText(CHECK + text if b.property("active") == "true" else text)

    def set_voice(self, on: bool, step: int, steps: int) -> None:
        """The 语音 switch and the volume step (1 to `steps`); no voice: both hidden."""
        self.voice_button.setVisible(steps > 0)
        self.volume_button.setVisible(steps > 0 and on)
        self.voice_button.setProperty("active", "true" if on else "false")
        repolish(self.voice_button)
        self._voice_check()
        self._volume = (step + 1, steps)
        self._volume_text()

    def _voice_check(self) -> None:
        """Colour is never the only signal: 语音 on carries a check mark too."""
        text = self.voice_button.text().removeprefix(CHECK)
        self.voice_button.setText(CHECK + text if self.voice_button.property("active") == "true"
                                  else text)

    def _volume_text(self) -> None:
        n, total = self._volume
        self.volume_button.setText(translate("NavBar", "Volume {n}/{total}").format(
            n=n, total=total))
        self.volume_button.setAccessibleName(translate("NavBar", "Louder (from the loudest "
                                                       "back to the softest)"))

    def retranslate(self) -> None:
        self.voice_button.setText(translate("NavBar", "Voice"))
        self._voice_check()
        self.voice_button.setAccessibleName(translate("NavBar", "Spoken guidance on or off"))
        self._volume_text()
        self.back_button.setText(translate("NavBar", "‹ Back"))
        self.home_button.setText(translate("NavBar", "Home"))
        self.end_button.setText(translate("NavBar", "Finish"))
        self.end_button.setAccessibleName(translate("NavBar", "Finish and clear everything"))
        self.problem_button.setText(translate("NavBar", "Report a problem"))
        self.help_button.setText(translate("NavBar", "Call staff"))
        self.help_button.setAccessibleName(translate("NavBar", "Call a staff member to help you"))
        self._fit_one_row()
        self.elder_button.setText(translate("NavBar", "Elder mode"))
        self.elder_button.setAccessibleName(translate("NavBar", "Large text and high contrast"))
        for code, b in self.language_buttons.items():  # each language in its own words
            b.setText(NATIVE_NAMES.get(code, code))


def overlay_card(overlay: QWidget, name: str, card_name: str) -> QVBoxLayout:
    """Make `overlay` a dimmed cover of its parent with a centred card; returns the card's
    column (the countdown, the remote-view consent)."""
    overlay.setObjectName(name)
    overlay.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    outer = QVBoxLayout(overlay)
    outer.addStretch(1)
    card = QFrame()
    card.setObjectName(card_name)
    inner = QVBoxLayout(card)
    inner.setContentsMargins(48, 48, 48, 48)
    inner.setSpacing(24)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(card, 4)
    row.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(1)
    return inner


class CountdownOverlay(QWidget):
    """"Still there?": covers the window while the idle countdown runs."""

    stay = Signal()

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        inner = overlay_card(self, "CountdownOverlay", "CountdownCard")
        self.title = label(role="title", wrap=True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.seconds = label(role="hero")
        self.seconds.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explain = label(wrap=True)
        self.explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stay_button = button(role="primary", name="countdown_stay")
        self.stay_button.clicked.connect(self.stay)
        for w in (self.title, self.seconds, self.explain, self.stay_button):
            inner.addWidget(w)
        self._remaining = 0
        self.hide()
        self.retranslate()

    def set_remaining(self, seconds: int) -> None:
        self._remaining = seconds
        self.seconds.setText(str(seconds))
        self.seconds.setAccessibleName(
            translate("CountdownOverlay", "%n second(s) left", "", seconds)
        )

    def retranslate(self) -> None:
        self.title.setText(translate("CountdownOverlay", "Are you still there?"))
        self.explain.setText(translate(
            "CountdownOverlay",
            "For your privacy, everything you entered will be cleared and the terminal will "
            "return to the start screen.",
        ))
        self.stay_button.setText(translate("CountdownOverlay", "I'm still here"))
