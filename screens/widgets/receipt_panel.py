"""Demo only: a side window that shows the last receipt the virtual printer printed."""

from __future__ import annotations

from io import BytesIO

from screens.qt import QImage, QLabel, QPixmap, Qt, QVBoxLayout, QWidget, translate
from screens.widgets.chrome import label, touch_scroll_area


class ReceiptPanel(QWidget):
    def __init__(self, virtual_printer, parent: QWidget | None = None):
        super().__init__(parent)
        self.printer = virtual_printer
        self.setObjectName("ReceiptPanel")
        self.setWindowTitle(translate("ReceiptPanel", "Virtual receipt printer"))
        col = QVBoxLayout(self)
        self.caption = label(translate("ReceiptPanel", "Last receipt printed"), role="small")
        self.paper = QLabel()
        self.paper.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        col.addWidget(self.caption)
        col.addWidget(touch_scroll_area(self.paper), 1)
        self.resize(640, 1200)
        self._shown = 0

    def refresh(self) -> bool:
        """Show the newest job, if there is one we have not shown; True if it changed."""
        jobs = self.printer.jobs
        if len(jobs) == self._shown:
            return False
        self._shown = len(jobs)
        buf = BytesIO()
        self.printer.render(jobs[-1]).save(buf, format="PNG")
        self.paper.setPixmap(QPixmap.fromImage(QImage.fromData(buf.getvalue(), "PNG")))
        return True
