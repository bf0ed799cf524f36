"""操作指引 (How to do this): an item's steps as illustrated slides, spoken, or its video.

Thin: the slides come from `core.step_guides` (kiosk/guides.py, derived from the item's flow).
The screen shows one slide (the illustration drawn at the screen's size from its SVG, in the
theme's colours; the caption in large type), "step n of N", previous / pause / next, replay and
the way back to where the citizen was. While it plays, a slide follows the last after
`[guides] slide_s` seconds; each slide's caption is spoken when 语音 is on. The idle timeout
still applies (the slides advancing are not the citizen's touch).

Where `[guides] videos` names a file for the item, the screen plays it through QtMultimedia
(QMediaPlayer into a QVideoSink whose frames this widget paints itself: a QVideoWidget draws
through the platform and is blank in a grab of the window, so remote view and screenshots
would not see it). Anything that keeps the video from playing — no QtMultimedia, a missing or
corrupt file, no picture after `VIDEO_START_MS` — shows the slides instead; the library logs it
once and the technician's diagnostics list it. The citizen never sees an error.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.flows.items import WORDS
from kiosk.guides import CONTEXT, Slide, StepGuide, dwell_s, illustration_path
from screens.base import BaseScreen
from screens.qt import (
    QByteArray,
    QHBoxLayout,
    QImage,
    QPainter,
    QRectF,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QTimer,
    QUrl,
    QVBoxLayout,
    QWidget,
    translate,
)
from screens.theme import theme_for
from screens.widgets.chrome import button, label, repolish

log = logging.getLogger("kiosk.ui")

VIDEO_START_MS = 5000  # no picture by then: the video is taken as unplayable


def svg_markup(illustration, theme) -> bytes:
    """An illustration's SVG in a theme's colours: lines in the text colour, what to act on in
    the primary colour, fills in the surface colour (7:1 and more in both themes)."""
    svg = illustration_path(illustration).read_text(encoding="utf-8")
    return svg.replace("currentColor", theme.text).replace("ACCENT", theme.primary) \
        .replace("SURFACE", theme.surface).encode("utf-8")


def render_illustration(illustration, theme, width: int, height: int) -> QImage:
    """The illustration drawn `width` x `height` (kept in proportion, centred) on the theme's
    surface colour: what the slide shows, and what the tests look at."""
    from screens.qt import QColor, QSvgRenderer

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(theme.surface))
    renderer = QSvgRenderer(QByteArray(svg_markup(illustration, theme)))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, _fit(renderer.defaultSize(), width, height))
    painter.end()
    return image


def _fit(size, width: int, height: int) -> QRectF:
    sw, sh = max(1, size.width()), max(1, size.height())
    scale = min(width / sw, height / sh)
    w, h = sw * scale, sh * scale
    return QRectF((width - w) / 2, (height - h) / 2, w, h)


def _set_role(widget, role: str) -> None:
    if widget.property("role") != role:
        widget.setProperty("role", role)
        repolish(widget)


class IllustrationView(QWidget):
    """Draws the current slide's SVG crisply at whatever size the layout gives it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("step_guide_illustration")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(240)
        self._renderer = None
        self._key = None
        self._theme = None

    def set_illustration(self, illustration, theme) -> None:
        from screens.qt import QSvgRenderer

        key = (illustration, theme.name)
        if key != self._key:
            self._key = key
            self._theme = theme
            self._renderer = QSvgRenderer(QByteArray(svg_markup(illustration, theme)))
            self.update()

    def clear(self) -> None:
        self._key = self._renderer = None
        self.update()

    def paintEvent(self, event) -> None:
        if self._renderer is None:
            return
        from screens.qt import QColor

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = self._theme.px(12)
        painter.setPen(QColor(self._theme.border))
        painter.setBrush(QColor(self._theme.surface))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), radius, radius)
        pad = self._theme.px(24)
        target = _fit(self._renderer.defaultSize(), self.width() - 2 * pad,
                      self.height() - 2 * pad)
        self._renderer.render(painter, target.translated(pad, pad))
        painter.end()


class VideoView(QWidget):
    """Paints the frames of a QVideoSink (so a grab of the window shows the video)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("step_guide_video")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(240)
        self.image: QImage | None = None
        self.frames = 0

    def show_frame(self, frame) -> None:
        if not frame.isValid():
            return
        image = frame.toImage()
        if image.isNull():
            return
        self.image = image
        self.frames += 1
        self.update()

    def clear(self) -> None:
        self.image = None
        self.frames = 0
        self.update()

    def paintEvent(self, event) -> None:
        from screens.qt import QColor

        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#000000"))
        if self.image is not None:
            size = self.image.size()
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(_fit(size, self.width(), self.height()), self.image)
        painter.end()


class GuideVideo:
    """One QMediaPlayer for the screen, made on the first video (QtMultimedia is not loaded
    on a terminal that has none configured). `on_failed(reason)` when it cannot play."""

    def __init__(self, view: VideoView, on_failed, on_ended):
        from screens.qt import QAudioOutput, QMediaPlayer, QVideoSink

        self.view = view
        self.player = QMediaPlayer()
        self.sink = QVideoSink()
        self.player.setVideoSink(self.sink)
        # the video's own sound (a narration): only with 语音 on, at the voice's volume step
        self.audio = QAudioOutput()
        self.audio.setMuted(True)
        self.player.setAudioOutput(self.audio)
        self.sink.videoFrameChanged.connect(view.show_frame)
        self.player.errorOccurred.connect(self._error)
        self.player.mediaStatusChanged.connect(self._status)
        self._on_failed = on_failed
        self._on_ended = on_ended
        self._watch = QTimer()
        self._watch.setSingleShot(True)
        self._watch.timeout.connect(self._no_picture)
        self.path: Path | None = None
        self.active = False

    def play(self, path: Path) -> None:
        self.path = path
        self.active = True
        self.view.clear()
        self.player.stop()
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        self.player.setLoops(1)
        self.player.play()
        self._watch.start(VIDEO_START_MS)

    def set_volume(self, volume: float | None) -> None:
        """0..1 (linear), or None: silent."""
        self.audio.setMuted(volume is None)
        if volume is not None:
            self.audio.setVolume(volume)

    def pause(self) -> None:
        self.player.pause()

    def resume(self) -> None:
        self.player.play()

    def replay(self) -> None:
        self.player.setPosition(0)
        self.player.play()

    @property
    def playing(self) -> bool:
        from screens.qt import QMediaPlayer

        return self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def stop(self) -> None:
        self.active = False
        self._watch.stop()
        self.player.stop()
        self.player.setSource(QUrl())
        self.view.clear()

    def _fail(self, reason: str) -> None:
        if not self.active:
            return
        self.active = False
        self._watch.stop()
        self.player.stop()
        self._on_failed(reason)

    def _error(self, error, message: str = "") -> None:
        from screens.qt import QMediaPlayer

        if error != QMediaPlayer.Error.NoError:
            self._fail(getattr(error, "name", str(error)))

    def _status(self, status) -> None:
        from screens.qt import QMediaPlayer

        if status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._fail("InvalidMedia")
        elif status == QMediaPlayer.MediaStatus.EndOfMedia and self.active:
            self._on_ended()

    def _no_picture(self) -> None:
        if self.active and self.view.frames == 0:
            self._fail("no picture")

    def close(self) -> None:
        self.stop()
        self.player.deleteLater()


class StepGuideScreen(BaseScreen):
    lazy = True

    def __init__(self, core, parent=None, *, landscape: bool = False):
        super().__init__(core, parent)
        self.landscape = landscape

    def build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 20, 40, 16)
        outer.setSpacing(14)
        self.title = label(role="title", wrap=True)
        self.title.setObjectName("step_guide_title")
        self.progress = label(role="subtitle", wrap=True)
        self.progress.setObjectName("step_guide_progress")
        outer.addWidget(self.title)
        if not self.landscape:
            outer.addWidget(self.progress)
        self.stage = QStackedWidget()
        self.illustration = IllustrationView()
        self.video_view = VideoView()
        self.stage.addWidget(self.illustration)
        self.stage.addWidget(self.video_view)
        self.caption = label(role="title", wrap=True)
        self.caption.setObjectName("step_guide_caption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.previous_button = button(role="nav", name="step_guide_previous", wrap=True)
        self.pause_button = button(role="primary", name="step_guide_pause", wrap=True)
        self.next_button = button(role="nav", name="step_guide_next", wrap=True)
        self.replay_button = button(role="nav", name="step_guide_replay", wrap=True)
        self.close_button = button(role="nav", name="step_guide_close", wrap=True)
        rows = [QHBoxLayout()]
        if self.landscape:
            # the drawing beside its caption, the five buttons in one row: the height a
            # landscape screen has left under elder mode's type
            self.illustration.setMinimumHeight(200)
            self.video_view.setMinimumHeight(200)
            middle = QHBoxLayout()
            middle.setSpacing(24)
            middle.addWidget(self.stage, 3)
            side = QVBoxLayout()
            side.addWidget(self.progress)
            side.addWidget(self.caption)
            side.addStretch(1)
            middle.addLayout(side, 2)
            outer.addLayout(middle, 1)
            self.caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        else:
            outer.addWidget(self.stage, 3)
            outer.addWidget(self.caption)
            rows.append(QHBoxLayout())
        for i, b in enumerate((self.previous_button, self.pause_button, self.next_button,
                               self.replay_button, self.close_button)):
            rows[min(len(rows) - 1, i // 3)].addWidget(b, 1)
        for row in rows:
            row.setSpacing(16)
            outer.addLayout(row)
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.replay_button.clicked.connect(self.replay)
        self.close_button.clicked.connect(self.core.back)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._advance)
        self.guide: StepGuide | None = None
        self.index = 0
        self.playing = False
        self.mode = "slides"  # or "video"
        self._video: GuideVideo | None = None
        self._video_path: Path | None = None
        self.retranslate()

    # ------------------------------------------------------------------ lifecycle
    def slide_ms(self, caption: str = "") -> int:
        """A slide's time while playing: `[guides] slide_s`, longer for a caption that takes
        longer to say (kiosk.guides.dwell_s)."""
        config = self.core.config
        return round(1000 * dwell_s(caption, config.guides.slide_s, config.voice.rate))

    def enter(self, route) -> None:
        self.ensure_built()
        item_id = route.param("item_id", "")
        if self.guide is not None and self.guide.item_id == item_id:
            self._render()  # a language or elder-mode change: the same slide, redrawn
            return
        library = self.core.step_guides
        self.guide = library.guide(item_id) if library is not None else None
        self.index = 0
        self.playing = True
        self.mode = "slides"
        path = library.playable_video(item_id) if self.guide is not None else None
        if path is not None:
            self.mode = "video"  # (a failure reported at once puts the slides back)
            if not self._start_video(path):
                self.mode = "slides"
        self._render()

    def cleanup(self) -> None:
        if not self.built:
            return
        self._timer.stop()
        if self._video is not None:
            self._video.stop()
        self.illustration.clear()
        self.playing = False
        self.guide = None

    def spoken_prompt(self) -> str:
        if not self.built or self.guide is None:
            return ""
        if self.mode == "video":
            return translate("StepGuideScreen", "A video shows how to do it: {item}.").format(
                item=self._item_name())
        return self._caption(self.current)

    # ------------------------------------------------------------------ slides
    @property
    def slides(self) -> tuple[Slide, ...]:
        return self.guide.slides if self.guide is not None else ()

    @property
    def current(self) -> Slide | None:
        return self.slides[self.index] if self.slides else None

    def show_slide(self, index: int, *, speak: bool = True) -> None:
        if not self.slides:
            return
        self.index = max(0, min(index, len(self.slides) - 1))
        self._render()
        if speak:
            self.speak(self._caption(self.current))

    def next(self) -> None:
        if self.mode == "slides" and self.index + 1 < len(self.slides):
            self.show_slide(self.index + 1)

    def previous(self) -> None:
        if self.mode == "slides" and self.index > 0:
            self.show_slide(self.index - 1)

    def toggle_pause(self) -> None:
        self.playing = not self.playing
        if self.mode == "video" and self._video is not None:
            if self.playing:
                self._video.resume()
            else:
                self._video.pause()
        elif self.playing and self.index + 1 >= len(self.slides):
            self.show_slide(0)  # "play" on the last slide: from the start
            return
        self._render()

    def replay(self) -> None:
        self.playing = True
        if self.mode == "video" and self._video is not None:
            self._video.replay()
            self._render()
            self.speak(self.spoken_prompt())
            return
        self.show_slide(0)

    def _advance(self) -> None:
        if self.playing and self.mode == "slides" and self.isVisible():
            self.show_slide(self.index + 1)

    # ------------------------------------------------------------------ video
    def _start_video(self, path: Path) -> bool:
        try:
            if self._video is None:
                self._video = GuideVideo(self.video_view, self._video_failed, self._video_ended)
        except Exception as exc:  # no QtMultimedia (or its libraries) on this terminal
            self.core.step_guides.video_failed(path, f"no multimedia: {type(exc).__name__}")
            return False
        self._video_path = path
        self._video.set_volume(self._sound_volume())
        self._video.play(path)
        return True

    def _sound_volume(self) -> float | None:
        """The video's sound follows 语音 and its volume step (decision 0031's steps)."""
        voice = getattr(self.core.services, "voice", None)
        if voice is None or not voice.enabled:
            return None
        from kiosk.voice.audio import VOLUME_STEPS_DB

        return 10 ** (VOLUME_STEPS_DB[voice.step] / 20)

    def voice_changed(self) -> None:
        if self.built and self._video is not None and self.mode == "video":
            self._video.set_volume(self._sound_volume())

    def _video_failed(self, reason: str) -> None:
        """The slides instead, from the first, said; never an error at the citizen."""
        library = self.core.step_guides
        if library is not None and self._video_path is not None:
            library.video_failed(self._video_path, reason)
        if self.mode != "video":
            return
        self.mode = "slides"
        self.index = 0
        self.playing = True
        self._render()
        if self.isVisible():
            self.speak(self._caption(self.current))

    def _video_ended(self) -> None:
        self.playing = False
        self._render()

    @property
    def video(self) -> GuideVideo | None:
        return self._video

    # ------------------------------------------------------------------ rendering
    def _item_name(self) -> str:
        return translate(WORDS, self.guide.title) if self.guide is not None else ""

    @staticmethod
    def _caption(slide: Slide | None) -> str:
        return translate(CONTEXT, slide.caption) if slide is not None else ""

    def _render(self) -> None:
        if not self.built:
            return
        self._timer.stop()
        self.title.setText(translate("StepGuideScreen", "How to do this: {item}").format(
            item=self._item_name()))
        # in landscape elder mode the item's name one size down too: two lines of it would
        # leave the drawing a strip
        _set_role(self.title, "section" if self.elder and self.landscape else "title")
        video = self.mode == "video"
        self.stage.setCurrentWidget(self.video_view if video else self.illustration)
        for b in (self.previous_button, self.next_button):
            b.setVisible(not video)
        total = len(self.slides)
        if video:
            self.progress.setText(translate("StepGuideScreen", "Video of the steps"))
            self.caption.setText(translate(
                "StepGuideScreen", "Watch how it is done, then go back and do it."))
        elif self.current is not None:
            self.illustration.set_illustration(self.current.illustration, theme_for(self.elder))
            # elder mode's type is 1.5 times larger: the caption one size down keeps the
            # drawing large enough to read beside four lines of English
            _set_role(self.caption, "section" if self.elder else "title")
            self.progress.setText(translate("StepGuideScreen", "Step {n} of {total}").format(
                n=self.index + 1, total=total))
            self.caption.setText(self._caption(self.current))
            self.previous_button.setEnabled(self.index > 0)
            self.next_button.setEnabled(self.index + 1 < total)
            if self.index + 1 >= total:
                self.playing = False  # the last slide stays
            elif self.playing:
                self._timer.start(self.slide_ms(self.caption.text()))
        self.pause_button.setText(translate("StepGuideScreen", "Pause") if self.playing
                                  else translate("StepGuideScreen", "Play"))
        self.pause_button.setAccessibleName(self.pause_button.text())

    def retranslate(self) -> None:
        if not self.built:
            return
        self.previous_button.setText(translate("StepGuideScreen", "Previous step"))
        self.next_button.setText(translate("StepGuideScreen", "Next step"))
        self.replay_button.setText(translate("StepGuideScreen", "Replay from the start"))
        self.close_button.setText(translate("StepGuideScreen", "Back to where I was"))
        for b in (self.previous_button, self.next_button, self.replay_button, self.close_button):
            b.setAccessibleName(b.text())
        if self.guide is not None:
            self._render()
