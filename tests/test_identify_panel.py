"""The identify step's widgets: the panel (card reader, QR scan, number pad), the keyboard-wedge
filter that tells a scan from typing, and the demo simulator that drives them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kiosk.devices.idcard import Fault, IdCardData, SimulatedIdCardReader
from kiosk.devices.scanner import WedgeDetector
from kiosk.devices.status import Level
from kiosk.identity import IdMethod
from protocol import id_check_digit, mask_id_number
from printing.virtual_printer import PrinterState, VirtualPrinter
from screens.main import configure_application
from screens.qt import QApplication, QEvent, QLabel, QLineEdit, QStackedWidget, Qt, QtGui
from screens.theme import STANDARD, stylesheet, theme_for
from screens.widgets.identify import (
    IdentifyPanel,
    card_hint_text,
    card_state_text,
    qr_message_text,
)
from screens.widgets.simulator import DemoSimulatorPanel, card_for, qr_text_for
from screens.widgets.wedge import WedgeFilter, type_as_scanner

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 23)
ID = "32040219850312123" + id_check_digit("32040219850312123")
NAME = "张小明"
ALL = (IdMethod.ID_CARD, IdMethod.QR, IdMethod.MANUAL)


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, s: float) -> None:
        self.t += s


def tap(qtbot, w):
    assert w.isVisible() and w.isEnabled(), w.objectName()
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=w.rect().center())


@pytest.fixture
def app(qapp):
    from screens.i18n import Translations

    configure_application(qapp)
    qapp.setStyleSheet(stylesheet(STANDARD))
    Translations.of(qapp).set_language("en")
    yield qapp
    qapp.setStyleSheet(stylesheet(STANDARD))


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def reader(clock):
    return SimulatedIdCardReader(clock)


def host_for(qtbot, panel, size=(1080, 1300)):
    """The panel inside a stacked widget (the kiosk window's background), at a screen size."""
    host = QStackedWidget()
    host.addWidget(panel)
    qtbot.addWidget(host)
    host.resize(*size)
    host.show()
    qtbot.waitExposed(host)
    panel.test_host = host  # qtbot keeps only a weak reference
    return host


@pytest.fixture
def panel(qtbot, app, reader):
    p = IdentifyPanel(reader, today=TODAY)
    host_for(qtbot, p)
    yield p
    p.stop()


def visible_texts(widget) -> list[str]:
    return [w.text() for w in widget.findChildren(QLabel) + widget.findChildren(QLineEdit)]


def assert_nothing_of(widget, id_number: str, name: str) -> None:
    fragments = {id_number[i:i + 4] for i in range(len(id_number) - 3)}
    fragments.add(mask_id_number(id_number))
    for text in visible_texts(widget):
        for f in fragments:
            assert f not in text, f"{text!r} shows part of the ID number"
        for ch in name:
            assert ch not in text, f"{text!r} shows part of the name"


def card(id_number=ID, name=NAME, valid_until=TODAY + timedelta(days=700)):
    return IdCardData(id_number, name, valid_until)


# -- the card reader -------------------------------------------------------------------------


@pytest.fixture
def watched_panel(qtbot, app, reader):
    """The panel as the kiosk builds it: the card watch polls the reader on its own thread and
    the bus brings what it sees to the UI thread (a queued Qt signal)."""
    from kiosk.bus import Bus
    from kiosk.devices.card_watch import CardWatch
    from screens.bridge import QtPost

    watch = CardWatch(reader, Bus(QtPost()), today=TODAY)
    p = IdentifyPanel(reader, today=TODAY, watch=watch)
    host_for(qtbot, p)
    yield p
    p.stop()
    watch.close()


def test_card_read_identifies_with_the_masked_number(qtbot, watched_panel, reader, clock):
    panel = watched_panel
    panel.start(ALL)
    assert panel.card_code == "id.card.waiting"
    assert panel.prompt.text() == "Please place your ID card on the reader"
    assert panel.illustration.isVisible() and panel.qr_row.isVisible()
    assert panel.manual_button.isVisible() and not panel.pad.isVisible()
    reader.place(card())
    qtbot.waitUntil(lambda: panel.card_code == "id.card.reading")  # the watch thread polls
    assert panel.card_state.text() == card_state_text("id.card.reading")
    assert panel.illustration._on_reader
    clock.advance(reader.read_s)
    with qtbot.waitSignal(panel.identified, timeout=2000) as got:
        pass
    identity = got.args[0]
    assert identity.method is IdMethod.ID_CARD
    assert identity.masked == mask_id_number(ID) == "3204**********" + ID[-4:]
    assert identity.name == NAME
    assert panel.card_code == "id.card.ok" and not panel.active
    assert not panel.watch.active  # read once: the watch stopped looking
    assert_nothing_of(panel, ID, NAME)  # the panel never shows who it was


def test_card_removed_mid_read_says_what_to_do_then_a_retry_works(qtbot, panel, reader, clock):
    panel.start(ALL)
    got = []
    panel.identified.connect(got.append)
    reader.place(card())
    panel.poll()
    clock.advance(0.3)
    reader.remove()
    panel.poll()
    assert panel.card_code == "id.card.removed_during_read"
    assert panel.card_state.text() == card_state_text("id.card.removed_during_read")
    assert panel.card_hint.text() == "Please place the card steadily, do not move it, and try again."
    assert panel.card_box.isVisible() and not got
    reader.place(card())
    panel.poll()
    assert panel.card_code == "id.card.reading"
    clock.advance(reader.read_s)
    panel.poll()
    assert len(got) == 1 and got[0].masked == mask_id_number(ID)


def test_expired_card_is_refused(qtbot, panel, reader, clock):
    panel.start(ALL)
    got = []
    panel.identified.connect(got.append)
    reader.place(card(valid_until=TODAY - timedelta(days=1)))
    panel.poll()
    clock.advance(reader.read_s)
    panel.poll()
    assert panel.card_code == "id.card.expired" and not got and panel.active
    assert panel.card_state.text() == "This ID card has expired"
    assert "staffed window" in panel.card_hint.text()


@pytest.mark.parametrize("fault, code", [
    (Fault.PARTIAL, "id.card.partial_read"),
    (Fault.UNREADABLE, "id.card.unreadable"),
    (Fault.TIMEOUT, "id.card.timeout"),
])
def test_each_read_failure_in_plain_words(qtbot, panel, reader, clock, fault, code):
    panel.start(ALL)
    reader.fail_next_read(fault)
    reader.place(card())
    panel.poll()
    clock.advance(reader.timeout_s)
    panel.poll()
    assert panel.card_code == code
    assert panel.card_state.text() == card_state_text(code) != ""
    assert panel.card_hint.text() == card_hint_text(code, manual=True, qr=True) != ""
    assert panel.active


def test_unplugged_reader_offers_the_pad_and_recovers(qtbot, panel, reader, clock):
    panel.start(ALL)
    assert not panel.pad.isVisible()
    reader.unplug()
    panel.poll()
    assert panel.card_code == "id.card.reader_offline"
    assert panel.card_state.text() == "The card reader is not working"
    assert panel.pad.isVisible() and panel.pad_visible
    assert panel.prompt.text() == "Please type your ID number"
    reader.plug()
    panel.poll()
    assert panel.card_code == "id.card.waiting"
    assert panel.pad.isVisible()  # not taken away from someone typing
    reader.place(card())
    panel.poll()
    clock.advance(reader.read_s)
    with qtbot.waitSignal(panel.identified, timeout=1000):
        panel.poll()


def test_no_reader_says_so_and_offers_the_pad(qtbot, app):
    panel = IdentifyPanel(None, today=TODAY)
    host_for(qtbot, panel)
    panel.start(ALL)
    assert panel.card_code == "id.card.reader_offline"
    assert panel.card_box.isVisible() and panel.pad.isVisible()
    assert panel.card_hint.text() == card_hint_text("id.card.reader_offline", True, True)
    assert not panel.illustration.isVisible()
    panel.stop()


def test_only_the_allowed_methods_show(qtbot, panel, reader):
    panel.start((IdMethod.MANUAL,))
    assert panel.pad.isVisible()
    assert not panel.card_box.isVisible() and not panel.illustration.isVisible()
    assert not panel.qr_row.isVisible() and not panel.manual_button.isVisible()
    assert panel.prompt.text() == "Please type your ID number"
    assert repr(reader).startswith("SimulatedIdCardReader(armed=False")
    panel.start((IdMethod.ID_CARD,))
    assert not panel.pad.isVisible() and not panel.manual_button.isVisible()
    assert not panel.qr_row.isVisible() and panel.illustration.isVisible()
    panel.start((IdMethod.QR,))
    assert panel.prompt.text() == "Please show your electronic ID QR code"
    assert panel.qr_row.isVisible() and not panel.pad.isVisible()


# -- QR codes and the number pad ---------------------------------------------------------------


def test_qr_scan_identifies(qtbot, panel):
    panel.start(ALL)
    with qtbot.waitSignal(panel.identified) as got:
        panel.scan(f"sfzh={ID}")
    assert got.args[0].method is IdMethod.QR and got.args[0].masked == mask_id_number(ID)
    assert not panel.active
    panel.scan(f"sfzh={ID}")  # a second scan after identifying is ignored


def test_qr_that_is_no_id_gets_a_plain_message(qtbot, panel):
    panel.start(ALL)
    got = []
    panel.identified.connect(got.append)
    panel.scan("https://pay.example.cn/qr/8f3a2c")
    assert panel.qr_code == "id.qr.unrecognised" and not got
    assert panel.qr_message.isVisible()
    assert panel.qr_message.text() == qr_message_text("id.qr.unrecognised")
    panel.scan(ID[:-1] + ("1" if ID[-1] != "1" else "2"))  # a typo'd number
    assert panel.qr_code == "id.bad_check_digit"
    assert "not valid" in panel.qr_message.text()
    panel.start((IdMethod.ID_CARD, IdMethod.MANUAL))
    assert not panel.qr_message.isVisible()
    panel.scan(ID)
    assert panel.qr_code == "id.method_not_allowed" and not got


def test_a_verified_item_refuses_a_qr_code_that_only_carries_a_number(qtbot, panel):
    """For an item that shows personal data the pad is not offered (the engine's view leaves
    it out) and a QR code with a bare number opens nothing; under attended mode both serve."""
    panel.start((IdMethod.ID_CARD, IdMethod.QR), verified=True)
    assert panel.verified and not panel.pad.isVisible() and not panel.manual_button.isVisible()
    # this panel has no face check: the card is not offered, the e-credential is
    assert panel.card_code == "id.card.no_face_check"
    assert panel.prompt.text() == ("Please show the e-credential QR code from your government "
                                   "services app")
    got = []
    panel.identified.connect(got.append)
    panel.scan(f"sfzh={ID}")
    assert panel.qr_code == "id.not_verified" and not got and panel.active
    assert panel.qr_message.text() == qr_message_text("id.not_verified")
    assert_nothing_of(panel, ID, NAME)
    panel.start(ALL, verified=True, attended=True)
    assert not panel.verified
    panel.scan(f"sfzh={ID}")
    assert len(got) == 1 and got[0].method is IdMethod.QR and not got[0].verified


@pytest.fixture
def face_panel(qtbot, app, reader, clock):
    """A panel with the face check (a watch without a thread on the test's clock)."""
    from kiosk.bus import Bus
    from kiosk.devices.face import SimulatedCamera, SimulatedFaceVerifier
    from kiosk.devices.face_watch import FaceWatch

    camera = SimulatedCamera(clock, fps=10)
    watch = FaceWatch(camera, SimulatedFaceVerifier(), Bus(), clock=clock, look_s=0.5,
                      timeout_s=3.0, thread=False)
    p = IdentifyPanel(reader, today=TODAY, face_watch=watch)
    host_for(qtbot, p)
    p.camera = camera
    yield p
    p.stop()


def read_card_then_face(panel, reader, clock, until, seconds=5.0):
    for _ in range(int(seconds * 10)):
        panel.poll()
        if until():
            return
        clock.advance(0.1)
    raise AssertionError(repr(panel))


def test_a_card_for_a_verified_item_goes_on_to_the_face_check(qtbot, face_panel, reader,
                                                             clock):
    from kiosk.devices.face import SimMode

    face_panel.start((IdMethod.ID_CARD, IdMethod.QR), verified=True)
    assert face_panel.card_code == "id.card.waiting"
    assert "look at the camera" in face_panel.card_hint.text()
    got = []
    face_panel.identified.connect(got.append)
    reader.place(card())
    read_card_then_face(face_panel, reader, clock, lambda: face_panel.face_active)
    assert face_panel.face_page.isVisible() and not got
    assert face_panel.face_page.who.text() == f"ID: {mask_id_number(ID)}"
    read_card_then_face(face_panel, reader, clock, lambda: bool(got))
    (ident,) = got
    assert ident.verified and ident.verification.method.value == "card_face"
    assert not face_panel.face_active and not face_panel.active
    assert not face_panel.camera.armed  # released
    assert_nothing_of(face_panel, ID, NAME)
    # someone else's card: the face page says so; "another way" goes back, wiping it
    face_panel.camera.mode = SimMode.MISMATCH
    face_panel.start((IdMethod.ID_CARD, IdMethod.QR), verified=True)
    reader.remove()
    reader.place(card())
    read_card_then_face(face_panel, reader, clock, lambda: face_panel.face_code == "face.mismatch")
    page = face_panel.face_page
    assert page.retry_button.isVisible() and page.headline.text() == \
        "Your face does not match the photo on the card"
    checked = face_panel.face_watch._check
    tap(qtbot, page.other_button)
    assert not face_panel.face_active and face_panel.card_code == "id.card.waiting"
    assert checked._identity is None and checked._photo is None
    assert_nothing_of(face_panel, ID, NAME)


def test_stop_during_the_face_check_leaves_nothing(qtbot, face_panel, reader, clock):
    face_panel.start((IdMethod.ID_CARD,), verified=True)
    reader.place(card())
    read_card_then_face(face_panel, reader, clock, lambda: face_panel.face_active)
    check = face_panel.face_watch._check
    face_panel.stop()
    assert not face_panel.face_active and face_panel.face_page.who.text() == ""
    assert check._identity is None and check._photo is None and not face_panel.camera.armed
    assert not face_panel.face_page.camera.has_picture
    assert_nothing_of(face_panel, ID, NAME)


def test_attended_mode_skips_the_face_check(qtbot, face_panel, reader, clock):
    face_panel.start(ALL, verified=True, attended=True)
    got = []
    face_panel.identified.connect(got.append)
    reader.place(card())
    read_card_then_face(face_panel, reader, clock, lambda: bool(got))
    assert not face_panel.camera.started  # the member of staff confirms the card
    assert not got[0].verified  # the engine verifies it "attended" with the staff id


def test_manual_entry_through_the_pad(qtbot, panel):
    panel.start(ALL)
    tap(qtbot, panel.manual_button)
    assert panel.pad.isVisible() and not panel.illustration.isVisible()
    assert panel.manual_button.text() == "Use the ID card instead"
    for ch in ID:
        tap(qtbot, panel.pad.keys[ch])
    with qtbot.waitSignal(panel.identified) as got:
        tap(qtbot, panel.pad.confirm_button)
    assert got.args[0].method is IdMethod.MANUAL and got.args[0].masked == mask_id_number(ID)
    assert panel.pad.shown.text() == "—"


def test_hiding_the_pad_forgets_what_was_typed(qtbot, panel):
    panel.start(ALL)
    tap(qtbot, panel.manual_button)
    for ch in ID[:6]:
        tap(qtbot, panel.pad.keys[ch])
    tap(qtbot, panel.manual_button)
    assert not panel.pad.isVisible() and panel.illustration.isVisible()
    assert panel.pad.entry.length == 0


def test_stop_leaves_nothing_of_the_citizen(qtbot, panel, reader, clock):
    panel.start(ALL)
    tap(qtbot, panel.manual_button)
    for ch in ID[:12]:
        tap(qtbot, panel.pad.keys[ch])
    panel.scan(ID[:-1] + ("1" if ID[-1] != "1" else "2"))
    reader.place(card(valid_until=TODAY - timedelta(days=1)))
    panel.poll()
    clock.advance(reader.read_s)
    panel.poll()
    assert panel.pad.shown.text().startswith(ID[:4])  # mid-entry: the start is shown
    panel.stop()
    assert_nothing_of(panel, ID, NAME)
    assert panel.pad.entry.length == 0 and not panel.active
    assert panel.card_code == "" and panel.qr_code == ""
    assert all(not t for t in (panel.card_state.text(), panel.card_hint.text(),
                               panel.qr_message.text()))
    assert not panel.watch.active  # the reader is no longer watched
    assert repr(reader).startswith("SimulatedIdCardReader(armed=False")
    # and it starts afresh
    reader.remove()
    panel.start(ALL)
    assert panel.card_code == "id.card.waiting" and not panel.pad.isVisible()


def test_retranslate_keeps_the_state(qtbot, panel, reader):
    panel.start(ALL)
    reader.unplug()
    panel.poll()
    before = panel.card_state.text()
    panel.retranslate()
    assert panel.card_state.text() == before and panel.pad.isVisible()


def test_chinese_words_once_the_translation_is_merged(qtbot, panel):
    from screens.i18n import Translations
    from screens.qt import translate

    Translations.of(QApplication.instance()).set_language("zh_CN")
    try:
        if translate("IdentifyPanel", "Please place your ID card on the reader") == \
                "Please place your ID card on the reader":
            pytest.skip("the IdentifyPanel strings are not in kiosk_zh_CN.ts yet")
        panel.start(ALL)
        panel.retranslate()
        assert panel.prompt.text() == "请将身份证放在感应区"
        assert panel.qr_line.text() == "或出示电子证照二维码（对准扫码口）"
        assert panel.manual_button.text() == "手动输入身份证号"
    finally:
        Translations.of(QApplication.instance()).set_language("en")


# -- the keyboard wedge -------------------------------------------------------------------------


@pytest.fixture
def wedge(app):
    f = WedgeFilter()
    f.install(app)
    yield f
    f.uninstall()


@pytest.fixture
def edit(qtbot, app):
    e = QLineEdit()
    qtbot.addWidget(e)
    e.show()
    qtbot.waitExposed(e)
    e.setFocus()  # the window's focus widget; QTest sends its keys to the edit itself
    return e


def test_a_scanner_burst_is_one_scan_and_types_nothing(qtbot, wedge, edit):
    scans = []
    wedge.scanned.connect(scans.append)
    returns = []
    edit.returnPressed.connect(lambda: returns.append(1))
    typing = type_as_scanner(f"sfzh={ID}", target=edit.windowHandle())  # as a keyboard's
    qtbot.waitUntil(lambda: len(scans) == 1, timeout=3000)
    assert typing.done
    qtbot.wait(150)  # past the hold window: nothing leaks out afterwards
    assert scans == [f"sfzh={ID}"]
    assert edit.text() == "" and not returns and not wedge.holding


def test_slow_typing_reaches_the_focused_field_unchanged(qtbot, wedge, edit):
    scans = []
    wedge.scanned.connect(scans.append)
    qtbot.keyClicks(edit, "Ab1 x9", delay=120)
    qtbot.waitUntil(lambda: edit.text() == "Ab1 x9", timeout=2000)
    returns = []
    edit.returnPressed.connect(lambda: returns.append(1))
    qtbot.keyClick(edit, Qt.Key.Key_Return, delay=120)
    assert returns == [1] and not scans


def test_fast_typing_keeps_order_with_other_keys(qtbot, app, edit):
    t = Clock()
    f = WedgeFilter(WedgeDetector(), clock=t)
    f.install(app)
    try:
        for ch in "1234":  # fast, but no Enter: a person (or a rollover) after all
            t.advance(0.010)
            qtbot.keyClick(edit, ch)
        assert edit.text() == "" and f.holding
        t.advance(0.010)
        qtbot.keyClick(edit, Qt.Key.Key_Backspace)  # releases the held keys first
        assert edit.text() == "123"
        for ch in "56":
            t.advance(0.010)
            qtbot.keyClick(edit, ch)
        returns = []
        edit.returnPressed.connect(lambda: returns.append(1))
        t.advance(0.010)
        qtbot.keyClick(edit, Qt.Key.Key_Return)  # too short for a scan: typing, then Enter
        assert edit.text() == "12356" and returns == [1]
        qtbot.keyClick(edit, "7")
        t.advance(0.5)
        qtbot.waitUntil(lambda: edit.text() == "123567", timeout=1000)  # the hold timer
    finally:
        f.uninstall()


def test_a_burst_on_an_injected_clock(qtbot, app, edit):
    t = Clock()
    f = WedgeFilter(clock=t)
    f.install(app)
    scans = []
    f.scanned.connect(scans.append)
    try:
        for ch in ID:
            t.advance(0.004)
            qtbot.keyClick(edit, ch)
        t.advance(0.004)
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert scans == [ID] and edit.text() == ""
    finally:
        f.uninstall()
    assert not f.installed
    qtbot.keyClick(edit, "5")  # uninstalled: keys go straight through
    assert edit.text() == "5"


def test_uninstall_drops_half_a_scan(qtbot, app, edit):
    t = Clock()
    f = WedgeFilter(clock=t)
    f.install(app)
    for ch in "3204":
        t.advance(0.004)
        qtbot.keyClick(edit, ch)
    f.uninstall()
    qtbot.wait(150)
    assert edit.text() == "" and not f.holding


def test_scanner_to_panel_end_to_end(qtbot, panel, wedge):
    """A scan typed as keystrokes, through the application's event delivery, identifies."""
    search = QLineEdit()  # a field with focus elsewhere on the screen must stay empty
    panel.layout().addWidget(search)
    search.setFocus()
    wedge.scanned.connect(panel.scan)
    panel.start(ALL)
    with qtbot.waitSignal(panel.identified, timeout=3000) as got:
        type_as_scanner(ID)
    assert got.args[0].method is IdMethod.QR and got.args[0].masked == mask_id_number(ID)
    qtbot.wait(150)
    assert search.text() == ""


# -- the demo simulator ---------------------------------------------------------------------------


def demo():
    from backend.seed import DEMO_CITIZENS

    return DEMO_CITIZENS


def test_simulator_buttons_drive_the_reader_and_the_printer(qtbot, panel, reader, clock, artifacts):
    scans = []
    printer = VirtualPrinter()  # not started: only its scripted state is used
    sim = DemoSimulatorPanel(reader, scans.append, printer, today=TODAY)
    qtbot.addWidget(sim)
    assert not sim.isVisible()
    sim.toggle()
    assert sim.isVisible()
    qtbot.waitExposed(sim)
    assert sim.windowFlags() & Qt.WindowType.Tool
    assert sim.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    zhang = demo()[0]

    panel.start(ALL)
    got = []
    panel.identified.connect(got.append)
    tap(qtbot, sim.buttons["card_0"])
    panel.poll()
    assert panel.card_code == "id.card.reading"
    clock.advance(reader.read_s)
    panel.poll()
    assert len(got) == 1 and got[0].id_number == zhang.id_number and got[0].name == zhang.name
    assert zhang.name in sim.status.text()

    panel.start(ALL)  # the card still lies there, already read
    tap(qtbot, sim.buttons["remove"])
    tap(qtbot, sim.buttons["fail_unreadable"])
    tap(qtbot, sim.buttons["card_1"])
    clock.advance(reader.read_s)
    panel.poll()
    assert panel.card_code == "id.card.unreadable"
    tap(qtbot, sim.buttons["expired"])
    clock.advance(reader.read_s)
    panel.poll()
    assert panel.card_code == "id.card.expired"
    tap(qtbot, sim.buttons["unplug"])
    assert reader.status().level is Level.OFFLINE
    panel.poll()
    assert panel.card_code == "id.card.reader_offline"
    tap(qtbot, sim.buttons["plug"])
    assert reader.status().usable

    tap(qtbot, sim.buttons["qr_2"])
    assert scans == [qr_text_for(demo()[2].id_number)]
    tap(qtbot, sim.buttons["qr_not_id"])
    panel.scan(scans[-1])
    assert panel.qr_code == "id.qr.unrecognised"

    for name, state in (("paper_out", PrinterState.PAPER_OUT),
                        ("cover_open", PrinterState.COVER_OPEN),
                        ("paper_low", PrinterState.PAPER_NEAR_END),
                        ("printer_ok", PrinterState.OK)):
        tap(qtbot, sim.buttons[name])
        assert printer.state is state
    sim.grab().save(str(artifacts / "demo-simulator.png"))
    sim.toggle()
    assert not sim.isVisible()


def test_simulator_face_buttons_put_someone_before_the_camera(qtbot, face_panel, reader,
                                                             clock, artifacts):
    from kiosk.devices.face import SimMode

    sim = DemoSimulatorPanel(reader, lambda _t: None, None, today=TODAY,
                             camera=face_panel.camera)
    qtbot.addWidget(sim)
    sim.toggle()
    qtbot.waitExposed(sim)
    for name, mode in (("face_mismatch", SimMode.MISMATCH), ("face_spoof", SimMode.SPOOF),
                       ("face_none", SimMode.NO_FACE), ("camera_offline", SimMode.CAMERA_OFFLINE),
                       ("face_match", SimMode.MATCH)):
        tap(qtbot, sim.buttons[name])
        assert face_panel.camera.mode is mode and mode.value in sim.status.text()
    sim.grab().save(str(artifacts / "demo-simulator-camera.png"))
    # someone else before the camera, then the holder: the second try passes
    tap(qtbot, sim.buttons["face_mismatch"])
    face_panel.start((IdMethod.ID_CARD,), verified=True)
    got = []
    face_panel.identified.connect(got.append)
    tap(qtbot, sim.buttons["card_0"])
    read_card_then_face(face_panel, reader, clock,
                        lambda: face_panel.face_code == "face.mismatch")
    tap(qtbot, sim.buttons["face_match"])
    tap(qtbot, face_panel.face_page.retry_button)
    read_card_then_face(face_panel, reader, clock, lambda: bool(got))
    assert got[0].verified and got[0].id_number == demo()[0].id_number
    # a simulator without a camera has no face buttons
    plain = DemoSimulatorPanel(reader, lambda _t: None, None, today=TODAY)
    qtbot.addWidget(plain)
    assert "face_match" not in plain.buttons


def test_simulator_cards_are_valid_and_the_qr_text_is_accepted():
    from kiosk.identity import identity_from_qr

    for c in demo():
        data = card_for(c, TODAY)
        assert data.valid_until is None or data.valid_until > TODAY
        assert identity_from_qr(qr_text_for(c.id_number), today=TODAY).id_number == c.id_number


def test_simulator_without_reader_or_printer(qtbot, app):
    scans = []
    sim = DemoSimulatorPanel(None, scans.append, today=TODAY)
    qtbot.addWidget(sim)
    assert not sim.buttons["card_0"].isEnabled() and not sim.buttons["unplug"].isEnabled()
    assert "paper_out" not in sim.buttons
    sim.scan_qr(demo()[0])
    assert scans == [qr_text_for(demo()[0].id_number)]


def test_simulator_scan_types_into_the_kiosk_end_to_end(qtbot, panel, reader, wedge):
    sim = DemoSimulatorPanel(reader, type_as_scanner, today=TODAY)
    qtbot.addWidget(sim)
    sim.toggle()
    qtbot.waitExposed(sim)
    wedge.scanned.connect(panel.scan)
    panel.start(ALL)
    panel.window().activateWindow()
    with qtbot.waitSignal(panel.identified, timeout=3000) as got:
        tap(qtbot, sim.buttons["qr_3"])
    assert got.args[0].id_number == demo()[3].id_number and got.args[0].method is IdMethod.QR


# -- what it looks like ------------------------------------------------------------------------------


def touch_targets(panel):
    from screens.qt import QPushButton

    return [b for b in panel.findChildren(QPushButton) if b.isVisible()]


def fits(panel) -> None:
    """Nothing clipped: no scrolling needed, every wrapped label as tall as its text."""
    assert panel.scroll.verticalScrollBar().maximum() == 0, "the panel needs scrolling"
    for w in panel.findChildren(QLabel):
        if w.isVisible() and w.wordWrap() and w.text():
            assert w.heightForWidth(w.width()) <= w.height() + 1, w.text()
    for b in touch_targets(panel):
        assert b.height() >= 64 and b.width() >= 64, b.objectName()


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_screenshots_portrait(qtbot, app, reader, clock, artifacts, elder):
    QApplication.instance().setStyleSheet(stylesheet(theme_for(elder)))
    panel = IdentifyPanel(reader, today=TODAY)
    host = host_for(qtbot, panel, (1080, 1300))
    name = "elder" if elder else "standard"
    panel.start(ALL)
    qtbot.wait(10)
    fits(panel)
    host.grab().save(str(artifacts / f"identify-{name}.png"))

    reader.place(card())
    clock.advance(0.2)
    panel.poll()
    reader.remove()
    panel.poll()
    panel.scan("https://pay.example.cn/qr/8f3a2c")
    qtbot.wait(10)
    fits(panel)
    host.grab().save(str(artifacts / f"identify-{name}-failure.png"))

    tap(qtbot, panel.manual_button)
    for ch in ID[:7]:
        tap(qtbot, panel.pad.keys[ch])
    qtbot.wait(10)
    fits(panel)
    assert panel.pad.isVisible() and panel.prompt.isVisible()
    host.grab().save(str(artifacts / f"identify-{name}-pad.png"))

    reader.unplug()
    panel.poll()
    qtbot.wait(10)
    fits(panel)
    host.grab().save(str(artifacts / f"identify-{name}-offline.png"))
    panel.stop()
    assert_nothing_of(panel, ID, NAME)


def test_screenshot_landscape_side_by_side(qtbot, app, reader, artifacts):
    panel = IdentifyPanel(reader, today=TODAY)
    host = host_for(qtbot, panel, (1920, 1000))
    panel.start(ALL)
    qtbot.wait(10)
    assert panel.pad.isVisible() and panel.illustration.isVisible()
    assert not panel.manual_button.isVisible()
    assert panel.pad.geometry().left() > panel.methods_column.geometry().right()
    fits(panel)
    host.grab().save(str(artifacts / "identify-landscape.png"))
    panel.stop()


def test_key_events_of_other_kinds_pass_untouched(qtbot, wedge, edit):
    edit.setText("abc")
    edit.setCursorPosition(3)
    qtbot.keyClick(edit, Qt.Key.Key_Left)
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    assert edit.selectedText() == "abc" and not wedge.holding
    ev = QtGui.QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_F12, Qt.KeyboardModifier.NoModifier)
    assert not wedge.eventFilter(edit, ev)

