"""The high-frequency items, declared as data (`Flow`) plus a small handler each.

============================  ==================  =============================================
flow id                       item                steps
============================  ==================  =============================================
ss.certificate                社保参保证明打印    identify consent query preview print(A4) ...
ss.contributions              社保缴费明细        ... query show(year, type, page) preview? print(A4)
yb.account                    医保个人账户        ... query show(month, page) preview? print(A4)
yb.enrolment                  医保参保凭证打印    ... query preview print(A4)
gjj.deposits                  公积金缴存查询      ... query show(year, page) preview? print(A4)
bdc.registrations             不动产登记信息查询  ... query show preview? print(A4: 查询结果 or 无房证明)
bdc.no_property               无房证明            ... query preview print(A4 无房证明)
queue.ticket                  现场取号            choose(business_type) query print(receipt)
guide.slip                    办事指南            query(guide) preview print(receipt)
records.access_log            近期查询记录        identify consent query(access log) show(page)
============================  ==================  =============================================

Every flow ends with rate, done. ``preview?`` is an optional print (`skip()` passes it). Every
item that shows or prints anything personal is ``verified`` (docs/decisions/0018): a number
alone does not identify anyone for it.
Views (what a show or preview screen renders) are plain dataclasses holding protocol models;
`build_flows()` takes the queue's business types from the terminal's config.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import protocol as p
from kiosk.flows.engine import (
    Assurance,
    Choose,
    Consent,
    DocumentOrder,
    Done,
    Flow,
    FlowContext,
    Handler,
    Identify,
    InputRejected,
    Option,
    Paper,
    Preview,
    Print,
    Query,
    Rate,
    Show,
    Step,
    StepFailed,
)
from kiosk.flows.ports import FlowPorts, Rejected
from kiosk.language import QT_TRANSLATE_NOOP
from protocol import LOCAL_TZ

ALL = "all"

# 医保参保凭证 has no DocumentKind in protocol v1: it is issued as an ss_certificate (whose
# verifiable statement lists the medical enrolment among the others) and printed with its own
# title showing the medical enrolment only. See docs/decisions/0010-flows.md.
MEDICAL_ENROLMENT_KIND = p.DocumentKind.SS_CERTIFICATE.value
MEDICAL_ENROLMENT_TITLE = "医疗保险参保凭证"

DEFAULT_BUSINESS_TYPES: tuple[tuple[str, str], ...] = (
    ("ss", "社保业务"), ("yb", "医保业务"), ("gjj", "公积金业务"), ("bdc", "不动产业务"),
    ("general", "综合业务"),
)


# ============================================================================ views


@dataclass(frozen=True)
class PageInfo:
    number: int  # 1-based
    pages: int  # at least 1
    total_rows: int


def _page(rows: Sequence[Any], number: int, size: int) -> tuple[tuple[Any, ...], PageInfo]:
    pages = max(1, -(-len(rows) // size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    return tuple(rows[start:start + size]), PageInfo(number, pages, len(rows))


@dataclass(frozen=True)
class CertificateView:
    holder: p.Holder
    region: str
    enrolments: tuple[p.InsuranceEnrolment, ...]
    as_of: Any


@dataclass(frozen=True)
class ContributionsView:
    holder: p.Holder
    region: str
    years: tuple[int, ...]  # newest first
    year: int | None
    types: tuple[str, ...]  # "all" first, then the InsuranceType values present
    insurance_type: str
    rows: tuple[p.Contribution, ...]  # this page
    page: PageInfo
    personal_total: Decimal  # for the whole selection, not just the page
    empty: bool


@dataclass(frozen=True)
class MedicalAccountView:
    holder: p.Holder
    account_number: str
    balance: Decimal
    months: tuple[str, ...]  # "all" first, then YYYY-MM newest first
    month: str
    rows: tuple[p.MedicalTransaction, ...]
    page: PageInfo
    credits: Decimal  # in the selection
    spending: Decimal
    empty: bool


@dataclass(frozen=True)
class MedicalEnrolmentView:
    holder: p.Holder
    region: str
    enrolment: p.InsuranceEnrolment


@dataclass(frozen=True)
class ProvidentFundView:
    holder: p.Holder
    account: p.ProvidentFundAccount
    years: tuple[int, ...]
    year: int | None
    rows: tuple[p.ProvidentFundDeposit, ...]
    page: PageInfo
    empty: bool


@dataclass(frozen=True)
class AccessLogView:
    """近期查询记录: this page of who looked up the citizen's records (newest first)."""

    rows: tuple[p.AccessEntry, ...]
    page: PageInfo
    empty: bool


@dataclass(frozen=True)
class RealEstateView:
    holder: p.Holder
    registrations: tuple[p.RealEstateRegistration, ...]
    has_property: bool  # False: the 无房证明 can be printed


# ============================================================================ handlers


def _check_keys(values: Mapping[str, Any], allowed: set[str]) -> None:
    if not values or not set(values) <= allowed:
        raise InputRejected("choice.invalid")


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InputRejected("choice.invalid") from None


class SsCertificate(Handler):
    def view(self, step: Step, ctx: FlowContext) -> Any:
        r: p.SocialInsuranceRecords | None = ctx.records
        if r is None:
            return None
        return CertificateView(r.holder, r.region, tuple(r.enrolments), r.as_of)

    def document(self, step: Print, ctx: FlowContext) -> DocumentOrder | None:
        r = ctx.records
        if r is None or not r.enrolments:
            return None
        return DocumentOrder(p.DocumentKind.SS_CERTIFICATE.value)


class SsContributions(Handler):
    PAGE_SIZE = 12

    @staticmethod
    def _years(r: p.SocialInsuranceRecords) -> tuple[int, ...]:
        return tuple(sorted({int(c.month[:4]) for c in r.contributions}, reverse=True))

    @staticmethod
    def _types(r: p.SocialInsuranceRecords) -> tuple[str, ...]:
        present = {c.type for c in r.contributions}
        return (ALL,) + tuple(t.value for t in p.InsuranceType if t in present)

    def _selected(self, r: p.SocialInsuranceRecords, params: Mapping[str, Any]) -> list:
        year, kind = params.get("year"), params.get("insurance_type", ALL)
        return [c for c in r.contributions
                if year is not None and int(c.month[:4]) == year
                and (kind == ALL or c.type.value == kind)]

    def defaults(self, step: Show, ctx: FlowContext) -> dict[str, Any]:
        years = self._years(ctx.records)
        return {"year": years[0] if years else None, "insurance_type": ALL, "page": 1}

    def apply(self, step: Step, ctx: FlowContext, values: Mapping[str, Any]) -> dict[str, Any]:
        _check_keys(values, {"year", "insurance_type", "page"})
        r = ctx.records
        new = {**ctx.params, **values}
        if "year" in values:
            new["year"] = _int(values["year"])
            if new["year"] not in self._years(r):
                raise InputRejected("choice.invalid")
        if new.get("insurance_type", ALL) not in self._types(r):
            raise InputRejected("choice.invalid")
        if "page" not in values and ({"year", "insurance_type"} & set(values)):
            new["page"] = 1
        pages = _page(self._selected(r, new), 1, self.PAGE_SIZE)[1].pages
        new["page"] = _int(new.get("page", 1))
        if not 1 <= new["page"] <= pages:
            raise InputRejected("choice.invalid")
        return {"year": new.get("year"), "insurance_type": new.get("insurance_type", ALL),
                "page": new["page"]}

    def view(self, step: Step, ctx: FlowContext) -> Any:
        r: p.SocialInsuranceRecords | None = ctx.records
        if r is None:
            return None
        selected = self._selected(r, ctx.params)
        rows, info = _page(selected, ctx.params.get("page", 1), self.PAGE_SIZE)
        return ContributionsView(
            r.holder, r.region, self._years(r), ctx.params.get("year"), self._types(r),
            ctx.params.get("insurance_type", ALL), rows, info,
            sum((c.personal for c in selected), Decimal("0.00")), not selected)

    def document(self, step: Print, ctx: FlowContext) -> DocumentOrder | None:
        r = ctx.records
        if r is None or not self._selected(r, ctx.params):
            return None
        year = ctx.params["year"]
        return DocumentOrder(p.DocumentKind.SS_CONTRIBUTIONS.value, f"{year}-01", f"{year}-12",
                             {"year": year, "insurance_type": ctx.params.get("insurance_type",
                                                                             ALL)})


def _month_of(t: p.MedicalTransaction) -> str:
    return t.occurred_at.astimezone(LOCAL_TZ).strftime("%Y-%m")


class MedicalAccount(Handler):
    PAGE_SIZE = 10

    @staticmethod
    def _months(r: p.MedicalAccountRecords) -> tuple[str, ...]:
        return (ALL,) + tuple(sorted({_month_of(t) for t in r.transactions}, reverse=True))

    @staticmethod
    def _selected(r: p.MedicalAccountRecords, month: str) -> list[p.MedicalTransaction]:
        return [t for t in r.transactions if month == ALL or _month_of(t) == month]

    def defaults(self, step: Show, ctx: FlowContext) -> dict[str, Any]:
        return {"month": ALL, "page": 1}

    def apply(self, step: Step, ctx: FlowContext, values: Mapping[str, Any]) -> dict[str, Any]:
        _check_keys(values, {"month", "page"})
        r = ctx.records
        month = str(values.get("month", ctx.params.get("month", ALL)))
        if month not in self._months(r):
            raise InputRejected("choice.invalid")
        page = _int(values["page"]) if "page" in values else (
            1 if "month" in values else ctx.params.get("page", 1))
        if not 1 <= page <= _page(self._selected(r, month), 1, self.PAGE_SIZE)[1].pages:
            raise InputRejected("choice.invalid")
        return {"month": month, "page": page}

    def view(self, step: Step, ctx: FlowContext) -> Any:
        r: p.MedicalAccountRecords | None = ctx.records
        if r is None:
            return None
        month = ctx.params.get("month", ALL)
        selected = self._selected(r, month)
        rows, info = _page(selected, ctx.params.get("page", 1), self.PAGE_SIZE)
        zero = Decimal("0.00")
        return MedicalAccountView(
            r.holder, r.account_number, r.balance, self._months(r), month, rows, info,
            sum((t.amount for t in selected if t.kind == "credit"), zero),
            sum((t.amount for t in selected if t.kind == "spending"), zero), not selected)

    def document(self, step: Print, ctx: FlowContext) -> DocumentOrder | None:
        if ctx.records is None:
            return None
        return DocumentOrder(p.DocumentKind.MEDICAL_ACCOUNT.value,
                             selection={"month": ctx.params.get("month", ALL)})


class MedicalEnrolment(Handler):
    """医保参保凭证: the medical-insurance enrolment out of the social-insurance records."""

    def query(self, step: Query, ports: FlowPorts, params: Mapping[str, Any],
              id_number: str | None) -> Any:
        records = ports.records.fetch("social_insurance", id_number)
        if _medical(records) is None:
            raise Rejected(p.ErrorCode.NO_ACCOUNT)
        return records

    def view(self, step: Step, ctx: FlowContext) -> Any:
        r = ctx.records
        if r is None:
            return None
        return MedicalEnrolmentView(r.holder, r.region, _medical(r))

    def document(self, step: Print, ctx: FlowContext) -> DocumentOrder | None:
        if ctx.records is None:
            return None
        return DocumentOrder(MEDICAL_ENROLMENT_KIND, selection={"insurance_type": "medical"},
                             title=MEDICAL_ENROLMENT_TITLE)


def _medical(r: p.SocialInsuranceRecords) -> p.InsuranceEnrolment | None:
    return next((e for e in r.enrolments if e.type is p.InsuranceType.MEDICAL), None)


class ProvidentFund(Handler):
    PAGE_SIZE = 12

    @staticmethod
    def _years(r: p.ProvidentFundRecords) -> tuple[int, ...]:
        return tuple(sorted({int(d.month[:4]) for d in r.deposits}, reverse=True))

    @staticmethod
    def _selected(r: p.ProvidentFundRecords, year: int | None) -> list:
        return [d for d in r.deposits if year is not None and int(d.month[:4]) == year]

    def defaults(self, step: Show, ctx: FlowContext) -> dict[str, Any]:
        years = self._years(ctx.records)
        return {"year": years[0] if years else None, "page": 1}

    def apply(self, step: Step, ctx: FlowContext, values: Mapping[str, Any]) -> dict[str, Any]:
        _check_keys(values, {"year", "page"})
        r = ctx.records
        year = _int(values["year"]) if "year" in values else ctx.params.get("year")
        if year not in self._years(r):
            raise InputRejected("choice.invalid")
        page = _int(values["page"]) if "page" in values else (
            1 if "year" in values else ctx.params.get("page", 1))
        if not 1 <= page <= _page(self._selected(r, year), 1, self.PAGE_SIZE)[1].pages:
            raise InputRejected("choice.invalid")
        return {"year": year, "page": page}

    def view(self, step: Step, ctx: FlowContext) -> Any:
        r: p.ProvidentFundRecords | None = ctx.records
        if r is None:
            return None
        selected = self._selected(r, ctx.params.get("year"))
        rows, info = _page(selected, ctx.params.get("page", 1), self.PAGE_SIZE)
        return ProvidentFundView(r.holder, r.account, self._years(r), ctx.params.get("year"),
                                 rows, info, not selected)

    def document(self, step: Print, ctx: FlowContext) -> DocumentOrder | None:
        if ctx.records is None:
            return None
        return DocumentOrder(p.DocumentKind.PROVIDENT_FUND.value,
                             selection={"year": ctx.params.get("year")})


class RealEstate(Handler):
    """不动产登记信息查询: prints the 查询结果, or the 无房证明 when nothing is registered."""

    def view(self, step: Step, ctx: FlowContext) -> Any:
        r: p.RealEstateRecords | None = ctx.records
        if r is None:
            return None
        return RealEstateView(r.holder, tuple(r.registrations), bool(r.registrations))

    def document(self, step: Print, ctx: FlowContext) -> DocumentOrder | None:
        r = ctx.records
        if r is None:
            return None
        kind = p.DocumentKind.REAL_ESTATE if r.registrations else p.DocumentKind.NO_PROPERTY
        return DocumentOrder(kind.value)


class NoProperty(RealEstate):
    """无房证明 on its own: refused at the query for a citizen who owns property."""

    def query(self, step: Query, ports: FlowPorts, params: Mapping[str, Any],
              id_number: str | None) -> Any:
        records = ports.records.fetch("real_estate", id_number)
        if records.registrations:
            raise Rejected(p.ErrorCode.NOT_APPLICABLE)
        return records

    def document(self, step: Print, ctx: FlowContext) -> DocumentOrder | None:
        return None if ctx.records is None else DocumentOrder(p.DocumentKind.NO_PROPERTY.value)


class AccessLog(Handler):
    """近期查询记录: the backend's access log of the verified citizen, a page at a time."""

    PAGE_SIZE = 8

    def query(self, step: Query, ports: FlowPorts, params: Mapping[str, Any],
              id_number: str | None) -> Any:
        return ports.records.access_log(id_number)

    def defaults(self, step: Show, ctx: FlowContext) -> dict[str, Any]:
        return {"page": 1}

    def apply(self, step: Step, ctx: FlowContext, values: Mapping[str, Any]) -> dict[str, Any]:
        _check_keys(values, {"page"})
        page = _int(values["page"])
        if not 1 <= page <= _page(ctx.records.entries, 1, self.PAGE_SIZE)[1].pages:
            raise InputRejected("choice.invalid")
        return {"page": page}

    def view(self, step: Step, ctx: FlowContext) -> Any:
        r: p.AccessLog | None = ctx.records
        if r is None:
            return None
        rows, info = _page(r.entries, ctx.params.get("page", 1), self.PAGE_SIZE)
        return AccessLogView(rows, info, not r.entries)


class QueueTicket(Handler):
    """现场取号: no identity; the ticket is on screen even if the receipt does not print."""

    def __init__(self, business_types: Sequence[tuple[str, str]] = DEFAULT_BUSINESS_TYPES):
        self.business_types = tuple((str(c), str(n)) for c, n in business_types)

    def options(self, step: Choose, ctx: FlowContext) -> tuple[Option, ...]:
        return tuple(Option(code, name) for code, name in self.business_types)

    def query(self, step: Query, ports: FlowPorts, params: Mapping[str, Any],
              id_number: str | None) -> Any:
        return ports.records.queue_ticket(params["business_type"])

    def print_receipt(self, step: Print, ports: FlowPorts, records: Any,
                      order: DocumentOrder) -> str:
        return ports.receipts.print_queue_ticket(records)

    def view(self, step: Step, ctx: FlowContext) -> Any:
        return ctx.records

    def summary(self, ctx: FlowContext) -> Any:
        return ctx.records  # p.QueueTicket: number, window, people ahead, follow_url


class GuideSlip(Handler):
    """办事指南 as a receipt: from the local catalog, works with the backend down."""

    def query(self, step: Query, ports: FlowPorts, params: Mapping[str, Any],
              id_number: str | None) -> Any:
        guide = ports.guides.guide(str(params.get("item_id", ""))) if ports.guides else None
        if guide is None:
            raise StepFailed("guide.not_found")
        return guide

    def view(self, step: Step, ctx: FlowContext) -> Any:
        return ctx.records  # kiosk.catalog.model.GuideDetail

    def print_receipt(self, step: Print, ports: FlowPorts, records: Any,
                      order: DocumentOrder) -> str:
        return ports.receipts.print_guide_slip(records)


# ============================================================================ the registry


WORDS = "FlowScreen"  # the translation context of the items' words


@dataclass(frozen=True)
class DocumentSpec:
    """A paper an item prints: its words (consent, preview) and, for A4, the renderer that
    draws it (``module:function`` taking a `PrintableDocument`, the terminal id and draft)."""

    words: str
    renderer: str = ""  # "" for receipts, which the handler prints


@dataclass(frozen=True)
class ItemSettings:
    """What a terminal's config changes in its items."""

    business_types: tuple[tuple[str, str], ...] = DEFAULT_BUSINESS_TYPES


@dataclass(frozen=True)
class ItemSpec:
    """One item the terminal carries out, whole: adding an item is one entry here, its records
    view (screens) and its document renderer (printing), nothing else.

    - `id`: the flow's id, in events and logs;
    - `title`: its name on screen (English source, translated);
    - `make_flow`: its steps and handler, given the terminal's `ItemSettings`;
    - `catalog_codes`: the catalog items it carries out, by base code (基本编码: the item's code
      without the implementing organisation's, the same at every service point);
    - `view`: the records widget (``module:Class``) for what its show, preview and done steps
      render; the screens resolve it;
    - `documents`: each paper it may print, by document kind (or receipt name);
    - `assurance`: ``"verified"`` for an item that shows or prints anything personal (its
      identify step then takes only a verified identity: card + face, e-credential, attended;
      docs/decisions/0018), ``"none"`` otherwise. An item with personal steps declared
      ``"none"`` is refused;
    - `home`: a tile of its own on the home screen (items that are no catalog item).
    The records call of its query step is one of `protocol.RECORDS_CALLS`, or one its handler
    makes itself (the access log).
    """

    id: str
    title: str
    make_flow: Any  # Callable[[ItemSettings], Flow]
    catalog_codes: tuple[str, ...] = ()
    view: str = ""
    documents: Mapping[str, DocumentSpec] = field(default_factory=dict)
    assurance: str = Assurance.NONE.value
    home: bool = False
    # 操作指引 (kiosk/guides.py): the slides are derived from the flow; where its generic words
    # are not enough, a step kind's slide is replaced by (illustration, caption), and slides
    # are added after the printout (captions marked in the "StepGuide" context)
    guide: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    guide_extra: tuple[tuple[str, str], ...] = ()


# What each records call fetches, as the consent page says it (one per protocol.RECORDS_CALLS).
FETCH_WORDS: Mapping[str, str] = {
    "social_insurance": QT_TRANSLATE_NOOP(
        "FlowScreen", "Your social insurance enrolment and contribution records"),
    "medical_account": QT_TRANSLATE_NOOP(
        "FlowScreen", "Your medical insurance account balance and spending"),
    "provident_fund": QT_TRANSLATE_NOOP(
        "FlowScreen", "Your housing provident fund account and deposits"),
    "real_estate": QT_TRANSLATE_NOOP("FlowScreen", "The real estate registered in your name"),
    "access_log": QT_TRANSLATE_NOOP(
        "FlowScreen", "Who looked up your records recently: when, where and how"),
}

_K = p.DocumentKind
_VERIFIED = Assurance.VERIFIED.value
_FD = "printing.flow_documents"
_FV = "screens.flow_views"


def _records_flow(flow_id: str, title: str, department: str, call: str, handler: Handler,
                  documents: tuple[str, ...], *, show: bool, optional_print: bool,
                  label: str = ""):
    def make(settings: ItemSettings) -> Flow:
        steps: list[Step] = [Identify(), Consent(), Query(call)]
        if show:
            steps.append(Show(flow_id))
        steps += [Preview(optional=optional_print), Print(documents, Paper.A4, label=label),
                  Rate(), Done()]
        return Flow(flow_id, tuple(steps), handler, title, department)

    return make


def _queue_flow(settings: ItemSettings) -> Flow:
    return Flow("queue.ticket", (
        Choose("business_type"),
        Query("queue_ticket", personal=False),
        Print(("queue_ticket",), Paper.RECEIPT, personal=False, skippable_on_failure=True),
        Rate(), Done(),
    ), QueueTicket(settings.business_types), "现场取号", "hall")


def _access_log_flow(settings: ItemSettings) -> Flow:
    return Flow("records.access_log", (
        Identify(),  # (the number pad only with staff attending: the item is verified)
        Consent(),
        Query("access_log"),
        Show("records.access_log"),
        Rate(), Done(),
    ), AccessLog(), "近期查询记录", "hall")


def _guide_flow(settings: ItemSettings) -> Flow:
    return Flow("guide.slip", (
        Query("guide", personal=False, backend=False),
        Preview(),
        Print(("guide_slip",), Paper.RECEIPT, personal=False),
        Rate(), Done(),
    ), GuideSlip(), "办事指南打印", "hall")


ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec(
        "ss.certificate", QT_TRANSLATE_NOOP("FlowScreen", "Social insurance enrolment certificate"),
        _records_flow("ss.certificate", "社保参保证明打印", "rs", "social_insurance",
                      SsCertificate(), (_K.SS_CERTIFICATE.value,), show=False,
                      optional_print=False),
        catalog_codes=("2001001001",), view=f"{_FV}:CertificateRecordsView", assurance=_VERIFIED,
        documents={_K.SS_CERTIFICATE.value: DocumentSpec(
            QT_TRANSLATE_NOOP("FlowScreen", "Social insurance enrolment certificate (A4)"), f"{_FD}:ss_certificate")}),
    ItemSpec(
        "ss.contributions", QT_TRANSLATE_NOOP("FlowScreen", "Social insurance contribution history"),
        _records_flow("ss.contributions", "社保缴费明细查询与打印", "rs", "social_insurance",
                      SsContributions(), (_K.SS_CONTRIBUTIONS.value,), show=True,
                      optional_print=True),
        catalog_codes=("2001002001",), view=f"{_FV}:ContributionsRecordsView", assurance=_VERIFIED,
        documents={_K.SS_CONTRIBUTIONS.value: DocumentSpec(
            QT_TRANSLATE_NOOP("FlowScreen", "Social insurance contribution statement (A4)"), f"{_FD}:ss_contributions")}),
    ItemSpec(
        "yb.account", QT_TRANSLATE_NOOP("FlowScreen", "Medical insurance account and spending"),
        _records_flow("yb.account", "医保个人账户余额与消费明细查询", "yb", "medical_account",
                      MedicalAccount(), (_K.MEDICAL_ACCOUNT.value,), show=True,
                      optional_print=True),
        catalog_codes=("2002004001",), view=f"{_FV}:MedicalAccountRecordsView", assurance=_VERIFIED,
        documents={_K.MEDICAL_ACCOUNT.value: DocumentSpec(
            QT_TRANSLATE_NOOP("FlowScreen", "Medical insurance account statement (A4)"), f"{_FD}:medical_account")}),
    ItemSpec(
        "yb.enrolment", QT_TRANSLATE_NOOP("FlowScreen", "Medical insurance enrolment certificate"),
        _records_flow("yb.enrolment", "医保参保凭证打印", "yb", "social_insurance",
                      MedicalEnrolment(), (MEDICAL_ENROLMENT_KIND,), show=False,
                      optional_print=False, label="medical_enrolment"),
        catalog_codes=("2002003001",), view=f"{_FV}:MedicalEnrolmentRecordsView", assurance=_VERIFIED,
        documents={"medical_enrolment": DocumentSpec(
            QT_TRANSLATE_NOOP("FlowScreen", "Medical insurance enrolment certificate (A4)"), f"{_FD}:ss_certificate")}),
    ItemSpec(
        "gjj.deposits", QT_TRANSLATE_NOOP("FlowScreen", "Housing provident fund deposits"),
        _records_flow("gjj.deposits", "公积金缴存查询", "gjj", "provident_fund",
                      ProvidentFund(), (_K.PROVIDENT_FUND.value,), show=True,
                      optional_print=True),
        catalog_codes=("2003001001",), view=f"{_FV}:ProvidentFundRecordsView", assurance=_VERIFIED,
        documents={_K.PROVIDENT_FUND.value: DocumentSpec(
            QT_TRANSLATE_NOOP("FlowScreen", "Housing provident fund deposit certificate (A4)"), f"{_FD}:provident_fund")}),
    ItemSpec(
        "bdc.registrations", QT_TRANSLATE_NOOP("FlowScreen", "Real estate registration records"),
        _records_flow("bdc.registrations", "不动产登记信息查询", "bdc", "real_estate",
                      RealEstate(), (_K.REAL_ESTATE.value, _K.NO_PROPERTY.value), show=True,
                      optional_print=True),
        catalog_codes=("2004049001",), view=f"{_FV}:RealEstateRecordsView", assurance=_VERIFIED,
        documents={
            _K.REAL_ESTATE.value: DocumentSpec(
                QT_TRANSLATE_NOOP("FlowScreen", "Real estate registration query result (A4)"), f"{_FD}:real_estate"),
            _K.NO_PROPERTY.value: DocumentSpec(
                QT_TRANSLATE_NOOP("FlowScreen", "Certificate of no registered property (A4)"), f"{_FD}:no_property")}),
    ItemSpec(
        "bdc.no_property", QT_TRANSLATE_NOOP("FlowScreen", "Certificate of no registered property"),
        _records_flow("bdc.no_property", "无房证明", "bdc", "real_estate", NoProperty(),
                      (_K.NO_PROPERTY.value,), show=False, optional_print=False),
        catalog_codes=("2004050001",), view=f"{_FV}:RealEstateRecordsView", assurance=_VERIFIED,
        documents={_K.NO_PROPERTY.value: DocumentSpec(
            QT_TRANSLATE_NOOP("FlowScreen", "Certificate of no registered property (A4)"), f"{_FD}:no_property")}),
    ItemSpec(
        "queue.ticket", QT_TRANSLATE_NOOP("FlowScreen", "Take a queue number"), _queue_flow,
        view=f"{_FV}:QueueTicketView",
        documents={"queue_ticket": DocumentSpec(QT_TRANSLATE_NOOP("FlowScreen", "Queue ticket"))},
        guide={
            "choose": ("touch", QT_TRANSLATE_NOOP(
                "StepGuide", "Tap the kind of business you came for: social insurance, medical "
                "insurance, housing fund, real estate or general.")),
            "print": ("take-ticket", QT_TRANSLATE_NOOP(
                "StepGuide", "Take your queue ticket from the slip outlet and wait until your "
                "number is called to the window."))}),
    ItemSpec(
        "guide.slip", QT_TRANSLATE_NOOP("FlowScreen", "Print a service guide"), _guide_flow,
        view=f"{_FV}:GuideSlipView",
        documents={"guide_slip": DocumentSpec(QT_TRANSLATE_NOOP("FlowScreen", "Service guide slip"))},
        guide={"preview": ("confirm", QT_TRANSLATE_NOOP(
            "StepGuide", "Check the guide on the screen: materials, steps, place and hours. "
            "Then tap “Print”."))},
        guide_extra=(("scan-qr", QT_TRANSLATE_NOOP(
            "StepGuide", "At home, scan the QR code on the slip with your phone to read the "
            "whole guide or to apply online.")),)),
    # 近期查询记录: who looked at my records (the backend's access log); nothing printed
    ItemSpec(
        "records.access_log", QT_TRANSLATE_NOOP("FlowScreen", "Who looked at my records"),
        _access_log_flow, view=f"{_FV}:AccessLogRecordsView", assurance=_VERIFIED, home=True,
        guide={"show": ("touch", QT_TRANSLATE_NOOP(
            "StepGuide", "The list shows who looked up your records: when, where and how. Tap "
            "the next page to see more."))}),
)


class ItemRegistry:
    """The items a terminal carries out, with their flows built for its settings. Everything
    item-specific elsewhere (screens' words and views, document dispatch, catalog binding) is
    read from here."""

    def __init__(self, items: Sequence[ItemSpec] = ITEMS, settings: ItemSettings | None = None):
        self.settings = settings or ItemSettings()
        self.specs: dict[str, ItemSpec] = {}
        self.flows: dict[str, Flow] = {}
        self._by_code: dict[str, str] = {}
        for spec in items:
            self.add(spec)

    def add(self, spec: ItemSpec) -> None:
        if spec.id in self.specs:
            raise ValueError(f"item {spec.id!r} declared twice")
        flow = spec.make_flow(self.settings)
        if flow.id != spec.id:
            raise ValueError(f"item {spec.id!r} builds flow {flow.id!r}")
        try:
            assurance = Assurance(spec.assurance)
        except ValueError:
            raise ValueError(f"item {spec.id!r}: assurance {spec.assurance!r} is neither "
                             f"'none' nor 'verified'") from None
        personal = [s.kind.value for s in flow.steps
                    if isinstance(s, (Query, Print)) and s.personal]
        if personal and assurance is not Assurance.VERIFIED:
            raise ValueError(f"item {spec.id!r} has personal steps ({', '.join(personal)}): "
                             f"its assurance must be 'verified'")
        if assurance is Assurance.VERIFIED and not flow.personal:
            raise ValueError(f"item {spec.id!r} is 'verified' but has no identify step")
        flow = replace(flow, assurance=assurance)
        for step in flow.steps:
            if isinstance(step, Print):
                named = (step.label,) if step.label else step.documents
                missing = [d for d in named if d not in spec.documents]
                if missing:
                    raise ValueError(f"item {spec.id!r}: no words for {missing}")
            if isinstance(step, Query) and step.personal and step.call not in FETCH_WORDS:
                raise ValueError(f"item {spec.id!r}: no consent words for {step.call!r}")
        for code in spec.catalog_codes:
            if code in self._by_code:
                raise ValueError(f"catalog code {code} bound to {self._by_code[code]!r} and "
                                 f"{spec.id!r}")
            self._by_code[code] = spec.id
        self.specs[spec.id] = spec
        self.flows[spec.id] = flow

    def __iter__(self):
        return iter(self.specs.values())

    def __contains__(self, item_id: object) -> bool:
        return item_id in self.specs

    def get(self, item_id: str) -> ItemSpec | None:
        return self.specs.get(item_id)

    @property
    def catalog_codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    def for_code(self, base_code: str) -> str | None:
        """The item (flow id) that carries out catalog items of this base code."""
        return self._by_code.get(base_code)

    def document_words(self, code: str, item_id: str = "") -> str:
        """The words of a paper ('ss_certificate' or 'document.ss_certificate'), untranslated:
        as the item `item_id` names it, else as the first item printing it does."""
        code = code.removeprefix("document.")
        own = self.specs.get(item_id)
        if own is not None and code in own.documents:
            return own.documents[code].words
        for spec in self.specs.values():
            if code in spec.documents:
                return spec.documents[code].words
        return code

    def renderer(self, kind: str) -> str:
        """The ``module:function`` that draws an A4 document of `kind`."""
        for spec in self.specs.values():
            doc = spec.documents.get(kind)
            if doc is not None and doc.renderer:
                return doc.renderer
        raise KeyError(f"no renderer for document kind {kind!r}")


def build_flows(business_types: Sequence[tuple[str, str]] = DEFAULT_BUSINESS_TYPES,
                ) -> dict[str, Flow]:
    """Every item's flow for these settings (the registry's flows)."""
    settings = ItemSettings(tuple((str(c), str(n)) for c, n in business_types))
    return ItemRegistry(ITEMS, settings).flows


FLOWS = build_flows()
