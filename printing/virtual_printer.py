"""A virtual ESC/POS receipt printer: a loopback TCP server that answers status requests from
a scripted state, records jobs, and draws them to PNG with Pillow and Noto Sans CJK SC.

It understands the subset the kiosk emits (see `render_receipt`), parses every other command
by its length so that its bytes are skipped safely, and never mistakes image or QR payload
bytes for commands (a naive byte scan would see DLE EOT inside raster data).

The drawing part (Pillow, qrcode, the CJK font) lives in `printing.receipt_image` and is only
loaded when a job is drawn: a kiosk whose printer is virtual starts without it.

    with VirtualPrinter(profile=PROFILE_80MM) as vp:  # 80 mm is the default
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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

    from printing.escpos_text import PaperProfile
    from printing.receipt_image import PrintedLine, Rendering  # noqa: F401

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
                 profile: PaperProfile | None = None,
                 state: PrinterState | str = PrinterState.OK,
                 drop_after: int | None = None) -> None:
        self.host = host
        self._port = port
        if profile is None:  # 80 mm, read from python-escpos's database when first needed
            from printing.factory import profile_for

            profile = profile_for(80)
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
        from printing.receipt_image import render_receipt

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


_RENDERER = frozenset({"PrintedLine", "Rendering", "render_job", "render_receipt", "LINE_GAP"})


def __getattr__(name: str):
    """The renderer's names, from `printing.receipt_image`, loaded on first use."""
    if name in _RENDERER:
        from printing import receipt_image

        return getattr(receipt_image, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
