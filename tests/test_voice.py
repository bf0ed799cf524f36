"""Voice guidance (issue 12 part 2, docs/decisions/0031): the text a screen's prompt becomes,
real espeak-ng synthesis read back with `wave`, volume steps measured on the samples, the
cache, failures. Qt-free; the screen side is in test_voice_screens.py."""

from __future__ import annotations

import io
import math
import shutil
import wave
from datetime import date

import pytest

from kiosk.bus import ManualPost
from kiosk.voice import NullPlayer, Voice
from kiosk.voice import audio
from kiosk.voice.engine import EspeakEngine, SynthesisError
from kiosk.voice.text import (amount_words, chinese_numbers, date_words, echo_text,
                              integer_words, speakable, to_pinyin)

espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                            reason="espeak-ng not installed (scripts/install-system-deps.sh)")


class RecordingPlayer:
    def __init__(self, available=True):
        self.played: list[bytes] = []
        self.stops = 0
        self._available = available

    def available(self):
        return self._available

    def play(self, wav):
        self.played.append(wav)

    def stop(self):
        self.stops += 1


class RecordingEngine:
    """Records what reaches an engine; a tiny real WAV (a tone) as the sound."""

    name = "recording"

    def __init__(self, fail=False):
        self.calls: list[tuple[str, str]] = []
        self.fail = fail

    def voice_for(self, lang):
        return lang

    def synthesize(self, text, lang, rate):
        self.calls.append((text, lang))
        if self.fail:
            raise SynthesisError("broken")
        return tone()


def tone(seconds=0.2, amplitude=8000, rate=16000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = bytearray()
        for i in range(int(seconds * rate)):
            frames += int(amplitude * math.sin(2 * math.pi * 440 * i / rate)).to_bytes(
                2, "little", signed=True)
        w.writeframes(bytes(frames))
    return buf.getvalue()


# -- text ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value,words", [
    ("1234.50", "一千二百三十四元五角"), ("0.05", "五分"), ("3", "三元整"),
    ("1001.01", "一千零一元零一分"), ("10.00", "十元整"), ("12,000.8", "一万二千元八角"),
])
def test_amounts_in_words(value, words):
    assert amount_words(value) == words


@pytest.mark.parametrize("n,words", [
    (0, "零"), (10, "十"), (15, "十五"), (101, "一百零一"), (110, "一百一十"), (1010, "一千零一十"),
    (10001, "一万零一"), (120000, "十二万"), (100000005, "一亿零五"),
])
def test_integers_in_words(n, words):
    assert integer_words(n) == words


def test_dates_amounts_and_numbers_in_a_sentence():
    assert date_words(date(2026, 12, 5)) == "二〇二六年十二月五日"
    said = chinese_numbers("余额1234.50元，截至2026-12-05，共3笔，您的号码A0123")
    assert said == "余额一千二百三十四元五角，截至二〇二六年十二月五日，共三笔，您的号码A零一二三"
    assert not any(c.isdigit() for c in said)
    assert speakable("Balance 12.50", "en") == "Balance 12.50"  # English read by its voice


def test_pinyin_with_tone_numbers():
    assert to_pinyin("请刷身份证。谢谢") == "qing3 shua1 shen1 fen4 zheng4, xie4 xie4"
    assert to_pinyin(speakable("余额5元", "zh_CN")) == "yu2 e2 wu3 yuan2 zheng3"


ID = "110101199003071234"


@pytest.mark.parametrize("field,value", [("id_number", ID), ("pin", "864209"),
                                         ("id_number", "11010119900307123X")])
def test_id_and_pin_digits_never_spoken(field, value):
    """Neither the text nor what reaches the engine nor the played sound's text carries them."""
    for lang in ("zh_CN", "en"):
        said = echo_text(field, value, lang)
        assert not any(c.isdigit() for c in said if lang == "zh_CN")
        assert value not in said and value[-4:] not in said
    engine, player = RecordingEngine(), RecordingPlayer()
    voice = Voice(engine, player)
    for i in range(1, len(value) + 1):  # every key press echoed
        voice.echo(field, value[:i], "zh_CN")
        voice.echo(field, value[:i], "en")
    voice.wait_idle()
    engine_text = " ".join(t for t, _ in engine.calls)
    digits_words = "零一二三四五六七八九"
    assert value[:4] not in engine_text
    # the Chinese echo says how many ("已输入十八位"), never which: no digit word but counts
    for t, lang in engine.calls:
        if lang == "zh_CN":
            assert t.startswith("已输入") and t.endswith("位")
    for t, _lang, kind in voice.history:
        assert value not in t and kind == "echo"
    assert len(engine.calls) == 2 * len(value)
    voice.close()


def test_other_input_is_echoed():
    assert echo_text("phone", "139", "zh_CN") == "一 三 九"
    assert echo_text("search", "sbcb", "zh_CN") == "sbcb"


# -- the port -------------------------------------------------------------------------------

def test_new_prompt_interrupts_repeat_and_reset():
    engine, player, post = RecordingEngine(), RecordingPlayer(), ManualPost()
    voice = Voice(engine, player, volume_step=1, post=post)
    voice.speak("请选择事项", "zh_CN")
    voice.wait_idle()  # rendered, its playback waiting for the UI thread
    stops = player.stops
    voice.speak("请刷身份证", "zh_CN")
    assert player.stops == stops + 1  # the old prompt cut
    voice.wait_idle()
    post.drain()
    # the first prompt, rendered before the second was asked for, is never played
    assert len(player.played) == 1
    voice.repeat()
    voice.wait_idle()
    post.drain()
    assert [t for t, _ in engine.calls][-1] == "请刷身份证"
    assert len(player.played) == 2
    voice.volume_up(); voice.volume_up(); voice.volume_up()
    assert voice.step == 3
    voice.reset_session()
    assert voice.step == 1 and not voice.repeatable()
    voice.close()


def test_switch_off_by_default_on_in_elder_mode():
    voice = Voice(RecordingEngine(), RecordingPlayer(), enabled=False)
    voice.reset_session(elder=False)
    assert not voice.enabled
    voice.speak("请选择", "zh_CN")
    voice.wait_idle()
    assert voice.engine.calls == []
    voice.reset_session(elder=True)
    assert voice.enabled
    voice.close()


def test_volume_steps_at_least_12_db_apart_measured():
    engine, player = RecordingEngine(), RecordingPlayer()
    voice = Voice(engine, player, volume_step=0)
    voice.speak("请选择", "zh_CN")
    voice.wait_idle()
    while voice.volume_up() < voice.steps - 1:
        pass
    voice.repeat()
    voice.wait_idle()
    soft, loud = (audio.rms(w) for w in player.played)
    assert soft > 0
    db = 20 * math.log10(loud / soft)
    assert db >= 12, db
    voice.close()


def test_failed_synthesis_is_logged_skipped_and_reported(caplog):
    voice = Voice(RecordingEngine(fail=True), RecordingPlayer())
    voice.speak("请选择", "zh_CN")
    voice.wait_idle()
    assert voice.status().failed == 1 and "broken" in voice.status().last_error
    assert "请选择" not in caplog.text  # the prompt's text stays out of the log
    voice.close()


def test_missing_espeak_is_skipped_and_reported():
    voice = Voice(EspeakEngine(binary="espeak-ng-not-here"), RecordingPlayer())
    st = voice.status()
    assert not st.engine_ok and st.state == "silent" and "not installed" in st.detail
    voice.speak("请选择", "zh_CN")
    voice.wait_idle()
    assert voice.status().failed == 1 and voice.player.played == []
    voice.close()


def test_no_audio_device_is_silent_and_says_so():
    voice = Voice(RecordingEngine(), NullPlayer("no audio output device"))
    st = voice.status()
    assert st.engine_ok and not st.audio_ok and st.detail == "no audio output device"
    voice.speak("请选择", "zh_CN")  # does not raise
    voice.wait_idle()
    voice.close()


def test_cache_on_disk_only_without_personal_data(tmp_path):
    engine, player = RecordingEngine(), RecordingPlayer()
    voice = Voice(engine, player, cache_dir=tmp_path / "speech", cache_limit=3)
    voice.speak("请选择事项", "zh_CN")
    voice.wait_idle()
    files = voice.disk.files()
    assert len(files) == 1 and (files[0].stat().st_mode & 0o777) == 0o600
    voice.speak("请选择事项", "zh_CN")
    voice.wait_idle()
    assert len(engine.calls) == 1  # from the cache
    voice.speak("余额1234.50元", "zh_CN", "result", personal=True)
    voice.echo("phone", "139", "zh_CN")
    voice.wait_idle()
    assert len(voice.disk.files()) == 1  # personal prompts stay in memory
    for i in range(5):
        voice.speak(f"第{i}项", "zh_CN")
    voice.wait_idle()
    assert len(voice.disk.files()) == 3  # bounded
    voice.reset_session()
    assert len(voice.memory) == 0  # the last citizen's prompts forgotten
    fresh = Voice(engine, player, cache_dir=tmp_path / "speech")
    calls = len(engine.calls)
    fresh.speak("第4项", "zh_CN")
    fresh.wait_idle()
    assert len(engine.calls) == calls  # survives a restart
    voice.close(); fresh.close()


# -- real synthesis ----------------------------------------------------------------------

@espeak
def test_espeak_makes_a_real_wav_in_chinese_and_english():
    engine = EspeakEngine()
    for text, lang in (("请将身份证放在感应区，余额一千二百三十四元五角", "zh_CN"),
                       ("Please place your ID card on the reader", "en")):
        wav = engine.synthesize(text, lang, 150)
        with wave.open(io.BytesIO(wav)) as w:
            assert w.getsampwidth() == 2 and w.getnchannels() == 1
            seconds = w.getnframes() / w.getframerate()
        assert 1.0 < seconds < 15.0, seconds
        assert audio.rms(wav) > 100  # not silence
    # the Chinese goes in as pinyin syllables with tone numbers
    assert engine.engine_text("请刷卡", "zh_CN") == "qing3 shua1 ka3"


@espeak
def test_espeak_volume_steps_measured_on_real_speech():
    player = RecordingPlayer()
    voice = Voice(EspeakEngine(), player, volume_step=0)
    voice.speak("请选择事项", "zh_CN")
    voice.wait_idle()
    voice.step = voice.steps - 1
    voice.repeat()
    voice.wait_idle()
    soft, loud = (audio.rms(w) for w in player.played)
    assert 20 * math.log10(loud / soft) >= 12
    voice.close()
