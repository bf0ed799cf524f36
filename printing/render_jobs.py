"""What the document renderer does, one function per job: plain data in, bytes out.

The kiosk runs these in its render helper process (`printing.render_host`,
docs/decisions/0022): ReportLab, the WenQuanYi font's ~21 MiB of parsed tables, Pillow,
python-escpos, qrcode and QtPdf live there, not in the kiosk. `LocalRenderer` runs the same
functions in the calling process (tests, command-line samples). Every argument and result
pickles; nothing is kept from one job to the next except what a library caches by itself (the
parsed fonts, python-escpos' printer database), which holds no citizen's data.
"""

from __future__ import annotations

import importlib
from typing import Any

PREVIEW_WIDTH = 940  # pixels: the preview's page as the elder mode shows it (others scale it)


def _call(path: str):
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def document(renderer: str, doc: Any, terminal_id: str, draft: bool,
             reprint: bool = False, language: str = "zh_CN") -> bytes:
    """A citizen's A4 document as PDF bytes: `renderer` is the item registry's
    ``module:function`` for its kind (printing.flow_documents); `reprint`: stamped 补打;
    `language`: the citizen's (headings; documents.in_language). Both travel with the job:
    the helper process does not share the caller's context."""
    from printing.documents import in_language, reprinting

    with in_language(language):
        if reprint:
            with reprinting():
                return _call(renderer)(doc, terminal_id, draft)
        return _call(renderer)(doc, terminal_id, draft)


def page(renderer: str, doc: Any, terminal_id: str, width: int = PREVIEW_WIDTH,
         language: str = "zh_CN") -> bytes:
    """The draft's first page as a PNG `width` pixels wide: the preview before printing."""
    return first_page_png(document(renderer, doc, terminal_id, True, False, language), width)


_PDF: list = []  # one QPdfDocument and its source buffer for the process: a new one per job
#                 leaks ~35 KB in PDFium each time (measured: 3.3 MiB per 100 previews)


def first_page_png(pdf: bytes, width: int) -> bytes:
    """Page 1 of `pdf` drawn by QtPdf (PDFium) as PNG bytes; ValueError if it cannot be read."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtPdf import QPdfDocument

    if not _PDF:
        _PDF.extend((QPdfDocument(None), QBuffer()))
    doc, source = _PDF
    source.setData(QByteArray(pdf))
    source.open(QIODevice.OpenModeFlag.ReadOnly)
    try:
        doc.load(source)
        if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
            raise ValueError("not a readable PDF")
        size = doc.pagePointSize(0)
        drawn = doc.render(0, QSize(width, round(width * size.height() / size.width())))
        if drawn.isNull():
            raise ValueError("the page could not be drawn")
        # on white, as on paper (PDFium leaves the page's background transparent)
        image = QImage(drawn.size(), QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.drawImage(0, 0, drawn)
        painter.end()
        out = QBuffer()
        out.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(out, "PNG"):
            raise ValueError("the page could not be drawn")
        return bytes(out.data())
    finally:  # the document (a citizen's) is dropped
        doc.close()
        source.close()
        source.setData(QByteArray())


def _profile(profile: Any):
    """A `PaperProfile`, or ``("mm", 58)`` for the profile of that paper width (the kiosk sends
    the width so that it never loads python-escpos itself)."""
    if isinstance(profile, tuple):
        from printing.escpos_text import PROFILE_58MM, PROFILE_80MM

        return PROFILE_58MM if profile[1] == 58 else PROFILE_80MM
    return profile


def guide_slip(fields: dict, profile: Any) -> bytes:
    """The 办事指南 slip as ESC/POS bytes; `fields` are `GuideSlip`'s, materials as dicts."""
    from printing.receipts import GuideSlip, Material, guide_slip as encode

    slip = GuideSlip(**{**fields, "materials": [Material(**m) for m in fields["materials"]]})
    return encode(slip, _profile(profile))


def queue_ticket(fields: dict, profile: Any) -> bytes:
    """A 取号 receipt as ESC/POS bytes; `fields` are `QueueTicket`'s."""
    from printing.receipts import QueueTicket, queue_ticket as encode

    return encode(QueueTicket(**fields), _profile(profile))


def warm() -> bool:
    """Load what the first job would (ReportLab and its CJK font, python-escpos' profiles,
    QtPdf), so that the first citizen does not wait for it."""
    from printing import documents, escpos_text, fonts, receipts  # noqa: F401
    from PySide6 import QtPdf  # noqa: F401

    fonts.register_pdf_font()
    escpos_text.PROFILE_80MM  # noqa: B018 (python-escpos' printer database, read once)
    return True


def forget() -> None:
    """After a citizen's job: the per-character caches that might tell which characters a
    name had (widths, the fallback glyphs drawn for rare characters) are emptied."""
    import sys

    documents = sys.modules.get("printing.documents")
    if documents is not None:
        documents._em.cache_clear()
        documents._fallback_glyph.cache_clear()
    fonts = sys.modules.get("printing.fonts")
    if fonts is not None:
        fonts.pdf_font_covers.cache_clear()


JOBS = {"document": document, "page": page, "guide_slip": guide_slip,
        "queue_ticket": queue_ticket, "warm": warm}


class LocalRenderer:
    """The jobs run in the calling process (no helper): tests and the command line."""

    def run(self, job: str, *args: Any) -> Any:
        return JOBS[job](*args)

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass
