"""The accessibility measuring harness: what Qt laid out and painted in the real window, held
against the MIIT 2021 / ADA numbers of kiosk.a11y.

`measure(window, geometry, elder)` looks at every visible text widget and button of the window
as it stands and returns a `Report`: one `TextFigure` per text (font size in px and dp, capital
height in mm, line spacing, the rectangle it needs and the one it has, the contrast of its
pixels), one `Target` per button, and the problems found (`report.problems`, one line each).
`walk_screens(kiosk)` drives the window through every screen and yields each screen's name
once it shows (tests/test_a11y.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from PIL import Image

from kiosk.a11y import (
    MIN_CONTRAST,
    MIN_GAP_MM,
    MIN_LINE_SPACING,
    MIN_MAIN_TEXT_DP,
    MIN_TARGET_MM,
    ScreenGeometry,
    contrast_ratio,
    rect_gap,
)
from kiosk.navigation import Screen
from PySide6.QtGui import QFontMetricsF, QPalette, QTextDocument
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtWidgets import QStyle, QStyleOptionButton
from screens.qt import (
    QAbstractButton, QBuffer, QLabel, QLineEdit, QPoint, QPushButton, QRectF, Qt, QWidget,
)

# Text drawn by these is not the citizen's reading text: a QR code's placeholder, the demo's
# device simulator (a developer tool, not on a terminal's screen).
SKIP_NAMES = ("Simulator",)


@dataclass
class TextFigure:
    where: str
    text: str
    font_px: float
    cap_mm: float
    dp: float
    line_spacing: float
    needed: tuple[float, float]
    available: tuple[float, float]
    contrast: float | None = None

    @property
    def clipped(self) -> bool:
        return self.needed[0] > self.available[0] + 1 or self.needed[1] > self.available[1] + 1


@dataclass
class Target:
    where: str
    rect: tuple[float, float, float, float]  # window pixels
    width_mm: float
    height_mm: float


@dataclass
class Report:
    texts: list[TextFigure] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def smallest_cap_mm(self) -> float:
        return min((t.cap_mm for t in self.texts), default=0.0)

    def smallest_target_mm(self) -> float:
        return min((min(t.width_mm, t.height_mm) for t in self.targets), default=0.0)

    def smallest_gap_mm(self, geometry: ScreenGeometry) -> float:
        gaps = [geometry.mm(rect_gap(a.rect, b.rect))
                for i, a in enumerate(self.targets) for b in self.targets[i + 1:]]
        return min(gaps, default=99.0)

    def lowest_contrast(self) -> float:
        return min((t.contrast for t in self.texts if t.contrast is not None), default=21.0)


def _name(w) -> str:
    chain = []
    while w is not None and len(chain) < 4:
        chain.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return "/".join(reversed(chain))


def _shown(w, window) -> bool:
    if not w.isVisible() or w.width() <= 1 or w.height() <= 1:
        return False
    if w.visibleRegion().isEmpty():  # scrolled out of its viewport, or covered by its parent
        return False
    p = w
    while p is not None and p is not window:
        if any(s in (p.objectName() or type(p).__name__) for s in SKIP_NAMES):
            return False
        p = p.parentWidget()
    return True


def _window_rect(w, window) -> tuple[float, float, float, float]:
    top_left = w.mapTo(window, QPoint(0, 0))
    return float(top_left.x()), float(top_left.y()), float(w.width()), float(w.height())


def _visible_rect(w, window) -> tuple[int, int, int, int] | None:
    """The part of `w` actually on screen, in window pixels."""
    r = w.visibleRegion().boundingRect()
    if r.isEmpty():
        return None
    top_left = w.mapTo(window, r.topLeft())
    return top_left.x(), top_left.y(), r.width(), r.height()


def _label_needs(w: QLabel) -> tuple[tuple[float, float], tuple[float, float]]:
    cr = w.contentsRect()
    m = w.margin()
    cr = cr.adjusted(m, m, -m, -m)
    text = w.text()
    rich = w.textFormat() == Qt.TextFormat.RichText or (
        w.textFormat() == Qt.TextFormat.AutoText and QtGuiNamespace.mightBeRichText(text))
    if rich:
        doc = QTextDocument()
        doc.setDefaultFont(w.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        if w.wordWrap():
            doc.setTextWidth(cr.width())
            size = (min(doc.idealWidth(), doc.size().width()), doc.size().height())
        else:
            size = (doc.idealWidth(), doc.size().height())
        return size, (float(cr.width()), float(cr.height()))
    fm = QFontMetricsF(w.font())
    flags = int(w.alignment().value) | (int(Qt.TextFlag.TextWordWrap.value) if w.wordWrap() else 0)
    br = fm.boundingRect(QRectF(cr), flags, text)
    return (br.width(), br.height()), (float(cr.width()), float(cr.height()))


def _button_needs(b: QPushButton) -> tuple[tuple[float, float], tuple[float, float]]:
    opt = QStyleOptionButton()
    b.initStyleOption(opt)
    cr = b.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, b)
    fm = QFontMetricsF(b.font())
    lines = b.text().split("\n")
    width = max(fm.horizontalAdvance(line) for line in lines)
    if not b.icon().isNull():
        width += b.iconSize().width() + 4
    return (width, fm.lineSpacing() * len(lines)), (float(cr.width()), float(cr.height()))


def grab_image(window) -> Image.Image:
    buf = QBuffer()
    buf.open(QBuffer.OpenModeFlag.WriteOnly)
    window.grab().toImage().save(buf, "PNG")
    return Image.open(io.BytesIO(bytes(buf.data()))).convert("RGB")


def pixel_contrast(img: Image.Image, rect: tuple[int, int, int, int]) -> float | None:
    """The contrast of a text's pixels: the most common colour in its rectangle is the
    background; the text's colour is the one farthest from it in luminance among colours
    covering at least 8 pixels (a glyph's solid core; anti-aliased edges are spread over many
    shades and do not reach it)."""
    x, y, w, h = rect
    crop = img.crop((x, y, x + w, y + h))
    colours = crop.getcolors(maxcolors=w * h + 1)
    if not colours:
        return None
    total = sum(n for n, _ in colours)
    colours.sort(reverse=True)
    bg = colours[0][1]
    floor = max(8, total * 0.0002)
    candidates = [c for n, c in colours[1:] if n >= floor]
    if not candidates:
        return None
    return max(contrast_ratio(c, bg) for c in candidates)


def measure(window, geometry: ScreenGeometry, elder: bool, *, image: Image.Image | None = None,
            where: str = "") -> Report:
    """Every visible text and button of `window` against the rules; `image` is a grab of the
    window (taken here when not given)."""
    report = Report()
    image = image or grab_image(window)
    # A panel over the whole window (the staff panel, the countdown, the consent) is all the
    # citizen can reach: what it dims underneath is not measured.
    direct = window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
    covers = [c for c in direct if c.isVisible() and c.geometry() == window.rect()]
    scope = covers[-1] if covers else window
    min_cap = geometry.min_cap_height_mm
    for w in [*scope.findChildren(QLabel), *scope.findChildren(QAbstractButton)]:
        if not _shown(w, window):
            continue
        is_wrap = isinstance(w, QPushButton) and w.findChild(QLabel, "WrapButtonLabel") is not None
        if isinstance(w, QAbstractButton) and w.isEnabled():
            # size: the whole button; distance: the part on screen (a tile half scrolled
            # under the navigation bar is not next to it)
            _x, _y, bw, bh = _window_rect(w, window)
            report.targets.append(Target(f"{where} {_name(w)}", _visible_rect(w, window),
                                         geometry.mm(bw), geometry.mm(bh)))
            if not (w.accessibleName().strip() or w.text().strip()):
                report.problems.append(f"{where} {_name(w)}: a button with no name to speak")
        if is_wrap or not isinstance(w, (QLabel, QPushButton)):
            continue  # a WrapButton's text is its label's
        text = w.text()
        if not text.strip() or (isinstance(w, QLabel) and w.pixmap() is not None
                                and not w.pixmap().isNull()):
            continue
        fm = QFontMetricsF(w.font())
        font_px = w.font().pixelSize() if w.font().pixelSize() > 0 else fm.height() / 1.448
        needed, available = _label_needs(w) if isinstance(w, QLabel) else _button_needs(w)
        fig = TextFigure(
            where=f"{where} {_name(w)}", text=text, font_px=font_px,
            cap_mm=geometry.mm(fm.capHeight()), dp=geometry.dp(font_px),
            line_spacing=fm.lineSpacing() / font_px, needed=needed, available=available)
        vis = _visible_rect(w, window)
        if vis is not None and w.isEnabled():
            fig.contrast = pixel_contrast(image, vis)
        report.texts.append(fig)
        short = text.replace("\n", " ")[:40]
        if fig.clipped:
            report.problems.append(
                f"{fig.where}: {short!r} clipped: needs {needed[0]:.0f}x{needed[1]:.0f} px, "
                f"has {available[0]:.0f}x{available[1]:.0f}")
        if fig.line_spacing < MIN_LINE_SPACING:
            report.problems.append(f"{fig.where}: line spacing {fig.line_spacing:.2f}")
        if fig.dp < MIN_MAIN_TEXT_DP:
            report.problems.append(f"{fig.where}: {short!r} {fig.dp:.1f} dp < 18")
        if elder and fig.cap_mm < min_cap - 0.05:
            report.problems.append(
                f"{fig.where}: {short!r} capitals {fig.cap_mm:.2f} mm < {min_cap:.2f} mm")
        if fig.contrast is not None and fig.contrast < MIN_CONTRAST:
            report.problems.append(f"{fig.where}: {short!r} pixel contrast {fig.contrast:.2f}")
    for t in report.targets:
        if min(t.width_mm, t.height_mm) < MIN_TARGET_MM:
            report.problems.append(
                f"{t.where}: target {t.width_mm:.1f}x{t.height_mm:.1f} mm < {MIN_TARGET_MM}")
    for i, a in enumerate(report.targets):
        for b in report.targets[i + 1:]:
            gap = geometry.mm(rect_gap(a.rect, b.rect))
            if gap < MIN_GAP_MM:
                report.problems.append(f"{a.where} and {b.where}: {gap:.1f} mm apart")
    for w in scope.findChildren(QLineEdit):
        if not _shown(w, window):
            continue
        if geometry.mm(w.height()) < MIN_TARGET_MM:
            report.problems.append(
                f"{where} {_name(w)}: field {geometry.mm(w.height()):.1f} mm high")
        vis = _visible_rect(w, window)
        if w.placeholderText() and not w.text() and vis is not None:
            # the hint's colour (the palette's) on the field's painted background
            x, y, vw, vh = vis
            colours = image.crop((x, y, x + vw, y + vh)).getcolors(maxcolors=vw * vh + 1)
            bg = max(colours)[1]
            c = w.palette().color(QPalette.ColorRole.PlaceholderText)
            a = c.alphaF()  # Qt's default hint is the text colour at half opacity
            rgb = (c.red(), c.green(), c.blue())
            fg = tuple(round(a * v + (1 - a) * b) for v, b in zip(rgb, bg))
            ratio = contrast_ratio(fg, bg)
            if ratio < MIN_CONTRAST:
                report.problems.append(
                    f"{where} {_name(w)}: hint {w.placeholderText()!r} contrast {ratio:.2f}")
    return report


# -- the walk --------------------------------------------------------------------------------

ALL_SCREENS = ("attract", "home", "search", "department", "category", "guide", "flow",
               "flow-slip", "step-guide", "problem", "help", "staff", "countdown")


def walk_screens(kiosk, qtbot, screens=ALL_SCREENS):
    """Show each screen in turn (the session's language and mode stay as they are); yields
    its name while it is on show."""
    w = kiosk.window
    core = w.core
    nav = core.navigator

    def settle():
        qtbot.wait(5)

    # The attract screen only ever shows in the terminal's default look: touching elder mode or
    # a language there starts a session (home), and a session's end resets the look.
    if "attract" in screens and not core.session.data.elder_mode:
        nav.go(Screen.ATTRACT) if nav.current.screen != Screen.ATTRACT else None
        settle()
        yield "attract"
    if nav.current.screen == Screen.ATTRACT:
        core.begin_session()
    data = core.session.data
    look = (data.language, data.elder_mode)
    steps = {
        "home": lambda: nav.go(Screen.HOME),
        "search": lambda: nav.go(Screen.SEARCH),
        "department": lambda: nav.go(Screen.DEPARTMENT, code=core.catalog.departments()[0].code),
        "category": lambda: nav.go(Screen.CATEGORY, code=core.catalog.categories(
            core.catalog.departments()[0].code)[0].code),
        "guide": lambda: nav.go(Screen.GUIDE, item_id=core.tiles()[0].id),
        "flow": lambda: core.start_flow("queue.ticket"),  # without a backend: its fault page
        # 打印办事指南 from the local catalog: the guide as a flow page, with its print button
        "flow-slip": lambda: core.start_flow("guide.slip", item_id=core.tiles()[0].id),
        "problem": lambda: nav.go(Screen.PROBLEM, item_id=""),
        # 操作指引: the certificate's guide (the longest, seven slides), on its first slide
        "step-guide": lambda: core.open_step_guide("ss.certificate"),
    }
    for name in screens:
        if name in steps:
            steps[name]()
            settle()
            if name.startswith("flow"):
                qtbot.wait(60)  # the flow's first page settles
            yield name
            if name.startswith("flow"):
                w.go_home()
        elif name == "help":
            nav.go(Screen.HOME)
            w.call_help()
            qtbot.waitUntil(lambda: w.help_bar.isVisible(), timeout=3000)
            yield "help"
            if core.help is not None:
                core.help.cancel()
        elif name == "countdown":  # the "still there?" warning over the home screen
            nav.go(Screen.HOME)
            core.session.touch()
            core.clock.advance(core.session.effective_idle_s + 1)
            qtbot.waitUntil(w.overlay.isVisible, timeout=2000)
            yield "countdown"
            from screens.qt import QTest

            QTest.mouseClick(w.overlay.stay_button, Qt.MouseButton.LeftButton)
            assert not w.overlay.isVisible()
        elif name == "staff" and w.staff_panel is not None:
            nav.go(Screen.HOME)
            w.open_staff_login()
            settle()
            yield "staff"
            w.staff_panel.hide()
    assert (data.language, data.elder_mode) == look
