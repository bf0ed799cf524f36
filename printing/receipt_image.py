"""Drawing ESC/POS jobs as receipt images (Pillow, qrcode, Noto Sans CJK SC): the virtual
printer's renderer, kept apart so that a kiosk with a virtual printer starts without Pillow.
`printing.virtual_printer` re-exports `render_job`, `render_receipt`, `Rendering`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageOps

from printing.fonts import receipt_font
from printing.qr import EC_LEVELS
from printing.virtual_printer import Token, _u16, tokens


@dataclass
class PrintedLine:
    """One printed text line: its text, its width in dots, whether the printer had to wrap
    it because it was wider than the paper."""

    text: str
    width_dots: int
    auto_wrapped: bool = False


@dataclass
class Rendering:
    image: Image.Image
    lines: list[PrintedLine]
    cuts: int
    qr_payloads: list[bytes]
    unknown: list[str]  # names of commands skipped


@dataclass
class _Glyph:
    ch: str
    wide: bool
    wm: int
    hm: int
    bold: bool

    @property
    def w(self) -> int:
        return (24 if self.wide else 12) * self.wm

    @property
    def h(self) -> int:
        return 24 * self.hm


LINE_GAP = 6  # dots between 24-dot character rows: 30-dot (1/6 inch) default line spacing


@lru_cache(maxsize=4096)
def _glyph_image(ch: str, wide: bool, wm: int, hm: int, bold: bool) -> Image.Image:
    """A glyph drawn black on white in its cell: 24x24 dots (12x24 half-width) times the
    width/height multipliers."""
    base_w = (24 if wide else 12) * hm
    size = 24 * hm
    cell = Image.new("L", (base_w, size), 255)
    d = ImageDraw.Draw(cell)
    font = receipt_font(22 * hm, mono=not wide)
    for dx in ((0, 1) if bold else (0,)):
        d.text((base_w / 2 + dx, size / 2), ch, font=font, fill=0, anchor="mm")
    if wm != hm:
        cell = cell.resize(((24 if wide else 12) * wm, size), Image.Resampling.BILINEAR)
    return cell


class _Renderer:
    def __init__(self, width: int) -> None:
        self.width = width
        self.bands: list[Image.Image] = []
        self.lines: list[PrintedLine] = []
        self.qr_payloads: list[bytes] = []
        self.unknown: list[str] = []
        self.cuts = 0
        self.reset()
        self.line: list[_Glyph] = []
        self.line_align = "left"

    def reset(self) -> None:
        self.align = "left"
        self.bold = False
        self.kanji = False
        self.ank = (1, 1)  # width, height multipliers
        self.kanji_size = (1, 1)
        self.esc_bang = 0
        self.gs_bang = (1, 1)
        self.qr_model, self.qr_module, self.qr_ec, self.qr_data = 2, 3, "L", b""

    # layout --------------------------------------------------------------
    def _add(self, ch: str, wide: bool) -> None:
        wm, hm = self.kanji_size if wide else self.ank
        g = _Glyph(ch, wide, wm, hm, self.bold)
        used = sum(x.w for x in self.line)
        if used + g.w > self.width:  # the printer wraps a line wider than the paper
            self.flush(auto=True)
        if not self.line:
            self.line_align = self.align
        self.line.append(g)

    def flush(self, auto: bool = False) -> None:
        """Print the line buffer and advance one line (LF)."""
        glyphs, self.line = self.line, []
        text_h = max((g.h for g in glyphs), default=24)
        band = Image.new("L", (self.width, text_h + LINE_GAP), 255)
        used = sum(g.w for g in glyphs)
        x = {"left": 0, "center": (self.width - used) // 2,
             "right": self.width - used}[self.line_align]
        x = max(0, x)
        for g in glyphs:
            band.paste(_glyph_image(g.ch, g.wide, g.wm, g.hm, g.bold), (x, text_h - g.h))
            x += g.w
        self.bands.append(band)
        self.lines.append(PrintedLine("".join(g.ch for g in glyphs), used, auto_wrapped=auto))
        self.line_align = self.align

    def feed_dots(self, dots: int) -> None:
        if self.line:
            self.flush()
            dots -= 24 + LINE_GAP
        if dots > 0:
            self.bands.append(Image.new("L", (self.width, dots), 255))

    def picture(self, img: Image.Image) -> None:
        """A black-on-white image printed at the current alignment (raster, QR)."""
        if self.line:
            self.flush()
        if img.width > self.width:
            img = img.crop((0, 0, self.width, img.height))
        band = Image.new("L", (self.width, img.height), 255)
        x = {"left": 0, "center": (self.width - img.width) // 2,
             "right": self.width - img.width}[self.align]
        band.paste(img.convert("L"), (x, 0))
        self.bands.append(band)

    def cut(self) -> None:
        if self.line:
            self.flush()
        self.cuts += 1
        band = Image.new("L", (self.width, 16), 255)
        d = ImageDraw.Draw(band)
        for x in range(0, self.width, 12):
            d.line((x, 8, x + 6, 8), fill=128)
        self.bands.append(band)

    # text ----------------------------------------------------------------
    def text(self, raw: bytes) -> None:
        i = 0
        while i < len(raw):
            b = raw[i]
            if b < 0x80:
                self._add(chr(b), False)
                i += 1
            elif self.kanji and 0x81 <= b <= 0xFE:
                k = 4 if i + 1 < len(raw) and 0x30 <= raw[i + 1] <= 0x39 else 2
                self._add(raw[i:i + k].decode("gb18030", errors="replace"), True)
                i += k
            else:  # single-byte mode: code page PC437, as a printer out of the box
                self._add(bytes([b]).decode("cp437"), False)
                i += 1

    # commands ------------------------------------------------------------
    def _sizes(self) -> None:
        w, h = self.gs_bang
        ew = 2 if self.esc_bang & 0x20 else 1
        eh = 2 if self.esc_bang & 0x10 else 1
        self.ank = (max(w, ew), max(h, eh))

    def command(self, tok: Token) -> None:
        name, a = tok.name, tok.args
        if name == "ESC @":
            self.reset()
        elif name == "ESC !":
            self.esc_bang = a[0]
            self.bold = bool(a[0] & 0x08)
            self._sizes()
        elif name == "GS !":
            self.gs_bang = ((a[0] >> 4) + 1, (a[0] & 0x0F) + 1)
            self.kanji_size = self.gs_bang
            self._sizes()
        elif name == "FS !":
            self.kanji_size = (2 if a[0] & 0x04 else 1, 2 if a[0] & 0x08 else 1)
        elif name == "ESC E":
            self.bold = bool(a[0] & 1)
        elif name == "ESC a":
            self.align = {0: "left", 48: "left", 1: "center", 49: "center",
                          2: "right", 50: "right"}.get(a[0], "left")
            if not self.line:
                self.line_align = self.align
        elif name == "FS &":
            self.kanji = True
        elif name == "FS .":
            self.kanji = False
        elif name == "ESC d":
            if self.line:
                self.flush()
                self.feed_dots((a[0] - 1) * (24 + LINE_GAP))
            else:
                self.feed_dots(a[0] * (24 + LINE_GAP))
        elif name == "ESC J":
            self.feed_dots(a[0])
        elif name in ("GS V", "ESC i", "ESC m"):
            self.cut()
        elif name == "GS v":
            self._raster(a)
        elif name == "GS ( k":
            self._qr(a)
        elif name in ("ESC 2", "ESC 3", "ESC M", "ESC t", "ESC -", "GS B", "ESC {",
                      "DLE EOT", "DLE ENQ", "GS L", "GS W"):
            pass  # understood, no effect on the drawing
        else:
            self.unknown.append(name)

    def _raster(self, a: bytes) -> None:
        m = a[1]  # a = "0" m xL xH yL yH data
        xb, y = _u16(a, 2), _u16(a, 4)
        bits = Image.frombytes("1", (xb * 8, y), bytes(a[6:6 + xb * y]))
        img = ImageOps.invert(bits.convert("L"))  # ESC/POS: 1 = black dot
        if m in (1, 3, 49, 51):
            img = img.resize((img.width * 2, img.height), Image.Resampling.NEAREST)
        if m in (2, 3, 50, 51):
            img = img.resize((img.width, img.height * 2), Image.Resampling.NEAREST)
        self.picture(img)

    def _qr(self, a: bytes) -> None:
        # a = pL pH cn fn [params]; only QR (cn 49)
        if len(a) < 4 or a[2] != 49:
            return
        fn, p = a[3], a[4:]
        if fn == 65 and p:
            self.qr_model = p[0] - 48
        elif fn == 67 and p:
            self.qr_module = max(1, min(16, p[0]))
        elif fn == 69 and p:
            self.qr_ec = {48: "L", 49: "M", 50: "Q", 51: "H"}.get(p[0], "L")
        elif fn == 80:
            self.qr_data = bytes(p[1:])  # after m = 48
        elif fn == 81 and self.qr_data:
            qr = qrcode.QRCode(error_correction=EC_LEVELS[self.qr_ec], box_size=1, border=0)
            qr.add_data(self.qr_data)
            qr.make(fit=True)
            matrix = qr.get_matrix()
            img = Image.new("L", (len(matrix), len(matrix)), 255)
            img.putdata([0 if dark else 255 for row in matrix for dark in row])
            side = len(matrix) * self.qr_module
            self.picture(img.resize((side, side), Image.Resampling.NEAREST))
            self.qr_payloads.append(self.qr_data)

    def run(self, data: bytes) -> Rendering:
        for tok in tokens(data):
            if tok.kind == "text":
                self.text(tok.raw)
            elif tok.kind == "cmd":
                self.command(tok)
            elif tok.kind == "ctl":
                if tok.raw == b"\n":
                    self.flush()
                elif tok.raw == b"\x0c":  # FF: print
                    if self.line:
                        self.flush()
            else:
                self.unknown.append(f"partial {tok.name}")
        if self.line:
            self.flush()
        top = 12
        height = top + sum(b.height for b in self.bands) + 12
        img = Image.new("L", (self.width, height), 255)
        y = top
        for b in self.bands:
            img.paste(b, (0, y))
            y += b.height
        return Rendering(img, self.lines, self.cuts, self.qr_payloads, self.unknown)


def render_job(data: bytes, width_dots: int = 576) -> Rendering:
    """Lay out ESC/POS bytes as a printer of width_dots would: the image plus what was printed
    (lines with their widths, QR payloads, cuts, commands skipped)."""
    return _Renderer(width_dots).run(data)


def render_receipt(data: bytes, width_dots: int = 576) -> Image.Image:
    """Draw ESC/POS bytes as a receipt image (grayscale, width_dots wide).

    Understood: text, LF, ESC @, FS & / FS . with GB18030, ESC ! / GS ! / FS ! sizes, ESC a,
    ESC E, ESC d / ESC J feeds, GS ( k QR (model, size, level, store, print; drawn with the
    qrcode library), GS v 0 raster images, GS V cut (a dashed line). Everything else is
    skipped by its length.
    """
    return render_job(data, width_dots).image


