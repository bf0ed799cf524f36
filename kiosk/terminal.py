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
