"""Kiosk-side sync benchmarks: `python -m bench.sync` (or `make bench-sync`).

- outbox drain: 100,000 queued events pushed to the reference backend on loopback, in batches
  of 500, through the real HTTP adapter and sync worker (events/s);
- full catalog sync: the shipped 10,323-item catalog pulled page by page into a fresh kiosk
  store (median of 3, seconds).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert

from kiosk.store.db import open_store
from kiosk.store.models import OutboxEvent
from kiosk.sync.catalog_sync import CatalogSync
from kiosk.sync.outbox import Outbox
from kiosk.sync.worker import SyncWorker
from wiring.demo_backend import DemoBackend


def queue_events(store, n: int) -> None:
    when = datetime(2026, 1, 1)
    for start in range(0, n, 20_000):
        rows = [dict(idempotency_key=str(uuid.uuid4()), kind="telemetry",
                     payload_json=json.dumps({"n": i, "screen": "home"}), occurred_at=when,
                     state="pending", attempts=0, next_attempt_at=when, last_error="")
                for i in range(start, min(n, start + 20_000))]
        with store.session() as s:
            s.execute(insert(OutboxEvent), rows)


def bench_drain(n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        backend = DemoBackend(Path(tmp) / "backend", catalog_limit=50, citizens=1,
                              process=False)
        backend.start()
        adapter = backend.enrolled("BENCH-DRAIN")
        store = open_store(Path(tmp) / "kiosk.sqlite3")
        outbox = Outbox(store)
        worker = SyncWorker(store, adapter, outbox, terminal_id="BENCH-DRAIN",
                            catalog_interval_s=10**9, heartbeat_interval_s=10**9)
        worker.run_once()  # catalog and first heartbeat out of the way
        queue_events(store, n)
        t0 = time.perf_counter()
        while outbox.pending_count():
            worker.run_once()
            if time.perf_counter() - t0 > 600:
                raise SystemExit("drain did not finish in 10 minutes")
        seconds = time.perf_counter() - t0
        store.close()
        adapter.close()
        backend.stop()
    return {"events": n, "seconds": seconds, "rate": n / seconds}


def bench_catalog(runs: int) -> dict:
    times, items = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        backend = DemoBackend(Path(tmp) / "backend", citizens=1, process=False)
        backend.start()
        adapter = backend.enrolled("BENCH-CAT")
        for i in range(runs):
            store = open_store(Path(tmp) / f"kiosk{i}.sqlite3")
            t0 = time.perf_counter()
            result = CatalogSync(store, adapter).run(lambda: False)
            times.append(time.perf_counter() - t0)
            items = result.upserts
            store.close()
        adapter.close()
        backend.stop()
    return {"median_s": statistics.median(times), "changes": items}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.sync")
    p.add_argument("--events", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args(argv)
    cat = bench_catalog(a.runs)
    drain = bench_drain(a.events)
    print("| measure | result |\n|---|---|")
    print(f"| Full catalog sync into a fresh kiosk store ({cat['changes']} changes), median of "
          f"{a.runs} | {cat['median_s']:.2f} s |")
    print(f"| Outbox drain, {drain['events']:,} queued events, batches of 500 | "
          f"{drain['rate']:,.0f} events/s ({drain['seconds']:.1f} s) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
