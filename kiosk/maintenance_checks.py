"""The maintenance panel's diagnostics, Qt-free (docs/decisions/0029): one `Check` per device or
part, with a level (ok / warning / error / offline / absent), a stable code the screens
translate, and plain parameters (never a full ID number or a name).

Each check is plain blocking work with a bounded time; the screens run the slow ones (a card
read, the backend, a test print's spooling) off the UI thread.
"""

from __future__ import annotations

import math
import os
import shutil
import socket
import ssl
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

OK, WARNING, ERROR, OFFLINE, ABSENT = "ok", "warning", "error", "offline", "absent"


@dataclass(frozen=True)
class Check:
    name: str                # receipt_printer, id_card_reader, network, tls, clock, sync, disk ...
    level: str               # ok, warning, error, offline, absent
    code: str = ""           # a reason code (paper_out, timeout, unreachable ...) or ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.level in (OK, ABSENT)


def status_check(name: str, status: Any) -> Check:
    """A `kiosk.devices.status.DeviceStatus` (None: no such device) as a check."""
    if status is None:
        return Check(name, ABSENT, "not_configured")
    return Check(name, str(status.level.value if hasattr(status.level, "value") else status.level),
                 str(getattr(status.reason, "value", status.reason) or ""))


# -- printers --------------------------------------------------------------------------------


def printer_status(printer: Any) -> list[Check]:
    if printer is None:
        return [Check("receipt_printer", ABSENT, "not_configured"),
                Check("document_printer", ABSENT, "not_configured")]
    return [status_check("receipt_printer", printer.receipt_status()),
            status_check("document_printer", printer.document_status())]


def printer_self_test(printer: Any, which: str) -> Check:
    """Ask the printer for its status again (on the spooler's thread; the answer reaches the
    screens through the bus), and report the status known now."""
    name = f"{which}_printer"
    if printer is None:
        return Check(name, ABSENT, "not_configured")
    status = printer.receipt_status() if which == "receipt" else printer.document_status()
    if status is None:
        return Check(name, ABSENT, "not_configured")
    try:
        printer.probe(which)
    except (KeyError, AttributeError):
        return Check(name, ABSENT, "not_configured")
    return status_check(name, status)


def test_print(printer: Any, which: str) -> tuple[Check, str | None]:
    """A test page: a sample guide slip on the receipt printer, a sample certificate (a synthetic
    person) as a draft on the A4 printer; queued like any job, not personal. Returns the check
    and the job id (its outcome reaches the screens as a print update)."""
    name = f"{which}_printer"
    if printer is None:
        return Check(name, ABSENT, "not_configured"), None
    status = printer.receipt_status() if which == "receipt" else printer.document_status()
    if status is None:
        return Check(name, ABSENT, "not_configured"), None
    if not status.usable:
        return status_check(name, status), None
    try:
        job = printer.print_test(which)
    except Exception as exc:  # PrintRefused and rendering faults: a reason for the technician
        return Check(name, ERROR, str(getattr(exc, "reason", "") or "device_error")), None
    return Check(name, OK, "queued", {"job": job}), job


# -- ID card reader -----------------------------------------------------------------------------


def card_read_test(reader: Any, *, timeout_s: float = 10.0, clock: Callable[[], float] = time.monotonic,
                   sleep: Callable[[float], None] = time.sleep) -> Check:
    """Arm the reader, wait for a card to be read (or a failure), show only the masked number.
    Bounded by `timeout_s`; the reader is stopped again in every case."""
    from kiosk.devices.idcard import CardEventKind
    from protocol import mask_id_number

    if reader is None:
        return Check("id_card_reader", ABSENT, "not_configured")
    status = reader.status()
    if not status.usable:
        return status_check("id_card_reader", status)
    reader.start()
    try:
        end = clock() + timeout_s
        while clock() < end:
            for event in reader.poll():
                if event.kind is CardEventKind.READ and event.data is not None:
                    number = event.data.id_number
                    if len(number) != 18:
                        return Check("id_card_reader", WARNING, "partial")
                    return Check("id_card_reader", OK, "read",
                                 {"masked": mask_id_number(number)})
                if event.kind is CardEventKind.READ_ERROR:
                    failure = str(getattr(event.failure, "value", event.failure))
                    return Check("id_card_reader", ERROR if failure != "removed" else WARNING,
                                 failure)
            sleep(0.05)
        status = reader.status()
        if not status.usable:
            return status_check("id_card_reader", status)
        return Check("id_card_reader", WARNING, "no_card")
    finally:
        reader.stop()


# -- QR scanner and touch -------------------------------------------------------------------------


def scan_test(text: str) -> Check:
    """A code scanned during the test: what kind it is and its length, never its content (a
    citizen's code could be personal)."""
    from protocol.staff import parse_badge

    text = text.strip()
    if not text:
        return Check("qr_scanner", WARNING, "empty")
    kind = "badge" if parse_badge(text) is not None else \
        "url" if text.lower().startswith(("http://", "https://")) else "text"
    return Check("qr_scanner", OK, "scanned", {"kind": kind, "length": len(text)})


@dataclass
class TouchCheck:
    """Touch calibration check: targets near the four corners and the centre of a `width` x
    `height` screen; each tap's distance from its target. Passes if every tap lands within
    `tolerance_px`."""

    width: int
    height: int
    margin: int = 60
    tolerance_px: float = 20.0
    taps: list[tuple[float, float]] = field(default_factory=list)

    @property
    def targets(self) -> list[tuple[int, int]]:
        w, h, m = self.width, self.height, self.margin
        return [(m, m), (w - m, m), (w - m, h - m), (m, h - m), (w // 2, h // 2)]

    @property
    def next_target(self) -> tuple[int, int] | None:
        return self.targets[len(self.taps)] if len(self.taps) < len(self.targets) else None

    def tap(self, x: float, y: float) -> None:
        if self.next_target is not None:
            self.taps.append((x, y))

    def result(self) -> Check:
        if len(self.taps) < len(self.targets):
            return Check("touch", WARNING, "incomplete",
                         {"done": len(self.taps), "of": len(self.targets)})
        errors = [math.dist(t, p) for t, p in zip(self.targets, self.taps)]
        worst = round(max(errors), 1)
        return Check("touch", OK if worst <= self.tolerance_px else ERROR,
                     "calibrated" if worst <= self.tolerance_px else "off_target",
                     {"worst_px": worst, "tolerance_px": self.tolerance_px})


def tone_wav(freq_hz: float = 880.0, ms: int = 600, rate: int = 22050) -> bytes:
    """A sine tone as a WAV file (16-bit mono), for the speaker test."""
    n = int(rate * ms / 1000)
    frames = b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * freq_hz * i / rate)))
                      for i in range(n))
    header = b"RIFF" + struct.pack("<I", 36 + len(frames)) + b"WAVEfmt " + \
        struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" + \
        struct.pack("<I", len(frames))
    return header + frames


SCREEN_PATTERNS = ("#ff0000", "#00ff00", "#0000ff", "#ffffff", "#000000")


# -- network and sync -------------------------------------------------------------------------


def backend_checks(base_url: str, adapter_factory: Callable[[], Any], *, ca_file: str | None,
                   timeout_s: float = 5.0, now: Callable[[], datetime] | None = None) -> list[Check]:
    """Backend reachable (round trip), its TLS certificate (days left), the clock offset."""
    now = now or (lambda: datetime.now(timezone.utc))
    out: list[Check] = []
    adapter = adapter_factory()
    try:
        t0 = time.perf_counter()
        health = adapter.health()
        rtt = round((time.perf_counter() - t0) * 1000)
        out.append(Check("network", OK, "reachable", {"round_trip_ms": rtt}))
        offset = round((now() - health.server_time).total_seconds(), 1)
        out.append(Check("clock", OK if abs(offset) <= 30 else WARNING if abs(offset) <= 300
                         else ERROR, "offset", {"offset_s": offset}))
    except Exception as exc:
        out.append(Check("network", OFFLINE, "unreachable",
                         {"reason": str(getattr(exc, "reason", "") or type(exc).__name__)[:80]}))
    finally:
        close = getattr(adapter, "close", None)
        if close is not None:
            close()
    out.append(tls_check(base_url, ca_file=ca_file, timeout_s=timeout_s, now=now))
    return out


def tls_check(base_url: str, *, ca_file: str | None, timeout_s: float = 5.0,
              now: Callable[[], datetime] | None = None) -> Check:
    """The backend's certificate as this terminal checks it: valid and how many days left."""
    parts = urlsplit(base_url)
    if parts.scheme != "https":
        return Check("tls", ABSENT, "no_tls")
    now = now or (lambda: datetime.now(timezone.utc))
    host, port = parts.hostname or "", parts.port or 443
    try:
        context = ssl.create_default_context(cafile=ca_file or None)
        with socket.create_connection((host, port), timeout=timeout_s) as sock, \
                context.wrap_socket(sock, server_hostname=host) as tls:
            cert = tls.getpeercert() or {}
    except ssl.SSLCertVerificationError as exc:
        return Check("tls", ERROR, "untrusted", {"reason": str(exc.verify_message)[:80]})
    except (OSError, ssl.SSLError) as exc:
        return Check("tls", OFFLINE, "unreachable", {"reason": type(exc).__name__})
    not_after = cert.get("notAfter")
    if not not_after:
        return Check("tls", WARNING, "no_expiry")
    expires = datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), timezone.utc)
    days = (expires - now()).days
    return Check("tls", OK if days > 30 else WARNING, "valid", {"days_left": days})


def sync_check(store: Any, outbox: Any, status: Any) -> Check:
    """Catalog version (the pull's cursor), outbox backlog, the last push that worked."""
    from kiosk.sync.state import SyncStateStore

    if store is None:
        return Check("sync", ABSENT, "no_store")
    pos = SyncStateStore(store).position()
    pending = outbox.pending_count() if outbox is not None else 0
    last = getattr(status, "last_sync_at", None)
    params = {"catalog_cursor": pos.cursor, "pending": pending,
              "last_push": last.replace(tzinfo=timezone.utc).isoformat(timespec="seconds")
              if last is not None else ""}
    state = str(getattr(getattr(status, "state", None), "value", "") or "")
    level = OK if state in ("", "connected") and pending < 1000 else \
        OFFLINE if state == "offline" else WARNING
    return Check("sync", level, state or "local", params)


# -- disk and memory ----------------------------------------------------------------------------


def disk_check(folder: Path, *, warn_free_mb: int = 500) -> Check:
    try:
        usage = shutil.disk_usage(folder)
    except OSError as exc:
        return Check("disk", ERROR, "unreadable", {"reason": exc.strerror or str(exc)})
    free_mb = usage.free // 2**20
    return Check("disk", OK if free_mb >= warn_free_mb else WARNING, "free",
                 {"free_mb": free_mb, "total_mb": usage.total // 2**20})


def memory_check(*, meminfo: Path = Path("/proc/meminfo"), warn_available_mb: int = 200) -> Check:
    """Available memory (the machine) and this process's resident size."""
    available = None
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                available = int(line.split()[1]) // 1024
    except OSError:
        pass
    rss = 0
    try:
        rss = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") \
            // 2**20
    except (OSError, ValueError, IndexError):
        pass
    if available is None:
        return Check("memory", WARNING, "unknown", {"rss_mb": rss})
    return Check("memory", OK if available >= warn_available_mb else WARNING, "available",
                 {"available_mb": available, "rss_mb": rss})


# -- operation guides (操作指引, docs/decisions/0034) ------------------------------------------


def guide_video_check(library: Any) -> Check:
    """The configured guide videos: those found missing, or that failed to play on this
    terminal (the citizen saw the slides instead), by item id."""
    if library is None or not library.videos:
        return Check("guide_videos", ABSENT, "not_configured")
    problems = library.problems()
    total = len(library.videos)
    if not problems:
        return Check("guide_videos", OK, "videos_ok", {"total": total})
    items = ", ".join(f"{item} ({why})" for item, why in sorted(problems.items()))
    return Check("guide_videos", WARNING, "videos_failed",
                 {"failed": len(problems), "total": total, "items": items})
