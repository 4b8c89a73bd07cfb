"""The MyKanta restriction panel (rules-documents §3.6, §4.1.18-19)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from carebook.errors import ValidationError
from carebook.i18n import set_language
from carebook.model.records import Restriction
from carebook.model.services import restrictions
from carebook.ui.restriction_form import RestrictionForm


def _check_reason(form: RestrictionForm, key: str) -> None:
    for i in range(form.reasons.count()):
        item = form.reasons.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == key:
            item.setCheckState(Qt.CheckState.Checked)


def test_empty_form_means_no_restriction(qtbot: Any) -> None:
    set_language("en")
    form = RestrictionForm(minor=False)
    qtbot.addWidget(form)
    assert form.restriction() is None
    assert form.toggle.text() == "MyKanta visibility and restrictions"
    assert "sees the completed entry" in form.summary()


def test_delay_with_reason_round_trips_and_passes_the_service_check(qtbot: Any) -> None:
    """§4.1.19: a delay set by a person carries a reason; the form gives exactly that."""
    form = RestrictionForm(minor=False)
    qtbot.addWidget(form)
    wanted = Restriction(delay_until=date(2030, 5, 1), special_content=False,
                         reasons=("1", "4"), text="Shown after the court hearing")
    form.set_restriction(wanted)
    assert form.is_expanded()
    assert form.restriction() == wanted
    assert restrictions.validate(form.restriction(), minor=False, on=date.today()) == wanted
    other = RestrictionForm(minor=False)
    qtbot.addWidget(other)
    other.delay_check.setChecked(True)
    _check_reason(other, "4")
    _check_reason(other, "1")
    other.delay_date.setDate(form.delay_date.date())
    other.text.setText("Shown after the court hearing")
    assert other.restriction() == wanted


def test_special_content_without_reason_is_refused_by_the_service(qtbot: Any) -> None:
    form = RestrictionForm(minor=False)
    qtbot.addWidget(form)
    form.special_check.setChecked(True)
    r = form.restriction()
    assert r is not None and r.special_content and r.reasons == ()
    with pytest.raises(ValidationError) as refused:  # the typed refusal dialogs show in place
        restrictions.validate(r, minor=False, on=date.today())
    assert refused.value.code == "restriction_reason"


def test_adult_has_no_guardian_section(qtbot: Any) -> None:
    form = RestrictionForm(minor=False)
    qtbot.addWidget(form)
    assert form.findChild(object, "guardianCode") is None


def test_minor_gets_the_guardian_choice_with_grounds_and_refusal(qtbot: Any,
                                                                  screenshot_dir: Path) -> None:
    """§4.1.18 / MSG-17: guardian code default 1; code 3 needs grounds and a refusal reason."""
    form = RestrictionForm(minor=True)
    qtbot.addWidget(form)
    assert form.guardian.currentData() == "1"
    assert not form.guardian_text.isEnabled() and not form.refusal.isEnabled()
    assert form.restriction() is None  # default 1 is no restriction
    form.guardian.setCurrentIndex(form.guardian.findData("3"))
    assert form.guardian_text.isEnabled() and form.refusal.isEnabled()
    form.guardian_text.setText("The guardians must know about the placement")
    form.refusal.setCurrentIndex(form.refusal.findData("2"))
    wanted = Restriction(guardian_code="3",
                         guardian_text="The guardians must know about the placement",
                         guardian_refusal_reason="2")
    assert form.restriction() == wanted
    assert restrictions.validate(wanted, minor=True, on=date.today()) == wanted
    again = RestrictionForm(minor=True)
    qtbot.addWidget(again)
    again.set_restriction(wanted)
    assert again.restriction() == wanted
    assert "guardians" in again.summary()
    again.resize(640, 560)
    again.show()
    again.grab().save(str(screenshot_dir / "restriction-form-minor.png"))
