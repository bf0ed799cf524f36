"""End to end: the real `kiosk` command in a subprocess, as a technician or CI runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import zxingcpp
from PIL import Image

pytestmark = pytest.mark.gui


def run_kiosk(*args, tmp_path, timeout=120):
    cfg = tmp_path / "t.toml"
    cfg.write_text(f'[paths]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "kiosk", *args, "--config", str(cfg)],
                          capture_output=True, text=True, timeout=timeout, env=env)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_tour_reaches_every_screen(tmp_path, artifacts, orientation):
    out = artifacts / f"tour-{orientation}"
    speech = ["--speech"] if orientation == "portrait" else []  # one tour also speaks
    r = run_kiosk("demo", "--tour", str(out), "--orientation", orientation, *speech,
                  tmp_path=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "tour passed" in r.stdout
    shots = sorted(out.glob("*.png"))
    assert len(shots) >= 20
    with Image.open(shots[0]) as img:
        size = img.size
    assert size == ((1080, 1920) if orientation == "portrait" else (1920, 1080))
    guide = next(p for p in shots if p.name.endswith("guide-from-search.png"))
    with Image.open(guide) as img:
        (qr,) = zxingcpp.read_barcodes(img)
    assert qr.text.startswith("https://zwfw.example.gov.cn/guide/RS-")
    assert "Traceback" not in r.stderr
    if speech:  # each step's spoken prompt, a real WAV from espeak-ng (docs/decisions/0031)
        import shutil
        import wave

        if shutil.which("espeak-ng") is None:
            pytest.skip("espeak-ng not installed")
        wavs = {p.stem for p in (out / "speech").glob("*.wav")}
        assert len(wavs) >= 10
        # each step that reaches a new screen said its prompt; typed letters are echoed
        assert {"02-home", "03-search-open", "04-search-sbcb", "07-department",
                "14-home-english", "20-countdown"} <= wavs
        with wave.open(str(out / "speech" / "02-home.wav")) as w:
            frames = w.readframes(w.getnframes())
            assert 1.0 < w.getnframes() / w.getframerate() < 15
        assert any(frames[i] for i in range(0, len(frames), 2))


def test_quit_when_ready(tmp_path):
    r = run_kiosk("demo", "--quit-when-ready", tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "ready: home screen interactive" in r.stdout


def test_quit_when_ready_out_of_service(tmp_path):
    """A store written by a newer kiosk (never thrown away, unlike a damaged one): out of
    service, said in one line."""
    import sqlite3

    (tmp_path / "data").mkdir()
    with sqlite3.connect(tmp_path / "data" / "kiosk.sqlite3") as con:
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        con.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    r = run_kiosk("demo", "--quit-when-ready", tmp_path=tmp_path)
    assert r.returncode == 1
    assert "out of service (store_too_new)" in r.stderr and "Traceback" not in r.stderr


def test_cli_search_and_stats_on_the_shipped_catalog(tmp_path):
    r = run_kiosk("catalog", "search", "sbcb", "--json", tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)
    assert hits[0]["name"].startswith("社会保险参保证明")
    assert {"id", "name", "department", "url"} <= set(hits[0])
    r = run_kiosk("catalog", "stats", "--json", tmp_path=tmp_path)
    stats = json.loads(r.stdout)
    assert stats["items"] >= 10_000 and stats["departments"] >= 12
    assert stats["guides"] == stats["items"]


def test_startup_never_loads_a_pinyin_dictionary(tmp_path):
    code = (
        "import sys\n"
        "from kiosk.config import parse_config\n"
        "from screens.main import make_application\n"
        "from wiring.ui import build_kiosk\n"
        f"config = parse_config({{'paths': {{'data_dir': {str(tmp_path / 'd')!r}}}}}, '<t>')\n"
        "app = make_application()\n"
        "kiosk = build_kiosk(config)\n"
        "core = kiosk.core\n"
        "core.begin_session()\n"
        "assert core.search('sbcb').hits\n"
        "print('pypinyin' in sys.modules)\n"
        "kiosk.close()\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "False"
