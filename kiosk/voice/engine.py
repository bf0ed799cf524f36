"""The synthesis engine behind the speech port: espeak-ng, offline (no Qt).

Chinese goes to espeak-ng's ``cmn-latn-pinyin`` voice as tone-numbered pinyin syllables
(Debian's ``cmn`` voice reads many syllables as English), English to its English voice. Each
call runs ``espeak-ng -w FILE`` in a private temporary folder and returns the WAV's bytes; the
file is removed at once. A better engine replaces this one through ``[voice] engine``
(``package.module:factory``, called with the terminal's config, returning an object with
``synthesize(text, lang, rate) -> bytes`` and ``name``).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Protocol

from kiosk.voice.text import to_pinyin


class SynthesisError(Exception):
    """A prompt could not be made into sound (engine missing, crashed, timed out)."""


class SpeechEngine(Protocol):
    name: str

    def synthesize(self, text: str, lang: str, rate: int) -> bytes:
        """WAV bytes (PCM 16-bit) for `text` already made speakable; raises SynthesisError."""


class EspeakEngine:
    ZH_VOICE = "cmn-latn-pinyin"
    EN_VOICE = "en-us"

    def __init__(self, binary: str = "espeak-ng", timeout_s: float = 15.0):
        self.binary = binary
        self.timeout_s = timeout_s
        self.name = "espeak-ng"

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    def voice_for(self, lang: str) -> str:
        return self.EN_VOICE if lang.startswith("en") else self.ZH_VOICE

    def engine_text(self, text: str, lang: str) -> str:
        """What espeak-ng is given: pinyin syllables for Chinese, the text for English."""
        if lang.startswith("en"):
            return text
        try:
            return to_pinyin(text)
        except ImportError as exc:
            raise SynthesisError(f"pypinyin missing: {exc}") from exc

    def synthesize(self, text: str, lang: str, rate: int = 150) -> bytes:
        exe = shutil.which(self.binary)
        if exe is None:
            raise SynthesisError(f"{self.binary} not found")
        said = self.engine_text(text, lang)
        if not said.strip():
            raise SynthesisError("nothing to say")
        with tempfile.TemporaryDirectory(prefix="kiosk-voice-") as tmp:
            out = Path(tmp) / "say.wav"
            try:
                proc = subprocess.run(
                    [exe, "-v", self.voice_for(lang), "-s", str(int(rate)), "-w", str(out),
                     "--", said],
                    capture_output=True, timeout=self.timeout_s, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise SynthesisError(f"{type(exc).__name__}: {exc}") from exc
            if proc.returncode != 0 or not out.exists():
                raise SynthesisError(f"exit {proc.returncode}: "
                                     f"{proc.stderr.decode(errors='replace')[:200]}")
            return out.read_bytes()
