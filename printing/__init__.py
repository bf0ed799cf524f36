"""Printing building blocks: ESC/POS receipts (python-escpos), a virtual receipt printer for
tests and the demo, and A4 documents (ReportLab). See docs/decisions/0007-printing.md."""

from __future__ import annotations


def mask_middle(value: str, head: int = 4, tail: int = 4, mask: str = "*") -> str:
    """Hide the middle of an identifier: SB2026112300001234 -> SB20**********1234.

    Values shorter than head + tail + 4 keep at most a third of their characters visible at
    each end, so something is always hidden.
    """
    n = len(value)
    if n >= head + tail + 4:
        h, t = head, tail
    else:
        h, t = min(head, n // 3), min(tail, n // 3)
    return value[:h] + mask * (n - h - t) + value[n - t:] if t else value[:h] + mask * (n - h)
