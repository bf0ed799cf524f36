"""What every screen has: enter/cleanup around each visit, retranslation, a spoken prompt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.language import data_text
from screens.qt import QWidget

if TYPE_CHECKING:
    from kiosk.app import KioskCore
    from kiosk.navigation import Route


class BaseScreen(QWidget):
    #: Make the widgets on the first visit (`build`), not in the constructor: the window makes
    #: every screen as the kiosk starts, and only the attract and home screens show then.
    lazy = False

    def __init__(self, core: "KioskCore", parent: QWidget | None = None):
        super().__init__(parent)
        self.core = core
        self.setObjectName(type(self).__name__)
        self._built = not self.lazy

    @property
    def built(self) -> bool:
        return self._built

    def build(self) -> None:
        """Make the screen's widgets (a lazy screen: on its first visit)."""

    def ensure_built(self) -> None:
        if not self._built:
            self._built = True
            self.build()

    def __getattr__(self, name: str):
        # Only for attributes not found: a lazy screen's widgets asked for before its first
        # visit (a test, the tour) are made then.
        if name.startswith("_") or self.__dict__.get("_built", True):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        self.ensure_built()
        return getattr(self, name)

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

    def spoken_prompt(self) -> str:
        """What voice guidance says when the screen appears (translated; empty: nothing)."""
        return ""

    def announce(self) -> None:
        """The screen has appeared: say its prompt (a new prompt interrupts the last one)."""
        self.speak(self.spoken_prompt())

    def voice_changed(self) -> None:
        """语音 was switched or its volume stepped (a screen playing sound of its own follows)."""

    def speak(self, text: str, kind: str = "prompt", *, personal: bool = False) -> None:
        """Through the speech port (docs/decisions/0031); `personal`: it carries the citizen's
        data (never cached on disk). Nothing happens without a voice or with 语音 off."""
        voice = getattr(self.core.services, "voice", None)
        if voice is not None and text:
            voice.speak(text, self.language, kind, personal=personal)

    def item_name(self, item_id: str, name: str) -> str:
        """A catalog item's name in the session's language: in English the registry's English
        title when this terminal carries the item out (the catalog has no English names)."""
        if self.language == "en":
            flow_id = self.core.flow_for_item(item_id)
            spec = self.core.items.get(flow_id) if flow_id else None
            if spec is not None:
                from kiosk.flows.items import WORDS
                from screens.qt import translate

                return translate(WORDS, spec.title)
        return self.localized(name)

    def localized(self, zh: str, en: str = "") -> str:
        """Catalog data in the session's language: the English name where the catalog carries
        one, the Chinese in Traditional characters for zh_TW (kiosk.language.data_text)."""
        return data_text(zh, self.language, en)
