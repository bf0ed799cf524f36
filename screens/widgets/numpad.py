"""The on-screen number pad for typing an ID number (0-9, X, backspace, clear): a thin view over
kiosk.devices.numpad.ManualIdEntry. It shows the number masked and says, in plain words, what
is wrong so far; `confirmed` carries the Identity once the number is valid."""

from __future__ import annotations

from kiosk.devices.numpad import ManualIdEntry, NumpadKey
from kiosk.identity import IdCheck
from screens.qt import QGridLayout, QSizePolicy, Qt, QVBoxLayout, QWidget, Signal, translate
from screens.widgets.chrome import button, label, mark_personal


def id_check_message(check: IdCheck, length: int) -> str:
    """The words a citizen reads for each check code."""
    if check is IdCheck.OK:
        return translate("IdNumberPad", "The number is complete. Tap Confirm.")
    if check is IdCheck.TOO_SHORT:
        remaining = 18 - length
        return translate("IdNumberPad", "%n more character(s) to type.", "", remaining)
    if check is IdCheck.TOO_LONG:
        return translate("IdNumberPad", "An ID number has 18 characters.")
    if check is IdCheck.BAD_FORMAT:
        return translate("IdNumberPad", "X can only be the last character.")
    if check is IdCheck.BAD_REGION:
        return translate("IdNumberPad", "The first two digits are not a province. Please check them.")
    if check is IdCheck.BAD_BIRTH_DATE:
        return translate("IdNumberPad", "Digits 7 to 14 are not a date of birth. Please check them.")
    return translate("IdNumberPad", "The last character does not match: one digit is probably "
                     "mistyped. Please check the number.")


class IdNumberPad(QWidget):
    confirmed = Signal(object)  # kiosk.identity.Identity
    #: voice guidance's echo of a key press: the message shown (how many are left, what is
    #: wrong) and its kind ("echo" or "error"). Never a digit of the number (decision 0031).
    said = Signal(str, str)

    def __init__(self, parent: QWidget | None = None, today=None):
        super().__init__(parent)
        self.setObjectName("IdNumberPad")
        self.entry = ManualIdEntry(today=today)
        col = QVBoxLayout(self)
        col.setSpacing(12)
        self.shown = label(role="hero")
        self.shown.setObjectName("numpad_display")
        mark_personal(self.shown)  # the ID number as typed
        self.shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = label(role="subtitle", wrap=True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.shown)
        col.addWidget(self.message)
        col.addStretch(1)
        grid = QGridLayout()
        grid.setSpacing(10)
        self.keys: dict[str, object] = {}
        layout = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", NumpadKey.BACKSPACE]
        for i, key in enumerate(layout):
            text = "⌫" if key == NumpadKey.BACKSPACE else str(key)
            b = button(text, role="key", name=f"numpad_{key}")
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(b, i // 3, i % 3)
            self.keys[str(key)] = b
        col.addLayout(grid)
        self.clear_button = button(role="nav", name="numpad_clear")
        self.clear_button.clicked.connect(lambda: self.press(NumpadKey.CLEAR))
        self.confirm_button = button(role="primary", name="numpad_confirm")
        self.confirm_button.clicked.connect(self._confirm)
        col.addWidget(self.clear_button)
        col.addWidget(self.confirm_button)
        self.retranslate()

    def press(self, key: str) -> None:
        check = self.entry.press(key)
        self._show(check)
        kind = "echo" if check in (IdCheck.OK, IdCheck.TOO_SHORT) else "error"
        self.said.emit(self.message.text(), kind)

    def _show(self, check: IdCheck) -> None:
        self.shown.setText(self.entry.display or "—")
        self.message.setText(id_check_message(check, self.entry.length))
        self.confirm_button.setEnabled(self.entry.complete)

    def _confirm(self) -> None:
        if self.entry.complete:
            identity = self.entry.identity()
            self.reset()
            self.confirmed.emit(identity)

    def reset(self) -> None:
        """Forget everything typed (end of session, or handed over)."""
        self.entry.clear()
        self._show(self.entry.check)

    def retranslate(self) -> None:
        self.clear_button.setText(translate("IdNumberPad", "Clear"))
        self.confirm_button.setText(translate("IdNumberPad", "Confirm"))
        self.keys[str(NumpadKey.BACKSPACE)].setAccessibleName(translate("IdNumberPad", "Delete last character"))
        self._show(self.entry.check)
