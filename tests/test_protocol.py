"""The shared protocol module, and the published OpenAPI document read as a contract: every
POST/PUT endpoint answers missing fields, wrong types and non-JSON with a 4xx `ErrorBody`, never
a 500."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `backend` is not an installed package (see pyproject)
    sys.path.insert(0, str(ROOT))

from backend.db import open_database  # noqa: E402
from backend.embedded import EmbeddedBackend  # noqa: E402
from backend.seed import (  # noqa: E402
    DEMO_CITIZENS,
    DEMO_ENROLMENT_CODE,
    DEMO_TERMINAL_ID,
    seed_database,
)
import protocol as p  # noqa: E402

ADMIN = "protocol-admin"
ZHANG, LI = DEMO_CITIZENS[0].id_number, DEMO_CITIZENS[1].id_number


# --- the module on its own ----------------------------------------------------------------------


def test_importing_the_protocol_loads_neither_end_nor_their_libraries():
    """At run time, beside the static import contracts (tests/test_architecture.py): another
    backend can vendor `protocol` with pydantic alone."""
    out = subprocess.run(
        [sys.executable, "-c", "import sys, protocol, protocol.demo; print(sorted(m for m in "
         "sys.modules if m.split('.')[0] in ('kiosk', 'backend', 'screens', 'printing', "
         "'sqlalchemy', 'PySide6', 'httpx', 'fastapi')))"],
        cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_local_time_is_china_standard_time_all_year():
    """Both ends take months and days in `LOCAL_TZ`: UTC+8, summer and winter alike."""
    for moment in (datetime(2026, 1, 15, 12), datetime(2026, 7, 15, 12)):
        assert p.LOCAL_TZ.utcoffset(moment) == timedelta(hours=8)
    assert p.LOCAL_TZ.tzname(None) == "Asia/Shanghai"
    # 2026-03-31 20:00 UTC is already April in China: the month a record is filed under
    late = datetime(2026, 3, 31, 20, tzinfo=timezone.utc)
    assert f"{late.astimezone(p.LOCAL_TZ):%Y-%m}" == "2026-04"
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        shanghai = ZoneInfo("Asia/Shanghai")
    except ZoneInfoNotFoundError:  # no tz database on this machine: the fixed offset stands
        return
    for month in range(1, 13):
        moment = datetime(2026, month, 1, 12)
        assert shanghai.utcoffset(moment) == p.LOCAL_TZ.utcoffset(moment)


def test_id_number_rules():
    assert p.id_number_problem("11010519491231002X") is None
    assert p.id_number_problem("11010519491231002x ") is None
    assert "check digit" in p.id_number_problem("110105194912310021")
    assert "18 characters" in p.id_number_problem("1101051949123100")
    assert "birth date" in p.id_number_problem("110105194913310029")
    assert "plausible" in p.id_number_problem("110105" + "20991231" + "0016",
                                               today=date(2026, 1, 1))
    assert "province" in p.id_number_problem("000105194912310021")
    with pytest.raises(ValidationError) as exc:
        p.RecordsRequest(id_number="110105194912310021")
    assert "check digit" in str(exc.value)
    assert p.RecordsRequest(id_number=" 11010519491231002x").id_number == "11010519491231002X"
    assert p.mask_id_number("11010519491231002X") == "1101**********002X"
    assert [p.mask_name(n) for n in ("张伟", "王建国", "欧阳娜娜", "李")] == ["张*", "王*国", "欧***", "李"]


def test_requests_forbid_unknown_fields_and_responses_ignore_them():
    with pytest.raises(ValidationError):
        p.TicketRequest(business_type="ss", colour="red")
    reply = p.HeartbeatReply.model_validate({"commands": [], "server_time": "2026-01-01T00:00:00Z",
                                             "added_in_v1_5": True})
    assert reply.commands == []
    with pytest.raises(ValidationError):  # times must carry an offset
        p.Event(idempotency_key=uuid.uuid4(), kind="rating", occurred_at="2026-01-01T08:00:00",
                payload={})


def test_money_is_a_two_place_string_on_the_wire():
    dep = p.ProvidentFundDeposit(month="2026-01", personal=Decimal("1234.5"),
                                 employer_amount=Decimal("1234.50"), total=Decimal("2469"),
                                 balance_after=Decimal("0"))
    wire = json.loads(dep.model_dump_json())
    assert wire == {"month": "2026-01", "personal": "1234.50", "employer_amount": "1234.50",
                    "total": "2469.00", "balance_after": "0.00"}
    assert p.ProvidentFundDeposit.model_validate(wire).total == Decimal("2469.00")
    with pytest.raises(ValidationError):
        p.ProvidentFundDeposit(month="2026-13", personal=1, employer_amount=1, total=2,
                               balance_after=2)


def _event(payload) -> dict:
    return {"idempotency_key": str(uuid.uuid4()), "kind": "telemetry",
            "occurred_at": "2026-01-01T00:00:00Z", "payload": payload}


@pytest.mark.parametrize("payload", [
    {"x": float("nan")}, {"x": float("inf")}, {"x": -float("inf")},
    {"a": [1, {"b": [2.5, float("nan")]}]},  # anywhere inside
    {"x": 2**53}, {"x": -(2**53)}, {"x": 10**300}, {"a": [[[[-(10**30)]]]]},
])
def test_event_payloads_refuse_non_finite_numbers_and_unsafe_integers(payload):
    with pytest.raises(ValidationError) as info:
        p.Event.model_validate(_event(payload))
    [err] = info.value.errors()
    assert err["loc"] == ("payload",) and err["type"] in ("finite_number", "safe_integer")
    # The same from JSON text, as the backend receives it (json reads NaN and 1e400 as floats).
    text = json.dumps(_event(payload))
    with pytest.raises(ValidationError):
        p.Event.model_validate(json.loads(text))
    with pytest.raises(ValidationError):
        p.Event.model_validate_json(text)


def test_event_payloads_take_numbers_up_to_the_json_safe_limits():
    payload = {"max": p.MAX_SAFE_INTEGER, "min": -p.MAX_SAFE_INTEGER, "f": 1.7976931348623157e308,
               "flag": True, "none": None, "deep": [[[[[[[[[[0.5]]]]]]]]]]}
    assert p.Event.model_validate(_event(payload)).payload == payload
    deep: list = [1]
    for _ in range(10_000):  # no recursion: a deep payload is walked, not a RecursionError
        deep = [deep]
    p._json_safe({"deep": deep})


def test_catalog_changes_are_a_tagged_union():
    page = p.CatalogChanges.model_validate({
        "changes": [
            {"kind": "department", "seq": 1, "code": "rs", "name": "人社局", "short_name": "人社"},
            {"kind": "category", "seq": 2, "code": "rs.ss", "department": "rs", "name": "社保"},
            {"kind": "item", "seq": 3, "id": "RS-1", "name": "参保证明", "department": "rs",
             "category": "rs.ss", "keys": [{"text": "参保证明"}], "guide": {"format": 1}},
        ],
        "deleted_item_ids": ["RS-0"], "next_cursor": 3, "has_more": False, "catalog_version": "v"})
    assert [type(c).__name__ for c in page.changes] == ["DepartmentChange", "CategoryChange", "ItemChange"]


# --- the published contract, against the real server ------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("protocol") / "protocol.sqlite3"
    db = open_database(f"sqlite:///{path}")
    seed_database(db, citizens=6, catalog_limit=30)
    db.close()
    with EmbeddedBackend(f"sqlite:///{path}", admin_token=ADMIN) as backend:
        with httpx.Client(base_url=backend.url, timeout=10) as client:
            r = client.post(p.Paths.ENROL, json={"enrolment_code": DEMO_ENROLMENT_CODE,
                                                 "terminal_id": DEMO_TERMINAL_ID})
            client.terminal_auth = {"Authorization": f"Bearer {r.json()['credential']}"}
            client.admin_auth = {"Authorization": f"Bearer {ADMIN}"}
            yield client


@pytest.fixture(scope="module")
def openapi(server) -> dict:
    r = server.get("/openapi.json")
    assert r.status_code == 200
    return r.json()


def now() -> str:
    return datetime.now(timezone.utc).isoformat()


def signed(c, body: dict) -> dict:
    """A personal request's body with a valid proof (card_face) of the enrolled demo terminal."""
    credential = c.terminal_auth["Authorization"].removeprefix("Bearer ")
    session_id, at = uuid.uuid4().hex, now()
    message = p.proof_message(terminal_id=DEMO_TERMINAL_ID, id_number=body["id_number"],
                              method="card_face", session_id=session_id, verified_at=at,
                              ticket=None, staff_id=None)
    return {**body, "proof": {"method": "card_face", "session_id": session_id, "verified_at": at,
                              "signature": p.sign_proof(credential, message)}}


def fresh_qr(c, id_number: str) -> str:
    """An e-credential QR from the admin endpoint (the demo's simulated phone)."""
    r = c.post(p.Paths.ADMIN_E_CREDENTIALS, json={"id_number": id_number}, headers=c.admin_auth)
    assert r.status_code == 201, r.text
    return r.json()["qr"]


# One valid body per endpoint with a JSON body (given the client, for bodies that need its
# credential or the admin's): the mutations below start from it. A new endpoint without an
# example fails test_every_body_endpoint_has_a_valid_example.
EXAMPLES = {
    ("post", "/v1/enrol"): lambda c: {"enrolment_code": DEMO_ENROLMENT_CODE, "terminal_id": "T-PROTO"},
    ("post", "/v1/records/social-insurance"): lambda c: signed(c, {"id_number": ZHANG}),
    ("post", "/v1/records/medical-account"): lambda c: signed(c, {"id_number": ZHANG}),
    ("post", "/v1/records/provident-fund"): lambda c: signed(c, {"id_number": ZHANG}),
    ("post", "/v1/records/real-estate"): lambda c: signed(c, {"id_number": LI}),
    ("post", "/v1/records/access-log"): lambda c: signed(c, {"id_number": ZHANG}),
    ("post", "/v1/documents"): lambda c: signed(c, {
        "kind": "ss_contributions", "id_number": ZHANG, "from_month": "2025-01",
        "to_month": "2025-03"}),
    ("post", "/v1/identity/exchange"): lambda c: {"qr": fresh_qr(c, LI),
                                                  "session_id": uuid.uuid4().hex},
    ("post", "/v1/queue/tickets"): lambda c: {"business_type": "general"},
    ("post", "/v1/events"): lambda c: {"events": [{"idempotency_key": str(uuid.uuid4()), "kind": "rating",
                                                   "occurred_at": now(), "payload": {"score": 5}}]},
    ("post", "/v1/heartbeat"): lambda c: {
        "terminal_id": DEMO_TERMINAL_ID, "version": "0.1.0", "uptime_s": 10, "backlog": 0,
        "devices": {"printer": {"status": "ok", "reason": ""}}, "acked_command_ids": [999]},
    ("post", "/v1/admin/terminals/{terminal_id}/commands"): lambda c: {"kind": "new_config",
                                                                       "payload": {"a": 1}},
    ("post", "/v1/admin/enrolment-codes"): lambda c: {"label": "x", "max_uses": 2, "expires_in_hours": 1},
    ("post", "/v1/admin/e-credentials"): lambda c: {"id_number": ZHANG},
    ("post", "/v1/help"): lambda c: {"request_id": str(uuid.uuid4()), "screen": "flow",
                                     "item_id": "ss.certificate", "step": "consent",
                                     "waiting_since": now()},
    ("post", "/v1/help/{request_id}/consent"): lambda c: help_then({"allow": False}, c),
    ("put", "/v1/admin/staff/{staff_no}"): lambda c: {"name": "协议", "role": "helper",
                                                      "hall": "", "pin": "815926"},
    ("put", "/v1/admin/catalog/items/{item_id}"): lambda c: {
        "name": "测试", "department": "rs", "category": "rs.ss", "kiosk_enabled": True,
        "keys": [{"text": "测试", "pinyin": "ceshi", "initials": "cs"}], "guide": {"format": 1}},
}
PATH_PARAMS = {"terminal_id": DEMO_TERMINAL_ID, "item_id": "PROTO-1",
               "request_id": "6f1c0a52-2f3e-4c55-9a43-0d5b1f3e8a01", "staff_no": "P001"}


def help_then(body: dict, client) -> dict:
    """`body`, once the terminal's help request PATH_PARAMS["request_id"] exists."""
    r = client.post("/v1/help", headers=client.terminal_auth, json={
        "request_id": PATH_PARAMS["request_id"], "screen": "flow", "waiting_since": now()})
    assert r.status_code in (200, 201), r.text
    return body


def body_operations(openapi: dict):
    for path, ops in openapi["paths"].items():
        for method, op in ops.items():
            schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if schema is not None:
                yield method, path, schema, op


def resolve(openapi: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].split("/")[-1]]
    for key in ("anyOf", "oneOf"):
        if key in schema:  # X | None: the non-null branch
            branches = [b for b in schema[key] if b.get("type") != "null"]
            if len(branches) == 1:
                return resolve(openapi, branches[0])
    return schema


def wrong_value(schema: dict):
    """A value of the wrong JSON type for `schema`."""
    kind = schema.get("type")
    if "enum" in schema or kind == "string":
        return 12345
    if kind in ("integer", "number"):
        return "not a number"
    if kind == "boolean":
        return "maybe"
    if kind == "object":
        return ["not", "an", "object"]
    if kind == "array":
        return "not an array"
    return {"unexpected": ["shape"]}


def mutations(openapi: dict, value, schema: dict, path=()):
    """(description, path, replacement or DELETE) for each node of a valid body."""
    s = resolve(openapi, schema)
    if s.get("type") == "object" and not s.get("properties") and s.get("additionalProperties") in (True, None):
        if isinstance(value, dict) and path:  # free-form (event payloads): only its own type counts
            yield f"{'.'.join(map(str, path))} wrong type", path, wrong_value(s)
            return
    yield f"{'.'.join(map(str, path)) or 'body'} wrong type", path, wrong_value(s)
    if isinstance(value, dict):
        props = s.get("properties", {})
        extra = s.get("additionalProperties")
        for key, sub in value.items():
            sub_schema = props.get(key) or (extra if isinstance(extra, dict) else None)
            if sub_schema is not None:
                yield from mutations(openapi, sub, sub_schema, (*path, key))
        for key in s.get("required", []):
            yield f"{'.'.join(map(str, (*path, key)))} missing", (*path, key), DELETE
        if props and s.get("additionalProperties") is False:
            yield f"{'.'.join(map(str, path)) or 'body'} unknown field", (*path, "no_such_field"), "x"
    elif isinstance(value, list) and value and isinstance(s.get("items"), dict):
        yield from mutations(openapi, value[0], s["items"], (*path, 0))


DELETE = object()


def apply(body, path, replacement):
    if not path:
        return replacement
    body = copy.deepcopy(body)
    node = body
    for key in path[:-1]:
        node = node[key]
    if replacement is DELETE:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = replacement
    return body


def call(client, method, path, **kwargs):
    url = path.format(**PATH_PARAMS)
    headers = client.admin_auth if "/admin/" in path else client.terminal_auth
    return client.request(method.upper(), url, headers={**headers, **kwargs.pop("headers", {})}, **kwargs)


def assert_error(r: httpx.Response, what: str, status: set[int] | None = None) -> p.ErrorBody:
    assert 400 <= r.status_code < 500, f"{what}: {r.status_code} {r.text[:300]}"
    if status:
        assert r.status_code in status, f"{what}: {r.status_code} {r.text[:300]}"
    assert r.headers["content-type"].startswith("application/json"), what
    body = p.ErrorBody.model_validate(r.json())
    assert body.error and body.message, what
    return body


def test_every_error_response_is_documented_as_error_body(openapi):
    assert "HTTPValidationError" not in json.dumps(openapi["paths"])
    for path, ops in openapi["paths"].items():
        for method, op in ops.items():
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")):
                    assert "ErrorBody" in json.dumps(response), (method, path, status)


def test_every_body_endpoint_has_a_valid_example(server, openapi):
    ops = {(m, path) for m, path, _, _ in body_operations(openapi)}
    assert ops == set(EXAMPLES), "add a valid example body for each new endpoint"
    for method, path in sorted(ops):
        r = call(server, method, path, json=EXAMPLES[(method, path)](server))
        assert r.status_code in (200, 201), f"{method} {path}: {r.status_code} {r.text[:300]}"


def test_every_body_endpoint_rejects_missing_fields_and_wrong_types(server, openapi):
    checked = 0
    for method, path, schema, op in body_operations(openapi):
        assert "422" in op["responses"] and "ErrorBody" in json.dumps(op["responses"]["422"]), path
        example = EXAMPLES[(method, path)](server)
        for what, where, replacement in mutations(openapi, example, schema):
            body = apply(example, where, replacement)
            r = call(server, method, path, json=body)
            assert_error(r, f"{method} {path} {what}", {400, 422})
            checked += 1
        for raw, what in ((b"{not json", "malformed JSON"), (b"", "empty body"),
                          (b"null", "null"), (b"[]", "a list"), (b'"text"', "a string"),
                          ("{}".encode(), "empty object")):
            if raw == b"{}" and not resolve(openapi, schema).get("required"):
                continue  # every field optional: {} is a valid body
            r = call(server, method, path, content=raw, headers={"content-type": "application/json"})
            err = assert_error(r, f"{method} {path} {what}", {400, 422})
            if what == "malformed JSON":
                assert (r.status_code, err.error) == (400, "malformed_json")
            checked += 1
    assert checked > 150


def test_error_messages_name_the_field_and_never_echo_the_input(server):
    typo = ZHANG[:-1] + ("1" if ZHANG[-1] == "0" else "0")
    r = call(server, "post", "/v1/records/medical-account", json={"id_number": typo})
    err = assert_error(r, "bad check digit", {422})
    assert err.details[0].field == "body.id_number" and "check digit" in err.message
    assert ZHANG[:-1] not in r.text
    r = call(server, "post", "/v1/heartbeat", json={**EXAMPLES[("post", "/v1/heartbeat")](server),
                                                     "uptime_s": -5, "devices": {"p": {"status": "on fire"}}})
    err = assert_error(r, "heartbeat", {422})
    fields = {d.field for d in err.details}
    assert fields == {"body.uptime_s", "body.devices.p.status"}
    assert "(and 1 more)" in err.message


def test_query_and_path_parameters_are_checked_too(server):
    for params in ({"cursor": -1}, {"limit": 0}, {"limit": p.CATALOG_PAGE_MAX + 1}, {"cursor": "x"},
                   {"limit": "1; drop table"}):
        r = call(server, "get", p.Paths.CATALOG_CHANGES, params=params)
        assert_error(r, f"catalog {params}", {422})
    assert_error(server.get("/v1/verify/" + "Z" * 41), "long code", {404, 422})
    assert_error(server.get("/v1/verify/%00%01"), "control characters", {404, 422})
    assert_error(server.get("/v1/no/such/path"), "unknown path", {404})
    assert_error(server.delete(p.Paths.ENROL), "wrong method", {405})
    r = call(server, "post", "/v1/queue/tickets", content=b"business_type=ss",
             headers={"content-type": "application/x-www-form-urlencoded"})
    assert_error(r, "form body", {400, 422})


def test_hostile_bodies_get_4xx_never_500(server):
    beat = EXAMPLES[("post", "/v1/heartbeat")](server)
    event = EXAMPLES[("post", "/v1/events")](server)
    cases = [
        ("post", "/v1/heartbeat", json.dumps({**beat, "uptime_s": 10**30})),
        ("post", "/v1/heartbeat", json.dumps({**beat, "acked_command_ids": [10**30]})),
        ("post", "/v1/heartbeat", json.dumps({**beat, "version": "a\u0000b"})),
        ("post", "/v1/heartbeat", json.dumps({**beat, "uptime_s": 1e300})),
        ("post", "/v1/heartbeat", json.dumps(beat).replace('"uptime_s": 10', '"uptime_s": NaN')),
        ("post", "/v1/heartbeat", json.dumps(beat).encode().replace(b"0.1.0", b"\xff\xfe")),
        ("post", "/v1/events", "[" * 100_000 + "]" * 100_000),
        ("post", "/v1/events", json.dumps(event).replace('{"score": 5}', '{"a":' * 5000 + "1" + "}" * 5000)),
        ("post", "/v1/enrol", json.dumps({"enrolment_code": "x" * 65, "terminal_id": "T-1"})),
        ("post", "/v1/admin/enrolment-codes", json.dumps({"max_uses": 10**30})),
        ("post", "/v1/admin/terminals/%00/revoke", ""),
        ("put", "/v1/admin/catalog/items/a%2Fb", json.dumps(EXAMPLES[("put", "/v1/admin/catalog/items/{item_id}")](server))),
    ]
    for method, path, body in cases:
        r = call(server, method, path, content=body, headers={"content-type": "application/json"})
        assert_error(r, f"{method} {path} {str(body)[:60]}")
    for path in ("/v1/queue/tickets/%00", "/v1/verify/%F0%9F%98%80%F0%9F%98%80"):
        assert_error(server.get(path), path)
