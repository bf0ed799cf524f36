"""The composition root's Qt half: the application, the one Qt bridge, the services, the core and
the window, built in that order, plus the demo's side panels. `run` is `kiosk run` and
`kiosk demo`; tests and benchmarks call `build_kiosk` and get exactly what a terminal runs.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.app import KioskCore
from kiosk.config import TerminalConfig
from kiosk.services import Services
from wiring import Overrides, build_services

log = logging.getLogger("kiosk.ui")
_T0 = time.perf_counter()


@dataclass(eq=False)
class Kiosk:
    """A running kiosk: its services, its core and its window (not shown yet)."""

    services: Services
    core: KioskCore
    window: Any  # screens.window.KioskWindow
    post: Any  # screens.bridge.QtPost

    @property
    def printers(self):
        return self.services.extras.get("printers")

    @property
    def spooler(self):
        return self.services.extras.get("spooler")

    def start(self) -> None:
        """After the first paint: sync, and the search index read aside."""
        self.services.start()
        self.core.build_index()

    def close(self) -> None:
        """Stop in order: the core (flow driver), then the services (sync, the demo backend,
        spooler, printers, the outbox writer, the store)."""
        self.core.close()
        self.services.close()


def build_kiosk(config: TerminalConfig, *, orientation: str | None = None,
                overrides: Overrides | None = None, printing: bool = True,
                sync: bool = True) -> Kiosk:
    """Everything a terminal runs, on the QApplication that already exists. Background work
    (sync) begins with `kiosk.start()`, once the window is shown."""
    from screens.bridge import QtPost
    from screens.i18n import Translations
    from screens.qt import QApplication
    from screens.window import KioskWindow

    app = QApplication.instance()
    post = QtPost(app)

    def make_camera():
        from screens.camera import QtCamera

        return QtCamera(config.devices.camera_device)

    services = build_services(config, post=post, printing=printing, sync=sync, start=False,
                              overrides=overrides, make_camera=make_camera)
    core = KioskCore(services)
    core.start()
    window = KioskWindow(core, Translations.of(app), orientation)
    return Kiosk(services, core, window, post)


def run(config: TerminalConfig, *, tour_dir: Path | None = None, quit_when_ready: bool = False,
        orientation: str | None = None, started_at: float | None = None) -> int:
    from kiosk import paths
    from kiosk.log import add_file_log
    from screens.main import make_application
    from screens.qt import QTimer

    app = make_application()
    add_file_log(paths.data_dir(config) / "logs")
    # Sync (and the demo's backend process) begins after the first paint: the smoke test's
    # "ready" measures the home screen whether or not a backend is configured.
    kiosk = build_kiosk(config, orientation=orientation)
    core, window = kiosk.core, kiosk.window
    window.show_kiosk()
    printers = kiosk.printers
    virtual = printers.virtual if printers is not None else None
    if tour_dir is None and not quit_when_ready:
        demo_panels(kiosk, virtual)

    if tour_dir is not None:
        from screens.tour import Tour

        document = printers.drivers.get("document") if printers is not None else None
        backend = kiosk.services.extras.get("demo_backend")
        phone = None
        if backend is not None:
            from wiring.demo_backend import DemoPhone

            phone = DemoPhone(backend, kiosk.post).show
        tour = Tour(window, tour_dir, virtual_printer=virtual, sync=kiosk.services.sync,
                    a4_folder=getattr(document, "folder", None), phone=phone)
        QTimer.singleShot(0, tour.run)
    elif quit_when_ready:
        def ready() -> None:
            if core.out_of_service:
                print(f"kiosk: out of service ({core.out_of_service.reason})", file=sys.stderr)
                app.exit(1)
                return
            core.begin_session()
            window.repaint()  # the home screen painted once: it is interactive now
            app.processEvents()
            elapsed = time.perf_counter() - (started_at if started_at is not None else _T0)
            print(f"ready: home screen interactive after {elapsed * 1000:.0f} ms", flush=True)
            kiosk.start()  # as after any first paint (sync, the search index), then leave
            app.exit(0)

        QTimer.singleShot(0, ready)
    else:
        # what the home screen does not need begins once it is painted
        QTimer.singleShot(0, kiosk.start)
    code = app.exec()
    kiosk.close()
    return code


def demo_panels(kiosk: Kiosk, virtual) -> None:
    """The demo's side window with the virtual receipt printer's output, and the device
    simulator panel (F12) when the card reader is the simulator."""
    from kiosk.devices.idcard import SimulatedIdCardReader

    window = kiosk.window
    if virtual is not None:
        from screens.widgets.receipt_panel import ReceiptPanel

        panel = ReceiptPanel(virtual)
        window.print_done.connect(panel.refresh)
        panel.show()
        window.receipt_panel = panel
    if isinstance(kiosk.core.id_reader, SimulatedIdCardReader):
        from kiosk.devices.face import SimulatedCamera
        from screens.widgets.simulator import DemoSimulatorPanel
        from screens.widgets.wedge import type_as_scanner

        camera = kiosk.services.camera
        backend = kiosk.services.extras.get("demo_backend")
        phone = None
        if backend is not None:  # the citizen's phone: e-credentials from the demo backend
            from wiring.demo_backend import DemoPhone

            phone = DemoPhone(backend, kiosk.post).show
        window.simulator = DemoSimulatorPanel(
            kiosk.core.id_reader, type_as_scanner, virtual,
            camera=camera if isinstance(camera, SimulatedCamera) else None, phone=phone)
