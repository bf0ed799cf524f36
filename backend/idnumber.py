"""Resident ID numbers (GB 11643-1999): validate, make synthetic ones. (Masking is
`protocol.mask_id_number`, the one helper both ends use.)

The validation itself lives in the shared protocol module, so the terminal checks manual entry
with exactly the rules the backend applies; this module adds what only the backend needs.

Layout: 6 digits address code, 8 digits birth date (YYYYMMDD), 3 digits sequence (odd for men,
even for women), 1 check character from ISO 7064 MOD 11-2 over the first 17 digits with the
weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, mapping the remainder 0..10 to 1 0 X 9 8 7 6 5 4 3 2.
"""

from __future__ import annotations

from datetime import date

from protocol import (
    id_check_digit,
    id_number_problem,
    normalize_id_number,
)

__all__ = ["birth_date", "check_digit", "gender", "is_valid", "make", "problem"]

check_digit = id_check_digit
problem = id_number_problem


def is_valid(id_number: str) -> bool:
    return isinstance(id_number, str) and id_number_problem(id_number) is None


def make(region: str, born: date, sequence: int) -> str:
    """An ID number for address code `region` (6 digits), birth date and sequence 0..999 (odd
    for a man, even for a woman), with its check digit."""
    if len(region) != 6 or not region.isdigit():
        raise ValueError("region must be a 6-digit address code")
    if not 0 <= sequence <= 999:
        raise ValueError("sequence must be 0..999")
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + id_check_digit(first17)


def birth_date(id_number: str) -> date:
    v = normalize_id_number(id_number)
    return date(int(v[6:10]), int(v[10:12]), int(v[12:14]))


def gender(id_number: str) -> str:
    """'male' if the sequence is odd, else 'female'."""
    return "male" if int(normalize_id_number(id_number)[16]) % 2 else "female"
