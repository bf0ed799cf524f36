"""WAV helpers: loudness steps applied to the samples themselves, RMS measured (no Qt)."""

from __future__ import annotations

import array
import io
import math
import sys
import wave

#: volume steps as gain in dB, softest first: the loudest is 18 dB above the softest
VOLUME_STEPS_DB = (-18.0, -12.0, -6.0, 0.0)


def scale(wav_bytes: bytes, gain_db: float) -> bytes:
    """The WAV with every 16-bit sample multiplied by the gain (clipped)."""
    with wave.open(io.BytesIO(wav_bytes)) as w:
        params = w.getparams()
        frames = w.readframes(w.getnframes())
    if params.sampwidth != 2:
        return wav_bytes
    samples = array.array("h")
    samples.frombytes(frames)
    if sys.byteorder == "big":
        samples.byteswap()
    g = 10 ** (gain_db / 20)
    out = array.array("h", (max(-32768, min(32767, int(s * g))) for s in samples))
    if sys.byteorder == "big":
        out.byteswap()
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setparams(params)
        w.writeframes(out.tobytes())
    return buf.getvalue()


def samples(wav_bytes: bytes) -> tuple[array.array, int]:
    with wave.open(io.BytesIO(wav_bytes)) as w:
        rate = w.getframerate()
        data = array.array("h")
        data.frombytes(w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        data.byteswap()
    return data, rate


def rms(wav_bytes: bytes) -> float:
    data, _ = samples(wav_bytes)
    if not data:
        return 0.0
    return math.sqrt(sum(s * s for s in data) / len(data))


def duration_s(wav_bytes: bytes) -> float:
    with wave.open(io.BytesIO(wav_bytes)) as w:
        return w.getnframes() / w.getframerate()
