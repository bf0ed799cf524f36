"""Ports the core talks to, implemented outside it (printing/, devices) and injected by the
composition root, so the core stays free of Qt, printers and networks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kiosk.catalog.model import GuideDetail
from kiosk.devices.status import DeviceStatus


@dataclass(frozen=True)
class PrintUpdate:
    """A print job moved: state is queued, printing, done, failed, needs_attention or expired;
    reason is a status reason code (paper_out, cover_open, offline, ...) or empty."""

    job_id: str
    state: str
    reason: str


class PrintPort(Protocol):
    def print_guide_slip(self, guide: GuideDetail) -> str:
        """Queue a guide slip on the receipt printer; returns the job id."""

    def receipt_status(self) -> DeviceStatus | None:
        """The receipt printer's last known status; None if the terminal has none."""

    def document_status(self) -> DeviceStatus | None:
        """The A4 printer's last known status; None if the terminal has none."""

    def forget_personal(self) -> None:
        """End of a citizen session: drop the bytes of every job that holds personal data."""

    def subscribe(self, fn: Callable[[PrintUpdate], None]) -> None:
        """`fn` is called, from a worker thread, whenever a job changes state."""
