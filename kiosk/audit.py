"""The terminal's audit log of staff actions: hash-chained entries (protocol.staff.AuditEntry,
each carrying the hash of the one before, the first linking to GENESIS), kept in the store's
``audit_log`` table and queued as outbox events of kind ``audit`` in the same transaction, so
the backend gets exactly the chain the terminal holds. No Qt here.

`AuditLog.append` is called on the UI thread during a tap: it checks the detail at once (no ID
number, no name) and hands the write to the outbox writer's thread (`OutboxWriter.submit`),
which numbers the entry, links it to the last one and saves entry and event together. One
thread writes the chain, so entries never race for a number.

`verify(store)` checks the local chain (`kiosk audit verify`): an entry altered, removed or
moved is found and named.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from kiosk.privacy import PersonalDataError, contains_id_number
from protocol.staff import GENESIS, AuditAction, audit_hash, chain_problem

if TYPE_CHECKING:
    from kiosk.store.db import Store
    from kiosk.sync.outbox import Outbox

log = logging.getLogger("kiosk.audit")

# Keys a detail must never have: the audit log names staff, never citizens.
_FORBIDDEN_KEYS = frozenset({"name", "id_number", "holder", "citizen_name", "phone"})


def check_detail(detail: Mapping[str, Any]) -> dict[str, Any]:
    """The detail as JSON-safe plain values; refuses an ID number or a name field."""
    if contains_id_number(dict(detail)):
        raise PersonalDataError("an audit entry must not carry an ID number (mask it)")
    bad = _FORBIDDEN_KEYS.intersection(detail)
    if bad:
        raise PersonalDataError(f"an audit entry must not carry {', '.join(sorted(bad))}")
    return json.loads(json.dumps(dict(detail), ensure_ascii=False))


def make_entry(seq: int, prev: str, *, at: datetime, terminal_id: str, action: AuditAction,
               staff_no: str, detail: Mapping[str, Any]) -> dict[str, Any]:
    """The entry as its JSON payload, hashed over exactly the text the backend will check."""
    from protocol.staff import AuditEntry  # pydantic: with the first entry, not at start

    draft = AuditEntry(seq=seq, at=at, terminal_id=terminal_id, action=action,
                       staff_no=staff_no, detail=dict(detail), prev=prev, hash=GENESIS)
    payload = draft.model_dump(mode="json")
    payload["hash"] = audit_hash(payload)
    # the payload must come back the same through the model (what the backend parses)
    assert AuditEntry.model_validate(payload).model_dump(mode="json") == payload
    return payload


class AuditLog:
    """`submit(work)` runs `work()` off the UI thread, in order (OutboxWriter.submit)."""

    def __init__(self, store: Store, outbox: Outbox, terminal_id: str, *,
                 submit: Callable[[Callable[[], None]], None] | None = None,
                 now: Callable[[], datetime] | None = None):
        self.store = store
        self.outbox = outbox
        self.terminal_id = terminal_id
        self.submit = submit or (lambda work: work())
        self.now = now or (lambda: datetime.now(timezone.utc))

    def append(self, action: AuditAction | str, staff_no: str = "",
               detail: Mapping[str, Any] | None = None) -> None:
        action = AuditAction(action)
        clean = check_detail(detail or {})
        at = self.now()
        staff_no = (staff_no or "")[:16]

        def append_audit_entry() -> None:
            self._write(action, staff_no, clean, at)

        self.submit(append_audit_entry)

    def _write(self, action: AuditAction, staff_no: str, detail: dict[str, Any],
               at: datetime) -> dict[str, Any]:
        from sqlalchemy import select

        from kiosk.store.models import AuditRow

        with self.store.session() as s:
            last = s.execute(select(AuditRow).order_by(AuditRow.seq.desc()).limit(1)
                             ).scalar_one_or_none()
            seq, prev = (last.seq + 1, last.hash) if last is not None else (1, GENESIS)
            payload = make_entry(seq, prev, at=at, terminal_id=self.terminal_id, action=action,
                                 staff_no=staff_no, detail=detail)
            s.add(AuditRow(seq=seq, hash=payload["hash"],
                           entry_json=json.dumps(payload, ensure_ascii=False, sort_keys=True)))
            self.outbox.add_in(s, "audit", payload, at.astimezone(timezone.utc)
                               .replace(tzinfo=None), key=_event_key(self.terminal_id, seq,
                                                                     payload["hash"]))
        log.info("audit %d: %s %s", seq, action, staff_no)
        return payload

    def entries(self) -> list[dict[str, Any]]:
        return entries(self.store)


def _event_key(terminal_id: str, seq: int, digest: str) -> str:
    """The outbox event's idempotency key, from the entry: the same entry is the same event."""
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"audit:{terminal_id}:{seq}:{digest}"))


def entries(store: Store) -> list[dict[str, Any]]:
    """Every entry, oldest first, as stored (JSON dicts)."""
    with store.read() as c:
        rows = c.execute("SELECT seq, hash, entry_json FROM audit_log ORDER BY rowid").fetchall()
    out = []
    for seq, digest, text in rows:
        entry = json.loads(text)
        entry["_row"] = (seq, digest)
        out.append(entry)
    return out


@dataclass(frozen=True)
class ChainReport:
    count: int
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(store: Store) -> ChainReport:
    """The local chain checked from GENESIS: each entry in storage order must follow the one
    before (seq, prev) and hash to its own hash; the row's key columns must match its entry."""
    rows = entries(store)
    for entry in rows:
        seq, digest = entry.pop("_row")
        if entry.get("seq") != seq or entry.get("hash") != digest:
            return ChainReport(len(rows), f"entry {seq}: its row does not match its entry")
    return ChainReport(len(rows), chain_problem(rows))
