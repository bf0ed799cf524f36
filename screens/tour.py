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


@dataclass
class Step:
    name: str
    action: Callable[[], None]
    expect: Screen
    check: Callable[[], bool] | None = None


def tap(widget) -> None:
    """A touch on the centre of a widget, delivered like a real one."""
    from PySide6.QtTest import QTest

    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     widget.rect().center())


class Tour:
    def __init__(self, window: KioskWindow, out_dir: Path, exit_app: bool = True,
                 virtual_printer=None):
        self.window = window
        self.virtual_printer = virtual_printer
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

        return [
            Step("attract", lambda: None, Screen.ATTRACT),
            Step("home", lambda: tap(self._screen(Screen.ATTRACT)), Screen.HOME),
            Step("search-open", lambda: tap(home().search_button), Screen.SEARCH),
            Step("search-sbcb", lambda: type_letters("sbcb"), Screen.SEARCH,
                 lambda: len(search().hits()) > 0 and "参保证明" in search().hits()[0].name),
            Step("guide-from-search", lambda: tap(search().result_buttons[0]), Screen.GUIDE,
                 lambda: bool(self._screen(Screen.GUIDE).qr.data())),
            *([Step("guide-printed", lambda: tap(self._screen(Screen.GUIDE).print_button), Screen.GUIDE,
                    lambda: self._screen(Screen.GUIDE)._job_state == "done")]
              if core.printer is not None else []),
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
            Step("home-english-elder", lambda: tap(w.nav.language_buttons["en"]), Screen.HOME,
                 lambda: core.session.data.language == "en"),
            Step("home-english", lambda: tap(w.nav.elder_button), Screen.HOME,
                 lambda: not core.session.data.elder_mode),
            Step("search-english", lambda: tap(home().search_button), Screen.SEARCH),
            Step("search-typed", lambda: (tap(search().keyboard.clear_key), type_letters("ybcb")), Screen.SEARCH,
                 lambda: search().field.text() == "ybcb" and bool(search().hits())),
            Step("chinese-keyboard", lambda: tap(search().keyboard.chinese_key), Screen.SEARCH,
                 lambda: search().pinyin.isVisible() or not search().pinyin.available()),
            Step("chinese-typed", lambda: (tap(search().keyboard.clear_key), search().set_chinese_input(True),
                                           search().pinyin.type_letters("shebao")), Screen.SEARCH,
                 lambda: not search().pinyin.available() or "社保" in search().pinyin.candidates()),
            Step("chinese-chosen", lambda: search().pinyin.select_candidate(
                     max(0, search().pinyin.candidates().index("社保")) if "社保" in search().pinyin.candidates() else 0),
                 Screen.SEARCH,
                 lambda: not search().pinyin.available() or (search().field.text() == "社保" and bool(search().hits()))),
            Step("countdown", idle_until_countdown, Screen.SEARCH,
                 lambda: w.overlay.isVisible()),
            Step("timeout-attract", idle_until_expired, Screen.ATTRACT,
                 lambda: search().field.text() == "" and core.session.data.language == core.config.language.default
                 and not core.session.data.elder_mode),
        ]

    def run(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._next()

    def _next(self) -> None:
        if self._i >= len(self.steps):
            return self._finish()
        step = self.steps[self._i]
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
        if not ok and self._waited < PATIENCE_MS:  # timers (idle, rotation) may still be due
            self._waited += SETTLE_MS
            QTimer.singleShot(SETTLE_MS, self._verify)
            return
        path = self.out_dir / f"{self._i + 1:02d}-{step.name}.png"
        self.window.grab().save(str(path))
        self.results.append((step.name, ok, why))
        if ok and step.name == "guide-printed" and self.virtual_printer is not None:
            self.virtual_printer.render(-1).save(str(self.out_dir / f"{self._i + 1:02d}-receipt.png"))
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
