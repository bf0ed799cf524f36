"""Ports the core talks to, implemented outside it (printing/, devices) and injected by the
composition root, so the core stays free of Qt, printers and networks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from kiosk.catalog.model import GuideDetail
from kiosk.devices.status import DeviceStatus

if TYPE_CHECKING:  # the flows import this module's neighbours; annotations only
    from kiosk.flows.ports import PrintableDocument
    from protocol import QueueTicket


@dataclass(frozen=True)
class PrintUpdate:
    """A print job moved: state is queued, printing, done, failed, needs_attention or expired;
    reason is a status reason code (paper_out, cover_open, offline, ...) or empty."""

    job_id: str
    state: str
    reason: str


class PrintPort(Protocol):
    """Printing as the core and the citizen flows see it (`printing.service.PrintService`).
    It is also the flows' `DocumentPrinter` and `ReceiptPrinter`. Refusals raise
    `kiosk.flows.ports.PrintRefused(reason)`, reason a `kiosk.devices.status.Reason`."""

    def print_guide_slip(self, guide: GuideDetail) -> str:
        """Queue a guide slip on the receipt printer; returns the job id."""

    def print_queue_ticket(self, ticket: QueueTicket) -> str:
        """Queue a 取号 receipt (number, business, window, people ahead, follow-up QR, hall);
        returns the job id. No printer: PrintRefused("not_configured")."""

    def print_document(self, document: PrintableDocument) -> str:
        """Render an issued A4 document and queue it; its bytes stay in memory only, since it
        holds personal data. Returns the job id. No A4 printer: PrintRefused("not_configured");
        not renderable: PrintRefused("device_error")."""

    def preview_document(self, document: PrintableDocument) -> bytes:
        """The document as a draft PDF for the preview screen: watermarked 样张, no QR code,
        possibly before the backend issued it. Nothing is queued."""

    def preview_page(self, document: PrintableDocument) -> bytes:
        """The draft's first page as a PNG image, for the preview screen (made in the render
        helper process). Raises PrintRefused("device_error") if it cannot be drawn."""

    def discard(self, job_id: str) -> None:
        """Nobody waits for this job any more: drop it if it has not started printing, so no
        personal paper lies in the tray for the next citizen. A job already printing goes on."""

    def receipt_status(self) -> DeviceStatus | None:
        """The receipt printer's last known status; None if the terminal has none."""

    def document_status(self) -> DeviceStatus | None:
        """The A4 printer's last known status; None if the terminal has none."""

    def print_test(self, printer: str) -> str:
        """A technician's test page on "receipt" or "document"; the job id."""
        ...

    def forget_personal(self) -> None:
        """End of a citizen session: drop the bytes of every job that holds personal data."""

    def subscribe(self, fn: Callable[[PrintUpdate], None]) -> None:
        """`fn` is called, from a worker thread, whenever a job changes state."""

    def subscribe_status(self, fn: Callable[[str, DeviceStatus], None]) -> None:
        """`fn("receipt" | "document", status)`, from a worker thread, whenever a printer's
        status changes."""

    # hall staff (kiosk.staff): the staff tools' reprints and fault clearing
    def reprintable(self, *, since: datetime, personal: bool) -> list:
        """printing.service.ReprintCandidate's staff may reprint: receipts since `since`, and
        with `personal` the documents of the citizen session now running."""

    def reprint(self, job_id: str) -> str:
        """Print the job again marked 补打; the new job's id."""

    def probe(self, printer: str) -> None:
        """Ask the printer ("receipt" | "document") for its status again, off this thread."""
