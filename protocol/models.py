"""The sync protocol's messages as pydantic models, both ends' contract (`protocol` describes
the endpoints and conventions, and re-exports every name here on first use)."""

from __future__ import annotations

import math
from datetime import date, timezone
from decimal import Decimal
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

from protocol.base import (
    MAX_EVENTS_PER_BATCH,
    MAX_SAFE_INTEGER,
    PROTOCOL_VERSION,
    TIME_MAX_YEAR,
    TIME_MIN_YEAR,
    CommandKind,
    DeviceState,
    DocumentKind,
    EnrolmentStatus,
    EventKind,
    EventStatus,
    InsuranceType,
    PaperLevel,
    Paths,
    VerifyMethod,
    id_number_problem,
    normalize_id_number,
)

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


class Event(Request):
    idempotency_key: UUID = Field(description="Made by the terminal when the event is saved.")
    kind: EventKind
    occurred_at: Timestamp
    payload: JsonObject = Field(
        description="No personal data: masked or hashed ids only. Numbers finite, integers "
                    "within +-(2**53 - 1); anything else is 422 invalid_request.")


class EventBatch(Request):
    events: list[Event] = Field(min_length=1, max_length=MAX_EVENTS_PER_BATCH)


class EventResult(Response):
    idempotency_key: str
    status: EventStatus
    reason: str | None = None


class EventResults(Response):
    results: list[EventResult] = Field(description="One per event, in the order sent.")


class DeviceHealth(Request):
    status: DeviceState
    reason: Text = Field(default="", max_length=200)


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
