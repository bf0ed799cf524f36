"""A4 printing through a CUPS queue, with the `lp`/`lpstat` commands (no compiled binding).

`status()` reads the queue's state (`lpstat -p`): idle or printing is ok, a disabled or missing
queue is an error. `print_job()` hands the PDF to `lp` on standard input and waits until CUPS
reports the job completed, so "done" in the journal means CUPS finished it, not just accepted it.
"""

from __future__ import annotations

import re
import subprocess
import time

from kiosk.devices.status import DeviceStatus, Level, Reason
from printing.spooler import PrinterError

_REQUEST = re.compile(r"request id is (\S+)")


def _run(args: list[str], data: bytes | None = None, timeout: float = 15.0) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(args, input=data, capture_output=True, timeout=timeout)
    except FileNotFoundError:
        raise PrinterError(Reason.NOT_CONFIGURED, f"{args[0]} is not installed") from None
    except subprocess.TimeoutExpired:
        raise PrinterError(Reason.TIMEOUT, f"{args[0]} did not answer in {timeout:.0f} s") from None


class CupsDriver:
    def __init__(self, name: str, queue: str, *, complete_timeout: float = 60.0):
        self.name = name
        self.queue = queue
        self.complete_timeout = complete_timeout

    def status(self) -> DeviceStatus:
        r = _run(["lpstat", "-p", self.queue])
        text = (r.stdout + r.stderr).decode(errors="replace")
        if r.returncode != 0 or "Invalid destination" in text or "not exist" in text:
            return DeviceStatus(Level.OFFLINE, Reason.OFFLINE, text.strip())
        if "disabled" in text:
            return DeviceStatus(Level.ERROR, Reason.OFFLINE, text.strip())
        return DeviceStatus(Level.OK)

    def print_job(self, data: bytes, title: str = "kiosk") -> str:
        r = _run(["lp", "-d", self.queue, "-t", title, "-"], data=data)
        out = (r.stdout + r.stderr).decode(errors="replace")
        match = _REQUEST.search(out)
        if r.returncode != 0 or not match:
            raise PrinterError(Reason.OFFLINE, out.strip())
        job = match.group(1)
        deadline = time.monotonic() + self.complete_timeout
        while time.monotonic() < deadline:
            done = _run(["lpstat", "-W", "completed", "-o", self.queue]).stdout.decode(errors="replace")
            if any(line.split()[:1] == [job] for line in done.splitlines()):
                return job
            time.sleep(0.2)
        raise PrinterError(Reason.TIMEOUT, f"CUPS job {job} not completed in time")
