"""The ID-card reader (居民身份证 阅读器): a port, a faithful simulator, and `CardReading`, the
small state machine that turns the reader's events into one `Identity` or a code.

A real reader (GA 467 family: 华视, 神思, 精伦 ...) is driven through a vendor SDK in a loop:
find the card in the field, select it, read the text block. A driver for one runs that loop on
its own worker thread and queues events; the core only ever calls `poll()` (from a UI timer),
so it never blocks. The events, in the order a reader produces them:

- ``card_present``: a card entered the field and a read began;
- ``read``: the text block came back (`IdCardData`). The chip's answer can still be garbage if
  the card moved at the wrong moment (a *partial read*: fields cut short or empty); the SDK
  does not know, so `CardReading` checks the data before believing it;
- ``read_error`` with a `ReadFailure`: ``timeout`` (the reader stopped answering), ``removed``
  (the card left during the read), ``unreadable`` (authentication or CRC failed), ``offline``
  (the reader is gone: USB unplugged);
- ``removed``: the card left the field.

A card lying on the reader is read once; it must leave and come back to be read again.
`SimulatedIdCardReader` reproduces all of this on an injected clock, so tests and the demo
walk every failure without sleeping. Only the number, the name, the validity and the photo are
taken from the card; the address and the rest are never decoded. The photo (the chip's raw
block) serves the face check of a verified item (kiosk.devices.face) and nothing else: it is
held in memory for that check only, never logged, shown or stored.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Protocol, runtime_checkable

from kiosk.devices.status import OK, DeviceStatus, Level, Reason
from kiosk.identity import IdCheck, Identity, IdMethod, check_id_number


class CardEventKind(StrEnum):
    CARD_PRESENT = "card_present"
    READ = "read"
    REMOVED = "removed"
    READ_ERROR = "read_error"


class ReadFailure(StrEnum):
    TIMEOUT = "timeout"
    REMOVED = "removed"
    UNREADABLE = "unreadable"
    OFFLINE = "offline"


@dataclass(frozen=True, repr=False, eq=False)
class IdCardData:
    """What the terminal takes from the chip. `valid_until` None means 长期 (no expiry).
    `photo`: the chip's photo block as read (WLT, 1024 bytes on a resident card), for the face
    check only; None when the reader gave none."""

    id_number: str
    name: str
    valid_until: date | None = None
    photo: bytes | None = None

    def __repr__(self) -> str:
        return "IdCardData(<redacted>)"

    def __reduce_ex__(self, protocol):
        raise TypeError("card data is never serialised or copied")


@dataclass(frozen=True)
class CardEvent:
    kind: CardEventKind
    at: float
    data: IdCardData | None = None
    failure: ReadFailure | None = None


@runtime_checkable
class IdCardReader(Protocol):
    def status(self) -> DeviceStatus:
        """The reader's last known status (shared model: ok, warning, error, offline)."""

    def start(self) -> None:
        """Begin looking for a card (a card already lying there is found)."""

    def stop(self) -> None:
        """Stop looking; a read in progress is abandoned without an event."""

    def poll(self) -> list[CardEvent]:
        """The events since the last poll, oldest first. Never blocks."""


# ---------------------------------------------------------------------------------------------
# The simulator


PHOTO_SIZE = 1024  # the chip's photo block (GA 467: WLT-compressed)


def simulated_photo(id_number: str) -> bytes:
    """A stand-in for a chip's photo block: 1024 bytes that differ per card."""
    seed = hashlib.sha256(b"simulated-wlt:" + id_number.encode("ascii", "replace")).digest()
    return (b"SIM-WLT\x00" + seed * 32)[:PHOTO_SIZE]


class Fault(StrEnum):
    """A failure the simulator produces on the next read."""

    TIMEOUT = "timeout"  # the reader stops answering: read_error(timeout) after timeout_s
    PARTIAL = "partial"  # a read that returns cut-short fields (the card moved)
    UNREADABLE = "unreadable"  # authentication / CRC failure: read_error(unreadable)


def _locked(method):
    """The simulator is used from two threads (the card watch polls, the demo's panel or a
    test places cards): one lock around each public call."""
    import functools

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return call


class SimulatedIdCardReader:
    """A reader on a clock: `place()`, `remove()`, `unplug()` are what a citizen or a technician
    does; `fail_next_read()` arranges the faults a real reader shows. A read takes `read_s`
    seconds from placing (about 0.8 s on real hardware); a hung reader gives up after
    `timeout_s`."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, *, read_s: float = 0.8,
                 timeout_s: float = 3.0):
        if not 0 < read_s < timeout_s:
            raise ValueError("need 0 < read_s < timeout_s")
        import threading

        self._lock = threading.RLock()
        self._clock = clock
        self.read_s = read_s
        self.timeout_s = timeout_s
        self._armed = False
        self._plugged = True
        self._status: DeviceStatus = OK
        self._card: IdCardData | None = None
        self._reading_since: float | None = None
        self._fault: Fault | None = None
        self._read_done = False  # this placement has been read (or failed) already
        self._faults: deque[Fault] = deque()
        self._events: list[CardEvent] = []

    def __repr__(self) -> str:
        return (f"SimulatedIdCardReader(armed={self._armed}, plugged={self._plugged}, "
                f"card={'yes' if self._card else 'no'}, status={self._status.level.value})")

    # -- the physical world ----------------------------------------------------------------
    @_locked
    def place(self, card: IdCardData) -> None:
        """A card on the reader. Its chip always holds a photo: one is made up if the card
        given has none."""
        now = self._now()
        if self._card is not None:
            self.remove()
        if card.photo is None:
            card = replace(card, photo=simulated_photo(card.id_number))
        self._card = card
        self._read_done = False
        if self._armed and self._plugged:
            self._begin(now)

    @_locked
    def remove(self) -> None:
        now = self._now()
        if self._card is None:
            return
        if self._armed and self._plugged:
            if self._reading_since is not None:
                self._emit(CardEventKind.READ_ERROR, now, failure=ReadFailure.REMOVED)
            self._emit(CardEventKind.REMOVED, now)
        self._card = None
        self._reading_since = None
        self._fault = None

    @_locked
    def unplug(self) -> None:
        now = self._now()
        self._plugged = False
        self._status = DeviceStatus(Level.OFFLINE, Reason.OFFLINE, "simulated: unplugged")
        if self._armed and self._reading_since is not None:
            self._emit(CardEventKind.READ_ERROR, now, failure=ReadFailure.OFFLINE)
        self._reading_since = None

    @_locked
    def plug(self) -> None:
        now = self._now()
        self._plugged = True
        self._status = OK
        if self._armed and self._card is not None and not self._read_done:
            self._begin(now)

    @_locked
    def fail_next_read(self, fault: Fault | str) -> None:
        self._faults.append(Fault(fault))

    # -- the port --------------------------------------------------------------------------
    @_locked
    def status(self) -> DeviceStatus:
        self._now()
        return self._status

    @_locked
    def start(self) -> None:
        now = self._now()
        self._armed = True
        if self._plugged and self._card is not None and not self._read_done:
            self._begin(now)

    @_locked
    def stop(self) -> None:
        self._now()
        self._armed = False
        self._reading_since = None
        self._fault = None
        self._events.clear()

    @_locked
    def poll(self) -> list[CardEvent]:
        self._now()
        out, self._events = self._events, []
        return out

    # -- inside ----------------------------------------------------------------------------
    def _now(self) -> float:
        """The clock, after letting every read that finished by now finish."""
        now = self._clock()
        if self._reading_since is not None and self._card is not None:
            started, card = self._reading_since, self._card
            if self._fault is Fault.TIMEOUT:
                if now >= started + self.timeout_s:
                    self._emit(CardEventKind.READ_ERROR, started + self.timeout_s,
                               failure=ReadFailure.TIMEOUT)
                    self._status = DeviceStatus(Level.WARNING, Reason.TIMEOUT,
                                                "simulated: reader did not answer")
                    self._finish_read()
            elif now >= started + self.read_s:
                at = started + self.read_s
                if self._fault is Fault.UNREADABLE:
                    self._emit(CardEventKind.READ_ERROR, at, failure=ReadFailure.UNREADABLE)
                elif self._fault is Fault.PARTIAL:
                    cut = IdCardData(card.id_number[: len(card.id_number) // 2], "",
                                     card.valid_until)
                    self._emit(CardEventKind.READ, at, data=cut)
                else:
                    self._emit(CardEventKind.READ, at, data=card)
                    self._status = OK
                self._finish_read()
        return now

    def _begin(self, now: float) -> None:
        self._emit(CardEventKind.CARD_PRESENT, now)
        self._reading_since = now
        self._fault = self._faults.popleft() if self._faults else None

    def _finish_read(self) -> None:
        self._reading_since = None
        self._fault = None
        self._read_done = True

    def _emit(self, kind: CardEventKind, at: float, *, data: IdCardData | None = None,
              failure: ReadFailure | None = None) -> None:
        self._events.append(CardEvent(kind, at, data, failure))


# ---------------------------------------------------------------------------------------------
# From events to an identity


class ReadingState(StrEnum):
    WAITING = "waiting"  # "place your ID card on the reader"
    READING = "reading"  # "keep the card still"
    DONE = "done"  # identified
    FAILED = "failed"  # `code` says why; placing the card again starts over


FAILURE_CODES = {
    ReadFailure.TIMEOUT: "id.card.timeout",
    ReadFailure.REMOVED: "id.card.removed_during_read",
    ReadFailure.UNREADABLE: "id.card.unreadable",
    ReadFailure.OFFLINE: "id.card.reader_offline",
}
CARD_CODES = frozenset(FAILURE_CODES.values()) | {
    "id.card.waiting", "id.card.reading", "id.card.partial_read", "id.card.expired",
    "id.card.ok",
}


@dataclass(frozen=True)
class ReadingUpdate:
    state: ReadingState
    code: str  # one of CARD_CODES, for the screen to translate
    identity: Identity | None = None  # only in the one update that reports DONE
    photo: bytes | None = field(default=None, repr=False)  # the chip's, with the identity


class CardReading:
    """One attempt at identifying a citizen by card. The screen calls `start()`, then `poll()`
    from a timer and shows `code`; the update whose state is DONE carries the identity, which
    this object does not keep."""

    def __init__(self, reader: IdCardReader, today: date | None = None):
        self.reader = reader
        self._today = today
        self.state = ReadingState.WAITING
        self.code = "id.card.waiting"

    def __repr__(self) -> str:
        return f"CardReading(state={self.state.value}, code={self.code})"

    def start(self) -> ReadingUpdate:
        self.reader.start()
        self.state, self.code = ReadingState.WAITING, "id.card.waiting"
        return self._offline() or ReadingUpdate(self.state, self.code)

    def stop(self) -> None:
        self.reader.stop()

    def poll(self) -> ReadingUpdate:
        identity: Identity | None = None
        photo: bytes | None = None
        for event in self.reader.poll():
            if self.state is ReadingState.DONE:
                break
            if event.kind is CardEventKind.CARD_PRESENT:
                self.state, self.code = ReadingState.READING, "id.card.reading"
            elif event.kind is CardEventKind.READ_ERROR:
                self.state, self.code = ReadingState.FAILED, FAILURE_CODES[event.failure]
            elif event.kind is CardEventKind.READ:
                identity = self._accept(event.data)
                photo = event.data.photo if identity is not None else None
            elif event.kind is CardEventKind.REMOVED and self.state is ReadingState.READING:
                self.state, self.code = ReadingState.FAILED, FAILURE_CODES[ReadFailure.REMOVED]
        if identity is not None:
            self.reader.stop()
            return ReadingUpdate(self.state, self.code, identity, photo)
        return self._offline() or ReadingUpdate(self.state, self.code)

    def _accept(self, data: IdCardData | None) -> Identity | None:
        if data is None or not data.name.strip() or (
                check_id_number(data.id_number, self._today) is not IdCheck.OK):
            # the chip answered, but not with a whole card: the card moved during the read
            self.state, self.code = ReadingState.FAILED, "id.card.partial_read"
            return None
        if data.valid_until is not None and data.valid_until < (self._today or date.today()):
            self.state, self.code = ReadingState.FAILED, "id.card.expired"
            return None
        self.state, self.code = ReadingState.DONE, "id.card.ok"
        return Identity(data.id_number, IdMethod.ID_CARD, name=data.name, today=self._today)

    def _offline(self) -> ReadingUpdate | None:
        """A reader that cannot read (offline, or in error: a SAM that failed its self-test)
        is reported as offline: the citizen is offered another way at once."""
        if self.state is not ReadingState.DONE and not self.reader.status().usable:
            self.state, self.code = ReadingState.FAILED, FAILURE_CODES[ReadFailure.OFFLINE]
            return ReadingUpdate(self.state, self.code)
        return None
