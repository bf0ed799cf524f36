"""A second-generation ID-card reader (GA 467: 华视, 神思, 精伦 ...) driven over its serial line
with the SAM protocol, behind the `IdCardReader` port of `kiosk.devices.idcard`.

The protocol
------------
Every frame starts with the preamble ``AA AA AA 96 69`` and a two-byte big-endian length of
what follows it. From the host: ``CMD PARA DATA CHK``; from the SAM: ``SW1 SW2 SW3 DATA CHK``.
CHK is the XOR of every byte after the preamble (the length bytes included) up to the checksum.
SW3 is the SAM's own status; SW1 SW2 forward the card's APDU status and are not used here.

=========================  =========  =====================================================
command                    CMD PARA   answer
=========================  =========  =====================================================
reset the SAM              10 FF      90
SAM status                 11 FF      90 (anything else: the SAM is not usable)
find card                  20 01      9F + 4 bytes (found) or 80 (no card found)
select card                20 02      90 + 8 bytes or 81 (select failed)
read text and photo        30 01      90 + text length (2, big-endian) + photo length (2)
                                      + text block (256) + photo (1024, WLT)
=========================  =========  =====================================================

The text block (GA/T 490) is UCS-2 little-endian in fixed-width fields padded with spaces:
name 30 bytes, sex 2, nation 4, birth date 16, address 70, ID number 36, issuing authority
30, valid from 16, valid until 16 (``YYYYMMDD`` or ``长期`` and padding), reserved 36. Only
the name, the number and the end of validity are decoded; the address is never decoded. The
photo block (1024 bytes, WLT-compressed: decoding it is the face verifier's business, with
its vendor's library) is kept as it came, in `IdCardData.photo`, for the face check of a
verified item (kiosk.devices.face), and dropped with the check. No other reference to the
answer is kept after parsing (Python cannot wipe the memory itself; nothing reachable holds
it). No byte of an answer's data is ever logged: log lines carry SW3 codes and the port's name
only.

SW3 codes and what the kiosk makes of them (`failure_for`):

- ``10`` checksum error, ``11`` length error (the SAM got a damaged frame from us), ``21``
  command error, ``23`` operation not allowed, ``24`` unknown error, ``91`` no such content:
  ``unreadable``;
- ``31`` the card rejected the SAM, ``32`` the SAM rejected the card, ``33`` information
  verification failed, ``40`` not an ID card, ``47`` could not get a random number:
  ``unreadable`` (a card that does not authenticate is not believed);
- ``41`` read failed, ``81`` select failed: ``removed`` when a presence check right after says
  the card is gone, ``unreadable`` when it is still there;
- ``60`` SAM self-test failed, ``66`` SAM not authorised: ``unreadable``, and the reader's
  status turns to ERROR (it cannot read any card until a technician looks);
- a damaged answer (bad checksum, impossible length, cut short, noise): ``unreadable``; the
  decoder resynchronises on the next preamble;
- no answer within the timeout: ``timeout`` (status WARNING); after ``offline_after``
  consecutive timeouts the reader is OFFLINE and the port is reopened with backoff;
- the port itself fails (USB unplugged: pyserial raises SerialException, an OSError): the
  read in progress ends ``offline``, the status is OFFLINE, and the driver reopens the port
  with a growing backoff until the reader answers its status query again.

What was checked against public references (2026-12): the preamble, the length and checksum
rules, the commands above and the codes 90 9F 10 11 21 24 31 32 33 40 41 47 60 66 80 81 (the
SAM serial protocol as republished by reader vendors, e.g. Eastcom's "身份证阅读器模块SAM通讯
协议", and several open-source Android drivers that send ``AAAAAA96690003200122`` and expect
``AAAAAA9669000800009F0000000097``); the read answer's shape (``... 05 08 00 00 90 01 00 04
00`` then 256 + 1024 bytes: 1295 bytes in all); the text block's field widths (GA/T 490 as
tabulated in public card handbooks); ``长期`` in the valid-until field (drivers that decode
that field as text when it does not start with a digit). Assumptions, not verified:

- ``23`` (operation not allowed) and ``91`` (no such content) come from memory of GA 467's
  table, not from a reference read here; both map to ``unreadable`` so a wrong guess costs
  nothing;
- after a card has been found and selected, some readers answer ``80`` to the next find while
  the same card still lies there (one public driver ignores find's answer and selects anyway).
  So presence is "find says 9F, or find says 80 and select says 90"; a reader that answers 9F
  every time works the same;
- a foreigner's permanent residence card has another layout, ending in the type flag ``I``
  at offset 248 (the offset is added up from its published field table): such a card is
  refused as ``unreadable``. The residence permit for Hong Kong, Macao and Taiwan residents
  (flag ``J``, assumed at the same offset) shares the ID card's layout and is parsed like one;
- rare characters: the block is UCS-2. A supplementary character written as a UTF-16
  surrogate pair decodes correctly; a lone surrogate becomes U+FFFD; characters the issuer
  put in the private use area (生僻字 outside the standard repertoire) are kept as they are:
  the number identifies the citizen, the name is only shown.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Any

from kiosk.devices.idcard import CardEvent, CardEventKind, IdCardData, ReadFailure
from kiosk.devices.status import DeviceStatus, Level, Reason

if TYPE_CHECKING:
    from kiosk.config import TerminalConfig

log = logging.getLogger("kiosk.devices.idcard")

PREAMBLE = bytes.fromhex("AAAAAA9669")
MAX_LENGTH = 0x1000  # the longest answer (text, photo and fingerprints) is 2,321 bytes


SLICE_S = 0.02  # how long one serial read waits: the worker re-checks its deadline this often

# (CMD, PARA) of the commands the driver sends
RESET = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
FIND = (0x20, 0x01)
SELECT = (0x20, 0x02)
READ = (0x30, 0x01)


class Sw3(IntEnum):
    """The SAM's status byte."""

    OK = 0x90
    FOUND = 0x9F
    CHECKSUM_ERROR = 0x10  # the SAM got a frame with a wrong checksum
    LENGTH_ERROR = 0x11  # ... with a wrong length
    COMMAND_ERROR = 0x21
    NOT_ALLOWED = 0x23  # (assumption: 越权操作)
    UNKNOWN_ERROR = 0x24
    CARD_REJECTED_SAM = 0x31  # 身份证对阅读器认证失败
    SAM_REJECTED_CARD = 0x32  # 阅读器对身份证认证失败
    VERIFY_FAILED = 0x33  # 信息验证错误
    WRONG_CARD = 0x40  # not an ID card
    READ_FAILED = 0x41
    RANDOM_FAILED = 0x47
    SELF_TEST_FAILED = 0x60  # the SAM accepts no command
    SAM_UNAUTHORISED = 0x66
    NO_CARD = 0x80
    SELECT_FAILED = 0x81
    NO_CONTENT = 0x91  # (assumption: 证/卡中此项无内容)


SAM_FAULTS = frozenset({Sw3.SELF_TEST_FAILED, Sw3.SAM_UNAUTHORISED})
MAYBE_REMOVED = frozenset({Sw3.READ_FAILED, Sw3.SELECT_FAILED, Sw3.NO_CARD})


def sw3_name(sw3: int) -> str:
    try:
        return f"0x{sw3:02X} {Sw3(sw3).name.lower()}"
    except ValueError:
        return f"0x{sw3:02X} unknown"


def failure_for(sw3: int, *, card_still_there: bool) -> ReadFailure:
    """The port's failure for a select or read the SAM refused with `sw3`."""
    if sw3 in MAYBE_REMOVED and not card_still_there:
        return ReadFailure.REMOVED
    return ReadFailure.UNREADABLE


# ---------------------------------------------------------------------------------------------
# Frames


class FrameError(ValueError):
    """A damaged frame: `reason` is checksum, length, truncated or garbled."""

    def __init__(self, reason: str):
        super().__init__(f"bad frame: {reason}")
        self.reason = reason


def checksum(body: bytes | bytearray) -> int:
    """XOR of every byte: what a frame carries over its length bytes and payload."""
    out = 0
    for b in body:
        out ^= b
    return out


def _frame(payload: bytes) -> bytes:
    if len(payload) + 1 > MAX_LENGTH:
        raise ValueError("payload too long for one frame")
    body = (len(payload) + 1).to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes([checksum(body)])


def encode_command(cmd: int, para: int, data: bytes = b"") -> bytes:
    """A frame from the host: preamble, length, CMD, PARA, data, checksum."""
    return _frame(bytes([cmd, para]) + data)


def encode_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    """A frame from the SAM: preamble, length, SW1 SW2 SW3, data, checksum."""
    return _frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class Request:
    cmd: int
    para: int
    data: bytes = b""

    @property
    def command(self) -> tuple[int, int]:
        return self.cmd, self.para


@dataclass(frozen=True)
class Response:
    sw1: int
    sw2: int
    sw3: int
    data: bytes = field(default=b"", repr=False)  # may hold a citizen's card: never shown

    @property
    def name(self) -> str:
        return sw3_name(self.sw3)


class Deframer:
    """Cuts frames out of a byte stream. `feed()` what the line brought, then call `next()`
    until it returns None: each call gives one frame's payload (what lies between the length
    and the checksum), or raises `FrameError` for a damaged frame after dropping its first
    byte, so the next call resynchronises on the next preamble. Bytes before a preamble are
    noise: they are dropped and counted in `noise`."""

    def __init__(self, min_length: int):
        self.min_length = min_length  # the shortest valid length field: 4 from the SAM, 3 to it
        self._buf = bytearray()
        self.noise = 0

    def feed(self, chunk: bytes) -> None:
        self._buf += chunk

    @property
    def buffered(self) -> int:
        return len(self._buf)

    @property
    def in_frame(self) -> bool:
        """A preamble has arrived, the rest of its frame not yet."""
        return self._buf.startswith(PREAMBLE)

    def next(self) -> bytes | None:
        buf = self._buf
        start = buf.find(PREAMBLE)
        if start < 0:
            keep = len(PREAMBLE) - 1  # the tail may be the start of a preamble
            if len(buf) > keep:
                self.noise += len(buf) - keep
                del buf[: len(buf) - keep]
            return None
        if start:
            self.noise += start
            del buf[:start]
        if len(buf) < len(PREAMBLE) + 2:
            return None
        length = int.from_bytes(buf[5:7], "big")
        if not self.min_length <= length <= MAX_LENGTH:
            del buf[:1]
            raise FrameError("length")
        end = len(PREAMBLE) + 2 + length
        if len(buf) < end:
            return None
        body = bytes(buf[5 : end - 1])
        if checksum(body) != buf[end - 1]:
            del buf[:1]
            raise FrameError("checksum")
        del buf[:end]
        return body[2:]


def _one_frame(frame: bytes, min_length: int) -> bytes:
    deframer = Deframer(min_length)
    deframer.feed(frame)
    payload = deframer.next()
    if payload is None:
        raise FrameError("truncated" if deframer.in_frame else "garbled")
    if deframer.buffered or deframer.noise:
        raise FrameError("garbled")
    return payload


def decode_response(frame: bytes) -> Response:
    """One whole frame from the SAM (tests, tools); the driver decodes a stream instead."""
    return response_from_payload(_one_frame(frame, 4))


def decode_command(frame: bytes) -> Request:
    return request_from_payload(_one_frame(frame, 3))


def response_from_payload(payload: bytes) -> Response:
    if len(payload) < 3:
        raise FrameError("length")
    return Response(payload[0], payload[1], payload[2], payload[3:])


def request_from_payload(payload: bytes) -> Request:
    if len(payload) < 2:
        raise FrameError("length")
    return Request(payload[0], payload[1], payload[2:])


# ---------------------------------------------------------------------------------------------
# The card's text block

TEXT_BLOCK_SIZE = 256
PHOTO_SIZE = 1024
# (name, width in bytes), in order; they add up to TEXT_BLOCK_SIZE
TEXT_FIELDS = (("name", 30), ("sex", 2), ("nation", 4), ("birth", 16), ("address", 70),
               ("id_number", 36), ("authority", 30), ("valid_from", 16), ("valid_until", 16),
               ("reserved", 36))
_OFFSETS: dict[str, tuple[int, int]] = {}
_at = 0
for _name, _width in TEXT_FIELDS:
    _OFFSETS[_name] = (_at, _at + _width)
    _at += _width
assert _at == TEXT_BLOCK_SIZE
CARD_TYPE_AT = 248  # a two-byte type flag in the reserved field: "I" foreigner, "J" HK/MO/TW
LONG_TERM = "长期"


class CardDataError(ValueError):
    """The SAM answered 90 but with something that is not a resident ID card's text."""


def _text(block: bytes, start: int, end: int) -> str:
    return block[start:end].decode("utf-16-le", errors="replace").strip(" \x00")


def parse_valid_until(value: str) -> date | None:
    """``YYYYMMDD`` as a date, ``长期`` as None (no expiry)."""
    if value.startswith(LONG_TERM):
        return None
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        raise CardDataError("valid-until is neither a date nor 长期")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise CardDataError("valid-until is not a calendar date") from None


def parse_text_block(block: bytes) -> IdCardData:
    """The number, the name and the end of validity; the rest of the block is not decoded."""
    if len(block) != TEXT_BLOCK_SIZE:
        raise CardDataError(f"text block of {len(block)} bytes")
    if _text(block, CARD_TYPE_AT, CARD_TYPE_AT + 2) == "I":
        raise CardDataError("a foreigner's permanent residence card (another layout)")
    name = _text(block, *_OFFSETS["name"])
    number = _text(block, *_OFFSETS["id_number"]).upper()
    valid_until = parse_valid_until(_text(block, *_OFFSETS["valid_until"]))
    return IdCardData(number, name, valid_until)


def parse_read_data(data: bytes) -> IdCardData:
    """The data of a 90 answer to read (30 01): two lengths, the text block, the photo. The
    photo block is kept undecoded for the face check (None if the chip sent none)."""
    if len(data) < 4:
        raise CardDataError("read answer too short")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if text_len != TEXT_BLOCK_SIZE or len(data) != 4 + text_len + photo_len:
        raise CardDataError("read answer lengths do not add up")
    card = parse_text_block(data[4 : 4 + text_len])
    photo = bytes(data[4 + text_len:]) or None
    return IdCardData(card.id_number, card.name, card.valid_until, photo)


# ---------------------------------------------------------------------------------------------
# The driver


class ReaderTimeout(Exception):
    """The reader did not answer within the timeout."""


class PortGone(Exception):
    """The serial port failed (unplugged, closed under us)."""


class ReaderHung(Exception):
    """Too many consecutive timeouts: treat the reader as gone and reopen the port."""


class SamRefused(Exception):
    """The SAM answered with a status other than the one the step needs."""

    def __init__(self, sw3: int):
        super().__init__(sw3_name(sw3))
        self.sw3 = sw3


class _Card(StrEnum):
    ABSENT = "absent"
    PRESENT = "present"  # in the field, not read during this placement (yet)
    DONE = "done"  # read (or failed) once: it must leave before it is read again


try:
    import termios

    # pyserial lets termios.error (not an OSError) through from tcflush on a vanished tty
    PORT_ERRORS: tuple[type[Exception], ...] = (OSError, termios.error)
except ImportError:  # not POSIX: pyserial raises SerialException (an OSError) only
    PORT_ERRORS = (OSError,)


def _open_serial(url: str, **kwargs: Any):
    import serial  # pyserial: imported here so a terminal without a reader does not need it

    return serial.serial_for_url(url, **kwargs)


class SamSerialReader:
    """An `IdCardReader` on a SAM serial line. `url` is a device path (``/dev/ttyUSB0``, better
    a stable ``/dev/serial/by-id/...`` link) or any pyserial URL.

    One worker thread owns the port: it opens it (asking the SAM's status), then polls for a
    card every `poll_interval_s` (find, and select when find says no card, see the module
    docstring), reads a card once per placement while the port is started, and queues events
    that `poll()` hands out without ever blocking. The worker keeps tracking the card while
    stopped, so a card lying there is read as soon as `start()` is called, and a card already
    read is not read again until it has left the field. `open()` starts the worker (and may wait
    for its first connection); `start()` opens if needed; `close()` ends it."""

    def __init__(self, url: str, baudrate: int = 115200, *, answer_timeout_s: float = 0.5,
                 read_timeout_s: float = 3.0, poll_interval_s: float = 0.25,
                 offline_after: int = 3, backoff_min_s: float = 1.0, backoff_max_s: float = 30.0,
                 open_port: Callable[..., Any] = _open_serial):
        if not url:
            raise ValueError("no serial port for the SAM reader")
        if not 0 < answer_timeout_s <= read_timeout_s:
            raise ValueError("need 0 < answer_timeout_s <= read_timeout_s")
        if offline_after < 1 or not 0 < backoff_min_s <= backoff_max_s:
            raise ValueError("need offline_after >= 1 and 0 < backoff_min_s <= backoff_max_s")
        self.url = url
        self.baudrate = baudrate
        self.answer_timeout_s = answer_timeout_s
        self.read_timeout_s = read_timeout_s
        self.poll_interval_s = poll_interval_s
        self.offline_after = offline_after
        self.backoff_min_s = backoff_min_s
        self.backoff_max_s = backoff_max_s
        self._open_port = open_port

        self._lock = threading.Lock()  # guards everything below that both threads touch
        self._status = DeviceStatus(Level.OK, Reason.NONE, "sam: connecting")
        self._events: list[CardEvent] = []
        self._armed = False
        self._generation = 0  # bumped by start() and stop(): an older read is abandoned
        self._card = _Card.ABSENT

        self._thread: threading.Thread | None = None
        self._closing = threading.Event()
        self._wake = threading.Event()
        self._first_attempt = threading.Event()
        self._port: Any = None  # the worker's alone
        self._timeouts = 0
        self._was_connected = False

    def __repr__(self) -> str:
        return (f"SamSerialReader(url={self.url!r}, armed={self._armed}, card={self._card.value}, "
                f"status={self._status.level.value})")

    # -- the port --------------------------------------------------------------------------
    def status(self) -> DeviceStatus:
        with self._lock:
            return self._status

    def start(self) -> None:
        with self._lock:
            self._armed = True
            self._generation += 1
        self.open()
        self._wake.set()

    def stop(self) -> None:
        with self._lock:
            self._armed = False
            self._generation += 1
            self._events.clear()

    def poll(self) -> list[CardEvent]:
        with self._lock:
            out, self._events = self._events, []
        return out

    # -- life cycle ------------------------------------------------------------------------
    def open(self, wait_s: float = 0.0) -> None:
        """Start the worker (once); wait up to `wait_s` for its first connection attempt, so a
        caller at start-up can show the reader's real status."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sam-reader", daemon=True)
            self._thread.start()
        if wait_s > 0:
            self._first_attempt.wait(wait_s)

    def close(self) -> None:
        """Stop the worker and close the port; safe to call twice."""
        self.stop()
        self._closing.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.read_timeout_s + 1)
            self._thread = None

    # -- the worker ------------------------------------------------------------------------
    def _run(self) -> None:
        backoff = self.backoff_min_s
        while not self._closing.is_set():
            if self._port is None:
                connected = self._connect()
                self._first_attempt.set()
                if not connected:
                    self._closing.wait(backoff)
                    backoff = min(backoff * 2, self.backoff_max_s)
                    continue
                backoff = self.backoff_min_s
            try:
                self._cycle()
            except PortGone:  # the status says so already (`_ask`)
                self._disconnect()
                continue  # reopen at once; the backoff applies from the next failure
            except ReaderHung:
                self._disconnect()
                self._closing.wait(backoff)
                continue
            except Exception:  # a bug: keep the terminal up, show the failure, retry later
                log.exception("card reader worker failed")
                self._disconnect()
                self._set_status(Level.ERROR, Reason.DEVICE_ERROR, "driver error (see log)")
                self._closing.wait(backoff)
                backoff = min(backoff * 2, self.backoff_max_s)
                continue
            self._wake.wait(self.poll_interval_s)
            self._wake.clear()
        self._disconnect()

    def _connect(self) -> bool:
        lost = Reason.CONNECTION_LOST if self._was_connected else Reason.OFFLINE
        try:
            self._port = self._open_port(self.url, baudrate=self.baudrate, timeout=SLICE_S,
                                         write_timeout=self.answer_timeout_s)
        except (*PORT_ERRORS, ValueError) as exc:  # pyserial's SerialException is an OSError
            self._set_status(Level.OFFLINE, lost, f"cannot open {self.url}: {exc}")
            return False
        self._timeouts = 0
        try:
            answer = self._exchange(SAM_STATUS, self.answer_timeout_s)
        except ReaderTimeout:
            problem = (Level.OFFLINE, Reason.TIMEOUT, f"{self.url}: no answer to status")
        except FrameError as exc:
            problem = (Level.OFFLINE, Reason.DEVICE_ERROR, f"{self.url}: {exc}")
        except PortGone as exc:
            problem = (Level.OFFLINE, lost, f"{self.url}: {exc}")
        else:
            if answer.sw3 == Sw3.OK:
                self._was_connected = True
                self._set_status(Level.OK, Reason.NONE, f"sam on {self.url}")
                return True
            problem = (Level.ERROR, Reason.DEVICE_ERROR, f"SAM status {answer.name}")
        self._disconnect()
        self._set_status(*problem)
        return False

    def _disconnect(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except (*PORT_ERRORS, ValueError):
                pass

    def _cycle(self) -> None:
        with self._lock:
            armed, generation, card = self._armed, self._generation, self._card
        try:
            present, selected = self._probe()
        except (ReaderTimeout, FrameError, SamRefused) as exc:
            log.debug("card reader: find failed: %s", exc)
            return
        if not present:
            if card is not _Card.ABSENT:
                with self._lock:
                    self._card = _Card.ABSENT
                    self._emit(generation, CardEventKind.REMOVED)
            return
        if card is _Card.DONE:
            return
        with self._lock:
            if self._card is _Card.ABSENT:
                self._card = _Card.PRESENT
        if armed:
            self._read(generation, selected)

    def _probe(self) -> tuple[bool, bool]:
        """(a card is in the field, and it is selected already)."""
        found = self._ask(FIND)
        if found.sw3 == Sw3.FOUND:
            return True, False
        if found.sw3 != Sw3.NO_CARD:
            raise SamRefused(found.sw3)
        selected = self._ask(SELECT)  # a card found before may not answer find again
        if selected.sw3 == Sw3.OK:
            return True, True
        if selected.sw3 == Sw3.SELECT_FAILED:
            return False, False
        raise SamRefused(selected.sw3)

    def _still_there(self) -> bool:
        """After a failed read: is the card still in the field? A doubtful answer says yes."""
        try:
            return self._probe()[0]
        except (ReaderTimeout, FrameError, SamRefused):
            return True

    def _read(self, generation: int, selected: bool) -> None:
        with self._lock:
            if not self._emit(generation, CardEventKind.CARD_PRESENT):
                return
        try:
            if not selected:
                answer = self._ask(SELECT)
                if answer.sw3 != Sw3.OK:
                    raise SamRefused(answer.sw3)
            answer = self._ask(READ, self.read_timeout_s)
            if answer.sw3 != Sw3.OK:
                raise SamRefused(answer.sw3)
            data = parse_read_data(answer.data)  # the photo is in data, for the face check
            del answer
        except ReaderTimeout:
            self._finish(generation, _Card.DONE, failure=ReadFailure.TIMEOUT)
        except ReaderHung:
            self._finish(generation, _Card.DONE, failure=ReadFailure.TIMEOUT)
            raise
        except PortGone:
            self._finish(generation, _Card.PRESENT, failure=ReadFailure.OFFLINE)
            raise
        except (FrameError, SamRefused, CardDataError) as exc:
            log.info("card reader: read failed: %s", exc)
            sw3 = exc.sw3 if isinstance(exc, SamRefused) else Sw3.UNKNOWN_ERROR
            try:
                still = self._still_there()
            except (PortGone, ReaderHung):
                self._finish(generation, _Card.PRESENT, failure=ReadFailure.OFFLINE)
                raise
            if still:
                self._finish(generation, _Card.DONE, failure=failure_for(sw3, card_still_there=True))
            else:
                self._finish(generation, _Card.ABSENT,
                             failure=failure_for(Sw3.READ_FAILED, card_still_there=False))
        else:
            self._finish(generation, _Card.DONE, data=data)

    def _finish(self, generation: int, card: _Card, *, data: IdCardData | None = None,
                failure: ReadFailure | None = None) -> None:
        with self._lock:
            if generation != self._generation or not self._armed:
                # stopped (or restarted) during the read: no event; a card still there is
                # read again at the next start, as the simulator does
                self._card = _Card.ABSENT if card is _Card.ABSENT else _Card.PRESENT
                return
            self._card = card
            if failure is not None:
                self._emit(generation, CardEventKind.READ_ERROR, failure=failure)
                if card is _Card.ABSENT:
                    self._emit(generation, CardEventKind.REMOVED)
            else:
                self._emit(generation, CardEventKind.READ, data=data)

    def _emit(self, generation: int, kind: CardEventKind, *, data: IdCardData | None = None,
              failure: ReadFailure | None = None) -> bool:
        """Queue an event if the port is started and has not been restarted since `generation`
        (the caller holds the lock)."""
        if not self._armed or generation != self._generation:
            return False
        self._events.append(CardEvent(kind, time.monotonic(), data, failure))
        return True

    def _set_status(self, level: Level, reason: Reason, detail: str) -> None:
        new = DeviceStatus(level, reason, detail)
        with self._lock:
            old, self._status = self._status, new
        if (old.level, old.reason) != (level, reason):
            if level in (Level.OFFLINE, Level.ERROR):
                log.warning("card reader %s (%s): %s", level.value, reason.value, detail)
            else:
                log.info("card reader %s: %s", level.value, detail)

    # -- the line --------------------------------------------------------------------------
    def _ask(self, command: tuple[int, int], timeout_s: float | None = None) -> Response:
        """One exchange, with the status bookkeeping: timeouts counted, an answer clears them.
        The status changes before the exception leaves, so it is never behind an event."""
        try:
            answer = self._exchange(command, timeout_s or self.answer_timeout_s)
        except ReaderTimeout:
            self._timeouts += 1
            if self._timeouts >= self.offline_after:
                self._set_status(Level.OFFLINE, Reason.TIMEOUT,
                                 f"{self.url}: no answer {self._timeouts} times")
                raise ReaderHung() from None
            self._set_status(Level.WARNING, Reason.TIMEOUT, "the reader did not answer")
            raise
        except PortGone as exc:
            self._set_status(Level.OFFLINE, Reason.CONNECTION_LOST, f"{self.url}: {exc}")
            raise
        self._timeouts = 0
        if answer.sw3 in SAM_FAULTS:
            self._set_status(Level.ERROR, Reason.DEVICE_ERROR, f"SAM says {answer.name}")
        else:
            self._set_status(Level.OK, Reason.NONE, f"sam on {self.url}")
        return answer

    def _exchange(self, command: tuple[int, int], timeout_s: float) -> Response:
        port = self._port
        deframer = Deframer(min_length=4)
        got_any = False
        try:
            port.reset_input_buffer()  # a late answer to an earlier command is not this one's
            port.write(encode_command(*command))
            deadline = time.monotonic() + timeout_s
            while True:
                chunk = port.read(max(1, port.in_waiting))
                if chunk:
                    got_any = True
                    deframer.feed(chunk)
                    payload = deframer.next()
                    if payload is not None:
                        return response_from_payload(payload)
                if time.monotonic() >= deadline:
                    if not got_any:
                        raise ReaderTimeout()
                    raise FrameError("truncated" if deframer.in_frame else "garbled")
        except PORT_ERRORS as exc:  # SerialException included
            raise PortGone(str(exc)) from None


def make_sam_reader(config: TerminalConfig) -> SamSerialReader | None:
    """The SAM reader the config names, not yet opened (`open()` or `start()` it), or None
    when the config names another kind of reader."""
    from kiosk.config import IdCardReaderKind

    devices = config.devices
    if devices.id_card_reader != IdCardReaderKind.SAM:
        return None
    return SamSerialReader(devices.id_card_port, devices.id_card_baud)
