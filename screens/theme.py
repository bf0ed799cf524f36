"""Themes: one QSS template, filled with a palette and a scale factor.

Elder mode (适老化) is the same screens with the high-contrast palette and every size multiplied
by 1.5: text, spacing and touch targets alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

FONT_FAMILY = "Noto Sans CJK SC"
#: Traditional Chinese needs the Traditional glyph shapes (Noto Sans CJK TC, in fonts-noto-cjk).
FONT_FAMILIES = {"zh_TW": "Noto Sans CJK TC"}


def font_family(language: str = "zh_CN") -> str:
    return FONT_FAMILIES.get(language, FONT_FAMILY)


@dataclass(frozen=True)
class Theme:
    name: str
    scale: float
    bg: str
    surface: str
    text: str
    muted: str
    primary: str
    on_primary: str
    accent: str
    on_accent: str
    border: str

    def px(self, base: float) -> int:
        return round(base * self.scale)


STANDARD = Theme("standard", 1.0, bg="#eef3f9", surface="#ffffff", text="#15202b", muted="#404d5a",
                 primary="#1a4f9c", on_primary="#ffffff", accent="#a50d26", on_accent="#ffffff",
                 border="#b8c7da")
ELDER = Theme("elder", 1.5, bg="#000000", surface="#111111", text="#ffffff", muted="#f2f2f2",
              primary="#ffd400", on_primary="#000000", accent="#ffd400", on_accent="#000000",
              border="#ffffff")

_QSS = Template("""
* { font-family: "$font"; color: $text; }
QWidget#KioskWindow, QStackedWidget { background: $bg; }
QLabel { font-size: ${body}px; background: transparent; }
QLabel[role="title"] { font-size: ${title}px; font-weight: bold; }
QLabel[role="subtitle"] { font-size: ${subtitle}px; color: $muted; }
QLabel[role="section"] { font-size: ${subtitle}px; font-weight: bold; color: $primary;
    padding-top: ${gap}px; }
QLabel[role="hero"] { font-size: ${hero}px; font-weight: bold; color: $primary; }
QLabel[role="small"] { font-size: ${small}px; color: $muted; }
QFrame[role="card"] { background: $surface; border: ${bw}px solid $border; border-radius: ${radius}px; }
QFrame[role="bar"] { background: $primary; }
QFrame[role="bar"] QLabel { color: $on_primary; font-size: ${bar}px; }
QPushButton { font-size: ${button}px; min-height: ${touch}px; padding: 0 ${pad}px;
    background: $surface; color: $text; border: ${bw}px solid $border; border-radius: ${radius}px; }
QPushButton:pressed { background: $primary; color: $on_primary; }
QPushButton:disabled { color: $muted; }
QPushButton[role="primary"] { background: $primary; color: $on_primary; border-color: $primary;
    font-weight: bold; }
QPushButton[role="primary"] QLabel { color: $on_primary; font-weight: bold; }
QPushButton[role="tile"] { font-size: ${tile}px; min-height: ${tile_h}px; text-align: center;
    font-weight: bold; }
QPushButton[role="tile"][degraded="true"] { border-style: dashed; background: $bg; }
QPushButton[role="tile"][degraded="true"] QLabel { color: $muted; }
QPushButton[role="list"] { font-size: ${button}px; text-align: left; padding: 4px ${pad}px; }
QPushButton[role="key"] { font-size: ${key}px; min-height: ${key_h}px; min-width: ${key_w}px;
    padding: 0; }
QPushButton[role="candidate"] { font-size: ${key}px; min-height: ${cand_h}px; min-width: ${key_w}px;
    padding: 0; }
QPushButton[role="nav"], QPushButton[role="toggle"] { font-size: ${nav}px; min-height: ${nav_h}px;
    padding: 0 ${gap}px; }
QPushButton[role="nav"] QLabel { font-size: ${nav}px; }
QPushButton[role="toggle"][active="true"] { background: $accent; color: $on_accent; border-color: $accent;
    font-weight: bold; }
QPushButton[role="toggle"][active="true"][chip="true"] { font-weight: normal; }
QPushButton[role="toggle"][active="true"] QLabel { color: $on_accent; font-weight: bold; }
QLineEdit { font-size: ${input}px; min-height: ${touch}px; padding: 0 ${pad}px;
    placeholder-text-color: $muted;
    background: $surface; border: ${bw2}px solid $primary; border-radius: ${radius}px; }
QScrollArea { border: none; background: transparent; }
QScrollArea > QWidget > QWidget { background: transparent; }
QScrollBar:vertical { width: ${scroll}px; background: $bg; }
QScrollBar::handle:vertical { background: $border; min-height: ${touch}px; border-radius: ${half_scroll}px; }
QWidget#CountdownOverlay { background: rgba(0, 0, 0, 170); }
QFrame#CountdownCard { background: $surface; border: ${bw2}px solid $primary; border-radius: ${radius}px; }
QFrame#StaffBanner { background: $accent; }
QFrame#StaffBanner QLabel { color: $on_accent; font-size: ${subtitle}px; font-weight: bold; }
QWidget#StaffPanel { background: rgba(0, 0, 0, 170); }
QFrame#StaffCard { background: $surface; border: ${bw2}px solid $primary; border-radius: ${radius}px; }
QWidget#RemoteViewConsent { background: rgba(0, 0, 0, 170); }
QFrame#RemoteViewCard { background: $surface; border: ${bw2}px solid $primary; border-radius: ${radius}px; }
QFrame#HelpBar { background: $surface; border-bottom: ${bw2}px solid $accent; }
QFrame#HelpBar[sharing="true"] { border: ${bw2}px solid $accent; }
""")


def stylesheet(theme: Theme, language: str = "zh_CN") -> str:
    p = theme.px
    return _QSS.substitute(
        font=font_family(language), text=theme.text, bg=theme.bg, surface=theme.surface,
        muted=theme.muted,
        primary=theme.primary, on_primary=theme.on_primary, accent=theme.accent,
        on_accent=theme.on_accent, border=theme.border,
        body=p(28), bar=p(24), title=p(48), subtitle=p(30), hero=p(64), small=p(22), button=p(30),
        tile=p(32), tile_h=p(150), key=p(34), key_h=p(84), key_w=min(p(60), 64), cand_h=p(72),
        nav=min(p(28), 36), nav_h=p(84),
        input=p(36), touch=p(88), pad=p(20), gap=p(14), radius=p(12), bw=max(1, p(2)),
        bw2=max(2, p(3)), scroll=p(24), half_scroll=p(12),
    )


def theme_for(elder: bool) -> Theme:
    return ELDER if elder else STANDARD
