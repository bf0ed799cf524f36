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
from datetime import date

from kiosk.bus import Bus, Topic
from kiosk.devices.watch import ThreadedWatch
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


class CardWatch(ThreadedWatch):
    topic = Topic.CARD
    thread_name = "card-watch"

    def __init__(self, reader: IdCardReader, bus: Bus, *, today: date | None = None,
                 interval_s: float = POLL_S, thread: bool = True):
        super().__init__(bus, interval_s=interval_s, thread=thread)
        self.reader = reader
        self.today = today
        self._reading: CardReading | None = None
        self._last_code = ""

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
        self._watch()
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

    # -- the watch's thread ------------------------------------------------------------------
    def _idle(self) -> bool:
        return self._reading is None

    def _step(self):
        with self._lock:
            return self._generation, self.poll()
