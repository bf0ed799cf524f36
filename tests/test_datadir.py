"""The data folder is private to the kiosk's user: folders 0700, files 0600, whatever the umask
of the process (the tests run with 022, the usual default), and a folder an older kiosk left
readable is tightened at start."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from kiosk import datadir
from kiosk.app import KioskCore
from kiosk.config_update import apply_config_update, load_terminal_config, overlay_path
from kiosk.flows.problem_report import FileCounter
from kiosk.log import add_file_log
from printing.virtual_a4 import FolderDriver

ROOT = Path(__file__).resolve().parents[1]


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def readable_by_others(folder: Path) -> list[str]:
    """Entries under `folder` with any group or other permission bit (links left out)."""
    out = []
    for root, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            p = Path(root, name)
            if not p.is_symlink() and mode(p) & 0o077:
                out.append(f"{p.relative_to(folder)} {oct(mode(p))}")
    return out


@pytest.fixture(autouse=True)
def usual_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def file_log():
    """add_file_log's handler, taken off the root logger again at the end."""
    before = set(logging.getLogger().handlers)
    yield add_file_log
    for h in set(logging.getLogger().handlers) - before:
        logging.getLogger().removeHandler(h)
        h.close()


def start_core(config) -> KioskCore:
    """The core over the services the composition root builds from the config."""
    from wiring import build_services

    core = KioskCore(build_services(config))
    core.start()
    return core


def test_a_new_data_folder_and_what_the_kiosk_writes_there_are_private(
        make_config, small_catalog_file, file_log):
    core = start_core(make_config(small_catalog_file))
    try:
        data = core.data_dir
        assert core.out_of_service is None
        assert mode(data) == 0o700
        db = data / "kiosk.sqlite3"
        sides = [db.with_name(db.name + s) for s in ("-wal", "-shm")]
        assert db.exists() and any(s.exists() for s in sides)  # WAL: the files SQLite adds
        for f in (db, *[s for s in sides if s.exists()]):
            assert mode(f) == 0o600, f
        # The problem-ticket counter, replaced at each ticket.
        FileCounter(data / "problem-tickets.json").next(date(2026, 1, 5))
        assert mode(data / "problem-tickets.json") == 0o600
        # Logs, the current file and the next one after a rotation.
        file_log(data / "logs")
        [handler] = [h for h in logging.getLogger().handlers
                     if isinstance(h, logging.handlers.RotatingFileHandler)]
        logging.getLogger("kiosk.test").warning("a line for the log file")
        handler.doRollover()
        assert mode(data / "logs") == 0o700
        assert mode(data / "logs" / "kiosk.log") == mode(data / "logs" / "kiosk.log.1") == 0o600
        # The virtual A4 printer's PDFs (personal data: certificates).
        printer = FolderDriver("document", data / "printed")
        assert printer.status().level == "ok"
        printer.print_job(b"%PDF-1.4 a certificate")
        [pdf] = (data / "printed").glob("*.pdf")
        assert mode(data / "printed") == 0o700 and mode(pdf) == 0o600
        assert readable_by_others(data) == []
    finally:
        core.close()
        core.services.close()


def test_settings_pushed_by_the_backend_are_kept_private(tmp_path):
    cfg_file = tmp_path / "t.toml"
    cfg_file.write_text(f'[terminal]\nid = "T-1"\n[paths]\ndata_dir = "{tmp_path / "data"}"\n',
                        encoding="utf-8")
    config = load_terminal_config(cfg_file)
    apply_config_update(config, {"session": {"idle_timeout_s": 90}})
    overlay = overlay_path(config)
    assert mode(overlay) == 0o600 and mode(overlay.parent) == 0o700
    kept = sorted(overlay.parent.iterdir())
    assert overlay in kept and not [p for p in kept if p.suffix == ".tmp"]  # no temporary left
    assert {p.name: mode(p) for p in kept} == {p.name: 0o600 for p in kept}  # the push's record too


def test_a_folder_left_readable_by_an_older_kiosk_is_tightened_at_start(
        make_config, small_catalog_file, tmp_path):
    config = make_config(small_catalog_file)
    data = Path(config.paths.data_dir)
    for sub in ("logs", "printed", "cache", "backend"):
        (data / sub).mkdir(parents=True, mode=0o755)
    os.chmod(data, 0o755)
    files = ["logs/kiosk.log", "printed/job-1.pdf", "cache/capabilities.pickle",
             "backend/backend.sqlite3", "problem-tickets.json", "backend-config.toml"]
    for name in files:
        (data / name).write_bytes(b"x")
        os.chmod(data / name, 0o644)
    os.chmod(data / "cache" / "capabilities.pickle", 0o666)
    outside = tmp_path / "elsewhere.txt"  # a link to a file outside: not followed
    outside.write_text("not the kiosk's")
    os.chmod(outside, 0o644)
    (data / "link").symlink_to(outside)
    assert readable_by_others(data)
    core = start_core(config)
    core.close()
    core.services.close()
    assert mode(data) == 0o700
    assert readable_by_others(data) == []
    assert all(mode(data / name) == 0o600 for name in files)
    assert mode(outside) == 0o644


def test_secure_data_dir_reports_and_never_raises(tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert datadir.secure_data_dir(blocker / "data") == 0  # cannot be created: logged only
    assert "cannot be made private" in caplog.text
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    (folder / "f").write_text("x")
    assert datadir.secure_data_dir(folder) == 1 and datadir.secure_data_dir(folder) == 0


def test_write_private_replaces_atomically_with_mode_0600(tmp_path):
    target = tmp_path / "secret"
    target.write_text("old")
    os.chmod(target, 0o644)
    datadir.write_private(target, "new")
    assert target.read_text() == "new" and mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret"]


def test_the_kiosk_process_and_its_systemd_unit_use_umask_0077(monkeypatch, tmp_path):
    unit = (ROOT / "deploy" / "systemd" / "gov-kiosk.service").read_text(encoding="utf-8")
    service = unit.split("[Service]", 1)[1].split("\n[", 1)[0]
    assert "\nUMask=0077\n" in service
    # `kiosk run` and `kiosk demo` set the same mask before anything is created.
    import screens.main
    import wiring.ui
    from wiring import cli

    seen = {}

    def run_kiosk(config, **_kw):
        seen["umask"] = os.umask(0o077)
        return 0

    monkeypatch.setattr(wiring.ui, "run", run_kiosk)
    monkeypatch.setattr(screens.main, "exit_process", lambda code: None)
    monkeypatch.setattr("kiosk.log.setup_logging", lambda **_kw: None)
    cfg = tmp_path / "t.toml"
    cfg.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    args = argparse.Namespace(config=str(cfg), log_json=False, tour=None, quit_when_ready=True,
                              orientation=None)
    assert cli.cmd_run(args, demo=False) == 0
    assert seen["umask"] == 0o077


def test_a_shared_folder_the_kiosk_cannot_change_is_used_with_a_warning(tmp_path, monkeypatch,
                                                                         caplog):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o770)
    os.chmod(folder, 0o770)

    def not_owner(path, mode_):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(datadir.os, "chmod", not_owner)
    assert datadir.private_dir(folder) == folder  # no exception: the store still opens
    assert "is not the kiosk user's" in caplog.text
