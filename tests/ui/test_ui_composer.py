"""The composer: type, write, complete and sign with one shortcut (issue 4 item 4; rules-documents
§5), nothing typed lost on a refusal, the MyKanta reminder (§3.6) and RAR-11."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QVBoxLayout, QWidget
from uihelp import assert_labels_fit, client_named

from carebook.model import clock
from carebook.model.records import Restriction
from carebook.model.services import clients, journal
from carebook.model.services.demo_data import OLDER, ORGANISER, kela_test_hetu
from carebook.ui.composer import Composer

pytestmark = pytest.mark.usefixtures("delete_windows")

TEST_HETU = kela_test_hetu(date(1950, 1, 1), 957)  # Kela test series (900-999)







def host(qtbot: Any, ws: Any) -> tuple[QWidget, Composer]:
    window = QWidget()
    window.setObjectName("composerHost")
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    composer = Composer(ws, window)
    layout.addWidget(composer)
    window.resize(760, 300)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    return window, composer


def entries(ws: Any, client_id: int) -> list[Any]:
    return list(journal.client_timeline(ws.store, ws.staff, client_id=client_id,
                                        limit=200).items)


def test_disabled_with_a_hint_until_a_client_is_chosen(qtbot, workspace, sign_in,
                                                       screenshot_dir: Path):
    sign_in()
    window, composer = host(qtbot, workspace)
    assert composer.hint.isVisible()
    window.grab().save(str(screenshot_dir / "composer-no-client.png"))
    assert composer.hint.text() == "Choose a client to write an entry."
    assert not composer.complete_button.isEnabled() and not composer.text.isEnabled()
    composer.set_client(client_named(workspace, "Mäkinen"))
    assert not composer.hint.isVisible() and composer.complete_button.isEnabled()
    assert "visible to the client in MyKanta" in composer.reminder.text()


def test_all_fifteen_types_are_listed_by_name_and_only_usable_ones_selectable(
        qtbot, workspace, sign_in):
    sign_in()
    _window, composer = host(qtbot, workspace)
    combo = composer.type_combo
    assert combo.count() == 15
    names = [combo.itemText(i) for i in range(combo.count())]
    assert "Note on the client's everyday life" in names
    assert all(name and "-" not in name.split()[0] for name in names)  # names, not keys
    model = combo.model()
    enabled = {combo.itemData(i) for i in range(combo.count()) if model.item(i).isEnabled()}
    usable = {t.key for t in journal.note_types() if t.valid_today} - set(journal.SERVICE_NOTES)
    assert enabled == usable
    assert composer.entry_type() == "daily"


def test_ctrl_return_completes_and_signs_and_clears_the_text(qtbot, workspace, sign_in,
                                                             wait_idle, screenshot_dir: Path):
    sign_in()
    client = client_named(workspace, "Mäkinen")
    window, composer = host(qtbot, workspace)
    composer.set_client(client)
    composer.type_combo.setCurrentIndex(composer.type_combo.findData("functional-ability"))
    composer.text.setFocus()
    qtbot.keyClicks(composer.text, "Walked to the dining room with the rollator.")
    assert_labels_fit(window)
    window.grab().save(str(screenshot_dir / "composer.png"))
    changed: list[int] = []
    workspace.documents_changed.connect(changed.append)
    with qtbot.waitSignal(composer.recorded, timeout=10_000) as signal:
        qtbot.keyClick(composer.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle()
    doc_id = signal.args[0]
    stored = next(d for d in entries(workspace, client) if d.id == doc_id)
    assert stored.state == "completed" and stored.author_name.startswith("Hanna") is not None
    assert stored.body == "Walked to the dining room with the rollator."
    assert stored.specific_type == "functional-ability"
    assert stored.signature is not None
    assert workspace.staff.username == "hoitaja1"
    assert composer.text.toPlainText() == ""
    assert composer.status.text().startswith("Completed and signed")
    assert changed == [client]
    # the last type used is remembered for the next composer of this worker
    _w2, again = host(qtbot, workspace)
    assert again.entry_type() == "functional-ability"


def test_save_draft_with_ctrl_s_keeps_a_draft(qtbot, workspace, sign_in, wait_idle):
    sign_in()
    client = client_named(workspace, "Virtanen")
    _window, composer = host(qtbot, workspace)
    composer.set_client(client)
    composer.text.setFocus()
    qtbot.keyClicks(composer.text, "Half-written note about the afternoon.")
    with qtbot.waitSignal(composer.recorded, timeout=10_000) as signal:
        qtbot.keyClick(composer.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle()
    stored = next(d for d in entries(workspace, client) if d.id == signal.args[0])
    assert stored.state == "draft" and stored.body == "Half-written note about the afternoon."
    assert composer.status.text().startswith("Saved as a draft")


def test_a_refusal_keeps_the_text_and_shows_the_message_in_place(qtbot, workspace, sign_in,
                                                                 wait_idle):
    """Special content without a reason code is refused (rules-documents §4.1.19)."""
    sign_in()
    client = client_named(workspace, "Mäkinen")
    before = len(entries(workspace, client))
    _window, composer = host(qtbot, workspace)
    composer.set_client(client)
    composer._restriction = Restriction(special_content=True)
    composer.text.setPlainText("Text that must survive.")
    composer.complete_button.click()
    qtbot.waitUntil(composer.error.isVisible, timeout=10_000)
    wait_idle()
    assert "reason code" in composer.error.text()
    assert composer.text.toPlainText() == "Text that must survive."
    assert composer.complete_button.isEnabled()
    assert len(entries(workspace, client)) == before


def test_unsaved_text_stays_with_its_client(qtbot, workspace, sign_in):
    sign_in()
    first, second = client_named(workspace, "Mäkinen"), client_named(workspace, "Virtanen")
    _window, composer = host(qtbot, workspace)
    composer.set_client(first)
    composer.text.setPlainText("For Elsa only.")
    composer.set_client(second)
    assert composer.text.toPlainText() == ""
    composer.set_client(first)
    assert composer.text.toPlainText() == "For Elsa only."


def test_rar_client_without_case_code_is_kept_as_a_draft(qtbot, workspace, sign_in, wait_idle):
    """RAR-11: as `note add`, the entry is kept as a draft and the user is told why."""
    sign_in()
    rec = clients.add_client(
        workspace.store, workspace.staff, first_name="Testi", last_name="Odottaja",
        unit_oid="1.2.246.10.29100523.10.1", hetu=TEST_HETU,
        organiser_oid=ORGANISER["oid"], rar_start=clock.today() - timedelta(days=3),
        case_code=None, service_task=OLDER)
    _window, composer = host(qtbot, workspace)
    composer.set_client(rec.id)
    composer.text.setPlainText("First evening in the new home.")
    with qtbot.waitSignal(composer.recorded, timeout=10_000) as signal:
        composer.complete_button.click()
    wait_idle()
    stored = next(d for d in entries(workspace, rec.id) if d.id == signal.args[0])
    assert stored.state == "draft" and stored.body == "First evening in the new home."
    assert "case code" in composer.error.text() and "saved as a draft" in composer.error.text()
    assert composer.text.toPlainText() == ""


def test_special_reason_prompt_for_a_worker_of_another_unit(qtbot, workspace, sign_in,
                                                            wait_idle):
    """AC-6/AC-7: hoitaja2 (home care) writing for a care-home client is asked for a reason."""
    sign_in("hoitaja1")
    client = client_named(workspace, "Mäkinen")
    workspace.lock()
    wait_idle()
    sign_in("hoitaja2")
    _window, composer = host(qtbot, workspace)
    composer.set_client(client)
    composer.text.setPlainText("Visited on behalf of the care home.")
    composer.type_combo.setCurrentIndex(composer.type_combo.findData("visit"))
    composer.complete_button.click()
    qtbot.waitUntil(lambda: getattr(workspace, "last_prompt", None) is not None
                    and workspace.last_prompt.isVisible(), timeout=10_000)
    with qtbot.waitSignal(composer.recorded, timeout=10_000):
        workspace.last_prompt.accept()
    wait_idle()
    assert composer.text.toPlainText() == ""
    assert workspace.reason_for(client) is not None


def test_restrictions_link_opens_the_form_for_the_client(qtbot, workspace, sign_in, wait_idle,
                                                        screenshot_dir: Path):
    sign_in()
    client = client_named(workspace, "Mäkinen")
    _window, composer = host(qtbot, workspace)
    composer.set_client(client)
    composer.restrictions_button.click()
    qtbot.waitUntil(lambda: composer.restriction_dialog is not None, timeout=10_000)
    dialog = composer.restriction_dialog
    form = dialog.form
    assert not form.minor
    form.delay_check.setChecked(True)
    form.delay_date.setDate(form.delay_date.date().addDays(29))  # the default is tomorrow
    form.reasons.item(0).setCheckState(Qt.CheckState.Checked)
    assert_labels_fit(dialog)
    dialog.grab().save(str(screenshot_dir / "composer-restrictions.png"))
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert composer._restriction is not None
    assert composer._restriction.delay_until == clock.today() + timedelta(days=30)
    composer.text.setPlainText("Delayed note.")
    with qtbot.waitSignal(composer.recorded, timeout=10_000) as signal:
        composer.complete_button.click()
    wait_idle()
    stored = next(d for d in entries(workspace, client) if d.id == signal.args[0])
    assert stored.restriction.delay_until == clock.today() + timedelta(days=30)
    assert stored.restriction.reasons == ("1",)


def test_a_delay_without_a_reason_is_named_in_the_restriction_dialog(qtbot, workspace, sign_in):
    """rules-documents 4.1.19: the missing reason is shown when choosing, not first at
    signing; the dialog stays open with the choice intact."""
    sign_in()
    client = client_named(workspace, "Mäkinen")
    _window, composer = host(qtbot, workspace)
    composer.set_client(client)
    composer.restrictions_button.click()
    qtbot.waitUntil(lambda: composer.restriction_dialog is not None, timeout=10_000)
    dialog = composer.restriction_dialog
    dialog.form.delay_check.setChecked(True)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and composer._restriction is None
    error = dialog.findChild(QWidget, "errorLabel")
    assert "reason" in error.text() and error.isVisible()
    assert dialog.form.delay_check.isChecked()
