"""What the kiosk loads on its way to the home screen (issue 14: start-up).

The home screen needs Qt, the config, the store and the catalog. Printing (ReportLab, Pillow,
qrcode, python-escpos), SQLAlchemy and Alembic (an up-to-date store opens with sqlite3), the
HTTP client and the backend load later, when something needs them; pypinyin never loads in the
kiosk at all. pydantic loads with the first message to or from the backend (sync), and to
validate settings the config cache does not hold (kiosk.config_cache). A module that slips back
into the start-up path fails this test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from printing.escpos_text import PROFILE_58MM, PROFILE_80MM
from printing.factory import LazyPaperProfile, profile_for

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[1]
NOT_AT_START = {"sqlalchemy", "alembic", "reportlab", "PIL", "escpos", "qrcode", "barcode",
                "yaml", "httpx", "fastapi", "uvicorn", "pypinyin", "backend",
                # the config read back from its cache, the protocol's vocabulary only (0038)
                "pydantic", "pydantic_core"}

# Runs the real start (`kiosk demo --quit-when-ready`) and, when the process leaves, writes the
# top-level packages it had imported.
_PROBE = """
import json, os, sys
import wiring.cli, screens.main
out = sys.argv[1]
def leave(code):
    with open(out, "w") as fh:
        json.dump({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules}),
                   "qt_quick": "libQt6Quick" in open("/proc/self/maps").read()}, fh)
    os._exit(code)
screens.main.exit_process = leave
wiring.cli.main(sys.argv[2:])
"""


def _start(tmp_path: Path, config: Path) -> dict:
    out = tmp_path / "modules.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    subprocess.run([sys.executable, "-c", _PROBE, str(out), "demo", "--quit-when-ready",
                    "--config", str(config)], cwd=ROOT, env=env, check=True, timeout=120,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_home_screen_loads_no_printing_orm_or_http_stack(tmp_path):
    import tomllib

    demo = tomllib.loads((ROOT / "config" / "demo.toml").read_text(encoding="utf-8"))
    lines = [f'[paths]\ndata_dir = "{tmp_path / "data"}"']
    for section in ("printing.receipt", "printing.document", "devices"):
        head, _, tail = section.partition(".")
        body = demo[head][tail] if tail else demo[head]
        lines.append(f"[{section}]\n" + "\n".join(f"{k} = {json.dumps(v)}" for k, v in body.items()))
    config = tmp_path / "terminal.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = _start(tmp_path, config)  # a new data dir: migrations and the catalog import
    assert first["code"] == 0
    again = _start(tmp_path, config)  # what every later start does
    assert again["code"] == 0
    loaded = NOT_AT_START & set(again["modules"])
    assert not loaded, f"loaded on the way to the home screen: {sorted(loaded)}"
    assert "pypinyin" not in first["modules"]
    assert "pydantic" in first["modules"]  # a first start validates its settings
    # no Qt Quick/QML: Chinese input is plain widgets, not the Qt Virtual Keyboard (0035)
    assert not again["qt_quick"]


def test_lazy_paper_profile_is_the_profile():
    p80, p58 = profile_for(80), profile_for(58)
    assert isinstance(p80, LazyPaperProfile)
    assert p80 == PROFILE_80MM and p58 == PROFILE_58MM and p80 != p58
    assert hash(p80) == hash(PROFILE_80MM)
    assert (p80.width_dots, p80.columns) == (PROFILE_80MM.width_dots, PROFILE_80MM.columns)
    assert p58.escpos_profile().profile_data["media"]["width"]["pixels"] == p58.width_dots


# Runs the demo terminal (`kiosk demo`: sync over HTTP to the demo backend, its own process) until
# its adapter has finished one exchange with the backend, then writes every module imported.
_SYNC_PROBE = """
import json, os, sys, threading
import wiring.cli
import kiosk.sync.adapter as adapter
exchanged = threading.Event()
send = adapter.HttpAdapter._send
def counted(self, *args, **kwargs):
    answer = send(self, *args, **kwargs)
    exchanged.set()
    return answer
adapter.HttpAdapter._send = counted
def watch():
    done = exchanged.wait(90)
    with open(sys.argv[1], "w") as fh:
        json.dump({"exchanged": done, "modules": sorted(sys.modules)}, fh)
    os._exit(0)  # the demo backend leaves with its parent
threading.Thread(target=watch, daemon=True).start()
wiring.cli.main(sys.argv[2:])
"""


def test_a_syncing_kiosk_has_no_httpx_httpcore_or_h11(tmp_path):
    """The link is the standard library's http.client (decision 0035): a terminal that has
    talked to its backend has not imported the HTTP stack the backend and the tests use."""
    import tomllib

    demo = tomllib.loads((ROOT / "config" / "demo.toml").read_text(encoding="utf-8"))
    lines = [f'[paths]\ndata_dir = "{tmp_path / "data"}"', '[sync]\nadapter = "embedded"']
    for section in ("printing.receipt", "printing.document", "devices"):
        head, _, tail = section.partition(".")
        body = demo[head][tail] if tail else demo[head]
        lines.append(f"[{section}]\n" + "\n".join(f"{k} = {json.dumps(v)}" for k, v in body.items()))
    config = tmp_path / "terminal.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "modules.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    subprocess.run([sys.executable, "-c", _SYNC_PROBE, str(out), "demo", "--config", str(config)],
                   cwd=ROOT, env=env, check=True, timeout=150,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = json.loads(out.read_text(encoding="utf-8"))
    assert seen["exchanged"], "the kiosk never finished an exchange with its backend"
    assert "kiosk.sync.adapter" in seen["modules"] and "http.client" in seen["modules"]
    loaded = {m for m in seen["modules"] if m.split(".")[0] in ("httpx", "httpcore", "h11")}
    assert not loaded, f"the kiosk imported {sorted(loaded)}"
