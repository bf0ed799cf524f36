"""A virtual ESC/POS receipt printer: a loopback TCP server that answers status requests from
a scripted state, records jobs, and draws them to PNG with Pillow and Noto Sans CJK SC.

It understands the subset the kiosk emits (see `render_receipt`), parses every other command
by its length so that its bytes are skipped safely, and never mistakes image or QR payload
bytes for commands (a naive byte scan would see DLE EOT inside raster data).

    with VirtualPrinter(profile=PROFILE_80MM) as vp:
        p = escpos.printer.Network("127.0.0.1", vp.port, timeout=5)
        p._raw(receipt_bytes); p.close()
        job = vp.wait_for_jobs(1)[0]
        vp.render(job).save("receipt.png")
"""

from __future__ import annotations

import enum
import logging
import socket
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageOps

from printing.escpos_text import PROFILE_80MM, PaperProfile
from printing.fonts import receipt_font
from printing.qr import EC_LEVELS

log = logging.getLogger("kiosk.printing.virtual")

ESC, FS, GS, DLE = 0x1B, 0x1C, 0x1D, 0x10


# =========================================================================== status


class PrinterState(str, enum.Enum):
    OK = "ok"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    DROP = "drop"  # the connection is reset (RST) when the next bytes arrive


_FIXED = 0x12  # bits 1 and 4 are always 1 in DLE EOT replies; bits 0 and 7 always 0


def status_byte(n: int, state: PrinterState | str) -> int:
    """The reply to DLE EOT n in the given state (Epson ESC/POS real-time status).

    n=1 printer status: bit 3 offline.  n=2 offline cause: bit 2 cover open, bit 5 printing
    stopped by paper end.  n=3 error cause: no error modelled.  n=4 roll paper sensor:
    bits 2-3 near end, bits 5-6 paper end.
    """
    s = PrinterState(state)
    out = _FIXED
    if n == 1 and s in (PrinterState.PAPER_OUT, PrinterState.COVER_OPEN):
        out |= 0x08
    elif n == 2:
        if s is PrinterState.COVER_OPEN:
            out |= 0x04
        if s is PrinterState.PAPER_OUT:
            out |= 0x20
    elif n == 4:
        if s in (PrinterState.PAPER_NEAR_END, PrinterState.PAPER_OUT):
            out |= 0x0C
        if s is PrinterState.PAPER_OUT:
            out |= 0x60
    return out


# =========================================================================== tokenizer


@dataclass(frozen=True)
class Token:
    """One unit of the byte stream: `text` (printable bytes), `ctl` (one control byte) or
    `cmd` (an ESC/FS/GS/DLE command, `name` like "GS ( k", `raw` its full bytes)."""

    kind: str
    name: str
    raw: bytes

    @property
    def args(self) -> bytes:
        """Parameter bytes after the command's prefix (2 bytes; 3 for "GS ( x"-style)."""
        n = len(self.name.split())
        return self.raw[n:]


_ESC_FIXED = {
    b"@": 2, b"!": 3, b"E": 3, b"a": 3, b"d": 3, b"J": 3, b"-": 3, b"M": 3, b"t": 3,
    b"2": 2, b"3": 3, b"G": 3, b"{": 3, b"R": 3, b"V": 3, b" ": 3, b"$": 4, b"\\": 4,
    b"p": 5, b"c": 4, b"r": 3, b"=": 3, b"%": 3, b"i": 2, b"m": 2, b"e": 3, b"K": 3,
    b"L": 2, b"S": 2, b"T": 3, b"W": 10, b"U": 3, b"B": 4, b"?": 3, b"u": 3, b"v": 3,
}
_FS_FIXED = {b"&": 2, b".": 2, b"!": 3, b"-": 3, b"W": 3, b"S": 4, b"C": 3, b"p": 4,
             b"2": 76, b"?": 4}
_GS_FIXED = {
    b"!": 3, b"B": 3, b"b": 3, b"|": 3, b"h": 3, b"w": 3, b"H": 3, b"f": 3, b"L": 4,
    b"W": 4, b"a": 3, b"r": 3, b"I": 3, b"P": 4, b"/": 3, b":": 2, b"E": 3, b"T": 3,
    b"^": 5, b"$": 4, b"\\": 4,
}
_NAMES = {ESC: "ESC", FS: "FS", GS: "GS", DLE: "DLE"}


def _u16(buf: bytes | bytearray, i: int) -> int:
    return buf[i] | (buf[i + 1] << 8)


def _cmd_length(buf: bytes | bytearray, pos: int) -> int | None:
    """Length of the command at buf[pos] (an ESC/FS/GS/DLE byte), or None if more bytes are
    needed to know it or to hold it."""
    n = len(buf) - pos
    if n < 2:
        return None
    lead, c = buf[pos], bytes(buf[pos + 1:pos + 2])

    def need(k: int) -> int | None:
        return k if n >= k else None

    if lead == DLE:
        if c == b"\x04":  # DLE EOT n [a]
            if n < 3:
                return None
            return need(4 if buf[pos + 2] in (7, 8) else 3)
        if c == b"\x05":  # DLE ENQ n
            return need(3)
        if c == b"\x14":  # DLE DC4 fn ...
            if n < 3:
                return None
            return need(7 if buf[pos + 2] == 3 else 5)
        return 1  # a lone DLE: skip the byte
    if lead == ESC:
        if c == b"*":  # ESC * m nL nH d1..dk
            if n < 5:
                return None
            dots = _u16(buf, pos + 3)
            return need(5 + dots * (3 if buf[pos + 2] in (32, 33) else 1))
        if c == b"(":  # ESC ( fn pL pH ...
            return need(5 + _u16(buf, pos + 3)) if n >= 5 else None
        if c == b"D":  # ESC D n1 ... NUL
            end = buf.find(b"\x00", pos + 2)
            return None if end < 0 else end - pos + 1
        if c == b"&":  # ESC & y c1 c2 [x d1..d(y*x)]k: user-defined characters
            if n < 5:
                return None
            y, c1, c2 = buf[pos + 2], buf[pos + 3], buf[pos + 4]
            i = pos + 5
            for _ in range(max(0, c2 - c1 + 1)):
                if i >= len(buf):
                    return None
                i += 1 + y * buf[i]
            return need(i - pos)
        return need(_ESC_FIXED.get(c, 2))
    if lead == FS:
        if c == b"(":
            return need(5 + _u16(buf, pos + 3)) if n >= 5 else None
        return need(_FS_FIXED.get(c, 2))
    # GS
    if c == b"V":  # GS V m [n]
        if n < 3:
            return None
        return need(3 if buf[pos + 2] in (0, 1, 48, 49) else 4)
    if c == b"v":  # GS v 0 m xL xH yL yH d1..dk
        if n < 8:
            return None
        return need(8 + _u16(buf, pos + 4) * _u16(buf, pos + 6))
    if c == b"(":  # GS ( fn pL pH ...
        return need(5 + _u16(buf, pos + 3)) if n >= 5 else None
    if c == b"8":  # GS 8 L p1 p2 p3 p4 ...
        if n < 7:
            return None
        return need(7 + int.from_bytes(bytes(buf[pos + 3:pos + 7]), "little"))
    if c == b"*":  # GS * x y d1..d(x*y*8)
        if n < 4:
            return None
        return need(4 + buf[pos + 2] * buf[pos + 3] * 8)
    if c == b"k":  # GS k m d1..dk NUL | GS k m n d1..dn
        if n < 3:
            return None
        m = buf[pos + 2]
        if m <= 6:
            end = buf.find(b"\x00", pos + 3)
            return None if end < 0 else end - pos + 1
        return need(4 + buf[pos + 3]) if n >= 4 else None
    return need(_GS_FIXED.get(c, 2))


def _cmd_name(buf: bytes | bytearray, pos: int, length: int) -> str:
    lead = buf[pos]
    if length < 2:
        return _NAMES[lead]
    c = buf[pos + 1]
    if lead == DLE:
        return {4: "DLE EOT", 5: "DLE ENQ", 0x14: "DLE DC4"}.get(c, "DLE")
    name = f"{_NAMES[lead]} {chr(c) if 0x20 < c < 0x7F else f'x{c:02X}'}"
    if c == 0x28 and length >= 3:  # "(" takes a function letter
        name += f" {chr(buf[pos + 2])}"
    return name


def next_token(buf: bytes | bytearray, pos: int, final: bool = True) -> tuple[Token, int] | None:
    """The token at buf[pos] and the position after it; None at the end of the buffer or, with
    final=False, when a command is cut off (wait for more bytes). With final=True a cut-off
    command comes back as kind "partial"."""
    if pos >= len(buf):
        return None
    b = buf[pos]
    if b in _NAMES:
        length = _cmd_length(buf, pos)
        if length is None:
            if not final:
                return None
            return Token("partial", _NAMES[b], bytes(buf[pos:])), len(buf)
        return Token("cmd", _cmd_name(buf, pos, length), bytes(buf[pos:pos + length])), pos + length
    if b < 0x20:
        return Token("ctl", f"x{b:02X}", bytes(buf[pos:pos + 1])), pos + 1
    end = pos + 1
    while end < len(buf) and buf[end] >= 0x20 and buf[end] not in _NAMES:
        end += 1
    return Token("text", "text", bytes(buf[pos:end])), end


def tokens(data: bytes) -> Iterator[Token]:
    pos = 0
    while (r := next_token(data, pos)) is not None:
        tok, pos = r
        yield tok


def is_cut(tok: Token) -> bool:
    return tok.kind == "cmd" and tok.name in ("GS V", "ESC i", "ESC m")


# =========================================================================== renderer


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


# =========================================================================== server


@dataclass(frozen=True)
class Job:
    """Bytes the kiosk sent: up to and including a cut, or up to the end of the connection."""

    data: bytes
    connection: int
    complete: bool  # ended with a cut
    state: PrinterState  # printer state when the job ended


@dataclass
class _Conn:
    sock: socket.socket
    number: int
    thread: threading.Thread | None = None


class VirtualPrinter:
    """A network receipt printer on loopback (port 0 = any free port).

    Script it with `state` (ok, paper_near_end, paper_out, cover_open, drop) and `drop_after`
    (reset each new connection after that many bytes). Jobs land in `jobs`.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *,
                 profile: PaperProfile = PROFILE_80MM,
                 state: PrinterState | str = PrinterState.OK,
                 drop_after: int | None = None) -> None:
        self.host = host
        self._port = port
        self.profile = profile
        self._state = PrinterState(state)
        self.drop_after = drop_after
        self._jobs: list[Job] = []
        self.status_queries: list[tuple[int, int]] = []  # (n, reply)
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._conns: list[_Conn] = []
        self._count = 0

    # scripting -------------------------------------------------------------
    @property
    def state(self) -> PrinterState:
        return self._state

    @state.setter
    def state(self, value: PrinterState | str) -> None:
        self._state = PrinterState(value)

    @property
    def port(self) -> int:
        if self._listener is None:
            raise RuntimeError("the virtual printer is not started")
        return self._listener.getsockname()[1]

    @property
    def jobs(self) -> list[Job]:
        with self._cond:
            return list(self._jobs)

    def clear(self) -> None:
        """Forget the jobs received so far (the paper was taken)."""
        with self._cond:
            self._jobs.clear()

    def wait_for_jobs(self, count: int = 1, timeout: float = 5.0) -> list[Job]:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._jobs) >= count, timeout):
                raise TimeoutError(f"{len(self._jobs)} job(s) received, expected {count}")
            return list(self._jobs)

    def render(self, job: Job | int = -1) -> Image.Image:
        j = self.jobs[job] if isinstance(job, int) else job
        return render_receipt(j.data, self.profile.width_dots)

    # lifecycle ---------------------------------------------------------------
    def start(self) -> VirtualPrinter:
        if self._listener is not None:
            return self
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            ls.bind((self.host, self._port))
            ls.listen(8)
        except OSError:
            ls.close()
            raise
        ls.settimeout(0.05)
        self._listener = ls
        self._stop.clear()
        self._accept_thread = threading.Thread(target=self._accept_loop,
                                               name="virtual-printer", daemon=True)
        self._accept_thread.start()
        log.debug("virtual printer listening on %s:%d", self.host, self.port)
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._accept_thread is not None:
            self._accept_thread.join(5)
            self._accept_thread = None
        for c in list(self._conns):
            if c.thread is not None:
                c.thread.join(5)
        self._conns.clear()
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def __enter__(self) -> VirtualPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # serving -------------------------------------------------------------------
    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                break
            self._count += 1
            conn = _Conn(sock, self._count)
            conn.thread = threading.Thread(target=self._serve, args=(conn,),
                                           name=f"virtual-printer-{conn.number}", daemon=True)
            # the demo runs for days: forget connections that have ended
            self._conns = [c for c in self._conns if c.thread is None or c.thread.is_alive()]
            self._conns.append(conn)
            conn.thread.start()

    def _record(self, data: bytes | bytearray, conn: _Conn, complete: bool) -> None:
        if not data:
            return
        with self._cond:
            self._jobs.append(Job(bytes(data), conn.number, complete, self._state))
            self._cond.notify_all()

    def _serve(self, conn: _Conn) -> None:
        sock = conn.sock
        sock.settimeout(0.05)
        buf = bytearray()
        job = bytearray()
        received = 0
        limit = self.drop_after
        try:
            while not self._stop.is_set():
                try:
                    data = sock.recv(65536)
                except (TimeoutError, socket.timeout):
                    continue
                except OSError:
                    break
                if not data:
                    break
                if self._state is PrinterState.DROP:
                    log.debug("virtual printer: state drop, resetting connection %d",
                              conn.number)
                    _reset(sock)
                    return
                drop = limit is not None and received + len(data) >= limit
                if drop:
                    data = data[:limit - received]
                received += len(data)
                buf += data
                pos = 0
                while (r := next_token(buf, pos, final=False)) is not None:
                    tok, pos = r
                    if tok.kind == "cmd" and tok.name == "DLE EOT":
                        reply = status_byte(tok.raw[2], self._state)
                        self.status_queries.append((tok.raw[2], reply))
                        try:
                            sock.sendall(bytes([reply]))
                        except OSError:  # the client went away: as a printer, shrug
                            drop = True
                            break
                    elif tok.kind == "cmd" and tok.name in ("DLE ENQ", "DLE DC4"):
                        pass  # real-time requests without a reply
                    else:
                        job += tok.raw
                        if is_cut(tok):
                            self._record(job, conn, complete=True)
                            job = bytearray()
                del buf[:pos]
                if drop:
                    log.debug("virtual printer: dropping connection %d after %d bytes",
                              conn.number, received)
                    self._record(job + buf, conn, complete=False)
                    job, buf = bytearray(), bytearray()
                    _reset(sock)
                    return
        finally:
            self._record(job + buf, conn, complete=False)
            sock.close()


def _reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0): the peer's next send or recv fails at once, as when a
    printer loses power or its network link mid-job."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()
