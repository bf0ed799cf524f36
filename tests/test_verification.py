"""Verified identity at the backend (issue 15, docs/decisions/0018), over real HTTP: every
personal endpoint refuses a call without a valid proof; e-credentials are exchanged once for the
identity and a ticket bound to (citizen, session, terminal); the access log shows a citizen the
lookups of them and nobody else's; a terminal over its hourly limit of distinct citizens is
refused and recorded; the kiosk's adapter speaks all of it.

The test functions take (client, backend) so tests/test_backend_postgres.py runs them again on
PostgreSQL."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import httpx
import pytest
import test_backend as sq  # the backend suite's helpers: enrol, make_proof, proved, db_rows
from sqlalchemy import update

from backend.db import open_database
from backend.embedded import EmbeddedBackend
from backend.models import AccessLogEntry, IdentityTicket
from backend.seed import DEMO_CITIZENS, DEMO_TERMINAL_ID, DEMO_TERMINAL_PLACE, seed_database
from backend.verification import Keys
import protocol as p

ZHANG, LI = DEMO_CITIZENS[0].id_number, DEMO_CITIZENS[1].id_number
CITIZENS = 16
LIMIT = 6  # this module's backend: distinct citizens per terminal per hour
PERSONAL = [  # every personal endpoint, with the rest of a valid body
    (p.Paths.SOCIAL_INSURANCE, {}),
    (p.Paths.MEDICAL_ACCOUNT, {}),
    (p.Paths.PROVIDENT_FUND, {}),
    (p.Paths.REAL_ESTATE, {}),
    (p.Paths.DOCUMENTS, {"kind": "ss_certificate"}),
    (p.Paths.ACCESS_LOG, {}),
]
make_proof, proved, error_of = sq.make_proof, sq.proved, sq.error_of


def seeded(url: str, **app_options) -> EmbeddedBackend:
    db = open_database(url)
    try:
        seed_database(db, citizens=CITIZENS, catalog_limit=5)
    finally:
        db.close()
    server = EmbeddedBackend(url, admin_token=sq.ADMIN, **app_options)
    server.start()
    return server


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    path = tmp_path_factory.mktemp("verification") / "backend.sqlite3"
    server = seeded(f"sqlite:///{path}", max_citizens_per_hour=LIMIT)
    server.db_path = path
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client(backend):
    with httpx.Client(base_url=backend.url, timeout=30) as c:
        yield c


# --- helpers ------------------------------------------------------------------------------------


def people(backend) -> list[str]:
    """Every seeded citizen's ID number, the four demo citizens first."""
    return [r[0] for r in sq.db_rows(backend, "SELECT id_number FROM citizens ORDER BY id")]


def backdate(backend, statement) -> None:
    """An UPDATE (SQLAlchemy) on the backend's database, SQLite or PostgreSQL."""
    with backend.app.state.db.write() as s:
        s.execute(statement)


def utc_ago(**delta) -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(**delta)


def terminal(client, terminal_id: str) -> sq.TerminalAuth:
    """`terminal_id` enrolled (again): a code bound to it works whether or not it was."""
    return sq.enrol(client, terminal_id, code=sq.bound_code(client, terminal_id))


def post(client, auth, path: str, body: dict) -> httpx.Response:
    return client.post(path, json=body, headers=auth)


def served(r: httpx.Response) -> bool:
    """The proof was accepted: an answer about the citizen (records, or none of this kind)."""
    return r.status_code in (200, 201) or (
        r.status_code in (404, 409) and error_of(r).error in ("no_account", "not_applicable"))


def qr_for(client, id_number: str) -> str:
    r = client.post(p.Paths.ADMIN_E_CREDENTIALS, json={"id_number": id_number},
                    headers=sq.ADMIN_AUTH)
    assert r.status_code == 201, r.text
    expires = datetime.fromisoformat(r.json()["expires_at"])
    assert timedelta(0) < expires - datetime.now(timezone.utc) <= timedelta(
        seconds=p.E_CREDENTIAL_TTL_S)
    return r.json()["qr"]


def exchange(client, auth, qr: str, session_id: str | None = None) -> httpx.Response:
    return client.post(p.Paths.CREDENTIAL_EXCHANGE, headers=auth,
                       json={"qr": qr, "session_id": session_id or uuid.uuid4().hex})


def outcomes(backend, terminal_id: str) -> dict[str, int]:
    return dict(sq.db_rows(backend, "SELECT outcome, count(*) FROM access_log "
                                    "WHERE terminal_id = ? GROUP BY outcome", terminal_id))


# --- enforcement ------------------------------------------------------------------------------


def test_every_personal_endpoint_refuses_a_call_without_a_valid_proof(client, backend):
    a, b = terminal(client, "T-PROOF-A"), terminal(client, "T-PROOF-B")
    now = datetime.now(timezone.utc)
    good = make_proof(a, ZHANG)
    flipped = good["signature"][:-1] + ("0" if good["signature"][-1] != "0" else "1")
    wrong = {
        "another citizen's": make_proof(a, ZHANG, signed_id_number=LI),
        "another terminal's": make_proof(b, ZHANG),  # b's, sent with a's credential
        "naming another terminal": make_proof(a, ZHANG, terminal_id=b.terminal_id),
        "of another session": {**good, "session_id": uuid.uuid4().hex},
        "of another method": {**good, "method": "attended", "staff_id": "S0001"},
        "expired": make_proof(a, ZHANG, at=now - timedelta(seconds=p.PROOF_MAX_AGE_S + 5)),
        "from the future": make_proof(a, ZHANG, at=now + timedelta(seconds=120)),
        "with a bad signature": {**good, "signature": flipped},
        "forged (a guessed key)": make_proof(a, ZHANG, credential=secrets.token_urlsafe(32)),
        "attended without staff": make_proof(a, ZHANG, method="attended"),
        "card_face with staff": make_proof(a, ZHANG, staff_id="S0001"),
        "card_face with a ticket": make_proof(a, ZHANG, ticket=secrets.token_urlsafe(32)),
        "e_credential without a ticket": make_proof(a, ZHANG, method="e_credential"),
        "e_credential with a made-up ticket": make_proof(a, ZHANG, method="e_credential",
                                                         ticket=secrets.token_urlsafe(32)),
    }
    for path, rest in PERSONAL:
        body = {**rest, "id_number": ZHANG}
        r = post(client, a, path, body)
        assert r.status_code == 403 and error_of(r).error == "verification_required", path
        for what, proof in wrong.items():
            r = post(client, a, path, {**body, "proof": proof})
            assert r.status_code == 403, (path, what, r.text)
            assert error_of(r).error == "proof_invalid", (path, what)
            assert ZHANG not in r.text
        # Valid: just made, made 30 s "ahead" (clock skew is allowed up to 60 s), attended.
        for proof in (make_proof(a, ZHANG), make_proof(a, ZHANG, at=now + timedelta(seconds=30)),
                      make_proof(a, ZHANG, method="attended", staff_id="S0001"),
                      make_proof(a, ZHANG, at=now - timedelta(seconds=p.PROOF_MAX_AGE_S - 30))):
            r = post(client, a, path, {**body, "proof": proof})
            assert r.status_code in (200, 201), (path, r.text)
    assert outcomes(backend, "T-PROOF-A") == {
        "verification_required": len(PERSONAL), "proof_invalid": len(PERSONAL) * len(wrong),
        "ok": len(PERSONAL) * 4}
    # Public calls stay public, and a terminal call needs no proof.
    assert client.post(p.Paths.QUEUE_TICKETS, json={"business_type": "ss"},
                       headers=a).status_code == 201


# --- e-credentials ----------------------------------------------------------------------------


def test_an_e_credential_is_exchanged_for_the_identity_and_a_ticket_of_this_session(client,
                                                                                    backend):
    a, b = terminal(client, "T-ECRED-A"), terminal(client, "T-ECRED-B")
    session = uuid.uuid4().hex
    qr = qr_for(client, LI)
    assert qr.startswith(p.E_CREDENTIAL_PREFIX) and LI not in qr  # the QR names no ID number
    r = exchange(client, a, qr, session)
    assert r.status_code == 200, r.text
    who = p.CredentialIdentity.model_validate(r.json())
    assert (who.id_number, who.name) == (LI, DEMO_CITIZENS[1].name)
    left = who.expires_at - datetime.now(timezone.utc)
    assert timedelta(seconds=p.PROOF_MAX_AGE_S - 30) < left <= timedelta(
        seconds=p.PROOF_MAX_AGE_S)
    ticket = who.ticket

    def with_ticket(auth, id_number=LI, session_id=session, **kw):
        return {"id_number": id_number, "proof": make_proof(
            auth, id_number, method="e_credential", session_id=session_id, ticket=ticket, **kw)}

    assert post(client, a, p.Paths.REAL_ESTATE, with_ticket(a)).status_code == 200
    assert post(client, a, p.Paths.REAL_ESTATE, with_ticket(a)).status_code == 200  # the session
    refused = {
        "another session": with_ticket(a, session_id=uuid.uuid4().hex),
        "another citizen": with_ticket(a, id_number=ZHANG),
        "another terminal": with_ticket(b),
    }
    for what, body in refused.items():
        r = post(client, a if what != "another terminal" else b, p.Paths.REAL_ESTATE, body)
        assert r.status_code == 403 and error_of(r).error == "proof_invalid", what
    # The ticket is stored as its SHA-256 only.
    digest = hashlib.sha256(ticket.encode()).hexdigest()
    if getattr(backend, "db_path", None):  # SQLite: nowhere in the file or its journal
        files = [backend.db_path, *backend.db_path.parent.glob(backend.db_path.name + "-wal")]
        assert not any(ticket.encode() in f.read_bytes() for f in files)
    assert sq.db_rows(backend, "SELECT citizen_key, terminal_id, session_id FROM identity_tickets "
                               "WHERE ticket_sha256 = ?", digest)[0][1:] == ("T-ECRED-A", session)
    # A ticket lives as long as a proof does.
    backdate(backend, update(IdentityTicket).where(IdentityTicket.ticket_sha256 == digest)
             .values(expires_at=utc_ago(seconds=1)))
    r = post(client, a, p.Paths.REAL_ESTATE, with_ticket(a))
    assert r.status_code == 403 and "expired" in error_of(r).message
    # Single use: shown again, here or elsewhere, it is refused and recorded.
    for auth in (a, b):
        r = exchange(client, auth, qr)
        assert r.status_code == 409 and error_of(r).error == "credential_used"
    rows = sq.db_rows(backend, "SELECT terminal_id FROM audit_log "
                               "WHERE kind = 'e_credential_replayed' ORDER BY id")
    assert [t for (t,) in rows][-2:] == ["T-ECRED-A", "T-ECRED-B"]


def test_forged_garbled_foreign_and_expired_e_credentials_are_refused(client, backend):
    a = terminal(client, "T-ECRED-BAD")
    keys = backend.app.state.keys
    good = qr_for(client, ZHANG)
    _version, citizen, exp, token_id, mac = good.removeprefix(p.E_CREDENTIAL_PREFIX).split(".")
    other_citizen = str(int(citizen) + 1)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    invalid = {
        "only an ID number": ZHANG,
        "the prefix and an ID number": p.E_CREDENTIAL_PREFIX + ZHANG,
        "garbled": p.E_CREDENTIAL_PREFIX + "1.x.y.z",
        "without the prefix": good.removeprefix(p.E_CREDENTIAL_PREFIX),
        "a forged signature": good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
        "another citizen": f"{p.E_CREDENTIAL_PREFIX}1.{other_citizen}.{exp}.{token_id}.{mac}",
        "a longer life": f"{p.E_CREDENTIAL_PREFIX}1.{citizen}.{int(exp) + 3600}.{token_id}.{mac}",
        "another backend's": Keys(secrets.token_bytes(32)).issue_token(int(citizen), now)[0],
        "ours, but living too long": keys.issue_token(int(citizen), now + timedelta(hours=1))[0],
        "ours, of nobody": keys.issue_token(10**9, now)[0],
    }
    for what, qr in invalid.items():
        r = exchange(client, a, qr)
        assert r.status_code == 401, (what, r.text)
        assert error_of(r).error == "credential_invalid", what
    assert sq.can_read(client, a) == 200  # a 401 about the QR, not the terminal
    expired = keys.issue_token(int(citizen), now - timedelta(seconds=2 * p.E_CREDENTIAL_TTL_S))[0]
    r = exchange(client, a, expired)
    assert r.status_code == 410 and error_of(r).error == "credential_expired"
    # None of that used the good one up.
    r = exchange(client, a, good)
    assert r.status_code == 200 and r.json()["id_number"] == ZHANG
    # The admin endpoint: the admin's only, and only for a citizen it holds.
    r = client.post(p.Paths.ADMIN_E_CREDENTIALS, json={"id_number": ZHANG}, headers=a)
    assert r.status_code == 401
    stranger = people(backend)[0][:6] + "19000101" + "999"
    stranger += p.id_check_digit(stranger)
    r = client.post(p.Paths.ADMIN_E_CREDENTIALS, json={"id_number": stranger},
                    headers=sq.ADMIN_AUTH)
    assert r.status_code == 404 and error_of(r).error == "citizen_not_found"


def test_one_e_credential_shown_at_many_terminals_at_once_is_exchanged_once(client, backend,
                                                                           racers=8, rounds=3):
    """SQLite takes writers one at a time; on PostgreSQL (run again there) the token id's
    primary key decides."""
    auths = [terminal(client, f"T-RACE-{i}") for i in range(racers)]

    def race(i, qr, barrier):
        barrier.wait(timeout=30)
        with httpx.Client(base_url=backend.url, timeout=30) as c:
            return exchange(c, auths[i], qr)

    def tickets():
        return sq.db_rows(backend, "SELECT count(*) FROM identity_tickets "
                                   "WHERE terminal_id LIKE ?", "T-RACE-%")[0][0]

    def replays():
        return sq.db_rows(backend, "SELECT count(*) FROM audit_log "
                                   "WHERE kind = 'e_credential_replayed'")[0][0]

    tickets_before, replays_before = tickets(), replays()
    for _ in range(rounds):
        qr, barrier = qr_for(client, ZHANG), threading.Barrier(racers)
        with ThreadPoolExecutor(racers) as pool:
            answers = list(pool.map(race, range(racers), [qr] * racers, [barrier] * racers))
        codes = sorted(r.status_code for r in answers)
        assert codes == [200] + [409] * (racers - 1), codes
        token_id = qr.split(".")[-2]
        assert sq.db_rows(backend, "SELECT count(*) FROM e_credential_uses WHERE token_id = ?",
                          token_id) == [(1,)]
    assert tickets() - tickets_before == rounds  # one ticket per token, the winner's
    assert replays() - replays_before == rounds * (racers - 1)


# --- the access log -----------------------------------------------------------------------------


def test_a_citizen_sees_exactly_the_lookups_made_of_them(client, backend):
    hall, other = terminal(client, DEMO_TERMINAL_ID), terminal(client, "T-LOG-2")
    x, y = people(backend)[4:6]  # looked up by no other test

    def log_of(id_number, auth=hall):
        r = post(client, auth, p.Paths.ACCESS_LOG, proved(auth, {"id_number": id_number}))
        assert r.status_code == 200, r.text
        return p.AccessLog.model_validate(r.json()).entries

    assert log_of(x) == [] and log_of(y) == []
    assert served(post(client, hall, p.Paths.SOCIAL_INSURANCE, proved(hall, {"id_number": x})))
    assert served(post(client, other, p.Paths.DOCUMENTS, proved(
        other, {"kind": "ss_certificate", "id_number": x}, method="attended", staff_id="S0042")))
    assert served(post(client, hall, p.Paths.REAL_ESTATE, proved(hall, {"id_number": y})))
    # Refused calls are logged but are no lookups: the citizen does not see them.
    assert post(client, other, p.Paths.MEDICAL_ACCOUNT, {"id_number": x}).status_code == 403
    bad = {"id_number": x, "proof": make_proof(other, x, signed_id_number=y)}
    assert post(client, other, p.Paths.PROVIDENT_FUND, bad).status_code == 403

    entries = log_of(x, auth=other)
    assert [(e.terminal_id, e.place, e.call, e.method, e.staff_id) for e in entries] == [
        ("T-LOG-2", "", "document:ss_certificate", "attended", "S0042"),
        (DEMO_TERMINAL_ID, DEMO_TERMINAL_PLACE, "social_insurance", "card_face", None),
        (DEMO_TERMINAL_ID, DEMO_TERMINAL_PLACE, "access_log", "card_face", None),
    ]
    assert entries[0].at >= entries[1].at >= entries[2].at  # newest first
    assert [(e.terminal_id, e.call) for e in log_of(y)] == [
        (DEMO_TERMINAL_ID, "real_estate"), (DEMO_TERMINAL_ID, "access_log")]
    # Reading one's log takes a proof of that citizen.
    r = post(client, hall, p.Paths.ACCESS_LOG, {"id_number": x})
    assert r.status_code == 403 and error_of(r).error == "verification_required"
    r = post(client, hall, p.Paths.ACCESS_LOG,
             {"id_number": x, "proof": make_proof(hall, x, signed_id_number=y)})
    assert r.status_code == 403 and error_of(r).error == "proof_invalid"
    # The log names citizens by a keyed hash only: no ID number anywhere in it.
    rows = sq.db_rows(backend, "SELECT * FROM access_log")
    assert rows and not any(n in str(cell) for row in rows for cell in row for n in (x, y, ZHANG))
    keys = {k for (k,) in sq.db_rows(backend, "SELECT citizen_key FROM access_log")}
    assert all(re.fullmatch(r"[0-9a-f]{64}", k) for k in keys)
    assert hashlib.sha256(x.encode()).hexdigest() not in keys  # keyed, not a plain hash


# --- the lookup limit ---------------------------------------------------------------------------


def test_a_terminal_over_its_hourly_limit_of_citizens_is_refused_and_recorded(client, backend):
    t, u = terminal(client, "T-LIMIT"), terminal(client, "T-LIMIT-2")
    limit = backend.app_options["max_citizens_per_hour"]
    crowd = people(backend)[-(limit + 2):]  # looked up by no other test
    for n in crowd[:limit]:
        # A refused proof is no lookup: it does not count.
        stale = make_proof(t, n, at=datetime(2020, 1, 1, tzinfo=timezone.utc))
        r = post(client, t, p.Paths.SOCIAL_INSURANCE, {"id_number": n, "proof": stale})
        assert error_of(r).error == "proof_invalid"
        assert served(post(client, t, p.Paths.SOCIAL_INSURANCE, proved(t, {"id_number": n})))
    over = crowd[limit]
    for path, rest in PERSONAL:
        r = post(client, t, path, proved(t, {**rest, "id_number": over}))
        assert r.status_code == 403 and error_of(r).error == "lookup_limit", path
        assert over not in r.text
    # Citizens already looked up this hour are still served; other terminals are not limited.
    assert served(post(client, t, p.Paths.REAL_ESTATE, proved(t, {"id_number": crowd[0]})))
    assert served(post(client, u, p.Paths.REAL_ESTATE, proved(u, {"id_number": over})))
    assert outcomes(backend, "T-LIMIT")["lookup_limit"] == len(PERSONAL)
    # One anomaly row for the hall console, not one per refusal.
    rows = sq.db_rows(backend, "SELECT terminal_id, detail FROM audit_log "
                               "WHERE kind = 'lookup_limit'")
    detail = f"{limit} distinct citizens looked up in the last hour (limit {limit})"
    assert rows == [("T-LIMIT", detail)]
    r = client.get("/v1/admin/audit-log", params={"kind": "lookup_limit"}, headers=sq.ADMIN_AUTH)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    [row] = r.json()
    assert (row["terminal_id"], row["kind"]) == ("T-LIMIT", "lookup_limit")
    assert set(row) == {"id", "at", "kind", "terminal_id", "enrolment_code_id", "remote_addr",
                        "detail", "staff_no"}
    # An hour later the window has moved on.
    backdate(backend, update(AccessLogEntry).where(AccessLogEntry.terminal_id == "T-LIMIT")
             .values(at=utc_ago(minutes=61)))
    assert served(post(client, t, p.Paths.SOCIAL_INSURANCE, proved(t, {"id_number": over})))


def test_the_admin_audit_log_lists_rows_newest_first_without_secrets(client, backend):
    victim = terminal(client, "T-AUDIT")
    r = client.post(p.Paths.ENROL, json={"enrolment_code": "DEMO-ENROL", "terminal_id": "T-AUDIT"})
    assert r.status_code == 403  # a takeover refused: an audit row
    r = client.get("/v1/admin/audit-log", params={"limit": 1}, headers=sq.ADMIN_AUTH)
    [row] = r.json()
    assert (row["kind"], row["terminal_id"]) == ("enrolment_takeover_refused", "T-AUDIT")
    everything = client.get("/v1/admin/audit-log", params={"limit": 1000}, headers=sq.ADMIN_AUTH)
    [(secret,)] = sq.db_rows(backend, "SELECT value FROM server_secrets")
    for s in (secret, victim.credential, "DEMO-ENROL"):
        assert s not in everything.text
    assert client.get("/v1/admin/audit-log", headers=victim).status_code == 401
    for bad in ({"limit": 0}, {"limit": 1001}, {"kind": "Robert'); DROP"}):
        r = client.get("/v1/admin/audit-log", params=bad, headers=sq.ADMIN_AUTH)
        assert r.status_code == 422, bad


# --- without enforcement (terminals that send no proof yet) -----------------------------------


def test_without_require_proof_calls_are_served_and_a_proof_sent_is_still_checked(tmp_path):
    path = tmp_path / "lenient.sqlite3"
    server = seeded(f"sqlite:///{path}", require_proof=False)
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            auth = sq.enrol(c, "T-LENIENT")
            r = c.post(p.Paths.REAL_ESTATE, json={"id_number": LI}, headers=auth)
            assert r.status_code == 200, r.text
            r = c.post(p.Paths.REAL_ESTATE, headers=auth, json={
                "id_number": LI, "proof": make_proof(auth, LI, signed_id_number=ZHANG)})
            assert r.status_code == 403 and error_of(r).error == "proof_invalid"
            assert c.post(p.Paths.REAL_ESTATE, json=proved(auth, {"id_number": LI}),
                          headers=auth).status_code == 200
        server.db_path = path
        assert sq.db_rows(server, "SELECT method, outcome FROM access_log ORDER BY id") == [
            (None, "ok"), ("card_face", "proof_invalid"), ("card_face", "ok")]
    finally:
        server.stop()
    from backend.__main__ import _parser

    assert _parser().parse_args(["serve", "--allow-unverified"]).allow_unverified is True
    defaults = _parser().parse_args(["serve"])
    assert defaults.allow_unverified is False and defaults.max_citizens_per_hour == 40


# --- the kiosk's adapter ------------------------------------------------------------------------


def test_the_kiosk_adapter_sends_proofs_exchanges_e_credentials_and_reads_the_access_log(
        client, backend):
    from kiosk.flows.ports import BackendRecords, Rejected
    from kiosk.sync.adapter import BackendRejected, HttpAdapter

    citizen = people(backend)[6]
    with HttpAdapter(backend.url) as adapter:
        adapter.enrol(sq.bound_code(client, "T-ADAPTER"), "T-ADAPTER")

        def proof(id_number, *, method="card_face", session_id=None, ticket=None, iso=False):
            """As the kiosk will make one: signed over verified_at's JSON text, or (iso) over
            its isoformat(), which the model then sends in another spelling (Z)."""
            at = datetime.now(timezone.utc)
            session_id = session_id or uuid.uuid4().hex
            draft = p.Proof(method=method, session_id=session_id, verified_at=at, ticket=ticket,
                            signature="0" * 64)
            text = at.isoformat() if iso else draft.model_dump(mode="json")["verified_at"]
            message = p.proof_message(terminal_id="T-ADAPTER", id_number=id_number,
                                      method=method, session_id=session_id, verified_at=text,
                                      ticket=ticket, staff_id=None)
            return draft.model_copy(update={"signature": p.sign_proof(adapter.credential,
                                                                      message)})

        with pytest.raises(BackendRejected) as exc:
            adapter.fetch("real_estate", citizen)
        assert (exc.value.status, exc.value.code) == (403, "verification_required")
        for iso in (False, True):
            assert isinstance(adapter.fetch("real_estate", citizen, proof=proof(citizen, iso=iso)),
                              p.RealEstateRecords)
        with pytest.raises(BackendRejected) as exc:
            adapter.fetch("real_estate", citizen, proof=proof(LI))
        assert exc.value.code == "proof_invalid"
        issued = adapter.issue_document("no_property", LI, proof=proof(LI))
        assert issued.kind == "no_property"

        session = uuid.uuid4().hex
        qr = qr_for(client, ZHANG)
        who = adapter.exchange_credential(qr, session)
        assert who.id_number == ZHANG
        by_ticket = proof(ZHANG, method="e_credential", session_id=session, ticket=who.ticket)
        assert adapter.fetch("provident_fund", ZHANG, proof=by_ticket).account
        with pytest.raises(BackendRejected) as exc:
            adapter.exchange_credential(qr, session)
        assert (exc.value.status, exc.value.code) == (409, "credential_used")
        with pytest.raises(BackendRejected) as exc:  # a 401, yet not "not enrolled"
            adapter.exchange_credential(p.E_CREDENTIAL_PREFIX + ZHANG, session)
        assert (exc.value.status, exc.value.code) == (401, "credential_invalid")

        log = adapter.access_log(citizen, proof(citizen))
        assert [(e.terminal_id, e.call) for e in log.entries] == [("T-ADAPTER", "real_estate")] * 2

        # The flows' port passes the proof through and turns refusals into Rejected.
        port = BackendRecords(adapter)
        assert port.fetch("real_estate", citizen, proof=proof(citizen)).holder
        assert port.issue_document("no_property", LI, proof=proof(LI)).kind == "no_property"
        calls = [e.call for e in port.access_log(citizen, proof(citizen)).entries]
        assert calls == ["real_estate", "access_log", "real_estate", "real_estate"]
        assert port.exchange_credential(qr_for(client, LI), session).id_number == LI
        for call in (lambda: port.fetch("real_estate", citizen),
                     lambda: port.exchange_credential(qr, session)):
            with pytest.raises(Rejected):
                call()


def test_the_port_calls_an_adapter_without_proofs_as_before():
    from kiosk.flows.ports import BackendRecords
    from kiosk.sync.service import LiveAdapter

    class Old:  # an adapter (or a test's fake) that knows nothing of proofs
        def fetch(self, call, id_number):
            return ("fetch", call, id_number)

        def issue_document(self, kind, id_number, *, from_month=None, to_month=None):
            return ("issue_document", kind, id_number)

    port = BackendRecords(Old())
    assert port.fetch("real_estate", LI) == ("fetch", "real_estate", LI)
    assert port.issue_document("no_property", LI) == ("issue_document", "no_property", LI)
    assert {"exchange_credential", "access_log"} <= LiveAdapter._CALLS
