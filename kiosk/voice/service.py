"""The speech port and its implementation (see the package's docstring)."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

from kiosk.voice import audio
from kiosk.voice.engine import SpeechEngine, SynthesisError
from kiosk.voice.text import ECHO, ERROR, KINDS, PROMPT, RESULT, echo_text, speakable

log = logging.getLogger("kiosk.voice")

Post = Callable[[Callable[[], None]], None]


class Player(Protocol):
    """Plays WAV bytes; `stop` cuts what is playing. `available()` False: no audio device."""

    def available(self) -> bool: ...
    def play(self, wav: bytes) -> None: ...
    def stop(self) -> None: ...


class NullPlayer:
    """No audio device: nothing is played (the terminal works silently)."""

    def __init__(self, reason: str = "no audio output"):
        self.reason = reason

    def available(self) -> bool:
        return False

    def play(self, wav: bytes) -> None:
        pass

    def stop(self) -> None:
        pass


class Speaker(Protocol):
    """The port the screens use."""

    def speak(self, text: str, lang: str, kind: str = PROMPT, *, personal: bool = False) -> None: ...
    def echo(self, field: str, value: str, lang: str) -> None: ...
    def stop(self) -> None: ...
    def repeat(self) -> None: ...
    def volume_up(self) -> int: ...
    def volume_down(self) -> int: ...


@dataclass(frozen=True)
class VoiceStatus:
    """What the technician's diagnostics show."""

    enabled: bool
    engine: str
    engine_ok: bool
    audio_ok: bool
    detail: str  # empty when speaking works; else why the terminal is silent
    spoken: int
    failed: int
    last_error: str

    @property
    def state(self) -> str:
        if not self.enabled:
            return "off"
        return "ok" if not self.detail else "silent"


class _MemoryCache:
    def __init__(self, limit: int):
        self.limit = limit
        self._d: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            v = self._d.get(key)
            if v is not None:
                self._d.move_to_end(key)
            return v

    def put(self, key: str, value: bytes) -> None:
        with self._lock:
            self._d[key] = value
            self._d.move_to_end(key)
            while len(self._d) > self.limit:
                self._d.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._d.clear()

    def __len__(self) -> int:
        return len(self._d)


class DiskCache:
    """Rendered prompts that carry no personal data, as <sha256>.wav (0600) in the kiosk's
    cache folder; at most `limit` files, the least recently used removed first."""

    def __init__(self, folder: Path, limit: int = 400):
        self.folder = Path(folder)
        self.limit = limit
        self._lock = threading.Lock()

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.wav"

    def get(self, key: str) -> bytes | None:
        p = self.path(key)
        try:
            data = p.read_bytes()
            p.touch()
            return data
        except OSError:
            return None

    def put(self, key: str, value: bytes) -> None:
        with self._lock:
            try:
                self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                tmp = self.path(key).with_suffix(".tmp")
                tmp.write_bytes(value)
                tmp.chmod(0o600)
                tmp.replace(self.path(key))
                files = sorted(self.folder.glob("*.wav"), key=lambda f: f.stat().st_mtime)
                for old in files[:max(0, len(files) - self.limit)]:
                    old.unlink(missing_ok=True)
            except OSError as exc:
                log.warning("speech cache not written: %s", exc)

    def files(self) -> list[Path]:
        return sorted(self.folder.glob("*.wav")) if self.folder.exists() else []


def cache_key(text: str, lang: str, voice: str, rate: int) -> str:
    return hashlib.sha256(f"{voice}\0{lang}\0{rate}\0{text}".encode()).hexdigest()


class Voice:
    """The `Speaker`: speak, stop, repeat, volume steps, the 语音 switch (see the package)."""

    def __init__(self, engine: SpeechEngine | None, player: Player | None = None, *,
                 post: Post | None = None, cache_dir: Path | None = None,
                 enabled: bool = True, volume_step: int = 2, rate: int = 150,
                 cache_limit: int = 400, engine_problem: str = ""):
        self.engine = engine
        self.player: Player = player or NullPlayer("no player")
        self.post: Post = post or (lambda fn: fn())
        self.rate = rate
        self.default_enabled = enabled
        self.default_step = max(0, min(len(audio.VOLUME_STEPS_DB) - 1, volume_step))
        self.enabled = enabled
        self.step = self.default_step
        self.disk = DiskCache(cache_dir, cache_limit) if cache_dir is not None else None
        self.memory = _MemoryCache(64)
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="voice")
        self._generation = 0
        self._last: tuple[str, str, str, bool] | None = None
        self._engine_problem = engine_problem
        self._engine_checked = False
        self.asked = 0  # prompts asked for since the start
        self.spoken = 0
        self.failed = 0
        self.last_error = ""
        #: (spoken text, lang, kind) of the prompts asked for this session, newest last (the
        #: tests, the tour); bounded, and emptied with the session
        self.history: deque[tuple[str, str, str]] = deque(maxlen=64)
        #: called on the worker thread with each rendered prompt (the tour's --speech)
        self.on_rendered: Callable[[str, str, str, bytes], None] | None = None

    # -- port ------------------------------------------------------------------------------
    def speak(self, text: str, lang: str, kind: str = PROMPT, *, personal: bool = False) -> None:
        """Say `text` (a new call interrupts the last one). `personal`: it carries the
        citizen's data (a name, an amount of their account) and is never cached on disk.
        Results and echoes always count as personal."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        said = speakable(text, lang)
        self._last = (said, lang, kind, personal or kind in (RESULT, ECHO))
        self._say(*self._last)

    def echo(self, field: str, value: str, lang: str) -> None:
        """Say back what was typed; an ID number's or a PIN's digits are never said."""
        self.speak(echo_text(field, value, lang), lang, ECHO, personal=True)

    def error(self, text: str, lang: str) -> None:
        self.speak(text, lang, ERROR)

    def last_said(self) -> tuple[str, str, str, bool] | None:
        """(words, lang, kind, personal) of the last prompt asked for this session (the keypad
        says it again together with the focused control: docs/decisions/0033)."""
        return self._last

    def repeatable(self) -> bool:
        return self._last is not None

    def repeat(self) -> None:
        if self._last is not None:
            self._say(*self._last)

    def stop(self) -> None:
        self._generation += 1
        self.player.stop()

    def volume_up(self) -> int:
        self.step = min(len(audio.VOLUME_STEPS_DB) - 1, self.step + 1)
        return self.step

    def volume_down(self) -> int:
        self.step = max(0, self.step - 1)
        return self.step

    @property
    def steps(self) -> int:
        return len(audio.VOLUME_STEPS_DB)

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        if not on:
            self.stop()

    def reset_session(self, elder: bool = False) -> None:
        """A new citizen: volume back to the default, 语音 as configured (on in elder mode),
        nothing said before can be repeated, the memory-only prompts forgotten."""
        self.stop()
        self.step = self.default_step
        self.enabled = self.default_enabled or elder
        self._last = None
        self.memory.clear()
        self.history.clear()

    def status(self) -> VoiceStatus:
        engine_ok = self._engine_ok()
        audio_ok = self.player.available()
        detail = ""
        if not engine_ok:
            detail = self._engine_problem or "no speech engine"
        elif not audio_ok:
            detail = getattr(self.player, "reason", "no audio output")
        return VoiceStatus(self.enabled, getattr(self.engine, "name", "none"), engine_ok,
                           audio_ok, detail, self.spoken, self.failed, self.last_error)

    def close(self) -> None:
        self.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)

    # -- rendering ---------------------------------------------------------------------------
    def _engine_ok(self) -> bool:
        if self.engine is None:
            return False
        ok = getattr(self.engine, "available", lambda: True)()
        if not ok and not self._engine_problem:
            self._engine_problem = f"{getattr(self.engine, 'name', 'engine')} not installed"
        return ok

    def _say(self, said: str, lang: str, kind: str, personal: bool) -> None:
        self.stop()
        self.history.append((said, lang, kind))
        self.asked += 1
        if not self.enabled or self.engine is None or not said.strip():
            return
        generation = self._generation
        gain = audio.VOLUME_STEPS_DB[self.step]
        self._pool.submit(self._render, said, lang, kind, personal, gain, generation)

    def render(self, said: str, lang: str, personal: bool) -> bytes:
        """The WAV for `said` at full volume, from a cache or the engine (worker thread)."""
        voice = getattr(self.engine, "voice_for", lambda lang: lang)(lang)
        key = cache_key(said, lang, f"{self.engine.name}:{voice}", self.rate)
        wav = self.memory.get(key)
        if wav is None and self.disk is not None and not personal:
            wav = self.disk.get(key)
        if wav is None:
            wav = self.engine.synthesize(said, lang, self.rate)
            if personal or self.disk is None:
                self.memory.put(key, wav)
            else:
                self.disk.put(key, wav)
        return wav

    def _render(self, said, lang, kind, personal, gain, generation) -> None:
        try:
            wav = audio.scale(self.render(said, lang, personal), gain)
        except (SynthesisError, OSError, ValueError, EOFError) as exc:
            self.failed += 1
            self.last_error = f"{type(exc).__name__}: {exc}"[:200]
            # the text may carry a citizen's data: log its kind and length only
            log.warning("prompt not spoken (%s, %d chars): %s", kind, len(said), self.last_error)
            return
        except Exception:  # an engine plugin's bug must not stop the voice thread
            self.failed += 1
            log.exception("speech engine failed")
            return
        if self.on_rendered is not None:
            self.on_rendered(said, lang, kind, wav)
        self.post(lambda: self._play(wav, generation))

    def _play(self, wav: bytes, generation: int) -> None:
        if generation != self._generation or not self.enabled:
            return  # a newer prompt or a stop came first
        self.spoken += 1
        try:
            self.player.play(wav)
        except Exception as exc:  # noqa: BLE001 — playback faults leave the screen working
            self.last_error = f"play: {exc}"[:200]
            log.warning("prompt not played: %s", exc)

    def wait_idle(self, timeout_s: float = 10.0) -> None:
        """Tests and the tour: wait for the worker to finish what it was given."""
        self._pool.submit(lambda: None).result(timeout_s)
