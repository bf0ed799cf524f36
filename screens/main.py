"""The Qt application as the kiosk needs it (environment, fonts) and the way out of the process.
Building the window and everything behind it is the composition root's job (`wiring.ui`)."""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger("kiosk.ui")


def prepare_environment() -> None:
    """Environment Qt reads once, before the QApplication exists."""
    if not (os.environ.get("QT_QPA_PLATFORM") or os.environ.get("DISPLAY")
            or os.environ.get("WAYLAND_DISPLAY")):
        # Qt would abort without a display; a technician's smoke test should still run.
        print("kiosk: no display found, running offscreen (QT_QPA_PLATFORM=offscreen)",
              file=sys.stderr)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # The kiosk's own keyboards type everything, Chinese included (screens/widgets/keyboard.py:
    # pinyin candidates from the catalog). No Qt Virtual Keyboard (it loaded Qt Quick and QML,
    # ~13 MiB, docs/decisions/0035), and no desktop input method (ibus, fcitx) that a session
    # environment might name: only compose, Qt's own handling of dead keys.
    os.environ["QT_IM_MODULE"] = "compose"


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
