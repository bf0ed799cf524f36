"""Hall staff at the backend (docs/decisions/0019): accounts and their PIN rules, badges, the
roster a terminal downloads, help requests, and the terminals' hash-chained audit entries.

Shared by the admin API, the command line (``python -m backend staff|audit``), the terminal
endpoints and the hall console. Functions take an open `Session`; the caller commits.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import current_value, next_values
from backend.models import HelpRequestRow as HelpRow
from backend.models import (
    RemoteFrame,
    StaffAccount,
    Terminal,
    TerminalAuditRow,
)
from backend.security import hash_pin, sha256_hex
from protocol import staff as ps

ROSTER_SEQUENCE = "roster"
OPEN_STATES = (ps.HelpState.OPEN, ps.HelpState.TAKEN, ps.HelpState.HELD)
CLOSED_STATES = (ps.HelpState.FINISHED, ps.HelpState.CANCELLED)
LIVE_VIEW = (ps.RemoteView.REQUESTED, ps.RemoteView.ALLOWED)

# PINs anyone would try first: besides these, one digit six times and runs up or down.
COMMON_PINS = frozenset({"123123", "121212", "112233", "123321", "111222", "100200",
                         "147258", "258369", "159753", "520520", "520131", "131420"})


class StaffError(ValueError):
    """Bad input for a staff account: the message says why (shown to the administrator)."""


def pin_problem(pin: str) -> str | None:
    """Why `pin` may not be a staff PIN, or None."""
    if len(pin) != 6 or not pin.isascii() or not pin.isdigit():
        return "a PIN is exactly 6 digits"
    if len(set(pin)) == 1:
        return "a PIN of one digit repeated is the first anyone tries"
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:])}
    if steps in ({1}, {9}):
        return "a PIN of consecutive digits (such as 123456 or 654321) is the first anyone tries"
    if pin in COMMON_PINS:
        return "this PIN is among the most common ones: choose another"
    return None


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def bump_roster(s: Session) -> int:
    return next_values(s, ROSTER_SEQUENCE)


def roster_version(s: Session) -> int:
    return current_value(s, ROSTER_SEQUENCE)


@dataclass
class StaffChange:
    """What an administrator sets; None leaves a field of an existing account as it is."""

    name: str | None = None
    hall: str | None = None
    role: str | None = None
    pin: str | None = None
    active: bool | None = None
    expires_at: datetime | None = None
    clear_expiry: bool = False


def upsert_staff(s: Session, staff_no: str, change: StaffChange, *, now: datetime | None = None
                 ) -> tuple[StaffAccount, bool]:
    """Create or update an account; (the row, created?). A new account needs a name, a role
    and a PIN. Raises StaffError with the reason."""
    import re

    now = now or utcnow()
    if not re.match(ps.STAFF_NO_PATTERN, staff_no):
        raise StaffError("a staff number is 1 to 16 letters and digits")
    if change.role is not None and change.role not in {r.value for r in ps.StaffRole}:
        raise StaffError("role must be one of: " + ", ".join(r.value for r in ps.StaffRole))
    if change.pin is not None and (problem := pin_problem(change.pin)):
        raise StaffError(problem)
    if change.name is not None and not (1 <= len(change.name.strip()) <= 40):
        raise StaffError("a name is 1 to 40 characters")
    if change.hall is not None and (len(change.hall) > 32 or not
                                    re.match(r"^[A-Za-z0-9_.-]*$", change.hall)):
        raise StaffError("a hall code is up to 32 letters, digits, '-', '_' or '.'")
    row = s.scalar(select(StaffAccount).where(StaffAccount.staff_no == staff_no)
                   .with_for_update())
    created = row is None
    if created:
        missing = [f for f in ("name", "role", "pin") if getattr(change, f) is None]
        if missing:
            raise StaffError(f"a new account needs: {', '.join(missing)}")
        row = StaffAccount(staff_no=staff_no, failed_attempts=0, active=True, hall="",
                           badge_hash="")
        s.add(row)
    if change.name is not None:
        row.name = change.name.strip()
    if change.hall is not None:
        row.hall = change.hall
    if change.role is not None:
        row.role = change.role
    if change.pin is not None:
        row.pin_hash = hash_pin(change.pin)
        row.failed_attempts, row.locked_until = 0, None
    if change.active is not None:
        row.active = change.active
    if change.expires_at is not None:
        row.expires_at = change.expires_at
    elif change.clear_expiry:
        row.expires_at = None
    row.updated_at = now
    bump_roster(s)
    return row, created


def disable_staff(s: Session, staff_no: str) -> StaffAccount | None:
    row = s.scalar(select(StaffAccount).where(StaffAccount.staff_no == staff_no))
    if row is None:
        return None
    row.active = False
    row.updated_at = utcnow()
    bump_roster(s)
    return row


def issue_badge(s: Session, staff_no: str) -> str | None:
    """A new badge for the account (the old one stops working): the QR text, the only time it
    exists in clear; None if there is no such account."""
    row = s.scalar(select(StaffAccount).where(StaffAccount.staff_no == staff_no))
    if row is None:
        return None
    token = secrets.token_urlsafe(24)
    row.badge_hash = ps.badge_hash(token)
    row.updated_at = utcnow()
    bump_roster(s)
    return f"{ps.BADGE_PREFIX}{staff_no}:{token}"


def set_badge(s: Session, staff_no: str, token: str) -> None:
    """The demo's fixed badge (protocol.demo): a known token, stored as its hash only."""
    row = s.scalar(select(StaffAccount).where(StaffAccount.staff_no == staff_no))
    if row is not None and row.badge_hash != ps.badge_hash(token):
        row.badge_hash = ps.badge_hash(token)
        row.updated_at = utcnow()
        bump_roster(s)


def account_usable(row: StaffAccount, now: datetime) -> str | None:
    """Why the account may not log in now (inactive, expired), or None."""
    if not row.active:
        return "inactive"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    return None


def roster(s: Session, terminal: Terminal) -> ps.StaffRoster:
    """The terminal's hall's accounts and the city-wide ones, inactive ones too (the terminal
    logs them out); hashes only."""
    halls = {"", terminal.hall}
    rows = s.scalars(select(StaffAccount).where(StaffAccount.hall.in_(halls))
                     .order_by(StaffAccount.staff_no)).all()
    accounts = []
    for r in rows:
        try:
            role = ps.StaffRole(r.role)
        except ValueError:
            continue  # a role of an older revision: not a staff member of the protocol
        if not r.pin_hash.startswith("$argon2id$"):
            continue  # an old scrypt hash no terminal can check (revision 0005 deactivated it)
        accounts.append(ps.StaffAccount(
            staff_no=r.staff_no, name=r.name, hall=r.hall, role=role, pin_hash=r.pin_hash,
            badge_hash=r.badge_hash, active=r.active,
            expires_at=r.expires_at.replace(tzinfo=timezone.utc) if r.expires_at else None))
    return ps.StaffRoster(version=roster_version(s), hall=terminal.hall, accounts=accounts)


# --- help requests ------------------------------------------------------------------------


def help_status(row: HelpRow) -> ps.HelpStatus:
    return ps.HelpStatus(request_id=row.request_id, terminal_id=row.terminal_id,
                         state=ps.HelpState(row.state), staff_no=row.staff_no,
                         staff_name=row.staff_name, outcome=row.outcome,
                         remote_view=ps.RemoteView(row.remote_view),
                         updated_at=row.updated_at.replace(tzinfo=timezone.utc))


def touch(row: HelpRow, now: datetime) -> None:
    row.version += 1
    row.updated_at = now


def end_remote_view(s: Session, row: HelpRow) -> None:
    """Remote view over (either side, or the request closed): the last frame is deleted."""
    if row.remote_view in LIVE_VIEW:
        row.remote_view = ps.RemoteView.ENDED.value
    s.query(RemoteFrame).filter(RemoteFrame.request_id == row.request_id).delete()


def close_request(s: Session, row: HelpRow, state: ps.HelpState, now: datetime,
                  outcome: str = "") -> None:
    end_remote_view(s, row)
    row.state = state.value
    if outcome:
        row.outcome = outcome
    touch(row, now)


# --- the terminals' audit chain -----------------------------------------------------------


def last_audit(s: Session, terminal_id: str) -> TerminalAuditRow | None:
    return s.scalar(select(TerminalAuditRow).where(TerminalAuditRow.terminal_id == terminal_id)
                    .order_by(TerminalAuditRow.seq.desc()).limit(1))


def audit_row(entry: ps.AuditEntry, payload: dict, now: datetime) -> TerminalAuditRow:
    return TerminalAuditRow(
        terminal_id=entry.terminal_id, seq=entry.seq,
        at=entry.at.astimezone(timezone.utc).replace(tzinfo=None), action=entry.action.value,
        staff_no=entry.staff_no, detail_json=json.dumps(entry.detail, ensure_ascii=False),
        prev=entry.prev, hash=entry.hash,
        entry_json=json.dumps(payload, ensure_ascii=False), received_at=now)


def verify_chain(s: Session, terminal_id: str) -> tuple[int, str | None]:
    """(entries stored, None or what is wrong) for a terminal's stored chain, re-hashed from
    the payloads as received."""
    entries = [json.loads(t) for t in s.scalars(
        select(TerminalAuditRow.entry_json).where(TerminalAuditRow.terminal_id == terminal_id)
        .order_by(TerminalAuditRow.seq))]
    return len(entries), ps.chain_problem(entries)


def credential_digest(token: str) -> str:
    return sha256_hex(token)
