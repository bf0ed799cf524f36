"""Icons beside the words on tiles and departments: one set (Tabler Icons, MIT, in
assets/icons with its licence), drawn in the theme's text colour at the tile's size.

A department has its own icon; an item's tile takes its department's; the terminal's own tiles
(取号, 近期查询记录) have theirs. An unknown code gets none (the words are always there)."""

from __future__ import annotations

from functools import lru_cache

from kiosk.paths import ASSETS_DIR
from screens.qt import QByteArray, QPainter, QPixmap, Qt

ICONS_DIR = ASSETS_DIR / "icons"

DEPARTMENT_ICONS = {
    "rs": "briefcase", "yb": "first-aid-kit", "gjj": "home-dollar", "bdc": "building",
    "hz": "users", "crj": "plane", "cgs": "car", "sw": "receipt-tax", "scjg": "building-store",
    "mz": "heart-handshake", "wjw": "stethoscope", "jy": "school", "zj": "building-community",
    "jt": "bus", "cl": "disabled", "tyjr": "medal", "sf": "scale", "nync": "plant",
    "cgj": "building-skyscraper", "sthj": "leaf", "yjgl": "alert-triangle", "wtl": "palette",
    "za": "shield", "zrgh": "map", "fgw": "chart-line", "sl": "droplet", "swj": "shopping-cart",
    "xfjy": "flame", "yc": "certificate", "gysy": "bolt", "qx": "cloud", "dag": "archive",
}
# The registry's own items (kiosk/flows/items.py): by flow id.
ITEM_ICONS = {"queue.ticket": "ticket", "records.access_log": "history"}


def icon_name(*, department: str = "", item: str = "") -> str | None:
    return ITEM_ICONS.get(item) or DEPARTMENT_ICONS.get(department)


@lru_cache(maxsize=256)
def icon_pixmap(name: str, colour: str, size: int) -> QPixmap | None:
    """The icon `name` drawn `size` pixels square in `colour` (None if there is no such icon)."""
    from screens.qt import QSvgRenderer

    path = ICONS_DIR / f"{name}.svg"
    if not path.exists():
        return None
    svg = path.read_text(encoding="utf-8").replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return pixmap
