"""Enrolment codes, made by an administrator (``POST /v1/admin/enrolment-codes``) or by the
embedded demo backend for its own terminal; stored as their SHA-256 only.

A code bound to a terminal id enrols that id only, as often as its uses allow: the way to enrol
a terminal again (a new credential, the old one revoked). A code bound to no id enrols ids that
were never enrolled: it cannot take over an enrolled terminal (see the enrol endpoint).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from backend.models import EnrolmentCode
from backend.security import enrolment_code_digest, new_verification_code


def new_enrolment_code() -> str:
    """12 Crockford base32 characters (60 bits), shown as XXXX-XXXX-XXXX."""
    code = new_verification_code()
    return "-".join(code[i:i + 4] for i in (0, 4, 8))


def issue_enrolment_code(s: Session, *, now: datetime, code: str | None = None,
                         terminal_id: str | None = None, label: str = "",
                         max_uses: int | None = 1, expires_at: datetime | None = None,
                         hall: str | None = None) -> str:
    """Add a code (random unless given) and return its text, the only time it exists in clear.
    A code that exists already raises IntegrityError at flush or commit."""
    code = (code or new_enrolment_code()).upper()
    s.add(EnrolmentCode(code_sha256=enrolment_code_digest(code), label=label,
                        terminal_id=terminal_id, max_uses=max_uses, expires_at=expires_at,
                        created_at=now, hall=hall))
    return code
