"""Who the citizen at the terminal is: held in memory only, for one flow, then wiped.

An `Identity` is made by one of three methods (ID card, QR code, manual entry), always checked
with the protocol's GB 11643 rules (`protocol.id_number_problem`), so the terminal
accepts exactly what the backend accepts. It never goes to disk: it refuses to be pickled, its
`repr` and `str` show no digit of the number and no character of the name, and `clear()` drops
both (Python strings are immutable, so "wiping" means the terminal keeps no reference to them;
whatever is unreachable is garbage). Screens show `masked` (3201**********1234).

Knowing a number proves nothing (docs/decisions/0018): an identity is *verified* only once it
carries a `Verification`: the card read plus a face match (``card_face``), an e-credential the
backend exchanged (``e_credential``), or a staff member who confirmed the card (``attended``).
The verification is as private as the identity: never serialised, wiped with it.

`check_id_number` turns a partial or complete entry into one stable code (`IdCheck`) that the
screens translate; it decides nothing itself about check digits or dates, it asks the protocol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from urllib.parse import parse_qsl, urlsplit

from protocol import (
    ID_PROVINCES,
    VerifyMethod,
    id_check_digit,
    id_number_problem,
    mask_id_number,
    mask_name,
    normalize_id_number,
)

ID_LENGTH = 18


class IdMethod(StrEnum):
    ID_CARD = "id_card"  # 居民身份证 on the card reader
    QR = "qr"  # a code on the citizen's phone, read by the scanner
    MANUAL = "manual"  # typed on the on-screen number pad


class IdCheck(StrEnum):
    """What is wrong with an entered ID number, as a code the screens translate."""

    OK = "id.ok"
    TOO_SHORT = "id.too_short"  # fewer than 18 characters (so far)
    TOO_LONG = "id.too_long"  # more than 18
    BAD_FORMAT = "id.bad_format"  # a non-digit, or X anywhere but last
    BAD_REGION = "id.bad_region"  # the first two digits are no province
    BAD_BIRTH_DATE = "id.bad_birth_date"  # digits 7-14 are no plausible date
    BAD_CHECK_DIGIT = "id.bad_check_digit"  # the last character does not match: a typo


_DIGITS = re.compile(r"^\d*$")


def check_id_number(value: str, today: date | None = None) -> IdCheck:
    """The first problem of a partial or complete entry, or OK.

    Problems are reported as early as they can be known: a wrong province after two digits, an
    impossible birth date after fourteen, so a citizen typing on the pad learns of a slip at
    once rather than after eighteen characters. Every rule is the protocol's: for a partial
    entry the protocol is asked about a completed copy (zeros for the sequence, the right check
    digit), so only the part already typed can fail.
    """
    v = normalize_id_number(value)
    if len(v) > ID_LENGTH:
        return IdCheck.TOO_LONG
    if not _DIGITS.match(v[:17]) or (len(v) == ID_LENGTH and v[17] not in "0123456789X"):
        return IdCheck.BAD_FORMAT
    if len(v) >= 2 and v[:2] not in ID_PROVINCES:
        return IdCheck.BAD_REGION
    if len(v) >= 14:
        first17 = (v[:17] + "000")[:17]
        if id_number_problem(first17 + id_check_digit(first17), today) is not None:
            # shape, province and check digit are right by construction: the date is not
            return IdCheck.BAD_BIRTH_DATE
    if len(v) < ID_LENGTH:
        return IdCheck.TOO_SHORT
    if id_number_problem(v, today) is None:
        return IdCheck.OK
    return IdCheck.BAD_CHECK_DIGIT


def mask_partial(value: str) -> str:
    """What the number pad shows while typing: up to eight characters (a region and part of a
    birth year) as typed, so the citizen can check them; from the ninth on, `mask_id_number`
    (the first four and last four, stars between), as every screen shows a full number."""
    if len(value) <= 8:
        return value
    return mask_id_number(value)


class InvalidIdentity(ValueError):
    """An ID number or a scanned code that cannot identify anyone; `code` says why."""

    def __init__(self, code: str):
        self.code = str(code)
        super().__init__(self.code)


class IdentityCleared(RuntimeError):
    """The identity was wiped; nothing of it can be read any more."""


@dataclass(frozen=True, repr=False, eq=False)
class Verification:
    """How the citizen was verified at this terminal (what goes, signed, into every personal
    call's `protocol.Proof`). `verified_at` is wall-clock time with an offset; `ticket` is the
    e-credential exchange's, `staff_id` the attending staff member's. Never serialised."""

    method: VerifyMethod
    verified_at: datetime
    ticket: str | None = None
    staff_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", VerifyMethod(self.method))
        if self.verified_at.tzinfo is None:
            raise ValueError("verified_at needs a time zone")

    def __repr__(self) -> str:
        return f"Verification({self.method.value})"

    def __reduce_ex__(self, protocol):
        raise TypeError("a verification is never serialised or copied")


class Identity:
    """One citizen's identity, in memory for the length of one flow.

    `name` may be empty (manual entry and most QR codes carry no name; the backend's records
    name the holder). Two identities are never equal unless they are the same object.
    `verification` is None until the citizen is verified (`verify()`).
    """

    __slots__ = ("_id_number", "_name", "_method", "_cleared", "_verification")

    def __init__(self, id_number: str, method: IdMethod | str, name: str = "", *,
                 today: date | None = None, verification: Verification | None = None):
        number = normalize_id_number(id_number)
        check = check_id_number(number, today)
        if check is not IdCheck.OK:
            raise InvalidIdentity(check)
        self._id_number = number
        self._name = name.strip()
        self._method = IdMethod(method)
        self._cleared = False
        self._verification = verification

    # -- reading ---------------------------------------------------------------------------
    @property
    def id_number(self) -> str:
        if self._cleared:
            raise IdentityCleared("the identity was wiped")
        return self._id_number

    @property
    def name(self) -> str:
        if self._cleared:
            raise IdentityCleared("the identity was wiped")
        return self._name

    @property
    def method(self) -> IdMethod:
        return self._method

    @property
    def masked(self) -> str:
        """3201**********1234: for the screen."""
        return "" if self._cleared else mask_id_number(self._id_number)

    @property
    def masked_name(self) -> str:
        return "" if self._cleared else mask_name(self._name)

    @property
    def cleared(self) -> bool:
        return self._cleared

    @property
    def verification(self) -> Verification | None:
        """How the citizen was verified; None if not (or wiped)."""
        return None if self._cleared else self._verification

    @property
    def verified(self) -> bool:
        return self.verification is not None

    def verify(self, verification: Verification) -> None:
        """The citizen was verified (a face match, a staff member's confirmation)."""
        if self._cleared:
            raise IdentityCleared("the identity was wiped")
        if not isinstance(verification, Verification):
            raise TypeError("a Verification")
        self._verification = verification

    # -- wiping ----------------------------------------------------------------------------
    def clear(self) -> None:
        """Drop the number, the name and the verification. Idempotent."""
        self._id_number = ""
        self._name = ""
        self._verification = None
        self._cleared = True

    # -- never shown, never stored ---------------------------------------------------------
    def __repr__(self) -> str:
        if self._cleared:
            return "Identity(<cleared>)"
        how = f", verified={self._verification.method.value}" if self._verification else ""
        return (f"Identity(method={self._method.value}, id_number=<redacted>, "
                f"name=<redacted>{how})")

    __str__ = __repr__

    def __reduce_ex__(self, protocol):  # pickle, copy, shelve ...
        raise TypeError("an Identity is never serialised or copied")

    def __eq__(self, other: object) -> bool:
        return self is other

    __hash__ = object.__hash__


# QR codes: a bare ID number, or key=value pairs (a URL's query, or "k=v;k=v") naming it.
_QR_ID_KEYS = ("sfzh", "idno", "id_number", "id")
_QR_NAME_KEYS = ("xm", "name")


def identity_from_qr(text: str, today: date | None = None) -> Identity:
    """The identity a scanned code carries, or `InvalidIdentity`: ``id.qr.unrecognised`` when
    the code names no ID number at all (a payment code, a web link), else the `IdCheck` code of
    a malformed one. The text itself is never put into the exception."""
    raw = text.strip()
    if not raw or len(raw) > 512:
        raise InvalidIdentity("id.qr.unrecognised")
    bare = normalize_id_number(raw)
    if len(bare) == ID_LENGTH and re.fullmatch(r"\d{17}[\dX]", bare):
        return Identity(bare, IdMethod.QR, today=today)
    query = urlsplit(raw).query if "?" in raw else raw
    pairs = {k.strip().lower(): v for k, v in parse_qsl(query.replace(";", "&"))}
    number = next((pairs[k] for k in _QR_ID_KEYS if pairs.get(k)), None)
    if number is None:
        raise InvalidIdentity("id.qr.unrecognised")
    name = next((pairs[k] for k in _QR_NAME_KEYS if pairs.get(k)), "")
    return Identity(number, IdMethod.QR, name=name, today=today)

