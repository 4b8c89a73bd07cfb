"""The first-run wizard (issue 4 item 2): producer (ID-8 Y-tunnus, ID-4 OIDs), first unit,
first administrator, then the recovery code that must be confirmed before Finish."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from carebook.i18n import set_language
from carebook.model.keyslots import SlotPolicy
from carebook.model.keywrap import KdfParams
from carebook.model.services import accounts, units
from carebook.paths import store_path
from carebook.ui.signin import read_label

FAST = SlotPolicy(kdf=KdfParams(memory_kib=8, iterations=1, lanes=1), sleep=lambda _s: None)

PASSWORD = "first-admin-password"


@pytest.fixture
def fresh(qapp, tmp_path: Path):
    """A workspace on an empty data folder (the first start)."""
    from carebook.ui.lanes import Lane
    from carebook.ui.workspace import Workspace

    set_language("en")
    lane = Lane("db-first-run")
    ws = Workspace(data_dir=tmp_path / "new", db_lane=lane, policy=FAST)
    yield ws
    if ws.store is not None:
        store, ws.store = ws.store, None
        lane.call_blocking(store.close)
    lane.stop()


@pytest.fixture
def wizard(qtbot, fresh):
    from carebook.ui.first_run import FirstRunWizard

    w = FirstRunWizard(fresh)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _next(qtbot, wizard, *, to):
    """Press Next (Create on the commit page) and wait for the page or its error."""
    page = wizard.currentPage()
    kind = (QWizard.WizardButton.CommitButton if page is wizard.admin
            else QWizard.WizardButton.NextButton)
    wizard.button(kind).click()
    qtbot.waitUntil(lambda: wizard.currentPage() is to
                    or (not page.busy and page.error.isVisible()), timeout=10_000)


def _fill_producer(w, business_id="2910052-3", oid="1.2.246.10.29100523.10"):
    w.producer.name.setText("Hoivakoti Kuusela Oy")
    w.producer.business_id.setText(business_id)
    w.producer.oid.setText(oid)
    w.producer.test_mode.setChecked(True)


def _fill_unit(w, oid="1.2.246.10.29100523.10.1"):
    w.unit.name.setText("Kuuselan palvelutalo")
    w.unit.oid.setText(oid)


def _fill_admin(w):
    a = w.admin
    a.username.setText("paakayttaja")
    a.first.setText("Aino")
    a.last.setText("Ahonen")
    a.title_edit.setText("Järjestelmänvalvoja")
    a.password.setText(PASSWORD)
    a.again.setText(PASSWORD)


def test_the_wizard_makes_the_store_and_the_admin_can_sign_in(qtbot, wizard, fresh,
                                                             screenshot_dir):
    """ID-8: a bad Y-tunnus is shown in place and nothing typed is lost; the recovery code
    page cannot finish unticked; then the store exists, with its unit, and the admin signs in."""
    _fill_producer(wizard, business_id="2910052-4")
    wizard.grab().save(str(screenshot_dir / "first-run-1-producer.png"))
    _next(qtbot, wizard, to=wizard.unit)
    assert wizard.currentPage() is wizard.producer
    assert wizard.producer.error.text().startswith("The business ID (Y-tunnus) is not valid.")
    assert wizard.producer.name.text() == "Hoivakoti Kuusela Oy"
    assert wizard.focusWidget() is wizard.producer.business_id
    wizard.grab().save(str(screenshot_dir / "first-run-1-producer-error.png"))
    wizard.producer.business_id.setText("2910052-3")
    _next(qtbot, wizard, to=wizard.unit)
    assert wizard.currentPage() is wizard.unit
    _fill_unit(wizard)
    wizard.grab().save(str(screenshot_dir / "first-run-2-unit.png"))
    _next(qtbot, wizard, to=wizard.admin)
    _fill_admin(wizard)
    wizard.admin.again.setText("something-else")
    wizard.grab().save(str(screenshot_dir / "first-run-3-admin.png"))
    _next(qtbot, wizard, to=wizard.recovery)
    assert wizard.currentPage() is wizard.admin
    assert wizard.admin.error.text() == "The two passwords are not the same."
    assert not store_path(fresh.data_dir).exists()
    wizard.admin.again.setText(PASSWORD)
    _next(qtbot, wizard, to=wizard.recovery)
    code = wizard.recovery.code.text()
    assert len(code) >= 16 and "were made. You are signed in." in \
        wizard.recovery.outcome.text()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    wizard.reject()  # Escape / close: the code must be confirmed first
    assert wizard.isVisible()
    wizard.grab().save(str(screenshot_dir / "first-run-4-recovery.png"))
    wizard.recovery.confirm.setChecked(True)
    assert finish.isEnabled()
    with qtbot.waitSignal(wizard.completed) as signal:
        finish.click()
    assert signal.args == [True]
    assert store_path(fresh.data_dir).exists()
    assert fresh.staff.username == "paakayttaja"
    made = fresh.db.call_blocking(lambda: units.list_units(fresh.store, fresh.staff))
    assert [u.name for u in made] == ["Kuuselan palvelutalo"]
    assert read_label(fresh.data_dir).test_mode is True
    fresh.lock()
    store, staff = fresh.db.call_blocking(lambda: accounts.sign_in(
        fresh.data_dir, "paakayttaja", PASSWORD, policy=FAST))
    fresh.db.call_blocking(store.close)
    assert "admin" in staff.roles


def test_a_unit_that_cannot_be_added_leaves_the_admin_signed_in(qtbot, wizard, fresh):
    """The unit's OID taken by the producer (changed after the unit page passed): the store
    and admin are made, the admin is signed in and told to add the unit in Administration."""
    _fill_producer(wizard)
    _next(qtbot, wizard, to=wizard.unit)
    _fill_unit(wizard, oid="1.2.246.10.29100523.10.7")
    _next(qtbot, wizard, to=wizard.admin)
    wizard.back()
    wizard.back()
    wizard.producer.oid.setText("1.2.246.10.29100523.10.7")
    _next(qtbot, wizard, to=wizard.unit)
    _next(qtbot, wizard, to=wizard.admin)
    assert wizard.currentPage() is wizard.admin
    _fill_admin(wizard)
    _next(qtbot, wizard, to=wizard.recovery)
    outcome = wizard.recovery.outcome.text()
    assert "the service unit was not" in outcome and "Administration" in outcome
    assert "is already in use" in outcome
    assert fresh.is_signed_in
    wizard.recovery.confirm.setChecked(True)
    with qtbot.waitSignal(wizard.completed) as signal:
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert signal.args == [True]
    assert fresh.db.call_blocking(lambda: units.list_units(fresh.store, fresh.staff)) == []


def test_cancel_before_the_store_is_made_leaves_nothing(qtbot, wizard, fresh):
    _fill_producer(wizard)
    with qtbot.waitSignal(wizard.completed) as signal:
        wizard.reject()
    assert signal.args == [False]
    assert not store_path(fresh.data_dir).exists()
