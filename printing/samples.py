"""Sample printouts from demo data: `kiosk print sample KIND --out FILE`.

The person is synthetic (a valid GB 11643 check digit, no real citizen); guide slips come from
the shipped catalog. Sample documents are what a technician prints to check a new terminal.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from printing.documents import (
    AccountTransaction,
    Certificate,
    Contribution,
    Enrolment,
    FundDeposit,
    IssueInfo,
    MedicalStatement,
    NoPropertyCertificate,
    Person,
    ProvidentFundStatement,
    RealEstateResult,
    Registration,
    Statement,
    medical_statement,
    no_property_certificate,
    provident_fund_statement,
    real_estate_result,
    ss_certificate,
    ss_statement,
)
from printing.escpos_text import PROFILE_80MM, PaperProfile
from printing.factory import profile_for
from printing.receipts import GuideSlip, Material, QueueTicket, guide_slip, queue_ticket

DOCUMENT_KINDS = ("ss-certificate", "ss-statement", "medical-statement", "provident-fund",
                  "real-estate", "no-property")
RECEIPT_KINDS = ("guide-slip", "queue-ticket")
KINDS = DOCUMENT_KINDS + RECEIPT_KINDS

SAMPLE_TIME = datetime(2026, 11, 23, 14, 5, 9)
VERIFY_BASE = "https://zwfw.example.gov.cn/verify/"
PERSON = Person("王秀英", "32040219580315222X")  # synthetic; check digit valid
EMPLOYER = "常州经开区示例科技有限公司"
RATES = {"养老": (Decimal("0.08"), Decimal("0.16")), "医疗": (Decimal("0.02"), Decimal("0.07")),
         "失业": (Decimal("0.005"), Decimal("0.005")), "工伤": (Decimal("0"), Decimal("0.004")),
         "生育": (Decimal("0"), Decimal("0.008"))}


def _issue(code: str, issuer: str = "人力资源和社会保障局") -> IssueInfo:
    return IssueInfo("DEMO-0001", SAMPLE_TIME, code, VERIFY_BASE + code.replace("-", ""),
                     issuer)


def _deposits(months: int) -> list[FundDeposit]:
    rows, balance = [], Decimal("86420.00")
    for m in range(months):
        year, month = 2025 + m // 12, m % 12 + 1
        part = (Decimal(7800 + 400 * (m // 12)) * Decimal("0.12")).quantize(Decimal("0.01"))
        balance += 2 * part
        rows.append(FundDeposit(f"{year}-{month:02d}", part, part, 2 * part, balance))
    return rows


REGISTRATIONS = [
    Registration("苏(2019)常州市不动产权第0123456号", "320402015039GB20922F00182802",
                 "常州市天宁区龙锦路39号18幢2单元2802室", "住宅", Decimal("109.52"),
                 "国有建设用地使用权/房屋所有权", "共同共有", "2019-05-12", mortgaged=True),
    Registration("常房权证新字第00765432号", "320411007012GB00345F00030101",
                 "常州市新北区河海街道太湖东路与龙锦路交叉口西北侧示例花园商业综合体地下一层"
                 "非机动车库及配套用房B区017号", "车库", Decimal("15.30"),
                 "国有建设用地使用权/房屋所有权", "单独所有", "2014-09-30"),
]


def _contributions(months: int) -> list[Contribution]:
    rows = []
    for m in range(months):
        year, month = 2021 + m // 12, m % 12 + 1
        base = Decimal(6000 + 300 * (m // 12))
        for kind, (p, e) in RATES.items():
            rows.append(Contribution(f"{year}-{month:02d}", kind, base,
                                     (base * p).quantize(Decimal("0.01")),
                                     (base * e).quantize(Decimal("0.01"))))
    return rows


def sample_document(kind: str) -> bytes:
    if kind == "ss-certificate":
        return ss_certificate(Certificate(PERSON, EMPLOYER, [
            Enrolment(k, "参保缴费", "2021-01", 59) for k in RATES], _issue("7K3Q-9XPD-2M4N-8WRT"),
            region="常州市经开区", purpose="个人留存"))
    if kind == "ss-statement":
        return ss_statement(Statement(PERSON, EMPLOYER, "2021-01 至 2025-12", _contributions(60),
                                      _issue("4HJK-7MPQ-3RTV-9WXY")))
    if kind == "medical-statement":
        balance = Decimal("3280.55")
        tx = []
        for day in range(1, 41):
            amount = Decimal("245.60") if day % 10 == 1 else Decimal(f"-{20 + day * 3}.50")
            balance += amount
            tx.append(AccountTransaction(f"2026-{1 + day // 5:02d}-{1 + day % 28:02d}",
                                         "划入" if amount > 0 else "支出",
                                         "单位缴费划入" if amount > 0 else "定点药店购药", amount, balance))
        return medical_statement(MedicalStatement(PERSON, "320400123456789", balance, "2026-11-22",
                                                  "2026-01 至 2026-11", tx, _issue("2ABC-5DEF-8GHJ-3KMN"),
                                                  region="常州市"))
    if kind == "provident-fund":
        deposits = _deposits(23)
        return provident_fund_statement(ProvidentFundStatement(
            PERSON, "GJJ104000006151", "正常", EMPLOYER, Decimal("8200.00"), 12, 12,
            deposits[-1].balance, "2026-11-22", "2018-03", "2025-01 至 2026-11", deposits,
            _issue("6PQR-3STU-9VWX-2YZA", "住房公积金管理中心")))
    if kind == "real-estate":
        return real_estate_result(RealEstateResult(
            PERSON, REGISTRATIONS, "2026年11月23日", _issue("8BCD-4EFG-7HJK-5LMN", "不动产登记中心")))
    if kind == "no-property":
        return no_property_certificate(NoPropertyCertificate(
            PERSON, "2026年11月23日", _issue("3NPQ-8RST-2UVW-6XYZ", "不动产登记中心")))
    raise KeyError(kind)


def sample_receipt(kind: str, profile: PaperProfile = PROFILE_80MM, guide=None) -> bytes:
    if kind == "guide-slip":
        if guide is None:
            raise ValueError("a guide slip needs a guide from the catalog")
        return guide_slip(GuideSlip(
            item_name=guide.item.name, department=guide.item.department_name,
            materials=[Material(m.name, m.originals, m.copies, m.note) for m in guide.materials],
            place=guide.place, window=guide.window,
            time_limit=guide.handling_type, guide_url=guide.online_url,
            terminal_id="DEMO-0001", printed_at=SAMPLE_TIME, hours=guide.hours, phone=guide.phone,
        ), profile)
    if kind == "queue-ticket":
        return queue_ticket(QueueTicket("A023", "社保业务", 4, SAMPLE_TIME, "DEMO-0001",
                                        "https://zwfw.example.gov.cn/queue/A023",
                                        hall="政务服务中心一楼大厅"), profile)
    raise KeyError(kind)


def write_sample(kind: str, out: Path, *, paper_mm: int = 80, guide=None) -> list[Path]:
    """Write the sample; receipts as PNG (through the virtual printer's renderer) with the raw
    ESC/POS bytes beside it (`.bin`). Returns the files written."""
    from printing.virtual_printer import render_receipt

    out.parent.mkdir(parents=True, exist_ok=True)
    if kind in DOCUMENT_KINDS:
        out.write_bytes(sample_document(kind))
        return [out]
    profile = profile_for(paper_mm)
    data = sample_receipt(kind, profile, guide)
    raw = out.with_suffix(".bin")
    raw.write_bytes(data)
    render_receipt(data, profile.width_dots).save(out)
    return [out, raw]
