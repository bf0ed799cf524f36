"""The QR scanner as a keyboard wedge: telling a scan from typing, and a simulator.

Most kiosk scanners (Honeywell, Zebra, 新大陆, 霍尼韦尔 ...) present themselves as a USB
keyboard: a scan arrives as a burst of keystrokes, a few milliseconds apart, ending in Enter
(the scanner must be configured with an Enter suffix). A person types the same keys far more
slowly: even a very fast typist averages 60-100 ms between keys, with an occasional 10-20 ms
pair when two keys roll over. So:

- a keystroke is *held* while it may still be part of a scan, and released as typing as soon
  as it cannot be (a gap longer than `max_gap_s`, or `flush()` from a timer once that long has
  passed): typing is delayed by at most `max_gap_s`, imperceptibly;
- on Enter, the held keys are a scan if there are at least `min_length` of them and their
  *mean* gap (first key to Enter) is at most `mean_gap_s` (30 ms). A single slow gap up to
  `max_gap_s` is tolerated inside a burst (USB polling and scheduler jitter), a few fast
  rollover pairs never make typing look like a scan, because the mean stays high.

`WedgeDetector` is pure: `feed(char, t)` with the key's timestamp (the Qt key event's, or any
monotonic clock) returns what to do with the keys (`Typed` text to pass on, a `Scan`).
`SimulatedScanner` produces keystrokes the way a wedge scanner does, for tests and the demo.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from kiosk.devices.status import OK, DeviceStatus

ENTER = ("\r", "\n")
DEFAULT_MEAN_GAP_S = 0.030
DEFAULT_MAX_GAP_S = 0.080
DEFAULT_MIN_LENGTH = 6


@dataclass(frozen=True)
class Scan:
    """A complete scan: the code's text without the Enter."""

    text: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Scan(<{len(self.text)} characters>)"


@dataclass(frozen=True)
class Typed:
    """Keys a person typed: pass them on to the focused field. An Enter is included as "\\n"."""

    text: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Typed(<{len(self.text)} characters>)"


class WedgeDetector:
    def __init__(self, *, mean_gap_s: float = DEFAULT_MEAN_GAP_S,
                 max_gap_s: float = DEFAULT_MAX_GAP_S, min_length: int = DEFAULT_MIN_LENGTH):
        if not 0 < mean_gap_s <= max_gap_s:
            raise ValueError("need 0 < mean_gap_s <= max_gap_s")
        if min_length < 1:
            raise ValueError("min_length must be at least 1")
        self.mean_gap_s = mean_gap_s
        self.max_gap_s = max_gap_s
        self.min_length = min_length
        self._held: list[str] = []
        self._first_t = 0.0
        self._last_t = 0.0

    def __repr__(self) -> str:
        return f"WedgeDetector(held={len(self._held)})"

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def feed(self, char: str, t: float) -> list[Scan | Typed]:
        """One keystroke at time `t` (seconds). Returns what became certain with it."""
        if len(char) != 1:
            raise ValueError("feed one character at a time")
        out: list[Scan | Typed] = []
        if self._held and t - self._last_t > self.max_gap_s:
            out.append(self._release())
        if char in ENTER:
            if self._held and self._is_scan(t):
                out.append(Scan("".join(self._held)))
                self._held.clear()
            else:
                if self._held:
                    out.append(self._release())
                out.append(Typed("\n"))
            return out
        if not self._held:
            self._first_t = t
        self._held.append(char)
        self._last_t = t
        return out

    def flush(self, now: float) -> list[Typed]:
        """Call from a timer: keys held longer than `max_gap_s` were typed by a person."""
        if self._held and now - self._last_t > self.max_gap_s:
            return [self._release()]
        return []

    def reset(self) -> None:
        """Forget held keys (end of a session)."""
        self._held.clear()

    def _is_scan(self, t_enter: float) -> bool:
        n = len(self._held)
        return n >= self.min_length and (t_enter - self._first_t) / n <= self.mean_gap_s

    def _release(self) -> Typed:
        text = "".join(self._held)
        self._held.clear()
        return Typed(text)


def detect(keystrokes: Iterable[tuple[str, float]], detector: WedgeDetector | None = None,
           ) -> list[Scan | Typed]:
    """Run a whole recorded sequence through a detector, flushing at the end (tests, tools)."""
    d = detector or WedgeDetector()
    out: list[Scan | Typed] = []
    last = 0.0
    for ch, t in keystrokes:
        out.extend(d.feed(ch, t))
        last = t
    out.extend(d.flush(last + d.max_gap_s * 2))
    return out


@runtime_checkable
class QrScanner(Protocol):
    """A scanner the core can poll: a wedge fed by the screen's key events, or a serial one."""

    def status(self) -> DeviceStatus: ...

    def poll(self) -> list[str]:
        """Complete scans since the last poll, oldest first."""


class WedgeScanner:
    """The `QrScanner` port over a `WedgeDetector`: the screen feeds every key event in with
    `key()` and passes the returned typing on to the focused widget; scans wait for `poll()`."""

    def __init__(self, detector: WedgeDetector | None = None):
        self.detector = detector or WedgeDetector()
        self._scans: list[str] = []

    def __repr__(self) -> str:
        return f"WedgeScanner(waiting={len(self._scans)})"

    def key(self, char: str, t: float) -> str:
        """Returns the text to hand on as typing (often empty while keys are held)."""
        typed = []
        for r in self.detector.feed(char, t):
            if isinstance(r, Scan):
                self._scans.append(r.text)
            else:
                typed.append(r.text)
        return "".join(typed)

    def tick(self, now: float) -> str:
        return "".join(r.text for r in self.detector.flush(now))

    def status(self) -> DeviceStatus:
        return OK  # a wedge cannot be asked; a missing scanner is simply silent

    def poll(self) -> list[str]:
        out, self._scans = self._scans, []
        return out

    def reset(self) -> None:
        self.detector.reset()
        self._scans.clear()


class SimulatedScanner:
    """Keystrokes as a wedge scanner sends them: `char_s` seconds apart (a range; real ones do
    2-12 ms per character), now and then one `jitter_s` gap from the USB host, then Enter."""

    def __init__(self, seed: int = 0, *, char_s: tuple[float, float] = (0.003, 0.012),
                 jitter_s: float = 0.045, jitter_every: int = 16):
        self._rng = random.Random(seed)
        self.char_s = char_s
        self.jitter_s = jitter_s
        self.jitter_every = jitter_every

    def keystrokes(self, text: str, start: float = 0.0) -> list[tuple[str, float]]:
        out = []
        t = start
        for i, ch in enumerate(text + "\r"):
            if i:
                jitter = self.jitter_every and i % self.jitter_every == 0
                t += self.jitter_s if jitter else self._rng.uniform(*self.char_s)
            out.append((ch, t))
        return out

    def scan_into(self, scanner: WedgeScanner, text: str, start: float = 0.0) -> str:
        """Type a scan into a `WedgeScanner`; returns whatever leaked out as typing."""
        typed = [scanner.key(ch, t) for ch, t in self.keystrokes(text, start)]
        return "".join(typed)
