"""The first page of a document, on screen, before it is printed (QtPdf)."""

from __future__ import annotations

from screens.qt import (
    QBuffer,
    QByteArray,
    QIODevice,
    QLabel,
    QPdfDocument,
    QPixmap,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
)


class PdfPreview(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._doc = QPdfDocument(self)
        self._buffer = QBuffer(self)  # one for the widget's life: a preview per citizen
        self.page = QLabel()
        self.page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page.setObjectName("PdfPreviewPage")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.page)

    def page_count(self) -> int:
        return self._doc.pageCount()

    def show_pdf(self, data: bytes, width: int = 700) -> bool:
        """Render the first page `width` pixels wide; False if the PDF cannot be read."""
        self.clear()
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._doc.load(self._buffer)
        if self._doc.status() != QPdfDocument.Status.Ready or self._doc.pageCount() < 1:
            self.clear()
            return False
        size = self._doc.pagePointSize(0)
        height = round(width * size.height() / size.width())
        image = self._doc.render(0, QSize(width, height))
        self.page.setPixmap(QPixmap.fromImage(image))
        return True

    def clear(self) -> None:
        """Forget the document (it may hold a citizen's data)."""
        self._doc.close()
        self.page.clear()
        self._buffer.close()
        self._buffer.setData(QByteArray())
