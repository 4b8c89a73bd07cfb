"""The usage log's Detail column in the director's language (AC-8, issue 4 item 8): every note
the services write has words in the catalogue; the stored note (part of the hash chain) and the
export stay as written."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from carebook.i18n import set_language
from carebook.ui.admin import open_usage_log
from carebook.ui.admin.log_details import detail_text

SERVICES = Path(__file__).resolve().parents[2] / "carebook" / "model" / "services"
DETAIL_COLUMN = 5


def _literal_notes() -> set[str]:
    """Every note a service passes as ``detail=`` in plain words (literals and "a" + "b")."""
    notes: set[str] = set()

    def strings(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.IfExp):
            return strings(node.body) + strings(node.orelse)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = strings(node.left), strings(node.right)
            if isinstance(node.right, ast.IfExp):  # "a" + (" (b)" if x else "")
                return [a + b for a in left for b in right]
            return [a + b for a in left for b in right] if right else []
        return []

    for path in SERVICES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "detail":
                notes.update(strings(node.value))
    return notes


def test_every_note_a_service_writes_has_words_in_each_language() -> None:
    notes = _literal_notes()
    assert {"client shown", "journal entry completed", "plan drafted", "usage log verified",
            "producer created (test store)"} <= notes
    for language in ("fi", "sv"):
        set_language(language)
        untranslated = sorted(n for n in notes if detail_text(n) in (n, n.capitalize()))
        assert untranslated == [], language
    set_language("en")


@pytest.mark.parametrize(("note", "fi"), [
    ("usage log exported, 3 events; user johtaja",
     "Käyttöloki viety, 3 tapahtumaa; käyttäjä johtaja"),
    ("usage log read, 1 events", "Käyttöloki luettu, 1 tapahtuma"),
    ("full-text search, 12 hits", "Tekstihaku, 12 osumaa"),
    ("2 failed unlock(s) of unknown username",
     "2 epäonnistunutta kirjautumista tuntemattomalla käyttäjätunnuksella"),
    ("corrected: factual-error", "Korjattu: Virheellinen tieto"),
    ("roles set: admin,director", "Roolit asetettu: Pääkäyttäjä, Vastaava johtaja"),
    ("may see prohibited data: True", "Oikeus nähdä turvakiellon alaiset tiedot annettu"),
    ("a note from a newer version", "a note from a newer version"),
])
def test_notes_with_numbers_codes_and_names_read_in_finnish(note: str, fi: str) -> None:
    set_language("fi")
    try:
        assert detail_text(note) == fi
    finally:
        set_language("en")


def test_an_export_period_reads_in_the_local_date_form() -> None:
    from datetime import datetime

    from carebook.ui import texts

    set_language("fi")
    try:
        start = datetime.fromisoformat("2026-10-31T22:00:00+00:00")
        text = detail_text(f"usage log exported, 1 events; from {start.isoformat()}")
        assert text == f"Käyttöloki viety, 1 tapahtuma; alkaen {texts.moment(start)}"
    finally:
        set_language("en")


def test_the_director_reads_the_log_in_finnish_and_the_store_keeps_the_note(
        qtbot, workspace, sign_in, wait_idle) -> None:
    set_language("fi")
    parent = QWidget()
    qtbot.addWidget(parent)
    sign_in("johtaja")
    log = open_usage_log(parent, workspace)
    wait_idle()
    shown = [log.model.texts(r)[DETAIL_COLUMN] for r in range(log.model.rowCount())]
    stored = [e.detail or "" for e in log.model.rows()]
    assert {"Testivarasto luotu palveluntuottajalle", "Yksikkö lisätty"} <= set(shown)
    assert all(s == "" or s != d for s, d in zip(shown, stored, strict=True)), [
        (s, d) for s, d in zip(shown, stored, strict=True) if s and s == d]
    assert "unit added" in stored  # the note itself is untouched (hash chain, export)
    log.reject()
