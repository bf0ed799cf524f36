"""The one way work and news reach the UI thread.

Background threads (the sync worker, the printers' spooler workers, the flow driver's worker)
never touch the core or a screen: they `publish` a topic with a payload, and the bus delivers it
to the subscribers on the core's thread through `post`, the single hand-off the composition
root supplies (a queued Qt signal in the app, `inline` or a `ManualPost` in Qt-free tests).
Subscribers are called on that thread only, in the order they subscribed; one that raises is
logged and the others still run.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from enum import StrEnum
from typing import Any

log = logging.getLogger("kiosk.bus")

Post = Callable[[Callable[[], None]], None]


class Topic(StrEnum):
    SYNC_STATUS = "sync.status"  # kiosk.sync.worker.SyncStatus
    CATALOG_UPDATED = "sync.catalog_updated"  # the sync result
    MAINTENANCE = "sync.maintenance"  # bool
    NEW_CONFIG = "sync.new_config"  # dict: pushed settings
    RESTART = "sync.restart"  # None: restart at the next idle moment (fleet console)
    LOCK = "sync.lock"  # str | None: out of service with this message; None: unlocked
    PRINT_JOB = "print.job"  # kiosk.ports.PrintUpdate
    PRINTER_STATUS = "print.status"  # (printer name, DeviceStatus)
    CARD = "device.card"  # (generation, kiosk.devices.idcard.ReadingUpdate)
    FACE = "device.face"  # (generation, kiosk.devices.face.FaceUpdate)
    NIGHTLY = "maintenance.nightly"  # kiosk.nightly.NightlyReport: done, restart now
    STAFF_ROSTER = "staff.roster"  # int: a newer staff roster was saved (hall staff)
    STAFF_LOGIN = "staff.login"  # kiosk.staff.LoginResult: a PIN was checked (off the UI thread)
    HELP = "help.result"  # (generation, kind, ok, value): kiosk.help.HelpDesk's worker


def inline(fn: Callable[[], None]) -> None:
    """A `Post` for single-threaded use (the CLI, simple tests): run it now."""
    fn()


class ManualPost:
    """A `Post` for Qt-free tests of threaded parts: work waits until `drain()`, which the test
    calls on its own thread as the UI's event loop would."""

    def __init__(self) -> None:
        self._q: queue.Queue[Callable[[], None]] = queue.Queue()

    def __call__(self, fn: Callable[[], None]) -> None:
        self._q.put(fn)

    def drain(self, timeout: float = 0.0) -> int:
        """Run what was posted; wait up to `timeout` s for the first item. Returns the count."""
        n = 0
        try:
            fn = self._q.get(timeout=timeout) if timeout else self._q.get_nowait()
        except queue.Empty:
            return 0
        while True:
            fn()
            n += 1
            try:
                fn = self._q.get_nowait()
            except queue.Empty:
                return n


class Bus:
    def __init__(self, post: Post = inline):
        self.post = post
        self._subs: dict[str, list[Callable[[Any], None]]] = {}
        self._lock = threading.Lock()

    def has_subscribers(self, topic: Topic) -> bool:
        with self._lock:
            return bool(self._subs.get(str(topic)))

    def subscribe(self, topic: Topic, fn: Callable[[Any], None]) -> Callable[[], None]:
        """`fn(payload)` on the core's thread for every publication; returns an unsubscribe."""
        with self._lock:
            self._subs.setdefault(str(topic), []).append(fn)

        def unsubscribe() -> None:
            with self._lock:
                subs = self._subs.get(str(topic), [])
                if fn in subs:
                    subs.remove(fn)

        return unsubscribe

    def publish(self, topic: Topic, payload: Any = None) -> None:
        """From any thread: deliver on the core's thread."""
        self.post(lambda: self.deliver(topic, payload))

    def deliver(self, topic: Topic, payload: Any = None) -> None:
        """On the core's thread: call the subscribers now."""
        with self._lock:
            subs = list(self._subs.get(str(topic), ()))
        for fn in subs:
            try:
                fn(payload)
            except Exception:
                log.exception("subscriber of %s failed", topic)
