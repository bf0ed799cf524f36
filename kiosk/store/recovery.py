"""A damaged store does not stop the terminal: it is moved aside (quarantined, for a technician
to look at), a fresh store is made, and what must not be lost is copied over from the damaged
file as far as it can still be read: events not yet delivered to the backend (ratings, problem
reports, audit entries). The catalog comes back from the shipped file or the next sync; the
credential lives in its own file. See docs/decisions/0023-power-loss-and-damaged-store.md.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from kiosk.datadir import private_dir

log = logging.getLogger("kiosk.store.recovery")

# Tables whose rows are salvaged into the fresh store (rows whose unique key exists are kept).
SALVAGE_TABLES: tuple[str, ...] = ("outbox",)
QUARANTINE_DIR = "quarantine"


@dataclass
class Recovery:
    quarantined: Path
    salvaged: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)  # table -> why it could not be read


def quarantine(db_path: Path) -> Path:
    """Move the database and its -wal/-shm/-journal files into <folder>/quarantine/<stamp>/."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = private_dir(db_path.parent / QUARANTINE_DIR / stamp)
    for suffix in ("", "-wal", "-shm", "-journal"):
        f = db_path.with_name(db_path.name + suffix)
        if f.exists():
            shutil.move(str(f), str(target / f.name))
    return target


def _read_rows(damaged: Path, table: str) -> tuple[list[str], list[tuple], str]:
    """(columns, rows, problem) read from a damaged file: as many rows as can be read."""
    rows: list[tuple] = []
    try:
        conn = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [], rows, str(exc)
    try:
        cur = conn.execute(f'SELECT * FROM "{table}"')
        cols = [d[0] for d in cur.description]
        try:
            for row in cur:
                rows.append(row)
        except sqlite3.DatabaseError as exc:
            return cols, rows, f"read stopped after {len(rows)} rows: {exc}"
        return cols, rows, ""
    except sqlite3.DatabaseError as exc:
        return [], rows, str(exc)
    finally:
        conn.close()


def salvage(damaged: Path, fresh: Path, recovery: Recovery) -> None:
    """Copy what can be read of SALVAGE_TABLES from the damaged file into the fresh store."""
    out = sqlite3.connect(fresh)
    try:
        for table in SALVAGE_TABLES:
            cols, rows, problem = _read_rows(damaged, table)
            if problem:
                recovery.unreadable[table] = problem[:300]
            if not rows:
                recovery.salvaged[table] = 0
                continue
            have = [r[1] for r in out.execute(f'PRAGMA table_info("{table}")')]
            keep = [i for i, c in enumerate(cols) if c in have and c != "id"]
            names = ", ".join(f'"{cols[i]}"' for i in keep)
            marks = ", ".join("?" for _ in keep)
            before = out.total_changes
            out.executemany(f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})',
                            [tuple(r[i] for i in keep) for r in rows])
            out.commit()
            recovery.salvaged[table] = out.total_changes - before
    finally:
        out.close()


def open_or_recover(db_path: Path | str):
    """(store, None) for a usable store; (fresh store, Recovery) for a damaged one, moved aside
    with its undelivered events salvaged. Raises StoreError when even that is impossible (the
    folder cannot be written) or the store is from a newer kiosk (never thrown away)."""
    from kiosk.store.db import StoreError, open_store

    db_path = Path(db_path)
    try:
        return open_store(db_path), None
    except StoreError as exc:
        if exc.reason != "corrupt":
            raise
        log.error("store damaged, moving it aside: %s", exc.detail)
    try:
        target = quarantine(db_path)
    except OSError as exc:
        raise StoreError("unwritable", f"cannot move the damaged store aside: {exc}") from None
    store = open_store(db_path)
    recovery = Recovery(target)
    salvage(target / db_path.name, db_path, recovery)
    log.error("store recreated; the damaged one is in %s; salvaged %s%s", target,
              recovery.salvaged, f"; unreadable: {recovery.unreadable}" if recovery.unreadable
              else "")
    return store, recovery
