"""The version history of a document (MSG-11, MSG-12, MSG-13; rules-documents E12).

Every stored version with its state, when it was stored, who stored it, the correction or
nullification reason, and the text of the selected version. The versions are read through
:func:`carebook.model.services.lifecycle.document_versions` (logged as a read, AC-8).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import _
from carebook.model import codesets
from carebook.ui import texts
from carebook.ui.document_detail import detail_html
from carebook.ui.errors import ErrorLabel


def reason_text(doc: Any) -> str:
    """The correction or nullification reason of one version, by name ("" for none)."""
    if doc.nullification_reason:
        name = texts.code_name(codesets.NULLIFICATION_REASON, doc.nullification_reason)
        return f"{name} — {doc.reason_text}" if doc.reason_text else name
    if doc.correction_reason:
        return texts.code_name(codesets.CORRECTION_REASON, doc.correction_reason)
    return ""


class VersionsDialog(QDialog):
    """Lists the versions of one document, oldest first, with the selected version's text."""

    COLUMNS = 5

    def __init__(self, parent: QWidget | None, ws: Any, document: Any) -> None:
        super().__init__(parent)
        self.setObjectName("versionsDialog")
        self.setWindowTitle(_("Version history"))
        self._ws = ws
        self.document = document
        self.versions: list[Any] = []
        layout = QVBoxLayout(self)
        title = texts.document_type_name(document.kind, document.specific_type)
        self.heading = QLabel(f"{title} — {texts.moment(document.recorded_at)}",
                              objectName="versionsHeading")
        self.error = ErrorLabel(self)
        self.table = QTableWidget(0, self.COLUMNS, objectName="versionsTable")
        self.table.setHorizontalHeaderLabels([_("Version"), _("State"), _("Stored"),
                                              _("Stored by"), _("Reason")])
        self.table.setAccessibleName(_("Versions"))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.text = QTextBrowser(objectName="versionText")
        self.text.setAccessibleName(_("Text of the selected version"))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.text)
        split.setStretchFactor(1, 1)
        split.setSizes([150, 330])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for widget in (self.heading, self.error):
            layout.addWidget(widget)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.table.currentCellChanged.connect(lambda row, *_a: self._on_row(row))
        self.resize(820, 560)

    def load(self) -> None:
        from carebook.model.services import lifecycle

        self._ws.call(lifecycle.document_versions, self.document.id, parent=self,
                      client=self.document.client_ids[0] if self.document.client_ids else None,
                      on_done=self._on_versions, on_error=self.error.show_error)

    def _on_versions(self, versions: list[Any]) -> None:
        self.versions = list(versions)
        self.table.setRowCount(len(self.versions))
        for row, doc in enumerate(self.versions):
            stored = doc.signature.signed_at if doc.signature else doc.updated_at
            cells = (str(doc.version), texts.state_name(doc.state, version=doc.version),
                     texts.moment(stored), doc.stored_by_name, reason_text(doc))
            for column, value in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(value))
        if self.versions:
            self.table.selectRow(len(self.versions) - 1)
            self.table.setFocus()

    def _on_row(self, row: int) -> None:
        if 0 <= row < len(self.versions):
            self.text.setHtml(detail_html(self.versions[row]))


def open_versions(parent: QWidget | None, ws: Any, document: Any) -> QDialog:
    """Open the version history of ``document`` (non-blocking); returns the dialog."""
    dialog = VersionsDialog(parent, ws, document)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    dialog.load()
    return dialog
