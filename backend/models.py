"""Tables of the reference backend (SQLAlchemy 2). Portable SQL: SQLite by default, PostgreSQL.

Conventions: times are naive UTC (``DateTime`` without zone, the same on both databases); money is
integer fen (cents), converted to decimal yuan only at the protocol edge; JSON is stored as
versioned text, never pickled; secrets are stored hashed only.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    # Named constraints: a later migration can drop or alter them by the same name on SQLite
    # and PostgreSQL.
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


class Meta(Base):
    """Key/value facts: catalog_version, catalog_epoch, seeded_at."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Sequence(Base):
    """Named counters, incremented with UPDATE inside the writing transaction. The row lock makes
    writers take numbers in commit order, so a reader paging by cursor never skips a row that
    commits late (a database SEQUENCE would not guarantee that)."""

    __tablename__ = "sequences"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


# --- terminals, credentials, enrolment, staff ------------------------------------------------


class Terminal(Base):
    __tablename__ = "terminals"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    place: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    enrolled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    version: Mapped[str] = mapped_column(String(40), default="")
    uptime_s: Mapped[int] = mapped_column(BigInteger, default=0)
    # The protocol's counts go up to 10**12: BIGINT (revision 0002; SQLite's INTEGER is 64-bit).
    backlog: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), default=0)
    devices_json: Mapped[str] = mapped_column(Text, default="{}")
    # Revision 0005 (hall staff, docs/decisions/0019): the hall it stands in (from the enrolment
    # code), and its state as the last heartbeat reported it (state_at: when it last changed).
    hall: Mapped[str] = mapped_column(String(32), default="", server_default="")
    state: Mapped[str] = mapped_column(String(20), default="", server_default="")
    state_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    state_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Revision 0006 (fleet, docs/decisions/0028): the district (from the enrolment code), the
    # devices not ok as the last heartbeat reported them (names, comma-separated: the fleet
    # list's fault filter), and the paper report with the print rate (sheets an hour, a moving
    # average with a one-hour time constant) that forecasts when the paper runs out.
    district: Mapped[str] = mapped_column(String(32), default="", server_default="", index=True)
    faults: Mapped[str] = mapped_column(String(200), default="", server_default="")
    paper_level: Mapped[str] = mapped_column(String(8), default="", server_default="")
    paper_sheets_left: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    paper_printed_total: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    paper_rate_per_h: Mapped[float | None] = mapped_column(Float, nullable=True)
    paper_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Bumped with every command queued for it; the heartbeat looks for commands only while
    # command_seq > command_seq_seen (the value it last found nothing pending at).
    command_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    command_seq_seen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # Revision 0007 (docs/decisions/0036): the A4 printer's paper and print rate (as the
    # receipt's above), the hash of the pushed profile the terminal runs, its last crash.
    doc_paper_level: Mapped[str] = mapped_column(String(8), default="", server_default="")
    doc_paper_sheets_left: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    doc_paper_printed_total: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    doc_paper_rate_per_h: Mapped[float | None] = mapped_column(Float, nullable=True)
    doc_paper_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    config_hash: Mapped[str] = mapped_column(String(16), default="", server_default="")
    crash_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    crash_kind: Mapped[str] = mapped_column(String(20), default="", server_default="")
    crash_recent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (Index("ix_terminals_hall", "hall"),
                      {"postgresql_with": {"fillfactor": 70}})


class TerminalCredential(Base):
    """A bearer credential, stored as its SHA-256 (it is 256 random bits: no need to stretch)."""

    __tablename__ = "terminal_credentials"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("terminals.id", ondelete="CASCADE"),
                                             index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class EnrolmentCode(Base):
    """A code a technician types at a terminal to enrol it; stored as its SHA-256."""

    __tablename__ = "enrolment_codes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    terminal_id: Mapped[str | None] = mapped_column(String(32), nullable=True)  # bound to one
    max_uses: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: unlimited
    uses: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    hall: Mapped[str | None] = mapped_column(String(32), nullable=True)  # given to the terminal
    district: Mapped[str | None] = mapped_column(String(32), nullable=True)  # 0006, likewise


class AuditEntry(Base):
    """Security-relevant refusals, for the administrator: e.g. ``enrolment_takeover_refused``
    (a code not issued for an enrolled terminal's id tried to enrol it again). Never a secret:
    the enrolment code is named by its row id, never by its text or its hash."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(40))
    terminal_id: Mapped[str] = mapped_column(String(32))
    enrolment_code_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrolment_codes.id", ondelete="SET NULL"), nullable=True)
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(String(200), default="")
    staff_no: Mapped[str] = mapped_column(String(16), default="", server_default="")  # console

    __table_args__ = (Index("ix_audit_log_kind_at", "kind", "at"),)


class StaffAccount(Base):
    """Hall staff (protocol.staff.StaffAccount): the PIN as an argon2id PHC string (the
    terminals verify it offline), the badge as sha256(token). `failed_attempts`/`locked_until`
    are the hall console's PIN lockout (the terminal keeps its own). A change bumps the
    ``roster`` sequence (backend.staff)."""

    __tablename__ = "staff_accounts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    staff_no: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16))  # protocol.staff.StaffRole
    pin_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    hall: Mapped[str] = mapped_column(String(32), default="", server_default="")
    badge_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class HelpRequestRow(Base):
    """A citizen's call for help (protocol.staff.HelpRequest), its state and remote view.
    `version` goes up on every change: console actions name the version they saw."""

    __tablename__ = "help_requests"
    request_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(32), index=True)
    hall: Mapped[str] = mapped_column(String(32))
    screen: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[str] = mapped_column(String(64), default="")
    step: Mapped[str] = mapped_column(String(40), default="")
    waiting_since: Mapped[datetime] = mapped_column(DateTime)
    state: Mapped[str] = mapped_column(String(12))
    staff_no: Mapped[str] = mapped_column(String(20), default="")
    staff_name: Mapped[str] = mapped_column(String(40), default="")
    outcome: Mapped[str] = mapped_column(String(200), default="")
    remote_view: Mapped[str] = mapped_column(String(12), default="none")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_help_requests_hall_state", "hall", "state"),)


class RemoteFrame(Base):
    """The latest remote-view frame of a help request (JPEG, masked by the terminal). In the
    database, so whichever worker serves the console sees it; deleted when the view ends."""

    __tablename__ = "remote_frames"
    request_id: Mapped[str] = mapped_column(
        ForeignKey("help_requests.request_id", ondelete="CASCADE"), primary_key=True)
    jpeg: Mapped[bytes] = mapped_column(LargeBinary)
    at: Mapped[datetime] = mapped_column(DateTime)
    frame_no: Mapped[int] = mapped_column(Integer, default=1)


class ConsoleSession(Base):
    """A hall-console login: the cookie's token as its SHA-256, the CSRF token it must send."""

    __tablename__ = "console_sessions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    staff_no: Mapped[str] = mapped_column(String(20), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    ended_reason: Mapped[str] = mapped_column(String(20), default="")


class TerminalAuditRow(Base):
    """A terminal's hash-chained audit entry (protocol.staff.AuditEntry), `entry_json` the
    payload exactly as received: what `chain_problem` hashes again."""

    __tablename__ = "terminal_audit"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(DateTime)
    action: Mapped[str] = mapped_column(String(32))
    staff_no: Mapped[str] = mapped_column(String(16), default="")
    detail_json: Mapped[str] = mapped_column(Text, default="{}")
    prev: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    entry_json: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("terminal_id", "seq", name="uq_terminal_audit_seq"),)


class TerminalCommand(Base):
    """Queued for one terminal; delivered in every heartbeat reply until acknowledged."""

    __tablename__ = "terminal_commands"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("terminals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    payload_json: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    delivered_count: Mapped[int] = mapped_column(Integer, default=0)
    acked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Revision 0006: not delivered after this (None: never expires); the terminal's result
    # (ok | failed, '' before the ack) and its message; the staff number that issued it.
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    result: Mapped[str] = mapped_column(String(12), default="", server_default="")
    result_message: Mapped[str] = mapped_column(String(200), default="", server_default="")
    issued_by: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # Revision 0007: a pushed profile's hash (protocol.profile_hash): the heartbeat that
    # reports running it makes the command `applied`. Result values: '' | ok | failed |
    # accepted (checked and written, restart pending) | applied.
    profile_hash: Mapped[str] = mapped_column(String(16), default="", server_default="")

    __table_args__ = (Index("ix_commands_pending", "terminal_id", "acked_at", "id"),)


class ConfigProfile(Base):
    """A hall's central settings (revision 0006): validated against the kiosk's schema, pushed
    to the hall's terminals as `new_config`."""

    __tablename__ = "config_profiles"
    hall: Mapped[str] = mapped_column(String(32), primary_key=True)
    profile_json: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(20), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Event(Base):
    """Pushed by terminals. The unique idempotency key makes a second delivery harmless."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(36), unique=True)
    terminal_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    payload_json: Mapped[str] = mapped_column(Text)
    # SHA-256 of the canonical event: a reused key with different content is told apart.
    digest: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_events_kind_time", "kind", "occurred_at"),)


# --- catalog ---------------------------------------------------------------------------------
# Every row carries `seq`, the value of the "catalog" sequence when it last changed. A change
# takes a new number; a deleted item stays as a tombstone (deleted=True) with its own number.


class Department(Base):
    __tablename__ = "departments"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Category(Base):
    __tablename__ = "categories"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class CatalogItem(Base):
    __tablename__ = "catalog_items"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(200))
    department_code: Mapped[str] = mapped_column(String(32))
    category_code: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(40), default="")
    kiosk_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    high_frequency: Mapped[bool] = mapped_column(Boolean, default=False)
    url: Mapped[str] = mapped_column(String(300), default="")
    keys_json: Mapped[str] = mapped_column(Text, default="[]")
    guide_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


# --- citizens and their records (synthetic in the reference backend) -------------------------


class Employer(Base):
    __tablename__ = "employers"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    credit_code: Mapped[str] = mapped_column(String(18))  # 统一社会信用代码


class Citizen(Base):
    __tablename__ = "citizens"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    gender: Mapped[str] = mapped_column(String(6))  # male | female
    birth_date: Mapped[date] = mapped_column(Date)
    ss_region: Mapped[str] = mapped_column(String(40), default="常州市")


class InsuranceEnrolment(Base):
    __tablename__ = "insurance_enrolments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    start_month: Mapped[str] = mapped_column(String(7))

    __table_args__ = (UniqueConstraint("citizen_id", "type", name="uq_enrolment_citizen_type"),)


class Contribution(Base):
    __tablename__ = "contributions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))
    type: Mapped[str] = mapped_column(String(16))
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"))
    base_fen: Mapped[int] = mapped_column(BigInteger)
    personal_fen: Mapped[int] = mapped_column(BigInteger)
    employer_fen: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_contributions_citizen_month", "citizen_id", "month"),)


class MedicalAccount(Base):
    __tablename__ = "medical_accounts"
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"),
                                            primary_key=True)
    account_number: Mapped[str] = mapped_column(String(20), unique=True)
    balance_fen: Mapped[int] = mapped_column(BigInteger)


class MedicalTransaction(Base):
    __tablename__ = "medical_transactions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(10))  # credit | spending
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    balance_after_fen: Mapped[int] = mapped_column(BigInteger)
    place: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(100), default="")

    __table_args__ = (Index("ix_medical_tx_citizen_time", "citizen_id", "occurred_at"),)


class ProvidentFundAccount(Base):
    __tablename__ = "provident_fund_accounts"
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"),
                                            primary_key=True)
    account_number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(10))  # normal | sealed | closed
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"))
    base_fen: Mapped[int] = mapped_column(BigInteger)
    personal_rate_percent: Mapped[int] = mapped_column(Integer)
    employer_rate_percent: Mapped[int] = mapped_column(Integer)
    balance_fen: Mapped[int] = mapped_column(BigInteger)
    opened_month: Mapped[str] = mapped_column(String(7))


class ProvidentFundDeposit(Base):
    __tablename__ = "provident_fund_deposits"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))
    personal_fen: Mapped[int] = mapped_column(BigInteger)
    employer_fen: Mapped[int] = mapped_column(BigInteger)
    balance_after_fen: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_pf_deposits_citizen_month", "citizen_id", "month"),)


class RealEstateRegistration(Base):
    __tablename__ = "real_estate_registrations"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"),
                                            index=True)
    certificate_number: Mapped[str] = mapped_column(String(60))
    unit_number: Mapped[str] = mapped_column(String(28))
    location: Mapped[str] = mapped_column(String(200))
    usage: Mapped[str] = mapped_column(String(20))
    area_centi_m2: Mapped[int] = mapped_column(Integer)  # hundredths of a square metre
    right_type: Mapped[str] = mapped_column(String(40))
    share: Mapped[str] = mapped_column(String(20))
    registered_on: Mapped[date] = mapped_column(Date)
    mortgaged: Mapped[bool] = mapped_column(Boolean, default=False)
    sealed: Mapped[bool] = mapped_column(Boolean, default=False)


class RecordAccess(Base):
    """The first access log (revision 0001), by citizen row id. Superseded by `access_log`
    (revision 0004) and no longer written; kept for the rows it holds."""

    __tablename__ = "record_access"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    citizen_id: Mapped[int | None] = mapped_column(
        ForeignKey("citizens.id", ondelete="SET NULL"), nullable=True)
    terminal_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(20))

    __table_args__ = (Index("ix_record_access_citizen", "citizen_id", "at"),)


# --- verified identity (revision 0004, docs/decisions/0018) --------------------------------


class ServerSecret(Base):
    """Random keys the backend makes for itself when it first starts on a database: ``master``,
    from which the e-credential token key and the access log's citizen key are derived. In the
    database, so every process serving it agrees; never logged, never served."""

    __tablename__ = "server_secrets"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))  # hex
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AccessLogEntry(Base):
    """One personal call (records, document, access log), served or refused: when, which
    terminal and where it stood, what was asked (`call`: a records call name, ``document:``
    and a document kind, or ``access_log``), how the citizen was verified (the proof's method
    and staff id as claimed), the outcome (``ok`` or an `ErrorCode`). The citizen is a keyed
    hash of the ID number (`citizen_key`), never the number."""

    __tablename__ = "access_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    terminal_id: Mapped[str] = mapped_column(String(32))
    place: Mapped[str] = mapped_column(String(100), default="")
    call: Mapped[str] = mapped_column(String(40))
    method: Mapped[str | None] = mapped_column(String(16), nullable=True)
    staff_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    citizen_key: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(32))

    __table_args__ = (Index("ix_access_log_citizen_at", "citizen_key", "at"),
                      Index("ix_access_log_terminal_at", "terminal_id", "at"))


class IdentityTicket(Base):
    """What an e-credential exchange hands the terminal: valid in proofs (method e_credential)
    of that citizen, session and terminal until `expires_at`. Stored as its SHA-256 only."""

    __tablename__ = "identity_tickets"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    citizen_key: Mapped[str] = mapped_column(String(64))
    terminal_id: Mapped[str] = mapped_column(String(32))
    session_id: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class ECredentialUse(Base):
    """An e-credential token exchanged: its unique id as the primary key makes a second
    exchange fail (single use, also under concurrency). Kept until well after the token
    expired (then the expiry refuses it anyway)."""

    __tablename__ = "e_credential_uses"
    token_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    citizen_key: Mapped[str] = mapped_column(String(64))
    terminal_id: Mapped[str] = mapped_column(String(32))
    used_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


# --- documents and queue ---------------------------------------------------------------------


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    citizen_id: Mapped[int | None] = mapped_column(
        ForeignKey("citizens.id", ondelete="SET NULL"), nullable=True)
    holder_name_masked: Mapped[str] = mapped_column(String(40))
    holder_id_masked: Mapped[str] = mapped_column(String(18))
    terminal_id: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    verification_code: Mapped[str] = mapped_column(String(16), unique=True)  # no dashes, upper
    statement: Mapped[str] = mapped_column(Text)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class QueueBusinessType(Base):
    __tablename__ = "queue_business_types"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    prefix: Mapped[str] = mapped_column(String(2))
    window: Mapped[str] = mapped_column(String(60), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class QueueCounter(Base):
    """Per business type per (Beijing-time) day: the last number issued and the last called."""

    __tablename__ = "queue_counters"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    business_type: Mapped[str] = mapped_column(ForeignKey("queue_business_types.code"))
    day: Mapped[date] = mapped_column(Date)
    last_issued: Mapped[int] = mapped_column(Integer, default=0)
    last_called: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("business_type", "day", name="uq_queue_counter_type_day"),)


class QueueTicket(Base):
    __tablename__ = "queue_tickets"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, in the follow URL
    business_type: Mapped[str] = mapped_column(ForeignKey("queue_business_types.code"))
    day: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(8))
    terminal_id: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("business_type", "day", "seq", name="uq_queue_ticket_number"),
    )
