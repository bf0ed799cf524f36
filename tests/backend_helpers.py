"""The reference backend for kiosk-side tests: seeded in a folder, served on loopback."""

from __future__ import annotations

from pathlib import Path

import httpx

from backend.db import open_database
from backend.embedded import EmbeddedBackend
from backend.seed import seed_database
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


def bound_code(url: str, terminal_id: str) -> str:
    """A single-use enrolment code the admin issued for `terminal_id`: what enrolling an
    enrolled terminal again takes (an unbound code such as the demo's enrols new ids only)."""
    r = httpx.post(f"{url}/v1/admin/enrolment-codes", headers=ADMIN_AUTH, timeout=10,
                   json={"terminal_id": terminal_id, "label": "tests"})
    r.raise_for_status()
    return r.json()["code"]


def proof_for(adapter: HttpAdapter, terminal_id: str, id_number: str, *,
              session_id: str | None = None, method: str = "card_face",
              ticket: str | None = None, staff_id: str | None = None):
    """The proof a kiosk sends with a personal call (signed as `BackendRecords` signs it): the
    backend refuses a personal call without one (docs/decisions/0018)."""
    import uuid
    from datetime import datetime, timezone

    from kiosk.flows.ports import BackendRecords
    from kiosk.identity import Verification

    v = Verification(method, datetime.now(timezone.utc), ticket=ticket, staff_id=staff_id)
    return BackendRecords(adapter, terminal_id).proof(id_number, v,
                                                      session_id or uuid.uuid4().hex)


def enrolled(url: str, terminal_id: str, **kw) -> HttpAdapter:
    """An adapter enrolled as `terminal_id`, whether or not that id was enrolled before (tests
    on a module's backend make kiosks of the same ids again)."""
    adapter = HttpAdapter(url, **kw)
    adapter.enrol(bound_code(url, terminal_id), terminal_id)
    return adapter
