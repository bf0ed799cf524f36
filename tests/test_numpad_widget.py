"""The ID number pad widget, driven by touch."""

from __future__ import annotations

from datetime import date

import pytest

from protocol import id_check_digit
from screens.main import configure_application
from screens.qt import Qt
from screens.widgets.numpad import IdNumberPad

pytestmark = pytest.mark.gui
VALID = "32040219580315222" + id_check_digit("32040219580315222")


def tap(qtbot, w):
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=w.rect().center())


@pytest.fixture
def pad(qtbot, qapp):
    from screens.i18n import Translations

    from screens.theme import STANDARD, stylesheet

    configure_application(qapp)
    qapp.setStyleSheet(stylesheet(STANDARD))
    Translations.of(qapp).set_language("zh_CN")
    w = IdNumberPad(today=date(2026, 11, 23))
    qtbot.addWidget(w)
    w.resize(700, 1000)
    w.show()
    return w


def type_number(qtbot, pad, text):
    for ch in text:
        tap(qtbot, pad.keys[ch])


def test_valid_number_masked_and_confirmed(qtbot, pad, artifacts):
    got = []
    pad.confirmed.connect(got.append)
    assert not pad.confirm_button.isEnabled()
    type_number(qtbot, pad, VALID)
    assert pad.shown.text() == "3204**********222X"
    assert pad.message.text() == "号码已输完整，请点“确认”。"
    pad.grab().save(str(artifacts / "numpad.png"))
    tap(qtbot, pad.confirm_button)
    assert len(got) == 1 and got[0].masked.endswith("222X")
    assert pad.shown.text() == "—"  # nothing of the number stays on the pad


def test_typo_is_named_in_plain_words(qtbot, pad):
    type_number(qtbot, pad, VALID[:-1] + ("1" if VALID[-1] != "1" else "2"))
    assert "最后一位" in pad.message.text() and not pad.confirm_button.isEnabled()
    tap(qtbot, pad.keys["backspace"])
    assert pad.message.text() == "还需输入 1 位。"


def test_wrong_length_and_x_in_the_middle(qtbot, pad):
    type_number(qtbot, pad, "3204")
    assert pad.message.text() == "还需输入 14 位。"
    before = pad.shown.text()
    tap(qtbot, pad.keys["X"])  # refused: X can only be the 18th character
    assert pad.shown.text() == before and "X" in pad.message.text()
    tap(qtbot, pad.clear_button)
    assert pad.shown.text() == "—"
