#!/usr/bin/env python3
"""Make a small operation-guide video (操作指引) from an item's slides, with Qt alone.

    python scripts/make_guide_video.py OUT.mp4 [--item ss.certificate] [--seconds 2]
                                       [--size 320x240] [--fps 10]

Each frame shows the current slide's illustration and "n/N"; the slides share the length
evenly. The file is MPEG-4 Part 2 video (mp4v) in an MP4 container, encoded by Qt's own
bundled FFmpeg through QMediaRecorder (no ffmpeg program needed): the codec Qt's bundled
FFmpeg also *decodes* here (it has no H.264 decoder), so what this makes is what a terminal
can play. The tests make a 2-second 320x240 clip with it (about 35 KB, well under a second).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


class VideoError(RuntimeError):
    pass


def make_video(out: Path, *, item: str = "ss.certificate", seconds: float = 2.0,
               size: tuple[int, int] = (320, 240), fps: int = 10,
               timeout_s: float = 30.0) -> Path:
    """Write the video; needs a QGuiApplication (made here if there is none)."""
    from PySide6.QtCore import QByteArray, QEventLoop, QRectF, QSize, Qt, QTimer, QUrl
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter
    from PySide6.QtMultimedia import (QMediaCaptureSession, QMediaFormat, QMediaRecorder,
                                      QVideoFrame, QVideoFrameInput)
    from PySide6.QtSvg import QSvgRenderer

    from kiosk.flows.items import ItemRegistry
    from kiosk.guides import GuideLibrary, illustration_path

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    registry = ItemRegistry()
    guide = GuideLibrary(registry, registry.flows).guide(item)
    if guide is None:
        raise VideoError(f"no item {item!r}")
    slides = guide.slides
    width, height = size
    frames = max(1, round(seconds * fps))
    renderers = [QSvgRenderer(QByteArray(illustration_path(s.illustration).read_text(
        encoding="utf-8").replace("currentColor", "#15202b").replace("ACCENT", "#1a4f9c")
        .replace("SURFACE", "#ffffff").encode("utf-8"))) for s in slides]

    def frame_image(n: int) -> QImage:
        i = min(len(slides) - 1, n * len(slides) // frames)
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderers[i].render(painter, QRectF(width * 0.1, height * 0.05, width * 0.8,
                                            height * 0.72))
        painter.setPen(QColor("#15202b"))
        font = QFont()
        font.setPixelSize(max(12, height // 10))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(0, height * 0.8, width, height * 0.18),
                         Qt.AlignmentFlag.AlignCenter, f"{i + 1}/{len(slides)}")
        # a bar that grows frame by frame: every frame differs from the last
        painter.fillRect(QRectF(0, height - 4, width * (n + 1) / frames, 4), QColor("#a50d26"))
        painter.end()
        return image

    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    session = QMediaCaptureSession()
    source = QVideoFrameInput()
    session.setVideoFrameInput(source)
    recorder = QMediaRecorder()
    session.setRecorder(recorder)
    fmt = QMediaFormat(QMediaFormat.FileFormat.MPEG4)
    fmt.setVideoCodec(QMediaFormat.VideoCodec.MPEG4)
    recorder.setMediaFormat(fmt)
    recorder.setVideoResolution(QSize(width, height))
    recorder.setVideoFrameRate(fps)
    recorder.setQuality(QMediaRecorder.Quality.NormalQuality)
    recorder.setOutputLocation(QUrl.fromLocalFile(str(out)))
    loop = QEventLoop()
    errors: list[str] = []
    sent = [0]

    def push() -> None:
        while sent[0] < frames:
            frame = QVideoFrame(frame_image(sent[0]))
            frame.setStartTime(sent[0] * 1_000_000 // fps)
            frame.setEndTime((sent[0] + 1) * 1_000_000 // fps)
            if not source.sendVideoFrame(frame):
                return  # readyToSendVideoFrame comes again
            sent[0] += 1
        if recorder.recorderState() == QMediaRecorder.RecorderState.RecordingState:
            recorder.stop()

    def state(value) -> None:
        if value == QMediaRecorder.RecorderState.StoppedState:
            loop.quit()

    source.readyToSendVideoFrame.connect(push)
    recorder.recorderStateChanged.connect(state)
    recorder.errorOccurred.connect(lambda _e, text: (errors.append(text), loop.quit()))
    recorder.record()
    QTimer.singleShot(0, push)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    if errors:
        raise VideoError(f"recording failed: {errors[0]}")
    if sent[0] < frames or not out.is_file() or out.stat().st_size == 0:
        raise VideoError(f"recording incomplete ({sent[0]} of {frames} frames)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--item", default="ss.certificate")
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--size", default="320x240")
    parser.add_argument("--fps", type=int, default=10)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    w, _, h = args.size.partition("x")
    path = make_video(args.out, item=args.item, seconds=args.seconds, size=(int(w), int(h)),
                      fps=args.fps)
    print(f"{path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
