"""The kiosk's three receipts, as ESC/POS bytes: pure functions of plain data and a profile.

Nothing here reads a clock or a config: the time and the terminal id come in with the data,
so the same input gives the same bytes (golden tests). To print, hand the bytes to any
python-escpos printer's `_raw` (Network, Usb, Serial ...), or build straight into one with
`compose(profile, draw, printer=...)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from escpos.escpos import Escpos
from escpos.printer import Dummy

from printing import mask_middle
from printing.escpos_text import PaperProfile, ReceiptWriter, fit, text_columns, wrap
from printing.receipt_words import content, say

DEFAULT_ISSUER = "政务服务 24 小时自助终端"


@dataclass(frozen=True)
class Material:
    """One line of a materials checklist: 居民身份证 原件×1 复印件×0."""

    name: str
    originals: int = 1
    copies: int = 0
    note: str = ""


@dataclass(frozen=True)
class GuideSlip:
    item_name: str
    department: str
    materials: Sequence[Material]
    place: str  # 政务服务中心一楼
    window: str  # 3 号窗口
    time_limit: str  # 即办件 / 承诺 5 个工作日
    guide_url: str
    terminal_id: str
    printed_at: datetime
    hours: str = ""
    phone: str = ""
    issuer: str = DEFAULT_ISSUER
    language: str = "zh_CN"  # the citizen's: headings and fixed words (printing.receipt_words)


@dataclass(frozen=True)
class QueueTicket:
    number: str  # A023
    business: str  # 社保业务
    people_ahead: int
    issued_at: datetime
    terminal_id: str
    follow_url: str
    hall: str = ""  # 政务服务中心一楼大厅
    note: str = "过号请重新取号，请留意叫号屏和语音提示。"
    issuer: str = DEFAULT_ISSUER
    language: str = "zh_CN"


@dataclass(frozen=True)
class TransactionReceipt:
    action: str  # 社会保险参保证明打印
    done_at: datetime
    terminal_id: str
    reference: str  # business reference; printed masked
    verification_code: str
    result: str = "办理成功"
    details: Sequence[tuple[str, str]] = field(default_factory=tuple)
    verify_hint: str = "可凭验证码在政务服务网或任一自助终端核验本回执。"
    issuer: str = DEFAULT_ISSUER
    language: str = "zh_CN"


def _ts(t: datetime, seconds: bool = False) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def compose(profile: PaperProfile, draw: Callable[[ReceiptWriter], None],
            printer: Escpos | None = None) -> bytes:
    """Run `draw` on a writer (ESC @ first, feed + cut last). Into `printer` if given (the
    bytes then go to the device and b"" is returned), else into a Dummy whose bytes are
    returned."""
    p = printer if printer is not None else Dummy(profile=profile.escpos_profile())
    w = ReceiptWriter(p, profile)
    w.init()
    draw(w)
    w.finish()
    return p.output if isinstance(p, Dummy) else b""


# --------------------------------------------------------------------------- guide slip


def _material_lines(w: ReceiptWriter, m: Material, lang: str = "zh_CN") -> None:
    cols = w.columns()
    counts = say("原件×{o} 复印件×{c}", lang, o=m.originals, c=m.copies)
    left = f"□ {content(m.name, lang)}"
    one = fit(left, counts, cols)
    if one is not None:
        w.line(one)
    else:
        # the name under its checkbox (hanging indent), the counts flush right below it
        indent = text_columns("□ ")
        for i, part in enumerate(wrap(m.name, cols - indent)):
            w.line(("□ " if i == 0 else " " * indent) + part)
        w.line(counts, align="right")
    if m.note:
        w.line(f"   （{content(m.note, lang)}）")


def _draw_guide(s: GuideSlip) -> Callable[[ReceiptWriter], None]:
    def draw(w: ReceiptWriter) -> None:
        lang = s.language
        w.line(say("办事指南", lang), align="center", bold=True, scale=2)
        w.line(say(s.issuer, lang), align="center")
        w.rule()
        w.field(say("事项名称", lang), content(s.item_name, lang), bold=True)
        w.field(say("实施部门", lang), content(s.department, lang))
        w.field(say("办理地点", lang), content(f"{s.place} {s.window}".strip(), lang))
        w.field(say("办理时限", lang), content(s.time_limit, lang))
        if s.hours:
            w.field(say("办公时间", lang), content(s.hours, lang))
        if s.phone:
            w.field(say("咨询电话", lang), s.phone)
        w.rule()
        w.line(say("申请材料（共 {n} 项）", lang, n=len(s.materials)), bold=True)
        for m in s.materials:
            _material_lines(w, m, lang)
        w.rule()
        w.line(say("扫码查看完整办事指南", lang), align="center")
        w.qr(s.guide_url)
        w.line(say("终端 {terminal}  {time}", lang, terminal=s.terminal_id,
                   time=_ts(s.printed_at)), align="center")

    return draw


def guide_slip(slip: GuideSlip, profile: PaperProfile) -> bytes:
    """办事指南 slip: item, department, materials checklist, where to go, time limit, QR."""
    return compose(profile, _draw_guide(slip))


# --------------------------------------------------------------------------- queue ticket


def _draw_queue(t: QueueTicket) -> Callable[[ReceiptWriter], None]:
    def draw(w: ReceiptWriter) -> None:
        lang = t.language
        w.line(content(t.hall, lang) or say(t.issuer, lang), align="center")
        w.line(say("排队号", lang), align="center")
        w.line(t.number, align="center", bold=True, scale=2)
        w.line(content(t.business, lang), align="center", bold=True)
        w.line(say("您前面还有 {n} 人在等候", lang, n=t.people_ahead), align="center")
        w.rule()
        w.field(say("取号时间", lang), _ts(t.issued_at, seconds=True))
        w.field(say("终端编号", lang), t.terminal_id)
        w.rule()
        w.line(say("扫码随时查看排队进度", lang), align="center")
        w.qr(t.follow_url)
        if t.note:
            w.line(say(t.note, lang), align="left")

    return draw


def queue_ticket(ticket: QueueTicket, profile: PaperProfile) -> bytes:
    """排队号: the number at double size, business, people ahead, time, terminal, QR."""
    return compose(profile, _draw_queue(ticket))


# --------------------------------------------------------------------------- transaction


def _draw_transaction(r: TransactionReceipt) -> Callable[[ReceiptWriter], None]:
    def draw(w: ReceiptWriter) -> None:
        lang = r.language
        w.line(say("办理回执", lang), align="center", bold=True, scale=2)
        w.line(say(r.issuer, lang), align="center")
        w.rule()
        w.field(say("办理事项", lang), content(r.action, lang), bold=True)
        w.field(say("办理结果", lang), say(r.result, lang))
        w.field(say("办理时间", lang), _ts(r.done_at, seconds=True))
        w.field(say("终端编号", lang), r.terminal_id)
        w.field(say("业务流水号", lang), mask_middle(r.reference))
        for label, value in r.details:
            w.field(label, value)
        w.rule()
        w.line(say("验证码", lang), align="center")
        w.line(r.verification_code, align="center", bold=True, scale=2)
        w.line(say(r.verify_hint, lang), align="left")

    return draw


def transaction_receipt(receipt: TransactionReceipt, profile: PaperProfile) -> bytes:
    """办理回执: what was done, time, terminal, masked reference, verification code."""
    return compose(profile, _draw_transaction(receipt))
