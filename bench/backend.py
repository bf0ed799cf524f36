"""Backend benchmarks: `python -m bench.backend`. Prints a Markdown table of medians.

The backend runs as `python -m backend serve` in a process of its own on 127.0.0.1 (as deployed:
one uvicorn worker), seeded with the full shipped catalog; the clients are threads of this
process, each with an httpx client of its own. Everything stays on loopback, and every benchmark
is bounded in requests and in time (`--time-limit` seconds each: past it, the rounds not started
are left out and the row says how many ran).

- heartbeats: enrol `--terminals` terminals (1,000), then each sends `--rounds` heartbeats, a
  round being one heartbeat from every terminal, `--concurrency` requests in flight at once;
  heartbeats/s is the median over the rounds, latency percentiles over all heartbeats.
- catalog: a full sync from cursor 0 through `/v1/catalog/changes` in pages of 1,000 (the
  protocol's maximum), as a new terminal does; median of `--syncs` (3).
- events: batches of 500 events (the protocol's maximum) from 4 terminals at once; events/s is
  the median over `--event-runs` runs of 20 batches (10,000 events).

Databases: SQLite (a file, WAL) and PostgreSQL (a throwaway server on loopback, tests/pg.py)
when its binaries are installed; `--db` picks one.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.__main__ import percentile  # noqa: E402

EVENT_BATCH = 500
EVENT_SENDERS = 4
EVENT_BATCHES_PER_RUN = 20


def load_pg_module():
    """tests/pg.py by its path (an installed package may be called `tests` too)."""
    spec = importlib.util.spec_from_file_location("kiosk_tests_pg", ROOT / "tests" / "pg.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m backend serve` on loopback, its log in a file."""

    def __init__(self, url: str, workdir: Path):
        self.db_url, self.workdir = url, workdir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.log = open(self.workdir / "backend.log", "wb")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "backend", "serve", "--db", self.db_url, "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.base + "/v1/health", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                log = (self.workdir / "backend.log").read_text(errors="replace")
                raise SystemExit("the backend did not start:\n" + log[-3000:])
            time.sleep(0.1)

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
        self.log.close()


def seed(url: str) -> float:
    from backend.db import open_database
    from backend.seed import seed_database

    t0 = time.perf_counter()
    db = open_database(url)
    try:
        seed_database(db, citizens=8)
    finally:
        db.close()
    return time.perf_counter() - t0


# --- the benchmarks ----------------------------------------------------------------------------
# Clients are threads, each with an httpx.Client (one keep-alive connection) of its own: one
# asyncio httpx client shared by 50 requests in flight spent more CPU in its connection pool than
# the server did (it measured itself, ~150 requests/s), threads cost ~0.5 ms of CPU a request.


class Workers:
    """`n` threads, each with its own httpx.Client; `run(count, job)` calls job(client, i) for
    i in range(count), `n` at once, and stops starting new calls at `deadline`."""

    def __init__(self, base: str, n: int):
        self.clients = [httpx.Client(base_url=base, timeout=60) for _ in range(n)]
        self.pool = ThreadPoolExecutor(n)

    def run(self, count: int, job, deadline: float) -> list:
        out: list = [None] * count
        todo = iter(range(count))
        lock = threading.Lock()

        def work(client):
            while time.monotonic() < deadline:
                with lock:
                    i = next(todo, None)
                if i is None:
                    return
                out[i] = job(client, i)

        for f in [self.pool.submit(work, c) for c in self.clients]:
            f.result()
        return out

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown()
        for c in self.clients:
            c.close()


def enrol(c: httpx.Client, terminal_id: str) -> dict:
    from backend.seed import DEMO_ENROLMENT_CODE

    r = c.post("/v1/enrol", json={"enrolment_code": DEMO_ENROLMENT_CODE,
                                  "terminal_id": terminal_id})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['credential']}"}


def bench_heartbeats(base: str, terminals: int, rounds: int, concurrency: int,
                     time_limit: float) -> dict:
    deadline = time.monotonic() + time_limit
    ids = [f"BENCH-{i:05d}" for i in range(terminals)]
    with Workers(base, concurrency) as workers:
        t0 = time.perf_counter()
        creds = workers.run(terminals, lambda c, i: enrol(c, ids[i]), deadline)
        enrol_s = time.perf_counter() - t0
        if any(x is None for x in creds):
            raise SystemExit(f"enrolling {terminals} terminals took over {time_limit:.0f} s")
        latencies: list[float] = []
        rates: list[float] = []
        errors: list[int] = []

        def beat(c: httpx.Client, i: int, n: int) -> bool:
            body = {"terminal_id": ids[i], "version": "0.1.0", "uptime_s": 60 * n, "backlog": i % 7,
                    "devices": {"receipt_printer": {"status": "ok"}, "id_reader": {"status": "ok"}}}
            t = time.perf_counter()
            r = c.post("/v1/heartbeat", json=body, headers=creds[i])
            latencies.append((time.perf_counter() - t) * 1000)
            if r.status_code != 200:
                errors.append(r.status_code)
            return True

        for n in range(rounds):
            if time.monotonic() > deadline:
                break
            t = time.perf_counter()
            done = workers.run(terminals, lambda c, i, n=n: beat(c, i, n), deadline + 30)
            rates.append(sum(1 for x in done if x) / (time.perf_counter() - t))
        # The same load on an endpoint that does only `SELECT 1`: the HTTP stack's own ceiling.
        t = time.perf_counter()
        workers.run(terminals, lambda c, i: c.get("/v1/health"), deadline + 30)
        health_rate = terminals / (time.perf_counter() - t)
    return {"enrol_per_s": terminals / enrol_s, "beats_per_s": statistics.median(rates),
            "rounds": len(rates), "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95), "errors": len(errors), "health_per_s": health_rate}


def bench_catalog(base: str, syncs: int, time_limit: float) -> dict:
    deadline = time.monotonic() + time_limit
    times, pages, items, size = [], 0, 0, 0
    with httpx.Client(base_url=base, timeout=60) as c:
        auth = enrol(c, "BENCH-SYNC")
        for _ in range(syncs):
            if time.monotonic() > deadline:
                break
            t0 = time.perf_counter()
            cursor, pages, items, size = 0, 0, 0, 0
            while True:
                r = c.get("/v1/catalog/changes", params={"cursor": cursor, "limit": 1000},
                          headers=auth)
                r.raise_for_status()
                page = r.json()
                pages += 1
                size += len(r.content)
                items += sum(1 for x in page["changes"] if x["kind"] == "item")
                cursor = page["next_cursor"]
                if not page["has_more"]:
                    break
            times.append(time.perf_counter() - t0)
    return {"seconds": statistics.median(times), "syncs": len(times), "pages": pages,
            "items": items, "mib": size / 2**20}


def bench_events(base: str, runs: int, time_limit: float) -> dict:
    deadline = time.monotonic() + time_limit
    at = datetime.now(timezone.utc).isoformat()
    kinds = ("rating", "transaction", "telemetry", "problem_report")  # audit: a hash chain
    rates, batch_ms = [], []
    with Workers(base, EVENT_SENDERS) as workers:
        creds = workers.run(EVENT_SENDERS, lambda c, i: enrol(c, f"BENCH-EV-{i}"), deadline)

        def send(c: httpx.Client, b: int) -> bool:
            events = [{"idempotency_key": str(uuid.uuid4()), "kind": kinds[n % 4],
                       "occurred_at": at, "payload": {"flow": "ss.certificate", "step": n, "outcome": "printed",
                                   "ms": 1234, "holder": "3204**********1230"}}
                      for n in range(EVENT_BATCH)]
            t = time.perf_counter()
            r = c.post("/v1/events", json={"events": events}, headers=creds[b % EVENT_SENDERS])
            batch_ms.append((time.perf_counter() - t) * 1000)
            r.raise_for_status()
            if any(x["status"] != "accepted" for x in r.json()["results"]):
                raise SystemExit("an event of the benchmark was not accepted")
            return True

        for _ in range(runs):
            if time.monotonic() > deadline:
                break
            t0 = time.perf_counter()
            done = workers.run(EVENT_BATCHES_PER_RUN, send, deadline + 30)
            rates.append(sum(1 for x in done if x) * EVENT_BATCH / (time.perf_counter() - t0))
    return {"events_per_s": statistics.median(rates), "runs": len(rates),
            "batch_p50_ms": percentile(batch_ms, 50)}


def run_one(name: str, url: str, workdir: Path, a) -> dict:
    print(f"[{name}] seeding the full catalog ...", file=sys.stderr, flush=True)
    seeded = seed(url)
    with Server(url, workdir) as server:
        print(f"[{name}] heartbeats ...", file=sys.stderr, flush=True)
        hb = bench_heartbeats(server.base, a.terminals, a.rounds, a.concurrency, a.time_limit)
        print(f"[{name}] catalog sync ...", file=sys.stderr, flush=True)
        cat = bench_catalog(server.base, a.syncs, a.time_limit)
        print(f"[{name}] events ...", file=sys.stderr, flush=True)
        ev = bench_events(server.base, a.event_runs, a.time_limit)
    return {"seed_s": seeded, **{f"hb_{k}": v for k, v in hb.items()},
            **{f"cat_{k}": v for k, v in cat.items()}, **{f"ev_{k}": v for k, v in ev.items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.backend")
    ap.add_argument("--db", choices=("both", "sqlite", "postgres"), default="both",
                    help="both: PostgreSQL too when its binaries are installed")
    ap.add_argument("--terminals", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3, help="heartbeats per terminal")
    ap.add_argument("--concurrency", type=int, default=50, help="heartbeat requests in flight")
    ap.add_argument("--syncs", type=int, default=3, help="full catalog syncs (median)")
    ap.add_argument("--event-runs", type=int, default=3, help="runs of 20 batches of 500 (median)")
    ap.add_argument("--time-limit", type=float, default=60, help="seconds per benchmark")
    a = ap.parse_args(argv)

    results: dict[str, dict] = {}
    with ExitStack() as stack:
        tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-backend-"))
        stack.callback(shutil.rmtree, tmp, True)
        if a.db in ("both", "sqlite"):
            (tmp / "sqlite").mkdir()
            results["SQLite"] = run_one("SQLite", f"sqlite:///{tmp / 'sqlite' / 'b.sqlite3'}",
                                        tmp / "sqlite", a)
        if a.db in ("both", "postgres"):
            pg = load_pg_module()
            try:
                server = stack.enter_context(pg.TempPostgres())
            except pg.PostgresUnavailable as exc:
                if a.db == "postgres":
                    raise SystemExit(str(exc)) from None
                print(f"PostgreSQL left out: {exc}", file=sys.stderr)
            else:
                (tmp / "pg").mkdir()
                results["PostgreSQL"] = run_one("PostgreSQL", server.create_database("bench"),
                                                tmp / "pg", a)

    names = list(results)
    t, r = a.terminals, a.rounds

    def cell(fmt, key, *, note=None):
        return [fmt(results[n][key]) + (note(results[n]) if note else "") for n in names]

    def ran(key: str, wanted: int, what: str):
        return lambda v: "" if v[key] == wanted else f" ({v[key]} of {wanted} {what})"

    rows = [
        (f"Enrol {t:,} terminals, {a.concurrency} at once",
         cell(lambda x: f"{x:,.0f} /s", "hb_enrol_per_s")),
        (f"Heartbeats, {t:,} terminals x {r} rounds, {a.concurrency} in flight (median round)",
         cell(lambda x: f"{x:,.0f} /s", "hb_beats_per_s", note=ran("hb_rounds", r, "rounds"))),
        ("Heartbeat latency p50", cell(lambda x: f"{x:.1f} ms", "hb_p50_ms")),
        ("Heartbeat latency p95", cell(lambda x: f"{x:.1f} ms", "hb_p95_ms")),
        ("Heartbeats answered other than 200", cell(lambda x: f"{x}", "hb_errors")),
        (f"Reference: GET /v1/health (one `SELECT 1`), {a.concurrency} in flight",
         cell(lambda x: f"{x:,.0f} /s", "hb_health_per_s")),
        (f"Full catalog sync from cursor 0, median of {a.syncs}",
         cell(lambda x: f"{x:.2f} s", "cat_seconds", note=ran("cat_syncs", a.syncs, "syncs"))),
        ("... pages of 1,000 / items / body size",
         [f"{results[n]['cat_pages']} / {results[n]['cat_items']:,} / "
          f"{results[n]['cat_mib']:.1f} MiB" for n in names]),
        (f"Events ingestion, batches of {EVENT_BATCH} from {EVENT_SENDERS} terminals "
         f"(median of {a.event_runs} runs of {EVENT_BATCHES_PER_RUN})",
         cell(lambda x: f"{x:,.0f} events/s", "ev_events_per_s",
              note=ran("ev_runs", a.event_runs, "runs"))),
        ("... one batch of 500, p50", cell(lambda x: f"{x:.0f} ms", "ev_batch_p50_ms")),
        ("Seed: migrations + full catalog + 8 citizens", cell(lambda x: f"{x:.1f} s", "seed_s")),
    ]
    print("| measure | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for name, cells in rows:
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(f"\n{os.cpu_count()} CPU cores; one uvicorn worker; clients in the same machine.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
