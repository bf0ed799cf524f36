"""Home: high-frequency tiles, the department grid and the way into search."""

from __future__ import annotations

from kiosk.flows.items import WORDS
from kiosk.navigation import Screen
from screens.base import BaseScreen
from screens.icons import icon_name, icon_pixmap
from screens.qt import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget, Signal, translate
from screens.theme import theme_for
from screens.widgets.chrome import CHECK, button, label, repolish, touch_scroll_area


class HomeScreen(BaseScreen):
    elder_toggled = Signal()  # the window switches the look (KioskWindow.toggle_elder)

    def __init__(self, core, parent=None, columns: int = 3):
        super().__init__(core, parent)
        self.columns = columns
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 24, 40, 16)
        outer.setSpacing(20)
        self.title = label(role="title", wrap=True)
        outer.addWidget(self.title)
        # 长辈模式, where every citizen starts: large, with its icon and a word on what it does
        self.elder_button = button(role="toggle", name="home_elder", wrap=True)
        self.elder_button.clicked.connect(self.elder_toggled)
        self.search_button = button(role="list", name="home_search", wrap=True)
        self.search_button.clicked.connect(lambda: core.navigator.go(Screen.SEARCH))
        # side by side in landscape, where height is short; one above the other in portrait
        row = QHBoxLayout() if columns > 3 else QVBoxLayout()
        row.setSpacing(20)
        row.addWidget(self.elder_button, 1)
        row.addWidget(self.search_button, 1)
        outer.addLayout(row)

        content = QWidget()
        col = QVBoxLayout(content)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(16)
        self.tiles_title = label(role="section")
        col.addWidget(self.tiles_title)
        self.tiles_grid = QGridLayout()
        self.tiles_grid.setSpacing(16)
        col.addLayout(self.tiles_grid)
        self.depts_title = label(role="section")
        col.addWidget(self.depts_title)
        self.depts_grid = QGridLayout()
        self.depts_grid.setSpacing(16)
        col.addLayout(self.depts_grid)
        col.addStretch(1)
        outer.addWidget(touch_scroll_area(content), 1)

        # 现场取号 first: the one thing every visitor of the hall may need, with no ID
        self.queue_button = button(role="tile", name="tile_queue", wrap=True)
        self.queue_button.clicked.connect(lambda: core.start_flow("queue.ticket"))
        # then the items the registry puts on the home screen (近期查询记录)
        self.item_buttons: dict[str, object] = {}
        for spec in core.items:
            if spec.home:
                b = button(role="tile", name=f"tile_{spec.id}", wrap=True)
                b.clicked.connect(lambda _=False, fid=spec.id: core.start_flow(fid))
                self.item_buttons[spec.id] = b
        self.tile_buttons = [self.queue_button, *self.item_buttons.values()]
        self._fixed = len(self.tile_buttons)
        self._tile_items: list = []
        self._unavailable: dict[str, str] = {}
        self._make_tiles()
        self.dept_buttons = {}
        self._departments = core.catalog.departments() if core.catalog else []
        for d in self._departments:
            b = button(role="tile", name=f"dept_{d.code}", wrap=True)
            b.clicked.connect(lambda _=False, code=d.code: core.navigator.go(Screen.DEPARTMENT, code=code))
            self.dept_buttons[d.code] = b
        self._layout_grids()
        self.retranslate()

    def _make_tiles(self) -> None:
        for b in self.tile_buttons[self._fixed:]:
            self.tiles_grid.removeWidget(b)
            b.deleteLater()
        del self.tile_buttons[self._fixed:]
        self._tile_items = self.core.tiles()
        for item in self._tile_items:
            b = button(item.name, role="tile", name=f"tile_{item.id}", wrap=True)
            b.clicked.connect(lambda _=False, iid=item.id: self.core.open_item(iid))
            self.tile_buttons.append(b)

    def reload_tiles(self) -> None:
        """A synced catalog changed the tiles: build them again (only when they differ)."""
        if [i.id for i in self.core.tiles()] == [i.id for i in self._tile_items] and \
                [i.name for i in self.core.tiles()] == [i.name for i in self._tile_items]:
            return
        self._make_tiles()
        self._layout_grids()
        self.retranslate()

    def _layout_grids(self) -> None:
        """Fewer, wider tiles in elder mode so the larger text still fits."""
        cols = self.columns - 1 if self.elder else self.columns
        for b in (*self.tile_buttons, *self.dept_buttons.values()):
            self.tiles_grid.removeWidget(b)
            self.depts_grid.removeWidget(b)
        for i, b in enumerate(self.tile_buttons):
            self.tiles_grid.addWidget(b, i // cols, i % cols)
        dcols = cols + 1
        for i, b in enumerate(self.dept_buttons.values()):
            self.depts_grid.addWidget(b, i // dcols, i % dcols)

    def set_unavailable(self, unavailable: dict[str, str]) -> None:
        """Grey out the tiles of items whose printer is down (they still open the guide, with
        its QR code); every other tile stays as it is."""
        if unavailable == self._unavailable:
            return
        self._unavailable = dict(unavailable)
        self.retranslate()

    def spoken_prompt(self) -> str:
        return translate("HomeScreen", "Choose a service, a department, or search.")

    def retranslate(self) -> None:
        self.title.setText(translate("HomeScreen", "What would you like to do?"))
        on = self.elder
        self.elder_button.setText(
            CHECK + translate("HomeScreen", "Elder mode is on (tap to turn off)") if on else
            translate("HomeScreen", "Elder mode: larger text, higher contrast, more time"))
        self.elder_button.setAccessibleName(translate("HomeScreen", "Elder mode"))
        if self.elder_button.property("active") != ("true" if on else "false"):
            self.elder_button.setProperty("active", "true" if on else "false")
            repolish(self.elder_button, self.elder_button.label())  # the words' colour too
        self.queue_button.setText(translate("HomeScreen", "Take a queue number"))
        for item_id, b in self.item_buttons.items():
            b.setText(translate(WORDS, self.core.items.get(item_id).title))
        for item, b in zip(self._tile_items, self.tile_buttons[self._fixed:]):
            down = item.id in self._unavailable
            why = translate("HomeScreen", "(service system offline)") \
                if self._unavailable.get(item.id) == "backend_unreachable" \
                else translate("HomeScreen", "(printing paused)")
            b.setText(self.item_name(item.id, item.name) + ("\n" + why if down else ""))
            b.setAccessibleName(self.item_name(item.id, item.name))
            if b.property("degraded") != ("true" if down else "false"):
                b.setProperty("degraded", "true" if down else "false")
                repolish(b)
        self.search_button.setText(translate(
            "HomeScreen", "Search services: type pinyin initials, e.g. sbcb"))
        self.search_button.setAccessibleName(translate("HomeScreen", "Search services"))
        self.tiles_title.setText(translate("HomeScreen", "Popular services"))
        self.depts_title.setText(translate("HomeScreen", "Services by department"))
        for d in self._departments:
            name = self.localized(d.short_name, d.name_en)
            self.dept_buttons[d.code].setText(name)
            self.dept_buttons[d.code].setAccessibleName(self.localized(d.name, d.name_en))
        self._set_icons()

    def _set_icons(self) -> None:
        """Each tile and department carries an icon as well as its words, in the theme's text
        colour (muted on a tile whose service is paused)."""
        theme = theme_for(self.elder)
        size = theme.px(40)
        self.elder_button.set_icon(icon_pixmap(
            "old", theme.on_accent if self.elder else theme.text, size))
        self.queue_button.set_icon(icon_pixmap("ticket", theme.text, size))
        for item_id, b in self.item_buttons.items():
            name = icon_name(item=item_id)
            b.set_icon(icon_pixmap(name, theme.text, size) if name else None)
        for item, b in zip(self._tile_items, self.tile_buttons[self._fixed:]):
            name = icon_name(department=item.department_code)
            colour = theme.muted if item.id in self._unavailable else theme.text
            b.set_icon(icon_pixmap(name, colour, size) if name else None)
        for d in self._departments:
            name = icon_name(department=d.code)
            self.dept_buttons[d.code].set_icon(
                icon_pixmap(name, theme.text, size) if name else None)

    def enter(self, route) -> None:
        self._layout_grids()
        self.retranslate()
