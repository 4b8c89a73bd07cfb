"""MyKanta visibility panel of a document (rules-documents §3.6, §4.1.18-20, §5 "UI implications").

A collapsible group: *hide from MyKanta until* a date, *special content* (never shown), the
reason codes a person must give for either (§4.1.19), optional grounds in text (at most 500
characters) and, for a client under 18, the guardian visibility code (table 5.4.1, default 1,
MSG-17) with its grounds and refusal reason. The form only collects what
:class:`~carebook.model.records.Restriction` holds; ``restrictions.validate`` in the services
decides what is acceptable and the dialog shows its refusal in place.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import N_, _, current_language
from carebook.model import clock, codesets
from carebook.model.records import Restriction
from carebook.ui.errors import names_field

MAX_GROUNDS = 500  # rules-documents Table 5.3.1: *Motivering i textform*, max 500 characters
GUARDIAN_DEFAULT = "1"
_LOCALES = {"fi": (QLocale.Language.Finnish, QLocale.Country.Finland),
            "sv": (QLocale.Language.Swedish, QLocale.Country.Finland),
            "en": (QLocale.Language.English, QLocale.Country.UnitedKingdom)}


def ui_locale() -> QLocale:
    """The QLocale of the current language (dates in the language's own short form)."""
    language, country = _LOCALES.get(current_language(), _LOCALES["en"])
    return QLocale(language, country)


def make_date_edit(object_name: str, *, value: date | None = None) -> QDateEdit:
    """A date field in the current language's format with a calendar popup."""
    edit = QDateEdit()
    edit.setObjectName(object_name)
    locale = ui_locale()
    edit.setLocale(locale)
    edit.setDisplayFormat(locale.dateFormat(QLocale.FormatType.ShortFormat)
                          .replace("yy", "yyyy").replace("yyyyyyyy", "yyyy"))
    edit.setCalendarPopup(True)
    edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("00.00.00000") + 48)
    edit.setDate(to_qdate(value or clock.today()))
    return edit


def _tomorrow() -> date:
    return clock.today() + timedelta(days=1)


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class RestrictionForm(QWidget):
    """MyKanta restrictions of one document; ``restriction()`` is None when nothing is set.

    Signals:
        changed: any field changed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, minor: bool) -> None:
        super().__init__(parent)
        self.setObjectName("restrictionForm")
        self._minor = minor
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.toggle = QToolButton()
        self.toggle.setObjectName("restrictionToggle")
        self.toggle.setText(_("MyKanta visibility and restrictions"))
        self.toggle.setAccessibleName(_("Show or hide the MyKanta restrictions"))
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.toggled.connect(self.set_expanded)
        outer.addWidget(self.toggle)
        self.body = QWidget()
        self.body.setObjectName("restrictionBody")
        outer.addWidget(self.body)
        self._build_body()
        self.set_expanded(False)

    # -- building -----------------------------------------------------------------------

    def _build_body(self) -> None:
        form = QFormLayout(self.body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        intro = QLabel(_("Completed entries are shown to the client in MyKanta. Restrict only "
                         "after your own assessment, and give a reason."))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.delay_check = QCheckBox(_("Hide from &MyKanta until"))
        self.delay_check.setObjectName("delayCheck")
        # A delay ends on a day still to come (rules-documents 3.6): tomorrow is the default.
        self.delay_date = make_date_edit("delayDate", value=_tomorrow())
        self.delay_date.setAccessibleName(_("Hide from MyKanta until"))
        self.delay_date.setEnabled(False)
        self.delay_check.toggled.connect(self.delay_date.setEnabled)
        delay_row = QHBoxLayout()
        delay_row.addWidget(self.delay_check)
        delay_row.addWidget(self.delay_date)
        delay_row.addStretch(1)
        form.addRow(delay_row)
        self.special_check = QCheckBox(_("S&pecial content: never show in MyKanta "
                                         "(needs a legal ground)"))
        self.special_check.setObjectName("specialContentCheck")
        form.addRow(self.special_check)
        self.reasons = QListWidget()
        self.reasons.setObjectName("restrictionReasons")
        self.reasons.setAccessibleName(_("Reasons for the restriction"))
        self.reasons.setWordWrap(True)
        self.reasons.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for key, name in codesets.valid_codes(codesets.MYKANTA_RESTRICTION_REASON,
                                              on=clock.today(), language=current_language()):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.reasons.addItem(item)
        # Six reasons, some wrapping to two lines: room for all without scrolling.
        self.reasons.setMinimumHeight(self.reasons.sizeHintForRow(0) * 8 + 8)
        reasons_label = QLabel(_("Re&asons (at least one when hiding):"))
        reasons_label.setBuddy(self.reasons)
        reasons_label.setWordWrap(True)
        form.addRow(reasons_label, self.reasons)
        self.text = QLineEdit()
        self.text.setObjectName("restrictionText")
        self.text.setAccessibleName(_("Grounds in text"))
        self.text.setMaxLength(MAX_GROUNDS)
        text_label = QLabel(_("Grounds &in text:"))
        text_label.setBuddy(self.text)
        form.addRow(text_label, self.text)
        for widget in (self.delay_check, self.special_check):
            widget.toggled.connect(self.changed)
        self.delay_date.dateChanged.connect(self.changed)
        self.reasons.itemChanged.connect(self.changed)
        self.text.textChanged.connect(self.changed)
        if self._minor:
            self._build_guardian(form)

    def _build_guardian(self, form: QFormLayout) -> None:
        note = QLabel(_("The client is under 18. Guardians see the entry unless you choose "
                        "otherwise; a producer may not decide this alone."))
        note.setObjectName("guardianNote")
        note.setWordWrap(True)
        form.addRow(note)
        self.guardian = QComboBox()
        self.guardian.setObjectName("guardianCode")
        self.guardian.setAccessibleName(_("Shown to guardians"))
        for key, name in codesets.valid_codes(codesets.GUARDIAN_DISCLOSURE, on=clock.today(),
                                              language=current_language()):
            self.guardian.addItem(name, key)
        guardian_label = QLabel(_("Sho&wn to guardians:"))
        guardian_label.setBuddy(self.guardian)
        form.addRow(guardian_label, self.guardian)
        self.guardian_text = QLineEdit()
        self.guardian_text.setObjectName("guardianText")
        self.guardian_text.setAccessibleName(_("Grounds for the guardians' visibility"))
        self.guardian_text.setMaxLength(MAX_GROUNDS)
        g_label = QLabel(_("Gro&unds (needed for 2 and 3):"))
        g_label.setBuddy(self.guardian_text)
        form.addRow(g_label, self.guardian_text)
        self.refusal = QComboBox()
        self.refusal.setObjectName("guardianRefusal")
        self.refusal.setAccessibleName(_("Why the minor's prohibition is not followed"))
        self.refusal.addItem(_("(choose)"), "")
        for key, name in codesets.valid_codes(codesets.GUARDIAN_REFUSAL_REASON,
                                              on=clock.today(), language=current_language()):
            self.refusal.addItem(name, key)
        r_label = QLabel(_("Refusa&l reason:"))
        r_label.setBuddy(self.refusal)
        form.addRow(r_label, self.refusal)
        self.guardian.currentIndexChanged.connect(self._guardian_changed)
        self.guardian_text.textChanged.connect(self.changed)
        self.refusal.currentIndexChanged.connect(self.changed)
        self._guardian_changed()

    def _guardian_changed(self) -> None:
        code = self.guardian.currentData()
        self.guardian_text.setEnabled(code != GUARDIAN_DEFAULT)
        self.refusal.setEnabled(code == "3")  # refusal reason only for code 3 (table 5.4.1)
        self.changed.emit()

    # -- public -------------------------------------------------------------------------

    @property
    def minor(self) -> bool:
        return self._minor

    def is_expanded(self) -> bool:
        return self.body.isVisible() if self.isVisible() else not self.body.isHidden()

    def set_expanded(self, expanded: bool) -> None:
        """Open or fold the group (the toggle button shows the state)."""
        self.toggle.blockSignals(True)
        self.toggle.setChecked(expanded)
        self.toggle.blockSignals(False)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded
                                 else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    def _checked_reasons(self) -> tuple[str, ...]:
        return tuple(str(item.data(Qt.ItemDataRole.UserRole))
                     for item in (self.reasons.item(i) for i in range(self.reasons.count()))
                     if item.checkState() == Qt.CheckState.Checked)

    def field_for(self, exc: BaseException) -> QWidget | None:
        """The control a refusal of this restriction is about (the panel opens for it)."""
        code = getattr(exc, "code", "")
        widget: QWidget | None = None
        if code == "delay_not_future":
            widget = self.delay_date
        elif code == "restriction_reason" or names_field(exc, N_("restriction reason")):
            widget = self.reasons
        if widget is not None:
            self.set_expanded(True)
        return widget

    def restriction(self) -> Restriction | None:
        """What the user set, or None when nothing differs from the defaults."""
        delay = from_qdate(self.delay_date.date()) if self.delay_check.isChecked() else None
        text = self.text.text().strip() or None
        guardian, g_text, refusal = None, None, None
        if self._minor:
            guardian = str(self.guardian.currentData())
            if guardian != GUARDIAN_DEFAULT:
                g_text = self.guardian_text.text().strip() or None
                refusal = (str(self.refusal.currentData()) or None) if guardian == "3" else None
        r = Restriction(delay, self.special_check.isChecked(), self._checked_reasons(), text,
                        guardian, g_text, refusal)
        empty = Restriction(guardian_code=GUARDIAN_DEFAULT if self._minor else None)
        return None if r == empty else r

    def set_restriction(self, r: Restriction | None) -> None:
        """Show ``r`` (None clears the form); the group opens when anything is restricted."""
        r = r or Restriction()
        self.delay_check.setChecked(r.delay_until is not None)
        self.delay_date.setDate(to_qdate(r.delay_until or _tomorrow()))
        self.special_check.setChecked(r.special_content)
        for i in range(self.reasons.count()):
            item = self.reasons.item(i)
            chosen = item.data(Qt.ItemDataRole.UserRole) in r.reasons
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
        self.text.setText(r.text or "")
        if self._minor:
            index = self.guardian.findData(r.guardian_code or GUARDIAN_DEFAULT)
            self.guardian.setCurrentIndex(max(index, 0))
            self.guardian_text.setText(r.guardian_text or "")
            self.refusal.setCurrentIndex(max(self.refusal.findData(
                r.guardian_refusal_reason or ""), 0))
        restricted = self.restriction() is not None
        if restricted:
            self.set_expanded(True)

    def summary(self) -> str:
        """One line for a link or banner: what is restricted, in plain words."""
        r = self.restriction()
        if r is None:
            return _("No restrictions: the client sees the completed entry in MyKanta.")
        parts = []
        if r.special_content:
            parts.append(_("never shown in MyKanta (special content)"))
        elif r.delay_until is not None:
            parts.append(_("hidden from MyKanta until %(date)s")
                         % {"date": self.delay_date.text()})
        if self._minor and r.guardian_code not in (None, GUARDIAN_DEFAULT):
            parts.append(_("guardians' visibility restricted"))
        if not parts:
            parts.append(_("restriction details given"))
        return _("Restricted: %(what)s.") % {"what": "; ".join(parts)}
