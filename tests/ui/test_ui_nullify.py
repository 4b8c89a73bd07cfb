"""Nullifying an entry: reason, explicit confirmation, the nullified state (MSG-13, E13) and the
required order attachments → documents → case explained when it blocks (rules-documents §3.4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from uihelp import assert_labels_fit

from carebook.model.services import attachments, clients, journal, lifecycle
from carebook.ui.nullify_dialog import open_nullification

pytestmark = pytest.mark.usefixtures("delete_windows")


def completed_entry(ws: Any) -> Any:
    client = next(c.id for c in clients.list_clients(ws.store, ws.staff)
                  if c.last_name == "Virtanen")
    return journal.record_journal_entry(ws.store, ws.staff, client_id=client,
                                        entry_type="daily", text="Written for the wrong person.",
                                        complete=True)


def test_nullify_needs_a_reason_and_the_confirmation(qtbot, workspace, sign_in, wait_idle,
                                                     screenshot_dir: Path):
    sign_in()
    entry = completed_entry(workspace)
    dialog = open_nullification(None, workspace, entry)
    assert not dialog.nullify_button.isEnabled()  # not confirmed yet
    assert [dialog.reason.itemText(i) for i in range(dialog.reason.count())] == [
        "Wrong person", "Wrong case", "So erroneous that nullifying is better than correcting"]
    dialog.reason.setCurrentIndex(dialog.reason.findData("wrong-person"))
    assert not dialog.nullify_button.isEnabled()
    assert dialog.confirm.text().replace("&", "") == (
        "I understand the entry will be marked nullified; it is not deleted")
    dialog.text.setPlainText("Meant for Elsa Mäkinen.")
    dialog.confirm.setChecked(True)
    assert dialog.nullify_button.isEnabled()
    assert_labels_fit(dialog)
    dialog.grab().save(str(screenshot_dir / "nullify-dialog.png"))
    with qtbot.waitSignal(dialog.finished, timeout=10_000) as finished:
        dialog.nullify_button.click()
    wait_idle()
    assert finished.args[0] == QDialog.DialogCode.Accepted
    now = lifecycle.get_document(workspace.store, workspace.staff, entry.id)
    assert now.state == "nullified" and now.nullification_reason == "wrong-person"
    assert now.reason_text == "Meant for Elsa Mäkinen." and now.version == 2


def test_refused_by_the_order_explains_it_in_place(qtbot, workspace, sign_in, wait_idle,
                                                   screenshot_dir: Path):
    """MSG-13: the main entry first is refused while its attachment refers to it."""
    sign_in()
    entry = completed_entry(workspace)
    attachments.add_attachment(workspace.store, workspace.staff, main_document_id=entry.id,
                               description="Scanned form", data=b"%PDF-1.7 test",
                               complete=True)
    dialog = open_nullification(None, workspace, entry)
    dialog.reason.setCurrentIndex(dialog.reason.findData("wrong-person"))
    dialog.confirm.setChecked(True)
    dialog.nullify_button.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    wait_idle()
    assert "attachments first" in dialog.error.text()
    assert dialog.order_note.isVisible()
    assert "first every attachment of the entry, then the entry itself" in (
        dialog.order_note.text())
    assert dialog.isVisible() and dialog.confirm.isChecked()
    assert dialog.reason.currentData() == "wrong-person"
    assert_labels_fit(dialog)
    dialog.grab().save(str(screenshot_dir / "nullify-dialog-order.png"))
    assert lifecycle.get_document(workspace.store, workspace.staff, entry.id).state == (
        "completed")
