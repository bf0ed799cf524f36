"""The QR scanner as a keyboard wedge, on the Qt side: an application event filter that tells a
scan from typing (kiosk.devices.scanner.WedgeDetector decides), and `type_as_scanner`, which
types a code into the application the way a wedge scanner does (the demo simulator, tests).

A scanner's keystrokes reach Qt like any keyboard's, addressed to whatever has focus. While
`WedgeFilter` is installed (the flow screen installs it only while the identify step shows),
every printable key press is *held* (swallowed) while it may still be part of a scan:

- if the keys end in Enter fast enough, they were a scan: `scanned(text)` is emitted and no
  key ever reaches a widget (the code does not land in a search box);
- otherwise they were typed by a person: they are re-delivered, in order, to the widget that
  had focus when each was pressed, at most the detector's hold window (80 ms) late. A timer
  releases keys held that long; any other key (Backspace, arrows, a shortcut, an auto-repeat)
  first releases what is held, so the order of keys never changes.

Timing comes from the key events' own timestamps when consecutive events carry them (real
keyboards and `type_as_scanner` do: a busy UI thread then cannot turn a scan into typing),
else from `time.monotonic()` when the event is seen.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from kiosk.devices.scanner import ENTER, Scan, WedgeDetector
from screens.qt import (
    QApplication,
    QCoreApplication,
    QEvent,
    QObject,
    Qt,
    QtGui,
    QTimer,
    QWidget,
    Signal,
    alive,
)

QKeyEvent = QtGui.QKeyEvent
QWindow = QtGui.QWindow

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                      | Qt.KeyboardModifier.MetaModifier)


@dataclass
class _HeldKey:
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    target: QObject  # where the key would have gone: the focused widget (or the window)


class WedgeFilter(QObject):
    """Install on the application with `install(app)`; `scanned` carries each scan's text."""

    scanned = Signal(str)

    def __init__(self, detector: WedgeDetector | None = None, parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__(parent)
        self.detector = detector or WedgeDetector()
        self._clock = clock
        self._app: QCoreApplication | None = None
        self._held: list[_HeldKey] = []
        self._swallowed_releases: Counter[int] = Counter()
        self._delivering = 0  # > 0 while re-delivering typed keys: let them through
        # (filter time, monotonic time, event timestamp ms) of the last key fed
        self._last: tuple[float, float, int] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(round(self.detector.max_gap_s * 1000) + 10)
        self._timer.timeout.connect(self._on_hold_expired)

    def __repr__(self) -> str:
        return f"WedgeFilter(installed={self.installed}, held={len(self._held)})"

    # -- lifecycle -----------------------------------------------------------------------
    @property
    def installed(self) -> bool:
        return self._app is not None

    def install(self, app: QCoreApplication | None = None) -> None:
        """Start watching the keyboard (idempotent)."""
        if self._app is not None:
            return
        self._app = app or QCoreApplication.instance()
        self._app.installEventFilter(self)

    def uninstall(self) -> None:
        """Stop watching; keys still held are dropped (likely half a scan: they must not land
        in the next screen's fields). Idempotent."""
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None
        self.reset()

    def reset(self) -> None:
        """Forget held keys without delivering them."""
        self._timer.stop()
        self._held.clear()
        self._swallowed_releases.clear()
        self.detector.reset()
        self._last = None

    @property
    def holding(self) -> bool:
        return bool(self._held)

    # -- the filter ------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self._delivering or kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        key = event.key()
        if kind == QEvent.Type.KeyRelease:
            if not event.isAutoRepeat() and self._swallowed_releases[key] > 0:
                self._swallowed_releases[key] -= 1
                return True
            return False
        text = event.text()
        modifiers = event.modifiers()
        plain = not event.isAutoRepeat() and not (modifiers & _COMMAND_MODIFIERS)
        if plain and key in _ENTER_KEYS:
            return self._feed_enter(key, event)
        if plain and len(text) == 1 and text.isprintable():
            self._feed_char(obj, key, modifiers, text, event)
            return True
        # Any other key: what is held was typing, and comes first.
        if self._held:
            self._release_all()
        return False

    def _feed_char(self, obj: QObject, key: int, modifiers, text: str, event: QEvent) -> None:
        t = self._time_of(event)
        results = self.detector.feed(text, t)
        self._deliver(results)
        self._held.append(_HeldKey(key, modifiers, text, self._target(obj)))
        self._swallowed_releases[key] += 1
        self._timer.start()

    def _feed_enter(self, key: int, event: QEvent) -> bool:
        if not self._held:
            return False  # an Enter on its own: nothing to decide, let it through untouched
        t = self._time_of(event)
        results = self.detector.feed(ENTER[0], t)
        scan: str | None = None
        for r in results:
            if isinstance(r, Scan):
                del self._held[:len(r.text)]
                scan = r.text
            else:
                self._deliver([r])
        if not self._held:
            self._timer.stop()
        if scan is None:
            return False  # typed keys went first; the Enter itself goes on as it came
        self._swallowed_releases[key] += 1
        self.scanned.emit(scan)  # last: a slot may uninstall this filter
        return True

    def _on_hold_expired(self) -> None:
        # Keys already posted but not yet delivered come first (a busy event loop may fire
        # this timer and the scanner's next key in the same round).
        QCoreApplication.sendPostedEvents(None, QEvent.Type.KeyPress.value)
        if not self._held:
            return
        if self._last is None:
            self._release_all()
            return
        last_t, last_mono, _ = self._last
        now = last_t + max(0.0, self._clock() - last_mono)
        self._deliver(self.detector.flush(now))
        if self._held:
            self._timer.start()

    # -- helpers ---------------------------------------------------------------------------
    def _time_of(self, event: QEvent) -> float:
        mono = self._clock()
        ts = int(event.timestamp())
        if self._last is None:
            t = mono
        else:
            last_t, last_mono, last_ts = self._last
            if ts and last_ts and ts >= last_ts:
                t = last_t + (ts - last_ts) / 1000.0
            else:
                t = last_t + max(0.0, mono - last_mono)
        self._last = (t, mono, ts)
        return t

    @staticmethod
    def _target(obj: QObject) -> QObject:
        if isinstance(obj, QWidget):
            return obj
        return QApplication.focusWidget() or obj

    def _release_all(self) -> None:
        self.detector.reset()
        self._deliver_keys(len(self._held))

    def _deliver(self, results) -> None:
        for r in results:
            if isinstance(r, Scan):  # cannot happen without Enter; keep the count right
                del self._held[:len(r.text)]
                continue
            self._deliver_keys(len(r.text.rstrip("\n")))

    def _deliver_keys(self, n: int) -> None:
        keys, self._held[:n] = self._held[:n], []
        if not self._held:
            self._timer.stop()
        for k in keys:
            self._send(k)

    def _send(self, k: _HeldKey) -> None:
        # The widget the key was meant for may have been deleted while it was held (the
        # citizen left the screen): then it goes to whatever has the focus now, or nowhere.
        target = k.target if alive(k.target) else QApplication.focusWidget()
        if not alive(target):
            return
        self._delivering += 1
        try:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                ev = QKeyEvent(kind, k.key, k.modifiers, k.text)
                QCoreApplication.sendEvent(target, ev)
        except RuntimeError:
            pass  # the widget went away meanwhile: the key has nowhere to go
        finally:
            self._delivering -= 1
        # the release was delivered with the press: swallow the real one when it comes
        # (the counter was raised when the press was held)


# ---------------------------------------------------------------------------------------------
# Typing like a scanner


def _key_for(ch: str) -> tuple[int, Qt.KeyboardModifier]:
    if ch in ENTER:
        return int(Qt.Key.Key_Return.value), Qt.KeyboardModifier.NoModifier
    if ch.isascii() and ch.isalpha():
        shift = Qt.KeyboardModifier.ShiftModifier if ch.isupper() else Qt.KeyboardModifier.NoModifier
        return ord(ch.upper()), shift
    if ch.isascii() and ch.isprintable():
        return ord(ch), Qt.KeyboardModifier.NoModifier
    return int(Qt.Key.Key_unknown.value), Qt.KeyboardModifier.NoModifier


class ScannerTyping(QObject):
    """One code being typed; `finished` after its Enter has been posted."""

    finished = Signal()
    _active: ClassVar[set[ScannerTyping]] = set()  # keeps running typers alive until they finish

    def __init__(self, text: str, gap_ms: int = 5, target: QObject | None = None):
        super().__init__()
        self._chars = list(text) + ["\r"]
        self._i = 0
        self._gap_ms = max(1, int(gap_ms))
        self._target = target
        self._t0 = int(time.monotonic() * 1000)
        self._timer = QTimer(self)
        self._timer.setInterval(self._gap_ms)
        self._timer.timeout.connect(self._next)

    def __repr__(self) -> str:
        return f"ScannerTyping({self._i}/{len(self._chars)})"

    def start(self) -> ScannerTyping:
        ScannerTyping._active.add(self)
        self._next()
        if self._i < len(self._chars):
            self._timer.start()
        return self

    @property
    def done(self) -> bool:
        return self._i >= len(self._chars)

    def _receiver(self) -> QObject | None:
        if self._target is not None:
            return self._target
        # a real keyboard's keys go to the focused window, which hands them to its focus
        return (QApplication.focusWindow() or QApplication.focusWidget()
                or QApplication.activeWindow())

    def _next(self) -> None:
        if self._i >= len(self._chars):
            return
        ch = self._chars[self._i]
        receiver = self._receiver()
        if receiver is not None:
            key, mods = _key_for(ch)
            text = "\r" if ch in ENTER else ch
            stamp = self._t0 + self._i * self._gap_ms
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                ev = QKeyEvent(kind, key, mods, text)
                ev.setTimestamp(stamp)
                QCoreApplication.postEvent(receiver, ev)
        self._i += 1
        if self._i >= len(self._chars):
            self._timer.stop()
            ScannerTyping._active.discard(self)
            self.finished.emit()


def type_as_scanner(text: str, gap_ms: int = 5, target: QObject | None = None) -> ScannerTyping:
    """Type `text` and an Enter into the application as a wedge scanner would: one key press
    and release every `gap_ms` (posted from a timer, so the event loop runs in between), to
    `target` or else whatever has keyboard focus. Returns the running `ScannerTyping`; wait
    for its `finished` signal (and let the event loop deliver the last keys)."""
    return ScannerTyping(text, gap_ms, target).start()
