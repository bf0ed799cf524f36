"""Printer drivers from the terminal config (`[printing.receipt]`, `[printing.document]`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk.config import ReceiptDriver, TerminalConfig
from printing.cups import CupsDriver
from printing.drivers import EscposDriver, network_driver
from printing.escpos_text import PROFILE_58MM, PROFILE_80MM, PaperProfile
from printing.spooler import PrinterDriver

RECEIPT, DOCUMENT = "receipt", "document"


def profile_for(paper_mm: int) -> PaperProfile:
    return PROFILE_58MM if paper_mm == 58 else PROFILE_80MM


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
        out.drivers[DOCUMENT] = FolderDriver(DOCUMENT, folder)
    return out
