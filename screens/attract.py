"""Attract screen: rotating highlights of high-frequency items, touch anywhere to start."""

from __future__ import annotations

from screens.base import BaseScreen
from screens.qt import QFrame, Qt, QTimer, QVBoxLayout, translate
from screens.widgets.chrome import label


class AttractScreen(BaseScreen):
    def __init__(self, core, parent=None):
        super().__init__(core, parent)
        col = QVBoxLayout(self)
        col.setContentsMargins(48, 32, 48, 32)
        col.setSpacing(16)
        col.addStretch(2)
        self.title = label(role="hero", wrap=True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.place = label(core.config.terminal.place, role="subtitle", wrap=True)
        self.place.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # what the terminal does, at a glance
        self.what = label(role="subtitle", wrap=True)
        self.what.setObjectName("attract_what")
        self.what.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.title)
        col.addWidget(self.what)
        col.addWidget(self.place)
        col.addStretch(1)
        card = QFrame()
        card.setProperty("role", "card")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 24, 32, 24)
        self.highlight_caption = label(role="small")
        self.highlight_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.highlight = label(role="title", wrap=True)
        self.highlight.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.highlight_dept = label(role="subtitle")
        self.highlight_dept.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # 操作指引 between the popular services: one item's guide, a slide at each turn
        from screens.step_guide import IllustrationView

        self.guide_picture = IllustrationView()
        self.guide_picture.setObjectName("attract_guide_picture")
        self.guide_picture.setMinimumHeight(220)
        self.guide_picture.setMaximumHeight(260)
        self.guide_picture.hide()
        inner.addWidget(self.highlight_caption)
        inner.addWidget(self.guide_picture)
        for w in (self.highlight, self.highlight_dept):
            inner.addWidget(w)
        col.addWidget(card)
        col.addStretch(1)
        self.touch = label(role="title", wrap=True)
        self.touch.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.touch)
        col.addStretch(2)
        self._index = 0
        self._timer = QTimer(self)
        self._timer.setInterval(core.config.attract.rotate_s * 1000)
        self._timer.timeout.connect(self.rotate)
        self.setAccessibleName("attract")
        self.retranslate()

    def enter(self, route) -> None:
        self._index = 0
        self._show_highlight()
        self._timer.start()

    def cleanup(self) -> None:
        self._timer.stop()

    def rotate(self) -> None:
        self._index += 1
        self._show_highlight()

    def _attract_guide(self):
        """The guide the attract screen shows between popular services: the first tile's item
        this terminal carries out (None: no guides, or none to show)."""
        library = self.core.step_guides if self.core.config.guides.attract else None
        if library is None:
            return None
        if getattr(self, "_guide_id", None) is None:
            flows = [self.core.flow_for_item(t.id) for t in self.core.tiles()]
            self._guide_id = next((f for f in flows if f), "") or next(iter(self.core.flows), "")
        return library.guide(self._guide_id) if self._guide_id else None

    def _show_highlight(self) -> None:
        guide = self._attract_guide() if self._index % 2 == 1 else None
        self.guide_picture.setVisible(guide is not None)
        if guide is not None and guide.slides:
            from kiosk.flows.items import WORDS
            from kiosk.guides import CONTEXT
            from screens.theme import theme_for

            turn = (self._index // 2) % len(guide.slides)
            slide = guide.slides[turn]
            self.highlight_caption.setText(translate(
                "AttractScreen", "How to do it: {item}").format(item=translate(WORDS, guide.title)))
            self.guide_picture.set_illustration(slide.illustration, theme_for(self.elder))
            self.highlight.setText(translate(CONTEXT, slide.caption))
            self.highlight_dept.setText(translate("StepGuideScreen", "Step {n} of {total}").format(
                n=turn + 1, total=len(guide.slides)))
            return
        self.highlight_caption.setText(translate("AttractScreen", "Popular services"))
        items = self.core.tiles()
        if not items:
            self.highlight.clear()
            self.highlight_dept.clear()
            return
        item = items[self._index % len(items)]
        self.highlight.setText(self.item_name(item.id, item.name))
        self.highlight_dept.setText(self.localized(
            item.department_name, self._names_en().get(item.department_code, "")))

    def _names_en(self) -> dict[str, str]:
        """Departments' English names, read once (the rotation's timer must not query the
        store: it may fire while the kiosk shuts down)."""
        if getattr(self, "_dept_en", None) is None:
            catalog = self.core.catalog
            self._dept_en = {d.code: d.name_en for d in catalog.departments()} if catalog else {}
        return self._dept_en

    def mousePressEvent(self, event) -> None:
        self.core.begin_session()
        event.accept()

    def retranslate(self) -> None:
        self.title.setText(translate("AttractScreen", "24-hour government self-service"))
        self.highlight_caption.setText(translate("AttractScreen", "Popular services"))
        self.touch.setText(translate("AttractScreen", "Touch the screen to start"))
        self.what.setText(translate(
            "AttractScreen", "Print certificates · Check social insurance, medical insurance and "
            "housing fund · Take a queue number · Service guides"))
        self.place.setText(self.localized(self.core.config.terminal.place))
