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
from kiosk.terminal import (
    BACKEND,
    DOCUMENT_PRINTER,
    ID_CARD_READER,
    PERSISTENT_SOURCES,
    PRINTER_PARTS,
    RECEIPT_PRINTER,
    OutOfServiceReasons,
    OutReason,
    OutSource,
    TerminalHealth,
    TerminalState,
    TerminalStateMachine,
)

log = logging.getLogger("kiosk.app")
REASONS_KEY = "terminal.out_of_service"  # sync_state: the console's reasons, kept across restarts
# The code each source's reason shows (the screen's reference, the heartbeat's state_reason).
SOURCE_CODES = {OutSource.LOCK: "locked", OutSource.CONSOLE: "maintenance",
                OutSource.TECHNICIAN: "technician", OutSource.NIGHTLY: "nightly"}


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
        if self.printer is not None and hasattr(self.printer, "language_of"):
            # receipts speak the citizen's language (printing.receipt_words)
            self.printer.language_of = lambda: self.session.data.language
        self.records = services.records
        self.id_reader = services.id_reader
        self.items = services.items
        self.flows = services.items.flows
        self.index: SearchIndex | None = None
        self._pinyin = None  # the pinyin candidates, made from the index on first use
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
        # Why the terminal is out of service, one reason per source (decision 0036): in
        # service only when the set is empty; the console's reasons survive a restart.
        self.reasons = OutOfServiceReasons()
        self._restore_reasons()
        self.nightly = None
        if config.maintenance.nightly and self.store is not None:
            from kiosk.nightly import NightlyMaintenance

            m = config.maintenance
            self.nightly = NightlyMaintenance(self.store, hour=m.nightly_hour,
                                              journal_keep_days=m.journal_keep_days,
                                              rejected_keep_days=m.rejected_keep_days)
        self._nightly_running = False
        self._item_flows: dict[str, str] | None = None
        self._printer_items: dict[str, frozenset] | None = None
        self._tiles: list[ItemSummary] | None = None
        self._tile_listeners: list = []
        self.bus.subscribe(Topic.CATALOG_UPDATED, self.rebuild_index)
        self.bus.subscribe(Topic.MAINTENANCE, self.set_maintenance)
        self.bus.subscribe(Topic.LOCK, self.lock)
        self.staff = self._make_staff_desk()  # hall staff (None without a store)
        self.maintenance = self.counters = None  # the technician's panel (kiosk.maintenance)
        if self.staff is not None:
            from kiosk.maintenance import Counters, MaintenanceDesk

            self.maintenance = MaintenanceDesk(self, self.staff.audit)
            self.counters = Counters(self.store, persist=getattr(services.events, "submit", None))
            self.bus.subscribe(Topic.PRINT_JOB, self._count_print)
            self.bus.subscribe(Topic.PRINTER_STATUS, self._count_printer_status)
        self._printer_levels: dict[str, str] = {}
        self._init_terminal_health()
        self.help = services.help  # kiosk.help.HelpDesk, or None (no backend)
        self._step_guides = None

    # -- 操作指引 (kiosk/guides.py, docs/decisions/0034) ----------------------------------------
    @property
    def step_guides(self):
        """Every item's operation guide (kiosk.guides.GuideLibrary), made on first use; None
        when the terminal offers none (`[guides] enabled = false`)."""
        if self._step_guides is None and self.config.guides.enabled:
            from kiosk.guides import GuideLibrary

            self._step_guides = GuideLibrary.from_config(
                self.config, self.items, self.flows, card_verifies=self.face_watch is not None)
        return self._step_guides

    def open_step_guide(self, item_id: str) -> None:
        """Show an item's operation guide over where the citizen is; "back" returns there (an
        item's run keeps its state meanwhile)."""
        library = self.step_guides
        if library is None or library.guide(item_id) is None:
            log.warning("no operation guide for %r", item_id)
            return
        if self.terminal.state == TerminalState.AVAILABLE:
            self.begin_session()
        self.session.touch()
        self.navigator.go(Screen.STEP_GUIDE, item_id=item_id)

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
            self.reasons.set(OutReason(OutSource.FAILURE, failure.reason, failure.detail))
            self._settle(force=True)
            return
        # read at the first search, or by `build_index()` once the home screen is painted
        self.index = SearchIndex(self.catalog.search_rows(), lazy=True)
        log.info("ready: %d items searchable", len(self.index))
        self.terminal.move(TerminalState.AVAILABLE)
        self.check_availability()  # a required part already down: out of service at once

    def fail(self, reason: str, detail: str = "") -> None:
        """Out of service now (a crash, a crash loop): the citizen's session is ended and
        wiped first, whatever state the terminal was in; the out-of-service screen shows.
        Nothing lifts a failure but a restart."""
        try:
            self.end_session()
        except Exception:  # failing already: the wipe is best effort, the screen must show
            log.exception("ending the session while failing")
            self.session.end()
        if self.terminal.state in (TerminalState.ACTIVE, TerminalState.ATTENDED):
            self.terminal.move(TerminalState.AVAILABLE, reason)
        self.reasons.set(OutReason(OutSource.FAILURE, reason, detail))
        self._settle(force=True)

    # -- out of service: the set of reasons (decision 0036) -------------------------------------
    @property
    def lock_message(self) -> str | None:
        """The fleet console's words for citizens while it locks the terminal, else None."""
        lock = self.reasons.get(OutSource.LOCK)
        return lock.message if lock is not None else None

    def set_out(self, source: OutSource, on: bool, *, message: str = "", staff_no: str = "",
                code: str = "", detail: str = "") -> None:
        """`source` takes the terminal out of service (`on`) or lifts its own reason only. A
        citizen being served finishes first (the session's end settles it). Audited."""
        source = OutSource(source)
        if on:
            code = code or SOURCE_CODES.get(source, str(source))
            changed = self.reasons.set(OutReason(source, code, detail or f"{source} asked",
                                                 message))
        else:
            changed = self.reasons.lift(source)
        if not changed:
            return
        log.info("out of service: %s %s (now: %s)", source, "on" if on else "lifted",
                 self.reasons.summary() or "in service")
        if source is not OutSource.PARTS:
            self._audit_reason(source, on, staff_no)
        if source in PERSISTENT_SOURCES:
            self._save_reasons()
        self._settle()

    def _settle(self, force: bool = False) -> None:
        """Move the terminal to what its reasons say: never in the middle of a citizen's
        session (ACTIVE, ATTENDED: `end_session` settles), nor before `start` (unless
        `force`: a failure). The out-of-service screen shows the most relevant reason; it is
        shown again only when that changed (the technician's panel stays where it is)."""
        state = self.terminal.state
        if state in (TerminalState.ACTIVE, TerminalState.ATTENDED) or (
                state == TerminalState.INITIALISING and not force):
            return
        top = self.reasons.top()
        if top is None:
            if state in (TerminalState.UNAVAILABLE, TerminalState.MAINTENANCE):
                log.info("back in service")
                self.out_of_service = None
                self.terminal.move(TerminalState.AVAILABLE)
                self.navigator.reset(Screen.ATTRACT)
            return
        target = self.reasons.state()
        oos = OutOfService(top.code, top.detail, self.reasons.message())
        summary = self.reasons.summary()
        shown = self.out_of_service
        self.out_of_service = oos
        if state != target:
            if not self.terminal.can(target):  # INITIALISING -> MAINTENANCE: by UNAVAILABLE
                self.terminal.move(TerminalState.UNAVAILABLE, summary)
            self.terminal.move(target, summary)
        elif self.terminal.reason != summary:
            self.terminal.reason = summary
            self.services.terminal_state.set(target.value, summary)
        if state != target or shown is None or (shown.reason, shown.message) != (
                oos.reason, oos.message) or self.navigator.current.screen != Screen.OUT_OF_SERVICE:
            # (the route names the reason shown, so another reason shows the screen again)
            self.navigator.reset(Screen.OUT_OF_SERVICE)
            self.navigator.remember(reason=oos.reason, message=bool(oos.message))

    def _audit_reason(self, source: OutSource, on: bool, staff_no: str) -> None:
        """An audit entry for each reason added or lifted: who (the source, the technician's
        number), never the console's words (they are the console's own audit)."""
        if self.staff is None:
            return
        from protocol.staff import AuditAction

        self.staff.audit.append(AuditAction.MAINTENANCE, staff_no, {
            "op": "out_of_service", "source": source.value, "on": on,
            "reasons": [r.source.value for r in self.reasons.ordered()]})

    def _restore_reasons(self) -> None:
        """The console's lock and maintenance as they were before the restart."""
        if self.services.store is None:
            return
        import json

        try:
            with self.services.store.read() as c:
                row = c.execute("SELECT value FROM sync_state WHERE key = ?",
                                (REASONS_KEY,)).fetchone()
            saved = json.loads(row[0]) if row else {}
        except Exception:  # unreadable: in service, as a terminal without the record
            log.exception("out-of-service reasons unreadable")
            saved = {}
        for source, message in saved.items():
            if source in {s.value for s in PERSISTENT_SOURCES}:
                src = OutSource(source)
                self.reasons.set(OutReason(src, SOURCE_CODES[src], f"{src} asked (kept)",
                                           str(message or "")[:200]))

    def _save_reasons(self) -> None:
        store = self.services.store
        if store is None:
            return
        import json

        text = json.dumps({r.source.value: r.message for r in self.reasons.ordered()
                           if r.source in PERSISTENT_SOURCES}, ensure_ascii=False)

        def save_reasons() -> None:
            from kiosk.store.models import SyncState

            with store.session() as s:
                s.merge(SyncState(key=REASONS_KEY, value=text))

        submit = getattr(self.services.events, "submit", None)
        (submit or (lambda work: work()))(save_reasons)

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
        if self.counters is not None:
            self.counters.add("sessions", save=False)  # saved as the session ends
        if self.services.voice is not None:  # volume and 语音 as configured, for each citizen
            self.services.voice.reset_session(elder=self.session.data.elder_mode)
        self._staff_boundary()
        self.navigator.go(Screen.HOME)

    def end_session(self, timed_out: bool = False) -> None:
        """End (completion, cancel or timeout): wipe the citizen's data, back to attract."""
        self.end_flow(timed_out=timed_out)
        if self.face_watch is not None:
            self.face_watch.end_session()  # the next citizen gets their three tries
        self._staff_boundary(ending=True)  # staff serving this citizen log out with them
        self.session.end()
        if self.counters is not None:
            self.counters.save()
        if self.services.voice is not None:  # stop talking; nothing of theirs to repeat
            self.services.voice.reset_session()
        if self.printer is not None:
            # A failed certificate's bytes must not wait in memory for the next citizen.
            self.printer.forget_personal()
        if self.help is not None:
            self.help.end_session()  # an open call for help, a screen share: ended
        if self.terminal.state == TerminalState.ACTIVE:
            self.terminal.move(TerminalState.AVAILABLE)
        if self.terminal.state == TerminalState.AVAILABLE:
            if not self.reasons:
                self.navigator.reset(Screen.ATTRACT)
            self.check_availability()  # a required part that failed meanwhile, a reason: now

    def set_maintenance(self, on: bool, source: OutSource = OutSource.CONSOLE,
                        staff_no: str = "") -> None:
        """Maintenance asked (or lifted) by `source`: the fleet console (the default: the
        heartbeat's enter/leave maintenance) or the technician's panel. Each lifts only its
        own reason. A citizen in the middle of something finishes first: the terminal goes
        into maintenance when the session ends."""
        self.set_out(source, on, staff_no=staff_no)

    def lock(self, message: str | None) -> None:
        """The fleet console locks the terminal with words for citizens (None: unlocks it,
        lifting the lock only). As for maintenance, a citizen being served finishes first."""
        self.set_out(OutSource.LOCK, message is not None,
                     message="" if message is None else message.strip()[:200],
                     detail="locked from the fleet console")

    # -- nightly maintenance -----------------------------------------------------------------
    def nightly_check(self) -> bool:
        """At an idle moment in the nightly window: the terminal goes into maintenance, the
        work runs on its own thread, `Topic.NIGHTLY` says when it is done (the app restarts).
        Never while a citizen is served (the state must be *available*)."""
        if self.nightly is None or self._nightly_running \
                or self.terminal.state != TerminalState.AVAILABLE or not self.nightly.due():
            return False
        import threading

        self._nightly_running = True
        self.set_out(OutSource.NIGHTLY, True, detail="nightly maintenance")
        nightly, bus = self.nightly, self.bus

        def work() -> None:
            from kiosk.nightly import NightlyReport

            try:
                report = nightly.run()
            except Exception as exc:  # never stuck in maintenance: the restart still comes
                log.exception("nightly maintenance failed")
                report = NightlyReport(errors=[str(exc)])
            bus.publish(Topic.NIGHTLY, report)

        threading.Thread(target=work, name="nightly", daemon=True).start()
        return True

    # -- intents ---------------------------------------------------------------------------
    def search(self, text: str, limit: int = 50) -> SearchResult:
        self.session.data.search_text = text
        if self.index is None:
            return SearchResult([], 0)
        return self.index.query(text, limit)

    def pinyin_candidates(self, letters: str, limit: int = 60) -> list:
        """The characters and words of the catalog's names and synonyms that typed pinyin
        letters may stand for, best first (`kiosk.catalog.pinyin_input.Candidate`). Made from
        the search index's keys at the first call (~0.2 s, ~1.5 MiB), again after a sync."""
        if self.index is None:
            return []
        candidates = self._pinyin
        if candidates is None:
            from kiosk.catalog.pinyin_input import CandidateIndex

            candidates = self._pinyin = CandidateIndex.from_keys(self.index.key_spellings())
        return candidates.candidates(letters, limit)

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
        if self.staff is not None:
            self.staff.watch_run(run)  # audits an item operated for the citizen by staff
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
        before = self.session.data.staff_id
        self.session.data.staff_id = str(staff_id).strip() if staff_id is not None else None
        log.info("attended mode %s", "on" if staff_id is not None else "off")
        self._audit_attend(before, self.session.data.staff_id)
        self.session.touch()
        self.flow.refresh()

    # -- hall staff (issue 10: kiosk.staff, kiosk.audit) -------------------------------------------
    def _make_staff_desk(self):
        """The staff desk over the roster the sync keeps, with the audit log written on the
        outbox writer's thread. None without a store (out of service)."""
        services = self.services
        if services.store is None or services.outbox is None:
            return None
        from kiosk.audit import AuditLog
        from kiosk.staff import RosterStore, StaffAuth, StaffDesk

        submit = getattr(services.events, "submit", None)
        staff_cfg = self.config.staff
        audit = AuditLog(services.store, services.outbox, self.config.terminal.id,
                         submit=submit)
        roster = RosterStore(services.store)
        auth = StaffAuth(roster, lockout_minutes=staff_cfg.lockout_minutes, persist=submit)
        desk = StaffDesk(self, auth, audit, idle_logout_s=staff_cfg.idle_logout_s,
                         reprint_window_min=staff_cfg.reprint_window_min,
                         monotonic=self.clock)
        self.bus.subscribe(Topic.STAFF_LOGIN, desk.finish_login)
        self.bus.subscribe(Topic.STAFF_ROSTER, lambda _v: desk.roster_updated())
        return desk

    def _count_print(self, update) -> None:
        """The maintenance counters: a job done counts a print and its paper; a failed one an
        error."""
        if update.state == "done":
            self.counters.job_done(update.job_id)
        elif update.state == "failed":
            self.counters.add("errors")

    def _count_printer_status(self, value) -> None:
        name, status = value
        level = str(status.level)
        if level in ("error", "offline") and self._printer_levels.get(name) != level:
            self.counters.add("errors")
        self._printer_levels[name] = level

    def staff_login_pin(self, staff_no: str, pin: str) -> None:
        """Staff number + PIN from the staff login screen: checked off the UI thread, the
        answer comes back through the bus (`StaffDesk.finish_login`)."""
        if self.staff is not None:
            self.staff.login_pin(staff_no, pin,
                                 post=lambda result: self.bus.publish(Topic.STAFF_LOGIN, result))

    def _staff_boundary(self, ending: bool = False) -> None:
        if self.staff is not None:
            self.staff.citizen_session_changed(ending=ending)

    def _audit_attend(self, before: str | None, after: str | None) -> None:
        if self.staff is None or before == after:
            return
        from protocol.staff import AuditAction

        if before is not None:
            self.staff.audit.append(AuditAction.ATTEND, before, {"on": False})
        if after is not None:
            self.staff.audit.append(AuditAction.ATTEND, after, {"on": True})

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
        self._pinyin = None
        self._tiles = None
        self._printer_items = None
        self._backend_items = None
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
        if self.health.backend_down():
            # (the hall-staff issue) the backend unreachable and not required: only the items
            # that need it are greyed; guides, search and the rest still serve
            for item_id in self._items_needing_backend():
                down.setdefault(item_id, "backend_unreachable")
        return down

    def _items_needing_backend(self) -> frozenset[str]:
        """Catalog items done by a flow that asks the backend (a records query, a ticket, an
        A4 document it issues)."""
        from kiosk.flows.engine import Paper, Print, Query

        if getattr(self, "_backend_items", None) is None:
            flows = {fid for fid, f in self.flows.items() if any(
                (isinstance(s, Query) and s.backend) or (isinstance(s, Print) and s.to is Paper.A4)
                for s in f.steps)}
            self._backend_items = frozenset(i for i, f in self.item_flows().items() if f in flows)
        return self._backend_items

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

    # -- terminal states: required parts (the hall-staff issue, docs/decisions/0021) ------------
    def _init_terminal_health(self) -> None:
        devices = self.config.devices
        have = {RECEIPT_PRINTER: self.printer is not None and self.printer.receipt_status() is not None,
                DOCUMENT_PRINTER: self.printer is not None and self.printer.document_status() is not None,
                ID_CARD_READER: self.id_reader is not None,
                BACKEND: self.services.sync is not None}
        required = frozenset(p for p in devices.required if have.get(p))
        for part in set(devices.required) - required:
            log.info("required part %s: this terminal has none", part)
        self.health = TerminalHealth(required, devices.backend_grace_min * 60, self.clock)
        self._backend_items: frozenset[str] | None = None
        board = self.services.terminal_state
        self.terminal.subscribe(lambda _old, new, reason: board.set(new.value, reason))
        self.bus.subscribe(Topic.PRINTER_STATUS, self._on_printer_health)
        self.bus.subscribe(Topic.SYNC_STATUS, self._on_sync_health)
        if self.printer is not None:
            for part, status in ((RECEIPT_PRINTER, self.printer.receipt_status()),
                                 (DOCUMENT_PRINTER, self.printer.document_status())):
                if status is not None:
                    self.health.set_device(part, status.usable, str(status.reason))

    def _on_printer_health(self, change) -> None:
        name, status = change
        part = PRINTER_PARTS.get(str(name))
        if part is not None and self.health.set_device(part, status.usable, str(status.reason)):
            self.check_availability()

    def _on_sync_health(self, status) -> None:
        if status is None:
            return
        state = str(getattr(status, "state", ""))
        if state == "connecting":
            return  # not known yet
        if self.health.set_backend(state == "connected"):
            self.check_availability()

    def check_availability(self) -> None:
        """Look at the required parts (the card reader's status is read here; printers and the
        backend arrive on the bus) and move the terminal: out of service when one is down and
        no citizen is at it (a session finishes first: `end_session` looks again), available
        again when they are all back. The window calls this every few seconds."""
        if self.id_reader is not None:
            try:
                status = self.id_reader.status()
                self.health.set_device(ID_CARD_READER, status.usable, str(status.reason))
            except Exception:  # a driver bug is a reader that is down
                log.exception("card reader status failed")
                self.health.set_device(ID_CARD_READER, False, "device_error")
        problem = self.health.problem()
        parts = self.reasons.get(OutSource.PARTS)
        if problem and (parts is None or parts.code != problem):
            log.warning("required part down (%s): out of service", problem)
            self.reasons.set(OutReason(OutSource.PARTS, problem, "required part down"))
        elif not problem and parts is not None:
            log.info("required parts back")
            self.reasons.lift(OutSource.PARTS)
        self._settle()

    # -- call for help (the hall-staff issue, docs/decisions/0021) ------------------------------
    def call_help(self) -> bool:
        """呼叫帮办 from the screen the citizen is on: the request names the screen, the item
        and its step (no personal data). False if there is no help desk or one is open."""
        if self.help is None:
            return False
        route = self.navigator.current
        run = self.flow_run
        item_id = run.catalog_item_id if run is not None and route.screen == Screen.FLOW else \
            str(route.param("item_id", "") or "")
        step = run.step.kind.value if run is not None and route.screen == Screen.FLOW else ""
        self.session.touch()
        return self.help.raise_request(str(route.screen), item_id=item_id, step=step)
