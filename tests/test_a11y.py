"""Elder mode and languages measured (issue 12, parts 1 and 4; docs/decisions/0032): every
screen in every language x {normal, elder} x {portrait, landscape} in the real window, held
against MIIT 2021 / ADA 707 numbers (tests/a11y_helpers.py, kiosk/a11y.py).

By default a representative slice runs (both orientations, every language, elder and normal, on
the screens that carry the most text); `-m slow` runs the full matrix."""

from __future__ import annotations

import itertools

import pytest

from kiosk.a11y import describe as geometry_describe
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
    geometry = w.geometry_mm
    w.core.begin_session()
    problems, figures = [], []
    for language, elder in looks:
        _set_look(w, language, elder)
        for name in walk_screens(kiosk, qtbot, screens):
            where = f"[{orientation} {language} {'elder' if elder else 'normal'} {name}]"
            report = measure(w, geometry, elder, where=where)
            problems += report.problems
            figures.append((where, report))
            if artifacts is not None:
                w.grab().save(str(artifacts / f"a11y-{name}-{orientation}-{language}-"
                                              f"{'elder' if elder else 'normal'}.png"))
    return problems, figures, geometry


SLICE_SCREENS = ("attract", "home", "guide", "flow", "flow-slip", "help", "countdown")


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
    # the figures, for the README's table
    lines = [geometry_describe(geometry)]
    for mode in ("normal", "elder"):
        rs = [r for where, r in figures if f" {mode} " in where]
        texts = [t for r in rs for t in r.texts]
        lines.append(
            f"{orientation} {mode}: {len(texts)} texts on {len(rs)} screens; smallest capitals "
            f"{min(r.smallest_cap_mm() for r in rs):.2f} mm, smallest font "
            f"{min(t.font_px for t in texts):.0f} px = {min(t.dp for t in texts):.0f} dp, line "
            f"spacing >= {min(t.line_spacing for t in texts):.2f}, smallest target "
            f"{min(r.smallest_target_mm() for r in rs):.1f} mm, closest targets "
            f"{min(r.smallest_gap_mm(geometry) for r in rs):.1f} mm, lowest pixel contrast "
            f"{min(r.lowest_contrast() for r in rs):.1f}:1")
    (artifacts / f"a11y-figures-{orientation}.txt").write_text("\n".join(lines) + "\n")
    assert problems == [], "\n".join(problems[:40]) + f"\n({len(problems)} problems)"


@pytest.mark.slow
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_full_matrix(qtbot, kiosk_window, make_config, artifacts, orientation):
    looks = list(itertools.product(LANGUAGES, (False, True)))
    problems, _figures, _g = _run(kiosk_window, make_config, qtbot, orientation, looks,
                                  ALL_SCREENS, artifacts)
    assert problems == [], "\n".join(problems[:60]) + f"\n({len(problems)} problems)"


# -- languages: nothing visible left untranslated ---------------------------------------------

def _catalogue(lang: str) -> dict[tuple[str, str], str]:
    import xml.etree.ElementTree as ET

    from kiosk.paths import ASSETS_DIR

    root = ET.parse(ASSETS_DIR / "translations" / f"kiosk_{lang}.ts").getroot()
    out = {}
    for ctx in root.iter("context"):
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            forms = tr.findall("numerusform")
            out[(ctx.findtext("name"), msg.findtext("source"))] = \
                (forms[0].text if forms else tr.text) or ""
    return out


def _visible_texts(window):
    from screens.qt import QAbstractButton, QLabel

    import re

    for w in [*window.findChildren(QLabel), *window.findChildren(QAbstractButton)]:
        if w.isVisible() and not w.visibleRegion().isEmpty() and w.text().strip():
            plain = re.sub(r"<[^>]+>|https?://\S+|&nbsp;", " ", w.text())
            yield w, plain


def test_no_visible_untranslated_string_in_english_or_traditional(qtbot, kiosk_window,
                                                                   make_config):
    """Walk every screen in English and in Traditional Chinese. In English no text may be a
    Simplified (or Traditional) translation of a message: only catalog data the catalog has no
    English for (item names) stays Chinese. In Traditional Chinese no character may be one that
    OpenCC would convert (Simplified left over), and no English word from the source text."""
    import re

    from kiosk.language import to_traditional
    from tests.test_screens import ALLOWED_LATIN

    cn, tw = _catalogue("zh_CN"), _catalogue("zh_TW")
    translated = {t.strip() for t in (*cn.values(), *tw.values()) if len(t.strip()) >= 2}
    translated = {t for t in translated if not re.search(r"[{%]", t)}
    source_words = {w for ctx, src in cn for w in re.findall(r"[A-Za-z]{3,}", src)} - ALLOWED_LATIN
    kiosk = kiosk_window(make_config(), orientation="portrait")
    w = kiosk.window
    problems = []
    for language in ("en", "zh_TW"):
        w.core.begin_session() if w.core.navigator.current.screen == Screen.ATTRACT else None
        w.set_language(language)
        for name in walk_screens(kiosk, qtbot, ALL_SCREENS):
            for widget, text in _visible_texts(w):
                if widget.objectName().startswith("nav_lang_"):
                    continue  # each language's button names it in its own words
                where = f"{language} {name} {widget.objectName() or type(widget).__name__}"
                if language == "en":
                    for line in text.splitlines():
                        if line.strip() in translated:
                            problems.append(f"{where}: {line!r} is a translation, not English")
                else:
                    if to_traditional(text) != text:
                        problems.append(f"{where}: Simplified characters in {text!r}")
                    words = set(re.findall(r"[A-Za-z]{3,}", text)) & source_words
                    if words:
                        problems.append(f"{where}: English {sorted(words)} in {text!r}")
    assert problems == [], "\n".join(problems[:40])


def test_traditional_is_complete_and_falls_back_to_simplified(qapp, tmp_path, monkeypatch):
    """kiosk_zh_TW.ts has every message of kiosk_zh_CN.ts, finished; a message missing from it
    shows in Simplified Chinese (never in English, never blank)."""
    import shutil
    import subprocess
    import xml.etree.ElementTree as ET

    from kiosk.paths import ASSETS_DIR, PROJECT_ROOT
    from screens import i18n
    from screens.qt import translate

    cn, tw = _catalogue("zh_CN"), _catalogue("zh_TW")
    assert set(cn) - set(tw) == set(), "run scripts/ts_hant.py"
    ts = ASSETS_DIR / "translations" / "kiosk_zh_TW.ts"
    assert 'type="unfinished"' not in ts.read_text(encoding="utf-8")
    assert tw[("HomeScreen", "What would you like to do?")] == "您要辦理什麼業務？"

    # a zh_TW catalogue that lacks one message: the Simplified one answers for it
    tree = ET.parse(ts)
    for ctx in tree.getroot().iter("context"):
        for msg in list(ctx.iter("message")):
            if msg.findtext("source") == "Take a queue number":
                ctx.remove(msg)
    partial = tmp_path / "kiosk_zh_TW.ts"
    tree.write(partial, encoding="utf-8")
    lrelease = PROJECT_ROOT / ".venv" / "bin" / "pyside6-lrelease"
    subprocess.run([str(lrelease), "-silent", str(partial), "-qm", str(tmp_path / "kiosk_zh_TW.qm")],
                   check=True)
    shutil.copy(ASSETS_DIR / "translations" / "kiosk_zh_CN.qm", tmp_path / "kiosk_zh_CN.qm")
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path)
    tr = i18n.Translations(qapp)
    try:
        assert tr.set_language("zh_TW")
        assert translate("HomeScreen", "Take a queue number") == cn[("HomeScreen", "Take a queue number")]
        assert translate("HomeScreen", "What would you like to do?") == "您要辦理什麼業務？"
    finally:
        tr.set_language("en")


def test_elder_mode_gives_more_time_and_a_longer_warning():
    from kiosk.session import CitizenSession, IdlePhase
    from kiosk.clock import OffsetClock

    clock = OffsetClock()
    s = CitizenSession(idle_timeout_s=60, countdown_s=15, elder_timeout_factor=2.0, clock=clock)
    s.start()
    clock.advance(61)
    assert s.phase() == IdlePhase.COUNTDOWN and s.countdown_remaining() == 14
    s.touch()
    s.data.elder_mode = True
    clock.advance(121)
    assert s.phase() == IdlePhase.COUNTDOWN and s.countdown_remaining() == 29
    clock.advance(25)
    assert s.phase() == IdlePhase.COUNTDOWN  # a normal session would have ended
    s.touch()  # I'm still here
    assert s.phase() == IdlePhase.ACTIVE


def test_the_harness_finds_each_kind_of_fault(qtbot):
    """A window with one of each fault: the harness names every one (and a good one passes)."""
    from screens.qt import QLabel, QPushButton, QWidget
    from tests.a11y_helpers import measure

    g = ScreenGeometry(1080, 1920, 32.0)
    w = QWidget()
    w.setStyleSheet("QWidget { background: #ffffff; color: #000000; font-size: 30px; }")
    qtbot.addWidget(w)
    w.resize(800, 600)
    clipped = QLabel("This sentence is far too long for its box", w)
    clipped.setGeometry(10, 10, 120, 40)
    faint = QLabel("faint", w)
    faint.setStyleSheet("color: #cccccc;")
    faint.setGeometry(10, 100, 300, 50)
    tiny = QPushButton("OK", w)
    tiny.setGeometry(10, 200, 20, 20)
    near_a = QPushButton("A", w)
    near_a.setGeometry(300, 300, 100, 100)
    near_b = QPushButton("B", w)
    near_b.setGeometry(402, 300, 100, 100)
    nameless = QPushButton("", w)
    nameless.setGeometry(600, 300, 100, 100)
    small = QLabel("small", w)
    small.setStyleSheet("font-size: 14px;")
    small.setGeometry(10, 450, 300, 50)
    w.show()
    qtbot.waitExposed(w)
    problems = "\n".join(measure(w, g, elder=True).problems)
    assert "'This sentence is far too long" in problems and "clipped" in problems
    assert "'faint' pixel contrast" in problems
    assert "target 7.4x" in problems  # 20 px wide at 69 dpi (the height: the app style's)
    assert "0.7 mm apart" in problems
    assert "no name to speak" in problems
    assert "'small' capitals" in problems
    good = QWidget()
    good.setStyleSheet("QWidget { background: #ffffff; color: #000000; font-size: 40px;"
                       " font-family: \"Noto Sans CJK SC\"; }")
    qtbot.addWidget(good)
    good.resize(800, 300)
    ok = QPushButton("OK", good)
    ok.setGeometry(10, 10, 200, 120)
    good.show()
    qtbot.waitExposed(good)
    assert measure(good, g, elder=True).problems == []
