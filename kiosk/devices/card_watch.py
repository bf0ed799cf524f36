"""The ID-card reader, watched off the UI thread.

While the identify step is shown, `CardWatch` polls the reader through a `CardReading` on its own
thread every 100 ms and publishes every new code, and the one update that carries the identity,
on the bus (`Topic.CARD`, delivered on the core's thread). The screen only shows what arrives;
no widget polls a device. A reader that was offline and is usable again is looked at afresh.

`poll()` does one step in the caller's thread (tests drive the reader's clock and poll by hand;
they build the watch with ``thread=False``).
"""

from __future__ import annotations

import logging
import threading
from datetime import date

from kiosk.bus import Bus, Topic
from kiosk.devices.idcard import (
    FAILURE_CODES,
    CardReading,
    IdCardReader,
    ReadFailure,
    ReadingUpdate,
)

log = logging.getLogger("kiosk.devices")

OFFLINE_CODE = FAILURE_CODES[ReadFailure.OFFLINE]
POLL_S = 0.1


class CardWatch:
    def __init__(self, reader: IdCardReader, bus: Bus, *, today: date | None = None,
                 interval_s: float = POLL_S, thread: bool = True):
        self.reader = reader
        self.bus = bus
        self.today = today
        self.interval_s = interval_s
        self._use_thread = thread
        self._lock = threading.RLock()
        self._reading: CardReading | None = None
        self._last_code = ""
        self._generation = 0  # a start() or stop() makes older publications stale
        self._wake = threading.Event()
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def active(self) -> bool:
        return self._reading is not None

    def start(self) -> ReadingUpdate:
        """Begin looking for a card; returns the first update (waiting, or offline)."""
        with self._lock:
            if self._reading is not None:
                self._reading.stop()
            self._generation += 1
            self._reading = CardReading(self.reader, today=self.today)
            update = self._reading.start()
            self._last_code = update.code
        if self._use_thread:
            self._ensure_thread()
            self._wake.set()
        return update

    def stop(self) -> None:
        """Stop looking; an update still on its way is dropped."""
        with self._lock:
            self._generation += 1
            if self._reading is not None:
                self._reading.stop()
                self._reading = None
            self._last_code = ""

    def poll(self) -> ReadingUpdate | None:
        """One look at the reader: the update if something changed (a new code, or the
        identity), else None."""
        with self._lock:
            reading = self._reading
            if reading is None:
                return None
            update = reading.poll()
            if update.identity is None and update.code == OFFLINE_CODE and \
                    self.reader.status().usable:
                update = reading.start()  # plugged back in: look for a card again
            if update.identity is None and update.code == self._last_code:
                return None
            self._last_code = update.code
            if update.identity is not None:
                self._reading = None  # read once; the reader stopped itself
            return update

    def close(self) -> None:
        self.stop()
        self._closed.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(2)

    # -- inside ----------------------------------------------------------------------------------
    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="card-watch", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._closed.is_set():
            if self._reading is None:
                self._wake.wait()
                self._wake.clear()
                continue
            try:
                with self._lock:
                    generation = self._generation
                    update = self.poll()
            except Exception:  # a driver bug must not end the watch
                log.exception("card reader poll failed")
                update = None
            if update is not None:
                self.bus.publish(Topic.CARD, (generation, update))
            self._closed.wait(self.interval_s)

    def current(self, generation: int) -> bool:
        """Whether a publication of `generation` still belongs to the reading shown now."""
        return generation == self._generation
