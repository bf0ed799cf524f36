"""The sync protocol, version 1: JSON over HTTP under ``/v1``, as pydantic models both ends share.

This module is the whole contract between a terminal and its backend. The reference backend
(`backend/`) imports it; the kiosk's adapters import it; it imports nothing from either, so it
can be vendored into another backend as a single file. See docs/decisions/0008-sync-protocol.md.

Endpoints (``T`` = terminal credential ``Authorization: Bearer <credential>``, ``-`` = public):

=====  ===============================  ============================  =========================
auth   method and path                  request                       response
=====  ===============================  ============================  =========================
-      POST /v1/enrol                   EnrolRequest                  EnrolResponse
T      GET  /v1/catalog/changes         ?cursor=&limit=               CatalogChanges
T      POST /v1/records/social-insurance  RecordsRequest              SocialInsuranceRecords
T      POST /v1/records/medical-account   RecordsRequest              MedicalAccountRecords
T      POST /v1/records/provident-fund    RecordsRequest              ProvidentFundRecords
T      POST /v1/records/real-estate       RecordsRequest              RealEstateRecords
T      POST /v1/documents               DocumentRequest               DocumentIssued
-      GET  /v1/verify/{code}           -                             DocumentVerification
T      POST /v1/queue/tickets           TicketRequest                 QueueTicket
-      GET  /v1/queue/tickets/{id}      -                             TicketStatus
T      POST /v1/identity/exchange       CredentialExchange            CredentialIdentity
T      POST /v1/records/access-log      AccessLogRequest              AccessLog
T      POST /v1/events                  EventBatch                    EventResults
T      POST /v1/heartbeat               Heartbeat                     HeartbeatReply
-      GET  /v1/health                  -                             Health
=====  ===============================  ============================  =========================

Staff, help requests, remote view and the audit chain: `protocol.staff`.

Every error, whatever the status, has the body `ErrorBody` ``{"error": code, "message": ...}``;
`ErrorCode` lists the codes. Bodies larger than `MAX_BODY_BYTES` get 413.

Conventions:

- Requests forbid unknown fields (a typo is an error, not silently ignored); responses ignore
  unknown fields, so a backend may add response fields within v1 without breaking old terminals.
  A field added to a request within v1 must be optional and the backend must be upgraded first.
- Times are ISO 8601 with an offset (UTC ``Z`` from the reference backend). Months are
  ``YYYY-MM`` and, like days, local: `LOCAL_TZ` (UTC+8). Money is a decimal string with two
  places (``"1234.50"``), never a float.
- Free-form JSON (event payloads) holds finite numbers only and integers within
  +-(2**53 - 1) (`MAX_SAFE_INTEGER`): NaN, Infinity or a huge integer is 422 ``invalid_request``.
- Personal data travels only in the online calls (records, documents) and is never cached by the
  terminal; it is never in a URL (records are POSTs), so access logs stay clean. Pushed events
  carry no personal data; the backend rejects an event whose payload holds an ID number.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, Union
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
)
from pydantic_core import PydanticCustomError

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


# --------------------------------------------------------------------------------------------
# Base classes and shared field types


class Request(BaseModel):
    """Sent by a terminal: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Response(BaseModel):
    """Sent by the backend: unknown fields are ignored by older terminals."""

    model_config = ConfigDict(extra="ignore")


class ErrorDetail(Response):
    field: str = Field(description="Where: e.g. 'body.events.3.kind' or 'query.limit'.")
    problem: str = Field(description="What is wrong, in English. The input is never echoed.")


class ErrorBody(Response):
    error: str = Field(description="A machine-readable code, one of ErrorCode.")
    message: str = Field(description="Human-readable, for logs and staff screens.")
    details: list[ErrorDetail] = Field(default_factory=list)


def _money_str(value: Decimal) -> str:
    return f"{value:.2f}"


Money = Annotated[
    Decimal,
    Field(max_digits=14, decimal_places=2, description="Yuan, two decimal places."),
    PlainSerializer(_money_str, return_type=str, when_used="json"),
]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text, and no legitimate field needs one.
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "must not contain a NUL character")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
# Integers a database column can hold (BIGINT): bigger ones are refused, not overflowed.
Count = Annotated[int, Field(ge=0, le=10**12)]
RowId = Annotated[int, Field(ge=1, le=2**62)]


def _iso_time_only(value: Any) -> Any:
    # pydantic would take a number as seconds since 1970: a terminal sending one has a bug.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise PydanticCustomError("time_format", "a time must be an ISO 8601 string with an offset")
    return value


# Times a terminal or backend can mean: anything else (year 1 or 9999 with an offset, which
# overflows when turned into UTC) is refused as invalid, never an error inside the backend.
TIME_MIN_YEAR, TIME_MAX_YEAR = 1970, 2200  # 1970: a terminal whose clock battery died


def _plausible_time(value: Any) -> Any:
    try:
        year = value.astimezone(timezone.utc).year
    except OverflowError:
        year = 0
    if not TIME_MIN_YEAR <= year <= TIME_MAX_YEAR:
        raise PydanticCustomError(
            "time_range", "a time must lie between the years {lo} and {hi}",
            {"lo": TIME_MIN_YEAR, "hi": TIME_MAX_YEAR})
    return value


def _json_safe(value: Any) -> Any:
    """Free-form JSON as every parser reads it alike: no NaN or Infinity (not JSON at all, though
    Python's json module reads and writes them; a number too big for a float parses as one) and
    no integer beyond +-MAX_SAFE_INTEGER (exact in Python, rounded or refused elsewhere). Walks
    the value without recursion; the message never quotes the value or its keys."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, bool) or v is None or isinstance(v, str):
            continue
        if isinstance(v, float):
            if not math.isfinite(v):
                raise PydanticCustomError(
                    "finite_number", "numbers must be finite: NaN and Infinity are not JSON")
        elif isinstance(v, int):
            if not -MAX_SAFE_INTEGER <= v <= MAX_SAFE_INTEGER:
                raise PydanticCustomError(
                    "safe_integer", "integers must be within +-(2**53 - 1) ({limit})",
                    {"limit": MAX_SAFE_INTEGER})
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return value


# A JSON object with finite numbers and JSON-safe integers anywhere inside (event payloads).
JsonObject = Annotated[dict[str, Any], AfterValidator(_json_safe)]


Timestamp = Annotated[
    AwareDatetime, BeforeValidator(_iso_time_only), AfterValidator(_plausible_time),
    Field(description="ISO 8601 with an offset, e.g. 2026-11-23T08:30:00Z"),
]
TerminalId = Annotated[
    str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$", description="2-32 of A-Z a-z 0-9 _ -")
]


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


def _check_id_number(value: str) -> str:
    problem = id_number_problem(value)
    if problem is not None:
        raise PydanticCustomError("id_number", "invalid ID number: {problem}", {"problem": problem})
    return value


IdNumber = Annotated[
    str,
    BeforeValidator(lambda v: normalize_id_number(v) if isinstance(v, str) else v),
    Field(min_length=1, max_length=32, description="Resident ID number, GB 11643-1999."),
    AfterValidator(_check_id_number),
]


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
# Enrolment


class EnrolRequest(Request):
    """Enrol a terminal id, or enrol it again (a new credential; the old one stops working).
    A code not bound to a terminal id enrols only an id never enrolled before; enrolling an
    enrolled id again needs a code issued for that id (else 403 ``already_enrolled``), so a
    general-purpose code cannot take over another terminal's identity."""

    enrolment_code: Text = Field(min_length=1, max_length=64)
    terminal_id: TerminalId


class EnrolResponse(Response):
    credential: str = Field(description="Send as 'Authorization: Bearer <credential>'. Shown once.")
    terminal_id: str
    place: str = ""


class Health(Response):
    status: Literal["ok"] = "ok"
    protocol: int = PROTOCOL_VERSION
    server_time: Timestamp


# --------------------------------------------------------------------------------------------
# Catalog pull


class SearchKey(Response):
    text: str
    pinyin: str = ""
    initials: str = ""


class DepartmentChange(Response):
    kind: Literal["department"] = "department"
    seq: int
    code: str
    name: str
    short_name: str
    name_en: str = ""
    order: int = 0


class CategoryChange(Response):
    kind: Literal["category"] = "category"
    seq: int
    code: str
    department: str
    name: str
    name_en: str = ""
    order: int = 0


class ItemChange(Response):
    """An item as in the catalog file (format 1), its guide inline."""

    kind: Literal["item"] = "item"
    seq: int
    id: str
    code: str = ""
    name: str
    department: str
    category: str
    level: str = ""
    kiosk_enabled: bool = False
    high_frequency: bool = False
    url: str = ""
    keys: list[SearchKey] = Field(default_factory=list)
    guide: dict[str, Any] | None = Field(
        default=None, description="The 办事指南 as versioned JSON (its own 'format' field)."
    )


CatalogChange = Annotated[
    Union[DepartmentChange, CategoryChange, ItemChange], Field(discriminator="kind")
]


class CatalogChanges(Response):
    """One page of catalog changes after `cursor`, in change order: a department's change comes
    before its categories', a category's before its items'. Apply them in order as upserts and
    store `next_cursor`; ask again while `has_more`. Starting from cursor 0 yields every live
    row (a full sync). If `epoch` differs from the one stored with the cursor, the backend's
    catalog was rebuilt: sync again from 0 and drop local rows not received."""

    changes: list[CatalogChange]
    deleted_item_ids: list[str] = Field(default_factory=list)
    next_cursor: int
    has_more: bool
    catalog_version: str
    epoch: str = ""


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


SessionId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$",
                                 description="The terminal's citizen session (uuid4 hex).")]


class Proof(Request):
    """How the citizen was verified, bound to this terminal, one session, one time and one
    citizen. `signature` is the hex HMAC-SHA256 of `proof_message(...)` keyed with the
    terminal's credential (the bearer credential of the same request): a proof cannot be
    moved to another terminal, session or citizen, and is refused after `PROOF_MAX_AGE_S`."""

    method: VerifyMethod
    session_id: SessionId
    verified_at: Timestamp  # an ISO string: a number would be taken as seconds since 1970
    ticket: str | None = Field(default=None, max_length=128,
                               description="e_credential: the ticket the exchange returned")
    staff_id: str | None = Field(default=None, max_length=32,
                                 description="attended: the staff member who confirmed")
    signature: str = Field(pattern=r"^[0-9a-f]{64}$")


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


class RecordsRequest(Request):
    id_number: IdNumber
    proof: Proof | None = Field(default=None, description="Required by the backend: a "
                                "request without a valid proof is 403 verification_required.")


class CredentialExchange(Request):
    """An e-credential QR shown at the terminal, for the backend to verify and exchange."""

    qr: str = Field(min_length=1, max_length=1024)
    session_id: SessionId


class CredentialIdentity(Response):
    """Who the e-credential names, and the single-use ticket that goes into the session's
    proofs (method e_credential)."""

    id_number: str
    name: str
    ticket: str
    expires_at: Timestamp


class AccessLogRequest(Request):
    id_number: IdNumber
    proof: Proof | None = None


class AccessEntry(Response):
    at: Timestamp
    terminal_id: str
    place: str = ""
    call: str = Field(description="What was looked up: a records call or a document kind.")
    method: VerifyMethod | None = None
    staff_id: str | None = None


class AccessLog(Response):
    """近期查询记录: who looked at this citizen's records, when and where (newest first)."""

    entries: list[AccessEntry]


class Holder(Response):
    """Whose records these are. The full name is for the document the citizen prints."""

    name: str
    id_number_masked: str
    gender: Literal["male", "female"]


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


class InsuranceEnrolment(Response):
    type: InsuranceType
    status: EnrolmentStatus
    start_month: Month
    last_paid_month: Month | None = None
    months_paid: int = 0
    employers: list[str] = Field(default_factory=list, description="Oldest first.")


class Contribution(Response):
    month: Month
    type: InsuranceType
    employer: str = ""
    base: Money
    personal: Money
    employer_amount: Money


class SocialInsuranceRecords(Response):
    holder: Holder
    region: str = Field(description="参保地, e.g. 常州市")
    enrolments: list[InsuranceEnrolment]
    contributions: list[Contribution] = Field(description="Newest month first.")
    as_of: Timestamp


class MedicalTransaction(Response):
    occurred_at: Timestamp
    kind: Literal["credit", "spending"] = Field(description="credit: 划入; spending: 消费")
    amount: Money = Field(description="Always positive; the kind says which way.")
    balance_after: Money
    place: str = Field(description="定点医药机构, or the fund for a credit.")
    description: str = ""


class MedicalAccountRecords(Response):
    holder: Holder
    account_number: str
    balance: Money
    transactions: list[MedicalTransaction] = Field(
        description="Newest first, at most 500 (the reference backend keeps 12 months)."
    )
    as_of: Timestamp


class ProvidentFundAccount(Response):
    account_number: str
    status: Literal["normal", "sealed", "closed"] = Field(description="正常 / 封存 / 销户")
    employer: str
    base: Money
    personal_rate_percent: int
    employer_rate_percent: int
    balance: Money
    opened_month: Month


class ProvidentFundDeposit(Response):
    month: Month
    personal: Money
    employer_amount: Money
    total: Money
    balance_after: Money


class ProvidentFundRecords(Response):
    holder: Holder
    account: ProvidentFundAccount
    deposits: list[ProvidentFundDeposit] = Field(description="Newest first.")
    as_of: Timestamp


class RealEstateRegistration(Response):
    certificate_number: str = Field(description="不动产权证书号")
    unit_number: str = Field(description="不动产单元号 (28 characters)")
    location: str
    usage: str = Field(description="用途, e.g. 住宅")
    area_m2: Decimal
    right_type: str = Field(description="权利类型")
    share: str = Field(description="共有情况")
    registered_on: date
    mortgaged: bool = False
    sealed: bool = Field(default=False, description="查封")


class RealEstateRecords(Response):
    """An empty `registrations` list is an answer: the 无房证明 case."""

    holder: Holder
    registrations: list[RealEstateRegistration]
    as_of: Timestamp


# --------------------------------------------------------------------------------------------
# Documents and their public verification


class RecordsCall(BaseModel):
    """One typed online records call: its name (what a flow's query step asks for), the path it
    is POSTed to with a `RecordsRequest`, and the response model. `RECORDS_CALLS` lists them;
    the kiosk's adapters and ports are derived from it, so a new call is one entry here and one
    route at the backend."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    name: str
    path: str
    response: type[Response]


RECORDS_CALLS: dict[str, RecordsCall] = {c.name: c for c in (
    RecordsCall(name="social_insurance", path=Paths.SOCIAL_INSURANCE,
                response=SocialInsuranceRecords),
    RecordsCall(name="medical_account", path=Paths.MEDICAL_ACCOUNT,
                response=MedicalAccountRecords),
    RecordsCall(name="provident_fund", path=Paths.PROVIDENT_FUND,
                response=ProvidentFundRecords),
    RecordsCall(name="real_estate", path=Paths.REAL_ESTATE, response=RealEstateRecords),
)}


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


class DocumentRequest(Request):
    kind: DocumentKind
    id_number: IdNumber
    from_month: Month | None = Field(default=None, description="ss_contributions only")
    to_month: Month | None = Field(default=None, description="ss_contributions only")
    proof: Proof | None = None


class DocumentIssued(Response):
    document_id: str
    kind: DocumentKind
    title: str
    verification_code: str = Field(description="Print it with the QR code of verify_url.")
    verify_url: str
    issued_at: Timestamp
    statement: str = Field(description="The document's claim in one sentence, as verify shows it.")


class DocumentVerification(Response):
    verification_code: str
    document_id: str
    kind: DocumentKind
    title: str
    status: Literal["valid", "revoked"]
    issued_at: Timestamp
    terminal_id: str
    terminal_place: str = ""
    holder_name_masked: str
    holder_id_number_masked: str
    statement: str


# --------------------------------------------------------------------------------------------
# Queue tickets


class TicketRequest(Request):
    business_type: str = Field(
        min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_.-]*$",
        description="A code the backend knows (e.g. ss, yb, gjj, bdc, general).",
    )


class QueueTicket(Response):
    ticket_id: str
    number: str = Field(description="What the hall's screens call, e.g. A017.")
    business_type: str
    business_name: str = ""
    window: str = ""
    people_ahead: int
    issued_at: Timestamp
    follow_url: str = Field(description="For a QR code: the citizen follows the queue by phone.")


class TicketStatus(Response):
    number: str
    business_type: str
    state: Literal["waiting", "called", "expired"]
    people_ahead: int
    issued_at: Timestamp


# --------------------------------------------------------------------------------------------
# Push: events


class EventKind(StrEnum):
    RATING = "rating"
    PROBLEM_REPORT = "problem_report"
    TRANSACTION = "transaction"
    AUDIT = "audit"
    TELEMETRY = "telemetry"


class Event(Request):
    idempotency_key: UUID = Field(description="Made by the terminal when the event is saved.")
    kind: EventKind
    occurred_at: Timestamp
    payload: JsonObject = Field(
        description="No personal data: masked or hashed ids only. Numbers finite, integers "
                    "within +-(2**53 - 1); anything else is 422 invalid_request.")


class EventBatch(Request):
    events: list[Event] = Field(min_length=1, max_length=MAX_EVENTS_PER_BATCH)


class EventStatus(StrEnum):
    ACCEPTED = "accepted"  # stored now: delete it from the outbox
    DUPLICATE = "duplicate"  # stored before (an earlier delivery): delete it from the outbox
    REJECTED = "rejected"  # refused for good (reason says why): keep for staff, never resend


class EventResult(Response):
    idempotency_key: str
    status: EventStatus
    reason: str | None = None


class EventResults(Response):
    results: list[EventResult] = Field(description="One per event, in the order sent.")


# --------------------------------------------------------------------------------------------
# Heartbeat and commands


class DeviceState(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    OFFLINE = "offline"


class DeviceHealth(Request):
    status: DeviceState
    reason: Text = Field(default="", max_length=200)


class PaperLevel(StrEnum):
    OK = "ok"
    LOW = "low"
    OUT = "out"


class PaperReport(Request):
    """The receipt/document paper as printing knows it (fleet view, docs/decisions/0028). The
    backend derives the print rate from `printed_total` over time and forecasts when the paper
    runs out from `sheets_left`."""

    level: PaperLevel = PaperLevel.OK
    sheets_left: Count | None = Field(default=None, description="Sheets (or receipts) left, "
                                      "estimated since the paper was changed; None: unknown.")
    printed_total: Count = Field(default=0, description="Sheets printed since the counter "
                                 "was last reset (it only grows between resets).")


class CommandResult(Request):
    """How a command went, sent once with the heartbeat after it was carried out."""

    id: RowId
    ok: bool = True
    message: Text = Field(default="", max_length=200, description="Why it failed (or what "
                          "happens next), no personal data.")
    # Optional (decision 0036): a pushed profile is first `accepted` (checked and written),
    # then `applied` once the restarted terminal runs it; empty: plain ok / failed.
    stage: Literal["", "accepted", "applied"] = ""


class CrashReport(Request):
    """The terminal's last crash, as the heartbeat carries it (decision 0036): when, what kind,
    how many in the last ten minutes. Never a message, a stack or anything of a citizen."""

    at: Timestamp
    kind: Annotated[str, Field(pattern=r"^[a-z_-]{1,20}$")] = "exception"
    recent: Count = Field(default=1, description="Crashes in the ten minutes before `at`, "
                          "this one counted (three: a crash loop).")


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


class Heartbeat(Request):
    terminal_id: TerminalId
    version: Text = Field(min_length=1, max_length=40)
    uptime_s: Count
    devices: dict[Annotated[Text, Field(min_length=1, max_length=40)], DeviceHealth] = Field(
        default_factory=dict, max_length=32
    )
    backlog: Count = Field(description="Events waiting in the outbox.")
    acked_command_ids: list[RowId] = Field(
        default_factory=list, max_length=100,
        description="Commands carried out since the last heartbeat; they are not sent again.",
    )
    state: Text = Field(default="", max_length=20,
                        description="The terminal's state (protocol.staff.TerminalStateName).")
    state_reason: Text = Field(default="", max_length=200,
                               description="Why (e.g. the device that is down); no personal data.")
    # Optional (fleet, docs/decisions/0028): an older terminal sends none of these.
    paper: PaperReport | None = None
    command_results: list[CommandResult] = Field(
        default_factory=list, max_length=100,
        description="Results of commands acknowledged in this heartbeat or earlier.")
    command_kinds: list[Annotated[Text, Field(max_length=32)]] = Field(
        default_factory=list, max_length=32,
        description="Command kinds this terminal carries out; empty: BASE_COMMAND_KINDS.")
    # Optional (decision 0036): the A4 printer's paper beside the receipt's `paper`; the hash
    # of the pushed profile the terminal runs (protocol.profile_hash, "" none); its last crash.
    document_paper: PaperReport | None = None
    config_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{0,16}$")] = ""
    last_crash: CrashReport | None = None


class CommandKind(StrEnum):
    RELOAD_CATALOG = "reload_catalog"
    ENTER_MAINTENANCE = "enter_maintenance"
    LEAVE_MAINTENANCE = "leave_maintenance"
    NEW_CONFIG = "new_config"
    RESTART = "restart"          # restart at the next idle moment (exit 75, the supervisor)
    LOCK = "lock"                # out of service with payload["message"] shown
    UNLOCK = "unlock"


class Command(Response):
    id: int
    kind: CommandKind
    payload: dict[str, Any] = Field(default_factory=dict)
    issued_at: Timestamp


class HeartbeatReply(Response):
    """Commands not yet acknowledged, oldest first: the same command comes back in every reply
    until a heartbeat lists its id in `acked_command_ids`, so carrying one out must be
    idempotent."""

    commands: list[Command]
    server_time: Timestamp
    roster_version: int = Field(default=0, description="The hall's staff roster version "
                                "(protocol.staff): fetch the roster when it changed.")
