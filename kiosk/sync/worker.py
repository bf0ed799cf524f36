"""The sync worker: one thread, off the UI thread, that keeps the terminal and its backend in step.

A cycle (`run_once`, which the tests call directly):

1. the catalog: pulled at start, on a ``reload_catalog`` command or `reload_catalog()`, and every
   `catalog_interval_s`;
2. the outbox: drained in batches of at most 500 events and 1 MiB. ``accepted`` and ``duplicate``
   delete, ``rejected`` keeps the event for staff; a network failure defers the batch with the
   outbox's backoff and jitter and ends the cycle; a 422 for a whole batch (a terminal bug) is
   bisected to find the event the backend refuses;
3. the heartbeat (every `heartbeat_interval_s`): device health, backlog, version, uptime and the
   ids of commands carried out since the last one. Commands are carried out once each (the
   backend sends them again until acked): reload the catalog, enter or leave maintenance, a new
   config, the last three through callbacks.

`SyncStatus` (connected, connecting, offline, error, not_enrolled; pending and rejected counts,
the last successful sync, the last error) goes to subscribers only when it changes. Callbacks run
on the worker's thread: a Qt front end must hand them over to the UI thread itself.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from typing import TYPE_CHECKING

import protocol as p
from kiosk.store.db import Store
from kiosk.sync.outbox import Outbox, PendingEvent
from kiosk.sync.state import SyncStateStore

if TYPE_CHECKING:
    from kiosk.staff import RosterStore
    from kiosk.sync.adapter import BackendAdapter
    from kiosk.sync.catalog_sync import CatalogSyncResult

# The adapter module (http.client) and the catalog pull (SQLAlchemy) are imported by the methods
# that use them, on the worker's thread: the kiosk imports this module on its way to the home
# screen.

log = logging.getLogger("kiosk.sync")

# Room for the envelope ({"events": [...]}) and the separators under MAX_BODY_BYTES.
_BATCH_BYTES = p.MAX_BODY_BYTES - 4096


class LinkState(StrEnum):
    CONNECTED = "connected"  # the last exchange with the backend worked
    CONNECTING = "connecting"  # started, nothing answered yet
    OFFLINE = "offline"  # the backend cannot be reached (network, timeout)
    ERROR = "error"  # the backend answers, but wrongly (5xx, bad JSON, refused batch)
    NOT_ENROLLED = "not_enrolled"  # no credential, or the backend refused it (401)


@dataclass(frozen=True)
class SyncStatus:
    state: LinkState = LinkState.CONNECTING
    pending: int = 0  # events waiting in the outbox
    rejected: int = 0  # events the backend refused for good (kept for staff)
    last_sync_at: datetime | None = None  # UTC, naive: the last cycle that worked end to end
    last_error: str = ""  # a reason for the technician's panel and the log, never for citizens
    maintenance: bool = False  # the backend asked for maintenance mode


@dataclass
class CycleReport:
    """What one `run_once` did (for tests and the technician's panel)."""

    catalog: CatalogSyncResult | None = None
    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    batches: int = 0
    heartbeat: bool = False
    commands: list[int] = field(default_factory=list)
    error: str = ""
    roster: int | None = None  # the staff roster version saved in this cycle


DeviceStatuses = Callable[[], Mapping[str, Any]]


def _device_health(value: Any) -> p.DeviceHealth:
    """A `p.DeviceHealth`, a `kiosk.devices.status.DeviceStatus`, or a (level, reason) pair."""
    if isinstance(value, p.DeviceHealth):
        return value
    if hasattr(value, "level"):
        return p.DeviceHealth(status=str(value.level), reason=str(getattr(value, "reason", ""))[:200])
    level, reason = value
    return p.DeviceHealth(status=str(level), reason=str(reason)[:200])


_HASH = re.compile(r"[0-9a-f]{0,16}")  # protocol.profile_hash


class NotHandled(Exception):
    """A command callback's answer when nothing on the terminal carries the command out (the
    fleet console then shows it failed with the reason, not done)."""


class SyncWorker:
    """Construct, `subscribe()` to the status, `start()`; `stop()` at exit.

    `clock` (monotonic seconds) schedules the cycles; `wall_clock` stamps `last_sync_at`."""

    def __init__(self, store: Store, adapter: BackendAdapter, outbox: Outbox, *,
                 terminal_id: str,
                 version: str = "0",
                 device_statuses: DeviceStatuses | None = None,
                 on_catalog_updated: Callable[[CatalogSyncResult], None] | None = None,
                 on_maintenance: Callable[[bool], None] | None = None,
                 on_new_config: Callable[[dict[str, Any], int], Any] | None = None,
                 roster: RosterStore | None = None,
                 on_roster_updated: Callable[[int], None] | None = None,
                 push_interval_s: float = 10.0,
                 heartbeat_interval_s: float = 60.0,
                 catalog_interval_s: float = 6 * 3600.0,
                 retry_min_s: float = 5.0,
                 retry_max_s: float = 300.0,
                 batch_size: int = p.MAX_EVENTS_PER_BATCH,
                 catalog_page_size: int = p.CATALOG_PAGE_MAX,
                 clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], datetime] | None = None,
                 rng: random.Random | None = None,
                 terminal_state: Callable[[], tuple[str, str]] | None = None,
                 on_restart: Callable[[], None] | None = None,
                 on_lock: Callable[[str | None], None] | None = None,
                 paper_report: Callable[[], p.PaperReport | None] | None = None,
                 document_paper_report: Callable[[], p.PaperReport | None] | None = None,
                 pushed_config: Any = None,
                 last_crash: Callable[[], p.CrashReport | None] | None = None):
        """`terminal_state()`: (state, reason) for the heartbeat, read on this worker's thread
        (kiosk.terminal.StateBoard.get: thread-safe). `on_restart()`, `on_lock(message or
        None)`: the fleet console's restart / lock / unlock commands (docs/decisions/0028);
        `paper_report()`: the paper level and counters for the heartbeat (None: unknown);
        `document_paper_report()` the A4 printer's. `on_new_config(payload, command_id)`
        returns "accepted" when it checked and wrote the profile (decision 0036);
        `pushed_config` (kiosk.config_update.PushedConfig): the hash of the profile the kiosk
        runs and the outcomes of earlier pushes (applied, rolled back) for the heartbeat;
        `last_crash()`: the last crash (protocol.CrashReport) or None."""
        self.store = store
        self.adapter = adapter
        self.outbox = outbox
        self.state = SyncStateStore(store)
        self.terminal_id = terminal_id
        self.version = version
        self.device_statuses = device_statuses or (lambda: {})
        self.on_catalog_updated = on_catalog_updated
        self.on_maintenance = on_maintenance
        self.on_new_config = on_new_config
        self.terminal_state = terminal_state
        self.on_restart = on_restart
        self.on_lock = on_lock
        self.paper_report = paper_report
        self.document_paper_report = document_paper_report
        self.pushed_config = pushed_config
        self.last_crash = last_crash
        # Results of commands carried out, sent with the next heartbeats until one got through.
        self._results: dict[int, p.CommandResult] = {}
        self.push_interval_s = push_interval_s
        self.heartbeat_interval_s = heartbeat_interval_s
        self.catalog_interval_s = catalog_interval_s
        self.retry_min_s = retry_min_s
        self.retry_max_s = retry_max_s
        self.batch_size = max(1, min(batch_size, p.MAX_EVENTS_PER_BATCH))
        from kiosk.sync.catalog_sync import CatalogSync

        self.catalog = CatalogSync(store, adapter, page_size=catalog_page_size)
        self.clock = clock
        self.wall_clock = wall_clock or (lambda: datetime.now(timezone.utc).replace(tzinfo=None))
        self.rng = rng or random.Random()
        self._started_at = clock()
        self._subscribers: list[Callable[[SyncStatus], None]] = []
        self._status = SyncStatus()
        self._lock = threading.RLock()  # one cycle at a time (thread and run_once)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._catalog_due = True
        self._next_catalog_at = 0.0
        self._next_heartbeat_at = 0.0
        self._failures = 0
        # Commands carried out, not yet acknowledged: survives a restart, so a command that
        # comes again before its ack got through is not carried out twice.
        self._unacked: set[int] = set(self.state.unacked_commands())
        # hall staff: the roster is fetched at the first heartbeat and whenever its version
        # in a heartbeat reply differs from the one stored
        self.roster = roster
        self.on_roster_updated = on_roster_updated
        self._roster_due = roster is not None

    # -- status ------------------------------------------------------------------------------

    @property
    def status(self) -> SyncStatus:
        return self._status

    def subscribe(self, callback: Callable[[SyncStatus], None]) -> Callable[[], None]:
        """Call `callback(status)` now and whenever the status changes; returns an unsubscribe."""
        self._subscribers.append(callback)
        callback(self._status)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers else None

    def _set_status(self, **changes) -> None:
        new = replace(self._status, **changes)
        if new == self._status:
            return
        self._status = new
        for cb in list(self._subscribers):
            try:
                cb(new)
            except Exception:  # a subscriber's bug must not stop the sync
                log.exception("sync status subscriber failed")

    def _refresh_counts(self, **changes) -> None:
        self._set_status(pending=self.outbox.pending_count(),
                         rejected=self.outbox.rejected_count(), **changes)

    # -- thread ------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._loop, name="sync-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the current step (a page or a batch) and wait for the thread."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("sync worker did not stop within %.0f s", timeout)
            self._thread = None

    def wake(self) -> None:
        """Run a cycle now (e.g. an event was just queued and the terminal is idle)."""
        self._wake.set()

    def heartbeat_soon(self) -> None:
        """Send a heartbeat in a cycle now (e.g. a device's status just changed)."""
        self._next_heartbeat_at = 0.0
        self._wake.set()

    def reload_catalog(self) -> None:
        """Pull the catalog at the next cycle, and start that cycle now."""
        self._catalog_due = True
        self._wake.set()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()  # a wake() from now on starts another cycle right after this one
            try:
                report = self.run_once()
            except Exception:  # a bug: logged, shown as an error, retried later
                log.exception("sync cycle failed")
                self._failures += 1
                self._set_status(state=LinkState.ERROR, last_error="internal error")
                report = CycleReport(error="internal")
            if report.error:
                wait = self._retry_delay()
            else:
                wait = self.push_interval_s
                if self._next_heartbeat_at - self.clock() < wait:
                    wait = max(0.0, self._next_heartbeat_at - self.clock())
            self._wake.wait(wait)

    def _retry_delay(self) -> float:
        ceiling = min(self.retry_max_s, self.retry_min_s * 2 ** max(0, self._failures - 1))
        return ceiling / 2 + self.rng.random() * ceiling / 2

    # -- one cycle ---------------------------------------------------------------------------

    def enrol(self, enrolment_code: str) -> p.EnrolResponse:
        """Enrol with a technician's code and keep the credential (`<data_dir>/credential`).
        Raises `BackendRejected` (code ``enrolment_refused``, or ``already_enrolled`` for a code
        not issued for this enrolled terminal) or `BackendUnavailable`."""
        answer = self.adapter.enrol(enrolment_code, self.terminal_id)
        self.state.save_credential(answer.terminal_id, answer.credential)
        self._set_status(state=LinkState.CONNECTING, last_error="")
        self._catalog_due = True
        self._next_heartbeat_at = 0.0
        self._wake.set()
        return answer

    def run_once(self) -> CycleReport:
        """One cycle now, on the calling thread: catalog if due, the outbox, heartbeat if due."""
        from kiosk.sync.adapter import BackendRejected, BackendUnavailable, NotEnrolled

        with self._lock:
            report = CycleReport()
            if not self.adapter.credential:
                self._failures += 1
                self._refresh_counts(state=LinkState.NOT_ENROLLED, last_error="not enrolled")
                report.error = "not_enrolled"
                return report
            try:
                now = self.clock()
                if self._catalog_due or now >= self._next_catalog_at:
                    report.catalog = self._pull_catalog()
                self._drain(report)
                # A heartbeat when due, when acks are waiting, and as the probe that tells a
                # cycle with nothing else to do whether the backend is back.
                if (self.clock() >= self._next_heartbeat_at or self._unacked
                        or self._status.state is not LinkState.CONNECTED):
                    self._heartbeat(report)
            except NotEnrolled as exc:
                log.warning("backend refused the credential (%s): not enrolled", exc.code)
                report.error = "not_enrolled"
                self._failures += 1
                self._refresh_counts(state=LinkState.NOT_ENROLLED, last_error=exc.message)
                return report
            except BackendUnavailable as exc:
                self._fail(report, exc.reason,
                           LinkState.OFFLINE if exc.kind in ("network", "timeout") else LinkState.ERROR)
                return report
            except BackendRejected as exc:
                log.warning("backend refused a sync request: %s", exc)
                self._fail(report, f"{exc.status} {exc.code}", LinkState.ERROR)
                return report
            self._failures = 0
            contacted = report.heartbeat or report.batches or (report.catalog and report.catalog.pages)
            if contacted:
                self._refresh_counts(state=LinkState.CONNECTED, last_error="",
                                     last_sync_at=self.wall_clock())
            else:
                self._refresh_counts()
            return report

    def _fail(self, report: CycleReport, reason: str, link: LinkState) -> None:
        report.error = reason
        self._failures += 1
        if self._failures == 1 or self._failures % 20 == 0:
            log.warning("sync: backend unavailable (%s), attempt %d", reason, self._failures)
        self._refresh_counts(state=link, last_error=reason)

    def _pull_catalog(self) -> CatalogSyncResult:
        result = self.catalog.run(should_stop=self._stopping.is_set)
        if result.complete:
            self._catalog_due = False
            self._next_catalog_at = self.clock() + self.catalog_interval_s
        if result.changed and self.on_catalog_updated is not None:
            try:
                self.on_catalog_updated(result)
            except Exception:
                log.exception("catalog update callback failed")
        return result

    # -- outbox --------------------------------------------------------------------------------

    def _drain(self, report: CycleReport) -> None:
        from kiosk.sync.adapter import BackendRejected, BackendUnavailable

        while not self._stopping.is_set():
            events = self.outbox.next_batch(self.batch_size)
            if not events:
                return
            batch, size = [], 2
            for e in events:
                wire = e.as_wire()
                n = len(json.dumps(wire, ensure_ascii=False).encode("utf-8")) + 1
                if n > _BATCH_BYTES:
                    self.outbox.reject(e.idempotency_key, "event too large to send")
                    report.rejected += 1
                    log.error("outbox event %s too large to send: kept as rejected",
                              e.idempotency_key)
                    continue
                if batch and size + n > _BATCH_BYTES:
                    break
                batch.append(e)
                size += n
            if not batch:
                continue
            try:
                self._send(batch, report)
            except BackendUnavailable as exc:
                self.outbox.defer([e.idempotency_key for e in batch], exc.reason)
                raise
            except BackendRejected as exc:
                self.outbox.defer([e.idempotency_key for e in batch], f"{exc.status} {exc.code}")
                raise
            self._set_status(pending=self.outbox.pending_count())

    def _send(self, batch: list[PendingEvent], report: CycleReport) -> None:
        """Push one batch; on a 422 (or 413) for the whole batch, halve it until the event the
        backend refuses is alone, and keep that one as rejected."""
        from kiosk.sync.adapter import BackendRejected

        try:
            results = self.adapter.push_events([e.as_wire() for e in batch])
        except BackendRejected as exc:
            if exc.status not in (413, 422):
                raise
            if len(batch) == 1:
                reason = f"{exc.status} {exc.code}: {exc.message}"[:500]
                log.error("outbox event %s refused by the backend (%s): kept as rejected",
                          batch[0].idempotency_key, reason)
                self.outbox.reject(batch[0].idempotency_key, reason)
                report.rejected += 1
                return
            half = len(batch) // 2
            log.warning("a batch of %d events got %d: sending halves", len(batch), exc.status)
            self._send(batch[:half], report)
            self._send(batch[half:], report)
            return
        report.batches += 1
        report.sent += len(batch)
        done: list[str] = []
        for r in results.results:
            if r.status is p.EventStatus.REJECTED:
                log.warning("outbox event %s rejected: %s", r.idempotency_key, r.reason)
                self.outbox.reject(r.idempotency_key, r.reason or "rejected")
                report.rejected += 1
            else:
                done.append(r.idempotency_key)
                if r.status is p.EventStatus.DUPLICATE:
                    report.duplicates += 1
                else:
                    report.accepted += 1
        self.outbox.acknowledge(done)

    # -- heartbeat and commands -----------------------------------------------------------------

    def _heartbeat(self, report: CycleReport) -> None:
        try:
            devices = {str(k)[:40]: _device_health(v)
                       for k, v in list(self.device_statuses().items())[:32]}
        except Exception:
            log.exception("device status callback failed")
            devices = {}
        acked = sorted(self._unacked)[:100]
        state, state_reason = self._terminal_state()
        paper = self._optional(self.paper_report, "paper report")
        document_paper = self._optional(self.document_paper_report, "A4 paper report")
        last_crash = self._optional(self.last_crash, "last crash")
        config_hash, stored = "", []
        if self.pushed_config is not None:
            try:
                config_hash = self.pushed_config.config_hash()
                if not _HASH.fullmatch(config_hash):
                    config_hash = ""  # (a damaged file must not stop the heartbeat)
                for o in self.pushed_config.results():
                    try:
                        stored.append(p.CommandResult(
                            id=o["id"], ok=bool(o["ok"]), stage=o.get("stage", ""),
                            message=str(o.get("message", ""))[:200]))
                    except (KeyError, TypeError, ValueError):  # damaged: dropped, not resent
                        log.error("a pushed profile's outcome is unreadable: dropped")
                        self.pushed_config.sent([o.get("id")] if isinstance(o, dict) else [])
            except Exception:
                log.exception("pushed settings' state unreadable")
        # an outcome kept on disk (applied, rolled back) is newer than one in memory
        merged = {r.id: r for r in self._results.values()}
        merged.update({r.id: r for r in stored})
        results = list(merged.values())[:100]
        hb = p.Heartbeat(terminal_id=self.terminal_id, version=self.version[:40] or "0",
                         uptime_s=int(max(0.0, self.clock() - self._started_at)),
                         devices=devices, backlog=self.outbox.pending_count(),
                         acked_command_ids=acked, state=state, state_reason=state_reason,
                         paper=paper, command_results=results,
                         command_kinds=[k.value for k in p.CommandKind],
                         document_paper=document_paper, config_hash=config_hash,
                         last_crash=last_crash)
        reply = self.adapter.heartbeat(hb)
        report.heartbeat = True
        for r in results:
            self._results.pop(r.id, None)
        if stored:
            self.pushed_config.sent([r.id for r in stored])
        self._next_heartbeat_at = self.clock() + self.heartbeat_interval_s
        if acked:
            self._unacked.difference_update(acked)
            self.state.save_unacked_commands(sorted(self._unacked))
        new = [c for c in reply.commands if c.id not in self._unacked and c.id not in acked]
        for command in new:
            self._carry_out(command)
            report.commands.append(command.id)
            self._unacked.add(command.id)
        if new:
            self.state.save_unacked_commands(sorted(self._unacked))
            if report.catalog is None and self._catalog_due:
                report.catalog = self._pull_catalog()
        self._staff_roster_check(reply, report)

    # -- hall staff: the roster ------------------------------------------------------------------

    def _staff_roster_check(self, reply: p.HeartbeatReply, report: CycleReport) -> None:
        """Fetch the staff roster once at the first heartbeat and whenever the reply names a
        version other than the stored one. A backend without the endpoint (an older one: 404)
        is not an error of the cycle: the terminal keeps the roster it has."""
        from kiosk.sync.adapter import BackendRejected

        if self.roster is None:
            return
        wanted = reply.roster_version
        if not self._roster_due and (not wanted or wanted == self.roster.version()):
            return
        try:
            roster = self.adapter.staff_roster()
        except BackendRejected as exc:
            log.warning("staff roster not available (%s %s): keeping the stored one",
                        exc.status, exc.code)
            self._roster_due = False
            return
        self._roster_due = False
        if roster.version == self.roster.version():
            return
        self.roster.save(roster)
        report.roster = roster.version
        if self.on_roster_updated is not None:
            try:
                self.on_roster_updated(roster.version)
            except Exception:
                log.exception("roster update callback failed")

    @staticmethod
    def _optional(fn, what: str):
        """An optional heartbeat part from its callback (None if none or it failed)."""
        if fn is None:
            return None
        try:
            return fn()
        except Exception:
            log.exception("%s callback failed", what)
            return None

    def _terminal_state(self) -> tuple[str, str]:
        """(state, reason) as the core last set them (the hall-staff issue)."""
        if self.terminal_state is None:
            return "", ""
        try:
            state, reason = self.terminal_state()
        except Exception:
            log.exception("terminal state callback failed")
            return "", ""
        return str(state)[:20], str(reason)[:200]

    def _carry_out(self, command: p.Command) -> None:
        """Idempotent by construction: each one sets a state rather than toggling it. Its
        result goes back with the next heartbeat (`command_results`)."""
        log.info("command %d: %s", command.id, command.kind)
        self._results[command.id] = p.CommandResult(id=command.id, ok=True)
        if command.kind is p.CommandKind.RELOAD_CATALOG:
            self._catalog_due = True
            return
        handled = True
        try:
            if command.kind in (p.CommandKind.ENTER_MAINTENANCE, p.CommandKind.LEAVE_MAINTENANCE):
                on = command.kind is p.CommandKind.ENTER_MAINTENANCE
                self._set_status(maintenance=on)
                if self.on_maintenance is not None:
                    self.on_maintenance(on)
            elif command.kind is p.CommandKind.NEW_CONFIG:
                if self.on_new_config is not None:
                    if self.on_new_config(dict(command.payload), command.id) == "accepted":
                        # written; applied once the kiosk restarted with it (decision 0036)
                        self._results[command.id] = p.CommandResult(
                            id=command.id, ok=True, stage="accepted",
                            message="restarts to apply it at the next idle moment")
                else:
                    handled = False
            elif command.kind is p.CommandKind.RESTART:
                handled = self.on_restart is not None
                if handled:
                    self.on_restart()
            elif command.kind in (p.CommandKind.LOCK, p.CommandKind.UNLOCK):
                handled = self.on_lock is not None
                if handled:
                    message = str(command.payload.get("message", ""))[:200]
                    self.on_lock(message if command.kind is p.CommandKind.LOCK else None)
            if not handled:
                log.warning("command %d: %s with no handler", command.id, command.kind)
                self._results[command.id] = p.CommandResult(
                    id=command.id, ok=False, message="this terminal does not handle it")
        except NotHandled:
            log.warning("command %d: %s not handled on this terminal", command.id, command.kind)
            self._results[command.id] = p.CommandResult(
                id=command.id, ok=False, message="this terminal does not handle it")
        except Exception as exc:
            problems = getattr(exc, "problems", None)  # kiosk.config.ConfigError: its words
            if command.kind is p.CommandKind.NEW_CONFIG and problems:
                log.error("command %d: settings refused: %s", command.id, "; ".join(problems))
                self._results[command.id] = p.CommandResult(
                    id=command.id, ok=False, message="; ".join(problems)[:200])
                return
            # Acked anyway: a command the terminal cannot carry out would otherwise come back
            # forever. The failure is in the log for the technician, its kind in the result.
            log.exception("command %d (%s) failed", command.id, command.kind)
            self._results[command.id] = p.CommandResult(
                id=command.id, ok=False, message=f"failed: {type(exc).__name__}"[:200])

    def report_result(self, command_id: int, ok: bool, message: str = "",
                      stage: str = "") -> None:
        """A later result of a command: sent with the next heartbeat. (A pushed profile's
        applied / rolled back outcomes come from `pushed_config`, kept on disk across the
        restart.)"""
        self._results[command_id] = p.CommandResult(id=command_id, ok=ok, message=message[:200],
                                                    stage=stage)
