"""Benchmarks: `make bench` (or `python -m bench`). Prints a Markdown table of medians.

- cold start: `kiosk demo --quit-when-ready` as a fresh process, until the home screen is
  painted and interactive; the first start of a new data directory also imports the catalog,
  later starts find it imported.
- search: every keystroke of typing realistic queries (pinyin initials, full pinyin, Chinese)
  over the full shipped catalog, through the same index the search screen uses.
- memory: peak RSS of the kiosk process (quit-when-ready, and the whole scripted tour).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

QUERIES = [
    "sbcb", "shebaocanbao", "ybgrzh", "gjjtq", "bdcdj", "wfzm", "jszhz", "hzqy",
    "社保", "医疗保险", "公积金提取", "不动产登记", "身份证", "营业执照", "婚姻登记", "出生医学证明",
    "ylbx", "crj", "gtgsh", "zgzs",
]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def run_child(args: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process.

    Linux carries the parent's peak RSS into a child's ru_maxrss at exec: measure children
    while this process is still small (before the search and printing benchmarks)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    out = proc.stdout.read().decode()
    proc.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark child failed: {' '.join(args)}\n{out}")
    return elapsed, usage.ru_maxrss / 1024


def bench_start(runs: int) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "bench.toml"
        cfg.write_text(f'[paths]\ndata_dir = "{tmp}/data"\n', encoding="utf-8")
        args = [sys.executable, "-m", "kiosk", "demo", "--quit-when-ready", "--config", str(cfg)]
        first, first_rss = run_child(args, env)
        times, rss = [], []
        for _ in range(runs):
            t, m = run_child(args, env)
            times.append(t)
            rss.append(m)
        tour_dir = Path(tmp) / "tour"
        _t, tour_rss = run_child([sys.executable, "-m", "kiosk", "demo", "--tour", str(tour_dir),
                                  "--config", str(cfg)], env)
    return {"first_start_s": first, "start_median_s": statistics.median(times),
            "start_runs": runs, "start_rss_mib": statistics.median(rss),
            "first_rss_mib": first_rss, "tour_rss_mib": tour_rss}


def bench_search(rounds: int) -> dict:
    from kiosk.app import KioskCore
    from kiosk.config import parse_config
    from wiring import build_services

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        services = build_services(parse_config({"paths": {"data_dir": f"{tmp}/data"}},
                                               "<bench>"), printing=False, sync=False)
        core = KioskCore(services)
        core.start()
        core.build_index()  # (lazy in the app: read once the home screen is painted)
        start_s = time.perf_counter() - t0
        items = len(core.index)
        samples = []
        for _ in range(rounds):
            for q in QUERIES:
                for n in range(1, len(q) + 1):
                    t = time.perf_counter()
                    core.search(q[:n], limit=8)
                    samples.append((time.perf_counter() - t) * 1000)
        core.close()
        services.close()
    return {"items": items, "keystrokes": len(samples), "p50_ms": percentile(samples, 50),
            "p95_ms": percentile(samples, 95), "max_ms": max(samples),
            "core_start_with_import_s": start_s}


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def bench_printing(runs: int = 20) -> dict:
    """Documents and receipts, and the time from a print request to the first byte at the
    (virtual) printer, through the spooler and the ESC/POS driver on loopback."""
    from kiosk.store.db import open_store
    from printing.drivers import network_driver
    from printing.samples import sample_document, sample_receipt
    from printing.spooler import Spooler
    from printing.virtual_printer import VirtualPrinter

    out = {
        "certificate_ms": _median_ms(lambda: sample_document("ss-certificate"), runs),
        "statement_ms": _median_ms(lambda: sample_document("ss-statement"), runs),
        "receipt_ms": _median_ms(lambda: sample_receipt("queue-ticket"), runs),
    }
    data = sample_receipt("queue-ticket")
    firsts = []
    with tempfile.TemporaryDirectory() as tmp, VirtualPrinter() as vp:
        store = open_store(Path(tmp) / "k.sqlite3")
        sp = Spooler(store, {"receipt": network_driver("receipt", "127.0.0.1", vp.port)})
        sp.start()
        for i in range(runs):
            t = time.perf_counter()
            sp.submit("receipt", "queue_ticket", "bench", data, personal=False)
            vp.wait_for_jobs(i + 1, timeout=10)
            firsts.append((time.perf_counter() - t) * 1000)
        sp.stop()
        store.close()
    out["first_byte_ms"] = statistics.median(firsts)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench")
    p.add_argument("--runs", type=int, default=7, help="warm starts to time (median)")
    p.add_argument("--rounds", type=int, default=5, help="times each query is typed")
    a = p.parse_args(argv)
    st = bench_start(a.runs)  # first: see run_child
    s = bench_search(a.rounds)
    pr = bench_printing()
    rows = [
        ("Cold start to interactive home, median of %d (catalog already imported)" % st["start_runs"],
         f"{st['start_median_s'] * 1000:.0f} ms"),
        ("First start of a new data dir (migrations + 10k-item catalog import)",
         f"{st['first_start_s'] * 1000:.0f} ms"),
        (f"Search per keystroke, p50 ({s['keystrokes']} keystrokes, {s['items']} items)",
         f"{s['p50_ms']:.2f} ms"),
        ("Search per keystroke, p95 (target < 10 ms)", f"{s['p95_ms']:.2f} ms"),
        ("Search per keystroke, max", f"{s['max_ms']:.2f} ms"),
        ("Peak memory, start to home (median RSS)", f"{st['start_rss_mib']:.0f} MiB"),
        ("Peak memory, whole scripted tour", f"{st['tour_rss_mib']:.0f} MiB"),
        ("One-page certificate PDF (参保证明), median of 20", f"{pr['certificate_ms']:.0f} ms"),
        ("12-page contribution statement PDF (缴费明细)", f"{pr['statement_ms']:.0f} ms"),
        ("Encode a queue-ticket receipt (ESC/POS bytes)", f"{pr['receipt_ms']:.2f} ms"),
        ("Print request to the whole receipt at the printer (spooler, loopback)",
         f"{pr['first_byte_ms']:.1f} ms"),
    ]
    print("| measure | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
