"""Lockdown (screens/lockdown.py): shortcuts swallowed, close refused, no context menu, no text
dragged or selected out of a field; the kiosk's own keys still work."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui

SHORTCUTS = [  # (key, modifiers) a passer-by might try
    ("Key_F4", ["AltModifier"]), ("Key_Tab", ["AltModifier"]), ("Key_Escape", ["AltModifier"]),
    ("Key_Space", ["AltModifier"]), ("Key_W", ["ControlModifier"]), ("Key_Q", ["ControlModifier"]),
    ("Key_F11", []), ("Key_Meta", []), ("Key_Super_L", []), ("Key_D", ["MetaModifier"]),
    ("Key_C", ["ControlModifier"]), ("Key_V", ["ControlModifier"]), ("Key_A", ["ControlModifier"]),
    ("Key_Insert", ["ShiftModifier"]), ("Key_F4", ["ControlModifier"]),
    ("Key_Tab", ["ControlModifier", "AltModifier"]),
]


def _mods(names):
    from screens.qt import Qt

    m = Qt.KeyboardModifier.NoModifier
    for n in names:
        m |= getattr(Qt.KeyboardModifier, n)
    return m


def test_the_blocked_keys_and_the_kiosk_s_own():
    from screens.lockdown import blocked_key
    from screens.qt import Qt

    for key, mods in SHORTCUTS:
        assert blocked_key(getattr(Qt.Key, key), _mods(mods)), (key, mods)
    for key in ("Key_1", "Key_X", "Key_Return", "Key_Backspace", "Key_F12", "Key_Escape"):
        assert not blocked_key(getattr(Qt.Key, key), _mods([])), key
    assert not blocked_key(Qt.Key.Key_X, _mods(["ShiftModifier"]))  # the ID number's X
    assert not blocked_key(Qt.Key.Key_5, _mods(["KeypadModifier"]))  # a keypad's digits


def test_every_shortcut_leaves_the_window_open_and_in_front(kiosk_window, make_config, qtbot):
    from kiosk.navigation import Screen
    from screens.qt import QContextMenuEvent, QCoreApplication, QLineEdit, QPoint, Qt

    kiosk = kiosk_window(make_config())
    w = kiosk.window
    assert kiosk.lockdown is not None
    kiosk.core.begin_session()
    w.activateWindow()
    for key, mods in SHORTCUTS:
        qtbot.keyClick(w, getattr(Qt.Key, key), _mods(mods))
        assert w.isVisible() and kiosk.core.navigator.current.screen == Screen.HOME
    assert kiosk.lockdown.swallowed >= len(SHORTCUTS)
    assert w.close() is False and w.isVisible()  # close refused
    menu = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), w.mapToGlobal(QPoint(5, 5)))
    QCoreApplication.sendEvent(w, menu)
    assert not menu.isAccepted()
    for edit in w.findChildren(QLineEdit):
        assert not edit.dragEnabled()
        assert edit.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
    # the kiosk's own typing still reaches it: search by pinyin initials
    kiosk.core.navigator.go(Screen.SEARCH)
    search = w.screens[Screen.SEARCH]
    edit = search.findChild(QLineEdit)
    # a line edit takes typed keys only with the focus, and an earlier test's window may have
    # been the active one: wait for both (the offscreen platform activates asynchronously)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=3000)
    qtbot.keyClicks(edit, "sbcb")
    assert edit.text() == "sbcb"
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert edit.selectedText() == ""  # select-all swallowed: nothing to copy


def test_lockdown_off_on_a_developer_s_desktop(kiosk_window, make_config):
    kiosk = kiosk_window(make_config(display={"lockdown": False}))
    assert kiosk.lockdown is None
