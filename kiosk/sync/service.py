"""The sync service as the app runs it: the adapter chosen in `[sync]`, built off the UI thread
(the embedded backend seeds itself on first start, which takes seconds), then the sync worker.

Status reaches subscribers from a worker thread; the Qt side hands it to the UI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from kiosk import __version__
from kiosk.config import SyncAdapter, TerminalConfig
from kiosk.store.db import Store
from kiosk.sync.outbox import Outbox
from kiosk.sync.state import SyncStateStore
from kiosk.sync.worker import LinkState, SyncStatus, SyncWorker

log = logging.getLogger("kiosk.sync")


def make_adapter(config: TerminalConfig, store: Store, data_dir: Path):
    sc = config.sync
    if sc.adapter == SyncAdapter.EMBEDDED:
        from kiosk.sync.adapter import EmbeddedAdapter

        folder = Path(sc.embedded_dir).expanduser() if sc.embedded_dir else data_dir / "backend"
        return EmbeddedAdapter(folder, terminal_id=config.terminal.id, timeout=sc.timeout_s,
                               connect_timeout=sc.connect_timeout_s)
    if sc.adapter == SyncAdapter.HTTP:
        from kiosk.sync.adapter import HttpAdapter

        return HttpAdapter(sc.base_url, SyncStateStore(store).credential(), timeout=sc.timeout_s,
                           connect_timeout=sc.connect_timeout_s, ca_file=sc.ca_file or None,
                           deadline=sc.deadline_s, proxy=sc.proxy or None)
    return None


class SyncService:
    def __init__(self, config: TerminalConfig, store: Store, outbox: Outbox, data_dir: Path, *,
                 device_statuses: Callable[[], dict] | None = None,
                 on_catalog_updated: Callable[[object], None] | None = None,
                 on_maintenance: Callable[[bool], None] | None = None,
                 on_new_config: Callable[[dict], None] | None = None):
        self.config = config
        self.store = store
        self.outbox = outbox
        self.data_dir = data_dir
        self.device_statuses = device_statuses
        self.on_catalog_updated = on_catalog_updated
        self.on_maintenance = on_maintenance
        self.on_new_config = on_new_config
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

    def start(self) -> None:
        if not self.enabled:
            return
        self._thread = threading.Thread(target=self._boot, name="sync-boot", daemon=True)
        self._thread.start()

    def _boot(self) -> None:
        sc = self.config.sync
        try:
            adapter = make_adapter(self.config, self.store, self.data_dir)
        except Exception as exc:  # the embedded backend failed to start: keep the kiosk going
            log.error("sync adapter could not start: %s", exc)
            self._emit(SyncStatus(LinkState.OFFLINE, self.outbox.pending_count(),
                                  last_error=f"adapter: {exc}"))
            return
        worker = SyncWorker(
            self.store, adapter, self.outbox, terminal_id=self.config.terminal.id,
            version=__version__, device_statuses=self.device_statuses,
            on_catalog_updated=self.on_catalog_updated, on_maintenance=self.on_maintenance,
            on_new_config=self.on_new_config,
            push_interval_s=sc.push_interval_s, heartbeat_interval_s=sc.heartbeat_interval_s,
            catalog_interval_s=sc.catalog_interval_s, retry_min_s=sc.retry_min_s,
            retry_max_s=sc.retry_max_s, batch_size=sc.batch_size,
            catalog_page_size=sc.catalog_page_size,
        )
        with self._lock:
            if self._stopping.is_set():
                adapter.close()
                return
            self.adapter, self.worker = adapter, worker
            worker.subscribe(self._emit)
            worker.start()

    def records(self) -> "LiveAdapter":
        """The adapter for the citizens' online calls (records, documents, tickets): the one
        the service built, once it is built; until then every call is 'unreachable'."""
        return LiveAdapter(self)

    def wake(self) -> None:
        if self.worker is not None:
            self.worker.wake()

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

    _CALLS = frozenset({"social_insurance", "medical_account", "provident_fund", "real_estate",
                        "issue_document", "queue_ticket", "ticket_status", "verify"})

    def __init__(self, service: SyncService):
        self._service = service

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
