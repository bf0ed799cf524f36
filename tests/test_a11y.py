"""Elder mode and languages measured (issue 12, parts 1 and 4; docs/decisions/0032): every
screen in every language x {normal, elder} x {portrait, landscape} in the real window, held
against MIIT 2021 / ADA 707 numbers (tests/a11y_helpers.py, kiosk/a11y.py).

By default a representative slice runs (both orientations, every language, elder and normal, on
the screens that carry the most text); `-m slow` runs the full matrix."""

from __future__ import annotations

import itertools

import pytest

from kiosk.a11y import (
    MIN_CONTRAST,
    ScreenGeometry,
    contrast_ratio,
    geometry_for,
    rect_gap,
    text_pairs,
)
from kiosk.navigation import Screen
from screens.theme import ELDER, STANDARD
from tests.a11y_helpers import ALL_SCREENS, measure, walk_screens
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.gui

LANGUAGES = ("zh_CN", "zh_TW", "en")


def test_geometry_arithmetic():
    g = ScreenGeometry(1080, 1920, 32.0)
    assert g.dpi == pytest.approx(68.84, abs=0.01)
    assert g.mm(g.px(9.5)) == pytest.approx(9.5)
    assert g.min_cap_height_mm == pytest.approx(7.332)
    assert ScreenGeometry(1080, 1920, 32.0, dpi_override=160).dp(18) == pytest.approx(18)
    assert rect_gap((0, 0, 10, 10), (12, 0, 5, 5)) == 2
    assert rect_gap((0, 0, 10, 10), (5, 5, 10, 10)) == 0
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme", [STANDARD, ELDER], ids=lambda t: t.name)
def test_palette_contrast_is_at_least_7(theme):
    low = [(what, round(contrast_ratio(fg, bg), 2)) for what, fg, bg in text_pairs(theme)
           if contrast_ratio(fg, bg) < MIN_CONTRAST]
    assert low == []


def _set_look(window, language, elder):
    window.set_language(language)
    if window.core.session.data.elder_mode != elder:
        window.toggle_elder()


def _run(kiosk_window, make_config, qtbot, orientation, looks, screens, artifacts=None):
    kiosk = kiosk_window(make_config(), orientation=orientation)
    w = kiosk.window
    size = w.size()
    geometry = geometry_for(w.core.config.display, min(size.width(), size.height()),
                            max(size.width(), size.height()))
    w.core.begin_session()
    problems, figures = [], []
    for language, elder in looks:
        _set_look(w, language, elder)
        for name in walk_screens(kiosk, qtbot, screens):
            where = f"[{orientation} {language} {'elder' if elder else 'normal'} {name}]"
            report = measure(w, geometry, elder, where=where)
            problems += report.problems
            figures.append((where, report))
            if artifacts is not None or name == "category":
                w.grab().save(str(ARTIFACTS / f"a11y-{name}-{orientation}-{language}-"
                                              f"{'elder' if elder else 'normal'}.png"))
    return problems, figures, geometry


SLICE_SCREENS = ("attract", "home", "guide", "flow", "help")


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_every_language_and_mode_measures_up(qtbot, kiosk_window, make_config, artifacts,
                                              orientation):
    """The slice: home, guide, a flow page, the help bar and the attract screen in every
    language, normal and elder (about 15 s per orientation)."""
    looks = list(itertools.product(LANGUAGES, (False, True)))
    problems, figures, geometry = _run(kiosk_window, make_config, qtbot, orientation, looks,
                                       SLICE_SCREENS, artifacts)
    assert figures
    elder = [r for where, r in figures if "elder" in where]
    assert min(r.smallest_cap_mm() for r in elder) >= geometry.min_cap_height_mm - 0.05
    assert problems == [], "\n".join(problems[:40]) + f"\n({len(problems)} problems)"


@pytest.mark.slow
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_full_matrix(qtbot, kiosk_window, make_config, orientation):
    looks = list(itertools.product(LANGUAGES, (False, True)))
    problems, _figures, _g = _run(kiosk_window, make_config, qtbot, orientation, looks,
                                  ALL_SCREENS)
    assert problems == [], "\n".join(problems[:60]) + f"\n({len(problems)} problems)"
