"""The Qt binding itself: a kiosk runs for months, so a reference leak per call is a crash.

PySide6 6.12.0 on Python 3.11 dropped a reference to None on every call of a method that
returns nothing; after some tens of thousands of calls (a few hundred citizen sessions) the
interpreter aborted with "none_dealloc". pyproject.toml keeps PySide6 below 6.12; this test
fails on any binding that has the bug (on Python 3.12+ None is immortal and it passes).
"""

from __future__ import annotations

import sys

import pytest

from screens.qt import QLabel, QPushButton

pytestmark = pytest.mark.gui


def test_void_methods_keep_none_alive(qapp):
    label, button = QLabel(), QPushButton()
    calls = (lambda: label.setText("a"), label.clear, lambda: label.setVisible(True),
             lambda: button.setText("b"), lambda: button.property("unset"),
             lambda: button.setProperty("degraded", "true"))
    before = sys.getrefcount(None)
    for _ in range(2000):
        for call in calls:
            call()
    # 12,000 calls: a leak of one reference per call would show as -12,000
    assert abs(sys.getrefcount(None) - before) < 500
