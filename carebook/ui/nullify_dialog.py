"""Nullifying a completed entry (*makulering*, MSG-13, rules-documents §3.4, E13).

For a wrong person, a wrong case, or an error so bad that correcting is worse. The entry is not
deleted: a new version marked nullified is stored and archived, and users no longer see it.
The order is attachments → documents → case; while something still refers to the entry, the
service refuses and the dialog explains the order in plain words.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.errors import RuleViolationError
from carebook.i18n import _, current_language
from carebook.model import codesets
from carebook.model.records import DocumentRecord
from carebook.model.services import lifecycle
from carebook.ui.correction_dialog import document_heading
from carebook.ui.errors import ErrorLabel, user_message

MAX_REASON_TEXT = 500


def order_explanation() -> str:
    """MSG-13 in plain words (rules-documents §3.4, L29300-29312)."""
    return _("Nullify in this order: first every attachment of the entry, then the entry "
             "itself, and a case only after all its documents. An entry cannot be nullified "
             "while an attachment still refers to it.")


def open_nullification(parent: QWidget | None, ws: Any, document: DocumentRecord) -> QDialog:
    """Open the nullification of ``document`` (non-blocking) and return the dialog."""
    dialog = NullifyDialog(parent, ws, document)
    dialog.open()
    return dialog


class NullifyDialog(QDialog):
    """Reason, optional explanation and an explicit confirmation before nullifying."""

    def __init__(self, parent: QWidget | None, ws: Any, document: DocumentRecord) -> None:
        super().__init__(parent)
        self.setObjectName("nullifyDialog")
        # Kept after closing so callers can read the outcome; as a child of the main window it
        # is destroyed with it on lock, taking what it showed of the client along.
        self.setWindowTitle(_("Nullify entry"))
        self.ws = ws
        self.document = document
        self.client_id = document.client_ids[0] if document.client_ids else 0
        self.result_record: DocumentRecord | None = None
        self._busy = False
        self._build()
        self.resize(620, self.sizeHint().height())

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # room for messages
        heading = QLabel(document_heading(self.document))
        heading.setObjectName("nullifyHeading")
        heading.setStyleSheet("font-weight: bold;")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        intro = QLabel(_("Nullify only an entry about the wrong person or the wrong case, or "
                         "one so wrong that correcting it is worse. For smaller errors, "
                         "correct the entry instead."))
        intro.setObjectName("nullifyIntro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.reason = QComboBox()
        self.reason.setObjectName("nullifyReason")
        self.reason.setAccessibleName(_("Reason for nullifying"))
        # MSG-13: nullification checks codes in simplified form, without validity dates.
        for code in codesets.codeset(codesets.NULLIFICATION_REASON).codes:
            self.reason.addItem(code.name(current_language()), code.key)
        self.reason.currentIndexChanged.connect(self._update_button)
        reason_label = QLabel(_("&Reason:"))
        reason_label.setBuddy(self.reason)
        form.addRow(reason_label, self.reason)
        self.text = QPlainTextEdit()
        self.text.setObjectName("nullifyText")
        self.text.setAccessibleName(_("Explanation"))
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(_("What was wrong, in a few words (at most %(n)s "
                                       "characters)") % {"n": MAX_REASON_TEXT})
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 3 + 12)
        text_label = QLabel(_("&Explanation:"))
        text_label.setBuddy(self.text)
        form.addRow(text_label, self.text)
        layout.addLayout(form)
        self.confirm = QCheckBox(_("I &understand the entry will be marked nullified; it is "
                                   "not deleted"))
        self.confirm.setObjectName("nullifyConfirm")
        self.confirm.toggled.connect(self._update_button)
        layout.addWidget(self.confirm)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.order_note = QLabel(order_explanation())
        self.order_note.setObjectName("nullifyOrder")
        self.order_note.setWordWrap(True)
        self.order_note.hide()
        layout.addWidget(self.order_note)
        row = QHBoxLayout()
        row.addStretch(1)
        self.nullify_button = QPushButton(_("&Nullify"))
        self.nullify_button.setObjectName("nullifyButton")
        self.nullify_button.setAutoDefault(False)
        self.nullify_button.clicked.connect(self._on_nullify)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setDefault(True)
        self.cancel_button.clicked.connect(self.reject)
        row.addWidget(self.nullify_button)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.setTabOrder(self.reason, self.text)
        self.setTabOrder(self.text, self.confirm)
        self.setTabOrder(self.confirm, self.nullify_button)
        self.setTabOrder(self.nullify_button, self.cancel_button)
        self._update_button()

    def _update_button(self) -> None:
        self.nullify_button.setEnabled(bool(self.reason.currentData())
                                       and self.confirm.isChecked() and not self._busy)

    def _on_nullify(self) -> None:
        if not self.nullify_button.isEnabled():
            return
        self.error.clear_error()
        self.order_note.hide()
        self._busy = True
        self._update_button()
        self.ws.call(lifecycle.nullify_document, document_id=self.document.id,
                     reason=str(self.reason.currentData()),
                     reason_text=self.text.toPlainText().strip() or None,
                     on_done=self._nullified, on_error=self._failed, parent=self,
                     client=self.client_id, busy=_("Nullifying…"))

    def _nullified(self, record: DocumentRecord) -> None:
        self.result_record = record
        self.ws.documents_changed.emit(self.client_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update_button()
        self.error.show_text(user_message(exc))
        ordered = isinstance(exc, RuleViolationError) and exc.code == "nullify_order"
        self.order_note.setVisible(ordered)
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
