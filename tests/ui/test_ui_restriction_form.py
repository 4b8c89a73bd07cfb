"""The MyKanta restriction panel (rules-documents §3.6, §4.1.18-19)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from carebook.errors import ValidationError
from carebook.i18n import set_language
from carebook.model import clock
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
    assert restrictions.validate(form.restriction(), minor=False, on=clock.today()) == wanted
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
        restrictions.validate(r, minor=False, on=clock.today())
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
    assert restrictions.validate(wanted, minor=True, on=clock.today()) == wanted
    again = RestrictionForm(minor=True)
    qtbot.addWidget(again)
    again.set_restriction(wanted)
    assert again.restriction() == wanted
    assert "guardians" in again.summary()
    again.resize(640, 560)
    again.show()
    again.grab().save(str(screenshot_dir / "restriction-form-minor.png"))


_REASONS = st.lists(st.sampled_from(["1", "2", "3", "4", "5", "6"]), unique=True).map(
    lambda keys: tuple(sorted(keys)))
_TEXT = st.one_of(st.none(), st.text(
    alphabet=st.characters(whitelist_categories=("L", "N", "Zs")), min_size=1, max_size=60)
    .map(str.strip).filter(bool))
_GUARDIAN = st.one_of(
    st.just((None, None, None)),
    st.tuples(st.sampled_from(["2", "4"]), _TEXT, st.none()),
    st.tuples(st.just("3"), _TEXT, st.sampled_from(["1", "2", "3"])))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(delay=st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2099, 12, 31))),
       special=st.booleans(), reasons=_REASONS, text=_TEXT, guardian=_GUARDIAN)
def test_any_restriction_round_trips_through_the_form(qtbot: Any, delay: date | None,
                                                      special: bool, reasons: tuple[str, ...],
                                                      text: str | None,
                                                      guardian: tuple[Any, Any, Any]) -> None:
    """Property: what the form shows is exactly what it gives back (nothing lost or added)."""
    code, g_text, refusal = guardian
    wanted = Restriction(delay, special, reasons, text, code, g_text, refusal)
    form = RestrictionForm(minor=True)
    qtbot.addWidget(form)
    form.set_restriction(wanted)
    got = form.restriction()
    if wanted == Restriction():  # nothing set: the form reports no restriction
        assert got is None
    else:
        expected = wanted if code is not None else Restriction(
            delay, special, reasons, text, "1", None, None)
        assert got == expected or (got is None and expected == Restriction(guardian_code="1"))
