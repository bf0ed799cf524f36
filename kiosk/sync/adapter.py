"""The adapter to the backend: `HttpAdapter`, httpx against the documented JSON protocol
(`protocol`). The demo runs the reference backend as its own process on loopback and talks to
it through the same adapter, like any terminal (`wiring.demo_backend`).

Every failure becomes one of three exceptions, so callers decide from the kind, never from an
httpx detail:

- `BackendUnavailable(reason, kind)`: try again later. Transport errors (a TLS certificate the
  CA file does not vouch for among them), timeouts, 5xx, 408/429, a body that is not JSON,
  truncated, or does not match the protocol. `kind` is ``network``, ``timeout``, ``server``,
  ``protocol``, or ``config`` (the CA file or the proxy of `[sync]` cannot be used).
- `NotEnrolled(code, message)`: 401 on a terminal call: no, wrong or revoked credential.
- `BackendRejected(status, code, message)`: any other 4xx, a business answer (``citizen_not_found``,
  ``no_account``, ``not_applicable``, ``invalid_request``, ``enrolment_refused``,
  ``already_enrolled``; verified identity: ``verification_required``, ``proof_invalid``,
  ``lookup_limit``, and the e-credential's ``credential_invalid`` (a 401 that is about the QR,
  not the terminal), ``credential_expired``, ``credential_used``). Not retried.

Personal records pass through as models and are never written anywhere by this module: log lines
name the call kind and the outcome only, never a body or an ID number.
"""

from __future__ import annotations

import json
import logging
import ssl
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn, Protocol, TypeVar, runtime_checkable
from urllib.parse import quote
from uuid import UUID

import httpcore
import httpx
from pydantic import BaseModel, ValidationError

import protocol as p
from protocol import Paths
from protocol.staff import StaffPaths, StaffRoster
from protocol import staff as ps

log = logging.getLogger("kiosk.sync.adapter")

M = TypeVar("M", bound=BaseModel)

DEFAULT_CONNECT_TIMEOUT_S = 5.0
DEFAULT_TIMEOUT_S = 20.0
# A response bigger than this is refused (a catalog page of 1,000 items with guides is ~2 MB).
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
USER_AGENT = f"gov-kiosk/sync-v{p.PROTOCOL_VERSION}"


class BackendError(Exception):
    """Base of the three outcomes below."""


class BackendUnavailable(BackendError):
    """The backend could not be used now: retry later (with backoff)."""

    def __init__(self, reason: str, kind: str = "network"):
        self.reason = reason
        self.kind = kind  # network, timeout, server, protocol, config
        super().__init__(reason)


class NotEnrolled(BackendError):
    """401: this terminal has no valid credential (never enrolled, wrong, or revoked)."""

    def __init__(self, code: str = p.ErrorCode.UNAUTHORIZED, message: str = "not enrolled"):
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


class BackendRejected(BackendError):
    """A 4xx business answer: the request was understood and refused. Not retried."""

    def __init__(self, status: int, code: str, message: str,
                 details: Sequence[p.ErrorDetail] = ()):
        self.status = status
        self.code = code
        self.message = message
        self.details = list(details)
        super().__init__(f"{status} {code}: {message}")


@runtime_checkable
class BackendAdapter(Protocol):
    """What the kiosk needs from a backend. Every method raises `BackendUnavailable`,
    `NotEnrolled` or `BackendRejected`; nothing else escapes."""

    credential: str | None

    def enrol(self, enrolment_code: str, terminal_id: str) -> p.EnrolResponse: ...
    def health(self) -> p.Health: ...
    def catalog_changes(self, cursor: int, limit: int = p.CATALOG_PAGE_MAX) -> p.CatalogChanges: ...
    def fetch(self, call: str, id_number: str, *, proof: p.Proof | None = None) -> p.Response: ...
    def issue_document(self, kind: p.DocumentKind | str, id_number: str, *,
                       from_month: str | None = None, to_month: str | None = None,
                       proof: p.Proof | None = None) -> p.DocumentIssued: ...
    def exchange_credential(self, qr: str, session_id: str) -> p.CredentialIdentity: ...
    def access_log(self, id_number: str, proof: p.Proof | None = None) -> p.AccessLog: ...
    def verify(self, verification_code: str) -> p.DocumentVerification: ...
    def queue_ticket(self, business_type: str) -> p.QueueTicket: ...
    def ticket_status(self, ticket_id: str) -> p.TicketStatus: ...
    def push_events(self, events: Sequence[Mapping[str, Any]] | p.EventBatch) -> p.EventResults: ...
    def heartbeat(self, heartbeat: p.Heartbeat) -> p.HeartbeatReply: ...
    def staff_roster(self) -> StaffRoster: ...
    # the call for help and remote view (protocol.staff)
    def help_request(self, request: ps.HelpRequest) -> ps.HelpStatus: ...
    def help_status(self, request_id: UUID | str) -> ps.HelpStatus: ...
    def help_cancel(self, request_id: UUID | str) -> ps.HelpStatus: ...
    def help_consent(self, request_id: UUID | str, allow: bool) -> ps.HelpStatus: ...
    def help_frame(self, request_id: UUID | str, jpeg: bytes) -> None: ...
    def close(self) -> None: ...


# -- one deadline per exchange ----------------------------------------------------------------
# httpx bounds each socket read, not an exchange: a server sending its headers a byte at a time
# would hold a call for minutes. Every socket operation of an exchange is given at most the time
# left until the exchange's deadline, which starts before the first byte is sent.

_deadline = threading.local()


def _time_left(timeout: float | None) -> float | None:
    at = getattr(_deadline, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the exchange's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream):
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _time_left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _time_left(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname,
                                                      _time_left(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend):
        self._backend = backend

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return _DeadlineStream(self._backend.connect_tcp(
            host, port, _time_left(timeout), local_address, socket_options))

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return _DeadlineStream(self._backend.connect_unix_socket(
            path, _time_left(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def _ssl_context(ca_file: str | Path | None) -> ssl.SSLContext | bool:
    if not ca_file:
        return True
    try:
        return ssl.create_default_context(cafile=str(ca_file))
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(f"CA file {ca_file} unusable: {exc}") from None


def _error_body(content: bytes) -> p.ErrorBody | None:
    try:
        return p.ErrorBody.model_validate_json(content)
    except ValidationError:
        return None


def _body(model: type[p.Request], **fields: Any) -> dict[str, Any]:
    """The JSON body of a request, checked here first: a field the backend would refuse is the
    same `BackendRejected(422, 'invalid_request')` without a round trip. The message names the
    field and the problem, never the value (it may be an ID number)."""
    try:
        return model(**fields).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        e = exc.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(x) for x in e["loc"])
        raise BackendRejected(422, p.ErrorCode.INVALID_REQUEST, f"body.{where}: {e['msg']}") from None


class HttpAdapter:
    """httpx against the protocol. Thread-safe: the sync worker and the citizen's flow may call
    it at the same time (httpx's connection pool is)."""

    def __init__(self, base_url: str, credential: str | None = None, *,
                 timeout: float = DEFAULT_TIMEOUT_S,
                 connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_S,
                 ca_file: str | Path | None = None,
                 deadline: float | None = None,
                 proxy: str | None = None,
                 max_response_bytes: int = MAX_RESPONSE_BYTES):
        """`timeout`: seconds for each read, write and wait for a pooled connection;
        `connect_timeout`: for the TCP and TLS handshake; `deadline`: the most one exchange
        may take (default 3 x `timeout`), counted from before the first byte is sent, so a
        server dripping its headers or body a byte at a time cannot hold the caller (every
        socket operation gets at most the time left); `ca_file`: a PEM bundle to trust instead
        of the system's (a private CA); `proxy`: an explicit HTTP proxy URL, through which HTTPS
        goes as a CONNECT tunnel (the environment's proxy settings are ignored). A `ca_file` or
        `proxy` that cannot be used makes every call `BackendUnavailable(kind='config')`."""
        self.base_url = base_url.rstrip("/")
        self.credential = credential
        self.timeout = timeout
        self.deadline = deadline if deadline is not None else 3 * timeout
        self.max_response_bytes = max_response_bytes
        # A CA file or proxy that cannot be used is a configuration problem, not a crash: every
        # call then fails as `BackendUnavailable(kind='config')` naming it, and the kiosk keeps
        # serving what it can offline until a technician fixes the config.
        self.config_problem: str | None = None
        verify: ssl.SSLContext | bool = True
        try:
            verify = _ssl_context(ca_file)
        except ValueError as exc:
            self.config_problem = str(exc)
        try:
            self._client = self._make_client(timeout, connect_timeout, verify, proxy)
        except (ValueError, ImportError) as exc:  # httpx: a proxy URL it cannot use (socks://
            # needs socksio); the URL is never logged: it may hold a password
            self.config_problem = self.config_problem or (
                f"the proxy URL is unusable ({type(exc).__name__}: expected http://host:port)")
            self._client = self._make_client(timeout, connect_timeout, verify, None)
        if self.config_problem is not None:
            log.warning("backend link unusable: %s", self.config_problem)

    def _make_client(self, timeout: float, connect_timeout: float, verify, proxy) -> httpx.Client:
        transport = httpx.HTTPTransport(verify=verify, proxy=proxy, trust_env=False)
        pool = transport._pool  # httpcore's pool (or proxy pool): each read within the deadline
        pool._network_backend = _DeadlineBackend(pool._network_backend)
        return httpx.Client(
            transport=transport,
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            follow_redirects=False,
            trust_env=False,  # no proxy or CA from the environment: only what config says
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )

    # -- plumbing ----------------------------------------------------------------------------

    def close(self) -> None:
        self._client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _send(self, call: str, method: str, path: str, *, body: Any = None,
              params: Mapping[str, Any] | None = None, auth: bool = True,
              raw: tuple[bytes, str] | None = None) -> tuple[int, bytes]:
        """(status, body bytes) of one exchange, or BackendUnavailable. `raw`: a body that is
        not JSON, as (bytes, content type)."""
        if self.config_problem is not None:
            raise BackendUnavailable(f"{call}: {self.config_problem}", "config")
        headers = {}
        if auth:
            if not self.credential:
                raise NotEnrolled(p.ErrorCode.UNAUTHORIZED, "this terminal has no credential")
            headers["Authorization"] = f"Bearer {self.credential}"
        content = None
        if body is not None:
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = "application/json"
        elif raw is not None:
            content, headers["Content-Type"] = raw
        deadline = _deadline.at = time.monotonic() + self.deadline
        try:
            with self._client.stream(method, path, content=content, params=params,
                                     headers=headers) as r:
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > self.max_response_bytes:
                        raise BackendUnavailable(f"{call}: response over {self.max_response_bytes} "
                                                 "bytes", "protocol")
                    if time.monotonic() > deadline:
                        raise BackendUnavailable(f"{call}: timed out (answer took over "
                                                 f"{self.deadline:g} s)", "timeout")
                    chunks.append(chunk)
                return r.status_code, b"".join(chunks)
        except httpx.TimeoutException as exc:
            if time.monotonic() >= deadline:
                raise BackendUnavailable(f"{call}: timed out (answer took over "
                                         f"{self.deadline:g} s)", "timeout") from None
            raise BackendUnavailable(f"{call}: timed out ({type(exc).__name__})", "timeout") from None
        except httpx.HTTPError as exc:  # connect, read, write, protocol errors: all transport
            raise BackendUnavailable(f"{call}: {type(exc).__name__}: {exc}", "network") from None
        except OSError as exc:  # pragma: no cover - httpx maps these, but be sure
            raise BackendUnavailable(f"{call}: {exc}", "network") from None
        finally:
            _deadline.at = None

    def _call(self, call: str, model: type[M], method: str, path: str, *,
              body: Any = None, params: Mapping[str, Any] | None = None, auth: bool = True,
              ok: tuple[int, ...] = (200,)) -> M:
        log.debug("backend call %s", call)
        status, content = self._send(call, method, path, body=body, params=params, auth=auth)
        if status in ok:
            try:
                return model.model_validate_json(content)
            except ValidationError as exc:
                # Invalid or truncated JSON, or JSON that does not match the protocol. Only the
                # error kinds go to the log: the body may hold personal records.
                kinds = sorted({e["type"] for e in exc.errors()})
                raise BackendUnavailable(f"{call}: response does not match the protocol "
                                         f"({', '.join(kinds)[:200]})", "protocol") from None
        self._raise_for(call, status, content, auth)

    @staticmethod
    def _raise_for(call: str, status: int, content: bytes, auth: bool) -> NoReturn:
        """The exception for an answer that is not the expected success."""
        err = _error_body(content)
        code = err.error if err else f"http_{status}"
        message = err.message if err else f"HTTP {status} without an error body"
        if status >= 500 or status in (408, 429):
            raise BackendUnavailable(f"{call}: {status} {code}", "server")
        if status == 401 and auth and code != p.ErrorCode.CREDENTIAL_INVALID:
            raise NotEnrolled(code, message)
        if 400 <= status < 500:
            raise BackendRejected(status, code, message, err.details if err else ())
        raise BackendUnavailable(f"{call}: unexpected HTTP {status}", "protocol")

    # -- the protocol --------------------------------------------------------------------------

    def health(self) -> p.Health:
        return self._call("health", p.Health, "GET", Paths.HEALTH, auth=False)

    def enrol(self, enrolment_code: str, terminal_id: str) -> p.EnrolResponse:
        """Enrol with a technician's code; on success this adapter uses the new credential (the
        caller stores it: `SyncStateStore.save_credential`). A refused code is
        `BackendRejected(401, 'enrolment_refused')`; a code not issued for this terminal id, when
        the id is enrolled already, is `BackendRejected(403, 'already_enrolled')`."""
        body = _body(p.EnrolRequest, enrolment_code=enrolment_code, terminal_id=terminal_id)
        answer = self._call("enrol", p.EnrolResponse, "POST", Paths.ENROL, body=body, auth=False)
        self.credential = answer.credential
        log.info("terminal %s enrolled", answer.terminal_id)
        return answer

    def catalog_changes(self, cursor: int, limit: int = p.CATALOG_PAGE_MAX) -> p.CatalogChanges:
        return self._call("catalog_changes", p.CatalogChanges, "GET", Paths.CATALOG_CHANGES,
                          params={"cursor": cursor, "limit": limit})

    def fetch(self, call: str, id_number: str, *, proof: p.Proof | None = None) -> p.Response:
        """A citizen's records: one of `protocol.RECORDS_CALLS` (social_insurance,
        medical_account, provident_fund, real_estate), answered with that call's model.
        `proof`: how the citizen was verified (the backend refuses a call without one:
        `BackendRejected(403, 'verification_required' | 'proof_invalid' | 'lookup_limit')`).
        Its `verified_at` goes out as the model serializes it (UTC as ``...Z``); the backend
        checks the signature over that text, or over the same instant's `isoformat()`."""
        spec = p.RECORDS_CALLS.get(call)
        if spec is None:
            raise ValueError(f"no records call {call!r}")
        body = _body(p.RecordsRequest, id_number=id_number, proof=proof)
        return self._call(call, spec.response, "POST", spec.path, body=body)

    def issue_document(self, kind: p.DocumentKind | str, id_number: str, *,
                       from_month: str | None = None, to_month: str | None = None,
                       proof: p.Proof | None = None) -> p.DocumentIssued:
        body = _body(p.DocumentRequest, kind=kind, id_number=id_number, from_month=from_month,
                     to_month=to_month, proof=proof)
        return self._call("issue_document", p.DocumentIssued, "POST", Paths.DOCUMENTS,
                          body=body, ok=(201,))

    def exchange_credential(self, qr: str, session_id: str) -> p.CredentialIdentity:
        """An e-credential QR (`protocol.E_CREDENTIAL_PREFIX`...) for the identity it names and
        the ticket for this session's proofs (method e_credential). Refused:
        `BackendRejected` 401 ``credential_invalid`` (forged, garbled, not an e-credential),
        410 ``credential_expired``, 409 ``credential_used``."""
        body = _body(p.CredentialExchange, qr=qr, session_id=session_id)
        return self._call("exchange_credential", p.CredentialIdentity, "POST",
                          Paths.CREDENTIAL_EXCHANGE, body=body)

    def access_log(self, id_number: str, proof: p.Proof | None = None) -> p.AccessLog:
        """近期查询记录: the lookups of this (verified) citizen, newest first."""
        body = _body(p.AccessLogRequest, id_number=id_number, proof=proof)
        return self._call("access_log", p.AccessLog, "POST", Paths.ACCESS_LOG, body=body)

    def verify(self, verification_code: str) -> p.DocumentVerification:
        path = Paths.VERIFY.format(verification_code=quote(verification_code.strip(), safe=""))
        return self._call("verify", p.DocumentVerification, "GET", path, auth=False)

    def queue_ticket(self, business_type: str) -> p.QueueTicket:
        body = _body(p.TicketRequest, business_type=business_type)
        return self._call("queue_ticket", p.QueueTicket, "POST", Paths.QUEUE_TICKETS,
                          body=body, ok=(201,))

    def ticket_status(self, ticket_id: str) -> p.TicketStatus:
        path = Paths.QUEUE_TICKET.format(ticket_id=quote(ticket_id, safe=""))
        return self._call("ticket_status", p.TicketStatus, "GET", path, auth=False)

    def push_events(self, events: Sequence[Mapping[str, Any]] | p.EventBatch) -> p.EventResults:
        """Send a batch as it is (the backend is the judge of the envelope: a 422 for the whole
        batch is `BackendRejected(422, 'invalid_request')`). The answer must hold one result per
        event, in order, else it is `BackendUnavailable(kind='protocol')`."""
        if isinstance(events, p.EventBatch):
            wire = events.model_dump(mode="json")["events"]
        else:
            wire = [dict(e) for e in events]
        results = self._call("push_events", p.EventResults, "POST", Paths.EVENTS,
                             body={"events": wire})
        sent = [str(e.get("idempotency_key")) for e in wire]
        got = [r.idempotency_key for r in results.results]
        if got != sent:
            raise BackendUnavailable("push_events: results do not match the events sent",
                                     "protocol")
        return results

    def heartbeat(self, heartbeat: p.Heartbeat) -> p.HeartbeatReply:
        """Commands of a kind this terminal does not know are left out (and so never acked):
        a newer backend must not break an older terminal's heartbeat."""
        status, content = self._send("heartbeat", "POST", Paths.HEARTBEAT,
                                     body=heartbeat.model_dump(mode="json"))
        if status != 200:
            self._raise_for("heartbeat", status, content, auth=True)
        try:
            raw = json.loads(content)
            known = {k.value for k in p.CommandKind}
            if isinstance(raw, dict) and isinstance(raw.get("commands"), list):
                unknown = [c for c in raw["commands"]
                           if isinstance(c, dict) and c.get("kind") not in known]
                if unknown:
                    log.warning("heartbeat: ignored %d command(s) of unknown kind", len(unknown))
                    raw["commands"] = [c for c in raw["commands"] if c not in unknown]
            return p.HeartbeatReply.model_validate(raw)
        except (ValueError, ValidationError) as exc:
            raise BackendUnavailable(f"heartbeat: response does not match the protocol "
                                     f"({type(exc).__name__})", "protocol") from None

    # -- hall staff (protocol.staff) -------------------------------------------------------------

    def staff_roster(self) -> StaffRoster:
        """The terminal's hall's staff with their PIN and badge hashes (for offline login)."""
        return self._call("staff_roster", StaffRoster, "GET", StaffPaths.ROSTER)
    # -- the call for help and remote view (protocol.staff) -----------------------------------

    def help_request(self, request: ps.HelpRequest) -> ps.HelpStatus:
        """Raise a help request (the terminal's own id: a retried POST is the same request)."""
        body = _body(ps.HelpRequest, **request.model_dump())
        return self._call("help_request", ps.HelpStatus, "POST", ps.StaffPaths.HELP, body=body,
                          ok=(200, 201))

    @staticmethod
    def _help_path(template: str, request_id: UUID | str) -> str:
        return template.format(request_id=quote(str(UUID(str(request_id))), safe=""))

    def help_status(self, request_id: UUID | str) -> ps.HelpStatus:
        return self._call("help_status", ps.HelpStatus, "GET",
                          self._help_path(ps.StaffPaths.HELP_ONE, request_id))

    def help_cancel(self, request_id: UUID | str) -> ps.HelpStatus:
        return self._call("help_cancel", ps.HelpStatus, "POST",
                          self._help_path(ps.StaffPaths.HELP_CANCEL, request_id))

    def help_consent(self, request_id: UUID | str, allow: bool) -> ps.HelpStatus:
        return self._call("help_consent", ps.HelpStatus, "POST",
                          self._help_path(ps.StaffPaths.HELP_CONSENT, request_id),
                          body=_body(ps.RemoteViewConsent, allow=allow))

    def help_frame(self, request_id: UUID | str, jpeg: bytes) -> None:
        """One masked screen frame (JPEG, at most `MAX_FRAME_BYTES`): 204."""
        if len(jpeg) > ps.MAX_FRAME_BYTES:
            raise BackendRejected(413, p.ErrorCode.INVALID_REQUEST,
                                  f"frame over {ps.MAX_FRAME_BYTES} bytes")
        status, content = self._send("help_frame", "PUT",
                                     self._help_path(ps.StaffPaths.HELP_FRAME, request_id),
                                     raw=(bytes(jpeg), "image/jpeg"))
        if status not in (200, 204):
            self._raise_for("help_frame", status, content, auth=True)
