"""Personal records as protocol answers, and the statement a document makes about them.

Every function takes an open session and a `Citizen` row; money leaves the database as integer
fen and enters the protocol as decimal yuan here, nowhere else.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import (
    Citizen,
    Contribution,
    Employer,
    InsuranceEnrolment,
    MedicalAccount,
    MedicalTransaction,
    ProvidentFundAccount,
    ProvidentFundDeposit,
    RealEstateRegistration,
)
import protocol as p

MAX_TRANSACTIONS = 500


class NoAccount(Exception):
    """The citizen exists but has no account of the kind asked for."""


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def holder(c: Citizen) -> p.Holder:
    return p.Holder(name=c.name, id_number_masked=p.mask_id_number(c.id_number),
                    gender=c.gender)


def social_insurance(s: Session, c: Citizen) -> p.SocialInsuranceRecords:
    enrolments = s.scalars(select(InsuranceEnrolment)
                           .where(InsuranceEnrolment.citizen_id == c.id)).all()
    if not enrolments:
        raise NoAccount("no social-insurance enrolment")
    rows = s.execute(
        select(Contribution, Employer.name).join(Employer, Contribution.employer_id == Employer.id)
        .where(Contribution.citizen_id == c.id).order_by(Contribution.month.desc(), Contribution.id)
    ).all()
    per_type: dict[str, list] = {}
    for row, employer in reversed(rows):  # oldest first
        per_type.setdefault(row.type, []).append((row.month, employer))
    order = list(p.InsuranceType)
    out = []
    for e in sorted(enrolments, key=lambda e: order.index(p.InsuranceType(e.type))):
        months = per_type.get(e.type, [])
        employers = list(dict.fromkeys(emp for _, emp in months))
        out.append(p.InsuranceEnrolment(
            type=e.type, status=e.status, start_month=e.start_month,
            last_paid_month=months[-1][0] if months else None, months_paid=len(months),
            employers=employers,
        ))
    return p.SocialInsuranceRecords(
        holder=holder(c), region=c.ss_region, enrolments=out,
        contributions=[p.Contribution(month=r.month, type=r.type, employer=emp,
                                      base=yuan(r.base_fen), personal=yuan(r.personal_fen),
                                      employer_amount=yuan(r.employer_fen)) for r, emp in rows],
        as_of=now_utc(),
    )


def medical_account(s: Session, c: Citizen) -> p.MedicalAccountRecords:
    acc = s.get(MedicalAccount, c.id)
    if acc is None:
        raise NoAccount("no medical-insurance personal account")
    txs = s.scalars(select(MedicalTransaction).where(MedicalTransaction.citizen_id == c.id)
                    .order_by(MedicalTransaction.occurred_at.desc(), MedicalTransaction.id.desc())
                    .limit(MAX_TRANSACTIONS)).all()
    return p.MedicalAccountRecords(
        holder=holder(c), account_number=acc.account_number, balance=yuan(acc.balance_fen),
        transactions=[p.MedicalTransaction(occurred_at=utc(t.occurred_at), kind=t.kind,
                                           amount=yuan(t.amount_fen),
                                           balance_after=yuan(t.balance_after_fen),
                                           place=t.place, description=t.description) for t in txs],
        as_of=now_utc(),
    )


def provident_fund(s: Session, c: Citizen) -> p.ProvidentFundRecords:
    acc = s.get(ProvidentFundAccount, c.id)
    if acc is None:
        raise NoAccount("no housing provident-fund account")
    employer = s.get(Employer, acc.employer_id)
    deposits = s.scalars(select(ProvidentFundDeposit).where(ProvidentFundDeposit.citizen_id == c.id)
                         .order_by(ProvidentFundDeposit.month.desc())).all()
    return p.ProvidentFundRecords(
        holder=holder(c),
        account=p.ProvidentFundAccount(
            account_number=acc.account_number, status=acc.status,
            employer=employer.name if employer else "", base=yuan(acc.base_fen),
            personal_rate_percent=acc.personal_rate_percent,
            employer_rate_percent=acc.employer_rate_percent, balance=yuan(acc.balance_fen),
            opened_month=acc.opened_month),
        deposits=[p.ProvidentFundDeposit(month=d.month, personal=yuan(d.personal_fen),
                                         employer_amount=yuan(d.employer_fen),
                                         total=yuan(d.personal_fen + d.employer_fen),
                                         balance_after=yuan(d.balance_after_fen))
                  for d in deposits],
        as_of=now_utc(),
    )


def real_estate(s: Session, c: Citizen) -> p.RealEstateRecords:
    regs = s.scalars(select(RealEstateRegistration).where(RealEstateRegistration.citizen_id == c.id)
                     .order_by(RealEstateRegistration.registered_on)).all()
    return p.RealEstateRecords(
        holder=holder(c),
        registrations=[p.RealEstateRegistration(
            certificate_number=r.certificate_number, unit_number=r.unit_number, location=r.location,
            usage=r.usage, area_m2=(Decimal(r.area_centi_m2) / 100).quantize(Decimal("0.01")),
            right_type=r.right_type, share=r.share, registered_on=r.registered_on,
            mortgaged=r.mortgaged, sealed=r.sealed) for r in regs],
        as_of=now_utc(),
    )


class NotApplicable(Exception):
    """The document cannot be issued for this citizen (e.g. 无房证明 for an owner)."""


def _today() -> str:
    return datetime.now(p.LOCAL_TZ).strftime("%Y年%m月%d日")


def statement(s: Session, c: Citizen, req: p.DocumentRequest) -> str:
    """The one sentence a document claims, as the public verification page repeats it. Holder
    names appear masked; raises NoAccount or NotApplicable."""
    who = f"{p.mask_name(c.name)}（{p.mask_id_number(c.id_number)}）"
    kind = req.kind
    if kind is p.DocumentKind.SS_CERTIFICATE:
        si = social_insurance(s, c)
        parts = [f"{p.INSURANCE_TYPE_NAMES[e.type]}{p.ENROLMENT_STATUS_NAMES[e.status]}"
                 f"（{e.start_month} 起，累计 {e.months_paid} 个月）" for e in si.enrolments]
        return f"截至{_today()}，{who}在{c.ss_region}参加社会保险：" + "；".join(parts) + "。"
    if kind is p.DocumentKind.SS_CONTRIBUTIONS:
        si = social_insurance(s, c)
        months = sorted({x.month for x in si.contributions})
        if not months:
            raise NoAccount("no contributions")
        lo = req.from_month or months[max(0, len(months) - 12)]
        hi = req.to_month or months[-1]
        if lo > hi:
            raise NotApplicable("from_month is after to_month")
        picked = [x for x in si.contributions if lo <= x.month <= hi]
        paid = len({x.month for x in picked})
        total = sum((x.personal for x in picked), Decimal("0.00"))
        return (f"{who}{lo}至{hi}缴纳社会保险 {paid} 个月，个人缴费合计 {total:.2f} 元"
                f"（查询日期 {_today()}）。")
    if kind is p.DocumentKind.MEDICAL_ACCOUNT:
        ma = medical_account(s, c)
        return (f"截至{_today()}，{who}医疗保险个人账户余额 {ma.balance:.2f} 元，"
                f"近一年收支 {len(ma.transactions)} 笔。")
    if kind is p.DocumentKind.PROVIDENT_FUND:
        pf = provident_fund(s, c)
        status = {"normal": "正常", "sealed": "封存", "closed": "销户"}[pf.account.status]
        return (f"截至{_today()}，{who}住房公积金账户状态{status}，缴存基数 {pf.account.base:.2f} 元，"
                f"缴存比例 {pf.account.personal_rate_percent}%，账户余额 {pf.account.balance:.2f} 元。")
    count = s.scalar(select(func.count()).select_from(RealEstateRegistration)
                     .where(RealEstateRegistration.citizen_id == c.id)) or 0
    if kind is p.DocumentKind.REAL_ESTATE:
        return f"截至{_today()}，{who}名下登记的不动产共 {count} 处。"
    if count:
        raise NotApplicable("this citizen has real-estate registrations: no 无房证明")
    return f"截至{_today()}，在常州市不动产登记信息系统中未查询到{who}名下的不动产登记记录。"
