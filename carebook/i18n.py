"""One gettext catalogue (domain ``carebook``) for the core, the CLI, reports and the UI.

Catalogues live in ``resources/locale/<lang>/LC_MESSAGES/carebook.po``. They are read with
Babel at run time, so a clean checkout needs no compile step.
"""

from __future__ import annotations

import gettext
import locale
import os
from datetime import date
from functools import lru_cache
from pathlib import Path

DOMAIN = "carebook"
LANGUAGES = ("fi", "sv", "en")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "resources" / "locale"

_current: gettext.NullTranslations = gettext.NullTranslations()
_current_language = "en"


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    """Mark a string for extraction without translating it now."""
    return message


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


class _PoTranslations(gettext.NullTranslations):
    def __init__(self, messages: dict[str, str], plurals: dict[str, tuple[str, ...]]) -> None:
        super().__init__()
        self._messages = messages
        self._plurals = plurals

    def gettext(self, message: str) -> str:
        return self._messages.get(message) or message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        # Finnish and Swedish have two forms: index 0 for one, 1 for any other count.
        forms = self._plurals.get(msgid1)
        if forms and len(forms) >= 2 and all(forms):
            return forms[0] if n == 1 else forms[1]
        return msgid1 if n == 1 else msgid2


@lru_cache(maxsize=8)
def _load(language: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return gettext.NullTranslations()
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for msg in catalog:
        if not msg.id or not msg.string or msg.fuzzy:
            continue
        if isinstance(msg.id, str):
            messages[msg.id] = msg.string if isinstance(msg.string, str) else msg.string[0]
        else:
            plurals[msg.id[0]] = tuple(msg.string)
    return _PoTranslations(messages, plurals)


def default_language() -> str:
    """The language from CAREBOOK_LANG, else the system locale, else English."""
    wanted = os.environ.get("CAREBOOK_LANG") or (locale.getlocale()[0] or "") or os.environ.get(
        "LANG", ""
    )
    code = wanted[:2].lower()
    return code if code in LANGUAGES else "en"


def set_language(language: str | None = None) -> str:
    """Switch the catalogue; returns the language now in force."""
    global _current, _current_language
    lang = language if language in LANGUAGES else default_language()
    _current = _load(lang) if lang != "en" else gettext.NullTranslations()
    _current_language = lang
    return lang


def current_language() -> str:
    return _current_language


def format_day(day: date) -> str:
    """A date in the current language's usual form (fi and sv 23.8.2026, en 23/08/2026)."""
    from babel.dates import format_date

    return format_date(day, format="short" if _current_language != "fi" else "d.M.yyyy",
                       locale={"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}[_current_language])
