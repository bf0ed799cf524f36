"""好差评: the five levels, the reasons offered for the two lowest, validation, and the outbox
payload.

The payload names the item, never the person: no ID number, no name, and the free comment is
scrubbed of anything that looks like an ID number, a phone or a bank-card number (full-width
digits too) and of the citizen's own name if it was known. Nothing in it links to the person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

from kiosk.privacy import ID_NUMBER, contains_id_number

PAYLOAD_FORMAT = 1
MAX_COMMENT_CHARS = 100
SCRUBBED = "***"


class Satisfaction(IntEnum):
    VERY_SATISFIED = 5  # 非常满意
    SATISFIED = 4  # 满意
    BASIC = 3  # 基本满意
    DISSATISFIED = 2  # 不满意
    VERY_DISSATISFIED = 1  # 非常不满意

    @property
    def code(self) -> str:
        return f"rating.level.{self.name.lower()}"


LEVEL_NAMES = {
    Satisfaction.VERY_SATISFIED: "非常满意",
    Satisfaction.SATISFIED: "满意",
    Satisfaction.BASIC: "基本满意",
    Satisfaction.DISSATISFIED: "不满意",
    Satisfaction.VERY_DISSATISFIED: "非常不满意",
}
LEVELS = tuple(sorted(Satisfaction, reverse=True))  # as shown: best first
LOW_LEVELS = frozenset({Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED})


class RatingReason(StrEnum):
    """What went wrong, for the two lowest levels (the screen shows `rating.reason.<value>`)."""

    SLOW = "slow"  # 等候或办理时间长
    HARD_TO_USE = "hard_to_use"  # 操作复杂，不会用
    UNCLEAR = "unclear"  # 指引或说明看不懂
    WRONG_DATA = "wrong_data"  # 查询结果不准确
    NOT_DONE = "not_done"  # 事情没办成
    PRINT_PROBLEM = "print_problem"  # 打印出错或不清楚
    DEVICE_FAULT = "device_fault"  # 设备故障
    STAFF = "staff"  # 帮办人员服务不好
    OTHER = "other"  # 其他


REASON_NAMES = {
    RatingReason.SLOW: "等候或办理时间长",
    RatingReason.HARD_TO_USE: "操作复杂，不会用",
    RatingReason.UNCLEAR: "指引或说明看不懂",
    RatingReason.WRONG_DATA: "查询结果不准确",
    RatingReason.NOT_DONE: "事情没办成",
    RatingReason.PRINT_PROBLEM: "打印出错或不清楚",
    RatingReason.DEVICE_FAULT: "设备故障",
    RatingReason.STAFF: "帮办人员服务不好",
    RatingReason.OTHER: "其他",
}


class RatingInvalid(ValueError):
    """`code` is one of: rating.bad_level, rating.reason_required, rating.reasons_not_allowed,
    rating.unknown_reason, rating.comment_too_long."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


RATING_CODES = frozenset({
    "rating.bad_level", "rating.reason_required", "rating.reasons_not_allowed",
    "rating.unknown_reason", "rating.comment_too_long",
})


@dataclass(frozen=True)
class Rating:
    level: Satisfaction
    reasons: tuple[RatingReason, ...] = ()
    comment: str = ""

    @property
    def low(self) -> bool:
        return self.level in LOW_LEVELS


def validate(level: int, reasons: Iterable[str] = (), comment: str = "") -> Rating:
    """A rating as the citizen gave it, or `RatingInvalid`. At least one reason is required
    for the two lowest levels, and reasons are only for those; the comment is optional and
    short (it is counted after trimming, before scrubbing)."""
    try:
        lvl = Satisfaction(int(level))
    except (TypeError, ValueError):
        raise RatingInvalid("rating.bad_level") from None
    try:
        chosen = tuple(dict.fromkeys(RatingReason(r) for r in reasons))
    except ValueError:
        raise RatingInvalid("rating.unknown_reason") from None
    if lvl in LOW_LEVELS and not chosen:
        raise RatingInvalid("rating.reason_required")
    if lvl not in LOW_LEVELS and chosen:
        raise RatingInvalid("rating.reasons_not_allowed")
    text = " ".join(comment.split())
    if len(text) > MAX_COMMENT_CHARS:
        raise RatingInvalid("rating.comment_too_long")
    return Rating(lvl, chosen, text)


# 11 or more digits, possibly split by spaces, dots or dashes, optionally ending in X: ID
# numbers (15/18), mobile numbers (11), bank cards (16-19), written any way a person would.
_LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[\s.\-]?\d){10,}(?:[\s.\-]?[Xx])?(?![\dXx])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# full-width digits and X (a phone IME types them): folded so the patterns above see them;
# the rest of the comment (full-width punctuation included) is left as the citizen wrote it
_FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF38: ord("X"), 0xFF58: ord("x")}


def scrub_comment(text: str, names: Iterable[str] = ()) -> str:
    """The comment with ID-number-like strings and the given names replaced by ``***``.
    Full-width digits (３２０１…) are folded first so they cannot slip through."""
    out = _CONTROL.sub("", text.translate(_FULLWIDTH))
    out = ID_NUMBER.sub(SCRUBBED, out)
    out = _LONG_NUMBER.sub(SCRUBBED, out)
    for name in names:
        name = unicodedata.normalize("NFKC", name or "").strip()
        if len(name) >= 2:
            out = out.replace(name, SCRUBBED)
    return out


def payload(rating: Rating, *, item_id: str, terminal_id: str, run_id: str,
            flow_id: str = "", outcome: str = "", names: Iterable[str] = ()) -> dict[str, Any]:
    """The outbox payload of a rating (event kind ``rating``).

    `names` are scrubbed from the comment (the citizen's own name, when known)."""
    body: dict[str, Any] = {
        "format": PAYLOAD_FORMAT,
        "item_id": item_id,
        "flow": flow_id or item_id,
        "level": int(rating.level),
        "level_name": LEVEL_NAMES[rating.level],
        "reasons": [r.value for r in rating.reasons],
        "comment": scrub_comment(rating.comment, names),
        "terminal_id": terminal_id,
        "run_id": run_id,
        "channel": "kiosk",
    }
    if outcome:
        body["outcome"] = outcome
    if contains_id_number(body):  # the scrub above makes this unreachable; never trust it
        body["comment"] = SCRUBBED
    return body
