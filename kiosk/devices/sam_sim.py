"""A SAM module on a pseudo-terminal: it answers `SamSerialReader` the way a GA 467 reader does,
so the real driver, pyserial and a real tty are tested end to end without hardware.

`SamSimulator(link)` opens a pty and points the symlink `link` at its slave side (as udev's
``/dev/serial/by-id/...`` links point at ``/dev/ttyUSB0``); the driver opens `link`. What a
citizen or a technician does: `place(card)`, `remove()`, `unplug()` (the pty is closed and the
link removed: the driver sees SerialException), `plug()` (a new pty behind the same link).
What a failing reader does: `fail_next_read(fault)` (a damaged, cut, silent or refused answer to
the next read, or the card pulled away during it), `mute()` (no answer to anything), and
`sam_status` (the SAM's answer to status and find: 0x60 for a failed self-test).

Card behaviour follows the reader family (see `kiosk.devices.sam_reader`): find answers 9F for
a card that entered the field and 80 once it has been found (unless `sticky_find`), select
answers 90 while a found card stays, read answers 90 with the text block and a photo.
Demo citizens only: `DEMO_CARD` is 张伟, born 1985, whose number passes GB 11643.
"""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from collections import deque
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from kiosk.devices.sam_reader import (
    FIND,
    PHOTO_SIZE,
    READ,
    RESET,
    SAM_STATUS,
    SELECT,
    TEXT_BLOCK_SIZE,
    TEXT_FIELDS,
    Deframer,
    FrameError,
    Request,
    Sw3,
    encode_response,
    request_from_payload,
)

SAM_ID = (0x12, 0xFF)


@dataclass(frozen=True, repr=False)
class SimCard:
    """A demo card's text fields, as strings the way the chip stores them."""

    name: str
    id_number: str
    valid_until: str  # "YYYYMMDD" or "长期"
    sex: str = "1"
    nation: str = "01"
    birth: str = "19850312"
    address: str = "江苏省常州市天宁区演示路1号"
    authority: str = "常州市公安局天宁分局"
    valid_from: str = "20150312"
    card_type: str = ""  # "I" for a foreigner's permanent residence card

    def __repr__(self) -> str:
        return "SimCard(<demo>)"

    def text_block(self) -> bytes:
        return text_block(**{name: getattr(self, name) for name, _ in TEXT_FIELDS
                             if name != "reserved"}, card_type=self.card_type)


def text_block(*, card_type: str = "", **fields: str) -> bytes:
    """A 256-byte text block: each field UCS-2 little-endian, padded with spaces to its width."""
    out = bytearray()
    for name, width in TEXT_FIELDS:
        raw = fields.get(name, "").encode("utf-16-le")
        if len(raw) > width:
            raise ValueError(f"{name} does not fit in {width} bytes")
        out += raw + " ".encode("utf-16-le") * ((width - len(raw)) // 2)
    if card_type:
        out[248:250] = card_type.encode("utf-16-le")
    assert len(out) == TEXT_BLOCK_SIZE
    return bytes(out)


def read_answer_data(block: bytes, photo: bytes = bytes(range(256)) * 4) -> bytes:
    """The data of a 90 answer to read: text length, photo length, text, photo (fake WLT)."""
    assert len(photo) == PHOTO_SIZE
    return len(block).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + block + photo


DEMO_CARD = SimCard("张伟", "320402198503121230", "长期")


class SamFault(StrEnum):
    """What goes wrong with the answer to the next read (30 01)."""

    BAD_CHECKSUM = "bad_checksum"  # the frame arrives with a wrong checksum
    TRUNCATED = "truncated"  # only the first half arrives
    GARBLED = "garbled"  # line noise instead of a frame
    SILENT = "silent"  # no answer at all
    PULLED = "pulled"  # the card is pulled away during the read: 41, then it is gone


class SamSimulator:
    def __init__(self, link: Path | str, *, sticky_find: bool = False,
                 read_delay_s: float = 0.0):
        self.link = Path(link)
        self.sticky_find = sticky_find
        self.read_delay_s = read_delay_s
        self.sam_status: int = Sw3.OK
        self.commands: list[tuple[int, int]] = []  # every command received, in order
        self._lock = threading.Lock()
        self._card: SimCard | None = None
        self._found = False  # the card in the field has answered find since it arrived
        self._selected = False
        self._muted = False
        self._faults: deque[SamFault | int] = deque()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.plug()

    def __repr__(self) -> str:
        return f"SamSimulator(link={str(self.link)!r}, card={'yes' if self._card else 'no'})"

    @property
    def path(self) -> str:
        return str(self.link)

    # -- the physical world ----------------------------------------------------------------
    def place(self, card: SimCard = DEMO_CARD) -> None:
        with self._lock:
            self._card, self._found, self._selected = card, False, False

    def remove(self) -> None:
        with self._lock:
            self._card, self._found, self._selected = None, False, False

    def fail_next_read(self, fault: SamFault | str | int) -> None:
        """A fault, or an SW3 status (e.g. 0x31) to answer the next read with."""
        self._faults.append(fault if isinstance(fault, int) else SamFault(fault))

    def mute(self, muted: bool = True) -> None:
        self._muted = muted

    def count(self, command: tuple[int, int]) -> int:
        return self.commands.count(command)

    def plug(self) -> None:
        if self._thread is not None:
            return
        master, slave = os.openpty()
        tty.setraw(slave)
        tmp = self.link.with_name(self.link.name + ".new")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(os.ttyname(slave))
        tmp.replace(self.link)
        self._stop.clear()
        with self._lock:
            self._found = self._selected = False  # a reader powering up knows no card
        self._thread = threading.Thread(target=self._serve, args=(master, slave),
                                        name="sam-sim", daemon=True)
        self._thread.start()

    def unplug(self) -> None:
        """The USB cable comes out: the pty closes and the link disappears."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
        self.link.unlink(missing_ok=True)

    close = unplug

    # -- the SAM ---------------------------------------------------------------------------
    def _serve(self, master: int, slave: int) -> None:
        deframer = Deframer(min_length=3)
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select([master], [], [], 0.01)
                if not ready:
                    continue
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    continue
                deframer.feed(chunk)
                while True:
                    try:
                        payload = deframer.next()
                    except FrameError as exc:
                        answer = encode_response(Sw3.CHECKSUM_ERROR if exc.reason == "checksum"
                                                 else Sw3.LENGTH_ERROR)
                    else:
                        if payload is None:
                            break
                        answer = self._answer(request_from_payload(payload))
                    if answer and not self._stop.is_set():
                        os.write(master, answer)
        finally:
            os.close(master)
            os.close(slave)

    def _answer(self, req: Request) -> bytes | None:
        self.commands.append(req.command)
        if self._muted:
            return None
        with self._lock:
            if req.command == SAM_STATUS:
                return encode_response(self.sam_status)
            if req.command == RESET:
                self._found = self._selected = False
                return encode_response(Sw3.OK)
            if req.command == SAM_ID:
                return encode_response(Sw3.OK, bytes(16))
            if self.sam_status != Sw3.OK:
                return encode_response(self.sam_status)
            if req.command == FIND:
                if self._card is not None and (not self._found or self.sticky_find):
                    self._found, self._selected = True, False
                    return encode_response(Sw3.FOUND, bytes(4))
                return encode_response(Sw3.NO_CARD)
            if req.command == SELECT:
                if self._card is not None and self._found:
                    self._selected = True
                    return encode_response(Sw3.OK, bytes(8))
                return encode_response(Sw3.SELECT_FAILED)
            if req.command != READ:
                return encode_response(Sw3.COMMAND_ERROR)
            card = self._card if self._selected else None
            fault = self._faults.popleft() if self._faults and card is not None else None
        if self.read_delay_s:
            time.sleep(self.read_delay_s)
        if card is None:
            return encode_response(Sw3.READ_FAILED)
        if fault is SamFault.PULLED:
            self.remove()
            return encode_response(Sw3.READ_FAILED)
        if fault is SamFault.SILENT:
            return None
        if isinstance(fault, int) and not isinstance(fault, SamFault):
            return encode_response(fault)
        frame = encode_response(Sw3.OK, read_answer_data(card.text_block()))
        if fault is SamFault.BAD_CHECKSUM:
            return frame[:-1] + bytes([frame[-1] ^ 0xFF])
        if fault is SamFault.TRUNCATED:
            return frame[: len(frame) // 2]
        if fault is SamFault.GARBLED:
            return bytes(b ^ 0x5A for b in frame[5:40])
        return frame


def demo_card(valid_until: date | None = None, **fields: str) -> SimCard:
    """The demo citizen, with another validity or other fields."""
    until = valid_until.strftime("%Y%m%d") if valid_until else "长期"
    base = {"name": DEMO_CARD.name, "id_number": DEMO_CARD.id_number, "valid_until": until}
    return SimCard(**{**base, **fields})
