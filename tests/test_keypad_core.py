"""kiosk.keypad without Qt: the key map and its config, Clear's gesture, the spatial-navigation
rule and the focus frame's colours (docs/decisions/0033)."""

from __future__ import annotations

import pytest

from kiosk.a11y import contrast_ratio
from kiosk.config import ConfigError, parse_config
from kiosk.keypad import (
    ClearGesture,
    Direction,
    Key,
    KeyMap,
    KeyMapError,
    focus_ring,
    next_target,
    reading_order,
    step_reading_order,
)

D = Direction


def test_default_map_is_the_pc_keyboards_keys():
    m = KeyMap.from_config()
    assert [m.key_for(str(d)) for d in range(10)] == [Key(str(d)) for d in range(10)]
    assert m.key_for("Return") is m.key_for("Enter") is Key.ENTER
    assert m.key_for("Backspace") is m.key_for("Delete") is Key.CLEAR
    assert m.key_for("Escape") is Key.CANCEL
    assert (m.key_for("Up"), m.key_for("Down"), m.key_for("Left"), m.key_for("Right")) == (
        Key.UP, Key.DOWN, Key.LEFT, Key.RIGHT)
    assert m.key_for("A") is None and m.key_for("F13") is None
    assert Key.D7.digit == "7" and Key.ENTER.digit is None


def test_a_vendor_keypad_maps_its_own_codes_over_the_defaults():
    m = KeyMap.from_config({"enter": ["F13"], "cancel": ["F14", "Escape"], "repeat": ["F15"]})
    assert m.key_for("F13") is Key.ENTER and m.key_for("Return") is None  # replaced
    assert m.key_for("F14") is m.key_for("Escape") is Key.CANCEL
    assert m.key_for("F15") is Key.REPEAT
    assert m.key_for("Backspace") is Key.CLEAR  # not named: the default


@pytest.mark.parametrize("keys, words", [
    ({"ok": ["F13"]}, "unknown keypad key 'ok'"),
    ({"enter": ["Key_Return"]}, "not a key code name"),
    ({"enter": ["ret urn"]}, "not a key code name"),
    ({"enter": ["Escape"]}, "mapped to both"),
])
def test_a_bad_key_map_is_refused_with_the_reason(keys, words):
    with pytest.raises(KeyMapError, match=words):
        KeyMap.from_config(keys)
    with pytest.raises(ConfigError) as err:
        parse_config({"keypad": {"keys": keys}}, "t.toml")
    (line,) = err.value.problems
    assert line.startswith("t.toml: key 'keypad.keys'") and words in line


def test_keypad_config_defaults_and_switch():
    assert parse_config({}).keypad.enabled is True
    c = parse_config({"keypad": {"enabled": False, "double_clear_s": 2}})
    assert c.keypad.enabled is False and c.keypad.double_clear_s == 2.0
    with pytest.raises(ConfigError, match="double_clear_s"):
        parse_config({"keypad": {"double_clear_s": 0}})


def test_clear_once_twice_and_held():
    g = ClearGesture(double_s=1.0)
    assert g.press(10.0) == "one"
    assert g.press(10.5) == "all"  # twice quickly: everything
    assert g.press(12.0) == "one"
    assert g.press(13.5) == "one"  # too slow for a double
    assert g.press(13.6, auto_repeat=True) == "all"  # held
    assert g.press(13.7) == "one"


# a 3 x 2 grid of tiles over one wide button, and a nav row below:
#   [ wide                ]
#   [ a ] [ b ] [ c ]
#   [ d ] [ e ]
#   [back]            [end]
WIDE = (0, 0, 300, 40)
A, B, C = (0, 60, 80, 50), (110, 60, 80, 50), (220, 62, 80, 46)
DD, E = (0, 130, 80, 50), (110, 130, 80, 50)
BACK, END = (0, 300, 60, 30), (240, 300, 60, 30)
ALL = [WIDE, A, B, C, DD, E, BACK, END]


def go(cur, direction):
    others = [r for r in ALL if r != cur]
    i = next_target(cur, others, direction)
    return None if i is None else others[i]


def test_reading_order_rows_then_columns():
    assert [ALL[i] for i in reading_order(ALL)] == ALL  # c sits 2 px lower: same row
    shuffled = [END, E, C, WIDE, A, BACK, DD, B]
    assert [shuffled[i] for i in reading_order(shuffled)] == ALL


def test_arrows_move_to_the_nearest_in_that_direction():
    assert go(A, D.RIGHT) == B and go(B, D.RIGHT) == C
    assert go(B, D.LEFT) == A
    assert go(A, D.DOWN) == DD and go(B, D.DOWN) == E
    assert go(E, D.UP) == B and go(A, D.UP) == WIDE
    assert go(WIDE, D.DOWN) == B  # the one most in line with the wide button's middle
    assert go(DD, D.DOWN) == BACK
    assert go(C, D.DOWN) == END  # nothing under c in its column but the end button


def test_arrows_wrap_sensibly():
    assert go(C, D.RIGHT) == DD  # end of a row: the next row's start (reading order)
    assert go(DD, D.LEFT) == C  # and back
    assert go(END, D.RIGHT) == WIDE  # the last: the first
    assert go(WIDE, D.LEFT) == END
    assert go(BACK, D.DOWN) == WIDE  # the bottom: round to the top of the column
    assert go(A, D.UP) == WIDE and go(WIDE, D.UP) == BACK


def test_without_a_current_target_the_first_in_reading_order():
    assert next_target(None, [E, A, WIDE], D.DOWN) == 2
    assert next_target(A, [], D.DOWN) is None
    assert step_reading_order(None, [E, A], forward=False) == 0
    assert step_reading_order(1, [E, A]) == 0


def test_every_target_is_reachable_by_arrows_alone():
    seen, todo = {ALL[0]}, [ALL[0]]
    while todo:
        cur = todo.pop()
        for d in Direction:
            nxt = go(cur, d)
            if nxt is not None and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(ALL)


STANDARD = dict(bg="#eef3f9", surface="#ffffff", text="#15202b", primary="#1a4f9c",
                accent="#a50d26", border="#b8c7da", on_primary="#ffffff")
ELDER = dict(bg="#000000", surface="#111111", text="#ffffff", primary="#ffd400",
             accent="#ffd400", border="#ffffff", on_primary="#000000")


@pytest.mark.parametrize("theme", [STANDARD, ELDER], ids=["standard", "elder"])
def test_the_focus_ring_reaches_3_to_1_against_everything_in_the_theme(theme):
    colours = list(theme.values())
    ring = focus_ring(theme["bg"], colours)
    assert contrast_ratio(ring.core, theme["bg"]) >= 3
    assert contrast_ratio(ring.core, ring.halo) >= 3
    assert ring.worst_contrast(colours) >= 3
    assert ring.core not in colours  # a colour of its own: never mistaken for a border


def test_no_ring_when_the_palette_cannot_reach_3_to_1():
    with pytest.raises(ValueError):
        focus_ring("#777777", ["#777777"], palette=("#808080", "#707070"))
