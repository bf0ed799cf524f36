"""Manual entry of an ID number on the on-screen number pad (0-9, X, backspace, clear).

The model behind the pad, no Qt: it takes key presses, keeps at most 18 characters, and after
every press says what is wrong so far as an `IdCheck` code (``id.too_short`` while typing,
``id.bad_region`` / ``id.bad_birth_date`` as soon as the typed part is impossible,
``id.bad_check_digit`` for a typo caught by the last character, ``id.ok``). The screen shows
`display` (masked: 3201**********1234) and translates `check`; `identity()` hands the number
to the flow. The GB 11643 rules are the protocol's (`kiosk.identity.check_id_number`).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from kiosk.identity import (
    ID_LENGTH,
    IdCheck,
    Identity,
    IdMethod,
    InvalidIdentity,
    check_id_number,
    mask_partial,
)

__all__ = ["IdCheck", "ManualIdEntry", "NumpadKey"]


class NumpadKey(StrEnum):
    BACKSPACE = "backspace"
    CLEAR = "clear"


DIGIT_KEYS = tuple("0123456789")
X_KEY = "X"


class ManualIdEntry:
    """What has been typed so far. `press()` returns the check after the press."""

    __slots__ = ("_value", "_today", "_last")

    def __init__(self, today: date | None = None):
        self._value = ""
        self._today = today
        self._last = IdCheck.TOO_SHORT

    @property
    def check(self) -> IdCheck:
        return self._last

    @property
    def display(self) -> str:
        return mask_partial(self._value)

    @property
    def length(self) -> int:
        return len(self._value)

    @property
    def complete(self) -> bool:
        return self._last is IdCheck.OK

    def press(self, key: str) -> IdCheck:
        """A key of the pad: a digit, ``X`` (or ``x``), `NumpadKey.BACKSPACE` or `CLEAR`.

        A 19th character is refused (the value is unchanged) and answers ``id.too_long``; an X
        before the 18th position is refused and answers ``id.bad_format``: the pad never holds
        something that could not become a valid number by typing on.
        """
        if key == NumpadKey.BACKSPACE:
            self._value = self._value[:-1]
        elif key == NumpadKey.CLEAR:
            self._value = ""
        elif key in DIGIT_KEYS or key.upper() == X_KEY:
            if len(self._value) >= ID_LENGTH:
                return IdCheck.TOO_LONG
            if key.upper() == X_KEY and len(self._value) != ID_LENGTH - 1:
                return IdCheck.BAD_FORMAT
            self._value += key.upper()
        else:
            raise ValueError(f"not a key of the number pad: {key!r}")
        self._last = check_id_number(self._value, self._today)
        return self._last

    def enter(self, text: str) -> IdCheck:
        """Press every character of `text` in turn (tests, the keypad driver)."""
        result = self._last
        for ch in text:
            result = self.press(ch)
        return result

    def identity(self) -> Identity:
        """The entered number as an identity (method manual); `InvalidIdentity` with the check
        code while the entry is not OK."""
        if self._last is not IdCheck.OK:
            raise InvalidIdentity(self._last)
        return Identity(self._value, IdMethod.MANUAL, today=self._today)

    def clear(self) -> None:
        self._value = ""
        self._last = IdCheck.TOO_SHORT

    def __repr__(self) -> str:
        return f"ManualIdEntry(length={len(self._value)}, check={self._last.value})"

    def __reduce_ex__(self, protocol):
        raise TypeError("a ManualIdEntry is never serialised or copied")
