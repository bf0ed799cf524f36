"""The technician's maintenance panel in the kiosk window (pytest-qt, production wiring with
sync off and the virtual printers): the hidden corner entry, refused during a citizen session;
an option edited end to end (validate, diff, save, restart, rollback); diagnostics and test
prints against the simulated devices; counters; log export. Screenshots in
out/test-artifacts/maintenance-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.audit import entries
from kiosk.bus import Topic
from kiosk.config import load_config
from kiosk.navigation import Screen
from kiosk.terminal import TerminalState
from protocol.staff import StaffRole
from screens.qt import Qt
from tests.test_staff import account, roster

TECH, TECH_PIN = "1003", "975310"


@pytest.fixture
def tech_kiosk(kiosk_window, tmp_path, qtbot):
    import tomli_w

    from tests.conftest import BUNDLED_CATALOG

    def make(**extra):
        data = {"terminal": {"id": "T-0042"},
                "paths": {"data_dir": str(tmp_path / "data"),
                          "catalog_file": str(BUNDLED_CATALOG)},
                "display": {"fullscreen": False},
                "sync": {"adapter": "off"},
                "devices": {"id_card_reader": "simulated"},
                "maintenance": {"usb_folder": str(tmp_path / "usb")},
                "printing": {"receipt": {"driver": "virtual"},
                             "document": {"driver": "virtual", "folder": str(tmp_path / "a4")}}}
        for k, v in extra.items():
            data.setdefault(k, {}).update(v)
        path = tmp_path / "kiosk.toml"
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
        from types import SimpleNamespace

        kiosk = kiosk_window(load_config(path), sync=False)
        k = SimpleNamespace(kiosk=kiosk, w=kiosk.window, core=kiosk.window.core)
        k.core.staff.auth.roster.save(roster(
            account(TECH, "王工", StaffRole.TECHNICIAN, TECH_PIN),
            account("1001", "李帮办", StaffRole.HELPER, "246810")))
        k.core.staff.auth.reload()
        k.w.CORNER_HOLD_MS = 100
        k.path = path
        return k

    return make


def tap(qtbot, widget) -> None:
    qtbot.waitUntil(widget.isVisible, timeout=2000)  # (a page's widgets show at the next turn)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def corner_press(qtbot, k) -> None:
    """The hidden entry: a long press in the top right corner."""
    w = k.w
    from screens.qt import QPoint

    target = w.childAt(w.width() - 20, 20) or w
    pos = target.mapFrom(w, QPoint(w.width() - 20, 20))
    qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.wait(250)
    qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=pos)


def login(qtbot, k, staff_no=TECH, pin=TECH_PIN) -> None:
    panel = k.w.staff_panel
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    for ch in staff_no:
        tap(qtbot, panel.keys[ch])
    tap(qtbot, panel.confirm_button)
    for ch in pin:
        tap(qtbot, panel.keys[ch])
    tap(qtbot, panel.confirm_button)


def shot(k, artifacts, name: str) -> Path:
    path = artifacts / f"maintenance-{name}.png"
    k.w.repaint()
    k.w.grab().save(str(path))
    return path


def ops(k, reasons: bool = False) -> list[dict]:
    """The panel's audited actions (`reasons`: with the out-of-service reasons' entries)."""
    k.core.services.events.flush()
    return [e["detail"] for e in entries(k.core.store) if e["action"] == "maintenance"
            and (reasons or e["detail"].get("op") != "out_of_service")]


def enter(qtbot, k):
    corner_press(qtbot, k)
    login(qtbot, k)
    panel = k.w.maintenance_panel
    qtbot.waitUntil(panel.isVisible, timeout=5000)
    return panel


def test_corner_entry_refused_during_a_citizen_session(qtbot, tech_kiosk, artifacts):
    k = tech_kiosk()
    tap(qtbot, k.w.screens[Screen.ATTRACT])  # a citizen is at the terminal
    assert k.core.session.started
    corner_press(qtbot, k)
    login(qtbot, k)
    qtbot.waitUntil(lambda: "正在为群众办理业务" in k.w.staff_panel.tools_message.text(),
                    timeout=5000)
    assert not k.w.maintenance_panel.isVisible()
    assert k.core.terminal.state == TerminalState.ACTIVE
    shot(k, artifacts, "refused")
    k.w.staff_panel.close_panel()
    tap(qtbot, k.w.nav.end_button)  # the citizen is done
    qtbot.waitUntil(lambda: k.core.terminal.state == TerminalState.MAINTENANCE, timeout=3000)
    panel = enter(qtbot, k)  # now the technician gets in
    assert panel.page == "home"


def test_the_console_lifting_its_reason_leaves_the_technician_inside(qtbot, tech_kiosk,
                                                                     artifacts, monkeypatch):
    """The console locks a terminal a technician is repairing, then unlocks it and sends
    leave maintenance: the panel stays open and the terminal out of service (the technician's
    reason holds); the technician's "back in service" then opens it to citizens. The lock's
    words are on the out-of-service screen while it holds. A pushed profile's restart waits
    for the technician to close the panel (decision 0036)."""
    import threading

    from kiosk.config_update import EXIT_RESTART
    from screens.qt import QApplication

    exits = []
    monkeypatch.setattr(QApplication.instance(), "exit", lambda code=0: exits.append(code))
    k = tech_kiosk()
    panel = enter(qtbot, k)
    bus = k.core.bus
    for topic, value in ((Topic.LOCK, "设备升级中，请到 3 号窗口"), (Topic.MAINTENANCE, True)):
        t = threading.Thread(target=bus.publish, args=(topic, value))  # the sync thread
        t.start()
        t.join()
    qtbot.waitUntil(lambda: k.core.lock_message is not None, timeout=3000)
    oos = k.w.screens[Screen.OUT_OF_SERVICE]
    assert "设备升级中，请到 3 号窗口" in oos.detail.text() and panel.isVisible()
    bus.publish(Topic.LOCK, None)
    bus.publish(Topic.MAINTENANCE, False)
    qtbot.waitUntil(lambda: "lock" not in k.core.reasons and "console" not in k.core.reasons,
                    timeout=3000)
    qtbot.wait(50)
    assert panel.isVisible() and k.core.maintenance.open
    assert k.core.terminal.state == TerminalState.MAINTENANCE
    assert k.core.navigator.current.screen == Screen.OUT_OF_SERVICE
    assert "设备升级中" not in oos.detail.text()
    shot(k, artifacts, "console-lifted-its-reason")
    bus.publish(Topic.NEW_CONFIG, {"session": {"idle_timeout_s": 120}})  # accepted meanwhile
    qtbot.waitUntil(lambda: k.w.restart_pending, timeout=3000)
    qtbot.wait(50)
    assert exits == [] and panel.isVisible()  # not under the technician's hands
    panel.close_panel(back_in_service=True)
    assert k.core.terminal.state == TerminalState.AVAILABLE
    qtbot.waitUntil(lambda: exits == [EXIT_RESTART], timeout=3000)
    assert [(d["source"], d["on"]) for d in ops(k, reasons=True)
            if d["op"] == "out_of_service"] == [("technician", True), ("lock", True),
                                                ("console", True), ("lock", False),
                                                ("console", False), ("technician", False)]


def test_a_helper_is_refused(qtbot, tech_kiosk):
    k = tech_kiosk()
    corner_press(qtbot, k)
    login(qtbot, k, "1001", "246810")
    qtbot.waitUntil(lambda: "只有技术员" in k.w.staff_panel.tools_message.text(),
                    timeout=5000)
    assert not k.w.maintenance_panel.isVisible()
    assert k.core.terminal.state == TerminalState.AVAILABLE


def test_edit_an_option_end_to_end(qtbot, tech_kiosk, artifacts, monkeypatch):
    from kiosk.config_update import EXIT_RESTART
    from screens.qt import QApplication

    k = tech_kiosk()
    exits = []
    monkeypatch.setattr(QApplication.instance(), "exit", lambda code=0: exits.append(code))
    original = k.path.read_bytes()
    panel = enter(qtbot, k)
    shot(k, artifacts, "home")
    assert k.core.terminal.state == TerminalState.MAINTENANCE
    tap(qtbot, panel.buttons["maintenance_config"])
    shot(k, artifacts, "config")
    tap(qtbot, panel.buttons["maintenance_option_session.idle_timeout_s"])
    panel._key("clear")
    panel._key("5")
    tap(qtbot, panel.buttons["maintenance_apply"])  # 5 s: below the schema's minimum
    assert "key 'session.idle_timeout_s': must be >=" in panel.message.text()
    shot(k, artifacts, "invalid")
    panel._key("clear")
    for ch in "240":
        panel._key(ch)
    tap(qtbot, panel.buttons["maintenance_apply"])
    assert panel.page == "config"
    # a switch and a choice list
    tap(qtbot, panel.buttons["maintenance_option_display.lockdown"])
    tap(qtbot, panel.buttons["maintenance_switch_false"])
    tap(qtbot, panel.buttons["maintenance_option_display.orientation"])
    assert {"maintenance_choice_portrait", "maintenance_choice_landscape"} <= set(panel.buttons)
    tap(qtbot, panel.buttons["maintenance_choice_landscape"])
    assert panel.page == "config"
    tap(qtbot, panel.buttons["maintenance_review"])
    assert panel.page == "diff"
    assert {c.key for c in panel.editor.diff()} == {"session.idle_timeout_s", "display.lockdown",
                                                    "display.orientation"}
    shot(k, artifacts, "diff")
    tap(qtbot, panel.buttons["maintenance_save"])
    saved = load_config(k.path)
    assert saved.session.idle_timeout_s == 240 and saved.display.lockdown is False
    assert saved.display.orientation == "landscape"
    assert k.path.with_name("kiosk.toml.previous").exists()
    tap(qtbot, panel.buttons["maintenance_restart"])
    qtbot.waitUntil(lambda: exits == [EXIT_RESTART], timeout=3000)
    # rollback
    tap(qtbot, panel.buttons["maintenance_config"])
    tap(qtbot, panel.buttons["maintenance_rollback"])
    assert k.path.read_bytes() == original  # the file as it was, byte for byte
    assert [d["op"] for d in ops(k)][:4] == ["enter", "config_save", "restart", "config_rollback"]
    save = ops(k)[1]
    assert save["keys"] == ["display.lockdown", "display.orientation",
                            "session.idle_timeout_s"] and save["ok"] is True


def test_diagnostics_against_the_simulated_devices(qtbot, tech_kiosk, artifacts):
    k = tech_kiosk()
    panel = enter(qtbot, k)
    tap(qtbot, panel.buttons["maintenance_diagnostics"])
    shot(k, artifacts, "diagnostics")
    tap(qtbot, panel.buttons["maintenance_print_receipt"])
    qtbot.waitUntil(lambda: "test_print" in [d["op"] for d in ops(k)], timeout=10000)
    virtual = k.core.services.extras["printers"].virtual
    qtbot.waitUntil(lambda: len(virtual.jobs) >= 1, timeout=10000)
    tap(qtbot, panel.buttons["maintenance_print_document"])
    qtbot.waitUntil(lambda: [d["op"] for d in ops(k)].count("test_print") == 2, timeout=20000)
    qtbot.waitUntil(lambda: k.core.counters.values["prints_document"] == 1, timeout=20000)
    shot(k, artifacts, "test-print")
    # the scanner: a code typed by the wedge
    tap(qtbot, panel.buttons["maintenance_scan"])
    panel._scanned("https://zwfw.example.gov.cn/q/1")
    assert "url，31" in panel.message.text(), panel.message.text()
    # the touch check: the five targets tapped on target
    tap(qtbot, panel.buttons["maintenance_touch"])
    page = panel.touch_page
    qtbot.waitUntil(page.isVisible, timeout=2000)
    from screens.qt import QPoint

    while page.check.next_target is not None:
        x, y = page.check.next_target
        qtbot.mouseClick(page, Qt.MouseButton.LeftButton, pos=QPoint(int(x) + 2, int(y) - 2))
    assert panel.results["touch"].code == "calibrated"
    # the screen: five colours, then the technician's answer
    tap(qtbot, panel.buttons["maintenance_screen"])
    for _ in range(5):
        qtbot.mouseClick(panel.colour_page, Qt.MouseButton.LeftButton)
    tap(qtbot, panel.buttons["maintenance_yes"])
    assert panel.results["screen"].code == "seen"
    # the speaker: a tone (or no audio output here), then the technician's answer
    tap(qtbot, panel.buttons["maintenance_speaker"])
    tap(qtbot, panel.buttons["maintenance_no"])
    assert panel.results["speaker"].level == "error"
    # the card reader: a card read shows only its masked number; unplugged: offline
    from datetime import date

    from kiosk.devices.idcard import IdCardData

    reader = k.core.id_reader
    reader.place(IdCardData("320402199001011234", "张三", date(2036, 1, 1)))
    tap(qtbot, panel.buttons["maintenance_card"])
    qtbot.waitUntil(lambda: "3204**********1234" in panel.message.text(), timeout=10000)
    reader.remove()
    reader.unplug()
    tap(qtbot, panel.buttons["maintenance_card"])
    qtbot.waitUntil(lambda: panel.results["id_card_reader"].level == "offline", timeout=5000)
    reader.plug()
    shot(k, artifacts, "diagnostics-done")
    checks = {d.get("check") for d in ops(k) if d["op"] == "diagnostic"}
    assert {"qr_scanner", "touch", "screen"} <= checks


def test_counters_paper_change_and_log_export(qtbot, tech_kiosk, artifacts, tmp_path):
    from kiosk.maintenance import MANIFEST, verify_export

    k = tech_kiosk()
    (tmp_path / "data" / "logs").mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / "logs" / "kiosk.log").write_text(
        '{"msg": "card 320402199001011234 read"}\n', encoding="utf-8")
    panel = enter(qtbot, k)
    k.core.counters.values["paper_receipt"] = 17
    tap(qtbot, panel.buttons["maintenance_counters"])
    shot(k, artifacts, "counters")
    tap(qtbot, panel.buttons["maintenance_paper_receipt"])
    assert k.core.counters.values["paper_receipt"] == 0
    tap(qtbot, panel.buttons["maintenance_back"])
    tap(qtbot, panel.buttons["maintenance_export"])
    tap(qtbot, panel.buttons["maintenance_export_go"])
    assert "未在" in panel.message.text()
    (tmp_path / "usb").mkdir()
    tap(qtbot, panel.buttons["maintenance_export_go"])
    qtbot.waitUntil(lambda: "已导出" in panel.message.text(), timeout=10000)
    shot(k, artifacts, "export")
    folder = next((tmp_path / "usb").iterdir())
    assert (folder / MANIFEST).exists() and verify_export(folder) == []
    text = (folder / "kiosk.log").read_text(encoding="utf-8")
    assert "320402199001011234" not in text and "3204**********1234" in text
    assert {"op": "paper_changed", "printer": "receipt", "paper_used": 17} in ops(k)
    tap(qtbot, panel.buttons["maintenance_back"])
    tap(qtbot, panel.buttons["maintenance_leave"])
    assert k.core.terminal.state == TerminalState.AVAILABLE and k.core.staff.session is None


def test_landscape_panel(qtbot, tech_kiosk, artifacts):
    k = tech_kiosk(display={"orientation": "landscape"})
    assert k.w.width() > k.w.height()
    panel = enter(qtbot, k)
    tap(qtbot, panel.buttons["maintenance_diagnostics"])
    assert panel.geometry() == k.w.rect()
    qtbot.wait(100)
    button = panel.buttons["maintenance_print_receipt"]
    assert button.height() >= button.sizeHint().height() - 2  # not squeezed
    shot(k, artifacts, "landscape-diagnostics")


@pytest.mark.allow_error_log
def test_stick_pulled_during_the_export_is_reported(qtbot, tech_kiosk, tmp_path, monkeypatch):
    import functools

    import kiosk.maintenance as m

    k = tech_kiosk()
    (tmp_path / "usb").mkdir()

    def pulled(path):
        raise OSError(5, "Input/output error")  # the stick is gone at the first file

    monkeypatch.setattr(m, "export_logs", functools.partial(m.export_logs, open_file=pulled))
    panel = enter(qtbot, k)
    tap(qtbot, panel.buttons["maintenance_export"])
    tap(qtbot, panel.buttons["maintenance_export_go"])
    qtbot.waitUntil(lambda: "导出未完成" in panel.message.text(), timeout=10000)
    folder = next((tmp_path / "usb").iterdir())
    assert m.verify_export(folder) == ["no manifest: the export is not complete"]
    assert {"op": "log_export", "ok": False} in ops(k)
