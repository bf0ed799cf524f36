"""Hall staff at the backend, over real HTTP (docs/decisions/0019): staff accounts and PIN rules
(admin API), the roster a terminal downloads, help requests and remote view (terminal API), the
hall console's login, lockout, sessions, CSRF and optimistic concurrency, and the terminals'
hash-chained audit entries (accepted, or rejected when altered, removed or reordered)."""

from __future__ import annotations

import ssl
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from backend.app import ConsoleOptions  # noqa: E402
from backend.db import open_database  # noqa: E402
from backend.embedded import EmbeddedBackend  # noqa: E402
from backend.seed import seed_database  # noqa: E402
from backend.staff import pin_problem  # noqa: E402
from protocol import staff as ps  # noqa: E402
from protocol.demo import DEMO_BADGE_QR, DEMO_BADGE_TOKEN, DEMO_HALL, DEMO_STAFF  # noqa: E402

ADMIN = "staff-test-admin"
ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200 + b"\xff\xd9"  # magic is all the backend checks
LOCKOUT = timedelta(minutes=7)

STAFF = {  # staff_no: (name, role, hall, pin)
    "3001": ("孙帮", "helper", "hall-a", "258013"),
    "3002": ("周帮", "helper", "hall-b", "369024"),
    "3003": ("吴审", "auditor", "", "470135"),
    "3004": ("郑技", "technician", "hall-a", "581246"),
    "3005": ("冯长", "shift_lead", "hall-a", "692357"),
    "3006": ("陈帮", "helper", "hall-a", "703468"),
}


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


pytest_plugins = ["pg"]  # the fixture pg_url (tests/pg.py): the same tests on PostgreSQL


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def backend(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('staff') / 'backend.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_url")
    db = open_database(url)
    seed_database(db, citizens=4, catalog_limit=5)
    db.close()
    server = EmbeddedBackend(url, admin_token=ADMIN, console=ConsoleOptions(lockout=LOCKOUT))
    server.start()
    yield server
    server.stop()


def sql(backend, statement: str, **params):
    """Run SQL on the backend's database (SQLite or PostgreSQL): what a test changes behind the
    backend's back (a clock moved on, a stored row edited)."""
    from sqlalchemy import text

    with backend.app.state.db.write() as s:
        return s.execute(text(statement), params).fetchall() if statement.lstrip().upper() \
            .startswith("SELECT") else s.execute(text(statement), params)


def cli(backend, *args):
    return subprocess.run([sys.executable, "-m", "backend", *args, "--db",
                           backend.database_url], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)


def ago(**delta) -> datetime:
    return (datetime.now(timezone.utc) - timedelta(**delta)).replace(tzinfo=None)


@pytest.fixture(scope="module")
def admin(backend):
    with httpx.Client(base_url=backend.url, timeout=20, headers=ADMIN_AUTH) as c:
        for no, (name, role, hall, pin) in STAFF.items():
            r = c.put(f"/v1/admin/staff/{no}", json={"name": name, "role": role, "hall": hall,
                                                     "pin": pin})
            assert r.status_code in (200, 201), r.text
        yield c


def enrol(backend, admin, terminal_id: str, hall: str) -> dict:
    code = admin.post("/v1/admin/enrolment-codes",
                      json={"terminal_id": terminal_id, "hall": hall}).json()["code"]
    r = httpx.post(f"{backend.url}/v1/enrol",
                   json={"enrolment_code": code, "terminal_id": terminal_id})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['credential']}"}


@pytest.fixture(scope="module")
def terminals(backend, admin):
    return {tid: enrol(backend, admin, tid, hall)
            for tid, hall in (("T-A1", "hall-a"), ("T-A2", "hall-a"), ("T-B1", "hall-b"))}


@pytest.fixture()
def term(backend):
    with httpx.Client(base_url=backend.url, timeout=20) as c:
        yield c


class Console:
    """A browser of the hall console: its own cookie jar and the CSRF token it was given."""

    def __init__(self, url: str):
        self.http = httpx.Client(base_url=url, timeout=20)
        self.csrf = ""

    def login(self, staff_no: str, pin: str) -> httpx.Response:
        r = self.http.post("/console/api/login", json={"staff_no": staff_no, "pin": pin})
        if r.status_code == 200:
            self.csrf = r.json()["csrf"]
        return r

    def act(self, request_id: str, action: str, version: int, *, csrf: str | None = None,
            **extra) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf if csrf is None else csrf}
        return self.http.post(f"/console/api/help/{request_id}/{action}", headers=headers,
                              json={"version": version, **extra})

    def help(self, request_id: str) -> dict:
        r = self.http.get("/console/api/hall")
        assert r.status_code == 200, r.text
        return next(h for h in r.json()["help"] if h["request_id"] == request_id)

    def close(self) -> None:
        self.http.close()


@pytest.fixture()
def console(backend, admin):
    made: list[Console] = []

    def make(staff_no: str | None = None) -> Console:
        c = Console(backend.url)
        made.append(c)
        if staff_no is not None:
            assert c.login(staff_no, STAFF[staff_no][3]).status_code == 200
        return c

    yield make
    for c in made:
        c.close()


def raise_help(term, auth, **fields) -> dict:
    body = {"request_id": str(uuid.uuid4()), "screen": "flow", "item_id": "ss.certificate",
            "step": "consent", "waiting_since": now_iso(), **fields}
    r = term.post(ps.StaffPaths.HELP, json=body, headers=auth)
    assert r.status_code == 201, r.text
    return r.json()


def kinds(admin, n: int = 200) -> list[tuple[str, str, str]]:
    return [(a["kind"], a["staff_no"], a["detail"])
            for a in admin.get("/v1/admin/audit-log", params={"limit": n}).json()]


# --- staff accounts and the roster ------------------------------------------------------------


@pytest.mark.parametrize("pin,why", [
    ("000000", "repeated"), ("123456", "consecutive"), ("654321", "consecutive"),
    ("890123", "consecutive"), ("12345", "6 digits"), ("12a456", "6 digits"),
    ("123123", "common"),
])
def test_trivial_pins_are_refused_with_the_reason(admin, pin, why):
    r = admin.put("/v1/admin/staff/3999", json={"name": "试", "role": "helper", "pin": pin})
    assert r.status_code == 422 and why in r.json()["message"], r.text


def test_staff_accounts_through_the_admin_api(admin):
    assert admin.put("/v1/admin/staff/3998", json={"name": "缺"}).status_code == 422  # no PIN
    r = admin.put("/v1/admin/staff/3998", json={"name": "新人", "role": "helper",
                                                "hall": "hall-a", "pin": "815926"})
    assert r.status_code == 201
    r = admin.put("/v1/admin/staff/3998", json={"role": "shift_lead"})
    assert r.status_code == 200 and r.json()["role"] == "shift_lead" and r.json()["name"] == "新人"
    listed = admin.get("/v1/admin/staff").json()
    assert {"3998", "1001"} <= {a["staff_no"] for a in listed}
    assert all("pin" not in a and "pin_hash" not in a and "badge_hash" not in a for a in listed)
    assert admin.post("/v1/admin/staff/3998/disable").json()["active"] is False
    assert admin.post("/v1/admin/staff/nobody/disable").status_code == 404
    assert httpx.get(f"{admin.base_url}/v1/admin/staff").status_code == 401  # no admin token


def test_roster_is_the_halls_staff_with_hashes_only(term, admin, terminals):
    r = term.get(ps.StaffPaths.ROSTER, headers=terminals["T-A1"])
    roster = ps.StaffRoster.model_validate(r.json())
    nos = {a.staff_no for a in roster.accounts}
    assert roster.hall == "hall-a"
    assert {"3001", "3003", "3004", "3005"} <= nos  # hall-a and the city-wide auditor
    assert "3002" not in nos and "1001" not in nos  # hall-b, demo-hall
    assert all(a.pin_hash.startswith("$argon2id$") for a in roster.accounts)
    assert "258013" not in r.text and '"pin"' not in r.text
    qr = admin.post("/v1/admin/staff/3001/badge").json()["qr"]
    staff_no, token = ps.parse_badge(qr)
    assert staff_no == "3001"
    after = ps.StaffRoster.model_validate(
        term.get(ps.StaffPaths.ROSTER, headers=terminals["T-A1"]).json())
    assert after.version > roster.version
    assert next(a for a in after.accounts if a.staff_no == "3001").badge_hash == \
        ps.badge_hash(token)
    assert token not in term.get(ps.StaffPaths.ROSTER, headers=terminals["T-A1"]).text
    hb = term.post("/v1/heartbeat", headers=terminals["T-A1"], json={
        "terminal_id": "T-A1", "version": "1.0", "uptime_s": 5, "backlog": 0,
        "state": "unavailable", "state_reason": "打印机缺纸",
        "devices": {"printer": {"status": "error", "reason": "缺纸"}}})
    assert hb.json()["roster_version"] == after.version
    listed = {t["id"]: t for t in admin.get("/v1/admin/terminals").json()}
    assert listed["T-A1"]["hall"] == "hall-a" and listed["T-A1"]["state"] == "unavailable"
    assert listed["T-A1"]["state_reason"] == "打印机缺纸"
    assert term.get(ps.StaffPaths.ROSTER).status_code == 401


def test_demo_staff_and_badge_are_seeded(backend, admin):
    listed = {a["staff_no"]: a for a in admin.get("/v1/admin/staff").json()}
    for m in DEMO_STAFF:
        assert listed[m.staff_no]["role"] == m.role and listed[m.staff_no]["hall"] == "demo-hall"
        assert pin_problem(m.pin) is None  # the demo's PINs obey the rules
    assert listed["1001"]["has_badge"]
    assert ps.parse_badge(DEMO_BADGE_QR) == ("1001", DEMO_BADGE_TOKEN)
    c = Console(backend.url)
    try:
        assert c.login("1001", DEMO_STAFF[0].pin).status_code == 200
    finally:
        c.close()


def test_staff_cli(backend, admin):
    r = cli(backend, "staff", "add", "--no", "3997", "--name", "命令", "--role", "helper", "--hall",
            "hall-a", "--pin", "111111")
    assert r.returncode == 2 and "repeated" in r.stderr
    r = cli(backend, "staff", "add", "--no", "3997", "--name", "命令", "--role", "helper", "--hall",
            "hall-a", "--pin", "926037")
    assert r.returncode == 0, r.stderr
    r = cli(backend, "staff", "badge", "3997")
    assert r.returncode == 0 and ps.parse_badge(r.stdout.strip())[0] == "3997"
    assert cli(backend, "staff", "disable", "3997").returncode == 0
    r = cli(backend, "staff", "list")
    assert "3997\t命令\thelper\thall-a\tinactive, badge" in r.stdout


# --- the hall console: login and sessions -----------------------------------------------------


def test_unknown_number_and_wrong_pin_get_the_same_answer(console, admin):
    c = console()
    unknown, wrong = c.login("9999", "258013"), c.login("3006", "999999")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json() == {"error": "wrong", "message": "工号或密码错误。"}
    assert c.login("3006", STAFF["3006"][3]).status_code == 200  # a success resets the count
    log = kinds(admin)
    assert ("console_login_failed", "9999", "unknown staff number") in log
    assert ("console_login_failed", "3006", "wrong PIN") in log


def test_five_wrong_pins_lock_the_account(backend, console, admin):
    c = console()
    answers = [c.login("3006", "999999") for _ in range(5)]
    assert [a.status_code for a in answers] == [401] * 4 + [403]
    assert "锁定" in answers[-1].json()["message"] and "7 分钟" in answers[-1].json()["message"]
    right = c.login("3006", STAFF["3006"][3])
    assert right.status_code == 403 and right.json()["error"] == "locked"  # even the right PIN
    assert ("console_locked", "3006") in [k[:2] for k in kinds(admin)]
    sql(backend, "UPDATE staff_accounts SET locked_until = :t WHERE staff_no = '3006'",
        t=ago(seconds=1))  # the lockout's time has passed
    assert c.login("3006", STAFF["3006"][3]).status_code == 200


def test_disabled_and_expired_staff_are_refused(console, admin):
    admin.put("/v1/admin/staff/3996", json={"name": "过期", "role": "helper", "hall": "hall-a",
                                            "pin": "137048"})
    c = console()
    assert c.login("3996", "137048").status_code == 200
    admin.put("/v1/admin/staff/3996", json={
        "expires_at": (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat()})
    r = c.http.get("/console/api/hall")  # the open session ends at once
    assert r.status_code == 401 and r.json()["error"] == "disabled"
    r = c.login("3996", "137048")
    assert r.status_code == 403 and "停用或已过期" in r.json()["message"]
    assert c.login("3996", "999999").json()["error"] == "wrong"  # no hint without the PIN
    admin.put("/v1/admin/staff/3995", json={"name": "停用", "role": "helper", "pin": "248159"})
    admin.post("/v1/admin/staff/3995/disable")
    assert c.login("3995", "248159").json()["error"] == "disabled"


def test_forged_cookie_and_missing_or_wrong_csrf(backend, console, term, terminals, admin):
    forged = httpx.Client(base_url=backend.url, cookies={"kiosk_console": "forged-token"})
    try:
        assert forged.get("/console/api/hall").status_code == 401
        assert forged.post("/console/api/logout").status_code == 401
    finally:
        forged.close()
    c = console("3001")
    req = raise_help(term, terminals["T-A1"])
    for csrf in ("", "not-the-token", c.csrf[:-1] + ("A" if c.csrf[-1] != "A" else "B")):
        r = c.act(req["request_id"], "take", 1, csrf=csrf)
        assert r.status_code == 403 and r.json()["error"] == "csrf"
    assert c.help(req["request_id"])["state"] == "open"  # nothing happened
    r = c.http.post("/console/api/login", data={"staff_no": "3001", "pin": "258013"})
    assert r.status_code == 403  # a cross-site form cannot log anyone in
    r = c.http.post("/console/api/login", json={"staff_no": "3001", "pin": "258013"},
                    headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    assert ("console_csrf_refused", "3001") in [k[:2] for k in kinds(admin)]


def test_a_second_browser_ends_the_first_session(console, admin):
    first, second = console("3005"), console()
    assert second.login("3005", STAFF["3005"][3]).status_code == 200
    r = first.http.get("/console/api/hall")
    assert r.status_code == 401 and r.json()["error"] == "replaced"
    assert r.json()["message"] == "您的账号已在其他地方登录，本页已退出。"
    assert second.http.get("/console/api/hall").status_code == 200
    r = second.http.post("/console/api/logout", headers={"X-CSRF-Token": second.csrf})
    assert r.status_code == 200
    assert second.http.get("/console/api/hall").status_code == 401  # the cookie is gone
    log = [k[:2] for k in kinds(admin)]
    assert ("console_login", "3005") in log and ("console_logout", "3005") in log


def test_an_idle_session_expires(backend, console):
    c = console("3004")
    sql(backend, "UPDATE console_sessions SET last_seen_at = :t WHERE staff_no = '3004' "
        "AND ended_at IS NULL", t=ago(hours=1))
    r = c.http.get("/console/api/hall")
    assert r.status_code == 401 and r.json()["error"] == "idle"


def test_cookie_flags(backend, console):
    c = console()
    r = c.login("3001", STAFF["3001"][3])
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/console" in cookie
    assert "secure" not in cookie  # plain http on loopback; https sets it
    token = c.http.cookies["kiosk_console"]
    stored = [r[0] for r in sql(backend, "SELECT token_sha256 FROM console_sessions")]
    assert token not in stored and ps.badge_hash(token) in stored  # sha256 hex, never the token
    page = c.http.get("/console/")
    assert page.status_code == 200 and "大厅值守台" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]


# --- help requests -----------------------------------------------------------------------------


def test_help_lifecycle_and_only_own_requests(term, terminals, console, admin):
    a1, a2 = terminals["T-A1"], terminals["T-A2"]
    body = {"request_id": str(uuid.uuid4()), "screen": "flow", "item_id": "ss.certificate",
            "step": "consent", "waiting_since": now_iso()}
    first = term.post(ps.StaffPaths.HELP, json=body, headers=a1)
    again = term.post(ps.StaffPaths.HELP, json=body, headers=a1)  # a retried POST
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json() and first.json()["state"] == "open"
    rid = body["request_id"]
    one = ps.StaffPaths.HELP_ONE.format(request_id=rid)
    assert term.get(one, headers=a2).status_code == 403
    assert term.post(ps.StaffPaths.HELP_CANCEL.format(request_id=rid), headers=a2).status_code \
        == 403
    assert term.post(ps.StaffPaths.HELP, json=body, headers=a2).status_code == 403
    assert term.get(ps.StaffPaths.HELP_ONE.format(request_id=uuid.uuid4()),
                    headers=a1).status_code == 404

    helper, other = console("3001"), console("3006")
    seen = helper.help(rid)
    assert seen["terminal_id"] == "T-A1" and seen["screen"] == "flow"
    assert helper.act(rid, "take", seen["version"]).status_code == 200
    status = term.get(one, headers=a1).json()
    assert status["state"] == "taken" and status["staff_name"] == "孙帮"
    assert status["staff_no"] == "3001"
    replayed = helper.act(rid, "take", seen["version"])  # the same request again
    assert replayed.status_code == 409 and "刷新" in replayed.json()["message"]
    stale = other.act(rid, "take", seen["version"])  # a colleague with an older page
    assert stale.status_code == 409
    now = helper.help(rid)
    assert other.act(rid, "finish", now["version"], outcome="已解决").status_code == 409  # not theirs
    assert helper.act(rid, "hold", now["version"]).status_code == 200
    assert term.get(one, headers=a1).json()["state"] == "held"
    v = helper.help(rid)["version"]
    assert helper.act(rid, "finish", v).status_code == 422  # an outcome is needed
    assert helper.act(rid, "finish", v, outcome="已解决").status_code == 200
    done = term.get(one, headers=a1).json()
    assert done["state"] == "finished" and done["outcome"] == "已解决"
    log = kinds(admin)
    assert ("help_taken", "3001", f"help {rid}") in log
    assert ("help_finished", "3001", f"help {rid}: 已解决") in log


def test_a_new_request_replaces_the_older_and_cancel(term, terminals, console):
    a2 = terminals["T-A2"]
    old = raise_help(term, a2)
    new = raise_help(term, a2, screen="home")
    old_now = term.get(ps.StaffPaths.HELP_ONE.format(request_id=old["request_id"]),
                       headers=a2).json()
    assert old_now["state"] == "cancelled"
    r = term.post(ps.StaffPaths.HELP_CANCEL.format(request_id=new["request_id"]), headers=a2)
    assert r.json()["state"] == "cancelled"
    again = term.post(ps.StaffPaths.HELP_CANCEL.format(request_id=new["request_id"]), headers=a2)
    assert again.status_code == 200 and again.json()["state"] == "cancelled"
    c = console("3001")
    ids = {h["request_id"] for h in c.http.get("/console/api/hall").json()["help"]}
    assert new["request_id"] not in ids and old["request_id"] not in ids


def test_roles_in_the_console(term, terminals, console):
    req = raise_help(term, terminals["T-A1"])
    auditor, tech, other_hall = console("3003"), console("3004"), console("3002")
    snap = auditor.http.get("/console/api/hall").json()
    assert snap["can_audit"] and not snap["can_act"]
    assert req["request_id"] in {h["request_id"] for h in snap["help"]}  # city-wide: sees all
    assert auditor.act(req["request_id"], "take", 1).status_code == 403
    assert auditor.http.get("/console/api/audit").status_code == 200
    tsnap = tech.http.get("/console/api/hall").json()
    assert tsnap["help"] == [] and {t["id"] for t in tsnap["terminals"]} == {"T-A1", "T-A2"}
    assert tech.http.get("/console/api/audit").status_code == 403
    assert tech.act(req["request_id"], "take", 1).status_code == 403
    hb = other_hall.http.get("/console/api/hall").json()
    assert {t["id"] for t in hb["terminals"]} == {"T-B1"}
    assert req["request_id"] not in {h["request_id"] for h in hb["help"]}
    assert other_hall.act(req["request_id"], "take", 1).status_code == 404


# --- remote view -------------------------------------------------------------------------------


def test_remote_view_needs_the_citizens_consent(term, terminals, console, admin):
    a1 = terminals["T-A1"]
    req = raise_help(term, a1)
    rid = req["request_id"]
    frame_path = ps.StaffPaths.HELP_FRAME.format(request_id=rid)
    consent_path = ps.StaffPaths.HELP_CONSENT.format(request_id=rid)
    jpeg = {"Content-Type": "image/jpeg", **a1}
    assert term.put(frame_path, content=JPEG, headers=jpeg).status_code == 409  # no consent
    assert term.post(consent_path, json={"allow": True}, headers=a1).status_code == 409
    helper = console("3001")
    helper.act(rid, "take", helper.help(rid)["version"])
    assert helper.act(rid, "view", helper.help(rid)["version"]).status_code == 200
    assert term.get(ps.StaffPaths.HELP_ONE.format(request_id=rid),
                    headers=a1).json()["remote_view"] == "requested"
    assert term.put(frame_path, content=JPEG, headers=jpeg).status_code == 409  # asked only
    assert helper.http.get(f"/console/api/help/{rid}/frame").status_code == 409
    r = term.post(consent_path, json={"allow": True}, headers=a1)
    assert r.json()["remote_view"] == "allowed"
    assert term.put(frame_path, content=JPEG, headers={**a1, "Content-Type": "image/png"}
                    ).status_code == 415
    assert term.put(frame_path, content=b"not a jpeg", headers=jpeg).status_code == 422
    big = b"\xff\xd8\xff" + b"\x00" * ps.MAX_FRAME_BYTES
    assert term.put(frame_path, content=big, headers=jpeg).status_code == 413
    assert term.put(frame_path, content=JPEG, headers=jpeg).status_code == 204
    assert term.put(frame_path, content=JPEG, headers={"Content-Type": "image/jpeg",
                                                        **terminals["T-A2"]}).status_code == 403
    got = helper.http.get(f"/console/api/help/{rid}/frame")
    assert got.status_code == 200 and got.content == JPEG
    assert got.headers["content-type"] == "image/jpeg"
    assert helper.help(rid)["frame_no"] == 1
    colleague = console("3006")  # same hall, not the one who took it
    assert colleague.http.get(f"/console/api/help/{rid}/frame").status_code == 403
    # The citizen ends it: no more frames, the last one is gone.
    r = term.post(consent_path, json={"allow": False}, headers=a1)
    assert r.json()["remote_view"] == "ended"
    assert term.put(frame_path, content=JPEG, headers=jpeg).status_code == 409
    assert helper.http.get(f"/console/api/help/{rid}/frame").status_code == 409
    # Asked again, allowed, then ended from the console.
    helper.act(rid, "view", helper.help(rid)["version"])
    term.post(consent_path, json={"allow": True}, headers=a1)
    assert helper.act(rid, "view-end", helper.help(rid)["version"]).status_code == 200
    assert term.get(ps.StaffPaths.HELP_ONE.format(request_id=rid),
                    headers=a1).json()["remote_view"] == "ended"
    log = [k[:2] for k in kinds(admin)]
    assert ("remote_view_requested", "3001") in log and ("remote_view_ended", "3001") in log


# --- the audit chain ---------------------------------------------------------------------------


def chain(terminal_id: str, n: int, *, start: int = 1, prev: str = ps.GENESIS) -> list[dict]:
    entries = []
    for seq in range(start, start + n):
        e = {"seq": seq, "at": now_iso(), "terminal_id": terminal_id, "action": "staff_login",
             "staff_no": "3001", "detail": {"method": "pin"}, "prev": prev}
        e["hash"] = ps.audit_hash(e)
        prev = e["hash"]
        entries.append(e)
    return entries


def push(term, auth, entries: list[dict]) -> list[dict]:
    events = [{"idempotency_key": str(uuid.uuid4()), "kind": "audit", "occurred_at": now_iso(),
               "payload": e} for e in entries]
    r = term.post("/v1/events", json={"events": events}, headers=auth)
    assert r.status_code == 200, r.text
    return r.json()["results"]


def test_audit_chain_accepted_and_broken_ones_rejected(backend, term, terminals):
    b1 = terminals["T-B1"]
    entries = chain("T-B1", 6)
    assert [r["status"] for r in push(term, b1, entries[:2])] == ["accepted"] * 2
    # Altered: the detail changed after hashing.
    altered = dict(entries[2], detail={"method": "badge"})
    r = push(term, b1, [altered])[0]
    assert r["status"] == "rejected" and "altered" in r["reason"]
    # Removed: entry 3 missing, 4 sent.
    r = push(term, b1, [entries[3]])[0]
    assert r["status"] == "rejected" and "expected seq 3" in r["reason"]
    # Reordered: 4 before 3 in one batch.
    res = push(term, b1, [entries[3], entries[2]])
    assert res[0]["status"] == "rejected" and res[1]["status"] == "accepted"
    # A forged entry 3 relinked (right seq, wrong prev).
    forged = {**entries[3], "seq": 4, "prev": "f" * 64}
    forged["hash"] = ps.audit_hash(forged)
    r = push(term, b1, [forged])[0]
    assert r["status"] == "rejected" and "does not link" in r["reason"]
    # Delivered again under a new key: a duplicate; a different entry 2: rejected.
    assert push(term, b1, [entries[1]])[0]["status"] == "duplicate"
    other2 = chain("T-B1", 2)[1]
    other2_changed = {**other2, "detail": {"x": 1}}
    other2_changed["hash"] = ps.audit_hash(other2_changed)
    assert push(term, b1, [other2_changed])[0]["status"] == "rejected"
    # Another terminal's entry, or not an entry at all.
    r = push(term, b1, chain("T-A1", 1))[0]
    assert r["status"] == "rejected" and "another terminal" in r["reason"]
    r = push(term, b1, [{"n": 1}])[0]
    assert r["status"] == "rejected" and "not an audit entry" in r["reason"]
    assert [r["status"] for r in push(term, b1, entries[3:])] == ["accepted"] * 3
    out = cli(backend, "audit", "verify", "--terminal", "T-B1")
    assert out.returncode == 0 and "6 entries, the chain verifies" in out.stdout
    sql(backend, "UPDATE terminal_audit SET entry_json = replace(entry_json, 'pin', 'badge') "
        "WHERE terminal_id = 'T-B1' AND seq = 4")  # someone edits the stored log
    out = cli(backend, "audit", "verify", "--terminal", "T-B1")
    assert out.returncode == 1 and "entry 4: altered" in out.stdout


def test_the_auditor_reads_the_audit_log_and_the_checked_chains(backend, console, term,
                                                                terminals):
    assert [r["status"] for r in push(term, terminals["T-A2"], chain("T-A2", 2))] == \
        ["accepted"] * 2
    sql(backend, "UPDATE terminal_audit SET entry_json = replace(entry_json, 'pin', 'badge') "
        "WHERE terminal_id = 'T-A2' AND seq = 2")  # someone edits the stored log
    auditor = console("3003")  # city-wide
    view = auditor.http.get("/console/api/audit").json()
    chains = {c["terminal_id"]: c for c in view["chains"]}
    assert chains["T-A2"]["entries"] == 2 and "entry 2: altered" in chains["T-A2"]["problem"]
    assert chains["T-A1"]["problem"] is None
    assert "console_login" in {a["kind"] for a in view["log"]}
    assert {(e["terminal_id"], e["action"]) for e in view["entries"]} >= {("T-A2", "staff_login")}
    lead = console("3005")  # hall-a: its own terminals only
    assert {c["terminal_id"] for c in lead.http.get("/console/api/audit").json()["chains"]} \
        == {"T-A1", "T-A2"}


def test_the_demo_backend_enrols_its_terminal_into_the_demo_hall(tmp_path):
    from wiring.demo_backend import DemoBackend

    with DemoBackend(tmp_path, citizens=4, catalog_limit=5, process=False) as server:
        adapter = server.enrolled("T-DEMO-9")  # an id the seed does not know: the code's hall
        adapter.close()
        listed = httpx.get(f"{server.url}/v1/admin/terminals",
                           headers={"Authorization": f"Bearer {server.admin_token}"}).json()
        assert {t["id"]: t["hall"] for t in listed}["T-DEMO-9"] == DEMO_HALL
        c = Console(server.url)
        try:
            assert c.login(DEMO_STAFF[0].staff_no, DEMO_STAFF[0].pin).status_code == 200
            snap = c.http.get("/console/api/hall").json()
            assert [t["id"] for t in snap["terminals"]] == ["T-DEMO-9"]
        finally:
            c.close()



def test_over_https_the_session_cookie_is_secure(tmp_path):
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    server_pem = tmp_path / "server.pem"
    ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(server_pem))
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    url = f"sqlite:///{tmp_path / 'backend.sqlite3'}"
    db = open_database(url)
    seed_database(db, citizens=1, catalog_limit=1)
    db.close()
    with EmbeddedBackend(url, ssl_certfile=str(server_pem)) as server, \
            httpx.Client(base_url=server.url,
                         verify=ssl.create_default_context(cafile=str(ca_file))) as c:
        m = DEMO_STAFF[0]
        r = c.post("/console/api/login", json={"staff_no": m.staff_no, "pin": m.pin},
                   headers={"Origin": server.url})
        assert r.status_code == 200
        cookie = r.headers["set-cookie"].lower()
        assert "; secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_revision_0005_upgrades_a_database_with_old_staff_rows(tmp_path):
    """Staff rows of revision 0001 (scrypt PINs, roles staff/admin): roles mapped, deactivated
    (no terminal can check scrypt), left out of rosters; terminals in no hall."""
    from alembic import command
    from sqlalchemy import text

    from backend.db import _alembic_config, make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0004")
        conn.execute(text(
            "INSERT INTO staff_accounts (staff_no, name, role, pin_hash, failed_attempts, active)"
            " VALUES ('S001', '王芳', 'staff', 'scrypt$16384$8$1$c2FsdA==$ZGlnZXN0', 0, 1),"
            " ('A001', '赵敏', 'admin', 'scrypt$16384$8$1$c2FsdA==$ZGlnZXN0', 0, 1)"))
        conn.execute(text("INSERT INTO terminals (id, place, created_at, version, uptime_s, "
                          "backlog, devices_json) VALUES ('T-OLD', '', '2026-01-01', '', 0, 0, "
                          "'{}')"))
    migrate(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT staff_no, role, active, hall, badge_hash FROM "
                                 "staff_accounts ORDER BY staff_no")).all()
        terminal = conn.execute(text("SELECT hall, state FROM terminals")).one()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("A001", "shift_lead", 0, "", ""),
                                        ("S001", "helper", 0, "", "")]
    assert tuple(terminal) == ("", "")


def test_a_demo_database_of_an_older_version_gets_the_hall_and_its_staff(tmp_path):
    """`serve --seed-if-empty` on a demo database seeded before staff existed (its citizens
    kept): the hall's staff and the demo terminal's hall are added, so the roster is whole."""
    from sqlalchemy import delete, select

    from backend.models import Citizen, StaffAccount, Terminal
    from backend.seed import DEMO_TERMINAL_ID, seed_fixed

    db = open_database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        seed_database(db, citizens=3, catalog=None)
        with db.write() as s:  # as an older version left it
            s.execute(delete(StaffAccount))
            s.get(Terminal, DEMO_TERMINAL_ID).hall = ""
        seed_fixed(db)
        seed_fixed(db)  # idempotent
        with db.read() as s:
            staff = s.scalars(select(StaffAccount.staff_no).order_by(StaffAccount.staff_no)).all()
            assert staff == sorted(m.staff_no for m in DEMO_STAFF)
            assert s.get(Terminal, DEMO_TERMINAL_ID).hall == DEMO_HALL
            assert len(s.scalars(select(Citizen.id)).all()) == 3
    finally:
        db.close()
