"""The adapter to the backend: `HttpAdapter`, the standard library's `http.client` against the
documented JSON protocol (`protocol`). The demo runs the reference backend as its own process on loopback and talks to
it through the same adapter, like any terminal (`wiring.demo_backend`).

Every failure becomes one of three exceptions, so callers decide from the kind, never from a
transport detail:

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

import base64
import http.client
import io
import json
import logging
import select
import socket
import ssl
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn, Protocol, TypeVar, runtime_checkable
from urllib.parse import quote, unquote, urlencode, urlsplit
from uuid import UUID

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


# -- the transport: http.client, one deadline per exchange -------------------------------------
# The standard library's HTTP/1.1 client (no httpx, httpcore, h11: ~12-16 MiB and ~40 ms of
# imports the kiosk process no longer carries, docs/decisions/0035). Each exchange has a
# deadline that starts before the first byte is sent: every socket operation (connect, TLS
# handshake, each send and each receive) gets at most its own timeout and never more than the
# time left, so a server dripping its headers or body a byte at a time cannot hold a call.
# Failures keep the names they had (ConnectError, ReadTimeout, RemoteProtocolError...): they
# reach the technician's status line and the logs.

_deadline = threading.local()


class _LinkError(Exception):
    """A transport failure, named as the status line and logs name it."""

    def __init__(self, name: str, detail: str = "", *, timeout: bool = False):
        self.name = name
        self.timeout = timeout
        super().__init__(detail or name)


def _time_left(timeout: float | None, name: str = "ReadTimeout") -> float | None:
    at = getattr(_deadline, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise _LinkError(name, "the exchange's deadline passed", timeout=True)
    return left if timeout is None else min(timeout, left)


class _DeadlineSocket:
    """The connection's socket as http.client uses it (sendall, makefile, close): each send and
    receive is given the read timeout, or the time left until the deadline if that is less."""

    def __init__(self, sock: socket.socket, timeout: float):
        self.raw = sock
        self._timeout = timeout
        self._readers = 0  # as a socket's makefile(): closed once its last reader is
        self._closed = False
        self.eof = False  # the peer closed its side

    def sendall(self, data) -> None:
        self.raw.settimeout(_time_left(self._timeout, "WriteTimeout"))
        try:
            self.raw.sendall(data)
        except TimeoutError:
            raise _LinkError("WriteTimeout", timeout=True) from None
        except OSError as exc:
            raise _LinkError("WriteError", str(exc)) from None

    def recv_into(self, buffer) -> int:
        self.raw.settimeout(_time_left(self._timeout, "ReadTimeout"))
        try:
            n = self.raw.recv_into(buffer)
        except TimeoutError:
            raise _LinkError("ReadTimeout", timeout=True) from None
        except OSError as exc:
            raise _LinkError("ReadError", str(exc)) from None
        if n == 0:
            self.eof = True
        return n

    def makefile(self, mode: str = "rb", *args, **kwargs):
        self._readers += 1
        return io.BufferedReader(_Reader(self), 65536)

    def _reader_closed(self) -> None:
        self._readers -= 1
        if self._closed and self._readers <= 0:
            self.raw.close()

    def stale(self) -> bool:
        """An idle keep-alive connection the server has closed (or written to): not reused."""
        try:
            readable, _, _ = select.select([self.raw], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)

    def close(self) -> None:
        self._closed = True
        if self._readers <= 0:
            self.raw.close()


class _Reader(io.RawIOBase):
    def __init__(self, sock: _DeadlineSocket):
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._sock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            self._sock._reader_closed()
        super().close()


class _Connection(http.client.HTTPConnection):
    """One keep-alive connection: TCP, the proxy's CONNECT tunnel if any, TLS; all of it within
    the connect timeout (and the exchange's deadline)."""

    def __init__(self, host: str, port: int, *, connect_timeout: float, timeout: float,
                 tls: ssl.SSLContext | None, server_hostname: str,
                 tunnel: tuple[str, int, dict[str, str]] | None):
        super().__init__(host, port, timeout=connect_timeout)
        self._connect_timeout = connect_timeout
        self._read_timeout = timeout
        self._tls = tls
        self._server_hostname = server_hostname
        if tunnel is not None:
            self.set_tunnel(tunnel[0], tunnel[1], headers=tunnel[2])

    def connect(self) -> None:
        self.timeout = _time_left(self._connect_timeout, "ConnectTimeout")
        try:
            super().connect()  # TCP, then the proxy's CONNECT (http.client's set_tunnel)
            if self._tls is not None:
                self.sock = self._tls.wrap_socket(self.sock,
                                                  server_hostname=self._server_hostname)
        except TimeoutError:
            self._drop()
            raise _LinkError("ConnectTimeout", timeout=True) from None
        except OSError as exc:
            self._drop()
            text = str(exc)
            if text.startswith("Tunnel connection failed: "):  # the proxy said no
                raise _LinkError("ProxyError", text.removeprefix("Tunnel connection failed: ")
                                 ) from None
            raise _LinkError("ConnectError", text) from None
        self.sock = _DeadlineSocket(self.sock, self._read_timeout)

    def _drop(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None

    def idle_and_usable(self) -> bool:
        return self.sock is None or not self.sock.stale()


def _tls_context(ca_file: str | Path | None) -> ssl.SSLContext:
    """The CA file of `[sync]`, else the system's CAs. A file that cannot be used: ValueError."""
    if not ca_file:
        return ssl.create_default_context()
    try:
        return ssl.create_default_context(cafile=str(ca_file))
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(f"CA file {ca_file} unusable: {exc}") from None


def _proxy_parts(proxy: str) -> tuple[str, int, dict[str, str]]:
    """(host, port, headers) of an http:// proxy URL; ValueError for anything else."""
    parts = urlsplit(proxy)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError("not an http:// proxy")
    port = parts.port or 80
    headers = {}
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        headers["Proxy-Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    return parts.hostname, port, headers


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
    """The protocol over `http.client`. Thread-safe: the sync worker and the citizen's flow may
    call it at the same time; each caller takes a keep-alive connection of its own from a small
    pool (one per thread calling at once) and puts it back after a complete exchange."""

    MAX_IDLE_CONNECTIONS = 4

    def __init__(self, base_url: str, credential: str | None = None, *,
                 timeout: float = DEFAULT_TIMEOUT_S,
                 connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_S,
                 ca_file: str | Path | None = None,
                 deadline: float | None = None,
                 proxy: str | None = None,
                 max_response_bytes: int = MAX_RESPONSE_BYTES):
        """`timeout`: seconds for each read and write; `connect_timeout`: for the TCP and TLS
        handshake (and a proxy's CONNECT); `deadline`: the most one exchange may take (default
        3 x `timeout`), counted from before the first byte is sent, so a server dripping its
        headers or body a byte at a time cannot hold the caller (every socket operation gets at
        most the time left); `ca_file`: a PEM bundle to trust instead of the system's (a private
        CA); `proxy`: an explicit http:// proxy URL (user:password@ allowed), through which HTTPS
        goes as a CONNECT tunnel and plain HTTP as absolute-form requests (the environment's
        proxy settings are ignored). A `ca_file` or `proxy` that cannot be used makes every call
        `BackendUnavailable(kind='config')`."""
        self.base_url = base_url.rstrip("/")
        self.credential = credential
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.deadline = deadline if deadline is not None else 3 * timeout
        self.max_response_bytes = max_response_bytes
        # A CA file or proxy that cannot be used is a configuration problem, not a crash: every
        # call then fails as `BackendUnavailable(kind='config')` naming it, and the kiosk keeps
        # serving what it can offline until a technician fixes the config.
        self.config_problem: str | None = None
        target = urlsplit(self.base_url)
        self._https = target.scheme == "https"
        self._host = target.hostname or ""
        try:
            self._port = target.port or (443 if self._https else 80)
        except ValueError:
            self._port = 0
        if target.scheme not in ("http", "https") or not self._host or not self._port:
            self.config_problem = "the backend address is unusable (expected http(s)://host)"
        self._prefix = target.path.rstrip("/")
        self._netloc = target.netloc.rpartition("@")[2]
        self._tls: ssl.SSLContext | None = None
        if self._https:
            try:
                self._tls = _tls_context(ca_file)
            except ValueError as exc:
                self.config_problem = str(exc)
        elif ca_file:
            try:
                _tls_context(ca_file)  # checked even when unused, as before
            except ValueError as exc:
                self.config_problem = str(exc)
        self._proxy: tuple[str, int, dict[str, str]] | None = None
        if proxy:
            try:
                self._proxy = _proxy_parts(proxy)
            except ValueError as exc:  # the URL is never logged: it may hold a password
                self.config_problem = self.config_problem or (
                    f"the proxy URL is unusable ({type(exc).__name__}: expected http://host:port)")
        self._idle: list[_Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        if self.config_problem is not None:
            log.warning("backend link unusable: %s", self.config_problem)

    # -- plumbing ----------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _connection(self) -> _Connection:
        """An idle keep-alive connection the server has not closed, else a new one."""
        while True:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                break
            if conn.idle_and_usable():
                return conn
            conn.close()
        if self._proxy is not None:
            host, port, headers = self._proxy
            tunnel = (self._host, self._port, headers) if self._https else None
        else:
            host, port, tunnel = self._host, self._port, None
        return _Connection(host, port, connect_timeout=self.connect_timeout,
                           timeout=self.timeout, tls=self._tls, server_hostname=self._host,
                           tunnel=tunnel)

    def _release(self, conn: _Connection) -> None:
        with self._lock:
            if not self._closed and len(self._idle) < self.MAX_IDLE_CONNECTIONS:
                self._idle.append(conn)
                return
        conn.close()

    def _target(self, path: str, params: Mapping[str, Any] | None) -> str:
        target = self._prefix + path
        if params:
            target += ("&" if "?" in target else "?") + urlencode(
                {k: v for k, v in params.items() if v is not None})
        if self._proxy is not None and not self._https:  # plain HTTP through the proxy
            target = f"http://{self._netloc}{target}"
        return target

    def _send(self, call: str, method: str, path: str, *, body: Any = None,
              params: Mapping[str, Any] | None = None, auth: bool = True,
              raw: tuple[bytes, str] | None = None) -> tuple[int, bytes]:
        """(status, body bytes) of one exchange, or BackendUnavailable. `raw`: a body that is
        not JSON, as (bytes, content type)."""
        if self.config_problem is not None:
            raise BackendUnavailable(f"{call}: {self.config_problem}", "config")
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
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
        if self._proxy is not None and not self._https:
            headers.update(self._proxy[2])
        target = self._target(path, params)
        deadline = _deadline.at = time.monotonic() + self.deadline
        conn = None
        try:
            conn = self._connection()
            conn.request(method, target, body=content, headers=headers)
            sock = conn.sock
            r = conn.getresponse()
            if sock.eof:  # http.client takes the end of the stream for the end of the head
                raise _LinkError("RemoteProtocolError", "peer closed connection without sending "
                                 "complete message head")
            chunks, size = [], 0
            while True:
                chunk = r.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise BackendUnavailable(f"{call}: response over {self.max_response_bytes} "
                                             "bytes", "protocol")
                if time.monotonic() > deadline:
                    raise BackendUnavailable(f"{call}: timed out (answer took over "
                                             f"{self.deadline:g} s)", "timeout")
                chunks.append(chunk)
            if r.length:  # the peer closed before the Content-Length it promised
                raise _LinkError("RemoteProtocolError", "peer closed connection without "
                                 "sending complete message body")
            self._release(conn)
            conn = None
            return r.status, b"".join(chunks)
        except _LinkError as exc:
            if exc.timeout:
                if time.monotonic() >= deadline:
                    raise BackendUnavailable(f"{call}: timed out (answer took over "
                                             f"{self.deadline:g} s)", "timeout") from None
                raise BackendUnavailable(f"{call}: timed out ({exc.name})", "timeout") from None
            raise BackendUnavailable(f"{call}: {exc.name}: {exc}", "network") from None
        except http.client.HTTPException as exc:  # no or garbled status line, headers, chunks
            detail = str(exc) or type(exc).__name__
            if isinstance(exc, http.client.RemoteDisconnected):
                detail = "Server disconnected without sending a response."
            raise BackendUnavailable(f"{call}: RemoteProtocolError: {detail}", "network") from None
        except OSError as exc:  # pragma: no cover - the socket's errors are mapped above
            raise BackendUnavailable(f"{call}: {exc}", "network") from None
        finally:
            _deadline.at = None
            if conn is not None:
                conn.close()

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
