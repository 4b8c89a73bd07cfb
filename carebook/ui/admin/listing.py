"""A dialog listing organisation records with a form to add one (units, organisers).

The controller part is small: list on open, add on the button, reload after a success. A
refusal from the service (bad OID, OID in use, no right) shows in place and the typed values
stay for the user to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import _
from carebook.ui.admin import forms
from carebook.ui.admin.table import RowsModel, table_view
from carebook.ui.errors import ErrorLabel


class ListAddDialog(QDialog):
    """Records in a table and an "add" form below it.

    Subclasses set the texts and fields and name the two services (``list_service`` and
    ``add_service``, both ``(store, ctx, ...)``).
    """

    list_service: Callable[..., Any]
    add_service: Callable[..., Any]
    who_may_add: str = ""  # N_()-marked: who may add, said when the role is refused

    def __init__(self, parent: QWidget | None, ws: Any, *, name: str, title: str,
                 intro: str, columns: Sequence[str], cells: Callable[[Any], Sequence[str]],
                 group_title: str, add_text: str) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.resize(720, 520)
        layout = QVBoxLayout(self)
        lead = QLabel(intro)
        lead.setWordWrap(True)
        layout.addWidget(lead)
        self.model = RowsModel(columns, cells, self)
        self.table = table_view(self.model, "recordTable", title, self)
        layout.addWidget(self.table, 1)
        group = QGroupBox(group_title)
        self.form = QFormLayout(group)
        layout.addWidget(group)
        self.fields: dict[str, QLineEdit] = {}
        self.add_button = forms.push_button("addButton", add_text)
        self.add_button.clicked.connect(self._on_add)
        self.error = ErrorLabel(self)
        self.status = QLabel()
        self.status.setObjectName("statusLabel")
        self.status.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        close.button(QDialogButtonBox.StandardButton.Close).setObjectName("closeButton")
        close.rejected.connect(self.reject)
        self._tail = (self.add_button, self.error, self.status, close)

    def add_field(self, key: str, label: str, name: str, accessible: str, *,
                  placeholder: str = "") -> QLineEdit:
        edit = forms.line_edit(name, accessible)
        edit.setPlaceholderText(placeholder)
        edit.returnPressed.connect(self._on_add)
        forms.add_row(self.form, label, edit)
        self.fields[key] = edit
        return edit

    def finish_layout(self) -> None:
        """Put the add button, message lines and Close below the form; set the tab order."""
        add_button, error, status, close = self._tail
        row = QHBoxLayout()
        row.addWidget(add_button)
        row.addStretch(1)
        self.form.addRow("", row)
        layout = self.layout()
        for widget in (error, status, close):
            layout.addWidget(widget)
        chain: list[QWidget] = [self.table, *self.fields.values(), add_button,
                                close.button(QDialogButtonBox.StandardButton.Close)]
        forms.tab_chain(*chain)
        self._reload()

    # -- controller -----------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        return {key: edit.text() for key, edit in self.fields.items()}

    def added_text(self, record: Any) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def _reload(self, select_id: int | None = None) -> None:
        def shown(rows: list[Any]) -> None:
            self.model.set_rows(rows)
            self.table.resizeColumnsToContents()
            for number, row in enumerate(rows):
                if row.id == select_id:
                    self.table.selectRow(number)

        self.ws.call(type(self).list_service, on_done=shown, on_error=self.error.show_error,
                     parent=self)

    def _on_add(self) -> None:
        if not self.add_button.isEnabled():
            return
        self.error.clear_error()
        self.status.clear()
        self.add_button.setEnabled(False)
        self.ws.call(type(self).add_service, **self.values(), on_done=self._on_added,
                     on_error=self._on_add_failed, parent=self)

    def _on_added(self, record: Any) -> None:
        self.add_button.setEnabled(True)
        for edit in self.fields.values():
            edit.clear()
        self.status.setText(self.added_text(record))
        self.ws.clients_changed.emit()
        self._reload(select_id=record.id)
        next(iter(self.fields.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_add_failed(self, exc: BaseException) -> None:
        self.add_button.setEnabled(True)
        forms.show_refusal(self.error, exc, _(self.who_may_add))
