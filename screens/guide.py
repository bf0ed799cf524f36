"""Guide detail (办事指南): every field of the guide, and a large QR code of its online URL."""

from __future__ import annotations

from html import escape

from screens.base import BaseScreen
from screens.qt import QHBoxLayout, Qt, QVBoxLayout, QWidget, translate
from screens.widgets.chrome import button, label, touch_scroll_area
from screens.widgets.qr import QrCard, QrView

QR_SIDE = 380


class GuideScreen(BaseScreen):
    lazy = True

    def build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 24, 40, 16)
        outer.setSpacing(16)
        header = QHBoxLayout()
        header.setSpacing(24)
        left = QVBoxLayout()
        self.title = label(role="title", wrap=True)
        self.meta = label(role="subtitle", wrap=True)
        self.limits = label(wrap=True)
        self.fee = label(wrap=True)
        for w in (self.title, self.meta, self.limits, self.fee):
            left.addWidget(w)
        left.addStretch(1)
        header.addLayout(left, 1)
        qr_card = QrCard(QR_SIDE, "guide_qr")
        qr_col, self.qr, self.qr_caption = qr_card.col, qr_card.qr, qr_card.caption
        self.print_button = button(role="nav", name="guide_print")
        self.print_button.clicked.connect(self._print)
        qr_col.addWidget(self.print_button)
        # an item this terminal carries out: do it here, now
        self.start_button = button(role="primary", name="guide_start")
        self.start_button.clicked.connect(self._start)
        left.insertWidget(left.count() - 1, self.start_button)
        # 操作指引: how it is done on this terminal, step by step (under the print button: the
        # header's height is the QR card's, so the guide's body does not move)
        self.howto_button = button(role="nav", name="guide_howto", wrap=True)
        self.howto_button.clicked.connect(self._howto)
        qr_col.addWidget(self.howto_button)
        header.addWidget(qr_card, 0, Qt.AlignmentFlag.AlignTop)

        # The header scrolls with the body: in elder mode, in landscape, the item's name and
        # time limits would otherwise be squeezed (clipped) above a body that cannot shrink.
        body = QWidget()
        col = QVBoxLayout(body)
        col.setContentsMargins(0, 0, 16, 0)
        col.setSpacing(8)
        col.addLayout(header)
        self.sections: dict[str, tuple] = {}
        for key in ("materials", "steps", "place", "object", "basis"):
            heading = label(role="section")
            content = label(wrap=True)
            content.setTextFormat(Qt.TextFormat.RichText)
            col.addWidget(heading)
            col.addWidget(content)
            self.sections[key] = (heading, content)
        col.addStretch(1)
        self.scroll = touch_scroll_area(body)
        outer.addWidget(self.scroll, 1)
        self.guide = None
        self._flow_id: str | None = None

    def _print(self) -> None:
        """The guide as a slip with its QR code: the guide.slip flow (preview, print, 好差评)."""
        if self.guide is not None:
            self.core.start_flow("guide.slip", item_id=self.guide.item.id)

    def _start(self) -> None:
        if self.guide is not None and self._flow_id is not None:
            self.core.start_flow(self._flow_id, item_id=self.guide.item.id)

    def _howto(self) -> None:
        if self._flow_id is not None:
            self.core.open_step_guide(self._flow_id)

    def enter(self, route) -> None:
        self.ensure_built()
        self.guide = self.core.catalog.guide(route.param("item_id")) if self.core.catalog else None
        self._flow_id = self.core.flow_for_item(self.guide.item.id) if self.guide else None
        side = round(QR_SIDE * (1.2 if self.elder else 1.0))
        self.qr.set_side(side)
        self.qr_caption.setMaximumWidth(side)
        self.qr.set_data(self.guide.online_url if self.guide else "")
        self.scroll.verticalScrollBar().setValue(0)
        self.retranslate()

    def cleanup(self) -> None:
        if not self.built:
            return
        self.guide = None
        self._flow_id = None
        self.qr.set_data("")

    def spoken_prompt(self) -> str:
        return translate("GuideScreen", "This is the service guide. Scan the QR code to take it with you.")

    def retranslate(self) -> None:
        if not self.built:
            return
        g = self.guide
        self.qr_caption.setText(translate("GuideScreen", "Scan with your phone to take this guide with you"))
        self.print_button.setText(translate("GuideScreen", "Print this guide"))
        self.print_button.setVisible(self.core.printer is not None)
        # always tappable: with the printer down the item says so in plain words and offers
        # the QR code and the window (a greyed button would explain nothing)
        self.start_button.setText(translate("GuideScreen", "Do it here now"))
        self.start_button.setVisible(self._flow_id is not None)
        self.howto_button.setText(translate("GuideScreen", "How to do this"))
        self.howto_button.setAccessibleName(self.howto_button.text())
        self.howto_button.setVisible(self._flow_id is not None and
                                     self.core.step_guides is not None)
        titles = {
            "materials": translate("GuideScreen", "Materials to bring"),
            "steps": translate("GuideScreen", "Steps"),
            "place": translate("GuideScreen", "Where to go"),
            "object": translate("GuideScreen", "Who can apply"),
            "basis": translate("GuideScreen", "Legal basis"),
        }
        for key, (heading, _content) in self.sections.items():
            heading.setText(titles[key])
        if g is None:
            for w in (self.title, self.meta, self.limits, self.fee):
                w.clear()
            for _h, content in self.sections.values():
                content.clear()
            return
        self.title.setText(self.item_name(g.item.id, g.item.name))
        self.meta.setText(self.localized(
            f"{g.item.department_name} · {g.item.level} · {g.handling_type}"))
        self.limits.setText(
            translate("GuideScreen", "Time limit: {promised} (legal limit {legal})").format(
                promised=self._days(g.promised_limit_days), legal=self._days(g.legal_limit_days)))
        self.fee.setText(translate("GuideScreen", "Fee: {fee}").format(fee=self.localized(g.fee)))
        original = translate("GuideScreen", "original ×{n}")
        copy = translate("GuideScreen", "copy ×{n}")
        rows = "".join(
            f"<tr><td>{i}. {escape(m.name)}</td>"
            f"<td>{escape(original.format(n=m.originals)) if m.originals else ''}</td>"
            f"<td>{escape(copy.format(n=m.copies)) if m.copies else ''}</td>"
            f"<td>{escape(m.note)}</td></tr>"
            for i, m in enumerate(g.materials, 1)
        )
        # guide content is catalog data (Chinese): in Traditional characters for zh_TW
        self.sections["materials"][1].setText(self.localized(
            f"<table cellpadding='6' width='100%'>{rows}</table>"))
        self.sections["steps"][1].setText(self.localized(
            " → ".join(f"{i}. {escape(s)}" for i, s in enumerate(g.steps, 1))))
        self.sections["place"][1].setText("<br>".join(escape(x) for x in (
            self.localized(g.place), self.localized(g.window),
            translate("GuideScreen", "Hours: {hours}").format(hours=self.localized(g.hours)),
            translate("GuideScreen", "Phone: {phone}").format(phone=g.phone),
        ) if x))
        self.sections["object"][1].setText(escape(self.localized(g.service_object)))
        self.sections["basis"][1].setText(escape(self.localized(g.basis)))

    @staticmethod
    def _days(n: int) -> str:
        if n <= 0:
            return translate("GuideScreen", "on the spot")
        return translate("GuideScreen", "%n working day(s)", "", n)


class OutOfServiceScreen(BaseScreen):
    """Shown when the terminal cannot serve: neutral words and where to go instead."""

    def __init__(self, core, parent=None):
        super().__init__(core, parent)
        col = QVBoxLayout(self)
        col.setContentsMargins(64, 64, 64, 64)
        col.addStretch(1)
        self.title = label(role="hero", wrap=True)
        self.where = label(role="title", wrap=True)
        self.detail = label(role="subtitle", wrap=True)
        for w in (self.title, self.where, self.detail):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            col.addWidget(w)
            col.addSpacing(32)
        # the online service, for a citizen who cannot wait (the hall-staff issue)
        self.qr = QrView(QR_SIDE)
        self.qr.setObjectName("out_of_service_qr")
        self.qr_caption = label(role="subtitle", wrap=True)
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        col.addWidget(self.qr_caption)
        url = core.config.terminal.online_service_url
        # the code is drawn when the screen is first entered: qrcode stays out of the start
        self.qr.setVisible(bool(url))
        self.qr_caption.setVisible(bool(url))
        col.addStretch(1)
        self.retranslate()

    def spoken_prompt(self) -> str:
        return f"{self.title.text()}. {self.where.text()}"

    def retranslate(self) -> None:
        self.title.setText(translate("OutOfServiceScreen", "This terminal is temporarily out of service"))
        self.where.setText(translate("OutOfServiceScreen", "Please go to: {place}").format(
            place=self.core.config.terminal.staffed_window))
        oos = self.core.out_of_service
        self.qr_caption.setText(translate("OutOfServiceScreen",
                                          "Or do it online: scan this code with your phone"))
        reference = translate("OutOfServiceScreen", "Reference for staff: {code}").format(
            code=oos.reason if oos else "-")
        # words the fleet console locked the terminal with, for citizens
        self.detail.setText(f"{oos.message}\n{reference}" if oos and oos.message else reference)

    def enter(self, route) -> None:
        url = self.core.config.terminal.online_service_url
        if url and self.qr.data() != url:
            self.qr.set_data(url)
        self.retranslate()  # the reason may have changed since the screen was built
