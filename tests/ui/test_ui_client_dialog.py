"""The new-client dialog: a self-paying client at the worker's unit, an identity code refused
in place (test store: Kela 900-series only), and a client under the organiser's RAR."""

from __future__ import annotations

from datetime import date

from stdnum.fi import hetu as stdnum_hetu

from carebook.model.services import clients, relationships
from carebook.model.services.demo_data import kela_test_hetu


def _open(qtbot, workspace, wait_idle):
    from carebook.ui.client_dialog import open_new_client

    dialog = open_new_client(None, workspace)
    qtbot.addWidget(dialog)
    wait_idle()
    return dialog


def test_new_self_paying_client_is_listed_for_the_unit(qtbot, workspace, sign_in, wait_idle):
    sign_in("hoitaja1")
    dialog = _open(qtbot, workspace, wait_idle)
    assert dialog.unit.currentText() == "Kuuselan palvelutalo"
    added: list[int] = []
    dialog.added.connect(added.append)
    code = kela_test_hetu(date(1944, 5, 17), 977)
    dialog.first.setText("Åke")
    dialog.last.setText("Öhman")
    dialog.hetu.setText(code)
    dialog.ok.click()
    qtbot.waitUntil(lambda: bool(added), timeout=10_000)
    assert not dialog.isVisible()
    record = clients.get_client(workspace.store, workspace.staff, added[0])
    assert (record.full_name, record.hetu) == ("Åke Öhman", code)
    rel = relationships.list_relationships(workspace.store, workspace.staff, added[0])
    assert [r.register_kind for r in rel] == ["own"]


def test_a_real_persons_identity_code_is_refused_in_place(qtbot, workspace, sign_in, wait_idle):
    """A test store takes only Kela's 900-series; the message shows, the typing stays."""
    sign_in("hoitaja1")
    dialog = _open(qtbot, workspace, wait_idle)
    check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int("010190123") % 31]
    real_series = f"010190-123{check}"
    assert stdnum_hetu.is_valid(real_series)  # well-formed; refused only for its series
    dialog.first.setText("Testi")
    dialog.last.setText("Henkilö")
    dialog.hetu.setText(real_series)
    dialog.ok.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert dialog.isVisible() and dialog.first.text() == "Testi"
    assert dialog.hetu.text() == real_series
    assert "900" in dialog.error.text()


def test_client_under_the_organisers_rar_gets_the_case_code(qtbot, workspace, sign_in, wait_idle):
    sign_in("hoitaja1")
    dialog = _open(qtbot, workspace, wait_idle)
    assert dialog.organiser.count() >= 2 and not dialog.case_code.isVisibleTo(dialog)
    dialog.organiser.setCurrentIndex(1)
    assert dialog.case_code.isVisibleTo(dialog)
    added: list[int] = []
    dialog.added.connect(added.append)
    dialog.first.setText("Bertil")
    dialog.last.setText("Åberg")
    dialog.hetu.setText(kela_test_hetu(date(1950, 2, 3), 978))
    dialog.ok.click()
    qtbot.waitUntil(lambda: bool(added) or dialog.error.isVisible(), timeout=10_000)
    assert added, dialog.error.text()
    rel = relationships.list_relationships(workspace.store, workspace.staff, added[0])
    assert [r.register_kind for r in rel] == ["organiser"]


def test_a_mistyped_identity_code_is_named_in_finnish_and_nothing_is_added(
        qtbot, workspace, sign_in, wait_idle):
    """A wrong check character (a typo) gets a translated message in place; no client."""
    from carebook.i18n import set_language

    sign_in("hoitaja1")
    set_language("fi")
    before = len(clients.list_clients(workspace.store, workspace.staff))
    dialog = _open(qtbot, workspace, wait_idle)
    good = kela_test_hetu(date(1950, 3, 4), 955)
    typo = good[:-1] + ("A" if good[-1] != "A" else "B")
    assert not stdnum_hetu.is_valid(typo)
    dialog.first.setText("Testi")
    dialog.last.setText("Henkilö")
    dialog.hetu.setText(typo)
    dialog.ok.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    message = dialog.error.text()
    assert "Henkilötunnus" in message or "henkilötunnus" in message, message
    assert "Traceback" not in message and "identity code" not in message
    assert dialog.isVisible() and dialog.hetu.text() == typo
    wait_idle()
    assert len(clients.list_clients(workspace.store, workspace.staff)) == before


def test_a_birth_date_is_typed_as_written_and_tab_moves_on(qtbot, workspace, sign_in,
                                                           wait_idle):
    """Without an identity code the birth date is typed like 6.5.1940 and stored as that
    day; Tab goes on from the field (the old "not given" date box trapped Tab and turned a
    typed date into nothing or 1.1.1900)."""
    from PySide6.QtCore import Qt

    sign_in("hoitaja1")
    dialog = _open(qtbot, workspace, wait_idle)
    dialog.show()
    qtbot.waitExposed(dialog)
    added: list[int] = []
    dialog.added.connect(added.append)
    dialog.first.setText("Aino")
    dialog.last.setText("Ääninen")
    dialog.birth.setFocus()
    qtbot.keyClicks(dialog.birth, "6.5.1940")
    qtbot.keyClick(dialog.birth, Qt.Key.Key_Tab)
    assert dialog.address.hasFocus()
    dialog.ok.click()
    qtbot.waitUntil(lambda: bool(added) or dialog.error.isVisible(), timeout=10_000)
    assert added, dialog.error.text()
    record = clients.get_client(workspace.store, workspace.staff, added[0])
    assert record.birth_date == date(1940, 5, 6) and record.hetu is None


def test_a_birth_date_that_is_not_a_day_is_refused_in_place_with_the_cursor_in_it(
        qtbot, workspace, sign_in, wait_idle):
    sign_in("hoitaja1")
    dialog = _open(qtbot, workspace, wait_idle)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = len(clients.list_clients(workspace.store, workspace.staff))
    dialog.first.setText("Aino")
    dialog.last.setText("Ääninen")
    dialog.birth.setText("31.2.1940")
    dialog.ok.click()
    assert dialog.error.isVisible() and dialog.isVisible()
    assert dialog.error.text() == "Birth date is not a date; write it like 06/05/1940."
    assert dialog.birth.hasFocus() and dialog.birth.selectedText() == "31.2.1940"
    wait_idle()
    assert len(clients.list_clients(workspace.store, workspace.staff)) == before
