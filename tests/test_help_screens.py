"""呼叫帮办, remote view with consent and the out-of-service screen in the real window (pytest-qt,
offscreen), the help desk's worker on its own thread, its backend the in-memory `Hall` of
test_help (the reference backend's help endpoints come with the hall-console branch)."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from kiosk.devices.status import DeviceStatus, Level, Reason
from kiosk.help import HelpPhase
from kiosk.navigation import Screen
from kiosk.terminal import TerminalState
from protocol.staff import MAX_FRAME_BYTES, HelpState, RemoteView
from screens.qt import QImage, QPoint, QRect, Qt
from screens.remote_view import MASK_COLOR, masked_image, personal_rects
from screens.widgets.chrome import PERSONAL
from test_help import WINDOW, Hall

pytestmark = pytest.mark.gui


@pytest.fixture
def hall():
    return Hall()


@pytest.fixture
def make_window(kiosk_window, make_config, small_catalog_file, hall):
    from wiring import Overrides

    def make(**sections):
        return kiosk_window(make_config(small_catalog_file, **sections),
                            overrides=Overrides(help_adapter=hall))

    return make


def tap(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def screen(w):
    return w.core.navigator.current.screen


def staff_do(qtbot, w, action):
    """Staff act at the console; the terminal's next poll (asked for now) sees it."""
    action()
    w.core.help.poll_now()


def test_the_help_button_is_on_every_citizen_screen_and_not_on_attract(qtbot, make_window):
    w = make_window().window
    assert screen(w) == Screen.ATTRACT and not w.nav.help_button.isVisible()
    tap(qtbot, w.screens[Screen.ATTRACT])
    core = w.core
    routes = [(Screen.HOME, {}), (Screen.SEARCH, {}), (Screen.DEPARTMENT, {"code": "rs"}),
              (Screen.GUIDE, {"item_id": "RS-000001"}), (Screen.PROBLEM, {})]
    for s, params in routes:
        core.navigator.go(s, **params)
        assert screen(w) == s
        assert w.nav.help_button.isVisible(), s
        assert w.nav.help_button.text() == "呼叫帮办"
    core.start_flow("ss.certificate", item_id="RS-000001")
    assert screen(w) == Screen.FLOW and w.nav.help_button.isVisible()
    core.end_session()
    assert screen(w) == Screen.ATTRACT and not w.nav.help_button.isVisible()


def test_call_wait_taken_and_cancel(qtbot, make_window, hall, artifacts):
    k = make_window()
    w, core = k.window, k.core
    tap(qtbot, w.screens[Screen.ATTRACT])
    core.open_guide("RS-000002")
    tap(qtbot, w.nav.help_button)
    qtbot.waitUntil(lambda: core.help.view.phase is HelpPhase.WAITING, timeout=5000)
    (sent,) = hall.raised
    assert (sent.screen, sent.item_id) == ("guide", "RS-000002")
    assert w.help_bar.isVisible() and "已呼叫工作人员" in w.help_bar.text.text()
    assert w.help_bar.action_button.text() == "取消呼叫"
    tap(qtbot, w.nav.help_button)  # one at a time: nothing more is raised
    qtbot.wait(100)
    assert len(hall.raised) == 1
    staff_do(qtbot, w, lambda: hall.take("王芳"))
    qtbot.waitUntil(lambda: core.help.view.phase is HelpPhase.TAKEN, timeout=5000)
    assert w.help_bar.text.text() == "工作人员 王芳 正在赶来"
    w.grab().save(str(artifacts / "help-taken.png"))
    tap(qtbot, w.help_bar.action_button)  # 取消呼叫
    assert not w.help_bar.isVisible()
    qtbot.waitUntil(lambda: hall.requests[hall.only()].state is HelpState.CANCELLED,
                    timeout=5000)
    assert screen(w) == Screen.GUIDE  # the citizen carries on where they were


def test_offline_says_where_to_go(qtbot, make_window, hall, artifacts):
    hall.down = True
    k = make_window()
    w, core = k.window, k.core
    tap(qtbot, w.screens[Screen.ATTRACT])
    tap(qtbot, w.nav.help_button)
    qtbot.waitUntil(lambda: core.help.view.phase is HelpPhase.UNREACHABLE, timeout=5000)
    text = w.help_bar.text.text()
    assert WINDOW in text and "不会丢失" in text
    w.grab().save(str(artifacts / "help-unreachable.png"))
    tap(qtbot, w.help_bar.action_button)  # 知道了
    assert not w.help_bar.isVisible()


def test_no_backend_at_all_says_where_to_go(qtbot, kiosk_window, make_config,
                                            small_catalog_file):
    k = kiosk_window(make_config(small_catalog_file))  # sync off: no help adapter
    w = k.window
    tap(qtbot, w.screens[Screen.ATTRACT])
    tap(qtbot, w.nav.help_button)
    qtbot.waitUntil(lambda: k.core.help.view.phase is HelpPhase.UNREACHABLE, timeout=5000)
    assert WINDOW in w.help_bar.text.text()


def test_the_session_ending_cancels_the_call(qtbot, make_window, hall):
    k = make_window()
    w, core = k.window, k.core
    tap(qtbot, w.screens[Screen.ATTRACT])
    tap(qtbot, w.nav.help_button)
    qtbot.waitUntil(lambda: core.help.view.phase is HelpPhase.WAITING, timeout=5000)
    core.clock.advance(core.session.effective_idle_s + core.session.countdown_s + 2)
    qtbot.waitUntil(lambda: screen(w) == Screen.ATTRACT, timeout=3000)  # walked away
    assert not w.help_bar.isVisible()
    qtbot.waitUntil(lambda: hall.requests[hall.only()].state is HelpState.CANCELLED,
                    timeout=5000)


def jpeg_image(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG"
    return img.convert("RGB")


def test_consent_before_any_frame_then_masked_frames_until_the_citizen_ends_it(
        qtbot, make_window, hall, artifacts):
    k = make_window()
    w, core = k.window, k.core
    tap(qtbot, w.screens[Screen.ATTRACT])
    tap(qtbot, w.nav.help_button)
    qtbot.waitUntil(lambda: core.help.view.phase is HelpPhase.WAITING, timeout=5000)
    staff_do(qtbot, w, lambda: (hall.take("王芳"), hall.ask_view()))
    qtbot.waitUntil(lambda: w.remote_consent.isVisible(), timeout=5000)
    assert w.remote_consent.title.text() == "工作人员请求查看您的屏幕"
    w.grab().save(str(artifacts / "remote-view-consent.png"))
    qtbot.wait(1500)  # a second and more: still nothing may leave before 允许
    assert hall.frames == [] and "help_frame" not in hall.calls
    tap(qtbot, w.remote_consent.allow_button)
    assert not w.remote_consent.isVisible()
    qtbot.waitUntil(lambda: len(hall.frames) >= 2, timeout=6000)  # a frame a second
    assert w.help_bar.share_button.isVisible()
    assert w.help_bar.share_button.text() == "屏幕共享中 · 结束"
    frame = hall.frames[-1][1]
    assert len(frame) <= MAX_FRAME_BYTES
    img = jpeg_image(frame)
    assert img.width <= 720
    w.grab().save(str(artifacts / "remote-view-sharing.png"))
    tap(qtbot, w.help_bar.share_button)  # 结束
    assert not w.help_bar.share_button.isVisible() and not w.remote_view.active
    sent = len(hall.frames)
    qtbot.waitUntil(lambda: hall.requests[hall.only()].remote_view is RemoteView.ENDED,
                    timeout=5000)
    qtbot.wait(1500)
    assert len(hall.frames) == sent


def called_and_asked(qtbot, w, hall):
    """The citizen called staff from the home screen; staff ask to see the screen."""
    tap(qtbot, w.screens[Screen.ATTRACT])
    tap(qtbot, w.nav.help_button)
    qtbot.waitUntil(lambda: w.core.help.view.phase is HelpPhase.WAITING, timeout=5000)
    staff_do(qtbot, w, hall.ask_view)
    qtbot.waitUntil(lambda: w.remote_consent.isVisible(), timeout=5000)


def test_staff_ending_it_and_walking_away_stop_the_frames(qtbot, make_window, hall):
    k = make_window()
    w, core = k.window, k.core
    called_and_asked(qtbot, w, hall)
    tap(qtbot, w.remote_consent.allow_button)
    qtbot.waitUntil(lambda: len(hall.frames) >= 1, timeout=5000)
    staff_do(qtbot, w, hall.end_view)
    qtbot.waitUntil(lambda: not w.help_bar.share_button.isVisible(), timeout=5000)
    assert not w.remote_view.active
    # staff ask again, the citizen allows, then walks away
    staff_do(qtbot, w, hall.ask_view)
    qtbot.waitUntil(lambda: w.remote_consent.isVisible(), timeout=5000)
    tap(qtbot, w.remote_consent.allow_button)
    qtbot.waitUntil(lambda: w.remote_view.active, timeout=5000)
    core.clock.advance(core.session.effective_idle_s + core.session.countdown_s + 2)
    qtbot.waitUntil(lambda: screen(w) == Screen.ATTRACT, timeout=3000)
    assert not w.remote_view.active and not w.remote_consent.isVisible()
    sent = len(hall.frames)
    qtbot.wait(1500)
    assert len(hall.frames) == sent
    assert hall.requests[hall.only()].state is HelpState.CANCELLED


def test_a_refusal_sends_nothing(qtbot, make_window, hall):
    w = make_window().window
    called_and_asked(qtbot, w, hall)
    tap(qtbot, w.remote_consent.refuse_button)
    qtbot.waitUntil(lambda: hall.requests[hall.only()].remote_view is RemoteView.ENDED,
                    timeout=5000)
    qtbot.wait(1200)
    assert hall.frames == [] and not w.remote_consent.isVisible()


def certificate_view():
    from datetime import datetime, timezone

    import protocol as p
    from kiosk.flows.items import CertificateView

    holder = p.Holder(name="张伟", id_number_masked="3204**********1234", gender="male")
    enrolment = p.InsuranceEnrolment(type="pension", status="contributing", start_month="2015-03",
                                     last_paid_month="2026-10", months_paid=140)
    return CertificateView(holder=holder, region="常州市", enrolments=(enrolment,),
                           as_of=datetime(2026, 11, 1, tzinfo=timezone.utc))


def test_a_record_on_screen_is_masked_in_the_frame(qtbot, make_window, artifacts):
    """The window showing a record (the certificate's records view, as the flow screen shows
    it): the holder's name and ID number are painted over in the frame, the rest is not."""
    from screens.flow_views import CertificateRecordsView

    k = make_window()
    w = k.window
    tap(qtbot, w.screens[Screen.ATTRACT])
    view = CertificateRecordsView()
    view.set_view(certificate_view())
    w.stack.addWidget(view)
    w.stack.setCurrentWidget(view)
    qtbot.waitUntil(view.holder.isVisible)
    assert view.holder.property(PERSONAL) and "张伟" in view.holder.text()
    holder_rect = QRect(view.holder.mapTo(w, QPoint(0, 0)), view.holder.size())
    assert holder_rect in personal_rects(w)
    plain = w.grab().toImage()
    masked = masked_image(w)
    masked.save(str(artifacts / "remote-view-masked.png"))

    def colours(image: QImage, rect: QRect) -> set:
        return {image.pixelColor(x, y).rgb() for x in range(rect.left(), rect.right() + 1, 3)
                for y in range(rect.top(), rect.bottom() + 1, 3)}

    assert len(colours(plain, holder_rect)) > 1  # there was text there
    assert colours(masked, holder_rect) == {MASK_COLOR.rgb()}  # nothing of it is left
    # the whole record is personal (amounts, employers, addresses): painted over too
    table = QRect(view.table.mapTo(w, QPoint(0, 0)), view.table.size())
    assert len(colours(plain, table)) > 1 and colours(masked, table) == {MASK_COLOR.rgb()}
    # what tells staff where the citizen is stays as it was: the status and navigation bars
    for bar in (w.status, w.nav):
        rect = QRect(bar.mapTo(w, QPoint(0, 0)), bar.size())
        assert colours(masked, rect) == colours(plain, rect)
    # the same through the JPEG the desk would send: the region stays the mask's grey
    from screens.remote_view import encode_jpeg

    img = jpeg_image(encode_jpeg(masked, width=w.width()))
    inner = holder_rect.adjusted(6, 6, -6, -6)
    for x in range(inner.left(), inner.right(), 7):
        for y in range(inner.top(), inner.bottom(), 7):
            r, g, b = img.getpixel((x, y))
            assert max(abs(r - 90), abs(g - 90), abs(b - 90)) < 24


def test_the_personal_widgets_are_marked(qtbot, make_window):
    k = make_window()
    w = k.window
    flow = w.screens[Screen.FLOW]
    flow.ensure_built()
    panel = flow.identify_panel
    for widget in (flow.who, flow.page_preview, panel.pad.shown, panel.face_page.who,
                   panel.face_page.camera):
        assert widget.property(PERSONAL), widget.objectName()
    from screens import flow_views as v

    for cls in (v.CertificateRecordsView, v.ContributionsRecordsView, v.RealEstateRecordsView,
                v.AccessLogRecordsView, v.ProvidentFundRecordsView):
        assert cls().property(PERSONAL), cls.__name__
    for cls in (v.QueueTicketView, v.GuideSlipView):  # nothing personal on them
        assert not cls().property(PERSONAL), cls.__name__


def test_out_of_service_says_where_and_its_qr_scans(qtbot, make_window, artifacts):
    k = make_window(devices={"id_card_reader": "simulated"})
    w, core = k.window, k.core
    reader = core.id_reader
    tap(qtbot, w.screens[Screen.ATTRACT])
    reader.unplug()
    qtbot.wait(2500)  # the window looks every 2 s: the citizen is not thrown out
    assert screen(w) == Screen.HOME and core.terminal.state is TerminalState.ACTIVE
    tap(qtbot, w.nav.end_button)
    qtbot.waitUntil(lambda: screen(w) == Screen.OUT_OF_SERVICE, timeout=3000)
    oos = w.screens[Screen.OUT_OF_SERVICE]
    assert WINDOW in oos.where.text() and "id_card_reader" in oos.detail.text()
    assert not w.nav.isVisible() and not w.help_bar.isVisible()
    path = artifacts / "out-of-service.png"
    w.grab().save(str(path))
    with Image.open(path) as img:
        assert [c.text for c in zxingcpp.read_barcodes(img)] == ["https://zwfw.example.gov.cn/"]
    reader.plug()
    qtbot.waitUntil(lambda: screen(w) == Screen.ATTRACT, timeout=4000)


def test_tiles_greyed_while_the_backend_is_unreachable_say_why(qtbot, make_window):
    from kiosk.bus import Topic
    from kiosk.sync.worker import LinkState, SyncStatus

    k = make_window()
    w, core = k.window, k.core
    tap(qtbot, w.screens[Screen.ATTRACT])
    home = w.screens[Screen.HOME]
    core.bus.publish(Topic.SYNC_STATUS, SyncStatus(LinkState.OFFLINE))
    qtbot.waitUntil(lambda: any("业务系统暂时无法连接" in b.text() for b in home.tile_buttons),
                    timeout=3000)
    assert core.terminal.state is TerminalState.ACTIVE  # the backend is not required
    core.bus.publish(Topic.SYNC_STATUS, SyncStatus(LinkState.CONNECTED))
    qtbot.waitUntil(lambda: not any("业务系统" in b.text() for b in home.tile_buttons),
                    timeout=3000)
