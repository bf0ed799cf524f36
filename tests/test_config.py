"""Config validation: each kind of bad input names the key and what is wrong."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.config import ConfigError, documented_options, load_config
from kiosk.paths import CONFIG_DIR


def write(tmp_path, text: str):
    p = tmp_path / "t.toml"
    p.write_text(text, encoding="utf-8")
    return p


def problems(tmp_path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as exc:
        load_config(write(tmp_path, text))
    return exc.value.problems


def test_shipped_configs_are_valid():
    for name in ("demo.toml", "terminal.example.toml"):
        cfg = load_config(CONFIG_DIR / name)
        assert cfg.terminal.id


def test_empty_file_gives_defaults(tmp_path):
    cfg = load_config(write(tmp_path, ""))
    assert cfg.session.idle_timeout_s == 60
    assert cfg.language.default == "zh_CN"


def test_unknown_key(tmp_path):
    (line,) = problems(tmp_path, "[session]\nidle_timeout = 30\n")
    assert "session.idle_timeout" in line and "unknown key" in line


def test_unknown_section(tmp_path):
    (line,) = problems(tmp_path, "[printer]\nname = 'x'\n")
    assert "'printer'" in line and "unknown key" in line


def test_wrong_type(tmp_path):
    (line,) = problems(tmp_path, "[session]\nidle_timeout_s = 'sixty'\n")
    assert "session.idle_timeout_s" in line and "wrong type" in line


def test_out_of_range_both_ends(tmp_path):
    low = problems(tmp_path, "[session]\nidle_timeout_s = 5\n")
    assert low == [f"{tmp_path / 't.toml'}: key 'session.idle_timeout_s': must be >= 15 (got 5)"]
    (high,) = problems(tmp_path, "[session]\ncountdown_s = 600\n")
    assert "must be <= 60" in high


def test_bad_enum_and_pattern(tmp_path):
    lines = problems(tmp_path, "[display]\norientation = 'diagonal'\n[terminal]\nid = 'a b'\n")
    assert any("display.orientation" in x and "portrait" in x for x in lines)
    assert any("terminal.id" in x for x in lines)


def test_language_rules(tmp_path):
    (line,) = problems(tmp_path, "[language]\ndefault = 'fr'\navailable = ['fr']\n")[:1]
    assert "language" in line and "fr" in line
    (line,) = problems(tmp_path, "[language]\ndefault = 'en'\navailable = ['zh_CN']\n")
    assert "not in available" in line


def test_several_problems_one_line_each(tmp_path):
    lines = problems(tmp_path, "[session]\nidle_timeout_s = 1\ncountdown_s = 1\nfoo = 2\n")
    assert len(lines) == 3


def test_not_toml_and_not_utf8_and_missing(tmp_path):
    (line,) = problems(tmp_path, "[session\n")
    assert "not valid TOML" in line
    p = tmp_path / "bin.toml"
    p.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(p)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.toml")


def test_every_option_is_documented():
    opts = documented_options()
    assert len(opts) >= 15
    assert all(desc for _k, desc, _d in opts)
    example = (CONFIG_DIR / "terminal.example.toml").read_text(encoding="utf-8")
    for key, _desc, _default in opts:
        assert f"\n{key.rsplit('.', 1)[1]} = " in example, f"{key} missing from terminal.example.toml"


def test_cli_validate_exit_codes(tmp_path):
    good = subprocess.run([sys.executable, "-m", "kiosk", "config", "validate",
                           str(CONFIG_DIR / "demo.toml")], capture_output=True, text=True)
    assert good.returncode == 0
    bad = subprocess.run([sys.executable, "-m", "kiosk", "config", "validate",
                          str(write(tmp_path, "[session]\nidle_timeout_s = 5\nx = 1\n"))],
                         capture_output=True, text=True)
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 2
    assert "Traceback" not in bad.stderr


def test_kiosk_refuses_to_start_on_invalid_config(tmp_path):
    r = subprocess.run([sys.executable, "-m", "kiosk", "run", "--config",
                        str(write(tmp_path, "[display]\norientation = 1\n")), "--quit-when-ready"],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "display.orientation" in r.stderr and "Traceback" not in r.stderr


def test_printer_options(tmp_path):
    (line,) = problems(tmp_path, "[printing.receipt]\npaper_mm = 76\n")
    assert "printing.receipt.paper_mm" in line and "58 or 80" in line
    (line,) = problems(tmp_path, "[printing.receipt]\ndriver = 'bluetooth'\n")
    assert "printing.receipt.driver" in line
    cfg = load_config(write(tmp_path, "[printing.document]\ndriver = 'cups'\ncups_queue = 'A4'\n"))
    assert cfg.printing.document.cups_queue == "A4" and cfg.printing.receipt.driver == "virtual"
