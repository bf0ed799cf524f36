"""The keypad path (issue 12 part 3, ADA 707.5/707.6, docs/decisions/0033): the keys of a
12-key self-service keypad, the map from the codes a keypad sends to them, the Clear key's
gesture, the spatial-navigation rule that moves the keypad focus, and the colours of the focus
frame. Plain Python, no Qt: screens/keypad.py turns key events into these keys and rectangles
of widgets into these rectangles.

A keypad such as an EZ-Access or Storm AudioNav-style one is a USB HID keyboard: its keys
arrive as key codes. Codes are named as Qt names them without the ``Key_`` prefix (``"0"``,
``"Return"``, ``"Escape"``, ``"Up"``, ``"F13"``); ``[keypad.keys]`` in the terminal's config
maps them to the keys below, so a vendor keypad that sends other codes can be used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from kiosk.a11y import contrast_ratio


class Key(StrEnum):
    """What a keypad key means to the kiosk."""

    D0 = "0"
    D1 = "1"
    D2 = "2"
    D3 = "3"
    D4 = "4"
    D5 = "5"
    D6 = "6"
    D7 = "7"
    D8 = "8"
    D9 = "9"
    ENTER = "enter"
    CLEAR = "clear"
    CANCEL = "cancel"
    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"
    #: say the last prompt again (a keypad with a help/repeat key; unmapped by default)
    REPEAT = "repeat"

    @property
    def digit(self) -> str | None:
        return self.value if self.value.isdigit() else None


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"


ARROWS = {Key.UP: Direction.UP, Key.DOWN: Direction.DOWN, Key.LEFT: Direction.LEFT,
          Key.RIGHT: Direction.RIGHT}

#: the PC keyboard's keys (a keypad that sends these needs no config): digits, Enter,
#: Backspace/Delete = Clear, Escape = Cancel, the arrows
DEFAULT_KEYS: dict[str, tuple[str, ...]] = {
    **{str(d): (str(d),) for d in range(10)},
    "enter": ("Return", "Enter"),
    "clear": ("Backspace", "Delete"),
    "cancel": ("Escape",),
    "up": ("Up",),
    "down": ("Down",),
    "left": ("Left",),
    "right": ("Right",),
    "repeat": (),
}

# A key code's name as Qt spells it after "Key_": one letter or digit, or a word (Return, F13,
# Escape, PageUp, VolumeUp...). screens/keypad.py resolves each name against Qt and logs one it
# does not know.
CODE_NAME = re.compile(r"^(?:[0-9A-Z]|[A-Z][A-Za-z0-9_]{1,30})$")


class KeyMapError(ValueError):
    pass


@dataclass(frozen=True)
class KeyMap:
    """Key code name -> Key. `from_config` merges a partial map over the defaults."""

    codes: Mapping[str, Key]

    @classmethod
    def from_config(cls, keys: Mapping[str, Sequence[str]] | None = None) -> KeyMap:
        merged = dict(DEFAULT_KEYS)
        for name, codes in (keys or {}).items():
            merged[str(name)] = tuple(codes)
        codes: dict[str, Key] = {}
        for name, names in merged.items():
            try:
                key = Key(name)
            except ValueError:
                raise KeyMapError(f"unknown keypad key {name!r} (one of "
                                  f"{', '.join(k.value for k in Key)})") from None
            for code in names:
                if not CODE_NAME.match(code) or code.startswith("Key_"):
                    raise KeyMapError(f"{code!r} is not a key code name (as Qt names it "
                                      f"without 'Key_': '5', 'Return', 'F13')")
                if code in codes and codes[code] is not key:
                    raise KeyMapError(f"key code {code!r} is mapped to both "
                                      f"{codes[code].value!r} and {key.value!r}")
                codes[code] = key
        return cls(codes)

    def key_for(self, code_name: str) -> Key | None:
        return self.codes.get(code_name)


def validate_keys(keys: Mapping[str, Sequence[str]]) -> None:
    """The config's check: raises KeyMapError with the reason."""
    KeyMap.from_config(keys)


# -- Clear: one character, or everything -------------------------------------------------------


class ClearGesture:
    """Clear takes one character; a second Clear within `double_s`, or a held Clear (the
    keyboard's auto-repeat), takes everything. `press` says which: "one" or "all"."""

    def __init__(self, double_s: float = 1.0):
        self.double_s = double_s
        self._last: float | None = None

    def press(self, now: float, auto_repeat: bool = False) -> str:
        if auto_repeat:
            self._last = None
            return "all"
        if self._last is not None and now - self._last <= self.double_s:
            self._last = None
            return "all"
        self._last = now
        return "one"

    def reset(self) -> None:
        self._last = None


# -- spatial navigation -----------------------------------------------------------------------

Rect = tuple[float, float, float, float]  # x, y, width, height (window coordinates)


def _centre(r: Rect) -> tuple[float, float]:
    return r[0] + r[2] / 2, r[1] + r[3] / 2


def reading_order(rects: Sequence[Rect]) -> list[int]:
    """Indices of `rects` as a page is read: rows top to bottom, each left to right. A rect
    belongs to the row it overlaps by more than half of its own height (tiles of one row
    are often of slightly different heights)."""
    order = sorted(range(len(rects)), key=lambda i: (rects[i][1], rects[i][0]))
    rows: list[tuple[float, float, list[int]]] = []  # (top, bottom, members)
    for i in order:
        x, y, w, h = rects[i]
        for n, (top, bottom, members) in enumerate(rows):
            overlap = min(bottom, y + h) - max(top, y)
            if overlap > min(h, bottom - top) / 2:
                members.append(i)
                rows[n] = (min(top, y), max(bottom, y + h), members)
                break
        else:
            rows.append((y, y + h, [i]))
    out: list[int] = []
    for _top, _bottom, members in sorted(rows, key=lambda r: r[0]):
        out.extend(sorted(members, key=lambda i: rects[i][0]))
    return out


def step_reading_order(current: int | None, rects: Sequence[Rect],
                       forward: bool = True) -> int | None:
    """The next (or previous) index in reading order, wrapping at the ends; the first (last)
    without a current one."""
    if not rects:
        return None
    order = reading_order(rects)
    if current is None or current not in order:
        return order[0] if forward else order[-1]
    pos = order.index(current)
    return order[(pos + (1 if forward else -1)) % len(order)]


def _axis(direction: Direction) -> tuple[int, int]:
    """(sign, axis): axis 0 = x, 1 = y; sign +1 = towards larger coordinates."""
    return {Direction.RIGHT: (1, 0), Direction.LEFT: (-1, 0), Direction.DOWN: (1, 1),
            Direction.UP: (-1, 1)}[direction]


def _span(r: Rect, axis: int) -> tuple[float, float]:
    return (r[0], r[0] + r[2]) if axis == 0 else (r[1], r[1] + r[3])


def _score(cur: Rect, cand: Rect, direction: Direction) -> tuple | None:
    """How good `cand` is as the next target from `cur` in `direction`; None: not that way.

    Candidates overlapping the current one's beam (its extent across the direction) come
    first, then the nearest along the direction, then the least offset across it (as
    browsers' spatial navigation and Android's FocusFinder do). Left and Right take only
    candidates in the beam (the same row): a diagonal jump sideways surprises."""
    sign, axis = _axis(direction)
    other = 1 - axis
    c0, c1 = _span(cur, axis)
    d0, d1 = _span(cand, axis)
    eps = 1.0
    cur_mid, cand_mid = (c0 + c1) / 2, (d0 + d1) / 2
    if sign > 0:
        if not (cand_mid > cur_mid + eps and d0 >= c0 + eps):
            return None
        gap = max(0.0, d0 - c1)
    else:
        if not (cand_mid < cur_mid - eps and d1 <= c1 - eps):
            return None
        gap = max(0.0, c0 - d1)
    o0, o1 = _span(cur, other)
    p0, p1 = _span(cand, other)
    overlap = min(o1, p1) - max(o0, p0)
    across = max(0.0, -overlap)  # the distance between them across the direction
    offset = abs((o0 + o1) / 2 - (p0 + p1) / 2)
    in_beam = overlap > 0
    if axis == 0 and not in_beam:
        return None  # sideways stays in the row; past its end, reading order goes on
    return (0 if in_beam else 1, gap + 2 * across, offset)


def next_target(current: Rect | None, candidates: Sequence[Rect], direction: Direction,
                wrap: bool = True) -> int | None:
    """The index in `candidates` (the current one excluded) the keypad focus moves to from
    `current` in `direction`; None when there is nowhere to go.

    Nothing that way: Left and Right go on in reading order (the end of a row to the next
    row's start and back, the last to the first), Up and Down wrap to the far side in the
    same column. Without a current target the first in reading order is taken."""
    if not candidates:
        return None
    if current is None:
        return reading_order(candidates)[0]
    direction = Direction(direction)
    best: tuple | None = None
    best_i: int | None = None
    for i, cand in enumerate(candidates):
        s = _score(current, cand, direction)
        if s is not None and (best is None or s < best):
            best, best_i = s, i
    if best_i is not None or not wrap:
        return best_i
    if direction in (Direction.LEFT, Direction.RIGHT):
        # as if the current one were among them: its place in reading order
        rects = [*candidates, current]
        nxt = step_reading_order(len(candidates), rects, forward=direction == Direction.RIGHT)
        return None if nxt == len(candidates) else nxt
    # Up/Down: from beyond the far edge, the same way
    ys = [c[1] for c in candidates] + [c[1] + c[3] for c in candidates]
    x, _y, w, h = current
    ghost = (x, min(ys) - h - 10, w, h) if direction == Direction.DOWN else (x, max(ys) + 10, w, h)
    return next_target(ghost, candidates, direction, wrap=False)


# -- the focus frame's colours ------------------------------------------------------------------

MIN_FOCUS_CONTRAST = 3.0  # WCAG 2.2 focus appearance / non-text contrast
FOCUS_PALETTE = ("#000000", "#ffffff", "#ffd400", "#0050ff", "#c2007a", "#00e0ff")


@dataclass(frozen=True)
class FocusRing:
    """The frame: a thick `core` band with a thinner `halo` band on either side; where a
    surrounding colour is too close to one band the other still stands out."""

    core: str
    halo: str

    def worst_contrast(self, surroundings: Iterable[str]) -> float:
        """Against each surrounding colour, the better of the two bands; the worst of those."""
        return min(max(contrast_ratio(self.core, s), contrast_ratio(self.halo, s))
                   for s in surroundings)


def focus_ring(background: str, surroundings: Iterable[str],
               palette: Sequence[str] = FOCUS_PALETTE) -> FocusRing:
    """A ring whose core band reaches 3:1 against the page `background`, whose two bands
    differ by at least 3:1, and which keeps at least 3:1 against every colour in
    `surroundings` (a theme's surfaces, buttons, borders, text) through one band or the
    other; of those, one whose core colour the theme uses for nothing else, with the best
    worst case. Raises ValueError if the palette has no such pair."""
    colours = list(dict.fromkeys([background, *surroundings]))
    best: tuple[tuple, FocusRing] | None = None
    for core in palette:
        if contrast_ratio(core, background) < MIN_FOCUS_CONTRAST:
            continue
        for halo in palette:
            if halo == core or contrast_ratio(core, halo) < MIN_FOCUS_CONTRAST:
                continue
            ring = FocusRing(core, halo)
            worst = ring.worst_contrast(colours)
            if worst < MIN_FOCUS_CONTRAST:
                continue
            # a core colour the theme paints nothing else with first (a white ring round
            # the elder theme's white-bordered buttons would read as a border), then the
            # best worst case, then the strongest against the page
            distinct = core.lower() not in {c.lower() for c in colours}
            rank = (distinct, worst, contrast_ratio(core, background))
            if best is None or rank > best[0]:
                best = (rank, ring)
    if best is None:
        raise ValueError("no focus ring of the palette reaches 3:1 on these colours")
    return best[1]
