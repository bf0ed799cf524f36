"""What a citizen fetched, on screen: one widget per view type, for a flow's show and preview
steps (the views are the dataclasses of `kiosk.flows.items`, a protocol `QueueTicket` and a
catalog `GuideDetail`).

`make_records_view(view)` builds the right `RecordsView` and renders the view. A filter or page
the citizen touches is not applied here: `chosen` carries it (``{"year": 2024}``,
``{"insurance_type": "pension"}``, ``{"month": "2026-03"}``, ``{"page": 2}``) to the flow
screen, which hands it to `FlowRun.choose` and calls `set_view` again with the new view. So a
refused choice changes nothing on screen. `clear()` empties every label and QR code (the next
citizen must see nothing of this one).

Tables are rich-text QLabels: they take the label's font from the application stylesheet, so
elder mode enlarges them with everything else. Money is shown as "1,234.56 元"; in tables the
unit is in the column heading so the numbers fit in elder mode. Account and certificate numbers
are masked (first four and last four characters).
"""

from __future__ import annotations

import re
from decimal import Decimal
from html import escape
from typing import Any

import protocol as p
from kiosk.catalog.model import GuideDetail
from kiosk.flows.engine import PreviewView
from kiosk.flows.items import (
    ALL,
    AccessLogView,
    CertificateView,
    ContributionsView,
    MedicalAccountView,
    MedicalEnrolmentView,
    PageInfo,
    ProvidentFundView,
    RealEstateView,
)
from printing import mask_middle
from screens.i18n import data
from screens.qt import (
    QEvent,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScroller,
    QSize,
    QSizePolicy,
    Qt,
    QtGui,
    QTimer,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)
from screens.widgets.chrome import button, label, mark_personal, repolish, touch_scroll_area
from screens.widgets.qr import QrCard, QrView

QR_SIDE = 320
QFontMetrics = QtGui.QFontMetrics

# ============================================================================ formatting


def amount(value: Decimal) -> str:
    """1234.5 -> 1,234.50 (in tables, whose headings carry the unit)."""
    return f"{value:,.2f}"


def money(value: Decimal) -> str:
    """1234.5 -> 1,234.50 元 (a no-break space: the unit never goes to a line of its own)."""
    return translate("RecordsView", "{amount} yuan").format(amount=amount(value)).replace(
        " ", "\u00a0")


def masked(number: str) -> str:
    """An account or certificate number as shown: first four and last four, stars between."""
    return mask_middle(number, 4, 4)


def beijing(moment) -> str:
    return moment.astimezone(p.LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def insurance_name(kind: p.InsuranceType | str) -> str:
    return p.INSURANCE_TYPE_NAMES.get(p.InsuranceType(kind), str(kind))


def months_text(n: int) -> str:
    return translate("RecordsView", "%n month(s)", "", n)


# Table columns: (heading, kind) with kind "text" (left, wraps), "fixed" (left, never wraps:
# months) or "number" (right, never wraps).
Column = tuple[str, str]
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def table_html(columns: list[Column], rows: list[list[str]], size: int = 3) -> str:
    """A ruled table; `size` is the HTML font size (3 = the label's own, 2 = 0.8, 1 = 0.7).
    Headings wrap between words (and between Chinese characters) to leave room for numbers."""
    def cell(tag: str, text: str, kind: str, wrap: bool) -> str:
        align = "right" if kind.startswith("number") else "left"
        body = escape(text)
        if tag == "th":  # the unit on a line of its own: "缴费基数<br>（元）"
            body = body.replace("（", "<br>（").replace(" (", "<br>(")
        return f"<{tag} align='{align}'{'' if wrap else ' nowrap'}>{body}</{tag}>"

    head = "".join(cell("th", h, k, True) for h, k in columns)
    body = "".join("<tr>" + "".join(cell("td", c, k, k == "text")
                                     for c, (_, k) in zip(row, columns)) + "</tr>"
                   for row in rows)
    table = ("<table width='100%' cellspacing='0' cellpadding='8' border='1' "
             f"style='border-collapse: collapse'><thead><tr>{head}</tr></thead>{body}</table>")
    return table if size == 3 else f"<font size='{size}'>{table}</font>"


class RecordsTable(QLabel):
    """A rich-text table in the label's own font (so elder mode enlarges it), shrunk one or two
    steps when its columns would not fit the width (elder mode in portrait, English headings)."""

    STEPS = ((3, 1.0), (2, 0.8), (1, 0.7))  # HTML font size, its scale in Qt's rich text

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._columns: list[Column] = []
        self._rows: list[list[str]] = []
        self._size = 0
        self._widest: list[int] | None = None
        self._chosen_at = 0

    def set_table(self, columns: list[Column], rows: list[list[str]]) -> None:
        self._columns, self._rows, self._size = list(columns), [list(r) for r in rows], 0
        self._kept, self._widest = (), None
        self._fit()

    def clear(self) -> None:
        self._columns, self._rows, self._size, self._widest = [], [], 0, None
        self._kept = ()
        super().clear()

    def size_step(self) -> int:
        return self._size

    def needed_width(self, scale: float, columns: list[int] | None = None) -> int:
        """The narrowest the table can be at `scale` times the label's font: per column its
        widest unbreakable piece, plus the cell padding and rules (all columns, or these)."""
        if self._widest is None:
            self._widest = self._measure()
        widths = self._widest if columns is None else [self._widest[i] for i in columns]
        return 1 + sum(round(w * scale) + 2 * 8 + 1 for w in widths)

    def shown_columns(self) -> tuple[int, ...]:
        return self._kept

    def _measure(self) -> list[int]:
        metrics = QFontMetrics(self.font())

        def piece(text: str, kind: str) -> int:
            if kind != "text":
                return metrics.horizontalAdvance(text)
            return max((metrics.horizontalAdvance(t) for t in _CJK.findall(text)), default=0)

        def heading_width(text: str) -> int:
            # Qt lays a table out by each cell's unwrapped width: a heading's is its longest
            # line (the unit goes on its own line, see table_html), a number's or a month's is
            # the whole text; a column that does not get it is squeezed a character a line
            lines = text.replace("（", "\n（").replace(" (", "\n(").split("\n")
            return max(metrics.horizontalAdvance(ln) for ln in lines)

        widest = []
        for i, (heading, kind) in enumerate(self._columns):
            w = round(heading_width(heading) * 1.1)  # headings are bold
            for row in self._rows:
                w = max(w, piece(row[i], kind))
            widest.append(w)
        return widest

    def _fit(self) -> None:
        if not self._columns:
            return
        width = self.contentsRect().width()
        every = list(range(len(self._columns)))
        required = [i for i, (_h, k) in enumerate(self._columns) if not k.endswith("?")]
        # Full-size type with every column; else leave out the optional columns ("number?")
        # before making the type smaller (elder mode: bigger text, fewer columns); else smaller
        # type with every column. Qt squeezes a table that does not fit to a character a line.
        attempts = [(every, self.STEPS[0])]
        if required != every:
            attempts += [(required, step) for step in self.STEPS]
        attempts += [(every, step) for step in self.STEPS[1:]]
        keep, (size, _scale) = next(
            ((k, st) for k, st in attempts if self.needed_width(st[1], k) <= width),
            attempts[-1])
        state = (size, tuple(keep))
        if state != (self._size, self._kept):
            self._size, self._kept = size, tuple(keep)
            self.setText(table_html([self._columns[i] for i in keep],
                                    [[r[i] for i in keep] for r in self._rows], size))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the theme changed
            self._size, self._kept, self._widest = 0, (), None
            self._fit()


def pairs_html(pairs: list[tuple[str, str]]) -> str:
    """Field names and their values, the values bold."""
    rows = "".join(f"<tr><td nowrap>{escape(k)}</td><td><b>{escape(v)}</b></td></tr>"
                   for k, v in pairs)
    return f"<table cellspacing='0' cellpadding='6'>{rows}</table>"


def scroll_column(body: QWidget) -> QtWidgets.QScrollArea:
    """A touch-scrolled column whose scroll bar is always there: a bar that comes and goes
    changes the width, hence the height of wrapped text and tables, and Qt can then flip it
    on and off for ever. The bar also tells the citizen that there is more below."""
    area = touch_scroll_area(body)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    return area


def rich(role: str | None = None) -> QLabel:
    w = label(role=role, wrap=True)
    w.setTextFormat(Qt.TextFormat.RichText)
    return w


def _set_active(b, on: bool) -> None:
    value = "true" if on else "false"
    if b.property("active") != value:
        b.setProperty("active", value)
        repolish(b)


# ============================================================================ parts


class _ChipBox(QWidget):
    """The chips of a strip, side by side; tells the strip when its height changes (a theme
    change resizes every chip)."""

    def __init__(self, strip: "_Strip"):
        super().__init__()
        self._strip = strip
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(12)
        self.row.addStretch(1)

    def event(self, e) -> bool:
        if e.type() == QEvent.Type.LayoutRequest:
            self._strip.updateGeometry()
        return super().event(e)


class _Strip(QtWidgets.QScrollArea):
    """One line of chips that scrolls sideways (finger drag or the arrows beside it), exactly
    as tall as the chips."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        w = self.widget()
        return QSize(self.fontMetrics().height() * 4, w.sizeHint().height() if w else 0)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, self.sizeHint().height())


class ChipRow(QWidget):
    """A heading and one line of large touch chips, one of them chosen; `picked` carries the
    touched chip's value. When the chips do not fit, the line scrolls sideways and arrow
    buttons at its ends show that there is more."""

    picked = Signal(object)

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"{name}_chips")
        self._name = name
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        self.heading = label(role="section")
        self.back_button = button("‹", role="nav", name=f"{name}_back")
        self.more_button = button("›", role="nav", name=f"{name}_more")
        self._area = _Strip()
        self._box = _ChipBox(self._area)
        self._area.setWidget(self._box)
        self._area.setWidgetResizable(True)
        self._area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        QScroller.grabGesture(self._area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        bar = self._area.horizontalScrollBar()
        bar.rangeChanged.connect(self._arrows)
        bar.valueChanged.connect(self._arrows)
        for b in (self.back_button, self.more_button):
            b.setMinimumWidth(72)
            b.hide()
        self.back_button.clicked.connect(lambda: self._page(-1))
        self.more_button.clicked.connect(lambda: self._page(+1))
        row.addWidget(self.heading, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.back_button)
        row.addWidget(self._area, 1)
        row.addWidget(self.more_button)
        self._chips: list[tuple[Any, Any]] = []
        self._selected: Any = None

    def set_options(self, heading: str, options: list[tuple[Any, str]], selected: Any) -> None:
        self.heading.setText(heading)
        self.back_button.setAccessibleName(translate("RecordsView", "Earlier choices"))
        self.more_button.setAccessibleName(translate("RecordsView", "More choices"))
        if [(v, t) for v, t in options] != [(v, b.text()) for v, b in self._chips]:
            self._drop()
            for value, text in options:
                b = button(text, role="toggle", name=f"{self._name}_{value}")
                b.setProperty("active", "false")
                b.setProperty("chip", "true")  # the chosen chip is not bold: its text would clip
                b.clicked.connect(lambda _=False, v=value: self.picked.emit(v))
                self._box.row.insertWidget(self._box.row.count() - 1, b)
                self._chips.append((value, b))
            self._area.horizontalScrollBar().setValue(0)
        for value, b in self._chips:
            _set_active(b, value == selected)
        if selected != self._selected:
            self._selected = selected
            QTimer.singleShot(0, self._reveal)
        self.setVisible(bool(self._chips))

    def _reveal(self) -> None:
        chip = self.buttons().get(self._selected)
        if chip is not None:
            self._area.ensureWidgetVisible(chip, 24, 0)

    def _page(self, direction: int) -> None:
        bar = self._area.horizontalScrollBar()
        bar.setValue(bar.value() + direction * max(1, self._area.viewport().width() * 3 // 4))

    def _arrows(self, *_args) -> None:
        bar = self._area.horizontalScrollBar()
        # Shown once the line scrolls. Showing them narrows the line (it still scrolls);
        # hiding them widens it (it still fits): no flicker either way.
        for b in (self.back_button, self.more_button):
            b.setVisible(bar.maximum() > 0)
        self.back_button.setEnabled(bar.value() > 0)
        self.more_button.setEnabled(bar.value() < bar.maximum())

    def _drop(self) -> None:
        # deleteLater: the chip being touched may be the one replaced, inside its own signal.
        for _value, b in self._chips:
            self._box.row.removeWidget(b)
            b.hide()
            b.deleteLater()
        self._chips = []
        self._selected = None

    def clear(self) -> None:
        self._drop()
        self.heading.clear()
        self.hide()

    def buttons(self) -> dict[Any, Any]:
        return dict(self._chips)


class Pager(QWidget):
    """‹ previous page, "page x of y", next page ›; the buttons are disabled at the ends. Not
    shown when everything fits on one page."""

    page = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        self.prev_button = button(role="nav", name="page_prev")
        self.next_button = button(role="nav", name="page_next")
        self.label = label(role="subtitle", wrap=True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prev_button.clicked.connect(lambda: self._go(-1))
        self.next_button.clicked.connect(lambda: self._go(+1))
        row.addWidget(self.prev_button)
        row.addWidget(self.label, 1)
        row.addWidget(self.next_button)
        self._info: PageInfo | None = None
        self.set_info(None)

    def _go(self, step: int) -> None:
        if self._info is not None:
            target = self._info.number + step
            if 1 <= target <= self._info.pages:
                self.page.emit(target)

    def set_info(self, info: PageInfo | None) -> None:
        self._info = info
        self.prev_button.setText(translate("RecordsView", "‹ Previous page"))
        self.next_button.setText(translate("RecordsView", "Next page ›"))
        self.prev_button.setEnabled(info is not None and info.number > 1)
        self.next_button.setEnabled(info is not None and info.number < info.pages)
        self.label.setText("" if info is None else translate(
            "RecordsView", "Page {page} of {pages}").format(page=info.number, pages=info.pages))
        self.setVisible(info is not None and info.pages > 1)


def _content(view: Any) -> Any:
    """A preview step's view carries the handler's view as its content."""
    return view.content if isinstance(view, PreviewView) else view


def _wide(size: QSize) -> bool:
    """Landscape: room for two columns side by side."""
    return size.width() >= 1200 and size.width() > size.height() * 1.2


# ============================================================================ the base


class RecordsView(QWidget):
    """Renders one kind of view. Subclasses build their widgets in `__init__` and fill them in
    `_render(view)`, which also sets the static texts (so a language change re-renders).

    Most views are a summary (title, holder, balance, filter chips) and a detail (the table):
    one above the other in a touch-scrolled column when the widget is tall, side by side when
    it is wide; totals and the pager stay under them, always in reach."""

    chosen = Signal(dict)
    accepts: tuple[type, ...] = ()
    # A citizen's records are personal data: remote view paints the whole view over
    # (screens/remote_view.py); a queue ticket or a guide is not.
    personal = True

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        if self.personal:
            mark_personal(self)
        self._view: Any = None
        self._split: QtWidgets.QBoxLayout | None = None
        self._is_wide: bool | None = None
        self._col = QVBoxLayout(self)
        self._col.setContentsMargins(0, 0, 0, 0)
        self._col.setSpacing(12)

    @property
    def view(self) -> Any:
        return self._view

    def set_view(self, view: Any) -> None:
        view = _content(view)
        if not isinstance(view, self.accepts):
            raise TypeError(f"{type(self).__name__} cannot show {type(view).__name__}")
        self._view = view
        self._render(view)

    def clear(self) -> None:
        """Forget everything shown: the next citizen sees nothing of this one."""
        self._view = None
        self._forget()
        for w in self.findChildren(QLabel):
            w.clear()
            w.setAccessibleName("")
        for qr in self.findChildren(QrView):
            qr.set_data("")
        for chips in self.findChildren(ChipRow):
            chips.clear()
        for pager in self.findChildren(Pager):
            pager.set_info(None)
        for area in self.findChildren(QtWidgets.QScrollArea):
            area.verticalScrollBar().setValue(0)

    def retranslate(self) -> None:
        if self._view is not None:
            self._render(self._view)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        wide = _wide(event.size())
        if wide != self._is_wide:
            self._is_wide = wide
            self._orient(wide)
        super().resizeEvent(event)

    # -- for subclasses ------------------------------------------------------------------
    def _render(self, view: Any) -> None:
        raise NotImplementedError

    def _forget(self) -> None:
        """Drop the widgets made for one view (cards)."""

    def _orient(self, wide: bool) -> None:
        if self._split is not None:
            self._split.setDirection(QtWidgets.QBoxLayout.Direction.LeftToRight if wide
                                     else QtWidgets.QBoxLayout.Direction.TopToBottom)
            self._split.setStretch(0, 2 if wide else 0)
            self._split.setStretch(1, 3 if wide else 0)

    def _body(self) -> tuple[QVBoxLayout, QVBoxLayout]:
        """The touch-scrolled summary and detail columns."""
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 16, 0)
        self._split = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.Direction.TopToBottom)
        self._split.setSpacing(24)
        summary, detail = QVBoxLayout(), QVBoxLayout()
        for column in (summary, detail):
            column.setSpacing(12)
            self._split.addLayout(column)
        outer.addLayout(self._split)
        outer.addStretch(1)
        self.scroll = scroll_column(body)
        self._col.addWidget(self.scroll, 1)
        return summary, detail

    def _header(self, col: QVBoxLayout) -> None:
        self.title = label(role="title", wrap=True)
        self.holder = rich("subtitle")
        self.holder.setObjectName("records_holder")
        mark_personal(self.holder)  # name and ID number
        col.addWidget(self.title)
        col.addWidget(self.holder)

    def _set_holder(self, holder: p.Holder) -> None:
        name = translate("RecordsView", "Name")
        number = translate("RecordsView", "ID number")
        self.holder.setText(
            f"{escape(name)} <b>{escape(holder.name)}</b>&nbsp;&nbsp;&nbsp; "
            f"{escape(number)} <b>{escape(holder.id_number_masked)}</b>")

    def _balance(self, col: QVBoxLayout) -> None:
        row = QHBoxLayout()
        row.setSpacing(24)
        self.balance_caption = label(role="subtitle")
        self.balance = label(role="hero", wrap=True)
        self.balance.setObjectName("records_balance")
        row.addWidget(self.balance_caption, 0, Qt.AlignmentFlag.AlignBaseline)
        row.addWidget(self.balance, 1, Qt.AlignmentFlag.AlignBaseline)
        col.addLayout(row)

    def _chips(self, col: QVBoxLayout, name: str, key: str) -> ChipRow:
        chips = ChipRow(name)
        chips.picked.connect(lambda value: self.chosen.emit({key: value}))
        col.addWidget(chips)
        return chips

    def _table(self, col: QVBoxLayout) -> None:
        self.empty = label(role="subtitle", wrap=True)
        self.empty.setObjectName("records_empty")
        self.table = RecordsTable()
        self.table.setObjectName("records_table")
        col.addWidget(self.empty)
        col.addWidget(self.table)

    def _show_table(self, columns: list[Column], rows: list[list[str]] | None,
                    empty_text: str) -> None:
        """The table, or in its place plainly that the selection is empty."""
        if rows:
            self.table.set_table(columns, rows)
        else:
            self.table.clear()
        self.empty.setText("" if rows else empty_text)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)

    def _footer(self) -> None:
        self.totals = label(role="section", wrap=True)
        self.totals.setObjectName("records_totals")
        self.pager = Pager()
        self.pager.page.connect(lambda n: self.chosen.emit({"page": n}))
        self._col.addWidget(self.totals)
        self._col.addWidget(self.pager)


# ============================================================================ social insurance


class CertificateRecordsView(RecordsView):
    """社保参保证明: the holder, the region and one row per insurance enrolment."""

    accepts = (CertificateView,)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        summary, detail = self._body()
        self._header(summary)
        self.fields = rich()
        self.fields.setObjectName("records_fields")
        summary.addWidget(self.fields)
        self.table_heading = label(role="section", wrap=True)
        detail.addWidget(self.table_heading)
        self._table(detail)

    def _render(self, v: CertificateView) -> None:
        self.title.setText(translate("RecordsView", "Social insurance enrolment"))
        self.table_heading.setText(translate("RecordsView", "Insurance enrolments"))
        self._set_holder(v.holder)
        self.fields.setText(pairs_html([
            (translate("RecordsView", "Insured in"), v.region),
            (translate("RecordsView", "Data as of"), beijing(v.as_of)),
        ]))
        self._show_table(
            [(translate("RecordsView", "Insurance"), "fixed"),
             (translate("RecordsView", "Status"), "text"),
             (translate("RecordsView", "Start month"), "fixed"),
             (translate("RecordsView", "Months paid"), "number")],
            [[insurance_name(e.type), p.ENROLMENT_STATUS_NAMES.get(e.status, str(e.status)),
              e.start_month, months_text(e.months_paid)] for e in v.enrolments],
            translate("RecordsView", "No enrolment on record."))


class ContributionsRecordsView(RecordsView):
    """社保缴费明细: year and insurance-type chips, this page's contributions, the pager and the
    personal total of the whole selection."""

    accepts = (ContributionsView,)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        summary, detail = self._body()
        self._header(summary)
        self.year_chips = self._chips(summary, "year", "year")
        self.type_chips = self._chips(summary, "type", "insurance_type")
        self._table(detail)
        self._footer()

    def _render(self, v: ContributionsView) -> None:
        self.title.setText(translate("RecordsView", "Social insurance contributions"))
        self._set_holder(v.holder)
        self.year_chips.set_options(translate("RecordsView", "Year"),
                                    [(y, str(y)) for y in v.years], v.year)
        self.type_chips.set_options(
            translate("RecordsView", "Insurance type"),
            [(t, translate("RecordsView", "All types") if t == ALL else insurance_name(t))
             for t in v.types] if v.years else [], v.insurance_type)
        self._show_table(
            [(translate("RecordsView", "Month"), "fixed"),
             (translate("RecordsView", "Insurance"), "fixed"),
             (translate("RecordsView", "Base (yuan)"), "number?"),
             (translate("RecordsView", "Personal (yuan)"), "number"),
             (translate("RecordsView", "Employer (yuan)"), "number")],
            [[c.month, insurance_name(c.type), amount(c.base), amount(c.personal),
              amount(c.employer_amount)] for c in v.rows],
            translate("RecordsView", "No contributions for this year and insurance type.")
            if v.years else translate("RecordsView", "No contributions on record."))
        self.totals.setText("" if v.empty else translate(
            "RecordsView", "Personal contributions in this selection: {amount}").format(
                amount=money(v.personal_total)))
        self.totals.setVisible(not v.empty)
        self.pager.set_info(None if v.empty else v.page)


class MedicalEnrolmentRecordsView(RecordsView):
    """医保参保凭证 preview: the medical-insurance enrolment."""

    accepts = (MedicalEnrolmentView,)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        summary, detail = self._body()
        self._header(summary)
        self.fields = rich()
        self.fields.setObjectName("records_fields")
        detail.addWidget(self.fields)

    def _render(self, v: MedicalEnrolmentView) -> None:
        self.title.setText(translate("RecordsView", "Medical insurance enrolment"))
        self._set_holder(v.holder)
        e = v.enrolment
        self.fields.setText(pairs_html([
            (translate("RecordsView", "Insurance"), insurance_name(e.type)),
            (translate("RecordsView", "Status"),
             p.ENROLMENT_STATUS_NAMES.get(e.status, str(e.status))),
            (translate("RecordsView", "Start month"), e.start_month),
            (translate("RecordsView", "Last paid month"), e.last_paid_month or "—"),
            (translate("RecordsView", "Months paid"), months_text(e.months_paid)),
            (translate("RecordsView", "Insured in"), v.region),
        ]))


# ============================================================================ medical account


class MedicalAccountRecordsView(RecordsView):
    """医保个人账户: the balance, month chips, this page's transactions, credits and spending."""

    accepts = (MedicalAccountView,)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        summary, detail = self._body()
        self._header(summary)
        self._balance(summary)
        self.fields = rich()
        self.fields.setObjectName("records_fields")
        summary.addWidget(self.fields)
        self.month_chips = self._chips(summary, "month", "month")
        self._table(detail)
        self._footer()

    def _render(self, v: MedicalAccountView) -> None:
        self.title.setText(translate("RecordsView", "Medical insurance personal account"))
        self.balance_caption.setText(translate("RecordsView", "Balance"))
        self._set_holder(v.holder)
        self.balance.setText(money(v.balance))
        self.fields.setText(pairs_html([
            (translate("RecordsView", "Account number"), masked(v.account_number))]))
        self.month_chips.set_options(
            translate("RecordsView", "Month"),
            [(m, translate("RecordsView", "All months") if m == ALL else m) for m in v.months]
            if len(v.months) > 1 else [], v.month)
        credit = translate("RecordsView", "Credit")
        spending = translate("RecordsView", "Spending")
        self._show_table(
            [(translate("RecordsView", "Time"), "text"),
             (translate("RecordsView", "Type"), "text"),
             (translate("RecordsView", "Where"), "text"),
             (translate("RecordsView", "Amount (yuan)"), "number"),
             (translate("RecordsView", "Balance after (yuan)"), "number")],
            [[beijing(t.occurred_at), credit if t.kind == "credit" else spending, t.place,
              amount(t.amount), amount(t.balance_after)] for t in v.rows],
            translate("RecordsView", "No transactions in this month.") if v.month != ALL
            else translate("RecordsView", "No transactions on record."))
        self.totals.setText("" if v.empty else translate(
            "RecordsView", "Credited: {credits}    Spent: {spending}").format(
                credits=money(v.credits), spending=money(v.spending)))
        self.totals.setVisible(not v.empty)
        self.pager.set_info(None if v.empty else v.page)


# ============================================================================ provident fund


class ProvidentFundRecordsView(RecordsView):
    """公积金缴存查询: balance and account state first, year chips, this page's deposits, then
    the rest of the account."""

    accepts = (ProvidentFundView,)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        summary, detail = self._body()
        self._header(summary)
        self._balance(summary)
        self.fields = rich()
        self.fields.setObjectName("records_fields")
        summary.addWidget(self.fields)
        self.year_chips = self._chips(summary, "year", "year")
        self._table(detail)
        self.account_heading = label(role="section", wrap=True)
        self.account = rich()
        self.account.setObjectName("records_account")
        detail.addWidget(self.account_heading)
        detail.addWidget(self.account)
        self._footer()
        self.totals.hide()

    def _status(self, status: str) -> str:
        return {"normal": translate("RecordsView", "Normal"),
                "sealed": translate("RecordsView", "Sealed"),
                "closed": translate("RecordsView", "Closed")}.get(status, status)

    def _render(self, v: ProvidentFundView) -> None:
        a = v.account
        self.title.setText(translate("RecordsView", "Housing provident fund"))
        self.balance_caption.setText(translate("RecordsView", "Balance"))
        self.account_heading.setText(translate("RecordsView", "Account details"))
        self._set_holder(v.holder)
        self.balance.setText(money(a.balance))
        self.fields.setText(pairs_html([
            (translate("RecordsView", "Account number"), masked(a.account_number)),
            (translate("RecordsView", "Account status"), self._status(a.status)),
        ]))
        self.account.setText(pairs_html([
            (translate("RecordsView", "Employer"), a.employer),
            (translate("RecordsView", "Contribution base"), money(a.base)),
            (translate("RecordsView", "Contribution rates"),
             translate("RecordsView", "Personal {personal}% · Employer {employer}%").format(
                 personal=a.personal_rate_percent, employer=a.employer_rate_percent)),
            (translate("RecordsView", "Account opened"), a.opened_month),
        ]))
        self.year_chips.set_options(translate("RecordsView", "Year"),
                                    [(y, str(y)) for y in v.years], v.year)
        self._show_table(
            [(translate("RecordsView", "Month"), "fixed"),
             (translate("RecordsView", "Personal (yuan)"), "number"),
             (translate("RecordsView", "Employer (yuan)"), "number"),
             (translate("RecordsView", "Total (yuan)"), "number"),
             (translate("RecordsView", "Balance after (yuan)"), "number")],
            [[d.month, amount(d.personal), amount(d.employer_amount), amount(d.total),
              amount(d.balance_after)] for d in v.rows],
            translate("RecordsView", "No deposits in this year.") if v.years
            else translate("RecordsView", "No deposits on record."))
        self.pager.set_info(None if v.empty else v.page)


# ============================================================================ real estate


class RealEstateRecordsView(RecordsView):
    """不动产登记信息: one card per registration (two columns when wide), or plainly that
    nothing is registered and that the 无房证明 can be printed."""

    accepts = (RealEstateView,)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        body = QWidget()
        col = QVBoxLayout(body)
        col.setContentsMargins(0, 0, 16, 0)
        col.setSpacing(12)
        self._header(col)
        self.summary = label(role="section", wrap=True)
        self.summary.setObjectName("records_summary")
        self.none_hint = label(role="subtitle", wrap=True)
        self.none_hint.setObjectName("records_none_hint")
        col.addWidget(self.summary)
        col.addWidget(self.none_hint)
        self._grid = QGridLayout()
        self._grid.setSpacing(16)
        col.addLayout(self._grid)
        col.addStretch(1)
        self.scroll = scroll_column(body)
        self._col.addWidget(self.scroll, 1)
        self.cards: list[QFrame] = []

    def _forget(self) -> None:
        for card in self.cards:
            for w in card.findChildren(QLabel):
                w.clear()
            self._grid.removeWidget(card)
            card.hide()
            card.deleteLater()
        self.cards = []

    def _orient(self, wide: bool) -> None:
        self._place_cards()

    def _place_cards(self) -> None:
        columns = 2 if self._is_wide else 1
        for card in self.cards:
            self._grid.removeWidget(card)
        for n, card in enumerate(self.cards):
            self._grid.addWidget(card, n // columns, n % columns, Qt.AlignmentFlag.AlignTop)
        for c in range(2):
            self._grid.setColumnStretch(c, 1 if c < columns else 0)

    def _card(self, n: int, r: p.RealEstateRegistration) -> QFrame:
        card = QFrame()
        card.setProperty("role", "card")
        card.setObjectName(f"registration_{n}")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 16, 24, 16)
        inner.setSpacing(8)
        heading = label(role="section", wrap=True)
        heading.setText(translate("RecordsView", "Property {n}").format(n=n))
        if r.mortgaged and r.sealed:
            restrictions = translate("RecordsView", "Mortgaged and seized")
        elif r.mortgaged:
            restrictions = translate("RecordsView", "Mortgaged")
        elif r.sealed:
            restrictions = translate("RecordsView", "Seized")
        else:
            restrictions = translate("RecordsView", "None")
        body = rich()
        body.setText(pairs_html([
            (translate("RecordsView", "Certificate number"), masked(r.certificate_number)),
            (translate("RecordsView", "Location"), r.location),
            (translate("RecordsView", "Usage"), r.usage),
            (translate("RecordsView", "Floor area"),
             translate("RecordsView", "{area} m²").format(area=f"{r.area_m2:,.2f}")),
            (translate("RecordsView", "Right type"), r.right_type),
            (translate("RecordsView", "Ownership"), r.share),
            (translate("RecordsView", "Registered on"), r.registered_on.isoformat()),
            (translate("RecordsView", "Restrictions"), restrictions),
        ]))
        inner.addWidget(heading)
        inner.addWidget(body)
        return card

    def _render(self, v: RealEstateView) -> None:
        self.title.setText(translate("RecordsView", "Real estate registrations"))
        self._set_holder(v.holder)
        self._forget()
        if v.has_property:
            count = len(v.registrations)
            self.summary.setText(translate("RecordsView", "%n property(ies) registered in your "
                                           "name", "", count))
            self.none_hint.clear()
            self.cards = [self._card(n, r) for n, r in enumerate(v.registrations, 1)]
            self._place_cards()
        else:
            self.summary.setText(translate("RecordsView",
                                           "No real estate is registered in your name."))
            self.none_hint.setText(translate(
                "RecordsView", "In the next step you can print a certificate of no registered "
                "property."))
        self.none_hint.setVisible(not v.has_property)


# ============================================================================ queue ticket


class AccessLogRecordsView(RecordsView):
    """近期查询记录: who looked up the citizen's records, newest first: when, where (the place
    and the terminal), what and how the citizen was verified; a page at a time."""

    accepts = (AccessLogView,)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        summary, detail = self._body()
        self.title = label(role="title", wrap=True)
        self.intro = label(wrap=True)
        self.intro.setObjectName("records_intro")
        summary.addWidget(self.title)
        summary.addWidget(self.intro)
        self._table(detail)
        self.note = label(role="small", wrap=True)
        self.note.setObjectName("records_note")
        detail.addWidget(self.note)
        self._footer()
        self.totals.hide()

    @staticmethod
    def what(call: str) -> str:
        words = {
            "social_insurance": translate("RecordsView", "Social insurance records"),
            "medical_account": translate("RecordsView", "Medical insurance account"),
            "provident_fund": translate("RecordsView", "Housing provident fund"),
            "real_estate": translate("RecordsView", "Real estate registrations"),
            "access_log": translate("RecordsView", "This list of lookups"),
        }.get(call)
        if words is not None:
            return words
        try:  # a document: "document:<kind>" (the reference backend), or the kind alone
            title = p.DOCUMENT_TITLES[p.DocumentKind(call.removeprefix("document:"))]
        except ValueError:
            return call
        return translate("RecordsView", "Issued: {document}").format(document=title)

    @staticmethod
    def how(entry: p.AccessEntry) -> str:
        method = entry.method
        if method is p.VerifyMethod.CARD_FACE:
            return translate("RecordsView", "ID card and face check")
        if method is p.VerifyMethod.E_CREDENTIAL:
            return translate("RecordsView", "E-credential QR code")
        if method is p.VerifyMethod.ATTENDED:
            return translate("RecordsView", "With staff ({staff})").format(
                staff=entry.staff_id or "—")
        return translate("RecordsView", "Not verified")

    def _render(self, v: AccessLogView) -> None:
        self.title.setText(translate("RecordsView", "Who looked at my records"))
        self.intro.setText(translate(
            "RecordsView", "Every lookup of your records at a self-service terminal is "
            "recorded: when, where, what and how the person was verified."))
        self._show_table(
            [(translate("RecordsView", "When"), "fixed"),
             (translate("RecordsView", "At which terminal"), "text"),
             (translate("RecordsView", "What"), "text"),
             (translate("RecordsView", "Verified by"), "text")],
            [[beijing(e.at), f"{e.place} ({e.terminal_id})" if e.place else e.terminal_id,
              self.what(e.call), self.how(e)] for e in v.rows],
            translate("RecordsView", "No one has looked up your records recently."))
        self.note.setText(translate(
            "RecordsView", "A lookup you do not recognise? Report it at the staffed window: "
            "staff can see which terminal it was."))
        self.pager.set_info(None if v.empty else v.page)


class QueueTicketView(RecordsView):
    """现场取号: the number, huge; the business, the window, the people ahead and a QR code to
    follow the queue by phone. The code goes under the number when it fits there, beside it
    otherwise (landscape, elder mode)."""

    accepts = (p.QueueTicket,)
    personal = False

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._box = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.Direction.TopToBottom)
        self._box.setSpacing(32)
        self._col.addStretch(1)
        self._col.addLayout(self._box)
        self._col.addStretch(1)
        self._info = QWidget()
        info = QVBoxLayout(self._info)
        info.setContentsMargins(0, 0, 0, 0)
        info.setSpacing(12)
        self.caption = label(role="subtitle", wrap=True)
        self.number = rich("hero")
        self.number.setObjectName("ticket_number")
        self.business = label(role="title", wrap=True)
        self.window_label = label(wrap=True)
        self.ahead = label(role="section", wrap=True)
        self.ahead.setObjectName("ticket_ahead")
        self.issued = label(role="small", wrap=True)
        for w in (self.caption, self.number, self.business, self.window_label, self.ahead,
                  self.issued):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            info.addWidget(w)
        self._box.addWidget(self._info, 1)
        self._qr_box = QWidget()
        qr_col = QVBoxLayout(self._qr_box)
        qr_col.setContentsMargins(0, 0, 0, 0)
        qr_col.setSpacing(8)
        self.qr = QrView(QR_SIDE)
        self.qr.setObjectName("ticket_qr")
        self.qr_caption = label(role="small", wrap=True)
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        qr_col.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        qr_col.addWidget(self.qr_caption)
        self._qr_box.setFixedWidth(QR_SIDE + 80)
        self._box.addWidget(self._qr_box, 0, Qt.AlignmentFlag.AlignCenter)

    def event(self, e) -> bool:
        # a theme change resizes the texts: the code may have to move beside the number
        if e.type() == QEvent.Type.LayoutRequest:
            self._orient(_wide(self.size()))
        return super().event(e)

    def _orient(self, wide: bool) -> None:
        size = self.size()
        stacked = (self._info.heightForWidth(size.width()) + self._box.spacing()
                   + self._qr_box.sizeHint().height())
        beside = _wide(size) or stacked > size.height()
        direction = (QtWidgets.QBoxLayout.Direction.LeftToRight if beside
                     else QtWidgets.QBoxLayout.Direction.TopToBottom)
        if self._box.direction() != direction:
            self._box.setDirection(direction)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        QWidget.resizeEvent(self, event)
        self._orient(_wide(event.size()))

    def _render(self, v: p.QueueTicket) -> None:
        self.caption.setText(translate("RecordsView", "Your queue number"))
        self.number.setText(f"<font size='7'>{escape(v.number)}</font>")
        self.number.setAccessibleName(v.number)
        self.business.setText(v.business_name or v.business_type)
        self.window_label.setText(translate(
            "RecordsView", "When your number is called, please go to {window}").format(
                window=v.window) if v.window else "")
        self.window_label.setVisible(bool(v.window))
        ahead = v.people_ahead
        self.ahead.setText(translate("RecordsView", "%n person(s) ahead of you", "", ahead))
        self.issued.setText(translate("RecordsView", "Taken at {time}").format(
            time=beijing(v.issued_at)))
        self.qr_caption.setText(translate("RecordsView", "Scan to follow the queue"))
        if self.qr.data() != v.follow_url:
            self.qr.set_data(v.follow_url)


# ============================================================================ guide slip


class GuideSlipView(RecordsView):
    """办事指南 slip preview: the item, its department, the materials, where to go and a QR code
    of the online guide."""

    accepts = (GuideDetail,)
    personal = False

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # the code beside the heading, the materials and the place under both at full width
        # (beside the materials, elder mode would squeeze them to two characters a line)
        top = QHBoxLayout()
        top.setSpacing(24)
        heading = QVBoxLayout()
        heading.setSpacing(8)
        self.caption = label(role="subtitle", wrap=True)
        self.title = label(role="title", wrap=True)
        self.title.setObjectName("guide_title")
        self.department = label(role="subtitle", wrap=True)
        for w in (self.caption, self.title, self.department):
            heading.addWidget(w)
        heading.addStretch(1)
        top.addLayout(heading, 1)
        qr_card = QrCard(QR_SIDE, "guide_qr")
        self.qr, self.qr_caption = qr_card.qr, qr_card.caption
        qr_card.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Maximum)
        top.addWidget(qr_card, 0, Qt.AlignmentFlag.AlignTop)
        self._col.addLayout(top)
        body = QWidget()
        col = QVBoxLayout(body)
        col.setContentsMargins(0, 0, 16, 0)
        col.setSpacing(8)
        self.materials_heading = label(role="section", wrap=True)
        self.materials = rich()
        self.materials.setObjectName("guide_materials")
        self.where_heading = label(role="section", wrap=True)
        self.where = rich()
        self.where.setObjectName("guide_where")
        for w in (self.materials_heading, self.materials, self.where_heading, self.where):
            col.addWidget(w)
        col.addStretch(1)
        self.scroll = scroll_column(body)
        self._col.addWidget(self.scroll, 1)

    def _render(self, g: GuideDetail) -> None:
        self.caption.setText(translate("RecordsView", "Service guide"))
        self.materials_heading.setText(translate("RecordsView", "Materials to bring"))
        self.where_heading.setText(translate("RecordsView", "Where to go"))
        self.qr_caption.setText(translate("RecordsView", "Scan to read this guide online"))
        self.title.setText(data(g.item.name))
        self.department.setText(data(g.item.department_name))
        original = translate("RecordsView", "original ×{n}")
        copy = translate("RecordsView", "copy ×{n}")
        rows = "".join(
            f"<tr><td>{i}. {escape(m.name)}"
            + (f"<br>{escape(m.note)}" if m.note else "") + "</td>"
            f"<td nowrap>{escape(original.format(n=m.originals)) if m.originals else ''}</td>"
            f"<td nowrap>{escape(copy.format(n=m.copies)) if m.copies else ''}</td></tr>"
            for i, m in enumerate(g.materials, 1))
        self.materials.setText(
            data(f"<table cellspacing='0' cellpadding='6' width='100%'>{rows}</table>") if rows
            else escape(translate("RecordsView", "No materials needed.")))
        self.where.setText(pairs_html([(k, v) for k, v in (
            (translate("RecordsView", "Place"), data(g.place)),
            (translate("RecordsView", "Window"), data(g.window)),
            (translate("RecordsView", "Hours"), data(g.hours)),
            (translate("RecordsView", "Phone"), g.phone),
        ) if v]))
        if self.qr.data() != g.online_url:
            self.qr.set_data(g.online_url)


# ============================================================================ the factory

_WIDGETS: tuple[type[RecordsView], ...] = (
    CertificateRecordsView, ContributionsRecordsView, MedicalEnrolmentRecordsView,
    MedicalAccountRecordsView, ProvidentFundRecordsView, RealEstateRecordsView, QueueTicketView,
    GuideSlipView, AccessLogRecordsView,
)


def records_view_class(view: Any) -> type[RecordsView]:
    view = _content(view)
    for cls in _WIDGETS:
        if isinstance(view, cls.accepts):
            return cls
    raise TypeError(f"no records view for {type(view).__name__}")


def make_records_view(view: Any, parent: QWidget | None = None) -> RecordsView:
    """The widget for `view` (a preview's view is unwrapped to its content), already showing
    it."""
    widget = records_view_class(view)(parent)
    widget.set_view(view)
    return widget
