"""The new-client dialog: a client, their first relationship at one of our units, and a case.

Everything is decided by :func:`carebook.model.services.clients.add_client` (identity code or
birth date, ID-13 temporary ID; RAR window RAR-8; organiser's case code RAR-11; AC-6 unit
access). The dialog collects the fields, shows a refusal in place and keeps what was typed.
Without an organiser the client is self-paying and recorded in the producer's own register.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from carebook.errors import ValidationError
from carebook.i18n import N_, _
from carebook.model import clock
from carebook.model.validation import field_label
from carebook.ui import texts
from carebook.ui.errors import ErrorLabel, focus_on, names_field
from carebook.ui.restriction_form import from_qdate, make_date_edit

# Refusals about the identity code, by error code: the cursor goes back to that field.
_HETU_CODES = frozenset({"invalid_hetu", "hetu_not_test", "hetu_test_in_production",
                         "client_exists", "hetu_birth_date"})


# Typed dates: the app's own forms (fi/sv 6.5.1940, en 06/05/1940) and ISO 1940-05-06.
_DMY = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class OptionalDateEdit(QLineEdit):
    """A date that may be left empty, typed as the worker would write it.

    A QDateEdit with a "not given" special value trapped Tab and turned a typed 6.5.1940 into
    nothing or 1900; a line edit keeps exactly what was typed, and :meth:`value` refuses what
    is not a date instead of saving something else.
    """

    def __init__(self, name: str, field: str, example: date) -> None:
        super().__init__()
        self.setObjectName(name)
        self.field = field  # an N_() name for the message
        self.example = example
        self.setPlaceholderText(_("not given (e.g. %(example)s)") % {
            "example": texts.day(example)})

    def value(self) -> date | None:
        """The date typed, None when empty.

        Raises:
            ValidationError: the text is not a real date.
        """
        text = self.text().strip()
        if not text:
            return None
        dmy, iso = _DMY.fullmatch(text), _ISO.fullmatch(text)
        try:
            if dmy:
                return date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
            if iso:
                return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            pass
        raise ValidationError(N_("%(field)s is not a date; write it like %(example)s."),
                              code="not_a_date", field=field_label(self.field),
                              example=texts.day(self.example))


def _text(edit: QLineEdit) -> str | None:
    return edit.text().strip() or None


class NewClientDialog(QDialog):
    """Collects a new client.

    Signals:
        added(int): the new client's id, after the store accepted it.
    """

    added = Signal(int)

    def __init__(self, parent: QWidget | None, ws: Any) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("newClientDialog")
        self.setWindowTitle(_("New client"))
        self.setMinimumWidth(600)  # the identity-code hint reads whole in fi and sv
        layout = QVBoxLayout(self)
        layout.addWidget(self._person())
        layout.addWidget(self._relationship())
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Add client"))
        self.ok.setObjectName("addClientButton")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self._on_add)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._load_choices()

    def _person(self) -> QGroupBox:
        box = QGroupBox(_("Client"))
        form = QFormLayout(box)
        self.first = self._line(form, "firstName", _("&First name:"))
        self.last = self._line(form, "lastName", _("&Last name:"))
        self.hetu = self._line(form, "hetu", _("&Identity code:"))
        self.hetu.setPlaceholderText(_("e.g. 010190-900X; leave empty if not known"))
        self.birth = OptionalDateEdit("birthDate", N_("birth date"), date(1940, 5, 6))
        form.addRow(self._label(_("&Birth date (without identity code):"), self.birth),
                    self.birth)
        self.address = self._line(form, "address", _("&Address:"))
        self.municipality = self._line(form, "municipality", _("&Municipality:"))
        self.phone = self._line(form, "phone", _("&Phone:"))
        self.prohibition = QCheckBox(_("&Security prohibition"))
        self.prohibition.setObjectName("securityProhibition")
        form.addRow(self.prohibition)
        # The explanation wraps on its own line; a checkbox label does not wrap and was cut.
        hint = QLabel(_("Address and phone are then hidden from staff without the right."))
        hint.setObjectName("prohibitionHint")
        hint.setWordWrap(True)
        self.prohibition.setToolTip(hint.text())
        form.addRow(hint)
        return box

    def _relationship(self) -> QGroupBox:
        box = QGroupBox(_("Client relationship"))
        form = QFormLayout(box)
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        form.addRow(self._label(_("Service &unit:"), self.unit), self.unit)
        self.organiser = QComboBox()
        self.organiser.setObjectName("organiser")
        # Wide enough for the longest choice ("Ei mitään: asiakas maksaa palvelun itse").
        self.organiser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.organiser.addItem(_("None: the client pays for the service themselves"), None)
        self.organiser.currentIndexChanged.connect(self._on_organiser)
        form.addRow(self._label(_("&Organiser (welfare area):"), self.organiser),
                    self.organiser)
        self.rar_start = make_date_edit("rarStart")  # today in Finland, as the services count
        self.rar_start.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.rar_end = OptionalDateEdit("rarEnd", N_("register access right end"),
                                        clock.today().replace(month=12, day=31))
        self.case_code = QLineEdit()
        self.case_code.setObjectName("caseCode")
        self.case_code.setPlaceholderText(_("from the organiser; may be added later"))
        self._rar_rows = [
            (self._label(_("Register access right &from:"), self.rar_start), self.rar_start),
            (self._label(_("Register access right &until:"), self.rar_end), self.rar_end),
            (self._label(_("Organiser's &case code:"), self.case_code), self.case_code),
        ]
        for label, field in self._rar_rows:
            form.addRow(label, field)
        self._on_organiser()
        return box

    def _line(self, form: QFormLayout, name: str, label: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        form.addRow(self._label(label, edit), edit)
        return edit

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        buddy.setAccessibleName(text.replace("&", "").rstrip(":"))
        return label

    def _load_choices(self) -> None:
        from carebook.model.services import organisers, units

        def got_units(rows: list[Any]) -> None:
            # The worker's own units first: adding a client elsewhere needs a special reason.
            mine = self.ws.staff.unit_ids if self.ws.staff is not None else frozenset()
            for unit in sorted((u for u in rows if u.active), key=lambda u: u.id not in mine):
                self.unit.addItem(unit.name, unit.oid)

        def got_organisers(rows: list[Any]) -> None:
            for org in rows:
                self.organiser.addItem(org.name, org.oid)

        self.ws.call(units.list_units, on_done=got_units, on_error=self.error.show_error)
        self.ws.call(organisers.list_organisers, on_done=got_organisers,
                     on_error=lambda _exc: None)  # no organisers yet: self-paying only

    def _on_organiser(self) -> None:
        under_rar = self.organiser.currentData() is not None
        for label, field in self._rar_rows:
            label.setVisible(under_rar)
            field.setVisible(under_rar)

    def _on_add(self) -> None:
        from carebook.model.services import clients

        self.error.clear_error()
        organiser = self.organiser.currentData()
        try:
            birth = self.birth.value()
            rar_end = self.rar_end.value() if organiser is not None else None
        except ValidationError as exc:
            self._on_refused(exc)
            return
        fields: dict[str, Any] = dict(
            first_name=self.first.text(), last_name=self.last.text(),
            unit_oid=self.unit.currentData() or "", hetu=_text(self.hetu),
            birth_date=birth, security_prohibition=self.prohibition.isChecked(),
            address=_text(self.address), municipality=_text(self.municipality),
            phone=_text(self.phone))
        if organiser is not None:
            fields.update(organiser_oid=organiser, rar_start=from_qdate(self.rar_start.date()),
                          rar_end=rar_end, case_code=_text(self.case_code))
        self.ok.setEnabled(False)
        self.ws.call(clients.add_client, on_done=self._on_added, on_error=self._on_refused,
                     parent=self, **fields)

    def _on_added(self, client: Any) -> None:
        self.ok.setEnabled(True)
        self.ws.clients_changed.emit()
        self.added.emit(client.id)
        self.accept()

    def _on_refused(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self.error.show_error(exc)
        focus_on(self._field_for(exc))

    def _field_for(self, exc: BaseException) -> QWidget | None:
        """The field a refusal is about, so the cursor lands where the fix is typed."""
        code = getattr(exc, "code", "")
        if code in _HETU_CODES:
            return self.hetu
        if code == "birth_in_future":
            return self.hetu if self.hetu.text().strip() else self.birth
        if code == "invalid_phone":
            return self.phone
        if code == "not_a_date":
            return self.birth if names_field(exc, N_("birth date")) else self.rar_end
        if code == "end_before_start":
            return self.rar_end
        for field, widget in ((N_("first name"), self.first), (N_("last name"), self.last),
                              (N_("address"), self.address),
                              (N_("municipality"), self.municipality),
                              (N_("case code"), self.case_code)):
            if names_field(exc, field):
                return widget
        return None


def open_new_client(parent: QWidget | None, ws: Any) -> NewClientDialog:
    """Open the new-client dialog (non-blocking); returns it."""
    dialog = NewClientDialog(parent, ws)
    dialog.open()
    return dialog
