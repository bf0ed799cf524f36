"""What the flows need from outside the core, as Protocols the composition root fills in.

- `RecordsPort`: the online calls (`fetch(call, id_number)` for each of
  `protocol.RECORDS_CALLS`, documents, the access log, queue tickets, the e-credential
  exchange; all returning `protocol` models), raising only `Unreachable` (try again later,
  offer the phone and the window) or `Rejected` (a business answer such as
  ``citizen_not_found``). Every personal call carries how the citizen was verified
  (`kiosk.identity.Verification`) and the session id: `BackendRecords` wraps any
  `kiosk.sync.adapter.BackendAdapter` and turns them into the signed `protocol.Proof` the
  backend requires (docs/decisions/0018). A run hands its handlers `ProvenRecords`, the port
  bound to its citizen's verification, so no handler can make a personal call without it.
- `DocumentPrinter` (A4, through the spooler) and `ReceiptPrinter` (80/58 mm): each returns a
  job id whose progress the screen forwards to `FlowRun.print_update`; a refusal raises
  `PrintRefused(reason)`.
- `EventSink`: ``add(kind, payload)``, exactly `kiosk.sync.outbox.Outbox.add`.
- `GuidePort`: ``guide(item_id)``, exactly `kiosk.catalog.repository.CatalogRepository.guide`.

`FlowPorts` bundles them for a `FlowRun`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from kiosk.catalog.model import GuideDetail
from kiosk.devices.status import DeviceStatus
from kiosk.identity import Verification
import protocol as p

if TYPE_CHECKING:
    from kiosk.flows.problem_report import ProblemReporter

log = logging.getLogger("kiosk.flows")


class Unreachable(Exception):
    """The backend cannot be used now (network, timeout, server error, not enrolled)."""

    def __init__(self, kind: str = "network"):
        self.kind = kind
        super().__init__(kind)


class Rejected(Exception):
    """The backend understood and refused: `code` is a `protocol.ErrorCode`."""

    def __init__(self, code: str):
        self.code = str(code)
        super().__init__(self.code)


class PrintRefused(Exception):
    """A printer port could not take the job; `reason` is a `kiosk.devices.status.Reason`."""

    def __init__(self, reason: str = "device_error"):
        self.reason = str(reason)
        super().__init__(self.reason)


@runtime_checkable
class RecordsPort(Protocol):
    """`verification` and `session_id`: how and in which citizen session the citizen of a
    personal call was verified (the backend refuses a personal call without them)."""

    def fetch(self, call: str, id_number: str, *, verification: Verification | None = None,
              session_id: str = "") -> p.Response:
        """One of `protocol.RECORDS_CALLS`, answered with that call's model."""
    def issue_document(self, kind: p.DocumentKind | str, id_number: str, *,
                       from_month: str | None = None, to_month: str | None = None,
                       verification: Verification | None = None,
                       session_id: str = "") -> p.DocumentIssued: ...
    def access_log(self, id_number: str, *, verification: Verification | None = None,
                   session_id: str = "") -> p.AccessLog:
        """近期查询记录: who looked up this citizen's records, newest first."""
    def exchange_credential(self, qr: str, session_id: str) -> p.CredentialIdentity:
        """An e-credential QR for the citizen it names and a ticket for this session."""
    def queue_ticket(self, business_type: str) -> p.QueueTicket: ...


@dataclass(frozen=True, eq=False)
class PrintableDocument:
    """Everything an A4 renderer needs: the issued document (verification code and URL), the
    records it is drawn from, and the citizen's selection (year, insurance type, month). It
    holds personal data: it lives only as long as the spooler keeps it in memory."""

    kind: str  # a DocumentKind value
    title: str
    issued: p.DocumentIssued | None  # None: a draft for the on-screen preview
    records: Any
    selection: Mapping[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"PrintableDocument(kind={self.kind}, <redacted>)"


@runtime_checkable
class DocumentPrinter(Protocol):
    def document_status(self) -> DeviceStatus | None:
        """The A4 printer's status; None if the terminal has none."""

    def print_document(self, document: PrintableDocument) -> str:
        """Render and queue; returns the job id. Raises `PrintRefused`."""

    def discard(self, job_id: str) -> None:
        """Nobody waits for this job any more (the citizen left while it was handed over):
        drop it if it has not started printing, so no personal paper lies in the tray."""

    def forget_personal(self) -> None:
        """The citizen left: drop the content of personal jobs from memory."""


@runtime_checkable
class ReceiptPrinter(Protocol):
    def receipt_status(self) -> DeviceStatus | None: ...

    def print_queue_ticket(self, ticket: p.QueueTicket) -> str:
        """Queue a 取号 receipt; returns the job id. Raises `PrintRefused`."""

    def print_guide_slip(self, guide: GuideDetail) -> str:
        """Queue a 办事指南 slip; returns the job id (as `kiosk.ports.PrintPort`)."""


@runtime_checkable
class EventSink(Protocol):
    def add(self, kind: str, payload: dict[str, Any],
            occurred_at: datetime | None = None) -> str: ...


@runtime_checkable
class GuidePort(Protocol):
    def guide(self, item_id: str) -> GuideDetail | None: ...


@dataclass(eq=False)
class FlowPorts:
    events: EventSink
    terminal_id: str
    records: RecordsPort | None = None
    documents: DocumentPrinter | None = None
    receipts: ReceiptPrinter | None = None
    guides: GuidePort | None = None
    problems: ProblemReporter | None = None


class ProvenRecords:
    """The records port as one run's handlers get it: each personal call carries the run's
    citizen's verification and session (a handler only names the call and the number)."""

    def __init__(self, records: RecordsPort, verification: Verification | None,
                 session_id: str):
        self.records = records
        self._how = {"verification": verification, "session_id": session_id} \
            if verification is not None else {}

    def __repr__(self) -> str:
        return f"ProvenRecords({self.records!r})"

    def fetch(self, call: str, id_number: str) -> p.Response:
        return self.records.fetch(call, id_number, **self._how)

    def issue_document(self, kind: p.DocumentKind | str, id_number: str, *,
                       from_month: str | None = None,
                       to_month: str | None = None) -> p.DocumentIssued:
        return self.records.issue_document(kind, id_number, from_month=from_month,
                                           to_month=to_month, **self._how)

    def access_log(self, id_number: str) -> p.AccessLog:
        return self.records.access_log(id_number, **self._how)

    def queue_ticket(self, business_type: str) -> p.QueueTicket:
        return self.records.queue_ticket(business_type)


class BackendRecords:
    """A `RecordsPort` over a `kiosk.sync.adapter.BackendAdapter`: each personal call gets its
    `protocol.Proof`, signed with the adapter's credential for this terminal (`terminal_id`),
    and the adapter's three failure kinds become the two the flows know. Only the outcome kind
    is logged, never the body."""

    def __init__(self, adapter: Any, terminal_id: str = ""):
        self.adapter = adapter
        self.terminal_id = terminal_id

    def __repr__(self) -> str:
        return f"BackendRecords({type(self.adapter).__name__})"

    def proof(self, id_number: str, verification: Verification | None,
              session_id: str) -> p.Proof | None:
        """The signed proof of a personal call (None without a verification, or without a
        credential to sign with: the backend then refuses the call, as it should). The
        signature covers `verified_at` as the request will spell it."""
        if verification is None:
            return None
        credential = getattr(self.adapter, "credential", None)
        if not credential or not self.terminal_id:
            log.warning("personal call without a proof: no credential or terminal id to sign")
            return None
        v = verification
        draft = p.Proof(method=v.method, session_id=session_id,
                        verified_at=v.verified_at.astimezone(timezone.utc), ticket=v.ticket,
                        staff_id=v.staff_id, signature="0" * 64)
        message = p.proof_message(
            terminal_id=self.terminal_id, id_number=id_number, method=v.method.value,
            session_id=session_id, verified_at=draft.model_dump(mode="json")["verified_at"],
            ticket=v.ticket, staff_id=v.staff_id)
        return draft.model_copy(update={"signature": p.sign_proof(credential, message)})

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        from kiosk.sync.adapter import BackendRejected, BackendUnavailable, NotEnrolled

        try:
            return getattr(self.adapter, name)(*args, **kwargs)
        except BackendUnavailable as exc:
            raise Unreachable(exc.kind) from None
        except NotEnrolled:
            log.warning("records call %s: this terminal is not enrolled", name)
            raise Unreachable("not_enrolled") from None
        except BackendRejected as exc:
            raise Rejected(exc.code) from None

    def fetch(self, call: str, id_number: str, *, verification: Verification | None = None,
              session_id: str = "", proof: p.Proof | None = None) -> p.Response:
        """`proof`: one made elsewhere (tests), instead of the one built here."""
        proof = proof or self.proof(id_number, verification, session_id)
        return self._call("fetch", call, id_number, **_with_proof(proof))

    def issue_document(self, kind: p.DocumentKind | str, id_number: str, *,
                       from_month: str | None = None, to_month: str | None = None,
                       verification: Verification | None = None, session_id: str = "",
                       proof: p.Proof | None = None) -> p.DocumentIssued:
        proof = proof or self.proof(id_number, verification, session_id)
        return self._call("issue_document", kind, id_number, from_month=from_month,
                          to_month=to_month, **_with_proof(proof))

    def access_log(self, id_number: str, proof: p.Proof | None = None, *,
                   verification: Verification | None = None,
                   session_id: str = "") -> p.AccessLog:
        proof = proof or self.proof(id_number, verification, session_id)
        return self._call("access_log", id_number, proof)

    def queue_ticket(self, business_type: str) -> p.QueueTicket:
        return self._call("queue_ticket", business_type)

    def exchange_credential(self, qr: str, session_id: str) -> p.CredentialIdentity:
        """The adapter's `exchange_credential`; refusals are `Rejected` with the code
        (credential_invalid, credential_expired, credential_used)."""
        return self._call("exchange_credential", qr, session_id)


def _with_proof(proof: p.Proof | None) -> dict[str, Any]:
    """The proof keyword only when there is one: an adapter without it keeps working."""
    return {} if proof is None else {"proof": proof}
