"""Finnish/Swedish sort order for names (SFS 4600 style): ``a … z å ä ö``, case-insensitive.

Python's default ``str`` order puts ``Å`` (U+00C5) after ``Ä`` (U+00C4) and every capital before
every small letter, so "Åkerman" came after "Äijälä" and "aho" after "Öberg". Readers of Finnish
and Swedish expect the alphabet to end ``x y z å ä ö`` and case not to matter.

Letters with other marks sort with their base letter (``é`` as ``e``); ``æ`` sorts as ``ä``, ``ø``
as ``ö`` and ``ü`` as ``y``, as in Finnish and Swedish dictionaries. ``v`` and ``w`` are separate
letters (the current Finnish and Swedish standards).
"""

from __future__ import annotations

import unicodedata

_LAST_ASCII = ord("z")
# The three letters after z, in this order (SFS 4600; Svenska Akademiens ordlista).
_NORDIC = {"å": _LAST_ASCII + 1, "ä": _LAST_ASCII + 2, "ö": _LAST_ASCII + 3}
_AS_NORDIC = {"æ": "ä", "ø": "ö", "ü": "y"}


def _primary_weight(ch: str) -> int:
    if ch in _NORDIC:
        return _NORDIC[ch]
    code = ord(ch)
    # Characters after "z" move up by three so that å ä ö keep their own weights.
    return code if code <= _LAST_ASCII else code + len(_NORDIC)


def _base_letters(text: str) -> str:
    """Case-folded text with marks removed except on å ä ö (which are letters of their own)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text.casefold()):
        ch = _AS_NORDIC.get(ch, ch)
        if ch in _NORDIC:
            out.append(ch)
            continue
        out.extend(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return "".join(out)


def primary_key(text: str) -> tuple[int, ...]:
    """The case-insensitive weight of ``text``: equal for "Öberg", "ÖBERG" and "öberg"."""
    return tuple(_primary_weight(ch) for ch in _base_letters(text))


def sort_key(text: str) -> tuple[tuple[int, ...], str, str]:
    """A key for ``sorted`` that orders texts as Finnish and Swedish readers expect.

    Texts equal but for case or marks are ordered consistently by their case-folded and then
    their exact form, so the order is total and does not depend on the input order.

    Example:
        ``sorted(["Öberg", "Äijälä", "Åkerman", "Zetterberg"], key=sort_key)`` gives
        ``["Zetterberg", "Åkerman", "Äijälä", "Öberg"]``.
    """
    return primary_key(text), text.casefold(), text


def name_key(last_name: str, first_name: str) -> tuple[tuple[tuple[int, ...], str, str], ...]:
    """The sort key of a person listed as "last name, first name"."""
    return sort_key(last_name), sort_key(first_name)


def fold(text: str) -> str:
    """``text`` for case-insensitive matching of any script ("ÖBERG" and "öberg" match)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


def contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` ignoring case (full Unicode case folding)."""
    return fold(needle.strip()) in fold(haystack)
