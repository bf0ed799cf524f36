"""On-screen keyboards for the search field.

`LetterKeyboard` types Latin letters straight into the field, which is all pinyin initials and
full pinyin need: results update on every key. `PinyinPanel` embeds the Qt Virtual Keyboard's
pinyin input (a QQuickWidget whose QML is an InputPanel) for typing Chinese characters; it needs
QT_IM_MODULE=qtvirtualkeyboard before the QApplication exists, and reports `available() == False`
when the module could not be loaded, so the search screen hides its Chinese key instead of failing.
"""

from __future__ import annotations

import logging
import os

from kiosk.paths import ASSETS_DIR
from screens.qt import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    Qt,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)

log = logging.getLogger("kiosk.ui")
ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _key(text: str, name: str) -> QPushButton:
    b = QPushButton(text)
    b.setProperty("role", "key")
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the search field keeps the focus
    b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    b.setAccessibleName(name)
    return b


class LetterKeyboard(QWidget):
    typed = Signal(str)
    backspace = Signal()
    cleared = Signal()
    chinese_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("LetterKeyboard")
        outer = QVBoxLayout(self)
        outer.setSpacing(8)
        self.keys: dict[str, QPushButton] = {}
        for row in ROWS:
            line = QHBoxLayout()
            line.setSpacing(8)
            for ch in row:
                b = _key(ch.upper(), ch)
                b.clicked.connect(lambda _=False, c=ch: self.typed.emit(c))
                self.keys[ch] = b
                line.addWidget(b)
            outer.addLayout(line)
        bottom = QGridLayout()
        bottom.setSpacing(8)
        self.chinese_key = _key("", "chinese")
        self.chinese_key.clicked.connect(self.chinese_requested)
        self.space_key = _key("", "space")
        self.space_key.clicked.connect(lambda: self.typed.emit(" "))
        self.back_key = _key("⌫", "backspace")
        self.back_key.clicked.connect(self.backspace)
        self.clear_key = _key("", "clear")
        self.clear_key.clicked.connect(self.cleared)
        bottom.addWidget(self.chinese_key, 0, 0)
        bottom.addWidget(self.space_key, 0, 1)
        bottom.addWidget(self.back_key, 0, 2)
        bottom.addWidget(self.clear_key, 0, 3)
        for c, stretch in enumerate((2, 3, 1, 2)):
            bottom.setColumnStretch(c, stretch)
        outer.addLayout(bottom)
        self.retranslate()

    def retranslate(self) -> None:
        self.chinese_key.setText(translate("LetterKeyboard", "Chinese"))
        self.chinese_key.setAccessibleName(translate("LetterKeyboard", "Type Chinese characters"))
        self.space_key.setText(translate("LetterKeyboard", "Space"))
        self.back_key.setAccessibleName(translate("LetterKeyboard", "Delete last letter"))
        self.clear_key.setText(translate("LetterKeyboard", "Clear"))
        self.clear_key.setAccessibleName(translate("LetterKeyboard", "Clear the search"))


class PinyinPanel(QWidget):
    """The Qt Virtual Keyboard's pinyin InputPanel inside the widget layout.

    The QML is loaded on first use (the first tap on the Chinese key), not at start-up: loading
    the keyboard costs a few hundred milliseconds that the home screen should not wait for.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._view = None
        self._error = ""
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        if os.environ.get("QT_IM_MODULE") != "qtvirtualkeyboard":
            self._error = "QT_IM_MODULE is not qtvirtualkeyboard"
            return
        try:
            from screens.qt import QQuickWidget  # noqa: F401  (loads QtQuickWidgets)
        except ImportError as exc:  # e.g. libpulse0 missing
            self._error = f"QtQuickWidgets unavailable: {exc}"
            log.warning("Chinese input disabled: %s", self._error)

    def available(self) -> bool:
        return not self._error

    def load(self) -> bool:
        """Create the keyboard view; False (and logged) if the QML cannot be loaded."""
        if self._view is not None or self._error:
            return self._view is not None
        from screens.qt import QQuickWidget

        view = QQuickWidget(self)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        view.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        view.setClearColor(Qt.GlobalColor.transparent)
        view.setSource(QUrl.fromLocalFile(str(ASSETS_DIR / "qml" / "PinyinInputPanel.qml")))
        if view.status() != QQuickWidget.Status.Ready:
            self._error = "; ".join(e.toString() for e in view.errors())
            log.warning("Chinese input disabled: %s", self._error)
            view.deleteLater()
            return False
        self._layout.addWidget(view)
        self._view = view
        return True

    def quick_widget(self):
        return self._view

    def type_letters(self, letters: str) -> None:
        """Press pinyin keys through the real input engine, as taps on the panel do."""
        if self._view is not None:
            self._view.rootObject().typeLetters(letters)

    def candidates(self) -> list[str]:
        if self._view is None:
            return []
        value = self._view.rootObject().candidates()
        if hasattr(value, "toVariant"):  # a QJSValue holding a JavaScript array
            value = value.toVariant()
        return [str(v) for v in value or []]

    def select_candidate(self, index: int) -> None:
        if self._view is not None:
            self._view.rootObject().selectCandidate(index)

    def set_panel_height(self, height: int) -> None:
        self.setFixedHeight(height)
