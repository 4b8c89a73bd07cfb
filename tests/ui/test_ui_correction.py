"""Correcting a completed entry: reason + text → version 2; the old version stays in the history
(MSG-12, rules-documents E12, §3.3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QLabel
from uihelp import assert_labels_fit

from carebook.model.services import clients, journal, lifecycle
from carebook.ui.correction_dialog import open_correction

pytestmark = pytest.mark.usefixtures("delete_windows")


def completed_entry(ws: Any, last_name: str = "Mäkinen") -> Any:
    client = next(c.id for c in clients.list_clients(ws.store, ws.staff)
                  if c.last_name == last_name)
    return journal.record_journal_entry(ws.store, ws.staff, client_id=client,
                                        entry_type="daily", text="Ate porridge at 8.",
                                        complete=True)


def test_correction_makes_version_two_with_the_reason(qtbot, workspace, sign_in, wait_idle,
                                                      screenshot_dir: Path):
    sign_in()
    entry = completed_entry(workspace)
    dialog = open_correction(None, workspace, entry)
    qtbot.waitUntil(lambda: dialog.restrictions is not None, timeout=10_000)
    assert dialog.text.toPlainText() == "Ate porridge at 8."
    explanation = dialog.findChild(object, "correctionExplanation").text()
    assert "version 2" in explanation and "history" in explanation
    assert not dialog.sign_button.isEnabled()  # no reason chosen yet
    dialog.reason.setCurrentIndex(dialog.reason.findData("factual-error"))
    assert dialog.sign_button.isEnabled()
    dialog.text.setPlainText("Ate porridge at 9.")
    assert_labels_fit(dialog)
    dialog.grab().save(str(screenshot_dir / "correction-dialog.png"))
    with qtbot.waitSignal(dialog.finished, timeout=10_000) as finished:
        dialog.sign_button.click()
    wait_idle()
    assert finished.args[0] == QDialog.DialogCode.Accepted
    now = lifecycle.get_document(workspace.store, workspace.staff, entry.id)
    assert now.version == 2 and now.body == "Ate porridge at 9."
    assert now.correction_reason == "factual-error" and now.state == "completed"
    versions = lifecycle.document_versions(workspace.store, workspace.staff, entry.id)
    assert [v.body for v in versions] == ["Ate porridge at 8.", "Ate porridge at 9."]


def test_correcting_a_nullified_entry_is_refused_in_place(qtbot, workspace, sign_in,
                                                          wait_idle):
    """MSG-11: a nullified document cannot be changed; the message shows, input kept."""
    sign_in()
    entry = completed_entry(workspace)
    lifecycle.nullify_document(workspace.store, workspace.staff, document_id=entry.id,
                               reason="wrong-person")
    dialog = open_correction(None, workspace, entry)
    qtbot.waitUntil(lambda: dialog.restrictions is not None, timeout=10_000)
    dialog.reason.setCurrentIndex(dialog.reason.findData("typing-error"))
    dialog.text.setPlainText("My changed words.")
    dialog.sign_button.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    wait_idle()
    assert "nullified" in dialog.error.text()
    assert dialog.isVisible() and dialog.text.toPlainText() == "My changed words."


def test_a_plan_is_corrected_in_the_plan_editor(qtbot, workspace, sign_in, wait_idle):
    sign_in()
    client = next(c.id for c in clients.list_clients(workspace.store, workspace.staff)
                  if c.last_name == "Mäkinen")
    plan = next(d for d in journal.client_timeline(workspace.store, workspace.staff,
                                                   client_id=client, limit=200).items
                if d.kind == "plan" and d.state == "completed")
    dialog = open_correction(None, workspace, plan)
    assert dialog.objectName() != "correctionDialog"
    assert getattr(dialog, "correct", False) is True
    wait_idle()


def test_the_sign_button_says_why_it_waits_for_a_reason(qtbot, workspace, sign_in, wait_idle,
                                                        screenshot_dir: Path):
    """MSG-12: the service requires a reason, so signing stays off until one is chosen, and
    the dialog says so next to the reason and on the button (tester A5)."""
    sign_in()
    dialog = open_correction(None, workspace, completed_entry(workspace))
    qtbot.waitUntil(lambda: dialog.restrictions is not None, timeout=10_000)
    hint = dialog.findChild(QLabel, "reasonHint")
    wanted = "Choose the reason for the correction first."
    assert hint.isVisible() and hint.text() == wanted
    assert not dialog.sign_button.isEnabled() and dialog.sign_button.toolTip() == wanted
    dialog.grab().save(str(screenshot_dir / "correction-dialog-no-reason.png"))
    dialog.reason.setCurrentIndex(dialog.reason.findData("typing-error"))
    assert not hint.isVisible() and dialog.sign_button.isEnabled()
    assert dialog.sign_button.toolTip() == "Sign the corrected entry as version 2"
    wait_idle()
