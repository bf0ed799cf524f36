"""The flows' documents on paper: protocol records from the reference backend's demo citizens,
rendered (printing.flow_documents), read back with pdftotext and their QR codes decoded; and
PrintService as the flows' DocumentPrinter and ReceiptPrinter over a real spooler."""

from __future__ import annotations

import logging
import re
import threading
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from contracts import assert_implements
from backend.seed import DEMO_CITIZENS
from conftest import small_catalog, write_catalog
from kiosk.devices.status import Reason
from kiosk.flows.ports import DocumentPrinter, PrintableDocument, PrintRefused, ReceiptPrinter
from kiosk.ports import PrintPort
from kiosk.store.db import open_store
import protocol as p
from protocol import LOCAL_TZ
from kiosk.sync.adapter import HttpAdapter
from wiring.demo_backend import DemoBackend
from printing import documents, flow_documents
from printing.drivers import network_driver
from printing.escpos_text import PROFILE_58MM
from printing.factory import DOCUMENT, RECEIPT
from printing.samples import DOCUMENT_KINDS, sample_document, write_sample
from printing.service import PrintService
from printing.spooler import JobState, Spooler
from printing.virtual_a4 import FolderDriver
from printing.virtual_printer import VirtualPrinter, render_job
from test_documents import has, page_count, run, text

ZHANG, LI, WANG, CHEN = (c.id_number for c in DEMO_CITIZENS)
FULL_IDS = (ZHANG, LI, WANG, CHEN)
K = p.DocumentKind
ID18 = re.compile(r"(?<![0-9A-Z])\d{17}[0-9X](?![0-9A-Z])")
TERMINAL = "T-0519-001"


# ============================================================================ the records


class Backend:
    """Every record and issued document the tests print, fetched once over real HTTP."""

    def __init__(self, adapter: HttpAdapter):
        from backend_helpers import proof_for

        def fetch(call, n):  # every personal call with its proof, as the kiosk sends it
            return adapter.fetch(call, n, proof=proof_for(adapter, "DEMO-0001", n))

        def issue(kind, n, **months):
            return adapter.issue_document(kind, n, proof=proof_for(adapter, "DEMO-0001", n),
                                          **months)

        self.si = {n: fetch("social_insurance", n) for n in (ZHANG, WANG)}
        self.ma = {ZHANG: fetch("medical_account", ZHANG)}
        self.pf = {n: fetch("provident_fund", n) for n in (ZHANG, WANG)}
        self.re = {n: fetch("real_estate", n) for n in (ZHANG, LI)}
        self.year = int(max(c.month for c in self.si[ZHANG].contributions)[:4]) - 1
        self.issued = {
            K.SS_CERTIFICATE: issue(K.SS_CERTIFICATE, ZHANG),
            K.SS_CONTRIBUTIONS: issue(K.SS_CONTRIBUTIONS, ZHANG, from_month=f"{self.year}-01",
                                      to_month=f"{self.year}-12"),
            K.MEDICAL_ACCOUNT: issue(K.MEDICAL_ACCOUNT, ZHANG),
            K.PROVIDENT_FUND: issue(K.PROVIDENT_FUND, ZHANG),
            K.REAL_ESTATE: issue(K.REAL_ESTATE, ZHANG),
            K.NO_PROPERTY: issue(K.NO_PROPERTY, LI),
        }
        self.ticket = adapter.queue_ticket("ss")


@pytest.fixture(scope="module")
def backend(tmp_path_factory) -> Backend:
    folder = tmp_path_factory.mktemp("flow-docs")
    catalog = write_catalog(folder / "catalog.json.gz", small_catalog())
    with DemoBackend(folder / "backend", catalog=catalog, citizens=4, process=False) as server, \
            server.enrolled("DEMO-0001") as adapter:
        return Backend(adapter)


def printable(b: Backend, kind: K, selection: dict | None = None, *, records=None,
              title: str = "", issued: p.DocumentIssued | None | bool = True
              ) -> PrintableDocument:
    if records is None:
        records = {K.SS_CERTIFICATE: b.si[ZHANG], K.SS_CONTRIBUTIONS: b.si[ZHANG],
                   K.MEDICAL_ACCOUNT: b.ma[ZHANG], K.PROVIDENT_FUND: b.pf[ZHANG],
                   K.REAL_ESTATE: b.re[ZHANG], K.NO_PROPERTY: b.re[LI]}[kind]
    if issued is True:
        issued = b.issued[kind]
    return PrintableDocument(kind.value, title or p.DOCUMENT_TITLES[kind], issued or None,
                             records, selection or {})


def selection_for(b: Backend, kind: K) -> dict:
    return {K.SS_CONTRIBUTIONS: {"year": b.year, "insurance_type": "all"},
            K.MEDICAL_ACCOUNT: {"month": "all"},
            K.PROVIDENT_FUND: {"year": b.year}}.get(kind, {})


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return path


def qr_codes(pdf: Path, page: int, stem: Path) -> list[str]:
    """Decode the QR codes of one page, as test_documents does: pdftoppm, then zxing-cpp."""
    run("pdftoppm", "-r", "100", "-png", "-singlefile", "-f", str(page), "-l", str(page), pdf,
        stem)
    with Image.open(f"{stem}.png") as img:
        return [r.text for r in zxingcpp.read_barcodes(img)]


def raw_text(pdf: Path, page: int) -> str:
    """Text in content-stream order: the diagonal watermark comes out whole (pdftotext's
    layout order scatters its characters)."""
    return run("pdftotext", "-raw", "-f", str(page), "-l", str(page), pdf, "-")


def word_boxes(pdf: Path) -> list[tuple[float, float, str]]:
    """(xMin, xMax, word) of every word pdftotext finds."""
    html = run("pdftotext", "-bbox", pdf, "-")
    return [(float(a), float(b), w) for a, b, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        html)]


def assert_no_full_id(t: str) -> None:
    for n in FULL_IDS:
        assert n not in t
    assert not ID18.search(t)


# ============================================================================ every kind


@pytest.mark.parametrize("kind,holder", [
    (K.SS_CERTIFICATE, ZHANG), (K.SS_CONTRIBUTIONS, ZHANG), (K.MEDICAL_ACCOUNT, ZHANG),
    (K.PROVIDENT_FUND, ZHANG), (K.REAL_ESTATE, ZHANG), (K.NO_PROPERTY, LI),
])
def test_every_kind_carries_holder_code_time_and_a_scannable_qr(backend, tmp_path, artifacts,
                                                                 kind, holder):
    doc = printable(backend, kind, selection_for(backend, kind))
    issued = backend.issued[kind]
    pdf = write(tmp_path, kind.value, flow_documents.render(doc, TERMINAL))
    t = text(pdf)
    name = next(c.name for c in DEMO_CITIZENS if c.id_number == holder)
    masked = doc.records.holder.id_number_masked
    assert masked == p.mask_id_number(holder) and masked.startswith(holder[:4])
    for expected in (p.DOCUMENT_TITLES[kind], name, masked, f"验证码：{issued.verification_code}",
                     f"终端编号：{TERMINAL}",
                     f"{issued.issued_at.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M:%S}"):  # Beijing time
        assert has(t, expected), expected
    assert_no_full_id(t)
    pages = page_count(pdf)
    assert has(t, f"第 1 页 共 {pages} 页") and has(t, f"第 {pages} 页 共 {pages} 页")
    for page in sorted({1, pages}):
        assert qr_codes(pdf, page, tmp_path / f"{kind.value}-p{page}") == [issued.verify_url]
    # nothing runs past the margins (a long value wraps instead of running off the page)
    left, right = documents.MARGIN - 1, documents.PAGE_W - documents.MARGIN + 1
    for x_min, x_max, word in word_boxes(pdf):
        assert left <= x_min and x_max <= right, word
    if kind in (K.PROVIDENT_FUND, K.REAL_ESTATE, K.NO_PROPERTY):  # the new ones, to look at
        out = artifacts / "flow-documents"
        out.mkdir(exist_ok=True)
        run("pdftoppm", "-r", "60", "-png", "-singlefile", "-f", "1", "-l", "1", pdf,
            out / kind.value)


@pytest.mark.parametrize("kind", list(K))
def test_draft_is_watermarked_and_carries_no_qr(backend, tmp_path, artifacts, kind):
    """The preview before the backend issued anything: 样张 on every page, no code, no QR."""
    doc = printable(backend, kind, selection_for(backend, kind), issued=False)
    pdf = write(tmp_path, f"{kind.value}-draft", flow_documents.render(doc, TERMINAL, draft=True))
    pages = page_count(pdf)
    for page in range(1, pages + 1):
        t = raw_text(pdf, page)
        assert has(t, documents.WATERMARK), page
        assert has(t, "验证码：打印时生成") and "/verify/" not in t
    assert qr_codes(pdf, 1, tmp_path / f"{kind.value}-draft") == []
    # the time printed is the records' (nothing was issued yet), in Beijing time
    assert has(text(pdf), f"{doc.records.as_of.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M:%S}")
    # issued already (a reprint's preview): still no code and no QR on a draft
    issued = backend.issued[kind]
    again = write(tmp_path, f"{kind.value}-draft2", flow_documents.render(
        printable(backend, kind, selection_for(backend, kind)), TERMINAL, draft=True))
    assert issued.verification_code not in text(again)
    assert qr_codes(again, 1, tmp_path / f"{kind.value}-draft2") == []
    if kind is K.REAL_ESTATE:
        run("pdftoppm", "-r", "60", "-png", "-singlefile", "-f", "1", "-l", "1", pdf,
            artifacts / "flow-documents" / "real_estate-draft")


def test_printing_needs_an_issued_document(backend):
    with pytest.raises(ValueError):
        flow_documents.render(printable(backend, K.SS_CERTIFICATE, issued=False), TERMINAL)


# ============================================================================ per kind


def test_ss_certificate_enrolments_employer_region(backend, tmp_path):
    r = backend.si[ZHANG]
    t = text(write(tmp_path, "c", flow_documents.render(printable(backend, K.SS_CERTIFICATE),
                                                        TERMINAL)))
    for e in r.enrolments:
        assert has(t, p.ENROLMENT_STATUS_NAMES[e.status]) and e.start_month in t
        assert has(t, str(e.months_paid))
    for name in ("基本养老保险", "基本医疗保险", "失业保险", "工伤保险", "生育保险"):
        assert name in t
    latest = max(r.enrolments, key=lambda e: e.last_paid_month or "")
    assert has(t, f"参保单位：{latest.employers[-1]}") and has(t, f"参保地：{r.region}")
    assert "特此证明" in t and "三个月" in t
    # 王建国 left his employer: suspended
    wang = text(write(tmp_path, "w", flow_documents.render(
        printable(backend, K.SS_CERTIFICATE, records=backend.si[WANG]), TERMINAL)))
    assert "暂停缴费" in wang and "王建国" in wang


def test_medical_enrolment_title_and_only_the_medical_enrolment(backend, tmp_path):
    doc = printable(backend, K.SS_CERTIFICATE, {"insurance_type": "medical"},
                    title="医疗保险参保凭证")
    pdf = write(tmp_path, "yb", flow_documents.render(doc, TERMINAL))
    t = text(pdf)
    medical = next(e for e in backend.si[ZHANG].enrolments if e.type is p.InsuranceType.MEDICAL)
    assert "医疗保险参保凭证" in t and "社会保险参保证明" not in t
    assert "基本医疗保险" in t and medical.start_month in t
    for other in ("基本养老保险", "失业保险", "工伤保险", "生育保险"):
        assert other not in t
    assert "医疗保障局" in t
    assert qr_codes(pdf, 1, tmp_path / "yb") == [backend.issued[K.SS_CERTIFICATE].verify_url]


def _statement_total(statement: str) -> Decimal:
    return Decimal(re.search(r"个人缴费合计 ([\d.]+) 元", statement).group(1))


def test_contributions_year_filter_order_and_totals(backend, tmp_path):
    year = backend.year
    doc = printable(backend, K.SS_CONTRIBUTIONS, {"year": year, "insurance_type": "all"})
    pdf = write(tmp_path, "all", flow_documents.render(doc, TERMINAL))
    t = text(pdf)
    rows = [c for c in backend.si[ZHANG].contributions if c.month.startswith(str(year))]
    personal = sum((c.personal for c in rows), Decimal("0.00"))
    employer = sum((c.employer_amount for c in rows), Decimal("0.00"))
    last = text(pdf, page_count(pdf))
    assert has(last, f"共 {len(rows)} 条") and f"{personal:,.2f}" in last
    assert f"{employer:,.2f}" in last
    # the paper agrees with what the verification page will say
    assert personal == _statement_total(backend.issued[K.SS_CONTRIBUTIONS].statement)
    assert has(t, f"查询期间：{year}-01 至 {year}-12")
    assert f"{year}-01" in t and f"{year}-12" in t
    assert t.index(f"{year}-01") < t.index(f"{year}-12")  # oldest first
    assert f"{year - 1}-12" not in t and f"{year + 1}-01" not in t


def test_contributions_type_filter(backend, tmp_path):
    year = backend.year
    doc = printable(backend, K.SS_CONTRIBUTIONS, {"year": year, "insurance_type": "pension"})
    pdf = write(tmp_path, "pension", flow_documents.render(doc, TERMINAL))
    t = text(pdf)
    rows = [c for c in backend.si[ZHANG].contributions
            if c.month.startswith(str(year)) and c.type is p.InsuranceType.PENSION]
    assert has(t, "险种：基本养老保险")
    for other in ("基本医疗保险", "失业保险", "工伤保险", "生育保险"):
        assert other not in t
    total = sum((c.personal for c in rows), Decimal("0.00"))
    assert has(t, f"共 {len(rows)} 条") and f"{total:,.2f}" in t


def test_medical_account_month_filter_in_beijing_time(backend, tmp_path):
    r = backend.ma[ZHANG]
    # a spending at 17:30 UTC on the last day of a month is the 1st of the next in Beijing
    template = next(t for t in r.transactions if t.kind == "spending")
    late = template.model_copy(update={
        "occurred_at": datetime(2026, 9, 30, 17, 30, tzinfo=timezone.utc),
        "amount": Decimal("12.34"), "place": "夜间药房", "description": "购药"})
    records = r.model_copy(update={"transactions": [late, *r.transactions]})

    def render(month: str) -> str:
        doc = printable(backend, K.MEDICAL_ACCOUNT, {"month": month}, records=records)
        return text(write(tmp_path, f"m-{month}", flow_documents.render(doc, TERMINAL)))

    october = render("2026-10")
    in_october = [t for t in records.transactions
                  if t.occurred_at.astimezone(LOCAL_TZ).strftime("%Y-%m") == "2026-10"]
    assert late in in_october
    assert has(october, f"共 {len(in_october)} 笔") and "2026-10-01" in october
    assert "夜间药房/购药" in october and "12.34" in october
    assert has(october, "查询期间：2026-10")
    credits = sum((t.amount for t in in_october if t.kind == "credit"), Decimal("0.00"))
    spending = sum((t.amount for t in in_october if t.kind == "spending"), Decimal("0.00"))
    assert f"{credits:,.2f}" in october and f"{spending:,.2f}" in october
    september = render("2026-09")
    assert "夜间药房" not in september
    every = render("all")
    assert has(every, f"共 {len(records.transactions)} 笔")
    assert has(every, f"{r.balance:,.2f} 元")
    account = r.account_number
    assert account not in every and has(every, account[:4]) and has(every, account[-4:])


def test_provident_fund_account_block_and_deposits(backend, tmp_path):
    r = backend.pf[ZHANG]
    year = backend.year
    pdf = write(tmp_path, "pf", flow_documents.render(
        printable(backend, K.PROVIDENT_FUND, {"year": year}), TERMINAL))
    t = text(pdf)
    a = r.account
    rows = [d for d in r.deposits if d.month.startswith(str(year))]
    total = sum((d.total for d in rows), Decimal("0.00"))
    for expected in ("住房公积金缴存证明", "账户状态：正常", f"缴存单位：{a.employer}",
                     f"缴存基数：{a.base:,.2f}", f"个人 {a.personal_rate_percent}%",
                     f"单位 {a.employer_rate_percent}%", f"{a.balance:,.2f}",
                     f"开户年月：{a.opened_month}", f"查询期间：{year}-01 至 {year}-12",
                     f"共 {len(rows)} 条", f"{total:,.2f}", "特此证明", "住房公积金管理中心"):
        assert has(t, expected), expected
    assert a.account_number not in t and has(t, a.account_number[-4:])
    assert f"{year - 1}-12" not in t
    # 王建国: sealed, every deposit (no year chosen), several pages with running totals
    w = backend.pf[WANG]
    pdf = write(tmp_path, "pf-wang", flow_documents.render(
        printable(backend, K.PROVIDENT_FUND, records=w), TERMINAL))
    t = text(pdf)
    assert has(t, "账户状态：封存") and "王建国" in t
    pages = page_count(pdf)
    grand = sum((d.total for d in w.deposits), Decimal("0.00"))
    assert has(text(pdf, pages), f"共 {len(w.deposits)} 条") and f"{grand:,.2f}" in text(pdf, pages)
    if pages > 1:
        assert "累计至本页" in text(pdf, 1) and "本页小计" in text(pdf, 1)


def test_real_estate_every_registration_and_long_locations_wrap(backend, tmp_path):
    r = backend.re[ZHANG]
    assert len(r.registrations) == 2
    long = r.registrations[0].model_copy(update={
        "location": "常州市天宁区青洋北路与龙锦路交叉口东南侧天宁吾悦广场商业综合体地下二层至地上"
                    "四十二层办公楼B座南侧裙楼十八幢二单元2802室（原红梅乡东方村地块）",
        "mortgaged": True, "sealed": True})
    records = r.model_copy(update={"registrations": [*r.registrations, long]})
    pdf = write(tmp_path, "re", flow_documents.render(
        printable(backend, K.REAL_ESTATE, records=records), TERMINAL))
    t = text(pdf)
    for reg in records.registrations:
        for expected in (reg.certificate_number, reg.unit_number, reg.location, reg.usage,
                         f"{reg.area_m2:,.2f} m²", reg.right_type, reg.share,
                         reg.registered_on.isoformat()):
            assert has(t, expected), expected
    assert has(t, f"共 {len(records.registrations)} 处") and "不动产登记中心" in t
    assert has(t, "抵押：有查封：有")
    # the long location is on several lines, each inside the value cell
    lines = [ln for ln in t.splitlines() if ln.strip() and ln.strip() in long.location]
    assert len(lines) >= 2
    for x_min, x_max, word in word_boxes(pdf):
        assert x_max <= documents.PAGE_W - documents.MARGIN + 1, word


def test_no_property_statement(backend, tmp_path):
    r = backend.re[LI]
    assert r.registrations == []
    pdf = write(tmp_path, "np", flow_documents.render(printable(backend, K.NO_PROPERTY),
                                                      TERMINAL))
    t = text(pdf)
    as_of = f"{r.as_of.astimezone(LOCAL_TZ):%Y年%m月%d日}"
    assert has(t, f"经查询，截至 {as_of}，在本登记机构辖区内未查询到 李娜（公民身份号码 "
                  f"{r.holder.id_number_masked}）名下的不动产登记记录。")
    assert "特此证明" in t and "三个月" in t and "验证码" in t and "不动产登记中心" in t
    assert page_count(pdf) == 1
    # an owner gets no 无房证明, and the 查询结果 needs registrations
    with pytest.raises(ValueError):
        flow_documents.render(printable(backend, K.NO_PROPERTY, records=backend.re[ZHANG]),
                              TERMINAL)
    with pytest.raises(ValueError):
        flow_documents.render(printable(backend, K.REAL_ESTATE, records=r), TERMINAL)


def test_masks_agree_with_the_protocol():
    """A full number (samples, older callers) is masked as the backend masks it; an already
    masked one is printed unchanged."""
    assert documents.masked_id(ZHANG) == p.mask_id_number(ZHANG) == "3204**********1230"
    assert documents.masked_id("3204**********1230") == "3204**********1230"
    assert documents.Person("张伟", ZHANG).masked_id == p.mask_id_number(ZHANG)


@pytest.mark.parametrize("kind", ["provident-fund", "real-estate", "no-property"])
def test_new_samples(tmp_path, kind):
    assert kind in DOCUMENT_KINDS
    [out] = write_sample(kind, tmp_path / f"{kind}.pdf")
    t = text(out)
    assert "王秀英" in t and "3204**********222X" in t and "32040219580315222X" not in t
    assert sample_document(kind) == out.read_bytes()  # deterministic


# ============================================================================ PrintService


class GatedFolder(FolderDriver):
    """The virtual A4 printer, held mid-job until the test opens the gate."""

    def __init__(self, name: str, folder: Path):
        super().__init__(name, folder)
        self.gate = threading.Event()
        self.started = threading.Event()

    def print_job(self, data: bytes) -> None:
        self.started.set()
        self.gate.wait(5)
        super().print_job(data)


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "k.sqlite3")
    yield s
    s.close()


@pytest.fixture
def receipt_printer():
    with VirtualPrinter(profile=PROFILE_58MM) as vp:
        yield vp


def service(store, drivers: dict, **kw) -> PrintService:
    sp = Spooler(store, drivers, poll_s=None)
    sp.start()
    return PrintService(sp, PROFILE_58MM, TERMINAL, place="政务服务中心一楼大厅", **kw)


def test_service_implements_both_flow_ports(store):
    svc = service(store, {})
    assert_implements(svc, DocumentPrinter, ReceiptPrinter, PrintPort)
    svc.spooler.stop()


def test_print_document_lands_a_pdf_at_the_virtual_a4(backend, store, tmp_path):
    folder = tmp_path / "printed"
    svc = service(store, {DOCUMENT: FolderDriver(DOCUMENT, folder)})
    updates = []
    svc.subscribe(updates.append)
    doc = printable(backend, K.SS_CERTIFICATE)
    job = svc.print_document(doc)
    view = svc.spooler.wait(job)
    assert view.state == JobState.DONE and view.personal and view.kind == "ss_certificate"
    assert view.title == "社会保险参保证明"
    [pdf] = folder.glob("*.pdf")
    t = text(pdf)
    issued = backend.issued[K.SS_CERTIFICATE]
    assert "张伟" in t and has(t, f"验证码：{issued.verification_code}")
    assert qr_codes(pdf, 1, tmp_path / "printed") == [issued.verify_url]
    assert [u.state for u in updates if u.job_id == job][-1] == "done"
    svc.forget_personal()
    svc.spooler.stop()
    store.close()
    # personal bytes never reached the kiosk's database
    for f in tmp_path.glob("k.sqlite3*"):
        assert "张伟".encode() not in f.read_bytes()


def test_preview_is_a_draft_and_spools_nothing(backend, store, tmp_path):
    svc = service(store, {})  # no printer at all: the preview still works
    pdf = write(tmp_path, "preview", svc.preview_document(
        printable(backend, K.PROVIDENT_FUND, {"year": backend.year}, issued=False)))
    t = raw_text(pdf, 1)
    assert has(t, documents.WATERMARK) and "住房公积金缴存证明" in t
    assert qr_codes(pdf, 1, tmp_path / "preview") == []
    assert svc.spooler.jobs() == []
    svc.spooler.stop()


def test_queue_ticket_prints_at_the_virtual_receipt_printer(backend, store, receipt_printer,
                                                            artifacts):
    svc = service(store, {RECEIPT: network_driver(RECEIPT, "127.0.0.1", receipt_printer.port,
                                                  timeout=2)})
    ticket = backend.ticket
    job = svc.print_queue_ticket(ticket)
    view = svc.spooler.wait(job)
    assert view.state == JobState.DONE and not view.personal and view.title == ticket.number
    [printed] = receipt_printer.wait_for_jobs(1)
    rendering = render_job(printed.data, PROFILE_58MM.width_dots)
    rendering.image.save(artifacts / "flow-queue-ticket-58mm.png")
    lines = "\n".join(ln.text for ln in rendering.lines)
    issued = ticket.issued_at.astimezone(LOCAL_TZ)
    for expected in ("政务服务中心一楼大厅", ticket.number, ticket.business_name, ticket.window,
                     f"您前面还有 {ticket.people_ahead} 人", TERMINAL,
                     f"{issued:%Y-%m-%d %H:%M:%S}"):
        assert has(lines, expected), expected
    assert [r.text for r in zxingcpp.read_barcodes(rendering.image)] == [ticket.follow_url]
    svc.spooler.stop()


def test_refusals(backend, store, caplog):
    svc = service(store, {})
    with pytest.raises(PrintRefused) as no_a4:
        svc.print_document(printable(backend, K.SS_CERTIFICATE))
    assert no_a4.value.reason == Reason.NOT_CONFIGURED == "not_configured"
    with pytest.raises(PrintRefused) as no_receipt:
        svc.print_queue_ticket(backend.ticket)
    assert no_receipt.value.reason == "not_configured"
    assert svc.spooler.jobs() == []
    svc.spooler.stop()


@pytest.mark.allow_error_log
def test_a_document_that_cannot_be_rendered_is_refused_and_logged_without_personal_data(
        backend, store, tmp_path, caplog):
    svc = service(store, {DOCUMENT: FolderDriver(DOCUMENT, tmp_path / "printed")})
    caplog.set_level(logging.DEBUG)
    # a flow bug: real-estate records handed over as a social-insurance certificate
    wrong = printable(backend, K.SS_CERTIFICATE, records=backend.re[ZHANG])
    with pytest.raises(PrintRefused) as refused:
        svc.print_document(wrong)
    assert refused.value.reason == "device_error"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and "RecordsMismatch" in errors[0].getMessage()
    assert "flow_documents.py" in caplog.text  # the code lines, for the technician
    holder = backend.re[ZHANG].holder
    for secret in (holder.name, holder.id_number_masked, ZHANG,
                   backend.re[ZHANG].registrations[0].certificate_number,
                   backend.re[ZHANG].registrations[0].location):
        assert secret not in caplog.text
    assert svc.spooler.jobs() == []
    svc.spooler.stop()


def test_discard_drops_a_queued_document_and_leaves_a_printing_one(backend, store, tmp_path):
    folder = tmp_path / "printed"
    driver = GatedFolder(DOCUMENT, folder)
    svc = service(store, {DOCUMENT: driver})
    first = svc.print_document(printable(backend, K.PROVIDENT_FUND, {"year": backend.year}))
    assert driver.started.wait(5)  # the printer is busy with the first document
    second = svc.print_document(printable(backend, K.NO_PROPERTY))
    svc.discard(second)
    svc.discard(first)  # already printing: it comes out
    assert (svc.spooler.job(second).state, svc.spooler.job(second).reason) == (
        JobState.EXPIRED, "discarded")
    driver.gate.set()
    assert svc.spooler.wait(first).state == JobState.DONE
    third = svc.print_document(printable(backend, K.REAL_ESTATE))
    assert svc.spooler.wait(third).state == JobState.DONE
    printed = sorted(folder.glob("*.pdf"))
    assert len(printed) == 2
    titles = "".join(text(f) for f in printed)
    assert "住房公积金缴存证明" in titles and "不动产登记信息查询结果" in titles
    assert "无房产登记证明" not in titles
    svc.spooler.stop()
