"""The composition root: the one place that builds every service from the terminal's config and
hands them to the core as one frozen `Services` object. The CLI, the demo, the tests and the
benchmarks all build the kiosk here, so the tests exercise the production wiring.

It is the only package that imports everything (kiosk, printing, the demo backend's starter and,
in `wiring.ui`, the screens); `kiosk/` and `screens/` never import it.

    services = build_services(config)            # Qt-free: store, catalog, printers, sync ...
    core = KioskCore(services); core.start()
    ...
    services.close()

`wiring.ui.build_kiosk` does the same with the window and the Qt bridge; `wiring.ui.run` is
`kiosk run` / `kiosk demo`.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk import paths
from kiosk.bus import Bus, Post, Topic, inline
from kiosk.clock import OffsetClock
from kiosk.config import CameraKind, IdCardReaderKind, SyncAdapter, TerminalConfig
from kiosk.flows.items import ITEMS, ItemRegistry, ItemSettings, ItemSpec
from kiosk.services import OutOfService, Services
from kiosk.terminal import StateBoard

log = logging.getLogger("kiosk.app")


@dataclass(frozen=True)
class Overrides:
    """Test-only substitutes for what cannot exist on a test machine or must fail on cue: a
    records port that answers garbage, printer drivers already running, a card reader with a
    fast clock. Everything else is built from the config exactly as on a terminal."""

    records: Any = None  # a kiosk.flows.ports.RecordsPort instead of the sync service's
    id_reader: Any = None
    camera: Any = None  # a kiosk.devices.face.Camera (a simulated one on a fast clock)
    face_verifier: Any = None
    printer_drivers: dict | None = None  # {"receipt": driver, "document": driver}
    clock: OffsetClock | None = None
    extra_items: tuple[ItemSpec, ...] = ()  # items added to the registry (tests of the registry)
    help_adapter: Any = None  # the call for help's backend (a BackendAdapter) instead of sync's
    voice_engine: Any = None  # a kiosk.voice.engine.SpeechEngine instead of the config's
    voice_player: Any = None  # a kiosk.voice.Player (a recording one) instead of Qt's


@dataclass
class _Parts:
    starters: list = field(default_factory=list)
    closers: list = field(default_factory=list)
    extras: dict = field(default_factory=dict)


def item_registry(config: TerminalConfig, extra: tuple[ItemSpec, ...] = ()) -> ItemRegistry:
    settings = ItemSettings(tuple((str(c), str(n)) for c, n in
                                  config.services.queue_business_types.items()))
    return ItemRegistry((*ITEMS, *extra), settings)


def build_services(config: TerminalConfig, *, post: Post = inline, printing: bool = True,
                   sync: bool = True, start: bool = True,
                   overrides: Overrides | None = None, make_camera: Any = None,
                   make_player: Any = None) -> Services:
    """Every service the config describes. `post` hands work to the core's thread (the Qt
    bridge in the app); `printing=False` / `sync=False` leave those parts out (CLI commands
    that only read the catalog). Background work that the home screen does not need (sync)
    begins with `Services.start()`: at once with `start=True`, else when the app says (after
    the first paint). `make_camera()`: the Qt camera (wiring.ui supplies it; this half imports
    no Qt)."""
    ov = overrides or Overrides()
    data_dir = paths.data_dir(config)
    bus = Bus(post)
    items = item_registry(config, ov.extra_items)
    clock = ov.clock or OffsetClock()
    base = dict(config=config, data_dir=data_dir, bus=bus, items=items, clock=clock)

    store, failure = _open_store(config, data_dir)
    if store is None:
        return Services(**base, failure=failure)
    parts = _Parts()
    parts.closers.append(store.close)
    from kiosk.config_update import PushedConfig

    # pushed profiles' life: accepted, applied once up, rolled back (decision 0036)
    parts.extras["pushed_config"] = PushedConfig(data_dir)

    from kiosk.catalog.repository import CatalogFilter, CatalogRepository
    from kiosk.flows.problem_report import FileCounter, Place, ProblemReporter
    from kiosk.sync.outbox import Outbox, OutboxWriter

    outbox = Outbox(store)
    events = OutboxWriter(outbox)
    parts.closers.insert(0, events.close)
    desk = Place("", config.terminal.staffed_window)
    problems = ProblemReporter(events, FileCounter(data_dir / "problem-tickets.json"),
                               config.terminal.id, help_desk=desk, problem_window=desk)
    svc = config.services
    catalog = CatalogRepository(store, CatalogFilter(frozenset(svc.departments),
                                                     frozenset(svc.exclude_items)))
    printer = _printing(config, data_dir, store, bus, ov, parts, items) if printing else None
    id_reader = ov.id_reader if ov.id_reader is not None else _id_reader(config, parts)
    camera = ov.camera if ov.camera is not None else _camera(config, make_camera)
    face_verifier = ov.face_verifier if ov.face_verifier is not None else \
        _face_verifier(config)
    sync_service, records = (None, None)
    board = StateBoard()
    if sync:
        sync_service, records = _sync(config, data_dir, store, outbox, bus, printer, parts,
                                      board, id_reader)
    if ov.records is not None:
        records = ov.records
    help_desk = _help_desk(config, bus, sync_service, ov, parts)
    voice = _voice(config, data_dir, post, ov, make_player, parts)
    services = Services(**base, failure=failure, store=store, outbox=outbox, events=events,
                        catalog=catalog, problems=problems, printer=printer,
                        id_reader=id_reader, camera=camera, face_verifier=face_verifier,
                        sync=sync_service, records=records, extras=parts.extras,
                        terminal_state=board, help=help_desk, voice=voice,
                        starters=tuple(parts.starters), closers=tuple(parts.closers))
    if start:
        services.start()
    return services


def _open_store(config: TerminalConfig, data_dir: Path):
    """The store, migrated, with the catalog imported if the shipped file changed; or None and
    why the terminal cannot serve (never raises for a broken store or catalog file)."""
    from kiosk.catalog.importer import CatalogFileError, import_catalog, stored_version
    from kiosk.datadir import secure_data_dir
    from kiosk.store.db import DB_FILENAME, StoreError
    from kiosk.store.recovery import open_or_recover
    from kiosk.sync.state import SyncStateStore

    # Private to the kiosk's user, including what an older kiosk left readable.
    secure_data_dir(data_dir)
    try:
        # a damaged store is moved aside and a fresh one made (undelivered events salvaged)
        store, recovery = open_or_recover(data_dir / DB_FILENAME)
    except StoreError as exc:
        log.error("store unusable (%s): %s", exc.reason, exc.detail)
        return None, OutOfService(f"store_{exc.reason}", exc.detail)
    if recovery is not None:
        from kiosk.sync.outbox import Outbox

        Outbox(store).add("telemetry", {"store_recovered": {
            "salvaged": recovery.salvaged, "unreadable": sorted(recovery.unreadable)}})
    try:
        if SyncStateStore(store).synced_at() is not None:
            # Once the backend has served the catalog it is the source of truth: the shipped
            # file must not overwrite newer synced data.
            log.info("catalog kept from the last sync")
        else:
            try:
                import_catalog(store, paths.catalog_file(config))
            except CatalogFileError as exc:
                if stored_version(store) is None:
                    raise
                log.error("catalog file unusable, serving the catalog already stored: %s", exc)
    except CatalogFileError as exc:
        log.error("catalog unusable: %s", exc)
        return store, OutOfService("catalog", str(exc))
    except StoreError as exc:
        log.error("store unusable (%s): %s", exc.reason, exc.detail)
        store.close()
        return None, OutOfService(f"store_{exc.reason}", exc.detail)
    return store, None


def _printing(config: TerminalConfig, data_dir: Path, store, bus: Bus, ov: Overrides,
              parts: _Parts, items: ItemRegistry):
    """Printers from the config, one spooler over the store's journal, the print service. Jobs
    cut short by the last run are marked for staff before anything new prints."""
    # python-escpos re-reads its printer database (~0.1 s) unless it may keep a pickle.
    from kiosk.datadir import private_dir

    cache = private_dir(data_dir / "cache")
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(cache))
    from kiosk.ports import PrintUpdate
    from printing.factory import Printers, make_printers, profile_for
    from printing.service import PrintService
    from printing.spooler import Spooler

    if ov.printer_drivers is not None:
        printers = Printers(dict(ov.printer_drivers))
    else:
        try:
            printers = make_printers(config)
        except OSError as exc:  # e.g. the virtual printer's port is taken
            log.error("printers unavailable: %s", exc)
            return None
    # python-escpos writes its pickle with the process's umask (0644 outside `kiosk run`)
    from kiosk.datadir import secure_data_dir

    secure_data_dir(cache)
    if not printers.drivers:
        return None
    parts.extras["printers"] = printers
    spooler = Spooler(store, printers.drivers, max_age_s=config.printing.max_job_age_s)
    spooler.subscribe(lambda view: bus.publish(
        Topic.PRINT_JOB, PrintUpdate(view.id, str(view.state), str(view.reason))))
    spooler.subscribe_status(lambda name, status: bus.publish(Topic.PRINTER_STATUS,
                                                              (name, status)))
    spooler.recover()
    spooler.start()
    parts.extras["spooler"] = spooler
    # documents, previews and receipts are made in a helper process (docs/decisions/0022),
    # started a few seconds after the first paint
    from printing.render_host import RenderHost

    renderer = RenderHost()
    parts.extras["renderer"] = renderer
    parts.starters.append(renderer.start)
    parts.closers[:0] = [spooler.stop, printers.close, renderer.close]
    return PrintService(spooler, profile_for(config.printing.receipt.paper_mm),
                        config.terminal.id, place=config.terminal.place, items=items,
                        renderer=renderer)


def _id_reader(config: TerminalConfig, parts: _Parts):
    """The ID-card reader the config names: a GA 467 reader on a serial line (SAM protocol),
    or the simulator (demo, tests)."""
    kind = config.devices.id_card_reader
    if kind == IdCardReaderKind.SIMULATED:
        from kiosk.devices.idcard import SimulatedIdCardReader

        return SimulatedIdCardReader()
    if kind == IdCardReaderKind.SAM:
        from kiosk.devices.sam_reader import make_sam_reader

        reader = make_sam_reader(config)
        reader.open(wait_s=2)  # its real status is known before the first citizen
        parts.closers.insert(0, reader.close)
        return reader
    return None


def _camera(config: TerminalConfig, make_camera):
    """The camera for the face check: the simulator, or the terminal's (Qt) camera."""
    kind = config.devices.camera
    if kind == CameraKind.SIMULATED:
        from kiosk.devices.face import SimulatedCamera

        return SimulatedCamera()
    if kind == CameraKind.QT:
        if make_camera is None:  # a Qt-free build (CLI): no face check here
            return None
        return make_camera()
    return None


def _face_verifier(config: TerminalConfig):
    """'simulated', or a vendor plugin's factory ('package.module:callable')."""
    name = config.devices.face_verifier
    if name == "none":
        return None
    if name == "simulated":
        from kiosk.devices.face import SimulatedFaceVerifier

        return SimulatedFaceVerifier()
    import importlib

    module, _, attr = name.partition(":")
    try:
        factory = getattr(importlib.import_module(module), attr)
        return factory(config)
    except Exception as exc:  # the terminal still serves: cards cannot verify, QR codes can
        log.error("face verifier %s unusable: %s: %s", name, type(exc).__name__, exc)
        return None


def _voice(config: TerminalConfig, data_dir: Path, post: Post, ov: Overrides, make_player,
           parts: _Parts):
    """The speech port (docs/decisions/0031): the configured engine, the Qt player from
    `make_player()` (wiring.ui; None here: silent), the prompt cache in <data_dir>/cache."""
    from kiosk.datadir import private_dir
    from kiosk.voice import NullPlayer, Voice

    vc = config.voice
    engine, problem = ov.voice_engine, ""
    if engine is None and vc.engine == "espeak-ng":
        from kiosk.voice.engine import EspeakEngine

        engine = EspeakEngine()
    elif engine is None and vc.engine != "none":
        import importlib

        module, _, attr = vc.engine.partition(":")
        try:
            engine = getattr(importlib.import_module(module), attr)(config)
        except Exception as exc:  # the terminal still serves, silently
            problem = f"engine {vc.engine} unusable: {type(exc).__name__}"
            log.error("speech engine %s unusable: %s: %s", vc.engine, type(exc).__name__, exc)
    elif engine is None:
        problem = "voice.engine = none"
    player = ov.voice_player
    if player is None:
        player = make_player() if make_player is not None else NullPlayer("no audio (Qt-free)")
    voice = Voice(engine, player, post=post, cache_dir=private_dir(data_dir / "cache") / "speech",
                  enabled=vc.enabled, volume_step=vc.volume - 1, rate=vc.rate,
                  engine_problem=problem)
    parts.closers.insert(0, voice.close)
    if problem:
        log.warning("voice guidance silent: %s", problem)
    return voice


def demo_backend_folder(config: TerminalConfig) -> Path:
    """The demo backend's own data folder: beside the kiosk's, never inside it."""
    if config.sync.embedded_dir:
        return Path(config.sync.embedded_dir).expanduser()
    data_dir = paths.data_dir(config)
    return data_dir.parent / f"{data_dir.name}-demo-backend"


def _sync(config: TerminalConfig, data_dir: Path, store, outbox, bus: Bus, printer,
          parts: _Parts, board: StateBoard | None = None, id_reader=None):
    """The sync service and the citizens' records port over it."""
    if config.sync.adapter == SyncAdapter.OFF:
        return None, None
    from kiosk.flows.ports import BackendRecords
    from kiosk.sync.service import SyncService, http_adapter
    from kiosk.sync.state import SyncStateStore

    state = SyncStateStore(store)
    if config.sync.adapter == SyncAdapter.EMBEDDED:
        from wiring.demo_backend import DemoBackend

        backend = DemoBackend(demo_backend_folder(config))
        parts.extras["demo_backend"] = backend

        def make_adapter():
            from kiosk.sync.adapter import HttpAdapter

            backend.start()  # its own process; seeds itself on the first start
            timeouts = dict(timeout=config.sync.timeout_s,
                            connect_timeout=config.sync.connect_timeout_s)
            if state.credential() and state.terminal_id() == config.terminal.id:
                return HttpAdapter(backend.url, state.credential(), **timeouts)
            adapter = backend.enrolled(config.terminal.id, **timeouts)
            state.save_credential(config.terminal.id, adapter.credential)
            return adapter
    else:
        def make_adapter():
            return http_adapter(config, state.credential())

    def devices() -> dict:
        """Read on the sync worker's thread (the statuses are cached by their owners)."""
        out = {}
        status = printer.receipt_status() if printer is not None else None
        if status is not None:
            out["receipt_printer"] = status
        # the hall console shows every part's fault (the hall-staff issue)
        status = printer.document_status() if printer is not None else None
        if status is not None:
            out["document_printer"] = status
        if id_reader is not None:
            out["id_card_reader"] = id_reader.status()
        return out

    paper = None
    if printer is not None and config.printing.receipt.driver != "none":
        from kiosk.maintenance import paper_report  # the fleet view's paper level and forecast

        paper = paper_report(store, printer.receipt_status, config.printing.receipt.roll_receipts)
    document_paper = None
    if printer is not None and printer.document_status() is not None:
        from kiosk.maintenance import paper_report  # the A4 printer's too (decision 0036)

        document_paper = paper_report(store, printer.document_status,
                                      config.printing.document.tray_sheets, printer="document")
    from kiosk.crash import LastCrash

    pushed = parts.extras["pushed_config"]
    service = SyncService(config, store, outbox, bus, make_adapter=make_adapter,
                          device_statuses=devices, paper_report=paper,
                          document_paper_report=document_paper, pushed_config=pushed,
                          last_crash=LastCrash(data_dir / "crashes"),
                          terminal_state=board.get if board is not None else None)
    if board is not None:  # the state changed: the backend hears it at once
        board.on_change(service.heartbeat_soon)
    parts.starters.append(service.start)
    parts.closers.insert(0, service.stop)
    if "demo_backend" in parts.extras:
        parts.closers.insert(1, parts.extras["demo_backend"].stop)
    # personal calls are signed with the terminal's credential for its id (docs/decisions/0018)
    return service, BackendRecords(service.records(), terminal_id=config.terminal.id)


def _help_desk(config: TerminalConfig, bus: Bus, sync_service, ov: Overrides, parts: _Parts):
    """The call for help (呼叫帮办) over the sync service's adapter (the hall-staff issue,
    docs/decisions/0021). Without a backend it still answers: go to the staffed window."""
    from kiosk.help import HelpDesk
    from kiosk.sync.service import LiveAdapter

    adapter = ov.help_adapter
    if adapter is None and sync_service is not None:
        adapter = LiveAdapter(sync_service)
    desk = HelpDesk(adapter, bus, staffed_window=config.terminal.staffed_window)
    parts.closers.insert(0, desk.close)
    return desk
