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
    notifier: Any = None  # kiosk.supervision.Notifier once supervised
    lockdown: Any = None  # screens.lockdown.Lockdown (display.lockdown)

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
        if self.notifier is not None:
            self.notifier.stopping()
        if self.lockdown is not None:
            self.lockdown.release()
            self.lockdown = None
        self.core.close()
        self.services.close()
        if self.notifier is not None:
            self.notifier.close()


def quit_on_signals(app) -> None:
    """SIGTERM (systemd stopping the kiosk) and SIGINT end the event loop, so the kiosk closes
    in order (the store, the spooler's journal, the outbox) instead of dying mid-write. Python
    handlers only run when Python does: the signal wakes the loop through a socket pair."""
    import signal
    import socket

    from screens.qt import QSocketNotifier

    read_end, write_end = socket.socketpair()
    read_end.setblocking(False)
    write_end.setblocking(False)
    signal.set_wakeup_fd(write_end.fileno())
    notifier = QSocketNotifier(read_end.fileno(), QSocketNotifier.Type.Read, app)

    def woke() -> None:
        try:
            read_end.recv(64)
        except OSError:
            pass

    notifier.activated.connect(woke)

    def stop(signum, _frame) -> None:
        log.info("signal %s: closing", signal.Signals(signum).name)
        app.exit(0)  # not quit(): Qt 6 asks the windows first, and the locked-down window refuses

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)
    app._signal_sockets = (read_end, write_end, notifier)  # kept alive with the app


EXIT_CRASH = 70  # EX_SOFTWARE: systemd restarts the kiosk
CRASH_SCREEN_S = 3.0  # the out-of-service screen shows this long before the process exits


def handle_crashes(kiosk: Kiosk, *, exit=None, screen_s: float = CRASH_SCREEN_S):
    """Uncaught exceptions (slots, worker threads) and hard crashes (faulthandler), as
    kiosk.crash describes: recorded without personal data; the citizen sees the
    neutral out-of-service screen, never a traceback; then the process exits `EXIT_CRASH` and
    systemd restarts it. A crash loop (three in ten minutes, this one counted) stays on the
    out-of-service screen. Returns the recorder (its `restore` undoes the hooks)."""
    from kiosk.crash import CrashRecorder, install
    from screens.qt import QApplication, QTimer

    app = QApplication.instance()
    exit = exit or (lambda code: app.exit(code))
    core = kiosk.core
    recorder = CrashRecorder(kiosk.services.data_dir / "crashes")
    if recorder.collect_fatal() is not None:
        log.error("the last run ended in a hard crash (recorded)")
    unreported = recorder.unreported()
    if unreported and kiosk.services.events is not None:
        # the backend hears of each crash (type and place only) through the outbox
        from kiosk.crash import summary

        for entry in unreported:
            kiosk.services.events.add("telemetry", {"crash": summary(entry)})
        recorder.mark_reported(unreported)
    try:
        recorder.enable_faulthandler()
    except OSError as exc:
        log.warning("no fatal-crash log: %s", exc)
    if recorder.in_loop():
        log.critical("crash loop: %d crashes in ten minutes; staying out of service",
                     len(recorder.recent()))
        core.fail("crash_loop", "repeated crashes")

    pushed = kiosk.services.extras.get("pushed_config")

    def out_of_service() -> None:
        rolled_back = False
        if pushed is not None:
            # a crash soon after a pushed profile came in: that profile is rolled back and
            # the kiosk restarts on the previous settings, never a crash loop (decision 0036)
            try:
                rolled_back = pushed.crashed()
            except Exception:
                log.exception("could not roll the pushed settings back")
        try:
            core.fail("crash_loop" if recorder.in_loop() and not rolled_back else "crash",
                      "unexpected error")
        except Exception:
            log.exception("could not show the out-of-service screen")
        if recorder.in_loop() and not rolled_back:
            log.critical("crash loop: staying on the out-of-service screen")
            return
        QTimer.singleShot(int(screen_s * 1000), lambda: exit(EXIT_CRASH))

    recorder.restore = install(recorder, lambda: kiosk.post(out_of_service))
    return recorder


def pushed_settings_up(kiosk: Kiosk) -> None:
    """The kiosk is up (window shown, devices probed, READY): a pushed profile it was started
    with for the first time is now applied (kiosk.config_update.PushedConfig.started), unless
    the terminal came up out of service with a failure of its own (a crash loop, an unusable
    store): then it did not come up with it, and the next start rolls it back."""
    pushed = kiosk.services.extras.get("pushed_config")
    failure = kiosk.core.out_of_service
    if pushed is None or (failure is not None and failure.reason in (
            "crash_loop", "crash", "store_unusable")):
        return
    if pushed.started() and kiosk.services.sync is not None:
        kiosk.services.sync.heartbeat_soon()


def supervise(kiosk: Kiosk, environ=None):
    """systemd's side (kiosk.supervision): READY=1 now (call it once the window is shown and
    the devices were probed), STATUS= with the terminal's state at each change, WATCHDOG=1 from
    the UI thread's event loop at half the watchdog interval (a blocked loop stops the pings)."""
    from kiosk.supervision import Notifier
    from screens.qt import QTimer

    notifier = kiosk.notifier = Notifier(environ)
    if not notifier.enabled:
        return notifier
    terminal = kiosk.core.terminal

    def status(*_args) -> str:
        return f"{terminal.state}{': ' + terminal.reason if terminal.reason else ''}"

    notifier.ready(status())
    terminal.subscribe(lambda *_args: notifier.status(status()))
    interval = notifier.ping_interval_s
    if interval:
        notifier.ping()
        timer = QTimer(kiosk.window)
        timer.setObjectName("watchdog")
        timer.timeout.connect(notifier.ping)
        timer.start(max(50, int(interval * 1000)))
    log.info("supervised by systemd%s", f" (watchdog every {interval:g} s)" if interval else "")
    return notifier


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

    def make_player():
        from screens.voice_player import QtPlayer

        return QtPlayer()

    services = build_services(config, post=post, printing=printing, sync=sync, start=False,
                              overrides=overrides, make_camera=make_camera,
                              make_player=make_player)
    core = KioskCore(services)
    core.start()
    window = KioskWindow(core, Translations.of(app), orientation)
    from screens.lockdown import lock_down

    return Kiosk(services, core, window, post, lockdown=lock_down(window, config))


def run(config: TerminalConfig, *, tour_dir: Path | None = None, quit_when_ready: bool = False,
        orientation: str | None = None, started_at: float | None = None,
        speech: bool = False) -> int:
    from kiosk import paths
    from kiosk.log import add_file_log
    from screens.main import make_application
    from screens.qt import QTimer

    app = make_application()
    quit_on_signals(app)
    add_file_log(paths.data_dir(config) / "logs")
    # Sync (and the demo's backend process) begins after the first paint: the smoke test's
    # "ready" measures the home screen whether or not a backend is configured.
    kiosk = build_kiosk(config, orientation=orientation)
    core, window = kiosk.core, kiosk.window
    recorder = handle_crashes(kiosk)
    window.show_kiosk()
    printers = kiosk.printers
    virtual = printers.virtual if printers is not None else None
    if tour_dir is None and not quit_when_ready:
        demo_panels(kiosk, virtual)

    if tour_dir is not None:
        from screens.tour import Tour

        document = printers.drivers.get("document") if printers is not None else None
        backend = kiosk.services.extras.get("demo_backend")
        phone = staff = console = fleet = None
        if backend is not None:
            from wiring.demo_backend import DemoConsole, DemoHallStaff, DemoPhone

            phone = DemoPhone(backend, kiosk.post).show
            staff = DemoHallStaff(backend).take  # help-taken: the demo hall's helper
            if DemoConsole.available():  # console-hall.png, console-remote-view.png
                demo_console = DemoConsole(backend, kiosk.post, window.core.config.terminal.id)
                console, fleet = demo_console.shoot, demo_console.shoot_fleet  # console-fleet.png
        tour = Tour(window, tour_dir, virtual_printer=virtual, sync=kiosk.services.sync,
                    a4_folder=getattr(document, "folder", None), phone=phone, staff=staff,
                    console=console, fleet=fleet, speech=speech)
        # the background work (sync: the demo backend) as after any first paint: without it
        # the tour's items never find the backend
        QTimer.singleShot(0, kiosk.start)
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
        # what the home screen does not need begins once it is painted; then systemd hears
        # that the terminal is ready (the devices probed as the services started)
        def begin() -> None:
            kiosk.start()
            supervise(kiosk)
            pushed_settings_up(kiosk)

        QTimer.singleShot(0, begin)
    code = app.exec()
    kiosk.close()
    recorder.restore()
    recorder.close()
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
