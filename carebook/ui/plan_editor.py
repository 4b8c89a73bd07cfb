"""The implementation plan editor (*toteuttamissuunnitelma*, rules-documents E11).

A structured form in sections (meetings, client's situation, service, goals, review, MyKanta
visibility), saved as a draft while the worker types (debounced autosave through
:func:`plans.record_plan` / :func:`plans.edit_plan_draft`), then completed and signed
(:func:`lifecycle.complete_document`). With ``correct=True`` a completed plan is opened for a
correction: a reason from the correction-reason code set, then :func:`plans.correct_plan` makes
the next version (MSG-12). Every rule is the services'; refusals show in place and the typed
content stays.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.errors import CarebookError
from carebook.i18n import N_, _, current_language
from carebook.model import clock, codesets
from carebook.model.records import DocumentRecord, Restriction
from carebook.model.validation import field_label
from carebook.ui import shortcuts
from carebook.ui.errors import ErrorLabel
from carebook.ui.goals_editor import button, labelled
from carebook.ui.plan_calls import PlanContext, load_context, save_and_complete, save_draft
from carebook.ui.plan_form import SERVICE, PlanForm, tab_for_error

AUTOSAVE_MS = 2000  # after the last keystroke; tests pass a shorter interval
GEOMETRY = "plan_editor"
# MSG-18 (a plan names its social service) is the services' rule; before sending a plan the
# service must refuse with a code, the editor says in plain words what is missing and where.
NEED_SERVICE = N_("Choose the social service the plan is for (Service tab).")
KEPT_WITH_SERVICE = N_("A draft is kept only once the social service is chosen (Service tab).")


def open_plan_editor(parent: QWidget | None, ws, *, client_id: int,  # type: ignore[no-untyped-def]
                     document: DocumentRecord | None = None, correct: bool = False,
                     autosave_ms: int = AUTOSAVE_MS) -> QDialog:
    """Open the plan editor (non-blocking) and return it.

    Args:
        document: a plan draft to continue, or (with ``correct``) a completed plan.
        correct: correct the completed ``document`` (new version with a reason).
        autosave_ms: pause after the last change before the draft is saved.
    """
    dialog = PlanEditor(parent, ws, client_id=client_id, document=document, correct=correct,
                        autosave_ms=autosave_ms)
    dialog.open()
    return dialog


class PlanEditor(QDialog):
    """Controller of the plan form: loading, autosave, completing, correcting."""

    def __init__(self, parent: QWidget | None, ws, *, client_id: int,  # type: ignore[no-untyped-def]
                 document: DocumentRecord | None, correct: bool, autosave_ms: int) -> None:
        super().__init__(parent)
        self.ws, self.client_id, self.document, self.correct = ws, client_id, document, correct
        self.context: PlanContext | None = None
        self._dirty = self._saving = self._save_again = self._close_after_save = False
        self._closing = self._complete_after_save = False
        self._restriction_saved: Restriction | None = None
        self.setObjectName("planEditor")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(autosave_ms)
        self._timer.timeout.connect(self._autosave)
        self._build()
        self._restore_geometry()
        self._load()

    # -- view --------------------------------------------------------------------------

    def _build(self) -> None:
        self.setWindowTitle(_("Correct implementation plan") if self.correct
                            else _("Implementation plan"))
        self.heading = QLabel(_("Loading…"))
        self.heading.setObjectName("planHeading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.plan_type = QComboBox()
        self.plan_type.setObjectName("planType")
        self.plan_type.setAccessibleName(_("Plan type"))
        self.reason = QComboBox()
        self.reason.setObjectName("correctionReason")
        self.reason.setAccessibleName(_("Reason for the correction"))
        self.reason.addItem(_("Choose a reason"), None)
        for key, name in codesets.valid_codes(codesets.CORRECTION_REASON, on=clock.today(),
                                              language=current_language()):
            self.reason.addItem(name, key)
        self.copy_button = button(_("Start from t&he previous plan"), "copyPreviousPlan",
                                  _("Fills the empty fields and the goals from the newest "
                                    "completed plan of this service"))
        self.copy_button.setAutoDefault(False)
        self.copy_button.hide()
        type_row = QHBoxLayout()
        type_row.addWidget(self.plan_type, 1)
        type_row.addWidget(self.copy_button)
        top = QFormLayout()
        top.addRow(labelled(_("Plan t&ype:"), self.plan_type), type_row)
        reason_label = labelled(_("Reason for the &correction:"), self.reason)
        top.addRow(reason_label, self.reason)
        reason_label.setVisible(self.correct)
        self.reason.setVisible(self.correct)
        self.form = PlanForm(self, correct=self.correct)
        self.copy_button.clicked.connect(self.form.copy_previous)
        if self.document is None:  # a new plan only: a draft or a correction has its content
            self.form.previous_changed.connect(self.copy_button.setVisible)
        self.ws.locked.connect(self._close_now)  # nothing of the client stays on screen
        self.ws.locking.connect(self._keep_on_lock)  # ... and nothing typed is lost
        self.error = ErrorLabel(self)
        self.status = QLabel("")
        self.status.setObjectName("planStatus")
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.heading)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self.form, 1)
        self.layout_.addWidget(self.error)
        self.layout_.addLayout(self._buttons())
        self._tab_order()

    def _buttons(self) -> QHBoxLayout:
        self.save_button = button(_("Save dra&ft"), "saveDraft", shortcuts.SAVE_DRAFT.keys)
        self.complete_button = button(
            _("Si&gn the correction") if self.correct else _("Complete and si&gn"),
            "completePlan", shortcuts.COMPLETE_AND_SIGN.keys)
        self.close_button = QPushButton(_("Close"))
        self.close_button.setObjectName("closePlan")
        self.close_button.setAutoDefault(False)
        self.save_button.setVisible(not self.correct)
        for b in (self.save_button, self.complete_button):
            b.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_now)
        self.complete_button.clicked.connect(self.complete)
        self.close_button.clicked.connect(self.reject)
        for keys, slot in ((shortcuts.SAVE_DRAFT.keys, self.save_now),
                           (shortcuts.COMPLETE_AND_SIGN.keys, self.complete),
                           ("Ctrl+Enter", self.complete)):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        for b in (self.save_button, self.complete_button, self.close_button):
            row.addWidget(b)
        return row

    def _tab_order(self) -> None:
        order = [self.plan_type, self.copy_button, self.reason, self.form.tabs, self.save_button,
                 self.complete_button, self.close_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _restore_geometry(self) -> None:
        state = self.ws.settings.geometry_of(GEOMETRY)
        if not state or not self.restoreGeometry(state):
            self.resize(1080, 700)

    # -- loading -----------------------------------------------------------------------

    def _load(self) -> None:
        self.form.setEnabled(False)
        for b in (self.save_button, self.complete_button):
            b.setEnabled(False)
        self.ws.call(load_context, client_id=self.client_id, client=self.client_id,
                     parent=self, on_done=self._on_loaded, on_error=self._on_load_failed)

    def _on_loaded(self, context: PlanContext) -> None:
        if self._closing:  # a late answer after a lock or a discard
            return
        self.context = context
        name = context.client.full_name
        self.heading.setText(_("Correcting the implementation plan of %(name)s") % {"name": name}
                             if self.correct else
                             _("Implementation plan for %(name)s") % {"name": name})
        self.form.set_context(context, document=self.document)
        self._fill_plan_types()
        if self.document is not None and self.document.plan is not None:
            self.form.set_plan(self.document.plan)
            self.form.set_restriction(self.document.restriction)
            self._restriction_saved = self.form.restriction()
            if self.document.state == "draft":
                self._show_status(_("Draft saved at %(time)s"), self.document.updated_at)
            elif self.correct:
                self._show_text(_("The correction becomes version %(version)s; version "
                                  "%(old)s stays in the history.") % {
                    "version": self.document.version + 1, "old": self.document.version})
        self.form.setEnabled(True)
        for b in (self.save_button, self.complete_button):
            b.setEnabled(True)
        self.form.changed.connect(self._on_changed)
        self.form.case_changed.connect(self._fill_plan_types)
        self.form.first_field().setFocus()

    def _on_load_failed(self, exc: BaseException) -> None:
        if self._closing:  # a late answer after a lock or a discard
            return
        self.heading.setText(_("The plan cannot be opened."))
        self.error.show_error(exc)

    def _fill_plan_types(self) -> None:
        self.plan_type.clear()
        if self.document is not None:
            self.plan_type.addItem(self._type_name(self.document.specific_type),
                                   self.document.specific_type)
            self.plan_type.setEnabled(False)  # a saved plan keeps its type
            return
        case = self.form.current_case()
        general = (codesets.plan_type_for_task(case.service_task) if case else None)
        self.plan_type.addItem(self._type_name(general or codesets.GENERAL_PLAN_KEY),
                               general or codesets.GENERAL_PLAN_KEY)
        # rules-documents E11 (L22508-22512): where a service has its own plan structure
        # (care and upbringing, informal-care support ...), the worker chooses it.
        tasks = codesets.codeset(codesets.SERVICE_TASK)
        for code in codesets.codeset(codesets.PLAN_TYPE).codes:
            if tasks.get(code.key) is None:
                self.plan_type.addItem(self._type_name(code.key), code.key)

    @staticmethod
    def _type_name(key: str) -> str:
        return codesets.display_name(codesets.PLAN_TYPE, key, current_language())

    # -- autosave ----------------------------------------------------------------------

    def _on_changed(self) -> None:
        self._dirty = True
        if self.correct:
            return
        self._timer.start()
        if not self.form.social_service():  # say it now, not only when closing
            self._show_text(_(KEPT_WITH_SERVICE))
            return
        if self.status.text() == _(KEPT_WITH_SERVICE):
            self._show_text("")
        if self.error.text() == _(NEED_SERVICE):
            self.error.clear_error()

    def _need_service(self, *, point: bool) -> None:
        """Say that the social service is missing; ``point`` opens its tab and field (an
        explicit save or completion; the autosave never moves the cursor of a typing
        worker)."""
        self.error.show_text(_(NEED_SERVICE))
        self._show_text(_(KEPT_WITH_SERVICE))
        if point:
            self.form.tabs.setCurrentIndex(SERVICE)
            self.form.service.setFocus()

    def _draft_args(self) -> dict[str, object]:
        restriction = self.form.restriction()
        changed = restriction if restriction != self._restriction_saved else None
        return {"client_id": self.client_id,
                "document_id": self.document.id if self.document else None,
                "plan": self.form.plan(), "plan_type": self.plan_type.currentData(),
                "case_id": self.form.case_id(),
                "restriction": changed if self.document else restriction}

    def _keep_on_lock(self) -> None:
        """The app locks with unsaved changes: queue the draft save before the store closes
        (a save already in flight still completes; see Workspace.lock)."""
        self.form.meetings.commit_pending()
        if (not self._dirty or self._saving or self.correct or self.context is None
                or not self.form.social_service()):
            return
        self._dirty = False
        self.ws.save_on_lock(save_draft, **self._draft_args(), client=self.client_id)

    def save_now(self) -> None:
        """Save the draft now (Ctrl+S, Save draft, closing)."""
        self._save(point=True)

    def _autosave(self) -> None:
        self._save(point=False)

    def _save(self, *, point: bool) -> None:
        self.form.meetings.commit_pending()
        self._timer.stop()
        if self.correct or self.context is None:
            return
        if self._saving:
            self._save_again = True
            return
        if not self.form.social_service():
            self._need_service(point=point)
            return
        self._saving, self._dirty = True, False
        args = self._draft_args()
        self.ws.call(save_draft, **args, client=self.client_id, parent=self,
                     on_done=lambda r: self._on_saved(r, args["restriction"]),
                     on_error=self._on_save_failed)

    def _on_saved(self, record: DocumentRecord, restriction: Restriction | None) -> None:
        if self._closing:  # a late answer after a lock or a discard
            return
        self._saving = False
        self.document = record
        if restriction is not None:
            self._restriction_saved = restriction
        self.plan_type.setEnabled(False)
        self.error.clear_error()
        self._show_status(_("Draft saved at %(time)s"), record.updated_at)
        self.ws.documents_changed.emit(self.client_id)
        if self._save_again or self._dirty and self._close_after_save:
            self._save_again = False
            self.save_now()
        elif self._close_after_save:
            self._close_now()
        elif self._complete_after_save:
            self.complete()

    def _on_save_failed(self, exc: BaseException) -> None:
        if self._closing:  # a late answer after a lock or a discard
            return
        closing = self._close_after_save
        self._saving, self._dirty, self._save_again = False, True, False
        self._close_after_save = self._complete_after_save = False
        self._refused(exc)
        self._show_text(_("The draft was not saved."))
        if closing:  # the worker may still leave: the refusal is named in the question
            self._confirm_discard(_("The draft could not be saved: %(reason)s Close without "
                                    "saving?") % {"reason": self.error.text()})

    # -- completing and correcting -----------------------------------------------------

    def complete(self) -> None:
        """Complete and sign (Ctrl+Return), or save the correction in correction mode."""
        self.form.meetings.commit_pending()
        self._timer.stop()
        if self.context is None:
            return
        if self._saving:  # an autosave is on its way: complete right after it
            self._complete_after_save = True
            return
        self._complete_after_save = False
        if self.correct:
            self._correct()
            return
        if not self.form.social_service():
            self._need_service(point=True)
            return
        self._saving, self._dirty = True, False
        args = self._draft_args()
        self.ws.call(save_and_complete, **args, client=self.client_id, parent=self,
                     busy=_("Signing the plan…"), on_done=self._on_completed,
                     on_error=self._on_save_failed)

    def _on_completed(self, result: tuple[DocumentRecord, CarebookError | None]) -> None:
        if self._closing:  # a late answer after a lock or a discard
            return
        record, refusal = result
        self._saving = False
        self.document = record
        self.plan_type.setEnabled(False)
        self.ws.documents_changed.emit(self.client_id)
        if refusal is not None:
            self._refused(refusal)
            self._show_status(_("Not completed. Draft saved at %(time)s"), record.updated_at)
            return
        self._close_now(accepted=True)

    def _correct(self) -> None:
        from carebook.model.services import plans

        reason = self.reason.currentData()
        if not reason:
            self.error.show_text(_("Choose the reason for the correction."))
            self.reason.setFocus()
            return
        assert self.document is not None
        self._saving = True
        self.ws.call(plans.correct_plan, document_id=self.document.id, plan=self.form.plan(),
                     reason=reason, client=self.client_id, parent=self,
                     busy=_("Saving the correction…"), on_done=self._on_corrected,
                     on_error=self._on_correct_failed)

    def _on_corrected(self, record: DocumentRecord) -> None:
        if self._closing:  # a late answer after a lock or a discard
            return
        self._saving = False
        self.document = record
        self.ws.documents_changed.emit(self.client_id)
        self._close_now(accepted=True)

    def _on_correct_failed(self, exc: BaseException) -> None:
        if self._closing:  # a late answer after a lock or a discard
            return
        self._saving = False
        self._refused(exc)

    def _refused(self, exc: BaseException) -> None:
        """Show a refusal in place and point at the section that holds the field."""
        self.error.show_error(exc)
        reason_field = field_label(N_("correction reason"))
        if isinstance(exc, CarebookError) and exc.params.get("field") == reason_field:
            self.reason.setFocus()
            return
        tab = tab_for_error(exc)
        if tab is not None:
            self.form.show_section(tab, exc)

    # -- status and closing ------------------------------------------------------------

    def _show_status(self, template: str, when: datetime) -> None:
        local = when.astimezone() if when.tzinfo is not None else when
        self._show_text(template % {"time": f"{local:%H:%M}"})

    def _show_text(self, text: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleName(text)

    def reject(self) -> None:
        """Close; a draft with unsaved changes is saved first (nothing typed is lost)."""
        if self._closing:
            return
        if self.correct and self._dirty:
            self._confirm_discard(_("Close without saving the correction?"))
            return
        if self.correct or not (self._dirty or self._saving) or self.context is None:
            self._close_now()
            return
        if not self.form.social_service():
            self._confirm_discard(_("A draft is saved only once the social service is chosen. "
                                    "Close without saving what you wrote?"))
            return
        self._close_after_save = True
        self._show_text(_("Saving the draft before closing…"))
        if not self._saving:
            self.save_now()

    def _confirm_discard(self, question: str) -> None:
        """Ask before closing with content that cannot be kept (Esc keeps editing)."""
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(), question,
                          QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("discardPlan")
        box.button(QMessageBox.StandardButton.Discard).setText(_("Close without saving"))
        box.button(QMessageBox.StandardButton.Cancel).setText(_("Keep editing"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda b: b is box.button(QMessageBox.StandardButton.Discard)
                                  and self._close_now())
        self.discard_box = box
        box.open()

    def _close_now(self, *, accepted: bool = False) -> None:
        if self._closing:
            return
        self._closing = True
        self._timer.stop()
        self.ws.locked.disconnect(self._close_now)
        self.ws.locking.disconnect(self._keep_on_lock)
        self.ws.save_settings(self.ws.settings.with_geometry(GEOMETRY, bytes(
            self.saveGeometry().data())), notify=False)
        if accepted:
            super().accept()
        else:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._closing:
            event.accept()
            return
        event.ignore()
        self.reject()


__all__ = ["PlanContext", "PlanEditor", "open_plan_editor"]
