"""Voice guidance on the screens (docs/decisions/0031): entering a screen says its prompt, a
new screen interrupts the old one, the 语音 switch and volume on the nav bar, elder mode turns
it on, a new session resets it. Against a recording engine and player, through the real
composition root."""

from __future__ import annotations

import pytest

from kiosk.navigation import Screen
from screens.qt import Qt
from wiring import Overrides

from test_voice import RecordingEngine, RecordingPlayer


@pytest.fixture
def voiced(kiosk_window, make_config, small_catalog_file):
    def make(**voice):
        engine, player = RecordingEngine(), RecordingPlayer()
        config = make_config(small_catalog_file, voice=voice or {"enabled": True})
        kiosk = kiosk_window(config, overrides=Overrides(voice_engine=engine,
                                                          voice_player=player))
        return kiosk.window, engine, player

    return make


def tap(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def said(window):
    return [t for t, _lang, _kind in window.core.services.voice.history]


def test_entering_a_screen_says_its_prompt_and_a_new_one_interrupts(qtbot, voiced, artifacts):
    w, engine, player = voiced()
    w.core.begin_session()
    w.grab().save(str(artifacts / "voice-nav-zh.png"))
    assert said(w)[-1] == "请选择事项、部门，或搜索。"
    qtbot.waitUntil(lambda: len(player.played) == 1, timeout=5000)
    stops = player.stops
    tap(qtbot, w.screens[Screen.HOME].search_button)
    assert w.core.navigator.current.screen == Screen.SEARCH
    assert player.stops > stops  # the home prompt cut off
    assert said(w)[-1] == "请输入您要办理事项的拼音首字母。"
    qtbot.waitUntil(lambda: len(player.played) == 2, timeout=5000)
    assert engine.calls[-1] == ("请输入您要办理事项的拼音首字母。", "zh_CN")
    for ch in "sb":  # typed letters echoed with the count of matches
        tap(qtbot, w.screens[Screen.SEARCH].keyboard.keys[ch])
    text, _lang, kind = w.core.services.voice.history[-1]
    assert kind == "echo" and text.startswith("s b。") and "找到" in text
    # English: the English source text to the English voice
    tap(qtbot, w.nav.language_buttons["en"])
    assert w.core.services.voice.history[-1][:2] == (  # said again in the new language
        "Type the first letters of the pinyin of what you need.", "en")
    tap(qtbot, w.nav.home_button)
    assert w.core.services.voice.history[-1][:2] == (
        "Choose a service, a department, or search.", "en")
    assert w.nav.voice_button.isVisible() and w.nav.volume_button.isVisible()
    w.grab().save(str(artifacts / "voice-nav-en.png"))


def test_switch_volume_elder_mode_and_reset(qtbot, voiced, artifacts):
    w, engine, player = voiced(enabled=False, volume=2)
    voice = w.core.services.voice
    w.core.begin_session()
    assert not voice.enabled and engine.calls == []
    assert not w.nav.volume_button.isVisible()
    tap(qtbot, w.nav.elder_button)  # elder mode: 语音 on by default
    assert voice.enabled
    qtbot.waitUntil(lambda: len(player.played) >= 1, timeout=5000)
    assert w.nav.volume_button.isVisible() and w.nav.volume_button.text() == "音量 2/4"
    tap(qtbot, w.nav.volume_button)
    tap(qtbot, w.nav.volume_button)
    assert voice.step == 3 and w.nav.volume_button.text() == "音量 4/4"
    w.grab().save(str(artifacts / "voice-nav-elder.png"))
    tap(qtbot, w.nav.voice_button)
    assert not voice.enabled
    w.core.end_session()
    w.core.begin_session()
    assert voice.step == 1 and not voice.enabled  # the next citizen starts from the config


def test_no_audio_device_the_terminal_works_silently(qtbot, kiosk_window, make_config,
                                                     small_catalog_file):
    """The real Qt player on a machine without an audio output: every screen still works and
    the status says why it is silent."""
    config = make_config(small_catalog_file, voice={"enabled": True})
    kiosk = kiosk_window(config, overrides=Overrides(voice_engine=RecordingEngine()))
    w = kiosk.window
    status = w.core.services.voice.status()
    if status.audio_ok:
        pytest.skip("this machine has an audio output")
    assert status.state == "silent" and "audio" in status.detail
    w.core.begin_session()
    tap(qtbot, w.screens[Screen.HOME].search_button)
    assert w.core.navigator.current.screen == Screen.SEARCH


def test_id_number_pad_echo_never_says_a_digit(qtbot, qapp):
    """Every key press on the ID number pad is echoed (how many are left, what is wrong) and no
    digit of the number reaches the voice's text, the engine or the history."""
    from kiosk.voice import Voice
    from screens.widgets.numpad import IdNumberPad

    pad = IdNumberPad()
    qtbot.addWidget(pad)
    engine, player = RecordingEngine(), RecordingPlayer()
    voice = Voice(engine, player)
    pad.said.connect(lambda text, kind: voice.speak(text, "zh_CN", kind, personal=True))
    number = "11010519491231002X"
    for ch in number:
        pad.press(ch)
    voice.wait_idle()
    assert len(voice.history) == len(number)
    texts = [t for t, _l, _k in voice.history] + [t for t, _l in engine.calls]
    for t in texts:
        for i in range(len(number) - 2):  # no run of three of the number's characters
            assert number[i:i + 3] not in t
    assert texts[0] != texts[1]  # the echo changes with each key ("还需输入十七位" ...)
    voice.close()
