"""Printer drivers for the spooler: ESC/POS receipt printers through python-escpos connections.

`EscposDriver` wraps any python-escpos printer class (Serial, Usb, CupsPrinter) or
`NetworkLink` (a TCP printer, python-escpos's `Network` without its start-up cost): it
asks for real-time status (DLE EOT) before and after a job, sends the job's bytes through the
printer's raw write, and turns every connection problem into `PrinterError` with a reason.
Status needs a two-way link: python-escpos reports "paper ok" on an empty answer, so an empty
answer is treated as "no status" (offline), not as good news.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

from kiosk.devices.status import DeviceStatus, Level, Reason
from printing.spooler import PrinterError

log = logging.getLogger("kiosk.printing")

DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_OFFLINE = b"\x10\x04\x02"
DLE_EOT_PAPER = b"\x10\x04\x04"


def decode_status(printer_byte: int, offline_byte: int, paper_byte: int) -> DeviceStatus:
    """Epson real-time status bytes to the shared status model."""
    if offline_byte & 0x04:
        return DeviceStatus(Level.ERROR, Reason.COVER_OPEN)
    if paper_byte & 0x60:
        return DeviceStatus(Level.ERROR, Reason.PAPER_OUT)
    if offline_byte & 0x20:  # printing stopped by paper end
        return DeviceStatus(Level.ERROR, Reason.PAPER_OUT)
    if printer_byte & 0x08:
        return DeviceStatus(Level.ERROR, Reason.OFFLINE)
    if paper_byte & 0x0C:
        return DeviceStatus(Level.WARNING, Reason.PAPER_NEAR_END)
    return DeviceStatus(Level.OK)


class EscposDriver:
    """A receipt printer reached through a python-escpos connection class."""

    def __init__(self, name: str, connect: Callable[[], object]):
        self.name = name
        self._connect = connect

    def _open(self):
        try:
            printer = self._connect()
        except Exception as exc:
            raise PrinterError(Reason.NOT_CONFIGURED, f"{type(exc).__name__}: {exc}") from None
        try:
            printer.open()
        except Exception as exc:  # OSError, or python-escpos's DeviceNotFoundError
            _discard(printer)
            raise PrinterError(Reason.OFFLINE, f"{type(exc).__name__}: {exc}") from None
        return printer

    @staticmethod
    def _ask(printer, command: bytes) -> int:
        printer._raw(command)
        answer = printer._read()
        if not answer:
            raise PrinterError(Reason.OFFLINE, "no answer to a status request")
        return answer[0]

    def status(self) -> DeviceStatus:
        printer = self._open()
        try:
            return decode_status(self._ask(printer, DLE_EOT_PRINTER),
                                 self._ask(printer, DLE_EOT_OFFLINE),
                                 self._ask(printer, DLE_EOT_PAPER))
        except PrinterError:
            raise
        except (OSError, socket.timeout, TimeoutError) as exc:
            raise PrinterError(Reason.OFFLINE, str(exc)) from None
        finally:
            _close(printer)

    def print_job(self, data: bytes) -> None:
        printer = self._open()
        try:
            printer._raw(data)
            # A job fits in the socket buffers, so a connection lost during it only shows when
            # the printer is asked something on the same connection: confirm delivery.
            self._ask(printer, DLE_EOT_PRINTER)
        except PrinterError as exc:
            raise PrinterError(Reason.CONNECTION_LOST, exc.detail) from None
        except (OSError, socket.timeout, TimeoutError) as exc:
            raise PrinterError(Reason.CONNECTION_LOST, str(exc)) from None
        finally:
            _close(printer)


def _close(printer) -> None:
    try:
        printer.close()
    except Exception:  # closing a broken connection: nothing left to do
        log.debug("closing printer connection failed", exc_info=True)


def _discard(printer) -> None:
    device = getattr(printer, "_device", None)
    if device and hasattr(device, "close"):
        device.close()


class NetworkLink:
    """A receipt printer on TCP (port 9100): the connection `EscposDriver` drives, as small as
    python-escpos's `Network` and with the same methods (`open`, `_raw`, `_read`, `close`).

    Not python-escpos's class itself, for two reasons: its constructor loads python-escpos's
    printer database (yaml, Pillow, qrcode; ~40 ms and a few MiB the first time), and the
    spooler asks for the status as the kiosk starts, so that load would land in the start-up;
    and its `open` drops the socket of a failed connect without closing it (a leak on a
    printer that is off for days). The bytes of a job are still built by python-escpos.
    """

    def __init__(self, host: str, port: int = 9100, timeout: float = 5.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.device: socket.socket | None = None

    def open(self) -> None:
        self.close()
        try:
            self.device = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise OSError(f"could not open socket for {self.host}:{self.port}: {exc}") from None

    def _raw(self, data: bytes) -> None:
        if self.device is None:
            raise OSError("not connected")
        self.device.sendall(data)

    def _read(self) -> bytes:
        if self.device is None:
            raise OSError("not connected")
        return self.device.recv(16)

    def close(self) -> None:
        device, self.device = self.device, None
        if device is None:
            return
        try:
            device.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        device.close()


def network_driver(name: str, host: str, port: int = 9100, timeout: float = 5.0) -> EscposDriver:
    return EscposDriver(name, lambda: NetworkLink(host, port, timeout))
