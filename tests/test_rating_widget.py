"""好差评 panel, driven by touch (the payload and the outbox are covered in test_flows.py)."""

from __future__ import annotations

import pytest

from kiosk.flows.rating import RatingReason, Satisfaction
from screens.main import configure_application
from screens.qt import Qt
from screens.widgets.rating import RatingPanel

pytestmark = pytest.mark.gui


def tap(qtbot, w):
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=w.rect().center())


@pytest.fixture
def panel(qtbot, qapp):
    from screens.i18n import Translations
    from screens.theme import STANDARD, stylesheet

    configure_application(qapp)
    qapp.setStyleSheet(stylesheet(STANDARD))
    Translations.of(qapp).set_language("zh_CN")
    w = RatingPanel()
    qtbot.addWidget(w)
    w.resize(1000, 1300)
    w.show()
    return w


def test_five_levels_in_chinese_and_a_good_rating(qtbot, panel):
    got = []
    panel.rated.connect(got.append)
    names = [b.text() for b in panel.level_buttons.values()]
    assert names == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert not panel.submit_button.isEnabled() and not panel.reason_buttons[RatingReason.SLOW].isVisible()
    tap(qtbot, panel.level_buttons[Satisfaction.SATISFIED])
    tap(qtbot, panel.submit_button)
    assert [(r.level, r.reasons) for r in got] == [(Satisfaction.SATISFIED, ())]


def test_low_rating_needs_a_reason(qtbot, panel, artifacts):
    got = []
    panel.rated.connect(got.append)
    tap(qtbot, panel.level_buttons[Satisfaction.VERY_DISSATISFIED])
    assert panel.reason_buttons[RatingReason.SLOW].isVisible() and not panel.submit_button.isEnabled()
    tap(qtbot, panel.reason_buttons[RatingReason.PRINT_PROBLEM])
    tap(qtbot, panel.reason_buttons[RatingReason.SLOW])
    panel.grab().save(str(artifacts / "rating-low.png"))
    tap(qtbot, panel.submit_button)
    assert got[0].reasons == (RatingReason.PRINT_PROBLEM, RatingReason.SLOW)
    assert panel.level is None  # the next citizen starts from nothing


def test_skip(qtbot, panel):
    skipped = []
    panel.skipped.connect(lambda: skipped.append(True))
    tap(qtbot, panel.level_buttons[Satisfaction.BASIC])
    tap(qtbot, panel.skip_button)
    assert skipped == [True] and panel.level is None
