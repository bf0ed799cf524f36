"""The reference backend for kiosk-side tests: seeded in a folder, served on loopback."""

from __future__ import annotations

from pathlib import Path

from backend.db import open_database
from backend.embedded import EmbeddedBackend
from backend.seed import DEMO_ENROLMENT_CODE, seed_database
from kiosk.sync.adapter import HttpAdapter

ADMIN = "sync-test-admin"
ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


def start_backend(folder: Path, catalog: Path | None = None, *, catalog_limit: int | None = None,
                  citizens: int = 4) -> EmbeddedBackend:
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "backend.sqlite3"
    db = open_database(f"sqlite:///{db_path}")
    try:
        kwargs = {"catalog": catalog} if catalog is not None else {}
        seed_database(db, citizens=citizens, catalog_limit=catalog_limit, **kwargs)
    finally:
        db.close()
    server = EmbeddedBackend(f"sqlite:///{db_path}", admin_token=ADMIN)
    server.start()
    server.db_path = db_path
    return server


def enrolled(url: str, terminal_id: str, **kw) -> HttpAdapter:
    adapter = HttpAdapter(url, **kw)
    adapter.enrol(DEMO_ENROLMENT_CODE, terminal_id)
    return adapter
