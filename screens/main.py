"""Starting the Qt side: application, fonts, translations, window; the tour and the smoke test."""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.app import KioskCore
from kiosk.config import TerminalConfig

log = logging.getLogger("kiosk.ui")
_T0 = time.perf_counter()


def prepare_environment() -> None:
    """Environment Qt reads once, before the QApplication exists."""
    if not (os.environ.get("QT_QPA_PLATFORM") or os.environ.get("DISPLAY")
            or os.environ.get("WAYLAND_DISPLAY")):
        # Qt would abort without a display; a technician's smoke test should still run.
        print("kiosk: no display found, running offscreen (QT_QPA_PLATFORM=offscreen)",
              file=sys.stderr)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        os.environ.setdefault("QT_QUICK_BACKEND", "software")


def make_application(argv: list[str] | None = None):
    prepare_environment()
    from screens.qt import QApplication

    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    configure_application(app)
    return app


def configure_application(app) -> None:
    from screens.qt import QFont
    from screens.theme import FONT_FAMILY

    app.setApplicationName("gov-kiosk")
    # Named explicitly: left to fallback, Qt may pick the Japanese glyph shapes.
    font = QFont(FONT_FAMILY)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    app.setFont(font)


def build_window(core: KioskCore, orientation: str | None = None):
    from screens.i18n import Translations
    from screens.qt import QApplication
    from screens.window import KioskWindow

    translations = Translations.of(QApplication.instance())
    return KioskWindow(core, translations, orientation)


def run_kiosk(config: TerminalConfig, *, tour_dir: Path | None = None,
              quit_when_ready: bool = False, orientation: str | None = None) -> int:
    app = make_application()
    from kiosk.log import add_file_log
    from screens.qt import QTimer

    core = KioskCore(config)
    core.start()
    add_file_log(core.data_dir / "logs")
    printing = attach_printing(core, config)
    core.id_reader = make_id_reader(config)
    window = build_window(core, orientation)
    # The smoke test measures the screens, not the backend: it starts no sync.
    sync = None if quit_when_ready else attach_sync(core, config, window)
    window.show_kiosk()
    panel = None
    if printing is not None and printing.printers.virtual is not None and tour_dir is None \
            and not quit_when_ready:
        from screens.widgets.receipt_panel import ReceiptPanel

        panel = ReceiptPanel(printing.printers.virtual)
        window.print_done.connect(panel.refresh)
        panel.show()
    if tour_dir is None and not quit_when_ready:
        attach_simulator(window, core, printing)

    if tour_dir is not None:
        from screens.tour import Tour

        document = printing.printers.drivers.get("document") if printing else None
        tour = Tour(window, tour_dir, virtual_printer=printing.printers.virtual if printing else None,
                    sync=sync, a4_folder=getattr(document, "folder", None))
        QTimer.singleShot(0, tour.run)
        code = app.exec()
        _shutdown(core, printing, sync)
        return code

    if quit_when_ready:
        def ready() -> None:
            if core.out_of_service:
                print(f"kiosk: out of service ({core.out_of_service.reason})", file=sys.stderr)
                app.exit(1)
                return
            core.begin_session()
            window.repaint()  # the home screen painted once: it is interactive now
            app.processEvents()
            elapsed = time.perf_counter() - _T0
            print(f"ready: home screen interactive after {elapsed * 1000:.0f} ms", flush=True)
            app.exit(0)

        QTimer.singleShot(0, ready)

    code = app.exec()
    _shutdown(core, printing, sync)
    return code


@dataclass
class Printing:
    printers: object
    spooler: object


def attach_printing(core: KioskCore, config: TerminalConfig) -> Printing | None:
    """Printers from the config, the spooler over the store's journal, the print service on the
    core. Jobs cut short by the last run are marked for staff before anything new prints."""
    if core.store is None:
        return None
    # python-escpos re-reads its printer database (~0.1 s) unless it may keep a pickle.
    from kiosk.datadir import private_dir

    cache = private_dir(core.data_dir / "cache")
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(cache))
    from printing.factory import make_printers, profile_for
    from printing.service import PrintService
    from printing.spooler import Spooler

    try:
        printers = make_printers(config)
    except OSError as exc:  # e.g. the virtual printer's port is taken
        log.error("printers unavailable: %s", exc)
        return None
    if not printers.drivers:
        return None
    spooler = Spooler(core.store, printers.drivers, max_age_s=config.printing.max_job_age_s)
    spooler.recover()
    spooler.start()
    core.attach_printer(PrintService(spooler, profile_for(config.printing.receipt.paper_mm),
                                     config.terminal.id, place=config.terminal.place))
    return Printing(printers, spooler)


def make_id_reader(config: TerminalConfig):
    """The ID-card reader the config names (a simulator for the demo and tests)."""
    from kiosk.config import IdCardReaderKind

    if config.devices.id_card_reader == IdCardReaderKind.SIMULATED:
        from kiosk.devices.idcard import SimulatedIdCardReader

        return SimulatedIdCardReader()
    return None


def attach_simulator(window, core: KioskCore, printing: Printing | None):
    """The demo's simulator panel (F12): a demo citizen's card, a QR scan, printer faults."""
    from kiosk.devices.idcard import SimulatedIdCardReader

    if not isinstance(core.id_reader, SimulatedIdCardReader):
        return None
    from screens.widgets.simulator import DemoSimulatorPanel
    from screens.widgets.wedge import type_as_scanner

    virtual = printing.printers.virtual if printing is not None else None
    panel = DemoSimulatorPanel(core.id_reader, type_as_scanner, virtual)
    window.simulator = panel
    return panel


def attach_sync(core: KioskCore, config: TerminalConfig, window):
    """The sync service on the core's store and outbox, its status in the status bar; a synced
    catalog swaps in a rebuilt search index."""
    if core.store is None or core.outbox is None:
        return None
    from kiosk.sync.service import SyncService

    def devices() -> dict:
        out = {}
        if core.printer is not None and core.printer.receipt_status() is not None:
            out["receipt_printer"] = core.printer.receipt_status()
        return out

    service = SyncService(config, core.store, core.outbox, core.data_dir,
                          device_statuses=devices, on_catalog_updated=core.rebuild_index)
    if not service.enabled:
        return None
    from kiosk.flows.ports import BackendRecords

    core.attach_records(BackendRecords(service.records()))
    window.attach_sync(service)
    service.start()
    return service


def exit_process(code: int) -> None:
    """Leave once everything is shut down in order (sync, spooler, printers, store, logs).

    Interpreter teardown is skipped: once real key events have reached a focused field (a QR
    scanner is a keyboard), Qt's virtual keyboard aborts the process while Python destroys the
    application ("QPixmap: Must construct a QGuiApplication before a QPixmap", PySide6 6.9 to
    6.12), which would turn the restart code 75 into a crash."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _shutdown(core: KioskCore, printing: Printing | None, sync=None) -> None:
    if sync is not None:
        sync.stop()
    if printing is not None:
        printing.spooler.stop()
        printing.printers.close()
    core.close()
