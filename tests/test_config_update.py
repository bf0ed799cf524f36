"""Settings pushed by the backend: validated whole, kept apart, laid over the file at start."""

from __future__ import annotations

import pytest

from kiosk.config import ConfigError
from kiosk.config_update import apply_config_update, load_terminal_config, overlay_path


@pytest.fixture
def config_file(tmp_path):
    p = tmp_path / "t.toml"
    p.write_text(f'[terminal]\nid = "T-1"\n[paths]\ndata_dir = "{tmp_path / "data"}"\n'
                 '[session]\nidle_timeout_s = 60\n', encoding="utf-8")
    return p


def test_update_is_kept_and_laid_over_the_file(config_file):
    cfg = load_terminal_config(config_file)
    new = apply_config_update(cfg, {"session": {"idle_timeout_s": 90}, "attract": {"rotate_s": 8}})
    assert new.session.idle_timeout_s == 90
    again = load_terminal_config(config_file)
    assert (again.session.idle_timeout_s, again.attract.rotate_s, again.terminal.id) == (90, 8, "T-1")
    assert "idle_timeout_s = 60" in config_file.read_text(encoding="utf-8")  # file untouched
    # A second push adds to the first.
    apply_config_update(again, {"attract": {"rotate_s": 9}})
    assert load_terminal_config(config_file).session.idle_timeout_s == 90


def test_invalid_update_changes_nothing(config_file):
    cfg = load_terminal_config(config_file)
    with pytest.raises(ConfigError, match="session.idle_timeout_s"):
        apply_config_update(cfg, {"session": {"idle_timeout_s": 1}})
    with pytest.raises(ConfigError, match="paths"):
        apply_config_update(cfg, {"paths": {"data_dir": "/"}})
    assert not overlay_path(cfg).exists()


@pytest.mark.allow_error_log
def test_broken_overlay_is_ignored(config_file):
    cfg = load_terminal_config(config_file)
    overlay_path(cfg).parent.mkdir(parents=True)
    overlay_path(cfg).write_text("[session\n", encoding="utf-8")
    assert load_terminal_config(config_file).session.idle_timeout_s == 60


@pytest.mark.gui
@pytest.mark.allow_error_log
def test_kiosk_run_rolls_back_a_push_it_did_not_come_up_with(config_file, tmp_path):
    """The real command: a push was accepted and a start with it never came up (killed on
    the way): `kiosk demo` settles it before it reads its settings — the earlier overlay back,
    the command reported failed with why (decision 0036)."""
    import json
    import os
    import subprocess
    import sys

    import protocol
    from kiosk.config_update import PushedConfig

    data = tmp_path / "data"
    cfg = load_terminal_config(config_file)
    PushedConfig(data).accept(cfg, {"session": {"idle_timeout_s": 90}}, 5)
    assert PushedConfig(data).settle(config_file) == "trying" and PushedConfig(data).started()
    PushedConfig(data).sent([5])  # 5 applied and reported
    PushedConfig(data).accept(load_terminal_config(config_file),
                              {"session": {"idle_timeout_s": 300}}, 6)
    assert PushedConfig(data).settle(config_file) == "trying"  # ... and killed on the way up
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, "-m", "kiosk", "demo", "--quit-when-ready",
                        "--config", str(config_file)], capture_output=True, text=True,
                       timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    assert load_terminal_config(config_file).session.idle_timeout_s == 90
    outcomes = json.loads((data / "backend-config.outcomes.json").read_text(encoding="utf-8"))
    assert [(o["id"], o["ok"]) for o in outcomes] == [(6, False)]
    assert "did not come up" in outcomes[0]["message"]
    assert PushedConfig(data).config_hash() == protocol.profile_hash(
        {"session": {"idle_timeout_s": 90}})
