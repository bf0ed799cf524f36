"""Fleet benchmark: `python -m bench.fleet_load` (`make bench-fleet`). Prints a Markdown table.

A throwaway PostgreSQL server (tests/pg.py) holds `--terminals` enrolled terminals (10,000; the
rows and credential hashes written directly, as enrolment would leave them). The backend runs
as `python -m backend serve --workers 2` on loopback. Then, in one run:

1. open-loop heartbeats: every terminal heartbeats every `--period` seconds (30) from a phase
   drawn in advance (seeded), for `--duration` seconds; each request is sent at its scheduled
   time whatever happened to the others, on a pool of `--connections` keep-alive connections,
   and its latency counts from the scheduled time (queueing included; no coordinated
   omission). p50/p95/p99, errors, and the CPU share of this generator and of the server;
2. saturation: closed loop on the same server, `GET /v1/health` and heartbeats in four
   interleaved slices, each side `--saturation-s` seconds in all with
   `--saturation-connections` in flight: requests/s and their ratio;
3. the fleet console at this size: the list's first page, a deep page, the offline filter (the
   terminals left out of the schedule were last seen 10 minutes ago) and a text search, as a
   technician, median and p95 of `--list-repeats`.

The generator is one asyncio process speaking minimal HTTP/1.1 over raw streams (requests
prebuilt as bytes), so it costs a small share of the CPU it measures; it reports that share.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.__main__ import percentile  # noqa: E402
from bench.backend import load_pg_module  # noqa: E402

TECH_NO, TECH_PIN = "9001", "581246"
OFFLINE_SHARE = 0.01  # terminals left out of the schedule: last seen 10 minutes ago


# --- setup ------------------------------------------------------------------------------------


def populate(url: str, n: int, seed: int) -> list[tuple[str, str]]:
    """(terminal id, credential) of `n` enrolled terminals in 10 districts × 50 halls, and a
    technician of the whole city."""
    from sqlalchemy import insert

    from backend import staff as st
    from backend.db import open_database
    from backend.models import Terminal, TerminalCredential
    from backend.seed import seed_database

    db = open_database(url)
    seed_database(db, citizens=1, catalog_limit=5)
    rng = random.Random(seed)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    out = []
    rows, creds = [], []
    for i in range(n):
        tid = f"T{i:05d}"
        cred = secrets.token_urlsafe(32)
        out.append((tid, cred))
        rows.append({"id": tid, "place": f"第 {i % 50 + 1} 政务服务大厅 {i // 500 + 1} 号机",
                     "created_at": now, "enrolled_at": now, "last_seen_at": now,
                     "version": "0.1.0", "uptime_s": 0, "backlog": 0, "devices_json": "{}",
                     "hall": f"hall-{i % 50:02d}", "district": f"d{i % 10}",
                     "state": "available", "state_reason": "", "faults": "",
                     "paper_level": rng.choice(["ok"] * 9 + ["low"])})
        creds.append({"terminal_id": tid, "token_sha256": hashlib.sha256(cred.encode())
                      .hexdigest(), "created_at": now})
    with db.write() as s:
        for i in range(0, n, 2000):
            s.execute(insert(Terminal), rows[i:i + 2000])
            s.execute(insert(TerminalCredential), creds[i:i + 2000])
        st.upsert_staff(s, TECH_NO, st.StaffChange(name="王工", role="technician", hall="",
                                                   pin=TECH_PIN))
    db.close()
    return out


def mark_offline(url: str, ids: list[str]) -> None:
    from sqlalchemy import update

    from backend.db import open_database
    from backend.models import Terminal

    db = open_database(url, run_migrations=False)
    with db.write() as s:
        s.execute(update(Terminal).where(Terminal.id.in_(ids)).values(
            last_seen_at=datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(minutes=10)))
    db.close()


class Server:
    def __init__(self, url: str, workers: int, workdir: Path, extra: list[str]):
        self.url, self.workers, self.workdir, self.extra = url, workers, workdir, extra

    def __enter__(self) -> "Server":
        ready = self.workdir / "ready"
        self.log = open(self.workdir / "backend.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "backend", "serve", "--db", self.url, "--host", "127.0.0.1",
             "--port", "0", "--ready-file", str(ready), "--workers", str(self.workers),
             "--log-level", "warning", "--admin-token", "bench-admin", *self.extra],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=self.log,
            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while not ready.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("backend did not start:\n" + (self.workdir / "backend.log")
                                 .read_text(errors="replace")[-3000:])
            time.sleep(0.1)
        base = ready.read_text().strip()
        self.host, self.port = base.split("//")[1].split(":")
        self.port = int(self.port)
        self.base = base
        time.sleep(1.0)  # every worker up
        return self

    def cpu_seconds(self) -> float:
        """User + system CPU of the server's processes (the parent and its workers)."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        pids = [self.proc.pid]
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
            pids += [int(x) for x in children.split()]
        except OSError:
            pass
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
            except OSError:
                pass
        return total

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


# --- a lean HTTP/1.1 client -------------------------------------------------------------------


def heartbeat_request(host: str, port: int, tid: str, cred: str) -> bytes:
    body = json.dumps({"terminal_id": tid, "version": "0.1.0", "uptime_s": 3600, "backlog": 0,
                       "devices": {"receipt_printer": {"status": "ok"},
                                   "id_card_reader": {"status": "ok"}},
                       "state": "available",
                       "paper": {"level": "ok", "sheets_left": 400, "printed_total": 120},
                       "command_kinds": ["reload_catalog", "enter_maintenance",
                                         "leave_maintenance", "new_config", "restart", "lock",
                                         "unlock"]},
                      separators=(",", ":")).encode()
    return (f"POST /v1/heartbeat HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {cred}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def health_request(host: str, port: int) -> bytes:
    return f"GET /v1/health HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()


class Conn:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def call(self, request: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        if length:
            await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def open_loop(host: str, port: int, requests: list[bytes], schedule: list[tuple[float, int]],
                    connections: int) -> tuple[list[float], int, float]:
    """(latencies in ms from the scheduled time, errors, wall seconds)."""
    queue: asyncio.Queue = asyncio.Queue()
    latencies: list[float] = []
    errors = 0
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.5

    async def worker() -> None:
        nonlocal errors
        conn = Conn(host, port)
        while True:
            item = await queue.get()
            if item is None:
                conn.close()
                return
            due, index = item
            try:
                status = await conn.call(requests[index])
                if status != 200:
                    errors += 1
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                conn.close()
            latencies.append((loop.time() - due) * 1000)

    workers = [asyncio.create_task(worker()) for _ in range(connections)]
    for offset, index in schedule:
        due = start + offset
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((due, index))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    return latencies, errors, loop.time() - start


async def closed_loop(host: str, port: int, requests: list[bytes], seconds: float,
                      connections: int) -> tuple[float, int]:
    """(requests a second, errors) with `connections` requests in flight."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    done = errors = 0
    counter = iter(range(10**12))

    async def worker() -> None:
        nonlocal done, errors
        conn = Conn(host, port)
        while loop.time() < end:
            try:
                if await conn.call(requests[next(counter) % len(requests)]) != 200:
                    errors += 1
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                conn.close()
            done += 1
        conn.close()

    t0 = loop.time()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return done / (loop.time() - t0), errors


# --- the fleet console ------------------------------------------------------------------------


def bench_list(base: str, repeats: int, offline_expected: int) -> list[tuple[str, float, float]]:
    import httpx

    rows = []
    with httpx.Client(base_url=base, timeout=30) as c:
        r = c.post("/console/api/login", json={"staff_no": TECH_NO, "pin": TECH_PIN})
        r.raise_for_status()
        cases = [("first page (50 of all)", {"page": 1, "size": 50}),
                 ("page 150 (50 a page)", {"page": 150, "size": 50}),
                 ("offline filter", {"fault": "offline", "size": 50}),
                 ("district + paper filter", {"district": "d3", "fault": "paper"}),
                 ("search by id", {"q": "T0999"})]
        for name, params in cases:
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                r = c.get("/console/api/fleet", params=params)
                times.append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()
            body = r.json()
            if params.get("fault") == "offline" and body["total"] != offline_expected:
                raise SystemExit(f"offline filter found {body['total']} terminals, "
                                 f"expected {offline_expected}")
            if params.get("page") == 150 and body["total"] >= 7500 and len(body["terminals"]) != 50:
                raise SystemExit("page 150 is not full")
            rows.append((name, statistics.median(times), percentile(times, 95)))
    return rows


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--terminals", type=int, default=10_000)
    ap.add_argument("--period", type=float, default=30.0, help="seconds between heartbeats")
    ap.add_argument("--duration", type=float, default=60.0, help="open-loop seconds")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--saturation-s", type=float, default=8.0)
    ap.add_argument("--saturation-connections", type=int, default=32)
    ap.add_argument("--list-repeats", type=int, default=20)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--server-arg", action="append", default=[],
                    help="extra argument to `backend serve` (repeatable)")
    args = ap.parse_args(argv)

    pg_mod = load_pg_module()
    with pg_mod.TempPostgres() as pg, tempfile.TemporaryDirectory() as tmp:
        url = pg.create_database("fleet")
        t0 = time.perf_counter()
        terminals = populate(url, args.terminals, args.seed)
        rng = random.Random(args.seed)
        offline = set(rng.sample(range(args.terminals), int(args.terminals * OFFLINE_SHARE)))
        mark_offline(url, [terminals[i][0] for i in offline])
        setup_s = time.perf_counter() - t0
        with Server(url, args.workers, Path(tmp), args.server_arg) as server:
            requests = [heartbeat_request(server.host, server.port, tid, cred)
                        for tid, cred in terminals]
            schedule = []
            for i in range(args.terminals):
                if i in offline:
                    continue
                t = rng.uniform(0, args.period)
                while t < args.duration:
                    schedule.append((t, i))
                    t += args.period
            schedule.sort()
            online = [requests[i] for i in range(args.terminals) if i not in offline]
            # warm-up: every worker's connections and caches (not measured)
            asyncio.run(closed_loop(server.host, server.port, online, 2.0, 8))

            ru0, srv0 = resource.getrusage(resource.RUSAGE_SELF), server.cpu_seconds()
            latencies, errors, wall = asyncio.run(open_loop(
                server.host, server.port, requests, schedule, args.connections))
            ru1, srv1 = resource.getrusage(resource.RUSAGE_SELF), server.cpu_seconds()
            gen_cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
            srv_cpu = srv1 - srv0

            # Interleaved slices (health, heartbeats, health, ...): the machine's other load
            # drifts, and both sides of the ratio should see the same drift.
            health = [health_request(server.host, server.port)]
            slices = 4
            h_rates, b_rates, health_err, beat_err = [], [], 0, 0
            for _ in range(slices):
                rate, err = asyncio.run(closed_loop(server.host, server.port, health,
                                                    args.saturation_s / slices,
                                                    args.saturation_connections))
                h_rates.append(rate)
                health_err += err
                rate, err = asyncio.run(closed_loop(server.host, server.port, online,
                                                    args.saturation_s / slices,
                                                    args.saturation_connections))
                b_rates.append(rate)
                beat_err += err
            health_rps, beat_rps = statistics.mean(h_rates), statistics.mean(b_rates)
            listing = bench_list(server.base, args.list_repeats, len(offline))

    offered = len(schedule) / args.duration
    cores = os.cpu_count() or 1
    print(f"\n{args.terminals:,} terminals on PostgreSQL, {args.workers} workers, "
          f"{cores} cores shared by server, database and generator; setup {setup_s:.0f} s\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| open loop: offered | {offered:.0f} heartbeats/s for {args.duration:.0f} s "
          f"({len(schedule):,} requests, {len(offline)} terminals silent) |")
    print(f"| open loop: p50 / p95 / p99 / max | {percentile(latencies, 50):.1f} / "
          f"{percentile(latencies, 95):.1f} / {percentile(latencies, 99):.1f} / "
          f"{max(latencies):.1f} ms |")
    print(f"| open loop: errors | {errors} of {len(latencies):,} |")
    print(f"| load generator CPU | {gen_cpu / wall * 100:.1f} % of one core "
          f"({gen_cpu / wall / cores * 100:.1f} % of the machine) |")
    print(f"| server CPU (both workers) | {srv_cpu / wall * 100:.0f} % of one core, "
          f"{srv_cpu / max(1, len(latencies)) * 1000:.2f} ms a heartbeat |")
    print(f"| saturation: GET /v1/health | {health_rps:.0f} requests/s ({health_err} errors) |")
    print(f"| saturation: heartbeats | {beat_rps:.0f} requests/s ({beat_err} errors) |")
    print(f"| saturation ratio heartbeat / health | {beat_rps / health_rps:.2f} |")
    for name, med, p95 in listing:
        print(f"| fleet list: {name} | {med:.1f} ms median, {p95:.1f} ms p95 |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
