"""A4 documents as PDF bytes (ReportLab): 社会保险参保证明, 缴费明细, 医保个人账户.

- The CJK font (WenQuanYi Micro Hei, TrueType) is embedded as a subset; no unembedded font is
  referenced at all (the canvas starts with it instead of Helvetica).
- A character the embedded font lacks (CJK Extension B and beyond, e.g. U+20BB7 in a name) is
  drawn as a small high-resolution image of its Noto Sans CJK SC glyph, so the paper is right,
  over an invisible space carrying the character as /ActualText, so copy and search find it.
- Pages are laid out here, not by platypus: rows are measured first, so the page count is known
  before drawing (第 x 页 共 y 页) and the statement's per-page subtotals are exact.
- Every page carries the issuer, terminal id, time of issue, verification code and a QR code of
  the verification URL. Output is byte-for-byte deterministic (invariant=1, no clock read).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printing import mask_middle
from printing.escpos_text import NO_LINE_END, NO_LINE_START
from printing.fonts import pdf_font_covers, receipt_font, register_pdf_font
from printing.qr import qr_image

PAGE_W, PAGE_H = A4
MARGIN = 50.0
CONTENT_W = PAGE_W - 2 * MARGIN
FOOTER_TOP = 150.0  # the footer (issuer, terminal, code, QR, page number) lives below this
QR_SIZE = 90.0
ROW_H = 17.0
HEADER_ROW_H = 20.0
CELL_SIZE = 9.5
CELL_PAD = 4.0
INSURANCE_TYPES = ("养老", "医疗", "失业", "工伤", "生育")


# =========================================================================== inputs


@dataclass(frozen=True)
class IssueInfo:
    """What every page carries so the paper can be checked later."""

    terminal_id: str
    issued_at: datetime
    verification_code: str
    verification_url: str
    issuer: str = "人力资源和社会保障局"


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str  # printed masked (first 6, last 4)


@dataclass(frozen=True)
class Enrolment:
    insurance: str  # 养老 / 医疗 / 失业 / 工伤 / 生育 (or a full name: 职工基本养老保险)
    status: str  # 参保缴费 / 暂停缴费 / 终止参保
    start_month: str  # 2015-07
    months_paid: int | None = None


@dataclass(frozen=True)
class Certificate:
    person: Person
    employer: str
    enrolments: Sequence[Enrolment]
    issue: IssueInfo
    region: str = ""  # 参保地
    purpose: str = ""  # 用途, as the citizen chose it


@dataclass(frozen=True)
class Contribution:
    month: str  # 2025-01
    insurance: str
    base: Decimal
    personal: Decimal
    employer: Decimal


@dataclass(frozen=True)
class Statement:
    person: Person
    employer: str
    period: str  # 2021-01 至 2025-12
    rows: Sequence[Contribution]
    issue: IssueInfo


@dataclass(frozen=True)
class AccountTransaction:
    date: str  # 2026-03-02
    kind: str  # 划入 / 支出
    description: str  # 单位缴费划入 / 某某大药房购药
    amount: Decimal  # positive in, negative out
    balance: Decimal  # after the transaction


@dataclass(frozen=True)
class MedicalStatement:
    person: Person
    account_no: str  # printed masked
    balance: Decimal
    balance_date: str
    period: str
    transactions: Sequence[AccountTransaction]
    issue: IssueInfo
    region: str = ""


# =========================================================================== text


def _font() -> str:
    return register_pdf_font()


@lru_cache(maxsize=8192)
def _em(ch: str) -> float:
    """Advance width of a character in ems (1.0 for fallback glyphs)."""
    return stringWidth(ch, _font(), 1000) / 1000 if pdf_font_covers(ch) else 1.0


def text_width(text: str, size: float) -> float:
    return sum(map(_em, text)) * size


@lru_cache(maxsize=256)
def _fallback_glyph(ch: str) -> ImageReader:
    """A character the PDF font lacks, drawn with Noto Sans CJK SC: 96 px em box, black with
    alpha, baseline at 0.88 em (the ideographic em box spans -0.12 to 0.88 em)."""
    px = 96
    mask = Image.new("L", (px, px), 0)
    ImageDraw.Draw(mask).text((0, round(px * 0.88)), ch, font=receipt_font(px), fill=255,
                              anchor="ls")
    img = Image.new("RGBA", (px, px), (0, 0, 0, 0))
    img.putalpha(mask)
    return ImageReader(img)


def draw_text(c: Canvas, x: float, y: float, text: str, size: float,
              align: str = "left") -> float:
    """Draw one line at baseline y; x is the left, centre or right edge per align. Characters
    the embedded font lacks are drawn as glyph images. Returns the width drawn."""
    width = text_width(text, size)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    f = _font()
    run = ""
    for ch in text + "\0":
        if ch != "\0" and pdf_font_covers(ch):
            run += ch
            continue
        if run:
            c.setFont(f, size)
            c.drawString(x, y, run)
            x += stringWidth(run, f, size)
            run = ""
        if ch != "\0":
            _draw_fallback(c, x, y, ch, size)
            x += size
    return width


def _draw_fallback(c: Canvas, x: float, y: float, ch: str, size: float) -> None:
    """The glyph image, plus an invisible space one em wide marked with ActualText, so text
    extraction and search still find the character."""
    f = _font()
    utf16 = "FEFF" + ch.encode("utf-16-be").hex().upper()
    c.addLiteral(f"/Span <</ActualText <{utf16}>>> BDC")
    t = c.beginText(x, y)
    t.setFont(f, size)
    t.setTextRenderMode(3)  # invisible
    t.setHorizScale(100 * size / stringWidth(" ", f, size))
    t.textOut(" ")
    t.setTextRenderMode(0)  # Tr and Tz outlive the text object: restore them
    t.setHorizScale(100)
    c.drawText(t)
    c.addLiteral("EMC")
    c.drawImage(_fallback_glyph(ch), x, y - 0.12 * size, size, size, mask="auto")


def wrap_width(text: str, size: float, max_width: float) -> list[str]:
    """Greedy wrap to a width in points; never splits a character, keeps closing punctuation
    off the start of a line and opening punctuation off its end."""
    lines: list[str] = []
    limit = max_width / size  # in ems
    for para in text.split("\n"):
        line, width = "", 0.0
        for ch in para:
            w = _em(ch)
            if not line or width + w <= limit:
                line += ch
                width += w
                continue
            carry = ""
            if ch in NO_LINE_START and len(line) > 1:
                carry, line = line[-1], line[:-1]
            while len(line) > 1 and line[-1] in NO_LINE_END:
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line.rstrip())
            line = (carry + ch).lstrip(" ")
            width = sum(map(_em, line))
        lines.append(line)
    return lines


def money(d: Decimal) -> str:
    return f"{d:,.2f}"


# =========================================================================== tables


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # points
    align: str = "left"


@dataclass
class _Row:
    cells: list[list[str]]  # wrapped lines per cell
    height: float
    shade: bool = False


def _row(cols: Sequence[Column], values: Sequence[str], shade: bool = False) -> _Row:
    cells = [wrap_width(v, CELL_SIZE, col.width - 2 * CELL_PAD) for col, v in zip(cols, values)]
    lines = max(len(c) for c in cells)
    return _Row(cells, ROW_H + (lines - 1) * (CELL_SIZE * 1.3), shade)


def _draw_table(c: Canvas, top: float, cols: Sequence[Column], rows: Sequence[_Row]) -> float:
    """Header row plus rows, from `top` down; returns the y below the table."""
    x0 = MARGIN
    xs = [x0]
    for col in cols:
        xs.append(xs[-1] + col.width)
    y = top
    c.setFillGray(0.9)
    c.rect(x0, y - HEADER_ROW_H, xs[-1] - x0, HEADER_ROW_H, stroke=0, fill=1)
    c.setFillGray(0)
    for i, col in enumerate(cols):
        draw_text(c, (xs[i] + xs[i + 1]) / 2, y - HEADER_ROW_H + 6.5, col.title, CELL_SIZE,
                  "center")
    y -= HEADER_ROW_H
    c.setLineWidth(0.4)
    for row in rows:
        if row.shade:
            c.setFillGray(0.95)
            c.rect(x0, y - row.height, xs[-1] - x0, row.height, stroke=0, fill=1)
            c.setFillGray(0)
        for i, (col, lines) in enumerate(zip(cols, row.cells)):
            for k, ln in enumerate(lines):
                by = y - 12 - k * CELL_SIZE * 1.3
                if col.align == "right":
                    draw_text(c, xs[i + 1] - CELL_PAD, by, ln, CELL_SIZE, "right")
                elif col.align == "center":
                    draw_text(c, (xs[i] + xs[i + 1]) / 2, by, ln, CELL_SIZE, "center")
                else:
                    draw_text(c, xs[i] + CELL_PAD, by, ln, CELL_SIZE)
        y -= row.height
        c.line(x0, y, xs[-1], y)
    c.setLineWidth(0.8)
    c.rect(x0, y, xs[-1] - x0, top - y, stroke=1, fill=0)
    c.setLineWidth(0.4)
    for x in xs[1:-1]:
        c.line(x, top, x, y)
    return y


def paginate(heights: Sequence[float], avail: float, per_page: float = 0.0,
             last_extra: float = 0.0) -> list[tuple[int, int]]:
    """Split rows into pages: each page holds rows plus `per_page` points of summary rows,
    the last page also `last_extra`. Returns (start, end) row ranges; at least one page."""
    n = len(heights)
    pages: list[tuple[int, int]] = []
    i = 0
    while True:
        start, used = i, 0.0
        while i < n and used + heights[i] <= avail - per_page:
            used += heights[i]
            i += 1
        if i == start and i < n:  # a row taller than a page: give it a page of its own
            i += 1
        if i == n:
            while i - start > 1 and used + last_extra > avail - per_page:
                i -= 1
                used -= heights[i]
            pages.append((start, i))
            if i == n:
                return pages
        else:
            pages.append((start, i))


# =========================================================================== page frame


def _header(c: Canvas, title: str, info: Sequence[tuple[str, str]]) -> float:
    """Title and the label/value block; returns the y where content may start."""
    draw_text(c, PAGE_W / 2, PAGE_H - 78, title, 18, "center")
    c.setLineWidth(1.2)
    c.line(MARGIN, PAGE_H - 92, PAGE_W - MARGIN, PAGE_H - 92)
    y = PAGE_H - 114
    half = CONTENT_W / 2
    for i, (label, value) in enumerate(info):
        x = MARGIN + (half if i % 2 else 0)
        w = draw_text(c, x, y, f"{label}：", 10.5)
        draw_text(c, x + w, y, value, 10.5)
        if i % 2:
            y -= 18
    if len(info) % 2:
        y -= 18
    return y - 6


def _footer(c: Canvas, issue: IssueInfo, qr: ImageReader, page: int, pages: int) -> None:
    c.setLineWidth(0.6)
    c.line(MARGIN, FOOTER_TOP, PAGE_W - MARGIN, FOOTER_TOP)
    qx = PAGE_W - MARGIN - QR_SIZE
    qy = FOOTER_TOP - 8 - QR_SIZE
    c.drawImage(qr, qx, qy, QR_SIZE, QR_SIZE)
    draw_text(c, qx + QR_SIZE / 2, qy - 10, "扫码核验", 8, "center")
    left_w = qx - MARGIN - 12
    y = FOOTER_TOP - 20
    lines = [
        f"出具机构：{issue.issuer}",
        f"终端编号：{issue.terminal_id}    打印时间：{issue.issued_at:%Y-%m-%d %H:%M:%S}",
        f"验证码：{issue.verification_code}",
    ]
    for ln in lines:
        draw_text(c, MARGIN, y, ln, 10 if ln.startswith("验证码") else 9)
        y -= 15
    hint = (f"核验方式：扫描右侧二维码，或访问 {issue.verification_url} 输入验证码，"
            "核对本页内容与系统记录是否一致。")
    for ln in wrap_width(hint, 8, left_w):
        draw_text(c, MARGIN, y, ln, 8)
        y -= 11
    draw_text(c, PAGE_W / 2, 28, f"第 {page} 页 共 {pages} 页", 9, "center")


def _render(title: str, issue: IssueInfo,
            pages: Sequence[Callable[[Canvas], None]], subject: str) -> bytes:
    font = _font()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, initialFontName=font, initialFontSize=10,
               pageCompression=1)
    c.setTitle(title)
    c.setSubject(subject)
    c.setCreator("gov-kiosk printing")
    c.setAuthor(issue.issuer)
    qr = ImageReader(qr_image(issue.verification_url, box_size=8, border=2, ec="M")
                     .convert("L"))
    for n, draw in enumerate(pages, start=1):
        c.setFont(font, 10)
        draw(c)
        _footer(c, issue, qr, n, len(pages))
        c.showPage()
    c.save()
    return buf.getvalue()


def _person_info(p: Person) -> list[tuple[str, str]]:
    return [("姓名", p.name), ("公民身份号码", mask_middle(p.id_number, 6, 4))]


# =========================================================================== documents


def ss_certificate(cert: Certificate) -> bytes:
    """社会保险参保证明: enrolment per insurance type with status and start month. One page."""
    cols = [Column("险种", 130, "center"), Column("参保状态", 120, "center"),
            Column("参保起始年月", 125, "center"), Column("累计缴费月数", CONTENT_W - 375, "center")]
    rows = [_row(cols, [_insurance_name(e.insurance), e.status, e.start_month,
                        "—" if e.months_paid is None else str(e.months_paid)])
            for e in cert.enrolments]
    info = _person_info(cert.person) + [("参保单位", cert.employer)]
    if cert.region:
        info.append(("参保地", cert.region))

    def page(c: Canvas) -> None:
        y = _header(c, "社会保险参保证明", info)
        intro = (f"兹证明 {cert.person.name}（公民身份号码 "
                 f"{mask_middle(cert.person.id_number, 6, 4)}）在本统筹区参加社会保险，"
                 "截至打印之日参保情况如下：")
        for ln in wrap_width(intro, 11, CONTENT_W):
            draw_text(c, MARGIN, y - 8, ln, 11)
            y -= 18
        y = _draw_table(c, y - 10, cols, rows) - 24
        notes = ["特此证明。"]
        if cert.purpose:
            notes.append(f"用途：{cert.purpose}")
        for ln in notes:
            draw_text(c, MARGIN, y, ln, 11)
            y -= 20
        draw_text(c, PAGE_W - MARGIN, y - 10, cert.issue.issuer, 11, "right")
        draw_text(c, PAGE_W - MARGIN, y - 30, f"{cert.issue.issued_at:%Y年%m月%d日}", 11,
                  "right")
        small = ["说明：1. 本证明由自助终端打印，与窗口出具的证明具有同等效力。",
                 "2. 本证明自打印之日起三个月内有效，可凭验证码核验真伪。"]
        y = FOOTER_TOP + 30
        for ln in small:
            draw_text(c, MARGIN, y, ln, 8.5)
            y -= 13

    return _render("社会保险参保证明", cert.issue, [page], "ss_certificate")


def _insurance_name(short: str) -> str:
    full = {"养老": "基本养老保险", "医疗": "基本医疗保险", "失业": "失业保险",
            "工伤": "工伤保险", "生育": "生育保险"}
    return full.get(short, short)


STATEMENT_COLUMNS = [
    Column("序号", 40, "center"), Column("费款所属期", 72, "center"),
    Column("险种", 92, "center"), Column("缴费基数（元）", 97, "right"),
    Column("个人缴费（元）", 97, "right"), Column("单位缴费（元）", CONTENT_W - 398, "right"),
]


def ss_statement(st: Statement) -> bytes:
    """缴费明细: one row per month and insurance type; each page repeats the header row and ends
    with the page subtotal and the running total, the last page with the grand total."""
    cols = STATEMENT_COLUMNS
    rows = [_row(cols, [str(i), r.month, _insurance_name(r.insurance), money(r.base),
                        money(r.personal), money(r.employer)])
            for i, r in enumerate(st.rows, start=1)]
    info = _person_info(st.person) + [("参保单位", st.employer), ("查询期间", st.period)]
    top = _probe_header(info)
    ranges = paginate([r.height for r in rows], top - (FOOTER_TOP + 12) - HEADER_ROW_H,
                      per_page=2 * ROW_H)
    pages = []
    run_p = run_e = Decimal(0)
    for start, end in ranges:
        chunk = st.rows[start:end]
        sub_p = sum((r.personal for r in chunk), Decimal(0))
        sub_e = sum((r.employer for r in chunk), Decimal(0))
        run_p += sub_p
        run_e += sub_e
        last = end == len(rows)
        summary = [
            _row(cols, ["", "本页小计", f"{end - start} 条", "", money(sub_p), money(sub_e)], True),
            _row(cols, ["", "合计" if last else "累计至本页", f"共 {end} 条", "",
                        money(run_p), money(run_e)], True),
        ]
        pages.append(_table_page("社会保险个人缴费明细", info, cols, rows[start:end] + summary))
    return _render("社会保险个人缴费明细", st.issue, pages, "ss_statement")


def _probe_header(info: Sequence[tuple[str, str]]) -> float:
    """Where the table starts below a header with this info block (same arithmetic)."""
    lines = (len(info) + 1) // 2
    return PAGE_H - 114 - 18 * lines - 6 - 8


def _table_page(title: str, info: Sequence[tuple[str, str]], cols: Sequence[Column],
                rows: Sequence[_Row]) -> Callable[[Canvas], None]:
    def page(c: Canvas) -> None:
        y = _header(c, title, info)
        _draw_table(c, y - 8, cols, rows)

    return page


MEDICAL_COLUMNS = [
    Column("日期", 72, "center"), Column("类别", 44, "center"), Column("摘要", 170),
    Column("收入（元）", 70, "right"), Column("支出（元）", 70, "right"),
    Column("余额（元）", CONTENT_W - 426, "right"),
]


def medical_statement(ms: MedicalStatement) -> bytes:
    """医保个人账户: balance, then the transactions of the period, totals on the last page."""
    cols = MEDICAL_COLUMNS
    rows = []
    total_in = total_out = Decimal(0)
    for t in ms.transactions:
        inc = t.amount if t.amount > 0 else Decimal(0)
        out = -t.amount if t.amount < 0 else Decimal(0)
        total_in += inc
        total_out += out
        rows.append(_row(cols, [t.date, t.kind, t.description, money(inc) if inc else "",
                                money(out) if out else "", money(t.balance)]))
    info = _person_info(ms.person) + [
        ("个人账户", mask_middle(ms.account_no, 4, 4)),
        ("账户余额", f"{money(ms.balance)} 元（截至 {ms.balance_date}）"),
        ("查询期间", ms.period),
    ]
    if ms.region:
        info.append(("参保地", ms.region))
    if not rows:
        rows.append(_row(cols, ["", "", "本期无交易记录", "", "", ""]))
    total = _row(cols, ["", "合计", f"共 {len(ms.transactions)} 笔", money(total_in),
                        money(total_out), money(ms.balance)], True)
    top = _probe_header(info)
    ranges = paginate([r.height for r in rows], top - (FOOTER_TOP + 12) - HEADER_ROW_H,
                      last_extra=total.height)
    pages = [_table_page("医疗保险个人账户明细", info, cols,
                         rows[s:e] + ([total] if e == len(rows) else []))
             for s, e in ranges]
    return _render("医疗保险个人账户明细", ms.issue, pages, "medical_statement")


__all__ = [
    "AccountTransaction", "Certificate", "Column", "Contribution", "Enrolment", "INSURANCE_TYPES",
    "IssueInfo", "MedicalStatement", "Person", "Statement", "draw_text", "medical_statement",
    "paginate", "ss_certificate", "ss_statement", "text_width", "wrap_width",
]
