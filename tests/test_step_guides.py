"""操作指引 (issue 12 part 5, docs/decisions/0034): every item's guide derived from its flow,
illustrations that render, the screen's slides (forward, back, by themselves, spoken), the way
back to where the citizen was, and a real video played through QtMultimedia with the slides as
its fallback."""

from __future__ import annotations

import pytest

from kiosk.flows.engine import StepKind
from kiosk.flows.items import ITEMS, ItemRegistry
from kiosk.guides import CAPTIONS, GuideLibrary, Illustration, derive_slides, illustration_path
from kiosk.navigation import Screen
from screens.qt import Qt
from wiring import Overrides

from test_voice import RecordingEngine, RecordingPlayer


def tap(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


# -- the guides, Qt-free ------------------------------------------------------------------


def test_every_item_has_a_guide_derived_from_its_flow():
    registry = ItemRegistry()
    library = GuideLibrary(registry, registry.flows)
    assert set(library.item_ids()) == {spec.id for spec in ITEMS}
    for spec in ITEMS:
        guide = library.guide(spec.id)
        assert len(guide.slides) >= 3, spec.id
        kinds = [s.step for s in guide.slides if s.step is not None]
        # in the flow's order, and only steps the citizen acts on
        order = [s.kind for s in registry.flows[spec.id].steps]
        assert kinds == sorted(kinds, key=order.index), spec.id
        assert StepKind.QUERY not in kinds and StepKind.DONE not in kinds
        for slide in guide.slides:
            assert slide.caption and illustration_path(slide.illustration).is_file()
    cert = [s.illustration for s in library.guide("ss.certificate").slides]
    assert cert == [Illustration.ID_CARD, Illustration.FACE, Illustration.PHONE_CODE,
                    Illustration.CONFIRM, Illustration.CONFIRM, Illustration.TAKE_A4,
                    Illustration.RATE]
    # the item's own words where the generic ones are not enough
    queue = library.guide("queue.ticket").slides
    assert [s.illustration for s in queue] == [Illustration.TOUCH, Illustration.TAKE_TICKET,
                                               Illustration.RATE]
    assert queue[0].caption != CAPTIONS["choose"]
    slip = [s.illustration for s in library.guide("guide.slip").slides]
    assert slip == [Illustration.CONFIRM, Illustration.TAKE_RECEIPT, Illustration.SCAN_QR,
                    Illustration.RATE]


def test_without_a_face_check_the_card_is_not_offered_for_personal_items():
    registry = ItemRegistry()
    slides = derive_slides(registry.flows["ss.certificate"], registry.get("ss.certificate"),
                           card_verifies=False)
    assert slides[0].illustration is Illustration.PHONE_CODE
    assert not slides[0].caption.startswith("Or")
    assert Illustration.ID_CARD not in [s.illustration for s in slides]


def test_videos_are_resolved_and_a_failure_is_kept_once(tmp_path, caplog):
    registry = ItemRegistry()
    (tmp_path / "v.mp4").write_bytes(b"x")
    library = GuideLibrary(registry, registry.flows, base_dir=tmp_path,
                           videos={"ss.certificate": "v.mp4", "yb.account": "gone.mp4",
                                   "ss.nothing": "x.mp4"})
    assert library.playable_video("ss.certificate") == tmp_path / "v.mp4"
    assert library.playable_video("yb.account") is None  # missing: the slides
    assert library.playable_video("yb.account") is None
    library.video_failed(tmp_path / "v.mp4", "InvalidMedia")
    library.video_failed(tmp_path / "v.mp4", "InvalidMedia")
    assert library.playable_video("ss.certificate") is None
    assert library.problems() == {"ss.certificate": "InvalidMedia", "yb.account": "missing",
                                  "ss.nothing": "unknown item"}
    assert sum("cannot be played" in r.getMessage() for r in caplog.records) == 2  # once each
    from kiosk.maintenance_checks import guide_video_check

    assert guide_video_check(None).level == "absent"
    fine = GuideLibrary(registry, registry.flows, base_dir=tmp_path,
                        videos={"ss.certificate": "v.mp4"})
    assert (guide_video_check(fine).level, guide_video_check(fine).params) == ("ok", {"total": 1})


def test_a_slide_stays_as_long_as_its_caption_takes_to_say():
    from kiosk.guides import dwell_s

    assert dwell_s("点击。", 8) == 8.0  # short: the configured time
    long_zh = "将身份证平放在读卡区，读取完成前不要移开。" * 2  # 38 syllables at 150 a minute
    assert dwell_s(long_zh, 8) == pytest.approx(38 * 60 / 150 + 1)
    long_en = " ".join(["word"] * 30)
    assert dwell_s(long_en, 8, rate_wpm=100) == pytest.approx(30 * 60 / 100 + 1)


def test_config_refuses_unknown_items_and_non_videos(make_config):
    from kiosk.config import ConfigError

    with pytest.raises(ConfigError, match="not an item id"):
        make_config(guides={"videos": {"Certificate": "a.mp4"}})
    with pytest.raises(ConfigError, match="not a video file"):
        make_config(guides={"videos": {"ss.certificate": "a.txt"}})
    with pytest.raises(ConfigError, match="slide_s"):
        make_config(guides={"slide_s": 1})


# -- illustrations -------------------------------------------------------------------------


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_every_illustration_renders_crisply_and_not_blank(qapp, elder, artifacts):
    from screens.qt import QColor, QImage, QPainter
    from screens.step_guide import render_illustration
    from screens.theme import theme_for

    theme = theme_for(elder)
    sheet = QImage(5 * 400, 2 * 300, QImage.Format.Format_RGB32)
    painter = QPainter(sheet)
    for i, illustration in enumerate(Illustration):
        image = render_illustration(illustration, theme, 400, 300)
        surface = QColor(theme.surface).rgb()
        ink = {QColor(theme.text).rgb(): 0, QColor(theme.primary).rgb(): 0}
        other = 0
        for y in range(0, 300, 2):
            for x in range(0, 400, 2):
                px = image.pixel(x, y)
                if px in ink:
                    ink[px] += 1
                elif px != surface:
                    other += 1
        # both the lines (text colour) and what to act on (primary colour) are drawn, in
        # solid colours (the anti-aliased edges are a small part)
        assert all(n > 150 for n in ink.values()), (illustration, ink)
        assert other < sum(ink.values()), (illustration, ink, other)
        painter.drawImage((i % 5) * 400, (i // 5) * 300, image)
    painter.end()
    sheet.save(str(artifacts / f"step-guide-illustrations-{'elder' if elder else 'standard'}.png"))


# -- the screen ----------------------------------------------------------------------------

DEVICES = {"id_card_reader": "simulated", "camera": "simulated", "face_verifier": "simulated"}


class UntouchedRecords:
    """A records port for an item whose guide is looked at before identifying: nothing here
    reaches it (a call would be a bug: it fails loudly)."""

    def __getattr__(self, name):
        raise AssertionError(f"records.{name} called while reading a guide")


@pytest.fixture
def guided(kiosk_window, make_config, small_catalog_file, tmp_path):
    """The whole kiosk (composition root) with 语音 on through a recording engine and player,
    the simulated card reader and face check (so the guides show the ID card)."""
    def make(*, orientation=None, **sections):
        engine, player = RecordingEngine(), RecordingPlayer()
        # printers the items can start with (the virtual ones: nothing is printed here)
        printing = {"receipt": {"driver": "virtual", "port": 0},
                    "document": {"driver": "virtual", "folder": str(tmp_path / "a4")}}
        sections = {"voice": {"enabled": True}, "devices": DEVICES, "printing": printing,
                    **sections}
        config = make_config(small_catalog_file, **sections)
        kiosk = kiosk_window(config, orientation=orientation, overrides=Overrides(
            voice_engine=engine, voice_player=player, records=UntouchedRecords()))
        return kiosk.window

    return make


def said(window):
    return [t for t, _lang, _kind in window.core.services.voice.history]


def shot_clipped(window, qtbot, path, elder):
    """Saves the window once laid out, and returns the texts it clips (kiosk/a11y.py)."""
    from a11y_helpers import measure

    qtbot.wait(60)  # (wrapping buttons settle their height after a change of words)
    window.grab().save(str(path))
    report = measure(window, window.geometry_mm, elder, where="step_guide")
    return [p for p in report.problems if "step_guide" in p and "clipped" in p]


def test_the_guide_walks_forward_back_and_by_itself_speaks_and_returns(qtbot, guided,
                                                                        artifacts):
    w = guided(guides={"slide_s": 3}, voice={"enabled": True, "rate": 300})
    core = w.core
    core.start_flow("ss.certificate", item_id="RS-000001")
    flow = w.screens[Screen.FLOW]
    qtbot.waitUntil(lambda: flow.pages.currentWidget() is flow.page["identify"], timeout=3000)
    assert flow.howto.isVisible() and flow.howto.text() == "操作指引"
    run = core.flow_run
    tap(qtbot, flow.howto)
    assert core.navigator.current.screen == Screen.STEP_GUIDE
    guide = w.screens[Screen.STEP_GUIDE]
    slides = guide.slides
    assert len(slides) == 7 and guide.index == 0 and guide.mode == "slides"
    assert guide.progress.text() == "第 1 步，共 7 步"
    assert guide.caption.text() == said(w)[-1]  # the caption is said as the slide shows
    assert "身份证" in guide.caption.text()
    assert shot_clipped(w, qtbot, artifacts / "step-guide-1.png", False) == []
    tap(qtbot, guide.next_button)
    assert guide.index == 1 and "摄像头" in guide.caption.text()
    assert said(w)[-1] == guide.caption.text()
    assert shot_clipped(w, qtbot, artifacts / "step-guide-2.png", False) == []
    tap(qtbot, guide.previous_button)
    assert guide.index == 0 and said(w)[-1] == guide.caption.text()
    # by itself: the next slide after slide_s (or as long as its caption takes to say: 12
    # syllables at 300 a minute and a second, 3.4 s), said too
    for _ in range(4):
        tap(qtbot, guide.next_button)
    assert guide.index == 4 and guide.caption.text() == "核对打印预览，然后点击“打印”。"
    assert guide._timer.interval() == 3400
    spoken = len(said(w))
    qtbot.waitUntil(lambda: guide.index == 5, timeout=5000)
    from kiosk.voice.text import speakable  # (said as words: "A4" is "A四")

    assert len(said(w)) == spoken + 1 and said(w)[-1] == speakable(guide.caption.text(), "zh_CN")
    # paused: it stays
    tap(qtbot, guide.pause_button)
    assert not guide.playing and guide.pause_button.text() == "播放"
    assert not guide._timer.isActive()  # nothing will move it on
    qtbot.wait(300)
    assert guide.index == 5
    for _ in range(10):
        if guide.next_button.isEnabled():
            tap(qtbot, guide.next_button)
    assert guide.index == 6 and not guide.next_button.isEnabled()
    tap(qtbot, guide.replay_button)
    assert guide.index == 0 and guide.playing
    # back where the citizen was: the same run, at its identify page, its prompt said again
    tap(qtbot, guide.close_button)
    assert core.navigator.current.screen == Screen.FLOW and core.flow_run is run
    assert flow.pages.currentWidget() is flow.page["identify"] and flow.identify_panel.active
    assert not guide._timer.isActive()
    # the nav bar's back does the same
    tap(qtbot, flow.howto)
    tap(qtbot, w.nav.back_button)
    assert core.navigator.current.screen == Screen.FLOW and core.flow_run is run


def test_the_guide_in_elder_mode_english_and_the_idle_timeout(qtbot, guided, artifacts):
    w = guided()
    core = w.core
    core.begin_session()
    tap(qtbot, w.nav.elder_button)
    core.start_flow("queue.ticket")
    flow = w.screens[Screen.FLOW]
    qtbot.waitUntil(lambda: flow.pages.currentWidget() is flow.page["choose"], timeout=3000)
    assert shot_clipped(w, qtbot, artifacts / "step-guide-entry-elder.png", True) == []
    from a11y_helpers import measure  # and the choices stay apart (they scroll)

    report = measure(w, w.geometry_mm, True)
    assert [p for p in report.problems if "choose_" in p] == []
    tap(qtbot, flow.howto)
    guide = w.screens[Screen.STEP_GUIDE]
    assert [s.illustration for s in guide.slides][1] is Illustration.TAKE_TICKET
    tap(qtbot, guide.next_button)
    assert "取号" in guide.caption.text() or "号" in guide.caption.text()
    assert shot_clipped(w, qtbot, artifacts / "step-guide-elder.png", True) == []
    tap(qtbot, w.nav.language_buttons["en"])  # the same slide, in English, said again
    assert guide.index == 1 and guide.caption.text().startswith("Take your queue ticket")
    assert said(w)[-1] == guide.caption.text()
    assert shot_clipped(w, qtbot, artifacts / "step-guide-elder-en.png", True) == []
    # the slides moving on are not the citizen's touch: the idle timeout still ends it
    core.clock.advance(core.session.effective_idle_s + 1)
    qtbot.waitUntil(lambda: w.overlay.isVisible(), timeout=3000)
    core.clock.advance(core.session.effective_countdown_s + 1)
    qtbot.waitUntil(lambda: core.navigator.current.screen == Screen.ATTRACT, timeout=3000)
    assert core.flow_run is None and not guide._timer.isActive()


def test_landscape_elder_english_fits(qtbot, guided, artifacts):
    """The tightest case: elder mode's type, English's longer words, a landscape screen."""
    w = guided(orientation="landscape")
    core = w.core
    core.begin_session()
    tap(qtbot, w.nav.elder_button)
    tap(qtbot, w.nav.language_buttons["en"])
    core.start_flow("ss.certificate", item_id="RS-000001")
    flow = w.screens[Screen.FLOW]
    qtbot.waitUntil(lambda: flow.pages.currentWidget() is flow.page["identify"], timeout=3000)
    assert shot_clipped(w, qtbot, artifacts / "step-guide-entry-landscape-elder-en.png",
                        True) == []
    tap(qtbot, flow.howto)
    guide = w.screens[Screen.STEP_GUIDE]
    for _ in range(3):  # the longest English caption is the third (the e-credential)
        tap(qtbot, guide.next_button)
    assert shot_clipped(w, qtbot, artifacts / "step-guide-landscape-elder-en.png", True) == []
    assert guide.illustration.height() >= 200


def test_the_catalog_guide_offers_it_for_an_item_done_here(qtbot, guided):
    w = guided()
    core = w.core
    core.begin_session()
    core.open_guide("RS-000001")
    screen = w.screens[Screen.GUIDE]
    assert screen.howto_button.isVisible()
    tap(qtbot, screen.howto_button)
    assert core.navigator.current.screen == Screen.STEP_GUIDE
    tap(qtbot, w.screens[Screen.STEP_GUIDE].close_button)
    assert core.navigator.current == Screen.GUIDE or \
        core.navigator.current.screen == Screen.GUIDE
    core.open_guide("SC-000101")  # an item the terminal does not carry out: no guide to show
    assert not screen.howto_button.isVisible()


# -- video -----------------------------------------------------------------------------------


def make_video(path):
    """A real 2-second 320x240 MPEG-4 clip of the certificate's slides, encoded by Qt's own
    FFmpeg (scripts/make_guide_video.py; ~35 KB, well under a second)."""
    import importlib.util

    from kiosk.paths import PROJECT_ROOT

    spec = importlib.util.spec_from_file_location(
        "make_guide_video", PROJECT_ROOT / "scripts" / "make_guide_video.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_video(path, seconds=2.0, size=(320, 240), fps=10)


def test_a_video_plays_and_a_corrupt_or_missing_one_falls_back_to_slides(qtbot, guided,
                                                                        tmp_path, artifacts):
    good = make_video(tmp_path / "videos" / "ss-certificate.mp4")
    assert 5_000 < good.stat().st_size < 100_000
    corrupt = tmp_path / "videos" / "yb-account.mp4"
    corrupt.write_bytes(good.read_bytes()[:3000])  # cut short: no index, no frames
    w = guided(guides={"videos": {"ss.certificate": str(good), "yb.account": str(corrupt),
                                  "gjj.deposits": str(tmp_path / "videos" / "none.mp4")}})
    core = w.core
    core.begin_session()
    guide = w.screens[Screen.STEP_GUIDE]
    core.open_step_guide("ss.certificate")
    assert guide.mode == "video"
    assert not guide.previous_button.isVisible() and not guide.next_button.isVisible()
    player = guide.video.player
    # it plays: the position advances and frames arrive and are painted
    qtbot.waitUntil(lambda: player.position() > 500 and guide.video_view.frames >= 3,
                    timeout=8000)
    assert said(w)[-1].startswith("下面用视频演示如何办理")
    # its sound at the voice's volume step (3 of 4: -6 dB), silent with 语音 off
    audio = guide.video.audio
    assert not audio.isMuted() and audio.volume() == pytest.approx(0.501, abs=0.01)
    tap(qtbot, w.nav.voice_button)
    assert audio.isMuted()
    tap(qtbot, w.nav.voice_button)
    assert not audio.isMuted()
    image = w.grab()
    image.save(str(artifacts / "step-guide-video.png"))
    view = guide.video_view
    centre = view.mapTo(w, view.rect().center())
    assert image.toImage().pixelColor(centre).name() != "#000000"  # a picture, not black
    tap(qtbot, guide.pause_button)
    at = player.position()
    qtbot.wait(400)
    assert player.position() == at and guide.pause_button.text() == "播放"
    tap(qtbot, guide.pause_button)
    qtbot.waitUntil(lambda: player.position() > at, timeout=3000)
    tap(qtbot, guide.close_button)
    assert core.navigator.current.screen == Screen.HOME
    assert guide.video.active is False  # stopped when left
    # a corrupt file: the slides, said, and kept for the technician
    core.open_step_guide("yb.account")
    qtbot.waitUntil(lambda: guide.mode == "slides", timeout=6000)
    assert guide.index == 0 and guide.caption.text() and said(w)[-1] == guide.caption.text()
    assert core.step_guides.problems()["yb.account"] in ("FormatError", "ResourceError",
                                                         "InvalidMedia", "no picture")
    w.grab().save(str(artifacts / "step-guide-video-fallback.png"))
    tap(qtbot, guide.close_button)
    # a missing file: the slides at once (QtMultimedia is not even asked)
    core.open_step_guide("gjj.deposits")
    assert guide.mode == "slides" and core.step_guides.problems()["gjj.deposits"] == "missing"
    # the technician's diagnostics list them
    from kiosk.maintenance_checks import guide_video_check

    check = guide_video_check(core.step_guides)
    assert check.level == "warning" and check.params["failed"] == 2 and check.params["total"] == 3


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_the_attract_screen_shows_a_guide_between_popular_services(qtbot, guided, artifacts,
                                                                    orientation):
    w = guided(orientation=orientation)
    attract = w.screens[Screen.ATTRACT]
    assert w.core.navigator.current.screen == Screen.ATTRACT
    assert not attract.guide_picture.isVisible()  # first a popular service
    attract.rotate()
    assert attract.guide_picture.isVisible()
    assert attract.highlight_caption.text() == "操作指引：社保参保证明打印"
    assert attract.highlight.text().startswith("将身份证") and \
        attract.highlight_dept.text() == "第 1 步，共 7 步"
    assert shot_clipped(w, qtbot, artifacts / f"step-guide-attract-{orientation}.png",
                        False) == []
    attract.rotate()
    assert not attract.guide_picture.isVisible()
    attract.rotate()  # the guide's next slide
    assert attract.highlight_dept.text() == "第 2 步，共 7 步"


def test_no_guides_when_switched_off(qtbot, guided):
    w = guided(guides={"enabled": False})
    core = w.core
    assert core.step_guides is None
    core.start_flow("queue.ticket")
    flow = w.screens[Screen.FLOW]
    qtbot.waitUntil(lambda: flow.pages.currentWidget() is flow.page["choose"], timeout=3000)
    assert not flow.howto.isVisible()
    core.open_step_guide("queue.ticket")  # nothing to show: the citizen stays
    assert core.navigator.current.screen == Screen.FLOW
    w.screens[Screen.ATTRACT].rotate()
    assert not w.screens[Screen.ATTRACT].guide_picture.isVisible()
