"""The reference backend on a real PostgreSQL server (tests/pg.py starts a throwaway one on
loopback): the migration, the seed, and the behaviours of tests/test_backend.py and
tests/test_protocol.py that depend on the database, run again here; then what SQLite cannot
show because it runs one writer at a time: row locks and savepoint fallbacks under real
concurrency (first queue ticket of the day, the same events from several requests at once,
a single-use enrolment code, call-next, catalog edits while a terminal pages, one e-credential
exchanged by many terminals at once).

Without PostgreSQL these tests are skipped, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import httpx
import pytest
import test_backend as sq  # the SQLite suite: its helpers and its database-neutral tests
import test_protocol as proto
import test_verification as tv  # verified identity: its tests, run again here
from sqlalchemy import func, select, text

from backend.catalog import BUNDLED_CATALOG, changes_page, import_catalog
from backend.db import head_revision, migrate, open_database
from backend.embedded import EmbeddedBackend
from backend.models import Base, Event, QueueBusinessType
from backend.seed import DEMO_ENROLMENT_CODE, DEMO_TERMINAL_ID, seed_database
import protocol as p

pytest_plugins = ["pg"]  # the fixtures pg_server and pg_url (tests/pg.py)

ADMIN_AUTH = sq.ADMIN_AUTH
CITIZENS = 40  # the four demo citizens and some more: the records tests name only the four
TIMINGS: dict[str, float] = {}


def now() -> str:
    return datetime.now(timezone.utc).isoformat()


def seeded_backend(url: str, **seed_options) -> EmbeddedBackend:
    db = open_database(url)
    try:
        seed_database(db, **seed_options)
    finally:
        db.close()
    server = EmbeddedBackend(url, admin_token=sq.ADMIN)
    server.start()
    return server


@pytest.fixture(scope="module")
def backend(pg_url):
    """The full shipped catalog and the demo citizens, served over HTTP from PostgreSQL."""
    t0 = time.perf_counter()
    server = seeded_backend(pg_url, citizens=CITIZENS)
    TIMINGS[f"seed (full catalog, {CITIZENS} citizens)"] = time.perf_counter() - t0
    yield server
    server.stop()
    print("\npostgres timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in TIMINGS.items()))


@pytest.fixture(scope="module")
def client(backend):
    with httpx.Client(base_url=backend.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def auth(client):
    return sq.enrol(client, DEMO_TERMINAL_ID)


@pytest.fixture(scope="module")
def small_backend(pg_server):
    """40 catalog items, for the tests that change the catalog."""
    server = seeded_backend(pg_server.create_database("small"), citizens=8, catalog_limit=40)
    yield server
    server.stop()


def pg_rows(backend, sql: str, *params):
    """test_backend.db_rows reads the SQLite file; here the same queries go to PostgreSQL."""
    with backend.app.state.db.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql.replace("?", "%s"), params).all()]


@pytest.fixture(autouse=True)
def _db_rows_on_postgres(monkeypatch):
    monkeypatch.setattr(sq, "db_rows", pg_rows)


def together(n: int, fn):
    """Run fn(i) in n threads released at the same moment; their results in order."""
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait(timeout=30)
        return fn(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


# --- migrations and seed -----------------------------------------------------------------------


def test_migrations_apply_match_the_models_and_downgrade(pg_server):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from backend.db import _alembic_config

    db = open_database(pg_server.create_database("migrations"))
    try:
        with db.engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            assert version == head_revision()
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            types = dict(conn.execute(text(
                "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = 'public'")).all())
        # Row ids and counts a terminal sends are BIGINT (the protocol allows up to 10**12).
        for column in ("events.id", "terminals.backlog", "terminals.uptime_s"):
            assert types[column] == "bigint", column
        assert types["catalog_items.deleted"] == "boolean"
        with db.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "base")
        with db.engine.connect() as conn:
            left = conn.execute(text("SELECT count(*) FROM information_schema.tables"
                                     " WHERE table_schema = 'public'"
                                     " AND table_name <> 'alembic_version'")).scalar()
        assert left == 0
        migrate(db.engine)
        migrate(db.engine)  # at head: nothing to do
        with db.read() as s:
            assert s.scalar(text("SELECT value FROM sequences WHERE name = 'catalog'")) == 0
    finally:
        db.close()


def test_seed_filled_the_database_and_seeding_again_changes_nothing(backend):
    db = backend.app.state.db
    with db.read() as s:
        counts = {t: s.scalar(text(f"SELECT count(*) FROM {t}")) for t in (
            "citizens", "contributions", "catalog_items", "departments", "categories",
            "employers", "staff_accounts", "queue_business_types")}
    assert counts["citizens"] == CITIZENS and counts["catalog_items"] == 10323
    assert all(counts.values()), counts
    again = seed_database(db, citizens=CITIZENS)
    assert again.catalog.changed == again.catalog.deleted == 0
    assert again.skipped == ["citizens (already seeded)"]
    with db.read() as s:
        assert s.scalar(text("SELECT count(*) FROM citizens")) == CITIZENS
    rows = sq.db_rows(backend, "SELECT id_number FROM citizens ORDER BY id")
    assert [r[0] for r in rows[:4]] == [sq.ZHANG, sq.LI, sq.WANG, sq.CHEN]


# --- the SQLite suite's behaviours, on PostgreSQL ------------------------------------------------


def test_enrolment_and_credentials(client, backend, caplog):
    sq.test_enrol_gives_a_working_credential_and_re_enrolment_replaces_it(client)
    sq.test_enrolment_refused_with_a_wrong_code(client)
    sq.test_missing_wrong_and_revoked_credentials_get_401(client)
    sq.test_an_unbound_code_cannot_take_over_an_enrolled_terminal(client, backend, caplog)


def test_full_catalog_sync_pages_to_the_catalog_size(client, auth):
    t0 = time.perf_counter()
    sq.test_full_catalog_sync_pages_to_the_catalog_size(client, auth)
    TIMINGS["full catalog sync"] = time.perf_counter() - t0


def test_catalog_edit_deletion_and_incremental_import(small_backend):
    sq.test_catalog_changes_after_an_edit_and_a_deletion(small_backend)
    db = small_backend.app.state.db
    with db.read() as s:
        cursor = changes_page(s, 0, 100_000).next_cursor
    # Items 31-40 and the admin's own item are not in the file: tombstones. The item the admin
    # deleted is (the first one): it comes back.
    fewer = import_catalog(db, BUNDLED_CATALOG, limit=30)
    assert (fewer.changed, fewer.deleted) == (1, 11)
    with db.read() as s:
        page = changes_page(s, cursor, 100)
    assert len(page.deleted_item_ids) == 11 and len(page.changes) == 1
    assert import_catalog(db, BUNDLED_CATALOG, limit=30).changed == 0


def test_records(client, auth, backend):
    sq.test_social_insurance_records_of_a_seeded_citizen(client, auth)
    sq.test_medical_provident_fund_and_real_estate(client, auth)
    sq.test_unknown_and_invalid_id_numbers(client, auth, backend)


def test_events_stored_once_and_rejected_when_they_must_be(client, auth, backend):
    sq.test_the_same_events_batch_twice_is_stored_once(client, auth, backend)
    sq.test_events_rejected_for_personal_data_or_a_reused_key(client, auth, backend)


def test_documents_issue_and_verify(client, auth):
    sq.test_document_issue_then_public_verify(client, auth)
    sq.test_no_property_certificate_only_without_property(client, auth)


def test_queue_tickets(client, auth):
    sq.test_queue_tickets_increment_and_can_be_followed(client, auth)


def test_heartbeat_commands_and_counts_a_bigint_holds(client, auth):
    sq.test_heartbeat_returns_a_queued_command_until_acked(client)
    sq.test_seeded_demo_terminal_has_a_reload_command(client, auth)
    # The protocol allows counts up to 10**12: an INTEGER column would overflow (a 500).
    beat = {"terminal_id": DEMO_TERMINAL_ID, "version": "9" * 40, "uptime_s": 10**12,
            "backlog": 10**12, "acked_command_ids": [2**62]}
    r = client.post("/v1/heartbeat", json=beat, headers=auth)
    assert r.status_code == 200, r.text
    terminals = {t["id"]: t for t in client.get("/v1/admin/terminals", headers=ADMIN_AUTH).json()}
    assert terminals[DEMO_TERMINAL_ID]["backlog"] == 10**12


def test_concurrent_terminals_get_distinct_numbers_and_events_stored_once(backend, auth):
    sq.test_concurrent_terminals_get_distinct_numbers_and_events_stored_once(backend, auth)


# --- the published contract: hostile bodies get 4xx, never a 500 from the database --------------


@pytest.fixture(scope="module")
def protocol_server(pg_server):
    server = seeded_backend(pg_server.create_database("protocol"), citizens=6, catalog_limit=30)
    with httpx.Client(base_url=server.url, timeout=30) as c:
        c.terminal_auth = sq.enrol(c, DEMO_TERMINAL_ID)
        c.admin_auth = ADMIN_AUTH
        yield c
    server.stop()


def test_every_body_endpoint_valid_example_and_every_mutation(protocol_server):
    openapi = protocol_server.get("/openapi.json").json()
    proto.test_every_body_endpoint_has_a_valid_example(protocol_server, openapi)
    proto.test_every_body_endpoint_rejects_missing_fields_and_wrong_types(protocol_server, openapi)
    proto.test_hostile_bodies_get_4xx_never_500(protocol_server)


# --- real concurrency: what SQLite's single writer never shows -----------------------------------


def test_first_ticket_of_the_day_raced_by_many_terminals(backend, auth):
    """Every round a new business type, so the counter row does not exist yet: all but one of
    the racing requests fail to insert it and fall back to the UPDATE (savepoint)."""
    rounds, racers = 4, 12
    with backend.app.state.db.write() as s:
        for n in range(rounds):
            s.add(QueueBusinessType(code=f"race{n}", name=f"竞争 {n}", prefix=f"R{n}",
                                    window="", sort_order=100 + n))

    for n in range(rounds):
        def take(_i, n=n):
            with httpx.Client(base_url=backend.url, timeout=30) as c:
                r = c.post("/v1/queue/tickets", json={"business_type": f"race{n}"}, headers=auth)
                assert r.status_code == 201, r.text
                return r.json()

        got = together(racers, take)
        assert sorted(t["number"] for t in got) == [f"R{n}{i:03d}" for i in range(1, racers + 1)]
        assert sorted(t["people_ahead"] for t in got) == list(range(racers))


def test_call_next_raced_calls_each_number_once(client, auth, backend):
    for _ in range(10):
        assert client.post("/v1/queue/tickets", json={"business_type": "gjj"},
                           headers=auth).status_code == 201

    def call(_i):
        with httpx.Client(base_url=backend.url, timeout=30) as c:
            return c.post("/v1/admin/queue/gjj/call-next", headers=ADMIN_AUTH).json()["called"]

    called = together(10, call)
    assert sorted(called) == [f"C{i:03d}" for i in range(1, 11)]


def test_the_same_events_from_many_requests_at_once(backend, auth):
    """Eight requests carry overlapping batches in different orders; one event's key also comes
    with a different payload. Each event is stored once, counted accepted once, nothing fails
    (no deadlock between the batches' unique-index locks, no 500)."""
    keys = [str(uuid.uuid4()) for _ in range(300)]
    at = now()
    events = {k: {"idempotency_key": k, "kind": "telemetry", "occurred_at": at,
                  "payload": {"n": n}} for n, k in enumerate(keys)}
    reused = keys[0]
    forged = {**events[reused], "payload": {"n": "forged"}}

    def push(i):
        rng = random.Random(i)
        mine = [reused, *rng.sample(keys[1:], 199)]  # overlapping subsets, each in its own order
        rng.shuffle(mine)
        batch = [forged if (k == reused and i % 2) else events[k] for k in mine]
        with httpx.Client(base_url=backend.url, timeout=60) as c:
            r = c.post("/v1/events", json={"events": batch}, headers=auth)
        assert r.status_code == 200, r.text
        return [(e["idempotency_key"], e["payload"], res["status"])
                for e, res in zip(batch, r.json()["results"], strict=True)]

    results = [x for batch in together(8, push) for x in batch]
    accepted = [k for k, _, st in results if st == "accepted"]
    sent = {k for k, _, _ in results}
    assert sorted(accepted) == sorted(sent), "each event sent is accepted exactly once"
    stored = dict(sq.db_rows(backend, "SELECT idempotency_key, payload_json FROM events "
                                      "WHERE idempotency_key = ANY(?)", list(sent)))
    assert set(stored) == sent
    # Whichever payload of the reused key won, the other one was refused, never "duplicate".
    for k, payload, st in results:
        if k == reused and st != "accepted":
            same = json.dumps(payload) == stored[k]
            assert st == ("duplicate" if same else "rejected"), (payload, stored[k], st)
        elif k != reused:
            assert st in ("accepted", "duplicate")
    with backend.app.state.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Event)
                        .where(Event.idempotency_key.in_(keys))) == len(sent)


def test_a_single_use_enrolment_code_raced_enrols_one_terminal(client, backend):
    made = client.post("/v1/admin/enrolment-codes", headers=ADMIN_AUTH,
                       json={"max_uses": 1}).json()

    def enrol(i):
        with httpx.Client(base_url=backend.url, timeout=30) as c:
            return c.post("/v1/enrol", json={"enrolment_code": made["code"],
                                             "terminal_id": f"T-RACE-{i}"}).status_code

    assert sorted(together(8, enrol)) == [200] + [401] * 7


def _active_credentials(backend, terminal_id: str) -> list[tuple]:
    return sq.db_rows(backend, "SELECT count(*) FROM terminal_credentials "
                               "WHERE terminal_id = ? AND revoked_at IS NULL", terminal_id)


def _working(backend, creds) -> list[str]:
    with httpx.Client(base_url=backend.url, timeout=30) as c:
        return [cred for cred in creds if cred and c.get(
            "/v1/catalog/changes", params={"limit": 1},
            headers={"Authorization": f"Bearer {cred}"}).status_code == 200]


def test_one_new_terminal_enrolled_by_many_unbound_codes_at_once_is_enrolled_once(client,
                                                                                  backend):
    """Different codes, so the code's row lock does not order them: the terminal's row does.
    The first enrolment wins; the others would take over the terminal it just became."""
    codes = [DEMO_ENROLMENT_CODE] + [
        client.post("/v1/admin/enrolment-codes", headers=ADMIN_AUTH, json={}).json()["code"]
        for _ in range(7)]

    def enrol(i):
        with httpx.Client(base_url=backend.url, timeout=30) as c:
            r = c.post("/v1/enrol", json={"enrolment_code": codes[i], "terminal_id": "T-SAME"})
            return r.status_code, r.json().get("credential") or r.json().get("error")

    results = together(8, enrol)
    assert sorted(status for status, _ in results) == [200] + [403] * 7, results
    assert {what for status, what in results if status == 403} == {"already_enrolled"}
    assert _active_credentials(backend, "T-SAME") == [(1,)]
    assert len(_working(backend, [what for status, what in results if status == 200])) == 1
    assert sq.db_rows(backend, "SELECT count(*) FROM audit_log WHERE terminal_id = 'T-SAME' "
                               "AND kind = 'enrolment_takeover_refused'") == [(7,)]


def test_one_terminal_enrolled_again_by_many_requests_at_once_keeps_one_credential(client,
                                                                                   backend):
    sq.enrol(client, "T-AGAIN")
    code = sq.bound_code(client, "T-AGAIN", max_uses=None)

    def enrol(_i):
        with httpx.Client(base_url=backend.url, timeout=30) as c:
            r = c.post("/v1/enrol", json={"enrolment_code": code, "terminal_id": "T-AGAIN"})
            assert r.status_code == 200, r.text
            return r.json()["credential"]

    creds = together(8, enrol)
    assert _active_credentials(backend, "T-AGAIN") == [(1,)]
    assert len(_working(backend, creds)) == 1


# --- verified identity (issue 15) ---------------------------------------------------------------


@pytest.fixture(scope="module")
def verify_backend(pg_server):
    """test_verification's backend (its citizens, its lookup limit), on PostgreSQL."""
    server = tv.seeded(pg_server.create_database("verify"), max_citizens_per_hour=tv.LIMIT)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def verify_client(verify_backend):
    with httpx.Client(base_url=verify_backend.url, timeout=30) as c:
        yield c


def test_verified_identity(verify_client, verify_backend):
    c, b = verify_client, verify_backend
    tv.test_every_personal_endpoint_refuses_a_call_without_a_valid_proof(c, b)
    tv.test_an_e_credential_is_exchanged_for_the_identity_and_a_ticket_of_this_session(c, b)
    tv.test_forged_garbled_foreign_and_expired_e_credentials_are_refused(c, b)
    tv.test_a_citizen_sees_exactly_the_lookups_made_of_them(c, b)
    tv.test_a_terminal_over_its_hourly_limit_of_citizens_is_refused_and_recorded(c, b)
    tv.test_the_admin_audit_log_lists_rows_newest_first_without_secrets(c, b)
    tv.test_the_kiosk_adapter_sends_proofs_exchanges_e_credentials_and_reads_the_access_log(c, b)


def test_one_e_credential_raced_by_many_terminals_is_exchanged_once(verify_client,
                                                                   verify_backend):
    """The token id's primary key: of 16 exchanges at once, one inserts it, the others wait
    for its commit and fail (credential_used); the winner's ticket is the only one."""
    tv.test_one_e_credential_shown_at_many_terminals_at_once_is_exchanged_once(
        verify_client, verify_backend, racers=16, rounds=5)


def test_catalog_edits_while_a_terminal_pages_are_never_skipped(small_backend):
    """Writers take change numbers under the counter's row lock, so they commit in number
    order; a terminal paging meanwhile (REPEATABLE READ snapshots) sees every change."""
    with httpx.Client(base_url=small_backend.url, timeout=30) as c:
        auth = sq.enrol(c, "T-PAGER")
        first = c.get("/v1/catalog/changes", params={"limit": 1000}, headers=auth).json()
        cursor = first["next_cursor"]
    writers, edits = 4, 8
    done = threading.Event()
    seen: list[p.ItemChange] = []
    item = {"name": "并发事项", "department": "rs", "category": "rs.ss",
            "keys": [{"text": "并发事项", "pinyin": "bingfashixiang", "initials": "bfsx"}]}

    def write(w):
        with httpx.Client(base_url=small_backend.url, timeout=30) as c:
            for e in range(edits):
                r = c.put(f"/v1/admin/catalog/items/CONC-{w}-{e}",
                          json={**item, "code": f"{w}.{e}"}, headers=ADMIN_AUTH)
                assert r.status_code == 200, r.text

    def read():
        nonlocal cursor
        with httpx.Client(base_url=small_backend.url, timeout=30) as c:
            while True:
                finished = done.is_set()
                r = c.get("/v1/catalog/changes", params={"cursor": cursor, "limit": 3},
                          headers=auth)
                assert r.status_code == 200, r.text
                page = p.CatalogChanges.model_validate(r.json())
                assert all(x.seq > cursor for x in page.changes)
                seen.extend(page.changes)
                cursor = page.next_cursor
                if finished and not page.has_more:
                    return

    with ThreadPoolExecutor(writers + 1) as pool:
        reader = pool.submit(read)
        for f in [pool.submit(write, w) for w in range(writers)]:
            f.result()
        done.set()
        reader.result(timeout=60)
    seqs = [x.seq for x in seen]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert {x.id for x in seen} == {f"CONC-{w}-{e}" for w in range(writers) for e in range(edits)}
