"""Everything the core works with, built once from the config by the composition root
(`wiring.build_services`) and handed to `KioskCore` as one frozen object. No Qt here.

A part the terminal does not have (no printer configured, sync off, no card reader) is None;
a store or catalog that cannot be used leaves `failure` set and the terminal out of service.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.bus import Bus
from kiosk.clock import OffsetClock
from kiosk.config import TerminalConfig
from kiosk.flows.items import ItemRegistry
from kiosk.terminal import StateBoard

if TYPE_CHECKING:
    from kiosk.catalog.repository import CatalogRepository
    from kiosk.flows.ports import EventSink, RecordsPort
    from kiosk.flows.problem_report import ProblemReporter
    from kiosk.ports import PrintPort
    from kiosk.store.db import Store
    from kiosk.sync.outbox import Outbox

log = logging.getLogger("kiosk.app")


@dataclass(frozen=True)
class OutOfService:
    """Why the terminal cannot serve: `reason` is a code the screen translates, `detail` is for
    the technician's log only (never shown to a citizen); `message`: words for citizens set at
    the fleet console when it locked the terminal (shown on the out-of-service screen)."""

    reason: str
    detail: str
    message: str = ""


@dataclass(frozen=True, eq=False)
class Services:
    config: TerminalConfig
    data_dir: Path
    bus: Bus
    items: ItemRegistry
    clock: OffsetClock = field(default_factory=OffsetClock)
    failure: OutOfService | None = None
    store: Store | None = None
    outbox: Outbox | None = None  # counts and export; writes go through `events`
    events: EventSink | None = None  # the outbox as the UI thread writes it (off-thread)
    catalog: CatalogRepository | None = None
    problems: ProblemReporter | None = None
    printer: PrintPort | None = None
    id_reader: Any = None  # kiosk.devices.idcard.IdCardReader
    camera: Any = None  # kiosk.devices.face.Camera
    face_verifier: Any = None  # kiosk.devices.face.FaceVerifier
    sync: Any = None  # kiosk.sync.service.SyncService
    records: RecordsPort | None = None
    # the hall-staff issue (docs/decisions/0021): the state as the heartbeat reads it, and the
    # call for help (kiosk.help.HelpDesk; None without a backend)
    terminal_state: StateBoard = field(default_factory=StateBoard)
    help: Any = None
    voice: Any = None  # kiosk.voice.Voice, the speech port (docs/decisions/0031)
    extras: dict[str, Any] = field(default_factory=dict)  # demo parts: virtual printers ...
    starters: tuple[Callable[[], None], ...] = ()  # background work, begun by start()
    closers: tuple[Callable[[], None], ...] = ()  # run in order by close()
    _closed: list = field(default_factory=list, repr=False)
    _started: list = field(default_factory=list, repr=False)

    def start(self) -> None:
        """Begin the background work that is not needed to show the home screen (sync): the
        app calls this once the home screen is painted."""
        if self._started:
            return
        self._started.append(True)
        for fn in self.starters:
            fn()

    def close(self) -> None:
        """Stop threads and release devices and files, in the order the root gave (once)."""
        if self._closed:
            return
        self._closed.append(True)
        for fn in self.closers:
            try:
                fn()
            except Exception:
                log.exception("shutdown step failed")
