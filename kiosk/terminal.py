"""Terminal states, as in common-use airport kiosks, with only the legal transitions; and what
decides them: the required parts' health (`TerminalHealth`) and a thread-safe copy of the state
for the heartbeat (`StateBoard`).

A required device that fails takes the terminal out of service only once the citizen at it is
served (never mid-session); when it recovers the terminal is available again. A device that is
not required only greys out the items that need it (`KioskCore.unavailable_items`). The backend
is a part like the others (``backend`` in ``devices.required``): required, it takes the terminal
out of service after it has been unreachable for ``devices.backend_grace_min`` minutes; not
required (the default), only the items that need it are greyed while it is unreachable
(docs/decisions/0021).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import StrEnum


class TerminalState(StrEnum):
    INITIALISING = "initialising"
    AVAILABLE = "available"      # attract screen, waiting for a citizen
    ACTIVE = "active"            # a citizen session is running
    UNAVAILABLE = "unavailable"  # out of service: a required part is down
    MAINTENANCE = "maintenance"  # a technician is working on it
    ATTENDED = "attended"        # hall staff operate it for a citizen


# Never out of service in the middle of a session: ACTIVE and ATTENDED end (to AVAILABLE) first.
_LEGAL: dict[TerminalState, frozenset[TerminalState]] = {
    TerminalState.INITIALISING: frozenset({TerminalState.AVAILABLE, TerminalState.UNAVAILABLE}),
    TerminalState.AVAILABLE: frozenset(
        {TerminalState.ACTIVE, TerminalState.UNAVAILABLE, TerminalState.MAINTENANCE, TerminalState.ATTENDED}
    ),
    TerminalState.ACTIVE: frozenset({TerminalState.AVAILABLE, TerminalState.ATTENDED}),
    TerminalState.UNAVAILABLE: frozenset({TerminalState.AVAILABLE, TerminalState.MAINTENANCE}),
    TerminalState.MAINTENANCE: frozenset({TerminalState.AVAILABLE, TerminalState.UNAVAILABLE}),
    TerminalState.ATTENDED: frozenset({TerminalState.AVAILABLE, TerminalState.ACTIVE}),
}

LEGAL_TRANSITIONS = _LEGAL


class IllegalTransition(Exception):
    pass


class TerminalStateMachine:
    def __init__(self) -> None:
        self.state = TerminalState.INITIALISING
        self.reason = ""
        self._listeners: list[Callable[[TerminalState, TerminalState, str], None]] = []

    def subscribe(self, fn: Callable[[TerminalState, TerminalState, str], None]) -> None:
        self._listeners.append(fn)

    def can(self, target: TerminalState) -> bool:
        return target in _LEGAL[self.state]

    def move(self, target: TerminalState, reason: str = "") -> None:
        if target == self.state:
            return
        if not self.can(target):
            raise IllegalTransition(f"{self.state} -> {target}")
        old, self.state, self.reason = self.state, target, reason
        for fn in list(self._listeners):
            fn(old, target, reason)


# -- what the terminal needs ---------------------------------------------------------------------

# The parts `devices.required` may name (kiosk.config).
RECEIPT_PRINTER = "receipt_printer"
DOCUMENT_PRINTER = "document_printer"
ID_CARD_READER = "id_card_reader"
BACKEND = "backend"
PARTS = (RECEIPT_PRINTER, DOCUMENT_PRINTER, ID_CARD_READER, BACKEND)
# the spooler's printer names (Topic.PRINTER_STATUS) -> parts
PRINTER_PARTS = {"receipt": RECEIPT_PRINTER, "document": DOCUMENT_PRINTER}


class TerminalHealth:
    """Which parts are down now, and whether a required one keeps the terminal out of service.
    Qt-free and thread-agnostic: the core feeds it on its own thread. `clock()`: monotonic
    seconds (the backend's grace period)."""

    def __init__(self, required: frozenset[str] | set[str] | tuple[str, ...],
                 backend_grace_s: float, clock: Callable[[], float]):
        self.required = frozenset(required)
        self.backend_grace_s = backend_grace_s
        self.clock = clock
        self._down: dict[str, str] = {}  # part -> reason code
        self._backend_down_since: float | None = None

    def set_device(self, part: str, usable: bool | None, reason: str = "") -> bool:
        """A device's news (None: the terminal has no such device: it cannot fail). Returns
        whether anything changed."""
        before = self._down.get(part)
        if usable is None or usable:
            self._down.pop(part, None)
        else:
            self._down[part] = reason or "offline"
        return before != self._down.get(part)

    def set_backend(self, reachable: bool) -> bool:
        """The sync link's news; returns whether it changed."""
        if reachable:
            changed = self._backend_down_since is not None
            self._backend_down_since = None
            self._down.pop(BACKEND, None)
            return changed
        if self._backend_down_since is None:
            self._backend_down_since = self.clock()
            self._down[BACKEND] = "unreachable"
            return True
        return False

    def down(self) -> dict[str, str]:
        """Every part down now (required or not), with its reason."""
        return dict(self._down)

    def backend_down(self) -> bool:
        return BACKEND in self._down

    def problem(self) -> str:
        """Why the terminal must be out of service ("" if it need not be): the first required
        part that is down, as ``part.reason`` (a code; no personal data). The backend counts
        once it has been unreachable for the grace period."""
        for part in PARTS:
            if part not in self.required or part not in self._down:
                continue
            if part == BACKEND and self._backend_down_since is not None and \
                    self.clock() - self._backend_down_since < self.backend_grace_s:
                continue
            return f"{part}.{self._down[part]}"
        return ""


_ROUTINE = frozenset({TerminalState.INITIALISING.value, TerminalState.AVAILABLE.value,
                      TerminalState.ACTIVE.value})


class StateBoard:
    """The terminal's state and reason as other threads read them (the sync worker's
    heartbeat): written on the core's thread at every transition, read under a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value = (TerminalState.INITIALISING.value, "")
        self._listeners: list[Callable[[], None]] = []

    def set(self, state: str, reason: str = "") -> None:
        with self._lock:
            old = self._value
            self._value = (str(state), reason[:200])
            new = self._value
        if new == old or {old[0], new[0]} <= _ROUTINE:
            return  # a citizen's session beginning or ending waits for the next heartbeat
        for fn in list(self._listeners):
            fn()

    def get(self) -> tuple[str, str]:
        with self._lock:
            return self._value

    def on_change(self, fn: Callable[[], None]) -> None:
        """`fn()` after a change staff should hear of at once (out of service, maintenance,
        attended, back): the sync service sends a heartbeat soon. Sessions beginning and
        ending (available <-> active) are not announced: they would wake the sync worker for
        every citizen."""
        self._listeners.append(fn)


# -- why the terminal is out of service: a set of reasons, one per source (decision 0036) --------


class OutSource(StrEnum):
    """Who took the terminal out of service. Each source adds and lifts its own reason only:
    the console's unlock never lifts the technician's maintenance, nor the other way round."""

    LOCK = "lock"              # the fleet console's lock, with words for citizens
    TECHNICIAN = "technician"  # the maintenance panel
    CONSOLE = "console"        # the fleet console's (or the admin API's) enter maintenance
    NIGHTLY = "nightly"        # nightly maintenance, until its restart
    FAILURE = "failure"        # a crash, a crash loop, an unusable store: until a restart
    PARTS = "parts"            # a required part down (paper out, reader offline, backend)


# Sources that make the state MAINTENANCE (someone decided it); the others UNAVAILABLE.
MAINTENANCE_SOURCES = frozenset({OutSource.LOCK, OutSource.TECHNICIAN, OutSource.CONSOLE,
                                 OutSource.NIGHTLY})
# The most relevant first: what the out-of-service screen shows. The lock first (the console
# wrote words for citizens), then a person's maintenance, then what the machine found.
PRIORITY = (OutSource.LOCK, OutSource.TECHNICIAN, OutSource.CONSOLE, OutSource.NIGHTLY,
            OutSource.FAILURE, OutSource.PARTS)
# The sources kept across a restart (the console's: a restart to apply a pushed profile must not
# unlock a locked terminal). A technician's maintenance ends with their panel; failures, parts
# and the nightly run are looked at afresh.
PERSISTENT_SOURCES = frozenset({OutSource.LOCK, OutSource.CONSOLE})


class OutReason:
    """One source's reason: `code` is what the screen and the heartbeat show (``locked``,
    ``maintenance``, ``technician``, ``nightly``, ``crash_loop``,
    ``document_printer.paper_out`` ...), `detail` for the log, `message` words for citizens
    (the console's lock only)."""

    __slots__ = ("source", "code", "detail", "message")

    def __init__(self, source: OutSource, code: str, detail: str = "", message: str = ""):
        self.source, self.code, self.detail, self.message = OutSource(source), code, detail, message

    def __eq__(self, other) -> bool:
        return isinstance(other, OutReason) and (self.source, self.code, self.detail,
                                                 self.message) == (other.source, other.code,
                                                                   other.detail, other.message)

    def __repr__(self) -> str:
        return f"OutReason({self.source.value}, {self.code!r})"


class OutOfServiceReasons:
    """The set of reasons the terminal is out of service; in service only when it is empty.
    Qt-free, on the core's thread."""

    def __init__(self) -> None:
        self._by_source: dict[OutSource, OutReason] = {}

    def set(self, reason: OutReason) -> bool:
        """Add or replace the reason of its source; whether anything changed."""
        if self._by_source.get(reason.source) == reason:
            return False
        self._by_source[reason.source] = reason
        return True

    def lift(self, source: OutSource) -> bool:
        """Remove this source's reason (only it); whether there was one."""
        return self._by_source.pop(OutSource(source), None) is not None

    def get(self, source: OutSource) -> OutReason | None:
        return self._by_source.get(OutSource(source))

    def __bool__(self) -> bool:
        return bool(self._by_source)

    def __contains__(self, source) -> bool:
        return OutSource(source) in self._by_source

    def ordered(self) -> list[OutReason]:
        return [self._by_source[s] for s in PRIORITY if s in self._by_source]

    def top(self) -> OutReason | None:
        """The most relevant reason (PRIORITY), or None: in service."""
        ordered = self.ordered()
        return ordered[0] if ordered else None

    def state(self) -> TerminalState:
        """MAINTENANCE if a person (or the nightly run) decided it, UNAVAILABLE if only the
        machine's faults remain, AVAILABLE if nothing."""
        if not self._by_source:
            return TerminalState.AVAILABLE
        if MAINTENANCE_SOURCES & self._by_source.keys():
            return TerminalState.MAINTENANCE
        return TerminalState.UNAVAILABLE

    def message(self) -> str:
        """The words for citizens (the console's lock), whatever else holds it out."""
        lock = self._by_source.get(OutSource.LOCK)
        return lock.message if lock is not None else ""

    def summary(self) -> str:
        """Every reason's code, the most relevant first (the heartbeat's `state_reason`)."""
        return ",".join(r.code for r in self.ordered())[:200]
