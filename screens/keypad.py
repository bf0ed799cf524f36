"""The keypad path on the screens (issue 12 part 3, docs/decisions/0033): one application
event filter that turns a 12-key keypad's keys (kiosk.keypad) into moves of a focus frame
among the current screen's buttons, presses, digits for the number pad and "back".

The focus is the kiosk's own, drawn by `FocusFrame` over the window, not Qt's keyboard focus:
the kiosk's buttons take no Qt focus on purpose (a search field keeps it while the on-screen
keys are tapped; tiles, chips and pad keys are `Qt.NoFocus`), and a frame of our own is drawn
the same way around every kind of target, on top of everything, never clipped by a scroll area
or a card.

- Arrows move the frame (kiosk.keypad.next_target); Enter presses the framed button; digits
  type into the number pad shown (or into a text field that has Qt's focus); Clear deletes
  one character (twice, or held: all); Cancel is the nav bar's back, at home the Finish
  button (a second Cancel or Enter finishes).
- The first key (after a touch, or in a new session) turns 语音 on and says the screen's
  prompt, how to use the keys and the framed control; every move says the control's name and
  role, interrupting what was being said. An ID-number field says how many characters were
  typed, never which.
- A touch hides the frame; touch works as before. Every key counts as activity for the idle
  timeout.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache

from kiosk.keypad import ARROWS, ClearGesture, FocusRing, Key, KeyMap, focus_ring, next_target
from screens.qt import (
    QAbstractButton,
    QColor,
    QEvent,
    QLineEdit,
    QObject,
    QPainter,
    QRect,
    QScrollArea,
    Qt,
    QtGui,
    QTimer,
    QWidget,
    alive,
    translate,
)
from screens.theme import Theme, theme_for
from screens.widgets.chrome import CHECK, PERSONAL

log = logging.getLogger("kiosk.ui")

_MOUSE = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin})


@lru_cache(maxsize=4)
def ring_for(theme: Theme) -> FocusRing:
    """The frame's colours in a theme: at least 3:1 against the page, every surface, button
    and border colour the theme paints (kiosk.keypad.focus_ring)."""
    return focus_ring(theme.bg, (theme.surface, theme.primary, theme.accent, theme.border,
                                 theme.text, theme.on_primary))


def code_name(key: int) -> str:
    """Qt's key code as the config names it: Qt.Key.Key_Return -> "Return"."""
    try:
        return Qt.Key(key).name.removeprefix("Key_")
    except ValueError:
        return ""


class FocusFrame(QWidget):
    """The keypad focus: a thick two-band ring around the framed control, drawn over the
    whole window (mouse and touch pass through)."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("KeypadFocusFrame")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.theme: Theme = theme_for(False)
        self.ring_rect = QRect()  # the ring's outer edge, in window coordinates
        self.hide()

    def widths(self) -> tuple[int, int]:
        """(core band, halo band) in pixels at the theme's scale."""
        return self.theme.px(6), self.theme.px(3)

    def frame(self, target: QWidget, theme: Theme) -> None:
        same_theme, self.theme = theme == self.theme, theme
        win = self.parentWidget()
        core, halo = self.widths()
        pad = core + 2 * halo + 2
        top_left = target.mapTo(win, target.rect().topLeft())
        r = QRect(top_left, target.size()).adjusted(-pad, -pad, pad, pad)
        # never clipped: a control at the window's edge gets its ring just inside the window
        r = r.intersected(win.rect())
        if same_theme and r == self.ring_rect and self.isVisible() and \
                self.geometry() == win.rect():
            return  # (followed every 200 ms: no repaint when nothing moved)
        self.ring_rect = r
        self.setGeometry(win.rect())
        self.show()
        self.raise_()
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        if self.ring_rect.isEmpty():
            return
        ring = ring_for(self.theme)
        core, halo = self.widths()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setBrush(Qt.BrushStyle.NoBrush)
        radius = self.theme.px(14)

        def band(inset: float, width: int, colour: str) -> None:
            pen = QtGui.QPen(QColor(colour))
            pen.setWidth(width)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            p.setPen(pen)
            half = inset + width / 2
            p.drawRoundedRect(self.ring_rect.toRectF().adjusted(half, half, -half, -half),
                              radius, radius)

        band(0, halo, ring.halo)
        band(halo, core, ring.core)
        band(halo + core, halo, ring.halo)
        p.end()


class KeypadNavigator(QObject):
    """Installed on the application by the window (`KioskWindow`) when `[keypad] enabled`."""

    def __init__(self, window, keymap: KeyMap | None = None, double_clear_s: float = 1.0):
        super().__init__(window)
        self.window = window
        self.core = window.core
        self.keymap = keymap or KeyMap.from_config()
        self.frame = FocusFrame(window)
        self.target: QWidget | None = None
        self.active = False  # a keypad key came since the last touch, in this session
        self.clear = ClearGesture(double_clear_s)
        self._consumed: set[int] = set()  # key codes whose release is ours too
        self._finish_armed = False  # Cancel at home: a second Cancel finishes
        self._context: tuple = ()  # (route, page shown): a new one re-places the frame
        self._mine = -1  # the voice's `asked` count after our last words
        self._follow = QTimer(self)  # the framed control moves (a layout, a scroll): follow it
        self._follow.setInterval(200)
        self._follow.timeout.connect(self.refresh)

    # -- the filter --------------------------------------------------------------------------
    def install(self) -> None:
        from screens.qt import QApplication

        QApplication.instance().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        kind = event.type()
        if kind in _MOUSE:
            if self.active and isinstance(obj, QWidget) and obj.window() is self.window:
                self.deactivate()  # a touch: the frame goes, touch works as before
            return False
        if kind == QEvent.Type.KeyRelease:
            if event.key() in self._consumed and not event.isAutoRepeat():
                self._consumed.discard(event.key())
                return True
            return False
        if kind != QEvent.Type.KeyPress:
            return False
        if not isinstance(obj, QWidget) or obj.window() is not self.window:
            return False  # another window (a dialog of the technician's tools)
        mods = Qt.KeyboardModifier
        if event.modifiers() & (mods.ControlModifier | mods.AltModifier | mods.MetaModifier):
            return False
        key = self.keymap.key_for(code_name(event.key()))
        if key is None:
            return False
        if isinstance(obj, QLineEdit) and (key.digit is not None or key is Key.CLEAR):
            return False  # a text field with Qt's focus (search) takes digits and Clear itself
        self._consumed.add(event.key())
        self.press(key, auto_repeat=event.isAutoRepeat())
        return True

    # -- keys --------------------------------------------------------------------------------
    def press(self, key: Key, auto_repeat: bool = False) -> None:
        """One keypad key (the event filter calls this; so may a test or the tour)."""
        if not self.window.overlay.isVisible():
            self.core.session.touch()  # keypad activity is activity (the idle timeout)
            if self.core.staff is not None:
                self.core.staff.touch()  # (as the window does for any key)
        from kiosk.navigation import Screen

        if self.core.navigator.current.screen == Screen.ATTRACT and \
                not self._overlay_root():
            self.core.begin_session()  # any key starts, as a touch anywhere does
            self._activate()
            return
        if not self.active:
            self._activate()
            if key in ARROWS or key is Key.ENTER or key is Key.CANCEL:
                return  # the first key says where the citizen is; it does not act
        elif self._stale() and key.digit is None and key is not Key.CLEAR:
            self.refresh()  # a new page came under the frame: this key says where it went
            return
        if key in ARROWS:
            self._finish_armed = False
            self.move(ARROWS[key])
        elif key is Key.ENTER:
            self.enter()
        elif key is Key.CANCEL:
            self.cancel()
        elif key is Key.CLEAR:
            self._clear(self.clear.press(time.monotonic(), auto_repeat))
        elif key is Key.REPEAT:
            voice = self.core.services.voice
            if voice is not None and voice.repeatable():
                voice.repeat()  # the last words again (the nav bar's volume press does too)
        elif key.digit is not None:
            self._digit(key.digit)

    def _activate(self) -> None:
        self.active = True
        self._finish_armed = False
        voice = self.core.services.voice
        if voice is not None and not voice.enabled:  # a keypad user needs speech (ADA 707.5)
            voice.set_enabled(True)
            self.window._voice_state()
        self._place(self._default_target())
        self._follow.start()
        self._say_target(with_prompt=True, with_help=True)

    def deactivate(self) -> None:
        self.active = False
        self._finish_armed = False
        self.target = None
        self.frame.hide()
        self._follow.stop()

    def move(self, direction) -> None:
        targets = self.targets()
        if not targets:
            return
        current = self.target if self.target in targets else None
        if current is None:
            self._place(self._default_target(fallback=True))
            self._say_target()
            return
        others = [t for t in targets if t is not current]
        i = next_target(self._rect(current), [self._rect(t) for t in others], direction)
        if i is None:
            return
        self._place(others[i])
        self._say_target()

    def enter(self) -> None:
        target = self.target
        if target is None or not self._usable(target):
            self._place(self._default_target(fallback=True))
            self._say_target()
            return
        if target is self.window.nav.end_button:
            self._finish_armed = False
        if isinstance(target, QAbstractButton):
            screen_before = self.core.navigator.current
            QTimer.singleShot(0, self.refresh)  # whatever the press re-lays out: followed
            target.click()
            if self.core.navigator.current is screen_before and alive(target) and \
                    self._usable(target) and target is self.target:
                self._say_target()  # the same control: its new state (a chip chosen, 语音 on)
        else:
            self._say_target()

    def cancel(self) -> None:
        from kiosk.navigation import Screen

        w = self.window
        root = self._overlay_root()
        if root is w.overlay:  # "still there?": Cancel (like any key) keeps the session
            w.overlay.stay_button.click()
            return
        if root is not None:
            return  # a staff or consent panel: its own buttons decide
        nav = w.nav
        if nav.back_button.isVisible() and nav.back_button.isEnabled():
            nav.back_button.click()
            return
        if self.core.navigator.current.screen == Screen.HOME and nav.end_button.isVisible():
            if self._finish_armed and self.target is nav.end_button:
                self._finish_armed = False
                nav.end_button.click()
                return
            # as a touch citizen's Finish, but one key press away from losing everything is
            # too close for a key that also means "back": frame Finish and ask once more
            self._finish_armed = True
            self._place(nav.end_button)
            self._say(translate("Keypad", "Finish and clear everything? Press Cancel again or "
                                "Enter to finish; an arrow key to stay."))

    def _clear(self, how: str) -> None:
        pad = self._number_pad()
        if pad is None:
            return
        from kiosk.devices.numpad import NumpadKey

        pad.press(NumpadKey.CLEAR if how == "all" else NumpadKey.BACKSPACE)

    def _digit(self, digit: str) -> None:
        pad = self._number_pad()
        if pad is not None:
            pad.press(digit)  # the pad says how many are left, never the digit (0031)
        else:  # a citizen who cannot see the screen learns why nothing happened
            self._say(translate("Keypad", "There is no number to type here. Use the arrow "
                                "keys and Enter."))

    def path_to(self, goal: QWidget):
        """The first arrow (a kiosk.keypad.Direction) on the shortest way from the framed
        control to `goal` by this navigator's own rule on today's rectangles; None when it
        cannot be reached (the tour and the tests drive the keypad with it)."""
        from collections import deque

        from kiosk.keypad import Direction

        targets = self.targets()
        if self.target not in targets or goal not in targets:
            return None
        rects = {id(t): self._rect(t) for t in targets}
        seen = {id(self.target)}
        todo = deque([(self.target, None)])
        while todo:
            cur, first = todo.popleft()
            others = [t for t in targets if t is not cur]
            for d in Direction:
                i = next_target(rects[id(cur)], [rects[id(t)] for t in others], d)
                if i is None or id(others[i]) in seen:
                    continue
                if others[i] is goal:
                    return first or d
                seen.add(id(others[i]))
                todo.append((others[i], first or d))
        return None

    # -- what can be framed --------------------------------------------------------------------
    def _overlay_root(self) -> QWidget | None:
        w = self.window
        # the panels made so far (a panel not made yet is not shown)
        for panel in (getattr(w, "_maintenance_panel", None), getattr(w, "_staff_panel", None),
                      getattr(w, "remote_consent", None), w.overlay):
            if panel is not None and panel.isVisible():
                return panel
        return None

    def _root(self) -> QWidget:
        return self._overlay_root() or self.window

    def targets(self) -> list[QWidget]:
        """The actionable controls shown now: visible, enabled buttons (tiles, list rows, chips,
        on-screen keyboard and pad keys, the nav bar) of the top panel or the window, and the
        ID-number field of a number pad."""
        root = self._root()
        out: list[QWidget] = []
        for b in root.findChildren(QAbstractButton):
            if self._usable(b):
                out.append(b)
        pad = self._number_pad(root)
        if pad is not None:
            out.append(pad.shown)
        return out

    def _usable(self, w: QWidget) -> bool:
        if not alive(w) or not w.isVisible() or w.window() is not self.window:
            return False
        if isinstance(w, QAbstractButton) and not w.isEnabled():
            return False
        root = self._root()
        return root is self.window or root.isAncestorOf(w)

    def _number_pad(self, root: QWidget | None = None):
        from screens.widgets.numpad import IdNumberPad

        for pad in (root or self._root()).findChildren(IdNumberPad):
            if pad.isVisible():
                return pad
        return None

    def _default_target(self, fallback: bool = False) -> QWidget | None:
        """Where the frame starts on a screen: the first control of the panel shown or of the
        screen in reading order. A page with no control of its own (a flow waiting for the
        backend or the printer) gets no frame by itself, so that an Enter pressed while the
        page said what it waits for does not land on the bar's Back; an arrow (`fallback`)
        then frames the bar's first control."""
        targets = self.targets()
        root = self._overlay_root() or self.window.current_screen
        own = [t for t in targets if root.isAncestorOf(t)] or (targets if fallback else [])
        if not own:
            return None
        rects = [self._rect(t) for t in own]
        return own[next_target(None, rects, ARROWS[Key.DOWN])]

    def _rect(self, w: QWidget) -> tuple[float, float, float, float]:
        p = w.mapTo(self.window, w.rect().topLeft())
        return (p.x(), p.y(), w.width(), w.height())

    # -- the frame ----------------------------------------------------------------------------
    def _place(self, target: QWidget | None) -> None:
        self.target = target
        self._context = self._current_context()
        if target is None:
            self.frame.hide()
            return
        self._reveal(target)
        self.frame.frame(target, theme_for(self.core.session.data.elder_mode))

    def _reveal(self, target: QWidget) -> None:
        """A control in a scrolled list: scrolled into view first."""
        parent = target.parentWidget()
        while parent is not None and parent is not self.window:
            if isinstance(parent, QScrollArea):
                margin = self.frame.widths()[0] * 3
                parent.ensureWidgetVisible(target, margin, margin)
            parent = parent.parentWidget()

    def _current_context(self) -> tuple:
        screen = self.window.current_screen
        pages = screen.__dict__.get("pages")  # the flow screen: one page per step
        page = pages.currentWidget() if pages is not None else None
        return (self.core.navigator.current, page, self._overlay_root())

    def _stale(self) -> bool:
        """A new page or panel came, or the framed control went, since the frame was placed."""
        return self._current_context() != self._context or \
            (self.target is not None and not self._usable(self.target))

    def refresh(self) -> None:
        """Follow the framed control (it moved, or a page changed under it); a control gone,
        a new page of the flow or a panel over the window hands the frame to the first
        control there, which is said with what the page said."""
        if not self.active:
            return
        if not self._stale():
            if self.target is not None:
                self._place(self.target)
            return
        self._place(self._default_target())
        if self.target is not None:
            self._say_target(with_prompt=True)

    def route_changed(self) -> None:
        """A new screen (the window calls this after its prompt was asked for)."""
        from kiosk.navigation import Screen

        self._finish_armed = False
        self.clear.reset()
        if self.core.navigator.current.screen in (Screen.ATTRACT, Screen.OUT_OF_SERVICE):
            self.deactivate()  # the session ended: the next citizen starts afresh
            return
        if self.active:
            self._place(self._default_target())
            self._say_target(with_prompt=True)

    # -- speech --------------------------------------------------------------------------------
    def describe(self, w: QWidget) -> str:
        """The framed control's accessible name and role, in words (nothing personal: an
        ID-number field says how many characters were typed)."""
        from screens.widgets.numpad import IdNumberPad

        pad = w.parentWidget()
        if isinstance(pad, IdNumberPad) and w is pad.shown:
            n = pad.entry.length
            return translate("Keypad", "ID number field, %n character(s) typed. Type the "
                             "digits; Clear deletes one.", "", n)
        name = (w.accessibleName() or getattr(w, "text", lambda: "")() or "").strip()
        name = name.strip(CHECK + "‹›⌫ ")  # marks a voice would read out or stumble on
        role = w.property("role")
        chosen = isinstance(w, QAbstractButton) and w.property("active") == "true"
        if role == "key":
            words = translate("Keypad", "{name}, key")
        elif chosen:
            words = translate("Keypad", "{name}, button, selected")
        else:
            words = translate("Keypad", "{name}, button")
        return words.format(name=name)

    def _personal(self, w: QWidget) -> bool:
        while w is not None:
            if w.property(PERSONAL):
                return True
            w = w.parentWidget()
        return False

    def _say(self, text: str, personal: bool = False) -> None:
        voice = self.core.services.voice
        if voice is not None and text:
            voice.speak(text, self.core.session.data.language, "prompt", personal=personal)
            self._mine = voice.asked

    def _say_target(self, with_prompt: bool = False, with_help: bool = False) -> None:
        voice = self.core.services.voice
        if voice is None:
            return
        parts: list[str] = []
        kind, personal = "prompt", False
        if with_prompt:
            last = voice.last_said()
            if last is not None and voice.asked > self._mine and \
                    last[1] == self.core.session.data.language:
                parts.append(last[0])  # what the screen or page just said, then the control
                kind, personal = last[2], last[3]
            else:
                parts.append(self.window.current_screen.spoken_prompt())
        if with_help:
            parts.append(translate("Keypad", "Keypad: arrow keys move, Enter chooses, Cancel "
                                   "goes back, Clear deletes."))
        if self.target is not None:
            parts.append(self.describe(self.target))
            personal = personal or self._personal(self.target)
        text = " ".join(p.strip() for p in parts if p and p.strip())
        if text:
            voice.speak(text, self.core.session.data.language, kind, personal=personal)
            self._mine = voice.asked
