"""Staff users: who may sign in, in which roles and units (AC-2, AC-5, AC-6, AC-11).

The view lists users; the forms in :mod:`staff_forms` add users, change roles and units and
reset passwords. Deactivating removes the user's key slot and keeps the row, because documents
name their authors (rules-documents E3, E14).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import _
from carebook.model.records import StaffRecord, UnitRecord
from carebook.model.services import accounts, staff, units
from carebook.ui import texts
from carebook.ui.admin import forms
from carebook.ui.admin.staff_forms import (
    AddUserDialog,
    EditUserDialog,
    ReactivateUserDialog,
    ResetPasswordDialog,
)
from carebook.ui.admin.table import RowsModel, selected_row, table_view
from carebook.ui.errors import ErrorLabel


def _load(store: Any, ctx: Any, *, include_inactive: bool
          ) -> tuple[list[StaffRecord], list[UnitRecord]]:
    return (staff.list_staff(store, ctx, include_inactive=include_inactive),
            units.list_units(store, ctx))


class StaffDialog(QDialog):
    """The staff users of the store (administrators only; the service checks the role)."""

    def __init__(self, parent: QWidget | None, ws: Any) -> None:
        super().__init__(parent)
        self.ws = ws
        self.units: list[UnitRecord] = []
        self.form_dialog: QDialog | None = None
        self.confirm: QMessageBox | None = None
        self.setObjectName("staffDialog")
        self.setWindowTitle(_("Staff users"))
        self.resize(1040, 560)
        layout = QVBoxLayout(self)
        lead = QLabel(_("People who may sign in. Care workers and directors see the clients of "
                        "the units where they work."))
        lead.setWordWrap(True)
        layout.addWidget(lead)
        self.include_inactive = forms.check_box("includeInactiveCheck",
                                                _("&Include deactivated users"))
        self.include_inactive.toggled.connect(lambda _on: self._reload())
        layout.addWidget(self.include_inactive)
        self.model = RowsModel((_("Username"), _("Name"), _("Title"), _("Roles"), _("Units"),
                                _("Active"), _("Security prohibition")), self._cells, self)
        self.table = table_view(self.model, "staffTable", _("Staff users"), self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._build_buttons())
        self.error = ErrorLabel(self)
        self.status = QLabel()
        self.status.setObjectName("statusLabel")
        self.status.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        close.button(QDialogButtonBox.StandardButton.Close).setObjectName("closeButton")
        close.rejected.connect(self.reject)
        for widget in (self.error, self.status, close):
            layout.addWidget(widget)
        forms.tab_chain(self.include_inactive, self.table, self.add_button, self.edit_button,
                        self.reset_button, self.deactivate_button, self.reactivate_button,
                        close.button(QDialogButtonBox.StandardButton.Close))
        self.table.doubleClicked.connect(lambda _index: self._on_edit())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()
        self._reload()

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.add_button = forms.push_button("addUserButton", _("&Add user…"))
        self.edit_button = forms.push_button("editUserButton", _("&Roles and units…"))
        self.reset_button = forms.push_button("resetPasswordButton", _("Reset &password…"))
        self.deactivate_button = forms.push_button("deactivateButton", _("&Deactivate…"))
        # For a deactivated user (listed with "Include deactivated users"): working again.
        self.reactivate_button = forms.push_button("reactivateButton", _("Rea&ctivate…"))
        for button, slot in ((self.add_button, self._on_add), (self.edit_button, self._on_edit),
                             (self.reset_button, self._on_reset),
                             (self.deactivate_button, self._on_deactivate),
                             (self.reactivate_button, self._on_reactivate)):
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _cells(self, user: StaffRecord) -> Sequence[str]:
        names = {u.id: u.name for u in self.units}
        return (user.username, user.full_name, user.title,
                ", ".join(texts.role_name(r) for r in user.roles),
                ", ".join(names.get(u, str(u)) for u in user.unit_ids),
                _("Yes") if user.active else _("No"),
                _("May see") if user.may_see_prohibited else "")

    # -- controller -----------------------------------------------------------------------

    def selected(self) -> StaffRecord | None:
        user = selected_row(self.table)
        return user if isinstance(user, StaffRecord) else None

    def select_user(self, username: str) -> None:
        for number, user in enumerate(self.model.rows()):
            if user.username == username:
                self.table.selectRow(number)

    def _update_buttons(self) -> None:
        user = self.selected()
        for button in (self.edit_button, self.reset_button, self.deactivate_button):
            button.setEnabled(user is not None and user.active)
        self.reactivate_button.setEnabled(user is not None and not user.active)
        # The service refuses to deactivate oneself; the button says so before it is pressed.
        me = self.ws.staff.username if self.ws.staff is not None else None
        if user is not None and user.username == me:
            self.deactivate_button.setEnabled(False)
            self.deactivate_button.setToolTip(_("You cannot deactivate your own user. Ask "
                                                "another administrator."))
        else:
            self.deactivate_button.setToolTip("")

    def _reload(self, select: str | None = None) -> None:
        def shown(result: tuple[list[StaffRecord], list[UnitRecord]]) -> None:
            self.units = result[1]
            self.model.set_rows(result[0])
            self.table.resizeColumnsToContents()
            if select:
                self.select_user(select)
            self._update_buttons()

        def refused(exc: BaseException) -> None:
            forms.show_refusal(self.error, exc, _("Only an administrator can manage staff "
                                                  "users. Your role does not allow it."))
            self.add_button.setEnabled(False)

        self.ws.call(_load, include_inactive=self.include_inactive.isChecked(), on_done=shown,
                     on_error=refused, parent=self)

    def _open_form(self, dialog: QDialog, done_text: str) -> None:
        self.form_dialog = dialog
        self.error.clear_error()
        self.status.clear()

        def finished(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                record = getattr(dialog, "result_value", None)
                username = record.username if isinstance(record, StaffRecord) else None
                self.status.setText(done_text % {"username": username or _user(dialog)})
                self._reload(select=username or _user(dialog))
                # Units decide whose clients a worker sees (AC-6): client lists reload.
                self.ws.clients_changed.emit()
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def _on_add(self) -> None:
        self._open_form(AddUserDialog(self, self.ws, self.units),
                        _("User %(username)s added. They can sign in now."))

    def _on_edit(self) -> None:
        user = self.selected()
        if user is not None:
            self._open_form(EditUserDialog(self, self.ws, user, self.units),
                            _("Roles and units of %(username)s saved."))

    def _on_reset(self) -> None:
        user = self.selected()
        if user is not None:
            self._open_form(ResetPasswordDialog(self, self.ws, user),
                            _("New password set for %(username)s. Give it to them in person."))

    def _on_reactivate(self) -> None:
        user = self.selected()
        if user is not None and not user.active:
            self._open_form(ReactivateUserDialog(self, self.ws, user, self.units),
                            _("%(username)s can sign in again with the new password."))

    def _on_deactivate(self) -> None:
        user = self.selected()
        if user is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Deactivate user"),
                          _("Deactivate %(name)s (%(username)s)? They can no longer sign in. "
                            "Their entries keep their name.") % {
                              "name": user.full_name, "username": user.username},
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self)
        box.setObjectName("deactivateConfirm")
        box.button(QMessageBox.StandardButton.Yes).setText(_("Deactivate"))
        box.button(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.confirm = box

        def answered(button: Any) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                self._deactivate(user)

        box.buttonClicked.connect(answered)
        box.open()

    def _deactivate(self, user: StaffRecord) -> None:
        self.error.clear_error()
        self.status.clear()

        def done(_record: StaffRecord) -> None:
            self.status.setText(_("%(username)s was deactivated.") % {"username": user.username})
            self._reload()

        # accounts.remove_user = staff.deactivate_staff (refuses oneself and the last
        # administrator) plus removing the key slot, so the old password opens nothing.
        self.ws.call(accounts.remove_user, username=user.username, on_done=done,
                     on_error=self.error.show_error, parent=self)


def _user(dialog: QDialog) -> str:
    user = getattr(dialog, "user", None)
    return user.username if isinstance(user, StaffRecord) else ""
