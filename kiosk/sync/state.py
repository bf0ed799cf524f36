"""What the kiosk remembers about its sync with the backend, in the local store (`sync_state`).

Keys are strings, values are text (numbers as decimal text, lists as JSON). The catalog position
is written by `kiosk.sync.catalog_sync` inside the same transaction as the page it describes;
this module gives the typed accessors that take an open session for that, and convenience
methods that open their own.

The credential is a bearer secret for this terminal only (not personal data). It is not in the
store but in its own file next to it, ``<data_dir>/credential`` (0600, replaced atomically;
`kiosk.credential`), so a restart does not need a technician and a copy of the store carries no
secret. It goes nowhere else (never logged, never exported).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import credential as credential_file
from kiosk.store.db import Store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# SQLAlchemy is imported by the functions that write: the kiosk reads its sync state as it
# starts (`SyncStateStore.synced_at`, the credential) through the plain sqlite3 reader.

TERMINAL_ID = "terminal_id"
CATALOG_CURSOR = "catalog.cursor"
CATALOG_EPOCH = "catalog.epoch"
CATALOG_FULL = "catalog.full"  # "1" while a sync from cursor 0 is under way
CATALOG_SYNCED_AT = "catalog.synced_at"
COMMANDS_UNACKED = "commands.unacked"  # JSON list of ids carried out, not yet acknowledged


@dataclass(frozen=True)
class CatalogPosition:
    """Where the catalog pull stands: the next page is the one after `cursor` in `epoch`;
    `full` means a sync from 0 is under way (rows not received will be dropped at its end)."""

    cursor: int = 0
    epoch: str = ""
    full: bool = True


def get(s: Session, key: str) -> str | None:
    from sqlalchemy import select

    from kiosk.store.models import SyncState

    return s.scalar(select(SyncState.value).where(SyncState.key == key))


def put(s: Session, key: str, value: str) -> None:
    from kiosk.store.models import SyncState

    s.merge(SyncState(key=key, value=value))


def remove(s: Session, key: str) -> None:
    from sqlalchemy import delete

    from kiosk.store.models import SyncState

    s.execute(delete(SyncState).where(SyncState.key == key))


def read_position(s: Session) -> CatalogPosition:
    cursor = get(s, CATALOG_CURSOR)
    if cursor is None:
        return CatalogPosition()
    return CatalogPosition(int(cursor), get(s, CATALOG_EPOCH) or "", get(s, CATALOG_FULL) == "1")


def write_position(s: Session, pos: CatalogPosition) -> None:
    put(s, CATALOG_CURSOR, str(pos.cursor))
    put(s, CATALOG_EPOCH, pos.epoch)
    put(s, CATALOG_FULL, "1" if pos.full else "0")


class SyncStateStore:
    """Typed access to `sync_state` for code that does not hold a session, and to the
    credential file (by default ``credential`` in the store's folder, the data folder)."""

    def __init__(self, store: Store, credential_path: Path | str | None = None):
        self.store = store
        self.credential_path = (Path(credential_path) if credential_path is not None
                                else credential_file.credential_file(store.path.parent))

    def _read(self, key: str) -> str | None:
        with self.store.read() as c:
            row = c.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def credential(self) -> str | None:
        return credential_file.read(self.credential_path)

    def terminal_id(self) -> str | None:
        return self._read(TERMINAL_ID) or None

    def save_credential(self, terminal_id: str, credential: str) -> None:
        """After an enrolment: the new credential replaces the old one in the file (on disk
        when this returns), the terminal id goes in the store."""
        credential_file.write(self.credential_path, credential)
        with self.store.session() as s:
            put(s, TERMINAL_ID, terminal_id)

    def forget_credential(self) -> None:
        credential_file.forget(self.credential_path)

    def position(self) -> CatalogPosition:
        with self.store.session() as s:
            return read_position(s)

    def reset_catalog(self) -> None:
        """Make the next catalog pull a full one from cursor 0 (e.g. after the catalog file was
        imported over synced data). Local rows stay until that sync has completed."""
        from sqlalchemy import delete

        from kiosk.store.models import CatalogSyncSeen

        with self.store.session() as s:
            write_position(s, CatalogPosition())
            s.execute(delete(CatalogSyncSeen))

    def synced_at(self) -> str | None:
        return self._read(CATALOG_SYNCED_AT)

    def unacked_commands(self) -> list[int]:
        raw = self._read(COMMANDS_UNACKED)
        return [int(i) for i in json.loads(raw)] if raw else []

    def save_unacked_commands(self, ids: list[int]) -> None:
        with self.store.session() as s:
            put(s, COMMANDS_UNACKED, json.dumps(sorted(set(ids))))
