"""Where a kiosk start spends its time and memory: `python -m bench.startup_profile`.

Runs `kiosk demo --quit-when-ready` (or `kiosk run`) inside this process with probes put in from
outside, so the code measured is the code that ships:

- every module import: time and resident memory (RSS) it added itself, children excluded, summed
  per top-level package (PySide6, sqlalchemy, pydantic, reportlab, ...);
- the start-up phases (QApplication, application font, core start with store and search index,
  printers, each screen's constructor, the stylesheet, the first paint): wall time and RSS
  after each, and how much of a phase was spent importing.

Prints two Markdown tables. One process, one run: run it a few times (`--runs`) on a busy
machine; the medians are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import json
import time
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss() -> int:
    with open("/proc/self/statm", "rb") as fh:
        return int(fh.read().split()[1]) * _PAGE


class _Probe:
    """Per-module self time and self RSS (a stack subtracts the children's share), and phases."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.mod_time: dict[str, float] = {}
        self.mod_rss: dict[str, int] = {}
        self._stack: list[list[float]] = []  # [start, start_rss, child_time, child_rss]
        self.import_time_total = 0.0
        self.phases: list[tuple[str, float, float, int, float]] = []  # name, start, dur, rss, imp
        self.post_import: dict[str, callable] = {}

    def wrap_loader(self, name: str, loader) -> None:
        exec_module = loader.exec_module
        probe = self

        def timed(module):
            frame = [time.perf_counter(), _rss(), 0.0, 0]
            probe._stack.append(frame)
            try:
                exec_module(module)
            finally:
                probe._stack.pop()
                dt = time.perf_counter() - frame[0]
                dm = _rss() - frame[1]
                probe.mod_time[name] = dt - frame[2]
                probe.mod_rss[name] = dm - frame[3]
                if probe._stack:
                    probe._stack[-1][2] += dt
                    probe._stack[-1][3] += dm
                else:
                    probe.import_time_total += dt
            hook = probe.post_import.pop(name, None)
            if hook is not None:
                hook(module)

        try:
            loader.exec_module = timed
        except (AttributeError, TypeError):  # frozen / builtin loaders are shared classes
            pass

    def phase(self, name: str, fn):
        probe = self

        def wrapped(*args, **kwargs):
            start = time.perf_counter()
            imp0 = probe.import_time_total + sum(f[2] for f in probe._stack[:1])
            try:
                return fn(*args, **kwargs)
            finally:
                imp = probe.import_time_total - imp0 if not probe._stack else 0.0
                probe.phases.append((name, start - probe.t0, time.perf_counter() - start,
                                     _rss(), imp))

        wrapped.__wrapped__ = fn
        return wrapped


class _Finder:
    def __init__(self, probe: _Probe):
        self.probe = probe

    def find_spec(self, name, path, target=None):
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    # a loader object per module (SourceFileLoader, ExtensionFileLoader)
                    if not isinstance(spec.loader, type):
                        self.probe.wrap_loader(name, spec.loader)
                return spec
        return None


def _patch_class_init(probe: _Probe, cls, label: str) -> None:
    cls.__init__ = probe.phase(label, cls.__init__)


def _install(probe: _Probe) -> None:
    sys.meta_path.insert(0, _Finder(probe))

    def on_screens_main(m):
        m.make_application = probe.phase("QApplication + app font (make_application)",
                                         m.make_application)
        m.configure_application = probe.phase("application font", m.configure_application)

    def on_wiring(m):  # the composition root
        m._open_store = probe.phase("store + catalog file check/import (_open_store)",
                                    m._open_store)
        m._printing = probe.phase("printers + spooler (_printing)", m._printing)
        m._sync = probe.phase("sync service, not started (_sync)", m._sync)
        m.item_registry = probe.phase("item registry (flows)", m.item_registry)

    def on_app(m):
        m.KioskCore.start = probe.phase("core start: search index (lazy)", m.KioskCore.start)
        m.KioskCore.begin_session = probe.phase("begin session -> home", m.KioskCore.begin_session)
        m.SearchIndex = _wrap_type(probe, "  search index", m.SearchIndex)

    def on_window(m):
        m.KioskWindow._apply_look = probe.phase("  stylesheet + translator (_apply_look)",
                                                 m.KioskWindow._apply_look)
        m.KioskWindow.show_kiosk = probe.phase("show window", m.KioskWindow.show_kiosk)
        m.KioskWindow.repaint = probe.phase("first paint (repaint)", m.KioskWindow.repaint)
        for attr in ("AttractScreen", "OutOfServiceScreen", "HomeScreen", "SearchScreen",
                     "DepartmentScreen", "CategoryScreen", "GuideScreen", "ProblemScreen",
                     "FlowScreen", "StatusBar", "NavBar", "CountdownOverlay"):
            cls = getattr(m, attr, None)
            if cls is not None:
                _patch_class_init(probe, cls, f"  {attr}()")

    probe.post_import.update({"screens.main": on_screens_main, "kiosk.app": on_app,
                              "screens.window": on_window, "wiring": on_wiring})


def _wrap_type(probe: _Probe, label: str, cls):
    def make(*args, **kwargs):
        return probe.phase(label, cls)(*args, **kwargs)
    return make


def _top(name: str) -> str:
    top = name.split(".")[0]
    if top in ("kiosk", "screens", "printing", "protocol", "backend", "wiring") and "." in name:
        return ".".join(name.split(".")[:2])
    return top


def _child(args: list[str]) -> int:
    probe = _Probe()
    _install(probe)
    import screens  # noqa: F401 - fine: empty package

    out_path = os.environ.pop("KIOSK_PROFILE_OUT")

    def report(code: int) -> None:
        by_pkg: dict[str, list[float]] = {}
        for name, t in probe.mod_time.items():
            agg = by_pkg.setdefault(_top(name), [0.0, 0, 0])
            agg[0] += t
            agg[1] += probe.mod_rss.get(name, 0)
            agg[2] += 1
        data = {
            "code": code, "total_s": time.perf_counter() - probe.t0,
            "rss": _rss(), "imports_s": probe.import_time_total,
            "packages": {k: v for k, v in by_pkg.items()},
            "phases": probe.phases, "modules": sorted(sys.modules),
        }
        Path(out_path).write_text(json.dumps(data), encoding="utf-8")

    import wiring.cli

    # exit_process ends the process with os._exit: write the report first
    def on_main(m):
        real = m.exit_process

        def exit_process(code):
            report(code)
            real(code)
        m.exit_process = exit_process
    probe.post_import["screens.main"] = _chain(probe.post_import["screens.main"], on_main)
    code = wiring.cli.main(args)
    report(code)
    return code


def _chain(a, b):
    def both(m):
        a(m)
        b(m)
    return both


def profile_once(kiosk_args: list[str], env: dict | None = None) -> dict:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".json") as fh:
        env = {**os.environ, **(env or {}), "KIOSK_PROFILE_OUT": fh.name,
               "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bench.startup_profile", "--child", *kiosk_args],
                       env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        data = json.loads(Path(fh.name).read_text(encoding="utf-8"))
    data["wall_s"] = wall
    return data


def summarize(runs: list[dict], top: int = 18) -> str:
    mib = 1024 * 1024
    lines = []
    pk: dict[str, list] = {}
    for r in runs:
        for name, (t, m, n) in r["packages"].items():
            pk.setdefault(name, []).append((t, m, n))
    rows = sorted(((statistics.median(x[0] for x in v), statistics.median(x[1] for x in v),
                    v[0][2], k) for k, v in pk.items()), reverse=True)
    imports = statistics.median(r["imports_s"] for r in runs)
    lines.append(f"Imports: {imports * 1000:.0f} ms in all (median of {len(runs)} runs)\n")
    lines.append("| package (imported at start) | modules | import ms | RSS added MiB |")
    lines.append("|---|---|---|---|")
    rest_t = rest_m = 0.0
    for i, (t, m, n, k) in enumerate(rows):
        if i < top:
            lines.append(f"| {k} | {n} | {t * 1000:.0f} | {m / mib:.1f} |")
        else:
            rest_t += t
            rest_m += m
    lines.append(f"| (the rest) | | {rest_t * 1000:.0f} | {rest_m / mib:.1f} |")
    lines.append("")
    lines.append("| phase | starts at ms | ms (imports inside) | RSS after, MiB |")
    lines.append("|---|---|---|---|")
    ph: dict[str, list] = {}
    order: list[str] = []
    for r in runs:
        for name, start, dur, rss, imp in r["phases"]:
            if name not in ph:
                order.append(name)
            ph.setdefault(name, []).append((start, dur, rss, imp))
    for name in sorted(order, key=lambda n: statistics.median(x[0] for x in ph[n])):
        v = ph[name]
        lines.append(f"| {name} | {statistics.median(x[0] for x in v) * 1000:.0f} | "
                     f"{statistics.median(x[1] for x in v) * 1000:.0f} "
                     f"({statistics.median(x[3] for x in v) * 1000:.0f}) | "
                     f"{statistics.median(x[2] for x in v) / mib:.0f} |")
    total = statistics.median(r["total_s"] for r in runs)
    wall = statistics.median(r["wall_s"] for r in runs)
    rss = statistics.median(r["rss"] for r in runs)
    lines.append(f"\nIn-process until ready: {total * 1000:.0f} ms; whole process (interpreter "
                 f"start and exit included): {wall * 1000:.0f} ms; RSS at ready {rss / mib:.0f} MiB")
    return "\n".join(lines)


# The Qt side alone, step by step, in a fresh process: what a bare PySide6 window with the home
# screen's tiles costs, and what each piece adds (the input method the pinyin keyboard needs,
# the CJK font, the stylesheet, the first paint).
_QT_STEPS = r"""
import json, os, sys, time
T0 = time.perf_counter()
marks = []
def rss():
    with open("/proc/self/status") as fh:
        d = {l.split(":")[0]: int(l.split()[1]) for l in fh if l.startswith(("RssAnon", "RssFile"))}
    return d["RssAnon"] / 1024, d["RssFile"] / 1024
def mark(label):
    marks.append((label, (time.perf_counter() - T0) * 1000, *rss()))
mark("interpreter")
from PySide6 import QtCore; mark("import QtCore (shiboken, signatures)")
from PySide6 import QtGui, QtWidgets; mark("import QtGui, QtWidgets")
from PySide6.QtWidgets import (QApplication, QGridLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)
app = QApplication([sys.argv[0]]); mark("QApplication (" + os.environ.get("QT_IM_MODULE", "no") + " input method)")
from PySide6.QtGui import QFont
app.setFont(QFont("Noto Sans CJK SC")); mark("application font")
if sys.argv[1] == "qss":
    sys.path.insert(0, sys.argv[2])
    from screens.theme import STANDARD, stylesheet
    app.setStyleSheet(stylesheet(STANDARD)); mark("stylesheet (screens/theme.py)")
w = QWidget(); col = QVBoxLayout(w)
col.addWidget(QLabel("您要办理什么业务？"))
grid = QGridLayout(); col.addLayout(grid)
for i in range(45):  # 13 tiles and 32 departments
    b = QPushButton("社会保险参保证明打印" if i < 13 else "人社"); b.setProperty("role", "tile")
    b.setMinimumHeight(150); grid.addWidget(b, i // 3, i % 3)
mark("45 buttons and a label")
w.resize(1080, 1920); w.show(); app.processEvents(); mark("show (polish, layout)")
w.repaint(); mark("first paint")
print(json.dumps(marks))
"""


def qt_steps(runs: int = 5) -> str:
    """The Qt-side table: a bare window with the home screen's 45 buttons, step by step."""
    rows: dict[tuple[str, str], list] = {}
    walls: dict[str, list[float]] = {"plain": [], "qss": []}
    for variant, im in (("qss", "qtvirtualkeyboard"), ("plain", "")):
        for _ in range(runs):
            env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_BACKEND": "software"}
            env.pop("QT_IM_MODULE", None)
            if im:
                env["QT_IM_MODULE"] = im
            t0 = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", _QT_STEPS, variant,
                                  str(Path(__file__).resolve().parents[1])],
                                 env=env, capture_output=True, text=True, check=True).stdout
            walls[variant].append((time.perf_counter() - t0) * 1000)
            prev = 0.0
            for label, t, anon, file_ in json.loads(out.strip().splitlines()[-1]):
                rows.setdefault((variant, label), []).append((t - prev, t, anon, file_))
                prev = t
    med = statistics.median
    lines = ["| step (bare PySide6, offscreen, median of %d) | ms | at ms | RSS anon / file MiB |"
             % runs, "|---|---|---|---|"]
    for (variant, label), v in rows.items():
        if variant == "plain" and label != "first paint":
            continue
        if variant == "plain":
            label = "first paint without the input method and the stylesheet"
        lines.append(f"| {label} | {med(x[0] for x in v):.0f} | {med(x[1] for x in v):.0f} | "
                     f"{med(x[2] for x in v):.0f} / {med(x[3] for x in v):.0f} |")
    lines.append(f"| whole process, start to exit (with / without) | "
                 f"{med(walls['qss']):.0f} / {med(walls['plain']):.0f} | | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return _child(argv[1:])
    p = argparse.ArgumentParser(prog="python -m bench.startup_profile")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--config", help="terminal config (default: the demo's, in a temp data dir)")
    p.add_argument("--modules", action="store_true", help="also list every module loaded")
    p.add_argument("--qt", action="store_true", help="the Qt side alone (a bare window)")
    a = p.parse_args(argv)
    if a.qt:
        print(qt_steps(a.runs))
        return 0
    import tempfile

    from bench.startup import compile_project

    compile_project()  # as an installed terminal: bytecode, not source compiled at every start
    with tempfile.TemporaryDirectory() as tmp:
        cfg = a.config
        if cfg is None:
            from bench.startup import demo_config

            cfg = str(demo_config(Path(tmp)))
        args = ["demo", "--quit-when-ready", "--config", cfg]
        profile_once(args)  # the catalog import of a fresh data dir is not what this measures
        runs = [profile_once(args) for _ in range(a.runs)]
    print(summarize(runs))
    if a.modules:
        print("\n".join(runs[-1]["modules"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
