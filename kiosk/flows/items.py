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
============================  ==================  =============================================

Every flow ends with rate, done. ``preview?`` is an optional print (`skip()` passes it).
Views (what a show or preview screen renders) are plain dataclasses holding protocol models;
`build_flows()` takes the queue's business types from the terminal's config.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kiosk.flows.engine import (
    Choose,
    Consent,
    Done,
    DocumentOrder,
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
import protocol as p
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
        records = ports.records.social_insurance(id_number)
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
        records = ports.records.real_estate(id_number)
        if records.registrations:
            raise Rejected(p.ErrorCode.NOT_APPLICABLE)
        return records

    def document(self, step: Print, ctx: FlowContext) -> DocumentOrder | None:
        return None if ctx.records is None else DocumentOrder(p.DocumentKind.NO_PROPERTY.value)


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


# ============================================================================ the flows


def _records_flow(flow_id: str, title: str, department: str, call: str, handler: Handler,
                  documents: tuple[str, ...], *, show: bool, optional_print: bool,
                  label: str = "") -> Flow:
    steps: list[Step] = [Identify(), Consent(), Query(call)]
    if show:
        steps.append(Show(flow_id))
    steps += [Preview(optional=optional_print), Print(documents, Paper.A4, label=label), Rate(),
              Done()]
    return Flow(flow_id, tuple(steps), handler, title, department)


def build_flows(business_types: Sequence[tuple[str, str]] = DEFAULT_BUSINESS_TYPES,
                ) -> dict[str, Flow]:
    K = p.DocumentKind
    flows = [
        _records_flow("ss.certificate", "社保参保证明打印", "rs", "social_insurance",
                      SsCertificate(), (K.SS_CERTIFICATE.value,), show=False,
                      optional_print=False),
        _records_flow("ss.contributions", "社保缴费明细查询与打印", "rs", "social_insurance",
                      SsContributions(), (K.SS_CONTRIBUTIONS.value,), show=True,
                      optional_print=True),
        _records_flow("yb.account", "医保个人账户余额与消费明细查询", "yb", "medical_account",
                      MedicalAccount(), (K.MEDICAL_ACCOUNT.value,), show=True,
                      optional_print=True),
        _records_flow("yb.enrolment", "医保参保凭证打印", "yb", "social_insurance",
                      MedicalEnrolment(), (MEDICAL_ENROLMENT_KIND,), show=False,
                      optional_print=False, label="medical_enrolment"),
        _records_flow("gjj.deposits", "公积金缴存查询", "gjj", "provident_fund",
                      ProvidentFund(), (K.PROVIDENT_FUND.value,), show=True,
                      optional_print=True),
        _records_flow("bdc.registrations", "不动产登记信息查询", "bdc", "real_estate",
                      RealEstate(), (K.REAL_ESTATE.value, K.NO_PROPERTY.value), show=True,
                      optional_print=True),
        _records_flow("bdc.no_property", "无房证明", "bdc", "real_estate", NoProperty(),
                      (K.NO_PROPERTY.value,), show=False, optional_print=False),
        Flow("queue.ticket", (
            Choose("business_type"),
            Query("queue_ticket", personal=False),
            Print(("queue_ticket",), Paper.RECEIPT, personal=False, skippable_on_failure=True),
            Rate(), Done(),
        ), QueueTicket(business_types), "现场取号", "hall"),
        Flow("guide.slip", (
            Query("guide", personal=False, backend=False),
            Preview(),
            Print(("guide_slip",), Paper.RECEIPT, personal=False),
            Rate(), Done(),
        ), GuideSlip(), "办事指南打印", "hall"),
    ]
    return {f.id: f for f in flows}


FLOWS = build_flows()

# The catalog items each flow carries out: the item's name at every service point (a town's
# variant adds "（遥观镇）" to the same name). Items of no flow only show their guide.
CATALOG_NAMES: dict[str, tuple[str, ...]] = {
    "ss.certificate": ("社会保险参保证明打印",),
    "ss.contributions": ("社会保险个人缴费明细查询",),
    "yb.account": ("医疗保险个人账户余额查询",),
    "yb.enrolment": ("基本医疗保险参保凭证打印", "医保参保凭证打印"),
    "gjj.deposits": ("住房公积金缴存查询",),
    "bdc.registrations": ("不动产登记信息查询",),
    "bdc.no_property": ("无房证明开具",),
}
_FLOW_BY_NAME = {name: flow_id for flow_id, names in CATALOG_NAMES.items() for name in names}


def flow_for_item_name(name: str) -> str | None:
    """The flow that carries out the catalog item called `name`, or None."""
    base = name.split("（", 1)[0].strip()
    return _FLOW_BY_NAME.get(name) or _FLOW_BY_NAME.get(base)
