"""Fleet operation (设备管理) at /console/: every terminal of the city (or of the staff member's
hall) with its state, paper forecast and faults, paged and filtered in SQL; remote commands with
expiry and acknowledgement; per-hall configuration profiles validated by the kiosk's own schema;
one-time enrolment codes (docs/decisions/0028).

Nothing lives in a worker's memory: offline is `last_seen_at` older than
`ConsoleOptions.offline_after` at query time, a command's expiry is a stored time the heartbeat
query compares, the print rate is a column the heartbeat updates. Any worker serves any request.

Technicians and shift leads only (checked here, on every request); a staff member bound to a
hall sees and operates that hall only. Every action (and every refusal) is in audit_log.
"""

# No "from __future__ import annotations": FastAPI resolves the Annotated aliases below.
import json
import logging
import math
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session
from typing import Annotated

import protocol as p
from backend.db import Database
from backend.models import ConfigProfile, Terminal, TerminalCommand
from protocol import staff as ps

log = logging.getLogger("backend.fleet")

FLEET_ROLES = (ps.StaffRole.TECHNICIAN, ps.StaffRole.SHIFT_LEAD)
PAPER_TAU_H = 1.0        # the print rate's moving average: one-hour time constant
PAPER_FIRST_H = 5 / 60   # the first rate needs five minutes of counters
PAGE_MAX = 200
COMMAND_TTL = timedelta(hours=2)   # a command not delivered by then expires
# Console command kinds, with what the page says of them.
CONSOLE_COMMANDS = {
    "reload_catalog": "刷新事项目录",
    "restart": "重启",
    "enter_maintenance": "进入维护",
    "leave_maintenance": "退出维护",
    "lock": "锁定",
    "unlock": "解除锁定",
}
FAULTS = ("offline", "device", "paper", "crashed", "any")
CRASHED_WITHIN = timedelta(hours=24)  # the fault filter "crashed": a crash reported this recently
CODE = re.compile(r"^[A-Za-z0-9_.-]{0,32}$")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def iso(dt: datetime | None) -> str | None:
    return dt.replace(tzinfo=timezone.utc).isoformat() if dt else None


# --- the heartbeat's part (one transaction, backend.app.heartbeat) ---------------------------


def record_heartbeat(term, body: p.Heartbeat, now: datetime) -> None:
    """What the fleet view shows of a heartbeat, written on the terminal's row."""
    term.last_seen_at = now
    term.version = body.version
    term.uptime_s = body.uptime_s
    term.backlog = body.backlog
    devices = {k: v.model_dump(mode="json") for k, v in body.devices.items()}
    term.devices_json = json.dumps(devices, ensure_ascii=False, sort_keys=True)
    term.faults = ",".join(sorted(k for k, v in body.devices.items()
                                  if v.status is not p.DeviceState.OK))[:200]
    if (body.state, body.state_reason) != (term.state, term.state_reason):
        term.state, term.state_reason, term.state_at = body.state, body.state_reason, now
    if body.paper is not None:
        update_paper(term, body.paper, now)
    if body.document_paper is not None:  # the A4 printer's, the same way (decision 0036)
        update_paper(term, body.document_paper, now, prefix="doc_paper_")
    term.config_hash = body.config_hash
    crash = body.last_crash
    if crash is not None:
        term.crash_at = crash.at.astimezone(timezone.utc).replace(tzinfo=None)
        term.crash_kind, term.crash_recent = crash.kind, min(crash.recent, 1000)


def update_paper(term: Terminal, paper: p.PaperReport, now: datetime,
                 prefix: str = "paper_") -> None:
    """The paper report and the print rate: sheets an hour, a moving average over about an
    hour of counters (the first one after five minutes). A counter that went down was reset
    (the paper was changed): the rate is kept, counting starts again. `prefix`: the receipt
    printer's columns (paper_*) or the A4 printer's (doc_paper_*)."""
    get = lambda name: getattr(term, prefix + name)  # noqa: E731
    total, at, rate = get("printed_total"), get("at"), get("rate_per_h")
    move_anchor = True
    if total is not None and at is not None and paper.printed_total >= total:
        dt_h = (now - at).total_seconds() / 3600
        if rate is None and dt_h < PAPER_FIRST_H:
            move_anchor = False
        elif dt_h > 0:
            inst = (paper.printed_total - total) / dt_h
            w = 1 - math.exp(-dt_h / PAPER_TAU_H)
            setattr(term, prefix + "rate_per_h",
                    inst if rate is None else rate + w * (inst - rate))
    setattr(term, prefix + "level", paper.level.value)
    setattr(term, prefix + "sheets_left", paper.sheets_left)
    if move_anchor:
        setattr(term, prefix + "printed_total", paper.printed_total)
        setattr(term, prefix + "at", now)


def paper_forecast(level: str, sheets_left: int | None, rate: float | None
                   ) -> tuple[float | None, str]:
    """(hours until the paper runs out or None, the page's words)."""
    if level == p.PaperLevel.OUT:
        return 0.0, "已缺纸"
    if sheets_left is None:
        return None, "余量未知" if level else ""
    if sheets_left == 0:
        return 0.0, "即将缺纸"
    if rate is None:
        return None, "打印速率统计中"
    if rate < 0.05:
        return None, "近期无打印"
    hours = sheets_left / rate
    if hours < 1:
        return hours, f"约 {max(1, round(hours * 60))} 分钟后缺纸"
    if hours < 48:
        return hours, f"约 {round(hours)} 小时后缺纸"
    return hours, f"约 {round(hours / 24)} 天后缺纸"


_PAPER = ("level", "sheets_left", "printed_total", "rate_per_h", "at")
_KEPT = (tuple(f"paper_{f}" for f in _PAPER) + tuple(f"doc_paper_{f}" for f in _PAPER)
         + ("config_hash", "crash_at", "crash_kind", "crash_recent"))
HEARTBEAT_FIELDS = ("id", "state", "state_reason", "state_at") + _KEPT + (
    "command_seq", "command_seq_seen")
UPDATED_FIELDS = ("last_seen_at", "version", "uptime_s", "backlog", "devices_json", "faults",
                  "state", "state_reason", "state_at") + _KEPT + ("command_seq_seen",)
_statements: dict[str, tuple] = {}


def _heartbeat_statements(dialect: str):
    """Built once per dialect: composing SQLAlchemy statements costs more Python than the
    heartbeat's own work (measured, docs/decisions/0028). On PostgreSQL the credentials are one
    array parameter (`= ANY(...)`): one prepared statement whatever the batch's size, where an
    IN list would be parsed and planned again for every size."""
    if dialect not in _statements:
        from sqlalchemy import ARRAY, String, any_, bindparam

        from backend.models import Sequence, TerminalCredential
        from backend.staff import ROSTER_SEQUENCE

        roster = (select(Sequence.value).where(Sequence.name == ROSTER_SEQUENCE)
                  .scalar_subquery())
        read = (select(*(getattr(Terminal, f) for f in HEARTBEAT_FIELDS),
                       func.coalesce(roster, 0), TerminalCredential.token_sha256)
                .join(TerminalCredential, TerminalCredential.terminal_id == Terminal.id)
                .where(TerminalCredential.token_sha256 == any_(
                    bindparam("digests", type_=ARRAY(String)))
                    if dialect == "postgresql" else
                    TerminalCredential.token_sha256.in_(bindparam("digests", expanding=True)))
                .where(TerminalCredential.revoked_at.is_(None)))
        write = (update(Terminal).where(Terminal.id == bindparam("tid"))
                 .values({f: bindparam(f"v_{f}") for f in UPDATED_FIELDS}))
        _statements[dialect] = (read, write)
    return _statements[dialect]


HEARTBEAT_OPENAPI = {
    "requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Heartbeat"}}}},
    "security": [{"terminal": []}],
}


def document_heartbeat(app: FastAPI) -> None:
    """The heartbeat reads its body itself (backend.app): put its schema, and the schemas it
    refers to, into the OpenAPI components as FastAPI would have."""
    original = app.openapi

    def openapi():
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = original()
        body = p.Heartbeat.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, sub in body.pop("$defs", {}).items():
            components.setdefault(name, sub)
        components["Heartbeat"] = body
        schema.setdefault("components", {}).setdefault("securitySchemes", {}).setdefault(
            "terminal", {"type": "http", "scheme": "bearer",
                         "description": "The credential from POST /v1/enrol"})
        app.openapi_schema = schema
        return schema

    app.openapi = openapi


def heartbeat_transaction(s: Session, digest: str, body: p.Heartbeat, now: datetime
                          ) -> tuple[str | None, list[p.Command], int]:
    """One heartbeat in the session's transaction: see `heartbeat_batch`."""
    return heartbeat_batch(s, [(digest, body, now)])[0]


def heartbeat_batch(s: Session, items: list[tuple[str, p.Heartbeat, datetime]]
                    ) -> list[tuple[str | None, list[p.Command], int]]:
    """For each (credential digest, heartbeat, time): (the credential's terminal id or None,
    its commands, the roster version). One SELECT for all (credential, terminal, roster
    version), one UPDATE statement run for each, and the commands only for terminals that had
    some queued since they last had none or that acknowledge some. Nothing is written for a
    credential that names another terminal than its body."""
    conn = s.connection()
    read, write = _heartbeat_statements(conn.dialect.name)
    found = {r[-1]: r for r in conn.execute(read, {"digests": list({d for d, _, _ in items})})}
    results: list[tuple[str | None, list[p.Command], int]] = []
    params = []
    for digest, body, now in items:
        row = found.get(digest)
        if row is None or row[0] != body.terminal_id:
            results.append(((row[0] if row is not None else None), [], 0))
            continue
        term = _Row(**dict(zip(HEARTBEAT_FIELDS, row[:-2])))
        if body.config_hash and body.config_hash != term.config_hash:
            profile_applied(s, term.id, body.config_hash, now)
        record_heartbeat(term, body, now)
        commands: list[p.Command] = []
        if body.acked_command_ids or body.command_results \
                or term.command_seq > term.command_seq_seen:
            commands, open_left = exchange_commands(s, term.id, body, now)
            if not open_left:
                term.command_seq_seen = term.command_seq
            s.flush()
        params.append({"tid": term.id, **{f"v_{f}": getattr(term, f) for f in UPDATED_FIELDS}})
        results.append((term.id, commands, row[-2]))
    if params:
        conn.execute(write, params)
    return results


class HeartbeatBatcher:
    """Group commit of one worker process's heartbeats: the heartbeats that arrive while a
    transaction runs go together in the next one (up to `max_batch`). Each request still
    answers only after its own commit, so nothing is held that another worker needs; under
    light load a batch is one heartbeat. One thread, so no thread-pool hop per request."""

    def __init__(self, database: Database, max_batch: int = 100):
        import queue
        import threading

        self.database, self.max_batch = database, max_batch
        self._queue: "queue.SimpleQueue" = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, digest: str, body: p.Heartbeat, now: datetime):
        """A concurrent.futures.Future of (terminal id or None, commands, roster version)."""
        import threading
        from concurrent.futures import Future

        future: Future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the backend is shutting down")
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="heartbeats",
                                                daemon=True)
                self._thread.start()
            self._queue.put((digest, body, now, future))
        return future

    def close(self) -> None:
        with self._lock:
            self._closed = True
            thread = self._thread
            self._queue.put(None)
        if thread is not None:
            thread.join(10)

    def _run(self) -> None:
        import queue

        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                    break
                batch.append(item)
            try:
                with self.database.write() as s:
                    results = heartbeat_batch(s, [(d, b, n) for d, b, n, _ in batch])
            except BaseException as exc:  # noqa: BLE001 - each request answers it (503, 500)
                for *_, future in batch:
                    future.set_exception(exc)
            else:
                for (*_, future), result in zip(batch, results):
                    future.set_result(result)
            if stop:
                return


class _Row:
    """The terminal's columns the heartbeat reads and writes, as plain attributes."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


def profile_applied(s: Session, terminal_id: str, config_hash: str, now: datetime) -> None:
    """The terminal reports running another pushed profile (rare: only when its hash
    changes): the push of that profile is `applied` (decision 0036), whether or not its
    `accepted` result got through before the restart."""
    s.execute(update(TerminalCommand).where(TerminalCommand.terminal_id == terminal_id)
              .where(TerminalCommand.kind == "new_config")
              .where(TerminalCommand.profile_hash == config_hash)
              .where(TerminalCommand.result.in_(("", "ok", "accepted")))
              .values(result="applied", result_message="",
                      acked_at=func.coalesce(TerminalCommand.acked_at, now)))


def commands_queued(s: Session, terminal_ids) -> None:
    """Tell the terminals' heartbeats to look for commands (in the queuing transaction)."""
    s.execute(update(Terminal).where(Terminal.id.in_(terminal_ids))
              .values(command_seq=Terminal.command_seq + 1))


def exchange_commands(s: Session, terminal_id: str, body: p.Heartbeat, now: datetime
                      ) -> tuple[list[p.Command], bool]:
    """Acks and results in, the pending commands out (not expired, of kinds the terminal
    knows; counted as delivered); and whether any command is still open for it (one of a kind
    it does not know waits for its expiry)."""
    if body.acked_command_ids:
        s.execute(update(TerminalCommand).where(TerminalCommand.terminal_id == terminal_id)
                  .where(TerminalCommand.id.in_(body.acked_command_ids))
                  .where(TerminalCommand.acked_at.is_(None)).values(acked_at=now))
    for r in body.command_results:
        q = (update(TerminalCommand).where(TerminalCommand.terminal_id == terminal_id)
             .where(TerminalCommand.id == r.id))
        if r.ok and r.stage == "accepted":  # never takes an applied one back (late result)
            q = q.where(TerminalCommand.result.in_(("", "ok", "accepted")))
        s.execute(q.values(result=(r.stage or "ok") if r.ok else "failed",
                           result_message=r.message[:200],
                           acked_at=func.coalesce(TerminalCommand.acked_at, now)))
    kinds = set(body.command_kinds or p.BASE_COMMAND_KINDS)
    pending = s.scalars(select(TerminalCommand)
                        .where(TerminalCommand.terminal_id == terminal_id)
                        .where(TerminalCommand.acked_at.is_(None))
                        .where(or_(TerminalCommand.expires_at.is_(None),
                                   TerminalCommand.expires_at > now))
                        .order_by(TerminalCommand.id)).all()
    commands = []
    for c in pending:
        if c.kind not in kinds:
            continue
        c.delivered_count += 1
        commands.append(p.Command(id=c.id, kind=c.kind, payload=json.loads(c.payload_json),
                                  issued_at=c.created_at.replace(tzinfo=timezone.utc)))
    return commands, bool(pending)


def command_status(c: TerminalCommand, now: datetime) -> tuple[str, str]:
    """(status code, the page's words) of a command."""
    if c.acked_at is not None:
        if c.result == "failed":
            return "failed", "执行失败" + (f"：{c.result_message}" if c.result_message else "")
        if c.result == "accepted":
            return "accepted", "已接受，待终端空闲时重启生效"
        if c.result == "applied":
            return "applied", "已生效（终端已按此配置运行）"
        return "done", "已执行" + (f"（{c.result_message}）" if c.result_message else "")
    if c.expires_at is not None and c.expires_at <= now:
        return "expired", "已过期（终端未在期限内上线）"
    if c.delivered_count:
        return "delivered", "已送达，等待执行确认"
    return "waiting", "等待终端上线"


def command_json(c: TerminalCommand, now: datetime) -> dict[str, Any]:
    status, words = command_status(c, now)
    return {"id": c.id, "terminal_id": c.terminal_id, "kind": c.kind,
            "label": CONSOLE_COMMANDS.get(c.kind, "推送配置" if c.kind == "new_config" else c.kind),
            "status": status, "status_text": words, "issued_by": c.issued_by,
            "created_at": iso(c.created_at), "expires_at": iso(c.expires_at),
            "acked_at": iso(c.acked_at)}


# --- profiles -----------------------------------------------------------------------------


def profile_problems(profile: Any) -> list[str]:
    """The kiosk schema's messages for a hall profile (empty: valid). The profile is laid over
    the defaults, as a terminal lays it over its file; a terminal's identity and paths are not
    set centrally."""
    from kiosk.config import ConfigError, parse_config  # the kiosk's own schema (0028)

    if not isinstance(profile, dict) or not profile:
        return ["配置须为非空的 JSON 对象（与 terminal.toml 的节一致）"]
    problems = []
    if "paths" in profile:
        problems.append("key 'paths': cannot be changed remotely")
    if isinstance(profile.get("terminal"), dict) and "id" in profile["terminal"]:
        problems.append("key 'terminal.id': each terminal's own, not set per hall")
    try:
        parse_config(profile, "profile")
    except ConfigError as exc:
        problems.extend(exc.problems)
    return problems


# --- the console routes ---------------------------------------------------------------------


def add_fleet_routes(app: FastAPI, database: Database, *, options, Reader, Actor) -> None:
    from backend.console import Refusal, audit
    from backend.enrolment import issue_enrolment_code

    def fleet_staff(who, request: Request, s: Session | None = None, what: str = "") -> None:
        if who.role in FLEET_ROLES:
            return
        with database.write() as w:
            audit(w, "console_action_refused", request, staff_no=who.staff_no,
                  detail=f"fleet {what or request.url.path}: role {who.role.value}"[:200])
        raise Refusal(403, "role", "只有技术员和值班长能使用设备管理。")

    def visible(q, who):
        return q.where(Terminal.hall == who.hall) if who.hall else q

    def fleet_page(s: Session, who, *, district: str, hall: str, fault: str, search: str,
                   page: int, size: int) -> dict[str, Any]:
        now = utcnow()
        cutoff = now - options.offline_after
        base = visible(select(Terminal).where(Terminal.enrolled_at.is_not(None)), who)
        offline = or_(Terminal.last_seen_at.is_(None), Terminal.last_seen_at <= cutoff)
        paper = or_(Terminal.paper_level.in_(("low", "out")),
                    Terminal.doc_paper_level.in_(("low", "out")))
        device = Terminal.faults != ""
        crashed = and_(Terminal.crash_at.is_not(None), Terminal.crash_at > now - CRASHED_WITHIN)
        q = base
        if district:
            q = q.where(Terminal.district == district)
        if hall:
            q = q.where(Terminal.hall == hall)
        if search:
            like = f"%{search.replace('%', '').replace('_', '')}%"
            q = q.where(or_(Terminal.id.like(like), Terminal.place.like(like)))
        if fault == "offline":
            q = q.where(offline)
        elif fault == "device":
            q = q.where(device)
        elif fault == "paper":
            q = q.where(paper)
        elif fault == "crashed":
            q = q.where(crashed)
        elif fault == "any":
            q = q.where(or_(offline, device, paper, crashed))
        total = s.scalar(select(func.count()).select_from(q.subquery()))
        counts = s.execute(select(
            func.count(),
            func.count().filter(offline),
            func.count().filter(and_(device, ~offline)),
            func.count().filter(paper),
            func.count().filter(crashed)).select_from(Terminal)
            .where(Terminal.enrolled_at.is_not(None))
            .where(Terminal.hall == who.hall if who.hall else True)).one()
        rows = s.scalars(q.order_by(Terminal.id).offset((page - 1) * size).limit(size)).all()
        ids = [t.id for t in rows]
        last_cmd: dict[str, TerminalCommand] = {}
        if ids:
            for c in s.scalars(select(TerminalCommand).where(TerminalCommand.terminal_id.in_(ids))
                               .order_by(TerminalCommand.id.desc()).limit(len(ids) * 3)):
                last_cmd.setdefault(c.terminal_id, c)
        terminals = []
        for t in rows:
            hours, words = paper_forecast(t.paper_level, t.paper_sheets_left, t.paper_rate_per_h)
            doc_hours, doc_words = paper_forecast(t.doc_paper_level, t.doc_paper_sheets_left,
                                                  t.doc_paper_rate_per_h)
            devices = json.loads(t.devices_json or "{}")
            terminals.append({
                "id": t.id, "place": t.place, "district": t.district, "hall": t.hall,
                "state": t.state, "state_reason": t.state_reason, "version": t.version,
                "last_seen_at": iso(t.last_seen_at),
                "online": t.last_seen_at is not None and t.last_seen_at > cutoff,
                "devices": devices, "faults": [f for f in t.faults.split(",") if f],
                "backlog": t.backlog, "paper_level": t.paper_level,
                "paper_sheets_left": t.paper_sheets_left,
                "paper_rate_per_h": round(t.paper_rate_per_h, 1)
                if t.paper_rate_per_h is not None else None,
                "paper_hours": round(hours, 2) if hours is not None else None,
                "paper_forecast": words,
                "doc_paper_level": t.doc_paper_level,
                "doc_paper_sheets_left": t.doc_paper_sheets_left,
                "doc_paper_rate_per_h": round(t.doc_paper_rate_per_h, 1)
                if t.doc_paper_rate_per_h is not None else None,
                "doc_paper_hours": round(doc_hours, 2) if doc_hours is not None else None,
                "doc_paper_forecast": doc_words,
                "config_hash": t.config_hash,
                "last_crash": {"at": iso(t.crash_at), "kind": t.crash_kind,
                               "recent": t.crash_recent} if t.crash_at is not None else None,
                "last_command": command_json(last_cmd[t.id], now) if t.id in last_cmd else None,
            })
        facets = visible(select(Terminal.district, Terminal.hall)
                         .where(Terminal.enrolled_at.is_not(None)), who).distinct()
        pairs = s.execute(facets).all()
        return {"total": total, "page": page, "size": size, "terminals": terminals,
                "summary": {"terminals": counts[0], "offline": counts[1], "device": counts[2],
                            "paper": counts[3], "crashed": counts[4]},
                "districts": sorted({d for d, _ in pairs if d}),
                "halls": sorted({h for _, h in pairs if h}),
                "offline_after_s": int(options.offline_after.total_seconds()),
                "server_time": iso(now), "commands": CONSOLE_COMMANDS}

    def text_param(request: Request, name: str, limit: int = 32) -> str:
        value = request.query_params.get(name, "").strip()
        if len(value) > limit or (name != "q" and not CODE.match(value)):
            raise Refusal(422, "invalid", "筛选条件格式不对。")
        return value

    @app.get("/console/api/fleet", include_in_schema=False)
    def fleet(who: Reader, request: Request):
        fleet_staff(who, request, what="list")
        district, hall = text_param(request, "district"), text_param(request, "hall")
        fault, search = text_param(request, "fault"), text_param(request, "q", 40)
        if fault and fault not in FAULTS:
            raise Refusal(422, "invalid", "故障筛选只能是 offline、device、paper、crashed 或 any。")
        try:
            page = max(1, int(request.query_params.get("page", "1")))
            size = min(PAGE_MAX, max(1, int(request.query_params.get("size", "50"))))
        except ValueError:
            raise Refusal(422, "invalid", "页码格式不对。") from None
        with database.snapshot() as s:
            result = fleet_page(s, who, district=district, hall=hall, fault=fault,
                                search=search, page=page, size=size)
        return JSONResponse(result, headers={"Cache-Control": "no-store"})

    TerminalPath = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$")]

    async def json_body(request: Request) -> dict[str, Any]:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise Refusal(422, "invalid", "请求格式不对。") from None
        if not isinstance(body, dict):
            raise Refusal(422, "invalid", "请求格式不对。")
        return body

    @app.get("/console/api/fleet/terminals/{terminal_id}/commands", include_in_schema=False)
    def commands(terminal_id: TerminalPath, who: Reader, request: Request):
        fleet_staff(who, request, what="commands")
        now = utcnow()
        with database.read() as s:
            t = s.get(Terminal, terminal_id)
            if t is None or not who.sees(t.hall):
                raise Refusal(404, "not_found", "没有这台终端。")
            rows = [command_json(c, now) for c in s.scalars(
                select(TerminalCommand).where(TerminalCommand.terminal_id == terminal_id)
                .order_by(TerminalCommand.id.desc()).limit(20))]
        return JSONResponse({"commands": rows}, headers={"Cache-Control": "no-store"})

    @app.post("/console/api/fleet/terminals/{terminal_id}/commands", include_in_schema=False)
    async def send_command(terminal_id: TerminalPath, request: Request, who: Actor):
        body = await json_body(request)
        from starlette.concurrency import run_in_threadpool
        return await run_in_threadpool(do_send_command, terminal_id, request, who, body)

    def do_send_command(terminal_id: str, request: Request, who, body: dict) -> JSONResponse:
        fleet_staff(who, request, what=f"command to {terminal_id}")
        kind = body.get("kind")
        if kind not in CONSOLE_COMMANDS:
            raise Refusal(422, "invalid", "没有这种指令。")
        payload: dict[str, Any] = {}
        if kind == "lock":
            message = str(body.get("message", "")).strip()
            if not message or len(message) > 100:
                raise Refusal(422, "message", "锁定须填写给群众看的说明（1 至 100 字）。")
            payload["message"] = message
        try:
            ttl_min = int(body.get("ttl_min", COMMAND_TTL.total_seconds() // 60))
        except (TypeError, ValueError):
            raise Refusal(422, "invalid", "有效期格式不对。") from None
        if not 1 <= ttl_min <= 7 * 24 * 60:
            raise Refusal(422, "invalid", "有效期须在 1 分钟至 7 天之间。")
        now = utcnow()
        with database.write() as s:
            t = s.get(Terminal, terminal_id)
            if t is None or t.enrolled_at is None or not who.sees(t.hall):
                raise Refusal(404, "not_found", "没有这台终端。")
            c = TerminalCommand(terminal_id=terminal_id, kind=kind,
                                payload_json=json.dumps(payload, ensure_ascii=False),
                                created_at=now, expires_at=now + timedelta(minutes=ttl_min),
                                issued_by=who.staff_no, result="", result_message="",
                                delivered_count=0)
            s.add(c)
            s.flush()
            commands_queued(s, [terminal_id])
            audit(s, "fleet_command", request, staff_no=who.staff_no, terminal_id=terminal_id,
                  detail=f"{kind} #{c.id}, expires in {ttl_min} min")
            result = command_json(c, now)
        log.info("fleet: %s sent %s to %s", who.staff_no, kind, terminal_id)
        return JSONResponse(result, status_code=201, headers={"Cache-Control": "no-store"})

    # --- profiles ---------------------------------------------------------------------------

    @app.get("/console/api/fleet/profiles", include_in_schema=False)
    def profiles(who: Reader, request: Request):
        fleet_staff(who, request, what="profiles")
        with database.read() as s:
            q = select(ConfigProfile).order_by(ConfigProfile.hall)
            if who.hall:
                q = q.where(ConfigProfile.hall == who.hall)
            rows = [{"hall": r.hall, "profile": json.loads(r.profile_json), "version": r.version,
                     "updated_by": r.updated_by, "updated_at": iso(r.updated_at)}
                    for r in s.scalars(q)]
        return JSONResponse({"profiles": rows}, headers={"Cache-Control": "no-store"})

    @app.put("/console/api/fleet/profiles/{hall}", include_in_schema=False)
    async def put_profile(hall: Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_.-]{1,32}$")],
                          request: Request, who: Actor):
        body = await json_body(request)
        from starlette.concurrency import run_in_threadpool
        return await run_in_threadpool(do_put_profile, hall, request, who, body)

    def do_put_profile(hall: str, request: Request, who, body: dict) -> JSONResponse:
        fleet_staff(who, request, what=f"profile {hall}")
        if not who.sees(hall):
            raise Refusal(403, "hall", "您只能管理本大厅的配置。")
        profile = body.get("profile")
        problems = profile_problems(profile)
        now = utcnow()
        if problems:
            with database.write() as s:
                audit(s, "fleet_profile_refused", request, staff_no=who.staff_no,
                      detail=f"hall {hall}: {problems[0]}"[:200])
            return JSONResponse({"error": "invalid_profile",
                                 "message": "配置未通过校验，未推送：" + "；".join(problems),
                                 "problems": problems}, status_code=422,
                                headers={"Cache-Control": "no-store"})
        text = json.dumps(profile, ensure_ascii=False, sort_keys=True)
        with database.write() as s:
            row = s.get(ConfigProfile, hall, with_for_update=True)
            if row is None:
                row = ConfigProfile(hall=hall, profile_json=text, version=1,
                                    updated_by=who.staff_no, updated_at=now)
                s.add(row)
            else:
                row.profile_json, row.version = text, row.version + 1
                row.updated_by, row.updated_at = who.staff_no, now
            ids = list(s.scalars(select(Terminal.id).where(Terminal.hall == hall)
                                 .where(Terminal.enrolled_at.is_not(None))))
            # An older push of this hall not yet delivered is superseded: expired now.
            s.execute(update(TerminalCommand).where(TerminalCommand.kind == "new_config")
                      .where(TerminalCommand.terminal_id.in_(select(Terminal.id).where(
                          Terminal.hall == hall)))
                      .where(TerminalCommand.acked_at.is_(None))
                      .values(expires_at=now))
            if ids:
                s.execute(insert(TerminalCommand), [
                    {"terminal_id": tid, "kind": "new_config", "payload_json": text,
                     "profile_hash": p.profile_hash(profile),
                     "created_at": now, "expires_at": now + timedelta(days=7),
                     "issued_by": who.staff_no, "result": "", "result_message": "",
                     "delivered_count": 0} for tid in ids])
                s.execute(update(Terminal).where(Terminal.hall == hall)
                          .where(Terminal.enrolled_at.is_not(None))
                          .values(command_seq=Terminal.command_seq + 1))
            version = row.version
            audit(s, "fleet_profile", request, staff_no=who.staff_no,
                  detail=f"hall {hall} profile v{version} pushed to {len(ids)} terminal(s)")
        return JSONResponse({"hall": hall, "version": version, "terminals": len(ids)},
                            headers={"Cache-Control": "no-store"})

    # --- enrolment codes --------------------------------------------------------------------

    @app.post("/console/api/fleet/enrolment-codes", include_in_schema=False)
    async def enrolment_code(request: Request, who: Actor):
        body = await json_body(request)
        from starlette.concurrency import run_in_threadpool
        return await run_in_threadpool(do_enrolment_code, request, who, body)

    def do_enrolment_code(request: Request, who, body: dict) -> JSONResponse:
        fleet_staff(who, request, what="enrolment code")
        hall = str(body.get("hall", who.hall or "")).strip()
        district = str(body.get("district", "")).strip()
        label = str(body.get("label", "")).strip()[:100]
        terminal_id = str(body.get("terminal_id", "") or "").strip() or None
        if not CODE.match(hall) or not CODE.match(district) or (
                terminal_id is not None
                and not re.match(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$", terminal_id)):
            raise Refusal(422, "invalid", "大厅、区县或终端编号格式不对。")
        if not hall:
            raise Refusal(422, "invalid", "请填写终端所在大厅。")
        if not who.sees(hall):
            raise Refusal(403, "hall", "您只能为本大厅生成注册码。")
        now = utcnow()
        expires = now + timedelta(hours=24)
        with database.write() as s:
            code = issue_enrolment_code(s, now=now, label=label, terminal_id=terminal_id,
                                        max_uses=1, expires_at=expires, hall=hall)
            s.flush()
            from backend.models import EnrolmentCode
            from backend.security import enrolment_code_digest
            row = s.scalar(select(EnrolmentCode).where(
                EnrolmentCode.code_sha256 == enrolment_code_digest(code)))
            row.district = district or None
            audit(s, "fleet_enrolment_code", request, staff_no=who.staff_no,
                  terminal_id=terminal_id or "",
                  detail=f"one-time code for hall {hall}"
                         + (f", district {district}" if district else "") + ", 24 h")
        return JSONResponse({"code": code, "hall": hall, "district": district,
                             "terminal_id": terminal_id, "expires_at": iso(expires)},
                            status_code=201, headers={"Cache-Control": "no-store"})
