"""Playback of the voice guidance through QtMultimedia (docs/decisions/0031).

`QtPlayer` implements kiosk.voice.Player: WAV bytes played from memory (a QBuffer: a prompt
with a citizen's data never touches the disk) by a QMediaPlayer into a QAudioOutput on the
system's default output. QtMultimedia is loaded on first use (the first prompt, or the
technician's status), not at start: a terminal with 语音 off never loads it. Without an output
device (or without QtMultimedia) the player is unavailable and the terminal works silently;
`Voice.status()` says so.
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
        self._ready = False
        self._player = self._output = self._buffer = None

    def _ensure(self) -> None:
        if self._ready:
            return
        self._ready = True
        try:
            from screens import qt

            if not _has_output():
                self.reason = "no audio output device"
            else:
                self._output = qt.QAudioOutput()
                self._output.setVolume(1.0)  # the volume steps are in the samples
                self._player = qt.QMediaPlayer()
                self._player.setAudioOutput(self._output)
        except Exception as exc:  # noqa: BLE001 — no QtMultimedia backend: silent terminal
            self.reason = f"QtMultimedia unavailable: {type(exc).__name__}"
            self._player = None
        if self.reason:
            log.warning("voice guidance silent: %s", self.reason)

    def available(self) -> bool:
        self._ensure()
        return self._player is not None

    def play(self, wav: bytes) -> None:
        self._ensure()
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
