"""The hall-staff endpoints of the reference backend (protocol.staff; docs/decisions/0019):
the terminal's roster, help requests, remote-view consent and frames; the admin staff API.

Added to the app by `create_app` (`add_staff_routes`). A terminal reaches only its own help
requests (403 otherwise); every answer is a `HelpStatus` or an `ErrorBody`.
"""

# No "from __future__ import annotations": FastAPI resolves the Annotated aliases below.
import logging
import uuid
from datetime import datetime, timezone
from typing import Annotated

from fastapi import Depends, FastAPI, Path, Request
from fastapi.responses import Response
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import protocol as p
from backend import staff as st
from backend.app import CONFLICT, ERRORS, FORBIDDEN, NOT_FOUND, ApiError, reply, utcnow
from backend.db import Database
from backend.models import HelpRequestRow, RemoteFrame, StaffAccount, Terminal
from protocol import ErrorCode
from protocol import staff as ps

log = logging.getLogger("backend.staff")

REQUEST_PATH = Path(description="The help request's UUID")
STAFF_PATH = Path(pattern=ps.STAFF_NO_PATTERN)


class AdminStaff(p.Request):
    """Create (name, role and pin needed) or update an account (fields left out stay)."""

    name: p.Text | None = Field(default=None, min_length=1, max_length=40)
    hall: p.Text | None = Field(default=None, max_length=32,
                                description="The hall's code; empty: every hall of the city.")
    role: ps.StaffRole | None = None
    pin: p.Text | None = Field(default=None, description="6 digits, not a trivial one.")
    active: bool | None = None
    expires_at: p.Timestamp | None = None


class AdminStaffAccount(p.Response):
    staff_no: str
    name: str
    hall: str
    role: str
    active: bool
    expires_at: datetime | None
    has_badge: bool
    locked_until: datetime | None
    updated_at: datetime | None


class AdminBadge(p.Response):
    staff_no: str
    qr: str = Field(description="The badge QR's text: shown once, only its hash is stored.")


def admin_view(r: StaffAccount) -> AdminStaffAccount:
    return AdminStaffAccount(staff_no=r.staff_no, name=r.name, hall=r.hall, role=r.role,
                             active=r.active, expires_at=r.expires_at,
                             has_badge=bool(r.badge_hash), locked_until=r.locked_until,
                             updated_at=r.updated_at)


def add_staff_routes(app: FastAPI, database: Database, *, terminal, admin) -> None:
    TerminalId = Annotated[str, Depends(terminal)]
    RequestId = Annotated[uuid.UUID, REQUEST_PATH]
    help_errors = {**ERRORS, **FORBIDDEN, **NOT_FOUND, **CONFLICT}

    def own(s, request_id: uuid.UUID, terminal_id: str, *, lock: bool = True) -> HelpRequestRow:
        row = s.get(HelpRequestRow, str(request_id), with_for_update=lock)
        if row is None:
            raise ApiError(404, ErrorCode.NOT_FOUND, "no such help request")
        if row.terminal_id != terminal_id:
            log.warning("terminal %s refused help request %s of another terminal",
                        terminal_id, request_id)
            raise ApiError(403, ErrorCode.FORBIDDEN, "this help request is another terminal's")
        return row

    # --- terminal ---------------------------------------------------------------------------

    @app.get(ps.StaffPaths.ROSTER, response_model=ps.StaffRoster, responses=ERRORS,
             tags=["staff"])
    def staff_roster(terminal_id: TerminalId):
        """The staff of the terminal's hall and the city-wide ones: PIN hashes (argon2id) and
        badge hashes only, inactive and expired accounts included (the terminal logs them
        out)."""
        with database.read() as s:
            result = st.roster(s, s.get(Terminal, terminal_id))
        return reply(result)

    @app.post(ps.StaffPaths.HELP, response_model=ps.HelpStatus, status_code=201,
              responses=help_errors, tags=["staff"])
    def create_help(body: ps.HelpRequest, terminal_id: TerminalId):
        """A citizen calls for help. Idempotent on `request_id` (a retried POST answers 200 with
        the request as it is now). One open request per terminal: a new one cancels the
        terminal's older open ones (a citizen calls for help once; an older one is stale)."""
        now = utcnow()
        rid = str(body.request_id)
        try:
            with database.write() as s:
                term = s.get(Terminal, terminal_id, with_for_update=True)
                row = s.get(HelpRequestRow, rid)
                if row is not None:
                    if row.terminal_id != terminal_id:
                        raise ApiError(403, ErrorCode.FORBIDDEN,
                                       "this help request is another terminal's")
                    return reply(st.help_status(row), status=200)
                for older in s.scalars(select(HelpRequestRow)
                                       .where(HelpRequestRow.terminal_id == terminal_id)
                                       .where(HelpRequestRow.state.in_(st.OPEN_STATES))):
                    st.close_request(s, older, ps.HelpState.CANCELLED, now,
                                     outcome="replaced by a newer request")
                row = HelpRequestRow(
                    request_id=rid, terminal_id=terminal_id, hall=term.hall,
                    screen=body.screen, item_id=body.item_id, step=body.step,
                    waiting_since=body.waiting_since.astimezone(timezone.utc)
                    .replace(tzinfo=None),
                    state=ps.HelpState.OPEN.value, staff_no="", staff_name="", outcome="",
                    remote_view=ps.RemoteView.NONE.value, version=1, created_at=now,
                    updated_at=now)
                s.add(row)
                s.flush()
                result = st.help_status(row)
        except IntegrityError:  # the same request_id inserted by a concurrent retry
            with database.read() as s:
                return reply(st.help_status(own(s, body.request_id, terminal_id, lock=False)))
        log.info("terminal %s asked for help (%s)", terminal_id, rid)
        return reply(result, status=201)

    @app.get(ps.StaffPaths.HELP_ONE, response_model=ps.HelpStatus, responses=help_errors,
             tags=["staff"])
    def get_help(request_id: RequestId, terminal_id: TerminalId):
        with database.read() as s:
            result = st.help_status(own(s, request_id, terminal_id, lock=False))
        return reply(result)

    @app.post(ps.StaffPaths.HELP_CANCEL, response_model=ps.HelpStatus, responses=help_errors,
              tags=["staff"])
    def cancel_help(request_id: RequestId, terminal_id: TerminalId):
        """The citizen cancelled (or their session ended). A closed request stays as it is."""
        with database.write() as s:
            row = own(s, request_id, terminal_id)
            if row.state in st.OPEN_STATES:
                st.close_request(s, row, ps.HelpState.CANCELLED, utcnow())
            result = st.help_status(row)
        return reply(result)

    @app.post(ps.StaffPaths.HELP_CONSENT, response_model=ps.HelpStatus, responses=help_errors,
              tags=["staff"])
    def consent(request_id: RequestId, body: ps.RemoteViewConsent, terminal_id: TerminalId):
        """The citizen's answer to 请求查看屏幕: allow (only while requested) or not / end."""
        with database.write() as s:
            row = own(s, request_id, terminal_id)
            view = ps.RemoteView(row.remote_view)
            if body.allow:
                if view is ps.RemoteView.REQUESTED and row.state == ps.HelpState.TAKEN:
                    row.remote_view = ps.RemoteView.ALLOWED.value
                    st.touch(row, utcnow())
                elif view is not ps.RemoteView.ALLOWED:
                    raise ApiError(409, ErrorCode.NOT_APPLICABLE,
                                   "no remote view was requested for this help request")
            elif view in st.LIVE_VIEW:
                st.end_remote_view(s, row)
                st.touch(row, utcnow())
            result = st.help_status(row)
        return reply(result)

    @app.put(ps.StaffPaths.HELP_FRAME, status_code=204,
             responses={**help_errors, 415: {"model": p.ErrorBody,
                                             "description": "Not image/jpeg"}},
             tags=["staff"])
    async def put_frame(request_id: RequestId, request: Request, terminal_id: TerminalId):
        """The terminal's screen, masked, as one JPEG (<= MAX_FRAME_BYTES), while the citizen
        allows it (remote_view == allowed); else 409."""
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "image/jpeg":
            raise ApiError(415, ErrorCode.INVALID_REQUEST, "a frame is sent as image/jpeg")
        jpeg = await request.body()
        if len(jpeg) > ps.MAX_FRAME_BYTES:
            raise ApiError(413, ErrorCode.TOO_LARGE,
                           f"a frame is at most {ps.MAX_FRAME_BYTES} bytes")
        if not jpeg.startswith(b"\xff\xd8\xff"):
            raise ApiError(422, ErrorCode.INVALID_REQUEST, "the frame is not a JPEG image")
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(store_frame, request_id, terminal_id, jpeg)

    def store_frame(request_id: uuid.UUID, terminal_id: str, jpeg: bytes) -> Response:
        now = utcnow()
        with database.write() as s:
            row = own(s, request_id, terminal_id)
            if row.remote_view != ps.RemoteView.ALLOWED or row.state != ps.HelpState.TAKEN:
                raise ApiError(409, ErrorCode.NOT_APPLICABLE,
                               "the citizen has not allowed remote view (or it ended): "
                               "send no frames")
            frame = s.get(RemoteFrame, row.request_id)
            if frame is None:
                s.add(RemoteFrame(request_id=row.request_id, jpeg=jpeg, at=now, frame_no=1))
            else:
                frame.jpeg, frame.at, frame.frame_no = jpeg, now, frame.frame_no + 1
        return Response(status_code=204)

    # --- admin: staff accounts --------------------------------------------------------------

    admin_deps = [Depends(admin)]
    admin_responses = {**ERRORS, **FORBIDDEN, **NOT_FOUND}

    @app.get(f"{p.PREFIX}/admin/staff", response_model=list[AdminStaffAccount],
             dependencies=admin_deps, responses=admin_responses, tags=["admin"])
    def list_staff():
        with database.read() as s:
            rows = [admin_view(r) for r in s.scalars(select(StaffAccount)
                                                    .order_by(StaffAccount.staff_no))]
        import json

        return Response(json.dumps([r.model_dump(mode="json") for r in rows],
                                   ensure_ascii=False), media_type="application/json",
                        headers={"Cache-Control": "no-store"})

    @app.put(f"{p.PREFIX}/admin/staff/{{staff_no}}", response_model=AdminStaffAccount,
             dependencies=admin_deps, responses={**admin_responses, **CONFLICT},
             tags=["admin"])
    def put_staff(staff_no: Annotated[str, STAFF_PATH], body: AdminStaff):
        """Create or update an account. A PIN is 6 digits and not a trivial one (000000,
        123456, ...): refused with the reason (422)."""
        change = st.StaffChange(
            name=body.name, hall=body.hall, role=body.role.value if body.role else None,
            pin=body.pin, active=body.active,
            expires_at=body.expires_at.astimezone(timezone.utc).replace(tzinfo=None)
            if body.expires_at else None)
        try:
            with database.write() as s:
                row, created = st.upsert_staff(s, staff_no, change)
                s.flush()
                result = admin_view(row)
        except st.StaffError as exc:
            raise ApiError(422, ErrorCode.INVALID_REQUEST, str(exc)) from None
        log.info("staff account %s %s", staff_no, "created" if created else "updated")
        return reply(result, status=201 if created else 200)

    @app.post(f"{p.PREFIX}/admin/staff/{{staff_no}}/disable", response_model=AdminStaffAccount,
              dependencies=admin_deps, responses=admin_responses, tags=["admin"])
    def disable_staff(staff_no: Annotated[str, STAFF_PATH]):
        """Deactivate: the terminals log the account out at their next roster, its console
        sessions end now."""
        with database.write() as s:
            row = st.disable_staff(s, staff_no)
            if row is None:
                raise ApiError(404, ErrorCode.NOT_FOUND, "no such staff account")
            from backend.console import end_sessions

            end_sessions(s, staff_no, "disabled")
            result = admin_view(row)
        return reply(result)

    @app.post(f"{p.PREFIX}/admin/staff/{{staff_no}}/badge", response_model=AdminBadge,
              status_code=201, dependencies=admin_deps, responses=admin_responses,
              tags=["admin"])
    def new_badge(staff_no: Annotated[str, STAFF_PATH]):
        """A new badge (the old one stops working): its QR text, shown this once."""
        with database.write() as s:
            qr = st.issue_badge(s, staff_no)
        if qr is None:
            raise ApiError(404, ErrorCode.NOT_FOUND, "no such staff account")
        return reply(AdminBadge(staff_no=staff_no, qr=qr), status=201)
