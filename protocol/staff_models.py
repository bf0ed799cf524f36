"""The hall-staff messages as pydantic models (`protocol.staff` describes the endpoints and
re-exports every name here on first use)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import Field

from protocol import JsonObject, Request, Response, Text, Timestamp
from protocol.staff import (
    STAFF_NO_PATTERN,
    AuditAction,
    HelpState,
    RemoteView,
    StaffRole,
)

StaffNo = Annotated[str, Field(pattern=STAFF_NO_PATTERN)]


class StaffAccount(Response):
    staff_no: str
    name: str
    hall: str = Field(description="The hall's code; empty: every hall of the city.")
    role: StaffRole
    pin_hash: str = Field(description="argon2id PHC string of the PIN (6 digits).")
    badge_hash: str = Field(default="", description="sha256 hex of the badge token, or empty.")
    active: bool = True
    expires_at: Timestamp | None = None


class StaffRoster(Response):
    version: int = Field(description="Goes up whenever an account of this roster changes.")
    hall: str
    accounts: list[StaffAccount]


class HelpRequest(Request):
    request_id: UUID
    screen: Text = Field(max_length=40, description="The screen's name, e.g. 'flow'.")
    item_id: Text = Field(default="", max_length=64)
    step: Text = Field(default="", max_length=40)
    waiting_since: Timestamp


class HelpStatus(Response):
    request_id: UUID
    terminal_id: str
    state: HelpState
    staff_no: str = ""
    staff_name: str = ""
    outcome: str = ""
    remote_view: RemoteView = RemoteView.NONE
    updated_at: Timestamp


class RemoteViewConsent(Request):
    allow: bool


class AuditEntry(Request):
    seq: int = Field(ge=1, le=2**62)
    at: Timestamp
    terminal_id: Text = Field(min_length=1, max_length=64)
    action: AuditAction
    staff_no: Text = Field(default="", max_length=16)
    detail: JsonObject = Field(default_factory=dict,
                               description="No full ID number or name: masked values only.")
    prev: str = Field(pattern=r"^[0-9a-f]{64}$")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
