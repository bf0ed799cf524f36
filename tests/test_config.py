"""Config validation: each kind of bad input names the key and what is wrong."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk.config import ConfigError, documented_options, load_config
from kiosk.paths import CONFIG_DIR

ROOT = Path(__file__).resolve().parent.parent


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
    """Every option of the schema has a description and is in terminal.example.toml under its
    own section (the full dotted key: printing.receipt.timeout_s is not sync.timeout_s), with
    its default as the value, as the file's header promises."""
    opts = documented_options()
    assert len(opts) >= 15
    assert all(desc for _k, desc, _d in opts)
    example = tomllib.loads((CONFIG_DIR / "terminal.example.toml").read_text(encoding="utf-8"))
    for key, _desc, default in opts:
        assert _lookup(example, key) == default, f"{key} missing from terminal.example.toml " \
                                                 "or not shown with its default"


_MISSING = object()


def _lookup(table: dict, dotted: str):
    for part in dotted.split("."):
        if not isinstance(table, dict) or part not in table:
            return _MISSING
        table = table[part]
    return table


def test_the_example_lookup_wants_the_section_too():
    example = {"sync": {"timeout_s": 20}, "printing": {"receipt": {"paper_mm": 80}}}
    assert _lookup(example, "sync.timeout_s") == 20
    assert _lookup(example, "printing.receipt.timeout_s") is _MISSING  # same key, other section
    assert _lookup(example, "printing.receipt.paper_mm") == 80


# Where the code reads the config. The composition root (wiring/) reads most of it.
READERS = ("kiosk", "screens", "printing", "wiring")


def _sources() -> dict[str, str]:
    out = {}
    for folder in READERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel != "kiosk/config.py":  # the schema itself, its validators included
                out[rel] = path.read_text(encoding="utf-8")
    return out


def unread_options(options: list[str], sources: dict[str, str]) -> list[str]:
    """The dotted keys nothing reads: neither the attribute chain `.<section>.<key>` appears in
    any source, nor, in one file, the section (`rc = config.printing.receipt`) and `.<key>`."""
    unread = []
    for dotted in options:
        *sections, key = dotted.split(".")
        section = sections[-1]
        chain = re.compile(rf"\.{section}\.{key}\b")
        in_section = re.compile(rf"\.{section}\b")
        attribute = re.compile(rf"\.{key}\b")
        if not any(chain.search(text) or (in_section.search(text) and attribute.search(text))
                   for text in sources.values()):
            unread.append(dotted)
    return unread


def test_every_option_is_read_somewhere():
    """An option nothing reads is a promise the kiosk does not keep: wire it or remove it."""
    assert unread_options([k for k, _d, _v in documented_options()], _sources()) == []


def test_an_unused_option_is_detected():
    sources = {"printing/factory.py": "rc = config.printing.receipt\nPrinter(rc.host)\n",
               "kiosk/app.py": "t = config.session.idle_timeout_s\n"}
    options = ["printing.receipt.host", "session.idle_timeout_s",
               "printing.receipt.profile",  # nothing reads it
               "session.host"]  # `.host` is read, but in another section's context
    assert unread_options(options, sources) == ["printing.receipt.profile", "session.host"]


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


# -- the config cache (kiosk.config_cache, docs/decisions/0038) ------------------------------

_CACHED_START = """
import sys
from kiosk.config import load_config
config = load_config(sys.argv[1], cached=True)
print(config.session.idle_timeout_s, config.display.orientation.value, "pydantic" in sys.modules)
"""


def _cached_start(path, cache_dir):
    import os

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_dir),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    env.pop("CACHE_DIRECTORY", None)
    done = subprocess.run([sys.executable, "-c", _CACHED_START, str(path)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout.split(), done.stderr


def test_a_start_reads_validated_settings_back_without_pydantic(tmp_path):
    path = tmp_path / "terminal.toml"
    path.write_text('[session]\nidle_timeout_s = 90\n[display]\norientation = "landscape"\n',
                    encoding="utf-8")
    assert _cached_start(path, tmp_path / "cache")[:2] == (0, ["90", "landscape", "True"])
    # the second start: the same file, the same schema: read back, pydantic never imported
    assert _cached_start(path, tmp_path / "cache")[:2] == (0, ["90", "landscape", "False"])
    # a changed file is validated again, and its mistakes reported as always
    path.write_text("[session]\nidle_timeout_s = 5\n", encoding="utf-8")
    code, _out, err = _cached_start(path, tmp_path / "cache")
    assert code != 0 and "key 'session.idle_timeout_s': must be >= 15 (got 5)" in err


def test_the_cache_gives_what_validation_gives(tmp_path, monkeypatch):
    from kiosk import config_cache
    from kiosk.paths import DEMO_CONFIG

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("CACHE_DIRECTORY", raising=False)
    for path in (DEMO_CONFIG, Path(__file__).resolve().parents[1] / "config" /
                 "terminal.example.toml"):
        fresh = load_config(path)
        assert load_config(path, cached=True) == fresh  # validated, written
        assert load_config(path, cached=True) == fresh  # read back
        files = list(config_cache.folder().glob("config-*.json"))
        assert files and all(f.stat().st_size > 1000 for f in files)


def test_a_broken_or_foreign_cache_file_is_validated_again(tmp_path, monkeypatch, caplog):
    import json

    from kiosk import config_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("CACHE_DIRECTORY", raising=False)
    path = tmp_path / "terminal.toml"
    path.write_text("[session]\nidle_timeout_s = 90\n", encoding="utf-8")
    good = load_config(path, cached=True)
    (cache_file,) = config_cache.folder().glob("config-*.json")
    stored = json.loads(cache_file.read_text(encoding="utf-8"))

    cache_file.write_bytes(b"\x00{not json")  # a torn write, a full disk
    assert load_config(path, cached=True) == good
    # another schema's or another file's result (a key that is not this one) is not used, even
    # when its values are well-formed
    stored["key"] = "0" * 64
    stored["config"]["session"]["idle_timeout_s"] = 5
    cache_file.write_text(json.dumps(stored), encoding="utf-8")
    assert load_config(path, cached=True).session.idle_timeout_s == 90
    # the right key over a shape that is not the schema's: a miss, validated again
    stored = json.loads(cache_file.read_text(encoding="utf-8"))
    del stored["config"]["session"]
    cache_file.write_text(json.dumps(stored), encoding="utf-8")
    assert load_config(path, cached=True) == good
    assert "unusable" in caplog.text


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("CACHE_DIRECTORY", str(blocked / "cache"))  # under a file: cannot exist
    path = tmp_path / "terminal.toml"
    path.write_text("[session]\nidle_timeout_s = 90\n", encoding="utf-8")
    assert load_config(path, cached=True).session.idle_timeout_s == 90
    assert load_config(path, cached=True).session.idle_timeout_s == 90


def test_a_terminal_with_pushed_settings_reads_both_of_its_results_back(tmp_path, monkeypatch):
    # kiosk run reads the technician's file (to settle the overlay), then the file with the
    # overlay laid over it: both are kept, neither pushes the other out, older ones go
    from kiosk import config_cache
    from kiosk.config import parse_config

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("CACHE_DIRECTORY", raising=False)
    source = str(tmp_path / "terminal.toml")
    own = {"session": {"idle_timeout_s": 90}}
    pushed = {"session": {"idle_timeout_s": 120}}
    for data in (own, pushed):
        parse_config(data, source, cached=True)
    written = {f.name: f.stat().st_mtime_ns for f in config_cache.folder().glob("config-*.json")}
    assert len(written) == 2
    for data, expected in ((own, 90), (pushed, 120)):
        assert parse_config(data, source, cached=True).session.idle_timeout_s == expected
    assert {f.name: f.stat().st_mtime_ns
            for f in config_cache.folder().glob("config-*.json")} == written  # read, not rewritten
    parse_config({"session": {"idle_timeout_s": 150}}, source, cached=True)
    assert len(list(config_cache.folder().glob("config-*.json"))) == config_cache.KEEP
