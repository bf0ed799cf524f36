"""Printer drivers from the terminal config (`[printing.receipt]`, `[printing.document]`).

Nothing here loads python-escpos, Pillow or ReportLab: the kiosk sets its printers up before
the home screen shows, and those are only needed for a printout (or a status request).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import ReceiptDriver, TerminalConfig

if TYPE_CHECKING:
    from printing.escpos_text import PaperProfile
    from printing.spooler import PrinterDriver

RECEIPT, DOCUMENT = "receipt", "document"


class LazyPaperProfile:
    """Stands for the `PaperProfile` of a paper width until something reads it: python-escpos
    and its printer database (~40 ms and a few MiB) load then, not at start. Attribute access,
    equality and hashing are the real profile's."""

    __slots__ = ("paper_mm", "_profile")

    def __init__(self, paper_mm: int):
        self.paper_mm = paper_mm
        self._profile = None

    def resolve(self) -> PaperProfile:
        if self._profile is None:
            from printing.escpos_text import PROFILE_58MM, PROFILE_80MM

            self._profile = PROFILE_58MM if self.paper_mm == 58 else PROFILE_80MM
        return self._profile

    def __getattr__(self, name: str):
        return getattr(self.resolve(), name)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyPaperProfile):
            other = other.resolve()
        return self.resolve() == other

    def __hash__(self) -> int:
        return hash(self.resolve())

    def __repr__(self) -> str:
        return repr(self._profile) if self._profile is not None else \
            f"LazyPaperProfile({self.paper_mm} mm)"


def profile_for(paper_mm: int) -> PaperProfile:
    """The receipt profile for 58 or 80 mm paper (read from python-escpos on first use)."""
    return LazyPaperProfile(paper_mm)  # type: ignore[return-value]


@dataclass
class Printers:
    drivers: dict[str, PrinterDriver] = field(default_factory=dict)
    virtual: object | None = None  # the VirtualPrinter serving the "virtual" driver, if any

    def close(self) -> None:
        if self.virtual is not None:
            self.virtual.stop()
            self.virtual = None


def make_printers(config: TerminalConfig) -> Printers:
    out = Printers()
    rc = config.printing.receipt
    if rc.driver in (ReceiptDriver.VIRTUAL, ReceiptDriver.NETWORK, ReceiptDriver.SERIAL,
                     ReceiptDriver.USB):
        from printing.drivers import EscposDriver, network_driver
    if rc.driver == ReceiptDriver.CUPS_RAW or config.printing.document.driver == "cups":
        from printing.cups import CupsDriver
    if rc.driver == ReceiptDriver.VIRTUAL:
        from printing.virtual_printer import VirtualPrinter

        out.virtual = VirtualPrinter(rc.host, rc.port if rc.port else 0,
                                     profile=profile_for(rc.paper_mm)).start()
        out.drivers[RECEIPT] = network_driver(RECEIPT, rc.host, out.virtual.port, rc.timeout_s)
    elif rc.driver == ReceiptDriver.NETWORK:
        out.drivers[RECEIPT] = network_driver(RECEIPT, rc.host, rc.port, rc.timeout_s)
    elif rc.driver == ReceiptDriver.SERIAL:
        from escpos.printer import Serial

        out.drivers[RECEIPT] = EscposDriver(
            RECEIPT, lambda: Serial(rc.device, baudrate=rc.baudrate, timeout=rc.timeout_s))
    elif rc.driver == ReceiptDriver.USB:
        from escpos.printer import Usb

        out.drivers[RECEIPT] = EscposDriver(
            RECEIPT, lambda: Usb(rc.usb_vendor, rc.usb_product, timeout=int(rc.timeout_s * 1000)))
    elif rc.driver == ReceiptDriver.CUPS_RAW:
        out.drivers[RECEIPT] = CupsDriver(RECEIPT, rc.cups_queue)
    dc = config.printing.document
    if dc.driver == "cups":
        out.drivers[DOCUMENT] = CupsDriver(DOCUMENT, dc.cups_queue)
    elif dc.driver == "virtual":
        from kiosk import paths
        from printing.virtual_a4 import FolderDriver

        folder = Path(dc.folder).expanduser() if dc.folder else paths.data_dir(config) / "printed"
        out.drivers[DOCUMENT] = FolderDriver(DOCUMENT, folder, keep_s=dc.keep_hours * 3600)
    return out
