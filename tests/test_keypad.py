"""The keypad path in the real window (issue 12 part 3, docs/decisions/0033): every citizen
flow completed with key events sent to the window alone (QTest.keyClick: the arrows, Enter,
Cancel, digits of a 12-key keypad), on the reference backend over loopback with the virtual
printers, as tests/test_flow_screens.py runs them. Identification is the simulated card
reader and face check (device events); items the small test catalog does not carry are started
as the flow tests start them, and done by keys from there.

Each run plans its arrow presses with the same rule the kiosk uses (kiosk.keypad.next_target
on the controls' rectangles), sends them one at a time and checks where the frame went."""

from __future__ import annotations

import time
from collections import deque

import pytest
import zxingcpp
from PIL import Image

from kiosk.keypad import Direction, next_target
from kiosk.navigation import Screen
from screens.qt import QImage, Qt
from test_flow_screens import (  # noqa: F401 - the module's backend and kiosk fixtures
    CHEN,
    LI,
    WANG,
    ZHANG,
    Kiosk,
    backend,
    events,
    insert_card,
    make_kiosk,
    pdf_text,
    wait_page,
)

pytestmark = pytest.mark.gui

ARROW = {Direction.UP: Qt.Key.Key_Up, Direction.DOWN: Qt.Key.Key_Down,
         Direction.LEFT: Qt.Key.Key_Left, Direction.RIGHT: Qt.Key.Key_Right}


class Keys:
    """A citizen with the keypad: only key events to the window."""

    def __init__(self, qtbot, k: Kiosk):
        self.qtbot, self.k, self.w = qtbot, k, k.w
        self.pad = k.w.keypad
        self.presses = 0

    def key(self, code) -> None:
        self.qtbot.keyClick(self.w, code)
        self.presses += 1

    def enter(self) -> None:
        self.key(Qt.Key.Key_Return)

    def cancel(self) -> None:
        self.key(Qt.Key.Key_Escape)

    def _first_step(self, goal) -> Direction | None:
        """Breadth-first over the arrows, with the kiosk's own rule on today's rectangles."""
        targets = self.pad.targets()
        rects = {id(t): self.pad._rect(t) for t in targets}
        start = self.pad.target
        seen = {id(start)}
        todo = deque([(start, None)])
        while todo:
            cur, first = todo.popleft()
            others = [t for t in targets if t is not cur]
            for d in Direction:
                i = next_target(rects[id(cur)], [rects[id(t)] for t in others], d)
                if i is None or id(others[i]) in seen:
                    continue
                if others[i] is goal:
                    return first or d
                seen.add(id(others[i]))
                todo.append((others[i], first or d))
        return None

    def focus(self, goal, limit: int = 40) -> None:
        """Arrow keys until the frame is on `goal`."""
        self.qtbot.waitUntil(lambda: goal.isVisible() and goal.isEnabled(), timeout=15000)
        for _ in range(limit):
            if self.pad.target is None:
                self.key(Qt.Key.Key_Down)  # a first key: the frame appears
                continue
            if self.pad._stale():
                self.key(Qt.Key.Key_Down)  # a new page: a key says where the frame went
                continue
            if self.pad.target is goal:
                assert self.w.keypad.frame.isVisible()
                return
            d = self._first_step(goal)
            assert d is not None, (goal.objectName(), self.pad.target.objectName())
            self.key(ARROW[d])
        raise AssertionError(f"frame not on {goal.objectName()} after {limit} keys")

    def choose(self, goal) -> None:
        self.focus(goal)
        self.enter()


def test_keypad_alone_through_every_item(qtbot, make_kiosk, artifacts, tmp_path):
    """The nine items, the guide's QR code, rating and a problem report, with keys alone."""
    t0 = time.monotonic()
    k = make_kiosk()
    keys = Keys(qtbot, k)
    w, core, f = k.w, k.core, k.flow
    assert w.keypad is not None and not keys.pad.frame.isVisible()

    def at(screen):
        qtbot.waitUntil(lambda: core.navigator.current.screen == screen, timeout=10000)

    def rate_and_finish(level=True):
        wait_page(qtbot, k, "rate", 15000)
        panel = f.rating
        if level:
            keys.choose(next(iter(panel.level_buttons.values())))
            keys.choose(panel.submit_button)
        else:
            keys.choose(panel.skip_button)
        wait_page(qtbot, k, "done")
        keys.choose(f.done_exit)
        at(Screen.ATTRACT)

    def personal_item(citizen, shows: bool, prints: bool = True):
        insert_card(qtbot, k, citizen)  # a device event: the card, then the face check
        wait_page(qtbot, k, "consent")
        keys.choose(f.consent_agree)
        if shows:
            wait_page(qtbot, k, "show", 15000)
            keys.choose(f.show_next)
        wait_page(qtbot, k, "preview", 15000)
        keys.choose(f.preview_print if prints else f.preview_skip)

    def begin():
        keys.enter()  # any key on the attract screen starts, as a touch does
        at(Screen.HOME)
        assert keys.pad.frame.isVisible() and keys.pad.target is not None

    home = w.screens[Screen.HOME]
    tile = {b.objectName(): b for b in home.tile_buttons}

    # 1 社保参保证明: its home tile, the card, agree, print, a rating
    begin()
    keys.choose(tile["tile_RS-000001"])
    personal_item(ZHANG, shows=False)
    rate_and_finish()
    (pdf,) = k.pdfs()
    assert "社会保险参保证明" in pdf_text(pdf)

    # 2 社保缴费明细: through its department, category and guide
    begin()
    keys.choose(home.dept_buttons["rs"])
    at(Screen.DEPARTMENT)
    dept = w.screens[Screen.DEPARTMENT]
    keys.choose(dept.category_buttons[0])  # 社会保险
    at(Screen.CATEGORY)
    cat = w.screens[Screen.CATEGORY]
    row = next(b for b in cat.item_buttons if b.isVisible() and "缴费明细" in b.text())
    keys.choose(row)
    at(Screen.GUIDE)
    keys.choose(w.screens[Screen.GUIDE].start_button)
    at(Screen.FLOW)
    personal_item(ZHANG, shows=True)
    rate_and_finish(level=False)

    # 3 医保账户: its tile; looked at, not printed
    begin()
    keys.choose(tile["tile_YB-000004"])
    personal_item(ZHANG, shows=True, prints=False)
    rate_and_finish(level=False)

    # 4-7: items the small catalog does not carry, started as the flow tests start them
    for flow_id, citizen, shows in (("yb.enrolment", ZHANG, False), ("gjj.deposits", ZHANG, True),
                                    ("bdc.registrations", LI, True),
                                    ("bdc.no_property", LI, False)):
        begin()
        core.start_flow(flow_id)
        personal_item(citizen, shows=shows)
        rate_and_finish(level=False)

    # 8 现场取号
    begin()
    keys.choose(home.queue_button)
    wait_page(qtbot, k, "choose")
    keys.choose(f.choose_buttons[0])
    rate_and_finish(level=False)
    assert k.receipt.jobs

    # 9 办事指南 by search on the on-screen keyboard: its QR code, then the slip printed
    begin()
    keys.choose(home.search_button)
    at(Screen.SEARCH)
    search = w.screens[Screen.SEARCH]
    for ch in "sbgr":
        keys.choose(search.keyboard.keys[ch])
    assert search.field.text() == "sbgr"
    first = search.result_buttons[0]
    qtbot.waitUntil(lambda: first.isVisible(), timeout=5000)
    keys.choose(first)
    at(Screen.GUIDE)
    guide = w.screens[Screen.GUIDE]
    img = guide.qr.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    png = tmp_path / "qr.png"
    img.save(str(png))
    assert [c.text for c in zxingcpp.read_barcodes(Image.open(png))] == [
        "https://zwfw.example.gov.cn/guide/RS-000002"]
    keys.choose(guide.print_button)
    wait_page(qtbot, k, "preview")
    keys.choose(f.preview_print)
    rate_and_finish(level=False)

    # 办不成事 from the home screen, then back with Cancel
    begin()
    keys.choose(w.nav.problem_button)
    at(Screen.PROBLEM)
    problem = w.screens[Screen.PROBLEM]
    keys.choose(next(iter(problem.category_buttons.values())))
    assert problem.ticket is not None and problem.number.text()
    keys.choose(problem.done_button)
    at(Screen.HOME)
    # Cancel at home: Finish is framed and asked once more; the second Cancel ends
    keys.cancel()
    assert keys.pad.target is w.nav.end_button and core.navigator.current.screen == Screen.HOME
    keys.cancel()
    at(Screen.ATTRACT)
    assert not keys.pad.frame.isVisible()

    ratings = events(k, "rating")
    assert [r["flow"] for r in ratings] == ["ss.certificate"]
    assert len(events(k, "problem_report")) == 1
    done = [e["flow"] for e in events(k, "transaction") if e["outcome"] == "done"]
    assert sorted(done) == sorted(["ss.certificate", "ss.contributions", "yb.account",
                                   "yb.enrolment", "gjj.deposits", "bdc.registrations",
                                   "bdc.no_property", "queue.ticket", "guide.slip"])
    print(f"keypad run: {keys.presses} keys, {time.monotonic() - t0:.1f} s")
