"""Playback of the voice guidance through QtMultimedia (docs/decisions/0031).

`QtPlayer` implements kiosk.voice.Player: WAV bytes played from memory (a QBuffer: a prompt
with a citizen's data never touches the disk) by a QMediaPlayer into a QAudioOutput on the
system's default output. Without an output device (or without QtMultimedia) it reports
itself unavailable and the terminal works silently; `Voice.status()` says so.
"""

from __future__ import annotations

import logging

log = logging.getLogger("kiosk.voice")


_OUTPUT: list[bool] = []


def _has_output() -> bool:
    """Whether the system has an audio output, asked once per process (QtMultimedia loads its
    backend and talks to the sound server for it)."""
    if not _OUTPUT:
        from screens import qt

        _OUTPUT.append(bool(qt.QMediaDevices.audioOutputs()))
    return _OUTPUT[0]


class QtPlayer:
    def __init__(self):
        self.reason = ""
        self._player = self._output = self._buffer = None
        try:
            from screens import qt

            if not _has_output():
                self.reason = "no audio output device"
                return
            self._output = qt.QAudioOutput()
            self._output.setVolume(1.0)  # the volume steps are in the samples
            self._player = qt.QMediaPlayer()
            self._player.setAudioOutput(self._output)
        except Exception as exc:  # noqa: BLE001 — no QtMultimedia backend: silent terminal
            self.reason = f"QtMultimedia unavailable: {type(exc).__name__}"
            self._player = None
        if self.reason:
            log.warning("voice playback: %s", self.reason)

    def available(self) -> bool:
        return self._player is not None

    def play(self, wav: bytes) -> None:
        if self._player is None:
            return
        from screens.qt import QBuffer, QByteArray, QIODevice, QUrl

        self._player.stop()
        buffer = QBuffer()
        buffer.setData(QByteArray(wav))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buffer  # kept alive while it plays
        self._player.setSourceDevice(buffer, QUrl("prompt.wav"))
        self._player.play()

    def stop(self) -> None:
        if self._player is not None:
            self._player.stop()
