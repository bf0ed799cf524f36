"""The citizen's language: which ones exist, and catalog data (Chinese) shown in each.

Qt translates the interface (screens/i18n.py). Catalog content — item names, guides,
department and category names — is data written in Simplified Chinese, with an English name for
departments and categories. In Traditional Chinese that data is converted character by character
with OpenCC's `s2tw` table (Taiwan standard characters, no phrase replacement: department and
item names are proper names, so 打印 stays 打印 rather than becoming 列印). The interface text
in kiosk_zh_TW.ts went through `s2twp` and was checked by hand.
"""

from __future__ import annotations

from functools import lru_cache

SIMPLIFIED = "zh_CN"
TRADITIONAL = "zh_TW"
ENGLISH = "en"
#: Every language the terminal can show; the config's [language] lists a subset.
LANGUAGES = (SIMPLIFIED, TRADITIONAL, ENGLISH)
#: A string missing from a language's translation is shown in this one (never a blank).
FALLBACK = SIMPLIFIED
#: Names on the language buttons: each language in its own words.
NATIVE_NAMES = {SIMPLIFIED: "简体中文", TRADITIONAL: "繁體中文", ENGLISH: "English"}


@lru_cache(maxsize=1)
def _converter():
    import opencc  # loaded on the first Traditional screen, not at start-up

    return opencc.OpenCC("s2tw")


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    """Simplified Chinese text in Traditional characters (Taiwan standard)."""
    if not text or text.isascii():
        return text
    return _converter().convert(text)


def data_text(zh: str, language: str, en: str = "") -> str:
    """Catalog data in `language`: the English name where the catalog carries one, the
    Chinese in Traditional characters for zh_TW, else the Chinese as written."""
    if language == ENGLISH:
        return en or zh
    if language == TRADITIONAL:
        return to_traditional(zh)
    return zh


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker
    """Marks words for lupdate without translating them here (the core has no Qt): a screen
    shows them through `translate(context, text)`."""
    return text
