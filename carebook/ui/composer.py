"""The composer under the timeline: choose the type, write, complete and sign with one shortcut.

Shift work (rules-documents §5): most entries are *Anteckning om klientens vardag*, written and
signed at once. Completed entries are archived at once and shown to the client in MyKanta
unless restricted (§3.6 "Trigger": the professional is reminded). Nothing typed is ever lost:
the text stays after a refusal, is kept per client when another client is chosen, and is
cleared only after the store holds it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.errors import RuleViolationError
from carebook.i18n import _
from carebook.model import clock
from carebook.model.records import DocumentRecord, Restriction
from carebook.model.services import clients, journal
from carebook.ui import shortcuts, texts
from carebook.ui.errors import ErrorLabel, user_message
from carebook.ui.restriction_form import RestrictionForm

DEFAULT_TYPE = "daily"  # rules-documents §5: the everyday note of residential care
# The last type each worker used in this process (not client data; forgotten on exit).
_LAST_TYPE: dict[str, str] = {}


def mykanta_reminder() -> str:
    """The always-visible reminder of §3.6 "Trigger" (L8131-8142)."""
    return _("Completed entries are visible to the client in MyKanta unless you restrict them.")


def fill_entry_types(combo: QComboBox, *, selected: str | None = None) -> None:
    """All 15 journal-entry types by name; only those usable here and today are selectable.

    Start and end notes are written by the service dialogs, which also record the dates (E10).
    """
    combo.clear()
    model = combo.model()
    for note_type in journal.note_types():
        combo.addItem(texts.entry_type_name(note_type.key), note_type.key)
        item = model.item(combo.count() - 1) if isinstance(model, QStandardItemModel) else None
        usable = note_type.valid_today and note_type.key not in journal.SERVICE_NOTES
        if item is not None and not usable:
            item.setEnabled(False)
            item.setToolTip(_("Written with Start service or End service.")
                            if note_type.key in journal.SERVICE_NOTES
                            else _("This type is no longer in use."))
    index = combo.findData(selected or DEFAULT_TYPE)
    combo.setCurrentIndex(index if index >= 0 else combo.findData(DEFAULT_TYPE))


def shortcut_tip(shortcut: shortcuts.Shortcut) -> str:
    """"Complete and sign the entry being written (Ctrl+Return)" for a button's tooltip."""
    keys = QKeySequence(shortcut.keys).toString(QKeySequence.SequenceFormat.NativeText)
    return f"{shortcut.text()} ({keys})"


def open_restriction_dialog(parent: QWidget, *, minor: bool, current: Restriction | None,
                            on_accept: Any) -> QDialog:
    """A small dialog around :class:`RestrictionForm`; ``on_accept(restriction | None)``."""
    dialog = QDialog(parent)
    dialog.setObjectName("restrictionDialog")
    dialog.setWindowTitle(_("MyKanta restrictions"))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    layout = QVBoxLayout(dialog)
    form = RestrictionForm(dialog, minor=minor)
    form.set_restriction(current)
    form.set_expanded(True)
    form.toggle.hide()
    layout.addWidget(form)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Use"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    error = ErrorLabel(dialog)
    layout.addWidget(error)

    def use() -> None:
        # Checked here, not first at signing: a delay without a reason (4.1.19) is named now.
        from carebook.errors import CarebookError
        from carebook.model import clock
        from carebook.model.services import restrictions

        chosen = form.restriction()
        if chosen is not None:
            try:
                restrictions.validate(chosen, minor=minor, on=clock.today())
            except CarebookError as exc:
                error.show_error(exc)
                return
        on_accept(chosen)
        dialog.accept()

    buttons.accepted.connect(use)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.form = form  # type: ignore[attr-defined]
    dialog.resize(620, dialog.sizeHint().height())
    dialog.open()
    return dialog


class Composer(QWidget):
    """Write a journal entry for the selected client.

    Signals:
        recorded(int): the id of the entry just stored (draft or completed).
    """

    recorded = Signal(int)

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.ws = ws
        self._client: int | None = None
        self._unsaved: dict[int, str] = {}
        self._restriction: Restriction | None = None
        self._saving = False
        self.restriction_dialog: QDialog | None = None
        self._build()
        self.set_client(None)
        ws.locking.connect(self._keep_on_lock)

    # -- view ---------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.hint = QLabel(_("Choose a client to write an entry."))
        self.hint.setObjectName("composerHint")
        layout.addWidget(self.hint)
        top = QHBoxLayout()
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("entryType")
        self.type_combo.setAccessibleName(_("Entry type"))
        username = self.ws.staff.username if self.ws.staff is not None else ""
        fill_entry_types(self.type_combo, selected=_LAST_TYPE.get(username))
        type_label = QLabel(_("Entry &type:"))
        type_label.setBuddy(self.type_combo)
        top.addWidget(type_label)
        top.addWidget(self.type_combo, 1)
        self.restrictions_button = QPushButton(_("&Restrictions…"))
        self.restrictions_button.setObjectName("restrictionsLink")
        self.restrictions_button.setAccessibleName(_("MyKanta restrictions of this entry"))
        self.restrictions_button.setFlat(True)
        self.restrictions_button.setStyleSheet(
            "QPushButton { text-decoration: underline; color: palette(link); border: 1px solid "
            "transparent; padding: 2px 4px; }"
            "QPushButton:disabled { color: palette(mid); }"
            "QPushButton:focus { border: 1px solid palette(highlight); }")
        self.restrictions_button.clicked.connect(self._on_restrictions)
        top.addWidget(self.restrictions_button)
        layout.addLayout(top)
        self.text = QPlainTextEdit()
        self.text.setObjectName("entryText")
        self.text.setAccessibleName(_("Entry text"))
        self.text.setPlaceholderText(_("Write the entry here. Ctrl+Enter completes and signs."))
        self.text.setTabChangesFocus(True)
        layout.addWidget(self.text, 1)
        self.reminder = QLabel(mykanta_reminder())
        self.reminder.setObjectName("mykantaReminder")
        self.reminder.setWordWrap(True)
        layout.addWidget(self.reminder)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        bottom = QHBoxLayout()
        self.status = QLabel("")
        self.status.setObjectName("composerStatus")
        bottom.addWidget(self.status, 1)
        self.draft_button = QPushButton(_("Save &draft"))
        self.draft_button.setObjectName("saveDraftButton")
        self.draft_button.setToolTip(shortcut_tip(shortcuts.SAVE_DRAFT))
        self.draft_button.clicked.connect(lambda: self._save(complete=False))
        self.complete_button = QPushButton(_("Complete and &sign"))
        self.complete_button.setObjectName("completeButton")
        self.complete_button.setToolTip(shortcut_tip(shortcuts.COMPLETE_AND_SIGN))
        self.complete_button.clicked.connect(lambda: self._save(complete=True))
        bottom.addWidget(self.draft_button)
        bottom.addWidget(self.complete_button)
        layout.addLayout(bottom)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, complete in ((shortcuts.COMPLETE_AND_SIGN.keys, True), ("Ctrl+Enter", True),
                               (shortcuts.SAVE_DRAFT.keys, False)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(lambda c=complete: self._save(complete=c))
        self.setTabOrder(self.type_combo, self.text)
        self.setTabOrder(self.text, self.complete_button)
        self.setTabOrder(self.complete_button, self.draft_button)
        self.setTabOrder(self.draft_button, self.restrictions_button)

    def _set_enabled(self) -> None:
        ready = self._client is not None and not self._saving
        for widget in (self.type_combo, self.draft_button, self.complete_button,
                       self.restrictions_button):
            widget.setEnabled(ready)
        self.text.setEnabled(self._client is not None)
        self.text.setReadOnly(self._saving)  # typing during a save would be cleared with it
        self.hint.setVisible(self._client is None)

    # -- public -------------------------------------------------------------------------

    def client_id(self) -> int | None:
        return self._client

    def set_client(self, client_id: int | None) -> None:
        """Write for ``client_id`` (None: disabled with a hint). Unsaved text stays with the
        client it was written for, so it is never stored for the wrong person."""
        if self._client is not None and self.text.toPlainText().strip():
            self._unsaved[self._client] = self.text.toPlainText()
        self._client = client_id or None
        self.text.setPlainText(self._unsaved.pop(self._client, "") if self._client else "")
        self._restriction = None
        self._update_restriction_text()
        self.error.clear_error()
        self.status.setText("")
        self._set_enabled()

    def entry_type(self) -> str:
        return str(self.type_combo.currentData())

    # -- controller ---------------------------------------------------------------------

    def _keep_on_lock(self) -> None:
        """Auto-lock mid-sentence loses nothing: every unsaved text becomes a draft of its
        client (shown as Draft in the timeline after the next sign-in)."""
        if self._client is not None and self.text.toPlainText().strip() and not self._saving:
            self._unsaved[self._client] = self.text.toPlainText()
        for client, text in self._unsaved.items():
            self.ws.save_on_lock(journal.record_journal_entry, client_id=client,
                                 entry_type=self.entry_type(), text=text, complete=False,
                                 client=client)
        self._unsaved.clear()
        self.text.clear()

    def _update_restriction_text(self) -> None:
        r = self._restriction
        self.restrictions_button.setText(_("&Restrictions…") if r is None
                                         else _("&Restrictions (set)…"))
        self.restrictions_button.setToolTip(
            _("No restrictions: the client sees the completed entry in MyKanta.") if r is None
            else _("This entry has MyKanta restrictions."))

    def _on_restrictions(self) -> None:
        client = self._client
        if client is None:
            return

        def chosen(r: Restriction | None) -> None:
            self._restriction = r
            self._update_restriction_text()

        def got(record: Any) -> None:
            if client == self._client:
                self.restriction_dialog = open_restriction_dialog(
                    self, minor=bool(record.minor), current=self._restriction,
                    on_accept=chosen)

        self.ws.call(clients.get_client, client, on_done=got, on_error=self.error.show_error,
                     parent=self, client=client)

    def _save(self, *, complete: bool) -> None:
        client = self._client
        if client is None or self._saving:
            return
        self.error.clear_error()
        self.status.setText("")
        entry_type = self.entry_type()
        self._saving = True
        self._set_enabled()
        job = self.ws.call(journal.record_journal_entry, client_id=client,
                           entry_type=entry_type, text=self.text.toPlainText(),
                           complete=complete, restriction=self._restriction,
                           on_done=lambda rec: self._saved(rec, client, complete=complete),
                           on_error=lambda exc: self._failed(exc, client, complete=complete),
                           parent=self, client=client, busy=_("Saving the entry…"))
        if job is None:
            self._saving = False
            self._set_enabled()

    def _saved(self, record: DocumentRecord, client: int, *, complete: bool,
               note: str | None = None) -> None:
        self._saving = False
        if self.ws.staff is not None:
            _LAST_TYPE[self.ws.staff.username] = record.specific_type
        if client == self._client:
            self.text.clear()
            self._restriction = None
            self._update_restriction_text()
            when = texts.moment(clock.utc_now())
            self.status.setText(_("Completed and signed (%(when)s).") % {"when": when}
                                if complete and record.state == "completed"
                                else _("Saved as a draft (%(when)s).") % {"when": when})
            if note:
                self.error.show_text(note)
        else:
            self._unsaved.pop(client, None)
        self._set_enabled()
        self.recorded.emit(record.id)
        self.ws.documents_changed.emit(client)

    def _failed(self, exc: BaseException, client: int, *, complete: bool) -> None:
        if (complete and isinstance(exc, RuleViolationError) and exc.code == "no_case_code"
                and client == self._client):
            self._keep_as_draft(exc, client)
            return
        self._saving = False
        self._set_enabled()
        if client == self._client:
            self.error.show_error(exc)  # the text stays as it was typed

    def _keep_as_draft(self, refusal: BaseException, client: int) -> None:
        """RAR-11: as `note add` does, keep the entry as a draft to be completed once the
        organiser's case code is known; say so in place."""
        note = _("%(refusal)s The entry was saved as a draft; complete it from the timeline "
                 "once the case code has been recorded.") % {"refusal": user_message(refusal)}
        self.ws.call(journal.record_journal_entry, client_id=client,
                     entry_type=self.entry_type(), text=self.text.toPlainText(),
                     complete=False, restriction=self._restriction,
                     on_done=lambda rec: self._saved(rec, client, complete=False, note=note),
                     on_error=lambda exc: self._failed(exc, client, complete=False),
                     parent=self, client=client)
