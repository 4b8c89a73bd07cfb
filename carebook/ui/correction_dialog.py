"""Correcting a completed entry: reason and corrected text → a new signed version (MSG-12, E12).

The old version stays in the entry's history and the register keeps both (rules-documents
§3.3); MyKanta shows only the newest (§3.6). Changing the MyKanta restriction after archiving is
also a correction (§3.3, L8341-8359). A plan is corrected in the plan editor.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import _, current_language
from carebook.model import clock, codesets
from carebook.model.records import ClientRecord, DocumentRecord, Restriction
from carebook.model.services import clients, lifecycle
from carebook.ui import shortcuts, texts
from carebook.ui.errors import ErrorLabel
from carebook.ui.restriction_form import RestrictionForm


def open_correction(parent: QWidget | None, ws: Any, document: DocumentRecord) -> QDialog:
    """Open the correction of ``document``: the plan editor for a plan, else this dialog."""
    client_id = document.client_ids[0] if document.client_ids else 0
    if document.kind == "plan":
        from carebook.ui.plan_editor import open_plan_editor

        return open_plan_editor(parent, ws, client_id=client_id, document=document,
                                correct=True)
    dialog = CorrectionDialog(parent, ws, document)
    dialog.open()
    dialog.load()
    return dialog


def document_heading(document: DocumentRecord) -> str:
    """"Note on a visit or contact — Heikki Hiltunen, 21.11.2026 14:02 (version 1)"."""
    return _("%(type)s — %(author)s, %(when)s (version %(version)s)") % {
        "type": texts.document_type_name(document.kind, document.specific_type),
        "author": document.author_name, "when": texts.moment(document.recorded_at),
        "version": document.version}


class CorrectionDialog(QDialog):
    """Reason code, corrected text and restrictions; signs version current + 1."""

    def __init__(self, parent: QWidget | None, ws: Any, document: DocumentRecord) -> None:
        super().__init__(parent)
        self.setObjectName("correctionDialog")
        # Kept after closing so callers can read the outcome; as a child of the main window it
        # is destroyed with it on lock, taking what it showed of the client along.
        self.setWindowTitle(_("Correct entry"))
        self.ws = ws
        self.document = document
        self.client_id = document.client_ids[0] if document.client_ids else 0
        self.restrictions: RestrictionForm | None = None
        self.result_record: DocumentRecord | None = None
        self._initial: Restriction | None = None
        self._busy = False
        self._build()
        self.resize(700, 600)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        heading = QLabel(document_heading(self.document))
        heading.setObjectName("correctionHeading")
        heading.setStyleSheet("font-weight: bold;")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        explain = QLabel(_(
            "The correction becomes version %(next)s, signed by you. The current version stays "
            "in the entry's history and the register keeps both; MyKanta shows only the newest.")
            % {"next": self.document.version + 1})
        explain.setObjectName("correctionExplanation")
        explain.setWordWrap(True)
        layout.addWidget(explain)
        form = QFormLayout()
        self.reason = QComboBox()
        self.reason.setObjectName("correctionReason")
        self.reason.setAccessibleName(_("Reason for the correction"))
        self.reason.setPlaceholderText(_("Choose a reason"))
        for key, name in codesets.valid_codes(codesets.CORRECTION_REASON, on=clock.today(),
                                              language=current_language()):
            self.reason.addItem(name, key)
        self.reason.setCurrentIndex(-1)  # the worker chooses; no reason is assumed
        self.reason.currentIndexChanged.connect(self._update_buttons)
        label = QLabel(_("&Reason:"))
        label.setBuddy(self.reason)
        form.addRow(label, self.reason)
        # MSG-12: the service requires a reason, so signing waits for one; say why.
        self.reason_hint = QLabel(_("Choose the reason for the correction first."))
        self.reason_hint.setObjectName("reasonHint")
        self.reason_hint.setWordWrap(True)
        self.reason_hint.setStyleSheet("color: palette(placeholder-text);")
        form.addRow("", self.reason_hint)
        layout.addLayout(form)
        self.text = QPlainTextEdit()
        self.text.setObjectName("correctedText")
        self.text.setAccessibleName(_("Corrected text"))
        self.text.setTabChangesFocus(True)
        self.text.setPlainText(self.document.body)
        text_label = QLabel(_("Corrected &text:"))
        text_label.setBuddy(self.text)
        layout.addWidget(text_label)
        layout.addWidget(self.text, 1)
        self.restriction_holder = QVBoxLayout()
        layout.addLayout(self.restriction_holder)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        self.sign_button = QPushButton(_("Sign the &correction"))
        self.sign_button.setObjectName("signCorrection")
        self.sign_button.setAutoDefault(False)
        self.sign_button.clicked.connect(self._on_sign)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        row.addWidget(self.sign_button)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        for keys in (shortcuts.COMPLETE_AND_SIGN.keys, "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self._on_sign)
        self.setTabOrder(self.reason, self.text)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = bool(self.reason.currentData())
        self.sign_button.setEnabled(chosen and not self._busy)
        self.reason_hint.setVisible(not chosen)
        self.sign_button.setToolTip(
            _("Sign the corrected entry as version %(next)s") % {"next": self.document.version + 1}
            if chosen else self.reason_hint.text())

    def load(self) -> None:
        """Fetch the client: the guardian section depends on the client being under 18."""
        self.ws.call(clients.get_client, self.client_id, on_done=self._loaded,
                     on_error=self.error.show_error, parent=self, client=self.client_id)

    def _loaded(self, client: ClientRecord) -> None:
        self.restrictions = RestrictionForm(self, minor=client.minor)
        self.restrictions.set_restriction(self.document.restriction)
        self.restriction_holder.addWidget(self.restrictions)
        self._initial = self.restrictions.restriction()
        self._update_buttons()
        self.reason.setFocus()

    def _on_sign(self) -> None:
        if not self.sign_button.isEnabled():
            return
        self.error.clear_error()
        self._busy = True
        self._update_buttons()
        # Until the client is loaded the panel is not shown, so the restriction is unchanged.
        restriction = self.restrictions.restriction() if self.restrictions else self._initial
        changed = restriction != self._initial
        text = self.text.toPlainText()
        self.ws.call(lifecycle.correct_document, document_id=self.document.id,
                     reason=str(self.reason.currentData()),
                     text=text if text != self.document.body else None,
                     restriction=(restriction or Restriction()) if changed else None,
                     on_done=self._signed, on_error=self._failed, parent=self,
                     client=self.client_id, busy=_("Signing the correction…"))

    def _signed(self, record: DocumentRecord) -> None:
        self.result_record = record
        self.ws.documents_changed.emit(self.client_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update_buttons()
        self.error.show_error(exc)

