"""Nightly maintenance at the configured idle hour: the database checked in full and compacted,
the print journal and old set-aside events pruned, then a clean restart (which also pulls the
catalog afresh: the sync worker's first cycle always does). Never while a citizen is served: the
core starts it only when the terminal is available, and a session that runs past the hour
defers it (within a window of `WINDOW_H` hours; missed nights are not made up at noon).

`NightlyMaintenance.run()` is plain blocking work: the core runs it on its own thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from protocol import LOCAL_TZ

log = logging.getLogger("kiosk.nightly")

LAST_RUN_KEY = "maintenance.last_nightly"  # the local date of the last run (sync_state)
WINDOW_H = 4
FINISHED_JOB_STATES = ("done", "failed", "expired", "needs_attention")


def local_now() -> datetime:
    return datetime.now(LOCAL_TZ)


@dataclass
class NightlyReport:
    integrity: str = ""
    pruned_jobs: int = 0
    pruned_events: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {"integrity": self.integrity[:200], "pruned_jobs": self.pruned_jobs,
                "pruned_events": self.pruned_events, "bytes_before": self.bytes_before,
                "bytes_after": self.bytes_after, "errors": [e[:200] for e in self.errors]}


class NightlyMaintenance:
    def __init__(self, store, *, hour: int, journal_keep_days: int, rejected_keep_days: int,
                 now: Callable[[], datetime] = local_now, min_uptime_s: float = 3600):
        import time

        self.store = store
        # a kiosk that started within the last hour (a crash, a pushed setting, a technician)
        # is fresh: tonight's restart would only interrupt the first citizens
        self.min_uptime_s = min_uptime_s
        self._started = time.monotonic()
        self.hour = hour
        self.journal_keep_days = journal_keep_days
        self.rejected_keep_days = rejected_keep_days
        self.now = now

    def _last_run(self) -> str | None:
        from kiosk.sync import state

        with self.store.session() as s:
            return state.get(s, LAST_RUN_KEY)

    def due(self) -> bool:
        """Within the nightly window, not run yet today (local time), up for an hour."""
        import time

        if time.monotonic() - self._started < self.min_uptime_s:
            return False
        now = self.now()
        start = now.replace(hour=self.hour, minute=0, second=0, microsecond=0)
        if now < start:
            start -= timedelta(days=1)  # a window that began yesterday evening
        if not start <= now < start + timedelta(hours=WINDOW_H):
            return False
        return self._last_run() != start.date().isoformat()

    def run(self) -> NightlyReport:
        from sqlalchemy import delete

        from kiosk.store.models import OutboxEvent, PrintJob
        from kiosk.sync import state

        report = NightlyReport()
        now = self.now()
        start = now.replace(hour=self.hour, minute=0, second=0, microsecond=0)
        if now < start:
            start -= timedelta(days=1)
        path = self.store.path
        report.bytes_before = _size(path)
        try:
            with self.store.read() as conn:
                rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
            report.integrity = "ok" if rows == ["ok"] else "; ".join(rows)
            if report.integrity != "ok":
                log.error("nightly integrity check: %s", report.integrity)
        except Exception as exc:  # a damaged store: the restart's check moves it aside
            report.integrity = f"failed: {exc}"
            report.errors.append(f"integrity: {exc}")
        utc_now = datetime.now(timezone.utc).replace(tzinfo=None)  # the store's times: naive UTC
        try:
            with self.store.session() as s:
                cut_jobs = utc_now - timedelta(days=self.journal_keep_days)
                report.pruned_jobs = s.execute(
                    delete(PrintJob).where(PrintJob.state.in_(FINISHED_JOB_STATES),
                                           PrintJob.updated_at < cut_jobs)).rowcount or 0
                cut_events = utc_now - timedelta(days=self.rejected_keep_days)
                report.pruned_events = s.execute(
                    delete(OutboxEvent).where(OutboxEvent.state == "rejected",
                                              OutboxEvent.occurred_at < cut_events)).rowcount or 0
                state.put(s, LAST_RUN_KEY, start.date().isoformat())
        except Exception as exc:
            report.errors.append(f"prune: {exc}")
            log.exception("nightly pruning failed")
        try:
            with self.store.read() as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute("VACUUM")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception as exc:
            report.errors.append(f"vacuum: {exc}")
            log.warning("nightly vacuum failed: %s", exc)
        report.bytes_after = _size(path)
        log.info("nightly maintenance: %s", report.summary())
        return report


def _size(path) -> int:
    total = 0
    for suffix in ("", "-wal"):
        try:
            total += path.with_name(path.name + suffix).stat().st_size
        except OSError:
            pass
    return total
