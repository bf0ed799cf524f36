"""The sync protocol, version 1: JSON over HTTP under ``/v1``, as pydantic models both ends share.

This module is the whole contract between a terminal and its backend. The reference backend
(`backend/`) imports it; the kiosk's adapters import it; it imports nothing from either, so it
can be vendored into another backend as one package. See docs/decisions/0008-sync-protocol.md.
Its parts: `protocol.base` (paths, limits, codes, enums, ID number checks: no pydantic),
`protocol.models` (the messages, pydantic), `protocol.staff` (hall staff). Every name is
importable from here; the models load on first use (docs/decisions/0038).

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

from typing import TYPE_CHECKING, Any

from protocol import base
from protocol.base import (
    BASE_COMMAND_KINDS,
    CATALOG_PAGE_DEFAULT,
    CATALOG_PAGE_MAX,
    DOCUMENT_TITLES,
    E_CREDENTIAL_PREFIX,
    E_CREDENTIAL_TTL_S,
    ENROLMENT_STATUS_NAMES,
    ID_CHECK_CODES,
    ID_PROVINCES,
    ID_WEIGHTS,
    INSURANCE_TYPE_NAMES,
    LOCAL_TZ,
    MAX_BODY_BYTES,
    MAX_EVENT_PAYLOAD_BYTES,
    MAX_EVENTS_PER_BATCH,
    MAX_SAFE_INTEGER,
    PREFIX,
    PROOF_MAX_AGE_S,
    PROTOCOL_VERSION,
    TIME_MAX_YEAR,
    TIME_MIN_YEAR,
    CommandKind,
    DeviceState,
    DocumentKind,
    EnrolmentStatus,
    ErrorCode,
    EventKind,
    EventStatus,
    InsuranceType,
    PaperLevel,
    Paths,
    VerifyMethod,
    id_check_digit,
    id_number_problem,
    mask_id_number,
    mask_name,
    normalize_id_number,
    profile_hash,
    proof_message,
    sign_proof,
)

if TYPE_CHECKING:
    from protocol.models import *  # noqa: F403


def __getattr__(name: str) -> Any:
    """The message models (`protocol.models`, pydantic) load on first use, so what needs only
    the vocabulary above (the kiosk's start) does not import pydantic."""
    import importlib

    if name.startswith("__"):  # not a model: pickle, copy and the import system probe these
        raise AttributeError(f"module 'protocol' has no attribute {name!r}")
    for module in (importlib.import_module("protocol.models"), base):
        if hasattr(module, name):
            value = getattr(module, name)
            globals()[name] = value
            return value
    raise AttributeError(f"module 'protocol' has no attribute {name!r}")
