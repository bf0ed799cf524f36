"""The sync protocol's vocabulary that needs no pydantic: paths, limits, error codes, enums, the
resident ID number's checks and masks, proofs' signatures. `protocol` re-exports all of it; the
kiosk's start path imports only this part, and the message models (`protocol.models`) load with
the first message (docs/decisions/0038-start-without-pydantic.md)."""

from __future__ import annotations

import re
from datetime import date, timedelta, timezone
from enum import StrEnum
from typing import Any

PROTOCOL_VERSION = 1
#: Local time, for both ends: China Standard Time, UTC+8 all year (no daylight saving since 1991),
#: so a fixed offset and no dependency on the system's tz database. Months and days are local.
LOCAL_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
PREFIX = "/v1"
MAX_BODY_BYTES = 1024 * 1024
MAX_EVENTS_PER_BATCH = 500
MAX_EVENT_PAYLOAD_BYTES = 16 * 1024
# The largest integer every JSON parser reads exactly (JavaScript's Number.MAX_SAFE_INTEGER):
# free-form JSON (event payloads) may hold integers within +-MAX_SAFE_INTEGER only.
MAX_SAFE_INTEGER = 2**53 - 1
CATALOG_PAGE_DEFAULT = 500
CATALOG_PAGE_MAX = 1000


class Paths:
    """The paths, so both ends spell them the same way."""

    ENROL = f"{PREFIX}/enrol"
    CATALOG_CHANGES = f"{PREFIX}/catalog/changes"
    SOCIAL_INSURANCE = f"{PREFIX}/records/social-insurance"
    MEDICAL_ACCOUNT = f"{PREFIX}/records/medical-account"
    PROVIDENT_FUND = f"{PREFIX}/records/provident-fund"
    REAL_ESTATE = f"{PREFIX}/records/real-estate"
    DOCUMENTS = f"{PREFIX}/documents"
    VERIFY = f"{PREFIX}/verify/{{verification_code}}"
    QUEUE_TICKETS = f"{PREFIX}/queue/tickets"
    QUEUE_TICKET = f"{PREFIX}/queue/tickets/{{ticket_id}}"
    EVENTS = f"{PREFIX}/events"
    CREDENTIAL_EXCHANGE = f"{PREFIX}/identity/exchange"
    ACCESS_LOG = f"{PREFIX}/records/access-log"
    ADMIN_E_CREDENTIALS = f"{PREFIX}/admin/e-credentials"  # the demo's "phone" issues one
    HEARTBEAT = f"{PREFIX}/heartbeat"
    HEALTH = f"{PREFIX}/health"


class ErrorCode(StrEnum):
    """The ``error`` field of an `ErrorBody`. A terminal decides what to do from the code, and
    may show the message to staff, never raw to a citizen."""

    MALFORMED_JSON = "malformed_json"  # 400: the body is not JSON
    INVALID_REQUEST = "invalid_request"  # 422: fields missing or of the wrong type or value
    UNAUTHORIZED = "unauthorized"  # 401: no, wrong or revoked credential
    ENROLMENT_REFUSED = "enrolment_refused"  # 401: wrong, expired, used-up or revoked code
    # 403: the terminal id is enrolled already and the code was not issued for that id; the
    # enrolled terminal keeps its credential. Ask the administrator for a code bound to the id.
    ALREADY_ENROLLED = "already_enrolled"
    FORBIDDEN = "forbidden"  # 403: authenticated but not allowed (other terminal's id, admin)
    NOT_FOUND = "not_found"  # 404: no such path, document, ticket
    CITIZEN_NOT_FOUND = "citizen_not_found"  # 404: no records at all for this ID number
    NO_ACCOUNT = "no_account"  # 404: the citizen has no account of this kind
    NOT_APPLICABLE = "not_applicable"  # 409: e.g. 无房证明 for a citizen who owns property
    CURSOR_AHEAD = "cursor_ahead"  # 409: a cursor the server never issued: sync again from 0
    METHOD_NOT_ALLOWED = "method_not_allowed"  # 405
    TOO_LARGE = "too_large"  # 413: body over MAX_BODY_BYTES
    INTERNAL = "internal"  # 500: a bug; the message carries a reference for the server log
    UNAVAILABLE = "unavailable"  # 503: the backend's database cannot be reached
    # Verified identity (docs/decisions/0018): a records or document call without a valid proof
    VERIFICATION_REQUIRED = "verification_required"  # 403: no proof with a personal call
    PROOF_INVALID = "proof_invalid"  # 403: signature, session, time or citizen do not match
    LOOKUP_LIMIT = "lookup_limit"  # 403: this terminal looked up too many citizens this hour
    CREDENTIAL_INVALID = "credential_invalid"  # 401: an e-credential QR that is forged/unknown
    CREDENTIAL_EXPIRED = "credential_expired"  # 410: older than its 60 s
    CREDENTIAL_USED = "credential_used"  # 409: shown before (single use)


# Times a terminal or backend can mean: anything else (year 1 or 9999 with an offset, which
# overflows when turned into UTC) is refused as invalid, never an error inside the backend.
TIME_MIN_YEAR, TIME_MAX_YEAR = 1970, 2200  # 1970: a terminal whose clock battery died


# --------------------------------------------------------------------------------------------
# Resident ID numbers (GB 11643-1999): shared so the terminal checks manual entry exactly as
# the backend does.

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"
# Province-level codes (the first two digits); 71/81/82/83 are Taiwan, Hong Kong, Macao and the
# residence permits of their residents.
ID_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split()
)
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


def id_check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits (ISO 7064 MOD 11-2)."""
    return ID_CHECK_CODES[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def id_number_problem(value: str, today: date | None = None) -> str | None:
    """None if `value` is a well-formed resident ID number, else what is wrong with it (never
    quoting the number itself, so the message is safe to log)."""
    value = normalize_id_number(value)
    if len(value) != 18:
        return f"an ID number has 18 characters, this one has {len(value)}"
    if not _ID_SHAPE.match(value):
        return "an ID number is 17 digits followed by a digit or X"
    if value[:2] not in ID_PROVINCES:
        return "the first two digits are not a province code"
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "digits 7-14 are not a valid birth date"
    if born.year < 1880 or born > (today or date.today()):
        return "digits 7-14 are not a plausible birth date"
    if id_check_digit(value[:17]) != value[17]:
        return "the check digit (last character) does not match: a digit was probably mistyped"
    return None


def mask_id_number(id_number: str) -> str:
    """3201**********1234."""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def mask_name(name: str) -> str:
    """张*, 王*明, 欧阳**: the first character, the last of three or more, stars between."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    if len(name) == 3:
        return name[0] + "*" + name[-1]
    return name[0] + "*" * (len(name) - 1)


# --------------------------------------------------------------------------------------------
# Online calls: personal records (never cached by the terminal)


# ============================================================================ verified identity
# Knowing a citizen's ID number must not be enough to read their records: every personal call
# carries a `Proof` that the citizen was verified at this terminal in this session, and the
# backend refuses a call without a valid one (docs/decisions/0018).

PROOF_MAX_AGE_S = 900  # a proof serves one citizen's visit: 15 minutes at most
E_CREDENTIAL_PREFIX = "GOVKIOSK-ECRED:1:"  # a dynamic e-credential QR (the citizen's phone)
E_CREDENTIAL_TTL_S = 60  # an e-credential QR is valid this long, once


class VerifyMethod(StrEnum):
    CARD_FACE = "card_face"  # the ID card's chip read + a face match with liveness
    E_CREDENTIAL = "e_credential"  # a dynamic QR the backend verified and exchanged
    ATTENDED = "attended"  # a logged-in staff member confirmed the physical card


def proof_message(*, terminal_id: str, id_number: str, method: str, session_id: str,
                  verified_at: str, ticket: str | None, staff_id: str | None) -> bytes:
    """What a proof's signature covers, canonically (both ends build it the same way). The ID
    number enters as its SHA-256, `verified_at` as the ISO text sent."""
    import hashlib

    digest = hashlib.sha256(normalize_id_number(id_number).encode("ascii")).hexdigest()
    return "|".join(("proof-v1", terminal_id, digest, str(method), session_id, verified_at,
                     ticket or "", staff_id or "")).encode("utf-8")


def sign_proof(credential: str, message: bytes) -> str:
    import hashlib
    import hmac

    return hmac.new(credential.encode("utf-8"), message, hashlib.sha256).hexdigest()


class InsuranceType(StrEnum):
    PENSION = "pension"  # 养老保险
    MEDICAL = "medical"  # 医疗保险
    UNEMPLOYMENT = "unemployment"  # 失业保险
    WORK_INJURY = "work_injury"  # 工伤保险
    MATERNITY = "maternity"  # 生育保险


INSURANCE_TYPE_NAMES = {
    InsuranceType.PENSION: "养老保险",
    InsuranceType.MEDICAL: "医疗保险",
    InsuranceType.UNEMPLOYMENT: "失业保险",
    InsuranceType.WORK_INJURY: "工伤保险",
    InsuranceType.MATERNITY: "生育保险",
}


class EnrolmentStatus(StrEnum):
    CONTRIBUTING = "contributing"  # 参保缴费
    SUSPENDED = "suspended"  # 暂停缴费 (left the employer, not yet with another)
    TERMINATED = "terminated"  # 终止参保


ENROLMENT_STATUS_NAMES = {
    EnrolmentStatus.CONTRIBUTING: "参保缴费",
    EnrolmentStatus.SUSPENDED: "暂停缴费",
    EnrolmentStatus.TERMINATED: "终止参保",
}


class DocumentKind(StrEnum):
    SS_CERTIFICATE = "ss_certificate"  # 社会保险参保证明
    SS_CONTRIBUTIONS = "ss_contributions"  # 社会保险个人缴费明细
    MEDICAL_ACCOUNT = "medical_account"  # 医保个人账户明细
    PROVIDENT_FUND = "provident_fund"  # 住房公积金缴存证明
    REAL_ESTATE = "real_estate"  # 不动产登记信息查询结果
    NO_PROPERTY = "no_property"  # 无房证明 (only for a citizen without registrations)


DOCUMENT_TITLES = {
    DocumentKind.SS_CERTIFICATE: "社会保险参保证明",
    DocumentKind.SS_CONTRIBUTIONS: "社会保险个人缴费明细",
    DocumentKind.MEDICAL_ACCOUNT: "医疗保险个人账户明细",
    DocumentKind.PROVIDENT_FUND: "住房公积金缴存证明",
    DocumentKind.REAL_ESTATE: "不动产登记信息查询结果",
    DocumentKind.NO_PROPERTY: "无房产登记证明",
}


# --------------------------------------------------------------------------------------------
# Push: events


class EventKind(StrEnum):
    RATING = "rating"
    PROBLEM_REPORT = "problem_report"
    TRANSACTION = "transaction"
    AUDIT = "audit"
    TELEMETRY = "telemetry"


class EventStatus(StrEnum):
    ACCEPTED = "accepted"  # stored now: delete it from the outbox
    DUPLICATE = "duplicate"  # stored before (an earlier delivery): delete it from the outbox
    REJECTED = "rejected"  # refused for good (reason says why): keep for staff, never resend


# --------------------------------------------------------------------------------------------
# Heartbeat and commands


class DeviceState(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    OFFLINE = "offline"


class PaperLevel(StrEnum):
    OK = "ok"
    LOW = "low"
    OUT = "out"


def profile_hash(profile: dict[str, Any]) -> str:
    """The hash a hall profile is known by at both ends: SHA-256 of its canonical JSON (keys
    sorted, as the backend stores it), the first 16 hex digits."""
    import hashlib
    import json

    text = json.dumps(profile, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# The command kinds of protocol 1.0: a terminal that names none in `command_kinds` gets only
# these (an older terminal would refuse a reply holding a kind it does not know).
BASE_COMMAND_KINDS = ("reload_catalog", "enter_maintenance", "leave_maintenance", "new_config")


class CommandKind(StrEnum):
    RELOAD_CATALOG = "reload_catalog"
    ENTER_MAINTENANCE = "enter_maintenance"
    LEAVE_MAINTENANCE = "leave_maintenance"
    NEW_CONFIG = "new_config"
    RESTART = "restart"          # restart at the next idle moment (exit 75, the supervisor)
    LOCK = "lock"                # out of service with payload["message"] shown
    UNLOCK = "unlock"
