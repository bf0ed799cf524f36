"""One status model for every device (printers, card reader, scanner): a level and a reason.

Reasons are stable codes; screens translate them into plain words and a next step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    OK = "ok"
    WARNING = "warning"   # works, but someone should look (paper near end)
    ERROR = "error"       # cannot work now (paper out, cover open, jam)
    OFFLINE = "offline"   # cannot be reached at all


class Reason(StrEnum):
    NONE = ""
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    CONNECTION_LOST = "connection_lost"
    TIMEOUT = "timeout"
    NOT_CONFIGURED = "not_configured"
    DEVICE_ERROR = "device_error"


@dataclass(frozen=True)
class DeviceStatus:
    level: Level
    reason: Reason = Reason.NONE
    detail: str = ""  # for the technician's log, never shown to a citizen

    @property
    def usable(self) -> bool:
        return self.level in (Level.OK, Level.WARNING)

    @classmethod
    def ok(cls) -> "DeviceStatus":
        return cls(Level.OK)


OK = DeviceStatus.ok()
