"""Chinese text on ESC/POS printers through python-escpos, laid out in display columns.

python-escpos has no CJK code page, and its `magic` encoder prints CJK punctuation and rare
characters as `?`. So text goes out through the printer's raw write:
- ASCII runs as plain bytes (single-byte mode);
- every other run as `FS &` (1C 26, Chinese character mode on), the run in GB18030 (which
  encodes every Unicode character, 4-byte sequences included), then `FS .` (1C 2E, off).

Widths are counted in display columns of font A: 12 dots for a single-byte character and
24 dots for any character sent in Chinese mode (a Han character = 2 columns). The paper width
and the columns per font come from the python-escpos printer profiles (`escpos.capabilities`).

Character size goes through `GS !`, which enlarges Chinese and single-byte characters alike;
`ESC !` (what python-escpos's double_width/double_height send) leaves Chinese characters at
normal size on Chinese printers.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from escpos.capabilities import BaseProfile, Profile, get_profile_class
from escpos.constants import PAPER_FULL_CUT, QR_ECLEVEL_M
from escpos.escpos import Escpos

from printing.qr import qr_image, qr_modules

FS_KANJI_ON = b"\x1c\x26"  # FS &
FS_KANJI_OFF = b"\x1c\x2e"  # FS .
ANK_DOTS = 12  # font A single-byte character width in dots; Chinese characters are 24

Align = Literal["left", "center", "right"]


# --------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class PaperProfile:
    """What layouts need to know about a receipt printer, taken from a python-escpos profile.

    columns: font A single-byte columns at normal size (a Han character takes 2).
    """

    escpos_name: str
    width_dots: int
    columns: int
    native_qr: bool
    cutter: bool
    paper_mm: float | None = None

    @classmethod
    def from_escpos(cls, name: str, *, width_dots: int | None = None,
                    columns: int | None = None, native_qr: bool | None = None,
                    cutter: bool | None = None) -> PaperProfile:
        """Read a python-escpos profile ("TM-T20II", "POS-5890", ...); keyword arguments
        override what the database says (a printer the database gets wrong, a 58 mm kiosk
        printer that does have a cutter)."""
        data = get_profile_class(name).profile_data
        width = data.get("media", {}).get("width", {})
        if width_dots is None:
            pixels = width.get("pixels")
            if not isinstance(pixels, int):
                raise ValueError(f"printer profile {name!r} has no paper width in dots; "
                                 "pass width_dots")
            width_dots = pixels
        if columns is None:
            columns = int(data["fonts"]["0"]["columns"])
            if columns * ANK_DOTS > width_dots:  # database columns for a wider font grid
                columns = width_dots // ANK_DOTS
        features = data.get("features", {})
        if native_qr is None:
            native_qr = bool(features.get("qrCode"))
        if cutter is None:
            cutter = bool(features.get("paperFullCut") or features.get("paperPartCut"))
        mm = width.get("mm")
        if columns * ANK_DOTS > width_dots:
            raise ValueError(
                f"{columns} columns of {ANK_DOTS} dots do not fit in {width_dots} dots")
        return cls(name, width_dots, columns, native_qr, cutter,
                   float(mm) if isinstance(mm, (int, float)) else None)

    def escpos_profile(self) -> BaseProfile:
        """A python-escpos profile object agreeing with this one (width for raster images,
        QR and cut features), to pass as `profile=` to any python-escpos printer class."""
        return _escpos_profile(self)()


@lru_cache(maxsize=None)
def _escpos_profile(p: PaperProfile) -> type[BaseProfile]:
    base = get_profile_class(p.escpos_name)
    data = copy.deepcopy(base.profile_data)
    data.setdefault("media", {}).setdefault("width", {})["pixels"] = p.width_dots
    data.setdefault("fonts", {}).setdefault("0", {})["columns"] = p.columns
    features = data.setdefault("features", {})
    features["qrCode"] = p.native_qr
    features["paperFullCut"] = p.cutter
    features["paperPartCut"] = p.cutter and bool(features.get("paperPartCut"))
    # python-escpos accepts a profile object only if it is a `Profile` (else it looks the
    # argument up as a name); Profile's own __init__/get_columns would shadow the data.
    return type(f"Kiosk{base.__name__}", (Profile,), {
        "profile_data": data,
        "__init__": lambda self: None,
        "get_columns": BaseProfile.get_columns,
    })


#: 80 mm paper, 72 mm printable: 576 dots at 203 dpi, 48 columns, native QR, cutter.
PROFILE_80MM = PaperProfile.from_escpos("TM-T20II")
#: 58 mm paper: 384 dots, 32 columns, no native QR (raster fallback). The database entry is a
#: handheld without cutter; kiosk 58 mm mechanisms have one.
PROFILE_58MM = PaperProfile.from_escpos("POS-5890", cutter=True)


# --------------------------------------------------------------------------- widths


def char_columns(ch: str) -> int:
    """Display columns of one character as the printer prints it.

    ASCII printable characters go out in single-byte mode (1 column); control characters
    take none. Everything else is sent in Chinese mode and printed in a full 24-dot cell:
    East Asian Wide/Fullwidth (Han, ，。) and Ambiguous (“”×□) by nature, and the rest because
    the printer has no half-width glyphs for multi-byte codes.
    """
    o = ord(ch)
    if 0x20 <= o < 0x7F:
        return 1
    if o < 0x20 or o == 0x7F or unicodedata.category(ch) in ("Cc", "Cf"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 2
    return 2  # N/H outside ASCII: still a double-byte code, printed full width


def text_columns(text: str) -> int:
    return sum(char_columns(c) for c in text)


# Characters that must not start a line, and characters that must not end one (标点禁则).
NO_LINE_START = set("，。、：；！？）》」』】〕〉”’…—～·%,.;:!?)]}")
NO_LINE_END = set("（《「『【〔〈“‘([{")
_TOKENS = re.compile(r"[\x21-\x7e]+| |.", re.DOTALL)


def wrap(text: str, columns: int) -> list[str]:
    """Wrap text to at most `columns` display columns per line.

    Never splits a character; keeps ASCII words together when they fit on a line; keeps
    closing punctuation off the start of a line and opening punctuation off its end.
    Explicit newlines start a new line. Returns at least one (possibly empty) line.
    """
    if columns < 2:
        raise ValueError("need at least 2 columns")
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(_wrap_para(para, columns))
    return out


def _wrap_para(para: str, columns: int) -> list[str]:
    lines: list[str] = []
    line: list[str] = []  # characters of the current line
    width = 0

    def flush() -> None:
        nonlocal line, width
        while line and line[-1] == " ":
            line.pop()
        lines.append("".join(line))
        line, width = [], 0

    for tok in _TOKENS.findall(para):
        tw = text_columns(tok)
        if width + tw <= columns:
            line.extend(tok)
            width += tw
            continue
        if tok == " ":
            flush()
            continue
        if len(tok) > 1 and tw > columns:  # an ASCII word longer than a line: hard split
            for ch in tok:
                if width + 1 > columns:
                    flush()
                line.append(ch)
                width += 1
            continue
        # the token starts a new line; move characters down so punctuation rules hold
        carry: list[str] = []
        if tok[0] in NO_LINE_START and len(line) > 1:
            carry.insert(0, line.pop())
        while len(line) > 1 and line[-1] in NO_LINE_END:
            carry.insert(0, line.pop())
        flush()
        line = carry + list(tok)
        width = text_columns("".join(line))
        if width > columns:  # carried characters made it too long: give up the rule
            head = line[:-len(tok)]
            line = list(tok)
            lines.append("".join(head))
            width = tw
    if line or not lines:
        flush()
    return lines


def fit(left: str, right: str, columns: int) -> str | None:
    """`left` and `right` on one line, right-aligned; None if they do not fit together."""
    gap = columns - text_columns(left) - text_columns(right)
    return left + " " * gap + right if gap >= 1 else None


# --------------------------------------------------------------------------- encoding


_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


def encode_text(text: str) -> bytes:
    """Bytes for a Chinese/ASCII mixed string: ASCII runs plain, other runs inside
    FS & ... FS . as GB18030. Never produces `?` for a character: GB18030 covers Unicode."""
    out = bytearray()
    for run in _RUNS.findall(text):
        if run[0] < "\x80":
            out += run.encode("ascii")
        else:
            out += FS_KANJI_ON + run.encode("gb18030") + FS_KANJI_OFF
    return bytes(out)


# --------------------------------------------------------------------------- writer


class ReceiptWriter:
    """Lays out a receipt on a python-escpos printer object (Dummy, Network, Usb ...).

    Text and control bytes go through the printer's `_raw`; styles and QR codes through
    python-escpos's own methods. Style changes are only sent when they change, so output is
    small and deterministic.
    """

    def __init__(self, printer: Escpos, profile: PaperProfile) -> None:
        self.p = printer
        self.profile = profile
        self._align: str | None = None
        self._bold: bool | None = None
        self._scale: tuple[int, int] | None = None

    # state ---------------------------------------------------------------
    def columns(self, scale: int = 1) -> int:
        return self.profile.columns // scale

    def init(self) -> None:
        """ESC @ (reset), then the writer's own defaults."""
        self.p.hw("INIT")
        self._align, self._bold, self._scale = "left", False, (1, 1)

    def style(self, *, align: Align | None = None, bold: bool | None = None,
              scale: int | tuple[int, int] | None = None) -> None:
        if align is not None and align != self._align:
            self.p.set(align=align)  # ESC a n
            self._align = align
        if bold is not None and bold != self._bold:
            self.p.set(bold=bold)  # ESC E n
            self._bold = bold
        if scale is not None:
            wh = (scale, scale) if isinstance(scale, int) else scale
            if wh != self._scale:
                self.p.set(custom_size=True, width=wh[0], height=wh[1])  # GS ! n
                self._scale = wh

    # content ---------------------------------------------------------------
    def raw_text(self, text: str) -> None:
        self.p._raw(encode_text(text))

    def line(self, text: str = "", *, align: Align = "left", bold: bool = False,
             scale: int = 1) -> int:
        """Wrapped text in the given style; returns the number of printed lines."""
        self.style(align=align, bold=bold, scale=scale)
        lines = wrap(text, self.columns(scale))
        for ln in lines:
            self.p._raw(encode_text(ln) + b"\n")
        return len(lines)

    def blank(self, n: int = 1) -> None:
        self.style(scale=1)
        self.p._raw(b"\n" * n)

    def rule(self, ch: str = "-") -> None:
        self.line(ch * (self.columns() // char_columns(ch)))

    def field(self, label: str, value: str, *, bold: bool = False) -> None:
        """`label：value`, the value wrapped under itself (hanging indent)."""
        prefix = f"{label}："
        indent = text_columns(prefix)
        cols = self.columns()
        self.style(align="left", bold=False, scale=1)
        if indent > cols // 2:  # long label: value on its own lines
            self.line(prefix)
            self.line(value, bold=bold)
            return
        parts = wrap(value, cols - indent)
        self.p._raw(encode_text(prefix))
        self.style(bold=bold)
        for i, part in enumerate(parts):
            pad = "" if i == 0 else " " * indent
            self.p._raw(encode_text(pad + part) + b"\n")
        self.style(bold=False)

    def left_right(self, left: str, right: str) -> None:
        """Two texts on one line (right one flush right), or on two lines if too long."""
        cols = self.columns()
        one = fit(left, right, cols)
        if one is not None:
            self.line(one)
        else:
            self.line(left)
            self.line(right, align="right")

    def qr(self, data: str, *, module: int = 6) -> None:
        """A centred QR code: native `GS ( k` when the profile supports it, else a raster
        image (`GS v 0`) of the same size, centred by ESC a."""
        self.style(align="center", bold=False, scale=1)
        if self.profile.native_qr:
            module = max(1, min(module, self.profile.width_dots // qr_modules(data, "M")))
            self.p.qr(data, native=True, size=module, ec=QR_ECLEVEL_M)
        else:
            img = qr_image(data, box_size=module, border=0, ec="M",
                           max_px=self.profile.width_dots)
            self.p.image(img, impl="bitImageRaster")
        self.p._raw(b"\n")

    def finish(self, feed_lines: int = 4) -> None:
        """Back to defaults, feed the last line past the cutter, and cut."""
        self.style(align="left", bold=False, scale=1)
        self.p.print_and_feed(feed_lines)  # ESC d n
        if self.profile.cutter:
            self.p._raw(PAPER_FULL_CUT)  # GS V 0
