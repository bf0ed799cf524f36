"""The kiosk window: status bar, the screen for the current route, the navigation bar and the
idle countdown. It renders KioskCore's state and sends it intents; it owns no business state."""

from __future__ import annotations

import logging

from kiosk.a11y import describe, geometry_for
from kiosk.app import KioskCore
from kiosk.bus import Topic
from kiosk.navigation import Route, Screen
from kiosk.session import IdlePhase
from screens.attract import AttractScreen
from screens.base import BaseScreen
from screens.browse import CategoryScreen, DepartmentScreen
from screens.flow import FlowScreen
from screens.guide import GuideScreen, OutOfServiceScreen
from screens.home import HomeScreen
from screens.i18n import Translations
from screens.problem import ProblemScreen
from screens.qt import (
    QApplication,
    QEvent,
    QSize,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)
from screens.search import SearchScreen
from screens.step_guide import StepGuideScreen
from screens.theme import stylesheet, theme_for
from screens.widgets.chrome import CountdownOverlay, NavBar, StatusBar

log = logging.getLogger("kiosk.ui")

PORTRAIT = QSize(1080, 1920)
LANDSCAPE = QSize(1920, 1080)
_TOUCH_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress,
    QEvent.Type.Wheel, QEvent.Type.InputMethod,
})


class KioskWindow(QWidget):
    print_done = Signal()  # a print job finished (demo: refresh the receipt panel)
    def __init__(self, core: KioskCore, translations: Translations, orientation: str | None = None):
        super().__init__()
        self.core = core
        self.translations = translations
        self.print_updates: list = []
        self.setObjectName("KioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle("gov-kiosk")
        orientation = orientation or core.config.display.orientation
        self.orientation = str(orientation)
        self.screen_size = LANDSCAPE if self.orientation == "landscape" else PORTRAIT
        # sizes in millimetres on this screen (MIIT 2021; tests/test_a11y.py measures them)
        self.geometry_mm = geometry_for(core.config, PORTRAIT.width(), PORTRAIT.height())
        log.info("%s", describe(self.geometry_mm))
        if core.config.display.fullscreen:
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)

        self._apply_look()  # language and theme before any screen is built
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        self.status = StatusBar(core.config.terminal.id, core.config.terminal.place)
        self.stack = QStackedWidget()
        self.nav = NavBar(core.config.language.available)
        self._nav_rows()
        col.addWidget(self.status)
        col.addWidget(self.stack, 1)
        col.addWidget(self.nav)

        columns = 4 if self.orientation == "landscape" else 3
        self.screens: dict[Screen, BaseScreen] = {
            Screen.ATTRACT: AttractScreen(core),
            Screen.OUT_OF_SERVICE: OutOfServiceScreen(core),
        }
        if core.catalog is not None:
            self.screens.update({
                Screen.HOME: HomeScreen(core, columns=columns),
                Screen.SEARCH: SearchScreen(core, landscape=self.orientation == "landscape"),
                Screen.DEPARTMENT: DepartmentScreen(core),
                Screen.CATEGORY: CategoryScreen(core),
                Screen.GUIDE: GuideScreen(core),
                Screen.PROBLEM: ProblemScreen(core),
                Screen.FLOW: FlowScreen(core, id_reader=core.id_reader),
                Screen.STEP_GUIDE: StepGuideScreen(
                    core, landscape=self.orientation == "landscape"),
            })
        for w in self.screens.values():
            self.stack.addWidget(w)

        self.overlay = CountdownOverlay(self)
        self.overlay.stay.connect(self._stay)
        self._build_staff(col)  # hall staff: banner, login and tools, badge scans
        self._build_maintenance()  # the technician's panel (screens.maintenance)
        self._build_help()

        self.nav.back.connect(core.back)
        self.nav.home.connect(self.go_home)
        self.nav.end.connect(core.end_session)
        self.nav.problem.connect(self.report_problem)
        self.nav.elder_toggled.connect(self.toggle_elder)
        self.nav.voice_toggled.connect(self.toggle_voice)
        self.nav.volume_pressed.connect(self.next_volume)
        home = self.screens.get(Screen.HOME)
        if isinstance(home, HomeScreen):
            home.elder_toggled.connect(self.toggle_elder)
        self.nav.language_chosen.connect(self.set_language)
        core.navigator.subscribe(self._on_route)

        # News from other threads arrives through the bus, on this thread (kiosk.bus).
        bus = core.bus
        if core.printer is not None:
            self.status.set_printer_status(core.printer.receipt_status())
        bus.subscribe(Topic.PRINTER_STATUS, self._on_printer_status)
        bus.subscribe(Topic.PRINT_JOB, self._on_print_update)
        bus.subscribe(Topic.SYNC_STATUS, self.status.set_sync_status)
        bus.subscribe(Topic.NEW_CONFIG, self._on_new_config)
        bus.subscribe(Topic.NIGHTLY, self._on_nightly_done)
        bus.subscribe(Topic.RESTART, self._on_restart_command)
        core.on_catalog_changed(self._on_catalog_changed)
        if core.services.sync is not None:
            self.status.set_sync_status(core.services.sync.status)
        self.restart_pending = False
        self.simulator = None  # the demo's device simulator panel (F12), if any

        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        self._clock_ticks = 0
        QApplication.instance().installEventFilter(self)
        self.keypad = self._build_keypad()  # after our filter: its keys are seen first
        self._update_availability()
        self._on_route(None, core.navigator.current)

    # -- sizing ----------------------------------------------------------------------------
    def show_kiosk(self) -> None:
        if self.core.config.display.fullscreen and QApplication.platformName() not in ("offscreen", "minimal"):
            self.showFullScreen()
        else:
            self.setFixedSize(self.screen_size)
            self.show()

    def resizeEvent(self, event) -> None:
        self.overlay.setGeometry(self.rect())
        if self._staff_panel is not None:
            self._staff_panel.setGeometry(self.rect())
        if self._maintenance_panel is not None and self._maintenance_panel.isVisible():
            self._maintenance_panel.setGeometry(self.rect())
        self.remote_consent.setGeometry(self.rect())
        super().resizeEvent(event)

    # -- routes ------------------------------------------------------------------------------
    @property
    def current_screen(self) -> BaseScreen:
        return self.stack.currentWidget()

    def current_route(self) -> Route:
        return self.core.navigator.current

    def _on_route(self, old: Route | None, new: Route) -> None:
        if old is not None and old.screen in self.screens:
            self.screens[old.screen].cleanup()
        if new.screen in (Screen.ATTRACT, Screen.OUT_OF_SERVICE) and old is not None:
            self._reset_citizen_view()
            if self.restart_pending:
                QTimer.singleShot(0, self._restart_if_idle)
        self._staff_route(new)
        screen = self.screens.get(new.screen) or self.screens[Screen.OUT_OF_SERVICE]
        screen.enter(new)
        self.stack.setCurrentWidget(screen)
        screen.announce()  # voice guidance: the new screen's prompt interrupts the old one
        if getattr(self, "keypad", None) is not None:
            self.keypad.route_changed()  # the keypad's frame to the new screen, said
        in_session = new.screen not in (Screen.ATTRACT, Screen.OUT_OF_SERVICE)
        self.nav.set_session_controls(in_session, self.core.navigator.depth > 1)
        self.nav.setVisible(new.screen != Screen.OUT_OF_SERVICE)
        self.nav.set_state(self.core.session.data.elder_mode, self.core.session.data.language)
        self._voice_state()
        log.info("screen %s", new.screen)

    def _reset_citizen_view(self) -> None:
        """After a session ends: defaults back, every trace of the citizen's input gone."""
        search = self.screens.get(Screen.SEARCH)
        if isinstance(search, SearchScreen):
            search.reset()
        self.overlay.hide()
        if self._apply_look():  # the citizen changed language or elder mode: back to defaults
            self._refresh()

    @property
    def flow_screen(self) -> FlowScreen | None:
        screen = self.screens.get(Screen.FLOW)
        return screen if isinstance(screen, FlowScreen) else None

    def go_back(self) -> None:
        self.core.back()

    def go_home(self) -> None:
        self.core.end_flow()  # leaving an item ends it: nothing of the citizen's stays
        self.core.navigator.go(Screen.HOME)

    def report_problem(self) -> None:
        """办不成事 from any screen; on a guide, the report names that item."""
        current = self.core.navigator.current
        if current.screen == Screen.ATTRACT:
            self.core.begin_session()
        item_id = current.param("item_id", "") if current.screen == Screen.GUIDE else ""
        if current.screen == Screen.FLOW and self.core.flow_run is not None:
            item_id = self.core.flow_run.catalog_item_id
        self.core.navigator.go(Screen.PROBLEM, item_id=item_id)

    # -- elder mode and language -------------------------------------------------------------
    def toggle_elder(self) -> None:
        if self.core.navigator.current.screen == Screen.ATTRACT:
            self.core.begin_session()
        data = self.core.session.data
        data.elder_mode = not data.elder_mode
        self.core.session.touch()
        voice = self.core.services.voice
        if voice is not None:  # 语音 is on by default in elder mode
            voice.set_enabled(data.elder_mode or voice.default_enabled)
        self._apply_look()
        self._refresh()
        self._voice_state()
        if voice is not None and voice.enabled:
            self.current_screen.announce()

    # -- voice guidance (docs/decisions/0031) ----------------------------------------------
    def toggle_voice(self) -> None:
        """语音 on or off for this citizen; switched on, the screen's prompt is said again."""
        voice = self.core.services.voice
        if voice is None:
            return
        if self.core.navigator.current.screen == Screen.ATTRACT:
            self.core.begin_session()
        self.core.session.touch()
        voice.set_enabled(not voice.enabled)
        if voice.enabled:
            if voice.repeatable():
                voice.repeat()
            else:
                self.current_screen.announce()
        self._voice_state()

    def next_volume(self) -> None:
        """The volume button steps up, and from the loudest back to the softest."""
        voice = self.core.services.voice
        if voice is None:
            return
        self.core.session.touch()
        if voice.step >= voice.steps - 1:
            voice.step = 0
        else:
            voice.volume_up()
        if voice.enabled:
            voice.repeat()
        self._voice_state()

    def _voice_state(self) -> None:
        voice = self.core.services.voice
        self.nav.set_voice(voice.enabled if voice else False, voice.step if voice else 0,
                           voice.steps if voice else 0)
        self.current_screen.voice_changed()  # (a guide's video: its sound follows 语音)

    def set_language(self, language: str) -> None:
        if self.core.navigator.current.screen == Screen.ATTRACT:
            self.core.begin_session()
        self.core.session.data.language = language
        self.core.session.touch()
        self._apply_look()
        self._refresh()
        self.current_screen.announce()  # the prompt again, in the new language

    def _apply_look(self) -> bool:
        """Language and theme of the session; False if they were already in place (restyling
        the whole application takes a third of a second)."""
        data = self.core.session.data
        look = (data.language, data.elder_mode)
        if look == getattr(self, "_look", None):
            return False
        self._look = look
        self.translations.set_language(data.language)
        QApplication.instance().setStyleSheet(stylesheet(theme_for(data.elder_mode), data.language))
        if hasattr(self, "nav"):
            self._nav_rows()
        return True

    def _nav_rows(self) -> None:
        # portrait: with the 语音 switch and volume beside elder mode and the languages, the
        # look controls take their own row (in one row every label was clipped)
        # (and elder mode's larger words in either orientation: docs/decisions/0032)
        portrait = self.orientation == "portrait"
        self.nav.set_two_rows(self.core.session.data.elder_mode or portrait, narrow=portrait)

    def _refresh(self) -> None:
        self.status.retranslate()
        if self.staff_banner is not None:
            self.staff_banner.retranslate()
        if self._staff_panel is not None:  # (a panel made later is made in the language shown)
            self._staff_panel.retranslate()
        if self._maintenance_panel is not None:
            self._maintenance_panel.retranslate()
        self.nav.retranslate()
        self.overlay.retranslate()
        self.help_bar.retranslate()
        self.remote_consent.retranslate()
        for w in self.screens.values():
            w.retranslate()
        current = self.core.navigator.current
        if current.screen in self.screens:
            self.screens[current.screen].enter(current)
        self.nav.set_state(self.core.session.data.elder_mode, self.core.session.data.language)

    def _on_catalog_changed(self) -> None:
        """A synced catalog was swapped in: the home screen shows its tiles again."""
        home = self.screens.get(Screen.HOME)
        if isinstance(home, HomeScreen):
            home.reload_tiles()
        self._update_availability()

    def _on_printer_status(self, change) -> None:
        name, status = change
        if name == "receipt":
            self.status.set_printer_status(status)
        self._update_availability()

    def _update_availability(self) -> None:
        home = self.screens.get(Screen.HOME)
        if isinstance(home, HomeScreen):
            home.set_unavailable(self.core.unavailable_items())

    def _on_new_config(self, _payload) -> None:
        """Pushed settings, already checked and written by the sync service (accepted):
        applied by a restart at the next idle moment (the restarted kiosk reports them applied
        or rolled back: kiosk.config_update.PushedConfig)."""
        self.restart_pending = True
        self._restart_if_idle()

    def _on_nightly_done(self, report) -> None:
        """Nightly maintenance finished: tell the backend, restart cleanly (exit 75)."""
        if self.core.services.events is not None:
            # written before the exit: closing the writer drains it
            self.core.services.events.add("telemetry", {"nightly": report.summary()})
        self.restart_pending = True
        self._restart_if_idle()

    def _on_restart_command(self, _payload=None) -> None:
        """重启 from the fleet console: a clean restart (exit 75) once no citizen is served."""
        log.info("restart asked by the fleet console")
        self.restart_pending = True
        self._restart_if_idle()

    def _restart_if_idle(self, technician: bool = False) -> None:
        """Exit 75 once idle: no citizen served, and no technician inside the maintenance
        panel (a pushed profile or a console restart waits until they close it; their own
        "restart to apply" does not)."""
        from kiosk.config_update import EXIT_RESTART
        from kiosk.terminal import TerminalState

        panel_open = self.core.maintenance is not None and self.core.maintenance.open
        if self.restart_pending and self.core.terminal.state != TerminalState.ACTIVE and (
                technician or not panel_open):
            log.info("restarting to apply settings")
            QApplication.instance().exit(EXIT_RESTART)

    def _on_print_update(self, update) -> None:
        """(The flow driver forwards the job to the citizen's run itself.)"""
        self.print_updates.append(update)
        if update.state == "failed":
            self._update_availability()
        if update.state in ("done", "failed"):
            self.print_done.emit()
        del self.print_updates[:-20]  # bounded: the kiosk runs for months

    # -- idle timeout ------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_F12 and \
                self.simulator is not None:
            self.simulator.toggle()
            return True
        if event.type() in _TOUCH_EVENTS and not self.overlay.isVisible():
            self.core.session.touch()
            if self.core.staff is not None:
                self.core.staff.touch()
        if obj is self._staff_hold_target and event.type() in (
                QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            self._staff_hold(event.type() == QEvent.Type.MouseButtonPress)
        if self._maintenance_possible and event.type() in (
                QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease) and \
                isinstance(obj, QWidget) and obj.window() is self:
            self._corner_hold(event)
        return False

    def _stay(self) -> None:
        self.core.session.touch()
        self.overlay.hide()

    def _tick(self) -> None:
        self._clock_ticks += 1
        if self.core.staff is not None:
            self.core.staff.tick()
            if self._staff_panel is not None:
                self._staff_panel.tick()
        if self._clock_ticks % 20 == 0:
            self.status.tick()
        if self._clock_ticks % 8 == 0:  # every 2 s: the card reader, the backend's grace
            self.core.check_availability()
        if self._clock_ticks % 240 == 0:  # once a minute
            self.core.nightly_check()
        phase = self.core.session.phase()
        if phase == IdlePhase.COUNTDOWN:
            self.overlay.set_remaining(self.core.session.countdown_remaining())
            if not self.overlay.isVisible():
                self.overlay.setGeometry(self.rect())
                self.overlay.show()
                self.overlay.raise_()
                self.current_screen.speak(self.overlay.title.text())  # "still there?" said
                if self.keypad is not None:
                    self.keypad.refresh()  # a keypad user's frame on "I'm still here"
        elif phase == IdlePhase.EXPIRED:
            log.info("idle timeout: ending the session")
            self.core.end_session(timed_out=True)
        elif self.overlay.isVisible():
            self.overlay.hide()

    # -- the keypad path (issue 12 part 3: screens.keypad, docs/decisions/0033) ------------------
    def _build_keypad(self):
        """A 12-key keypad's keys move a spoken focus frame ([keypad] enabled)."""
        settings = self.core.config.keypad
        if not settings.enabled:
            return None
        from kiosk.keypad import KeyMap
        from screens.keypad import KeypadNavigator

        keypad = KeypadNavigator(self, KeyMap.from_config(settings.keys),
                                 double_clear_s=settings.double_clear_s)
        keypad.install()
        return keypad

    # -- hall staff (issue 10: screens.staff) ----------------------------------------------------
    #: how long the terminal's name in the status bar is held to open the staff login
    STAFF_HOLD_MS = 2000

    def _build_staff(self, col) -> None:
        """The attended-mode banner under the status bar, the staff panel over the window, the
        badge scan on the attract and home screens, and the hidden way to the PIN login: a
        long press on the terminal's name in the status bar."""
        self.staff_banner = self._staff_panel = self.staff_wedge = None
        self._staff_hold_target = None
        desk = self.core.staff
        if desk is None:
            return
        from screens.staff import StaffBanner
        from screens.widgets.wedge import WedgeFilter

        self.staff_banner = StaffBanner()
        col.insertWidget(1, self.staff_banner)
        self.staff_banner.tools.connect(lambda: self.staff_panel.open_tools())
        self.staff_banner.logout.connect(lambda: desk.logout("logout"))
        self.staff_wedge = WedgeFilter(parent=self)
        self.staff_wedge.scanned.connect(self.staff_badge_scanned)
        self._staff_hold_target = self.status.terminal
        self._staff_hold_timer = QTimer(self)
        self._staff_hold_timer.setSingleShot(True)
        self._staff_hold_timer.timeout.connect(self.open_staff_login)
        self._staff_attempts = desk.attempts
        desk.subscribe(self._on_staff_changed)

    def _staff_hold(self, pressed: bool) -> None:
        if pressed:
            self._staff_hold_timer.start(self.STAFF_HOLD_MS)
        else:
            self._staff_hold_timer.stop()

    def open_staff_login(self) -> None:
        if self.core.staff is None:  # (also out of service: a technician clears the fault)
            return
        if self.core.staff.session is not None:
            self.staff_panel.open_tools()
        else:
            self.staff_panel.open_login()

    def staff_badge_scanned(self, text: str) -> None:
        """A code scanned on the attract or home screen: a staff badge logs its holder in (a
        citizen's code means nothing here and is ignored)."""
        self.core.staff.login_badge(text)

    def _staff_route(self, route: Route) -> None:
        """Badges are read on the attract and home screens only (the identify step has its
        own scanner filter; a search box must get its keys)."""
        if self.staff_wedge is None:
            return
        if route.screen in (Screen.ATTRACT, Screen.HOME):
            self.staff_wedge.install()
        else:
            self.staff_wedge.uninstall()

    def _on_staff_changed(self) -> None:
        desk = self.core.staff
        attempt = desk.attempts != self._staff_attempts
        self._staff_attempts = desk.attempts
        self.staff_banner.set_staff(desk.attending_name)
        self.staff_panel.on_staff_changed(attempt)
        self._maintenance_after_login(attempt)

    # -- the technician's maintenance panel (issue 13: screens.maintenance) -----------------------
    #: the hidden entry: a long press in the top right corner (CORNER_PX square)
    CORNER_PX = 96
    CORNER_HOLD_MS = 3000

    @property
    def staff_panel(self):
        """The staff login and tools over the window (screens.staff), made when first needed:
        a start shows the home screen without it (issue 14). None on a terminal without staff."""
        if self._staff_panel is None and self.core.staff is not None:
            from screens.staff import StaffPanel

            self._staff_panel = StaffPanel(self.core, self,
                                           landscape=self.orientation == "landscape")
            self._staff_panel.setGeometry(self.rect())
        return self._staff_panel

    @property
    def maintenance_panel(self):
        """The technician's panel (screens.maintenance), made when first needed; None on a
        terminal without maintenance or staff."""
        if self._maintenance_panel is None and self._maintenance_possible:
            from screens.maintenance import MaintenancePanel

            panel = MaintenancePanel(self.core, self, landscape=self.orientation == "landscape")
            panel.restart.connect(self.restart_to_apply)
            # a restart asked meanwhile (a pushed profile, the console) once the technician is out
            panel.closed.connect(lambda: self._restart_if_idle())
            self._maintenance_panel = panel
        return self._maintenance_panel

    def _build_maintenance(self) -> None:
        self._maintenance_panel = None
        self._maintenance_intent = False
        self._maintenance_possible = self.core.maintenance is not None and \
            self.core.staff is not None
        if not self._maintenance_possible:
            return
        self._corner_timer = QTimer(self)
        self._corner_timer.setSingleShot(True)
        self._corner_timer.timeout.connect(self.open_maintenance)

    def _corner_hold(self, event) -> None:
        if event.type() == QEvent.Type.MouseButtonRelease:
            self._corner_timer.stop()
            return
        pos = self.mapFromGlobal(event.globalPosition().toPoint())
        if pos.x() >= self.width() - self.CORNER_PX and pos.y() <= self.CORNER_PX:
            if not self._corner_timer.isActive():
                self._corner_timer.start(self.CORNER_HOLD_MS)

    def open_maintenance(self) -> None:
        """The hidden entry: the staff login (badge or number + PIN, with its lockout), then
        the panel for a technician."""
        panel = self._maintenance_panel
        if not self._maintenance_possible or (panel is not None and panel.isVisible()):
            return
        if self.core.staff.session is not None:
            self._maintenance_intent = True
            self._maintenance_after_login(True)
            return
        self._maintenance_intent = True
        self.staff_panel.open_login(translate("Maintenance", "Technician login"))

    def _maintenance_after_login(self, attempt: bool) -> None:
        from kiosk.maintenance import EntryOutcome

        if not self._maintenance_possible:
            return
        panel = self._maintenance_panel  # made below, when it opens
        desk = self.core.staff
        if desk.session is None:
            if panel is not None and panel.isVisible():  # logged out (idle, account withdrawn): the panel closes,
                panel.close_panel(back_in_service=False)  # the terminal stays in maintenance
            if attempt and desk.last_result is not None and not desk.last_result.ok:
                return  # a refused PIN: the login stays open, the intent too
            self._maintenance_intent = False
            return
        if not (attempt and self._maintenance_intent):
            return
        self._maintenance_intent = False
        outcome = self.core.maintenance.enter()
        if outcome is EntryOutcome.OPEN:
            self.staff_panel.hide()
            self.maintenance_panel.open()
        elif outcome is EntryOutcome.DEFERRED:
            self.staff_panel.open_tools(translate(
                "Maintenance", "A citizen is being served. The terminal goes into maintenance "
                "as soon as they are done; log in again then."))
        elif outcome is EntryOutcome.NOT_ALLOWED:
            self.staff_panel.open_tools(translate(
                "Maintenance", "Only technicians may open the maintenance panel."))

    def restart_to_apply(self) -> None:
        """The technician saved settings: a clean restart (exit 75, as for pushed settings)."""
        self.restart_pending = True
        self._restart_if_idle(technician=True)
    # -- 呼叫帮办 and remote view (the hall-staff issue, docs/decisions/0021) -------------------
    def _build_help(self) -> None:
        """The help bar under the status bar, the remote-view consent over the window, the
        frame sender; the nav bar's 呼叫帮办 raises a request for the screen shown."""
        from screens.help import HelpBar, RemoteViewConsent
        from screens.remote_view import RemoteViewSender

        self.help_bar = HelpBar()
        self.layout().insertWidget(1, self.help_bar)
        self.remote_consent = RemoteViewConsent(self)
        self.remote_view = None
        self.nav.help.connect(self.call_help)
        desk = self.core.help
        if desk is not None:
            self.help_bar.cancel.connect(desk.cancel)
            self.help_bar.dismiss.connect(desk.dismiss)
            self.help_bar.end_share.connect(lambda: desk.consent(False))
            self.remote_consent.allow.connect(lambda: desk.consent(True))
            self.remote_consent.refuse.connect(lambda: desk.consent(False))
            self.remote_view = RemoteViewSender(self, desk)
            desk.subscribe(self._on_help)
        # the backend's link greys the items that need it (KioskCore.unavailable_items)
        self.core.bus.subscribe(Topic.SYNC_STATUS, lambda _status: self._update_availability())

    def call_help(self) -> None:
        if self.core.navigator.current.screen in (Screen.ATTRACT, Screen.OUT_OF_SERVICE):
            return
        if not self.core.call_help() and self.core.help is None:
            log.warning("no help desk on this terminal")

    def _on_help(self, view) -> None:
        self.help_bar.set_view(view)
        if view.ask_consent:
            self.remote_consent.setGeometry(self.rect())
            self.remote_consent.show()
            self.remote_consent.raise_()
        else:
            self.remote_consent.hide()
        if self.remote_view is not None:
            self.remote_view.set_active(view.sharing)
