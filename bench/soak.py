"""Soak: `make bench-soak` (or `python -m bench.soak --sessions 10000`).

The kiosk exactly as bench.flows builds it (the real window offscreen, the reference backend as
its own process, virtual printers, simulated card reader, camera and face verifier) and the same
scripted citizen (bench.flows.Driver: taps on the real widgets, all nine items in turn), for many
sessions. Every 100 sessions it records the kiosk process's resident memory, the Qt widget count
(QApplication.allWidgets()), open file descriptors (/proc/self/fd), Python threads and OS threads
(/proc/self/task). Goal (issue 11): RSS growth <= 5 MB from session 1,000 to 10,000, 0 crashes
(a crash ends the process, so a finished soak has none; a stuck session stops it with a message).

The widget count depends on the item the last session showed (a records page has a chip per
month), so counts are compared at the same point of the nine-item script: sessions 1,000 and
10,000, or 100 and 190 (both 9 x n apart). A census of widgets by class and name at the warm-up
and at the end says what a difference is made of.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench.flows import SCRIPT, rss_mib, scripted_kiosk, take_paper


def sample(app, n: int, t0: float) -> dict:
    return {"session": n, "s": round(time.perf_counter() - t0, 1), "rss_mib": round(rss_mib(), 2),
            "widgets": len(app.allWidgets()), "fds": len(os.listdir("/proc/self/fd")),
            "threads": threading.active_count(), "os_threads": len(os.listdir("/proc/self/task"))}


def census(app) -> Counter:
    """Widgets by (class, object name, parent's class): what a growing count is made of."""
    out: Counter = Counter()
    for w in app.allWidgets():
        p = w.parentWidget()
        out[f"{type(w).__name__}:{w.objectName()} in {type(p).__name__ if p else '-'}"] += 1
    return out


def run(sessions: int, every: int = 100, log: Path | None = None, quiet: bool = False,
        warmup: int = 0) -> dict:
    from protocol.demo import DEMO_CITIZENS

    samples: list[dict] = []
    at_warmup: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp, \
            scripted_kiosk(Path(tmp)) as (kiosk, app, d, vp, a4):
        t0 = time.perf_counter()
        samples.append(sample(app, 0, t0))
        for n in range(sessions):
            flow_id, who, shows = SCRIPT[n % len(SCRIPT)]
            d.session(flow_id, None if who is None else DEMO_CITIZENS[who], shows)
            take_paper(vp, a4)
            # the harness's own records (tap timings, the virtual printer's status log) are
            # not the kiosk's: kept, they grew ~0.4 KiB a session, half the soak's first figure
            d.ui.clear()
            d.by_widget.clear()
            d.waits.clear()
            vp.status_queries.clear()
            if n + 1 == max(warmup, 1):
                at_warmup = census(app)
            if (n + 1) % every == 0:
                samples.append(sample(app, n + 1, t0))
                if log is not None:
                    with open(log, "a", encoding="utf-8") as fh:
                        fh.write(json.dumps(samples[-1]) + "\n")
                if not quiet:
                    s = samples[-1]
                    print(f"  {s['session']} sessions, {s['s']:.0f} s, RSS {s['rss_mib']:.1f} MiB, "
                          f"{s['widgets']} widgets, {s['fds']} fds, {s['threads']} threads "
                          f"({s['os_threads']} OS)", file=sys.stderr, flush=True)
        elapsed = time.perf_counter() - t0
        if samples[-1]["session"] != sessions:
            samples.append(sample(app, sessions, t0))
        pending = kiosk.core.outbox.pending_count()
        end = census(app)
    return {"sessions": sessions, "elapsed_s": elapsed, "samples": samples,
            "outbox_pending": pending, "widgets_grown": dict(end - at_warmup),
            "widgets_gone": dict(at_warmup - end)}


def growth(samples: list[dict], key: str, start: int) -> float:
    """From the sample at session `start` (the first at or after it) to the last one."""
    base = next(s for s in samples if s["session"] >= start)
    return samples[-1][key] - base[key]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.soak")
    p.add_argument("--sessions", type=int, default=10_000)
    p.add_argument("--warmup", type=int, default=None,
                   help="growth is measured from this session (default: a tenth of the run)")
    p.add_argument("--log", type=Path, help="append each sample as a JSON line here")
    p.add_argument("--json", type=Path, help="write the whole result as JSON here")
    a = p.parse_args(argv)
    warmup = a.warmup if a.warmup is not None else max(100, a.sessions // 10)
    r = run(a.sessions, log=a.log, warmup=warmup)
    if a.json is not None:
        a.json.write_text(json.dumps(r), encoding="utf-8")
    s = r["samples"]
    first = next(x for x in s if x["session"] >= warmup)
    last = s[-1]
    rate = r["elapsed_s"] / r["sessions"]
    print(f"| measure ({r['sessions']} scripted sessions, {r['elapsed_s']:.0f} s, "
          f"{rate:.2f} s a session) | at session {first['session']} | at session "
          f"{last['session']} | growth |\n|---|---|---|---|")
    for key, label in (("rss_mib", "Resident memory (MiB)"), ("widgets", "Qt widgets"),
                       ("fds", "Open files"), ("threads", "Python threads"),
                       ("os_threads", "OS threads")):
        print(f"| {label} | {first[key]:g} | {last[key]:g} | {last[key] - first[key]:+g} |")
    peak = max(x["rss_mib"] for x in s if x["session"] >= warmup)
    print(f"| Peak RSS after session {first['session']} | {peak:.1f} MiB | | |")
    print("| Crashes | 0 | | |")
    if r["widgets_grown"] or r["widgets_gone"]:
        print(f"\nWidgets since session {warmup}: more {r['widgets_grown']}, "
              f"fewer {r['widgets_gone']}")
    ok = last["rss_mib"] - first["rss_mib"] <= 5.0
    print(f"\nRSS growth {last['rss_mib'] - first['rss_mib']:+.1f} MiB "
          f"({'within' if ok else 'ABOVE'} the 5 MB goal)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
