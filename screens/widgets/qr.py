"""A QR code drawn crisp at any size: dark modules on white with the standard quiet zone."""

from __future__ import annotations

from screens.qt import (
    QColor,
    QFrame,
    QLabel,
    QLayout,
    QPainter,
    QRectF,
    QSize,
    QSizePolicy,
    Qt,
    QVBoxLayout,
    QWidget,
)
from screens.widgets.chrome import label

# qrcode imports its Pillow module drawers "for backwards compatibility" and does without them
# when that import fails. The kiosk only needs the matrix (drawn by Qt below); Pillow (~4 MiB)
# stays in the render helper that prints the slips.
_PIL_DRAWERS = "qrcode.image.styles.moduledrawers.pil"


def _import_qrcode():
    import sys

    if "qrcode" in sys.modules:
        return sys.modules["qrcode"]
    blocked = "PIL" not in sys.modules and _PIL_DRAWERS not in sys.modules
    if blocked:
        sys.modules[_PIL_DRAWERS] = None  # an ImportError for that one import
    try:
        import qrcode
    finally:
        if blocked and sys.modules.get(_PIL_DRAWERS, 0) is None:
            del sys.modules[_PIL_DRAWERS]  # a later real import of the drawers still works
    return qrcode


def qr_matrix(data: str) -> list[list[bool]]:
    # qrcode loads with the first code shown, not at start, and without Pillow
    qrcode = _import_qrcode()
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    qr.add_data(data)
    qr.make(fit=True)
    return qr.get_matrix()


class QrView(QWidget):
    def __init__(self, side: int = 360, parent: QWidget | None = None):
        super().__init__(parent)
        self._matrix: list[list[bool]] = []
        self._data = ""
        self._side = side
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFixedSize(side, side)

    def set_side(self, side: int) -> None:
        self._side = side
        self.setFixedSize(side, side)

    def sizeHint(self) -> QSize:
        return QSize(self._side, self._side)

    def data(self) -> str:
        return self._data

    def set_data(self, data: str) -> None:
        self._data = data
        self._matrix = qr_matrix(data) if data else []
        self.setAccessibleName(data)
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("white"))
        n = len(self._matrix)
        if not n:
            return
        cell = min(self.width(), self.height()) // n  # whole pixels per module: no blur
        off_x = (self.width() - cell * n) // 2
        off_y = (self.height() - cell * n) // 2
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("black"))
        for y, row in enumerate(self._matrix):
            for x, dark in enumerate(row):
                if dark:
                    p.drawRect(QRectF(off_x + x * cell, off_y + y * cell, cell, cell))
        p.end()


class QrCard(QFrame):
    """A card holding a QR code (`qr`) over its caption (`caption`); more controls go into
    `col`. It never shrinks below the code plus its caption: a squeezed card would let the
    caption overlap the code and spoil the scan (the screen around it scrolls instead)."""

    def __init__(self, side: int, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("role", "card")
        self.col = QVBoxLayout(self)
        self.col.setContentsMargins(16, 16, 16, 16)
        self.col.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.qr = QrView(side)
        self.qr.setObjectName(name)
        self.caption: QLabel = label(role="small", wrap=True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setMaximumWidth(side)
        self.col.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        self.col.addWidget(self.caption)
