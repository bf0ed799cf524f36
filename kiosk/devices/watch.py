"""A device watched on its own thread, its news published on the bus.

`CardWatch` (the ID-card reader) and `FaceWatch` (the camera and face verifier) share this: a
daemon thread that sleeps while there is nothing to watch, steps the watch every `interval_s`
while there is, and publishes each update with the generation it belongs to, so an update that
arrives after a `start`/`stop` on the UI thread is recognised as stale (`current`). Tests build
a watch with ``thread=False`` and step it by hand.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from kiosk.bus import Bus, Topic

log = logging.getLogger("kiosk.devices")


class ThreadedWatch:
    topic: Topic  # what the updates are published as: (generation, update)
    thread_name = "device-watch"

    def __init__(self, bus: Bus, *, interval_s: float, thread: bool = True):
        self.bus = bus
        self.interval_s = interval_s
        self._use_thread = thread
        self._lock = threading.RLock()
        self._generation = 0  # a start() or stop() makes older publications stale
        self._wake = threading.Event()
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None

    # -- what a watch defines ------------------------------------------------------------------
    def _idle(self) -> bool:
        """Nothing to watch now: the thread sleeps until `_watch()`."""
        raise NotImplementedError

    def _step(self) -> tuple[int, Any]:
        """One look at the device: (the generation it belongs to, an update or None)."""
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------------------------
    def current(self, generation: int) -> bool:
        """Whether a publication of `generation` still belongs to what is shown now."""
        return generation == self._generation

    def _watch(self) -> None:
        """Something to watch: make sure the thread runs and wake it."""
        if self._use_thread:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self.thread_name,
                                                daemon=True)
                self._thread.start()
            self._wake.set()

    def close(self) -> None:
        self.stop()
        self._closed.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(2)

    def _run(self) -> None:
        while not self._closed.is_set():
            if self._idle():
                self._wake.wait()
                self._wake.clear()
                continue
            try:
                generation, update = self._step()
            except Exception:  # a driver bug must not end the watch
                log.exception("%s step failed", self.thread_name)
                update = None
            if update is not None:
                self.bus.publish(self.topic, (generation, update))
            self._closed.wait(self.interval_s)
