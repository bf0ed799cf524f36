"""Receipts as ESC/POS bytes: golden bytes, Chinese encoding, QR commands, line widths."""

from __future__ import annotations

from datetime import datetime

import pytest
import zxingcpp

from printing import mask_middle
from printing.escpos_text import (
    FS_KANJI_OFF,
    FS_KANJI_ON,
    PROFILE_58MM,
    PROFILE_80MM,
    PaperProfile,
    char_columns,
    encode_text,
    text_columns,
    wrap,
)
from printing.receipts import (
    GuideSlip,
    Material,
    QueueTicket,
    TransactionReceipt,
    compose,
    guide_slip,
    queue_ticket,
    transaction_receipt,
)
from printing.virtual_printer import render_job

T = datetime(2026, 11, 23, 14, 5, 9)
RARE = "𠮷堃犇"
PUNCT = "，。：（）《》“”、"
GUIDE_URL = "https://zwfw.example.gov.cn/guide/RS-000001"
QUEUE_URL = "https://zwfw.example.gov.cn/queue/A023?d=20261123"
PROFILE_TM_T88V = PaperProfile.from_escpos("TM-T88V")  # 512 dots, 42 columns

SLIP = GuideSlip(
    item_name=f"社会保险参保证明打印（{RARE}）",
    department="人力资源和社会保障局",
    materials=[
        Material("居民身份证", 1, 0, "现场核验"),
        Material("《社会保险参保缴费情况证明》申请表（单位经办人填写，加盖单位公章）", 1, 2),
        Material("户口簿", 1, 1),
    ],
    place="政务服务中心一楼", window="3 号窗口", time_limit="即办件",
    guide_url=GUIDE_URL, terminal_id="T-0001", printed_at=T,
    hours="全天 24 小时", phone="0519-80000000",
)
TICKET = QueueTicket("A023", "社会保险业务", 5, T, "T-0001", QUEUE_URL,
                     hall="常州市政务服务中心一楼大厅")
RECEIPT = TransactionReceipt(
    "社会保险参保证明打印", T, "T-0001", "SB2026112300001234", "7K3Q-9XPD",
    details=[("打印份数", "1 份"), ("申请人", f"张{RARE}"), ("说明", f"标点{PUNCT}齐全")],
)
BUILDERS = {
    "guide": (guide_slip, SLIP),
    "queue": (queue_ticket, TICKET),
    "transaction": (transaction_receipt, RECEIPT),
}
PROFILES = {"80mm": PROFILE_80MM, "58mm": PROFILE_58MM, "tm-t88v": PROFILE_TM_T88V}


@pytest.fixture
def out_dir(artifacts):
    d = artifacts / "printing"
    d.mkdir(exist_ok=True)
    return d


def build(kind: str, profile: PaperProfile) -> bytes:
    fn, data = BUILDERS[kind]
    return fn(data, profile)


def gb(text: str) -> bytes:
    return FS_KANJI_ON + text.encode("gb18030") + FS_KANJI_OFF


# --------------------------------------------------------------------------- golden


def test_golden_small_receipt():
    data = compose(PROFILE_80MM, lambda w: (
        w.line("回执", align="center", bold=True, scale=2),
        w.field("姓名", f"张{RARE}"),
        w.line("No. 7，OK"),
        w.qr("https://x.cn/1", module=4),
    ))
    qr_store = b"\x1d(k" + bytes([14 + 3, 0]) + b"1P0" + b"https://x.cn/1"
    expected = (
        b"\x1b@"                                  # ESC @
        + b"\x1ba\x01" + b"\x1bE\x01" + b"\x1d!\x11"  # centre, bold, GS ! double size
        + gb("回执") + b"\n"
        + b"\x1ba\x00" + b"\x1bE\x00" + b"\x1d!\x00"  # back to left, regular, normal size
        + gb("姓名：") + gb(f"张{RARE}") + b"\n"
        + b"No. 7" + gb("，") + b"OK\n"
        + b"\x1ba\x01"                            # QR centred
        + b"\x1d(k\x04\x001A2\x00"                # model 2
        + b"\x1d(k\x03\x001C\x04"                 # module 4 dots
        + b"\x1d(k\x03\x001E1"                    # level M
        + qr_store + b"\x1d(k\x03\x001Q0"         # store, print
        + b"\n"
        + b"\x1ba\x00"                            # finish: left again
        + b"\x1bd\x04" + b"\x1dV\x00"              # feed 4 lines, full cut
    )
    assert data == expected


def test_encode_text_runs():
    assert encode_text("A号𠮷，b") == (b"A" + FS_KANJI_ON + "号𠮷，".encode("gb18030")
                                       + FS_KANJI_OFF + b"b")
    assert "𠮷".encode("gb18030") == b"\x95\x34\xb2\x35"  # a 4-byte GB18030 code
    assert encode_text("ASCII only") == b"ASCII only"


@pytest.mark.parametrize("profile", [PROFILE_80MM, PROFILE_58MM], ids=["80mm", "58mm"])
@pytest.mark.parametrize("kind", list(BUILDERS))
def test_chinese_sent_in_gb18030_never_as_question_marks(kind, profile):
    data = build(kind, profile)
    assert FS_KANJI_ON in data and FS_KANJI_OFF in data
    printed = "".join(line.text for line in render_job(data, profile.width_dots).lines)
    assert "?" not in printed and "\ufffd" not in printed
    if kind != "queue":
        for ch in RARE:
            assert ch.encode("gb18030") in data
            assert ch in printed
    if kind == "transaction":
        for ch in PUNCT:
            assert ch in printed


def test_native_qr_on_80mm_raster_on_58mm():
    native = build("guide", PROFILE_80MM)
    assert b"\x1d(k" in native and b"\x1dv0" not in native
    assert b"\x1d(k" + bytes([len(GUIDE_URL) + 3, 0]) + b"1P0" + GUIDE_URL.encode() in native

    raster = build("guide", PROFILE_58MM)
    assert b"\x1dv0" in raster and b"\x1d(k" not in raster
    assert not PROFILE_58MM.native_qr and PROFILE_80MM.native_qr


@pytest.mark.parametrize("profile", [PROFILE_80MM, PROFILE_58MM], ids=["80mm", "58mm"])
def test_qr_decodes_from_rendered_receipt(profile):
    for kind, url in (("guide", GUIDE_URL), ("queue", QUEUE_URL)):
        img = render_job(build(kind, profile), profile.width_dots).image
        assert [r.text for r in zxingcpp.read_barcodes(img)] == [url]


@pytest.mark.parametrize("profile", list(PROFILES.values()), ids=list(PROFILES))
@pytest.mark.parametrize("kind", list(BUILDERS))
def test_lines_never_exceed_paper(kind, profile, out_dir):
    data = build(kind, profile)
    result = render_job(data, profile.width_dots)
    assert result.unknown == []
    widest = max(line.width_dots for line in result.lines)
    assert widest <= profile.columns * 12 <= profile.width_dots
    assert not [line.text for line in result.lines if line.auto_wrapped]
    result.image.save(out_dir / f"receipt-{kind}-{profile.escpos_name}.png")
    assert result.image.width == profile.width_dots


def test_58mm_and_80mm_wrap_differently():
    narrow = render_job(build("guide", PROFILE_58MM), 384).lines
    wide = render_job(build("guide", PROFILE_80MM), 576).lines
    assert len(narrow) > len(wide)
    assert max(line.width_dots for line in narrow) <= 384 < max(line.width_dots for line in wide)


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_ends_with_feed_and_cut_and_is_deterministic(kind):
    data = build(kind, PROFILE_80MM)
    assert data.startswith(b"\x1b@")
    assert data.endswith(b"\x1bd\x04\x1dV\x00")
    assert data == build(kind, PROFILE_80MM)


def test_time_is_data_not_clock():
    later = TransactionReceipt(**{**RECEIPT.__dict__, "done_at": datetime(2026, 11, 24, 9, 0)})
    assert transaction_receipt(later, PROFILE_80MM) != transaction_receipt(RECEIPT, PROFILE_80MM)
    assert b"2026-11-24 09:00:00" in transaction_receipt(later, PROFILE_80MM)


def test_queue_number_double_size_and_fields():
    data = build("queue", PROFILE_80MM)
    assert b"\x1d!\x11" + b"A023\n" in data  # GS ! 0x11: double width and height
    printed = [line.text for line in render_job(data, 576).lines]
    assert "A023" in printed
    assert any("您前面还有 5 人" in t for t in printed)
    assert any("2026-11-23 14:05:09" in t for t in printed)
    assert any("T-0001" in t for t in printed)


def test_guide_slip_checklist():
    printed = [line.text for line in render_job(build("guide", PROFILE_80MM), 576).lines]
    assert any(t.startswith("□ 居民身份证") and t.endswith("原件×1 复印件×0") for t in printed)
    assert any("政务服务中心一楼 3 号窗口" in t for t in printed)
    assert any("即办件" in t for t in printed)
    assert "申请材料（共 3 项）" in printed


def test_transaction_receipt_masks_reference():
    data = build("transaction", PROFILE_80MM)
    assert b"SB2026112300001234" not in data
    assert mask_middle("SB2026112300001234").encode() in data
    assert b"7K3Q-9XPD" in data


# --------------------------------------------------------------------------- text layout


def test_columns():
    assert [char_columns(c) for c in "a汉，“□×𠮷"] == [1, 2, 2, 2, 2, 2, 2]
    assert text_columns("No.1 号") == 7


@pytest.mark.parametrize("cols", [6, 7, 16, 32, 48])
def test_wrap_never_splits_or_overflows(cols):
    text = (f"社会保险参保证明打印，需携带居民身份证原件（{RARE}）。"
            "详见 https://zwfw.example.gov.cn/guide/RS-000001 或咨询 3 号窗口。")
    lines = wrap(text, cols)
    assert all(text_columns(line) <= cols for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_wrap_keeps_punctuation_rules():
    # "，" would start the third line: "八" goes down with it
    assert wrap("一二三四五六七八，九十", 8) == ["一二三四", "五六七", "八，九十"]
    # "（" would end the first line: it goes down
    assert wrap("一二三（四五）", 8) == ["一二三", "（四五）"]
    # ASCII words stay whole when they fit on a line
    assert wrap("call 0519-8000 now", 10) == ["call", "0519-8000", "now"]


def test_profiles_from_python_escpos():
    assert (PROFILE_80MM.width_dots, PROFILE_80MM.columns) == (576, 48)
    assert (PROFILE_58MM.width_dots, PROFILE_58MM.columns) == (384, 32)
    assert (PROFILE_TM_T88V.width_dots, PROFILE_TM_T88V.columns) == (512, 42)
    custom = PaperProfile.from_escpos("default", width_dots=384)
    assert custom.columns == 32 and custom.native_qr
    with pytest.raises(ValueError, match="width"):
        PaperProfile.from_escpos("default")
    assert PROFILE_58MM.escpos_profile().profile_data["media"]["width"]["pixels"] == 384
