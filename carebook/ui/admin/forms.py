"""Small form parts shared by the administration dialogs: labelled fields, buttons, dates."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from carebook.errors import AccessDeniedError
from carebook.i18n import _
from carebook.ui import texts
from carebook.ui.errors import ErrorLabel


def line_edit(name: str, accessible: str, *, password: bool = False,
              max_length: int = 200) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setMaxLength(max_length)
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def add_row(form: QFormLayout, text: str, widget: QWidget) -> QLabel:
    """A row with a mnemonic label whose buddy is ``widget``."""
    label = QLabel(text)
    label.setBuddy(widget)
    form.addRow(label, widget)
    return label


def check_box(name: str, text: str) -> QCheckBox:
    box = QCheckBox(text)
    box.setObjectName(name)
    box.setAccessibleName(text.replace("&", ""))
    return box


def push_button(name: str, text: str, parent: QWidget | None = None) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(text.replace("&", ""))
    return button


def dialog_buttons(ok_name: str, ok_text: str) -> QDialogButtonBox:
    """OK (renamed to say what it does) and Cancel, with stable object names."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setObjectName(ok_name)
    ok.setAccessibleName(ok_text.replace("&", ""))
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    cancel.setText(_("Cancel"))
    cancel.setObjectName("cancelButton")
    return buttons


def date_edit(name: str, accessible: str, value: date) -> QDateEdit:
    """A date field in the current language's form with a calendar pop-up."""
    widget = QDateEdit()
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setCalendarPopup(True)
    widget.setDisplayFormat(texts.date_format())
    widget.setDate(QDate(value.year, value.month, value.day))
    return widget


def to_date(widget: QDateEdit) -> date:
    value = widget.date()
    return date(value.year(), value.month(), value.day())


def passwords_differ(first: QLineEdit, second: QLineEdit) -> str | None:
    """The message to show when the two typed passwords are not the same (else None).

    The strength rule itself is the service's (``accounts.check_password``).
    """
    if first.text() != second.text():
        return _("The two passwords are not the same. Type the new password again in both "
                 "fields.")
    return None


def tab_chain(*widgets: QWidget) -> None:
    """Tab moves through ``widgets`` in this order."""
    for first, second in zip(widgets, widgets[1:], strict=False):
        QWidget.setTabOrder(first, second)


def show_refusal(label: ErrorLabel, exc: BaseException, who_may: str) -> None:
    """Show ``exc`` in ``label``; a role refusal says in words who may do it (AC-2).

    The service's own message names the right by its key, which means nothing to a user.
    """
    if isinstance(exc, AccessDeniedError) and exc.code == "role_denied":
        label.show_text(who_may)
    else:
        label.show_error(exc)
