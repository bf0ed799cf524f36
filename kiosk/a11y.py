"""Accessibility figures (MIIT 2021 适老化, ADA 707) as plain arithmetic: sizes in millimetres
and dp at the configured screen, and WCAG contrast. The screens' measuring harness
(tests/a11y_helpers.py) feeds these with what Qt lays out and paints.

The rules measured (docs/decisions/0032):
- capital letters at least 0.01222 x the viewing distance high (7.3 mm at 600 mm) in elder mode,
  main text at least 18 dp;
- line spacing at least 1.3 x the font size;
- text contrast at least 7:1 (WCAG AAA; the MIIT rule asks 4.5:1), in both themes;
- touch targets at least 9.5 mm on each side and at least 2 mm apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CAP_HEIGHT_RATIO = 0.01222
MIN_CONTRAST = 7.0
MIN_LINE_SPACING = 1.3
MIN_TARGET_MM = 9.5
MIN_GAP_MM = 2.0
MIN_MAIN_TEXT_DP = 18.0
DP_PER_INCH = 160.0  # Android's density-independent pixel: 1 dp = 1/160 in
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class ScreenGeometry:
    """A screen's physical size: pixels per millimetre, from the diagonal or a given DPI."""

    width_px: int
    height_px: int
    diagonal_in: float
    dpi_override: float = 0.0
    viewing_distance_mm: float = 600.0

    @property
    def dpi(self) -> float:
        if self.dpi_override > 0:
            return self.dpi_override
        return math.hypot(self.width_px, self.height_px) / self.diagonal_in

    @property
    def px_per_mm(self) -> float:
        return self.dpi / MM_PER_INCH

    def mm(self, px: float) -> float:
        return px / self.px_per_mm

    def px(self, mm: float) -> float:
        return mm * self.px_per_mm

    def dp(self, px: float) -> float:
        return px * DP_PER_INCH / self.dpi

    @property
    def min_cap_height_mm(self) -> float:
        return CAP_HEIGHT_RATIO * self.viewing_distance_mm


def geometry_for(config, width_px: int = 1080, height_px: int = 1920) -> ScreenGeometry:
    """The terminal's screen as configured ([display] diagonal_in, dpi, viewing_distance_mm)."""
    return ScreenGeometry(width_px, height_px, config.display.diagonal_in, config.display.dpi,
                          config.display.viewing_distance_mm)


def describe(geometry: ScreenGeometry) -> str:
    """One line for the log: the screen and the smallest text the MIIT rule allows on it."""
    cap_px = geometry.px(geometry.min_cap_height_mm)
    return (f"screen {geometry.diagonal_in:g} in, {geometry.dpi:.0f} dpi: capitals at least "
            f"{geometry.min_cap_height_mm:.1f} mm ({cap_px:.0f} px), targets at least "
            f"{MIN_TARGET_MM} mm ({geometry.px(MIN_TARGET_MM):.0f} px)")


def parse_colour(colour: str) -> tuple[int, int, int]:
    c = colour.strip().lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    if len(c) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def relative_luminance(rgb: tuple[int, int, int] | str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    if isinstance(rgb, str):
        rgb = parse_colour(rgb)

    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a, b) -> float:
    """WCAG 2 contrast ratio (1 to 21) of two colours (#rrggbb strings or RGB tuples)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def rect_gap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """The distance between two rectangles (x, y, w, h): 0 when they touch or overlap."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    dx = max(bx - (ax + aw), ax - (bx + bw), 0)
    dy = max(by - (ay + ah), ay - (by + bh), 0)
    return math.hypot(dx, dy)


def text_pairs(theme) -> list[tuple[str, str, str]]:
    """Every (what, text colour, background colour) a theme paints text with: the pairs its
    stylesheet uses (screens/theme.py). Each must reach MIN_CONTRAST."""
    t = theme
    return [
        ("text on background", t.text, t.bg),
        ("text on surface", t.text, t.surface),
        ("muted on background", t.muted, t.bg),
        ("muted on surface (also a field's hint)", t.muted, t.surface),
        ("section heading (primary) on background", t.primary, t.bg),
        ("status bar (on_primary on primary)", t.on_primary, t.primary),
        ("primary button", t.on_primary, t.primary),
        ("active toggle, staff banner (on_accent on accent)", t.on_accent, t.accent),
        ("pressed button", t.on_primary, t.primary),
    ]
