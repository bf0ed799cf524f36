"""Voice guidance, offline, behind a port (issue 12; docs/decisions/0031). No Qt here.

`Voice` is the `Speaker` port the screens talk to: speak(text, lang, kind), stop, repeat,
volume steps, the 语音 switch, reset per session and a status for the technician. Synthesis
(`engine.EspeakEngine` or a configured replacement) runs on a worker thread, the result is
handed back through the bus's `post` and played by a `Player` (QtMultimedia's, in
screens/voice_player.py; `NullPlayer` where there is no audio device).
"""

from kiosk.voice.service import NullPlayer, Player, Speaker, Voice, VoiceStatus  # noqa: F401
