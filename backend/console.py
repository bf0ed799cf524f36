"""The hall console (大厅值守台) at /console/: a framework-free page for hall staff, served by the
backend (docs/decisions/0019).

Login with staff number + PIN (argon2id; one message for an unknown number and a wrong PIN;
PIN_MAX_FAILURES wrong PINs in a row lock the account for `ConsoleOptions.lockout`). The session
is a random cookie token (only its SHA-256 stored; HttpOnly, SameSite=Strict, Path=/console,
Secure over https) with a CSRF token every state-changing request must send (header
``X-CSRF-Token`` or form field ``csrf_token``). A login ends the staff member's other sessions
(``replaced``: the other browser says 您的账号已在其他地方登录); no action for
`ConsoleOptions.idle` ends one (``idle``). Live updates are server-sent events from a stream that
polls the database, so any worker process serves them. Every action is written to audit_log.

JSON answers: ``{"error": code, "message": 中文}`` on refusal (the page shows the message).
"""

# No "from __future__ import annotations": FastAPI resolves the Annotated aliases below.
import asyncio
import hmac
import json
import logging
import secrets
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from backend import staff as st
from backend.app import utcnow
from backend.db import Database
from backend.models import (
    AuditEntry,
    CatalogItem,
    ConsoleSession,
    HelpRequestRow,
    RemoteFrame,
    StaffAccount,
    Terminal,
    TerminalAuditRow,
)
from backend.security import burn_pin_check, check_staff_pin, sha256_hex
from protocol import staff as ps

log = logging.getLogger("backend.console")

STATIC = Path(__file__).with_name("console_static")
COOKIE = "kiosk_console"
CSRF_HEADER = "x-csrf-token"
ACTING_ROLES = (ps.StaffRole.HELPER, ps.StaffRole.SHIFT_LEAD)
AUDIT_ROLES = (ps.StaffRole.AUDITOR, ps.StaffRole.SHIFT_LEAD)
HELP_ROLES = (ps.StaffRole.HELPER, ps.StaffRole.SHIFT_LEAD, ps.StaffRole.AUDITOR)
OUTCOMES = ("已解决", "转窗口办理", "群众已离开", "设备故障，已报修", "其他")
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' blob:; style-src 'self'; "
                               "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
                               "base-uri 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
ENDED_MESSAGES = {
    "replaced": "您的账号已在其他地方登录，本页已退出。",
    "idle": "长时间未操作，已自动退出，请重新登录。",
    "logout": "您已退出登录。",
    "disabled": "账号已停用或已过期，请联系管理员。",
}
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                ".html": "text/html; charset=utf-8"}


class Refusal(Exception):
    def __init__(self, status: int, error: str, message: str):
        self.status, self.error, self.message = status, error, message
        super().__init__(message)


def refusal_response(exc: Refusal) -> JSONResponse:
    return JSONResponse({"error": exc.error, "message": exc.message}, status_code=exc.status,
                        headers={"Cache-Control": "no-store"})


def end_sessions(s: Session, staff_no: str, reason: str, *, keep: int | None = None) -> int:
    q = (update(ConsoleSession).where(ConsoleSession.staff_no == staff_no)
         .where(ConsoleSession.ended_at.is_(None)))
    if keep is not None:
        q = q.where(ConsoleSession.id != keep)
    return s.execute(q.values(ended_at=utcnow(), ended_reason=reason)).rowcount


def audit(s: Session, kind: str, request: Request | None, *, staff_no: str = "",
          terminal_id: str = "", detail: str = "") -> None:
    addr = (request.client.host if request is not None and request.client else "")[:64]
    s.add(AuditEntry(at=utcnow(), kind=kind, terminal_id=terminal_id[:32], remote_addr=addr,
                     detail=detail[:200], staff_no=staff_no[:16]))


def iso(dt: datetime | None) -> str | None:
    return dt.replace(tzinfo=timezone.utc).isoformat() if dt else None


class Who:
    """The logged-in staff member of a console request."""

    def __init__(self, session: ConsoleSession, staff: StaffAccount):
        self.session_id = session.id
        self.csrf = session.csrf_token
        self.staff_no, self.name, self.hall = staff.staff_no, staff.name, staff.hall
        self.role = ps.StaffRole(staff.role)

    def sees(self, hall: str) -> bool:
        return self.hall == "" or self.hall == hall

    def public(self) -> dict[str, Any]:
        return {"staff_no": self.staff_no, "name": self.name, "hall": self.hall,
                "role": self.role.value}


def add_console(app: FastAPI, database: Database, *, options) -> None:
    app.add_exception_handler(Refusal, lambda _r, exc: refusal_response(exc))

    # --- sessions ---------------------------------------------------------------------------

    def load_session(s: Session, request: Request, *, touch: bool, persist: bool = True) -> Who:
        """The session's staff member, or Refusal (401). `persist`: an idle or disabled session
        is marked ended (a write); without it, only refused (a read)."""
        token = request.cookies.get(COOKIE)
        if not token or len(token) > 100:
            raise Refusal(401, "no_session", "请先登录。")
        row = s.scalar(select(ConsoleSession)
                       .where(ConsoleSession.token_sha256 == sha256_hex(token)))
        if row is None:
            raise Refusal(401, "no_session", "请先登录。")
        now = utcnow()
        if row.ended_at is None and row.last_seen_at + options.idle <= now:
            if not persist:
                raise Refusal(401, "idle", ENDED_MESSAGES["idle"])
            row.ended_at, row.ended_reason = now, "idle"
            audit(s, "console_idle_logout", request, staff_no=row.staff_no)
        if row.ended_at is not None:
            raise Refusal(401, row.ended_reason or "ended",
                          ENDED_MESSAGES.get(row.ended_reason, "登录已失效，请重新登录。"))
        staff = s.scalar(select(StaffAccount).where(StaffAccount.staff_no == row.staff_no))
        if staff is None or st.account_usable(staff, now) is not None:
            if persist:
                row.ended_at, row.ended_reason = now, "disabled"
            raise Refusal(401, "disabled", ENDED_MESSAGES["disabled"])
        if touch:
            row.last_seen_at = now
        return Who(row, staff)

    def session_or_refusal(request: Request, *, touch: bool = True) -> Who:
        # A write: an idle session is ended (and stays ended) even though we refuse.
        failure = None
        with database.write() as s:
            try:
                who = load_session(s, request, touch=touch)
            except Refusal as exc:
                failure = exc
        if failure is not None:
            raise failure
        return who

    async def reader(request: Request) -> Who:
        return await run_in_threadpool(session_or_refusal, request)

    async def actor(request: Request) -> Who:
        """A state-changing request: a live session and its CSRF token (header or form)."""
        who = await run_in_threadpool(session_or_refusal, request)
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent and request.headers.get("content-type", "").startswith(
                "application/x-www-form-urlencoded"):
            form = await request.form()
            sent = str(form.get("csrf_token", ""))
        if not hmac.compare_digest(sent.encode(), who.csrf.encode()):
            def note() -> None:
                with database.write() as s:
                    audit(s, "console_csrf_refused", request, staff_no=who.staff_no,
                          detail=f"{request.method} {request.url.path}"[:200])
            await run_in_threadpool(note)
            log.warning("console: refused a request without a valid CSRF token (%s)",
                        who.staff_no)
            raise Refusal(403, "csrf", "请求缺少有效的安全令牌，已拒绝。请刷新页面后重试。")
        return who

    Reader = Annotated[Who, Depends(reader)]
    Actor = Annotated[Who, Depends(actor)]

    from backend.fleet import add_fleet_routes  # the fleet view (docs/decisions/0028)

    add_fleet_routes(app, database, options=options, Reader=Reader, Actor=Actor)

    # --- pages ------------------------------------------------------------------------------

    @app.get("/console", include_in_schema=False)
    def console_root():
        return RedirectResponse("/console/", status_code=308)

    @app.get("/console/", include_in_schema=False)
    def console_page():
        return Response((STATIC / "index.html").read_bytes(), media_type=STATIC_TYPES[".html"],
                        headers=PAGE_HEADERS)

    @app.get("/console/fleet", include_in_schema=False)
    def fleet_page():
        """The fleet view (设备管理, backend.fleet); its API checks the role."""
        return Response((STATIC / "fleet.html").read_bytes(), media_type=STATIC_TYPES[".html"],
                        headers=PAGE_HEADERS)

    @app.get("/console/{name}", include_in_schema=False)
    def console_static(name: Annotated[str, PathParam(pattern=r"^[a-z]+\.(js|css)$")]):
        path = STATIC / name
        if not path.is_file():
            raise Refusal(404, "not_found", "没有这个文件。")
        return Response(path.read_bytes(), media_type=STATIC_TYPES[path.suffix],
                        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})

    # --- login / logout ---------------------------------------------------------------------

    def same_origin(request: Request) -> bool:
        """The Origin a browser sends names this host (its scheme is left out: behind a TLS
        proxy the backend itself may be reached over plain http)."""
        origin = request.headers.get("origin")
        if origin is None:
            return True
        return origin.split("://", 1)[-1] == request.headers.get("host", "")

    @app.post("/console/api/login", include_in_schema=False)
    async def login(request: Request):
        if not request.headers.get("content-type", "").startswith("application/json") \
                or not same_origin(request):
            raise Refusal(403, "forbidden", "请从值守台页面登录。")
        try:
            body = json.loads(await request.body())
            staff_no, pin = str(body["staff_no"]).strip(), str(body["pin"])
        except (ValueError, KeyError, TypeError):
            raise Refusal(422, "invalid", "请输入工号和密码。") from None
        return await run_in_threadpool(do_login, request, staff_no, pin)

    def do_login(request: Request, staff_no: str, pin: str) -> Response:
        import re

        now = utcnow()
        wrong = Refusal(401, "wrong", "工号或密码错误。")
        failure = None
        with database.write() as s:
            row = None
            if re.match(ps.STAFF_NO_PATTERN, staff_no) and len(pin) <= 12:
                row = s.scalar(select(StaffAccount).where(StaffAccount.staff_no == staff_no)
                               .with_for_update())
            if row is None:
                burn_pin_check(pin)
                audit(s, "console_login_failed", request,
                      staff_no=staff_no if re.match(ps.STAFF_NO_PATTERN, staff_no) else "",
                      detail="unknown staff number")
                failure = wrong
            elif row.locked_until is not None and row.locked_until > now:
                minutes = max(1, int((row.locked_until - now).total_seconds() // 60) + 1)
                audit(s, "console_login_locked", request, staff_no=staff_no,
                      detail="refused: the account is locked")
                failure = Refusal(403, "locked", f"密码连续输错次数过多，账号已锁定，"
                                                 f"请 {minutes} 分钟后再试。")
            elif not check_staff_pin(row, pin, now, lockout=options.lockout):
                audit(s, "console_login_failed", request, staff_no=staff_no, detail="wrong PIN")
                failure = wrong
                if row.locked_until is not None:
                    audit(s, "console_locked", request, staff_no=staff_no,
                          detail=f"locked for {int(options.lockout.total_seconds() // 60)} min "
                                 "after wrong PINs")
                    minutes = int(options.lockout.total_seconds() // 60)
                    failure = Refusal(403, "locked", f"密码连续输错次数过多，账号已锁定，"
                                                     f"请 {minutes} 分钟后再试。")
            elif (why := st.account_usable(row, now)) is not None:
                audit(s, "console_login_refused", request, staff_no=staff_no, detail=why)
                failure = Refusal(403, "disabled", ENDED_MESSAGES["disabled"])
            else:
                token = secrets.token_urlsafe(32)
                session = ConsoleSession(token_sha256=sha256_hex(token), staff_no=staff_no,
                                         csrf_token=secrets.token_urlsafe(32), created_at=now,
                                         last_seen_at=now, ended_reason="")
                s.add(session)
                s.flush()
                replaced = end_sessions(s, staff_no, "replaced", keep=session.id)
                audit(s, "console_login", request, staff_no=staff_no,
                      detail=f"ended {replaced} other session(s)" if replaced else "")
                who = Who(session, row)
        if failure is not None:
            log.info("console login refused (%s)", failure.error)
            raise failure
        response = JSONResponse({"staff": who.public(), "csrf": who.csrf},
                                headers={"Cache-Control": "no-store"})
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/console",
                            secure=request.url.scheme == "https")
        log.info("console login: staff %s", staff_no)
        return response

    @app.post("/console/api/logout", include_in_schema=False)
    def logout(who: Actor, request: Request):
        with database.write() as s:
            s.execute(update(ConsoleSession).where(ConsoleSession.id == who.session_id)
                      .values(ended_at=utcnow(), ended_reason="logout"))
            audit(s, "console_logout", request, staff_no=who.staff_no)
        response = JSONResponse({"ok": True}, headers={"Cache-Control": "no-store"})
        response.delete_cookie(COOKIE, path="/console", httponly=True, samesite="strict",
                               secure=request.url.scheme == "https")
        return response

    @app.get("/console/api/me", include_in_schema=False)
    def me(who: Reader):
        return JSONResponse({"staff": who.public(), "csrf": who.csrf, "outcomes": OUTCOMES},
                            headers={"Cache-Control": "no-store"})

    # --- the hall ---------------------------------------------------------------------------

    def hall_snapshot(s: Session, who: Who) -> dict[str, Any]:
        now = utcnow()
        q = select(Terminal).where(Terminal.enrolled_at.is_not(None)).order_by(Terminal.id)
        if who.hall:
            q = q.where(Terminal.hall == who.hall)
        terminals = []
        places = {}
        for t in s.scalars(q):
            places[t.id] = t.place
            online = t.last_seen_at is not None and t.last_seen_at + options.offline_after > now
            devices = json.loads(t.devices_json or "{}")
            faults = [{"device": name, "status": d.get("status", ""), "reason": d.get("reason", "")}
                      for name, d in sorted(devices.items())
                      if isinstance(d, dict) and d.get("status") not in ("ok", None)]
            terminals.append({"id": t.id, "place": t.place, "state": t.state or "",
                              "state_reason": t.state_reason, "state_at": iso(t.state_at),
                              "last_seen_at": iso(t.last_seen_at), "online": online,
                              "faults": faults})
        help_rows = []
        if who.role in HELP_ROLES:
            hq = (select(HelpRequestRow).where(HelpRequestRow.state.in_(st.OPEN_STATES))
                  .order_by(HelpRequestRow.waiting_since))
            if who.hall:
                hq = hq.where(HelpRequestRow.hall == who.hall)
            frames = {}
            help_rows = list(s.scalars(hq))
            if help_rows:
                frames = dict(s.execute(select(RemoteFrame.request_id, RemoteFrame.frame_no)
                                        .where(RemoteFrame.request_id.in_(
                                            [r.request_id for r in help_rows]))).all())
            # the item's name from the catalog the backend serves (the terminal sends its id)
            item_names = dict(s.execute(select(CatalogItem.id, CatalogItem.name).where(
                CatalogItem.id.in_({r.item_id for r in help_rows if r.item_id}))).all()) \
                if any(r.item_id for r in help_rows) else {}
            help_rows = [{
                "request_id": r.request_id, "terminal_id": r.terminal_id,
                "place": places.get(r.terminal_id, ""), "screen": r.screen,
                "item_id": r.item_id, "item_name": item_names.get(r.item_id, ""), "step": r.step, "waiting_since": iso(r.waiting_since),
                "state": r.state, "staff_no": r.staff_no, "staff_name": r.staff_name,
                "remote_view": r.remote_view, "version": r.version,
                "mine": r.staff_no == who.staff_no, "frame_no": frames.get(r.request_id, 0),
            } for r in help_rows]
        return {"staff": who.public(), "terminals": terminals, "help": help_rows,
                "can_act": who.role in ACTING_ROLES, "can_audit": who.role in AUDIT_ROLES,
                "sees_help": who.role in HELP_ROLES}

    @app.get("/console/api/hall", include_in_schema=False)
    def hall(who: Reader):
        with database.read() as s:
            snap = hall_snapshot(s, who)
        snap["server_time"] = iso(utcnow())
        return JSONResponse(snap, headers={"Cache-Control": "no-store"})

    @app.get("/console/api/stream", include_in_schema=False)
    async def stream(request: Request):
        """Server-sent events: ``hall`` (the snapshot, whenever it changed; the database is
        polled every `options.poll_s`), ``ended`` (the session ended: its message)."""
        await run_in_threadpool(session_or_refusal, request)

        def tick() -> tuple[str | None, Refusal | None]:
            failure = None
            with database.snapshot() as s:  # reads only, several tables: one snapshot
                try:
                    who = load_session(s, request, touch=False, persist=False)
                except Refusal as exc:
                    failure = exc
                else:
                    snap = hall_snapshot(s, who)
            if failure is not None:
                try:  # again, writing: an idle or disabled session is marked ended
                    session_or_refusal(request, touch=False)
                except Refusal as exc:
                    failure = exc
                return None, failure
            return json.dumps(snap, ensure_ascii=False, sort_keys=True), None

        async def events():
            last, quiet = None, 0.0
            yield "retry: 1000\n\n"
            while not await request.is_disconnected():
                data, ended = await run_in_threadpool(tick)
                if ended is not None:
                    yield (f"event: ended\ndata: "
                           f"{json.dumps({'error': ended.error, 'message': ended.message}, ensure_ascii=False)}\n\n")
                    return
                if data != last:
                    last, quiet = data, 0.0
                    yield f"event: hall\ndata: {data}\n\n"
                elif quiet >= 15:
                    quiet = 0.0
                    yield ": ping\n\n"
                await asyncio.sleep(options.poll_s)
                quiet += options.poll_s

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    # --- help requests ----------------------------------------------------------------------

    RequestId = Annotated[uuid.UUID, PathParam()]

    async def action_body(request: Request) -> dict[str, Any]:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise Refusal(422, "invalid", "请求格式不对。") from None
        if not isinstance(body, dict) or not isinstance(body.get("version"), int):
            raise Refusal(422, "invalid", "请求缺少版本号，请刷新页面。")
        return body

    def act(request: Request, who: Who, request_id: uuid.UUID, body: dict, action: str
            ) -> JSONResponse:
        now = utcnow()
        stale = Refusal(409, "stale", "这条求助刚刚有了变化（可能已有同事处理），已为您刷新，"
                                      "请看最新状态后再操作。")
        with database.write() as s:
            row = s.get(HelpRequestRow, str(request_id), with_for_update=True)
            if row is None or not who.sees(row.hall):
                raise Refusal(404, "not_found", "没有这条求助。")
            if who.role not in ACTING_ROLES:
                raise Refusal(403, "role", "您的角色只能查看，不能处理求助。")
            if body["version"] != row.version:
                failure = stale
            else:
                failure = None
                state, view = ps.HelpState(row.state), ps.RemoteView(row.remote_view)
                mine = row.staff_no == who.staff_no or who.role is ps.StaffRole.SHIFT_LEAD
                if action == "take" and state in (ps.HelpState.OPEN, ps.HelpState.HELD):
                    row.state = ps.HelpState.TAKEN.value
                    row.staff_no, row.staff_name = who.staff_no, who.name
                    kind = "help_taken"
                elif action == "hold" and state is ps.HelpState.TAKEN and mine:
                    st.end_remote_view(s, row)
                    row.state = ps.HelpState.HELD.value
                    kind = "help_held"
                elif action == "finish" and state in (ps.HelpState.TAKEN, ps.HelpState.HELD) \
                        and mine:
                    outcome = str(body.get("outcome", "")).strip()[:200]
                    if not outcome:
                        raise Refusal(422, "outcome", "请选择处理结果。")
                    st.end_remote_view(s, row)
                    row.state, row.outcome = ps.HelpState.FINISHED.value, outcome
                    kind = "help_finished"
                elif action == "view" and state is ps.HelpState.TAKEN \
                        and row.staff_no == who.staff_no \
                        and view in (ps.RemoteView.NONE, ps.RemoteView.ENDED):
                    row.remote_view = ps.RemoteView.REQUESTED.value
                    kind = "remote_view_requested"
                elif action == "view-end" and view in st.LIVE_VIEW and mine:
                    st.end_remote_view(s, row)
                    kind = "remote_view_ended"
                else:
                    failure = Refusal(409, "not_now", "这条求助现在不能这样操作，请看最新状态。")
            if failure is None:
                st.touch(row, now)
                audit(s, kind, request, staff_no=who.staff_no, terminal_id=row.terminal_id,
                      detail=f"help {row.request_id}"
                             + (f": {row.outcome}" if kind == "help_finished" else ""))
                result = {"request_id": row.request_id, "state": row.state,
                          "remote_view": row.remote_view, "version": row.version,
                          "staff_name": row.staff_name}
            else:
                audit(s, "console_action_refused", request, staff_no=who.staff_no,
                      terminal_id=row.terminal_id,
                      detail=f"{action} help {row.request_id}: {failure.error}")
        if failure is not None:
            raise failure
        return JSONResponse(result, headers={"Cache-Control": "no-store"})

    for action in ("take", "hold", "finish", "view", "view-end"):
        def make(action: str):
            async def handler(request_id: RequestId, request: Request, who: Actor):
                body = await action_body(request)
                return await run_in_threadpool(act, request, who, request_id, body, action)
            handler.__name__ = f"console_{action.replace('-', '_')}"
            return handler
        app.post(f"/console/api/help/{{request_id}}/{action}",
                 include_in_schema=False)(make(action))

    @app.get("/console/api/help/{request_id}/frame", include_in_schema=False)
    def frame(request_id: RequestId, who: Reader):
        """The latest frame of a remote view the citizen allowed: for the staff member who
        took the request (or a shift lead)."""
        with database.read() as s:
            row = s.get(HelpRequestRow, str(request_id))
            if row is None or not who.sees(row.hall):
                raise Refusal(404, "not_found", "没有这条求助。")
            if who.role not in ACTING_ROLES or (row.staff_no != who.staff_no and
                                                who.role is not ps.StaffRole.SHIFT_LEAD):
                raise Refusal(403, "role", "只有接单的工作人员能查看这台终端的屏幕。")
            if row.remote_view != ps.RemoteView.ALLOWED:
                raise Refusal(409, "no_consent", "群众尚未同意查看屏幕，或已结束。")
            f = s.get(RemoteFrame, row.request_id)
            if f is None:
                return Response(status_code=204, headers={"Cache-Control": "no-store"})
            jpeg = f.jpeg
        return Response(jpeg, media_type="image/jpeg", headers={"Cache-Control": "no-store"})

    # --- audit (auditor, shift lead) --------------------------------------------------------

    @app.get("/console/api/audit", include_in_schema=False)
    def audit_view(who: Reader):
        if who.role not in AUDIT_ROLES:
            raise Refusal(403, "role", "只有审计人员和值班长能查看审计记录。")
        with database.read() as s:
            tq = select(Terminal.id).where(Terminal.enrolled_at.is_not(None))
            sq = select(StaffAccount.staff_no)
            if who.hall:
                tq, sq = tq.where(Terminal.hall == who.hall), sq.where(StaffAccount.hall
                                                                      == who.hall)
            terminal_ids = list(s.scalars(tq))
            staff_nos = list(s.scalars(sq))
            rows = s.scalars(select(AuditEntry).where(or_(
                AuditEntry.terminal_id.in_(terminal_ids), AuditEntry.staff_no.in_(staff_nos)))
                .order_by(AuditEntry.id.desc()).limit(100)).all()
            log_rows = [{"at": iso(a.at), "kind": a.kind, "staff_no": a.staff_no,
                         "terminal_id": a.terminal_id, "detail": a.detail} for a in rows]
            chains = []
            for tid in terminal_ids:
                count, problem = st.verify_chain(s, tid)
                chains.append({"terminal_id": tid, "entries": count, "problem": problem})
            entries = [{"terminal_id": r.terminal_id, "seq": r.seq, "at": iso(r.at),
                        "action": r.action, "staff_no": r.staff_no,
                        "detail": json.loads(r.detail_json)}
                       for r in s.scalars(select(TerminalAuditRow)
                                          .where(TerminalAuditRow.terminal_id.in_(terminal_ids))
                                          .order_by(TerminalAuditRow.id.desc()).limit(100))]
        return JSONResponse({"log": log_rows, "chains": chains, "entries": entries},
                            headers={"Cache-Control": "no-store"})
