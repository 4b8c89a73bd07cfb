"""The staff-user forms: add a user, change roles and units, reset a password (AC-2, AC-5,
AC-6, AC-11). The services decide; a refusal shows in place and the typed values stay."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import N_, _, current_language
from carebook.model import clock, codesets
from carebook.model.access import ROLES
from carebook.model.records import StaffRecord, UnitRecord
from carebook.model.services import accounts, staff
from carebook.ui import texts
from carebook.ui.admin import forms
from carebook.ui.errors import ErrorLabel, focus_on, names_field


class _Form(QDialog):
    """A dialog with a form, an in-place error line and an OK button named for its action."""

    def __init__(self, parent: QWidget | None, ws: Any, *, name: str, title: str,
                 ok_text: str) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = ErrorLabel(self)
        self.buttons = forms.dialog_buttons("okButton", ok_text)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        self.password: QLineEdit | None = None  # set by add_passwords
        self.password2: QLineEdit | None = None

    def add_passwords(self, label: str, again: str, *, new: bool, hint: bool) -> None:
        """The password typed twice (``new``: "New password"), optionally with the hint
        that it is given in person and how long it must be."""
        name = _("New password") if new else _("Password")
        name2 = _("New password again") if new else _("Password again")
        self.password = forms.line_edit("passwordEdit", name, password=True)
        self.password2 = forms.line_edit("password2Edit", name2, password=True)
        forms.add_row(self.form, label, self.password)
        forms.add_row(self.form, again, self.password2)
        if hint:
            text = QLabel(_("Give the password to the user in person. It must be at least "
                            "%(n)s characters long.") % {"n": accounts.MIN_PASSWORD_LENGTH})
            text.setWordWrap(True)
            self.layout_.addWidget(text)

    def passwords_match(self) -> bool:
        """True when both passwords are the same; otherwise both are typed again, as the
        message says: the first selected for typing over, the second emptied."""
        assert self.password is not None and self.password2 is not None
        mismatch = forms.passwords_differ(self.password, self.password2)
        if mismatch:
            self.password2.clear()
            self.refuse(mismatch, self.password)
        return not mismatch

    def finish(self) -> None:
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)

    def run(self, fn: Any, *, busy: str | None = None, **kwargs: Any) -> None:
        """Call the service; success closes the dialog, a refusal shows in place."""
        self.error.clear_error()
        self.ok.setEnabled(False)
        self.ws.call(fn, on_done=self._on_done, on_error=self._on_failed, parent=self,
                     busy=busy, **kwargs)

    def _on_ok(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _on_done(self, result: Any) -> None:
        self.result_value = result
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self.error.show_error(exc)
        self._grow()
        focus_on(self.field_for(exc))

    def _grow(self) -> None:
        """Make room for a message that wraps, so nothing above it is pushed out of view
        (fi "Uusi salasana…" was cut); the width stays."""
        self.layout_.activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def field_for(self, exc: BaseException) -> QWidget | None:
        """The field a refusal is about (the cursor goes there); None leaves focus alone."""
        return self.password if getattr(exc, "code", "") == "weak_password" else None

    def refuse(self, text: str, field: QWidget) -> None:
        """A refusal found before calling the service: say so, the cursor in ``field``."""
        self.error.show_text(text)
        self._grow()
        focus_on(field)


def _boxes(group_title: str, items: Sequence[tuple[str, str]], *, prefix: str,
           checked: Sequence[str] = ()) -> tuple[QGroupBox, dict[str, QCheckBox]]:
    group = QGroupBox(group_title)
    column = QVBoxLayout(group)
    boxes: dict[str, QCheckBox] = {}
    for key, text in items:
        box = forms.check_box(f"{prefix}_{key}", text)
        box.setChecked(key in checked)
        column.addWidget(box)
        boxes[key] = box
    return group, boxes


def _first(boxes: dict[str, QCheckBox]) -> QCheckBox | None:
    """The first box of a group: where the cursor goes when the group is refused empty."""
    return next(iter(boxes.values()), None)


def _chosen(boxes: dict[str, QCheckBox]) -> tuple[str, ...]:
    return tuple(key for key, box in boxes.items() if box.isChecked())


def _role_items() -> list[tuple[str, str]]:
    return [(role, texts.role_name(role)) for role in ROLES]


def _unit_items(units: Sequence[UnitRecord]) -> list[tuple[str, str]]:
    return [(u.oid, u.name) for u in units]


def _access_boxes(units: Sequence[UnitRecord]) -> tuple[QGroupBox, dict[str, QCheckBox],
                                                         QGroupBox, dict[str, QCheckBox]]:
    """Roles (care worker ticked) and units (none ticked) of a user who starts working."""
    roles, role_boxes = _boxes(_("Roles"), _role_items(), prefix="role",
                               checked=("care_worker",))
    places, unit_boxes = _boxes(_("Works in the units"), _unit_items(units), prefix="unit")
    return roles, role_boxes, places, unit_boxes


class AddUserDialog(_Form):
    """A new staff user with roles, units and a first password (``accounts.add_user``)."""

    def __init__(self, parent: QWidget | None, ws: Any, units: Sequence[UnitRecord]) -> None:
        super().__init__(parent, ws, name="addUserDialog", title=_("Add a staff user"),
                         ok_text=_("&Add user"))
        self.username = forms.line_edit("usernameEdit", _("Username"), max_length=64)
        self.first_name = forms.line_edit("firstNameEdit", _("First name"))
        self.last_name = forms.line_edit("lastNameEdit", _("Last name"))
        self.title_edit = forms.line_edit("titleEdit", _("Title"))
        self.registration = forms.line_edit("registrationEdit", _("Registration number"),
                                            max_length=40)
        self.work_task = QComboBox()
        self.work_task.setObjectName("workTaskCombo")
        self.work_task.setAccessibleName(_("Work task"))
        self.work_task.addItem(_("(not given)"), None)
        for key, name in codesets.valid_codes(codesets.WORK_TASK, on=clock.today(),
                                              language=current_language()):
            self.work_task.addItem(name, key)
        for text, widget in ((_("&Username:"), self.username),
                             (_("&First name:"), self.first_name),
                             (_("&Last name:"), self.last_name), (_("&Title:"), self.title_edit),
                             (_("&Registration number:"), self.registration),
                             (_("&Work task:"), self.work_task)):
            forms.add_row(self.form, text, widget)
        roles, self.roles, places, self.units = _access_boxes(units)
        self.prohibited = forms.check_box(
            "prohibitedCheck", _("&May see data covered by a security prohibition"))
        for widget in (roles, places, self.prohibited):
            self.form.addRow(widget)
        self.add_passwords(_("&Password:"), _("Password a&gain:"), new=False, hint=True)
        self.finish()

    def field_for(self, exc: BaseException) -> QWidget | None:
        code = getattr(exc, "code", "")
        if code in ("username_taken", "invalid_username"):
            return self.username
        if code == "unit_required":
            return _first(self.units)
        for field, widget in ((N_("first name"), self.first_name),
                              (N_("last name"), self.last_name), (N_("title"), self.title_edit),
                              (N_("registration number"), self.registration)):
            if names_field(exc, field):
                return widget
        return super().field_for(exc)

    def _on_ok(self) -> None:
        if not self.passwords_match():
            return
        self.run(accounts.add_user, busy=_("Adding the user…"),
                 username=self.username.text(), password=self.password.text(),
                 first_name=self.first_name.text(), last_name=self.last_name.text(),
                 title=self.title_edit.text(), roles=_chosen(self.roles),
                 unit_oids=_chosen(self.units), registration_no=self.registration.text() or None,
                 work_task=self.work_task.currentData(),
                 may_see_prohibited=self.prohibited.isChecked())


def _change_user(store: Any, ctx: Any, *, user: StaffRecord, roles: tuple[str, ...],
                 unit_oids: tuple[str, ...], unit_ids: tuple[int, ...],
                 may_see_prohibited: bool) -> StaffRecord:
    # Only what changed, each its own logged admin event (AC-8). Roles first: the service's
    # refusal to drop the last administrator then comes before anything was changed.
    record = user
    if set(roles) != set(user.roles):
        record = staff.set_roles(store, ctx, username=user.username, roles=roles)
    if set(unit_ids) != set(user.unit_ids):
        record = staff.set_units(store, ctx, username=user.username, unit_oids=unit_oids)
    if may_see_prohibited != user.may_see_prohibited:
        record = staff.set_prohibited_right(store, ctx, username=user.username,
                                            allowed=may_see_prohibited)
    return record


class EditUserDialog(_Form):
    """Roles, units and the security-prohibition right of one user."""

    def __init__(self, parent: QWidget | None, ws: Any, user: StaffRecord,
                 units: Sequence[UnitRecord]) -> None:
        super().__init__(parent, ws, name="editUserDialog",
                         title=_("Roles and units of %(name)s") % {"name": user.full_name},
                         ok_text=_("&Save"))
        self.user = user
        self.unit_ids = {u.oid: u.id for u in units}
        own = {u.id for u in units if u.id in user.unit_ids}
        roles, self.roles = _boxes(_("Roles"), _role_items(), prefix="role", checked=user.roles)
        places, self.units = _boxes(_("Works in the units"), _unit_items(units), prefix="unit",
                                    checked=[u.oid for u in units if u.id in own])
        self.prohibited = forms.check_box(
            "prohibitedCheck", _("&May see data covered by a security prohibition"))
        self.prohibited.setChecked(user.may_see_prohibited)
        who = QLabel(f"{user.full_name} ({user.username})")
        who.setObjectName("userLabel")
        who.setStyleSheet("font-weight: bold;")
        for widget in (who, roles, places, self.prohibited):
            self.layout_.addWidget(widget)
        self.finish()

    def _on_ok(self) -> None:
        oids = _chosen(self.units)
        self.run(_change_user, user=self.user, roles=_chosen(self.roles), unit_oids=oids,
                 unit_ids=tuple(self.unit_ids[o] for o in oids),
                 may_see_prohibited=self.prohibited.isChecked())


class ReactivateUserDialog(_Form):
    """A deactivated user works again: roles, units and a new password
    (``accounts.reactivate_user``; deactivation cleared them and deleted the old password)."""

    def __init__(self, parent: QWidget | None, ws: Any, user: StaffRecord,
                 units: Sequence[UnitRecord]) -> None:
        super().__init__(parent, ws, name="reactivateUserDialog",
                         title=_("Reactivate %(name)s") % {"name": user.full_name},
                         ok_text=_("&Reactivate"))
        self.user = user
        who = QLabel(f"{user.full_name} ({user.username})")
        who.setObjectName("userLabel")
        who.setStyleSheet("font-weight: bold;")
        roles, self.roles, places, self.units = _access_boxes(units)
        for widget in (who, roles, places):
            self.form.addRow(widget)
        self.add_passwords(_("&New password:"), _("New password a&gain:"), new=True, hint=True)
        self.finish()

    def field_for(self, exc: BaseException) -> QWidget | None:
        groups = {"unit_required": self.units, "role_required": self.roles}
        group = groups.get(getattr(exc, "code", ""))
        return _first(group) if group is not None else super().field_for(exc)

    def _on_ok(self) -> None:
        if not self.passwords_match():
            return
        self.run(accounts.reactivate_user, busy=_("Reactivating the user…"),
                 username=self.user.username, password=self.password.text(),
                 roles=_chosen(self.roles), unit_oids=_chosen(self.units))


class ResetPasswordDialog(_Form):
    """A new password for a user who lost theirs (``accounts.reset_password``)."""

    def __init__(self, parent: QWidget | None, ws: Any, user: StaffRecord) -> None:
        super().__init__(parent, ws, name="resetPasswordDialog", title=_("Reset password"),
                         ok_text=_("&Set password"))
        self.user = user
        intro = QLabel(_("New password for %(name)s (%(username)s). Give it to them in person, "
                         "not by e-mail or message; the password remembered on their device "
                         "stops working.") % {"name": user.full_name, "username": user.username})
        intro.setObjectName("introLabel")
        intro.setWordWrap(True)
        self.layout_.insertWidget(0, intro)
        self.add_passwords(_("&New password:"), _("New password a&gain:"), new=True, hint=False)
        self.finish()

    def _on_ok(self) -> None:
        if not self.passwords_match():
            return
        self.run(accounts.reset_password, busy=_("Setting the password…"),
                 username=self.user.username, new_password=self.password.text())
