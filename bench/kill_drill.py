"""Kill drill: `make bench-drill` (or `python -m bench.kill_drill --kills 200`).

What runs (issue 11, docs/decisions/0027):
- the reference backend as its own process with its own folder: it outlives every kill;
- a receipt printer (the virtual ESC/POS network printer) and the A4 printer's folder, both
  owned by this parent process, so they outlive the kiosk too;
- a kiosk child process built by the production wiring (`wiring.ui.build_kiosk`) with its real
  window offscreen, doing scripted citizen sessions by taps (bench.flows.Driver), printing, and
  pushing its outbox to the backend every second.

The parent SIGKILLs the child at a random moment (seeded): it picks a phase uniformly among a
citizen session, a print and an outbox push, waits for the child to enter it and kills after a
uniform delay over that phase's measured length (a little past its end, so the commits after
it are hit too), then starts the child again on the same data folder. After the last kill a
clean run drains the outbox and stops in order. Then it checks:

- events: the store records, in the same transaction as each outbox insert, the event's key in a
  drill-only table (a trigger the drill adds: the outbox deletes delivered rows, so this table is
  what the store itself says was ever committed). Every such key is at the backend exactly once
  (rows counted per key), nothing from this terminal is at the backend that the store did not
  commit, no two keys carry the same event (kind, payload and time), the outbox is empty.
  The child's fsync'd log of committed keys is a cross-check: each logged key is in the store;
  a key committed but not yet logged when the kill came is allowed (at most one per kill).
- prints: the test printers record each job's id as they print it (the driver the spooler calls
  looks up the one job in state ``printing`` on that printer, prints through the real driver,
  then appends the id to an fsync'd log; the citizen's paper carries nothing extra). Every job in
  the journal is done and printed exactly once, or needs_attention and printed at most once, or
  expired/failed and never printed; none left queued or printing; none printed twice.
- the kiosk store passes `PRAGMA integrity_check` and nothing was quarantined.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

TERMINAL = "DRILL-0001"
PHASES = ("session", "print", "push")
START_MARK = {"session": "S", "print": "P", "push": "U"}
END_MARK = {"session": "s", "print": "p", "push": "u"}
DEFAULT_SPAN = {"session": 1.0, "print": 0.02, "push": 0.05}
TRIGGER_SQL = """
CREATE TABLE IF NOT EXISTS drill_events (idempotency_key TEXT PRIMARY KEY, kind TEXT);
CREATE TRIGGER IF NOT EXISTS drill_outbox_insert AFTER INSERT ON outbox
BEGIN INSERT INTO drill_events VALUES (NEW.idempotency_key, NEW.kind); END;
"""


# --- the child: one kiosk life ----------------------------------------------------------------

def _mark(code: str) -> None:
    """Tell the parent which phase the kiosk is in (one short line, written at once)."""
    try:
        os.write(1, code.encode() + b"\n")
    except OSError:
        pass


def _append(path: Path, line: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


class RecordingDriver:
    """A test printer: prints through the real driver, then records which job it printed (the
    one job the spooler has claimed on this printer) in a log that outlives the kiosk."""

    def __init__(self, inner, db: Path, log: Path):
        self.inner, self.name, self.db, self.log = inner, inner.name, db, log

    def status(self):
        return self.inner.status()

    def _claimed(self) -> list[str]:
        con = sqlite3.connect(self.db, timeout=30)
        try:
            return [r[0] for r in con.execute(
                "SELECT id FROM print_jobs WHERE printer = ? AND state = 'printing'", (self.name,))]
        finally:
            con.close()

    def print_job(self, data: bytes) -> None:
        _mark("P")
        jobs = self._claimed()
        self.inner.print_job(data)
        _append(self.log, f"{self.name} {','.join(jobs) or '?'}")
        _mark("p")

    def close(self) -> None:
        getattr(self.inner, "close", lambda: None)()


def _instrument(drill: Path) -> None:
    """Log each committed event key and submitted job id (fsync'd), mark pushes. Drill-only
    wrappers around the production classes, in the child process."""
    from kiosk.sync.adapter import HttpAdapter
    from kiosk.sync.outbox import Outbox, OutboxWriter
    from printing.spooler import Spooler

    add, submit, push = Outbox.add, Spooler.submit, HttpAdapter.push_events
    hand_over = OutboxWriter.add

    def logged_hand_over(self, *a, **kw):  # a tap's event handed to the writer thread
        key = hand_over(self, *a, **kw)
        _append(drill / "created.log", f"H {key}")
        return key

    def logged_add(self, *a, **kw):
        key = add(self, *a, **kw)
        _append(drill / "created.log", f"E {key}")
        return key

    def logged_submit(self, *a, **kw):
        job = submit(self, *a, **kw)
        _append(drill / "created.log", f"J {job}")
        return job

    def marked_push(self, *a, **kw):
        _mark("U")
        try:
            return push(self, *a, **kw)
        finally:
            _mark("u")

    Outbox.add, Spooler.submit, HttpAdapter.push_events = logged_add, logged_submit, marked_push
    OutboxWriter.add = logged_hand_over


def child(drill: Path, offset: int, drain: bool) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from screens.main import make_application

    app = make_application()
    from bench.flows import SCRIPT, Driver, fast_card_reader
    from kiosk.config import parse_config
    from kiosk.store.db import DB_FILENAME
    from printing.drivers import network_driver
    from printing.factory import DOCUMENT, RECEIPT
    from printing.virtual_a4 import FolderDriver
    from protocol.demo import DEMO_CITIZENS
    from wiring import Overrides
    from wiring.ui import build_kiosk

    setup = json.loads((drill / "setup.json").read_text(encoding="utf-8"))
    config = parse_config(setup["config"], "<drill>")
    db = Path(setup["config"]["paths"]["data_dir"]) / DB_FILENAME
    _instrument(drill)
    printed = drill / "printed.log"
    drivers = {
        RECEIPT: RecordingDriver(network_driver(RECEIPT, "127.0.0.1", setup["receipt_port"], 2),
                                 db, printed),
        DOCUMENT: RecordingDriver(FolderDriver(DOCUMENT, Path(setup["a4"])), db, printed)}
    kiosk = build_kiosk(config, overrides=Overrides(id_reader=fast_card_reader(),
                                                    printer_drivers=drivers))
    window = kiosk.window
    window.show_kiosk()
    app.processEvents()
    kiosk.start()
    d = Driver(window, app)
    d.settle(lambda: kiosk.services.sync.adapter is not None, timeout=60)
    _mark("R")
    if drain:  # the last, clean run: everything delivered, then stop in order
        outbox, spooler = kiosk.core.outbox, kiosk.spooler
        d.settle(lambda: outbox.pending_count() == 0 and not spooler.jobs(
            frozenset({"queued", "printing"})), timeout=180)
        window.close()
        kiosk.close()
        _mark("D")
        return 0
    n = offset
    while True:
        flow_id, who, shows = SCRIPT[n % len(SCRIPT)]
        _mark("S")
        d.session(flow_id, None if who is None else DEMO_CITIZENS[who], shows)
        _mark("s")
        n += 1


# --- the parent: kills, restarts, checks ------------------------------------------------------

class Life:
    """One child process and the phase marks it writes."""

    def __init__(self, drill: Path, offset: int, drain: bool = False):
        cmd = [sys.executable, "-m", "bench.kill_drill", "--child", str(drill),
               "--offset", str(offset)] + (["--drain"] if drain else [])
        self.err = open(drill / "child-stderr.log", "ab")  # noqa: SIM115 (closed by kill)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.err)
        self.marks: list[tuple[str, float]] = []
        self.cond = threading.Condition()
        self.t0 = time.perf_counter()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.cond:
                self.marks.append((line.decode(errors="replace").strip(), time.perf_counter()))
                self.cond.notify_all()
        with self.cond:
            self.marks.append(("EOF", time.perf_counter()))
            self.cond.notify_all()

    def wait_for(self, code: str, since: int = 0, timeout: float = 60.0) -> int | None:
        """Index of the first mark `code` at or after `since`; None on timeout or exit."""
        deadline = time.perf_counter() + timeout
        with self.cond:
            while True:
                for i in range(since, len(self.marks)):
                    if self.marks[i][0] == code:
                        return i
                    if self.marks[i][0] == "EOF":
                        return None
                left = deadline - time.perf_counter()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def phase_now(self) -> str:
        with self.cond:
            open_ = {p: False for p in PHASES}
            for code, _ in self.marks:
                for p in PHASES:
                    if code == START_MARK[p]:
                        open_[p] = True
                    elif code == END_MARK[p]:
                        open_[p] = False
            return "+".join(p for p in PHASES if open_[p]) or "between"

    def durations(self, phase: str) -> list[float]:
        out, start = [], None
        with self.cond:
            for code, t in self.marks:
                if code == START_MARK[phase]:
                    start = t
                elif code == END_MARK[phase] and start is not None:
                    out.append(t - start)
                    start = None
        return out

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.finish()

    def finish(self, timeout: float | None = None) -> int:
        rc = self.proc.wait(timeout)
        self.reader.join(10)
        self.proc.stdout.close()
        self.err.close()
        return rc

    def tail(self) -> str:
        text = (Path(self.err.name).read_bytes()[-3000:]).decode(errors="replace")
        return text


def prepare(drill: Path, backend_url: str, receipt_port: int) -> dict:
    from bench.flows import kiosk_config
    from kiosk.config import parse_config
    from kiosk.store.db import DB_FILENAME, open_store

    raw = kiosk_config(drill / "data", backend_url, receipt_port, drill / "a4", TERMINAL,
                       push_interval_s=1)
    setup = {"config": raw, "receipt_port": receipt_port, "a4": str(drill / "a4")}
    (drill / "setup.json").write_text(json.dumps(setup), encoding="utf-8")
    config = parse_config(raw, "<drill>")
    open_store(drill / "data" / DB_FILENAME).close()  # created and migrated
    con = sqlite3.connect(drill / "data" / DB_FILENAME)
    con.executescript(TRIGGER_SQL)
    con.close()
    return config


def check(drill: Path, backend_db: Path, kills: int, receipts_seen: int) -> dict:
    from kiosk.store.db import DB_FILENAME

    data = drill / "data"
    con = sqlite3.connect(data / DB_FILENAME)
    integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    committed = dict(con.execute("SELECT idempotency_key, kind FROM drill_events"))
    outbox_left = Counter(s for (s,) in con.execute("SELECT state FROM outbox"))
    jobs = {i: (st, r) for i, st, r in con.execute("SELECT id, state, reason FROM print_jobs")}
    con.close()
    quarantined = sorted(str(p.relative_to(data)) for p in (data / "quarantine").glob("*")) \
        if (data / "quarantine").exists() else []

    logged: dict[str, set[str]] = {"E": set(), "J": set(), "H": set()}
    for line in (drill / "created.log").read_text(encoding="utf-8").splitlines():
        kind, _, value = line.partition(" ")
        logged[kind].add(value)
    logged_events, logged_jobs, handed_over = logged["E"], logged["J"], logged["H"]
    printed: Counter = Counter()
    unknown_prints = 0
    for line in (drill / "printed.log").read_text(encoding="utf-8").splitlines():
        _, _, ids = line.partition(" ")
        if ids == "?" or "," in ids:
            unknown_prints += 1
        for i in ids.split(","):
            printed[i] += 1

    b = sqlite3.connect(backend_db)
    at_backend = Counter(k for (k,) in b.execute(
        "SELECT idempotency_key FROM events WHERE terminal_id = ?", (TERMINAL,)))
    same_event = b.execute(
        "SELECT count(*) FROM (SELECT 1 FROM events WHERE terminal_id = ? "
        "GROUP BY kind, payload_json, occurred_at HAVING count(*) > 1)", (TERMINAL,)).fetchone()[0]
    b.close()

    lost = [k for k in committed if at_backend[k] == 0]
    doubled = [k for k in committed if at_backend[k] > 1]
    foreign = [k for k in at_backend if k not in committed]
    log_not_in_store = logged_events - committed.keys()
    committed_unlogged = committed.keys() - logged_events

    states = Counter(st for st, _ in jobs.values())
    reasons = Counter(f"{st}/{r}" for st, r in jobs.values() if st != "done")
    bad_jobs = []
    for i, (st, _) in jobs.items():
        n = printed[i]
        if (st == "done" and n != 1) or (st == "needs_attention" and n > 1) or \
                (st in ("expired", "failed") and n != 0) or st in ("queued", "printing"):
            bad_jobs.append((i, st, n))
    printed_unknown_job = [i for i in printed if i not in jobs]
    return {
        "integrity": integrity, "quarantined": quarantined,
        "events_committed": len(committed), "events_kinds": dict(Counter(committed.values())),
        "events_at_backend": sum(at_backend.values()), "events_lost": len(lost),
        "events_doubled": len(doubled), "events_foreign": len(foreign),
        "events_same_under_two_keys": same_event,
        "outbox_left": dict(outbox_left),
        "log_keys_not_in_store": len(log_not_in_store),
        "committed_not_logged": len(committed_unlogged),
        # a tap's event handed to the OutboxWriter (which saves it on its own thread so a tap
        # never waits for SQLite) and killed before the writer's commit: gone with the process
        "handed_over_never_committed": len(handed_over - committed.keys()),
        "jobs": len(jobs), "job_states": dict(states), "job_reasons": dict(reasons),
        "jobs_printed_twice": sum(1 for n in printed.values() if n > 1),
        "jobs_bad": bad_jobs, "printed_unknown_job": len(printed_unknown_job),
        "prints_without_claim": unknown_prints,
        "log_jobs_not_in_store": len(logged_jobs - jobs.keys()),
        "receipts_at_printer": receipts_seen,
        "a4_files": len(list((drill / "a4").glob("job-*.pdf"))),
        "a4_partial_files": len(list((drill / "a4").glob("job-*.tmp"))),
        "ok": (integrity == "ok" and not quarantined and not lost and not doubled
               and not foreign and not same_event and not log_not_in_store
               and len(committed_unlogged) <= kills and not outbox_left and not bad_jobs
               and not printed_unknown_job and not unknown_prints
               and not (logged_jobs - jobs.keys())),
    }


def run(kills: int, seed: int = 11, folder: Path | None = None, quiet: bool = False) -> dict:
    from printing.virtual_printer import VirtualPrinter
    from wiring.demo_backend import DemoBackend

    rng = random.Random(seed)
    tmp = tempfile.TemporaryDirectory() if folder is None else None
    root = Path(tmp.name) if tmp else folder
    drill = root / "kiosk-side"
    drill.mkdir(parents=True, exist_ok=True)
    spans = {p: [] for p in PHASES}
    record: list[dict] = []
    failures: list[str] = []
    t_start = time.perf_counter()
    try:
        with DemoBackend(root / "backend", citizens=20) as backend, VirtualPrinter() as vp:
            config = prepare(drill, backend.url, vp.port)
            from bench.flows import enrol
            enrol(config, backend)
            for k in range(kills):
                life = Life(drill, rng.randrange(9))
                ready = life.wait_for("R", timeout=120)
                if ready is None:
                    failures.append(f"life {k}: did not start: {life.tail()}")
                    life.kill()
                    break
                phase = rng.choice(PHASES)
                with life.cond:  # the next start of that phase (not a print of a job
                    now = len(life.marks)  # left by the last life, done before "ready")
                hit = life.wait_for(START_MARK[phase], since=max(now, ready), timeout=30)
                span = statistics.median(spans[phase]) * 1.5 if spans[phase] \
                    else DEFAULT_SPAN[phase]
                delay = rng.uniform(0, span)
                time.sleep(delay)
                exited = life.proc.poll()
                at = life.phase_now()
                life.kill()
                for p in PHASES:
                    spans[p].extend(life.durations(p))
                if exited is not None:
                    failures.append(f"life {k}: exited by itself ({exited}): {life.tail()}")
                    break
                record.append({"phase": phase, "reached": hit is not None, "delay_s": delay,
                               "at": at, "life_s": time.perf_counter() - life.t0})
                if not quiet:
                    print(f"  kill {k + 1}/{kills}: {phase} (+{delay * 1000:.0f} ms), in {at}",
                          file=sys.stderr, flush=True)
            t_drain = time.perf_counter()
            if not failures:
                life = Life(drill, 0, drain=True)
                done = life.wait_for("D", timeout=300)
                rc = life.finish(60)
                if done is None or rc != 0:
                    failures.append(f"drain run failed (rc {rc}): {life.tail()}")
            t_end = time.perf_counter()
            receipts = len(vp.jobs)
        result = check(drill, backend.db_path, kills, receipts)
    finally:
        if tmp:
            tmp.cleanup()
    result.update({
        "kills": len(record), "failures": failures, "seed": seed,
        "phases_chosen": dict(Counter(r["phase"] for r in record)),
        "phase_at_kill": dict(Counter(r["at"] for r in record)),
        "phase_not_reached": sum(1 for r in record if not r["reached"]),
        "elapsed_s": t_end - t_start, "drain_s": t_end - t_drain,
        "life_median_s": statistics.median(r["life_s"] for r in record) if record else 0,
        "span_ms": {p: round(statistics.median(v) * 1000, 1) if v else None
                    for p, v in spans.items()},
    })
    result["ok"] = result["ok"] and not failures and len(record) == kills
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.kill_drill")
    p.add_argument("--kills", type=int, default=200)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--keep", type=Path, help="keep the drill's folders here")
    p.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--offset", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--drain", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child:
        return child(a.child, a.offset, a.drain)
    r = run(a.kills, a.seed, a.keep)
    print(json.dumps({k: v for k, v in r.items() if k != "jobs_bad"}, indent=1, default=str))
    for f in r["failures"]:
        print("FAILURE:", f)
    for j in r["jobs_bad"][:20]:
        print("BAD JOB:", j)
    print(f"| kill drill ({r['kills']} SIGKILLs, seed {r['seed']}, {r['elapsed_s']:.0f} s) "
          f"| result |\n|---|---|")
    print(f"| kills by phase chosen (session / print / push) | "
          f"{' / '.join(str(r['phases_chosen'].get(x, 0)) for x in PHASES)} |")
    print(f"| where the kiosk was at the kill | {r['phase_at_kill']} |")
    print(f"| events committed (store) / at the backend | {r['events_committed']} / "
          f"{r['events_at_backend']} |")
    print(f"| events lost / doubled / unknown at backend / same event under two keys | "
          f"{r['events_lost']} / {r['events_doubled']} / {r['events_foreign']} / "
          f"{r['events_same_under_two_keys']} |")
    print(f"| committed but not yet in the child's log at the kill | {r['committed_not_logged']} |")
    print(f"| handed to the outbox writer, killed before its commit | "
          f"{r['handed_over_never_committed']} |")
    print(f"| print jobs / by state | {r['jobs']} / {r['job_states']} |")
    print(f"| jobs printed twice / in a wrong state for their prints | "
          f"{r['jobs_printed_twice']} / {len(r['jobs_bad'])} |")
    print(f"| integrity_check / quarantined | {r['integrity']} / {len(r['quarantined'])} |")
    print(f"| median life of a kiosk process / final drain | {r['life_median_s']:.1f} s / "
          f"{r['drain_s']:.1f} s |")
    print(f"\n{'PASS' if r['ok'] else 'FAIL'}")
    return 0 if r["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
