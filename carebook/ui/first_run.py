"""First run: a short wizard that creates the store (issue 4 item 2).

Pages: the producer (name, Y-tunnus, OID, test store), the first service unit (name, OID), the
first administrator (username, names, title, password twice), then the recovery code, which must
be confirmed as written down before Finish.

Each page is checked by the model's own validators on the DB lane before the wizard moves on, so
a bad Y-tunnus (ID-8) or OID (ID-4) is shown in place on its page with everything typed kept.
The administrator page is the commit page: ``accounts.init_store`` makes the store (staged and
moved into place whole, so a failure leaves nothing), the administrator signs in through the
workspace and ``units.add_unit`` adds the first unit.

If the unit cannot be added after the store was made, the administrator stays signed in and the
recovery page says to add the unit in Administration → Units: a store without units is a normal
state (every later start signs in as usual), so nothing half-made blocks the next start. The
recovery code is always shown once the store exists — if sign-in itself failed, the page says so
and Finish leads to the sign-in window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from carebook.i18n import N_, _
from carebook.ui.errors import ErrorLabel
from carebook.ui.icons import icon

Check = Callable[[str], object]


def _validators() -> Any:
    from carebook.model import oids, validation

    return oids, validation


def line(name: str, accessible: str, *, password: bool = False) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class _FormPage(QWizardPage):
    """A page whose fields are checked on the DB lane before the wizard moves on."""

    def __init__(self, wizard: FirstRunWizard, *, name: str, title: str, intro: str) -> None:
        super().__init__()
        self.wiz = wizard
        self.setObjectName(name)
        self.setTitle(title)
        self.passed = False
        self.busy = False
        self.checks: list[tuple[QLineEdit, Check]] = []
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.error = ErrorLabel()
        self.error.setObjectName(f"{name}Error")
        layout = QVBoxLayout(self)
        layout.addWidget(note(intro))
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def add(self, label: str, edit: QLineEdit, check: Check | None = None) -> QLineEdit:
        caption = QLabel(label)
        caption.setBuddy(edit)
        self.form.addRow(caption, edit)
        edit.textChanged.connect(self._on_edited)
        if check is not None:
            self.checks.append((edit, check))
        return edit

    def _on_edited(self) -> None:
        self.passed = False

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        if self.passed:
            return True
        if not self.busy:
            self.busy = True
            self.error.clear_error()
            self.start_check()
        return False

    def start_check(self) -> None:
        # Only texts and plain functions go to the lane, and only an index comes back: no
        # widget may be owned (and so destroyed) by the worker thread.
        checks = [(check, edit.text()) for edit, check in self.checks]

        def work() -> tuple[int, BaseException] | None:
            for n, (check, text) in enumerate(checks):
                try:
                    check(text)
                except Exception as exc:  # noqa: BLE001 - shown in place
                    return n, exc
            return None

        self.wiz.ws.db.submit(work, on_done=self.checked, on_error=self.failed)

    def checked(self, problem: tuple[int, BaseException] | None) -> None:
        self.busy = False
        if problem is not None:
            self.failed(problem[1], self.checks[problem[0]][0])
            return
        self.passed = True
        self.wiz.next()

    def failed(self, exc: BaseException, edit: QLineEdit | None = None) -> None:
        self.busy = False
        self.error.show_error(exc)
        if edit is not None:
            edit.setFocus()
            edit.selectAll()


class ProducerPage(_FormPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard, name="producerPage", title=_("The service producer"),
                         intro=_("Who provides the services recorded in this store. The "
                                 "details come from the business register and THL's "
                                 "organisation register."))
        oids, validation = _validators()
        self.name = self.add(_("&Producer name:"), line("producerName", _("Producer name")),
                             lambda t: validation.validate_label(t, field=N_("producer name")))
        self.business_id = self.add(_("Business &ID (Y-tunnus):"),
                                    line("businessId", _("Business ID (Y-tunnus)")),
                                    validation.validate_business_id)
        self.business_id.setPlaceholderText(_("for example 1234567-8"))
        self.oid = self.add(_("Producer &OID:"), line("producerOid", _("Producer OID")),
                            lambda t: oids.validate_oid(t, field=N_("producer OID")))
        self.oid.setPlaceholderText("1.2.246.10.12345678")
        self.test_mode = QCheckBox(_("&Test store (for training)"))
        self.test_mode.setObjectName("testStore")
        self.test_mode.setAccessibleName(_("Test store"))
        self.form.addRow(self.test_mode)
        self.form.addRow(note(_("A test store accepts only Kela's test identity codes "
                                "(individual number 900–999) and is marked TEST STORE "
                                "everywhere. Real client records need a store without this "
                                "mark.")))


class UnitPage(_FormPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard, name="unitPage", title=_("The first service unit"),
                         intro=_("The service unit (service point) where clients are served, "
                                 "with its registered name and OID. More units can be added "
                                 "later in Administration."))
        oids, validation = _validators()
        self.name = self.add(_("&Unit name:"), line("unitName", _("Unit name")),
                             lambda t: validation.validate_label(t, field=N_("unit name")))
        self.oid = self.add(_("Unit &OID:"), line("unitOid", _("Unit OID")))
        self.oid.setPlaceholderText("1.2.246.10.12345678.10.1")

    def start_check(self) -> None:
        producer_oid = self.wiz.producer.oid.text().strip()
        self.checks = [c for c in self.checks if c[0] is not self.oid]
        self.checks.append((self.oid, lambda text: _check_unit_oid(text, producer_oid)))
        super().start_check()


def _check_unit_oid(text: str, producer_oid: str) -> None:
    """ID-4; the unit's OID may not be the producer's (``units.add_unit`` refuses it too)."""
    from carebook.errors import ConflictError

    oids, _validation = _validators()
    oid = oids.validate_oid(text, field=N_("unit OID"))
    if oid == producer_oid:
        raise ConflictError(N_("The OID %(oid)s is already in use."), code="oid_taken", oid=oid)


class AdminPage(_FormPage):
    """The commit page: Next makes the store."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard, name="adminPage", title=_("The first administrator"),
                         intro=_("The person who manages users and units. They sign in with "
                                 "this username and password."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("&Create the store"))
        _oids, validation = _validators()
        self.username = self.add(_("&Username:"), line("adminUsername", _("Username")),
                                 validation.validate_username)
        self.first = self.add(_("&First name:"), line("adminFirst", _("First name")),
                              lambda t: validation.validate_name(t, field=N_("first name")))
        self.last = self.add(_("&Last name:"), line("adminLast", _("Last name")),
                             lambda t: validation.validate_name(t, field=N_("last name")))
        self.title_edit = self.add(_("T&itle:"), line("adminTitle", _("Title")),
                                   lambda t: validation.validate_label(t, field=N_("title")))
        self.password = self.add(_("&Password:"), line("adminPassword", _("Password"),
                                                       password=True), _check_password)
        self.again = self.add(_("Password &again:"),
                              line("adminPasswordAgain", _("Password again"), password=True))

    def start_check(self) -> None:
        first = self.password.text()
        self.checks = [c for c in self.checks if c[0] is not self.again]
        self.checks.append((self.again, lambda text: _check_same(first, text)))
        super().start_check()

    def checked(self, problem: tuple[int, BaseException] | None) -> None:
        if problem is not None:
            self.failed(problem[1], self.checks[problem[0]][0])
            return
        self.wiz.create()


def _check_same(first: str, again: str) -> None:
    from carebook.errors import ValidationError

    if again != first:
        raise ValidationError(N_("The two passwords are not the same."),
                              code="password_mismatch")


def _check_password(text: str) -> None:
    from carebook.model.services.accounts import check_password

    check_password(text)


class RecoveryPage(QWizardPage):
    """The recovery code, shown once; Finish only after the tick."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.setObjectName("recoveryPage")
        self.setTitle(_("The recovery code"))
        self.code = QLabel()
        self.code.setObjectName("recoveryCode")
        self.code.setAccessibleName(_("Recovery code"))
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.code.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 9) * 1.35)
        font.setBold(True)
        self.code.setFont(font)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setStyleSheet("padding: 10px; border: 1px solid #9fb3c8; background: white;")
        self.outcome = note("")
        self.outcome.setObjectName("recoveryOutcome")
        self.confirm = QCheckBox(_("I have &written the recovery code down and keep it safe"))
        self.confirm.setObjectName("recoveryConfirmed")
        self.confirm.setAccessibleName(_("Recovery code written down"))
        self.confirm.toggled.connect(lambda _on: self.completeChanged.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(note(_("Write this code on paper and keep it in a locked place. If "
                                "every password is lost, it is the only way to open the "
                                "store. It is shown only now.")))
        layout.addWidget(self.code)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        layout.addWidget(self.confirm)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.confirm.isChecked()


class FirstRunWizard(QWizard):
    """Creates the store, its producer, first unit and administrator.

    Signals:
        completed(bool): Finish pressed; True when the administrator is signed in.
    """

    completed = Signal(bool)

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.result_: Any = None
        self.busy: Any = None
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(_("carebook — first start"))
        self.setWindowIcon(icon("app"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        for which, text in ((QWizard.WizardButton.NextButton, _("&Next")),
                            (QWizard.WizardButton.BackButton, _("&Back")),
                            (QWizard.WizardButton.FinishButton, _("&Finish")),
                            (QWizard.WizardButton.CancelButton, _("Cancel"))):
            self.setButtonText(which, text)
        self.producer = ProducerPage(self)
        self.unit = UnitPage(self)
        self.admin = AdminPage(self)
        self.recovery = RecoveryPage(self)
        pages = (self.producer, self.unit, self.admin, self.recovery)
        for n, page in enumerate(pages, start=1):
            page.setSubTitle(_("Step %(n)s of %(total)s") % {"n": n, "total": len(pages)})
            self.addPage(page)
        self.setMinimumSize(680, 500)
        self.finished.connect(self._on_finished)

    # -- creating the store -----------------------------------------------------------------

    def create(self) -> None:
        from carebook.model.services import accounts
        from carebook.ui.busy import BusyIndicator

        p, a = self.producer, self.admin
        args = dict(producer_name=p.name.text(), business_id=p.business_id.text(),
                    producer_oid=p.oid.text(), admin_username=a.username.text(),
                    admin_first=a.first.text(), admin_last=a.last.text(),
                    admin_title=a.title_edit.text(), password=a.password.text(),
                    test_mode=p.test_mode.isChecked(), policy=self.ws.policy)
        data_dir = self.ws.data_dir
        job = self.ws.db.submit(lambda: accounts.init_store(data_dir, **args),
                                on_done=self._on_created, on_error=self._on_create_failed)
        self.busy = BusyIndicator(self, job, _("Creating the store…"))

    def _on_create_failed(self, exc: BaseException) -> None:
        self._end_busy()
        self.admin.failed(exc)

    def _on_created(self, result: Any) -> None:
        from carebook.ui.signin import StoreLabel, write_label

        self.result_ = result
        self.recovery.code.setText(result.recovery_code)
        write_label(self.ws.data_dir, StoreLabel(result.producer.name,
                                                 result.producer.test_mode))
        job = self.ws.sign_in(self.admin.username.text().strip(), self.admin.password.text(),
                              on_done=self._on_signed_in, on_error=self._on_sign_in_failed)
        self._end_busy()
        from carebook.ui.busy import BusyIndicator

        self.busy = BusyIndicator(self, job, _("Signing in…"))

    def _on_signed_in(self, _staff: Any) -> None:
        from carebook.model.services import units

        self._end_busy()
        self.ws.call(units.add_unit, name=self.unit.name.text(), oid=self.unit.oid.text(),
                     on_done=self._on_unit_added, on_error=self._on_unit_failed, parent=self)

    def _on_sign_in_failed(self, exc: BaseException) -> None:
        self._end_busy()
        from carebook.ui.errors import user_message

        self._show_recovery(_("The store was made, but signing in failed: %(reason)s Sign in "
                              "after finishing.") % {"reason": user_message(exc)})

    def _on_unit_added(self, _unit: Any) -> None:
        self._show_recovery(_("The store, the service unit and the administrator were made. "
                              "You are signed in."))

    def _on_unit_failed(self, exc: BaseException) -> None:
        from carebook.ui.errors import user_message

        self._show_recovery(_("The store and the administrator were made, but the service "
                              "unit was not: %(reason)s Add it in Administration → Units "
                              "after finishing.") % {"reason": user_message(exc)})

    def _show_recovery(self, outcome: str) -> None:
        self.admin.busy = False
        self.admin.passed = True
        self.recovery.outcome.setText(outcome)
        self.next()
        self.recovery.code.setFocus()

    def _end_busy(self) -> None:
        if self.busy is not None:
            self.busy.finish()
            self.busy = None

    # -- closing ----------------------------------------------------------------------------

    @property
    def store_made(self) -> bool:
        return self.result_ is not None

    def reject(self) -> None:
        # Once the store exists the recovery code must be seen and confirmed: no way out
        # but Finish (a killed process still leaves a complete store; see the module doc).
        if self.store_made or self.admin.busy:
            return
        super().reject()

    def _on_finished(self, result: int) -> None:
        self.completed.emit(self.store_made and self.ws.is_signed_in)
