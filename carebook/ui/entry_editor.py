"""The journal-entry editor: a new entry or the author's draft, with its MyKanta restrictions.

All 15 entry types (rules-documents E9, §5); the visibility panel on every document (§5 "UI
implications"); the MyKanta reminder (§3.6 "Trigger"). A draft is changed with
``lifecycle.edit_draft`` and signed with ``lifecycle.complete_document``; discarding asks
first. Every refusal shows in place and the dialog keeps what was typed.
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
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.errors import RuleViolationError
from carebook.i18n import N_, _, current_language
from carebook.model.records import ClientRecord, DocumentRecord, Restriction
from carebook.model.services import clients, journal, lifecycle, social_services
from carebook.ui import shortcuts
from carebook.ui.composer import fill_entry_types, mykanta_reminder, shortcut_tip
from carebook.ui.errors import ErrorLabel, focus_on, names_field, user_message
from carebook.ui.restriction_form import RestrictionForm


def open_entry_editor(parent: QWidget | None, ws: Any, *, client_id: int,
                      document: DocumentRecord | None = None) -> QDialog:
    """Open the editor for a new entry of ``client_id`` or for the draft ``document``."""
    dialog = EntryEditor(parent, ws, client_id=client_id, document=document)
    dialog.open()
    dialog.load()
    return dialog


class EntryEditor(QDialog):
    """A journal entry being written; ``document`` is the draft once one is stored."""

    def __init__(self, parent: QWidget | None, ws: Any, *, client_id: int,
                 document: DocumentRecord | None) -> None:
        super().__init__(parent)
        self.setObjectName("entryEditor")
        # Kept after closing so callers can read the outcome; as a child of the main window it
        # is destroyed with it on lock, taking what it showed of the client along.
        self.ws = ws
        self.client_id = client_id
        self.document = document
        self.restrictions: RestrictionForm | None = None
        self.confirm_box: QMessageBox | None = None
        self._busy = False
        self._dirty = False
        self._close_after_save = False
        self.setWindowTitle(_("Edit draft entry") if document else _("New journal entry"))
        self._build()
        self.resize(720, 620)
        ws.locking.connect(self._keep_on_lock)

    # -- view ---------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.client_label = QLabel(_("Loading…"))
        self.client_label.setObjectName("entryClient")
        layout.addWidget(self.client_label)
        form = QFormLayout()
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("entryType")
        self.type_combo.setAccessibleName(_("Entry type"))
        fill_entry_types(self.type_combo,
                         selected=self.document.specific_type if self.document else None)
        self.type_combo.setEnabled(self.document is None)  # a draft keeps its type
        self._row(form, _("Entry &type:"), self.type_combo)
        self.service_combo = QComboBox()
        self.service_combo.setObjectName("entryService")
        self.service_combo.setAccessibleName(_("Social service"))
        self.service_combo.addItem(_("(not about one service)"), None)
        for key, name in social_services.service_codes(language=current_language()):
            self.service_combo.addItem(name, key)
        if self.document is not None:
            self.service_combo.setCurrentIndex(max(
                self.service_combo.findData(self.document.social_service), 0))
            self.service_combo.setEnabled(False)
        self._row(form, _("Social ser&vice:"), self.service_combo)
        layout.addLayout(form)
        self.text = QPlainTextEdit()
        self.text.setObjectName("entryText")
        self.text.setAccessibleName(_("Entry text"))
        self.text.setTabChangesFocus(True)
        self.text.setPlainText(self.document.body if self.document else "")
        self.text.textChanged.connect(self._changed)
        text_label = QLabel(_("Te&xt:"))
        text_label.setBuddy(self.text)
        layout.addWidget(text_label)
        layout.addWidget(self.text, 1)
        self.restriction_holder = QVBoxLayout()
        layout.addLayout(self.restriction_holder)
        self.reminder = QLabel(mykanta_reminder())
        self.reminder.setObjectName("mykantaReminder")
        self.reminder.setWordWrap(True)
        layout.addWidget(self.reminder)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        layout.addLayout(self._buttons())

    def _row(self, form: QFormLayout, text: str, widget: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        form.addRow(label, widget)

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.status = QLabel("")
        self.status.setObjectName("entryStatus")
        row.addWidget(self.status, 1)
        self.discard_button = self._button(_("D&iscard draft…"), "discardDraft",
                                           self._on_discard)
        self.discard_button.setVisible(self.document is not None)
        self.draft_button = self._button(_("Save &draft"), "saveDraftButton",
                                         lambda: self._save(complete=False))
        self.complete_button = self._button(_("Complete and &sign"), "completeButton",
                                            lambda: self._save(complete=True))
        self.close_button = self._button(_("Close"), "closeButton", self.reject)
        self.draft_button.setToolTip(shortcut_tip(shortcuts.SAVE_DRAFT))
        self.complete_button.setToolTip(shortcut_tip(shortcuts.COMPLETE_AND_SIGN))
        for b in (self.discard_button, self.draft_button, self.complete_button,
                  self.close_button):
            row.addWidget(b)
        for keys, complete in ((shortcuts.COMPLETE_AND_SIGN.keys, True), ("Ctrl+Enter", True),
                               (shortcuts.SAVE_DRAFT.keys, False)):
            QShortcut(QKeySequence(keys), self).activated.connect(
                lambda c=complete: self._save(complete=c))
        return row

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        ready = not busy and self.restrictions is not None
        for b in (self.draft_button, self.complete_button, self.discard_button):
            b.setEnabled(ready)
        self.text.setReadOnly(busy)

    # -- controller ---------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the client (the guardian section depends on the client being under 18)."""
        self._set_busy(True)
        self.ws.call(clients.get_client, self.client_id, on_done=self._loaded,
                     on_error=self._load_failed, parent=self, client=self.client_id)

    def _loaded(self, client: ClientRecord) -> None:
        self.client_label.setText(_("Client: %(name)s") % {"name": client.full_name})
        self.restrictions = RestrictionForm(self, minor=client.minor)
        if self.document is not None:
            self.restrictions.set_restriction(self.document.restriction)
        self.restrictions.changed.connect(self._changed)
        self.restriction_holder.addWidget(self.restrictions)
        self.setTabOrder(self.text, self.restrictions.toggle)
        self._set_busy(False)
        self._dirty = False
        self.text.setFocus()

    def _load_failed(self, exc: BaseException) -> None:
        self.client_label.setText("")
        self.error.show_error(exc)

    def _changed(self) -> None:
        self._dirty = True

    def _keep_on_lock(self) -> None:
        """The app locks with this editor open: unsaved text is kept as a draft."""
        if not self._dirty or not self.text.toPlainText().strip() or self._busy:
            return
        self._dirty = False
        if self.document is None:
            self.ws.save_on_lock(journal.record_journal_entry, client_id=self.client_id,
                                 entry_type=str(self.type_combo.currentData()),
                                 text=self.text.toPlainText(), complete=False,
                                 restriction=self._restriction(),
                                 social_service=self.service_combo.currentData(),
                                 client=self.client_id)
        else:
            self.ws.save_on_lock(lifecycle.edit_draft, document_id=self.document.id,
                                 text=self.text.toPlainText(),
                                 restriction=self._restriction() or Restriction(),
                                 client=self.client_id)

    def _restriction(self) -> Restriction | None:
        return self.restrictions.restriction() if self.restrictions is not None else None

    def _save(self, *, complete: bool) -> None:
        if self._busy or self.restrictions is None:
            return
        self.error.clear_error()
        self.status.setText("")
        self._set_busy(True)
        if self.document is None:
            self._record(complete=complete)
        else:
            self.ws.call(lifecycle.edit_draft, document_id=self.document.id,
                         text=self.text.toPlainText(),
                         restriction=self._restriction() or Restriction(),
                         on_done=lambda rec: self._draft_saved(rec, complete=complete),
                         on_error=self._failed, parent=self, client=self.client_id,
                         busy=_("Saving the entry…"))

    def _record(self, *, complete: bool, note: str | None = None) -> None:
        self.ws.call(journal.record_journal_entry, client_id=self.client_id,
                     entry_type=str(self.type_combo.currentData()),
                     text=self.text.toPlainText(), complete=complete,
                     restriction=self._restriction(),
                     social_service=self.service_combo.currentData(),
                     on_done=lambda rec: self._recorded(rec, note=note),
                     on_error=lambda exc: self._record_failed(exc, complete=complete),
                     parent=self, client=self.client_id, busy=_("Saving the entry…"))

    def _record_failed(self, exc: BaseException, *, complete: bool) -> None:
        if complete and isinstance(exc, RuleViolationError) and exc.code == "no_case_code":
            # RAR-11, as `note add`: keep the entry as a draft until the case code is known.
            self._record(complete=False, note=_(
                "%(refusal)s The entry was saved as a draft; complete it once the case code "
                "has been recorded.") % {"refusal": user_message(exc)})
            return
        self._failed(exc)

    def _recorded(self, record: DocumentRecord, *, note: str | None) -> None:
        self.ws.documents_changed.emit(self.client_id)
        if record.state == "completed":
            self._finish()
            return
        self._became_draft(record)
        if note:
            self.error.show_text(note)

    def _became_draft(self, record: DocumentRecord) -> None:
        self.document = record
        self.setWindowTitle(_("Edit draft entry"))
        self.type_combo.setEnabled(False)
        self.service_combo.setEnabled(False)
        self.discard_button.setVisible(True)
        self._dirty = False
        self._set_busy(False)
        self.status.setText(_("Saved as a draft."))
        if self._close_after_save:
            super().reject()

    def _draft_saved(self, record: DocumentRecord, *, complete: bool) -> None:
        self.ws.documents_changed.emit(self.client_id)
        if not complete:
            self._became_draft(record)
            return
        self.document = record
        self._dirty = False
        self.ws.call(lifecycle.complete_document, document_id=record.id,
                     on_done=lambda _rec: self._completed(), on_error=self._failed,
                     parent=self, client=self.client_id, busy=_("Signing the entry…"))

    def _completed(self) -> None:
        self.ws.documents_changed.emit(self.client_id)
        self._finish()

    def _finish(self) -> None:
        self._dirty = False
        self.done(QDialog.DialogCode.Accepted)

    def _failed(self, exc: BaseException) -> None:
        self._close_after_save = False
        self._set_busy(False)
        self.error.show_error(exc)
        # The cursor goes where the fix is typed, not to Close (one Enter would close).
        if names_field(exc, N_("text")):
            focus_on(self.text)
        elif self.restrictions is not None:
            focus_on(self.restrictions.field_for(exc))

    def _on_discard(self) -> None:
        if self.document is None or self._busy:
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Discard draft"),
                          _("Discard this draft? Its text is deleted and cannot be restored."),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirmDiscard")
        box.button(QMessageBox.StandardButton.Yes).setText(_("Discard"))
        box.button(QMessageBox.StandardButton.No).setText(_("Keep"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda result: self._discard_answered(box, result))
        self.confirm_box = box
        box.open()

    def _discard_answered(self, box: QMessageBox, _result: int) -> None:
        if box.clickedButton() is not box.button(QMessageBox.StandardButton.Yes):
            return
        assert self.document is not None
        self._set_busy(True)
        self.ws.call(lifecycle.discard_draft, document_id=self.document.id,
                     on_done=lambda _none: self._completed(), on_error=self._failed,
                     parent=self, client=self.client_id)

    def reject(self) -> None:
        """Close; unsaved changes are kept as a draft first, so nothing typed is lost."""
        if self._busy:
            return
        if self._dirty and self.text.toPlainText().strip() and self.restrictions is not None:
            self.status.setText(_("Saving before closing…"))
            self._close_after_save = True
            self._save(complete=False)
            return
        super().reject()
