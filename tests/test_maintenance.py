"""The technician's maintenance panel, Qt-free (kiosk.maintenance, kiosk.maintenance_checks):
entry, the configuration editor, counters, log export, diagnostics against the simulated
devices and their failure modes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kiosk.app import KioskCore
from kiosk.audit import entries, verify
from kiosk.config import ConfigError, load_config
from kiosk.navigation import Screen
from kiosk.maintenance import (
    MANIFEST,
    PARTIAL,
    ConfigEditor,
    Control,
    EntryOutcome,
    export_logs,
    redact,
    verify_export,
)
from kiosk.maintenance_checks import (
    TouchCheck,
    card_read_test,
    disk_check,
    memory_check,
    printer_self_test,
    scan_test,
    sync_check,
    test_print as run_test_print,
    tls_check,
    tone_wav,
)
from kiosk.terminal import TerminalState
from protocol.staff import StaffRole
from tests.test_staff import account, login, roster

ROOT = Path(__file__).resolve().parent.parent
TECH_PIN = "975310"


@pytest.fixture
def core(make_config):
    from wiring import build_services

    config = make_config(sync={"adapter": "off"})
    services = build_services(config)
    c = KioskCore(services)
    c.start()
    c.staff.auth.roster.save(roster(
        account("1003", "王工", StaffRole.TECHNICIAN, TECH_PIN),
        account("1001", "李帮办", StaffRole.HELPER, "246810"),
        account("1002", "赵值班", StaffRole.SHIFT_LEAD, "135790")))
    c.staff.auth.reload()
    yield c
    c.close()
    services.close()


def ops(core) -> list[dict]:
    core.services.events.flush()
    return [e["detail"] for e in entries(core.store) if e["action"] == "maintenance"]


# -- entry -------------------------------------------------------------------------------------------


def test_technician_enters_and_leaves_and_it_is_audited(core):
    assert login(core, "1003", TECH_PIN).ok
    assert core.maintenance.enter() is EntryOutcome.OPEN
    assert core.terminal.state == TerminalState.MAINTENANCE
    core.maintenance.leave()
    assert core.terminal.state == TerminalState.AVAILABLE
    assert [d["op"] for d in ops(core)] == ["out_of_service", "enter", "leave",
                                            "out_of_service"]
    assert [(d["source"], d["on"]) for d in ops(core) if d["op"] == "out_of_service"] == [
        ("technician", True), ("technician", False)]
    assert verify(core.store).ok


def test_each_source_lifts_only_its_own_reason_and_the_screen_shows_the_most_relevant(core):
    """Out of service is a set of reasons (decision 0036): the console's unlock and leave
    maintenance no longer lift the technician's maintenance, the technician's "back in
    service" no longer lifts the console's lock; the screen shows the lock's words while it
    holds; every reason added or lifted is audited with its source."""
    from kiosk.terminal import OutSource

    assert login(core, "1003", TECH_PIN).ok
    assert core.maintenance.enter() is EntryOutcome.OPEN
    core.lock("设备升级中，请到 3 号窗口")          # the console locks it meanwhile
    core.set_maintenance(True)                    # and asks for maintenance
    assert core.terminal.state == TerminalState.MAINTENANCE
    assert core.out_of_service.reason == "locked"
    assert core.out_of_service.message == "设备升级中，请到 3 号窗口"
    assert core.terminal.reason == "locked,technician,maintenance"
    assert core.services.terminal_state.get() == ("maintenance", "locked,technician,maintenance")
    core.lock(None)                               # unlock: the lock only
    core.set_maintenance(False)                   # leave maintenance: the console's only
    assert core.terminal.state == TerminalState.MAINTENANCE and core.maintenance.open
    assert core.out_of_service.reason == "technician" and core.out_of_service.message == ""
    core.lock("暂停服务")
    core.maintenance.leave()                      # back in service: the technician's only
    assert core.terminal.state == TerminalState.MAINTENANCE
    assert core.out_of_service.reason == "locked" and core.lock_message == "暂停服务"
    core.check_availability()                     # the window's 2 s look changes nothing
    assert core.terminal.reason == "locked"
    core.lock(None)
    assert core.terminal.state == TerminalState.AVAILABLE and core.out_of_service is None
    assert core.navigator.current.screen == Screen.ATTRACT
    assert [(d["source"], d["on"]) for d in ops(core) if d["op"] == "out_of_service"] == [
        ("technician", True), ("lock", True), ("console", True), ("lock", False),
        ("console", False), ("lock", True), ("technician", False), ("lock", False)]
    # the console's words are the console's own audit, not the terminal's
    assert "设备升级" not in json.dumps(ops(core), ensure_ascii=False)
    assert not core.reasons and OutSource.LOCK not in core.reasons
    assert verify(core.store).ok


def test_a_console_lock_survives_a_restart_and_a_failure_outranks_nothing_it_lifts(
        core, make_config):
    """The console's lock is kept across a restart (a restart to apply a pushed profile must
    not unlock a locked terminal); a required part down beside it shows as UNAVAILABLE only
    once the lock is lifted."""
    from wiring import build_services

    core.lock("暂停服务")
    core.services.events.flush()
    again = KioskCore(build_services(core.config))
    again.start()
    assert again.terminal.state == TerminalState.MAINTENANCE
    assert again.lock_message == "暂停服务" and again.out_of_service.reason == "locked"
    again.fail("crash_loop", "repeated crashes")
    assert again.out_of_service.reason == "locked" and "crash_loop" in again.terminal.reason
    again.lock(None)
    assert again.terminal.state == TerminalState.UNAVAILABLE  # the failure stays
    assert again.out_of_service.reason == "crash_loop"


def test_entry_refused_during_a_citizen_session_then_maintenance_once_done(core):
    core.begin_session()
    assert login(core, "1003", TECH_PIN).ok
    assert core.maintenance.enter() is EntryOutcome.DEFERRED
    assert core.terminal.state == TerminalState.ACTIVE  # the citizen goes on
    assert not core.maintenance.open
    core.end_session()
    assert core.terminal.state == TerminalState.MAINTENANCE
    assert [d for d in ops(core) if d["op"] == "enter"][0] == {
        "op": "enter", "refused": "citizen_session", "deferred": True}


def test_only_the_technician_role_enters(core):
    assert login(core, "1001", "246810").ok  # a helper
    assert core.maintenance.enter() is EntryOutcome.NOT_ALLOWED
    core.staff.logout()
    assert login(core, "1002", "135790").ok  # a shift lead
    assert core.maintenance.enter() is EntryOutcome.NOT_ALLOWED
    assert core.terminal.state == TerminalState.AVAILABLE
    assert [d.get("refused") for d in ops(core)] == ["role", "role"]


def test_technician_pin_brute_force_locks_the_account(core):
    for _ in range(5):
        result = login(core, "1003", "000000")
    assert result.just_locked
    assert not login(core, "1003", TECH_PIN).ok  # the right PIN, but locked
    assert core.maintenance.enter() is EntryOutcome.NO_STAFF


# -- configuration -----------------------------------------------------------------------------------


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(f"""
[terminal]
id = "T-0001"

[paths]
data_dir = "{tmp_path / 'data'}"

[session]
idle_timeout_s = 90
""", encoding="utf-8")
    return path


def test_every_option_has_a_control_description_and_default(config_file):
    editor = ConfigEditor(load_config(config_file))
    options = {o.key: o for o in editor.options()}
    assert options["session.idle_timeout_s"].control is Control.NUMBER
    assert options["session.idle_timeout_s"].integer
    assert options["session.idle_timeout_s"].value == 90
    assert options["display.fullscreen"].control is Control.SWITCH
    assert options["sync.adapter"].control is Control.CHOICE
    assert "http" in options["sync.adapter"].choices
    assert options["terminal.id"].control is Control.TEXT
    assert all(o.description for o in options.values())
    assert options["paths.data_dir"].locked  # where the overlay lives: never from the panel


def test_edit_validate_diff_save_rollback(config_file):
    editor = ConfigEditor(load_config(config_file))
    option = editor.option("session.idle_timeout_s")
    # the same messages as `kiosk config validate`
    problems = editor.set(option.key, -5)
    bad = config_file.with_name("bad.toml")
    bad.write_text(config_file.read_text().replace("idle_timeout_s = 90", "idle_timeout_s = -5"))
    cli = subprocess.run([sys.executable, "-m", "kiosk", "config", "validate", str(bad)],
                         capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert cli.returncode != 0
    assert [p.replace(str(config_file), "F") for p in problems] == \
        [line.replace(str(bad), "F") for line in cli.stderr.strip().splitlines()]
    assert not editor.pending
    with pytest.raises(ValueError, match="expected int"):
        editor.parse(option, "abc")
    assert editor.set(option.key, editor.parse(option, "120")) == []
    assert editor.set("display.fullscreen", False) == []
    diff = {c.key: (c.old, c.new) for c in editor.diff()}
    assert diff == {"session.idle_timeout_s": (90, 120), "display.fullscreen": (True, False)}
    before = config_file.read_bytes()
    editor.save()
    assert editor.previous_path.read_bytes() == before
    saved = load_config(config_file)  # what the restart will load
    assert saved.session.idle_timeout_s == 120 and saved.display.fullscreen is False
    assert not list(config_file.parent.glob(".kiosk.toml.*.tmp"))
    editor.rollback()
    assert config_file.read_bytes() == before
    assert load_config(config_file).session.idle_timeout_s == 90


def test_options_pushed_centrally_are_locked(config_file):
    from kiosk.config_update import apply_config_update

    config = load_config(config_file)
    apply_config_update(config, {"session": {"countdown_s": 20}})
    editor = ConfigEditor(config)
    option = editor.option("session.countdown_s")
    assert option.locked and option.value == 20
    assert "set centrally" in editor.problems("session.countdown_s", 30)[0]
    assert editor.set("session.countdown_s", 30)
    assert not editor.pending


def test_save_refuses_an_invalid_result(config_file):
    editor = ConfigEditor(load_config(config_file))
    editor.pending["session.idle_timeout_s"] = -1  # (forced past set's check)
    with pytest.raises(ConfigError):
        editor.save()
    assert not editor.previous_path.exists()


# -- counters -----------------------------------------------------------------------------------------


def test_counters_sessions_and_an_audited_paper_reset(core):
    core.begin_session()
    core.end_session()
    core.begin_session()
    core.end_session()
    core.counters.values["paper_receipt"] = 42
    assert login(core, "1003", TECH_PIN).ok
    core.maintenance.enter()
    before = core.counters.paper_changed("receipt")
    core.maintenance.record("paper_changed", printer="receipt", paper_used=before)
    core.services.events.flush()
    from kiosk.maintenance import Counters

    again = Counters(core.store)  # kept across a restart
    assert again.values["sessions"] == 2 and again.values["paper_receipt"] == 0
    assert {"op": "paper_changed", "printer": "receipt", "paper_used": 42} in ops(core)


def test_the_heartbeats_paper_report_from_the_counters_and_the_sensor(core):
    """The fleet view's paper level and forecast: receipts printed since the paper change (as
    saved), receipts left of a configured roll, the level from the printer's sensor."""
    from types import SimpleNamespace

    from kiosk.maintenance import paper_report
    from protocol import PaperLevel

    status = SimpleNamespace(reason="")
    report = paper_report(core.store, lambda: status, roll_receipts=300)
    assert report().printed_total == 0 and report().sheets_left == 300
    core.counters.values["paper_receipt"] = 120
    core.counters.add("paper_receipt", 0)  # saved (through the outbox writer)
    core.services.events.flush()
    r = report()
    assert (r.level, r.printed_total, r.sheets_left) == (PaperLevel.OK, 120, 180)
    status.reason = "paper_near_end"
    assert report().level is PaperLevel.LOW
    status.reason = "paper_out"
    assert (report().level, report().sheets_left) == (PaperLevel.OUT, 0)
    status.reason = ""
    unknown_roll = paper_report(core.store, lambda: status)()
    assert unknown_roll.sheets_left is None and unknown_roll.printed_total == 120


def test_the_a4_paper_report_from_its_own_counter_and_tray(core):
    """The A4 printer's paper beside the receipt's (decision 0036): its own counter (A4 jobs
    since "A4 paper changed"), the tray's capacity (printing.document.tray_sheets), its own
    sensor; "A4 paper changed" resets it and is audited with the count it had."""
    from types import SimpleNamespace

    from kiosk.maintenance import paper_report
    from protocol import PaperLevel

    status = SimpleNamespace(reason="")
    a4 = paper_report(core.store, lambda: status, 250, printer="document")
    core.counters.values.update(paper_document=40, paper_receipt=7)
    core.counters.add("paper_document", 0)
    core.services.events.flush()
    r = a4()
    assert (r.level, r.printed_total, r.sheets_left) == (PaperLevel.OK, 40, 210)
    status.reason = "paper_out"
    assert (a4().level, a4().sheets_left) == (PaperLevel.OUT, 0)
    status.reason = ""
    before = core.counters.paper_changed("document")
    core.maintenance.record("paper_changed", printer="document", paper_used=before)
    core.services.events.flush()
    assert (a4().printed_total, a4().sheets_left) == (0, 250)
    assert core.counters.values["paper_receipt"] == 7  # the receipt roll's count untouched
    assert {"op": "paper_changed", "printer": "document", "paper_used": 40} in ops(core)


# -- log export ---------------------------------------------------------------------------------------


def test_redact_masks_id_and_phone_numbers():
    text = "id 320402199001011234 phone 13812345678 ok"
    assert redact(text) == "id 3204**********1234 phone 138****5678 ok"


def test_log_export_redacted_with_manifest(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "kiosk.log").write_text(
        '{"msg": "read 320402199001011234", "name": "张三丰"}\n{"msg": "ok"}\n', encoding="utf-8")
    stick = tmp_path / "stick"
    stick.mkdir()
    result = export_logs(stick, terminal_id="T-0001", sources=[("kiosk.log", logs / "kiosk.log")],
                         extras=[("counters.json", '{"sessions": 3}')],
                         now=datetime(2026, 12, 5, 6, 0, tzinfo=timezone.utc))
    assert result.complete and result.files == ["kiosk.log", "counters.json", MANIFEST]
    text = (result.folder / "kiosk.log").read_text(encoding="utf-8")
    assert "320402199001011234" not in text and "3204**********1234" in text
    assert "张三丰" not in text and "张*丰" in text
    assert verify_export(result.folder) == []
    again = export_logs(stick, terminal_id="T-0001", sources=[], now=datetime(2026, 12, 5, 6, 0,
                                                                               tzinfo=timezone.utc))
    assert again.complete and again.folder != result.folder
    (result.folder / "kiosk.log").write_text("tampered")
    assert verify_export(result.folder) == ["kiosk.log: checksum differs"]


@pytest.mark.allow_error_log
def test_stick_pulled_mid_export_leaves_nothing_claimed_complete(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    for name in ("kiosk.log", "kiosk.log.1"):
        (logs / name).write_text("line\n" * 1000)
    stick = tmp_path / "stick"
    stick.mkdir()
    opened = []

    class Pulled:
        def __init__(self, path):
            self.fh = open(path, "xb")
            self.n = 0
            opened.append(path)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, raw):
            self.n += 1
            if len(opened) == 2 and self.n > 10:  # the stick is pulled in the second file
                raise OSError(5, "Input/output error")
            self.fh.write(raw)

        def flush(self):
            self.fh.flush()

        def fileno(self):
            return self.fh.fileno()

    result = export_logs(stick, terminal_id="T-0001",
                         sources=[("kiosk.log.1", logs / "kiosk.log.1"),
                                  ("kiosk.log", logs / "kiosk.log")], open_file=Pulled)
    assert not result.complete and result.error == "Input/output error"
    names = sorted(p.name for p in result.folder.iterdir())
    assert MANIFEST not in names  # nothing claimed complete
    assert "kiosk.log" not in names and "kiosk.log" + PARTIAL in names
    assert verify_export(result.folder) == ["no manifest: the export is not complete"]


# -- diagnostics against the simulated devices --------------------------------------------------------


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t

    def sleep(self, dt):
        self.t += dt


def _reader(clock):
    from kiosk.devices.idcard import SimulatedIdCardReader

    return SimulatedIdCardReader(clock, read_s=0.8, timeout_s=3.0)


def _card():
    from datetime import date

    from kiosk.devices.idcard import IdCardData

    return IdCardData("320402199001011234", "张三", date(2036, 1, 1))


def test_card_read_test_shows_only_the_masked_number():
    clock = Clock()
    reader = _reader(clock)
    reader.place(_card())
    check = card_read_test(reader, clock=clock, sleep=clock.sleep)
    assert check.level == "ok" and check.params == {"masked": "3204**********1234"}
    assert "320402199001011234" not in repr(check)


@pytest.mark.parametrize("fault,level,code", [("timeout", "error", "timeout"),
                                              ("unreadable", "error", "unreadable"),
                                              ("partial", "warning", "partial")])
def test_card_read_test_failure_modes(fault, level, code):
    clock = Clock()
    reader = _reader(clock)
    reader.fail_next_read(fault)
    reader.place(_card())
    check = card_read_test(reader, clock=clock, sleep=clock.sleep)
    assert (check.level, check.code) == (level, code)


def test_card_read_test_unplugged_and_no_card():
    clock = Clock()
    reader = _reader(clock)
    check = card_read_test(reader, timeout_s=1, clock=clock, sleep=clock.sleep)
    assert (check.level, check.code) == ("warning", "no_card")
    reader.unplug()
    assert card_read_test(reader, clock=clock, sleep=clock.sleep).level == "offline"
    assert card_read_test(None).level == "absent"


def test_scan_touch_speaker_disk_memory(tmp_path):
    assert scan_test("https://zwfw.example.gov.cn/x").params == {"kind": "url", "length": 29}
    assert scan_test("").code == "empty"
    touch = TouchCheck(1080, 1920)
    for x, y in touch.targets:
        touch.tap(x + 3, y - 4)
    assert touch.result().code == "calibrated"
    off = TouchCheck(1080, 1920)
    for x, y in off.targets:
        off.tap(x + 40, y)
    assert off.result().code == "off_target"
    wav = tone_wav(ms=100)
    assert wav[:4] == b"RIFF" and len(wav) == 44 + 2 * 2205
    assert disk_check(tmp_path).level == "ok"
    assert disk_check(tmp_path / "gone").level == "error"
    assert memory_check().params["rss_mb"] > 0
    assert memory_check(meminfo=tmp_path / "none").code == "unknown"


def test_tls_check_without_https_and_unreachable():
    assert tls_check("http://127.0.0.1:1", ca_file=None).code == "no_tls"
    assert tls_check("https://127.0.0.1:1", ca_file=None, timeout_s=0.5).level == "offline"


def test_sync_check_local_connected_offline(core):
    from kiosk.sync.worker import LinkState, SyncStatus

    check = sync_check(core.store, core.outbox, None)
    assert check.params["pending"] >= 0 and "catalog_cursor" in check.params
    last = datetime(2026, 12, 5, 6, 0)
    ok = sync_check(core.store, core.outbox, SyncStatus(LinkState.CONNECTED, last_sync_at=last))
    assert ok.level == "ok" and ok.params["last_push"] == "2026-12-05T06:00:00+00:00"
    assert sync_check(core.store, core.outbox, SyncStatus(LinkState.OFFLINE)).level == "offline"
    assert sync_check(core.store, core.outbox, SyncStatus(LinkState.NOT_ENROLLED)).level == \
        "warning"


# -- printers against the virtual printer ------------------------------------------------------------


@pytest.fixture
def printing_core(make_config, tmp_path):
    from wiring import build_services

    config = make_config(sync={"adapter": "off"},
                         printing={"receipt": {"driver": "virtual"},
                                   "document": {"driver": "virtual",
                                                "folder": str(tmp_path / "a4")}})
    services = build_services(config)
    services.start()
    c = KioskCore(services)
    c.start()
    yield c
    c.close()
    services.close()


def _wait(cond, timeout=10.0) -> bool:
    import time

    end = time.monotonic() + timeout
    while not cond() and time.monotonic() < end:
        time.sleep(0.05)
    return cond()


def _wait_done(core, job, timeout=20.0):
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        time.sleep(0.05)
        with core.store.read() as c:
            row = c.execute("SELECT state FROM print_jobs WHERE id = ?", (job,)).fetchone()
        if row and row[0] in ("done", "failed", "needs_attention"):
            return row[0]
    return None


def test_test_prints_receipt_and_a4_and_counters(printing_core, tmp_path):
    core = printing_core
    check, job = run_test_print(core.printer, "receipt")
    assert check.code == "queued"
    assert _wait_done(core, job) == "done"
    check, job = run_test_print(core.printer, "document")
    assert check.code == "queued"
    assert _wait_done(core, job) == "done"
    assert list((tmp_path / "a4").glob("*.pdf"))
    _wait(lambda: core.counters.values["prints_document"] == 1)
    assert core.counters.values["prints_receipt"] == 1
    assert core.counters.values["prints_document"] == 1
    assert printer_self_test(core.printer, "receipt").level == "ok"


def test_test_print_and_self_test_on_a_printer_out_of_paper(printing_core):
    import time

    core = printing_core
    virtual = core.services.extras["printers"].virtual
    virtual.state = "paper_out"
    core.printer.probe("receipt")
    end = time.monotonic() + 10
    while core.printer.receipt_status().usable and time.monotonic() < end:
        time.sleep(0.05)
    check, job = run_test_print(core.printer, "receipt")
    assert (check.level, check.code, job) == ("error", "paper_out", None)
    assert printer_self_test(core.printer, "receipt").code == "paper_out"
    assert _wait(lambda: core.counters.values["errors"] >= 1)


# -- enrolment against a real backend on loopback ----------------------------------------------------


def test_enrol_and_re_enrol_with_a_one_time_code(core, tmp_path_factory):
    from types import SimpleNamespace

    from backend.db import open_database
    from backend.embedded import EmbeddedBackend
    from backend.seed import DEMO_ENROLMENT_CODE, seed_database
    from kiosk.sync.adapter import HttpAdapter
    from kiosk.sync.worker import SyncWorker

    assert core.maintenance.enrol("X") == (False, "sync_off")
    folder = tmp_path_factory.mktemp("backend")
    url = f"sqlite:///{folder / 'b.sqlite3'}"
    db = open_database(url)
    try:
        seed_database(db, citizens=1, catalog_limit=5)
    finally:
        db.close()
    with EmbeddedBackend(url, admin_token="t-admin") as server:
        adapter = HttpAdapter(server.url)
        worker = SyncWorker(core.store, adapter, core.outbox,
                            terminal_id=core.config.terminal.id)
        # (the frozen Services: the sync service's worker stood in for, with a real adapter)
        object.__setattr__(core.services, "sync", SimpleNamespace(worker=worker, adapter=adapter))
        assert login(core, "1003", TECH_PIN).ok
        core.maintenance.enter()
        assert core.maintenance.enrol("WRONG-CODE") == (False, "enrolment_refused")
        assert core.maintenance.enrol(DEMO_ENROLMENT_CODE) == (True, "")
        assert worker.state.credential()
        # the network diagnostics against the same backend: reachable, clock, no TLS here
        from kiosk.maintenance_checks import backend_checks

        checks = {c.name: c for c in backend_checks(server.url, lambda: HttpAdapter(server.url),
                                                    ca_file=None)}
        assert checks["network"].code == "reachable"
        assert checks["clock"].level == "ok" and abs(checks["clock"].params["offset_s"]) < 5
        assert checks["tls"].code == "no_tls"
        base = server.url
    server_down = core.maintenance.enrol(DEMO_ENROLMENT_CODE)
    down = backend_checks(base, lambda: HttpAdapter(base, timeout=1, connect_timeout=1,
                                                    deadline=2), ca_file=None)
    assert down[0].level == "offline" and down[0].code == "unreachable"
    adapter.close()
    assert server_down == (False, "unreachable")
    records = [d for d in ops(core) if d["op"] == "enrol"]
    assert [(r["ok"], r["re_enrol"]) for r in records] == [(False, False), (True, False),
                                                          (False, True)]
    assert all(DEMO_ENROLMENT_CODE not in str(r) for r in records)
    object.__setattr__(core.services, "sync", None)


def test_an_audit_detail_that_looks_like_an_id_number_is_recorded_without_it(core):
    assert login(core, "1003", TECH_PIN).ok
    core.maintenance.enter()
    core.maintenance.record("config_save", changes={"terminal.place": "320402199001011234"})
    assert ops(core)[-1] == {"op": "config_save", "redacted": True}
