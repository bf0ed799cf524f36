"""Language switching through Qt's translation system.

Source strings are English; `assets/translations/kiosk_<lang>.qm` (built from the .ts sources by
`make`) translates them. Simplified Chinese is complete and the default. Traditional Chinese
(zh_TW) is installed over Simplified Chinese: Qt asks the last installed translator first, so a
message missing from kiosk_zh_TW falls back to its Simplified translation, never to English
(tests/test_translations.py reports such a message).
"""

from __future__ import annotations

import logging

from kiosk.language import FALLBACK, SIMPLIFIED, data_text
from kiosk.paths import ASSETS_DIR
from screens.qt import QApplication, QLocale, QTranslator

log = logging.getLogger("kiosk.ui")
TRANSLATIONS_DIR = ASSETS_DIR / "translations"
SOURCE_LANGUAGE = "en"


class Translations:
    """The application's translator. Qt's translators are application-wide, so there is one of
    these per QApplication: get it with `Translations.of(app)`."""

    @classmethod
    def of(cls, app: QApplication) -> "Translations":
        existing = getattr(app, "_kiosk_translations", None)
        if existing is None:
            existing = cls(app)
            app._kiosk_translations = existing
        return existing

    def __init__(self, app: QApplication):
        self.app = app
        self.language = SOURCE_LANGUAGE
        self._translators: list[QTranslator] = []

    def set_language(self, language: str) -> bool:
        """Install the translator for `language`; returns False if its .qm file is missing."""
        if language == self.language:
            return True
        for tr in self._translators:
            self.app.removeTranslator(tr)
        self._translators = []
        ok = True
        if language != SOURCE_LANGUAGE:
            chain = [language] if language == SIMPLIFIED else [FALLBACK, language]
            for code in chain:
                tr = QTranslator(self.app)
                qm = TRANSLATIONS_DIR / f"kiosk_{code}.qm"
                if tr.load(str(qm)):
                    self.app.installTranslator(tr)
                    self._translators.append(tr)
                else:
                    log.error("translation file missing or unreadable: %s (run make)", qm)
                    ok = False
        self.language = language
        QLocale.setDefault(QLocale(language))
        return ok


def current_language() -> str:
    """The language the interface is in now (set_language sets Qt's default locale)."""
    name = QLocale().name()
    return name if name in ("zh_CN", "zh_TW") else "en" if name.startswith("en") else "zh_CN"


def data(zh: str, en: str = "") -> str:
    """Catalog data in the interface's language, for widgets outside a screen (flow views)."""
    return data_text(zh, current_language(), en)
