"""Keeping personal data off the disk: detection of ID numbers. (Masking for the screen is
`protocol.mask_id_number`.)"""

from __future__ import annotations

import re
from typing import Any

# Mainland resident ID numbers: 18 characters (17 digits + digit or X), or the old 15 digits.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


class PersonalDataError(ValueError):
    """Something about to be stored or sent contains personal data it must not."""


def contains_id_number(value: Any) -> bool:
    """True if any string inside `value` (nested dicts and lists too) holds an ID number."""
    if isinstance(value, str):
        return bool(ID_NUMBER.search(value))
    if isinstance(value, dict):
        return any(contains_id_number(k) or contains_id_number(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(contains_id_number(v) for v in value)
    return False
