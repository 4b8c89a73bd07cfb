"""Service start and service end (rules-documents E10, RAR-9, §5 "Start and end service buttons").

Each writes the start or end note and records the actual date the service de facto started or
ended; the end needs its grounds. The services check the rest (code validity on the start day,
MSG-18; the end not before the start; a service ends once).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import N_, _, current_language
from carebook.model import codesets
from carebook.model.collation import sort_key
from carebook.model.records import CaseRecord, ServiceRecord
from carebook.model.services import cases, social_services
from carebook.ui import texts
from carebook.ui.errors import ErrorLabel, focus_on, names_field
from carebook.ui.restriction_form import from_qdate, make_date_edit

MAX_GROUNDS = 2000  # social_services.end_service: grounds for ending, at most 2000 characters
_BASES = (("decision", N_("Decision")), ("voucher", N_("Service voucher")),
          ("contract", N_("Contract")))  # rules-documents E7


def open_service_start(parent: QWidget | None, ws: Any, *, client_id: int) -> QDialog:
    """Record that a social service started for the client (non-blocking; returns the dialog)."""
    dialog = ServiceStartDialog(parent, ws, client_id=client_id)
    dialog.open()
    dialog.load()
    return dialog


def open_service_end(parent: QWidget | None, ws: Any, *, client_id: int,
                     service: ServiceRecord | None = None) -> QDialog:
    """Record that one of the client's open services ended (non-blocking; returns the dialog)."""
    dialog = ServiceEndDialog(parent, ws, client_id=client_id, service=service)
    dialog.open()
    dialog.load()
    return dialog


def service_name(key: str) -> str:
    return texts.code_name(codesets.SOCIAL_SERVICE, key)


class _ServiceDialog(QDialog):
    """Shared frame: a form, an in-place error line and the action and cancel buttons."""

    def __init__(self, parent: QWidget | None, ws: Any, *, client_id: int, name: str,
                 title: str, action: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        # Kept after closing so callers can read the outcome; as a child of the main window it
        # is destroyed with it on lock, taking what it showed of the client along.
        self.setWindowTitle(title)
        self.ws = ws
        self.client_id = client_id
        self.result_record: ServiceRecord | None = None
        self._busy = False
        self._loaded = False
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # room for messages
        self.intro = QLabel("")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(self.form)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        self.action_button = QPushButton(action)
        self.action_button.setObjectName("serviceAction")
        self.action_button.setAutoDefault(False)
        self.action_button.clicked.connect(self._on_action)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        row.addWidget(self.action_button)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)

    def add_row(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        label.setWordWrap(True)
        self.form.addRow(label, widget)
        return label

    def update_button(self) -> None:
        self.action_button.setEnabled(self._loaded and not self._busy and self.ready())

    def ready(self) -> bool:
        return True

    def _on_action(self) -> None:
        if not self.action_button.isEnabled():
            return
        self.error.clear_error()
        self._busy = True
        self.update_button()
        self.run()

    def run(self) -> None:
        """Call the service; each dialog defines it."""
        raise NotImplementedError

    def done_with(self, record: ServiceRecord) -> None:
        self.result_record = record
        self.ws.documents_changed.emit(self.client_id)
        self.accept()

    def failed(self, exc: BaseException) -> None:
        self._busy = False
        self.update_button()
        self.error.show_error(exc)
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        focus_on(self.field_for(exc))

    def field_for(self, exc: BaseException) -> QWidget | None:
        """The field a refusal is about: the cursor goes there, not to Cancel."""
        return None


class ServiceStartDialog(_ServiceDialog):
    """Social service, actual start date, optional note text, basis and (if several) case."""

    def __init__(self, parent: QWidget | None, ws: Any, *, client_id: int) -> None:
        super().__init__(parent, ws, client_id=client_id, name="serviceStartDialog",
                         title=_("Service start"), action=_("&Record the start"))
        self.intro.setText(_("Record the day the service actually started. A start note is "
                             "written and signed, and it is visible to the client in MyKanta."))
        self.service = QComboBox()
        self.service.setObjectName("socialService")
        self.service.setAccessibleName(_("Social service"))
        self._codes = sorted(social_services.service_codes(language=current_language()),
                             key=lambda c: sort_key(c[1]))
        self._case_tasks: dict[int, str] = {}
        self._fill_services(None)
        self.service.currentIndexChanged.connect(self.update_button)
        self.add_row(_("Social &service:"), self.service)
        self.start = make_date_edit("startDate")
        self.start.setAccessibleName(_("Start date"))
        self.add_row(_("Started &on:"), self.start)
        self.basis = QComboBox()
        self.basis.setObjectName("serviceBasis")
        self.basis.setAccessibleName(_("Basis of the service"))
        self.basis.addItem(_("(not given)"), None)
        for key, name in _BASES:
            self.basis.addItem(_(name), key)
        self.add_row(_("&Basis:"), self.basis)
        self.case = QComboBox()
        self.case.setObjectName("serviceCase")
        self.case.setAccessibleName(_("Case"))
        self.case_label = self.add_row(_("C&ase:"), self.case)
        self.case.setVisible(False)
        self.case_label.setVisible(False)
        self.text = QLineEdit()
        self.text.setObjectName("startText")
        self.text.setAccessibleName(_("Text of the start note"))
        self.text.setPlaceholderText(_("Optional; a standard sentence is used when empty"))
        self.add_row(_("Note &text:"), self.text)
        self.setTabOrder(self.service, self.start)
        self.setTabOrder(self.start, self.basis)
        self.setTabOrder(self.basis, self.case)
        self.setTabOrder(self.case, self.text)
        self.setTabOrder(self.text, self.action_button)
        self.resize(640, self.sizeHint().height())
        self.update_button()

    def load(self) -> None:
        """List the client's open cases; the case is asked only when there are several."""
        self.ws.call(cases.list_cases, client_id=self.client_id, on_done=self._cases,
                     on_error=lambda _exc: self._cases([]), parent=self, client=self.client_id)

    def _cases(self, rows: list[CaseRecord]) -> None:
        open_cases = [c for c in rows if c.status == "open"]
        for c in open_cases:
            # The case by its service task and opening day; the code (an OID) as a tooltip.
            self.case.addItem(_("%(task)s, opened %(date)s") % {
                "task": texts.code_name(codesets.SERVICE_TASK, c.service_task),
                "date": texts.day(c.opened_at.date())}, c.id)
            self.case.setItemData(self.case.count() - 1, c.case_code or "",
                                  Qt.ItemDataRole.ToolTipRole)
            self._case_tasks[c.id] = c.service_task
        several = len(open_cases) > 1
        self.case.setVisible(several)
        self.case_label.setVisible(several)
        self.case.currentIndexChanged.connect(self._on_case)
        self._on_case()
        self._loaded = True
        self.update_button()
        self.service.setFocus()

    def field_for(self, exc: BaseException) -> QWidget | None:
        if getattr(exc, "code", "") == "start_too_far_ahead":
            return self.start
        if names_field(exc, N_("social service")) or getattr(exc, "code", "") == (
                "service_running"):
            return self.service
        return self.text if names_field(exc, N_("text")) else None

    def _on_case(self) -> None:
        self._fill_services(self._case_tasks.get(self.case.currentData()))

    def _fill_services(self, service_task: str | None) -> None:
        """The services of the case's service task first (a care home's list starts with the
        services for older people, table 6.3.2), then the other valid services."""
        chosen = self.service.currentData()
        ours = codesets.social_services_of_task(service_task) if service_task else frozenset()
        groups = [(texts.code_name(codesets.SERVICE_TASK, service_task or ""),
                   [c for c in self._codes if c[0] in ours]),
                  (_("Other services"), [c for c in self._codes if c[0] not in ours])]
        self.service.blockSignals(True)
        self.service.clear()
        self.service.addItem(_("(choose the service)"), "")
        for heading, codes in groups:
            if not codes:
                continue
            if len(codes) < len(self._codes):  # a heading only when the list is split
                self.service.addItem(f"— {heading} —", None)
                header = self.service.model().item(self.service.count() - 1)  # type: ignore[attr-defined]
                header.setEnabled(False)
            for key, name in codes:
                self.service.addItem(name, key)
        self.service.setCurrentIndex(max(0, self.service.findData(chosen)) if chosen else 0)
        self.service.blockSignals(False)
        self.update_button()

    def ready(self) -> bool:
        return bool(self.service.currentData())

    def run(self) -> None:
        self.ws.call(social_services.start_service, client_id=self.client_id,
                     social_service=str(self.service.currentData()),
                     start_on=from_qdate(self.start.date()), text=self.text.text(),
                     basis=self.basis.currentData(),
                     case_id=self.case.currentData() if self.case.isVisible() else None,
                     on_done=self.done_with, on_error=self.failed, parent=self,
                     client=self.client_id, busy=_("Recording the start…"))


class ServiceEndDialog(_ServiceDialog):
    """One of the client's open services, actual end date, grounds (required) and text."""

    def __init__(self, parent: QWidget | None, ws: Any, *, client_id: int,
                 service: ServiceRecord | None) -> None:
        super().__init__(parent, ws, client_id=client_id, name="serviceEndDialog",
                         title=_("Service end"), action=_("&Record the end"))
        self.preselected = service
        self.intro.setText(_("Record the day the service actually ended and why. An end note "
                             "is written and signed, and it is visible to the client in "
                             "MyKanta."))
        self.service = QComboBox()
        self.service.setObjectName("openServices")
        self.service.setAccessibleName(_("Service that ended"))
        self.service.currentIndexChanged.connect(self.update_button)
        self.add_row(_("&Service:"), self.service)
        self.end = make_date_edit("endDate")
        self.end.setAccessibleName(_("End date"))
        self.add_row(_("Ended &on:"), self.end)
        self.grounds = QPlainTextEdit()
        self.grounds.setObjectName("endGrounds")
        self.grounds.setAccessibleName(_("Grounds for ending (required)"))
        self.grounds.setTabChangesFocus(True)
        self.grounds.setPlaceholderText(_("Why the service ended, e.g. moved to another "
                                          "municipality"))
        self.grounds.setFixedHeight(self.grounds.fontMetrics().lineSpacing() * 4 + 12)
        self.grounds.textChanged.connect(self.update_button)
        self.add_row(_("&Grounds (required):"), self.grounds)
        self.text = QLineEdit()
        self.text.setObjectName("endText")
        self.text.setAccessibleName(_("Text of the end note"))
        self.text.setPlaceholderText(_("Optional; a standard sentence is used when empty"))
        self.add_row(_("Note &text:"), self.text)
        self.setTabOrder(self.service, self.end)
        self.setTabOrder(self.end, self.grounds)
        self.setTabOrder(self.grounds, self.text)
        self.setTabOrder(self.text, self.action_button)
        self.resize(640, self.sizeHint().height())
        self.update_button()

    def load(self) -> None:
        self.ws.call(social_services.list_services, client_id=self.client_id,
                     on_done=self._services, on_error=self.failed, parent=self,
                     client=self.client_id)

    def _services(self, rows: list[ServiceRecord]) -> None:
        running = [s for s in rows if s.actual_end is None]
        for s in running:
            self.service.addItem(_("%(service)s, since %(date)s") % {
                "service": service_name(s.social_service), "date": texts.day(s.actual_start)},
                s.id)
        if self.preselected is not None:
            self.service.setCurrentIndex(max(self.service.findData(self.preselected.id), 0))
        if not running:
            self.error.show_text(_("The client has no service that is still running."))
        self._loaded = True
        self.update_button()
        self.grounds.setFocus()

    def field_for(self, exc: BaseException) -> QWidget | None:
        if names_field(exc, N_("service")):  # the end before the start
            return self.end
        if names_field(exc, N_("grounds for ending")):
            return self.grounds
        return self.text if names_field(exc, N_("text")) else None

    def ready(self) -> bool:
        return self.service.currentData() is not None and bool(
            self.grounds.toPlainText().strip())

    def run(self) -> None:
        self.ws.call(social_services.end_service, service_id=int(self.service.currentData()),
                     end_on=from_qdate(self.end.date()), grounds=self.grounds.toPlainText(),
                     text=self.text.text(), on_done=self.done_with, on_error=self.failed,
                     parent=self, client=self.client_id, busy=_("Recording the end…"))
