"""The first page of a document, on screen, before it is printed: an image drawn by the print
service's render helper process (no PDF is read in the kiosk's process)."""

from __future__ import annotations

from screens.qt import QLabel, QPixmap, Qt, QVBoxLayout, QWidget


class PagePreview(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.page = QLabel()
        self.page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page.setObjectName("PagePreviewPage")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.page)

    def show_image(self, data: bytes, width: int = 700) -> bool:
        """Show the page (PNG bytes) `width` pixels wide; False if the image cannot be read."""
        self.clear()
        pixmap = QPixmap()
        if not data or not pixmap.loadFromData(data, "PNG"):
            return False
        if pixmap.width() != width:
            pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        self.page.setPixmap(pixmap)
        return True

    def clear(self) -> None:
        """Forget the page (it shows a citizen's data)."""
        self.page.clear()
