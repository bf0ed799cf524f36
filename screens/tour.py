"""`kiosk demo --tour DIR`: a scripted walk through the screens, one PNG per step.

Each step acts as a citizen would (taps on the real widgets), waits for the screen to settle,
checks that the expected screen is showing, and saves a screenshot. The application exits 0
only if every step reached its screen.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.navigation import Screen
from screens.qt import QApplication, Qt, QTimer
from screens.window import KioskWindow

log = logging.getLogger("kiosk.tour")
SETTLE_MS = 120
PATIENCE_MS = 3000
BACKEND_PATIENCE_MS = 60000  # the embedded backend seeds itself on the demo's first start
PRINT_PATIENCE_MS = 20000
FACE_PATIENCE_MS = 10000  # a card read, then the face check's look


@dataclass
class Step:
    name: str
    action: Callable[[], None]
    expect: Screen
    check: Callable[[], bool] | None = None
    patience_ms: int = PATIENCE_MS
    after: Callable[[Path], None] | None = None  # save what it printed, next to the screenshot


def tap(widget) -> None:
    """A touch on the centre of a widget, delivered like a real one."""
    from screens.qt import QTest

    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     widget.rect().center())


class Tour:
    def __init__(self, window: KioskWindow, out_dir: Path, exit_app: bool = True,
                 virtual_printer=None, sync=None, a4_folder: Path | None = None,
                 phone=None, staff=None, console=None, fleet=None, speech: bool = False):
        """`phone(id_number, then)`: the demo's citizen phone (a fresh e-credential QR code
        from the demo backend, `then(qr)` on this thread). `staff(request_id)`: a member of
        the hall's staff takes that help request at the console (the demo backend's, once it
        serves protocol.staff); without it the tour does not show ``help-taken``.
        `console(request_id, out_dir, allow, done)`: the hall console in a browser shoots
        ``console-hall.png``, takes the request, asks to see the screen, calls `allow()` on this
        thread until it returns True, shoots ``console-remote-view.png``, then `done(paths)`.
        `fleet(out_dir, done)`: the fleet view as a technician sees it, ``console-fleet.png``,
        then `done(path)`."""
        self.window = window
        default = window.core.config.language.default
        self._other = "zh_CN" if default == "en" else "en"
        self.virtual_printer = virtual_printer
        self.sync = sync
        self.phone = phone
        self.a4_folder = a4_folder
        self.staff = staff
        self.console = console
        self.console_shots: list | None = None  # what the console step wrote, once done
        self.fleet = fleet
        self.fleet_shot: Path | None = None
        # --speech: each step's spoken prompt as speech/<step>.wav (docs/decisions/0031)
        self.voice = window.core.services.voice if speech else None
        self._wavs: dict[tuple[str, str], bytes] = {}
        self._spoken_from = 0
        self.out_dir = out_dir
        self.exit_app = exit_app
        self.results: list[tuple[str, bool, str]] = []
        self.steps = self._script()
        self._i = 0
        self._waited = 0

    def _screen(self, s: Screen):
        return self.window.screens[s]

    def _script(self) -> list[Step]:
        w, core = self.window, self.window.core
        search = lambda: self._screen(Screen.SEARCH)  # noqa: E731
        home = lambda: self._screen(Screen.HOME)  # noqa: E731

        def type_letters(text: str) -> None:
            for ch in text:
                tap(search().keyboard.keys[ch])

        def idle_until_countdown() -> None:
            s = core.session
            core.clock.advance(s.effective_idle_s + 1)

        def idle_until_expired() -> None:
            core.clock.advance(core.session.countdown_s + 1)

        def first_dept() -> None:
            tap(next(iter(home().dept_buttons.values())))

        flow_steps = self._flow_steps()
        # 操作指引: from an item's first page in the items' walk; a terminal without the
        # backend (no items to walk) opens it from a catalog guide at the end
        guide_tail = [] if any(st.name == "guide-steps-1" for st in flow_steps) else \
            self._guide_steps(from_flow=False)
        return [*self._basic_steps(search, home, type_letters, first_dept)[:5],
                *flow_steps,
                *self._basic_steps(search, home, type_letters, first_dept)[5:],
                *self._closing_steps(search, idle_until_countdown, idle_until_expired),
                *self._keypad_steps(),
                *self._staff_steps(), *self._technician_steps(), *self._hall_steps(),
                *guide_tail]

    def _guide_steps(self, *, from_flow: bool) -> list[Step]:
        """``guide-steps-1``: 操作指引 opened where an item starts (its first page, or the
        catalog guide of an item the terminal carries out), its first slide; ``guide-steps-2``
        the next; ``guide-steps-back``: back where the citizen was."""
        w, core = self.window, self.window.core
        if Screen.STEP_GUIDE not in w.screens or core.step_guides is None:
            return []
        guide = lambda: self._screen(Screen.STEP_GUIDE)  # noqa: E731

        def open_from_catalog() -> None:
            if core.navigator.current.screen == Screen.ATTRACT:
                core.begin_session()
            item = next((t.id for t in core.tiles() if core.flow_for_item(t.id)), None)
            if item is not None:
                core.open_guide(item)
                tap(self._screen(Screen.GUIDE).howto_button)

        if from_flow:
            flow = self._screen(Screen.FLOW)
            opened, back_to = (lambda: tap(flow.howto)), Screen.FLOW
            back_check = lambda: flow.pages.currentWidget() is flow.page["identify"]  # noqa: E731
        else:
            opened, back_to, back_check = open_from_catalog, Screen.GUIDE, None
        return [
            Step("guide-steps-1", opened, Screen.STEP_GUIDE,
                 lambda: guide().index == 0 and bool(guide().caption.text())),
            Step("guide-steps-2", lambda: tap(guide().next_button), Screen.STEP_GUIDE,
                 lambda: guide().index == 1),
            Step("guide-steps-back", lambda: tap(guide().close_button), back_to, back_check),
        ]

    def _basic_steps(self, search, home, type_letters, first_dept) -> list[Step]:
        w, core = self.window, self.window.core
        return [
            Step("attract", lambda: None, Screen.ATTRACT),
            Step("home", lambda: tap(self._screen(Screen.ATTRACT)), Screen.HOME),
            Step("search-open", lambda: tap(home().search_button), Screen.SEARCH),
            Step("search-sbcb", lambda: type_letters("sbcb"), Screen.SEARCH,
                 lambda: len(search().hits()) > 0 and "参保证明" in search().hits()[0].name),
            Step("guide-from-search", lambda: tap(search().result_buttons[0]), Screen.GUIDE,
                 lambda: bool(self._screen(Screen.GUIDE).qr.data())),
            Step("home-again", lambda: tap(w.nav.home_button), Screen.HOME),
            Step("department", first_dept, Screen.DEPARTMENT),
            Step("category", lambda: tap(self._screen(Screen.DEPARTMENT).category_buttons[0]),
                 Screen.CATEGORY),
            Step("category-page-2", lambda: tap(self._screen(Screen.CATEGORY).next_button),
                 Screen.CATEGORY, lambda: self._screen(Screen.CATEGORY).page == 1),
            Step("guide", lambda: tap(self._screen(Screen.CATEGORY).item_buttons[0]), Screen.GUIDE),
            Step("guide-elder", lambda: tap(w.nav.elder_button), Screen.GUIDE,
                 lambda: core.session.data.elder_mode),
            Step("home-elder", lambda: tap(w.nav.home_button), Screen.HOME),
            # the tour's language switch: to English, or to Simplified Chinese when the tour
            # runs in English (`kiosk demo --tour DIR --lang en`)
            Step("home-english-elder", lambda: tap(w.nav.language_buttons[self._other]),
                 Screen.HOME, lambda: core.session.data.language == self._other),
            Step("home-english", lambda: tap(w.nav.elder_button), Screen.HOME,
                 lambda: not core.session.data.elder_mode),
            Step("search-english", lambda: tap(home().search_button), Screen.SEARCH),
            Step("search-typed", lambda: (tap(search().keyboard.clear_key), type_letters("ybcb")), Screen.SEARCH,
                 lambda: search().field.text() == "ybcb" and bool(search().hits())),
            # Chinese: pinyin on the letter keys, the catalog's characters in the bar over them
            Step("chinese-keyboard", lambda: tap(search().keyboard.chinese_key), Screen.SEARCH,
                 lambda: search().pinyin.isVisible()),
            Step("chinese-typed", lambda: (tap(search().keyboard.clear_key), search().set_chinese_input(True),
                                           type_letters("shebao")), Screen.SEARCH,
                 lambda: search().pinyin.shown()[:1] == ["社保"]),
            Step("chinese-chosen", lambda: tap(search().pinyin.candidate_buttons[0]), Screen.SEARCH,
                 lambda: search().field.text() == "社保" and bool(search().hits())),
        ]

    def _closing_steps(self, search, idle_until_countdown, idle_until_expired) -> list[Step]:
        w, core = self.window, self.window.core
        return [
            Step("countdown", idle_until_countdown, Screen.SEARCH,
                 lambda: w.overlay.isVisible()),
            Step("timeout-attract", idle_until_expired, Screen.ATTRACT,
                 lambda: search().field.text() == "" and core.session.data.language == core.config.language.default
                 and not core.session.data.elder_mode),
        ]

    # -- the keypad path (issue 12 part 3, docs/decisions/0033) ----------------------------------
    def _keypad_steps(self) -> list[Step]:
        """One item with a 12-key keypad's keys alone (key events to the window), the guide slip
        (it needs no backend): ``keypad-home`` a first key on the attract screen, the frame on
        the home screen; ``keypad-item`` arrows and Enter through a department and a category
        to an item's guide; ``keypad-preview`` its print button; ``keypad-rate`` Print (the
        slip prints); ``keypad-done`` Skip, the done page framed; ``keypad-attract`` its
        button. Without a keypad or a receipt printer: no steps."""
        w, core = self.window, self.window.core
        keypad = getattr(w, "keypad", None)
        if keypad is None or core.printer is None or Screen.FLOW not in w.screens:
            return []
        from screens.qt import QTest

        arrows = {"up": Qt.Key.Key_Up, "down": Qt.Key.Key_Down, "left": Qt.Key.Key_Left,
                  "right": Qt.Key.Key_Right}
        flow = lambda: self._screen(Screen.FLOW)  # noqa: E731

        def key(code) -> None:
            QTest.keyClick(w, code)

        def choose(goal) -> Callable[[], None]:
            def act() -> None:
                target = goal()
                for _ in range(40):
                    if keypad._stale() or keypad.target is None:
                        key(Qt.Key.Key_Down)  # a new page: this key shows where the frame is
                        continue
                    if keypad.target is target:
                        break
                    d = keypad.path_to(target)
                    if d is None:
                        return  # the step's check says it did not get there
                    key(arrows[d.value])
                key(Qt.Key.Key_Return)
            return act

        def on(page: str) -> Callable[[], bool]:
            return lambda: flow().pages.currentWidget().objectName() == f"flow_page_{page}" \
                and keypad.frame.isVisible() and not keypad._stale()

        def to_guide() -> None:  # a department, its first category, its first item
            choose(lambda: next(iter(self._screen(Screen.HOME).dept_buttons.values())))()
            choose(lambda: self._screen(Screen.DEPARTMENT).category_buttons[0])()
            choose(lambda: self._screen(Screen.CATEGORY).item_buttons[0])()

        framed = lambda: keypad.frame.isVisible() and not keypad._stale()  # noqa: E731
        return [
            Step("keypad-home", lambda: key(Qt.Key.Key_Return), Screen.HOME, framed),
            Step("keypad-item", to_guide, Screen.GUIDE, framed),
            Step("keypad-preview", choose(lambda: self._screen(Screen.GUIDE).print_button),
                 Screen.FLOW, on("preview")),
            Step("keypad-rate", choose(lambda: flow().preview_print), Screen.FLOW,
                 on("rate"), PRINT_PATIENCE_MS, self._save_receipt),
            Step("keypad-done", choose(lambda: flow().rating.skip_button), Screen.FLOW,
                 on("done")),
            Step("keypad-attract", choose(lambda: flow().done_exit), Screen.ATTRACT,
                 lambda: not keypad.frame.isVisible()),
        ]

    # -- hall staff: login, attended mode, reprint (issue 10) ------------------------------------
    def _staff_steps(self) -> list[Step]:
        """``staff-login``: the staff login (long press on the terminal's name) with the demo
        shift lead's number and PIN typed; ``staff-tools`` once the PIN is checked;
        ``attended``: 为群众办理, the banner over the home screen; a certificate for a citizen
        (the citizen types their number, taps the consent screen themselves); ``reprint``:
        the certificate again from the staff tools, marked 补打 (saved beside the PNG).

        The demo staff come from protocol.demo (DEMO_STAFF, the backend's seed); the kiosk logs
        them in from the roster it has, which it fetches from the backend at its first sync: the
        ``staff-roster`` step waits for it. Without demo staff (or a staff desk), or with neither
        a backend nor a roster already kept, no steps."""
        import protocol.demo as demo

        w, core = self.window, self.window.core
        lead = next((s for s in getattr(demo, "DEMO_STAFF", ()) if s.role == "shift_lead"),
                    None)
        if core.staff is None or w.staff_panel is None or lead is None or \
                Screen.FLOW not in w.screens or core.printer is None:
            return []
        if self.sync is None and core.staff.auth.current(lead.staff_no) is None:
            return []  # no backend to bring the roster (sync off): nobody can log in
        panel, flow = w.staff_panel, lambda: self._screen(Screen.FLOW)  # noqa: E731
        citizen = demo.DEMO_CITIZENS[2]

        def on(page: str) -> Callable[[], bool]:
            return lambda: flow().pages.currentWidget().objectName() == f"flow_page_{page}"

        def type_number() -> None:
            w.open_staff_login()
            for ch in lead.staff_no:
                tap(panel.keys[ch])
            tap(panel.confirm_button)  # on to the PIN
            for ch in lead.pin:
                tap(panel.keys[ch])

        def identify_by_number() -> None:
            core.end_flow()
            core.start_flow("ss.certificate")
            ip = flow().identify_panel
            if not ip.pad_visible:
                tap(ip.manual_button)
            for ch in citizen.id_number:
                tap(ip.pad.keys[ch])
            tap(ip.pad.confirm_button)

        def reprint_certificate() -> None:
            tap(w.staff_banner.tools_button)
            name = next(n for n, b in panel.tool_buttons.items()
                        if n.startswith("staff_reprint_") and "证明" in b.text())
            tap(panel.tool_buttons[name])

        tools_shown = lambda: panel.isVisible() and panel.pages.currentIndex() == 1  # noqa: E731
        return [
            Step("staff-roster", lambda: None, Screen.ATTRACT,
                 lambda: core.staff.auth.current(lead.staff_no) is not None,
                 BACKEND_PATIENCE_MS),
            Step("staff-login", type_number, Screen.ATTRACT,
                 lambda: panel.isVisible() and len(panel._pin) == len(lead.pin)),
            Step("staff-tools", lambda: tap(panel.confirm_button), Screen.ATTRACT, tools_shown),
            Step("attended", lambda: tap(panel.tool_buttons["staff_serve"]), Screen.HOME,
                 lambda: w.staff_banner.isVisible() and not panel.isVisible()),
            Step("attended-consent", identify_by_number, Screen.FLOW, on("consent")),
            Step("attended-preview", lambda: tap(flow().consent_agree), Screen.FLOW,
                 on("preview"), PRINT_PATIENCE_MS),
            Step("attended-printed", lambda: tap(flow().preview_print), Screen.FLOW, on("rate"),
                 PRINT_PATIENCE_MS, self._save_a4),
            Step("reprint", reprint_certificate, Screen.FLOW,
                 lambda: any(m in panel.tools_message.text() for m in ("补打", "補打"))
                 and self._a4_count() >= 2,
                 PRINT_PATIENCE_MS, self._save_a4),
            Step("staff-session-ended", lambda: (tap(panel.close_button),
                                                 tap(w.nav.end_button)), Screen.ATTRACT,
                 lambda: not w.staff_banner.isVisible() and core.staff.session is None),
        ]

    # -- the technician's maintenance panel (issue 13) --------------------------------------------
    def _technician_steps(self) -> list[Step]:
        """``technician-entry``: the hidden entry (the corner's long press opens the staff
        login) with the demo technician's number and PIN: the maintenance panel, the terminal
        out of service; ``technician-config``: an option changed on the number pad and the
        diff before saving (not saved: the demo's config file stays as shipped);
        ``technician-diagnostics``; ``technician-test-print``: a test receipt on the virtual
        printer (saved beside the PNG); ``technician-leave``: back in service. Same conditions
        as the staff steps (the roster comes from the demo backend)."""
        import protocol.demo as demo

        w, core = self.window, self.window.core
        tech = next((s for s in getattr(demo, "DEMO_STAFF", ()) if s.role == "technician"), None)
        panel = getattr(w, "maintenance_panel", None)
        if panel is None or tech is None or core.printer is None:
            return []
        if self.sync is None and core.staff.auth.current(tech.staff_no) is None:
            return []
        login = w.staff_panel

        def enter() -> None:
            w.open_maintenance()
            for ch in tech.staff_no:
                tap(login.keys[ch])
            tap(login.confirm_button)
            for ch in tech.pin:
                tap(login.keys[ch])
            tap(login.confirm_button)

        def change_option() -> None:
            tap(panel.buttons["maintenance_config"])
            panel.show_option("session.idle_timeout_s")
            panel._key("clear")
            for ch in "120":
                panel._key(ch)
            tap(panel.buttons["maintenance_apply"])
            tap(panel.buttons["maintenance_review"])

        def diagnostics() -> None:
            panel.editor.pending.clear()  # (the tour leaves the demo's file as it is)
            panel.show_home()
            tap(panel.buttons["maintenance_diagnostics"])

        jobs = len(self.virtual_printer.jobs) if self.virtual_printer is not None else 0
        printed = lambda: panel.results.get("receipt_printer") is not None and \
            panel.results["receipt_printer"].code == "queued" and \
            (self.virtual_printer is None or len(self.virtual_printer.jobs) > jobs)  # noqa: E731

        def leave() -> None:
            panel.show_home()
            tap(panel.buttons["maintenance_leave"])

        return [
            Step("technician-entry", enter, Screen.OUT_OF_SERVICE,
                 lambda: panel.isVisible() and panel.page == "home", BACKEND_PATIENCE_MS),
            Step("technician-config", change_option, Screen.OUT_OF_SERVICE,
                 lambda: panel.page == "diff"),
            Step("technician-diagnostics", diagnostics, Screen.OUT_OF_SERVICE,
                 lambda: panel.page == "diagnostics" and "disk" in panel.results),
            Step("technician-test-print",
                 lambda: tap(panel.buttons["maintenance_print_receipt"]), Screen.OUT_OF_SERVICE,
                 printed, PRINT_PATIENCE_MS, self._save_receipt),
            Step("technician-leave", leave, Screen.ATTRACT,
                 lambda: not panel.isVisible() and core.staff.session is None),
        ]

    def _a4_count(self) -> int:
        return len(list(self.a4_folder.glob("*.pdf"))) if self.a4_folder is not None else 0
    # -- 呼叫帮办 and out of service (the hall-staff issue) ---------------------------------------
    def _hall_steps(self) -> list[Step]:
        """``help-requested``: 呼叫帮办 from the home screen (a backend that does not serve help
        requests yet, or none, shows the citizen where to go instead); ``help-taken`` with a
        `staff` hook; ``out-of-service``: the card reader (a required part) unplugged, the
        screen that says where to go and the online service's QR code; back in service."""
        from kiosk.devices.idcard import SimulatedIdCardReader
        from kiosk.help import HelpPhase

        w, core = self.window, self.window.core
        if core.help is None:
            return []
        answered = (HelpPhase.WAITING, HelpPhase.TAKEN, HelpPhase.UNREACHABLE)
        steps = [
            Step("help-home", lambda: tap(self._screen(Screen.ATTRACT)), Screen.HOME),
            Step("help-requested", lambda: tap(w.nav.help_button), Screen.HOME,
                 lambda: core.help.view.phase in answered and w.help_bar.isVisible(),
                 BACKEND_PATIENCE_MS),
        ]
        if self.console is not None:
            def allow() -> bool:
                if not w.remote_consent.isVisible():
                    return False
                tap(w.remote_consent.allow_button)
                return True

            def shoot() -> None:
                self.console(core.help.request_id, self.out_dir, allow,
                             lambda paths: setattr(self, "console_shots", paths))

            # the console takes the request (staff 张敏) and sees the masked screen
            steps.append(Step(
                "help-taken", shoot, Screen.HOME,
                lambda: self.console_shots is not None and len(self.console_shots) == 2
                and core.help.view.phase is HelpPhase.TAKEN and core.help.view.sharing,
                BACKEND_PATIENCE_MS))
        elif self.staff is not None:
            steps.append(Step(
                "help-taken", lambda: self.staff(core.help.request_id), Screen.HOME,
                lambda: core.help.view.phase is HelpPhase.TAKEN, BACKEND_PATIENCE_MS))
        steps.append(Step("help-closed", lambda: tap(w.help_bar.action_button), Screen.HOME,
                          lambda: not w.help_bar.isVisible()))
        if self.fleet is not None:
            # the fleet view (设备管理, issue 13) with this terminal and its command panel
            steps.append(Step(
                "console-fleet", lambda: self.fleet(self.out_dir,
                                                    lambda p: setattr(self, "fleet_shot", p)),
                Screen.HOME, lambda: self.fleet_shot is not None and self.fleet_shot.exists(),
                BACKEND_PATIENCE_MS))
        reader = core.id_reader
        if isinstance(reader, SimulatedIdCardReader) and "id_card_reader" in core.health.required:
            def unplug() -> None:
                tap(w.nav.end_button)
                reader.unplug()
                core.check_availability()

            def plug() -> None:
                reader.plug()
                core.check_availability()

            steps += [
                Step("out-of-service", unplug, Screen.OUT_OF_SERVICE,
                     lambda: self._screen(Screen.OUT_OF_SERVICE).qr.isVisible()),
                Step("back-in-service", plug, Screen.ATTRACT),
            ]
        return steps

    # -- the items, end to end ----------------------------------------------------------------
    def _flow_steps(self) -> list[Step]:
        """Every item as a citizen does it: card on the simulated reader and the face check
        (the simulated camera shows the card's holder: it passes by itself), consent, records,
        preview, print (the printed PDF or slip saved beside the screenshots), 好差评, done.
        ``face-check`` shows the face page while it looks; ``face-mismatch`` someone else
        before the camera, then the holder's second try; ``qr-credential`` a citizen's
        e-credential from their (simulated) phone; ``access-log`` 近期查询记录."""
        w, core = self.window, self.window.core
        if core.printer is None or core.id_reader is None or self.sync is None or \
                Screen.FLOW not in w.screens:
            return []
        from kiosk.devices.idcard import IdCardData
        from protocol.demo import DEMO_CITIZENS

        zhang, li, wang, _chen = DEMO_CITIZENS
        flow = lambda: self._screen(Screen.FLOW)  # noqa: E731
        home = lambda: self._screen(Screen.HOME)  # noqa: E731

        def on(page: str) -> Callable[[], bool]:
            return lambda: flow().pages.currentWidget().objectName() == f"flow_page_{page}"

        def card(citizen) -> Callable[[], None]:
            return lambda: core.id_reader.place(IdCardData(citizen.id_number, citizen.name))

        def start(flow_id: str) -> Callable[[], None]:
            def go() -> None:
                core.end_flow()
                core.start_flow(flow_id)
            return go

        face = core.face_watch
        camera = face.camera if face is not None else None

        def face_code() -> str:
            return flow().identify_panel.face_code

        def looking() -> bool:
            page = flow().identify_panel.face_page
            return face_code() == "face.looking" and page.camera.has_picture

        def someone_else(citizen) -> Callable[[], None]:
            def act() -> None:
                camera.mode = "mismatch"
                start("ss.certificate")()
                card(citizen)()
            return act

        def holder_tries_again() -> None:
            camera.mode = "match"
            tap(flow().identify_panel.face_page.retry_button)

        face_steps = [] if camera is None or not hasattr(camera, "mode") else [
            Step("face-mismatch", someone_else(li), Screen.FLOW,
                 lambda: face_code() == "face.mismatch", FACE_PATIENCE_MS),
            Step("face-mismatch-second-try", holder_tries_again, Screen.FLOW, on("consent"),
                 FACE_PATIENCE_MS),
            Step("face-mismatch-home", lambda: tap(w.nav.home_button), Screen.HOME),
        ]

        def rate(level: str | None) -> Callable[[], None]:
            def act() -> None:
                panel = flow().rating
                if level is None:
                    tap(panel.skip_button)
                    return
                chosen = next(lv for lv in panel.level_buttons if lv.name.lower() == level)
                tap(panel.level_buttons[chosen])
                if level in ("dissatisfied", "very_dissatisfied"):
                    tap(next(iter(panel.reason_buttons.values())))
                tap(panel.submit_button)
            return act

        def item(name: str, begin: Callable[[], None], citizen, *, show: bool, printed: bool,
                 level: str | None, first: str = "identify",
                 face_shot: bool = False) -> list[Step]:
            steps = [Step(f"{name}-start", begin, Screen.FLOW, on(first))]
            if citizen is not None:
                if face_shot and face is not None:  # the face page while it looks
                    steps += [
                        Step("face-check", card(citizen), Screen.FLOW, looking,
                             FACE_PATIENCE_MS),
                        Step(f"{name}-consent", lambda: None, Screen.FLOW, on("consent"),
                             FACE_PATIENCE_MS),
                    ]
                else:
                    steps.append(Step(f"{name}-consent", card(citizen), Screen.FLOW,
                                      on("consent"), FACE_PATIENCE_MS))
                steps += [
                    Step(f"{name}-{'records' if show else 'preview'}",
                         lambda: tap(flow().consent_agree), Screen.FLOW,
                         on("show" if show else "preview"), PRINT_PATIENCE_MS),
                ]
            if show:
                steps.append(Step(f"{name}-preview", lambda: tap(flow().show_next), Screen.FLOW,
                                  on("preview")))
            steps += [
                Step(f"{name}-{'printed' if printed else 'not-printed'}",
                     lambda: tap(flow().preview_print if printed else flow().preview_skip),
                     Screen.FLOW, on("rate"), PRINT_PATIENCE_MS,
                     self._save_a4 if printed else None),
                Step(f"{name}-rated", rate(level), Screen.FLOW, on("done")),
                Step(f"{name}-finished", lambda: tap(flow().done_more), Screen.HOME),
            ]
            return steps

        def show_e_credential(citizen) -> Callable[[], None]:
            def act() -> None:
                from screens.widgets.wedge import type_as_scanner

                start("gjj.deposits")()
                self.phone(citizen.id_number, lambda qr: type_as_scanner(qr, target=w))
            return act

        credential_steps = [] if self.phone is None else [
            Step("qr-credential", show_e_credential(wang), Screen.FLOW, on("consent"),
                 FACE_PATIENCE_MS),
            Step("qr-credential-records", lambda: tap(flow().consent_agree), Screen.FLOW,
                 on("show"), PRINT_PATIENCE_MS),
            Step("qr-credential-home", lambda: tap(w.nav.home_button), Screen.HOME),
        ]
        access_log_steps = [] if face is None else [
            Step("access-log-start", lambda: tap(home().item_buttons["records.access_log"]),
                 Screen.FLOW, on("identify")),
            Step("access-log-consent", card(zhang), Screen.FLOW, on("consent"),
                 FACE_PATIENCE_MS),
            Step("access-log", lambda: tap(flow().consent_agree), Screen.FLOW, on("show"),
                 PRINT_PATIENCE_MS),
            Step("access-log-rate", lambda: tap(flow().show_next), Screen.FLOW, on("rate")),
            Step("access-log-rated", rate(None), Screen.FLOW, on("done")),
            Step("access-log-finished", lambda: tap(flow().done_more), Screen.HOME),
        ]

        backend_up = lambda: self.sync.adapter is not None  # noqa: E731
        return [
            Step("backend-ready", lambda: tap(w.nav.home_button), Screen.HOME, backend_up,
                 BACKEND_PATIENCE_MS),
            *item("ss-certificate", lambda: tap(next(
                b for b in home().tile_buttons if b.objectName() == "tile_RS-000001")),
                zhang, show=False, printed=True, level="very_satisfied", face_shot=True),
            *item("ss-contributions", start("ss.contributions"), zhang, show=True, printed=True,
                  level="satisfied"),
            *self._with_guide(item("yb-account", start("yb.account"), zhang, show=True,
                                   printed=True, level="basic")),
            *item("yb-enrolment", start("yb.enrolment"), wang, show=False, printed=True,
                  level=None),
            *item("gjj-deposits", start("gjj.deposits"), zhang, show=True, printed=True,
                  level="very_satisfied"),
            *item("bdc-registrations", start("bdc.registrations"), wang, show=True,
                  printed=True, level="satisfied"),
            *item("bdc-no-property", start("bdc.no_property"), li, show=False, printed=True,
                  level="dissatisfied"),
            *face_steps,
            *credential_steps,
            *access_log_steps,
            Step("bdc-no-property-refused", lambda: (start("bdc.no_property")(),
                                                      card(zhang)()), Screen.FLOW,
                 on("consent"), FACE_PATIENCE_MS),
            Step("bdc-no-property-refused-says-why", lambda: tap(flow().consent_agree),
                 Screen.FLOW, on("error"), PRINT_PATIENCE_MS),
            Step("home-after-refusal", lambda: tap(flow().error_leave), Screen.HOME),
            Step("queue-start", lambda: tap(home().queue_button), Screen.FLOW, on("choose")),
            Step("queue-printed", lambda: tap(flow().choose_buttons[0]), Screen.FLOW, on("rate"),
                 PRINT_PATIENCE_MS, self._save_receipt),
            Step("queue-rated", rate("very_satisfied"), Screen.FLOW, on("done")),
            Step("queue-finished", lambda: tap(flow().done_more), Screen.HOME),
            Step("guide-for-slip", lambda: core.open_guide("RS-000002"), Screen.GUIDE),
            Step("guide-slip-preview", lambda: tap(self._screen(Screen.GUIDE).print_button),
                 Screen.FLOW, on("preview")),
            Step("guide-slip-printed", lambda: tap(flow().preview_print), Screen.FLOW, on("rate"),
                 PRINT_PATIENCE_MS, self._save_receipt),
            Step("guide-slip-rated", rate(None), Screen.FLOW, on("done")),
            Step("guide-slip-finished", lambda: tap(flow().done_more), Screen.HOME),
            # 适老化: the same item in elder mode
            Step("elder-on", lambda: tap(w.nav.elder_button), Screen.HOME,
                 lambda: core.session.data.elder_mode),
            *item("elder-ss-contributions", start("ss.contributions"), li, show=True,
                  printed=False, level="very_satisfied"),
            Step("elder-off", lambda: tap(w.nav.elder_button), Screen.HOME,
                 lambda: not core.session.data.elder_mode),
        ]

    def _with_guide(self, steps: list[Step]) -> list[Step]:
        """An item's steps with 操作指引 looked at on its first page (before identifying)."""
        return [steps[0], *self._guide_steps(from_flow=True), *steps[1:]]

    def _save_a4(self, stem: Path) -> None:
        """The PDF the virtual A4 printer just wrote, and its first page as a PNG."""
        if self.a4_folder is None:
            return
        pdfs = sorted(self.a4_folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime)
        if not pdfs:
            return
        target = stem.with_suffix(".pdf")
        target.write_bytes(pdfs[-1].read_bytes())
        import shutil
        import subprocess

        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile",
                            str(target), str(stem.with_name(stem.name + "-page1"))], check=False)

    def _save_receipt(self, stem: Path) -> None:
        if self.virtual_printer is not None and self.virtual_printer.jobs:
            self.virtual_printer.render(-1).save(str(stem.with_name(stem.name + "-receipt.png")))

    def run(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        if self.voice is not None:
            (self.out_dir / "speech").mkdir(exist_ok=True)
            self.voice.default_enabled = True  # every session of the tour speaks
            self.voice.set_enabled(True)
            self.voice.on_rendered = lambda said, lang, _kind, wav: \
                self._wavs.__setitem__((said, lang), wav)
        self._next()

    def _save_speech(self, stem: str) -> None:
        """The last prompt the step said, as the engine rendered it (waits for the worker)."""
        voice = self.voice
        if voice.asked == self._spoken_from or not voice.history:
            return  # the step said nothing new
        voice.wait_idle()
        text, lang, _kind = voice.history[-1]
        wav = self._wavs.get((text, lang))
        if wav is not None:
            (self.out_dir / "speech" / f"{stem}.wav").write_bytes(wav)
        else:
            print(f"tour speech {stem}: not rendered ({voice.status().last_error})", flush=True)

    def _next(self) -> None:
        if self._i >= len(self.steps):
            return self._finish()
        step = self.steps[self._i]
        if self.voice is not None:
            self._spoken_from = self.voice.asked
        try:
            step.action()
        except Exception as exc:  # a broken step fails the tour, it does not crash it
            log.exception("tour step %s failed", step.name)
            self.results.append((step.name, False, f"action raised {exc!r}"))
            return self._finish()
        self._waited = 0
        QTimer.singleShot(SETTLE_MS, self._verify)

    def _verify(self) -> None:
        step = self.steps[self._i]
        current = self.window.core.navigator.current.screen
        ok = current == step.expect
        why = "" if ok else f"expected {step.expect}, got {current}"
        if ok and step.check is not None and not step.check():
            ok, why = False, "check failed"
        if not ok and self._waited < step.patience_ms:  # timers, the backend, a printer
            self._waited += SETTLE_MS
            QTimer.singleShot(SETTLE_MS, self._verify)
            return
        path = self.out_dir / f"{self._i + 1:02d}-{step.name}.png"
        self.window.grab().save(str(path))
        if self.voice is not None:
            self._save_speech(path.stem)
        self.results.append((step.name, ok, why))
        if ok and step.after is not None:
            step.after(path.with_suffix(""))
        print(f"tour {'ok  ' if ok else 'FAIL'} {path.name} {why}".rstrip(), flush=True)
        self._i += 1
        if not ok:
            return self._finish()
        self._next()

    def _finish(self) -> None:
        passed = all(ok for _n, ok, _w in self.results) and len(self.results) == len(self.steps)
        print(f"tour {'passed' if passed else 'FAILED'}: {sum(ok for _n, ok, _w in self.results)}"
              f"/{len(self.steps)} steps, screenshots in {self.out_dir}", file=sys.stdout, flush=True)
        if self.exit_app:
            QApplication.instance().exit(0 if passed else 1)
