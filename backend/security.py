"""Secrets: terminal credentials, enrolment codes, staff PINs, verification codes.

Credentials are 256 random bits, so a plain SHA-256 is enough to store them. PINs are short and
guessable, so they are stretched with argon2id (argon2-cffi; the terminals check the same PHC
strings offline) and guarded by a lockout after repeated failures.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PIN_MAX_FAILURES = 5
PIN_LOCKOUT = timedelta(minutes=15)


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def enrolment_code_digest(code: str) -> str:
    """Codes are typed by technicians: case and surrounding spaces do not matter."""
    return sha256_hex(code.strip().upper())


def new_credential() -> str:
    return secrets.token_urlsafe(32)


def new_verification_code() -> str:
    """16 Crockford base32 characters (80 bits), shown as XXXX-XXXX-XXXX-XXXX."""
    return "".join(secrets.choice(CROCKFORD) for _ in range(16))


def format_verification_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, 16, 4))


def normalize_verification_code(code: str) -> str:
    """What a person may type back: lower case, dashes, O for 0, I or L for 1."""
    code = code.strip().upper().replace("-", "").replace(" ", "")
    return code.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


# OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): the terminals verify these offline, on
# modest hardware, within a tap. The parameters travel inside each PHC string.
_PIN_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Verified against when the staff number is unknown: the answer takes as long as a wrong PIN.
_DUMMY_HASH = _PIN_HASHER.hash("dummy-pin-never-valid")


def hash_pin(pin: str) -> str:
    """argon2id PHC string (``$argon2id$v=19$m=19456,t=2,p=1$...``) of a PIN."""
    return _PIN_HASHER.hash(pin)


def verify_pin(pin: str, stored: str) -> bool:
    try:
        return _PIN_HASHER.verify(stored, pin)
    except (VerifyMismatchError, InvalidHashError, VerificationError, ValueError):
        return False


def burn_pin_check(pin: str) -> None:
    """As long as a real check, for an unknown staff number (no timing difference)."""
    verify_pin(pin, _DUMMY_HASH)


def check_staff_pin(account, pin: str, now: datetime, *,
                    lockout: timedelta = PIN_LOCKOUT) -> bool:
    """Verify a PIN against a StaffAccount row, counting failures and locking the account for
    `lockout` after PIN_MAX_FAILURES in a row. The caller commits the row."""
    if account.locked_until is not None and account.locked_until > now:
        return False
    if verify_pin(pin, account.pin_hash):
        account.failed_attempts = 0
        account.locked_until = None
        return True
    account.failed_attempts += 1
    if account.failed_attempts >= PIN_MAX_FAILURES:
        account.locked_until = now + lockout
        account.failed_attempts = 0
    return False
