"""Locating the CJK fonts printing needs, with one clear error when one is missing.

Two fonts, two jobs:
- PDF documents embed a TrueType CJK font (WenQuanYi Micro Hei): ReportLab cannot embed the
  CFF outlines of Noto Sans CJK, and the built-in STSong-Light is never embedded.
- Receipt images (the virtual printer) are drawn with Pillow and Noto Sans CJK SC, which also
  covers the rare characters (e.g. U+20BB7) that WenQuanYi lacks.

Each font can be overridden by an environment variable holding a file path (useful on a
terminal image with other fonts): KIOSK_PDF_FONT, KIOSK_RECEIPT_FONT.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont


class FontNotFoundError(RuntimeError):
    """A CJK font printing needs is not installed."""


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int  # face index inside a .ttc collection
    family: str


_WQY = [
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
]
_NOTO_DIRS = [
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/noto-cjk"),
    Path("/usr/share/fonts/google-noto-cjk"),
]
PDF_FONT_NAME = "WQY"
PDF_FONT_PACKAGE = "fonts-wqy-microhei"
RECEIPT_FONT_PACKAGE = "fonts-noto-cjk"


def _missing(what: str, tried: list[Path], package: str, env: str) -> FontNotFoundError:
    listed = ", ".join(str(p) for p in tried)
    return FontNotFoundError(
        f"{what} not found (tried {listed}). Install the Debian package '{package}' "
        f"or point {env} at a font file."
    )


@lru_cache(maxsize=None)
def pdf_font_file() -> FontFile:
    """The TrueType CJK font embedded in PDF documents."""
    override = os.environ.get("KIOSK_PDF_FONT")
    candidates = [Path(override)] if override else _WQY
    for path in candidates:
        if path.is_file():
            return FontFile(path, 0, "WenQuanYi Micro Hei")
    raise _missing("TrueType CJK font for PDF documents", candidates, PDF_FONT_PACKAGE,
                   "KIOSK_PDF_FONT")


def _find_face(family: str, names: tuple[str, ...], env: str) -> FontFile:
    override = os.environ.get(env)
    candidates = [Path(override)] if override else [d / n for d in _NOTO_DIRS for n in names]
    for path in candidates:
        if not path.is_file():
            continue
        for index in range(16):  # a .ttc holds up to 10 Noto faces; stop at the first error
            try:
                face = ImageFont.truetype(str(path), 12, index=index)
            except OSError:
                break
            if face.getname()[0] == family:
                return FontFile(path, index, family)
        if override:  # an explicit file: take its first face whatever its name
            return FontFile(path, 0, family)
    raise _missing(f"font '{family}'", candidates, RECEIPT_FONT_PACKAGE, env)


@lru_cache(maxsize=None)
def receipt_font_file(mono: bool = False) -> FontFile:
    """Noto Sans CJK SC (Han glyphs) or its Mono face (half-width Latin in 12-dot cells)."""
    family = "Noto Sans Mono CJK SC" if mono else "Noto Sans CJK SC"
    return _find_face(family, ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"),
                      "KIOSK_RECEIPT_FONT")


@lru_cache(maxsize=64)
def receipt_font(size: int, mono: bool = False) -> ImageFont.FreeTypeFont:
    """A cached Pillow font for drawing receipt glyphs."""
    f = receipt_font_file(mono)
    return ImageFont.truetype(str(f.path), size, index=f.index)


@lru_cache(maxsize=None)
def register_pdf_font() -> str:
    """Register the embedded CJK font with ReportLab once; returns its ReportLab name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    f = pdf_font_file()
    pdfmetrics.registerFont(TTFont(PDF_FONT_NAME, str(f.path), subfontIndex=f.index))
    return PDF_FONT_NAME


@lru_cache(maxsize=None)
def pdf_font_covers(ch: str) -> bool:
    """Whether the embedded PDF font has a glyph for this character."""
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(register_pdf_font())
    return ord(ch) in font.face.charToGlyph
