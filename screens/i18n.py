"""Language switching through Qt's translation system.

Source strings are English; `assets/translations/kiosk_<lang>.qm` (built from the .ts sources by
`make`) translates them. Simplified Chinese is complete and the default.
"""

from __future__ import annotations

import logging

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
        self._translator: QTranslator | None = None

    def set_language(self, language: str) -> bool:
        """Install the translator for `language`; returns False if its .qm file is missing."""
        if language == self.language:
            return True
        if self._translator is not None:
            self.app.removeTranslator(self._translator)
            self._translator = None
        ok = True
        if language != SOURCE_LANGUAGE:
            tr = QTranslator(self.app)
            qm = TRANSLATIONS_DIR / f"kiosk_{language}.qm"
            if tr.load(str(qm)):
                self.app.installTranslator(tr)
                self._translator = tr
            else:
                log.error("translation file missing or unreadable: %s (run make)", qm)
                ok = False
        self.language = language
        QLocale.setDefault(QLocale(language))
        return ok
