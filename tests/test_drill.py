"""Issue 11's drills in bounded form (the full ones: `make bench-drill`, `make bench-soak`).

- The kill drill (bench/kill_drill.py) with 20 SIGKILLs of a kiosk process at random moments
  of citizen sessions, prints and outbox pushes, each followed by a restart on the same data
  folder, then a clean run that drains the outbox: every event the store committed is at the
  reference backend (its own process) exactly once, every print job printed once or marked for
  staff (none doubled, none left queued or printing), the store passes its integrity check and
  nothing was quarantined.
- The drill's checks themselves, on hand-made stores: each kind of fault is caught.
- The soak (bench/soak.py) in a process of its own: a bounded number of scripted sessions by
  taps on the real window; widgets, open files and threads do not grow after the warm-up and
  resident memory stays within a bound. The issue's 1,000-session form is marked slow (about
  8 minutes on the 2-core test machine; run it with -m slow or KIOSK_SLOW_TESTS=1): the default
  run does 145 sessions (growth measured from session 100, ~1.5 minutes).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench import kill_drill
from bench.kill_drill import PHASES, TERMINAL, check

ROOT = Path(__file__).resolve().parents[1]



# --- the drill -------------------------------------------------------------------------------

def test_kill_drill_20_kills_loses_and_doubles_nothing(tmp_path):
    r = kill_drill.run(20, seed=20, folder=tmp_path, quiet=True)
    assert r["failures"] == []
    assert r["kills"] == 20
    assert set(r["phases_chosen"]) == set(PHASES)  # each phase was aimed at
    assert r["events_committed"] > 0 and r["jobs"] > 0
    assert (r["events_lost"], r["events_doubled"], r["events_foreign"],
            r["events_same_under_two_keys"]) == (0, 0, 0, 0)
    assert r["events_at_backend"] == r["events_committed"]
    assert r["outbox_left"] == {}
    assert r["jobs_bad"] == [] and r["jobs_printed_twice"] == 0
    assert r["log_keys_not_in_store"] == 0 and r["committed_not_logged"] <= 20
    assert r["integrity"] == "ok" and r["quarantined"] == []
    assert r["a4_partial_files"] == 0
    assert r["ok"]


# --- the drill's checks catch each fault ----------------------------------------------------

def _drill(tmp_path, *, committed, at_backend, jobs, printed, outbox=()) -> Path:
    """A drill folder and a backend database as the drill leaves them, made by hand."""
    drill = tmp_path / "kiosk-side"
    (drill / "data").mkdir(parents=True)
    (drill / "a4").mkdir()
    con = sqlite3.connect(drill / "data" / "kiosk.sqlite3")
    con.executescript("CREATE TABLE outbox (idempotency_key TEXT, kind TEXT, state TEXT);"
                      "CREATE TABLE print_jobs (id TEXT, state TEXT, reason TEXT);")
    con.executescript(kill_drill.TRIGGER_SQL)
    con.executemany("INSERT INTO outbox VALUES (?, 'rating', ?)", outbox)
    con.executemany("INSERT OR IGNORE INTO drill_events VALUES (?, 'rating')", [(k,) for k in committed])
    con.executemany("INSERT INTO print_jobs VALUES (?, ?, '')", jobs)
    con.commit()
    con.close()
    (drill / "created.log").write_text(
        "".join(f"E {k}\n" for k in committed) + "".join(f"J {j}\n" for j, _ in jobs))
    (drill / "printed.log").write_text("".join(f"receipt {j}\n" for j in printed))
    b = sqlite3.connect(tmp_path / "backend.sqlite3")
    b.execute("CREATE TABLE events (idempotency_key TEXT, terminal_id TEXT, kind TEXT, "
              "payload_json TEXT, occurred_at TEXT)")
    b.executemany("INSERT INTO events VALUES (?, ?, 'rating', ?, ?)",
                  [(k, TERMINAL, f'{{"n": {i}}}', f"2026-12-04T10:00:{i:02d}")
                   for i, k in enumerate(at_backend)])
    b.commit()
    b.close()
    return drill


GOOD = {"committed": ["a", "b"], "at_backend": ["a", "b"],
            "jobs": [("j1", "done"), ("j2", "needs_attention"), ("j3", "expired")],
            "printed": ["j1"]}


def _check(tmp_path, **change):
    drill = _drill(tmp_path, **{**GOOD, **change})
    return check(drill, tmp_path / "backend.sqlite3", kills=1, receipts_seen=0)


def test_check_passes_a_clean_drill(tmp_path):
    assert _check(tmp_path)["ok"]


@pytest.mark.parametrize("change, field, value", [
    ({"at_backend": ["a"]}, "events_lost", 1),
    ({"at_backend": ["a", "b", "b"]}, "events_doubled", 1),
    ({"at_backend": ["a", "b", "x"]}, "events_foreign", 1),
    ({"outbox": [("b", "rejected")]}, "outbox_left", {"rejected": 1}),
    ({"printed": ["j1", "j1"]}, "jobs_printed_twice", 1),
    ({"printed": []}, "jobs_bad", [("j1", "done", 0)]),
    ({"printed": ["j1", "j3"]}, "jobs_bad", [("j3", "expired", 1)]),
    ({"jobs": [("j1", "done"), ("j4", "queued")]}, "jobs_bad", [("j4", "queued", 0)]),
])
def test_check_catches_each_fault(tmp_path, change, field, value):
    r = _check(tmp_path, **change)
    assert r[field] == value
    assert not r["ok"]


def test_check_catches_a_damaged_store(tmp_path):
    drill = _drill(tmp_path, **GOOD)
    (drill / "data" / "quarantine" / "20261204T100000").mkdir(parents=True)
    r = check(drill, tmp_path / "backend.sqlite3", kills=1, receipts_seen=0)
    assert r["quarantined"] and not r["ok"]


# --- the soak --------------------------------------------------------------------------------

def _soak(tmp_path, sessions: int, warmup: int) -> dict:
    out = tmp_path / "soak.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "bench.soak", "--sessions", str(sessions),
                           "--warmup", str(warmup), "--json", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=sessions * 3 + 120, check=False)
    assert out.exists(), proc.stderr[-3000:]  # a crash or a stuck session: no result
    return json.loads(out.read_text())


def _flat(r: dict, warmup: int, rss_bound_mib: float) -> None:
    samples = r["samples"]
    base = next(s for s in samples if s["session"] >= warmup)
    last = samples[-1]
    assert last["session"] == r["sessions"]
    # a connection to the backend or the print helper's pipe may be open at either sample: a
    # leak of one per session would be ninety more by the end
    assert last["fds"] <= base["fds"] + 3, samples
    assert last["threads"] <= base["threads"] and last["os_threads"] <= base["os_threads"]
    assert last["widgets"] <= base["widgets"], r["widgets_grown"]
    assert last["rss_mib"] - base["rss_mib"] <= rss_bound_mib, samples


def test_soak_bounded(tmp_path):
    # 145 - 100 = 5 rounds of the nine items: widget counts compare like with like
    r = _soak(tmp_path, 145, 100)
    _flat(r, 100, rss_bound_mib=2.0)


@pytest.mark.slow
def test_soak_1000_sessions(tmp_path):
    r = _soak(tmp_path, 1000, 100)
    _flat(r, 100, rss_bound_mib=5.0)
