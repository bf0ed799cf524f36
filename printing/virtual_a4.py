"""A virtual A4 printer for the demo and tests: each job's PDF lands in a folder.

Same interface and failure modes as a real queue: a folder that cannot be written is "offline".
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from kiosk.datadir import private_dir, private_opener
from kiosk.devices.status import DeviceStatus, Level, Reason
from printing.spooler import PrinterError


class FolderDriver:
    def __init__(self, name: str, folder: Path):
        self.name = name
        self.folder = Path(folder)

    def status(self) -> DeviceStatus:
        try:
            private_dir(self.folder)  # 0700: the documents carry citizens' personal data
        except OSError as exc:
            return DeviceStatus(Level.OFFLINE, Reason.OFFLINE, str(exc))
        if not os.access(self.folder, os.W_OK):
            return DeviceStatus(Level.OFFLINE, Reason.OFFLINE, f"{self.folder} is not writable")
        return DeviceStatus(Level.OK)

    def print_job(self, data: bytes) -> None:
        path = self.folder / f"job-{time.time_ns()}.pdf"
        try:
            tmp = path.with_suffix(".tmp")
            with open(tmp, "wb", opener=private_opener) as fh:  # 0600
                fh.write(data)
            os.replace(tmp, path)
        except OSError as exc:
            raise PrinterError(Reason.CONNECTION_LOST, str(exc)) from None
