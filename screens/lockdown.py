"""Lockdown: what the application itself can stop a passer-by from doing at night.

One application-wide event filter: desktop and editing shortcuts swallowed (Alt+F4, Alt+Tab,
Ctrl+W/Q, F11, the Super/Meta key and its combinations, copy/cut/paste/select-all/undo in the
fields), the window's close refused, no context menus, no text selection by dragging or double
tap and nothing dragged out of a field; the cursor hidden on touch terminals. What only the
compositor can block (VT switching, the compositor's own keys, screen blanking) is in deploy/
(cage -s, decision 0024).
"""

from __future__ import annotations

import logging

from screens.qt import QApplication, QEvent, QLineEdit, QObject, Qt, QWidget

log = logging.getLogger("kiosk.lockdown")

_MOD = Qt.KeyboardModifier
_K = Qt.Key
# Ctrl + these: close, quit, and the clipboard and editing shortcuts of a text field (a
# citizen's ID number must not go to the clipboard for the next person to paste).
_CTRL_KEYS = frozenset({_K.Key_W, _K.Key_Q, _K.Key_A, _K.Key_C, _K.Key_X, _K.Key_V, _K.Key_Z,
                        _K.Key_Y, _K.Key_Insert, _K.Key_F4, _K.Key_Tab, _K.Key_N, _K.Key_T,
                        _K.Key_P, _K.Key_S, _K.Key_O, _K.Key_R, _K.Key_L})
_ALWAYS = frozenset({_K.Key_F11, _K.Key_Meta, _K.Key_Super_L, _K.Key_Super_R, _K.Key_Menu,
                     _K.Key_Hyper_L, _K.Key_Hyper_R, _K.Key_Context1})
_SHIFT_KEYS = frozenset({_K.Key_Insert, _K.Key_Delete, _K.Key_F10})  # paste, cut, menu


def blocked_key(key: int, modifiers) -> bool:
    """True for a shortcut the kiosk swallows."""
    mods = modifiers & ~_MOD.KeypadModifier
    if key in _ALWAYS or mods & _MOD.MetaModifier:
        return True
    if mods & _MOD.AltModifier:  # Alt+F4, Alt+Tab, Alt+Esc, Alt+Space (window menu) ...
        return True
    if mods & _MOD.ControlModifier and key in _CTRL_KEYS:
        return True
    return bool(mods & _MOD.ShiftModifier and key in _SHIFT_KEYS)


_BLOCKED_EVENTS = frozenset({QEvent.Type.ContextMenu, QEvent.Type.Close, QEvent.Type.DragEnter,
                             QEvent.Type.DragMove, QEvent.Type.Drop})


class Lockdown(QObject):
    def __init__(self, window: QWidget, *, hide_cursor: bool = False):
        super().__init__(window)
        self.window = window
        self.swallowed = 0
        app = QApplication.instance()
        app.installEventFilter(self)
        if hide_cursor:
            app.setOverrideCursor(Qt.CursorShape.BlankCursor)
        self._cursor_hidden = hide_cursor

    def release(self) -> None:
        app = QApplication.instance()
        app.removeEventFilter(self)
        if self._cursor_hidden:
            app.restoreOverrideCursor()
            self._cursor_hidden = False

    def eventFilter(self, obj, event) -> bool:
        t = event.type()
        if t in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            if blocked_key(event.key(), event.modifiers()):
                self.swallowed += 1
                return True
            return False
        if t in _BLOCKED_EVENTS:
            if t == QEvent.Type.Close and obj is not self.window:
                return False  # the kiosk's own dialogs and panels may close
            self.swallowed += 1
            event.ignore()
            return True
        if isinstance(obj, QLineEdit) and t in (QEvent.Type.MouseButtonDblClick,
                                                 QEvent.Type.MouseMove):
            return True  # no selecting (and so no dragging) text out of a field
        return False


def lock_down(window: QWidget, config) -> Lockdown | None:
    """The lockdown the config asks for (display.lockdown, display.hide_cursor)."""
    display = config.display
    for edit in window.findChildren(QLineEdit):
        edit.setDragEnabled(False)
        edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    if not display.lockdown:
        return None
    log.info("locked down%s", " (cursor hidden)" if display.hide_cursor else "")
    return Lockdown(window, hide_cursor=display.hide_cursor)
