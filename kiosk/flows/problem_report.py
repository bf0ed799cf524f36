"""办不成事: the citizen says what went wrong, gets a ticket number and where to go.

Reachable from every screen, inside a flow (`FlowRun.report_problem`) or outside one
(`ProblemReporter.report` directly, e.g. from the home screen). The report goes through the
outbox (event kind ``problem_report``) with no personal data: the category, the item and step
it happened at, the error code shown, the terminal and the ticket. The citizen brings the
ticket number to the window; that is the link, so no hash of the ID number is needed.

Ticket numbers are ``BC-YYYYMMDD-NNN``: unique per terminal per day (with the terminal id in
the payload, unique everywhere). The sequence survives restarts through a `TicketCounter`:
`FileCounter` keeps one small JSON file (no personal data) written atomically.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from kiosk.datadir import private_opener
from kiosk.flows.ports import EventSink
from protocol import LOCAL_TZ

log = logging.getLogger("kiosk.flows")

PAYLOAD_FORMAT = 1
# A counter file found unreadable restarts the day's sequence here, above any day's count at
# one terminal, so numbers already handed out today are not handed out again.
RECOVERY_FLOOR = 500


class ProblemCategory(StrEnum):
    """What went wrong (the screen shows `problem.category.<value>`)."""

    CANNOT_IDENTIFY = "cannot_identify"  # 身份证读不出 / 号码输入不了
    NO_RECORDS = "no_records"  # 查不到我的信息
    WRONG_RECORDS = "wrong_records"  # 查到的信息不对
    CANNOT_PRINT = "cannot_print"  # 打印不出来
    DEVICE_FAULT = "device_fault"  # 设备坏了（屏幕、读卡器、扫码）
    SYSTEM_DOWN = "system_down"  # 系统连不上
    NOT_ON_KIOSK = "not_on_kiosk"  # 要办的事这里办不了
    TOO_HARD = "too_hard"  # 不会操作
    OTHER = "other"  # 其他


class Destination(StrEnum):
    """Where the citizen is sent (the screen shows `problem.where.<value>` and the place)."""

    ITEM_WINDOW = "item_window"  # the department's window for this item
    HELP_DESK = "help_desk"  # the 帮办/导办 staff on duty in the hall
    PROBLEM_WINDOW = "problem_window"  # the 办不成事反映窗口


ROUTES: dict[ProblemCategory, Destination] = {
    ProblemCategory.CANNOT_IDENTIFY: Destination.HELP_DESK,
    ProblemCategory.NO_RECORDS: Destination.ITEM_WINDOW,
    ProblemCategory.WRONG_RECORDS: Destination.ITEM_WINDOW,
    ProblemCategory.CANNOT_PRINT: Destination.HELP_DESK,
    ProblemCategory.DEVICE_FAULT: Destination.HELP_DESK,
    ProblemCategory.SYSTEM_DOWN: Destination.ITEM_WINDOW,
    ProblemCategory.NOT_ON_KIOSK: Destination.PROBLEM_WINDOW,
    ProblemCategory.TOO_HARD: Destination.HELP_DESK,
    ProblemCategory.OTHER: Destination.PROBLEM_WINDOW,
}


class UnknownCategory(ValueError):
    code = "problem.unknown_category"


@dataclass(frozen=True)
class Place:
    """A place in the hall: 政务服务中心一楼 / 3 号窗口."""

    place: str = ""
    window: str = ""


@dataclass(frozen=True)
class ProblemTicket:
    number: str  # BC-20261123-007
    day: date
    seq: int
    category: ProblemCategory
    destination: Destination
    where: Place
    online_url: str = ""  # the item's online service, for a QR code
    saved: bool = True  # False: the outbox refused it; the number still works at the desk


class TicketCounter(Protocol):
    def next(self, day: date) -> int:
        """The next sequence number for `day`, starting at 1 each day."""


class MemoryCounter:
    def __init__(self) -> None:
        self._day: date | None = None
        self._last = 0
        self._lock = threading.Lock()

    def next(self, day: date) -> int:
        with self._lock:
            if day != self._day:
                self._day, self._last = day, 0
            self._last += 1
            return self._last


class FileCounter:
    """The day's last sequence number in a JSON file, replaced atomically after each ticket."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._lock = threading.Lock()

    def _read(self, day: date) -> int:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("day") != day.isoformat():
                return 0
            last = data["last"]
            if not isinstance(last, int) or last < 0:
                raise ValueError("bad last")
            return last
        except FileNotFoundError:
            return 0
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("problem ticket counter %s unreadable (%s): continuing from %d",
                        self.path, type(exc).__name__, RECOVERY_FLOOR)
            return RECOVERY_FLOOR

    def next(self, day: date) -> int:
        with self._lock:
            seq = self._read(day) + 1
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            with open(tmp, "w", encoding="utf-8", opener=private_opener) as fh:  # 0600
                json.dump({"day": day.isoformat(), "last": seq}, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
            return seq


def ticket_number(day: date, seq: int) -> str:
    return f"BC-{day:%Y%m%d}-{seq:03d}"


def _local_now() -> datetime:
    return datetime.now(LOCAL_TZ)


class ProblemReporter:
    def __init__(self, events: EventSink, counter: TicketCounter, terminal_id: str, *,
                 help_desk: Place, problem_window: Place,
                 clock: Callable[[], datetime] = _local_now):
        self.events = events
        self.counter = counter
        self.terminal_id = terminal_id
        self.help_desk = help_desk
        self.problem_window = problem_window
        self.clock = clock

    def __repr__(self) -> str:
        return f"ProblemReporter(terminal_id={self.terminal_id!r})"

    def report(self, category: ProblemCategory | str, *, item_id: str = "", step: str = "",
               error_code: str = "", item_window: Place | None = None, online_url: str = "",
               run_id: str = "") -> ProblemTicket:
        """Number the problem, queue it in the outbox, say where to go. `item_window` is the
        item's staffed window (from its guide); without one, the problem window."""
        try:
            cat = ProblemCategory(category)
        except ValueError:
            raise UnknownCategory(category) from None
        now = self.clock()
        day = now.date()
        seq = self.counter.next(day)
        number = ticket_number(day, seq)
        dest = ROUTES[cat]
        if dest is Destination.ITEM_WINDOW and not (item_window and item_window.window):
            dest = Destination.PROBLEM_WINDOW
        where = {Destination.ITEM_WINDOW: item_window, Destination.HELP_DESK: self.help_desk,
                 Destination.PROBLEM_WINDOW: self.problem_window}[dest]
        body: dict[str, Any] = {
            "format": PAYLOAD_FORMAT, "ticket": number, "day": day.isoformat(), "seq": seq,
            "category": cat.value, "destination": dest.value, "item_id": item_id,
            "step": step, "error_code": error_code, "terminal_id": self.terminal_id,
            "run_id": run_id, "channel": "kiosk",
        }
        saved = True
        try:
            self.events.add("problem_report", body, occurred_at=now.astimezone(
                timezone.utc).replace(tzinfo=None))
        except Exception as exc:  # the citizen still gets a number to bring to the desk
            log.error("problem report %s not saved in the outbox: %s", number,
                      type(exc).__name__)
            saved = False
        return ProblemTicket(number, day, seq, cat, dest, where or Place(), online_url, saved)
