"""Tables of the local store: the catalog, the outbox of events, the print journal, the sync
position. No personal data ever rests here, and no secret (the credential has its own file)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class CatalogMeta(Base):
    """Key/value facts about the imported catalog (version, format, import time)."""

    __tablename__ = "catalog_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Department(Base):
    __tablename__ = "departments"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(120))
    sort_order: Mapped[int] = mapped_column(Integer)


class Category(Base):
    __tablename__ = "categories"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    department_code: Mapped[str] = mapped_column(
        ForeignKey("departments.code", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(120))
    sort_order: Mapped[int] = mapped_column(Integer)


class ServiceItem(Base):
    __tablename__ = "service_items"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code", ondelete="CASCADE"))
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(40))
    kiosk_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    high_frequency: Mapped[bool] = mapped_column(Boolean, default=False)
    url: Mapped[str] = mapped_column(String(300))
    # Versioned JSON list of {"text", "pinyin", "initials"}: name first, then aliases.
    keys_json: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        Index("ix_items_category", "category_code", "name"),
        Index("ix_items_department", "department_code"),
    )


class Guide(Base):
    """The 办事指南 of an item, as versioned JSON (its own `format` field)."""

    __tablename__ = "guides"
    item_id: Mapped[str] = mapped_column(
        ForeignKey("service_items.id", ondelete="CASCADE"), primary_key=True
    )
    body_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class OutboxEvent(Base):
    """An event waiting to be pushed to the backend (rating, problem report, transaction record,
    audit entry, telemetry). Deleted only after the backend acknowledged it. Never personal data:
    `Outbox.add` refuses payloads that contain an ID number."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload_json: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    # pending: to send; rejected: the backend refused it as a business error (kept, not retried)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_outbox_state_next", "state", "next_attempt_at"),)


class PrintJob(Base):
    """The print spooler's journal: every job and where it got to.

    A job that holds personal data (a certificate) keeps its bytes in memory only; `payload`
    is stored just for jobs without personal data (a guide slip, a queue ticket).
    """

    __tablename__ = "print_jobs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    printer: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    # queued, printing, done, failed, needs_attention, expired
    state: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str] = mapped_column(String(40), default="")
    personal: Mapped[bool] = mapped_column(Boolean, default=False)
    payload: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    reprint_of: Mapped[str | None] = mapped_column(String(36), nullable=True)


class SyncState(Base):
    """Key/value facts of the sync with the backend: the terminal id, the catalog's (epoch,
    cursor) position, commands carried out but not yet acknowledged. Written in the same
    transaction as the data they describe, so a crash resumes from the last committed step.
    Never the credential: it is in its own file (`kiosk.credential`; revision 0005 moved it)."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CatalogSyncSeen(Base):
    """Rows received during a full catalog sync (from cursor 0): when the last page is in, local
    rows not received are dropped (the backend was rebuilt, or the catalog came from a file).
    Empty between full syncs."""

    __tablename__ = "catalog_sync_seen"
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # department, category, item
    code: Mapped[str] = mapped_column(String(64), primary_key=True)


# -- hall staff (issue 10; revision 0006) --------------------------------------------------------


class StaffAccountRow(Base):
    """The hall's staff roster as the backend last sent it (protocol.staff.StaffAccount): staff
    log in while the link is down. PIN and badge as hashes only; staff names are staff data,
    never a citizen's."""

    __tablename__ = "staff_accounts"
    staff_no: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    hall: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(20))
    pin_hash: Mapped[str] = mapped_column(Text)
    badge_hash: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # UTC, naive


class StaffLockout(Base):
    """Wrong PINs in a row per staff number and until when it is locked (UTC, naive): kept
    here so a restart does not hand out five more tries."""

    __tablename__ = "staff_lockouts"
    staff_no: Mapped[str] = mapped_column(String(16), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class AuditRow(Base):
    """The terminal's hash-chained audit log (protocol.staff.AuditEntry as JSON, `seq` from 1).
    Appended in the same transaction as its outbox event; never changed or deleted."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))
    entry_json: Mapped[str] = mapped_column(Text)
