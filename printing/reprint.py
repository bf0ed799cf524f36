"""补打 (reprint) marks, for the staff tools' reprints (issue 10; docs/decisions/0020).

A receipt's bytes are kept in the print journal (it holds no personal data): its reprint is
those bytes under a header that says 补打 in large type, with when the original was printed and
when the reprint was made. An A4 document is rendered again from the document the citizen's
session still holds (its bytes never rest on disk) with a 补打 stamp on every page
(`printing.documents.reprinting`).
"""

from __future__ import annotations

from datetime import datetime

from printing.escpos_text import PaperProfile

REPRINT_MARK = "补打"


def mark_receipt(data: bytes, profile: PaperProfile, *, original_at: datetime,
                 reprinted_at: datetime, terminal_id: str) -> bytes:
    """The receipt's bytes under a 补打 header (no cut between: one piece of paper)."""
    from escpos.printer import Dummy

    from printing.escpos_text import ReceiptWriter

    p = Dummy(profile=profile.escpos_profile())
    w = ReceiptWriter(p, profile)
    w.init()
    w.line(f"【{REPRINT_MARK}】", align="center", bold=True, scale=2)
    w.line(f"原单 {original_at:%Y-%m-%d %H:%M}  补打 {reprinted_at:%Y-%m-%d %H:%M}",
           align="center")
    w.line(f"终端 {terminal_id}", align="center")
    w.rule("=")
    return p.output + data
