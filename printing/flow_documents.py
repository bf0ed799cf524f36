"""A citizen flow's `PrintableDocument` as PDF bytes: protocol records in, `printing.documents`
out.

The flows (kiosk/flows) hold `protocol` models; the renderers take plain dataclasses.
This module is the one place that maps between them, per `DocumentKind`, and applies the
citizen's selection (year, insurance type, month) that protocol v1 cannot carry to the backend
(docs/decisions/0010-flows.md). Rules kept here:

- The ID number is printed exactly as the backend masked it (`Holder.id_number_masked`); a
  full number is never part of a record, so it cannot reach the paper.
- The verification code, URL and time of issue come from `doc.issued`; times are printed in
  Beijing time (UTC+8) whatever the terminal's clock zone.
- ``draft=True`` is the preview before the backend issued the document: watermark, no QR code,
  the code reads 打印时生成. Its time is that of the records when nothing was issued yet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from kiosk.flows.ports import PrintableDocument
import protocol as p
from printing import documents as d

ALL = "all"
DRAFT_CODE = "打印时生成"

ISSUERS = {
    p.DocumentKind.SS_CERTIFICATE: "人力资源和社会保障局",
    p.DocumentKind.SS_CONTRIBUTIONS: "人力资源和社会保障局",
    p.DocumentKind.MEDICAL_ACCOUNT: "医疗保障局",
    p.DocumentKind.PROVIDENT_FUND: "住房公积金管理中心",
    p.DocumentKind.REAL_ESTATE: "不动产登记中心",
    p.DocumentKind.NO_PROPERTY: "不动产登记中心",
}
MEDICAL_ISSUER = "医疗保障局"  # the 医疗保险参保凭证 is the medical-insurance bureau's paper

# the documents' short insurance names (documents.INSURANCE_TYPES), which they print in full
INSURANCE_SHORT = {
    p.InsuranceType.PENSION: "养老",
    p.InsuranceType.MEDICAL: "医疗",
    p.InsuranceType.UNEMPLOYMENT: "失业",
    p.InsuranceType.WORK_INJURY: "工伤",
    p.InsuranceType.MATERNITY: "生育",
}
FUND_STATUS_NAMES = {"normal": "正常", "sealed": "封存", "closed": "销户"}


class RecordsMismatch(TypeError):
    """The records do not fit the document kind (a flow bug); names types, never values."""


def beijing(t: datetime) -> datetime:
    return t.astimezone(p.LOCAL_TZ)


def _cn_date(t: datetime) -> str:
    return f"{beijing(t):%Y年%m月%d日}"


def _issue(doc: PrintableDocument, terminal_id: str, draft: bool, issuer: str,
           as_of: datetime) -> d.IssueInfo:
    issued: p.DocumentIssued | None = doc.issued
    if draft:
        at = issued.issued_at if issued is not None else as_of
        return d.IssueInfo(terminal_id, beijing(at), DRAFT_CODE, "", issuer, draft=True)
    if issued is None:
        raise ValueError("a document is printed only once the backend issued it (draft=False)")
    return d.IssueInfo(terminal_id, beijing(issued.issued_at), issued.verification_code,
                       issued.verify_url, issuer)


def _person(holder: p.Holder) -> d.Person:
    return d.Person(holder.name, holder.id_number_masked)


def _records(doc: PrintableDocument, model: type) -> Any:
    if not isinstance(doc.records, model):
        raise RecordsMismatch(f"{doc.kind} needs {model.__name__}, "
                              f"got {type(doc.records).__name__}")
    return doc.records


def _title(doc: PrintableDocument, kind: p.DocumentKind) -> str:
    return doc.title or p.DOCUMENT_TITLES[kind]


# --------------------------------------------------------------------------- social insurance


def _employer(enrolments: list[p.InsuranceEnrolment]) -> str:
    """The employer now: the last employer of the enrolment paid most recently."""
    paid = [e for e in enrolments if e.employers]
    if not paid:
        return "—"
    latest = max(paid, key=lambda e: e.last_paid_month or "")
    return latest.employers[-1]


def ss_certificate(doc: PrintableDocument, terminal_id: str, draft: bool) -> bytes:
    r: p.SocialInsuranceRecords = _records(doc, p.SocialInsuranceRecords)
    medical = doc.selection.get("insurance_type") == p.InsuranceType.MEDICAL.value
    enrolments = [e for e in r.enrolments
                  if not medical or e.type is p.InsuranceType.MEDICAL]
    if not enrolments:
        raise ValueError("no enrolment to certify")
    kind = p.DocumentKind.SS_CERTIFICATE
    issuer = MEDICAL_ISSUER if medical else ISSUERS[kind]
    cert = d.Certificate(
        person=_person(r.holder), employer=_employer(enrolments),
        enrolments=[d.Enrolment(INSURANCE_SHORT[e.type], p.ENROLMENT_STATUS_NAMES[e.status],
                                e.start_month, e.months_paid) for e in enrolments],
        issue=_issue(doc, terminal_id, draft, issuer, r.as_of), region=r.region,
        title=_title(doc, kind), scope="基本医疗保险" if medical else "社会保险",
    )
    return d.ss_certificate(cert)


def ss_contributions(doc: PrintableDocument, terminal_id: str, draft: bool) -> bytes:
    r: p.SocialInsuranceRecords = _records(doc, p.SocialInsuranceRecords)
    year = doc.selection.get("year")
    kind = str(doc.selection.get("insurance_type") or ALL)
    order = list(p.InsuranceType)
    picked = sorted(
        (c for c in r.contributions
         if (year is None or c.month[:4] == str(year)) and (kind == ALL or c.type.value == kind)),
        key=lambda c: (c.month, order.index(c.type)))  # oldest first, types in a fixed order
    if year is not None:
        period = f"{int(year):04d}-01 至 {int(year):04d}-12"
    elif picked:
        period = f"{picked[0].month} 至 {picked[-1].month}"
    else:
        period = "—"
    employers = list(dict.fromkeys(c.employer for c in picked if c.employer))
    st = d.Statement(
        person=_person(r.holder), employer="、".join(employers) or _employer(r.enrolments),
        period=period,
        rows=[d.Contribution(c.month, INSURANCE_SHORT[c.type], c.base, c.personal,
                             c.employer_amount) for c in picked],
        issue=_issue(doc, terminal_id, draft, ISSUERS[p.DocumentKind.SS_CONTRIBUTIONS],
                     r.as_of),
        scope="" if kind == ALL else INSURANCE_SHORT[p.InsuranceType(kind)],
    )
    return d.ss_statement(st)


# --------------------------------------------------------------------------- medical account


def medical_account(doc: PrintableDocument, terminal_id: str, draft: bool) -> bytes:
    r: p.MedicalAccountRecords = _records(doc, p.MedicalAccountRecords)
    month = str(doc.selection.get("month") or ALL)
    picked = sorted((t for t in r.transactions
                     if month == ALL or f"{beijing(t.occurred_at):%Y-%m}" == month),
                    key=lambda t: t.occurred_at)  # oldest first
    if month != ALL:
        period = month
    elif picked:
        period = (f"{beijing(picked[0].occurred_at):%Y-%m} 至 "
                  f"{beijing(picked[-1].occurred_at):%Y-%m}")
    else:
        period = "—"
    ms = d.MedicalStatement(
        person=_person(r.holder), account_no=r.account_number, balance=r.balance,
        balance_date=f"{beijing(r.as_of):%Y-%m-%d}", period=period,
        transactions=[d.AccountTransaction(
            f"{beijing(t.occurred_at):%Y-%m-%d}", "划入" if t.kind == "credit" else "支出",
            "/".join(x for x in (t.place, t.description) if x),
            t.amount if t.kind == "credit" else -t.amount, t.balance_after) for t in picked],
        issue=_issue(doc, terminal_id, draft, ISSUERS[p.DocumentKind.MEDICAL_ACCOUNT], r.as_of),
    )
    return d.medical_statement(ms)


# --------------------------------------------------------------------------- provident fund


def provident_fund(doc: PrintableDocument, terminal_id: str, draft: bool) -> bytes:
    r: p.ProvidentFundRecords = _records(doc, p.ProvidentFundRecords)
    year = doc.selection.get("year")
    picked = sorted((x for x in r.deposits if year is None or x.month[:4] == str(year)),
                    key=lambda x: x.month)
    if year is not None:
        period = f"{int(year):04d}-01 至 {int(year):04d}-12"
    elif picked:
        period = f"{picked[0].month} 至 {picked[-1].month}"
    else:
        period = "—"
    a = r.account
    pf = d.ProvidentFundStatement(
        person=_person(r.holder), account_no=a.account_number,
        status=FUND_STATUS_NAMES.get(a.status, a.status), employer=a.employer, base=a.base,
        personal_rate=a.personal_rate_percent, employer_rate=a.employer_rate_percent,
        balance=a.balance, balance_date=f"{beijing(r.as_of):%Y-%m-%d}",
        opened_month=a.opened_month, period=period,
        deposits=[d.FundDeposit(x.month, x.personal, x.employer_amount, x.total, x.balance_after)
                  for x in picked],
        issue=_issue(doc, terminal_id, draft, ISSUERS[p.DocumentKind.PROVIDENT_FUND], r.as_of),
    )
    return d.provident_fund_statement(pf)


# --------------------------------------------------------------------------- real estate


def real_estate(doc: PrintableDocument, terminal_id: str, draft: bool) -> bytes:
    r: p.RealEstateRecords = _records(doc, p.RealEstateRecords)
    if not r.registrations:
        raise ValueError("no registration: this is the 无房证明 (no_property)")
    res = d.RealEstateResult(
        person=_person(r.holder),
        registrations=[d.Registration(
            x.certificate_number, x.unit_number, x.location, x.usage,
            Decimal(x.area_m2), x.right_type, x.share, x.registered_on.isoformat(),
            x.mortgaged, x.sealed) for x in r.registrations],
        as_of=_cn_date(r.as_of),
        issue=_issue(doc, terminal_id, draft, ISSUERS[p.DocumentKind.REAL_ESTATE], r.as_of),
    )
    return d.real_estate_result(res)


def no_property(doc: PrintableDocument, terminal_id: str, draft: bool) -> bytes:
    r: p.RealEstateRecords = _records(doc, p.RealEstateRecords)
    if r.registrations:
        raise ValueError("registrations exist: no 无房证明 for this holder")
    return d.no_property_certificate(d.NoPropertyCertificate(
        _person(r.holder), _cn_date(r.as_of),
        _issue(doc, terminal_id, draft, ISSUERS[p.DocumentKind.NO_PROPERTY], r.as_of)))


def renderer_for(kind: str, registry=None) -> Callable[[PrintableDocument, str, bool], bytes]:
    """The function that draws a document of `kind`: the one the item registry names for it
    (kiosk.flows.items; the terminal's own registry when given). KeyError if none does."""
    import importlib


    path = (registry or _default_registry()).renderer(str(kind))
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


_REGISTRY: list = []


def _default_registry():
    if not _REGISTRY:
        from kiosk.flows.items import ItemRegistry

        _REGISTRY.append(ItemRegistry())
    return _REGISTRY[0]


def render(doc: PrintableDocument, terminal_id: str, *, draft: bool = False,
           registry=None) -> bytes:
    """The document as PDF bytes. Raises KeyError for an unknown kind, `RecordsMismatch` or
    ValueError when the records cannot make that document (messages name no personal data)."""
    return renderer_for(str(doc.kind), registry)(doc, terminal_id, draft)


__all__ = ["DRAFT_CODE", "ISSUERS", "RecordsMismatch", "render", "renderer_for"]
