"""The sync service as the app runs it: the adapter, built off the UI thread (the demo's backend
process seeds itself on first start, which takes seconds), then the sync worker.

Status (also to direct `subscribe`rs, on the worker's thread) and commands go out on the bus,
which delivers them on the core's thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from kiosk import __version__
from kiosk.bus import Bus, Topic
from kiosk.config import SyncAdapter, TerminalConfig
from kiosk.store.db import Store
from kiosk.sync.outbox import Outbox
from kiosk.sync.worker import LinkState, SyncStatus, SyncWorker

log = logging.getLogger("kiosk.sync")


def http_adapter(config: TerminalConfig, credential: str | None):
    """The `HttpAdapter` the config's `[sync]` section describes, with this credential."""
    from kiosk.sync.adapter import HttpAdapter

    sc = config.sync
    return HttpAdapter(sc.base_url, credential, timeout=sc.timeout_s,
                       connect_timeout=sc.connect_timeout_s, ca_file=sc.ca_file or None,
                       deadline=sc.deadline_s, proxy=sc.proxy or None)


class SyncService:
    """`make_adapter()` builds the adapter (the composition root decides how: an HTTP adapter
    with the stored credential, or the demo backend's); it runs on the service's boot thread,
    never on the UI thread. Status, a synced catalog, maintenance and pushed settings are
    published on the `bus` (delivered on the core's thread)."""

    def __init__(self, config: TerminalConfig, store: Store, outbox: Outbox, bus: Bus, *,
                 make_adapter: Callable[[], object],
                 device_statuses: Callable[[], dict] | None = None,
                 terminal_state: Callable[[], tuple[str, str]] | None = None,
                 paper_report: Callable[[], object] | None = None,
                 document_paper_report: Callable[[], object] | None = None,
                 pushed_config=None,
                 last_crash: Callable[[], object] | None = None):
        """`terminal_state()`: (state, reason) for the heartbeat (thread-safe);
        `paper_report()` / `document_paper_report()`: a protocol.PaperReport or None (the
        printing counters); `pushed_config`: kiosk.config_update.PushedConfig (the life of
        pushed profiles; one is made for the config's data folder if None); `last_crash()`:
        a protocol.CrashReport or None (decision 0036)."""
        self.config = config
        self.store = store
        self.outbox = outbox
        self.bus = bus
        self.make_adapter = make_adapter
        self.device_statuses = device_statuses
        self.terminal_state = terminal_state
        self.paper_report = paper_report
        self.document_paper_report = document_paper_report
        if pushed_config is None:
            from kiosk.config_update import PushedConfig, overlay_path

            pushed_config = PushedConfig(overlay_path(config).parent)
        self.pushed_config = pushed_config
        self.last_crash = last_crash
        self.adapter = None
        self.worker: SyncWorker | None = None
        self._listeners: list[Callable[[SyncStatus], None]] = []
        self._status = SyncStatus(pending=outbox.pending_count())
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.config.sync.adapter != SyncAdapter.OFF

    @property
    def status(self) -> SyncStatus:
        return self._status

    def subscribe(self, fn: Callable[[SyncStatus], None]) -> None:
        self._listeners.append(fn)
        fn(self._status)

    def _emit(self, status: SyncStatus) -> None:
        self._status = status
        for fn in list(self._listeners):
            try:
                fn(status)
            except Exception:  # a broken listener must not stop sync
                log.exception("sync status listener failed")
        self.bus.publish(Topic.SYNC_STATUS, status)

    def start(self) -> None:
        if not self.enabled:
            return
        self._thread = threading.Thread(target=self._boot, name="sync-boot", daemon=True)
        self._thread.start()

    def _new_config(self, payload: dict, command_id: int | None = None) -> str:
        """A hall profile pushed from the fleet console: checked against this terminal's
        settings and written here (the previous overlay kept), so the fleet view hears 执行失败
        with the schema's words for one this terminal refuses (ConfigError), 已接受 for one it
        keeps; the window restarts at its next idle moment, and the restarted kiosk reports it
        applied, or rolled back (kiosk.config_update.PushedConfig, decision 0036)."""
        self.pushed_config.accept(self.config, payload, command_id)
        self.bus.publish(Topic.NEW_CONFIG, payload)
        return "accepted"

    def _publish_handled(self, topic: Topic, payload) -> None:
        """Publish a fleet command (restart, lock) for the core; with no subscriber the command
        is reported failed ("this terminal does not handle it"), not done."""
        from kiosk.sync.worker import NotHandled

        if not self.bus.has_subscribers(topic):
            raise NotHandled(str(topic))
        self.bus.publish(topic, payload)

    def _boot(self) -> None:
        sc = self.config.sync
        try:
            adapter = self.make_adapter()
        except Exception as exc:  # the demo backend failed to start: keep the kiosk going
            log.error("sync adapter could not start: %s", exc)
            self._emit(SyncStatus(LinkState.OFFLINE, self.outbox.pending_count(),
                                  last_error=f"adapter: {exc}"))
            return
        worker = SyncWorker(
            self.store, adapter, self.outbox, terminal_id=self.config.terminal.id,
            version=__version__, device_statuses=self.device_statuses,
            on_catalog_updated=lambda result: self.bus.publish(Topic.CATALOG_UPDATED, result),
            on_maintenance=lambda on: self.bus.publish(Topic.MAINTENANCE, on),
            on_new_config=self._new_config,
            on_restart=lambda: self._publish_handled(Topic.RESTART, None),
            on_lock=lambda message: self._publish_handled(Topic.LOCK, message),
            paper_report=self.paper_report,
            document_paper_report=self.document_paper_report,
            pushed_config=self.pushed_config, last_crash=self.last_crash,
            roster=self._roster(),
            on_roster_updated=lambda version: self.bus.publish(Topic.STAFF_ROSTER, version),
            push_interval_s=sc.push_interval_s, heartbeat_interval_s=sc.heartbeat_interval_s,
            catalog_interval_s=sc.catalog_interval_s, retry_min_s=sc.retry_min_s,
            retry_max_s=sc.retry_max_s, batch_size=sc.batch_size,
            catalog_page_size=sc.catalog_page_size, terminal_state=self.terminal_state,
        )
        with self._lock:
            if self._stopping.is_set():
                adapter.close()
                return
            self.adapter, self.worker = adapter, worker
            worker.subscribe(self._emit)
            worker.start()

    def _roster(self):
        """The staff roster's cache (hall staff: refreshed by the worker)."""
        from kiosk.staff import RosterStore

        return RosterStore(self.store)

    def records(self) -> "LiveAdapter":
        """The adapter for the citizens' online calls (records, documents, tickets): the one
        the service built, once it is built; until then every call is 'unreachable'."""
        return LiveAdapter(self)

    def wake(self) -> None:
        if self.worker is not None:
            self.worker.wake()

    def heartbeat_soon(self) -> None:
        """A heartbeat at once (the terminal's state changed); any thread."""
        worker = self.worker
        if worker is not None:
            worker.heartbeat_soon()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(30)
        with self._lock:
            if self.worker is not None:
                self.worker.stop()
            if self.adapter is not None:
                self.adapter.close()
            self.worker = self.adapter = None


class LiveAdapter:
    """Calls go to the sync service's adapter as it is now (built off the UI thread, closed
    at stop); without one they fail as the network would, so a citizen is told to try again."""

    _CALLS = frozenset({"fetch", "issue_document", "queue_ticket", "ticket_status", "verify",
                        "exchange_credential", "access_log",
                        "staff_roster",  # hall staff
                        # the call for help (kiosk.help)
                        "help_request", "help_status", "help_cancel", "help_consent",
                        "help_frame"})

    def __init__(self, service: SyncService):
        self._service = service

    @property
    def credential(self) -> str | None:
        """The running adapter's credential (what a personal call's proof is signed with)."""
        adapter = self._service.adapter
        return getattr(adapter, "credential", None) if adapter is not None else None

    def __getattr__(self, name: str):
        if name not in self._CALLS:
            raise AttributeError(name)
        adapter = self._service.adapter
        if adapter is None:
            from kiosk.sync.adapter import BackendUnavailable

            def unavailable(*_args, **_kwargs):
                raise BackendUnavailable("the backend adapter is not running", kind="network")

            return unavailable
        return getattr(adapter, name)
