"""The HTTP side of the reference backend: `create_app(database_url)`.

Every answer, error or not, is JSON in the shape of the shared protocol module; every error is
an `ErrorBody` and never echoes what was sent (it may be an ID number). Handlers are plain
functions run in the thread pool, each doing one unit of work through `db.read()`/`db.write()`.
"""

# No "from __future__ import annotations": FastAPI resolves the local Annotated aliases below.
import hashlib
import hmac
import json
import logging
import re
import secrets
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend import catalog as catalog_mod
from backend import fleet as fleet_mod
from backend import records
from backend import staff as staff_mod
from backend.db import Database, open_database
from backend.enrolment import issue_enrolment_code
from backend.models import (
    AccessLogEntry,
    AuditEntry,
    Citizen,
    Document,
    ECredentialUse,
    EnrolmentCode,
    Event,
    IdentityTicket,
    QueueBusinessType,
    QueueCounter,
    QueueTicket,
    Terminal,
    TerminalAuditRow,
    TerminalCommand,
    TerminalCredential,
)
from backend.security import (
    CROCKFORD,
    enrolment_code_digest,
    format_verification_code,
    new_credential,
    new_verification_code,
    normalize_verification_code,
    sha256_hex,
)
from backend.verification import (
    CLOCK_SKEW,
    DEFAULT_MAX_CITIZENS_PER_HOUR,
    E_CREDENTIAL_TTL,
    LOOKED_UP,
    LOOKUP_WINDOW,
    Keys,
    Refused,
    check_proof,
    citizens_looked_up,
    new_ticket,
)
import protocol as p
from protocol import ErrorCode, Paths
from protocol import staff as ps

log = logging.getLogger("backend.api")

BACKEND_VERSION = "0.1.0"


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc)


class ApiError(Exception):
    def __init__(self, status: int, code: ErrorCode | str, message: str,
                 headers: dict[str, str] | None = None):
        self.status, self.code, self.message, self.headers = status, str(code), message, headers
        super().__init__(message)


NO_STORE = {"Cache-Control": "no-store"}


@dataclass(frozen=True)
class ConsoleOptions:
    """The hall console's timings (docs/decisions/0019)."""

    lockout: timedelta = timedelta(minutes=15)   # after PIN_MAX_FAILURES wrong PINs in a row
    idle: timedelta = timedelta(minutes=30)      # no action for this long: logged out
    offline_after: timedelta = timedelta(minutes=3)  # no heartbeat for this long: offline
    poll_s: float = 0.5                          # how often the live stream reads the database


def reply(model: BaseModel, status: int = 200) -> Response:
    """Serialize once (FastAPI would validate a returned model again). Nothing is to be kept by
    a proxy or a browser: answers may carry personal data."""
    return Response(model.model_dump_json(), status_code=status, media_type="application/json",
                    headers=NO_STORE)


def error_response(status: int, code: str, message: str, details=None, headers=None) -> Response:
    body = p.ErrorBody(error=code, message=message, details=details or [])
    return Response(body.model_dump_json(), status_code=status, media_type="application/json",
                    headers=headers)


# --- body size limit (pure ASGI, before anything parses the body) -----------------------------


class BodyLimitMiddleware:
    """Answers 413 to a body over `limit` bytes, whether announced by Content-Length or streamed.
    The rest of an oversized body is read and dropped (up to `drain` bytes) so the client gets
    to read the 413 instead of a reset connection."""

    def __init__(self, app, limit: int, drain: int = 16 * 1024 * 1024):
        self.app, self.limit, self.drain = app, limit, drain

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = None
        if length is not None and length > self.limit:
            if length <= self.drain:
                await self._drain(receive)
            return await self._too_large(scope, send)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            size += len(message.get("body", b""))
            if size > self.limit:
                if message.get("more_body"):
                    await self._drain(receive, size)
                return await self._too_large(scope, send)
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _drain(self, receive, size: int = 0) -> None:
        while size <= self.drain:
            message = await receive()
            if message["type"] != "http.request":
                return
            size += len(message.get("body", b""))
            if not message.get("more_body"):
                return

    async def _too_large(self, scope, send) -> None:
        log.warning("refused a body over %d bytes on %s", self.limit, scope.get("path"))
        response = error_response(413, ErrorCode.TOO_LARGE,
                                  f"request body over the limit of {self.limit} bytes")
        await response(scope, None, send)


# --- admin request models (not part of the terminal protocol) --------------------------------


class AdminCommand(p.Request):
    kind: p.CommandKind
    payload: p.JsonObject = Field(default_factory=dict)


class AdminEnrolmentCode(p.Request):
    code: p.Text | None = Field(default=None, min_length=6, max_length=64,
                             description="Leave out to get a random one.")
    label: p.Text = Field(default="", max_length=100)
    terminal_id: p.TerminalId | None = Field(
        default=None, description="Bind the code to this terminal id. Only a bound code enrols "
        "a terminal that is enrolled already (again: a new credential, the old one revoked); "
        "an unbound code enrols new terminal ids only.")
    max_uses: int | None = Field(default=1, ge=1, le=10**6)
    expires_in_hours: int | None = Field(default=72, ge=1, le=24 * 365)
    hall: p.Text | None = Field(default=None, max_length=32, pattern=r"^[A-Za-z0-9_.-]*$",
                                description="The hall code the terminal enrolled with this code "
                                "stands in (its staff roster, its hall console); leave out to "
                                "keep the terminal's hall as it is.")


class AdminEnrolmentCodeCreated(p.Response):
    code: str
    label: str
    terminal_id: str | None
    hall: str | None = None
    max_uses: int | None
    expires_at: datetime | None


class AdminKey(p.Request):
    text: p.Text = Field(min_length=1, max_length=200)
    pinyin: p.Text = Field(default="", max_length=400)
    initials: p.Text = Field(default="", max_length=200)


class AdminItem(p.Request):
    """An item in the catalog file's shape, without its id (the path has it)."""

    code: p.Text = Field(default="", max_length=64)
    name: p.Text = Field(min_length=1, max_length=200)
    department: p.Text = Field(min_length=1, max_length=32)
    category: p.Text = Field(min_length=1, max_length=64)
    level: p.Text = Field(default="", max_length=40)
    kiosk_enabled: bool = False
    high_frequency: bool = False
    url: p.Text = Field(default="", max_length=300)
    keys: list[AdminKey] = Field(default_factory=list, max_length=20)
    guide: p.JsonObject | None = None


class AdminChange(p.Response):
    id: str
    seq: int


class AdminRevoked(p.Response):
    terminal_id: str
    revoked: int


class AdminCalled(p.Response):
    business_type: str
    called: str | None
    waiting: int


class AdminTerminal(p.Response):
    id: str
    place: str
    enrolled_at: datetime | None
    last_seen_at: datetime | None
    version: str
    uptime_s: int
    backlog: int
    devices: dict[str, Any]
    pending_commands: int
    hall: str = ""
    state: str = ""
    state_reason: str = ""
    state_at: datetime | None = None


class AdminECredentialRequest(p.Request):
    """The demo's simulated phone: an e-credential QR for a citizen."""

    id_number: p.IdNumber


class AdminECredential(p.Response):
    qr: str = Field(description="protocol.E_CREDENTIAL_PREFIX and the token: show it as a QR")
    expires_at: p.Timestamp


class AdminAuditEntry(p.Response):
    """A row of audit_log: security-relevant refusals and anomalies (never a secret)."""

    id: int
    at: p.Timestamp
    kind: str = Field(description="enrolment_takeover_refused, lookup_limit, "
                                  "e_credential_replayed, console_* and help_* (the hall "
                                  "console, docs/decisions/0019)")
    terminal_id: str
    enrolment_code_id: int | None
    remote_addr: str
    detail: str
    staff_no: str = Field(default="", description="The staff member (hall console actions).")


@dataclass(frozen=True)
class Caller:
    """An authenticated terminal and the credential it presented (proofs are keyed with it;
    the backend stores only its hash). Its repr leaves the credential out."""

    terminal_id: str
    credential: str = field(repr=False)


TERMINAL_PATH = Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$")
ITEM_PATH = Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")

ERRORS = {
    400: {"model": p.ErrorBody, "description": "Malformed JSON"},
    401: {"model": p.ErrorBody, "description": "No, wrong or revoked credential"},
    413: {"model": p.ErrorBody, "description": "Body too large"},
    422: {"model": p.ErrorBody, "description": "Invalid fields"},
}
NOT_FOUND = {404: {"model": p.ErrorBody, "description": "Not found"}}
CONFLICT = {409: {"model": p.ErrorBody, "description": "Not applicable"}}
FORBIDDEN = {403: {"model": p.ErrorBody, "description": "Not allowed"}}

# An ID number inside an event payload: 18 characters with a valid check digit.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")


def payload_problem(payload: dict) -> str | None:
    """Why an event payload cannot be stored, or None. Never quotes the payload."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    if len(text.encode("utf-8")) > p.MAX_EVENT_PAYLOAD_BYTES:
        return f"payload over {p.MAX_EVENT_PAYLOAD_BYTES} bytes"
    for m in _ID_IN_TEXT.finditer(text):
        if p.id_number_problem(m.group(1)) is None:
            return "payload holds an ID number: events must carry no personal data"
    return None


def event_digest(e: p.Event) -> str:
    occurred = e.occurred_at.astimezone(timezone.utc).isoformat()
    canonical = json.dumps([str(e.kind), occurred, e.payload], ensure_ascii=False, sort_keys=True,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def create_app(database_url: str, *, public_url: str | None = None,
               admin_token: str | None = None, max_body_bytes: int = p.MAX_BODY_BYTES,
               db: Database | None = None, require_proof: bool = True,
               max_citizens_per_hour: int = DEFAULT_MAX_CITIZENS_PER_HOUR,
               console: ConsoleOptions | None = None) -> FastAPI:
    """The reference backend on `database_url` (SQLite file URL or PostgreSQL), migrated now.

    `public_url` is the base of the links printed on documents and tickets (default: the URL the
    request came in on). `admin_token` enables /v1/admin/...; without it they answer 403.
    `require_proof`: personal calls (records, documents, access log) without a proof are
    refused (403 verification_required); False serves them (a proof sent is still checked),
    for terminals that send none yet. `max_citizens_per_hour`: distinct citizens a terminal
    may look up in an hour; beyond, 403 lookup_limit and an audit_log row. `console`: the
    hall console's lockout, idle expiry and offline threshold (`ConsoleOptions`).
    """
    database = db or open_database(database_url)
    heartbeats = fleet_mod.HeartbeatBatcher(database)
    keys = Keys.of(database)
    if not require_proof:
        log.warning("personal calls without a proof of verified identity are served "
                    "(require_proof=False / --allow-unverified)")

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        heartbeats.close()
        database.close()

    app = FastAPI(
        title="Government kiosk reference backend",
        version=BACKEND_VERSION,
        summary=f"Sync protocol v{p.PROTOCOL_VERSION}: see protocol/__init__.py",
        lifespan=lifespan,
    )
    app.state.db = database
    fleet_mod.document_heartbeat(app)
    app.state.keys = keys  # the derived keys (tests mint e-credentials with them)
    app.add_middleware(BodyLimitMiddleware, limit=max_body_bytes)

    # --- errors ---------------------------------------------------------------------------

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError):
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, ErrorCode.MALFORMED_JSON,
                                  "the request body is not valid JSON")
        details = [p.ErrorDetail(field=".".join(str(x) for x in e.get("loc", ())),
                                 problem=str(e.get("msg", "invalid"))) for e in errors]
        first = details[0] if details else p.ErrorDetail(field="", problem="invalid request")
        more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
        return error_response(422, ErrorCode.INVALID_REQUEST,
                              f"{first.field}: {first.problem}{more}", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException):
        codes = {400: ErrorCode.MALFORMED_JSON, 404: ErrorCode.NOT_FOUND,
                 405: ErrorCode.METHOD_NOT_ALLOWED,
                 401: ErrorCode.UNAUTHORIZED, 403: ErrorCode.FORBIDDEN}
        code = codes.get(exc.status_code, ErrorCode.INVALID_REQUEST if exc.status_code < 500
                         else ErrorCode.INTERNAL)
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        return error_response(exc.status_code, code, message,
                              headers=getattr(exc, "headers", None))

    @app.exception_handler(OperationalError)
    async def _db_down(_request: Request, exc: OperationalError):
        log.error("database unavailable: %s", exc.orig)
        return error_response(503, ErrorCode.UNAVAILABLE, "the database is unavailable; try again",
                              headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception):
        ref = uuid.uuid4().hex[:12]
        log.error("unhandled error %s on %s %s", ref, request.method, request.url.path,
                  exc_info=exc)
        return error_response(500, ErrorCode.INTERNAL, f"internal error, reference {ref}")

    # --- authentication -------------------------------------------------------------------

    bearer = HTTPBearer(auto_error=False, scheme_name="terminal",
                        description="The credential from POST /v1/enrol")
    admin_bearer = HTTPBearer(auto_error=False, scheme_name="admin",
                              description="The admin token the backend was started with")
    unauthorized = {"WWW-Authenticate": "Bearer"}

    def caller(creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Caller:
        if creds is None:
            raise ApiError(401, ErrorCode.UNAUTHORIZED,
                           "no credential: send 'Authorization: Bearer <credential>'", unauthorized)
        digest = sha256_hex(creds.credentials)
        with database.read() as s:
            terminal_id = s.scalar(select(TerminalCredential.terminal_id)
                                   .where(TerminalCredential.token_sha256 == digest)
                                   .where(TerminalCredential.revoked_at.is_(None)))
        if terminal_id is None:
            log.warning("refused an unknown or revoked credential")
            raise ApiError(401, ErrorCode.UNAUTHORIZED,
                           "credential unknown or revoked: enrol the terminal again", unauthorized)
        return Caller(terminal_id=terminal_id, credential=creds.credentials)

    def terminal(who: Annotated[Caller, Depends(caller)]) -> str:
        return who.terminal_id

    def admin(creds: Annotated[HTTPAuthorizationCredentials | None, Depends(admin_bearer)]) -> None:
        if not admin_token:
            raise ApiError(403, ErrorCode.FORBIDDEN, "admin endpoints are disabled on this backend")
        given = creds.credentials.encode() if creds is not None else b""
        if not hmac.compare_digest(given, admin_token.encode()):
            raise ApiError(401, ErrorCode.UNAUTHORIZED, "admin token missing or wrong",
                           unauthorized)

    TerminalId = Annotated[str, Depends(terminal)]
    CallerDep = Annotated[Caller, Depends(caller)]

    async def sent_verified_at(request: Request) -> str | None:
        """The proof's `verified_at` as the JSON text sent: what its signature covers."""
        try:
            data = json.loads(await request.body())
        except (ValueError, RecursionError):
            return None
        proof = data.get("proof") if isinstance(data, dict) else None
        value = proof.get("verified_at") if isinstance(proof, dict) else None
        return value if isinstance(value, str) else None

    SentVerifiedAt = Annotated[str | None, Depends(sent_verified_at)]

    def base_url(request: Request) -> str:
        return (public_url or str(request.base_url)).rstrip("/")

    # --- public -----------------------------------------------------------------------------

    @app.get(Paths.HEALTH, response_model=p.Health, tags=["public"])
    def health():
        with database.read() as s:
            s.execute(select(1))
        return reply(p.Health(server_time=datetime.now(timezone.utc)))

    @app.post(Paths.ENROL, response_model=p.EnrolResponse, responses={**ERRORS, **FORBIDDEN},
              tags=["terminal"])
    def enrol(body: p.EnrolRequest, request: Request):
        now = utcnow()
        refused = None
        with database.write() as s:
            # FOR UPDATE (PostgreSQL; SQLite's writers are serialized already): enrolments with
            # one code take turns, so a single-use code enrols one terminal.
            code = s.scalar(select(EnrolmentCode).where(
                EnrolmentCode.code_sha256 == enrolment_code_digest(body.enrolment_code))
                .with_for_update())
            usable = (
                code is not None and code.revoked_at is None
                and (code.expires_at is None or code.expires_at > now)
                and (code.max_uses is None or code.uses < code.max_uses)
                and (code.terminal_id is None or code.terminal_id == body.terminal_id)
            )
            if not usable:
                log.warning("refused an enrolment of terminal %s", body.terminal_id)
                raise ApiError(401, ErrorCode.ENROLMENT_REFUSED,
                               "enrolment code unknown, expired, used up or not for this terminal")
            # The terminal's row, locked: enrolments of one terminal id take turns, whatever
            # their codes, so the takeover check below sees every earlier enrolment.
            term = s.get(Terminal, body.terminal_id, with_for_update=True)
            if term is None:
                try:  # a concurrent enrolment with another code may insert it first
                    with s.begin_nested():
                        s.add(Terminal(id=body.terminal_id, place="", created_at=now))
                except IntegrityError:
                    pass
                term = s.get(Terminal, body.terminal_id, with_for_update=True,
                             populate_existing=True)
            if term.enrolled_at is not None and code.terminal_id != body.terminal_id:
                # A code for any terminal used on an enrolled one: it would revoke the real
                # terminal's credential and take its identity. Refused, recorded, the code's
                # uses untouched; the audit row is committed, the refusal raised after.
                s.add(AuditEntry(at=now, kind="enrolment_takeover_refused",
                                 terminal_id=body.terminal_id, enrolment_code_id=code.id,
                                 remote_addr=(request.client.host if request.client else "")[:64],
                                 detail="the terminal is enrolled; the code is not bound to it"))
                refused = ApiError(
                    403, ErrorCode.ALREADY_ENROLLED,
                    "this terminal id is enrolled already: enrolling it again needs an enrolment "
                    "code issued for this terminal id (ask the administrator)")
            else:
                code.uses += 1
                s.execute(update(TerminalCredential)
                          .where(TerminalCredential.terminal_id == body.terminal_id)
                          .where(TerminalCredential.revoked_at.is_(None)).values(revoked_at=now))
                credential = new_credential()
                s.add(TerminalCredential(terminal_id=body.terminal_id,
                                         token_sha256=sha256_hex(credential), created_at=now))
                again = term.enrolled_at is not None
                term.enrolled_at = now
                if code.hall is not None:
                    term.hall = code.hall
                if code.district is not None:
                    term.district = code.district
                place = term.place
        if refused is not None:
            log.warning("refused an enrolment of terminal %s: enrolled already, and the code "
                        "(id %d) is not bound to it: a possible takeover, see audit_log",
                        body.terminal_id, code.id)
            raise refused
        log.info("terminal %s %s", body.terminal_id,
                 "enrolled again: its previous credential is revoked" if again else "enrolled")
        return reply(p.EnrolResponse(credential=credential, terminal_id=body.terminal_id,
                                     place=place))

    @app.get(Paths.VERIFY, response_model=p.DocumentVerification,
             responses={**NOT_FOUND, 422: ERRORS[422]}, tags=["public"])
    def verify(verification_code: Annotated[str, Path(max_length=40)]):
        code = normalize_verification_code(verification_code)
        if len(code) != 16 or any(ch not in CROCKFORD for ch in code):
            raise ApiError(422, ErrorCode.INVALID_REQUEST,
                           "a verification code is 16 letters and digits, as XXXX-XXXX-XXXX-XXXX")
        with database.read() as s:
            doc = s.scalar(select(Document).where(Document.verification_code == code))
            if doc is None:
                raise ApiError(404, ErrorCode.NOT_FOUND, "no document was issued with this code")
            term = s.get(Terminal, doc.terminal_id)
            result = p.DocumentVerification(
                verification_code=format_verification_code(code), document_id=doc.id,
                kind=doc.kind, title=p.DOCUMENT_TITLES[p.DocumentKind(doc.kind)],
                status="revoked" if doc.revoked_at else "valid", issued_at=aware(doc.issued_at),
                terminal_id=doc.terminal_id, terminal_place=term.place if term else "",
                holder_name_masked=doc.holder_name_masked,
                holder_id_number_masked=doc.holder_id_masked, statement=doc.statement)
        return reply(result)

    @app.get(Paths.QUEUE_TICKET, response_model=p.TicketStatus,
             responses={**NOT_FOUND, 422: ERRORS[422]}, tags=["public"])
    def ticket_status(ticket_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]):
        today = datetime.now(p.LOCAL_TZ).date()
        with database.read() as s:
            t = s.get(QueueTicket, ticket_id)
            if t is None:
                raise ApiError(404, ErrorCode.NOT_FOUND, "no such ticket")
            counter = s.scalar(select(QueueCounter)
                               .where(QueueCounter.business_type == t.business_type)
                               .where(QueueCounter.day == t.day))
            called = counter.last_called if counter else 0
            state = ("expired" if t.day < today else "called" if t.seq <= called else "waiting")
            ahead = max(0, t.seq - 1 - called) if state == "waiting" else 0
            result = p.TicketStatus(number=t.number, business_type=t.business_type, state=state,
                                    people_ahead=ahead, issued_at=aware(t.issued_at))
        return reply(result)

    # --- catalog ----------------------------------------------------------------------------

    @app.get(Paths.CATALOG_CHANGES, response_model=p.CatalogChanges,
             responses={**ERRORS, 409: CONFLICT[409]}, tags=["terminal"])
    def catalog_changes(
        _terminal: TerminalId,
        cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=p.CATALOG_PAGE_MAX)] = p.CATALOG_PAGE_DEFAULT,
    ):
        with database.snapshot() as s:
            try:
                page = catalog_mod.changes_page(s, cursor, limit)
            except catalog_mod.CursorAhead as exc:
                raise ApiError(409, ErrorCode.CURSOR_AHEAD,
                               f"cursor {exc.cursor} was never issued here (newest change is "
                               f"{exc.newest}): sync again from cursor 0") from None
        return reply(page)

    # --- online calls: personal records -----------------------------------------------------
    # Every personal call (records, documents, the access log) needs a proof that the citizen
    # was verified at this terminal in this session (docs/decisions/0018), is held to the
    # terminal's lookup limit, and is logged, served or refused, with the citizen as a keyed
    # hash. A refusal is raised after the commit, so its log row stays.

    def note_lookup_limit(s: Session, terminal_id: str, count: int, request: Request,
                          now: datetime) -> None:
        """One audit row per terminal per hour of refusals (every refused call is in
        access_log): what the hall console shows."""
        noted = s.scalar(select(AuditEntry.id).where(AuditEntry.kind == "lookup_limit")
                         .where(AuditEntry.terminal_id == terminal_id)
                         .where(AuditEntry.at >= now - LOOKUP_WINDOW).limit(1))
        if noted is None:
            s.add(AuditEntry(at=now, kind="lookup_limit", terminal_id=terminal_id,
                             remote_addr=(request.client.host if request.client else "")[:64],
                             detail=f"{count} distinct citizens looked up in the last hour "
                                    f"(limit {max_citizens_per_hour})"))
            log.warning("terminal %s reached the lookup limit: %d distinct citizens in the "
                        "last hour (limit %d), see audit_log", terminal_id, count,
                        max_citizens_per_hour)

    def personal(who: Caller, request: Request, *, call: str, id_number: str,
                 proof: p.Proof | None, sent_at: str | None, work) -> Response:
        """Check the proof and the limit, run `work(session)` (its Response, or an ApiError),
        log the call either way."""
        now = utcnow()
        key = keys.citizen_key(id_number)
        failure: ApiError | None = None
        with database.write() as s:
            # The terminal's row, locked (PostgreSQL; SQLite's writers take turns anyway): one
            # terminal's personal calls take turns, so the limit counts every one of them.
            term = s.get(Terminal, who.terminal_id, with_for_update=True)
            entry = AccessLogEntry(
                at=now, terminal_id=who.terminal_id, place=term.place if term else "",
                call=call, method=str(proof.method) if proof else None,
                staff_id=proof.staff_id if proof else None, citizen_key=key, outcome="ok")
            try:
                if require_proof or proof is not None:
                    check_proof(s, proof, sent_verified_at=sent_at, terminal_id=who.terminal_id,
                                credential=who.credential, id_number=id_number,
                                citizen_key=key, now=now)
                seen, count = citizens_looked_up(s, who.terminal_id, key, now)
                if not seen and count >= max_citizens_per_hour:
                    note_lookup_limit(s, who.terminal_id, count, request, now)
                    raise Refused(403, ErrorCode.LOOKUP_LIMIT,
                                  "this terminal looked up too many citizens in the last hour")
                result = work(s)
            except Refused as exc:
                failure = ApiError(exc.status, exc.code, exc.message)
                log.warning("refused %s from terminal %s: %s", call, who.terminal_id, exc.code)
            except ApiError as exc:
                failure = exc
            if failure is not None:
                entry.outcome = failure.code
            s.add(entry)
        if failure is not None:
            raise failure
        return result

    def find_citizen(s: Session, id_number: str) -> Citizen:
        citizen = s.scalar(select(Citizen).where(Citizen.id_number == id_number))
        if citizen is None:
            raise ApiError(404, ErrorCode.CITIZEN_NOT_FOUND,
                           "no records are held for this ID number")
        return citizen

    def record_call(call: str, build, body: p.RecordsRequest, who: Caller, request: Request,
                    sent_at: str | None) -> Response:
        def work(s: Session) -> Response:
            citizen = find_citizen(s, body.id_number)
            try:
                return reply(build(s, citizen))
            except records.NoAccount as exc:
                raise ApiError(404, ErrorCode.NO_ACCOUNT, f"this citizen has {exc}") from None

        return personal(who, request, call=call, id_number=body.id_number, proof=body.proof,
                        sent_at=sent_at, work=work)

    record_responses = {**ERRORS, **FORBIDDEN, **NOT_FOUND}

    @app.post(Paths.SOCIAL_INSURANCE, response_model=p.SocialInsuranceRecords,
              responses=record_responses, tags=["records"])
    def social_insurance(body: p.RecordsRequest, who: CallerDep, request: Request,
                         sent_at: SentVerifiedAt):
        return record_call("social_insurance", records.social_insurance, body, who, request,
                           sent_at)

    @app.post(Paths.MEDICAL_ACCOUNT, response_model=p.MedicalAccountRecords,
              responses=record_responses, tags=["records"])
    def medical_account(body: p.RecordsRequest, who: CallerDep, request: Request,
                        sent_at: SentVerifiedAt):
        return record_call("medical_account", records.medical_account, body, who, request,
                           sent_at)

    @app.post(Paths.PROVIDENT_FUND, response_model=p.ProvidentFundRecords,
              responses=record_responses, tags=["records"])
    def provident_fund(body: p.RecordsRequest, who: CallerDep, request: Request,
                       sent_at: SentVerifiedAt):
        return record_call("provident_fund", records.provident_fund, body, who, request,
                           sent_at)

    @app.post(Paths.REAL_ESTATE, response_model=p.RealEstateRecords,
              responses=record_responses, tags=["records"])
    def real_estate(body: p.RecordsRequest, who: CallerDep, request: Request,
                    sent_at: SentVerifiedAt):
        return record_call("real_estate", records.real_estate, body, who, request, sent_at)

    @app.post(Paths.ACCESS_LOG, response_model=p.AccessLog, responses={**ERRORS, **FORBIDDEN},
              tags=["records"])
    def access_log(body: p.AccessLogRequest, who: CallerDep, request: Request,
                   sent_at: SentVerifiedAt):
        """近期查询记录: the lookups of this citizen whose proof was accepted, newest first,
        at most 50 (this call is logged too, after it reads)."""
        key = keys.citizen_key(body.id_number)

        def work(s: Session) -> Response:
            rows = s.scalars(select(AccessLogEntry).where(AccessLogEntry.citizen_key == key)
                             .where(AccessLogEntry.outcome.in_(LOOKED_UP))
                             .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc())
                             .limit(50)).all()
            return reply(p.AccessLog(entries=[
                p.AccessEntry(at=aware(r.at), terminal_id=r.terminal_id, place=r.place,
                              call=r.call, method=r.method, staff_id=r.staff_id)
                for r in rows]))

        return personal(who, request, call="access_log", id_number=body.id_number,
                        proof=body.proof, sent_at=sent_at, work=work)

    # --- documents --------------------------------------------------------------------------

    @app.post(Paths.DOCUMENTS, response_model=p.DocumentIssued, status_code=201,
              responses={**ERRORS, **FORBIDDEN, **NOT_FOUND, **CONFLICT}, tags=["records"])
    def issue_document(body: p.DocumentRequest, who: CallerDep, request: Request,
                       sent_at: SentVerifiedAt):
        if body.kind is not p.DocumentKind.SS_CONTRIBUTIONS and (body.from_month or body.to_month):
            raise ApiError(422, ErrorCode.INVALID_REQUEST,
                           "from_month and to_month apply to ss_contributions only")

        def work(s: Session) -> Response:
            now = utcnow()
            citizen = find_citizen(s, body.id_number)
            try:
                text = records.statement(s, citizen, body)
            except records.NoAccount as exc:
                raise ApiError(404, ErrorCode.NO_ACCOUNT, f"this citizen has {exc}") from None
            except records.NotApplicable as exc:
                raise ApiError(409, ErrorCode.NOT_APPLICABLE, str(exc)) from None
            code = new_verification_code()
            while s.scalar(select(Document.id).where(Document.verification_code == code)):
                code = new_verification_code()
            doc = Document(id=uuid.uuid4().hex, kind=body.kind.value, citizen_id=citizen.id,
                           holder_name_masked=p.mask_name(citizen.name),
                           holder_id_masked=p.mask_id_number(citizen.id_number),
                           terminal_id=who.terminal_id, issued_at=now, verification_code=code,
                           statement=text)
            s.add(doc)
            shown = format_verification_code(code)
            return reply(p.DocumentIssued(
                document_id=doc.id, kind=body.kind, title=p.DOCUMENT_TITLES[body.kind],
                verification_code=shown,
                verify_url=f"{base_url(request)}{p.PREFIX}/verify/{shown}",
                issued_at=aware(now), statement=text), status=201)

        return personal(who, request, call=f"document:{body.kind.value}",
                        id_number=body.id_number, proof=body.proof, sent_at=sent_at, work=work)

    # --- identity: e-credential exchange ----------------------------------------------------

    @app.post(Paths.CREDENTIAL_EXCHANGE, response_model=p.CredentialIdentity,
              responses={**ERRORS,
                         409: {"model": p.ErrorBody, "description": "Shown before"},
                         410: {"model": p.ErrorBody, "description": "Expired"}},
              tags=["identity"])
    def exchange_credential(body: p.CredentialExchange, terminal_id: TerminalId,
                            request: Request):
        """An e-credential QR for the identity it names and a ticket for this session's proofs
        (method e_credential). Single use: the token's id is stored when it is exchanged."""
        now = utcnow()
        invalid = ApiError(401, ErrorCode.CREDENTIAL_INVALID,
                           "not an e-credential issued by this backend")
        try:
            token = keys.read_token(body.qr)
        except Refused as exc:
            log.warning("refused an e-credential at terminal %s: %s", terminal_id, exc.code)
            raise ApiError(exc.status, exc.code, exc.message) from None
        if token.expires_at > now + E_CREDENTIAL_TTL + CLOCK_SKEW:
            raise invalid  # signed with our key, yet longer-lived than we issue: refuse it
        if token.expires_at <= now:
            log.info("refused an expired e-credential at terminal %s", terminal_id)
            raise ApiError(410, ErrorCode.CREDENTIAL_EXPIRED,
                           "the e-credential expired: refresh the QR on the phone")
        failure = None
        with database.write() as s:
            citizen = s.get(Citizen, token.citizen_id)
            if citizen is None:
                failure = invalid
            else:
                key = keys.citizen_key(citizen.id_number)
                try:
                    with s.begin_nested():
                        s.add(ECredentialUse(token_id=token.token_id, citizen_key=key,
                                             terminal_id=terminal_id, used_at=now,
                                             expires_at=token.expires_at))
                except IntegrityError:
                    # Shown before, here or elsewhere: a copied QR? Recorded, refused.
                    s.add(AuditEntry(at=now, kind="e_credential_replayed",
                                     terminal_id=terminal_id,
                                     remote_addr=(request.client.host if request.client
                                                  else "")[:64],
                                     detail="an e-credential exchanged before was shown again"))
                    failure = ApiError(409, ErrorCode.CREDENTIAL_USED,
                                       "this e-credential was used already: refresh the QR")
                else:
                    ticket, expires = new_ticket(s, citizen_key=key, terminal_id=terminal_id,
                                                 session_id=body.session_id, now=now)
                    result = p.CredentialIdentity(id_number=citizen.id_number,
                                                  name=citizen.name, ticket=ticket,
                                                  expires_at=aware(expires))
                    # Housekeeping: token ids long expired, tickets long expired.
                    old = now - timedelta(hours=1)
                    s.execute(delete(ECredentialUse).where(ECredentialUse.expires_at < old))
                    s.execute(delete(IdentityTicket).where(IdentityTicket.expires_at < old))
        if failure is not None:
            if failure.code == ErrorCode.CREDENTIAL_USED:
                log.warning("refused a replayed e-credential at terminal %s, see audit_log",
                            terminal_id)
            raise failure
        log.info("terminal %s exchanged an e-credential", terminal_id)
        return reply(result)

    # --- queue ------------------------------------------------------------------------------

    @app.post(Paths.QUEUE_TICKETS, response_model=p.QueueTicket, status_code=201,
              responses=ERRORS, tags=["terminal"])
    def take_ticket(body: p.TicketRequest, terminal_id: TerminalId, request: Request):
        day = datetime.now(p.LOCAL_TZ).date()
        now = utcnow()
        with database.write() as s:
            bt = s.get(QueueBusinessType, body.business_type)
            if bt is None:
                known = ", ".join(s.scalars(select(QueueBusinessType.code)
                                            .order_by(QueueBusinessType.sort_order)))
                raise ApiError(422, ErrorCode.INVALID_REQUEST,
                               f"body.business_type: unknown business type (known: {known})")
            counter = _bump_counter(s, bt.code, day)
            seq = counter.last_issued
            ticket = QueueTicket(id=secrets.token_urlsafe(12), business_type=bt.code, day=day,
                                 seq=seq, number=f"{bt.prefix}{seq:03d}", terminal_id=terminal_id,
                                 issued_at=now)
            s.add(ticket)
            result = p.QueueTicket(
                ticket_id=ticket.id, number=ticket.number, business_type=bt.code,
                business_name=bt.name, window=bt.window,
                people_ahead=max(0, seq - 1 - counter.last_called), issued_at=aware(now),
                follow_url=f"{base_url(request)}{p.PREFIX}/queue/tickets/{ticket.id}")
        return reply(result, status=201)

    # --- push: events, heartbeat ------------------------------------------------------------

    @app.post(Paths.EVENTS, response_model=p.EventResults, responses=ERRORS, tags=["terminal"])
    def push_events(body: p.EventBatch, terminal_id: TerminalId):
        with database.write() as s:
            if any(e.kind is p.EventKind.AUDIT for e in body.events):
                # One terminal's audit entries link in order: its pushes take turns.
                s.get(Terminal, terminal_id, with_for_update=True)
            results = _store_events(s, terminal_id, body.events)
        accepted = sum(1 for r in results if r.status is p.EventStatus.ACCEPTED)
        log.info("terminal %s pushed %d events: %d accepted", terminal_id, len(results), accepted)
        return reply(p.EventResults(results=results))

    def heartbeat_answer(body: p.Heartbeat, found: str | None, commands, roster_version):
        wrong = None
        if found is None:
            wrong = ApiError(401, ErrorCode.UNAUTHORIZED,
                             "credential unknown or revoked: enrol the terminal again",
                             unauthorized)
        elif found != body.terminal_id:
            wrong = ApiError(403, ErrorCode.FORBIDDEN,
                             "the heartbeat names another terminal than the credential's")
        if wrong is not None:
            if wrong.status == 401:
                log.warning("refused an unknown or revoked credential")
            raise wrong
        return reply(p.HeartbeatReply(commands=commands, server_time=datetime.now(timezone.utc),
                                      roster_version=roster_version))

    @app.post(Paths.HEARTBEAT, response_model=p.HeartbeatReply,
              responses={**ERRORS, **FORBIDDEN}, tags=["terminal"],
              openapi_extra=fleet_mod.HEARTBEAT_OPENAPI)
    async def heartbeat(request: Request):
        """Every terminal, every 30-60 s: the backend's hottest path (docs/decisions/0028). The
        body is validated by pydantic directly and the credential read from the header, past
        FastAPI's dependency machinery (which cost more than the database work); the errors
        are the same as everywhere. One short transaction, shared with the heartbeats that
        arrive meanwhile (fleet.HeartbeatBatcher: a group commit)."""
        scheme, _, credential = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise ApiError(401, ErrorCode.UNAUTHORIZED,
                           "no credential: send 'Authorization: Bearer <credential>'", unauthorized)
        try:
            body = p.Heartbeat.model_validate_json(await request.body())
        except ValidationError as exc:
            raise RequestValidationError(
                [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from None
        import asyncio

        found, commands, roster_version = await asyncio.wrap_future(
            heartbeats.submit(sha256_hex(credential.strip()), body, utcnow()))
        return heartbeat_answer(body, found, commands, roster_version)

    # --- admin ------------------------------------------------------------------------------

    admin_deps = [Depends(admin)]
    admin_responses = {**ERRORS, **FORBIDDEN, **NOT_FOUND}

    @app.get(f"{p.PREFIX}/admin/terminals", response_model=list[AdminTerminal],
             dependencies=admin_deps, responses=admin_responses, tags=["admin"])
    def list_terminals():
        with database.read() as s:
            pending = dict(s.execute(select(TerminalCommand.terminal_id, func.count())
                                     .where(TerminalCommand.acked_at.is_(None))
                                     .group_by(TerminalCommand.terminal_id)).all())
            rows = [AdminTerminal(id=t.id, place=t.place, enrolled_at=t.enrolled_at,
                                  last_seen_at=t.last_seen_at, version=t.version,
                                  uptime_s=t.uptime_s, backlog=t.backlog,
                                  devices=json.loads(t.devices_json),
                                  pending_commands=pending.get(t.id, 0), hall=t.hall,
                                  state=t.state, state_reason=t.state_reason,
                                  state_at=t.state_at)
                    for t in s.scalars(select(Terminal).order_by(Terminal.id))]
        return Response(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False),
                        media_type="application/json")

    @app.post(f"{p.PREFIX}/admin/terminals/{{terminal_id}}/commands", response_model=p.Command,
              status_code=201, dependencies=admin_deps, responses=admin_responses, tags=["admin"])
    def queue_command(terminal_id: Annotated[str, TERMINAL_PATH], body: AdminCommand):
        now = utcnow()
        with database.write() as s:
            if s.get(Terminal, terminal_id) is None:
                raise ApiError(404, ErrorCode.NOT_FOUND, "no such terminal")
            cmd = TerminalCommand(terminal_id=terminal_id, kind=body.kind.value,
                                  payload_json=json.dumps(body.payload, ensure_ascii=False),
                                  created_at=now,
                                  profile_hash=p.profile_hash(body.payload)
                                  if body.kind is p.CommandKind.NEW_CONFIG else "")
            s.add(cmd)
            s.flush()
            fleet_mod.commands_queued(s, [terminal_id])
            result = p.Command(id=cmd.id, kind=body.kind, payload=body.payload,
                               issued_at=aware(now))
        return reply(result, status=201)

    @app.post(f"{p.PREFIX}/admin/terminals/{{terminal_id}}/revoke", response_model=AdminRevoked,
              dependencies=admin_deps, responses=admin_responses, tags=["admin"])
    def revoke_terminal(terminal_id: Annotated[str, TERMINAL_PATH]):
        with database.write() as s:
            if s.get(Terminal, terminal_id) is None:
                raise ApiError(404, ErrorCode.NOT_FOUND, "no such terminal")
            n = s.execute(update(TerminalCredential)
                          .where(TerminalCredential.terminal_id == terminal_id)
                          .where(TerminalCredential.revoked_at.is_(None))
                          .values(revoked_at=utcnow())).rowcount
        log.info("revoked %d credential(s) of terminal %s", n, terminal_id)
        return reply(AdminRevoked(terminal_id=terminal_id, revoked=n))

    @app.post(f"{p.PREFIX}/admin/enrolment-codes", response_model=AdminEnrolmentCodeCreated,
              status_code=201, dependencies=admin_deps, responses=admin_responses, tags=["admin"])
    def create_enrolment_code(body: AdminEnrolmentCode):
        now = utcnow()
        expires = now + timedelta(hours=body.expires_in_hours) if body.expires_in_hours else None
        try:
            with database.write() as s:
                code = issue_enrolment_code(s, now=now, code=body.code, label=body.label,
                                            terminal_id=body.terminal_id,
                                            max_uses=body.max_uses, expires_at=expires,
                                            hall=body.hall)
        except IntegrityError:
            raise ApiError(409, ErrorCode.NOT_APPLICABLE,
                           "this enrolment code exists already") from None
        return reply(AdminEnrolmentCodeCreated(code=code, label=body.label,
                                               terminal_id=body.terminal_id,
                                               max_uses=body.max_uses, expires_at=expires,
                                               hall=body.hall), 201)

    @app.post(Paths.ADMIN_E_CREDENTIALS, response_model=AdminECredential, status_code=201,
              dependencies=admin_deps, responses=admin_responses, tags=["admin"])
    def create_e_credential(body: AdminECredentialRequest):
        """What the citizen's phone would show: a single-use QR valid for
        E_CREDENTIAL_TTL_S seconds (the demo's simulated phone)."""
        with database.read() as s:
            citizen = s.scalar(select(Citizen).where(Citizen.id_number == body.id_number))
            if citizen is None:
                raise ApiError(404, ErrorCode.CITIZEN_NOT_FOUND,
                               "no records are held for this ID number")
            qr, expires = keys.issue_token(citizen.id, utcnow())
        return reply(AdminECredential(qr=qr, expires_at=aware(expires)), status=201)

    @app.get(f"{p.PREFIX}/admin/audit-log", response_model=list[AdminAuditEntry],
             dependencies=admin_deps, responses=admin_responses, tags=["admin"])
    def audit_log(limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                  kind: Annotated[str | None, Query(pattern=r"^[a-z_]{1,40}$")] = None):
        """Security-relevant refusals and anomalies, newest first: enrolment takeovers refused,
        terminals over the lookup limit, replayed e-credentials."""
        query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        if kind is not None:
            query = query.where(AuditEntry.kind == kind)
        with database.read() as s:
            rows = [AdminAuditEntry(id=a.id, at=aware(a.at), kind=a.kind,
                                    terminal_id=a.terminal_id,
                                    enrolment_code_id=a.enrolment_code_id,
                                    remote_addr=a.remote_addr, detail=a.detail,
                                    staff_no=a.staff_no)
                    for a in s.scalars(query.limit(limit))]
        return Response(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False),
                        media_type="application/json", headers=NO_STORE)

    @app.put(f"{p.PREFIX}/admin/catalog/items/{{item_id}}", response_model=AdminChange,
             dependencies=admin_deps, responses=admin_responses, tags=["admin"])
    def put_item(item_id: Annotated[str, ITEM_PATH], body: AdminItem):
        item = {"id": item_id, **body.model_dump()}
        with database.write() as s:
            try:
                seq = catalog_mod.upsert_item(s, item)
            except KeyError as exc:
                raise ApiError(422, ErrorCode.INVALID_REQUEST, str(exc.args[0])) from None
        return reply(AdminChange(id=item_id, seq=seq))

    @app.delete(f"{p.PREFIX}/admin/catalog/items/{{item_id}}", response_model=AdminChange,
                dependencies=admin_deps, responses=admin_responses, tags=["admin"])
    def delete_item(item_id: Annotated[str, ITEM_PATH]):
        with database.write() as s:
            seq = catalog_mod.delete_item(s, item_id)
        if seq is None:
            raise ApiError(404, ErrorCode.NOT_FOUND, "no such item")
        return reply(AdminChange(id=item_id, seq=seq))

    @app.post(f"{p.PREFIX}/admin/queue/{{business_type}}/call-next", response_model=AdminCalled,
              dependencies=admin_deps, responses=admin_responses, tags=["admin"])
    def call_next(business_type: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_.-]{0,31}$")]):
        day = datetime.now(p.LOCAL_TZ).date()
        with database.write() as s:
            bt = s.get(QueueBusinessType, business_type)
            if bt is None:
                raise ApiError(404, ErrorCode.NOT_FOUND, "no such business type")
            counter = s.scalar(select(QueueCounter).where(QueueCounter.business_type == bt.code)
                               .where(QueueCounter.day == day).with_for_update())
            called = None
            if counter is not None and counter.last_called < counter.last_issued:
                counter.last_called += 1
                called = f"{bt.prefix}{counter.last_called:03d}"
            waiting = counter.last_issued - counter.last_called if counter else 0
        return reply(AdminCalled(business_type=business_type, called=called, waiting=waiting))

    @app.post(f"{p.PREFIX}/admin/documents/{{verification_code}}/revoke",
              response_model=p.DocumentVerification, dependencies=admin_deps,
              responses=admin_responses, tags=["admin"])
    def revoke_document(verification_code: Annotated[str, Path(max_length=40)]):
        code = normalize_verification_code(verification_code)
        with database.write() as s:
            doc = s.scalar(select(Document).where(Document.verification_code == code))
            if doc is None:
                raise ApiError(404, ErrorCode.NOT_FOUND, "no document was issued with this code")
            if doc.revoked_at is None:
                doc.revoked_at = utcnow()
        return verify(verification_code)

    # --- hall staff: terminal endpoints, admin staff API, the hall console (0019) ------------

    from backend.console import add_console
    from backend.staff_api import add_staff_routes

    add_staff_routes(app, database, terminal=terminal, admin=admin)
    add_console(app, database, options=console or ConsoleOptions())

    return app


def _bump_counter(s: Session, business_type: str, day) -> QueueCounter:
    """Take the next number of the day. The UPDATE locks the counter row; the first ticket of the
    day inserts it, and a concurrent first insert (PostgreSQL) falls back to the UPDATE."""
    where = (QueueCounter.business_type == business_type, QueueCounter.day == day)
    for _ in range(2):
        if s.execute(update(QueueCounter).where(*where)
                     .values(last_issued=QueueCounter.last_issued + 1)).rowcount:
            break
        try:
            with s.begin_nested():
                s.add(QueueCounter(business_type=business_type, day=day, last_issued=1,
                                   last_called=0))
            break
        except IntegrityError:
            continue
    counter = s.scalar(select(QueueCounter).where(*where).execution_options(populate_existing=True))
    return counter


def _store_audit_entry(s: Session, terminal_id: str, payload: dict,
                       now: datetime) -> tuple[str | None, bool]:
    """(why refused or None, a duplicate?) for an audit event: a valid `AuditEntry` of the
    calling terminal that links to the last entry stored for it, hashed as received."""
    try:
        entry = ps.AuditEntry.model_validate(payload)
    except ValueError as exc:
        first = exc.errors()[0] if hasattr(exc, "errors") else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return f"not an audit entry ({where}: {first.get('msg', 'invalid')})", False
    if entry.terminal_id != terminal_id:
        return "the audit entry names another terminal than the credential's", False
    last = staff_mod.last_audit(s, terminal_id)
    if last is not None and entry.seq <= last.seq:
        stored = s.scalar(select(TerminalAuditRow.hash)
                          .where(TerminalAuditRow.terminal_id == terminal_id)
                          .where(TerminalAuditRow.seq == entry.seq))
        if stored == entry.hash and ps.audit_hash(payload) == entry.hash:
            return None, True
        return (f"entry {entry.seq}: a different entry {entry.seq} is stored already "
                "(altered or reordered chain)"), False
    problem = ps.chain_problem([payload], prev=last.hash if last else ps.GENESIS,
                               seq=last.seq if last else 0)
    if problem:
        return f"audit chain: {problem}", False
    try:
        with s.begin_nested():
            s.add(staff_mod.audit_row(entry, payload, now))
    except IntegrityError:
        return f"entry {entry.seq}: stored meanwhile by another push", False
    return None, False


def _store_events(s: Session, terminal_id: str, events: list[p.Event]) -> list[p.EventResult]:
    """Accept each event once: a key already stored (or earlier in this batch) is a duplicate if
    the event is the same, rejected if the key was reused for a different one."""
    keys = [str(e.idempotency_key) for e in events]
    known = dict(s.execute(select(Event.idempotency_key, Event.digest)
                           .where(Event.idempotency_key.in_(set(keys)))).all())
    now = utcnow()
    results: list[p.EventResult] = []
    rows: list[tuple[int, Event]] = []
    for key, e in zip(keys, events):
        digest = event_digest(e)
        if key in known:
            if known[key] == digest:
                results.append(p.EventResult(idempotency_key=key, status=p.EventStatus.DUPLICATE))
            else:
                results.append(p.EventResult(
                    idempotency_key=key, status=p.EventStatus.REJECTED,
                    reason="idempotency key already used by another event"))
            continue
        problem = payload_problem(e.payload)
        if problem is None and e.kind is p.EventKind.AUDIT:
            problem, duplicate = _store_audit_entry(s, terminal_id, e.payload, now)
            if duplicate:
                results.append(p.EventResult(idempotency_key=key,
                                             status=p.EventStatus.DUPLICATE))
                continue
        if problem:
            results.append(p.EventResult(idempotency_key=key, status=p.EventStatus.REJECTED,
                                         reason=problem))
            continue
        known[key] = digest
        rows.append((len(results), Event(
            idempotency_key=key, terminal_id=terminal_id, kind=e.kind.value,
            occurred_at=e.occurred_at.astimezone(timezone.utc).replace(tzinfo=None),
            received_at=now, payload_json=json.dumps(e.payload, ensure_ascii=False, sort_keys=True),
            digest=digest)))
        results.append(p.EventResult(idempotency_key=key, status=p.EventStatus.ACCEPTED))
    if not rows:
        return results
    # In key order: two requests inserting overlapping batches (PostgreSQL) then take the unique
    # index's locks in the same order, so one waits for the other instead of a deadlock.
    rows.sort(key=lambda r: r[1].idempotency_key)
    try:
        with s.begin_nested():
            s.add_all([row for _, row in rows])
    except IntegrityError:
        # Another request stored some of these keys meanwhile: one by one, so each is told apart.
        for index, row in rows:
            try:
                with s.begin_nested():
                    s.add(Event(**{c: getattr(row, c) for c in (
                        "idempotency_key", "terminal_id", "kind", "occurred_at", "received_at",
                        "payload_json", "digest")}))
            except IntegrityError:
                stored = s.scalar(select(Event.digest)
                                  .where(Event.idempotency_key == row.idempotency_key))
                results[index] = (
                    p.EventResult(idempotency_key=row.idempotency_key,
                                  status=p.EventStatus.DUPLICATE) if stored == row.digest
                    else p.EventResult(idempotency_key=row.idempotency_key,
                                       status=p.EventStatus.REJECTED,
                                       reason="idempotency key already used by another event"))
    return results
