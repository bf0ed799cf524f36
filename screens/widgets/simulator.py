"""Demo only: a technician's tool window that plays the citizen and the devices.

Per demo citizen: lay their ID card on the simulated reader, show a QR code that only carries
their number (refused for personal items), or show an e-credential from their simulated phone
(a fresh code from the demo backend's admin endpoint, through the `phone` callable the root
supplies); codes are typed into the application as a keyboard-wedge scanner would, through the
`scan` callable the window supplies. Then the faults a real terminal meets: an expired card, the card taken away,
each read error, the reader unplugged and plugged back; with the simulated camera, who stands
before it for the face check (the card's holder, the default: the check passes by itself;
someone else; a photo held up; nobody) or the camera unplugged; and, with the virtual receipt
printer, paper out, cover open, paper low and back to normal.

The window (F12 in the kiosk window) is separate from the kiosk's and never takes the keyboard
focus, so a simulated scan reaches the kiosk like a real scanner's keys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from kiosk.devices.face import SimMode, SimulatedCamera
from kiosk.devices.idcard import Fault, IdCardData, SimulatedIdCardReader
from protocol import mask_id_number
from screens.qt import QFrame, QGridLayout, QLabel, Qt, QVBoxLayout, QWidget, translate
from screens.widgets.chrome import button, label

# A tool for the person giving the demo, not a kiosk screen: compact, whatever the theme.
COMPACT = """
QPushButton { font-size: 20px; min-height: 64px; padding: 0 12px; }
QLabel { font-size: 18px; }
"""

# A demo code that is no electronic ID (a web link): the panel must say so.
NOT_AN_ID_QR = "https://pay.example.cn/qr/8f3a2c"
CARD_YEARS_LEFT = 5  # a demo card is valid this much longer; from 46 years of age: 长期


def demo_citizens():
    """The demo's citizens, the same people the reference backend seeds."""
    from protocol.demo import DEMO_CITIZENS

    return DEMO_CITIZENS


def qr_text_for(id_number: str) -> str:
    """What a demo electronic-ID QR code carries: a key=value pair the terminal accepts."""
    return f"sfzh={id_number}"


def card_for(citizen, today: date) -> IdCardData:
    """A valid card for a demo citizen: 长期 (no expiry) from 46 years of age, else valid for
    a few years yet."""
    age = today.year - citizen.born.year
    until = None if age >= 46 else today + timedelta(days=365 * CARD_YEARS_LEFT)
    return IdCardData(citizen.id_number, citizen.name, until)


def expired_card_for(citizen, today: date) -> IdCardData:
    return IdCardData(citizen.id_number, citizen.name, today - timedelta(days=30))


class DemoSimulatorPanel(QWidget):
    def __init__(self, reader: SimulatedIdCardReader | None, scan: Callable[[str], None],
                 virtual_printer=None, parent: QWidget | None = None, *,
                 citizens: Sequence | None = None, today: date | None = None,
                 camera: SimulatedCamera | None = None,
                 phone: Callable[[str, Callable[[str], None]], None] | None = None):
        """`phone(id_number, then)`: asks for a fresh e-credential QR and calls `then(qr)` on
        this thread ("" when none came)."""
        super().__init__(parent)
        self.setObjectName("DemoSimulatorPanel")
        self.setWindowFlags(Qt.WindowType.Tool | Qt.WindowType.WindowDoesNotAcceptFocus
                            | Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.setStyleSheet(COMPACT)
        self.reader = reader
        self.camera = camera
        self.phone = phone
        self._scan = scan
        self.printer = virtual_printer
        self._today = today
        self.citizens = tuple(demo_citizens() if citizens is None else citizens)
        self.buttons: dict[str, QWidget] = {}
        self._texts: list[tuple[QWidget, Callable[[], str]]] = []

        col = QVBoxLayout(self)
        col.setContentsMargins(16, 16, 16, 16)
        col.setSpacing(10)
        self.title = self._label(lambda: translate("DemoSimulatorPanel",
                                                   "Demo simulator (not for citizens)"), "section")
        col.addWidget(self.title)

        # -- citizens ---------------------------------------------------------------------------
        col.addWidget(self._label(lambda: translate("DemoSimulatorPanel", "Demo citizens"), "small"))
        grid = QGridLayout()
        grid.setSpacing(8)
        for row, citizen in enumerate(self.citizens):
            who = label(f"{citizen.name} {mask_id_number(citizen.id_number)}", role="small")
            grid.addWidget(who, row, 0)
            place = self._button(f"card_{row}", lambda: translate("DemoSimulatorPanel",
                                                                  "Insert ID card"),
                                 lambda _=False, c=citizen: self.insert_card(c))
            qr = self._button(f"qr_{row}", lambda: translate("DemoSimulatorPanel",
                                                             "QR code: number only"),
                              lambda _=False, c=citizen: self.scan_qr(c))
            place.setEnabled(reader is not None)
            grid.addWidget(place, row, 1)
            grid.addWidget(qr, row, 2)
            if phone is not None:
                grid.addWidget(self._button(
                    f"phone_{row}", lambda: translate("DemoSimulatorPanel", "Phone: e-credential"),
                    lambda _=False, c=citizen: self.show_e_credential(c)), row, 3)
        col.addLayout(grid)

        # -- the card reader ----------------------------------------------------------------------
        col.addWidget(self._rule())
        col.addWidget(self._label(lambda: translate("DemoSimulatorPanel", "ID card reader"), "small"))
        reader_grid = QGridLayout()
        reader_grid.setSpacing(8)
        reader_buttons = [
            self._button("expired", lambda: translate("DemoSimulatorPanel", "Insert expired card"),
                         self.insert_expired_card),
            self._button("remove", lambda: translate("DemoSimulatorPanel", "Remove card"),
                         self.remove_card),
            self._button("fail_timeout", lambda: translate("DemoSimulatorPanel",
                                                           "Next read: reader hangs"),
                         lambda: self.fail_next_read(Fault.TIMEOUT)),
            self._button("fail_partial", lambda: translate("DemoSimulatorPanel",
                                                           "Next read: partial data"),
                         lambda: self.fail_next_read(Fault.PARTIAL)),
            self._button("fail_unreadable", lambda: translate("DemoSimulatorPanel",
                                                              "Next read: unreadable card"),
                         lambda: self.fail_next_read(Fault.UNREADABLE)),
            self._button("unplug", lambda: translate("DemoSimulatorPanel", "Unplug reader"),
                         self.unplug_reader),
            self._button("plug", lambda: translate("DemoSimulatorPanel", "Plug reader in"),
                         self.plug_reader),
        ]
        for b in reader_buttons:
            b.setEnabled(reader is not None)
        reader_buttons.append(self._button(
            "qr_not_id", lambda: translate("DemoSimulatorPanel", "Scan a QR code that is no ID"),
            lambda: self._scan(NOT_AN_ID_QR)))
        for i, b in enumerate(reader_buttons):
            reader_grid.addWidget(b, i // 3, i % 3)
        col.addLayout(reader_grid)

        # -- the camera -----------------------------------------------------------------------------
        if camera is not None:
            col.addWidget(self._rule())
            col.addWidget(self._label(lambda: translate("DemoSimulatorPanel",
                                                        "Camera (face check)"), "small"))
            camera_grid = QGridLayout()
            camera_grid.setSpacing(8)
            faces = [
                ("face_match", SimMode.MATCH,
                 lambda: translate("DemoSimulatorPanel", "Face: the card's holder")),
                ("face_mismatch", SimMode.MISMATCH,
                 lambda: translate("DemoSimulatorPanel", "Face: someone else")),
                ("face_spoof", SimMode.SPOOF,
                 lambda: translate("DemoSimulatorPanel", "Face: a photo held up")),
                ("face_none", SimMode.NO_FACE,
                 lambda: translate("DemoSimulatorPanel", "Face: nobody there")),
                ("camera_offline", SimMode.CAMERA_OFFLINE,
                 lambda: translate("DemoSimulatorPanel", "Camera unplugged")),
            ]
            for i, (name, mode, text) in enumerate(faces):
                b = self._button(name, text, lambda _=False, m=mode: self.set_face(m))
                camera_grid.addWidget(b, i // 3, i % 3)
            col.addLayout(camera_grid)

        # -- the receipt printer ----------------------------------------------------------------
        if virtual_printer is not None:
            col.addWidget(self._rule())
            col.addWidget(self._label(lambda: translate("DemoSimulatorPanel",
                                                        "Receipt printer (virtual)"), "small"))
            printer_grid = QGridLayout()
            printer_grid.setSpacing(8)
            printer_buttons = [
                self._button("paper_out", lambda: translate("DemoSimulatorPanel", "Paper out"),
                             lambda: self.set_printer_state("paper_out")),
                self._button("cover_open", lambda: translate("DemoSimulatorPanel", "Cover open"),
                             lambda: self.set_printer_state("cover_open")),
                self._button("paper_low", lambda: translate("DemoSimulatorPanel", "Paper low"),
                             lambda: self.set_printer_state("paper_near_end")),
                self._button("printer_ok", lambda: translate("DemoSimulatorPanel",
                                                             "Paper back, printer OK"),
                             lambda: self.set_printer_state("ok")),
            ]
            for i, b in enumerate(printer_buttons):
                printer_grid.addWidget(b, 0, i)
            col.addLayout(printer_grid)

        col.addWidget(self._rule())
        self.status = label(role="small", wrap=True)
        self.status.setObjectName("simulator_status")
        col.addWidget(self.status)
        col.addStretch(1)
        self._last_text: Callable[[], str] | None = None
        self.retranslate()
        self.hide()

    # -- what the buttons do ---------------------------------------------------------------------
    def toggle(self) -> None:
        """Show or hide the window (the kiosk window binds F12 to this)."""
        if self.isVisible():
            self.hide()
        else:
            self.retranslate()
            self.show()
            self.raise_()

    def insert_card(self, citizen) -> None:
        if self.reader is not None:
            self.reader.place(card_for(citizen, self._day()))
            self._did(lambda: translate("DemoSimulatorPanel", "Card placed: {name}").format(
                name=citizen.name))

    def insert_expired_card(self) -> None:
        if self.reader is not None and self.citizens:
            citizen = self.citizens[0]
            self.reader.place(expired_card_for(citizen, self._day()))
            self._did(lambda: translate("DemoSimulatorPanel", "Expired card placed: {name}").format(
                name=citizen.name))

    def scan_qr(self, citizen) -> None:
        self._scan(qr_text_for(citizen.id_number))
        self._did(lambda: translate("DemoSimulatorPanel", "QR code scanned: {name}").format(
            name=citizen.name))

    def show_e_credential(self, citizen) -> None:
        """The citizen's phone shows a fresh e-credential QR code to the scanner."""
        if self.phone is None:
            return
        self._did(lambda: translate("DemoSimulatorPanel", "Phone: asking for an e-credential "
                                    "for {name}…").format(name=citizen.name))

        def shown(qr: str) -> None:
            if not qr:
                self._did(lambda: translate("DemoSimulatorPanel", "Phone: no e-credential came "
                                            "(is the backend running?)"))
                return
            self._scan(qr)
            self._did(lambda: translate("DemoSimulatorPanel", "E-credential shown: {name}")
                      .format(name=citizen.name))

        self.phone(citizen.id_number, shown)

    def remove_card(self) -> None:
        if self.reader is not None:
            self.reader.remove()
            self._did(lambda: translate("DemoSimulatorPanel", "Card removed"))

    def fail_next_read(self, fault: Fault | str) -> None:
        if self.reader is not None:
            self.reader.fail_next_read(fault)
            self._did(lambda: translate("DemoSimulatorPanel", "The next read will fail: {fault}")
                      .format(fault=Fault(fault).value))

    def unplug_reader(self) -> None:
        if self.reader is not None:
            self.reader.unplug()
            self._did(lambda: translate("DemoSimulatorPanel", "Reader unplugged"))

    def plug_reader(self) -> None:
        if self.reader is not None:
            self.reader.plug()
            self._did(lambda: translate("DemoSimulatorPanel", "Reader plugged in"))

    def set_face(self, mode: SimMode | str) -> None:
        """Who stands before the simulated camera (or that it is unplugged)."""
        if self.camera is not None:
            self.camera.mode = SimMode(mode)
            self._did(lambda: translate("DemoSimulatorPanel", "Camera: {mode}").format(
                mode=SimMode(mode).value))

    def set_printer_state(self, state: str) -> None:
        if self.printer is not None:
            self.printer.state = state
            self._did(lambda: translate("DemoSimulatorPanel", "Printer state: {state}").format(
                state=str(self.printer.state.value)))

    def retranslate(self) -> None:
        for widget, text in self._texts:
            widget.setText(text())
        self.setWindowTitle(translate("DemoSimulatorPanel", "Demo simulator"))
        self.status.setText(self._last_text() if self._last_text else "")

    # -- inside ------------------------------------------------------------------------------------
    def _day(self) -> date:
        return self._today or date.today()

    def _did(self, text: Callable[[], str]) -> None:
        self._last_text = text
        self.status.setText(text())

    def _label(self, text: Callable[[], str], role: str) -> QLabel:
        w = label(role=role, wrap=True)
        self._texts.append((w, text))
        return w

    def _button(self, name: str, text: Callable[[], str], slot) -> QWidget:
        b = button(role="list", name=f"sim_{name}")
        b.clicked.connect(slot)
        self._texts.append((b, text))
        self.buttons[name] = b
        return b

    @staticmethod
    def _rule() -> QFrame:
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        return line
