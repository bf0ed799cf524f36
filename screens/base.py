"""What every screen has: enter/cleanup around each visit, retranslation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from screens.qt import QWidget

if TYPE_CHECKING:
    from kiosk.app import KioskCore
    from kiosk.navigation import Route


class BaseScreen(QWidget):
    def __init__(self, core: "KioskCore", parent: QWidget | None = None):
        super().__init__(parent)
        self.core = core
        self.setObjectName(type(self).__name__)

    @property
    def language(self) -> str:
        return self.core.session.data.language

    @property
    def elder(self) -> bool:
        return self.core.session.data.elder_mode

    def enter(self, route: "Route") -> None:
        """Fill the screen for `route`; called each time it is shown."""

    def cleanup(self) -> None:
        """Drop what the visit showed; called when the screen is left."""

    def retranslate(self) -> None:
        """Set every visible text again after a language change."""

    def localized(self, zh: str, en: str) -> str:
        """Catalog data carries both names; pick by the session's language."""
        return en if self.language == "en" and en else zh
