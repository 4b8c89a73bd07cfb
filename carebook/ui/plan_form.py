"""The sections of the implementation-plan form (rules-documents E11), as tabs.

Meetings · Client's situation · Service (with the person responsible) · Goals · Review · MyKanta
visibility. The review of the previous plan sits on its own tab and is offered only when an
earlier completed plan of the same service exists (E11, L22900-22922: "review-only fields on a
separate tab that can be skipped for the first plan"). The view only builds widgets and converts
to and from :class:`PlanContent`; the editor (:mod:`carebook.ui.plan_editor`) does the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from carebook.errors import CarebookError
from carebook.i18n import N_, _, current_language
from carebook.model import clock, codesets, collation
from carebook.model.records import (
    CaseRecord,
    DocumentRecord,
    PlanContent,
    PreviousPlanReview,
    Restriction,
    ServiceRecord,
)
from carebook.model.validation import field_label
from carebook.ui import texts
from carebook.ui.goals_editor import GoalsEditor, labelled
from carebook.ui.meetings_editor import MeetingsEditor, date_edit, to_date
from carebook.ui.restriction_form import RestrictionForm

if TYPE_CHECKING:
    from carebook.ui.plan_calls import PlanContext

MEETINGS, SITUATION, SERVICE, GOALS, REVIEW, VISIBILITY = range(6)
# The previous-plan assessment: the national classification is still "under construction"
# (rules-documents E11 L23030-23058), so carebook offers three plain keys.
ASSESSMENTS = (("achieved", N_("Achieved")), ("partly_achieved", N_("Partly achieved")),
               ("not_achieved", N_("Not achieved")))
# Field names the services put in their messages (plan_content.validate) → section.
_FIELD_SECTIONS = {
    N_("social service"): SERVICE, N_("person responsible"): SERVICE,
    N_("meeting place"): MEETINGS, N_("participant name"): MEETINGS,
    N_("participant role"): MEETINGS, N_("goal name"): GOALS, N_("goal"): GOALS,
    N_("next review date"): REVIEW, N_("review"): REVIEW, N_("plan"): SITUATION,
}
_CODE_SECTIONS = {"plan_empty": SITUATION, "no_previous_plan": REVIEW, "choose_case": SERVICE,
                  "meeting_without_participants": MEETINGS,
                  "not_member": SERVICE}


def tab_for_error(exc: BaseException) -> int | None:
    """The section holding the field a service refusal names, if it can be told."""
    if not isinstance(exc, CarebookError):
        return None
    if exc.code in _CODE_SECTIONS:
        return _CODE_SECTIONS[exc.code]
    named = exc.params.get("field")
    return next((tab for f, tab in _FIELD_SECTIONS.items() if field_label(f) == named), None)


def latest_service(services: Sequence[ServiceRecord]) -> ServiceRecord | None:
    """The service a new plan is most likely for: the running one, else the one that started
    last, even if it has ended (E11: a plan is often finished just after the service ends)."""
    running = [s for s in services if s.actual_end is None]
    return max(running or services, key=lambda s: (s.actual_start, s.id), default=None)


def text_box(name: str, accessible: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setObjectName(name)
    box.setAccessibleName(accessible)
    box.setTabChangesFocus(True)
    return box


def note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


class OptionalDate(QWidget):
    """A date that may be left out: a check box switches the date field on."""

    def __init__(self, name: str, accessible: str, check_text: str) -> None:
        super().__init__()
        self.check = QCheckBox(check_text)
        self.check.setObjectName(name + "Set")
        self.check.setAccessibleName(_("%(field)s given") % {"field": accessible})
        self.date = date_edit(name, accessible)
        self.date.setEnabled(False)
        self.check.toggled.connect(self.date.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.date)
        layout.addStretch(1)
        self.setFocusProxy(self.check)

    def value(self):  # type: ignore[no-untyped-def]
        return to_date(self.date.date()) if self.check.isChecked() else None

    def set_value(self, value) -> None:  # type: ignore[no-untyped-def]
        self.check.setChecked(value is not None)
        if value is not None:
            self.date.setDate(QDate(value))


class PlanForm(QWidget):
    """The plan's sections.

    Signals:
        changed(): the worker changed anything in the plan.
        case_changed(): another case was chosen (the plan type follows its service task).
        previous_changed(bool): whether an earlier plan of the chosen service exists.
    """

    changed = Signal()
    case_changed = Signal()
    previous_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, correct: bool = False) -> None:
        super().__init__(parent)
        self.correct = correct
        self.context: PlanContext | None = None
        self.document: DocumentRecord | None = None
        self.restrictions: RestrictionForm | None = None
        self.previous: DocumentRecord | None = None
        self.tabs = QTabWidget()
        self.tabs.setObjectName("planSections")
        self.tabs.setAccessibleName(_("Sections of the plan"))
        self.meetings = MeetingsEditor()
        self.goals = GoalsEditor()
        for page, title in ((self.meetings, _("M&eetings")), (self._situation_page(),
                            _("Client's &situation")), (self._service_page(), _("Ser&vice")),
                            (self.goals, _("G&oals")), (self._review_page(), _("&Review")),
                            (self._visibility_page(), _("My&Kanta visibility"))):
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.addWidget(page)
            self.tabs.addTab(holder, title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self._connect()

    # -- pages -------------------------------------------------------------------------

    def _situation_page(self) -> QWidget:
        self.situation = text_box("clientSituation", _("Client's situation"))
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(labelled(_("&Description of the client's situation:"), self.situation))
        box.addWidget(note(_("In the first plan, describe the situation now; in a later plan, "
                             "what has changed since the previous plan.")))
        box.addWidget(self.situation, 1)
        return page

    def _service_page(self) -> QWidget:
        self.case = QComboBox()
        self.case.setObjectName("planCase")
        self.case.setAccessibleName(_("Case"))
        self.service = QComboBox()
        self.service.setObjectName("socialService")
        self.service.setAccessibleName(_("Social service"))
        self.service.setEditable(True)
        self.service.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.service.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.service.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.service.lineEdit().setPlaceholderText(_("Type to search the services"))
        self.start = OptionalDate("serviceStart", _("Service start date"), _("Kno&wn:"))
        self.description = text_box("serviceDescription", _("Content and implementation"))
        self.current = text_box("currentServices", _("Services the client gets now"))
        self.responsible = QLineEdit()
        self.responsible.setObjectName("responsiblePerson")
        self.responsible.setAccessibleName(_("Person responsible for the service"))
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.case_label = labelled(_("C&ase:"), self.case)
        form.addRow(self.case_label, self.case)
        form.addRow(labelled(_("Social service &planned:"), self.service), self.service)
        form.addRow(labelled(_("Service start date:"), self.start), self.start)
        form.addRow(labelled(_("Content and &implementation of the service:"),
                             self.description), self.description)
        form.addRow(labelled(_("Services the client gets &now:"), self.current), self.current)
        form.addRow(labelled(_("Person responsi&ble for the service:"), self.responsible),
                    self.responsible)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        return page

    def _review_page(self) -> QWidget:
        self.next_review = OptionalDate("nextReview", _("Next review date"), _("Se&t:"))
        self.assessment = QComboBox()
        self.assessment.setObjectName("reviewAssessment")
        self.assessment.setAccessibleName(_("Assessment"))
        self.assessment.addItem(_("Not assessed"), None)
        for key, name in ASSESSMENTS:
            self.assessment.addItem(_(name), key)
        self.assessment_text = text_box("reviewText", _("Assessment in words"))
        self.experience = text_box("clientExperience", _("The client's experience"))
        self.review_group = QGroupBox(_("How the goals of the previous plan were met"))
        self.review_group.setObjectName("reviewGroup")
        group = QFormLayout(self.review_group)
        group.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        group.addRow(labelled(_("&Assessment:"), self.assessment), self.assessment)
        group.addRow(labelled(_("Assessment in &words:"), self.assessment_text),
                     self.assessment_text)
        group.addRow(labelled(_("The client's e&xperience of the service:"), self.experience),
                     self.experience)
        self.first_note = note(_("This is the first plan of this service. How its goals were "
                                 "met is written in the next plan, at the review."))
        self.first_note.setObjectName("firstPlanNote")
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        top = QFormLayout()
        top.addRow(labelled(_("Next review date:"), self.next_review), self.next_review)
        box.addLayout(top)
        box.addWidget(self.first_note)
        box.addWidget(self.review_group, 1)
        box.addStretch(0)  # takes the space while the review group is hidden (first plan)
        return page

    def _visibility_page(self) -> QWidget:
        """Filled once the client is known: guardian visibility applies to minors only."""
        self.visibility = QWidget()
        self.visibility_box = QVBoxLayout(self.visibility)
        self.visibility_box.setContentsMargins(0, 0, 0, 0)
        return self.visibility

    def _connect(self) -> None:
        for widget in (self.situation, self.description, self.current, self.assessment_text,
                       self.experience):
            widget.textChanged.connect(self.changed)
        self.responsible.textEdited.connect(self.changed)
        self.meetings.changed.connect(self.changed)
        self.goals.changed.connect(self.changed)
        for optional in (self.start, self.next_review):
            optional.check.toggled.connect(self.changed)
            optional.date.dateChanged.connect(self.changed)
        self.assessment.currentIndexChanged.connect(self.changed)
        self.service.currentIndexChanged.connect(self._on_service_changed)
        self.case.currentIndexChanged.connect(self._on_case_changed)

    # -- context -----------------------------------------------------------------------

    def set_context(self, context: PlanContext, *, document: DocumentRecord | None) -> None:
        """Fill the choosers from what the services returned (no ``changed`` signal)."""
        self.context, self.document = context, document
        self.blockSignals(True)
        self.case.clear()
        for case in context.cases:
            name = texts.code_name(codesets.SERVICE_TASK, case.service_task)
            self.case.addItem(f"{name} {case.case_code or ''}".strip(), case.id)
        chosen = next((i for i, c in enumerate(context.cases)
                       if document is not None and c.id == document.case_id), 0)
        self.case.setCurrentIndex(chosen if context.cases else -1)
        many = len(context.cases) > 1 and document is None
        self.case.setVisible(many)
        self.case_label.setVisible(many)
        self._fill_services(context, document)
        self._add_restriction_form(context.client.minor)
        self.blockSignals(False)
        self._update_review()

    def _fill_services(self, context: PlanContext, document: DocumentRecord | None) -> None:
        codes = codesets.valid_codes(codesets.SOCIAL_SERVICE, on=clock.today(),
                                     language=current_language())
        wanted = document.plan.social_service if document and document.plan else None
        latest = latest_service(context.services)
        if wanted is None and latest is not None:
            wanted = latest.social_service
            self.start.set_value(latest.actual_start)
        if wanted and wanted not in {k for k, _n in codes}:  # an expired code of an old plan
            codes.append((wanted, texts.code_name(codesets.SOCIAL_SERVICE, wanted)))
        self.service.clear()
        for key, name in sorted(codes, key=lambda c: collation.sort_key(c[1])):
            self.service.addItem(name, key)
        self.service.setCurrentIndex(self.service.findData(wanted) if wanted else -1)

    def _add_restriction_form(self, minor: bool) -> None:
        if self.restrictions is not None:
            return
        self.restrictions = RestrictionForm(self.visibility, minor=minor)
        self.restrictions.set_expanded(True)
        self.restrictions.toggle.hide()  # the tab is the group here
        self.visibility_box.addWidget(self.restrictions)
        if self.correct:  # plans.correct_plan keeps the plan's restrictions as they are
            self.restrictions.setEnabled(False)
            self.visibility_box.addWidget(note(_("A correction keeps the plan's MyKanta "
                                                 "restrictions.")))
        self.visibility_box.addStretch(1)
        self.restrictions.changed.connect(self.changed)

    def current_case(self) -> CaseRecord | None:
        if self.context is None or not self.context.cases:
            return None
        return self.context.cases[max(self.case.currentIndex(), 0)]

    def case_id(self) -> int | None:
        if self.document is not None:
            return self.document.case_id
        case = self.current_case()
        return case.id if case is not None and len(self.context.cases) > 1 else None  # type: ignore[union-attr]

    def _on_case_changed(self) -> None:
        self.case_changed.emit()
        self.changed.emit()

    def _on_service_changed(self) -> None:
        self._update_review()
        self.changed.emit()

    def _update_review(self) -> None:
        """E11: the previous plan's review only when an earlier plan of the service exists."""
        self.previous = self._previous_plan()
        doc = self.document
        earlier = self.previous is not None or (
            doc is not None and doc.plan is not None and doc.plan.previous_review is not None)
        self.review_group.setVisible(earlier)
        self.first_note.setVisible(not earlier)
        self.previous_changed.emit(self.previous is not None)

    def _previous_plan(self) -> DocumentRecord | None:
        """The newest completed plan of the chosen service other than this one."""
        service, doc = self.social_service(), self.document
        if self.context is None or not service:
            return None
        return next((p for p in self.context.plans  # newest first (the timeline's order)
                     if p.plan is not None and p.plan.social_service == service
                     and (doc is None or p.id != doc.id)), None)

    def copy_previous(self) -> None:
        """E11 (L22900-22910): start from the previous plan. Only empty fields are filled and
        goals only when none are written yet, so nothing typed is replaced."""
        if self.previous is None or self.previous.plan is None:
            return
        old, now = self.previous.plan, self.plan()
        self.blockSignals(True)
        for box, mine, theirs in ((self.situation, now.client_situation, old.client_situation),
                                  (self.description, now.service_description,
                                   old.service_description),
                                  (self.current, now.current_services, old.current_services)):
            if not mine:
                box.setPlainText(theirs)
        if not now.responsible_person:
            self.responsible.setText(old.responsible_person)
        if now.service_start is None:
            self.start.set_value(old.service_start)
        if not now.goals:
            self.goals.set_goals(old.goals)
        self.blockSignals(False)
        self.changed.emit()

    # -- content -----------------------------------------------------------------------

    def social_service(self) -> str:
        index = self.service.currentIndex()
        if index < 0 or self.service.currentText() != self.service.itemText(index):
            return ""
        return str(self.service.itemData(index) or "")

    def plan(self) -> PlanContent:
        """The plan as typed (the services validate it)."""
        review = None
        if not self.review_group.isHidden() and (
                self.assessment.currentData() or self.assessment_text.toPlainText().strip()
                or self.experience.toPlainText().strip()):
            review = PreviousPlanReview(self.assessment.currentData(),
                                        self.assessment_text.toPlainText().strip(),
                                        self.experience.toPlainText().strip())
        return PlanContent(
            social_service=self.social_service(), service_start=self.start.value(),
            service_description=self.description.toPlainText().strip(),
            responsible_person=self.responsible.text().strip(),
            client_situation=self.situation.toPlainText().strip(),
            current_services=self.current.toPlainText().strip(),
            meetings=self.meetings.meetings(), goals=self.goals.goals(),
            previous_review=review, next_review_on=self.next_review.value())

    def set_plan(self, plan: PlanContent) -> None:
        """Fill every field from ``plan`` (no ``changed`` signal)."""
        self.blockSignals(True)
        self.service.setCurrentIndex(self.service.findData(plan.social_service))
        self.start.set_value(plan.service_start)
        self.description.setPlainText(plan.service_description)
        self.responsible.setText(plan.responsible_person)
        self.situation.setPlainText(plan.client_situation)
        self.current.setPlainText(plan.current_services)
        self.meetings.set_meetings(plan.meetings)
        self.goals.set_goals(plan.goals)
        self.next_review.set_value(plan.next_review_on)
        review = plan.previous_review or PreviousPlanReview()
        self.assessment.setCurrentIndex(max(self.assessment.findData(review.assessment), 0))
        self.assessment_text.setPlainText(review.assessment_text)
        self.experience.setPlainText(review.client_experience)
        self.blockSignals(False)
        self._update_review()

    def restriction(self) -> Restriction:
        """The MyKanta restriction as set (the default: none)."""
        if self.restrictions is None:
            return Restriction()
        return self.restrictions.restriction() or Restriction()

    def set_restriction(self, restriction: Restriction) -> None:
        if self.restrictions is not None:
            self.restrictions.blockSignals(True)
            self.restrictions.set_restriction(restriction)
            self.restrictions.blockSignals(False)

    # -- pointing at a field -----------------------------------------------------------

    def first_field(self) -> QWidget:
        return self.tabs

    def show_section(self, tab: int, exc: BaseException) -> None:
        """Switch to ``tab`` and put the cursor where the refusal most likely points."""
        self.tabs.setCurrentIndex(tab)
        if tab == GOALS:
            unnamed = self.goals.first_unnamed()
            self.goals.select(unnamed if unnamed >= 0 else 0)
        elif tab == MEETINGS:
            self.meetings.select(next((i for i, m in enumerate(self.meetings.meetings())
                                       if not m.place), 0))
            self.meetings.place.setFocus()
        elif tab == SERVICE:
            self.service.setFocus()
        elif tab == SITUATION:
            self.situation.setFocus()
        elif tab == REVIEW:
            self.next_review.setFocus()
