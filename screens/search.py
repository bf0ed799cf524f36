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
        from screens.widgets.keyboard import LetterKeyboard, PinyinPanel

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

        self.keyboard = LetterKeyboard()
        self.keyboard.typed.connect(self.field.insert)
        self.keyboard.backspace.connect(self.field.backspace)
        self.keyboard.cleared.connect(self.field.clear)
        self.keyboard.chinese_requested.connect(lambda: self.set_chinese_input(True))
        kb_col.addWidget(self.keyboard)

        self.pinyin = PinyinPanel()
        self.pinyin.hide()
        self.letters_button = button(role="nav", name="search_letters")
        self.letters_button.clicked.connect(lambda: self.set_chinese_input(False))
        self.letters_button.hide()
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.letters_button)
        kb_col.addLayout(row)
        kb_col.addWidget(self.pinyin)
        self.keyboard.chinese_key.setVisible(self.pinyin.available())
        self.retranslate()

    # -- input -----------------------------------------------------------------------------
    def set_chinese_input(self, on: bool) -> None:
        self.ensure_built()
        on = on and self.pinyin.load()
        self.keyboard.chinese_key.setVisible(self.pinyin.available())
        self.keyboard.setVisible(not on)
        self.pinyin.setVisible(on)
        self.letters_button.setVisible(on)
        if on:
            self.pinyin.set_panel_height(max(360, self.keyboard.width() * 3 // 8))
            self.field.setFocus(Qt.FocusReason.OtherFocusReason)

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
        if not text.strip():
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
        self.letters_button.setText(translate("SearchScreen", "ABC letters"))
        self.keyboard.retranslate()
        self._show_count(self.field.text(), self._total)
