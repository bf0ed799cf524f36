"""Citizen flows in the real window: `make bench-flows` (or `python -m bench.flows`).

The kiosk (offscreen Qt, the shipped catalog, virtual receipt and A4 printers, the simulated
card reader, and the simulated camera and face verifier: a card for a personal item is followed
by its face check, which the card's holder passes after a short look) talks over real HTTP on
loopback to the reference backend, which runs as its own process so its memory is not
counted. A scripted citizen does every item in turn, by taps on
the real widgets, session after session.

- transition: from a tap to the next screen painted (`QWidget.repaint()` returns once the whole
  window is drawn). Taps that only change screens are reported apart from taps that wait for
  the backend or a printer (a query, issuing and printing a document).
- memory: the kiosk process's resident set after every session; the peak over the first 100
  sessions against the peak over the last 100 (it must not keep growing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from bench.__main__ import percentile

# the items in the order the script does them; (flow id, citizen index, shows records)
SCRIPT = [
    ("ss.certificate", 0, False), ("ss.contributions", 0, True), ("yb.account", 0, True),
    ("yb.enrolment", 2, False), ("gjj.deposits", 0, True), ("bdc.registrations", 2, True),
    ("bdc.no_property", 1, False), ("queue.ticket", None, False), ("guide.slip", None, False),
]


def rss_mib(pid: int | str = "self") -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Driver:
    """Taps like a citizen and times each tap until the next screen is painted."""

    def __init__(self, window, app):
        from screens.qt import QEvent, QTest

        self.w, self.app, self.QTest = window, app, QTest
        self.deferred_delete = QEvent.Type.DeferredDelete
        self.core = window.core
        self.ui: list[float] = []  # screen changes only
        self.by_widget: dict[str, list[float]] = defaultdict(list)
        self.waits: dict[str, list[float]] = defaultdict(list)  # backend or printer in between

    def flow(self):
        from kiosk.navigation import Screen

        return self.w.screens[Screen.FLOW]

    def page(self) -> str:
        return self.flow().pages.currentWidget().objectName().removeprefix("flow_page_")

    def settle(self, until: Callable[[], bool], timeout: float = 30.0) -> None:
        deadline = time.perf_counter() + timeout
        while not until():
            if time.perf_counter() > deadline:
                raise SystemExit(f"bench: stuck on {self.core.navigator.current} "
                                 f"({self.core.flow_run})")
            self.app.processEvents()
            # what the running event loop does between events: objects deleted "later"
            self.app.sendPostedEvents(None, self.deferred_delete)
            time.sleep(0.001)

    def tap(self, widget, until: Callable[[], bool], wait: str | None = None) -> None:
        from screens.qt import Qt

        t0 = time.perf_counter()
        self.QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                              widget.rect().center())
        self.settle(until)
        self.w.repaint()
        ms = (time.perf_counter() - t0) * 1000
        (self.waits[wait] if wait else self.ui).append(ms)
        if not wait:
            self.by_widget[widget.objectName()].append(ms)

    def on(self, page: str) -> Callable[[], bool]:
        return lambda: self.page() == page

    def session(self, flow_id: str, citizen, shows: bool) -> None:
        from kiosk.devices.idcard import IdCardData
        from kiosk.navigation import Screen

        core, f = self.core, self.flow()
        self.tap(self.w.screens[Screen.ATTRACT], lambda: core.navigator.current.screen == Screen.HOME)
        home = self.w.screens[Screen.HOME]
        if flow_id == "queue.ticket":
            self.tap(home.queue_button, self.on("choose"))
            self.tap(f.choose_buttons[0], self.on("rate"), "queue: ticket issued and printed")
        else:
            if flow_id == "guide.slip":
                core.open_guide("RS-000001")
                self.w.repaint()
                self.tap(self.w.screens[Screen.GUIDE].print_button, self.on("preview"))
            else:
                tile = next((b for b in home.tile_buttons
                             if core.flow_for_item(b.objectName().removeprefix("tile_")) == flow_id),
                            None)
                if tile is not None:
                    self.tap(tile, self.on("identify"))
                else:
                    core.start_flow(flow_id)
                    self.settle(self.on("identify"))
                core.id_reader.place(IdCardData(citizen.id_number, citizen.name))
                self.settle(self.on("consent"))  # the card read, then the face check
                self.w.repaint()
                self.tap(f.consent_agree, lambda: self.page() in ("show", "preview"),
                         "agree: records fetched and shown")
                if shows:
                    self.tap(f.show_next, self.on("preview"), "records: A4 preview rendered")
            self.tap(f.preview_print, self.on("rate"), "print: issued and printed")
        self.tap(f.rating.level_buttons[next(iter(f.rating.level_buttons))], lambda: True)
        self.tap(f.rating.submit_button, self.on("done"))
        self.tap(f.done_exit, lambda: core.navigator.current.screen == Screen.ATTRACT)


def kiosk_config(data_dir: Path, backend_url: str, receipt_port: int, a4: Path,
                 terminal_id: str = "BENCH-0001", **sync) -> dict:
    """The benchmarks' terminal: virtual printers, the simulated card reader, camera and face
    verifier, over HTTP to the reference backend (as a config dict, as from the TOML file)."""
    return {
        "paths": {"data_dir": str(data_dir)}, "display": {"fullscreen": False},
        "terminal": {"id": terminal_id},
        "printing": {"receipt": {"driver": "network", "host": "127.0.0.1",
                                 "port": receipt_port, "timeout_s": 2},
                     "document": {"driver": "virtual", "folder": str(a4)}},
        "sync": {"adapter": "http", "base_url": backend_url, **sync},
        "devices": {"id_card_reader": "simulated", "camera": "simulated",
                    "face_verifier": "simulated", "face_look_s": 0.2}}


def prepare(tmp: Path, settings: dict):
    """`kiosk sync enrol` and a first catalog sync, each in a process of its own as a
    technician's command and an earlier run of the terminal would be: the migrations, the
    catalog's import and the enrolment's HTTP client are not the kiosk's sessions. Returns the
    loaded config."""
    from bench.startup import _write_config, prepare_http_terminal
    from kiosk.config import load_config

    config_file = _write_config(tmp / "terminal.toml", settings)
    prepare_http_terminal(config_file)
    return load_config(config_file)


def enrol(config, backend) -> None:
    """`kiosk sync enrol` in this process: the terminal's credential saved in its store."""
    from kiosk.paths import data_dir
    from kiosk.store.db import DB_FILENAME, open_store
    from kiosk.sync.state import SyncStateStore

    with backend.enrolled(config.terminal.id) as adapter:
        store = open_store(data_dir(config) / DB_FILENAME)
        SyncStateStore(store).save_credential(config.terminal.id, adapter.credential)
        store.close()


def fast_card_reader():
    from kiosk.devices.idcard import SimulatedIdCardReader

    return SimulatedIdCardReader(read_s=0.02, timeout_s=2.0)


@contextmanager
def scripted_kiosk(tmp: Path):
    """The kiosk as `kiosk run` builds it, its window shown offscreen and sync started, with
    the reference backend as its own process and a virtual receipt printer; yields
    (kiosk, app, driver, virtual printer, A4 folder). Used by bench.flows and bench.soak."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from screens.main import make_application

    app = make_application()
    from printing.virtual_printer import VirtualPrinter
    from wiring import Overrides
    from wiring.demo_backend import DemoBackend
    from wiring.ui import build_kiosk

    # the backend as its own process, as in a hall: the kiosk's RSS is the kiosk's alone
    with DemoBackend(tmp / "backend", citizens=20) as backend, VirtualPrinter() as vp:
        a4 = tmp / "a4"
        config = prepare(tmp, kiosk_config(tmp / "data", backend.url, vp.port, a4))
        kiosk = build_kiosk(config, overrides=Overrides(id_reader=fast_card_reader()))
        window = kiosk.window
        window.show_kiosk()
        app.processEvents()
        kiosk.start()  # sync and the search index, as after the first paint
        d = Driver(window, app)
        d.settle(lambda: kiosk.services.sync.adapter is not None)
        try:
            yield kiosk, app, d, vp, a4
        finally:
            window.close()
            kiosk.close()


def take_paper(vp, a4: Path) -> None:
    vp.clear()  # the slip was taken
    for pdf in a4.glob("*.pdf"):  # the paper tray: emptied by the citizens
        pdf.unlink()


def run(sessions: int, out: Path | None) -> dict:
    from protocol.demo import DEMO_CITIZENS

    with tempfile.TemporaryDirectory() as tmp, scripted_kiosk(Path(tmp)) as (kiosk, _app, d, vp, a4):
            core = kiosk.core
            memory = []
            helper = []  # the render helper process's RSS (its own process, reported apart)
            renderer = kiosk.services.extras.get("renderer")
            t0 = time.perf_counter()
            for n in range(sessions):
                flow_id, who, shows = SCRIPT[n % len(SCRIPT)]
                d.session(flow_id, None if who is None else DEMO_CITIZENS[who], shows)
                memory.append(rss_mib())
                pid = getattr(renderer, "pid", None)
                helper.append(rss_mib(pid) if pid else 0.0)
                take_paper(vp, a4)
                if (n + 1) % 100 == 0:
                    print(f"  {n + 1} sessions, {time.perf_counter() - t0:.0f} s, "
                          f"RSS {memory[-1]:.0f} MiB", file=sys.stderr, flush=True)
            elapsed = time.perf_counter() - t0
            pending = core.outbox.pending_count()
    if os.environ.get("BENCH_DETAIL"):
        for name, v in sorted(d.by_widget.items(), key=lambda kv: -max(kv[1])):
            print(f"  {name}: n={len(v)} p50={percentile(v, 50):.0f} max={max(v):.0f} ms",
                  file=sys.stderr)
    first = memory[:100]
    last = memory[-100:]
    result = {
        "sessions": sessions, "elapsed_s": elapsed, "outbox_events": pending,
        "ui_taps": len(d.ui), "ui_p50_ms": percentile(d.ui, 50), "ui_p95_ms": percentile(d.ui, 95),
        "ui_max_ms": max(d.ui),
        "waits": {k: (len(v), percentile(v, 50), percentile(v, 95)) for k, v in d.waits.items()},
        "rss_first100_peak": max(first), "rss_last100_peak": max(last),
        "rss_first100_median": statistics.median(first), "rss_last100_median": statistics.median(last),
        "helper_peak": max(helper, default=0.0), "helper_last": helper[-1] if helper else 0.0,
        "helper_starts": getattr(renderer, "starts", 0),
    }
    if out is not None:
        out.write_text("\n".join(f"{m:.1f}" for m in memory), encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.flows")
    p.add_argument("--sessions", type=int, default=1000)
    p.add_argument("--memory-log", type=Path, help="write the RSS after each session here")
    a = p.parse_args(argv)
    r = run(a.sessions, a.memory_log)
    print(f"| measure ({r['sessions']} scripted sessions, all {len(SCRIPT)} items in turn, "
          f"{r['elapsed_s']:.0f} s) | result |\n|---|---|")
    print(f"| Tap to next screen painted, p50 ({r['ui_taps']} taps) | {r['ui_p50_ms']:.1f} ms |")
    print(f"| Tap to next screen painted, p95 | {r['ui_p95_ms']:.1f} ms |")
    print(f"| Tap to next screen painted, max | {r['ui_max_ms']:.1f} ms |")
    for name, (n, p50, p95) in sorted(r["waits"].items()):
        print(f"| {name}: tap to screen painted, p50 / p95 ({n}) | {p50:.0f} / {p95:.0f} ms |")
    print(f"| Peak RSS, sessions 1-100 | {r['rss_first100_peak']:.0f} MiB |")
    print(f"| Peak RSS, last 100 sessions | {r['rss_last100_peak']:.0f} MiB |")
    print(f"| Median RSS, first 100 / last 100 | {r['rss_first100_median']:.0f} / "
          f"{r['rss_last100_median']:.0f} MiB |")
    print(f"| Render helper process (its own): peak / at the end RSS, times started | "
          f"{r['helper_peak']:.0f} / {r['helper_last']:.0f} MiB, {r['helper_starts']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
