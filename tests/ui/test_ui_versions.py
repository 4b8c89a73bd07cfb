"""The version history dialog (MSG-11, MSG-12, E12): every version with state, time, who
stored it, the correction reason, and the text of the selected version."""

from __future__ import annotations

from carebook.model.services import directory, journal, lifecycle


def _corrected_document(workspace):
    """A completed entry of hoitaja1's client corrected once, through the services."""
    store, staff = workspace.store, workspace.staff

    def setup():
        client = next(r for r in directory.client_directory(store, staff)
                      if r.client.last_name == "Virtanen")
        page = journal.client_timeline(store, staff, client_id=client.id, limit=5,
                                       kinds=("journal",))
        doc = page.items[0]
        lifecycle.correct_document(store, staff, document_id=doc.id, reason="typing-error",
                                   text="Korjattu teksti: aamupala syöty kokonaan.")
        return doc

    return workspace.db.call_blocking(setup)


def test_versions_after_a_correction(qtbot, workspace, sign_in, screenshot_dir):
    from carebook.ui.versions_dialog import open_versions

    sign_in("hoitaja1")
    original = _corrected_document(workspace)
    dialog = open_versions(None, workspace, original)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)
    table = dialog.table
    assert [table.item(r, 0).text() for r in range(2)] == ["1", "2"]
    assert [table.item(r, 1).text() for r in range(2)] == ["Completed", "Corrected"]
    assert table.item(1, 3).text() == "Heikki Hiltunen"
    assert table.item(0, 4).text() == "" and table.item(1, 4).text()
    assert "Korjattu teksti" in dialog.text.toPlainText()  # the newest is selected
    assert "Correction reason: " in dialog.text.toPlainText()
    dialog.resize(900, 560)
    dialog.grab().save(str(screenshot_dir / "versions_dialog.png"))
    table.selectRow(0)
    assert original.body in dialog.text.toPlainText()
    assert "Korjattu teksti" not in dialog.text.toPlainText()


def test_versions_from_the_main_window_entry_menu(qtbot, workspace, sign_in):
    from carebook.ui.main_window import MainWindow

    sign_in("hoitaja1")
    original = _corrected_document(workspace)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.browser.model.rowCount() > 0, timeout=10_000)
    window.browser.select_client(original.client_ids[0])
    qtbot.waitUntil(lambda: window.timeline.model.row_of(original.id) is not None,
                    timeout=10_000)
    window.timeline.view.selectRow(window.timeline.model.row_of(original.id))
    window.versions.trigger()
    dialog = window.last_dialog
    assert dialog.objectName() == "versionsDialog" and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)


def test_versions_of_a_nullified_entry_show_the_reason(qtbot, workspace, sign_in):
    """MSG-13: the nullification is a version of its own, with its reason and explanation."""
    from carebook.ui.versions_dialog import open_versions

    sign_in("hoitaja2")
    store, staff = workspace.store, workspace.staff

    def nullified():
        client = next(r for r in directory.client_directory(store, staff)
                      if r.client.last_name == "Heikkinen")
        page = journal.client_timeline(store, staff, client_id=client.id, limit=50,
                                       include_nullified=True)
        return next(d for d in page.items if d.state == "nullified")

    doc = workspace.db.call_blocking(nullified)
    dialog = open_versions(None, workspace, doc)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)
    assert dialog.table.item(1, 1).text() == "Nullified"
    assert "Kirjattu väärän asiakkaan tietoihin." in dialog.table.item(1, 4).text()
    assert "Nullified: " in dialog.text.toPlainText()
