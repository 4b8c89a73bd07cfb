"""The journal-entry editor: new entry, draft editing (edit_draft, complete, discard), the
MyKanta panel with the guardian section for minors (rules-documents §3.6, §4.1.18-19, §5)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from uihelp import assert_labels_fit, client_named

from carebook.model import clock
from carebook.model.services import journal, lifecycle
from carebook.ui.entry_editor import open_entry_editor

pytestmark = pytest.mark.usefixtures("delete_windows")


def open_ready(qtbot: Any, ws: Any, client: int, document: Any = None) -> Any:
    dialog = open_entry_editor(None, ws, client_id=client, document=document)
    qtbot.waitUntil(lambda: dialog.restrictions is not None, timeout=10_000)
    return dialog


def all_docs(ws: Any, client: int) -> list[Any]:
    return list(journal.client_timeline(ws.store, ws.staff, client_id=client, limit=200).items)


def test_new_entry_with_a_delay_is_completed_and_signed(qtbot, workspace, sign_in, wait_idle,
                                                        screenshot_dir: Path):
    sign_in()
    client = client_named(workspace, "Mäkinen")
    dialog = open_ready(qtbot, workspace, client)
    assert dialog.windowTitle() == "New journal entry"
    assert dialog.type_combo.count() == 15
    assert "visible to the client in MyKanta" in dialog.reminder.text()
    assert dialog.client_label.text() == "Client: Elsa Mäkinen"
    assert dialog.restrictions.findChild(object, "guardianCode") is None  # an adult
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("visit"))
    dialog.text.setPlainText("Daughter visited; talked about the care meeting.")
    form = dialog.restrictions
    form.set_expanded(True)
    form.delay_check.setChecked(True)
    form.delay_date.setDate(form.delay_date.date().addDays(13))  # the default is tomorrow
    form.reasons.item(3).setCheckState(Qt.CheckState.Checked)
    dialog.resize(720, 760)
    assert_labels_fit(dialog)
    dialog.grab().save(str(screenshot_dir / "entry-editor.png"))
    with qtbot.waitSignal(dialog.finished, timeout=10_000) as finished:
        dialog.complete_button.click()
    wait_idle()
    assert finished.args[0] == QDialog.DialogCode.Accepted
    doc = next(d for d in all_docs(workspace, client)
               if d.body == "Daughter visited; talked about the care meeting.")
    assert doc.state == "completed" and doc.specific_type == "visit"
    assert doc.restriction.delay_until == clock.today() + timedelta(days=14)
    assert doc.restriction.reasons == ("4",)


def test_a_delay_ending_in_the_past_is_refused_in_place_and_nothing_is_lost(
        qtbot, workspace, sign_in, wait_idle):
    """rules-documents 3.6: the delay date is when MyKanta may first show the entry, so a
    past day would delay nothing. The form starts at tomorrow; a past day is refused in
    place without a rule ID, the text and choices stay, and no entry is stored."""
    sign_in()
    client = client_named(workspace, "Mäkinen")
    before = len(all_docs(workspace, client))
    dialog = open_ready(qtbot, workspace, client)
    dialog.text.setPlainText("Visit from the police; discussed with the director.")
    form = dialog.restrictions
    form.set_expanded(True)
    form.delay_check.setChecked(True)
    assert form.delay_date.date().toPython() == clock.today() + timedelta(days=1)
    form.delay_date.setDate(form.delay_date.date().addDays(-4))  # three days ago
    form.reasons.item(3).setCheckState(Qt.CheckState.Checked)
    dialog.complete_button.click()
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10_000)
    assert "must end on a day after today" in dialog.error.text()
    assert "rules-documents" not in dialog.error.text()
    assert dialog.isVisible() and form.delay_check.isChecked()
    assert dialog.text.toPlainText() == "Visit from the police; discussed with the director."
    assert dialog.focusWidget() is form.delay_date  # the fix is typed there, not on Close
    wait_idle()
    assert len(all_docs(workspace, client)) == before


def test_draft_saved_then_completed_in_the_same_dialog_is_one_document(qtbot, workspace,
                                                                       sign_in, wait_idle):
    sign_in()
    client = client_named(workspace, "Virtanen")
    before = len(all_docs(workspace, client))
    dialog = open_ready(qtbot, workspace, client)
    dialog.text.setPlainText("First words.")
    dialog.draft_button.click()
    qtbot.waitUntil(lambda: dialog.document is not None, timeout=10_000)
    assert dialog.status.text() == "Saved as a draft."
    assert dialog.discard_button.isVisible() and not dialog.type_combo.isEnabled()
    dialog.text.setPlainText("First words, and the rest of the evening.")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.complete_button.click()
    wait_idle()
    docs = all_docs(workspace, client)
    assert len(docs) == before + 1
    doc = next(d for d in docs if d.id == dialog.document.id)
    assert doc.state == "completed" and doc.body == "First words, and the rest of the evening."


def test_editing_an_existing_draft_and_discarding_it_after_confirmation(qtbot, workspace,
                                                                        sign_in, wait_idle):
    sign_in()
    client = client_named(workspace, "Virtanen")
    draft = journal.record_journal_entry(workspace.store, workspace.staff, client_id=client,
                                         entry_type="guidance", text="Draft text.")
    dialog = open_ready(qtbot, workspace, client, draft)
    assert dialog.windowTitle() == "Edit draft entry"
    assert dialog.text.toPlainText() == "Draft text."
    assert dialog.type_combo.currentData() == "guidance"
    dialog.text.setPlainText("Draft text, changed.")
    dialog.draft_button.click()
    qtbot.waitUntil(lambda: dialog.status.text() == "Saved as a draft.", timeout=10_000)
    wait_idle()
    stored = lifecycle.get_document(workspace.store, workspace.staff, draft.id)
    assert stored.body == "Draft text, changed." and stored.state == "draft"
    dialog.discard_button.click()
    box = dialog.confirm_box
    assert box is not None and "cannot be restored" in box.text()
    box.button(QMessageBox.StandardButton.No).click()  # keep: nothing happens
    wait_idle()
    assert lifecycle.get_document(workspace.store, workspace.staff, draft.id).state == "draft"
    dialog.discard_button.click()
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    wait_idle()
    assert all(d.id != draft.id for d in all_docs(workspace, client))


def test_a_refusal_shows_in_place_and_keeps_the_input(qtbot, workspace, sign_in, wait_idle):
    """§4.1.19: special content needs a reason code; the service's message shows in place."""
    sign_in()
    client = client_named(workspace, "Mäkinen")
    dialog = open_ready(qtbot, workspace, client)
    dialog.text.setPlainText("Sensitive note.")
    dialog.restrictions.special_check.setChecked(True)
    dialog.complete_button.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    wait_idle()
    assert "reason code" in dialog.error.text()
    assert dialog.isVisible() and dialog.text.toPlainText() == "Sensitive note."
    assert dialog.complete_button.isEnabled()


def test_a_minor_gets_the_guardian_section(qtbot, workspace, sign_in, wait_idle):
    """§4.1.18 / MSG-17: the author sees the guardian code (default 1) for a client under 18."""
    sign_in("hoitaja2")
    client = client_named(workspace, "Lehtonen")
    dialog = open_ready(qtbot, workspace, client)
    assert dialog.restrictions.minor
    assert dialog.restrictions.guardian.currentData() == "1"
    dialog.text.setPlainText("School day went well.")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.complete_button.click()
    wait_idle()
    doc = next(d for d in all_docs(workspace, client) if d.body == "School day went well.")
    assert doc.restriction.guardian_code == "1"


def test_closing_with_unsaved_text_keeps_it_as_a_draft(qtbot, workspace, sign_in, wait_idle):
    sign_in()
    client = client_named(workspace, "Virtanen")
    dialog = open_ready(qtbot, workspace, client)
    dialog.text.setPlainText("Not finished yet.")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.close_button.click()
    wait_idle()
    doc = next(d for d in all_docs(workspace, client) if d.body == "Not finished yet.")
    assert doc.state == "draft"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_entry_editor_in_finnish_and_swedish(lang, qtbot, workspace, sign_in, wait_idle,
                                             screenshot_dir: Path):
    """Type names come in the chosen language and no label is cut off (issue 4 item 8)."""
    from carebook.i18n import set_language
    from carebook.ui import texts

    sign_in()
    set_language(lang)
    client = client_named(workspace, "Mäkinen")
    dialog = open_ready(qtbot, workspace, client)
    wait_idle()
    assert dialog.type_combo.currentText() == texts.entry_type_name("daily")
    assert dialog.type_combo.currentText() != "Note on the client's everyday life"
    dialog.restrictions.set_expanded(True)
    dialog.resize(760, 780)
    assert_labels_fit(dialog)
    dialog.grab().save(str(screenshot_dir / f"entry-editor-{lang}.png"))
