"""Crash handling (kiosk/crash.py, wiring.ui.handle_crashes): a crash is written down without
personal data, the citizen sees the out-of-service screen, the process exits non-zero; a crash
loop stays out of service; a hard crash of the last run is found at the next start."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiosk.crash import CrashRecorder, install, summary

ZHANG = "320402199001011230"  # a demo citizen's ID number: must never reach a crash file


class Clock:
    def __init__(self, t: float = 1_800_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def raise_with_personal_data():
    name = "张三"  # a local holding personal data: never written
    raise ValueError(f"citizen {name} {ZHANG} not found")


def test_a_crash_file_names_the_place_never_the_message_or_data(tmp_path):
    rec = CrashRecorder(tmp_path / "crashes")
    try:
        raise_with_personal_data()
    except ValueError:
        path = rec.record(*sys.exc_info()[::2], thread="MainThread")
    text = path.read_text(encoding="utf-8")
    assert ZHANG not in text and "张三" not in text and "not found" not in text
    entry = json.loads(text)
    assert entry["type"] == "ValueError" and entry["thread"] == "MainThread"
    assert entry["frames"][-1]["function"] == "raise_with_personal_data"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "crashes").stat().st_mode) == 0o700
    s = summary(rec.entries()[0])
    assert s["type"] == "ValueError" and s["where"].startswith("test_crash.py:")


def test_three_crashes_in_ten_minutes_are_a_loop(tmp_path):
    clock = Clock()
    rec = CrashRecorder(tmp_path, clock=clock)
    for _ in range(2):
        rec.record(RuntimeError)
        clock.t += 200
    assert not rec.in_loop()
    rec.record(RuntimeError)
    assert rec.in_loop()
    clock.t += 401  # the first two are older than ten minutes now
    assert not rec.in_loop() and len(rec.recent()) == 1
    assert len(rec.unreported()) == 3
    rec.mark_reported(rec.unreported()[:2])
    assert len(rec.unreported()) == 1


@pytest.mark.allow_error_log
def test_uncaught_exceptions_in_threads_are_recorded_and_reported_once(tmp_path):
    rec = CrashRecorder(tmp_path)
    before = sys.excepthook, threading.excepthook
    calls = []
    restore = install(rec, lambda: calls.append(threading.current_thread().name))
    try:
        for n in range(2):
            t = threading.Thread(target=raise_with_personal_data, name=f"worker-{n}")
            t.start()
            t.join()
    finally:
        restore()
    entries = rec.entries()
    assert [e["thread"] for e in entries] == ["worker-0", "worker-1"]
    assert calls == ["worker-0"]  # the app is told once; the second is only recorded
    assert (sys.excepthook, threading.excepthook) == before


def test_a_hard_crash_of_the_last_run_is_found_at_the_next_start(tmp_path):
    """faulthandler writes the Python stacks of a segfault; the next start makes it a record."""
    folder = tmp_path / "crashes"
    code = ("import sys; sys.path.insert(0, sys.argv[2]);"
            "from kiosk.crash import CrashRecorder;"
            "r = CrashRecorder(sys.argv[1]); r.enable_faulthandler();"
            "import faulthandler; faulthandler._sigsegv()")
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run([sys.executable, "-c", code, str(folder), str(root)],
                       capture_output=True, timeout=60)
    assert r.returncode != 0
    rec = CrashRecorder(folder)
    path = rec.collect_fatal()
    assert path is not None
    entry = json.loads(path.read_text(encoding="utf-8"))
    assert entry["kind"] == "fatal" and "Segmentation fault" in entry["type"]
    assert entry["frames"] and entry["frames"][-1]["file"] == "<string>"
    assert rec.collect_fatal() is None  # emptied: not counted twice


@pytest.mark.gui
@pytest.mark.allow_error_log
def test_an_exception_in_a_slot_shows_out_of_service_and_exits_non_zero(
        kiosk_window, make_config, qtbot):
    from kiosk.navigation import Screen
    from screens.qt import QTimer
    from wiring.ui import EXIT_CRASH, handle_crashes

    kiosk = kiosk_window(make_config())
    exits = []
    rec = handle_crashes(kiosk, exit=exits.append, screen_s=0.2)
    try:
        kiosk.core.begin_session()
        QTimer.singleShot(0, raise_with_personal_data)  # a slot that raises
        qtbot.waitUntil(lambda: exits == [EXIT_CRASH], timeout=5000)
        assert kiosk.core.navigator.current.screen == Screen.OUT_OF_SERVICE
        assert kiosk.core.out_of_service.reason == "crash"
        assert kiosk.core.session.started is False
        assert len(rec.entries()) == 1
    finally:
        rec.restore()
        rec.close()


@pytest.mark.gui
@pytest.mark.allow_error_log
def test_a_crash_loop_stays_out_of_service_instead_of_flapping(kiosk_window, make_config,
                                                              qtbot, tmp_path):
    from kiosk.navigation import Screen
    from wiring.ui import handle_crashes

    config = make_config()
    folder = Path(config.paths.data_dir) / "crashes"
    rec = CrashRecorder(folder)
    for _ in range(3):
        rec.record(RuntimeError)
    kiosk = kiosk_window(config)
    exits = []
    rec = handle_crashes(kiosk, exit=exits.append, screen_s=0.1)
    try:
        assert kiosk.core.out_of_service.reason == "crash_loop"
        assert kiosk.core.navigator.current.screen == Screen.OUT_OF_SERVICE
        kiosk.services.events.flush()  # the three crashes go to the backend (no message)
        assert kiosk.services.outbox.pending_count() == 3 and not rec.unreported()
        t = threading.Thread(target=raise_with_personal_data, name="sync")
        t.start()
        t.join()
        qtbot.wait(400)
        assert exits == []  # stays: a technician is needed
        kiosk.core.begin_session()  # a touch does nothing
        assert kiosk.core.navigator.current.screen == Screen.OUT_OF_SERVICE
    finally:
        rec.restore()
        rec.close()


@pytest.mark.gui
@pytest.mark.allow_error_log
def test_a_crash_soon_after_a_pushed_profile_rolls_it_back_and_restarts_instead_of_looping(
        kiosk_window, make_config, qtbot):
    """Two crashes already in ten minutes, then a pushed profile comes up and the kiosk
    crashes a third time: not a crash loop on the pushed settings: they are rolled back, the
    fleet hears failed with why, and the kiosk exits to restart on the previous settings
    (decision 0036)."""
    from kiosk.config_update import PushedConfig, load_terminal_config
    from screens.qt import QTimer
    from wiring.ui import EXIT_CRASH, handle_crashes, pushed_settings_up

    data = Path(make_config().paths.data_dir)
    cfg = data.parent / "t.toml"
    cfg.write_text(f'[paths]\ndata_dir = "{data}"\n', encoding="utf-8")
    config = load_terminal_config(cfg)
    PushedConfig(data).accept(config, {"session": {"idle_timeout_s": 200}}, 41)
    assert PushedConfig(data).settle(cfg) == "trying"  # the restart that applies it
    rec = CrashRecorder(data / "crashes")
    for _ in range(2):
        rec.record(RuntimeError)
    kiosk = kiosk_window(make_config())
    pushed = kiosk.services.extras["pushed_config"]
    assert pushed.dir == data
    exits = []
    rec = handle_crashes(kiosk, exit=exits.append, screen_s=0.1)
    try:
        pushed_settings_up(kiosk)  # up: applied (on probation)
        assert [(o["id"], o["stage"]) for o in pushed.results()] == [(41, "applied")]
        QTimer.singleShot(0, raise_with_personal_data)
        qtbot.waitUntil(lambda: exits == [EXIT_CRASH], timeout=5000)
        assert kiosk.core.out_of_service.reason == "crash"  # not crash_loop: it restarts
        [outcome] = pushed.results()
        assert outcome["id"] == 41 and not outcome["ok"] and "crashed" in outcome["message"]
        assert not (data / "backend-config.toml").exists()  # there was none before
        assert load_terminal_config(cfg).session.idle_timeout_s != 200
    finally:
        rec.restore()
        rec.close()
