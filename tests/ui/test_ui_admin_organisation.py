"""Units and organisers (issue 4 item 6; ID-4, ID-5, RAR-1): list, add, refusals in place."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from carebook.model.services import organisers, units
from carebook.ui.admin import open_organisers_admin, open_units_admin


@pytest.fixture
def opened(qtbot, workspace, sign_in, wait_idle):
    """``opened(open_fn, username)``: the dialog opened by ``username`` and loaded."""
    parents: list[QWidget] = []

    def run(open_fn, username: str = "admin"):
        sign_in(username)
        parent = QWidget()
        parents.append(parent)
        qtbot.addWidget(parent)
        dialog = open_fn(parent, workspace)
        wait_idle()
        return dialog

    yield run
    parents.clear()


def _names(dialog) -> list[str]:
    return [dialog.model.texts(r)[0] for r in range(dialog.model.rowCount())]


def _add(qtbot, dialog, wait_idle, **values: str) -> None:
    for key, text in values.items():
        dialog.fields[key].setText(text)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_idle()


def test_id5_a_bad_unit_oid_is_refused_in_place_then_a_good_one_is_added(
        qtbot, workspace, opened, wait_idle, screenshot_dir):
    dialog = opened(open_units_admin)
    assert _names(dialog) == ["Kuuselan kotihoito", "Kuuselan palvelutalo"]
    _add(qtbot, dialog, wait_idle, name="Kuuselan päivätoiminta", oid="1.2.246.abc")
    assert dialog.error.isVisible() and "OID" in dialog.error.text()
    assert dialog.fields["name"].text() == "Kuuselan päivätoiminta"
    assert dialog.fields["oid"].text() == "1.2.246.abc"
    dialog.grab().save(str(screenshot_dir / "admin_units_refused.png"))
    dialog.fields["oid"].setText("1.2.246.10.29100523.10.3")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert not dialog.error.isVisible()
    assert "Kuuselan päivätoiminta added" in dialog.status.text()
    assert _names(dialog) == ["Kuuselan kotihoito", "Kuuselan palvelutalo",
                              "Kuuselan päivätoiminta"]
    assert dialog.fields["name"].text() == ""
    dialog.grab().save(str(screenshot_dir / "admin_units.png"))
    oids = {u.oid for u in units.list_units(workspace.store, workspace.staff)}
    assert "1.2.246.10.29100523.10.3" in oids


def test_id5_an_oid_in_use_is_refused_in_place(qtbot, opened, wait_idle):
    dialog = opened(open_units_admin)
    _add(qtbot, dialog, wait_idle, name="Toinen", oid="1.2.246.10.29100523.10.1")
    assert "already in use" in dialog.error.text()
    assert dialog.add_button.isEnabled() and dialog.model.rowCount() == 2


def test_a_care_worker_cannot_add_a_unit(qtbot, opened, wait_idle):
    dialog = opened(open_units_admin, "hoitaja1")
    _add(qtbot, dialog, wait_idle, name="Oma yksikkö", oid="1.2.246.10.29100523.10.9")
    assert dialog.error.text() == ("Only an administrator or the responsible director can add "
                                   "units. Your role does not allow it.")
    assert dialog.fields["name"].text() == "Oma yksikkö"


def test_rar1_add_an_organiser_with_business_id(qtbot, workspace, opened, wait_idle,
                                                screenshot_dir):
    dialog = opened(open_organisers_admin)
    assert _names(dialog) == ["Demo-hyvinvointialue"]
    _add(qtbot, dialog, wait_idle, name="Etelä-Pohjanmaan hyvinvointialue",
         oid="1.2.246.10.12345678", business_id="1234567-0")
    assert "Y-tunnus" in dialog.error.text() or "business" in dialog.error.text().lower()
    assert dialog.fields["business_id"].text() == "1234567-0"
    dialog.fields["business_id"].setText("0737546-2")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert "Etelä-Pohjanmaan hyvinvointialue added" in dialog.status.text()
    assert _names(dialog) == ["Demo-hyvinvointialue", "Etelä-Pohjanmaan hyvinvointialue"]
    dialog.grab().save(str(screenshot_dir / "admin_organisers.png"))
    added = [o for o in organisers.list_organisers(workspace.store, workspace.staff)
             if o.oid == "1.2.246.10.12345678"]
    assert added and added[0].business_id == "0737546-2"


def test_an_organiser_without_business_id_is_added(qtbot, opened, wait_idle):
    dialog = opened(open_organisers_admin)
    _add(qtbot, dialog, wait_idle, name="Testialue", oid="1.2.246.10.87654321",
         business_id="")
    assert not dialog.error.isVisible() and "Testialue" in _names(dialog)
    row = _names(dialog).index("Testialue")
    assert dialog.model.texts(row)[2] == ""
