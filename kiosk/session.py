"""A citizen session: what one person did at the terminal, held in memory and wiped at its end.

The idle timeout is computed from a monotonic clock (injected, so tests need not sleep): after
`idle_timeout_s` without a touch the session asks "still there?", and `countdown_s` later it ends.
Every touch restarts the idle period.

Each session has an `id` (uuid4 hex, new at every start): the proofs of the personal calls
name it, so a proof cannot serve another citizen's session (docs/decisions/0018).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class IdlePhase(StrEnum):
    IDLE = "idle"            # no session
    ACTIVE = "active"        # a citizen is using the terminal
    COUNTDOWN = "countdown"  # "still there?" is showing
    EXPIRED = "expired"      # the countdown ran out


@dataclass
class SessionData:
    """Everything the citizen entered or chose. Cleared as a whole at the end of a session."""

    search_text: str = ""
    language: str = "zh_CN"
    elder_mode: bool = False
    visited_items: list[str] = field(default_factory=list)
    # attended mode (the hall-staff issue): the staff member helping this citizen, who
    # confirms the physical ID card; identities taken meanwhile are verified "attended"
    staff_id: str | None = None


class CitizenSession:
    def __init__(
        self,
        idle_timeout_s: float,
        countdown_s: float,
        elder_timeout_factor: float = 2.0,
        default_language: str = "zh_CN",
        clock: Callable[[], float] = time.monotonic,
    ):
        self.idle_timeout_s = idle_timeout_s
        self.countdown_s = countdown_s
        self.elder_timeout_factor = elder_timeout_factor
        self.default_language = default_language
        self._clock = clock
        self._last_touch = clock()
        self.started = False
        self.id = ""  # uuid4 hex while a session runs
        self.data = SessionData(language=default_language)

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        self.started = True
        self.id = uuid.uuid4().hex
        self._last_touch = self._clock()

    def end(self) -> None:
        """Wipe everything the citizen entered; the next person starts from nothing."""
        self.started = False
        self.id = ""
        self.data = SessionData(language=self.default_language)

    def touch(self) -> None:
        self._last_touch = self._clock()

    # -- idle timeout ----------------------------------------------------------------------
    @property
    def effective_idle_s(self) -> float:
        factor = self.elder_timeout_factor if self.data.elder_mode else 1.0
        return self.idle_timeout_s * factor

    @property
    def effective_countdown_s(self) -> float:
        """The "still there?" warning lasts longer in elder mode too: time to read it and
        reach the button (MIIT 2021 适老化: longer timeouts, a warning that can be extended)."""
        factor = self.elder_timeout_factor if self.data.elder_mode else 1.0
        return self.countdown_s * factor

    def phase(self) -> IdlePhase:
        if not self.started:
            return IdlePhase.IDLE
        idle = self._clock() - self._last_touch
        if idle < self.effective_idle_s:
            return IdlePhase.ACTIVE
        if idle < self.effective_idle_s + self.effective_countdown_s:
            return IdlePhase.COUNTDOWN
        return IdlePhase.EXPIRED

    def countdown_remaining(self) -> int:
        """Whole seconds left on the "still there?" countdown (rounded up)."""
        idle = self._clock() - self._last_touch
        left = self.effective_idle_s + self.effective_countdown_s - idle
        return max(0, int(-(-left // 1)))
