"""The records views (screens/flow_views.py), fed by the real flow engine over the reference
backend's demo citizens (backend/seed.py: 张伟 with everything, 李娜 without property, 王建国
suspended with a sealed provident fund), driven by touch, offscreen.

A chip or pager touch goes `chosen` -> `FlowRun.choose` -> `set_view(run.view())`, as the flow
screen wires it. Screenshots of every view in the standard and the elder theme go to
out/test-artifacts/records-*.png. Wording is checked in English (the source language); a
pseudo-translator proves `retranslate` re-sets every static text.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from test_screens import decode_qr

from backend import records as backend_records
from backend.db import open_database
from backend.models import Citizen
from backend.seed import DEMO_CITIZENS, QUEUE_TYPES, seed_database
from kiosk.catalog.model import GuideDetail, ItemSummary, Material
from kiosk.devices.status import OK
from kiosk.flows.engine import FlowRun, PreviewView, StepKind
from kiosk.flows.items import FLOWS, PageInfo
from kiosk.flows.ports import FlowPorts, Rejected
from kiosk.identity import Identity, IdMethod, Verification
from kiosk.paths import PROJECT_ROOT
import protocol as p
from protocol import LOCAL_TZ, VerifyMethod
from screens.flow_views import (
    AccessLogRecordsView,
    CertificateRecordsView,
    ContributionsRecordsView,
    GuideSlipView,
    MedicalAccountRecordsView,
    MedicalEnrolmentRecordsView,
    ProvidentFundRecordsView,
    QueueTicketView,
    RealEstateRecordsView,
    RecordsTable,
    RecordsView,
    make_records_view,
    masked,
)
from screens.main import configure_application
from screens.qt import QAbstractButton, QLabel, QPoint, QStackedWidget, Qt, QTranslator
from screens.theme import stylesheet, theme_for
from screens.widgets.qr import QrView

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 23)
ZHANG, LI, WANG, CHEN = DEMO_CITIZENS
PORTRAIT = (1000, 1200)
LANDSCAPE = (1800, 700)


# ============================================================================ the backend


class SeededRecords:
    """A RecordsPort straight over the seeded reference database (no HTTP: the views are
    under test, not the transport)."""

    def __init__(self, db):
        self.db = db

    def _get(self, fetch, id_number: str):
        with self.db.read() as s:
            citizen = s.scalar(select(Citizen).where(Citizen.id_number == id_number))
            if citizen is None:
                raise Rejected(p.ErrorCode.CITIZEN_NOT_FOUND)
            try:
                return fetch(s, citizen)
            except backend_records.NoAccount:
                raise Rejected(p.ErrorCode.NO_ACCOUNT) from None

    def fetch(self, call, id_number, *, verification=None, session_id=""):
        assert verification is not None and len(session_id) == 32  # the run's proof
        return getattr(self, call)(id_number)

    def social_insurance(self, id_number):
        return self._get(backend_records.social_insurance, id_number)

    def medical_account(self, id_number):
        return self._get(backend_records.medical_account, id_number)

    def provident_fund(self, id_number):
        return self._get(backend_records.provident_fund, id_number)

    def real_estate(self, id_number):
        return self._get(backend_records.real_estate, id_number)


class Events:
    def __init__(self):
        self.events = []

    def add(self, kind, payload, occurred_at=None):
        self.events.append((kind, payload))
        return str(len(self.events))


class Printers:
    """Both printer ports; nothing is printed here (the views come before the print step)."""

    def document_status(self):
        return OK

    def discard(self, job_id):
        pass

    def forget_personal(self):
        pass

    def receipt_status(self):
        return OK


@pytest.fixture(scope="module")
def ports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("records-backend")
    db = open_database(f"sqlite:///{folder / 'backend.sqlite3'}")
    seed_database(db, citizens=4, catalog=None, as_of=TODAY)
    yield FlowPorts(events=Events(), terminal_id="T-VIEWS-1", records=SeededRecords(db),
                    documents=Printers(), receipts=Printers())
    db.close()


def fetched(ports, flow_id: str, citizen) -> FlowRun:
    """A run identified, consented and fetched: at its show step, or its preview."""
    run = FlowRun(FLOWS[flow_id], ports)
    run.start()
    run.identify(Identity(citizen.id_number, IdMethod.ID_CARD, name=citizen.name, today=TODAY,
                          verification=Verification(VerifyMethod.CARD_FACE,
                                                    datetime.now(timezone.utc))))
    assert run.step.kind is StepKind.CONSENT
    run.next()
    run.run_pending()
    assert run.step.kind in (StepKind.SHOW, StepKind.PREVIEW), run
    return run


def beijing(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def ticket(window: str = "7-10 号窗口", ahead: int = 4) -> p.QueueTicket:
    code, name, prefix, _window = QUEUE_TYPES[1]
    return p.QueueTicket(ticket_id="Qx7vN2aLr0bT", number=f"{prefix}017", business_type=code,
                         business_name=name, window=window, people_ahead=ahead,
                         issued_at=datetime(2026, 11, 23, 1, 30, tzinfo=timezone.utc),
                         follow_url="http://127.0.0.1:8765/v1/queue/tickets/Qx7vN2aLr0bT")


def guide() -> GuideDetail:
    url = "https://zwfw.example.gov.cn/guide/RS-000001"
    item = ItemSummary("RS-000001", "社会保险参保证明打印", "rs", "常州市人力资源和社会保障局",
                       "rs.ss", "市级", url, True, True)
    return GuideDetail(
        item=item, service_object="自然人", handling_type="即办件",
        materials=(Material("居民身份证", 1, 0, "现场核验"),
                   Material("社会保障卡", 1, 0, ""),
                   Material("委托书（他人代办时提供）", 1, 1, "代办人身份证原件一并提供")),
        steps=("申请", "受理", "办结"), legal_limit_days=0, promised_limit_days=0, fee="不收费",
        place="常州市政务服务中心一楼 24 小时自助服务区", window="3 号窗口",
        hours="周一至周五 9:00-17:00（自助终端全天）", phone="0519-85588000",
        basis="《中华人民共和国社会保险法》", online_url=url)


# ============================================================================ Qt helpers


@pytest.fixture
def app(qapp):
    from screens.i18n import Translations

    configure_application(qapp)
    translations = Translations.of(qapp)
    language, sheet = translations.language, qapp.styleSheet()
    translations.set_language("en")
    qapp.setStyleSheet(stylesheet(theme_for(False)))
    yield qapp
    translations.set_language(language)
    qapp.setStyleSheet(sheet)


@pytest.fixture
def host(qtbot, app):
    """Shows a records view as the window does: on the theme's background, at a given size."""
    made = []

    def show(widget: RecordsView, size=PORTRAIT) -> QStackedWidget:
        stack = QStackedWidget()
        stack.addWidget(widget)
        qtbot.addWidget(stack)
        stack.resize(*size)
        stack.show()
        qtbot.waitExposed(stack)
        made.append(stack)
        return stack

    return show


def tap(qtbot, widget):
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def wire(widget: RecordsView, run: FlowRun) -> list[dict]:
    """What the flow screen does with a choice; returns the list of choices made."""
    got = []

    def on_chosen(values: dict) -> None:
        got.append(values)
        run.choose(**values)
        widget.set_view(run.view())

    widget.chosen.connect(on_chosen)
    return got


def texts(widget) -> str:
    return "\n".join(w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget))


def settle(app) -> None:
    from screens.qt import QCoreApplication, QEvent

    app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def assert_laid_out(widget: RecordsView) -> None:
    """Nothing clipped: every visible label gets the height (wrapped) or the width (one line)
    its text needs; every visible button is a touch target (>= 64 px) wide enough for its
    text; no two visible buttons overlap."""
    for w in widget.findChildren(QLabel):
        if not w.isVisibleTo(widget) or not w.text():
            continue
        if w.wordWrap():
            assert w.height() >= w.heightForWidth(w.width()) - 1, (w.objectName(), w.text())
        else:
            assert w.width() >= w.sizeHint().width() - 1, (w.objectName(), w.text())
    for t in widget.findChildren(RecordsTable):
        if t.isVisibleTo(widget) and t.text():
            scale = dict(RecordsTable.STEPS)[t.size_step()]
            shown = list(t.shown_columns())
            assert t.needed_width(scale, shown) <= t.contentsRect().width(), (t.size_step(),
                                                                               t.width())
    buttons = [b for b in widget.findChildren(QAbstractButton) if b.isVisibleTo(widget)]
    for b in buttons:
        assert b.height() >= 64 and b.width() >= b.sizeHint().width() - 1, b.text()
    # what shows of each (a chip scrolled under the pager is clipped by its viewport)
    boxes = [(b, b.visibleRegion().boundingRect().translated(b.mapTo(widget, QPoint(0, 0))))
             for b in buttons if not b.visibleRegion().isEmpty()]
    for i, (a, ra) in enumerate(boxes):
        for b, rb in boxes[i + 1:]:
            assert not ra.intersects(rb), (a.text(), b.text())


def assert_cleared(widget: RecordsView, secrets: list[str]) -> None:
    settle_labels = [w for w in widget.findChildren(QLabel)]
    for w in settle_labels:
        for s in secrets:
            assert s not in w.text() and s not in w.accessibleName(), (w.objectName(), s)
    assert all(not w.text() for w in settle_labels)
    for qr in widget.findChildren(QrView):
        assert qr.data() == "" and qr.accessibleName() == ""
    for b in widget.findChildren(QAbstractButton):
        for s in secrets:
            assert s not in b.text() and s not in b.accessibleName()
    assert widget.view is None


def screenshots(app, stack: QStackedWidget, name: str, artifacts, sizes=(PORTRAIT,)) -> list:
    """Standard and elder theme, each size; the view is re-laid out by the stylesheet."""
    paths = []
    for elder in (False, True):
        app.setStyleSheet(stylesheet(theme_for(elder)))
        for size in sizes:
            stack.resize(*size)
            settle(app)
            assert_laid_out(stack.currentWidget())
            suffix = "-elder" if elder else ""
            suffix += "-landscape" if size == LANDSCAPE else ""
            path = artifacts / f"records-{name}{suffix}.png"
            stack.grab().save(str(path))
            paths.append(path)
    app.setStyleSheet(stylesheet(theme_for(False)))
    settle(app)
    return paths


@pytest.fixture(scope="module")
def pseudo_qm(tmp_path_factory) -> Path:
    """A compiled translation that brackets every RecordsView string ("[Year]"), made from the
    code by lupdate and lrelease: it shows which texts went through translate(). (Not a Python
    QTranslator subclass: PySide6 6.12.0 on Python 3.11 drops a reference to None on each of
    its calls, which crashes the interpreter sooner or later.)"""
    folder = tmp_path_factory.mktemp("pseudo")
    ts, qm = folder / "pseudo.ts", folder / "pseudo.qm"
    bin_dir = PROJECT_ROOT / ".venv" / "bin"
    subprocess.run([str(bin_dir / "pyside6-lupdate"), str(PROJECT_ROOT / "screens" / "flow_views.py"),
                    "-ts", str(ts)], check=True, capture_output=True)
    tree = ET.parse(ts)
    tree.getroot().set("language", "zh_CN")  # one plural form
    for ctx in tree.getroot().iter("context"):
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            tr.attrib.pop("type", None)
            text = "[" + msg.findtext("source") + "]"
            if msg.get("numerus") == "yes":
                for form in list(tr):
                    tr.remove(form)
                ET.SubElement(tr, "numerusform").text = text
            else:
                tr.text = text
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(bin_dir / "pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                   check=True, capture_output=True)
    return qm


@pytest.fixture
def pseudo(app, pseudo_qm):
    """Installs the bracketing translation for the test; `pseudo.remove()` takes it out."""
    tr = QTranslator()
    assert tr.load(str(pseudo_qm))
    app.installTranslator(tr)
    tr.remove = lambda: app.removeTranslator(tr)
    yield tr
    app.removeTranslator(tr)


# ============================================================================ the factory


def test_each_view_type_gets_its_widget(qtbot, app, ports):
    runs = {fid: fetched(ports, fid, ZHANG) for fid in (
        "ss.certificate", "ss.contributions", "yb.account", "yb.enrolment", "gjj.deposits",
        "bdc.registrations")}
    expected = {"ss.certificate": CertificateRecordsView,
                "ss.contributions": ContributionsRecordsView,
                "yb.account": MedicalAccountRecordsView,
                "yb.enrolment": MedicalEnrolmentRecordsView,
                "gjj.deposits": ProvidentFundRecordsView,
                "bdc.registrations": RealEstateRecordsView}
    for fid, run in runs.items():
        w = make_records_view(run.view())
        qtbot.addWidget(w)
        assert type(w) is expected[fid] and w.view is not None, fid
        run.cancel()
    # a preview step's view is unwrapped to its content
    preview = PreviewView(("x",), "x", None, False, ticket())
    for view, cls in ((ticket(), QueueTicketView), (guide(), GuideSlipView),
                      (preview, QueueTicketView)):
        w = make_records_view(view)
        qtbot.addWidget(w)
        assert type(w) is cls and isinstance(w.view, (p.QueueTicket, GuideDetail))
    with pytest.raises(TypeError):
        make_records_view(object())
    slip = make_records_view(guide())
    qtbot.addWidget(slip)
    with pytest.raises(TypeError):
        slip.set_view(ticket())  # a guide widget cannot show a ticket


# ============================================================================ social insurance


def test_certificate_shows_the_enrolments(qtbot, app, host, ports, artifacts):
    run = fetched(ports, "ss.certificate", ZHANG)
    assert run.step.kind is StepKind.PREVIEW
    w = make_records_view(run.view())
    stack = host(w)
    v = w.view
    shown = texts(w)
    assert ZHANG.name in w.holder.text() and v.holder.id_number_masked in w.holder.text()
    assert ZHANG.id_number not in shown and "常州市" in shown
    for e in v.enrolments:
        assert p.INSURANCE_TYPE_NAMES[e.type] in w.table.text()
        assert f"{e.months_paid} month" in w.table.text()
    assert w.table.text().count("参保缴费") == len(v.enrolments) == 5
    screenshots(app, stack, "certificate", artifacts)
    w.clear()
    assert_cleared(w, [ZHANG.name, v.holder.id_number_masked, "常州市"])
    run.cancel()
    # 王建国 left his employer: suspended everywhere
    run = fetched(ports, "ss.certificate", WANG)
    w.set_view(run.view())
    assert "暂停缴费" in w.table.text() and WANG.name in w.holder.text()
    run.cancel()


def test_contributions_chips_paging_and_totals(qtbot, app, host, ports, artifacts):
    run = fetched(ports, "ss.contributions", ZHANG)
    w = make_records_view(run.view())
    stack = host(w)
    got = wire(w, run)
    v = w.view
    assert list(w.year_chips.buttons()) == list(v.years) and len(v.years) >= 5
    assert list(w.type_chips.buttons()) == list(v.types)
    assert w.year_chips.heading.text() == "Year" and w.type_chips.heading.text() == "Insurance type"
    assert w.type_chips.buttons()["all"].text() == "All types"
    assert w.type_chips.buttons()["pension"].text() == "养老保险"
    assert w.year_chips.buttons()[v.year].property("active") == "true"
    assert v.page.pages > 1 and w.pager.label.text() == f"Page 1 of {v.page.pages}"
    assert not w.pager.prev_button.isEnabled() and w.pager.next_button.isEnabled()
    assert w.table.text().count("<tr>") == len(v.rows) + 1 == 13
    assert w.totals.text() == (f"Personal contributions in this selection: "
                               f"{v.personal_total:,.2f}\u00a0yuan")
    screenshots(app, stack, "contributions", artifacts, (PORTRAIT, LANDSCAPE))

    tap(qtbot, w.pager.next_button)
    assert got == [{"page": 2}] and w.view.page.number == 2
    assert w.pager.label.text() == f"Page 2 of {v.page.pages}" and w.pager.prev_button.isEnabled()
    assert w.view.rows[0].month in w.table.text()
    for _ in range(v.page.pages - 2):
        tap(qtbot, w.pager.next_button)
    assert w.view.page.number == v.page.pages and not w.pager.next_button.isEnabled()
    tap(qtbot, w.pager.prev_button)
    assert got[-1] == {"page": v.page.pages - 1}

    tap(qtbot, w.type_chips.buttons()["pension"])
    assert got[-1] == {"insurance_type": "pension"} and w.view.insurance_type == "pension"
    assert w.view.page.number == 1 and w.type_chips.buttons()["pension"].property("active") == "true"
    assert w.type_chips.buttons()["all"].property("active") == "false"
    assert "医疗保险" not in w.table.text() and "养老保险" in w.table.text()
    older = v.years[-2]
    tap(qtbot, w.year_chips.buttons()[older])
    assert got[-1] == {"year": older} and w.view.year == older
    assert all(c.month.startswith(str(older)) for c in w.view.rows)
    assert f"{w.view.personal_total:,.2f}\u00a0yuan" in w.totals.text()
    settle(app)
    assert_laid_out(w)
    w.clear()
    assert_cleared(w, [ZHANG.name, v.holder.id_number_masked, f"{v.personal_total:,.2f}",
                       f"{v.rows[0].personal:,.2f}"])
    assert not w.year_chips.buttons() and not w.pager.isVisible()
    run.cancel()


def test_contributions_empty_selection_says_so(qtbot, app, host, ports):
    run = fetched(ports, "ss.contributions", CHEN)
    v = run.view()
    run.cancel()
    w = make_records_view(v)
    host(w)
    assert w.table.isVisible() and not w.empty.isVisible()
    w.set_view(dataclasses.replace(v, rows=(), page=PageInfo(1, 1, 0),
                                   personal_total=Decimal("0.00"), empty=True))
    assert w.empty.isVisible() and not w.table.isVisible() and not w.pager.isVisible()
    assert w.empty.text() == "No contributions for this year and insurance type."
    assert not w.totals.isVisible() and w.year_chips.isVisible()
    w.set_view(dataclasses.replace(v, years=(), year=None, types=("all",), rows=(),
                                   page=PageInfo(1, 1, 0), personal_total=Decimal("0.00"),
                                   empty=True))
    assert w.empty.text() == "No contributions on record." and not w.year_chips.isVisible()


def test_medical_enrolment(qtbot, app, host, ports, artifacts):
    run = fetched(ports, "yb.enrolment", ZHANG)
    w = make_records_view(run.view())
    stack = host(w)
    e, masked_id = w.view.enrolment, w.view.holder.id_number_masked
    assert "医疗保险" in w.fields.text() and "参保缴费" in w.fields.text()
    assert e.start_month in w.fields.text() and f"{e.months_paid} month" in w.fields.text()
    assert "常州市" in w.fields.text()
    screenshots(app, stack, "medical-enrolment", artifacts)
    w.clear()
    assert_cleared(w, [ZHANG.name, masked_id, e.start_month])
    run.cancel()


# ============================================================================ medical account


def test_medical_account_balance_months_and_paging(qtbot, app, host, ports, artifacts):
    run = fetched(ports, "yb.account", LI)
    w = make_records_view(run.view())
    stack = host(w)
    got = wire(w, run)
    v = w.view
    assert w.balance.text() == f"{v.balance:,.2f}\u00a0yuan"
    number = v.account_number
    assert masked(number) in w.fields.text() and number not in texts(w)
    assert masked(number).startswith(number[:4]) and masked(number).endswith(number[-4:])
    assert "*" * (len(number) - 8) in masked(number)
    assert w.month_chips.buttons()["all"].text() == "All months"
    assert list(w.month_chips.buttons()) == list(v.months) and v.page.pages > 1
    first = v.rows[0]
    assert first.place in w.table.text()
    assert beijing(first.occurred_at) in w.table.text()  # shown in Beijing time
    assert ("Credit" in w.table.text()) and ("Spending" in w.table.text())
    assert w.totals.text() == (f"Credited: {v.credits:,.2f}\u00a0yuan    "
                               f"Spent: {v.spending:,.2f}\u00a0yuan")
    screenshots(app, stack, "medical-account", artifacts, (PORTRAIT, LANDSCAPE))

    tap(qtbot, w.pager.next_button)
    assert got == [{"page": 2}] and w.view.page.number == 2
    month = v.months[1]
    tap(qtbot, w.month_chips.buttons()[month])
    assert got[-1] == {"month": month} and w.view.month == month and w.view.page.number == 1
    assert w.month_chips.buttons()[month].property("active") == "true"
    assert w.view.rows and all(beijing(t.occurred_at)[:7] == month for t in w.view.rows)
    assert f"{w.view.credits:,.2f}\u00a0yuan" in w.totals.text()
    tap(qtbot, w.month_chips.buttons()["all"])
    assert w.view.month == "all"
    w.clear()
    assert_cleared(w, [LI.name, masked(number), f"{v.balance:,.2f}", first.place])
    run.cancel()


def test_medical_account_empty_month(qtbot, app, host, ports):
    run = fetched(ports, "yb.account", WANG)
    v = run.view()
    run.cancel()
    w = make_records_view(dataclasses.replace(v, month=v.months[1], rows=(),
                                              page=PageInfo(1, 1, 0), empty=True))
    host(w)
    assert w.empty.isVisible() and w.empty.text() == "No transactions in this month."
    assert not w.table.isVisible() and not w.pager.isVisible() and not w.totals.isVisible()
    assert w.balance.text() == "0.00\u00a0yuan"


# ============================================================================ provident fund


def test_provident_fund_account_and_years(qtbot, app, host, ports, artifacts):
    run = fetched(ports, "gjj.deposits", ZHANG)
    w = make_records_view(run.view())
    stack = host(w)
    got = wire(w, run)
    v = w.view
    a = v.account
    assert w.balance.text() == f"{a.balance:,.2f}\u00a0yuan"
    assert masked(a.account_number) in w.fields.text() and a.account_number not in texts(w)
    assert "Normal" in w.fields.text() and a.employer in w.account.text()
    assert f"Personal {a.personal_rate_percent}% · Employer {a.employer_rate_percent}%" \
        in w.account.text()
    assert f"{a.base:,.2f}\u00a0yuan" in w.account.text() and a.opened_month in w.account.text()
    assert w.table.text().count("<tr>") == len(v.rows) + 1
    assert f"{v.rows[0].balance_after:,.2f}" in w.table.text()
    # a year has at most twelve deposits: one page, no pager
    assert v.page.pages == 1 and not w.pager.isVisible()
    screenshots(app, stack, "provident-fund", artifacts)
    tap(qtbot, w.year_chips.buttons()[v.years[1]])
    assert got == [{"year": v.years[1]}] and w.view.year == v.years[1]
    assert all(d.month.startswith(str(v.years[1])) for d in w.view.rows)
    w.clear()
    assert_cleared(w, [ZHANG.name, masked(a.account_number), f"{a.balance:,.2f}", a.employer])
    run.cancel()
    run = fetched(ports, "gjj.deposits", WANG)
    w.set_view(run.view())
    assert "Sealed" in w.fields.text() and WANG.name in w.holder.text()
    run.cancel()


# ============================================================================ real estate


def test_real_estate_cards_and_flags(qtbot, app, host, ports, artifacts):
    run = fetched(ports, "bdc.registrations", ZHANG)
    w = make_records_view(run.view())
    stack = host(w)
    regs = w.view.registrations
    assert len(regs) == 2 and len(w.cards) == 2
    assert w.summary.text() == "2 property(ies) registered in your name"
    assert not w.none_hint.isVisible()
    for card, r in zip(w.cards, regs):
        text = "\n".join(lab.text() for lab in card.findChildren(QLabel))
        assert masked(r.certificate_number) in text and r.certificate_number not in text
        assert r.location in text and r.usage in text and f"{r.area_m2:,.2f} m²" in text
        assert r.registered_on.isoformat() in text and r.share in text
        assert ("Mortgaged" in text) == r.mortgaged and ("None" in text) == (
            not r.mortgaged and not r.sealed)
    screenshots(app, stack, "real-estate", artifacts, (PORTRAIT, LANDSCAPE))
    w.clear()
    assert_cleared(w, [ZHANG.name, regs[0].location, regs[1].location,
                       masked(regs[0].certificate_number)])
    settle(app)
    assert w.cards == [] and not w.findChildren(type(w.scroll.widget()), "registration_0")
    run.cancel()


def test_real_estate_nothing_registered(qtbot, app, host, ports, artifacts):
    run = fetched(ports, "bdc.registrations", LI)
    w = make_records_view(run.view())
    stack = host(w)
    assert not w.view.has_property and w.cards == []
    assert w.summary.text() == "No real estate is registered in your name."
    assert w.none_hint.isVisible() and "certificate of no registered property" in w.none_hint.text()
    screenshots(app, stack, "real-estate-none", artifacts)
    run.cancel()


# ============================================================================ queue and guide


def test_queue_ticket_number_and_qr(qtbot, app, host, artifacts):
    t = ticket()
    w = make_records_view(t)
    stack = host(w)
    assert t.number in w.number.text() and w.number.accessibleName() == t.number
    assert w.business.text() == "医疗保障" and "7-10 号窗口" in w.window_label.text()
    assert w.ahead.text() == "4 person(s) ahead of you"
    assert w.qr_caption.text() == "Scan to follow the queue"
    # huge: the number is drawn well above the hero size of the theme
    assert w.number.height() > 2 * w.business.height()
    for path in screenshots(app, stack, "queue-ticket", artifacts, (PORTRAIT, LANDSCAPE)):
        assert decode_qr(path) == [t.follow_url], path
    w.set_view(ticket(window="综合受理区 20-28 号窗口", ahead=0))
    assert w.ahead.text() == "0 person(s) ahead of you"
    w.clear()
    assert_cleared(w, [t.number, t.follow_url])


def access_log(n: int = 11):
    """An access log as the backend answers one, run through the item's handler."""
    from kiosk.flows.items import AccessLog, AccessLogView  # noqa: F401

    methods = (p.VerifyMethod.CARD_FACE, p.VerifyMethod.E_CREDENTIAL, p.VerifyMethod.ATTENDED)
    calls = ("access_log", "social_insurance", "document:ss_certificate", "real_estate")
    entries = [p.AccessEntry(at=f"2026-11-{23 - i // 3:02d}T0{i % 9}:1{i % 6}:00Z",
                             terminal_id=f"T-0{i % 3 + 1}", place="经开区政务服务中心"
                             if i % 2 == 0 else "", call=calls[i % 4], method=methods[i % 3],
                             staff_id="S-0042" if i % 3 == 2 else None) for i in range(n)]
    run = FlowRun(FLOWS["records.access_log"], FlowPorts(events=None, terminal_id="T"))
    run.ctx.records = p.AccessLog(entries=entries)
    run.ctx.params["page"] = 1
    return run


def test_access_log_says_when_where_what_and_how(qtbot, app, host, artifacts):
    run = access_log()
    view = run.flow.handler.view(run.step, run.ctx)
    w = make_records_view(view)
    stack = host(w)
    assert type(w) is AccessLogRecordsView and view.page.pages == 2 and len(view.rows) == 8
    assert w.title.text() == "Who looked at my records"
    html = w.table.text()
    assert "ID card and face check" in html and "E-credential QR code" in html
    assert "With staff (S-0042)" in html and "经开区政务服务中心 (T-01)" in html
    assert "Issued: 社会保险参保证明" in html and "This list of lookups" in html
    assert "2026-11-23 08:10" in html  # Beijing time
    assert w.pager.isVisibleTo(w) and w.pager.label.text() == "Page 1 of 2"
    screenshots(app, stack, "access-log", artifacts, (PORTRAIT, LANDSCAPE))
    w.set_view(type(view)((), view.page, True))
    assert w.empty.text() == "No one has looked up your records recently."
    w.clear()
    assert_cleared(w, ["S-0042", "T-01"])


def test_guide_slip_preview_and_qr(qtbot, app, host, artifacts):
    g = guide()
    w = make_records_view(g)
    stack = host(w)
    assert w.title.text() == g.item.name and w.department.text() == g.item.department_name
    for m in g.materials:
        assert m.name in w.materials.text()
    assert "copy ×1" in w.materials.text() and "original ×1" in w.materials.text()
    for part in (g.place, g.window, g.hours, g.phone):
        assert part in w.where.text()
    for path in screenshots(app, stack, "guide-slip", artifacts, (PORTRAIT, LANDSCAPE)):
        assert decode_qr(path) == [g.online_url], path
    w.clear()
    assert_cleared(w, [g.item.name, g.place])


# ============================================================================ language


def test_retranslate_resets_every_static_text(qtbot, app, host, ports, pseudo):
    pseudo.remove()
    run = fetched(ports, "ss.contributions", ZHANG)
    w = make_records_view(run.view())
    host(w)
    assert w.title.text() == "Social insurance contributions"
    app.installTranslator(pseudo)
    w.retranslate()
    assert w.title.text() == "[Social insurance contributions]"
    assert w.pager.next_button.text() == "[Next page ›]"
    assert w.pager.label.text().startswith("[Page 1 of")
    assert w.type_chips.buttons()["all"].text() == "[All types]"
    assert w.year_chips.heading.text() == "[Year]"
    assert w.totals.text().startswith("[Personal contributions in this selection:")
    assert ZHANG.name in w.holder.text() and "[Name]" in w.holder.text()
    assert "[Base<br>(yuan)]" in w.table.text() and "养老保险" in w.table.text()
    pseudo.remove()
    w.retranslate()
    assert w.title.text() == "Social insurance contributions"
    assert w.type_chips.buttons()["all"].text() == "All types"
    w.clear()
    w.retranslate()  # nothing to show: stays empty
    assert not w.holder.text() and not w.table.text()
    run.cancel()


@pytest.mark.parametrize("make", [
    lambda ports: fetched(ports, "ss.certificate", ZHANG),
    lambda ports: fetched(ports, "ss.contributions", ZHANG),
    lambda ports: fetched(ports, "yb.account", ZHANG),
    lambda ports: fetched(ports, "yb.enrolment", ZHANG),
    lambda ports: fetched(ports, "gjj.deposits", ZHANG),
    lambda ports: fetched(ports, "bdc.registrations", ZHANG),
    lambda ports: fetched(ports, "bdc.registrations", LI),
    lambda ports: ticket(),
    lambda ports: guide(),
    lambda ports: access_log().flow.handler.view(None, access_log().ctx),
], ids=["certificate", "contributions", "medical-account", "medical-enrolment", "provident-fund",
        "real-estate", "no-property", "ticket", "guide", "access-log"])
def test_every_static_text_is_translated(qtbot, app, host, ports, pseudo, make):
    """Under the bracketing translation no visible label or button shows English of its own:
    what is left unbracketed is data (numbers, dates, masked numbers, Chinese names)."""
    made = make(ports)
    view = made.view() if isinstance(made, FlowRun) else made
    w = make_records_view(view)
    host(w)
    words = re.compile(r"[A-Za-z]?[a-z]{2,}")  # English words; data is digits and capitals
    for lab in w.findChildren(QLabel):
        if not lab.isVisibleTo(w):
            continue
        text = re.sub(r"<[^>]+>|&\w+;", " ", lab.text())
        while re.search(r"\[[^\[\]]*\]", text):  # translated (innermost first)
            text = re.sub(r"\[[^\[\]]*\]", " ", text)
        assert not words.findall(text), (lab.objectName(), text)
    for b in w.findChildren(QAbstractButton):
        if b.isVisibleTo(w) and words.search(b.text()):
            assert b.text().startswith("["), b.text()
    if isinstance(made, FlowRun):
        made.cancel()


def test_elder_mode_drops_the_optional_column_rather_than_squeeze_words(qtbot, app, host, ports,
                                                                       artifacts):
    """In Chinese, elder mode, portrait the five columns do not fit even at the smallest type:
    the contribution base (optional) is left out; month, insurance, personal, employer stay."""
    from screens.i18n import Translations

    run = fetched(ports, "ss.contributions", ZHANG)
    Translations.of(app).set_language("zh_CN")
    w = make_records_view(run.view())
    stack = host(w, (1000, 1100))
    app.setStyleSheet(stylesheet(theme_for(True)))
    settle(app)
    w.set_view(run.view())
    settle(app)
    assert w.table.shown_columns() == (0, 1, 3, 4)
    assert "缴费基数" not in w.table.text() and "养老保险" in w.table.text()
    stack.grab().save(str(artifacts / "records-contributions-elder-zh.png"))
    app.setStyleSheet(stylesheet(theme_for(False)))
    settle(app)
    assert w.table.shown_columns() == (0, 1, 2, 3, 4)


_QR_PROBE = """
import json, sys
from screens.widgets.qr import qr_matrix
matrix = qr_matrix(sys.argv[1])
pil = sorted(k for k in sys.modules if k.split(".")[0] == "PIL")
from qrcode.image.styles.moduledrawers.pil import SquareModuleDrawer  # still importable later
print(json.dumps([matrix, pil]))
"""


def test_qr_matrix_without_pillow_in_the_kiosk():
    """The kiosk draws a QR code from qrcode's matrix alone: Pillow (~4 MiB) is not loaded for
    it (it stays in the render helper), and the matrix is the one qrcode makes with Pillow."""
    import json
    import sys

    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    data = "https://hall.example/queue/A017?t=1"
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", _QR_PROBE, data], cwd=root, capture_output=True,
                         text=True, timeout=60, check=True)
    matrix, pil_loaded = json.loads(out.stdout)
    assert pil_loaded == []
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    qr.add_data(data)
    qr.make(fit=True)
    assert matrix == qr.get_matrix()
