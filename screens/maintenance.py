"""The technician's maintenance panel (issue 13, part 1) over `KioskCore.maintenance`
(kiosk.maintenance, kiosk.maintenance_checks): configuration, enrolment, diagnostics, counters,
log export. Thin: every decision and every audit entry is in kiosk/; slow work (a card read,
the backend, enrolment, the export) runs on a short-lived thread and comes back through
`_done` (a queued signal) to the UI thread. The technician logs in through the staff login
(screens.staff); the window opens this panel (docs/decisions/0029).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.language import QT_TRANSLATE_NOOP
from kiosk.maintenance import ConfigEditor, Control, show_value
from kiosk.maintenance_checks import Check, TouchCheck
from screens.qt import (
    QColor,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPainter,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)
from screens.widgets.chrome import button, label, touch_scroll_area

log = logging.getLogger("screens.maintenance")



CHECK_NAMES = {
    "receipt_printer": QT_TRANSLATE_NOOP("MaintenanceCheck", "Receipt printer"),
    "document_printer": QT_TRANSLATE_NOOP("MaintenanceCheck", "A4 printer"),
    "id_card_reader": QT_TRANSLATE_NOOP("MaintenanceCheck", "ID card reader"),
    "qr_scanner": QT_TRANSLATE_NOOP("MaintenanceCheck", "QR scanner"),
    "touch": QT_TRANSLATE_NOOP("MaintenanceCheck", "Touch screen"),
    "screen": QT_TRANSLATE_NOOP("MaintenanceCheck", "Screen"),
    "speaker": QT_TRANSLATE_NOOP("MaintenanceCheck", "Speaker"),
    "network": QT_TRANSLATE_NOOP("MaintenanceCheck", "Backend"),
    "tls": QT_TRANSLATE_NOOP("MaintenanceCheck", "TLS certificate"),
    "clock": QT_TRANSLATE_NOOP("MaintenanceCheck", "Clock"),
    "sync": QT_TRANSLATE_NOOP("MaintenanceCheck", "Sync"),
    "disk": QT_TRANSLATE_NOOP("MaintenanceCheck", "Disk"),
    "memory": QT_TRANSLATE_NOOP("MaintenanceCheck", "Memory"),
    "guide_videos": QT_TRANSLATE_NOOP("MaintenanceCheck", "Guide videos"),
}
LEVELS = {
    "ok": QT_TRANSLATE_NOOP("MaintenanceCheck", "OK"),
    "warning": QT_TRANSLATE_NOOP("MaintenanceCheck", "Warning"),
    "error": QT_TRANSLATE_NOOP("MaintenanceCheck", "Fault"),
    "offline": QT_TRANSLATE_NOOP("MaintenanceCheck", "Offline"),
    "absent": QT_TRANSLATE_NOOP("MaintenanceCheck", "Not fitted"),
}
CODES = {
    "": "",
    "not_configured": QT_TRANSLATE_NOOP("MaintenanceCheck", "not configured on this terminal"),
    "paper_near_end": QT_TRANSLATE_NOOP("MaintenanceCheck", "paper nearly out"),
    "paper_out": QT_TRANSLATE_NOOP("MaintenanceCheck", "out of paper"),
    "cover_open": QT_TRANSLATE_NOOP("MaintenanceCheck", "cover open"),
    "offline": QT_TRANSLATE_NOOP("MaintenanceCheck", "not reachable"),
    "connection_lost": QT_TRANSLATE_NOOP("MaintenanceCheck", "connection lost"),
    "timeout": QT_TRANSLATE_NOOP("MaintenanceCheck", "did not answer in time"),
    "device_error": QT_TRANSLATE_NOOP("MaintenanceCheck", "device error"),
    "queued": QT_TRANSLATE_NOOP("MaintenanceCheck", "test page sent"),
    "read": QT_TRANSLATE_NOOP("MaintenanceCheck", "card read: {masked}"),
    "partial": QT_TRANSLATE_NOOP("MaintenanceCheck", "the card was read incompletely"),
    "unreadable": QT_TRANSLATE_NOOP("MaintenanceCheck", "the card could not be read"),
    "removed": QT_TRANSLATE_NOOP("MaintenanceCheck", "the card was removed during the read"),
    "no_card": QT_TRANSLATE_NOOP("MaintenanceCheck", "no card was placed"),
    "scanned": QT_TRANSLATE_NOOP("MaintenanceCheck", "code scanned ({kind}, {length} characters)"),
    "empty": QT_TRANSLATE_NOOP("MaintenanceCheck", "an empty code was scanned"),
    "calibrated": QT_TRANSLATE_NOOP("MaintenanceCheck", "every tap on target (worst {worst_px} px)"),
    "off_target": QT_TRANSLATE_NOOP("MaintenanceCheck", "taps off target by up to {worst_px} px: "
                                    "calibrate the touch screen"),
    "incomplete": QT_TRANSLATE_NOOP("MaintenanceCheck", "not finished"),
    "seen": QT_TRANSLATE_NOOP("MaintenanceCheck", "confirmed by the technician"),
    "not_seen": QT_TRANSLATE_NOOP("MaintenanceCheck", "reported faulty by the technician"),
    "reachable": QT_TRANSLATE_NOOP("MaintenanceCheck", "reachable ({round_trip_ms} ms)"),
    "unreachable": QT_TRANSLATE_NOOP("MaintenanceCheck", "unreachable ({reason})"),
    "offset": QT_TRANSLATE_NOOP("MaintenanceCheck", "{offset_s} s off the backend's clock"),
    "no_tls": QT_TRANSLATE_NOOP("MaintenanceCheck", "the backend is not reached over HTTPS"),
    "untrusted": QT_TRANSLATE_NOOP("MaintenanceCheck", "certificate not trusted ({reason})"),
    "valid": QT_TRANSLATE_NOOP("MaintenanceCheck", "valid, {days_left} days left"),
    "no_expiry": QT_TRANSLATE_NOOP("MaintenanceCheck", "no expiry date"),
    "local": QT_TRANSLATE_NOOP("MaintenanceCheck", "catalog {catalog_cursor}, {pending} events "
                               "waiting, last push {last_push}"),

    "free": QT_TRANSLATE_NOOP("MaintenanceCheck", "{free_mb} MB free of {total_mb} MB"),
    "available": QT_TRANSLATE_NOOP("MaintenanceCheck", "{available_mb} MB available, the kiosk "
                                   "uses {rss_mb} MB"),
    "unknown": QT_TRANSLATE_NOOP("MaintenanceCheck", "unknown"),
    "sync_off": QT_TRANSLATE_NOOP("MaintenanceCheck", "this terminal does not sync"),
    "videos_ok": QT_TRANSLATE_NOOP("MaintenanceCheck", "{total} configured, none failed"),
    "videos_failed": QT_TRANSLATE_NOOP("MaintenanceCheck", "{failed} of {total} cannot be "
                                       "played, the slides are shown instead: {items}"),
}


def check_text(check: Check) -> str:
    name = translate("MaintenanceCheck", CHECK_NAMES.get(check.name, check.name))
    level = translate("MaintenanceCheck", LEVELS.get(check.level, check.level))
    source = CODES.get(check.code)
    if source is None:  # a state of the sync link, a reason code without words
        source = CODES["local"] if check.name == "sync" else check.code
    detail = translate("MaintenanceCheck", source) if source else ""
    try:
        detail = detail.format(**check.params)
    except (KeyError, IndexError, ValueError):
        pass
    line = translate("MaintenanceCheck", "{name}: {level}").format(name=name, level=level)
    if detail:
        line = translate("MaintenanceCheck", "{line} — {detail}").format(line=line, detail=detail)
    return line


class ColourPage(QWidget):
    """The screen test: one colour over the whole panel; a tap shows the next."""

    done = Signal()

    def __init__(self, colours: tuple[str, ...]):
        super().__init__()
        self.setObjectName("maintenance_screen_test")
        self.colours = colours
        self.index = 0

    def start(self) -> None:
        self.index = 0
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(self.colours[min(self.index, len(self.colours) - 1)]))
        p.end()

    def mousePressEvent(self, event) -> None:
        self.index += 1
        if self.index >= len(self.colours):
            self.done.emit()
        else:
            self.update()


class TouchPage(QWidget):
    """The touch check: a target at each corner and the centre, tapped in turn."""

    done = Signal()

    def __init__(self):
        super().__init__()
        self.setObjectName("maintenance_touch_test")
        self.check: TouchCheck | None = None

    def start(self) -> None:
        self.check = TouchCheck(self.width(), self.height())
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#ffffff"))
        target = self.check.next_target if self.check is not None else None
        if target is not None:
            p.setPen(QColor("#c00000"))
            p.setBrush(QColor("#c00000"))
            x, y = target
            p.drawEllipse(x - 18, y - 18, 36, 36)
            p.drawLine(x - 40, y, x + 40, y)
            p.drawLine(x, y - 40, x, y + 40)
        p.end()

    def mousePressEvent(self, event) -> None:
        if self.check is None:
            return
        pos = event.position()
        self.check.tap(pos.x(), pos.y())
        if self.check.next_target is None:
            self.done.emit()
        else:
            self.update()


class MaintenancePanel(QWidget):
    """Over the whole window while a technician works. Pages: home, configuration, one option,
    the diff, diagnostics, counters, enrolment, log export; the touch and screen tests."""

    _done = Signal(object, object)  # (callback, value): a thread's result on the UI thread
    restart = Signal()              # the window restarts cleanly (exit 75)
    closed = Signal()

    PAGES = ("home", "config", "option", "diff", "diagnostics", "counters", "enrol", "export",
             "touch", "colours")

    def __init__(self, core, parent: QWidget, *, landscape: bool = False):
        super().__init__(parent)
        self.core = core
        self.desk = core.maintenance
        self.setObjectName("MaintenancePanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._done.connect(lambda fn, value: fn(value))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(*((80, 24, 80, 24) if landscape else (24, 40, 24, 40)))
        card = QFrame()
        card.setObjectName("StaffCard")
        self.card_col = QVBoxLayout(card)
        self.card_col.setContentsMargins(28, 20, 28, 20)
        self.title = label(role="title")
        self.subtitle = label(role="subtitle", wrap=True)
        self.subtitle.setObjectName("maintenance_subtitle")
        self.card_col.addWidget(self.title)
        self.card_col.addWidget(self.subtitle)
        self.body_holder = QWidget()
        self.body = QVBoxLayout(self.body_holder)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(10)
        holder = QWidget()
        hc = QVBoxLayout(holder)
        hc.setContentsMargins(0, 0, 0, 0)
        hc.addWidget(self.body_holder)
        hc.addStretch(1)
        self.scroll = touch_scroll_area(holder)
        self.card_col.addWidget(self.scroll, 1)
        self.message = label(role="subtitle", wrap=True)
        self.message.setObjectName("maintenance_message")
        self.message.setMinimumHeight(96)  # two or three lines of a validation message
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.card_col.addWidget(self.message)
        self.footer = QHBoxLayout()
        self.card_col.addLayout(self.footer)
        self.stack = QStackedWidget()
        self.stack.addWidget(card)
        self.touch_page = TouchPage()
        self.touch_page.done.connect(self._touch_done)
        self.colour_page = ColourPage(("#ff0000", "#00ff00", "#0000ff", "#ffffff", "#000000"))
        self.colour_page.done.connect(self._colours_done)
        self.stack.addWidget(self.touch_page)
        self.stack.addWidget(self.colour_page)
        outer.addWidget(self.stack)
        self.page = "home"
        self.editor: ConfigEditor | None = None
        self.option_key = ""
        self.typed = ""
        self.results: dict[str, Check] = {}
        self.buttons: dict[str, Any] = {}
        self.saved = False
        self.wedge = None
        self.hide()

    # -- showing -----------------------------------------------------------------------------
    def open(self) -> None:
        self.results = {}
        self.saved = False
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.show_home()

    def close_panel(self, back_in_service: bool = True) -> None:
        self._stop_scan()
        self.desk.leave(back_in_service=back_in_service)
        self.hide()
        staff = self.core.staff
        if staff is not None and staff.session is not None:
            staff.logout("logout")  # (nothing of the technician's session stays open)
        self.closed.emit()

    def _clear(self) -> None:
        self.stack.setCurrentIndex(0)
        for layout in (self.body, self.footer):
            _drop_layout(layout)
        self.buttons = {}
        self.message.setText("")

    def _button(self, name: str, text: str, fn: Callable[[], None], *, role: str = "list",
                where=None) -> Any:
        b = button(text, role=role, name=name)
        if where is None:  # a long value never widens the page past the screen
            b.setSizePolicy(QSizePolicy.Policy.Ignored, b.sizePolicy().verticalPolicy())
        b.clicked.connect(lambda _=False: self._touched(fn))
        b.ensurePolished()
        (where if where is not None else self.body).addWidget(b)
        b.show()  # now, not at the next turn of the event loop
        self.buttons[name] = b
        return b

    def _touched(self, fn: Callable[[], None]) -> None:
        if self.core.staff is not None:
            self.core.staff.touch()
        fn()

    def _label(self, text: str, role: str | None = None, name: str = "") -> Any:
        w = label(text, role=role, wrap=True)
        if name:
            w.setObjectName(name)
        w.ensurePolished()
        self.body.addWidget(w)
        w.show()
        return w

    def _back(self, fn: Callable[[], None] | None = None) -> None:
        self._button("maintenance_back", translate("Maintenance", "Back"), fn or self.show_home,
                     role="nav", where=self.footer)

    def _run(self, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """`work()` on a thread of its own; `then(result)` on the UI thread."""
        def go() -> None:
            try:
                value = work()
            except Exception as exc:  # a bug: logged, shown as a fault
                log.exception("maintenance work failed")
                value = exc
            self._done.emit(then, value)

        threading.Thread(target=go, name="maintenance", daemon=True).start()

    # -- home --------------------------------------------------------------------------------
    def show_home(self) -> None:
        self._clear()
        self.page = "home"
        self.title.setText(translate("Maintenance", "Maintenance"))
        staff = self.core.staff.session if self.core.staff is not None else None
        self.subtitle.setText(translate(
            "Maintenance", "Terminal {terminal} is out of service while you work. Technician "
            "{number}.").format(terminal=self.core.config.terminal.id,
                                number=staff.staff_no if staff else ""))
        self._button("maintenance_config", translate("Maintenance", "Configuration"),
                     self.show_config)
        self._button("maintenance_diagnostics", translate("Maintenance", "Diagnostics"),
                     self.show_diagnostics)
        self._button("maintenance_counters", translate("Maintenance", "Counters and paper"),
                     self.show_counters)
        self._button("maintenance_enrol", translate("Maintenance", "Enrolment"), self.show_enrol)
        self._button("maintenance_export", translate("Maintenance", "Export logs to USB stick"),
                     self.show_export)
        if self.saved:
            self._button("maintenance_restart", translate("Maintenance", "Restart to apply"),
                         self.do_restart, role="primary")
        self._button("maintenance_leave", translate("Maintenance", "Back in service"),
                     self.close_panel, role="nav", where=self.footer)
        self._button("maintenance_stay", translate("Maintenance", "Log out, stay out of service"),
                     lambda: self._logout_staying(), role="nav", where=self.footer)

    def _logout_staying(self) -> None:
        self.close_panel(back_in_service=False)

    def do_restart(self) -> None:
        self.desk.record("restart")
        self.restart.emit()

    # -- configuration -----------------------------------------------------------------------
    def show_config(self) -> None:
        from kiosk.config import ConfigError

        self._clear()
        self.page = "config"
        self.title.setText(translate("Maintenance", "Configuration"))
        if self.editor is None:
            try:
                self.editor = ConfigEditor(self.core.config)
            except (ConfigError, OSError) as exc:
                self.subtitle.setText(translate(
                    "Maintenance", "The configuration cannot be edited here: {reason}").format(
                    reason="; ".join(getattr(exc, "problems", [str(exc)]))))
                self._back()
                return
        self.subtitle.setText(translate(
            "Maintenance", "{path}: tap an option to change it. Options set centrally cannot be "
            "changed here.").format(path=str(self.editor.path)))
        section = ""
        for option in self.editor.options():
            if option.section != section:
                section = option.section
                self._label(section, role="section")
            changed = option.key in self.editor.pending
            value = show_value(option.value)
            if len(value) > 40:
                value = value[:39] + "…"
            text = f"{'✎ ' if changed else ''}{option.key} = {value}"
            if option.locked:
                text += "  " + translate("Maintenance", "(set centrally)")
            b = self._button(f"maintenance_option_{option.key}", text,
                             lambda k=option.key: self.show_option(k))
            b.setEnabled(not option.locked)
        self._back()
        if self.editor.pending:
            n = len(self.editor.pending)
            self._button("maintenance_review", translate("Maintenance", "Review %n change(s)", "", n),
                         self.show_diff, role="primary", where=self.footer)
        if self.editor.can_roll_back():
            self._button("maintenance_rollback", translate("Maintenance", "Roll back to the "
                                                           "previous file"),
                         self.do_rollback, role="nav", where=self.footer)

    def show_option(self, key: str) -> None:
        self._clear()
        self.page = "option"
        option = self.editor.option(key)
        self.option_key = key
        self.typed = show_value(option.value).strip('"') if option.control in (
            Control.TEXT, Control.NUMBER, Control.TOML) else ""
        if option.control is Control.TOML:
            self.typed = show_value(option.value)
        self.title.setText(key)
        self.subtitle.setText(option.description)
        self._label(translate("Maintenance", "Default: {default}").format(
            default=show_value(option.default)), name="maintenance_default")
        if option.control is Control.SWITCH:
            for value, text in ((True, translate("Maintenance", "On")),
                                (False, translate("Maintenance", "Off"))):
                b = self._button(f"maintenance_switch_{str(value).lower()}",
                                 ("● " if option.value == value else "○ ") + text,
                                 lambda v=value: self._stage(v))
        elif option.control is Control.CHOICE:
            for choice in option.choices:
                self._button(f"maintenance_choice_{choice}",
                             ("● " if str(option.value) == choice else "○ ") + choice,
                             lambda c=choice: self._stage(c))
        else:
            self.field = self._label("", role="title", name="maintenance_field")
            self._show_typed()
            keys = NUMBER_KEYS if option.control is Control.NUMBER else TEXT_KEYS
            self._add_keypad(keys)
            self._button("maintenance_apply", translate("Maintenance", "Check and keep"),
                         self._stage_typed, role="primary", where=self.footer)
        self._back(self.show_config)

    def _add_keypad(self, rows: tuple[str, ...]) -> None:
        grid = self._keypad(rows)
        self.body.addLayout(grid)
        for i in range(grid.count()):
            grid.itemAt(i).widget().show()  # (parented now: shown at once)

    def _keypad(self, rows: tuple[str, ...]) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(6)
        for r, row in enumerate(rows):
            for c, ch in enumerate(row):
                b = button(ch, role="key", name=f"maintenance_key_{ch}")
                b.clicked.connect(lambda _=False, k=ch: self._key(k))
                grid.addWidget(b, r, c)
        r = len(rows)
        for c, (name, text) in enumerate((("back", "⌫"), ("clear", "C"), ("space", "␣"))):
            b = button(text, role="key", name=f"maintenance_key_{name}")
            b.clicked.connect(lambda _=False, k=name: self._key(k))
            grid.addWidget(b, r, c)
        return grid

    def _key(self, key: str) -> None:
        if self.core.staff is not None:
            self.core.staff.touch()
        if key == "back":
            self.typed = self.typed[:-1]
        elif key == "clear":
            self.typed = ""
        elif key == "space":
            self.typed += " "
        elif len(self.typed) < 300:
            self.typed += key
        self._show_typed()

    def _show_typed(self) -> None:
        self.field.setText((self.typed or " ") + "▏")

    def _stage_typed(self) -> None:
        option = self.editor.option(self.option_key)
        try:
            value = self.editor.parse(option, self.typed)
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        self._stage(value)

    def _stage(self, value: Any) -> None:
        problems = self.editor.set(self.option_key, value)
        if problems:
            # kiosk config validate's very words (the file's folder left out: too long to read)
            self.message.setText("\n".join(p.replace(str(self.editor.path),
                                                     self.editor.path.name) for p in problems))
            return
        self.show_config()

    def show_diff(self) -> None:
        self._clear()
        self.page = "diff"
        self.title.setText(translate("Maintenance", "Changes to save"))
        self.subtitle.setText(translate("Maintenance", "The previous file is kept; the kiosk "
                                        "restarts to apply the changes."))
        for change in self.editor.diff():
            self._label(f"{change.key}:  {show_value(change.old)}  →  {show_value(change.new)}",
                        name="maintenance_diff_line")
        self._back(self.show_config)
        self._button("maintenance_save", translate("Maintenance", "Save"), self.do_save,
                     role="primary", where=self.footer)

    def do_save(self) -> None:
        from kiosk.config import ConfigError

        try:
            changes = self.editor.save()
        except (ConfigError, OSError) as exc:
            problems = getattr(exc, "problems", None) or [str(exc)]
            self.desk.record("config_save", ok=False)
            self.message.setText("\n".join(problems))
            return
        self.desk.record("config_save", ok=True, keys=[c.key for c in changes],
                         changes={c.key: [_short(c.old), _short(c.new)] for c in changes})
        self.saved = True
        self.show_home()
        self.message.setText(translate("Maintenance", "Saved. Restart to apply."))

    def do_rollback(self) -> None:
        self.editor.rollback()
        self.desk.record("config_rollback")
        self.saved = True
        self.show_config()
        self.message.setText(translate("Maintenance", "The previous file is back. Restart to "
                                       "apply."))

    # -- diagnostics -------------------------------------------------------------------------
    def show_diagnostics(self) -> None:
        from kiosk import maintenance_checks as mc

        self._clear()
        self.page = "diagnostics"
        self.title.setText(translate("Maintenance", "Diagnostics"))
        self.subtitle.setText(translate("Maintenance", "Each test is recorded in the audit log."))
        core = self.core
        if not self.results:
            for check in mc.printer_status(core.printer):
                self.results[check.name] = check
            self.results["id_card_reader"] = mc.status_check(
                "id_card_reader", core.id_reader.status() if core.id_reader is not None else None)
            self.results["disk"] = mc.disk_check(core.data_dir)
            self.results["memory"] = mc.memory_check()
            self.results["guide_videos"] = mc.guide_video_check(core.step_guides)
            sync = core.services.sync
            self.results["sync"] = mc.sync_check(core.store, core.outbox,
                                                 sync.status if sync is not None else None)
        for name, check in self.results.items():
            self._label(check_text(check), name=f"maintenance_result_{name}")
        actions = (
            ("maintenance_selftest_receipt", translate("Maintenance", "Receipt printer self-test"),
             lambda: self._check(lambda: mc.printer_self_test(core.printer, "receipt"))),
            ("maintenance_selftest_document", translate("Maintenance", "A4 printer self-test"),
             lambda: self._check(lambda: mc.printer_self_test(core.printer, "document"))),
            ("maintenance_print_receipt", translate("Maintenance", "Test print: receipt"),
             lambda: self._check(lambda: mc.test_print(core.printer, "receipt")[0], "test_print")),
            ("maintenance_print_document", translate("Maintenance", "Test print: A4"),
             lambda: self._check(lambda: mc.test_print(core.printer, "document")[0],
                                 "test_print")),
            ("maintenance_card", translate("Maintenance", "ID card reader: read a card"),
             self._card_test),
            ("maintenance_scan", translate("Maintenance", "QR scanner: scan a code"),
             self._scan_test),
            ("maintenance_touch", translate("Maintenance", "Touch check"), self._touch_test),
            ("maintenance_screen", translate("Maintenance", "Screen test"), self._colour_test),
            ("maintenance_speaker", translate("Maintenance", "Speaker test"), self._speaker_test),
            ("maintenance_network", translate("Maintenance", "Network, TLS and clock"),
             self._network_test),
        )
        for name, text, fn in actions:
            self._button(name, text, fn)
        self._back()

    def _record_check(self, check: Check, op: str = "diagnostic") -> None:
        self.results[check.name] = check
        self.desk.record(op, check=check.name, level=check.level, code=check.code)

    def _check(self, work: Callable[[], Check], op: str = "diagnostic") -> None:
        self.message.setText(translate("Maintenance", "Testing…"))

        def then(check) -> None:
            if isinstance(check, Exception):
                check = Check("device", "error", "device_error")
            self._record_check(check, op)
            if self.page == "diagnostics" and self.isVisible():
                self.show_diagnostics()
                self.message.setText(check_text(check))

        self._run(work, then)

    def _card_test(self) -> None:
        from kiosk.maintenance_checks import card_read_test

        reader = self.core.id_reader
        self._check(lambda: card_read_test(reader, timeout_s=10.0))
        self.message.setText(translate("Maintenance", "Place an ID card on the reader…"))

    def _scan_test(self) -> None:
        from screens.widgets.wedge import WedgeFilter

        self._stop_scan()
        self.wedge = WedgeFilter(parent=self)
        self.wedge.scanned.connect(self._scanned)
        self.wedge.install()
        self.message.setText(translate("Maintenance", "Scan any QR code now…"))

    def _scanned(self, text: str) -> None:
        from kiosk.maintenance_checks import scan_test

        self._stop_scan()
        check = scan_test(text)
        self._record_check(check)
        self.show_diagnostics()
        self.message.setText(check_text(check))

    def _stop_scan(self) -> None:
        if self.wedge is not None:
            self.wedge.uninstall()
            self.wedge.deleteLater()
            self.wedge = None

    def _touch_test(self) -> None:
        self.stack.setCurrentIndex(1)
        self.touch_page.start()

    def _touch_done(self) -> None:
        self._record_check(self.touch_page.check.result())
        self.show_diagnostics()
        self.message.setText(check_text(self.results["touch"]))

    def _colour_test(self) -> None:
        self.stack.setCurrentIndex(2)
        self.colour_page.start()

    def _colours_done(self) -> None:
        self._ask("screen", translate("Maintenance", "Did each colour fill the whole screen "
                                      "evenly, without dead pixels?"))

    def _speaker_test(self) -> None:
        played = self._play_tone()
        self._ask("speaker", translate("Maintenance", "Did you hear a tone from the speaker?")
                  if played else translate("Maintenance", "No sound output could be opened. "
                                           "Did you hear a tone?"))

    def _play_tone(self) -> bool:
        from kiosk.maintenance_checks import tone_wav

        try:
            from screens.qt import QSoundEffect, QUrl

            path = Path(self.core.data_dir) / "maintenance-tone.wav"
            path.write_bytes(tone_wav())
            self._effect = QSoundEffect(self)
            self._effect.setSource(QUrl.fromLocalFile(str(path)))
            self._effect.play()
            return True
        except Exception as exc:  # no QtMultimedia or no audio device: the technician says
            log.warning("speaker test: %s", exc)
            return False

    def _ask(self, name: str, question: str) -> None:
        self._clear()
        self.title.setText(translate("MaintenanceCheck", CHECK_NAMES[name]))
        self.subtitle.setText(question)
        self._button("maintenance_yes", translate("Maintenance", "Yes"),
                     lambda: self._answer(name, True), role="primary")
        self._button("maintenance_no", translate("Maintenance", "No"),
                     lambda: self._answer(name, False))

    def _answer(self, name: str, ok: bool) -> None:
        self._record_check(Check(name, "ok" if ok else "error", "seen" if ok else "not_seen"))
        self.show_diagnostics()
        self.message.setText(check_text(self.results[name]))

    def _network_test(self) -> None:
        from kiosk.maintenance_checks import backend_checks, sync_check

        core = self.core
        sync = core.services.sync
        sc = core.config.sync
        if sync is None or getattr(sync, "adapter", None) is None or sc.adapter != "http":
            self._record_check(Check("network", "absent", "sync_off"))
            self.show_diagnostics()
            return
        adapter = sync.adapter

        def work():
            from kiosk.sync.service import http_adapter

            checks = backend_checks(sc.base_url, lambda: http_adapter(core.config,
                                                                      adapter.credential),
                                    ca_file=sc.ca_file or None)
            return checks + [sync_check(core.store, core.outbox, sync.status)]

        def then(checks) -> None:
            if isinstance(checks, Exception):
                checks = [Check("network", "error", "device_error")]
            for check in checks:
                self._record_check(check)
            if self.page == "diagnostics" and self.isVisible():
                self.show_diagnostics()

        self.message.setText(translate("Maintenance", "Testing…"))
        self._run(work, then)

    # -- counters ------------------------------------------------------------------------------
    def show_counters(self) -> None:
        self._clear()
        self.page = "counters"
        self.title.setText(translate("Maintenance", "Counters and paper"))
        self.subtitle.setText(translate("Maintenance", "Since the last paper change for paper; "
                                        "since installation for the rest."))
        v = self.core.counters.values
        rows = (
            (translate("Maintenance", "Citizen sessions"), v.get("sessions", 0)),
            (translate("Maintenance", "Receipts printed"), v.get("prints_receipt", 0)),
            (translate("Maintenance", "A4 documents printed"), v.get("prints_document", 0)),
            (translate("Maintenance", "Receipts on this roll"), v.get("paper_receipt", 0)),
            (translate("Maintenance", "A4 jobs on this paper load"), v.get("paper_document", 0)),
            (translate("Maintenance", "Errors"), v.get("errors", 0)),
        )
        for text, n in rows:
            self._label(translate("Maintenance", "{name}: {value}").format(name=text, value=n),
                        name="maintenance_counter")
        self._button("maintenance_paper_receipt", translate("Maintenance", "Receipt paper "
                                                            "changed"),
                     lambda: self._paper("receipt"))
        self._button("maintenance_paper_document", translate("Maintenance", "A4 paper changed"),
                     lambda: self._paper("document"))
        self._back()

    def _paper(self, printer: str) -> None:
        before = self.core.counters.paper_changed(printer)
        self.desk.record("paper_changed", printer=printer, paper_used=before)
        if self.core.printer is not None:
            try:
                self.core.printer.probe(printer)
            except KeyError:
                pass
        self.show_counters()
        self.message.setText(translate("Maintenance", "Paper counter reset (recorded)."))

    # -- enrolment -----------------------------------------------------------------------------
    def show_enrol(self) -> None:
        self._clear()
        self.page = "enrol"
        self.title.setText(translate("Maintenance", "Enrolment"))
        sync = self.core.services.sync
        adapter = getattr(sync, "adapter", None)
        enrolled = bool(getattr(adapter, "credential", None))
        self.subtitle.setText(
            translate("Maintenance", "This terminal is enrolled. A new one-time code from the "
                      "fleet console enrols it again.") if enrolled else
            translate("Maintenance", "Type the one-time code from the fleet console."))
        self.typed = ""
        self.field = self._label("", role="title", name="maintenance_field")
        self._show_typed()
        self._add_keypad(CODE_KEYS)
        self._button("maintenance_enrol_go", translate("Maintenance", "Enrol"), self._enrol,
                     role="primary", where=self.footer)
        self._back()

    def _enrol(self) -> None:
        code = self.typed
        self.typed = ""
        self._show_typed()
        self.message.setText(translate("Maintenance", "Enrolling…"))

        def then(result) -> None:
            ok, reason = result if not isinstance(result, Exception) else (False, "error")
            if self.page != "enrol":
                return
            self.message.setText(translate("Maintenance", "Enrolled.") if ok else
                                 translate("Maintenance", "Enrolment refused: {reason}")
                                 .format(reason=_enrol_reason(reason)))

        self._run(lambda: self.desk.enrol(code), then)

    # -- log export ----------------------------------------------------------------------------
    def show_export(self) -> None:
        self._clear()
        self.page = "export"
        self.title.setText(translate("Maintenance", "Export logs to USB stick"))
        folder = Path(self.core.config.maintenance.usb_folder)
        self.subtitle.setText(translate(
            "Maintenance", "Into {folder}. ID and phone numbers are masked; a SHA256SUMS "
            "manifest is written last.").format(folder=str(folder)))
        self._button("maintenance_export_go", translate("Maintenance", "Export"), self._export,
                     role="primary", where=self.footer)
        self._back()

    def _export(self) -> None:
        from kiosk.maintenance import export_logs, log_sources

        core = self.core
        folder = Path(core.config.maintenance.usb_folder)
        if not folder.is_dir():
            self.message.setText(translate("Maintenance", "No USB stick found at {folder}.")
                                 .format(folder=str(folder)))
            return
        from kiosk.audit import entries

        counters = json.dumps(core.counters.snapshot(), ensure_ascii=False, indent=1)
        audit = "\n".join(json.dumps({k: v for k, v in e.items() if k != "_row"},
                                     ensure_ascii=False) for e in entries(core.store))
        checks = "\n".join(f"{c.name}\t{c.level}\t{c.code}\t{json.dumps(c.params)}"
                           for c in self.results.values())
        sources = log_sources(core.data_dir / "logs")  # (wiring.ui's add_file_log)
        self.message.setText(translate("Maintenance", "Exporting…"))

        def then(result) -> None:
            if isinstance(result, Exception) or not result.complete:
                self.desk.record("log_export", ok=False)
                self.message.setText(translate(
                    "Maintenance", "The export did not finish (was the stick removed?). Nothing "
                    "on the stick is marked complete; export again."))
                return
            self.desk.record("log_export", ok=True, files=len(result.files), bytes=result.bytes)
            n = len(result.files)
            done = translate("Maintenance", "Exported %n file(s) to {folder}.", "", n)
            self.message.setText(done.format(folder=result.folder.name))

        self._run(lambda: export_logs(folder, terminal_id=core.config.terminal.id,
                                      sources=sources,
                                      extras=[("counters.json", counters),
                                              ("audit.jsonl", audit),
                                              ("diagnostics.tsv", checks)]), then)

    def retranslate(self) -> None:
        if self.isVisible() and self.page in ("home", "diagnostics", "counters"):
            getattr(self, f"show_{self.page}")()


NUMBER_KEYS = ("789", "456", "123", "0.-")
CODE_KEYS = ("1234567890", "ABCDEFGHJK", "LMNPQRSTUV", "WXYZ-")
TEXT_KEYS = ("1234567890", "qwertyuiop", "asdfghjkl-", "zxcvbnm_./", ':@"[],=+#?')


def _enrol_reason(reason: str) -> str:
    return {
        "unreachable": translate("Maintenance", "the backend cannot be reached"),
        "enrolment_refused": translate("Maintenance", "the code is wrong, used or expired"),
        "already_enrolled": translate("Maintenance", "the code was issued for another terminal"),
        "sync_off": translate("Maintenance", "this terminal does not sync"),
        "empty": translate("Maintenance", "no code typed"),
    }.get(reason, reason)


def _short(value: Any) -> str:
    return show_value(value)[:80]


def _drop_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        w = item.widget()
        if w is not None:
            w.hide()
            w.setParent(None)
            w.deleteLater()
        elif item.layout() is not None:
            _drop_layout(item.layout())
