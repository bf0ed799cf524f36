"""Browsing the catalog: a department's categories, then a category's items page by page."""

from __future__ import annotations

from kiosk.navigation import Screen
from screens.base import BaseScreen
from screens.qt import QGridLayout, QHBoxLayout, Qt, QVBoxLayout, QWidget, translate
from screens.widgets.chrome import button, label, touch_scroll_area

MAX_CATEGORIES = 12
PAGE_SIZE = 7
# Items per page when the larger type or the shorter landscape screen leaves less room (each
# item's name and level stay whole; measured by tests/test_a11y.py).
PAGE_SIZES = {(False, False): PAGE_SIZE, (False, True): 4, (True, False): 4, (True, True): 2}


class DepartmentScreen(BaseScreen):
    lazy = True

    def build(self) -> None:
        content = QWidget()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(touch_scroll_area(content))  # elder mode's tiles may need more than a screen
        outer = QVBoxLayout(content)
        outer.setContentsMargins(40, 24, 40, 16)
        outer.setSpacing(20)
        self.title = label(role="title", wrap=True)
        self.subtitle = label(role="subtitle", wrap=True)
        outer.addWidget(self.title)
        outer.addWidget(self.subtitle)
        grid = QGridLayout()
        grid.setSpacing(16)
        self.category_buttons = []
        for i in range(MAX_CATEGORIES):
            b = button(role="tile", name=f"category_{i}", wrap=True)
            b.clicked.connect(lambda _=False, n=i: self._open(n))
            b.hide()
            grid.addWidget(b, i // 2, i % 2)
            self.category_buttons.append(b)
        outer.addLayout(grid)
        outer.addStretch(1)
        self._department = None
        self._categories = []

    def enter(self, route) -> None:
        self.ensure_built()
        code = route.param("code")
        self._department = self.core.catalog.department(code) if self.core.catalog else None
        self._categories = self.core.catalog.categories(code)[:MAX_CATEGORIES] if self._department else []
        self.retranslate()

    def _open(self, n: int) -> None:
        if n < len(self._categories):
            self.core.navigator.go(Screen.CATEGORY, code=self._categories[n].code)

    def spoken_prompt(self) -> str:
        return translate("DepartmentScreen", "Choose a category.")

    def retranslate(self) -> None:
        if not self.built:
            return
        d = self._department
        self.title.setText(self.localized(d.name, d.name_en) if d else "")
        count = d.item_count if d else 0  # a plain name: lupdate reads %n only from one
        self.subtitle.setText(
            translate("DepartmentScreen", "%n service(s). Choose a category.", "", count) if d else ""
        )
        for i, b in enumerate(self.category_buttons):
            if i < len(self._categories):
                c = self._categories[i]
                count = c.item_count
                b.setText(self.localized(c.name, c.name_en) + "\n" +
                          translate("DepartmentScreen", "%n service(s)", "", count))
                b.setAccessibleName(self.localized(c.name, c.name_en))
                b.show()
            else:
                b.hide()


class CategoryScreen(BaseScreen):
    lazy = True

    def build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 24, 40, 16)
        outer.setSpacing(14)
        self.title = label(role="title", wrap=True)
        outer.addWidget(self.title)
        self.item_buttons = []
        for i in range(PAGE_SIZE):
            b = button(role="list", name=f"item_{i}", wrap=True)
            b.clicked.connect(lambda _=False, n=i: self._open(n))
            b.hide()
            outer.addWidget(b)
            self.item_buttons.append(b)
        outer.addStretch(1)
        pager = QHBoxLayout()
        self.prev_button = button(role="nav", name="page_prev")
        self.next_button = button(role="nav", name="page_next")
        self.page_label = label(role="subtitle")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prev_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        pager.addWidget(self.prev_button)
        pager.addWidget(self.page_label, 1)
        pager.addWidget(self.next_button)
        outer.addLayout(pager)
        self.code = ""
        self.page = 0
        self.total = 0
        self._items = []
        self._category = None

    @property
    def page_size(self) -> int:
        win = self.window()
        landscape = win is not None and win.width() > win.height()
        return PAGE_SIZES[(self.elder, landscape)]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def enter(self, route) -> None:
        self.ensure_built()
        self.code = route.param("code")
        dept = self.code.split(".")[0]
        self._category = next(
            (c for c in self.core.catalog.categories(dept) if c.code == self.code), None
        ) if self.core.catalog else None
        self.show_page(route.param("page", 0))

    def show_page(self, page: int) -> None:
        self.ensure_built()
        if self.core.catalog is None:
            return
        self.page = max(0, page)
        self._items, self.total = self.core.catalog.items_in_category(
            self.code, offset=self.page * self.page_size, limit=self.page_size)
        if self.page >= self.pages:
            return self.show_page(self.pages - 1)
        self.core.navigator.remember(page=self.page)
        self.retranslate()

    def _open(self, n: int) -> None:
        if n < len(self._items):
            self.core.open_guide(self._items[n].id)

    def spoken_prompt(self) -> str:
        return translate("CategoryScreen", "Choose a service to read its guide.")

    def retranslate(self) -> None:
        if not self.built:
            return
        c = self._category
        self.title.setText(self.localized(c.name, c.name_en) if c else "")
        for i, b in enumerate(self.item_buttons):
            if i < len(self._items):
                it = self._items[i]
                b.setText(self.item_name(it.id, it.name) + "\n" + self.localized(it.level))
                b.setAccessibleName(self.item_name(it.id, it.name))
                b.show()
            else:
                b.hide()
        self.prev_button.setText(translate("CategoryScreen", "‹ Previous page"))
        self.next_button.setText(translate("CategoryScreen", "Next page ›"))
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page + 1 < self.pages)
        self.page_label.setText(
            translate("CategoryScreen", "Page {page} of {pages}").format(page=self.page + 1, pages=self.pages))
