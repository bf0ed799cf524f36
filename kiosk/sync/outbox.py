"""The outbox: events saved locally first, pushed to the backend later, deleted only after the
backend acknowledged them (Odoo's point of sale habit).

Each event gets a client-generated idempotency key, so the backend can treat a repeat as already
done: a batch that was delivered but whose answer was lost is simply sent again. A network
failure defers the batch with exponential backoff and jitter; a business rejection is kept in
state ``rejected`` (never retried, exportable for staff). Nothing personal goes in: `add`
refuses a payload that contains an ID number.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from kiosk.privacy import PersonalDataError, contains_id_number
from kiosk.store.db import Store

# SQLAlchemy and the table model are imported by the methods that use them: the kiosk counts
# its backlog as it starts (status bar) through the plain sqlite3 reader, before they load.

KINDS = frozenset({"rating", "problem_report", "transaction", "audit", "telemetry"})
BACKOFF_BASE_S = 5.0
BACKOFF_MAX_S = 600.0


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class PendingEvent:
    idempotency_key: str
    kind: str
    payload: dict[str, Any]
    occurred_at: datetime
    attempts: int

    def as_wire(self) -> dict[str, Any]:
        return {
            "idempotency_key": self.idempotency_key,
            "kind": self.kind,
            "occurred_at": self.occurred_at.isoformat() + "Z",
            "payload": self.payload,
        }


def backoff_s(attempts: int, rng: random.Random) -> float:
    """Exponential backoff with full jitter, capped: 5 s, 10 s, 20 s ... up to 10 minutes."""
    ceiling = min(BACKOFF_MAX_S, BACKOFF_BASE_S * (2 ** max(0, attempts - 1)))
    return ceiling / 2 + rng.random() * ceiling / 2


def check_event(kind: str, payload: dict[str, Any]) -> None:
    """Refuse an event that must never be stored (raised to the caller, at once)."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    if contains_id_number(payload):
        raise PersonalDataError(f"{kind} event payload contains an ID number")


class Outbox:
    def __init__(self, store: Store, clock: Callable[[], datetime] = utcnow,
                 rng: random.Random | None = None):
        self.store = store
        self.clock = clock
        self.rng = rng or random.Random()

    def add(self, kind: str, payload: dict[str, Any], occurred_at: datetime | None = None,
            *, key: str | None = None) -> str:
        check_event(kind, payload)
        with self.store.session() as s:
            return self.add_in(s, kind, payload, occurred_at, key=key)

    def add_in(self, session, kind: str, payload: dict[str, Any],
               occurred_at: datetime | None = None, *, key: str | None = None) -> str:
        """`add` inside the caller's transaction (the audit log writes its entry and the
        entry's event together: both or neither)."""
        from kiosk.store.models import OutboxEvent

        check_event(kind, payload)
        key = key or str(uuid.uuid4())
        now = self.clock()
        session.add(OutboxEvent(
            idempotency_key=key, kind=kind,
            payload_json=json.dumps(payload, ensure_ascii=False, sort_keys=True),
            occurred_at=occurred_at or now, state="pending", attempts=0,
            next_attempt_at=now, last_error="",
        ))
        return key

    def _count(self, state: str) -> int:
        with self.store.read() as c:
            return c.execute("SELECT count(*) FROM outbox WHERE state = ?", (state,)).fetchone()[0]

    def pending_count(self) -> int:
        return self._count("pending")

    def rejected_count(self) -> int:
        return self._count("rejected")

    def next_batch(self, limit: int = 200) -> list[PendingEvent]:
        """The oldest pending events that are due now."""
        from sqlalchemy import select

        from kiosk.store.models import OutboxEvent

        with self.store.session() as s:
            rows = s.execute(
                select(OutboxEvent).where(OutboxEvent.state == "pending")
                .where(OutboxEvent.next_attempt_at <= self.clock())
                .order_by(OutboxEvent.id).limit(limit)
            ).scalars().all()
            return [PendingEvent(r.idempotency_key, r.kind, json.loads(r.payload_json),
                                 r.occurred_at, r.attempts) for r in rows]

    def acknowledge(self, keys: Iterable[str]) -> int:
        """The backend has them (accepted now or earlier): delete."""
        from sqlalchemy import delete

        from kiosk.store.models import OutboxEvent

        keys = list(keys)
        if not keys:
            return 0
        with self.store.session() as s:
            return s.execute(delete(OutboxEvent).where(OutboxEvent.idempotency_key.in_(keys))).rowcount

    def reject(self, key: str, reason: str) -> None:
        """A business rejection: keep it for staff, never retry."""
        from sqlalchemy import update

        from kiosk.store.models import OutboxEvent

        with self.store.session() as s:
            s.execute(update(OutboxEvent).where(OutboxEvent.idempotency_key == key)
                      .values(state="rejected", last_error=reason[:500]))

    def defer(self, keys: Iterable[str], error: str) -> None:
        """A network or server failure: try again later, later each time."""
        from sqlalchemy import select

        from kiosk.store.models import OutboxEvent

        now = self.clock()
        with self.store.session() as s:
            for row in s.execute(select(OutboxEvent).where(
                    OutboxEvent.idempotency_key.in_(list(keys)))).scalars():
                row.attempts += 1
                row.last_error = error[:500]
                row.next_attempt_at = now + timedelta(seconds=backoff_s(row.attempts, self.rng))

    def export(self, path: Path) -> int:
        """Write every event still held (pending or rejected) as JSON lines: the manual way out
        when the backend cannot be reached for days."""
        from sqlalchemy import select

        from kiosk.store.models import OutboxEvent

        n = 0
        with self.store.session() as s, open(path, "w", encoding="utf-8") as fh:
            for r in s.execute(select(OutboxEvent).order_by(OutboxEvent.id)).scalars():
                fh.write(json.dumps({
                    "idempotency_key": r.idempotency_key, "kind": r.kind, "state": r.state,
                    "occurred_at": r.occurred_at.isoformat() + "Z", "attempts": r.attempts,
                    "last_error": r.last_error, "payload": json.loads(r.payload_json),
                }, ensure_ascii=False) + "\n")
                n += 1
        return n


class OutboxWriter:
    """The outbox as the UI thread uses it: `add` checks the event and returns its key at once;
    a writer thread saves it. A tap never waits for SQLite. `flush()` waits until everything
    handed over is saved (shutdown, tests); an event that cannot be saved is logged."""

    def __init__(self, outbox: Outbox):
        import queue
        import threading

        self.outbox = outbox
        self._q: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="outbox-writer", daemon=True)
        self._thread.start()

    def add(self, kind: str, payload: dict[str, Any], occurred_at: datetime | None = None) -> str:
        check_event(kind, payload)
        key = str(uuid.uuid4())
        self._q.put((kind, json.loads(json.dumps(payload)), occurred_at or self.outbox.clock(),
                     key))
        return key

    def _run(self) -> None:
        import logging

        log = logging.getLogger("kiosk.sync")
        while True:
            item = self._q.get()
            try:
                if item is None:
                    return
                if callable(item):  # a unit of work handed over by `submit`
                    try:
                        item()
                    except Exception as exc:
                        log.error("outbox writer: %s failed: %s",
                                  getattr(item, "__name__", "work"), type(exc).__name__)
                    continue
                kind, payload, occurred_at, key = item
                try:
                    self.outbox.add(kind, payload, occurred_at, key=key)
                except Exception as exc:
                    log.error("outbox: %s event not saved: %s", kind, type(exc).__name__)
            finally:
                self._q.task_done()

    def submit(self, work: Callable[[], None]) -> None:
        """Run `work()` on the writer's thread, in order with the events handed over (the
        audit log's append: its entry and its outbox event in one transaction, off the UI
        thread). A failure is logged, never raised to the caller."""
        self._q.put(work)

    def flush(self) -> None:
        self._q.join()

    def close(self) -> None:
        self._q.put(None)
        self._thread.join(10)
