"""The flow engine and the items, walked without any widget.

The backend is `FakeRecords`: plain data turned into `protocol` models, failing the
way the real `RecordsPort` does (`Unreachable`, `Rejected`). Printers and the outbox are small
fakes with the real ports' signatures (one test uses the real SQLite outbox). Every flow is
walked to done, and cancelled, timed out, sent back and failed at every one of its steps;
after each end nothing of the citizen may be reachable from the run or the session.
"""

from __future__ import annotations

import gc
import json
import logging
import random
import types
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from contracts import assert_implements
from kiosk.catalog.model import GuideDetail, ItemSummary, Material
from kiosk.devices.status import OK, DeviceStatus, Level, Reason
from kiosk.flows import rating as ratings
from kiosk.flows.engine import (
    ERROR_CODES,
    INPUT_CODES,
    Choose,
    Consent,
    ConsentMissing,
    Done,
    Fallback,
    Flow,
    FlowDefinitionError,
    FlowRun,
    FlowStateError,
    Identify,
    InputRejected,
    Intent,
    Outcome,
    Paper,
    Preview,
    Print,
    Query,
    Rate,
    Status,
    StepKind,
)
from kiosk.flows.items import (
    FLOWS,
    ContributionsView,
    MedicalAccountView,
    ProvidentFundView,
    RealEstateView,
    build_flows,
)
from kiosk.flows.ports import (
    BackendRecords,
    DocumentPrinter,
    EventSink,
    FlowPorts,
    PrintableDocument,
    PrintRefused,
    ReceiptPrinter,
    RecordsPort,
    Rejected,
    Unreachable,
)
from kiosk.flows.problem_report import (
    RECOVERY_FLOOR,
    Destination,
    FileCounter,
    MemoryCounter,
    Place,
    ProblemReporter,
    UnknownCategory,
)
from kiosk.identity import Identity, IdMethod, Verification
from kiosk.ports import PrintUpdate
from kiosk.privacy import PersonalDataError, contains_id_number
from kiosk.session import CitizenSession, IdlePhase
import protocol as p
from protocol import LOCAL_TZ
from kiosk.sync.outbox import KINDS

TODAY = date(2026, 11, 23)
AS_OF = "2026-11-23T08:00:00Z"


def make_id(first17: str) -> str:
    return first17 + p.id_check_digit(first17)


OWNER_ID = make_id("32040219900307123")  # owns property, has every account
OWNER_NAME = "张小明"
RENTER_ID = make_id("32041119950812456")  # no property, no medical insurance
RENTER_NAME = "李晓红"
STRANGER_ID = make_id("11010519800101001")  # unknown to the backend
YB_ACCOUNT = "YB3204029003071"
GJJ_ACCOUNT = "GJJ0519880123"
CERT_NO = "苏(2021)常州市不动产权第0123456号"
LOCATION = "常州市天宁区青洋北路 88 号 3 幢 1205 室"

# nothing of these may survive the end of a run
SECRETS = (OWNER_ID, OWNER_NAME, p.mask_id_number(OWNER_ID), RENTER_ID, RENTER_NAME,
           p.mask_id_number(RENTER_ID), YB_ACCOUNT, GJJ_ACCOUNT, CERT_NO, LOCATION,
           p.mask_name(OWNER_NAME))

FALLBACK = Fallback("https://zwfw.example.gov.cn/guide/RS-000001", "政务服务中心一楼", "3 号窗口")


# ============================================================================ the backend


PERSONAL = {"pension": "480.00", "medical": "120.00", "unemployment": "30.00",
            "work_injury": "0.00", "maternity": "0.00"}


def holder(name: str, id_number: str, gender: str) -> dict:
    return {"name": name, "id_number_masked": p.mask_id_number(id_number), "gender": gender}


def social_insurance_data(name: str, id_number: str, gender: str, medical: bool) -> dict:
    types_ = [t.value for t in p.InsuranceType if medical or t is not p.InsuranceType.MEDICAL]
    months = [f"{y}-{m:02d}" for y in (2024, 2025, 2026) for m in range(1, 13)
              if (y, m) <= (2026, 10)]
    return {
        "holder": holder(name, id_number, gender), "region": "常州市",
        "enrolments": [{"type": t, "status": "contributing", "start_month": "2015-07",
                        "last_paid_month": "2026-10", "months_paid": 136,
                        "employers": ["常州某某科技有限公司"]} for t in types_],
        "contributions": [{"month": m, "type": t, "employer": "常州某某科技有限公司",
                           "base": "6000.00", "personal": PERSONAL[t],
                           "employer_amount": "960.00"}
                          for m in reversed(months) for t in types_],
        "as_of": AS_OF,
    }


def medical_data(name: str, id_number: str) -> dict:
    tx, balance = [], Decimal("1000.00")
    for m in range(1, 11):
        balance += Decimal("150.00")
        tx.append({"occurred_at": f"2026-{m:02d}-01T02:00:00Z", "kind": "credit",
                   "amount": "150.00", "balance_after": str(balance), "place": "医保基金",
                   "description": "单位缴费划入"})
        balance -= Decimal("35.50")
        tx.append({"occurred_at": f"2026-{m:02d}-15T07:30:00Z", "kind": "spending",
                   "amount": "35.50", "balance_after": str(balance), "place": "某某大药房",
                   "description": "购药"})
    return {"holder": holder(name, id_number, "male"), "account_number": YB_ACCOUNT,
            "balance": str(balance), "transactions": list(reversed(tx)), "as_of": AS_OF}


def provident_data(name: str, id_number: str) -> dict:
    months = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13) if (y, m) <= (2026, 10)]
    deposits, balance = [], Decimal("20000.00")
    for m in months:
        balance += Decimal("1440.00")
        deposits.append({"month": m, "personal": "720.00", "employer_amount": "720.00",
                         "total": "1440.00", "balance_after": str(balance)})
    return {"holder": holder(name, id_number, "male"),
            "account": {"account_number": GJJ_ACCOUNT, "status": "normal",
                        "employer": "常州某某科技有限公司", "base": "6000.00",
                        "personal_rate_percent": 12, "employer_rate_percent": 12,
                        "balance": str(balance), "opened_month": "2015-07"},
            "deposits": list(reversed(deposits)), "as_of": AS_OF}


def real_estate_data(name: str, id_number: str, gender: str, owns: bool) -> dict:
    regs = [{"certificate_number": CERT_NO, "unit_number": "320402001001GB00001F00011205",
             "location": LOCATION, "usage": "住宅", "area_m2": "89.50",
             "right_type": "国有建设用地使用权/房屋所有权", "share": "单独所有",
             "registered_on": "2021-06-18"}] if owns else []
    return {"holder": holder(name, id_number, gender), "registrations": regs, "as_of": AS_OF}


class FakeRecords:
    """A RecordsPort from plain data; validates ID numbers and document requests as the
    reference backend does."""

    def __init__(self) -> None:
        self.people = {
            OWNER_ID: {"name": OWNER_NAME,
                       "ss": social_insurance_data(OWNER_NAME, OWNER_ID, "male", True),
                       "yb": medical_data(OWNER_NAME, OWNER_ID),
                       "gjj": provident_data(OWNER_NAME, OWNER_ID),
                       "bdc": real_estate_data(OWNER_NAME, OWNER_ID, "male", True)},
            RENTER_ID: {"name": RENTER_NAME,
                        "ss": social_insurance_data(RENTER_NAME, RENTER_ID, "female", False),
                        "yb": None, "gjj": None,
                        "bdc": real_estate_data(RENTER_NAME, RENTER_ID, "female", False)},
        }
        self.calls: list[str] = []
        self.down = False
        self.issued: list[tuple[str, str | None, str | None]] = []
        self.proofs: list[tuple[str, str, str]] = []  # (call, verify method, session id)

    def __repr__(self) -> str:
        return "FakeRecords()"

    def _person(self, call: str, id_number: str, verification=None, session_id: str = "") -> dict:
        self.calls.append(call)
        if self.down:
            raise Unreachable("network")
        p.RecordsRequest(id_number=id_number)  # a malformed number is a 422 there too
        if verification is None or len(session_id) != 32:  # the backend refuses it too
            raise Rejected(p.ErrorCode.VERIFICATION_REQUIRED)
        self.proofs.append((call, verification.method.value, session_id))
        person = self.people.get(id_number)
        if person is None:
            raise Rejected(p.ErrorCode.CITIZEN_NOT_FOUND)
        return person

    def fetch(self, call: str, id_number: str, *, verification=None, session_id: str = ""):
        """The port's one records call, answered by the method of that name below."""
        if call not in p.RECORDS_CALLS:
            raise ValueError(call)
        return getattr(self, call)(id_number, verification, session_id)

    def social_insurance(self, id_number: str, *how) -> p.SocialInsuranceRecords:
        return p.SocialInsuranceRecords.model_validate(self._person("social_insurance",
                                                                    id_number, *how)["ss"])

    def medical_account(self, id_number: str, *how) -> p.MedicalAccountRecords:
        data = self._person("medical_account", id_number, *how)["yb"]
        if data is None:
            raise Rejected(p.ErrorCode.NO_ACCOUNT)
        return p.MedicalAccountRecords.model_validate(data)

    def provident_fund(self, id_number: str, *how) -> p.ProvidentFundRecords:
        data = self._person("provident_fund", id_number, *how)["gjj"]
        if data is None:
            raise Rejected(p.ErrorCode.NO_ACCOUNT)
        return p.ProvidentFundRecords.model_validate(data)

    def real_estate(self, id_number: str, *how) -> p.RealEstateRecords:
        return p.RealEstateRecords.model_validate(self._person("real_estate", id_number,
                                                               *how)["bdc"])

    def access_log(self, id_number: str, *, verification=None,
                   session_id: str = "") -> p.AccessLog:
        self._person("access_log", id_number, verification, session_id)
        return p.AccessLog(entries=[p.AccessEntry(
            at=AS_OF, terminal_id="T-0519-002", place="丁堰街道便民服务中心",
            call="social_insurance", method=p.VerifyMethod.CARD_FACE)])

    def exchange_credential(self, qr: str, session_id: str) -> p.CredentialIdentity:
        self.calls.append("exchange_credential")
        if self.down:
            raise Unreachable("network")
        if qr != p.E_CREDENTIAL_PREFIX + "good":
            raise Rejected(p.ErrorCode.CREDENTIAL_INVALID)
        return p.CredentialIdentity(id_number=OWNER_ID, name=OWNER_NAME, ticket="tkt-1",
                                    expires_at=AS_OF)

    def issue_document(self, kind, id_number, *, from_month=None, to_month=None,
                       verification=None, session_id=""):
        person = self._person("issue_document", id_number, verification, session_id)
        request = p.DocumentRequest(kind=kind, id_number=id_number, from_month=from_month,
                                    to_month=to_month)
        kind = request.kind
        if kind is not p.DocumentKind.SS_CONTRIBUTIONS and (from_month or to_month):
            raise Rejected(p.ErrorCode.INVALID_REQUEST)
        if kind is p.DocumentKind.NO_PROPERTY and person["bdc"]["registrations"]:
            raise Rejected(p.ErrorCode.NOT_APPLICABLE)
        n = len(self.issued) + 1
        self.issued.append((kind.value, from_month, to_month))
        return p.DocumentIssued.model_validate({
            "document_id": f"doc-{n}", "kind": kind.value, "title": p.DOCUMENT_TITLES[kind],
            "verification_code": f"ABCD-EFGH-{n:04d}",
            "verify_url": f"https://backend.example/v1/verify/ABCD-EFGH-{n:04d}",
            "issued_at": AS_OF,
            "statement": f"{p.mask_name(person['name'])}（{p.mask_id_number(id_number)}）……",
        })

    def queue_ticket(self, business_type: str) -> p.QueueTicket:
        self.calls.append("queue_ticket")
        if self.down:
            raise Unreachable("timeout")
        p.TicketRequest(business_type=business_type)
        if business_type not in {"ss", "yb", "gjj", "bdc", "general"}:
            raise Rejected(p.ErrorCode.INVALID_REQUEST)
        return p.QueueTicket.model_validate({
            "ticket_id": "t-1", "number": "B017", "business_type": business_type,
            "business_name": "医保业务", "window": "8-10 号窗口", "people_ahead": 4,
            "issued_at": AS_OF, "follow_url": "https://backend.example/v1/queue/tickets/t-1"})


# ============================================================================ printers, outbox


class FakePrinters:
    """Both printer ports. Keeps personal documents in memory until `forget_personal`, as the
    spooler does."""

    def __init__(self) -> None:
        self.a4: DeviceStatus | None = OK
        self.receipt: DeviceStatus | None = OK
        self.refuse: str | None = None
        self.jobs: list[dict] = []
        self.memory: dict[str, PrintableDocument] = {}
        self.forgotten = 0
        self.discarded: list[str] = []

    def __repr__(self) -> str:
        return "FakePrinters()"

    def _job(self, **info) -> str:
        if self.refuse:
            raise PrintRefused(self.refuse)
        job_id = f"job-{len(self.jobs) + 1}"
        self.jobs.append({"job_id": job_id, **info})
        return job_id

    def document_status(self) -> DeviceStatus | None:
        return self.a4

    def print_document(self, document: PrintableDocument) -> str:
        job_id = self._job(paper="a4", kind=document.kind, title=document.title,
                           selection=dict(document.selection),
                           code=document.issued.verification_code)
        self.memory[job_id] = document
        return job_id

    def discard(self, job_id: str) -> None:
        self.memory.pop(job_id, None)
        self.discarded.append(job_id)

    def forget_personal(self) -> None:
        self.memory.clear()
        self.forgotten += 1

    def receipt_status(self) -> DeviceStatus | None:
        return self.receipt

    def print_queue_ticket(self, ticket: p.QueueTicket) -> str:
        return self._job(paper="receipt", kind="queue_ticket", number=ticket.number)

    def print_guide_slip(self, guide: GuideDetail) -> str:
        return self._job(paper="receipt", kind="guide_slip", item=guide.item.id)


class EventLog:
    """An EventSink with the outbox's checks (kind, no ID number, JSON)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict]] = []
        self.broken = False

    def add(self, kind: str, payload: dict, occurred_at: datetime | None = None) -> str:
        if self.broken:
            raise OSError("disk full")
        if kind not in KINDS:
            raise ValueError(kind)
        if contains_id_number(payload):
            raise PersonalDataError(kind)
        self.events.append((kind, json.loads(json.dumps(payload, ensure_ascii=False))))
        return str(len(self.events))

    def of(self, kind: str) -> list[dict]:
        return [body for k, body in self.events if k == kind]


def guide_detail(item_id: str = "RS-000001") -> GuideDetail:
    item = ItemSummary(item_id, "社会保险参保证明打印", "rs", "人力资源和社会保障局", "rs.ss",
                       "区级", f"https://zwfw.example.gov.cn/guide/{item_id}", True, True)
    return GuideDetail(item=item, service_object="自然人", handling_type="即办件",
                       materials=(Material("居民身份证", 1, 0, "现场核验"),),
                       steps=("申请", "办结"), legal_limit_days=0, promised_limit_days=0,
                       fee="不收费", place="政务服务中心一楼", window="3 号窗口", hours="全天",
                       phone="0519-80000000", basis="《社会保险法》",
                       online_url=f"https://zwfw.example.gov.cn/guide/{item_id}")


class FakeGuides:
    def guide(self, item_id: str) -> GuideDetail | None:
        return guide_detail(item_id) if item_id == "RS-000001" else None


class WallClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 30, tzinfo=LOCAL_TZ)

    def __call__(self) -> datetime:
        return self.now


class Mono:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t

    def advance(self, s: float) -> None:
        self.t += s


@dataclass
class World:
    records: FakeRecords
    printers: FakePrinters
    events: EventLog
    reporter: ProblemReporter
    ports: FlowPorts
    session: CitizenSession
    mono: Mono
    wall: WallClock
    identities: list[Identity]


@pytest.fixture
def world() -> World:
    records, printers, events = FakeRecords(), FakePrinters(), EventLog()
    wall, mono = WallClock(), Mono()
    reporter = ProblemReporter(events, MemoryCounter(), "T-0519-001",
                               help_desk=Place("一楼大厅", "导办台"),
                               problem_window=Place("一楼", "办不成事反映窗口"), clock=wall)
    ports = FlowPorts(events=events, terminal_id="T-0519-001", records=records,
                      documents=printers, receipts=printers, guides=FakeGuides(),
                      problems=reporter)
    session = CitizenSession(idle_timeout_s=60, countdown_s=15, clock=mono)
    session.start()
    return World(records, printers, events, reporter, ports, session, mono, wall, [])


def new_run(world: World, flow_id: str, *, flows: dict[str, Flow] | None = None,
            start: bool = True) -> FlowRun:
    params = {"item_id": "RS-000001"} if flow_id == "guide.slip" else None
    run = FlowRun((flows or FLOWS)[flow_id], world.ports, params=params, fallback=FALLBACK,
                  on_activity=world.session.touch, clock=world.mono)
    if start:
        run.start()
    return run


# how each way of identifying is verified when it is (a number typed: only by a staff member)
VERIFIED_BY = {IdMethod.ID_CARD: p.VerifyMethod.CARD_FACE, IdMethod.QR: p.VerifyMethod.E_CREDENTIAL,
               IdMethod.MANUAL: None}


def verification(method: p.VerifyMethod | None) -> Verification | None:
    if method is None:
        return None
    return Verification(method, datetime.now(timezone.utc),
                        ticket="tkt-1" if method is p.VerifyMethod.E_CREDENTIAL else None)


def identity(world: World, who: str = OWNER_ID, method: IdMethod = IdMethod.ID_CARD, *,
             verified: bool = True) -> Identity:
    """The citizen as the identify step gets them: a card read with its face match, an
    e-credential the backend exchanged (`verified`), or a number typed (never verified)."""
    name = {OWNER_ID: OWNER_NAME, RENTER_ID: RENTER_NAME}.get(who, "")
    ident = Identity(who, method, name=name if method is IdMethod.ID_CARD else "", today=TODAY,
                     verification=verification(VERIFIED_BY[method]) if verified else None)
    world.identities.append(ident)
    return ident


def default_citizen(run: FlowRun) -> str:
    # the 无房证明 is for someone without property; everything else for the owner
    return RENTER_ID if run.flow.id == "bdc.no_property" else OWNER_ID


def act(run: FlowRun, world: World, who: str | None = None) -> None:
    """One thing happens: a worker finishes, the printer reports, or the citizen acts."""
    who = who or default_citizen(run)
    assert_redacted(run)
    if run.status is Status.BUSY:
        work = run.pending()
        run.complete(work())
        return
    if run.status is Status.PRINTING:
        run.print_update(PrintUpdate(run.ctx.job_id, "printing", ""))
        run.print_update(PrintUpdate("someone-else", "failed", "paper_out"))  # ignored
        run.print_update(PrintUpdate(run.ctx.job_id, "done", ""))
        return
    assert run.status is Status.READY, run
    assert run.view() is not None or run.step.kind is StepKind.SHOW
    kind = run.step.kind
    if kind is StepKind.IDENTIFY:
        run.identify(identity(world, who))
    elif kind is StepKind.CHOOSE:
        run.choose(**{run.step.field: run.view().options[0].code})
        run.next()
    elif kind is StepKind.RATE:
        run.rate(5)
    else:  # consent, show, preview, done
        run.next()


def walk(run: FlowRun, world: World, who: str | None = None, until=None) -> None:
    for _ in range(60):
        if run.finished or (until is not None and until(run)):
            return
        act(run, world, who)
    raise AssertionError(f"flow did not end: {run!r}")


# positions: (flow, step index, phase); phase "printing" is a print step after submission
POSITIONS = [(fid, i, "enter") for fid, f in FLOWS.items() for i in range(len(f.steps))] + [
    (fid, i, "printing") for fid, f in FLOWS.items() for i, s in enumerate(f.steps)
    if isinstance(s, Print)]
BACKEND_STEPS = [(fid, i) for fid, f in FLOWS.items() for i, s in enumerate(f.steps)
                 if (isinstance(s, Query) and s.backend) or (isinstance(s, Print)
                                                               and s.to is Paper.A4)]


def walk_to(run: FlowRun, world: World, index: int, phase: str = "enter") -> None:
    walk(run, world, until=lambda r: r.index == index and (
        phase == "enter" or r.status is Status.PRINTING))
    assert run.index == index and not run.finished, run
    if phase == "printing":
        assert run.status is Status.PRINTING


def pos_id(pos) -> str:
    fid, i, phase = pos
    return f"{fid}-{i}-{FLOWS[fid].steps[i].kind}" + ("-printing" if phase == "printing" else "")


# ============================================================================ privacy checks


def reachable_strings(*roots: Any, exclude: tuple = ()) -> list[str]:
    """Every string reachable from `roots` through object references, not descending into
    modules, classes, function globals or the excluded objects (the backend and the spooler,
    which are not the citizen's session)."""
    import sys

    skip = {id(x) for x in exclude}
    skip |= {id(vars(m)) for m in list(sys.modules.values()) if m is not None}
    seen: set[int] = set()
    out: list[str] = []
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or id(obj) in skip:
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            out.append(obj)
            continue
        if isinstance(obj, (bytes, bytearray)):
            out.append(bytes(obj).decode("utf-8", "ignore"))
            continue
        if isinstance(obj, (type, types.ModuleType, types.BuiltinFunctionType, types.CodeType)):
            continue
        if isinstance(obj, types.MethodType):
            stack.append(obj.__self__)
            continue
        if isinstance(obj, types.FunctionType):
            stack.extend(c.cell_contents for c in (obj.__closure__ or ())
                         if _cell_full(c))
            stack.extend(obj.__defaults__ or ())
            continue
        stack.extend(gc.get_referents(obj))
    return out


def _cell_full(cell) -> bool:
    try:
        cell.cell_contents  # noqa: B018
    except ValueError:
        return False
    return True


def assert_nothing_of_the_citizen(run: FlowRun, world: World) -> None:
    assert run.finished
    world.session.end()
    for ident in world.identities:
        assert ident.cleared
    leaks = [s for s in reachable_strings(run, world.session,
                                          exclude=(world.records, world.printers))
             if any(secret in s for secret in SECRETS)]
    assert leaks == []
    assert run.ctx.identity is None and run.ctx.records is None and run.ctx.issued is None
    assert run.pending() is None and run.view() is None and run.allowed == frozenset()
    if any(isinstance(s, Print) and s.to is Paper.A4 for s in run.flow.steps):
        assert world.printers.memory == {}  # the spooler was told to forget
    for kind, body in world.events.events:
        assert not contains_id_number(body)
        text = json.dumps(body, ensure_ascii=False)
        assert not any(secret in text for secret in SECRETS), (kind, body)


def test_the_leak_check_finds_a_citizen_mid_flow(world):
    """The check above is not vacuous: before the end, the citizen is reachable."""
    run = new_run(world, "yb.account")
    run.identify(identity(world))
    found = reachable_strings(run, exclude=(world.records, world.printers))
    assert OWNER_ID in found and OWNER_NAME in found  # held in the Identity's slots
    walk(run, world, until=lambda r: r.step.kind is StepKind.SHOW)
    found = reachable_strings(run, exclude=(world.records, world.printers))
    assert YB_ACCOUNT in found and p.mask_id_number(OWNER_ID) in found
    run.cancel()
    assert_nothing_of_the_citizen(run, world)


def assert_redacted(run: FlowRun) -> None:
    shown = repr(run) + repr(run.ctx) + repr(run.pending())
    assert not any(secret in shown for secret in SECRETS), shown


def transaction(world: World) -> dict:
    (body,) = world.events.of("transaction")
    return body


# ============================================================================ every flow to done


EXPECTED_PRINT = {
    "ss.certificate": ("a4", "ss_certificate", "社会保险参保证明"),
    "ss.contributions": ("a4", "ss_contributions", "社会保险个人缴费明细"),
    "yb.account": ("a4", "medical_account", "医疗保险个人账户明细"),
    "yb.enrolment": ("a4", "ss_certificate", "医疗保险参保凭证"),
    "gjj.deposits": ("a4", "provident_fund", "住房公积金缴存证明"),
    "bdc.registrations": ("a4", "real_estate", "不动产登记信息查询结果"),
    "bdc.no_property": ("a4", "no_property", "无房产登记证明"),
    "queue.ticket": ("receipt", "queue_ticket", None),
    "guide.slip": ("receipt", "guide_slip", None),
    "records.access_log": None,  # shows, prints nothing
}


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_every_flow_walks_to_done(world, flow_id):
    who = RENTER_ID if flow_id == "bdc.no_property" else OWNER_ID
    run = new_run(world, flow_id)
    seen = []
    run.subscribe(lambda change: seen.append((change.index, change.status)))
    world.mono.advance(30)
    walk(run, world, who)
    assert run.outcome is Outcome.DONE and run.error is None
    assert world.session.phase() is IdlePhase.ACTIVE  # every intent counted as activity
    if EXPECTED_PRINT[flow_id] is None:
        assert world.printers.jobs == []
    else:
        paper, kind, title = EXPECTED_PRINT[flow_id]
        (job,) = world.printers.jobs
        assert (job["paper"], job["kind"]) == (paper, kind)
        if title:
            assert job["title"] == title and job["code"].startswith("ABCD-EFGH-")
    (rating,) = world.events.of("rating")
    assert rating["level"] == 5 and rating["flow"] == flow_id and "subject" not in rating
    tx = transaction(world)
    assert tx["outcome"] == "done" and tx["rated"] is True and tx["run_id"] == run.run_id
    assert tx["method"] == ("id_card" if FLOWS[flow_id].personal else "")
    assert seen[-1] == (len(run.flow.steps) - 1, Status.FINISHED)
    # every personal call (records, the document) carried the verification and the session
    personal = [c for c in world.records.calls if c not in ("queue_ticket",)]
    assert [c for c, _m, _s in world.records.proofs] == personal
    assert {(m, sid) for _c, m, sid in world.records.proofs} <= {("card_face", run.session_id)}
    assert_nothing_of_the_citizen(run, world)


@pytest.mark.parametrize("code,flow_error", [
    (p.ErrorCode.VERIFICATION_REQUIRED, "identity.refused"),
    (p.ErrorCode.PROOF_INVALID, "identity.refused"),
    (p.ErrorCode.LOOKUP_LIMIT, "backend.lookup_limit"),
])
def test_the_backend_refusing_the_proof_says_so(world, code, flow_error):
    class Refusing(FakeRecords):
        def _person(self, call, id_number, verification=None, session_id=""):
            raise Rejected(code)

    world.records = world.ports.records = Refusing()
    run = new_run(world, "ss.certificate")
    walk(run, world, until=lambda r: r.status is Status.FAILED)
    assert (run.error.code, run.error.reason) == (flow_error, code.value)
    assert flow_error in ERROR_CODES and not run.error.retryable
    assert Intent.BACK in run.allowed  # back to consent, then to identify again
    run.cancel()
    assert_nothing_of_the_citizen(run, world)


@pytest.mark.parametrize("flow_id", [f for f in FLOWS if FLOWS[f].personal])
@pytest.mark.parametrize("method", [IdMethod.ID_CARD, IdMethod.QR])
def test_each_verified_identification_method(world, flow_id, method):
    """Card + face and the e-credential QR code serve every personal item."""
    assert FLOWS[flow_id].verified
    run = new_run(world, flow_id)
    who = RENTER_ID if flow_id == "bdc.no_property" else OWNER_ID
    run.identify(identity(world, who, method))
    walk(run, world, who)
    tx = transaction(world)
    assert run.outcome is Outcome.DONE and tx["method"] == method.value
    assert tx["verified"] == VERIFIED_BY[method].value
    assert_nothing_of_the_citizen(run, world)


@pytest.mark.parametrize("flow_id", [f for f in FLOWS if FLOWS[f].personal])
@pytest.mark.parametrize("method", list(IdMethod))
def test_a_number_alone_is_refused_for_personal_items(world, flow_id, method):
    """A number typed, a QR code that carries only a number, a card read without its face
    check: none opens anyone's records. The pad is not even offered."""
    run = new_run(world, flow_id)
    assert IdMethod.MANUAL not in run.view().methods and run.view().verified
    ident = identity(world, method=method, verified=False)
    with pytest.raises(InputRejected) as exc:
        run.identify(ident)
    assert exc.value.code == "id.not_verified" and exc.value.code in INPUT_CODES
    assert run.step.kind is StepKind.IDENTIFY and run.ctx.identity is None
    assert world.records.calls == []
    ident.clear()  # the driver wipes what was refused (test_flow_screens)
    run.cancel()
    assert_nothing_of_the_citizen(run, world)


@pytest.mark.parametrize("method", list(IdMethod))
def test_attended_mode_verifies_with_the_staff_id(world, method):
    """A staff member attending (set directly here; the hall-staff mode sets it) confirms the
    physical card: the pad is offered again and any identity is verified "attended"."""
    staff: list[str | None] = [None]
    run = FlowRun(FLOWS["ss.certificate"], world.ports, attended_by=lambda: staff[0],
                  session_id="ab" * 16)
    run.start()
    assert run.view().methods == (IdMethod.ID_CARD, IdMethod.QR) and not run.view().attended
    staff[0] = "S-0042"
    assert run.view().methods == (IdMethod.ID_CARD, IdMethod.QR, IdMethod.MANUAL)
    assert run.view().attended and run.attending == "S-0042"
    ident = identity(world, method=method, verified=False)
    run.identify(ident)
    v = ident.verification
    assert v.method is p.VerifyMethod.ATTENDED and v.staff_id == "S-0042"
    assert v.verified_at.tzinfo is not None and run.session_id == "ab" * 16
    walk(run, world)
    tx = transaction(world)
    assert tx["verified"] == "attended" and "S-0042" not in json.dumps(tx)
    assert ident.cleared and ident.verification is None
    assert_nothing_of_the_citizen(run, world)


def test_an_item_with_personal_steps_must_be_verified():
    steps = FLOWS["ss.certificate"].steps
    with pytest.raises(FlowDefinitionError, match="assurance"):
        Flow("x", steps, assurance="none")
    # an identify step alone (nothing personal fetched or printed) may take any identity
    lenient = Flow("x", (Identify(), Consent(), Rate(), Done()), assurance="none")
    assert lenient.personal and not lenient.verified


def test_the_session_id_defaults_to_the_run_id(world):
    run = new_run(world, "ss.certificate")
    assert run.session_id == run.run_id and len(run.session_id) == 32


# ============================================================================ at every step


@pytest.mark.parametrize("pos", POSITIONS, ids=pos_id)
def test_cancel_at_every_step(world, pos):
    fid, index, phase = pos
    run = new_run(world, fid)
    walk_to(run, world, index, phase)
    work = run.pending()
    run.cancel()
    assert run.outcome is Outcome.CANCELLED
    if work is not None:  # the worker finishes after the citizen left: dropped unread
        result = work()
        job = result.updates.get("job_id")
        run.complete(result)
        assert result.updates == {} and run.ctx.records is None
        if job and FLOWS[fid].steps[index].to is Paper.A4:
            assert world.printers.discarded == [job]  # no personal paper for nobody
    tx = transaction(world)
    assert tx["outcome"] == "cancelled" and tx["step"] == FLOWS[fid].steps[index].kind
    assert_nothing_of_the_citizen(run, world)


@pytest.mark.parametrize("pos", POSITIONS, ids=pos_id)
def test_timeout_at_every_step(world, pos):
    fid, index, phase = pos
    run = new_run(world, fid)
    walk_to(run, world, index, phase)
    world.mono.advance(60 + 15 + 1)
    assert world.session.phase() is IdlePhase.EXPIRED  # the screen sees this, then:
    run.timeout()
    run.timeout()  # twice is harmless (the countdown and the session end may both fire)
    assert run.outcome is Outcome.TIMED_OUT
    assert transaction(world)["outcome"] == "timed_out"
    rated = index > FLOWS[fid].index_of(StepKind.RATE)
    assert len(world.events.of("rating")) == int(rated)
    assert_nothing_of_the_citizen(run, world)


@pytest.mark.parametrize("pos", POSITIONS, ids=pos_id)
def test_back_at_every_step(world, pos):
    fid, index, phase = pos
    flow = FLOWS[fid]
    run = new_run(world, fid)
    walk_to(run, world, index, phase)
    before = (run.index, run.status)
    if Intent.BACK not in run.allowed:
        assert flow.steps[index].kind in (StepKind.RATE, StepKind.DONE, StepKind.PRINT)
        with pytest.raises(FlowStateError):
            run.back()
        assert (run.index, run.status) == before
        walk(run, world)
        assert run.outcome is Outcome.DONE
        assert_nothing_of_the_citizen(run, world)
        return
    calls = len(world.records.calls)
    run.back()
    targets = [i for i in range(index) if flow.steps[i].kind in
               (StepKind.IDENTIFY, StepKind.CONSENT, StepKind.CHOOSE, StepKind.SHOW,
                StepKind.PREVIEW)]
    if not targets:  # back from the first screen leaves the flow
        assert run.outcome is Outcome.CANCELLED
        assert_nothing_of_the_citizen(run, world)
        return
    assert run.index == targets[-1] and run.status is Status.READY
    landed = run.step.kind
    if landed is StepKind.IDENTIFY:
        assert run.ctx.identity is None and world.identities[-1].cleared
    if landed in (StepKind.IDENTIFY, StepKind.CONSENT):
        assert not run.ctx.consented and run.ctx.records is None
    assert len(world.records.calls) == calls  # going back fetches nothing
    assert run.ctx.issued is None and run.ctx.job_id == ""
    walk(run, world)  # and forward again, to the end
    assert run.outcome is Outcome.DONE
    assert_nothing_of_the_citizen(run, world)


@pytest.mark.parametrize("fid,index", BACKEND_STEPS,
                         ids=[f"{f}-{i}-{FLOWS[f].steps[i].kind}" for f, i in BACKEND_STEPS])
def test_backend_unreachable_at_every_backend_step(world, fid, index):
    run = new_run(world, fid)
    walk_to(run, world, index)
    assert run.status is Status.BUSY
    had_identity = run.ctx.identity is not None
    had_records = run.ctx.records is not None
    world.records.down = True
    act(run, world)
    assert run.status is Status.FAILED
    err = run.error
    assert err.code == "backend.unreachable" and err.retryable
    assert err.reason in ("network", "timeout") and err.step is FLOWS[fid].steps[index].kind
    assert err.code in ERROR_CODES and err.fallback == FALLBACK
    assert {Intent.RETRY, Intent.CANCEL, Intent.BACK, Intent.REPORT_PROBLEM} <= run.allowed
    # nothing the citizen already did is lost
    assert (run.ctx.identity is not None) == had_identity
    assert (run.ctx.records is not None) == had_records
    if had_identity:
        assert run.ctx.consented and not run.ctx.identity.cleared
    run.retry()  # still down: fails the same way
    act(run, world)
    assert run.status is Status.FAILED and run.error.code == "backend.unreachable"
    world.records.down = False
    run.retry()
    walk(run, world)
    assert run.outcome is Outcome.DONE
    assert len(world.records.issued) <= 1
    assert_nothing_of_the_citizen(run, world)


@pytest.mark.parametrize("flow_id", [f for f in FLOWS if FLOWS[f].personal])
def test_citizen_unknown_to_the_backend(world, flow_id):
    run = new_run(world, flow_id)
    run.identify(identity(world, STRANGER_ID, IdMethod.QR))
    walk(run, world, STRANGER_ID, until=lambda r: r.status is Status.FAILED)
    assert run.error.code == "records.citizen_not_found" and not run.error.retryable
    assert Intent.RETRY not in run.allowed and run.error.fallback == FALLBACK
    run.cancel()
    assert transaction(world)["error_code"] == "records.citizen_not_found"
    assert_nothing_of_the_citizen(run, world)


# ============================================================================ consent


def test_consent_lists_what_is_fetched_and_printed():
    c = FLOWS["ss.certificate"].consent
    assert c.fetches == ("fetch.social_insurance",)
    assert c.prints == ("document.ss_certificate",) and not c.print_optional
    c = FLOWS["bdc.registrations"].consent
    assert c.fetches == ("fetch.real_estate",) and c.print_optional
    assert c.prints == ("document.real_estate", "document.no_property")
    assert FLOWS["yb.enrolment"].consent.prints == ("document.medical_enrolment",)
    assert FLOWS["queue.ticket"].consent.fetches == ()


@pytest.mark.parametrize("steps", [
    (Identify(), Query("social_insurance"), Rate(), Done()),
    (Query("social_insurance"), Identify(), Consent(), Rate(), Done()),
    (Consent(), Identify(), Query("social_insurance"), Rate(), Done()),
    (Identify(), Print(("ss_certificate",)), Consent(), Rate(), Done()),
    (Identify(), Consent(), Query("social_insurance"), Preview(optional=True), Rate(), Done()),
    (Identify(), Consent(), Query("social_insurance"), Print(("ss_certificate",)), Done()),
    (Choose("x"), Query("queue_ticket", personal=False), Done()),
], ids=["no-consent", "query-first", "consent-first", "print-before-consent",
        "optional-preview-without-print", "no-rating", "no-rating-2"])
def test_flow_definitions_that_break_the_rules_are_refused(steps):
    with pytest.raises(FlowDefinitionError):
        Flow("bad", steps)
    Flow("ok", (Identify(), Consent(), Query("social_insurance"), Rate(), Done()))


@pytest.mark.parametrize("flow_id", [f for f in FLOWS if FLOWS[f].personal])
def test_no_query_before_consent(world, flow_id):
    flow = FLOWS[flow_id]
    query_at = flow.index_of(StepKind.QUERY)
    run = new_run(world, flow_id)
    # at identify: nothing to run, and forcing the query step is refused
    assert run.pending() is None
    with pytest.raises(ConsentMissing):
        run._enter(query_at)
    run = new_run(world, flow_id)
    run.identify(identity(world))
    assert run.step.kind is StepKind.CONSENT and run.pending() is None
    with pytest.raises(ConsentMissing):
        run._enter(query_at)
    assert world.records.calls == [] and run.step.kind is StepKind.CONSENT  # state unchanged
    run.next()  # consent given: now the query may run
    assert run.step.kind is StepKind.QUERY and run.pending() is not None
    run.back()  # busy query: back to consent, which is withdrawn
    assert run.step.kind is StepKind.CONSENT and not run.ctx.consented
    with pytest.raises(ConsentMissing):
        run._enter(query_at)
    assert world.records.calls == []


def test_back_to_consent_drops_the_records_and_late_results(world):
    run = new_run(world, "ss.certificate")
    run.identify(identity(world))
    run.next()
    work = run.pending()
    run.back()
    result = work()  # the worker finishes after the citizen went back
    run.complete(result)
    assert run.ctx.records is None and result.updates == {}
    assert run.step.kind is StepKind.CONSENT and run.status is Status.READY
    run.next()
    walk(run, world)
    assert run.outcome is Outcome.DONE
    assert world.records.calls.count("social_insurance") == 2
    assert_nothing_of_the_citizen(run, world)


# ============================================================================ items in detail


def test_contributions_by_year_type_and_page(world):
    run = new_run(world, "ss.contributions")
    walk(run, world, until=lambda r: r.step.kind is StepKind.SHOW)
    v: ContributionsView = run.view()
    assert v.years == (2026, 2025, 2024) and v.year == 2026 and v.insurance_type == "all"
    assert v.types == ("all", "pension", "medical", "unemployment", "work_injury", "maternity")
    assert v.page.total_rows == 50 and v.page.pages == 5 and len(v.rows) == 12
    run.choose(year=2025)
    v = run.view()
    assert v.page.total_rows == 60 and v.rows[0].month == "2025-12"
    run.choose(page=5)
    assert run.view().page.number == 5 and len(run.view().rows) == 12
    run.choose(insurance_type="pension")  # a new filter starts at page 1
    v = run.view()
    assert v.page == v.page.__class__(1, 1, 12) and v.personal_total == Decimal("5760.00")
    for bad in ({"year": 2019}, {"page": 2}, {"insurance_type": "car"}, {"colour": "red"},
                {"year": "abc"}, {}):
        with pytest.raises(InputRejected) as exc:
            run.choose(**bad)
        assert exc.value.code == "choice.invalid" and exc.value.code in INPUT_CODES
    run.next()
    preview = run.view()
    assert preview.optional and preview.document == "ss_contributions"
    walk(run, world)
    assert world.records.issued == [("ss_contributions", "2025-01", "2025-12")]
    assert world.printers.jobs[0]["selection"] == {"year": 2025, "insurance_type": "pension"}
    assert_nothing_of_the_citizen(run, world)


def test_back_from_preview_keeps_the_filters(world):
    run = new_run(world, "ss.contributions")
    walk(run, world, until=lambda r: r.step.kind is StepKind.SHOW)
    run.choose(year=2024, insurance_type="medical")
    run.next()
    run.back()
    assert run.step.kind is StepKind.SHOW and run.view().year == 2024
    assert run.view().insurance_type == "medical"
    run.cancel()
    assert_nothing_of_the_citizen(run, world)


def test_medical_account_by_month_and_optional_print(world):
    run = new_run(world, "yb.account")
    walk(run, world, until=lambda r: r.step.kind is StepKind.SHOW)
    v: MedicalAccountView = run.view()
    assert v.months[:3] == ("all", "2026-10", "2026-09") and v.page.total_rows == 20
    assert v.page.pages == 2 and v.balance == Decimal("2145.00")
    run.choose(month="2026-03")
    v = run.view()
    assert len(v.rows) == 2 and v.credits == Decimal("150.00") and v.spending == Decimal("35.50")
    with pytest.raises(InputRejected):
        run.choose(month="2019-01")
    run.next()
    assert Intent.SKIP in run.allowed
    run.skip()  # no printout wanted
    assert run.step.kind is StepKind.RATE
    walk(run, world)
    assert world.records.issued == [] and world.printers.jobs == []
    assert world.records.calls == ["medical_account"]
    assert_nothing_of_the_citizen(run, world)


def test_provident_fund_deposits(world):
    run = new_run(world, "gjj.deposits")
    walk(run, world, until=lambda r: r.step.kind is StepKind.SHOW)
    v: ProvidentFundView = run.view()
    assert v.years == (2026, 2025) and len(v.rows) == 10 and v.account.status == "normal"
    run.choose(year=2025)
    assert len(run.view().rows) == 12
    walk(run, world)
    assert world.printers.jobs[0]["kind"] == "provident_fund"
    assert_nothing_of_the_citizen(run, world)


def test_no_property_certificate_where_nothing_is_registered(world):
    run = new_run(world, "bdc.registrations")
    walk(run, world, RENTER_ID, until=lambda r: r.step.kind is StepKind.SHOW)
    v: RealEstateView = run.view()
    assert not v.has_property and v.registrations == ()
    run.next()
    assert run.view().document == "no_property"
    walk(run, world, RENTER_ID)
    assert world.records.issued == [("no_property", None, None)]
    assert world.printers.jobs[0]["title"] == "无房产登记证明"
    assert_nothing_of_the_citizen(run, world)


def test_owner_gets_the_registration_result(world):
    run = new_run(world, "bdc.registrations")
    walk(run, world, until=lambda r: r.step.kind is StepKind.SHOW)
    v = run.view()
    assert v.has_property and v.registrations[0].certificate_number == CERT_NO
    run.next()
    assert run.view().document == "real_estate"
    walk(run, world)
    assert world.records.issued == [("real_estate", None, None)]
    assert_nothing_of_the_citizen(run, world)


def test_no_property_certificate_refused_to_an_owner(world):
    run = new_run(world, "bdc.no_property")
    walk(run, world, OWNER_ID, until=lambda r: r.status is Status.FAILED)
    assert run.error.code == "records.not_applicable" and run.step.kind is StepKind.QUERY
    assert not run.error.retryable and run.error.fallback == FALLBACK
    assert world.records.issued == []
    run.cancel()
    assert_nothing_of_the_citizen(run, world)


def test_medical_enrolment_certificate(world):
    run = new_run(world, "yb.enrolment")
    walk(run, world, until=lambda r: r.step.kind is StepKind.PREVIEW)
    assert run.view().content.enrolment.type is p.InsuranceType.MEDICAL
    assert run.view().document == "medical_enrolment"
    walk(run, world)
    assert world.printers.jobs[0]["selection"] == {"insurance_type": "medical"}
    run2 = new_run(world, "yb.enrolment")
    walk(run2, world, RENTER_ID, until=lambda r: r.status is Status.FAILED)
    assert run2.error.code == "records.no_account"
    run2.cancel()
    assert_nothing_of_the_citizen(run2, world)


def test_queue_ticket(world):
    run = new_run(world, "queue.ticket")
    assert run.allowed >= {Intent.CHOOSE, Intent.CANCEL} and Intent.NEXT not in run.allowed
    options = run.view().options
    assert [o.code for o in options] == ["ss", "yb", "gjj", "bdc", "general"]
    with pytest.raises(InputRejected):
        run.choose(business_type="lottery")
    run.choose(business_type="yb")
    run.next()
    run.run_pending()
    assert world.records.calls == ["queue_ticket"] and run.status is Status.PRINTING
    # the receipt printer jams: the number is still on screen, the citizen may go on
    run.print_update(PrintUpdate(run.ctx.job_id, "failed", "paper_out"))
    assert run.error.code == "print.failed" and run.error.reason == "paper_out"
    assert run.summary.number == "B017" and run.summary.window == "8-10 号窗口"
    assert {Intent.SKIP, Intent.RETRY} <= run.allowed
    run.skip()
    assert run.step.kind is StepKind.RATE
    run.rate(4)
    assert run.view().summary.number == "B017"
    run.next()
    assert run.outcome is Outcome.DONE and transaction(world)["method"] == ""
    assert_nothing_of_the_citizen(run, world)


def test_queue_ticket_with_a_custom_business_list(world):
    flows = build_flows(business_types=(("general", "综合窗口"),))
    run = new_run(world, "queue.ticket", flows=flows)
    assert run.view().options[0].label == "综合窗口"
    walk(run, world)
    assert run.outcome is Outcome.DONE


def test_guide_slip_works_without_the_backend(world):
    world.ports.records = None
    run = new_run(world, "guide.slip")
    walk(run, world, until=lambda r: r.step.kind is StepKind.PREVIEW)
    assert run.view().content.item.id == "RS-000001" and run.view().paper is Paper.RECEIPT
    walk(run, world)
    assert run.outcome is Outcome.DONE and world.printers.jobs[0]["item"] == "RS-000001"


def test_guide_slip_for_an_unknown_item(world):
    run = FlowRun(FLOWS["guide.slip"], world.ports, params={"item_id": "NOPE"})
    run.start()
    run.run_pending()
    assert run.error.code == "guide.not_found" and Intent.RETRY not in run.allowed
    run.back()
    assert run.outcome is Outcome.CANCELLED


def test_flows_needing_the_backend_say_so_when_none_is_configured(world):
    world.ports.records = None
    run = new_run(world, "ss.certificate")
    assert run.status is Status.FAILED and run.error.code == "backend.unreachable"
    assert run.error.reason == "not_configured" and run.error.fallback == FALLBACK
    assert run.step.kind is StepKind.IDENTIFY  # before the citizen did anything


# ============================================================================ printing faults


def test_a4_printer_down_blocks_a_print_item_before_identification(world):
    world.printers.a4 = DeviceStatus(Level.ERROR, Reason.PAPER_OUT)
    run = new_run(world, "ss.certificate")
    assert run.status is Status.FAILED and run.error.code == "print.unavailable"
    assert run.error.reason == "paper_out" and run.step.kind is StepKind.IDENTIFY
    assert Intent.IDENTIFY not in run.allowed
    run.retry()  # nothing changed
    assert run.error.code == "print.unavailable"
    world.printers.a4 = DeviceStatus(Level.WARNING, Reason.PAPER_NEAR_END)  # usable
    run.retry()
    assert run.status is Status.READY and run.step.kind is StepKind.IDENTIFY
    walk(run, world)
    assert run.outcome is Outcome.DONE


def test_no_a4_printer_at_all(world):
    world.ports.documents = None
    run = new_run(world, "yb.enrolment")
    assert run.error.code == "print.unavailable" and run.error.reason == "not_configured"
    # where printing is optional, the query still works and the print is skipped
    run2 = new_run(world, "yb.account")
    walk(run2, world, until=lambda r: r.step.kind is StepKind.PREVIEW)
    assert Intent.SKIP in run2.allowed
    run2.next()
    assert run2.error.code == "print.unavailable" and Intent.SKIP not in run2.allowed
    run2.back()
    assert run2.step.kind is StepKind.PREVIEW
    run2.skip()
    walk(run2, world)
    assert run2.outcome is Outcome.DONE


def test_print_job_fails_and_retry_does_not_issue_twice(world):
    run = new_run(world, "ss.certificate")
    walk(run, world, until=lambda r: r.status is Status.PRINTING)
    code = world.printers.jobs[0]["code"]
    run.print_update(PrintUpdate(run.ctx.job_id, "failed", "cover_open"))
    assert run.error.code == "print.failed" and run.error.reason == "cover_open"
    assert run.error.retryable and Intent.SKIP not in run.allowed
    assert run.ctx.issued is not None  # the issued document is kept for the reprint
    run.retry()
    run.run_pending()
    assert run.status is Status.PRINTING and len(world.printers.jobs) == 2
    assert world.printers.jobs[1]["code"] == code and len(world.records.issued) == 1
    walk(run, world)
    assert run.outcome is Outcome.DONE
    assert_nothing_of_the_citizen(run, world)


def test_a_job_that_ends_before_its_work_comes_back(world):
    """The printer can finish (or fail) a job before the worker thread's result reaches the
    UI thread: the update that came first is kept for the job and applied on completion."""
    for state, expect in (("done", StepKind.RATE), ("failed", None)):
        run = new_run(world, "ss.certificate")
        walk(run, world, until=lambda r: r.status is Status.BUSY and r.step.kind is StepKind.PRINT)
        result = run.pending()()
        job_id = result.updates["job_id"]
        run.print_update(PrintUpdate("someone-elses-job", "done", ""))
        run.print_update(PrintUpdate(job_id, "printing", ""))
        run.print_update(PrintUpdate(job_id, state, "paper_out" if state == "failed" else ""))
        assert run.status is Status.BUSY  # nothing applied yet
        run.complete(result)
        if expect is not None:
            assert run.step.kind is expect and run.ctx.printed
        else:
            assert run.status is Status.FAILED and run.error.reason == "paper_out"
        run.cancel()


def test_printer_refuses_the_job(world):
    run = new_run(world, "gjj.deposits")
    world.printers.refuse = "offline"
    walk(run, world, until=lambda r: r.status is Status.FAILED)
    assert (run.error.code, run.error.reason) == ("print.failed", "offline")
    world.printers.refuse = None
    run.retry()
    walk(run, world)
    assert run.outcome is Outcome.DONE and len(world.records.issued) == 1


def test_needs_attention_and_expired_jobs_are_failures(world):
    for state in ("needs_attention", "expired"):
        run = new_run(world, "ss.certificate")
        walk(run, world, until=lambda r: r.status is Status.PRINTING)
        run.print_update(PrintUpdate(run.ctx.job_id, state, ""))
        assert run.error.code == "print.failed" and run.error.reason == state
        run.cancel()


@pytest.mark.allow_error_log
def test_a_bug_in_a_handler_is_an_internal_error_without_personal_data(world, caplog):
    class Broken(FLOWS["ss.certificate"].handler.__class__):
        def query(self, step, ports, params, id_number):
            raise ValueError(f"cannot parse {id_number}")

    flow = Flow("broken", FLOWS["ss.certificate"].steps, Broken())
    run = FlowRun(flow, world.ports)
    run.start()
    run.identify(identity(world))
    run.next()
    run.run_pending()
    assert run.error.code == "flow.internal_error" and run.error.reason == "ValueError"
    assert "unexpected ValueError" in caplog.text and OWNER_ID not in caplog.text
    run.cancel()
    assert_nothing_of_the_citizen(run, world)


# ============================================================================ intents and views


def test_intents_the_state_does_not_allow_are_refused(world):
    run = new_run(world, "ss.certificate", start=False)
    with pytest.raises(FlowStateError):
        run.next()
    run.start()
    with pytest.raises(FlowStateError):
        run.start()
    for wrong in (run.next, run.skip, lambda: run.rate(5), run.retry,
                  lambda: run.choose(year=2025)):
        with pytest.raises(FlowStateError):
            wrong()
    run.identify(identity(world))
    with pytest.raises(FlowStateError):
        run.identify(Identity(OWNER_ID, IdMethod.ID_CARD, today=TODAY))
    run.next()
    assert run.status is Status.BUSY
    with pytest.raises(FlowStateError):
        run.next()
    with pytest.raises(FlowStateError):
        run.identify(Identity(OWNER_ID, IdMethod.QR, today=TODAY))
    run.cancel()
    with pytest.raises(FlowStateError):
        run.cancel()
    assert_nothing_of_the_citizen(run, world)


def test_identify_refuses_a_method_the_flow_does_not_take(world):
    flow = Flow("card.only", (Identify(methods=(IdMethod.ID_CARD,)), Consent(),
                              Query("social_insurance"), Rate(), Done()))
    run = FlowRun(flow, world.ports)
    run.start()
    with pytest.raises(InputRejected) as exc:
        run.identify(identity(world, method=IdMethod.QR))
    assert exc.value.code == "id.method_not_allowed" and run.step.kind is StepKind.IDENTIFY
    cleared = identity(world)
    cleared.clear()
    with pytest.raises(FlowStateError):
        run.identify(cleared)


def test_views_of_every_step(world):
    run = new_run(world, "ss.certificate")
    v = run.view()
    assert v.methods == (IdMethod.ID_CARD, IdMethod.QR) and v.verified and not v.attended
    run.identify(identity(world))
    assert run.masked_id == p.mask_id_number(OWNER_ID)
    assert run.view().items.fetches == ("fetch.social_insurance",)
    assert run.view().department == "rs"
    run.next()
    assert run.view() is None  # busy: the screen shows its spinner
    run.run_pending()
    v = run.view()
    assert v.document == "ss_certificate" and not v.optional and v.paper is Paper.A4
    assert v.content.region == "常州市" and len(v.content.enrolments) == 5
    run.next()
    run.run_pending()
    assert run.view().job_state == "queued"
    run.print_update(PrintUpdate(run.ctx.job_id, "printing", ""))
    assert run.view().job_state == "printing"
    run.print_update(PrintUpdate(run.ctx.job_id, "done", ""))
    v = run.view()
    assert v.levels[0] is ratings.Satisfaction.VERY_SATISFIED and v.max_comment == 100
    assert v.low_levels == {ratings.Satisfaction.DISSATISFIED,
                            ratings.Satisfaction.VERY_DISSATISFIED}
    run.skip()
    assert run.view().printed and world.events.of("rating") == []
    run.next()
    assert transaction(world)["rated"] is False


@pytest.mark.allow_error_log
def test_outbox_failure_never_strands_the_citizen(world, caplog):
    world.events.broken = True
    run = new_run(world, "queue.ticket")
    walk(run, world)
    assert run.outcome is Outcome.DONE
    assert "rating event not saved: OSError" in caplog.text
    assert "transaction event not saved" in caplog.text


def test_nothing_to_print_passes_the_print_step(world):
    run = new_run(world, "ss.contributions")
    walk(run, world, until=lambda r: r.step.kind is StepKind.SHOW)
    world.records.people[OWNER_ID]["ss"]["contributions"] = []
    run.cancel()
    run = new_run(world, "ss.contributions")
    walk(run, world, until=lambda r: r.step.kind is StepKind.SHOW)
    assert run.view().empty and run.view().year is None
    run.next()
    assert run.view().document is None and Intent.NEXT in run.allowed
    run.next()
    assert run.step.kind is StepKind.RATE and world.records.issued == []


def test_logs_name_no_citizen(world, caplog):
    caplog.set_level(logging.DEBUG, logger="kiosk")
    for fid in FLOWS:
        run = new_run(world, fid)
        walk(run, world, RENTER_ID if fid == "bdc.no_property" else OWNER_ID)
    run = new_run(world, "ss.certificate")
    run.identify(identity(world))
    run.next()
    world.records.down = True
    run.run_pending()
    run.report_problem("system_down")
    run.cancel()
    assert caplog.records
    assert not any(secret in caplog.text for secret in SECRETS)


# ============================================================================ 好差评


@pytest.mark.parametrize("level,reasons,comment,code", [
    (0, (), "", "rating.bad_level"),
    (6, (), "", "rating.bad_level"),
    ("great", (), "", "rating.bad_level"),
    (1, (), "", "rating.reason_required"),
    (2, (), "很慢", "rating.reason_required"),
    (5, ("slow",), "", "rating.reasons_not_allowed"),
    (3, ("slow",), "", "rating.reasons_not_allowed"),
    (1, ("rude",), "", "rating.unknown_reason"),
    (4, (), "好" * 101, "rating.comment_too_long"),
])
def test_rating_validation(level, reasons, comment, code):
    with pytest.raises(ratings.RatingInvalid) as exc:
        ratings.validate(level, reasons, comment)
    assert exc.value.code == code and code in INPUT_CODES


def test_rating_levels_and_reasons():
    assert [ratings.LEVEL_NAMES[lv] for lv in ratings.LEVELS] == [
        "非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    r = ratings.validate(2, ["slow", "slow", "not_done"], "  等了  很久 ")
    assert r.reasons == (ratings.RatingReason.SLOW, ratings.RatingReason.NOT_DONE)
    assert r.comment == "等了 很久" and r.low
    assert ratings.validate(4, (), "好" * 100).comment == "好" * 100


def test_comment_scrubbing():
    spaced = " ".join(OWNER_ID[i:i + 4] for i in range(0, 18, 4))
    fullwidth = OWNER_ID.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    for text in (f"我的身份证{OWNER_ID}查不到", f"号码 {spaced} 不对", f"证号{fullwidth}",
                 f"打 {OWNER_ID.lower()}", "电话13812345678", "卡号 6222-0212-3456-7890"):
        out = ratings.scrub_comment(text, names=(OWNER_NAME,))
        assert "***" in out and not contains_id_number(out), (text, out)
        assert not any(ch.isdigit() for ch in out), out
    assert ratings.scrub_comment(f"{OWNER_NAME}来办事，2026年11月", (OWNER_NAME,)) == \
        "***来办事，2026年11月"
    assert ratings.scrub_comment("窗口3号，排队20分钟") == "窗口3号，排队20分钟"


def test_rating_payload_has_no_id_number_and_no_name(world):
    run = new_run(world, "ss.certificate")
    walk(run, world, until=lambda r: r.step.kind is StepKind.RATE)
    with pytest.raises(InputRejected):
        run.rate(1)
    assert run.step.kind is StepKind.RATE  # refused input changes nothing
    run.rate(1, ["print_problem", "other"], f"{OWNER_NAME}，身份证 {OWNER_ID} 打印很淡")
    (body,) = world.events.of("rating")
    text = json.dumps(body, ensure_ascii=False)
    assert not any(secret in text for secret in SECRETS) and not contains_id_number(body)
    assert body["level"] == 1 and body["level_name"] == "非常不满意"
    assert body["reasons"] == ["print_problem", "other"]
    assert body["comment"] == "***，身份证 *** 打印很淡"
    assert body["terminal_id"] == "T-0519-001" and body["item_id"] == "ss.certificate"
    assert "subject" not in body  # nothing links the rating to the person
    assert body["run_id"] == run.run_id
    walk(run, world)
    assert_nothing_of_the_citizen(run, world)


def test_rating_through_the_real_outbox(world, tmp_path):
    from kiosk.store.db import open_store
    from kiosk.sync.outbox import Outbox

    store = open_store(tmp_path / "k.sqlite3")
    try:
        outbox = Outbox(store)
        world.ports.events = outbox
        assert_implements(outbox, EventSink)
        run = new_run(world, "ss.certificate")
        walk(run, world, until=lambda r: r.step.kind is StepKind.RATE)
        run.rate(2, ["wrong_data"], f"身份证号{OWNER_ID}的记录不对，我是{OWNER_NAME}")
        walk(run, world)
        kinds = sorted(e.kind for e in outbox.next_batch())
        assert kinds == ["rating", "transaction"]
        for e in outbox.next_batch():
            text = json.dumps(e.payload, ensure_ascii=False)
            assert not any(secret in text for secret in SECRETS)
    finally:
        store.close()


# ============================================================================ 办不成事


def test_problem_report_from_an_error_screen(world):
    run = new_run(world, "ss.certificate")
    run.identify(identity(world))
    run.next()
    world.records.down = True
    run.run_pending()
    ticket = run.report_problem("system_down")
    assert ticket.number == "BC-20261123-001" and ticket.saved
    assert ticket.destination is Destination.ITEM_WINDOW
    assert ticket.where == Place("政务服务中心一楼", "3 号窗口")
    assert ticket.online_url == FALLBACK.online_url
    assert run.status is Status.FAILED and run.problem_ticket == ticket  # the run stays
    (body,) = world.events.of("problem_report")
    assert body["ticket"] == ticket.number and body["category"] == "system_down"
    assert body["error_code"] == "backend.unreachable" and body["step"] == "query"
    assert body["item_id"] == "ss.certificate" and body["terminal_id"] == "T-0519-001"
    assert run.report_problem("too_hard").number == "BC-20261123-002"
    with pytest.raises(InputRejected) as exc:
        run.report_problem("aliens")
    assert exc.value.code == "problem.unknown_category"
    run.cancel()
    assert_nothing_of_the_citizen(run, world)


@pytest.mark.parametrize("pos", [p_ for p_ in POSITIONS if p_[2] == "enter"], ids=pos_id)
def test_problem_report_reachable_from_every_step(world, pos):
    fid, index, _ = pos
    run = new_run(world, fid)
    walk_to(run, world, index)
    assert Intent.REPORT_PROBLEM in run.allowed
    ticket = run.report_problem("other")
    assert ticket.destination is Destination.PROBLEM_WINDOW
    assert ticket.where == Place("一楼", "办不成事反映窗口")


def test_problem_report_outside_a_flow_and_routing(world):
    r = world.reporter
    assert r.report("too_hard").where == Place("一楼大厅", "导办台")
    assert r.report("cannot_print").destination is Destination.HELP_DESK
    # a records problem without a known item window goes to the problem window
    assert r.report("no_records").destination is Destination.PROBLEM_WINDOW
    assert r.report("no_records", item_window=Place("三楼", "12 号窗口")).where.window == \
        "12 号窗口"
    with pytest.raises(UnknownCategory):
        r.report("nope")


def test_ticket_numbers_unique_per_terminal_per_day(world):
    r = world.reporter
    numbers = [r.report("other").number for _ in range(12)]
    assert len(set(numbers)) == 12 and numbers[0] == "BC-20261123-001"
    assert numbers[-1] == "BC-20261123-012"
    world.wall.now += timedelta(days=1)
    assert r.report("other").number == "BC-20261124-001"
    world.wall.now = datetime(2026, 11, 24, 23, 59, tzinfo=LOCAL_TZ)
    assert r.report("other").number == "BC-20261124-002"


def test_file_counter_survives_a_restart(tmp_path, caplog):
    path = tmp_path / "problem-counter.json"
    day = date(2026, 11, 23)
    first = FileCounter(path)
    assert [first.next(day) for _ in range(3)] == [1, 2, 3]
    assert FileCounter(path).next(day) == 4  # a restart continues
    assert FileCounter(path).next(day + timedelta(days=1)) == 1  # a new day starts over
    path.write_text("{not json")
    with caplog.at_level(logging.WARNING):
        assert FileCounter(path).next(day + timedelta(days=1)) == RECOVERY_FLOOR + 1
    assert "unreadable" in caplog.text
    assert not path.with_name(path.name + ".tmp").exists()


@pytest.mark.allow_error_log
def test_problem_ticket_when_the_outbox_fails(world):
    world.events.broken = True
    ticket = world.reporter.report("device_fault")
    assert not ticket.saved and ticket.number == "BC-20261123-001"
    assert ticket.destination is Destination.HELP_DESK


# ============================================================================ ports


class StubAdapter:
    def __init__(self, exc: Exception | None = None):
        self.exc = exc
        self.seen: list[tuple] = []

    def fetch(self, call, id_number):
        self.seen.append((call, id_number))
        if self.exc:
            raise self.exc
        return "records"

    def issue_document(self, kind, id_number, *, from_month=None, to_month=None):
        self.seen.append(("issue_document", kind, from_month, to_month))
        return "issued"


class SigningAdapter:
    """An enrolled adapter: it has a credential, and its calls take the proof."""

    credential = "cred-" + "x" * 40

    def __init__(self):
        self.proofs: list[tuple[str, p.Proof | None]] = []

    def fetch(self, call, id_number, *, proof=None):
        self.proofs.append((call, proof))
        return "records"

    def issue_document(self, kind, id_number, *, from_month=None, to_month=None, proof=None):
        self.proofs.append(("issue_document", proof))
        return "issued"

    def access_log(self, id_number, proof=None):
        self.proofs.append(("access_log", proof))
        return "log"


@pytest.mark.parametrize("how", ["card_face", "e_credential", "attended"])
def test_backend_records_signs_a_proof_for_every_personal_call(how):
    """The proof names the method, the session and the time, and its HMAC (keyed with the
    terminal's credential) covers the terminal, the citizen's number and the time as sent."""
    adapter = SigningAdapter()
    port = BackendRecords(adapter, terminal_id="T-0519-001")
    v = Verification(how, datetime(2026, 11, 23, 9, 30, 5, 250000, tzinfo=LOCAL_TZ),
                     ticket="tkt-9" if how == "e_credential" else None,
                     staff_id="S-0042" if how == "attended" else None)
    session = "c0ffee" + "0" * 26
    port.fetch("social_insurance", OWNER_ID, verification=v, session_id=session)
    port.issue_document("ss_certificate", OWNER_ID, verification=v, session_id=session)
    port.access_log(OWNER_ID, verification=v, session_id=session)
    assert [c for c, _p in adapter.proofs] == ["social_insurance", "issue_document",
                                               "access_log"]
    for _call, proof in adapter.proofs:
        sent = proof.model_dump(mode="json")
        assert sent["method"] == how and sent["session_id"] == session
        assert sent["verified_at"] == "2026-11-23T01:30:05.250000Z"
        assert (sent["ticket"], sent["staff_id"]) == (v.ticket, v.staff_id)
        message = p.proof_message(terminal_id="T-0519-001", id_number=OWNER_ID, method=how,
                                  session_id=session, verified_at=sent["verified_at"],
                                  ticket=v.ticket, staff_id=v.staff_id)
        assert sent["signature"] == p.sign_proof(SigningAdapter.credential, message)
        assert OWNER_ID not in json.dumps(sent)  # only its hash, inside the signature
    # another citizen, terminal or credential gets another signature
    other = BackendRecords(adapter, terminal_id="T-0519-002").proof(OWNER_ID, v, session)
    assert other.signature != adapter.proofs[0][1].signature
    assert port.proof(RENTER_ID, v, session).signature != adapter.proofs[0][1].signature
    # no verification, or nothing to sign with: no proof (the backend refuses the call)
    assert port.proof(OWNER_ID, None, session) is None
    assert BackendRecords(StubAdapter(), "T-0519-001").proof(OWNER_ID, v, session) is None


def test_backend_records_translates_adapter_failures(caplog):
    from kiosk.sync.adapter import BackendRejected, BackendUnavailable, NotEnrolled

    assert BackendRecords(StubAdapter()).fetch("social_insurance", OWNER_ID) == "records"
    ok = StubAdapter()
    BackendRecords(ok).issue_document("ss_contributions", OWNER_ID, from_month="2025-01",
                                      to_month="2025-12")
    assert ok.seen == [("issue_document", "ss_contributions", "2025-01", "2025-12")]
    with pytest.raises(Unreachable) as exc:
        BackendRecords(StubAdapter(BackendUnavailable("boom", "timeout"))).fetch("social_insurance", OWNER_ID)
    assert exc.value.kind == "timeout" and exc.value.__suppress_context__
    with caplog.at_level(logging.WARNING):
        with pytest.raises(Unreachable) as exc:
            BackendRecords(StubAdapter(NotEnrolled())).fetch("social_insurance", OWNER_ID)
    assert exc.value.kind == "not_enrolled" and OWNER_ID not in caplog.text
    with pytest.raises(Rejected) as exc:
        BackendRecords(StubAdapter(BackendRejected(404, "citizen_not_found", "x"))
                       ).fetch("social_insurance", OWNER_ID)
    assert exc.value.code == "citizen_not_found"


def test_fakes_match_the_ports():
    assert_implements(FakeRecords(), RecordsPort)
    assert_implements(FakePrinters(), DocumentPrinter, ReceiptPrinter)
    assert_implements(EventLog(), EventSink)
    assert_implements(BackendRecords(StubAdapter()), RecordsPort)
    from kiosk.flows.ports import ProvenRecords

    proven = ProvenRecords(FakeRecords(), None, "")
    for name in ("fetch", "issue_document", "access_log", "queue_ticket"):
        assert callable(getattr(proven, name))


def test_fallback_from_a_guide():
    fb = Fallback.from_guide(guide_detail())
    assert fb == Fallback("https://zwfw.example.gov.cn/guide/RS-000001", "政务服务中心一楼",
                          "3 号窗口")


def test_printable_document_and_work_results_are_redacted(world):
    run = new_run(world, "ss.certificate")
    walk(run, world, until=lambda r: r.status is Status.PRINTING)
    doc = world.printers.memory[run.ctx.job_id]
    assert repr(doc) == "PrintableDocument(kind=ss_certificate, <redacted>)"
    run.cancel()
    assert world.printers.memory == {} and world.printers.forgotten == 1


def test_error_codes_are_all_declared(world):
    """Every FlowError the suite can produce is in ERROR_CODES (the screens' list)."""
    produced = set()
    rng = random.Random(5)
    for fid in FLOWS:
        for who in (OWNER_ID, RENTER_ID, STRANGER_ID):
            for down in (False, True):
                world.records.down = down
                run = new_run(world, fid)
                for _ in range(40):
                    if run.finished:
                        break
                    if run.status is Status.FAILED:
                        produced.add(run.error.code)
                        run.cancel()
                        break
                    if run.step.kind is StepKind.IDENTIFY:
                        method = rng.choice([IdMethod.ID_CARD, IdMethod.QR])
                        run.identify(Identity(who, method, today=TODAY,
                                              verification=verification(VERIFIED_BY[method])))
                        continue
                    act(run, world, who)
    assert produced and produced <= ERROR_CODES


# ============================================================================ the e-credential


def driver_for(world: World, flow_id: str = "ss.certificate"):
    """A flow driver as the core has it (its worker thread, the bus posting to this thread)."""
    from kiosk.bus import Bus, ManualPost
    from kiosk.flows.driver import FlowDriver

    post = ManualPost()
    driver = FlowDriver(Bus(post))
    run = FlowRun(FLOWS[flow_id], world.ports, session_id="5e" * 16)
    run.start()
    driver.begin(run)
    return driver, run, post


def settle(driver, post) -> None:
    """Until the worker's results have come back through the post (as the UI thread would)."""
    import time

    deadline = time.monotonic() + 5
    while driver.busy and time.monotonic() < deadline:
        post.drain(0.02)
    assert not driver.busy
    post.drain()


def test_an_e_credential_is_exchanged_off_this_thread_and_identifies(world):
    import threading

    seen_on: list[str] = []

    class Recording(FakeRecords):
        def exchange_credential(self, qr, session_id):
            seen_on.append(threading.current_thread().name)
            assert session_id == "5e" * 16  # the ticket is bound to the citizen's session
            return super().exchange_credential(qr, session_id)

    world.records = world.ports.records = Recording()
    driver, run, post = driver_for(world)
    try:
        assert driver.exchange_credential(p.E_CREDENTIAL_PREFIX + "good")
        assert driver.exchange.pending and run.step.kind is StepKind.IDENTIFY
        assert not driver.exchange_credential(p.E_CREDENTIAL_PREFIX + "good")  # one at a time
        settle(driver, post)
        assert seen_on and seen_on[0].startswith("flow-work")
        assert run.step.kind is StepKind.CONSENT and driver.exchange.code == ""
        ident = run.ctx.identity
        v = ident.verification
        assert (ident.method, v.method, v.ticket) == (IdMethod.QR, p.VerifyMethod.E_CREDENTIAL,
                                                      "tkt-1")
        run.next()
        settle(driver, post)
        assert world.records.proofs[-1] == ("social_insurance", "e_credential", "5e" * 16)
        run.cancel()
        driver.end()
        assert_nothing_of_the_citizen(run, world)
    finally:
        driver.shutdown()


@pytest.mark.parametrize("answer,code", [
    (Rejected(p.ErrorCode.CREDENTIAL_USED), "id.credential.used"),
    (Rejected(p.ErrorCode.CREDENTIAL_EXPIRED), "id.credential.expired"),
    (Rejected(p.ErrorCode.CREDENTIAL_INVALID), "id.credential.invalid"),
    (Unreachable("timeout"), "id.credential.unreachable"),
])
def test_a_refused_e_credential_says_why_and_the_step_stays(world, answer, code):
    from kiosk.flows.driver import CREDENTIAL_CODES

    class Refusing(FakeRecords):
        def exchange_credential(self, qr, session_id):
            raise answer

    world.records = world.ports.records = Refusing()
    driver, run, post = driver_for(world)
    try:
        driver.exchange_credential(p.E_CREDENTIAL_PREFIX + "whatever")
        settle(driver, post)
        assert driver.exchange.code == code and code in CREDENTIAL_CODES
        assert not driver.exchange.pending and run.step.kind is StepKind.IDENTIFY
        assert run.ctx.identity is None
        # the citizen uses the card meanwhile: the message goes with the step
        run.identify(identity(world))
        assert driver.exchange.code == ""
        run.cancel()
    finally:
        driver.shutdown()


def test_an_exchange_answering_after_the_citizen_left_is_dropped(world):
    import threading

    release = threading.Event()

    class Slow(FakeRecords):
        def exchange_credential(self, qr, session_id):
            release.wait(5)
            return super().exchange_credential(qr, session_id)

    world.records = world.ports.records = Slow()
    driver, run, post = driver_for(world)
    try:
        driver.exchange_credential(p.E_CREDENTIAL_PREFIX + "good")
        run.cancel()
        driver.end()
        release.set()
        settle(driver, post)
        assert run.finished and run.ctx.identity is None and driver.exchange.code == ""
        assert_nothing_of_the_citizen(run, world)
    finally:
        driver.shutdown()


def test_no_backend_no_exchange(world):
    world.ports.records = None
    from kiosk.bus import Bus
    from kiosk.flows.driver import FlowDriver

    driver = FlowDriver(Bus())
    try:
        flow = Flow("ask", (Identify(), Consent(), Rate(), Done()), assurance="none")
        run = FlowRun(flow, world.ports)
        run.start()
        driver.begin(run)
        assert not driver.exchange_credential(p.E_CREDENTIAL_PREFIX + "good")
        assert driver.exchange.code == "id.credential.unreachable"
    finally:
        driver.shutdown()


def test_the_access_log_item_shows_who_looked(world):
    run = new_run(world, "records.access_log")
    assert run.flow.verified and run.view().verified
    run.identify(identity(world, method=IdMethod.QR))
    assert run.view().items.fetches == ("fetch.access_log",) and run.view().items.prints == ()
    run.next()
    run.run_pending()
    v = run.view()
    assert run.step.kind is StepKind.SHOW and not v.empty and v.page.number == 1
    (entry,) = v.rows
    assert entry.method is p.VerifyMethod.CARD_FACE and entry.place
    assert world.records.proofs == [("access_log", "e_credential", run.session_id)]
    with pytest.raises(InputRejected):
        run.choose(page=2)
    walk(run, world)
    assert run.outcome is Outcome.DONE and world.printers.jobs == []
    assert_nothing_of_the_citizen(run, world)
