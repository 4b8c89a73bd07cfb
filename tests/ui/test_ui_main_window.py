"""The main window (issue 4 item 4): title and test-store marker, unit preselection, menus by
role, the admin-only user without journal content (AC-2), refresh on documents_changed."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from carebook.i18n import set_language
from carebook.model import clock
from carebook.model.services import clients, journal


def _open(qtbot, workspace, sign_in, username="hoitaja1"):
    from carebook.ui.main_window import MainWindow

    sign_in(username)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: window.browser.model.rowCount() > 0, timeout=10_000)
    return window


def _choose(qtbot, window, last_name):
    model = window.browser.model
    row = next(i for i in range(model.rowCount())
               if model.listing(i).client.last_name == last_name)
    window.browser.list.setCurrentIndex(model.index(row))
    qtbot.waitUntil(lambda: window.card.data is not None
                    and window.card.data.client.last_name == last_name, timeout=10_000)
    return model.listing(row).id


def test_title_names_producer_user_and_test_store(qtbot, workspace, sign_in):
    window = _open(qtbot, workspace, sign_in)
    qtbot.waitUntil(lambda: "Hoivakoti Kuusela" in window.windowTitle(), timeout=10_000)
    title = window.windowTitle()
    assert "Heikki Hiltunen (hoitaja1)" in title and "TEST STORE" in title
    assert window.banner.isVisible() and "TEST STORE" in window.banner.text()


def test_single_unit_is_preselected_and_director_sees_all_units(qtbot, workspace, sign_in):
    """Issue 4 item 3: a worker with one unit finds it chosen; otherwise "All my units"."""
    window = _open(qtbot, workspace, sign_in)
    units = window.browser.units
    assert [units.itemText(i) for i in range(units.count())] == ["Kuuselan palvelutalo"]
    assert window.browser.model.rowCount() == 3  # Väinö Laine's service has ended
    workspace.lock()
    director = _open(qtbot, workspace, sign_in, "johtaja")
    units = director.browser.units
    assert units.currentText() == "All my units" and units.count() == 3
    assert director.browser.model.rowCount() == 7
    assert director.findChild(type(director.new_entry), "usageLogAction").isVisible()
    assert not director.findChild(type(director.new_entry), "staffAction").isVisible()


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_screenshot_with_a_client_selected(qtbot, workspace, sign_in, screenshot_dir,
                                           language):
    """Issue 4 item 10: the main window in each language, a client and an entry selected."""
    set_language(language)
    window = _open(qtbot, workspace, sign_in)
    _choose(qtbot, window, "Nieminen")
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() > 0, timeout=10_000)
    window.timeline.view.selectRow(1)
    assert window.current_document() is window.timeline.model.document(1)
    assert window.correct.isEnabled() and window.versions.isEnabled()
    assert not window.edit_draft.isEnabled()
    path = screenshot_dir / f"main_window_hoitaja1_{language}.png"
    window.grab().save(str(path))
    assert path.stat().st_size > 10_000


def test_admin_only_user_sees_no_timeline_and_no_error(qtbot, workspace, sign_in):
    """AC-2: the administrator reads no journal content; the window says so plainly."""
    window = _open(qtbot, workspace, sign_in, "admin")
    _choose(qtbot, window, "Mäkinen")
    assert window.no_records.isVisible() and not window.timeline.isVisible()
    assert window.current_document() is None
    assert not window.entry_menu.menuAction().isVisible()
    assert not window.new_entry.isVisible()
    assert window.findChild(type(window.new_entry), "staffAction").isVisible()
    assert not window.findChild(type(window.new_entry), "usageLogAction").isVisible()
    assert window.card.data.plans is None and window.card.data.services
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()]


def test_documents_changed_reloads_timeline_and_card(qtbot, workspace, sign_in):
    window = _open(qtbot, workspace, sign_in)
    client_id = _choose(qtbot, window, "Virtanen")
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() > 0, timeout=10_000)
    store, staff = workspace.store, workspace.staff
    workspace.db.call_blocking(lambda: journal.record_journal_entry(
        store, staff, client_id=client_id, entry_type="daily",
        text="Uusi merkintä ikkunan testistä.", complete=True))
    workspace.documents_changed.emit(client_id)
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() > 0 and
                    window.timeline.model.document(0).body.startswith("Uusi merkintä"),
                    timeout=10_000)
    qtbot.waitUntil(lambda: window.card.data is not None, timeout=10_000)


def test_clients_changed_lists_a_new_client(qtbot, workspace, sign_in):
    window = _open(qtbot, workspace, sign_in)
    store, staff = workspace.store, workspace.staff
    workspace.db.call_blocking(lambda: clients.add_client(
        store, staff, first_name="Aapo", last_name="Aaltonen",
        unit_oid="1.2.246.10.29100523.10.1"))
    workspace.clients_changed.emit()
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 4, timeout=10_000)
    assert window.browser.model.listing(0).client.last_name == "Aaltonen"


def test_menus_emit_the_shell_signals(qtbot, workspace, sign_in):
    window = _open(qtbot, workspace, sign_in)
    with qtbot.waitSignal(window.lock_requested, timeout=2_000):
        window.findChild(type(window.new_entry), "lockAction").trigger()
    with qtbot.waitSignal(window.help_requested, timeout=2_000):
        window.findChild(type(window.new_entry), "helpAction").trigger()
    assert window.findChild(QLabel, "noRecordsText").isHidden()


def test_ended_client_asks_one_special_reason_for_timeline_and_card(qtbot, workspace, sign_in):
    """AC-6/AC-7: after the relationship ended, reading needs a reason — asked once."""
    from datetime import timedelta

    window = _open(qtbot, workspace, sign_in)
    store, staff = workspace.store, workspace.staff
    laine = next(window.browser.model.listing(i).id for i in range(3)
                 if window.browser.model.listing(i).client.last_name == "Virtanen")
    end = clock.today() - timedelta(days=1)

    def end_relationship():
        rel = clients.list_relationships(store, staff, laine)[0]
        clients.set_relationship_window(store, staff, relationship_id=rel.id,
                                        start_on=end - timedelta(days=60), end_on=end)

    workspace.db.call_blocking(end_relationship)
    with qtbot.waitSignal(window.browser.listed, timeout=10_000):
        window.browser.filter.setCurrentIndex(1)
    window.browser.select_client(laine)
    qtbot.waitUntil(lambda: getattr(workspace, "last_prompt", None) is not None
                    and workspace.last_prompt.isVisible(), timeout=10_000)
    prompt = workspace.last_prompt
    prompt.accept()
    qtbot.waitUntil(lambda: window.card.data is not None, timeout=10_000)
    assert window.timeline.model.rowCount() > 0
    assert workspace.last_prompt is prompt  # the card reused the reason given once


def test_complete_draft_from_the_entry_menu(qtbot, workspace, sign_in):
    window = _open(qtbot, workspace, sign_in)
    client_id = _choose(qtbot, window, "Virtanen")
    store, staff = workspace.store, workspace.staff
    workspace.db.call_blocking(lambda: journal.record_journal_entry(
        store, staff, client_id=client_id, entry_type="daily", text="Luonnos illasta."))
    window.refresh()
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() > 0
                    and window.timeline.model.document(0).state == "draft", timeout=10_000)
    window.timeline.view.selectRow(0)
    assert window.edit_draft.isEnabled() and window.complete_draft.isEnabled()
    assert not window.correct.isEnabled()
    window.complete_draft.trigger()
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() > 0
                    and window.timeline.model.document(0).state == "completed", timeout=10_000)
    assert window.timeline.model.document(0).body == "Luonnos illasta."


def test_timeline_context_menu_offers_the_entry_actions(qtbot, workspace, sign_in):
    window = _open(qtbot, workspace, sign_in)
    _choose(qtbot, window, "Mäkinen")
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() > 1, timeout=10_000)
    window.timeline.view.selectRow(0)
    menu = window.context_menu_for_selection()
    assert [a.objectName() for a in menu.actions()] == ["correctAction", "nullifyAction",
                                                        "versionsAction"]
    menu.deleteLater()


def test_panel_sizes_are_remembered(qtbot, workspace, sign_in):
    """Issue 4 item 9: the splitters come back as the user left them."""
    from carebook.ui.main_window import MainWindow

    window = _open(qtbot, workspace, sign_in)
    window.splitters["main_split"].setSizes([400, 880])
    window.hide()
    assert workspace.settings.geometry_of("main_split")
    again = MainWindow(workspace)
    qtbot.addWidget(again)
    again.resize(1280, 800)
    again.show()
    assert again.splitters["main_split"].sizes()[0] == window.splitters["main_split"].sizes()[0]


def test_entry_written_in_the_composer_appears_at_the_top(qtbot, workspace, sign_in):
    """Shift work: choose the client, write, complete and sign, see it in the timeline."""
    window = _open(qtbot, workspace, sign_in)
    _choose(qtbot, window, "Virtanen")
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() > 0, timeout=10_000)
    composer = window.composer
    assert composer is not None and composer.isVisible()
    composer.text.setPlainText("Iltavuoro: asiakas nukahti klo 21.")
    composer.complete_button.click()
    model = window.timeline.model
    qtbot.waitUntil(lambda: model.rowCount() > 0
                    and model.document(0).body == "Iltavuoro: asiakas nukahti klo 21.",
                    timeout=10_000)
    assert model.data(model.index(0, 3)) == "Completed"


def test_menu_actions_open_the_dialogs_of_the_other_parts(qtbot, workspace, sign_in,
                                                          wait_idle):
    """The Client and Entry menus reach the editors by their published names."""
    from PySide6.QtWidgets import QDialog

    window = _open(qtbot, workspace, sign_in)
    _choose(qtbot, window, "Mäkinen")
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() > 0, timeout=10_000)
    window.timeline.view.selectRow(0)
    for action in (window.new_entry, window.new_plan, window.start_service,
                   window.end_service, window.correct, window.nullify, window.versions):
        assert action.isEnabled(), action.objectName()
        window.last_dialog = None
        action.trigger()
        dialog = window.last_dialog
        assert isinstance(dialog, QDialog) and dialog.isVisible(), action.objectName()
        wait_idle()
        dialog.reject()


def test_new_client_is_added_and_chosen(qtbot, workspace, sign_in):
    """Client menu → New client: the added client is listed and opened at once."""
    window = _open(qtbot, workspace, sign_in)
    window.new_client.trigger()
    dialog = window.last_dialog
    assert dialog.objectName() == "newClientDialog" and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.unit.count() > 0, timeout=10_000)
    dialog.first.setText("Östen")
    dialog.last.setText("Ärlig")
    dialog.ok.click()
    qtbot.waitUntil(lambda: window.card.data is not None
                    and window.card.data.client.last_name == "Ärlig", timeout=10_000)
    assert window.browser.model.rowCount() == 4
    assert window.browser.model.listing(3).client.last_name == "Ärlig"  # ä after z
