"""The reference backend over real HTTP: uvicorn on 127.0.0.1 in a thread, a temporary SQLite file
seeded with the full shipped catalog and 300 synthetic citizens, httpx as the terminal."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `backend` is not an installed package (see pyproject)
    sys.path.insert(0, str(ROOT))

from backend import idnumber  # noqa: E402
from backend.catalog import BUNDLED_CATALOG, changes_page, import_catalog  # noqa: E402
from backend.db import head_revision, open_database  # noqa: E402
from backend.embedded import EmbeddedBackend  # noqa: E402
from backend.models import Base, StaffAccount  # noqa: E402
from backend.security import PIN_MAX_FAILURES, check_staff_pin, hash_pin, verify_pin  # noqa: E402
from backend.seed import (  # noqa: E402
    DEMO_CITIZENS,
    DEMO_ENROLMENT_CODE,
    DEMO_TERMINAL_ID,
    make_people,
    seed_database,
)
import protocol as p  # noqa: E402

ADMIN = "test-admin-token"
ZHANG, LI, WANG, CHEN = (c.id_number for c in DEMO_CITIZENS)
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    path = tmp_path_factory.mktemp("backend") / "backend.sqlite3"
    url = f"sqlite:///{path}"
    t0 = time.perf_counter()
    db = open_database(url)
    stats = seed_database(db, citizens=300)
    db.close()
    TIMINGS["seed (full catalog, 300 citizens)"] = time.perf_counter() - t0
    TIMINGS["catalog import"] = stats.catalog.seconds
    server = EmbeddedBackend(url, admin_token=ADMIN)
    server.start()
    server.db_path = path
    server.stats = stats
    yield server
    server.stop()
    print("\nbackend timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in TIMINGS.items()))


@pytest.fixture(scope="module")
def client(backend):
    with httpx.Client(base_url=backend.url, timeout=20) as c:
        yield c


class TerminalAuth(dict):
    """The headers of an enrolled terminal, knowing its id and credential (to sign proofs)."""

    def __init__(self, terminal_id: str, credential: str):
        super().__init__({"Authorization": f"Bearer {credential}"})
        self.terminal_id, self.credential = terminal_id, credential


def enrol(client, terminal_id: str, code: str = DEMO_ENROLMENT_CODE) -> TerminalAuth:
    r = client.post("/v1/enrol", json={"enrolment_code": code, "terminal_id": terminal_id})
    assert r.status_code == 200, r.text
    return TerminalAuth(terminal_id, p.EnrolResponse.model_validate(r.json()).credential)


def make_proof(auth: TerminalAuth, id_number: str, *, method: str = "card_face",
               session_id: str | None = None, at: datetime | None = None,
               ticket: str | None = None, staff_id: str | None = None,
               terminal_id: str | None = None, credential: str | None = None,
               signed_id_number: str | None = None) -> dict:
    """A proof (JSON) as a terminal makes it: signed with its credential over
    `protocol.proof_message`. The keyword overrides make wrong ones (another terminal, another
    citizen, another key)."""
    session_id = session_id or uuid.uuid4().hex
    verified_at = (at or datetime.now(timezone.utc)).isoformat()
    message = p.proof_message(terminal_id=terminal_id or auth.terminal_id,
                              id_number=signed_id_number or id_number, method=method,
                              session_id=session_id, verified_at=verified_at, ticket=ticket,
                              staff_id=staff_id)
    proof = {"method": method, "session_id": session_id, "verified_at": verified_at,
             "signature": p.sign_proof(credential or auth.credential, message)}
    if ticket is not None:
        proof["ticket"] = ticket
    if staff_id is not None:
        proof["staff_id"] = staff_id
    return proof


def proved(auth: TerminalAuth, body: dict, **proof_options) -> dict:
    """`body` (a records, document or access-log request) with a valid proof for its citizen."""
    return {**body, "proof": make_proof(auth, body["id_number"], **proof_options)}


@pytest.fixture(scope="module")
def auth(client):
    return enrol(client, DEMO_TERMINAL_ID)


ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


def error_of(r: httpx.Response) -> p.ErrorBody:
    assert r.headers["content-type"].startswith("application/json"), r.text
    return p.ErrorBody.model_validate(r.json())


def db_rows(backend, sql: str, *params):
    con = sqlite3.connect(backend.db_path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


# --- enrolment and credentials ----------------------------------------------------------------


def bound_code(client, terminal_id: str, **options) -> str:
    """An enrolment code issued by the admin for one terminal id."""
    r = client.post("/v1/admin/enrolment-codes", headers=ADMIN_AUTH,
                    json={"terminal_id": terminal_id, **options})
    assert r.status_code == 201, r.text
    return r.json()["code"]


def enrol_with(client, code: str, terminal_id: str) -> httpx.Response:
    return client.post("/v1/enrol", json={"enrolment_code": code, "terminal_id": terminal_id})


def can_read(client, headers) -> int:
    return client.get("/v1/catalog/changes", params={"limit": 1}, headers=headers).status_code


def test_enrol_gives_a_working_credential_and_re_enrolment_replaces_it(client):
    assert client.get("/v1/health").json()["protocol"] == p.PROTOCOL_VERSION
    first = enrol(client, "T-ENROL-1")
    assert can_read(client, first) == 200
    # Enrolling again takes a code issued for this terminal: a new credential, the old revoked.
    r = enrol_with(client, bound_code(client, "T-ENROL-1"), "T-ENROL-1")
    assert r.status_code == 200, r.text
    second = {"Authorization": f"Bearer {r.json()['credential']}"}
    assert second != first and can_read(client, second) == 200
    r = client.get("/v1/catalog/changes", params={"limit": 1}, headers=first)
    assert r.status_code == 401 and error_of(r).error == "unauthorized"


def test_an_unbound_code_cannot_take_over_an_enrolled_terminal(client, backend, caplog):
    victim = enrol(client, "T-VICTIM")
    # The demo code, and the admin endpoint's default code (bound to no terminal, one use).
    general = client.post("/v1/admin/enrolment-codes", headers=ADMIN_AUTH, json={}).json()
    assert general["terminal_id"] is None and general["max_uses"] == 1
    for code in (DEMO_ENROLMENT_CODE, general["code"]):
        r = enrol_with(client, code, "T-VICTIM")
        assert r.status_code == 403, r.text
        err = error_of(r)
        assert err.error == p.ErrorCode.ALREADY_ENROLLED == "already_enrolled"
        assert "code issued for this terminal" in err.message and "credential" not in r.json()
    assert can_read(client, victim) == 200  # the real terminal keeps its credential
    assert db_rows(backend, "SELECT count(*) FROM terminal_credentials WHERE terminal_id = ? "
                            "AND revoked_at IS NULL", "T-VICTIM") == [(1,)]
    # Recorded for the administrator, without secrets; the refused code was not used up.
    rows = db_rows(backend, "SELECT kind, terminal_id, enrolment_code_id, remote_addr, detail "
                            "FROM audit_log WHERE terminal_id = ? ORDER BY id", "T-VICTIM")
    assert [r[:2] for r in rows] == [("enrolment_takeover_refused", "T-VICTIM")] * 2
    assert all(r[2] is not None and r[3] == "127.0.0.1" for r in rows)
    text = json.dumps(rows) + caplog.text
    assert DEMO_ENROLMENT_CODE not in text and general["code"] not in text
    assert "possible takeover" in caplog.text
    assert enrol_with(client, general["code"], "T-NEW-BY-GENERAL").status_code == 200
    # Revoked by the admin: still not up for grabs by an unbound code; a bound one re-enrols it.
    client.post("/v1/admin/terminals/T-VICTIM/revoke", headers=ADMIN_AUTH)
    assert enrol_with(client, DEMO_ENROLMENT_CODE, "T-VICTIM").status_code == 403
    assert enrol_with(client, bound_code(client, "T-VICTIM"), "T-VICTIM").status_code == 200


def test_the_seeded_demo_terminal_takes_the_demo_code_once(client, auth):
    """The demo terminal exists from the seed with no credential: its first enrolment (the
    `auth` fixture's, with the unbound demo code) is not a takeover; a second one is."""
    assert can_read(client, auth) == 200
    assert enrol_with(client, DEMO_ENROLMENT_CODE, DEMO_TERMINAL_ID).status_code == 403
    assert can_read(client, auth) == 200


def test_credentials_and_enrolment_codes_are_stored_as_hashes_only(client, backend):
    code = bound_code(client, "T-HASHED", max_uses=2)
    credential = enrol_with(client, code, "T-HASHED").json()["credential"]
    raw = backend.db_path.read_bytes()
    for wal in backend.db_path.parent.glob(backend.db_path.name + "-wal"):
        raw += wal.read_bytes()
    for secret in (credential, code, code.replace("-", "")):
        assert secret.encode() not in raw
    digest = hashlib.sha256(credential.encode()).hexdigest()
    assert db_rows(backend, "SELECT count(*) FROM terminal_credentials WHERE token_sha256 = ?",
                   digest) == [(1,)]
    assert db_rows(backend, "SELECT count(*) FROM enrolment_codes WHERE code_sha256 = ?",
                   hashlib.sha256(code.encode()).hexdigest()) == [(1,)]


def test_enrolment_refused_with_a_wrong_code(client):
    r = client.post("/v1/enrol", json={"enrolment_code": "NOT-A-CODE", "terminal_id": "T-X"})
    assert r.status_code == 401
    assert error_of(r).error == p.ErrorCode.ENROLMENT_REFUSED
    # A single-use code bound to one terminal, made by an admin.
    made = client.post("/v1/admin/enrolment-codes", headers=ADMIN_AUTH,
                       json={"terminal_id": "T-ONCE", "max_uses": 1}).json()
    r = client.post("/v1/enrol", json={"enrolment_code": made["code"], "terminal_id": "T-OTHER"})
    assert r.status_code == 401
    ok = client.post("/v1/enrol", json={"enrolment_code": made["code"].lower(), "terminal_id": "T-ONCE"})
    assert ok.status_code == 200
    again = client.post("/v1/enrol", json={"enrolment_code": made["code"], "terminal_id": "T-ONCE"})
    assert again.status_code == 401


def test_missing_wrong_and_revoked_credentials_get_401(client):
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic eDp5"}):
        r = client.post("/v1/queue/tickets", json={"business_type": "ss"}, headers=headers)
        assert r.status_code == 401, headers
        assert r.headers["www-authenticate"] == "Bearer"
        assert error_of(r).error == "unauthorized"
    creds = enrol(client, "T-REVOKE")
    body = proved(creds, {"id_number": LI})
    assert client.post("/v1/records/real-estate", json=body, headers=creds).status_code == 200
    r = client.post("/v1/admin/terminals/T-REVOKE/revoke", headers=ADMIN_AUTH)
    assert r.json() == {"terminal_id": "T-REVOKE", "revoked": 1}
    r = client.post("/v1/records/real-estate", json=body, headers=creds)
    assert r.status_code == 401 and "revoked" in error_of(r).message
    # Admin endpoints need the admin token, not a terminal's.
    assert client.post("/v1/admin/terminals/T-REVOKE/revoke", headers=creds).status_code == 401


# --- catalog ------------------------------------------------------------------------------------


def test_full_catalog_sync_pages_to_the_catalog_size(client, auth):
    with gzip.open(BUNDLED_CATALOG, "rb") as fh:
        shipped = json.loads(fh.read())
    n_cats = sum(len(d["categories"]) for d in shipped["departments"])
    t0 = time.perf_counter()
    cursor, pages, seen = 0, 0, []
    while True:
        r = client.get("/v1/catalog/changes", params={"cursor": cursor, "limit": 1000}, headers=auth)
        assert r.status_code == 200, r.text
        page = p.CatalogChanges.model_validate(r.json())  # as the terminal reads it
        pages += 1
        seen += page.changes
        assert not page.deleted_item_ids
        assert page.next_cursor > cursor
        cursor = page.next_cursor
        if not page.has_more:
            break
    TIMINGS[f"full catalog sync ({pages} pages of 1000)"] = time.perf_counter() - t0
    assert page.catalog_version == shipped["version"] and page.epoch
    seqs = [c.seq for c in seen]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    kinds = [c.kind for c in seen]
    assert kinds.count("department") == len(shipped["departments"])
    assert kinds.count("category") == n_cats
    items = [c for c in seen if c.kind == "item"]
    assert len(items) == len(shipped["items"]) == 10323
    # Applied in order, every reference points at something already received.
    known_depts, known_cats = set(), set()
    for c in seen:
        if c.kind == "department":
            known_depts.add(c.code)
        elif c.kind == "category":
            assert c.department in known_depts
            known_cats.add(c.code)
        else:
            assert c.category in known_cats and c.department in known_depts
    first = shipped["items"][0]
    got = next(i for i in items if i.id == first["id"])
    assert got.guide == first["guide"] and [k.model_dump() for k in got.keys] == first["keys"]
    # Nothing more after the end; a cursor the server never issued is refused.
    r = client.get("/v1/catalog/changes", params={"cursor": cursor}, headers=auth)
    assert r.json()["changes"] == [] and r.json()["has_more"] is False
    r = client.get("/v1/catalog/changes", params={"cursor": cursor + 10}, headers=auth)
    assert r.status_code == 409 and error_of(r).error == "cursor_ahead"


@pytest.fixture(scope="module")
def small_backend(tmp_path_factory):
    """A second backend with 40 items, for tests that change the catalog."""
    path = tmp_path_factory.mktemp("small") / "small.sqlite3"
    db = open_database(f"sqlite:///{path}")
    seed_database(db, citizens=8, catalog_limit=40)
    db.close()
    with EmbeddedBackend(f"sqlite:///{path}", admin_token=ADMIN) as server:
        yield server


def test_catalog_changes_after_an_edit_and_a_deletion(small_backend):
    with httpx.Client(base_url=small_backend.url, timeout=10) as client:
        auth = enrol(client, "T-CATALOG")
        full = client.get("/v1/catalog/changes", params={"limit": 1000}, headers=auth).json()
        assert not full["has_more"] and sum(c["kind"] == "item" for c in full["changes"]) == 40
        cursor = full["next_cursor"]
        item = {"code": "X1", "name": "测试事项（新增）", "department": "rs", "category": "rs.ss",
                "keys": [{"text": "测试事项", "pinyin": "ceshishixiang", "initials": "csx"}],
                "guide": {"format": 1, "steps": ["申请"]}}
        put = client.put("/v1/admin/catalog/items/TEST-000001", json=item, headers=ADMIN_AUTH)
        assert put.status_code == 200, put.text
        victim = next(c["id"] for c in full["changes"] if c["kind"] == "item")
        gone = client.delete(f"/v1/admin/catalog/items/{victim}", headers=ADMIN_AUTH)
        assert gone.status_code == 200
        assert client.delete(f"/v1/admin/catalog/items/{victim}", headers=ADMIN_AUTH).status_code == 404
        r = client.get("/v1/catalog/changes", params={"cursor": cursor}, headers=auth).json()
        assert [c["id"] for c in r["changes"]] == ["TEST-000001"]
        assert r["changes"][0]["guide"] == {"format": 1, "steps": ["申请"]}
        assert r["deleted_item_ids"] == [victim]
        assert r["next_cursor"] == gone.json()["seq"] and not r["has_more"]
        assert r["epoch"] == full["epoch"]
        # A full sync from 0 now lists the tombstone too, so a rebuilt terminal drops it.
        again = client.get("/v1/catalog/changes", params={"limit": 1000}, headers=auth).json()
        assert victim in again["deleted_item_ids"]
        assert victim not in {c.get("id") for c in again["changes"]}
        bad = client.put("/v1/admin/catalog/items/TEST-2", json={**item, "category": "nope"},
                         headers=ADMIN_AUTH)
        assert bad.status_code == 422 and "nope" in error_of(bad).message


def test_catalog_import_is_incremental(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    try:
        first = import_catalog(db, BUNDLED_CATALOG, limit=60)
        assert first.items == 60 and first.changed == first.departments + first.categories + 60
        assert import_catalog(db, BUNDLED_CATALOG, limit=60).changed == 0
        with db.read() as s:
            cursor = changes_page(s, 0, 10_000).next_cursor
        fewer = import_catalog(db, BUNDLED_CATALOG, limit=50)
        assert (fewer.changed, fewer.deleted) == (0, 10)
        with db.read() as s:
            page = changes_page(s, cursor, 100)
        assert page.changes == [] and len(page.deleted_item_ids) == 10
        back = import_catalog(db, BUNDLED_CATALOG, limit=55)  # five come back to life
        assert (back.changed, back.deleted) == (5, 0)
        with db.read() as s:
            page = changes_page(s, page.next_cursor, 100)
        assert len(page.changes) == 5 and not page.deleted_item_ids
    finally:
        db.close()


# --- records ---------------------------------------------------------------------------------


def test_social_insurance_records_of_a_seeded_citizen(client, auth):
    r = client.post("/v1/records/social-insurance", json=proved(auth, {"id_number": ZHANG}),
                    headers=auth)
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    rec = p.SocialInsuranceRecords.model_validate(r.json())
    assert rec.holder.name == "张伟" and rec.holder.id_number_masked == p.mask_id_number(ZHANG)
    assert [e.type for e in rec.enrolments] == list(p.InsuranceType)
    pension = rec.enrolments[0]
    assert pension.status == "contributing" and pension.employers and pension.months_paid >= 60
    months = sorted({c.month for c in rec.contributions})
    assert len(months) == pension.months_paid
    assert [c.month for c in rec.contributions] == sorted((c.month for c in rec.contributions), reverse=True)
    for c in rec.contributions[:20]:
        if c.type == "pension":
            assert c.personal == (c.base * Decimal("0.08")).quantize(Decimal("0.01"))
            assert c.employer_amount == (c.base * Decimal("0.16")).quantize(Decimal("0.01"))
    assert json.loads(r.text)["contributions"][0]["base"].count(".") == 1  # money as strings
    wang = p.SocialInsuranceRecords.model_validate(client.post(
        "/v1/records/social-insurance", json=proved(auth, {"id_number": WANG}),
        headers=auth).json())
    assert {e.status for e in wang.enrolments} == {p.EnrolmentStatus.SUSPENDED}


def test_medical_provident_fund_and_real_estate(client, auth):
    med = p.MedicalAccountRecords.model_validate(client.post(
        "/v1/records/medical-account", json=proved(auth, {"id_number": LI}), headers=auth).json())
    assert med.transactions and med.balance == med.transactions[0].balance_after
    assert {t.kind for t in med.transactions} >= {"credit"}
    pf = p.ProvidentFundRecords.model_validate(client.post(
        "/v1/records/provident-fund", json=proved(auth, {"id_number": ZHANG}), headers=auth).json())
    assert pf.account.status == "normal" and pf.deposits
    assert pf.account.balance == pf.deposits[0].balance_after
    sealed = client.post("/v1/records/provident-fund", json=proved(auth, {"id_number": WANG}),
                         headers=auth).json()
    assert sealed["account"]["status"] == "sealed"
    r = client.post("/v1/records/provident-fund", json=proved(auth, {"id_number": CHEN}),
                    headers=auth)
    assert r.status_code == 404 and error_of(r).error == "no_account"
    owner = p.RealEstateRecords.model_validate(client.post(
        "/v1/records/real-estate", json=proved(auth, {"id_number": ZHANG}), headers=auth).json())
    assert len(owner.registrations) == 2
    assert all(len(reg.unit_number) == 28 for reg in owner.registrations)
    none = p.RealEstateRecords.model_validate(client.post(
        "/v1/records/real-estate", json=proved(auth, {"id_number": LI}), headers=auth).json())
    assert none.registrations == []  # the 无房证明 case


def test_unknown_and_invalid_id_numbers(client, auth, backend):
    stranger = idnumber.make("110105", date(1990, 1, 1), 11)
    r = client.post("/v1/records/social-insurance", json=proved(auth, {"id_number": stranger}),
                    headers=auth)
    assert r.status_code == 404 and error_of(r).error == "citizen_not_found"
    cases = {
        ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1"): "check digit",
        ZHANG[:17]: "18 characters",
        "32040219850312123A": "17 digits followed by a digit or X",
        idnumber.make("320402", date(1985, 3, 12), 123)[:10] + "1340" + ZHANG[14:]: "birth date",
        "99" + ZHANG[2:]: "province",
    }
    for bad, words in cases.items():
        r = client.post("/v1/records/medical-account", json={"id_number": bad}, headers=auth)
        assert r.status_code == 422, bad
        err = error_of(r)
        assert err.error == "invalid_request" and words in err.message, err.message
        assert err.details[0].field == "body.id_number"
        assert bad not in r.text  # the input is never echoed
    # Lower-case x and spaces are fine (the proof signs the normalized number); every access,
    # found or not, is logged without the number.
    r = client.post("/v1/records/real-estate", headers=auth, json={
        "id_number": f" {WANG.lower()} ", "proof": make_proof(auth, WANG)})
    assert r.status_code == 200, r.text
    rows = db_rows(backend, "SELECT outcome, citizen_key FROM access_log "
                            "WHERE outcome='citizen_not_found'")
    assert rows and all(len(key) == 64 and key != stranger for _, key in rows)
    assert not db_rows(backend, "SELECT count(*) FROM access_log WHERE citizen_key IN (?, ?)",
                       stranger, WANG)[0][0]


# --- events --------------------------------------------------------------------------------------


def test_the_same_events_batch_twice_is_stored_once(client, auth, backend):
    now = datetime.now(timezone.utc)
    batch = {"events": [
        {"idempotency_key": str(uuid.uuid4()), "kind": kind, "occurred_at": (now - timedelta(minutes=n)).isoformat(),
         "payload": payload}
        for n, (kind, payload) in enumerate([
            ("rating", {"item": "RS-000010", "score": 5}),
            ("transaction", {"flow": "ss.certificate", "outcome": "printed", "holder": "3204**********1230"}),
            ("telemetry", {"cpu": 0.2, "printer": {"paper": "near_end"}}),
        ])
    ]}
    first = p.EventResults.model_validate(client.post("/v1/events", json=batch, headers=auth).json())
    assert [r.status for r in first.results] == ["accepted"] * 3
    second = p.EventResults.model_validate(client.post("/v1/events", json=batch, headers=auth).json())
    assert [r.status for r in second.results] == ["duplicate"] * 3
    assert [r.idempotency_key for r in second.results] == [e["idempotency_key"] for e in batch["events"]]
    keys = [e["idempotency_key"] for e in batch["events"]]
    stored = db_rows(backend, f"SELECT idempotency_key, terminal_id FROM events WHERE idempotency_key IN "
                              f"({','.join('?' * len(keys))})", *keys)
    assert sorted(stored) == sorted((k, DEMO_TERMINAL_ID) for k in keys)


def test_events_rejected_for_personal_data_or_a_reused_key(client, auth, backend):
    key = str(uuid.uuid4())
    at = datetime.now(timezone.utc).isoformat()
    events = [
        {"idempotency_key": key, "kind": "rating", "occurred_at": at, "payload": {"score": 4}},
        {"idempotency_key": key, "kind": "rating", "occurred_at": at, "payload": {"score": 4}},
        {"idempotency_key": str(uuid.uuid4()), "kind": "problem_report", "occurred_at": at,
         "payload": {"text": f"我的身份证 {ZHANG} 查不到"}},
    ]
    res = client.post("/v1/events", json={"events": events}, headers=auth).json()["results"]
    assert [r["status"] for r in res] == ["accepted", "duplicate", "rejected"]
    assert "ID number" in res[2]["reason"] and ZHANG not in json.dumps(res)
    changed = [{**events[0], "payload": {"score": 1}}]
    res = client.post("/v1/events", json={"events": changed}, headers=auth).json()["results"]
    assert res[0]["status"] == "rejected" and "already used" in res[0]["reason"]
    assert db_rows(backend, "SELECT count(*) FROM events WHERE idempotency_key = ?", key) == [(1,)]
    too_many = {"events": [events[0]] * (p.MAX_EVENTS_PER_BATCH + 1)}
    r = client.post("/v1/events", json=too_many, headers=auth)
    assert r.status_code == 422 and "body.events" in error_of(r).message


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-12:00",
                                "1969-12-31T23:59:59Z", "2201-01-01T00:00:00Z"])
def test_events_at_impossible_times_get_422_not_500(client, auth, backend, at):
    key = str(uuid.uuid4())
    event = {"idempotency_key": key, "kind": "rating", "occurred_at": at, "payload": {"score": 4}}
    r = client.post("/v1/events", json={"events": [event]}, headers=auth)
    assert r.status_code == 422 and error_of(r).error == "invalid_request", r.text
    assert "occurred_at" in r.text
    assert db_rows(backend, "SELECT count(*) FROM events WHERE idempotency_key = ?", key) == [(0,)]
    assert client.get("/v1/health").status_code == 200  # the connection still serves


@pytest.mark.parametrize("number", [
    "NaN", "Infinity", "-Infinity", "1e400", "-1e400",  # 1e400 parses as a float infinity
    str(2**53), str(-(2**53)), "9" * 300,
])
def test_events_with_non_finite_or_huge_numbers_get_422_and_are_not_stored(client, auth, backend,
                                                                             number):
    key = str(uuid.uuid4())
    # Written by hand: Python's json would write NaN too, but a huge integer must reach the
    # server as digits, deep inside the payload.
    body = ('{"events": [{"idempotency_key": "%s", "kind": "telemetry", '
            '"occurred_at": "2026-01-01T00:00:00Z", '
            '"payload": {"ok": 1, "deep": [{"x": [0, %s]}]}}]}' % (key, number))
    r = client.post("/v1/events", content=body.encode(),
                    headers={**auth, "content-type": "application/json"})
    assert r.status_code == 422, r.text
    err = error_of(r)
    assert err.error == "invalid_request"
    assert err.details[0].field == "body.events.0.payload"
    if number.lstrip("-").isdigit():
        assert number.lstrip("-") not in r.text  # the value is never echoed
    assert db_rows(backend, "SELECT count(*) FROM events WHERE idempotency_key = ?", key) == [(0,)]


def test_events_with_numbers_at_the_json_safe_limits_are_accepted(client, auth, backend):
    payload = {"max": p.MAX_SAFE_INTEGER, "min": -p.MAX_SAFE_INTEGER, "big": 1.5e308,
               "tiny": 5e-324, "list": [0, -0.0, True, None]}
    key = str(uuid.uuid4())
    r = client.post("/v1/events", headers=auth, json={"events": [
        {"idempotency_key": key, "kind": "telemetry", "occurred_at": "2026-01-01T00:00:00Z",
         "payload": payload}]})
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "accepted", r.text
    [(stored,)] = db_rows(backend, "SELECT payload_json FROM events WHERE idempotency_key = ?", key)
    assert json.loads(stored) == payload


def test_admin_command_payloads_must_be_json_safe_too(client):
    r = client.post(f"/v1/admin/terminals/{DEMO_TERMINAL_ID}/commands", headers=ADMIN_AUTH,
                    content=b'{"kind": "new_config", "payload": {"sync": {"timeout_s": NaN}}}')
    assert r.status_code == 422 and error_of(r).error == "invalid_request"


def test_oversized_bodies_get_413(client, auth):
    big = {"events": [{"idempotency_key": str(uuid.uuid4()), "kind": "telemetry",
                       "occurred_at": "2026-01-01T00:00:00Z", "payload": {"blob": "x" * 4000}}] * 300}
    body = json.dumps(big).encode()
    assert len(body) > p.MAX_BODY_BYTES
    r = client.post("/v1/events", content=body, headers={**auth, "content-type": "application/json"})
    assert r.status_code == 413 and error_of(r).error == "too_large"

    def chunks():  # no Content-Length: counted while it streams
        for i in range(0, len(body), 64 * 1024):
            yield body[i:i + 64 * 1024]

    r = client.post("/v1/events", content=chunks(), headers={**auth, "content-type": "application/json"})
    assert r.status_code == 413 and error_of(r).error == "too_large"
    assert client.get("/v1/health").status_code == 200


# --- documents and verification --------------------------------------------------------------


def test_document_issue_then_public_verify(client, auth):
    r = client.post("/v1/documents", json=proved(auth, {"kind": "ss_certificate", "id_number": ZHANG}),
                    headers=auth)
    assert r.status_code == 201, r.text
    doc = p.DocumentIssued.model_validate(r.json())
    assert doc.verify_url.endswith(f"/v1/verify/{doc.verification_code}")
    assert "张*" in doc.statement and ZHANG not in doc.statement
    v = httpx.get(doc.verify_url, timeout=10)  # public: no credential
    assert v.status_code == 200
    ver = p.DocumentVerification.model_validate(v.json())
    assert (ver.status, ver.kind, ver.document_id) == ("valid", "ss_certificate", doc.document_id)
    assert ver.terminal_id == DEMO_TERMINAL_ID and ver.terminal_place
    assert ver.holder_id_number_masked == p.mask_id_number(ZHANG) and ver.holder_name_masked == "张*"
    assert ver.statement == doc.statement and ver.issued_at == doc.issued_at
    typed = doc.verification_code.replace("-", "").lower().replace("0", "o")
    assert client.get(f"/v1/verify/{typed}").json()["document_id"] == doc.document_id
    r = client.get("/v1/verify/ABCD-EFGH-JKMN-PQRS")
    assert r.status_code == 404 and error_of(r).error == "not_found"
    assert client.get("/v1/verify/not-a-code").status_code == 422
    revoked = client.post(f"/v1/admin/documents/{doc.verification_code}/revoke", headers=ADMIN_AUTH)
    assert revoked.json()["status"] == "revoked"
    assert httpx.get(doc.verify_url, timeout=10).json()["status"] == "revoked"


def test_no_property_certificate_only_without_property(client, auth):
    def document(body):
        return client.post("/v1/documents", json=proved(auth, body), headers=auth)

    r = document({"kind": "no_property", "id_number": ZHANG})
    assert r.status_code == 409 and error_of(r).error == "not_applicable"
    r = document({"kind": "no_property", "id_number": LI})
    assert r.status_code == 201 and "未查询到" in r.json()["statement"]
    r = document({"kind": "ss_contributions", "id_number": ZHANG, "from_month": "2025-01",
                  "to_month": "2025-06"})
    assert r.status_code == 201 and "6 个月" in r.json()["statement"]
    r = document({"kind": "provident_fund", "id_number": CHEN})
    assert r.status_code == 404 and error_of(r).error == "no_account"
    r = document({"kind": "real_estate", "id_number": LI, "from_month": "2025-01"})
    assert r.status_code == 422


# --- queue ------------------------------------------------------------------------------------


def test_queue_tickets_increment_and_can_be_followed(client, auth):
    tickets = [client.post("/v1/queue/tickets", json={"business_type": "hz"}, headers=auth)
               for _ in range(3)]
    assert [t.status_code for t in tickets] == [201] * 3
    got = [p.QueueTicket.model_validate(t.json()) for t in tickets]
    assert [t.number for t in got] == ["E001", "E002", "E003"]
    assert [t.people_ahead for t in got] == [0, 1, 2]
    assert got[0].business_name == "户籍办理" and got[0].window
    other = client.post("/v1/queue/tickets", json={"business_type": "yb"}, headers=auth).json()
    assert other["number"] == "B001"  # counters are per business type
    called = client.post("/v1/admin/queue/hz/call-next", headers=ADMIN_AUTH).json()
    assert called == {"business_type": "hz", "called": "E001", "waiting": 2}
    follow = [httpx.get(t.follow_url, timeout=10).json() for t in got]
    assert [f["state"] for f in follow] == ["called", "waiting", "waiting"]
    assert [f["people_ahead"] for f in follow] == [0, 0, 1]
    r = client.post("/v1/queue/tickets", json={"business_type": "nosuch"}, headers=auth)
    assert r.status_code == 422 and "known: ss, yb" in error_of(r).message
    assert client.get("/v1/queue/tickets/nope").status_code == 404


def test_concurrent_terminals_get_distinct_numbers_and_events_stored_once(backend, auth):
    from concurrent.futures import ThreadPoolExecutor

    shared = [{"idempotency_key": str(uuid.uuid4()), "kind": "telemetry",
               "occurred_at": datetime.now(timezone.utc).isoformat(), "payload": {"n": n}}
              for n in range(20)]

    def work(_):
        with httpx.Client(base_url=backend.url, timeout=20) as c:
            numbers = [c.post("/v1/queue/tickets", json={"business_type": "bdc"}, headers=auth)
                       .json()["number"] for _ in range(5)]
            statuses = [r["status"] for r in c.post("/v1/events", json={"events": shared},
                                                    headers=auth).json()["results"]]
            return numbers, statuses

    with ThreadPoolExecutor(8) as pool:
        done = list(pool.map(work, range(8)))
    numbers = sorted(n for ns, _ in done for n in ns)
    assert numbers == [f"D{i:03d}" for i in range(1, 41)]
    accepted = sum(st.count("accepted") for _, st in done)
    assert accepted == 20 and all(set(st) <= {"accepted", "duplicate"} for _, st in done)
    keys = [e["idempotency_key"] for e in shared]
    count = db_rows(backend, f"SELECT count(*) FROM events WHERE idempotency_key IN "
                             f"({','.join('?' * len(keys))})", *keys)
    assert count == [(20,)]


# --- heartbeat and commands ------------------------------------------------------------------


def test_heartbeat_returns_a_queued_command_until_acked(client):
    creds = enrol(client, "T-HEART")
    beat = {"terminal_id": "T-HEART", "version": "0.1.0", "uptime_s": 60, "backlog": 2,
            "devices": {"receipt_printer": {"status": "warning", "reason": "paper near end"},
                        "id_reader": {"status": "ok"}}}
    first = client.post("/v1/heartbeat", json=beat, headers=creds)
    assert first.status_code == 200 and first.json()["commands"] == []
    cmd = client.post("/v1/admin/terminals/T-HEART/commands", headers=ADMIN_AUTH,
                      json={"kind": "enter_maintenance", "payload": {"reason": "打印机换纸"}})
    assert cmd.status_code == 201
    cmd_id = cmd.json()["id"]
    for _ in range(2):  # delivered again while not acknowledged
        reply = p.HeartbeatReply.model_validate(client.post("/v1/heartbeat", json=beat, headers=creds).json())
        assert [(c.id, c.kind, c.payload) for c in reply.commands] == [
            (cmd_id, "enter_maintenance", {"reason": "打印机换纸"})]
    acked = client.post("/v1/heartbeat", json={**beat, "acked_command_ids": [cmd_id]}, headers=creds)
    assert acked.json()["commands"] == []
    assert client.post("/v1/heartbeat", json=beat, headers=creds).json()["commands"] == []
    terminals = {t["id"]: t for t in client.get("/v1/admin/terminals", headers=ADMIN_AUTH).json()}
    assert terminals["T-HEART"]["devices"]["receipt_printer"]["status"] == "warning"
    assert terminals["T-HEART"]["backlog"] == 2 and terminals["T-HEART"]["pending_commands"] == 0
    # The seed queued a reload for the demo terminal; another terminal's id is refused.
    r = client.post("/v1/heartbeat", json={**beat, "terminal_id": DEMO_TERMINAL_ID}, headers=creds)
    assert r.status_code == 403
    r = client.post("/v1/admin/terminals/NOPE/commands", headers=ADMIN_AUTH, json={"kind": "reload_catalog"})
    assert r.status_code == 404


def test_seeded_demo_terminal_has_a_reload_command(client, auth):
    beat = {"terminal_id": DEMO_TERMINAL_ID, "version": "0.1.0", "uptime_s": 1, "backlog": 0}
    commands = client.post("/v1/heartbeat", json=beat, headers=auth).json()["commands"]
    assert [c["kind"] for c in commands][:1] == ["reload_catalog"]


# --- seed data, ID numbers, PINs, migrations, CLI ----------------------------------------------


def test_id_numbers_check_digit_make_and_mask():
    assert idnumber.is_valid("11010519491231002X")  # the standard's own example
    assert not idnumber.is_valid("110105194912310021")
    assert idnumber.check_digit("11010519491231002") == "X"
    made = idnumber.make("320402", date(1985, 3, 12), 123)
    assert made == ZHANG and idnumber.is_valid(made) and idnumber.gender(made) == "male"
    assert idnumber.birth_date(made) == date(1985, 3, 12)
    assert p.mask_id_number(made) == "3204**********1230"
    assert not idnumber.is_valid(12345)  # type: ignore[arg-type]


def test_seeded_citizens_valid_and_deterministic(backend):
    rows = db_rows(backend, "SELECT id_number, name FROM citizens")
    assert len(rows) == 300 == backend.stats.citizens
    assert all(idnumber.is_valid(i) for i, _ in rows)
    assert all(2 <= len(n) <= 4 for _, n in rows)
    with_property = db_rows(backend, "SELECT count(DISTINCT citizen_id) FROM real_estate_registrations")[0][0]
    assert 60 < with_property < 240  # some with, some without
    first_contribution = db_rows(backend, "SELECT min(month) FROM contributions")[0][0]
    assert first_contribution < f"{date.today().year - 5}"  # several years of history
    assert [x.id_number for x in make_people(7, 50)] == [x.id_number for x in make_people(7, 50)]
    assert [x.name for x in make_people(7, 50)] != [x.name for x in make_people(8, 50)]


def test_staff_pins_hashed_with_lockout(backend):
    stored = db_rows(backend, "SELECT staff_no, pin_hash FROM staff_accounts ORDER BY staff_no")
    assert len(stored) >= 4 and all(h.startswith("$argon2id$") for _, h in stored)
    assert all("246810" not in h for _, h in stored)
    h = hash_pin("258013")
    assert verify_pin("258013", h) and not verify_pin("258014", h)
    assert not verify_pin("258013", "garbage")
    acc = StaffAccount(staff_no="X", name="x", role="helper", pin_hash=h, failed_attempts=0,
                       locked_until=None, active=True)
    now = datetime(2026, 1, 1, 12, 0)
    for _ in range(PIN_MAX_FAILURES):
        assert not check_staff_pin(acc, "000000", now)
    assert acc.locked_until is not None
    assert not check_staff_pin(acc, "258013", now)  # right PIN, but locked
    assert check_staff_pin(acc, "258013", now + timedelta(minutes=16))


def test_migrations_match_the_models(backend):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db = open_database(f"sqlite:///{backend.db_path}")
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
    finally:
        db.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_command_line_seed_and_serve(tmp_path, small_catalog_file):
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    seeded = subprocess.run(
        [sys.executable, "-m", "backend", "seed", "--db", db, "--citizens", "12",
         "--catalog", str(small_catalog_file)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert seeded.returncode == 0, seeded.stderr
    assert "citizens: 12" in seeded.stdout and "DEMO-ENROL" in seeded.stdout
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend", "serve", "--db", db, "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail("backend did not start: " + proc.communicate()[1])
                time.sleep(0.1)
        assert r.json()["status"] == "ok"
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as c:
            creds = enrol(c, "CLI-1")
            page = c.get("/v1/catalog/changes", params={"limit": 1000}, headers=creds).json()
            assert sum(1 for x in page["changes"] if x["kind"] == "item") == 26
            assert c.get("/v1/admin/terminals").status_code == 403  # no admin token: disabled
            # Verified identity is enforced unless the operator says --allow-unverified.
            r = c.post("/v1/records/real-estate", json={"id_number": LI}, headers=creds)
            assert r.status_code == 403 and error_of(r).error == "verification_required"
            r = c.post("/v1/records/real-estate", json=proved(creds, {"id_number": LI}),
                       headers=creds)
            assert r.status_code == 200, r.text
    finally:
        proc.terminate()
        try:
            proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
    assert proc.returncode in (0, -15)
    bad = subprocess.run([sys.executable, "-m", "backend", "seed", "--db", db, "--catalog",
                          str(tmp_path / "missing.json.gz")],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "not found" in bad.stderr
