"""One QR helper for documents (ReportLab) and the raster fallback of receipt printers."""

from __future__ import annotations

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

EC_LEVELS = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}


def qr_modules(data: str | bytes, ec: str = "M") -> int:
    """Side of the QR symbol in modules, without quiet zone."""
    qr = qrcode.QRCode(error_correction=EC_LEVELS[ec], border=0)
    qr.add_data(data)
    qr.make(fit=True)
    return qr.modules_count


def qr_image(data: str | bytes, *, box_size: int = 4, border: int = 4, ec: str = "M",
             max_px: int | None = None) -> Image.Image:
    """A black-on-white QR code as a 1-bit PIL image.

    box_size is the module size in pixels (printer dots for receipts); with max_px the module
    size is reduced until the whole symbol, quiet zone included, fits in max_px.
    """
    if not data:
        raise ValueError("empty QR content")
    qr = qrcode.QRCode(error_correction=EC_LEVELS[ec], box_size=1, border=border)
    qr.add_data(data)
    qr.make(fit=True)
    matrix = qr.get_matrix()  # includes the quiet zone
    side = len(matrix)
    if max_px is not None:
        box_size = max(1, min(box_size, max_px // side))
    # Draw the module matrix directly: no dependency on qrcode's image factories.
    img = Image.new("1", (side, side), 1)
    px = img.load()
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                px[x, y] = 0
    if box_size != 1:
        img = img.resize((side * box_size, side * box_size), Image.Resampling.NEAREST)
    return img
