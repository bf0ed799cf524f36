"""Start-up against a browser: `make bench-startup` (or `python -m bench.startup`).

Pairs of cold process starts, each pair:

(a) the kiosk: `kiosk run --config FILE --quit-when-ready` as a fresh process, from process start
    until it prints "ready:" (home screen painted and interactive). The catalog is already in its
    data dir (prepared once, untimed). With a backend (the default), FILE is the demo terminal's
    settings with `[sync] adapter = "http"` against the reference backend, started here as its
    own process (`python -m backend serve`), the terminal enrolled and its catalog synced once
    beforehand. Without one (`--mode demo`, or the backend did not come up) FILE is the demo's
    settings (`kiosk demo --quit-when-ready`).
(b) headless Chromium (Debian `chromium`) rendering an equivalent static home page (the same
    status bar, title, search entry, the 13 tiles, the 32 departments and the nav bar, in Chinese,
    with the kiosk's font, colours and sizes, 1080x1920) from process start until its screenshot
    file is written, with a fresh user-data-dir per run.

Prints medians of each, the median of the per-pair ratios kiosk / Chromium, and the kiosk's peak
resident memory until ready (its own VmHWM, read when it prints "ready:"). One untimed warm-up
run of each first (page cache), the order inside a pair alternates. The machine is shared and
noisy: medians, not means. A kiosk that also prints an "online: ..." line (its sync connected)
before leaving gets that time reported too.

The kiosk builds its sync service from the http config and starts it once the home screen is
painted (`wiring.ui`), so "ready" measures the home screen with sync configured and on.
"""

from __future__ import annotations

import argparse
import ctypes
import html
import json
import os
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_CONFIG = ROOT / "config" / "demo.toml"
TRANSLATIONS = ROOT / "assets" / "translations" / "kiosk_zh_CN.ts"
SIZE = (1080, 1920)


# -- configs ---------------------------------------------------------------------------------
def _write_config(path: Path, data: dict) -> Path:
    import tomli_w

    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def _demo_settings(data_dir: Path) -> dict:
    data = tomllib.loads(DEMO_CONFIG.read_text(encoding="utf-8"))
    data.setdefault("paths", {})["data_dir"] = str(data_dir)
    return data


def demo_config(folder: Path) -> Path:
    """The demo terminal's settings with its data dir in `folder`."""
    return _write_config(folder / "demo.toml", _demo_settings(folder / "data"))


def http_config(folder: Path, base_url: str) -> Path:
    """The demo terminal's settings, synced over HTTP with the backend at `base_url`."""
    data = _demo_settings(folder / "data")
    data["sync"] = {"adapter": "http", "base_url": base_url}
    return _write_config(folder / "terminal.toml", data)


# -- the backend as its own process --------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_backend(folder: Path, timeout: float = 180) -> tuple[subprocess.Popen, str] | None:
    """`python -m backend serve` on loopback, seeded; None if it does not answer in time."""
    import urllib.request

    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend", "serve", "--db", f"sqlite:///{folder / 'backend.sqlite3'}",
         "--port", str(port), "--seed-if-empty", "--citizens", "20", "--log-level", "warning"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "/v1/health", timeout=1) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            pass
        time.sleep(0.2)
    proc.kill()
    proc.wait()
    return None


def prepare_http_terminal(config: Path) -> None:
    """Enrol the terminal and sync its catalog once, as a terminal in service would have."""
    _kiosk(["sync", "enrol", "DEMO-ENROL", "--config", str(config)])
    code = (
        "import sys\n"
        "from kiosk.config import load_config\n"
        "from kiosk import paths\n"
        "from kiosk.store.db import DB_FILENAME, open_store\n"
        "from kiosk.sync.adapter import HttpAdapter\n"
        "from kiosk.sync.catalog_sync import CatalogSync\n"
        "from kiosk.sync.state import SyncStateStore\n"
        "c = load_config(sys.argv[1])\n"
        "store = open_store(paths.data_dir(c) / DB_FILENAME)\n"
        "a = HttpAdapter(c.sync.base_url, SyncStateStore(store).credential())\n"
        "r = CatalogSync(store, a).run()\n"
        "a.close(); store.close()\n"
        "print(f'catalog synced: {r.upserts} rows, complete={r.complete}')\n"
    )
    subprocess.run([sys.executable, "-c", code, str(config)], cwd=ROOT, check=True,
                   env=_env(), stdout=subprocess.DEVNULL)


def _env() -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def _kiosk(args: list[str]) -> None:
    subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=_env(), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# -- the equivalent page -----------------------------------------------------------------------
def _zh() -> dict[tuple[str, str], str]:
    out = {}
    for ctx in ET.parse(TRANSLATIONS).getroot().iter("context"):
        name = ctx.findtext("name")
        for m in ctx.iter("message"):
            tr = m.find("translation")
            if tr is not None and tr.text:
                out[(name, m.findtext("source"))] = tr.text
    return out


def home_page(config: Path) -> str:
    """The home screen as static HTML: the kiosk's strings, tiles, departments, font, colours
    and sizes (screens/theme.py's standard theme, screens/home.py's grids)."""
    import logging

    from kiosk.app import KioskCore
    from wiring import build_services
    from kiosk.config import load_config

    logging.disable(logging.INFO)
    core = KioskCore(build_services(load_config(config), printing=False, sync=False))
    core.start()
    tiles = [t.name for t in core.tiles()]
    depts = [d.short_name for d in core.catalog.departments()]
    terminal = core.config.terminal
    core.close()
    core.services.close()
    zh = _zh()

    def t(ctx: str, src: str) -> str:
        return html.escape(zh.get((ctx, src), src))

    def grid(names: list[str], cols: int) -> str:
        cells = "".join(f'<button class="tile">{html.escape(n)}</button>' for n in names)
        return f'<div class="grid" style="grid-template-columns: repeat({cols}, 1fr)">{cells}</div>'

    from screens.theme import FONT_FAMILY, STANDARD as s

    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>gov-kiosk</title>
<style>
* {{ box-sizing: border-box; font-family: "{FONT_FAMILY}"; color: {s.text}; }}
html, body {{ margin: 0; width: {SIZE[0]}px; height: {SIZE[1]}px; overflow: hidden; background: {s.bg}; }}
body {{ display: flex; flex-direction: column; }}
.bar {{ background: {s.primary}; display: flex; gap: 16px; padding: 8px 24px; }}
.bar span {{ color: {s.on_primary}; font-size: 22px; white-space: nowrap; }}
.bar .place {{ flex: 1; overflow: hidden; }}
main {{ flex: 1; padding: 24px 40px 16px; display: flex; flex-direction: column; gap: 20px;
       overflow: hidden; }}
h1 {{ font-size: 48px; margin: 0; }}
.scroll {{ flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: 16px; }}
h2 {{ font-size: 30px; font-weight: bold; color: {s.primary}; margin: 0; padding-top: 14px; }}
button {{ font-size: 30px; min-height: 88px; padding: 0 20px; background: {s.surface};
         border: 2px solid {s.border}; border-radius: 12px; }}
button.list {{ padding: 20px; }}
.grid {{ display: grid; gap: 16px; }}
.tile {{ font-size: 32px; min-height: 150px; font-weight: bold; }}
nav {{ display: flex; gap: 12px; padding: 8px 16px; }}
nav button {{ font-size: 28px; min-height: 84px; padding: 0 14px; }}
nav .stretch {{ flex: 1; }}
nav .active {{ background: {s.accent}; color: {s.on_accent}; border-color: {s.accent}; font-weight: bold; }}
</style></head>
<body>
<div class="bar"><span>{time.strftime('%Y-%m-%d %H:%M')}</span>
<span class="place">{html.escape(terminal.id)} · {html.escape(terminal.place)}</span>
<span>{t('StatusBar', '● Online')}</span><span>{t('StatusBar', '● Printer: ready')}</span></div>
<main>
<h1>{t('HomeScreen', 'What would you like to do?')}</h1>
<button class="list">{t('HomeScreen', 'Search services: type pinyin initials, e.g. sbcb')}</button>
<div class="scroll">
<h2>{t('HomeScreen', 'Popular services')}</h2>
{grid([zh.get(('HomeScreen', 'Take a queue number'), '现场取号'), *tiles], 3)}
<h2>{t('HomeScreen', 'Services by department')}</h2>
{grid(depts, 4)}
</div></main>
<nav><button>{t('NavBar', '‹ Back')}</button><button>{t('NavBar', 'Home')}</button>
<button>{t('NavBar', 'Finish')}</button><button>{t('NavBar', 'Report a problem')}</button>
<span class="stretch"></span><button>{t('NavBar', 'Elder mode')}</button>
<button class="active">{t('NavBar', '中文')}</button><button>{t('NavBar', 'English')}</button></nav>
</body></html>
"""


# -- waiting for a file without polling --------------------------------------------------------
class _Inotify:
    """Blocks until a file named `name` is closed after writing in `folder` (Linux inotify)."""

    IN_CLOSE_WRITE, IN_MOVED_TO = 0x8, 0x80

    def __init__(self, folder: Path):
        self._libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self._libc.inotify_init()
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init")
        if self._libc.inotify_add_watch(self.fd, str(folder).encode(),
                                        self.IN_CLOSE_WRITE | self.IN_MOVED_TO) < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch")

    def wait(self, name: str, proc: subprocess.Popen, timeout: float = 60) -> float | None:
        import select

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    return None
                continue
            now = time.perf_counter()
            buf = os.read(self.fd, 65536)
            i = 0
            while i < len(buf):
                _wd, _mask, _cookie, n = struct.unpack_from("iIII", buf, i)
                got = buf[i + 16:i + 16 + n].rstrip(b"\0").decode()
                i += 16 + n
                if got == name:
                    return now
        return None

    def close(self) -> None:
        os.close(self.fd)


# -- one run of each ---------------------------------------------------------------------------
@dataclass
class Run:
    ready_ms: float  # kiosk: "ready:" printed; Chromium: screenshot written
    exit_ms: float
    rss_mib: float  # peak resident set until ready (kiosk only; Chromium is several processes)
    extra: dict = field(default_factory=dict)


def run_kiosk(args: list[str]) -> Run:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    ready = None
    inner = None
    at_ready: dict[str, float] = {}
    online = None
    for line in proc.stdout:
        if line.startswith(b"ready:"):
            ready = time.perf_counter()
            inner = line.decode().strip()
            at_ready = _memory(proc.pid)
        elif line.startswith(b"online:"):  # a kiosk that reports its sync going online
            online = time.perf_counter()
    _pid, status, usage = os.wait4(proc.pid, 0)
    end = time.perf_counter()
    proc.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0 or ready is None:
        raise SystemExit(f"bench: the kiosk did not get ready: kiosk {' '.join(args)}")
    # VmHWM (the process's own high-water mark) at ready; ru_maxrss would also count the
    # parent's peak, which Linux carries into the child at exec.
    peak = at_ready.get("VmHWM", usage.ru_maxrss / 1024)
    extra = {"reported": inner, **at_ready}
    if online is not None:
        extra["online_ms"] = (online - t0) * 1000
    return Run((ready - t0) * 1000, (end - t0) * 1000, peak, extra)


def _memory(pid: int) -> dict[str, float]:
    """Resident memory of a process now, MiB: anonymous (heap, Python objects, Qt's buffers)
    and file-backed (code and fonts mapped from disk, shared with other processes)."""
    out = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                key = line.split(":")[0]
                if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
                    out[key] = int(line.split()[1]) / 1024
    except OSError:  # it has already gone
        pass
    return out


def chromium_command() -> list[str] | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            return [exe]
    return None


def run_chromium(cmd: list[str], page: Path, folder: Path) -> Run:
    shot_dir = Path(tempfile.mkdtemp(dir=folder, prefix="shot-"))
    profile = Path(tempfile.mkdtemp(dir=folder, prefix="profile-"))  # fresh per run
    watch = _Inotify(shot_dir)
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [*cmd, "--headless", "--disable-gpu", "--no-sandbox", f"--user-data-dir={profile}",
             f"--screenshot={shot_dir / 'home.png'}", f"--window-size={SIZE[0]},{SIZE[1]}",
             page.as_uri()],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shot = watch.wait("home.png", proc)
        _pid, status, usage = os.wait4(proc.pid, 0)
        end = time.perf_counter()
    finally:
        watch.close()
    if shot is None or not (shot_dir / "home.png").stat().st_size:
        raise SystemExit(f"bench: Chromium wrote no screenshot ({' '.join(cmd)})")
    out = Run((shot - t0) * 1000, (end - t0) * 1000, usage.ru_maxrss / 1024)
    shutil.rmtree(profile, ignore_errors=True)
    return out


# -- the benchmark -----------------------------------------------------------------------------
def compile_project() -> None:
    """Byte-compile the kiosk's own packages, as a terminal's install has them (pip compiles
    what it installs; an editable checkout under PYTHONDONTWRITEBYTECODE=1 never writes them,
    and every start would then compile ~100 modules from source: +150-300 ms here)."""
    import compileall

    for package in ("kiosk", "screens", "wiring", "protocol", "printing", "backend"):
        compileall.compile_dir(ROOT / package, quiet=1)


def bench(pairs: int, mode: str, keep: Path | None = None, chromium: bool = True) -> dict:
    compile_project()
    cmd = chromium_command() if chromium else ["true"]
    if cmd is None:
        raise SystemExit("bench: no chromium (apt-get install chromium; "
                         "scripts/install-system-deps.sh installs it)")
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        folder = Path(tmp)
        backend = None
        used = "demo"
        if mode in ("auto", "http"):
            backend = start_backend(folder)
            if backend is None and mode == "http":
                raise SystemExit("bench: the backend did not start")
        try:
            if backend is not None:
                used = "http"
                config = http_config(folder, backend[1])
                prepare_http_terminal(config)
                args = ["run", "--config", str(config), "--quit-when-ready"]
            else:
                config = demo_config(folder)
                args = ["demo", "--quit-when-ready", "--config", str(config)]
            _kiosk(args)  # a new data dir: migrations (+ import of the shipped catalog)
            page = folder / "home.html"
            page.write_text(home_page(config), encoding="utf-8")
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(page, keep / "home.html")
                shutil.copy(config, keep / config.name)
            run_kiosk(args)  # warm-up, untimed: files in the page cache for both
            kiosk, chrome = [], []
            if not chromium:  # --kiosk-only: quick measurements while working on the start
                kiosk = [run_kiosk(args) for _ in range(pairs)]
            else:
                run_chromium(cmd, page, folder)
            for i in range(pairs if chromium else 0):
                if i % 2 == 0:
                    kiosk.append(run_kiosk(args))
                    chrome.append(run_chromium(cmd, page, folder))
                else:
                    chrome.append(run_chromium(cmd, page, folder))
                    kiosk.append(run_kiosk(args))
        finally:
            if backend is not None:
                backend[0].terminate()
                try:
                    backend[0].wait(10)
                except subprocess.TimeoutExpired:
                    backend[0].kill()
    med = statistics.median
    out = {
        "mode": used, "pairs": pairs, "kiosk_command": "kiosk " + " ".join(
            a if not a.endswith(".toml") else Path(a).name for a in args),
        "kiosk_ready_ms": med(r.ready_ms for r in kiosk),
        "kiosk_exit_ms": med(r.exit_ms for r in kiosk),
        "kiosk_rss_mib": med(r.rss_mib for r in kiosk),
        "kiosk_rss_max_mib": max(r.rss_mib for r in kiosk),
        "kiosk_runs_ms": [round(r.ready_ms) for r in kiosk],
    }
    onlines = [r.extra["online_ms"] for r in kiosk if "online_ms" in r.extra]
    if onlines:
        out["kiosk_online_ms"] = med(onlines)
    for key in ("RssAnon", "RssFile"):
        values = [r.extra[key] for r in kiosk if key in r.extra]
        if values:
            out[f"kiosk_{key.lower()}_mib"] = med(values)
    if chrome:
        out.update({
            "chromium_ms": med(r.ready_ms for r in chrome),
            "chromium_exit_ms": med(r.exit_ms for r in chrome),
            "ratio": med(k.ready_ms / c.ready_ms for k, c in zip(kiosk, chrome)),
            "chromium_runs_ms": [round(r.ready_ms) for r in chrome],
            "chromium_version": _chromium_version(cmd),
        })
    return out


def _chromium_version(cmd: list[str]) -> str:
    try:
        out = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=30)
        return out.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def table(r: dict) -> str:
    rows = [
        (f"Kiosk cold start to interactive home, median of {r['pairs']} "
         f"(`{r['kiosk_command']}`, sync {r['mode']})", f"{r['kiosk_ready_ms']:.0f} ms"),
        ("Kiosk peak RSS at ready, median (max)",
         f"{r['kiosk_rss_mib']:.0f} MiB ({r['kiosk_rss_max_mib']:.0f})"),
    ]
    if "kiosk_online_ms" in r:
        rows.append(("Kiosk start to sync online (its `online:` line), median",
                     f"{r['kiosk_online_ms']:.0f} ms"))
    if "kiosk_rssanon_mib" in r:
        rows.append(("… of which anonymous / file-backed (fonts, libraries) at ready, median",
                     f"{r['kiosk_rssanon_mib']:.0f} / {r.get('kiosk_rssfile_mib', 0):.0f} MiB"))
    if "chromium_ms" in r:
        rows += [
            (f"Headless Chromium, the same home page as HTML, start to screenshot written, "
             f"median ({r['chromium_version']})", f"{r['chromium_ms']:.0f} ms"),
            ("Kiosk / Chromium, median of the per-pair ratios (target <= 0.5)",
             f"{r['ratio']:.2f}"),
        ]
    out = ["| measure | result |", "|---|---|"]
    out += [f"| {a} | {b} |" for a, b in rows]
    out.append(f"\nkiosk runs (ms): {r['kiosk_runs_ms']}")
    if "chromium_runs_ms" in r:
        out[-1] += f"; Chromium runs (ms): {r['chromium_runs_ms']}"
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__.split("\n\n")[0])
    p.add_argument("--pairs", type=int, default=7)
    p.add_argument("--mode", choices=("auto", "http", "demo"), default="auto",
                   help="http: sync against a backend process; demo: the demo config; auto: "
                        "http, or demo if the backend does not start")
    p.add_argument("--keep", type=Path, help="copy the HTML page and the config here")
    p.add_argument("--json", action="store_true")
    p.add_argument("--kiosk-only", action="store_true", help="time the kiosk alone (no Chromium)")
    a = p.parse_args(argv)
    r = bench(a.pairs, a.mode, a.keep, chromium=not a.kiosk_only)
    print(json.dumps(r, ensure_ascii=False, indent=1) if a.json else table(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
