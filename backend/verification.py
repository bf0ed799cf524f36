"""Verified identity at the backend (docs/decisions/0018): the proof with every personal call,
e-credential tokens and the tickets they are exchanged for, the citizen key of the access log,
the lookup limit.

Keys: one random `master` secret per database (`server_secrets`, made when the app first starts
on it), from which two keys are derived with HMAC: one signs e-credential tokens, one keys the
citizen hashes of the access log. A database reader has the records themselves anyway; what the
keyed hash protects is an access log exported or copied on its own.

An e-credential token (what follows `protocol.E_CREDENTIAL_PREFIX` in the QR) is
``1.<citizen row id>.<expiry, unix s>.<token id, 32 hex>.<HMAC-SHA256, base64url>``: the QR
names no ID number, and only this backend can make one. The exchange stores the token id
(single use: a primary key) and hands out a random ticket, stored as its SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.db import Database
from backend.models import AccessLogEntry, IdentityTicket, ServerSecret
from backend.security import sha256_hex
import protocol as p
from protocol import ErrorCode, VerifyMethod

#: A proof's `verified_at` may be this far ahead of the backend's clock (the terminal's clock).
CLOCK_SKEW = timedelta(seconds=60)
PROOF_MAX_AGE = timedelta(seconds=p.PROOF_MAX_AGE_S)
#: A ticket serves the session's proofs as long as a proof lives.
TICKET_TTL = timedelta(seconds=p.PROOF_MAX_AGE_S)
E_CREDENTIAL_TTL = timedelta(seconds=p.E_CREDENTIAL_TTL_S)
LOOKUP_WINDOW = timedelta(hours=1)
DEFAULT_MAX_CITIZENS_PER_HOUR = 40

#: Access log outcomes of calls whose proof was accepted (the citizen's data was looked at):
#: these count towards the lookup limit and are what a citizen sees in their access log.
LOOKED_UP = ("ok", ErrorCode.CITIZEN_NOT_FOUND.value, ErrorCode.NO_ACCOUNT.value,
             ErrorCode.NOT_APPLICABLE.value)

_TOKEN = re.compile(r"^1\.([1-9][0-9]{0,18})\.([1-9][0-9]{0,11})\.([0-9a-f]{32})\."
                    r"([A-Za-z0-9_-]{43})$")


class Refused(Exception):
    """A personal call or an exchange refused: `status`, `code` (an ErrorCode), `message`."""

    def __init__(self, status: int, code: ErrorCode, message: str):
        self.status, self.code, self.message = status, code, message
        super().__init__(f"{code}: {message}")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Keys:
    """The keys derived from a master secret: `Keys.of(database)` reads (or makes) the
    database's, once per app."""

    def __init__(self, master: bytes):
        self.e_credential = hmac.new(master, b"e-credential-token-v1", hashlib.sha256).digest()
        self.citizen = hmac.new(master, b"access-log-citizen-v1", hashlib.sha256).digest()

    @classmethod
    def of(cls, database: Database) -> Keys:
        return cls(bytes.fromhex(_master_secret(database)))

    def citizen_key(self, id_number: str) -> str:
        """The access log's name for a citizen: a keyed hash of the normalized ID number."""
        return hmac.new(self.citizen, p.normalize_id_number(id_number).encode("ascii"),
                        hashlib.sha256).hexdigest()

    # -- e-credential tokens ----------------------------------------------------------------

    def _token_mac(self, body: str) -> str:
        mac = hmac.new(self.e_credential, b"ecred-v1|" + body.encode("ascii"),
                       hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")

    def issue_token(self, citizen_id: int, now: datetime) -> tuple[str, datetime]:
        """(the QR text, its expiry as naive UTC)."""
        expires = now.replace(microsecond=0) + E_CREDENTIAL_TTL
        exp = int(expires.replace(tzinfo=timezone.utc).timestamp())
        body = f"1.{citizen_id}.{exp}.{secrets.token_hex(16)}"
        return f"{p.E_CREDENTIAL_PREFIX}{body}.{self._token_mac(body)}", expires

    def read_token(self, qr: str) -> Token:
        """The claims of a QR this backend made, or Refused(401 credential_invalid). Expiry and
        use are the caller's to check."""
        invalid = Refused(401, ErrorCode.CREDENTIAL_INVALID,
                          "not an e-credential issued by this backend")
        if not qr.startswith(p.E_CREDENTIAL_PREFIX):
            raise invalid
        token = qr[len(p.E_CREDENTIAL_PREFIX):]
        m = _TOKEN.match(token)
        if m is None:
            raise invalid
        body = token[:m.start(4) - 1]  # up to the dot before the signature
        if not hmac.compare_digest(self._token_mac(body), m.group(4)):
            raise invalid
        try:
            expires = datetime.fromtimestamp(int(m.group(2)), timezone.utc).replace(tzinfo=None)
        except (OverflowError, ValueError, OSError):
            raise invalid from None
        return Token(citizen_id=int(m.group(1)), expires_at=expires, token_id=m.group(3))


@dataclass(frozen=True)
class Token:
    citizen_id: int
    expires_at: datetime  # naive UTC
    token_id: str


def _master_secret(database: Database) -> str:
    """The database's master secret, made on first use. Concurrent first starts (several
    processes on one PostgreSQL database) agree: one insert wins, the others read it."""
    with database.read() as s:
        value = s.scalar(select(ServerSecret.value).where(ServerSecret.name == "master"))
    if value is not None:
        return value
    with database.write() as s:
        value = s.scalar(select(ServerSecret.value).where(ServerSecret.name == "master"))
        if value is None:
            try:
                with s.begin_nested():
                    value = secrets.token_hex(32)
                    s.add(ServerSecret(name="master", value=value, created_at=utcnow()))
            except IntegrityError:
                value = s.scalar(select(ServerSecret.value)
                                 .where(ServerSecret.name == "master")
                                 .execution_options(populate_existing=True))
    return value


# --- proofs -----------------------------------------------------------------------------------


def _verified_at_texts(proof: p.Proof, sent: str | None) -> list[str]:
    """The texts of `verified_at` a signature may cover: as sent (the protocol's rule), and, for
    a terminal that signed its own text of the same instant before the model serialized it, its
    `isoformat()` and the JSON form. All name the same instant, the one checked for age."""
    texts = [sent] if sent else []
    for text in (proof.verified_at.isoformat(), proof.model_dump(mode="json")["verified_at"]):
        if text not in texts:
            texts.append(text)
    return texts


def check_proof(s: Session, proof: p.Proof | None, *, sent_verified_at: str | None,
                terminal_id: str, credential: str, id_number: str, citizen_key: str,
                now: datetime) -> None:
    """Refused(403, verification_required | proof_invalid) unless `proof` shows that this
    citizen was verified at this terminal, in this session, lately. `now` is naive UTC."""
    if proof is None:
        raise Refused(403, ErrorCode.VERIFICATION_REQUIRED,
                      "a personal call needs a proof that the citizen was verified")

    def invalid(why: str) -> Refused:
        return Refused(403, ErrorCode.PROOF_INVALID, f"proof refused: {why}")

    method = VerifyMethod(proof.method)
    if method is VerifyMethod.ATTENDED and not proof.staff_id:
        raise invalid("an attended verification names the staff member (staff_id)")
    if method is not VerifyMethod.ATTENDED and proof.staff_id:
        raise invalid("staff_id belongs to an attended verification only")
    if method is VerifyMethod.E_CREDENTIAL and not proof.ticket:
        raise invalid("an e-credential verification carries the exchange's ticket")
    if method is not VerifyMethod.E_CREDENTIAL and proof.ticket:
        raise invalid("a ticket belongs to an e-credential verification only")
    good = False
    for text in _verified_at_texts(proof, sent_verified_at):
        message = p.proof_message(terminal_id=terminal_id, id_number=id_number,
                                  method=method.value, session_id=proof.session_id,
                                  verified_at=text, ticket=proof.ticket, staff_id=proof.staff_id)
        good |= hmac.compare_digest(p.sign_proof(credential, message), proof.signature)
    if not good:
        raise invalid("the signature does not match this terminal, citizen and session")
    at = proof.verified_at.astimezone(timezone.utc).replace(tzinfo=None)
    if at > now + CLOCK_SKEW:
        raise invalid("verified_at is in the future (check the terminal's clock)")
    if now - at > PROOF_MAX_AGE:
        raise invalid(f"older than {p.PROOF_MAX_AGE_S} s: verify the citizen again")
    if method is VerifyMethod.E_CREDENTIAL:
        ticket = s.scalar(select(IdentityTicket)
                          .where(IdentityTicket.ticket_sha256 == sha256_hex(proof.ticket)))
        if ticket is None or ticket.terminal_id != terminal_id:
            raise invalid("the ticket was not issued to this terminal")
        if ticket.citizen_key != citizen_key:
            raise invalid("the ticket names another citizen")
        if ticket.session_id != proof.session_id:
            raise invalid("the ticket belongs to another session")
        if ticket.expires_at <= now:
            raise invalid("the ticket expired: show the e-credential again")


def new_ticket(s: Session, *, citizen_key: str, terminal_id: str, session_id: str,
               now: datetime) -> tuple[str, datetime]:
    """A ticket for (citizen, session, terminal), stored as its SHA-256: (text, expiry)."""
    ticket = secrets.token_urlsafe(32)
    expires = now + TICKET_TTL
    s.add(IdentityTicket(ticket_sha256=sha256_hex(ticket), citizen_key=citizen_key,
                         terminal_id=terminal_id, session_id=session_id, issued_at=now,
                         expires_at=expires))
    return ticket, expires


# --- the lookup limit -------------------------------------------------------------------------


def citizens_looked_up(s: Session, terminal_id: str, citizen_key: str,
                       now: datetime) -> tuple[bool, int]:
    """(this citizen was looked up at this terminal within the window, how many distinct
    citizens were)."""
    since = now - LOOKUP_WINDOW
    recent = (AccessLogEntry.terminal_id == terminal_id, AccessLogEntry.at >= since,
              AccessLogEntry.outcome.in_(LOOKED_UP))
    seen = s.scalar(select(AccessLogEntry.id).where(*recent)
                    .where(AccessLogEntry.citizen_key == citizen_key).limit(1)) is not None
    count = s.scalar(select(func.count(func.distinct(AccessLogEntry.citizen_key)))
                     .where(*recent)) or 0
    return seen, count
