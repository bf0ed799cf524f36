"""Speakable text: what a screen says, turned into words an engine can read (no Qt).

- numbers, amounts and dates into Chinese words (``1234.50元`` → 一千二百三十四元五角,
  ``2026-12-05`` → 二〇二六年十二月五日) before the engine sees them: espeak-ng's pinyin voice
  reads syllables, not digits;
- input echo: what the citizen typed is repeated, EXCEPT the digits of an ID number or a PIN,
  which never reach the text (only how many were typed);
- Chinese into tone-numbered pinyin syllables (pypinyin, ``TONE3``) for the `cmn-latn-pinyin`
  voice.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

DIGITS = "零一二三四五六七八九"
_UNITS = ("", "十", "百", "千")
_BIG = ("", "万", "亿", "万亿")

#: kinds of text a screen speaks
PROMPT, ERROR, RESULT, ECHO = "prompt", "error", "result", "echo"
KINDS = (PROMPT, ERROR, RESULT, ECHO)
#: input fields whose digits are never spoken
SECRET_FIELDS = frozenset({"id_number", "pin", "password"})


def _four(n: int) -> str:
    """0 < n < 10000, with inner zeros as 零."""
    out, zero = [], False
    for i in range(3, -1, -1):
        d = n // 10 ** i % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + _UNITS[i])
    return "".join(out)


def integer_words(n: int) -> str:
    """Chinese words for an integer: 1234 → 一千二百三十四, 10 → 十, 100005 → 十万零五."""
    if n < 0:
        return "负" + integer_words(-n)
    if n == 0:
        return "零"
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, pending_zero = [], False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or g < 1000):
            out.append("零")
        out.append(_four(g) + _BIG[i])
        pending_zero = False
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text


def digits_words(s: str) -> str:
    """Digit by digit (a phone or queue number): 0571 → 零五七一."""
    return "".join(DIGITS[int(c)] for c in s if c.isdigit())


def decimal_words(text: str) -> str:
    """12.5 → 十二点五."""
    whole, _, frac = text.partition(".")
    out = integer_words(int(whole or 0))
    return out + ("点" + digits_words(frac) if frac else "")


def amount_words(value) -> str:
    """An amount of yuan in words: 1234.50 → 一千二百三十四元五角; 0.05 → 五分; 3 → 三元整."""
    try:
        d = Decimal(str(value).replace(",", "")).quantize(Decimal("0.01"))
    except InvalidOperation:
        return str(value)
    sign = "负" if d < 0 else ""
    fen = int(abs(d) * 100)
    yuan, jiao, f = fen // 100, fen // 10 % 10, fen % 10
    out = integer_words(yuan) + "元" if yuan else ""
    if jiao:
        out += DIGITS[jiao] + "角"
    elif yuan and f:
        out += "零"
    if f:
        out += DIGITS[f] + "分"
    if not out:
        return "零元"
    return sign + (out if (jiao or f) else out + "整")


def date_words(d: date) -> str:
    """2026-12-05 → 二〇二六年十二月五日 (years digit by digit, as said)."""
    year = "".join("〇一二三四五六七八九"[int(c)] for c in f"{d.year:04d}")
    return f"{year}年{integer_words(d.month)}月{integer_words(d.day)}日"


_AMOUNT = re.compile(r"(?:¥|￥)?\s*(-?\d[\d,]*(?:\.\d+)?)\s*(?:元|¥|￥)")
_YUAN_PREFIX = re.compile(r"(?:¥|￥)\s*(-?\d[\d,]*(?:\.\d+)?)")
_DATE = re.compile(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?")
_YEAR_MONTH = re.compile(r"(\d{4})[-/年](\d{1,2})月?(?!\d)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LONG_DIGITS = 5  # longer runs (a queue or phone number) are read digit by digit


def chinese_numbers(text: str) -> str:
    """Every date, amount and number in a Chinese text into words."""
    def _date(m):
        try:
            return date_words(date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            return m[0]

    def _ym(m):
        if not 1 <= int(m[2]) <= 12:
            return m[0]
        return "".join("〇一二三四五六七八九"[int(c)] for c in m[1]) + "年" \
            + integer_words(int(m[2])) + "月"

    text = _DATE.sub(_date, text)
    text = _YEAR_MONTH.sub(_ym, text)
    text = _AMOUNT.sub(lambda m: amount_words(m[1]), text)
    text = _YUAN_PREFIX.sub(lambda m: amount_words(m[1]), text)

    def _num(m):
        s = m[0]
        if "." in s:
            return decimal_words(s)
        if len(s) >= _LONG_DIGITS or (len(s) > 1 and s.startswith("0")):
            return digits_words(s)
        return integer_words(int(s))

    return _NUMBER.sub(_num, text)


def echo_text(field: str, value: str, lang: str) -> str:
    """What is said back after a key press. An ID number's or a PIN's characters never appear:
    only how many have been typed."""
    zh = not lang.startswith("en")
    if field in SECRET_FIELDS:
        n = len(value)
        return f"已输入{integer_words(n)}位" if zh else f"{n} entered"
    if zh:
        return chinese_numbers(" ".join(value)) if value.isdigit() else value
    return " ".join(value) if value.isdigit() else value


_HAN = re.compile(r"[\u3400-\u9fff]")


def speakable(text: str, lang: str) -> str:
    """The words to say, numbers spelled out for Chinese; whitespace collapsed."""
    text = " ".join(text.split())
    if lang.startswith("en"):
        return text
    return chinese_numbers(text)


def to_pinyin(text: str) -> str:
    """Chinese words as tone-numbered syllables for espeak-ng's cmn-latn-pinyin voice
    (neutral tone as 5); punctuation becomes a pause; Latin letters and digits pass through
    (numbers are words already: `speakable` first)."""
    from pypinyin import Style, lazy_pinyin

    out = []
    for chunk in re.split(r"([，。！？、；：,.!?;:\n（）()“”\"《》]+)", text):
        if not chunk.strip():
            continue
        if re.fullmatch(r"[，。！？、；：,.!?;:\n（）()“”\"《》]+", chunk):
            out.append(",")
            continue
        syl = lazy_pinyin(chunk, style=Style.TONE3, neutral_tone_with_five=True,
                          errors=lambda s: [c for c in s.split()] if s.strip() else [])
        out.extend(s for s in syl if s.strip())
    text = " ".join(out).replace(" ,", ",").strip(", ")
    return text
