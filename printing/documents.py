"""A4 documents as PDF bytes (ReportLab): 社会保险参保证明, 缴费明细, 医保个人账户, 住房公积金缴存证明,
不动产登记信息查询结果, 无房产登记证明.

- The CJK font (WenQuanYi Micro Hei, TrueType) is embedded as a subset; no unembedded font is
  referenced at all (the canvas starts with it instead of Helvetica).
- A character the embedded font lacks (CJK Extension B and beyond, e.g. U+20BB7 in a name) is
  drawn as a small high-resolution image of its Noto Sans CJK SC glyph, so the paper is right,
  over an invisible space carrying the character as /ActualText, so copy and search find it.
- Pages are laid out here, not by platypus: rows are measured first, so the page count is known
  before drawing (第 x 页 共 y 页) and the statement's per-page subtotals are exact.
- Every page carries the issuer, terminal id, time of issue, verification code and a QR code of
  the verification URL. Output is byte-for-byte deterministic (invariant=1, no clock read).
- A draft (`IssueInfo.draft`, the on-screen preview before the backend issued the document)
  carries a diagonal 样张 watermark on every page and a placeholder instead of the QR code, so
  a photographed preview is never mistaken for the document.
- ID numbers are printed masked 4+4 (3204**********1230) by `protocol.mask_id_number`, the
  helper the screens use too, so the screen and the paper show the same mask; a value the
  backend already masked is printed as it is.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
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
from protocol import mask_id_number

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
    draft: bool = False  # a preview: watermark, no QR code (verification_code says so)


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str  # printed masked (first 4, last 4); an already masked value as it is

    @property
    def masked_id(self) -> str:
        return masked_id(self.id_number)


def masked_id(id_number: str) -> str:
    """The ID number as printed. The protocol's records carry it already masked
    (3204**********1230): printed unchanged. A full number is masked by
    `protocol.mask_id_number`, as on the screen."""
    if "*" in id_number:
        return id_number
    return mask_id_number(id_number)


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
    title: str = "社会保险参保证明"  # 医疗保险参保凭证 prints the medical enrolment only
    scope: str = "社会保险"  # what the holder takes part in, for the opening sentence


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
    scope: str = ""  # 险种 when the statement is for one insurance type only


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


@dataclass(frozen=True)
class FundDeposit:
    month: str  # 2025-01
    personal: Decimal
    employer: Decimal
    total: Decimal
    balance: Decimal  # after the deposit


@dataclass(frozen=True)
class ProvidentFundStatement:
    person: Person
    account_no: str  # printed masked
    status: str  # 正常 / 封存 / 销户
    employer: str
    base: Decimal
    personal_rate: int  # percent
    employer_rate: int  # percent
    balance: Decimal
    balance_date: str
    opened_month: str
    period: str  # 2025-01 至 2025-12
    deposits: Sequence[FundDeposit]  # oldest first
    issue: IssueInfo


@dataclass(frozen=True)
class Registration:
    certificate_no: str  # 不动产权证书号
    unit_no: str  # 不动产单元号
    location: str  # 坐落
    usage: str  # 用途
    area_m2: Decimal
    right_type: str  # 权利类型
    share: str  # 共有情况
    registered_on: str  # 2019-05-12
    mortgaged: bool = False
    sealed: bool = False  # 查封


@dataclass(frozen=True)
class RealEstateResult:
    person: Person
    registrations: Sequence[Registration]
    as_of: str  # 2026年11月23日
    issue: IssueInfo


@dataclass(frozen=True)
class NoPropertyCertificate:
    person: Person
    as_of: str  # 2026年11月23日
    issue: IssueInfo


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


# -- the citizen's language (issue 12): a Traditional Chinese citizen gets every character in
# Traditional (OpenCC s2tw, as on screen); an English one gets the title in English under the
# Chinese one (the document itself is an official Chinese certificate)

_LANGUAGE = ContextVar("document_language", default="zh_CN")

TITLES_EN = {
    "社会保险参保证明": "Certificate of Social Insurance Enrolment",
    "社会保险个人缴费明细": "Statement of Social Insurance Contributions",
    "医疗保险个人账户明细": "Medical Insurance Personal Account Statement",
    "住房公积金缴存证明": "Certificate of Housing Provident Fund Deposits",
    "不动产登记信息查询结果": "Real Estate Registration Query Result",
    "无房产登记证明": "Certificate of No Registered Real Estate",
}


@contextmanager
def in_language(language: str):
    """Documents rendered inside this block are in `language` (zh_CN, zh_TW, en)."""
    token = _LANGUAGE.set(language)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def draw_text(c: Canvas, x: float, y: float, text: str, size: float,
              align: str = "left") -> float:
    """Draw one line at baseline y; x is the left, centre or right edge per align. Characters
    the embedded font lacks are drawn as glyph images. Returns the width drawn."""
    if _LANGUAGE.get() == "zh_TW":
        from kiosk.language import to_traditional

        text = to_traditional(text)
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


_TOKENS = re.compile(r"[\x21-\x7e]+| |.", re.DOTALL)  # a Latin word, a space, a character
_TRAILING_WORD = re.compile(r"[\x21-\x7e]+$")


def _ems(text: str) -> float:
    return sum(map(_em, text))


def wrap_width(text: str, size: float, max_width: float) -> list[str]:
    """Greedy wrap to a width in points; never splits a character, keeps a run of Latin
    letters, digits and signs together when it fits on a line (a masked ID number, an amount,
    a URL: a reader must not join 3204 and ******2469 across lines), keeps closing punctuation
    off the start of a line and opening punctuation off its end."""
    lines: list[str] = []
    limit = max_width / size  # in ems
    for para in text.split("\n"):
        lines.extend(_wrap_para(para, limit))
    return lines


def _wrap_para(para: str, limit: float) -> list[str]:
    lines: list[str] = []
    line, width = "", 0.0
    for tok in _TOKENS.findall(para):
        tw = _ems(tok)
        if width + tw <= limit or (not line and len(tok) == 1):
            line += tok
            width += tw
            continue
        if tok == " ":
            lines.append(line.rstrip())
            line, width = "", 0.0
            continue
        if len(tok) > 1 and tw > limit:  # a word longer than a line: split it by characters
            for ch in tok:
                w = _em(ch)
                if line and width + w > limit:
                    lines.append(line.rstrip())
                    line, width = "", 0.0
                line += ch
                width += w
            continue
        # the token starts a new line; move characters down so the punctuation rules hold
        carry = ""
        if tok[0] in NO_LINE_START and len(line) > 1:
            word = _TRAILING_WORD.search(line)  # carry a word whole, not its last character
            cut = word.start() if word and word.start() > 0 else len(line) - 1
            carry, line = line[cut:], line[:cut]
        while len(line) > 1 and line[-1] in NO_LINE_END:
            carry, line = line[-1] + carry, line[:-1]
        lines.append(line.rstrip())
        line = (carry + tok).lstrip(" ")
        width = _ems(line)
        if width > limit and carry:  # what was carried made it too long: give up the rule
            lines.append(carry.lstrip(" "))
            line, width = tok, tw
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


INFO_SIZE = 10.5
INFO_ROW_H = 18.0
INFO_LINE_H = 14.0


def _info_rows(info: Sequence[tuple[str, str]]) -> list[list[tuple[float, str, list[str]]]]:
    """The label/value block laid out: two items to a line; an item too wide for half the line
    (a long employer name) gets the whole line, wrapped under its value if need be, so it never
    runs into its neighbour. Each row: (x, label, value lines) per item."""
    half = CONTENT_W / 2
    rows: list[list[tuple[float, str, list[str]]]] = []
    left: tuple[float, str, list[str]] | None = None
    for label, value in info:
        label_w = text_width(f"{label}：", INFO_SIZE)
        if label_w + text_width(value, INFO_SIZE) <= half - 8:
            if left is None:
                left = (MARGIN, label, [value])
            else:
                rows.append([left, (MARGIN + half, label, [value])])
                left = None
            continue
        if left is not None:
            rows.append([left])
            left = None
        rows.append([(MARGIN, label, wrap_width(value, INFO_SIZE, CONTENT_W - label_w))])
    if left is not None:
        rows.append([left])
    return rows


def _info_row_height(row: Sequence[tuple[float, str, list[str]]]) -> float:
    return INFO_ROW_H + (max(len(lines) for _, _, lines in row) - 1) * INFO_LINE_H


def _header(c: Canvas, title: str, info: Sequence[tuple[str, str]]) -> float:
    """Title and the label/value block; returns the y where content may start."""
    english = TITLES_EN.get(title) if _LANGUAGE.get() == "en" else None
    if english:
        draw_text(c, PAGE_W / 2, PAGE_H - 70, title, 18, "center")
        draw_text(c, PAGE_W / 2, PAGE_H - 86, english, 9, "center")
    else:
        draw_text(c, PAGE_W / 2, PAGE_H - 78, title, 18, "center")
    c.setLineWidth(1.2)
    c.line(MARGIN, PAGE_H - 92, PAGE_W - MARGIN, PAGE_H - 92)
    y = PAGE_H - 114
    for row in _info_rows(info):
        for x, label, lines in row:
            w = draw_text(c, x, y, f"{label}：", INFO_SIZE)
            for k, ln in enumerate(lines):
                draw_text(c, x + w, y - k * INFO_LINE_H, ln, INFO_SIZE)
        y -= _info_row_height(row)
    return y - 6


WATERMARK = "样张 仅供预览"
DRAFT_HINT = "样张仅供核对内容，不能作为证明使用；正式文件在打印时生成验证码和核验二维码。"


def _footer(c: Canvas, issue: IssueInfo, qr: ImageReader | None, page: int,
            pages: int) -> None:
    c.setLineWidth(0.6)
    c.line(MARGIN, FOOTER_TOP, PAGE_W - MARGIN, FOOTER_TOP)
    qx = PAGE_W - MARGIN - QR_SIZE
    qy = FOOTER_TOP - 8 - QR_SIZE
    if qr is not None:
        c.drawImage(qr, qx, qy, QR_SIZE, QR_SIZE)
        draw_text(c, qx + QR_SIZE / 2, qy - 10, "扫码核验", 8, "center")
    else:  # a draft: an empty dashed box where the code will be, nothing a phone could scan
        c.setDash(4, 3)
        c.rect(qx, qy, QR_SIZE, QR_SIZE, stroke=1, fill=0)
        c.setDash()
        draw_text(c, qx + QR_SIZE / 2, qy + QR_SIZE / 2 + 4, "二维码", 9, "center")
        draw_text(c, qx + QR_SIZE / 2, qy + QR_SIZE / 2 - 10, "打印时生成", 9, "center")
        draw_text(c, qx + QR_SIZE / 2, qy - 10, "样张无二维码", 8, "center")
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
    hint = DRAFT_HINT if issue.draft else (
        f"核验方式：扫描右侧二维码，或访问 {issue.verification_url} 输入验证码，"
        "核对本页内容与系统记录是否一致。")
    for ln in wrap_width(hint, 8, left_w):
        draw_text(c, MARGIN, y, ln, 8)
        y -= 11
    draw_text(c, PAGE_W / 2, 28, f"第 {page} 页 共 {pages} 页", 9, "center")


def _watermark(c: Canvas) -> None:
    """样张 across the page, over the content but translucent so the content stays readable;
    three times, so any part of the page photographed alone still carries it."""
    c.saveState()
    c.setFillColorRGB(0.75, 0.1, 0.1, alpha=0.22)
    for cy, size in ((PAGE_H * 0.5, 64), (PAGE_H * 0.8, 36), (PAGE_H * 0.22, 36)):
        c.saveState()
        c.translate(PAGE_W / 2, cy)
        c.rotate(35)
        draw_text(c, 0, -size * 0.35, WATERMARK, size, "center")
        c.restoreState()
    c.restoreState()


# -- 补打 (hall staff: a reprint from the staff tools) -------------------------------------------

_REPRINTING = ContextVar("reprinting", default=False)


@contextmanager
def reprinting():
    """Documents rendered inside this block carry a 补打 stamp on every page (and in the
    title): a reprint made by staff (printing.reprint, docs/decisions/0020)."""
    token = _REPRINTING.set(True)
    try:
        yield
    finally:
        _REPRINTING.reset(token)


def _reprint_stamp(c: Canvas) -> None:
    """补打 in a red box at the top right of the page, above the header."""
    c.saveState()
    c.setStrokeColorRGB(0.75, 0.1, 0.1)
    c.setFillColorRGB(0.75, 0.1, 0.1)
    w, h = 96, 34
    x, y = PAGE_W - MARGIN - w, PAGE_H - 30 - h
    c.setLineWidth(2)
    c.rect(x, y, w, h)
    draw_text(c, x + w / 2, y + 9, "补打", 20, "center")
    c.restoreState()


def _render(title: str, issue: IssueInfo,
            pages: Sequence[Callable[[Canvas], None]], subject: str) -> bytes:
    font = _font()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, initialFontName=font, initialFontSize=10,
               pageCompression=1)
    reprint = _REPRINTING.get() and not issue.draft
    c.setTitle(f"{title}（样张）" if issue.draft else f"{title}（补打）" if reprint else title)
    c.setSubject(subject)
    c.setCreator("gov-kiosk printing")
    c.setAuthor(issue.issuer)
    qr = None if issue.draft else ImageReader(
        qr_image(issue.verification_url, box_size=8, border=2, ec="M").convert("L"))
    for n, draw in enumerate(pages, start=1):
        c.setFont(font, 10)
        draw(c)
        _footer(c, issue, qr, n, len(pages))
        if issue.draft:
            _watermark(c)
        if reprint:
            _reprint_stamp(c)
        c.showPage()
    c.save()
    return buf.getvalue()


def _person_info(p: Person) -> list[tuple[str, str]]:
    return [("姓名", p.name), ("公民身份号码", p.masked_id)]


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
        y = _header(c, cert.title, info)
        intro = (f"兹证明 {cert.person.name}（公民身份号码 {cert.person.masked_id}）"
                 f"在本统筹区参加{cert.scope}，截至打印之日参保情况如下：")
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

    return _render(cert.title, cert.issue, [page], "ss_certificate")


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
    if st.scope:
        info.append(("险种", _insurance_name(st.scope)))
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
    return PAGE_H - 114 - sum(map(_info_row_height, _info_rows(info))) - 6 - 8


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


# --------------------------------------------------------------------------- shared pieces


NOTES_TOP = FOOTER_TOP + 30  # the 说明 lines sit just above the footer
NOTES_RESERVE = 48.0  # what they take, kept free above the footer on pages that carry them


def _notes(c: Canvas, lines: Sequence[str]) -> None:
    y = NOTES_TOP
    for ln in lines:
        for part in wrap_width(ln, 8.5, CONTENT_W):
            draw_text(c, MARGIN, y, part, 8.5)
            y -= 13


def _signature(c: Canvas, y: float, issue: IssueInfo, closing: str = "") -> float:
    """特此证明 (if any), then issuer and date flush right; returns the y below them."""
    if closing:
        draw_text(c, MARGIN, y, closing, 11)
        y -= 20
    draw_text(c, PAGE_W - MARGIN, y - 10, issue.issuer, 11, "right")
    draw_text(c, PAGE_W - MARGIN, y - 30, f"{issue.issued_at:%Y年%m月%d日}", 11, "right")
    return y - 40


SIGNATURE_H = 80.0  # closing line, issuer and date, a little air


def _paragraph(c: Canvas, y: float, text: str, size: float, leading: float) -> float:
    for ln in wrap_width(text, size, CONTENT_W):
        draw_text(c, MARGIN, y, ln, size)
        y -= leading
    return y


def _paragraph_height(text: str, size: float, leading: float) -> float:
    return len(wrap_width(text, size, CONTENT_W)) * leading


# =========================================================================== 住房公积金缴存证明


FUND_COLUMNS = [
    Column("序号", 40, "center"), Column("缴存年月", 80, "center"),
    Column("个人缴存（元）", 95, "right"), Column("单位缴存（元）", 95, "right"),
    Column("月缴存额（元）", 95, "right"), Column("缴存后余额（元）", CONTENT_W - 405, "right"),
]
FUND_TITLE = "住房公积金缴存证明"
FUND_NOTES = ["说明：1. 本证明由自助终端打印，与窗口出具的证明具有同等效力。",
              "2. 本证明自打印之日起三个月内有效，可凭验证码核验真伪。"]


def provident_fund_statement(pf: ProvidentFundStatement) -> bytes:
    """住房公积金缴存证明: the account (number masked, status, employer, base, rates, balance,
    opened month) on every page, then the deposits of the period with page subtotals and
    running totals like the 缴费明细; the last page closes with 特此证明, issuer and date."""
    cols = FUND_COLUMNS
    rows = [_row(cols, [str(i), d.month, money(d.personal), money(d.employer), money(d.total),
                        money(d.balance)])
            for i, d in enumerate(pf.deposits, start=1)]
    info = _person_info(pf.person) + [
        ("公积金账号", mask_middle(pf.account_no, 4, 4)), ("账户状态", pf.status),
        ("缴存单位", pf.employer), ("开户年月", pf.opened_month),
        ("缴存基数", f"{money(pf.base)} 元"),
        ("缴存比例", f"个人 {pf.personal_rate}%  单位 {pf.employer_rate}%"),
        ("账户余额", f"{money(pf.balance)} 元（截至 {pf.balance_date}）"),
        ("查询期间", pf.period),
    ]
    top = _probe_header(info)
    avail = top - (FOOTER_TOP + NOTES_RESERVE) - HEADER_ROW_H
    empty = not rows
    if empty:
        rows = [_row(cols, ["", "", "本期无缴存记录", "", "", ""])]
    ranges = paginate([r.height for r in rows], avail, per_page=2 * ROW_H,
                      last_extra=SIGNATURE_H)
    pages = []
    run_p = run_e = run_t = Decimal(0)
    for start, end in ranges:
        chunk = [] if empty else pf.deposits[start:end]
        sub_p = sum((d.personal for d in chunk), Decimal(0))
        sub_e = sum((d.employer for d in chunk), Decimal(0))
        sub_t = sum((d.total for d in chunk), Decimal(0))
        run_p, run_e, run_t = run_p + sub_p, run_e + sub_e, run_t + sub_t
        last = end == len(rows)
        n_done = 0 if empty else end
        summary = [
            _row(cols, ["", "本页小计", money(sub_p), money(sub_e), money(sub_t),
                        f"{len(chunk)} 条"], True),
            _row(cols, ["", "合计" if last else "累计至本页", money(run_p), money(run_e),
                        money(run_t), f"共 {n_done} 条"], True),
        ]
        pages.append(_fund_page(info, rows[start:end] + summary, pf.issue, last))
    return _render(FUND_TITLE, pf.issue, pages, "provident_fund")


def _fund_page(info: Sequence[tuple[str, str]], rows: Sequence[_Row], issue: IssueInfo,
               last: bool) -> Callable[[Canvas], None]:
    def page(c: Canvas) -> None:
        y = _header(c, FUND_TITLE, info)
        y = _draw_table(c, y - 8, FUND_COLUMNS, rows)
        if last:
            _signature(c, y - 20, issue, "特此证明。")
        _notes(c, FUND_NOTES)

    return page


# =========================================================================== 不动产登记信息查询结果


REAL_ESTATE_TITLE = "不动产登记信息查询结果"
KV_LABEL_W = 80.0
KV_VALUE_W = (CONTENT_W - 2 * KV_LABEL_W) / 2
BLOCK_GAP = 10.0
REAL_ESTATE_NOTES = [
    "说明：1. 本结果依据打印时本登记机构不动产登记簿记载的信息出具，仅供参考。",
    "2. 本结果自打印之日起三个月内有效，可凭验证码核验真伪。",
]


@dataclass
class _KvRow:
    cells: list[tuple[str, list[str]]]  # (label, wrapped value lines); one or two per row
    height: float


def _kv_row(*pairs: tuple[str, str]) -> _KvRow:
    """One row of a label/value grid: one pair spans the whole width, two share it."""
    width = (CONTENT_W - KV_LABEL_W) if len(pairs) == 1 else KV_VALUE_W
    cells = [(label, wrap_width(value, CELL_SIZE, width - 2 * CELL_PAD))
             for label, value in pairs]
    lines = max(len(v) for _, v in cells)
    return _KvRow(cells, ROW_H + (lines - 1) * (CELL_SIZE * 1.3))


def _registration_block(n: int, total: int, r: Registration) -> list[_KvRow]:
    flags = f"抵押：{'有' if r.mortgaged else '无'}    查封：{'有' if r.sealed else '无'}"
    return [
        _KvRow([(f"第 {n} 处（共 {total} 处）", [])], HEADER_ROW_H),
        _kv_row(("不动产权证书号", r.certificate_no)),
        _kv_row(("不动产单元号", r.unit_no)),
        _kv_row(("坐落", r.location)),
        _kv_row(("用途", r.usage), ("面积", f"{r.area_m2:,.2f} m²")),
        _kv_row(("权利类型", r.right_type), ("共有情况", r.share)),
        _kv_row(("登记日期", r.registered_on), ("抵押/查封", flags)),
    ]


def _draw_block(c: Canvas, top: float, rows: Sequence[_KvRow]) -> float:
    """A registration as a bordered label/value grid, its title row shaded; returns the y
    below it. Shading first, then text and rules, so no fill hides a rule."""
    x0, x1 = MARGIN, MARGIN + CONTENT_W

    def cells(row: _KvRow):  # (x of the label, label, value lines) per pair
        width = (CONTENT_W - KV_LABEL_W) if len(row.cells) == 1 else KV_VALUE_W
        return [(x0 + k * (KV_LABEL_W + width), label, lines)
                for k, (label, lines) in enumerate(row.cells)]

    y = top
    for i, row in enumerate(rows):
        c.setFillGray(0.9 if i == 0 else 0.96)
        for x, _, _ in (cells(row) if i else [(x0, "", [])]):
            c.rect(x, y - row.height, CONTENT_W if i == 0 else KV_LABEL_W, row.height,
                   stroke=0, fill=1)
        y -= row.height
    c.setFillGray(0)
    c.setLineWidth(0.4)
    y = top
    for i, row in enumerate(rows):
        bottom = y - row.height
        if i == 0:
            draw_text(c, x0 + CELL_PAD, bottom + 6.5, row.cells[0][0], CELL_SIZE)
        else:
            for x, label, lines in cells(row):
                draw_text(c, x + CELL_PAD, y - 12, label, CELL_SIZE)
                for k, ln in enumerate(lines):
                    draw_text(c, x + KV_LABEL_W + CELL_PAD, y - 12 - k * CELL_SIZE * 1.3, ln,
                              CELL_SIZE)
                c.line(x + KV_LABEL_W, y, x + KV_LABEL_W, bottom)
                if x > x0:
                    c.line(x, y, x, bottom)
        c.line(x0, bottom, x1, bottom)
        y = bottom
    c.setLineWidth(0.8)
    c.rect(x0, y, CONTENT_W, top - y, stroke=1, fill=0)
    return y


def real_estate_result(res: RealEstateResult) -> bytes:
    """不动产登记信息查询结果: an opening sentence, then one bordered block per registration
    (certificate and unit numbers, location wrapped, usage, area, right type, share, date,
    mortgage and seizure). Blocks never split across pages."""
    n = len(res.registrations)
    info = _person_info(res.person) + [("查询日期", res.as_of), ("登记数量", f"{n} 处")]
    intro = (f"经查询，截至 {res.as_of}，{res.person.name}（公民身份号码 {res.person.masked_id}）"
             f"名下在本登记机构辖区内登记的不动产共 {n} 处，登记信息如下：")
    blocks = [_registration_block(i, n, r) for i, r in enumerate(res.registrations, start=1)]
    top = _probe_header(info) + 8
    intro_h = _paragraph_height(intro, 11, 18) + 6
    heights = [intro_h] + [sum(r.height for r in b) + BLOCK_GAP for b in blocks]
    ranges = paginate(heights, top - (FOOTER_TOP + NOTES_RESERVE), last_extra=SIGNATURE_H)

    def page_for(start: int, end: int) -> Callable[[Canvas], None]:
        def page(c: Canvas) -> None:
            y = _header(c, REAL_ESTATE_TITLE, info)
            for i in range(start, end):
                if i == 0:
                    y = _paragraph(c, y - 12, intro, 11, 18) + 12 - 6
                else:
                    y = _draw_block(c, y, blocks[i - 1]) - BLOCK_GAP
            if end == len(heights):
                _signature(c, y - 14, res.issue)
            _notes(c, REAL_ESTATE_NOTES)

        return page

    return _render(REAL_ESTATE_TITLE, res.issue, [page_for(s, e) for s, e in ranges],
                   "real_estate")


# =========================================================================== 无房产登记证明


NO_PROPERTY_TITLE = "无房产登记证明"


def no_property_statement(person: Person, as_of: str) -> str:
    """The sentence the 无房证明 makes (also what a test looks for)."""
    return (f"经查询，截至 {as_of}，在本登记机构辖区内未查询到 {person.name}（公民身份号码 "
            f"{person.masked_id}）名下的不动产登记记录。")


def no_property_certificate(cert: NoPropertyCertificate) -> bytes:
    """无房产登记证明: one page, the statement that nothing is registered, issuer and date,
    and the notes (valid three months, verify by the code)."""
    info = _person_info(cert.person) + [("查询日期", cert.as_of)]
    notes = ["说明：1. 本证明仅反映打印时本登记机构不动产登记簿的记载，不含其他登记机构辖区。",
             "2. 本证明自打印之日起三个月内有效，可凭验证码核验真伪。"]

    def page(c: Canvas) -> None:
        y = _header(c, NO_PROPERTY_TITLE, info) - 16
        y = _paragraph(c, y, "　　" + no_property_statement(cert.person, cert.as_of), 12, 22)
        _signature(c, y - 12, cert.issue, "特此证明。")
        _notes(c, notes)

    return _render(NO_PROPERTY_TITLE, cert.issue, [page], "no_property")


__all__ = [
    "AccountTransaction", "Certificate", "Column", "Contribution", "Enrolment", "FundDeposit",
    "INSURANCE_TYPES", "IssueInfo", "MedicalStatement", "NoPropertyCertificate", "Person",
    "ProvidentFundStatement", "RealEstateResult", "Registration", "Statement", "WATERMARK",
    "draw_text", "masked_id", "medical_statement", "no_property_certificate",
    "no_property_statement", "paginate", "provident_fund_statement", "real_estate_result",
    "ss_certificate", "ss_statement", "text_width", "wrap_width",
]
