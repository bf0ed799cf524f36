"""The kiosk's core: terminal state, the citizen's session, navigation, search and the current
item, over the `Services` the composition root built (`wiring`). No Qt here; the screens render
this object's state and send it intents, on one thread; news from other threads arrives through
the services' bus.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.bus import Topic
from kiosk.catalog.model import ItemSummary
from kiosk.catalog.search import SearchIndex, SearchResult
from kiosk.devices.card_watch import CardWatch
from kiosk.devices.face_watch import FaceWatch
from kiosk.flows.driver import FlowDriver
from kiosk.flows.engine import Fallback, FlowRun, Intent, required_papers
from kiosk.flows.ports import FlowPorts
from kiosk.flows.problem_report import Place, ProblemTicket
from kiosk.navigation import Navigator, Screen
from kiosk.services import OutOfService, Services
from kiosk.session import CitizenSession
from kiosk.terminal import TerminalState, TerminalStateMachine

log = logging.getLogger("kiosk.app")


class KioskCore:
    def __init__(self, services: Services):
        self.services = services
        config = self.config = services.config
        self.clock = services.clock
        self.bus = services.bus
        self.terminal = TerminalStateMachine()
        self.navigator = Navigator()
        self.session = CitizenSession(
            idle_timeout_s=config.session.idle_timeout_s,
            countdown_s=config.session.countdown_s,
            elder_timeout_factor=config.session.elder_timeout_factor,
            default_language=config.language.default,
            clock=self.clock,
        )
        self.store = services.store
        self.catalog = services.catalog
        self.outbox = services.outbox
        self.problems = services.problems
        self.printer = services.printer
        self.records = services.records
        self.id_reader = services.id_reader
        self.items = services.items
        self.flows = services.items.flows
        self.index: SearchIndex | None = None
        self.out_of_service: OutOfService | None = None
        self.flow_run: FlowRun | None = None  # the citizen's current item, if any
        self.flow = FlowDriver(self.bus, render_preview=self.printer.preview_page
                               if self.printer is not None else None)
        # the card reader is polled on the watch's thread while the identify step is shown
        self.card_watch = CardWatch(self.id_reader, self.bus) \
            if self.id_reader is not None else None
        # a card's holder is verified by face (a verified item): on the face watch's thread
        devices = config.devices
        self.face_watch = FaceWatch(services.camera, services.face_verifier, self.bus,
                                    look_s=devices.face_look_s,
                                    timeout_s=devices.face_timeout_s) \
            if services.camera is not None and services.face_verifier is not None else None
        self._maintenance_requested = False
        self._item_flows: dict[str, str] | None = None
        self._printer_items: dict[str, frozenset] | None = None
        self._tiles: list[ItemSummary] | None = None
        self._tile_listeners: list = []
        self.bus.subscribe(Topic.CATALOG_UPDATED, self.rebuild_index)
        self.bus.subscribe(Topic.MAINTENANCE, self.set_maintenance)

    @property
    def data_dir(self) -> Path:
        return self.services.data_dir

    # -- start-up --------------------------------------------------------------------------
    def start(self) -> None:
        """Build the search index and open for citizens; a store or catalog the root could not
        use puts the terminal out of service instead (never raises for them)."""
        failure = self.services.failure
        if failure is not None or self.catalog is None:
            failure = failure or OutOfService("store_unusable", "no catalog")
            self._go_out_of_service(failure.reason, failure.detail)
            return
        # read at the first search, or by `build_index()` once the home screen is painted
        self.index = SearchIndex(self.catalog.search_rows(), lazy=True)
        log.info("ready: %d items searchable", len(self.index))
        self.terminal.move(TerminalState.AVAILABLE)

    def _go_out_of_service(self, reason: str, detail: str) -> None:
        self.out_of_service = OutOfService(reason, detail)
        self.terminal.move(TerminalState.UNAVAILABLE, reason)
        self.navigator.reset(Screen.OUT_OF_SERVICE)

    def close(self) -> None:
        self.flow.shutdown()
        if self.card_watch is not None:
            self.card_watch.close()
        if self.face_watch is not None:
            self.face_watch.close()

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
        if self.face_watch is not None:
            self.face_watch.end_session()  # the next citizen gets their three tries
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
    def item_flows(self) -> dict[str, str]:
        """{catalog item id: flow id} for every catalog item the terminal carries out (the
        registry binds items by base code, so each service point's variant is included)."""
        if self._item_flows is None:
            codes = self.catalog.items_by_base_code(self.items.catalog_codes) \
                if self.catalog is not None else {}
            self._item_flows = {item_id: self.items.for_code(code)
                                for item_id, code in codes.items()}
        return self._item_flows

    def flow_for_item(self, item_id: str) -> str | None:
        """The flow that carries out a catalog item (its guide is shown for the others)."""
        return self.item_flows().get(item_id)

    def flow_ports(self) -> FlowPorts:
        printer = self.printer
        return FlowPorts(
            events=self.services.events, terminal_id=self.config.terminal.id,
            records=self.records,
            documents=printer if printer is not None and printer.document_status() is not None
            else None,
            receipts=printer, guides=self.catalog, problems=self.problems)

    def _fallback(self, flow_id: str, item_id: str) -> Fallback:
        """Where the citizen can still get it done: the item's guide (or, for a flow started
        without one, the guide of a catalog item it carries out), else the staffed window."""
        guide = self.catalog.guide(item_id) if item_id and self.catalog is not None else None
        if guide is None and self.catalog is not None:
            for other in sorted(i for i, f in self.item_flows().items() if f == flow_id):
                guide = self.catalog.guide(other)
                if guide is not None:
                    break
        if guide is not None:
            return Fallback.from_guide(guide)
        return Fallback(window=self.config.terminal.staffed_window)

    def start_flow(self, flow_id: str, *, item_id: str = "", **params) -> FlowRun | None:
        """Begin an item for the citizen: any earlier run is cancelled first (one at a time)."""
        flow = self.flows.get(flow_id)
        if flow is None or self.services.events is None:
            log.error("no flow %r (or no store)", flow_id)
            return None
        if self.terminal.state == TerminalState.AVAILABLE:
            self.begin_session()
        self.end_flow()
        if item_id:
            params = {"item_id": item_id, **params}
        run = FlowRun(flow, self.flow_ports(), params=params,
                      fallback=self._fallback(flow_id, item_id), catalog_item_id=item_id,
                      on_activity=self.session.touch, session_id=self.session.id,
                      attended_by=lambda: self.session.data.staff_id)
        self.flow_run = run
        self.session.touch()
        run.start()
        self.flow.begin(run)
        self.navigator.go(Screen.FLOW, flow_id=flow_id, run_id=run.run_id)
        return run

    def end_flow(self, timed_out: bool = False) -> None:
        """Finish the current run, if any: a timeout or a cancel (nothing of the citizen
        stays either way)."""
        run, self.flow_run = self.flow_run, None
        if run is None:
            return
        if not run.finished:
            if timed_out:
                run.timeout()
            else:
                run.cancel()
        self.flow.end()

    def back(self) -> None:
        """The one place that decides "back": inside an item, a step of the item (from its
        first step, or once it is over, the item ends); elsewhere the previous screen."""
        run = self.flow_run
        if self.navigator.current.screen == Screen.FLOW and run is not None:
            if not run.finished and run.can(Intent.BACK):
                run.back()
            if not run.finished:
                return
            self.end_flow()
        self.navigator.back()

    # -- attended mode (the hall-staff issue's hook) --------------------------------------------
    @property
    def attending(self) -> str | None:
        """The staff member attending the citizen now, or None."""
        return self.session.data.staff_id

    def attend(self, staff_id: str | None) -> None:
        """A staff member (logged in by the hall-staff mode) attends the citizen from now on,
        or no longer (None): a verified item then offers the number pad too, and whatever
        identifies the citizen meanwhile is verified ``attended`` with the staff id. It ends
        with the session."""
        if staff_id is not None and not str(staff_id).strip():
            raise ValueError("a staff id")
        if self.terminal.state == TerminalState.AVAILABLE and staff_id is not None:
            self.begin_session()
        self.session.data.staff_id = str(staff_id).strip() if staff_id is not None else None
        log.info("attended mode %s", "on" if staff_id is not None else "off")
        self.session.touch()
        self.flow.refresh()

    def leave_flow(self) -> None:
        """The citizen gives up on the item (or finishes it and wants another): home."""
        self.end_flow()
        self.navigator.go(Screen.HOME)

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

    def build_index(self) -> None:
        """Read the search index now (after the first paint: the first search is then quick)."""
        if self.index is not None:
            self.index.build()

    def rebuild_index(self, *_args) -> None:
        """After a catalog sync: a new index is built aside and swapped in whole, so a search
        running meanwhile sees either the old catalog or the new one."""
        if self.catalog is None:
            return
        index = SearchIndex(self.catalog.search_rows())
        self.index = index
        self._tiles = None
        self._printer_items = None
        self._item_flows = None
        log.info("search index rebuilt: %d items", len(index))
        for fn in list(self._tile_listeners):
            fn()

    def on_catalog_changed(self, fn) -> None:
        """`fn()` after a synced catalog was swapped in (the home screen refreshes its tiles)."""
        self._tile_listeners.append(fn)

    def _items_needing_printers(self) -> dict[str, frozenset]:
        """Catalog items done by a flow that cannot work without a printer."""
        if self._printer_items is None:
            papers = {fid: required_papers(f) for fid, f in self.flows.items()}
            self._printer_items = {item_id: papers[fid] for item_id, fid in
                                   self.item_flows().items() if papers.get(fid)}
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
