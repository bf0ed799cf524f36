"""The print service the core uses (kiosk.ports.PrintPort) and the flows' printer ports
(kiosk.flows.ports.DocumentPrinter and ReceiptPrinter): builds printouts and spools them."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kiosk.devices.status import DeviceStatus, Reason
from kiosk.flows.ports import PrintableDocument, PrintRefused
from kiosk.ports import PrintUpdate
from printing.factory import DOCUMENT, RECEIPT
from protocol import LOCAL_TZ

if TYPE_CHECKING:
    import protocol as p
    from kiosk.catalog.model import GuideDetail
    from printing.escpos_text import PaperProfile
    from printing.spooler import JobView, Spooler

# The printouts themselves (python-escpos, ReportLab, Pillow, qrcode) are made by the renderer:
# in the kiosk, its helper process (printing.render_host); this module loads none of them.

log = logging.getLogger("kiosk.printing")


@dataclass(frozen=True)
class ReprintCandidate:
    """A job the staff tools may offer to reprint (hall staff)."""

    id: str
    printer: str  # receipt or document
    kind: str  # queue_ticket, guide_slip, a document kind
    title: str
    state: str
    personal: bool
    created_at: datetime  # UTC, naive
    reprint_of: str | None = None


class PrintService:
    def __init__(self, spooler: Spooler, profile: PaperProfile, terminal_id: str,
                 clock: Callable[[], datetime] | None = None, place: str = "",
                 items=None, renderer=None):
        """`place` is the hall's name, printed at the top of queue tickets; `clock` gives the
        time printed on guide slips (default: now, in local time); `items` is the terminal's
        item registry, which names each document's renderer; `renderer` runs the rendering
        jobs (`printing.render_jobs`): the kiosk's render helper process
        (`printing.render_host.RenderHost`), or by default this process."""
        if renderer is None:
            from printing.render_jobs import LocalRenderer

            renderer = LocalRenderer()
        self.renderer = renderer
        self.items = items
        self.spooler = spooler
        self.profile = profile
        self.terminal_id = terminal_id
        self.clock = clock or (lambda: datetime.now(LOCAL_TZ))
        self.place = place
        # the citizen's language, for the receipts' words (the kiosk's core sets it to its
        # session's; printing.receipt_words)
        self.language_of: Callable[[], str] = lambda: "zh_CN"
        # hall staff: the documents printed in the citizen's session, in memory only, until
        # forget_personal (a 补打 re-renders one; docs/decisions/0020)
        self._session_documents: dict[str, PrintableDocument] = {}

    # -- receipts --------------------------------------------------------------------------
    def print_guide_slip(self, guide: GuideDetail) -> str:
        fields = dict(
            item_name=guide.item.name, department=guide.item.department_name,
            materials=[dict(name=m.name, originals=m.originals, copies=m.copies, note=m.note)
                       for m in guide.materials],
            place=guide.place, window=guide.window, time_limit=guide.handling_type,
            guide_url=guide.online_url, terminal_id=self.terminal_id,
            printed_at=self.clock(), hours=guide.hours, phone=guide.phone,
            language=self.language_of(),
        )
        data = self.renderer.run("guide_slip", fields, self._profile_arg())
        return self.spooler.submit(RECEIPT, "guide_slip", guide.item.name, data, personal=False)

    def print_queue_ticket(self, ticket: p.QueueTicket) -> str:
        """Queue a 取号 receipt (no personal data: it is kept in the journal like a guide slip);
        returns the job id. Raises `PrintRefused` without a receipt printer or if the ticket
        cannot be encoded."""
        self._require(RECEIPT)
        business = ticket.business_name or ticket.business_type
        if ticket.window:  # where to go, on the bold line under the number
            business = f"{business}（{ticket.window}）"
        fields = dict(number=ticket.number, business=business,
                      people_ahead=ticket.people_ahead,
                      issued_at=ticket.issued_at.astimezone(LOCAL_TZ),  # printed in Beijing time
                      terminal_id=self.terminal_id, follow_url=ticket.follow_url,
                      hall=self.place, language=self.language_of())
        try:
            data = self.renderer.run("queue_ticket", fields, self._profile_arg())
        except Exception as exc:
            self._log_failure("queue ticket", exc)
            raise PrintRefused(Reason.DEVICE_ERROR) from None
        return self.spooler.submit(RECEIPT, "queue_ticket", ticket.number, data, personal=False)

    # -- A4 documents ----------------------------------------------------------------------
    def print_document(self, document: PrintableDocument) -> str:
        """Render the issued document and queue it as a personal job (its bytes never reach
        the disk); returns the job id. Raises `PrintRefused` ("not_configured" without an A4
        printer, "device_error" if it cannot be rendered)."""
        self._require(DOCUMENT)
        pdf = self._render(document, draft=False)
        job_id = self.spooler.submit(DOCUMENT, str(document.kind), document.title, pdf,
                                     personal=True)
        self._session_documents[job_id] = document  # for a 补打 in this session only
        return job_id

    def preview_document(self, document: PrintableDocument) -> bytes:
        """The same pages as a draft PDF (watermarked, no QR code), before the backend issued
        the document; nothing is spooled. Raises `PrintRefused`."""
        return self._render(document, draft=True)

    def preview_page(self, document: PrintableDocument) -> bytes:
        """The on-screen preview: the draft's first page as a PNG image
        (`render_jobs.PREVIEW_WIDTH` pixels wide). Raises `PrintRefused`."""
        return self._render(document, draft=True, job="page")

    def discard(self, job_id: str) -> None:
        self.spooler.discard(job_id)

    def _render(self, document: PrintableDocument, *, draft: bool, job: str = "document",
                reprint: bool = False) -> bytes:
        try:
            renderer = self._registry().renderer(str(document.kind))
            language = self.language_of()
            if job == "page":
                from printing.render_jobs import PREVIEW_WIDTH

                return self.renderer.run("page", renderer, document, self.terminal_id,
                                         PREVIEW_WIDTH, language)
            return self.renderer.run("document", renderer, document, self.terminal_id, draft,
                                     reprint, language)
        except Exception as exc:
            self._log_failure(f"document {document.kind}", exc)
            raise PrintRefused(Reason.DEVICE_ERROR) from None

    def _registry(self):
        if self.items is None:
            from kiosk.flows.items import ItemRegistry

            self.items = ItemRegistry()
        return self.items

    def _profile_arg(self):
        """The receipt profile as the renderer takes it: the paper width while python-escpos
        has not been loaded here (it need not be: the helper reads it)."""
        from printing.factory import LazyPaperProfile

        profile = self.profile
        if isinstance(profile, LazyPaperProfile) and profile._profile is None:
            return ("mm", profile.paper_mm)
        return profile.resolve() if isinstance(profile, LazyPaperProfile) else profile

    @staticmethod
    def _log_failure(what: str, exc: BaseException) -> None:
        """A bug: the traceback's code lines for the technician, never the exception's message
        or local values, which may quote the citizen's records."""
        trace = getattr(exc, "trace", None)  # a RenderFailed: the helper's code lines
        kind = getattr(exc, "kind", None) or type(exc).__name__
        tb = trace if trace is not None else "".join(traceback.format_tb(exc.__traceback__))
        log.error("could not render %s: %s\n%s", what, kind, tb)

    def _require(self, printer: str) -> None:
        if printer not in self.spooler.drivers:
            raise PrintRefused(Reason.NOT_CONFIGURED)

    # -- status ----------------------------------------------------------------------------
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
        self._session_documents.clear()
        self.spooler.forget_personal()

    # -- hall staff: reprints (补打) and probes ----------------------------------------------------
    def reprintable(self, *, since: datetime, personal: bool) -> list[ReprintCandidate]:
        """Jobs staff may reprint now, newest first: receipts (no personal data, their bytes in
        the journal) created since `since`; with `personal`, also the A4 documents of the
        citizen session now running (still in memory). Never a job still queued or printing,
        nor a reprint (its original is listed)."""
        from printing.spooler import JobState

        out = []
        for view, created, kept in self.spooler.journal(since):
            if view.state in (JobState.QUEUED, JobState.PRINTING) or view.reprint_of:
                continue  # (a reprint is made again from its original)
            if view.personal:
                if not personal or view.id not in self._session_documents:
                    continue
            elif not kept:
                continue
            out.append(ReprintCandidate(view.id, view.printer, view.kind, view.title,
                                        str(view.state), view.personal, created,
                                        view.reprint_of))
        return out

    def reprint(self, job_id: str) -> str:
        """Print the job again marked 补打; returns the new job's id. A personal document only
        while its session's copy is held (`reprintable(personal=True)`)."""
        from datetime import timezone

        document = self._session_documents.get(job_id)
        now = self.clock()
        if document is not None:
            pdf = self._render(document, draft=False, reprint=True)
            return self.spooler.submit(DOCUMENT, str(document.kind), document.title, pdf,
                                       personal=True, reprint_of=job_id)
        from printing.reprint import mark_receipt

        def mark(data: bytes, created: datetime) -> bytes:
            local = created.replace(tzinfo=timezone.utc).astimezone(LOCAL_TZ)
            return mark_receipt(data, self.profile, original_at=local, reprinted_at=now,
                                terminal_id=self.terminal_id)

        return self.spooler.reprint(job_id, transform=mark)

    def print_test(self, printer: str) -> str:
        """The technician's test print (the maintenance panel): a sample queue ticket marked
        TEST on the receipt printer, the sample 无房产证明 of a synthetic person on the A4
        printer. Not personal (no real citizen). Returns the job id; raises `PrintRefused`."""
        self._require(printer)
        if printer == RECEIPT:
            fields = dict(number="TEST", business="打印测试 / Test print", people_ahead=0,
                          issued_at=self.clock(), terminal_id=self.terminal_id,
                          follow_url="", hall=self.place)
            try:
                data = self.renderer.run("queue_ticket", fields, self._profile_arg())
            except Exception as exc:
                self._log_failure("test receipt", exc)
                raise PrintRefused(Reason.DEVICE_ERROR) from None
            return self.spooler.submit(RECEIPT, "test_print", "测试页 Test page", data,
                                       personal=False)
        from printing.samples import sample_document

        try:
            pdf = sample_document("no-property")
        except Exception as exc:
            self._log_failure("test page", exc)
            raise PrintRefused(Reason.DEVICE_ERROR) from None
        return self.spooler.submit(DOCUMENT, "test_print", "测试页 Test page", pdf, personal=False)

    def probe(self, printer: str) -> None:
        """A fault was cleared (paper refilled): ask the printer again, off this thread."""
        self.spooler.probe(printer)

    def subscribe_status(self, fn: Callable[[str, DeviceStatus], None]) -> None:
        """`fn("receipt" | "document", status)` when a printer's status changes (any thread)."""
        self.spooler.subscribe_status(fn)

    def subscribe(self, fn: Callable[[PrintUpdate], None]) -> None:
        def forward(view: JobView) -> None:
            fn(PrintUpdate(view.id, str(view.state), str(view.reason)))

        self.spooler.subscribe(forward)
