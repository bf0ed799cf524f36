"""Search: a field, results that update on every key, and the on-screen keyboards."""

from __future__ import annotations

import logging

from screens.base import BaseScreen
from screens.qt import QHBoxLayout, QLineEdit, Qt, QVBoxLayout, QWidget, translate
from screens.widgets.chrome import button, label, touch_scroll_area

log = logging.getLogger("kiosk.ui")
VISIBLE_RESULTS = 8  # a fixed pool of result buttons, reused for every query


class SearchScreen(BaseScreen):
    lazy = True

    def __init__(self, core, parent=None, landscape: bool = False):
        super().__init__(core, parent)
        self._landscape = landscape
        self._hits = []
        self._total = 0

    def build(self) -> None:
        from screens.widgets.keyboard import LetterKeyboard, PinyinBar

        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        # Portrait: results above the keyboard. Landscape: results left, keyboard right.
        landscape = self._landscape
        split = QHBoxLayout() if landscape else QVBoxLayout()
        page.addLayout(split)
        outer = QVBoxLayout()
        split.addLayout(outer, 1)
        if landscape:
            kb_col = QVBoxLayout()
            kb_col.setContentsMargins(0, 24, 40, 16)
            kb_col.addStretch(1)
            split.addLayout(kb_col, 1)
        else:
            kb_col = outer
        outer.setContentsMargins(40, 24, 40, 16)
        outer.setSpacing(16)
        self.title = label(role="title")
        outer.addWidget(self.title)
        self.field = QLineEdit()
        self.field.setObjectName("search_field")
        self.field.textChanged.connect(self._on_text)
        outer.addWidget(self.field)
        self.count = label(role="small", wrap=True)
        outer.addWidget(self.count)
        self.result_buttons = []
        self._hits = []
        self._total = 0
        results_box = QWidget()
        results = QVBoxLayout(results_box)
        results.setContentsMargins(0, 0, 0, 0)
        results.setSpacing(10)
        for i in range(VISIBLE_RESULTS):
            b = button(role="list", name=f"result_{i}", wrap=True)
            b.clicked.connect(lambda _=False, n=i: self._open(n))
            b.hide()
            results.addWidget(b)
            self.result_buttons.append(b)
        results.addStretch(1)
        outer.addWidget(touch_scroll_area(results_box), 1)

        # Chinese input: the letters gather in the pinyin bar over the keyboard, which offers
        # the catalog's characters and words for them; a chosen one goes into the field.
        self.pinyin = PinyinBar(self.core.pinyin_candidates)
        self.pinyin.chosen.connect(self.field.insert)
        self.pinyin.changed.connect(lambda: self._show_count(self.field.text(), self._total))
        self.pinyin.hide()
        kb_col.addWidget(self.pinyin)
        self.keyboard = LetterKeyboard()
        self.keyboard.typed.connect(self._typed)
        self.keyboard.backspace.connect(self._backspace)
        self.keyboard.cleared.connect(self._clear)
        self.keyboard.chinese_requested.connect(lambda: self.set_chinese_input(True))
        self.keyboard.letters_requested.connect(lambda: self.set_chinese_input(False))
        kb_col.addWidget(self.keyboard)
        self.letters_button = self.keyboard.letters_key
        self.retranslate()

    # -- input -----------------------------------------------------------------------------
    def set_chinese_input(self, on: bool) -> None:
        self.ensure_built()
        if not on:
            self.pinyin.clear()
        self.keyboard.set_chinese(on)
        self.pinyin.setVisible(on)
        self._show_count(self.field.text(), self._total)
        if on:
            self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def chinese_input(self) -> bool:
        return self.built and not self.pinyin.isHidden()

    def _typed(self, letter: str) -> None:
        if self.chinese_input():
            if letter != " ":
                self.pinyin.add_letter(letter)
                self.core.session.touch()
                return
            if self.pinyin.choose_first():
                return
        self.field.insert(letter)

    def _backspace(self) -> None:
        if not (self.chinese_input() and self.pinyin.backspace()):
            self.field.backspace()

    def _clear(self) -> None:
        self.pinyin.clear()
        self.field.clear()

    def _on_text(self, text: str) -> None:
        self.core.session.touch()
        result = self.core.search(text, limit=VISIBLE_RESULTS)
        self._hits, total = result.hits, result.total
        for i, b in enumerate(self.result_buttons):
            if i < len(self._hits):
                hit = self._hits[i]
                b.setText(self.item_name(hit.id, hit.name) + "\n"
                          + self.localized(f"{hit.department} · {hit.level}"))
                b.setAccessibleName(self.item_name(hit.id, hit.name))
                b.show()
            else:
                b.hide()
        self._total = total
        self._show_count(text, total)
        if text.strip() and self.isVisible():
            # the echo: what was typed, letter by letter, and how many services match
            self.speak(f"{' '.join(text.strip())}。{self.count.text()}", "echo", personal=True)

    def _show_count(self, text: str, total: int) -> None:
        if self.chinese_input() and (self.pinyin.letters() or not text.strip()):
            self.count.setText(self.pinyin.status())  # the pinyin typed, under the field
        elif not text.strip():
            self.count.setText(translate("SearchScreen", "Type pinyin initials (e.g. sbcb for 社保参保), or tap Chinese to write characters."))
        elif total == 0:
            self.count.setText(translate("SearchScreen", "Nothing found. Try fewer letters, or browse by department."))
        else:
            self.count.setText(translate("SearchScreen", "%n service(s) found", "", total))

    def _open(self, n: int) -> None:
        if n < len(self._hits):
            self.core.open_guide(self._hits[n].id)

    def hits(self):
        return list(self._hits)

    # -- screen lifecycle --------------------------------------------------------------------
    def enter(self, route) -> None:
        self.ensure_built()
        self.retranslate()
        if self.field.text() != self.core.session.data.search_text:
            self.field.setText(self.core.session.data.search_text)
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def reset(self) -> None:
        """End of session: nothing the citizen typed may remain."""
        if not self.built:
            return
        self.set_chinese_input(False)
        self.field.clear()
        self._on_text("")

    def spoken_prompt(self) -> str:
        return translate("SearchScreen", "Type the first letters of the pinyin of what you need.")

    def retranslate(self) -> None:
        if not self.built:
            return
        self.title.setText(translate("SearchScreen", "Search services"))
        self.field.setPlaceholderText(translate("SearchScreen", "Pinyin initials, pinyin or Chinese"))
        self.field.setAccessibleName(translate("SearchScreen", "Search text"))
        self.keyboard.retranslate()
        self.pinyin.retranslate()
        self._show_count(self.field.text(), self._total)
