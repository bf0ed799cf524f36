"""The print service the core uses (kiosk.ports.PrintPort): builds printouts and spools them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from kiosk.catalog.model import GuideDetail
from kiosk.devices.status import DeviceStatus
from kiosk.ports import PrintUpdate
from printing.escpos_text import PaperProfile
from printing.factory import DOCUMENT, RECEIPT
from printing.receipts import GuideSlip, Material, guide_slip
from printing.spooler import JobView, Spooler


class PrintService:
    def __init__(self, spooler: Spooler, profile: PaperProfile, terminal_id: str,
                 clock: Callable[[], datetime] = datetime.now):
        self.spooler = spooler
        self.profile = profile
        self.terminal_id = terminal_id
        self.clock = clock

    def print_guide_slip(self, guide: GuideDetail) -> str:
        slip = GuideSlip(
            item_name=guide.item.name, department=guide.item.department_name,
            materials=[Material(m.name, m.originals, m.copies, m.note) for m in guide.materials],
            place=guide.place, window=guide.window, time_limit=guide.handling_type,
            guide_url=guide.online_url, terminal_id=self.terminal_id,
            printed_at=self.clock(), hours=guide.hours, phone=guide.phone,
        )
        return self.spooler.submit(RECEIPT, "guide_slip", guide.item.name,
                                   guide_slip(slip, self.profile), personal=False)

    def receipt_status(self) -> DeviceStatus | None:
        return self._status(RECEIPT)

    def document_status(self) -> DeviceStatus | None:
        return self._status(DOCUMENT)

    def _status(self, printer: str) -> DeviceStatus | None:
        """The last status the spooler's worker saw (it asks the printer between jobs, off the
        UI thread); before its first answer the printer is taken as ready."""
        if printer not in self.spooler.drivers:
            return None
        return self.spooler.last_status(printer) or DeviceStatus.ok()

    def forget_personal(self) -> None:
        self.spooler.forget_personal()

    def subscribe(self, fn: Callable[[PrintUpdate], None]) -> None:
        def forward(view: JobView) -> None:
            fn(PrintUpdate(view.id, str(view.state), str(view.reason)))

        self.spooler.subscribe(forward)
