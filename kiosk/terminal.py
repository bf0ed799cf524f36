"""Terminal states, as in common-use airport kiosks, with only the legal transitions."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class TerminalState(StrEnum):
    INITIALISING = "initialising"
    AVAILABLE = "available"      # attract screen, waiting for a citizen
    ACTIVE = "active"            # a citizen session is running
    UNAVAILABLE = "unavailable"  # out of service: a required part is down
    MAINTENANCE = "maintenance"  # a technician is working on it
    ATTENDED = "attended"        # hall staff operate it for a citizen


_LEGAL: dict[TerminalState, frozenset[TerminalState]] = {
    TerminalState.INITIALISING: frozenset({TerminalState.AVAILABLE, TerminalState.UNAVAILABLE}),
    TerminalState.AVAILABLE: frozenset(
        {TerminalState.ACTIVE, TerminalState.UNAVAILABLE, TerminalState.MAINTENANCE, TerminalState.ATTENDED}
    ),
    TerminalState.ACTIVE: frozenset(
        {TerminalState.AVAILABLE, TerminalState.UNAVAILABLE, TerminalState.ATTENDED}
    ),
    TerminalState.UNAVAILABLE: frozenset({TerminalState.AVAILABLE, TerminalState.MAINTENANCE}),
    TerminalState.MAINTENANCE: frozenset({TerminalState.AVAILABLE, TerminalState.UNAVAILABLE}),
    TerminalState.ATTENDED: frozenset({TerminalState.AVAILABLE, TerminalState.ACTIVE}),
}


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
