"""Fleet operation at the backend over real HTTP (docs/decisions/0028): roles and hall scope,
CSRF, paging and filters, offline marking from last_seen_at, the paper forecast from the
terminal's own counters, remote commands (delivery, result, expiry, kinds an older terminal
does not know), hall profiles validated by the kiosk's schema, one-time enrolment codes, the
audit of every action. SQLite and PostgreSQL."""

from __future__ import annotations

import sys
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
from backend.fleet import paper_forecast  # noqa: E402
from backend.seed import seed_database  # noqa: E402

ADMIN = "fleet-test-admin"
ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}
STAFF = {  # staff_no: (name, role, hall, pin)
    "4001": ("孙帮", "helper", "hall-a", "258013"),
    "4003": ("吴审", "auditor", "", "470135"),
    "4004": ("郑技", "technician", "", "581246"),
    "4005": ("冯长", "shift_lead", "hall-a", "692357"),
}
pytest_plugins = ["pg"]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def backend(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fleet') / 'backend.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_url")
    db = open_database(url)
    seed_database(db, citizens=1, catalog_limit=3)
    db.close()
    server = EmbeddedBackend(url, admin_token=ADMIN,
                             console=ConsoleOptions(offline_after=timedelta(minutes=3)))
    server.start()
    yield server
    server.stop()


def sql(backend, statement: str, **params):
    from sqlalchemy import text

    with backend.app.state.db.write() as s:
        result = s.execute(text(statement), params)
        return result.fetchall() if statement.lstrip().upper().startswith("SELECT") else None


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


def beat(backend, auth, terminal_id: str, **extra) -> httpx.Response:
    body = {"terminal_id": terminal_id, "version": "0.1.0", "uptime_s": 5, "backlog": 0,
            "devices": {"receipt_printer": {"status": "ok"}}, **extra}
    return httpx.post(f"{backend.url}/v1/heartbeat", json=body, headers=auth, timeout=20)


@pytest.fixture(scope="module")
def terminals(backend, admin):
    made = {}
    for i in range(12):  # hall-a: F-A00..F-A07, hall-b: F-B08..F-B11
        hall = "hall-a" if i < 8 else "hall-b"
        tid = f"F-{'A' if i < 8 else 'B'}{i:02d}"
        made[tid] = enrol(backend, admin, tid, hall)
        assert beat(backend, made[tid], tid).status_code == 200
    return made


class Console:
    def __init__(self, url: str, staff_no: str):
        self.http = httpx.Client(base_url=url, timeout=20)
        r = self.http.post("/console/api/login",
                           json={"staff_no": staff_no, "pin": STAFF[staff_no][3]})
        assert r.status_code == 200, r.text
        self.csrf = r.json()["csrf"]

    def fleet(self, **params) -> httpx.Response:
        return self.http.get("/console/api/fleet", params=params)

    def post(self, path: str, json: dict, csrf: str | None = None) -> httpx.Response:
        return self.http.post(path, json=json,
                              headers={"X-CSRF-Token": self.csrf if csrf is None else csrf})

    def command(self, tid: str, kind: str, **extra) -> httpx.Response:
        return self.post(f"/console/api/fleet/terminals/{tid}/commands", {"kind": kind, **extra})


@pytest.fixture(scope="module")
def tech(backend, admin):
    c = Console(backend.url, "4004")
    yield c
    c.http.close()


def audit_kinds(admin) -> list[tuple[str, str, str]]:
    return [(a["kind"], a["staff_no"], a["detail"])
            for a in admin.get("/v1/admin/audit-log", params={"limit": 300}).json()]


def test_only_technicians_and_shift_leads(backend, admin, terminals, tech):
    for no in ("4001", "4003"):
        c = Console(backend.url, no)
        r = c.fleet()
        assert r.status_code == 403 and "技术员和值班长" in r.json()["message"]
        assert c.command("F-A00", "restart").status_code == 403
        c.http.close()
    assert any(k == "console_action_refused" and s == "4001" for k, s, _ in audit_kinds(admin))
    assert httpx.get(f"{backend.url}/console/api/fleet").status_code == 401
    lead = Console(backend.url, "4005")  # bound to hall-a: sees hall-a only
    body = lead.fleet(size=100).json()
    assert body["total"] == 8 and {t["hall"] for t in body["terminals"]} == {"hall-a"}
    assert lead.command("F-B08", "restart").status_code == 404
    assert lead.post("/console/api/fleet/enrolment-codes", {"hall": "hall-b"}).status_code == 403
    lead.http.close()
    assert tech.fleet(size=100).json()["total"] == 12


def test_csrf_is_required(tech, admin):
    assert tech.command("F-A00", "reload_catalog").status_code == 201
    r = tech.post("/console/api/fleet/terminals/F-A00/commands", {"kind": "restart"},
                  csrf="forged")
    assert r.status_code == 403 and r.json()["error"] == "csrf"
    r = tech.http.post("/console/api/fleet/terminals/F-A00/commands", json={"kind": "restart"})
    assert r.status_code == 403
    assert any(k == "console_csrf_refused" and s == "4004" for k, s, _ in audit_kinds(admin))


def test_paging_and_filters(tech, terminals):
    first = tech.fleet(size=5, page=1).json()
    second = tech.fleet(size=5, page=3).json()
    assert first["total"] == 12 and len(first["terminals"]) == 5 and len(second["terminals"]) == 2
    assert first["terminals"][0]["id"] == "F-A00" and second["terminals"][-1]["id"] == "F-B11"
    assert tech.fleet(hall="hall-b").json()["total"] == 4
    assert set(tech.fleet().json()["halls"]) == {"hall-a", "hall-b"}
    assert tech.fleet(fault="nonsense").status_code == 422
    assert tech.fleet(hall="x' or 1=1").status_code == 422
    assert tech.fleet(q="B1").json()["total"] == 2


def test_offline_and_device_faults(backend, tech, terminals):
    sql(backend, "UPDATE terminals SET last_seen_at = :t WHERE id = 'F-A01'", t=ago(minutes=4))
    beat(backend, terminals["F-A02"], "F-A02",
         devices={"receipt_printer": {"status": "error", "reason": "cover_open"}})
    offline = tech.fleet(fault="offline").json()
    assert [t["id"] for t in offline["terminals"]] == ["F-A01"]
    assert offline["terminals"][0]["online"] is False and offline["summary"]["offline"] == 1
    device = tech.fleet(fault="device").json()
    assert [t["id"] for t in device["terminals"]] == ["F-A02"]
    assert device["terminals"][0]["faults"] == ["receipt_printer"]
    # the next heartbeat brings it back
    assert beat(backend, terminals["F-A01"], "F-A01").status_code == 200
    assert tech.fleet(fault="offline").json()["total"] == 0
    beat(backend, terminals["F-A02"], "F-A02")


def test_paper_forecast_from_the_terminals_print_rate(backend, tech, terminals):
    auth = terminals["F-A03"]
    paper = {"level": "ok", "sheets_left": 400, "printed_total": 100}
    assert beat(backend, auth, "F-A03", paper=paper).status_code == 200
    row = tech.fleet(q="F-A03").json()["terminals"][0]
    assert row["paper_forecast"] == "打印速率统计中"
    # an hour ago it had printed 40 sheets fewer: 40 sheets an hour, 80 left: about 2 hours
    sql(backend, "UPDATE terminals SET paper_at = :t, paper_printed_total = 60 "
                 "WHERE id = 'F-A03'", t=ago(hours=1))
    beat(backend, auth, "F-A03", paper={"level": "low", "sheets_left": 80, "printed_total": 100})
    row = tech.fleet(fault="paper").json()["terminals"][0]
    assert row["id"] == "F-A03" and row["paper_level"] == "low"
    assert row["paper_rate_per_h"] == pytest.approx(40, abs=0.5)
    assert row["paper_forecast"] == "约 2 小时后缺纸"
    # the counter reset (paper changed) keeps the rate and starts counting again
    beat(backend, auth, "F-A03", paper={"level": "ok", "sheets_left": 480, "printed_total": 0})
    assert tech.fleet(q="F-A03").json()["terminals"][0]["paper_forecast"] == "约 12 小时后缺纸"


def test_forecast_words():
    assert paper_forecast("out", 0, 10) == (0.0, "已缺纸")
    assert paper_forecast("low", 10, 60)[1] == "约 10 分钟后缺纸"
    assert paper_forecast("ok", 3000, 30)[1] == "约 4 天后缺纸"
    assert paper_forecast("ok", 300, 0.0)[1] == "近期无打印"
    assert paper_forecast("", None, None)[1] == ""


def test_command_round_trip_with_result(backend, tech, terminals, admin):
    r = tech.command("F-A04", "lock", message="设备维护中，请到一楼窗口办理")
    assert r.status_code == 201 and r.json()["status"] == "waiting"
    cid = r.json()["id"]
    kinds = ["reload_catalog", "enter_maintenance", "leave_maintenance", "new_config",
             "restart", "lock", "unlock"]
    reply = beat(backend, terminals["F-A04"], "F-A04", command_kinds=kinds).json()
    [cmd] = [c for c in reply["commands"] if c["id"] == cid]
    assert cmd["kind"] == "lock" and cmd["payload"]["message"].startswith("设备维护中")
    listed = tech.http.get("/console/api/fleet/terminals/F-A04/commands").json()["commands"]
    assert listed[0]["status"] == "delivered"
    reply = beat(backend, terminals["F-A04"], "F-A04", command_kinds=kinds,
                 acked_command_ids=[cid], command_results=[{"id": cid, "ok": True}]).json()
    assert cid not in [c["id"] for c in reply["commands"]]
    row = tech.fleet(q="F-A04").json()["terminals"][0]
    assert row["last_command"]["status"] == "done" and row["last_command"]["kind"] == "lock"
    assert tech.command("F-A04", "lock").status_code == 422  # a lock needs its message
    assert tech.command("F-A04", "new_config").status_code == 422  # only through a profile
    assert any(k == "fleet_command" and s == "4004" and "lock" in d
               for k, s, d in audit_kinds(admin))


def test_failed_result_is_shown(backend, tech, terminals):
    cid = tech.command("F-A05", "reload_catalog").json()["id"]
    beat(backend, terminals["F-A05"], "F-A05", acked_command_ids=[cid],
         command_results=[{"id": cid, "ok": False, "message": "catalog: timeout"}])
    [c] = [c for c in tech.http.get("/console/api/fleet/terminals/F-A05/commands")
           .json()["commands"] if c["id"] == cid]
    assert c["status"] == "failed" and "catalog: timeout" in c["status_text"]


def test_command_to_an_offline_terminal_waits_and_expires(backend, tech, terminals):
    sql(backend, "UPDATE terminals SET last_seen_at = :t WHERE id = 'F-A06'", t=ago(hours=1))
    cid = tech.command("F-A06", "enter_maintenance", ttl_min=5).json()["id"]
    assert tech.http.get("/console/api/fleet/terminals/F-A06/commands") \
        .json()["commands"][0]["status"] == "waiting"
    stored = sql(backend, "SELECT expires_at FROM terminal_commands WHERE id = :i", i=cid)
    assert stored[0][0] is not None
    sql(backend, "UPDATE terminal_commands SET expires_at = :t WHERE id = :i",
        t=ago(minutes=1), i=cid)
    reply = beat(backend, terminals["F-A06"], "F-A06").json()
    assert cid not in [c["id"] for c in reply["commands"]]
    assert tech.http.get("/console/api/fleet/terminals/F-A06/commands") \
        .json()["commands"][0]["status"] == "expired"


def test_new_kinds_only_to_terminals_that_know_them(backend, tech, terminals):
    cid = tech.command("F-A07", "restart").json()["id"]
    old = beat(backend, terminals["F-A07"], "F-A07").json()  # names no command_kinds
    assert cid not in [c["id"] for c in old["commands"]]
    new = beat(backend, terminals["F-A07"], "F-A07", command_kinds=["restart"]).json()
    assert cid in [c["id"] for c in new["commands"]]


def test_invalid_profile_refused_with_the_schema_message(backend, tech, terminals, admin):
    r = tech.http.put("/console/api/fleet/profiles/hall-b",
                      json={"profile": {"session": {"idle_timeout_s": 5}}},
                      headers={"X-CSRF-Token": tech.csrf})
    assert r.status_code == 422
    assert "key 'session.idle_timeout_s': must be >= 15 (got 5)" in r.json()["message"]
    r = tech.http.put("/console/api/fleet/profiles/hall-b", json={"profile": {"paths": {}}},
                      headers={"X-CSRF-Token": tech.csrf})
    assert r.status_code == 422 and "cannot be changed remotely" in r.json()["message"]
    reply = beat(backend, terminals["F-B08"], "F-B08").json()
    assert not [c for c in reply["commands"] if c["kind"] == "new_config"]
    assert any(k == "fleet_profile_refused" for k, _, _ in audit_kinds(admin))


def test_profile_pushed_to_the_halls_terminals(backend, tech, terminals, admin):
    profile = {"session": {"idle_timeout_s": 90}}
    r = tech.http.put("/console/api/fleet/profiles/hall-b", json={"profile": profile},
                      headers={"X-CSRF-Token": tech.csrf})
    assert r.status_code == 200 and r.json()["terminals"] == 4 and r.json()["version"] == 1
    reply = beat(backend, terminals["F-B09"], "F-B09").json()
    [cmd] = [c for c in reply["commands"] if c["kind"] == "new_config"]
    assert cmd["payload"] == profile
    beat(backend, terminals["F-B09"], "F-B09", acked_command_ids=[cmd["id"]],
         command_results=[{"id": cmd["id"], "ok": False,
                           "message": "key 'session.idle_timeout_s': conflicts"}])
    row = tech.fleet(q="F-B09").json()["terminals"][0]
    assert row["last_command"]["status"] == "failed"
    # a second version supersedes the first where it is not delivered yet
    profile2 = {"session": {"idle_timeout_s": 120}}
    assert tech.http.put("/console/api/fleet/profiles/hall-b", json={"profile": profile2},
                         headers={"X-CSRF-Token": tech.csrf}).json()["version"] == 2
    cmds = [c for c in beat(backend, terminals["F-B10"], "F-B10").json()["commands"]
            if c["kind"] == "new_config"]
    assert [c["payload"] for c in cmds] == [profile2]
    assert tech.http.get("/console/api/fleet/profiles").json()["profiles"][0]["version"] == 2
    assert not [c for c in beat(backend, terminals["F-A00"], "F-A00").json()["commands"]
                if c["kind"] == "new_config"]


def test_a_profile_accepted_then_applied_by_the_hash_the_restarted_terminal_runs(
        backend, tech, terminals):
    """decision 0036: the terminal's `accepted` result (checked and written, restart pending),
    then `applied` when a heartbeat reports running the profile's hash, even if the accepted
    result never got through before the restart; a late `accepted` never takes it back; an
    older terminal (no config_hash) changes nothing."""
    import protocol as p

    profile = {"session": {"idle_timeout_s": 180}}
    assert tech.http.put("/console/api/fleet/profiles/hall-b", json={"profile": profile},
                         headers={"X-CSRF-Token": tech.csrf}).status_code == 200
    ids = {}
    for tid in ("F-B10", "F-B11"):
        [cmd] = [c for c in beat(backend, terminals[tid], tid).json()["commands"]
                 if c["kind"] == "new_config" and c["payload"] == profile]
        ids[tid] = cmd["id"]
    beat(backend, terminals["F-B10"], "F-B10", acked_command_ids=[ids["F-B10"]],
         command_results=[{"id": ids["F-B10"], "ok": True, "stage": "accepted",
                           "message": "restarts to apply it at the next idle moment"}])
    row = tech.fleet(q="F-B10").json()["terminals"][0]
    assert row["last_command"]["status"] == "accepted"
    assert "已接受" in row["last_command"]["status_text"]
    beat(backend, terminals["F-B10"], "F-B10")  # an older heartbeat shape: nothing changes
    assert tech.fleet(q="F-B10").json()["terminals"][0]["last_command"]["status"] == "accepted"
    digest = p.profile_hash(profile)
    for tid in ("F-B10", "F-B11"):  # F-B11's accepted result was lost in its restart
        beat(backend, terminals[tid], tid, config_hash=digest)
        row = tech.fleet(q=tid).json()["terminals"][0]
        assert row["last_command"]["status"] == "applied" and row["config_hash"] == digest
        assert "已生效" in row["last_command"]["status_text"]
    beat(backend, terminals["F-B11"], "F-B11", config_hash=digest, command_results=[
        {"id": ids["F-B11"], "ok": True, "stage": "accepted"}])  # late: ignored
    assert tech.fleet(q="F-B11").json()["terminals"][0]["last_command"]["status"] == "applied"
    # rolled back after all (a crash soon after): failed, with why
    why = "the terminal crashed 12 s after starting with it; previous settings restored"
    beat(backend, terminals["F-B11"], "F-B11", command_results=[
        {"id": ids["F-B11"], "ok": False, "message": why}])
    c = tech.fleet(q="F-B11").json()["terminals"][0]["last_command"]
    assert c["status"] == "failed" and "previous settings restored" in c["status_text"]


def test_last_crash_a4_forecast_and_the_crashed_filter(backend, tech, terminals):
    auth = terminals["F-A01"]
    at = (datetime.now(timezone.utc) - timedelta(minutes=4)).isoformat()
    assert beat(backend, auth, "F-A01", last_crash={"at": at, "kind": "fatal", "recent": 3},
                document_paper={"level": "ok", "sheets_left": 300,
                                "printed_total": 50}).status_code == 200
    sql(backend, "UPDATE terminals SET doc_paper_at = :t, doc_paper_printed_total = 0 "
                 "WHERE id = 'F-A01'", t=ago(hours=1))
    beat(backend, auth, "F-A01", document_paper={"level": "low", "sheets_left": 100,
                                                 "printed_total": 50})
    rows = tech.fleet(fault="crashed").json()["terminals"]
    assert [r["id"] for r in rows] == ["F-A01"]
    row = rows[0]
    assert row["last_crash"]["kind"] == "fatal" and row["last_crash"]["recent"] == 3
    assert row["doc_paper_forecast"] == "约 2 小时后缺纸" and row["doc_paper_level"] == "low"
    assert "F-A01" in [r["id"] for r in tech.fleet(fault="paper", size=200).json()["terminals"]]
    assert tech.fleet().json()["summary"]["crashed"] == 1
    beat(backend, auth, "F-A01")  # no field: the last crash is kept (older terminals send none)
    assert tech.fleet(q="F-A01").json()["terminals"][0]["last_crash"]["kind"] == "fatal"
    # a crash a day old is no longer "crashed"
    sql(backend, "UPDATE terminals SET crash_at = :t WHERE id = 'F-A01'", t=ago(hours=25))
    assert tech.fleet(fault="crashed").json()["terminals"] == []
    assert beat(backend, auth, "F-A01", last_crash={"at": at, "kind": "Bad Kind!"}
                ).status_code == 422


def test_one_time_enrolment_code(backend, tech, admin):
    r = tech.post("/console/api/fleet/enrolment-codes",
                  {"hall": "hall-c", "district": "wujin", "label": "新装"})
    assert r.status_code == 201, r.text
    code = r.json()["code"]
    r = httpx.post(f"{backend.url}/v1/enrol", json={"enrolment_code": code,
                                                    "terminal_id": "F-C01"})
    assert r.status_code == 200
    again = httpx.post(f"{backend.url}/v1/enrol", json={"enrolment_code": code,
                                                        "terminal_id": "F-C02"})
    assert again.status_code == 401  # used up: one-time
    assert tech.fleet(district="wujin").json()["terminals"][0]["hall"] == "hall-c"
    assert any(k == "fleet_enrolment_code" and s == "4004" for k, s, _ in audit_kinds(admin))
    # the code itself is in no audit row
    assert not any(code in d for _, _, d in audit_kinds(admin))


def test_a_replayed_request_after_logout_is_refused(backend, terminals, admin):
    c = Console(backend.url, "4004")
    cookie, csrf = dict(c.http.cookies), c.csrf
    assert c.post("/console/api/logout", {}).status_code == 200
    with httpx.Client(base_url=backend.url, timeout=20, cookies=cookie) as replay:
        r = replay.post("/console/api/fleet/terminals/F-A00/commands", json={"kind": "restart"},
                        headers={"X-CSRF-Token": csrf})
        assert r.status_code == 401
        assert replay.get("/console/api/fleet").status_code == 401
    c.http.close()
    # a forged cookie gets nothing either
    with httpx.Client(base_url=backend.url, timeout=20,
                      cookies={"kiosk_console": "forged-token"}) as forged:
        assert forged.get("/console/api/fleet").status_code == 401
