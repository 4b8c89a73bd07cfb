"""Staff-user administration (issue 4 item 6; AC-2, AC-5, AC-6): add, roles and units, reset
password, deactivate — every refusal shown in place, and the store holding the result."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from carebook.errors import WrongPasswordError
from carebook.model.services import accounts, demo_data
from carebook.ui.admin import open_staff_admin

NEW_PASSWORD = "uusi-salasana-1"


@pytest.fixture
def staff_dialog(qtbot, workspace, sign_in, wait_idle):
    """``staff_dialog(username)``: the staff dialog opened by ``username`` and loaded."""
    parents: list[QWidget] = []

    def run(username: str = "admin"):
        sign_in(username, demo_data_password())
        parent = QWidget()
        parents.append(parent)  # the dialog lives as long as its parent
        qtbot.addWidget(parent)
        dialog = open_staff_admin(parent, workspace)
        wait_idle()
        return dialog

    yield run
    parents.clear()


def demo_data_password() -> str:
    from carebook.model.services.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


def _column(dialog, column: int) -> list[str]:
    model = dialog.model
    return [model.texts(r)[column] for r in range(model.rowCount())]


def _select(dialog, username: str) -> None:
    dialog.select_user(username)
    assert dialog.selected().username == username


def _type(qtbot, edit, text: str) -> None:
    # QTest types ASCII only; other letters (ä, ö) are set as a paste would.
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.setText(text)


def _closed(form) -> bool:
    return not shiboken6.isValid(form) or not form.isVisible()


def _submit(qtbot, form) -> None:
    qtbot.mouseClick(form.ok, Qt.MouseButton.LeftButton)


def test_ac6_add_care_worker_with_a_unit_who_can_then_sign_in(
        qtbot, workspace, staff_dialog, wait_idle, screenshot_dir):
    dialog = staff_dialog()
    assert {"admin", "johtaja", "hoitaja1", "hoitaja2"} <= set(_column(dialog, 0))
    dialog.grab().save(str(screenshot_dir / "admin_staff.png"))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    form = dialog.form_dialog
    assert form.isVisible() and form.roles["care_worker"].isChecked()
    for edit, text in ((form.username, "hoitaja3"), (form.first_name, "Iida"),
                       (form.last_name, "Ikonen"), (form.title_edit, "Lähihoitaja"),
                       (form.registration, "DEMO-1004"), (form.password, NEW_PASSWORD),
                       (form.password2, NEW_PASSWORD)):
        _type(qtbot, edit, text)
    form.units[demo_data.HOME_CARE].setChecked(True)
    form.work_task.setCurrentIndex(form.work_task.findData("2"))
    form.grab().save(str(screenshot_dir / "admin_add_user.png"))
    _submit(qtbot, form)
    qtbot.waitUntil(lambda: _closed(form), timeout=10_000)
    wait_idle()
    assert "hoitaja3" in dialog.status.text()
    assert dialog.selected().username == "hoitaja3"
    row = _column(dialog, 0).index("hoitaja3")
    assert dialog.model.texts(row)[1:5] == ("Iida Ikonen", "Lähihoitaja", "Care worker",
                                            "Kuuselan kotihoito")
    store, ctx = accounts.sign_in(workspace.data_dir, "hoitaja3", NEW_PASSWORD,
                                  policy=workspace.policy)
    try:
        assert ctx.roles == {"care_worker"} and len(ctx.unit_ids) == 1
    finally:
        store.close()


def test_add_user_refusals_show_in_place_and_keep_the_input(qtbot, staff_dialog, wait_idle):
    dialog = staff_dialog()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    form = dialog.form_dialog
    qtbot.keyClicks(form.username, "hoitaja4")
    qtbot.keyClicks(form.first_name, "Ville")
    qtbot.keyClicks(form.last_name, "Virtanen")
    qtbot.keyClicks(form.title_edit, "Hoitaja")
    qtbot.keyClicks(form.password, NEW_PASSWORD)
    qtbot.keyClicks(form.password2, NEW_PASSWORD + "x")
    _submit(qtbot, form)
    assert form.isVisible() and "not the same" in form.error.text()
    form.password2.setText(NEW_PASSWORD)
    _submit(qtbot, form)  # a care worker without a unit (AC-6): the service refuses
    wait_idle()
    assert form.isVisible() and form.error.isVisible()
    assert "at least one unit" in form.error.text()
    assert form.username.text() == "hoitaja4" and form.ok.isEnabled()
    form.password.setText("short")
    form.password2.setText("short")
    form.units[demo_data.HOUSING].setChecked(True)
    _submit(qtbot, form)
    wait_idle()
    assert "at least 8 characters" in form.error.text() and form.isVisible()


def _confirm(qtbot, dialog) -> None:
    box = dialog.confirm
    assert box.isVisible() and "hoitaja" in box.text() or "admin" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)


def test_deactivate_after_confirmation_stops_sign_in(qtbot, workspace, staff_dialog,
                                                     wait_idle):
    dialog = staff_dialog()
    _select(dialog, "hoitaja2")
    qtbot.mouseClick(dialog.deactivate_button, Qt.MouseButton.LeftButton)
    _confirm(qtbot, dialog)
    wait_idle()
    assert "hoitaja2 was deactivated" in dialog.status.text()
    assert "hoitaja2" not in _column(dialog, 0)
    dialog.include_inactive.setChecked(True)
    wait_idle()
    row = _column(dialog, 0).index("hoitaja2")
    assert dialog.model.texts(row)[5] == "No"
    dialog.select_user("hoitaja2")
    assert not dialog.deactivate_button.isEnabled()
    with pytest.raises(WrongPasswordError):
        accounts.sign_in(workspace.data_dir, "hoitaja2", demo_data_password(),
                         policy=workspace.policy)


def test_a_deactivated_user_is_reactivated_with_units_and_a_new_password(
        qtbot, workspace, staff_dialog, wait_idle, screenshot_dir):
    """Back from leave: Reactivate is offered only for a deactivated user; the form asks
    roles, units and a new password; then the user signs in with it and works in the unit."""
    dialog = staff_dialog()
    _select(dialog, "hoitaja2")
    assert not dialog.reactivate_button.isEnabled()  # active: nothing to reactivate
    qtbot.mouseClick(dialog.deactivate_button, Qt.MouseButton.LeftButton)
    _confirm(qtbot, dialog)
    wait_idle()
    dialog.include_inactive.setChecked(True)
    wait_idle()
    dialog.select_user("hoitaja2")
    assert dialog.reactivate_button.isEnabled() and not dialog.edit_button.isEnabled()
    qtbot.mouseClick(dialog.reactivate_button, Qt.MouseButton.LeftButton)
    form = dialog.form_dialog
    assert form.objectName() == "reactivateUserDialog" and "hoitaja2" in form.findChild(
        QLabel, "userLabel").text()
    qtbot.keyClicks(form.password, NEW_PASSWORD)
    qtbot.keyClicks(form.password2, NEW_PASSWORD)
    _submit(qtbot, form)  # no unit chosen: refused in place (AC-6), nothing changed
    qtbot.waitUntil(form.error.isVisible, timeout=10_000)
    assert "at least one unit" in form.error.text() and form.isVisible()
    first_unit = next(iter(form.units.values()))
    assert form.focusWidget() is first_unit  # not Cancel: the passwords stay typed
    assert form.password.text() == NEW_PASSWORD
    first_unit.setChecked(True)
    for role in form.roles.values():
        role.setChecked(False)
    _submit(qtbot, form)  # no role: refused too, the cursor at the roles
    qtbot.waitUntil(lambda: "role" in form.error.text(), timeout=10_000)
    assert form.focusWidget() is next(iter(form.roles.values()))
    form.roles["care_worker"].setChecked(True)
    form.grab().save(str(screenshot_dir / "admin_reactivate_user.png"))
    _submit(qtbot, form)
    qtbot.waitUntil(lambda: _closed(form), timeout=10_000)
    assert "hoitaja2 can sign in again" in dialog.status.text()
    wait_idle()  # the list is read again
    row = _column(dialog, 0).index("hoitaja2")
    assert dialog.model.texts(row)[5] == "Yes"
    store, ctx = accounts.sign_in(workspace.data_dir, "hoitaja2", NEW_PASSWORD,
                                  policy=workspace.policy)
    store.close()
    assert ctx.roles == frozenset({"care_worker"}) and len(ctx.unit_ids) == 1


def test_deactivating_oneself_is_offered_nowhere_and_refused_by_the_service(
        qtbot, staff_dialog, wait_idle):
    dialog = staff_dialog()
    _select(dialog, "admin")
    assert not dialog.deactivate_button.isEnabled()
    assert "your own user" in dialog.deactivate_button.toolTip()
    assert dialog.reset_button.isEnabled()
    _select(dialog, "hoitaja1")
    assert dialog.deactivate_button.isEnabled() and dialog.deactivate_button.toolTip() == ""
    # The check lives in the service too (access checks are not only in the UI).
    _select(dialog, "admin")
    dialog._deactivate(dialog.selected())
    wait_idle()
    assert dialog.error.isVisible()
    assert dialog.error.text() == "You cannot remove your own user."
    assert "admin" in _column(dialog, 0)


def test_a_refusal_after_a_success_does_not_stand_beside_the_old_success(
        qtbot, staff_dialog, wait_idle):
    dialog = staff_dialog()
    _select(dialog, "hoitaja2")
    qtbot.mouseClick(dialog.deactivate_button, Qt.MouseButton.LeftButton)
    _confirm(qtbot, dialog)
    wait_idle()
    assert "hoitaja2 was deactivated" in dialog.status.text()
    _select(dialog, "admin")
    dialog._deactivate(dialog.selected())
    wait_idle()
    assert dialog.error.isVisible() and dialog.status.text() == ""


def test_an_empty_add_user_form_asks_for_the_username_first(qtbot, staff_dialog, wait_idle):
    dialog = staff_dialog()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    form = dialog.form_dialog
    _submit(qtbot, form)
    wait_idle()
    assert form.isVisible() and "username" in form.error.text().lower()
    assert "password" not in form.error.text().lower()


def test_reset_password_then_only_the_new_one_opens(qtbot, workspace, staff_dialog,
                                                    wait_idle, screenshot_dir):
    dialog = staff_dialog()
    _select(dialog, "hoitaja1")
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    form = dialog.form_dialog
    assert "in person" in form.findChild(QLabel, "introLabel").text()
    form.grab().save(str(screenshot_dir / "admin_reset_password.png"))
    qtbot.keyClicks(form.password, NEW_PASSWORD)
    qtbot.keyClicks(form.password2, NEW_PASSWORD)
    _submit(qtbot, form)
    qtbot.waitUntil(lambda: _closed(form), timeout=10_000)
    assert "in person" in dialog.status.text()
    with pytest.raises(WrongPasswordError):
        accounts.sign_in(workspace.data_dir, "hoitaja1", demo_data_password(),
                         policy=workspace.policy)
    store, ctx = accounts.sign_in(workspace.data_dir, "hoitaja1", NEW_PASSWORD,
                                  policy=workspace.policy)
    store.close()
    assert ctx.username == "hoitaja1"


def test_change_units_and_roles_of_a_user(qtbot, staff_dialog, wait_idle, screenshot_dir):
    dialog = staff_dialog()
    _select(dialog, "hoitaja1")
    qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    form = dialog.form_dialog
    assert form.units[demo_data.HOUSING].isChecked()
    assert not form.units[demo_data.HOME_CARE].isChecked()
    form.units[demo_data.HOME_CARE].setChecked(True)
    form.roles["director"].setChecked(True)
    form.grab().save(str(screenshot_dir / "admin_edit_user.png"))
    _submit(qtbot, form)
    qtbot.waitUntil(lambda: _closed(form), timeout=10_000)
    wait_idle()
    row = dialog.model.texts(_column(dialog, 0).index("hoitaja1"))
    assert row[3] == "Care worker, Responsible director"
    assert row[4] == "Kuuselan palvelutalo, Kuuselan kotihoito"


def test_double_click_opens_roles_and_units(qtbot, staff_dialog):
    dialog = staff_dialog()
    _select(dialog, "johtaja")
    row = dialog.model.rows().index(dialog.selected())
    rect = dialog.table.visualRect(dialog.model.index(row, 0))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    form = dialog.form_dialog
    assert form.objectName() == "editUserDialog" and form.user.username == "johtaja"
    assert form.roles["director"].isChecked() and form.prohibited.isChecked()


def test_removing_the_last_administrator_role_is_refused_in_place(qtbot, staff_dialog,
                                                                   wait_idle):
    dialog = staff_dialog()
    _select(dialog, "admin")
    qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    form = dialog.form_dialog
    form.roles["admin"].setChecked(False)
    form.roles["care_worker"].setChecked(True)
    _submit(qtbot, form)
    wait_idle()
    assert form.isVisible() and "administrator must remain" in form.error.text()
    assert not form.roles["admin"].isChecked()


def test_a_care_worker_sees_the_refusal_not_the_staff(staff_dialog):
    dialog = staff_dialog("hoitaja1")
    assert dialog.model.rowCount() == 0
    assert dialog.error.isVisible()
    assert dialog.error.text().startswith("Only an administrator can manage staff users.")
    assert not dialog.add_button.isEnabled()
