"""Secrets: terminal credentials, enrolment codes, staff PINs, verification codes.

Credentials are 256 random bits, so a plain SHA-256 is enough to store them. PINs are short and
guessable, so they are stretched with scrypt (hashlib, no extra dependency; argon2 would need
argon2-cffi) and guarded by a lockout after repeated failures.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
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


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt)}${b64(digest)}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
        got = hashlib.scrypt(pin.encode(), salt=salt, n=int(n), r=int(r), p=int(p),
                             dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def check_staff_pin(account, pin: str, now: datetime) -> bool:
    """Verify a PIN against a StaffAccount row, counting failures and locking the account for
    PIN_LOCKOUT after PIN_MAX_FAILURES in a row. The caller commits the row."""
    if not account.active or (account.locked_until is not None and account.locked_until > now):
        return False
    if verify_pin(pin, account.pin_hash):
        account.failed_attempts = 0
        account.locked_until = None
        return True
    account.failed_attempts += 1
    if account.failed_attempts >= PIN_MAX_FAILURES:
        account.locked_until = now + PIN_LOCKOUT
        account.failed_attempts = 0
    return False
