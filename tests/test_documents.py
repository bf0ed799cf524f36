"""A4 documents (ReportLab): text, pages, embedded font, verification QR on every page."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from printing import fonts
from printing.documents import (
    AccountTransaction,
    Certificate,
    Contribution,
    Enrolment,
    IssueInfo,
    MedicalStatement,
    Person,
    Statement,
    medical_statement,
    paginate,
    ss_certificate,
    ss_statement,
)

VERIFY_URL = "https://zwfw.example.gov.cn/verify?c=7K3Q9XPD"
ISSUE = IssueInfo("T-0001", datetime(2026, 11, 23, 14, 5, 9), "7K3Q-9XPD", VERIFY_URL,
                  "常州市人力资源和社会保障局")
PERSON = Person("张𠮷堃", "320402199001011234")
EMPLOYER = "常州犇腾科技有限公司"
RATES = {"养老": (D("0.08"), D("0.16")), "医疗": (D("0.02"), D("0.07")),
         "失业": (D("0.005"), D("0.005")), "工伤": (D(0), D("0.004")), "生育": (D(0), D("0.008"))}


def contributions(months: int) -> list[Contribution]:
    rows = []
    for m in range(months):
        month = f"{2021 + m // 12}-{m % 12 + 1:02d}"
        base = D("6500.00") + 100 * (m // 12)
        for kind, (p, e) in RATES.items():
            rows.append(Contribution(month, kind, base, (base * p).quantize(D("0.01")),
                                     (base * e).quantize(D("0.01"))))
    return rows


CERT = Certificate(PERSON, EMPLOYER, [
    Enrolment("养老", "参保缴费", "2015-07", 136), Enrolment("医疗", "参保缴费", "2015-07", 136),
    Enrolment("失业", "参保缴费", "2016-01", 130), Enrolment("工伤", "参保缴费", "2015-07"),
    Enrolment("生育", "暂停缴费", "2015-07"),
], ISSUE, region="常州市钟楼区", purpose="子女入学")
STATEMENT = Statement(PERSON, EMPLOYER, "2021-01 至 2025-12", contributions(60), ISSUE)
MEDICAL = MedicalStatement(
    PERSON, "32040200123456789", D("1234.56"), "2026-11-22", "2026-01 至 2026-11",
    [AccountTransaction(f"2026-{i % 11 + 1:02d}-{i % 27 + 1:02d}",
                        "支出" if i % 3 else "划入",
                        "𠮷祥大药房购药（医保个人账户支付，含处方药与非处方药）" if i % 3 == 2
                        else "常州市第一人民医院门诊统筹结算" if i % 3 else "单位缴费划入个人账户",
                        D("-35.50") if i % 3 else D("260.00"), D("1000") + i)
     for i in range(40)],
    ISSUE, region="常州市",
)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("pdf")
    out = {}
    for name, data in (("certificate", ss_certificate(CERT)),
                       ("statement", ss_statement(STATEMENT)),
                       ("medical", medical_statement(MEDICAL))):
        path = d / f"{name}.pdf"
        path.write_bytes(data)
        out[name] = path
    return out


def run(*cmd: str | Path) -> str:
    return subprocess.run([str(c) for c in cmd], check=True, capture_output=True,
                          text=True).stdout


def text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return run("pdftotext", *pages, pdf, "-")


def has(haystack: str, needle: str) -> bool:
    """pdftotext spacing between CJK and digits varies: compare without whitespace."""
    return re.sub(r"\s+", "", needle) in re.sub(r"\s+", "", haystack)


def page_count(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", pdf)).group(1))


def test_certificate_fields(pdfs):
    t = text(pdfs["certificate"])
    for expected in ("社会保险参保证明", "张𠮷堃", "3204**********1234", EMPLOYER, "常州市钟楼区",
                     "基本养老保险", "基本医疗保险", "失业保险", "工伤保险", "生育保险",
                     "参保缴费", "暂停缴费", "2015-07", "2016-01", "特此证明", "子女入学",
                     "验证码：7K3Q-9XPD", "终端编号：T-0001", "2026-11-23 14:05:09",
                     "第 1 页 共 1 页"):
        assert has(t, expected), expected
    assert "320402199001011234" not in t  # the ID number only appears masked
    assert page_count(pdfs["certificate"]) == 1


def test_statement_pages_totals_and_numbers(pdfs):
    pdf = pdfs["statement"]
    assert page_count(pdf) == 12  # 300 rows
    rows = STATEMENT.rows
    seen = 0
    run_p = D(0)
    for page in range(1, 13):
        t = text(pdf, page)
        assert has(t, f"第 {page} 页 共 12 页")
        assert "费款所属期" in t and "单位缴费（元）" in t  # header row repeated
        assert "验证码：7K3Q-9XPD" in t and "T-0001" in t
        n = int(re.search(r"本页小计\s+(\d+)\s*条", t).group(1))
        chunk = rows[seen:seen + n]
        assert chunk and f"\n{seen + 1}\n" in f"\n{t}"  # first row number of the page
        sub_p = sum((r.personal for r in chunk), D(0))
        run_p += sub_p
        seen += n
        assert f"{sub_p:,.2f}" in t and f"{run_p:,.2f}" in t
        assert ("合计" if page == 12 else "累计至本页") in t
    assert seen == len(rows)
    grand_e = sum((r.employer for r in rows), D(0))
    assert has(text(pdf, 12), f"共 {len(rows)} 条") and f"{grand_e:,.2f}" in text(pdf, 12)


def test_medical_statement(pdfs):
    t = text(pdfs["medical"])
    for expected in ("医疗保险个人账户明细", "1,234.56", "2026-11-22", "3204*********6789",
                     "单位缴费划入个人账户", "𠮷祥大药房", "260.00", "35.50", "合计", "共 40 笔",
                     "验证码：7K3Q-9XPD"):
        assert has(t, expected), expected
    pages = page_count(pdfs["medical"])
    assert pages == 2 and has(t, f"第 {pages} 页 共 {pages} 页")


def test_font_embedded_and_nothing_else(pdfs):
    for pdf in pdfs.values():
        listing = run("pdffonts", pdf).splitlines()[2:]
        assert listing, pdf
        for line in listing:
            assert "WenQuanYi" in line and re.search(r"\byes\s+yes\s+yes\b", line), line
        assert b"STSong" not in pdf.read_bytes()


def test_every_page_has_a_verification_qr(pdfs, artifacts):
    out = artifacts / "printing"
    out.mkdir(exist_ok=True)
    for name, pdf in pdfs.items():
        pages = page_count(pdf)
        for page in sorted({1, pages}):
            stem = out / f"{name}-p{page}"
            run("pdftoppm", "-r", "100", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                pdf, stem)
            with Image.open(f"{stem}.png") as img:
                assert [r.text for r in zxingcpp.read_barcodes(img)] == [VERIFY_URL]


def test_deterministic_bytes():
    assert ss_certificate(CERT) == ss_certificate(CERT)
    other = Certificate(**{**CERT.__dict__,
                           "issue": IssueInfo(**{**ISSUE.__dict__, "verification_code": "X"})})
    assert ss_certificate(other) != ss_certificate(CERT)


def test_paginate():
    assert paginate([10] * 5, 100) == [(0, 5)]
    assert paginate([10] * 25, 100, per_page=20) == [(0, 8), (8, 16), (16, 24), (24, 25)]
    # the last page's extra rows do not fit: its last row moves to a new page
    assert paginate([10] * 10, 100, last_extra=10) == [(0, 9), (9, 10)]
    assert paginate([], 100) == [(0, 0)]
    assert paginate([150, 10], 100) == [(0, 1), (1, 2)]


def test_missing_pdf_font_names_the_package(monkeypatch):
    monkeypatch.setenv("KIOSK_PDF_FONT", "/nonexistent/font.ttf")
    fonts.pdf_font_file.cache_clear()
    try:
        with pytest.raises(fonts.FontNotFoundError, match="fonts-wqy-microhei"):
            fonts.pdf_font_file()
    finally:
        monkeypatch.delenv("KIOSK_PDF_FONT")
        fonts.pdf_font_file.cache_clear()
    assert fonts.pdf_font_file().path.is_file()
