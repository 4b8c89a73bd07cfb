"""One gettext catalogue: every string extracted, translated into fi and sv, placeholders kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from carebook import i18n
from carebook.errors import WrongPasswordError

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


def _source_messages() -> set[str]:
    found: set[str] = set()
    for _fn, _line, msg, _comments, _ctx in extract_from_dir(
        str(ROOT / "carebook"),
        method_map=[("**.py", "python")],
        keywords={"_": None, "N_": None, "ngettext": (1, 2)},
    ):
        for m in msg if isinstance(msg, tuple) else (msg,):
            if m:
                found.add(m)
    return found


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    path = ROOT / "resources" / "locale" / lang / "LC_MESSAGES" / "carebook.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_source_string_is_translated(lang: str) -> None:
    catalog = _catalog(lang)
    translated: set[str] = set()
    for m in catalog:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, str):
            if m.string:
                translated.add(m.id)
        elif all(m.string):  # a plural entry: every form must be there
            translated.update(m.id)
    missing = sorted(_source_messages() - translated)
    assert not missing, (
        f"{len(missing)} strings lack a {lang} translation; run scripts/i18n-update and "
        f"translate them: {missing[:10]}"
    )


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_translations_keep_every_placeholder(lang: str) -> None:
    bad = []
    for m in _catalog(lang):
        if not m.id or not m.string or not isinstance(m.id, str):
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for s in strings:
            if s and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(s)):
                bad.append((m.id, s))
    assert not bad, f"placeholders differ in {lang}: {bad[:5]}"


def test_error_messages_follow_the_chosen_language() -> None:
    try:
        i18n.set_language("fi")
        fi = WrongPasswordError().message()
        i18n.set_language("sv")
        sv = WrongPasswordError().message()
    finally:
        i18n.set_language("en")
    en = WrongPasswordError().message()
    assert len({fi, sv, en}) == 3


def test_plural_forms_are_read_from_the_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    po = tmp_path / "fi" / "LC_MESSAGES" / "carebook.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "%(n)s entry"\nmsgid_plural "%(n)s entries"\n'
        'msgstr[0] "%(n)s merkintä"\nmsgstr[1] "%(n)s merkintää"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._load.cache_clear()
    try:
        i18n.set_language("fi")
        assert i18n.ngettext("%(n)s entry", "%(n)s entries", 1) == "%(n)s merkintä"
        assert i18n.ngettext("%(n)s entry", "%(n)s entries", 5) == "%(n)s merkintää"
    finally:
        i18n.set_language("en")
        i18n._load.cache_clear()


def test_no_translated_string_hides_inside_an_f_string() -> None:
    """pybabel (on Python 3.11) cannot see ``_("…")`` written inside an f-string, so such a
    string never reaches the catalogue and shows in English to a Finnish or Swedish user."""
    import ast

    hidden = []
    for path in sorted((ROOT / "carebook").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                        and inner.func.id in {"_", "N_", "ngettext"}
                        and inner.args and isinstance(inner.args[0], ast.Constant)
                        and inner.args[0].value not in _source_messages_cached()):
                    hidden.append(f"{path.relative_to(ROOT)}:{node.lineno} {inner.args[0].value!r}")
    assert hidden == []


_SOURCE_CACHE: set[str] = set()


def _source_messages_cached() -> set[str]:
    if not _SOURCE_CACHE:
        _SOURCE_CACHE.update(_source_messages())
    return _SOURCE_CACHE
