"""The fleet benchmark's bounded form (bench/fleet_load.py; `make bench-fleet` runs 10,000
terminals): 200 terminals on PostgreSQL, two workers, 3 s of open-loop heartbeats, the
saturation slices and the fleet list; no errors, the silent terminals found offline."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))



def test_fleet_load_small(capsys):
    import pg
    from bench import fleet_load

    try:
        pg.find_bindir()
        pg.check_driver()
    except pg.PostgresUnavailable as exc:
        pg.unavailable(str(exc))
    assert fleet_load.main(["--terminals", "200", "--duration", "3", "--saturation-s", "1",
                            "--list-repeats", "2", "--connections", "8"]) == 0
    out = capsys.readouterr().out
    assert "| open loop: errors | 0 of " in out
    assert "saturation ratio heartbeat / health" in out and "fleet list: offline filter" in out
