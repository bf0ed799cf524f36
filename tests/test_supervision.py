"""Supervision by systemd (kiosk/supervision.py, wiring.ui.supervise): sd_notify over a real
datagram socket standing in for systemd's NOTIFY_SOCKET."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiosk.supervision import Notifier

ROOT = Path(__file__).resolve().parents[1]


class FakeSystemd:
    """A datagram socket as systemd's notify socket: every message with its arrival time."""

    def __init__(self, path: Path | None = None, abstract: str | None = None):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if abstract:
            self.sock.bind("\0" + abstract)
            self.env_value = "@" + abstract
        else:
            self.sock.bind(str(path))
            self.env_value = str(path)
        self.sock.settimeout(0.1)
        self.messages: list[tuple[float, dict[str, str]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.sock.recv(4096)
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            fields = dict(line.split("=", 1) for line in data.decode().splitlines())
            self.messages.append((time.monotonic(), fields))

    def with_key(self, key: str) -> list[tuple[float, dict[str, str]]]:
        return [(t, m) for t, m in self.messages if key in m]

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def systemd(tmp_path):
    fake = FakeSystemd(tmp_path / "notify")
    yield fake
    fake.close()


def wait_for(predicate, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_without_notify_socket_nothing_is_sent():
    n = Notifier({})
    assert not n.enabled and n.ping_interval_s is None
    assert n.ready("available") is False and n.ping() is False


def test_messages_reach_a_path_and_an_abstract_socket(systemd):
    n = Notifier({"NOTIFY_SOCKET": systemd.env_value, "WATCHDOG_USEC": "30000000"})
    assert n.enabled and n.ping_interval_s == 15
    assert n.ready("available") and n.ping() and n.status("unavailable: printer\nout")
    n.close()
    assert wait_for(lambda: len(systemd.messages) == 3)
    assert [m for _, m in systemd.messages] == [
        {"READY": "1", "STATUS": "available"}, {"WATCHDOG": "1"},
        {"STATUS": "unavailable: printer out"}]
    abstract = FakeSystemd(abstract=f"kiosk-test-{os.getpid()}")
    try:
        n = Notifier({"NOTIFY_SOCKET": abstract.env_value})
        assert n.ready()
        n.close()
        assert wait_for(lambda: abstract.messages)
    finally:
        abstract.close()


def test_a_watchdog_meant_for_another_process_is_not_ours(systemd):
    n = Notifier({"NOTIFY_SOCKET": systemd.env_value, "WATCHDOG_USEC": "1000000",
                  "WATCHDOG_PID": "1"})
    assert n.enabled and n.ping_interval_s is None
    n.close()


@pytest.mark.gui
def test_ready_after_the_window_pings_from_the_ui_thread_and_stop_when_it_blocks(
        kiosk_window, make_config, systemd, qtbot):
    from wiring.ui import supervise

    kiosk = kiosk_window(make_config())
    assert kiosk.window.isVisible()
    notifier = supervise(kiosk, {"NOTIFY_SOCKET": systemd.env_value, "WATCHDOG_USEC": "200000"})
    assert notifier.ping_interval_s == pytest.approx(0.1)
    assert wait_for(lambda: systemd.with_key("READY"))
    assert systemd.with_key("READY")[0][1]["STATUS"] == "available"
    qtbot.wait(1000)  # the event loop runs: about ten pings
    pings = [t for t, _ in systemd.with_key("WATCHDOG")]
    assert 6 <= len(pings) <= 13, len(pings)
    blocked_at = time.monotonic()
    time.sleep(1.0)  # the UI thread blocked (a hung slot): no ping while it is
    released_at = time.monotonic()
    qtbot.wait(300)
    during = [t for t, _ in systemd.with_key("WATCHDOG") if blocked_at + 0.05 < t < released_at]
    assert during == []
    assert any(t > released_at for t, _ in systemd.with_key("WATCHDOG"))  # and resumes
    kiosk.core.begin_session()  # the state travels as STATUS=
    assert wait_for(lambda: any(m.get("STATUS") == "active" for _, m in systemd.messages))


@pytest.mark.gui
def test_kiosk_run_says_ready_only_once_its_home_screen_is_up(tmp_path, systemd):
    """The real command under a fake systemd: READY=1 comes after the window is shown (the
    start-up log line), then WATCHDOG=1 at half of WATCHDOG_USEC; STOPPING=1 on the way out."""
    cfg = tmp_path / "t.toml"
    cfg.write_text(f'[terminal]\nid = "T-SUP"\n[display]\nfullscreen = false\n'
                   f'[paths]\ndata_dir = "{tmp_path / "data"}"\n'
                   '[printing.receipt]\ndriver = "none"\n', encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": systemd.env_value,
           "WATCHDOG_USEC": "400000"}
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "run", "--config", str(cfg)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert wait_for(lambda: len(systemd.with_key("WATCHDOG")) >= 4, timeout=30), \
            systemd.messages
        kinds = [next(iter(m)) for _, m in systemd.messages]
        assert kinds[0] == "READY" and systemd.messages[0][1]["STATUS"] == "available"
        pings = [t for t, _ in systemd.with_key("WATCHDOG")]
        gaps = [b - a for a, b in zip(pings, pings[1:])]
        assert all(0.1 < g < 0.5 for g in gaps), gaps
    finally:
        proc.terminate()  # SIGTERM, as systemd stops a unit: a clean close
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err[-2000:]
    assert wait_for(lambda: systemd.with_key("STOPPING"), timeout=5), err[-2000:]
    assert "signal SIGTERM: closing" in err


def test_the_units_pass_systemd_analyze_verify(tmp_path):
    """Every unit in deploy/ as systemd reads it (the install root replaced by a folder where
    the kiosk's command exists, as the install script would make it)."""
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze: installed by scripts/install-system-deps.sh"
    root = tmp_path / "opt"
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "kiosk").symlink_to(Path(sys.executable).with_name("kiosk"))
    (root / "deploy").symlink_to(ROOT / "deploy")
    units = sorted((ROOT / "deploy" / "systemd").glob("*.service")) + \
        sorted((ROOT / "deploy" / "systemd").glob("*.timer"))
    assert units
    for unit in units:
        text = unit.read_text(encoding="utf-8").replace("/opt/gov-kiosk", str(root))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    r = subprocess.run([analyze, "verify", "--man=no",
                        *[str(tmp_path / u.name) for u in units]],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and not (r.stdout + r.stderr).strip(), r.stdout + r.stderr
