"""A virtual A4 printer for the demo and tests: each job's PDF lands in a folder.

Same interface and failure modes as a real queue: a folder that cannot be written is "offline".
The PDFs carry citizens' personal data: a job cut short by a kill (``job-*.tmp``) is removed at
start, and printed ones are kept `keep_s` seconds at most (pruned at start and at every job).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from kiosk.datadir import private_dir, private_opener
from kiosk.devices.status import DeviceStatus, Level, Reason
from printing.spooler import PrinterError


log = logging.getLogger("printing.virtual_a4")


class FolderDriver:
    def __init__(self, name: str, folder: Path, *, keep_s: float = 24 * 3600):
        self.name = name
        self.folder = Path(folder)
        self.keep_s = keep_s
        self.prune(partial=True)

    def prune(self, *, partial: bool = False) -> int:
        """Delete printed PDFs older than `keep_s` (and, at start, partial ``.tmp`` files)."""
        cutoff = time.time() - self.keep_s
        removed = 0
        try:
            entries = list(self.folder.glob("job-*"))
        except OSError:
            return 0
        for f in entries:
            try:
                stale = f.suffix == ".pdf" and f.stat().st_mtime <= cutoff
                if stale or (partial and f.suffix == ".tmp"):
                    f.unlink()
                    removed += 1
            except OSError:
                continue
        if removed:
            log.info("virtual A4 printer: %d old or partial files removed", removed)
        return removed

    def status(self) -> DeviceStatus:
        try:
            private_dir(self.folder)  # 0700: the documents carry citizens' personal data
        except OSError as exc:
            return DeviceStatus(Level.OFFLINE, Reason.OFFLINE, str(exc))
        if not os.access(self.folder, os.W_OK):
            return DeviceStatus(Level.OFFLINE, Reason.OFFLINE, f"{self.folder} is not writable")
        return DeviceStatus(Level.OK)

    def print_job(self, data: bytes) -> None:
        self.prune()
        path = self.folder / f"job-{time.time_ns()}.pdf"
        try:
            tmp = path.with_suffix(".tmp")
            with open(tmp, "wb", opener=private_opener) as fh:  # 0600
                fh.write(data)
            os.replace(tmp, path)
        except OSError as exc:
            raise PrinterError(Reason.CONNECTION_LOST, str(exc)) from None
