"""On-screen keyboards for the search field.

`LetterKeyboard` types Latin letters straight into the field, which is all pinyin initials and
full pinyin need: results update on every key. For Chinese characters the 中文 key puts
`PinyinBar` over it: the letters typed gather in the bar, which offers the characters and words
of the catalog's own names and synonyms they may stand for (`KioskCore.pinyin_candidates`, made
from the search keys: no input method, no Qt Quick, no pinyin dictionary); tapping one types it.
Every key and candidate is a plain QPushButton with an accessible name.
"""

from __future__ import annotations

import logging

from screens.qt import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    Qt,
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
    letters_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("LetterKeyboard")
        outer = QVBoxLayout(self)
        margins = outer.contentsMargins()  # none above: room for the pinyin bar (elder mode)
        outer.setContentsMargins(margins.left(), 0, margins.right(), margins.bottom())
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
        self.letters_key = _key("", "letters")  # in the Chinese key's place while it is on
        self.letters_key.clicked.connect(self.letters_requested)
        self.letters_key.hide()
        self.space_key = _key("", "space")
        self.space_key.clicked.connect(lambda: self.typed.emit(" "))
        self.back_key = _key("⌫", "backspace")
        self.back_key.clicked.connect(self.backspace)
        self.clear_key = _key("", "clear")
        self.clear_key.clicked.connect(self.cleared)
        bottom.addWidget(self.chinese_key, 0, 0)
        bottom.addWidget(self.letters_key, 0, 0)
        bottom.addWidget(self.space_key, 0, 1)
        bottom.addWidget(self.back_key, 0, 2)
        bottom.addWidget(self.clear_key, 0, 3)
        for c, stretch in enumerate((2, 3, 1, 2)):
            bottom.setColumnStretch(c, stretch)
        outer.addLayout(bottom)
        self.retranslate()

    def set_chinese(self, on: bool) -> None:
        """The Chinese key, or in its place the key back to plain letters."""
        self.chinese_key.setVisible(not on)
        self.letters_key.setVisible(on)

    def retranslate(self) -> None:
        self.chinese_key.setText(translate("LetterKeyboard", "Chinese"))
        self.chinese_key.setAccessibleName(translate("LetterKeyboard", "Type Chinese characters"))
        self.letters_key.setText(translate("LetterKeyboard", "ABC"))
        self.letters_key.setAccessibleName(translate("LetterKeyboard", "Type Latin letters"))
        self.space_key.setText(translate("LetterKeyboard", "Space"))
        self.back_key.setAccessibleName(translate("LetterKeyboard", "Delete last letter"))
        self.clear_key.setText(translate("LetterKeyboard", "Clear"))
        self.clear_key.setAccessibleName(translate("LetterKeyboard", "Clear the search"))


class PinyinBar(QWidget):
    """The pinyin letters typed so far and the characters they may stand for, as many
    candidates at a time as the row has room for (up to `PAGE`). `lookup(letters)` gives the
    candidates (`.text`, `.letters` taken), best first; choosing one emits `chosen(text)` and
    drops the letters it took."""

    chosen = Signal(str)
    changed = Signal()  # the letters or the candidates changed: `status()` says what to show
    PAGE = 6

    def __init__(self, lookup, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("PinyinBar")
        self._lookup = lookup
        self._letters = ""
        self._found: list = []
        self._starts = [0]  # where each page shown so far begins in _found
        self._page = 0
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(8)
        self.prev_button = _key("‹", "previous candidates")
        self.prev_button.setProperty("role", "candidate")
        self.prev_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.prev_button.clicked.connect(lambda: self._turn(-1))
        self._row.addWidget(self.prev_button)
        self.candidate_buttons: list[QPushButton] = []
        for i in range(self.PAGE):
            b = _key("", f"candidate {i + 1}")
            b.setProperty("role", "candidate")
            b.setObjectName(f"pinyin_candidate_{i}")
            b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            b.clicked.connect(lambda _=False, n=i: self.select_candidate(self._starts[self._page] + n))
            b.hide()
            self.candidate_buttons.append(b)
            self._row.addWidget(b)
        self._row.addStretch(1)
        self.next_button = _key("›", "more candidates")
        self.next_button.setProperty("role", "candidate")
        self.next_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.next_button.clicked.connect(lambda: self._turn(1))
        self._row.addWidget(self.next_button)
        self.retranslate()

    # -- what the search screen and the tour use ---------------------------------------------
    def available(self) -> bool:
        return True  # made from the catalog's own keys: nothing to load that could fail

    def letters(self) -> str:
        return self._letters

    def add_letter(self, letter: str) -> None:
        self._letters += letter
        self._refresh()

    def type_letters(self, letters: str) -> None:
        for c in letters:
            self.add_letter(c)

    def backspace(self) -> bool:
        """Drop the last letter typed; False when there was none (the field's turn)."""
        if not self._letters:
            return False
        self._letters = self._letters[:-1]
        self._refresh()
        return True

    def clear(self) -> None:
        self._letters = ""
        self._refresh()

    def candidates(self) -> list[str]:
        """All of them, not only the page shown."""
        return [c.text for c in self._found]

    def shown(self) -> list[str]:
        return [b.text() for b in self.candidate_buttons if b.isVisible()]

    def select_candidate(self, index: int) -> None:
        if not 0 <= index < len(self._found):
            return
        chosen = self._found[index]
        self._letters = self._letters[chosen.letters:]
        self._refresh()
        self.chosen.emit(chosen.text)

    def choose_first(self) -> bool:
        """The space key while letters are typed: the best candidate."""
        if not self._found:
            return False
        self.select_candidate(0)
        return True

    # -- drawing -------------------------------------------------------------------------------
    def _turn(self, step: int) -> None:
        if step > 0 and self._starts[self._page] + self._fits(self._starts[self._page]) \
                < len(self._found):
            if self._page + 1 == len(self._starts):
                self._starts.append(self._starts[self._page] + self._fits(self._starts[self._page]))
            self._page += 1
        elif step < 0 and self._page > 0:
            self._page -= 1
        self._show_page()

    def _refresh(self) -> None:
        self._found = self._lookup(self._letters) if self._letters else []
        self._starts, self._page = [0], 0
        self._show_page()

    def _fits(self, start: int) -> int:
        """How many candidates from `start` the row has room for (at least one)."""
        probe = self.candidate_buttons[0]
        metrics = probe.fontMetrics()
        room = self.width() - self.prev_button.sizeHint().width() \
            - self.next_button.sizeHint().width() - 2 * self._row.spacing()
        if room <= 0:  # not laid out yet
            room = 900
        used, n = 0, 0
        for cand in self._found[start:start + self.PAGE]:
            width = max(probe.minimumWidth(), metrics.horizontalAdvance(cand.text)
                        + 2 * metrics.height()) + (self._row.spacing() if n else 0)
            if n and used + width > room:
                break
            used += width
            n += 1
        return max(1, n)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._starts, self._page = [0], 0
        self._show_page()

    def _show_page(self) -> None:
        start = self._starts[self._page]
        count = self._fits(start) if start < len(self._found) else 0
        for i, b in enumerate(self.candidate_buttons):
            if i < count:
                text = self._found[start + i].text
                metrics = b.fontMetrics()
                b.setMinimumWidth(metrics.horizontalAdvance(text) + metrics.height())
                b.setText(text)
                b.setAccessibleName(text)
                b.show()
            else:
                b.hide()
        self.prev_button.setEnabled(self._page > 0)
        self.next_button.setEnabled(start + count < len(self._found))
        self.changed.emit()

    def status(self) -> str:
        """The line under the search field while Chinese input is on: the letters typed (or
        how to start, or that nothing matches them)."""
        if not self._letters:
            return translate("PinyinBar", "Type pinyin, then tap the characters you mean.")
        if not self._found:
            return translate("PinyinBar", "%1: no characters of the services' names match."
                             ).replace("%1", self._letters)
        return translate("PinyinBar", "Pinyin: %1").replace("%1", self._letters)

    def retranslate(self) -> None:
        self.prev_button.setAccessibleName(translate("PinyinBar", "Previous candidates"))
        self.next_button.setAccessibleName(translate("PinyinBar", "More candidates"))
        self._show_page()
