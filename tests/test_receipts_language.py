"""Receipts follow the citizen's language (issue 12 part 4): the fixed words in English or
Traditional Chinese, catalog data in Traditional characters for zh_TW."""

from __future__ import annotations

import ast
from datetime import datetime
from pathlib import Path

import pytest

from printing.escpos_text import PROFILE_80MM
from printing.receipt_words import ENGLISH_WORDS, say
from printing.receipts import (
    GuideSlip,
    Material,
    QueueTicket,
    TransactionReceipt,
    guide_slip,
    queue_ticket,
    transaction_receipt,
)
from printing.virtual_printer import render_receipt

T = datetime(2026, 12, 5, 9, 30)


def _text(data: bytes) -> str:
    return data.decode("gb18030", errors="ignore")


def _slip(lang):
    return GuideSlip("社会保险参保证明打印", "人力资源和社会保障局",
                     [Material("居民身份证", 1, 0, "现场核验")], "政务服务中心一楼", "3 号窗口",
                     "即办件", "https://zwfw.example.gov.cn/g/1", "DEMO-0001", T,
                     hours="全天", phone="0519-80000000", language=lang)


def _ticket(lang):
    return QueueTicket("A023", "社保业务", 4, T, "DEMO-0001", "https://zwfw.example.gov.cn/q/A023",
                       hall="政务服务中心一楼大厅", language=lang)


def test_every_fixed_word_has_its_english():
    """Every say("...") in printing/receipts.py, and every default word of the receipts, is in
    the English table (a missing one would print in Simplified Chinese)."""
    src = Path("printing/receipts.py").read_text(encoding="utf-8")
    said = {node.args[0].value for node in ast.walk(ast.parse(src))
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "say"
            and node.args and isinstance(node.args[0], ast.Constant)}
    defaults = {QueueTicket.__dataclass_fields__["note"].default,
                TransactionReceipt.__dataclass_fields__["verify_hint"].default,
                TransactionReceipt.__dataclass_fields__["result"].default,
                GuideSlip.__dataclass_fields__["issuer"].default}
    assert len(said) >= 20
    assert (said | defaults) - set(ENGLISH_WORDS) == set()
    assert say("您前面还有 {n} 人在等候", "en", n=4) == "4 people ahead of you"
    assert say("办事指南", "zh_TW") == "辦事指南"
    assert say("办事指南", "zh_CN") == "办事指南"


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW", "en"])
def test_receipts_in_each_language(lang, artifacts):
    slip = guide_slip(_slip(lang), PROFILE_80MM)
    ticket = queue_ticket(_ticket(lang), PROFILE_80MM)
    receipt = transaction_receipt(TransactionReceipt("社会保险参保证明打印", T, "DEMO-0001",
                                                     "R2026120500001234", "3NPQ-8RST",
                                                     language=lang), PROFILE_80MM)
    text = _text(slip) + _text(ticket) + _text(receipt)
    if lang == "en":
        for words in ("Service guide", "Materials to bring (1)", "Queue number",
                      "4 people ahead of you", "Receipt", "Verification code"):
            assert words in text.replace("\n", " ") or words.split()[0] in text, words
        assert "办事指南" not in text and "排队号" not in text and "办理回执" not in text
        assert "社会保险参保证明打印" in text  # catalog data: the catalog has no English
    elif lang == "zh_TW":
        for words in ("辦事指南", "社會保險參保證明打印", "排隊號", "辦理回執", "驗證碼"):
            assert words in text, words
        assert "办事指南" not in text and "社会保险" not in text
    else:
        assert "办事指南" in text and "排队号" in text
    render_receipt(slip, PROFILE_80MM.width_dots).save(artifacts / f"receipt-guide-slip-{lang}.png")
    render_receipt(ticket, PROFILE_80MM.width_dots).save(artifacts / f"receipt-queue-{lang}.png")


@pytest.mark.parametrize("lang", ["zh_TW", "en"])
def test_a4_headings_follow_the_language(lang, tmp_path):
    """The same certificate in Traditional characters throughout (zh_TW), or with its title in
    English under the Chinese one (en); read back from the PDF."""
    import subprocess

    from printing.documents import in_language
    from printing.samples import sample_document

    with in_language(lang):
        pdf = sample_document("ss-certificate")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    if lang == "zh_TW":
        assert "社會保險參保證明" in text and "社会保险参保证明" not in text
        assert "驗證碼" in text
    else:
        assert "社会保险参保证明" in text and "Certificate of Social Insurance Enrolment" in text
    plain = sample_document("ss-certificate")  # outside the block: Simplified as before
    path.write_bytes(plain)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "社会保险参保证明" in text and "Certificate" not in text
