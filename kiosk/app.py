"""The kiosk's core, wired together: config, store, catalog, search, terminal state, session and
navigation. No Qt here; the screens render this object's state and send it intents.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from kiosk import paths
from kiosk.catalog.importer import CatalogFileError, import_catalog, stored_version
from kiosk.catalog.model import ItemSummary
from kiosk.catalog.repository import CatalogFilter, CatalogRepository
from kiosk.catalog.search import SearchIndex, SearchResult
from kiosk.clock import OffsetClock
from kiosk.config import TerminalConfig
from kiosk.datadir import secure_data_dir
from kiosk.flows.engine import Fallback, FlowRun, Intent
from kiosk.flows.items import CATALOG_NAMES, build_flows, flow_for_item_name
from kiosk.flows.ports import FlowPorts, RecordsPort
from kiosk.flows.problem_report import FileCounter, Place, ProblemReporter, ProblemTicket
from kiosk.navigation import Navigator, Screen
from kiosk.ports import PrintPort
from kiosk.session import CitizenSession
from kiosk.store.db import DB_FILENAME, Store, StoreError, open_store
from kiosk.sync.outbox import Outbox
from kiosk.sync.state import SyncStateStore
from kiosk.terminal import TerminalState, TerminalStateMachine

log = logging.getLogger("kiosk.app")


@dataclass(frozen=True)
class OutOfService:
    """Why the terminal cannot serve: `reason` is a code the screen translates, `detail` is for
    the technician's log only (never shown to a citizen)."""

    reason: str
    detail: str


class KioskCore:
    def __init__(self, config: TerminalConfig, *, clock: OffsetClock | None = None):
        self.config = config
        self.clock = clock or OffsetClock()
        self.terminal = TerminalStateMachine()
        self.navigator = Navigator()
        self.session = CitizenSession(
            idle_timeout_s=config.session.idle_timeout_s,
            countdown_s=config.session.countdown_s,
            elder_timeout_factor=config.session.elder_timeout_factor,
            default_language=config.language.default,
            clock=self.clock,
        )
        self.store: Store | None = None
        self.catalog: CatalogRepository | None = None
        self.index: SearchIndex | None = None
        self.out_of_service: OutOfService | None = None
        self.printer: PrintPort | None = None
        self.outbox: Outbox | None = None
        self.problems: ProblemReporter | None = None
        self.records: RecordsPort | None = None  # the backend's online calls (attach_records)
        self.flows = build_flows(tuple(config.services.queue_business_types.items()))
        self.flow_run: FlowRun | None = None  # the citizen's current item, if any
        self.id_reader = None  # kiosk.devices.idcard.IdCardReader, if the terminal has one
        self._maintenance_requested = False
        self._printer_items: dict[str, frozenset] | None = None
        self._tiles: list[ItemSummary] | None = None

    @property
    def data_dir(self) -> Path:
        return paths.data_dir(self.config)

    # -- start-up --------------------------------------------------------------------------
    def start(self) -> None:
        """Open the store, import the catalog if it changed, build the search index.

        Never raises for a broken store or catalog: the terminal goes out of service instead.
        """
        # Private to the kiosk's user, including what an older kiosk left readable.
        secure_data_dir(self.data_dir)
        try:
            self.store = open_store(self.data_dir / DB_FILENAME)
            self.outbox = Outbox(self.store)
            desk = Place("", self.config.terminal.staffed_window)
            self.problems = ProblemReporter(
                self.outbox, FileCounter(self.data_dir / "problem-tickets.json"),
                self.config.terminal.id, help_desk=desk, problem_window=desk)
            if SyncStateStore(self.store).synced_at() is not None:
                # Once the backend has served the catalog it is the source of truth: the
                # shipped file must not overwrite newer synced data.
                log.info("catalog kept from the last sync")
            else:
                try:
                    import_catalog(self.store, paths.catalog_file(self.config))
                except CatalogFileError as exc:
                    if stored_version(self.store) is None:
                        raise
                    log.error("catalog file unusable, serving the catalog already stored: %s", exc)
            svc = self.config.services
            self.catalog = CatalogRepository(
                self.store, CatalogFilter(frozenset(svc.departments), frozenset(svc.exclude_items))
            )
            self.index = SearchIndex(self.catalog.search_rows())
        except StoreError as exc:
            log.error("store unusable (%s): %s", exc.reason, exc.detail)
            self._go_out_of_service(f"store_{exc.reason}", exc.detail)
            return
        except CatalogFileError as exc:
            log.error("catalog unusable: %s", exc)
            self._go_out_of_service("catalog", str(exc))
            return
        log.info("ready: %d items searchable", len(self.index))
        self.terminal.move(TerminalState.AVAILABLE)

    def _go_out_of_service(self, reason: str, detail: str) -> None:
        self.out_of_service = OutOfService(reason, detail)
        self.terminal.move(TerminalState.UNAVAILABLE, reason)
        self.navigator.reset(Screen.OUT_OF_SERVICE)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    # -- citizen session -------------------------------------------------------------------
    def begin_session(self) -> None:
        if self.terminal.state != TerminalState.AVAILABLE:
            return
        self.terminal.move(TerminalState.ACTIVE)
        self.session.start()
        self.navigator.go(Screen.HOME)

    def end_session(self, timed_out: bool = False) -> None:
        """End (completion, cancel or timeout): wipe the citizen's data, back to attract."""
        self.end_flow(timed_out=timed_out)
        self.session.end()
        if self.printer is not None:
            # A failed certificate's bytes must not wait in memory for the next citizen.
            self.printer.forget_personal()
        if self.terminal.state == TerminalState.ACTIVE:
            self.terminal.move(TerminalState.AVAILABLE)
        if self.terminal.state == TerminalState.AVAILABLE:
            if self._maintenance_requested:
                self.set_maintenance(True)
            else:
                self.navigator.reset(Screen.ATTRACT)

    def set_maintenance(self, on: bool) -> None:
        """The backend (or a technician) asks for maintenance mode. A citizen in the middle of
        something finishes first: the terminal goes into maintenance when the session ends."""
        self._maintenance_requested = on
        if on and self.terminal.state == TerminalState.AVAILABLE:
            self.out_of_service = OutOfService("maintenance", "maintenance requested")
            self.terminal.move(TerminalState.MAINTENANCE, "maintenance")
            self.navigator.reset(Screen.OUT_OF_SERVICE)
            log.info("maintenance mode on")
        elif not on and self.terminal.state == TerminalState.MAINTENANCE:
            self.out_of_service = None
            self.terminal.move(TerminalState.AVAILABLE)
            self.navigator.reset(Screen.ATTRACT)
            log.info("maintenance mode off")

    # -- intents ---------------------------------------------------------------------------
    def search(self, text: str, limit: int = 50) -> SearchResult:
        self.session.data.search_text = text
        if self.index is None:
            return SearchResult([], 0)
        return self.index.query(text, limit)

    def open_item(self, item_id: str) -> None:
        """A tile or a list entry: an item the terminal carries out starts its flow; any other
        item shows its guide."""
        flow_id = self.flow_for_item(item_id)
        if flow_id is not None and item_id not in self.unavailable_items():
            # (an item whose printer is down shows its guide: its QR code and where to go)
            self.start_flow(flow_id, item_id=item_id)
        else:
            self.open_guide(item_id)

    def open_guide(self, item_id: str) -> None:
        if item_id not in self.session.data.visited_items:
            self.session.data.visited_items.append(item_id)
        self.navigator.go(Screen.GUIDE, item_id=item_id)

    # -- flows ---------------------------------------------------------------------------------
    def attach_records(self, records: RecordsPort | None) -> None:
        self.records = records

    def flow_for_item(self, item_id: str) -> str | None:
        """The flow that carries out a catalog item (its guide is shown for the others)."""
        if self.catalog is None:
            return None
        items = self.catalog.items([item_id])
        return flow_for_item_name(items[0].name) if items else None

    def flow_ports(self) -> FlowPorts:
        printer = self.printer
        return FlowPorts(
            events=self.outbox, terminal_id=self.config.terminal.id, records=self.records,
            documents=printer if printer is not None and printer.document_status() is not None
            else None,
            receipts=printer, guides=self.catalog, problems=self.problems)

    def _fallback(self, flow_id: str, item_id: str) -> Fallback:
        """Where the citizen can still get it done: the item's guide, else the staffed window."""
        guide = self.catalog.guide(item_id) if item_id and self.catalog is not None else None
        if guide is None and self.index is not None and self.catalog is not None:
            for name in CATALOG_NAMES.get(flow_id, ()):
                hit = next((h for h in self.index.query(name, limit=5).hits if h.name == name),
                           None)
                if hit is not None:
                    guide = self.catalog.guide(hit.id)
                    break
        if guide is not None:
            return Fallback.from_guide(guide)
        return Fallback(window=self.config.terminal.staffed_window)

    def start_flow(self, flow_id: str, *, item_id: str = "", **params) -> FlowRun | None:
        """Begin an item for the citizen: any earlier run is cancelled first (one at a time)."""
        flow = self.flows.get(flow_id)
        if flow is None or self.outbox is None:
            log.error("no flow %r (or no store)", flow_id)
            return None
        if self.terminal.state == TerminalState.AVAILABLE:
            self.begin_session()
        self.end_flow()
        if item_id:
            params = {"item_id": item_id, **params}
        run = FlowRun(flow, self.flow_ports(), params=params,
                      fallback=self._fallback(flow_id, item_id), catalog_item_id=item_id,
                      on_activity=self.session.touch)
        self.flow_run = run
        self.session.touch()
        run.start()
        self.navigator.go(Screen.FLOW, flow_id=flow_id, run_id=run.run_id)
        return run

    def end_flow(self, timed_out: bool = False) -> None:
        """Finish the current run, if any: a timeout or a cancel (nothing of the citizen
        stays either way)."""
        run, self.flow_run = self.flow_run, None
        if run is None or run.finished:
            return
        if timed_out:
            run.timeout()
        else:
            run.cancel()

    def report_problem(self, category: str, item_id: str = "") -> ProblemTicket | None:
        """办不成事: number the problem, queue it for the backend, say where to go. The item's
        own window (from its guide) when the problem belongs there."""
        if self.problems is None:
            return None
        run = self.flow_run
        if run is not None and not run.finished and run.can(Intent.REPORT_PROBLEM):
            # inside an item: the report names its step and error; the run stays where it was
            return run.report_problem(category)
        window, url = None, ""
        if item_id and self.catalog is not None:
            guide = self.catalog.guide(item_id)
            if guide is not None:
                window, url = Place(guide.place, guide.window), guide.online_url
        self.session.touch()
        return self.problems.report(category, item_id=item_id, item_window=window, online_url=url)

    def rebuild_index(self, *_args) -> None:
        """After a catalog sync: a new index is built aside and swapped in whole, so a search
        running meanwhile sees either the old catalog or the new one."""
        if self.catalog is None:
            return
        index = SearchIndex(self.catalog.search_rows())
        self.index = index
        self._tiles = None
        self._printer_items = None
        log.info("search index rebuilt: %d items", len(index))

    def _items_needing_printers(self) -> dict[str, frozenset]:
        """Catalog items done by a flow that cannot work without a printer: the flow's title
        matched (exactly, or as the start of a service point's variant) against the catalog."""
        if self._printer_items is None:
            from kiosk.catalog.search import PREFIX
            from kiosk.flows.engine import required_papers

            out: dict[str, frozenset] = {}
            for flow_id, names in CATALOG_NAMES.items():
                papers = required_papers(self.flows[flow_id])
                if not papers or self.index is None:
                    continue
                for name in names:
                    for hit in self.index.query(name, limit=100).hits:
                        if hit.tier <= PREFIX and flow_for_item_name(hit.name) == flow_id:
                            out[hit.id] = out.get(hit.id, frozenset()) | papers
            self._printer_items = out
        return self._printer_items

    def unavailable_items(self) -> dict[str, str]:
        """Items whose printer is down now, with the reason: only those items, never the rest."""
        down: dict[str, str] = {}
        if self.printer is None:
            statuses = {"a4": None, "receipt": None}
        else:
            statuses = {"a4": self.printer.document_status(), "receipt": self.printer.receipt_status()}
        for item_id, papers in self._items_needing_printers().items():
            for paper in papers:
                st = statuses.get(str(paper))
                if st is None:
                    down[item_id] = "not_configured"
                elif not st.usable:
                    down[item_id] = str(st.reason) or "offline"
        return down

    def attach_printer(self, port: PrintPort) -> None:
        self.printer = port

    def can_print_receipts(self) -> bool:
        if self.printer is None:
            return False
        status = self.printer.receipt_status()
        return status is not None and status.usable

    def tiles(self) -> list[ItemSummary]:
        """The home screen's high-frequency tiles: the configured ones, else the catalog's."""
        if self._tiles is None:
            if self.catalog is None:
                return []
            wanted = self.config.services.tiles
            tiles = self.catalog.items(wanted) if wanted else self.catalog.high_frequency(12)
            missing = [t for t in wanted if t not in {i.id for i in tiles}]
            if missing:
                log.warning("configured tiles not in the catalog: %s", ", ".join(missing))
            self._tiles = tiles
        return self._tiles
