"""The receipts' fixed words in the citizen's language.

Receipts are written in Simplified Chinese (printing/receipts.py); `say(zh, language)` gives a
fixed word in English (this table) or Traditional Chinese (OpenCC, as on screen), and
`content(text, language)` gives catalog data in Traditional characters for zh_TW (English
keeps the Chinese data: the catalog has no English names for it). A word missing from the table
prints in Simplified Chinese, never blank (tests/test_receipts_language.py checks the table).
"""

from __future__ import annotations

from kiosk.language import ENGLISH, TRADITIONAL, to_traditional

ENGLISH_WORDS = {
    "办事指南": "Service guide",
    "事项名称": "Service",
    "实施部门": "Department",
    "办理地点": "Where",
    "办理时限": "Time limit",
    "办公时间": "Hours",
    "咨询电话": "Phone",
    "申请材料（共 {n} 项）": "Materials to bring ({n})",
    "原件×{o} 复印件×{c}": "original ×{o} copy ×{c}",
    "扫码查看完整办事指南": "Scan for the full service guide",
    "终端 {terminal}  {time}": "Terminal {terminal}  {time}",
    "排队号": "Queue number",
    "您前面还有 {n} 人在等候": "{n} people ahead of you",
    "取号时间": "Issued",
    "终端编号": "Terminal",
    "扫码随时查看排队进度": "Scan to follow the queue",
    "过号请重新取号，请留意叫号屏和语音提示。":
        "If your number is passed, take a new one. Watch the display and listen for calls.",
    "政务服务 24 小时自助终端": "24-hour government self-service terminal",
    "办理回执": "Receipt",
    "办理事项": "Service",
    "办理结果": "Result",
    "办理时间": "Time",
    "业务流水号": "Reference",
    "验证码": "Verification code",
    "办理成功": "Done",
    "可凭验证码在政务服务网或任一自助终端核验本回执。":
        "Check this receipt with its verification code online or at any self-service terminal.",
}


def say(zh: str, language: str, **values) -> str:
    """A receipt's fixed word (a Simplified Chinese template) in `language`."""
    if language == ENGLISH:
        text = ENGLISH_WORDS.get(zh, zh)
    elif language == TRADITIONAL:
        text = to_traditional(zh)
    else:
        text = zh
    return text.format(**values) if values else text


def content(text: str, language: str) -> str:
    """Catalog data on a receipt: Traditional characters for zh_TW, else as written."""
    return to_traditional(text) if language == TRADITIONAL else text
