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


def _material_lines(w: ReceiptWriter, m: Material) -> None:
    cols = w.columns()
    counts = f"原件×{m.originals} 复印件×{m.copies}"
    left = f"□ {m.name}"
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
        w.line(f"   （{m.note}）")


def _draw_guide(s: GuideSlip) -> Callable[[ReceiptWriter], None]:
    def draw(w: ReceiptWriter) -> None:
        w.line("办事指南", align="center", bold=True, scale=2)
        w.line(s.issuer, align="center")
        w.rule()
        w.field("事项名称", s.item_name, bold=True)
        w.field("实施部门", s.department)
        w.field("办理地点", f"{s.place} {s.window}".strip())
        w.field("办理时限", s.time_limit)
        if s.hours:
            w.field("办公时间", s.hours)
        if s.phone:
            w.field("咨询电话", s.phone)
        w.rule()
        w.line(f"申请材料（共 {len(s.materials)} 项）", bold=True)
        for m in s.materials:
            _material_lines(w, m)
        w.rule()
        w.line("扫码查看完整办事指南", align="center")
        w.qr(s.guide_url)
        w.line(f"终端 {s.terminal_id}  {_ts(s.printed_at)}", align="center")

    return draw


def guide_slip(slip: GuideSlip, profile: PaperProfile) -> bytes:
    """办事指南 slip: item, department, materials checklist, where to go, time limit, QR."""
    return compose(profile, _draw_guide(slip))


# --------------------------------------------------------------------------- queue ticket


def _draw_queue(t: QueueTicket) -> Callable[[ReceiptWriter], None]:
    def draw(w: ReceiptWriter) -> None:
        w.line(t.hall or t.issuer, align="center")
        w.line("排队号", align="center")
        w.line(t.number, align="center", bold=True, scale=2)
        w.line(t.business, align="center", bold=True)
        w.line(f"您前面还有 {t.people_ahead} 人在等候", align="center")
        w.rule()
        w.field("取号时间", _ts(t.issued_at, seconds=True))
        w.field("终端编号", t.terminal_id)
        w.rule()
        w.line("扫码随时查看排队进度", align="center")
        w.qr(t.follow_url)
        if t.note:
            w.line(t.note, align="left")

    return draw


def queue_ticket(ticket: QueueTicket, profile: PaperProfile) -> bytes:
    """排队号: the number at double size, business, people ahead, time, terminal, QR."""
    return compose(profile, _draw_queue(ticket))


# --------------------------------------------------------------------------- transaction


def _draw_transaction(r: TransactionReceipt) -> Callable[[ReceiptWriter], None]:
    def draw(w: ReceiptWriter) -> None:
        w.line("办理回执", align="center", bold=True, scale=2)
        w.line(r.issuer, align="center")
        w.rule()
        w.field("办理事项", r.action, bold=True)
        w.field("办理结果", r.result)
        w.field("办理时间", _ts(r.done_at, seconds=True))
        w.field("终端编号", r.terminal_id)
        w.field("业务流水号", mask_middle(r.reference))
        for label, value in r.details:
            w.field(label, value)
        w.rule()
        w.line("验证码", align="center")
        w.line(r.verification_code, align="center", bold=True, scale=2)
        w.line(r.verify_hint, align="left")

    return draw


def transaction_receipt(receipt: TransactionReceipt, profile: PaperProfile) -> bytes:
    """办理回执: what was done, time, terminal, masked reference, verification code."""
    return compose(profile, _draw_transaction(receipt))
