"""The hall-staff part of the sync protocol (v1): staff rosters, help requests with remote view,
the terminal's state in the heartbeat, and the hash-chained audit log both ends verify.

Endpoints (``T`` = terminal credential, as in `protocol`):

=====  ====================================  ======================  ======================
auth   method and path                       request                 response
=====  ====================================  ======================  ======================
T      GET  /v1/staff/roster                 -                       StaffRoster
T      POST /v1/help                         HelpRequest             HelpStatus
T      GET  /v1/help/{request_id}            -                       HelpStatus
T      POST /v1/help/{request_id}/cancel     -                       HelpStatus
T      POST /v1/help/{request_id}/consent    RemoteViewConsent       HelpStatus
T      PUT  /v1/help/{request_id}/frame      image/jpeg (<= 256 KiB) 204
=====  ====================================  ======================  ======================

The roster is the terminal's hall's staff (and city-wide ones, ``hall == ""``) with their PIN
hashes (argon2id, PHC string) and badge hashes (sha256 hex of the badge token), so staff log in
while the link is down. `HeartbeatReply.roster_version` (a response field, optional) tells the
terminal when to fetch it again; a staff member missing from a newer roster, inactive or past
``expires_at`` is logged out at once.

Help requests are made by the terminal with its own id (a UUID, so a retried POST is the same
request); the terminal polls ``GET /v1/help/{id}`` about every 2 s while one is open. Remote view
(远程帮办) happens only inside a help request: staff ask (``remote_view = requested``), the
citizen taps 允许 on the terminal (``consent`` allow), the terminal then PUTs one masked frame a
second while ``remote_view == allowed``; either side ends it (terminal: consent allow=false).

Audit entries travel as outbox events of kind ``audit`` whose payload is an `AuditEntry`
(``model_dump(mode="json")``). Each entry carries the hash of the one before (``prev``); the
first entry of a terminal has ``prev == GENESIS``. The backend refuses (event status
``rejected``) an entry that does not link to the last one it stored for that terminal.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from protocol.base import PREFIX

if TYPE_CHECKING:
    from protocol.staff_models import *  # noqa: F403


def __getattr__(name: str) -> Any:
    """The message models (`protocol.staff_models`, pydantic) load on first use."""
    import importlib

    if name.startswith("__"):
        raise AttributeError(f"module 'protocol.staff' has no attribute {name!r}")
    staff_models = importlib.import_module("protocol.staff_models")
    if hasattr(staff_models, name):
        value = getattr(staff_models, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'protocol.staff' has no attribute {name!r}")


class StaffPaths:
    ROSTER = f"{PREFIX}/staff/roster"
    HELP = f"{PREFIX}/help"
    HELP_ONE = f"{PREFIX}/help/{{request_id}}"
    HELP_CANCEL = f"{PREFIX}/help/{{request_id}}/cancel"
    HELP_CONSENT = f"{PREFIX}/help/{{request_id}}/consent"
    HELP_FRAME = f"{PREFIX}/help/{{request_id}}/frame"


MAX_FRAME_BYTES = 256 * 1024
HELP_POLL_S = 2.0
STAFF_NO_PATTERN = r"^[A-Za-z0-9]{1,16}$"

# A staff badge is a QR holding BADGE_PREFIX + staff number + ":" + a random token (>= 128 bits,
# urlsafe base64). The roster carries sha256(token) hex only.
BADGE_PREFIX = "GOVKIOSK-STAFF:1:"
_BADGE = re.compile(r"^GOVKIOSK-STAFF:1:([A-Za-z0-9]{1,16}):([A-Za-z0-9_-]{22,86})$")


def parse_badge(text: str) -> tuple[str, str] | None:
    """(staff number, token) from a badge QR's text, or None if it is not a badge."""
    m = _BADGE.match(text.strip())
    return (m.group(1), m.group(2)) if m else None


def badge_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


# --------------------------------------------------------------------------------------------
# Terminal state (carried by the heartbeat)


class TerminalStateName(StrEnum):
    """As in kiosk.terminal.TerminalState (common-use kiosk states)."""

    INITIALISING = "initialising"
    AVAILABLE = "available"
    ACTIVE = "active"
    ATTENDED = "attended"
    MAINTENANCE = "maintenance"
    UNAVAILABLE = "unavailable"


# --------------------------------------------------------------------------------------------
# Staff


class StaffRole(StrEnum):
    HELPER = "helper"          # 帮办: attends citizens, takes help requests
    SHIFT_LEAD = "shift_lead"  # 值班长: as helper, plus reprints, clears faults, ends sessions
    TECHNICIAN = "technician"  # 技术员: faults, maintenance (the technicians' issue)
    AUDITOR = "auditor"        # 审计: reads the audit log, operates nothing


# --------------------------------------------------------------------------------------------
# Help requests and remote view


class HelpState(StrEnum):
    OPEN = "open"            # waiting for staff
    TAKEN = "taken"          # a staff member is on the way / helping (staff_name says who)
    HELD = "held"            # staff put it on hold (will come back to it)
    FINISHED = "finished"    # staff finished it (outcome says how)
    CANCELLED = "cancelled"  # the citizen cancelled it, or their session ended


class RemoteView(StrEnum):
    NONE = "none"
    REQUESTED = "requested"  # staff asked; the terminal shows 允许 / 拒绝
    ALLOWED = "allowed"      # the citizen allowed: the terminal sends frames
    ENDED = "ended"          # either side ended it (or the citizen refused)


# --------------------------------------------------------------------------------------------
# The audit chain


GENESIS = "0" * 64


class AuditAction(StrEnum):
    STAFF_LOGIN = "staff_login"
    STAFF_LOGOUT = "staff_logout"
    PIN_FAILED = "pin_failed"
    STAFF_LOCKED = "staff_locked"
    ATTEND_ITEM = "attend_item"        # an item operated on a citizen's behalf (masked id)
    REPRINT = "reprint"
    FAULT_CLEARED = "fault_cleared"
    SESSION_ENDED = "session_ended"    # staff ended a stuck session
    ATTEND = "attend"                  # attended mode on / off (detail.on), kiosk.app attend()
    HELP_TAKEN = "help_taken"
    REMOTE_VIEW = "remote_view"        # started / refused / ended, in detail
    MAINTENANCE = "maintenance"        # a technician's action in the maintenance panel (detail.op)


def audit_hash(fields: Mapping[str, Any]) -> str:
    """sha256 hex over the entry's canonical JSON without its ``hash`` (keys sorted, no spaces,
    UTF-8): the same bytes at both ends."""
    body = {k: v for k, v in fields.items() if k != "hash"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain_problem(entries: Iterable[Mapping[str, Any]], *, prev: str = GENESIS,
                  seq: int = 0) -> str | None:
    """None if ``entries`` (JSON dicts, oldest first) link on from (``prev``, ``seq``), else
    what is wrong and where: an altered entry (hash), one removed (seq gap / prev), reordered."""
    for entry in entries:
        n = entry.get("seq")
        if n != seq + 1:
            return f"entry {n}: expected seq {seq + 1}"
        if entry.get("prev") != prev:
            return f"entry {n}: does not link to the entry before"
        if audit_hash(entry) != entry.get("hash"):
            return f"entry {n}: altered (hash mismatch)"
        prev, seq = entry["hash"], n
    return None
