"""The keypad path in the real window (issue 12 part 3, docs/decisions/0033): every citizen
flow completed with key events sent to the window alone (QTest.keyClick: the arrows, Enter,
Cancel, digits of a 12-key keypad), on the reference backend over loopback with the virtual
printers, as tests/test_flow_screens.py runs them (its small catalog, plus the provident-fund
and real-estate items, on the kiosk and the backend alike). Identification is the simulated
card reader and face check (device events).

Each run plans its arrow presses with the same rule the kiosk uses (kiosk.keypad.next_target
on the controls' rectangles), sends them one at a time and checks where the frame went."""

from __future__ import annotations

import time

import pytest
import zxingcpp
from PIL import Image

from kiosk.keypad import Direction
from kiosk.navigation import Screen
from screens.qt import QImage, Qt
from backend_helpers import start_backend
from conftest import small_catalog, write_catalog
from test_flow_screens import (  # noqa: F401 - the module's kiosk fixture
    LI,
    ZHANG,
    Kiosk,
    events,
    insert_card,
    make_kiosk,
    pdf_text,
    wait_page,
)

pytestmark = pytest.mark.gui


def keypad_catalog() -> dict:
    """The flow tests' small catalog plus the provident-fund and real-estate items (their
    departments too), so every item starts from the home screen, a guide or a search."""
    data = small_catalog("keypad.1")
    template = data["items"][0]
    added = [("GJ-000001", "2003001001", "住房公积金缴存查询", "gj", "gj.acc", "zfgjjjccx"),
             ("BD-000001", "2004049001", "不动产登记信息查询", "bd", "bd.reg", "bdcdjxxcx"),
             ("BD-000002", "2004050001", "无房证明开具", "bd", "bd.reg", "wfzmkj")]
    for iid, base, name, dept, cat, initials in added:
        data["items"].append({
            **template, "id": iid, "code": template["code"][:18] + base, "name": name,
            "department": dept, "category": cat, "high_frequency": True, "kiosk_enabled": True,
            "url": f"https://zwfw.example.gov.cn/guide/{iid}",
            "keys": [{"text": name, "pinyin": initials, "initials": initials}],
            "guide": {**template["guide"],
                      "online_url": f"https://zwfw.example.gov.cn/guide/{iid}"}})
    data["departments"] += [
        {"code": "gj", "name": "住房公积金管理中心", "short_name": "公积金",
         "name_en": "Housing Provident Fund Centre", "order": 4,
         "categories": [{"code": "gj.acc", "name": "缴存", "name_en": "Deposits", "order": 1}]},
        {"code": "bd", "name": "不动产登记中心", "short_name": "不动产",
         "name_en": "Real Estate Registration Centre", "order": 5,
         "categories": [{"code": "bd.reg", "name": "登记查询", "name_en": "Records", "order": 1}]}]
    return data


@pytest.fixture
def small_catalog_file(tmp_path):
    """(Overrides conftest's: the kiosk's catalog here is keypad_catalog.)"""
    return write_catalog(tmp_path / "catalog.json.gz", keypad_catalog())


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    """The reference backend with the same catalog as the kiosks."""
    folder = tmp_path_factory.mktemp("keypad-backend")
    server = start_backend(folder / "db", write_catalog(folder / "catalog.json.gz",
                                                        keypad_catalog()), citizens=4)
    yield server
    server.stop()

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

    def focus(self, goal, limit: int = 40) -> None:
        """Arrow keys until the frame is on `goal`."""
        self.qtbot.waitUntil(lambda: goal.isVisible() and goal.isEnabled(), timeout=15000)
        for _ in range(limit):
            if self.pad._stale():
                self.key(Qt.Key.Key_Down)  # a new page: a key says where the frame went
                continue
            if self.pad.target is None:
                self.key(Qt.Key.Key_Down)  # no frame yet: a key brings it
                continue
            if self.pad.target is goal:
                assert self.w.keypad.frame.isVisible()
                return
            d = self.pad.path_to(goal)
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

    # 4 医保参保凭证 by search: y-b-c-b on the on-screen keyboard, the result, its guide
    begin()
    keys.choose(home.search_button)
    at(Screen.SEARCH)
    search = w.screens[Screen.SEARCH]
    for ch in "ybcb":
        keys.choose(search.keyboard.keys[ch])
    row = search.result_buttons[0]
    qtbot.waitUntil(lambda: row.isVisible() and "参保凭证" in row.text(), timeout=5000)
    keys.choose(row)
    at(Screen.GUIDE)
    keys.choose(w.screens[Screen.GUIDE].start_button)
    at(Screen.FLOW)
    assert k.run.flow.id == "yb.enrolment"
    personal_item(ZHANG, shows=False)
    rate_and_finish(level=False)

    # 5-7 公积金, 不动产 and 无房证明: their tiles
    for item_id, flow_id, citizen, shows in (
            ("GJ-000001", "gjj.deposits", ZHANG, True),
            ("BD-000001", "bdc.registrations", LI, True),
            ("BD-000002", "bdc.no_property", LI, False)):
        begin()
        keys.choose(tile[f"tile_{item_id}"])
        at(Screen.FLOW)
        assert k.run.flow.id == flow_id
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


# ============================================================================ voice, frame, touch


@pytest.fixture
def voiced(kiosk_window, make_config, small_catalog_file):
    """A kiosk (sync off) speaking to a recording engine and player; 语音 off as configured."""
    from test_voice import RecordingEngine, RecordingPlayer
    from wiring import Overrides

    def make(records=None, **sections):
        engine, player = RecordingEngine(), RecordingPlayer()
        config = make_config(small_catalog_file, **sections)
        kiosk = kiosk_window(config, overrides=Overrides(voice_engine=engine, voice_player=player,
                                                         records=records))
        return kiosk.window, engine, player

    return make


def said(w) -> list[str]:
    return [t for t, _lang, _kind in w.core.services.voice.history]


def test_focus_moves_are_spoken_and_an_id_field_never_says_a_digit(qtbot, voiced, tmp_path):
    from types import SimpleNamespace

    from test_flows import FakeRecords

    # the records: a port standing in for the backend; an A4 printer, so the item is offered
    w, engine, player = voiced(records=FakeRecords(), printing={
        "document": {"driver": "virtual", "folder": str(tmp_path / "a4")}})
    voice = w.core.services.voice
    assert not voice.enabled  # [voice] enabled = false
    keys = Keys(qtbot, SimpleNamespace(w=w))
    keys.enter()  # the first key: the session starts, 语音 comes on, the keys are explained
    assert w.core.navigator.current.screen == Screen.HOME and voice.enabled
    assert w.nav.voice_button.property("active") == "true"
    first = said(w)[-1]
    assert first.startswith("请选择事项、部门，或搜索。") and "方向键" in first
    assert keys.pad.describe(keys.pad.target) in first
    qtbot.waitUntil(lambda: len(player.played) >= 1, timeout=5000)
    stops = player.stops
    keys.key(Qt.Key.Key_Down)
    target = keys.pad.target
    name = target.accessibleName()
    assert said(w)[-1] == keys.pad.describe(target) and name in said(w)[-1]
    assert "按钮" in said(w)[-1]  # name and role
    assert player.stops > stops  # the last words cut off
    keys.key(Qt.Key.Key_5)  # no number field here: said so (and nothing typed anywhere)
    # (held for the badge scanner's hold window first, as on the home screen every digit is)
    qtbot.waitUntil(lambda: said(w)[-1] == "这里不需要输入数字。请用方向键和确认键操作。",
                    timeout=2000)
    # an ID-number field: the count, never a digit
    w.core.start_flow("ss.certificate")
    w.core.attend("S-0042")  # staff attending: the number pad for a personal item
    panel = w.screens[Screen.FLOW].identify_panel
    qtbot.waitUntil(lambda: panel.pad_visible or panel.manual_button.isVisible(), timeout=5000)
    if not panel.pad_visible:
        keys.choose(panel.manual_button)
    pad = panel.pad
    keys.focus(pad.shown)
    assert said(w)[-1].startswith("身份证号码输入框，已输入零个字符")
    before = len(voice.history)
    typed = "3204"
    for n, ch in enumerate(typed, 1):
        keys.key(getattr(Qt.Key, f"Key_{ch}"))
        # held by the QR scanner's filter for its hold window, then typed
        qtbot.waitUntil(lambda n=n: pad.entry.length == n, timeout=2000)
    keys.key(Qt.Key.Key_Up)
    keys.focus(pad.shown)
    assert "已输入四个字符" in said(w)[-1]
    spoken = said(w)[before:] + [text for text, _lang in engine.calls]
    for text in spoken:
        for form in (typed, "三二零四", "三 二 零 四", "3 2 0 4", "三二〇四"):
            assert form not in text, text
    keys.key(Qt.Key.Key_Backspace)
    assert pad.entry.length == 3
    keys.key(Qt.Key.Key_Backspace)  # twice quickly: all of it
    assert pad.entry.length == 0


def frame_pixels(w, pad):
    """The window's pixels across the left edge of the ring, mid-height."""
    img = w.grab().toImage()
    r = pad.frame.ring_rect
    y = r.center().y()
    return [img.pixelColor(x, y).name() for x in range(r.left(), r.left() + 14)]


def test_the_frame_in_each_theme_is_thick_contrasting_and_never_clipped(qtbot, voiced, artifacts):
    from types import SimpleNamespace

    from screens.keypad import ring_for
    from screens.theme import theme_for

    w, _engine, _player = voiced()
    keys = Keys(qtbot, SimpleNamespace(w=w))
    keys.key(Qt.Key.Key_Down)
    home = w.screens[Screen.HOME]
    keys.focus(home.queue_button)

    def check(name):
        theme = theme_for(w.core.session.data.elder_mode)
        ring = ring_for(theme)
        r = keys.pad.frame.ring_rect
        assert w.rect().contains(r), name  # inside the window: never cut
        target = keys.pad.target
        inner = target.rect().translated(target.mapTo(w, target.rect().topLeft()))
        assert r.contains(inner) or not w.rect().contains(inner)
        assert keys.pad.frame.isVisible()
        w.grab().save(str(artifacts / f"keypad-frame-{name}.png"))
        pixels = frame_pixels(w, keys.pad)
        assert ring.core in pixels and ring.halo in pixels, (name, pixels)
        core_w, _halo = keys.pad.frame.widths()
        assert pixels.count(ring.core) >= core_w - 2  # a thick band, drawn as computed

    check("normal")
    keys.choose(home.elder_button)  # elder mode by keys: large, high contrast
    assert w.core.session.data.elder_mode
    def framed():  # the frame follows the re-laid-out button (within 200 ms of the layout)
        t = keys.pad.target
        inner = t.rect().translated(t.mapTo(w, t.rect().topLeft()))
        return keys.pad.frame.ring_rect.contains(inner)

    qtbot.waitUntil(framed, timeout=3000)
    check("elder")
    # high contrast on a yellow primary button, over the "still there?" cover
    core = w.core
    core.clock.advance(core.session.effective_idle_s + 1)
    qtbot.waitUntil(w.overlay.isVisible, timeout=2000)
    qtbot.waitUntil(lambda: keys.pad.target is w.overlay.stay_button, timeout=2000)
    check("elder-primary-countdown")
    keys.enter()  # "I'm still here"
    assert not w.overlay.isVisible() and core.navigator.current.screen == Screen.HOME


def test_touch_hides_the_frame_and_keys_count_as_activity(qtbot, voiced):
    from types import SimpleNamespace

    w, _engine, _player = voiced()
    core = w.core
    keys = Keys(qtbot, SimpleNamespace(w=w))
    keys.enter()
    assert keys.pad.frame.isVisible()
    # keys keep the session alive: just before the countdown, a key starts the time again
    core.clock.advance(core.session.effective_idle_s - 2)
    keys.key(Qt.Key.Key_Right)
    core.clock.advance(5)
    qtbot.wait(600)
    assert not w.overlay.isVisible() and core.navigator.current.screen == Screen.HOME
    # a touch: the frame goes, the touch does what it always did
    qtbot.mouseClick(w.screens[Screen.HOME].search_button, Qt.MouseButton.LeftButton)
    assert core.navigator.current.screen == Screen.SEARCH
    assert not keys.pad.frame.isVisible() and not keys.pad.active
    # Cancel is "back"
    keys.cancel()  # the first key after a touch says where the frame is
    keys.cancel()
    assert core.navigator.current.screen == Screen.HOME


def test_keypad_off_in_the_config_leaves_keys_alone(qtbot, voiced):
    w, _e, _p = voiced(keypad={"enabled": False})
    assert w.keypad is None
    qtbot.keyClick(w, Qt.Key.Key_Return)
    assert w.core.navigator.current.screen == Screen.ATTRACT


def test_a_vendor_keypad_by_its_own_codes_and_a_text_field_keeps_its_keys(qtbot, voiced):
    from types import SimpleNamespace

    w, _e, _p = voiced(keypad={"keys": {"enter": ["F13"], "cancel": ["F14"], "repeat": ["F15"]}})
    keys = Keys(qtbot, SimpleNamespace(w=w))
    keys.key(Qt.Key.Key_Return)  # not this keypad's Enter any more
    assert w.core.navigator.current.screen == Screen.ATTRACT
    keys.key(Qt.Key.Key_F13)
    assert w.core.navigator.current.screen == Screen.HOME and keys.pad.active
    keys.choose = lambda goal: (keys.focus(goal), keys.key(Qt.Key.Key_F13))
    keys.choose(w.screens[Screen.HOME].search_button)
    search = w.screens[Screen.SEARCH]
    assert w.core.navigator.current.screen == Screen.SEARCH
    keys.choose(search.keyboard.keys["y"])
    keys.choose(search.keyboard.keys["b"])
    assert search.field.text() == "yb"
    # keys that reach the search field itself: Clear (Backspace) and digits are the field's
    qtbot.keyClick(search.field, Qt.Key.Key_Backspace)
    assert search.field.text() == "y"
    qtbot.keyClick(search.field, Qt.Key.Key_Down)  # an arrow still moves the frame
    assert search.field.text() == "y" and keys.pad.target is not search.keyboard.keys["b"]
    last = said(w)[-1]
    keys.key(Qt.Key.Key_F15)  # its repeat key: the last words again
    assert said(w)[-2:] == [last, last]
    keys.key(Qt.Key.Key_F14)  # this keypad's Cancel: back home
    assert w.core.navigator.current.screen == Screen.HOME
